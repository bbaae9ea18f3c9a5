//! The audit log: who changed what, when, before and after. Append-only (the
//! database refuses updates and deletes through triggers).

use crate::sql::{placeholders, prefix_range};
use crate::{Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;
pub use zhaoshang_core::audit::{AuditAction, AuditEntity};
use zhaoshang_core::calendar::china_day_start;

/// Who made a change: a signed-in user, or the command line / system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn user(id: i64, name: &str) -> Actor {
        Actor { id: Some(id), name: name.to_string() }
    }

    /// Changes made from the command line or at start-up.
    pub fn system(what: &str) -> Actor {
        Actor { id: None, name: what.to_string() }
    }
}

/// What a write changed, as its audit entry records it; who made the change and when
/// are the write's (see `audited!`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub action: AuditAction,
    pub entity: AuditEntity,
    pub entity_id: String,
    /// The record before and after the change, as JSON text; `None` where there was
    /// none (before a creation, after a removal).
    pub before: Option<String>,
    pub after: Option<String>,
}

impl NewAuditEntry {
    /// An entry whose record before and after are JSON values.
    pub fn new(
        action: AuditAction,
        entity: AuditEntity,
        entity_id: impl Into<String>,
        before: Option<Value>,
        after: Option<Value>,
    ) -> NewAuditEntry {
        let text = |value: Value| value.to_string();
        NewAuditEntry { action, entity, entity_id: entity_id.into(), before: before.map(text), after: after.map(text) }
    }
}

/// From this many new records on, a write audits them as one entry per `AUDIT_GROUP`
/// records (their data as rows under a column list) instead of one entry each: an
/// import of 100,000 projects writes 100 audit rows, not 100,000.
pub(crate) const GROUP_AUDIT_FROM: usize = 64;

/// New records per grouped audit entry.
pub(crate) const AUDIT_GROUP: usize = 1000;

/// A record an import creates in numbers, as a grouped audit entry holds it: its data
/// as a JSON array in `COLUMNS` order (what a per-record entry holds as an object).
pub(crate) trait AuditRow: Serialize {
    const ENTITY: AuditEntity;
    const COLUMNS: &'static [&'static str];
    /// The record's id in the audit log (a code).
    fn key(&self) -> &str;
    /// Writes the record's data to `seq` in `COLUMNS` order.
    fn row<S: serde::ser::SerializeSeq>(&self, seq: &mut S) -> std::result::Result<(), S::Error>;
}

/// Data as JSON text, written straight from the fields (no intermediate JSON values).
pub(crate) fn json_text<T: Serialize + ?Sized>(data: &T) -> String {
    serde_json::to_string(data).expect("record data serialises")
}

/// The audit entry of a record created or changed, before and after as JSON objects.
pub(crate) fn record_entry<T: AuditRow>(action: AuditAction, before: Option<&T>, after: &T) -> NewAuditEntry {
    NewAuditEntry {
        action,
        entity: T::ENTITY,
        entity_id: after.key().to_string(),
        before: before.map(json_text),
        after: Some(json_text(after)),
    }
}

/// A record as a grouped entry's row.
struct Row<'a, T>(&'a T);

impl<T: AuditRow> Serialize for Row<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(T::COLUMNS.len()))?;
        self.0.row(&mut seq)?;
        seq.end()
    }
}

/// What a grouped audit entry of new records says: `{"count": n, "columns": […],
/// "rows": [[…], …]}`, so that every record stays recoverable.
#[derive(Serialize)]
struct Rows<'a, T: AuditRow> {
    count: usize,
    columns: &'static [&'static str],
    rows: Vec<Row<'a, T>>,
}

