//! The fit score of site selection (选址匹配度): an investor's need — area, land use,
//! power, water, rail, budget, industry — against a parcel and its park, as a sum of
//! parts each with its points, its most and the reason, as the chain targets' scores
//! show theirs. Only the criteria the need states count; the score is the points over
//! the most those criteria give, out of 100, rounded to one decimal.

use super::{infrastructure_lines, LandUse, Readiness, Utility, UtilityLine};
use crate::money::Yuan;

/// The most points of each criterion.
pub const AREA_POINTS: f64 = 30.0;
pub const LAND_USE_POINTS: f64 = 15.0;
pub const POWER_POINTS: f64 = 15.0;
pub const WATER_POINTS: f64 = 10.0;
pub const RAIL_POINTS: f64 = 10.0;
pub const BUDGET_POINTS: f64 = 10.0;
pub const INDUSTRY_POINTS: f64 = 10.0;

/// A parcel larger than the need by up to this factor still fits fully.
pub const AREA_SLACK: f64 = 1.5;

/// What an investor asks for; `None` / `false` leaves a criterion out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Need {
    pub area_mu: Option<f64>,
    pub land_use: Option<LandUse>,
    pub power: bool,
    pub water: bool,
    pub rail: bool,
    /// The whole land budget in yuan (area × price).
    pub budget_yuan: Option<i64>,
    /// A word of the park's leading industries (新材料, 化工…).
    pub industry: Option<String>,
}

impl Need {
    pub fn is_empty(&self) -> bool {
        *self == Need::default()
    }

    /// Reads the need form (its fields prefixed `need_`); a box ticked is any non-empty
    /// value; the budget is 万元, exact.
    pub fn from_params(params: &NeedParams) -> Result<Need, String> {
        let given = |t: &Option<String>| t.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let area_mu = match given(&params.need_area_mu) {
            None => None,
            Some(text) => match super::parse_non_negative(&text, "需求面积")? {
                area if area > 0.0 => Some(area),
                _ => return Err("需求面积应大于 0 亩".into()),
            },
        };
        let land_use = given(&params.need_land_use).map(|t| LandUse::parse(&t)).transpose()?;
        let budget_yuan = match given(&params.need_budget_wan) {
            None => None,
            Some(text) => match Yuan::parse_wan(&text) {
                Ok(budget) if budget.0 > 0 => Some(budget.0),
                Ok(_) => return Err(format!("预算“{text}”应大于 0 万元")),
                Err(error) => return Err(format!("预算（万元）：{error}")),
            },
        };
        Ok(Need {
            area_mu,
            land_use,
            power: given(&params.need_power).is_some(),
            water: given(&params.need_water).is_some(),
            rail: given(&params.need_rail).is_some(),
            budget_yuan,
            industry: given(&params.need_industry),
        })
    }
}

/// The need form as typed.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct NeedParams {
    pub need_area_mu: Option<String>,
    pub need_land_use: Option<String>,
    pub need_power: Option<String>,
    pub need_water: Option<String>,
    pub need_rail: Option<String>,
    pub need_budget_wan: Option<String>,
    pub need_industry: Option<String>,
}

/// A parcel as the score reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct FitParcel {
    pub area_mu: f64,
    pub land_use: LandUse,
    pub price_yuan_per_mu: Option<i64>,
    /// The park's 水电路网气暖讯 (`infrastructure_lines`), empty outside a park.
    pub utilities: Vec<UtilityLine>,
    pub park_industries: String,
}

/// One part of a score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FitPart {
    pub key: &'static str,
    pub label: &'static str,
    pub points: f64,
    pub max: f64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Fit {
    /// 0–100, one decimal.
    pub score: f64,
    pub parts: Vec<FitPart>,
}

fn line(utilities: &[UtilityLine], utility: Utility) -> Option<&UtilityLine> {
    utilities.iter().find(|l| l.utility == utility.key())
}

