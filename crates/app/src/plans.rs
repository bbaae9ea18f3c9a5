//! 一企一案 as the pages use them: which plans a user sees (`PlanScope`), the plan list and
//! the inbox of overdue next steps, creating a plan for a target enterprise, a plan with
//! its visits, updates and visits. The form rules are `chains::plans`.
//!
//! A plan is seen by users whose record scope holds its region and by the chain department
//! of its chain; it is changed by whoever `may_edit_plan` for its region.

use crate::chains::plans::{check_plan, check_visit, gives_new_to_do, overdue_filter, FieldErrors, PlanInput};
use crate::notify::Message;
use crate::{App, AppError, AppResult};
use zhaoshang_core::access::{Principal, RecordScope, Role};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::text::markdown_plain;
use zhaoshang_store::chains::ChainNode;
use zhaoshang_store::enterprises::Enterprise;
use zhaoshang_store::plans::{Plan, PlanData, PlanFilter, Visit, PLAN_STATUSES};
use zhaoshang_store::users::User;
use zhaoshang_store::{Actor, StoreError};

/// Plans read for one list; a province pursues hundreds of targets, not this many.
const MAX_PLANS: i64 = 5_000;

/// Which plans a user sees.
pub struct PlanScope {
    records: RecordScope,
    own_chains: Vec<i64>,
}

impl PlanScope {
    pub fn allows(&self, plan: &Plan) -> bool {
        RegionCode::parse(&plan.data.region_code).is_ok_and(|code| self.records.allows(&code))
            || plan.chain_id.is_some_and(|id| self.own_chains.contains(&id))
    }

    /// Whether the user sees no plans at all.
    fn sees_nothing(&self) -> bool {
        self.records == RecordScope::Nothing && self.own_chains.is_empty()
    }

    /// `filter` narrowed to what the user sees: plans of regions in the record scope, and
    /// a chain department's plans on its chains wherever they are.
    fn narrow(&self, filter: PlanFilter) -> PlanFilter {
        // No region code starts with "~": a scope without records matches by chain only.
        let region_prefix = self.records.prefix().unwrap_or("~").to_string();
        PlanFilter { region_prefix, or_chain_ids: self.own_chains.clone(), ..filter }
    }
}

/// The plan fields as the create and update forms submit them.
#[derive(Debug, Clone, Default)]
pub struct PlanFormInput {
    pub enterprise_id: String,
    pub node_id: String,
    pub region: String,
    pub owner_id: String,
    pub approach: String,
    pub next_step: String,
    pub due_on: String,
    pub status: String,
}

/// The plan list's filter as the page asks for it.
#[derive(Debug, Clone, Default)]
pub struct PlanListRequest {
    pub mine: bool,
    pub overdue: bool,
    pub status: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

/// A plan not yet stored: what the create form was for.
pub struct Draft {
    pub enterprise: Enterprise,
    pub node: Option<ChainNode>,
    pub chain_name: Option<String>,
    pub region: RegionCode,
    pub region_name: String,
    pub owners: Vec<User>,
}

/// Why a plan was not created: the form's problems, or the region's plan for the
/// enterprise that exists already (its id when found).
pub enum Refused {
    Invalid(FieldErrors),
    Conflict { message: String, existing: Option<i64> },
}

fn parse_id(text: &str, what: &str) -> AppResult<Option<i64>> {
    match text.trim() {
        "" => Ok(None),
        id => id.parse().map(Some).map_err(|_| AppError::bad_request(format!("{what}编号“{id}”无效"))),
    }
}

/// The form checked (over the stored plan `before`, if any): its fields and the owner, who
/// must be one of `owners` (the user when none is chosen). The enterprise, link and region are the caller's.
fn checked_plan(
    form: &PlanFormInput,
    before: Option<&PlanData>,
    owners: &[User],
    me: i64,
) -> Result<PlanData, FieldErrors> {
    let input =
        PlanInput { approach: &form.approach, next_step: &form.next_step, due_on: &form.due_on, status: &form.status };
    let fields = check_plan(&input, before, crate::calendar::today());
    let owner = match form.owner_id.trim() {
        "" => Some(me),
        id => id.parse().ok().filter(|id| owners.iter().any(|u| u.id == *id)),
    };
    match (fields, owner) {
        (Ok(fields), Some(owner_id)) => Ok(PlanData {
            owner_id,
            approach: fields.approach,
            next_step: fields.next_step,
            due_on: Some(fields.due_on),
            status: fields.status,
            ..Default::default()
        }),
        (fields, owner) => {
            let mut errors = fields.err().unwrap_or_default();
            if owner.is_none() {
                errors.insert("owner_id", "负责人须为可跟进该地区一企一案的用户".to_string());
            }
            Err(errors)
        }
    }
}

/// The group robot's message about a plan's next step (user text made plain markdown).
fn step_message(plan: &Plan) -> Option<Message> {
    let due = plan.data.due_on?;
    let line = format!(
        "【一企一案待办】{}：{}，{due} 前完成（责任人 {}）",
        markdown_plain(&plan.enterprise_name),
        markdown_plain(&plan.data.next_step),
        markdown_plain(&plan.owner_name)
    );
    Some(Message { title: "一企一案待办".into(), lines: vec![line] })
}

impl App {
    /// Queues the robot message about the next step of plan `id`, when one is configured.
    /// The plan is saved by then: a failure here goes to the log, not to the user, and
    /// the request never waits on the robot (`Notifier::notify` only queues).
    async fn announce_step(&self, id: i64) {
        if !self.notifier().is_enabled() {
            return;
        }
        match self.store().plan(id).await {
            Ok(Some(plan)) => {
                if let Some(message) = step_message(&plan) {
                    self.notifier().notify(message);
                }
            }
            Ok(None) => {}
            Err(error) => tracing::warn!("robot message of plan {id} not queued: {error}"),
        }
    }

