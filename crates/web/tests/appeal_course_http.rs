//! An appeal's course over HTTP (营商环境诉求: 挂起, 延期, 答复, 企业评价, 重新办理, 办结):
//! each step by the user who may take it, refused with a message and nothing changed
//! when the course does not allow it, audited, and shown on the appeal's page.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_core::appeals::flow::{Action, FlowState};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_testkit::Backend;

on_both_backends!(an_appeal_is_followed_from_acceptance_to_closing);

async fn an_appeal_is_followed_from_acceptance_to_closing(backend: Backend) {
    let app = TestApp::with_users(
        backend,
        &[
            ("boss", "admin", None),
            ("baiyin", "region", Some("620400")),
            ("tianshui", "region", Some("620500")),
            ("lingdao", "leader", Some("620400")),
            ("weiyuan", "member", None),
        ],
    )
    .await;
    let today = zhaoshang_app::calendar::today();
    let admin = app.sign_in("boss").await;
    let csrf = app.csrf(&admin).await;
    let csv = format!(
        "诉求编号,企业名称,所属地区,诉求维度,诉求类别,诉求内容,受理日期,承办单位\n\
         BY-9,白银甲公司,620402,要素环境,要素保障,用电增容<script>x</script>,{today},白银市发改委\n"
    );
    let long_ago = today - chrono::Days::new(60);
    let csv = format!(
        "{csv}BY-8,白银乙公司,620402,政务环境,审批服务,施工许可反复补正,{long_ago},白银市住建局\n\
         TS-8,天水丙公司,620502,市场环境,市场监管,重复检查,{long_ago},天水市市场监管局\n"
    );
    let response = app.send(upload_request(&admin, &csrf, "appeals", "a.csv", csv.as_bytes())).await;
    assert_eq!(body_json(response).await["report"]["created"], 3);
    let stored = || async { app.store().appeal_by_code("BY-9").await.unwrap().unwrap() };
    let received = stored().await.data.due_on;

    let baiyin = app.sign_in("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let step = |form: String| format!("csrf={csrf}&{form}");
    let page = body_text(app.get("/appeals/BY-9", Some(&baiyin)).await).await;
    assert!(page.contains(r#"id="step-form""#) && page.contains(r#"<option value="pause""#), "{page}");
    assert!(!page.contains(r#"<option value="approve_extension""#));
    assert!(!page.contains("<script>x</script>"));

    // 督办 in the inboxes: an appeal long overdue is the handler's, its region's
    // supervisor's and the province's; another region's is not.
    for (user, cookie) in [("baiyin", &baiyin), ("boss", &admin)] {
        let inbox = body_text(app.get("/inbox", Some(cookie)).await).await;
        assert!(inbox.contains("白银乙公司：施工许可反复补正"), "{user}: {inbox}");
        assert_eq!(inbox.contains("天水丙公司"), user == "boss", "{user}");
    }
    let leader = app.sign_in("lingdao").await;
    let inbox = body_text(app.get("/inbox", Some(&leader)).await).await;
    assert!(inbox.contains("白银乙公司：施工许可反复补正") && inbox.contains("省级督办"), "{inbox}");
    assert!(!inbox.contains("天水丙公司") && !inbox.contains("白银甲公司"), "not yet due: the handler's alone");
    let overdue = body_text(app.get("/appeals/BY-8", Some(&leader)).await).await;
    assert!(overdue.contains(r#"id="appeal-light""#) && overdue.contains("红色督办"), "{overdue}");
    // Its printable 督办单: how late, at which level; another region's is refused.
    let notice = body_text(app.get("/appeals/BY-8/notice", Some(&leader)).await).await;
    let calendar = Calendar::new(zhaoshang_app::calendar::shipped_days().unwrap());
    let due = app.store().appeal_by_code("BY-8").await.unwrap().unwrap().data.due_on;
    let late = calendar.working_days_between(due, today).value;
    assert!(notice.contains("营商环境诉求督办单") && notice.contains("省级督办"), "{notice}");
    assert!(notice.contains(&format!(r#"<strong id="notice-days-late">{late}</strong>"#)), "{notice}");
    assert_eq!(app.get("/appeals/TS-8/notice", Some(&leader)).await.status(), StatusCode::FORBIDDEN);
    let notice = body_text(app.get("/appeals/BY-9/notice", Some(&leader)).await).await;
    assert!(notice.contains("用电增容&lt;script&gt;") && !notice.contains("<script>x"), "escaped");

    // A pause stops the clock; an answer while paused is refused and changes nothing.
    let response =
        app.post_form("/appeals/BY-9/steps", &baiyin, &step("action=pause&text=等待企业补充材料".into())).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let paused = body_text(app.get("/appeals/BY-9", Some(&baiyin)).await).await;
    assert!(paused.contains(r#"id="appeal-paused""#), "{paused}");
    let response = app.post_form("/appeals/BY-9/steps", &baiyin, &step("action=answer&text=已解决".into())).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(response).await.contains("诉求已挂起，请先恢复办理"));
    assert_eq!(stored().await.data.answered_on, None);
    let response = app.post_form("/appeals/BY-9/steps", &baiyin, &step("action=resume".into())).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored().await.data.due_on, received, "resumed the same day: no working day stood still");

    // An extension: asked by the region, approved by its supervisor only.
    let response = app
        .post_form("/appeals/BY-9/steps", &baiyin, &step("action=request_extension&days=3&text=需现场核查".into()))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = app.post_form("/appeals/BY-9/steps", &baiyin, &step("action=approve_extension".into())).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "the handler does not approve its own extension");
    let member = app.sign_in("weiyuan").await;
    let member_csrf = app.csrf(&member).await;
    let response =
        app.post_form("/appeals/BY-9/steps", &member, &format!("csrf={member_csrf}&action=answer&text=x")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "members supervise read-only");
    let tianshui = app.sign_in("tianshui").await;
    let other_csrf = app.csrf(&tianshui).await;
    let response =
        app.post_form("/appeals/BY-9/steps", &tianshui, &format!("csrf={other_csrf}&action=answer&text=x")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "another region's appeal");
    let leader_csrf = app.csrf(&leader).await;
    let response =
        app.post_form("/appeals/BY-9/steps", &leader, &format!("csrf={leader_csrf}&action=approve_extension")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let expected = FlowState::accepted(&calendar, today, 8, "白银市发改委").due_on;
    assert_eq!(stored().await.data.due_on, expected, "five working days and three approved");

    // A transfer needs its reason.
    let response = app
        .post_form("/appeals/BY-9/steps", &baiyin, &step("action=transfer&department=白银市工信局&text=".into()))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(response).await.contains("转办理由不能为空"));
    assert_eq!(stored().await.data.department, "白银市发改委");

    // Answered, rated 不满意: reopened on a new clock; answered again, rated, closed.
    for form in ["action=answer&text=已协调供电公司", "action=rate&rating=dissatisfied"] {
        let response = app.post_form("/appeals/BY-9/steps", &baiyin, &step(form.into())).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{form}");
    }
    let reopened = stored().await;
    assert!(reopened.flow.reopened && reopened.data.answered_on.is_none() && reopened.data.rating.is_empty());
    for form in ["action=answer&text=已完成增容", "action=rate&rating=satisfied", "action=close"] {
        let response = app.post_form("/appeals/BY-9/steps", &baiyin, &step(form.into())).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{form}");
    }
    let closed = stored().await;
    assert_eq!((closed.data.closed_on, closed.data.rating.as_str()), (Some(today), "satisfied"));
    let response = app.post_form("/appeals/BY-9/steps", &baiyin, &step("action=close".into())).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "closed once");
    let response = app.post_form("/appeals/BY-9/steps", &baiyin, &step("action=whatever".into())).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // The history on the page, in order, and every step in the audit log.
    let page = body_text(app.get("/appeals/BY-9", Some(&admin)).await).await;
    let history = &page[page.find(r#"id="appeal-steps""#).expect("the history")..];
    let mut at = 0;
    for label in ["挂起", "恢复办理", "申请延期", "批准延期", "答复", "企业评价", "答复", "企业评价", "办结"]
    {
        at += history[at..].find(&format!("<strong>{label}</strong>")).unwrap_or_else(|| panic!("{label}: {history}"));
    }
    let steps = app.store().appeal_steps(closed.id).await.unwrap();
    assert_eq!(steps.len(), 9);
    let replayed = {
        let mut state = FlowState::accepted(&calendar, today, 5, "白银市发改委");
        for s in &steps {
            let action = match s.action.as_str() {
                "pause" => Action::Pause { reason: s.detail.clone() },
                "resume" => Action::Resume,
                "request_extension" => Action::RequestExtension { days: 3, reason: "需现场核查".into() },
                "approve_extension" => Action::ApproveExtension,
                "answer" => Action::Answer { text: s.detail.clone() },
                "rate" if s.detail == "不满意" => {
                    Action::Rate { rating: zhaoshang_core::appeals::Rating::Dissatisfied }
                }
                "rate" => Action::Rate { rating: zhaoshang_core::appeals::Rating::Satisfied },
                _ => Action::Close,
            };
            state = state.apply(&calendar, &action, s.done_on).unwrap();
        }
        state
    };
    assert_eq!(replayed, closed.flow_state(), "the history folds to the row's state");
    let audit = body_text(app.get("/admin/audit?entity=appeal_step", Some(&admin)).await).await;
    assert!(audit.matches("诉求办理").count() >= 9, "{audit}");
}

on_both_backends!(the_demo_shows_appeals_in_every_state_of_their_course);

/// The demo takes steps on open appeals: one paused, one with an extension awaiting its
/// supervisor, one contested, one transferred in each city.
async fn the_demo_shows_appeals_in_every_state_of_their_course(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let filter = zhaoshang_store::appeals::AppealFilter { region_prefix: "6204".into(), ..Default::default() };
    let sort = zhaoshang_store::appeals::AppealSort::default();
    let appeals = app.store().list_appeals(&filter, sort, 1000, 0).await.unwrap();
    let find = |what: &str, test: &dyn Fn(&zhaoshang_store::appeals::Appeal) -> bool| {
        appeals.iter().find(|a| test(a)).unwrap_or_else(|| panic!("a demo appeal {what}")).data.code.clone()
    };
    let paused = find("paused", &|a| a.flow.paused_since.is_some());
    let pending = find("with an extension pending", &|a| a.flow.pending_extension.is_some());
    find("contested", &|a| a.flow.contested);
    find("transferred", &|a| a.data.department.ends_with("（牵头）"));
    let admin = app.sign_in_demo("admin").await;
    let page = body_text(app.get(&format!("/appeals/{paused}"), Some(&admin)).await).await;
    assert!(page.contains(r#"id="appeal-paused""#) && page.contains("<strong>挂起</strong>"), "{page}");
    let page = body_text(app.get(&format!("/appeals/{pending}"), Some(&admin)).await).await;
    assert!(page.contains(r#"id="appeal-pending-extension""#) && page.contains(r#"<option value="approve_extension""#));
}

on_both_backends!(staff_register_appeals_matched_to_the_library_and_warned_of_open_ones);

async fn staff_register_appeals_matched_to_the_library_and_warned_of_open_ones(backend: Backend) {
    let app = TestApp::with_users(
        backend,
        &[("boss", "admin", None), ("baiyin", "region", Some("620400")), ("weiyuan", "member", None)],
    )
    .await;
    let actor = zhaoshang_store::Actor::system("测试");
    let code = zhaoshang_core::credit_code::with_check_char("91620402MA7AP0001").unwrap();
    let csv = format!("企业名称,统一社会信用代码,所属地区\n白银诉求企业有限公司,{code},620402\n");
    let kind = zhaoshang_app::exchange::ImportKind::Enterprises;
    let report = zhaoshang_app::exchange::import_bytes(app.store(), kind, "e.csv", csv.as_bytes(), false, &actor);
    assert!(report.await.unwrap().is_ok());

    let baiyin = app.sign_in("baiyin").await;
    let list = body_text(app.get("/appeals", Some(&baiyin)).await).await;
    assert!(list.contains(r#"id="new-appeal""#));
    let form = body_text(app.get("/appeals/new", Some(&baiyin)).await).await;
    let today = zhaoshang_app::calendar::today();
    let year = chrono::Datelike::year(&today);
    assert!(form.contains(&format!(r#"value="SQ620400-{year}-0001""#)), "the next code proposed: {form}");
    assert_eq!(app.get("/appeals/new?region=620500", Some(&baiyin)).await.status(), StatusCode::FORBIDDEN);
    let member = app.sign_in("weiyuan").await;
    assert_eq!(app.get("/appeals/new", Some(&member)).await.status(), StatusCode::FORBIDDEN);

    let csrf = app.csrf(&baiyin).await;
    let (app_ref, cookie) = (&app, &baiyin);
    let post = |form: String| {
        let body = format!("csrf={csrf}&{form}");
        async move { app_ref.post_form("/appeals", cookie, &body).await }
    };
    // Missing content: the import's message on its field, nothing stored.
    let response = post("region=620402&dimension=要素环境&credit_code=".to_string() + &code).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(response).await.contains("诉求内容不能为空"));
    assert!(app.store().appeal_codes_with_prefix("SQ").await.unwrap().is_empty());
    // By credit code alone: the enterprise's name from the library, the code and day proposed.
    let response = post(format!("region=620402&dimension=要素环境&content=用电增容&credit_code={code}")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let first = format!("SQ620402-{year}-0001");
    assert_eq!(response.headers()["location"], format!("/appeals/{first}").as_str());
    let stored = app.store().appeal_by_code(&first).await.unwrap().unwrap();
    assert_eq!((stored.data.enterprise.as_str(), stored.data.received_on), ("白银诉求企业有限公司", today));
    // The same enterprise again, by name: its open appeal is named until confirmed.
    let again = "region=620402&dimension=市场环境&content=重复检查&enterprise=白银诉求企业有限公司";
    let response = post(again.to_string()).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = body_text(response).await;
    assert!(page.contains(&first) && page.contains(r#"name="confirm_duplicate""#), "{page}");
    let response = post(format!("{again}&confirm_duplicate=1")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let second = app.store().appeal_by_code(&format!("SQ620402-{year}-0002")).await.unwrap().unwrap();
    assert_eq!(second.data.credit_code, code, "completed from the library by name");
    // Another region's county: refused.
    let response = post("region=620502&dimension=市场环境&content=越权".to_string()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
