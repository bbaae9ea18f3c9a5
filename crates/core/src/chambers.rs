//! Chambers and associations (商协会, SPEC area 5): the vocabularies of the registry and
//! the yearly assessment (先进商会) of `zhaoshang stats chambers`.
//!
//! SPEC lists the kinds as "异地甘肃商会, 地方商会, 行业协会, 外商投资企业协会…": the four
//! named ones and the other kinds a bureau keeps (商会 of other provinces in the province,
//! chambers abroad) form a closed list ending in 其他, so that a list can be filtered by
//! kind and a misspelt kind is a bad row rather than a new kind.

use crate::regions::RegionCode;
use crate::scores::{
    best_first, efficacy_scaled, round_half_up, shown_weight, typed_weight_units, weighted_sum, WEIGHT_UNITS,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// The separator of the chambers named in an activity's 参与商会 cell, as stored and exported.
pub const NAME_SEPARATOR: &str = "、";

/// Splits a 参与商会 cell ("甲商会、乙商会;丙商会") into names, each once, in order.
pub fn split_names(cell: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in cell.split(['、', ';', '；', '\n']).map(str::trim).filter(|name| !name.is_empty()) {
        if !names.iter().any(|known| known == name) {
            names.push(name.to_string());
        }
    }
    names
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChamberKind {
    /// 甘肃商会 in another province (the seeds' 38).
    GansuAbroadInChina,
    Local,
    Industry,
    ForeignInvestment,
    /// Another province's chamber in the province (甘肃浙江商会).
    OtherProvince,
    Overseas,
    Other,
}

impl ChamberKind {
    pub const ALL: [ChamberKind; 7] = [
        ChamberKind::GansuAbroadInChina,
        ChamberKind::Local,
        ChamberKind::Industry,
        ChamberKind::ForeignInvestment,
        ChamberKind::OtherProvince,
        ChamberKind::Overseas,
        ChamberKind::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ChamberKind::GansuAbroadInChina => "gansu_elsewhere",
            ChamberKind::Local => "local",
            ChamberKind::Industry => "industry",
            ChamberKind::ForeignInvestment => "foreign_investment",
            ChamberKind::OtherProvince => "other_province",
            ChamberKind::Overseas => "overseas",
            ChamberKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChamberKind::GansuAbroadInChina => "异地甘肃商会",
            ChamberKind::Local => "地方商会",
            ChamberKind::Industry => "行业协会",
            ChamberKind::ForeignInvestment => "外商投资企业协会",
            ChamberKind::OtherProvince => "在甘异地商会",
            ChamberKind::Overseas => "境外商协会",
            ChamberKind::Other => "其他",
        }
    }

    /// From the key or the label (surrounding spaces ignored).
    pub fn parse(text: &str) -> Result<ChamberKind, String> {
        let text = text.trim();
        ChamberKind::ALL.into_iter().find(|kind| kind.key() == text || kind.label() == text).ok_or_else(|| {
            let labels: Vec<&str> = ChamberKind::ALL.iter().map(|kind| kind.label()).collect();
            format!("商会类型“{text}”无效，应为 {}", labels.join("、"))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChamberLevel {
    National,
    Provincial,
    City,
    County,
}

impl ChamberLevel {
    pub const ALL: [ChamberLevel; 4] =
        [ChamberLevel::National, ChamberLevel::Provincial, ChamberLevel::City, ChamberLevel::County];

    pub fn key(self) -> &'static str {
        match self {
            ChamberLevel::National => "national",
            ChamberLevel::Provincial => "provincial",
            ChamberLevel::City => "city",
            ChamberLevel::County => "county",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChamberLevel::National => "国家级",
            ChamberLevel::Provincial => "省级",
            ChamberLevel::City => "市级",
            ChamberLevel::County => "县级",
        }
    }

    pub fn parse(text: &str) -> Result<ChamberLevel, String> {
        let text = text.trim();
        ChamberLevel::ALL
            .into_iter()
            .find(|level| level.key() == text || level.label() == text)
            .ok_or_else(|| format!("级别“{text}”无效，应为 国家级、省级、市级 或 县级"))
    }
}

/// The word that opens a location abroad: `境外 新加坡`, `境外：新加坡`.
pub const ABROAD: &str = "境外";

/// Where a chamber sits: a division of China (its code; the name is resolved against
/// the divisions by the caller) or a place abroad, stored as `境外：PLACE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Division(String),
    Abroad(String),
}

impl Location {
    /// A location abroad from a cell, `None` when the cell does not start with 境外 (it
    /// then names a division); 境外 without a place is refused.
    pub fn parse_abroad(text: &str) -> Option<Result<Location, String>> {
        let place = text.trim().strip_prefix(ABROAD)?;
        let place = place.trim_start_matches([' ', '　', ':', '：', '·', '-', '—', '/', '（', '(']);
        let place = place.trim_end_matches([')', '）']).trim();
        Some(if place.is_empty() {
            Err("境外的所在地须写明国家或地区，如“境外：新加坡”".to_string())
        } else {
            Ok(Location::Abroad(place.to_string()))
        })
    }

    /// The stored (and exported) text: the division code, or `境外：PLACE`.
    pub fn stored(&self) -> String {
        match self {
            Location::Division(code) => code.clone(),
            Location::Abroad(place) => format!("{ABROAD}：{place}"),
        }
    }
}

/// Where the chambers of a registry are (the chambers page's map of China): how many in
/// each province (by its code), abroad by place, and without a location we can place.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LocationCounts {
    pub provinces: BTreeMap<String, i64>,
    pub abroad: BTreeMap<String, i64>,
    pub unplaced: i64,
}

impl LocationCounts {
    /// The counts from stored locations (a division code or `境外：PLACE`) and the number
    /// of chambers at each.
    pub fn of<'a>(locations: impl IntoIterator<Item = (&'a str, i64)>) -> LocationCounts {
        let mut counts = LocationCounts::default();
        let abroad = format!("{ABROAD}：");
        for (location, count) in locations {
            if let Some(place) = location.strip_prefix(&abroad) {
                *counts.abroad.entry(place.to_string()).or_default() += count;
            } else if let Ok(code) = RegionCode::parse(location) {
                *counts.provinces.entry(code.province().as_str().to_string()).or_default() += count;
            } else {
                counts.unplaced += count;
            }
        }
        counts
    }

    pub fn abroad_total(&self) -> i64 {
        self.abroad.values().sum()
    }
}

