//! The S&T achievement pool (科技成果转化池) as the pages and the command line use it:
//! the filtered registry, an achievement with its reviews, and a year's selection
//! (`zhaoshang pool select`, the pool page ranked by industry).
//!
//! Scope (`Principal::pool_access`): the administrator and province staff see everything;
//! leaders read the registry and the pool without any reviewer's own scores; a reviewer
//! sees the achievements it reviewed and only its own scores.

use crate::exchange::{achievement_table, columns, expert_table, parse_credit_code, ImportKind, Table};
use crate::projects::{keyword, page_offset};
use crate::{App, AppError, AppResult};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use zhaoshang_core::access::{PoolAccess, Principal, Role};
use zhaoshang_core::achievements::{
    check_text, rank_intervals, select, Aggregate, Candidate, Maturity, RankInterval, Ranked, Ratio, Selection,
    Weights, INSTITUTION_MAX_CHARS, RESAMPLES, RESAMPLE_SEED,
};
use zhaoshang_core::rounds::RoundStatus;
use zhaoshang_core::text::non_empty;
use zhaoshang_store::achievements::{
    AchievementData, AchievementFilter, AchievementSort, ExpertData, ExpertRow, InstitutionRow, ReviewData,
};
use zhaoshang_store::{Actor, Store, StoreError};

/// `zhaoshang pool select --json` (SPEC.md "Statistics interfaces, continued").
#[derive(Debug, Clone, Serialize)]
pub struct PoolSelection {
    pub year: i64,
    pub registered: usize,
    pub selected: Vec<SelectedItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SelectedItem {
    pub code: String,
    /// Rounded half up to two decimals, as `stats chambers` rounds its scores.
    pub composite: f64,
    pub industry: String,
    pub rank_in_industry: usize,
}

/// A registration year as typed: 1990–2100.
pub fn parse_year(text: &str) -> AppResult<i64> {
    let text = text.trim();
    match text.trim_end_matches('年').parse::<i64>() {
        Ok(year) if (1990..=2100).contains(&year) => Ok(year),
        _ => Err(AppError::Invalid(format!("登记年度“{text}”无效，应为 1990 至 2100 之间的年份，如 2023"))),
    }
}

/// Scores a year's round: the registered achievements of `year` and their reviews.
pub async fn selection(store: &Store, year: i64, ratio: Ratio, weights: Weights) -> AppResult<Selection> {
    let (registered, candidates) = store.pool_candidates(year).await?;
    Ok(select(registered, candidates, ratio, weights))
}

/// A selection as `pool select --json` prints it, best first.
pub fn selection_json(year: i64, selection: &Selection) -> PoolSelection {
    let selected = selection
        .pool()
        .iter()
        .map(|item| SelectedItem {
            code: item.code.clone(),
            composite: item.aggregate.composite.rounded_2(),
            industry: item.industry.clone(),
            rank_in_industry: item.rank_in_industry.unwrap_or_default(),
        })
        .collect();
    PoolSelection { year, registered: selection.registered, selected }
}

/// The list's request.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct AchievementQuery {
    pub year: Option<String>,
    pub industry: Option<String>,
    pub institution: Option<String>,
    pub maturity: Option<String>,
    /// "1": only the achievements in the year's pool (needs a year).
    pub pooled: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<u32>,
    /// `xlsx` or `csv`: the list as a download.
    pub format: Option<String>,
}

/// The request of the institutions' and the experts' lists: a keyword, a page, and for
/// the experts `format` (`xlsx` or `csv`) for the pool as a download.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct RegistryQuery {
    pub q: Option<String>,
    pub page: Option<u32>,
    pub format: Option<String>,
}

/// The institution form: a name and an optional 统一社会信用代码.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct InstitutionForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub credit_code: String,
}

pub struct ExpertPage {
    pub rows: Vec<ExpertRow>,
    pub total: i64,
    /// The year whose assignments and reviews are counted (the latest registered).
    pub year: Option<i64>,
}

/// One achievement of the list, with its place in its year's selection when ranked.
pub struct AchievementRow {
    pub data: AchievementData,
    pub maturity: &'static str,
    pub composite: Option<f64>,
    pub in_pool: bool,
}

