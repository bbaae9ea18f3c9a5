//! The enterprise library and the chains at scale (issue 4): scale 1.0 is 5,000,000
//! enterprises all over China and 200 chains of 50 links each, run by the province's
//! cities. Times Chinese keyword search with filters, the gap analysis of a chain for
//! the whole province and the target ranking of one link; checks their answers.

use crate::report::Target;
use crate::Bench;
use chrono::Utc;
use std::collections::HashMap;
use std::time::Instant;
use zhaoshang_app::chains::{chain_map, rank_targets};
use zhaoshang_app::search::{SearchIndex, SearchKind, SearchQuery};
use zhaoshang_core::access::RecordScope;
use zhaoshang_core::chains::gap::GapThresholds;
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_core::enterprises::Tag;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::chains::{ChainData, ChainImport, ChainNodeData};
use zhaoshang_store::enterprises::EnterpriseData;
use zhaoshang_store::Actor;

pub const ENTERPRISES_AT_SCALE_1: f64 = 5_000_000.0;
pub const CHAINS_AT_SCALE_1: f64 = 200.0;
const SUB_CHAINS: usize = 5;
const LINKS_PER_SUB_CHAIN: usize = 10;
/// Enterprises generated and written per transaction.
const LOAD_BATCH: u64 = 20_000;
/// Issue 4's targets: gap analysis of a 50-link chain and target ranking, p95.
pub const GAP_TARGET: Target = Target::P95Ms(50.0);
pub const RANKING_TARGET: Target = Target::P95Ms(50.0);
/// Issues 4 and 5: a keyword search with filters, p95.
pub const SEARCH_TARGET: Target = Target::P95Ms(30.0);

