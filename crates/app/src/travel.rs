//! The travel planner (出行招商): a leader, or a cadre on a leader's behalf, plans a trip
//! to a province or city of China and gets one printable brief — the target enterprises
//! headquartered there with their chain gap and score, the Gansu chambers there with
//! their liaisons, the projects negotiating or stalled whose investors come from there,
//! the past activities there and their outcomes — and an itinerary of visits grouped by
//! district (`core::travel::suggest_itinerary`). Plans are saved, listed and edited within
//! `Principal::travel_scope`; after the trip a plan becomes an activity (外出招商).

use crate::activities::ActivityQuery;
use crate::chains::chain_map;
use crate::projects::page_offset;
use crate::{App, AppError, AppResult};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use zhaoshang_core::access::{Principal, RecordScope, TargetScope};
use zhaoshang_core::activities::{Participant, ParticipantRole};
use zhaoshang_core::chains::gap::GapThresholds;
use zhaoshang_core::chains::{industry_codes, GapStatus};
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::{RegionCode, RegionLevel};
use zhaoshang_core::text::non_empty;
use zhaoshang_core::travel::{
    capacity, check_travel, ics_calendar, place_keyword, pursuit, suggest_itinerary, trip_days, visit_times,
    CalendarEvent, FieldErrors, Pursuit, StopKind, TravelForm, SLOTS,
};
use zhaoshang_store::activities::{Activity, MetEnterprise};
use zhaoshang_store::audit::Actor;
use zhaoshang_store::chambers::{Chamber, ChamberFilter};
use zhaoshang_store::travel::{TravelEnterprise, TravelFilter, TravelPlan, TravelProject, TravelRow, TravelVisit};

/// The list's page size.
pub const PER_PAGE: i64 = 20;
/// The most target enterprises a brief lists.
pub const MAX_TARGETS: i64 = 30;
/// Visits a new plan starts with per day (the leader adds or drops them).
const FIRST_VISITS_PER_DAY: usize = 3;

/// The list's request.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TravelQuery {
    pub region: Option<String>,
    pub destination: Option<String>,
    pub q: Option<String>,
    pub page: Option<u32>,
}

pub struct TravelPage {
    pub rows: Vec<TravelRow>,
    pub count: i64,
    pub page: u32,
    /// Names of the regions and destinations shown.
    pub names: HashMap<String, String>,
}

/// A target enterprise at the destination, with the gaps of the travelling region's
/// chains it would fill.
pub struct TargetRow {
    pub enterprise: TravelEnterprise,
    /// "产业链 · 环节 · 补链", at most three.
    pub gaps: Vec<String>,
    pub place_name: String,
}

pub struct ChamberRow {
    pub chamber: Chamber,
    pub liaisons: Vec<String>,
    pub place_name: String,
}

pub struct ProjectRow {
    pub project: TravelProject,
    pub pursuit: Pursuit,
    pub region_name: String,
}

/// A visit of the itinerary as the brief shows it.
pub struct VisitView {
    pub key: String,
    pub kind: StopKind,
    pub name: String,
    pub place_name: String,
    pub time: String,
    /// The enterprise's gaps and score, when it is among the targets.
    pub note: String,
}

/// What a plan's page shows.
pub struct TravelBrief {
    pub plan: TravelPlan,
    pub region_name: String,
    pub destination_name: String,
    pub targets: Vec<TargetRow>,
    /// Why no targets are listed, when none may be.
    pub targets_note: Option<String>,
    pub chambers: Vec<ChamberRow>,
    pub projects: Vec<ProjectRow>,
    pub activities: Vec<Activity>,
    pub days: Vec<(NaiveDate, Vec<VisitView>)>,
    pub may_edit: bool,
    /// Whether the user may turn the plan into an activity (and open its form).
    pub may_record_activity: bool,
}

/// A stop the form offers: its key (`enterprise:ID`, `chamber:ID`), name and district.
#[derive(Debug, Clone)]
pub struct Stop {
    pub key: String,
    pub kind: StopKind,
    pub id: i64,
    pub name: String,
    pub district: String,
    pub place_name: String,
    pub note: String,
}

