//! 领导简报 (issue 24, point 5): the one page a leader prints before a meeting about a
//! region and period — the headline figures with year on year, the year's target against
//! time progress, the region's place in its parent's quarterly evaluation, the largest
//! signings, the signings that have not started, and what is overdue (appeals past their
//! answer date, instructions' tasks past their deadline). Lists only of the records the
//! user may read; the figures as the dashboard's.

use crate::evaluation::evaluation;
use crate::stats::{scoped_investment_report, scoped_monthly};
use crate::{App, AppResult};
use chrono::{Days, NaiveDate};
use std::collections::HashMap;
use zhaoshang_core::access::Principal;
use zhaoshang_core::evaluation::{EvaluationItem, Quarter};
use zhaoshang_core::metrics::{InvestmentReport, Period};
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::appeals::{Appeal, AppealFilter, AppealSort};
use zhaoshang_store::instructions::{OpenTaskFilter, Task};
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::projects::Project;

/// Rows of each list the page has room for.
pub const LIST_ROWS: i64 = 5;
/// A signing not started after this many days is stalled (签约未开工).
pub const STALLED_AFTER_DAYS: u64 = 180;

/// The region's place among its parent's sub-regions in the last quarter ended by the
/// period's end, with the number ranked.
pub struct Ranking {
    pub quarter: Quarter,
    pub parent_name: String,
    pub item: EvaluationItem,
    pub of: usize,
}

pub struct Briefing {
    pub region: RegionCode,
    pub region_name: String,
    pub period: Period,
    pub today: NaiveDate,
    pub report: InvestmentReport,
    pub ranking: Option<Ranking>,
    pub top_projects: Vec<Project>,
    pub stalled_projects: Vec<Project>,
    pub overdue_appeals: Vec<Appeal>,
    pub overdue_appeal_count: i64,
    pub overdue_tasks: Vec<Task>,
    /// 1 January to the period's end ("YYYY-MM"), with signed investment and funds in
    /// place per month (yuan).
    pub months: Vec<String>,
    pub signed_by_month: HashMap<String, i64>,
    pub funds_by_month: HashMap<String, i64>,
}

/// The region's rank among its parent's sub-regions, if it has a parent.
async fn ranking(store: &zhaoshang_store::Store, region: &RegionCode, to: NaiveDate) -> AppResult<Option<Ranking>> {
    let Some(parent) = store.region(region.as_str()).await?.and_then(|r| r.parent_code) else { return Ok(None) };
    let parent = RegionCode::parse(&parent).map_err(crate::AppError::internal)?;
    let quarter = Quarter::last_finished(to.succ_opt().unwrap_or(to));
    let result = evaluation(store, &parent, quarter).await?;
    let of = result.items.len();
    let parent_name = result.region_name.clone();
    Ok(result.items.into_iter().find(|item| item.region == region.as_str()).map(|item| Ranking {
        quarter,
        parent_name,
        item,
        of,
    }))
}

impl App {
    /// The briefing of a dashboard scope (checked by `dashboard_scope`).
    pub async fn briefing(&self, principal: &Principal, region: RegionCode, period: Period) -> AppResult<Briefing> {
        let store = self.store();
        let scope = crate::scope::project_scope(store, principal).await?;
        let today = crate::calendar::today();
        let region_name = self.region_name(region.as_str()).await?;
        let report = scoped_investment_report(store, &region, period, None, &scope).await?;
        let series = Period { from: period.year_to_date().from, to: period.to };
        let (signed_by_month, funds_by_month) = scoped_monthly(store, region.scope_prefix(), series, &scope).await?;
        let ranking = ranking(store, &region, period.to).await?;

        let (mut top_projects, mut stalled_projects) = (Vec::new(), Vec::new());
        if let Some(prefix) = scope.regions.prefix_within(&region) {
            let signed = ProjectFilter {
                region_prefix: prefix.clone(),
                signed_from: Some(period.from),
                signed_to: Some(period.to),
                exclude_dropped: true,
                chains_in: scope.chains.clone(),
                ..ProjectFilter::default()
            };
            top_projects = store.list_projects(&signed, ProjectSort::InvestmentDesc, LIST_ROWS, 0).await?;
            let not_started = ProjectFilter {
                region_prefix: prefix,
                stage: Some(Stage::Signed.key().to_string()),
                signed_to: period.to.checked_sub_days(Days::new(STALLED_AFTER_DAYS)),
                chains_in: scope.chains.clone(),
                ..ProjectFilter::default()
            };
            stalled_projects = store.list_projects(&not_started, ProjectSort::SignedAsc, LIST_ROWS, 0).await?;
        }
        let (mut overdue_appeals, mut overdue_appeal_count) = (Vec::new(), 0);
        if let Some(prefix) = principal.appeal_scope().prefix_within(&region) {
            let filter = AppealFilter {
                region_prefix: prefix,
                running_due_by: today.pred_opt(),
                today,
                ..AppealFilter::default()
            };
            overdue_appeals = store.list_appeals(&filter, AppealSort::DueAsc, LIST_ROWS, 0).await?;
            overdue_appeal_count = store.count_appeals(&filter).await?;
        }
        let mut overdue_tasks = Vec::new();
        if let Some(prefix) = principal.record_scope().prefix_within(&region) {
            let filter = OpenTaskFilter { region_prefix: prefix, departments: Vec::new(), due_before: Some(today) };
            overdue_tasks = store.open_tasks(&filter, LIST_ROWS).await?;
        }
        let months = series.months();
        Ok(Briefing {
            region,
            region_name,
            period,
            today,
            report,
            ranking,
            top_projects,
            stalled_projects,
            overdue_appeals,
            overdue_appeal_count,
            overdue_tasks,
            months,
            signed_by_month,
            funds_by_month,
        })
    }
}
