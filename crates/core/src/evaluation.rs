//! 市州综合评价: the quarterly ranking of a region's direct sub-regions (SPEC.md,
//! `stats evaluation`). The indicators of a scheme (`scheme`; SPEC's six by default)
//! over 1 January to the quarter's end, each scaled across the sub-regions, weighted and
//! summed; ranked by the unrounded score, then region code; 贡献奖 to the first three,
//! 进步奖 to the three others that rose most since the quarter before.

pub mod cadres;
pub mod scheme;

use crate::metrics::Period;
use crate::scores::{best_first, round_half_up, weighted_sum};
use chrono::{Datelike, NaiveDate};
use scheme::{Figure, RegionFigures, Scheme};
use serde::{Serialize, Serializer};
use std::collections::HashMap;

/// One calendar quarter of one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quarter {
    year: i32,
    quarter: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuarterError {
    #[error("季度“{0}”无效，应为 1—4")]
    Quarter(String),
    #[error("年度“{0}”无效，应为 2000—2100 之间的年份")]
    Year(String),
}

impl Quarter {
    /// Years a platform started in the 2020s reports on; others are typing mistakes.
    const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

    pub fn new(year: i32, quarter: u32) -> Result<Quarter, QuarterError> {
        if !Self::YEARS.contains(&year) {
            return Err(QuarterError::Year(year.to_string()));
        }
        if !(1..=4).contains(&quarter) {
            return Err(QuarterError::Quarter(quarter.to_string()));
        }
        Ok(Quarter { year, quarter })
    }

    /// From the text of a form or the command line.
    pub fn parse(year: &str, quarter: &str) -> Result<Quarter, QuarterError> {
        let year_number = year.trim().parse().map_err(|_| QuarterError::Year(year.trim().to_string()))?;
        let quarter_number = quarter.trim().parse().map_err(|_| QuarterError::Quarter(quarter.trim().to_string()))?;
        Quarter::new(year_number, quarter_number)
    }

    /// The last quarter that has ended by `today` (Q4 of last year in January–March).
    pub fn last_finished(today: NaiveDate) -> Quarter {
        Quarter { year: today.year(), quarter: today.month0() / 3 + 1 }.previous()
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn quarter(self) -> u32 {
        self.quarter
    }

    /// The quarter before: Q4 of the year before for Q1.
    pub fn previous(self) -> Quarter {
        match self.quarter {
            1 => Quarter { year: self.year - 1, quarter: 4 },
            q => Quarter { year: self.year, quarter: q - 1 },
        }
    }

    /// The last day of the quarter.
    pub fn end(self) -> NaiveDate {
        let next_month = self.quarter * 3 + 1;
        let first_of_next = match next_month {
            13 => NaiveDate::from_ymd_opt(self.year + 1, 1, 1),
            month => NaiveDate::from_ymd_opt(self.year, month, 1),
        };
        first_of_next.and_then(|day| day.pred_opt()).expect("a quarter of a supported year has an end")
    }

    /// The first day of the quarter.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.quarter * 3 - 2, 1).expect("a quarter of a supported year has a start")
    }

    /// 1 January of the year to the quarter's end: the period the evaluation reads.
    pub fn year_to_end(self) -> Period {
        Period { from: NaiveDate::from_ymd_opt(self.year, 1, 1).expect("1 January exists"), to: self.end() }
    }

    /// "2024年第3季度"
    pub fn label(self) -> String {
        format!("{}年第{}季度", self.year, self.quarter)
    }
}

/// A sub-region and its values of a scheme's indicators, in the scheme's order.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RegionIndicators {
    pub region: String,
    pub name: String,
    pub values: Vec<Option<f64>>,
}

impl RegionIndicators {
    pub fn from_figures(name: &str, scheme: &Scheme, figures: &RegionFigures) -> RegionIndicators {
        RegionIndicators {
            region: figures.report.region.clone(),
            name: name.to_string(),
            values: scheme.indicators.iter().map(|indicator| indicator.figure.value(figures)).collect(),
        }
    }
}

