//! Investment-promotion activities (招商活动) as records of work: the kinds, who took
//! part (leaders, cadres, members by name), and the form's rules. An activity's kind is
//! stored as its Chinese name (the import's 活动类型 column takes any text; the form
//! offers `KINDS`).

pub use crate::forms::FieldErrors;
use crate::forms::{parse_day, text};
use chrono::NaiveDate;

/// The kinds the form offers, in the order the import describes them.
pub const KINDS: [&str; 5] = ["外出招商", "来访接待", "展会节会", "推介会", "座谈会"];

/// The longest name, place or organiser kept, in characters.
pub const MAX_NAME: usize = 100;
/// The longest outcome report (成果简报) kept.
pub const MAX_OUTCOME: usize = 2_000;
/// The most participants, chambers or enterprises one activity lists.
pub const MAX_LISTED: usize = 100;

crate::vocabulary! {
    /// What a participant was at the activity; the key is stored.
    pub enum ParticipantRole {
        Leader => ("leader", "领导"),
        Cadre => ("cadre", "干部"),
        Member => ("member", "委员"),
    }
}

impl ParticipantRole {
    fn from_label(label: &str) -> Option<ParticipantRole> {
        ParticipantRole::ALL.iter().copied().find(|role| role.label() == label || role.key() == label)
    }
}

/// A person who took part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub name: String,
    pub role: ParticipantRole,
}

/// Reads participants as the form and the import's 参与人员 column write them:
/// names separated by 、 or ; (or one a line), each with its role in brackets —
/// `张三（领导）、李四（委员）、王五` — a name without one being a cadre (干部). A name
/// given twice is kept once. The error names the bad entry.
pub fn parse_participants(textual: &str) -> Result<Vec<Participant>, String> {
    let mut participants: Vec<Participant> = Vec::new();
    for entry in crate::chambers::split_names(textual) {
        let entry = entry.replace('(', "（").replace(')', "）");
        let (name, role) = match entry.split_once('（') {
            None => (entry.as_str(), ParticipantRole::Cadre),
            Some((name, rest)) => {
                let label = rest.strip_suffix('）').unwrap_or(rest).trim();
                let role = ParticipantRole::from_label(label)
                    .ok_or_else(|| format!("参与人员“{entry}”的身份应为领导、干部或委员"))?;
                (name, role)
            }
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("参与人员“{entry}”缺少姓名"));
        }
        if name.chars().count() > 50 {
            return Err(format!("参与人员“{name}”的姓名过长"));
        }
        if !participants.iter().any(|p| p.name == name) {
            participants.push(Participant { name: name.to_string(), role });
        }
    }
    if participants.len() > MAX_LISTED {
        return Err(format!("参与人员最多 {MAX_LISTED} 人"));
    }
    Ok(participants)
}

/// Participants as `parse_participants` reads them back: `张三（领导）、王五（干部）`.
pub fn participants_text(participants: &[Participant]) -> String {
    participants
        .iter()
        .map(|p| format!("{}（{}）", p.name, p.role.label()))
        .collect::<Vec<_>>()
        .join(crate::chambers::NAME_SEPARATOR)
}

/// An activity's fields as the form sends them (the region, the chambers and the
/// enterprises are checked against stored records by the service).
#[derive(Debug, Clone, Default)]
pub struct ActivityForm<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub start_on: &'a str,
    pub end_on: &'a str,
    pub place: &'a str,
    pub organiser: &'a str,
    pub participants: &'a str,
    pub outcome: &'a str,
}

/// An activity's checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityDraft {
    pub name: String,
    pub kind: String,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    pub place: String,
    pub organiser: String,
    pub participants: Vec<Participant>,
    pub outcome: String,
}

