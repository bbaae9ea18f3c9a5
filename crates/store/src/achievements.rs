//! The S&T achievement pool (科技成果转化池): institutions, the expert pool (专家库), the
//! registered achievements and their reviews, with the list of achievements and the
//! reviews a year's selection (`core::achievements::select`) scores.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::projects::UpsertOutcome;
use crate::sql::{bind_params, contains_pattern, Conditions, Param};
use crate::{Result, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use zhaoshang_core::achievements::{institution_key, Candidate, Score, Scores};
use zhaoshang_core::rounds::{registering, Registering, RoundStatus};

/// An achievement as imported and exported; `institution` is the stored institution's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AchievementData {
    pub code: String,
    pub title: String,
    pub institution: String,
    pub industry: String,
    pub year: i64,
    /// A `core::achievements::Maturity` key, empty when not given.
    pub maturity: String,
    pub ip: String,
    pub description: String,
    /// 联系方式: staff only, never shown on the portal.
    pub contact: String,
    /// The institution's 统一社会信用代码, empty when not known.
    pub institution_credit_code: String,
}

const ACHIEVEMENT_COLUMNS: &str = "a.code, a.title, i.name AS institution, a.industry, a.year, a.maturity, a.ip, \
     a.description, a.contact, i.credit_code AS institution_credit_code";
const ACHIEVEMENT_FROM: &str = "achievements a JOIN institutions i ON i.id = a.institution_id";

/// A review as imported and exported; scores in hundredths.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ReviewData {
    pub code: String,
    pub reviewer: String,
    pub reviewer_institution: String,
    pub market: i64,
    pub economic: i64,
    pub technical: i64,
    /// The reviewer's institution's 统一社会信用代码, empty when not known.
    pub reviewer_credit_code: String,
}

impl ReviewData {
    pub fn scores(&self) -> Scores {
        Scores { market: Score(self.market), economic: Score(self.economic), technical: Score(self.technical) }
    }
}

const REVIEW_COLUMNS: &str = "a.code, e.name AS reviewer, r.reviewer_institution, r.market, r.economic, r.technical, \
     COALESCE(ri.credit_code, '') AS reviewer_credit_code";
const REVIEW_FROM: &str = "achievement_reviews r JOIN achievements a ON a.id = r.achievement_id \
     JOIN experts e ON e.id = r.expert_id LEFT JOIN institutions ri ON ri.name = r.reviewer_institution";

#[derive(sqlx::FromRow)]
struct PastReview {
    year: i64,
    #[sqlx(flatten)]
    review: ReviewData,
}

/// An expert of the pool with its institution's name (empty when unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Expert {
    pub id: i64,
    pub name: String,
    pub institution: String,
    pub fields: String,
    pub user_id: Option<i64>,
}

/// An expert as imported and exported: its institution's name and credit code (empty
/// when unknown), its fields and the user name of the reviewer account it signs in with
/// (empty when none).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ExpertData {
    pub name: String,
    pub institution: String,
    pub institution_credit_code: String,
    pub fields: String,
    pub account: String,
}

const EXPERT_COLUMNS: &str =
    "e.name, COALESCE(i.name, '') AS institution, COALESCE(i.credit_code, '') AS institution_credit_code, \
     e.fields, COALESCE(u.username, '') AS account";
const EXPERT_FROM: &str =
    "experts e LEFT JOIN institutions i ON i.id = e.institution_id LEFT JOIN users u ON u.id = e.user_id";

/// An expert of the pool's page with its work on the achievements of one year.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExpertRow {
    pub id: i64,
    #[sqlx(flatten)]
    pub data: ExpertData,
    pub assignments: i64,
    pub reviews: i64,
}

fn expert_conditions(keyword: &Option<String>) -> Conditions {
    let mut c = Conditions::new();
    if let Some(pattern) = contains_pattern(keyword) {
        c.push(
            "(e.name LIKE ?1 ESCAPE '\\' OR i.name LIKE ?1 ESCAPE '\\' OR e.fields LIKE ?1 ESCAPE '\\')",
            vec![Param::Text(pattern)],
        );
    }
    c
}

/// An institution of the registry with how many achievements and experts name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct InstitutionRow {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub achievements: i64,
    pub experts: i64,
}