/// 会员企业数: a whole number, not negative.
pub fn parse_members(text: &str) -> Result<i64, String> {
    let cleaned: String = text.trim().trim_end_matches(['家', '个']).chars().filter(|c| *c != ',').collect();
    match cleaned.trim().parse::<i64>() {
        Ok(count) if count >= 0 => Ok(count),
        _ => Err(format!("会员企业数“{text}”应为不小于0的整数")),
    }
}

/// 联系电话: digits with the usual separators (several numbers separated by 、 or /).
pub fn check_phone(text: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_digit() || " -+()（）、/,，转".contains(c);
    if text.chars().all(allowed) && text.chars().any(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("联系电话“{text}”无效，应为电话号码，如 0931-8888888 或 13900000000"))
    }
}

/// The longest chamber name accepted.
pub const NAME_MAX_CHARS: usize = 100;

pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        Err("商会名称不能为空".into())
    } else if name.chars().count() > NAME_MAX_CHARS {
        Err(format!("商会名称不能超过{NAME_MAX_CHARS}个字"))
    } else {
        Ok(())
    }
}

/// A chamber's figures for a year (SPEC "stats chambers"), money in yuan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChamberFigures {
    pub chamber: String,
    pub leads: i64,
    pub signed_count: i64,
    pub signed_investment: i64,
    pub funds_in_place: i64,
    pub activities: i64,
}

/// The five indicators of the assessment, in the order of SPEC's formula; the keys are
/// those of the items (and of the JSON `weights` object).
pub const INDICATORS: [(&str, &str); 5] = [
    ("leads", "提供线索"),
    ("signed_count", "签约项目"),
    ("signed_investment_wan", "签约投资额"),
    ("funds_in_place_wan", "到位资金"),
    ("activities", "参与活动"),
];

/// The weight of each indicator, in `INDICATORS` order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights(pub [f64; 5]);

