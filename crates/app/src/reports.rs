//! 招商引资情况统计报表 (the monthly report of 甘肃省招商引资情况统计报表制度): a scope's
//! figures from 1 January to the end of an ended month (1—N月), with the same period a
//! year before, in the tables of `zhaoshang_core::statistical_report`, as an Excel
//! workbook of one sheet a table and as the rows of its printable page.

use crate::exchange::{NumberFormat, Table};
use crate::stats::known_region;
use crate::{AppError, AppResult};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use zhaoshang_core::access::ProjectScope;
use zhaoshang_core::metrics::{InvestmentFigures, Period};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::{RegionCode, RegionLevel};
use zhaoshang_core::statistical_report::{
    tables, Breakdown, BreakdownTable, Breakdowns, Labels, Line, Origin, ReportMonth, YearPair,
};
use zhaoshang_store::statistical_report::ReportInvestors;
use zhaoshang_store::stats::Facet;
use zhaoshang_store::Store;

/// The report of one scope: 1 January to the end of `month` (`period`).
pub struct StatisticalReport {
    pub region: RegionCode,
    pub region_name: String,
    pub month: ReportMonth,
    pub period: Period,
    pub tables: Vec<BreakdownTable>,
}

impl StatisticalReport {
    pub fn title(&self) -> String {
        format!("{}招商引资情况统计报表（{}）", self.region_name, self.month.caption())
    }
}

/// The month asked for ("YYYY-MM"), which must have ended by `today`; where none is
/// asked, the latest that has.
pub fn report_month(text: Option<&str>, today: chrono::NaiveDate) -> AppResult<ReportMonth> {
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        Some(text) => ReportMonth::parse(text)
            .and_then(|month| month.ended(today))
            .map_err(|e| AppError::bad_request(e.to_string())),
        None => Ok(ReportMonth::ended_by(today)),
    }
}

/// The name of the region's own level among its sub-regions (省本级, 市本级).
fn own_level_label(region: &RegionCode, name: &str) -> String {
    match region.level() {
        RegionLevel::Province => "省本级".into(),
        RegionLevel::City => "市本级".into(),
        _ => format!("{name}本级"),
    }
}

/// The province (six-digit code) a typed 投资方来源地 names, if any division is named so.
async fn origin_province(store: &Store, text: &str) -> Option<String> {
    known_region(store, text).await.ok().map(|code| code.province().as_str().to_string())
}

/// Figures by value of this period and the same period a year before.
fn pairs<K: Ord>(
    current: HashMap<K, InvestmentFigures>,
    previous: HashMap<K, InvestmentFigures>,
) -> Vec<(K, YearPair)> {
    let mut pairs: BTreeMap<K, YearPair> = BTreeMap::new();
    for (key, figures) in current {
        pairs.entry(key).or_default().current = figures;
    }
    for (key, figures) in previous {
        pairs.entry(key).or_default().previous = figures;
    }
    pairs.into_iter().collect()
}

/// A whole region's breakdowns, from the sums kept by each attribute (for both periods
/// at once, on separate connections), and its 500强 investors' projects.
async fn region_breakdowns(store: &Store, prefix: &str, group_len: usize, period: Period) -> AppResult<Breakdowns> {
    let previous = period.same_period_last_year();
    let by_region = |period| store.investment_figures_by(prefix, group_len, None, period);
    let ((regions, regions_before), (facets, facets_before), top500) = tokio::try_join!(
        async { tokio::try_join!(by_region(period), by_region(previous)) },
        async {
            tokio::try_join!(
                store.investment_figures_by_facets(prefix, period),
                store.investment_figures_by_facets(prefix, previous)
            )
        },
        store.report_combinations(prefix, group_len, None, period, ReportInvestors::Top500),
    )?;
    let mut breakdowns = Breakdowns {
        regions: pairs(regions, regions_before),
        top500: Breakdowns::of_combinations(&top500).top500,
        ..Breakdowns::default()
    };
    for ((facet, current), (_, previous)) in facets.into_iter().zip(facets_before) {
        let values = pairs(current, previous);
        match facet {
            Facet::Chain => breakdowns.chains = values,
            Facet::Origin => breakdowns.origins = values,
            Facet::Industry => breakdowns.industries = values,
            Facet::InvestorType => breakdowns.investor_types = values,
            Facet::SizeBand => {
                breakdowns.bands =
                    values.into_iter().map(|(band, pair)| (band.parse().unwrap_or_default(), pair)).collect()
            }
        }
    }
    Ok(breakdowns)
}

