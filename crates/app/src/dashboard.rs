//! 招商引资驾驶舱 as the pages and the API read it: the region and period a user's request
//! stands for, the figures of that scope with year on year, every sub-region's figures,
//! the monthly trend, and the month report. Only regions whose statistics the user may
//! see; of a chain department's, only its chains' projects.

use crate::exchange::export::write_workbook;
use crate::stats::{
    parse_date, period, scoped_investment_report, scoped_monthly, scoped_own_level_report, scoped_sub_region_reports,
};
use crate::{App, AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use zhaoshang_core::access::Principal;
use zhaoshang_core::metrics::{InvestmentReport, Period};
use zhaoshang_core::periods::PeriodPreset;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::statistical_report::ReportMonth;
use zhaoshang_core::text::non_empty;
use zhaoshang_store::reference::Region;

/// The region and period a dashboard request stands for, checked against what the user
/// may see.
pub struct DashboardScope {
    pub region: RegionCode,
    pub period: Period,
    /// The preset the period is (本月, 本季, 今年, 去年同期), `None` for one typed in.
    pub preset: Option<PeriodPreset>,
}

/// The dashboard of one scope and period.
pub struct Dashboard {
    pub region: RegionCode,
    pub region_name: String,
    pub period: Period,
    pub report: InvestmentReport,
    /// Each sub-region with its code and figures, most funds in place first.
    pub children: Vec<(Region, RegionCode, InvestmentReport)>,
    /// The projects registered at the region's own code (市本级, 省本级), when it has
    /// sub-regions and any figure of the period: with `children`, the region's figures.
    pub own_level: Option<InvestmentReport>,
    /// The months of the trend ("YYYY-MM"): 1 January to the period's end.
    pub months: Vec<String>,
    /// Signed investment and funds in place per month ("YYYY-MM", yuan), 1 January on.
    pub signed_by_month: HashMap<String, i64>,
    pub funds_by_month: HashMap<String, i64>,
}

impl App {
    /// The region a user's dashboard opens on: its own, or the province holding data.
    pub async fn default_region(&self, principal: &Principal) -> AppResult<RegionCode> {
        if let Some(own) = &principal.region {
            return Ok(own.clone());
        }
        self.province_with_data().await
    }

    /// The first province holding projects (the one the platform serves), else the
    /// first of the reference data.
    pub async fn province_with_data(&self) -> AppResult<RegionCode> {
        let provinces = self.store().region_children(None).await?;
        for province in &provinces {
            let code = RegionCode::parse(&province.code).map_err(AppError::internal)?;
            if self.store().region_has_projects(code.scope_prefix()).await? {
                return Ok(code);
            }
        }
        provinces
            .first()
            .and_then(|p| RegionCode::parse(&p.code).ok())
            .ok_or_else(|| AppError::not_found("行政区划数据"))
    }

    /// The region of a request for figures of a region: 403 unless `may_see` lets the user
    /// see such figures at all; the region asked for (which must exist), else the user's
    /// own or the province holding data; 403 unless `may_see_region` lets the user see it.
    pub(crate) async fn region_in_view(
        &self,
        principal: &Principal,
        asked: Option<&str>,
        may_see: fn(&Principal) -> bool,
        may_see_region: fn(&Principal, &RegionCode) -> bool,
    ) -> AppResult<RegionCode> {
        if !may_see(principal) {
            return Err(AppError::Forbidden);
        }
        let region = match non_empty(asked) {
            Some(code) => self.known_region(code).await?,
            None => self.default_region(principal).await?,
        };
        if !may_see_region(principal, &region) {
            return Err(AppError::Forbidden);
        }
        Ok(region)
    }

    /// The scope and period of a dashboard request, checked against what the user may
    /// see: the region asked for or the default one; the preset asked for, else from the
    /// day asked for (or 1 January of the end's year) to the day asked for (or today),
    /// else this year up to today.
    pub async fn dashboard_scope(
        &self,
        principal: &Principal,
        region: Option<&str>,
        preset: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> AppResult<DashboardScope> {
        let region = self
            .region_in_view(principal, region, Principal::may_see_aggregates, Principal::may_see_statistics_of)
            .await?;
        let today = crate::calendar::today();
        let (period, preset) = match (non_empty(preset), non_empty(from), non_empty(to)) {
            (Some(key), _, _) => {
                let preset = PeriodPreset::parse(key).map_err(|e| AppError::bad_request(e.to_string()))?;
                (preset.period(today), Some(preset))
            }
            (None, None, None) => (PeriodPreset::Year.period(today), Some(PeriodPreset::Year)),
            (None, from, to) => {
                let to = match to {
                    Some(text) => parse_date(text, "结束日期")?,
                    None => today,
                };
                let from = match from {
                    Some(text) => parse_date(text, "开始日期")?,
                    None => NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to),
                };
                let period = period(from, to)?;
                (period, PeriodPreset::recognise(period, today))
            }
        };
        Ok(DashboardScope { region, period, preset })
    }

    /// The dashboard of a checked scope and period (see `dashboard_scope`).
    pub async fn dashboard(&self, principal: &Principal, region: RegionCode, period: Period) -> AppResult<Dashboard> {
        let store = self.store();
        let region_name = self.region_name(region.as_str()).await?;
        let scope = crate::scope::project_scope(store, principal).await?;
        let report = scoped_investment_report(store, &region, period, None, &scope).await?;
        let (children, codes) = crate::stats::sub_regions(store, &region).await?;
        let reports = scoped_sub_region_reports(store, &region, &codes, period, &scope).await?;
        let mut children: Vec<_> =
            children.into_iter().zip(codes).zip(reports).map(|((r, c), report)| (r, c, report)).collect();
        children.sort_by(|a, b| InvestmentReport::more_funds_first(&a.2, &b.2));
        let own_level = match children.is_empty() {
            true => None,
            false => Some(scoped_own_level_report(store, &region, period, &scope).await?)
                .filter(InvestmentReport::has_figures),
        };
        let year = period.year_to_date();
        let series_period = Period { from: year.from, to: period.to };
        let (signed_by_month, funds_by_month) =
            scoped_monthly(store, region.scope_prefix(), series_period, &scope).await?;
        let months = series_period.months();
        Ok(Dashboard {
            region,
            region_name,
            period,
            report,
            children,
            own_level,
            months,
            signed_by_month,
            funds_by_month,
        })
    }

    /// The region (one the user may see figures of, else the user's own) and month
    /// (`YYYY-MM`, ended; else the latest ended) of a statistical report.
    pub async fn statistical_report_scope(
        &self,
        principal: &Principal,
        region: Option<&str>,
        month: Option<&str>,
    ) -> AppResult<(RegionCode, ReportMonth)> {
        let region = self
            .region_in_view(principal, region, Principal::may_see_aggregates, Principal::may_see_statistics_of)
            .await?;
        Ok((region, crate::reports::report_month(month, crate::calendar::today())?))
    }

    /// 招商引资情况统计报表 of a checked scope (see `statistical_report_scope`): 1 January
    /// to the month's end.
    pub async fn statistical_report(
        &self,
        principal: &Principal,
        region: &RegionCode,
        month: ReportMonth,
    ) -> AppResult<crate::reports::StatisticalReport> {
        let scope = crate::scope::project_scope(self.store(), principal).await?;
        crate::reports::statistical_report(self.store(), region, month, &scope).await
    }

    /// 招商引资情况统计报表 as an Excel workbook, a sheet a table.
    pub async fn monthly_report(
        &self,
        principal: &Principal,
        region: &RegionCode,
        month: ReportMonth,
    ) -> AppResult<Vec<u8>> {
        let report = self.statistical_report(principal, region, month).await?;
        write_workbook(&crate::reports::statistical_workbook(&report))
    }

    /// SPEC's metrics object (`/api/v1/stats/investment`): the region asked for, else the
    /// user's own; optionally one chain, which must be in the user's project scope.
    pub async fn investment_report(
        &self,
        principal: &Principal,
        region: Option<&str>,
        from: &str,
        to: &str,
        chain: Option<&str>,
    ) -> AppResult<InvestmentReport> {
        let region_text = match (non_empty(region), &principal.region) {
            (Some(text), _) => text.to_string(),
            (None, Some(own)) => own.to_string(),
            (None, None) => return Err(AppError::bad_request("缺少参数 region（地区代码）")),
        };
        let region = self.known_region(&region_text).await?;
        if !principal.may_see_statistics_of(&region) {
            return Err(AppError::Forbidden);
        }
        let from = parse_date(from, "开始日期 from")?;
        let to = parse_date(to, "结束日期 to")?;
        let chain = chain.filter(|c| !c.is_empty());
        let scope = crate::scope::project_scope(self.store(), principal).await?;
        if chain.is_some_and(|chain| !scope.allows_chain(chain)) {
            return Err(AppError::Forbidden);
        }
        let period = period(from, to)?;
        scoped_investment_report(self.store(), &region, period, chain, &scope).await
    }
}
