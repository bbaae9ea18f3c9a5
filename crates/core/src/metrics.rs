//! The investment metrics of the spec, computed in memory from plain facts.
//!
//! This is the reference definition: database queries that compute the same figures faster
//! are tested against it, so it favours plainness over speed.

use crate::money::{ratio, Yuan, YUAN_PER_YI};
use crate::projects::Stage;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a funding record's money comes from; only money from outside the province counts
/// as 招商引资 from outside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    /// 省外境内
    #[default]
    OutsideProvince,
    /// 境外
    Abroad,
    /// 省内
    WithinProvince,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的资金来源“{0}”")]
pub struct UnknownFundingSource(pub String);

impl FundingSource {
    pub const ALL: [FundingSource; 3] =
        [FundingSource::OutsideProvince, FundingSource::Abroad, FundingSource::WithinProvince];

    pub fn label(self) -> &'static str {
        match self {
            FundingSource::OutsideProvince => "省外境内",
            FundingSource::Abroad => "境外",
            FundingSource::WithinProvince => "省内",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            FundingSource::OutsideProvince => "outside_province",
            FundingSource::Abroad => "abroad",
            FundingSource::WithinProvince => "within_province",
        }
    }

    /// Accepts the Chinese label or the English key, surrounding spaces ignored.
    pub fn parse(text: &str) -> Result<FundingSource, UnknownFundingSource> {
        let text = text.trim();
        FundingSource::ALL
            .into_iter()
            .find(|source| source.label() == text || source.key() == text)
            .ok_or_else(|| UnknownFundingSource(text.to_string()))
    }

    pub fn is_from_outside_province(self) -> bool {
        matches!(self, FundingSource::OutsideProvince | FundingSource::Abroad)
    }
}

impl fmt::Display for FundingSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for FundingSource {
    type Err = UnknownFundingSource;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        FundingSource::parse(text)
    }
}

/// What the metrics need to know about one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectFact {
    pub id: i64,
    pub stage: Stage,
    pub signed_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
    pub total_investment: Yuan,
}

/// One record of funds put in place (到位资金).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingFact {
    pub project_id: i64,
    pub date: NaiveDate,
    pub amount: Yuan,
    pub source: FundingSource,
}

/// A reporting period, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("开始日期不能晚于结束日期")]
pub struct PeriodError;

impl Period {
    /// A period from user input; rejects a start after the end.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, PeriodError> {
        if from <= to {
            Ok(Period { from, to })
        } else {
            Err(PeriodError)
        }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// Both ends one year earlier, for 同比; 29 February becomes 28 February.
    pub fn same_period_last_year(&self) -> Period {
        Period { from: one_year_earlier(self.from), to: one_year_earlier(self.to) }
    }

    /// 1 January of `to`'s year through `to`, for 年度目标完成率.
    pub fn year_to_date(&self) -> Period {
        Period { from: first_of_january(self.to.year()), to: self.to }
    }

    /// Every month the period touches, "YYYY-MM", in order: the x axis of a monthly trend.
    pub fn months(&self) -> Vec<String> {
        let mut months = Vec::new();
        let mut first = self.from.with_day(1).expect("every month has a first day");
        while first <= self.to {
            months.push(first.format("%Y-%m").to_string());
            first = first.checked_add_months(chrono::Months::new(1)).expect("dates far from the end of time");
        }
        months
    }

    /// Share of `to`'s year elapsed by `to`, both 1 January and `to` included (时间进度).
    pub fn time_progress(&self) -> f64 {
        f64::from(self.to.ordinal()) / f64::from(days_in_year(self.to.year()))
    }
}

fn one_year_earlier(date: NaiveDate) -> NaiveDate {
    let year = date.year() - 1;
    // `with_year` fails only for 29 February landing in a common year.
    date.with_year(year).or_else(|| NaiveDate::from_ymd_opt(year, 2, 28)).expect("28 February exists in every year")
}

fn first_of_january(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January exists in every year")
}

fn days_in_year(year: i32) -> u32 {
    if first_of_january(year).with_ordinal(366).is_some() {
        366
    } else {
        365
    }
}

/// The additive figures of a scope and period; rates are derived from them.
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvestmentFigures {
    pub signed_count: i64,
    pub signed_investment: Yuan,
    pub over_100m_count: i64,
    pub started_count: i64,
    pub producing_count: i64,
    pub implementing_count: i64,
    pub implementing_investment: Yuan,
    pub funds_in_place: Yuan,
    pub funds_outside_province: Yuan,
}

