//! Gap analysis and target ranking read from the store: the chain map gives each link
//! the status the pure rules give its local presence, and the early-stopping top-k read
//! of targets equals scoring every candidate (on SQLite and PostgreSQL).

use zhaoshang_testkit::on_both_backends;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{HashMap, HashSet};
use zhaoshang_app::chains::{chain_map, rank_targets};
use zhaoshang_core::chains::gap::GapThresholds;
use zhaoshang_core::chains::geo::hq_distance_km;
use zhaoshang_core::chains::targets::{matched_products, rank, score, ScoreWeights, TargetFacts};
use zhaoshang_core::chains::{industry_codes, parse_products, GapStatus};
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_core::enterprises::{Tag, Tags};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::chains::{ChainData, ChainImport, ChainNode, ChainNodeData, Relation};
use zhaoshang_store::enterprises::EnterpriseData;
use zhaoshang_store::projects::{ProjectData, ProjectUpsert};
use zhaoshang_store::{Actor, Store};

on_both_backends!(app: the_chain_map_applies_the_gap_rules, ranked_targets_equal_scoring_every_candidate);

fn link(name: &str, parent: &str, segment: &str) -> ChainNodeData {
    ChainNodeData {
        name: name.into(),
        parent: parent.into(),
        kind: "link".into(),
        segment: Some(segment.into()),
        industry: "32".into(),
        products: String::new(),
    }
}

fn copper_chain() -> ChainImport {
    ChainImport {
        chain: ChainData { name: "铜产业链".into(), region_code: "620400".into(), ..Default::default() },
        nodes: vec![
            ChainNodeData { name: "铜".into(), kind: "sub_chain".into(), ..Default::default() },
            link("铜冶炼", "铜", "upstream"),
            link("铜加工", "铜", "midstream"),
            link("铜箔", "铜", "downstream"),
            ChainNodeData { name: "铅锌".into(), kind: "sub_chain".into(), ..Default::default() },
            link("铅锌采选", "铅锌", "upstream"),
        ],
        leaders: vec![],
    }
}

fn local(n: u32, revenue_yi: i64) -> EnterpriseData {
    EnterpriseData {
        credit_code: with_check_char(&format!("91620402MA{n:07}")).unwrap(),
        name: format!("白银本地企业{n}"),
        region_code: "620402".into(),
        industry: "32".into(),
        revenue: Some(revenue_yi * 100_000_000),
        ..Default::default()
    }
}

async fn the_chain_map_applies_the_gap_rules(store: &Store) {
    let actor = Actor::system("测试");
    let chain_id = store.import_chains(&[copper_chain()], &actor).await.unwrap()[0];
    // 铜冶炼: three producers with 12 亿 in all (strong); 铜加工: one producer (weak);
    // 铜箔: nobody, downstream of a strong link (extension); 铅锌采选: nobody (missing).
    let enterprises: Vec<EnterpriseData> = (1..=4).map(|n| local(n, if n <= 3 { 4 } else { 1 })).collect();
    store.upsert_enterprises(&enterprises, &actor).await.unwrap();
    let codes: Vec<String> = enterprises.iter().map(|e| e.credit_code.clone()).collect();
    let ids: Vec<i64> = store.enterprises_by_codes(&codes).await.unwrap().iter().map(|e| e.id).collect();
    let nodes = store.chain_nodes(chain_id).await.unwrap();
    let node = |name: &str| nodes.iter().find(|n| n.name == name).unwrap().id;
    let mut links: Vec<(i64, i64, String)> =
        ids[..3].iter().map(|id| (node("铜冶炼"), *id, "producer".into())).collect();
    links.push((node("铜加工"), ids[3], "supplier".into()));
    store.attach_enterprises(&links, &actor).await.unwrap();

    let baiyin = RegionCode::parse("620400").unwrap();
    let map = chain_map(store, chain_id, &baiyin, &GapThresholds::default()).await.unwrap();
    let status = |name: &str| map.nodes.iter().find(|n| n.node.name == name).unwrap().status;
    assert_eq!(status("铜"), None, "sub-chains have no gap status");
    assert_eq!(status("铜冶炼"), Some(GapStatus::Strong));
    assert_eq!(status("铜加工"), Some(GapStatus::Weak));
    assert_eq!(status("铜箔"), Some(GapStatus::Extension));
    assert_eq!(status("铅锌采选"), Some(GapStatus::Missing));
    assert_eq!((map.counts.strong, map.counts.weak, map.counts.extension, map.counts.missing), (1, 1, 1, 1));

    // Seen from another city nothing is local; a lower revenue threshold changes the verdict.
    let tianshui = RegionCode::parse("620500").unwrap();
    let elsewhere = chain_map(store, chain_id, &tianshui, &GapThresholds::default()).await.unwrap();
    assert_eq!(elsewhere.counts.missing, 4);
    let lenient = GapThresholds { min_enterprises: 1, min_revenue: Yuan(100_000_000) };
    let map = chain_map(store, chain_id, &baiyin, &lenient).await.unwrap();
    assert_eq!((map.counts.strong, map.counts.weak), (2, 0));
}

