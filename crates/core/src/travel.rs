//! The travel planner (出行招商): a leader going to a province or city gets the target
//! enterprises, the Gansu chambers, the projects to push and the past visits there, and a
//! suggested order of visits day by day. The rules here are pure: the form's checks, the
//! itinerary (visits grouped by district and spread over the days), which projects are
//! worth pushing on the trip, and the `.ics` calendar file (RFC 5545).

pub use crate::forms::FieldErrors;
use crate::forms::{parse_day, text};
use crate::projects::Stage;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// The longest trip planned, in days.
pub const MAX_DAYS: i64 = 15;
/// The longest leader's name and purpose kept, in characters.
pub const MAX_LEADER: usize = 50;
pub const MAX_PURPOSE: usize = 500;
/// The visits' times of day (a visit takes `VISIT_MINUTES`): two in the morning, three
/// in the afternoon; no day holds more visits than these.
pub const SLOTS: [(u32, u32); 5] = [(9, 0), (10, 30), (14, 0), (15, 30), (17, 0)];
pub const VISIT_MINUTES: i64 = 60;
/// A signed project not started this many months after its signing has stalled.
pub const STALLED_MONTHS: u32 = 6;

crate::vocabulary! {
    /// What a visit of the itinerary calls on; the key is stored.
    pub enum StopKind {
        Enterprise => ("enterprise", "拜访企业"),
        Chamber => ("chamber", "走访商会"),
    }
}

crate::vocabulary! {
    /// Why a project is on the trip's list.
    pub enum Pursuit {
        Negotiating => ("negotiating", "洽谈中"),
        Stalled => ("stalled", "签约未开工"),
    }
}

/// A travel plan's fields as the form sends them (the destination and the travelling
/// party's region are checked against the regions reference by the service).
#[derive(Debug, Clone, Default)]
pub struct TravelForm<'a> {
    pub leader: &'a str,
    pub start_on: &'a str,
    pub end_on: &'a str,
    pub purpose: &'a str,
}

/// A travel plan's checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TravelDraft {
    pub leader: String,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    pub purpose: String,
}

/// Checks a travel plan's form: the leader and both dates are required, the end is not
/// before the start and the trip lasts at most `MAX_DAYS` days.
pub fn check_travel(form: &TravelForm) -> Result<TravelDraft, FieldErrors> {
    let mut errors = FieldErrors::new();
    let leader = text(&mut errors, "leader", "出行领导", form.leader, MAX_LEADER, true);
    // The leader becomes a participant of the activity the trip turns into, whose list
    // reads roles in brackets and splits names on separators.
    if leader.contains(['（', '）', '(', ')', '、', ';', '；', '\n']) {
        errors.insert("leader", "出行领导只填姓名，不含括号或分隔符".to_string());
    }
    let start_on = parse_day(&mut errors, "start_on", "出发日期", form.start_on);
    let end_on = parse_day(&mut errors, "end_on", "返回日期", form.end_on);
    if let (Some(start), Some(end)) = (start_on, end_on) {
        if end < start {
            errors.insert("end_on", "返回日期不能早于出发日期".to_string());
        } else if (end - start).num_days() + 1 > MAX_DAYS {
            errors.insert("end_on", format!("一次出行最多 {MAX_DAYS} 天"));
        }
    }
    let purpose = text(&mut errors, "purpose", "出行事由", form.purpose, MAX_PURPOSE, false);
    match (start_on, end_on) {
        (Some(start_on), Some(end_on)) if errors.is_empty() => Ok(TravelDraft { leader, start_on, end_on, purpose }),
        _ => Err(errors),
    }
}

/// The days of a trip, the first to the last.
pub fn trip_days(start: NaiveDate, end: NaiveDate) -> Vec<NaiveDate> {
    start.iter_days().take_while(|day| *day <= end).take(MAX_DAYS as usize).collect()
}

/// The most visits a trip of `days` days holds.
pub fn capacity(days: usize) -> usize {
    days * SLOTS.len()
}

