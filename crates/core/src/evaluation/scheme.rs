//! Indicator schemes of the 综合评价 (issue 24): which of the platform's figures are
//! scored, each with its weight, direction, scaling and the score of a missing value.
//! SPEC's `stats evaluation` is [`Scheme::spec`]; an administrator's schemes are stored as
//! numbered versions of a name (never changed once saved), so that a published quarter
//! can always be scored again exactly as it was.

use crate::forms::FieldErrors;
use crate::metrics::{InvestmentReport, YearOnYear};
use crate::money::{Yuan, YUAN_PER_WAN};
use crate::scores::{weight_units, WEIGHT_UNITS};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// A figure of SPEC's metrics table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    SignedCount,
    SignedInvestment,
    Over100mCount,
    StartedCount,
    StartRate,
    ProducingCount,
    CompletionRate,
    ImplementingCount,
    ImplementingInvestment,
    FundsInPlace,
    FundsOutsideProvince,
    ArrivalRate,
}

/// What a figure counts, for showing it and for its unit in a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// 万元.
    Wan,
    Count,
    /// A fraction shown as a percentage.
    Rate,
}

impl Unit {
    /// The heading's unit: `(万元)`, `(个)` or nothing for a rate.
    pub fn heading(self) -> &'static str {
        match self {
            Unit::Wan => "(万元)",
            Unit::Count => "(个)",
            Unit::Rate => "",
        }
    }
}

impl Metric {
    pub const ALL: [Metric; 12] = [
        Metric::SignedCount,
        Metric::SignedInvestment,
        Metric::Over100mCount,
        Metric::StartedCount,
        Metric::StartRate,
        Metric::ProducingCount,
        Metric::CompletionRate,
        Metric::ImplementingCount,
        Metric::ImplementingInvestment,
        Metric::FundsInPlace,
        Metric::FundsOutsideProvince,
        Metric::ArrivalRate,
    ];

    /// The key of SPEC's metrics table.
    pub fn key(self) -> &'static str {
        match self {
            Metric::SignedCount => "signed_count",
            Metric::SignedInvestment => "signed_investment_wan",
            Metric::Over100mCount => "over_100m_count",
            Metric::StartedCount => "started_count",
            Metric::StartRate => "start_rate",
            Metric::ProducingCount => "producing_count",
            Metric::CompletionRate => "completion_rate",
            Metric::ImplementingCount => "implementing_count",
            Metric::ImplementingInvestment => "implementing_investment_wan",
            Metric::FundsInPlace => "funds_in_place_wan",
            Metric::FundsOutsideProvince => "funds_outside_province_wan",
            Metric::ArrivalRate => "arrival_rate",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::SignedCount => "签约项目数",
            Metric::SignedInvestment => "签约投资额",
            Metric::Over100mCount => "亿元以上项目",
            Metric::StartedCount => "开工项目数",
            Metric::StartRate => "开工率",
            Metric::ProducingCount => "投产项目数",
            Metric::CompletionRate => "建成投产率",
            Metric::ImplementingCount => "实施项目数",
            Metric::ImplementingInvestment => "实施项目投资额",
            Metric::FundsInPlace => "到位资金",
            Metric::FundsOutsideProvince => "省外到位资金",
            Metric::ArrivalRate => "资金到位率",
        }
    }

    fn unit(self) -> Unit {
        match self {
            Metric::SignedInvestment
            | Metric::ImplementingInvestment
            | Metric::FundsInPlace
            | Metric::FundsOutsideProvince => Unit::Wan,
            Metric::StartRate | Metric::CompletionRate | Metric::ArrivalRate => Unit::Rate,
            _ => Unit::Count,
        }
    }

    /// The value in a report (万元 for money); `None` where the metrics table gives null.
    fn value(self, report: &InvestmentReport) -> Option<f64> {
        let wan = |text: &str| Yuan::parse_wan(text).ok().map(|yuan| yuan.0 as f64 / YUAN_PER_WAN as f64);
        let count = |n: i64| Some(n as f64);
        match self {
            Metric::SignedCount => count(report.signed_count),
            Metric::SignedInvestment => wan(&report.signed_investment_wan),
            Metric::Over100mCount => count(report.over_100m_count),
            Metric::StartedCount => count(report.started_count),
            Metric::StartRate => report.start_rate,
            Metric::ProducingCount => count(report.producing_count),
            Metric::CompletionRate => report.completion_rate,
            Metric::ImplementingCount => count(report.implementing_count),
            Metric::ImplementingInvestment => wan(&report.implementing_investment_wan),
            Metric::FundsInPlace => wan(&report.funds_in_place_wan),
            Metric::FundsOutsideProvince => wan(&report.funds_outside_province_wan),
            Metric::ArrivalRate => report.arrival_rate,
        }
    }

    fn yoy(self, yoy: &YearOnYear) -> Option<f64> {
        match self {
            Metric::SignedCount => yoy.signed_count,
            Metric::SignedInvestment => yoy.signed_investment_wan,
            Metric::Over100mCount => yoy.over_100m_count,
            Metric::StartedCount => yoy.started_count,
            Metric::StartRate => yoy.start_rate,
            Metric::ProducingCount => yoy.producing_count,
            Metric::CompletionRate => yoy.completion_rate,
            Metric::ImplementingCount => yoy.implementing_count,
            Metric::ImplementingInvestment => yoy.implementing_investment_wan,
            Metric::FundsInPlace => yoy.funds_in_place_wan,
            Metric::FundsOutsideProvince => yoy.funds_outside_province_wan,
            Metric::ArrivalRate => yoy.arrival_rate,
        }
    }
}