const INSTITUTION_COLUMNS: &str = "i.id, i.name, i.credit_code, \
     (SELECT COUNT(*) FROM achievements a WHERE a.institution_id = i.id) AS achievements, \
     (SELECT COUNT(*) FROM experts e WHERE e.institution_id = i.id) AS experts";

fn institution_conditions(keyword: &Option<String>) -> Conditions {
    let mut c = Conditions::new();
    if let Some(pattern) = contains_pattern(keyword) {
        c.push("i.name LIKE ?1 ESCAPE '\\'", vec![Param::Text(pattern)]);
    }
    c
}

/// The list's filters; `codes` limits it to some achievements (those of the pool).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AchievementFilter {
    pub year: Option<i64>,
    pub industry: Option<String>,
    pub institution: Option<String>,
    pub maturity: Option<String>,
    pub keyword: Option<String>,
    pub codes: Option<Vec<String>>,
}

/// The orders the list offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AchievementSort {
    #[default]
    Code,
    YearDesc,
    Institution,
    Industry,
}

impl AchievementSort {
    pub const ALL: [(AchievementSort, &'static str, &'static str); 4] = [
        (AchievementSort::Code, "code", "按成果编号"),
        (AchievementSort::YearDesc, "year", "按登记年度（新的在前）"),
        (AchievementSort::Institution, "institution", "按完成单位"),
        (AchievementSort::Industry, "industry", "按行业"),
    ];

    /// From its key; the default for anything else.
    pub fn parse(key: &str) -> AchievementSort {
        AchievementSort::ALL.iter().find(|(_, k, _)| *k == key).map(|(sort, _, _)| *sort).unwrap_or_default()
    }

    pub fn key(self) -> &'static str {
        AchievementSort::ALL.iter().find(|(sort, _, _)| *sort == self).map(|(_, key, _)| *key).unwrap_or("code")
    }

    fn order_by(self) -> &'static str {
        match self {
            AchievementSort::Code => "a.code",
            AchievementSort::YearDesc => "a.year DESC, a.code",
            AchievementSort::Institution => "i.name, a.code",
            AchievementSort::Industry => "a.industry, a.code",
        }
    }
}

fn conditions(filter: &AchievementFilter) -> Conditions {
    let mut c = Conditions::new();
    if let Some(year) = filter.year {
        // A year's registry includes those registered again later, as its round kept them.
        c.push(
            "(a.year = ?1 OR EXISTS (SELECT 1 FROM achievement_past_rounds p WHERE p.achievement_id = a.id AND p.year = ?1))",
            vec![Param::Int(year)],
        );
    }
    if let Some(industry) = &filter.industry {
        c.push("a.industry = ?1", vec![Param::Text(industry.clone())]);
    }
    if let Some(institution) = &filter.institution {
        c.push("i.name = ?1", vec![Param::Text(institution.clone())]);
    }
    if let Some(maturity) = &filter.maturity {
        c.push("a.maturity = ?1", vec![Param::Text(maturity.clone())]);
    }
    if let Some(pattern) = contains_pattern(&filter.keyword) {
        c.push("(a.code LIKE ?1 ESCAPE '\\' OR a.title LIKE ?1 ESCAPE '\\')", vec![Param::Text(pattern)]);
    }
    if let Some(codes) = &filter.codes {
        c.push_in("a.code", codes);
    }
    c
}

