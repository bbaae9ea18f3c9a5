//! Chambers and associations (商协会) as the pages and the command line use them: the
//! filtered registry, a chamber with its attributed projects, funds in place and
//! activities, the yearly assessment (先进商会, `zhaoshang stats chambers`), and the
//! network's report over any period (activities by kind, projects signed through chambers).
//!
//! Scope: the registry and the assessment are provincial figures and open to every role
//! that sees aggregates (admin, leader, region users, chain departments; `Section::Chambers`).
//! A chamber's projects are listed within the user's own project scope (a region user
//! sees its region's), so the page never shows another region's records.

use crate::attribution::GroupedFacts;
use crate::exchange::{ImportKind, NumberFormat, Table};
use crate::projects::{keyword, page_offset};
use crate::{App, AppError, AppResult};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use zhaoshang_core::access::{Principal, Section};
use zhaoshang_core::chambers::{
    assess, gaps_to_next_rank, Assessed, ChamberKind, ChamberLevel, LocationCounts, Weights, ABROAD,
};
use zhaoshang_core::metrics::{compute_figures, InvestmentFigures, Period};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::text::non_empty;
use zhaoshang_store::activities::Activity;
use zhaoshang_store::chambers::{Chamber, ChamberFilter, PublishedAssessment};
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::projects::Project;
use zhaoshang_store::stats::AttributionKey;
use zhaoshang_store::weights::{WeightVersion, CHAMBER_WEIGHTS};
use zhaoshang_store::Actor;
use zhaoshang_store::Store;

/// Projects shown on a chamber's page.
const PROJECTS_SHOWN: i64 = 200;

/// The registry list's request.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct ChamberQuery {
    pub kind: Option<String>,
    pub level: Option<String>,
    /// A division code or name anywhere in China, or 境外.
    pub location: Option<String>,
    pub q: Option<String>,
    pub page: Option<u32>,
}

pub struct ChamberPage {
    pub chambers: Vec<Chamber>,
    pub total: i64,
    /// Each chamber's location as shown ("上海市", "境外：新加坡").
    pub locations: HashMap<String, String>,
    /// Where the chambers of the other filters are (whatever the location asked for): the
    /// map of China.
    pub places: LocationCounts,
    /// The names of the provinces in `places`.
    pub province_names: HashMap<String, String>,
}

pub struct ChamberDetail {
    pub chamber: Chamber,
    pub location: String,
    /// Its attributed projects that the user reads, newest signing first.
    pub projects: Vec<Project>,
    pub project_count: i64,
    pub project_investment: Yuan,
    pub funds_in_place: Yuan,
    pub project_region_names: HashMap<String, String>,
    pub activities: Vec<Activity>,
}

/// `zhaoshang stats chambers --json` (SPEC.md "Statistics interfaces, continued").
#[derive(Debug, Clone, Serialize)]
pub struct ChamberAssessment {
    pub year: i32,
    #[serde(serialize_with = "weights_object")]
    pub weights: Weights,
    pub items: Vec<AssessmentItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentItem {
    pub chamber: String,
    pub leads: i64,
    pub signed_count: i64,
    pub signed_investment_wan: String,
    pub funds_in_place_wan: String,
    pub activities: i64,
    /// Rounded half up to two decimals.
    pub score: f64,
    pub rank: usize,
    /// The score it lacks to the rank above (rounded), none for the first: for the page
    /// (and kept with a published result, never printed by `stats chambers`).
    #[serde(skip_serializing, default)]
    pub gap: Option<f64>,
}

/// `{"leads": 0.15, …}` in the indicators' order.
fn weights_object<S: Serializer>(weights: &Weights, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(5))?;
    for (key, _, weight) in weights.entries() {
        map.serialize_entry(key, &weight)?;
    }
    map.end()
}

fn item_of(assessed: Assessed, gap: Option<f64>) -> AssessmentItem {
    let score = assessed.shown_score();
    let f = assessed.figures;
    AssessmentItem {
        chamber: f.chamber,
        leads: f.leads,
        signed_count: f.signed_count,
        signed_investment_wan: Yuan(f.signed_investment).wan_string(),
        funds_in_place_wan: Yuan(f.funds_in_place).wan_string(),
        activities: f.activities,
        score,
        rank: assessed.rank,
        gap: gap.map(|gap| zhaoshang_core::scores::round_half_up(gap, 2)),
    }
}

