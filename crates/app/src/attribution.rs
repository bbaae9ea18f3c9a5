//! Attribution in the figures (SPEC.md area 3, issue 18 point 4): every figure of the
//! metrics table per source organisation (来源单位: a chamber's name …) or per source
//! (项目来源: 商会, 招商顾问, 驻点招商 …), for a period and a region within the user's
//! project scope. The figures are `core::metrics`'s own definitions, applied to each
//! group's projects and funding, so a group's funds in place are the sum of its
//! projects' funding records dated in the period (what its drill-down lists).

use crate::exchange::{NumberFormat, Table};
use crate::{App, AppResult};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use zhaoshang_core::access::Principal;
use zhaoshang_core::metrics::{compute_figures, FundingFact, InvestmentReport, Period, ProjectFact};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::stats::AttributionKey;

/// The page's request: `by=org` (default) or `by=source`, the dashboard's region and period.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct AttributionQuery {
    pub by: Option<String>,
    pub region: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub format: Option<String>,
}

/// What the figures are grouped by, as the page names it.
pub fn attribution_key(by: Option<&str>) -> AppResult<AttributionKey> {
    match zhaoshang_core::text::non_empty(by) {
        None | Some("org") => Ok(AttributionKey::SourceOrg),
        Some("source") => Ok(AttributionKey::Source),
        Some(other) => Err(crate::AppError::bad_request(format!(
            "未知的归属口径“{other}”，应为 org（来源单位）或 source（项目来源）"
        ))),
    }
}

/// The key's parameter and its name.
pub fn key_param(key: AttributionKey) -> (&'static str, &'static str) {
    match key {
        AttributionKey::SourceOrg => ("source_org", "来源单位"),
        AttributionKey::Source => ("source", "项目来源"),
        AttributionKey::Cadre(key) => (key.key(), key.label()),
    }
}

/// The figures of one source (or source organisation), or of all of them.
pub struct AttributionRow {
    pub name: String,
    /// The registry's chamber of that name, for a source organisation.
    pub chamber_id: Option<i64>,
    pub report: InvestmentReport,
}

pub struct Attribution {
    pub key: AttributionKey,
    pub region: RegionCode,
    pub region_name: String,
    pub period: Period,
    /// Most funds in place first, then by name.
    pub rows: Vec<AttributionRow>,
    /// Every attributed project of the scope together.
    pub total: InvestmentReport,
}

/// The report of a group's facts: the metrics table without a target (targets are set
/// per region, not per source).
fn report_of(name: &str, projects: &[ProjectFact], funding: &[FundingFact], period: Period) -> InvestmentReport {
    InvestmentReport::compute(name, projects, funding, period, None)
}

/// The projects and funding of a region and period within the user's project scope,
/// grouped by their source organisation (or source).
pub(crate) struct GroupedFacts {
    /// The region's code prefix and the user's chains (`None` for any) the facts are of.
    pub prefix: String,
    pub chains: Option<Vec<String>>,
    pub region: RegionCode,
    pub region_name: String,
    pub period: Period,
    /// By group name: its projects signed up to the period's end, and its funding dated
    /// from a year before the period's start (同比 and the year to date).
    pub groups: BTreeMap<String, (Vec<ProjectFact>, Vec<FundingFact>)>,
}