/// Ids of the institutions named by `$names` (an iterator of (name, credit code) `&str`
/// pairs) in the transaction `$tx`, each created when new and given the credit code when
/// one is named (both audited onto `$audit`); a macro because the transaction is either
/// backend's.
macro_rules! institution_ids {
    ($tx:ident, $audit:ident, $names:expr) => {{
        let mut ids: HashMap<String, i64> = HashMap::new();
        for (name, code) in $names {
            if name.is_empty() || (ids.contains_key(name) && code.is_empty()) {
                continue;
            }
            let found: Option<(i64, String)> =
                sqlx::query_as("SELECT id, credit_code FROM institutions WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&mut *$tx)
                    .await?;
            let id = match found {
                Some((id, stored)) if code.is_empty() || stored == code => id,
                Some((id, stored)) => {
                    sqlx::query("UPDATE institutions SET credit_code = $2 WHERE id = $1")
                        .bind(id)
                        .bind(code)
                        .execute(&mut *$tx)
                        .await?;
                    $audit.push(NewAuditEntry::new(
                        AuditAction::Update,
                        AuditEntity::Institution,
                        name,
                        Some(json!({ "credit_code": stored })),
                        Some(json!({ "credit_code": code })),
                    ));
                    id
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO institutions (name, name_key, credit_code) VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(name)
                    .bind(institution_key(name))
                    .bind(code)
                    .fetch_one(&mut *$tx)
                    .await?;
                    $audit.push(NewAuditEntry::new(
                        AuditAction::Create,
                        AuditEntity::Institution,
                        name,
                        None,
                        Some(json!({ "name": name, "credit_code": code })),
                    ));
                    id
                }
            };
            ids.insert(name.to_string(), id);
        }
        ids
    }};
}

/// What a change of 登记年度 is judged on (`core::rounds::registering`): each year's
/// round, the years whose rounds took place, and the earlier rounds of each achievement.
#[derive(Debug, Default)]
pub struct RegistrationFacts {
    rounds: HashMap<i64, RoundStatus>,
    reviewed_years: HashSet<i64>,
    past: HashMap<String, Vec<i64>>,
}

impl RegistrationFacts {
    /// Whether the achievement `code`, registered in `current` (none when new), may be
    /// registered in `year`, and how.
    pub fn registering(&self, code: &str, current: Option<i64>, year: i64) -> std::result::Result<Registering, String> {
        let past = self.past.get(code).map(Vec::as_slice).unwrap_or_default();
        registering(current, past, year, |y| self.rounds.get(&y).copied(), |y| self.reviewed_years.contains(&y))
    }
}

/// The `RegistrationFacts` as the connection or transaction `$conn` reads them; a macro
/// because it is either backend's.
macro_rules! registration_facts {
    ($conn:expr) => {{
        let rounds: Vec<(i64, String)> =
            sqlx::query_as("SELECT year, status FROM review_rounds").fetch_all(&mut *$conn).await?;
        let reviewed_years: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT a.year FROM achievements a \
             WHERE EXISTS (SELECT 1 FROM achievement_reviews r WHERE r.achievement_id = a.id) \
             UNION SELECT year FROM achievement_past_rounds",
        )
        .fetch_all(&mut *$conn)
        .await?;
        let past: Vec<(String, i64)> = sqlx::query_as(
            "SELECT a.code, p.year FROM achievement_past_rounds p JOIN achievements a ON a.id = p.achievement_id",
        )
        .fetch_all(&mut *$conn)
        .await?;
        let mut facts = RegistrationFacts {
            rounds: rounds.into_iter().filter_map(|(y, s)| RoundStatus::from_key(&s).map(|s| (y, s))).collect(),
            reviewed_years: reviewed_years.into_iter().collect(),
            past: HashMap::new(),
        };
        for (code, year) in past {
            facts.past.entry(code).or_default().push(year);
        }
        facts
    }};
}

/// Keeps the current round of the achievement `$code` as a past round (its year and
/// industry, its reviews in the order they were stored) and clears its reviews and
/// assignments for the year it enters next; the number of reviews kept.
macro_rules! keep_past_round {
    ($tx:ident, $code:expr) => {{
        let code: &str = $code;
        sqlx::query(
            "INSERT INTO achievement_past_rounds (achievement_id, year, industry) \
             SELECT id, year, industry FROM achievements WHERE code = $1",
        )
        .bind(code)
        .execute(&mut *$tx)
        .await?;
        let kept = sqlx::query(
            "INSERT INTO achievement_past_reviews \
             (achievement_id, year, expert_id, reviewer_institution, market, economic, technical, comment) \
             SELECT r.achievement_id, a.year, r.expert_id, r.reviewer_institution, r.market, r.economic, \
             r.technical, r.comment FROM achievement_reviews r JOIN achievements a ON a.id = r.achievement_id \
             WHERE a.code = $1 ORDER BY r.id",
        )
        .bind(code)
        .execute(&mut *$tx)
        .await?
        .rows_affected();
        for table in ["achievement_reviews", "review_assignments"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE achievement_id = (SELECT id FROM achievements WHERE code = $1)"
            ))
            .bind(code)
            .execute(&mut *$tx)
            .await?;
        }
        kept
    }};
}

