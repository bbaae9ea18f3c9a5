//! Leads that belong to someone (商会线索): registration by a chamber's liaison (or staff on
//! its behalf) with the protection window, the response clock's steps recorded by the
//! region that follows the lead, the province's settlement of disputes, the lists (a
//! liaison's own, the staff's and the overdue supervision list), and the inbox source
//! of overdue steps. The rules are core::leads; who reads what is `Principal::lead_scope`.

use crate::chains::plans::FieldErrors;
use crate::inbox::{InboxItemDraft, InboxQuery, InboxSource};
use crate::projects::page_offset;
use crate::{App, AppError, AppResult};
use chrono::{Days, NaiveDate};
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_core::access::{LeadScope, Principal, RecordScope, Role};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::evaluation::cadres::ClockTally;
use zhaoshang_core::leads::{
    clock, next_step, parse_major_from, parse_protection_days, protected_by, ClockDays, ClockRules, DoneStep, LeadStep,
    Registration, StepClock, CLOCK_DAYS_SETTING, DEFAULT_PROTECTION_DAYS, MAJOR_CLOCK_DAYS_SETTING, MAJOR_FROM_SETTING,
    PROTECTION_DAYS_SETTING,
};
use zhaoshang_core::metrics::Period;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::leads::{Lead, LeadFilter, LeadStepRecord, NewLead};
use zhaoshang_store::projects::ProjectData;
use zhaoshang_store::stats::AttributedLead;
use zhaoshang_store::{Actor, Store};

/// The source a registered lead's project carries (项目来源).
pub const CHAMBER_SOURCE: &str = zhaoshang_core::leads::CHAMBER_CHANNEL;

/// The longest investor name, contact and notes kept.
const MAX_NAME: usize = 100;
const MAX_TEXT: usize = 1000;

/// The registration form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LeadForm {
    /// The chamber's name (staff registering on its behalf; a liaison's is its own).
    pub chamber: String,
    pub investor: String,
    pub credit_code: String,
    /// A GB/T 4754 division code.
    pub industry: String,
    pub region: String,
    pub amount_wan: String,
    pub contact: String,
    pub notes: String,
    /// The id of the activity it was registered at (one the user reads), or empty.
    pub activity: String,
}

/// The settings form: each step's working days for leads and for major leads
/// (`1,3,5,10`), the amount in 万元 from which a lead is major, the protection window.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LeadSettingsInput {
    pub clock_days: String,
    pub major_clock_days: String,
    pub major_from_wan: String,
    pub protection_days: String,
}

/// The clock settings in force.
#[derive(Debug, Clone, Copy)]
pub struct LeadSettings {
    /// The working days of each step, by the lead's size.
    pub clock: ClockRules,
    pub protection_days: u32,
}

/// The list's request.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LeadQuery {
    /// Only leads with an overdue step (the supervision list; staff only).
    pub overdue: Option<String>,
    pub page: Option<u32>,
}

/// A lead with its clock as of today.
pub struct LeadView {
    pub lead: Lead,
    pub steps: Vec<LeadStepRecord>,
    pub clocks: Vec<StepClock>,
}

pub struct LeadList {
    pub leads: Vec<LeadView>,
    pub count: i64,
    pub overdue: bool,
    pub region_names: HashMap<String, String>,
    pub today: NaiveDate,
    pub settings: LeadSettings,
}

/// A lead's page.
pub struct LeadDetail {
    pub view: LeadView,
    /// For a refused registration: the lead that already held the investor.
    pub holder: Option<Lead>,
    /// The registrations refused for this lead (the dispute the province may settle).
    pub refused: Vec<Lead>,
    pub region_name: String,
    pub today: NaiveDate,
    /// The step the user may record now.
    pub recordable: Option<LeadStep>,
    pub may_settle: bool,
}

