//! Server-rendered pages: minijinja templates compiled into the binary, one layout
//! and shared macros; HTML auto-escaped.

use crate::auth::Session;
use crate::error::WebError;
use axum::http::StatusCode;
use axum::response::Html;
use minijinja::{context, Environment, Value};
use serde::Serialize;
use std::sync::OnceLock;
use zhaoshang_app::inbox::InboxCounts;
use zhaoshang_core::access::{Principal, Section};

/// Each template under its path in `templates/`: the layout, the shared macros, the error
/// and sign-in pages at the top; every area's pages in the area's folder.
macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates![
    "layout.html",
    "macros.html",
    "error.html",
    "error_page.html",
    "login.html",
    "home/home.html",
    "search/search.html",
    "import/import.html",
    "import/mapping.html",
    "admin/users.html",
    "admin/user_form.html",
    "admin/audit.html",
    "reference/regions.html",
    "reference/parks.html",
    "reference/departments.html",
    "reference/calendar.html",
    "reference/industries.html",
    "dashboard/dashboard.html",
    "dashboard/statistical_report.html",
    "dashboard/briefing.html",
    "documents/briefing.html",
    "documents/briefing_body.html",
    "evaluation/evaluation.html",
    "evaluation/scheme_form.html",
    "evaluation/schemes.html",
    "evaluation/cadres.html",
    "evaluation/cadre.html",
    "projects/projects.html",
    "projects/project.html",
    "projects/project_form.html",
    "projects/funding.html",
    "projects/duplicates.html",
    "chambers/assessment.html",
    "chambers/attribution.html",
    "chambers/network.html",
    "chambers/chamber.html",
    "chambers/chambers.html",
    "leads/leads.html",
    "leads/new.html",
    "leads/lead.html",
    "enterprises/enterprises.html",
    "enterprises/enterprise.html",
    "chains/chains.html",
    "chains/chain.html",
    "chains/chain_form.html",
    "plans/plans.html",
    "plans/plan.html",
    "plans/inbox.html",
    "appeals/appeals.html",
    "appeals/appeal.html",
    "appeals/new.html",
    "appeals/figures.html",
    "appeals/notice.html",
    "attachments/section.html",
    "visits/visits.html",
    "visits/new.html",
    "visits/visit.html",
    "activities/activities.html",
    "activities/_filters.html",
    "activities/calendar.html",
    "activities/activity.html",
    "activities/form.html",
    "travel/plans.html",
    "travel/form.html",
    "travel/plan.html",
    "activities/cohort.html",
    "activities/cohorts.html",
    "activities/_cohort_head.html",
    "activities/_cohort_row.html",
    "activity_plans/plans.html",
    "activity_plans/plan.html",
    "activity_plans/form.html",
    "activity_plans/line.html",
    "activity_plans/_line_fields.html",
    "work_plans/plans.html",
    "work_plans/form.html",
    "work_plans/plan.html",
    "work_plans/task.html",
    "work_plans/_task_fields.html",
    "work_plans/_region_field.html",
    "groups/groups.html",
    "groups/form.html",
    "groups/group.html",
    "appeals/supervision.html",
    "reports/reports.html",
    "reports/new.html",
    "reports/report.html",
    "reports/instruction.html",
    "documents/document.html",
    "documents/report.html",
    "documents/instruction.html",
    "documents/instruction_tasks.html",
    "documents/work_plan.html",
    "instructions/board.html",
    "achievements/achievements.html",
    "achievements/achievement.html",
    "achievements/achievement_form.html",
    "achievements/institutions.html",
    "achievements/institution_form.html",
    "achievements/experts.html",
    "achievements/expert_form.html",
    "achievements/pool.html",
    "achievements/rounds.html",
    "achievements/report.html",
    "achievements/round.html",
    "achievements/published.html",
    "parcels/parcels.html",
    "parcels/parcel.html",
    "parcels/compare.html",
    "parcels/park.html",
    "parcels/park_form.html",
    "parcels/infrastructure.html",
    "portal/base.html",
    "portal/enquiry.html",
    "portal/front.html",
    "portal/park.html",
    "portal/parcel.html",
    "portal/achievement.html",
    "portal/invalid.html",
    "portal/track_form.html",
    "portal/track.html",
    "portal/appeal.html",
    "portal/track_appeal.html",
    "portal/project.html",
    "portal/shortlist.html",
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source).expect("template compiles");
        }
        // `asset_url('app.css')`: the asset's URL named by its content (safe: built from our
        // own asset names, so not escaped); a name that is no asset fails the page rather
        // than link nothing.
        env.add_function("asset_url", |name: &str| {
            crate::assets::asset_url(name).map(Value::from_safe_string).ok_or_else(|| {
                minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, format!("no asset {name}"))
            })
        });
        // `{{ amount|money }}`: every amount shown with thousands separators, however
        // the handler wrote it ("1215200.00" or 1215200); nothing for none.
        env.add_filter("money", |value: Value| {
            if value.is_none() || value.is_undefined() {
                String::new()
            } else {
                zhaoshang_core::money::group_thousands(&value.to_string())
            }
        });
        env
    })
}

