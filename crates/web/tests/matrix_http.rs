//! The authorisation matrix (security part 2, item 1): every route of the router × the
//! eight roles and a signed-out visitor × a record inside and one outside the user's
//! scope, answered as `core/src/access/matrix.tsv` says; no answer shows a record
//! outside the user's scope; no refused request and no read changes anything.
//! `ZHAOSHANG_MATRIX_PRINT=1` prints the table as the application answers it.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use zhaoshang_core::access::{Principal, Role, Section, AUTHORISATION_MATRIX};
use zhaoshang_core::activities::ActivitySort;
use zhaoshang_core::attachments::{sample_pdf, sample_png, OwnerKind};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::activities::ActivityFilter;
use zhaoshang_store::activity_plans::ActivityPlanFilter;
use zhaoshang_store::appeals::{AppealFilter, AppealSort};
use zhaoshang_store::attachments::NewAttachment;
use zhaoshang_store::instructions::OpenTaskFilter;
use zhaoshang_store::leads::LeadFilter;
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::plans::PlanFilter;
use zhaoshang_store::work_plans::OpenPlanTaskFilter;
use zhaoshang_store::Actor;
use zhaoshang_testkit::Backend;
use zhaoshang_web::auth::urlencode;

/// The columns after the request's: who asks (a demo account, or nobody).
const ASKERS: [(&str, Option<&str>); 9] = [
    ("anonymous", None),
    ("admin", Some("admin")),
    ("region", Some("baiyin")),
    ("chain", Some("chain")),
    ("leader", Some("leader")),
    ("member", Some("member")),
    ("liaison", Some("liaison")),
    ("reviewer", Some("reviewer")),
    ("investor", Some("investor")),
];

struct Row {
    method: Method,
    route: String,
    request: String,
    body: String,
    /// Per asker: (inside, outside).
    expected: Vec<(u16, u16)>,
}

fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for line in AUTHORISATION_MATRIX.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(cells.len(), 4 + ASKERS.len(), "matrix row: {line}");
        let expected = cells[4..]
            .iter()
            .map(|cell| {
                let (inside, outside) = cell.split_once('/').unwrap_or((cell, cell));
                (inside.parse().expect(cell), outside.parse().expect(cell))
            })
            .collect();
        rows.push(Row {
            method: cells[0].parse().unwrap(),
            route: cells[1].into(),
            request: cells[2].into(),
            body: cells[3].into(),
            expected,
        });
    }
    rows
}

/// The placeholder values of the record inside the scopes (白银) and outside (天水).
struct Side {
    values: BTreeMap<String, String>,
}

impl Side {
    fn fill(&self, text: &str, asker: &str, side: &str) -> String {
        let number = ASKERS.iter().position(|(name, _)| *name == asker).unwrap_or(0) + 1;
        let mut text = text.replace("{role}", asker).replace("{side}", side).replace("{role_no}", &number.to_string());
        for (key, value) in &self.values {
            text = text.replace(&format!("{{{key}}}"), value);
        }
        text
    }
}

