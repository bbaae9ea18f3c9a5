//! The audit log as the administrator and auditors read it: who did what to which
//! record, each changed field before and after in Chinese (core::audit), filtered by
//! person, kind of record, record and period, and exported.

use crate::accounts::require_admin;
use crate::{App, AppResult};
use serde::Serialize;
use zhaoshang_core::access::Principal;
use zhaoshang_core::audit::{change_view, sentence, AuditAction, AuditEntity, ChangeView, FieldChange};
use zhaoshang_core::calendar::china_offset;
use zhaoshang_store::{AuditEntry, AuditFilter};

/// One entry as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditView {
    pub id: i64,
    /// Beijing time.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub sentence: String,
    /// The fields that changed (empty for an event or a group).
    pub changes: Vec<FieldChange>,
    /// The number of records of an import's group entry.
    pub group_count: Option<u64>,
    /// Before and after as kept, where they are not JSON objects.
    pub raw: Option<(String, String)>,
}

impl AuditView {
    fn of(entry: AuditEntry) -> AuditView {
        let entity = AuditEntity::from_key(&entry.entity);
        let view = change_view(entity, entry.before_json.as_deref(), entry.after_json.as_deref());
        let (changes, group_count, raw) = match view {
            ChangeView::Fields(changes) => (changes, None, None),
            ChangeView::Group { count } => (Vec::new(), Some(count), None),
            ChangeView::Text { before, after } => (Vec::new(), None, Some((before, after))),
        };
        AuditView {
            id: entry.id,
            at: entry.at.with_timezone(&china_offset()).format("%Y-%m-%d %H:%M:%S").to_string(),
            sentence: sentence(&entry.actor_name, &entry.action, &entry.entity, &entry.entity_id),
            action: AuditAction::from_key(&entry.action).map_or(entry.action.clone(), |a| a.label().to_string()),
            entity: entity.map_or(entry.entity.clone(), |e| e.label().to_string()),
            actor: entry.actor_name,
            entity_id: entry.entity_id,
            changes,
            group_count,
            raw,
        }
    }
}

impl App {
    /// One page of the log matching `filter`, and whether more follow (administrators only).
    pub async fn audit_entries(
        &self,
        principal: &Principal,
        filter: &AuditFilter,
    ) -> AppResult<(Vec<AuditView>, bool)> {
        require_admin(principal)?;
        let (entries, more) = self.store().audit_entries(filter).await?;
        Ok((entries.into_iter().map(AuditView::of).collect(), more))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn entry(action: &str, entity: &str, before: Option<&str>, after: Option<&str>) -> AuditEntry {
        AuditEntry {
            id: 7,
            at: Utc.with_ymd_and_hms(2026, 12, 4, 23, 30, 0).unwrap(),
            actor_id: Some(1),
            actor_name: "admin".into(),
            action: action.into(),
            entity: entity.into(),
            entity_id: "GS-1".into(),
            before_json: before.map(str::to_string),
            after_json: after.map(str::to_string),
        }
    }

    #[test]
    fn an_entry_reads_in_chinese_in_beijing_time_with_its_changed_fields() {
        let update = entry(
            "update",
            "project",
            Some(r#"{"name":"甲","stage":"signed"}"#),
            Some(r#"{"name":"乙","stage":"signed"}"#),
        );
        let view = AuditView::of(update);
        assert_eq!(
            (view.at.as_str(), view.action.as_str(), view.entity.as_str()),
            ("2026-12-05 07:30:00", "修改", "项目")
        );
        assert_eq!(view.sentence, "admin 修改了项目「GS-1」");
        let changes: Vec<_> =
            view.changes.iter().map(|c| (c.label.as_str(), c.before.as_str(), c.after.as_str())).collect();
        assert_eq!(changes, [("名称", "甲", "乙")]);
        let sign_in = AuditView::of(entry("sign_in", "session", None, None));
        assert_eq!((sign_in.action.as_str(), sign_in.changes.len()), ("登录", 0));
    }
}
