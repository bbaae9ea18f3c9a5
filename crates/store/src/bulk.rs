//! Bulk loading for the benchmark (`crates/bench`): many rows per INSERT, one
//! transaction per call, straight into the tables. It writes no audit entries and no
//! timeline events, so it is only for generating volumes of test data, never for
//! records people enter.

use crate::parcels::ParcelData;
use crate::projects::{ProjectData, PROJECT_DATA_COLUMNS};
use crate::sql::{rows_per_statement, value_rows};
use crate::{Db, Result, Store};
use chrono::{DateTime, NaiveDate, Utc};

/// A project with the id it is to be stored under, so that its funding records can
/// name it without a look-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkProject {
    pub id: i64,
    pub data: ProjectData,
}

/// A funding record as stored: the project's region and chain are repeated on it
/// (see the `project_funding` table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkFunding {
    pub project_id: i64,
    pub region_code: String,
    pub chain: String,
    pub funded_on: NaiveDate,
    /// Yuan.
    pub amount: i64,
    /// Funding source key (`outside_province`, `abroad`, `within_province`).
    pub source: String,
}

const PARCEL_COLUMNS: &str =
    "code, park_id, region_code, land_use, area_mu, price_per_mu, status, plot_ratio, lon, lat, boundary";
const PARCEL_PARAMETERS: usize = 11;
const PROJECT_PARAMETERS: usize = PROJECT_DATA_COLUMNS.len() + 3;
const FUNDING_COLUMNS: &str = "project_id, region_code, chain, funded_on, amount, source";
const FUNDING_PARAMETERS: usize = 6;