async fn side(app: &TestApp, region: &str, chain_name: &str) -> Side {
    let store = app.store();
    let chain = store.chain_by_name(chain_name).await.unwrap().unwrap();
    let nodes = store.chain_nodes(chain.id).await.unwrap();
    let root = nodes.iter().find(|node| node.parent_id.is_none()).unwrap();
    let link = nodes.iter().find(|node| node.parent_id.is_some()).unwrap();
    let prefix = &region[..4];
    let filter = ProjectFilter { region_prefix: prefix.into(), chain: Some(chain_name.into()), ..Default::default() };
    let project = store.list_projects(&filter, ProjectSort::default(), 1, 0).await.unwrap().remove(0);
    let on_chain = store.chain_enterprises(chain.id, prefix).await.unwrap();
    let enterprise = store.enterprise(on_chain[0].enterprise_id).await.unwrap().unwrap();
    let plans = store.plans(&PlanFilter { region_prefix: prefix.into(), ..Default::default() }, 100).await.unwrap();
    let plan = plans.iter().find(|plan| plan.chain_id == Some(chain.id)).expect("a demo plan on the chain");
    let user = store.user_by_name(if region == "620400" { "baiyin" } else { "tianshui" }).await.unwrap().unwrap();
    let appeal_filter = AppealFilter { region_prefix: prefix.into(), ..Default::default() };
    // An appeal still being handled, so that a step of its course may be taken.
    let appeals = store.list_appeals(&appeal_filter, AppealSort::default(), 500, 0).await.unwrap();
    let appeal = appeals.into_iter().find(|a| a.data.answered_on.is_none()).expect("a demo appeal being handled");
    let county = format!("{prefix}02");
    // Inside: a lead of the demo liaison's chamber followed in 白银; outside: another
    // chamber's, in 天水.
    let liaison_chamber = store.user_by_name("liaison").await.unwrap().unwrap().chamber_id;
    let lead_filter = LeadFilter { region_prefix: Some(prefix.into()), ..Default::default() };
    let lead = store
        .leads_page(&lead_filter, 100, 0)
        .await
        .unwrap()
        .into_iter()
        .find(|lead| lead.project_id.is_some() && (lead.chamber_id == liaison_chamber) == (region == "620400"))
        .expect("a demo lead on each side");
    // A parcel not on offer (意向: only users with its region in scope read it) and the
    // side's park.
    let parcel_filter = zhaoshang_store::parcels::ParcelFilter {
        region_prefix: Some(prefix.into()),
        status: Some("intended".into()),
        ..Default::default()
    };
    let parcel = store
        .parcels_page(&parcel_filter, Default::default(), 1, 0)
        .await
        .unwrap()
        .pop()
        .expect("a demo parcel under intent on each side");
    let on_offer = zhaoshang_store::parcels::ParcelFilter { status: Some("available".into()), ..parcel_filter };
    let parcel_public = store.parcels_page(&on_offer, Default::default(), 1, 0).await.unwrap().remove(0);
    let park = store.parks(prefix).await.unwrap().remove(0);
    let park_chains: Vec<i64> = store.park_chains(Some(park.id)).await.unwrap().iter().map(|c| c.chain_id).collect();
    let park_form = park_form_body(&zhaoshang_app::parcels::parks::park_form_of(&park, &park_chains));
    let photo = NewAttachment {
        file_name: "园区.png".into(),
        content_type: "image/png".into(),
        sha256: String::new(),
        content: sample_png(),
    };
    let park_photo =
        store.add_attachments(OwnerKind::Park, &park.id.to_string(), &[photo], &Actor::system("测试")).await;
    let park_photo = park_photo.unwrap().remove(0).id;
    // Chambers belong to no region: both sides name the same one.
    let chamber = store.all_chambers().await.unwrap().remove(0);
    // Achievements belong to no region either: one the demo reviewer reviewed.
    let reviewer = store.user_by_name("reviewer").await.unwrap().unwrap();
    let expert =
        store.expert_of_user(reviewer.id, &reviewer.username).await.unwrap().expect("the demo reviewer's expert");
    let achievement = store.codes_reviewed_by(expert).await.unwrap().remove(0);
    // The registry's forms are sent their record's stored values (a save that changes nothing).
    let stored = store.achievement(&achievement).await.unwrap().unwrap();
    let year = stored.year.to_string();
    let achievement_form = serde_urlencoded::to_string([
        ("title", &stored.title),
        ("institution", &stored.institution),
        ("institution_credit_code", &stored.institution_credit_code),
        ("industry", &stored.industry),
        ("year", &year),
        ("maturity", &stored.maturity),
        ("ip", &stored.ip),
        ("contact", &stored.contact),
        ("description", &stored.description),
    ])
    .unwrap();
    let institution = store.institutions_page(&Some(stored.institution.clone()), 1, 0).await.unwrap().remove(0);
    let institution_form =
        serde_urlencoded::to_string([("name", &institution.name), ("credit_code", &institution.credit_code)]).unwrap();
    let expert_data = store.expert_data(expert).await.unwrap().unwrap();
    let expert_form = serde_urlencoded::to_string([
        ("institution", &expert_data.institution),
        ("institution_credit_code", &expert_data.institution_credit_code),
        ("fields", &expert_data.fields),
        ("account", &expert_data.account),
    ])
    .unwrap();
    // The side's report, its instruction for action and its task owing a reply.
    let visit = store.visits_page(prefix, 1, 0).await.unwrap().1.pop().expect("a demo visit on each side");
    let city_activities = ActivityFilter { region: Some(prefix.to_string()), ..Default::default() };
    let activity = store.activities_page(&city_activities, ActivitySort::Latest, 1, 0).await.unwrap().1.pop();
    let activity = activity.expect("a demo activity on each side").activity;
    // A travel plan of the side's city's leader to 上海, with no visits yet.
    let travel = zhaoshang_store::travel::TravelPlan {
        id: 0,
        region_code: region.to_string(),
        leader: "矩阵领导".into(),
        destination_code: "310000".into(),
        start_on: chrono::NaiveDate::from_ymd_opt(2024, 5, 6).unwrap(),
        end_on: chrono::NaiveDate::from_ymd_opt(2024, 5, 7).unwrap(),
        purpose: String::new(),
        created_by: "测试".into(),
        created_at: chrono::Utc::now(),
        activity_id: None,
        visits: Vec::new(),
    };
    let travel = store.save_travel_plan(&travel, &Actor::system("测试")).await.unwrap();
    let report = store.reports_page(prefix, 1, 0).await.unwrap().pop().expect("a demo report on each side");
    let instructions = store.report_instructions(report.id).await.unwrap();
    let instruction = instructions.iter().find(|i| i.data.kind == "action").expect("a demo instruction for action");
    let open = OpenTaskFilter { region_prefix: prefix.into(), ..Default::default() };
    let task = store.open_tasks(&open, 1).await.unwrap().pop().expect("a demo task owing a reply on each side");
    // The side's scheme, an open task of its first 助力小组 and its last group.
    let plans = store.work_plans(prefix).await.unwrap();
    let scheme = plans.iter().find(|p| p.data.kind == "scheme").expect("a demo scheme on each side");
    let groups = store.groups(prefix).await.unwrap();
    let own = OpenPlanTaskFilter { region_prefix: prefix.into(), group_ids: vec![groups[0].id], ..Default::default() };
    let plan_task = store.open_plan_tasks(&own, 1).await.unwrap().pop().expect("an open task of the first group");
    // The side's latest activity plan and its first line.
    let side_plans = ActivityPlanFilter { scope: prefix.to_string(), ..Default::default() };
    let activity_plan = store.activity_plans_page(&side_plans, 1, 0).await.unwrap().1.pop();
    let activity_plan = activity_plan.expect("a demo activity plan on each side");
    let plan_line = store.activity_plan_lines(&[activity_plan.id]).await.unwrap().remove(0);
    let today = zhaoshang_app::calendar::today();
    // Files on the side's appeal: the admin's and the region user's to remove, and one the
    // others share (which none of them may remove).
    let mut attachments = BTreeMap::new();
    for owner in ["admin", "region", "shared"] {
        let file = NewAttachment {
            file_name: format!("矩阵-{owner}.pdf"),
            content_type: "application/pdf".into(),
            sha256: String::new(),
            content: sample_pdf(owner),
        };
        let added = store.add_attachments(OwnerKind::Appeal, &appeal.data.code, &[file], &Actor::system("测试")).await;
        attachments.insert(owner, added.unwrap().remove(0).id.to_string());
    }
    let mut values: BTreeMap<String, String> = ASKERS
        .iter()
        .map(|(column, _)| {
            (format!("attachment_{column}"), attachments.get(column).unwrap_or(&attachments["shared"]).clone())
        })
        .collect();
    values.extend(
        [
            ("region", region.to_string()),
            ("county", county),
            ("project", project.id.to_string()),
            ("project_name", project.data.name.clone()),
            ("project_code", project.data.code.clone()),
            ("project_owner", project.data.owner.clone()),
            ("enterprise", enterprise.id.to_string()),
            ("enterprise_name", enterprise.data.name.clone()),
            ("enterprise_code", enterprise.data.credit_code.clone()),
            ("chain", chain.id.to_string()),
            ("node", link.id.to_string()),
            ("node_name", link.name.clone()),
            ("attached_node", on_chain[0].node_id.to_string()),
            ("root", root.name.clone()),
            ("root_id", root.id.to_string()),
            ("plan", plan.id.to_string()),
            ("signed_on", project.data.signed_on.map(|day| day.to_string()).unwrap_or_default()),
            ("user", user.id.to_string()),
            ("chamber", chamber.id.to_string()),
            ("appeal", appeal.data.code),
            ("lead", lead.id.to_string()),
            ("achievement", achievement),
            ("achievement_form", achievement_form),
            ("institution", institution.id.to_string()),
            ("institution_form", institution_form),
            ("expert", expert.to_string()),
            ("expert_form", expert_form),
            ("parcel_lon", parcel.data.lon.to_string()),
            ("parcel_lat", parcel.data.lat.to_string()),
            ("parcel", parcel.data.code),
            ("parcel_public_lon", parcel_public.data.lon.to_string()),
            ("parcel_public_lat", parcel_public.data.lat.to_string()),
            ("parcel_public", parcel_public.data.code),
            ("park", park.id.to_string()),
            ("park_form", park_form),
            ("park_photo", park_photo.to_string()),
            ("visit", visit.id.to_string()),
            ("activity", activity.id.to_string()),
            ("activity_plan", activity_plan.id.to_string()),
            ("activity_plan_period", activity_plan.data.period.clone()),
            ("activity_plan_line", plan_line.id.to_string()),
            ("activity_plan_due", plan_line.data.due_on.to_string()),
            ("travel", travel.to_string()),
            ("report", report.id.to_string()),
            ("instruction", instruction.id.to_string()),
            ("task", task.id.to_string()),
            ("work_plan", scheme.id.to_string()),
            ("task_plan", plan_task.plan_id.to_string()),
            ("plan_task", plan_task.id.to_string()),
            ("plan_task_group", groups[0].id.to_string()),
            ("plan_task_deadline", plan_task.data.deadline.to_string()),
            ("group", groups.last().unwrap().id.to_string()),
            ("today", today.to_string()),
            ("year", scheme.data.end_year.to_string()),
            ("first_year", scheme.data.start_year.to_string()),
        ]
        .map(|(key, value)| (key.to_string(), value)),
    );
    Side { values }
}

