//! Reference data: administrative divisions, GB/T 4754 industries, parks, departments.

use crate::audit::{Actor, NewAuditEntry};
use crate::audit::{AuditAction, AuditEntity};
use crate::{conflict_as, Result, Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use zhaoshang_core::regions::Division;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: i64,
    pub parent_code: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Industry {
    pub code: String,
    pub name: String,
    pub section: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct Park {
    pub id: i64,
    pub name: String,
    pub region_code: String,
    pub level: String,
    pub leading_industries: String,
    pub area_mu: Option<i64>,
    pub description: String,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub site: ParkSite,
}

/// What an investor choosing a site reads about a park (在线选地); `area_mu` of the park
/// is its planned area.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ParkSite {
    pub built_area_mu: Option<i64>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// 水电路网气暖讯 as a JSON object of utility key → {"readiness", "capacity"}, empty when unknown.
    pub infrastructure: String,
    /// Land price range, yuan per 亩.
    pub land_price_min: Option<i64>,
    pub land_price_max: Option<i64>,
    pub policies: String,
    pub contacts: String,
    /// 能耗指标: the yearly energy-use quota the park can grant, tonnes of standard coal
    /// equivalent (吨标准煤/年).
    pub energy_quota_tce: Option<i64>,
    pub energy_quota_note: String,
}

/// A stored industrial chain a park serves (`park_chains`).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ParkChain {
    pub park_id: i64,
    pub chain_id: i64,
    pub name: String,
}

const PARK_COLUMNS: &str =
    "id, name, region_code, level, leading_industries, area_mu, description, built_area_mu, lon, lat, \
     infrastructure, land_price_min, land_price_max, policies, contacts, energy_quota_tce, energy_quota_note";

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct Department {
    pub id: i64,
    pub name: String,
    pub region_code: Option<String>,
    pub kind: String,
}

fn as_json<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// Every region by code, held in memory: `regions` only ever gains rows (divisions
/// are inserted, never renamed or deleted), so a region once read stays right. A code
/// not held is looked up by reading the table again, at most once per `REREAD`
/// (another process may have loaded divisions).
type Regions = Arc<HashMap<String, Region>>;

#[derive(Debug, Default)]
pub(crate) struct RegionDirectory {
    held: RwLock<Option<(Instant, Regions)>>,
}

impl RegionDirectory {
    const REREAD: Duration = Duration::from_secs(10);

    /// The directory, and whether it may be read again for a code it lacks.
    pub(crate) fn get(&self) -> Option<(Regions, bool)> {
        let held = self.held.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        held.as_ref().map(|(read_at, regions)| (regions.clone(), read_at.elapsed() >= Self::REREAD))
    }

    pub(crate) fn put(&self, regions: Vec<Region>) -> Regions {
        let regions = Arc::new(regions.into_iter().map(|region| (region.code.clone(), region)).collect());
        *self.held.write().unwrap_or_else(|poisoned| poisoned.into_inner()) =
            Some((Instant::now(), Arc::clone(&regions)));
        regions
    }

    pub(crate) fn forget(&self) {
        *self.held.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }
}

impl Store {
    /// Loads the divisions in one transaction; existing codes are left as they are.
    pub async fn load_regions(&self, divisions: &[Division]) -> Result<()> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_with(self.begin_write()).await?;
            for division in divisions {
                sqlx::query(
                    "INSERT INTO regions (code, name, level, parent_code) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (code) DO NOTHING",
                )
                .bind(division.code.as_str())
                .bind(&division.name)
                .bind(division.code.level() as i64)
                .bind(division.parent.as_ref().map(|p| p.as_str()))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        self.caches.regions.forget();
        Ok(())
    }