impl Weights {
    /// SPEC's default: 0.15 leads + 0.20 signed_count + 0.25 signed_investment + 0.30 funds_in_place + 0.10 activities.
    pub const DEFAULT: Weights = Weights([0.15, 0.20, 0.25, 0.30, 0.10]);

    /// (key, label, weight) of each indicator.
    pub fn entries(&self) -> impl Iterator<Item = (&'static str, &'static str, f64)> + '_ {
        INDICATORS.iter().zip(self.0).map(|(&(key, label), weight)| (key, label, weight))
    }
}

impl Default for Weights {
    fn default() -> Self {
        Weights::DEFAULT
    }
}

impl Weights {
    /// Weights stored as ten-thousandths.
    pub fn from_units(units: [i64; 5]) -> Weights {
        Weights(units.map(|u| u as f64 / WEIGHT_UNITS as f64))
    }

    /// The weights in ten-thousandths, as stored.
    pub fn units(&self) -> [i64; 5] {
        self.0.map(|w| (w * WEIGHT_UNITS as f64).round() as i64)
    }

    /// "提供线索 0.15、签约项目 0.20、…", as the audit log and the page write them.
    pub fn describe(&self) -> String {
        self.entries()
            .map(|(_, label, weight)| format!("{label} {}", shown_weight(weight)))
            .collect::<Vec<_>>()
            .join("、")
    }

    /// Weights as an administrator types them, in `INDICATORS` order: each a non-negative
    /// decimal of at most four places, together exactly 1. The errors name each field by
    /// its indicator's key (and `sum` for the total).
    pub fn parse(typed: [&str; 5]) -> Result<Weights, Vec<(&'static str, String)>> {
        let units = typed_weight_units(typed, &INDICATORS)?;
        let sum: i64 = units.iter().sum();
        if sum != WEIGHT_UNITS {
            let shown = format!("{}.{:04}", sum / WEIGHT_UNITS, sum % WEIGHT_UNITS);
            let shown = shown.trim_end_matches('0').trim_end_matches('.');
            return Err(vec![("sum", format!("五项权重之和应为 1，现为 {shown}"))]);
        }
        Ok(Weights::from_units(units))
    }
}

impl ChamberFigures {
    fn values(&self) -> [f64; 5] {
        [
            self.leads as f64,
            self.signed_count as f64,
            self.signed_investment as f64,
            self.funds_in_place as f64,
            self.activities as f64,
        ]
    }
}

/// One chamber assessed: its figures, its unrounded score and its rank (from 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Assessed {
    pub figures: ChamberFigures,
    pub score: f64,
    pub rank: usize,
}

impl Assessed {
    /// The score as shown: rounded half up to two decimals.
    pub fn shown_score(&self) -> f64 {
        round_half_up(self.score, 2)
    }
}

/// Assesses every chamber: each indicator scaled across all of them by the efficacy
/// coefficient, the weighted sum as score; best first by the unrounded score, then funds
/// in place, then name.
pub fn assess(figures: Vec<ChamberFigures>, weights: &Weights) -> Vec<Assessed> {
    let values: Vec<[f64; 5]> = figures.iter().map(ChamberFigures::values).collect();
    let scaled: Vec<Vec<f64>> = (0..5)
        .map(|indicator| efficacy_scaled(&values.iter().map(|v| Some(v[indicator])).collect::<Vec<_>>()))
        .collect();
    let mut assessed: Vec<Assessed> = figures
        .into_iter()
        .enumerate()
        .map(|(i, figures)| {
            let own: Vec<f64> = scaled.iter().map(|indicator| indicator[i]).collect();
            Assessed { figures, score: weighted_sum(&weights.0, &own), rank: 0 }
        })
        .collect();
    assessed.sort_by(|a, b| {
        best_first(a.score, b.score)
            .then_with(|| b.figures.funds_in_place.cmp(&a.figures.funds_in_place))
            .then_with(|| a.figures.chamber.cmp(&b.figures.chamber))
    });
    for (index, item) in assessed.iter_mut().enumerate() {
        item.rank = index + 1;
    }
    assessed
}