/// A park form's fields as a browser sends them (`ParkForm::from_pairs` reads them).
fn park_form_body(form: &zhaoshang_core::parcels::park::ParkForm) -> String {
    let mut pairs: Vec<(String, &str)> = [
        ("name", &form.name),
        ("region_code", &form.region_code),
        ("level", &form.level),
        ("leading_industries", &form.leading_industries),
        ("area_mu", &form.area_mu),
        ("built_area_mu", &form.built_area_mu),
        ("lon", &form.lon),
        ("lat", &form.lat),
        ("energy_quota_tce", &form.energy_quota_tce),
        ("energy_quota_note", &form.energy_quota_note),
        ("price_min_wan", &form.price_min_wan),
        ("price_max_wan", &form.price_max_wan),
        ("policies", &form.policies),
        ("contacts", &form.contacts),
        ("description", &form.description),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_string(), value.as_str()))
    .collect();
    pairs.extend(form.chains.iter().map(|chain| ("chain".to_string(), chain.as_str())));
    for (utility, line) in zhaoshang_core::parcels::Utility::ALL.iter().zip(&form.infrastructure) {
        pairs.push((format!("{}_readiness", utility.key()), &line.readiness));
        pairs.push((format!("{}_capacity", utility.key()), &line.capacity));
    }
    serde_urlencoded::to_string(pairs).unwrap()
}

