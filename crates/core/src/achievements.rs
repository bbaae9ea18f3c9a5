//! The S&T achievement pool (科技成果转化池, SPEC area 8): the vocabularies of the registry,
//! the conflict-of-interest rule of reviews (institutions matched by normalised name) and
//! the selection of `zhaoshang pool select`.
//!
//! Selection is exact. A score is kept in hundredths and a weight in ten-thousandths, so
//! a composite is a fraction of integers and two achievements are compared by cross
//! multiplication: a tie of composites is a true tie, decided by the technical score and
//! then the code, never by float noise. The technical score that breaks a tie is the mean
//! technical score of the same reviews the composite counts (the trimmed set when the
//! achievement has five or more reviews), so both figures speak of the same reviewers.
//! When several reviews share the highest (or lowest) composite, the one dropped is the
//! one with the highest (lowest) technical score among them: reviews are ordered by
//! composite, then technical score. (The composite is the same either way; only the
//! tie-break could differ.)

use crate::money::parse_scaled;
use std::cmp::Ordering;
use std::collections::HashMap;

crate::vocabulary! {
    /// 成熟度: the stage the achievement has reached on the way to production.
    pub enum Maturity {
        Laboratory => ("laboratory", "实验室阶段"),
        SmallPilot => ("small_pilot", "小试阶段"),
        Pilot => ("pilot", "中试阶段"),
        Industrial => ("industrial", "产业化阶段"),
    }
}

impl Maturity {
    /// From the key, the label, or the label without 阶段 (`中试`).
    pub fn parse(text: &str) -> Result<Maturity, String> {
        let text = text.trim();
        Maturity::ALL
            .iter()
            .copied()
            .find(|m| m.key() == text || m.label() == text || m.label().strip_suffix("阶段") == Some(text))
            .ok_or_else(|| {
                let labels: Vec<&str> = Maturity::ALL.iter().map(|m| m.label()).collect();
                format!("成熟度“{text}”无效，应为 {}", labels.join("、"))
            })
    }
}

/// The longest code, title and institution name accepted.
pub const CODE_MAX_CHARS: usize = 40;
pub const TITLE_MAX_CHARS: usize = 200;
pub const INSTITUTION_MAX_CHARS: usize = 100;

pub fn check_code(code: &str) -> Result<(), String> {
    if code.is_empty() {
        Err("成果编号不能为空".into())
    } else if code.chars().count() > CODE_MAX_CHARS {
        Err(format!("成果编号不能超过{CODE_MAX_CHARS}个字符"))
    } else if code.chars().any(char::is_whitespace) {
        Err(format!("成果编号“{code}”不能含空格"))
    } else {
        Ok(())
    }
}

/// A required text of at most `max` characters, named `what` in the message.
pub fn check_text(what: &str, text: &str, max: usize) -> Result<(), String> {
    if text.is_empty() {
        Err(format!("{what}不能为空"))
    } else if text.chars().count() > max {
        Err(format!("{what}不能超过{max}个字"))
    } else {
        Ok(())
    }
}

/// Legal-form words an institution's name may or may not carry (`兰州某某有限公司` and
/// `兰州某某` are one institution), longest first.
const LEGAL_SUFFIXES: [&str; 5] = ["股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "公司"];

/// Abbreviations written for the same words, folded to one form.
const ABBREVIATIONS: [(&str, &str); 2] = [("中国科学院", "中科院"), ("中国工程院", "中工院")];

/// The name of an institution as compared for conflicts of interest: full-width letters,
/// digits and punctuation made half-width, spaces and separators dropped, brackets
/// unified, ASCII lowercased, 中国科学院 written 中科院, and a trailing legal form
/// (有限公司, 股份有限公司 …) removed. Two names with the same key are one institution.
pub fn institution_key(name: &str) -> String {
    let folded: String = name
        .chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '【' | '〔' => '(',
            '】' | '〕' => ')',
            _ => c,
        })
        .map(|c| match c {
            '[' => '(',
            ']' => ')',
            _ => c.to_ascii_lowercase(),
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '-' | '—' | '_' | '.' | '、' | '"' | '“' | '”'))
        .collect();
    let mut key = folded;
    for (long, short) in ABBREVIATIONS {
        key = key.replace(long, short);
    }
    match LEGAL_SUFFIXES.iter().find_map(|suffix| key.strip_suffix(suffix)) {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => key,
    }
}

/// Whether two institution names name the same institution.
pub fn same_institution(a: &str, b: &str) -> bool {
    let (a, b) = (institution_key(a), institution_key(b));
    !a.is_empty() && a == b
}

