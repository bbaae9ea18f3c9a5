//! Importing projects: upsert by 项目编号, with the stage rules of the forms.
//!
//! A row of a known code starts from the stored project: columns absent from the file
//! keep their stored values, present but empty cells clear them. A new project without
//! a 线索日期 was registered as a lead today.

use super::columns::Columns;
use super::table::SheetRow;
use super::values::{credit_code_cell, date_cell, parse_investor_type, region_cell, IndustryIndex, RegionIndex};
use super::{non_empty_key, Context, ExcessFundsPolicy, ImportReport, ImportScope, RowProblems};
use crate::AppResult;
use chrono::NaiveDate;
use std::collections::HashMap;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::plausible::{funds_exceed_investment, future_fact, ExcessFunds};
use zhaoshang_core::projects::{check_transition, validate_stage, Stage, StageDates, TransitionError};
use zhaoshang_store::projects::{ProjectData, ProjectUpsert};
use zhaoshang_store::Store;

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let cols = ctx.cols;
    let mut codes: Vec<String> =
        ctx.sheet.rows.iter().map(|row| cols.text(row, "code").to_string()).filter(|c| !c.is_empty()).collect();
    codes.sort();
    codes.dedup();
    let existing: HashMap<String, ProjectData> = ctx
        .store
        .projects_by_codes(&codes)
        .await?
        .into_iter()
        .map(|project| (project.data.code.clone(), project.data))
        .collect();
    let funds_in_place: HashMap<String, i64> = ctx.store.funds_in_place_of_codes(&codes).await?.into_iter().collect();
    let regions = RegionIndex::new(ctx.store.all_regions().await?);
    let industries = if cols.has("industry") { Some(IndustryIndex::new(ctx.store.industries().await?)) } else { None };
    let lookups = Lookups {
        existing: &existing,
        funds_in_place: &funds_in_place,
        excess_funds: ctx.excess_funds,
        regions: &regions,
        industries: industries.as_ref(),
        scope: ctx.scope,
        today: crate::calendar::today(),
    };

    let check = |row: &SheetRow, problems: &mut RowProblems| {
        let data = check_row(cols, row, &lookups, problems)?;
        let reason = cols.text(row, "stage_reason");
        let note = if reason.is_empty() { ctx.note.to_string() } else { format!("{}：{reason}", ctx.note) };
        Some(ProjectUpsert { data, note })
    };
    let written = ctx.upsert_by_key(report, "code", non_empty_key, &existing, check, Store::upsert_projects).await?;
    if let Some(written) = written {
        report.written_keys = written.into_iter().map(|record| record.data.code).collect();
    }
    Ok(())
}

struct Lookups<'a> {
    existing: &'a HashMap<String, ProjectData>,
    /// Funds in place (yuan) of the stored projects that have any.
    funds_in_place: &'a HashMap<String, i64>,
    excess_funds: ExcessFundsPolicy,
    regions: &'a RegionIndex,
    industries: Option<&'a IndustryIndex>,
    scope: &'a ImportScope,
    /// The lead date of a new project that gives none, and the last day a fact may be dated.
    today: NaiveDate,
}

