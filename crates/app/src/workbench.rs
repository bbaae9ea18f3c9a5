//! The workbench (工作台): what a user has to do and what changed around it — the most
//! urgent items of its inbox, the figures of its scope this year up to today with year on
//! year, the recent changes to the records of its scope, and shortcuts to its main tasks
//! (`Principal::shortcuts`). A leader lands on the cockpit instead (`Principal::landing`),
//! which shows its inbox the same way.

use crate::appeals::appeal_report;
use crate::audit::AuditView;
use crate::dashboard::DashboardScope;
use crate::inbox::{InboxCounts, InboxItem};
use crate::stats::scoped_investment_report;
use crate::{App, AppResult};
use chrono::{Duration, Utc};
use serde::Serialize;
use zhaoshang_core::access::{Principal, RecordScope, Section};
use zhaoshang_core::appeals::AppealReport;
use zhaoshang_core::metrics::{InvestmentReport, Period};
use zhaoshang_core::periods::PeriodPreset;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::ChangeScope;

/// The inbox items a page's summary of the inbox shows.
pub const TOP_ITEMS: usize = 8;
/// The recent changes the workbench lists, and how far back it looks.
pub const RECENT_CHANGES: i64 = 10;
pub const RECENT_DAYS: i64 = 30;

/// The figures of a user's scope this year up to today (China time), from the services
/// the cockpit and the appeal list use.
pub enum ScopeFigures {
    /// The cockpit's default view: the user's region (or the province) and, for a chain
    /// department, its chains' projects.
    Investment { region: RegionCode, region_name: String, period: Period, report: Box<InvestmentReport> },
    /// A member's: the appeals of the business environment it supervises.
    Appeals { region_name: String, report: AppealReport },
    /// The role reaches no figures yet.
    Nothing,
}

/// The most urgent items of a user's inbox, and the counts of all of them.
#[derive(Serialize)]
pub struct InboxSummary {
    pub items: Vec<InboxItem>,
    pub counts: InboxCounts,
}

pub struct Workbench {
    pub inbox: InboxSummary,
    pub figures: ScopeFigures,
    pub changes: Vec<AuditView>,
    pub shortcuts: Vec<(Section, &'static str)>,
}

impl App {
    /// The user's workbench as of now.
    pub async fn workbench(&self, principal: &Principal) -> AppResult<Workbench> {
        Ok(Workbench {
            inbox: self.inbox_summary(principal).await?,
            figures: self.scope_figures(principal).await?,
            changes: self.recent_changes(principal).await?,
            shortcuts: principal.shortcuts().collect(),
        })
    }

    /// The `TOP_ITEMS` most urgent items of the user's inbox and its counts.
    pub async fn inbox_summary(&self, principal: &Principal) -> AppResult<InboxSummary> {
        let mut items = self.inbox(principal).await?;
        let counts = InboxCounts::of(&items);
        items.truncate(TOP_ITEMS);
        Ok(InboxSummary { items, counts })
    }

    async fn scope_figures(&self, principal: &Principal) -> AppResult<ScopeFigures> {
        if principal.may_see_aggregates() {
            let DashboardScope { region, period, .. } = self.dashboard_scope(principal, None, None, None, None).await?;
            let scope = crate::scope::project_scope(self.store(), principal).await?;
            let report = scoped_investment_report(self.store(), &region, period, None, &scope).await?;
            let region_name = self.region_name(region.as_str()).await?;
            return Ok(ScopeFigures::Investment { region, region_name, period, report: Box::new(report) });
        }
        if principal.appeal_scope() != RecordScope::Nothing {
            let region = self.default_region(principal).await?;
            let year = PeriodPreset::Year.period(crate::calendar::today());
            let report = appeal_report(self.store(), &region, year.from, year.to).await?;
            let region_name = self.region_name(region.as_str()).await?;
            return Ok(ScopeFigures::Appeals { region_name, report });
        }
        Ok(ScopeFigures::Nothing)
    }

    /// The newest changes of the last `RECENT_DAYS` to the records the user may read:
    /// every change for the administrator, the records of its project scope for the
    /// others (a region's, a chain department's chains'), none for roles that read no
    /// records. Filtered by the database, so nothing outside the scope leaves it.
    pub async fn recent_changes(&self, principal: &Principal) -> AppResult<Vec<AuditView>> {
        let since = Utc::now() - Duration::days(RECENT_DAYS);
        let projects = crate::scope::project_scope(self.store(), principal).await?;
        let scope = match projects.regions.prefix() {
            _ if principal.may_administer() => ChangeScope::Everything,
            Some(region_prefix) => ChangeScope::Records { region_prefix, chains: projects.chains.as_deref() },
            None => return Ok(Vec::new()),
        };
        let entries = self.store().recent_changes(scope, since, RECENT_CHANGES).await?;
        Ok(self.withhold_sealed_scores(entries).await?.into_iter().map(AuditView::of).collect())
    }
}
