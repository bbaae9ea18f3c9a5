//! Work plans (工作方案, 工作计划) of the assist mechanism (资政建言): a region's three-year
//! scheme and the yearly plans under it, each with goals and tasks owned by an assist
//! group (助力小组), a department and named people. These are the forms' rules, a task's
//! status on the working-day calendar and a plan's progress rate.

use crate::calendar::Calendar;
pub use crate::forms::FieldErrors;
use crate::forms::{parse_day, text};
use chrono::{Datelike, NaiveDate};

crate::vocabulary! {
    /// A three-year 工作方案, or a yearly 工作计划 under one.
    pub enum PlanKind {
        Scheme => ("scheme", "三年工作方案"),
        Yearly => ("yearly", "年度工作计划"),
    }
}

crate::vocabulary! {
    /// Where a plan task stands (computed, never stored).
    pub enum TaskStatus {
        NotStarted => ("not_started", "未开始"),
        InProgress => ("in_progress", "推进中"),
        Done => ("done", "已完成"),
        Late => ("late", "已逾期"),
    }
}

/// The longest title, goals, task or progress text kept.
pub const MAX_TITLE: usize = 100;
pub const MAX_TEXT: usize = 2_000;
/// The longest span of a scheme, in years (schemes run three years as a rule).
pub const MAX_SCHEME_YEARS: i32 = 5;

/// The day a task is due on the official calendar: its deadline, or the next working
/// day when the deadline falls on a weekend or holiday (as offices count 完成时限).
pub fn due_day(deadline: NaiveDate, calendar: &Calendar) -> NaiveDate {
    if calendar.is_working_day(deadline) {
        deadline
    } else {
        calendar.add_working_days(deadline, 1).map_or(deadline, |r| r.value)
    }
}

/// A task's status on `today`: done once its completion is reported; late when its due
/// day (`due_day`) has passed without it; in progress once any progress is reported;
/// not started before.
pub fn task_status(
    deadline: NaiveDate,
    done_on: Option<NaiveDate>,
    progress_reports: i64,
    today: NaiveDate,
    calendar: &Calendar,
) -> TaskStatus {
    if done_on.is_some() {
        TaskStatus::Done
    } else if today > due_day(deadline, calendar) {
        TaskStatus::Late
    } else if progress_reports > 0 {
        TaskStatus::InProgress
    } else {
        TaskStatus::NotStarted
    }
}

/// The share of a plan's tasks that are done (完成率), `None` for a plan without tasks.
pub fn progress_rate(statuses: &[TaskStatus]) -> Option<f64> {
    if statuses.is_empty() {
        return None;
    }
    let done = statuses.iter().filter(|s| **s == TaskStatus::Done).count();
    Some(done as f64 / statuses.len() as f64)
}

/// A plan's fields as the form sends them.
#[derive(Debug, Clone, Default)]
pub struct PlanForm<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub start_year: &'a str,
    pub end_year: &'a str,
    pub goals: &'a str,
}

/// A plan's checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDraft {
    pub kind: PlanKind,
    pub title: String,
    pub start_year: i32,
    pub end_year: i32,
    pub goals: String,
}

fn year(errors: &mut FieldErrors, field: &'static str, label: &str, value: &str) -> Option<i32> {
    let value = value.trim();
    match value.parse::<i32>() {
        Ok(year) if (2000..=2100).contains(&year) => Some(year),
        _ if value.is_empty() => {
            errors.insert(field, format!("请填写{label}"));
            None
        }
        _ => {
            errors.insert(field, format!("{label}“{value}”不是有效年份"));
            None
        }
    }
}

/// Checks a plan form. A scheme spans one to `MAX_SCHEME_YEARS` years in order; a
/// yearly plan covers one year, within its scheme's (`scheme_years`) when it has one.
pub fn check_plan(form: &PlanForm, scheme_years: Option<(i32, i32)>) -> Result<PlanDraft, FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind = PlanKind::from_key(form.kind.trim());
    if kind.is_none() {
        errors.insert("kind", "请选择三年工作方案或年度工作计划".to_string());
    }
    let title = text(&mut errors, "title", "标题", form.title, MAX_TITLE, true);
    let goals = text(&mut errors, "goals", "工作目标", form.goals, MAX_TEXT, false);
    let start_year = year(&mut errors, "start_year", "起始年度", form.start_year);
    let end_year = match kind {
        // A yearly plan's end is its start.
        Some(PlanKind::Yearly) if form.end_year.trim().is_empty() => start_year,
        _ => year(&mut errors, "end_year", "截止年度", form.end_year),
    };
    if let (Some(kind), Some(start), Some(end)) = (kind, start_year, end_year) {
        match kind {
            PlanKind::Scheme if end < start => {
                errors.insert("end_year", "截止年度不能早于起始年度".to_string());
            }
            PlanKind::Scheme if end - start + 1 > MAX_SCHEME_YEARS => {
                errors.insert("end_year", format!("工作方案最长 {MAX_SCHEME_YEARS} 年"));
            }
            PlanKind::Yearly if end != start => {
                errors.insert("end_year", "年度工作计划只覆盖一个年度".to_string());
            }
            PlanKind::Yearly => {
                if let Some((from, to)) = scheme_years.filter(|(from, to)| start < *from || start > *to) {
                    errors.insert("start_year", format!("年度应在所属工作方案的 {from}—{to} 年之内"));
                }
            }
            PlanKind::Scheme => {}
        }
    }
    match (kind, start_year, end_year) {
        (Some(kind), Some(start_year), Some(end_year)) if errors.is_empty() => {
            Ok(PlanDraft { kind, title, start_year, end_year, goals })
        }
        _ => Err(errors),
    }
}

