//! 招商引资情况统计报表 (the tables of 甘肃省招商引资情况统计报表制度): the metrics of a
//! scope from 1 January to a month's end, with the same period a year before, broken down
//! by region, investor origin (province and 东部/中部/西部/东北), 三次产业 and GB/T 4754
//! division, chain, investor type, size band and 三个500强 investors.
//!
//! The tables are folded from the scope's figures by each attribute on its own
//! (`Breakdowns`): the store keeps those as sums for a whole region, and a read of
//! every project by all attributes at once (`Combination`, for a chain department's
//! few chains) folds into the same. Every table's parts add up to the total, the
//! metrics of the whole scope: by construction for the combinations, and for the kept
//! sums because each keeps every project under exactly one value.

use crate::enterprises::Tag;
use crate::metrics::{InvestmentFigures, Period, YearOnYear};
use crate::money::{Yuan, YUAN_PER_YI};
use crate::vocabulary;
use chrono::{Datelike, Months, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// The month a report runs to: it covers 1 January to that month's last day (1—N月), as
/// the reporting system's monthly tables are made once a month has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReportMonth {
    year: i32,
    month: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportMonthError {
    #[error("月份“{0}”无效：请写成 YYYY-MM，如 2024-09")]
    Format(String),
    #[error("{0}尚未结束：月报统计到已结束的月份，最近的是{1}")]
    NotEnded(String, String),
}

impl ReportMonth {
    /// "2024-09" (as a month input sends it) or "2024-9".
    pub fn parse(text: &str) -> Result<ReportMonth, ReportMonthError> {
        let invalid = || ReportMonthError::Format(text.to_string());
        let (year, month) = text.trim().split_once('-').ok_or_else(invalid)?;
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let month: u32 = month.parse().map_err(|_| invalid())?;
        if !(1900..=9999).contains(&year) || !(1..=12).contains(&month) {
            return Err(invalid());
        }
        Ok(ReportMonth { year, month })
    }

    /// The month `day` falls in.
    pub fn of(day: NaiveDate) -> ReportMonth {
        ReportMonth { year: day.year(), month: day.month() }
    }

    /// The last month that has ended by the end of `day`: `day`'s own month on its last
    /// day, else the month before.
    pub fn ended_by(day: NaiveDate) -> ReportMonth {
        let month = ReportMonth::of(day);
        if month.last_day() == day {
            month
        } else {
            month.previous()
        }
    }

    /// This month if it has ended by `today`, else an error naming the latest that has.
    pub fn ended(self, today: NaiveDate) -> Result<ReportMonth, ReportMonthError> {
        let latest = ReportMonth::ended_by(today);
        if self <= latest {
            Ok(self)
        } else {
            Err(ReportMonthError::NotEnded(self.label(), latest.label()))
        }
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a parsed month has a first day")
    }

    pub fn last_day(&self) -> NaiveDate {
        let next = self.first_day().checked_add_months(Months::new(1)).expect("dates far from the end of time");
        next.pred_opt().expect("a month's first day has a day before it")
    }

    fn previous(&self) -> ReportMonth {
        ReportMonth::of(self.first_day().pred_opt().expect("a month's first day has a day before it"))
    }

    /// 1 January to the month's last day.
    pub fn period(&self) -> Period {
        let january = NaiveDate::from_ymd_opt(self.year, 1, 1).expect("1 January exists in every year");
        Period { from: january, to: self.last_day() }
    }

    /// "2024年9月".
    pub fn label(&self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    /// The period as reports name it: "2024年1—9月" (or "2024年1月").
    pub fn caption(&self) -> String {
        match self.month {
            1 => format!("{}年1月", self.year),
            month => format!("{}年1—{month}月", self.year),
        }
    }
}

impl std::fmt::Display for ReportMonth {
    /// "2024-09", the value of a month input.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

vocabulary! {
    /// The report's tables, in the order offices print them (one sheet each).
    pub enum Breakdown {
        Region => ("region", "分地区"),
        Province => ("origin_province", "分投资来源地（省份）"),
        Zone => ("origin_zone", "分投资来源地（区域）"),
        Sector => ("sector", "分三次产业"),
        Division => ("division", "分国民经济行业"),
        Chain => ("chain", "分产业链"),
        InvestorType => ("investor_type", "分投资主体"),
        SizeBand => ("size_band", "分投资规模"),
        Top500 => ("top500", "三个500强"),
    }
}

vocabulary! {
    /// Where an investor comes from, by the National Bureau of Statistics' four economic
    /// zones, with Hong Kong, Macao and Taiwan and abroad beside them.
    pub enum Zone {
        East => ("east", "东部地区"),
        Central => ("central", "中部地区"),
        West => ("west", "西部地区"),
        Northeast => ("northeast", "东北地区"),
        HongKongMacaoTaiwan => ("hmt", "港澳台地区"),
        Abroad => ("abroad", "境外"),
    }
}

impl Zone {
    /// The zone of a province by the first two digits of its code (GB/T 2260).
    pub fn of_province(code: &str) -> Option<Zone> {
        let zone = match code.get(..2)? {
            "11" | "12" | "13" | "31" | "32" | "33" | "35" | "37" | "44" | "46" => Zone::East,
            "14" | "34" | "36" | "41" | "42" | "43" => Zone::Central,
            "15" | "45" | "50" | "51" | "52" | "53" | "54" | "61" | "62" | "63" | "64" | "65" => Zone::West,
            "21" | "22" | "23" => Zone::Northeast,
            "71" | "81" | "82" => Zone::HongKongMacaoTaiwan,
            _ => return None,
        };
        Some(zone)
    }
}

/// An investor's origin (投资方来源地) as the report groups it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// A province of the mainland, by its six-digit code (`310000`).
    Province(String),
    HongKongMacaoTaiwan,
    Abroad,
    /// Not given, or a place no division is named after.
    Unknown,
}

const HMT_NAMES: [&str; 5] = ["香港", "澳门", "台湾", "港澳台", "中国台湾"];
const ABROAD_PREFIXES: [&str; 3] = ["境外", "国外", "海外"];

impl Origin {
    /// The origin of a typed 投资方来源地: 香港, 澳门 and 台湾 and 境外 by their names, any
    /// other text by `province_of` (the province of the division of that name or code).
    pub fn classify(text: &str, province_of: impl FnOnce(&str) -> Option<String>) -> Origin {
        let text = text.trim();
        if text.is_empty() {
            return Origin::Unknown;
        }
        if HMT_NAMES.iter().any(|name| text.starts_with(name)) {
            return Origin::HongKongMacaoTaiwan;
        }
        if ABROAD_PREFIXES.iter().any(|prefix| text.starts_with(prefix)) {
            return Origin::Abroad;
        }
        match province_of(text) {
            Some(code) if Zone::of_province(&code) == Some(Zone::HongKongMacaoTaiwan) => Origin::HongKongMacaoTaiwan,
            Some(code) => Origin::Province(code),
            None => Origin::Unknown,
        }
    }

    pub fn zone(&self) -> Option<Zone> {
        match self {
            Origin::Province(code) => Zone::of_province(code),
            Origin::HongKongMacaoTaiwan => Some(Zone::HongKongMacaoTaiwan),
            Origin::Abroad => Some(Zone::Abroad),
            Origin::Unknown => None,
        }
    }
}

vocabulary! {
    /// 三次产业 (国家统计局《三次产业划分规定》).
    pub enum Sector {
        Primary => ("primary", "第一产业"),
        Secondary => ("secondary", "第二产业"),
        Tertiary => ("tertiary", "第三产业"),
    }
}

/// The GB/T 4754-2017 section (门类) of a division (大类, "01"–"97"), or of a section
/// given by its letter.
pub fn section_of(industry: &str) -> Option<char> {
    const FIRST_DIVISIONS: [(u32, char); 20] = [
        (1, 'A'),
        (6, 'B'),
        (13, 'C'),
        (44, 'D'),
        (47, 'E'),
        (51, 'F'),
        (53, 'G'),
        (61, 'H'),
        (63, 'I'),
        (66, 'J'),
        (70, 'K'),
        (71, 'L'),
        (73, 'M'),
        (76, 'N'),
        (80, 'O'),
        (83, 'P'),
        (84, 'Q'),
        (86, 'R'),
        (91, 'S'),
        (97, 'T'),
    ];
    let industry = industry.trim();
    if let [letter @ b'A'..=b'T'] = industry.as_bytes() {
        return Some(char::from(*letter));
    }
    if industry.len() != 2 {
        return None;
    }
    let division: u32 = industry.parse().ok().filter(|d| (1..=97).contains(d))?;
    FIRST_DIVISIONS.iter().rev().find(|(first, _)| *first <= division).map(|(_, section)| *section)
}

/// The sector of an industry code: A is primary but for 05 (专业及辅助性活动), B–E
/// secondary but for 11 (开采专业及辅助性活动) and 43 (金属制品、机械和设备修理业),
/// everything else tertiary.
pub fn sector_of(industry: &str) -> Option<Sector> {
    let section = section_of(industry)?;
    let services = ["05", "11", "43"].contains(&industry.trim());
    Some(match section {
        _ if services => Sector::Tertiary,
        'A' => Sector::Primary,
        'B'..='E' => Sector::Secondary,
        _ => Sector::Tertiary,
    })
}

vocabulary! {
    /// A project's size by total investment; the bands do not overlap, so that they add
    /// up to the total, and the report adds the usual cumulative lines (亿元以上, 其中10亿元
    /// 以上, 其中20亿元以上) beside them.
    pub enum SizeBand {
        Under100m => ("under_100m", "1亿元以下"),
        From100m => ("from_100m", "1亿元（含）至10亿元"),
        From1b => ("from_1b", "10亿元（含）至20亿元"),
        From2b => ("from_2b", "20亿元以上（含）"),
    }
}

impl SizeBand {
    /// The least total investment of the band, in yuan.
    pub fn min_yuan(self) -> i64 {
        match self {
            SizeBand::Under100m => 0,
            SizeBand::From100m => YUAN_PER_YI,
            SizeBand::From1b => 10 * YUAN_PER_YI,
            SizeBand::From2b => 20 * YUAN_PER_YI,
        }
    }

    pub fn of(total: Yuan) -> SizeBand {
        SizeBand::ALL.iter().rev().copied().find(|band| total.0 >= band.min_yuan()).unwrap_or(SizeBand::Under100m)
    }

    /// A band's position in `ALL`, as the SQL `CASE` of `sql_case` yields it.
    pub fn from_index(index: i64) -> SizeBand {
        usize::try_from(index).ok().and_then(|i| SizeBand::ALL.get(i)).copied().unwrap_or(SizeBand::Under100m)
    }

    /// SQL giving the band's position in `ALL` for a total investment column in yuan.
    pub fn sql_case(column: &str) -> String {
        let arms: String = SizeBand::ALL
            .iter()
            .enumerate()
            .skip(1)
            .rev()
            .map(|(index, band)| format!("WHEN {column} >= {} THEN {index} ", band.min_yuan()))
            .collect();
        format!("CASE {arms}ELSE 0 END")
    }
}

/// The 三个500强 lists and the bit each sets in `Combination::top500`.
pub const TOP500_TAGS: [(Tag, u8); 3] = [(Tag::Global500, 1), (Tag::China500, 2), (Tag::Private500, 4)];

/// The investor types of the reporting system, in its order.
pub const INVESTOR_TYPES: [&str; 4] = ["民营", "国有", "外资", "港澳台"];

/// The label of a group no value was given for.
pub const NOT_GIVEN: &str = "未填报";

/// The figures of the projects sharing every attribute the report breaks down by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Combination {
    /// The sub-region the projects lie in: the first characters of their region code.
    pub region_group: String,
    pub origin: String,
    pub industry: String,
    pub chain: String,
    pub investor_type: String,
    pub band: i64,
    /// `TOP500_TAGS` bits of the investor enterprise's tags.
    pub top500: u8,
    pub current: InvestmentFigures,
    pub previous: InvestmentFigures,
}

/// A period's figures and those of the same period a year before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct YearPair {
    pub current: InvestmentFigures,
    pub previous: InvestmentFigures,
}

