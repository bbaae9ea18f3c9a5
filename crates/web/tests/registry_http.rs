//! The S&T pool's registry over HTTP (issue 21, point 1): the achievement form (the
//! import's rules, errors on the form, nothing saved), the institutions (单位库) with
//! their credit codes, which the conflict rule of reviews then uses, and the expert pool
//! (专家库) with its form, its linked reviewer accounts and its import and export. The
//! pool's managers write, its readers read the lists, nobody else opens them.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use zhaoshang_app::exchange::{export_table, import_bytes, read_sheet, ImportKind};
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_store::achievements::{AchievementData, ExpertData};
use zhaoshang_store::audit::AuditFilter;
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::Actor;
use zhaoshang_testkit::Backend;

on_both_backends!(
    achievements_are_created_and_edited_by_form,
    institutions_keep_their_codes_and_names_apart,
    experts_link_accounts_and_round_trip,
    only_the_pools_managers_write_the_registry
);

const USERS: [(&str, &str, Option<&str>); 5] = [
    ("admin1", "admin", None),
    ("province", "region", Some("620000")),
    ("leader1", "leader", None),
    ("reviewer1", "reviewer", None),
    ("baiyin1", "region", Some("620400")),
];

async fn registry_app(backend: Backend) -> (TestApp, String, String) {
    let app = TestApp::with_users(backend, &USERS).await;
    let admin = app.sign_in("admin1").await;
    let csrf = app.csrf(&admin).await;
    (app, admin, csrf)
}

/// A form body with the session's token, the values URL-encoded.
fn form(csrf: &str, fields: &[(&str, &str)]) -> String {
    let mut all = vec![("csrf", csrf)];
    all.extend_from_slice(fields);
    serde_urlencoded::to_string(all).unwrap()
}

fn location(response: &axum::response::Response<axum::body::Body>) -> String {
    response.headers().get(header::LOCATION).map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
}

/// How many audit entries of `entity` name `record`.
async fn audited(app: &TestApp, entity: &str, record: &str) -> usize {
    let filter = AuditFilter {
        entity: Some(entity.into()),
        record: Some(record.into()),
        page: 1,
        per_page: 100,
        ..Default::default()
    };
    app.store().audit_entries(&filter).await.unwrap().0.len()
}