/// The weights in force: the newest version set by the administrator (its id), else
/// SPEC's defaults.
pub async fn weights_in_force(store: &Store) -> AppResult<(Option<i64>, Weights)> {
    Ok(match store.current_weights(&CHAMBER_WEIGHTS).await? {
        Some(version) => (Some(version.id), Weights::from_units(version.units)),
        None => (None, Weights::DEFAULT),
    })
}

/// Assesses every chamber of the registry for the calendar year `year` under the
/// weights in force (`zhaoshang stats chambers`).
pub async fn assessment(store: &Store, year: i32) -> AppResult<ChamberAssessment> {
    let (_, weights) = weights_in_force(store).await?;
    assessment_with(store, year, weights).await
}

/// Assesses every chamber of the registry for `year` under `weights`.
pub async fn assessment_with(store: &Store, year: i32, weights: Weights) -> AppResult<ChamberAssessment> {
    if !(1990..=2200).contains(&year) {
        return Err(AppError::Invalid(format!("年度“{year}”无效，应为如 2024 的年份")));
    }
    let assessed = assess(store.chamber_figures(year).await?, &weights);
    let gaps = gaps_to_next_rank(&assessed);
    let items = assessed.into_iter().zip(gaps).map(|(assessed, gap)| item_of(assessed, gap)).collect();
    Ok(ChamberAssessment { year, weights, items })
}

/// The assessment as a table (the page's XLSX download): rank first, money in 万元.
pub fn assessment_table(report: &ChamberAssessment) -> Table {
    let columns = [
        ("rank", "名次"),
        ("chamber", "商会名称"),
        ("leads", "提供线索"),
        ("signed_count", "签约项目"),
        ("signed_investment_wan", "签约投资额(万元)"),
        ("funds_in_place_wan", "到位资金(万元)"),
        ("activities", "参与活动"),
        ("score", "得分"),
    ];
    let mut table = Table::list(ImportKind::Chambers.label(), columns);
    table.rows = report
        .items
        .iter()
        .map(|item| {
            vec![
                item.rank.to_string(),
                item.chamber.clone(),
                item.leads.to_string(),
                item.signed_count.to_string(),
                item.signed_investment_wan.clone(),
                item.funds_in_place_wan.clone(),
                item.activities.to_string(),
                format!("{:.2}", item.score),
            ]
        })
        .collect();
    table
}

/// The award list (先进商会): the first `top` of the assessment.
pub fn award_table(report: &ChamberAssessment, top: usize) -> Table {
    let columns = [("rank", "名次"), ("chamber", "商会名称"), ("score", "得分"), ("award", "称号")];
    let mut table = Table::list("先进商会", columns);
    table.rows = report
        .items
        .iter()
        .take(top)
        .map(|item| vec![item.rank.to_string(), item.chamber.clone(), format!("{:.2}", item.score), AWARD.to_string()])
        .collect();
    table
}

/// The title the award list gives.
pub const AWARD: &str = "先进商会";

/// How many chambers the award list names unless asked otherwise.
pub const DEFAULT_AWARDS: usize = 10;

/// The assessment page of a year: today's assessment under the weights in force, and
/// the result published for that year (with the weights it used), if any.
pub struct AssessmentView {
    pub current: ChamberAssessment,
    pub current_version: Option<i64>,
    pub published: Option<PublishedView>,
    /// Every version of the weights, newest first.
    pub versions: Vec<WeightVersion>,
}

pub struct PublishedView {
    pub assessment: ChamberAssessment,
    pub weights_version: Option<i64>,
    pub published_by: String,
    pub published_at: chrono::DateTime<chrono::Utc>,
    /// Whether today's data under the published weights give another result.
    pub differs_today: bool,
}

impl AssessmentView {
    /// The result the page and its downloads show: the published one when there is one.
    pub fn shown(&self) -> &ChamberAssessment {
        self.published.as_ref().map_or(&self.current, |p| &p.assessment)
    }
}

/// The items with their gaps, as a published result keeps them.
fn stored_items(items: &[AssessmentItem]) -> AppResult<String> {
    let values: Vec<serde_json::Value> = items
        .iter()
        .map(|item| {
            let mut value = serde_json::to_value(item).map_err(AppError::internal)?;
            value["gap"] = serde_json::json!(item.gap);
            Ok(value)
        })
        .collect::<AppResult<_>>()?;
    serde_json::to_string(&values).map_err(AppError::internal)
}

