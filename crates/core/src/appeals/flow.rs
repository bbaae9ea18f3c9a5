//! One appeal's course after its acceptance (SPEC area 9: 受理 → 办理 → 答复 → 企业评价 →
//! 办结; 受理 is the appeal's creation, its 受理日期 the start of the clock) as a fold over
//! its recorded steps: which step may follow which, and the clock each step leaves —
//! transfers with a reason, a department's objection within 2 working days of being
//! assigned, a pause (挂起) that stops the clock while the enterprise is awaited,
//! extensions asked before the due date and approved by the supervisor, and one reopening
//! with a new clock when the enterprise is 不满意. The 督办 colours and the escalation
//! level of an open appeal on a day are read off the state.
//!
//! Only the state is kept on the appeal's row (for lists and `stats appeals`); the steps
//! themselves are its history, and folding them again gives the same state.

use super::{Rating, MAX_LIMIT_DAYS};
use crate::calendar::Calendar;
use chrono::NaiveDate;

crate::vocabulary! {
    /// Where an appeal is in its course.
    pub enum Stage {
        Handling => ("handling", "办理中"),
        Answered => ("answered", "已答复"),
        Closed => ("closed", "已办结"),
    }
}

crate::vocabulary! {
    /// What a user may do to an appeal (each one a step of its history).
    pub enum ActionKind {
        Transfer => ("transfer", "转办"),
        Contest => ("contest", "提出异议"),
        Pause => ("pause", "挂起"),
        Resume => ("resume", "恢复办理"),
        RequestExtension => ("request_extension", "申请延期"),
        ApproveExtension => ("approve_extension", "批准延期"),
        RefuseExtension => ("refuse_extension", "驳回延期"),
        Answer => ("answer", "答复"),
        Rate => ("rate", "企业评价"),
        Close => ("close", "办结"),
    }
}

crate::vocabulary! {
    /// The 督办 colour of an open appeal on a day.
    pub enum Light {
        Blue => ("blue", "蓝色提醒"),
        Yellow => ("yellow", "黄色预警"),
        Red => ("red", "红色督办"),
    }
}

crate::vocabulary! {
    /// Who answers for an appeal: its department until a deadline is missed, then one
    /// level up after each missed deadline.
    pub enum Level {
        Department => ("department", "承办单位"),
        Region => ("region", "地区督办"),
        Province => ("province", "省级督办"),
    }
}

impl Level {
    /// Whether this level is `other` or above it.
    pub fn reaches(self, other: Level) -> bool {
        let rank = |level: Level| Level::ALL.iter().position(|l| *l == level);
        rank(self) >= rank(other)
    }
}

/// Working days a department has to object to being assigned an appeal.
pub const CONTEST_DAYS: u32 = 2;
/// An open appeal due within this many working days shows blue.
pub const BLUE_DAYS: i64 = 2;
/// Working days the enterprise has to rate an answer before staff may close it unrated.
pub const RATING_DAYS: u32 = 5;

/// One step as the user asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// To another department, with the reason.
    Transfer {
        department: String,
        reason: String,
    },
    /// The assigned department objects (to the supervisor, who transfers or keeps it).
    Contest {
        reason: String,
    },
    Pause {
        reason: String,
    },
    Resume,
    RequestExtension {
        days: u32,
        reason: String,
    },
    ApproveExtension,
    RefuseExtension {
        reason: String,
    },
    Answer {
        text: String,
    },
    Rate {
        rating: Rating,
    },
    Close,
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Transfer { .. } => ActionKind::Transfer,
            Action::Contest { .. } => ActionKind::Contest,
            Action::Pause { .. } => ActionKind::Pause,
            Action::Resume => ActionKind::Resume,
            Action::RequestExtension { .. } => ActionKind::RequestExtension,
            Action::ApproveExtension => ActionKind::ApproveExtension,
            Action::RefuseExtension { .. } => ActionKind::RefuseExtension,
            Action::Answer { .. } => ActionKind::Answer,
            Action::Rate { .. } => ActionKind::Rate,
            Action::Close => ActionKind::Close,
        }
    }
}