/// Each assessed chamber's gap to the rank above it (the score it lacks, unrounded,
/// shown rounded by the caller); `None` for the first.
pub fn gaps_to_next_rank(assessed: &[Assessed]) -> Vec<Option<f64>> {
    let mut gaps = vec![None];
    gaps.extend(assessed.windows(2).map(|pair| Some((pair[0].score - pair[1].score).max(0.0))));
    gaps.truncate(assessed.len());
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_non_negative_decimals_adding_up_to_one() {
        assert_eq!(Weights::parse(["0.15", "0.2", "0.25", "0.30", "0.1"]), Ok(Weights::DEFAULT));
        assert_eq!(Weights::parse(["1", "0", "0", "0", " 0.0 "]), Ok(Weights([1.0, 0.0, 0.0, 0.0, 0.0])));
        // 0.1 + 0.2 + 0.3 + 0.3 + 0.1 is 1 exactly, whatever binary floating point makes of it.
        assert!(Weights::parse(["0.1", "0.2", "0.3", "0.3", "0.1"]).is_ok());
        let errors = Weights::parse(["-0.1", "abc", "", "0.12345", "1.5"]).unwrap_err();
        let keys: Vec<&str> = errors.iter().map(|(key, _)| *key).collect();
        assert_eq!(keys, ["leads", "signed_count", "signed_investment_wan", "funds_in_place_wan", "activities"]);
        assert!(errors[0].1.starts_with("提供线索：") && errors[0].1.contains("非负"), "{errors:?}");
        assert!(errors[3].1.contains("四位小数"), "{errors:?}");
        assert!(errors[4].1.contains("0 到 1"), "{errors:?}");
        let sum = Weights::parse(["0.2", "0.2", "0.25", "0.3", "0.1"]).unwrap_err();
        assert_eq!(sum, vec![("sum", "五项权重之和应为 1，现为 1.05".to_string())]);
        assert_eq!(Weights::from_units(Weights::DEFAULT.units()), Weights::DEFAULT);
        assert_eq!(
            Weights::DEFAULT.describe(),
            "提供线索 0.15、签约项目 0.20、签约投资额 0.25、到位资金 0.30、参与活动 0.10"
        );
        assert_eq!(shown_weight(0.125), "0.125");
        assert_eq!(shown_weight(1.0), "1.00");
        let short = Weights::parse(["0", "0", "0", "0", "0.5"]).unwrap_err();
        assert_eq!(short[0].1, "五项权重之和应为 1，现为 0.5");
    }

    fn figures(name: &str, leads: i64, signed: i64, investment: i64, funds: i64, activities: i64) -> ChamberFigures {
        ChamberFigures {
            chamber: name.into(),
            leads,
            signed_count: signed,
            signed_investment: investment,
            funds_in_place: funds,
            activities,
        }
    }

    #[test]
    fn vocabularies_parse_keys_and_labels() {
        for kind in ChamberKind::ALL {
            assert_eq!(ChamberKind::parse(kind.label()), Ok(kind));
            assert_eq!(ChamberKind::parse(kind.key()), Ok(kind));
        }
        assert!(ChamberKind::parse("俱乐部").unwrap_err().contains("异地甘肃商会"));
        assert_eq!(ChamberLevel::parse(" 省级 "), Ok(ChamberLevel::Provincial));
        assert!(ChamberLevel::parse("乡级").unwrap_err().contains("县级"));
    }

    #[test]
    fn chambers_are_counted_by_province_abroad_by_place() {
        let stored = [
            ("310000", 2),
            ("310115", 1),
            ("440300", 1),
            ("620102", 3),
            ("境外：新加坡", 1),
            ("境外：香港", 2),
            ("境外：新加坡", 1),
            ("", 1),
            ("上海", 1),
        ];
        let counts = LocationCounts::of(stored.iter().map(|(location, count)| (*location, *count)));
        let provinces: Vec<(&str, i64)> = counts.provinces.iter().map(|(code, n)| (code.as_str(), *n)).collect();
        assert_eq!(provinces, [("310000", 3), ("440000", 1), ("620000", 3)]);
        let abroad: Vec<(&str, i64)> = counts.abroad.iter().map(|(place, n)| (place.as_str(), *n)).collect();
        assert_eq!(abroad, [("新加坡", 2), ("香港", 2)]);
        assert_eq!(counts.abroad_total(), 4);
        assert_eq!(counts.unplaced, 2, "no location, and a name where a code is stored");
    }

    #[test]
    fn locations_abroad_need_a_place() {
        assert_eq!(Location::parse_abroad("境外：新加坡"), Some(Ok(Location::Abroad("新加坡".into()))));
        assert_eq!(Location::parse_abroad("境外 德国 法兰克福"), Some(Ok(Location::Abroad("德国 法兰克福".into()))));
        assert_eq!(Location::parse_abroad("境外(香港)").unwrap().unwrap().stored(), "境外：香港");
        assert!(Location::parse_abroad("境外").unwrap().is_err());
        assert_eq!(Location::parse_abroad("上海市"), None);
        assert_eq!(Location::Division("310000".into()).stored(), "310000");
    }

    #[test]
    fn members_phones_and_names_are_checked() {
        assert_eq!(parse_members("1,200"), Ok(1200));
        assert_eq!(parse_members("85家"), Ok(85));
        assert!(parse_members("-1").is_err() && parse_members("很多").is_err());
        assert!(check_phone("0931-8888888、13900000000").is_ok());
        assert!(check_phone("找会长").is_err());
        assert!(
            check_name("").is_err() && check_name(&"商".repeat(101)).is_err() && check_name("甘肃省上海商会").is_ok()
        );
    }

    #[test]
    fn names_split_on_either_separator_each_once() {
        assert_eq!(split_names(" 甲商会、乙商会;丙商会；甲商会 "), ["甲商会", "乙商会", "丙商会"]);
        assert!(split_names(" 、; ").is_empty());
    }

    #[test]
    fn scores_follow_the_weights_and_rank_best_first() {
        let assessed = assess(
            vec![
                figures("乙", 10, 2, 2_000, 1_000, 4),
                figures("甲", 0, 0, 0, 0, 0),
                figures("丙", 5, 1, 1_000, 500, 2),
            ],
            &Weights::DEFAULT,
        );
        let order: Vec<(&str, usize)> = assessed.iter().map(|a| (a.figures.chamber.as_str(), a.rank)).collect();
        assert_eq!(order, [("乙", 1), ("丙", 2), ("甲", 3)]);
        assert_eq!(assessed[0].shown_score(), 100.0);
        assert_eq!(assessed[1].shown_score(), 80.0);
        assert_eq!(assessed[2].shown_score(), 60.0);
        assert_eq!(gaps_to_next_rank(&assessed), [None, Some(20.0), Some(20.0)]);
    }

    #[test]
    fn ties_go_to_funds_in_place_then_name() {
        // Same score: 甲 leads on leads what 乙 leads on funds, weighted alike.
        let weights = Weights([0.5, 0.0, 0.0, 0.5, 0.0]);
        let assessed = assess(
            vec![figures("丁", 0, 0, 0, 0, 0), figures("甲", 10, 0, 0, 0, 0), figures("乙", 0, 0, 0, 10, 0)],
            &weights,
        );
        let order: Vec<&str> = assessed.iter().map(|a| a.figures.chamber.as_str()).collect();
        assert_eq!(order, ["乙", "甲", "丁"], "equal scores: more funds in place first");
        let same = assess(vec![figures("乙", 1, 1, 1, 1, 1), figures("甲", 1, 1, 1, 1, 1)], &Weights::DEFAULT);
        assert_eq!(same[0].figures.chamber, "乙", "then by name: 乙 (U+4E59) before 甲 (U+7532)");
        assert_eq!((same[0].rank, same[1].rank), (1, 2));
    }

    #[test]
    fn all_equal_score_100_and_an_empty_registry_ranks_nothing() {
        let assessed = assess(vec![figures("甲", 3, 1, 5, 5, 1), figures("乙", 3, 1, 5, 5, 1)], &Weights::DEFAULT);
        assert!(assessed.iter().all(|a| a.shown_score() == 100.0), "{assessed:?}");
        assert!(assess(Vec::new(), &Weights::DEFAULT).is_empty());
        assert!(gaps_to_next_rank(&[]).is_empty());
        let alone = assess(vec![figures("甲", 0, 0, 0, 0, 0)], &Weights::DEFAULT);
        assert_eq!((alone[0].rank, alone[0].shown_score()), (1, 100.0));
    }
}
