//! Projects as the pages use them: the filtered list (also every dashboard drill-down
//! and its meaning), exports of the current filter, the funding behind the funds figure,
//! a project with its timeline, funding, problems and services, the forms (saved as
//! one-row imports, so they obey exactly the rules files do), and the projects that look
//! claimed twice. Every read and write stays within the user's project scope.

use crate::exchange::{self, ImportKind, ImportScope, Table, CONFIRM_EXCESS_FUNDS_FIELD};
use crate::stats::optional_date;
use crate::{App, AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use zhaoshang_core::access::{Principal, ProjectScope, RecordScope};
use zhaoshang_core::codes::next_code;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::duplicates::{
    city_of, claimed_twice_pairs, looks_claimed_twice, pair_key, Claim, PairDecision,
};
use zhaoshang_core::projects::plausible::ExcessFunds;
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::text::non_empty;
use zhaoshang_store::duplicates::PairScope;
use zhaoshang_store::listing::{InvestorClaim, ListTotals, ProjectFilter, ProjectSort};
use zhaoshang_store::projects::{ExcessFundsChange, Funding, FundingFilter, Problem, Project, ProjectEvent, Service};
use zhaoshang_store::Actor;

/// The project list's request: filters as text (checked by `project_filter`), the sort,
/// the page, and a file format to export instead of a page.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct ProjectQuery {
    pub region: Option<String>,
    pub stage: Option<String>,
    pub chain: Option<String>,
    pub source: Option<String>,
    /// 来源单位: the projects attributed to one organisation (a chamber's name).
    pub source_org: Option<String>,
    pub activity: Option<String>,
    pub q: Option<String>,
    pub signed_from: Option<String>,
    pub signed_to: Option<String>,
    pub min_wan: Option<String>,
    pub max_wan: Option<String>,
    pub sort: Option<String>,
    pub page: Option<u32>,
    /// A dashboard figure: signed, over_100m, started, producing, implementing.
    pub drill: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `excess_funds`: the projects flagged for funds in place above total investment.
    pub flag: Option<String>,
    pub format: Option<String>,
}

/// The funding list's request: the dashboard's region and period.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct FundingQuery {
    pub region: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only the funding of projects of one source (项目来源) or source organisation
    /// (来源单位): the drill-down of the attribution's funds.
    pub source: Option<String>,
    pub source_org: Option<String>,
    pub page: Option<u32>,
    pub format: Option<String>,
}

/// One page of the project list.
pub struct ProjectPage {
    pub projects: Vec<Project>,
    pub totals: ListTotals,
    pub region_names: HashMap<String, String>,
    /// Projects of the page that look claimed twice (see `claimed_twice`).
    pub flagged: HashSet<i64>,
    /// The meaning of a dashboard drill-down, shown as the list's subtitle.
    pub drill: Option<&'static str>,
}

/// One page of the funding behind the dashboard's funds figure.
pub struct FundingPage {
    pub records: Vec<Funding>,
    pub count: i64,
    pub total: Yuan,
    pub region_names: HashMap<String, String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A project's page.
pub struct ProjectDetail {
    pub project: Project,
    pub region_names: HashMap<String, String>,
    pub funding: Vec<Funding>,
    pub events: Vec<ProjectEvent>,
    pub problems: Vec<Problem>,
    pub services: Vec<Service>,
    pub can_edit: bool,
    /// The pitch the portal shows investors, when the project is put forward (推介项目).
    pub pitch: Option<String>,
}

/// A pair that looks claimed twice: a project the user reads, the other city's, and
/// whether the user may open the other.
/// One page of the pairs that look claimed twice, with the regions' names and how many
/// pairs the whole list holds.
pub struct ClaimedTwicePage {
    pub pairs: Vec<ClaimedTwice>,
    pub names: HashMap<String, String>,
    pub total: i64,
}

pub struct ClaimedTwice {
    pub own: Project,
    pub other: Project,
    pub other_visible: bool,
    /// What was decided about the pair so far (the same project, or handed to the province).
    pub decision: Option<PairDecision>,
}

/// A problem or service a project form adds.
pub struct ProblemInput<'a> {
    pub description: &'a str,
    pub department: Option<&'a str>,
    pub due_on: Option<&'a str>,
}

/// The list filter (`flag=`) of the projects flagged for funds in place above total investment.
pub const EXCESS_FUNDS_FLAG: &str = "excess_funds";

