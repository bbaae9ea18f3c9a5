//! Review rounds of the S&T pool as the pages use them (issue 21 point 2): the
//! administrator (or province staff) opens a year's round, assigns reviewers by
//! optimisation (`core::rounds::assign`), swaps single reviewers, closes and publishes;
//! a reviewer scores what it was assigned. While a year's round is not closed nobody but
//! the reviewer itself reads a score of that year, and the year is not ranked.

use crate::achievements::parse_year;
use crate::{App, AppError, AppResult};
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_core::access::{PoolAccess, Principal};
use zhaoshang_core::achievements::{Score, Scores};
use zhaoshang_core::rounds::{assign, check_swap, load_bound, transition, RoundAction, RoundStatus, DEFAULT_REVIEWERS};
use zhaoshang_core::text::non_empty;
use zhaoshang_store::rounds::{AssignedReviewer, Round};
use zhaoshang_store::{Actor, Store};

/// The longest comment a reviewer may write.
pub const COMMENT_MAX_CHARS: usize = 2_000;

/// A round with its figures, as the rounds page lists it.
pub struct RoundSummary {
    pub round: Round,
    pub status: RoundStatus,
    pub registered: i64,
    pub assigned: i64,
    pub scored: i64,
}

/// A round's page: its figures, the reviewers' loads and the achievements left short.
pub struct RoundView {
    pub summary: RoundSummary,
    pub bound: usize,
    /// (expert, load), the heaviest first.
    pub loads: Vec<(String, i64)>,
    pub experts: usize,
}

/// The published pool as the public page shows it.
pub struct PublishedPool {
    pub year: Option<i64>,
    pub years: Vec<i64>,
    pub industries: Vec<crate::achievements::PoolIndustry>,
    pub count: usize,
}

#[derive(Deserialize, Default, Debug)]
pub struct OpenRoundForm {
    pub year: String,
    pub per_achievement: Option<String>,
}

#[derive(Deserialize, Default, Debug)]
pub struct SwapForm {
    pub code: String,
    pub old: String,
    pub new: String,
}

#[derive(Deserialize, Default, Debug)]
pub struct ScoreForm {
    pub market: String,
    pub economic: String,
    pub technical: String,
    #[serde(default)]
    pub comment: String,
}

/// The three scores and the comment of a scoring form, or every problem with them.
pub fn parse_score_form(form: &ScoreForm) -> AppResult<(Scores, String)> {
    let mut problems = Vec::new();
    let mut score = |label: &str, text: &str| match Score::parse(text) {
        _ if text.trim().is_empty() => {
            problems.push(format!("请填写{label}评分"));
            Score(0)
        }
        Ok(score) => score,
        Err(message) => {
            problems.push(format!("{label}：{message}"));
            Score(0)
        }
    };
    let scores = Scores {
        market: score("市场潜力", &form.market),
        economic: score("经济价值", &form.economic),
        technical: score("技术含量", &form.technical),
    };
    let comment = form.comment.trim().to_string();
    if comment.chars().count() > COMMENT_MAX_CHARS {
        problems.push(format!("评审意见不能超过 {COMMENT_MAX_CHARS} 字"));
    }
    if problems.is_empty() {
        Ok((scores, comment))
    } else {
        Err(AppError::Invalid(problems.join("；")))
    }
}

/// Whether the scores of a year's achievements are sealed: its round is not yet closed.
pub async fn scores_sealed(store: &Store, year: i64) -> AppResult<bool> {
    Ok(store
        .round(year)
        .await?
        .and_then(|round| RoundStatus::from_key(&round.status))
        .is_some_and(|status| matches!(status, RoundStatus::Open | RoundStatus::Scoring)))
}

