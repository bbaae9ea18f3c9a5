//! Project stages of the pipeline (线索 → 洽谈 → 签约 → 开工 → 投产, or 终止),
//! the dates each stage must carry, and which moves between stages need a reason.

use crate::money::Yuan;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Lead,
    Negotiating,
    Signed,
    Started,
    Producing,
    Dropped,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的项目阶段“{0}”")]
pub struct UnknownStage(pub String);

impl Stage {
    /// Forward stages in order, then 终止.
    pub const ALL: [Stage; 6] =
        [Stage::Lead, Stage::Negotiating, Stage::Signed, Stage::Started, Stage::Producing, Stage::Dropped];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Lead => "线索",
            Stage::Negotiating => "洽谈",
            Stage::Signed => "签约",
            Stage::Started => "开工",
            Stage::Producing => "投产",
            Stage::Dropped => "终止",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Stage::Lead => "lead",
            Stage::Negotiating => "negotiating",
            Stage::Signed => "signed",
            Stage::Started => "started",
            Stage::Producing => "producing",
            Stage::Dropped => "dropped",
        }
    }

    /// Accepts the Chinese label or the English key, surrounding spaces ignored.
    pub fn parse(text: &str) -> Result<Stage, UnknownStage> {
        let text = text.trim();
        Stage::ALL
            .into_iter()
            .find(|stage| stage.label() == text || stage.key() == text)
            .ok_or_else(|| UnknownStage(text.to_string()))
    }

    /// Position on the forward line (线索 = 0 … 投产 = 4); `None` for 终止, which is off the line.
    pub fn ordinal(self) -> Option<u8> {
        match self {
            Stage::Lead => Some(0),
            Stage::Negotiating => Some(1),
            Stage::Signed => Some(2),
            Stage::Started => Some(3),
            Stage::Producing => Some(4),
            Stage::Dropped => None,
        }
    }

    /// Whether this forward stage is `milestone` or later; always false for 终止.
    pub fn has_reached(self, milestone: Stage) -> bool {
        match (self.ordinal(), milestone.ordinal()) {
            (Some(own), Some(required)) => own >= required,
            _ => false,
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Stage {
    type Err = UnknownStage;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Stage::parse(text)
    }
}

/// The milestone dates that prove a project's stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDates {
    pub signed_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
}

pub const FIELD_SIGNED_ON: &str = "signed_on";
pub const FIELD_STARTED_ON: &str = "started_on";
pub const FIELD_PRODUCING_ON: &str = "producing_on";
pub const FIELD_TOTAL_INVESTMENT: &str = "total_investment_wan";

/// One problem with one form field; `field` is the English key the form uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

impl FieldProblem {
    fn new(field: &'static str, message: impl Into<String>) -> FieldProblem {
        FieldProblem { field, message: message.into() }
    }
}

struct Milestone {
    stage: Stage,
    field: &'static str,
    name: &'static str,
    date: Option<NaiveDate>,
}

