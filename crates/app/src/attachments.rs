//! Attachments (附件), one service for every area: a record's files are read by whoever
//! may read the record and added or removed by whoever may write it, as the record's own
//! area decides (`owner_access`). Files pass `core::attachments`' checks before anything
//! is stored; every addition and removal is audited (store::attachments).

use crate::{App, AppError, AppResult};
use sha2::{Digest, Sha256};
use zhaoshang_core::access::{PoolAccess, Principal};
use zhaoshang_core::attachments::{check_file, FileKind, OwnerKind};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::attachments::{Attachment, AttachmentInfo, NewAttachment};
use zhaoshang_store::Actor;

/// A file as a form sent it: the name the client gave and the bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A record's attachments as its page shows them.
pub struct OwnerAttachments {
    pub items: Vec<AttachmentInfo>,
    /// Whether the user may add and remove them.
    pub may_write: bool,
}

/// Checks the files of one request (all pass or none is taken) and makes them ready to
/// store: cleaned names, the sniffed content type, their SHA-256.
pub fn checked_uploads(uploads: Vec<Upload>) -> AppResult<Vec<NewAttachment>> {
    if uploads.is_empty() {
        return Err(AppError::Invalid("请选择要上传的文件".into()));
    }
    uploads
        .into_iter()
        .map(|upload| {
            let checked = check_file(&upload.name, &upload.bytes).map_err(|e| AppError::Invalid(e.to_string()))?;
            Ok(NewAttachment {
                file_name: checked.name,
                content_type: checked.kind.content_type().to_string(),
                sha256: hex::encode(Sha256::digest(&upload.bytes)),
                content: upload.bytes,
            })
        })
        .collect()
}

fn owner_kind(key: &str) -> AppResult<OwnerKind> {
    OwnerKind::from_key(key).ok_or_else(|| AppError::internal(format!("unknown attachment owner {key}")))
}

impl App {
    /// Whether the user may write a record it may read (the record's area decides); the
    /// area's refusal (403, 404) when it may not read it.
    async fn owner_access(&self, principal: &Principal, owner: OwnerKind, key: &str) -> AppResult<bool> {
        match owner {
            OwnerKind::Appeal => {
                let appeal = self.appeal_in_scope(principal, key).await?;
                let region = RegionCode::parse(&appeal.data.region_code).map_err(AppError::internal)?;
                Ok(principal.may_handle_appeals_of(&region))
            }
            OwnerKind::Achievement => {
                let (_, access, _) = self.achievement_in_scope(principal, key).await?;
                Ok(access == PoolAccess::Manage)
            }
            OwnerKind::Report => {
                let id = key.parse::<i64>().map_err(|_| AppError::not_found("该调研报告"))?;
                let report = self.report_in_scope(principal, id).await?;
                let region = RegionCode::parse(&report.data.region_code).map_err(AppError::internal)?;
                Ok(principal.may_file_report_in(&region))
            }
            OwnerKind::Lead => {
                let id = key.parse::<i64>().map_err(|_| AppError::not_found("该线索"))?;
                let lead = self.lead_in_scope(principal, id).await?;
                let region = RegionCode::parse(&lead.region_code).map_err(AppError::internal)?;
                Ok(principal.may_edit_lead(&region, lead.referrer_id))
            }
            // A park is public: everybody reads it, its region's keepers write it.
            OwnerKind::Park => {
                let id = key.parse::<i64>().map_err(|_| AppError::not_found("该园区"))?;
                let park = self.store().park(id).await?.ok_or_else(|| AppError::not_found("该园区"))?;
                Ok(crate::parcels::may_write_site(principal, &park.region_code))
            }
            OwnerKind::Activity => {
                crate::activities::may_edit(principal, &self.activity_in_scope(principal, key).await?)
            }
        }
    }