/// One indicator of one sub-region's score: its value, scaled value and weighted part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorScore {
    pub indicator: Figure,
    pub value: Option<f64>,
    pub scaled: f64,
    pub contribution: f64,
}

/// A sub-region's score, unrounded, with its parts; ranks are 1-based.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub region: String,
    pub name: String,
    pub score: f64,
    pub rank: u32,
    pub parts: Vec<IndicatorScore>,
}

/// Every sub-region's scaled value of each indicator: rows of sub-regions, in order.
fn scaled_rows(scheme: &Scheme, regions: &[RegionIndicators]) -> Vec<Vec<f64>> {
    let columns: Vec<Vec<f64>> = scheme
        .indicators
        .iter()
        .enumerate()
        .map(|(i, indicator)| indicator.scaled(&regions.iter().map(|r| r.values[i]).collect::<Vec<_>>()))
        .collect();
    (0..regions.len()).map(|row| columns.iter().map(|column| column[row]).collect()).collect()
}

/// Scores and ranks the sub-regions by `scheme`; the result is best first.
pub fn rank(scheme: &Scheme, regions: &[RegionIndicators]) -> Vec<Scored> {
    let weights = scheme.weights();
    let mut scored: Vec<Scored> = regions
        .iter()
        .zip(scaled_rows(scheme, regions))
        .map(|(region, scaled)| {
            let parts = scheme
                .indicators
                .iter()
                .enumerate()
                .map(|(i, indicator)| IndicatorScore {
                    indicator: indicator.figure,
                    value: region.values[i],
                    scaled: scaled[i],
                    contribution: weights[i] * scaled[i],
                })
                .collect();
            Scored {
                region: region.region.clone(),
                name: region.name.clone(),
                score: weighted_sum(&weights, &scaled),
                rank: 0,
                parts,
            }
        })
        .collect();
    scored.sort_by(|a, b| best_first(a.score, b.score).then_with(|| a.region.cmp(&b.region)));
    for (index, item) in scored.iter_mut().enumerate() {
        item.rank = index as u32 + 1;
    }
    scored
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Award {
    /// 贡献奖: ranks 1–3.
    Contribution,
    /// 进步奖: the three others that rose most.
    Progress,
}

impl Award {
    pub fn label(self) -> &'static str {
        match self {
            Award::Contribution => "贡献奖",
            Award::Progress => "进步奖",
        }
    }
}

impl Serialize for Award {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

/// How many sub-regions receive each award.
const AWARDED: usize = 3;

/// One sub-region of the evaluation, serialized as SPEC's item; the parts and the
/// unrounded score are for the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationItem {
    pub region: String,
    pub name: String,
    /// Rounded half up to two decimals.
    pub score: f64,
    pub rank: u32,
    pub previous_rank: u32,
    pub awards: Vec<Award>,
    #[serde(skip)]
    pub unrounded_score: f64,
    #[serde(skip)]
    pub parts: Vec<IndicatorScore>,
}

impl EvaluationItem {
    /// Places risen since the quarter before (negative when fallen).
    pub fn rise(&self) -> i64 {
        i64::from(self.previous_rank) - i64::from(self.rank)
    }
}

/// The evaluation of one quarter by `scheme`: `current` and `previous` are the same
/// sub-regions' indicators for this quarter and the one before. Best first.
pub fn evaluate(scheme: &Scheme, current: &[RegionIndicators], previous: &[RegionIndicators]) -> Vec<EvaluationItem> {
    let previous_ranks: HashMap<String, u32> =
        rank(scheme, previous).into_iter().map(|scored| (scored.region, scored.rank)).collect();
    let mut items: Vec<EvaluationItem> = rank(scheme, current)
        .into_iter()
        .map(|scored| EvaluationItem {
            previous_rank: previous_ranks.get(&scored.region).copied().unwrap_or(scored.rank),
            score: round_half_up(scored.score, 2),
            region: scored.region,
            name: scored.name,
            rank: scored.rank,
            awards: Vec::new(),
            unrounded_score: scored.score,
            parts: scored.parts,
        })
        .collect();
    let mut risers: Vec<usize> =
        (0..items.len()).filter(|&i| items[i].rank as usize > AWARDED && items[i].rise() > 0).collect();
    risers.sort_by(|&a, &b| {
        let (a, b) = (&items[a], &items[b]);
        b.rise()
            .cmp(&a.rise())
            .then_with(|| best_first(a.unrounded_score, b.unrounded_score))
            .then_with(|| a.region.cmp(&b.region))
    });
    for index in risers.into_iter().take(AWARDED) {
        items[index].awards.push(Award::Progress);
    }
    for item in items.iter_mut().filter(|item| item.rank as usize <= AWARDED) {
        item.awards.insert(0, Award::Contribution);
    }
    items
}

