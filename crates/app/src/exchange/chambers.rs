//! Importing chambers and associations (商协会): upsert by 商会名称. Like activities they
//! belong to no region: a region user adds new ones, only an administrator changes
//! stored ones.

use super::table::SheetRow;
use super::values::{parse_yes_no, RegionIndex};
use super::{Context, ImportReport, RowProblems};
use crate::AppResult;
use std::collections::HashMap;
use zhaoshang_core::chambers::{check_name, check_phone, parse_members, ChamberKind, ChamberLevel, Location};
use zhaoshang_store::chambers::ChamberData;
use zhaoshang_store::Store;

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let existing: HashMap<String, ChamberData> =
        ctx.store.all_chambers().await?.into_iter().map(|chamber| (chamber.data.name.clone(), chamber.data)).collect();
    let regions = RegionIndex::new(ctx.store.all_regions().await?);
    let name_of = |text: &str| check_name(text).is_ok().then(|| text.to_string());
    let check = |row: &SheetRow, problems: &mut RowProblems| Some(check_row(ctx, row, &existing, &regions, problems));
    ctx.upsert_by_key(report, "name", name_of, &existing, check, Store::upsert_chambers).await?;
    Ok(())
}

/// Merges a row into the stored chamber of its name (or a new one) and checks it.
fn check_row(
    ctx: &Context<'_>,
    row: &SheetRow,
    existing: &HashMap<String, ChamberData>,
    regions: &RegionIndex,
    p: &mut RowProblems,
) -> ChamberData {
    let cols = ctx.cols;
    let name = cols.text(row, "name");
    if let Err(message) = check_name(name) {
        p.add("name", message);
    }
    let before = existing.get(name);
    let mut chamber = before.cloned().unwrap_or_default();
    chamber.name = name.to_string();
    match cols.cell(row, "kind") {
        None => {}
        Some("") => chamber.kind.clear(),
        Some(text) => match ChamberKind::parse(text) {
            Ok(kind) => chamber.kind = kind.key().to_string(),
            Err(message) => p.add("kind", message),
        },
    }
    match cols.cell(row, "level") {
        None => {}
        Some("") => chamber.level.clear(),
        Some(text) => match ChamberLevel::parse(text) {
            Ok(level) => chamber.level = level.key().to_string(),
            Err(message) => p.add("level", message),
        },
    }
    match cols.cell(row, "location") {
        None => {}
        Some("") => chamber.location.clear(),
        Some(text) => {
            let location = Location::parse_abroad(text)
                .unwrap_or_else(|| regions.resolve(text).map(Location::Division))
                .map(|location| location.stored());
            match location {
                Ok(location) => chamber.location = location,
                Err(message) => p.add("location", message),
            }
        }
    }
    for (key, field) in
        [("president", &mut chamber.president), ("contact", &mut chamber.contact), ("phone", &mut chamber.phone)]
    {
        if let Some(text) = cols.cell(row, key) {
            *field = text.to_string();
        }
    }
    if !chamber.phone.is_empty() && cols.cell(row, "phone").is_some() {
        if let Err(message) = check_phone(&chamber.phone) {
            p.add("phone", message);
        }
    }
    match cols.cell(row, "liaison_office") {
        None => {}
        Some("") => chamber.liaison_office = false,
        Some(text) => match parse_yes_no(text) {
            Ok(yes) => chamber.liaison_office = yes,
            Err(message) => p.add("liaison_office", message),
        },
    }
    match cols.cell(row, "members") {
        None => {}
        Some("") => chamber.members = None,
        Some(text) => match parse_members(text) {
            Ok(count) => chamber.members = Some(count),
            Err(message) => p.add("members", message),
        },
    }
    if before.is_some_and(|before| *before != chamber) && !ctx.scope.may_change_shared_records() && !p.any() {
        p.add("name", format!("商会“{name}”已在名录中，只有管理员可以修改"));
    }
    chamber
}
