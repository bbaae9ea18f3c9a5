//! 商会线索 over HTTP on the demo: a liaison registers a lead (into the pipeline as 线索,
//! attributed to its chamber and itself), a second liaison registering the same investor
//! is told it is already registered, each liaison sees only its chamber's leads, the
//! region records the clock's steps (CSRF, scope, in order) and the liaison reads the
//! answers, overdue steps reach the region's inbox and the supervision lists, and the
//! province settles the dispute, audited. Files on a lead: its liaison and the staff who
//! follow it add and remove them, its readers download them, another chamber's liaison
//! is told the lead does not exist.

mod common;

use axum::http::{header, StatusCode};
use chrono::Days;
use common::*;
use zhaoshang_app::leads::{register, LeadForm};
use zhaoshang_core::attachments::{sample_pdf, OwnerKind};
use zhaoshang_core::leads::{ClockDays, ClockRules};
use zhaoshang_store::{Actor, AuditFilter};
use zhaoshang_testkit::Backend;
use zhaoshang_web::auth::urlencode;

fn location(response: &axum::http::Response<axum::body::Body>) -> String {
    response.headers().get(header::LOCATION).expect("a redirect").to_str().unwrap().to_string()
}

/// The message of an error page.
fn error_message(page: &str) -> String {
    let start = page.find(r#"id="error-message">"#).expect("an error page") + r#"id="error-message">"#.len();
    page[start..start + page[start..].find('<').unwrap()].to_string()
}

fn lead_id(location: &str) -> i64 {
    location.trim_start_matches("/leads/").split('#').next().unwrap().parse().expect(location)
}

fn registration(csrf: &str, investor: &str, industry: &str, region: &str, amount: &str) -> String {
    format!(
        "csrf={csrf}&investor={}&industry={industry}&region={region}&amount_wan={amount}&contact={}&notes={}",
        urlencode(investor),
        urlencode("赵经理 13800000000"),
        urlencode("意向建设储能电池项目")
    )
}

on_both_backends!(
    liaisons_register_leads_the_region_answers_and_the_province_settles,
    the_liaison_attaches_files_to_its_lead_which_its_readers_download,
);

async fn liaisons_register_leads_the_region_answers_and_the_province_settles(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let today = zhaoshang_app::calendar::today();
    let liaison = app.sign_in_demo("liaison").await;
    let csrf = app.csrf(&liaison).await;

    // The form names the liaison's chamber; the registration enters the pipeline.
    let form = body_text(app.get("/leads/new", Some(&liaison)).await).await;
    assert!(form.contains("甘肃省浙江商会") && !form.contains(r#"name="chamber""#), "its own chamber, fixed");
    let registered = app
        .post_form("/leads", &liaison, &registration(&csrf, "兰州测试新能源有限公司", "38", "620402", "1234.5678"))
        .await;
    assert_eq!(registered.status(), StatusCode::SEE_OTHER);
    let first = lead_id(&location(&registered));
    let lead = store.lead(first).await.unwrap().unwrap();
    let calendar = app.state.app.calendar_cache().get(store).await.unwrap();
    assert_eq!((lead.source_name.as_str(), lead.referrer_name.as_str()), ("甘肃省浙江商会", "甘肃浙江商会联络员"));
    assert_eq!((lead.lead_on, lead.amount, lead.next_step.as_deref()), (today, 12_345_678, Some("acknowledged")));
    assert_eq!(lead.next_due_on, Some(calendar.add_working_days(today, 1).unwrap().value));
    let project = store.project(lead.project_id.unwrap()).await.unwrap().unwrap().data;
    assert_eq!((project.stage.as_str(), project.source.as_str()), ("lead", "商会"));
    assert_eq!((project.source_org.as_str(), project.lead_on), ("甘肃省浙江商会", Some(today)));
    assert_eq!((project.region_code.as_str(), project.industry.as_str()), ("620402", "38"));
    assert_eq!(project.total_investment, 12_345_678);
    assert!(project.code.starts_with(&format!("XS-{}-", today.format("%Y%m%d"))), "{}", project.code);

    // A bad form comes back with its problems, nothing stored.
    let count = store.lead_count(&Default::default()).await.unwrap();
    let bad = app.post_form("/leads", &liaison, &registration(&csrf, "", "A", "999999", "-1")).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = body_text(bad).await;
    assert!(bad.contains("请填写投资方名称") && bad.contains("请选择意向行业") && bad.contains("意向投资额应为"));
    assert_eq!(store.lead_count(&Default::default()).await.unwrap(), count);

    // A second liaison registering a similar name in the same industry is told who has it.
    let second = app.sign_in_demo("liaison2").await;
    let second_csrf = app.csrf(&second).await;
    let again = app
        .post_form("/leads", &second, &registration(&second_csrf, "兰州测试新能源股份有限公司", "38", "620502", "800"))
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let refused = lead_id(&location(&again));
    let page = body_text(app.get(&format!("/leads/{refused}"), Some(&second)).await).await;
    assert!(page.contains(&format!("该投资方已由甘肃省浙江商会于 {today} 登记")), "{page}");
    assert!(page.contains("已被登记"));
    let stored = store.lead(refused).await.unwrap().unwrap();
    assert_eq!((stored.project_id, stored.duplicate_of), (None, Some(first)), "not attributed to the second");
    // Another industry is another intent.
    let other = app
        .post_form("/leads", &second, &registration(&second_csrf, "兰州测试新能源股份有限公司", "44", "620502", "800"))
        .await;
    assert!(store.lead(lead_id(&location(&other))).await.unwrap().unwrap().project_id.is_some());

    // Staff register on a chamber's behalf, a region user within its region only.
    let baiyin = app.sign_in_demo("baiyin").await;
    let baiyin_csrf = app.csrf(&baiyin).await;
    let on_behalf = |region: &str| {
        let form = registration(&baiyin_csrf, "白银代报测试材料有限公司", "30", region, "100");
        format!("{form}&chamber={}", urlencode("上海市甘肃商会"))
    };
    assert_eq!(app.post_form("/leads", &baiyin, &on_behalf("620502")).await.status(), StatusCode::FORBIDDEN);
    let behalf = app.post_form("/leads", &baiyin, &on_behalf("620402")).await;
    let behalf = store.lead(lead_id(&location(&behalf))).await.unwrap().unwrap();
    assert_eq!((behalf.source_name.as_str(), behalf.referrer_name.as_str()), ("上海市甘肃商会", "白银市投资促进局"));

    // Each liaison sees its chamber's leads only; outside roles see none.
    let list = body_text(app.get("/leads", Some(&liaison)).await).await;
    assert!(list.contains("兰州测试新能源有限公司") && list.contains("浙江海天新材料有限公司"));
    assert!(!list.contains("上海申嘉智能装备有限公司") && !list.contains("兰州测试新能源股份有限公司"));
    // Another chamber's lead is to a liaison what a lead that does not exist is.
    for cookie in [&liaison, &second] {
        let missing = app.get("/leads/999999", Some(cookie)).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_eq!(error_message(&body_text(missing).await), "未找到该线索");
    }
    for other in [
        app.get(&format!("/leads/{first}"), Some(&second)).await,
        app.get(&format!("/leads/{refused}"), Some(&liaison)).await,
    ] {
        assert_eq!(other.status(), StatusCode::NOT_FOUND);
        assert_eq!(error_message(&body_text(other).await), "未找到该线索");
    }
    assert_eq!(app.get("/leads?overdue=1", Some(&liaison)).await.status(), StatusCode::FORBIDDEN);
    for outsider in ["investor", "reviewer"] {
        let cookie = app.sign_in_demo(outsider).await;
        assert_eq!(app.get("/leads", Some(&cookie)).await.status(), StatusCode::FORBIDDEN, "{outsider}");
        assert_eq!(app.get(&format!("/leads/{first}"), Some(&cookie)).await.status(), StatusCode::FORBIDDEN);
    }

    // The region that follows the lead records its steps, in order, with the form's token.
    let tianshui = app.sign_in_demo("tianshui").await;
    let tianshui_csrf = app.csrf(&tianshui).await;
    let step = |csrf: &str, step: &str, answer: &str| format!("csrf={csrf}&step={step}&answer={}", urlencode(answer));
    let steps = format!("/leads/{first}/steps");
    let elsewhere = app.post_form(&steps, &tianshui, &step(&tianshui_csrf, "acknowledged", "越权")).await;
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);
    let forged = app.post_form(&steps, &baiyin, &step(&"0".repeat(64), "acknowledged", "伪造")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let empty = app.post_form(&steps, &baiyin, &step(&baiyin_csrf, "acknowledged", " ")).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(empty).await.contains("请填写受理的答复"));
    let by_liaison = app.post_form(&steps, &liaison, &step(&csrf, "acknowledged", "自己受理")).await;
    assert_eq!(by_liaison.status(), StatusCode::FORBIDDEN);
    assert!(store.lead_steps(first).await.unwrap().is_empty(), "nothing recorded yet");
    let acknowledged =
        app.post_form(&steps, &baiyin, &step(&baiyin_csrf, "acknowledged", "已受理，转白银区跟进")).await;
    assert_eq!(acknowledged.status(), StatusCode::SEE_OTHER);
    let stale = app.post_form(&steps, &baiyin, &step(&baiyin_csrf, "acknowledged", "重复提交")).await;
    assert_eq!(stale.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let recorded = store.lead_steps(first).await.unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].step.as_str(), recorded[0].done_on), ("acknowledged", today));
    assert_eq!(recorded[0].recorded_by, "baiyin");
    let lead = store.lead(first).await.unwrap().unwrap();
    assert_eq!(lead.next_step.as_deref(), Some("assessed"));
    assert_eq!(lead.next_due_on, Some(calendar.add_working_days(today, ClockDays::default().assessed).unwrap().value));
    let seen = body_text(app.get(&format!("/leads/{first}"), Some(&liaison)).await).await;
    assert!(seen.contains("已受理，转白银区跟进") && seen.contains("按时完成"), "the liaison reads the answer");
    assert!(!seen.contains("step-form"), "and records nothing");
    let audit = AuditFilter {
        entity: Some("lead_step".into()),
        actor: Some("baiyin".into()),
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    let (entries, _) = store.audit_entries(&audit).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_name, "baiyin");

    // A lead registered a month ago and never acknowledged: red in 白银's inbox and on the
    // supervision lists of 白银 and the province, not on 天水's.
    let liaison_user = store.user_by_name("liaison").await.unwrap().unwrap();
    let month_ago = today.checked_sub_days(Days::new(30)).unwrap();
    let late = LeadForm {
        investor: "逾期测试化工有限公司".into(),
        industry: "26".into(),
        region: "620403".into(),
        ..Default::default()
    };
    let principal = zhaoshang_app::accounts::principal_of(&liaison_user);
    let actor = Actor::user(liaison_user.id, &liaison_user.display_name);
    register(store, &calendar, &principal, &actor, &late, month_ago).await.unwrap().unwrap();
    let inbox = body_text(app.get("/inbox", Some(&baiyin)).await).await;
    let row = inbox.find("逾期测试化工有限公司：受理").expect("the overdue step in the inbox");
    let red = inbox[..row].rfind("data-urgency=").unwrap();
    assert!(inbox[red..].starts_with(r#"data-urgency="red""#), "{}", &inbox[red..row]);
    for (cookie, shown) in [(&baiyin, true), (&app.sign_in_demo("admin").await, true), (&tianshui, false)] {
        let supervision = body_text(app.get("/leads?overdue=1", Some(cookie)).await).await;
        assert_eq!(supervision.contains("逾期测试化工有限公司"), shown);
        assert!(!supervision.contains("兰州测试新能源有限公司"), "its next step is not yet due");
    }

    // The province settles the dispute: the lead goes to the second chamber, audited.
    let admin = app.sign_in_demo("admin").await;
    let admin_csrf = app.csrf(&admin).await;
    let settle = format!("/leads/{first}/attribution");
    let by_region = app.post_form(&settle, &baiyin, &format!("csrf={baiyin_csrf}&registration={refused}")).await;
    assert_eq!(by_region.status(), StatusCode::FORBIDDEN);
    let settled = app.post_form(&settle, &admin, &format!("csrf={admin_csrf}&registration={refused}")).await;
    assert_eq!(settled.status(), StatusCode::SEE_OTHER);
    let lead = store.lead(first).await.unwrap().unwrap();
    assert_eq!((lead.source_name.as_str(), lead.referrer_name.as_str()), ("上海市甘肃商会", "上海市甘肃商会联络员"));
    let project = store.project(lead.project_id.unwrap()).await.unwrap().unwrap().data;
    assert_eq!(project.source_org, "上海市甘肃商会");
    assert_eq!(store.lead(refused).await.unwrap().unwrap().source_name, "甘肃省浙江商会", "the loser on record");
    assert_eq!(app.get(&format!("/leads/{first}"), Some(&second)).await.status(), StatusCode::OK);
    assert_eq!(app.get(&format!("/leads/{first}"), Some(&liaison)).await.status(), StatusCode::NOT_FOUND);
    let audit = AuditFilter {
        entity: Some("lead".into()),
        action: Some("update".into()),
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    // (The demo's own lead linked to its activity is an update too.)
    let (entries, _) = store.audit_entries(&audit).await.unwrap();
    let mut settled: Vec<&str> =
        entries.iter().filter(|e| e.actor_name == "admin").map(|e| e.entity_id.as_str()).collect();
    settled.sort_unstable();
    let mut both = [first.to_string(), refused.to_string()];
    both.sort_unstable();
    assert_eq!(settled, both, "both registrations' holders");

    // The administrator ties a new liaison to a chamber of the registry, and no other.
    let new_liaison = |name: &str, chamber: &str| {
        format!(
            "csrf={admin_csrf}&username={name}&role=liaison&chamber={}&password=liaison-password-1",
            urlencode(chamber)
        )
    };
    let unknown = app.post_form("/admin/users", &admin, &new_liaison("liaison3", "不存在的商会")).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(unknown).await.contains("商会“不存在的商会”不在商会名录中"));
    let created = app.post_form("/admin/users", &admin, &new_liaison("liaison3", "上海市甘肃商会")).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let liaison3 = store.user_by_name("liaison3").await.unwrap().unwrap();
    assert_eq!(liaison3.chamber_id, lead.chamber_id, "the chamber the settled lead now belongs to");

    // The administrator sets the clock and the window; a bad value is refused.
    let bad = app
        .post_form("/leads/settings", &admin, &format!("csrf={admin_csrf}&clock_days=5,3,1,10&protection_days=90"))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let set = app
        .post_form("/leads/settings", &admin, &format!("csrf={admin_csrf}&clock_days=2,4,6,15&protection_days=90"))
        .await;
    assert_eq!(set.status(), StatusCode::SEE_OTHER);
    let settings = app.state.app.lead_settings().await.unwrap();
    assert_eq!((settings.clock.standard.stored(), settings.protection_days), ("2,4,6,15".to_string(), 90));
    assert_eq!(settings.clock.major, ClockRules::default().major, "major leads keep theirs when not given");
    // Major leads: their own days and threshold; a bad threshold changes nothing.
    let major = format!(
        "csrf={admin_csrf}&clock_days=2,4,6,15&major_clock_days=1,1,2,5&major_from_wan=50000&protection_days=90"
    );
    assert_eq!(app.post_form("/leads/settings", &admin, &major).await.status(), StatusCode::SEE_OTHER);
    let settings = app.state.app.lead_settings().await.unwrap();
    assert_eq!(settings.clock.major.stored(), "1,1,2,5");
    assert_eq!(settings.clock.major_from, zhaoshang_core::money::Yuan(5 * zhaoshang_core::money::YUAN_PER_YI));
    let bad_from = format!("csrf={admin_csrf}&clock_days=2,4,6,15&major_from_wan=0&protection_days=90");
    assert_eq!(app.post_form("/leads/settings", &admin, &bad_from).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.state.app.lead_settings().await.unwrap().clock, settings.clock);
    let page = body_text(app.get("/leads", Some(&admin)).await).await;
    assert!(page.contains(r#"name="major_clock_days" value="1,1,2,5""#) && page.contains(r#"value="50000.00""#));
    let refused_settings = app
        .post_form("/leads/settings", &baiyin, &format!("csrf={baiyin_csrf}&clock_days=1,3,5,10&protection_days=180"))
        .await;
    assert_eq!(refused_settings.status(), StatusCode::FORBIDDEN);
}

async fn the_liaison_attaches_files_to_its_lead_which_its_readers_download(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let liaison = app.sign_in_demo("liaison").await;
    let csrf = app.csrf(&liaison).await;
    let registered = app
        .post_form("/leads", &liaison, &registration(&csrf, "兰州附件测试能源有限公司", "38", "620402", "800"))
        .await;
    let id = lead_id(&location(&registered));
    let key = id.to_string();
    // Right after the registration its page offers the upload.
    let page = body_text(app.get(&format!("/leads/{id}"), Some(&liaison)).await).await;
    assert!(page.contains(r#"id="attachments-none""#) && page.contains(r#"id="attachment-form""#));
    let uri = format!("/leads/{id}/attachments");
    let pdf = sample_pdf("investor profile");
    let hostile = "<img src=x onerror=alert(1)>简介.pdf";

    // A forged token, another chamber's liaison, a reader who may not write: nothing stored.
    let second = app.sign_in_demo("liaison2").await;
    let second_csrf = app.csrf(&second).await;
    let leader = app.sign_in_demo("leader").await;
    let leader_csrf = app.csrf(&leader).await;
    let before = store.change_stamp().await.unwrap();
    let forged = multipart_request(&uri, Some(&liaison), &[("csrf", "forged")], &[("a.pdf", &pdf)]);
    assert_eq!(app.send(forged).await.status(), StatusCode::FORBIDDEN);
    let missing =
        multipart_request("/leads/999999/attachments", Some(&second), &[("csrf", &second_csrf)], &[("a.pdf", &pdf)]);
    let missing = app.send(missing).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let missing = body_text(missing).await;
    let other = app.send(multipart_request(&uri, Some(&second), &[("csrf", &second_csrf)], &[("a.pdf", &pdf)])).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let other = body_text(other).await;
    assert_eq!(error_message(&other), "未找到该线索");
    assert_eq!(other, missing, "another chamber's lead is as a missing one");
    let by_leader = multipart_request(&uri, Some(&leader), &[("csrf", &leader_csrf)], &[("a.pdf", &pdf)]);
    assert_eq!(app.send(by_leader).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "no refusal stores anything");

    // The liaison attaches a file; its name is shown escaped.
    let added = app.send(multipart_request(&uri, Some(&liaison), &[("csrf", &csrf)], &[(hostile, &pdf)])).await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&added), format!("/leads/{id}#attachments"));
    let file = store.attachments_of(OwnerKind::Lead, &key).await.unwrap().pop().expect("the file");
    assert_eq!((file.file_name.as_str(), file.uploaded_by.as_str()), (hostile, "liaison"));
    let page = body_text(app.get(&format!("/leads/{id}"), Some(&liaison)).await).await;
    assert!(!page.contains(hostile) && page.contains("&lt;img src=x onerror=alert(1)&gt;简介.pdf"));
    assert!(page.contains("attachment-delete"), "the liaison who registered it may remove it");

    // Its readers download it: the region that follows it, the leader; not another city's
    // staff nor another chamber's liaison, who may not remove it either.
    let download = format!("/attachments/{}", file.id);
    for reader in [&liaison, &app.sign_in_demo("baiyin").await, &leader] {
        let response = app.get(&download, Some(reader)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_bytes(response).await, pdf);
    }
    let leader_page = body_text(app.get(&format!("/leads/{id}"), Some(&leader)).await).await;
    assert!(leader_page.contains("简介.pdf") && !leader_page.contains("attachment-form"));
    let tianshui = app.sign_in_demo("tianshui").await;
    let tianshui_csrf = app.csrf(&tianshui).await;
    let delete = format!("/attachments/{}/delete", file.id);
    let before = store.change_stamp().await.unwrap();
    for (cookie, token) in [(&second, &second_csrf), (&tianshui, &tianshui_csrf)] {
        assert_eq!(app.get(&download, Some(cookie)).await.status(), StatusCode::NOT_FOUND);
        let refused = app.post_form(&delete, cookie, &format!("csrf={token}")).await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);
        assert!(!body_text(refused).await.contains("兰州附件测试"), "nothing of the lead is told");
    }
    let by_leader = app.post_form(&delete, &leader, &format!("csrf={leader_csrf}")).await;
    assert_eq!(by_leader.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "refused requests change nothing");

    // The liaison removes it; both changes are audited under its name.
    let removed = app.post_form(&delete, &liaison, &format!("csrf={csrf}")).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&removed), format!("/leads/{id}#attachments"));
    assert!(store.attachments_of(OwnerKind::Lead, &key).await.unwrap().is_empty());
    let filter = AuditFilter { entity: Some("attachment".into()), per_page: 50, ..Default::default() };
    let (entries, _) = store.audit_entries(&filter).await.unwrap();
    let file_id = file.id.to_string();
    let of_it: Vec<_> =
        entries.iter().filter(|e| e.entity_id == file_id).map(|e| (e.action.as_str(), e.actor_name.as_str())).collect();
    assert_eq!(of_it, [("delete", "liaison"), ("create", "liaison")]);

    // The demo's leads carry the investor's introduction.
    let demo_files = store.leads_page(&Default::default(), 100, 0).await.unwrap();
    let mut with_files = 0;
    for lead in demo_files.iter().filter(|lead| lead.id != id) {
        with_files += store.attachments_of(OwnerKind::Lead, &lead.id.to_string()).await.unwrap().len();
    }
    assert_eq!(with_files, 2);
}
