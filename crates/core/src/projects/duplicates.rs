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
    jaccard(&bigrams(a), &bigrams(b))
}

fn jaccard(a: &HashSet<(char, char)>, b: &HashSet<(char, char)>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(b).count();
    shared as f64 / (a.len() + b.len() - shared) as f64
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

/// The city (its first four digits) of a division code.
pub fn city_of(region_code: &str) -> &str {
    region_code.get(..4).unwrap_or(region_code)
}

/// One project as the claimed-twice check compares it.
#[derive(Debug, Clone, Copy)]
pub struct Claim<'a> {
    pub id: i64,
    pub name: &'a str,
    pub region_code: &'a str,
    pub investor_credit_code: &'a str,
}

/// Every pair among `claims` that looks claimed twice (`looks_claimed_twice`), as
/// `pair_key`s with their investor, ordered. Each name's bigrams are taken once, so an
/// investor with thousands of projects costs comparisons, not re-parsing.
pub fn claimed_twice_pairs<'a>(claims: &[Claim<'a>]) -> Vec<(i64, i64, &'a str)> {
    let mut by_investor: Vec<(Claim<'a>, HashSet<(char, char)>)> = claims
        .iter()
        .filter(|claim| !claim.investor_credit_code.is_empty())
        .map(|claim| (*claim, bigrams(claim.name)))
        .collect();
    by_investor.sort_by(|(a, _), (b, _)| (a.investor_credit_code, a.id).cmp(&(b.investor_credit_code, b.id)));
    let mut pairs = Vec::new();
    for group in by_investor.chunk_by(|(a, _), (b, _)| a.investor_credit_code == b.investor_credit_code) {
        for (i, (a, a_bigrams)) in group.iter().enumerate() {
            for (b, b_bigrams) in &group[i + 1..] {
                if city_of(a.region_code) != city_of(b.region_code)
                    && jaccard(a_bigrams, b_bigrams) >= SIMILAR_NAME_THRESHOLD
                {
                    let (first, second) = pair_key(a.id, b.id);
                    pairs.push((first, second, a.investor_credit_code));
                }
            }
        }
    }
    pairs.sort();
    pairs.dedup();
    pairs
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
    fn pairs_are_those_of_one_investor_in_two_cities_with_similar_names() {
        let claim = |id, name, region_code, investor_credit_code| Claim { id, name, region_code, investor_credit_code };
        let claims = [
            claim(9, "年产30万吨铝板坯项目", "620402", "A"),
            claim(3, "30万吨铝板坯建设项目", "620302", "A"),
            // The same city: not a pair.
            claim(4, "30万吨铝板坯项目", "620321", "A"),
            // Another investor with the same name: not a pair with A's.
            claim(5, "30万吨铝板坯项目", "620102", "B"),
            claim(6, "文旅小镇", "620102", "A"),
            claim(7, "铝板坯项目", "620502", ""),
            claim(8, "铝板坯项目", "620602", ""),
        ];
        assert_eq!(claimed_twice_pairs(&claims), vec![(3, 9, "A"), (4, 9, "A")]);
        // Exactly the pairs the one-pair rule finds, by brute force.
        let mut brute = Vec::new();
        for a in &claims {
            for b in &claims {
                if a.id < b.id
                    && !a.investor_credit_code.is_empty()
                    && a.investor_credit_code == b.investor_credit_code
                    && looks_claimed_twice(city_of(a.region_code), a.name, city_of(b.region_code), b.name)
                {
                    brute.push((a.id, b.id, a.investor_credit_code));
                }
            }
        }
        brute.sort();
        assert_eq!(claimed_twice_pairs(&claims), brute);
    }

    #[test]
    fn a_pair_is_the_same_pair_either_way_round() {
        assert_eq!(pair_key(7, 3), (3, 7));
        assert_eq!(pair_key(3, 7), (3, 7));
        assert_eq!(PairDecision::from_key("different"), Some(PairDecision::Different));
        assert_eq!(PairDecision::from_key("x"), None);
    }
}
