//! The travel planner (出行招商) over HTTP: the demo's plan to 上海 and its brief (target
//! enterprises there, the Gansu chamber and its liaison, projects negotiating or stalled
//! with investors from there, past activities), a plan made and edited through the forms
//! (Chinese errors and nothing written on bad input), another city's staff kept out, the
//! `.ics` calendar file, the audit log, and the plan turned into an activity.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use zhaoshang_core::activities::ParticipantRole;
use zhaoshang_store::travel::TravelFilter;
use zhaoshang_store::AuditFilter;
use zhaoshang_testkit::Backend;

on_both_backends!(the_demo_plan_to_shanghai_briefs_the_trip_and_exports_a_calendar);
on_both_backends!(plans_are_made_edited_scoped_audited_and_become_activities);

async fn plan_count(app: &TestApp) -> i64 {
    app.store().travel_plans_page(&TravelFilter::default(), 1, 0).await.unwrap().0
}

async fn the_demo_plan_to_shanghai_briefs_the_trip_and_exports_a_calendar(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let (count, rows) = store.travel_plans_page(&TravelFilter::default(), 10, 0).await.unwrap();
    assert_eq!(count, 1, "one demo plan");
    let plan = store.travel_plan(rows[0].plan.id).await.unwrap().unwrap();
    assert_eq!(
        (plan.leader.as_str(), plan.region_code.as_str(), plan.destination_code.as_str()),
        ("刘建国", "620400", "310000")
    );
    assert!(plan.visits.len() >= 3, "{:?}", plan.visits);
    assert_eq!(plan.visits[0].name, "上海市甘肃商会", "the chamber first");
    let baiyin = app.sign_in_demo("baiyin").await;
    let path = format!("/travel/{}", plan.id);
    let page = body_text(app.get(&path, Some(&baiyin)).await).await;
    assert!(page.contains("刘建国 赴上海市出行招商计划"), "{page}");
    // The itinerary: three days, each visit at its time.
    assert!(page.contains("第3天") && page.contains("09:00"), "{page}");
    // The chamber and its liaison.
    let chambers = section(&page, "travel-chambers");
    assert!(chambers.contains("上海市甘肃商会") && chambers.contains("上海市甘肃商会联络员"), "{chambers}");
    // Target enterprises headquartered in 上海, with their score.
    let targets = section(&page, "travel-targets");
    let best = store.travel_enterprises("31", &[], 1).await.unwrap().remove(0);
    assert!(targets.contains(&best.name) && targets.contains(&best.base_score.to_string()), "{targets}");
    assert!(targets.contains("浦东新区"), "{targets}");
    assert!(!targets.contains("北京"), "only 上海's: {targets}");
    // Projects of 白银 negotiating or stalled whose investors come from 上海.
    let projects = section(&page, "travel-projects");
    assert!(projects.contains("洽谈中") || projects.contains("签约未开工"), "{projects}");
    assert!(projects.contains("上海"), "{projects}");
    assert!(!projects.contains("天水"), "only 白银's projects: {projects}");
    // Past activities there and their outcomes.
    let past = section(&page, "travel-past");
    assert!(past.contains("白银市赴上海、苏州招商推介活动（2024年）"), "{past}");

    // The province reads it; another city's staff do not, nor roles that plan no trips.
    assert_eq!(app.get(&path, Some(&app.sign_in_demo("leader").await)).await.status(), StatusCode::OK);
    let tianshui = app.sign_in_demo("tianshui").await;
    for suffix in ["", "/edit", "/calendar"] {
        let response = app.get(&format!("{path}{suffix}"), Some(&tianshui)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{suffix}");
    }
    let list = body_text(app.get("/travel", Some(&tianshui)).await).await;
    assert!(list.contains("id=\"total-count\">0<") && !list.contains("刘建国"), "{list}");
    assert_eq!(app.get(&path, Some(&app.sign_in_demo("member").await)).await.status(), StatusCode::FORBIDDEN);

    // The calendar file: a VEVENT per visit, China time, CRLF lines, texts escaped.
    let response = app.get(&format!("{path}/calendar"), Some(&baiyin)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/calendar"));
    assert!(response.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().contains(".ics"));
    let ics = String::from_utf8(body_bytes(response).await).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && ics.ends_with("END:VCALENDAR\r\n"), "{ics}");
    assert!(!ics.replace("\r\n", "").contains('\n'), "CRLF lines");
    assert!(ics.split("\r\n").all(|line| line.len() <= 75), "folded lines");
    let unfolded = ics.replace("\r\n ", "");
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), plan.visits.len(), "{unfolded}");
    let first = &plan.visits[0];
    let start = format!("DTSTART;TZID=Asia/Shanghai:{}T090000\r\n", first.visit_on.format("%Y%m%d"));
    assert!(unfolded.contains(&start), "{unfolded}");
    assert!(unfolded.contains("SUMMARY:走访商会：上海市甘肃商会\r\n"), "{unfolded}");
    assert!(unfolded.contains("LOCATION:上海市\r\n"), "{unfolded}");
    assert!(unfolded.contains("TZID:Asia/Shanghai\r\n"));
}