/// The suggested itinerary: the stops (given by their district, best first) grouped by
/// district and spread over `days` days, as the indices of the stops of each day in
/// visiting order. Districts come in the order of their best stop, and each district's
/// stops stay in their order; a day holds about as many visits as the others (never
/// more than `SLOTS`), and a district is kept to one day when it fits in one without
/// crowding the days after. Stops beyond the trip's capacity (the last ones) are left
/// out. The same input always gives the same itinerary.
pub fn suggest_itinerary(districts: &[&str], days: usize) -> Vec<Vec<usize>> {
    if days == 0 {
        return Vec::new();
    }
    let count = districts.len().min(capacity(days));
    let per_day = count.div_ceil(days).max(1);
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (index, district) in districts.iter().enumerate().take(count) {
        match groups.iter_mut().find(|(d, _)| d == district) {
            Some((_, members)) => members.push(index),
            None => groups.push((district, vec![index])),
        }
    }
    let mut plan: Vec<Vec<usize>> = vec![Vec::new(); days];
    let (mut day, mut remaining) = (0, count);
    for (_, members) in groups {
        let today = plan[day].len();
        let days_after = days - day - 1;
        // Start the district on the next day rather than split it, if the days after
        // still hold everything left.
        if today > 0 && today + members.len() > per_day && members.len() <= per_day && remaining <= days_after * per_day
        {
            day += 1;
        }
        for index in members {
            if plan[day].len() >= per_day && day + 1 < days {
                day += 1;
            }
            plan[day].push(index);
            remaining -= 1;
        }
    }
    plan
}

/// The time of day of the `n`th visit of a day (0-based; past the last slot, the last).
pub fn slot(n: usize) -> NaiveTime {
    let (hour, minute) = SLOTS[n.min(SLOTS.len() - 1)];
    NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid slot")
}

/// Why a project is worth pushing on a trip starting `on`: still negotiating (洽谈), or
/// signed at least `STALLED_MONTHS` months before without starting; `None` otherwise.
pub fn pursuit(
    stage: Stage,
    signed_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    on: NaiveDate,
) -> Option<Pursuit> {
    match stage {
        Stage::Negotiating => Some(Pursuit::Negotiating),
        Stage::Signed if started_on.is_none() => {
            let due = signed_on?.checked_add_months(chrono::Months::new(STALLED_MONTHS))?;
            (due <= on).then_some(Pursuit::Stalled)
        }
        _ => None,
    }
}

/// The word a division goes by in free text (a project's 投资方来源地, an activity's place):
/// its name without the ending of division names, "上海市" → "上海", "广西壮族自治区" →
/// "广西"; a name that would be left with less than two characters is kept whole.
pub fn place_keyword(name: &str) -> &str {
    const ENDINGS: [&str; 11] =
        ["维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区", "省", "市", "盟", "县"];
    let name = name.trim();
    ENDINGS
        .iter()
        .find_map(|ending| name.strip_suffix(ending))
        .filter(|short| short.chars().count() >= 2)
        .unwrap_or(name)
}

/// One event of a calendar file, its times in China time (Asia/Shanghai).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Unique and stable for the same visit of the same plan.
    pub uid: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub summary: String,
    pub location: String,
    pub description: String,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline.
pub fn ics_text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// A content line folded at 75 octets (RFC 5545 §3.1) without splitting a character,
/// each line ended by CRLF, the continuations opened by a space.
fn folded(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// China's time zone as a calendar file describes it (no daylight saving since 1991).
const SHANGHAI: [&str; 8] = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19910915T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
];

/// A calendar file (RFC 5545) of `events`, stamped `now`: CRLF lines folded at 75 octets,
/// texts escaped, times in Asia/Shanghai.
pub fn ics_calendar(name: &str, events: &[CalendarEvent], now: DateTime<Utc>) -> String {
    let local = |t: &NaiveDateTime| t.format("%Y%m%dT%H%M%S").to_string();
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Zhaoshang//出行招商//ZH".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", ics_text(name)),
        "X-WR-TIMEZONE:Asia/Shanghai".into(),
    ];
    lines.extend(SHANGHAI.iter().map(|l| l.to_string()));
    lines.push("END:VTIMEZONE".into());
    for event in events {
        lines.extend([
            "BEGIN:VEVENT".into(),
            format!("UID:{}", ics_text(&event.uid)),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;TZID=Asia/Shanghai:{}", local(&event.start)),
            format!("DTEND;TZID=Asia/Shanghai:{}", local(&event.end)),
            format!("SUMMARY:{}", ics_text(&event.summary)),
        ]);
        if !event.location.is_empty() {
            lines.push(format!("LOCATION:{}", ics_text(&event.location)));
        }
        if !event.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", ics_text(&event.description)));
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|line| folded(line)).collect()
}