fn given(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

fn stage_open(stage: Option<&str>) -> bool {
    !matches!(stage.and_then(|s| Stage::parse(s).ok()), Some(Stage::Producing | Stage::Dropped))
}

/// A lead's clock by its recorded steps; a refused registration runs none.
fn lead_clock(
    lead: &Lead,
    steps: &[LeadStepRecord],
    settings: &LeadSettings,
    calendar: &Calendar,
) -> AppResult<Vec<StepClock>> {
    if lead.project_id.is_none() {
        return Ok(Vec::new());
    }
    let done = steps.iter().map(|s| (s.step.as_str(), s.done_on));
    registered_clock(
        lead.lead_on,
        Yuan(lead.amount),
        stage_open(lead.project_stage.as_deref()),
        done,
        settings,
        calendar,
    )
}

/// The clock of a lead registered on `lead_on` for `amount`, its project `open` (neither
/// producing nor dropped), whose steps `done` (key, day) were recorded in order.
pub(crate) fn registered_clock<'a>(
    lead_on: NaiveDate,
    amount: Yuan,
    open: bool,
    done: impl IntoIterator<Item = (&'a str, NaiveDate)>,
    settings: &LeadSettings,
    calendar: &Calendar,
) -> AppResult<Vec<StepClock>> {
    let done: Vec<DoneStep> = done
        .into_iter()
        .filter_map(|(key, done_on)| LeadStep::from_key(key).map(|step| DoneStep { step, done_on }))
        .collect();
    clock(lead_on, &done, open, settings.clock.days_for(amount), calendar).map_err(|e| AppError::Invalid(e.to_string()))
}

/// What a lead's registered steps kept of their clock over `period`, as on `today`
/// (nothing for a project that came without a registered lead).
pub(crate) fn lead_clock_tally(
    lead: &AttributedLead,
    settings: &LeadSettings,
    calendar: &Calendar,
    period: Period,
    today: NaiveDate,
) -> AppResult<ClockTally> {
    let Some(registered) = &lead.registered else { return Ok(ClockTally::default()) };
    let open = !matches!(lead.stage, Stage::Producing | Stage::Dropped);
    let done = registered.steps.iter().map(|(step, day)| (step.as_str(), *day));
    let clocks = registered_clock(registered.lead_on, Yuan(registered.amount), open, done, settings, calendar)?;
    Ok(ClockTally::of(&clocks, period, today))
}

/// Reads the clock settings (defaults when never set).
pub async fn lead_settings(store: &Store) -> AppResult<LeadSettings> {
    let defaults = ClockRules::default();
    let days = |key: &'static str, default: ClockDays| async move {
        match store.setting(key).await? {
            Some(text) => ClockDays::parse(&text).map_err(AppError::internal),
            None => Ok(default),
        }
    };
    let major_from = match store.setting(MAJOR_FROM_SETTING).await? {
        Some(text) => parse_major_from(&text).map_err(AppError::internal)?,
        None => defaults.major_from,
    };
    let clock = ClockRules {
        standard: days(CLOCK_DAYS_SETTING, defaults.standard).await?,
        major: days(MAJOR_CLOCK_DAYS_SETTING, defaults.major).await?,
        major_from,
    };
    let protection_days = match store.setting(PROTECTION_DAYS_SETTING).await? {
        Some(text) => parse_protection_days(&text).map_err(AppError::internal)?,
        None => DEFAULT_PROTECTION_DAYS,
    };
    Ok(LeadSettings { clock, protection_days })
}

/// The registration, checked, with what it entered the pipeline as.
struct Checked {
    chamber_id: i64,
    chamber_name: String,
    investor: String,
    credit_code: String,
    enterprise_id: Option<i64>,
    industry: String,
    industry_name: String,
    region: RegionCode,
    amount: Yuan,
    contact: String,
    notes: String,
    activity_id: Option<i64>,
}

/// The chamber a liaison account registers for.
async fn own_chamber(store: &Store, principal: &Principal) -> AppResult<Option<i64>> {
    if principal.role != Role::Liaison {
        return Ok(None);
    }
    Ok(store.user_by_id(principal.user_id).await?.and_then(|user| user.chamber_id))
}

