//! 六必访 visits over HTTP: a member records a visit to an enterprise with two problems,
//! which become appeals of its county at once (received today, due by the official
//! calendar, each naming the visit), shown on the visit's page, in the appeal list and
//! in the audit log. Bad input, a forged form and another region's staff change nothing.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_core::appeals::{due_on, DEFAULT_LIMIT_DAYS};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::codes::next_code;
use zhaoshang_store::AuditFilter;
use zhaoshang_testkit::Backend;
use zhaoshang_web::auth::urlencode;

on_both_backends!(a_visit_raises_appeals_of_its_county_with_their_clocks);

/// An appeal's code, region, dimension, received and due days, and visit.
type Seen<'a> = (&'a str, &'a str, &'a str, chrono::NaiveDate, chrono::NaiveDate, Option<i64>);

fn form(csrf: &str, fields: &[(&str, &str)]) -> String {
    let mut body = format!("csrf={csrf}");
    for (key, value) in fields {
        body.push_str(&format!("&{key}={}", urlencode(value)));
    }
    body
}

async fn a_visit_raises_appeals_of_its_county_with_their_clocks(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let today = zhaoshang_app::calendar::today();
    let member = app.sign_in_demo("member").await;
    let csrf = app.csrf(&member).await;
    let visit = |enterprise: &'static str, date: String, problems: Vec<(&'static str, &'static str)>| {
        let mut fields = vec![
            ("region", "620502".to_string()),
            ("enterprise", enterprise.to_string()),
            ("visited_on", date),
            ("visitor", "省政协委员 测试".to_string()),
            ("summary", "了解企业生产经营情况".to_string()),
        ];
        fields.extend(problems.into_iter().map(|(k, v)| (k, v.to_string())));
        fields
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form(&csrf, &pairs)
    };
    let baiyin = app.sign_in_demo("baiyin").await;
    let baiyin_csrf = app.csrf(&baiyin).await;
    let before = store.change_stamp().await.unwrap();

    // Bad input: the field's Chinese message, nothing written.
    for (fields, message) in [
        (visit("", today.to_string(), vec![]), "请填写走访的企业"),
        (visit("天水测试企业", (today + chrono::Days::new(1)).to_string(), vec![]), "走访日期不能晚于今天"),
        (visit("天水测试企业", today.to_string(), vec![("content_1", "用地难")]), "请选择问题所属的环境维度"),
        (visit("天水测试企业", today.to_string(), vec![("dimension_2", "factors")]), "请写明企业反映的问题"),
        (
            visit(
                "天水测试企业",
                today.to_string(),
                vec![("dimension_1", "market"), ("category_1", "其他"), ("content_1", "x")],
            ),
            "不在列表中",
        ),
    ] {
        let response = app.post_form("/visits", &member, &post(fields)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(body_text(response).await.contains(message), "{message}");
    }
    let good = visit(
        "天水<b>测试</b>企业",
        today.to_string(),
        vec![
            ("dimension_1", "factors"),
            ("category_1", "要素保障"),
            ("content_1", "用电增容报装慢"),
            ("dimension_3", "market"),
            ("content_3", "重复检查"),
        ],
    );
    // A forged form, and 白银's staff for a 天水 enterprise: refused.
    let forged = post(good.clone()).replacen(&csrf, "forged", 1);
    assert_eq!(app.post_form("/visits", &member, &forged).await.status(), StatusCode::FORBIDDEN);
    let pairs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post_form("/visits", &baiyin, &form(&baiyin_csrf, &pairs)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "nothing written");

    // The member records the visit: two appeals of 秦州区, received today, due by the
    // calendar, numbered next in the county's series of the year.
    let year = chrono::Datelike::year(&today);
    let series_before = store.appeal_codes_with_prefix(&format!("SQ620502-{year}-")).await.unwrap();
    let response = app.post_form("/visits", &member, &post(good)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = location.trim_start_matches("/visits/").parse().unwrap();
    let appeals = store.appeals_of_visit(id).await.unwrap();
    let calendar = Calendar::new(store.calendar_days().await.unwrap());
    let due = due_on(&calendar, today, DEFAULT_LIMIT_DAYS).value;
    let seen: Vec<Seen> = appeals
        .iter()
        .map(|a| {
            (
                a.data.code.as_str(),
                a.data.region_code.as_str(),
                a.data.dimension.as_str(),
                a.data.received_on,
                a.data.due_on,
                a.visit_id,
            )
        })
        .collect();
    let series = format!("SQ620502-{year}-");
    let mut taken = series_before;
    let first = next_code(taken.iter().map(String::as_str), &series);
    taken.push(first.clone());
    let second = next_code(taken.iter().map(String::as_str), &series);
    assert_eq!(
        seen,
        [
            (first.as_str(), "620502", "factors", today, due, Some(id)),
            (second.as_str(), "620502", "market", today, due, Some(id)),
        ],
        "numbered next in the county's series"
    );
    assert_eq!(appeals[0].data.enterprise, "天水<b>测试</b>企业");

    // The visit's page lists them, escaped; the appeal list finds them; 白银 does not see it.
    let page = body_text(app.get(&location, Some(&member)).await).await;
    assert!(page.contains(&first) && page.contains("用电增容报装慢") && page.contains("重复检查"), "{page}");
    assert!(page.contains("&lt;b&gt;测试") && !page.contains("<b>测试"), "escaped");
    let tianshui = app.sign_in_demo("tianshui").await;
    let list = body_text(app.get("/appeals?region=620500&q=用电增容报装慢", Some(&tianshui)).await).await;
    assert!(list.contains(&first), "the region's staff handle it");
    assert_eq!(app.get(&location, Some(&baiyin)).await.status(), StatusCode::NOT_FOUND);
    let visits = body_text(app.get("/visits", Some(&tianshui)).await).await;
    assert!(
        visits.contains("天水&lt;b&gt;测试&lt;&#x2f;b&gt;企业") || visits.contains("天水&lt;b&gt;测试&lt;/b&gt;企业"),
        "{visits}"
    );

    // Audited: the visit with its appeals' codes, and each appeal.
    let visits_audit = AuditFilter { entity: Some("visit".into()), ..Default::default() };
    let entries = store.all_audit_entries(&visits_audit, 10).await.unwrap();
    let entry = entries.iter().find(|e| e.entity_id == id.to_string()).expect("the visit's audit entry");
    assert!(entry.after_json.as_deref().unwrap_or("").contains(&second), "{entry:?}");
    let appeal_audit = AuditFilter { record: Some(first.clone()), entity: Some("appeal".into()), ..Default::default() };
    let appeal_entries = store.all_audit_entries(&appeal_audit, 10).await.unwrap();
    assert_eq!(appeal_entries.len(), 1, "the appeal's creation");
}
