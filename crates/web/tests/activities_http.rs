//! Promotion activities over HTTP: the list with its filters, order, pages and export,
//! the month's calendar, the forms (Chinese errors, nothing written on bad input or a
//! forged form), a region's staff kept to their region's, a new name followed by the
//! projects signed there, the import's participants column, the files and the audit log;
//! and the cohort pages, equal to `zhaoshang stats cohort` for every demo fair.

mod common;

use axum::http::StatusCode;
use chrono::{Months, NaiveDate};
use common::*;
use zhaoshang_app::activities::cohort_report;
use zhaoshang_core::activities::{ActivitySort, ParticipantRole};
use zhaoshang_core::attachments::{sample_pdf, OwnerKind};
use zhaoshang_store::activities::ActivityFilter;
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::AuditFilter;
use zhaoshang_testkit::Backend;
use zhaoshang_web::auth::urlencode;

on_both_backends!(activities_are_recorded_in_their_region_and_audited);
on_both_backends!(the_cohort_pages_equal_stats_cohort_for_every_demo_fair);
on_both_backends!(a_lead_names_the_activity_it_was_registered_at);

async fn activities_are_recorded_in_their_region_and_audited(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let baiyin = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&baiyin).await;

    // The list: the region's own and the province's, not another city's.
    let list = body_text(app.get("/activities?from=2024-01-01&to=2024-12-31", Some(&baiyin)).await).await;
    assert!(list.contains("白银市赴上海、苏州招商推介活动（2024年）"), "{list}");
    assert!(!list.contains("天水市赴苏州、无锡招商考察（2024年）"));
    // The seeds' year of 白银: 7 trips out, 9 delegations received.
    for (kind, count) in [("外出招商", 7), ("来访接待", 9)] {
        let path = format!("/activities?region=620400&from=2024-01-01&to=2024-12-31&kind={}", urlencode(kind));
        let page = body_text(app.get(&path, Some(&baiyin)).await).await;
        assert!(page.contains(&format!("id=\"total-count\">{count}<")), "{kind}: {page}");
    }
    let found = body_text(app.get(&format!("/activities?q={}", urlencode("香港工商界")), Some(&baiyin)).await).await;
    assert!(found.contains("id=\"total-count\">1<"), "{found}");
    let second = body_text(app.get("/activities?sort=signed&page=2", Some(&baiyin)).await).await;
    assert!(second.contains("第 2 / "), "{second}");
    for bad in [
        "/activities?sort=nonsense",
        "/activities?from=2024-13-01",
        "/activities?region=abc",
        "/activities/calendar?month=2024-13",
    ] {
        assert_eq!(app.get(bad, Some(&baiyin)).await.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    let month = body_text(app.get("/activities/calendar?month=2024-03", Some(&baiyin)).await).await;
    assert!(month.contains("2024年3月") && month.contains("白银市赴上海、苏州招商推介活动（2024年）"), "{month}");
    assert!(!month.contains("白银市赴深圳、广州招商考察（2024年）"), "April's trip is not March's");

    // Bad input: each field's Chinese message, nothing written.
    let chamber = store.all_chambers().await.unwrap().remove(0).data.name;
    let fair = store.activity_by_name("第二十九届兰洽会").await.unwrap().expect("the 2023 fair");
    let enterprise = fair.enterprises[0].name.clone();
    let good = vec![
        ("name", "白银市<b>测试</b>招商活动".to_string()),
        ("kind", "推介会".to_string()),
        ("start_on", "2024-05-06".to_string()),
        ("end_on", "2024-05-07".to_string()),
        ("place", "上海市".to_string()),
        ("organiser", "白银市投资促进局".to_string()),
        ("region", "620400".to_string()),
        ("participants", "张三（领导）、李四(委员)；王五".to_string()),
        ("chambers", chamber.clone()),
        ("enterprises", enterprise.clone()),
        ("outcome", "签约<script>x</script>两项".to_string()),
    ];
    let with = |key: &str, value: &str| {
        let fields: Vec<(&str, &str)> =
            good.iter().map(|(k, v)| (*k, if *k == key { value } else { v.as_str() })).collect();
        form(&csrf, &fields)
    };
    let before = store.change_stamp().await.unwrap();
    for (key, value, message) in [
        ("name", " ", "请填写活动名称"),
        ("name", "白银市赴上海、苏州招商推介活动（2024年）", "已被其他活动使用"),
        ("kind", "旅游", "请选择活动类型"),
        ("start_on", "2024-02-30", "不是有效日期"),
        ("end_on", "2024-05-01", "结束日期不能早于开始日期"),
        ("place", "", "请填写地点"),
        ("participants", "张三（司机）", "领导、干部或委员"),
        ("chambers", "不存在的商会", "不在商会名录中"),
        ("enterprises", "不存在的企业", "不在企业库中"),
        ("region", "999999", "不在行政区划中"),
    ] {
        let response = app.post_form("/activities", &baiyin, &with(key, value)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{key}");
        assert!(body_text(response).await.contains(message), "{key}: {message}");
    }
    // Another city's activity, a forged form: refused.
    assert_eq!(app.post_form("/activities", &baiyin, &with("region", "620500")).await.status(), StatusCode::FORBIDDEN);
    let forged = form("forged", &good.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>());
    assert_eq!(app.post_form("/activities", &baiyin, &forged).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "nothing written");

    // Recorded: its page shows who went, the chamber, the enterprise met, escaped.
    let response = app.post_form("/activities", &baiyin, &with("", "")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page_path = location(&response);
    let id: i64 = page_path.trim_start_matches("/activities/").parse().unwrap();
    let stored = store.activity(id).await.unwrap().unwrap();
    assert_eq!(stored.region_code.as_deref(), Some("620400"));
    let roles: Vec<_> = stored.participants.iter().map(|p| (p.name.as_str(), p.role)).collect();
    assert_eq!(
        roles,
        [("张三", ParticipantRole::Leader), ("李四", ParticipantRole::Member), ("王五", ParticipantRole::Cadre)]
    );
    assert_eq!((stored.chambers.clone(), stored.enterprises[0].name.clone()), (vec![chamber.clone()], enterprise));
    let html = String::from_utf8(body_bytes(app.get(&page_path, Some(&baiyin)).await).await).unwrap();
    assert!(
        html.contains("白银市&lt;b&gt;测试&lt;&#x2f;b&gt;招商活动")
            || html.contains("白银市&lt;b&gt;测试&lt;/b&gt;招商活动"),
        "escaped"
    );
    assert!(!html.contains("<script>x</script>"));
    assert!(html.contains("张三（领导）") && html.contains(&chamber), "{html}");
    let audit = AuditFilter { entity: Some("activity".into()), ..Default::default() };
    let entries = store.all_audit_entries(&audit, 50).await.unwrap();
    let entry = entries.iter().find(|e| e.entity_id == "白银市<b>测试</b>招商活动").expect("audited");
    assert!(entry.after_json.as_deref().unwrap_or("").contains("张三（领导）"), "{entry:?}");

    // A file kept with it.
    let uri = format!("{page_path}/attachments");
    let upload = multipart_request(&uri, Some(&baiyin), &[("csrf", &csrf)], &[("纪要.pdf", &sample_pdf("minutes"))]);
    assert_eq!(app.send(upload).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(store.attachments_of(OwnerKind::Activity, &id.to_string()).await.unwrap().len(), 1);

    // Another city's staff: neither read nor write it.
    let tianshui = app.sign_in_demo("tianshui").await;
    let tianshui_csrf = app.csrf(&tianshui).await;
    assert_eq!(app.get(&page_path, Some(&tianshui)).await.status(), StatusCode::NOT_FOUND);
    let edit = form(
        &tianshui_csrf,
        &[("name", "改名"), ("kind", "推介会"), ("start_on", "2024-05-06"), ("place", "天水"), ("region", "620500")],
    );
    assert_eq!(app.post_form(&page_path, &tianshui, &edit).await.status(), StatusCode::NOT_FOUND);
    let province = fair;
    assert_eq!(app.get(&format!("/activities/{}", province.id), Some(&tianshui)).await.status(), StatusCode::OK);
    assert_eq!(
        app.get(&format!("/activities/{}/edit", province.id), Some(&tianshui)).await.status(),
        StatusCode::FORBIDDEN
    );

    // The lead registered at 白银's meeting with the chambers shows on its page.
    let meeting = store.activity_by_name("白银市商会招商项目对接座谈会").await.unwrap().expect("the demo meeting");
    let leads = store.leads_of_activity(meeting.id).await.unwrap();
    assert_eq!(leads.len(), 1, "{leads:?}");
    let meeting_page = body_text(app.get(&format!("/activities/{}", meeting.id), Some(&baiyin)).await).await;
    assert!(meeting_page.contains(&format!("/leads/{}", leads[0].0)), "{meeting_page}");

    // A new name: the projects signed there follow it.
    let trip = store.activity_by_name("白银市赴北京、吉林招商考察").await.unwrap().expect("白银's 2023 trip");
    let signed_at = |name: &str| ProjectFilter { signing_activity: Some(name.to_string()), ..Default::default() };
    let signed = store.list_projects(&signed_at(&trip.name), ProjectSort::Code, 1000, 0).await.unwrap().len();
    let renamed = form(
        &csrf,
        &[
            ("name", "白银市赴京吉招商考察（2023年）"),
            ("kind", "外出招商"),
            ("start_on", "2023-05-08"),
            ("place", "北京、长春"),
            ("region", "620400"),
        ],
    );
    assert_eq!(
        app.post_form(&format!("/activities/{}", trip.id), &baiyin, &renamed).await.status(),
        StatusCode::SEE_OTHER
    );
    let following =
        store.list_projects(&signed_at("白银市赴京吉招商考察（2023年）"), ProjectSort::Code, 1000, 0).await.unwrap();
    assert_eq!(following.len(), signed);
    assert!(store.list_projects(&signed_at(&trip.name), ProjectSort::Code, 1, 0).await.unwrap().is_empty());

    // The export: SPEC's columns with the people and chambers; the import reads them back.
    let csv = body_text(app.get("/activities?region=620400&format=csv", Some(&baiyin)).await).await;
    let header_line = csv.lines().next().unwrap();
    assert!(
        header_line.contains("活动名称") && header_line.contains("参与商会") && header_line.contains("参与人员"),
        "{header_line}"
    );
    assert!(csv.contains("张三（领导）、李四（委员）、王五（干部）"), "{csv}");
    let file = format!(
        "活动名称,活动类型,开始日期,结束日期,地点,主办单位,参与商会,参与人员\n白银市导入活动,座谈会,2024-06-01,2024-06-01,白银市,白银市投资促进局,{chamber},赵六（领导）、钱七\n"
    );
    let imported =
        body_json(app.send(upload_request(&baiyin, &csrf, "activities", "活动.csv", file.as_bytes())).await).await;
    assert_eq!(imported["report"]["created"].as_u64(), Some(1), "{imported}");
    let read_back = store.activity_by_name("白银市导入活动").await.unwrap().unwrap();
    assert_eq!(read_back.region_code.as_deref(), Some("620400"), "a region user's import is its region's");
    assert_eq!(read_back.participants.len(), 2);
    let bad_people = file.replace("赵六（领导）", "赵六（司机）").replace("白银市导入活动", "白银市导入活动二");
    let refused =
        body_json(app.send(upload_request(&baiyin, &csrf, "activities", "活动.csv", bad_people.as_bytes())).await)
            .await;
    assert!(refused.to_string().contains("领导、干部或委员"), "{refused}");
    assert!(store.activity_by_name("白银市导入活动二").await.unwrap().is_none());
}

/// The `<td class="num">` cells of a cohort row as the page renders them.
fn cells(values: &[String]) -> String {
    values.iter().map(|v| format!("<td class=\"num\">{v}</td>")).collect()
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |rate| format!("{:.2}%", rate * 100.0))
}

async fn the_cohort_pages_equal_stats_cohort_for_every_demo_fair(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let admin = app.sign_in_demo("admin").await;
    let fairs = ActivityFilter { kind: Some("展会节会".into()), ..Default::default() };
    let (_, rows) = store.activities_page(&fairs, ActivitySort::Earliest, 100, 0).await.unwrap();
    let signed: Vec<_> = rows.into_iter().filter(|r| r.signed_count > 0).map(|r| r.activity).collect();
    assert!(signed.iter().any(|a| a.name == "第二十八届兰洽会") && signed.iter().any(|a| a.name == "第二十九届兰洽会"));
    let to = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
    let side_by_side = body_bytes(app.get(&format!("/activities/cohorts?to={to}"), Some(&admin)).await).await;
    let side_by_side = String::from_utf8(side_by_side).unwrap().replace('\n', "");
    for fair in &signed {
        let report = cohort_report(store, &fair.name, to).await.unwrap();
        let expected = cells(&[
            report.signed_count.to_string(),
            report.signed_investment_wan.clone(),
            report.funds_in_place_wan.clone(),
            percent(report.arrival_rate),
            report.started_count.to_string(),
            percent(report.start_rate),
            report.producing_count.to_string(),
            percent(report.completion_rate),
        ]);
        let response = app.get(&format!("/activities/{}/cohort?to={to}", fair.id), Some(&admin)).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", fair.name);
        let page = String::from_utf8(body_bytes(response).await).unwrap().replace('\n', "");
        let table = &page[page.find("id=\"cohort-report\"").unwrap()..];
        assert!(table[..table.find("</table>").unwrap()].contains(&expected), "{}: {expected}", fair.name);
        if fair.name.contains("兰洽会") {
            assert!(side_by_side.contains(&expected), "{} side by side", fair.name);
        }
        // By city: the cities' projects add up to the cohort.
        let by_region = &page[page.find("id=\"cohort-by-region\"").unwrap()..];
        let by_region = &by_region[..by_region.find("</table>").unwrap()];
        let counted: i64 = by_region
            .split("</td><td class=\"num\">")
            .skip(1)
            .step_by(8)
            .map(|cell| cell.split('<').next().unwrap().parse::<i64>().unwrap())
            .sum();
        assert_eq!(counted, report.signed_count, "{}", fair.name);
        // Signed but not started six months after the fair.
        let start = fair.start_on.unwrap();
        let due = start.checked_add_months(Months::new(6)).unwrap();
        let filter = ProjectFilter {
            signing_activity: Some(fair.name.clone()),
            exclude_dropped: true,
            signed_to: Some(to),
            ..Default::default()
        };
        let late = store
            .list_projects(&filter, ProjectSort::Code, 10_000, 0)
            .await
            .unwrap()
            .into_iter()
            .filter(|p| due <= to && p.data.started_on.is_none_or(|d| d > due))
            .count();
        assert!(page.contains(&format!("签约 6 个月后仍未开工的项目（{late}）")), "{}: {late}", fair.name);
    }
    // The picker: by default the 兰洽会 are shown and ticked; two fairs picked, those two.
    let picked = |page: &str| -> Vec<String> {
        page.split("data-activity=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect()
    };
    let ticked = |page: &str| page.matches(" checked>").count();
    let defaults = picked(&side_by_side);
    assert_eq!(ticked(&side_by_side), defaults.len());
    let (first, second) = (&signed[0], &signed[1]);
    let path = format!("/activities/cohorts?to={to}&fair={}&fair={}&fair={}", second.id, first.id, second.id);
    let two = body_text(app.get(&path, Some(&admin)).await).await;
    assert_eq!(picked(&two), [second.id.to_string(), first.id.to_string()]);
    assert_eq!(ticked(&two), 2);
    assert!(two.contains(&format!("name=\"fair\" value=\"{}\"", signed.last().unwrap().id)), "every fair offered");
    let member = app.sign_in_demo("member").await;
    assert_eq!(app.get("/activities/cohorts", Some(&member)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&format!("/activities/{}/cohort?months=0", signed[0].id), Some(&admin)).await.status(),
        StatusCode::BAD_REQUEST
    );
}

async fn a_lead_names_the_activity_it_was_registered_at(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let baiyin = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let own = store.activity_by_name("白银市赴北京招商对接（2024年）").await.unwrap().unwrap();
    let other = store.activity_by_name("天水市赴苏州、无锡招商考察（2024年）").await.unwrap().unwrap();
    // The form offers the activities the user reads, not another city's.
    let page = body_text(app.get("/leads/new", Some(&baiyin)).await).await;
    assert!(page.contains(&own.name) && page.contains("第二十九届兰洽会"), "its own and the province's");
    assert!(!page.contains(&other.name), "not 天水's");
    // The liaison reads no activities: no field.
    let liaison = app.sign_in_demo("liaison").await;
    assert!(!body_text(app.get("/leads/new", Some(&liaison)).await).await.contains("name=\"activity\""));

    let chamber = store.all_chambers().await.unwrap().remove(0).data.name;
    let lead = |activity: &str| {
        form(
            &csrf,
            &[
                ("chamber", &chamber),
                ("investor", "白银活动测试材料有限公司"),
                ("industry", "32"),
                ("region", "620400"),
                ("activity", activity),
            ],
        )
    };
    let count = store.lead_count(&Default::default()).await.unwrap();
    for bad in [other.id.to_string(), "abc".to_string(), "999999".to_string()] {
        let response = app.post_form("/leads", &baiyin, &lead(&bad)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(body_text(response).await.contains("请从列表中选择登记线索的招商活动"));
    }
    assert_eq!(store.lead_count(&Default::default()).await.unwrap(), count, "nothing written");
    let response = app.post_form("/leads", &baiyin, &lead(&own.id.to_string())).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let leads = store.leads_of_activity(own.id).await.unwrap();
    assert_eq!(leads.len(), 1);
    assert_eq!(leads[0].1, "白银活动测试材料有限公司");
    let page = body_text(app.get(&format!("/activities/{}", own.id), Some(&baiyin)).await).await;
    assert!(page.contains("白银活动测试材料有限公司"), "the activity's page lists it");
}
