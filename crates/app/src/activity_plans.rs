//! Activity plans (年度、季度和月度招商活动清单): scope-checked reads of the plans of a
//! region and its departments with their lines matched to the activities done
//! (`core::activity_plans::match_lines`) and their statuses on the working-day
//! calendar, the forms' writes, the plans as an office's workbook, and the inbox source
//! of lines due or late. A user reads the plans of its record scope (a city its own and
//! its counties', the province all); the admin keeps any, region staff their region's
//! (`Principal::may_write_activity_of`, as for activities).

use crate::exchange::{NumberFormat, Table};
use crate::inbox::{InboxItemDraft, InboxQuery, InboxSource};
use crate::portal::RegionChoice;
use crate::projects::page_offset;
use crate::work_plans::{region_of, value};
use crate::{App, AppError, AppResult};
use chrono::{Days, NaiveDate};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use zhaoshang_core::access::{Principal, RecordScope, Role};
use zhaoshang_core::activity_plans::{
    check_line, check_plan, line_status, match_lines, ActivityFacts, FieldErrors, LineFacts, LineForm, LineStatus,
    Owner, PeriodKind, PlanForm, PlanPeriod, Tally,
};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::chambers::split_names;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::text::non_empty;
use zhaoshang_core::work_plans::due_day;
use zhaoshang_store::activity_plans::{
    ActivityPlan, ActivityPlanData, ActivityPlanFilter, PlanLine, PlanLineData, PlannedActivity,
};
use zhaoshang_store::audit::Actor;
use zhaoshang_store::Store;

/// A line with the activity that fulfils it and its status.
#[derive(Debug, Clone)]
pub struct LineView {
    pub line: PlanLine,
    pub status: LineStatus,
    /// The day it is due on the calendar (a holiday moves it to the next working day).
    pub due_day: NaiveDate,
    pub activity: Option<PlannedActivity>,
    /// Whether the activity was linked by hand.
    pub by_hand: bool,
}

/// A plan with its lines matched and counted.
#[derive(Debug, Clone)]
pub struct PlanEval {
    pub plan: ActivityPlan,
    pub lines: Vec<LineView>,
    pub tally: Tally,
}

impl PlanEval {
    /// Who owns it, as offices name it: 白银市 · 市投资促进局.
    pub fn owner(&self) -> String {
        owner_label(&self.plan)
    }

    pub fn period_label(&self) -> String {
        PlanPeriod::parse(&self.plan.data.period).map_or_else(|| self.plan.data.period.clone(), |p| p.label())
    }
}

fn owner_of(plan: &ActivityPlan) -> Owner {
    Owner { region_code: plan.data.region_code.clone(), department: plan.data.department.clone() }
}

fn owner_label(plan: &ActivityPlan) -> String {
    match plan.data.department.as_str() {
        "" => plan.region_name.clone(),
        department => format!("{} · {department}", plan.region_name),
    }
}

/// The list's request: filters and page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActivityPlanQuery {
    /// `year`, `quarter` or `month`.
    pub kind: Option<String>,
    /// A year (`2024`) or one period (`2024Q2`, `2024-05`).
    pub period: Option<String>,
    /// A region owning them (a code).
    pub region: Option<String>,
    pub page: Option<u32>,
    /// `xlsx` or `csv` for the lines as a file.
    pub format: Option<String>,
}

/// One page of plans with the totals of all the page's plans.
pub struct ActivityPlanPage {
    pub rows: Vec<PlanEval>,
    pub count: i64,
    pub page: u32,
    pub totals: Tally,
}

/// A plan's page.
pub struct ActivityPlanView {
    pub eval: PlanEval,
    pub may_edit: bool,
    /// The activities a line may be linked to by hand: those of the plan's period the
    /// user reads, the earliest first.
    pub activities: Vec<PlannedActivity>,
}

pub const PER_PAGE: i64 = 20;
/// The inbox reads plans whose period ended at most this many days ago.
pub const INBOX_DAYS_BACK: u64 = 366;

