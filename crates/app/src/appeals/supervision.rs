//! 营商环境监督评价: the quarter's scores of the province's cities (`core::appeals::supervision`)
//! from the appeals received in the quarter and the members' ratings, under the weights in
//! force, compared with the quarter before; what each user sees of them
//! (`Principal::supervision_score_scope`); the members' ratings and the administrator's weights.

use crate::{App, AppError, AppResult};
use zhaoshang_core::access::{Principal, RecordScope};
use zhaoshang_core::appeals::supervision::{
    assess, compare_with_previous, parse_rating_score, RegionInput, RegionScore, Weights,
};
use zhaoshang_core::appeals::Dimension;
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::evaluation::Quarter;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::text::non_empty;
use zhaoshang_store::appeals::supervision::{RatingInput, SupervisionRating};
use zhaoshang_store::weights::{WeightVersion, SUPERVISION_WEIGHTS};
use zhaoshang_store::{Actor, Store};

/// A comment longer than this is a pasted report, not a rating's reason.
const MAX_COMMENT_CHARS: usize = 500;

/// The page of a quarter: the scores the user may see (best first), how many cities were
/// ranked in all, the weights in force and their versions, the cities a member may rate
/// and the user's own ratings.
#[derive(Debug, Clone)]
pub struct SupervisionView {
    pub quarter: Quarter,
    pub weights: Weights,
    pub weights_version: Option<i64>,
    pub versions: Vec<WeightVersion>,
    pub scores: Vec<RegionScore>,
    pub ranked_count: usize,
    pub cities: Vec<(String, String)>,
    pub own_ratings: Vec<SupervisionRating>,
}

/// The weights in force: the newest version set by the administrator (its id), else the
/// defaults.
pub async fn supervision_weights(store: &Store) -> AppResult<(Option<i64>, Weights)> {
    Ok(match store.current_weights(&SUPERVISION_WEIGHTS).await? {
        Some(version) => (Some(version.id), Weights::from_units(version.units)),
        None => (None, Weights::DEFAULT),
    })
}

fn dimension_column(dimension: Dimension) -> usize {
    Dimension::ALL.iter().position(|d| *d == dimension).unwrap_or_default()
}

/// The scores of `cities` (code, name) in `quarter` under `weights`, without the comparison.
async fn scores_of(
    store: &Store,
    calendar: &Calendar,
    cities: &[(String, String)],
    quarter: Quarter,
    weights: &Weights,
) -> AppResult<Vec<RegionScore>> {
    let mut inputs: Vec<RegionInput> = cities
        .iter()
        .map(|(code, name)| RegionInput { region: code.clone(), name: name.clone(), ..Default::default() })
        .collect();
    // An appeal or rating of a county counts for its city.
    let row_of = |inputs: &[RegionInput], region: &str| {
        let city = RegionCode::parse(region).ok()?.city()?;
        inputs.iter().position(|input| input.region == city.as_str())
    };
    for appeal in store.supervision_facts(quarter.start(), quarter.end()).await? {
        if let Some(row) = row_of(&inputs, &appeal.region) {
            inputs[row].tallies[dimension_column(appeal.dimension)].add(calendar, quarter.end(), &appeal);
        }
    }
    for rating in store.supervision_ratings(quarter.year(), quarter.quarter() as i32).await? {
        let Ok(dimension) = Dimension::parse(&rating.dimension) else { continue };
        if let Some(row) = row_of(&inputs, &rating.region_code) {
            inputs[row].ratings[dimension_column(dimension)].push(rating.score);
        }
    }
    Ok(assess(&inputs, weights))
}

/// The scores of every city of `province` in `quarter`, with the quarter before's.
pub async fn supervision_scores(
    store: &Store,
    calendar: &Calendar,
    province: &RegionCode,
    quarter: Quarter,
    weights: &Weights,
) -> AppResult<Vec<RegionScore>> {
    let cities: Vec<(String, String)> =
        store.region_children(Some(province.as_str())).await?.into_iter().map(|r| (r.code, r.name)).collect();
    let mut current = scores_of(store, calendar, &cities, quarter, weights).await?;
    let previous = scores_of(store, calendar, &cities, quarter.previous(), weights).await?;
    compare_with_previous(&mut current, &previous);
    Ok(current)
}

/// A member's rating as the form sends it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RatingForm {
    pub year: String,
    pub quarter: String,
    pub region: String,
    pub dimension: String,
    pub score: String,
    #[serde(default)]
    pub comment: String,
}

