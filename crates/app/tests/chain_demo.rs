//! The demo chains: 白银's 12 chains with 42 sub-chains, 酒钢 leading 嘉峪关's 钢铁 and 铝, a gap
//! analysis of 白银's 有色金属 chain with every kind of link, and ranked targets for its
//! missing link; on SQLite and on PostgreSQL.

use zhaoshang_app::chains::{chain_map, rank_targets};
use zhaoshang_app::demo::chains::{BAIYIN_METALS, MISSING_LINK};
use zhaoshang_core::chains::{GapStatus, GapThresholds};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::plans::PlanFilter;
use zhaoshang_testkit::{fresh_database_url, Backend};

#[tokio::test]
async fn sqlite() {
    demo_chains(Backend::Sqlite).await
}

#[tokio::test]
async fn postgres() {
    demo_chains(Backend::Postgres).await
}

async fn demo_chains(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(backend, dir.path()).await;
    let started = std::time::Instant::now();
    let store = zhaoshang_app::open(&url, true).await.unwrap();
    eprintln!("demo loaded in {:?}", started.elapsed());

    let summaries = store.chain_summaries().await.unwrap();
    let baiyin: Vec<_> = summaries.iter().filter(|s| s.region_code == "620400").collect();
    assert_eq!(baiyin.len(), 12);
    assert_eq!(baiyin.iter().map(|s| s.sub_chains).sum::<i64>(), 42);
    assert!(summaries.iter().all(|s| !s.lead_department.is_empty() && !s.chief.is_empty()));

    for name in ["嘉峪关市钢铁产业链", "嘉峪关市铝产业链"] {
        let chain = store.chain_by_name(name).await.unwrap().unwrap();
        let leaders = store.chain_leaders(chain.id).await.unwrap();
        assert!(leaders.iter().any(|e| e.name == "酒泉钢铁（集团）有限责任公司"), "{name}");
    }
    for (name, leader) in
        [("天水市电工电器产业链", "天水二一三电器有限公司"), ("天水市数控机床产业链", "天水星火机床有限责任公司")]
    {
        let chain = store.chain_by_name(name).await.unwrap().unwrap();
        assert_eq!(store.chain_leaders(chain.id).await.unwrap()[0].name, leader);
    }

    let metals = store.chain_by_name(BAIYIN_METALS).await.unwrap().unwrap();
    let baiyin_region = RegionCode::parse("620400").unwrap();
    let map = chain_map(&store, metals.id, &baiyin_region, &GapThresholds::default()).await.unwrap();
    let counts = map.counts;
    assert!(counts.strong >= 1 && counts.weak >= 1 && counts.missing >= 1 && counts.extension >= 1, "{counts:?}");
    let status_of = |name: &str| map.nodes.iter().find(|n| n.node.name == name).unwrap().status;
    assert_eq!(status_of(MISSING_LINK), Some(GapStatus::Missing));
    assert_eq!(status_of("阴极铜冶炼"), Some(GapStatus::Strong));
    assert_eq!(status_of("高精度铜板带"), Some(GapStatus::Extension));
    assert!(
        map.nodes.iter().any(|n| n.presence.producing_projects + n.presence.active_projects > 0),
        "projects on links"
    );

    let missing = map.nodes.iter().find(|n| n.node.name == MISSING_LINK).unwrap().node.clone();
    let targets = rank_targets(&store, &missing, &baiyin_region, 20).await.unwrap();
    assert_eq!(targets.len(), 20);
    assert_eq!(targets[0].rank, 1);
    assert!(targets.iter().all(|t| !t.enterprise.region_code.starts_with("6204") && !t.score.parts.is_empty()));
    assert!(targets.windows(2).all(|pair| pair[0].score.total >= pair[1].score.total));
    assert!(targets.iter().any(|t| t.relationship.is_some()), "relationships show in the score");

    let chain_user = store.user_by_name("chain").await.unwrap().unwrap();
    assert_eq!(store.user_chain_ids(chain_user.id).await.unwrap().len(), summaries.len());
    let plans = store.plans(&PlanFilter { owner_id: Some(chain_user.id), ..Default::default() }, 10).await.unwrap();
    assert!(plans.len() >= 2);
    let today = chrono::Utc::now().date_naive();
    assert!(plans.iter().any(|p| p.data.due_on.is_some_and(|due| due < today)), "one next step is overdue");
    for plan in &plans {
        assert_eq!(store.plan_visits(plan.id).await.unwrap().len(), 1);
    }
}