/// The chamber a user registers for: a liaison's own (none: refused), staff's named
/// in the form (`None` here). 403 for roles that register no leads.
pub async fn registering_chamber(store: &Store, principal: &Principal) -> AppResult<Option<String>> {
    if !principal.may_register_leads() {
        return Err(AppError::Forbidden);
    }
    match own_chamber(store, principal).await? {
        Some(id) => Ok(store.chamber(id).await?.map(|c| c.data.name)),
        None if principal.role == Role::Liaison => Err(AppError::Invalid("该账号尚未关联商会，请联系管理员".into())),
        None => Ok(None),
    }
}

impl App {
    async fn lead_scope(&self, principal: &Principal) -> AppResult<LeadScope> {
        match principal.lead_scope(own_chamber(self.store(), principal).await?) {
            LeadScope::Nothing => Err(AppError::Forbidden),
            scope => Ok(scope),
        }
    }

    pub async fn lead_settings(&self) -> AppResult<LeadSettings> {
        lead_settings(self.store()).await
    }

    /// The administrator sets the clocks' working days (for major leads too, and the
    /// amount from which a lead is major, each kept as it was when not given) and the
    /// protection window.
    pub async fn set_lead_settings(
        &self,
        principal: &Principal,
        input: &LeadSettingsInput,
        actor: &Actor,
    ) -> AppResult<LeadSettings> {
        crate::accounts::require_admin(principal)?;
        let mut clock = lead_settings(self.store()).await?.clock;
        clock.standard = ClockDays::parse(&input.clock_days).map_err(AppError::Invalid)?;
        if let Some(text) = given(&input.major_clock_days) {
            clock.major = ClockDays::parse(text).map_err(AppError::Invalid)?;
        }
        if let Some(text) = given(&input.major_from_wan) {
            clock.major_from = parse_major_from(text).map_err(AppError::Invalid)?;
        }
        let protection_days = parse_protection_days(&input.protection_days).map_err(AppError::Invalid)?;
        let store = self.store();
        store.set_setting(CLOCK_DAYS_SETTING, &clock.standard.stored(), actor).await?;
        store.set_setting(MAJOR_CLOCK_DAYS_SETTING, &clock.major.stored(), actor).await?;
        store.set_setting(MAJOR_FROM_SETTING, &clock.major_from.wan_string(), actor).await?;
        store.set_setting(PROTECTION_DAYS_SETTING, &protection_days.to_string(), actor).await?;
        Ok(LeadSettings { clock, protection_days })
    }

    pub async fn registering_chamber(&self, principal: &Principal) -> AppResult<Option<String>> {
        registering_chamber(self.store(), principal).await
    }

    /// Registers a lead on `today` (`register`).
    pub async fn register_lead(
        &self,
        principal: &Principal,
        actor: &Actor,
        form: &LeadForm,
        today: NaiveDate,
    ) -> AppResult<Result<i64, FieldErrors>> {
        let calendar = self.calendar().await?;
        register(self.store(), &calendar, principal, actor, form, today).await
    }

    async fn view(&self, lead: Lead, settings: &LeadSettings, calendar: &Calendar) -> AppResult<LeadView> {
        let steps = self.store().lead_steps(lead.id).await?;
        let clocks = lead_clock(&lead, &steps, settings, calendar)?;
        Ok(LeadView { lead, steps, clocks })
    }

    /// One page of the leads the user reads: a liaison its chamber's, staff those
    /// followed in their scope; `overdue` (staff only) those with a step overdue today.
    pub async fn lead_page(&self, principal: &Principal, query: &LeadQuery, per_page: i64) -> AppResult<LeadList> {
        let scope = self.lead_scope(principal).await?;
        let today = crate::calendar::today();
        let overdue = query.overdue.as_deref().is_some_and(|v| !v.trim().is_empty());
        let mut filter = match &scope {
            LeadScope::Chamber(id) if !overdue => LeadFilter { chamber_id: Some(*id), ..Default::default() },
            LeadScope::Regions(regions) => {
                LeadFilter { region_prefix: regions.prefix().map(str::to_string), ..Default::default() }
            }
            _ => return Err(AppError::Forbidden),
        };
        if overdue {
            filter.due_by = today.pred_opt();
        }
        let (_, offset) = page_offset(query.page, per_page);
        let (leads, count) = tokio::try_join!(
            async { Ok::<_, AppError>(self.store().leads_page(&filter, per_page, offset).await?) },
            async { Ok(self.store().lead_count(&filter).await?) },
        )?;
        let settings = self.lead_settings().await?;
        let calendar = self.calendar().await?;
        let region_names = self.region_names(leads.iter().map(|l| l.region_code.clone())).await?;
        let mut views = Vec::with_capacity(leads.len());
        for lead in leads {
            views.push(self.view(lead, &settings, &calendar).await?);
        }
        Ok(LeadList { leads: views, count, overdue, region_names, today, settings })
    }