fn value<'a>(values: &'a [(String, String)], key: &str) -> &'a str {
    values.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.trim())
}

fn stop_key(kind: StopKind, id: i64) -> String {
    format!("{}:{id}", kind.key())
}

fn visit_key(visit: &TravelVisit) -> String {
    match (visit.enterprise_id, visit.chamber_id) {
        (Some(id), _) => stop_key(StopKind::Enterprise, id),
        (_, Some(id)) => stop_key(StopKind::Chamber, id),
        _ => String::new(),
    }
}

impl App {
    /// The travel scope's prefix; 403 for those who plan no trips.
    fn travel_prefix(principal: &Principal) -> AppResult<String> {
        principal.travel_scope().prefix().map(str::to_string).ok_or(AppError::Forbidden)
    }

    pub async fn travel_page(&self, principal: &Principal, query: &TravelQuery) -> AppResult<TravelPage> {
        let scope = Self::travel_prefix(principal)?;
        let code = |typed: &Option<String>, label: &str| -> AppResult<Option<String>> {
            non_empty(typed.as_deref())
                .map(|code| {
                    RegionCode::parse(code)
                        .map(|r| r.scope_prefix().to_string())
                        .map_err(|_| AppError::bad_request(format!("{label}“{code}”无效")))
                })
                .transpose()
        };
        let filter = TravelFilter {
            scope,
            region: code(&query.region, "地区代码")?,
            destination: code(&query.destination, "目的地代码")?,
            text: crate::projects::keyword(&query.q)?,
        };
        let (page, offset) = page_offset(query.page, PER_PAGE);
        let (count, rows) = self.store().travel_plans_page(&filter, PER_PAGE, offset).await?;
        let codes = rows.iter().flat_map(|r| [r.plan.region_code.clone(), r.plan.destination_code.clone()]);
        let names = self.full_region_names(codes.collect::<BTreeSet<_>>()).await?;
        Ok(TravelPage { rows, count, page, names })
    }

    /// A plan the user reads (and so plans); 404 for any other.
    pub async fn travel_plan_in_scope(&self, principal: &Principal, id: &str) -> AppResult<TravelPlan> {
        let scope = principal.travel_scope();
        if scope == RecordScope::Nothing {
            return Err(AppError::Forbidden);
        }
        let not_found = || AppError::not_found("该出行计划");
        let id: i64 = id.trim().parse().map_err(|_| not_found())?;
        let plan = self.store().travel_plan(id).await?.ok_or_else(not_found)?;
        let region = RegionCode::parse(&plan.region_code).map_err(AppError::internal)?;
        scope.allows(&region).then_some(plan).ok_or_else(not_found)
    }

    /// The regions whose leaders the user plans for: (code, name), the province first
    /// for those who plan for all.
    pub async fn travel_regions(&self, principal: &Principal) -> AppResult<Vec<(String, String)>> {
        match principal.travel_scope() {
            RecordScope::Nothing => Err(AppError::Forbidden),
            RecordScope::All => {
                let province = self.province_with_data().await?;
                self.province_and_cities(&province).await
            }
            RecordScope::Within(own) => {
                let mut options = vec![(own.to_string(), self.region_name(own.as_str()).await?)];
                if own.level() == RegionLevel::Province {
                    options = self.province_and_cities(&own).await?;
                }
                Ok(options)
            }
        }
    }