/// Whether two institutions, each a name and a credit code (empty when unknown), are one:
/// the same credit code, or the same normalised name. Credit codes catch what names
/// cannot (a renamed institution, a name written two ways the key does not fold).
pub fn one_institution(a: (&str, &str), b: (&str, &str)) -> bool {
    let code = |c: &str| c.trim().to_ascii_uppercase();
    (!code(a.1).is_empty() && code(a.1) == code(b.1)) || same_institution(a.0, b.0)
}

/// A score from 0 to 100 in hundredths (85.5 is 8550): exact, at most two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(pub i64);

impl Score {
    pub const MAX: Score = Score(10_000);

    /// "85", "85.5", "92.25" (also "85分"); refused outside 0–100 or with more decimals.
    pub fn parse(text: &str) -> Result<Score, String> {
        let text = text.trim();
        let bare = text.strip_suffix('分').unwrap_or(text);
        match parse_scaled(bare, 2) {
            Ok(value) if (0..=Score::MAX.0).contains(&value.0) => Ok(Score(value.0)),
            _ => Err(format!("评分“{text}”应为 0 至 100 之间的数，最多两位小数")),
        }
    }

    /// As written back: "85", "85.5", "92.25".
    pub fn text(self) -> String {
        let (whole, cents) = (self.0 / 100, self.0 % 100);
        match cents {
            0 => whole.to_string(),
            c if c % 10 == 0 => format!("{whole}.{}", c / 10),
            c => format!("{whole}.{c:02}"),
        }
    }

    pub fn value(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

/// One reviewer's three scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scores {
    pub market: Score,
    pub economic: Score,
    pub technical: Score,
}

/// An exact non-negative fraction, compared by cross multiplication.
#[derive(Debug, Clone, Copy)]
pub struct Exact {
    pub numerator: i128,
    pub denominator: i128,
}

impl Exact {
    fn new(numerator: i128, denominator: i128) -> Exact {
        debug_assert!(denominator > 0);
        Exact { numerator, denominator }
    }

    /// The nearest f64 (for display and charts).
    pub fn value(self) -> f64 {
        self.numerator as f64 / self.denominator as f64
    }

    /// Rounded half up to two decimals, exactly (then as the nearest f64): what
    /// `pool select` prints and the pages show, as `stats chambers` does for scores.
    pub fn rounded_2(self) -> f64 {
        let hundredths = (self.numerator * 200 + self.denominator) / (self.denominator * 2);
        hundredths as f64 / 100.0
    }
}

impl PartialEq for Exact {
    fn eq(&self, other: &Exact) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Exact {}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Exact) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Exact) -> Ordering {
        (self.numerator * other.denominator).cmp(&(other.numerator * self.denominator))
    }
}

/// The weights of market potential, economic value and technical content in a review's
/// composite, in ten-thousandths; equal by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights(pub [i64; 3]);

impl Weights {
    pub const EQUAL: Weights = Weights([1, 1, 1]);

    /// "0.3,0.3,0.4" (or separated by spaces, ；、): three non-negative decimals of at most
    /// four places, not all zero; they need not add up to 1 (the composite divides by
    /// their sum).
    pub fn parse(text: &str) -> Result<Weights, String> {
        let bad = || format!("权重“{text}”无效，应为三个不小于0的小数（市场潜力,经济价值,技术含量），如 0.3,0.3,0.4");
        let parts: Vec<&str> = text.split([',', '，', ';', '；', '、', ' ']).filter(|p| !p.is_empty()).collect();
        let [market, economic, technical] = parts.as_slice() else { return Err(bad()) };
        let mut weights = [0; 3];
        for (weight, part) in weights.iter_mut().zip([market, economic, technical]) {
            *weight =
                parse_scaled(part, 4).ok().map(|v| v.0).filter(|v| (0..=100_000_000).contains(v)).ok_or_else(bad)?;
        }
        if weights.iter().all(|w| *w == 0) {
            return Err(bad());
        }
        Ok(Weights(weights))
    }

    fn total(self) -> i128 {
        self.0.iter().map(|w| *w as i128).sum()
    }

    /// Σ weight × score of one review: its composite times the weights' total.
    fn weighted(self, scores: &Scores) -> i128 {
        let [m, e, t] = self.0.map(i128::from);
        m * scores.market.0 as i128 + e * scores.economic.0 as i128 + t * scores.technical.0 as i128
    }

    /// A review's composite: the weighted mean of its three scores (in hundredths).
    pub fn composite(self, scores: &Scores) -> Exact {
        Exact::new(self.weighted(scores), self.total() * 100)
    }
}