    /// The plans `principal` sees.
    pub async fn plan_scope(&self, principal: &Principal) -> AppResult<PlanScope> {
        // A chain department's scope is its chains everywhere (SPEC), so its plans are
        // those on its chains and none of other chains, whatever its region.
        Ok(match principal.role {
            Role::Chain => PlanScope {
                records: principal.chain_record_scope(false),
                own_chains: self.store().user_chain_ids(principal.user_id).await?,
            },
            _ => PlanScope { records: principal.record_scope(), own_chains: Vec::new() },
        })
    }

    /// Whether `chain_id` is one of the chains a chain-department user looks after.
    pub async fn own_chain(&self, principal: &Principal, chain_id: Option<i64>) -> AppResult<bool> {
        match chain_id {
            Some(id) if principal.role == Role::Chain => {
                Ok(self.store().user_chain_ids(principal.user_id).await?.contains(&id))
            }
            _ => Ok(false),
        }
    }

    /// Users who may own a plan pursued by `region` for a link of `chain_id`: those who may
    /// edit it.
    pub async fn eligible_owners(&self, region: &RegionCode, chain_id: Option<i64>) -> AppResult<Vec<User>> {
        let mut owners = Vec::new();
        for user in self.store().users().await? {
            let principal = crate::accounts::principal_of(&user);
            if !user.disabled && principal.may_edit_plan(region, self.own_chain(&principal, chain_id).await?) {
                owners.push(user);
            }
        }
        Ok(owners)
    }

    /// The visible plans matching `filter` (at most `MAX_PLANS`: one enterprise's, say).
    pub async fn visible_plans(&self, principal: &Principal, filter: PlanFilter) -> AppResult<Vec<Plan>> {
        let scope = self.plan_scope(principal).await?;
        Ok(self.store().plans(&scope.narrow(filter), MAX_PLANS).await?)
    }

    /// One page of the plans a user sees, and how many there are; 403 for users who see
    /// no plans at all, 400 for an unknown status.
    pub async fn plan_page(&self, principal: &Principal, request: &PlanListRequest) -> AppResult<(Vec<Plan>, i64)> {
        let scope = self.plan_scope(principal).await?;
        if scope.sees_nothing() {
            return Err(AppError::Forbidden);
        }
        if let Some(key) = &request.status {
            if !PLAN_STATUSES.iter().any(|(k, _)| k == key) {
                return Err(AppError::bad_request(format!("状态“{key}”无效")));
            }
        }
        let filter = if request.overdue {
            overdue_filter(principal.user_id, crate::calendar::today())
        } else {
            PlanFilter { status: request.status.clone(), ..Default::default() }
        };
        let filter = scope.narrow(PlanFilter { owner_id: request.mine.then_some(principal.user_id), ..filter });
        let offset = (request.page - 1) * request.per_page;
        let plans = self.store().plans_page(&filter, request.per_page, offset).await?;
        Ok((plans, self.store().plan_count(&filter).await?))
    }

    /// The plan of `region` for `enterprise_id` that the user may open, if there is one.
    pub async fn region_plan_for(
        &self,
        scope: &PlanScope,
        region: &RegionCode,
        enterprise_id: i64,
    ) -> AppResult<Option<i64>> {
        let filter = PlanFilter {
            region_prefix: region.as_str().to_string(),
            enterprise_id: Some(enterprise_id),
            ..Default::default()
        };
        let plan = self.store().plans(&filter, 1).await?.into_iter().next();
        Ok(plan.filter(|p| scope.allows(p)).map(|p| p.id))
    }