fn required_date(text: &Option<String>, label: &str, missing: &str) -> AppResult<NaiveDate> {
    optional_date(text, label)?.ok_or_else(|| AppError::bad_request(missing))
}

fn optional_wan(text: &Option<String>, label: &str) -> AppResult<Option<i64>> {
    non_empty(text.as_deref())
        .map(|t| Yuan::parse_wan(t).map(|y| y.0).map_err(|e| AppError::bad_request(format!("{label}：{e}"))))
        .transpose()
}

/// A list's keyword filter: trimmed, `None` when empty, 400 when too long.
pub fn keyword(text: &Option<String>) -> AppResult<Option<String>> {
    zhaoshang_core::text::keyword(text.as_deref()).map_err(|e| AppError::bad_request(e.to_string()))
}

/// The 1-based page number of a request, and the offset of its first row.
pub fn page_offset(page: Option<u32>, per_page: i64) -> (u32, i64) {
    let page = page.unwrap_or(1).max(1);
    (page, (page as i64 - 1) * per_page)
}

/// Applies the meaning of a dashboard figure to `filter`, as the dashboard counts it;
/// returns the figure's name.
fn drill_down(filter: &mut ProjectFilter, kind: &str, from: NaiveDate, to: NaiveDate) -> AppResult<&'static str> {
    let label = match kind {
        "signed" => "签约项目",
        "over_100m" => {
            filter.over_100m = true;
            "亿元以上签约项目"
        }
        "started" => {
            filter.started_by = Some(to);
            "已开工的签约项目"
        }
        "producing" => {
            filter.producing_by = Some(to);
            "已投产的签约项目"
        }
        "implementing" => {
            filter.implementing_in = Some((from, to));
            "实施项目（新建+续建）"
        }
        _ => return Err(AppError::bad_request("未知的统计口径")),
    };
    if kind != "implementing" {
        filter.signed_from = Some(from);
        filter.signed_to = Some(to);
        filter.exclude_dropped = true;
    }
    Ok(label)
}

impl App {
    /// The projects (and funding) the user may read, as `core::access` decides with the
    /// user's chains; 403 for roles that read no projects.
    pub async fn project_scope(&self, principal: &Principal) -> AppResult<ProjectScope> {
        let scope = crate::scope::project_scope(self.store(), principal).await?;
        if scope.reads_nothing() {
            return Err(AppError::Forbidden);
        }
        Ok(scope)
    }

    /// The project scope's regions narrowed to a chosen region; a region outside is 403.
    pub async fn narrowed_project_prefix(&self, scope: &ProjectScope, region: &Option<String>) -> AppResult<String> {
        match non_empty(region.as_deref()) {
            None => Ok(scope.regions.prefix().ok_or(AppError::Forbidden)?.to_string()),
            Some(code) => {
                let region = self.known_region(code).await?;
                if !scope.regions.allows(&region) {
                    return Err(AppError::Forbidden);
                }
                Ok(region.scope_prefix().to_string())
            }
        }
    }

    /// The user's record scope narrowed to a chosen region, as a code prefix; 403 for
    /// roles without records and for a region outside the scope.
    pub async fn narrowed_record_prefix(&self, principal: &Principal, region: &Option<String>) -> AppResult<String> {
        let own = match principal.record_scope() {
            RecordScope::Nothing => return Err(AppError::Forbidden),
            scope => scope.prefix().unwrap_or("").to_string(),
        };
        match non_empty(region.as_deref()) {
            None => Ok(own),
            Some(code) => {
                let region = self.known_region(code).await?;
                if !principal.record_scope().allows(&region) {
                    return Err(AppError::Forbidden);
                }
                Ok(region.scope_prefix().to_string())
            }
        }
    }