/// The audit entries of records a write created: one each (the record's data written
/// straight to JSON text), or from `GROUP_AUDIT_FROM` on one per `AUDIT_GROUP`, with
/// entity id "FIRST … LAST（N 项）".
pub(crate) fn created_entries<T: AuditRow>(created: &[&T]) -> Vec<NewAuditEntry> {
    if created.len() < GROUP_AUDIT_FROM {
        return created.iter().map(|record| record_entry(AuditAction::Create, None, *record)).collect();
    }
    created
        .chunks(AUDIT_GROUP)
        .map(|group| {
            let first = group.first().map(|record| record.key()).unwrap_or_default();
            let last = group.last().map(|record| record.key()).unwrap_or_default();
            let entity_id = if group.len() == 1 {
                first.to_string()
            } else {
                format!("{first} … {last}（{} 项）", group.len())
            };
            let rows = Rows { count: group.len(), columns: T::COLUMNS, rows: group.iter().map(|r| Row(*r)).collect() };
            NewAuditEntry {
                action: AuditAction::Create,
                entity: T::ENTITY,
                entity_id,
                before: None,
                after: Some(json_text(&rows)),
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub entity: Option<String>,
    /// Text within the record's id (a project code, a credit code, a user's number).
    pub record: Option<String>,
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: u32,
    pub per_page: u32,
}

/// Whose changes a list of recent changes holds (`Store::recent_changes`).
#[derive(Debug, Clone, Copy)]
pub enum ChangeScope<'a> {
    /// Every change but sign-ins (the administrator's).
    Everything,
    /// Changes to the records of the regions under a code prefix ("" = every region):
    /// projects with their funding, problems and services, plans with their visits,
    /// chains, enterprises, appeals with their kept files and targets. With `chains`, only the projects, plans
    /// and chains of those chains (a chain department's).
    Records { region_prefix: &'a str, chains: Option<&'a [String]> },
}

/// The condition that an audit entry `a` is of a record in the regions `$1`..`$2`, on
/// the chains bound from `$5` on when `chains` (their number) is given.
fn records_in_scope_sql(chains: Option<usize>) -> String {
    let region = |column: &str| format!("{column} >= $1 AND {column} < $2");
    let chain_in =
        |column: &str| chains.map_or(String::new(), |n| format!(" AND {column} IN ({})", placeholders(5, n)));
    let project = format!("{}{}", region("p.region_code"), chain_in("p.chain"));
    let plan = format!("{}{}", region("x.region_code"), chain_in("c.name"));
    let plan_chain = "LEFT JOIN chain_nodes n ON n.id = x.node_id LEFT JOIN chains c ON c.id = n.chain_id";
    let mut records = vec![
        format!(
            "(a.entity IN ('project', 'funding') AND EXISTS (SELECT 1 FROM projects p \
             WHERE p.code = a.entity_id AND {project}))"
        ),
        format!(
            "(a.entity = 'problem' AND EXISTS (SELECT 1 FROM project_problems y JOIN projects p ON p.id = y.project_id \
             WHERE CAST(y.id AS TEXT) = a.entity_id AND {project}))"
        ),
        format!(
            "(a.entity = 'service' AND EXISTS (SELECT 1 FROM project_services y JOIN projects p ON p.id = y.project_id \
             WHERE CAST(y.id AS TEXT) = a.entity_id AND {project}))"
        ),
        format!(
            "(a.entity = 'plan' AND EXISTS (SELECT 1 FROM plans x {plan_chain} \
             WHERE CAST(x.id AS TEXT) = a.entity_id AND {plan}))"
        ),
        format!(
            "(a.entity = 'plan_visit' AND EXISTS (SELECT 1 FROM plan_visits v JOIN plans x ON x.id = v.plan_id {plan_chain} \
             WHERE CAST(v.plan_id AS TEXT) || '/' || CAST(v.id AS TEXT) = a.entity_id AND {plan}))"
        ),
        format!(
            "(a.entity = 'chain' AND EXISTS (SELECT 1 FROM chains c WHERE c.name = a.entity_id AND {}{}))",
            region("c.region_code"),
            chain_in("c.name")
        ),
    ];
    if chains.is_none() {
        records.extend([
            format!(
                "(a.entity = 'enterprise' AND EXISTS (SELECT 1 FROM enterprises e \
                 WHERE e.credit_code = a.entity_id AND {}))",
                region("e.region_code")
            ),
            format!(
                "(a.entity = 'appeal' AND EXISTS (SELECT 1 FROM appeals y WHERE y.code = a.entity_id AND {}))",
                region("y.region_code")
            ),
            // An appeal's files while they are kept (a removed file's entry names its
            // appeal only in its JSON, which the two backends read differently).
            format!(
                "(a.entity = 'attachment' AND EXISTS (SELECT 1 FROM attachments t JOIN appeals y ON y.code = t.owner_key \
                 WHERE t.owner_kind = 'appeal' AND CAST(t.id AS TEXT) = a.entity_id AND {}))",
                region("y.region_code")
            ),
            // A target's record is "REGION/YEAR".
            format!("(a.entity = 'target' AND {})", region("a.entity_id")),
        ]);
    }
    format!("({})", records.join(" OR "))
}

impl Store {
    /// A text that changes whenever the records do: the last audit entry (every change
    /// people make is audited) and the numbers of enterprises and projects (which bulk
    /// loads, not audited, change). Caches kept beside the database compare it.
    pub async fn change_stamp(&self) -> Result<String> {
        let (audit, enterprises, projects): (Option<i64>, i64, i64) = on_pool!(self, |pool| sqlx::query_as(
            "SELECT CAST((SELECT MAX(id) FROM audit_log) AS BIGINT), \
             CAST((SELECT COUNT(*) FROM enterprises) AS BIGINT), CAST((SELECT COUNT(*) FROM projects) AS BIGINT)"
        )
        .fetch_one(pool)
        .await?);
        Ok(format!("audit {};enterprises {enterprises};projects {projects}", audit.unwrap_or(0)))
    }

    /// Newest first, filtered; returns the page and whether another follows.
    pub async fn audit_entries(&self, filter: &AuditFilter) -> Result<(Vec<AuditEntry>, bool)> {
        let per_page = filter.per_page.clamp(1, 500) as i64;
        let offset = filter.page.saturating_sub(1) as i64 * per_page;
        let mut rows = self.audit_rows(filter, per_page + 1, offset).await?;
        let more = rows.len() as i64 > per_page;
        rows.truncate(per_page as usize);
        Ok((rows, more))
    }

    /// Every entry matching `filter`, newest first, up to `limit` (an export).
    pub async fn all_audit_entries(&self, filter: &AuditFilter, limit: i64) -> Result<Vec<AuditEntry>> {
        self.audit_rows(filter, limit, 0).await
    }

    async fn audit_rows(&self, filter: &AuditFilter, limit: i64, offset: i64) -> Result<Vec<AuditEntry>> {
        // Dates are China's: a change at 07:30 Beijing time belongs to that day.
        let from = filter.from.map(china_day_start);
        let to = filter.to.and_then(|d| d.succ_opt()).map(china_day_start);
        let sql = "SELECT id, at, actor_id, actor_name, action, entity, entity_id, before_json, after_json \
                   FROM audit_log \
                   WHERE ($1 IS NULL OR actor_name = $1) AND ($2 IS NULL OR entity = $2) \
                     AND ($3 IS NULL OR action = $3) AND ($4 IS NULL OR at >= $4) AND ($5 IS NULL OR at < $5) \
                     AND ($6 IS NULL OR entity_id LIKE $6 ESCAPE '\\' \
                          OR (entity_id LIKE '%项）' AND after_json LIKE $9 ESCAPE '\\')) \
                   ORDER BY id DESC LIMIT $7 OFFSET $8";
        let record = crate::sql::contains_pattern(&filter.record);
        // A record created in numbers is a row of a grouped entry (`created_entries`),
        // whose rows start with the record's key: found there by its whole key.
        let grouped_row = filter.record.as_deref().map(str::trim).filter(|key| !key.is_empty()).map(|key| {
            let key = serde_json::to_string(key).expect("text serialises");
            format!("%[{}%", crate::sql::like_literal(&key))
        });
        let rows: Vec<AuditEntry> = on_pool!(self, |pool| sqlx::query_as(sql)
            .bind(&filter.actor)
            .bind(&filter.entity)
            .bind(&filter.action)
            .bind(from)
            .bind(to)
            .bind(&record)
            .bind(limit)
            .bind(offset)
            .bind(&grouped_row)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// The newest changes since `since` within `scope`, newest first, at most `limit`.
    pub async fn recent_changes(
        &self,
        scope: ChangeScope<'_>,
        since: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let select = "SELECT a.id, a.at, a.actor_id, a.actor_name, a.action, a.entity, a.entity_id, \
                      a.before_json, a.after_json FROM audit_log a";
        let (prefix, chains) = match scope {
            ChangeScope::Everything => {
                let sql = format!("{select} WHERE a.at >= $1 AND a.entity <> 'session' ORDER BY a.id DESC LIMIT $2");
                return Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(since).bind(limit).fetch_all(pool).await?));
            }
            // No chains: none of the records a chain department reads (and `IN ()` is no SQL).
            ChangeScope::Records { chains: Some([]), .. } => return Ok(Vec::new()),
            ChangeScope::Records { region_prefix, chains } => (region_prefix, chains),
        };
        let sql = format!(
            "{select} WHERE a.at >= $3 AND {} ORDER BY a.id DESC LIMIT $4",
            records_in_scope_sql(chains.map(<[String]>::len))
        );
        let (lo, hi) = prefix_range(prefix);
        let rows: Vec<AuditEntry> = on_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(&lo).bind(&hi).bind(since).bind(limit);
            for chain in chains.unwrap_or_default() {
                query = query.bind(chain);
            }
            query.fetch_all(pool).await?
        });
        Ok(rows)
    }

    /// Records an event that changes no table (sign-in, export, import run).
    pub async fn record_event(&self, actor: &Actor, entry: NewAuditEntry) -> Result<()> {
        audited!(self, actor, |tx, audit| audit.push(entry));
        Ok(())
    }
}
