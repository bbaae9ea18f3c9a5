//! Activity plans over HTTP: a region's staff create a plan and its lines, done
//! activities are matched to the lines (and one linked by hand), late lines shown as
//! such and in the owner's inbox, the period's lines exported as a workbook; bad input
//! gives Chinese field errors and changes nothing; another city's staff neither read nor
//! write the plan; every write is audited; the demo's plans are alive at once.

mod common;

use axum::http::{header, StatusCode};
use calamine::{Data, Reader, Xlsx};
use common::*;
use zhaoshang_store::AuditFilter;
use zhaoshang_testkit::Backend;
use zhaoshang_web::auth::urlencode;

on_both_backends!(plans_are_kept_matched_scoped_and_exported);
on_both_backends!(the_demo_plans_are_alive_in_the_page_and_the_inbox);

fn form(csrf: &str, fields: &[(&str, &str)]) -> String {
    let mut body = format!("csrf={csrf}");
    for (key, value) in fields {
        body.push_str(&format!("&{key}={}", urlencode(value)));
    }
    body
}

/// Posts a line and gives its id (the redirect's anchor).
async fn added_line(app: &TestApp, cookie: &str, path: &str, body: &str) -> String {
    let response = app.post_form(path, cookie, body).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{body}");
    location(&response).rsplit("#line-").next().unwrap().to_string()
}

fn location(response: &axum::response::Response) -> String {
    response.headers()[header::LOCATION].to_str().unwrap().to_string()
}

/// The row of the line `id` on a plan's page, its tags stripped.
fn line_row(page: &str, id: &str) -> String {
    let start = page.find(&format!("id=\"line-{id}\"")).unwrap_or_else(|| panic!("line {id} in {page}"));
    let end = page[start..].find("</tr>").unwrap() + start;
    strip_tags(&page[start..end])
}