/// Figures of disjoint sets of projects add up (a chain department's chains).
impl std::ops::AddAssign for InvestmentFigures {
    fn add_assign(&mut self, other: InvestmentFigures) {
        self.signed_count += other.signed_count;
        self.signed_investment += other.signed_investment;
        self.over_100m_count += other.over_100m_count;
        self.started_count += other.started_count;
        self.producing_count += other.producing_count;
        self.implementing_count += other.implementing_count;
        self.implementing_investment += other.implementing_investment;
        self.funds_in_place += other.funds_in_place;
        self.funds_outside_province += other.funds_outside_province;
    }
}

/// The figures of a set less those of a subset of it (the 500强 investors' projects
/// taken from the scope's).
impl std::ops::SubAssign for InvestmentFigures {
    fn sub_assign(&mut self, other: InvestmentFigures) {
        self.signed_count -= other.signed_count;
        self.signed_investment = self.signed_investment - other.signed_investment;
        self.over_100m_count -= other.over_100m_count;
        self.started_count -= other.started_count;
        self.producing_count -= other.producing_count;
        self.implementing_count -= other.implementing_count;
        self.implementing_investment = self.implementing_investment - other.implementing_investment;
        self.funds_in_place = self.funds_in_place - other.funds_in_place;
        self.funds_outside_province = self.funds_outside_province - other.funds_outside_province;
    }
}

impl InvestmentFigures {
    /// 开工率
    pub fn start_rate(&self) -> Option<f64> {
        ratio(self.started_count, self.signed_count)
    }

    /// 投产率
    pub fn completion_rate(&self) -> Option<f64> {
        ratio(self.producing_count, self.signed_count)
    }

    /// 资金到位率
    pub fn arrival_rate(&self) -> Option<f64> {
        ratio(self.funds_in_place.0, self.signed_investment.0)
    }
}

/// Computes the figures of one period. `projects` is already the scope and `funding` the
/// records of projects in that scope (of any stage, 终止 included).
pub fn compute_figures(projects: &[ProjectFact], funding: &[FundingFact], period: Period) -> InvestmentFigures {
    let mut figures = InvestmentFigures::default();

    for project in projects.iter().filter(|p| p.stage != Stage::Dropped) {
        let signed_in_period = project.signed_on.is_some_and(|date| period.contains(date));
        if signed_in_period {
            figures.signed_count += 1;
            figures.signed_investment += project.total_investment;
            if project.total_investment.0 >= YUAN_PER_YI {
                figures.over_100m_count += 1;
            }
            if project.started_on.is_some_and(|date| date <= period.to) {
                figures.started_count += 1;
            }
            if project.producing_on.is_some_and(|date| date <= period.to) {
                figures.producing_count += 1;
            }
        }

        // 新建 + 续建: signed by the end, and not already producing before the period began.
        let implementing = project.signed_on.is_some_and(|date| date <= period.to)
            && project.producing_on.is_none_or(|date| date >= period.from);
        if implementing {
            figures.implementing_count += 1;
            figures.implementing_investment += project.total_investment;
        }
    }

    for record in funding.iter().filter(|record| period.contains(record.date)) {
        figures.funds_in_place += record.amount;
        if record.source.is_from_outside_province() {
            figures.funds_outside_province += record.amount;
        }
    }

    figures
}

/// 同比: (value − earlier value) / earlier value for each reported figure; null when the
/// earlier value is zero or either rate is null.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearOnYear {
    pub signed_count: Option<f64>,
    pub signed_investment_wan: Option<f64>,
    pub over_100m_count: Option<f64>,
    pub started_count: Option<f64>,
    pub start_rate: Option<f64>,
    pub producing_count: Option<f64>,
    pub completion_rate: Option<f64>,
    pub implementing_count: Option<f64>,
    pub implementing_investment_wan: Option<f64>,
    pub funds_in_place_wan: Option<f64>,
    pub funds_outside_province_wan: Option<f64>,
    pub arrival_rate: Option<f64>,
}

