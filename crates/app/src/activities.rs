//! Investment-promotion activities (招商活动) and the projects signed at them.
//! Activities belong to no region: files import them (`exchange::activities`, where a
//! stored one is changed only by an administrator) and list them all (exports); the
//! command line follows the cohort of projects signed at one (`zhaoshang stats cohort`).

use crate::{AppError, AppResult};
use chrono::NaiveDate;
use serde::Serialize;
use zhaoshang_core::money::{ratio, Yuan};
use zhaoshang_store::Store;

/// `zhaoshang stats cohort` (SPEC.md): the projects signed at one activity, up to `to`.
#[derive(Debug, Clone, Serialize)]
pub struct CohortReport {
    pub activity: String,
    pub to: NaiveDate,
    pub signed_count: i64,
    pub signed_investment_wan: String,
    pub funds_in_place_wan: String,
    pub arrival_rate: Option<f64>,
    pub started_count: i64,
    pub start_rate: Option<f64>,
    pub producing_count: i64,
    pub completion_rate: Option<f64>,
}

pub async fn cohort_report(store: &Store, activity: &str, to: NaiveDate) -> AppResult<CohortReport> {
    let known = store.activity_by_name(activity).await?;
    let figures = store.cohort_figures(activity, known.as_ref().and_then(|a| a.start_on), to).await?;
    if known.is_none() && figures.signed_count == 0 {
        return Err(AppError::Invalid(format!("未找到签约活动“{activity}”")));
    }
    Ok(CohortReport {
        activity: activity.to_string(),
        to,
        signed_count: figures.signed_count,
        signed_investment_wan: Yuan(figures.signed_investment).wan_string(),
        funds_in_place_wan: Yuan(figures.funds_in_place).wan_string(),
        arrival_rate: ratio(figures.funds_in_place, figures.signed_investment),
        started_count: figures.started_count,
        start_rate: ratio(figures.started_count, figures.signed_count),
        producing_count: figures.producing_count,
        completion_rate: ratio(figures.producing_count, figures.signed_count),
    })
}
