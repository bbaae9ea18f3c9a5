//! A transparent score for target enterprises (招商目标企业): every point comes with the reason
//! that earned it, so a cadre can see why one candidate ranks above another.
//!
//! The score splits into a base (tags and size), which is the same whoever looks and is stored
//! per enterprise, and a bonus that depends on the viewing scope (relationship, investment in
//! the province, HQ distance). Relationships and investments are rare and read apart; for every
//! other candidate `max_distance_points` bounds the bonus, so the best candidates can be read in
//! stored base order and the read stopped early without missing any.

use crate::enterprises::{Tag, Tags};
use crate::money::{Yuan, YUAN_PER_YI};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;

/// Points per reason; the revenue and distance tiers do not add up: only the highest tier
/// reached counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoreWeights {
    /// Per product of the link found in the candidate's name or description: industry fit
    /// outweighs any badge.
    pub product_match: u32,
    pub world_500: u32,
    pub china_500: u32,
    pub private_500: u32,
    pub industry_top_100: u32,
    pub listed: u32,
    pub single_champion: u32,
    pub little_giant: u32,
    pub specialised: u32,
    pub high_tech: u32,
    pub revenue_100yi: u32,
    pub revenue_10yi: u32,
    pub revenue_1yi: u32,
    pub relationship: u32,
    pub invests_in_province: u32,
    pub near_500km: u32,
    pub near_1500km: u32,
}

impl Default for ScoreWeights {
    fn default() -> ScoreWeights {
        ScoreWeights {
            product_match: 40,
            world_500: 30,
            china_500: 20,
            private_500: 15,
            industry_top_100: 10,
            listed: 10,
            single_champion: 10,
            little_giant: 8,
            specialised: 6,
            high_tech: 4,
            revenue_100yi: 20,
            revenue_10yi: 12,
            revenue_1yi: 6,
            relationship: 15,
            invests_in_province: 10,
            near_500km: 10,
            near_1500km: 5,
        }
    }
}

/// What is known about one candidate, seen from one scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetFacts {
    /// The link's products that the candidate's name or description names.
    pub products: Vec<String>,
    pub tags: Tags,
    pub revenue: Option<Yuan>,
    /// An existing contact, e.g. "商会：上海甘肃商会"; blank counts as none.
    pub relationship: Option<String>,
    pub invests_in_province: bool,
    pub hq_distance_km: Option<u32>,
}

/// One reason and the points it earned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScorePart {
    pub label: String,
    pub points: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TargetScore {
    pub total: u32,
    /// Only reasons that earned points: the fit first, then the base reasons.
    pub parts: Vec<ScorePart>,
}

fn tag_points(w: &ScoreWeights) -> [(Tag, u32); 9] {
    [
        (Tag::Global500, w.world_500),
        (Tag::China500, w.china_500),
        (Tag::Private500, w.private_500),
        (Tag::IndustryTop100, w.industry_top_100),
        (Tag::Listed, w.listed),
        (Tag::SingleChampion, w.single_champion),
        (Tag::LittleGiant, w.little_giant),
        (Tag::Specialised, w.specialised),
        (Tag::HighTech, w.high_tech),
    ]
}

/// The highest revenue tier reached: (亿元 threshold, points).
fn revenue_tier(revenue: Option<Yuan>, w: &ScoreWeights) -> Option<(i64, u32)> {
    let yuan = revenue?.0;
    [(100, w.revenue_100yi), (10, w.revenue_10yi), (1, w.revenue_1yi)]
        .into_iter()
        .find(|&(yi, _)| yuan >= yi * YUAN_PER_YI)
}

/// The nearest distance tier reached: (km limit, points).
fn distance_tier(km: Option<u32>, w: &ScoreWeights) -> Option<(u32, u32)> {
    let km = km?;
    [(500, w.near_500km), (1500, w.near_1500km)].into_iter().find(|&(limit, _)| km <= limit)
}

/// Tag points plus size points: independent of the viewing scope, so it can be stored per
/// enterprise and indexed.
pub fn base_score(tags: &Tags, revenue: Option<Yuan>, w: &ScoreWeights) -> u32 {
    let tag_total: u32 = tag_points(w).iter().filter(|(tag, _)| tags.contains(*tag)).map(|&(_, points)| points).sum();
    tag_total + revenue_tier(revenue, w).map_or(0, |(_, points)| points)
}

/// The products of `wanted` (a link's, see `super::parse_products`) that `texts` name;
/// Latin letters match in either case.
pub fn matched_products(wanted: &[String], texts: &[&str]) -> Vec<String> {
    let texts: Vec<String> = texts.iter().map(|text| text.to_lowercase()).collect();
    wanted.iter().filter(|product| texts.iter().any(|text| text.contains(&product.to_lowercase()))).cloned().collect()
}