/// A task's fields as the form sends them.
#[derive(Debug, Clone, Default)]
pub struct TaskForm<'a> {
    pub text: &'a str,
    /// The owning group's id, or empty.
    pub group: &'a str,
    pub department: &'a str,
    pub people: &'a str,
    pub deadline: &'a str,
}

/// A task's checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDraft {
    pub text: String,
    pub group_id: Option<i64>,
    pub department: String,
    pub people: String,
    pub deadline: NaiveDate,
}

/// Checks a task form of a plan covering `years` (first, last): the task and its
/// deadline are required, the deadline falls within the plan's years, and someone owns
/// it (a group among `groups`, a department or people).
pub fn check_task(form: &TaskForm, years: (i32, i32), groups: &[i64]) -> Result<TaskDraft, FieldErrors> {
    let mut errors = FieldErrors::new();
    let text_value = text(&mut errors, "text", "任务内容", form.text, MAX_TEXT, true);
    let department = text(&mut errors, "department", "责任单位", form.department, MAX_TITLE, false);
    let people = text(&mut errors, "people", "责任人", form.people, MAX_TITLE, false);
    let group_id = match form.group.trim() {
        "" => None,
        id => match id.parse::<i64>().ok().filter(|id| groups.contains(id)) {
            Some(id) => Some(id),
            None => {
                errors.insert("group", "请从列表中选择本地区的助力小组".to_string());
                None
            }
        },
    };
    if group_id.is_none() && department.is_empty() && people.is_empty() && !errors.contains_key("group") {
        errors.insert("department", "请至少填写责任小组、责任单位或责任人之一".to_string());
    }
    let deadline = parse_day(&mut errors, "deadline", "完成时限", form.deadline);
    if let Some(day) = deadline.filter(|day| day.year() < years.0 || day.year() > years.1) {
        errors.insert("deadline", format!("完成时限 {day} 不在本计划的 {}—{} 年之内", years.0, years.1));
    }
    match deadline {
        Some(deadline) if errors.is_empty() => {
            Ok(TaskDraft { text: text_value, group_id, department, people, deadline })
        }
        _ => Err(errors),
    }
}

/// A progress report as checked: the day, what was done and whether the task is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressDraft {
    pub reported_on: NaiveDate,
    pub text: String,
    pub done: bool,
}