/// Enterprises of industry 32 all over China with random tags and revenue, some known
/// to a chamber and some already investing in Gansu.
async fn random_candidates(store: &Store, count: u32) {
    let actor = Actor::system("测试");
    let mut rng = StdRng::seed_from_u64(42);
    let provinces = ["110105", "310115", "320505", "440305", "510107", "610113", "620402", "650102", "370102"];
    let tags = [Tag::Global500, Tag::China500, Tag::Private500, Tag::Listed, Tag::Specialised, Tag::HighTech];
    let enterprises: Vec<EnterpriseData> = (0..count)
        .map(|n| {
            let chosen: Vec<&str> = tags.iter().filter(|_| rng.gen_bool(0.2)).map(|t| t.label()).collect();
            EnterpriseData {
                credit_code: with_check_char(&format!("91310115MA{n:07}")).unwrap(),
                name: format!("候选企业{n}"),
                region_code: provinces[rng.gen_range(0..provinces.len())].into(),
                industry: if rng.gen_bool(0.9) { "32".into() } else { "26".into() },
                tags: chosen.join("、"),
                stock_code: if chosen.contains(&Tag::Listed.label()) { format!("6{n:05}") } else { String::new() },
                revenue: rng.gen_bool(0.9).then(|| rng.gen_range(0..20_000) * 1_000_000),
                description: ["压延铜箔生产", "锂电 copper foil 制造", "铜冶炼", ""][rng.gen_range(0..4)].into(),
                ..Default::default()
            }
        })
        .collect();
    store.upsert_enterprises(&enterprises, &actor).await.unwrap();
    let stored = store.enterprises_after(0, i64::from(count) + 10).await.unwrap();
    let relations: Vec<Relation> = stored
        .iter()
        .filter(|e| e.id % 7 == 0)
        .map(|e| Relation { enterprise_id: e.id, kind: "商会".into(), holder: "上海甘肃商会".into() })
        .collect();
    store.add_relations(&relations, &actor).await.unwrap();
    let investments: Vec<ProjectUpsert> = stored
        .iter()
        .filter(|e| e.id % 11 == 0)
        .map(|e| ProjectUpsert {
            data: ProjectData {
                code: format!("P{}", e.id),
                name: format!("{}投资项目", e.data.name),
                region_code: "620502".into(),
                investor_credit_code: e.data.credit_code.clone(),
                stage: "negotiating".into(),
                ..Default::default()
            },
            note: String::new(),
        })
        .collect();
    store.upsert_projects(&investments, &actor).await.unwrap();
}