impl YearOnYear {
    pub fn between(current: &InvestmentFigures, previous: &InvestmentFigures) -> YearOnYear {
        YearOnYear {
            signed_count: growth(current.signed_count, previous.signed_count),
            signed_investment_wan: growth(current.signed_investment.0, previous.signed_investment.0),
            over_100m_count: growth(current.over_100m_count, previous.over_100m_count),
            started_count: growth(current.started_count, previous.started_count),
            start_rate: rate_growth(current.start_rate(), previous.start_rate()),
            producing_count: growth(current.producing_count, previous.producing_count),
            completion_rate: rate_growth(current.completion_rate(), previous.completion_rate()),
            implementing_count: growth(current.implementing_count, previous.implementing_count),
            implementing_investment_wan: growth(current.implementing_investment.0, previous.implementing_investment.0),
            funds_in_place_wan: growth(current.funds_in_place.0, previous.funds_in_place.0),
            funds_outside_province_wan: growth(current.funds_outside_province.0, previous.funds_outside_province.0),
            arrival_rate: rate_growth(current.arrival_rate(), previous.arrival_rate()),
        }
    }
}

// Counts and yuan are subtracted exactly before the one division.
fn growth(current: i64, previous: i64) -> Option<f64> {
    ratio(current - previous, previous)
}

fn rate_growth(current: Option<f64>, previous: Option<f64>) -> Option<f64> {
    match (current, previous) {
        (Some(current), Some(previous)) if previous != 0.0 => Some((current - previous) / previous),
        _ => None,
    }
}

/// The investment report of one scope and period, serialized exactly as the API returns it.
/// Money is an exact 万元 decimal string; ratios are unrounded fractions (0.3963 for 39.63%).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvestmentReport {
    pub region: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub signed_count: i64,
    pub signed_investment_wan: String,
    pub over_100m_count: i64,
    pub started_count: i64,
    pub start_rate: Option<f64>,
    pub producing_count: i64,
    pub completion_rate: Option<f64>,
    pub implementing_count: i64,
    pub implementing_investment_wan: String,
    pub funds_in_place_wan: String,
    pub funds_outside_province_wan: String,
    pub arrival_rate: Option<f64>,
    pub yoy: YearOnYear,
    pub target_completion: Option<f64>,
    pub time_progress: f64,
}

impl InvestmentReport {
    /// `previous` is the figures of `period.same_period_last_year()`; `funds_year_to_date` the
    /// funds in place over `period.year_to_date()`; `year_target` the scope's target for
    /// `to`'s year, if one was set.
    pub fn assemble(
        region: &str,
        period: Period,
        current: &InvestmentFigures,
        previous: &InvestmentFigures,
        funds_year_to_date: Yuan,
        year_target: Option<Yuan>,
    ) -> InvestmentReport {
        InvestmentReport {
            region: region.to_string(),
            from: period.from,
            to: period.to,
            signed_count: current.signed_count,
            signed_investment_wan: current.signed_investment.wan_string(),
            over_100m_count: current.over_100m_count,
            started_count: current.started_count,
            start_rate: current.start_rate(),
            producing_count: current.producing_count,
            completion_rate: current.completion_rate(),
            implementing_count: current.implementing_count,
            implementing_investment_wan: current.implementing_investment.wan_string(),
            funds_in_place_wan: current.funds_in_place.wan_string(),
            funds_outside_province_wan: current.funds_outside_province.wan_string(),
            arrival_rate: current.arrival_rate(),
            yoy: YearOnYear::between(current, previous),
            target_completion: year_target.and_then(|target| ratio(funds_year_to_date.0, target.0)),
            time_progress: period.time_progress(),
        }
    }

    /// The whole report from the facts of one scope: the reference the SQL version must match.
    pub fn compute(
        region: &str,
        projects: &[ProjectFact],
        funding: &[FundingFact],
        period: Period,
        year_target: Option<Yuan>,
    ) -> InvestmentReport {
        let current = compute_figures(projects, funding, period);
        let previous = compute_figures(projects, funding, period.same_period_last_year());
        let funds_year_to_date = compute_figures(&[], funding, period.year_to_date()).funds_in_place;
        InvestmentReport::assemble(region, period, &current, &previous, funds_year_to_date, year_target)
    }
}

/// 红黄绿灯 of a target: year-to-date completion against time progress (序时进度).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetLight {
    /// At or ahead of time progress.
    Green,
    /// Behind, but by less than a tenth of time progress.
    Amber,
    Red,
    /// No target set for the year.
    Grey,
}