    /// The filter of a list request within the user's scope, and the meaning of its
    /// dashboard figure when it drills down from one.
    pub async fn project_filter(
        &self,
        principal: &Principal,
        query: &ProjectQuery,
    ) -> AppResult<(ProjectFilter, Option<&'static str>)> {
        let scope = self.project_scope(principal).await?;
        let mut filter = ProjectFilter {
            region_prefix: self.narrowed_project_prefix(&scope, &query.region).await?,
            chains_in: scope.chains.clone(),
            stage: non_empty(query.stage.as_deref())
                .map(|s| Stage::parse(s).map(|s| s.key().to_string()))
                .transpose()
                .map_err(|e| AppError::bad_request(e.to_string()))?,
            chain: non_empty(query.chain.as_deref()).map(str::to_string),
            source: non_empty(query.source.as_deref()).map(str::to_string),
            source_org: non_empty(query.source_org.as_deref()).map(str::to_string),
            signing_activity: non_empty(query.activity.as_deref()).map(str::to_string),
            keyword: keyword(&query.q)?,
            signed_from: optional_date(&query.signed_from, "签约日期起")?,
            signed_to: optional_date(&query.signed_to, "签约日期止")?,
            min_investment: optional_wan(&query.min_wan, "最低总投资")?,
            max_investment: optional_wan(&query.max_wan, "最高总投资")?,
            excess_funds: match non_empty(query.flag.as_deref()) {
                None => false,
                Some(EXCESS_FUNDS_FLAG) => true,
                Some(other) => return Err(AppError::bad_request(format!("未知的标记“{other}”"))),
            },
            ..Default::default()
        };
        if let (Some(from), Some(to)) = (filter.signed_from, filter.signed_to) {
            crate::stats::period(from, to)?;
        }
        if filter.min_investment.zip(filter.max_investment).is_some_and(|(min, max)| min > max) {
            return Err(AppError::bad_request("最低总投资不能高于最高总投资"));
        }
        let drill = match non_empty(query.drill.as_deref()) {
            None => None,
            Some(kind) => {
                let from = required_date(&query.from, "开始日期", "缺少开始日期")?;
                let to = required_date(&query.to, "结束日期", "缺少结束日期")?;
                Some(drill_down(&mut filter, kind, from, to)?)
            }
        };
        Ok((filter, drill))
    }

    /// One page of the projects a list request matches.
    pub async fn project_page(
        &self,
        principal: &Principal,
        query: &ProjectQuery,
        per_page: i64,
    ) -> AppResult<ProjectPage> {
        let (filter, drill) = self.project_filter(principal, query).await?;
        let sort = ProjectSort::parse(query.sort.as_deref().unwrap_or("signed_desc"));
        let (_, offset) = page_offset(query.page, per_page);
        let totals = self.store().project_totals(&filter).await?;
        let projects = self.store().list_projects(&filter, sort, per_page, offset).await?;
        let region_names = self.region_names(projects.iter().map(|p| p.data.region_code.clone())).await?;
        let flagged = self.claimed_twice_among(&projects).await?;
        Ok(ProjectPage { projects, totals, region_names, flagged, drill })
    }

    /// Every project a list request matches, as the export writes them.
    pub async fn project_export(&self, principal: &Principal, query: &ProjectQuery) -> AppResult<Table> {
        let (filter, _) = self.project_filter(principal, query).await?;
        exchange::export_table(self.store(), ImportKind::Projects, &filter).await
    }

    /// The scope and the filter of a funding request.
    async fn funding_request(
        &self,
        principal: &Principal,
        query: &FundingQuery,
    ) -> AppResult<(ProjectScope, FundingFilter)> {
        let scope = self.project_scope(principal).await?;
        let filter = FundingFilter {
            prefix: self.narrowed_project_prefix(&scope, &query.region).await?,
            chains: scope.chains.clone(),
            from: required_date(&query.from, "开始日期", "缺少开始日期")?,
            to: required_date(&query.to, "结束日期", "缺少结束日期")?,
            source: non_empty(query.source.as_deref()).map(str::to_string),
            source_org: non_empty(query.source_org.as_deref()).map(str::to_string),
        };
        Ok((scope, filter))
    }

    /// One page of the funding records behind the dashboard's funds figure (or an
    /// attribution's); they sum to it.
    pub async fn funding_page(
        &self,
        principal: &Principal,
        query: &FundingQuery,
        per_page: i64,
    ) -> AppResult<FundingPage> {
        let (_, filter) = self.funding_request(principal, query).await?;
        let (_, offset) = page_offset(query.page, per_page);
        let records = self.store().funding_in(&filter, per_page, offset).await?;
        let (count, total) = self.store().funding_totals(&filter).await?;
        let region_names = self.region_names(records.iter().map(|r| r.region_code.clone())).await?;
        Ok(FundingPage { records, count, total: Yuan(total), region_names, from: filter.from, to: filter.to })
    }