/// Checks a progress report: what was done is required, on a day neither in the future
/// (`today`) nor before `task_created` (the task's first day).
pub fn check_progress(
    reported_on: &str,
    text_value: &str,
    done: bool,
    task_created: NaiveDate,
    today: NaiveDate,
) -> Result<ProgressDraft, FieldErrors> {
    let mut errors = FieldErrors::new();
    let text_value = text(&mut errors, "progress", "进展情况", text_value, MAX_TEXT, true);
    let day = parse_day(&mut errors, "reported_on", "报告日期", reported_on);
    if let Some(day) = day {
        if day > today {
            errors.insert("reported_on", "报告日期不能晚于今天".to_string());
        } else if day < task_created {
            errors.insert("reported_on", format!("报告日期不能早于任务下达日期 {task_created}"));
        }
    }
    match day {
        Some(reported_on) if errors.is_empty() => Ok(ProgressDraft { reported_on, text: text_value, done }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, official};

    #[test]
    fn a_task_is_late_after_its_due_working_day_and_done_once_reported_so() {
        let calendar = official();
        // Sunday 29 September 2024 is a make-up working day; 1–7 October are holidays.
        assert_eq!(due_day(day("2024-09-29"), &calendar), day("2024-09-29"));
        assert_eq!(due_day(day("2024-10-01"), &calendar), day("2024-10-08"));
        assert_eq!(due_day(day("2024-10-12"), &calendar), day("2024-10-12"), "a make-up Saturday works");
        assert_eq!(due_day(day("2024-10-13"), &calendar), day("2024-10-14"));
        let status = |deadline: &str, done: Option<&str>, reports, today: &str| {
            task_status(day(deadline), done.map(day), reports, day(today), &calendar)
        };
        assert_eq!(status("2024-10-01", None, 0, "2024-10-08"), TaskStatus::NotStarted, "due after the holiday");
        assert_eq!(status("2024-10-01", None, 2, "2024-10-08"), TaskStatus::InProgress);
        assert_eq!(status("2024-10-01", None, 2, "2024-10-09"), TaskStatus::Late);
        assert_eq!(status("2024-09-30", None, 0, "2024-10-01"), TaskStatus::Late);
        assert_eq!(status("2024-09-30", Some("2024-10-09"), 1, "2024-12-01"), TaskStatus::Done, "done late is done");
    }

    #[test]
    fn the_progress_rate_is_the_share_of_tasks_done() {
        use TaskStatus::*;
        assert_eq!(progress_rate(&[]), None);
        assert_eq!(progress_rate(&[Done, Late, InProgress, NotStarted]), Some(0.25));
        assert_eq!(progress_rate(&[Done, Done]), Some(1.0));
    }

    #[test]
    fn schemes_span_years_in_order_and_yearly_plans_one_year_of_their_scheme() {
        let form =
            |kind, start, end| PlanForm { kind, title: "助力白银", start_year: start, end_year: end, goals: "" };
        let scheme = check_plan(&form("scheme", "2023", "2025"), None).unwrap();
        assert_eq!((scheme.kind, scheme.start_year, scheme.end_year), (PlanKind::Scheme, 2023, 2025));
        assert!(check_plan(&form("scheme", "2025", "2023"), None).unwrap_err().contains_key("end_year"));
        assert!(check_plan(&form("scheme", "2023", "2030"), None).unwrap_err()["end_year"].contains("5 年"));
        let yearly = check_plan(&form("yearly", "2024", ""), Some((2023, 2025))).unwrap();
        assert_eq!((yearly.start_year, yearly.end_year), (2024, 2024));
        assert!(check_plan(&form("yearly", "2026", ""), Some((2023, 2025))).unwrap_err()["start_year"]
            .contains("2023—2025"));
        assert!(check_plan(&form("yearly", "2024", "2025"), None).unwrap_err().contains_key("end_year"));
        let errors =
            check_plan(&PlanForm { kind: "x", title: " ", start_year: "二〇二三", ..Default::default() }, None)
                .unwrap_err();
        assert_eq!(errors.keys().copied().collect::<Vec<_>>(), ["end_year", "kind", "start_year", "title"]);
    }

    #[test]
    fn a_task_needs_text_an_owner_and_a_deadline_within_its_plan() {
        let form = TaskForm {
            text: "引进铜箔企业",
            group: "",
            department: "白银市商务局",
            people: "",
            deadline: "2024-06-30",
        };
        let task = check_task(&form, (2024, 2024), &[7]).unwrap();
        assert_eq!((task.group_id, task.deadline), (None, day("2024-06-30")));
        let grouped = check_task(&TaskForm { group: "7", department: "", ..form.clone() }, (2024, 2024), &[7]).unwrap();
        assert_eq!(grouped.group_id, Some(7));
        let foreign = check_task(&TaskForm { group: "8", ..form.clone() }, (2024, 2024), &[7]).unwrap_err();
        assert!(foreign.contains_key("group"), "a group of another region is refused");
        let ownerless = check_task(&TaskForm { department: " ", ..form.clone() }, (2024, 2024), &[]).unwrap_err();
        assert!(ownerless["department"].contains("至少"));
        let outside = check_task(&TaskForm { deadline: "2025-01-02", ..form.clone() }, (2024, 2024), &[]).unwrap_err();
        assert!(outside["deadline"].contains("2024—2024"));
        let bad = check_task(&TaskForm { text: "", deadline: "6月底", ..form }, (2024, 2024), &[]).unwrap_err();
        assert_eq!(bad.keys().copied().collect::<Vec<_>>(), ["deadline", "text"]);
    }

    #[test]
    fn progress_is_reported_with_text_on_a_day_of_the_tasks_life() {
        let (created, today) = (day("2024-03-01"), day("2024-05-06"));
        let report = check_progress("2024-05-06", " 已对接三家企业 ", true, created, today).unwrap();
        assert_eq!(report, ProgressDraft { reported_on: today, text: "已对接三家企业".into(), done: true });
        assert!(check_progress("2024-05-07", "x", false, created, today).unwrap_err()["reported_on"].contains("今天"));
        assert!(check_progress("2024-02-29", "x", false, created, today).unwrap_err()["reported_on"].contains("下达"));
        assert!(check_progress("2024-05-06", "", false, created, today).unwrap_err().contains_key("progress"));
    }
}