/// A figure a scheme may score: a metric over the year to the quarter's end, its YoY,
/// the year's target completion, the appeals' on-time and satisfaction rates, the
/// leads' clock kept, or the signed investment of projects chambers brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figure {
    Metric(Metric),
    Yoy(Metric),
    TargetCompletion,
    AppealsOnTime,
    AppealsSatisfaction,
    /// Of the registered leads' steps due in the period, the share done by their due
    /// date (the clock of `zhaoshang_core::leads`).
    LeadsOnTime,
    /// Signed investment (万元, as the metrics table's) of the projects attributed to a
    /// chamber of the registry (来源单位).
    ChamberSignedInvestment,
}

impl Figure {
    /// Every figure, in the order a scheme's form lists them.
    pub fn all() -> Vec<Figure> {
        let metrics = Metric::ALL.into_iter().map(Figure::Metric);
        let yoys = Metric::ALL.into_iter().map(Figure::Yoy);
        metrics
            .chain(yoys)
            .chain([
                Figure::TargetCompletion,
                Figure::AppealsOnTime,
                Figure::AppealsSatisfaction,
                Figure::LeadsOnTime,
                Figure::ChamberSignedInvestment,
            ])
            .collect()
    }

    /// `funds_in_place_wan`, its YoY `funds_in_place_yoy`, `target_completion`, …
    pub fn key(self) -> String {
        match self {
            Figure::Metric(metric) => metric.key().to_string(),
            Figure::Yoy(metric) => format!("{}_yoy", metric.key().trim_end_matches("_wan")),
            Figure::TargetCompletion => "target_completion".to_string(),
            Figure::AppealsOnTime => "appeals_on_time_rate".to_string(),
            Figure::AppealsSatisfaction => "appeals_satisfaction_rate".to_string(),
            Figure::LeadsOnTime => "leads_on_time_rate".to_string(),
            Figure::ChamberSignedInvestment => "chamber_signed_investment_wan".to_string(),
        }
    }

    pub fn parse(key: &str) -> Option<Figure> {
        Figure::all().into_iter().find(|figure| figure.key() == key)
    }

    pub fn label(self) -> String {
        match self {
            Figure::Metric(metric) => metric.label().to_string(),
            Figure::Yoy(metric) => format!("{}同比", metric.label()),
            Figure::TargetCompletion => "年度目标完成率".to_string(),
            Figure::AppealsOnTime => "诉求按时办结率".to_string(),
            Figure::AppealsSatisfaction => "诉求满意率".to_string(),
            Figure::LeadsOnTime => "线索按时办理率".to_string(),
            Figure::ChamberSignedInvestment => "商会引荐项目签约投资额".to_string(),
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Figure::Metric(metric) => metric.unit(),
            Figure::ChamberSignedInvestment => Unit::Wan,
            _ => Unit::Rate,
        }
    }

    /// Whether the figure is read from the appeals (which a scheme of investment figures
    /// alone need not query).
    pub fn reads_appeals(self) -> bool {
        matches!(self, Figure::AppealsOnTime | Figure::AppealsSatisfaction)
    }

    /// Whether the figure is read from the leads' clocks.
    pub fn reads_leads(self) -> bool {
        self == Figure::LeadsOnTime
    }

    /// Whether the figure is read from the chambers' attributed projects.
    pub fn reads_chambers(self) -> bool {
        self == Figure::ChamberSignedInvestment
    }