pub struct AchievementPage {
    pub rows: Vec<AchievementRow>,
    pub total: i64,
    pub sort: AchievementSort,
    /// Whether the list shows composites and the pool (not to a reviewer).
    pub shows_scores: bool,
}

/// An achievement with the reviews the user may read.
pub struct AchievementDetail {
    pub data: AchievementData,
    pub maturity: &'static str,
    pub industry_name: String,
    /// Every review for managers, the user's own for a reviewer, none for a leader.
    pub reviews: Vec<ReviewData>,
    /// 联系方式, for staff (managers and leaders); a reviewer scores without it.
    pub contact: Option<String>,
    /// The reviews summed up and the place in the year's selection (not for a reviewer).
    pub ranked: Option<Ranked>,
    pub in_pool: bool,
    /// The year's round is not closed: nobody but each reviewer reads its scores.
    pub sealed: bool,
    /// The earlier rounds it took part in, the latest first (not for a reviewer).
    pub past_rounds: Vec<PastRound>,
}

/// An earlier round of an achievement registered again in a later year: its place in
/// that year's selection (none while that round's scores are sealed, or without reviews).
pub struct PastRound {
    pub year: i64,
    pub ranked: Option<Ranked>,
    pub in_pool: bool,
    /// Every review of that round for managers once it closed, none for others.
    pub reviews: Vec<ReviewData>,
}

/// The pool of a year as its page shows it: the selected achievements by industry.
pub struct PoolPage {
    pub year: i64,
    pub ratio: f64,
    pub registered: usize,
    pub reviewed: usize,
    /// How many the pool takes in all (before the page's industry and flag filters).
    pub selected: usize,
    pub industries: Vec<PoolIndustry>,
    pub disagreements: usize,
    /// How many selected achievements' rank intervals cross the cut.
    pub critical: usize,
    /// The year's round is not closed: no ranking yet.
    pub sealed: bool,
    /// The year's round is closed (or published): its report can be read.
    pub has_report: bool,
}

/// The pool page's request: the year (the latest registered when absent), the share that
/// enters (0.2 when absent), one industry, and `flagged=1` for the achievements whose
/// reviewers disagree strongly only.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct PoolQuery {
    pub year: Option<String>,
    pub ratio: Option<String>,
    pub industry: Option<String>,
    pub flagged: Option<String>,
}

/// A pool page as filtered, with what its filters offer.
pub struct PoolView {
    pub page: PoolPage,
    /// The years that have achievements, the latest first.
    pub years: Vec<i64>,
    /// The industries of the whole pool (code, name), for the filter.
    pub industry_options: Vec<(String, String)>,
}

pub struct PoolIndustry {
    pub code: String,
    pub name: String,
    pub items: Vec<PoolItem>,
}

pub struct PoolItem {
    pub data: AchievementData,
    pub rank: usize,
    pub rank_in_industry: usize,
    pub aggregate: Aggregate,
    /// The ranks it takes when its reviews are resampled (not on the published page).
    pub interval: Option<RankInterval>,
    /// The interval reaches across the cut: one more review would settle it.
    pub critical: bool,
}

/// Rank intervals by code.
pub type Intervals = Arc<HashMap<String, RankInterval>>;

