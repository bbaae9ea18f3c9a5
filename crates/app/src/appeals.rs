//! Business-environment appeals (营商环境诉求): the scope-checked list and detail, and the
//! `stats appeals` report of SPEC.md, shared by the page and the command line. Who reads
//! which appeals is `Principal::appeal_scope`; files import them (`exchange::appeals`).

pub mod supervision;

use crate::exchange::{self, Table};
use crate::inbox::{InboxItemDraft, InboxQuery, InboxSource};
use crate::notify::Message;
use crate::projects::{keyword, page_offset};
use crate::stats::{parse_date, period};
use crate::{App, AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_core::access::{Principal, RecordScope, Role};
use zhaoshang_core::appeals::flow::{Action, ActionKind, FlowState, Level, Light};
use zhaoshang_core::appeals::{
    rank_departments, AppealCounts, AppealReport, AppealStatus, Dimension, RankedDepartment, Rating,
};
use zhaoshang_core::codes::next_code;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::appeals::{Appeal, AppealFilter, AppealGrouping, AppealSort, AppealStepRecord};
use zhaoshang_store::Actor;
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
    /// Exactly this category or department (the figures' drill-down).
    pub category: Option<String>,
    pub department: Option<String>,
    pub sort: Option<String>,
    pub page: Option<u32>,
    pub format: Option<String>,
}

/// The figures page of a region and received period.
pub struct AppealFigures {
    pub report: AppealReport,
    /// Most received first.
    pub by_category: Vec<(String, AppealCounts)>,
    pub departments: Vec<RankedDepartment>,
    /// Each sub-region's code with its counts.
    pub by_region: Vec<(String, AppealCounts)>,
    pub region_names: HashMap<String, String>,
    /// "YYYY-MM" in order.
    pub by_month: Vec<(String, AppealCounts)>,
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
            running_due_by: None,
            category: given(&query.category).map(str::to_string),
            department: given(&query.department).map(str::to_string),
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

    /// The figures of the appeals a request matches, by category, department (ranked),
    /// sub-region and month received, beside the `stats appeals` report of its region.
    pub async fn appeal_figures(&self, principal: &Principal, query: &AppealQuery) -> AppResult<AppealFigures> {
        let (filter, region) = self.appeal_filter(principal, query).await?;
        let to = filter.received_to.unwrap_or(filter.today);
        let from = filter.received_from.unwrap_or(to);
        let sub_regions = match region.as_str().trim_end_matches("00").len() {
            2 => AppealGrouping::RegionDigits(4),
            _ => AppealGrouping::RegionDigits(6),
        };
        let counts = |grouping| self.store().appeal_counts_by(&filter, grouping, to);
        let (report, by_category, by_department, by_prefix, by_month) = tokio::try_join!(
            appeal_report(self.store(), &region, from, to),
            async { Ok(counts(AppealGrouping::Category).await?) },
            async { Ok(counts(AppealGrouping::Department).await?) },
            async { Ok(counts(sub_regions).await?) },
            async { Ok(counts(AppealGrouping::Month).await?) },
        )?;
        // A sub-region's code is its prefix padded to six digits.
        let by_region: Vec<(String, AppealCounts)> =
            by_prefix.into_iter().map(|(prefix, counts)| (format!("{prefix:0<6}"), counts)).collect();
        let region_names = self.region_names(by_region.iter().map(|(code, _)| code.clone())).await?;
        let mut by_category = by_category;
        by_category.sort_by(|(a, x), (b, y)| y.received.cmp(&x.received).then(a.cmp(b)));
        let mut by_month = by_month;
        by_month.sort_by(|(a, _), (b, _)| a.cmp(b));
        Ok(AppealFigures {
            report,
            by_category,
            departments: rank_departments(by_department),
            by_region,
            region_names,
            by_month,
        })
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

/// The longest text a step carries (an answer, a reason).
const MAX_STEP_TEXT: usize = 2000;

/// A step of an appeal's course as its page's form sends it: the action's key and what
/// that action needs (a reason or answer text, a department, days, a rating).
#[derive(Deserialize, Default, Clone, Debug)]
pub struct AppealStepForm {
    pub action: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub days: String,
    #[serde(default)]
    pub rating: String,
}

impl AppealStepForm {
    /// The step asked for, or why the form cannot be one.
    pub fn action(&self) -> AppResult<Action> {
        let kind = ActionKind::from_key(self.action.trim())
            .ok_or_else(|| AppError::bad_request(format!("办理步骤“{}”无效", self.action.trim())))?;
        if self.text.chars().count() > MAX_STEP_TEXT {
            return Err(AppError::Invalid(format!("{}内容不超过{MAX_STEP_TEXT}个字", kind.label())));
        }
        let text = self.text.clone();
        Ok(match kind {
            ActionKind::Transfer => Action::Transfer { department: self.department.clone(), reason: text },
            ActionKind::Contest => Action::Contest { reason: text },
            ActionKind::Pause => Action::Pause { reason: text },
            ActionKind::Resume => Action::Resume,
            ActionKind::RequestExtension => {
                let days = self
                    .days
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| AppError::Invalid(format!("延期天数“{}”无效，应为工作日数", self.days.trim())))?;
                Action::RequestExtension { days, reason: text }
            }
            ActionKind::ApproveExtension => Action::ApproveExtension,
            ActionKind::RefuseExtension => Action::RefuseExtension { reason: text },
            ActionKind::Answer => Action::Answer { text },
            ActionKind::Rate => {
                Action::Rate { rating: Rating::parse(&self.rating).map_err(|e| AppError::Invalid(e.to_string()))? }
            }
            ActionKind::Close => Action::Close,
        })
    }
}

/// An appeal with its course, as its page shows it.
pub struct AppealCourse {
    pub appeal: Appeal,
    pub state: FlowState,
    pub steps: Vec<AppealStepRecord>,
    pub light: Option<Light>,
    pub level: Level,
    /// Working days past the due date (0 when on time, answered or paused).
    pub days_late: i64,
    /// The steps the user may take today.
    pub actions: Vec<ActionKind>,
    pub today: NaiveDate,
    /// How to reach the enterprise, for an appeal filed on the portal.
    pub contact: String,
}

impl App {
    /// One appeal in the user's scope with its course and the steps the user may take.
    pub async fn appeal_course(&self, principal: &Principal, code: &str) -> AppResult<AppealCourse> {
        let appeal = self.appeal_in_scope(principal, code).await?;
        let calendar = self.calendar().await?;
        let today = crate::calendar::today();
        let region = RegionCode::parse(&appeal.data.region_code).map_err(AppError::internal)?;
        let state = appeal.flow_state();
        let actions = state
            .possible(&calendar, today)
            .into_iter()
            .filter(|kind| principal.may_take_appeal_step(*kind, &region))
            .collect();
        let steps = self.store().appeal_steps(appeal.id).await?;
        let contact = self.store().appeal_contact(&appeal.data.code).await?;
        Ok(AppealCourse {
            contact,
            light: state.light(&calendar, today),
            level: state.level(&calendar, today),
            days_late: state.working_days_late(&calendar, today),
            appeal,
            state,
            steps,
            actions,
            today,
        })
    }