fn request(app_csrf: Option<&str>, cookie: Option<&str>, method: &Method, uri: &str, body: &str) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    let csrf = app_csrf.unwrap_or("");
    if let Some(form) = body.strip_prefix("form:") {
        let form = if form.is_empty() { format!("csrf={csrf}") } else { format!("csrf={csrf}&{form}") };
        let encoded: Vec<(String, String)> = serde_urlencoded::from_str(&form).unwrap();
        builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        return builder.body(Body::from(serde_urlencoded::to_string(encoded).unwrap())).unwrap();
    }
    if let Some(json) = body.strip_prefix("json:") {
        builder = builder.header(header::CONTENT_TYPE, "application/json");
        return builder.body(Body::from(json.to_string())).unwrap();
    }
    builder.body(Body::empty()).unwrap()
}

/// An upload of `kind` to `uri`: a one-row file for a county as the import page uploads
/// it, or a small PDF as an attachment.
fn upload(
    uri: &str,
    cookie: Option<&str>,
    csrf: Option<&str>,
    kind: &str,
    county: &str,
    unique: &str,
) -> Request<Body> {
    if kind == "attachment" {
        let pdf = sample_pdf(unique);
        return multipart_request(uri, cookie, &[("csrf", csrf.unwrap_or(""))], &[("matrix.pdf", &pdf)]);
    }
    let csv = match kind {
        "projects" => format!("项目编号,项目名称,所属地区\nMX-{unique},矩阵导入项目,{county}\n"),
        other => panic!("no upload of {other} in the matrix"),
    };
    let mut request = upload_request(cookie.unwrap_or(""), csrf.unwrap_or(""), kind, "matrix.csv", csv.as_bytes());
    if cookie.is_none() {
        request.headers_mut().remove(header::COOKIE);
    }
    request
}

