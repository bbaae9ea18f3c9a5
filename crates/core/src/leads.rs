//! Leads that belong to someone (商会线索): the response clock a registered lead runs on
//! (受理, 研判, 反馈 within working days of its registration, then 进展 every so many
//! working days while its project is open), and the protection window that keeps a lead
//! with the chamber that registered it first.
//!
//! The defaults follow the lead rules of 江门 that practice anchors on: acknowledged
//! within 1 working day, assessed within 3, feedback to the referrer within 5, progress
//! every 10; a second registration of the same investor within 180 days is the first's.

use crate::calendar::{Calendar, CalendarError, Reckoned};
use crate::money::{Yuan, YUAN_PER_YI};
use crate::projects::duplicates::{name_similarity, SIMILAR_NAME_THRESHOLD};
use chrono::NaiveDate;

crate::vocabulary! {
    /// The steps of a lead's response clock, in the order they are recorded.
    pub enum LeadStep {
        Acknowledged => ("acknowledged", "受理"),
        Assessed => ("assessed", "研判"),
        Feedback => ("feedback", "反馈"),
        Progress => ("progress", "进展"),
    }
}

crate::vocabulary! {
    /// Where a step of the clock stands on a day.
    pub enum StepState {
        OnTime => ("on_time", "按时完成"),
        Late => ("late", "逾期完成"),
        Pending => ("pending", "待办理"),
        Overdue => ("overdue", "已逾期"),
    }
}

/// The channels a lead comes through, each also its project's 项目来源: a chamber's
/// liaison, an enquiry about a parcel or park on the portal, an investor's interest in
/// an achievement of the pool.
pub const CHAMBER_CHANNEL: &str = "商会";
pub const SITE_SELECTION_CHANNEL: &str = "网上选地";
pub const POOL_CHANNEL: &str = "转化池";

/// The settings key of the clock's working days (`ClockDays::stored`).
pub const CLOCK_DAYS_SETTING: &str = "lead_clock_days";
/// The settings key of the protection window in days.
pub const PROTECTION_DAYS_SETTING: &str = "lead_protection_days";
pub const DEFAULT_PROTECTION_DAYS: u32 = 180;

/// Working days each step may take: the first three counted from the registration, the
/// progress reports from the previous report (or the feedback).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockDays {
    pub acknowledged: u32,
    pub assessed: u32,
    pub feedback: u32,
    pub progress: u32,
}

impl Default for ClockDays {
    fn default() -> ClockDays {
        ClockDays { acknowledged: 1, assessed: 3, feedback: 5, progress: 10 }
    }
}

impl ClockDays {
    pub fn of(&self, step: LeadStep) -> u32 {
        match step {
            LeadStep::Acknowledged => self.acknowledged,
            LeadStep::Assessed => self.assessed,
            LeadStep::Feedback => self.feedback,
            LeadStep::Progress => self.progress,
        }
    }

    /// As the settings keep it: `1,3,5,10`.
    pub fn stored(&self) -> String {
        format!("{},{},{},{}", self.acknowledged, self.assessed, self.feedback, self.progress)
    }

    /// Four working-day counts (受理, 研判, 反馈, 进展), each 1 to 60, the first three in
    /// order; separated by commas (either width) or spaces.
    pub fn parse(text: &str) -> Result<ClockDays, String> {
        let numbers: Result<Vec<u32>, _> = text
            .split([',', '，', ' ', '、'])
            .filter(|part| !part.trim().is_empty())
            .map(|part| part.trim().parse::<u32>())
            .collect();
        let bad = || format!("响应时限“{text}”无效：应为受理、研判、反馈、进展四个工作日数（1至60），如 1,3,5,10");
        let numbers = numbers.map_err(|_| bad())?;
        let [acknowledged, assessed, feedback, progress] = numbers[..] else { return Err(bad()) };
        if numbers.iter().any(|days| !(1..=60).contains(days)) || acknowledged > assessed || assessed > feedback {
            return Err(bad());
        }
        Ok(ClockDays { acknowledged, assessed, feedback, progress })
    }
}

/// The settings key of the major leads' working days (`ClockDays::stored`).
pub const MAJOR_CLOCK_DAYS_SETTING: &str = "lead_major_clock_days";
/// The settings key of the amount (万元) from which a lead is major.
pub const MAJOR_FROM_SETTING: &str = "lead_major_from_wan";