/// A sub-region's ranks over the draws of the sensitivity view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankInterval {
    pub region: String,
    /// The rank with the default weights.
    pub rank: u32,
    pub best: u32,
    pub median: u32,
    pub worst: u32,
}

/// The sensitivity view's default: draws, and how far each weight moves (±20%).
pub const SENSITIVITY_DRAWS: usize = 300;
pub const SENSITIVITY_SPREAD: f64 = 0.2;

/// How robust the ranking is to its weights (the OECD/JRC handbook's uncertainty and
/// sensitivity step): `draws` times, every weight is multiplied by a factor drawn
/// uniformly from [1 − spread, 1 + spread] by a generator seeded with `seed`, the weights
/// are scaled back to sum to one, and the sub-regions are ranked again (ties by region
/// code, as `rank` does). Each one's best, median and worst rank, in `rank`'s order.
pub fn rank_intervals(
    scheme: &Scheme,
    regions: &[RegionIndicators],
    draws: usize,
    spread: f64,
    seed: u64,
) -> Vec<RankInterval> {
    use rand::{Rng, SeedableRng};
    let base = scheme.weights();
    let scaled = scaled_rows(scheme, regions);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut ranks: Vec<Vec<u32>> = vec![Vec::with_capacity(draws); regions.len()];
    let mut order: Vec<usize> = (0..regions.len()).collect();
    for _ in 0..draws {
        let mut weights = base.clone();
        for weight in &mut weights {
            *weight *= 1.0 + rng.gen_range(-spread..=spread);
        }
        let total: f64 = weights.iter().sum();
        weights.iter_mut().for_each(|weight| *weight /= total);
        let scores: Vec<f64> = scaled.iter().map(|row| weighted_sum(&weights, row)).collect();
        order
            .sort_by(|&a, &b| best_first(scores[a], scores[b]).then_with(|| regions[a].region.cmp(&regions[b].region)));
        for (position, &row) in order.iter().enumerate() {
            ranks[row].push(position as u32 + 1);
        }
    }
    rank(scheme, regions)
        .into_iter()
        .map(|scored| {
            let row = regions.iter().position(|r| r.region == scored.region).unwrap_or_default();
            let mut drawn = std::mem::take(&mut ranks[row]);
            drawn.sort_unstable();
            let at = |index: usize| drawn.get(index).copied().unwrap_or(scored.rank);
            RankInterval {
                region: scored.region,
                rank: scored.rank,
                best: at(0),
                median: at(drawn.len() / 2),
                worst: at(drawn.len().saturating_sub(1)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Yuan;
    use crate::testing::day;

    fn spec() -> Scheme {
        Scheme::spec()
    }

    fn region(code: &str, values: [Option<f64>; 6]) -> RegionIndicators {
        RegionIndicators { region: code.into(), name: format!("地区{code}"), values: values.to_vec() }
    }

    /// Regions whose only difference is funds in place (the other five all equal).
    fn by_funds(funds: &[(&str, f64)]) -> Vec<RegionIndicators> {
        funds.iter().map(|(code, f)| region(code, [Some(*f), None, None, Some(0.0), Some(0.0), None])).collect()
    }

    fn awards_of<'a>(items: &'a [EvaluationItem], code: &str) -> &'a [Award] {
        &items.iter().find(|item| item.region == code).unwrap().awards
    }

    #[test]
    fn quarters_parse_end_and_step_back() {
        assert_eq!(Quarter::parse("2024", "3").unwrap().end(), day("2024-09-30"));
        assert_eq!(Quarter::new(2024, 4).unwrap().end(), day("2024-12-31"));
        assert_eq!(Quarter::new(2024, 1).unwrap().end(), day("2024-03-31"));
        assert_eq!(
            (Quarter::new(2024, 1).unwrap().start(), Quarter::new(2024, 4).unwrap().start()),
            (day("2024-01-01"), day("2024-10-01"))
        );
        let q1 = Quarter::new(2024, 1).unwrap();
        assert_eq!(q1.previous(), Quarter::new(2023, 4).unwrap());
        assert_eq!(q1.year_to_end(), Period { from: day("2024-01-01"), to: day("2024-03-31") });
        assert_eq!(q1.previous().year_to_end(), Period { from: day("2023-01-01"), to: day("2023-12-31") });
        assert_eq!(Quarter::new(2024, 3).unwrap().previous().end(), day("2024-06-30"));
        assert_eq!(Quarter::new(2024, 3).unwrap().label(), "2024年第3季度");
        assert!(matches!(Quarter::parse("2024", "5"), Err(QuarterError::Quarter(_))));
        assert!(matches!(Quarter::parse("2024", "0"), Err(QuarterError::Quarter(_))));
        assert!(matches!(Quarter::parse("2024", "二"), Err(QuarterError::Quarter(_))));
        assert!(matches!(Quarter::parse("99999", "1"), Err(QuarterError::Year(_))));
        assert_eq!(QuarterError::Quarter("5".into()).to_string(), "季度“5”无效，应为 1—4");
    }

    #[test]
    fn the_last_finished_quarter_is_the_one_before_today() {
        assert_eq!(Quarter::last_finished(day("2024-02-10")), Quarter::new(2023, 4).unwrap());
        assert_eq!(Quarter::last_finished(day("2024-04-01")), Quarter::new(2024, 1).unwrap());
        assert_eq!(Quarter::last_finished(day("2024-12-31")), Quarter::new(2024, 3).unwrap());
    }

    #[test]
    fn the_weights_add_up_to_one() {
        assert!((spec().weights().iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn each_indicator_is_scaled_across_the_regions_and_weighted() {
        let regions = vec![
            region("620100", [Some(300.0), Some(0.5), Some(0.8), Some(1000.0), Some(2.0), Some(1.0)]),
            region("620200", [Some(100.0), Some(-0.5), Some(0.4), Some(3000.0), Some(0.0), Some(0.5)]),
            region("620300", [Some(200.0), Some(0.0), Some(0.6), Some(2000.0), Some(1.0), Some(0.0)]),
        ];
        let ranked = rank(&spec(), &regions);
        let lanzhou = ranked.iter().find(|s| s.region == "620100").unwrap();
        let scaled: Vec<f64> = lanzhou.parts.iter().map(|p| p.scaled).collect();
        assert_eq!(scaled, vec![100.0, 100.0, 100.0, 60.0, 100.0, 100.0]);
        let jiayuguan = ranked.iter().find(|s| s.region == "620200").unwrap();
        let scaled: Vec<f64> = jiayuguan.parts.iter().map(|p| p.scaled).collect();
        assert_eq!(scaled, vec![60.0, 60.0, 60.0, 100.0, 60.0, 80.0]);
        // 0.30×100 + 0.15×100 + 0.20×100 + 0.15×60 + 0.10×100 + 0.10×100
        assert!((lanzhou.score - 94.0).abs() < 1e-9);
        let contributions: f64 = lanzhou.parts.iter().map(|p| p.contribution).sum();
        assert!((contributions - lanzhou.score).abs() < 1e-9, "the parts add up to the score");
        assert_eq!(ranked.iter().map(|s| s.region.as_str()).collect::<Vec<_>>(), ["620100", "620300", "620200"]);
        assert_eq!(ranked.iter().map(|s| s.rank).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn a_null_scores_60_and_the_others_scale_over_the_present_values() {
        let regions = vec![
            region("620100", [Some(0.0), None, Some(0.5), Some(0.0), Some(0.0), None]),
            region("620200", [Some(0.0), Some(0.2), None, Some(0.0), Some(0.0), Some(0.5)]),
            region("620300", [Some(0.0), Some(0.4), Some(1.0), Some(0.0), Some(0.0), None]),
        ];
        let ranked = rank(&spec(), &regions);
        let scaled = |code: &str| -> Vec<f64> {
            ranked.iter().find(|s| s.region == code).unwrap().parts.iter().map(|p| p.scaled).collect()
        };
        assert_eq!(scaled("620100"), vec![100.0, 60.0, 60.0, 100.0, 100.0, 60.0]);
        assert_eq!(scaled("620200"), vec![100.0, 60.0, 60.0, 100.0, 100.0, 100.0]);
        assert_eq!(scaled("620300"), vec![100.0, 100.0, 100.0, 100.0, 100.0, 60.0]);
    }

    #[test]
    fn all_equal_regions_score_100_and_rank_by_code() {
        let regions = by_funds(&[("620300", 5.0), ("620100", 5.0), ("620200", 5.0)]);
        let items = evaluate(&spec(), &regions, &regions);
        // Funds, signed investment and the 亿元 count are equal (100); the three nulls score 60.
        assert!(items.iter().all(|item| item.score == 0.30 * 100.0 + 0.45 * 60.0 + 0.25 * 100.0));
        assert_eq!(items.iter().map(|i| i.region.as_str()).collect::<Vec<_>>(), ["620100", "620200", "620300"]);
        assert!(items.iter().all(|item| item.rank == item.previous_rank));
        assert!(items.iter().all(|item| item.awards == [Award::Contribution]));
    }

    #[test]
    fn equal_scores_tie_despite_float_noise_and_go_by_code() {
        // 0.1 + 0.2 differs from 0.3 in the last bit; the scores must still tie.
        let regions = vec![
            region("620200", [Some(0.1 + 0.2), None, None, None, None, None]),
            region("620100", [Some(0.3), None, None, None, None, None]),
            region("620300", [Some(0.0), None, None, None, None, None]),
        ];
        let ranked = rank(&spec(), &regions);
        assert_eq!(ranked.iter().map(|s| s.region.as_str()).collect::<Vec<_>>(), ["620100", "620200", "620300"]);
    }

    #[test]
    fn scores_round_half_up_to_two_decimals_but_rank_unrounded() {
        // Funds 0, 1, x: the middle region's funds scale to 60 + 40 × 1/3.
        let regions = by_funds(&[("620100", 0.0), ("620200", 1.0), ("620300", 3.0)]);
        let items = evaluate(&spec(), &regions, &regions);
        let middle = items.iter().find(|i| i.region == "620200").unwrap();
        let unrounded = 0.30 * (60.0 + 40.0 / 3.0) + 0.45 * 60.0 + 0.25 * 100.0;
        assert!((middle.unrounded_score - unrounded).abs() < 1e-9);
        assert_eq!(middle.score, 74.0);
        assert_eq!(round_half_up(unrounded, 2), 74.0);
        let json = serde_json::to_value(middle).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"region": "620200", "name": "地区620200", "score": 74.0, "rank": 2, "previous_rank": 2, "awards": ["贡献奖"]})
        );
    }

    #[test]
    fn progress_goes_to_the_three_others_that_rose_most() {
        // Last quarter: 1..8 by code. This quarter, the funds reorder them.
        let previous = by_funds(&[
            ("620100", 8.0),
            ("620200", 7.0),
            ("620300", 6.0),
            ("620400", 5.0),
            ("620500", 4.0),
            ("620600", 3.0),
            ("620700", 2.0),
            ("620800", 1.0),
        ]);
        // Now 620800 (8th before) comes first: it rose most, but it is in the top three.
        let current = by_funds(&[
            ("620800", 9.0),
            ("620100", 8.0),
            ("620200", 7.0),
            ("620700", 6.0),
            ("620600", 5.0),
            ("620300", 4.0),
            ("620500", 3.0),
            ("620400", 2.0),
        ]);
        let items = evaluate(&spec(), &current, &previous);
        let order: Vec<(&str, u32, u32)> = items.iter().map(|i| (i.region.as_str(), i.rank, i.previous_rank)).collect();
        assert_eq!(
            order,
            [
                ("620800", 1, 8),
                ("620100", 2, 1),
                ("620200", 3, 2),
                ("620700", 4, 7),
                ("620600", 5, 6),
                ("620300", 6, 3),
                ("620500", 7, 5),
                ("620400", 8, 4),
            ]
        );
        assert_eq!(awards_of(&items, "620800"), [Award::Contribution], "a top-3 riser takes no 进步奖");
        assert_eq!(awards_of(&items, "620100"), [Award::Contribution]);
        assert_eq!(awards_of(&items, "620700"), [Award::Progress]);
        assert_eq!(awards_of(&items, "620600"), [Award::Progress]);
        // Only two others rose: nobody that fell or stayed gets the third.
        for code in ["620300", "620500", "620400"] {
            assert!(awards_of(&items, code).is_empty(), "{code} did not rise");
        }
    }

    #[test]
    fn equal_rises_go_to_the_higher_score_then_the_code() {
        // Previous ranks 4..9 for six regions below a top three that stays.
        let previous = by_funds(&[
            ("620100", 100.0),
            ("620200", 99.0),
            ("620300", 98.0),
            ("620400", 10.0),
            ("620500", 9.0),
            ("620600", 8.0),
            ("620700", 7.0),
            ("620800", 6.0),
            ("620900", 5.0),
        ]);
        // Each of 620500…620900 rises one place as 620400 falls to 9th: the equal rises go
        // to the higher scores, 620500, 620600 and 620700.
        let current = by_funds(&[
            ("620100", 100.0),
            ("620200", 99.0),
            ("620300", 98.0),
            ("620400", 1.0),
            ("620500", 9.0),
            ("620600", 8.0),
            ("620700", 7.0),
            ("620800", 6.0),
            ("620900", 6.0),
        ]);
        let items = evaluate(&spec(), &current, &previous);
        let rises: Vec<(&str, i64)> = items.iter().map(|i| (i.region.as_str(), i.rise())).collect();
        assert_eq!(
            rises,
            [
                ("620100", 0),
                ("620200", 0),
                ("620300", 0),
                ("620500", 1),
                ("620600", 1),
                ("620700", 1),
                ("620800", 1),
                ("620900", 1),
                ("620400", -5),
            ]
        );
        let progress: Vec<&str> =
            items.iter().filter(|i| i.awards.contains(&Award::Progress)).map(|i| i.region.as_str()).collect();
        assert_eq!(progress, ["620500", "620600", "620700"]);

        // Equal rises and equal scores: the smaller codes win.
        let previous = by_funds(&[
            ("620100", 100.0),
            ("620200", 99.0),
            ("620300", 98.0),
            ("620400", 10.0),
            ("620500", 9.0),
            ("620600", 8.0),
            ("620700", 7.0),
            ("620800", 6.0),
        ]);
        let current = by_funds(&[
            ("620100", 100.0),
            ("620200", 99.0),
            ("620300", 98.0),
            ("620400", 1.0),
            ("620500", 5.0),
            ("620600", 5.0),
            ("620700", 5.0),
            ("620800", 5.0),
        ]);
        let items = evaluate(&spec(), &current, &previous);
        assert!(items[3..7].iter().all(|i| i.rise() == 1 && i.score == items[3].score));
        let progress: Vec<&str> =
            items.iter().filter(|i| i.awards.contains(&Award::Progress)).map(|i| i.region.as_str()).collect();
        assert_eq!(progress, ["620500", "620600", "620700"]);
    }

    #[test]
    fn no_regions_no_items_and_few_regions_all_contribute() {
        assert!(evaluate(&spec(), &[], &[]).is_empty());
        let two = by_funds(&[("620100", 1.0), ("620200", 2.0)]);
        let items = evaluate(&spec(), &two, &two);
        assert!(items.iter().all(|i| i.awards == [Award::Contribution]));
    }

    #[test]
    fn indicator_values_come_from_the_metrics_report() {
        use crate::metrics::{InvestmentFigures, InvestmentReport};
        let current = InvestmentFigures {
            signed_count: 2,
            signed_investment: Yuan::parse_wan("12345.6789").unwrap(),
            over_100m_count: 1,
            started_count: 1,
            funds_in_place: Yuan::from_wan(300),
            ..Default::default()
        };
        let previous = InvestmentFigures { funds_in_place: Yuan::from_wan(200), ..Default::default() };
        let period = Quarter::new(2024, 2).unwrap().year_to_end();
        let report = InvestmentReport::assemble(
            "620100",
            period,
            &current,
            &previous,
            Yuan::from_wan(300),
            Some(Yuan::from_wan(1200)),
        );
        let values = RegionIndicators::from_figures("兰州市", &spec(), &RegionFigures::of(&report)).values;
        assert_eq!(values, [Some(300.0), Some(0.5), Some(0.25), Some(12345.6789), Some(1.0), Some(0.5)]);
        let empty =
            InvestmentReport::assemble("620200", period, &previous, &InvestmentFigures::default(), Yuan::ZERO, None);
        assert_eq!(
            RegionIndicators::from_figures("嘉峪关市", &spec(), &RegionFigures::of(&empty)).values,
            [Some(200.0), None, None, Some(0.0), Some(0.0), None]
        );
    }

    fn indicators(region: &str, values: [Option<f64>; 6]) -> RegionIndicators {
        RegionIndicators { region: region.into(), name: region.into(), values: values.to_vec() }
    }

    #[test]
    fn rank_intervals_hold_the_default_rank_and_repeat_with_the_seed() {
        let regions = vec![
            indicators("620100", [Some(900.0), Some(0.5), Some(0.9), Some(800.0), Some(9.0), Some(0.9)]),
            indicators("620200", [Some(500.0), Some(0.9), Some(0.2), Some(300.0), Some(2.0), Some(0.4)]),
            indicators("620300", [Some(480.0), Some(0.1), Some(0.7), Some(350.0), Some(3.0), Some(0.5)]),
            indicators("620400", [Some(100.0), None, None, Some(50.0), Some(0.0), None]),
        ];
        let intervals = rank_intervals(&spec(), &regions, SENSITIVITY_DRAWS, SENSITIVITY_SPREAD, 7);
        let ranked = rank(&spec(), &regions);
        assert_eq!(
            intervals.iter().map(|i| (i.region.as_str(), i.rank)).collect::<Vec<_>>(),
            ranked.iter().map(|s| (s.region.as_str(), s.rank)).collect::<Vec<_>>()
        );
        for interval in &intervals {
            assert!(interval.best <= interval.median && interval.median <= interval.worst, "{interval:?}");
            assert!(interval.best <= interval.rank && interval.rank <= interval.worst, "{interval:?}");
        }
        assert_eq!((intervals[0].best, intervals[0].worst), (1, 1), "best on nearly everything");
        assert_eq!((intervals[3].best, intervals[3].worst), (4, 4), "last on everything");
        let middle: Vec<(u32, u32)> = intervals[1..3].iter().map(|i| (i.best, i.worst)).collect();
        assert_eq!(middle, [(2, 3), (2, 3)], "the close pair swaps under the weights");
        assert_eq!(rank_intervals(&spec(), &regions, SENSITIVITY_DRAWS, SENSITIVITY_SPREAD, 7), intervals, "seeded");
        let fixed = rank_intervals(&spec(), &regions, 50, 0.0, 1);
        assert!(fixed.iter().all(|i| i.best == i.rank && i.worst == i.rank), "no spread, no movement");
        assert!(rank_intervals(&spec(), &regions, 0, 0.2, 1).iter().all(|i| i.best == i.rank && i.worst == i.rank));
    }
}