impl Default for Weights {
    fn default() -> Weights {
        Weights::EQUAL
    }
}

/// At five reviews or more the single highest and lowest composites are dropped.
pub const TRIM_FROM: usize = 5;

/// Reviewers disagree strongly when their composites span more than this many points.
pub const STRONG_DISAGREEMENT: f64 = 30.0;

/// An achievement's reviews summed up: the composite (trimmed mean), the mean technical
/// score of the same reviews, each dimension's mean over them, and the spread of all
/// reviews' composites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregate {
    pub composite: Exact,
    pub technical: Exact,
    pub market: Exact,
    pub economic: Exact,
    /// Reviews in total, and reviews the means count.
    pub reviews: usize,
    pub counted: usize,
    /// Highest minus lowest composite over every review.
    pub spread: Exact,
}

impl Aggregate {
    pub fn disagrees_strongly(&self) -> bool {
        self.spread.value() > STRONG_DISAGREEMENT
    }
}

/// The positions of the lowest and the highest of reviews given as (weighted composite,
/// technical score): among equal composites the technical score orders, so that the
/// review dropped as the lowest (highest) is also the lowest (highest) in technical
/// content. `keys` is not empty.
fn lowest_and_highest(keys: &[(i128, i64)]) -> (usize, usize) {
    let (mut lowest, mut highest) = (0, 0);
    for (index, key) in keys.iter().enumerate().skip(1) {
        if *key < keys[lowest] {
            lowest = index;
        }
        if *key >= keys[highest] {
            highest = index;
        }
    }
    (lowest, highest)
}

/// The reviews the means count: all of them, or at five and more all but the lowest
/// and the highest.
fn counted(keys: &[(i128, i64)]) -> impl Iterator<Item = usize> {
    let dropped = match keys.len() >= TRIM_FROM {
        true => Some(lowest_and_highest(keys)),
        false => None,
    };
    (0..keys.len()).filter(move |&i| dropped.is_none_or(|(low, high)| i != low && i != high))
}

/// Aggregates an achievement's reviews; `None` without reviews (it is not ranked).
pub fn aggregate(reviews: &[Scores], weights: Weights) -> Option<Aggregate> {
    if reviews.is_empty() {
        return None;
    }
    // All composites share the denominator, so their numerators order them.
    let keys: Vec<(i128, i64)> = reviews.iter().map(|r| (weights.weighted(r), r.technical.0)).collect();
    let kept: Vec<usize> = counted(&keys).collect();
    let count = kept.len() as i128;
    let sum = |score: fn(&Scores) -> Score| -> i128 { kept.iter().map(|&i| score(&reviews[i]).0 as i128).sum() };
    let mean = |sum: i128| Exact::new(sum, count * 100);
    let total = weights.total() * 100;
    let (lowest, highest) = lowest_and_highest(&keys);
    Some(Aggregate {
        composite: Exact::new(kept.iter().map(|&i| keys[i].0).sum(), total * count),
        technical: mean(sum(|r| r.technical)),
        market: mean(sum(|r| r.market)),
        economic: mean(sum(|r| r.economic)),
        reviews: reviews.len(),
        counted: kept.len(),
        spread: Exact::new(keys[highest].0 - keys[lowest].0, total),
    })
}

/// The share of the registered achievements that enters the pool, in (0, 1], exact to
/// four decimals (0.2 is 2000/10000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio(i64);

impl Ratio {
    pub const DEFAULT: Ratio = Ratio(2_000);
    const SCALE: i64 = 10_000;

    pub fn parse(text: &str) -> Result<Ratio, String> {
        match parse_scaled(text, 4) {
            Ok(value) if value.0 > 0 && value.0 <= Ratio::SCALE => Ok(Ratio(value.0)),
            _ => Err(format!("入池比例“{}”无效，应为大于0且不大于1的小数，如 0.2", text.trim())),
        }
    }

    /// ⌊ratio × registered⌋, exactly.
    pub fn of(self, registered: usize) -> usize {
        (self.0 as i128 * registered as i128 / Ratio::SCALE as i128) as usize
    }

    pub fn value(self) -> f64 {
        self.0 as f64 / Ratio::SCALE as f64
    }
}

impl Default for Ratio {
    fn default() -> Ratio {
        Ratio::DEFAULT
    }
}

/// A registered achievement of the year with its reviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub code: String,
    pub industry: String,
    pub reviews: Vec<Scores>,
}

/// A ranked achievement: its place among all reviewed ones (from 1) and, when selected,
/// its rank among the selected of its industry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub code: String,
    pub industry: String,
    pub aggregate: Aggregate,
    pub rank: usize,
    pub rank_in_industry: Option<usize>,
}

