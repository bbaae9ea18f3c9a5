//! The storage contract: every test runs on SQLite and on a real PostgreSQL server.

use zhaoshang_testkit::on_both_backends;

use chrono::{Duration, Utc};
use zhaoshang_core::attachments::{OwnerKind, MAX_PER_OWNER};
use zhaoshang_store::attachments::NewAttachment;
use zhaoshang_store::chains::{ChainData, ChainImport, ChainNodeData, Relation};
use zhaoshang_store::enterprises::{EnterpriseData, EnterpriseFilter, EnterpriseSort};
use zhaoshang_store::plans::{PlanData, PlanFilter, VisitData};
use zhaoshang_store::projects::{FundingFilter, ProjectData, ProjectUpsert};
use zhaoshang_store::reference::{Department, Park, ParkSite};
use zhaoshang_store::users::{NewUser, UserChange};
use zhaoshang_store::{Actor, AuditFilter, Backend, Store, StoreError};

on_both_backends!(
    store: users_are_unique_and_audited,
    audit_log_is_append_only,
    sessions_expire_and_end_with_disabled_users,
    regions_form_a_tree,
    parks_and_departments_are_saved_and_audited,
    backup_round_trips_every_table,
    meta_values_upsert,
    enterprises_upsert_by_credit_code_with_audit,
    enterprise_lists_filter_sort_and_paginate,
    chains_hold_a_tree_with_enterprises_projects_and_candidates,
    plans_keep_one_per_enterprise_and_region_with_visits,
    settings_default_are_audited_and_backed_up,
    lists_and_funding_keep_to_a_set_of_chains,
    audited_writes_commit_or_fail_with_their_entries,
    attachments_are_kept_listed_bounded_and_backed_up,
);

fn new_user(name: &str) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: "测试".into(),
        role: "region".into(),
        region_code: Some("620400".into()),
        password_hash: "$argon2id$fake".into(),
        chamber_id: None,
    }
}