async fn plans_are_kept_matched_scoped_and_exported(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let baiyin = app.sign_in_demo("baiyin").await;
    let tianshui = app.sign_in_demo("tianshui").await;
    let csrf = app.csrf(&baiyin).await;
    let before = store.change_stamp().await.unwrap();

    // Bad plans: a Chinese message by the field, another city's refused, a forged form too.
    for (fields, message) in [
        (vec![("region", "620400"), ("period", "2024Q5")], "计划期间“2024Q5”无效"),
        (vec![("region", "620400"), ("period", "")], "请填写计划期间"),
        (vec![("region", "620400"), ("period", "2024")], "该单位在这一期间已有活动计划"),
        (vec![("region", "999999"), ("period", "2024Q2")], "请选择计划所属"),
    ] {
        let response = app.post_form("/activity-plans", &baiyin, &form(&csrf, &fields)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(body_text(response).await.contains(message), "{message}");
    }
    let other_city = form(&csrf, &[("region", "620500"), ("period", "2024Q2")]);
    assert_eq!(app.post_form("/activity-plans", &baiyin, &other_city).await.status(), StatusCode::FORBIDDEN);
    let forged = form("forged", &[("region", "620400"), ("period", "2024Q2")]);
    assert_eq!(app.post_form("/activity-plans", &baiyin, &forged).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "nothing written");

    // A plan for the second quarter of 2024.
    let fields = [("region", "620400"), ("period", "2024Q2"), ("department", ""), ("note", "<b>二季度</b>")];
    let response = app.post_form("/activity-plans", &baiyin, &form(&csrf, &fields)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let plan_path = location(&response);
    let plan_id = plan_path.trim_start_matches("/activity-plans/").to_string();
    let page = body_text(app.get(&plan_path, Some(&baiyin)).await).await;
    assert!(page.contains("白银市 2024年第二季度招商活动计划"), "{page}");
    assert!(page.contains("&lt;b&gt;二季度"), "escaped");

    // Bad lines: each field's message, nothing written.
    let tianshui_trip = store.activity_by_name("天水市赴苏州、无锡招商考察（2024年）").await.unwrap().unwrap();
    let tianshui_trip = tianshui_trip.id.to_string();
    let stamp = store.change_stamp().await.unwrap();
    let lines = format!("{plan_path}/lines");
    for (fields, message) in [
        (vec![("kind", "旅游")], "请选择计划活动类型"),
        (vec![("kind", "外出招商"), ("due_on", "2024-07-01")], "完成时限应在2024年第二季度之内"),
        (
            vec![("kind", "外出招商"), ("planned_on", "2024-05-10"), ("due_on", "2024-05-01")],
            "完成时限不能早于计划日期",
        ),
        (vec![("kind", "外出招商"), ("due_on", "2024-02-30")], "不是有效日期"),
        (vec![("kind", "外出招商"), ("place", "不存在的地方")], "不存在"),
        (vec![("kind", "外出招商"), ("activity", &tianshui_trip)], "请从列表中选择本期间的活动"),
    ] {
        let response = app.post_form(&lines, &baiyin, &form(&csrf, &fields)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(body_text(response).await.contains(message), "{message}");
    }
    assert_eq!(store.change_stamp().await.unwrap(), stamp, "nothing written");

    // Lines: a trip to 北京 done by 白银's trip of 20 May; a roadshow in 上海 never held
    // (late); a meeting linked by hand to a delegation received.
    let add = |fields: &[(&str, &str)]| {
        let body = form(&csrf, fields);
        let (app, baiyin, lines) = (&app, &baiyin, &lines);
        async move { added_line(app, baiyin, lines, &body).await }
    };
    let beijing = add(&[
        ("kind", "外出招商"),
        ("title", "赴北京拜访央企"),
        ("place", "北京市"),
        ("targets", "中国有色矿业集团、<i>某央企</i>"),
        ("responsible", "马晓燕"),
        ("due_on", "2024-06-30"),
    ])
    .await;
    let shanghai = add(&[("kind", "推介会"), ("place", "上海市"), ("planned_on", "2024-05-20")]).await;
    let delegation = store.activity_by_name("浙商企业家考察团来白考察（2024年）").await.unwrap().unwrap();
    let meeting = add(&[("kind", "座谈会"), ("activity", &delegation.id.to_string())]).await;
    let page = body_text(app.get(&plan_path, Some(&baiyin)).await).await;
    let row = line_row(&page, &beijing);
    assert!(row.contains("已完成") && row.contains("白银市赴北京招商对接（2024年）"), "{row}");
    assert!(row.contains("中国有色矿业集团") && page.contains("&lt;i&gt;某央企"), "{row}");
    let row = line_row(&page, &shanghai);
    assert!(row.contains("逾期") && row.contains("2024-05-20"), "{row}");
    let row = line_row(&page, &meeting);
    assert!(
        row.contains("已完成") && row.contains("浙商企业家考察团来白考察（2024年）") && row.contains("手动关联"),
        "{row}"
    );
    assert!(page.contains("完成率 <strong>66.7%</strong>"), "{page}");
    // The period's page: the plan with its counts.
    let list = body_text(app.get("/activity-plans?period=2024Q2", Some(&baiyin)).await).await;
    assert!(list.contains(&format!("id=\"plan-{plan_id}\"")) && list.contains("66.7%"), "{list}");

    // Edited: its form shows the stored place; the new due date is kept.
    let edit = format!("{plan_path}/lines/{shanghai}");
    let form_page = body_text(app.get(&edit, Some(&baiyin)).await).await;
    assert!(form_page.contains("value=\"310000\""), "the stored place");
    let response = app
        .post_form(&edit, &baiyin, &form(&csrf, &[("kind", "推介会"), ("place", "310000"), ("due_on", "2024-06-30")]))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        store.activity_plan_line(shanghai.parse().unwrap()).await.unwrap().unwrap().data.due_on.to_string(),
        "2024-06-30"
    );

    // Another city's staff: not found, neither read nor written; not in its list.
    for path in [plan_path.clone(), format!("{plan_path}/edit"), edit.clone()] {
        assert_eq!(app.get(&path, Some(&tianshui)).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let tianshui_csrf = app.csrf(&tianshui).await;
    let stamp = store.change_stamp().await.unwrap();
    let response = app.post_form(&lines, &tianshui, &form(&tianshui_csrf, &[("kind", "外出招商")])).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app.post_form(&plan_path, &tianshui, &form(&tianshui_csrf, &[("period", "2024Q3")])).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(store.change_stamp().await.unwrap(), stamp, "nothing written");
    let list = body_text(app.get("/activity-plans?period=2024Q2", Some(&tianshui)).await).await;
    assert!(!list.contains(&format!("id=\"plan-{plan_id}\"")), "{list}");
    // The province reads every city's.
    let admin = app.sign_in_demo("admin").await;
    assert_eq!(app.get(&plan_path, Some(&admin)).await.status(), StatusCode::OK);
    // A period changed so that a line falls out of it is refused.
    let response = app.post_form(&plan_path, &baiyin, &form(&csrf, &[("period", "2024Q3")])).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(response).await.contains("不在新的期间之内"));
    for bad in ["/activity-plans?period=2024Q9", "/activity-plans?kind=weekly", "/activity-plans?region=abc"] {
        assert_eq!(app.get(bad, Some(&baiyin)).await.status(), StatusCode::BAD_REQUEST, "{bad}");
    }

    // The period's lines as a workbook, as offices keep them.
    let xlsx = app.get("/activity-plans?period=2024Q2&format=xlsx", Some(&baiyin)).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(body_bytes(xlsx).await)).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(Data::to_string).collect()).collect();
    let header = rows.iter().position(|r| r[0] == "序号").expect("a header row");
    assert_eq!(&rows[header][..4], ["序号", "责任单位", "计划期间", "活动类型"]);
    let beijing_row = rows.iter().find(|r| r.contains(&"赴北京拜访央企".to_string())).expect("the line");
    assert!(
        beijing_row.contains(&"已完成".to_string())
            && beijing_row.contains(&"白银市赴北京招商对接（2024年）".to_string())
    );
    assert!(beijing_row.contains(&"2024年第二季度".to_string()) && beijing_row.contains(&"白银市".to_string()));
    assert_eq!(rows.len() - header - 1, 3, "the quarter's three lines: {rows:?}");

    // Every write in the audit log: the plan created, three lines created and one edited.
    let audited = |entity: &str| AuditFilter { entity: Some(entity.into()), ..Default::default() };
    let plans = store.all_audit_entries(&audited("activity_plan"), 100).await.unwrap();
    assert_eq!(plans.iter().filter(|e| e.entity_id == plan_id).count(), 1);
    let lines = store.all_audit_entries(&audited("activity_plan_line"), 100).await.unwrap();
    let ours = [&beijing, &shanghai, &meeting];
    assert_eq!(lines.iter().filter(|e| ours.contains(&&e.entity_id)).count(), 4);
}

async fn the_demo_plans_are_alive_in_the_page_and_the_inbox(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let baiyin = app.sign_in_demo("baiyin").await;
    let tianshui = app.sign_in_demo("tianshui").await;

    // 白银's year 2024: the trips to 上海, 广东 and 北京 and a delegation done; the trip to
    // 江苏 (the 上海 trip went to the line due first) and the roadshow late.
    let list = body_text(app.get("/activity-plans?period=2024&kind=year", Some(&baiyin)).await).await;
    assert!(list.contains("id=\"total-count\">1<"), "{list}");
    assert!(list.contains("66.7%"), "{list}");
    let id = list.split("<tr id=\"plan-").nth(1).unwrap().split('"').next().unwrap().to_string();
    let page = body_text(app.get(&format!("/activity-plans/{id}"), Some(&baiyin)).await).await;
    for done in [
        "白银市赴上海、苏州招商推介活动（2024年）",
        "白银市赴深圳、广州招商考察（2024年）",
        "白银市赴北京招商对接（2024年）",
    ] {
        assert!(page.contains(done), "{done}: {}", strip_tags(&page));
    }
    assert_eq!(page.matches("data-status=\"late\"").count(), 2, "{page}");
    // The province's 兰洽会 of 2025, read by the admin.
    let admin = app.sign_in_demo("admin").await;
    let list = body_text(app.get("/activity-plans?period=2025&region=", Some(&admin)).await).await;
    assert!(list.contains("甘肃省") && list.contains("50.0%"), "{list}");

    // This year's late lines in their owners' inboxes, not in another city's.
    let inbox = body_text(app.get("/inbox", Some(&baiyin)).await).await;
    assert!(inbox.contains("赴上海对接新材料企业") && inbox.contains("招商活动计划"), "{inbox}");
    assert!(!inbox.contains("赴苏州对接装备制造企业"));
    let inbox = body_text(app.get("/inbox", Some(&tianshui)).await).await;
    assert!(inbox.contains("赴苏州对接装备制造企业") && !inbox.contains("赴上海对接新材料企业"), "{inbox}");
    let inbox = body_text(app.get("/inbox", Some(&admin)).await).await;
    assert!(inbox.contains("赴粤港澳大湾区举办甘肃投资环境推介会"), "{inbox}");
}