/// Checks an activity form: name, kind (one of `KINDS`), start date and place are
/// required; the end date, when given, is not before the start; participants parse.
pub fn check_activity(form: &ActivityForm) -> Result<ActivityDraft, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = text(&mut errors, "name", "活动名称", form.name, MAX_NAME, true);
    let kind = form.kind.trim();
    if !KINDS.contains(&kind) {
        errors.insert("kind", format!("请选择活动类型（{}）", KINDS.join("、")));
    }
    let start_on = parse_day(&mut errors, "start_on", "开始日期", form.start_on);
    let end_on = match form.end_on.trim() {
        "" => None,
        _ => parse_day(&mut errors, "end_on", "结束日期", form.end_on),
    };
    if let (Some(start), Some(end)) = (start_on, end_on) {
        if end < start {
            errors.insert("end_on", "结束日期不能早于开始日期".to_string());
        }
    }
    let place = text(&mut errors, "place", "地点", form.place, MAX_NAME, true);
    let organiser = text(&mut errors, "organiser", "主办单位", form.organiser, MAX_NAME, false);
    let outcome = text(&mut errors, "outcome", "成果简报", form.outcome, MAX_OUTCOME, false);
    let participants = parse_participants(form.participants).map_err(|e| errors.insert("participants", e)).ok();
    match (start_on, participants) {
        (Some(start_on), Some(participants)) if errors.is_empty() => Ok(ActivityDraft {
            name,
            kind: kind.to_string(),
            start_on,
            end_on,
            place,
            organiser,
            participants,
            outcome,
        }),
        _ => Err(errors),
    }
}

crate::vocabulary! {
    /// The orders the activity list offers.
    pub enum ActivitySort {
        Latest => ("latest", "开始日期（新→旧）"),
        Earliest => ("earliest", "开始日期（旧→新）"),
        Name => ("name", "活动名称"),
        Signed => ("signed", "签约项目数"),
    }
}

/// A project of a signing cohort (the projects signed at one activity, not 终止) as the
/// cohort's curve reads it: its investment and funds in place in yuan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CohortProject {
    pub investment: i64,
    pub started_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
    /// Funds in place: (day, yuan).
    pub funding: Vec<(NaiveDate, i64)>,
}

/// Where a cohort stood some months after its activity.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    /// Whole months since the activity's start (the last point may be part of one).
    pub months: u32,
    pub day: NaiveDate,
    /// Shares of the cohort's projects started and producing by `day`.
    pub started: Option<f64>,
    pub producing: Option<f64>,
    /// Funds in place from `start` to `day` over the cohort's signed investment.
    pub funded: Option<f64>,
}

/// A cohort's figures on a day: projects, investment and funds in place since `start`
/// (yuan), projects started and producing by `day`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CohortTotals {
    pub signed_count: i64,
    pub investment: i64,
    pub funds_in_place: i64,
    pub started_count: i64,
    pub producing_count: i64,
}

impl CohortTotals {
    pub fn arrival_rate(&self) -> Option<f64> {
        crate::money::ratio(self.funds_in_place, self.investment)
    }

    pub fn start_rate(&self) -> Option<f64> {
        crate::money::ratio(self.started_count, self.signed_count)
    }

    pub fn completion_rate(&self) -> Option<f64> {
        crate::money::ratio(self.producing_count, self.signed_count)
    }
}

/// The figures of `projects` on `day`, funds counted from `start` (the cohort report's).
pub fn cohort_totals(start: NaiveDate, day: NaiveDate, projects: &[CohortProject]) -> CohortTotals {
    let by = |date: Option<NaiveDate>| date.is_some_and(|d| d <= day);
    CohortTotals {
        signed_count: projects.len() as i64,
        investment: projects.iter().map(|p| p.investment).sum(),
        funds_in_place: projects
            .iter()
            .flat_map(|p| &p.funding)
            .filter(|(d, _)| start <= *d && *d <= day)
            .map(|(_, yuan)| *yuan)
            .sum(),
        started_count: projects.iter().filter(|p| by(p.started_on)).count() as i64,
        producing_count: projects.iter().filter(|p| by(p.producing_on)).count() as i64,
    }
}