    /// The figure's value for one sub-region; `None` where it is null.
    pub fn value(self, figures: &RegionFigures) -> Option<f64> {
        match self {
            Figure::Metric(metric) => metric.value(figures.report),
            Figure::Yoy(metric) => metric.yoy(&figures.report.yoy),
            Figure::TargetCompletion => figures.report.target_completion,
            Figure::AppealsOnTime => figures.appeals_on_time_rate,
            Figure::AppealsSatisfaction => figures.appeals_satisfaction_rate,
            Figure::LeadsOnTime => figures.leads_on_time_rate,
            Figure::ChamberSignedInvestment => figures.chamber_signed_investment_wan,
        }
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.key())
    }
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Figure, D::Error> {
        let key = String::deserialize(deserializer)?;
        Figure::parse(&key).ok_or_else(|| serde::de::Error::custom(format!("unknown figure {key}")))
    }
}

/// One sub-region's figures over the year to a quarter's end.
#[derive(Debug, Clone, Copy)]
pub struct RegionFigures<'a> {
    pub report: &'a InvestmentReport,
    /// `stats appeals`' on-time and satisfaction rates over the same period.
    pub appeals_on_time_rate: Option<f64>,
    pub appeals_satisfaction_rate: Option<f64>,
    /// `Figure::LeadsOnTime` over the same period.
    pub leads_on_time_rate: Option<f64>,
    /// `Figure::ChamberSignedInvestment` over the same period, in 万元.
    pub chamber_signed_investment_wan: Option<f64>,
}

impl<'a> RegionFigures<'a> {
    /// The investment figures alone (the other sources not read).
    pub fn of(report: &'a InvestmentReport) -> RegionFigures<'a> {
        RegionFigures {
            report,
            appeals_on_time_rate: None,
            appeals_satisfaction_rate: None,
            leads_on_time_rate: None,
            chamber_signed_investment_wan: None,
        }
    }
}

/// Whether a higher or a lower value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::Higher, Direction::Lower];

    pub fn key(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Higher => "越高越好",
            Direction::Lower => "越低越好",
        }
    }

    pub fn parse(key: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|direction| direction.key() == key)
    }
}

/// How an indicator's values are put on a 0–100 scale across the sub-regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaling {
    /// 功效系数法: 60 + 40 × (x − min) / (max − min); 100 for all when they are equal.
    Efficacy,
    /// 极差标准化: 100 × (x − min) / (max − min); 100 for all when they are equal.
    MinMax,
    /// 排序法: 100 × (n − r) / (n − 1) for the value's rank r among the n present values
    /// (tied values share the mean of their places; 100 for all when they are equal).
    Rank,
}

impl Scaling {
    pub const ALL: [Scaling; 3] = [Scaling::Efficacy, Scaling::MinMax, Scaling::Rank];

    pub fn key(self) -> &'static str {
        match self {
            Scaling::Efficacy => "efficacy",
            Scaling::MinMax => "min_max",
            Scaling::Rank => "rank",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Scaling::Efficacy => "功效系数法（60–100）",
            Scaling::MinMax => "极差标准化（0–100）",
            Scaling::Rank => "排序法（0–100）",
        }
    }

    pub fn parse(key: &str) -> Option<Scaling> {
        Scaling::ALL.into_iter().find(|scaling| scaling.key() == key)
    }

    /// The scaled values of the present ones, in their order (`None` stays `None`).
    pub fn scale(self, values: &[Option<f64>]) -> Vec<Option<f64>> {
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        let min = present.iter().copied().fold(f64::INFINITY, f64::min);
        let max = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let n = present.len();
        values
            .iter()
            .map(|value| {
                let x = (*value)?;
                Some(match self {
                    Scaling::Efficacy if max - min <= 0.0 => 100.0,
                    Scaling::Efficacy => 60.0 + 40.0 * (x - min) / (max - min),
                    Scaling::MinMax if max - min <= 0.0 => 100.0,
                    Scaling::MinMax => 100.0 * (x - min) / (max - min),
                    Scaling::Rank if max - min <= 0.0 => 100.0,
                    Scaling::Rank => {
                        let above = present.iter().filter(|&&other| other > x).count();
                        let equal = present.iter().filter(|&&other| other == x).count();
                        // Places above+1 … above+equal, shared: their mean.
                        let rank = above as f64 + (equal as f64 + 1.0) / 2.0;
                        100.0 * (n as f64 - rank) / (n as f64 - 1.0)
                    }
                })
            })
            .collect()
    }
}