/// Checks that the dates and total investment fit the stage. Returns every problem at once,
/// ordered by field, so a form can mark all of them.
pub fn validate_stage(
    stage: Stage,
    dates: &StageDates,
    total_investment: Option<Yuan>,
) -> Result<(), Vec<FieldProblem>> {
    let milestones = [
        Milestone { stage: Stage::Signed, field: FIELD_SIGNED_ON, name: "签约日期", date: dates.signed_on },
        Milestone { stage: Stage::Started, field: FIELD_STARTED_ON, name: "开工日期", date: dates.started_on },
        Milestone {
            stage: Stage::Producing, field: FIELD_PRODUCING_ON, name: "投产日期", date: dates.producing_on
        },
    ];
    let mut problems = Vec::new();

    for (index, milestone) in milestones.iter().enumerate() {
        // 终止 keeps whatever dates it had reached, so it neither needs nor forbids any.
        let reached = stage == Stage::Dropped || stage.has_reached(milestone.stage);
        match milestone.date {
            None if stage != Stage::Dropped && reached => {
                problems
                    .push(FieldProblem::new(milestone.field, format!("{}阶段须填写{}", stage.label(), milestone.name)));
            }
            Some(_) if !reached => {
                problems.push(FieldProblem::new(
                    milestone.field,
                    format!("项目尚未{}，不应填写{}", milestone.stage.label(), milestone.name),
                ));
            }
            Some(date) => {
                // Compare with the nearest earlier date present, so a gap (no 开工日期) still
                // keeps 投产 after 签约.
                let earlier = milestones[..index].iter().rev().find_map(|m| m.date.map(|d| (m, d)));
                if let Some((earlier, earlier_date)) = earlier {
                    if date < earlier_date {
                        problems.push(FieldProblem::new(
                            milestone.field,
                            format!("{}不能早于{}", milestone.name, earlier.name),
                        ));
                    }
                }
            }
            None => {}
        }
    }

    let needs_investment = stage.has_reached(Stage::Signed);
    match total_investment {
        None if needs_investment => {
            problems.push(FieldProblem::new(FIELD_TOTAL_INVESTMENT, "签约后须填写总投资"));
        }
        Some(amount) if amount.0 <= 0 && (needs_investment || amount.0 < 0) => {
            problems.push(FieldProblem::new(FIELD_TOTAL_INVESTMENT, "总投资应大于0"));
        }
        _ => {}
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitionKind {
    Unchanged,
    Forward,
    Backward,
    Drop,
    Reactivate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("退回阶段须说明原因")]
    BackwardNeedsReason,
    #[error("终止项目须说明原因")]
    DropNeedsReason,
    #[error("恢复已终止的项目须说明原因")]
    ReactivateNeedsReason,
}

/// Classifies a stage change. Skipping forward is allowed because the dates carry the proof;
/// anything that undoes progress needs a non-blank reason for the record.
pub fn check_transition(from: Stage, to: Stage, reason: Option<&str>) -> Result<TransitionKind, TransitionError> {
    let has_reason = reason.is_some_and(|text| !text.trim().is_empty());
    let (kind, error) = match (from.ordinal(), to.ordinal()) {
        _ if from == to => return Ok(TransitionKind::Unchanged),
        (None, _) => (TransitionKind::Reactivate, TransitionError::ReactivateNeedsReason),
        (_, None) => (TransitionKind::Drop, TransitionError::DropNeedsReason),
        (Some(old), Some(new)) if new > old => return Ok(TransitionKind::Forward),
        _ => (TransitionKind::Backward, TransitionError::BackwardNeedsReason),
    };
    if has_reason {
        Ok(kind)
    } else {
        Err(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::day;

    fn dates(signed: Option<&str>, started: Option<&str>, producing: Option<&str>) -> StageDates {
        StageDates { signed_on: signed.map(day), started_on: started.map(day), producing_on: producing.map(day) }
    }

    fn fields(result: Result<(), Vec<FieldProblem>>) -> Vec<&'static str> {
        result.unwrap_err().into_iter().map(|problem| problem.field).collect()
    }

    const TEN_YI: Option<Yuan> = Some(Yuan(1_000_000_000));

    #[test]
    fn labels_keys_and_parse_round_trip() {
        let labels: Vec<_> = Stage::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(labels, ["线索", "洽谈", "签约", "开工", "投产", "终止"]);
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.label()), Ok(stage));
            assert_eq!(Stage::parse(stage.key()), Ok(stage));
            assert_eq!(Stage::parse(&format!("  {} ", stage.label())), Ok(stage));
            assert_eq!(stage.to_string(), stage.label());
        }
        assert_eq!("started".parse::<Stage>(), Ok(Stage::Started));
    }

    #[test]
    fn parse_rejects_unknown_text_in_chinese() {
        assert_eq!(Stage::parse(""), Err(UnknownStage(String::new())));
        assert_eq!(Stage::parse("Lead"), Err(UnknownStage("Lead".into())));
        assert_eq!(Stage::parse(" 已签约 ").unwrap_err().to_string(), "未知的项目阶段“已签约”");
    }

    #[test]
    fn serde_uses_english_keys() {
        assert_eq!(serde_json::to_string(&Stage::Negotiating).unwrap(), "\"negotiating\"");
        assert_eq!(serde_json::from_str::<Stage>("\"dropped\"").unwrap(), Stage::Dropped);
        for stage in Stage::ALL {
            assert_eq!(serde_json::to_string(&stage).unwrap(), format!("\"{}\"", stage.key()));
        }
        assert!(serde_json::from_str::<Stage>("\"签约\"").is_err());
    }

    #[test]
    fn ordinal_orders_the_forward_line_and_leaves_dropped_off() {
        let ordinals: Vec<_> = Stage::ALL.iter().map(|s| s.ordinal()).collect();
        assert_eq!(ordinals, [Some(0), Some(1), Some(2), Some(3), Some(4), None]);
        assert!(Stage::Producing.has_reached(Stage::Signed));
        assert!(Stage::Signed.has_reached(Stage::Signed));
        assert!(!Stage::Negotiating.has_reached(Stage::Signed));
        assert!(!Stage::Dropped.has_reached(Stage::Lead));
    }

    #[test]
    fn complete_records_pass_for_every_stage() {
        assert_eq!(validate_stage(Stage::Lead, &StageDates::default(), None), Ok(()));
        assert_eq!(validate_stage(Stage::Negotiating, &StageDates::default(), TEN_YI), Ok(()));
        assert_eq!(validate_stage(Stage::Signed, &dates(Some("2024-03-01"), None, None), TEN_YI), Ok(()));
        let started = dates(Some("2024-03-01"), Some("2024-03-01"), None);
        assert_eq!(validate_stage(Stage::Started, &started, TEN_YI), Ok(()));
        let producing = dates(Some("2024-03-01"), Some("2024-05-01"), Some("2025-01-10"));
        assert_eq!(validate_stage(Stage::Producing, &producing, TEN_YI), Ok(()));
    }

    #[test]
    fn a_stage_needs_its_own_date_and_the_earlier_ones() {
        let problems = validate_stage(Stage::Producing, &StageDates::default(), TEN_YI).unwrap_err();
        assert_eq!(
            problems,
            vec![
                FieldProblem::new("signed_on", "投产阶段须填写签约日期"),
                FieldProblem::new("started_on", "投产阶段须填写开工日期"),
                FieldProblem::new("producing_on", "投产阶段须填写投产日期"),
            ]
        );
        let only_signed = dates(Some("2024-03-01"), None, None);
        assert_eq!(fields(validate_stage(Stage::Started, &only_signed, TEN_YI)), ["started_on"]);
        let only_started = dates(None, Some("2024-03-01"), None);
        assert_eq!(fields(validate_stage(Stage::Started, &only_started, TEN_YI)), ["signed_on"]);
    }

    #[test]
    fn total_investment_is_required_and_positive_from_signing_on() {
        let signed = dates(Some("2024-03-01"), None, None);
        let missing = validate_stage(Stage::Signed, &signed, None).unwrap_err();
        assert_eq!(missing, vec![FieldProblem::new("total_investment_wan", "签约后须填写总投资")]);
        assert_eq!(fields(validate_stage(Stage::Signed, &signed, Some(Yuan(0)))), ["total_investment_wan"]);
        assert_eq!(fields(validate_stage(Stage::Signed, &signed, Some(Yuan(-1)))), ["total_investment_wan"]);
        assert_eq!(validate_stage(Stage::Signed, &signed, Some(Yuan(1))), Ok(()));
        // Before signing the amount is optional; an estimate of 0 is tolerated, a negative one is not.
        assert_eq!(validate_stage(Stage::Negotiating, &StageDates::default(), Some(Yuan(0))), Ok(()));
        assert_eq!(
            fields(validate_stage(Stage::Lead, &StageDates::default(), Some(Yuan(-5)))),
            ["total_investment_wan"]
        );
    }

    #[test]
    fn dates_of_stages_not_reached_are_problems() {
        let started_lead = dates(None, Some("2024-03-01"), None);
        let problems = validate_stage(Stage::Lead, &started_lead, None).unwrap_err();
        assert_eq!(problems, vec![FieldProblem::new("started_on", "项目尚未开工，不应填写开工日期")]);
        let all_dates = dates(Some("2024-03-01"), Some("2024-04-01"), Some("2024-05-01"));
        assert_eq!(
            fields(validate_stage(Stage::Negotiating, &all_dates, TEN_YI)),
            ["signed_on", "started_on", "producing_on"]
        );
        assert_eq!(fields(validate_stage(Stage::Signed, &all_dates, TEN_YI)), ["started_on", "producing_on"]);
    }

    #[test]
    fn dates_must_be_in_order() {
        let started_before_signed = dates(Some("2024-03-02"), Some("2024-03-01"), None);
        let problems = validate_stage(Stage::Started, &started_before_signed, TEN_YI).unwrap_err();
        assert_eq!(problems, vec![FieldProblem::new("started_on", "开工日期不能早于签约日期")]);

        let producing_before_started = dates(Some("2024-01-01"), Some("2024-06-01"), Some("2024-05-31"));
        let problems = validate_stage(Stage::Producing, &producing_before_started, TEN_YI).unwrap_err();
        assert_eq!(problems, vec![FieldProblem::new("producing_on", "投产日期不能早于开工日期")]);

        // Same day throughout is in order.
        let same_day = dates(Some("2024-01-01"), Some("2024-01-01"), Some("2024-01-01"));
        assert_eq!(validate_stage(Stage::Producing, &same_day, TEN_YI), Ok(()));
    }

    #[test]
    fn returns_all_problems_not_just_the_first() {
        let messy = dates(None, Some("2024-06-01"), Some("2024-05-01"));
        let problems = validate_stage(Stage::Producing, &messy, None).unwrap_err();
        assert_eq!(
            problems,
            vec![
                FieldProblem::new("signed_on", "投产阶段须填写签约日期"),
                FieldProblem::new("producing_on", "投产日期不能早于开工日期"),
                FieldProblem::new("total_investment_wan", "签约后须填写总投资"),
            ]
        );
    }

    #[test]
    fn dropped_may_carry_reached_dates_but_still_in_order() {
        assert_eq!(validate_stage(Stage::Dropped, &StageDates::default(), None), Ok(()));
        let signed_only = dates(Some("2024-03-01"), None, None);
        assert_eq!(validate_stage(Stage::Dropped, &signed_only, TEN_YI), Ok(()));
        let all_dates = dates(Some("2024-03-01"), Some("2024-04-01"), Some("2024-05-01"));
        assert_eq!(validate_stage(Stage::Dropped, &all_dates, TEN_YI), Ok(()));

        // No 开工日期 in between: 投产 is still compared with 签约.
        let gap = dates(Some("2024-03-01"), None, Some("2024-02-01"));
        let problems = validate_stage(Stage::Dropped, &gap, TEN_YI).unwrap_err();
        assert_eq!(problems, vec![FieldProblem::new("producing_on", "投产日期不能早于签约日期")]);
        assert_eq!(fields(validate_stage(Stage::Dropped, &signed_only, Some(Yuan(-1)))), ["total_investment_wan"]);
    }

    #[test]
    fn forward_moves_of_any_length_need_no_reason() {
        assert_eq!(check_transition(Stage::Lead, Stage::Negotiating, None), Ok(TransitionKind::Forward));
        assert_eq!(check_transition(Stage::Negotiating, Stage::Started, None), Ok(TransitionKind::Forward));
        assert_eq!(check_transition(Stage::Lead, Stage::Producing, None), Ok(TransitionKind::Forward));
        for stage in Stage::ALL {
            assert_eq!(check_transition(stage, stage, None), Ok(TransitionKind::Unchanged));
        }
    }

    #[test]
    fn moving_back_needs_a_non_blank_reason() {
        assert_eq!(check_transition(Stage::Started, Stage::Signed, None), Err(TransitionError::BackwardNeedsReason));
        assert_eq!(
            check_transition(Stage::Producing, Stage::Lead, Some("  \n")),
            Err(TransitionError::BackwardNeedsReason)
        );
        assert_eq!(
            check_transition(Stage::Started, Stage::Signed, Some("开工日期录入有误")),
            Ok(TransitionKind::Backward)
        );
        assert_eq!(TransitionError::BackwardNeedsReason.to_string(), "退回阶段须说明原因");
    }

    #[test]
    fn dropping_needs_a_reason_from_any_stage() {
        for stage in Stage::ALL.into_iter().filter(|&s| s != Stage::Dropped) {
            assert_eq!(check_transition(stage, Stage::Dropped, None), Err(TransitionError::DropNeedsReason));
            assert_eq!(check_transition(stage, Stage::Dropped, Some("")), Err(TransitionError::DropNeedsReason));
            assert_eq!(check_transition(stage, Stage::Dropped, Some("企业撤资")), Ok(TransitionKind::Drop));
        }
        assert_eq!(TransitionError::DropNeedsReason.to_string(), "终止项目须说明原因");
    }

    #[test]
    fn reactivating_a_dropped_project_needs_a_reason() {
        for stage in Stage::ALL.into_iter().filter(|&s| s != Stage::Dropped) {
            assert_eq!(check_transition(Stage::Dropped, stage, None), Err(TransitionError::ReactivateNeedsReason));
            assert_eq!(check_transition(Stage::Dropped, stage, Some("企业重新投资")), Ok(TransitionKind::Reactivate));
        }
    }
}