#[derive(Serialize)]
struct NavItem {
    href: &'static str,
    label: &'static str,
    group: &'static str,
    active: bool,
    /// A count shown beside the label (the inbox's red and yellow items), and its colour.
    badge: usize,
    badge_colour: &'static str,
    badge_title: String,
}

/// The navigation a user sees: the sections `core::access` opens for them.
fn navigation(principal: &Principal, active: &str, inbox: &InboxCounts) -> Vec<NavItem> {
    let urgent = (inbox.red + inbox.yellow).min(crate::auth::INBOX_BADGE_MAX as usize);
    principal
        .sections()
        .map(|section| NavItem {
            href: section.href(),
            label: section.label(),
            group: section.group(),
            active: section.href() == active,
            badge: if section == Section::Inbox { urgent } else { 0 },
            badge_colour: inbox.badge_urgency().key(),
            badge_title: format!("已逾期 {} 项，今日到期 {} 项，即将到期 {} 项", inbox.red, inbox.yellow, inbox.blue),
        })
        .collect()
}

/// Renders a page inside the layout for a signed-in user.
pub fn page(session: &Session, active: &str, template: &str, data: Value) -> Result<Html<String>, WebError> {
    let principal = &session.principal;
    let ctx = context! {
        user => context! {
            username => principal.username,
            display_name => session.display_name,
            role => principal.role.key(),
            role_label => principal.role.label(),
            region => principal.region.as_ref().map(|r| r.to_string()),
        },
        nav => navigation(principal, active, &session.inbox),
        may_search => principal.may_search(),
        csrf => session.csrf_token,
        ..data
    };
    render(template, ctx)
}

/// Renders a page that visitors may open too (site selection, the portal): inside the
/// layout with the user's navigation when signed in, else with a sign-in link only.
pub fn public_page(
    session: Option<&Session>,
    active: &str,
    template: &str,
    data: Value,
) -> Result<Html<String>, WebError> {
    match session {
        Some(session) => page(session, active, template, data),
        None => render(
            template,
            context! { user => Value::from(()), nav => Vec::<NavItem>::new(), visitor => true, ..data },
        ),
    }
}

pub fn render(template: &str, ctx: Value) -> Result<Html<String>, WebError> {
    environment()
        .get_template(template)
        .and_then(|t| t.render(ctx))
        .map(Html)
        .map_err(|e| WebError::internal(format!("template {template}: {e:#}")))
}

pub fn render_error(status: StatusCode, message: &str) -> String {
    render("error.html", context! { status => status.as_u16(), message => message })
        .map(|html| html.0)
        .unwrap_or_else(|_| format!("<h1>{}</h1>", status.as_u16()))
}

#[cfg(test)]
mod tests {
    /// Data reaches the pages' scripts in `<script type="application/json">` blocks
    /// written with `tojson`: no text in the data can close the element or start markup,
    /// and the script reads back exactly the data.
    #[test]
    fn json_data_blocks_cannot_be_closed_by_their_data() {
        let data = serde_json::json!({ "name": "</script><script>x()</script><img src=x onerror='y()'> & <!--" });
        let html = super::environment()
            .render_str(
                r#"<script type="application/json" id="d">{{ data|tojson }}</script>"#,
                minijinja::context! { data },
            )
            .unwrap();
        let inner = html
            .strip_prefix(r#"<script type="application/json" id="d">"#)
            .and_then(|rest| rest.strip_suffix("</script>"))
            .unwrap();
        assert!(!inner.contains(['<', '>', '&', '\'']), "{inner}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(inner).unwrap(), data);
    }
}
