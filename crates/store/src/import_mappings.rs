//! Column mappings chosen in the web import (issue 17, point 6): how the columns of an
//! office's own sheet map to a list's fields, kept per office, kind and header set.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::{Result, Store};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// A stored mapping; `mapping` is JSON `{"file header": "field key" or ""}`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ImportMappingRow {
    pub id: i64,
    /// The region of the office that chose it; "" for users without a region.
    pub owner_region: String,
    /// The list's key (`projects`, `funding` …).
    pub kind: String,
    /// A digest of the header row's normalised names, in order.
    pub signature: String,
    /// The header row's names as the file wrote them, separated by " | ".
    pub headers: String,
    pub mapping: String,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// A mapping to remember (see `ImportMappingRow`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewImportMapping<'a> {
    pub owner_region: &'a str,
    pub kind: &'a str,
    pub signature: &'a str,
    pub headers: &'a str,
    pub mapping: &'a str,
}

const COLUMNS: &str = "id, owner_region, kind, signature, headers, mapping, updated_by, updated_at";

/// A mapping as the audit log shows it: the JSON parsed back, so that each column's
/// choice reads as a value.
fn audited_value(kind: &str, owner_region: &str, headers: &str, mapping: &str) -> Value {
    let mapping: Value = serde_json::from_str(mapping).unwrap_or_else(|_| Value::String(mapping.to_string()));
    json!({ "kind": kind, "region_code": owner_region, "headers": headers, "mapping": mapping })
}

impl Store {
    /// The office's mapping for a kind's header set, if one was chosen.
    pub async fn import_mapping(
        &self,
        owner_region: &str,
        kind: &str,
        signature: &str,
    ) -> Result<Option<ImportMappingRow>> {
        let sql =
            format!("SELECT {COLUMNS} FROM import_mappings WHERE owner_region = $1 AND kind = $2 AND signature = $3");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(owner_region)
            .bind(kind)
            .bind(signature)
            .fetch_optional(pool)
            .await?))
    }

    /// Remembers a mapping (replacing the office's earlier one for the same header set),
    /// audited with the mapping before and after.
    pub async fn save_import_mapping(&self, new: &NewImportMapping<'_>, actor: &Actor) -> Result<()> {
        let now = Utc::now();
        audited!(self, actor, |tx, audit| {
            let before: Option<(String, String)> = sqlx::query_as(
                "SELECT headers, mapping FROM import_mappings \
                 WHERE owner_region = $1 AND kind = $2 AND signature = $3",
            )
            .bind(new.owner_region)
            .bind(new.kind)
            .bind(new.signature)
            .fetch_optional(&mut *tx)
            .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO import_mappings (owner_region, kind, signature, headers, mapping, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (owner_region, kind, signature) DO UPDATE SET headers = excluded.headers, \
                 mapping = excluded.mapping, updated_by = excluded.updated_by, updated_at = excluded.updated_at \
                 RETURNING id",
            )
            .bind(new.owner_region)
            .bind(new.kind)
            .bind(new.signature)
            .bind(new.headers)
            .bind(new.mapping)
            .bind(&actor.name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::written(before.is_some()),
                AuditEntity::ImportMapping,
                id.to_string(),
                before.map(|(headers, mapping)| audited_value(new.kind, new.owner_region, &headers, &mapping)),
                Some(audited_value(new.kind, new.owner_region, new.headers, new.mapping)),
            ));
        });
        Ok(())
    }
}