/// Assigns a year's reviewers by optimisation and stores the assignment (the round moves
/// from `status` to scoring); the achievements left short, by code.
pub(crate) async fn assign_year(
    store: &Store,
    year: i64,
    status: RoundStatus,
    per: usize,
    actor: &Actor,
) -> AppResult<Vec<String>> {
    let input = store.assignment_input(year).await?;
    if input.achievements.is_empty() {
        return Err(AppError::Invalid(format!("{year} 年度没有登记的科技成果，无法分配")));
    }
    if input.experts.is_empty() {
        return Err(AppError::Invalid("专家库为空，请先导入评审专家".into()));
    }
    let subjects: Vec<_> = input.achievements.iter().map(|(_, s)| s.clone()).collect();
    let reviewers: Vec<_> = input.experts.iter().map(|(_, r)| r.clone()).collect();
    let result = tokio::task::spawn_blocking(move || assign(&subjects, &reviewers, per))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let pairs: Vec<(i64, i64)> = result
        .reviewers_of
        .iter()
        .enumerate()
        .flat_map(|(a, list)| list.iter().map(move |&r| (a, r)))
        .map(|(a, r)| (input.achievements[a].0, input.experts[r].0))
        .collect();
    let names: HashMap<i64, String> = input.experts.iter().map(|(id, r)| (*id, r.name.clone())).collect();
    store.replace_assignments(year, status.key(), &pairs, &names, actor).await?;
    Ok(result.short().into_iter().map(|a| input.achievements[a].1.code.clone()).collect())
}

fn status_of(round: &Round) -> AppResult<RoundStatus> {
    RoundStatus::from_key(&round.status)
        .ok_or_else(|| AppError::Internal(format!("评审轮次状态“{}”无效", round.status)))
}

impl App {
    fn manages_pool(&self, principal: &Principal) -> AppResult<()> {
        match principal.pool_access() {
            PoolAccess::Manage => Ok(()),
            _ => Err(AppError::Forbidden),
        }
    }

    async fn round_of(&self, year: i64) -> AppResult<Round> {
        self.store().round(year).await?.ok_or_else(|| AppError::not_found(&format!("{year} 年度评审轮次")))
    }

    async fn summary(&self, round: Round) -> AppResult<RoundSummary> {
        let store = self.store();
        let filter = zhaoshang_store::achievements::AchievementFilter { year: Some(round.year), ..Default::default() };
        let registered = store.achievement_count(&filter).await?;
        let (assigned, scored) = store.round_progress(round.year).await?;
        Ok(RoundSummary { status: status_of(&round)?, round, registered, assigned, scored })
    }

    /// Every round with its figures (managers).
    pub async fn round_summaries(&self, principal: &Principal) -> AppResult<Vec<RoundSummary>> {
        self.manages_pool(principal)?;
        let mut summaries = Vec::new();
        for round in self.store().rounds().await? {
            summaries.push(self.summary(round).await?);
        }
        Ok(summaries)
    }

    /// A round's page (managers).
    pub async fn round_view(&self, principal: &Principal, year: &str) -> AppResult<RoundView> {
        self.manages_pool(principal)?;
        let year = parse_year(year)?;
        let round = self.round_of(year).await?;
        let summary = self.summary(round).await?;
        let store = self.store();
        let input = store.assignment_input(year).await?;
        let names: HashMap<i64, String> = input.experts.iter().map(|(id, r)| (*id, r.name.clone())).collect();
        let mut loads: Vec<(String, i64)> = store
            .assignment_loads(year)
            .await?
            .into_iter()
            .map(|(id, load)| (names.get(&id).cloned().unwrap_or_default(), load))
            .collect();
        loads.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let per = summary.round.per_achievement as usize;
        Ok(RoundView {
            bound: load_bound(per, input.achievements.len(), input.experts.len()),
            experts: input.experts.len(),
            loads,
            summary,
        })
    }

    /// Opens a year's round with N reviewers per achievement (5 unless given).
    pub async fn open_round(&self, principal: &Principal, actor: &Actor, form: &OpenRoundForm) -> AppResult<i64> {
        self.manages_pool(principal)?;
        let year = parse_year(&form.year)?;
        let per = match non_empty(form.per_achievement.as_deref()) {
            None => DEFAULT_REVIEWERS as i64,
            Some(text) => match text.parse::<i64>() {
                Ok(n) if (1..=15).contains(&n) => n,
                _ => return Err(AppError::Invalid(format!("每项成果评审专家数“{text}”无效，应为 1 到 15 的整数"))),
            },
        };
        self.store().open_round(year, per, actor).await?;
        Ok(year)
    }

