//! Leaders' instructions (批示, SPEC area 10) and the tasks they become: the two kinds,
//! the deadlines of a task on the official calendar (three months by default, six at
//! most, a co-handler's answer to the lead department within a month, an objection to the
//! assignment within ten working days), and one task's course as a fold over its steps —
//! interim and final replies, the grade practice gives the result (A/B/C/D), the
//! proposer's satisfaction, and one send-back when the proposer is dissatisfied.

use crate::calendar::Calendar;
use crate::inbox::{urgency, Urgency, DEFAULT_SOON_WORKING_DAYS};
use chrono::{Months, NaiveDate};

crate::vocabulary! {
    /// What the leader asks: to be read and known, or to be acted on (then split into tasks).
    pub enum InstructionKind {
        Read => ("read", "阅示"),
        Action => ("action", "批办"),
    }
}

crate::vocabulary! {
    /// The result of a task as practice grades it.
    pub enum Grade {
        A => ("a", "已解决或采纳"),
        B => ("b", "正在解决或列入计划"),
        C => ("c", "因条件限制待以后解决"),
        D => ("d", "留作参考"),
    }
}

crate::vocabulary! {
    /// A department's part in a task.
    pub enum Part {
        Lead => ("lead", "牵头单位"),
        Co => ("co", "协办单位"),
    }
}

crate::vocabulary! {
    /// Where a task stands.
    pub enum TaskState {
        Assigned => ("assigned", "待办理"),
        Interim => ("interim", "阶段答复"),
        Answered => ("answered", "已答复待评价"),
        SentBack => ("sent_back", "退回重办"),
        Closed => ("closed", "已办结"),
    }
}

crate::vocabulary! {
    /// The proposer's view of the final reply.
    pub enum Satisfaction {
        Satisfied => ("satisfied", "满意"),
        Dissatisfied => ("dissatisfied", "不满意"),
    }
}

crate::vocabulary! {
    /// A kind of record a task may be linked to as the data its implementation changed.
    pub enum LinkedKind {
        Project => ("project", "项目"),
        Appeal => ("appeal", "营商环境诉求"),
        Chain => ("chain", "产业链"),
        Achievement => ("achievement", "科技成果"),
    }
}

/// The longest key of a linked record (a code or a chain's name).
pub const MAX_LINK_KEY_CHARS: usize = 100;

/// A record to link to a task, as a form names it: its kind and its key (项目编号,
/// 诉求编号, the chain's name, 成果编号), trimmed. Whether it exists is the caller's check.
pub fn parse_link(kind: &str, key: &str) -> Result<(LinkedKind, String), String> {
    let kind = LinkedKind::from_key(kind.trim()).ok_or_else(|| "请选择关联记录的类型".to_string())?;
    let key = key.trim();
    if key.is_empty() {
        return Err(format!("请填写{}的编号或名称", kind.label()));
    }
    if key.chars().count() > MAX_LINK_KEY_CHARS {
        return Err(format!("{}的编号或名称过长（最多 {MAX_LINK_KEY_CHARS} 字）", kind.label()));
    }
    Ok((kind, key.to_string()))
}

crate::vocabulary! {
    /// A step of a task's course.
    pub enum StepKind {
        Contest => ("contest", "对交办提出异议"),
        Interim => ("interim", "阶段答复"),
        Final => ("final", "最终答复"),
        Rate => ("rate", "提议人评价"),
    }
}

impl Grade {
    /// The letter practice writes (A … D).
    pub fn letter(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }
    }

    /// The key, the letter (either case), or the label.
    pub fn parse(text: &str) -> Result<Grade, InstructionError> {
        let text = text.trim();
        Grade::ALL
            .iter()
            .copied()
            .find(|g| g.key() == text.to_ascii_lowercase() || g.label() == text)
            .ok_or_else(|| InstructionError::UnknownGrade(text.to_string()))
    }
}