/// The most the products of a link (`products` of them) add to a base score.
pub fn max_product_points(products: usize, w: &ScoreWeights) -> u32 {
    w.product_match.saturating_mul(u32::try_from(products).unwrap_or(u32::MAX))
}

/// The most the HQ distance adds to a base score: all a candidate without a relationship or an
/// investment can gain. Reading such candidates in descending base order, the top k are exact
/// once the next base plus this is below the k-th total (strictly: an equal total may still win
/// on revenue).
pub fn max_distance_points(w: &ScoreWeights) -> u32 {
    w.near_500km.max(w.near_1500km)
}

/// The score with its reasons; `total` is `base_score` plus the bonus parts.
pub fn score(facts: &TargetFacts, w: &ScoreWeights) -> TargetScore {
    let mut parts = Vec::new();
    if !facts.products.is_empty() {
        parts.push(ScorePart {
            label: format!("产品相符：{}", facts.products.join("、")),
            points: max_product_points(facts.products.len(), w),
        });
    }
    parts.extend(
        tag_points(w)
            .into_iter()
            .filter(|&(tag, _)| facts.tags.contains(tag))
            .map(|(tag, points)| ScorePart { label: tag.label().to_string(), points }),
    );
    if let Some((yi, points)) = revenue_tier(facts.revenue, w) {
        parts.push(ScorePart { label: format!("营业收入 ≥ {yi} 亿元"), points });
    }
    if let Some(contact) = facts.relationship.as_deref().map(str::trim).filter(|contact| !contact.is_empty()) {
        parts.push(ScorePart { label: format!("已有联系：{contact}"), points: w.relationship });
    }
    if facts.invests_in_province {
        parts.push(ScorePart { label: "已在省内投资".to_string(), points: w.invests_in_province });
    }
    if let Some((limit, points)) = distance_tier(facts.hq_distance_km, w) {
        parts.push(ScorePart { label: format!("总部距离 ≤ {limit} 公里"), points });
    }
    parts.retain(|part| part.points > 0);
    TargetScore { total: parts.iter().map(|part| part.points).sum(), parts }
}

