//! Review rounds of the S&T pool as the pages use them (issue 21 point 2): the
//! administrator (or province staff) opens a year's round, assigns reviewers by
//! optimisation (`core::rounds::assign`), swaps single reviewers, closes and publishes;
//! a reviewer scores what it was assigned. While a year's round is not closed nobody but
//! the reviewer itself reads a score of that year, and the year is not ranked.

use crate::achievements::{candidates_with_intervals, parse_year};
use crate::exchange::export::NumberFormat;
use crate::exchange::Table;
use crate::{App, AppError, AppResult};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use zhaoshang_core::access::{PoolAccess, Principal};
use zhaoshang_core::achievements::{select, Aggregate, Exact, Ratio, Score, Scores, Weights};
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

/// A closed round's report (issue 21 point 5): its figures and the sections, each a table
/// that the printable page shows and the workbook holds as a sheet.
pub struct RoundReport {
    pub year: i64,
    pub status: RoundStatus,
    pub registered: usize,
    pub reviewed: usize,
    pub selected: usize,
    pub sections: Vec<Table>,
}

/// Registered, reviewed and selected achievements of one industry or institution.
#[derive(Default)]
struct Counts {
    registered: usize,
    reviewed: usize,
    selected: usize,
}

impl Counts {
    fn cells(&self) -> [String; 3] {
        [self.registered, self.reviewed, self.selected].map(|n| n.to_string())
    }
}

/// Composite scores are counted in bins this many points wide (the last takes 100 too).
const BIN_WIDTH: i128 = 10;

/// Mean and median of figures (two decimals each); "—" for none.
fn mean_and_median(mut values: Vec<f64>) -> [String; 2] {
    if values.is_empty() {
        return ["—".into(), "—".into()];
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    let median = if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 };
    [format!("{mean:.2}"), format!("{median:.2}")]
}