/// Months a task runs when the instruction sets no deadline.
pub const DEFAULT_MONTHS: u32 = 3;
/// The longest deadline a task may be given.
pub const MAX_MONTHS: u32 = 6;
/// Months a co-handling department has to answer the lead department.
pub const CO_HANDLER_MONTHS: u32 = 1;
/// Working days a department has to object to its assignment.
pub const CONTEST_WORKING_DAYS: u32 = 10;
/// Months a task sent back has for its new final reply.
pub const SENT_BACK_MONTHS: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstructionError {
    #[error("批示类型“{0}”无效，应为 阅示 或 批办")]
    UnknownKind(String),
    #[error("办理结果“{0}”无效，应为 A、B、C 或 D")]
    UnknownGrade(String),
    #[error("评价“{0}”无效，应为 满意 或 不满意")]
    UnknownSatisfaction(String),
    #[error("{0}不能为空")]
    Missing(&'static str),
    #[error("办理期限 {deadline} 早于交办日期 {assigned_on}")]
    DeadlineBeforeAssignment { assigned_on: NaiveDate, deadline: NaiveDate },
    #[error("办理期限 {deadline} 超过 {MAX_MONTHS} 个月（最迟 {latest}）")]
    DeadlineTooLate { deadline: NaiveDate, latest: NaiveDate },
    #[error("阅示件无需交办，只有批办件可以分解为任务")]
    ReadOnly,
    #[error("任务当前为“{state}”，不能{step}")]
    WrongState { state: &'static str, step: &'static str },
    #[error("异议须在交办后 {CONTEST_WORKING_DAYS} 个工作日内（{until} 前）提出")]
    ContestTooLate { until: NaiveDate },
    #[error("已对交办提出过异议")]
    AlreadyContested,
    #[error("最终答复须给出办理结果（A、B、C 或 D）")]
    GradeMissing,
    #[error("步骤日期 {day} 早于上一步骤 {last}")]
    OutOfOrder { day: NaiveDate, last: NaiveDate },
}

impl InstructionKind {
    /// The key or the label.
    pub fn parse(text: &str) -> Result<InstructionKind, InstructionError> {
        let text = text.trim();
        InstructionKind::ALL
            .iter()
            .copied()
            .find(|k| k.key() == text || k.label() == text)
            .ok_or_else(|| InstructionError::UnknownKind(text.to_string()))
    }
}

impl Satisfaction {
    pub fn parse(text: &str) -> Result<Satisfaction, InstructionError> {
        let text = text.trim();
        Satisfaction::ALL
            .iter()
            .copied()
            .find(|s| s.key() == text || s.label() == text)
            .ok_or_else(|| InstructionError::UnknownSatisfaction(text.to_string()))
    }
}

/// The first working day on or after `day`: a deadline never falls on a day off.
pub fn on_working_day(calendar: &Calendar, day: NaiveDate) -> NaiveDate {
    if calendar.is_working_day(day) {
        return day;
    }
    calendar.add_working_days(day, 1).map(|reckoned| reckoned.value).unwrap_or(day)
}

/// `months` calendar months after `day` (the month's last day when it is shorter),
/// moved on to a working day.
fn months_on(calendar: &Calendar, day: NaiveDate, months: u32) -> NaiveDate {
    let later = day.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX);
    on_working_day(calendar, later)
}

/// The deadline of a task assigned on `assigned_on` when none is set.
pub fn default_deadline(calendar: &Calendar, assigned_on: NaiveDate) -> NaiveDate {
    months_on(calendar, assigned_on, DEFAULT_MONTHS)
}

/// The latest deadline a task assigned on `assigned_on` may be given.
pub fn latest_deadline(calendar: &Calendar, assigned_on: NaiveDate) -> NaiveDate {
    months_on(calendar, assigned_on, MAX_MONTHS)
}

/// The deadline asked for, or the default; refused before the assignment or beyond the
/// six months. A day off is moved on to the next working day.
pub fn deadline(
    calendar: &Calendar,
    assigned_on: NaiveDate,
    asked: Option<NaiveDate>,
) -> Result<NaiveDate, InstructionError> {
    let Some(asked) = asked else {
        return Ok(default_deadline(calendar, assigned_on));
    };
    if asked < assigned_on {
        return Err(InstructionError::DeadlineBeforeAssignment { assigned_on, deadline: asked });
    }
    let latest = latest_deadline(calendar, assigned_on);
    let deadline = on_working_day(calendar, asked);
    if deadline > latest {
        return Err(InstructionError::DeadlineTooLate { deadline: asked, latest });
    }
    Ok(deadline)
}