    /// Where a lead may be registered for the user: its region (else the province) and
    /// the regions below it, as the form's choices.
    pub async fn lead_region_options(&self, principal: &Principal) -> AppResult<Vec<(String, String)>> {
        let region = self.default_region(principal).await?;
        let mut options = Vec::new();
        if let Some(own) = self.store().region(region.as_str()).await? {
            options.push((own.code, own.name));
        }
        for below in self.store().region_children(Some(region.as_str())).await? {
            options.push((below.code, format!("　{}", below.name)));
        }
        Ok(options)
    }

    /// A lead the user may read, 404 when unknown and 403 outside the staff's scope; a
    /// liaison asking for another chamber's lead is told it is unknown (it learns nothing
    /// of other chambers' leads, not even that they exist).
    pub(crate) async fn lead_in_scope(&self, principal: &Principal, id: i64) -> AppResult<Lead> {
        let scope = self.lead_scope(principal).await?;
        let lead = self.store().lead(id).await?.ok_or_else(|| AppError::not_found("该线索"))?;
        let region = RegionCode::parse(&lead.region_code).map_err(AppError::internal)?;
        match scope {
            _ if scope.allows(&region, lead.chamber_id) => Ok(lead),
            LeadScope::Chamber(_) => Err(AppError::not_found("该线索")),
            _ => Err(AppError::Forbidden),
        }
    }

    /// A lead's page: its clock, the earlier lead that holds a refused registration's
    /// investor (its chamber and day only), and what the user may do.
    pub async fn lead_detail(&self, principal: &Principal, id: i64) -> AppResult<LeadDetail> {
        let lead = self.lead_in_scope(principal, id).await?;
        let settings = self.lead_settings().await?;
        let calendar = self.calendar().await?;
        let store = self.store();
        let holder = match lead.duplicate_of {
            Some(holder) => store.lead(holder).await?,
            None => None,
        };
        let refused = if principal.role == Role::Liaison { Vec::new() } else { store.lead_duplicates(id).await? };
        let region_name = self.region_name(&lead.region_code).await?;
        let region = RegionCode::parse(&lead.region_code).map_err(AppError::internal)?;
        let view = self.view(lead, &settings, &calendar).await?;
        let recordable =
            if principal.may_edit_records_of(&region) { next_step(&view.clocks).map(|c| c.step) } else { None };
        let may_settle = principal.may_administer() && !refused.is_empty();
        Ok(LeadDetail { view, holder, refused, region_name, today: crate::calendar::today(), recordable, may_settle })
    }

