//! Investment-promotion activities (招商活动) as records of work, and the projects
//! signed at them. A user reads the activities of its record scope and the province's
//! (those of no region); the admin records any, region staff their region's
//! (`Principal::may_write_activity_of`). Files import them too (`exchange::activities`);
//! the command line follows the cohort of projects signed at one (`zhaoshang stats cohort`).

use crate::portal::RegionChoice;
use crate::projects::{keyword, page_offset};
use crate::stats::optional_date;
use crate::{App, AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use zhaoshang_core::access::{Principal, RecordScope};
use zhaoshang_core::activities::{
    check_activity, cohort_curve, cohort_totals, not_started_after, ActivityForm, ActivitySort, CohortProject,
    CohortTotals, CurvePoint, FieldErrors, MAX_LISTED,
};
use zhaoshang_core::chambers::split_names;
use zhaoshang_core::money::{ratio, Yuan};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::text::non_empty;
use zhaoshang_store::activities::{Activity, ActivityFilter, ActivityRow, MetEnterprise};
use zhaoshang_store::audit::Actor;
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::projects::Project;
use zhaoshang_store::Store;

/// `zhaoshang stats cohort` (SPEC.md): the projects signed at one activity, up to `to`.
#[derive(Debug, Clone, Serialize)]
pub struct CohortReport {
    pub activity: String,
    pub to: NaiveDate,
    pub signed_count: i64,
    pub signed_investment_wan: String,
    pub funds_in_place_wan: String,
    pub arrival_rate: Option<f64>,
    pub started_count: i64,
    pub start_rate: Option<f64>,
    pub producing_count: i64,
    pub completion_rate: Option<f64>,
}

pub async fn cohort_report(store: &Store, activity: &str, to: NaiveDate) -> AppResult<CohortReport> {
    let known = store.activity_by_name(activity).await?;
    let figures = store.cohort_figures(activity, known.as_ref().and_then(|a| a.start_on), to).await?;
    if known.is_none() && figures.signed_count == 0 {
        return Err(AppError::Invalid(format!("未找到签约活动“{activity}”")));
    }
    Ok(CohortReport {
        activity: activity.to_string(),
        to,
        signed_count: figures.signed_count,
        signed_investment_wan: Yuan(figures.signed_investment).wan_string(),
        funds_in_place_wan: Yuan(figures.funds_in_place).wan_string(),
        arrival_rate: ratio(figures.funds_in_place, figures.signed_investment),
        started_count: figures.started_count,
        start_rate: ratio(figures.started_count, figures.signed_count),
        producing_count: figures.producing_count,
        completion_rate: ratio(figures.producing_count, figures.signed_count),
    })
}

/// The activity list's request: filters, order and page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActivityQuery {
    pub kind: Option<String>,
    /// A region that ran them (a code).
    pub region: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<u32>,
    /// The calendar's month, `YYYY-MM`.
    pub month: Option<String>,
    /// `xlsx` or `csv` for the list as a file.
    pub format: Option<String>,
}

/// One page of the list.
pub struct ActivityPage {
    pub rows: Vec<ActivityRow>,
    pub count: i64,
    pub page: u32,
    pub sort: ActivitySort,
    pub region_names: HashMap<String, String>,
}

/// An activity with what came of it, as its page shows it to a user.
pub struct ActivityView {
    pub activity: Activity,
    pub region_name: String,
    /// The projects signed there that the user reads.
    pub projects: Vec<Project>,
    /// The leads registered there that the user reads: (id, investor, region, day).
    pub leads: Vec<(i64, String, String, NaiveDate)>,
    pub may_edit: bool,
}

/// The list's page size.
pub const PER_PAGE: i64 = 20;
/// The most activities a form offers to choose from.
pub const MAX_CHOICES: i64 = 300;

fn value<'a>(values: &'a HashMap<String, String>, key: &str) -> &'a str {
    values.get(key).map_or("", |v| v.trim())
}

/// Whether the user may change an activity (its region's staff, the admin).
pub(crate) fn may_edit(principal: &Principal, activity: &Activity) -> AppResult<bool> {
    let region = activity.region_code.as_deref().map(RegionCode::parse).transpose().map_err(AppError::internal)?;
    Ok(principal.may_write_activity_of(region.as_ref()))
}