impl std::ops::AddAssign for YearPair {
    fn add_assign(&mut self, other: YearPair) {
        self.current += other.current;
        self.previous += other.previous;
    }
}

/// The figures of a scope by each attribute the report breaks down by, each list
/// covering every project of the scope once; `top500` covers only the projects whose
/// investor is on a 500强 list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Breakdowns {
    /// By sub-region: the first characters of the region code.
    pub regions: Vec<(String, YearPair)>,
    /// By the typed 投资方来源地.
    pub origins: Vec<(String, YearPair)>,
    /// By industry code.
    pub industries: Vec<(String, YearPair)>,
    pub chains: Vec<(String, YearPair)>,
    pub investor_types: Vec<(String, YearPair)>,
    /// By position in `SizeBand::ALL`.
    pub bands: Vec<(i64, YearPair)>,
    /// By `TOP500_TAGS` bits of the investor's tags (none 0).
    pub top500: Vec<(u8, YearPair)>,
}

impl Breakdowns {
    /// Every attribute's figures folded from the combinations.
    pub fn of_combinations(rows: &[Combination]) -> Breakdowns {
        fn by<K: Ord + Clone>(rows: &[Combination], key: impl Fn(&Combination) -> K) -> Vec<(K, YearPair)> {
            let mut folded: BTreeMap<K, YearPair> = BTreeMap::new();
            for row in rows {
                *folded.entry(key(row)).or_default() += row.figures();
            }
            folded.into_iter().collect()
        }
        let tagged: Vec<Combination> = rows.iter().filter(|row| row.top500 != 0).cloned().collect();
        Breakdowns {
            regions: by(rows, |row| row.region_group.clone()),
            origins: by(rows, |row| row.origin.clone()),
            industries: by(rows, |row| row.industry.clone()),
            chains: by(rows, |row| row.chain.clone()),
            investor_types: by(rows, |row| row.investor_type.clone()),
            bands: by(rows, |row| row.band),
            top500: by(&tagged, |row| row.top500),
        }
    }

