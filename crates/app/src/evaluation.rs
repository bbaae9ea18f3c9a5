//! 市州综合评价 (SPEC.md, `stats evaluation`): a region's direct sub-regions ranked each
//! quarter by `core::evaluation`, from the figures the dashboard's ranking reads (each
//! sub-region's metrics report, read in one pass per period and kept in the report
//! cache); for the pages, only the regions `core::access` lets the user see; and the
//! table as an Excel workbook.

use crate::stats::sub_region_reports;
use crate::{App, AppError, AppResult};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use serde::Serialize;
use zhaoshang_core::access::Principal;
use zhaoshang_core::evaluation::{evaluate, EvaluationItem, Indicator, Quarter, RegionIndicators};
use zhaoshang_core::metrics::InvestmentReport;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::Store;

/// The evaluation of one region and quarter, serialized as SPEC's JSON object.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub region: String,
    pub year: i32,
    pub quarter: u32,
    /// Best first.
    pub items: Vec<EvaluationItem>,
    #[serde(skip)]
    pub region_name: String,
}

impl Evaluation {
    pub fn quarter(&self) -> Quarter {
        Quarter::new(self.year, self.quarter).expect("built from a checked quarter")
    }
}

/// Ranks every direct sub-region of `region` in the divisions, with data or without, for
/// 1 January to the quarter's end, with each one's rank of the quarter before.
pub async fn evaluation(store: &Store, region: &RegionCode, quarter: Quarter) -> AppResult<Evaluation> {
    let children = store.region_children(Some(region.as_str())).await?;
    let codes: Vec<RegionCode> = children
        .iter()
        .map(|child| RegionCode::parse(&child.code))
        .collect::<Result<_, _>>()
        .map_err(AppError::internal)?;
    let (current, previous) = tokio::try_join!(
        sub_region_reports(store, region, &codes, quarter.year_to_end()),
        sub_region_reports(store, region, &codes, quarter.previous().year_to_end()),
    )?;
    let indicators = |reports: &[InvestmentReport]| -> Vec<RegionIndicators> {
        children.iter().zip(reports).map(|(child, report)| RegionIndicators::from_report(&child.name, report)).collect()
    };
    let region_name = store.region(region.as_str()).await?.map(|r| r.name).unwrap_or_default();
    Ok(Evaluation {
        region: region.as_str().to_string(),
        year: quarter.year(),
        quarter: quarter.quarter(),
        items: evaluate(&indicators(&current), &indicators(&previous)),
        region_name,
    })
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

impl App {
    /// The evaluation a page asks for, checked against what the user may see: the region
    /// asked for, else the user's own or the province holding data; the year and quarter
    /// asked for, else those of the last quarter finished today (China time).
    pub async fn evaluation_for(
        &self,
        principal: &Principal,
        region: Option<&str>,
        year: Option<&str>,
        quarter: Option<&str>,
    ) -> AppResult<Evaluation> {
        if !principal.may_see_evaluations() {
            return Err(AppError::Forbidden);
        }
        let region = match non_empty(region) {
            Some(code) => self.known_region(code).await?,
            None => self.default_region(principal).await?,
        };
        if !principal.may_see_evaluation_of(&region) {
            return Err(AppError::Forbidden);
        }
        let last = Quarter::last_finished(crate::calendar::today());
        let year = non_empty(year).map_or_else(|| last.year().to_string(), str::to_string);
        let quarter = non_empty(quarter).map_or_else(|| last.quarter().to_string(), str::to_string);
        let quarter = Quarter::parse(&year, &quarter).map_err(|e| AppError::Invalid(e.to_string()))?;
        evaluation(self.store(), &region, quarter).await
    }
}

/// The page's table as an Excel workbook: each sub-region's score, ranks and awards,
/// then every indicator's value, scaled value and weighted contribution.
pub fn evaluation_workbook(evaluation: &Evaluation) -> AppResult<Vec<u8>> {
    write_workbook(evaluation).map_err(|e| AppError::Internal(format!("无法生成 Excel 文件：{e}")))
}

const LEADING_HEADERS: [&str; 7] = ["排名", "上期排名", "名次变化", "地区代码", "地区", "综合得分", "奖项"];

fn write_workbook(evaluation: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("综合评价")?;
    let border = || Format::new().set_border(FormatBorder::Thin);
    let title_format = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center);
    let header = border().set_bold().set_background_color("#F3F4F6").set_text_wrap().set_align(FormatAlign::Center);
    let (text, whole) = (border(), border().set_num_format("0"));
    let (decimal, percent) = (border().set_num_format("#,##0.00"), border().set_num_format("0.00%"));

    let mut headers: Vec<String> = LEADING_HEADERS.iter().map(|h| h.to_string()).collect();
    for indicator in Indicator::ALL {
        let unit = if indicator.is_rate() {
            ""
        } else if indicator == Indicator::Over100mCount {
            "(个)"
        } else {
            "(万元)"
        };
        headers.push(format!("{}{unit}", indicator.label()));
        headers.push(format!("{}得分", indicator.label()));
        headers.push(format!("{}贡献(权重{})", indicator.label(), indicator.weight()));
    }
    let quarter = evaluation.quarter();
    let title = format!(
        "{}{}市州综合评价（{}至{}）",
        evaluation.region_name,
        quarter.label(),
        quarter.year_to_end().from,
        quarter.end()
    );
    sheet.merge_range(0, 0, 0, headers.len() as u16 - 1, &title, &title_format)?;
    for (column, name) in headers.iter().enumerate() {
        sheet.write_with_format(1, column as u16, name, &header)?;
        sheet.set_column_width(column as u16, if column == 4 { 14 } else { 12 })?;
    }
    for (index, item) in evaluation.items.iter().enumerate() {
        let row = index as u32 + 2;
        sheet.write_with_format(row, 0, f64::from(item.rank), &whole)?;
        sheet.write_with_format(row, 1, f64::from(item.previous_rank), &whole)?;
        sheet.write_with_format(row, 2, item.rise() as f64, &whole)?;
        sheet.write_with_format(row, 3, &item.region, &text)?;
        sheet.write_with_format(row, 4, &item.name, &text)?;
        sheet.write_with_format(row, 5, item.score, &decimal)?;
        let awards: Vec<&str> = item.awards.iter().map(|award| award.label()).collect();
        sheet.write_with_format(row, 6, awards.join("、"), &text)?;
        for (i, part) in item.parts.iter().enumerate() {
            let column = LEADING_HEADERS.len() as u16 + 3 * i as u16;
            match part.value {
                Some(value) if part.indicator.is_rate() => sheet.write_with_format(row, column, value, &percent)?,
                Some(value) => sheet.write_with_format(row, column, value, &decimal)?,
                None => sheet.write_with_format(row, column, "—", &text)?,
            };
            sheet.write_with_format(row, column + 1, part.scaled, &decimal)?;
            sheet.write_with_format(row, column + 2, part.contribution, &decimal)?;
        }
    }
    sheet.set_freeze_panes(2, 5)?;
    workbook.save_to_buffer()
}