    pub async fn count_regions(&self) -> Result<i64> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM regions").fetch_one(pool).await?))
    }

    /// The region of a code, from memory (`RegionDirectory`).
    pub async fn region(&self, code: &str) -> Result<Option<Region>> {
        let directory = &self.caches.regions;
        let regions = match directory.get() {
            Some((regions, _)) if regions.contains_key(code) => regions,
            Some((regions, false)) => regions,
            _ => directory.put(self.all_regions().await?),
        };
        Ok(regions.get(code).cloned())
    }

    /// Whether a region of this code exists (every stats request checks its region).
    pub async fn region_exists(&self, code: &str) -> Result<bool> {
        Ok(self.region(code).await?.is_some())
    }

    /// Regions with exactly this name (several counties across China share a name).
    pub async fn regions_named(&self, name: &str) -> Result<Vec<Region>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT code, name, level, parent_code FROM regions WHERE name = $1 ORDER BY code"
        )
        .bind(name)
        .fetch_all(pool)
        .await?))
    }

    /// Top-level regions when `parent` is `None`.
    pub async fn region_children(&self, parent: Option<&str>) -> Result<Vec<Region>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT code, name, level, parent_code FROM regions \
             WHERE ($1 IS NULL AND parent_code IS NULL) OR parent_code = $1 ORDER BY code"
        )
        .bind(parent)
        .fetch_all(pool)
        .await?))
    }

    pub async fn load_industries(&self, industries: &[Industry]) -> Result<()> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_with(self.begin_write()).await?;
            for industry in industries {
                sqlx::query(
                    "INSERT INTO industries (code, name, section) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING",
                )
                .bind(&industry.code)
                .bind(&industry.name)
                .bind(&industry.section)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn industries(&self) -> Result<Vec<Industry>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT code, name, section FROM industries ORDER BY section, LENGTH(code), code"
        )
        .fetch_all(pool)
        .await?))
    }

    pub async fn parks(&self, region_prefix: &str) -> Result<Vec<Park>> {
        let sql = format!("SELECT {PARK_COLUMNS} FROM parks WHERE region_code LIKE $1 ORDER BY region_code, name");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(format!("{region_prefix}%")).fetch_all(pool).await?))
    }

    pub async fn park(&self, id: i64) -> Result<Option<Park>> {
        let sql = format!("SELECT {PARK_COLUMNS} FROM parks WHERE id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// The chains the park `park_id` serves (every park's when `None`), by park then
    /// chain name.
    pub async fn park_chains(&self, park_id: Option<i64>) -> Result<Vec<ParkChain>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT pc.park_id, pc.chain_id, c.name FROM park_chains pc JOIN chains c ON c.id = pc.chain_id \
             WHERE $1 IS NULL OR pc.park_id = $1 ORDER BY pc.park_id, c.name"
        )
        .bind(park_id)
        .fetch_all(pool)
        .await?))
    }

    /// Creates (`park.id == 0`) or updates a park, and with `chains` sets the chains it
    /// serves (`None` keeps them; the caller passes stored chains' ids).
    pub async fn save_park(&self, park: &Park, chains: Option<&[i64]>, actor: &Actor) -> Result<Park> {
        let before = if park.id == 0 {
            None
        } else {
            let stored = self.park(park.id).await?.ok_or_else(|| StoreError::NotFound("该园区".into()))?;
            let mut linked: Vec<i64> = self.park_chains(Some(park.id)).await?.iter().map(|c| c.chain_id).collect();
            // In id order, as the chains saved are audited.
            linked.sort_unstable();
            Some((stored, linked))
        };
        // The audit shows the chains beside the park's columns.
        let audited_json = |park: &Park, chain_ids: &[i64]| {
            let mut json = as_json(park)?;
            json.as_object_mut()?.insert("chain_ids".into(), serde_json::json!(chain_ids));
            Some(json)
        };
        let saved: Park = audited!(self, actor, |tx, audit| {
            let sql = if park.id == 0 {
                format!(
                    "INSERT INTO parks (name, region_code, level, leading_industries, area_mu, description, built_area_mu, \
                     lon, lat, infrastructure, land_price_min, land_price_max, policies, contacts, energy_quota_tce, \
                     energy_quota_note) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
                     RETURNING {PARK_COLUMNS}"
                )
            } else {
                format!(
                    "UPDATE parks SET name = $1, region_code = $2, level = $3, leading_industries = $4, area_mu = $5, \
                     description = $6, built_area_mu = $7, lon = $8, lat = $9, infrastructure = $10, land_price_min = $11, \
                     land_price_max = $12, policies = $13, contacts = $14, energy_quota_tce = $15, energy_quota_note = $16 \
                     WHERE id = $17 RETURNING {PARK_COLUMNS}"
                )
            };
            let site = &park.site;
            let query = sqlx::query_as(&sql)
                .bind(&park.name)
                .bind(&park.region_code)
                .bind(&park.level)
                .bind(&park.leading_industries)
                .bind(park.area_mu)
                .bind(&park.description)
                .bind(site.built_area_mu)
                .bind(site.lon)
                .bind(site.lat)
                .bind(&site.infrastructure)
                .bind(site.land_price_min)
                .bind(site.land_price_max)
                .bind(&site.policies)
                .bind(&site.contacts)
                .bind(site.energy_quota_tce)
                .bind(&site.energy_quota_note);
            let query = if park.id == 0 { query } else { query.bind(park.id) };
            let saved: Park =
                query.fetch_one(&mut *tx).await.map_err(conflict_as(format!("园区“{}”已存在", park.name)))?;
            let before_chains = before.as_ref().map(|(_, linked)| linked.clone()).unwrap_or_default();
            let chain_ids = match chains {
                Some(ids) => {
                    sqlx::query("DELETE FROM park_chains WHERE park_id = $1").bind(saved.id).execute(&mut *tx).await?;
                    for chain_id in ids {
                        sqlx::query(
                            "INSERT INTO park_chains (park_id, chain_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        )
                        .bind(saved.id)
                        .bind(chain_id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    let mut ids = ids.to_vec();
                    ids.sort_unstable();
                    ids.dedup();
                    ids
                }
                None => before_chains.clone(),
            };
            audit.push(NewAuditEntry::new(
                AuditAction::written(before.is_some()),
                AuditEntity::Park,
                saved.id.to_string(),
                before.as_ref().and_then(|(park, _)| audited_json(park, &before_chains)),
                audited_json(&saved, &chain_ids),
            ));
            saved
        });
        Ok(saved)
    }

    pub async fn departments(&self) -> Result<Vec<Department>> {
        Ok(on_pool!(self, |pool| sqlx::query_as("SELECT id, name, region_code, kind FROM departments ORDER BY id")
            .fetch_all(pool)
            .await?))
    }

    pub async fn department(&self, id: i64) -> Result<Option<Department>> {
        Ok(on_pool!(self, |pool| sqlx::query_as("SELECT id, name, region_code, kind FROM departments WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// Creates (`department.id == 0`) or updates a department.
    pub async fn save_department(&self, department: &Department, actor: &Actor) -> Result<Department> {
        let before = if department.id == 0 {
            None
        } else {
            Some(self.department(department.id).await?.ok_or_else(|| StoreError::NotFound("该单位".into()))?)
        };
        let saved: Department = audited!(self, actor, |tx, audit| {
            let saved: Department = if department.id == 0 {
                sqlx::query_as(
                    "INSERT INTO departments (name, region_code, kind) VALUES ($1, $2, $3) RETURNING id, name, region_code, kind",
                )
                .bind(&department.name)
                .bind(&department.region_code)
                .bind(&department.kind)
                .fetch_one(&mut *tx)
                .await
            } else {
                sqlx::query_as(
                    "UPDATE departments SET name = $2, region_code = $3, kind = $4 WHERE id = $1 RETURNING id, name, region_code, kind",
                )
                .bind(department.id)
                .bind(&department.name)
                .bind(&department.region_code)
                .bind(&department.kind)
                .fetch_one(&mut *tx)
                .await
            }
            .map_err(conflict_as(format!("单位“{}”已存在", department.name)))?;
            audit.push(NewAuditEntry::new(
                AuditAction::written(before.is_some()),
                AuditEntity::Department,
                saved.id.to_string(),
                before.as_ref().and_then(as_json),
                as_json(&saved),
            ));
            saved
        });
        Ok(saved)
    }
}