    /// The scope's figures: the sum of its sub-regions'.
    pub fn total(&self) -> YearPair {
        let mut total = YearPair::default();
        for (_, pair) in &self.regions {
            total += *pair;
        }
        total
    }
}

impl Combination {
    fn figures(&self) -> YearPair {
        YearPair { current: self.current, previous: self.previous }
    }
}

/// One line of a table: this year's figures and last year's for 同比.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub label: String,
    /// A "其中" line: a part of the line above, not counted in the table's sum.
    pub of_which: bool,
    pub current: InvestmentFigures,
    pub previous: InvestmentFigures,
    /// The year's target of funds in place (the region table only).
    pub target: Option<Yuan>,
}

impl Line {
    fn new(label: impl Into<String>, of_which: bool) -> Line {
        Line { label: label.into(), of_which, ..Line::default() }
    }

    fn add(&mut self, pair: &YearPair) {
        self.current += pair.current;
        self.previous += pair.previous;
    }

    pub fn yoy(&self) -> YearOnYear {
        YearOnYear::between(&self.current, &self.previous)
    }

    /// This line's share of the table's signed investment (占比), `None` for a zero total.
    pub fn share_of(&self, total: &Line) -> Option<f64> {
        crate::money::ratio(self.current.signed_investment.0, total.current.signed_investment.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownTable {
    pub breakdown: Breakdown,
    pub lines: Vec<Line>,
    pub total: Line,
}

impl BreakdownTable {
    /// The sum of the table's parts (every line but the "其中" ones).
    pub fn parts_sum(&self) -> (InvestmentFigures, InvestmentFigures) {
        let (mut current, mut previous) = (InvestmentFigures::default(), InvestmentFigures::default());
        for line in self.lines.iter().filter(|line| !line.of_which) {
            current += line.current;
            previous += line.previous;
        }
        (current, previous)
    }
}

/// What the tables need besides the figures: names the store knows.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// The sub-regions in order: group (code prefix) and name, the region's own level
    /// (本级) among them.
    pub regions: Vec<(String, String)>,
    /// The origin of each typed 投资方来源地.
    pub origins: HashMap<String, Origin>,
    /// Province and industry names by code.
    pub provinces: HashMap<String, String>,
    pub industries: HashMap<String, String>,
    /// The year's target of funds in place of each sub-region group.
    pub targets: HashMap<String, Yuan>,
    /// The scope's own target for the year.
    pub total_target: Option<Yuan>,
}

/// Lines keyed in the order they are printed, folded from one breakdown's figures.
fn fold<T, K: Ord>(rows: &[(T, YearPair)], key: impl Fn(&T) -> K) -> BTreeMap<K, Line> {
    let mut lines: BTreeMap<K, Line> = BTreeMap::new();
    for (value, pair) in rows {
        lines.entry(key(value)).or_default().add(pair);
    }
    lines
}

/// Lines of a closed vocabulary: every value in order (with zeros), then the values
/// that are none of them as 未填报 when there are any.
fn vocabulary_lines<T>(rows: &[(T, YearPair)], labels: &[&str], key: impl Fn(&T) -> Option<usize>) -> Vec<Line> {
    let folded = fold(rows, |value| key(value).unwrap_or(usize::MAX));
    let mut lines: Vec<Line> = labels.iter().map(|label| Line::new(*label, false)).collect();
    for (index, line) in folded {
        match lines.get_mut(index) {
            Some(known) => {
                known.current = line.current;
                known.previous = line.previous;
            }
            None => lines.push(Line { label: NOT_GIVEN.into(), ..line }),
        }
    }
    lines
}

/// Lines of open values (chains, divisions), sorted, with the empty value as 未填报 last.
fn open_lines(rows: &[(String, YearPair)], label: impl Fn(&str) -> String) -> Vec<Line> {
    let folded = fold(rows, |value| (value.is_empty(), value.clone()));
    folded
        .into_iter()
        .map(|((unknown, key), line)| Line { label: if unknown { NOT_GIVEN.into() } else { label(&key) }, ..line })
        .collect()
}

fn region_lines(rows: &[(String, YearPair)], labels: &Labels) -> Vec<Line> {
    let mut folded = fold(rows, String::clone);
    let mut lines: Vec<Line> = labels
        .regions
        .iter()
        .map(|(group, name)| {
            let figures = folded.remove(group).unwrap_or_default();
            Line { label: name.clone(), target: labels.targets.get(group).copied(), ..figures }
        })
        .collect();
    // Projects of a code no sub-region has (none by the reference data) still count.
    lines.extend(folded.into_values().map(|line| Line { label: "其他".into(), ..line }));
    lines
}

fn origin_of<'a>(labels: &'a Labels, typed: &str) -> &'a Origin {
    labels.origins.get(typed).unwrap_or(&Origin::Unknown)
}