/// A year's selection: every reviewed achievement best first, the first `selected` of
/// them in the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub registered: usize,
    pub ranked: Vec<Ranked>,
    pub selected: usize,
}

impl Selection {
    pub fn pool(&self) -> &[Ranked] {
        &self.ranked[..self.selected]
    }
}

/// Best first: the higher composite, then the higher technical score, then the smaller
/// code (or anything that orders as the code does), each given as (composite, technical,
/// code).
fn best_first<F: Ord, C: Ord>(a: (&F, &F, C), b: (&F, &F, C)) -> Ordering {
    b.0.cmp(a.0).then_with(|| b.1.cmp(a.1)).then_with(|| a.2.cmp(&b.2))
}

/// SPEC's `pool select`: of the `registered` achievements of a year, those with reviews
/// are ranked; the best ⌊ratio × registered⌋ enter the pool (at least one when any has a
/// review, at most those ranked), each with its rank within its industry.
pub fn select(registered: usize, candidates: Vec<Candidate>, ratio: Ratio, weights: Weights) -> Selection {
    let mut ranked: Vec<Ranked> = candidates
        .into_iter()
        .filter_map(|c| {
            let aggregate = aggregate(&c.reviews, weights)?;
            Some(Ranked { code: c.code, industry: c.industry, aggregate, rank: 0, rank_in_industry: None })
        })
        .collect();
    fn key(r: &Ranked) -> (&Exact, &Exact, &String) {
        (&r.aggregate.composite, &r.aggregate.technical, &r.code)
    }
    ranked.sort_by(|a, b| best_first(key(a), key(b)));
    let selected = if ranked.is_empty() { 0 } else { ratio.of(registered).clamp(1, ranked.len()) };
    let mut per_industry: HashMap<String, usize> = HashMap::new();
    for (index, item) in ranked.iter_mut().enumerate() {
        item.rank = index + 1;
        if index < selected {
            let count = per_industry.entry(item.industry.clone()).or_default();
            *count += 1;
            item.rank_in_industry = Some(*count);
        }
    }
    Selection { registered, ranked, selected }
}

/// Resamples of the rank intervals, and their seed: fixed, so a page shows the same
/// intervals every time it is opened.
pub const RESAMPLES: usize = 200;
pub const RESAMPLE_SEED: u64 = 20_230_101;

/// The ranks an achievement takes in the middle 90% of the resamples (5th to 95th
/// percentile), best rank first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankInterval {
    pub best: usize,
    pub worst: usize,
}

impl RankInterval {
    /// Whether the interval reaches across the pool's cut: in one resample or another the
    /// achievement is in, in another out (one more review would settle it).
    pub fn crosses(&self, selected: usize) -> bool {
        self.best <= selected && self.worst > selected
    }
}