/// One indicator of a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemeIndicator {
    pub figure: Figure,
    /// Ten-thousandths; a scheme's add up to `WEIGHT_UNITS`.
    pub weight_units: i64,
    pub direction: Direction,
    pub scaling: Scaling,
    /// What a sub-region without a value (a null figure) scores.
    pub missing_score: f64,
}

impl SchemeIndicator {
    pub fn weight(&self) -> f64 {
        self.weight_units as f64 / WEIGHT_UNITS as f64
    }

    /// Every sub-region's scaled value of this indicator, in `values`' order.
    pub fn scaled(&self, values: &[Option<f64>]) -> Vec<f64> {
        let oriented: Vec<Option<f64>> = match self.direction {
            Direction::Higher => values.to_vec(),
            Direction::Lower => values.iter().map(|value| value.map(|x| -x)).collect(),
        };
        self.scaling.scale(&oriented).into_iter().map(|scaled| scaled.unwrap_or(self.missing_score)).collect()
    }
}

/// An indicator scheme: its indicators in order, weights adding up to one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scheme {
    pub indicators: Vec<SchemeIndicator>,
}

/// What a null figure scores under SPEC's scheme (the efficacy coefficient's floor).
pub const SPEC_MISSING_SCORE: f64 = 60.0;

impl Scheme {
    /// SPEC's `stats evaluation`: six figures, higher is better, the efficacy coefficient,
    /// a null scoring 60.
    pub fn spec() -> Scheme {
        let indicator = |figure, weight_units| SchemeIndicator {
            figure,
            weight_units,
            direction: Direction::Higher,
            scaling: Scaling::Efficacy,
            missing_score: SPEC_MISSING_SCORE,
        };
        Scheme {
            indicators: vec![
                indicator(Figure::Metric(Metric::FundsInPlace), 3_000),
                indicator(Figure::Yoy(Metric::FundsInPlace), 1_500),
                indicator(Figure::TargetCompletion, 2_000),
                indicator(Figure::Metric(Metric::SignedInvestment), 1_500),
                indicator(Figure::Metric(Metric::Over100mCount), 1_000),
                indicator(Figure::Metric(Metric::StartRate), 1_000),
            ],
        }
    }

    pub fn weights(&self) -> Vec<f64> {
        self.indicators.iter().map(SchemeIndicator::weight).collect()
    }

    pub fn reads_appeals(&self) -> bool {
        self.indicators.iter().any(|indicator| indicator.figure.reads_appeals())
    }

    pub fn reads_leads(&self) -> bool {
        self.indicators.iter().any(|indicator| indicator.figure.reads_leads())
    }

    pub fn reads_chambers(&self) -> bool {
        self.indicators.iter().any(|indicator| indicator.figure.reads_chambers())
    }

    /// The scheme as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a scheme serializes")
    }

    pub fn from_json(text: &str) -> Result<Scheme, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// One figure's row of the scheme form, as typed: an empty weight leaves it out.
#[derive(Debug, Clone, Default)]
pub struct IndicatorRow<'a> {
    pub figure: &'a str,
    pub weight: &'a str,
    pub direction: &'a str,
    pub scaling: &'a str,
    pub missing_score: &'a str,
}

/// The longest scheme name kept.
pub const MAX_SCHEME_NAME: usize = 60;

/// What is wrong with a scheme form: the name and the weights' sum by field, and each
/// figure's row by its key (the form shows them in the row).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemeErrors {
    /// `name`, and `weights` for the whole (no figure, or a sum other than 1).
    pub fields: FieldErrors,
    pub rows: BTreeMap<String, Vec<String>>,
}

impl SchemeErrors {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.rows.is_empty()
    }

    fn row(&mut self, figure: Figure, message: String) {
        self.rows.entry(figure.key()).or_default().push(message);
    }

    /// Every message, the fields' first.
    pub fn messages(&self) -> Vec<String> {
        self.fields.values().chain(self.rows.values().flatten()).cloned().collect()
    }
}