/// Manufacturing divisions of GB/T 4754 the generated enterprises and links use.
const INDUSTRIES: [&str; 16] =
    ["26", "27", "29", "30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "40", "13", "17"];
const TRADES: [&str; 16] = [
    "化工",
    "医药",
    "橡塑",
    "建材",
    "钢铁",
    "有色",
    "金属制品",
    "通用设备",
    "专用设备",
    "汽车",
    "轨道交通",
    "电气",
    "电子",
    "仪器",
    "食品",
    "纺织",
];
const WORDS: [&str; 12] =
    ["稀土", "新材料", "铜业", "铝业", "锂电", "光伏", "风电", "机床", "精密", "智能", "环保", "生物"];
const BRANDS: [&str; 8] = ["华夏", "东方", "宏达", "金石", "中科", "恒信", "天成", "瑞丰"];
const SUFFIXES: [&str; 4] = ["有限公司", "股份有限公司", "集团有限公司", "科技有限公司"];

/// A fixed pseudo-random number for `index` and `salt` (SplitMix64): every enterprise
/// can be generated on its own, the same on every run.
fn mix(index: u64, salt: u64) -> u64 {
    let mut z = index.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(salt.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn chance(index: u64, salt: u64, per_mille: u64) -> bool {
    mix(index, salt) % 1000 < per_mille
}

/// The enterprise number `index`: one in ten in the province, the rest anywhere.
fn enterprise(index: u64, local: &[String], elsewhere: &[String]) -> EnterpriseData {
    let in_province = index.is_multiple_of(10);
    let places = if in_province { local } else { elsewhere };
    let region = &places[(mix(index, 1) % places.len() as u64) as usize];
    let industry = (mix(index, 2) % INDUSTRIES.len() as u64) as usize;
    let word = WORDS[(mix(index, 3) % WORDS.len() as u64) as usize];
    let tag_rates = [
        (Tag::Global500, 1),
        (Tag::China500, 2),
        (Tag::Private500, 2),
        (Tag::IndustryTop100, 5),
        (Tag::Listed, 20),
        (Tag::Specialised, 30),
        (Tag::LittleGiant, 5),
        (Tag::SingleChampion, 2),
        (Tag::HighTech, 100),
    ];
    let tags: Vec<Tag> = tag_rates
        .iter()
        .enumerate()
        .filter(|(salt, (_, rate))| chance(index, 10 + *salt as u64, *rate))
        .map(|(_, (tag, _))| *tag)
        .collect();
    let listed = tags.contains(&Tag::Listed);
    // Revenue from 1 million to 100 billion yuan, most of it small.
    let revenue = 1_000_000_i64 * 10_i64.pow((mix(index, 4) % 5) as u32) * (1 + (mix(index, 5) % 9) as i64);
    EnterpriseData {
        credit_code: with_check_char(&format!("91{region}{index:09}")).expect("17 characters"),
        name: format!(
            "{}{word}{}{}",
            BRANDS[(mix(index, 9) % BRANDS.len() as u64) as usize],
            TRADES[industry],
            SUFFIXES[(mix(index, 6) % 4) as usize]
        ),
        region_code: region.clone(),
        industry: INDUSTRIES[industry].to_string(),
        tags: tags.iter().map(|tag| tag.label()).collect::<Vec<_>>().join("、"),
        stock_code: if listed { format!("{:06}", 600_000 + index % 100_000) } else { String::new() },
        revenue: Some(revenue),
        employees: Some(10 + (mix(index, 7) % 5000) as i64),
        registered_capital: None,
        description: format!("从事{word}{}产品的研发、生产和销售", TRADES[industry]),
        is_target: !in_province,
    }
}

/// Chain `number` of the province's cities: 5 sub-chains of 10 links, the links
/// spread over the industries and the three segments.
fn chain(number: usize, cities: &[String]) -> ChainImport {
    let mut nodes = Vec::new();
    for sub in 0..SUB_CHAINS {
        let sub_name = format!("子链{}-{}", number, sub + 1);
        nodes.push(ChainNodeData { name: sub_name.clone(), kind: "sub_chain".into(), ..Default::default() });
        for link in 0..LINKS_PER_SUB_CHAIN {
            let segment = ["upstream", "midstream", "downstream"][link * 3 / LINKS_PER_SUB_CHAIN];
            nodes.push(ChainNodeData {
                name: format!("环节{}-{}-{}", number, sub + 1, link + 1),
                parent: sub_name.clone(),
                kind: "link".into(),
                segment: Some(segment.into()),
                industry: INDUSTRIES[(number + sub * LINKS_PER_SUB_CHAIN + link) % INDUSTRIES.len()].into(),
                ..Default::default()
            });
        }
    }
    ChainImport {
        chain: ChainData {
            name: format!("产业链{number:03}"),
            region_code: cities[number % cities.len()].clone(),
            lead_department: "工业和信息化局".into(),
            chief: "市委副书记".into(),
            description: String::new(),
        },
        nodes,
        leaders: Vec::new(),
    }
}

impl Bench<'_> {
    /// Loads the enterprises and chains, then times and checks search, gap analysis
    /// and target ranking.
    pub(crate) async fn enterprises_and_chains(&mut self, scale: f64) -> anyhow::Result<()> {
        let store = self.store;
        let regions = store.all_regions().await?;
        let counties = |inside: bool| -> Vec<String> {
            regions
                .iter()
                .filter(|r| r.level == 3 && r.code.starts_with("62") == inside)
                .map(|r| r.code.clone())
                .collect()
        };
        let (local, elsewhere) = (counties(true), counties(false));
        let cities: Vec<String> =
            regions.iter().filter(|r| r.level == 2 && r.code.starts_with("62")).map(|r| r.code.clone()).collect();
        let count = (ENTERPRISES_AT_SCALE_1 * scale).round().max(1000.0) as u64;
        let started = Instant::now();
        let mut ids_of_local: HashMap<String, Vec<i64>> = HashMap::new();
        let mut next = 0;
        while next < count {
            let batch: Vec<EnterpriseData> =
                (next..(next + LOAD_BATCH).min(count)).map(|i| enterprise(i, &local, &elsewhere)).collect();
            let ids = store.bulk_insert_enterprises(&batch, Utc::now()).await?;
            for (data, id) in batch.iter().zip(ids) {
                if data.region_code.starts_with("62") {
                    ids_of_local.entry(data.industry.clone()).or_default().push(id);
                }
            }
            next += LOAD_BATCH;
        }
        let loaded = started.elapsed();

        let actor = Actor::system("benchmark");
        let chain_count = (CHAINS_AT_SCALE_1 * scale).round().max(2.0) as usize;
        let chains: Vec<ChainImport> = (0..chain_count).map(|n| chain(n, &cities)).collect();
        let chain_ids = store.import_chains(&chains, &actor).await?;
        // Local enterprises on links: 0–6 per link, so every gap status occurs.
        let mut attachments = Vec::new();
        let mut taken: HashMap<String, usize> = HashMap::new();
        for chain_id in &chain_ids {
            for node in store.chain_nodes(*chain_id).await?.into_iter().filter(|n| n.kind == "link") {
                let wanted = (mix(node.id as u64, 8) % 7) as usize;
                let pool = ids_of_local.get(&node.industry).map(Vec::as_slice).unwrap_or_default();
                let cursor = taken.entry(node.industry.clone()).or_default();
                for _ in 0..wanted.min(pool.len()) {
                    attachments.push((node.id, pool[*cursor % pool.len()], "producer".to_string()));
                    *cursor += 1;
                }
            }
        }
        store.attach_enterprises(&attachments, &actor).await?;
        self.notes.push(format!(
            "enterprise library: {count} enterprises bulk-loaded in {:.1} s; {chain_count} chains × {} links, {} enterprises on links",
            loaded.as_secs_f64(),
            SUB_CHAINS * LINKS_PER_SUB_CHAIN,
            attachments.len()
        ));

        self.search(count).await?;
        self.gap_and_targets(chain_ids[0]).await
    }

    async fn search(&mut self, count: u64) -> anyhow::Result<()> {
        let started = Instant::now();
        let index = SearchIndex::open(self.store).await?;
        self.notes.push(format!(
            "search index: {} documents built in {:.1} s",
            index.document_count(),
            started.elapsed().as_secs_f64()
        ));
        self.checks.equal("search index holds every enterprise", &(index.document_count() >= count), &true);
        let baiyin = RecordScope::Within(RegionCode::parse("620400")?);
        let query =
            SearchQuery { text: "稀土 有色".into(), kind: Some(SearchKind::Enterprise), limit: 20, page: 1 };
        let (samples, hits) =
            crate::measure::time_runs(self.runs, async || Ok(index.search(&query, &baiyin).await?.items)).await?;
        self.checks.record(
            "search: every hit matches both words and lies in 白银市",
            hits.iter()
                .all(|hit| hit.region.starts_with("6204") && hit.name.contains("稀土") && hit.name.contains("有色")),
            || format!("{hits:?}"),
        );
        self.push("enterprise search \"稀土 有色\", enterprises in 620400".into(), samples, None, SEARCH_TARGET);
        let everywhere = SearchQuery { text: "锂电".into(), kind: Some(SearchKind::Enterprise), limit: 20, page: 1 };
        let (samples, hits) = crate::measure::time_runs(self.runs, async || {
            Ok(index.search(&everywhere, &RecordScope::All).await?.items)
        })
        .await?;
        self.checks
            .record("search: a common word finds a full page", hits.len() == 20, || format!("{} hits", hits.len()));
        self.push("enterprise search \"锂电\", whole country".into(), samples, None, SEARCH_TARGET);
        Ok(())
    }

    async fn gap_and_targets(&mut self, chain_id: i64) -> anyhow::Result<()> {
        let store = self.store;
        let province = RegionCode::parse("620000")?;
        let thresholds = GapThresholds::default();
        let (samples, map) =
            crate::measure::time_runs(
                self.runs,
                async || Ok(chain_map(store, chain_id, &province, &thresholds).await?),
            )
            .await?;
        let links = map.nodes.iter().filter(|n| n.status.is_some()).count();
        self.checks.equal("gap analysis: every link has a status", &(map.counts.total() as usize), &links);
        self.checks.equal("gap analysis: the chain has 50 links", &links, &(SUB_CHAINS * LINKS_PER_SUB_CHAIN));
        self.push(format!("gap analysis, {links}-link chain, province"), samples, None, GAP_TARGET);

        let link = map
            .nodes
            .iter()
            .find(|n| n.status.is_some_and(|s| s != zhaoshang_core::chains::GapStatus::Strong))
            .map(|n| n.node.clone())
            .ok_or_else(|| anyhow::anyhow!("the chain has no gap link"))?;
        let (samples, ranked) =
            crate::measure::time_runs(self.runs, async || Ok(rank_targets(store, &link, &province, 20).await?)).await?;
        self.checks.record(
            "target ranking: 20 targets outside the province, best first, parts adding up",
            ranked.len() == 20
                && ranked.windows(2).all(|w| w[0].score.total >= w[1].score.total)
                && ranked.iter().all(|t| {
                    !t.enterprise.region_code.starts_with("62")
                        && t.score.parts.iter().map(|p| p.points).sum::<u32>() == t.score.total
                }),
            || format!("{ranked:?}"),
        );
        self.push("target ranking, one link (top 20), province".into(), samples, None, RANKING_TARGET);
        Ok(())
    }
}
