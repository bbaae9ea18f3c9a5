//! Settings the administrator changes in the application (table `settings`, one row
//! per key; a missing row means the default).

use crate::audit::{Actor, NewAuditEntry};
use crate::audit::{AuditAction, AuditEntity};
use crate::{Result, Store};
use serde_json::json;

/// Whether a city's or county's chain target lists may hold enterprises of other
/// regions of the province ("true"/"false"; default false: targets lie outside it).
pub const IN_PROVINCE_RELOCATION: &str = "in_province_relocation";

impl Store {
    /// The stored value of a setting, `None` when it was never set.
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await?))
    }

    /// Sets a setting, audited with its value before and after.
    pub async fn set_setting(&self, key: &str, value: &str, actor: &Actor) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            let before: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::written(before.is_some()),
                AuditEntity::Setting,
                key,
                before.map(|value| json!({ key: value })),
                Some(json!({ key: value })),
            ));
        });
        Ok(())
    }

    /// Whether the province allows relocation within it (`IN_PROVINCE_RELOCATION`).
    pub async fn in_province_relocation_allowed(&self) -> Result<bool> {
        Ok(self.setting(IN_PROVINCE_RELOCATION).await?.as_deref() == Some("true"))
    }

    pub async fn set_in_province_relocation(&self, allowed: bool, actor: &Actor) -> Result<()> {
        self.set_setting(IN_PROVINCE_RELOCATION, if allowed { "true" } else { "false" }, actor).await
    }
}
