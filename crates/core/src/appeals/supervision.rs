//! 营商环境监督评价: each quarter, every city of the province is scored on the five
//! dimensions. A dimension's index joins a quantitative part — four indicators of the
//! city's appeals of that dimension received in the quarter, each scaled across the cities
//! by the efficacy coefficient and weighted — and a qualitative part, the average of the
//! members' ratings (0–100). The overall index is the mean of the dimensions' indices; the
//! cities are ranked by it, and each figure keeps its parts so that the page can explain it.
//!
//! Missing data is never guessed: a dimension without appeals has no quantitative part and
//! one without ratings no qualitative part, and the index then rests on the part it has
//! (said so in its explanation); with neither it has no index, and the overall index is the
//! mean of the dimensions that have one. A city with no index at all is listed unranked.

use super::{Dimension, Rating};
use crate::calendar::Calendar;
use crate::scores::{best_first, efficacy_scaled, round_half_up, shown_weight, typed_weight_units, WEIGHT_UNITS};
use chrono::NaiveDate;

crate::vocabulary! {
    /// The quantitative indicators of a dimension, in the order of the weights.
    pub enum Indicator {
        OnTime => ("on_time_rate", "按时答复率"),
        Satisfaction => ("satisfaction_rate", "满意率"),
        AnswerDays => ("answer_days", "平均答复工作日"),
        Reopen => ("reopen_rate", "重办率"),
    }
}

impl Indicator {
    /// Fewer working days and fewer reopenings are better: they are scaled reversed.
    pub fn lower_is_better(self) -> bool {
        matches!(self, Indicator::AnswerDays | Indicator::Reopen)
    }

    /// The value as the page shows it: a percentage, or working days.
    pub fn shown(self, value: f64) -> String {
        match self {
            Indicator::AnswerDays => format!("{:.1} 个工作日", round_half_up(value, 1)),
            _ => format!("{:.1}%", round_half_up(value * 100.0, 1)),
        }
    }
}

/// What the tally needs of one appeal received in the quarter; `region` is the city it
/// counts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealFacts {
    pub region: String,
    pub dimension: Dimension,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub answered_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub rating: Option<Rating>,
    pub reopened: bool,
}

/// The counts behind a city's four indicators in one dimension, as of the quarter's end
/// (`stats appeals` counts alike): answered on time over received; satisfied over those
/// closed with a rating; working days from receipt to the (last) answer over the answered;
/// reopened over received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub received: i64,
    pub on_time: i64,
    pub rated: i64,
    pub satisfied: i64,
    pub answered: i64,
    pub answer_days: i64,
    pub reopened: i64,
}

impl Tally {
    /// Counts one appeal as of `to`.
    pub fn add(&mut self, calendar: &Calendar, to: NaiveDate, appeal: &AppealFacts) {
        self.received += 1;
        if let Some(answered) = appeal.answered_on.filter(|day| *day <= to) {
            self.answered += 1;
            self.answer_days += calendar.working_days_between(appeal.received_on, answered).value;
            self.on_time += i64::from(answered <= appeal.due_on);
        }
        if let Some(rating) = appeal.rating.filter(|_| appeal.closed_on.is_some_and(|day| day <= to)) {
            self.rated += 1;
            self.satisfied += i64::from(rating.is_satisfied());
        }
        self.reopened += i64::from(appeal.reopened);
    }

    /// The four indicators' values in `Indicator::ALL` order; `None` where nothing was
    /// counted to divide by.
    pub fn values(&self) -> [Option<f64>; 4] {
        let ratio = |part: i64, whole: i64| (whole > 0).then(|| part as f64 / whole as f64);
        [
            ratio(self.on_time, self.received),
            ratio(self.satisfied, self.rated),
            ratio(self.answer_days, self.answered),
            ratio(self.reopened, self.received),
        ]
    }
}

/// The weights of the evaluation: of each indicator within the quantitative part (together
/// 1), and of the quantitative part within a dimension's index (the qualitative part has
/// the rest).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub indicators: [f64; 4],
    pub quantitative: f64,
}

/// The fields of the weights form, in the order of `Weights::units`.
pub const WEIGHT_FIELDS: [(&str, &str); 5] = [
    ("on_time_rate", "按时答复率"),
    ("satisfaction_rate", "满意率"),
    ("answer_days", "平均答复工作日"),
    ("reopen_rate", "重办率"),
    ("quantitative", "定量部分占比"),
];