fn columns<'a>(columns: &'a [(&'a str, NumberFormat)]) -> impl Iterator<Item = (String, NumberFormat)> + 'a {
    columns.iter().map(|(header, format)| (header.to_string(), *format))
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

/// Where a year's round stands (none when the year has no round).
pub async fn round_status(store: &Store, year: i64) -> AppResult<Option<RoundStatus>> {
    Ok(store.round(year).await?.and_then(|round| RoundStatus::from_key(&round.status)))
}

/// The years whose rounds are not yet closed.
pub async fn sealed_years(store: &Store) -> AppResult<Vec<i64>> {
    Ok(store
        .rounds()
        .await?
        .into_iter()
        .filter(|round| RoundStatus::from_key(&round.status).is_some_and(RoundStatus::seals_scores))
        .map(|round| round.year)
        .collect())
}

/// Whether the scores of a year's achievements are sealed: its round is not yet closed.
pub async fn scores_sealed(store: &Store, year: i64) -> AppResult<bool> {
    Ok(round_status(store, year).await?.is_some_and(RoundStatus::seals_scores))
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
    /// The user may change the pool: its registry and its rounds (managers only).
    pub fn manages_pool(&self, principal: &Principal) -> AppResult<()> {
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
        let page = self.pool_of(year, zhaoshang_core::achievements::Ratio::DEFAULT, false).await?;
        let count = page.industries.iter().map(|g| g.items.len()).sum();
        Ok(PublishedPool { year: Some(year), years, industries: page.industries, count })
    }

    /// A closed (or published) round's report, for whoever reads the pool's scores:
    /// counts by industry and institution, the selection with rank intervals, the
    /// distribution of scores and the reviewers' load.
    pub async fn round_report(&self, principal: &Principal, year: &str) -> AppResult<RoundReport> {
        if !principal.pool_access().reads_pool() {
            return Err(AppError::Forbidden);
        }
        let year = parse_year(year)?;
        let round = self.round_of(year).await?;
        let store = self.store();
        if scores_sealed(store, year).await? {
            return Err(AppError::bad_request(format!("{year} 年度评审尚未结束，结束后才能查看评审报告")));
        }
        let filter = zhaoshang_store::achievements::AchievementFilter { year: Some(year), ..Default::default() };
        let count = store.achievement_count(&filter).await?;
        let achievements =
            store.achievements_page(&filter, zhaoshang_store::achievements::AchievementSort::Code, count, 0).await?;
        let (registered, candidates, intervals) = candidates_with_intervals(store, year).await?;
        // The industry each had in this round (one registered again later may have changed it).
        let round_industry: HashMap<String, String> =
            candidates.iter().map(|c| (c.code.clone(), c.industry.clone())).collect();
        let selection = select(registered, candidates, Ratio::DEFAULT, Weights::EQUAL);
        let names = self.industry_names().await?;
        let industry_name = |code: &str| names.get(code).cloned().unwrap_or_else(|| "未填行业".to_string());
        let place: HashMap<&str, usize> =
            selection.ranked.iter().enumerate().map(|(index, r)| (r.code.as_str(), index)).collect();
        let title = |what: &str| format!("{year} 年度科技成果评审报告：{what}");
        use NumberFormat::{Decimal, Text, Whole};

        let mut by_industry: BTreeMap<&str, Counts> = BTreeMap::new();
        let mut by_institution: BTreeMap<&str, Counts> = BTreeMap::new();
        for achievement in &achievements {
            let at = place.get(achievement.code.as_str());
            for counts in [
                by_industry
                    .entry(round_industry.get(&achievement.code).map_or(achievement.industry.as_str(), String::as_str))
                    .or_default(),
                by_institution.entry(achievement.institution.as_str()).or_default(),
            ] {
                counts.registered += 1;
                counts.reviewed += usize::from(at.is_some());
                counts.selected += usize::from(at.is_some_and(|&index| index < selection.selected));
            }
        }
        let mut industries = Table::report(
            "按行业",
            title("按行业统计"),
            columns(&[("行业代码", Text), ("行业名称", Text), ("登记成果", Whole), ("已评审", Whole), ("入池", Whole)]),
            2,
        );
        for (code, counts) in &by_industry {
            industries.rows.push([vec![code.to_string(), industry_name(code)], counts.cells().to_vec()].concat());
        }
        let mut institutions = Table::report(
            "按单位",
            title("按完成单位统计"),
            columns(&[("完成单位", Text), ("登记成果", Whole), ("已评审", Whole), ("入池", Whole)]),
            1,
        );
        let mut institution_rows: Vec<(&&str, &Counts)> = by_institution.iter().collect();
        institution_rows.sort_by(|a, b| b.1.registered.cmp(&a.1.registered).then_with(|| a.0.cmp(b.0)));
        for (name, counts) in institution_rows {
            institutions.rows.push([vec![name.to_string()], counts.cells().to_vec()].concat());
        }

        let data: HashMap<&str, &zhaoshang_store::achievements::AchievementData> =
            achievements.iter().map(|a| (a.code.as_str(), a)).collect();
        let mut pool = Table::report(
            "入池名单",
            title("入池名单"),
            columns(&[
                ("总排名", Whole),
                ("行业内排名", Whole),
                ("成果编号", Text),
                ("成果名称", Text),
                ("完成单位", Text),
                ("行业", Text),
                ("综合得分", Decimal),
                ("名次区间", Text),
                ("临界", Text),
            ]),
            3,
        );
        for ranked in selection.pool() {
            let item = data.get(ranked.code.as_str());
            let interval = intervals.get(&ranked.code);
            pool.rows.push(vec![
                ranked.rank.to_string(),
                ranked.rank_in_industry.unwrap_or_default().to_string(),
                ranked.code.clone(),
                item.map(|a| a.title.clone()).unwrap_or_default(),
                item.map(|a| a.institution.clone()).unwrap_or_default(),
                format!("{} {}", ranked.industry, industry_name(&ranked.industry)),
                format!("{:.2}", ranked.aggregate.composite.rounded_2()),
                interval.map(|i| format!("{}–{}", i.best, i.worst)).unwrap_or_default(),
                if interval.is_some_and(|i| i.crosses(selection.selected)) { "临界" } else { "" }.to_string(),
            ]);
        }

        const BINS: usize = (100 / BIN_WIDTH) as usize;
        let mut bins = [0usize; BINS];
        for ranked in &selection.ranked {
            let composite = ranked.aggregate.composite;
            let bin = composite.numerator / (composite.denominator * BIN_WIDTH);
            bins[(bin as usize).min(BINS - 1)] += 1;
        }
        let mut histogram = Table::report(
            "得分分布",
            title("综合得分分布（已评审成果）"),
            columns(&[("综合得分", Text), ("成果数", Whole)]),
            1,
        );
        for (index, count) in bins.iter().enumerate() {
            let (from, to) = (index as i128 * BIN_WIDTH, (index as i128 + 1) * BIN_WIDTH);
            let label = if to == 100 { format!("{from}–{to}") } else { format!("{from}–{to}（不含）") };
            histogram.rows.push(vec![label, count.to_string()]);
        }
        let mut dimensions = Table::report(
            "各维度得分",
            title("各维度得分（已评审成果，按计入的评审计）"),
            columns(&[("维度", Text), ("平均分", Decimal), ("中位数", Decimal)]),
            1,
        );
        let values = |figure: fn(&Aggregate) -> Exact| -> Vec<f64> {
            selection.ranked.iter().map(|r| figure(&r.aggregate).value()).collect()
        };
        for (name, values) in [
            ("综合得分", values(|a| a.composite)),
            ("市场潜力", values(|a| a.market)),
            ("经济价值", values(|a| a.economic)),
            ("技术含量", values(|a| a.technical)),
        ] {
            dimensions.rows.push([vec![name.to_string()], mean_and_median(values).to_vec()].concat());
        }

        let mut sections = vec![industries, institutions, pool, histogram, dimensions];
        // Reviewers are named to managers only (a leader reads scores, never who gave them).
        if principal.pool_access() == PoolAccess::Manage {
            sections.push(self.reviewer_load(year, &title("评审专家工作量")).await?);
        }
        Ok(RoundReport {
            year,
            status: status_of(&round)?,
            registered,
            reviewed: selection.ranked.len(),
            selected: selection.selected,
            sections,
        })
    }

    async fn reviewer_load(&self, year: i64, title: &str) -> AppResult<Table> {
        let mut reviewers = Table::report(
            "专家工作量",
            title.to_string(),
            columns(&[
                ("评审专家", NumberFormat::Text),
                ("分配成果", NumberFormat::Whole),
                ("已评分", NumberFormat::Whole),
            ]),
            1,
        );
        for (name, assigned, scored) in self.store().reviewer_progress(year).await? {
            reviewers.rows.push(vec![name, assigned.to_string(), scored.to_string()]);
        }
        Ok(reviewers)
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
