//! The audit log as the administrator and auditors read it: who did what to which
//! record, each changed field before and after in Chinese (core::audit), filtered by
//! person, kind of record, record and period, and exported.

use crate::accounts::require_admin;
use crate::exchange::export::Table;
use crate::{App, AppError, AppResult};
use serde::Serialize;
use std::collections::HashMap;
use zhaoshang_core::access::Principal;
use zhaoshang_core::audit::{change_view, sentence, AuditAction, AuditEntity, ChangeView, FieldChange};
use zhaoshang_core::calendar::china_time;
use zhaoshang_store::{AuditEntry, AuditFilter};

/// What a review's entry shows in place of its scores while its round is not closed.
pub const SCORES_WITHHELD: &str = "（评审结束前不显示评分）";

/// Entries an export holds at most; past it the filter must be narrowed.
pub const EXPORT_LIMIT: i64 = 20_000;

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
    pub(crate) fn of(entry: AuditEntry) -> AuditView {
        let entity = AuditEntity::from_key(&entry.entity);
        let view = change_view(entity, entry.before_json.as_deref(), entry.after_json.as_deref());
        let (changes, group_count, raw) = match view {
            ChangeView::Fields(changes) => (changes, None, None),
            ChangeView::Group { count } => (Vec::new(), Some(count), None),
            ChangeView::Text { before, after } => (Vec::new(), None, Some((before, after))),
        };
        AuditView {
            id: entry.id,
            at: china_time(entry.at).format("%Y-%m-%d %H:%M:%S").to_string(),
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
        Ok((self.withhold_sealed_scores(entries).await?.into_iter().map(AuditView::of).collect(), more))
    }

    /// The entries with the scores of reviews withheld while their year's round is not
    /// closed: nobody but the reviewer reads a score before the close (issue 21), the
    /// administrator reading the log neither.
    pub(crate) async fn withhold_sealed_scores(&self, mut entries: Vec<AuditEntry>) -> AppResult<Vec<AuditEntry>> {
        let review = AuditEntity::Review.key();
        if !entries.iter().any(|entry| entry.entity == review) {
            return Ok(entries);
        }
        let sealed = crate::rounds::sealed_years(self.store()).await?;
        if sealed.is_empty() {
            return Ok(entries);
        }
        let years: HashMap<String, i64> =
            self.store().all_achievements().await?.into_iter().map(|a| (a.code, a.year)).collect();
        for entry in entries.iter_mut().filter(|entry| entry.entity == review) {
            // A review is kept as "code/reviewer".
            let code = entry.entity_id.split_once('/').map_or(entry.entity_id.as_str(), |(code, _)| code);
            if years.get(code).is_some_and(|year| sealed.contains(year)) {
                for json in [&mut entry.before_json, &mut entry.after_json].into_iter().flatten() {
                    *json = SCORES_WITHHELD.to_string();
                }
            }
        }
        Ok(entries)
    }

    /// The entries matching `filter` as a table, a row per changed field (administrators
    /// only); refused when more than `EXPORT_LIMIT` entries match.
    pub async fn audit_table(&self, principal: &Principal, filter: &AuditFilter) -> AppResult<Table> {
        require_admin(principal)?;
        let entries = self.store().all_audit_entries(filter, EXPORT_LIMIT + 1).await?;
        if entries.len() as i64 > EXPORT_LIMIT {
            return Err(AppError::Invalid(format!(
                "符合条件的操作记录超过 {EXPORT_LIMIT} 条，请按操作人、对象或日期缩小范围后分批导出"
            )));
        }
        Ok(audit_table(self.withhold_sealed_scores(entries).await?.into_iter().map(AuditView::of)))
    }
}

/// Columns of the export: the entry, then one changed field with its values.
const COLUMNS: [(&str, &str); 9] = [
    ("at", "时间"),
    ("actor", "操作人"),
    ("action", "操作"),
    ("entity", "对象"),
    ("entity_id", "记录"),
    ("summary", "说明"),
    ("field", "字段"),
    ("before", "变更前"),
    ("after", "变更后"),
];

fn audit_table(views: impl Iterator<Item = AuditView>) -> Table {
    let mut table = Table::list("操作日志", COLUMNS);
    for view in views {
        let entry = [view.at, view.actor, view.action, view.entity, view.entity_id, view.sentence];
        let mut push = |field: String, before: String, after: String| {
            let mut row = entry.to_vec();
            row.extend([field, before, after]);
            table.rows.push(row);
        };
        match (view.group_count, view.raw) {
            (Some(count), _) => push(String::new(), String::new(), format!("共 {count} 项")),
            (_, Some((before, after))) => push(String::new(), before, after),
            _ if view.changes.is_empty() => push(String::new(), String::new(), String::new()),
            _ => {
                for change in view.changes {
                    push(change.label, change.before, change.after);
                }
            }
        }
    }
    table
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

    #[test]
    fn the_export_has_a_row_per_changed_field_and_one_for_an_event() {
        let two_fields = entry(
            "update",
            "project",
            Some(r#"{"name":"甲","stage":"signed"}"#),
            Some(r#"{"name":"乙","stage":"started"}"#),
        );
        let group =
            entry("create", "project", None, Some(r#"{"count":3,"columns":["code"],"rows":[["a"],["b"],["c"]]}"#));
        let sign_in = entry("sign_in", "session", None, None);
        let table = audit_table([two_fields, group, sign_in].into_iter().map(AuditView::of));
        let tails: Vec<_> = table.rows.iter().map(|row| row[6..].join("|")).collect();
        assert_eq!(tails, ["名称|甲|乙", "阶段|签约|开工", "||共 3 项", "||"]);
        assert!(table.rows.iter().all(|row| row.len() == COLUMNS.len()));
        assert_eq!(table.rows[3][2..5], ["登录", "登录会话", "GS-1"]);
    }
}