    /// Assigns the round's reviewers by optimisation; the achievements left short (too
    /// few reviewers free of conflict within the load bound), by code.
    pub async fn assign_round(&self, principal: &Principal, actor: &Actor, year: &str) -> AppResult<Vec<String>> {
        self.manages_pool(principal)?;
        let year = parse_year(year)?;
        let round = self.round_of(year).await?;
        let status = status_of(&round)?;
        let store = self.store();
        let scored = store.round_progress(year).await?.1 as usize;
        transition(status, RoundAction::Assign, scored).map_err(AppError::Invalid)?;
        assign_year(store, year, status, round.per_achievement as usize, actor).await
    }

    /// Closes or publishes a round.
    pub async fn advance_round(
        &self,
        principal: &Principal,
        actor: &Actor,
        year: &str,
        action: RoundAction,
    ) -> AppResult<()> {
        self.manages_pool(principal)?;
        let year = parse_year(year)?;
        let round = self.round_of(year).await?;
        let status = status_of(&round)?;
        let next = transition(status, action, 0).map_err(AppError::Invalid)?;
        self.store().set_round_status(year, status.key(), next.key(), actor).await?;
        Ok(())
    }

    /// Puts another expert in the place of one on an achievement (while scoring).
    pub async fn swap_reviewer(
        &self,
        principal: &Principal,
        actor: &Actor,
        year: &str,
        form: &SwapForm,
    ) -> AppResult<()> {
        self.manages_pool(principal)?;
        let year = parse_year(year)?;
        let round = self.round_of(year).await?;
        transition(status_of(&round)?, RoundAction::Swap, 0).map_err(AppError::Invalid)?;
        let store = self.store();
        let input = store.assignment_input(year).await?;
        let code = form.code.trim();
        let subject = input
            .achievements
            .iter()
            .map(|(_, s)| s)
            .find(|s| s.code == code)
            .ok_or_else(|| AppError::Invalid(format!("成果编号“{code}”不是 {year} 年度登记的成果")))?;
        let expert = |name: &str| {
            input
                .experts
                .iter()
                .find(|(_, r)| r.name == name.trim())
                .ok_or_else(|| AppError::Invalid(format!("专家库中没有“{}”", name.trim())))
        };
        let (old_id, old) = expert(&form.old)?;
        let (new_id, new) = expert(&form.new)?;
        let current: Vec<AssignedReviewer> = store.assigned_reviewers(code).await?;
        let names: Vec<&str> = current.iter().map(|r| r.reviewer.as_str()).collect();
        if !names.contains(&old.name.as_str()) {
            return Err(AppError::Invalid(format!("专家 {} 未分配评审成果 {code}", old.name)));
        }
        let loads = store.assignment_loads(year).await?;
        let bound = load_bound(round.per_achievement as usize, input.achievements.len(), input.experts.len());
        let load = loads.get(new_id).copied().unwrap_or(0) as usize;
        check_swap(subject, new, &names, load, bound).map_err(AppError::Invalid)?;
        store.swap_assignment(code, *old_id, *new_id, (&old.name, &new.name), actor).await?;
        Ok(())
    }

    /// The reviewers of an achievement and whether each scored (managers; the names only,
    /// never the scores while the round is open).
    pub async fn assigned_reviewers(&self, principal: &Principal, code: &str) -> AppResult<Vec<AssignedReviewer>> {
        self.manages_pool(principal)?;
        Ok(self.store().assigned_reviewers(code).await?)
    }