/// The clocks by the lead's size: a major lead (重大线索, an intended investment of 10 亿元
/// or more by default) runs on shorter clocks than the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockRules {
    pub standard: ClockDays,
    pub major: ClockDays,
    /// The amount from which a lead is major.
    pub major_from: Yuan,
}

impl Default for ClockRules {
    fn default() -> ClockRules {
        ClockRules {
            standard: ClockDays::default(),
            major: ClockDays { acknowledged: 1, assessed: 2, feedback: 3, progress: 5 },
            major_from: Yuan(10 * YUAN_PER_YI),
        }
    }
}

impl ClockRules {
    pub fn is_major(&self, amount: Yuan) -> bool {
        amount >= self.major_from
    }

    /// The working days of a lead of `amount`.
    pub fn days_for(&self, amount: Yuan) -> &ClockDays {
        if self.is_major(amount) {
            &self.major
        } else {
            &self.standard
        }
    }
}

/// The amount from which a lead is major, typed in 万元: more than zero.
pub fn parse_major_from(text: &str) -> Result<Yuan, String> {
    match Yuan::parse_wan(text.trim()) {
        Ok(amount) if amount.0 > 0 => Ok(amount),
        _ => Err(format!("重大线索金额“{}”无效：应为大于 0 的万元数，如 100000（10 亿元）", text.trim())),
    }
}

/// A protection window in days, 1 to 3650.
pub fn parse_protection_days(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|days| (1..=3650).contains(days))
        .ok_or_else(|| format!("保护期“{text}”无效：应为1至3650天"))
}

/// A recorded step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoneStep {
    pub step: LeadStep,
    pub done_on: NaiveDate,
}

/// One step of a lead's clock: when it is due and when it was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepClock {
    pub step: LeadStep,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    /// The due date was reckoned past the last holiday notice held (weekends only).
    pub by_weekends_only: bool,
}

impl StepClock {
    pub fn state(&self, today: NaiveDate) -> StepState {
        match self.done_on {
            Some(done) if done <= self.due_on => StepState::OnTime,
            Some(_) => StepState::Late,
            None if today > self.due_on => StepState::Overdue,
            None => StepState::Pending,
        }
    }
}

fn due(calendar: &Calendar, from: NaiveDate, days: u32) -> Result<Reckoned<NaiveDate>, CalendarError> {
    calendar.add_working_days(from, days)
}

/// The clock of a lead registered on `lead_on` whose steps `done` were recorded (in
/// order): 受理, 研判 and 反馈 due the configured working days after the registration
/// (the day itself never counts), then each 进展 the progress days after the feedback
/// or the report before, and, while the project is `open`, the next report once the
/// feedback is given.
pub fn clock(
    lead_on: NaiveDate,
    done: &[DoneStep],
    open: bool,
    days: &ClockDays,
    calendar: &Calendar,
) -> Result<Vec<StepClock>, CalendarError> {
    let done_on = |step: LeadStep| done.iter().find(|d| d.step == step).map(|d| d.done_on);
    let mut clocks = Vec::new();
    for step in [LeadStep::Acknowledged, LeadStep::Assessed, LeadStep::Feedback] {
        let reckoned = due(calendar, lead_on, days.of(step))?;
        clocks.push(StepClock {
            step,
            due_on: reckoned.value,
            done_on: done_on(step),
            by_weekends_only: reckoned.by_weekends_only,
        });
    }
    let Some(mut anchor) = done_on(LeadStep::Feedback) else { return Ok(clocks) };
    let reports = done.iter().filter(|d| d.step == LeadStep::Progress).map(|d| Some(d.done_on));
    for report in reports.chain(open.then_some(None)) {
        let reckoned = due(calendar, anchor, days.progress)?;
        clocks.push(StepClock {
            step: LeadStep::Progress,
            due_on: reckoned.value,
            done_on: report,
            by_weekends_only: reckoned.by_weekends_only,
        });
        anchor = report.unwrap_or(anchor);
    }
    Ok(clocks)
}

/// The step to record next and when it is due: the first not yet done, in order.
pub fn next_step(clocks: &[StepClock]) -> Option<&StepClock> {
    clocks.iter().find(|clock| clock.done_on.is_none())
}