impl App {
    /// The region prefix of the activities a user reads besides the province's
    /// (`None`: all of them); 403 for roles that read no records.
    fn activity_scope(principal: &Principal) -> AppResult<Option<String>> {
        match principal.record_scope() {
            RecordScope::All => Ok(None),
            RecordScope::Within(region) => Ok(Some(region.scope_prefix().to_string())),
            RecordScope::Nothing => Err(AppError::Forbidden),
        }
    }

    /// The list's filter within the user's scope.
    pub fn activity_filter(principal: &Principal, query: &ActivityQuery) -> AppResult<ActivityFilter> {
        let scope = Self::activity_scope(principal)?;
        let kind = non_empty(query.kind.as_deref()).map(str::to_string);
        let region = match non_empty(query.region.as_deref()) {
            None => None,
            Some(code) => Some(
                RegionCode::parse(code)
                    .map_err(|_| AppError::bad_request(format!("地区代码“{code}”无效")))?
                    .scope_prefix()
                    .to_string(),
            ),
        };
        let (from, to) = (optional_date(&query.from, "开始日期起")?, optional_date(&query.to, "开始日期止")?);
        if let (Some(from), Some(to)) = (from, to) {
            crate::stats::period(from, to)?;
        }
        Ok(ActivityFilter { scope, region, kind, from, to, text: keyword(&query.q)? })
    }

    pub async fn activity_page(&self, principal: &Principal, query: &ActivityQuery) -> AppResult<ActivityPage> {
        let filter = Self::activity_filter(principal, query)?;
        let sort = activity_sort(query)?;
        let (page, offset) = page_offset(query.page, PER_PAGE);
        let (count, rows) = self.store().activities_page(&filter, sort, PER_PAGE, offset).await?;
        let region_names = self.region_names(rows.iter().filter_map(|r| r.activity.region_code.clone())).await?;
        Ok(ActivityPage { rows, count, page, sort, region_names })
    }

    /// The activities of the list's filter running on some day of the month `YYYY-MM`
    /// (this month when absent), with the month's first day.
    pub async fn activity_month(
        &self,
        principal: &Principal,
        query: &ActivityQuery,
    ) -> AppResult<(NaiveDate, Vec<Activity>)> {
        let filter = Self::activity_filter(principal, query)?;
        let first = match non_empty(query.month.as_deref()) {
            None => crate::calendar::today().with_day(1).expect("day 1"),
            Some(month) => NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
                .map_err(|_| AppError::bad_request(format!("月份“{month}”无效，应为 YYYY-MM")))?,
        };
        let last = first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
        Ok((first, self.store().activities_between(&filter, first, last).await?))
    }

    /// The activities a user may name on another record (the lead form's 登记活动): those
    /// it reads, the latest first, at most `MAX_CHOICES`; none for roles that read none.
    pub async fn activity_choices(&self, principal: &Principal) -> AppResult<Vec<Activity>> {
        let filter = match Self::activity_filter(principal, &ActivityQuery::default()) {
            Ok(filter) => filter,
            Err(AppError::Forbidden) => return Ok(Vec::new()),
            Err(error) => return Err(error),
        };
        let (_, rows) = self.store().activities_page(&filter, ActivitySort::Latest, MAX_CHOICES, 0).await?;
        Ok(rows.into_iter().map(|row| row.activity).collect())
    }

    /// An activity the user reads; 404 for any other.
    pub(crate) async fn activity_in_scope(&self, principal: &Principal, id: &str) -> AppResult<Activity> {
        let scope = Self::activity_scope(principal)?;
        let not_found = || AppError::not_found("该活动");
        let id: i64 = id.trim().parse().map_err(|_| not_found())?;
        let activity = self.store().activity(id).await?.ok_or_else(not_found)?;
        let readable = match (&scope, &activity.region_code) {
            (None, _) | (_, None) => true,
            (Some(prefix), Some(region)) => region.starts_with(prefix.as_str()),
        };
        readable.then_some(activity).ok_or_else(not_found)
    }

