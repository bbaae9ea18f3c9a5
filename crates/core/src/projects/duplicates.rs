//! Projects that look claimed twice: the same investor (credit code) and a similar
//! project name, recorded by two different cities. Counting them twice would
//! inflate the province's totals, so the province settles who owns them.

use std::collections::HashSet;

/// Generic words of project names that say nothing about which project it is.
const FILLER: &[&str] = &["项目", "建设", "年产", "一期", "二期", "有限公司", "万吨"];

fn bigrams(name: &str) -> HashSet<(char, char)> {
    let mut cleaned = name.to_string();
    for word in FILLER {
        cleaned = cleaned.replace(word, "");
    }
    let chars: Vec<char> = cleaned.chars().filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation()).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Jaccard similarity of the names' character bigrams (0 to 1).
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (bigrams(a), bigrams(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / a.union(&b).count() as f64
}

pub const SIMILAR_NAME_THRESHOLD: f64 = 0.5;

crate::vocabulary! {
    /// What a region decided about a pair that looks claimed twice.
    pub enum PairDecision {
        Same => ("same", "同一项目"),
        Different => ("different", "不同项目"),
        Province => ("province", "已提交省级统筹"),
    }
}

/// The key a pair is stored under, whichever of the two is named first.
pub fn pair_key(a: i64, b: i64) -> (i64, i64) {
    (a.min(b), a.max(b))
}

/// Two projects of different cities with the same investor credit code and similar names.
pub fn looks_claimed_twice(city_a: &str, name_a: &str, city_b: &str, name_b: &str) -> bool {
    city_a != city_b && name_similarity(name_a, name_b) >= SIMILAR_NAME_THRESHOLD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_names_score_high_and_different_ones_low() {
        assert!(name_similarity("年产30万吨铝板坯项目", "30万吨铝板坯建设项目") >= SIMILAR_NAME_THRESHOLD);
        assert!(name_similarity("光伏组件生产基地", "光伏组件生产基地（一期）") >= SIMILAR_NAME_THRESHOLD);
        assert!(name_similarity("光伏组件生产基地", "文旅小镇") < 0.1);
        assert_eq!(name_similarity("", "项目"), 0.0);
    }

    #[test]
    fn only_different_cities_count() {
        assert!(looks_claimed_twice("620200", "铝板坯项目", "620300", "铝板坯项目"));
        assert!(!looks_claimed_twice("620200", "铝板坯项目", "620200", "铝板坯项目"));
        assert!(!looks_claimed_twice("620200", "铝板坯项目", "620300", "文旅小镇"));
    }

    #[test]
    fn a_pair_is_the_same_pair_either_way_round() {
        assert_eq!(pair_key(7, 3), (3, 7));
        assert_eq!(pair_key(3, 7), (3, 7));
        assert_eq!(PairDecision::from_key("different"), Some(PairDecision::Different));
        assert_eq!(PairDecision::from_key("x"), None);
    }
}
