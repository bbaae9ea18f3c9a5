//! Importing investment-promotion activities: upsert by 活动名称. The chambers that took
//! part (参与商会) must be in the registry; the people (参与人员) read as the form's
//! (`core::activities::parse_participants`). A region user's new activity is its
//! region's; a stored one is changed by the admin, or by its region's staff.

use super::scope::ImportScope;
use super::table::SheetRow;
use super::values::date_cell;
use super::{non_empty_key, Context, ImportReport, RowProblems};
use crate::AppResult;
use std::collections::{HashMap, HashSet};
use zhaoshang_core::activities::parse_participants;
use zhaoshang_core::chambers::split_names;
use zhaoshang_store::activities::Activity;
use zhaoshang_store::Store;

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let existing: HashMap<String, Activity> =
        ctx.store.activities().await?.into_iter().map(|activity| (activity.name.clone(), activity)).collect();
    let chambers: HashSet<String> = if ctx.cols.has("chambers") {
        ctx.store.all_chambers().await?.into_iter().map(|chamber| chamber.data.name).collect()
    } else {
        HashSet::new()
    };
    let check = |row: &SheetRow, problems: &mut RowProblems| Some(check_row(ctx, row, &existing, &chambers, problems));
    ctx.upsert_by_key(report, "name", non_empty_key, &existing, check, Store::upsert_activities).await?;
    Ok(())
}

/// Merges a row into the stored activity of its name (or a new one) and checks it.
fn check_row(
    ctx: &Context<'_>,
    row: &SheetRow,
    existing: &HashMap<String, Activity>,
    chambers: &HashSet<String>,
    p: &mut RowProblems,
) -> Activity {
    let cols = ctx.cols;
    let name = cols.text(row, "name");
    if name.is_empty() {
        p.add("name", "活动名称不能为空");
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
        if let Some(date) = date_cell(cols, row, key, p) {
            *field = date;
        }
    }
    if let Some(cell) = cols.cell(row, "chambers") {
        let names = split_names(cell);
        let unknown: Vec<&str> = names.iter().filter(|name| !chambers.contains(*name)).map(String::as_str).collect();
        if unknown.is_empty() {
            activity.chambers = names;
        } else {
            p.add("chambers", format!("商会“{}”不在商会名录中，请先导入商协会名录", unknown.join("、")));
        }
    }
    if let Some(cell) = cols.cell(row, "participants") {
        match parse_participants(cell) {
            Ok(people) => activity.participants = people,
            Err(problem) => p.add("participants", problem),
        }
    }
    if before.is_none() {
        if let ImportScope::Within(own) = ctx.scope {
            activity.region_code = Some(own.to_string());
        }
    }
    if let (Some(start), Some(end)) = (activity.start_on, activity.end_on) {
        if end < start && !p.has("start_on") && !p.has("end_on") {
            p.add("end_on", "结束日期不能早于开始日期");
        }
    }
    let own = |before: &Activity| before.region_code.as_deref().is_some_and(|code| ctx.scope.allows(code));
    if before.is_some_and(|before| *before != activity && !own(before))
        && !ctx.scope.may_change_shared_records()
        && !p.any()
    {
        p.add("name", format!("活动“{name}”已存在，只有管理员或其所属地区可以修改"));
    }
    activity
}