impl App {
    fn may_open_chambers(&self, principal: &Principal) -> AppResult<()> {
        if principal.may_open(Section::Chambers) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// A chamber's location as shown: the division's full name, or the place abroad.
    async fn location_names(&self, chambers: &[&Chamber]) -> AppResult<HashMap<String, String>> {
        let codes =
            chambers.iter().map(|c| c.data.location.clone()).filter(|l| !l.is_empty() && !l.starts_with(ABROAD));
        let mut names = self.full_region_names(codes).await?;
        for chamber in chambers {
            let location = &chamber.data.location;
            let name = names.entry(location.clone()).or_default();
            if name.is_empty() {
                name.clone_from(location);
            }
        }
        Ok(names)
    }

    async fn chamber_filter(&self, query: &ChamberQuery) -> AppResult<ChamberFilter> {
        let kind = match non_empty(query.kind.as_deref()) {
            None => None,
            Some(text) => Some(ChamberKind::parse(text).map_err(AppError::bad_request)?.key().to_string()),
        };
        let level = match non_empty(query.level.as_deref()) {
            None => None,
            Some(text) => Some(ChamberLevel::parse(text).map_err(AppError::bad_request)?.key().to_string()),
        };
        let location_prefix = match non_empty(query.location.as_deref()) {
            None => None,
            Some(text) if text.starts_with(ABROAD) => Some(format!("{ABROAD}：")),
            Some(text) => Some(self.known_region(text).await?.scope_prefix().to_string()),
        };
        Ok(ChamberFilter { kind, level, location_prefix, keyword: keyword(&query.q)? })
    }

    /// One page of the registry.
    pub async fn chamber_page(
        &self,
        principal: &Principal,
        query: &ChamberQuery,
        per_page: i64,
    ) -> AppResult<ChamberPage> {
        self.may_open_chambers(principal)?;
        let filter = self.chamber_filter(query).await?;
        let (_, offset) = page_offset(query.page, per_page);
        let total = self.store().chamber_count(&filter).await?;
        let chambers = self.store().chambers_page(&filter, per_page, offset).await?;
        let locations = self.location_names(&chambers.iter().collect::<Vec<_>>()).await?;
        let anywhere = ChamberFilter { location_prefix: None, ..filter };
        let stored = self.store().chamber_location_counts(&anywhere).await?;
        let places = LocationCounts::of(stored.iter().map(|(location, count)| (location.as_str(), *count)));
        let province_names = self.region_names(places.provinces.keys().cloned()).await?;
        Ok(ChamberPage { chambers, total, locations, places, province_names })
    }

    /// A chamber with its attributed projects (within the user's project scope), their
    /// funds in place and the activities it took part in.
    pub async fn chamber_detail(&self, principal: &Principal, id: i64) -> AppResult<ChamberDetail> {
        self.may_open_chambers(principal)?;
        let store = self.store();
        let chamber = store.chamber(id).await?.ok_or_else(|| AppError::not_found("该商会"))?;
        let scope = self.project_scope(principal).await?;
        let filter = ProjectFilter {
            region_prefix: scope.regions.prefix().ok_or(AppError::Forbidden)?.to_string(),
            chains_in: scope.chains.clone(),
            source_org: Some(chamber.data.name.clone()),
            ..Default::default()
        };
        let projects = store.list_projects(&filter, ProjectSort::SignedDesc, PROJECTS_SHOWN, 0).await?;
        let totals = store.project_totals(&filter).await?;
        let funds_in_place = Yuan(store.funds_of_projects(&filter).await?);
        let project_region_names = self.region_names(projects.iter().map(|p| p.data.region_code.clone())).await?;
        let activities = store.activities_of_chamber(id).await?;
        let location = self.location_names(&[&chamber]).await?.remove(&chamber.data.location).unwrap_or_default();
        Ok(ChamberDetail {
            chamber,
            location,
            projects,
            project_count: totals.count,
            project_investment: Yuan(totals.total_investment),
            funds_in_place,
            project_region_names,
            activities,
        })
    }

    /// The assessment of a year for the page and its downloads: today's, and the
    /// published one with the weights it used.
    pub async fn chamber_assessment(&self, principal: &Principal, year: i32) -> AppResult<AssessmentView> {
        self.may_open_chambers(principal)?;
        let store = self.store();
        let (current_version, weights) = weights_in_force(store).await?;
        let current = assessment_with(store, year, weights).await?;
        let versions = store.weight_versions(&CHAMBER_WEIGHTS).await?;
        let published = match store.published_chamber_assessment(year).await? {
            None => None,
            Some(stored) => {
                let weights = match stored.weights_version {
                    None => Weights::DEFAULT,
                    Some(id) => {
                        let version = store
                            .weight_version(&CHAMBER_WEIGHTS, id)
                            .await?
                            .ok_or_else(|| AppError::not_found("该权重版本"))?;
                        Weights::from_units(version.units)
                    }
                };
                let items: Vec<AssessmentItem> = serde_json::from_str(&stored.result).map_err(AppError::internal)?;
                let today = if stored.weights_version == current_version {
                    current.items.clone()
                } else {
                    assessment_with(store, year, weights).await?.items
                };
                Some(PublishedView {
                    differs_today: today != items,
                    assessment: ChamberAssessment { year, weights, items },
                    weights_version: stored.weights_version,
                    published_by: stored.published_by,
                    published_at: stored.published_at,
                })
            }
        };
        Ok(AssessmentView { current, current_version, published, versions })
    }

    /// Sets new weights (admin only): each non-negative, together 1; a new version comes
    /// into force, audited.
    pub async fn set_chamber_weights(&self, principal: &Principal, actor: &Actor, typed: [&str; 5]) -> AppResult<i64> {
        crate::accounts::require_admin(principal)?;
        let weights = Weights::parse(typed).map_err(|errors| {
            AppError::Invalid(errors.into_iter().map(|(_, message)| message).collect::<Vec<_>>().join("；"))
        })?;
        let describe = |units: &[i64; 5]| Weights::from_units(*units).describe();
        Ok(self.store().add_weights(&CHAMBER_WEIGHTS, weights.units(), describe, crate::calendar::now(), actor).await?)
    }

    /// Publishes a finished year's assessment under the weights in force (admin only,
    /// once): its result stays as published whatever changes later.
    pub async fn publish_chamber_assessment(&self, principal: &Principal, actor: &Actor, year: i32) -> AppResult<()> {
        crate::accounts::require_admin(principal)?;
        if year >= chrono::Datelike::year(&crate::calendar::today()) {
            return Err(AppError::Invalid(format!("{year} 年度尚未结束，只能发布已结束年度的评价结果")));
        }
        let store = self.store();
        let (version, weights) = weights_in_force(store).await?;
        let report = assessment_with(store, year, weights).await?;
        let published = PublishedAssessment {
            year,
            weights_version: version,
            result: stored_items(&report.items)?,
            published_by: actor.name.clone(),
            published_at: crate::calendar::now(),
        };
        store.publish_chamber_assessment(&published, report.items.len(), actor).await?;
        Ok(())
    }
}

/// The chamber network's report's request (商会招商工作统计): the dashboard's region and period.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct NetworkQuery {
    pub region: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub format: Option<String>,
}