    /// The funding records of a funding request, as the export writes them.
    pub async fn funding_export(&self, principal: &Principal, query: &FundingQuery) -> AppResult<Table> {
        let (scope, funding) = self.funding_request(principal, query).await?;
        let mut filter = crate::scope::scoped_filter(&scope, funding.prefix.clone());
        filter.source = funding.source;
        filter.source_org = funding.source_org;
        let mut table = exchange::export_table(self.store(), ImportKind::Funding, &filter).await?;
        // The funding export's second column is the date, written YYYY-MM-DD.
        let (from, to) = (funding.from.to_string(), funding.to.to_string());
        table.rows.retain(|row| row.get(1).is_some_and(|date| *date >= from && *date <= to));
        Ok(table)
    }

    /// A project the user may read (404 when absent, 403 outside the scope).
    pub async fn project_in_scope(&self, principal: &Principal, id: i64) -> AppResult<Project> {
        let project = self.store().project(id).await?.ok_or_else(|| AppError::not_found("该项目"))?;
        let region = RegionCode::parse(&project.data.region_code).map_err(AppError::internal)?;
        if !self.project_scope(principal).await?.allows(&region, &project.data.chain) {
            return Err(AppError::Forbidden);
        }
        Ok(project)
    }

    /// A project the user may change (403 otherwise).
    pub async fn editable_project(&self, principal: &Principal, id: i64) -> AppResult<Project> {
        let project = self.project_in_scope(principal, id).await?;
        let region = RegionCode::parse(&project.data.region_code).map_err(AppError::internal)?;
        if !principal.may_edit_records_of(&region) {
            return Err(AppError::Forbidden);
        }
        Ok(project)
    }

    /// What a project's page shows of `project` (one the user may read).
    pub async fn project_detail(&self, principal: &Principal, project: Project) -> AppResult<ProjectDetail> {
        let store = self.store();
        let region = RegionCode::parse(&project.data.region_code).map_err(AppError::internal)?;
        let region_names = self.region_names([project.data.region_code.clone()]).await?;
        Ok(ProjectDetail {
            funding: store.funding_of_project(project.id).await?,
            events: store.project_events(project.id).await?,
            problems: store.problems_of_project(project.id).await?,
            services: store.services_of_project(project.id).await?,
            can_edit: principal.may_edit_records_of(&region),
            pitch: store.promotion_by_code(&project.data.code).await?.map(|p| p.pitch),
            region_names,
            project,
        })
    }

    /// Saves a project form (new, or the project `values["id"]`) as a one-row import.
    /// The project's code is put into `values` when editing (the form does not change
    /// it). Returns the saved project's id, or the problems per field.
    pub async fn save_project_form(
        &self,
        principal: &Principal,
        actor: &Actor,
        values: &mut HashMap<String, String>,
    ) -> AppResult<Result<i64, HashMap<String, String>>> {
        let editing = values.get("id").and_then(|id| id.parse::<i64>().ok());
        if let Some(id) = editing {
            let project = self.project_in_scope(principal, id).await?;
            values.insert("code".into(), project.data.code.clone());
        }
        let region_text = values.get("region").cloned().unwrap_or_default();
        if let Ok(region) = self.known_region(&region_text).await {
            if !principal.may_edit_records_of(&region) {
                return Err(AppError::Forbidden);
            }
        } else if !principal.may_administer() && principal.region.is_none() {
            return Err(AppError::Forbidden);
        }
        if editing.is_none() {
            let code = values.get("code").map(String::as_str).unwrap_or("").trim();
            if let Some(existing) = self.store().project_by_code(code).await? {
                // Another region's project is not confirmed: the import's neutral refusal.
                let visible = RegionCode::parse(&existing.data.region_code)
                    .is_ok_and(|region| principal.may_edit_records_of(&region));
                let message = if visible {
                    format!("项目编号“{}”已存在", existing.data.code)
                } else {
                    ImportScope::for_user(self.store(), principal).await?.not_allowed()
                };
                return Ok(Err(HashMap::from([("code".to_string(), message)])));
            }
        }
        let fields: HashMap<String, String> = values
            .iter()
            .filter(|(k, _)| k.as_str() != "csrf" && k.as_str() != "id")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(errors) = self.save_form_row(principal, actor, ImportKind::Projects, &fields).await? {
            return Ok(Err(errors));
        }
        let code = fields.get("code").cloned().unwrap_or_default();
        let saved = self
            .store()
            .project_by_code(code.trim())
            .await?
            .ok_or_else(|| AppError::internal("saved project not found"))?;
        Ok(Ok(saved.id))
    }

