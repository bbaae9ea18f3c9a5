//! Importing the enterprise library: upsert by 统一社会信用代码 (validated with its check
//! character), headquarters anywhere in China, tags from the vocabulary.
//!
//! As for projects, a row of a known code starts from the stored enterprise: columns
//! absent from the file keep their stored values, present but empty cells clear them.

use super::columns::Columns;
use super::table::SheetRow;
use super::values::{parse_count, parse_credit_code, parse_yes_no, region_cell, IndustryIndex, RegionIndex};
use super::{Context, ImportReport, ImportScope, RowProblems};
use crate::AppResult;
use std::collections::HashMap;
use zhaoshang_core::credit_code;
use zhaoshang_core::enterprises::{parse_tags, vocabulary, TagError};
use zhaoshang_store::enterprises::EnterpriseData;
use zhaoshang_store::Store;

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let cols = ctx.cols;
    let existing: HashMap<String, EnterpriseData> = ctx
        .store
        .enterprises_by_codes(&ctx.credit_codes())
        .await?
        .into_iter()
        .map(|enterprise| (enterprise.data.credit_code.clone(), enterprise.data))
        .collect();
    let regions = RegionIndex::new(ctx.store.all_regions().await?);
    let industries = if cols.has("industry") { Some(IndustryIndex::new(ctx.store.industries().await?)) } else { None };
    let lookups = Lookups { existing: &existing, regions: &regions, industries: industries.as_ref(), scope: ctx.scope };

    let code_of = |text: &str| credit_code::parse(text).ok().map(|code| code.to_string());
    let written = ctx
        .upsert_by_key(
            report,
            "credit_code",
            code_of,
            &existing,
            |row, problems| check_row(cols, row, &lookups, problems),
            Store::upsert_enterprises,
        )
        .await?;
    if let Some(written) = written {
        report.written_keys = written.into_iter().map(|data| data.credit_code).collect();
    }
    Ok(())
}

struct Lookups<'a> {
    existing: &'a HashMap<String, EnterpriseData>,
    regions: &'a RegionIndex,
    industries: Option<&'a IndustryIndex>,
    scope: &'a ImportScope,
}

/// An amount column in 万元 that may not be negative: `None` when absent (or bad, then
/// with a problem), `Some(None)` when empty.
fn amount_cell(cols: &Columns, row: &SheetRow, key: &'static str, p: &mut RowProblems) -> Option<Option<i64>> {
    match cols.cell(row, key)? {
        "" => Some(None),
        text => match cols.amount(key, text) {
            Ok(amount) if amount.0 >= 0 => Some(Some(amount.0)),
            Ok(_) => {
                p.add(key, "金额不能为负数");
                None
            }
            Err(message) => {
                p.add(key, message);
                None
            }
        },
    }
}

/// Merges a row into the stored enterprise (or a new one) and checks it; `None` when
/// the row has no valid credit code to key it by.
fn check_row(cols: &Columns, row: &SheetRow, lookups: &Lookups, p: &mut RowProblems) -> Option<EnterpriseData> {
    let code_text = cols.text(row, "credit_code");
    let code = match parse_credit_code(code_text) {
        Ok(code) => Some(code),
        Err(_) if code_text.is_empty() => {
            p.add("credit_code", "统一社会信用代码不能为空");
            None
        }
        Err(message) => {
            p.add("credit_code", message);
            None
        }
    };
    let before = code.as_ref().and_then(|code| lookups.existing.get(code));
    let mut data = before.cloned().unwrap_or_default();
    data.credit_code = code.clone().unwrap_or_default();

    match cols.cell(row, "name") {
        Some("") => p.add("name", "企业名称不能为空"),
        Some(name) => data.name = name.to_string(),
        None => {}
    }
    region_cell(cols, row, lookups.regions, &mut data.region_code, p);
    match (cols.cell(row, "industry"), lookups.industries) {
        (Some(""), _) => data.industry.clear(),
        (Some(text), Some(industries)) => match industries.resolve(text) {
            Ok(code) => data.industry = code,
            Err(message) => p.add("industry", message),
        },
        _ => {}
    }
    if let Some(cell) = cols.cell(row, "tags") {
        match parse_tags(cell, None) {
            Ok(tags) => {
                data.tags = tags.labels();
                data.stock_code = tags.stock_code().unwrap_or_default().to_string();
            }
            Err(errors) => p.add("tags", tag_message(&errors)),
        }
    }
    if let Some(revenue) = amount_cell(cols, row, "revenue_wan", p) {
        data.revenue = revenue;
    }
    if let Some(capital) = amount_cell(cols, row, "registered_capital_wan", p) {
        data.registered_capital = capital;
    }
    match cols.cell(row, "employees") {
        Some("") => data.employees = None,
        Some(text) => match parse_count(text) {
            Ok(count) => data.employees = Some(count),
            Err(message) => p.add("employees", message),
        },
        None => {}
    }
    if let Some(text) = cols.cell(row, "description") {
        data.description = text.to_string();
    }
    match cols.cell(row, "is_target") {
        Some("") => data.is_target = false,
        Some(text) => match parse_yes_no(text) {
            Ok(value) => data.is_target = value,
            Err(message) => p.add("is_target", message),
        },
        None => {}
    }

    let region = (!p.has("region")).then_some(data.region_code.as_str());
    if lookups.scope.reaches_outside(before.map(|before| before.region_code.as_str()), region) {
        p.add("credit_code", lookups.scope.not_allowed());
    }
    code.map(|_| data)
}

/// Every tag problem of a cell in one message, with the vocabulary when a tag is unknown.
fn tag_message(errors: &[TagError]) -> String {
    let mut message = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("；");
    if errors.iter().any(|error| matches!(error, TagError::Unknown(_))) {
        message.push_str(&format!("（可用标签：{}）", vocabulary()));
    }
    message
}