impl Action {
    /// What the step carried, as its history shows it.
    pub fn detail(&self) -> String {
        match self {
            Action::Transfer { department, reason } => format!("转至{}：{}", department.trim(), reason.trim()),
            Action::Contest { reason } | Action::Pause { reason } | Action::RefuseExtension { reason } => {
                reason.trim().to_string()
            }
            Action::RequestExtension { days, reason } => format!("延期{days}个工作日：{}", reason.trim()),
            Action::Answer { text } => text.trim().to_string(),
            Action::Rate { rating } => rating.label().to_string(),
            Action::Resume | Action::ApproveExtension | Action::Close => String::new(),
        }
    }
}

/// Why a step may not be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("诉求当前为“{stage}”，不能{action}")]
    WrongStage { stage: &'static str, action: &'static str },
    #[error("诉求已挂起，请先恢复办理")]
    Paused,
    #[error("诉求未挂起")]
    NotPaused,
    #[error("{0}不能为空")]
    Missing(&'static str),
    #[error("承办单位已是“{0}”")]
    SameDepartment(String),
    #[error("异议须在交办后 {CONTEST_DAYS} 个工作日内提出（交办日期 {assigned_on}）")]
    ContestTooLate { assigned_on: NaiveDate },
    #[error("已提出异议，等待督办人员处理")]
    AlreadyContested,
    #[error("延期须在应答复日期 {due_on} 前申请")]
    ExtensionTooLate { due_on: NaiveDate },
    #[error("已有延期申请待审批")]
    ExtensionPending,
    #[error("没有待审批的延期申请")]
    NoExtensionPending,
    #[error("延期天数应为 1 至 {MAX_LIMIT_DAYS} 个工作日")]
    BadExtension,
    #[error("企业尚未评价，答复后 {RATING_DAYS} 个工作日（{from} 起）方可未评价办结")]
    AwaitingRating { from: NaiveDate },
    #[error("步骤日期 {day} 早于上一步骤 {last}")]
    OutOfOrder { day: NaiveDate, last: NaiveDate },
}

/// The state of an appeal's course, as its row keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowState {
    pub stage: Stage,
    pub department: String,
    /// The day the department was (last) assigned: its objection window starts there.
    pub assigned_on: NaiveDate,
    pub contested: bool,
    pub limit_days: u32,
    /// The day the running clock started: received, or reopened.
    pub clock_from: NaiveDate,
    /// Working days the clock stood still, and approved extensions, in this clock.
    pub paused_days: u32,
    pub extension_days: u32,
    pub paused_since: Option<NaiveDate>,
    pub pending_extension: Option<u32>,
    pub due_on: NaiveDate,
    pub due_by_weekends_only: bool,
    pub answered_on: Option<NaiveDate>,
    pub rating: Option<Rating>,
    pub closed_on: Option<NaiveDate>,
    /// Reopened after a 不满意 rating (once at most).
    pub reopened: bool,
    /// The day of the last step: a step is never dated before it.
    pub last_step_on: NaiveDate,
}

impl FlowState {
    /// A new appeal accepted (受理) on `received_on`, assigned to `department`.
    pub fn accepted(calendar: &Calendar, received_on: NaiveDate, limit_days: u32, department: &str) -> FlowState {
        let mut state = FlowState {
            stage: Stage::Handling,
            department: department.trim().to_string(),
            assigned_on: received_on,
            contested: false,
            limit_days: limit_days.clamp(1, MAX_LIMIT_DAYS),
            clock_from: received_on,
            paused_days: 0,
            extension_days: 0,
            paused_since: None,
            pending_extension: None,
            due_on: received_on,
            due_by_weekends_only: false,
            answered_on: None,
            rating: None,
            closed_on: None,
            reopened: false,
            last_step_on: received_on,
        };
        state.reckon_due(calendar);
        state
    }

    /// Whether the appeal awaits its answer (paused or not).
    pub fn is_open(&self) -> bool {
        self.stage == Stage::Handling
    }

    fn reckon_due(&mut self, calendar: &Calendar) {
        let days = self.limit_days + self.paused_days + self.extension_days;
        let reckoned = super::due_on_after(calendar, self.clock_from, days);
        self.due_on = reckoned.value;
        self.due_by_weekends_only = reckoned.by_weekends_only;
    }

    fn expect(&self, action: ActionKind, stages: &[Stage]) -> Result<(), FlowError> {
        if stages.contains(&self.stage) {
            Ok(())
        } else {
            Err(FlowError::WrongStage { stage: self.stage.label(), action: action.label() })
        }
    }

