//! Plausible figures and the project form (issue 15, points 2 and 10): facts dated after
//! today are refused by forms and imports alike, naming the row and column; funds in place
//! above the total investment are confirmed in a form, flagged by an import, listed for the
//! province and confirmed there (audited); the grouped form proposes the next free code and
//! the project page says 已保存 after a save.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use zhaoshang_app::calendar::today;
use zhaoshang_testkit::Backend;

on_both_backends!(facts_dated_after_today_are_refused_by_forms_and_imports);
on_both_backends!(funds_above_the_total_are_confirmed_flagged_listed_and_confirmed_by_the_province);
on_both_backends!(the_grouped_form_proposes_the_next_code_and_the_page_says_saved);

const USERS: [(&str, &str, Option<&str>); 3] =
    [("admin1", "admin", None), ("baiyin1", "region", Some("620400")), ("tianshui1", "region", Some("620500"))];

fn location(response: &axum::http::Response<axum::body::Body>) -> String {
    response.headers().get(header::LOCATION).unwrap().to_str().unwrap().to_string()
}

/// A signed project's form fields (no CSRF token).
fn signed_project(code: &str, region: &str, total_wan: &str, signed_on: &str) -> String {
    format!("code={code}&name=项目{code}&region={region}&stage=signed&signed_on={signed_on}&total_investment_wan={total_wan}")
}

async fn project_id(app: &TestApp, code: &str) -> i64 {
    app.store().project_by_code(code).await.unwrap().unwrap().id
}

async fn excess_flag(app: &TestApp, code: &str) -> String {
    app.store().project_by_code(code).await.unwrap().unwrap().data.excess_funds
}

async fn import(app: &TestApp, cookie: &str, kind: &str, csv: &str) -> serde_json::Value {
    let csrf = app.csrf(cookie).await;
    body_json(app.send(upload_request(cookie, &csrf, kind, "表.csv", csv.as_bytes())).await).await
}