    /// Takes a step of an appeal's course today, audited: 403 for a user who may not take
    /// it, the rule's message when the course does not allow it, and a refusal when
    /// another user's step came first.
    pub async fn take_appeal_step(
        &self,
        principal: &Principal,
        actor: &Actor,
        code: &str,
        form: &AppealStepForm,
    ) -> AppResult<()> {
        let appeal = self.appeal_in_scope(principal, code).await?;
        let action = form.action()?;
        let region = RegionCode::parse(&appeal.data.region_code).map_err(AppError::internal)?;
        if !principal.may_take_appeal_step(action.kind(), &region) {
            return Err(AppError::Forbidden);
        }
        let calendar = self.calendar().await?;
        let today = crate::calendar::today();
        let after =
            appeal.flow_state().apply(&calendar, &action, today).map_err(|e| AppError::Invalid(e.to_string()))?;
        let written =
            self.store().record_appeal_step(&appeal, &after, (action.kind(), today, &action.detail()), actor).await?;
        match written {
            Some(_) => Ok(()),
            None => Err(AppError::Invalid("该诉求刚被他人办理，请刷新后重试".into())),
        }
    }
}

/// 营商环境诉求 in the inbox, escalating as 督办 does: a region user's open appeals of its
/// region coming due or overdue (the handler's), a leader's overdue ones of its region
/// (escalated to the region's supervisor), and the admin's those past their second
/// deadline (escalated to the province). Paused appeals wait; steps are taken on the
/// appeal's page, not marked done here.
pub struct AppealClocks;

impl InboxSource for AppealClocks {
    fn area(&self) -> &'static str {
        "appeals"
    }