/// The cohort's curve from its activity's `start` to `to`: a point at each whole month
/// after the start up to `to`, and one at `to` itself, whose figures are the cohort
/// report's (`zhaoshang stats cohort` on `to`: start, completion and arrival rates).
pub fn cohort_curve(start: NaiveDate, to: NaiveDate, projects: &[CohortProject]) -> Vec<CurvePoint> {
    let point = |months: u32, day: NaiveDate| {
        let totals = cohort_totals(start, day, projects);
        CurvePoint {
            months,
            day,
            started: totals.start_rate(),
            producing: totals.completion_rate(),
            funded: totals.arrival_rate(),
        }
    };
    let mut points = Vec::new();
    let mut months = 0;
    while let Some(day) = start.checked_add_months(chrono::Months::new(months)).filter(|day| *day < to) {
        points.push(point(months, day));
        months += 1;
    }
    if start <= to {
        let whole = if start.checked_add_months(chrono::Months::new(months)) == Some(to) {
            months
        } else {
            months.saturating_sub(1)
        };
        points.push(point(whole, to));
    }
    points
}

/// The projects of a cohort (their indices) signed but not started `months` months
/// after the activity's `start`, once that day has come by `to`: for follow-up.
pub fn not_started_after(start: NaiveDate, months: u32, to: NaiveDate, projects: &[CohortProject]) -> Vec<usize> {
    let Some(due) = start.checked_add_months(chrono::Months::new(months)).filter(|due| *due <= to) else {
        return Vec::new();
    };
    projects.iter().enumerate().filter(|(_, p)| p.started_on.is_none_or(|d| d > due)).map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form<'a>() -> ActivityForm<'a> {
        ActivityForm {
            name: "赴上海招商推介",
            kind: "外出招商",
            start_on: "2023-05-10",
            end_on: "2023-05-12",
            place: "上海市",
            organiser: "白银市投资促进局",
            participants: "张三（领导）、李四(委员)；王五",
            outcome: "",
        }
    }

    #[test]
    fn participants_read_roles_and_default_to_cadres() {
        let people = parse_participants("张三（领导）、李四(委员)；王五\n张三（领导）").unwrap();
        let roles: Vec<_> = people.iter().map(|p| (p.name.as_str(), p.role)).collect();
        assert_eq!(
            roles,
            [("张三", ParticipantRole::Leader), ("李四", ParticipantRole::Member), ("王五", ParticipantRole::Cadre)]
        );
        assert_eq!(participants_text(&people), "张三（领导）、李四（委员）、王五（干部）");
        assert_eq!(parse_participants(&participants_text(&people)).unwrap(), people);
        assert!(parse_participants("").unwrap().is_empty());
    }

    #[test]
    fn participants_refuse_unknown_roles_and_missing_names() {
        assert!(parse_participants("张三（司机）").unwrap_err().contains("领导、干部或委员"));
        assert!(parse_participants("（领导）").unwrap_err().contains("缺少姓名"));
    }

    #[test]
    fn a_good_form_passes() {
        let draft = check_activity(&form()).unwrap();
        assert_eq!(draft.start_on, NaiveDate::from_ymd_opt(2023, 5, 10).unwrap());
        assert_eq!(draft.end_on, NaiveDate::from_ymd_opt(2023, 5, 12));
        assert_eq!(draft.participants.len(), 3);
        let open_ended = check_activity(&ActivityForm { end_on: " ", ..form() }).unwrap();
        assert_eq!(open_ended.end_on, None);
    }

    #[test]
    fn bad_forms_name_each_field_in_chinese() {
        let errors = check_activity(&ActivityForm {
            name: " ",
            kind: "旅游",
            start_on: "2023-13-01",
            place: "",
            participants: "张三（司机）",
            ..form()
        })
        .unwrap_err();
        assert_eq!(errors["name"], "请填写活动名称");
        assert!(errors["kind"].starts_with("请选择活动类型"));
        assert!(errors["start_on"].contains("不是有效日期"));
        assert_eq!(errors["place"], "请填写地点");
        assert!(errors["participants"].contains("身份"));
        let reversed = check_activity(&ActivityForm { end_on: "2023-05-09", ..form() }).unwrap_err();
        assert_eq!(reversed["end_on"], "结束日期不能早于开始日期");
        let long = "长".repeat(MAX_OUTCOME + 1);
        assert!(check_activity(&ActivityForm { outcome: &long, ..form() }).unwrap_err().contains_key("outcome"));
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn cohort() -> Vec<CohortProject> {
        vec![
            CohortProject {
                investment: 600,
                started_on: Some(day(2023, 8, 1)),
                producing_on: Some(day(2023, 12, 1)),
                funding: vec![(day(2023, 6, 1), 50), (day(2023, 8, 15), 100), (day(2023, 11, 1), 150)],
            },
            CohortProject { investment: 400, started_on: Some(day(2023, 10, 20)), ..Default::default() },
            CohortProject { investment: 1000, ..Default::default() },
        ]
    }

    #[test]
    fn the_curve_climbs_month_by_month_and_ends_on_the_reports_figures() {
        let points = cohort_curve(day(2023, 7, 6), day(2023, 11, 20), &cohort());
        let days: Vec<_> = points.iter().map(|p| (p.months, p.day)).collect();
        assert_eq!(
            days,
            [
                (0, day(2023, 7, 6)),
                (1, day(2023, 8, 6)),
                (2, day(2023, 9, 6)),
                (3, day(2023, 10, 6)),
                (4, day(2023, 11, 6)),
                (4, day(2023, 11, 20)),
            ]
        );
        assert_eq!(points[0].started, Some(0.0));
        assert_eq!(points[1].started, Some(1.0 / 3.0));
        assert_eq!(points[4].started, Some(2.0 / 3.0));
        assert_eq!(points[5].producing, Some(0.0));
        // Funds dated before the fair do not count; those up to the day do.
        assert_eq!(points[1].funded, Some(0.0));
        assert_eq!(points[2].funded, Some(100.0 / 2000.0));
        assert_eq!(points[5].funded, Some(250.0 / 2000.0));
        let shares = |p: &CurvePoint| (p.started.unwrap(), p.producing.unwrap(), p.funded.unwrap());
        assert!(points.windows(2).all(|w| {
            let (a, b) = (shares(&w[0]), shares(&w[1]));
            a.0 <= b.0 && a.1 <= b.1 && a.2 <= b.2
        }));
    }

    #[test]
    fn totals_count_funds_from_the_start_to_the_day() {
        let totals = cohort_totals(day(2023, 7, 6), day(2023, 11, 20), &cohort());
        assert_eq!(
            totals,
            CohortTotals {
                signed_count: 3,
                investment: 2000,
                funds_in_place: 250,
                started_count: 2,
                producing_count: 0
            }
        );
        assert_eq!(totals.arrival_rate(), Some(0.125));
        assert_eq!(CohortTotals::default().start_rate(), None);
    }

    #[test]
    fn an_empty_cohort_has_no_shares_and_a_future_fair_no_points() {
        let points = cohort_curve(day(2023, 7, 6), day(2023, 7, 6), &[]);
        assert_eq!(points.len(), 1);
        assert_eq!((points[0].months, points[0].started, points[0].funded), (0, None, None));
        assert!(cohort_curve(day(2023, 7, 6), day(2023, 7, 5), &cohort()).is_empty());
    }

    #[test]
    fn projects_not_started_six_months_on_are_listed_once_the_day_has_come() {
        let start = day(2023, 4, 10);
        assert_eq!(not_started_after(start, 6, day(2023, 10, 9), &cohort()), Vec::<usize>::new());
        // 2023-10-10: the second started on 10-20, after the sixth month.
        assert_eq!(not_started_after(start, 6, day(2023, 10, 10), &cohort()), [1, 2]);
        assert_eq!(not_started_after(start, 7, day(2024, 1, 1), &cohort()), [2]);
    }
}
