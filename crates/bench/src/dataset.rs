//! The benchmark's dataset: a province's years of projects and funds in place,
//! generated deterministically. Every value is a hash of the row's index, so a scale
//! always gives the same rows, on either backend, and any row can be made alone.

use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeMap;
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_core::metrics::FundingSource;
use zhaoshang_core::projects::Stage;
use zhaoshang_store::bulk::{BulkFunding, BulkProject};
use zhaoshang_store::projects::{ProjectData, Target};
use zhaoshang_store::reference::Region;

pub const PROJECTS_AT_SCALE_1: f64 = 1_000_000.0;
pub const FUNDING_AT_SCALE_1: f64 = 10_000_000.0;
pub const PROVINCE: &str = "620000";

/// The data covers 2019–2024.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 1, 1).expect("valid date")
}

pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 31).expect("valid date")
}

/// Signings stop this many days before the data ends, so that every funded project
/// has some days for funds to arrive on.
const FUNDING_DAYS_AFTER_LAST_SIGNING: u64 = 31;

/// Funds arrive within this many days (three years) of signing.
const FUNDING_DAYS: u64 = 3 * 365;

pub const CHAINS: &[&str] = &[
    "",
    "新能源",
    "冶金有色",
    "石油化工",
    "新材料",
    "装备制造",
    "生物医药",
    "现代农业",
    "数据信息",
    "文化旅游",
    "现代物流",
    "绿色建材",
];
const PRODUCTS: &[&str] = &[
    "年产5万吨新型建材",
    "200兆瓦光伏发电",
    "100兆瓦风电",
    "铜铝精深加工",
    "中药材精深加工",
    "数据中心",
    "冷链物流园",
    "高标准农田与设施农业",
    "文旅综合体",
    "锂电池正极材料",
    "氢能装备制造",
    "精细化工",
];
const SUFFIXES: &[&str] = &["项目", "建设项目", "一期项目", "扩建项目"];
const INVESTOR_PLACES: &[(&str, &str)] = &[
    ("上海", "上海市"),
    ("深圳", "广东省"),
    ("杭州", "浙江省"),
    ("苏州", "江苏省"),
    ("北京", "北京市"),
    ("天津", "天津市"),
    ("青岛", "山东省"),
    ("成都", "四川省"),
    ("西安", "陕西省"),
    ("兰州", "甘肃省"),
    ("香港", "香港特别行政区"),
];
const INVESTOR_WORDS: &[&str] = &["华能", "中恒", "金川", "宏达", "远景", "正泰", "恒信", "明阳", "国泰", "长城"];
const INVESTOR_FORMS: &[&str] = &["集团有限公司", "股份有限公司", "实业有限公司", "科技有限公司"];
/// Investors named by credit code at scale 1. As in real ledgers, most projects
/// (`NAMED_OUT_OF_TEN` in ten) name one of them, and each appears in several cities.
const NAMED_INVESTORS_AT_SCALE_1: f64 = 20_000.0;
const NAMED_OUT_OF_TEN: u64 = 6;
const INVESTOR_TYPES: &[&str] = &["民营", "民营", "民营", "国有", "国有", "外资", "港澳台"];
const INDUSTRIES: &[&str] = &["13", "26", "27", "30", "31", "32", "34", "38", "44", "54", "59", "64", "87"];
const SOURCES: &[&str] = &["商会", "招商顾问", "驻点招商", "展会/节会", "委托招商", "以商招商", "自主招商", "网上选地"];

/// Chambers of the registry (issue 18's benchmark: the default scale plus 3,000), to
/// which a third of the projects are attributed.
pub const CHAMBERS: u64 = 3_000;

/// Chamber number `n`'s name (来源单位 of its projects).
pub fn chamber_name(n: u64) -> String {
    format!("基准商会{:04}", n + 1)
}