/// The activities of one kind that chambers took part in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindFigures {
    pub kind: String,
    pub activities: i64,
    /// Chambers that took part in at least one of them.
    pub chambers: i64,
}

/// One chamber's part: its activities of each kind (in the order of the report's kinds)
/// and the metrics of the projects it brought.
pub struct NetworkRow {
    pub chamber: String,
    pub chamber_id: i64,
    pub activities: Vec<i64>,
    pub projects: InvestmentFigures,
}

/// What the chamber network did in a period (the federation's 工作统计): the activities
/// that chambers of the registry took part in, by kind, and the projects signed through
/// them (来源单位 a chamber of the registry) in the region within the user's scope, with
/// the metrics table's own definitions (signed: in the period and not dropped).
pub struct NetworkReport {
    pub region: RegionCode,
    pub region_name: String,
    pub period: Period,
    /// The kinds in the import's usual order, then any others by name.
    pub kinds: Vec<KindFigures>,
    /// The activities, the earliest first.
    pub activities: Vec<Activity>,
    /// Chambers with an activity or a project signed in the period: most projects signed
    /// first, then the largest amount, then by name.
    pub rows: Vec<NetworkRow>,
    /// All projects brought by chambers together.
    pub total: InvestmentFigures,
}

/// The activities that started within `period` with at least one chamber taking part,
/// the earliest first.
fn network_activities(all: Vec<Activity>, period: Period) -> Vec<Activity> {
    let mut taken: Vec<Activity> = all
        .into_iter()
        .filter(|a| !a.chambers.is_empty() && a.start_on.is_some_and(|day| period.from <= day && day <= period.to))
        .collect();
    taken.sort_by(|a, b| a.start_on.cmp(&b.start_on).then_with(|| a.name.cmp(&b.name)));
    taken
}