impl Store {
    /// Creates or updates achievements by code, audited; institutions not yet known are
    /// created under the names given.
    pub async fn upsert_achievements(&self, items: &[AchievementData], actor: &Actor) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome::default();
        let select = format!("SELECT {ACHIEVEMENT_COLUMNS} FROM {ACHIEVEMENT_FROM} WHERE a.code = $1");
        audited!(self, actor, |tx, audit| {
            // Read before the institutions take the items' credit codes (the rows join them).
            let mut befores = Vec::with_capacity(items.len());
            for item in items {
                let before: Option<AchievementData> =
                    sqlx::query_as(&select).bind(&item.code).fetch_optional(&mut *tx).await?;
                befores.push(before);
            }
            let institutions = institution_ids!(
                tx,
                audit,
                items.iter().map(|a| (a.institution.as_str(), a.institution_credit_code.as_str()))
            );
            let facts = registration_facts!(tx);
            for (item, before) in items.iter().zip(befores) {
                if before.as_ref() == Some(item) {
                    outcome.unchanged += 1;
                    continue;
                }
                let current = before.as_ref().map(|b| b.year);
                let registering = facts
                    .registering(&item.code, current, item.year)
                    .map_err(|message| StoreError::Invalid(format!("成果 {}：{message}", item.code)))?;
                if let (Registering::KeepPastRound, Some(from)) = (registering, current) {
                    let kept = keep_past_round!(tx, &item.code);
                    audit.push(NewAuditEntry::new(
                        AuditAction::Update,
                        AuditEntity::Achievement,
                        &item.code,
                        Some(json!({ "year": from, "reviews": kept })),
                        Some(json!({ "past_round": from, "year": item.year })),
                    ));
                }
                sqlx::query(
                    "INSERT INTO achievements (code, title, institution_id, industry, year, maturity, ip, description, contact) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (code) DO UPDATE SET title = excluded.title, institution_id = excluded.institution_id, \
                     industry = excluded.industry, year = excluded.year, maturity = excluded.maturity, \
                     ip = excluded.ip, description = excluded.description, contact = excluded.contact",
                )
                .bind(&item.code)
                .bind(&item.title)
                .bind(institutions.get(&item.institution))
                .bind(&item.industry)
                .bind(item.year)
                .bind(&item.maturity)
                .bind(&item.ip)
                .bind(&item.description)
                .bind(&item.contact)
                .execute(&mut *tx)
                .await?;
                let action = outcome.count_written(before.is_some());
                audit.push(NewAuditEntry::new(
                    action,
                    AuditEntity::Achievement,
                    &item.code,
                    before.map(|b| json!(b)),
                    Some(json!(item)),
                ));
            }
        });
        Ok(outcome)
    }

    /// Creates or updates reviews by achievement code and reviewer, audited. A reviewer
    /// not yet in the expert pool joins it with the review's institution (created when
    /// new), tied to the account of the same user name when it is a reviewer's.
    pub async fn upsert_reviews(&self, items: &[ReviewData], actor: &Actor) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome::default();
        let select = format!("SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM} WHERE a.code = $1 AND e.name = $2");
        audited!(self, actor, |tx, audit| {
            let mut befores = Vec::with_capacity(items.len());
            for item in items {
                let before: Option<ReviewData> =
                    sqlx::query_as(&select).bind(&item.code).bind(&item.reviewer).fetch_optional(&mut *tx).await?;
                befores.push(before);
            }
            let institutions = institution_ids!(
                tx,
                audit,
                items.iter().map(|r| (r.reviewer_institution.as_str(), r.reviewer_credit_code.as_str()))
            );
            let mut experts: HashMap<String, i64> = HashMap::new();
            for item in items {
                if experts.contains_key(&item.reviewer) {
                    continue;
                }
                let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM experts WHERE name = $1")
                    .bind(&item.reviewer)
                    .fetch_optional(&mut *tx)
                    .await?;
                let id = match found {
                    Some((id,)) => id,
                    None => {
                        let user: Option<(i64,)> =
                            sqlx::query_as("SELECT id FROM users WHERE username = $1 AND role = 'reviewer'")
                                .bind(&item.reviewer)
                                .fetch_optional(&mut *tx)
                                .await?;
                        let (id,): (i64,) = sqlx::query_as(
                            "INSERT INTO experts (name, institution_id, user_id) VALUES ($1, $2, $3) RETURNING id",
                        )
                        .bind(&item.reviewer)
                        .bind(institutions.get(&item.reviewer_institution))
                        .bind(user.map(|(id,)| id))
                        .fetch_one(&mut *tx)
                        .await?;
                        audit.push(NewAuditEntry::new(
                            AuditAction::Create,
                            AuditEntity::Expert,
                            &item.reviewer,
                            None,
                            Some(json!({ "name": item.reviewer, "institution": item.reviewer_institution })),
                        ));
                        id
                    }
                };
                experts.insert(item.reviewer.clone(), id);
            }
            for (item, before) in items.iter().zip(befores) {
                if before.as_ref() == Some(item) {
                    outcome.unchanged += 1;
                    continue;
                }
                sqlx::query(
                    "INSERT INTO achievement_reviews (achievement_id, expert_id, reviewer_institution, market, economic, technical) \
                     SELECT id, $2, $3, $4, $5, $6 FROM achievements WHERE code = $1 \
                     ON CONFLICT (achievement_id, expert_id) DO UPDATE SET reviewer_institution = excluded.reviewer_institution, \
                     market = excluded.market, economic = excluded.economic, technical = excluded.technical",
                )
                .bind(&item.code)
                .bind(experts[&item.reviewer])
                .bind(&item.reviewer_institution)
                .bind(item.market)
                .bind(item.economic)
                .bind(item.technical)
                .execute(&mut *tx)
                .await?;
                let action = outcome.count_written(before.is_some());
                audit.push(NewAuditEntry::new(
                    action,
                    AuditEntity::Review,
                    format!("{}/{}", item.code, item.reviewer),
                    before.map(|b| json!(b)),
                    Some(json!(item)),
                ));
            }
        });
        Ok(outcome)
    }

    /// Creates or updates experts of the pool by name, audited: each one's institution
    /// (created when new, given the credit code when one is named, none when empty), its
    /// fields (专业领域) and the reviewer account it signs in with (a user name of role
    /// reviewer, none when empty).
    pub async fn upsert_experts(&self, items: &[ExpertData], actor: &Actor) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome::default();
        let select = format!("SELECT {EXPERT_COLUMNS} FROM {EXPERT_FROM} WHERE e.name = $1");
        audited!(self, actor, |tx, audit| {
            let mut befores = Vec::with_capacity(items.len());
            for item in items {
                let before: Option<ExpertData> =
                    sqlx::query_as(&select).bind(&item.name).fetch_optional(&mut *tx).await?;
                befores.push(before);
            }
            let institutions = institution_ids!(
                tx,
                audit,
                items.iter().map(|e| (e.institution.as_str(), e.institution_credit_code.as_str()))
            );
            for (item, before) in items.iter().zip(befores) {
                if before.as_ref() == Some(item) {
                    outcome.unchanged += 1;
                    continue;
                }
                let user: Option<i64> = if item.account.is_empty() {
                    None
                } else {
                    let found: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM users WHERE username = $1 AND role = 'reviewer'")
                            .bind(&item.account)
                            .fetch_optional(&mut *tx)
                            .await?;
                    Some(found.ok_or_else(|| StoreError::Invalid(format!("“{}”不是评审专家账号", item.account)))?)
                };
                sqlx::query(
                    "INSERT INTO experts (name, institution_id, fields, user_id) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (name) DO UPDATE SET institution_id = excluded.institution_id, \
                     fields = excluded.fields, user_id = excluded.user_id",
                )
                .bind(&item.name)
                .bind(institutions.get(&item.institution))
                .bind(&item.fields)
                .bind(user)
                .execute(&mut *tx)
                .await?;
                let action = outcome.count_written(before.is_some());
                audit.push(NewAuditEntry::new(
                    action,
                    AuditEntity::Expert,
                    &item.name,
                    before.map(|b| json!(b)),
                    Some(json!(item)),
                ));
            }
        });
        Ok(outcome)
    }

    /// Every expert of the pool as imported and exported, by name.
    pub async fn all_expert_data(&self) -> Result<Vec<ExpertData>> {
        let sql = format!("SELECT {EXPERT_COLUMNS} FROM {EXPERT_FROM} ORDER BY e.name");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    /// One page of the expert pool a keyword matches (name, institution or fields), each
    /// with its assignments and reviews on the achievements of `year`.
    pub async fn experts_page(
        &self,
        keyword: &Option<String>,
        year: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ExpertRow>> {
        let c = expert_conditions(keyword);
        let n = c.params.len();
        let columns = format!(
            "e.id, {EXPERT_COLUMNS}, \
             (SELECT COUNT(*) FROM review_assignments ra JOIN achievements a ON a.id = ra.achievement_id \
              WHERE ra.expert_id = e.id AND a.year = ${y}) AS assignments, \
             (SELECT COUNT(*) FROM achievement_reviews r JOIN achievements a ON a.id = r.achievement_id \
              WHERE r.expert_id = e.id AND a.year = ${y}) AS reviews",
            y = n + 3
        );
        let sql = c.page_sql(&columns, EXPERT_FROM, "e.name");
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params)
            .bind(limit)
            .bind(offset)
            .bind(year)
            .fetch_all(pool)
            .await?))
    }

    pub async fn expert_count(&self, keyword: &Option<String>) -> Result<i64> {
        let c = expert_conditions(keyword);
        let sql = format!("SELECT COUNT(*) FROM {EXPERT_FROM} {}", c.where_sql());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_scalar(&sql), &c.params).fetch_one(pool).await?))
    }

    /// The id of the expert of that name.
    pub async fn expert_id(&self, name: &str) -> Result<Option<i64>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar("SELECT id FROM experts WHERE name = $1")
            .bind(name)
            .fetch_optional(pool)
            .await?))
    }

    /// An expert of the pool as its form shows it.
    pub async fn expert_data(&self, id: i64) -> Result<Option<ExpertData>> {
        let sql = format!("SELECT {EXPERT_COLUMNS} FROM {EXPERT_FROM} WHERE e.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// One page of the institutions whose name contains a keyword, by name, each with its
    /// achievements and experts counted.
    pub async fn institutions_page(
        &self,
        keyword: &Option<String>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<InstitutionRow>> {
        let c = institution_conditions(keyword);
        let sql = c.page_sql(INSTITUTION_COLUMNS, "institutions i", "i.name");
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?))
    }

    pub async fn institution_count(&self, keyword: &Option<String>) -> Result<i64> {
        let c = institution_conditions(keyword);
        let sql = format!("SELECT COUNT(*) FROM institutions i {}", c.where_sql());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_scalar(&sql), &c.params).fetch_one(pool).await?))
    }

    pub async fn institution(&self, id: i64) -> Result<Option<InstitutionRow>> {
        let sql = format!("SELECT {INSTITUTION_COLUMNS} FROM institutions i WHERE i.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// Creates an institution (`id` none) or renames and recodes the institution `id`,
    /// audited; its `name_key` follows the name. Refused (`Conflict`, in Chinese): a credit
    /// code another institution holds, or a name that is another institution's once
    /// normalised (`institution_key`). Returns the institution's id.
    pub async fn save_institution(&self, id: Option<i64>, name: &str, credit_code: &str, actor: &Actor) -> Result<i64> {
        let key = institution_key(name);
        let saved = audited!(self, actor, |tx, audit| {
            let other = id.unwrap_or(0);
            if !credit_code.is_empty() {
                let holder: Option<String> =
                    sqlx::query_scalar("SELECT name FROM institutions WHERE credit_code = $1 AND id <> $2")
                        .bind(credit_code)
                        .bind(other)
                        .fetch_optional(&mut *tx)
                        .await?;
                if let Some(holder) = holder {
                    return Err(StoreError::Conflict(format!("统一社会信用代码 {credit_code} 已属于单位“{holder}”")));
                }
            }
            let twin: Option<String> =
                sqlx::query_scalar("SELECT name FROM institutions WHERE name_key = $1 AND id <> $2")
                    .bind(&key)
                    .bind(other)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(twin) = twin {
                return Err(StoreError::Conflict(format!("“{name}”与已有单位“{twin}”为同一单位（名称规范化后相同）")));
            }
            let after = json!({ "name": name, "credit_code": credit_code });
            match id {
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO institutions (name, name_key, credit_code) VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(name)
                    .bind(&key)
                    .bind(credit_code)
                    .fetch_one(&mut *tx)
                    .await?;
                    audit.push(NewAuditEntry::new(
                        AuditAction::Create,
                        AuditEntity::Institution,
                        name,
                        None,
                        Some(after),
                    ));
                    id
                }
                Some(id) => {
                    let before: Option<(String, String)> =
                        sqlx::query_as("SELECT name, credit_code FROM institutions WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let Some((before_name, before_code)) = before else {
                        return Err(StoreError::NotFound("该单位".into()));
                    };
                    if (before_name.as_str(), before_code.as_str()) != (name, credit_code) {
                        sqlx::query("UPDATE institutions SET name = $2, name_key = $3, credit_code = $4 WHERE id = $1")
                            .bind(id)
                            .bind(name)
                            .bind(&key)
                            .bind(credit_code)
                            .execute(&mut *tx)
                            .await?;
                        audit.push(NewAuditEntry::new(
                            AuditAction::Update,
                            AuditEntity::Institution,
                            name,
                            Some(json!({ "name": before_name, "credit_code": before_code })),
                            Some(after),
                        ));
                    }
                    id
                }
            }
        });
        Ok(saved)
    }

    /// Every achievement, by code (imports compare against it; exports list it).
    pub async fn all_achievements(&self) -> Result<Vec<AchievementData>> {
        let sql = format!("SELECT {ACHIEVEMENT_COLUMNS} FROM {ACHIEVEMENT_FROM} ORDER BY a.code");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    pub async fn achievement(&self, code: &str) -> Result<Option<AchievementData>> {
        let sql = format!("SELECT {ACHIEVEMENT_COLUMNS} FROM {ACHIEVEMENT_FROM} WHERE a.code = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(code).fetch_optional(pool).await?))
    }

    /// Every review, by achievement code and reviewer.
    pub async fn all_reviews(&self) -> Result<Vec<ReviewData>> {
        let sql = format!("SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM} ORDER BY a.code, e.name");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    /// The reviews of one achievement, by reviewer; only those of `expert` when given.
    pub async fn reviews_of(&self, code: &str, expert: Option<i64>) -> Result<Vec<ReviewData>> {
        let only = if expert.is_some() { "AND r.expert_id = $2" } else { "AND $2 = 0" };
        let sql = format!("SELECT {REVIEW_COLUMNS} FROM {REVIEW_FROM} WHERE a.code = $1 {only} ORDER BY e.name");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(code).bind(expert.unwrap_or(0)).fetch_all(pool).await?))
    }

    /// Every institution's name and credit code (empty when not known), by name.
    pub async fn institutions(&self) -> Result<Vec<(String, String)>> {
        Ok(on_pool!(self, |pool| sqlx::query_as("SELECT name, credit_code FROM institutions ORDER BY name")
            .fetch_all(pool)
            .await?))
    }

    /// The expert pool, by name.
    pub async fn experts(&self) -> Result<Vec<Expert>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT e.id, e.name, COALESCE(i.name, '') AS institution, e.fields, e.user_id \
             FROM experts e LEFT JOIN institutions i ON i.id = e.institution_id ORDER BY e.name"
        )
        .fetch_all(pool)
        .await?))
    }

    /// The expert a reviewer's account is: tied to it, or (not tied to another) of its user name.
    pub async fn expert_of_user(&self, user_id: i64, username: &str) -> Result<Option<i64>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
            "SELECT id FROM experts WHERE user_id = $1 OR (user_id IS NULL AND name = $2) ORDER BY user_id IS NULL LIMIT 1"
        )
        .bind(user_id)
        .bind(username)
        .fetch_optional(pool)
        .await?
        }))
    }

    /// The codes of the achievements an expert reviewed or is assigned to review, by code.
    pub async fn codes_reviewed_by(&self, expert: i64) -> Result<Vec<String>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT a.code FROM achievements a WHERE a.id IN \
             (SELECT achievement_id FROM achievement_reviews WHERE expert_id = $1 \
              UNION SELECT achievement_id FROM review_assignments WHERE expert_id = $1) ORDER BY a.code"
        )
        .bind(expert)
        .fetch_all(pool)
        .await?))
    }

    /// One page of the achievements a filter matches.
    pub async fn achievements_page(
        &self,
        filter: &AchievementFilter,
        sort: AchievementSort,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AchievementData>> {
        let c = conditions(filter);
        let sql = c.page_sql(ACHIEVEMENT_COLUMNS, ACHIEVEMENT_FROM, sort.order_by());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?))
    }

    pub async fn achievement_count(&self, filter: &AchievementFilter) -> Result<i64> {
        let c = conditions(filter);
        let sql = format!("SELECT COUNT(*) FROM {ACHIEVEMENT_FROM} {}", c.where_sql());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_scalar(&sql), &c.params).fetch_one(pool).await?))
    }

    /// The registration years that have achievements, the latest first.
    pub async fn achievement_years(&self) -> Result<Vec<i64>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT year FROM achievements UNION SELECT year FROM achievement_past_rounds ORDER BY 1 DESC"
        )
        .fetch_all(pool)
        .await?))
    }

    /// The facts a change of 登记年度 is judged on, for checking an import's rows.
    pub async fn registration_facts(&self) -> Result<RegistrationFacts> {
        Ok(on_pool!(self, |pool| {
            let mut conn = pool.acquire().await?;
            registration_facts!(conn)
        }))
    }

    /// The years of the earlier rounds an achievement took part in, the latest first.
    pub async fn past_rounds_of(&self, code: &str) -> Result<Vec<i64>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT p.year FROM achievement_past_rounds p JOIN achievements a ON a.id = p.achievement_id \
             WHERE a.code = $1 ORDER BY p.year DESC"
        )
        .bind(code)
        .fetch_all(pool)
        .await?))
    }

    /// The reviews an achievement got in its earlier rounds, by year (the latest first)
    /// and reviewer.
    pub async fn past_reviews_of(&self, code: &str) -> Result<Vec<(i64, ReviewData)>> {
        let rows: Vec<PastReview> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT r.year, a.code, e.name AS reviewer, r.reviewer_institution, r.market, r.economic, r.technical, \
             COALESCE(ri.credit_code, '') AS reviewer_credit_code FROM achievement_past_reviews r \
             JOIN achievements a ON a.id = r.achievement_id JOIN experts e ON e.id = r.expert_id \
             LEFT JOIN institutions ri ON ri.name = r.reviewer_institution \
             WHERE a.code = $1 ORDER BY r.year DESC, e.name"
        )
        .bind(code)
        .fetch_all(pool)
        .await?
        });
        Ok(rows.into_iter().map(|row| (row.year, row.review)).collect())
    }

    /// A year's registered achievements (their number; those registered again later
    /// count in the year of each round they took part in) and each with its reviews (in the
    /// order they were stored, which the bootstrap of `rank_intervals` draws from), by
    /// code: what `core::achievements::select` ranks.
    pub async fn pool_candidates(&self, year: i64) -> Result<(usize, Vec<Candidate>)> {
        let achievements: Vec<(String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT code, industry FROM achievements WHERE year = $1 \
             UNION ALL SELECT a.code, p.industry FROM achievement_past_rounds p \
             JOIN achievements a ON a.id = p.achievement_id WHERE p.year = $1 ORDER BY 1"
        )
        .bind(year)
        .fetch_all(pool)
        .await?);
        let mut reviews: Vec<(String, i64, i64, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT a.code, r.market, r.economic, r.technical FROM achievement_reviews r \
             JOIN achievements a ON a.id = r.achievement_id WHERE a.year = $1 ORDER BY r.id"
        )
        .bind(year)
        .fetch_all(pool)
        .await?);
        let past_reviews: Vec<(String, i64, i64, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT a.code, r.market, r.economic, r.technical FROM achievement_past_reviews r \
             JOIN achievements a ON a.id = r.achievement_id WHERE r.year = $1 ORDER BY r.id"
        )
        .bind(year)
        .fetch_all(pool)
        .await?);
        reviews.extend(past_reviews);
        let mut by_code: HashMap<String, Vec<Scores>> = HashMap::new();
        for (code, market, economic, technical) in reviews {
            by_code.entry(code).or_default().push(Scores {
                market: Score(market),
                economic: Score(economic),
                technical: Score(technical),
            });
        }
        let registered = achievements.len();
        let candidates = achievements
            .into_iter()
            .map(|(code, industry)| {
                let reviews = by_code.remove(&code).unwrap_or_default();
                Candidate { code, industry, reviews }
            })
            .collect();
        Ok((registered, candidates))
    }
}