/// The quarter asked for, else the last one finished today (China time).
fn quarter_asked(year: Option<&str>, quarter: Option<&str>) -> AppResult<Quarter> {
    let last = Quarter::last_finished(crate::calendar::today());
    let year = non_empty(year).map_or_else(|| last.year().to_string(), str::to_string);
    let quarter = non_empty(quarter).map_or_else(|| last.quarter().to_string(), str::to_string);
    Quarter::parse(&year, &quarter).map_err(|e| AppError::Invalid(e.to_string()))
}

impl App {
    /// The province evaluated: the user's own, else the one the platform serves.
    async fn supervision_province(&self, principal: &Principal) -> AppResult<RegionCode> {
        match &principal.region {
            Some(region) => Ok(region.province()),
            None => self.province_with_data().await,
        }
    }

    /// The evaluation page of a quarter as the user may see it: a city's user sees its
    /// city's row (with its rank among all), the others every city.
    pub async fn supervision_page(
        &self,
        principal: &Principal,
        year: Option<&str>,
        quarter: Option<&str>,
    ) -> AppResult<SupervisionView> {
        let scope = principal.supervision_score_scope().ok_or(AppError::Forbidden)?;
        let quarter = quarter_asked(year, quarter)?;
        let store = self.store();
        let province = self.supervision_province(principal).await?;
        let calendar = self.calendar().await?;
        let (weights_version, weights) = supervision_weights(store).await?;
        let scores = supervision_scores(store, &calendar, &province, quarter, &weights).await?;
        let ranked_count = scores.iter().filter(|s| s.rank.is_some()).count();
        let mut cities: Vec<(String, String)> = scores.iter().map(|s| (s.region.clone(), s.name.clone())).collect();
        cities.sort();
        let scores = scores
            .into_iter()
            .filter(|s| scope == RecordScope::All || RegionCode::parse(&s.region).is_ok_and(|code| scope.allows(&code)))
            .collect();
        let own_ratings = if principal.may_rate_supervision() {
            let all = store.supervision_ratings(quarter.year(), quarter.quarter() as i32).await?;
            all.into_iter().filter(|r| r.member_id == principal.user_id).collect()
        } else {
            Vec::new()
        };
        let versions =
            if principal.may_administer() { store.weight_versions(&SUPERVISION_WEIGHTS).await? } else { Vec::new() };
        Ok(SupervisionView { quarter, weights, weights_version, versions, scores, ranked_count, cities, own_ratings })
    }

    /// Saves a member's rating of a city's dimension in a quarter (members only; a second
    /// rating of the same replaces the first).
    pub async fn rate_supervision(&self, principal: &Principal, actor: &Actor, form: &RatingForm) -> AppResult<()> {
        if !principal.may_rate_supervision() {
            return Err(AppError::Forbidden);
        }
        let quarter = Quarter::parse(&form.year, &form.quarter).map_err(|e| AppError::Invalid(e.to_string()))?;
        let dimension = Dimension::parse(&form.dimension).map_err(|e| AppError::Invalid(e.to_string()))?;
        let score = parse_rating_score(&form.score).map_err(AppError::Invalid)?;
        let comment = form.comment.trim();
        if comment.chars().count() > MAX_COMMENT_CHARS {
            return Err(AppError::Invalid(format!("评分说明最多 {MAX_COMMENT_CHARS} 字")));
        }
        let province = self.supervision_province(principal).await?;
        let typed = form.region.trim();
        let not_a_city = || AppError::Invalid(format!("地区“{typed}”不是本省的市州"));
        let region = RegionCode::parse(typed)
            .ok()
            .filter(|code| code.city().as_ref() == Some(code) && province.contains(code))
            .ok_or_else(not_a_city)?;
        if !self.store().region_exists(region.as_str()).await? {
            return Err(not_a_city());
        }
        let rating = RatingInput {
            year: quarter.year(),
            quarter: quarter.quarter() as i32,
            region_code: region.as_str(),
            dimension,
            score,
            comment,
        };
        Ok(self.store().save_supervision_rating(&rating, actor).await?)
    }

    /// A new version of the weights (admin only), from the form's five fields.
    pub async fn set_supervision_weights(
        &self,
        principal: &Principal,
        actor: &Actor,
        typed: [&str; 5],
    ) -> AppResult<i64> {
        crate::accounts::require_admin(principal)?;
        let weights = Weights::parse(typed).map_err(|errors| {
            AppError::Invalid(errors.into_iter().map(|(_, message)| message).collect::<Vec<_>>().join("；"))
        })?;
        let describe = |units: &[i64; 5]| Weights::from_units(*units).describe();
        Ok(self
            .store()
            .add_weights(&SUPERVISION_WEIGHTS, weights.units(), describe, crate::calendar::now(), actor)
            .await?)
    }
}