/// The day a co-handling department owes the lead department its answer: a month after
/// the assignment, never after the task's own deadline.
pub fn co_handler_due(calendar: &Calendar, assigned_on: NaiveDate, task_deadline: NaiveDate) -> NaiveDate {
    months_on(calendar, assigned_on, CO_HANDLER_MONTHS).min(task_deadline)
}

/// The last day a department may object to an assignment made on `assigned_on`.
pub fn contest_until(calendar: &Calendar, assigned_on: NaiveDate) -> NaiveDate {
    calendar.add_working_days(assigned_on, CONTEST_WORKING_DAYS).map(|reckoned| reckoned.value).unwrap_or(assigned_on)
}

/// One step as a department or the proposer takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Contest { reason: String },
    Interim { text: String },
    Final { text: String, grade: Option<Grade> },
    Rate { satisfaction: Satisfaction },
}

impl Step {
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Contest { .. } => StepKind::Contest,
            Step::Interim { .. } => StepKind::Interim,
            Step::Final { .. } => StepKind::Final,
            Step::Rate { .. } => StepKind::Rate,
        }
    }

    /// What the step carried, as the task's history shows it.
    pub fn detail(&self) -> String {
        match self {
            Step::Contest { reason } | Step::Interim { text: reason } => reason.trim().to_string(),
            Step::Final { text, grade } => {
                format!("{}（{}）", text.trim(), grade.map_or("", |g| g.letter()))
            }
            Step::Rate { satisfaction } => satisfaction.label().to_string(),
        }
    }
}

/// A task's state as its row keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskCourse {
    pub state: TaskState,
    pub assigned_on: NaiveDate,
    pub deadline: NaiveDate,
    pub contested: bool,
    pub grade: Option<Grade>,
    pub satisfaction: Option<Satisfaction>,
    /// Sent back once after a dissatisfied rating; a second dissatisfaction closes it.
    pub sent_back: bool,
    pub answered_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub last_step_on: NaiveDate,
}

impl TaskCourse {
    pub fn assigned(assigned_on: NaiveDate, deadline: NaiveDate) -> TaskCourse {
        TaskCourse {
            state: TaskState::Assigned,
            assigned_on,
            deadline,
            contested: false,
            grade: None,
            satisfaction: None,
            sent_back: false,
            answered_on: None,
            closed_on: None,
            last_step_on: assigned_on,
        }
    }

    /// Whether the department still owes a final reply.
    pub fn awaits_reply(&self) -> bool {
        matches!(self.state, TaskState::Assigned | TaskState::Interim | TaskState::SentBack)
    }

    fn expect(&self, step: StepKind, states: &[TaskState]) -> Result<(), InstructionError> {
        if states.contains(&self.state) {
            Ok(())
        } else {
            Err(InstructionError::WrongState { state: self.state.label(), step: step.label() })
        }
    }

    /// The course after `step` taken on `day`, or why it may not be taken.
    pub fn apply(&self, calendar: &Calendar, step: &Step, day: NaiveDate) -> Result<TaskCourse, InstructionError> {
        if day < self.last_step_on {
            return Err(InstructionError::OutOfOrder { day, last: self.last_step_on });
        }
        let kind = step.kind();
        let open = [TaskState::Assigned, TaskState::Interim, TaskState::SentBack];
        let mut next = self.clone();
        next.last_step_on = day;
        match step {
            Step::Contest { reason } => {
                self.expect(kind, &[TaskState::Assigned])?;
                required(reason, "异议理由")?;
                if self.contested {
                    return Err(InstructionError::AlreadyContested);
                }
                let until = contest_until(calendar, self.assigned_on);
                if day > until {
                    return Err(InstructionError::ContestTooLate { until });
                }
                next.contested = true;
            }
            Step::Interim { text } => {
                self.expect(kind, &open)?;
                required(text, "阶段答复内容")?;
                next.state = TaskState::Interim;
            }
            Step::Final { text, grade } => {
                self.expect(kind, &open)?;
                required(text, "最终答复内容")?;
                next.grade = Some(grade.ok_or(InstructionError::GradeMissing)?);
                next.state = TaskState::Answered;
                next.answered_on = Some(day);
            }
            Step::Rate { satisfaction } => {
                self.expect(kind, &[TaskState::Answered])?;
                next.satisfaction = Some(*satisfaction);
                if *satisfaction == Satisfaction::Dissatisfied && !self.sent_back {
                    // Sent back once, on a new clock from the rating; the reply it replaces
                    // stays in the history.
                    next.state = TaskState::SentBack;
                    next.sent_back = true;
                    next.grade = None;
                    next.answered_on = None;
                    next.deadline = months_on(calendar, day, SENT_BACK_MONTHS);
                } else {
                    next.state = TaskState::Closed;
                    next.closed_on = Some(day);
                }
            }
        }
        Ok(next)
    }