/// The chamber project `index` is attributed to: every third project's, spread over all.
pub fn attributed_chamber(index: u64) -> Option<u64> {
    index.is_multiple_of(3).then(|| mix(index ^ 0xC4A3_BE55) % CHAMBERS)
}

/// SplitMix64's finaliser: a well-mixed 64-bit hash of a 64-bit input.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Which aspect of a row a stream of draws decides; each has its own stream, so the
/// stage of a project can be drawn without drawing the rest of it.
#[derive(Clone, Copy)]
enum Stream {
    Project = 1,
    Stage = 2,
    Funding = 3,
    Import = 4,
    ImportStage = 5,
    Investor = 6,
}

/// The pseudo-random draws of one row of one stream.
struct Draws(u64);

impl Draws {
    fn new(stream: Stream, index: u64) -> Draws {
        Draws(mix((stream as u64) << 56 ^ index))
    }

    fn next(&mut self) -> u64 {
        self.0 = mix(self.0);
        self.0
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn day_after(date: NaiveDate, days: u64) -> NaiveDate {
    date + Days::new(days)
}

/// Where projects are: Gansu's counties, and its cities for city-level projects.
#[derive(Debug, Clone)]
pub struct Places {
    pub cities: Vec<Region>,
    pub counties: Vec<Region>,
}

impl Places {
    /// Picks the province's cities and counties out of all divisions.
    pub fn of_province(regions: &[Region]) -> Places {
        let in_province = |level: i64| -> Vec<Region> {
            regions.iter().filter(|r| r.code.starts_with(&PROVINCE[..2]) && r.level == level).cloned().collect()
        };
        Places { cities: in_province(2), counties: in_province(3) }
    }
}

/// The stage and milestone dates of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Milestones {
    stage: Stage,
    signed_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    producing_on: Option<NaiveDate>,
}

impl Milestones {
    /// A few leads and negotiations, a few dropped (half of them after signing); the
    /// rest signed between 2019 and late 2024 and moved on as time allowed, so that
    /// older projects are mostly producing by the end of 2024, as in a real pipeline.
    fn of(stream: Stream, index: u64) -> Milestones {
        let mut d = Draws::new(stream, index);
        let signing_days = (last_day() - first_day()).num_days() as u64 - FUNDING_DAYS_AFTER_LAST_SIGNING;
        let signed_on = day_after(first_day(), d.below(signing_days + 1));
        let class = d.below(100);
        let unsigned = |stage| Milestones { stage, signed_on: None, started_on: None, producing_on: None };
        if class < 5 {
            return unsigned(Stage::Lead);
        }
        if class < 10 {
            return unsigned(Stage::Negotiating);
        }
        if class < 15 {
            let signed_on = (class < 13).then_some(signed_on);
            return Milestones { stage: Stage::Dropped, signed_on, started_on: None, producing_on: None };
        }
        let started_on = Some(day_after(signed_on, 15 + d.below(500))).filter(|day| *day <= last_day());
        let producing_on = started_on.map(|day| day_after(day, 90 + d.below(720))).filter(|day| *day <= last_day());
        let stage = match (started_on, producing_on) {
            (_, Some(_)) => Stage::Producing,
            (Some(_), None) => Stage::Started,
            (None, None) => Stage::Signed,
        };
        Milestones { stage, signed_on: Some(signed_on), started_on, producing_on }
    }

