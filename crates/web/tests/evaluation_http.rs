//! 市州综合评价 over HTTP: the page for the admin (the province's cities) and for a
//! region user (its own counties), refused outside their scope and for roles without
//! evaluations, bad quarters answered in Chinese, and the Excel download opened with
//! calamine.

mod common;

use axum::http::{header, StatusCode};
use calamine::{Data, Reader, Xlsx};
use common::*;
use std::io::Cursor;
use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_store::Actor;
use zhaoshang_testkit::{on_both_backends, Backend};

on_both_backends!(the_page_and_its_download_follow_the_scope);
on_both_backends!(an_admin_saves_a_scheme_version_and_publishes_a_quarter_under_it);

const USERS: &[(&str, &str, Option<&str>)] = &[
    ("admin", "admin", None),
    ("leader", "leader", None),
    ("baiyin", "region", Some("620400")),
    ("chain", "chain", None),
    ("member", "member", None),
];

async fn import(app: &TestApp, kind: ImportKind, csv: &str) {
    let report = import_bytes(app.store(), kind, "t.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

fn rows_of(page: &str, table: &str) -> usize {
    let start = page.find(&format!(r#"id="{table}""#)).unwrap_or_else(|| panic!("no {table}"));
    let end = start + page[start..].find("</table>").unwrap();
    page[start..end].matches("<tr data-region=").count()
}

async fn the_page_and_its_download_follow_the_scope(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    import(
        &app,
        ImportKind::Projects,
        "项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期,开工日期\n\
         E1,白银铜箔项目,620402,30000,开工,2024-02-01,2024-05-01\n\
         E2,天水电子项目,620500,12000,签约,2024-03-01,\n\
         E3,平川陶瓷项目,620403,8000,签约,2024-04-10,\n",
    )
    .await;
    import(&app, ImportKind::Funding, "项目编号,到位日期,到位金额(万元)\nE1,2024-03-01,5000\nE2,2024-05-01,1000\n")
        .await;
    import(&app, ImportKind::Targets, "所属地区,年度,到位资金目标(万元)\n白银市,2024,20000\n").await;

    // The admin: the province's fourteen cities, 白银 first with every indicator led.
    let admin = app.sign_in("admin").await;
    let response = app.get("/evaluation?region=620000&year=2024&quarter=2", Some(&admin)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body_text(response).await;
    assert!(page.contains("甘肃省2024年第2季度综合评价") && page.contains("2024-01-01 至 2024-06-30"));
    assert!(page.contains("上期为2024年第1季度"));
    assert_eq!(rows_of(&page, "evaluation-table"), 14);
    assert_eq!(rows_of(&page, "evaluation-parts"), 14);
    let first = &page[page.find(r#"<tr data-region="620400">"#).unwrap()..];
    assert!(first[..first.find("</tr>").unwrap()].contains("贡献奖"), "白银 leads");
    // The sensitivity view: every city's ranks under weights perturbed ±20%.
    assert!(page.contains("权重±20%名次区间"));
    assert_eq!(page.matches(r#"<td class="interval">"#).count(), 14);
    assert!(!page.contains(r#"<td class="interval">—</td>"#), "every city has its interval");
    assert!(page.contains("市州综合评价</a>"), "the navigation offers the section");
    assert!(page.contains("25.00%"), "白银's target completion: 5000 of 20000 万元");
    assert!(page.contains(r#"href="/evaluation/download?region=620000&amp;year=2024&amp;quarter=2""#));

    // A leader reads the same; the defaults are the user's region (the province for
    // the admin) and the last finished quarter.
    let leader = app.sign_in("leader").await;
    assert_eq!(app.get("/evaluation?region=620000&year=2024&quarter=2", Some(&leader)).await.status(), StatusCode::OK);
    let defaults = body_text(app.get("/evaluation", Some(&admin)).await).await;
    let last = zhaoshang_core::evaluation::Quarter::last_finished(zhaoshang_app::calendar::today());
    assert!(defaults.contains(&format!("甘肃省{}综合评价", last.label())), "the last finished quarter");

    // A region user: its own counties, never the province's ranking or a neighbour's.
    let baiyin = app.sign_in("baiyin").await;
    let response = app.get("/evaluation?year=2024&quarter=2", Some(&baiyin)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body_text(response).await;
    assert!(page.contains("白银市2024年第2季度综合评价") && page.contains("平川区"));
    assert_eq!(rows_of(&page, "evaluation-table"), 5, "白银's five counties");
    for path in [
        "/evaluation?region=620000&year=2024&quarter=2",
        "/evaluation?region=620500",
        "/evaluation/download?region=620000",
    ] {
        assert_eq!(app.get(path, Some(&baiyin)).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // Roles without evaluations.
    for user in ["chain", "member"] {
        let cookie = app.sign_in(user).await;
        assert_eq!(app.get("/evaluation?region=620000", Some(&cookie)).await.status(), StatusCode::FORBIDDEN, "{user}");
        assert!(!body_text(app.get("/", Some(&cookie)).await).await.contains("市州综合评价"), "{user}'s navigation");
    }
    assert_eq!(app.get("/evaluation", None).await.status(), StatusCode::SEE_OTHER);

    // Bad input: a Chinese message, never a 500.
    for (path, message) in [
        ("/evaluation?region=620000&year=2024&quarter=5", "季度“5”无效"),
        ("/evaluation?region=620000&year=二〇二四&quarter=1", "年度"),
        ("/evaluation?region=629900&year=2024&quarter=1", "不存在"),
    ] {
        let response = app.get(path, Some(&admin)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(body_text(response).await.contains(message), "{path}");
    }

    // The download: the same table, opened with calamine.
    let response = app.get("/evaluation/download?region=620000&year=2024&quarter=2", Some(&admin)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("evaluation-620000-2024Q2.xlsx"));
    let bytes = body_bytes(response).await;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("综合评价").unwrap();
    let cell = |row: u32, column: u32| sheet.get_value((row, column)).cloned().unwrap_or(Data::Empty);
    assert_eq!(
        cell(0, 0),
        Data::String("甘肃省2024年第2季度市州综合评价（2024-01-01至2024-06-30，省定默认方案）".into())
    );
    assert_eq!(cell(1, 0), Data::String("排名".into()));
    assert_eq!(cell(1, 5), Data::String("综合得分".into()));
    assert_eq!(cell(1, 7), Data::String("到位资金(万元)".into()));
    let data_rows = (2..sheet.height() as u32).filter(|&row| cell(row, 3) != Data::Empty).count();
    assert_eq!(data_rows, 14);
    assert_eq!(
        (cell(2, 0), cell(2, 4), cell(2, 6)),
        (Data::Float(1.0), Data::String("白银市".into()), Data::String("贡献奖".into()))
    );
    assert_eq!(cell(2, 7), Data::Float(5000.0), "白银's funds in place in 万元");
}

fn url_encoded(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

/// Issue 24 point 1 over HTTP: the schemes' pages, a scheme saved from the form (422 with
/// each row's error, nothing saved, when wrong; its name escaped), the page scored by it,
/// and a quarter published under it (the admin only, once, CSRF checked).
async fn an_admin_saves_a_scheme_version_and_publishes_a_quarter_under_it(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    import(
        &app,
        ImportKind::Projects,
        "项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期,开工日期\n\
         E1,白银铜箔项目,620402,30000,开工,2024-02-01,2024-05-01\n\
         E2,天水电子项目,620500,12000,签约,2024-03-01,\n",
    )
    .await;
    import(&app, ImportKind::Funding, "项目编号,到位日期,到位金额(万元)\nE1,2024-03-01,5000\nE2,2024-05-01,9000\n")
        .await;
    let admin = app.sign_in("admin").await;
    let baiyin = app.sign_in("baiyin").await;
    let member = app.sign_in("member").await;

    // The list: SPEC's scheme for everyone who sees evaluations; the form for the admin only.
    let list = body_text(app.get("/evaluation/schemes", Some(&baiyin)).await).await;
    assert!(list.contains("省定默认方案") && list.contains("到位资金同比") && !list.contains("scheme-new"), "{list}");
    assert_eq!(app.get("/evaluation/schemes", Some(&member)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/evaluation/schemes/new", Some(&baiyin)).await.status(), StatusCode::FORBIDDEN);
    let form = body_text(app.get("/evaluation/schemes/new", Some(&admin)).await).await;
    assert!(form.contains(r#"name="weight_funds_in_place_wan" value="0.30""#), "SPEC's weights fill the form");
    assert!(form.contains("诉求满意率"), "every figure is offered");

    // A wrong form: 422, the row's error shown, nothing saved.
    let csrf = app.csrf(&admin).await;
    let hostile = "<script>alert(1)</script>方案";
    let wrong = url_encoded(&[
        ("csrf", &csrf),
        ("name", hostile),
        ("weight_signed_investment_wan", "0.6"),
        ("direction_signed_investment_wan", "higher"),
        ("scaling_signed_investment_wan", "rank"),
        ("missing_signed_investment_wan", "abc"),
        ("weight_funds_in_place_wan", "0.4"),
        ("direction_funds_in_place_wan", "higher"),
        ("scaling_funds_in_place_wan", "efficacy"),
        ("missing_funds_in_place_wan", "60"),
    ]);
    let response = app.post_form("/evaluation/schemes", &admin, &wrong).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = body_text(response).await;
    assert!(page.contains("签约投资额的缺失值得分“abc”应为 0 到 100 之间的数"), "the row's error");
    assert!(!page.contains(hostile) && page.contains("&lt;script&gt;"), "the typed name comes back escaped");
    assert!(app.store().evaluation_schemes().await.unwrap().is_empty());
    // Without the CSRF token: refused.
    let forged = wrong.replace(&format!("csrf={csrf}"), "csrf=forged");
    assert_eq!(app.post_form("/evaluation/schemes", &admin, &forged).await.status(), StatusCode::FORBIDDEN);
    let by_city = wrong.replace("missing_signed_investment_wan=abc", "missing_signed_investment_wan=0");
    let city_csrf = app.csrf(&baiyin).await;
    let by_city = by_city.replace(&format!("csrf={csrf}"), &format!("csrf={city_csrf}"));
    assert_eq!(app.post_form("/evaluation/schemes", &baiyin, &by_city).await.status(), StatusCode::FORBIDDEN);

    // Right: saved as version 1, and the page scores by it: signed investment by rank
    // puts 白银 (30000 万元) ahead of 天水 (12000), funds in place the other way round.
    let right = wrong.replace("missing_signed_investment_wan=abc", "missing_signed_investment_wan=0");
    let response = app.post_form("/evaluation/schemes", &admin, &right).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let schemes = app.store().evaluation_schemes().await.unwrap();
    assert_eq!((schemes.len(), schemes[0].version), (1, 1));
    let id = schemes[0].id;
    let list = body_text(app.get("/evaluation/schemes", Some(&admin)).await).await;
    assert!(list.contains("&lt;script&gt;alert(1)") && list.contains("方案 第1版") && !list.contains(hostile));
    let page =
        body_text(app.get(&format!("/evaluation?region=620000&year=2024&quarter=2&scheme={id}"), Some(&admin)).await)
            .await;
    assert!(
        page.contains("签约投资额（权重0.60，越高越好，排序法（0–100），无数据计 0 分）"),
        "the method names the scheme's rules"
    );
    let first = &page[page.find(r#"id="evaluation-table""#).unwrap()..];
    let first = &first[first.find("<tr data-region=").unwrap()..];
    assert!(first.starts_with(r#"<tr data-region="620500">"#), "天水 leads: funds 9000 × 0.4 + rank × 0.6");
    assert!(page.contains(&format!(
        r#"href="/evaluation/download?region=620000&amp;year=2024&amp;quarter=2&amp;scheme={id}""#
    )));

    // Published under it (the admin only, CSRF checked), then shown as published.
    let publish = |token: &str| {
        url_encoded(&[
            ("csrf", token),
            ("region", "620000"),
            ("year", "2024"),
            ("quarter", "2"),
            ("scheme", &id.to_string()),
        ])
    };
    assert!(page.contains(r#"id="evaluation-publish""#));
    let refused = app.post_form("/evaluation/publish", &baiyin, &publish(&city_csrf)).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.post_form("/evaluation/publish", &admin, &publish("forged")).await.status(), StatusCode::FORBIDDEN);
    let response = app.post_form("/evaluation/publish", &admin, &publish(&csrf)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = body_text(app.get("/evaluation?region=620000&year=2024&quarter=2", Some(&admin)).await).await;
    assert!(page.contains(r#"id="evaluation-published""#) && page.contains("方案 第1版”发布"));
    assert!(page.contains(r#"id="evaluation-unchanged""#), "nothing corrected since");
    assert!(!page.contains(r#"id="evaluation-publish""#), "published once");
    let again = app.post_form("/evaluation/publish", &admin, &publish(&csrf)).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(body_text(again).await.contains("已发布"));
    // A scheme that does not exist: 404 in Chinese.
    let response = app.get("/evaluation?region=620000&scheme=999", Some(&admin)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(body_text(response).await.contains("未找到该指标方案"));
}