/// Orders scored candidates `(item, score, revenue, id)`: total descending, then revenue
/// descending (unknown revenue last), then id ascending, so equal scores always list in the
/// same order.
pub fn rank<T>(mut items: Vec<(T, TargetScore, Option<Yuan>, i64)>) -> Vec<(T, TargetScore)> {
    items.sort_by_key(|(_, score, revenue, id)| (Reverse(score.total), Reverse(*revenue), *id));
    items.into_iter().map(|(item, score, _, _)| (item, score)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enterprises::parse_tags;

    fn tags(cell: &str) -> Tags {
        parse_tags(cell, None).unwrap()
    }

    fn labels(score: &TargetScore) -> Vec<&str> {
        score.parts.iter().map(|part| part.label.as_str()).collect()
    }

    #[test]
    fn default_weights_map_every_tag() {
        let w = ScoreWeights::default();
        let all = tags(&crate::enterprises::vocabulary());
        assert_eq!(base_score(&all, None, &w), 30 + 20 + 15 + 10 + 10 + 10 + 8 + 6 + 4);
        assert_eq!(base_score(&Tags::default(), None, &w), 0);
        assert_eq!(max_distance_points(&w), 10);
    }

    #[test]
    fn only_the_highest_revenue_tier_counts() {
        let w = ScoreWeights::default();
        let none = Tags::default();
        assert_eq!(base_score(&none, Some(Yuan(100 * YUAN_PER_YI)), &w), 20);
        assert_eq!(base_score(&none, Some(Yuan(100 * YUAN_PER_YI - 1)), &w), 12);
        assert_eq!(base_score(&none, Some(Yuan::from_wan(10_000)), &w), 6);
        assert_eq!(base_score(&none, Some(Yuan::from_wan(9_999)), &w), 0);
        assert_eq!(base_score(&none, Some(Yuan(-5)), &w), 0);
    }

    #[test]
    fn parts_name_every_reason_and_skip_zero_points() {
        let w = ScoreWeights { high_tech: 0, ..ScoreWeights::default() };
        let facts = TargetFacts {
            tags: tags("世界500强、上市公司(600111)、高新技术企业"),
            revenue: Some(Yuan(150 * YUAN_PER_YI)),
            relationship: Some(" 商会：上海甘肃商会 ".to_string()),
            invests_in_province: true,
            hq_distance_km: Some(320),
            ..TargetFacts::default()
        };
        let scored = score(&facts, &w);
        assert_eq!(
            labels(&scored),
            [
                "世界500强",
                "上市公司",
                "营业收入 ≥ 100 亿元",
                "已有联系：商会：上海甘肃商会",
                "已在省内投资",
                "总部距离 ≤ 500 公里"
            ]
        );
        assert_eq!(scored.total, 30 + 10 + 20 + 15 + 10 + 10);
    }

    #[test]
    fn product_fit_comes_first_and_outweighs_any_badge() {
        let w = ScoreWeights::default();
        let wanted: Vec<String> = ["稀土", "永磁", "电机", "NdFeB"].map(String::from).to_vec();
        let found = matched_products(&wanted, &["宁波某某磁材有限公司", "烧结钕铁硼(ndfeb)稀土永磁材料"]);
        assert_eq!(found, ["稀土", "永磁", "NdFeB"]);
        assert!(matched_products(&wanted, &["宁德时代新能源科技股份有限公司", "动力电池"]).is_empty());

        let magnets = score(&TargetFacts { products: found, ..TargetFacts::default() }, &w);
        assert_eq!(labels(&magnets), ["产品相符：稀土、永磁、NdFeB"]);
        assert_eq!(magnets.total, 120);
        let giant = score(
            &TargetFacts { tags: tags("世界500强、中国500强、上市公司(300750)"), ..TargetFacts::default() },
            &w,
        );
        assert!(magnets.total > giant.total, "one product more than the badges of a giant outside the link");
        assert_eq!(max_product_points(3, &w), 120);
        assert_eq!(max_product_points(0, &w), 0);
    }

    #[test]
    fn distance_tiers_and_blank_relationship() {
        let w = ScoreWeights::default();
        let at = |km| score(&TargetFacts { hq_distance_km: Some(km), ..TargetFacts::default() }, &w);
        assert_eq!(labels(&at(0)), ["总部距离 ≤ 500 公里"]);
        assert_eq!(labels(&at(1500)), ["总部距离 ≤ 1500 公里"]);
        assert_eq!(at(1500).total, 5);
        assert!(at(1501).parts.is_empty());
        let blank = TargetFacts { relationship: Some("  ".to_string()), ..TargetFacts::default() };
        assert_eq!(score(&blank, &w), TargetScore::default());
    }

    #[test]
    fn total_is_base_plus_bonus_and_bonus_never_exceeds_max() {
        let w = ScoreWeights::default();
        for (cell, revenue) in
            [("", None), ("中国500强、专精特新", Some(Yuan(12 * YUAN_PER_YI))), ("小巨人", Some(Yuan(3)))]
        {
            for distance in [None, Some(0), Some(900), Some(3000)] {
                for invests in [false, true] {
                    for relationship in [None, Some("招商顾问：张三".to_string())] {
                        let facts = TargetFacts {
                            tags: tags(cell),
                            revenue,
                            relationship,
                            invests_in_province: invests,
                            hq_distance_km: distance,
                            ..TargetFacts::default()
                        };
                        let base = base_score(&facts.tags, revenue, &w);
                        let base_only =
                            score(&TargetFacts { tags: facts.tags.clone(), revenue, ..TargetFacts::default() }, &w);
                        assert_eq!(base_only.total, base);
                        let scored = score(&facts, &w);
                        assert_eq!(scored.total, scored.parts.iter().map(|p| p.points).sum::<u32>());
                        let connected = if facts.relationship.is_some() { w.relationship } else { 0 }
                            + if invests { w.invests_in_province } else { 0 };
                        assert!(scored.total >= base && scored.total <= base + connected + max_distance_points(&w));
                    }
                }
            }
        }
        let best = TargetFacts {
            relationship: Some("商会：上海甘肃商会".to_string()),
            invests_in_province: true,
            hq_distance_km: Some(10),
            ..TargetFacts::default()
        };
        assert_eq!(score(&best, &w).total, w.relationship + w.invests_in_province + max_distance_points(&w));
    }

    #[test]
    fn the_distance_bound_takes_the_larger_tier() {
        let w = ScoreWeights { near_500km: 2, near_1500km: 7, ..ScoreWeights::default() };
        assert_eq!(max_distance_points(&w), 7);
    }

    #[test]
    fn ranking_is_by_total_then_revenue_then_id() {
        let scored = |total| TargetScore { total, parts: Vec::new() };
        let items = vec![
            ("乙", scored(40), Some(Yuan(5)), 2),
            ("丁", scored(40), None, 1),
            ("甲", scored(50), None, 9),
            ("丙", scored(40), Some(Yuan(5)), 1),
            ("戊", scored(40), Some(Yuan(8)), 7),
        ];
        let names: Vec<_> = rank(items).into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["甲", "戊", "丙", "乙", "丁"]);
    }
}
