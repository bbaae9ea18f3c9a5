//! Importing business-environment appeals (营商环境诉求): upsert by 诉求编号, the due
//! date computed from 受理日期 and 办理时限 by the official calendar.
//!
//! As for projects, a row of a known code starts from the stored appeal: columns absent
//! from the file keep their stored values, present but empty cells clear them.

use super::columns::Columns;
use super::table::SheetRow;
use super::values::{credit_code_cell, date_cell, region_cell, RegionIndex};
use super::{non_empty_key, Context, ImportReport, ImportScope, RowProblems};
use crate::AppResult;
use std::collections::HashMap;
use zhaoshang_core::appeals::{check_dates, parse_limit_days, AppealError, Dimension, Rating, DEFAULT_LIMIT_DAYS};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_store::appeals::AppealData;
use zhaoshang_store::Store;

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let cols = ctx.cols;
    let mut codes: Vec<String> = ctx.sheet.rows.iter().map(|row| cols.text(row, "code").to_string()).collect();
    codes.sort();
    codes.dedup();
    let existing: HashMap<String, AppealData> =
        ctx.store.appeals_by_codes(&codes).await?.into_iter().map(|a| (a.data.code.clone(), a.data)).collect();
    let lookups = Lookups {
        existing: &existing,
        regions: &RegionIndex::new(ctx.store.all_regions().await?),
        calendar: &Calendar::new(ctx.store.calendar_days().await?),
        scope: ctx.scope,
    };

    ctx.upsert_by_key(
        report,
        "code",
        non_empty_key,
        &existing,
        |row, problems| check_row(cols, row, &lookups, problems),
        Store::upsert_appeals,
    )
    .await?;
    Ok(())
}

struct Lookups<'a> {
    existing: &'a HashMap<String, AppealData>,
    regions: &'a RegionIndex,
    calendar: &'a Calendar,
    scope: &'a ImportScope,
}

/// Merges a row into the stored appeal (or a new one) and checks it; `None` when the
/// row has no code to key it by.
fn check_row(cols: &Columns, row: &SheetRow, lookups: &Lookups, p: &mut RowProblems) -> Option<AppealData> {
    let code = cols.text(row, "code");
    if code.is_empty() {
        p.add("code", "诉求编号不能为空");
    }
    let before = lookups.existing.get(code);
    let mut data = before
        .cloned()
        .unwrap_or_else(|| AppealData { limit_days: i64::from(DEFAULT_LIMIT_DAYS), ..Default::default() });
    data.code = code.to_string();

    for (key, field) in
        [("enterprise", &mut data.enterprise), ("category", &mut data.category), ("department", &mut data.department)]
    {
        if let Some(text) = cols.cell(row, key) {
            *field = text.to_string();
        }
    }
    credit_code_cell(cols, row, "credit_code", &mut data.credit_code, p);
    region_cell(cols, row, lookups.regions, &mut data.region_code, p);
    match cols.cell(row, "dimension") {
        Some("") => p.add("dimension", "诉求维度不能为空"),
        Some(text) => match Dimension::parse(text) {
            Ok(dimension) => data.dimension = dimension.key().to_string(),
            Err(error) => p.add("dimension", error.to_string()),
        },
        None => {}
    }
    match cols.cell(row, "content") {
        Some("") => p.add("content", "诉求内容不能为空"),
        Some(text) => data.content = text.to_string(),
        None => {}
    }
    match date_cell(cols, row, "received_on", p) {
        Some(Some(day)) => data.received_on = day,
        Some(None) => p.add("received_on", "受理日期不能为空"),
        None => {}
    }
    if let Some(text) = cols.cell(row, "limit_days") {
        match parse_limit_days(text) {
            Ok(days) => data.limit_days = i64::from(days),
            Err(error) => p.add("limit_days", error.to_string()),
        }
    }
    if let Some(answered) = date_cell(cols, row, "answered_on", p) {
        data.answered_on = answered;
    }
    if let Some(closed) = date_cell(cols, row, "closed_on", p) {
        data.closed_on = closed;
    }
    match cols.cell(row, "rating") {
        Some("") => data.rating.clear(),
        Some(text) => match Rating::parse(text) {
            Ok(rating) => data.rating = rating.key().to_string(),
            Err(error) => p.add("rating", error.to_string()),
        },
        None => {}
    }
    let dates_read = !["received_on", "answered_on", "closed_on"].iter().any(|key| p.has(key));
    if dates_read {
        match check_dates(data.received_on, data.answered_on, data.closed_on) {
            Err(error @ AppealError::AnsweredBeforeReceived { .. }) => p.add("answered_on", error.to_string()),
            Err(error) => p.add("closed_on", error.to_string()),
            Ok(()) => {}
        }
    }
    if !p.has("received_on") && !p.has("limit_days") {
        data.reckon_due(lookups.calendar);
    }

    let region = (!p.has("region")).then_some(data.region_code.as_str());
    if lookups.scope.reaches_outside(before.map(|before| before.region_code.as_str()), region) {
        p.add("code", lookups.scope.not_allowed());
    }
    (!code.is_empty()).then_some(data)
}
