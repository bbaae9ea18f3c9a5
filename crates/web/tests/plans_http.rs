//! Work plans (工作方案) and 助力小组 over HTTP: a region user keeps its city's plans and
//! tasks, a member of the owning group reports progress and sees its late tasks in the
//! inbox, the statuses and the progress rate follow, the tasks export in an office's
//! shape; a group's page gathers its enterprises, visits, reports and tasks. Bad input,
//! a forged form and another region's staff change nothing.

mod common;

use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};
use common::*;
use zhaoshang_store::work_plans::OpenPlanTaskFilter;
use zhaoshang_store::AuditFilter;
use zhaoshang_testkit::Backend;
use zhaoshang_web::auth::urlencode;

on_both_backends!(plans_and_groups_are_kept_progressed_and_scoped);

fn form(csrf: &str, fields: &[(&str, &str)]) -> String {
    let mut body = format!("csrf={csrf}");
    for (key, value) in fields {
        body.push_str(&format!("&{key}={}", urlencode(value)));
    }
    body
}

fn location(response: &axum::http::Response<axum::body::Body>) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn plans_and_groups_are_kept_progressed_and_scoped(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let today = zhaoshang_app::calendar::today();
    let year = chrono::Datelike::year(&today);
    let baiyin = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let member = app.sign_in_demo("member").await;
    let member_csrf = app.csrf(&member).await;
    let tianshui = app.sign_in_demo("tianshui").await;
    let tianshui_csrf = app.csrf(&tianshui).await;

    // The list shows the city's own plans with their rates, not another city's.
    let list = body_text(app.get("/work-plans", Some(&baiyin)).await).await;
    assert!(list.contains("助力白银市经济社会高质量发展") && list.contains("完成率"), "{list}");
    assert!(!list.contains("助力天水市"), "another city's plans stay hidden");
    let schemes = store.work_plans("6204").await.unwrap();
    let scheme = schemes.iter().find(|p| p.data.kind == "scheme").unwrap();

    // Bad plans: the field's message, nothing written.
    let before = store.change_stamp().await.unwrap();
    let scheme_id = scheme.id.to_string();
    for (fields, message) in [
        (vec![("region", "620400"), ("kind", "yearly"), ("title", ""), ("start_year", "2024")], "请填写标题"),
        (
            vec![
                ("region", "620400"),
                ("kind", "scheme"),
                ("title", "方案"),
                ("start_year", "2025"),
                ("end_year", "2023"),
            ],
            "不能早于",
        ),
        (
            vec![
                ("region", "620400"),
                ("kind", "yearly"),
                ("title", "计划"),
                ("start_year", "2019"),
                ("scheme", &scheme_id),
            ],
            "之内",
        ),
    ] {
        let response = app.post_form("/work-plans", &baiyin, &form(&csrf, &fields)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(body_text(response).await.contains(message), "{message}");
    }
    let other_city = form(
        &csrf,
        &[("region", "620500"), ("kind", "scheme"), ("title", "越权"), ("start_year", "2024"), ("end_year", "2025")],
    );
    assert_eq!(app.post_form("/work-plans", &baiyin, &other_city).await.status(), StatusCode::FORBIDDEN);
    let good = [
        ("region", "620402"),
        ("kind", "yearly"),
        ("title", "白银区<b>年度</b>计划"),
        ("start_year", &year.to_string()),
        ("scheme", ""),
    ];
    let forged = app.post_form("/work-plans", &baiyin, &form(&"0".repeat(64), &good)).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "refusals change nothing");

    let created = app.post_form("/work-plans", &baiyin, &form(&csrf, &good)).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let plan_url = location(&created);
    let plan_id: i64 = plan_url.rsplit('/').next().unwrap().parse().unwrap();
    let page = body_text(app.get(&plan_url, Some(&baiyin)).await).await;
    assert!(page.contains("白银区&lt;b&gt;年度") && !page.contains("<b>年度"), "escaped");

    // Tasks: an owner and a deadline within the plan's year are required.
    let groups = store.groups("6204").await.unwrap();
    assert_eq!(groups.len(), 7, "白银's 7 助力小组");
    let first_group = groups[0].id.to_string();
    let before = store.change_stamp().await.unwrap();
    let tasks_url = format!("{plan_url}/tasks");
    let deadline = format!("{year}-12-31");
    for (fields, message) in [
        (vec![("text", "对接企业"), ("deadline", deadline.as_str())], "至少填写"),
        (vec![("text", "对接企业"), ("department", "白银市商务局"), ("deadline", "2019-06-30")], "不在本计划"),
        (vec![("text", "对接企业"), ("group", "999999"), ("deadline", deadline.as_str())], "助力小组"),
    ] {
        let response = app.post_form(&tasks_url, &baiyin, &form(&csrf, &fields)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(body_text(response).await.contains(message), "{message}");
    }
    let member_adds = app
        .post_form(
            &tasks_url,
            &member,
            &form(&member_csrf, &[("text", "x"), ("department", "y"), ("deadline", &deadline)]),
        )
        .await;
    assert_eq!(member_adds.status(), StatusCode::FORBIDDEN, "members do not keep plans");
    assert_eq!(store.change_stamp().await.unwrap(), before);
    let task = [
        ("text", "对接铜箔企业扩产项目"),
        ("group", first_group.as_str()),
        ("people", "张志国"),
        ("deadline", deadline.as_str()),
    ];
    assert_eq!(app.post_form(&tasks_url, &baiyin, &form(&csrf, &task)).await.status(), StatusCode::SEE_OTHER);
    let task_id = store.plan_tasks(plan_id).await.unwrap()[0].id;
    let page = body_text(app.get(&plan_url, Some(&baiyin)).await).await;
    assert!(page.contains("对接铜箔企业扩产项目") && page.contains("data-status=\"not_started\""), "{page}");

    // The group's member reports progress; another region's staff may not.
    let task_url = format!("{plan_url}/tasks/{task_id}");
    let progress_url = format!("{task_url}/progress");
    let before = store.change_stamp().await.unwrap();
    let tomorrow = (today + chrono::Days::new(1)).to_string();
    let late_date = app
        .post_form(&progress_url, &member, &form(&member_csrf, &[("reported_on", &tomorrow), ("progress", "x")]))
        .await;
    assert_eq!(late_date.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(late_date).await.contains("不能晚于今天"));
    let outsider = app
        .post_form(
            &progress_url,
            &tianshui,
            &form(&tianshui_csrf, &[("reported_on", &today.to_string()), ("progress", "x")]),
        )
        .await;
    assert_eq!(outsider.status(), StatusCode::NOT_FOUND);
    assert_eq!(store.change_stamp().await.unwrap(), before);
    let report = [("reported_on", today.to_string()), ("progress", "已与企业座谈，形成对接清单".to_string())];
    let pairs: Vec<(&str, &str)> = report.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.post_form(&progress_url, &member, &form(&member_csrf, &pairs)).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = body_text(app.get(&task_url, Some(&member)).await).await;
    assert!(page.contains("已与企业座谈") && page.contains("data-status=\"in_progress\""), "{page}");
    let done = [("reported_on", today.to_string()), ("progress", "项目已签约".to_string()), ("done", "1".to_string())];
    let pairs: Vec<(&str, &str)> = done.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post_form(&progress_url, &baiyin, &form(&csrf, &pairs)).await.status(), StatusCode::SEE_OTHER);
    let page = body_text(app.get(&plan_url, Some(&baiyin)).await).await;
    assert!(page.contains("data-status=\"done\"") && page.contains("100.0%"), "{page}");
    let again = app.post_form(&progress_url, &baiyin, &form(&csrf, &pairs)).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "a task done takes no more reports");
    let filter = AuditFilter { entity: Some("work_progress".into()), per_page: 10, ..Default::default() };
    assert!(store.audit_entries(&filter).await.unwrap().0.len() >= 2, "progress is audited");

    // Another city's staff see neither the plan nor its export.
    assert_eq!(app.get(&plan_url, Some(&tianshui)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("{plan_url}/tasks.xlsx"), Some(&tianshui)).await.status(), StatusCode::NOT_FOUND);

    // The export: an office's columns, one row a task, the latest progress.
    let xlsx = app.get(&format!("/work-plans/{}/tasks.xlsx", scheme.id), Some(&baiyin)).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(body_bytes(xlsx).await)).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(Data::to_string).collect()).collect();
    let header = rows.iter().position(|r| r[0] == "序号").expect("a header row");
    assert_eq!(rows[header], ["序号", "任务", "责任单位", "责任人", "完成时限", "进展情况"]);
    let scheme_tasks = store.plan_tasks(scheme.id).await.unwrap();
    assert_eq!(rows.len() - header - 1, scheme_tasks.len());
    assert!(rows[header + 1][5].starts_with("【已完成】"), "{:?}", rows[header + 1]);

    // The plan printed as a formal document: its title, goals and tasks, page numbers.
    let pdf = app.get(&format!("/work-plans/{}/pdf", scheme.id), Some(&baiyin)).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    let text = pdf_text(&body_bytes(pdf).await);
    // (A table cell's lines interleave with its neighbours' in the extracted text.)
    let first_task: String = scheme_tasks[0].data.text.split_whitespace().collect::<String>().chars().take(8).collect();
    let title: String = scheme.data.title.split_whitespace().collect();
    assert!(text.starts_with(&title) && text.contains("重点任务") && text.contains(&first_task), "{text}");
    assert!(text.contains("完成时限") && text.contains("—1—"), "{text}");
    assert_eq!(
        app.get(&format!("/work-plans/{}/pdf", scheme.id), Some(&tianshui)).await.status(),
        StatusCode::NOT_FOUND
    );

    // The member's inbox holds its group's late task.
    let open = OpenPlanTaskFilter { group_ids: vec![groups[0].id], due_before: Some(today), ..Default::default() };
    let late = store.open_plan_tasks(&open, 10).await.unwrap();
    assert!(!late.is_empty(), "the demo has a late task of the first group");
    let inbox = body_text(app.get("/inbox", Some(&member)).await).await;
    assert!(inbox.contains(&late[0].data.text) && inbox.contains("工作方案"), "{inbox}");

    // Groups: the page gathers enterprises, visits, reports and tasks.
    let group_page = body_text(app.get(&format!("/groups/{}", groups[0].id), Some(&baiyin)).await).await;
    for expected in [
        "白银有色集团股份有限公司",
        "关于白银市有色金属新材料产业链招商的调研报告",
        "对接铜箔企业扩产项目",
        "助力小组 王建国",
    ] {
        assert!(group_page.contains(expected), "{expected}");
    }
    assert_eq!(app.get(&format!("/groups/{}", groups[0].id), Some(&tianshui)).await.status(), StatusCode::NOT_FOUND);
    let before = store.change_stamp().await.unwrap();
    for (fields, message) in [
        (vec![("region", "620400"), ("name", "")], "请填写小组名称"),
        (vec![("region", "620400"), ("name", "新组"), ("accounts", "nobody-here")], "nobody-here"),
        (
            vec![("region", "620400"), ("name", "新组"), ("enterprises", "天水二一三电器有限公司")],
            "天水二一三电器有限公司",
        ),
        (vec![("region", "620400"), ("name", groups[1].data.name.as_str())], "已有名为"),
    ] {
        let response = app.post_form("/groups", &baiyin, &form(&csrf, &fields)).await;
        let status = response.status();
        let text = body_text(response).await;
        assert!(status.is_client_error() && text.contains(message), "{message}: {status}");
    }
    assert_eq!(store.change_stamp().await.unwrap(), before);
    let new_group = [
        ("region", "620400"),
        ("name", "新材料招商助力小组"),
        ("accounts", "member"),
        ("enterprises", "甘肃稀土新材料股份有限公司"),
    ];
    let created = app.post_form("/groups", &baiyin, &form(&csrf, &new_group)).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let page = body_text(app.get(&location(&created), Some(&member)).await).await;
    assert!(page.contains("甘肃稀土新材料股份有限公司"), "a member of the group sees its enterprises");
    let list = body_text(app.get("/groups", Some(&baiyin)).await).await;
    assert!(list.contains("新材料招商助力小组") && !list.contains("电工电器产业助力小组"));
}