fn scope_prefix(scope: RecordScope) -> AppResult<String> {
    match scope {
        RecordScope::All => Ok(String::new()),
        RecordScope::Within(region) => Ok(region.scope_prefix().to_string()),
        RecordScope::Nothing => Err(AppError::Forbidden),
    }
}

/// Matches the plans' lines to `activities` (whose places are resolved to divisions in
/// `places`) and gives each line its status on `today`.
fn evaluate(
    plans: Vec<(ActivityPlan, Vec<PlanLine>)>,
    activities: &[PlannedActivity],
    places: &HashMap<String, Vec<String>>,
    today: NaiveDate,
    calendar: &Calendar,
) -> Vec<PlanEval> {
    let facts: Vec<ActivityFacts> = activities
        .iter()
        .map(|a| ActivityFacts {
            id: a.id,
            kind: a.kind.clone(),
            start_on: a.start_on,
            region_code: a.region_code.clone(),
            organiser: a.organiser.clone(),
            place_codes: places.get(&a.place).cloned().unwrap_or_default(),
        })
        .collect();
    plans
        .into_iter()
        .map(|(plan, lines)| {
            let owner = owner_of(&plan);
            let line_facts: Vec<LineFacts> = lines
                .iter()
                .map(|line| LineFacts {
                    id: line.id,
                    owner: owner.clone(),
                    kind: line.data.kind.clone(),
                    from: plan.data.period_from,
                    due_on: line.data.due_on,
                    place_code: line.data.place_code.clone(),
                    linked_activity: line.data.activity_id,
                })
                .collect();
            let matched = match_lines(&line_facts, &facts);
            let lines: Vec<LineView> = lines
                .into_iter()
                .map(|line| {
                    let activity_id = matched.iter().find(|(l, _)| *l == line.id).map(|(_, a)| *a);
                    let activity = activity_id.and_then(|id| activities.iter().find(|a| a.id == id).cloned());
                    LineView {
                        status: line_status(line.data.due_on, activity.is_some(), today, calendar),
                        due_day: due_day(line.data.due_on, calendar),
                        by_hand: line.data.activity_id.is_some(),
                        activity,
                        line,
                    }
                })
                .collect();
            let tally = Tally::of(lines.iter().map(|l| l.status));
            PlanEval { plan, lines, tally }
        })
        .collect()
}

/// The divisions an activity's place names: its parts (separated by 、 , ; or spaces)
/// each read as a division's name or code; parts that name none, or several, are left out.
async fn place_divisions(store: &Store, place: &str) -> AppResult<Vec<String>> {
    let mut codes = Vec::new();
    for part in split_names(&place.replace([',', '，', ' ', '　', '/'], "、")) {
        if let Ok(region) = crate::stats::known_region(store, &part).await {
            codes.push(region.to_string());
        }
    }
    Ok(codes)
}