/// What the protection window compares of a registration.
#[derive(Debug, Clone, Copy)]
pub struct Registration<'a> {
    pub investor: &'a str,
    pub credit_code: &'a str,
    /// A GB/T 4754 division code.
    pub industry: &'a str,
    pub lead_on: NaiveDate,
}

/// The same investor and intent: the same credit code; or, unless both have codes (two
/// different companies), a similar investor name in the same industry.
pub fn same_intent(a: &Registration<'_>, b: &Registration<'_>) -> bool {
    let (code_a, code_b) = (a.credit_code.trim(), b.credit_code.trim());
    if !code_a.is_empty() && !code_b.is_empty() {
        return code_a.eq_ignore_ascii_case(code_b);
    }
    let industry = a.industry.trim();
    !industry.is_empty()
        && industry == b.industry.trim()
        && name_similarity(a.investor, b.investor) >= SIMILAR_NAME_THRESHOLD
}

/// Whether `earlier` still protects against `new`: the same intent, registered fewer
/// than `window_days` days before it (on the day it ends the investor is free again).
pub fn protects(earlier: &Registration<'_>, new: &Registration<'_>, window_days: u32) -> bool {
    let elapsed = (new.lead_on - earlier.lead_on).num_days();
    (0..i64::from(window_days)).contains(&elapsed) && same_intent(earlier, new)
}