    /// The days on which funds may arrive: from signing, for three years or until the
    /// data ends. Projects that were signed receive funds even if dropped later (the
    /// metrics count those funds too).
    fn funding_days(&self) -> u64 {
        self.signed_on.map_or(0, |signed_on| ((last_day() - signed_on).num_days() as u64 + 1).min(FUNDING_DAYS))
    }
}

/// Total investment in yuan: a mantissa of 100–999 万元 times 1, 10, 100 or 1000, so
/// that sizes spread from 1 million to 10 billion yuan and the 10000 万元 boundary
/// itself occurs.
fn total_investment(d: &mut Draws) -> i64 {
    let mantissa = 100 + d.below(900) as i64;
    let magnitude = match d.below(100) {
        0..15 => 1,
        15..50 => 10,
        50..90 => 100,
        _ => 1000,
    };
    mantissa * magnitude * 10_000
}

/// A dataset of a given scale over a province's places.
pub struct Dataset {
    pub projects: u64,
    pub funding: u64,
    /// Investors named by credit code (`NAMED_INVESTORS_AT_SCALE_1` × scale).
    named_investors: u64,
    places: Places,
    /// The funding days (`Milestones::funding_days`) of all projects together.
    funding_days: u128,
}

/// Projects of one batch with their funding records; batches come in index order.
pub struct Batch {
    pub projects: Vec<BulkProject>,
    pub funding: Vec<BulkFunding>,
}

impl Dataset {
    pub fn new(scale: f64, places: Places) -> Dataset {
        assert!(!places.counties.is_empty() && !places.cities.is_empty(), "the province has no divisions loaded");
        let projects = (scale * PROJECTS_AT_SCALE_1).round() as u64;
        let funding_days: u128 =
            (0..projects).map(|index| Milestones::of(Stream::Stage, index).funding_days() as u128).sum();
        let funding = if funding_days == 0 { 0 } else { (scale * FUNDING_AT_SCALE_1).round() as u64 };
        // At most one record per two funding days on average, so that a project always
        // has at least as many days as records (its window is 31 days or more).
        assert!(2 * funding as u128 <= funding_days, "too many funding records for distinct dates");
        let named_investors = ((scale * NAMED_INVESTORS_AT_SCALE_1).round() as u64).max(1);
        Dataset { projects, funding, named_investors, places, funding_days }
    }

    /// How many records a project with `days` funding days gets, when the projects
    /// before it have `days_before`: in proportion to its days, as evenly as whole
    /// numbers allow, so that all add up to exactly `funding` and every day of the
    /// data sees funds at about the same rate.
    fn records_of(&self, days_before: u128, days: u64) -> u64 {
        let share = |days: u128| (days * self.funding as u128 / self.funding_days) as u64;
        share(days_before + days as u128) - share(days_before)
    }

    /// The project of row `index` (code `BENCH-0000001` for index 0).
    pub fn project(&self, index: u64) -> ProjectData {
        self.project_of(Stream::Project, Stream::Stage, "BENCH", index)
    }

    /// Row `index` of the import file: projects like the others, under codes no
    /// generated project has.
    pub fn import_project(&self, index: u64) -> ProjectData {
        self.project_of(Stream::Import, Stream::ImportStage, "IMPORT", index)
    }

    fn project_of(&self, stream: Stream, stage_stream: Stream, code_prefix: &str, index: u64) -> ProjectData {
        let mut d = Draws::new(stream, index);
        let milestones = Milestones::of(stage_stream, index);
        // One project in ten is a city's own (a city-level park); the rest are in counties.
        let region = if d.below(10) == 0 { d.pick(&self.places.cities) } else { d.pick(&self.places.counties) };
        let chain = d.pick(CHAINS).to_string();
        let (city_word, origin) = *d.pick(INVESTOR_PLACES);
        let investor = format!("{city_word}{}{}", d.pick(INVESTOR_WORDS), d.pick(INVESTOR_FORMS));
        let name = format!("{}{}{}", region.name, d.pick(PRODUCTS), d.pick(SUFFIXES));
        let dropped = milestones.stage == Stage::Dropped;
        let mut project = ProjectData {
            code: format!("{code_prefix}-{:07}", index + 1),
            name,
            region_code: region.code.clone(),
            chain_node: if chain.is_empty() { String::new() } else { format!("{chain}下游") },
            chain,
            investor,
            investor_origin: origin.to_string(),
            investor_type: d.pick(INVESTOR_TYPES).to_string(),
            industry: d.pick(INDUSTRIES).to_string(),
            total_investment: total_investment(&mut d),
            stage: milestones.stage.key().to_string(),
            signed_on: milestones.signed_on,
            started_on: milestones.started_on,
            producing_on: milestones.producing_on,
            dropped_reason: if dropped { "投资方调整投资计划".to_string() } else { String::new() },
            source: d.pick(SOURCES).to_string(),
            department: format!("{}商务局", region.name),
            ..ProjectData::default()
        };
        // Drawn last, so that the draws above are those of a dataset without credit codes.
        if d.below(10) < NAMED_OUT_OF_TEN {
            self.name_investor(&mut project, d.below(self.named_investors));
        }
        // The generated projects, not the import's new ones.
        if matches!(stream, Stream::Project) {
            if let Some(chamber) = attributed_chamber(index) {
                project.source_org = chamber_name(chamber);
            }
        }
        project
    }