/// Checks a scheme form: a name; at least one figure with a weight; each weight a
/// positive decimal of at most four places, adding up to exactly 1; a direction and
/// scaling from their lists; a missing score from 0 to 100.
pub fn check_scheme(name: &str, rows: &[IndicatorRow]) -> Result<(String, Scheme), SchemeErrors> {
    let mut errors = SchemeErrors::default();
    let name = crate::forms::text(&mut errors.fields, "name", "方案名称", name, MAX_SCHEME_NAME, true);
    let mut indicators: Vec<SchemeIndicator> = Vec::new();
    for row in rows.iter().filter(|row| !row.weight.trim().is_empty()) {
        let Some(figure) = Figure::parse(row.figure.trim()) else {
            errors.fields.insert("weights", format!("没有“{}”这项指标", row.figure.trim()));
            continue;
        };
        let label = figure.label();
        if indicators.iter().any(|indicator| indicator.figure == figure) {
            errors.row(figure, format!("{label}重复"));
            continue;
        }
        let weight_units = match weight_units(row.weight) {
            Ok(0) => {
                errors.row(figure, format!("{label}的权重应大于 0（不参评请留空）"));
                0
            }
            Ok(units) => units,
            Err(message) => {
                errors.row(figure, format!("{label}：{message}"));
                0
            }
        };
        let direction = Direction::parse(row.direction.trim()).unwrap_or_else(|| {
            errors.row(figure, format!("请选择{label}的方向（越高越好或越低越好）"));
            Direction::Higher
        });
        let scaling = Scaling::parse(row.scaling.trim()).unwrap_or_else(|| {
            errors.row(figure, format!("请选择{label}的标准化方法"));
            Scaling::Efficacy
        });
        let missing = row.missing_score.trim();
        let missing_score = match missing.parse::<f64>() {
            Ok(score) if (0.0..=100.0).contains(&score) => score,
            _ => {
                errors.row(figure, format!("{label}的缺失值得分“{missing}”应为 0 到 100 之间的数"));
                0.0
            }
        };
        indicators.push(SchemeIndicator { figure, weight_units, direction, scaling, missing_score });
    }
    let total: i64 = indicators.iter().map(|indicator| indicator.weight_units).sum();
    if indicators.is_empty() && errors.rows.is_empty() {
        errors.fields.entry("weights").or_insert_with(|| "请至少为一项指标填写权重".to_string());
    } else if errors.rows.is_empty() && total != WEIGHT_UNITS {
        let shown = crate::scores::shown_weight(total as f64 / WEIGHT_UNITS as f64);
        errors.fields.insert("weights", format!("各项权重之和应为 1，现为 {shown}"));
    }
    if errors.is_empty() {
        Ok((name, Scheme { indicators }))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(figure: &'a str, weight: &'a str) -> IndicatorRow<'a> {
        IndicatorRow { figure, weight, direction: "higher", scaling: "efficacy", missing_score: "60" }
    }

    #[test]
    fn every_figure_has_its_own_key_that_parses_back() {
        let figures = Figure::all();
        assert_eq!(figures.len(), 29);
        for figure in &figures {
            assert_eq!(Figure::parse(&figure.key()), Some(*figure), "{}", figure.key());
        }
        let keys: std::collections::HashSet<String> = figures.iter().map(|figure| figure.key()).collect();
        assert_eq!(keys.len(), figures.len());
        assert_eq!(Figure::Yoy(Metric::FundsInPlace).key(), "funds_in_place_yoy", "SPEC's key");
        assert_eq!(Figure::Yoy(Metric::SignedCount).label(), "签约项目数同比");
        assert_eq!(Figure::parse("no_such_figure"), None);
        assert_eq!(Figure::ChamberSignedInvestment.unit(), Unit::Wan);
        assert_eq!(Figure::LeadsOnTime.unit(), Unit::Rate);
    }

    #[test]
    fn the_three_scalings_put_values_on_their_scales() {
        let values = [Some(10.0), Some(20.0), Some(15.0), None];
        assert_eq!(Scaling::Efficacy.scale(&values), vec![Some(60.0), Some(100.0), Some(80.0), None]);
        assert_eq!(Scaling::MinMax.scale(&values), vec![Some(0.0), Some(100.0), Some(50.0), None]);
        assert_eq!(Scaling::Rank.scale(&values), vec![Some(0.0), Some(100.0), Some(50.0), None]);
        // Equal values: 100 each; one value: 100.
        for scaling in Scaling::ALL {
            assert_eq!(scaling.scale(&[Some(3.0), Some(3.0)]), vec![Some(100.0), Some(100.0)], "{scaling:?}");
            assert_eq!(scaling.scale(&[None, Some(7.0)]), vec![None, Some(100.0)], "{scaling:?}");
        }
    }

    #[test]
    fn tied_values_share_the_mean_of_their_places_under_rank_scaling() {
        // Places: 30 first; the two 20s share places 2 and 3 (2.5); 10 last.
        let scaled = Scaling::Rank.scale(&[Some(20.0), Some(30.0), Some(20.0), Some(10.0)]);
        assert_eq!(scaled, vec![Some(50.0), Some(100.0), Some(50.0), Some(0.0)]);
    }

    #[test]
    fn lower_is_better_turns_the_scale_round_and_missing_values_score_as_set() {
        let indicator = SchemeIndicator {
            figure: Figure::Metric(Metric::SignedCount),
            weight_units: WEIGHT_UNITS,
            direction: Direction::Lower,
            scaling: Scaling::Efficacy,
            missing_score: 0.0,
        };
        assert_eq!(indicator.scaled(&[Some(10.0), Some(20.0), None]), vec![100.0, 60.0, 0.0]);
        let higher = SchemeIndicator { direction: Direction::Higher, missing_score: 75.0, ..indicator };
        assert_eq!(higher.scaled(&[Some(10.0), Some(20.0), None]), vec![60.0, 100.0, 75.0]);
    }

    #[test]
    fn specs_scheme_has_its_six_weights_and_survives_storage() {
        let spec = Scheme::spec();
        assert_eq!(spec.weights(), vec![0.30, 0.15, 0.20, 0.15, 0.10, 0.10]);
        let keys: Vec<String> = spec.indicators.iter().map(|i| i.figure.key()).collect();
        assert_eq!(
            keys,
            [
                "funds_in_place_wan",
                "funds_in_place_yoy",
                "target_completion",
                "signed_investment_wan",
                "over_100m_count",
                "start_rate"
            ]
        );
        assert!(!spec.reads_appeals() && !spec.reads_leads() && !spec.reads_chambers());
        assert_eq!(Scheme::from_json(&spec.to_json()).unwrap(), spec);
        assert!(spec.to_json().contains("\"funds_in_place_yoy\""), "figures are stored by key: {}", spec.to_json());
    }

    #[test]
    fn a_scheme_form_is_checked_figure_by_figure() {
        let (name, scheme) = check_scheme(
            " 营商环境加权方案 ",
            &[
                row("funds_in_place_wan", "0.6"),
                row("signed_count", ""),
                IndicatorRow {
                    direction: "lower",
                    scaling: "rank",
                    missing_score: "0",
                    ..row("appeals_on_time_rate", "0.3")
                },
                row("leads_on_time_rate", "0.1"),
            ],
        )
        .unwrap();
        assert_eq!(name, "营商环境加权方案");
        assert_eq!(scheme.indicators.len(), 3, "an empty weight leaves the figure out");
        assert_eq!(scheme.indicators[1].direction, Direction::Lower);
        assert_eq!(scheme.indicators[1].scaling, Scaling::Rank);
        assert!(scheme.reads_appeals() && scheme.reads_leads() && !scheme.reads_chambers());

        let errors = check_scheme("", &[row("funds_in_place_wan", "0.5"), row("start_rate", "0.3")]).unwrap_err();
        assert_eq!(errors.fields["name"], "请填写方案名称");
        assert_eq!(errors.fields["weights"], "各项权重之和应为 1，现为 0.80");

        let errors = check_scheme(
            "方案",
            &[
                row("funds_in_place_wan", "0"),
                row("start_rate", "abc"),
                IndicatorRow {
                    direction: "sideways",
                    scaling: "magic",
                    missing_score: "120",
                    ..row("signed_count", "1")
                },
            ],
        )
        .unwrap_err();
        assert!(errors.rows["funds_in_place_wan"][0].contains("应大于 0"));
        assert!(errors.rows["start_rate"][0].starts_with("开工率：“abc”不是有效权重"));
        assert_eq!(errors.rows["signed_count"].len(), 3, "{:?}", errors.rows);
        assert!(!errors.fields.contains_key("weights"), "no sum is judged while a row is wrong");

        let errors = check_scheme("方案", &[row("signed_count", "")]).unwrap_err();
        assert_eq!(errors.fields["weights"], "请至少为一项指标填写权重");
        let errors = check_scheme("方案", &[row("made_up", "1")]).unwrap_err();
        assert!(errors.fields["weights"].contains("made_up"));
        let errors = check_scheme("方案", &[row("start_rate", "0.5"), row("start_rate", "0.5")]).unwrap_err();
        assert_eq!(errors.rows["start_rate"], vec!["开工率重复".to_string()]);
        assert_eq!(errors.messages().len(), 1);
    }
}