async fn facts_dated_after_today_are_refused_by_forms_and_imports(backend: Backend) {
    let app = TestApp::with_users(backend, &USERS).await;
    let baiyin = app.sign_in("baiyin1").await;
    let csrf = app.csrf(&baiyin).await;
    let today = today();
    let tomorrow = today.succ_opt().unwrap();

    // The form: a signing tomorrow is refused beside its field, nothing is stored.
    let form = format!("csrf={csrf}&{}", signed_project("BY-F-1", "620400", "1000", &tomorrow.to_string()));
    let refused = app.post_form("/projects", &baiyin, &form).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = body_text(refused).await;
    let message = format!("签约日期{tomorrow}晚于今天（{today}），已发生的事项不能填写将来的日期");
    assert!(page.contains(&format!(r#"data-error-for="signed_on">{message}"#)), "{page}");
    assert!(app.store().project_by_code("BY-F-1").await.unwrap().is_none());
    let saved = app.post_form("/projects", &baiyin, &form.replace(&tomorrow.to_string(), &today.to_string())).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER, "today is a fact already");

    // A projects file: the row and the column are named, nothing is written.
    let csv =
        "项目编号,项目名称,所属地区,总投资(万元),签约日期,开工日期\nBY-F-2,甲项目,620400,500,2024-01-05,2024-02-01\n\
               BY-F-3,乙项目,620400,500,2024-01-05,2030-01-01\n";
    let answer = import(&app, &baiyin, "projects", csv).await;
    let problems = answer["report"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{answer}");
    assert_eq!(problems[0]["row"], 3);
    assert_eq!(problems[0]["column"], "开工日期");
    assert_eq!(
        problems[0]["message"],
        format!("开工日期2030-01-01晚于今天（{today}），已发生的事项不能填写将来的日期")
    );
    assert!(app.store().project_by_code("BY-F-2").await.unwrap().is_none(), "a bad row stops the whole file");
    let producing = "项目编号,项目名称,所属地区,总投资(万元),签约日期,开工日期,投产日期\nBY-F-4,丙项目,620400,500,2024-01-05,2024-02-01,2099-12-31\n";
    let answer = import(&app, &baiyin, "projects", producing).await;
    assert_eq!(answer["report"]["problems"][0]["column"], "投产日期", "{answer}");

    // Funding: a file's 到位日期 and the project page's form.
    let funding = "项目编号,到位日期,到位金额(万元)\nBY-F-1,2024-06-01,10\nBY-F-1,2030-01-01,10\n";
    let answer = import(&app, &baiyin, "funding", funding).await;
    let problems = answer["report"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{answer}");
    assert_eq!((problems[0]["row"].as_i64(), problems[0]["column"].as_str()), (Some(3), Some("到位日期")));
    assert!(problems[0]["message"].as_str().unwrap().starts_with("到位日期2030-01-01晚于今天"));
    let id = project_id(&app, "BY-F-1").await;
    let form = format!("csrf={csrf}&date={tomorrow}&amount_wan=10&funding_source=outside_province");
    let refused = app.post_form(&format!("/projects/{id}/funding"), &baiyin, &form).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(refused).await.contains(&format!("到位日期{tomorrow}晚于今天（{today}）")));
    assert!(app.store().funding_of_project(id).await.unwrap().is_empty());
}

async fn funds_above_the_total_are_confirmed_flagged_listed_and_confirmed_by_the_province(backend: Backend) {
    let app = TestApp::with_users(backend, &USERS).await;
    let baiyin = app.sign_in("baiyin1").await;
    let csrf = app.csrf(&baiyin).await;
    let created = app
        .post_form(
            "/projects",
            &baiyin,
            &format!("csrf={csrf}&{}", signed_project("BY-X-1", "620400", "120000", "2024-03-01")),
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let id = project_id(&app, "BY-X-1").await;

    // The funding form asks for confirmation, with its box and the values kept.
    let funding = format!("csrf={csrf}&date=2024-06-01&amount_wan=500000&funding_source=outside_province");
    let asked = app.post_form(&format!("/projects/{id}/funding"), &baiyin, &funding).await;
    assert_eq!(asked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = body_text(asked).await;
    assert!(page.contains("累计到位资金 500,000.00 万元超过总投资 120,000.00 万元"), "{page}");
    assert!(page.contains(r#"name="confirm_excess_funds""#) && page.contains("确认到位资金超过总投资"));
    assert!(page.contains(r#"value="500000""#), "the amount is kept for another try");
    assert!(app.store().funding_of_project(id).await.unwrap().is_empty());
    assert_eq!(excess_flag(&app, "BY-X-1").await, "");
    let confirmed =
        app.post_form(&format!("/projects/{id}/funding"), &baiyin, &format!("{funding}&confirm_excess_funds=1")).await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.store().funding_of_project(id).await.unwrap().len(), 1);
    assert_eq!(excess_flag(&app, "BY-X-1").await, "confirmed");

    // The project form: lowering the total below the funds asks again.
    let form = format!("csrf={csrf}&id={id}&{}", signed_project("BY-X-1", "620400", "100000", "2024-03-01"));
    let asked = app.post_form("/projects", &baiyin, &form).await;
    assert_eq!(asked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = body_text(asked).await;
    assert!(
        page.contains(
            r#"data-error-for="total_investment_wan">累计到位资金 500,000.00 万元超过总投资 100,000.00 万元"#
        ),
        "{page}"
    );
    assert!(page.contains(r#"name="confirm_excess_funds""#));
    assert_eq!(app.store().project(id).await.unwrap().unwrap().data.total_investment, 1_200_000_000);
    let saved = app.post_form("/projects", &baiyin, &format!("{form}&confirm_excess_funds=1")).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let stored = app.store().project(id).await.unwrap().unwrap().data;
    assert_eq!((stored.total_investment, stored.excess_funds.as_str()), (1_000_000_000, "confirmed"));
    // Raising the total above the funds clears the flag.
    let raised = format!("csrf={csrf}&id={id}&{}", signed_project("BY-X-1", "620400", "600000", "2024-03-01"));
    assert_eq!(app.post_form("/projects", &baiyin, &raised).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(excess_flag(&app, "BY-X-1").await, "");
    assert_eq!(
        app.post_form("/projects", &baiyin, &format!("{form}&confirm_excess_funds=1")).await.status(),
        StatusCode::SEE_OTHER
    );

    // Imports accept such rows, flag them unconfirmed and warn in the report.
    let tianshui = app.sign_in("tianshui1").await;
    let projects = "项目编号,项目名称,所属地区,总投资(万元),签约日期\nTS-X-1,天水超额项目,620500,1000,2024-03-01\n";
    assert_eq!(import(&app, &tianshui, "projects", projects).await["report"]["applied"], true);
    let funding = "项目编号,到位日期,到位金额(万元)\nTS-X-1,2024-05-01,600\nTS-X-1,2024-06-01,4400\n";
    let answer = import(&app, &tianshui, "funding", funding).await;
    let report = &answer["report"];
    assert_eq!((report["applied"].as_bool(), report["created"].as_i64()), (Some(true), Some(2)), "{answer}");
    assert!(report["problems"].as_array().unwrap().is_empty());
    let warning = "第3行 到位金额(万元)：累计到位资金 5,000.00 万元超过总投资 1,000.00 万元，已导入并标记为待确认，请省级或本地区核实后确认";
    assert!(report["warnings"].as_array().unwrap().iter().any(|w| w == warning), "{answer}");
    assert_eq!(excess_flag(&app, "TS-X-1").await, "unconfirmed");
    // A projects file lowering a total below its funds is flagged the same way.
    let lowered = "项目编号,项目名称,所属地区,总投资(万元),签约日期\nBY-X-2,白银项目,620400,800,2024-03-01\n";
    assert_eq!(import(&app, &baiyin, "projects", lowered).await["report"]["applied"], true);
    let by2 = project_id(&app, "BY-X-2").await;
    let form = format!("csrf={csrf}&date=2024-06-01&amount_wan=700&funding_source=outside_province");
    assert_eq!(
        app.post_form(&format!("/projects/{by2}/funding"), &baiyin, &form).await.status(),
        StatusCode::SEE_OTHER
    );
    let answer = import(&app, &baiyin, "projects", &lowered.replace(",800,", ",500,")).await;
    assert_eq!(answer["report"]["applied"], true, "{answer}");
    assert!(
        answer["report"]["warnings"]
            .to_string()
            .contains("第2行 总投资(万元)：累计到位资金 700.00 万元超过总投资 500.00 万元"),
        "{answer}"
    );
    assert_eq!(excess_flag(&app, "BY-X-2").await, "unconfirmed");

    // The province's list: the admin sees all, a region its own.
    let admin = app.sign_in("admin1").await;
    let listed = body_text(app.get("/projects?flag=excess_funds", Some(&admin)).await).await;
    assert!(listed.contains("BY-X-1") && listed.contains("BY-X-2") && listed.contains("TS-X-1"), "{listed}");
    assert!(listed.contains(r#"<strong id="total-count">3</strong>"#), "{listed}");
    let own = body_text(app.get("/projects?flag=excess_funds", Some(&baiyin)).await).await;
    assert!(own.contains("BY-X-1") && own.contains("BY-X-2") && !own.contains("TS-X-1"));
    let theirs = body_text(app.get("/projects?flag=excess_funds", Some(&tianshui)).await).await;
    assert!(theirs.contains("TS-X-1") && theirs.contains("超总投资·待确认") && !theirs.contains("BY-X-"));
    assert_eq!(app.get("/projects?flag=other", Some(&admin)).await.status(), StatusCode::BAD_REQUEST);

    // The project page shows the flag; its region (or the admin) confirms it, audited.
    let ts = project_id(&app, "TS-X-1").await;
    let page = body_text(app.get(&format!("/projects/{ts}"), Some(&tianshui)).await).await;
    assert!(page.contains("到位资金超过总投资（待确认）") && page.contains(r#"id="confirm-excess-funds""#), "{page}");
    let confirm = format!("/projects/{ts}/excess_funds");
    assert_eq!(app.post_form(&confirm, &baiyin, &format!("csrf={csrf}")).await.status(), StatusCode::FORBIDDEN);
    let ts_csrf = app.csrf(&tianshui).await;
    assert_eq!(app.post_form(&confirm, &tianshui, "csrf=0").await.status(), StatusCode::FORBIDDEN, "CSRF checked");
    assert_eq!(excess_flag(&app, "TS-X-1").await, "unconfirmed");
    let done = app.post_form(&confirm, &tianshui, &format!("csrf={ts_csrf}")).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), format!("/projects/{ts}"));
    assert_eq!(excess_flag(&app, "TS-X-1").await, "confirmed");
    let page = body_text(app.get(&format!("/projects/{ts}"), Some(&tianshui)).await).await;
    assert!(page.contains("到位资金超过总投资（已确认）") && !page.contains(r#"id="confirm-excess-funds""#));
    let theirs = body_text(app.get("/projects?flag=excess_funds", Some(&tianshui)).await).await;
    assert!(theirs.contains("超总投资·已确认") && !theirs.contains("超总投资·待确认"));
    let filter = zhaoshang_store::AuditFilter {
        entity: Some("project".into()),
        record: Some("TS-X-1".into()),
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    let entries = app.store().audit_entries(&filter).await.unwrap().0;
    let confirmation = entries.iter().find(|e| e.after_json.as_deref() == Some(r#"{"excess_funds":"confirmed"}"#));
    let confirmation = confirmation.unwrap_or_else(|| panic!("{entries:?}"));
    assert_eq!(confirmation.before_json.as_deref(), Some(r#"{"excess_funds":"unconfirmed"}"#));
    assert_eq!(confirmation.action, "update");
    assert_eq!(confirmation.actor_id, app.store().user_by_name("tianshui1").await.unwrap().map(|u| u.id));
}

async fn the_grouped_form_proposes_the_next_code_and_the_page_says_saved(backend: Backend) {
    let app = TestApp::with_users(backend, &USERS).await;
    let baiyin = app.sign_in("baiyin1").await;
    let csrf = app.csrf(&baiyin).await;
    let form = body_text(app.get("/projects/new", Some(&baiyin)).await).await;
    let year = chrono::Datelike::year(&today());
    assert!(form.contains(&format!(r#"name="code" id="field-code" value="620400-{year}-0001""#)), "{form}");
    for heading in ["基本信息", "投资方", "进度", "来源与责任"] {
        assert!(form.contains(&format!("<legend>{heading}</legend>")), "{heading}");
    }
    assert!(form.contains(r#"<span class="field-label">项目名称<span class="required-mark" title="必填" aria-label="必填">*</span></span>"#));
    assert!(
        !form.contains("已有编号的行") && !form.contains("列说明") && !form.contains("(万元)"),
        "worded for a form"
    );

    let created = app
        .post_form(
            "/projects",
            &baiyin,
            &format!("csrf={csrf}&{}", signed_project("BY-2024-0009", "620400", "100", "2024-03-01")),
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let id = project_id(&app, "BY-2024-0009").await;
    assert_eq!(location(&created), format!("/projects/{id}?saved=1"));
    let page = body_text(app.get(&location(&created), Some(&baiyin)).await).await;
    assert!(page.contains(r#"id="saved-notice">已保存</div>"#), "{page}");
    let plain = body_text(app.get(&format!("/projects/{id}"), Some(&baiyin)).await).await;
    assert!(!plain.contains("已保存"));
    let hostile =
        body_text(app.get(&format!("/projects/{id}?saved=%3Cscript%3Ealert(1)%3C/script%3E"), Some(&baiyin)).await)
            .await;
    assert!(hostile.contains("已保存") && !hostile.contains("<script>alert(1)"), "the parameter is never echoed");

    let form = body_text(app.get("/projects/new", Some(&baiyin)).await).await;
    assert!(form.contains(r#"value="BY-2024-0010""#), "the region's series continues");
    let admin = app.sign_in("admin1").await;
    let for_baiyin = body_text(app.get("/projects/new?region=620400", Some(&admin)).await).await;
    assert!(for_baiyin.contains(r#"value="BY-2024-0010""#));
    let for_tianshui = body_text(app.get("/projects/new?region=620500", Some(&admin)).await).await;
    assert!(for_tianshui.contains(&format!(r#"value="620500-{year}-0001""#)));
    assert_eq!(app.get("/projects/new?region=620500", Some(&baiyin)).await.status(), StatusCode::FORBIDDEN);

    // A refused save keeps the groups and marks the field beside its label.
    let refused =
        app.post_form("/projects", &baiyin, &format!("csrf={csrf}&code=BY-2024-0010&name=&region=620400")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = body_text(refused).await;
    assert!(page.contains(r#"data-error-for="name">项目名称不能为空"#) && page.contains("<legend>进度</legend>"));
}