    /// Adds a funding record to a project the user may change (a one-row funding import);
    /// the reason in Chinese when it is refused.
    pub async fn add_funding(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: i64,
        values: &HashMap<String, String>,
    ) -> AppResult<Result<(), String>> {
        let project = self.editable_project(principal, id).await?;
        let mut fields: HashMap<String, String> = ["date", "amount_wan", "funding_source", CONFIRM_EXCESS_FUNDS_FIELD]
            .iter()
            .map(|k| (k.to_string(), values.get(*k).cloned().unwrap_or_default()))
            .collect();
        fields.insert("code".into(), project.data.code.clone());
        let report = self.import_form_row(principal, actor, ImportKind::Funding, &fields).await?;
        if report.duplicates > 0 {
            return Ok(Err("该笔到位资金已登记，未重复记录".to_string()));
        }
        if !report.is_ok() {
            let problems: Vec<_> = report.problems.iter().map(|p| format!("{}：{}", p.column, p.message)).collect();
            return Ok(Err(problems.join("；")));
        }
        Ok(Ok(()))
    }

    /// Confirms the funds in place above the total investment of a project the user may
    /// change (a flag waiting for confirmation; anything else is left as it is), audited.
    pub async fn confirm_excess_funds(&self, principal: &Principal, actor: &Actor, id: i64) -> AppResult<()> {
        let project = self.editable_project(principal, id).await?;
        if ExcessFunds::from_stored(&project.data.excess_funds) == ExcessFunds::Unconfirmed {
            let change = ExcessFundsChange {
                code: project.data.code,
                before: project.data.excess_funds,
                after: ExcessFunds::Confirmed.key().to_string(),
            };
            self.store().set_excess_funds(&[change], actor).await?;
        }
        Ok(())
    }

    /// The 项目编号 a new project of `region` is offered: the next free one of the region's series.
    pub async fn proposed_project_code(&self, region: &str) -> AppResult<String> {
        let codes = self.store().project_codes_of_region(region).await?;
        let year = crate::calendar::today().year();
        Ok(next_code(codes.iter().map(String::as_str), &format!("{region}-{year}-")))
    }

    /// Records a problem of a project the user may change; the reason when refused.
    pub async fn add_problem(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: i64,
        input: &ProblemInput<'_>,
    ) -> AppResult<Result<(), String>> {
        self.editable_project(principal, id).await?;
        let due_on = match optional_date(&input.due_on.map(str::to_string), "办结期限") {
            Ok(date) => date,
            Err(error) => return Ok(Err(error.to_string())),
        };
        if input.description.trim().is_empty() {
            return Ok(Err("问题描述不能为空".into()));
        }
        let problem = Problem {
            id: 0,
            project_id: id,
            description: input.description.trim().to_string(),
            department: input.department.unwrap_or_default().to_string(),
            due_on,
            status: "open".into(),
            resolution: String::new(),
        };
        self.store().save_problem(&problem, actor).await?;
        Ok(Ok(()))
    }

    /// Records a service to a project the user may change; the reason when refused.
    pub async fn add_service(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: i64,
        service: &str,
        handler: Option<&str>,
    ) -> AppResult<Result<(), String>> {
        self.editable_project(principal, id).await?;
        if service.trim().is_empty() {
            return Ok(Err("服务事项不能为空".into()));
        }
        let service = Service {
            id: 0,
            project_id: id,
            service: service.trim().to_string(),
            handler: handler.unwrap_or_default().to_string(),
            status: "open".into(),
            note: String::new(),
        };
        self.store().save_service(&service, actor).await?;
        Ok(Ok(()))
    }

    /// Which of `projects` (one list page) look claimed twice by another city: checked
    /// against the other projects of their investors only, so the work follows the page,
    /// not the scope.
    async fn claimed_twice_among(&self, projects: &[Project]) -> AppResult<HashSet<i64>> {
        let mut codes: Vec<String> = projects
            .iter()
            .map(|project| project.data.investor_credit_code.clone())
            .filter(|code| !code.is_empty())
            .collect();
        codes.sort();
        codes.dedup();
        if codes.is_empty() {
            return Ok(HashSet::new());
        }
        let mut by_investor: HashMap<String, Vec<InvestorClaim>> = HashMap::new();
        for claim in self.store().claims_of_investors(&codes).await? {
            by_investor.entry(claim.investor_credit_code.clone()).or_default().push(claim);
        }
        Ok(projects
            .iter()
            .filter(|project| {
                by_investor.get(&project.data.investor_credit_code).is_some_and(|claims| {
                    claims.iter().any(|other| {
                        looks_claimed_twice(
                            city_of(&project.data.region_code),
                            &project.data.name,
                            city_of(&other.region_code),
                            &other.name,
                        )
                    })
                })
            })
            .map(|project| project.id)
            .collect())
    }

