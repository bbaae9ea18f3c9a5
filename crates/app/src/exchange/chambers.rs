//! Importing chambers and associations (商协会): upsert by 商会名称. Like activities they
//! belong to no region: a region user adds new ones, only an administrator changes
//! stored ones.

use super::values::{parse_yes_no, RegionIndex};
use super::{Context, ImportKind, ImportReport, RowProblems};
use crate::AppResult;
use std::collections::HashMap;
use zhaoshang_core::chambers::{check_name, check_phone, parse_members, ChamberKind, ChamberLevel, Location};
use zhaoshang_store::chambers::ChamberData;

const KIND: ImportKind = ImportKind::Chambers;

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let cols = ctx.cols;
    let existing: HashMap<String, ChamberData> =
        ctx.store.all_chambers().await?.into_iter().map(|chamber| (chamber.data.name.clone(), chamber.data)).collect();
    let regions = RegionIndex::new(ctx.store.all_regions().await?);

    let mut first_row_of: HashMap<&str, usize> = HashMap::new();
    let mut records = Vec::new();
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    for row in &ctx.sheet.rows {
        let mut p = RowProblems::new(KIND, row.number, report);
        let name = cols.text(row, "name");
        match check_name(name) {
            Err(message) => p.add("name", message),
            Ok(()) => match first_row_of.get(name) {
                Some(first) => p.add("name", format!("商会名称与第{first}行重复")),
                None => {
                    first_row_of.insert(name, row.number);
                }
            },
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
        if p.any() {
            continue;
        }
        match before {
            Some(before) if *before == chamber => unchanged += 1,
            Some(_) => updated += 1,
            None => created += 1,
        }
        records.push(chamber);
    }
    (report.created, report.updated, report.unchanged) = (created, updated, unchanged);
    if ctx.may_write(report) {
        let outcome = ctx.store.upsert_chambers(&records, ctx.actor).await?;
        (report.created, report.updated, report.unchanged) = (outcome.created, outcome.updated, outcome.unchanged);
        report.applied = true;
    }
    Ok(())
}