async fn users_are_unique_and_audited(store: Store) {
    let actor = Actor::system("测试");
    let user = store.create_user(&new_user("baiyin"), &actor).await.unwrap();
    assert_eq!(store.user_by_name("baiyin").await.unwrap().unwrap().id, user.id);
    match store.create_user(&new_user("baiyin"), &actor).await {
        Err(StoreError::Conflict(message)) => assert!(message.contains("已存在")),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let (entries, _) = store
        .audit_entries(&AuditFilter { entity: Some("user".into()), per_page: 10, page: 1, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "create");
    let after = entries[0].after_json.as_deref().unwrap();
    assert!(after.contains("baiyin") && !after.contains("argon2"), "{after}");
}

async fn audit_log_is_append_only(store: Store) {
    store.create_user(&new_user("a"), &Actor::system("测试")).await.unwrap();
    let changed = store.raw_execute_for_tests("UPDATE audit_log SET actor_name = 'x'").await;
    assert!(changed.is_err(), "the audit log accepted an update");
    assert!(store.raw_execute_for_tests("DELETE FROM audit_log").await.is_err(), "the audit log accepted a delete");
    // PostgreSQL's TRUNCATE passes row triggers by; SQLite has none.
    assert!(store.raw_execute_for_tests("TRUNCATE audit_log").await.is_err(), "the audit log accepted a truncate");
    let filter = zhaoshang_store::AuditFilter { per_page: 50, ..Default::default() };
    assert_eq!(store.audit_entries(&filter).await.unwrap().0.len(), 1, "the entry is still there");
}

async fn sessions_expire_and_end_with_disabled_users(store: Store) {
    let actor = Actor::system("测试");
    let user = store.create_user(&new_user("s"), &actor).await.unwrap();
    store.create_session("hash1", user.id, "csrf1", Utc::now()).await.unwrap();
    store.create_session("hash2", user.id, "csrf2", Utc::now()).await.unwrap();
    let session = store.session("hash1").await.unwrap().unwrap();
    assert_eq!((session.user_id, session.csrf_token.as_str()), (user.id, "csrf1"));
    store.touch_session("hash1", Utc::now() + Duration::minutes(5)).await.unwrap();
    let purged = store.purge_sessions(Utc::now() + Duration::minutes(1), Utc::now() - Duration::days(1)).await.unwrap();
    assert_eq!(purged, 1, "only the idle session is purged");
    assert!(store.session("hash1").await.unwrap().is_some());
    store.update_user(user.id, &UserChange { disabled: Some(true), ..Default::default() }, &actor).await.unwrap();
    assert!(store.session("hash1").await.unwrap().is_none(), "disabling ends sessions");
    assert!(store.user_by_id(user.id).await.unwrap().unwrap().disabled);
}

async fn regions_form_a_tree(store: Store) {
    let top = store.region_children(None).await.unwrap();
    assert_eq!(top.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["310000", "620000"]);
    let cities = store.region_children(Some("620000")).await.unwrap();
    assert_eq!(cities.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["白银市", "天水市"]);
    assert_eq!(store.regions_named("白银区").await.unwrap()[0].parent_code.as_deref(), Some("620400"));
    assert_eq!(store.region("620402").await.unwrap().unwrap().level, 3);
}

async fn parks_and_departments_are_saved_and_audited(store: Store) {
    let actor = Actor::system("测试");
    let park = Park {
        id: 0,
        name: "白银高新区".into(),
        region_code: "620402".into(),
        level: "国家级".into(),
        leading_industries: "有色".into(),
        area_mu: Some(1000),
        description: String::new(),
        site: ParkSite {
            built_area_mu: Some(400),
            lon: Some(104.2),
            lat: Some(36.52),
            infrastructure: r#"{"water":{"readiness":"ready","capacity":"5万吨/日"}}"#.into(),
            land_price_min: Some(96_000),
            land_price_max: Some(150_000),
            policies: "土地出让金分期缴纳".into(),
            contacts: "园区招商局 0943-0000000".into(),
            energy_quota_tce: Some(240_000),
            energy_quota_note: "含可再生能源".into(),
        },
    };
    let saved = store.save_park(&park, None, &actor).await.unwrap();
    assert_eq!(saved.site, park.site, "what investors read is kept");
    let renamed =
        store.save_park(&Park { name: "白银高新技术产业开发区".into(), ..saved.clone() }, None, &actor).await.unwrap();
    assert_eq!(renamed.id, saved.id);
    assert_eq!(store.parks("6204").await.unwrap().len(), 1);
    assert!(store.parks("6205").await.unwrap().is_empty());
    assert!(store.save_park(&park, None, &actor).await.is_ok(), "the old name is free again");
    assert!(matches!(store.save_park(&park, None, &actor).await, Err(StoreError::Conflict(_))));
    let department = store
        .save_department(
            &Department {
                id: 0,
                name: "白银市投资促进局".into(),
                region_code: Some("620400".into()),
                kind: "招商部门".into(),
            },
            &actor,
        )
        .await
        .unwrap();
    assert_eq!(store.departments().await.unwrap()[0].id, department.id);
    let (entries, _) = store
        .audit_entries(&AuditFilter { entity: Some("park".into()), per_page: 10, page: 1, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(entries.len(), 3);
    assert!(entries
        .iter()
        .any(|e| e.action == "update" && e.before_json.as_deref().unwrap_or("").contains("白银高新区")));
}

async fn backup_round_trips_every_table(store: Store) {
    assert!(store.missing_from_backup().await.unwrap().is_empty(), "{:?}", store.missing_from_backup().await);
    let actor = Actor::system("测试");
    store.create_user(&new_user("keep"), &actor).await.unwrap();
    store
        .upsert_enterprises(&[enterprise("91620400MA00000001", "白银有色集团股份有限公司", "620402")], &actor)
        .await
        .unwrap();
    let (backup, rows) = store.backup_to(Vec::new()).await.unwrap();
    let tables = backup_document(&backup)["tables"].as_object().unwrap().len();
    assert_eq!(rows as usize, backup_lines(&backup).len() - 2 - tables, "a line a row, a line a table");
    store.create_user(&new_user("later"), &actor).await.unwrap();
    store.restore_from(&backup[..], &actor).await.unwrap();
    assert!(store.user_by_name("keep").await.unwrap().is_some());
    assert!(store.user_by_name("later").await.unwrap().is_none());
    let tagged = EnterpriseFilter { tag: Some("上市公司".into()), ..Default::default() };
    assert_eq!(store.enterprise_totals(&tagged).await.unwrap().count, 1, "enterprises and their tags come back");
    // New rows get fresh ids after a restore (PostgreSQL sequences are reset).
    let again = store.create_user(&new_user("after"), &actor).await.unwrap();
    assert!(again.id > store.user_by_name("keep").await.unwrap().unwrap().id);
    let broken = serde_json::json!({"format": "zhaoshang-backup", "version": 1, "tables": {"meta": []}});
    assert!(store.restore_from(broken.to_string().as_bytes(), &actor).await.is_err());
    // A backup cut short anywhere is refused as a whole.
    let lines = backup_lines(&backup);
    for kept in [lines.len() - 1, lines.len() / 2] {
        let cut = lines[..kept].join("\n");
        let refused = store.restore_from(cut.as_bytes(), &actor).await.unwrap_err();
        assert!(refused.to_string().contains("备份文件无效"), "{refused}");
    }
    assert!(store.user_by_name("after").await.unwrap().is_some(), "a bad backup changes nothing");
}

/// A backup's lines, uncompressed.
fn backup_lines(backup: &[u8]) -> Vec<String> {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(backup).read_to_string(&mut text).unwrap();
    text.lines().map(str::to_string).collect()
}

/// A backup's content as a version 1 document (one object of tables of row objects),
/// the form backups had before they streamed.
fn backup_document(backup: &[u8]) -> serde_json::Value {
    let mut tables = serde_json::Map::new();
    let mut columns: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in backup_lines(backup) {
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        if let Some(name) = value.get("table").and_then(|t| t.as_str()) {
            current = name.to_string();
            columns = serde_json::from_value(value["columns"].clone()).unwrap();
            tables.insert(current.clone(), serde_json::json!([]));
        } else if let Some(row) = value.as_array() {
            let record: serde_json::Map<_, _> = columns.iter().cloned().zip(row.iter().cloned()).collect();
            tables[&current].as_array_mut().unwrap().push(record.into());
        }
    }
    serde_json::json!({"format": "zhaoshang-backup", "version": 1, "tables": tables})
}

async fn meta_values_upsert(store: Store) {
    assert_eq!(store.meta("k").await.unwrap(), None);
    store.set_meta("k", "1").await.unwrap();
    store.set_meta("k", "2").await.unwrap();
    assert_eq!(store.meta("k").await.unwrap().as_deref(), Some("2"));
}

#[tokio::test]
async fn unknown_database_schemes_are_refused() {
    let error = Store::connect("mysql://localhost/x").await.unwrap_err();
    assert!(matches!(error, StoreError::UnknownScheme(_)));
    assert!(error.to_string().contains("sqlite://"));
}

/// An enterprise with the given code prefix completed by its check character.
fn enterprise(first17: &str, name: &str, region: &str) -> EnterpriseData {
    EnterpriseData {
        credit_code: zhaoshang_core::credit_code::with_check_char(&first17[..17]).unwrap(),
        name: name.into(),
        region_code: region.into(),
        industry: "32".into(),
        tags: "上市公司".into(),
        stock_code: "601212".into(),
        revenue: Some(1_000_000),
        employees: Some(100),
        registered_capital: None,
        description: String::new(),
        is_target: false,
    }
}

async fn enterprises_upsert_by_credit_code_with_audit(store: Store) {
    let actor = Actor::system("测试");
    let baiyin = enterprise("91620400MA0000001", "白银有色集团股份有限公司", "620402");
    let rare_earth = EnterpriseData {
        tags: "专精特新、高新技术企业".into(),
        stock_code: String::new(),
        ..enterprise("91620400MA0000002", "甘肃稀土新材料股份有限公司", "620400")
    };
    let outcome = store.upsert_enterprises(&[baiyin.clone(), rare_earth.clone()], &actor).await.unwrap();
    assert_eq!((outcome.created, outcome.updated, outcome.unchanged), (2, 0, 0));

    let stored = store.enterprise_by_code(&baiyin.credit_code).await.unwrap().unwrap();
    assert_eq!(stored.data, baiyin);
    assert_eq!(store.enterprise(stored.id).await.unwrap().unwrap().data.name, "白银有色集团股份有限公司");
    assert!(store.enterprise_by_code("91620400MA00000000").await.unwrap().is_none());
    let found = store.enterprises_by_codes(&[rare_earth.credit_code.clone(), "X".into()]).await.unwrap();
    assert_eq!(found.iter().map(|e| e.data.name.as_str()).collect::<Vec<_>>(), ["甘肃稀土新材料股份有限公司"]);

    // Changing the tags moves the enterprise between tag filters; an identical row changes nothing.
    let relisted = EnterpriseData { tags: "专精特新".into(), revenue: Some(2_000_000), ..baiyin.clone() };
    let outcome = store.upsert_enterprises(&[relisted.clone(), rare_earth.clone()], &actor).await.unwrap();
    assert_eq!((outcome.created, outcome.updated, outcome.unchanged), (0, 1, 1));
    let count_tagged = |tag: &str| EnterpriseFilter { tag: Some(tag.into()), ..Default::default() };
    assert_eq!(store.enterprise_totals(&count_tagged("上市公司")).await.unwrap().count, 0);
    assert_eq!(store.enterprise_totals(&count_tagged("专精特新")).await.unwrap().count, 2);
    assert_eq!(store.enterprise_by_code(&baiyin.credit_code).await.unwrap().unwrap().id, stored.id);

    let (entries, _) = store
        .audit_entries(&AuditFilter { entity: Some("enterprise".into()), per_page: 10, page: 1, ..Default::default() })
        .await
        .unwrap();
    let actions: Vec<_> = entries.iter().map(|e| (e.action.as_str(), e.entity_id.as_str())).collect();
    assert_eq!(
        actions,
        [
            ("update", baiyin.credit_code.as_str()),
            ("create", rare_earth.credit_code.as_str()),
            ("create", baiyin.credit_code.as_str())
        ]
    );
    assert!(entries[0].before_json.as_deref().unwrap().contains("上市公司"));
    assert!(entries[0].after_json.as_deref().unwrap().contains("2000000"));

    // A region that does not exist breaks the whole batch.
    let nowhere = enterprise("91999999MA0000003", "不存在地区的企业", "999999");
    let newcomer = enterprise("91620400MA0000004", "新企业", "620400");
    assert!(store.upsert_enterprises(&[newcomer.clone(), nowhere], &actor).await.is_err());
    assert!(store.enterprise_by_code(&newcomer.credit_code).await.unwrap().is_none(), "all or nothing");
}

async fn enterprise_lists_filter_sort_and_paginate(store: Store) {
    let actor = Actor::system("测试");
    let rows = vec![
        EnterpriseData {
            revenue: Some(500), ..enterprise("91620400MA0000011", "白银有色集团股份有限公司", "620402")
        },
        EnterpriseData {
            industry: "39".into(),
            tags: "专精特新、小巨人".into(),
            stock_code: String::new(),
            revenue: Some(900),
            employees: Some(5000),
            ..enterprise("91620500MA0000012", "天水华天科技股份有限公司", "620500")
        },
        EnterpriseData {
            tags: "世界500强".into(),
            stock_code: String::new(),
            revenue: None,
            employees: None,
            is_target: true,
            ..enterprise("91310115MA0000013", "上海某某100%_有色集团", "310115")
        },
    ];
    store.upsert_enterprises(&rows, &actor).await.unwrap();
    let names =
        |list: Vec<zhaoshang_store::enterprises::Enterprise>| list.into_iter().map(|e| e.data.name).collect::<Vec<_>>();
    let list = |filter: EnterpriseFilter, sort: EnterpriseSort| {
        let store = store.clone();
        async move { names(store.list_enterprises(&filter, sort, 10, 0).await.unwrap()) }
    };
    // Revenue first, unknown revenue last.
    assert_eq!(
        list(EnterpriseFilter::default(), EnterpriseSort::RevenueDesc).await,
        ["天水华天科技股份有限公司", "白银有色集团股份有限公司", "上海某某100%_有色集团"]
    );
    let gansu = EnterpriseFilter { region_prefix: "62".into(), ..Default::default() };
    assert_eq!(list(gansu.clone(), EnterpriseSort::Name).await.len(), 2);
    assert_eq!(
        store.enterprise_totals(&gansu).await.unwrap(),
        zhaoshang_store::enterprises::EnterpriseTotals { count: 2, revenue: 1400 }
    );
    let baiyin = EnterpriseFilter { region_prefix: "6204".into(), ..Default::default() };
    assert_eq!(list(baiyin, EnterpriseSort::Name).await, ["白银有色集团股份有限公司"]);
    let industry = EnterpriseFilter { industry: Some("39".into()), ..Default::default() };
    assert_eq!(list(industry, EnterpriseSort::Name).await, ["天水华天科技股份有限公司"]);
    let tagged = EnterpriseFilter { tag: Some("小巨人".into()), ..Default::default() };
    assert_eq!(list(tagged, EnterpriseSort::Name).await, ["天水华天科技股份有限公司"]);
    let targets = EnterpriseFilter { is_target: Some(true), ..Default::default() };
    assert_eq!(list(targets, EnterpriseSort::Name).await, ["上海某某100%_有色集团"]);
    let locals = EnterpriseFilter { is_target: Some(false), ..Default::default() };
    assert_eq!(list(locals, EnterpriseSort::Name).await.len(), 2);
    // Keywords match name or credit code; LIKE wildcards in them are literal.
    let keyword = |k: &str| EnterpriseFilter { keyword: Some(k.into()), ..Default::default() };
    assert_eq!(list(keyword("有色"), EnterpriseSort::Name).await.len(), 2);
    assert_eq!(list(keyword("100%_"), EnterpriseSort::Name).await, ["上海某某100%_有色集团"]);
    assert_eq!(list(keyword("MA0000012"), EnterpriseSort::Name).await, ["天水华天科技股份有限公司"]);
    assert!(list(keyword("%"), EnterpriseSort::Name).await.len() == 1);
    // Pages follow the sort; unknown figures come last.
    let second =
        store.list_enterprises(&EnterpriseFilter::default(), EnterpriseSort::EmployeesDesc, 1, 1).await.unwrap();
    assert_eq!(names(second), ["白银有色集团股份有限公司"]);
    for sort in EnterpriseSort::ALL {
        assert_eq!(EnterpriseSort::parse(sort.key()), sort);
        assert_eq!(list(EnterpriseFilter::default(), sort).await.len(), 3);
    }
    // Walking the table by id sees every row once.
    let first = store.enterprises_after(0, 2).await.unwrap();
    let rest = store.enterprises_after(first[1].id, 2).await.unwrap();
    assert_eq!(first.len() + rest.len(), 3);
}

fn node(name: &str, parent: &str, kind: &str, segment: Option<&str>) -> ChainNodeData {
    ChainNodeData {
        name: name.into(),
        parent: parent.into(),
        kind: kind.into(),
        segment: segment.map(Into::into),
        industry: "32".into(),
        products: String::new(),
    }
}

fn nonferrous_chain() -> ChainImport {
    ChainImport {
        chain: ChainData {
            name: "有色金属产业链".into(),
            region_code: "620400".into(),
            lead_department: "白银市工业和信息化局".into(),
            chief: "市委副书记".into(),
            description: String::new(),
        },
        nodes: vec![
            node("铜产业", "", "sub_chain", None),
            node("铜冶炼", "铜产业", "link", Some("upstream")),
            node("铜箔", "铜产业", "link", Some("downstream")),
        ],
        leaders: vec![],
    }
}

async fn chains_hold_a_tree_with_enterprises_projects_and_candidates(store: Store) {
    let actor = Actor::system("测试");
    let local = enterprise("91620400MA0000001", "白银有色集团股份有限公司", "620402");
    let buyer = EnterpriseData { name: "白银某采购商".into(), ..enterprise("91620400MA0000002", "", "620402") };
    let target =
        EnterpriseData { tags: "世界500强".into(), ..enterprise("91310115MA0000003", "上海铜业", "310115") };
    store.upsert_enterprises(&[local.clone(), buyer.clone(), target.clone()], &actor).await.unwrap();
    let mut import = nonferrous_chain();
    import.leaders = vec![local.credit_code.clone()];
    let chain_id = store.import_chains(&[import.clone()], &actor).await.unwrap()[0];
    // Importing again with one more node keeps the ids and the order of the known nodes.
    import.nodes.push(node("铜合金", "铜产业", "link", Some("midstream")));
    assert_eq!(store.import_chains(&[import], &actor).await.unwrap(), [chain_id]);
    let nodes = store.chain_nodes(chain_id).await.unwrap();
    assert_eq!(nodes.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(), ["铜产业", "铜冶炼", "铜箔", "铜合金"]);
    assert_eq!(nodes[1].parent_id, Some(nodes[0].id));
    assert_eq!(store.chain_leaders(chain_id).await.unwrap()[0].name, "白银有色集团股份有限公司");
    let summary = &store.chain_summaries().await.unwrap()[0];
    assert_eq!((summary.sub_chains, summary.links, summary.region_name.as_str()), (1, 3, "白银市"));

    let unknown_parent =
        ChainImport { nodes: vec![node("铅锌", "不存在", "link", Some("upstream"))], ..nonferrous_chain() };
    assert!(matches!(store.import_chains(&[unknown_parent], &actor).await, Err(StoreError::Invalid(_))));
    assert_eq!(store.chain_nodes(chain_id).await.unwrap().len(), 4, "a bad import changes nothing");

    let smelting = nodes[1].id;
    let ids = |e: &EnterpriseData| e.credit_code.clone();
    let stored = store.enterprises_by_codes(&[ids(&local), ids(&buyer), ids(&target)]).await.unwrap();
    let id_of = |code: &str| stored.iter().find(|e| e.data.credit_code == code).unwrap().id;
    store
        .attach_enterprises(
            &[
                (smelting, id_of(&local.credit_code), "producer".into()),
                (smelting, id_of(&buyer.credit_code), "buyer".into()),
            ],
            &actor,
        )
        .await
        .unwrap();
    let project = ProjectData {
        code: "BY-1".into(),
        name: "铜冶炼技改".into(),
        region_code: "620402".into(),
        chain: "有色金属产业链".into(),
        chain_node: "铜冶炼".into(),
        stage: "producing".into(),
        total_investment: 1_000_000,
        signed_on: chrono::NaiveDate::from_ymd_opt(2023, 1, 5),
        started_on: chrono::NaiveDate::from_ymd_opt(2023, 2, 5),
        producing_on: chrono::NaiveDate::from_ymd_opt(2023, 9, 5),
        investor_credit_code: target.credit_code.clone(),
        ..Default::default()
    };
    store.upsert_projects(&[ProjectUpsert { data: project.clone(), note: String::new() }], &actor).await.unwrap();
    // An investor in a live project is a connected candidate; dropping the project ends that.
    let connected = store.connected_candidates("32", &[], "62").await.unwrap();
    assert_eq!(connected.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["上海铜业"]);
    let dropped = ProjectData { stage: "dropped".into(), dropped_reason: "撤资".into(), ..project.clone() };
    store.upsert_projects(&[ProjectUpsert { data: dropped, note: String::new() }], &actor).await.unwrap();
    assert!(store.connected_candidates("32", &[], "62").await.unwrap().is_empty());
    store.upsert_projects(&[ProjectUpsert { data: project, note: String::new() }], &actor).await.unwrap();

    let presence = store.link_presence(chain_id, "6204", &["producer", "supplier"]).await.unwrap();
    assert_eq!(presence.len(), 1);
    assert_eq!(
        (presence[0].node_id, presence[0].local_enterprises, presence[0].local_revenue, presence[0].producing_projects),
        (smelting, 1, 1_000_000, 1),
        "the buyer does not cover the link"
    );
    assert!(store.link_presence(chain_id, "6205", &["producer"]).await.unwrap().is_empty());
    assert_eq!(store.chain_enterprises(chain_id, "").await.unwrap().len(), 2);
    assert!(store.chain_enterprises(chain_id, "31").await.unwrap().is_empty());
    assert_eq!(store.node_projects("有色金属产业链", "铜冶炼", "62").await.unwrap()[0].code, "BY-1");
    assert_eq!(store.enterprise_nodes(id_of(&local.credit_code)).await.unwrap()[0].3, "铜冶炼");

    // Candidates come from outside the scope, best base score first, one keyset page after another.
    let candidates = store.target_candidates("32", &[], "62", (i64::MAX, 0), 10).await.unwrap();
    assert_eq!(candidates.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["上海铜业"]);
    assert!(candidates[0].base_score > local.base_score(), "世界500强 outranks a plain listed company");
    assert_eq!(candidates[0].base_score, target.base_score());
    let after = (candidates[0].base_score, candidates[0].id);
    assert!(store.target_candidates("32", &[], "62", after, 10).await.unwrap().is_empty());
    assert_eq!(
        store.target_candidates("32", &[], "", (i64::MAX, 0), 10).await.unwrap().len(),
        0,
        "nothing is outside everything"
    );
    assert_eq!(
        store.investing_within(&[target.credit_code.clone(), local.credit_code.clone()], "62").await.unwrap(),
        [target.credit_code.as_str()]
    );

    let relation =
        Relation { enterprise_id: candidates[0].id, kind: "商会".into(), holder: "上海甘肃商会".into() };
    store.add_relations(&[relation.clone(), relation.clone()], &actor).await.unwrap();
    assert_eq!(store.relations_of(&[candidates[0].id]).await.unwrap(), [relation]);

    let user = store.create_user(&new_user("chain-dept"), &actor).await.unwrap();
    store.set_user_chains(user.id, &[chain_id], &actor).await.unwrap();
    assert_eq!(store.user_chain_ids(user.id).await.unwrap(), [chain_id]);
    store.detach_enterprise(smelting, id_of(&buyer.credit_code), &actor).await.unwrap();
    assert!(matches!(
        store.detach_enterprise(smelting, id_of(&buyer.credit_code), &actor).await,
        Err(StoreError::NotFound(_))
    ));
    let (entries, _) = store
        .audit_entries(&AuditFilter { entity: Some("chain".into()), per_page: 10, page: 1, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(entries.len(), 2, "both chain imports are audited, the refused one is not");
}

async fn plans_keep_one_per_enterprise_and_region_with_visits(store: Store) {
    let actor = Actor::system("测试");
    let owner = store.create_user(&new_user("owner"), &actor).await.unwrap();
    let target = enterprise("91310115MA0000003", "上海铜业", "310115");
    store.upsert_enterprises(std::slice::from_ref(&target), &actor).await.unwrap();
    let chain_id = store.import_chains(&[nonferrous_chain()], &actor).await.unwrap()[0];
    let link = store.chain_nodes(chain_id).await.unwrap()[2].clone();
    let enterprise_id = store.enterprise_by_code(&target.credit_code).await.unwrap().unwrap().id;
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let data = PlanData {
        enterprise_id,
        node_id: Some(link.id),
        region_code: "620400".into(),
        owner_id: owner.id,
        approach: "商会引荐".into(),
        next_step: "登门拜访".into(),
        due_on: Some(day(10)),
        status: "active".into(),
    };
    let id = store.create_plan(&data, &actor).await.unwrap();
    assert!(matches!(store.create_plan(&data, &actor).await, Err(StoreError::Conflict(_))));
    let plan = store.plan(id).await.unwrap().unwrap();
    assert_eq!(
        (
            plan.enterprise_name.as_str(),
            plan.node_name.as_deref(),
            plan.chain_name.as_deref(),
            plan.region_name.as_str()
        ),
        ("上海铜业", Some("铜箔"), Some("有色金属产业链"), "白银市")
    );
    let overdue = |today| PlanFilter {
        owner_id: Some(owner.id),
        status: Some("active".into()),
        due_before: Some(today),
        ..Default::default()
    };
    assert_eq!(store.plans(&overdue(day(11)), 10).await.unwrap().len(), 1);
    assert!(store.plans(&overdue(day(10)), 10).await.unwrap().is_empty(), "due today is not yet overdue");
    assert!(store
        .plans(&PlanFilter { region_prefix: "6205".into(), ..Default::default() }, 10)
        .await
        .unwrap()
        .is_empty());
    // A chain department sees plans on its chains outside its region; pages and counts agree.
    let other_region = PlanFilter { region_prefix: "6205".into(), or_chain_ids: vec![chain_id], ..Default::default() };
    assert_eq!(store.plan_count(&other_region).await.unwrap(), 1);
    assert_eq!(store.plans_page(&other_region, 10, 0).await.unwrap().len(), 1);
    assert!(store.plans_page(&other_region, 10, 1).await.unwrap().is_empty());
    let none = PlanFilter { region_prefix: "~".into(), ..Default::default() };
    assert_eq!(store.plan_count(&none).await.unwrap(), 0);

    store
        .update_plan(id, &PlanData { next_step: "签约洽谈".into(), due_on: Some(day(30)), ..data.clone() }, &actor)
        .await
        .unwrap();
    assert!(store.plans(&overdue(day(11)), 10).await.unwrap().is_empty());
    let visit =
        VisitData {
            visited_on: day(12), visitor: "招商局".into(), summary: "对方有意在西北布局铜箔产能".into()
        };
    store.add_visit(id, &visit, &actor).await.unwrap();
    store.add_visit(id, &VisitData { visited_on: day(2), ..visit.clone() }, &actor).await.unwrap();
    let visits = store.plan_visits(id).await.unwrap();
    assert_eq!(visits.iter().map(|v| v.data.visited_on).collect::<Vec<_>>(), [day(12), day(2)]);
    let (entries, _) = store
        .audit_entries(&AuditFilter { entity: Some("plan".into()), per_page: 10, page: 1, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
}

async fn settings_default_are_audited_and_backed_up(store: Store) {
    let actor = Actor::system("测试");
    assert!(!store.in_province_relocation_allowed().await.unwrap(), "off until the province allows it");
    store.set_in_province_relocation(true, &actor).await.unwrap();
    assert!(store.in_province_relocation_allowed().await.unwrap());
    let audit = AuditFilter { entity: Some("setting".into()), page: 1, per_page: 50, ..Default::default() };
    let (entries, _) = store.audit_entries(&audit).await.unwrap();
    assert_eq!(entries.len(), 1, "the change is audited");
    assert_eq!(entries[0].entity_id, "in_province_relocation");
    let (backup, _) = store.backup_to(Vec::new()).await.unwrap();
    assert_eq!(backup_document(&backup)["tables"]["settings"][0]["key"], "in_province_relocation");
    store.set_in_province_relocation(false, &actor).await.unwrap();
    store.restore_from(&backup[..], &actor).await.unwrap();
    assert!(store.in_province_relocation_allowed().await.unwrap(), "restored from the backup");
    // A backup written before the settings table (a version 1 document) restores it
    // empty: the defaults.
    let mut older = backup_document(&backup);
    older["tables"].as_object_mut().unwrap().remove("settings");
    store.restore_from(older.to_string().as_bytes(), &actor).await.unwrap();
    assert!(!store.in_province_relocation_allowed().await.unwrap());
}

async fn lists_and_funding_keep_to_a_set_of_chains(store: Store) {
    use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
    use zhaoshang_store::projects::FundingData;
    let actor = Actor::system("测试");
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2023, m, d).unwrap();
    let project = |code: &str, region: &str, chain: &str| ProjectUpsert {
        data: ProjectData {
            code: code.into(),
            name: format!("{chain}项目"),
            region_code: region.into(),
            chain: chain.into(),
            stage: "signed".into(),
            total_investment: 1_000_000,
            signed_on: Some(day(3, 1)),
            ..Default::default()
        },
        note: String::new(),
    };
    store
        .upsert_projects(
            &[
                project("C-1", "620402", "稀土产业链"),
                project("C-2", "620500", "稀土产业链"),
                project("C-3", "620402", "钢铁产业链"),
                project("C-4", "620402", ""),
            ],
            &actor,
        )
        .await
        .unwrap();
    let funding = |code: &str| FundingData {
        project_code: code.into(),
        funded_on: day(6, 1),
        amount: 100_000,
        source: "outside_province".into(),
    };
    store.insert_funding(&[funding("C-1"), funding("C-2"), funding("C-3"), funding("C-4")], &[], &actor).await.unwrap();

    let codes = |filter: ProjectFilter| {
        let store = store.clone();
        async move {
            let rows = store.list_projects(&filter, ProjectSort::Code, 50, 0).await.unwrap();
            let totals = store.project_totals(&filter).await.unwrap();
            assert_eq!(totals.count, rows.len() as i64, "the count agrees with the list");
            rows.into_iter().map(|p| p.data.code).collect::<Vec<_>>()
        }
    };
    let rare_earth = Some(vec!["稀土产业链".to_string()]);
    assert_eq!(codes(ProjectFilter { chains_in: rare_earth.clone(), ..Default::default() }).await, ["C-1", "C-2"]);
    let in_baiyin = ProjectFilter { region_prefix: "6204".into(), chains_in: rare_earth.clone(), ..Default::default() };
    assert_eq!(codes(in_baiyin).await, ["C-1"]);
    assert!(codes(ProjectFilter { chains_in: Some(Vec::new()), ..Default::default() }).await.is_empty());
    assert_eq!(codes(ProjectFilter::default()).await.len(), 4);

    let (from, to) = (day(1, 1), day(12, 31));
    let chains = rare_earth.as_deref();
    let funding = |prefix: &str, chains: Option<&[String]>| FundingFilter {
        prefix: prefix.into(),
        chains: chains.map(<[String]>::to_vec),
        from,
        to,
        source: None,
        source_org: None,
    };
    let records = store.funding_in(&funding("", chains), 50, 0).await.unwrap();
    let mut funded: Vec<String> = records.into_iter().map(|f| f.project_code).collect();
    funded.sort();
    assert_eq!(funded, ["C-1", "C-2"]);
    assert_eq!(store.funding_totals(&funding("", chains)).await.unwrap().0, 2);
    assert_eq!(store.funding_totals(&funding("6204", chains)).await.unwrap().0, 1);
    assert_eq!(store.funding_totals(&funding("", Some(&[]))).await.unwrap().0, 0);
    assert_eq!(store.funding_totals(&funding("", None)).await.unwrap().0, 4);
    let all: Vec<String> = store.all_funding("", chains).await.unwrap().into_iter().map(|f| f.project_code).collect();
    assert_eq!(all, ["C-1", "C-2"]);
    let monthly =
        store.monthly_funds_of("", Some("稀土产业链"), zhaoshang_core::metrics::Period { from, to }).await.unwrap();
    assert_eq!(monthly.iter().map(|m| m.amount).sum::<i64>(), 200_000);
}

/// A write and its audit entries commit together: a write that fails leaves no entry,
/// and entries the log refuses undo their write (also a batch of projects written on a
/// connection of its own, its entries grouped).
async fn audited_writes_commit_or_fail_with_their_entries(store: Store) {
    let actor = Actor::system("测试");
    let count = |entity: &str| {
        let filter = AuditFilter { entity: Some(entity.into()), page: 1, per_page: 500, ..Default::default() };
        let store = store.clone();
        async move { store.audit_entries(&filter).await.unwrap().0.len() }
    };
    store.create_user(&new_user("张三"), &actor).await.unwrap();
    assert!(matches!(store.create_user(&new_user("张三"), &actor).await, Err(StoreError::Conflict(_))));
    assert_eq!(count("user").await, 1, "the refused creation left no entry");

    let refuse: &[&str] = match store.backend() {
        Backend::Sqlite => &["CREATE TRIGGER refuse_entries BEFORE INSERT ON audit_log \
              WHEN NEW.entity IN ('setting', 'project') BEGIN SELECT RAISE(ABORT, 'refused'); END"],
        Backend::Postgres => &[
            "CREATE FUNCTION refuse_entries() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF NEW.entity IN ('setting', 'project') THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$",
            "CREATE TRIGGER refuse_entries BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_entries()",
        ],
    };
    for statement in refuse {
        store.raw_execute_for_tests(statement).await.unwrap();
    }
    assert!(store.set_in_province_relocation(true, &actor).await.is_err());
    assert_eq!(store.setting("in_province_relocation").await.unwrap(), None, "the setting is not written");
    let projects: Vec<ProjectUpsert> = (0..100)
        .map(|i| ProjectUpsert {
            data: ProjectData {
                code: format!("P{i:03}"),
                name: "项目".into(),
                region_code: "620402".into(),
                stage: "signed".into(),
                total_investment: 1_000_000,
                signed_on: Some(chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap()),
                ..Default::default()
            },
            note: String::new(),
        })
        .collect();
    assert!(store.upsert_projects(&projects, &actor).await.is_err());
    assert!(store.project_by_code("P000").await.unwrap().is_none(), "no project is written");
    assert!(store.project_by_code("P099").await.unwrap().is_none());
    assert_eq!(count("project").await, 0);
    assert!(store.upsert_projects(&projects[..1], &actor).await.is_err(), "one project, audited on its own");
    assert_eq!(count("user").await, 1, "entries of other writes stay");
}

fn attachment(name: &str, content: &[u8]) -> NewAttachment {
    NewAttachment {
        file_name: name.into(),
        content_type: "application/pdf".into(),
        sha256: format!("{:064x}", content.len()),
        content: content.to_vec(),
    }
}

async fn attachments_are_kept_listed_bounded_and_backed_up(store: Store) {
    let actor = Actor::system("测试");
    // Every byte value, so that nothing on the way (the driver, the backup's JSON) may
    // take the content for text.
    let bytes: Vec<u8> = (0..=255u8).chain([0, 0xFF, 0xFE]).collect();
    let added =
        store.add_attachments(OwnerKind::Appeal, "A-1", &[attachment("说明.pdf", &bytes)], &actor).await.unwrap();
    assert_eq!((added.len(), added[0].size_bytes, added[0].uploaded_by.as_str()), (1, 259, "测试"));
    store.add_attachments(OwnerKind::Achievement, "A-1", &[attachment("别的.pdf", b"%PDF")], &actor).await.unwrap();
    let listed = store.attachments_of(OwnerKind::Appeal, "A-1").await.unwrap();
    assert_eq!(listed, added, "an owner is its kind and key together");
    let kept = store.attachment(added[0].id).await.unwrap().unwrap();
    assert_eq!((kept.info, kept.content.as_slice()), (added[0].clone(), bytes.as_slice()));

    // Past the bound nothing of the request is stored.
    let many: Vec<_> = (0..MAX_PER_OWNER).map(|n| attachment(&format!("{n}.pdf"), b"%PDF")).collect();
    let refused = store.add_attachments(OwnerKind::Appeal, "A-1", &many, &actor).await.unwrap_err();
    assert!(matches!(refused, StoreError::Invalid(ref m) if m.contains("最多")), "{refused}");
    assert_eq!(store.attachments_of(OwnerKind::Appeal, "A-1").await.unwrap().len(), 1);

    // A backup keeps the bytes; a restore brings them back.
    let (backup, _) = store.backup_to(Vec::new()).await.unwrap();
    assert!(store.delete_attachment(added[0].id, &actor).await.unwrap());
    assert!(!store.delete_attachment(added[0].id, &actor).await.unwrap(), "already gone");
    assert!(store.attachment(added[0].id).await.unwrap().is_none());
    // Audited, without the content.
    let filter = AuditFilter { entity: Some("attachment".into()), per_page: 10, ..Default::default() };
    let (entries, _) = store.audit_entries(&filter).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "delete" && e.entity_id == added[0].id.to_string()));
    assert!(entries.iter().all(|e| !e.after_json.as_deref().unwrap_or("").contains("\"content\"")));
    store.restore_from(&backup[..], &actor).await.unwrap();
    let restored = store.attachment(added[0].id).await.unwrap().expect("restored");
    assert_eq!(restored.content, bytes);
    assert_eq!(restored.info.file_name, "说明.pdf");
}
