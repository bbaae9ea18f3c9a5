//! Business-environment appeals (营商环境诉求): the scope-checked list and detail, and the
//! `stats appeals` report of SPEC.md, shared by the page and the command line. Who reads
//! which appeals is `Principal::appeal_scope`; files import them (`exchange::appeals`).

use crate::exchange::{self, Table};
use crate::projects::{keyword, page_offset};
use crate::stats::{parse_date, period};
use crate::{App, AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_core::access::{Principal, RecordScope};
use zhaoshang_core::appeals::{AppealReport, AppealStatus, Dimension};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::appeals::{Appeal, AppealFilter, AppealSort};
use zhaoshang_store::Store;

/// `zhaoshang stats appeals` (SPEC.md): the appeals of `region` and its sub-regions
/// received from `from` to `to`.
pub async fn appeal_report(
    store: &Store,
    region: &RegionCode,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<AppealReport> {
    let period = period(from, to)?;
    let counts = store.appeal_counts(region.scope_prefix(), period.from, period.to).await?;
    Ok(AppealReport::assemble(region.as_str(), period.from, period.to, &counts))
}

/// The appeal list's request, as its page's query string carries it.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct AppealQuery {
    pub region: Option<String>,
    pub dimension: Option<String>,
    /// open, overdue, answered or closed (on today).
    pub status: Option<String>,
    /// The received period; this year up to today when absent.
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<u32>,
    pub format: Option<String>,
}

/// One page of the appeal list, with the report of its region and period.
pub struct AppealPage {
    pub appeals: Vec<Appeal>,
    pub count: i64,
    pub report: AppealReport,
    pub region_names: HashMap<String, String>,
    pub today: NaiveDate,
}

fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl App {
    /// The appeals `principal` may read, or 403.
    fn appeal_scope(principal: &Principal) -> AppResult<RecordScope> {
        match principal.appeal_scope() {
            RecordScope::Nothing => Err(AppError::Forbidden),
            scope => Ok(scope),
        }
    }

    /// The region of a request within the user's appeal scope: the one asked for (403
    /// outside the scope), else the user's own, else the province.
    async fn appeal_region(&self, principal: &Principal, region: &Option<String>) -> AppResult<RegionCode> {
        let scope = App::appeal_scope(principal)?;
        let region = match given(region) {
            Some(code) => self.known_region(code).await?,
            None => self.default_region(principal).await?,
        };
        if !scope.allows(&region) {
            return Err(AppError::Forbidden);
        }
        Ok(region)
    }

    /// The filter of a list request, checked against the user's scope, and its region.
    async fn appeal_filter(&self, principal: &Principal, query: &AppealQuery) -> AppResult<(AppealFilter, RegionCode)> {
        let region = self.appeal_region(principal, &query.region).await?;
        let today = crate::calendar::today();
        let to = match given(&query.to) {
            Some(text) => parse_date(text, "受理日期止")?,
            None => today,
        };
        let from = match given(&query.from) {
            Some(text) => parse_date(text, "受理日期起")?,
            None => NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to),
        };
        let period = period(from, to)?;
        let dimension = given(&query.dimension)
            .map(|text| Dimension::parse(text).map_err(|e| AppError::bad_request(e.to_string())))
            .transpose()?;
        let status = given(&query.status)
            .map(|text| AppealStatus::parse(text).ok_or_else(|| AppError::bad_request(format!("办理状态“{text}”无效"))))
            .transpose()?;
        let filter = AppealFilter {
            region_prefix: region.scope_prefix().to_string(),
            dimension,
            status,
            today,
            received_from: Some(period.from),
            received_to: Some(period.to),
            q: keyword(&query.q)?,
        };
        Ok((filter, region))
    }

    /// One page of the appeals a request matches, with the figures of its region and
    /// received period (SPEC's `stats appeals`) above it.
    pub async fn appeal_page(
        &self,
        principal: &Principal,
        query: &AppealQuery,
        per_page: i64,
    ) -> AppResult<AppealPage> {
        let (filter, region) = self.appeal_filter(principal, query).await?;
        let sort = AppealSort::parse(query.sort.as_deref().unwrap_or(""));
        let (_, offset) = page_offset(query.page, per_page);
        let (from, to) = (filter.received_from.unwrap_or(filter.today), filter.received_to.unwrap_or(filter.today));
        let (appeals, count, report) = tokio::try_join!(
            async { Ok::<_, AppError>(self.store().list_appeals(&filter, sort, per_page, offset).await?) },
            async { Ok(self.store().count_appeals(&filter).await?) },
            appeal_report(self.store(), &region, from, to),
        )?;
        let region_names = self.region_names(appeals.iter().map(|a| a.data.region_code.clone())).await?;
        Ok(AppealPage { appeals, count, report, region_names, today: filter.today })
    }

    /// Every appeal a list request matches, as the export writes them.
    pub async fn appeal_export(&self, principal: &Principal, query: &AppealQuery) -> AppResult<Table> {
        let (filter, _) = self.appeal_filter(principal, query).await?;
        exchange::appeal_table(self.store(), &filter).await
    }

    /// One appeal by its code, 404 when unknown and 403 outside the user's scope.
    pub async fn appeal_in_scope(&self, principal: &Principal, code: &str) -> AppResult<Appeal> {
        let scope = App::appeal_scope(principal)?;
        let appeal = self.store().appeal_by_code(code).await?.ok_or_else(|| AppError::not_found("该诉求"))?;
        let region = RegionCode::parse(&appeal.data.region_code).map_err(AppError::internal)?;
        if !scope.allows(&region) {
            return Err(AppError::Forbidden);
        }
        Ok(appeal)
    }
}