impl Store {
    /// Inserts projects under their given ids in one transaction; `at` becomes their
    /// creation and update time. Ids must be new and above every stored one (a fresh
    /// database's 1, 2, …). On SQLite the row triggers keeping the sums are paused and
    /// the batch's sums added grouped, as the project import does (a million projects
    /// a row at a time took 39 minutes of the benchmark's load at scale 1).
    pub async fn bulk_insert_projects(&self, projects: &[BulkProject], at: DateTime<Utc>) -> Result<()> {
        use crate::projects::PAUSE_SUMS;
        let backend = self.backend();
        let pause = backend == crate::Backend::Sqlite;
        on_pool!(self, |pool| {
            let mut tx = pool.begin_with(self.begin_write()).await?;
            let last_id: i64 = if pause {
                sqlx::query(PAUSE_SUMS).execute(&mut *tx).await?;
                sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM projects").fetch_one(&mut *tx).await?
            } else {
                0
            };
            for chunk in projects.chunks(rows_per_statement(PROJECT_PARAMETERS)) {
                let sql = format!(
                    "INSERT INTO projects (id, {}, created_at, updated_at) VALUES {}",
                    PROJECT_DATA_COLUMNS.join(", "),
                    value_rows(self.backend(), chunk.len(), PROJECT_PARAMETERS)
                );
                let mut query = sqlx::query(&sql);
                for project in chunk {
                    query = bind_project!(query.bind(project.id), &project.data).bind(at).bind(at);
                }
                query.execute(&mut *tx).await?;
            }
            if pause {
                let new: Vec<&ProjectData> = projects.iter().map(|project| &project.data).collect();
                add_new_project_sums!(tx, backend, last_id, &new);
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Appends funding records in one transaction. Each must differ from every stored
    /// one in (project, date, amount, source): the table's unique key. On SQLite the row
    /// triggers keeping the sums are paused and the batch's sums added grouped, as the
    /// funding import does (ten million records a row at a time took most of the
    /// benchmark's load at scale 1).
    pub async fn bulk_insert_funding(&self, records: &[BulkFunding]) -> Result<()> {
        use crate::projects::{ADD_NEW_FUNDING_AGGREGATES, PAUSE_SUMS, RESUME_SUMS};
        let pause = self.backend() == crate::Backend::Sqlite;
        on_pool!(self, |pool| {
            let mut tx = pool.begin_with(self.begin_write()).await?;
            // SQLite numbers new rows after the largest id: the rows above it are the new ones.
            let last_id: i64 = if pause {
                sqlx::query(PAUSE_SUMS).execute(&mut *tx).await?;
                sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM project_funding").fetch_one(&mut *tx).await?
            } else {
                0
            };
            for chunk in records.chunks(rows_per_statement(FUNDING_PARAMETERS)) {
                let sql = format!(
                    "INSERT INTO project_funding ({FUNDING_COLUMNS}) VALUES {}",
                    value_rows(self.backend(), chunk.len(), FUNDING_PARAMETERS)
                );
                let mut query = sqlx::query(&sql);
                for record in chunk {
                    query = query
                        .bind(record.project_id)
                        .bind(&record.region_code)
                        .bind(&record.chain)
                        .bind(record.funded_on)
                        .bind(record.amount)
                        .bind(&record.source);
                }
                query.execute(&mut *tx).await?;
            }
            if pause {
                for statement in ADD_NEW_FUNDING_AGGREGATES {
                    sqlx::query(statement).bind(last_id).execute(&mut *tx).await?;
                }
                sqlx::query(RESUME_SUMS).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Inserts new parcels (codes not stored yet) in one transaction, without status
    /// history or audit: the benchmark's 100,000 parcels.
    pub async fn bulk_insert_parcels(&self, parcels: &[ParcelData]) -> Result<()> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_with(self.begin_write()).await?;
            for chunk in parcels.chunks(rows_per_statement(PARCEL_PARAMETERS)) {
                let sql = format!(
                    "INSERT INTO parcels ({PARCEL_COLUMNS}) VALUES {}",
                    value_rows(self.backend(), chunk.len(), PARCEL_PARAMETERS)
                );
                let mut query = sqlx::query(&sql);
                for p in chunk {
                    query = query
                        .bind(&p.code)
                        .bind(p.park_id)
                        .bind(&p.region_code)
                        .bind(&p.land_use)
                        .bind(p.area_mu)
                        .bind(p.price_per_mu)
                        .bind(&p.status)
                        .bind(p.plot_ratio)
                        .bind(p.lon)
                        .bind(p.lat)
                        .bind(&p.boundary);
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Ends a bulk load. On PostgreSQL the identity sequences are moved past the ids
    /// given explicitly (or the next ordinary insert would collide), and the tables are
    /// vacuumed and analysed as autovacuum would soon do. SQLite needs neither:
    /// it numbers rows after the largest id, and the application never runs ANALYZE
    /// there, so the benchmark should not either.
    pub async fn finish_bulk_load(&self) -> Result<()> {
        if let Db::Postgres(pool) = &self.db {
            for table in ["projects", "project_funding"] {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                ))
                .execute(pool)
                .await?;
            }
            // VACUUM sets the visibility map, so that index-only scans read no heap: the
            // state autovacuum brings freshly inserted tables to.
            sqlx::query("VACUUM (ANALYZE)").execute(pool).await?;
        }
        Ok(())
    }
}

/// An expert of the pool as the demo loads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkExpert {
    pub name: String,
    pub institution: String,
    pub fields: String,
    pub user_id: Option<i64>,
}

const ACHIEVEMENT_PARAMETERS: usize = 9;
const REVIEW_PARAMETERS: usize = 6;

impl Store {
    /// Loads the S&T pool's experts, achievements and reviews in one transaction (the
    /// demo's thousands of achievements); the institutions they name are created. Codes
    /// and expert names must be new.
    pub async fn bulk_insert_pool(
        &self,
        experts: &[BulkExpert],
        achievements: &[crate::achievements::AchievementData],
        reviews: &[crate::achievements::ReviewData],
    ) -> Result<()> {
        use std::collections::{BTreeMap, HashMap};
        use zhaoshang_core::achievements::institution_key;
        // Each institution with the credit code a row gives it (empty when none does).
        let mut names: BTreeMap<&str, &str> = BTreeMap::new();
        let named = achievements
            .iter()
            .map(|a| (a.institution.as_str(), a.institution_credit_code.as_str()))
            .chain(experts.iter().map(|e| (e.institution.as_str(), "")))
            .chain(reviews.iter().map(|r| (r.reviewer_institution.as_str(), r.reviewer_credit_code.as_str())));
        for (name, code) in named.filter(|(name, _)| !name.is_empty()) {
            let held = names.entry(name).or_default();
            if held.is_empty() {
                *held = code;
            }
        }
        on_pool!(self, |pool| {
            let mut tx = pool.begin_with(self.begin_write()).await?;
            for (name, code) in &names {
                sqlx::query(
                    "INSERT INTO institutions (name, name_key, credit_code) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
                )
                .bind(*name)
                .bind(institution_key(name))
                .bind(*code)
                .execute(&mut *tx)
                .await?;
            }
            let institutions: HashMap<String, i64> =
                sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM institutions")
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .map(|(id, name)| (name, id))
                    .collect();
            let mut expert_ids: HashMap<String, i64> = HashMap::new();
            for expert in experts {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO experts (name, institution_id, fields, user_id) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(&expert.name)
                .bind(institutions.get(&expert.institution))
                .bind(&expert.fields)
                .bind(expert.user_id)
                .fetch_one(&mut *tx)
                .await?;
                expert_ids.insert(expert.name.clone(), id);
            }
            for chunk in achievements.chunks(rows_per_statement(ACHIEVEMENT_PARAMETERS)) {
                let sql = format!(
                    "INSERT INTO achievements (code, title, institution_id, industry, year, maturity, ip, description, contact) VALUES {}",
                    value_rows(self.backend(), chunk.len(), ACHIEVEMENT_PARAMETERS)
                );
                let mut query = sqlx::query(&sql);
                for a in chunk {
                    query = query
                        .bind(&a.code)
                        .bind(&a.title)
                        .bind(institutions.get(&a.institution))
                        .bind(&a.industry)
                        .bind(a.year)
                        .bind(&a.maturity)
                        .bind(&a.ip)
                        .bind(&a.description)
                        .bind(&a.contact);
                }
                query.execute(&mut *tx).await?;
            }
            let achievement_ids: HashMap<String, i64> =
                sqlx::query_as::<_, (i64, String)>("SELECT id, code FROM achievements")
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .map(|(id, code)| (code, id))
                    .collect();
            for chunk in reviews.chunks(rows_per_statement(REVIEW_PARAMETERS)) {
                let sql = format!(
                    "INSERT INTO achievement_reviews (achievement_id, expert_id, reviewer_institution, market, economic, technical) VALUES {}",
                    value_rows(self.backend(), chunk.len(), REVIEW_PARAMETERS)
                );
                let mut query = sqlx::query(&sql);
                for r in chunk {
                    query = query
                        .bind(achievement_ids.get(&r.code))
                        .bind(expert_ids.get(&r.reviewer))
                        .bind(&r.reviewer_institution)
                        .bind(r.market)
                        .bind(r.economic)
                        .bind(r.technical);
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