fn province_lines(rows: &[(String, YearPair)], labels: &Labels) -> Vec<Line> {
    let folded = fold(rows, |typed| origin_of(labels, typed).clone());
    folded
        .into_iter()
        .map(|(origin, line)| {
            let label = match &origin {
                Origin::Province(code) => labels.provinces.get(code).cloned().unwrap_or_else(|| code.clone()),
                Origin::HongKongMacaoTaiwan => Zone::HongKongMacaoTaiwan.label().into(),
                Origin::Abroad => Zone::Abroad.label().into(),
                Origin::Unknown => NOT_GIVEN.into(),
            };
            Line { label, ..line }
        })
        .collect()
}

fn size_lines(rows: &[(i64, YearPair)]) -> Vec<Line> {
    let labels: Vec<&str> = SizeBand::ALL.iter().map(|band| band.label()).collect();
    let mut lines = vocabulary_lines(rows, &labels, |band| usize::try_from(*band).ok());
    // 亿元以上 (of which 10亿元以上, 20亿元以上): the bands from each threshold on.
    for (first, label) in [(1, "亿元以上项目合计"), (2, "其中：10亿元以上"), (3, "其中：20亿元以上")]
    {
        let mut line = Line::new(label, true);
        for (_, pair) in rows.iter().filter(|(band, _)| *band >= first) {
            line.add(pair);
        }
        lines.push(line);
    }
    lines
}

