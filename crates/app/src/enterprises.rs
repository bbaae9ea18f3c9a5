//! The enterprise library as the pages use it: the filtered list (and its export) and an
//! enterprise with its projects as investor, its chain links, its 一企一案 plans and their
//! visits. Both stay within the user's record scope.

use crate::exchange::{self, Table};
use crate::projects::{keyword, page_offset};
use crate::{App, AppError, AppResult};
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_core::access::Principal;
use zhaoshang_core::enterprises::Tag;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::text::non_empty;
use zhaoshang_store::enterprises::{Enterprise, EnterpriseFilter, EnterpriseSort, EnterpriseTotals};
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::plans::{Plan, PlanFilter, Visit};
use zhaoshang_store::projects::Project;

/// Projects shown on an enterprise's page.
const PROJECTS_SHOWN: i64 = 200;

/// The enterprise list's request: filters as text, sort, page and an export format.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct EnterpriseQuery {
    pub region: Option<String>,
    pub industry: Option<String>,
    pub tag: Option<String>,
    /// "1" targets only, "0" the others.
    pub target: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<u32>,
    pub format: Option<String>,
}

/// One page of the enterprise list.
pub struct EnterprisePage {
    pub enterprises: Vec<Enterprise>,
    pub totals: EnterpriseTotals,
    pub sort: EnterpriseSort,
    /// Full names of the enterprises' regions (see `App::full_region_names`).
    pub region_names: HashMap<String, String>,
}

/// An enterprise's page.
pub struct EnterpriseDetail {
    pub enterprise: Enterprise,
    pub region: RegionCode,
    pub headquarters: HashMap<String, String>,
    pub industry_name: Option<String>,
    /// Its projects as investor that the user reads, newest signing first.
    pub projects: Vec<Project>,
    pub project_region_names: HashMap<String, String>,
    /// (chain id, chain, node id, node, role key) of each link it is on.
    pub chain_links: Vec<(i64, String, i64, String, String)>,
    pub plans: Vec<Plan>,
    /// The visits of those plans, newest first, each with its plan's region name.
    pub visits: Vec<(Visit, String)>,
}

impl App {
    /// The library's enterprise a form names, by credit code (in any case) or else by name.
    pub(crate) async fn enterprise_named(&self, typed: &str) -> AppResult<Option<Enterprise>> {
        Ok(match self.store().enterprise_by_code(&typed.to_uppercase()).await? {
            Some(enterprise) => Some(enterprise),
            None => self.store().enterprise_by_name(typed).await?,
        })
    }

    /// The filter of a list request within the user's record scope.
    pub async fn enterprise_filter(
        &self,
        principal: &Principal,
        query: &EnterpriseQuery,
    ) -> AppResult<EnterpriseFilter> {
        let tag = match non_empty(query.tag.as_deref()) {
            None => None,
            Some(text) => Some(
                Tag::parse(text)
                    .map(|tag| tag.label().to_string())
                    .ok_or_else(|| AppError::bad_request(format!("未知的标签“{text}”")))?,
            ),
        };
        let is_target = match non_empty(query.target.as_deref()) {
            None => None,
            Some("1") => Some(true),
            Some("0") => Some(false),
            Some(other) => return Err(AppError::bad_request(format!("目标企业筛选“{other}”无效"))),
        };
        Ok(EnterpriseFilter {
            region_prefix: self.narrowed_record_prefix(principal, &query.region).await?,
            industry: non_empty(query.industry.as_deref()).map(|i| i.to_ascii_uppercase()),
            tag,
            keyword: keyword(&query.q)?,
            is_target,
        })
    }

    /// One page of the enterprises a list request matches.
    pub async fn enterprise_page(
        &self,
        principal: &Principal,
        query: &EnterpriseQuery,
        per_page: i64,
    ) -> AppResult<EnterprisePage> {
        let filter = self.enterprise_filter(principal, query).await?;
        let sort = EnterpriseSort::parse(query.sort.as_deref().unwrap_or(""));
        let (_, offset) = page_offset(query.page, per_page);
        let totals = self.store().enterprise_totals(&filter).await?;
        let enterprises = self.store().list_enterprises(&filter, sort, per_page, offset).await?;
        let region_names = self.full_region_names(enterprises.iter().map(|e| e.data.region_code.clone())).await?;
        Ok(EnterprisePage { enterprises, totals, sort, region_names })
    }

    /// Every enterprise a list request matches, as the export writes them.
    pub async fn enterprise_export(&self, principal: &Principal, query: &EnterpriseQuery) -> AppResult<Table> {
        let filter = self.enterprise_filter(principal, query).await?;
        exchange::enterprise_table(self.store(), &filter).await
    }

    /// An enterprise of the user's record scope, or the target of a plan (一企一案) the
    /// user may open, with what its page shows.
    pub async fn enterprise_detail(&self, principal: &Principal, id: i64) -> AppResult<EnterpriseDetail> {
        let store = self.store();
        let enterprise = store.enterprise(id).await?.ok_or_else(|| AppError::not_found("该企业"))?;
        let region = RegionCode::parse(&enterprise.data.region_code).map_err(AppError::internal)?;
        let plans = self.visible_plans(principal, PlanFilter { enterprise_id: Some(id), ..Default::default() }).await?;
        if !principal.record_scope().allows(&region) && plans.is_empty() {
            return Err(AppError::Forbidden);
        }
        let project_scope = self.project_scope(principal).await?;
        let projects_filter = ProjectFilter {
            region_prefix: project_scope.regions.prefix().ok_or(AppError::Forbidden)?.to_string(),
            chains_in: project_scope.chains.clone(),
            investor_credit_code: Some(enterprise.data.credit_code.clone()),
            ..Default::default()
        };
        let projects = store.list_projects(&projects_filter, ProjectSort::SignedDesc, PROJECTS_SHOWN, 0).await?;
        let headquarters = self.full_region_names([enterprise.data.region_code.clone()]).await?;
        let project_region_names = self.region_names(projects.iter().map(|p| p.data.region_code.clone())).await?;
        let industry_name =
            store.industries().await?.into_iter().find(|i| i.code == enterprise.data.industry).map(|i| i.name);
        let chain_links = store.enterprise_nodes(id).await?;
        let mut visits = Vec::new();
        for plan in &plans {
            for visit in store.plan_visits(plan.id).await? {
                visits.push((visit, plan.region_name.clone()));
            }
        }
        visits.sort_by_key(|(visit, _)| std::cmp::Reverse(visit.data.visited_on));
        Ok(EnterpriseDetail {
            enterprise,
            region,
            headquarters,
            industry_name,
            projects,
            project_region_names,
            chain_links,
            plans,
            visits,
        })
    }
}
