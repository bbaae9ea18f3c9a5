//! Importing investment-promotion activities: upsert by 活动名称. The chambers that took
//! part (参与商会) must be in the registry.

use super::values::parse_date;
use super::{Context, ImportKind, ImportReport, RowProblems};
use crate::AppResult;
use std::collections::{HashMap, HashSet};
use zhaoshang_core::chambers::split_names;
use zhaoshang_store::activities::Activity;

const KIND: ImportKind = ImportKind::Activities;

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let cols = ctx.cols;
    let existing: HashMap<String, Activity> =
        ctx.store.activities().await?.into_iter().map(|activity| (activity.name.clone(), activity)).collect();
    let chambers: HashSet<String> = if cols.has("chambers") {
        ctx.store.all_chambers().await?.into_iter().map(|chamber| chamber.data.name).collect()
    } else {
        HashSet::new()
    };

    let mut first_row_of: HashMap<&str, usize> = HashMap::new();
    let mut records = Vec::new();
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    for row in &ctx.sheet.rows {
        let mut p = RowProblems::new(KIND, row.number, report);
        let name = cols.text(row, "name");
        if name.is_empty() {
            p.add("name", "活动名称不能为空");
        } else if let Some(first) = first_row_of.get(name) {
            p.add("name", format!("活动名称与第{first}行重复"));
        } else {
            first_row_of.insert(name, row.number);
        }
        let before = existing.get(name);
        let mut activity = before.cloned().unwrap_or_default();
        activity.name = name.to_string();
        for (key, field) in
            [("kind", &mut activity.kind), ("place", &mut activity.place), ("organiser", &mut activity.organiser)]
        {
            if let Some(text) = cols.cell(row, key) {
                *field = text.to_string();
            }
        }
        for (key, field) in [("start_on", &mut activity.start_on), ("end_on", &mut activity.end_on)] {
            match cols.cell(row, key) {
                None => {}
                Some("") => *field = None,
                Some(text) => match parse_date(text) {
                    Ok(date) => *field = Some(date),
                    Err(message) => p.add(key, message),
                },
            }
        }
        if let Some(cell) = cols.cell(row, "chambers") {
            let names = split_names(cell);
            let unknown: Vec<&str> =
                names.iter().filter(|name| !chambers.contains(*name)).map(String::as_str).collect();
            if unknown.is_empty() {
                activity.chambers = names;
            } else {
                p.add("chambers", format!("商会“{}”不在商会名录中，请先导入商协会名录", unknown.join("、")));
            }
        }
        if let (Some(start), Some(end)) = (activity.start_on, activity.end_on) {
            if end < start && !p.has("start_on") && !p.has("end_on") {
                p.add("end_on", "结束日期不能早于开始日期");
            }
        }
        if before.is_some_and(|before| *before != activity) && !ctx.scope.may_change_shared_records() && !p.any() {
            p.add("name", format!("活动“{name}”已存在，只有管理员可以修改"));
        }
        if p.any() {
            continue;
        }
        match before {
            Some(before) if *before == activity => unchanged += 1,
            Some(_) => updated += 1,
            None => created += 1,
        }
        records.push(activity);
    }
    (report.created, report.updated, report.unchanged) = (created, updated, unchanged);
    if ctx.may_write(report) {
        let outcome = ctx.store.upsert_activities(&records, ctx.actor).await?;
        (report.created, report.updated, report.unchanged) = (outcome.created, outcome.updated, outcome.unchanged);
        report.applied = true;
    }
    Ok(())
}