/// The part of a page from the element of `id` to the next card.
fn section(page: &str, id: &str) -> String {
    let start = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("#{id} in the page"));
    let rest = &page[start..];
    let end = rest[10..].find("class=\"card\"").map_or(rest.len(), |end| end + 10);
    rest[..end].to_string()
}

async fn plans_are_made_edited_scoped_audited_and_become_activities(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let baiyin = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let good = [
        ("leader", "王德胜"),
        ("region", "620400"),
        ("destination", "上海"),
        ("start_on", "2024-05-06"),
        ("end_on", "2024-05-07"),
        ("purpose", "对接会,推介;签约\n跟进"),
    ];

    // Bad input: the fields' Chinese messages, 422, nothing written.
    let before = plan_count(&app).await;
    let bad: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("leader", " ")], "请填写出行领导"),
        (vec![("leader", "王德胜（副市长）")], "不含括号"),
        (vec![("destination", "火星")], "目的地“火星”不在行政区划中"),
        (vec![("destination", "310115")], "是区县"),
        (vec![("start_on", "2024-13-01")], "不是有效日期"),
        (vec![("end_on", "2024-05-01")], "返回日期不能早于出发日期"),
        (vec![("end_on", "2024-06-30")], "最多 15 天"),
    ];
    for (changes, message) in bad {
        let fields: Vec<(&str, &str)> =
            good.iter().map(|(k, v)| changes.iter().find(|(c, _)| c == k).copied().unwrap_or((*k, *v))).collect();
        let response = app.post_form("/travel", &baiyin, &form(&csrf, &fields)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        let html = body_text(response).await;
        assert!(html.contains(message), "{message}: {html}");
    }
    // Another region's leaders are not 白银's staff's to plan for; a forged form neither.
    let response = app.post_form("/travel", &baiyin, &form(&csrf, &[("region", "620500"), ("leader", "某某")])).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = app.post_form("/travel", &baiyin, &form("forged", &good)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(plan_count(&app).await, before, "nothing written");

    // A good plan: the chamber and the best targets, a few a day, grouped by district.
    let response = app.post_form("/travel", &baiyin, &form(&csrf, &good)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let path = location(&response);
    let id: i64 = path.trim_start_matches("/travel/").parse().unwrap();
    let plan = store.travel_plan(id).await.unwrap().unwrap();
    assert_eq!((plan.destination_code.as_str(), plan.visits.len()), ("310000", 6), "{:?}", plan.visits);
    assert_eq!(plan.visits.iter().filter(|v| v.visit_on.to_string() == "2024-05-06").count(), 3);
    assert_eq!(plan.visits[0].kind, "chamber");
    let audit = AuditFilter { entity: Some("travel_plan".into()), ..Default::default() };
    let entries = store.all_audit_entries(&audit, 50).await.unwrap();
    assert!(entries.iter().any(|e| e.entity_id == id.to_string() && e.actor_name == "baiyin"), "{entries:?}");

    // The edit form offers the destination's stops; the plan keeps the ones ticked, on
    // the days given, in that order.
    let edit = body_text(app.get(&format!("{path}/edit"), Some(&baiyin)).await).await;
    assert!(edit.contains("上海市甘肃商会") && edit.contains("checked"), "{edit}");
    let firm = plan.visits.iter().find(|v| v.kind == "enterprise").unwrap();
    let firm_key = format!("enterprise:{}", firm.enterprise_id.unwrap());
    let chamber_key = format!("chamber:{}", plan.visits[0].chamber_id.unwrap());
    let (firm_day, chamber_day) = (format!("day:{firm_key}"), format!("day:{chamber_key}"));
    let mut edited: Vec<(&str, &str)> = good.to_vec();
    edited.extend([
        ("visit", chamber_key.as_str()),
        (chamber_day.as_str(), "2024-05-07"),
        ("visit", firm_key.as_str()),
        (firm_day.as_str(), "2024-05-06"),
    ]);
    let response = app.post_form(&path, &baiyin, &form(&csrf, &edited)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let plan = store.travel_plan(id).await.unwrap().unwrap();
    let order: Vec<(String, String)> = plan.visits.iter().map(|v| (v.visit_on.to_string(), v.kind.clone())).collect();
    assert_eq!(order, [("2024-05-06".into(), "enterprise".into()), ("2024-05-07".into(), "chamber".into())]);
    // A day outside the trip, or a stop not at the destination: 422, nothing changed.
    let mut outside = edited.clone();
    outside.retain(|(k, _)| *k != firm_day.as_str());
    outside.push((firm_day.as_str(), "2024-05-09"));
    let response = app.post_form(&path, &baiyin, &form(&csrf, &outside)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(response).await.contains("应在出行日期之内"));
    let mut stranger = good.to_vec();
    stranger.push(("visit", "enterprise:999999"));
    let response = app.post_form(&path, &baiyin, &form(&csrf, &stranger)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(store.travel_plan(id).await.unwrap().unwrap(), plan, "nothing changed");

    // Another city's staff neither read nor edit it, nor turn it into an activity.
    let tianshui = app.sign_in_demo("tianshui").await;
    let tianshui_csrf = app.csrf(&tianshui).await;
    let response = app.post_form(&path, &tianshui, &form(&tianshui_csrf, &good)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app.post_form(&format!("{path}/activity"), &tianshui, &form(&tianshui_csrf, &[])).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(store.travel_plan(id).await.unwrap().unwrap(), plan, "nothing changed");

    // A day without visits is one event of the whole day, its text escaped.
    let ics = String::from_utf8(body_bytes(app.get(&format!("{path}/calendar"), Some(&baiyin)).await).await).unwrap();
    let unfolded = ics.replace("\r\n ", "");
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 2);
    let mut only_chamber: Vec<(&str, &str)> = good.to_vec();
    only_chamber.extend([("visit", chamber_key.as_str()), (chamber_day.as_str(), "2024-05-07")]);
    app.post_form(&path, &baiyin, &form(&csrf, &only_chamber)).await;
    let ics = String::from_utf8(body_bytes(app.get(&format!("{path}/calendar"), Some(&baiyin)).await).await).unwrap();
    let unfolded = ics.replace("\r\n ", "");
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 2, "{unfolded}");
    assert!(unfolded.contains("DTSTART;TZID=Asia/Shanghai:20240506T090000\r\n"), "{unfolded}");
    assert!(unfolded.contains("DESCRIPTION:对接会\\,推介\\;签约\\n跟进\r\n"), "{unfolded}");

    // After the trip: the activity (外出招商) of the trip, its form opened for the outcomes.
    let response = app.post_form(&format!("{path}/activity"), &baiyin, &form(&csrf, &[])).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let target = location(&response);
    assert!(target.starts_with("/activities/") && target.ends_with("/edit"), "{target}");
    let activity_id: i64 = target.trim_start_matches("/activities/").trim_end_matches("/edit").parse().unwrap();
    let activity = store.activity(activity_id).await.unwrap().unwrap();
    assert_eq!(activity.kind, "外出招商");
    assert_eq!(activity.region_code.as_deref(), Some("620400"));
    assert_eq!((activity.start_on.unwrap().to_string(), activity.place.as_str()), ("2024-05-06".into(), "上海市"));
    assert_eq!(activity.participants.len(), 1);
    assert_eq!(
        (activity.participants[0].name.as_str(), activity.participants[0].role),
        ("王德胜", ParticipantRole::Leader)
    );
    assert_eq!(activity.chambers, ["上海市甘肃商会"]);
    assert_eq!(store.travel_plan(id).await.unwrap().unwrap().activity_id, Some(activity_id));
    assert_eq!(app.get(&target, Some(&baiyin)).await.status(), StatusCode::OK);
    let page = body_text(app.get(&path, Some(&baiyin)).await).await;
    assert!(page.contains(&format!("/activities/{activity_id}")) && !page.contains("id=\"to-activity\""), "{page}");
    // Twice is once.
    let again = app.post_form(&format!("{path}/activity"), &baiyin, &form(&csrf, &[])).await;
    assert_eq!(location(&again), target);
    // The visited enterprises become those met (the edit ticked one, then none).
    let mut with_firm = only_chamber.clone();
    with_firm.extend([("visit", firm_key.as_str()), (firm_day.as_str(), "2024-05-06")]);
    let second = app.post_form("/travel", &baiyin, &form(&csrf, &good)).await;
    let second_path = location(&second);
    app.post_form(&second_path, &baiyin, &form(&csrf, &with_firm)).await;
    let made = app.post_form(&format!("{second_path}/activity"), &baiyin, &form(&csrf, &[])).await;
    let made: i64 = location(&made).trim_start_matches("/activities/").trim_end_matches("/edit").parse().unwrap();
    let met = store.activity(made).await.unwrap().unwrap().enterprises;
    assert_eq!(met.iter().map(|e| e.id).collect::<Vec<_>>(), [firm.enterprise_id.unwrap()]);
    assert_ne!(made, activity_id, "a second trip, a second activity");
}
