//! Attachments (附件) of any area's records (migration 0033): stored with their content,
//! listed without it, every addition and removal audited.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use zhaoshang_core::attachments::{check_count, OwnerKind};

/// An attachment as lists show it (without its content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AttachmentInfo {
    pub id: i64,
    pub owner_kind: String,
    pub owner_key: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

/// An attachment with its content, to be served.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Attachment {
    #[sqlx(flatten)]
    pub info: AttachmentInfo,
    pub content: Vec<u8>,
}

/// A file checked and about to be stored.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub file_name: String,
    pub content_type: String,
    /// Lower-case hex.
    pub sha256: String,
    pub content: Vec<u8>,
}

const INFO_COLUMNS: &str =
    "id, owner_kind, owner_key, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at";

/// What the audit log keeps of an attachment (not its content).
fn audited_fields(info: &AttachmentInfo) -> serde_json::Value {
    json!({
        "owner_kind": info.owner_kind, "owner_key": info.owner_key, "file_name": info.file_name,
        "content_type": info.content_type, "size_bytes": info.size_bytes, "sha256": info.sha256,
        "uploaded_by": info.uploaded_by,
    })
}

impl Store {
    /// Stores files with a record, audited, all or none: refused (`Invalid`) when the
    /// record would hold more than it may (counted in the same transaction). Returns the
    /// new attachments.
    pub async fn add_attachments(
        &self,
        owner: OwnerKind,
        owner_key: &str,
        files: &[NewAttachment],
        actor: &Actor,
    ) -> Result<Vec<AttachmentInfo>> {
        let now = Utc::now();
        let added = audited!(self, actor, |tx, audit| {
            let existing: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE owner_kind = $1 AND owner_key = $2")
                    .bind(owner.key())
                    .bind(owner_key)
                    .fetch_one(&mut *tx)
                    .await?;
            check_count(existing as usize, files.len()).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let mut added = Vec::new();
            for file in files {
                let sql = format!(
                    "INSERT INTO attachments (owner_kind, owner_key, file_name, content_type, size_bytes, sha256, \
                     content, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     RETURNING {INFO_COLUMNS}"
                );
                let info: AttachmentInfo = sqlx::query_as(&sql)
                    .bind(owner.key())
                    .bind(owner_key)
                    .bind(&file.file_name)
                    .bind(&file.content_type)
                    .bind(file.content.len() as i64)
                    .bind(&file.sha256)
                    .bind(&file.content)
                    .bind(&actor.name)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                audit.push(NewAuditEntry::new(
                    AuditAction::Create,
                    AuditEntity::Attachment,
                    info.id.to_string(),
                    None,
                    Some(audited_fields(&info)),
                ));
                added.push(info);
            }
            added
        });
        Ok(added)
    }

    /// A record's attachments, the oldest first, without their content.
    pub async fn attachments_of(&self, owner: OwnerKind, owner_key: &str) -> Result<Vec<AttachmentInfo>> {
        let sql =
            format!("SELECT {INFO_COLUMNS} FROM attachments WHERE owner_kind = $1 AND owner_key = $2 ORDER BY id");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(owner.key()).bind(owner_key).fetch_all(pool).await?))
    }

    /// One attachment without its content (to check who may have it first).
    pub async fn attachment_info(&self, id: i64) -> Result<Option<AttachmentInfo>> {
        let sql = format!("SELECT {INFO_COLUMNS} FROM attachments WHERE id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// One attachment with its content.
    pub async fn attachment(&self, id: i64) -> Result<Option<Attachment>> {
        let sql = format!("SELECT {INFO_COLUMNS}, content FROM attachments WHERE id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// Removes an attachment, audited; false when it was already gone.
    pub async fn delete_attachment(&self, id: i64, actor: &Actor) -> Result<bool> {
        let sql = format!("DELETE FROM attachments WHERE id = $1 RETURNING {INFO_COLUMNS}");
        let deleted = audited!(self, actor, |tx, audit| {
            let gone: Option<AttachmentInfo> = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *tx).await?;
            if let Some(info) = &gone {
                audit.push(NewAuditEntry::new(
                    AuditAction::Delete,
                    AuditEntity::Attachment,
                    info.id.to_string(),
                    Some(audited_fields(info)),
                    None,
                ));
            }
            gone.is_some()
        });
        Ok(deleted)
    }
}