    /// Names investor `index` on `project`: its credit code (in a division no generated
    /// enterprise has, so the enterprise library is untouched), name and origin.
    fn name_investor(&self, project: &mut ProjectData, index: u64) {
        let mut d = Draws::new(Stream::Investor, index);
        let (city_word, origin) = *d.pick(INVESTOR_PLACES);
        project.investor = format!("{city_word}{}{}", d.pick(INVESTOR_WORDS), d.pick(INVESTOR_FORMS));
        project.investor_origin = origin.to_string();
        project.investor_credit_code = with_check_char(&format!("91990000{index:09}")).expect("17 characters");
    }

    /// The funding records of a project: dates strictly increasing over its funding
    /// days, one per slot of those days, so no two records of a project can collide
    /// on the table's unique key; amounts add up to 10–90% of its total investment.
    fn funding_of(&self, project_id: u64, project: &ProjectData, days: u64, records: u64) -> Vec<BulkFunding> {
        let Some(signed_on) = project.signed_on else {
            return Vec::new();
        };
        let mut d = Draws::new(Stream::Funding, project_id);
        let share_percent = 10 + d.below(81) as i64;
        let per_record = project.total_investment * share_percent / 100 / records.max(1) as i64;
        (0..records)
            .map(|k| {
                let slot_start = k * days / records;
                let slot_end = (k + 1) * days / records;
                let source = match d.below(10) {
                    0..7 => FundingSource::OutsideProvince,
                    7 => FundingSource::Abroad,
                    _ => FundingSource::WithinProvince,
                };
                // Whole 万元 of 50–150% of the even share, at least 1 万元.
                let amount = (per_record / 2 + d.below(per_record.max(1) as u64) as i64) / 10_000 * 10_000;
                BulkFunding {
                    project_id: project_id as i64,
                    region_code: project.region_code.clone(),
                    chain: project.chain.clone(),
                    funded_on: day_after(signed_on, slot_start + d.below(slot_end - slot_start)),
                    amount: amount.max(10_000),
                    source: source.key().to_string(),
                }
            })
            .collect()
    }

    /// The rows in batches of `batch_size` projects, in index order; project ids are
    /// index + 1, as in a fresh database.
    pub fn batches(&self, batch_size: u64) -> Batches<'_> {
        Batches { dataset: self, next_index: 0, funding_days_before: 0, batch_size }
    }
}

pub struct Batches<'a> {
    dataset: &'a Dataset,
    next_index: u64,
    funding_days_before: u128,
    batch_size: u64,
}

impl Iterator for Batches<'_> {
    type Item = Batch;

    fn next(&mut self) -> Option<Batch> {
        let dataset = self.dataset;
        if self.next_index >= dataset.projects {
            return None;
        }
        let end = (self.next_index + self.batch_size).min(dataset.projects);
        let mut batch = Batch { projects: Vec::new(), funding: Vec::new() };
        for index in self.next_index..end {
            let id = index + 1;
            let data = dataset.project(index);
            let days = Milestones::of(Stream::Stage, index).funding_days();
            if days > 0 {
                let records = dataset.records_of(self.funding_days_before, days);
                self.funding_days_before += days as u128;
                batch.funding.extend(dataset.funding_of(id, &data, days, records));
            }
            batch.projects.push(BulkProject { id: id as i64, data });
        }
        self.next_index = end;
        Some(batch)
    }
}

