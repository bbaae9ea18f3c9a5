//! Writes of many projects or appeals at once (imports): every created or changed
//! record stays recoverable from the audit log, and a failed batch changes nothing. On
//! SQLite and on a real PostgreSQL server.

use zhaoshang_testkit::on_both_backends;

use chrono::NaiveDate;
use zhaoshang_store::appeals::{AppealData, AppealFilter};
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::projects::{FundingData, ProjectData, ProjectUpsert};
use zhaoshang_store::{Actor, AuditEntry, AuditFilter, Store};

on_both_backends!(
    store: many_new_projects_are_audited_in_groups_that_hold_every_project,
    a_few_new_projects_are_audited_one_by_one,
    changes_in_a_large_batch_are_audited_with_before_and_after,
    a_failed_batch_changes_nothing,
    appeals_are_audited_like_projects,
    a_failed_batch_of_appeals_changes_nothing,
    many_funding_records_are_audited_in_groups_and_duplicates_reported,
    a_failed_batch_of_funding_changes_nothing,
);

fn project(index: usize) -> ProjectData {
    let signed = NaiveDate::from_ymd_opt(2024, 1 + (index % 12) as u32, 1 + (index % 28) as u32).unwrap();
    ProjectData {
        code: format!("P-{index:05}"),
        name: format!("项目“{index}”\\n"),
        region_code: if index.is_multiple_of(3) { "620500" } else { "620402" }.into(),
        chain: if index.is_multiple_of(2) { "新能源" } else { "" }.into(),
        total_investment: 10_000 * index as i64,
        stage: if index.is_multiple_of(5) { "producing" } else { "signed" }.into(),
        signed_on: Some(signed),
        producing_on: index.is_multiple_of(5).then(|| signed + chrono::Duration::days(30)),
        ..Default::default()
    }
}

fn upserts(projects: &[ProjectData], note: &str) -> Vec<ProjectUpsert> {
    projects.iter().map(|data| ProjectUpsert { data: data.clone(), note: note.into() }).collect()
}

async fn project_audit(store: &Store) -> Vec<AuditEntry> {
    audit_of(store, "project").await
}

/// The audit entries of an entity, oldest first.
async fn audit_of(store: &Store, entity: &str) -> Vec<AuditEntry> {
    let filter = AuditFilter { entity: Some(entity.into()), per_page: 500, page: 1, ..Default::default() };
    let (mut entries, more) = store.audit_entries(&filter).await.unwrap();
    assert!(!more);
    entries.reverse();
    entries
}

fn audited_projects(json: &str) -> Vec<ProjectData> {
    audited(json)
}

/// The records an audit entry's `after_json` holds: one object, or a group's rows
/// under its column list.
fn audited<T: serde::de::DeserializeOwned>(json: &str) -> Vec<T> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let Some(rows) = value.get("rows") else {
        return vec![serde_json::from_value(value).unwrap()];
    };
    let columns: Vec<String> = serde_json::from_value(value["columns"].clone()).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(value["count"].as_u64(), Some(rows.len() as u64));
    rows.iter()
        .map(|row| {
            let object: serde_json::Map<String, serde_json::Value> =
                columns.iter().cloned().zip(row.as_array().unwrap().iter().cloned()).collect();
            serde_json::from_value(serde_json::Value::Object(object)).unwrap()
        })
        .collect()
}

