//! Research reports and leaders' instructions over HTTP (资政建言, 批示): a member files a
//! report with aspects and numbered suggestions, a leader instructs on one suggestion, the
//! instruction is split into a lead and a co-handling department's tasks, the department
//! links the records the task changed and replies with a grade, the proposer's
//! dissatisfaction sends it back once; each step on
//! the report's board with its dates, and in the report printed as a PDF. Scope, CSRF and
//! bad input change nothing.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::instructions::default_deadline;
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_testkit::Backend;
use zhaoshang_web::auth::urlencode;

on_both_backends!(a_report_is_followed_from_filing_to_its_graded_tasks);
on_both_backends!(the_demo_board_shows_late_tasks_first_and_in_the_inbox);

fn form(csrf: &str, fields: &[(&str, &str)]) -> String {
    let mut body = format!("csrf={csrf}");
    for (key, value) in fields {
        body.push_str(&format!("&{key}={}", urlencode(value)));
    }
    body
}

const SUGGESTIONS: &str =
    "一、优化营商环境\n1. 推行<script>alert(1)</script>一窗受理\n2. 压减审批时限\n二、强化要素保障：\n保障用地指标";

async fn a_report_is_followed_from_filing_to_its_graded_tasks(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let today = zhaoshang_app::calendar::today();
    let member = app.sign_in_demo("member").await;
    let csrf = app.csrf(&member).await;
    let report_fields = |title: &'static str, date: String, suggestions: &'static str| {
        vec![
            ("region", "620500".to_string()),
            ("title", title.to_string()),
            ("research_group", "第五调研组".to_string()),
            ("authors", "张某某".to_string()),
            ("researched_on", date),
            ("enterprises_visited", "天水甲公司\n天水乙公司".to_string()),
            ("suggestions", suggestions.to_string()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form(&csrf, &pairs)
    };
    let before = store.change_stamp().await.unwrap();

    // Bad input: a clear Chinese message, nothing written.
    for (fields, message) in [
        (report_fields("", today.to_string(), SUGGESTIONS), "报告标题不能为空"),
        (report_fields("调研报告", today.to_string(), " "), "至少须有一条建议"),
        (report_fields("调研报告", today.to_string(), "推行一窗受理"), "不属于任何方面"),
        (report_fields("调研报告", (today + chrono::Days::new(1)).to_string(), SUGGESTIONS), "晚于今天"),
        (report_fields("调研报告", "2024-13-01".into(), SUGGESTIONS), "不是有效日期"),
    ] {
        let response = app.post_form("/reports", &member, &post(fields)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(body_text(response).await.contains(message), "{message}");
    }
    // Without the CSRF token: refused.
    let forged = post(report_fields("伪造报告", today.to_string(), SUGGESTIONS)).replacen(&csrf, "forged", 1);
    assert_eq!(app.post_form("/reports", &member, &forged).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "nothing written");

    // The member files the report: numbered through, grouped by aspect, text escaped.
    let response = app
        .post_form("/reports", &member, &post(report_fields("天水营商环境调研报告", today.to_string(), SUGGESTIONS)))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let report_id: i64 = location.trim_start_matches("/reports/").parse().unwrap();
    let page = body_text(app.get(&location, Some(&member)).await).await;
    assert!(page.contains("第3条　保障用地指标") && page.contains("强化要素保障"), "{page}");
    assert!(page.contains("2 个方面 3 条") && page.contains("天水甲公司、天水乙公司"));
    assert!(page.contains("&lt;script&gt;") && !page.contains("<script>alert"), "escaped");
    assert!(!page.contains(r#"id="instruction-form""#), "a member does not instruct");
    let suggestions = store.report_suggestions(report_id).await.unwrap();
    assert_eq!(suggestions.iter().map(|s| s.number).collect::<Vec<_>>(), vec![1, 2, 3]);

    // The leader instructs on suggestion 2 (批办), on screen with a signature line.
    let leader = app.sign_in_demo("leader").await;
    let leader_csrf = app.csrf(&leader).await;
    let page = body_text(app.get(&location, Some(&leader)).await).await;
    assert!(page.contains(r#"id="instruction-form""#) && page.contains("批示人签名"));
    let instructions = format!("{location}/instructions");
    let second = suggestions[1].id.to_string();
    let empty = form(&leader_csrf, &[("suggestion", &second), ("kind", "action"), ("text", " ")]);
    let response = app.post_form(&instructions, &leader, &empty).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(response).await.contains("批示内容不能为空"));
    let bad_kind = form(&leader_csrf, &[("kind", "圈阅"), ("text", "请研究")]);
    assert_eq!(app.post_form(&instructions, &leader, &bad_kind).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let instruct =
        form(&leader_csrf, &[("suggestion", &second), ("kind", "action"), ("text", "请市工信局牵头研究落实。")]);
    assert_eq!(
        app.post_form(&instructions, &member, &instruct.replace(&leader_csrf, &csrf)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.post_form(&instructions, &leader, &instruct).await.status(), StatusCode::SEE_OTHER);
    let instruction = store.report_instructions(report_id).await.unwrap().pop().unwrap();
    assert_eq!(instruction.suggestion_number, Some(2));

    // Split into tasks: a deadline beyond six months is refused, the default is three months.
    let split_path = format!("/instructions/{}/tasks", instruction.id);
    let too_late = (today + chrono::Days::new(200)).to_string();
    let split = |deadline: &str| {
        form(
            &leader_csrf,
            &[("lead", "天水市工业和信息化局"), ("co", "天水市商务局、天水市工业和信息化局"), ("deadline", deadline)],
        )
    };
    let response = app.post_form(&split_path, &leader, &split(&too_late)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(response).await.contains("超过 6 个月"));
    assert_eq!(app.post_form(&split_path, &leader, &split("")).await.status(), StatusCode::SEE_OTHER);
    let tasks = store.report_tasks(report_id).await.unwrap();
    assert_eq!(
        tasks.iter().map(|t| (t.department.as_str(), t.part.as_str())).collect::<Vec<_>>(),
        vec![("天水市工业和信息化局", "lead"), ("天水市商务局", "co")]
    );
    let calendar = Calendar::new(zhaoshang_app::calendar::shipped_days().unwrap());
    assert_eq!(tasks[0].deadline, default_deadline(&calendar, today));
    assert!(tasks[1].co_due_on.is_some_and(|due| due <= tasks[0].deadline));
    let lead_task = tasks[0].id;
    let steps = format!("/tasks/{lead_task}/steps");

    // Scope: a region user of another region neither sees nor changes it.
    let baiyin = app.sign_in_demo("baiyin").await;
    let baiyin_csrf = app.csrf(&baiyin).await;
    assert_eq!(app.get(&location, Some(&baiyin)).await.status(), StatusCode::FORBIDDEN);
    let interim = |csrf: &str| form(csrf, &[("step", "interim"), ("text", "已召开专题会议研究")]);
    let before = store.change_stamp().await.unwrap();
    assert_eq!(app.post_form(&steps, &baiyin, &interim(&baiyin_csrf)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.post_form(&split_path, &baiyin, &split("").replace(&leader_csrf, &baiyin_csrf)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert!(!body_text(app.get("/reports", Some(&baiyin)).await).await.contains("天水营商环境调研报告"));
    // The member may not reply for the department; the department replies.
    assert_eq!(app.post_form(&steps, &member, &interim(&csrf)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "nothing written");
    let department = app.sign_in_demo("chain").await;
    let department_csrf = app.csrf(&department).await;
    assert_eq!(app.post_form(&steps, &department, &interim(&department_csrf)).await.status(), StatusCode::SEE_OTHER);
    // The department links the records the task changed: what it may read, once; a
    // record it may not read is refused as if it did not exist, and nothing changes.
    let links = format!("/tasks/{lead_task}/links");
    let link = |csrf: &str, kind: &str, key: &str| form(csrf, &[("kind", kind), ("key", key)]);
    let filter = ProjectFilter {
        region_prefix: "6204".into(),
        chain: Some("白银市有色金属产业链".into()),
        ..Default::default()
    };
    let project = store.list_projects(&filter, ProjectSort::default(), 1, 0).await.unwrap().remove(0);
    let outside = ProjectFilter { region_prefix: "6205".into(), ..Default::default() };
    let outside = store.list_projects(&outside, ProjectSort::default(), 1, 0).await.unwrap().remove(0);
    let before = store.change_stamp().await.unwrap();
    for (kind, key, message) in [
        ("project", outside.data.code.as_str(), format!("未找到项目“{}”，或您无权查看", outside.data.code)),
        ("project", "<b>无此项目</b>", "未找到项目“&lt;b&gt;无此项目".to_string()),
        ("plan", "x", "请选择关联记录的类型".to_string()),
        ("appeal", " ", "请填写营商环境诉求的编号或名称".to_string()),
    ] {
        let response = app.post_form(&links, &department, &link(&department_csrf, kind, key)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{kind} {key}");
        let text = body_text(response).await;
        assert!(text.contains(&message) && !text.contains(&outside.data.name), "{message}");
        assert!(!text.contains("<b>无此项目"), "escaped");
    }
    let by_member = link(&csrf, "project", &project.data.code);
    assert_eq!(app.post_form(&links, &member, &by_member).await.status(), StatusCode::FORBIDDEN);
    let forged = link("forged", "project", &project.data.code);
    assert_eq!(app.post_form(&links, &department, &forged).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "nothing written");
    for _ in 0..2 {
        let response = app.post_form(&links, &department, &link(&department_csrf, "project", &project.data.code)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let response = app.post_form(&links, &department, &link(&department_csrf, "chain", "白银市有色金属产业链")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let linked = store.report_task_links(report_id).await.unwrap();
    assert_eq!(linked.iter().map(|l| l.kind.as_str()).collect::<Vec<_>>(), ["project", "chain"], "linked once each");
    let page = body_text(app.get(&location, Some(&department)).await).await;
    let listed = &page[page.find(&format!("id=\"task-links-{lead_task}\"")).expect("the links")..];
    let listed = listed[..listed.find("</ul>").unwrap()].replace("&#x2f;", "/");
    assert!(listed.contains(&format!("href=\"/projects/{}\"", project.id)) && listed.contains(&project.data.name));
    assert!(listed.contains("href=\"/chains/"), "{listed}");
    // The member may not read the project: its code, not its name or page.
    let page = body_text(app.get(&location, Some(&member)).await).await;
    let listed = &page[page.find(&format!("id=\"task-links-{lead_task}\"")).expect("the links")..];
    let listed = listed[..listed.find("</ul>").unwrap()].replace("&#x2f;", "/");
    assert!(listed.contains(&project.data.code) && !listed.contains(&format!("/projects/{}", project.id)), "{listed}");

    let ungraded = form(&department_csrf, &[("step", "final"), ("text", "已落实")]);
    let response = app.post_form(&steps, &department, &ungraded).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(response).await.contains("最终答复须给出办理结果"));
    let final_reply =
        |grade: &str| form(&department_csrf, &[("step", "final"), ("text", "已出台实施办法"), ("grade", grade)]);
    assert_eq!(app.post_form(&steps, &department, &final_reply("b")).await.status(), StatusCode::SEE_OTHER);

    // The proposer is dissatisfied: sent back once; the second time it closes.
    let rate = |value: &str| form(&csrf, &[("step", "rate"), ("satisfaction", value)]);
    assert_eq!(
        app.post_form(&steps, &leader, &rate("dissatisfied").replace(&csrf, &leader_csrf)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.post_form(&steps, &member, &rate("dissatisfied")).await.status(), StatusCode::SEE_OTHER);
    let task = store.task(lead_task).await.unwrap().unwrap();
    assert_eq!((task.state.as_str(), task.sent_back, task.grade.as_str()), ("sent_back", true, ""));
    let page = body_text(app.get(&location, Some(&member)).await).await;
    assert!(page.contains(r#"data-state="sent_back""#) && page.contains("已退回重办一次"), "{page}");
    assert_eq!(app.post_form(&steps, &department, &final_reply("a")).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.post_form(&steps, &member, &rate("dissatisfied")).await.status(), StatusCode::SEE_OTHER);
    let task = store.task(lead_task).await.unwrap().unwrap();
    assert_eq!((task.state.as_str(), task.grade.as_str(), task.closed_on), ("closed", "a", Some(today)));
    let response = app.post_form(&steps, &member, &rate("satisfied")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a closed task takes no step");

    // The board shows the path with its dates; every step is in the audit log.
    let page = body_text(app.get(&location, Some(&leader)).await).await;
    let path = format!("{today} 提交 → {today} 分管副省长批办 → {today} 交办");
    assert!(strip_tags(&page).contains(&path), "{page}");
    assert!(
        page.contains(r#"<strong class="grade">A</strong>"#) && page.contains("阶段答复") && page.contains("不满意")
    );
    let audit = body_text(app.get("/admin/audit?entity=task_step", Some(&app.sign_in_demo("admin").await)).await).await;
    assert!(audit.contains("批示任务办理"), "{audit}");
    let audit = body_text(app.get("/admin/audit?entity=task_link", Some(&app.sign_in_demo("admin").await)).await).await;
    assert!(audit.contains("批示任务关联记录") && audit.contains("白银市有色金属产业链"), "{audit}");
    // The printed document shows the suggestions' text as text, and the grade.
    let text = pdf_text(&body_bytes(app.get(&format!("{location}/pdf"), Some(&member)).await).await);
    assert!(text.contains("（1）推行<script>alert(1)</script>一窗受理"), "{text}");
    assert!(text.contains("A已解决"), "{text}");
    assert_eq!(app.get(&format!("{location}/pdf"), Some(&baiyin)).await.status(), StatusCode::FORBIDDEN);
}

async fn the_demo_board_shows_late_tasks_first_and_in_the_inbox(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let reports = body_text(app.get("/reports", Some(&admin)).await).await;
    assert!(reports.contains("关于推动天水市装备制造业高质量发展的调研报告"));
    let board = body_text(app.get("/instructions", Some(&admin)).await).await;
    let late = board.find("天水市发展和改革委员会").expect("the late task on the board");
    let on_time = board.find("天水市政务服务中心").expect("the task on time on the board");
    assert!(late < on_time, "late first");
    assert!(board.contains("tag-red"));
    let inbox = body_text(app.get("/inbox", Some(&admin)).await).await;
    assert!(inbox.contains("天水市发展和改革委员会：关于推动天水市装备制造业高质量发展的调研报告"), "{inbox}");
    // The demo report: 3 aspects and 13 suggestions, tasks in every state.
    let id = app.store().reports_page("6205", 1, 0).await.unwrap().remove(0).id;
    let page = body_text(app.get(&format!("/reports/{id}"), Some(&admin)).await).await;
    assert!(page.contains("3 个方面 13 条"), "{page}");
    for state in ["assigned", "interim", "answered", "sent_back", "closed"] {
        assert!(page.contains(&format!(r#"data-state="{state}""#)), "{state}");
    }
    // Printed as a formal document: the report's Chinese text, its instructions and tasks,
    // page numbers as 公文 have them.
    let response = app.get(&format!("/reports/{id}/pdf"), Some(&admin)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    let text = pdf_text(&body_bytes(response).await);
    assert!(text.contains("关于推动天水市装备制造业高质量发展的调研报告"), "{text}");
    assert!(text.contains("报告从3个方面提出13条建议") && text.contains("（13）"), "{text}");
    assert!(text.contains("一、强化产业链协同") && text.contains("三、加强人才和服务支撑"), "{text}");
    assert!(text.contains("天水市发展和改革委员会") && text.contains("阶段答复"), "{text}");
    assert!(text.contains("—1—") && text.contains("—2—"), "page numbers: {text}");
    // An instruction with its tasks, printed as the 交办单 departments receive.
    let instruction = app.store().report_instructions(id).await.unwrap().into_iter().find(|i| i.data.kind == "action");
    let instruction = instruction.expect("a demo instruction for action");
    let response = app.get(&format!("/instructions/{}/pdf", instruction.id), Some(&admin)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = pdf_text(&body_bytes(response).await);
    let said: String = instruction.data.text.split_whitespace().collect();
    assert!(text.starts_with("批示交办单来源：《关于推动天水市装备制造业高质量发展的调研报告》"), "{text}");
    assert!(text.contains(&said) && text.contains("承办单位"), "{text}");
    // Outside roles have no reports.
    let investor = app.sign_in_demo("investor").await;
    assert_eq!(app.get("/reports", Some(&investor)).await.status(), StatusCode::FORBIDDEN);
}