    /// Computes the pairs of the investors whose projects changed since (marked by the
    /// store's triggers), a bounded number at a time; one caller at a time does the work.
    async fn refresh_claim_pairs(&self) -> AppResult<()> {
        const INVESTORS_PER_ROUND: i64 = 500;
        let _one_at_a_time = self.claims_refresh.lock().await;
        loop {
            let pending = self.store().pending_claim_investors(INVESTORS_PER_ROUND).await?;
            if pending.is_empty() {
                return Ok(());
            }
            let codes: Vec<String> = pending.iter().map(|(code, _)| code.clone()).collect();
            let claims = self.store().claims_of_investors(&codes).await?;
            let claims: Vec<Claim> = claims
                .iter()
                .map(|c| Claim {
                    id: c.id,
                    name: &c.name,
                    region_code: &c.region_code,
                    investor_credit_code: &c.investor_credit_code,
                })
                .collect();
            self.store().replace_claim_pairs(&pending, &claimed_twice_pairs(&claims)).await?;
        }
    }

    /// One page of the pairs of projects in the user's scope that look claimed twice,
    /// with their region names; pairs decided to be different projects are no longer listed.
    pub async fn claimed_twice(&self, principal: &Principal, page: u32, per_page: i64) -> AppResult<ClaimedTwicePage> {
        let scope = self.project_scope(principal).await?;
        let prefix = scope.regions.prefix().ok_or(AppError::Forbidden)?.to_string();
        self.refresh_claim_pairs().await?;
        let pair_scope = PairScope { region_prefix: &prefix, chains: scope.chains.as_deref() };
        let skip = i64::from(page.max(1) - 1) * per_page;
        let (total, ids) = self.store().claim_pairs_page(pair_scope, per_page, skip).await?;
        let project_ids: Vec<i64> = ids.iter().flat_map(|(a, b)| [*a, *b]).collect();
        let projects: HashMap<i64, Project> =
            self.store().projects_in_order(&project_ids).await?.into_iter().map(|p| (p.id, p)).collect();
        let decisions = self.store().duplicate_decisions_of(&ids).await?;
        let visible =
            |p: &Project| RegionCode::parse(&p.data.region_code).is_ok_and(|code| scope.allows(&code, &p.data.chain));
        let pairs: Vec<ClaimedTwice> = ids
            .iter()
            .filter_map(|(a, b)| {
                let (a, b) = (projects.get(a)?, projects.get(b)?);
                let (own, other) = if visible(a) { (a, b) } else { (b, a) };
                Some(ClaimedTwice {
                    own: own.clone(),
                    other: other.clone(),
                    other_visible: visible(other),
                    decision: decisions.get(&pair_key(a.id, b.id)).and_then(|key| PairDecision::from_key(key)),
                })
            })
            .collect();
        let codes = pairs.iter().flat_map(|p| [p.own.data.region_code.clone(), p.other.data.region_code.clone()]);
        let names = self.region_names(codes).await?;
        Ok(ClaimedTwicePage { pairs, names, total })
    }

    /// Decides about a listed pair: the user must be able to change `own` (403), and the
    /// two must be a pair the user's list shows (404).
    pub async fn decide_claimed_twice(
        &self,
        principal: &Principal,
        actor: &Actor,
        own: i64,
        other: i64,
        decision: &str,
    ) -> AppResult<()> {
        let decision = PairDecision::from_key(decision.trim())
            .ok_or_else(|| AppError::bad_request(format!("未知的认定结果“{}”", decision.trim())))?;
        self.editable_project(principal, own).await?;
        let scope = self.project_scope(principal).await?;
        let prefix = scope.regions.prefix().ok_or(AppError::Forbidden)?.to_string();
        self.refresh_claim_pairs().await?;
        let pair_scope = PairScope { region_prefix: &prefix, chains: scope.chains.as_deref() };
        if own == other || !self.store().claim_pair_in_scope(pair_scope, own, other).await? {
            return Err(AppError::not_found("该疑似重复项目"));
        }
        Ok(self.store().decide_duplicate(own, other, decision.key(), actor).await?)
    }
}