impl Weights {
    /// On time and satisfaction weigh most; the data count for 70%, the members for 30%.
    pub const DEFAULT: Weights = Weights { indicators: [0.30, 0.30, 0.20, 0.20], quantitative: 0.70 };

    pub fn qualitative(&self) -> f64 {
        1.0 - self.quantitative
    }

    /// Ten-thousandths as stored, in `WEIGHT_FIELDS` order.
    pub fn units(&self) -> [i64; 5] {
        let [a, b, c, d] = self.indicators;
        [a, b, c, d, self.quantitative].map(|w| (w * WEIGHT_UNITS as f64).round() as i64)
    }

    pub fn from_units(units: [i64; 5]) -> Weights {
        let weight = |u: i64| u as f64 / WEIGHT_UNITS as f64;
        Weights { indicators: [0, 1, 2, 3].map(|i| weight(units[i])), quantitative: weight(units[4]) }
    }

    /// "按时答复率 0.30、满意率 0.30、…、定量部分占比 0.70", as the audit log and the page write them.
    pub fn describe(&self) -> String {
        WEIGHT_FIELDS
            .iter()
            .zip(self.units())
            .map(|((_, label), units)| format!("{label} {}", shown_weight(units as f64 / WEIGHT_UNITS as f64)))
            .collect::<Vec<_>>()
            .join("、")
    }

    /// Weights as the administrator types them, in `WEIGHT_FIELDS` order: each a decimal
    /// from 0 to 1 with at most four places, the four indicators' together exactly 1. The
    /// errors name each field by its key (and `sum` for the indicators' total).
    pub fn parse(typed: [&str; 5]) -> Result<Weights, Vec<(&'static str, String)>> {
        let units = typed_weight_units(typed, &WEIGHT_FIELDS)?;
        let sum: i64 = units[..4].iter().sum();
        if sum != WEIGHT_UNITS {
            let shown = shown_weight(sum as f64 / WEIGHT_UNITS as f64);
            return Err(vec![("sum", format!("四项定量指标的权重之和应为 1，现为 {shown}"))]);
        }
        Ok(Weights::from_units(units))
    }
}

impl Default for Weights {
    fn default() -> Self {
        Weights::DEFAULT
    }
}

/// A member's rating of a city's dimension: a whole number from 0 to 100.
pub fn parse_rating_score(text: &str) -> Result<i64, String> {
    let text = text.trim();
    match text.parse::<i64>() {
        Ok(score) if (0..=100).contains(&score) => Ok(score),
        Ok(_) => Err(format!("评分“{text}”超出范围：应为 0 到 100 之间的整数")),
        Err(_) if text.is_empty() => Err("请填写评分（0 到 100 之间的整数）".to_string()),
        Err(_) => Err(format!("评分“{text}”无效：应为 0 到 100 之间的整数")),
    }
}

/// A city's input to the evaluation: its tally and the members' scores per dimension,
/// in `Dimension::ALL` order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RegionInput {
    pub region: String,
    pub name: String,
    pub tallies: [Tally; 5],
    pub ratings: [Vec<i64>; 5],
}

/// One indicator in a dimension's quantitative part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorPart {
    pub indicator: Indicator,
    /// `None`: nothing to divide by (no rating, no answer); it scores the floor, 60.
    pub value: Option<f64>,
    pub scaled: f64,
    pub weight: f64,
}

/// What a dimension's index rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Both,
    /// No member rated it: the quantitative part alone.
    QuantitativeOnly,
    /// No appeal of the dimension in the quarter: the members' ratings alone.
    QualitativeOnly,
    NoData,
}

/// A city's index in one dimension, with its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionScore {
    pub dimension: Dimension,
    pub tally: Tally,
    /// Empty when the city had no appeal of the dimension.
    pub parts: Vec<IndicatorPart>,
    pub quantitative: Option<f64>,
    pub rating_count: usize,
    pub qualitative: Option<f64>,
    pub basis: Basis,
    pub index: Option<f64>,
}

