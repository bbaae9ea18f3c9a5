//! Assist groups (助力小组, migration 0038): a region's groups with the people in them,
//! the platform accounts among them and the enterprises each 包抓; saved with its lists
//! in one audited transaction.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::reports::{Report, REPORT_SELECT};
use crate::sql::prefix_range;
use crate::visits::{Visit, VISIT_SELECT};
use crate::{conflict_as, Result, Store};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct GroupData {
    pub region_code: String,
    pub name: String,
    pub leader: String,
    /// One name a line.
    pub members: String,
    pub experts: String,
    pub entrepreneurs: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Group {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: GroupData,
    pub region_name: String,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
    pub enterprise_count: i64,
}

/// An enterprise a group 包抓.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct GroupEnterprise {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
}

/// A platform account in a group.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct GroupUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
}

const GROUP_SELECT: &str = "SELECT g.id, g.region_code, g.name, g.leader, g.members, g.experts, g.entrepreneurs, \
     r.name AS region_name, g.updated_by, g.updated_at, \
     (SELECT COUNT(*) FROM assist_group_enterprises e WHERE e.group_id = g.id) AS enterprise_count \
     FROM assist_groups g JOIN regions r ON r.code = g.region_code";

impl Store {
    /// Creates (`id` None) or replaces a group with its accounts and enterprises, audited
    /// with the lists before and after; returns its id. A name the region already uses
    /// is a conflict.
    pub async fn save_group(
        &self,
        id: Option<i64>,
        data: &GroupData,
        user_ids: &[i64],
        enterprise_ids: &[i64],
        actor: &Actor,
    ) -> Result<i64> {
        let before = match id {
            Some(id) => Some(self.group_snapshot(id).await?),
            None => None,
        };
        let now = Utc::now();
        let taken = format!("本地区已有名为“{}”的助力小组", data.name);
        let id = audited!(self, actor, |tx, audit| {
            let id: i64 = match id {
                None => sqlx::query_scalar(
                    "INSERT INTO assist_groups (region_code, name, leader, members, experts, entrepreneurs, \
                     updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(&data.region_code)
                .bind(&data.name)
                .bind(&data.leader)
                .bind(&data.members)
                .bind(&data.experts)
                .bind(&data.entrepreneurs)
                .bind(&actor.name)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(conflict_as(taken))?,
                Some(id) => {
                    sqlx::query(
                        "UPDATE assist_groups SET name = $2, leader = $3, members = $4, experts = $5, \
                         entrepreneurs = $6, updated_by = $7, updated_at = $8 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(&data.name)
                    .bind(&data.leader)
                    .bind(&data.members)
                    .bind(&data.experts)
                    .bind(&data.entrepreneurs)
                    .bind(&actor.name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(conflict_as(taken))?;
                    sqlx::query("DELETE FROM assist_group_users WHERE group_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM assist_group_enterprises WHERE group_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
            };
            for user_id in user_ids {
                sqlx::query("INSERT INTO assist_group_users (group_id, user_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
            for enterprise_id in enterprise_ids {
                sqlx::query("INSERT INTO assist_group_enterprises (group_id, enterprise_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(enterprise_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let mut after = json!(data);
            after["user_ids"] = json!(user_ids);
            after["enterprise_ids"] = json!(enterprise_ids);
            let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
            audit.push(NewAuditEntry::new(action, AuditEntity::AssistGroup, id.to_string(), before, Some(after)));
            id
        });
        Ok(id)
    }

    /// A group as the audit log records it.
    async fn group_snapshot(&self, id: i64) -> Result<serde_json::Value> {
        let group = self.group(id).await?.ok_or_else(|| crate::StoreError::NotFound("该助力小组".into()))?;
        let mut snapshot = json!(group.data);
        snapshot["user_ids"] = json!(self.group_users(id).await?.iter().map(|u| u.id).collect::<Vec<_>>());
        snapshot["enterprise_ids"] = json!(self.group_enterprises(id).await?.iter().map(|e| e.id).collect::<Vec<_>>());
        Ok(snapshot)
    }

    /// The groups of the regions under `region_prefix`, by region and name.
    pub async fn groups(&self, region_prefix: &str) -> Result<Vec<Group>> {
        let (lo, hi) = prefix_range(region_prefix);
        let sql =
            format!("{GROUP_SELECT} WHERE g.region_code >= $1 AND g.region_code < $2 ORDER BY g.region_code, g.id");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(&lo).bind(&hi).fetch_all(pool).await?))
    }

    pub async fn group(&self, id: i64) -> Result<Option<Group>> {
        let sql = format!("{GROUP_SELECT} WHERE g.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    pub async fn group_enterprises(&self, id: i64) -> Result<Vec<GroupEnterprise>> {
        let sql = "SELECT e.id, e.name, e.credit_code, e.region_code FROM assist_group_enterprises g \
                   JOIN enterprises e ON e.id = g.enterprise_id WHERE g.group_id = $1 ORDER BY e.name";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_all(pool).await?))
    }

    pub async fn group_users(&self, id: i64) -> Result<Vec<GroupUser>> {
        let sql = "SELECT u.id, u.username, u.display_name FROM assist_group_users g JOIN users u ON u.id = g.user_id \
                   WHERE g.group_id = $1 ORDER BY u.username";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_all(pool).await?))
    }

    /// The groups a platform account is in.
    pub async fn groups_of_user(&self, user_id: i64) -> Result<Vec<i64>> {
        let sql = "SELECT group_id FROM assist_group_users WHERE user_id = $1 ORDER BY group_id";
        Ok(on_pool!(self, |pool| sqlx::query_scalar(sql).bind(user_id).fetch_all(pool).await?))
    }

    /// The visits to the enterprises a group 包抓 (by name, or by credit code where the
    /// visit names one), the latest first.
    pub async fn group_visits(&self, id: i64, limit: i64) -> Result<Vec<Visit>> {
        let sql = format!(
            "{VISIT_SELECT} WHERE EXISTS (SELECT 1 FROM assist_group_enterprises g JOIN enterprises e \
             ON e.id = g.enterprise_id WHERE g.group_id = $1 \
             AND (v.enterprise = e.name OR (v.credit_code <> '' AND v.credit_code = e.credit_code))) \
             ORDER BY v.visited_on DESC, v.id DESC LIMIT $2"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).bind(limit).fetch_all(pool).await?))
    }

    /// The research reports a group named `name` wrote: those of the regions under
    /// `region_prefix` (its region's) whose research group is named so, the latest first.
    pub async fn group_reports(&self, name: &str, region_prefix: &str) -> Result<Vec<Report>> {
        let (lo, hi) = prefix_range(region_prefix);
        let sql = format!(
            "{REPORT_SELECT} WHERE p.research_group = $1 AND p.region_code >= $2 AND p.region_code < $3 \
             ORDER BY p.researched_on DESC, p.id DESC"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(name).bind(&lo).bind(&hi).fetch_all(pool).await?))
    }
}