    pub async fn activity_view(&self, principal: &Principal, id: &str) -> AppResult<ActivityView> {
        let activity = self.activity_in_scope(principal, id).await?;
        let may_edit = may_edit(principal, &activity)?;
        let region_name = match &activity.region_code {
            Some(code) => self.region_name(code).await?,
            None => String::new(),
        };
        let projects = match self.project_scope(principal).await {
            Ok(scope) => {
                let mut filter = crate::scope::scoped_filter(&scope, scope.regions.prefix().unwrap_or("").to_string());
                filter.signing_activity = Some(activity.name.clone());
                self.store().list_projects(&filter, ProjectSort::SignedAsc, 500, 0).await?
            }
            Err(AppError::Forbidden) => Vec::new(),
            Err(error) => return Err(error),
        };
        let scope = principal.record_scope();
        let leads = self
            .store()
            .leads_of_activity(activity.id)
            .await?
            .into_iter()
            .filter(|(_, _, region, _)| RegionCode::parse(region).is_ok_and(|r| scope.allows(&r)))
            .collect();
        Ok(ActivityView { activity, region_name, projects, leads, may_edit })
    }

    /// An activity the user may edit (403 for one it reads but may not change).
    pub async fn editable_activity(&self, principal: &Principal, id: &str) -> AppResult<Activity> {
        let activity = self.activity_in_scope(principal, id).await?;
        if !may_edit(principal, &activity)? {
            return Err(AppError::Forbidden);
        }
        Ok(activity)
    }

    /// The regions a user may record activities for, by city (the admin every one and
    /// the province itself, offered apart; region staff their own).
    pub async fn activity_regions(&self, principal: &Principal) -> AppResult<Vec<RegionChoice>> {
        if !principal.may_record_activities() {
            return Err(AppError::Forbidden);
        }
        let mut choices = self.portal_regions().await?;
        for choice in &mut choices {
            choice.counties.retain(|county| {
                RegionCode::parse(&county.code).is_ok_and(|c| principal.may_write_activity_of(Some(&c)))
            });
        }
        choices.retain(|choice| {
            !choice.counties.is_empty()
                || RegionCode::parse(&choice.city.code).is_ok_and(|c| principal.may_write_activity_of(Some(&c)))
        });
        Ok(choices)
    }

    /// Saves an activity from its form: a new one (`id` None) or the one of `id`.
    /// Returns its id, or the form's errors (nothing written).
    pub async fn save_activity(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: Option<&str>,
        values: &HashMap<String, String>,
    ) -> AppResult<Result<i64, FieldErrors>> {
        let before = match id {
            Some(id) => Some(self.editable_activity(principal, id).await?),
            None if principal.may_record_activities() => None,
            None => return Err(AppError::Forbidden),
        };
        let form = ActivityForm {
            name: value(values, "name"),
            kind: value(values, "kind"),
            start_on: value(values, "start_on"),
            end_on: value(values, "end_on"),
            place: value(values, "place"),
            organiser: value(values, "organiser"),
            participants: value(values, "participants"),
            outcome: value(values, "outcome"),
        };
        let mut errors = FieldErrors::new();
        let draft = check_activity(&form).map_err(|e| errors.extend(e)).ok();
        let region = match value(values, "region") {
            "" => None,
            typed => match self.known_region(typed).await {
                Ok(region) => Some(region),
                Err(_) => {
                    errors.insert("region", format!("地区“{typed}”不在行政区划中"));
                    None
                }
            },
        };
        match &region {
            // Another region's activity is not the user's to record.
            Some(region) if !principal.may_write_activity_of(Some(region)) => return Err(AppError::Forbidden),
            None if !errors.contains_key("region") && !principal.may_write_activity_of(None) => {
                errors.insert("region", "请选择活动所属地区".to_string());
            }
            _ => {}
        }
        let chambers = split_names(value(values, "chambers"));
        let mut unknown = Vec::new();
        for name in &chambers {
            if self.store().chamber_by_name(name).await?.is_none() {
                unknown.push(name.as_str());
            }
        }
        if !unknown.is_empty() {
            errors.insert("chambers", format!("商会“{}”不在商会名录中", unknown.join("、")));
        } else if chambers.len() > MAX_LISTED {
            errors.insert("chambers", format!("参与商会最多 {MAX_LISTED} 个"));
        }
        let enterprises =
            self.met_enterprises(value(values, "enterprises")).await?.map_err(|e| errors.insert("enterprises", e)).ok();
        if let Some(draft) = &draft {
            let taken = self.store().activity_by_name(&draft.name).await?;
            if taken.is_some_and(|taken| Some(taken.id) != before.as_ref().map(|b| b.id)) {
                errors.insert("name", format!("活动名称“{}”已被其他活动使用", draft.name));
            }
        }
        let (Some(draft), Some(enterprises)) = (draft, enterprises) else { return Ok(Err(errors)) };
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let activity = Activity {
            id: before.as_ref().map_or(0, |b| b.id),
            name: draft.name,
            kind: draft.kind,
            start_on: Some(draft.start_on),
            end_on: draft.end_on,
            place: draft.place,
            organiser: draft.organiser,
            region_code: region.map(|r| r.to_string()),
            outcome: draft.outcome,
            chambers,
            participants: draft.participants,
            enterprises,
        };
        Ok(Ok(self.store().save_activity(&activity, actor).await?))
    }
}