/// Each reviewed achievement's rank interval (by code) under a bootstrap of its reviews:
/// in each of `resamples` rounds every achievement's reviews are drawn again with
/// replacement (as many as it has), the composite and technical score recomputed by
/// SPEC's rule (`aggregate`) and all achievements ranked as `select` ranks them. The
/// random draws come from `seed` alone (taken by the achievements in code order, each
/// among its reviews in the order given), so the result is reproducible whatever order
/// the candidates come in.
pub fn rank_intervals(
    candidates: &[Candidate],
    weights: Weights,
    resamples: usize,
    seed: u64,
) -> HashMap<String, RankInterval> {
    use rand::{Rng, SeedableRng};
    let mut reviewed: Vec<&Candidate> = candidates.iter().filter(|c| !c.reviews.is_empty()).collect();
    if reviewed.is_empty() || resamples == 0 {
        return HashMap::new();
    }
    // In code order, so that the last tie-break, the code, is the index.
    reviewed.sort_by(|a, b| a.code.cmp(&b.code));
    // Each review's (weighted composite, technical score), once; a resample draws among them.
    let keys: Vec<Vec<(i128, i64)>> =
        reviewed.iter().map(|c| c.reviews.iter().map(|r| (weights.weighted(r), r.technical.0)).collect()).collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut ranks: Vec<Vec<usize>> = vec![Vec::with_capacity(resamples); reviewed.len()];
    let mut drawn: Vec<(i128, i64)> = Vec::new();
    // Per achievement: Σ composite numerators and Σ technical scores of the counted
    // reviews, and their count. Its composite and technical mean are these sums over the
    // count (the weights' total is common to all), compared by cross multiplication.
    let mut sums: Vec<(i128, i128, i128, usize)> = Vec::with_capacity(reviewed.len());
    for _ in 0..resamples {
        sums.clear();
        for (index, keys) in keys.iter().enumerate() {
            drawn.clear();
            drawn.extend((0..keys.len()).map(|_| keys[rng.gen_range(0..keys.len())]));
            let (mut composite, mut technical, mut count) = (0, 0, 0);
            for i in counted(&drawn) {
                composite += drawn[i].0;
                technical += drawn[i].1 as i128;
                count += 1;
            }
            sums.push((composite, technical, count, index));
        }
        sums.sort_unstable_by(|a, b| {
            let (a_composite, b_composite) = (a.0 * b.2, b.0 * a.2);
            let (a_technical, b_technical) = (a.1 * b.2, b.1 * a.2);
            best_first((&a_composite, &a_technical, a.3), (&b_composite, &b_technical, b.3))
        });
        for (place, &(_, _, _, index)) in sums.iter().enumerate() {
            ranks[index].push(place + 1);
        }
    }
    let (low, high) = ((resamples - 1) * 5 / 100, ((resamples - 1) * 95).div_ceil(100));
    reviewed
        .iter()
        .zip(ranks)
        .map(|(candidate, mut ranks)| {
            ranks.sort_unstable();
            (candidate.code.clone(), RankInterval { best: ranks[low], worst: ranks[high] })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(market: i64, economic: i64, technical: i64) -> Scores {
        Scores { market: Score(market * 100), economic: Score(economic * 100), technical: Score(technical * 100) }
    }

    fn candidate(code: &str, industry: &str, reviews: Vec<Scores>) -> Candidate {
        Candidate { code: code.into(), industry: industry.into(), reviews }
    }

    fn codes(selection: &Selection) -> Vec<&str> {
        selection.pool().iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn scores_parse_exactly_within_0_to_100() {
        assert_eq!(Score::parse("85"), Ok(Score(8500)));
        assert_eq!(Score::parse(" 92.25 "), Ok(Score(9225)));
        assert_eq!(Score::parse("100分"), Ok(Score(10000)));
        assert_eq!(Score::parse("0"), Ok(Score(0)));
        for bad in ["101", "-1", "85.125", "优", ""] {
            assert!(Score::parse(bad).unwrap_err().contains("0 至 100"), "{bad}");
        }
        assert_eq!(
            [Score(8500).text(), Score(8550).text(), Score(9225).text(), Score(5).text()],
            ["85", "85.5", "92.25", "0.05"]
        );
    }

    #[test]
    fn a_review_composite_is_the_weighted_mean() {
        assert_eq!(Weights::EQUAL.composite(&s(90, 60, 75)).value(), 75.0);
        let weights = Weights::parse("0.3,0.3,0.4").unwrap();
        assert_eq!(weights.composite(&s(90, 60, 75)).rounded_2(), 75.0); // 27 + 18 + 30
        let technical_only = Weights::parse("0 0 1").unwrap();
        assert_eq!(technical_only.composite(&s(90, 60, 70)).value(), 70.0);
        // Weights need not add up to 1: 2,1,1 is 0.5,0.25,0.25.
        assert_eq!(Weights::parse("2，1，1").unwrap().composite(&s(80, 40, 40)).value(), 60.0);
        for bad in ["0,0,0", "0.3,0.3", "a,b,c", "-1,1,1", "0.12345,1,1"] {
            assert!(Weights::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_mean_is_trimmed_from_five_reviews() {
        let four = [s(100, 100, 100), s(60, 60, 60), s(70, 70, 70), s(80, 80, 80)];
        assert_eq!(aggregate(&four, Weights::EQUAL).unwrap().composite.value(), 77.5, "four: plain mean");
        let mut five = four.to_vec();
        five.push(s(0, 0, 0));
        let trimmed = aggregate(&five, Weights::EQUAL).unwrap();
        assert_eq!(trimmed.composite.value(), 70.0, "drops 100 and 0: mean of 60, 70, 80");
        assert_eq!((trimmed.reviews, trimmed.counted), (5, 3));
        assert_eq!(trimmed.spread.value(), 100.0, "the spread is over every review");
        assert!(trimmed.disagrees_strongly());
        // Only one of two equal highest composites is dropped.
        let equal_tops = [s(90, 90, 90), s(90, 90, 90), s(50, 50, 50), s(60, 60, 60), s(70, 70, 70)];
        assert_eq!(aggregate(&equal_tops, Weights::EQUAL).unwrap().composite.rounded_2(), 73.33);
    }

    #[test]
    fn the_technical_tie_break_counts_the_same_reviews() {
        // Composites 90 (dropped), 80, 80, 80, 10 (dropped): the technical mean is over the three kept.
        let reviews = [s(90, 90, 90), s(70, 80, 90), s(80, 80, 80), s(90, 80, 70), s(10, 10, 10)];
        let a = aggregate(&reviews, Weights::EQUAL).unwrap();
        assert_eq!((a.composite.value(), a.technical.value()), (80.0, 80.0));
        assert_eq!((a.market.value(), a.economic.value()), (80.0, 80.0));
    }

    #[test]
    fn of_equal_extreme_composites_the_technical_extreme_is_dropped() {
        // The two lowest share composite 60: the one with technical 50 is dropped, not the one with 70.
        let reviews = [s(60, 70, 50), s(60, 50, 70), s(80, 80, 80), s(80, 80, 80), s(90, 90, 90)];
        let a = aggregate(&reviews, Weights::EQUAL).unwrap();
        assert_eq!(a.composite.rounded_2(), 73.33, "(60 + 80 + 80) / 3");
        assert_eq!(a.technical.rounded_2(), 76.67, "(70 + 80 + 80) / 3: the technical 50 was dropped");
    }

    #[test]
    fn ties_go_to_technical_then_code() {
        let selection = select(
            10,
            vec![
                candidate("C-3", "35", vec![s(80, 80, 80)]),
                candidate("C-2", "35", vec![s(90, 80, 70)]),
                candidate("C-1", "35", vec![s(70, 80, 90)]),
                candidate("C-0", "35", vec![s(80, 80, 80)]),
            ],
            Ratio::parse("0.4").unwrap(),
            Weights::EQUAL,
        );
        let order: Vec<&str> = selection.ranked.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(order, ["C-1", "C-0", "C-3", "C-2"], "all composite 80: technical 90, 80, 80, 70; then code");
        assert_eq!(codes(&selection), ["C-1", "C-0", "C-3", "C-2"]);
        assert_eq!(selection.ranked.iter().map(|r| r.rank).collect::<Vec<_>>(), [1, 2, 3, 4]);
    }

    #[test]
    fn ties_are_exact_where_floats_would_differ() {
        // 0.7 × 45 and 0.2 × 35 + 0.7 × 35 are both 31.5, but not in floats.
        let (w, a, b) = ([0.1, 0.2, 0.7], [0.0, 0.0, 45.0], [0.0, 35.0, 35.0]);
        let float = |s: [f64; 3]| w[0] * s[0] + w[1] * s[1] + w[2] * s[2];
        assert_ne!(float(a), float(b), "floats would order these two");
        let weights = Weights::parse("0.1,0.2,0.7").unwrap();
        let (exact_a, exact_b) = (weights.composite(&s(0, 0, 45)), weights.composite(&s(0, 35, 35)));
        assert_eq!(exact_a, exact_b);
        assert_eq!(exact_a.rounded_2(), 31.5);
        let selection = select(
            5,
            vec![candidate("B", "13", vec![s(0, 35, 35)]), candidate("A", "13", vec![s(0, 0, 45)])],
            Ratio::DEFAULT,
            weights,
        );
        assert_eq!(codes(&selection), ["A"], "a true tie: technical 45 beats 35");
    }

    #[test]
    fn the_pool_takes_the_floor_of_ratio_times_registered() {
        let candidates: Vec<Candidate> =
            (0..7).map(|i| candidate(&format!("A{i}"), "13", vec![s(50 + i, 50 + i, 50 + i)])).collect();
        let selection = select(7, candidates.clone(), Ratio::DEFAULT, Weights::EQUAL);
        assert_eq!(selection.selected, 1, "0.2 × 7 = 1.4 → 1");
        assert_eq!(codes(&selection), ["A6"]);
        assert_eq!(select(10, candidates.clone(), Ratio::DEFAULT, Weights::EQUAL).selected, 2);
        assert_eq!(select(4, candidates.clone(), Ratio::DEFAULT, Weights::EQUAL).selected, 1, "0.8 → at least one");
        assert_eq!(select(7, candidates.clone(), Ratio::parse("1").unwrap(), Weights::EQUAL).selected, 7);
        assert_eq!(select(100, candidates, Ratio::DEFAULT, Weights::EQUAL).selected, 7, "at most those ranked");
        assert_eq!(Ratio::parse("0.3").unwrap().of(10), 3, "exact: 0.3 × 10 is 3, not 2.9999");
        for bad in ["0", "1.5", "-0.2", "两成", "0.00001"] {
            assert!(Ratio::parse(bad).unwrap_err().contains("入池比例"), "{bad}");
        }
    }

    #[test]
    fn achievements_without_reviews_are_not_ranked() {
        let selection = select(
            5,
            vec![candidate("B", "13", vec![]), candidate("A", "13", vec![s(10, 10, 10)])],
            Ratio::DEFAULT,
            Weights::EQUAL,
        );
        assert_eq!(selection.ranked.len(), 1);
        assert_eq!(codes(&selection), ["A"], "one of five: the only reviewed one");
        let none = select(5, vec![candidate("B", "13", vec![])], Ratio::DEFAULT, Weights::EQUAL);
        assert!(none.ranked.is_empty() && none.pool().is_empty());
    }

    #[test]
    fn ranks_in_industry_count_the_selected_of_each_industry() {
        let selection = select(
            10,
            vec![
                candidate("A", "13", vec![s(95, 95, 95)]),
                candidate("B", "35", vec![s(90, 90, 90)]),
                candidate("C", "13", vec![s(85, 85, 85)]),
                candidate("D", "13", vec![s(80, 80, 80)]),
                candidate("E", "35", vec![s(10, 10, 10)]),
            ],
            Ratio::parse("0.3").unwrap(),
            Weights::EQUAL,
        );
        let pool: Vec<(&str, Option<usize>)> =
            selection.pool().iter().map(|r| (r.code.as_str(), r.rank_in_industry)).collect();
        assert_eq!(pool, [("A", Some(1)), ("B", Some(1)), ("C", Some(2))]);
        assert_eq!(selection.ranked[3].rank_in_industry, None, "D is ranked, not selected");
    }

    #[test]
    fn institutions_match_by_normalised_name() {
        assert!(same_institution("兰州大学", " 兰州 大学 "));
        assert!(same_institution("中国科学院兰州化学物理研究所", "中科院兰州化学物理研究所"));
        assert!(same_institution("甘肃ＡＢＣ科技有限公司", "甘肃abc科技"));
        assert!(same_institution("兰州某某股份有限公司", "兰州某某有限责任公司"));
        assert!(same_institution("甘肃（兰州）新材料研究院", "甘肃(兰州)新材料研究院"));
        assert!(!same_institution("兰州大学", "兰州理工大学"));
        assert!(!same_institution("", ""), "an unknown institution matches nothing");
        assert_eq!(institution_key("有限公司"), "有限公司", "a legal form alone is kept");
    }

    #[test]
    fn maturities_parse_labels_keys_and_short_forms() {
        assert_eq!(Maturity::parse("中试"), Ok(Maturity::Pilot));
        assert_eq!(Maturity::parse("产业化阶段"), Ok(Maturity::Industrial));
        assert_eq!(Maturity::parse("laboratory"), Ok(Maturity::Laboratory));
        assert!(Maturity::parse("快成了").unwrap_err().contains("中试阶段"));
    }

    /// A small deterministic generator (no dependency): xorshift.
    struct Generator(u64);

    impl Generator {
        fn next(&mut self, below: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % below
        }
    }

    /// The rule computed the obvious way, in decimals scaled by 10⁶ (exact for integer
    /// scores and the weights used): means of composites, sorted, cut.
    fn straightforward(registered: usize, candidates: &[Candidate], ratio_percent: i64, w: [i64; 3]) -> Vec<String> {
        let mut rows: Vec<(i128, i128, String)> = Vec::new();
        for c in candidates.iter().filter(|c| !c.reviews.is_empty()) {
            // Composite × weight total × 100, scaled by the common multiple 60 of the counts 1…6.
            let mut composites: Vec<(i128, i128)> = c
                .reviews
                .iter()
                .map(|r| {
                    let composite = (w[0] * r.market.0 + w[1] * r.economic.0 + w[2] * r.technical.0) as i128;
                    (composite, r.technical.0 as i128)
                })
                .collect();
            composites.sort();
            if composites.len() >= 5 {
                composites.remove(0);
                composites.pop();
            }
            let n = composites.len() as i128;
            let mean = composites.iter().map(|c| c.0).sum::<i128>() * 60 / n;
            let technical = composites.iter().map(|c| c.1).sum::<i128>() * 60 / n;
            rows.push((mean, technical, c.code.clone()));
        }
        rows.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut take = (registered as i64 * ratio_percent / 100) as usize;
        if !rows.is_empty() {
            take = take.clamp(1, rows.len());
        }
        rows.into_iter().take(take).map(|r| r.2).collect()
    }

    #[test]
    fn selection_matches_a_straightforward_computation_on_generated_data() {
        let mut g = Generator(0x5eed_2023);
        for round in 0..200 {
            let registered = 1 + g.next(60) as usize;
            let candidates: Vec<Candidate> = (0..registered)
                .map(|i| {
                    let reviews = (0..g.next(7))
                        .map(|_| {
                            // Coarse scores so that ties (composite and technical) happen often.
                            let score = |g: &mut Generator| Score(60_00 + g.next(5) as i64 * 10_00);
                            Scores { market: score(&mut g), economic: score(&mut g), technical: score(&mut g) }
                        })
                        .collect();
                    candidate(
                        &format!("K{:03}", g.next(1000) * 100 + i as u64),
                        &format!("{}", 13 + g.next(3)),
                        reviews,
                    )
                })
                .collect();
            let percent = 1 + g.next(100) as i64;
            let weights = [[1, 1, 1], [3, 3, 4], [1, 2, 7], [0, 0, 1]][g.next(4) as usize];
            let ratio = Ratio::parse(&format!("{}", percent as f64 / 100.0)).unwrap();
            let selection = select(registered, candidates.clone(), ratio, Weights(weights));
            assert_eq!(codes(&selection), straightforward(registered, &candidates, percent, weights), "round {round}");
            for item in selection.pool() {
                let above = selection.pool().iter().take_while(|other| other.code != item.code);
                let same_industry = above.filter(|other| other.industry == item.industry).count();
                assert_eq!(item.rank_in_industry, Some(same_industry + 1));
            }
        }
    }

    fn bootstrap_case(g: &mut Generator, count: usize) -> Vec<Candidate> {
        (0..count)
            .map(|i| {
                // Each achievement has its own level; its reviewers scatter around it.
                let level = 50 + g.next(40) as i64;
                let reviews = (0..3 + g.next(4))
                    .map(|_| {
                        let score = |g: &mut Generator| Score((level + g.next(11) as i64 - 5) * 100);
                        Scores { market: score(g), economic: score(g), technical: score(g) }
                    })
                    .collect();
                candidate(&format!("B{i:03}"), "13", reviews)
            })
            .collect()
    }

    #[test]
    fn identical_reviews_among_fixed_others_have_a_zero_width_interval() {
        let same = |level: i64, n: usize| vec![s(level, level, level); n];
        let candidates = vec![
            candidate("A", "13", same(90, 5)),
            candidate("B", "13", same(80, 3)),
            candidate("C", "13", same(70, 6)),
            candidate("D", "13", vec![]),
        ];
        let intervals = rank_intervals(&candidates, Weights::EQUAL, RESAMPLES, RESAMPLE_SEED);
        assert_eq!(intervals.len(), 3, "an achievement without reviews is not ranked");
        assert_eq!(intervals["A"], RankInterval { best: 1, worst: 1 });
        assert_eq!(intervals["B"], RankInterval { best: 2, worst: 2 });
        assert_eq!(intervals["C"], RankInterval { best: 3, worst: 3 });
        assert!(!intervals["B"].crosses(2) && !intervals["B"].crosses(1));
        // One achievement whose reviewers disagree moves; the fixed ones around it only by it.
        let mut varied = candidates.clone();
        varied[1].reviews = vec![s(95, 95, 95), s(60, 60, 60), s(85, 85, 85)];
        let intervals = rank_intervals(&varied, Weights::EQUAL, RESAMPLES, RESAMPLE_SEED);
        assert_eq!(intervals["B"], RankInterval { best: 1, worst: 3 });
        assert!(intervals["B"].crosses(2));
    }

    #[test]
    fn intervals_contain_the_actual_rank_and_depend_on_the_seed_only() {
        let mut g = Generator(0xb007);
        let candidates = bootstrap_case(&mut g, 60);
        let selection = select(candidates.len(), candidates.clone(), Ratio::DEFAULT, Weights::EQUAL);
        let intervals = rank_intervals(&candidates, Weights::EQUAL, RESAMPLES, RESAMPLE_SEED);
        for item in &selection.ranked {
            let interval = intervals[&item.code];
            assert!(interval.best <= item.rank && item.rank <= interval.worst, "{} {interval:?}", item.rank);
        }
        assert!(intervals.values().any(|i| i.worst > i.best), "reviews that differ make ranks move");
        assert_eq!(rank_intervals(&candidates, Weights::EQUAL, RESAMPLES, RESAMPLE_SEED), intervals);
        assert_ne!(rank_intervals(&candidates, Weights::EQUAL, RESAMPLES, RESAMPLE_SEED + 1), intervals);
        // The order the candidates come in (each backend's own) changes nothing.
        let mut reversed = candidates.clone();
        reversed.reverse();
        assert_eq!(rank_intervals(&reversed, Weights::EQUAL, RESAMPLES, RESAMPLE_SEED), intervals);
    }
}