/// 三个500强企业 (each list under it), and the others: the scope's total less them.
fn top500_lines(rows: &[(u8, YearPair)], total: &YearPair) -> Vec<Line> {
    let mut any = Line::new("三个500强企业", false);
    let mut each: Vec<Line> =
        TOP500_TAGS.iter().map(|(tag, _)| Line::new(format!("其中：{}", tag.label()), true)).collect();
    for (bits, pair) in rows.iter().filter(|(bits, _)| *bits != 0) {
        any.add(pair);
        for (line, (_, bit)) in each.iter_mut().zip(TOP500_TAGS) {
            if bits & bit != 0 {
                line.add(pair);
            }
        }
    }
    let mut others = Line::new("其他投资方", false);
    others.add(total);
    others.current -= any.current;
    others.previous -= any.previous;
    let mut lines = vec![any];
    lines.extend(each);
    lines.push(others);
    lines
}

/// The tables of the report, each with the scope's total.
pub fn tables(breakdowns: &Breakdowns, labels: &Labels) -> Vec<BreakdownTable> {
    let figures = breakdowns.total();
    let mut total = Line::new("合计", false);
    total.add(&figures);
    total.target = labels.total_target;
    Breakdown::ALL
        .iter()
        .map(|&breakdown| {
            let lines = match breakdown {
                Breakdown::Region => region_lines(&breakdowns.regions, labels),
                Breakdown::Province => province_lines(&breakdowns.origins, labels),
                Breakdown::Zone => {
                    let names: Vec<&str> = Zone::ALL.iter().map(|zone| zone.label()).collect();
                    vocabulary_lines(&breakdowns.origins, &names, |typed| {
                        let zone = origin_of(labels, typed).zone()?;
                        Zone::ALL.iter().position(|z| *z == zone)
                    })
                }
                Breakdown::Sector => {
                    let names: Vec<&str> = Sector::ALL.iter().map(|sector| sector.label()).collect();
                    vocabulary_lines(&breakdowns.industries, &names, |industry| {
                        let sector = sector_of(industry)?;
                        Sector::ALL.iter().position(|s| *s == sector)
                    })
                }
                Breakdown::Division => open_lines(&breakdowns.industries, |code| match labels.industries.get(code) {
                    Some(name) => format!("{code} {name}"),
                    None => code.to_string(),
                }),
                Breakdown::Chain => open_lines(&breakdowns.chains, str::to_string),
                Breakdown::InvestorType => vocabulary_lines(&breakdowns.investor_types, &INVESTOR_TYPES, |kind| {
                    INVESTOR_TYPES.iter().position(|t| t == kind)
                }),
                Breakdown::SizeBand => size_lines(&breakdowns.bands),
                Breakdown::Top500 => top500_lines(&breakdowns.top500, &figures),
            };
            BreakdownTable { breakdown, lines, total: total.clone() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn report_months_parse_and_run_from_january_to_their_last_day() {
        let september = ReportMonth::parse("2024-09").unwrap();
        assert_eq!(ReportMonth::parse(" 2024-9 ").unwrap(), september);
        assert_eq!(september.period(), Period { from: day(2024, 1, 1), to: day(2024, 9, 30) });
        assert_eq!(september.to_string(), "2024-09");
        assert_eq!(september.caption(), "2024年1—9月");
        assert_eq!(ReportMonth::parse("2025-01").unwrap().caption(), "2025年1月");
        assert_eq!(ReportMonth::parse("2024-02").unwrap().last_day(), day(2024, 2, 29));
        assert_eq!(ReportMonth::parse("2023-02").unwrap().last_day(), day(2023, 2, 28));
        assert_eq!(ReportMonth::parse("2024-12").unwrap().last_day(), day(2024, 12, 31));
        for bad in ["2024-13", "2024-00", "2024", "24-09x", "", "2024-09-30", "0-05"] {
            assert!(matches!(ReportMonth::parse(bad), Err(ReportMonthError::Format(_))), "{bad}");
        }
    }

    #[test]
    fn a_report_month_must_have_ended() {
        assert_eq!(ReportMonth::ended_by(day(2024, 11, 20)).to_string(), "2024-10");
        assert_eq!(ReportMonth::ended_by(day(2024, 10, 31)).to_string(), "2024-10");
        assert_eq!(ReportMonth::ended_by(day(2025, 1, 5)).to_string(), "2024-12");
        let today = day(2026, 12, 8);
        let november = ReportMonth::parse("2026-11").unwrap();
        assert_eq!(november.ended(today), Ok(november));
        assert_eq!(
            ReportMonth::parse("2026-12").unwrap().ended(today).unwrap_err().to_string(),
            "2026年12月尚未结束：月报统计到已结束的月份，最近的是2026年11月"
        );
        assert!(ReportMonth::parse("2026-12").unwrap().ended(day(2026, 12, 31)).is_ok());
    }

    #[test]
    fn divisions_fall_in_their_sections_and_sectors() {
        let cases = [
            ("01", 'A', Sector::Primary),
            ("05", 'A', Sector::Tertiary),
            ("06", 'B', Sector::Secondary),
            ("11", 'B', Sector::Tertiary),
            ("13", 'C', Sector::Secondary),
            ("43", 'C', Sector::Tertiary),
            ("44", 'D', Sector::Secondary),
            ("50", 'E', Sector::Secondary),
            ("51", 'F', Sector::Tertiary),
            ("70", 'K', Sector::Tertiary),
            ("90", 'R', Sector::Tertiary),
            ("91", 'S', Sector::Tertiary),
            ("97", 'T', Sector::Tertiary),
            ("C", 'C', Sector::Secondary),
        ];
        for (code, section, sector) in cases {
            assert_eq!(section_of(code), Some(section), "{code}");
            assert_eq!(sector_of(code), Some(sector), "{code}");
        }
        for unknown in ["", "00", "98", "3", "301", "U", "c"] {
            assert_eq!(sector_of(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn provinces_fall_in_the_four_zones() {
        assert_eq!(Zone::of_province("310000"), Some(Zone::East));
        assert_eq!(Zone::of_province("440300"), Some(Zone::East));
        assert_eq!(Zone::of_province("410000"), Some(Zone::Central));
        assert_eq!(Zone::of_province("620000"), Some(Zone::West));
        assert_eq!(Zone::of_province("150000"), Some(Zone::West), "内蒙古");
        assert_eq!(Zone::of_province("230000"), Some(Zone::Northeast));
        assert_eq!(Zone::of_province("810000"), Some(Zone::HongKongMacaoTaiwan));
        assert_eq!(Zone::of_province("99"), None);
        // The 31 provinces of the mainland: 10 east, 6 central, 12 west, 3 northeast.
        let codes = [
            11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
            62, 63, 64, 65,
        ];
        let count = |zone| codes.iter().filter(|c| Zone::of_province(&format!("{c}0000")) == Some(zone)).count();
        assert_eq!(
            [count(Zone::East), count(Zone::Central), count(Zone::West), count(Zone::Northeast)],
            [10, 6, 12, 3]
        );
    }

    #[test]
    fn origins_are_classified_by_name_then_by_the_divisions() {
        let divisions = |text: &str| match text {
            "上海市" | "上海" => Some("310000".to_string()),
            "深圳市" => Some("440000".to_string()),
            _ => None,
        };
        assert_eq!(Origin::classify(" 上海市 ", divisions), Origin::Province("310000".into()));
        assert_eq!(Origin::classify("深圳市", divisions), Origin::Province("440000".into()));
        assert_eq!(Origin::classify("香港特别行政区", divisions), Origin::HongKongMacaoTaiwan);
        assert_eq!(Origin::classify("台湾省", divisions), Origin::HongKongMacaoTaiwan);
        assert_eq!(Origin::classify("境外：新加坡", divisions), Origin::Abroad);
        assert_eq!(Origin::classify("", divisions), Origin::Unknown);
        assert_eq!(Origin::classify("火星", divisions), Origin::Unknown);
        assert_eq!(Origin::Province("440000".into()).zone(), Some(Zone::East));
        assert_eq!(Origin::Unknown.zone(), None);
    }

    #[test]
    fn size_bands_start_at_their_thresholds() {
        let yi = |n: i64| Yuan(n * YUAN_PER_YI);
        assert_eq!(SizeBand::of(Yuan(YUAN_PER_YI - 1)), SizeBand::Under100m);
        assert_eq!(SizeBand::of(yi(1)), SizeBand::From100m);
        assert_eq!(SizeBand::of(yi(10)), SizeBand::From1b);
        assert_eq!(SizeBand::of(Yuan(20 * YUAN_PER_YI - 1)), SizeBand::From1b);
        assert_eq!(SizeBand::of(yi(20)), SizeBand::From2b);
        assert_eq!(SizeBand::from_index(3), SizeBand::From2b);
        assert_eq!(SizeBand::from_index(-1), SizeBand::Under100m);
        assert_eq!(
            SizeBand::sql_case("t"),
            "CASE WHEN t >= 2000000000 THEN 3 WHEN t >= 1000000000 THEN 2 WHEN t >= 100000000 THEN 1 ELSE 0 END"
        );
    }

    fn figures(signed: i64, yuan: i64) -> InvestmentFigures {
        InvestmentFigures {
            signed_count: signed,
            signed_investment: Yuan(yuan),
            funds_in_place: Yuan(yuan / 3),
            ..InvestmentFigures::default()
        }
    }

    #[test]
    fn every_table_adds_up_to_the_total_and_keeps_its_of_which_lines_apart() {
        let origins = ["上海市", "", "香港", "兰州市", "火星"];
        let mut rows = Vec::new();
        for n in 0..60i64 {
            rows.push(Combination {
                region_group: ["6201", "6204", "6200", "6205"][(n % 4) as usize].into(),
                origin: origins[(n % 5) as usize].into(),
                industry: ["30", "", "01", "65", "05"][(n % 5) as usize].into(),
                chain: ["新材料", "", "文旅"][(n % 3) as usize].into(),
                investor_type: ["民营", "国有", "", "外资", "港澳台", "个体"][(n % 6) as usize].into(),
                band: n % 4,
                top500: (n % 8) as u8,
                current: figures(n + 1, (n + 1) * 7_000_000),
                previous: figures(n % 3, n * 5_000_000),
            });
        }
        let labels = Labels {
            regions: vec![
                ("6201".into(), "兰州市".into()),
                ("6204".into(), "白银市".into()),
                ("6200".into(), "省本级".into()),
            ],
            origins: origins
                .iter()
                .map(|o| {
                    let origin = Origin::classify(o, |t| match t {
                        "上海市" => Some("310000".into()),
                        "兰州市" => Some("620000".into()),
                        _ => None,
                    });
                    (o.to_string(), origin)
                })
                .collect(),
            provinces: [("310000".to_string(), "上海市".to_string())].into(),
            industries: [("30".to_string(), "非金属矿物制品业".to_string())].into(),
            targets: [("6201".to_string(), Yuan(5 * YUAN_PER_YI))].into(),
            total_target: None,
        };
        let tables = tables(&Breakdowns::of_combinations(&rows), &labels);
        assert_eq!(tables.len(), Breakdown::ALL.len());
        let total_signed: i64 = (1..=60).sum();
        for table in &tables {
            assert_eq!(table.total.current.signed_count, total_signed);
            let (current, previous) = table.parts_sum();
            assert_eq!((current, previous), (table.total.current, table.total.previous), "{:?}", table.breakdown);
        }
        let labels_of = |b: Breakdown| -> Vec<String> {
            tables.iter().find(|t| t.breakdown == b).unwrap().lines.iter().map(|l| l.label.clone()).collect()
        };
        assert_eq!(labels_of(Breakdown::Region), ["兰州市", "白银市", "省本级", "其他"]);
        assert_eq!(labels_of(Breakdown::Province), ["上海市", "620000", "港澳台地区", "未填报"]);
        assert_eq!(
            labels_of(Breakdown::Zone),
            ["东部地区", "中部地区", "西部地区", "东北地区", "港澳台地区", "境外", "未填报"]
        );
        assert_eq!(labels_of(Breakdown::Sector), ["第一产业", "第二产业", "第三产业", "未填报"]);
        assert_eq!(labels_of(Breakdown::Division), ["01", "05", "30 非金属矿物制品业", "65", "未填报"]);
        assert_eq!(labels_of(Breakdown::Chain), ["文旅", "新材料", "未填报"]);
        assert_eq!(labels_of(Breakdown::InvestorType), ["民营", "国有", "外资", "港澳台", "未填报"]);
        let region = &tables[0];
        assert_eq!(region.lines[0].target, Some(Yuan(5 * YUAN_PER_YI)));
        assert_eq!(region.lines[1].target, None);

        let top500 = tables.iter().find(|t| t.breakdown == Breakdown::Top500).unwrap();
        let signed = |label: &str| top500.lines.iter().find(|l| l.label == label).unwrap().current.signed_count;
        // Bits 1, 2, 4 of n % 8: each list holds half of the rows that hold any.
        let of = |bit: i64| (0..60i64).filter(|n| (n % 8) & bit != 0).map(|n| n + 1).sum::<i64>();
        assert_eq!(signed("其中：世界500强"), of(1));
        assert_eq!(signed("其中：民营500强"), of(4));
        assert_eq!(signed("三个500强企业") + signed("其他投资方"), total_signed);

        let sizes = tables.iter().find(|t| t.breakdown == Breakdown::SizeBand).unwrap();
        let size = |label: &str| sizes.lines.iter().find(|l| l.label == label).unwrap().current.signed_count;
        assert_eq!(
            size("亿元以上项目合计"),
            size("1亿元（含）至10亿元") + size("10亿元（含）至20亿元") + size("20亿元以上（含）")
        );
        assert_eq!(size("其中：20亿元以上"), size("20亿元以上（含）"));
        assert_eq!(sizes.lines.iter().filter(|l| l.of_which).count(), 3);
        let line = &sizes.lines[0];
        assert!(line.share_of(&sizes.total).is_some_and(|s| s > 0.0 && s < 1.0));
    }
}