    /// The steps that may be taken on `today`: what the task's page offers.
    pub fn possible(&self, calendar: &Calendar, today: NaiveDate) -> Vec<StepKind> {
        match self.state {
            TaskState::Assigned if !self.contested && today <= contest_until(calendar, self.assigned_on) => {
                vec![StepKind::Contest, StepKind::Interim, StepKind::Final]
            }
            TaskState::Assigned | TaskState::Interim | TaskState::SentBack => vec![StepKind::Interim, StepKind::Final],
            TaskState::Answered => vec![StepKind::Rate],
            TaskState::Closed => Vec::new(),
        }
    }

    /// The supervision colour on `today` while a reply is owed.
    pub fn urgency(&self, calendar: &Calendar, today: NaiveDate) -> Option<Urgency> {
        if !self.awaits_reply() {
            return None;
        }
        urgency(self.deadline, today, calendar, DEFAULT_SOON_WORKING_DAYS)
    }

    /// Working days past the deadline on `today` while a reply is owed (0 when on time).
    pub fn working_days_late(&self, calendar: &Calendar, today: NaiveDate) -> i64 {
        if !self.awaits_reply() || today <= self.deadline {
            return 0;
        }
        calendar.working_days_between(self.deadline, today).value
    }
}

fn required(text: &str, what: &'static str) -> Result<(), InstructionError> {
    if text.trim().is_empty() {
        Err(InstructionError::Missing(what))
    } else {
        Ok(())
    }
}

