//! 招商引资月报: the standard table of the figures by region, year to date, with
//! year-on-year columns, for an Excel workbook (the frame of the province's
//! statistical reporting system for investment promotion).

use crate::exchange::{NumberFormat, Table};
use crate::stats::{scoped_investment_report, scoped_sub_region_reports};
use crate::{AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use zhaoshang_core::access::ProjectScope;
use zhaoshang_core::metrics::{InvestmentReport, Period};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::Store;

const COLUMNS: [(&str, NumberFormat); 15] = [
    ("地区", NumberFormat::Text),
    ("签约项目(个)", NumberFormat::Whole),
    ("同比", NumberFormat::Percent),
    ("签约投资额(万元)", NumberFormat::Decimal),
    ("同比", NumberFormat::Percent),
    ("亿元以上项目(个)", NumberFormat::Whole),
    ("实施项目(个)", NumberFormat::Whole),
    ("实施项目投资额(万元)", NumberFormat::Decimal),
    ("到位资金(万元)", NumberFormat::Decimal),
    ("同比", NumberFormat::Percent),
    ("其中省外到位资金(万元)", NumberFormat::Decimal),
    ("资金到位率", NumberFormat::Percent),
    ("开工率", NumberFormat::Percent),
    ("年度目标完成率", NumberFormat::Percent),
    ("序时进度", NumberFormat::Percent),
];

/// One row of the report: a region's year-to-date figures.
pub struct ReportRow {
    pub name: String,
    pub report: InvestmentReport,
}

/// The rows of the month report for `region` (its sub-regions, then the total),
/// covering 1 January to `to`, of the projects `scope` lets the user see.
pub async fn monthly_rows(
    store: &Store,
    region: &RegionCode,
    to: NaiveDate,
    scope: &ProjectScope,
) -> AppResult<Vec<ReportRow>> {
    let from = NaiveDate::from_ymd_opt(to.year(), 1, 1).ok_or_else(|| AppError::Invalid("日期无效".into()))?;
    let period = Period { from, to };
    let children = store.region_children(Some(region.as_str())).await?;
    let codes: Vec<RegionCode> = children
        .iter()
        .map(|child| RegionCode::parse(&child.code))
        .collect::<Result<_, _>>()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let reports = scoped_sub_region_reports(store, region, &codes, period, scope).await?;
    let mut rows: Vec<ReportRow> =
        children.into_iter().zip(reports).map(|(child, report)| ReportRow { name: child.name, report }).collect();
    let name = store.region(region.as_str()).await?.map(|r| r.name).unwrap_or_default();
    rows.push(ReportRow {
        name: format!("{name}合计"),
        report: scoped_investment_report(store, region, period, None, scope).await?,
    });
    Ok(rows)
}

/// The month report titled `title` as a table for its workbook: money in 万元, ratios
/// as percentages ("—" where there is none), the region names kept in view.
pub fn monthly_table(title: String, rows: &[ReportRow]) -> Table {
    let columns = COLUMNS.iter().map(|(header, format)| (header.to_string(), *format));
    let mut table = Table::report("月报", title, columns, 1);
    let ratio = |value: Option<f64>| value.map_or_else(|| "—".to_string(), |value| value.to_string());
    table.rows = rows
        .iter()
        .map(|row| {
            let report = &row.report;
            vec![
                row.name.clone(),
                report.signed_count.to_string(),
                ratio(report.yoy.signed_count),
                report.signed_investment_wan.clone(),
                ratio(report.yoy.signed_investment_wan),
                report.over_100m_count.to_string(),
                report.implementing_count.to_string(),
                report.implementing_investment_wan.clone(),
                report.funds_in_place_wan.clone(),
                ratio(report.yoy.funds_in_place_wan),
                report.funds_outside_province_wan.clone(),
                ratio(report.arrival_rate),
                ratio(report.start_rate),
                ratio(report.target_completion),
                ratio(Some(report.time_progress)),
            ]
        })
        .collect();
    table
}