    fn running(&self, action: ActionKind) -> Result<(), FlowError> {
        self.expect(action, &[Stage::Handling])?;
        if self.paused_since.is_some() {
            return Err(FlowError::Paused);
        }
        Ok(())
    }

    /// The state after `action` taken on `day`, or why it may not be taken.
    pub fn apply(&self, calendar: &Calendar, action: &Action, day: NaiveDate) -> Result<FlowState, FlowError> {
        if day < self.last_step_on {
            return Err(FlowError::OutOfOrder { day, last: self.last_step_on });
        }
        let kind = action.kind();
        let mut next = self.clone();
        next.last_step_on = day;
        match action {
            Action::Transfer { department, reason } => {
                self.expect(kind, &[Stage::Handling])?;
                let department = required(department, "转办单位")?;
                required(reason, "转办理由")?;
                if department == self.department {
                    return Err(FlowError::SameDepartment(department));
                }
                next.department = department;
                next.assigned_on = day;
                next.contested = false;
            }
            Action::Contest { reason } => {
                self.expect(kind, &[Stage::Handling])?;
                required(reason, "异议理由")?;
                if self.contested {
                    return Err(FlowError::AlreadyContested);
                }
                if calendar.working_days_between(self.assigned_on, day).value > i64::from(CONTEST_DAYS) {
                    return Err(FlowError::ContestTooLate { assigned_on: self.assigned_on });
                }
                next.contested = true;
            }
            Action::Pause { reason } => {
                self.running(kind)?;
                required(reason, "挂起理由")?;
                next.paused_since = Some(day);
            }
            Action::Resume => {
                let since = self.paused_since.ok_or(FlowError::NotPaused)?;
                let stood = calendar.working_days_between(since, day).value.max(0);
                next.paused_days += u32::try_from(stood).unwrap_or(u32::MAX).min(MAX_LIMIT_DAYS * 10);
                next.paused_since = None;
                next.reckon_due(calendar);
            }
            Action::RequestExtension { days, reason } => {
                self.running(kind)?;
                required(reason, "延期理由")?;
                if self.pending_extension.is_some() {
                    return Err(FlowError::ExtensionPending);
                }
                if !(1..=MAX_LIMIT_DAYS).contains(days) {
                    return Err(FlowError::BadExtension);
                }
                if day > self.due_on {
                    return Err(FlowError::ExtensionTooLate { due_on: self.due_on });
                }
                next.pending_extension = Some(*days);
            }
            Action::ApproveExtension => {
                let days = self.pending_extension.ok_or(FlowError::NoExtensionPending)?;
                next.extension_days += days;
                next.pending_extension = None;
                next.reckon_due(calendar);
            }
            Action::RefuseExtension { reason } => {
                self.pending_extension.ok_or(FlowError::NoExtensionPending)?;
                required(reason, "驳回理由")?;
                next.pending_extension = None;
            }
            Action::Answer { text } => {
                self.running(kind)?;
                required(text, "答复内容")?;
                next.stage = Stage::Answered;
                next.answered_on = Some(day);
                next.pending_extension = None;
            }
            Action::Rate { rating } => {
                self.expect(kind, &[Stage::Answered])?;
                if *rating == Rating::Dissatisfied && !self.reopened {
                    // Reopened once, on a new clock from the rating day, under the
                    // supervisor's eye; the answer it replaces is in the history.
                    next.stage = Stage::Handling;
                    next.reopened = true;
                    next.answered_on = None;
                    next.rating = None;
                    next.clock_from = day;
                    next.paused_days = 0;
                    next.extension_days = 0;
                    next.reckon_due(calendar);
                } else {
                    next.rating = Some(*rating);
                }
            }
            Action::Close => {
                self.expect(kind, &[Stage::Answered])?;
                if self.rating.is_none() {
                    let answered = self.answered_on.unwrap_or(day);
                    let from = super::due_on_after(calendar, answered, RATING_DAYS).value;
                    if day < from {
                        return Err(FlowError::AwaitingRating { from });
                    }
                }
                next.stage = Stage::Closed;
                next.closed_on = Some(day);
            }
        }
        Ok(next)
    }