async fn many_new_projects_are_audited_in_groups_that_hold_every_project(store: Store) {
    let projects: Vec<ProjectData> = (0..2_345).map(project).collect();
    let outcome = store.upsert_projects(&upserts(&projects, "表格导入：a.csv"), &Actor::system("测试")).await.unwrap();
    assert_eq!(outcome.created, projects.len());
    let entries = project_audit(&store).await;
    assert_eq!(entries.len(), 3, "one entry per 1,000 new projects");
    assert!(entries.iter().all(|e| e.action == "create" && e.before_json.is_none() && e.actor_name == "测试"));
    assert_eq!(entries[0].entity_id, "P-00000 … P-00999（1000 项）");
    assert_eq!(entries[2].entity_id, "P-02000 … P-02344（345 项）");
    let audited: Vec<ProjectData> =
        entries.iter().flat_map(|e| audited_projects(e.after_json.as_deref().unwrap())).collect();
    assert_eq!(audited, projects, "every project's data is in the audit log");
    // "Who created P-01234?": the audit log's record filter finds its group by the whole code.
    let by_record =
        |record: &str| AuditFilter { record: Some(record.into()), per_page: 50, page: 1, ..Default::default() };
    let (found, _) = store.audit_entries(&by_record("P-01234")).await.unwrap();
    assert_eq!(found.iter().map(|e| e.entity_id.as_str()).collect::<Vec<_>>(), ["P-01000 … P-01999（1000 项）"]);
    for (record, groups) in [("P-02344", 1), (" P-00000 ", 1), ("P-09999", 0), ("1234", 0)] {
        let (found, _) = store.audit_entries(&by_record(record)).await.unwrap();
        assert_eq!(found.len(), groups, "{record}: a group is found by a whole code only, not by its names' text");
    }
    // Each still has its timeline entry.
    for code in ["P-00000", "P-02344"] {
        let stored = store.project_by_code(code).await.unwrap().unwrap();
        let events = store.project_events(stored.id).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!((events[0].kind.as_str(), events[0].note.as_str()), ("stage", "表格导入：a.csv"));
    }
}

async fn a_few_new_projects_are_audited_one_by_one(store: Store) {
    let projects: Vec<ProjectData> = (0..3).map(project).collect();
    store.upsert_projects(&upserts(&projects, "页面编辑"), &Actor::system("测试")).await.unwrap();
    let entries = project_audit(&store).await;
    assert_eq!(entries.iter().map(|e| e.entity_id.as_str()).collect::<Vec<_>>(), ["P-00000", "P-00001", "P-00002"]);
    let audited: Vec<ProjectData> =
        entries.iter().flat_map(|e| audited_projects(e.after_json.as_deref().unwrap())).collect();
    assert_eq!(audited, projects);
}

async fn changes_in_a_large_batch_are_audited_with_before_and_after(store: Store) {
    let actor = Actor::system("测试");
    let projects: Vec<ProjectData> = (0..200).map(project).collect();
    store.upsert_projects(&upserts(&projects, "导入"), &actor).await.unwrap();
    // The same 200 again with two changed, and 100 new ones.
    let mut again = projects.clone();
    again[7].name = "改名".into();
    again[150].stage = "dropped".into();
    again[150].dropped_reason = "投资方撤资".into();
    again.extend((200..300).map(project));
    let outcome = store.upsert_projects(&upserts(&again, "再次导入"), &actor).await.unwrap();
    assert_eq!((outcome.created, outcome.updated, outcome.unchanged), (100, 2, 198));
    let entries = project_audit(&store).await;
    let updates: Vec<&AuditEntry> = entries.iter().filter(|e| e.action == "update").collect();
    assert_eq!(updates.iter().map(|e| e.entity_id.as_str()).collect::<Vec<_>>(), ["P-00007", "P-00150"]);
    assert_eq!(audited_projects(updates[0].before_json.as_deref().unwrap()), [projects[7].clone()]);
    assert_eq!(audited_projects(updates[1].after_json.as_deref().unwrap()), [again[150].clone()]);
    let created: Vec<ProjectData> = entries
        .iter()
        .filter(|e| e.action == "create")
        .flat_map(|e| audited_projects(e.after_json.as_deref().unwrap()))
        .collect();
    assert_eq!(created.len(), 300);
    assert_eq!(&created[200..], &again[200..]);
    let dropped = store.project_by_code("P-00150").await.unwrap().unwrap();
    let events = store.project_events(dropped.id).await.unwrap();
    assert_eq!(events.last().map(|e| e.note.as_str()), Some("投资方撤资"));
}

async fn a_failed_batch_changes_nothing(store: Store) {
    let actor = Actor::system("测试");
    store.upsert_projects(&upserts(&[project(0)], "导入"), &actor).await.unwrap();
    let audit_before = project_audit(&store).await.len();
    // 500 new projects, the last in a region that does not exist, and a change.
    let mut batch: Vec<ProjectData> = (1..=500).map(project).collect();
    batch[499].region_code = "999999".into();
    let mut changed = project(0);
    changed.name = "新名称".into();
    batch.push(changed);
    assert!(store.upsert_projects(&upserts(&batch, "导入"), &actor).await.is_err());
    assert_eq!(store.project_totals(&ProjectFilter::default()).await.unwrap().count, 1);
    assert_eq!(store.project_by_code("P-00000").await.unwrap().unwrap().data, project(0));
    assert_eq!(project_audit(&store).await.len(), audit_before);
    assert_eq!(store.meta("stat_sums_paused").await.unwrap(), None);
    // The connections work as before: a good batch goes in, sums and all.
    batch[499].region_code = "620402".into();
    let outcome = store.upsert_projects(&upserts(&batch, "导入"), &actor).await.unwrap();
    assert_eq!((outcome.created, outcome.updated), (500, 1));
}