/// A visit's event times: its day at its slot, for `VISIT_MINUTES`.
pub fn visit_times(day: NaiveDate, n: usize) -> (NaiveDateTime, NaiveDateTime) {
    let start = day.and_time(slot(n));
    (start, start + Duration::minutes(VISIT_MINUTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn form<'a>() -> TravelForm<'a> {
        TravelForm { leader: "王德胜", start_on: "2024-05-06", end_on: "2024-05-08", purpose: "拜访目标企业" }
    }

    #[test]
    fn a_good_form_passes_and_bad_ones_name_each_field() {
        let draft = check_travel(&form()).unwrap();
        assert_eq!((draft.start_on, draft.end_on), (day(2024, 5, 6), day(2024, 5, 8)));
        let errors =
            check_travel(&TravelForm { leader: " ", start_on: "2024-13-01", end_on: "", ..form() }).unwrap_err();
        assert_eq!(errors["leader"], "请填写出行领导");
        let bracketed = check_travel(&TravelForm { leader: "王德胜（副市长）", ..form() }).unwrap_err();
        assert!(bracketed["leader"].contains("不含括号"));
        assert!(errors["start_on"].contains("不是有效日期"));
        assert_eq!(errors["end_on"], "请填写返回日期");
        let reversed = check_travel(&TravelForm { end_on: "2024-05-05", ..form() }).unwrap_err();
        assert_eq!(reversed["end_on"], "返回日期不能早于出发日期");
        let long = check_travel(&TravelForm { end_on: "2024-05-21", ..form() }).unwrap_err();
        assert!(long["end_on"].contains("最多 15 天"));
        assert!(check_travel(&TravelForm { end_on: "2024-05-20", ..form() }).is_ok());
    }

    #[test]
    fn trips_have_their_days_and_capacity() {
        assert_eq!(trip_days(day(2024, 2, 28), day(2024, 3, 1)), [day(2024, 2, 28), day(2024, 2, 29), day(2024, 3, 1)]);
        assert_eq!(capacity(2), 10);
    }

    #[test]
    fn visits_are_grouped_by_district_and_spread_over_the_days() {
        // Best first: 浦东, 徐汇, 浦东, 静安, 徐汇, 浦东.
        let stops = ["310115", "310104", "310115", "310106", "310104", "310115"];
        let plan = suggest_itinerary(&stops, 2);
        // 浦东's three on the first day; 徐汇's two, then 静安's, on the second.
        assert_eq!(plan, vec![vec![0, 2, 5], vec![1, 4, 3]]);
        // Deterministic.
        assert_eq!(suggest_itinerary(&stops, 2), plan);
        // One day takes everything, districts together, up to the slots of a day.
        assert_eq!(suggest_itinerary(&stops, 1), vec![vec![0, 2, 1, 4, 3]]);
        // More days than visits: a visit a day, the rest free.
        assert_eq!(suggest_itinerary(&stops[..2], 3), vec![vec![0], vec![1], vec![]]);
        assert!(suggest_itinerary(&stops, 0).is_empty());
        assert_eq!(suggest_itinerary(&[], 2), vec![Vec::<usize>::new(), vec![]]);
    }

    #[test]
    fn a_large_district_is_split_and_no_day_is_crowded() {
        let stops = ["310115"; 7];
        let plan = suggest_itinerary(&stops, 3);
        assert_eq!(plan.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
        assert_eq!(plan.concat(), (0..7).collect::<Vec<_>>());
        // A district that fits waits for the next day instead of being split …
        let plan = suggest_itinerary(&["a", "a", "b", "b", "c"], 2);
        assert_eq!(plan, vec![vec![0, 1], vec![2, 3, 4]]);
        // … unless the days after would be crowded.
        let plan = suggest_itinerary(&["a", "a", "b", "b", "b", "c"], 2);
        assert_eq!(plan, vec![vec![0, 1, 2], vec![3, 4, 5]]);
        for days in 1..5 {
            let many: Vec<&str> = (0..30).map(|i| ["a", "b", "c", "d"][i % 4]).collect();
            let plan = suggest_itinerary(&many, days);
            assert!(plan.iter().all(|d| d.len() <= SLOTS.len()), "{days}: {plan:?}");
            assert_eq!(plan.concat().len(), capacity(days).min(30));
        }
    }

    #[test]
    fn slots_run_from_morning_to_afternoon() {
        assert_eq!(slot(0), NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        assert_eq!(slot(2), NaiveTime::from_hms_opt(14, 0, 0).unwrap());
        assert_eq!(slot(9), slot(4));
        let (start, end) = visit_times(day(2024, 5, 6), 1);
        assert_eq!((start.to_string(), end.to_string()), ("2024-05-06 10:30:00".into(), "2024-05-06 11:30:00".into()));
    }

    #[test]
    fn negotiating_and_stalled_projects_are_pursued() {
        let on = day(2024, 5, 6);
        assert_eq!(pursuit(Stage::Negotiating, None, None, on), Some(Pursuit::Negotiating));
        assert_eq!(pursuit(Stage::Signed, Some(day(2023, 11, 6)), None, on), Some(Pursuit::Stalled));
        assert_eq!(pursuit(Stage::Signed, Some(day(2023, 11, 7)), None, on), None);
        assert_eq!(pursuit(Stage::Signed, Some(day(2023, 1, 1)), Some(day(2023, 3, 1)), on), None);
        assert_eq!(pursuit(Stage::Signed, None, None, on), None);
        for stage in [Stage::Lead, Stage::Started, Stage::Producing, Stage::Dropped] {
            assert_eq!(pursuit(stage, Some(day(2020, 1, 1)), None, on), None);
        }
    }

    #[test]
    fn places_go_by_their_short_names() {
        assert_eq!(place_keyword("上海市"), "上海");
        assert_eq!(place_keyword("广西壮族自治区"), "广西");
        assert_eq!(place_keyword("江苏省"), "江苏");
        assert_eq!(place_keyword("苏州市"), "苏州");
        assert_eq!(place_keyword("香港特别行政区"), "香港");
        assert_eq!(place_keyword("津市"), "津市");
    }

    #[test]
    fn calendar_texts_are_escaped_and_lines_folded_with_crlf() {
        assert_eq!(ics_text("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
        let event = CalendarEvent {
            uid: "travel-1-0@zhaoshang".into(),
            start: day(2024, 5, 6).and_hms_opt(9, 0, 0).unwrap(),
            end: day(2024, 5, 6).and_hms_opt(10, 0, 0).unwrap(),
            summary: "拜访企业：上海申嘉智能装备有限公司".into(),
            location: "上海市浦东新区".into(),
            description: "补链，评分 88；带上项目材料,".repeat(5),
        };
        let now = DateTime::parse_from_rfc3339("2024-05-01T02:03:04Z").unwrap().with_timezone(&Utc);
        let ics = ics_calendar("王德胜 赴上海", &[event], now);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "every line ends with CRLF");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        assert!(ics.contains("DTSTART;TZID=Asia/Shanghai:20240506T090000\r\n"));
        assert!(ics.contains("DTEND;TZID=Asia/Shanghai:20240506T100000\r\n"));
        assert!(ics.contains("DTSTAMP:20240501T020304Z\r\n"));
        assert!(ics.contains("TZID:Asia/Shanghai\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        // Unfolded, the description reads back whole, escaped.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}\r\n", "补链，评分 88；带上项目材料\\,".repeat(5))));
        assert!(unfolded.contains("SUMMARY:拜访企业：上海申嘉智能装备有限公司\r\n"));
    }
}