/// Yearly funds targets of each city: 110% of what its funding records bring that
/// year, rounded to 万元, so the figures look like a year's plan nearly met.
#[derive(Default)]
pub struct TargetPlan {
    funds_by_city_year: BTreeMap<(String, i32), i64>,
}

impl TargetPlan {
    pub fn add(&mut self, records: &[BulkFunding]) {
        for record in records {
            let city = format!("{}00", &record.region_code[..4]);
            *self.funds_by_city_year.entry((city, record.funded_on.year())).or_default() += record.amount;
        }
    }

    pub fn targets(&self) -> Vec<Target> {
        self.funds_by_city_year
            .iter()
            .map(|((city, year), funds)| Target {
                region_code: city.clone(),
                year: *year as i64,
                funds_target: Some(funds * 11 / 10 / 10_000 * 10_000),
                signed_investment_target: None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Places {
        let region = |code: &str, name: &str, level| Region {
            code: code.to_string(),
            name: name.to_string(),
            level,
            parent_code: None,
        };
        Places {
            cities: vec![region("620500", "天水市", 2), region("620200", "嘉峪关市", 2)],
            counties: vec![region("620503", "麦积区", 3), region("620502", "秦州区", 3)],
        }
    }

    #[test]
    fn the_same_scale_gives_the_same_rows_and_exact_counts() {
        let first: Vec<Batch> = Dataset::new(0.002, places()).batches(300).collect();
        let second: Vec<Batch> = Dataset::new(0.002, places()).batches(700).collect();
        let flatten = |batches: &[Batch]| {
            let projects: Vec<BulkProject> = batches.iter().flat_map(|b| b.projects.clone()).collect();
            let funding: Vec<BulkFunding> = batches.iter().flat_map(|b| b.funding.clone()).collect();
            (projects, funding)
        };
        let (projects, funding) = flatten(&first);
        assert_eq!((projects.len(), funding.len()), (2_000, 20_000));
        assert_eq!(flatten(&second), (projects, funding));
    }

    #[test]
    fn funding_keys_are_unique_and_dates_follow_signing() {
        let dataset = Dataset::new(0.002, places());
        let mut keys = std::collections::HashSet::new();
        for batch in dataset.batches(500) {
            let projects: std::collections::HashMap<i64, &ProjectData> =
                batch.projects.iter().map(|p| (p.id, &p.data)).collect();
            for record in &batch.funding {
                let project = projects[&record.project_id];
                let signed_on = project.signed_on.unwrap();
                assert!(signed_on <= record.funded_on && record.funded_on <= last_day());
                assert!(record.funded_on < signed_on + Days::new(FUNDING_DAYS));
                assert!(record.amount >= 10_000 && record.amount % 10_000 == 0);
                assert!(keys.insert((record.project_id, record.funded_on, record.amount, record.source.clone())));
            }
        }
    }

    #[test]
    fn milestones_are_in_order_and_stages_match_them() {
        for index in 0..5_000 {
            let m = Milestones::of(Stream::Stage, index);
            assert!(m.signed_on.is_none_or(|d| first_day() <= d && d <= last_day()));
            assert!(m.started_on.is_none_or(|d| Some(d) >= m.signed_on && d <= last_day()));
            assert!(m.producing_on.is_none_or(|d| Some(d) >= m.started_on && d <= last_day()));
            match m.stage {
                Stage::Producing => assert!(m.producing_on.is_some()),
                Stage::Started => assert!(m.started_on.is_some() && m.producing_on.is_none()),
                Stage::Signed => assert!(m.signed_on.is_some() && m.started_on.is_none()),
                _ => assert!(m.started_on.is_none()),
            }
        }
    }
}