    /// The steps that may be taken on `today` (whoever the user is): what the page offers.
    pub fn possible(&self, calendar: &Calendar, today: NaiveDate) -> Vec<ActionKind> {
        let mut kinds = Vec::new();
        match self.stage {
            Stage::Handling if self.paused_since.is_some() => kinds.push(ActionKind::Resume),
            Stage::Handling => {
                kinds.push(ActionKind::Transfer);
                if !self.contested
                    && calendar.working_days_between(self.assigned_on, today).value <= i64::from(CONTEST_DAYS)
                {
                    kinds.push(ActionKind::Contest);
                }
                kinds.push(ActionKind::Pause);
                if self.pending_extension.is_none() && today <= self.due_on {
                    kinds.push(ActionKind::RequestExtension);
                }
                kinds.push(ActionKind::Answer);
            }
            Stage::Answered => {
                kinds.push(ActionKind::Rate);
                let rating_window_over = self
                    .answered_on
                    .is_some_and(|answered| today >= super::due_on_after(calendar, answered, RATING_DAYS).value);
                if self.rating.is_some() || rating_window_over {
                    kinds.push(ActionKind::Close);
                }
            }
            Stage::Closed => {}
        }
        if self.pending_extension.is_some() {
            kinds.extend([ActionKind::ApproveExtension, ActionKind::RefuseExtension]);
        }
        kinds
    }

    /// The 督办 colour on `today`: red past the due date, yellow on it, blue within
    /// `BLUE_DAYS` working days of it; none when closed, answered or paused.
    pub fn light(&self, calendar: &Calendar, today: NaiveDate) -> Option<Light> {
        if !self.is_open() || self.paused_since.is_some() {
            return None;
        }
        if today > self.due_on {
            Some(Light::Red)
        } else if today == self.due_on {
            Some(Light::Yellow)
        } else if calendar.working_days_between(today, self.due_on).value <= BLUE_DAYS {
            Some(Light::Blue)
        } else {
            None
        }
    }

    /// Who answers for the appeal on `today`: the department while on time; one level up
    /// after each missed deadline — the due date, then every `limit_days` working days
    /// after it (the region's supervisor gets the same time again before the province).
    pub fn level(&self, calendar: &Calendar, today: NaiveDate) -> Level {
        match self.working_days_late(calendar, today) {
            0 => Level::Department,
            late if late > i64::from(self.limit_days) => Level::Province,
            _ => Level::Region,
        }
    }

    /// The level the appeal rises to on `today`, if it does: a deadline missed the day
    /// before (levels move on working days only, so after a weekend or a holiday the
    /// day before stands for the last working day).
    pub fn escalated_on(&self, calendar: &Calendar, today: NaiveDate) -> Option<Level> {
        let before = self.level(calendar, today.pred_opt()?);
        let now = self.level(calendar, today);
        (now != before && now.reaches(before)).then_some(now)
    }

    /// Working days an open, running appeal is past its due date on `today` (0 when on
    /// time, answered or paused).
    pub fn working_days_late(&self, calendar: &Calendar, today: NaiveDate) -> i64 {
        if !self.is_open() || self.paused_since.is_some() || today <= self.due_on {
            return 0;
        }
        calendar.working_days_between(self.due_on, today).value
    }
}

fn required(text: &str, what: &'static str) -> Result<String, FlowError> {
    let text = text.trim();
    if text.is_empty() {
        Err(FlowError::Missing(what))
    } else {
        Ok(text.to_string())
    }
}

