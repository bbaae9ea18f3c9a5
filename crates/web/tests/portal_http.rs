//! The public portal on both backends, as a visitor without an account meets it: the
//! front page in Chinese and English, an enquiry about a parcel on offer that becomes a
//! lead of the parcel's region (source 网上选地, its clock running, in the region's
//! list), answered there and read back by the tracking code; an interest in an
//! achievement of the published pool becomes a lead of the province (转化池, with its
//! institution). An enterprise files an appeal, follows each step of its course by
//! its tracking code and rates the answer there (不满意 reopens it). Forged, robot-filled, incomplete and too frequent enquiries store
//! nothing, and what a visitor typed is escaped wherever it shows.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use zhaoshang_store::parcels::{ParcelFilter, ParcelSort};
use zhaoshang_testkit::Backend;

on_both_backends!(
    the_front_page_lists_parks_parcels_and_the_pool_in_both_languages,
    an_enquiry_about_a_parcel_is_a_lead_the_region_answers_and_the_visitor_reads,
    an_interest_in_an_achievement_is_a_lead_of_the_pool_with_its_institution,
    forged_robotic_incomplete_and_too_frequent_enquiries_store_nothing,
    what_a_visitor_typed_is_escaped_where_it_shows,
    an_enterprise_files_an_appeal_follows_its_course_and_rates_the_answer,
    a_project_put_forward_is_on_the_portal_and_its_enquiries_reach_its_region,
    an_investor_keeps_a_shortlist_of_its_own,
);

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A page with the enquiry form: its `zs_portal` cookie and the form's token.
async fn form_token(app: &TestApp, path: &str) -> (String, String) {
    let response = app.get(path, None).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let cookie = response.headers().get(header::SET_COOKIE).expect("the form's cookie").to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();
    let html = body_text(response).await;
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).expect("the enquiry form") + marker.len();
    let token = html[start..start + 64].to_string();
    assert_eq!(cookie, format!("zs_portal={token}"));
    (cookie, token)
}

fn enquiry(subject: &str, token: &str, organisation: &str, message: &str) -> String {
    format!(
        "csrf={token}&lang=zh&subject={}&organisation={}&person=%E7%8E%8B%E5%85%88%E7%94%9F&contact=13800000000&amount_wan=20000&message={}&website=",
        urlencode(subject),
        urlencode(organisation),
        urlencode(message)
    )
}