/// The first registration (by day, in the order given) that protects against `new`.
pub fn protected_by<'a, T>(
    new: &Registration<'_>,
    earlier: impl IntoIterator<Item = (T, Registration<'a>)>,
    window_days: u32,
) -> Option<T> {
    earlier
        .into_iter()
        .filter(|(_, registration)| protects(registration, new, window_days))
        .min_by_key(|(_, registration)| registration.lead_on)
        .map(|(item, _)| item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_notice_days;
    use crate::testing::day;

    fn calendar() -> Calendar {
        Calendar::new(parse_notice_days(include_str!("../../../data/calendar.tsv")).unwrap())
    }

    fn dues(clocks: &[StepClock]) -> Vec<(LeadStep, String)> {
        clocks.iter().map(|c| (c.step, c.due_on.to_string())).collect()
    }

    #[test]
    fn the_clock_runs_on_working_days_across_national_day_and_its_make_up_days() {
        // Friday 26 September 2025: Sunday 28 is a make-up working day (调休), 1–8 October
        // are off, Saturday 11 October is worked.
        let clocks = clock(day("2025-09-26"), &[], true, &ClockDays::default(), &calendar()).unwrap();
        assert_eq!(
            dues(&clocks),
            vec![
                (LeadStep::Acknowledged, "2025-09-28".into()),
                (LeadStep::Assessed, "2025-09-30".into()),
                (LeadStep::Feedback, "2025-10-10".into()),
            ],
            "no progress report is due before the feedback"
        );
        assert!(clocks.iter().all(|c| !c.by_weekends_only));
        assert_eq!(clocks[0].state(day("2025-09-28")), StepState::Pending, "due on the make-up Sunday");
        assert_eq!(clocks[0].state(day("2025-09-29")), StepState::Overdue);
        assert_eq!(clocks[1].state(day("2025-10-08")), StepState::Overdue);
        assert_eq!(clocks[2].state(day("2025-10-08")), StepState::Pending, "the holiday does not run the clock");
        assert_eq!(clocks[2].state(day("2025-10-11")), StepState::Overdue, "the make-up Saturday does");
        assert_eq!(next_step(&clocks).map(|c| c.step), Some(LeadStep::Acknowledged));
    }

    #[test]
    fn the_clock_runs_across_the_spring_festival() {
        // Monday 27 January 2025 (除夕 eve): 28 January – 4 February off, Saturday 8 February worked.
        let clocks = clock(day("2025-01-27"), &[], true, &ClockDays::default(), &calendar()).unwrap();
        assert_eq!(
            dues(&clocks),
            vec![
                (LeadStep::Acknowledged, "2025-02-05".into()),
                (LeadStep::Assessed, "2025-02-07".into()),
                (LeadStep::Feedback, "2025-02-10".into()),
            ]
        );
        // Registered on Sunday 26 January, itself a make-up working day: it never counts.
        let sunday = clock(day("2025-01-26"), &[], true, &ClockDays::default(), &calendar()).unwrap();
        assert_eq!(sunday[0].due_on, day("2025-01-27"));
    }

    #[test]
    fn progress_reports_follow_the_feedback_every_ten_working_days_while_open() {
        let done = [
            DoneStep { step: LeadStep::Acknowledged, done_on: day("2025-09-26") },
            DoneStep { step: LeadStep::Assessed, done_on: day("2025-10-10") },
            DoneStep { step: LeadStep::Feedback, done_on: day("2025-10-13") },
        ];
        let calendar = calendar();
        let clocks = clock(day("2025-09-26"), &done, true, &ClockDays::default(), &calendar).unwrap();
        let states: Vec<StepState> = clocks.iter().map(|c| c.state(day("2025-10-20"))).collect();
        assert_eq!(
            states,
            vec![StepState::OnTime, StepState::Late, StepState::Late, StepState::Pending],
            "研判 due 30 September, 反馈 due 10 October"
        );
        assert_eq!(
            clocks[3],
            StepClock { step: LeadStep::Progress, due_on: day("2025-10-27"), done_on: None, by_weekends_only: false }
        );
        let mut reported = done.to_vec();
        reported.push(DoneStep { step: LeadStep::Progress, done_on: day("2025-10-24") });
        let clocks = clock(day("2025-09-26"), &reported, true, &ClockDays::default(), &calendar).unwrap();
        assert_eq!(
            dues(&clocks[3..]),
            vec![(LeadStep::Progress, "2025-10-27".into()), (LeadStep::Progress, "2025-11-07".into())]
        );
        assert_eq!(next_step(&clocks).map(|c| (c.step, c.due_on)), Some((LeadStep::Progress, day("2025-11-07"))));
        // A project no longer open (投产 or 终止) owes no further report.
        let closed = clock(day("2025-09-26"), &reported, false, &ClockDays::default(), &calendar).unwrap();
        assert_eq!(closed.len(), 4);
        assert!(next_step(&closed).is_none());
    }

    #[test]
    fn configured_days_replace_the_defaults_and_a_clock_past_the_notices_says_so() {
        let days = ClockDays::parse("2，4，6，15").unwrap();
        assert_eq!(days, ClockDays { acknowledged: 2, assessed: 4, feedback: 6, progress: 15 });
        assert_eq!(ClockDays::parse(&days.stored()).unwrap(), days);
        assert_eq!(ClockDays::parse("1,3,5,10").unwrap(), ClockDays::default());
        for bad in ["", "1,3,5", "3,1,5,10", "0,3,5,10", "1,3,5,61", "一,3,5,10"] {
            assert!(ClockDays::parse(bad).is_err(), "{bad:?}");
        }
        let clocks = clock(day("2025-09-26"), &[], true, &days, &calendar()).unwrap();
        assert_eq!(clocks[0].due_on, day("2025-09-29"));
        let far = clock(day("2099-06-01"), &[], true, &ClockDays::default(), &calendar()).unwrap();
        assert!(far.iter().all(|c| c.by_weekends_only));
        assert_eq!(parse_protection_days(" 90 "), Ok(90));
        assert!(parse_protection_days("0").is_err() && parse_protection_days("abc").is_err());
    }

    #[test]
    fn major_leads_run_on_shorter_clocks_across_national_day_2024() {
        let rules = ClockRules::default();
        let (major, standard) = (Yuan(10 * YUAN_PER_YI), Yuan(10 * YUAN_PER_YI - 1));
        assert!(rules.is_major(major) && !rules.is_major(standard), "10 亿元 and more is major");
        // Friday 27 September 2024: Sunday 29 is worked (调休), 1–7 October off, Saturday 12 worked.
        let on = day("2024-09-27");
        let major_clock = clock(on, &[], true, rules.days_for(major), &calendar()).unwrap();
        assert_eq!(
            dues(&major_clock),
            vec![
                (LeadStep::Acknowledged, "2024-09-29".into()),
                (LeadStep::Assessed, "2024-09-30".into()),
                (LeadStep::Feedback, "2024-10-08".into()),
            ]
        );
        let standard_clock = clock(on, &[], true, rules.days_for(standard), &calendar()).unwrap();
        assert_eq!(
            dues(&standard_clock),
            vec![
                (LeadStep::Acknowledged, "2024-09-29".into()),
                (LeadStep::Assessed, "2024-10-08".into()),
                (LeadStep::Feedback, "2024-10-10".into()),
            ]
        );
        // Progress every 5 working days for a major lead: from 8 October over the worked Saturday 12.
        let done = [
            DoneStep { step: LeadStep::Acknowledged, done_on: day("2024-09-29") },
            DoneStep { step: LeadStep::Assessed, done_on: day("2024-09-30") },
            DoneStep { step: LeadStep::Feedback, done_on: day("2024-10-08") },
        ];
        let reported = clock(on, &done, true, rules.days_for(major), &calendar()).unwrap();
        assert_eq!(dues(&reported[3..]), vec![(LeadStep::Progress, "2024-10-14".into())]);
    }

    #[test]
    fn major_leads_run_on_shorter_clocks_across_the_spring_festival_2024() {
        // Friday 9 February 2024 (除夕): 10–17 February off, Sunday 18 February worked.
        let rules = ClockRules { major_from: parse_major_from("50000").unwrap(), ..ClockRules::default() };
        assert_eq!(rules.major_from, Yuan(5 * YUAN_PER_YI), "a threshold set in 万元");
        let major = clock(day("2024-02-09"), &[], true, rules.days_for(Yuan(5 * YUAN_PER_YI)), &calendar()).unwrap();
        assert_eq!(
            dues(&major),
            vec![
                (LeadStep::Acknowledged, "2024-02-18".into()),
                (LeadStep::Assessed, "2024-02-19".into()),
                (LeadStep::Feedback, "2024-02-20".into()),
            ]
        );
        let standard = clock(day("2024-02-09"), &[], true, rules.days_for(Yuan(YUAN_PER_YI)), &calendar()).unwrap();
        assert_eq!(standard[2].due_on, day("2024-02-22"), "反馈 on the fifth working day: 18, 19, 20, 21, 22");
        for bad in ["0", "-5", "十亿", ""] {
            assert!(parse_major_from(bad).is_err(), "{bad:?}");
        }
    }

    fn registration<'a>(investor: &'a str, code: &'a str, industry: &'a str, on: &str) -> Registration<'a> {
        Registration { investor, credit_code: code, industry, lead_on: day(on) }
    }

    #[test]
    fn the_same_investor_is_known_by_its_code_or_a_similar_name_in_the_same_industry() {
        let first = registration("宁波韵升股份有限公司", "91330200144070476B", "38", "2025-03-01");
        let same_code = registration("韵升集团", "91330200144070476b", "32", "2025-03-02");
        assert!(same_intent(&first, &same_code), "the code decides, whatever the name and industry");
        let other_code = registration("宁波韵升股份有限公司", "91330200717873765X", "38", "2025-03-02");
        assert!(!same_intent(&first, &other_code), "two codes: two companies");
        let similar_name = registration("宁波韵升股份公司", "", "38", "2025-03-02");
        assert!(same_intent(&first, &similar_name));
        let other_industry = registration("宁波韵升股份公司", "", "32", "2025-03-02");
        assert!(!same_intent(&first, &other_industry));
        let other_name = registration("天水华天科技股份有限公司", "", "38", "2025-03-02");
        assert!(!same_intent(&first, &other_name));
        let no_industry = registration("宁波韵升股份公司", "", "", "2025-03-02");
        assert!(!same_intent(&registration("宁波韵升股份公司", "", "", "2025-03-01"), &no_industry));
    }

    #[test]
    fn the_window_protects_the_first_registration_for_its_days_only() {
        let first = registration("宁波韵升股份有限公司", "91330200144070476B", "38", "2025-01-01");
        let on = |day: &str| registration("宁波韵升股份有限公司", "91330200144070476B", "38", day);
        assert!(protects(&first, &on("2025-01-01"), 180), "the same day");
        assert!(protects(&first, &on("2025-06-29"), 180), "day 179");
        assert!(!protects(&first, &on("2025-06-30"), 180), "day 180: the window has ended");
        assert!(protects(&first, &on("2025-06-30"), 181), "a longer window set by the province");
        assert!(!protects(&on("2025-02-01"), &first, 180), "a later registration protects nothing earlier");
        let earlier = registration("宁波韵升股份公司", "", "38", "2024-12-20");
        let candidates = vec![(2, first), (1, earlier), (3, on("2024-01-01"))];
        assert_eq!(protected_by(&on("2025-03-01"), candidates.clone(), 180), Some(1), "the earliest within the window");
        assert_eq!(protected_by(&registration("别家公司", "", "38", "2025-03-01"), candidates, 180), None);
    }
}