impl DimensionScore {
    /// The explanation of the index, one line a part, as the page opens it.
    pub fn explanation(&self, weights: &Weights) -> Vec<String> {
        let score = |value: f64| format!("{:.2}", round_half_up(value, 2));
        let mut lines = Vec::new();
        match self.quantitative {
            Some(quantitative) => {
                lines.push(format!(
                    "定量部分 {}（本季度该维度诉求 {} 件，各项按功效系数在各市州间换算为 60—100 分）",
                    score(quantitative),
                    self.tally.received
                ));
                for part in &self.parts {
                    let value =
                        part.value.map_or_else(|| "无数据，按 60 分计".to_string(), |v| part.indicator.shown(v));
                    let direction = if part.indicator.lower_is_better() { "，越低越好" } else { "" };
                    lines.push(format!(
                        "· {}：{}{direction}，得分 {} × 权重 {}",
                        part.indicator.label(),
                        value,
                        score(part.scaled),
                        shown_weight(part.weight)
                    ));
                }
            }
            None => lines.push("定量部分：本季度该维度无诉求，不计".to_string()),
        }
        match self.qualitative {
            Some(qualitative) => {
                lines.push(format!("定性部分 {}（{} 位委员评分的平均）", score(qualitative), self.rating_count))
            }
            None => lines.push("定性部分：尚无委员评分，不计".to_string()),
        }
        lines.push(match (self.basis, self.index) {
            (Basis::Both, Some(index)) => format!(
                "指数 {} = 定量 × {} + 定性 × {}",
                score(index),
                shown_weight(weights.quantitative),
                shown_weight(weights.qualitative())
            ),
            (Basis::QuantitativeOnly, Some(index)) => format!("指数 {}：仅按定量部分", score(index)),
            (Basis::QualitativeOnly, Some(index)) => format!("指数 {}：仅按定性部分", score(index)),
            _ => "无指数：既无诉求也无委员评分".to_string(),
        });
        lines
    }
}

/// A city's evaluation in a quarter; `rank` from 1, shared by equal overall indices, `None`
/// for a city without any index; `previous_*` from the quarter before, when it had one.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionScore {
    pub region: String,
    pub name: String,
    pub dimensions: Vec<DimensionScore>,
    pub overall: Option<f64>,
    pub rank: Option<usize>,
    pub previous_overall: Option<f64>,
    pub previous_rank: Option<usize>,
}

impl RegionScore {
    /// The change of the overall index since the quarter before, when both have one.
    pub fn trend(&self) -> Option<f64> {
        Some(self.overall? - self.previous_overall?)
    }

    /// "综合指数 = 5 个维度指数的平均" with the dimensions counted.
    pub fn overall_explanation(&self) -> String {
        let counted = self.dimensions.iter().filter(|d| d.index.is_some()).count();
        match self.overall {
            Some(overall) if counted == self.dimensions.len() => {
                format!("综合指数 {:.2} = {counted} 个维度指数的平均", round_half_up(overall, 2))
            }
            Some(overall) => format!(
                "综合指数 {:.2} = 有指数的 {counted} 个维度的平均（其余维度无数据，不计）",
                round_half_up(overall, 2)
            ),
            None => "无综合指数：各维度均无数据，不参与排名".to_string(),
        }
    }
}