    /// The stops the destination offers to a plan of `region`: its Gansu chambers first,
    /// then the target enterprises best first; with the brief's lists they come from.
    async fn travel_stops(
        &self,
        principal: &Principal,
        region: &RegionCode,
        destination: &RegionCode,
    ) -> AppResult<(Vec<Stop>, Vec<TargetRow>, Option<String>, Vec<ChamberRow>)> {
        let (targets, note) = self.travel_targets(principal, region, destination).await?;
        let filter =
            ChamberFilter { location_prefix: Some(destination.scope_prefix().to_string()), ..Default::default() };
        let chambers = self.store().chambers_page(&filter, 50, 0).await?;
        let ids: Vec<i64> = chambers.iter().map(|c| c.id).collect();
        let mut liaisons = self.store().chamber_liaisons(&ids).await?;
        let places =
            chambers.iter().map(|c| c.data.location.clone()).chain(targets.iter().map(|t| t.0.region_code.clone()));
        let names = self.full_region_names(places.collect::<BTreeSet<_>>()).await?;
        let name_of = |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_string());
        let chambers: Vec<ChamberRow> = chambers
            .into_iter()
            .map(|chamber| ChamberRow {
                liaisons: liaisons.remove(&chamber.id).unwrap_or_default(),
                place_name: name_of(&chamber.data.location),
                chamber,
            })
            .collect();
        let targets: Vec<TargetRow> = targets
            .into_iter()
            .map(|(enterprise, gaps)| TargetRow { place_name: name_of(&enterprise.region_code), enterprise, gaps })
            .collect();
        let mut stops: Vec<Stop> = chambers
            .iter()
            .map(|c| Stop {
                key: stop_key(StopKind::Chamber, c.chamber.id),
                kind: StopKind::Chamber,
                id: c.chamber.id,
                name: c.chamber.data.name.clone(),
                district: c.chamber.data.location.clone(),
                place_name: c.place_name.clone(),
                note: if c.liaisons.is_empty() {
                    String::new()
                } else {
                    format!("联络员：{}", c.liaisons.join("、"))
                },
            })
            .collect();
        stops.extend(targets.iter().map(|t| Stop {
            key: stop_key(StopKind::Enterprise, t.enterprise.id),
            kind: StopKind::Enterprise,
            id: t.enterprise.id,
            name: t.enterprise.name.clone(),
            district: t.enterprise.region_code.clone(),
            place_name: t.place_name.clone(),
            note: target_note(t),
        }));
        Ok((stops, targets, note, chambers))
    }

    /// The target enterprises headquartered at the destination that a plan of `region`
    /// may list (`Principal::target_scope`: a city does not court its own province's
    /// enterprises unless the province allows it), with the gaps of the region's chains
    /// each would fill; or why none are listed.
    async fn travel_targets(
        &self,
        principal: &Principal,
        region: &RegionCode,
        destination: &RegionCode,
    ) -> AppResult<(Vec<(TravelEnterprise, Vec<String>)>, Option<String>)> {
        let allowed = self.store().in_province_relocation_allowed().await?;
        let TargetScope::Outside(excluded) = principal.target_scope(region, allowed) else {
            return Ok((Vec::new(), Some("无权查看目标企业".into())));
        };
        if excluded.contains(destination) || destination.contains(&excluded) {
            return Ok((Vec::new(), Some("目的地在本地区范围内，不列目标企业".into())));
        }
        // The gap links of the chains run by the region, within it or above it.
        let mut gaps_by_industry: HashMap<String, Vec<String>> = HashMap::new();
        for summary in self.store().chain_summaries().await? {
            let Ok(chain_region) = RegionCode::parse(&summary.region_code) else { continue };
            if !(region.contains(&chain_region) || chain_region.contains(region)) {
                continue;
            }
            let map = chain_map(self.store(), summary.id, region, &GapThresholds::default()).await?;
            for node in &map.nodes {
                let Some(status) = node.status.filter(|s| *s != GapStatus::Strong) else { continue };
                for industry in industry_codes(&node.node.industry) {
                    gaps_by_industry.entry(industry.to_string()).or_default().push(format!(
                        "{} · {} · {}",
                        summary.name,
                        node.node.name,
                        status.label()
                    ));
                }
            }
        }
        let industries: Vec<String> = gaps_by_industry.keys().cloned().collect::<BTreeSet<_>>().into_iter().collect();
        let found = self.store().travel_enterprises(destination.scope_prefix(), &industries, MAX_TARGETS).await?;
        Ok((
            found
                .into_iter()
                .map(|e| {
                    let gaps = gaps_by_industry.get(&e.industry).map(|g| g.iter().take(3).cloned().collect());
                    (e, gaps.unwrap_or_default())
                })
                .collect(),
            None,
        ))
    }

    /// A plan's page: the brief of its destination and its itinerary.
    pub async fn travel_brief(&self, principal: &Principal, id: &str) -> AppResult<TravelBrief> {
        let plan = self.travel_plan_in_scope(principal, id).await?;
        let region = RegionCode::parse(&plan.region_code).map_err(AppError::internal)?;
        let destination = RegionCode::parse(&plan.destination_code).map_err(AppError::internal)?;
        let (stops, targets, targets_note, chambers) = self.travel_stops(principal, &region, &destination).await?;
        let names = self.full_region_names([plan.region_code.clone(), plan.destination_code.clone()]).await?;
        let destination_name = names.get(&plan.destination_code).cloned().unwrap_or_default();
        let keyword = place_keyword(&destination_name).to_string();
        let scope = self.project_scope(principal).await?;
        let projects = self
            .store()
            .travel_projects(region.scope_prefix(), &keyword, destination.scope_prefix(), scope.chains.as_deref())
            .await?;
        let project_regions =
            self.region_names(projects.iter().map(|p| p.region_code.clone()).collect::<BTreeSet<_>>()).await?;
        let projects = projects
            .into_iter()
            .filter_map(|project| {
                let stage = Stage::parse(&project.stage).ok()?;
                let pursuit = pursuit(stage, project.signed_on, project.started_on, plan.start_on)?;
                let region_name = project_regions.get(&project.region_code).cloned().unwrap_or_default();
                Some(ProjectRow { project, pursuit, region_name })
            })
            .collect();
        let query = ActivityQuery { q: Some(keyword), ..Default::default() };
        let filter = Self::activity_filter(principal, &query)?;
        let (_, rows) =
            self.store().activities_page(&filter, zhaoshang_core::activities::ActivitySort::Latest, 20, 0).await?;
        let activities = rows.into_iter().map(|r| r.activity).filter(|a| Some(a.id) != plan.activity_id).collect();
        let by_key: HashMap<&str, &Stop> = stops.iter().map(|s| (s.key.as_str(), s)).collect();
        let visit_places =
            self.full_region_names(plan.visits.iter().map(|v| v.place.clone()).collect::<BTreeSet<_>>()).await?;
        let days = trip_days(plan.start_on, plan.end_on)
            .into_iter()
            .map(|day| {
                let visits = plan
                    .visits
                    .iter()
                    .filter(|v| v.visit_on == day)
                    .enumerate()
                    .map(|(n, v)| {
                        let key = visit_key(v);
                        let kind = StopKind::from_key(&v.kind).unwrap_or(StopKind::Enterprise);
                        VisitView {
                            note: by_key.get(key.as_str()).map(|s| s.note.clone()).unwrap_or_default(),
                            place_name: visit_places.get(&v.place).cloned().unwrap_or_else(|| v.place.clone()),
                            time: visit_times(day, n).0.format("%H:%M").to_string(),
                            name: v.name.clone(),
                            kind,
                            key,
                        }
                    })
                    .collect();
                (day, visits)
            })
            .collect();
        let activity_region = activity_region(&region);
        Ok(TravelBrief {
            region_name: names.get(&plan.region_code).cloned().unwrap_or_default(),
            destination_name,
            targets,
            targets_note,
            chambers,
            projects,
            activities,
            days,
            may_edit: true,
            may_record_activity: principal.may_write_activity_of(activity_region.as_ref()),
            plan,
        })
    }

    /// The stops a plan's form offers for a trip of `region`'s leader to `destination`
    /// (codes; none when either is not one): its chambers, then its targets. 403 for a
    /// region outside the user's travel scope.
    pub async fn travel_form_stops(
        &self,
        principal: &Principal,
        region: &str,
        destination: &str,
    ) -> AppResult<Vec<Stop>> {
        let (Ok(region), Ok(destination)) = (RegionCode::parse(region), RegionCode::parse(destination)) else {
            return Ok(Vec::new());
        };
        if !principal.travel_scope().allows(&region) {
            return Err(AppError::Forbidden);
        }
        Ok(self.travel_stops(principal, &region, &destination).await?.0)
    }

    /// Saves a plan from its form: a new one (`id` None) or the one of `id`. The visits
    /// are the ticked stops (`visit`, each with its `day:KEY`, optional); without any
    /// ticked, a new plan takes the chambers and the best targets, a few a day. When
    /// `arrange` is asked or a visit has no day, the visits are ordered by
    /// `suggest_itinerary`; otherwise by day, in the form's order. Returns the id, or
    /// the form's errors (nothing written).
    pub async fn save_travel_plan(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: Option<&str>,
        values: &[(String, String)],
    ) -> AppResult<Result<i64, FieldErrors>> {
        let before = match id {
            Some(id) => Some(self.travel_plan_in_scope(principal, id).await?),
            None => {
                Self::travel_prefix(principal)?;
                None
            }
        };
        let form = TravelForm {
            leader: value(values, "leader"),
            start_on: value(values, "start_on"),
            end_on: value(values, "end_on"),
            purpose: value(values, "purpose"),
        };
        let mut errors = FieldErrors::new();
        let draft = check_travel(&form).map_err(|e| errors.extend(e)).ok();
        let region = match value(values, "region") {
            "" => {
                errors.insert("region", "请选择出行领导所在地区".to_string());
                None
            }
            typed => match self.known_region(typed).await {
                Ok(region) => Some(region),
                Err(_) => {
                    errors.insert("region", format!("地区“{typed}”不在行政区划中"));
                    None
                }
            },
        };
        if let Some(region) = &region {
            if !principal.travel_scope().allows(region) {
                return Err(AppError::Forbidden);
            }
        }
        let destination = match value(values, "destination") {
            "" => {
                errors.insert("destination", "请填写目的地（省或市）".to_string());
                None
            }
            typed => match self.known_region(typed).await {
                Ok(found) if found.level() == RegionLevel::County => {
                    errors.insert("destination", format!("目的地“{typed}”是区县，请填写所在的省或市"));
                    None
                }
                Ok(found) => Some(found),
                Err(_) => {
                    errors.insert("destination", format!("目的地“{typed}”不在行政区划中"));
                    None
                }
            },
        };
        let (Some(draft), Some(region), Some(destination)) = (draft, region, destination) else {
            return Ok(Err(errors));
        };
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let stops = self.travel_stops(principal, &region, &destination).await?.0;
        let days = trip_days(draft.start_on, draft.end_on);
        let ticked: Vec<&str> = values.iter().filter(|(k, _)| k == "visit").map(|(_, v)| v.trim()).collect();
        let unknown: Vec<&str> = ticked.iter().copied().filter(|key| !stops.iter().any(|s| s.key == *key)).collect();
        if !unknown.is_empty() {
            errors.insert("visits", "所选拜访对象不在目的地的目标企业或商会中".to_string());
            return Ok(Err(errors));
        }
        let chosen: Vec<&Stop> = if ticked.is_empty() && before.is_none() {
            let chambers = stops.iter().filter(|s| s.kind == StopKind::Chamber);
            let firms = stops.iter().filter(|s| s.kind == StopKind::Enterprise);
            chambers.chain(firms).take(days.len() * FIRST_VISITS_PER_DAY).collect()
        } else {
            stops.iter().filter(|s| ticked.contains(&s.key.as_str())).collect()
        };
        if chosen.len() > capacity(days.len()) {
            errors.insert(
                "visits",
                format!("{} 天的行程最多安排 {} 项拜访（每天 {} 项）", days.len(), capacity(days.len()), SLOTS.len()),
            );
            return Ok(Err(errors));
        }
        let mut typed_days: Vec<Option<NaiveDate>> = Vec::new();
        for stop in &chosen {
            let typed = value(values, &format!("day:{}", stop.key));
            typed_days.push(match typed {
                "" => None,
                typed => match NaiveDate::parse_from_str(typed, "%Y-%m-%d").ok().filter(|d| days.contains(d)) {
                    Some(day) => Some(day),
                    None => {
                        errors.insert("visits", format!("“{}”的拜访日期“{typed}”应在出行日期之内", stop.name));
                        None
                    }
                },
            });
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let arrange = value(values, "arrange") == "suggest" || typed_days.iter().any(Option::is_none);
        let order: Vec<(usize, NaiveDate)> = if arrange {
            let districts: Vec<&str> = chosen.iter().map(|s| s.district.as_str()).collect();
            suggest_itinerary(&districts, days.len())
                .into_iter()
                .zip(&days)
                .flat_map(|(members, day)| members.into_iter().map(move |i| (i, *day)))
                .collect()
        } else {
            let mut order: Vec<(usize, NaiveDate)> =
                typed_days.iter().enumerate().map(|(i, d)| (i, d.expect("every day typed"))).collect();
            order.sort_by_key(|(i, day)| (*day, *i));
            if let Some(day) = days.iter().find(|d| order.iter().filter(|(_, on)| on == *d).count() > SLOTS.len()) {
                errors.insert("visits", format!("{day} 的拜访超过 {} 项", SLOTS.len()));
                return Ok(Err(errors));
            }
            order
        };
        let visits = order
            .into_iter()
            .map(|(i, day)| {
                let stop = chosen[i];
                TravelVisit {
                    visit_on: day,
                    kind: stop.kind.key().to_string(),
                    enterprise_id: (stop.kind == StopKind::Enterprise).then_some(stop.id),
                    chamber_id: (stop.kind == StopKind::Chamber).then_some(stop.id),
                    name: stop.name.clone(),
                    place: stop.district.clone(),
                }
            })
            .collect();
        let plan = TravelPlan {
            id: before.as_ref().map_or(0, |b| b.id),
            region_code: region.to_string(),
            leader: draft.leader,
            destination_code: destination.to_string(),
            start_on: draft.start_on,
            end_on: draft.end_on,
            purpose: draft.purpose,
            created_by: actor.name.clone(),
            created_at: Utc::now(),
            activity_id: before.as_ref().and_then(|b| b.activity_id),
            visits,
        };
        Ok(Ok(self.store().save_travel_plan(&plan, actor).await?))
    }

    /// The plan's `.ics` calendar file: one event per visit at its slot of its day (a
    /// day without visits, the day itself from 9:00 to 17:00), China time.
    pub async fn travel_calendar(&self, principal: &Principal, id: &str) -> AppResult<(String, String)> {
        let plan = self.travel_plan_in_scope(principal, id).await?;
        let names = self
            .full_region_names(
                plan.visits
                    .iter()
                    .map(|v| v.place.clone())
                    .chain([plan.destination_code.clone()])
                    .collect::<BTreeSet<_>>(),
            )
            .await?;
        let destination = names.get(&plan.destination_code).cloned().unwrap_or_default();
        let title = format!("{} 赴{}招商", plan.leader, destination);
        let mut events = Vec::new();
        for day in trip_days(plan.start_on, plan.end_on) {
            let visits: Vec<&TravelVisit> = plan.visits.iter().filter(|v| v.visit_on == day).collect();
            if visits.is_empty() {
                events.push(CalendarEvent {
                    uid: format!("travel-{}-{}@zhaoshang", plan.id, day.format("%Y%m%d")),
                    start: day.and_hms_opt(9, 0, 0).expect("09:00"),
                    end: day.and_hms_opt(17, 0, 0).expect("17:00"),
                    summary: title.clone(),
                    location: destination.clone(),
                    description: plan.purpose.clone(),
                });
            }
            for (n, visit) in visits.iter().enumerate() {
                let (start, end) = visit_times(day, n);
                let kind = StopKind::from_key(&visit.kind).unwrap_or(StopKind::Enterprise);
                events.push(CalendarEvent {
                    uid: format!(
                        "travel-{}-{}-{}@zhaoshang",
                        plan.id,
                        day.format("%Y%m%d"),
                        visit_key(visit).replace(':', "-")
                    ),
                    start,
                    end,
                    summary: format!("{}：{}", kind.label(), visit.name),
                    location: names.get(&visit.place).cloned().unwrap_or_else(|| destination.clone()),
                    description: format!("{title}（{}）", plan.leader),
                });
            }
        }
        Ok((title.clone(), ics_calendar(&title, &events, Utc::now())))
    }

    /// Turns a plan into the activity (外出招商) of its trip — dates, place, the leader as
    /// participant, the enterprises visited as those met — and links the plan to it;
    /// the plan already linked gives its activity. For those who record the region's
    /// activities. Returns the activity's id.
    pub async fn travel_to_activity(&self, principal: &Principal, actor: &Actor, id: &str) -> AppResult<i64> {
        let plan = self.travel_plan_in_scope(principal, id).await?;
        let region = RegionCode::parse(&plan.region_code).map_err(AppError::internal)?;
        let activity_region = activity_region(&region);
        if !principal.may_write_activity_of(activity_region.as_ref()) {
            return Err(AppError::Forbidden);
        }
        if let Some(existing) = plan.activity_id {
            if self.store().activity(existing).await?.is_some() {
                return Ok(existing);
            }
        }
        let names = self.full_region_names([plan.region_code.clone(), plan.destination_code.clone()]).await?;
        let destination = names.get(&plan.destination_code).cloned().unwrap_or_default();
        let region_name = self.region_name(&plan.region_code).await?;
        let mut name = format!("{}赴{}招商（{}）", plan.leader, place_keyword(&destination), plan.start_on);
        if self.store().activity_by_name(&name).await?.is_some() {
            name = format!("{name}-{}", plan.id);
        }
        let mut enterprises: Vec<MetEnterprise> = Vec::new();
        for visit in &plan.visits {
            let Some(enterprise_id) = visit.enterprise_id else { continue };
            if let Some(e) = self.store().enterprise(enterprise_id).await? {
                enterprises.push(MetEnterprise { id: e.id, name: e.data.name, credit_code: e.data.credit_code });
            }
        }
        let chambers =
            plan.visits.iter().filter(|v| v.chamber_id.is_some()).map(|v| v.name.clone()).collect::<Vec<_>>();
        let activity = Activity {
            id: 0,
            name,
            kind: "外出招商".to_string(),
            start_on: Some(plan.start_on),
            end_on: Some(plan.end_on),
            place: destination,
            organiser: region_name,
            region_code: activity_region.map(|r| r.to_string()),
            outcome: plan.purpose.clone(),
            chambers,
            participants: vec![Participant { name: plan.leader.clone(), role: ParticipantRole::Leader }],
            enterprises,
        };
        let activity_id = self.store().save_activity(&activity, actor).await?;
        self.store().link_travel_activity(plan.id, activity_id, actor).await?;
        Ok(activity_id)
    }
}

/// The region an activity of a trip belongs to: the travelling leader's, none for the
/// province's leaders (the province's activities have no region).
fn activity_region(region: &RegionCode) -> Option<RegionCode> {
    (region.level() != RegionLevel::Province).then(|| region.clone())
}

/// A target's gaps and score as a line.
fn target_note(target: &TargetRow) -> String {
    let mut parts = Vec::new();
    if let Some(gap) = target.gaps.first() {
        parts.push(gap.clone());
    }
    if target.enterprise.is_target {
        parts.push("目标企业".to_string());
    }
    parts.push(format!("评分 {}", target.enterprise.base_score));
    parts.join("；")
}