    fn area_label(&self) -> &'static str {
        "营商环境诉求"
    }

    fn items<'a>(&'a self, store: &'a Store, query: &'a InboxQuery<'a>) -> crate::inbox::Items<'a> {
        Box::pin(async move {
            let user = query.user;
            let (due_by, level) = match user.role {
                Role::Region => (query.horizon, Level::Department),
                Role::Leader => (query.today.pred_opt().unwrap_or(query.today), Level::Region),
                Role::Admin => (query.today.pred_opt().unwrap_or(query.today), Level::Province),
                _ => return Ok(Vec::new()),
            };
            let Some(prefix) = user.appeal_scope().prefix().map(str::to_string) else { return Ok(Vec::new()) };
            let filter = AppealFilter {
                region_prefix: prefix,
                running_due_by: Some(due_by),
                today: query.today,
                ..Default::default()
            };
            let appeals =
                store.list_appeals(&filter, AppealSort::DueAsc, crate::inbox::MAX_ITEMS_PER_SOURCE, 0).await?;
            Ok(appeals
                .into_iter()
                .filter(|appeal| appeal.flow_state().level(query.calendar, query.today).reaches(level))
                .map(|appeal| {
                    let d = &appeal.data;
                    let escalated = appeal.flow_state().level(query.calendar, query.today);
                    let mut detail =
                        format!("{} · {}", Dimension::parse(&d.dimension).map_or("", |x| x.label()), d.department);
                    if escalated != Level::Department {
                        detail.push_str(&format!(" · {}", escalated.label()));
                    }
                    let draft = InboxItemDraft {
                        id: appeal.id,
                        title: format!("{}：{}", d.enterprise, d.content.chars().take(30).collect::<String>()),
                        detail,
                        link: format!("/appeals/{}", d.code),
                        can_mark_done: false,
                    };
                    (draft, d.due_on)
                })
                .collect())
        })
    }
}

/// Lines of the 督办 message at most; the rest are counted in a last line.
const ESCALATION_LINES: usize = 30;
/// Appeals read at a time while looking for the day's escalations.
const ESCALATION_PAGE: i64 = 1_000;

impl App {
    /// The 督办 steps of `today` for the group robot: every running appeal that rose a
    /// level today (`FlowState::escalated_on`), the province's first, then by due date;
    /// `None` when none did.
    pub async fn escalation_notice(
        &self,
        calendar: &zhaoshang_core::calendar::Calendar,
        today: NaiveDate,
    ) -> AppResult<Option<Message>> {
        let Some(yesterday) = today.pred_opt() else { return Ok(None) };
        let filter = AppealFilter { running_due_by: Some(yesterday), today, ..Default::default() };
        let mut escalated = Vec::new();
        for page in 0.. {
            let appeals =
                self.store().list_appeals(&filter, AppealSort::DueAsc, ESCALATION_PAGE, page * ESCALATION_PAGE).await?;
            let last = (appeals.len() as i64) < ESCALATION_PAGE;
            escalated.extend(
                appeals.into_iter().filter_map(|appeal| {
                    appeal.flow_state().escalated_on(calendar, today).map(|level| (level, appeal))
                }),
            );
            if last {
                break;
            }
        }
        if escalated.is_empty() {
            return Ok(None);
        }
        escalated.sort_by_key(|(level, appeal)| (*level != Level::Province, appeal.data.due_on));
        let names = self.region_names(escalated.iter().map(|(_, a)| a.data.region_code.clone())).await?;
        let plain = zhaoshang_core::text::markdown_plain;
        let mut lines: Vec<String> = escalated
            .iter()
            .take(ESCALATION_LINES)
            .map(|(level, appeal)| {
                let d = &appeal.data;
                format!(
                    "- 【{}】{}：{}（{}，{}，应答复 {}）",
                    level.label(),
                    plain(&d.enterprise),
                    plain(&d.content.chars().take(30).collect::<String>()),
                    plain(names.get(&d.region_code).map_or(d.region_code.as_str(), String::as_str)),
                    plain(&d.department),
                    d.due_on
                )
            })
            .collect();
        if escalated.len() > ESCALATION_LINES {
            lines.push(format!("- 另有 {} 件，见督办页面", escalated.len() - ESCALATION_LINES));
        }
        Ok(Some(Message {
            title: format!("营商环境诉求督办升级（{today}，{} 件）", escalated.len()), lines
        }))
    }
}

/// The form field that confirms a new appeal although the enterprise has open ones.
pub const CONFIRM_DUPLICATE_FIELD: &str = "confirm_duplicate";

/// The fields of the staff's intake form (the import's column keys).
pub const INTAKE_FIELDS: [&str; 10] = [
    "code",
    "enterprise",
    "credit_code",
    "region",
    "dimension",
    "category",
    "content",
    "received_on",
    "department",
    "limit_days",
];

impl App {
    /// The next free code of `region`'s series of `today`'s year: `SQ620402-2026-0001`.
    pub(crate) async fn next_appeal_code(&self, region: &RegionCode, today: NaiveDate) -> AppResult<String> {
        Ok(self.next_appeal_codes(region, today, 1).await?.remove(0))
    }

