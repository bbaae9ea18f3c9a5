//! The demo's 综合评价 schemes: beside SPEC's, the administrator's 营商环境综合方案 that
//! also scores the appeals, and the province's ranking of the quarter before last
//! published under SPEC's scheme (the last quarter is left to publish on the page).

use crate::evaluation::{publish, SchemeVersion};
use crate::AppResult;
use chrono::NaiveDate;
use zhaoshang_core::evaluation::scheme::{check_scheme, IndicatorRow};
use zhaoshang_core::evaluation::Quarter;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::{Actor, Store};

/// (figure, weight, direction, scaling, missing score) of the demo's own scheme.
const BUSINESS_SCHEME: [(&str, &str, &str, &str, &str); 6] = [
    ("funds_in_place_wan", "0.3", "higher", "efficacy", "60"),
    ("funds_in_place_yoy", "0.1", "higher", "efficacy", "60"),
    ("target_completion", "0.2", "higher", "efficacy", "60"),
    ("signed_investment_wan", "0.1", "higher", "rank", "0"),
    ("appeals_on_time_rate", "0.15", "higher", "efficacy", "60"),
    ("appeals_satisfaction_rate", "0.15", "higher", "efficacy", "60"),
];

pub(super) async fn load(store: &Store, today: NaiveDate, actor: &Actor) -> AppResult<()> {
    let rows: Vec<IndicatorRow> = BUSINESS_SCHEME
        .iter()
        .map(|&(figure, weight, direction, scaling, missing_score)| IndicatorRow {
            figure,
            weight,
            direction,
            scaling,
            missing_score,
        })
        .collect();
    let (name, scheme) = check_scheme("营商环境综合方案", &rows).map_err(|errors| {
        crate::AppError::internal(format!("the demo's scheme is checked: {:?}", errors.messages()))
    })?;
    store.save_evaluation_scheme(&name, &scheme.to_json(), crate::calendar::now(), actor).await?;
    let province = RegionCode::parse("620000").map_err(crate::AppError::internal)?;
    let quarter = Quarter::last_finished(today).previous();
    publish(store, &province, quarter, SchemeVersion::spec(), actor).await
}
