//! 市州综合评价 (SPEC.md, `stats evaluation`): a region's direct sub-regions ranked each
//! quarter by `core::evaluation`, from the figures the dashboard's ranking reads (each
//! sub-region's metrics report, read in one pass per period and kept in the report
//! cache); for the pages, only the regions `core::access` lets the user see; and the
//! table as an Excel workbook.

use crate::exchange::{NumberFormat, Table};
use crate::stats::sub_region_reports;
use crate::{App, AppError, AppResult};
use serde::Serialize;
use zhaoshang_core::access::Principal;
use zhaoshang_core::evaluation::{
    evaluate, rank_intervals, EvaluationItem, Indicator, Quarter, RankInterval, RegionIndicators, SENSITIVITY_DRAWS,
    SENSITIVITY_SPREAD,
};
use zhaoshang_core::metrics::InvestmentReport;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::text::non_empty;
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
    /// Each sub-region's ranks under weights perturbed ±20% (the sensitivity view).
    #[serde(skip)]
    pub intervals: Vec<RankInterval>,
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
    let current = indicators(&current);
    // Seeded by the quarter, so that a page shows the same intervals on every visit.
    let seed = u64::try_from(quarter.year()).unwrap_or_default() * 10 + u64::from(quarter.quarter());
    let intervals = rank_intervals(&current, SENSITIVITY_DRAWS, SENSITIVITY_SPREAD, seed);
    Ok(Evaluation {
        region: region.as_str().to_string(),
        year: quarter.year(),
        quarter: quarter.quarter(),
        items: evaluate(&current, &indicators(&previous)),
        intervals,
        region_name,
    })
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
        let region = self
            .region_in_view(principal, region, Principal::may_see_evaluations, Principal::may_see_evaluation_of)
            .await?;
        let last = Quarter::last_finished(crate::calendar::today());
        let year = non_empty(year).map_or_else(|| last.year().to_string(), str::to_string);
        let quarter = non_empty(quarter).map_or_else(|| last.quarter().to_string(), str::to_string);
        let quarter = Quarter::parse(&year, &quarter).map_err(|e| AppError::Invalid(e.to_string()))?;
        evaluation(self.store(), &region, quarter).await
    }
}

/// The page's table for its Excel download: each sub-region's score, ranks and awards,
/// then every indicator's value, scaled value and weighted contribution.
pub fn evaluation_table(evaluation: &Evaluation) -> Table {
    let leading = [
        ("排名", NumberFormat::Whole),
        ("上期排名", NumberFormat::Whole),
        ("名次变化", NumberFormat::Whole),
        ("地区代码", NumberFormat::Text),
        ("地区", NumberFormat::Text),
        ("综合得分", NumberFormat::Decimal),
        ("奖项", NumberFormat::Text),
    ];
    let mut columns: Vec<(String, NumberFormat)> =
        leading.iter().map(|(header, format)| (header.to_string(), *format)).collect();
    for indicator in Indicator::ALL {
        let (unit, value_format) = if indicator.is_rate() {
            ("", NumberFormat::Percent)
        } else if indicator == Indicator::Over100mCount {
            ("(个)", NumberFormat::Decimal)
        } else {
            ("(万元)", NumberFormat::Decimal)
        };
        columns.push((format!("{}{unit}", indicator.label()), value_format));
        columns.push((format!("{}得分", indicator.label()), NumberFormat::Decimal));
        columns.push((format!("{}贡献(权重{})", indicator.label(), indicator.weight()), NumberFormat::Decimal));
    }
    let quarter = evaluation.quarter();
    let title = format!(
        "{}{}市州综合评价（{}至{}）",
        evaluation.region_name,
        quarter.label(),
        quarter.year_to_end().from,
        quarter.end()
    );
    // The region's code and name stay in view beside the indicators.
    let mut table = Table::report("综合评价", title, columns, 5);
    table.rows = evaluation
        .items
        .iter()
        .map(|item| {
            let awards: Vec<&str> = item.awards.iter().map(|award| award.label()).collect();
            let mut cells = vec![
                item.rank.to_string(),
                item.previous_rank.to_string(),
                item.rise().to_string(),
                item.region.clone(),
                item.name.clone(),
                item.score.to_string(),
                awards.join("、"),
            ];
            for part in &item.parts {
                cells.push(part.value.map_or_else(|| "—".to_string(), |value| value.to_string()));
                cells.push(part.scaled.to_string());
                cells.push(part.contribution.to_string());
            }
            cells
        })
        .collect();
    table
}