    /// An enterprise as the library knows it (credit code, name), found by its credit
    /// code or else its name; as typed when the library does not hold it.
    pub(crate) async fn library_enterprise(&self, credit_code: &str, name: &str) -> AppResult<(String, String)> {
        let known = match (credit_code.is_empty(), name.is_empty()) {
            (false, _) => self.store().enterprise_by_code(credit_code).await?,
            (true, false) => self.store().enterprise_by_name(name).await?,
            (true, true) => None,
        };
        Ok(match known {
            Some(enterprise) => (enterprise.data.credit_code, enterprise.data.name),
            None => (credit_code.to_string(), name.to_string()),
        })
    }

    /// The next `count` codes of `region`'s series of `today`'s year.
    pub(crate) async fn next_appeal_codes(
        &self,
        region: &RegionCode,
        today: NaiveDate,
        count: usize,
    ) -> AppResult<Vec<String>> {
        let series = format!("SQ{}-{}-", region.as_str(), today.year());
        let mut taken = self.store().appeal_codes_with_prefix(&series).await?;
        let mut codes = Vec::with_capacity(count);
        for _ in 0..count {
            let code = next_code(taken.iter().map(String::as_str), &series);
            taken.push(code.clone());
            codes.push(code);
        }
        Ok(codes)
    }

    /// The intake form's proposals for `region`: the next code of its series this year
    /// and today as the received day.
    pub async fn appeal_intake_defaults(
        &self,
        principal: &Principal,
        region: &str,
    ) -> AppResult<HashMap<String, String>> {
        let region = self.known_region(region).await?;
        if !principal.may_handle_appeals_of(&region) {
            return Err(AppError::Forbidden);
        }
        let today = crate::calendar::today();
        Ok(HashMap::from([
            ("code".to_string(), self.next_appeal_code(&region, today).await?),
            ("region".to_string(), region.to_string()),
            ("received_on".to_string(), today.to_string()),
        ]))
    }

    /// Registers an appeal from the staff's form (受理) as a one-row import, so forms and
    /// files obey one set of rules: the code proposed when left empty, today when no
    /// received day is given, the enterprise completed from the library by its credit
    /// code or name, and a new appeal of an enterprise that has open ones refused until
    /// the form confirms it (their codes listed). The code saved, or the field errors.
    pub async fn register_appeal(
        &self,
        principal: &Principal,
        actor: &Actor,
        values: &mut HashMap<String, String>,
    ) -> AppResult<Result<String, HashMap<String, String>>> {
        let region = self.known_region(values.get("region").map_or("", |r| r.trim())).await;
        let region = match region {
            Ok(region) if principal.may_handle_appeals_of(&region) => region,
            Ok(_) => return Err(AppError::Forbidden),
            Err(_) if principal.may_register_appeals() => {
                return Ok(Err(HashMap::from([("region".to_string(), "请选择所属地区".to_string())])));
            }
            Err(_) => return Err(AppError::Forbidden),
        };
        let defaults = self.appeal_intake_defaults(principal, region.as_str()).await?;
        for key in ["code", "received_on"] {
            if values.get(key).is_none_or(|v| v.trim().is_empty()) {
                values.insert(key.to_string(), defaults[key].clone());
            }
        }
        let code = values["code"].trim().to_string();
        if self.store().appeal_by_code(&code).await?.is_some() {
            return Ok(Err(HashMap::from([("code".to_string(), format!("诉求编号“{code}”已存在"))])));
        }
        let (credit_code, name) = self
            .library_enterprise(
                values.get("credit_code").map_or("", |v| v.trim()),
                values.get("enterprise").map_or("", |v| v.trim()),
            )
            .await?;
        values.insert("enterprise".into(), name.clone());
        values.insert("credit_code".into(), credit_code.clone());
        let confirmed = values.get(CONFIRM_DUPLICATE_FIELD).is_some_and(|v| !v.is_empty());
        let open = self.store().open_appeals_of_enterprise(&credit_code, &name).await?;
        if !open.is_empty() && !confirmed {
            let codes: Vec<&str> = open.iter().map(|a| a.data.code.as_str()).collect();
            let message = format!("该企业已有未答复的诉求 {}，如确为新诉求请勾选“仍然登记”", codes.join("、"));
            return Ok(Err(HashMap::from([("enterprise".to_string(), message)])));
        }
        // Every field, as a browser sends the whole form: an absent one is an empty cell.
        let fields: HashMap<String, String> =
            INTAKE_FIELDS.iter().map(|key| (key.to_string(), values.get(*key).cloned().unwrap_or_default())).collect();
        if let Some(errors) = self.save_form_row(principal, actor, exchange::ImportKind::Appeals, &fields).await? {
            return Ok(Err(errors));
        }
        Ok(Ok(code))
    }
}
