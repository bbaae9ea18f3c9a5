//! User accounts. Password hashes are computed by the caller (argon2, off the async
//! threads); the store only keeps them.

use crate::audit::{Actor, NewAuditEntry};
use crate::audit::{AuditAction, AuditEntity};
use crate::{conflict_as, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub region_code: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    /// The chamber a liaison (商会联络员) registers leads for.
    pub chamber_id: Option<i64>,
}

impl User {
    /// What the audit log keeps of a user: never the password hash.
    fn audit_view(&self) -> serde_json::Value {
        json!({
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "region_code": self.region_code,
            "disabled": self.disabled,
            "chamber_id": self.chamber_id,
        })
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub region_code: Option<String>,
    pub password_hash: String,
    /// A liaison's chamber.
    pub chamber_id: Option<i64>,
}

/// Changes an administrator may make to an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub region_code: Option<Option<String>>,
    pub chamber_id: Option<Option<i64>>,
    pub password_hash: Option<String>,
    pub disabled: Option<bool>,
}

const USER_COLUMNS: &str =
    "id, username, display_name, role, region_code, password_hash, disabled, created_at, chamber_id";

impl Store {
    pub async fn create_user(&self, new: &NewUser, actor: &Actor) -> Result<User> {
        let sql = format!(
            "INSERT INTO users (username, display_name, role, region_code, password_hash, disabled, created_at, chamber_id) \
             VALUES ($1, $2, $3, $4, $5, FALSE, $6, $7) RETURNING {USER_COLUMNS}"
        );
        let user = audited!(self, actor, |tx, audit| {
            let user: User = sqlx::query_as(&sql)
                .bind(&new.username)
                .bind(&new.display_name)
                .bind(&new.role)
                .bind(&new.region_code)
                .bind(&new.password_hash)
                .bind(Utc::now())
                .bind(new.chamber_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(conflict_as(format!("用户名“{}”已存在", new.username)))?;
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::User,
                user.id.to_string(),
                None,
                Some(user.audit_view()),
            ));
            user
        });
        Ok(user)
    }

    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(username).fetch_optional(pool).await?))
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY id");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    pub async fn count_users(&self) -> Result<i64> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?))
    }

    /// Applies `change`; disabling an account or changing its password ends its sessions.
    pub async fn update_user(&self, id: i64, change: &UserChange, actor: &Actor) -> Result<User> {
        let select = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let update = format!(
            "UPDATE users SET display_name = $2, role = $3, region_code = $4, password_hash = $5, disabled = $6, \
             chamber_id = $7 WHERE id = $1 RETURNING {USER_COLUMNS}"
        );
        let user = audited!(self, actor, |tx, audit| {
            let before: User = sqlx::query_as(&select)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound("该用户".into()))?;
            let after: User = sqlx::query_as(&update)
                .bind(id)
                .bind(change.display_name.as_ref().unwrap_or(&before.display_name))
                .bind(change.role.as_ref().unwrap_or(&before.role))
                .bind(change.region_code.as_ref().unwrap_or(&before.region_code))
                .bind(change.password_hash.as_ref().unwrap_or(&before.password_hash))
                .bind(change.disabled.unwrap_or(before.disabled))
                .bind(change.chamber_id.unwrap_or(before.chamber_id))
                .fetch_one(&mut *tx)
                .await?;
            if after.disabled || change.password_hash.is_some() {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            }
            let mut after_view = after.audit_view();
            if change.password_hash.is_some() {
                after_view["password"] = json!("已重置");
            }
            audit.push(NewAuditEntry::new(
                AuditAction::Update,
                AuditEntity::User,
                id.to_string(),
                Some(before.audit_view()),
                Some(after_view),
            ));
            after
        });
        Ok(user)
    }
}