/// A year's registered achievements (their number), each with its reviews, and each
/// reviewed one's rank interval under resampling (`rank_intervals`). The intervals are
/// kept per year while no achievement, review or round has changed since (the `pool`
/// counter, see `zhaoshang_store::report_cache`); on a miss they are computed off the
/// async workers (a few hundred milliseconds for a year of 2,000, seconds unoptimised).
pub async fn candidates_with_intervals(store: &Store, year: i64) -> AppResult<(usize, Vec<Candidate>, Intervals)> {
    // Read before the reviews, so that intervals are never older than their counter.
    let version = store.pool_version().await?;
    let (registered, candidates) = store.pool_candidates(year).await?;
    if let Some(intervals) = store.interval_cache().get(&year, version) {
        return Ok((registered, candidates, intervals));
    }
    let (candidates, intervals) = tokio::task::spawn_blocking(move || {
        let intervals = rank_intervals(&candidates, Weights::EQUAL, RESAMPLES, RESAMPLE_SEED);
        (candidates, Arc::new(intervals))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    store.interval_cache().put(year, version, intervals.clone());
    Ok((registered, candidates, intervals))
}

/// The maturity's label (the stored key when unknown, empty when none).
fn maturity_label(key: &str) -> &'static str {
    Maturity::from_key(key).map(Maturity::label).unwrap_or("")
}

impl App {
    fn pool_access(&self, principal: &Principal) -> AppResult<PoolAccess> {
        match principal.pool_access() {
            PoolAccess::Nothing => Err(AppError::Forbidden),
            access => Ok(access),
        }
    }

    /// The expert a reviewer signs in as (none when the pool does not know it).
    async fn own_expert(&self, principal: &Principal) -> AppResult<Option<i64>> {
        Ok(self.store().expert_of_user(principal.user_id, &principal.username).await?)
    }

    /// The list filter of a request within the user's access; the year's selection when
    /// the request names a year.
    async fn achievement_filter(
        &self,
        principal: &Principal,
        query: &AchievementQuery,
    ) -> AppResult<(AchievementFilter, Option<Selection>)> {
        let access = self.pool_access(principal)?;
        let year = non_empty(query.year.as_deref()).map(parse_year).transpose()?;
        let maturity = match non_empty(query.maturity.as_deref()) {
            None => None,
            Some(text) => Some(Maturity::parse(text).map_err(AppError::bad_request)?.key().to_string()),
        };
        let mut filter = AchievementFilter {
            year,
            industry: non_empty(query.industry.as_deref()).map(str::to_string),
            institution: non_empty(query.institution.as_deref()).map(str::to_string),
            maturity,
            keyword: keyword(&query.q)?,
            codes: None,
        };
        let pooled = non_empty(query.pooled.as_deref()).is_some();
        if access == PoolAccess::OwnReviews {
            if pooled {
                return Err(AppError::Forbidden);
            }
            let expert = self.own_expert(principal).await?;
            filter.codes = Some(match expert {
                Some(expert) => self.store().codes_reviewed_by(expert).await?,
                None => Vec::new(),
            });
            return Ok((filter, None));
        }
        let sealed = match year {
            Some(year) => crate::rounds::scores_sealed(self.store(), year).await?,
            None => false,
        };
        let selection = match year {
            Some(_) if sealed && pooled => {
                return Err(AppError::bad_request("该年度评审尚未结束，还没有入池成果"));
            }
            Some(_) if sealed => None,
            Some(year) => Some(selection(self.store(), year, Ratio::DEFAULT, Weights::EQUAL).await?),
            None if pooled => return Err(AppError::bad_request("筛选入池成果时请选择登记年度")),
            None => None,
        };
        if pooled {
            filter.codes = selection.as_ref().map(|s| s.pool().iter().map(|r| r.code.clone()).collect());
        }
        Ok((filter, selection))
    }

    /// One page of the registry.
    pub async fn achievement_page(
        &self,
        principal: &Principal,
        query: &AchievementQuery,
        per_page: i64,
    ) -> AppResult<AchievementPage> {
        let (filter, selection) = self.achievement_filter(principal, query).await?;
        let sort = AchievementSort::parse(query.sort.as_deref().unwrap_or(""));
        let (_, offset) = page_offset(query.page, per_page);
        let store = self.store();
        let total = store.achievement_count(&filter).await?;
        let found = store.achievements_page(&filter, sort, per_page, offset).await?;
        let ranked: HashMap<&str, &Ranked> =
            selection.iter().flat_map(|s| s.ranked.iter()).map(|r| (r.code.as_str(), r)).collect();
        let rows = found
            .into_iter()
            .map(|data| {
                let ranked = ranked.get(data.code.as_str());
                AchievementRow {
                    maturity: maturity_label(&data.maturity),
                    composite: ranked.map(|r| r.aggregate.composite.rounded_2()),
                    in_pool: ranked.is_some_and(|r| r.rank_in_industry.is_some()),
                    data,
                }
            })
            .collect();
        Ok(AchievementPage { rows, total, sort, shows_scores: principal.pool_access().reads_pool() })
    }

    /// The list as filtered, for download (managers only: it is the registry itself).
    pub async fn achievement_export(&self, principal: &Principal, query: &AchievementQuery) -> AppResult<Table> {
        if self.pool_access(principal)? != PoolAccess::Manage {
            return Err(AppError::Forbidden);
        }
        let (filter, _) = self.achievement_filter(principal, query).await?;
        achievement_table(self.store(), &filter).await
    }

    /// An achievement the user may open, with the user's access and, for a reviewer, its
    /// expert: 404 when unknown, and for a reviewer one it neither reviewed nor was
    /// assigned (told no more than "not found").
    pub(crate) async fn achievement_in_scope(
        &self,
        principal: &Principal,
        code: &str,
    ) -> AppResult<(AchievementData, PoolAccess, Option<i64>)> {
        let access = self.pool_access(principal)?;
        let store = self.store();
        let not_found = || AppError::not_found("该科技成果");
        let data = store.achievement(code).await?.ok_or_else(not_found)?;
        if access != PoolAccess::OwnReviews {
            return Ok((data, access, None));
        }
        let expert = self.own_expert(principal).await?.ok_or_else(not_found)?;
        let reviewed = !store.reviews_of(code, Some(expert)).await?.is_empty();
        let assigned = store.assigned_reviewers(code).await?.iter().any(|r| r.expert_id == expert);
        if !reviewed && !assigned {
            return Err(not_found());
        }
        Ok((data, access, Some(expert)))
    }

    /// An achievement with the reviews the user may read.
    pub async fn achievement_detail(&self, principal: &Principal, code: &str) -> AppResult<AchievementDetail> {
        let (data, access, expert) = self.achievement_in_scope(principal, code).await?;
        let store = self.store();
        let sealed = crate::rounds::scores_sealed(store, data.year).await?;
        let reviews = match access {
            PoolAccess::Manage if sealed => Vec::new(),
            PoolAccess::Manage => store.reviews_of(code, None).await?,
            PoolAccess::OwnReviews => store.reviews_of(code, expert).await?,
            PoolAccess::Read | PoolAccess::Nothing => Vec::new(),
        };
        let ranked = if access.reads_pool() && !sealed {
            let year_selection = selection(store, data.year, Ratio::DEFAULT, Weights::EQUAL).await?;
            year_selection.ranked.into_iter().find(|r| r.code == data.code)
        } else {
            None
        };
        let industry_name = self.industry_name(&data.industry).await?;
        let mut past_rounds = Vec::new();
        if access.reads_pool() {
            let mut past_reviews = match access {
                PoolAccess::Manage => store.past_reviews_of(code).await?,
                _ => Vec::new(),
            };
            for year in store.past_rounds_of(code).await? {
                if crate::rounds::scores_sealed(store, year).await? {
                    past_rounds.push(PastRound { year, ranked: None, in_pool: false, reviews: Vec::new() });
                    continue;
                }
                let ranked = selection(store, year, Ratio::DEFAULT, Weights::EQUAL)
                    .await?
                    .ranked
                    .into_iter()
                    .find(|r| r.code == data.code);
                let in_pool = ranked.as_ref().is_some_and(|r| r.rank_in_industry.is_some());
                let (reviews, rest) = past_reviews.into_iter().partition(|(y, _)| *y == year);
                past_reviews = rest;
                let reviews = reviews.into_iter().map(|(_, review)| review).collect();
                past_rounds.push(PastRound { year, ranked, in_pool, reviews });
            }
        }
        Ok(AchievementDetail {
            past_rounds,
            maturity: maturity_label(&data.maturity),
            contact: access.reads_pool().then(|| data.contact.clone()),
            in_pool: ranked.as_ref().is_some_and(|r| r.rank_in_industry.is_some()),
            ranked,
            industry_name,
            reviews,
            data,
            sealed,
        })
    }

    async fn industry_name(&self, code: &str) -> AppResult<String> {
        Ok(self.industry_names().await?.remove(code).unwrap_or_default())
    }

    /// Industry names by GB/T 4754 code.
    pub async fn industry_names(&self) -> AppResult<HashMap<String, String>> {
        Ok(self.store().industries().await?.into_iter().map(|i| (i.code, i.name)).collect())
    }

    /// The pool page as a request filters it.
    pub async fn pool_view(&self, principal: &Principal, query: &PoolQuery) -> AppResult<PoolView> {
        if !self.pool_access(principal)?.reads_pool() {
            return Err(AppError::Forbidden);
        }
        let years = self.store().achievement_years().await?;
        let year = match non_empty(query.year.as_deref()) {
            Some(text) => parse_year(text)?,
            None => years.first().copied().unwrap_or_else(|| crate::calendar::today().year() as i64 - 1),
        };
        let ratio = match non_empty(query.ratio.as_deref()) {
            Some(text) => Ratio::parse(text).map_err(AppError::bad_request)?,
            None => Ratio::DEFAULT,
        };
        let mut page = self.pool_page(principal, year, ratio).await?;
        let industry_options = page.industries.iter().map(|g| (g.code.clone(), g.name.clone())).collect();
        if let Some(industry) = non_empty(query.industry.as_deref()) {
            page.industries.retain(|g| g.code == industry);
        }
        if non_empty(query.flagged.as_deref()).is_some() {
            for group in &mut page.industries {
                group.items.retain(|item| item.aggregate.disagrees_strongly());
            }
            page.industries.retain(|g| !g.items.is_empty());
        }
        Ok(PoolView { page, years, industry_options })
    }

    /// A year's pool for its page: the selected achievements grouped by industry (the
    /// industries in code order, each best first).
    pub async fn pool_page(&self, principal: &Principal, year: i64, ratio: Ratio) -> AppResult<PoolPage> {
        if !self.pool_access(principal)?.reads_pool() {
            return Err(AppError::Forbidden);
        }
        self.pool_of(year, ratio, true).await
    }

    /// A year's pool by industry, for whoever may read it (the published page too, without
    /// the rank intervals).
    pub(crate) async fn pool_of(&self, year: i64, ratio: Ratio, with_intervals: bool) -> AppResult<PoolPage> {
        let store = self.store();
        let status = crate::rounds::round_status(store, year).await?;
        if status.is_some_and(RoundStatus::seals_scores) {
            let (registered, _) = store.pool_candidates(year).await?;
            return Ok(PoolPage {
                year,
                ratio: ratio.value(),
                registered,
                reviewed: 0,
                selected: 0,
                industries: Vec::new(),
                disagreements: 0,
                critical: 0,
                sealed: true,
                has_report: false,
            });
        }
        let (registered, candidates, intervals) = match with_intervals {
            true => candidates_with_intervals(store, year).await?,
            false => {
                let (registered, candidates) = store.pool_candidates(year).await?;
                (registered, candidates, Intervals::default())
            }
        };
        let selection = select(registered, candidates, ratio, Weights::EQUAL);
        let codes: Vec<String> = selection.pool().iter().map(|r| r.code.clone()).collect();
        let filter = AchievementFilter { codes: Some(codes), ..Default::default() };
        let count = store.achievement_count(&filter).await?;
        let mut data: HashMap<String, AchievementData> = store
            .achievements_page(&filter, AchievementSort::Code, count, 0)
            .await?
            .into_iter()
            .map(|a| (a.code.clone(), a))
            .collect();
        let names = self.industry_names().await?;
        let mut industries: Vec<PoolIndustry> = Vec::new();
        for ranked in selection.pool() {
            let Some(item) = data.remove(&ranked.code) else { continue };
            let interval = intervals.get(&ranked.code).copied();
            let item = PoolItem {
                interval,
                critical: interval.is_some_and(|i| i.crosses(selection.selected)),
                data: item,
                rank: ranked.rank,
                rank_in_industry: ranked.rank_in_industry.unwrap_or_default(),
                aggregate: ranked.aggregate.clone(),
            };
            match industries.iter_mut().find(|group| group.code == ranked.industry) {
                Some(group) => group.items.push(item),
                None => industries.push(PoolIndustry {
                    code: ranked.industry.clone(),
                    name: names.get(&ranked.industry).cloned().unwrap_or_else(|| "未填行业".to_string()),
                    items: vec![item],
                }),
            }
        }
        industries.sort_by(|a, b| a.code.cmp(&b.code));
        let disagreements = selection.pool().iter().filter(|r| r.aggregate.disagrees_strongly()).count();
        let critical = industries.iter().flat_map(|g| &g.items).filter(|item| item.critical).count();
        Ok(PoolPage {
            year,
            ratio: ratio.value(),
            registered: selection.registered,
            reviewed: selection.ranked.len(),
            selected: selection.selected,
            industries,
            disagreements,
            critical,
            sealed: false,
            has_report: status.is_some_and(RoundStatus::has_report),
        })
    }

    /// The achievement form's fields of a stored achievement (managers only), keyed as
    /// the import's columns.
    pub async fn achievement_form_values(
        &self,
        principal: &Principal,
        code: &str,
    ) -> AppResult<HashMap<String, String>> {
        self.manages_pool(principal)?;
        let data = self.store().achievement(code).await?.ok_or_else(|| AppError::not_found("该科技成果"))?;
        let year = data.year.to_string();
        Ok([
            ("code", data.code),
            ("title", data.title),
            ("institution", data.institution),
            ("institution_credit_code", data.institution_credit_code),
            ("industry", data.industry),
            ("year", year),
            ("maturity", data.maturity),
            ("ip", data.ip),
            ("contact", data.contact),
            ("description", data.description),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect())
    }

    /// Saves the achievement form as a one-row import, so that the form and the file obey
    /// the same rules: a new achievement (`editing` none; its code must be new) or the
    /// stored `editing` (its code is not changed). Returns the code saved, or the problems
    /// per field ("form" for a refusal of the store's, such as a move to another year).
    pub async fn save_achievement_form(
        &self,
        principal: &Principal,
        actor: &Actor,
        editing: Option<&str>,
        values: &HashMap<String, String>,
    ) -> AppResult<Result<String, HashMap<String, String>>> {
        self.manages_pool(principal)?;
        let mut fields = values.clone();
        let code = match editing {
            Some(code) => {
                let stored = self.store().achievement(code).await?.ok_or_else(|| AppError::not_found("该科技成果"))?;
                stored.code
            }
            None => {
                let code = values.get("code").map(|c| c.trim()).unwrap_or("").to_string();
                if self.store().achievement(&code).await?.is_some() {
                    return Ok(Err(HashMap::from([("code".to_string(), format!("成果编号“{code}”已存在"))])));
                }
                code
            }
        };
        fields.insert("code".into(), code.clone());
        Ok(self.save_registry_row(principal, actor, ImportKind::Achievements, fields).await?.map(|()| code))
    }

    /// Saves a registry form as a one-row import of `kind` (its columns' keys taken from
    /// `fields`, absent ones empty): the problems per field when it is bad, and a refusal
    /// of the store's (a `Conflict` or `Invalid`, in Chinese) as the form's problem rather
    /// than an error page.
    async fn save_registry_row(
        &self,
        principal: &Principal,
        actor: &Actor,
        kind: ImportKind,
        fields: HashMap<String, String>,
    ) -> AppResult<Result<(), HashMap<String, String>>> {
        let fields: HashMap<String, String> =
            columns(kind).iter().map(|c| (c.key.to_string(), fields.get(c.key).cloned().unwrap_or_default())).collect();
        match self.save_form_row(principal, actor, kind, &fields).await {
            Ok(None) => Ok(Ok(())),
            Ok(Some(errors)) => Ok(Err(errors)),
            Err(AppError::Store(StoreError::Conflict(message) | StoreError::Invalid(message))) => {
                Ok(Err(HashMap::from([("form".to_string(), message)])))
            }
            Err(error) => Err(error),
        }
    }

    /// One page of the institutions (those who read the pool).
    pub async fn institution_page(
        &self,
        principal: &Principal,
        query: &RegistryQuery,
        per_page: i64,
    ) -> AppResult<(Vec<InstitutionRow>, i64)> {
        if !self.pool_access(principal)?.reads_pool() {
            return Err(AppError::Forbidden);
        }
        let keyword = keyword(&query.q)?;
        let (_, offset) = page_offset(query.page, per_page);
        let store = self.store();
        Ok((store.institutions_page(&keyword, per_page, offset).await?, store.institution_count(&keyword).await?))
    }

    /// An institution for its form (managers only).
    pub async fn institution_for_edit(&self, principal: &Principal, id: i64) -> AppResult<InstitutionRow> {
        self.manages_pool(principal)?;
        self.store().institution(id).await?.ok_or_else(|| AppError::not_found("该单位"))
    }

    /// Adds an institution (`id` none) or renames and recodes one (managers only): its
    /// id, or the reason it is refused (a name that is empty or too long, a credit code
    /// that is not valid or is another institution's, a name that is another's).
    pub async fn save_institution(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: Option<i64>,
        form: &InstitutionForm,
    ) -> AppResult<Result<i64, String>> {
        self.manages_pool(principal)?;
        let name = form.name.trim();
        if let Err(message) = check_text("单位名称", name, INSTITUTION_MAX_CHARS) {
            return Ok(Err(message));
        }
        let code = match form.credit_code.trim() {
            "" => String::new(),
            text => match parse_credit_code(text) {
                Ok(code) => code,
                Err(message) => return Ok(Err(message)),
            },
        };
        match self.store().save_institution(id, name, &code, actor).await {
            Ok(id) => Ok(Ok(id)),
            Err(StoreError::Conflict(message)) => Ok(Err(message)),
            Err(StoreError::NotFound(_)) => Err(AppError::not_found("该单位")),
            Err(error) => Err(error.into()),
        }
    }

    /// One page of the expert pool (those who read the pool), each expert with its
    /// assignments and reviews in the latest registration year (none when no year).
    pub async fn expert_page(
        &self,
        principal: &Principal,
        query: &RegistryQuery,
        per_page: i64,
    ) -> AppResult<ExpertPage> {
        if !self.pool_access(principal)?.reads_pool() {
            return Err(AppError::Forbidden);
        }
        let keyword = keyword(&query.q)?;
        let (_, offset) = page_offset(query.page, per_page);
        let store = self.store();
        let year = store.achievement_years().await?.first().copied();
        let rows = store.experts_page(&keyword, year.unwrap_or(0), per_page, offset).await?;
        Ok(ExpertPage { rows, total: store.expert_count(&keyword).await?, year })
    }

    /// The expert pool for download (managers only), as its import reads it.
    pub async fn expert_export(&self, principal: &Principal) -> AppResult<Table> {
        self.manages_pool(principal)?;
        expert_table(self.store()).await
    }

    /// An expert for its form (managers only).
    pub async fn expert_for_edit(&self, principal: &Principal, id: i64) -> AppResult<ExpertData> {
        self.manages_pool(principal)?;
        self.store().expert_data(id).await?.ok_or_else(|| AppError::not_found("该评审专家"))
    }

    /// The user names of the accounts of role reviewer, which an expert may be linked to
    /// (managers only).
    pub async fn reviewer_accounts(&self, principal: &Principal) -> AppResult<Vec<String>> {
        self.manages_pool(principal)?;
        let users = self.store().users().await?;
        Ok(users.into_iter().filter(|u| u.role == Role::Reviewer.key()).map(|u| u.username).collect())
    }

    /// Saves the expert form as a one-row import of the expert pool (the import's rules):
    /// a new expert (`editing` none; its name must be new) or the stored expert `editing`
    /// (its name is not changed). Returns the expert's id, or the problems per field.
    pub async fn save_expert_form(
        &self,
        principal: &Principal,
        actor: &Actor,
        editing: Option<i64>,
        values: &HashMap<String, String>,
    ) -> AppResult<Result<i64, HashMap<String, String>>> {
        self.manages_pool(principal)?;
        let mut fields = values.clone();
        match editing {
            Some(id) => {
                let stored = self.store().expert_data(id).await?.ok_or_else(|| AppError::not_found("该评审专家"))?;
                fields.insert("name".into(), stored.name);
            }
            None => {
                let name = values.get("name").map(|n| n.trim()).unwrap_or("");
                if self.store().expert_id(name).await?.is_some() {
                    return Ok(Err(HashMap::from([("name".to_string(), format!("专家“{name}”已在专家库中"))])));
                }
            }
        }
        let name = fields.get("name").map(|n| n.trim()).unwrap_or("").to_string();
        if let Err(errors) = self.save_registry_row(principal, actor, ImportKind::Experts, fields).await? {
            return Ok(Err(errors));
        }
        let id = self.store().expert_id(&name).await?.ok_or_else(|| AppError::internal("saved expert not found"))?;
        Ok(Ok(id))
    }
}