impl App {
    /// The library's enterprises named one a line (by credit code or name); the error
    /// names those not in the library.
    async fn met_enterprises(&self, text: &str) -> AppResult<Result<Vec<MetEnterprise>, String>> {
        let mut met: Vec<MetEnterprise> = Vec::new();
        let mut unknown = Vec::new();
        for entry in split_names(text) {
            let found = self.enterprise_named(&entry).await?;
            match found {
                Some(e) if !met.iter().any(|m| m.id == e.id) => {
                    met.push(MetEnterprise { id: e.id, name: e.data.name, credit_code: e.data.credit_code })
                }
                Some(_) => {}
                None => unknown.push(entry),
            }
        }
        Ok(if !unknown.is_empty() {
            Err(format!("企业“{}”不在企业库中，请填写企业库中的名称或统一社会信用代码", unknown.join("、")))
        } else if met.len() > MAX_LISTED {
            Err(format!("对接企业最多 {MAX_LISTED} 家"))
        } else {
            Ok(met)
        })
    }
}

impl App {
    /// The list as filtered and ordered on its page, as a table in the import's columns.
    pub async fn activity_export(
        &self,
        principal: &Principal,
        query: &ActivityQuery,
    ) -> AppResult<crate::exchange::Table> {
        let filter = Self::activity_filter(principal, query)?;
        crate::exchange::activity_table(self.store(), &filter, activity_sort(query)?).await
    }
}

fn activity_sort(query: &ActivityQuery) -> AppResult<ActivitySort> {
    match non_empty(query.sort.as_deref()) {
        None => Ok(ActivitySort::Latest),
        Some(key) => ActivitySort::from_key(key).ok_or_else(|| AppError::bad_request(format!("未知的排序“{key}”"))),
    }
}

/// Projects signed but not started this many months after their activity are listed
/// for follow-up, unless the page asks for another span.
pub const DEFAULT_LAG_MONTHS: u32 = 6;

/// A signing cohort as its page shows it: the report of `zhaoshang stats cohort`, the
/// same figures by city, the curve, and the projects late to start.
pub struct CohortView {
    pub activity: Activity,
    pub report: CohortReport,
    /// By city (name), in code order.
    pub by_region: Vec<(String, CohortTotals)>,
    pub curve: Vec<CurvePoint>,
    /// Signed but not started `months` after the activity, of those the user reads.
    pub lagging: Vec<Project>,
    pub months: u32,
}

/// One cohort of the side-by-side table.
pub struct CohortColumn {
    pub activity: Activity,
    pub report: CohortReport,
    pub curve: Vec<CurvePoint>,
}

impl App {
    /// The projects signed at `activity` by `to` (not 终止) and the day its funds count
    /// from (the activity's start, else the first signing), as `stats cohort` takes them.
    async fn cohort(
        &self,
        activity: &Activity,
        to: NaiveDate,
    ) -> AppResult<(NaiveDate, Vec<Project>, Vec<CohortProject>)> {
        let filter = ProjectFilter {
            signing_activity: Some(activity.name.clone()),
            exclude_dropped: true,
            signed_to: Some(to),
            ..Default::default()
        };
        let mut projects = Vec::new();
        loop {
            let page = self.store().list_projects(&filter, ProjectSort::Code, 1000, projects.len() as i64).await?;
            let done = page.len() < 1000;
            projects.extend(page);
            if done {
                break;
            }
        }
        let codes: Vec<String> = projects.iter().map(|p| p.data.code.clone()).collect();
        let mut funding: HashMap<String, Vec<(NaiveDate, i64)>> = HashMap::new();
        for record in self.store().funding_of_codes(&codes).await? {
            funding.entry(record.project_code).or_default().push((record.funded_on, record.amount));
        }
        let first_signed = projects.iter().filter_map(|p| p.data.signed_on).min();
        let start = activity.start_on.or(first_signed).unwrap_or(to);
        let cohort = projects
            .iter()
            .map(|p| CohortProject {
                investment: p.data.total_investment,
                started_on: p.data.started_on,
                producing_on: p.data.producing_on,
                funding: funding.remove(&p.data.code).unwrap_or_default(),
            })
            .collect();
        Ok((start, projects, cohort))
    }