/// The state after every step of `steps` (in order), from the appeal as received.
pub fn replay<'a>(
    calendar: &Calendar,
    start: FlowState,
    steps: impl IntoIterator<Item = (&'a Action, NaiveDate)>,
) -> Result<FlowState, FlowError> {
    steps.into_iter().try_fold(start, |state, (action, day)| state.apply(calendar, action, day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, official};

    fn received(on: &str) -> FlowState {
        FlowState::accepted(&official(), day(on), 5, "市市场监管局")
    }

    fn step(state: &FlowState, action: Action, on: &str) -> FlowState {
        state.apply(&official(), &action, day(on)).unwrap()
    }

    #[test]
    fn a_received_appeal_is_due_the_fifth_working_day_after_across_national_day() {
        // 2024-09-29 (Sunday) is a make-up working day; 1–7 October are off.
        let state = received("2024-09-27");
        assert_eq!(state.due_on, day("2024-10-10"), "29 Sep, 30 Sep, 8, 9 and 10 Oct");
        let plain = received("2024-11-04");
        assert_eq!(plain.due_on, day("2024-11-11"));
    }

    #[test]
    fn steps_follow_the_course_and_refuse_what_does_not_fit() {
        let calendar = official();
        let state = received("2024-11-04");
        let answer = Action::Answer { text: "已协调解决".into() };
        assert_eq!(
            state.apply(&calendar, &Action::Answer { text: "  ".into() }, day("2024-11-05")),
            Err(FlowError::Missing("答复内容"))
        );
        assert_eq!(
            state.apply(&calendar, &answer, day("2024-11-01")),
            Err(FlowError::OutOfOrder { day: day("2024-11-01"), last: day("2024-11-04") })
        );
        let answered = step(&state, answer.clone(), "2024-11-08");
        assert_eq!((answered.stage, answered.answered_on), (Stage::Answered, Some(day("2024-11-08"))));
        assert!(matches!(
            answered.apply(&calendar, &answer, day("2024-11-08")),
            Err(FlowError::WrongStage { stage: "已答复", action: "答复" })
        ));
        assert_eq!(
            answered.apply(&calendar, &Action::Close, day("2024-11-11")),
            Err(FlowError::AwaitingRating { from: day("2024-11-15") })
        );
        let closed = step(&answered, Action::Close, "2024-11-15");
        assert_eq!((closed.stage, closed.closed_on, closed.rating), (Stage::Closed, Some(day("2024-11-15")), None));
        let rated = step(&answered, Action::Rate { rating: Rating::FairlySatisfied }, "2024-11-09");
        let closed = step(&rated, Action::Close, "2024-11-11");
        assert_eq!(closed.rating, Some(Rating::FairlySatisfied));
        assert!(closed.apply(&calendar, &Action::Close, day("2024-11-12")).is_err());
    }

    #[test]
    fn a_pause_stops_the_clock_for_its_working_days() {
        let state = received("2024-11-04");
        let paused = step(&state, Action::Pause { reason: "等待企业补充材料".into() }, "2024-11-06");
        assert_eq!(paused.light(&official(), day("2024-11-20")), None, "no colour while paused");
        assert_eq!(
            paused.apply(&official(), &Action::Answer { text: "x".into() }, day("2024-11-07")),
            Err(FlowError::Paused)
        );
        // Paused Wednesday 6 to Wednesday 13 November: 5 working days stand still.
        let resumed = step(&paused, Action::Resume, "2024-11-13");
        assert_eq!(resumed.paused_days, 5);
        assert_eq!(resumed.due_on, day("2024-11-18"), "11 November plus five working days");
    }

    #[test]
    fn a_pause_over_the_spring_festival_counts_only_working_days() {
        // 2025: 28 January – 4 February off, 26 January (Sunday) and 8 February (Saturday) worked.
        let state = received("2025-01-22");
        assert_eq!(state.due_on, day("2025-02-05"), "23, 24, 26, 27 January, 5 February");
        let paused = step(&state, Action::Pause { reason: "企业春节停工".into() }, "2025-01-24");
        let resumed = step(&paused, Action::Resume, "2025-02-06");
        assert_eq!(resumed.paused_days, 4, "26 (a make-up Sunday) and 27 January, 5 and 6 February");
        assert_eq!(resumed.due_on, day("2025-02-10"), "nine working days, 8 February (Saturday) among them");
    }

    #[test]
    fn extensions_are_asked_before_the_due_date_and_count_once_approved() {
        let calendar = official();
        let state = received("2024-11-04");
        let ask = Action::RequestExtension { days: 3, reason: "需现场核查".into() };
        assert_eq!(
            state.apply(&calendar, &ask, day("2024-11-12")),
            Err(FlowError::ExtensionTooLate { due_on: day("2024-11-11") })
        );
        assert_eq!(
            state.apply(&calendar, &Action::RequestExtension { days: 0, reason: "x".into() }, day("2024-11-05")),
            Err(FlowError::BadExtension)
        );
        let asked = step(&state, ask.clone(), "2024-11-11");
        assert_eq!(asked.due_on, day("2024-11-11"), "asking moves nothing");
        assert_eq!(asked.apply(&calendar, &ask, day("2024-11-11")), Err(FlowError::ExtensionPending));
        let refused = step(&asked, Action::RefuseExtension { reason: "理由不充分".into() }, "2024-11-11");
        assert_eq!((refused.pending_extension, refused.due_on), (None, day("2024-11-11")));
        let approved = step(&asked, Action::ApproveExtension, "2024-11-12");
        assert_eq!((approved.extension_days, approved.due_on), (3, day("2024-11-14")));
        assert_eq!(
            approved.apply(&calendar, &Action::ApproveExtension, day("2024-11-12")),
            Err(FlowError::NoExtensionPending)
        );
    }

    #[test]
    fn a_department_may_object_within_two_working_days_of_assignment() {
        let calendar = official();
        // Assigned Friday 8 November: Monday 11 and Tuesday 12 are the two working days.
        let state = received("2024-11-08");
        let contest = Action::Contest { reason: "不属于本单位职责".into() };
        assert!(state.apply(&calendar, &contest, day("2024-11-12")).is_ok());
        assert_eq!(
            state.apply(&calendar, &contest, day("2024-11-13")),
            Err(FlowError::ContestTooLate { assigned_on: day("2024-11-08") })
        );
        let contested = step(&state, contest.clone(), "2024-11-11");
        assert_eq!(contested.apply(&calendar, &contest, day("2024-11-11")), Err(FlowError::AlreadyContested));
        let same = Action::Transfer { department: "市市场监管局".into(), reason: "x".into() };
        assert_eq!(
            contested.apply(&calendar, &same, day("2024-11-11")),
            Err(FlowError::SameDepartment("市市场监管局".into()))
        );
        let moved = step(
            &contested,
            Action::Transfer { department: "市税务局".into(), reason: "涉及纳税服务".into() },
            "2024-11-13",
        );
        assert_eq!(
            (moved.department.as_str(), moved.assigned_on, moved.contested),
            ("市税务局", day("2024-11-13"), false)
        );
        assert_eq!(moved.due_on, state.due_on, "a transfer does not restart the enterprise's clock");
        assert!(moved.apply(&calendar, &contest, day("2024-11-15")).is_ok(), "the new department's own window");
    }

    #[test]
    fn dissatisfied_reopens_once_on_a_new_clock() {
        let calendar = official();
        let answered = step(&received("2024-11-04"), Action::Answer { text: "已答复".into() }, "2024-11-06");
        let reopened = step(&answered, Action::Rate { rating: Rating::Dissatisfied }, "2024-11-08");
        assert_eq!(reopened.stage, Stage::Handling);
        assert!(reopened.reopened);
        assert_eq!((reopened.answered_on, reopened.rating), (None, None));
        assert_eq!((reopened.clock_from, reopened.due_on), (day("2024-11-08"), day("2024-11-15")));
        let again = step(&reopened, Action::Answer { text: "再次答复".into() }, "2024-11-12");
        let rated = step(&again, Action::Rate { rating: Rating::Dissatisfied }, "2024-11-13");
        assert_eq!((rated.stage, rated.rating), (Stage::Answered, Some(Rating::Dissatisfied)), "no second reopening");
        let closed = step(&rated, Action::Close, "2024-11-13");
        assert_eq!(closed.stage, Stage::Closed);
        assert!(again.apply(&calendar, &Action::Close, day("2024-11-12")).is_err(), "unrated: wait for the rating");
    }

    #[test]
    fn lights_and_levels_follow_the_due_date_in_working_days() {
        let calendar = official();
        let state = received("2024-11-04"); // due Monday 11 November
        assert_eq!(state.light(&calendar, day("2024-11-06")), None, "three working days left");
        assert_eq!(state.light(&calendar, day("2024-11-07")), Some(Light::Blue));
        assert_eq!(state.light(&calendar, day("2024-11-09")), Some(Light::Blue), "Saturday: one working day left");
        assert_eq!(state.light(&calendar, day("2024-11-11")), Some(Light::Yellow));
        assert_eq!(state.light(&calendar, day("2024-11-12")), Some(Light::Red));
        assert_eq!(state.level(&calendar, day("2024-11-11")), Level::Department);
        assert_eq!(state.level(&calendar, day("2024-11-12")), Level::Region);
        assert_eq!(state.level(&calendar, day("2024-11-18")), Level::Region, "five working days late");
        assert_eq!(state.level(&calendar, day("2024-11-19")), Level::Province, "the second deadline missed");
        assert_eq!(state.working_days_late(&calendar, day("2024-11-19")), 6);
        assert_eq!(state.working_days_late(&calendar, day("2024-11-11")), 0);
        let answered = step(&state, Action::Answer { text: "x".into() }, "2024-11-20");
        assert_eq!(answered.light(&calendar, day("2024-11-20")), None);
        assert_eq!(answered.level(&calendar, day("2024-11-30")), Level::Department);
    }

    #[test]
    fn an_appeal_escalates_on_the_working_day_after_each_missed_deadline() {
        let calendar = official();
        // Received Friday 27 September 2024, due Thursday 10 October across National Day.
        let state = received("2024-09-27");
        let escalations: Vec<(NaiveDate, Level)> = day("2024-09-27")
            .iter_days()
            .take_while(|d| *d <= day("2024-11-30"))
            .filter_map(|d| state.escalated_on(&calendar, d).map(|level| (d, level)))
            .collect();
        // Late from Friday the 11th, the region's supervisor's; the province's on the sixth
        // working day late, Thursday the 17th (Saturday the 12th is a make-up working day).
        assert_eq!(escalations, vec![(day("2024-10-11"), Level::Region), (day("2024-10-17"), Level::Province)]);
        let paused = step(&state, Action::Pause { reason: "等待企业补充材料".into() }, "2024-10-09");
        assert_eq!(paused.escalated_on(&calendar, day("2024-10-11")), None, "a paused clock does not escalate");
        let answered = step(&state, Action::Answer { text: "已答复".into() }, "2024-10-10");
        assert_eq!(answered.escalated_on(&calendar, day("2024-10-11")), None);
    }

    #[test]
    fn the_possible_steps_are_the_ones_apply_takes() {
        let calendar = official();
        let state = received("2024-11-04");
        use ActionKind as K;
        assert_eq!(
            state.possible(&calendar, day("2024-11-05")),
            [K::Transfer, K::Contest, K::Pause, K::RequestExtension, K::Answer]
        );
        assert_eq!(state.possible(&calendar, day("2024-11-12")), [K::Transfer, K::Pause, K::Answer], "late");
        let paused = step(&state, Action::Pause { reason: "等".into() }, "2024-11-05");
        assert_eq!(paused.possible(&calendar, day("2024-11-06")), [K::Resume]);
        let asked = step(&state, Action::RequestExtension { days: 2, reason: "核查".into() }, "2024-11-05");
        assert!(asked.possible(&calendar, day("2024-11-05")).ends_with(&[K::ApproveExtension, K::RefuseExtension]));
        let answered = step(&state, Action::Answer { text: "答".into() }, "2024-11-05");
        assert_eq!(answered.possible(&calendar, day("2024-11-06")), [K::Rate]);
        assert_eq!(answered.possible(&calendar, day("2024-11-12")), [K::Rate, K::Close], "five working days on");
        let closed = step(&answered, Action::Close, "2024-11-12");
        assert!(closed.possible(&calendar, day("2024-11-12")).is_empty());
        assert_eq!(
            Action::Transfer { department: " 市税务局 ".into(), reason: "职责".into() }.detail(),
            "转至市税务局：职责"
        );
    }

    #[test]
    fn replaying_the_history_gives_the_state_step_by_step() {
        let calendar = official();
        let steps = [
            (Action::Pause { reason: "等企业".into() }, day("2024-11-05")),
            (Action::Resume, day("2024-11-07")),
            (Action::Answer { text: "已解决".into() }, day("2024-11-08")),
            (Action::Rate { rating: Rating::Satisfied }, day("2024-11-08")),
            (Action::Close, day("2024-11-08")),
        ];
        let mut state = received("2024-11-04");
        for (action, on) in &steps {
            state = state.apply(&calendar, action, *on).unwrap();
        }
        let replayed = replay(&calendar, received("2024-11-04"), steps.iter().map(|(a, d)| (a, *d))).unwrap();
        assert_eq!(replayed, state);
        assert_eq!((replayed.paused_days, replayed.due_on), (2, day("2024-11-13")));
    }
}