fn appeal(index: usize) -> AppealData {
    let received_on = NaiveDate::from_ymd_opt(2024, 1 + (index % 12) as u32, 1 + (index % 28) as u32).unwrap();
    AppealData {
        code: format!("A-{index:04}"),
        enterprise: format!("企业“{index}”"),
        region_code: if index.is_multiple_of(3) { "620500" } else { "620402" }.into(),
        dimension: "market".into(),
        content: "诉求\n内容".into(),
        received_on,
        limit_days: 5,
        due_on: received_on + chrono::Duration::days(7),
        answered_on: index.is_multiple_of(2).then(|| received_on + chrono::Duration::days(3)),
        ..Default::default()
    }
}

async fn appeals_are_audited_like_projects(store: Store) {
    let actor = Actor::system("测试");
    let appeals: Vec<AppealData> = (0..150).map(appeal).collect();
    let outcome = store.upsert_appeals(&appeals, &actor).await.unwrap();
    assert_eq!(outcome.created, 150);
    let entries = audit_of(&store, "appeal").await;
    assert_eq!(entries.iter().map(|e| e.entity_id.as_str()).collect::<Vec<_>>(), ["A-0000 … A-0149（150 项）"]);
    assert_eq!(audited::<AppealData>(entries[0].after_json.as_deref().unwrap()), appeals);

    // The same again with one answered, one moved twice within the batch, and 70 new.
    let mut again = appeals.clone();
    again[1].answered_on = Some(again[1].received_on);
    let mut moved = again[4].clone();
    moved.region_code = "620500".into();
    again[4].region_code = "620403".into();
    again.push(moved.clone());
    again.extend((150..220).map(appeal));
    let mut renamed = appeal(219);
    renamed.enterprise = "改名".into();
    again.push(renamed.clone());
    let outcome = store.upsert_appeals(&again, &actor).await.unwrap();
    assert_eq!((outcome.created, outcome.updated, outcome.unchanged), (70, 4, 148));
    let entries = audit_of(&store, "appeal").await;
    let created: Vec<AppealData> =
        entries[1..2].iter().flat_map(|e| audited(e.after_json.as_deref().unwrap())).collect();
    assert_eq!(entries[1].entity_id, "A-0150 … A-0219（70 项）");
    assert_eq!(created, &again[151..221], "the new appeals as their first row wrote them");
    let updates: Vec<(&str, AppealData, AppealData)> = entries[2..]
        .iter()
        .map(|e| {
            assert_eq!(e.action, "update");
            let before = audited(e.before_json.as_deref().unwrap()).remove(0);
            (e.entity_id.as_str(), before, audited(e.after_json.as_deref().unwrap()).remove(0))
        })
        .collect();
    assert_eq!(updates.len(), 4);
    assert_eq!(updates[0], ("A-0001", appeals[1].clone(), again[1].clone()));
    assert_eq!(updates[1], ("A-0004", appeals[4].clone(), again[4].clone()));
    assert_eq!(updates[2], ("A-0004", again[4].clone(), moved.clone()));
    assert_eq!(updates[3], ("A-0219", appeal(219), renamed.clone()));
    for stored in [moved, renamed, again[1].clone()] {
        assert_eq!(store.appeal_by_code(&stored.code).await.unwrap().unwrap().data, stored);
    }
}