/// The course after every step, in order, from the assignment.
pub fn replay<'a>(
    calendar: &Calendar,
    start: TaskCourse,
    steps: impl IntoIterator<Item = (&'a Step, NaiveDate)>,
) -> Result<TaskCourse, InstructionError> {
    steps.into_iter().try_fold(start, |course, (step, day)| course.apply(calendar, step, day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, official};

    #[test]
    fn the_default_deadline_is_three_months_on_a_working_day() {
        let calendar = official();
        // 1 October 2024 is National Day: the deadline moves to Tuesday 8 October.
        assert_eq!(default_deadline(&calendar, day("2024-07-01")), day("2024-10-08"));
        // 4 February 2025 is in the Spring Festival: Wednesday 5 February.
        assert_eq!(default_deadline(&calendar, day("2024-11-04")), day("2025-02-05"));
        // A plain Friday stays; 30 November + 3 months is the last day of February.
        assert_eq!(default_deadline(&calendar, day("2024-03-15")), day("2024-06-17"), "15 June is a Saturday");
        assert_eq!(default_deadline(&calendar, day("2024-11-30")), day("2025-02-28"));
        assert_eq!(deadline(&calendar, day("2024-07-01"), None), Ok(day("2024-10-08")));
    }

    #[test]
    fn a_deadline_may_reach_six_months_and_no_further() {
        let calendar = official();
        // 1 August + 6 months is Saturday 1 February 2025; 3–4 February are off: the 5th.
        assert_eq!(latest_deadline(&calendar, day("2024-08-01")), day("2025-02-05"));
        assert_eq!(deadline(&calendar, day("2024-08-01"), Some(day("2025-02-04"))), Ok(day("2025-02-05")));
        assert_eq!(deadline(&calendar, day("2024-08-01"), Some(day("2025-02-05"))), Ok(day("2025-02-05")));
        let too_late = deadline(&calendar, day("2024-08-01"), Some(day("2025-02-06"))).unwrap_err();
        assert_eq!(
            too_late,
            InstructionError::DeadlineTooLate { deadline: day("2025-02-06"), latest: day("2025-02-05") }
        );
        assert!(too_late.to_string().contains("6 个月"));
        assert!(matches!(
            deadline(&calendar, day("2024-08-01"), Some(day("2024-07-31"))),
            Err(InstructionError::DeadlineBeforeAssignment { .. })
        ));
        // A Sunday worked (调休) is a working day, and stays.
        assert_eq!(deadline(&calendar, day("2024-09-02"), Some(day("2024-09-29"))), Ok(day("2024-09-29")));
    }

    #[test]
    fn co_handlers_answer_the_lead_within_a_month() {
        let calendar = official();
        // 1 September + 1 month is 1 October 2025: 1–8 October are off, the 9th.
        let deadline = default_deadline(&calendar, day("2025-09-01"));
        assert_eq!(co_handler_due(&calendar, day("2025-09-01"), deadline), day("2025-10-09"));
        // Never after the task's own deadline.
        assert_eq!(co_handler_due(&calendar, day("2025-09-01"), day("2025-09-20")), day("2025-09-20"));
    }

    #[test]
    fn an_assignment_is_contested_within_ten_working_days() {
        let calendar = official();
        // From Wednesday 25 September 2024: Sunday 29 September and Saturday 12 October are
        // worked, 1–7 October off: the tenth working day is Monday 14 October.
        assert_eq!(contest_until(&calendar, day("2024-09-25")), day("2024-10-14"));
        let course = TaskCourse::assigned(day("2024-09-25"), default_deadline(&calendar, day("2024-09-25")));
        let contest = Step::Contest { reason: "职责不符".into() };
        let contested = course.apply(&calendar, &contest, day("2024-10-14")).unwrap();
        assert!(contested.contested);
        assert_eq!(contested.apply(&calendar, &contest, day("2024-10-14")), Err(InstructionError::AlreadyContested));
        assert_eq!(
            course.apply(&calendar, &contest, day("2024-10-15")),
            Err(InstructionError::ContestTooLate { until: day("2024-10-14") })
        );
        assert!(course.possible(&calendar, day("2024-10-14")).contains(&StepKind::Contest));
        assert!(!course.possible(&calendar, day("2024-10-15")).contains(&StepKind::Contest));
        let empty = Step::Contest { reason: " ".into() };
        assert_eq!(course.apply(&calendar, &empty, day("2024-10-08")), Err(InstructionError::Missing("异议理由")));
    }

    #[test]
    fn a_final_reply_needs_a_grade_and_a_satisfied_proposer_closes_the_task() {
        let calendar = official();
        let course = TaskCourse::assigned(day("2024-03-01"), day("2024-06-03"));
        let interim =
            course.apply(&calendar, &Step::Interim { text: "已召开专题会".into() }, day("2024-04-01")).unwrap();
        assert_eq!(interim.state, TaskState::Interim);
        let ungraded = Step::Final { text: "已落实".into(), grade: None };
        assert_eq!(interim.apply(&calendar, &ungraded, day("2024-05-06")), Err(InstructionError::GradeMissing));
        let answered = interim
            .apply(&calendar, &Step::Final { text: "已落实".into(), grade: Some(Grade::A) }, day("2024-05-06"))
            .unwrap();
        assert_eq!(
            (answered.state, answered.grade, answered.answered_on),
            (TaskState::Answered, Some(Grade::A), Some(day("2024-05-06")))
        );
        assert!(matches!(
            answered.apply(&calendar, &Step::Interim { text: "x".into() }, day("2024-05-07")),
            Err(InstructionError::WrongState { .. })
        ));
        let closed = answered
            .apply(&calendar, &Step::Rate { satisfaction: Satisfaction::Satisfied }, day("2024-05-08"))
            .unwrap();
        assert_eq!((closed.state, closed.closed_on), (TaskState::Closed, Some(day("2024-05-08"))));
        assert!(closed.possible(&calendar, day("2024-05-09")).is_empty());
        assert_eq!(
            answered.apply(&calendar, &Step::Rate { satisfaction: Satisfaction::Satisfied }, day("2024-05-01")),
            Err(InstructionError::OutOfOrder { day: day("2024-05-01"), last: day("2024-05-06") })
        );
    }

    #[test]
    fn dissatisfaction_sends_the_task_back_once_on_a_new_month() {
        let calendar = official();
        let steps = [
            (Step::Final { text: "暂不具备条件".into(), grade: Some(Grade::C) }, day("2024-08-30")),
            (Step::Rate { satisfaction: Satisfaction::Dissatisfied }, day("2024-09-02")),
        ];
        let start = TaskCourse::assigned(day("2024-06-03"), day("2024-09-03"));
        let sent_back = replay(&calendar, start, steps.iter().map(|(s, d)| (s, *d))).unwrap();
        assert_eq!(sent_back.state, TaskState::SentBack);
        assert!(sent_back.sent_back && sent_back.grade.is_none() && sent_back.answered_on.is_none());
        // 2 October 2024 is off: the new deadline is 8 October.
        assert_eq!(sent_back.deadline, day("2024-10-08"));
        assert_eq!(sent_back.possible(&calendar, day("2024-09-03")), vec![StepKind::Interim, StepKind::Final]);
        let again = sent_back
            .apply(&calendar, &Step::Final { text: "已协调解决".into(), grade: Some(Grade::B) }, day("2024-09-30"))
            .unwrap()
            .apply(&calendar, &Step::Rate { satisfaction: Satisfaction::Dissatisfied }, day("2024-10-08"))
            .unwrap();
        assert_eq!(again.state, TaskState::Closed, "a second dissatisfaction closes the task");
        assert_eq!((again.grade, again.satisfaction), (Some(Grade::B), Some(Satisfaction::Dissatisfied)));
    }

    #[test]
    fn late_tasks_show_the_supervision_colours() {
        let calendar = official();
        let course = TaskCourse::assigned(day("2024-07-01"), day("2024-10-08"));
        assert_eq!(course.urgency(&calendar, day("2024-10-09")), Some(Urgency::Red));
        assert_eq!(course.urgency(&calendar, day("2024-10-08")), Some(Urgency::Yellow));
        // Three working days before 8 October, across National Day.
        assert_eq!(course.urgency(&calendar, day("2024-09-29")), Some(Urgency::Blue));
        assert_eq!(course.urgency(&calendar, day("2024-09-20")), None);
        assert_eq!(course.working_days_late(&calendar, day("2024-10-12")), 4, "9, 10, 11 and Saturday 12 October");
        let answered = course
            .apply(&calendar, &Step::Final { text: "已办".into(), grade: Some(Grade::A) }, day("2024-10-10"))
            .unwrap();
        assert_eq!(answered.urgency(&calendar, day("2024-10-12")), None);
        assert_eq!(answered.working_days_late(&calendar, day("2024-10-12")), 0);
    }

    #[test]
    fn vocabularies_parse_their_keys_and_labels() {
        assert_eq!(InstructionKind::parse("批办"), Ok(InstructionKind::Action));
        assert_eq!(InstructionKind::parse("read"), Ok(InstructionKind::Read));
        assert!(InstructionKind::parse("圈阅").unwrap_err().to_string().contains("阅示"));
        assert_eq!(Grade::parse("a"), Ok(Grade::A));
        assert_eq!(Grade::parse("D"), Ok(Grade::D));
        assert_eq!(Grade::parse("留作参考"), Ok(Grade::D));
        assert!(Grade::parse("E").is_err());
        assert_eq!(Satisfaction::parse("不满意"), Ok(Satisfaction::Dissatisfied));
        assert_eq!(TaskState::from_key("sent_back"), Some(TaskState::SentBack));
    }

    #[test]
    fn a_link_names_a_known_kind_and_a_key() {
        assert_eq!(parse_link("project", " GS-2024-001 "), Ok((LinkedKind::Project, "GS-2024-001".to_string())));
        assert_eq!(parse_link("chain", "铝产业"), Ok((LinkedKind::Chain, "铝产业".to_string())));
        assert_eq!(parse_link("plan", "x"), Err("请选择关联记录的类型".to_string()));
        assert_eq!(parse_link("appeal", "  "), Err("请填写营商环境诉求的编号或名称".to_string()));
        assert!(parse_link("achievement", &"长".repeat(MAX_LINK_KEY_CHARS + 1)).unwrap_err().contains("过长"));
    }
}