/// Full points when ready, half when planned, none otherwise.
fn utility_part(key: &'static str, label: &'static str, max: f64, line: Option<&UtilityLine>) -> FitPart {
    let readiness = line.and_then(|l| l.readiness);
    let points = match readiness {
        Some(r) if r == Readiness::Ready.key() => max,
        Some(r) if r == Readiness::Planned.key() => max / 2.0,
        _ => 0.0,
    };
    let note = match line {
        Some(l) if l.capacity.is_empty() => l.readiness_label.to_string(),
        Some(l) => format!("{}：{}", l.readiness_label, l.capacity),
        None => "园区外，未知".to_string(),
    };
    FitPart { key, label, points, max, note }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Whether the park has a railway (a 路 line that names 铁路, 专用线 or a 站).
fn has_rail(utilities: &[UtilityLine]) -> bool {
    line(utilities, Utility::Road).is_some_and(|l| {
        l.readiness == Some(Readiness::Ready.key())
            && ["铁路", "专用线", "铁路线", "站"].iter().any(|word| l.capacity.contains(word))
    })
}

/// The score of one parcel against a need.
pub fn fit_score(need: &Need, parcel: &FitParcel) -> Fit {
    let mut parts = Vec::new();
    if let Some(wanted) = need.area_mu.filter(|a| *a > 0.0) {
        let ratio = parcel.area_mu / wanted;
        let points = if ratio < 1.0 {
            AREA_POINTS * ratio
        } else if ratio <= AREA_SLACK {
            AREA_POINTS
        } else {
            AREA_POINTS * AREA_SLACK / ratio
        };
        let note = format!("地块 {} 亩，需求 {} 亩", parcel.area_mu, wanted);
        parts.push(FitPart { key: "area", label: "面积", points, max: AREA_POINTS, note });
    }
    if let Some(wanted) = need.land_use {
        let (points, note) = if parcel.land_use == wanted {
            (LAND_USE_POINTS, format!("{}，相符", parcel.land_use.label()))
        } else if parcel.land_use == LandUse::Mixed {
            (LAND_USE_POINTS / 2.0, "综合用地，可兼容".to_string())
        } else {
            (0.0, format!("{}，不符", parcel.land_use.label()))
        };
        parts.push(FitPart { key: "land_use", label: "用地性质", points, max: LAND_USE_POINTS, note });
    }
    if need.power {
        parts.push(utility_part("power", "电力", POWER_POINTS, line(&parcel.utilities, Utility::Power)));
    }
    if need.water {
        parts.push(utility_part("water", "供水", WATER_POINTS, line(&parcel.utilities, Utility::Water)));
    }
    if need.rail {
        let rail = has_rail(&parcel.utilities);
        let note = if rail { "园区有铁路" } else { "园区未注明铁路" }.to_string();
        parts.push(FitPart {
            key: "rail",
            label: "铁路",
            points: if rail { RAIL_POINTS } else { 0.0 },
            max: RAIL_POINTS,
            note,
        });
    }
    if let Some(budget) = need.budget_yuan.filter(|b| *b > 0) {
        let (points, note) = match parcel.price_yuan_per_mu {
            None => (BUDGET_POINTS / 2.0, "价格面议".to_string()),
            Some(price) => {
                let cost = (price as f64 * parcel.area_mu).round() as i64;
                let points = if cost <= budget { BUDGET_POINTS } else { BUDGET_POINTS * budget as f64 / cost as f64 };
                (points, format!("地价约 {} 万元，预算 {} 万元", Yuan(cost).wan_display(), Yuan(budget).wan_display()))
            }
        };
        parts.push(FitPart { key: "budget", label: "预算", points, max: BUDGET_POINTS, note });
    }
    if let Some(industry) = need.industry.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
        let matches = parcel.park_industries.contains(industry);
        let note = if parcel.park_industries.is_empty() {
            "园区未注明主导产业".to_string()
        } else {
            format!("园区主导产业：{}", parcel.park_industries)
        };
        parts.push(FitPart {
            key: "industry",
            label: "产业",
            points: if matches { INDUSTRY_POINTS } else { 0.0 },
            max: INDUSTRY_POINTS,
            note,
        });
    }
    let (points, max) = parts.iter().fold((0.0, 0.0), |(p, m), part| (p + part.points, m + part.max));
    for part in &mut parts {
        part.points = round1(part.points);
    }
    let score = if max > 0.0 { round1(points / max * 100.0) } else { 0.0 };
    Fit { score, parts }
}

/// Ranks items by their fit, best first (ties: `key` ascending), keeping `limit`.
pub fn rank_by_fit<T>(
    items: Vec<T>,
    need: &Need,
    parcel: impl Fn(&T) -> FitParcel,
    key: impl Fn(&T) -> &str,
    limit: usize,
) -> Vec<(T, Fit)> {
    let mut scored: Vec<(T, Fit)> = items
        .into_iter()
        .map(|item| {
            let fit = fit_score(need, &parcel(&item));
            (item, fit)
        })
        .collect();
    scored.sort_by(|(a, fa), (b, fb)| fb.score.total_cmp(&fa.score).then_with(|| key(a).cmp(key(b))));
    scored.truncate(limit);
    scored
}