struct Asker {
    column: &'static str,
    username: Option<&'static str>,
    cookie: Option<String>,
    csrf: Option<String>,
    principal: Option<Principal>,
}

async fn sign_in(app: &TestApp, asker: &mut Asker) {
    if let Some(username) = asker.username {
        let cookie = app.sign_in_demo(username).await;
        asker.csrf = Some(app.csrf(&cookie).await);
        asker.cookie = Some(cookie);
    }
}

/// Whether the outside record's project and enterprise are hidden from the asker.
fn hides(principal: &Option<Principal>, own_chains: &[String], outside: &Side) -> (bool, bool) {
    let Some(principal) = principal else { return (true, true) };
    let region = RegionCode::parse(&outside.values["region"]).unwrap();
    let chain = &outside.values["chain_name"];
    let project_hidden = !principal.project_scope(own_chains).allows(&region, chain);
    let enterprise_hidden = !principal.record_scope().allows(&region);
    (project_hidden, enterprise_hidden)
}

async fn the_matrix_holds_for_every_route_and_role(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let chain_names = ["白银市有色金属产业链", "天水市电工电器产业链"];
    let inside_chain = store.chain_by_name(chain_names[0]).await.unwrap().expect("白银's demo chain");
    // The chain department holds 白银's chain only, so 天水's is outside its scope.
    let chain_user = store.user_by_name("chain").await.unwrap().unwrap();
    store.set_user_chains(chain_user.id, &[inside_chain.id], &Actor::system("测试")).await.unwrap();
    let mut sides = [side(&app, "620400", chain_names[0]).await, side(&app, "620500", chain_names[1]).await];
    for (side, name) in sides.iter_mut().zip(chain_names) {
        side.values.insert("chain_name".into(), name.to_string());
    }
    let own_chains = vec![chain_names[0].to_string()];

    // Every route of the router has its rows, and no row names a route that is gone.
    let routes: BTreeSet<String> = zhaoshang_web::routes().paths().iter().cloned().collect();
    let rows = rows();
    let listed: BTreeSet<String> = rows.iter().map(|row| row.route.clone()).collect();
    let unlisted: Vec<_> = routes.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&routes).collect();
    assert!(unlisted.is_empty() && gone.is_empty(), "routes without rows: {unlisted:?}; rows without routes: {gone:?}");

    let mut askers = Vec::new();
    for (column, username) in ASKERS {
        let mut asker = Asker { column, username, cookie: None, csrf: None, principal: None };
        sign_in(&app, &mut asker).await;
        if let Some(username) = username {
            let user = store.user_by_name(username).await.unwrap().unwrap();
            asker.principal = Some(Principal {
                user_id: user.id,
                username: user.username,
                role: Role::parse(&user.role).unwrap(),
                region: user.region_code.map(|code| RegionCode::parse(&code).unwrap()),
            });
        }
        askers.push(asker);
    }

    let mut mismatches = Vec::new();
    let mut leaks = Vec::new();
    let mut printed = Vec::new();
    let mut checked = 0;
    // Role by role, each through every row in order, so a role's own writes come in
    // pairs (attach, then detach) and leave the records as the next role finds them.
    let mut cells = vec![vec![String::new(); ASKERS.len()]; rows.len()];
    for (column, asker) in askers.iter_mut().enumerate() {
        for (row_index, row) in rows.iter().enumerate() {
            let (hide_project, hide_enterprise) = hides(&asker.principal, &own_chains, &sides[1]);
            let mut answers = Vec::new();
            for (index, (side, side_name)) in sides.iter().zip(["in", "out"]).enumerate() {
                let uri = side.fill(&row.request, asker.column, side_name);
                let body = side.fill(&row.body, asker.column, side_name);
                // A request that names no record is the same on both sides: sent once.
                let inside =
                    (sides[0].fill(&row.request, asker.column, "in"), sides[0].fill(&row.body, asker.column, "in"));
                if index == 1 && (uri.as_str(), body.as_str()) == (inside.0.as_str(), inside.1.as_str()) {
                    answers.push(answers[0]);
                    continue;
                }
                let before = store.change_stamp().await.unwrap();
                let (cookie, csrf) = (asker.cookie.as_deref(), asker.csrf.as_deref());
                let http = match body.strip_prefix("upload:") {
                    Some(kind) => {
                        let unique = format!("{}-{side_name}", asker.column);
                        upload(&uri, cookie, csrf, kind, &side.values["county"], &unique)
                    }
                    None => request(csrf, cookie, &row.method, &uri, &body),
                };
                let response = app.send(http).await;
                let status = response.status();
                let text = String::from_utf8_lossy(&body_bytes(response).await).to_string();
                checked += 1;
                let what = format!("{} {} as {} ({side_name})", row.method, uri, asker.column);
                let after = store.change_stamp().await.unwrap();
                let session_route = row.route == "/api/v1/session" || row.route == "/logout" || row.route == "/login";
                // Reads and refusals change nothing; neither does anything a user asks of a
                // record outside its project scope, unless the matrix says it may (a member
                // files and keeps the research reports of the whole province).
                let declared_outside = index == 1 && row.expected[column].1 < 400;
                let unchanged = row.method == Method::GET
                    || status.is_client_error()
                    || (index == 1 && hide_project && !declared_outside);
                if unchanged && !session_route {
                    assert_eq!(before, after, "{what} answered {status} and changed something");
                }
                if row.method == Method::GET && !uri.contains(&sides[1].values["project_name"]) {
                    if hide_project && text.contains(&sides[1].values["project_code"]) {
                        leaks.push(format!("{what}: shows the outside project"));
                    }
                    if hide_enterprise && text.contains(&sides[1].values["enterprise_code"]) {
                        leaks.push(format!("{what}: shows the outside enterprise"));
                    }
                }
                answers.push(status.as_u16());
            }
            if row.route == "/logout" || (row.route == "/api/v1/session" && row.method == Method::DELETE) {
                sign_in(&app, asker).await;
            }
            let (inside, outside) = (answers[0], answers[1]);
            if (inside, outside) != row.expected[column] {
                mismatches.push(format!(
                    "{} {} as {}: expected {:?}, got {:?}",
                    row.method,
                    row.route,
                    asker.column,
                    row.expected[column],
                    (inside, outside)
                ));
            }
            cells[row_index][column] =
                if inside == outside { inside.to_string() } else { format!("{inside}/{outside}") };
        }
    }
    for (row, cells) in rows.iter().zip(&cells) {
        printed.push(format!("{}\t{}\t{}\t{}\t{}", row.method, row.route, row.request, row.body, cells.join("\t")));
    }
    if std::env::var_os("ZHAOSHANG_MATRIX_PRINT").is_some() {
        println!("{}", printed.join("\n"));
    }
    assert!(mismatches.is_empty(), "{} answers differ from the matrix:\n{}", mismatches.len(), mismatches.join("\n"));
    assert!(leaks.is_empty(), "records outside scope shown:\n{}", leaks.join("\n"));
    assert!(checked >= rows.len() * ASKERS.len(), "{checked} requests");
    // The markers the leak check looks for do show where the record is in scope.
    let admin = askers[1].cookie.as_deref();
    let outside = &sides[1].values;
    let projects =
        body_text(app.get(&format!("/projects?q={}", urlencode(&outside["project_name"])), admin).await).await;
    assert!(projects.contains(&outside["project_code"]), "the admin's list shows the project's code");
    let enterprises = format!("/enterprises?q={}", urlencode(&outside["enterprise_name"]));
    assert!(body_text(app.get(&enterprises, admin).await).await.contains(&outside["enterprise_code"]));

    // Methods a route does not list answer 405 (no handler is reachable by another verb).
    for route in &routes {
        let listed: Vec<&Row> = rows.iter().filter(|row| &row.route == route).collect();
        for method in [Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
            if listed.iter().any(|row| row.method == method) {
                continue;
            }
            let uri = sides[0].fill(&listed[0].request, "admin", "in");
            let status = app.send(request(None, admin, &method, &uri, "-")).await.status();
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {route}");
        }
    }

    // The navigation offers exactly the sections whose page answers 200.
    for asker in askers.iter().filter(|asker| asker.principal.is_some()) {
        let principal = asker.principal.as_ref().unwrap();
        let column = ASKERS.iter().position(|(name, _)| *name == asker.column).unwrap();
        for section in Section::ALL {
            let row = rows.iter().find(|row| row.method == Method::GET && row.route == section.href()).unwrap();
            let opens = row.expected[column].0 == 200;
            assert_eq!(principal.may_open(section), opens, "{:?} for {}", section, asker.column);
        }
    }
}

on_both_backends!(the_matrix_holds_for_every_route_and_role);
