//! 招商引资月报: the standard table of the figures by region, year to date, with
//! year-on-year columns, as an Excel workbook (the frame of the province's
//! statistical reporting system for investment promotion).

use crate::stats::{scoped_investment_report, scoped_sub_region_reports};
use crate::{AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use zhaoshang_core::access::ProjectScope;
use zhaoshang_core::metrics::{InvestmentReport, Period};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::Store;

const HEADERS: &[&str] = &[
    "地区",
    "签约项目(个)",
    "同比",
    "签约投资额(万元)",
    "同比",
    "亿元以上项目(个)",
    "实施项目(个)",
    "实施项目投资额(万元)",
    "到位资金(万元)",
    "同比",
    "其中省外到位资金(万元)",
    "资金到位率",
    "开工率",
    "年度目标完成率",
    "序时进度",
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

fn wan(text: &str) -> f64 {
    Yuan::parse_wan(text).map(|y| y.0 as f64 / 10_000.0).unwrap_or(0.0)
}

/// Writes the month report workbook.
pub fn monthly_workbook(title: &str, rows: &[ReportRow]) -> AppResult<Vec<u8>> {
    let error = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("月报").map_err(error)?;
    let title_format = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#F3F4F6")
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let money = Format::new().set_num_format("#,##0.00").set_border(FormatBorder::Thin);
    let count = Format::new().set_num_format("0").set_border(FormatBorder::Thin);
    let percent = Format::new().set_num_format("0.00%").set_border(FormatBorder::Thin);
    let text = Format::new().set_border(FormatBorder::Thin);
    sheet.merge_range(0, 0, 0, HEADERS.len() as u16 - 1, title, &title_format).map_err(error)?;
    for (column, name) in HEADERS.iter().enumerate() {
        sheet.write_with_format(1, column as u16, *name, &header).map_err(error)?;
        sheet.set_column_width(column as u16, if column == 0 { 16 } else { 13 }).map_err(error)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let r = index as u32 + 2;
        let report = &row.report;
        sheet.write_with_format(r, 0, &row.name, &text).map_err(error)?;
        let ratio = |sheet: &mut rust_xlsxwriter::Worksheet, column: u16, value: Option<f64>| match value {
            Some(v) => sheet.write_with_format(r, column, v, &percent).map(|_| ()),
            None => sheet.write_with_format(r, column, "—", &text).map(|_| ()),
        };
        sheet.write_with_format(r, 1, report.signed_count as f64, &count).map_err(error)?;
        ratio(sheet, 2, report.yoy.signed_count).map_err(error)?;
        sheet.write_with_format(r, 3, wan(&report.signed_investment_wan), &money).map_err(error)?;
        ratio(sheet, 4, report.yoy.signed_investment_wan).map_err(error)?;
        sheet.write_with_format(r, 5, report.over_100m_count as f64, &count).map_err(error)?;
        sheet.write_with_format(r, 6, report.implementing_count as f64, &count).map_err(error)?;
        sheet.write_with_format(r, 7, wan(&report.implementing_investment_wan), &money).map_err(error)?;
        sheet.write_with_format(r, 8, wan(&report.funds_in_place_wan), &money).map_err(error)?;
        ratio(sheet, 9, report.yoy.funds_in_place_wan).map_err(error)?;
        sheet.write_with_format(r, 10, wan(&report.funds_outside_province_wan), &money).map_err(error)?;
        ratio(sheet, 11, report.arrival_rate).map_err(error)?;
        ratio(sheet, 12, report.start_rate).map_err(error)?;
        ratio(sheet, 13, report.target_completion).map_err(error)?;
        ratio(sheet, 14, Some(report.time_progress)).map_err(error)?;
    }
    sheet.set_freeze_panes(2, 1).map_err(error)?;
    workbook.save_to_buffer().map_err(error)
}