async fn post(app: &TestApp, cookie: &str, body: &str) -> axum::response::Response {
    let request = Request::post("/portal/enquiries")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

/// A demo parcel on offer in 白银 (620400), which the demo's `baiyin` user follows.
async fn baiyin_parcel(app: &TestApp) -> String {
    let filter =
        ParcelFilter { status: Some("available".into()), region_prefix: Some("6204".into()), ..Default::default() };
    let parcels = app.store().parcels_page(&filter, ParcelSort::Code, 1, 0).await.unwrap();
    parcels.first().expect("a demo parcel on offer in 白银").data.code.clone()
}

async fn lead_count(app: &TestApp) -> i64 {
    app.store().lead_count(&Default::default()).await.unwrap()
}

async fn the_front_page_lists_parks_parcels_and_the_pool_in_both_languages(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let chinese = body_text(app.get("/portal", None).await).await;
    assert!(chinese.contains(r#"<html lang="zh-CN">"#) && chinese.contains("可供地块"));
    assert!(chinese.contains("兰州新区"), "the demo's parks");
    assert!(chinese.contains("/portal/parcels/") && chinese.contains("/portal/achievements/2023/"));
    let english = body_text(app.get("/portal?lang=en", None).await).await;
    assert!(english.contains(r#"<html lang="en">"#));
    for words in ["Gansu Investment Portal", "Industrial parks", "Available parcels", "Technology transfer pool"] {
        assert!(english.contains(words), "{words}");
    }
    assert!(!english.contains("可供地块"), "no Chinese heading left in English");
    assert!(english.contains("?lang=en"), "links keep the language");
    let parcel = baiyin_parcel(&app).await;
    let page = body_text(app.get(&format!("/portal/parcels/{parcel}?lang=en"), None).await).await;
    assert!(page.contains("Send enquiry") && page.contains(r#"name="lang" value="en""#));
    // A parcel not on offer is nobody's business on the portal, signed in or not.
    let filter = ParcelFilter { status: Some("intended".into()), ..Default::default() };
    let intended = app.store().parcels_page(&filter, ParcelSort::Code, 1, 0).await.unwrap();
    let admin = app.sign_in_demo("admin").await;
    let hidden = format!("/portal/parcels/{}", intended[0].data.code);
    assert_eq!(app.get(&hidden, Some(&admin)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/portal/achievements/2024/X", None).await.status(), StatusCode::NOT_FOUND, "no 2024 pool yet");
}

async fn an_enquiry_about_a_parcel_is_a_lead_the_region_answers_and_the_visitor_reads(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let parcel = baiyin_parcel(&app).await;
    let (cookie, token) = form_token(&app, &format!("/portal/parcels/{parcel}")).await;
    let response =
        post(&app, &cookie, &enquiry(&format!("parcel:{parcel}"), &token, "浙江某新材料有限公司", "想了解供电容量"))
            .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[header::LOCATION].to_str().unwrap().to_string();
    let code = location.strip_prefix("/portal/track/").expect("to the tracking page").to_string();
    assert_eq!(code.len(), 12);

    let lead = app.store().lead_by_tracking_code(&code).await.unwrap().expect("the enquiry is a lead");
    assert_eq!((lead.channel.as_str(), lead.chamber_id, lead.source_name.as_str()), ("网上选地", None, "网上选地"));
    assert_eq!(lead.subject, format!("地块 {parcel}"));
    assert_eq!((lead.investor.as_str(), lead.contact.as_str()), ("浙江某新材料有限公司", "13800000000"));
    assert_eq!(lead.next_step.as_deref(), Some("acknowledged"), "its clock runs from today");
    assert!(lead.region_code.starts_with("6204"), "followed where the parcel lies");
    let project = app.store().project_by_code(lead.project_code.as_deref().unwrap()).await.unwrap().unwrap();
    assert_eq!((project.data.stage.as_str(), project.data.source.as_str()), ("lead", "网上选地"));
    assert_eq!(project.data.total_investment, 200_000_000, "2 亿元 intended");

    // The visitor's page shows the enquiry and that no answer has come yet.
    let tracked = body_text(app.get(&location, None).await).await;
    assert!(tracked.contains(&code) && tracked.contains(&format!("地块 {parcel}")));
    assert!(tracked.contains("尚未答复"));

    // 白银 sees it among its leads and acknowledges it; 天水 does not see it.
    let baiyin = app.sign_in_demo("baiyin").await;
    let list = body_text(app.get("/leads", Some(&baiyin)).await).await;
    assert!(list.contains("浙江某新材料有限公司") && list.contains("网上选地"));
    let tianshui = app.sign_in_demo("tianshui").await;
    assert_eq!(app.get(&format!("/leads/{}", lead.id), Some(&tianshui)).await.status(), StatusCode::FORBIDDEN);
    let csrf = app.csrf(&baiyin).await;
    let answer = "已受理，白银高新区招商局将于三日内联系您";
    let step = format!("csrf={csrf}&step=acknowledged&answer={}", urlencode(answer));
    let recorded = app.post_form(&format!("/leads/{}/steps", lead.id), &baiyin, &step).await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);

    // The visitor reads the answer, in either language, with the code in any case.
    let tracked = body_text(app.get(&format!("/portal/track/{}?lang=en", code.to_lowercase()), None).await).await;
    assert!(tracked.contains(answer) && tracked.contains("Answers"), "{tracked}");
    let by_form = app.get(&format!("/portal/track?code={code}"), None).await;
    assert_eq!(by_form.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/portal/track/ABCDEFGHJKMN", None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/portal/track/%3Cscript%3E", None).await.status(), StatusCode::NOT_FOUND);
}

async fn an_interest_in_an_achievement_is_a_lead_of_the_pool_with_its_institution(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let pool = app.state.app.published_pool(Some("2023")).await.unwrap();
    let item = &pool.industries[0].items[0];
    let path = format!("/portal/achievements/2023/{}", item.data.code);
    let (cookie, token) = form_token(&app, &path).await;
    let subject = format!("achievement:2023:{}", item.data.code);
    let response = post(&app, &cookie, &enquiry(&subject, &token, "某投资基金", "希望对接成果转化")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let code = response.headers()[header::LOCATION].to_str().unwrap().trim_start_matches("/portal/track/").to_string();
    let lead = app.store().lead_by_tracking_code(&code).await.unwrap().unwrap();
    assert_eq!(lead.channel, "转化池");
    assert_eq!(lead.region_code, "620000", "the province follows the pool's enquiries");
    let project = app.store().project_by_code(lead.project_code.as_deref().unwrap()).await.unwrap().unwrap();
    assert_eq!(
        (project.data.source.as_str(), project.data.source_org.as_str()),
        ("转化池", item.data.institution.as_str())
    );
    assert_eq!(project.data.industry, item.data.industry);
}

async fn forged_robotic_incomplete_and_too_frequent_enquiries_store_nothing(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let parcel = baiyin_parcel(&app).await;
    let subject = format!("parcel:{parcel}");
    let (cookie, token) = form_token(&app, &format!("/portal/parcels/{parcel}")).await;
    let before = lead_count(&app).await;

    let forged = post(&app, "zs_portal=", &enquiry(&subject, "", "甲公司", "问")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let other_token = post(&app, &cookie, &enquiry(&subject, &"0".repeat(64), "甲公司", "问")).await;
    assert_eq!(other_token.status(), StatusCode::FORBIDDEN);
    let robot = post(&app, &cookie, &enquiry(&subject, &token, "甲公司", "问").replace("website=", "website=x")).await;
    assert_eq!(robot.status(), StatusCode::BAD_REQUEST);
    let incomplete = post(&app, &cookie, &enquiry(&subject, &token, " ", "")).await;
    assert_eq!(incomplete.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = body_text(incomplete).await;
    assert!(text.contains("请填写投资方") && text.contains("请填写咨询内容"), "{text}");
    let unknown = post(&app, &cookie, &enquiry("parcel:NO-SUCH", &token, "甲公司", "问")).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let malformed = post(&app, &cookie, &enquiry("park:abc", &token, "甲公司", "问")).await;
    assert_eq!(malformed.status(), StatusCode::NOT_FOUND);
    assert_eq!(lead_count(&app).await, before, "nothing stored");

    // Five enquiries from one address pass in ten minutes, whatever became of them: the
    // incomplete and the unknown ones above count, so two more pass and then none.
    let mut statuses = Vec::new();
    for n in 0..4 {
        let response = post(&app, &cookie, &enquiry(&subject, &token, &format!("公司{n}"), "问")).await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [303, 303, 429, 429]);
    assert_eq!(lead_count(&app).await - before, 2);
}

async fn what_a_visitor_typed_is_escaped_where_it_shows(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let parcel = baiyin_parcel(&app).await;
    let (cookie, token) = form_token(&app, &format!("/portal/parcels/{parcel}")).await;
    let hostile = "<script>alert(1)</script>";
    let response = post(&app, &cookie, &enquiry(&format!("parcel:{parcel}"), &token, hostile, hostile)).await;
    let location = response.headers()[header::LOCATION].to_str().unwrap().to_string();
    let tracked = body_text(app.get(&location, None).await).await;
    assert!(!tracked.contains(hostile) && tracked.contains("&lt;script&gt;"));
    let code = location.trim_start_matches("/portal/track/");
    let lead = app.store().lead_by_tracking_code(code).await.unwrap().unwrap();
    let baiyin = app.sign_in_demo("baiyin").await;
    for page in ["/leads".to_string(), format!("/leads/{}", lead.id)] {
        let html = body_text(app.get(&page, Some(&baiyin)).await).await;
        assert!(!html.contains(hostile) && html.contains("&lt;script&gt;"), "{page}");
    }
}

async fn an_enterprise_files_an_appeal_follows_its_course_and_rates_the_answer(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let (cookie, token) = form_token(&app, "/portal/appeals/new").await;
    let form = |enterprise: &str, region: &str, content: &str| {
        format!(
            "csrf={token}&lang=zh&enterprise={}&credit_code=&region={region}&dimension=market&category={}&content={}&contact=0943-1234567&website=",
            urlencode(enterprise),
            urlencode("市场监管"),
            urlencode(content)
        )
    };
    let post_appeal = |body: String| {
        let request = Request::post("/portal/appeals")
            .header(header::COOKIE, cookie.clone())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        app.send(request)
    };
    let before = app.store().count_appeals(&Default::default()).await.unwrap();
    let incomplete = post_appeal(form("", "", "")).await;
    assert_eq!(incomplete.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body_text(incomplete).await;
    assert!(html.contains("请选择企业所在的县区") && html.contains("0943-1234567"), "errors shown, values kept");
    assert_eq!(app.store().count_appeals(&Default::default()).await.unwrap(), before, "nothing stored");

    let filed = post_appeal(form("白银某化工有限公司", "620402", "环评审批超过承诺时限仍未办结")).await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let location = filed.headers()[header::LOCATION].to_str().unwrap().to_string();
    let code = location.trim_start_matches("/portal/track/").to_string();
    let appeal = app.store().appeal_by_tracking_code(&code).await.unwrap().expect("the appeal is filed");
    let today = zhaoshang_app::calendar::today();
    assert_eq!((appeal.data.region_code.as_str(), appeal.data.received_on), ("620402", today));
    assert!(appeal.data.code.starts_with("SQ620402-"), "{}", appeal.data.code);
    assert_eq!(app.store().appeal_contact(&appeal.data.code).await.unwrap(), "0943-1234567");
    let tracked = body_text(app.get(&location, None).await).await;
    assert!(
        tracked.contains(&appeal.data.code) && tracked.contains("办理中") && !tracked.contains("portal-rating-form")
    );

    // 白银 transfers it to a department and answers; the enterprise sees both.
    let baiyin = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let steps = format!("/appeals/{}/steps", appeal.data.code);
    let step = |body: &str| format!("csrf={csrf}&{body}");
    let page = body_text(app.get(&format!("/appeals/{}", appeal.data.code), Some(&baiyin)).await).await;
    assert!(page.contains("0943-1234567（门户提交）"), "the department sees how to reach the enterprise");
    let transfer = step(&format!(
        "action=transfer&department={}&text={}",
        urlencode("白银区市场监管局"),
        urlencode("属市场监管职责")
    ));
    assert_eq!(app.post_form(&steps, &baiyin, &transfer).await.status(), StatusCode::SEE_OTHER);
    let answer = step(&format!("action=answer&text={}", urlencode("已协调环评审批，本周内办结")));
    assert_eq!(app.post_form(&steps, &baiyin, &answer).await.status(), StatusCode::SEE_OTHER);
    let tracked = body_text(app.get(&location, None).await).await;
    assert!(tracked.contains("白银区市场监管局") && tracked.contains("已协调环评审批，本周内办结"), "{tracked}");
    assert!(tracked.contains("portal-rating-form"), "the enterprise may rate the answer now");

    // Without the page's token the rating is refused; 不满意 reopens the appeal once.
    let rating = |token: &str, rating: &str| format!("csrf={token}&lang=zh&rating={rating}&website=");
    let rate = |cookie: String, body: String| {
        let request = Request::post(format!("{location}/rating"))
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        app.send(request)
    };
    let forged = rate("zs_portal=x".into(), rating("y", "satisfied")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let (track_cookie, track_token) = form_token(&app, &location).await;
    let rated = rate(track_cookie.clone(), rating(&track_token, "dissatisfied")).await;
    assert_eq!(rated.status(), StatusCode::SEE_OTHER);
    let reopened = app.store().appeal_by_tracking_code(&code).await.unwrap().unwrap();
    assert!(reopened.flow_state().reopened && reopened.flow_state().is_open(), "不满意 reopens it");
    let again = rate(track_cookie, rating(&track_token, "satisfied")).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "nothing to rate while it is handled again");

    // Answered again, rated 满意 and closed by 白银: the enterprise sees it closed.
    let answer = step(&format!("action=answer&text={}", urlencode("环评批复已送达企业")));
    assert_eq!(app.post_form(&steps, &baiyin, &answer).await.status(), StatusCode::SEE_OTHER);
    let (track_cookie, track_token) = form_token(&app, &location).await;
    assert_eq!(rate(track_cookie, rating(&track_token, "satisfied")).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.post_form(&steps, &baiyin, &step("action=close")).await.status(), StatusCode::SEE_OTHER);
    let tracked = body_text(app.get(&format!("{location}?lang=en"), None).await).await;
    assert!(tracked.contains("已办结") && tracked.contains("满意") && tracked.contains("Course"), "{tracked}");
}

async fn a_project_put_forward_is_on_the_portal_and_its_enquiries_reach_its_region(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let front = body_text(app.get("/portal", None).await).await;
    assert!(front.contains("推介项目") && front.contains("/portal/projects/"), "the demo puts projects forward");

    // 白银 puts one of its projects forward; 天水 may not touch it.
    let store = app.store();
    let code = store.project_codes_of_region("620402").await.unwrap().remove(0);
    let project = store.project_by_code(&code).await.unwrap().unwrap();
    let path = format!("/projects/{}/promotion", project.id);
    let portal = format!("/portal/projects/{code}");
    assert_eq!(app.get(&portal, None).await.status(), StatusCode::NOT_FOUND, "not put forward yet");
    let baiyin = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let tianshui = app.sign_in_demo("tianshui").await;
    let tianshui_csrf = app.csrf(&tianshui).await;
    let pitch = "年产 10 万吨铜箔项目，配套白银铜资源，寻求战略投资者";
    let refused = app.post_form(&path, &tianshui, &format!("csrf={tianshui_csrf}&pitch={}", urlencode(pitch))).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let forged = app.post_form(&path, &baiyin, &format!("csrf={}&pitch=x", "0".repeat(64))).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let long = app.post_form(&path, &baiyin, &format!("csrf={csrf}&pitch={}", "长".repeat(501))).await;
    assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(long).await.contains("推介说明不超过500个字"));
    assert_eq!(app.get(&portal, None).await.status(), StatusCode::NOT_FOUND, "nothing changed");
    let saved = app.post_form(&path, &baiyin, &format!("csrf={csrf}&pitch={}", urlencode(pitch))).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = body_text(app.get(&format!("{portal}?lang=en"), None).await).await;
    assert!(page.contains(pitch) && page.contains("Projects seeking investors") && page.contains(&project.data.name));
    let staff = body_text(app.get(&format!("/projects/{}", project.id), Some(&baiyin)).await).await;
    assert!(staff.contains("已在") && staff.contains(pitch));

    // An enquiry about it is a lead of the project's region.
    let (cookie, token) = form_token(&app, &portal).await;
    let response =
        post(&app, &cookie, &enquiry(&format!("project:{code}"), &token, "江西某铜业集团", "希望参股")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let tracking =
        response.headers()[header::LOCATION].to_str().unwrap().trim_start_matches("/portal/track/").to_string();
    let lead = store.lead_by_tracking_code(&tracking).await.unwrap().unwrap();
    assert_eq!(lead.subject, format!("推介项目 {}", project.data.name));
    assert_eq!(lead.region_code, project.data.region_code);

    // An empty pitch takes it off the portal; the audit log holds both changes.
    let removed = app.post_form(&path, &baiyin, &format!("csrf={csrf}&pitch=")).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&portal, None).await.status(), StatusCode::NOT_FOUND);
    let filter =
        zhaoshang_store::AuditFilter { entity: Some("promotion".into()), per_page: 10, page: 1, ..Default::default() };
    let (entries, _) = store.audit_entries(&filter).await.unwrap();
    let ours: Vec<&str> = entries.iter().filter(|e| e.entity_id == code).map(|e| e.action.as_str()).collect();
    assert_eq!(ours, ["delete", "create"], "newest first");
}

async fn an_investor_keeps_a_shortlist_of_its_own(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let parcel = baiyin_parcel(&app).await;
    let page = format!("/portal/parcels/{parcel}");
    assert!(!body_text(app.get(&page, None).await).await.contains("shortlist-form"), "no shortlist for visitors");
    let baiyin = app.sign_in_demo("baiyin").await;
    assert!(!body_text(app.get(&page, Some(&baiyin)).await).await.contains("shortlist-form"), "nor for staff");
    let baiyin_csrf = app.csrf(&baiyin).await;
    let staff = app
        .post_form("/portal/shortlist", &baiyin, &format!("csrf={baiyin_csrf}&subject=parcel:{parcel}&action=add"))
        .await;
    assert_eq!(staff.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/portal/shortlist", Some(&baiyin)).await.status(), StatusCode::FORBIDDEN);

    let investor = app.sign_in_demo("investor").await;
    let html = body_text(app.get(&page, Some(&investor)).await).await;
    assert!(html.contains("加入关注"));
    let csrf = app.csrf(&investor).await;
    let keep = |action: &str, subject: &str| format!("csrf={csrf}&subject={}&action={action}", urlencode(subject));
    let added = app.post_form("/portal/shortlist", &investor, &keep("add", &format!("parcel:{parcel}"))).await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    assert_eq!(added.headers()[header::LOCATION], page.as_str(), "back to the parcel");
    assert!(body_text(app.get(&page, Some(&investor)).await).await.contains("已关注"));
    let hidden = app.post_form("/portal/shortlist", &investor, &keep("add", "parcel:NO-SUCH")).await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND, "only what the portal offers");
    let bad = app.post_form("/portal/shortlist", &investor, &keep("steal", &format!("parcel:{parcel}"))).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let forged = app
        .post_form(
            "/portal/shortlist",
            &investor,
            &format!("csrf={}&subject=parcel:{parcel}&action=add", "0".repeat(64)),
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let list = body_text(app.get("/portal/shortlist", Some(&investor)).await).await;
    assert!(
        list.contains(&format!("地块 {parcel}</a>")) && list.contains(&format!("data-subject=\"parcel:{parcel}\""))
    );
    assert_eq!(
        app.store().shortlist(app.store().user_by_name("investor").await.unwrap().unwrap().id).await.unwrap().len(),
        1
    );
    let removed = app.post_form("/portal/shortlist", &investor, &keep("remove", &format!("parcel:{parcel}"))).await;
    assert_eq!(removed.headers()[header::LOCATION], "/portal/shortlist");
    assert!(!body_text(app.get("/portal/shortlist", Some(&investor)).await).await.contains(&parcel));
}