async fn a_failed_batch_of_appeals_changes_nothing(store: Store) {
    let actor = Actor::system("测试");
    store.upsert_appeals(&[appeal(0)], &actor).await.unwrap();
    // 200 new appeals, the last in a region that does not exist, and a change.
    let mut batch: Vec<AppealData> = (1..=200).map(appeal).collect();
    batch[199].region_code = "999999".into();
    let mut changed = appeal(0);
    changed.closed_on = changed.answered_on;
    batch.push(changed);
    assert!(store.upsert_appeals(&batch, &actor).await.is_err());
    let all = AppealFilter { today: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), ..Default::default() };
    assert_eq!(store.count_appeals(&all).await.unwrap(), 1);
    assert_eq!(store.appeal_by_code("A-0000").await.unwrap().unwrap().data, appeal(0));
    assert_eq!(audit_of(&store, "appeal").await.len(), 1);
    assert_eq!(store.meta("appeal_sums_paused").await.unwrap(), None);
    batch[199].region_code = "620402".into();
    let outcome = store.upsert_appeals(&batch, &actor).await.unwrap();
    assert_eq!((outcome.created, outcome.updated), (200, 1));
    assert_eq!(store.count_appeals(&all).await.unwrap(), 201);
}

/// The `count`th funding record of a project of `project(0..10)`.
fn funding(index: usize) -> FundingData {
    FundingData {
        project_code: project(index % 10).code,
        funded_on: NaiveDate::from_ymd_opt(2024, 1 + (index % 12) as u32, 1 + (index % 28) as u32).unwrap(),
        amount: 1_000 + index as i64,
        source: ["outside_province", "abroad", "within_province"][index % 3].into(),
    }
}

async fn many_funding_records_are_audited_in_groups_and_duplicates_reported(store: Store) {
    let actor = Actor::system("测试");
    let projects: Vec<ProjectData> = (0..10).map(project).collect();
    store.upsert_projects(&upserts(&projects, "导入"), &actor).await.unwrap();
    let first: Vec<FundingData> = (0..5).map(funding).collect();
    assert_eq!(store.insert_funding(&first, &[], &actor).await.unwrap().inserted, 5);
    let few = audit_of(&store, "funding").await;
    assert_eq!(
        few.iter().map(|e| e.entity_id.as_str()).collect::<Vec<_>>(),
        ["P-00000", "P-00001", "P-00002", "P-00003", "P-00004"]
    );

    // 1,500 records, of which the first five are stored already and one repeats within the batch.
    let mut batch: Vec<FundingData> = (0..1_500).map(funding).collect();
    batch.push(funding(700));
    let outcome = store.insert_funding(&batch, &[], &actor).await.unwrap();
    assert_eq!(outcome.inserted, 1_495);
    assert_eq!(outcome.duplicates, [&first[..], &[funding(700)]].concat());
    let entries = audit_of(&store, "funding").await;
    assert_eq!(entries.len(), 5 + 2, "one entry per 1,000 new records");
    assert_eq!(entries[5].entity_id, "P-00005 … P-00004（1000 项）");
    let audited: Vec<FundingData> =
        entries.iter().flat_map(|e| audited::<FundingData>(e.after_json.as_deref().unwrap())).collect();
    assert_eq!(audited, [&first[..], &batch[5..1_500]].concat(), "every record is in the audit log");
    let stored = store.project_by_code("P-00003").await.unwrap().unwrap();
    let records = store.funding_of_project(stored.id).await.unwrap();
    assert_eq!(records.len(), 150);
    assert_eq!(
        records.iter().map(|f| f.amount).sum::<i64>(),
        (0..1_500).filter(|i| i % 10 == 3).map(|i| 1_000 + i).sum::<i64>()
    );
    assert_eq!(store.meta("stat_sums_paused").await.unwrap(), None);
}

async fn a_failed_batch_of_funding_changes_nothing(store: Store) {
    let actor = Actor::system("测试");
    store.upsert_projects(&upserts(&(0..10).map(project).collect::<Vec<_>>(), "导入"), &actor).await.unwrap();
    let mut batch: Vec<FundingData> = (0..500).map(funding).collect();
    batch[499].project_code = "P-99999".into();
    let error = store.insert_funding(&batch, &[], &actor).await.unwrap_err();
    assert_eq!(error.to_string(), "项目编号“P-99999”不存在");
    let stored = store.project_by_code("P-00001").await.unwrap().unwrap();
    assert!(store.funding_of_project(stored.id).await.unwrap().is_empty());
    assert!(audit_of(&store, "funding").await.is_empty());
    assert_eq!(store.meta("stat_sums_paused").await.unwrap(), None);
}