/// The report of `region` (checked by the caller) from 1 January to the end of `month`,
/// of the projects `scope` lets the user see. Whole months only: the kept sums answer
/// them without a read by day.
pub async fn statistical_report(
    store: &Store,
    region: &RegionCode,
    month: ReportMonth,
    scope: &ProjectScope,
) -> AppResult<StatisticalReport> {
    let period = month.period();
    let year = month.year();
    let region_name = store.region(region.as_str()).await?.map(|r| r.name).unwrap_or_default();
    let (children, child_codes) = crate::stats::sub_regions(store, region).await?;
    let prefix = region.scope_prefix();
    let group_len = child_codes.first().map_or(prefix.len(), |code| code.scope_prefix().len());
    let breakdowns = match scope.chains.as_deref() {
        Some(chains) => Breakdowns::of_combinations(
            &store.report_combinations(prefix, group_len, Some(chains), period, ReportInvestors::All).await?,
        ),
        None => region_breakdowns(store, prefix, group_len, period).await?,
    };

    let mut labels = Labels::default();
    for (child, code) in children.iter().zip(&child_codes) {
        let group = code.scope_prefix().to_string();
        if let Some(target) = store.funds_target(code.as_str(), year).await? {
            labels.targets.insert(group.clone(), target);
        }
        labels.regions.push((group, child.name.clone()));
    }
    let own_group = region.as_str().get(..group_len).unwrap_or(region.as_str()).to_string();
    let own_label = if children.is_empty() { region_name.clone() } else { own_level_label(region, &region_name) };
    labels.regions.push((own_group, own_label));
    labels.total_target = store.funds_target(region.as_str(), year).await?;

    let typed: BTreeSet<&str> = breakdowns.origins.iter().map(|(origin, _)| origin.as_str()).collect();
    for text in typed {
        let province = origin_province(store, text).await;
        let origin = Origin::classify(text, |_| province);
        if let Origin::Province(code) = &origin {
            if !labels.provinces.contains_key(code) {
                let name = store.region(code).await?.map_or_else(|| code.clone(), |r| r.name);
                labels.provinces.insert(code.clone(), name);
            }
        }
        labels.origins.insert(text.to_string(), origin);
    }
    labels.industries = store.industries().await?.into_iter().map(|industry| (industry.code, industry.name)).collect();
    let tables = tables(&breakdowns, &labels);
    Ok(StatisticalReport { region: region.clone(), region_name, month, period, tables })
}

/// The first column's heading of a table.
fn heading(breakdown: Breakdown) -> &'static str {
    match breakdown {
        Breakdown::Region => "地区",
        Breakdown::Province => "投资来源地",
        Breakdown::Zone => "来源区域",
        Breakdown::Sector => "产业",
        Breakdown::Division => "行业（GB/T 4754 大类）",
        Breakdown::Chain => "产业链",
        Breakdown::InvestorType => "投资主体",
        Breakdown::SizeBand => "投资规模",
        Breakdown::Top500 => "投资方",
    }
}