    /// A park's photos: its PNG and JPEG attachments, oldest first.
    pub async fn park_photos(&self, park_id: i64) -> AppResult<Vec<crate::parcels::ParkPhoto>> {
        let files = self.store().attachments_of(OwnerKind::Park, &park_id.to_string()).await?;
        Ok(files
            .into_iter()
            .filter(|file| FileKind::of_content_type(&file.content_type).is_some_and(FileKind::is_photo))
            .map(|file| crate::parcels::ParkPhoto { id: file.id, file_name: file.file_name })
            .collect())
    }

    /// A photo of the park `park_id`, for anybody (signed in or not): "not found" for any
    /// other attachment, so that nothing else is read without signing in.
    pub async fn park_photo(&self, park_id: i64, id: i64) -> AppResult<Attachment> {
        let info = self.attachment_info(id).await?;
        let photo = info.owner_kind == OwnerKind::Park.key()
            && info.owner_key == park_id.to_string()
            && FileKind::of_content_type(&info.content_type).is_some_and(FileKind::is_photo);
        if !photo {
            return Err(AppError::not_found("该附件"));
        }
        self.attachment_content(id).await
    }

    /// A record's attachments, for whoever may read the record.
    pub async fn attachments(&self, principal: &Principal, owner: OwnerKind, key: &str) -> AppResult<OwnerAttachments> {
        let may_write = self.owner_access(principal, owner, key).await?;
        let items = self.store().attachments_of(owner, key).await?;
        Ok(OwnerAttachments { items, may_write })
    }

    /// Adds files to a record the user may write, audited: refused whole when one file
    /// fails the checks or the record would hold too many.
    pub async fn upload_attachments(
        &self,
        principal: &Principal,
        actor: &Actor,
        owner: OwnerKind,
        key: &str,
        uploads: Vec<Upload>,
    ) -> AppResult<Vec<AttachmentInfo>> {
        if !self.owner_access(principal, owner, key).await? {
            return Err(AppError::Forbidden);
        }
        let files = checked_uploads(uploads)?;
        Ok(self.store().add_attachments(owner, key, &files, actor).await?)
    }

    /// An attachment with its content, for whoever may read its record; "not found" to
    /// anyone else, who learns nothing of the record.
    pub async fn attachment_download(&self, principal: &Principal, id: i64) -> AppResult<Attachment> {
        let info = self.attachment_info(id).await?;
        let owner = owner_kind(&info.owner_kind)?;
        self.readable(principal, owner, &info.owner_key).await?;
        self.attachment_content(id).await
    }

    /// An attachment as lists show it, or "not found".
    async fn attachment_info(&self, id: i64) -> AppResult<AttachmentInfo> {
        self.store().attachment_info(id).await?.ok_or_else(|| AppError::not_found("该附件"))
    }

    /// An attachment with its content, read once whoever asks may have it.
    pub(crate) async fn attachment_content(&self, id: i64) -> AppResult<Attachment> {
        self.store().attachment(id).await?.ok_or_else(|| AppError::not_found("该附件"))
    }

    /// Removes an attachment of a record the user may write, audited; returns it (its
    /// record's kind and key say where to go back to). 404 to a user who may not read
    /// the record, 403 to one who may read but not write it.
    pub async fn delete_attachment(&self, principal: &Principal, actor: &Actor, id: i64) -> AppResult<AttachmentInfo> {
        let info = self.attachment_info(id).await?;
        let owner = owner_kind(&info.owner_kind)?;
        if !self.readable(principal, owner, &info.owner_key).await? {
            return Err(AppError::Forbidden);
        }
        if !self.store().delete_attachment(id, actor).await? {
            return Err(AppError::not_found("该附件"));
        }
        Ok(info)
    }

    /// `owner_access` with every refusal told as the attachment not found.
    async fn readable(&self, principal: &Principal, owner: OwnerKind, key: &str) -> AppResult<bool> {
        self.owner_access(principal, owner, key).await.map_err(|error| match error {
            AppError::Forbidden | AppError::NotFound(_) => AppError::not_found("该附件"),
            other => other,
        })
    }
}
