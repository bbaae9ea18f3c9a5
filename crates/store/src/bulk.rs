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
    /// creation and update time. Ids must be new (a fresh database's 1, 2, …).
    pub async fn bulk_insert_projects(&self, projects: &[BulkProject], at: DateTime<Utc>) -> Result<()> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_with(self.begin_write()).await?;
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
            tx.commit().await?;
        });
        Ok(())
    }

    /// Appends funding records in one transaction. Each must differ from every stored
    /// one in (project, date, amount, source): the table's unique key.
    pub async fn bulk_insert_funding(&self, records: &[BulkFunding]) -> Result<()> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_with(self.begin_write()).await?;
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