/// Scores the cities of a quarter; the result is best first, cities without an index last
/// by code.
pub fn assess(regions: &[RegionInput], weights: &Weights) -> Vec<RegionScore> {
    let mut dimensions_by_region: Vec<Vec<DimensionScore>> = vec![Vec::new(); regions.len()];
    for (d, &dimension) in Dimension::ALL.iter().enumerate() {
        for (row, score) in score_dimension(regions, d, dimension, weights).into_iter().enumerate() {
            dimensions_by_region[row].push(score);
        }
    }
    let mut scored: Vec<RegionScore> = regions
        .iter()
        .zip(dimensions_by_region)
        .map(|(region, dimensions)| {
            let indices: Vec<f64> = dimensions.iter().filter_map(|d| d.index).collect();
            let overall = (!indices.is_empty()).then(|| indices.iter().sum::<f64>() / indices.len() as f64);
            RegionScore {
                region: region.region.clone(),
                name: region.name.clone(),
                dimensions,
                overall,
                rank: None,
                previous_overall: None,
                previous_rank: None,
            }
        })
        .collect();
    scored.sort_by(|a, b| match (a.overall, b.overall) {
        (Some(x), Some(y)) => best_first(x, y).then_with(|| a.region.cmp(&b.region)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.region.cmp(&b.region),
    });
    for index in 0..scored.len() {
        let Some(overall) = scored[index].overall else { break };
        scored[index].rank = match index.checked_sub(1).map(|i| &scored[i]) {
            Some(previous) if previous.overall.is_some_and(|p| best_first(p, overall).is_eq()) => previous.rank,
            _ => Some(index + 1),
        };
    }
    scored
}

/// Sets each city's figures of the quarter before from its evaluation.
pub fn compare_with_previous(current: &mut [RegionScore], previous: &[RegionScore]) {
    for score in current {
        if let Some(before) = previous.iter().find(|p| p.region == score.region) {
            score.previous_overall = before.overall;
            score.previous_rank = before.rank;
        }
    }
}

fn score_dimension(regions: &[RegionInput], d: usize, dimension: Dimension, weights: &Weights) -> Vec<DimensionScore> {
    // Only cities with appeals of the dimension are scaled against each other.
    let with_appeals = |region: &RegionInput| region.tallies[d].received > 0;
    let scaled_by_indicator: Vec<Vec<f64>> = (0..Indicator::ALL.len())
        .map(|i| {
            let oriented: Vec<Option<f64>> = regions
                .iter()
                .filter(|r| with_appeals(r))
                .map(|r| {
                    let value = r.tallies[d].values()[i];
                    if Indicator::ALL[i].lower_is_better() {
                        value.map(|v| -v)
                    } else {
                        value
                    }
                })
                .collect();
            efficacy_scaled(&oriented)
        })
        .collect();
    let mut scaled_row = 0;
    regions
        .iter()
        .map(|region| {
            let tally = region.tallies[d];
            let parts: Vec<IndicatorPart> = if with_appeals(region) {
                let values = tally.values();
                let parts = Indicator::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, &indicator)| IndicatorPart {
                        indicator,
                        value: values[i],
                        scaled: scaled_by_indicator[i][scaled_row],
                        weight: weights.indicators[i],
                    })
                    .collect();
                scaled_row += 1;
                parts
            } else {
                Vec::new()
            };
            let quantitative =
                (!parts.is_empty()).then(|| parts.iter().map(|part| part.weight * part.scaled).sum::<f64>());
            let ratings = &region.ratings[d];
            let qualitative = (!ratings.is_empty()).then(|| ratings.iter().sum::<i64>() as f64 / ratings.len() as f64);
            let (basis, index) = match (quantitative, qualitative) {
                (Some(q), Some(r)) => (Basis::Both, Some(weights.quantitative * q + weights.qualitative() * r)),
                (Some(q), None) => (Basis::QuantitativeOnly, Some(q)),
                (None, Some(r)) => (Basis::QualitativeOnly, Some(r)),
                (None, None) => (Basis::NoData, None),
            };
            DimensionScore {
                dimension,
                tally,
                parts,
                quantitative,
                rating_count: ratings.len(),
                qualitative,
                basis,
                index,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, official};

    fn tally(
        received: i64,
        on_time: i64,
        rated: i64,
        satisfied: i64,
        answered: i64,
        answer_days: i64,
        reopened: i64,
    ) -> Tally {
        Tally { received, on_time, rated, satisfied, answered, answer_days, reopened }
    }

    fn region(code: &str, government: Tally, ratings: Vec<i64>) -> RegionInput {
        let mut input = RegionInput { region: code.to_string(), name: format!("市{code}"), ..Default::default() };
        input.tallies[0] = government;
        input.ratings[0] = ratings;
        input
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn the_tally_counts_as_of_the_quarter_end_in_working_days() {
        let calendar = official();
        let to = day("2024-12-31");
        let appeal =
            |received: &str, due: &str, answered: Option<&str>, closed: Option<&str>, rating, reopened| AppealFacts {
                region: "6201".to_string(),
                dimension: Dimension::Government,
                received_on: day(received),
                due_on: day(due),
                answered_on: answered.map(day),
                closed_on: closed.map(day),
                rating,
                reopened,
            };
        let mut counted = Tally::default();
        // Received the Monday before the National Day holidays (1–7 October), answered on
        // the 8th: its first working day after receipt.
        counted.add(
            &calendar,
            to,
            &appeal("2024-09-30", "2024-10-14", Some("2024-10-08"), Some("2024-10-09"), Some(Rating::Satisfied), false),
        );
        // Answered late, rated 不满意 and reopened.
        counted.add(
            &calendar,
            to,
            &appeal(
                "2024-11-01",
                "2024-11-08",
                Some("2024-11-12"),
                Some("2024-11-20"),
                Some(Rating::Dissatisfied),
                true,
            ),
        );
        // Answered after the quarter: neither answered nor rated yet.
        counted.add(
            &calendar,
            to,
            &appeal("2024-12-20", "2024-12-27", Some("2025-01-03"), Some("2025-01-06"), Some(Rating::Satisfied), false),
        );
        assert_eq!(counted, tally(3, 1, 2, 1, 2, 1 + 7, 1));
        let [on_time, satisfaction, days, reopen] = counted.values();
        assert!(close(on_time.unwrap(), 1.0 / 3.0));
        assert_eq!(satisfaction, Some(0.5));
        assert_eq!(days, Some(4.0));
        assert!(close(reopen.unwrap(), 1.0 / 3.0));
        assert_eq!(Tally::default().values(), [None, None, None, None]);
    }

    #[test]
    fn indicators_scale_across_cities_with_lower_better_reversed() {
        // 甲 on time 100%, all satisfied, 2 days, no reopening; 乙 50%, half, 6 days, 50% reopened.
        let scored = assess(
            &[region("6201", tally(4, 4, 4, 4, 4, 8, 0), vec![]), region("6202", tally(4, 2, 2, 1, 4, 24, 2), vec![])],
            &Weights::DEFAULT,
        );
        let best = &scored[0].dimensions[0];
        assert_eq!(scored[0].region, "6201");
        assert!(best.parts.iter().all(|part| part.scaled == 100.0));
        assert_eq!(best.quantitative, Some(100.0));
        let worst = &scored[1].dimensions[0];
        assert!(worst.parts.iter().all(|part| part.scaled == 60.0));
        assert_eq!(worst.basis, Basis::QuantitativeOnly);
        assert_eq!(worst.index, Some(60.0));
        // Only the government dimension has data: the overall index is that dimension's.
        assert_eq!(scored[1].overall, Some(60.0));
        assert_eq!((scored[0].rank, scored[1].rank), (Some(1), Some(2)));
    }

    #[test]
    fn the_index_weighs_quantitative_and_qualitative_parts() {
        let middle = tally(4, 3, 4, 3, 4, 16, 1);
        let scored = assess(
            &[
                region("6201", tally(4, 4, 4, 4, 4, 8, 0), vec![90, 70]),
                region("6202", middle, vec![50]),
                region("6203", tally(4, 2, 4, 2, 4, 24, 2), vec![]),
            ],
            &Weights::DEFAULT,
        );
        let second = scored.iter().find(|s| s.region == "6202").unwrap();
        let dimension = &second.dimensions[0];
        // Halfway on every indicator: 80 each.
        assert!(dimension.parts.iter().all(|part| close(part.scaled, 80.0)));
        assert!(close(dimension.quantitative.unwrap(), 80.0));
        assert_eq!(dimension.qualitative, Some(50.0));
        assert!(close(dimension.index.unwrap(), 0.7 * 80.0 + 0.3 * 50.0));
        let first = &scored[0].dimensions[0];
        assert_eq!((first.rating_count, first.qualitative), (2, Some(80.0)));
        assert!(close(first.index.unwrap(), 0.7 * 100.0 + 0.3 * 80.0));
        // Other weights: the members count for half, on time alone in the data.
        let weights = Weights { indicators: [1.0, 0.0, 0.0, 0.0], quantitative: 0.5 };
        let rescored =
            assess(&[region("6201", tally(4, 4, 4, 4, 4, 8, 0), vec![40]), region("6202", middle, vec![50])], &weights);
        let by = |code: &str| rescored.iter().find(|s| s.region == code).unwrap().dimensions[0].index.unwrap();
        assert!(close(by("6201"), 0.5 * 100.0 + 0.5 * 40.0));
        assert!(close(by("6202"), 0.5 * 60.0 + 0.5 * 50.0));
    }

    #[test]
    fn missing_data_is_left_out_and_explained() {
        let scored = assess(
            &[
                // Appeals but nothing rated by enterprises nor answered: those indicators score 60.
                region("6201", tally(2, 0, 0, 0, 0, 0, 0), vec![]),
                // No appeal: only the members' rating; not scaled against the others.
                region("6202", Tally::default(), vec![75]),
                // Nothing at all.
                region("6203", Tally::default(), vec![]),
                region("6204", tally(2, 2, 2, 2, 2, 2, 0), vec![]),
            ],
            &Weights::DEFAULT,
        );
        let of = |code: &str| scored.iter().find(|s| s.region == code).unwrap();
        let unanswered = &of("6201").dimensions[0];
        assert_eq!(unanswered.parts.iter().map(|p| p.value.is_none()).collect::<Vec<_>>(), [false, true, true, false]);
        assert_eq!(unanswered.parts.iter().map(|p| p.scaled).collect::<Vec<_>>(), [60.0, 60.0, 60.0, 100.0]);
        let lines = unanswered.explanation(&Weights::DEFAULT).join("\n");
        assert!(lines.contains("满意率：无数据，按 60 分计"), "{lines}");
        assert!(lines.contains("仅按定量部分"), "{lines}");
        let rated_only = &of("6202").dimensions[0];
        assert_eq!(
            (rated_only.basis, rated_only.index, rated_only.parts.len()),
            (Basis::QualitativeOnly, Some(75.0), 0)
        );
        assert!(rated_only.explanation(&Weights::DEFAULT).join("\n").contains("本季度该维度无诉求，不计"));
        // The other four dimensions have no data anywhere.
        assert!(of("6202").dimensions[1..].iter().all(|d| d.basis == Basis::NoData && d.index.is_none()));
        assert!(of("6202").overall_explanation().contains("有指数的 1 个维度"));
        let nothing = of("6203");
        assert_eq!((nothing.overall, nothing.rank), (None, None));
        assert_eq!(scored.last().unwrap().region, "6203");
        assert!(nothing.overall_explanation().contains("不参与排名"));
        assert_eq!(
            nothing.dimensions[0].explanation(&Weights::DEFAULT).last().unwrap(),
            "无指数：既无诉求也无委员评分"
        );
    }

    #[test]
    fn equal_indices_share_a_rank_and_list_by_code() {
        let same = tally(3, 3, 3, 3, 3, 6, 0);
        let scored = assess(
            &[region("6203", same, vec![80]), region("6201", same, vec![60]), region("6202", same, vec![80])],
            &Weights::DEFAULT,
        );
        let ranks: Vec<(&str, Option<usize>)> = scored.iter().map(|s| (s.region.as_str(), s.rank)).collect();
        assert_eq!(ranks, [("6202", Some(1)), ("6203", Some(1)), ("6201", Some(3))]);
        assert!(assess(&[], &Weights::DEFAULT).is_empty());
    }

    #[test]
    fn the_trend_compares_with_the_quarter_before() {
        let now = assess(
            &[region("6201", Tally::default(), vec![80]), region("6202", Tally::default(), vec![70])],
            &Weights::DEFAULT,
        );
        let before = assess(&[region("6201", Tally::default(), vec![60])], &Weights::DEFAULT);
        let mut compared = now.clone();
        compare_with_previous(&mut compared, &before);
        assert_eq!(compared[0].trend(), Some(20.0));
        assert_eq!(compared[0].previous_rank, Some(1));
        assert_eq!((compared[1].previous_overall, compared[1].trend()), (None, None));
    }

    #[test]
    fn weights_parse_with_chinese_errors() {
        assert_eq!(Weights::parse(["0.3", "0.30", "0.2", "0.2", "0.7"]), Ok(Weights::DEFAULT));
        assert_eq!(Weights::from_units(Weights::DEFAULT.units()), Weights::DEFAULT);
        assert_eq!(
            Weights::DEFAULT.describe(),
            "按时答复率 0.30、满意率 0.30、平均答复工作日 0.20、重办率 0.20、定量部分占比 0.70"
        );
        let errors = Weights::parse(["0.3", "x", "0.2", "0.2", "1.5"]).unwrap_err();
        assert_eq!(errors.iter().map(|(key, _)| *key).collect::<Vec<_>>(), ["satisfaction_rate", "quantitative"]);
        assert!(errors[1].1.starts_with("定量部分占比："), "{errors:?}");
        let sum = Weights::parse(["0.3", "0.3", "0.3", "0.3", "1"]).unwrap_err();
        assert_eq!(sum, vec![("sum", "四项定量指标的权重之和应为 1，现为 1.20".to_string())]);
    }

    #[test]
    fn a_rating_is_a_whole_number_from_0_to_100() {
        assert_eq!(parse_rating_score(" 85 "), Ok(85));
        assert_eq!(parse_rating_score("0"), Ok(0));
        assert_eq!(parse_rating_score("100"), Ok(100));
        assert!(parse_rating_score("101").unwrap_err().contains("超出范围"));
        assert!(parse_rating_score("-1").unwrap_err().contains("超出范围"));
        assert!(parse_rating_score("8.5").unwrap_err().contains("无效"));
        assert!(parse_rating_score("").unwrap_err().contains("请填写"));
    }
}