/// The kinds of `activities` with their counts, in `core::activities::KINDS`' order, then others.
fn kind_figures(activities: &[Activity]) -> Vec<KindFigures> {
    let mut by_kind: BTreeMap<&str, (i64, BTreeSet<&str>)> = BTreeMap::new();
    for activity in activities {
        let (count, chambers) = by_kind.entry(activity.kind.as_str()).or_default();
        *count += 1;
        chambers.extend(activity.chambers.iter().map(String::as_str));
    }
    let rank = |kind: &str| {
        zhaoshang_core::activities::KINDS
            .iter()
            .position(|k| *k == kind)
            .unwrap_or(zhaoshang_core::activities::KINDS.len())
    };
    let mut kinds: Vec<KindFigures> = by_kind
        .into_iter()
        .map(|(kind, (activities, chambers))| KindFigures {
            kind: kind.to_string(),
            activities,
            chambers: chambers.len() as i64,
        })
        .collect();
    kinds.sort_by(|a, b| rank(&a.kind).cmp(&rank(&b.kind)).then_with(|| a.kind.cmp(&b.kind)));
    kinds
}

impl App {
    /// The chamber network's report for a region and period within the user's scope.
    pub async fn chamber_network(&self, principal: &Principal, query: &NetworkQuery) -> AppResult<NetworkReport> {
        self.may_open_chambers(principal)?;
        let GroupedFacts { region, region_name, period, groups, .. } = self
            .grouped_facts(
                principal,
                AttributionKey::SourceOrg,
                query.region.as_deref(),
                query.from.as_deref(),
                query.to.as_deref(),
            )
            .await?;
        let chambers: HashMap<String, i64> =
            self.store().all_chambers().await?.into_iter().map(|c| (c.data.name, c.id)).collect();
        let activities = network_activities(self.store().activities().await?, period);
        let kinds = kind_figures(&activities);
        let mut names: BTreeSet<&str> =
            groups.keys().map(String::as_str).filter(|name| chambers.contains_key(*name)).collect();
        names.extend(activities.iter().flat_map(|a| a.chambers.iter().map(String::as_str)));
        let (mut all_projects, mut all_funding) = (Vec::new(), Vec::new());
        let mut rows = Vec::new();
        for name in names {
            // A chamber created or renamed between the two reads above waits for the next report.
            let Some(&chamber_id) = chambers.get(name) else { continue };
            let (projects, funding) = groups.get(name).cloned().unwrap_or_default();
            all_projects.extend_from_slice(&projects);
            all_funding.extend_from_slice(&funding);
            let projects = compute_figures(&projects, &funding, period);
            let taken_part = |kind: &KindFigures| {
                activities.iter().filter(|a| a.kind == kind.kind && a.chambers.iter().any(|c| c == name)).count() as i64
            };
            let activities = kinds.iter().map(taken_part).collect::<Vec<_>>();
            if projects.signed_count == 0 && activities.iter().all(|n| *n == 0) {
                continue;
            }
            rows.push(NetworkRow { chamber: name.to_string(), chamber_id, activities, projects });
        }
        let key = |row: &NetworkRow| (row.projects.signed_count, row.projects.signed_investment);
        rows.sort_by(|a, b| key(b).cmp(&key(a)).then_with(|| a.chamber.cmp(&b.chamber)));
        let total = compute_figures(&all_projects, &all_funding, period);
        Ok(NetworkReport { region, region_name, period, kinds, activities, rows, total })
    }
}

/// The report as a workbook: a row per chamber (its activities of each kind, the projects
/// it brought) and the totals, where each kind counts its activities once.
pub fn network_table(report: &NetworkReport) -> Table {
    let title = format!("{}商会招商工作统计（{} 至 {}）", report.region_name, report.period.from, report.period.to);
    let columns = std::iter::once(("商会".to_string(), NumberFormat::Text))
        .chain(report.kinds.iter().map(|k| (format!("{}(次)", k.kind), NumberFormat::Whole)))
        .chain([
            ("签约项目(个)".to_string(), NumberFormat::Whole),
            ("签约投资额(万元)".to_string(), NumberFormat::Decimal),
            ("到位资金(万元)".to_string(), NumberFormat::Decimal),
        ]);
    let mut table = Table::report("商会招商工作", title, columns, 1);
    let cells = |name: &str, activities: Vec<i64>, projects: &InvestmentFigures| -> Vec<String> {
        std::iter::once(name.to_string())
            .chain(activities.into_iter().map(|n| n.to_string()))
            .chain([
                projects.signed_count.to_string(),
                projects.signed_investment.wan_string(),
                projects.funds_in_place.wan_string(),
            ])
            .collect()
    };
    for row in &report.rows {
        table.rows.push(cells(&row.chamber, row.activities.clone(), &row.projects));
    }
    table.rows.push(cells("合计", report.kinds.iter().map(|k| k.activities).collect(), &report.total));
    table
}
