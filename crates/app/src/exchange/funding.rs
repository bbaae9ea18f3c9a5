//! Importing funds in place (到位资金): rows are appended; a row identical to a stored
//! one, or to an earlier row of the file, is a duplicate and is not written again.

use super::values::parse_date;
use super::{Context, ImportKind, ImportReport, RowProblems};
use crate::AppResult;
use chrono::NaiveDate;
use std::collections::HashSet;
use zhaoshang_core::metrics::FundingSource;
use zhaoshang_store::projects::FundingData;

const KIND: ImportKind = ImportKind::Funding;

type Key = (String, NaiveDate, i64, String);

fn key_of(row: &FundingData) -> Key {
    (row.project_code.clone(), row.funded_on, row.amount, row.source.clone())
}

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let cols = ctx.cols;
    let mut codes: Vec<String> =
        ctx.sheet.rows.iter().map(|row| cols.text(row, "code").to_string()).filter(|c| !c.is_empty()).collect();
    codes.sort();
    codes.dedup();
    // Projects outside the importer's scope are as unknown to it as missing ones.
    let known: HashSet<String> = ctx
        .store
        .projects_by_codes(&codes)
        .await?
        .into_iter()
        .filter(|project| ctx.scope.allows(&project.data.region_code))
        .map(|project| project.data.code)
        .collect();
    let mut seen: HashSet<Key> = ctx
        .store
        .funding_of_codes(&codes)
        .await?
        .into_iter()
        .map(|f| (f.project_code, f.funded_on, f.amount, f.source))
        .collect();

    let mut records = Vec::new();
    for row in &ctx.sheet.rows {
        let mut p = RowProblems::new(KIND, row.number, report);
        let code = cols.text(row, "code");
        if code.is_empty() {
            p.add("code", "项目编号不能为空");
        } else if !known.contains(code) {
            p.add("code", format!("项目编号“{code}”不存在，请先导入或登记该项目"));
        }
        let funded_on = match cols.text(row, "date") {
            "" => {
                p.add("date", "到位日期不能为空");
                None
            }
            text => parse_date(text).map_err(|message| p.add("date", message)).ok(),
        };
        let amount = match cols.text(row, "amount_wan") {
            "" => {
                p.add("amount_wan", "到位金额不能为空");
                None
            }
            text => match cols.amount("amount_wan", text) {
                Ok(amount) if amount.0 > 0 => Some(amount),
                Ok(_) => {
                    p.add("amount_wan", "到位金额应大于0");
                    None
                }
                Err(message) => {
                    p.add("amount_wan", message);
                    None
                }
            },
        };
        let source = match cols.text(row, "funding_source") {
            "" => Some(FundingSource::default()),
            text => FundingSource::parse(text)
                .map_err(|error| p.add("funding_source", format!("{error}，应为 省外境内、境外 或 省内")))
                .ok(),
        };
        if p.any() {
            continue;
        }
        let (Some(funded_on), Some(amount), Some(source)) = (funded_on, amount, source) else {
            continue;
        };
        let record = FundingData {
            project_code: code.to_string(),
            funded_on,
            amount: amount.0,
            source: source.key().to_string(),
        };
        if seen.insert(key_of(&record)) {
            records.push(record);
        } else {
            report.duplicates += 1;
            report.duplicate_rows.push(row.number);
        }
    }
    report.created = records.len();
    if ctx.may_write(report) {
        let outcome = ctx.store.insert_funding(&records, ctx.actor).await?;
        report.created = outcome.inserted;
        report.duplicates += outcome.duplicates.len();
        report.applied = true;
    }
    Ok(())
}
