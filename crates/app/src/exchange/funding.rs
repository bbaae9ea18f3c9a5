//! Importing funds in place (到位资金): rows are appended; a row identical to a stored
//! one, or to an earlier row of the file, is a duplicate and is not written again. A
//! project whose funds in place come to exceed its total investment is flagged (see
//! `ExcessFundsPolicy`), answered for by its last row in the file.

use super::values::parse_date;
use super::{Context, ImportKind, ImportReport, RowProblems};
use crate::AppResult;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use zhaoshang_core::metrics::FundingSource;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::plausible::{funds_exceed_investment, future_fact, ExcessFunds};
use zhaoshang_store::projects::{ExcessFundsChange, FundingData, ProjectData};

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
    let known: HashMap<String, ProjectData> = ctx
        .store
        .projects_by_codes(&codes)
        .await?
        .into_iter()
        .filter(|project| ctx.scope.allows(&project.data.region_code))
        .map(|project| (project.data.code.clone(), project.data))
        .collect();
    let stored = ctx.store.funding_of_codes(&codes).await?;
    // Funds in place per project: the stored records, then the file's as they are read.
    let mut funds_in_place: HashMap<String, i64> = HashMap::new();
    for record in &stored {
        *funds_in_place.entry(record.project_code.clone()).or_default() += record.amount;
    }
    let mut seen: HashSet<Key> =
        stored.into_iter().map(|f| (f.project_code, f.funded_on, f.amount, f.source)).collect();
    // Each project's last row that added funds, which answers for its flag.
    let mut last_row_of: HashMap<String, usize> = HashMap::new();

    let today = crate::calendar::today();
    let mut records = Vec::new();
    let total = ctx.sheet.rows.len();
    for (index, row) in ctx.sheet.rows.iter().enumerate() {
        ctx.progress.checked(index + 1, total);
        let mut p = RowProblems::new(KIND, row.number, report);
        let code = cols.text(row, "code");
        if code.is_empty() {
            p.add("code", "项目编号不能为空");
        } else if !known.contains_key(code) {
            p.add("code", format!("项目编号“{code}”不存在，请先导入或登记该项目"));
        }
        let funded_on = match cols.text(row, "date") {
            "" => {
                p.add("date", "到位日期不能为空");
                None
            }
            text => match parse_date(text) {
                Ok(date) => match future_fact("到位日期", date, today) {
                    Some(message) => {
                        p.add("date", message);
                        None
                    }
                    None => Some(date),
                },
                Err(message) => {
                    p.add("date", message);
                    None
                }
            },
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
            *funds_in_place.entry(record.project_code.clone()).or_default() += record.amount;
            last_row_of.insert(record.project_code.clone(), row.number);
            records.push(record);
        } else {
            report.duplicates += 1;
            report.duplicate_rows.push(row.number);
        }
    }
    let mut flags = Vec::new();
    let mut rows: Vec<(&String, &usize)> = last_row_of.iter().collect();
    rows.sort_by_key(|&(_, row)| *row);
    for (code, &row) in rows {
        let project = &known[code];
        let (funds, total) = (Yuan(funds_in_place[code]), Yuan(project.total_investment));
        let excess = funds_exceed_investment(funds, total).then_some((funds, total));
        let previous = ExcessFunds::from_stored(&project.excess_funds);
        let mut p = RowProblems::new(KIND, row, report);
        let flag = ctx.excess_funds.apply(previous, excess, true, "amount_wan", &mut p);
        if flag != previous {
            let (before, after) = (previous.key().to_string(), flag.key().to_string());
            flags.push(ExcessFundsChange { code: code.clone(), before, after });
        }
    }
    report.created = records.len();
    if ctx.may_write(report) {
        let store = ctx.progress.writing(ctx.store, records.len());
        let outcome = store.insert_funding(&records, &flags, ctx.actor).await?;
        report.created = outcome.inserted;
        report.duplicates += outcome.duplicates.len();
        report.applied = true;
    }
    Ok(())
}