    /// The cohort page of an activity the user reads, on `to`; aggregates, so for those
    /// who read them (the projects late to start are the user's own scope's).
    pub async fn cohort_view(
        &self,
        principal: &Principal,
        id: &str,
        to: NaiveDate,
        months: u32,
    ) -> AppResult<CohortView> {
        if !principal.may_see_aggregates() {
            return Err(AppError::Forbidden);
        }
        let activity = self.activity_in_scope(principal, id).await?;
        let report = cohort_report(self.store(), &activity.name, to).await?;
        let (start, projects, cohort) = self.cohort(&activity, to).await?;
        let mut by_city: BTreeMap<String, Vec<CohortProject>> = BTreeMap::new();
        for (project, member) in projects.iter().zip(&cohort) {
            let city = format!("{}00", project.data.region_code.get(..4).unwrap_or_default());
            by_city.entry(city).or_default().push(member.clone());
        }
        let names = self.region_names(by_city.keys().cloned()).await?;
        let by_region = by_city
            .iter()
            .map(|(code, members)| {
                (names.get(code).cloned().unwrap_or_else(|| code.clone()), cohort_totals(start, to, members))
            })
            .collect();
        let scope = self.project_scope(principal).await?;
        let lagging = not_started_after(start, months, to, &cohort)
            .into_iter()
            .map(|i| projects[i].clone())
            .filter(|p| RegionCode::parse(&p.data.region_code).is_ok_and(|r| scope.allows(&r, &p.data.chain)))
            .collect();
        Ok(CohortView { activity, report, by_region, curve: cohort_curve(start, to, &cohort), lagging, months })
    }

    /// Several fairs' cohorts side by side on `to`, as the province publishes them for
    /// the 兰洽会: those named (ids), else every 兰洽会 with signings the user reads, the
    /// earliest first.
    /// The activities the user reads where projects were signed, the earliest first (the
    /// 100 with the most signings), those whose name holds `text` when given: the side-by-side page's
    /// picker, and its default (the 兰洽会).
    pub async fn signing_activities(&self, principal: &Principal, text: Option<&str>) -> AppResult<Vec<Activity>> {
        if !principal.may_see_aggregates() {
            return Err(AppError::Forbidden);
        }
        let filter = ActivityFilter {
            scope: Self::activity_scope(principal)?,
            text: text.map(str::to_string),
            ..Default::default()
        };
        // The 100 with the most signings, then by date.
        let (_, rows) = self.store().activities_page(&filter, ActivitySort::Signed, 100, 0).await?;
        let mut activities: Vec<Activity> =
            rows.into_iter().filter(|r| r.signed_count > 0).map(|r| r.activity).collect();
        activities.sort_by_key(|a| (a.start_on, a.id));
        Ok(activities)
    }

    pub async fn cohort_comparison(
        &self,
        principal: &Principal,
        ids: &[String],
        to: NaiveDate,
    ) -> AppResult<Vec<CohortColumn>> {
        if !principal.may_see_aggregates() {
            return Err(AppError::Forbidden);
        }
        let mut activities = Vec::new();
        if ids.is_empty() {
            activities = self.signing_activities(principal, Some("兰洽会")).await?;
        } else {
            for id in ids {
                activities.push(self.activity_in_scope(principal, id).await?);
            }
        }
        let mut columns = Vec::new();
        for activity in activities {
            let report = cohort_report(self.store(), &activity.name, to).await?;
            let (start, _, cohort) = self.cohort(&activity, to).await?;
            columns.push(CohortColumn { activity, report, curve: cohort_curve(start, to, &cohort) });
        }
        Ok(columns)
    }
}