    /// Records the lead's next step with its answer, done today, by the region that
    /// follows it (or the admin). `step` is the step the form showed: a stale form
    /// (the step recorded meanwhile) is refused rather than recorded as the next one.
    pub async fn record_lead_step(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: i64,
        step: &str,
        answer: &str,
    ) -> AppResult<Result<(), FieldErrors>> {
        let lead = self.lead_in_scope(principal, id).await?;
        let region = RegionCode::parse(&lead.region_code).map_err(AppError::internal)?;
        if !principal.may_edit_records_of(&region) {
            return Err(AppError::Forbidden);
        }
        let settings = self.lead_settings().await?;
        let calendar = self.calendar().await?;
        let today = crate::calendar::today();
        let view = self.view(lead, &settings, &calendar).await?;
        let Some(next) = next_step(&view.clocks).map(|c| c.step) else {
            return Err(AppError::Invalid("该线索没有待办理的环节".into()));
        };
        if given(step).is_some_and(|step| step != next.key()) {
            return Err(AppError::Invalid(format!("该环节已办理，当前待办理环节为“{}”", next.label())));
        }
        let answer = answer.trim();
        let mut errors = FieldErrors::new();
        if answer.is_empty() {
            errors.insert("answer", format!("请填写{}的答复", next.label()));
        } else if answer.chars().count() > MAX_TEXT {
            errors.insert("answer", format!("答复不超过{MAX_TEXT}个字"));
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        record_next_step(self.store(), &calendar, &view.lead, today, answer, actor).await?;
        Ok(Ok(()))
    }

    /// The province settles a dispute: the lead goes to the chamber of one of the
    /// registrations refused for it.
    pub async fn settle_lead(&self, principal: &Principal, actor: &Actor, id: i64, refused: i64) -> AppResult<()> {
        crate::accounts::require_admin(principal)?;
        let lead = self.store().lead(id).await?.ok_or_else(|| AppError::not_found("该线索"))?;
        let disputed = self.store().lead_duplicates(id).await?;
        if lead.project_id.is_none() || !disputed.iter().any(|d| d.id == refused) {
            return Err(AppError::Invalid("只能改判给对该线索提出登记的商会".into()));
        }
        Ok(self.store().settle_lead(id, refused, actor).await?)
    }
}

async fn check_lead(store: &Store, principal: &Principal, form: &LeadForm) -> AppResult<Result<Checked, FieldErrors>> {
    let mut errors = FieldErrors::new();
    let chamber = match own_chamber(store, principal).await? {
        Some(id) => store.chamber(id).await?,
        None if principal.role == Role::Liaison => {
            return Err(AppError::Invalid("该账号尚未关联商会，请联系管理员".into()))
        }
        None => match given(&form.chamber) {
            Some(name) => store.chamber_by_name(name).await?,
            None => None,
        },
    };
    if chamber.is_none() {
        errors.insert("chamber", "请填写商会名录中的商会名称".into());
    }
    let credit_code = match given(&form.credit_code) {
        Some(text) => match zhaoshang_core::credit_code::parse(text) {
            Ok(code) => code.to_string(),
            Err(e) => {
                errors.insert("credit_code", e.to_string());
                String::new()
            }
        },
        None => String::new(),
    };
    // The enterprise library knows the investor by its code, else by its exact name.
    let enterprise = match (credit_code.as_str(), given(&form.investor)) {
        ("", Some(name)) => store.enterprise_by_name(name).await?,
        ("", None) => None,
        (code, _) => store.enterprise_by_code(code).await?,
    };
    let investor = match (&enterprise, given(&form.investor)) {
        (Some(enterprise), _) => enterprise.data.name.clone(),
        (None, Some(name)) if name.chars().count() <= MAX_NAME => name.to_string(),
        (None, Some(_)) => {
            errors.insert("investor", format!("投资方名称不超过{MAX_NAME}个字"));
            String::new()
        }
        (None, None) => {
            errors.insert("investor", "请填写投资方名称".into());
            String::new()
        }
    };
    let credit_code = enterprise.as_ref().map_or(credit_code, |e| e.data.credit_code.clone());
    let industries = store.industries().await?;
    // A division (大类), not a section (门类).
    let industry =
        given(&form.industry).and_then(|code| industries.iter().find(|i| i.code == code && i.code != i.section));
    if industry.is_none() {
        errors.insert("industry", "请选择意向行业（国民经济行业门类下的大类）".into());
    }
    let region = match given(&form.region) {
        Some(code) => match crate::stats::known_region(store, code).await {
            Ok(region) => Some(region),
            Err(e) => {
                errors.insert("region", e.to_string());
                None
            }
        },
        None => {
            errors.insert("region", "请选择意向落地地区".into());
            None
        }
    };
    if let Some(region) = &region {
        if principal.role == Role::Region && !principal.record_scope().allows(region) {
            return Err(AppError::Forbidden);
        }
    }
    let amount = match given(&form.amount_wan) {
        Some(text) => match Yuan::parse_wan(text) {
            Ok(amount) if amount.0 >= 0 => amount,
            _ => {
                errors.insert("amount_wan", "意向投资额应为不小于0的金额（万元，最多六位小数）".into());
                Yuan(0)
            }
        },
        None => Yuan(0),
    };
    for (key, text, max) in [("contact", &form.contact, MAX_NAME), ("notes", &form.notes, MAX_TEXT)] {
        if text.trim().chars().count() > max {
            errors.insert(key, format!("不超过{max}个字"));
        }
    }
    // The activity it was registered at: one of those the user reads.
    let activity_id = match given(&form.activity) {
        None => None,
        Some(id) => {
            let activity = match id.parse::<i64>() {
                Ok(id) => store.activity(id).await?,
                Err(_) => None,
            };
            let scope = principal.record_scope();
            let readable = activity.filter(|a| match &a.region_code {
                None => scope != RecordScope::Nothing,
                Some(code) => RegionCode::parse(code).is_ok_and(|r| scope.allows(&r)),
            });
            if readable.is_none() {
                errors.insert("activity", "请从列表中选择登记线索的招商活动".into());
            }
            readable.map(|a| a.id)
        }
    };
    let (Some(chamber), Some(industry), Some(region), true) = (chamber, industry, region, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    Ok(Ok(Checked {
        chamber_id: chamber.id,
        chamber_name: chamber.data.name,
        investor,
        credit_code,
        enterprise_id: enterprise.map(|e| e.id),
        industry: industry.code.clone(),
        industry_name: industry.name.clone(),
        region,
        amount,
        contact: form.contact.trim().to_string(),
        notes: form.notes.trim().to_string(),
        activity_id,
    }))
}

/// Registers a lead on `today`: into the pipeline as 线索 attributed to the chamber
/// and the person, or, when the protection window holds the investor for an earlier
/// lead, recorded as refused (already registered). Returns the registration's id.
pub async fn register(
    store: &Store,
    calendar: &Calendar,
    principal: &Principal,
    actor: &Actor,
    form: &LeadForm,
    today: NaiveDate,
) -> AppResult<Result<i64, FieldErrors>> {
    registering_chamber(store, principal).await?;
    let checked = match check_lead(store, principal, form).await? {
        Ok(checked) => checked,
        Err(errors) => return Ok(Err(errors)),
    };
    let settings = lead_settings(store).await?;
    let since = today.checked_sub_days(Days::new(u64::from(settings.protection_days))).unwrap_or(today);
    let candidates = store.lead_candidates(&checked.credit_code, &checked.industry, since).await?;
    let new = Registration {
        investor: &checked.investor,
        credit_code: &checked.credit_code,
        industry: &checked.industry,
        lead_on: today,
    };
    let holder = protected_by(
        &new,
        candidates.iter().map(|lead| {
            let registration = Registration {
                investor: &lead.investor,
                credit_code: &lead.investor_credit_code,
                industry: &lead.industry,
                lead_on: lead.lead_on,
            };
            (lead.id, registration)
        }),
        settings.protection_days,
    );
    let (project, next) = match holder {
        Some(_) => (None, None),
        None => {
            let clocks = clock(today, &[], true, settings.clock.days_for(checked.amount), calendar)
                .map_err(|e| AppError::Invalid(e.to_string()))?;
            let next = next_step(&clocks).map(|c| (c.step.key().to_string(), c.due_on));
            let project = ProjectData {
                code: store.next_lead_code(today).await?,
                name: format!("{}·{}投资意向", checked.investor, checked.industry_name),
                region_code: checked.region.to_string(),
                investor: checked.investor.clone(),
                investor_credit_code: checked.credit_code.clone(),
                industry: checked.industry.clone(),
                total_investment: checked.amount.0,
                stage: Stage::Lead.key().to_string(),
                lead_on: Some(today),
                source: CHAMBER_SOURCE.to_string(),
                source_org: checked.chamber_name.clone(),
                description: checked.notes.clone(),
                ..Default::default()
            };
            (Some(project), next)
        }
    };
    // The person as people know them (the account's name, else its user name).
    let referrer_name = match store.user_by_id(principal.user_id).await? {
        Some(user) if !user.display_name.is_empty() => user.display_name,
        _ => actor.name.clone(),
    };
    let lead = NewLead {
        chamber_id: Some(checked.chamber_id),
        channel: CHAMBER_SOURCE.to_string(),
        subject: String::new(),
        tracking_code: None,
        referrer_id: Some(principal.user_id),
        referrer_name,
        investor: checked.investor,
        investor_credit_code: checked.credit_code,
        enterprise_id: checked.enterprise_id,
        industry: checked.industry,
        region_code: checked.region.to_string(),
        amount: checked.amount.0,
        contact: checked.contact,
        notes: checked.notes,
        lead_on: today,
        project,
        duplicate_of: holder,
        next_step: next.as_ref().map(|(step, _)| step.clone()),
        next_due_on: next.map(|(_, due)| due),
        activity_id: checked.activity_id,
    };
    Ok(Ok(store.register_lead(&lead, actor).await?))
}

/// Records `lead`'s next step as done on `done_on` with its answer, and keeps the
/// clock's next step and due date on the lead; returns the step recorded.
pub async fn record_next_step(
    store: &Store,
    calendar: &Calendar,
    lead: &Lead,
    done_on: NaiveDate,
    answer: &str,
    actor: &Actor,
) -> AppResult<LeadStep> {
    let settings = lead_settings(store).await?;
    let mut steps = store.lead_steps(lead.id).await?;
    let clocks = lead_clock(lead, &steps, &settings, calendar)?;
    let Some(next) = next_step(&clocks).map(|c| c.step) else {
        return Err(AppError::Invalid("该线索没有待办理的环节".into()));
    };
    steps.push(LeadStepRecord {
        id: 0,
        lead_id: lead.id,
        step: next.key().into(),
        done_on,
        answer: answer.into(),
        recorded_by: actor.name.clone(),
        recorded_at: crate::calendar::now(),
    });
    let clocks = lead_clock(lead, &steps, &settings, calendar)?;
    let after = next_step(&clocks);
    let (after_step, after_due) = (after.map(|c| c.step.key()), after.map(|c| c.due_on));
    store.record_lead_step(lead.id, next.key(), done_on, answer, (after_step, after_due), actor).await?;
    Ok(next)
}

/// 商会线索: the steps overdue or coming due on the leads followed in a region user's
/// region (the owner of the clock). Recorded on the lead's page, not marked done here.
pub struct LeadSteps;

impl InboxSource for LeadSteps {
    fn area(&self) -> &'static str {
        "leads"
    }

    fn area_label(&self) -> &'static str {
        "商会线索"
    }

    fn items<'a>(&'a self, store: &'a Store, query: &'a InboxQuery<'a>) -> crate::inbox::Items<'a> {
        Box::pin(async move {
            if query.user.role != Role::Region {
                return Ok(Vec::new());
            }
            let Some(prefix) = query.user.record_scope().prefix().map(str::to_string) else { return Ok(Vec::new()) };
            let filter = LeadFilter { region_prefix: Some(prefix), due_by: Some(query.horizon), ..Default::default() };
            let leads = store.leads_page(&filter, crate::inbox::MAX_ITEMS_PER_SOURCE, 0).await?;
            Ok(leads
                .into_iter()
                .filter_map(|lead| {
                    let due = lead.next_due_on?;
                    let step = lead.next_step.as_deref().and_then(LeadStep::from_key)?;
                    let draft = InboxItemDraft {
                        id: lead.id,
                        title: format!("{}：{}", lead.investor, step.label()),
                        detail: format!("{} · {}", lead.source_name, lead.project_code.unwrap_or_default()),
                        link: format!("/leads/{}", lead.id),
                        can_mark_done: false,
                    };
                    Some((draft, due))
                })
                .collect())
        })
    }
}
