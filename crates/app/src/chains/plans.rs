//! Rules of the 一企一案 forms: what a plan and a visit need before they are stored, with
//! Chinese messages per field, and when a plan's next step is overdue.

use chrono::NaiveDate;
use zhaoshang_core::projects::plausible::past_due;
use zhaoshang_store::plans::{PlanData, PlanFilter, VisitData, PLAN_STATUSES};

pub use zhaoshang_core::forms::FieldErrors;
use zhaoshang_core::forms::{parse_day, text};

/// The longest approach or next step kept (a paragraph, not a report).
const MAX_TEXT: usize = 500;

/// A plan's fields as the form submits them.
#[derive(Debug, Clone, Default)]
pub struct PlanInput<'a> {
    pub approach: &'a str,
    pub next_step: &'a str,
    pub due_on: &'a str,
    /// Empty for a new plan, which starts active.
    pub status: &'a str,
}

/// A plan's checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFields {
    pub approach: String,
    pub next_step: String,
    pub due_on: NaiveDate,
    pub status: String,
}

/// Checks a plan form: approach, next step and its due date are required; the status is one
/// of `PLAN_STATUSES` (a new plan is active). A new next step (on a new plan, or another
/// step or due date than `before`'s) may not be due before `today`; a stored one keeps its date.
pub fn check_plan(input: &PlanInput, before: Option<&PlanData>, today: NaiveDate) -> Result<PlanFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let approach = text(&mut errors, "approach", "招商方式", input.approach, MAX_TEXT, true);
    let next_step = text(&mut errors, "next_step", "下一步工作", input.next_step, MAX_TEXT, true);
    let due_on = parse_day(&mut errors, "due_on", "到期日", input.due_on);
    if let Some(due) = due_on {
        let kept = before.is_some_and(|before| before.next_step == next_step && before.due_on == Some(due));
        if let Some(message) = past_due("到期日", due, today).filter(|_| !kept) {
            errors.insert("due_on", message);
        }
    }
    let status = match input.status.trim() {
        "" => "active".to_string(),
        key if PLAN_STATUSES.iter().any(|(k, _)| *k == key) => key.to_string(),
        other => {
            errors.insert("status", format!("状态“{other}”无效"));
            String::new()
        }
    };
    match due_on {
        Some(due_on) if errors.is_empty() => Ok(PlanFields { approach, next_step, due_on, status }),
        _ => Err(errors),
    }
}

/// Checks a visit: date (not in the future), visitor and summary are required.
pub fn check_visit(visited_on: &str, visitor: &str, summary: &str, today: NaiveDate) -> Result<VisitData, FieldErrors> {
    let mut errors = FieldErrors::new();
    let date = parse_day(&mut errors, "visited_on", "走访日期", visited_on);
    if date.is_some_and(|date| date > today) {
        errors.insert("visited_on", "走访日期不能晚于今天".to_string());
    }
    let visitor = text(&mut errors, "visitor", "走访人", visitor, MAX_TEXT, true);
    let summary = text(&mut errors, "summary", "走访情况", summary, MAX_TEXT, true);
    match date {
        Some(visited_on) if errors.is_empty() => Ok(VisitData { visited_on, visitor, summary }),
        _ => Err(errors),
    }
}

/// A next step is overdue when the plan is still pursued and its due day has passed.
pub fn is_overdue(status: &str, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    status == "active" && due_on.is_some_and(|due| due < today)
}

/// Whether saving `after` (over `before`, `None` for a new plan) gives its owner a to-do
/// to be told of: an active plan's next step with a due date that is new, or now has
/// another step, due date or owner than before.
pub fn gives_new_to_do(before: Option<&PlanData>, after: &PlanData) -> bool {
    fn to_do(d: &PlanData) -> Option<(i64, &str, NaiveDate)> {
        d.due_on.filter(|_| d.status == "active").map(|due| (d.owner_id, d.next_step.as_str(), due))
    }
    to_do(after).is_some() && before.and_then(to_do) != to_do(after)
}