    /// The scoring form's state for a reviewer: whether the achievement is assigned to it
    /// in a round being scored, and its scores so far.
    pub async fn scoring_state(
        &self,
        principal: &Principal,
        code: &str,
        year: i64,
    ) -> AppResult<Option<Option<(i64, i64, i64, String)>>> {
        if principal.pool_access() != PoolAccess::OwnReviews {
            return Ok(None);
        }
        let store = self.store();
        let Some(expert) = store.expert_of_user(principal.user_id, &principal.username).await? else {
            return Ok(None);
        };
        let scoring = store.round(year).await?.is_some_and(|r| r.status == RoundStatus::Scoring.key());
        let assigned = store.assigned_reviewers(code).await?.iter().any(|r| r.expert_id == expert);
        if !(scoring && assigned) {
            return Ok(None);
        }
        Ok(Some(store.own_scores(code, expert).await?))
    }

    /// A reviewer's scores on an achievement assigned to it, while its round is scoring.
    pub async fn submit_review(
        &self,
        principal: &Principal,
        actor: &Actor,
        code: &str,
        form: &ScoreForm,
    ) -> AppResult<()> {
        if principal.pool_access() != PoolAccess::OwnReviews {
            return Err(AppError::Forbidden);
        }
        let store = self.store();
        let not_found = || AppError::not_found("分配给您的该成果");
        let expert = store.expert_of_user(principal.user_id, &principal.username).await?.ok_or_else(not_found)?;
        let achievement = store.achievement(code).await?.ok_or_else(not_found)?;
        if !store.assigned_reviewers(code).await?.iter().any(|r| r.expert_id == expert) {
            return Err(not_found());
        }
        let status = match store.round(achievement.year).await? {
            Some(round) => status_of(&round)?,
            None => return Err(not_found()),
        };
        transition(status, RoundAction::Score, 0).map_err(AppError::Invalid)?;
        let (scores, comment) = parse_score_form(form)?;
        store.submit_scores(code, expert, scores, &comment, actor).await?;
        Ok(())
    }

    /// A published year's pool (public): the latest published year unless asked.
    pub async fn published_pool(&self, year: Option<&str>) -> AppResult<PublishedPool> {
        let years = self.published_years().await?;
        let year = match non_empty(year) {
            Some(text) => {
                let year = parse_year(text)?;
                if !years.contains(&year) {
                    return Err(AppError::not_found(&format!("{year} 年度已发布的入池成果")));
                }
                Some(year)
            }
            None => years.first().copied(),
        };
        let Some(year) = year else {
            return Ok(PublishedPool { year: None, years, industries: Vec::new(), count: 0 });
        };
        let page = self.pool_of(year, zhaoshang_core::achievements::Ratio::DEFAULT).await?;
        let count = page.industries.iter().map(|g| g.items.len()).sum();
        Ok(PublishedPool { year: Some(year), years, industries: page.industries, count })
    }

    /// The published rounds' years, the latest first (public).
    pub async fn published_years(&self) -> AppResult<Vec<i64>> {
        Ok(self
            .store()
            .rounds()
            .await?
            .into_iter()
            .filter(|r| r.status == RoundStatus::Published.key())
            .map(|r| r.year)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(m: &str, e: &str, t: &str, c: &str) -> ScoreForm {
        ScoreForm { market: m.into(), economic: e.into(), technical: t.into(), comment: c.into() }
    }

    #[test]
    fn scoring_forms_are_checked_whole() {
        let (scores, comment) = parse_score_form(&form("85", "70.5", "92", " 前景好 ")).unwrap();
        assert_eq!((scores.market, scores.economic, scores.technical), (Score(8500), Score(7050), Score(9200)));
        assert_eq!(comment, "前景好");
        let error = parse_score_form(&form("", "101", "abc", "")).unwrap_err().to_string();
        assert!(
            error.contains("请填写市场潜力评分") && error.contains("经济价值") && error.contains("技术含量"),
            "{error}"
        );
        let long = "很".repeat(COMMENT_MAX_CHARS + 1);
        assert!(parse_score_form(&form("1", "2", "3", &long)).unwrap_err().to_string().contains("评审意见"));
    }
}
