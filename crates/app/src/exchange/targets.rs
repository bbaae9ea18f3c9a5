//! Importing annual targets: upsert by 所属地区 + 年度.

use super::values::{parse_year, RegionIndex};
use super::{Context, ImportKind, ImportReport, RowProblems};
use crate::AppResult;
use std::collections::HashMap;
use zhaoshang_store::projects::Target;

const KIND: ImportKind = ImportKind::Targets;

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let cols = ctx.cols;
    let regions = RegionIndex::new(ctx.store.all_regions().await?);
    let existing: HashMap<(String, i64), Target> = ctx
        .store
        .targets(None)
        .await?
        .into_iter()
        .map(|target| ((target.region_code.clone(), target.year), target))
        .collect();

    let mut first_row_of: HashMap<(String, i64), usize> = HashMap::new();
    let mut records = Vec::new();
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    for row in &ctx.sheet.rows {
        let mut p = RowProblems::new(KIND, row.number, report);
        let region = match cols.text(row, "region") {
            "" => {
                p.add("region", "所属地区不能为空");
                None
            }
            text => match regions.resolve(text) {
                Ok(region) if !ctx.scope.allows_target_of(&region) => {
                    p.add("region", format!("只能设置下辖地区的年度目标，“{text}”不在其中"));
                    None
                }
                Ok(region) => Some(region),
                Err(message) => {
                    p.add("region", message);
                    None
                }
            },
        };
        let year = match cols.text(row, "year") {
            "" => {
                p.add("year", "年度不能为空");
                None
            }
            text => parse_year(text).map_err(|message| p.add("year", message)).ok(),
        };
        let mut amount = |key: &'static str| -> Option<Option<i64>> {
            match cols.cell(row, key)? {
                "" => Some(None),
                text => match cols.amount(key, text) {
                    Ok(value) if value.0 >= 0 => Some(Some(value.0)),
                    Ok(_) => {
                        p.add(key, "目标不能为负数");
                        None
                    }
                    Err(message) => {
                        p.add(key, message);
                        None
                    }
                },
            }
        };
        let funds = amount("funds_target_wan");
        let signed = amount("signed_investment_target_wan");
        let (Some(region), Some(year)) = (region, year) else {
            continue;
        };
        let key = (region.clone(), year);
        if let Some(first) = first_row_of.get(&key) {
            p.add("year", format!("所属地区和年度与第{first}行重复"));
        } else {
            first_row_of.insert(key.clone(), row.number);
        }
        if p.any() {
            continue;
        }
        let before = existing.get(&key);
        let target = Target {
            region_code: region,
            year,
            funds_target: funds.unwrap_or_else(|| before.and_then(|b| b.funds_target)),
            signed_investment_target: signed.unwrap_or_else(|| before.and_then(|b| b.signed_investment_target)),
        };
        match before {
            Some(before) if *before == target => unchanged += 1,
            Some(_) => updated += 1,
            None => created += 1,
        }
        records.push(target);
    }
    (report.created, report.updated, report.unchanged) = (created, updated, unchanged);
    if ctx.may_write(report) {
        let outcome = ctx.store.upsert_targets(&records, ctx.actor).await?;
        (report.created, report.updated, report.unchanged) = (outcome.created, outcome.updated, outcome.unchanged);
        report.applied = true;
    }
    Ok(())
}