/// The plans of `owner_id` whose next step is overdue on `today` (the owner's inbox).
pub fn overdue_filter(owner_id: i64, today: NaiveDate) -> PlanFilter {
    PlanFilter {
        owner_id: Some(owner_id),
        status: Some("active".into()),
        due_before: Some(today),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_step_due_on_an_active_plan_is_a_new_to_do_until_saved_unchanged() {
        let step = PlanData {
            owner_id: 7,
            next_step: "赴总部拜访".into(),
            due_on: Some(day("2026-03-02")),
            status: "active".into(),
            ..Default::default()
        };
        assert!(gives_new_to_do(None, &step), "a new plan");
        let reworded = PlanData { approach: "以商招商".into(), ..step.clone() };
        assert!(!gives_new_to_do(Some(&step), &reworded), "only the approach changed");
        for changed in [
            PlanData { next_step: "签约".into(), ..step.clone() },
            PlanData { due_on: Some(day("2026-03-09")), ..step.clone() },
            PlanData { owner_id: 8, ..step.clone() },
        ] {
            assert!(gives_new_to_do(Some(&step), &changed), "{changed:?}");
        }
        let paused = PlanData { status: "paused".into(), ..step.clone() };
        assert!(gives_new_to_do(Some(&paused), &step), "pursued again");
        assert!(!gives_new_to_do(Some(&step), &paused), "no longer pursued");
        assert!(!gives_new_to_do(None, &PlanData { due_on: None, ..step }), "nothing due");
    }

    #[test]
    fn a_complete_plan_passes_and_starts_active() {
        let input =
            PlanInput { approach: " 以商招商 ", next_step: "赴总部拜访", due_on: "2026-03-01", status: "" };
        let fields = check_plan(&input, None, day("2026-03-01")).unwrap();
        assert_eq!(fields.approach, "以商招商");
        assert_eq!(fields.due_on, day("2026-03-01"));
        assert_eq!(fields.status, "active");
        let won = check_plan(&PlanInput { status: "won", ..input }, None, day("2026-02-01")).unwrap();
        assert_eq!(won.status, "won");
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let errors =
            check_plan(&PlanInput { approach: "", next_step: " ", due_on: "2026-02-30", status: "x" }, None, today())
                .unwrap_err();
        assert_eq!(errors["approach"], "请填写招商方式");
        assert_eq!(errors["next_step"], "请填写下一步工作");
        assert!(errors["due_on"].contains("不是有效日期"));
        assert_eq!(errors["status"], "状态“x”无效");
        let missing_date =
            check_plan(&PlanInput { approach: "a", next_step: "b", due_on: "", status: "" }, None, today());
        assert_eq!(missing_date.unwrap_err()["due_on"], "请填写到期日");
        let long = "长".repeat(MAX_TEXT + 1);
        let too_long =
            check_plan(&PlanInput { approach: &long, next_step: "b", due_on: "2026-01-01", status: "" }, None, today());
        assert!(too_long.unwrap_err()["approach"].contains("不能超过"));
    }

    fn today() -> NaiveDate {
        day("2026-01-01")
    }

    #[test]
    fn a_new_next_step_may_not_be_due_before_today_but_a_stored_one_keeps_its_date() {
        let today = day("2026-03-10");
        let input =
            PlanInput { approach: "以商招商", next_step: "赴总部拜访", due_on: "2026-03-09", status: "" };
        let errors = check_plan(&input, None, today).unwrap_err();
        assert_eq!(errors["due_on"], "新的下一步工作到期日不能早于今天（2026-03-10）");
        assert!(check_plan(&PlanInput { due_on: "2026-03-10", ..input.clone() }, None, today).is_ok());
        let stored = PlanData {
            approach: "以商招商".into(),
            next_step: "赴总部拜访".into(),
            due_on: Some(day("2026-03-09")),
            status: "active".into(),
            ..Default::default()
        };
        let kept = check_plan(&PlanInput { approach: "委托招商", ..input.clone() }, Some(&stored), today);
        assert_eq!(kept.unwrap().due_on, day("2026-03-09"), "the stored step keeps its (now past) date");
        let new_step = check_plan(&PlanInput { next_step: "邀请来甘考察", ..input.clone() }, Some(&stored), today);
        assert!(new_step.unwrap_err().contains_key("due_on"), "another step is a new one");
        let moved = check_plan(&PlanInput { due_on: "2026-03-01", ..input }, Some(&stored), today);
        assert!(moved.unwrap_err().contains_key("due_on"), "a new date for the step is checked");
    }

    #[test]
    fn visits_need_a_past_date_a_visitor_and_a_summary() {
        let today = day("2026-01-10");
        let visit = check_visit("2026-01-10", "张三", "座谈", today).unwrap();
        assert_eq!(visit.visited_on, today);
        let errors = check_visit("2026-01-11", "", "", today).unwrap_err();
        assert_eq!(errors["visited_on"], "走访日期不能晚于今天");
        assert_eq!(errors["visitor"], "请填写走访人");
        assert_eq!(errors["summary"], "请填写走访情况");
    }

    #[test]
    fn only_active_plans_past_their_due_day_are_overdue() {
        let today = day("2026-01-10");
        assert!(is_overdue("active", Some(day("2026-01-09")), today));
        assert!(!is_overdue("active", Some(today), today));
        assert!(!is_overdue("active", None, today));
        assert!(!is_overdue("won", Some(day("2026-01-01")), today));
    }
}