async fn achievements_are_created_and_edited_by_form(backend: Backend) {
    let (app, admin, csrf) = registry_app(backend).await;
    let store = app.store();
    let list = body_text(app.get("/achievements", Some(&admin)).await).await;
    assert!(list.contains(r#"href="/achievements/new""#) && list.contains("新增成果"));
    let blank = app.get("/achievements/new", Some(&admin)).await;
    assert_eq!(blank.status(), StatusCode::OK);
    assert!(body_text(blank).await.contains("新增科技成果"));

    let code = with_check_char("12620000438000001").unwrap();
    let fields = [
        ("code", "KJ-2023-001"),
        ("title", "稀土永磁材料制备技术"),
        ("institution", "兰州大学"),
        ("institution_credit_code", code.as_str()),
        ("industry", "32"),
        ("year", "2023"),
        ("maturity", "pilot"),
        ("ip", "发明专利3项"),
        ("contact", "王老师 0931-8912345"),
        ("description", "晶界扩散工艺"),
    ];
    let created = app.post_form("/achievements/new", &admin, &form(&csrf, &fields)).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&created), "/achievements/KJ-2023-001?saved=1");
    let expected = AchievementData {
        code: "KJ-2023-001".into(),
        title: "稀土永磁材料制备技术".into(),
        institution: "兰州大学".into(),
        industry: "32".into(),
        year: 2023,
        maturity: "pilot".into(),
        ip: "发明专利3项".into(),
        description: "晶界扩散工艺".into(),
        contact: "王老师 0931-8912345".into(),
        institution_credit_code: code.clone(),
    };
    assert_eq!(store.achievement("KJ-2023-001").await.unwrap(), Some(expected.clone()));
    assert_eq!(audited(&app, "achievement", "KJ-2023-001").await, 1);
    let detail = body_text(app.get("/achievements/KJ-2023-001", Some(&admin)).await).await;
    assert!(detail.contains("稀土永磁材料制备技术") && detail.contains("中试阶段"));
    assert!(detail.contains(r#"href="/achievements/KJ-2023-001/edit""#), "编辑 for a manager");

    // A bad form: every problem on the form in Chinese (422), nothing saved.
    let before = store.change_stamp().await.unwrap();
    let bad = [
        ("code", "KJ-2023-002"),
        ("title", ""),
        ("institution", "兰州理工大学"),
        ("institution_credit_code", "12345"),
        ("industry", "999"),
        ("year", "1800"),
        ("maturity", "成熟"),
    ];
    let refused = app.post_form("/achievements/new", &admin, &form(&csrf, &bad)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = body_text(refused).await;
    for message in ["成果名称不能为空", "统一社会信用代码“12345”", "成熟度“成熟”无效", r#"data-error-for="year""#]
    {
        assert!(page.contains(message), "{message} in the form");
    }
    assert!(page.contains(r#"data-error-for="industry""#));
    assert!(page.contains(r#"value="兰州理工大学""#), "the values typed are kept");
    assert_eq!(store.achievement("KJ-2023-002").await.unwrap(), None);
    assert_eq!(store.change_stamp().await.unwrap(), before, "nothing saved");
    // A code already registered is not overwritten by a new achievement.
    let again = app.post_form("/achievements/new", &admin, &form(&csrf, &fields)).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(again).await.contains("成果编号“KJ-2023-001”已存在"));

    // Editing: the code stays, the rest is replaced, by the province's staff too.
    let province = app.sign_in("province").await;
    let province_csrf = app.csrf(&province).await;
    let edit = body_text(app.get("/achievements/KJ-2023-001/edit", Some(&province)).await).await;
    assert!(edit.contains(r#"value="稀土永磁材料制备技术""#) && !edit.contains(r#"name="code""#));
    let changed = [
        ("code", "KJ-OTHER"),
        ("title", "稀土永磁材料低成本制备技术"),
        ("institution", "兰州大学"),
        ("year", "2023"),
        ("maturity", "产业化阶段"),
    ];
    let saved = app.post_form("/achievements/KJ-2023-001/edit", &province, &form(&province_csrf, &changed)).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let stored = store.achievement("KJ-2023-001").await.unwrap().unwrap();
    let edited = AchievementData {
        title: "稀土永磁材料低成本制备技术".into(),
        maturity: "industrial".into(),
        industry: String::new(),
        ip: String::new(),
        description: String::new(),
        contact: String::new(),
        ..expected
    };
    assert_eq!(stored, edited, "the institution keeps its code; emptied fields are emptied");
    assert_eq!(store.achievement("KJ-OTHER").await.unwrap(), None, "the code is not changed by the form");
    assert_eq!(audited(&app, "achievement", "KJ-2023-001").await, 2);
    let bad_year = [("title", "x"), ("institution", "兰州大学"), ("year", "明年")];
    let refused = app.post_form("/achievements/KJ-2023-001/edit", &admin, &form(&csrf, &bad_year)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(refused).await.contains("明年"));
    assert_eq!(store.achievement("KJ-2023-001").await.unwrap().unwrap(), edited);
    assert_eq!(app.get("/achievements/NONE/edit", Some(&admin)).await.status(), StatusCode::NOT_FOUND);
}

async fn institutions_keep_their_codes_and_names_apart(backend: Backend) {
    let (app, admin, csrf) = registry_app(backend).await;
    let store = app.store();
    let actor = Actor::system("测试");
    let csv = "成果编号,成果名称,完成单位,登记年度\nKJ-1,成果一,兰州大学,2023\nKJ-2,成果二,兰州大学,2023\n";
    assert!(import_bytes(store, ImportKind::Achievements, "a.csv", csv.as_bytes(), false, &actor)
        .await
        .unwrap()
        .is_ok());

    let list = body_text(app.get("/institutions?q=兰州", Some(&admin)).await).await;
    assert!(list.contains("<td>兰州大学</td>") && list.contains(r#"<td class="num">2</td>"#), "two achievements");
    let lzu = store.institutions_page(&Some("兰州大学".into()), 1, 0).await.unwrap().remove(0);
    assert_eq!((lzu.credit_code.as_str(), lzu.achievements, lzu.experts), ("", 2, 0));

    // The institution's code set by its form.
    let code = with_check_char("12620000438000001").unwrap();
    let edit = format!("/institutions/{}/edit", lzu.id);
    let saved = app.post_form(&edit, &admin, &form(&csrf, &[("name", "兰州大学"), ("credit_code", &code)])).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(store.institution(lzu.id).await.unwrap().unwrap().credit_code, code);
    assert_eq!(audited(&app, "institution", "兰州大学").await, 2, "created by the import, coded by the form");

    // The conflict rule finds the institution by that code under another name.
    let reviews = format!(
        "成果编号,评审专家,专家单位,专家单位信用代码,市场潜力,经济价值,技术含量\nKJ-1,张三,兰大化学化工学院,{code},80,80,80\n"
    );
    let report = import_bytes(store, ImportKind::Reviews, "r.csv", reviews.as_bytes(), false, &actor).await.unwrap();
    assert!(!report.is_ok());
    assert!(report.problems.iter().any(|p| p.message.contains("利益冲突")), "{:?}", report.problems);
    assert!(store.all_reviews().await.unwrap().is_empty());

    // A new institution: the code another holds, a bad code, a name that is another's
    // once normalised, and an empty name are refused with the reason; nothing written.
    let before = store.change_stamp().await.unwrap();
    for (name, credit_code, reason) in [
        ("甘肃省科学院", code.as_str(), "已属于单位“兰州大学”"),
        ("甘肃省科学院", "91620000X", "统一社会信用代码“91620000X”"),
        ("兰州大学有限公司", "", "与已有单位“兰州大学”为同一单位"),
        ("", "", "单位名称不能为空"),
    ] {
        let refused =
            app.post_form("/institutions", &admin, &form(&csrf, &[("name", name), ("credit_code", credit_code)])).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name} {credit_code}");
        assert!(body_text(refused).await.contains(reason), "{reason}");
    }
    assert_eq!(store.change_stamp().await.unwrap(), before);

    let added = app.post_form("/institutions", &admin, &form(&csrf, &[("name", "甘肃省科学院")])).await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let gsas = store.institutions_page(&Some("甘肃省科学院".into()), 1, 0).await.unwrap().remove(0);
    // Renamed: the normalised name follows, so the old name is free and the new one taken.
    let edit_gsas = format!("/institutions/{}/edit", gsas.id);
    let renamed = app.post_form(&edit_gsas, &admin, &form(&csrf, &[("name", "甘肃省科学院传感技术研究所")])).await;
    assert_eq!(renamed.status(), StatusCode::SEE_OTHER);
    let twin =
        app.post_form("/institutions", &admin, &form(&csrf, &[("name", "甘肃省科学院传感技术研究所有限公司")])).await;
    assert_eq!(twin.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let old_name = app.post_form("/institutions", &admin, &form(&csrf, &[("name", "甘肃省科学院")])).await;
    assert_eq!(old_name.status(), StatusCode::SEE_OTHER);
    // Renaming into another's name is refused too.
    let refused = app.post_form(&edit_gsas, &admin, &form(&csrf, &[("name", "兰 州 大 学")])).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(store.institution(gsas.id).await.unwrap().unwrap().name, "甘肃省科学院传感技术研究所");
    let names: Vec<String> = store.institutions().await.unwrap().into_iter().map(|(name, _)| name).collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

async fn experts_link_accounts_and_round_trip(backend: Backend) {
    let (app, admin, csrf) = registry_app(backend).await;
    let store = app.store();
    let reviewer = store.user_by_name("reviewer1").await.unwrap().unwrap();

    let new = body_text(app.get("/experts/new", Some(&admin)).await).await;
    assert!(new.contains(r#"<option value="reviewer1""#) && !new.contains(r#"<option value="leader1""#));
    let fields = [("name", "王立新"), ("institution", "西安交通大学"), ("fields", "新材料、稀土永磁"), ("account", "")];
    let created = app.post_form("/experts/new", &admin, &form(&csrf, &fields)).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let id = store.expert_id("王立新").await.unwrap().unwrap();
    assert_eq!(store.expert_of_user(reviewer.id, "reviewer1").await.unwrap(), None);

    // The edit links the reviewer's account and moves the expert to another institution.
    let edit = format!("/experts/{id}/edit");
    let link = [("institution", "兰州大学"), ("fields", "新材料"), ("account", "reviewer1")];
    assert_eq!(app.post_form(&edit, &admin, &form(&csrf, &link)).await.status(), StatusCode::SEE_OTHER);
    let expected = ExpertData {
        name: "王立新".into(),
        institution: "兰州大学".into(),
        institution_credit_code: String::new(),
        fields: "新材料".into(),
        account: "reviewer1".into(),
    };
    assert_eq!(store.expert_data(id).await.unwrap(), Some(expected.clone()));
    assert_eq!(store.expert_of_user(reviewer.id, "reviewer1").await.unwrap(), Some(id));
    assert_eq!(audited(&app, "expert", "王立新").await, 2);

    // An account that is no reviewer's, or another expert's, and a name taken: refused.
    let before = store.change_stamp().await.unwrap();
    let not_reviewer = app.post_form(&edit, &admin, &form(&csrf, &[("account", "leader1")])).await;
    assert_eq!(not_reviewer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(not_reviewer).await.contains("账号“leader1”不存在或不是评审专家账号"));
    let second = [("name", "李四"), ("account", "reviewer1")];
    let taken = app.post_form("/experts/new", &admin, &form(&csrf, &second)).await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(taken).await.contains("已关联专家“王立新”"));
    let twice = app.post_form("/experts/new", &admin, &form(&csrf, &[("name", "王立新")])).await;
    assert!(body_text(twice).await.contains("专家“王立新”已在专家库中"));
    assert_eq!(store.change_stamp().await.unwrap(), before);

    let list = body_text(app.get("/experts?q=稀土", Some(&admin)).await).await;
    assert!(list.contains("没有符合条件的专家"), "fields changed to 新材料 only");
    let list = body_text(app.get("/experts?q=兰州", Some(&admin)).await).await;
    assert!(list.contains("<td>王立新</td>") && list.contains("<td>reviewer1</td>"));

    // Import (through the web's import page) and export, then the export imported again
    // changes nothing.
    let code = with_check_char("12620000438000001").unwrap();
    let csv = format!(
        "专家姓名,所在单位,单位信用代码,专业领域,账号\n张三,兰州理工大学,{code},机械、自动化,\n李四,中国科学院近代物理研究所,,核技术,\n"
    );
    let response = app.send(upload_request(&admin, &csrf, "experts", "e.csv", csv.as_bytes())).await;
    assert_eq!(response.status(), StatusCode::OK);
    let report = body_json(response).await;
    assert_eq!(report["report"]["created"], 2, "{report}");
    let zhang = store.expert_data(store.expert_id("张三").await.unwrap().unwrap()).await.unwrap().unwrap();
    assert_eq!((zhang.institution.as_str(), zhang.institution_credit_code.as_str()), ("兰州理工大学", code.as_str()));
    assert_eq!(zhang.fields, "机械、自动化");

    let download = app.get("/experts?format=xlsx", Some(&admin)).await;
    assert_eq!(download.status(), StatusCode::OK);
    let bytes = body_bytes(download).await;
    let sheet = read_sheet("experts.xlsx", &bytes).unwrap();
    assert_eq!(sheet.headers, ["专家姓名", "所在单位", "单位信用代码", "专业领域", "账号"]);
    // The sheet as read leaves out a row's empty cells at its end.
    let rows: Vec<Vec<String>> = sheet
        .rows
        .iter()
        .map(|r| r.cells.iter().cloned().chain(std::iter::repeat(String::new())).take(5).collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["张三", "兰州理工大学", code.as_str(), "机械、自动化", ""],
            vec!["李四", "中国科学院近代物理研究所", "", "核技术", ""],
            vec!["王立新", "兰州大学", "", "新材料", "reviewer1"],
        ]
        .map(|row| row.into_iter().map(String::from).collect::<Vec<_>>()),
        "by name"
    );
    let same = export_table(store, ImportKind::Experts, &ProjectFilter::default()).await.unwrap();
    assert_eq!(same.rows, rows, "the command line's export is the page's");
    let before = store.change_stamp().await.unwrap();
    let actor = Actor::system("测试");
    let again = import_bytes(store, ImportKind::Experts, "experts.xlsx", &bytes, false, &actor).await.unwrap();
    assert!(again.is_ok(), "{:?}", again.problems);
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));
    assert_eq!(store.change_stamp().await.unwrap(), before);
}

async fn only_the_pools_managers_write_the_registry(backend: Backend) {
    let (app, admin, csrf) = registry_app(backend).await;
    let store = app.store();
    let actor = Actor::system("测试");
    let csv = "成果编号,成果名称,完成单位,登记年度\nKJ-1,成果一,兰州大学,2023\n";
    assert!(import_bytes(store, ImportKind::Achievements, "a.csv", csv.as_bytes(), false, &actor)
        .await
        .unwrap()
        .is_ok());
    let created = app.post_form("/experts/new", &admin, &form(&csrf, &[("name", "王立新")])).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let expert = store.expert_id("王立新").await.unwrap().unwrap();
    let institution = store.institutions_page(&None, 1, 0).await.unwrap().remove(0).id;
    let reads = ["/institutions".to_string(), "/experts".to_string()];
    let manager_pages = [
        "/achievements/new".to_string(),
        "/achievements/KJ-1/edit".to_string(),
        format!("/institutions/{institution}/edit"),
        "/experts/new".to_string(),
        format!("/experts/{expert}/edit"),
        "/experts?format=xlsx".to_string(),
    ];
    let writes = [
        (
            "/achievements/new".to_string(),
            vec![("code", "KJ-9"), ("title", "x"), ("institution", "y"), ("year", "2023")],
        ),
        ("/achievements/KJ-1/edit".to_string(), vec![("title", "改"), ("institution", "兰州大学"), ("year", "2023")]),
        ("/institutions".to_string(), vec![("name", "新单位")]),
        (format!("/institutions/{institution}/edit"), vec![("name", "改名")]),
        ("/experts/new".to_string(), vec![("name", "新专家")]),
        (format!("/experts/{expert}/edit"), vec![("fields", "改")]),
    ];
    for (user, reads_lists) in [("leader1", true), ("reviewer1", false), ("baiyin1", false)] {
        let cookie = app.sign_in(user).await;
        let token = app.csrf(&cookie).await;
        for path in &reads {
            let status = app.get(path, Some(&cookie)).await.status();
            let expected = if reads_lists { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(status, expected, "GET {path} as {user}");
        }
        for path in &manager_pages {
            assert_eq!(app.get(path, Some(&cookie)).await.status(), StatusCode::FORBIDDEN, "GET {path} as {user}");
        }
        let before = store.change_stamp().await.unwrap();
        for (path, fields) in &writes {
            let status = app.post_form(path, &cookie, &form(&token, fields)).await.status();
            assert_eq!(status, StatusCode::FORBIDDEN, "POST {path} as {user}");
        }
        assert_eq!(store.change_stamp().await.unwrap(), before, "{user} changed nothing");
        let list = body_text(app.get("/achievements", Some(&cookie)).await).await;
        assert!(!list.contains("新增成果"), "no 新增成果 for {user}");
    }
    // Without the form's token the manager's own writes are refused too.
    let before = store.change_stamp().await.unwrap();
    for (path, fields) in &writes {
        let status = app.post_form(path, &admin, &form("", fields)).await.status();
        assert_eq!(status, StatusCode::FORBIDDEN, "POST {path} without CSRF");
    }
    assert_eq!(store.change_stamp().await.unwrap(), before);
}