/// Reads a park's infrastructure text for the score.
pub fn utilities_of(infrastructure: &str) -> Vec<UtilityLine> {
    infrastructure_lines(infrastructure)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARK: &str = r#"{"water":{"readiness":"ready","capacity":"5万吨/日"},"power":{"readiness":"planned","capacity":"330千伏"},
        "road":{"readiness":"ready","capacity":"兰新铁路专用线"}}"#;

    fn parcel(area_mu: f64, land_use: LandUse, price_wan: Option<i64>) -> FitParcel {
        FitParcel {
            area_mu,
            land_use,
            price_yuan_per_mu: price_wan.map(|w| Yuan::from_wan(w).0),
            utilities: utilities_of(PARK),
            park_industries: "新材料、装备制造".into(),
        }
    }

    fn points(fit: &Fit, key: &str) -> f64 {
        fit.parts.iter().find(|p| p.key == key).unwrap().points
    }

    #[test]
    fn each_part_scores_as_its_rule_says() {
        let need = Need {
            area_mu: Some(100.0),
            land_use: Some(LandUse::Industrial),
            power: true,
            water: true,
            rail: true,
            budget_yuan: Some(Yuan::from_wan(1000).0),
            industry: Some("新材料".into()),
        };
        // 120 亩 at 10 万元/亩 = 1200 万元 over a 1000 万元 budget.
        let fit = fit_score(&need, &parcel(120.0, LandUse::Industrial, Some(10)));
        assert_eq!(points(&fit, "area"), 30.0, "within 1.5 × the need");
        assert_eq!(points(&fit, "land_use"), 15.0);
        assert_eq!(points(&fit, "power"), 7.5, "planned: half");
        assert_eq!(points(&fit, "water"), 10.0);
        assert_eq!(points(&fit, "rail"), 10.0);
        assert_eq!(points(&fit, "budget"), 8.3, "10 × 1000/1200");
        assert_eq!(points(&fit, "industry"), 10.0);
        // (30 + 15 + 7.5 + 10 + 10 + 8.333 + 10) / 100.
        assert_eq!(fit.score, 90.8);
        assert_eq!(fit.parts.iter().map(|p| p.max).sum::<f64>(), 100.0);
        assert!(fit.parts.iter().find(|p| p.key == "budget").unwrap().note.contains("1,200.00"));

        let small = fit_score(&need, &parcel(50.0, LandUse::Storage, None));
        assert_eq!(points(&small, "area"), 15.0, "half the need: half the points");
        assert_eq!(points(&small, "land_use"), 0.0);
        assert_eq!(points(&small, "budget"), 5.0, "no price: half");
        let big = fit_score(&need, &parcel(300.0, LandUse::Mixed, Some(1)));
        assert_eq!(points(&big, "area"), 15.0, "3 × the need: 30 × 1.5 / 3");
        assert_eq!(points(&big, "land_use"), 7.5, "mixed use fits halfway");
        assert_eq!(points(&big, "budget"), 10.0);
    }

    #[test]
    fn only_stated_criteria_count_and_outside_a_park_nothing_is_known() {
        let need = Need { power: true, ..Default::default() };
        let mut outside = parcel(10.0, LandUse::Industrial, None);
        outside.utilities.clear();
        let fit = fit_score(&need, &outside);
        assert_eq!(fit.parts.len(), 1);
        assert_eq!((fit.score, fit.parts[0].note.as_str()), (0.0, "园区外，未知"));
        assert_eq!(fit_score(&need, &parcel(10.0, LandUse::Industrial, None)).score, 50.0);
        assert_eq!(fit_score(&Need::default(), &outside), Fit { score: 0.0, parts: vec![] });
        assert!(Need::default().is_empty());
    }

    #[test]
    fn the_need_form_reads_into_a_need() {
        let params = NeedParams {
            need_area_mu: Some("120".into()),
            need_land_use: Some("工业".into()),
            need_power: Some("on".into()),
            need_budget_wan: Some("1500.5".into()),
            need_industry: Some(" 新材料 ".into()),
            ..Default::default()
        };
        let need = Need::from_params(&params).unwrap();
        assert_eq!(
            need,
            Need {
                area_mu: Some(120.0),
                land_use: Some(LandUse::Industrial),
                power: true,
                water: false,
                rail: false,
                budget_yuan: Some(15_005_000),
                industry: Some("新材料".into()),
            }
        );
        assert!(Need::from_params(&NeedParams::default()).unwrap().is_empty());
        for (params, expected) in [
            (NeedParams { need_area_mu: Some("0".into()), ..Default::default() }, "大于 0"),
            (NeedParams { need_area_mu: Some("x".into()), ..Default::default() }, "需求面积"),
            (NeedParams { need_land_use: Some("住宅".into()), ..Default::default() }, "用地性质"),
            (NeedParams { need_budget_wan: Some("-1".into()), ..Default::default() }, "预算"),
        ] {
            let error = Need::from_params(&params).unwrap_err();
            assert!(error.contains(expected), "{params:?}: {error}");
        }
    }

    #[test]
    fn ranking_is_best_first_then_by_key() {
        let need = Need { area_mu: Some(100.0), ..Default::default() };
        let items = vec![("C", 50.0), ("A", 100.0), ("B", 100.0), ("D", 400.0)];
        let ranked = rank_by_fit(items, &need, |(_, a)| parcel(*a, LandUse::Industrial, None), |(k, _)| k, 3);
        let order: Vec<(&str, f64)> = ranked.iter().map(|((k, _), f)| (*k, f.score)).collect();
        assert_eq!(order, [("A", 100.0), ("B", 100.0), ("C", 50.0)]);
    }
}