/// The columns of every table after its first; the region table adds the target's.
const COLUMNS: [(&str, NumberFormat); 16] = [
    ("签约项目(个)", NumberFormat::Whole),
    ("同比", NumberFormat::Percent),
    ("签约投资额(万元)", NumberFormat::Decimal),
    ("同比", NumberFormat::Percent),
    ("占签约投资额比重", NumberFormat::Percent),
    ("亿元以上项目(个)", NumberFormat::Whole),
    ("开工项目(个)", NumberFormat::Whole),
    ("开工率", NumberFormat::Percent),
    ("投产项目(个)", NumberFormat::Whole),
    ("实施项目(个)", NumberFormat::Whole),
    ("实施项目投资额(万元)", NumberFormat::Decimal),
    ("到位资金(万元)", NumberFormat::Decimal),
    ("同比", NumberFormat::Percent),
    ("其中省外到位资金(万元)", NumberFormat::Decimal),
    ("同比", NumberFormat::Percent),
    ("资金到位率", NumberFormat::Percent),
];
const TARGET_COLUMNS: [(&str, NumberFormat); 3] = [
    ("年度到位资金目标(万元)", NumberFormat::Decimal),
    ("年度目标完成率", NumberFormat::Percent),
    ("序时进度", NumberFormat::Percent),
];

/// A ratio's cell: the fraction, or "—" where there is none.
fn ratio_cell(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |value| value.to_string())
}

/// One line's cells in the order of `COLUMNS` (and `TARGET_COLUMNS` with `targets`).
fn line_cells(line: &Line, total: &Line, targets: Option<f64>) -> Vec<String> {
    let (figures, yoy) = (&line.current, line.yoy());
    let mut cells = vec![
        line.label.clone(),
        figures.signed_count.to_string(),
        ratio_cell(yoy.signed_count),
        figures.signed_investment.wan_string(),
        ratio_cell(yoy.signed_investment_wan),
        ratio_cell(line.share_of(total)),
        figures.over_100m_count.to_string(),
        figures.started_count.to_string(),
        ratio_cell(figures.start_rate()),
        figures.producing_count.to_string(),
        figures.implementing_count.to_string(),
        figures.implementing_investment.wan_string(),
        figures.funds_in_place.wan_string(),
        ratio_cell(yoy.funds_in_place_wan),
        figures.funds_outside_province.wan_string(),
        ratio_cell(yoy.funds_outside_province_wan),
        ratio_cell(figures.arrival_rate()),
    ];
    if let Some(time_progress) = targets {
        let completion =
            line.target.and_then(|target| zhaoshang_core::money::ratio(figures.funds_in_place.0, target.0));
        cells.push(line.target.map(Yuan::wan_string).unwrap_or_else(|| "—".into()));
        cells.push(ratio_cell(completion));
        cells.push(ratio_cell(Some(time_progress)));
    }
    cells
}

/// The report as the tables of its workbook: a sheet a breakdown, the total first,
/// money in 万元, the period and units below the title.
pub fn statistical_workbook(report: &StatisticalReport) -> Vec<Table> {
    let time_progress = report.period.time_progress();
    report
        .tables
        .iter()
        .enumerate()
        .map(|(index, table)| {
            let with_targets = table.breakdown == Breakdown::Region;
            let mut columns = vec![(heading(table.breakdown), NumberFormat::Text)];
            columns.extend(COLUMNS);
            if with_targets {
                columns.extend(TARGET_COLUMNS);
            }
            let title = format!("表{} {}·{}", index + 1, report.title(), table.breakdown.label());
            let columns = columns.into_iter().map(|(header, format)| (header.to_string(), format));
            let mut sheet = Table::report(table.breakdown.label(), title, columns, 1);
            sheet.subtitle = Some(format!(
                "统计时段：{} 至 {}　　单位：万元、个　　同比为与上年同期相比",
                report.period.from, report.period.to
            ));
            let targets = with_targets.then_some(time_progress);
            sheet.rows = std::iter::once(&table.total)
                .chain(&table.lines)
                .map(|line| line_cells(line, &table.total, targets))
                .collect();
            sheet
        })
        .collect()
}