async fn ranked_targets_equal_scoring_every_candidate(store: &Store) {
    random_candidates(store, 900).await;
    // The same link once more, naming the products it needs.
    let mut chain = copper_chain();
    chain.chain.name = "铜箔产品链".into();
    chain.nodes =
        vec![ChainNodeData { products: "铜箔、Copper Foil".into(), ..link("电子铜箔", "", "downstream") }];
    // And a link needing two divisions.
    let mut two = copper_chain();
    two.chain.name = "铜材与化工链".into();
    two.nodes = vec![ChainNodeData { industry: "32、26".into(), ..link("铜化工", "", "midstream") }];
    let ids = store.import_chains(&[copper_chain(), chain, two], &Actor::system("测试")).await.unwrap();
    let foil = store.chain_nodes(ids[0]).await.unwrap().into_iter().find(|n| n.name == "铜箔").unwrap();
    let by_products = store.chain_nodes(ids[1]).await.unwrap().remove(0);
    let two_divisions = store.chain_nodes(ids[2]).await.unwrap().remove(0);
    for region in ["620400", "620000", "310000"] {
        top_k_equals_scoring_every_candidate(store, &foil, region, 20).await;
        top_k_equals_scoring_every_candidate(store, &two_divisions, region, 60).await;
        // Every candidate naming a product (fewer than a thousand), against the full set.
        top_k_equals_scoring_every_candidate(store, &by_products, region, 1000).await;
    }
}

async fn top_k_equals_scoring_every_candidate(store: &Store, node: &ChainNode, region: &str, limit: usize) {
    let weights = ScoreWeights::default();
    let products = parse_products(&node.products);
    let scope = RegionCode::parse(region).unwrap();
    let ranked = rank_targets(store, node, &scope, limit).await.unwrap();

    let all = store.enterprises_after(0, 10_000).await.unwrap();
    let industry_of: HashMap<i64, String> = all.iter().map(|e| (e.id, e.data.industry.clone())).collect();
    let related: HashSet<i64> = store
        .relations_of(&all.iter().map(|e| e.id).collect::<Vec<_>>())
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.enterprise_id)
        .collect();
    let codes: Vec<String> = all.iter().map(|e| e.data.credit_code.clone()).collect();
    let investing: HashSet<String> =
        store.investing_within(&codes, scope.province().scope_prefix()).await.unwrap().into_iter().collect();
    let expected = rank(
        all.into_iter()
            .filter(|e| {
                industry_codes(&node.industry).contains(&e.data.industry.as_str())
                    && !scope.contains(&RegionCode::parse(&e.data.region_code).unwrap())
            })
            .map(|e| (matched_products(&products, &[&e.data.name, &e.data.description]), e))
            .filter(|(matched, _)| products.is_empty() || !matched.is_empty())
            .map(|(matched, e)| {
                let facts = TargetFacts {
                    products: matched,
                    tags: Tags::from_stored(&e.data.tags, &e.data.stock_code),
                    revenue: e.data.revenue.map(Yuan),
                    relationship: related.contains(&e.id).then(|| "商会：上海甘肃商会".to_string()),
                    invests_in_province: investing.contains(&e.data.credit_code),
                    hq_distance_km: hq_distance_km(&e.data.region_code, region),
                };
                (e.id, score(&facts, &weights), e.data.revenue.map(Yuan), e.id)
            })
            .collect(),
    );
    let expected: Vec<(i64, u32)> = expected.into_iter().take(limit).map(|(id, s)| (id, s.total)).collect();
    let got: Vec<(i64, u32)> = ranked.iter().map(|t| (t.enterprise.id, t.score.total)).collect();
    assert_eq!(got, expected, "top {limit} of {} for {region}", node.name);
    assert!(ranked.len() >= 20, "{} targets of {} for {region}", ranked.len(), node.name);
    if industry_codes(&node.industry).len() > 1 {
        let divisions: HashSet<&str> = ranked.iter().map(|t| industry_of[&t.enterprise.id].as_str()).collect();
        assert_eq!(divisions.len(), 2, "candidates of both divisions rank together: {divisions:?}");
    }
    assert_eq!(ranked.iter().map(|t| t.rank).collect::<Vec<_>>(), (1..=ranked.len()).collect::<Vec<_>>());
    let first = &ranked[0];
    assert_eq!(first.score.parts.iter().map(|p| p.points).sum::<u32>(), first.score.total, "the parts add up");
    if !products.is_empty() {
        assert!(ranked.iter().all(|t| t.score.parts[0].label.starts_with("产品相符：")), "fit is the first part");
        assert!(
            ranked.iter().any(|t| t.score.parts[0].label == "产品相符：Copper Foil"),
            "Latin products match in either case on both backends"
        );
        assert!(ranked.len() < limit, "the whole set was read");
    }
}