    /// What the create form names: enterprise, link and region, checked, with the users
    /// who may own the plan; 403 when the user may not create it.
    pub async fn plan_draft(&self, principal: &Principal, form: &PlanFormInput) -> AppResult<Draft> {
        let store = self.store();
        let enterprise_id =
            parse_id(&form.enterprise_id, "企业")?.ok_or_else(|| AppError::bad_request("缺少目标企业"))?;
        let enterprise = store.enterprise(enterprise_id).await?.ok_or_else(|| AppError::not_found("该企业"))?;
        let node = match parse_id(&form.node_id, "环节")? {
            Some(id) => Some(store.chain_node(id).await?.ok_or_else(|| AppError::not_found("该环节"))?),
            None => None,
        };
        let region = self.known_region(&form.region).await?;
        let chain_id = node.as_ref().map(|n| n.chain_id);
        if !principal.may_edit_plan(&region, self.own_chain(principal, chain_id).await?) {
            return Err(AppError::Forbidden);
        }
        let owners = self.eligible_owners(&region, chain_id).await?;
        let chain_name = match &node {
            Some(node) => store.chain(node.chain_id).await?.map(|c| c.data.name),
            None => None,
        };
        let region_name = self.region_name(region.as_str()).await?;
        Ok(Draft { enterprise, node, chain_name, region, region_name, owners })
    }

    /// Creates the plan of a checked draft; its id, or why not.
    pub async fn create_plan(
        &self,
        principal: &Principal,
        actor: &Actor,
        draft: &Draft,
        form: &PlanFormInput,
    ) -> AppResult<Result<i64, Refused>> {
        let mut data = match checked_plan(form, None, &draft.owners, principal.user_id) {
            Ok(data) => data,
            Err(errors) => return Ok(Err(Refused::Invalid(errors))),
        };
        data.enterprise_id = draft.enterprise.id;
        data.node_id = draft.node.as_ref().map(|n| n.id);
        data.region_code = draft.region.as_str().to_string();
        match self.store().create_plan(&data, actor).await {
            Ok(id) => {
                if gives_new_to_do(None, &data) {
                    self.announce_step(id).await;
                }
                Ok(Ok(id))
            }
            Err(StoreError::Conflict(message)) => {
                let filter = PlanFilter {
                    region_prefix: draft.region.as_str().to_string(),
                    enterprise_id: Some(draft.enterprise.id),
                    ..Default::default()
                };
                let existing = self.store().plans(&filter, 1).await?.first().map(|p| p.id);
                Ok(Err(Refused::Conflict { message, existing }))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// A plan the user may see, and whether the user may change it.
    pub async fn plan_in_scope(&self, principal: &Principal, id: i64) -> AppResult<(Plan, bool)> {
        let plan = self.store().plan(id).await?.ok_or_else(|| AppError::not_found("该一企一案"))?;
        if !self.plan_scope(principal).await?.allows(&plan) {
            return Err(AppError::Forbidden);
        }
        let region = RegionCode::parse(&plan.data.region_code).map_err(AppError::internal)?;
        let own = self.own_chain(principal, plan.chain_id).await?;
        Ok((plan, principal.may_edit_plan(&region, own)))
    }

    /// A plan the user may change (403 otherwise).
    pub async fn editable_plan(&self, principal: &Principal, id: i64) -> AppResult<Plan> {
        match self.plan_in_scope(principal, id).await? {
            (plan, true) => Ok(plan),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The users who may own `plan`.
    pub async fn plan_owners(&self, plan: &Plan) -> AppResult<Vec<User>> {
        let region = RegionCode::parse(&plan.data.region_code).map_err(AppError::internal)?;
        self.eligible_owners(&region, plan.chain_id).await
    }

    pub async fn plan_visits(&self, plan_id: i64) -> AppResult<Vec<Visit>> {
        Ok(self.store().plan_visits(plan_id).await?)
    }

    /// Changes a plan the user may change (its enterprise, link and region stay); the
    /// form's problems when it is bad.
    pub async fn update_plan(
        &self,
        principal: &Principal,
        actor: &Actor,
        plan: &Plan,
        form: &PlanFormInput,
    ) -> AppResult<Result<(), FieldErrors>> {
        let owners = self.plan_owners(plan).await?;
        match checked_plan(form, Some(&plan.data), &owners, principal.user_id) {
            Ok(changed) => {
                let data = PlanData {
                    enterprise_id: plan.data.enterprise_id,
                    node_id: plan.data.node_id,
                    region_code: plan.data.region_code.clone(),
                    ..changed
                };
                self.store().update_plan(plan.id, &data, actor).await?;
                if gives_new_to_do(Some(&plan.data), &data) {
                    self.announce_step(plan.id).await;
                }
                Ok(Ok(()))
            }
            Err(errors) => Ok(Err(errors)),
        }
    }

    /// Logs a visit on a plan the user may change; the form's problems when it is bad.
    pub async fn add_visit(
        &self,
        actor: &Actor,
        plan: &Plan,
        visited_on: &str,
        visitor: &str,
        summary: &str,
    ) -> AppResult<Result<(), FieldErrors>> {
        match check_visit(visited_on, visitor, summary, crate::calendar::today()) {
            Ok(visit) => {
                self.store().add_visit(plan.id, &visit, actor).await?;
                Ok(Ok(()))
            }
            Err(errors) => Ok(Err(errors)),
        }
    }
}