/// Plans with their lines matched, as of today.
async fn evaluate_plans(
    store: &Store,
    calendar: &Calendar,
    today: NaiveDate,
    plans: Vec<ActivityPlan>,
) -> AppResult<Vec<PlanEval>> {
    let ids: Vec<i64> = plans.iter().map(|p| p.id).collect();
    let mut lines = store.activity_plan_lines(&ids).await?;
    let kinds: Vec<String> = lines.iter().map(|l| l.data.kind.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let from = plans.iter().map(|p| p.data.period_from).min();
    let to = lines.iter().map(|l| l.data.due_on).max();
    let mut activities = match (from, to) {
        (Some(from), Some(to)) if !kinds.is_empty() => store.planned_activities(&kinds, from, to).await?,
        _ => Vec::new(),
    };
    let linked: Vec<i64> =
        lines.iter().filter_map(|l| l.data.activity_id).filter(|id| !activities.iter().any(|a| a.id == *id)).collect();
    if !linked.is_empty() {
        activities.extend(store.planned_activities_of(&linked).await?);
    }
    // The places read as divisions only of the activities a line with a place may take:
    // of its kind, run by its plan's owner.
    let placed: Vec<(Owner, &str)> = lines
        .iter()
        .filter(|l| l.data.place_code.is_some())
        .filter_map(|l| plans.iter().find(|p| p.id == l.plan_id).map(|p| (owner_of(p), l.data.kind.as_str())))
        .collect();
    let mut places: HashMap<String, Vec<String>> = HashMap::new();
    for activity in &activities {
        let wanted = placed.iter().any(|(owner, kind)| {
            *kind == activity.kind && owner.runs(activity.region_code.as_deref(), &activity.organiser)
        });
        if wanted && !places.contains_key(&activity.place) {
            places.insert(activity.place.clone(), place_divisions(store, &activity.place).await?);
        }
    }
    let plans = plans
        .into_iter()
        .map(|plan| {
            let (own, rest): (Vec<PlanLine>, Vec<PlanLine>) = lines.drain(..).partition(|l| l.plan_id == plan.id);
            lines = rest;
            (plan, own)
        })
        .collect();
    Ok(evaluate(plans, &activities, &places, today, calendar))
}

impl App {
    /// The region prefix of the plans a user reads; 403 for roles that read no records.
    fn activity_plan_prefix(principal: &Principal) -> AppResult<String> {
        scope_prefix(principal.record_scope())
    }

    fn activity_plan_filter(principal: &Principal, query: &ActivityPlanQuery) -> AppResult<ActivityPlanFilter> {
        let scope = Self::activity_plan_prefix(principal)?;
        let period_kind = match non_empty(query.kind.as_deref()) {
            None => None,
            Some(kind) => Some(
                PeriodKind::from_key(kind)
                    .ok_or_else(|| AppError::bad_request(format!("计划类型“{kind}”无效，可选：年度、季度、月度")))?
                    .key()
                    .to_string(),
            ),
        };
        let (mut year, mut period) = (None, None);
        if let Some(typed) = non_empty(query.period.as_deref()) {
            let parsed = PlanPeriod::parse(typed)
                .ok_or_else(|| AppError::bad_request(format!("计划期间“{typed}”无效，应为 2024、2024Q2 或 2024-05")))?;
            match parsed.kind {
                PeriodKind::Year => year = Some(parsed.year),
                _ => period = Some(parsed.key()),
            }
        }
        let region = match non_empty(query.region.as_deref()) {
            None => None,
            Some(code) => Some(
                RegionCode::parse(code)
                    .map_err(|_| AppError::bad_request(format!("地区代码“{code}”无效")))?
                    .scope_prefix()
                    .to_string(),
            ),
        };
        Ok(ActivityPlanFilter { scope, region, period_kind, year, period, ending_from: None })
    }

    /// A page of the plans the user reads, matched, with the totals of the page.
    pub async fn activity_plan_page(
        &self,
        principal: &Principal,
        query: &ActivityPlanQuery,
    ) -> AppResult<ActivityPlanPage> {
        let filter = Self::activity_plan_filter(principal, query)?;
        let (page, offset) = page_offset(query.page, PER_PAGE);
        let (count, plans) = self.store().activity_plans_page(&filter, PER_PAGE, offset).await?;
        let calendar = self.calendar().await?;
        let rows = evaluate_plans(self.store(), &calendar, crate::calendar::today(), plans).await?;
        let mut totals = Tally::default();
        for row in &rows {
            for line in &row.lines {
                totals.add(line.status);
            }
        }
        Ok(ActivityPlanPage { rows, count, page, totals })
    }

    /// A plan the user reads; 404 for any other.
    async fn readable_activity_plan(&self, principal: &Principal, id: &str) -> AppResult<ActivityPlan> {
        let prefix = Self::activity_plan_prefix(principal)?;
        let not_found = || AppError::not_found("该活动计划");
        let id: i64 = id.trim().parse().map_err(|_| not_found())?;
        self.store().activity_plan(id).await?.filter(|p| p.data.region_code.starts_with(&prefix)).ok_or_else(not_found)
    }

    /// A plan the user reads and keeps: 404 outside its scope, 403 without the right.
    async fn editable_activity_plan(&self, principal: &Principal, id: &str) -> AppResult<ActivityPlan> {
        let plan = self.readable_activity_plan(principal, id).await?;
        if !principal.may_write_activity_of(Some(&region_of(&plan.data.region_code)?)) {
            return Err(AppError::Forbidden);
        }
        Ok(plan)
    }

    pub async fn activity_plan_view(&self, principal: &Principal, id: &str) -> AppResult<ActivityPlanView> {
        let plan = self.readable_activity_plan(principal, id).await?;
        let may_edit = principal.may_write_activity_of(Some(&region_of(&plan.data.region_code)?));
        let calendar = self.calendar().await?;
        let activities = if may_edit {
            let prefix = region_of(&plan.data.region_code)?;
            let kinds: Vec<String> = zhaoshang_core::activities::KINDS.iter().map(|k| k.to_string()).collect();
            let all = self.store().planned_activities(&kinds, plan.data.period_from, plan.data.period_to).await?;
            all.into_iter()
                .filter(|a| match &a.region_code {
                    None => true,
                    Some(code) => RegionCode::parse(code).is_ok_and(|c| prefix.contains(&c)),
                })
                .collect()
        } else {
            Vec::new()
        };
        let eval = evaluate_plans(self.store(), &calendar, crate::calendar::today(), vec![plan]).await?.remove(0);
        Ok(ActivityPlanView { eval, may_edit, activities })
    }

    /// The regions a user keeps plans for, by city; the province itself is offered apart
    /// (`activity_plan_province`).
    pub async fn activity_plan_regions(&self, principal: &Principal) -> AppResult<Vec<RegionChoice>> {
        self.activity_regions(principal).await
    }

    /// Whether the user keeps the province's own plans (the admin).
    pub fn activity_plan_province(principal: &Principal) -> bool {
        RegionCode::parse(PROVINCE).is_ok_and(|p| principal.may_write_activity_of(Some(&p)))
    }

    /// Creates a plan (`id` None) or updates one. Returns its id, or the form's errors
    /// (nothing written).
    pub async fn save_activity_plan(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: Option<&str>,
        values: &HashMap<String, String>,
    ) -> AppResult<Result<i64, FieldErrors>> {
        let before = match id {
            Some(id) => Some(self.editable_activity_plan(principal, id).await?),
            None if principal.may_record_activities() => None,
            None => return Err(AppError::Forbidden),
        };
        let mut errors = FieldErrors::new();
        let region = match &before {
            Some(plan) => Some(region_of(&plan.data.region_code)?),
            None => match self.known_region(value(values, "region")).await {
                Ok(region) if principal.may_write_activity_of(Some(&region)) => Some(region),
                Ok(_) => return Err(AppError::Forbidden),
                Err(_) => {
                    errors.insert("region", "请选择计划所属的省、市州或县区".to_string());
                    None
                }
            },
        };
        let form = PlanForm {
            period: value(values, "period"),
            department: value(values, "department"),
            note: value(values, "note"),
        };
        let draft = check_plan(&form).map_err(|e| errors.extend(e)).ok();
        let (Some(region), Some(draft)) = (region, draft) else { return Ok(Err(errors)) };
        if let Some(plan) = &before {
            let lines = self.store().activity_plan_lines(&[plan.id]).await?;
            if lines.iter().any(|l| !draft.period.contains(l.data.due_on)) {
                errors.insert("period", "已有计划条目的完成时限不在新的期间之内，请先修改条目".to_string());
                return Ok(Err(errors));
            }
        }
        let (from, to) = draft.period.span();
        let data = ActivityPlanData {
            region_code: region.to_string(),
            department: draft.department,
            period_kind: draft.period.kind.key().to_string(),
            period: draft.period.key(),
            period_from: from,
            period_to: to,
            note: draft.note,
        };
        match self.store().save_activity_plan(before.map(|p| p.id), &data, actor).await {
            Ok(id) => Ok(Ok(id)),
            Err(zhaoshang_store::StoreError::Conflict(message)) => {
                errors.insert("period", message);
                Ok(Err(errors))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// A line of `plan`; 404 for any other.
    async fn activity_plan_line_of(&self, plan: &ActivityPlan, id: &str) -> AppResult<PlanLine> {
        let not_found = || AppError::not_found("该计划条目");
        let id: i64 = id.trim().parse().map_err(|_| not_found())?;
        self.store().activity_plan_line(id).await?.filter(|l| l.plan_id == plan.id).ok_or_else(not_found)
    }

    /// Adds a line to a plan (`line_id` None) or updates one of its lines. Returns the
    /// line's id, or the form's errors (nothing written).
    pub async fn save_activity_plan_line(
        &self,
        principal: &Principal,
        actor: &Actor,
        plan_id: &str,
        line_id: Option<&str>,
        values: &HashMap<String, String>,
    ) -> AppResult<Result<i64, FieldErrors>> {
        let plan = self.editable_activity_plan(principal, plan_id).await?;
        let line_id = match line_id {
            Some(id) => Some(self.activity_plan_line_of(&plan, id).await?.id),
            None => None,
        };
        let period = PlanPeriod::parse(&plan.data.period)
            .ok_or_else(|| AppError::internal(format!("stored period {}", plan.data.period)))?;
        let form = LineForm {
            kind: value(values, "kind"),
            title: value(values, "title"),
            targets: value(values, "targets"),
            responsible: value(values, "responsible"),
            planned_on: value(values, "planned_on"),
            due_on: value(values, "due_on"),
        };
        let mut errors = FieldErrors::new();
        let draft = check_line(&form, &period).map_err(|e| errors.extend(e)).ok();
        let place_code = match value(values, "place") {
            "" => None,
            typed => match self.known_region(typed).await {
                Ok(region) => Some(region.to_string()),
                Err(AppError::Invalid(message)) => {
                    errors.insert("place", message);
                    None
                }
                Err(error) => return Err(error),
            },
        };
        let activity_id = match value(values, "activity") {
            "" => None,
            typed => match self.activity_in_scope(principal, typed).await {
                Ok(activity) if activity.start_on.is_some_and(|d| period.contains(d)) => Some(activity.id),
                Ok(_) => {
                    errors.insert("activity", format!("所选活动不在{}之内", period.label()));
                    None
                }
                Err(AppError::NotFound(_)) => {
                    errors.insert("activity", "请从列表中选择本期间的活动".to_string());
                    None
                }
                Err(error) => return Err(error),
            },
        };
        let Some(draft) = draft else { return Ok(Err(errors)) };
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let data = PlanLineData {
            kind: draft.kind,
            title: draft.title,
            place_code,
            targets: split_names(&draft.targets).join("\n"),
            responsible: draft.responsible,
            planned_on: draft.planned_on,
            due_on: draft.due_on,
            activity_id,
        };
        Ok(Ok(self.store().save_activity_plan_line(plan.id, line_id, &data, actor).await?))
    }

    /// The lines of the plans of the list's filter (all pages, at most `MAX_EXPORT` plans)
    /// as an office keeps its 招商活动清单: 序号, 责任单位, 计划期间, 活动类型, 活动内容,
    /// 计划地点, 目标企业, 责任人, 计划日期, 完成时限, 完成情况, 对应活动, 活动日期.
    pub async fn activity_plans_table(&self, principal: &Principal, query: &ActivityPlanQuery) -> AppResult<Table> {
        let filter = Self::activity_plan_filter(principal, query)?;
        let (_, plans) = self.store().activity_plans_page(&filter, MAX_EXPORT, 0).await?;
        let calendar = self.calendar().await?;
        let rows = evaluate_plans(self.store(), &calendar, crate::calendar::today(), plans).await?;
        let columns = [
            "序号",
            "责任单位",
            "计划期间",
            "活动类型",
            "活动内容",
            "计划地点",
            "目标企业",
            "责任人",
            "计划日期",
            "完成时限",
            "完成情况",
            "对应活动",
            "活动日期",
        ]
        .map(|header| (header.to_string(), NumberFormat::Text));
        let title = match non_empty(query.period.as_deref()) {
            Some(period) => {
                format!("招商活动计划清单（{}）", PlanPeriod::parse(period).map_or(period.to_string(), |p| p.label()))
            }
            None => "招商活动计划清单".to_string(),
        };
        let mut table = Table::report("招商活动计划", title, columns, 2);
        let mut number = 0;
        for row in &rows {
            for line in &row.lines {
                number += 1;
                let d = &line.line.data;
                table.rows.push(vec![
                    number.to_string(),
                    row.owner(),
                    row.period_label(),
                    d.kind.clone(),
                    d.title.clone(),
                    line.line.place_name.clone().unwrap_or_default(),
                    d.targets.replace('\n', "、"),
                    d.responsible.clone(),
                    d.planned_on.map(|d| d.to_string()).unwrap_or_default(),
                    d.due_on.to_string(),
                    line.status.label().to_string(),
                    line.activity.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
                    line.activity.as_ref().map(|a| a.start_on.to_string()).unwrap_or_default(),
                ]);
            }
        }
        Ok(table)
    }
}

/// The province's code: its own plans are the provincial departments'.
pub const PROVINCE: &str = "620000";
/// At most this many plans in one export.
pub const MAX_EXPORT: i64 = 2_000;

/// Activity plan lines (招商活动计划) in the inbox: the lines of the plans of the regions
/// the user keeps (region staff: its region and counties) or supervises (the admin,
/// leaders) that no activity fulfils and that are due by the horizon or late, of plans
/// whose period ended at most `INBOX_DAYS_BACK` days ago.
pub struct ActivityPlanClocks;

impl InboxSource for ActivityPlanClocks {
    fn area(&self) -> &'static str {
        "activity_plans"
    }

    fn area_label(&self) -> &'static str {
        "招商活动计划"
    }

    fn items<'a>(&'a self, store: &'a Store, query: &'a InboxQuery<'a>) -> crate::inbox::Items<'a> {
        Box::pin(async move {
            let scope = match query.user.role {
                Role::Region => query.user.record_scope(),
                _ => query.user.supervision_scope(),
            };
            let Ok(prefix) = scope_prefix(scope) else { return Ok(Vec::new()) };
            let filter = ActivityPlanFilter {
                scope: prefix,
                ending_from: query.today.checked_sub_days(Days::new(INBOX_DAYS_BACK)),
                ..Default::default()
            };
            let (_, plans) = store.activity_plans_page(&filter, crate::inbox::MAX_ITEMS_PER_SOURCE, 0).await?;
            let evals = evaluate_plans(store, query.calendar, query.today, plans).await?;
            let mut items = Vec::new();
            for eval in &evals {
                for line in &eval.lines {
                    if line.status == LineStatus::Done || line.due_day > query.horizon {
                        continue;
                    }
                    let d = &line.line.data;
                    let what = if d.title.is_empty() { d.kind.clone() } else { format!("{}：{}", d.kind, d.title) };
                    let place = line.line.place_name.as_deref().map(|p| format!(" · {p}")).unwrap_or_default();
                    let draft = InboxItemDraft {
                        id: line.line.id,
                        title: format!("{}：{what}{place}", eval.owner()),
                        detail: format!("{}招商活动计划", eval.period_label()),
                        link: format!("/activity-plans/{}#line-{}", eval.plan.id, line.line.id),
                        can_mark_done: false,
                    };
                    items.push((draft, line.due_day));
                }
            }
            Ok(items)
        })
    }
}