impl TargetLight {
    pub fn of(completion: Option<f64>, time_progress: f64) -> TargetLight {
        match completion {
            None => TargetLight::Grey,
            Some(c) if c >= time_progress => TargetLight::Green,
            Some(c) if c >= time_progress * 0.9 => TargetLight::Amber,
            Some(_) => TargetLight::Red,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            TargetLight::Green => "green",
            TargetLight::Amber => "amber",
            TargetLight::Red => "red",
            TargetLight::Grey => "grey",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TargetLight::Green => "快于序时",
            TargetLight::Amber => "略慢于序时",
            TargetLight::Red => "慢于序时",
            TargetLight::Grey => "未设目标",
        }
    }
}

impl InvestmentReport {
    pub fn target_light(&self) -> TargetLight {
        TargetLight::of(self.target_completion, self.time_progress)
    }

    /// The dashboard's ranking of regions: most funds in place first (exact yuan; a
    /// figure that does not parse counts as none).
    pub fn more_funds_first(a: &InvestmentReport, b: &InvestmentReport) -> std::cmp::Ordering {
        let funds = |report: &InvestmentReport| Yuan::parse_wan(&report.funds_in_place_wan).unwrap_or_default();
        funds(b).cmp(&funds(a))
    }

    /// True when the scope has anything in the period: a project signed or being carried
    /// out, or funds in place.
    pub fn has_figures(&self) -> bool {
        let funds = Yuan::parse_wan(&self.funds_in_place_wan).unwrap_or_default();
        self.signed_count > 0 || self.implementing_count > 0 || funds != Yuan::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::day;

    fn period(from: &str, to: &str) -> Period {
        Period::new(day(from), day(to)).unwrap()
    }

    fn signed(id: i64, signed_on: &str, total_investment: Yuan) -> ProjectFact {
        ProjectFact {
            id,
            stage: Stage::Signed,
            signed_on: Some(day(signed_on)),
            started_on: None,
            producing_on: None,
            total_investment,
        }
    }

    fn producing(id: i64, signed_on: &str, producing_on: &str) -> ProjectFact {
        ProjectFact {
            stage: Stage::Producing,
            started_on: Some(day(signed_on)),
            producing_on: Some(day(producing_on)),
            ..signed(id, signed_on, Yuan::from_wan(100))
        }
    }

    fn funding(project_id: i64, date: &str, wan: i64, source: FundingSource) -> FundingFact {
        FundingFact { project_id, date: day(date), amount: Yuan::from_wan(wan), source }
    }

    #[test]
    fn funding_source_labels_keys_parse_and_default() {
        assert_eq!(FundingSource::default(), FundingSource::OutsideProvince);
        let labels: Vec<_> = FundingSource::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(labels, ["省外境内", "境外", "省内"]);
        for source in FundingSource::ALL {
            assert_eq!(FundingSource::parse(source.label()), Ok(source));
            assert_eq!(FundingSource::parse(&format!(" {} ", source.key())), Ok(source));
            assert_eq!(serde_json::to_string(&source).unwrap(), format!("\"{}\"", source.key()));
        }
        assert_eq!(FundingSource::parse("国外").unwrap_err().to_string(), "未知的资金来源“国外”");
        assert!(FundingSource::OutsideProvince.is_from_outside_province());
        assert!(FundingSource::Abroad.is_from_outside_province());
        assert!(!FundingSource::WithinProvince.is_from_outside_province());
    }

    #[test]
    fn period_contains_both_ends_and_rejects_reversed_input() {
        let q1 = period("2024-01-01", "2024-03-31");
        assert!(q1.contains(day("2024-01-01")));
        assert!(q1.contains(day("2024-03-31")));
        assert!(!q1.contains(day("2023-12-31")));
        assert!(!q1.contains(day("2024-04-01")));
        assert_eq!(Period::new(day("2024-02-02"), day("2024-02-01")), Err(PeriodError));
        assert_eq!(PeriodError.to_string(), "开始日期不能晚于结束日期");
        assert!(Period::new(day("2024-02-01"), day("2024-02-01")).is_ok());
    }

    #[test]
    fn same_period_last_year_maps_leap_day_to_28_february() {
        assert_eq!(period("2024-02-01", "2024-02-29").same_period_last_year(), period("2023-02-01", "2023-02-28"));
        assert_eq!(period("2024-02-29", "2024-02-29").same_period_last_year(), period("2023-02-28", "2023-02-28"));
        assert_eq!(period("2025-01-01", "2025-06-30").same_period_last_year(), period("2024-01-01", "2024-06-30"));
        // Into a leap year nothing needs adjusting: 28 February stays 28 February.
        assert_eq!(period("2025-02-28", "2025-03-01").same_period_last_year(), period("2024-02-28", "2024-03-01"));
    }

    #[test]
    fn year_to_date_starts_on_1_january_of_the_end_year() {
        assert_eq!(period("2023-11-01", "2024-05-15").year_to_date(), period("2024-01-01", "2024-05-15"));
        assert_eq!(period("2024-01-01", "2024-01-01").year_to_date(), period("2024-01-01", "2024-01-01"));
    }

    #[test]
    fn time_progress_counts_both_ends_and_leap_years() {
        assert_eq!(period("2024-01-01", "2024-12-31").time_progress(), 1.0);
        assert_eq!(period("2024-02-01", "2024-02-29").time_progress(), 60.0 / 366.0);
        assert_eq!(period("2024-01-01", "2024-01-01").time_progress(), 1.0 / 366.0);
        assert_eq!(period("2023-01-01", "2023-12-31").time_progress(), 1.0);
        assert_eq!(period("2023-01-01", "2023-03-01").time_progress(), 60.0 / 365.0);
        assert_eq!(period("1900-01-01", "1900-12-31").time_progress(), 1.0);
        assert_eq!(days_in_year(1900), 365);
        assert_eq!(days_in_year(2000), 366);
    }

    #[test]
    fn signed_counts_both_period_ends_but_not_a_day_outside() {
        let projects = [
            signed(1, "2024-01-01", Yuan::from_wan(100)),
            signed(2, "2024-03-31", Yuan::from_wan(200)),
            signed(3, "2023-12-31", Yuan::from_wan(400)),
            signed(4, "2024-04-01", Yuan::from_wan(800)),
            ProjectFact { signed_on: None, stage: Stage::Negotiating, ..signed(5, "2024-02-01", Yuan::from_wan(1600)) },
        ];
        let figures = compute_figures(&projects, &[], period("2024-01-01", "2024-03-31"));
        assert_eq!(figures.signed_count, 2);
        assert_eq!(figures.signed_investment, Yuan::from_wan(300));
    }

    #[test]
    fn over_100m_boundary_is_exactly_10000_wan() {
        let projects = [
            signed(1, "2024-05-01", Yuan(99_999_999)),
            signed(2, "2024-05-01", Yuan(100_000_000)),
            signed(3, "2024-05-01", Yuan(100_000_001)),
        ];
        let figures = compute_figures(&projects, &[], period("2024-05-01", "2024-05-31"));
        assert_eq!(figures.signed_count, 3);
        assert_eq!(figures.over_100m_count, 2);
        assert_eq!(figures.signed_investment, Yuan(300_000_000));
    }

    #[test]
    fn started_and_producing_count_only_up_to_the_end_of_the_period() {
        let base = signed(0, "2024-02-10", Yuan::from_wan(100));
        let projects = [
            ProjectFact { id: 1, stage: Stage::Started, started_on: Some(day("2024-03-31")), ..base },
            ProjectFact { id: 2, stage: Stage::Started, started_on: Some(day("2024-04-01")), ..base },
            ProjectFact {
                id: 3,
                stage: Stage::Producing,
                started_on: Some(day("2024-02-11")),
                producing_on: Some(day("2024-03-31")),
                ..base
            },
            ProjectFact {
                id: 4,
                stage: Stage::Producing,
                started_on: Some(day("2024-02-11")),
                producing_on: Some(day("2024-04-01")),
                ..base
            },
            ProjectFact { id: 5, ..base },
        ];
        let figures = compute_figures(&projects, &[], period("2024-01-01", "2024-03-31"));
        assert_eq!(figures.signed_count, 5);
        assert_eq!(figures.started_count, 3);
        assert_eq!(figures.producing_count, 1);
        assert_eq!(figures.start_rate(), Some(0.6));
        assert_eq!(figures.completion_rate(), Some(0.2));
    }

    #[test]
    fn implementing_includes_new_and_continuing_projects_not_yet_producing() {
        let projects = [
            // 续建: signed long before, not producing.
            signed(1, "2022-06-01", Yuan::from_wan(1)),
            // 新建: signed in the period.
            signed(2, "2024-02-01", Yuan::from_wan(10)),
            // Signed on the last day of the period.
            signed(3, "2024-03-31", Yuan::from_wan(100)),
            // Signed after the period: not yet.
            signed(4, "2024-04-01", Yuan::from_wan(1_000)),
            // Producing the day before the period began: done, not implementing.
            producing(5, "2023-01-01", "2023-12-31"),
            // Producing on the first day of the period: still carried out in it.
            producing(6, "2023-01-01", "2024-01-01"),
            // Producing after the period: still implementing.
            producing(7, "2023-01-01", "2024-06-01"),
        ];
        let figures = compute_figures(&projects, &[], period("2024-01-01", "2024-03-31"));
        assert_eq!(figures.implementing_count, 5);
        assert_eq!(figures.implementing_investment, Yuan::from_wan(1 + 10 + 100 + 100 + 100));
    }

    #[test]
    fn dropped_projects_are_left_out_of_projects_but_their_funds_count() {
        let dropped = ProjectFact { stage: Stage::Dropped, ..signed(1, "2024-02-01", Yuan::from_wan(50_000)) };
        let live = signed(2, "2024-02-01", Yuan::from_wan(2_000));
        let funds = [
            funding(1, "2024-02-15", 300, FundingSource::Abroad),
            funding(2, "2024-02-20", 700, FundingSource::WithinProvince),
        ];
        let figures = compute_figures(&[dropped, live], &funds, period("2024-01-01", "2024-03-31"));
        assert_eq!(figures.signed_count, 1);
        assert_eq!(figures.signed_investment, Yuan::from_wan(2_000));
        assert_eq!(figures.over_100m_count, 0);
        assert_eq!(figures.implementing_count, 1);
        assert_eq!(figures.implementing_investment, Yuan::from_wan(2_000));
        assert_eq!(figures.funds_in_place, Yuan::from_wan(1_000));
        assert_eq!(figures.funds_outside_province, Yuan::from_wan(300));
        assert_eq!(figures.arrival_rate(), Some(0.5));
    }

    #[test]
    fn funds_count_only_records_dated_in_the_period_and_outside_only_from_outside() {
        let funds = [
            funding(1, "2024-01-01", 1, FundingSource::OutsideProvince),
            funding(1, "2024-03-31", 10, FundingSource::Abroad),
            funding(1, "2024-02-01", 100, FundingSource::WithinProvince),
            funding(1, "2023-12-31", 1_000, FundingSource::OutsideProvince),
            funding(1, "2024-04-01", 10_000, FundingSource::Abroad),
            FundingFact { amount: Yuan(1), ..funding(1, "2024-02-02", 0, FundingSource::Abroad) },
        ];
        let figures = compute_figures(&[], &funds, period("2024-01-01", "2024-03-31"));
        assert_eq!(figures.funds_in_place, Yuan(1_110_001));
        assert_eq!(figures.funds_outside_province, Yuan(110_001));
        assert_eq!(figures.funds_in_place.wan_string(), "111.0001");
    }

    #[test]
    fn zero_denominators_give_none() {
        let empty = InvestmentFigures::default();
        assert_eq!(empty.start_rate(), None);
        assert_eq!(empty.completion_rate(), None);
        assert_eq!(empty.arrival_rate(), None);
        let funds_without_signing = InvestmentFigures { funds_in_place: Yuan(5), ..empty };
        assert_eq!(funds_without_signing.arrival_rate(), None);
        let signed_nothing_started = InvestmentFigures { signed_count: 3, signed_investment: Yuan(9), ..empty };
        assert_eq!(signed_nothing_started.start_rate(), Some(0.0));
        assert_eq!(signed_nothing_started.arrival_rate(), Some(0.0));
    }

    #[test]
    fn year_on_year_growth_and_its_null_cases() {
        assert_eq!(growth(15, 10), Some(0.5));
        assert_eq!(growth(5, 10), Some(-0.5));
        assert_eq!(growth(0, 0), None);
        assert_eq!(growth(7, 0), None);
        assert_eq!(rate_growth(Some(0.3), Some(0.2)), Some((0.3 - 0.2) / 0.2));
        assert_eq!(rate_growth(Some(0.3), Some(0.0)), None);
        assert_eq!(rate_growth(None, Some(0.2)), None);
        assert_eq!(rate_growth(Some(0.3), None), None);
        // Money growth is taken on exact yuan, not on rounded 万元.
        let current = InvestmentFigures { signed_investment: Yuan(10_001), ..Default::default() };
        let previous = InvestmentFigures { signed_investment: Yuan(10_000), ..Default::default() };
        assert_eq!(YearOnYear::between(&current, &previous).signed_investment_wan, Some(0.0001));
    }

    fn snapshot_figures() -> (InvestmentFigures, InvestmentFigures) {
        let current = InvestmentFigures {
            signed_count: 4,
            signed_investment: Yuan(2_000_000_000),
            over_100m_count: 2,
            started_count: 2,
            producing_count: 1,
            implementing_count: 5,
            implementing_investment: Yuan(2_500_012_345),
            funds_in_place: Yuan(500_000_000),
            funds_outside_province: Yuan(250_000_000),
        };
        let previous = InvestmentFigures {
            signed_count: 2,
            signed_investment: Yuan(1_000_000_000),
            over_100m_count: 0,
            started_count: 1,
            producing_count: 0,
            implementing_count: 4,
            implementing_investment: Yuan(5_000_024_690),
            funds_in_place: Yuan::ZERO,
            funds_outside_province: Yuan::ZERO,
        };
        (current, previous)
    }

    #[test]
    fn report_json_has_the_spec_keys_in_order_with_nulls() {
        let (current, previous) = snapshot_figures();
        let report = InvestmentReport::assemble(
            "甘肃省",
            period("2024-01-01", "2024-12-31"),
            &current,
            &previous,
            Yuan(600_000_000),
            Some(Yuan(2_400_000_000)),
        );
        let expected = concat!(
            r#"{"region":"甘肃省","from":"2024-01-01","to":"2024-12-31","#,
            r#""signed_count":4,"signed_investment_wan":"200000.00","over_100m_count":2,"#,
            r#""started_count":2,"start_rate":0.5,"producing_count":1,"completion_rate":0.25,"#,
            r#""implementing_count":5,"implementing_investment_wan":"250001.2345","#,
            r#""funds_in_place_wan":"50000.00","funds_outside_province_wan":"25000.00","arrival_rate":0.25,"#,
            r#""yoy":{"signed_count":1.0,"signed_investment_wan":1.0,"over_100m_count":null,"#,
            r#""started_count":1.0,"start_rate":0.0,"producing_count":null,"completion_rate":null,"#,
            r#""implementing_count":0.25,"implementing_investment_wan":-0.5,"#,
            r#""funds_in_place_wan":null,"funds_outside_province_wan":null,"arrival_rate":null},"#,
            r#""target_completion":0.25,"time_progress":1.0}"#,
        );
        assert_eq!(serde_json::to_string(&report).unwrap(), expected);
    }

    #[test]
    fn report_without_target_or_signings_has_null_ratios() {
        let report = InvestmentReport::assemble(
            "兰州市",
            period("2024-02-01", "2024-02-29"),
            &InvestmentFigures::default(),
            &InvestmentFigures::default(),
            Yuan::ZERO,
            None,
        );
        let json = serde_json::to_value(&report).unwrap();
        for key in ["start_rate", "completion_rate", "arrival_rate", "target_completion"] {
            assert!(json[key].is_null(), "{key}");
        }
        let yoy = json["yoy"].as_object().unwrap();
        assert_eq!(yoy.len(), 12);
        assert!(yoy.values().all(|value| value.is_null()));
        assert_eq!(json["signed_investment_wan"], "0.00");
        assert_eq!(json["time_progress"], 60.0 / 366.0);
        // A target of zero is a zero denominator too.
        let zero_target = InvestmentReport::assemble(
            "兰州市",
            period("2024-02-01", "2024-02-29"),
            &InvestmentFigures::default(),
            &InvestmentFigures::default(),
            Yuan(1),
            Some(Yuan::ZERO),
        );
        assert_eq!(zero_target.target_completion, None);
    }

    #[test]
    fn a_scope_has_figures_when_anything_was_signed_carried_out_or_funded() {
        let report = |figures: InvestmentFigures, year_to_date: Yuan| {
            let period = period("2024-02-01", "2024-02-29");
            InvestmentReport::assemble("天水市", period, &figures, &figures, year_to_date, Some(Yuan::from_wan(1)))
        };
        // Funds of January alone (year to date) are not the period's.
        assert!(!report(InvestmentFigures::default(), Yuan::from_wan(5)).has_figures());
        let signed = InvestmentFigures { signed_count: 1, ..Default::default() };
        let implementing = InvestmentFigures { implementing_count: 1, ..Default::default() };
        let funded = InvestmentFigures { funds_in_place: Yuan(1), ..Default::default() };
        for figures in [signed, implementing, funded] {
            assert!(report(figures, Yuan::ZERO).has_figures(), "{figures:?}");
        }
    }

    #[test]
    fn compute_uses_last_year_and_year_to_date_figures() {
        let projects =
            [signed(1, "2024-03-10", Yuan::from_wan(20_000)), signed(2, "2023-03-10", Yuan::from_wan(10_000))];
        let funds = [
            funding(1, "2024-01-05", 1_000, FundingSource::OutsideProvince),
            funding(1, "2024-03-15", 4_000, FundingSource::Abroad),
            funding(2, "2023-03-15", 2_000, FundingSource::WithinProvince),
            // After `to`: neither in the period nor year to date.
            funding(1, "2024-04-02", 9_000, FundingSource::Abroad),
        ];
        let report = InvestmentReport::compute(
            "酒泉市",
            &projects,
            &funds,
            period("2024-03-01", "2024-03-31"),
            Some(Yuan::from_wan(20_000)),
        );
        assert_eq!(report.signed_count, 1);
        assert_eq!(report.signed_investment_wan, "20000.00");
        assert_eq!(report.over_100m_count, 1);
        assert_eq!(report.funds_in_place_wan, "4000.00");
        assert_eq!(report.funds_outside_province_wan, "4000.00");
        assert_eq!(report.arrival_rate, Some(0.2));
        assert_eq!(report.yoy.signed_count, Some(0.0));
        assert_eq!(report.yoy.signed_investment_wan, Some(1.0));
        assert_eq!(report.yoy.funds_in_place_wan, Some(1.0));
        assert_eq!(report.yoy.funds_outside_province_wan, None);
        assert_eq!(report.yoy.arrival_rate, Some(0.0));
        // 1000 + 4000 of 20000 万元 since 1 January.
        assert_eq!(report.target_completion, Some(0.25));
        assert_eq!(report.time_progress, 91.0 / 366.0);
        // Project 2 (signed 2023, not producing) is still being carried out.
        assert_eq!(report.implementing_count, 2);
    }

    #[test]
    fn target_lights_compare_completion_with_time_progress() {
        let light = |completion, progress| TargetLight::of(completion, progress);
        assert_eq!(light(Some(0.9), 0.8), TargetLight::Green);
        assert_eq!(light(Some(0.8), 0.8), TargetLight::Green);
        assert_eq!(light(Some(0.75), 0.8), TargetLight::Amber);
        assert_eq!(light(Some(0.5), 0.8), TargetLight::Red);
        assert_eq!(light(None, 0.8), TargetLight::Grey);
        assert_eq!((TargetLight::Amber.key(), TargetLight::Amber.label()), ("amber", "略慢于序时"));
    }

    #[test]
    fn regions_rank_by_funds_in_place() {
        let report = |wan: &str| {
            let mut report = InvestmentReport::compute("620000", &[], &[], period("2024-01-01", "2024-03-31"), None);
            report.funds_in_place_wan = wan.to_string();
            report
        };
        let mut reports = [report("10.5"), report("1200"), report("99.99"), report("1200.0001")];
        reports.sort_by(InvestmentReport::more_funds_first);
        let order: Vec<&str> = reports.iter().map(|r| r.funds_in_place_wan.as_str()).collect();
        assert_eq!(order, ["1200.0001", "1200", "99.99", "10.5"]);
    }

    #[test]
    fn months_run_from_the_first_to_the_last_month_touched() {
        assert_eq!(period("2024-01-01", "2024-03-05").months(), ["2024-01", "2024-02", "2024-03"]);
        assert_eq!(period("2023-12-31", "2024-01-01").months(), ["2023-12", "2024-01"]);
        assert_eq!(period("2024-05-10", "2024-05-20").months(), ["2024-05"]);
    }
}