impl App {
    /// The facts the attribution computes its figures of, for the dashboard's region and
    /// period (`from`, `to`) within the user's project scope.
    pub(crate) async fn grouped_facts(
        &self,
        principal: &Principal,
        key: AttributionKey,
        region: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> AppResult<GroupedFacts> {
        let view = self.dashboard_scope(principal, region, None, from, to).await?;
        let scope = self.project_scope(principal).await?;
        let prefix = self.narrowed_project_prefix(&scope, &Some(view.region.as_str().to_string())).await?;
        let period = view.period;
        let since = period.same_period_last_year().from;
        let facts = self.store().attributed_facts(&prefix, scope.chains.as_deref(), key, since, period.to).await?;
        let mut groups: BTreeMap<String, (Vec<ProjectFact>, Vec<FundingFact>)> = BTreeMap::new();
        for (group, fact) in &facts.projects {
            groups.entry(group.clone()).or_default().0.push(*fact);
        }
        for (group, fact) in &facts.funding {
            groups.entry(group.clone()).or_default().1.push(*fact);
        }
        let region_name = self.region_name(view.region.as_str()).await?;
        Ok(GroupedFacts { prefix, chains: scope.chains, region: view.region, region_name, period, groups })
    }

    /// The attribution of the figures of a region and period to each source organisation
    /// (or source), within the user's project scope.
    pub async fn attribution(&self, principal: &Principal, query: &AttributionQuery) -> AppResult<Attribution> {
        let key = attribution_key(query.by.as_deref())?;
        let GroupedFacts { region, region_name, period, groups, .. } = self
            .grouped_facts(principal, key, query.region.as_deref(), query.from.as_deref(), query.to.as_deref())
            .await?;
        let chambers: HashMap<String, i64> = match key {
            AttributionKey::SourceOrg => {
                self.store().all_chambers().await?.into_iter().map(|c| (c.data.name, c.id)).collect()
            }
            AttributionKey::Source | AttributionKey::Cadre(_) => HashMap::new(),
        };
        let mut rows: Vec<(i64, AttributionRow)> = groups
            .iter()
            .map(|(name, (projects, funding))| {
                let funds = compute_figures(&[], funding, period).funds_in_place.0;
                let report = report_of(name, projects, funding, period);
                (funds, AttributionRow { name: name.clone(), chamber_id: chambers.get(name).copied(), report })
            })
            .collect();
        rows.sort_by(|(a, x), (b, y)| b.cmp(a).then_with(|| x.name.cmp(&y.name)));
        let all_projects: Vec<ProjectFact> =
            groups.values().flat_map(|(projects, _)| projects.iter().copied()).collect();
        let all_funding: Vec<FundingFact> = groups.values().flat_map(|(_, funding)| funding.iter().copied()).collect();
        let total = report_of("合计", &all_projects, &all_funding, period);
        Ok(Attribution {
            key,
            region,
            region_name,
            period,
            rows: rows.into_iter().map(|(_, row)| row).collect(),
            total,
        })
    }
}

/// A ratio's cell: the plain fraction, empty when it has no denominator.
fn ratio_cell(ratio: Option<f64>) -> String {
    ratio.map(|r| r.to_string()).unwrap_or_default()
}

/// The columns of the page and the download after the name: (header, format).
pub const FIGURE_COLUMNS: [(&str, NumberFormat); 13] = [
    ("签约项目(个)", NumberFormat::Whole),
    ("签约投资额(万元)", NumberFormat::Decimal),
    ("亿元以上项目(个)", NumberFormat::Whole),
    ("已开工(个)", NumberFormat::Whole),
    ("开工率", NumberFormat::Percent),
    ("已投产(个)", NumberFormat::Whole),
    ("建成投产率", NumberFormat::Percent),
    ("实施项目(个)", NumberFormat::Whole),
    ("实施项目投资额(万元)", NumberFormat::Decimal),
    ("到位资金(万元)", NumberFormat::Decimal),
    ("省外到位资金(万元)", NumberFormat::Decimal),
    ("资金到位率", NumberFormat::Percent),
    ("到位资金同比", NumberFormat::Percent),
];

/// A report's cells in the order of `FIGURE_COLUMNS`.
pub fn figure_cells(report: &InvestmentReport) -> [String; 13] {
    [
        report.signed_count.to_string(),
        report.signed_investment_wan.clone(),
        report.over_100m_count.to_string(),
        report.started_count.to_string(),
        ratio_cell(report.start_rate),
        report.producing_count.to_string(),
        ratio_cell(report.completion_rate),
        report.implementing_count.to_string(),
        report.implementing_investment_wan.clone(),
        report.funds_in_place_wan.clone(),
        report.funds_outside_province_wan.clone(),
        ratio_cell(report.arrival_rate),
        ratio_cell(report.yoy.funds_in_place_wan),
    ]
}

/// The attribution as a workbook: a row per group and the totals row.
pub fn attribution_table(attribution: &Attribution) -> Table {
    let (_, label) = key_param(attribution.key);
    let title = format!(
        "{}招商引资来源归属统计（{} 至 {}，按{label}）",
        attribution.region_name, attribution.period.from, attribution.period.to
    );
    let columns = std::iter::once((label.to_string(), NumberFormat::Text))
        .chain(FIGURE_COLUMNS.iter().map(|(header, format)| (header.to_string(), *format)));
    let mut table = Table::report("来源归属", title, columns, 1);
    for (name, report) in attribution
        .rows
        .iter()
        .map(|row| (row.name.as_str(), &row.report))
        .chain(std::iter::once(("合计", &attribution.total)))
    {
        table.rows.push(std::iter::once(name.to_string()).chain(figure_cells(report)).collect());
    }
    table
}