/// Merges a row into the stored project (or a new one) and checks it; `None` when the
/// row has no code.
fn check_row(cols: &Columns, row: &SheetRow, lookups: &Lookups, p: &mut RowProblems) -> Option<ProjectData> {
    let code = cols.text(row, "code");
    if code.is_empty() {
        p.add("code", "项目编号不能为空");
    }
    let before = lookups.existing.get(code);
    let mut data = before.cloned().unwrap_or_default();
    data.code = code.to_string();

    match cols.cell(row, "name") {
        Some("") => p.add("name", "项目名称不能为空"),
        Some(name) => data.name = name.to_string(),
        None => {}
    }
    region_cell(cols, row, lookups.regions, &mut data.region_code, p);
    let texts: [(&str, &mut String); 11] = [
        ("park", &mut data.park),
        ("chain", &mut data.chain),
        ("chain_node", &mut data.chain_node),
        ("investor", &mut data.investor),
        ("investor_origin", &mut data.investor_origin),
        ("source", &mut data.source),
        ("source_org", &mut data.source_org),
        ("department", &mut data.department),
        ("leader", &mut data.leader),
        ("signing_activity", &mut data.signing_activity),
        ("owner", &mut data.owner),
    ];
    for (key, field) in texts {
        if let Some(text) = cols.cell(row, key) {
            *field = text.to_string();
        }
    }
    if let Some(text) = cols.cell(row, "description") {
        data.description = text.to_string();
    }
    if let Some(text) = cols.cell(row, "dropped_reason") {
        data.dropped_reason = text.to_string();
    }
    credit_code_cell(cols, row, "investor_credit_code", &mut data.investor_credit_code, p);
    match cols.cell(row, "investor_type") {
        Some("") => data.investor_type.clear(),
        Some(text) => match parse_investor_type(text) {
            Ok(label) => data.investor_type = label.to_string(),
            Err(message) => p.add("investor_type", message),
        },
        None => {}
    }
    match (cols.cell(row, "industry"), lookups.industries) {
        (Some(""), _) => data.industry.clear(),
        (Some(text), Some(industries)) => match industries.resolve(text) {
            Ok(code) => data.industry = code,
            Err(message) => p.add("industry", message),
        },
        _ => {}
    }

    let mut total = (data.total_investment != 0).then_some(Yuan(data.total_investment));
    match cols.cell(row, "total_investment_wan") {
        Some("") => total = None,
        Some(text) => match cols.amount("total_investment_wan", text) {
            Ok(amount) => total = Some(amount),
            Err(message) => p.add("total_investment_wan", message),
        },
        None => {}
    }
    data.total_investment = total.map(|amount| amount.0).unwrap_or(0);
    if !p.has("total_investment_wan") {
        let funds = Yuan(lookups.funds_in_place.get(code).copied().unwrap_or(0));
        let total = Yuan(data.total_investment);
        let excess = funds_exceed_investment(funds, total).then_some((funds, total));
        let changed = before.is_none_or(|before| before.total_investment != data.total_investment);
        let previous = ExcessFunds::from_stored(&data.excess_funds);
        let flag = lookups.excess_funds.apply(previous, excess, changed, "total_investment_wan", p);
        data.excess_funds = flag.key().to_string();
    }
    let facts = [
        ("signed_on", "签约日期", &mut data.signed_on),
        ("started_on", "开工日期", &mut data.started_on),
        ("producing_on", "投产日期", &mut data.producing_on),
    ];
    for (key, name, field) in facts {
        if let Some(date) = date_cell(cols, row, key, p) {
            match date.and_then(|date| future_fact(name, date, lookups.today)) {
                Some(message) => p.add(key, message),
                None => *field = date,
            }
        }
    }
    if let Some(date) = date_cell(cols, row, "lead_on", p) {
        data.lead_on = date;
    }
    if before.is_none() && data.lead_on.is_none() && !p.has("lead_on") {
        data.lead_on = Some(lookups.today);
    }

    let explicit = match cols.cell(row, "stage") {
        None | Some("") => Ok(None),
        Some(text) => Stage::parse(text).map(Some),
    };
    let explicit = match explicit {
        Ok(stage) => stage,
        Err(error) => {
            p.add("stage", format!("{error}，应为 线索、洽谈、签约、开工、投产 或 终止"));
            return (!code.is_empty()).then_some(data);
        }
    };
    let stored_stage = before.and_then(|b| Stage::parse(&b.stage).ok());
    let stage = explicit.unwrap_or_else(|| infer_stage(stored_stage, &data));
    let dates = StageDates { signed_on: data.signed_on, started_on: data.started_on, producing_on: data.producing_on };
    if let Err(field_problems) = validate_stage(stage, &dates, total) {
        for problem in field_problems {
            if !p.has(problem.field) {
                p.add(problem.field, problem.message);
            }
        }
    }

    let stage_reason = cols.text(row, "stage_reason");
    if let Some(from) = stored_stage {
        let reason = if stage == Stage::Dropped && stage_reason.is_empty() {
            cols.text(row, "dropped_reason")
        } else {
            stage_reason
        };
        if let Err(error) = check_transition(from, stage, Some(reason)) {
            let message = match error {
                TransitionError::BackwardNeedsReason => {
                    format!("项目阶段由“{}”退回“{}”，须填写阶段变更原因", from.label(), stage.label())
                }
                TransitionError::DropNeedsReason => "终止项目须填写终止原因".to_string(),
                TransitionError::ReactivateNeedsReason => {
                    format!("恢复已终止的项目（改为“{}”）须填写阶段变更原因", stage.label())
                }
            };
            p.add("stage", message);
        }
    }
    if stage == Stage::Dropped && data.dropped_reason.is_empty() && !stage_reason.is_empty() {
        data.dropped_reason = stage_reason.to_string();
    }
    data.stage = stage.key().to_string();

    let region = (!p.has("region")).then_some(data.region_code.as_str());
    if lookups.scope.reaches_outside(before.map(|before| before.region_code.as_str()), region) {
        p.add("code", lookups.scope.not_allowed());
    }
    (!code.is_empty()).then_some(data)
}

/// The stage of a row that does not name one: from the latest milestone date given,
/// else the stored stage (a 终止 project stays 终止), else 线索.
fn infer_stage(stored: Option<Stage>, data: &ProjectData) -> Stage {
    let from_dates = if data.producing_on.is_some() {
        Some(Stage::Producing)
    } else if data.started_on.is_some() {
        Some(Stage::Started)
    } else if data.signed_on.is_some() {
        Some(Stage::Signed)
    } else {
        None
    };
    match (stored, from_dates) {
        (Some(Stage::Dropped), _) => Stage::Dropped,
        (_, Some(stage)) => stage,
        (Some(stage), None) => stage,
        (None, None) => Stage::Lead,
    }
}
