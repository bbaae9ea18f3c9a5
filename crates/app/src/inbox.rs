//! One inbox per user, fed by every area through `InboxSource`: what is overdue, due
//! today or due within the coming working days, coloured as supervision offices do
//! (core::inbox). Plans (一企一案), leads (商会线索), appeals (营商环境诉求) and instructions'
//! tasks (批示任务) feed it today; review assignments plug in the same way as they land.

use crate::AppResult;
use chrono::{Days, NaiveDate};
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;
use zhaoshang_core::access::Principal;
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::inbox::{urgency, Urgency, DEFAULT_SOON_WORKING_DAYS};
use zhaoshang_store::plans::PlanFilter;
use zhaoshang_store::{Actor, Store};

/// One thing a user has to do, as every area reports it.
#[derive(Debug, Clone, Serialize)]
pub struct InboxItem {
    /// The area's key (`plans`, later `appeals`, `leads` …) and its Chinese name.
    pub area: &'static str,
    pub area_label: &'static str,
    pub id: i64,
    pub title: String,
    pub detail: String,
    pub due_on: NaiveDate,
    #[serde(skip)]
    pub urgency: Urgency,
    pub urgency_key: &'static str,
    pub urgency_label: &'static str,
    /// Where the item is handled.
    pub link: String,
    /// Whether the inbox may mark it done (`mark_done`).
    pub can_mark_done: bool,
}

/// What a source is asked for: the user, today, the last due date to include, and the
/// official calendar the clocks run on.
pub struct InboxQuery<'a> {
    pub user: &'a Principal,
    pub today: NaiveDate,
    pub horizon: NaiveDate,
    pub calendar: &'a Calendar,
}

pub type Items<'a> = Pin<Box<dyn Future<Output = AppResult<Vec<(InboxItemDraft, NaiveDate)>>> + Send + 'a>>;
pub type Done<'a> = Pin<Box<dyn Future<Output = AppResult<bool>> + Send + 'a>>;

/// An item as a source gives it; the inbox adds the colour.
#[derive(Debug, Clone)]
pub struct InboxItemDraft {
    pub id: i64,
    pub title: String,
    pub detail: String,
    pub link: String,
    pub can_mark_done: bool,
}

/// An area's contribution to the inbox.
pub trait InboxSource: Send + Sync {
    fn area(&self) -> &'static str;
    fn area_label(&self) -> &'static str;
    /// The user's items due on or before `query.horizon`, with their due dates.
    fn items<'a>(&'a self, store: &'a Store, query: &'a InboxQuery<'a>) -> Items<'a>;
    /// Marks the user's item `id` done; false when it is not the user's to mark (and
    /// for every item of an area whose items are done on their own pages).
    fn mark_done<'a>(&'a self, _store: &'a Store, _user: &'a Principal, _id: i64, _actor: &'a Actor) -> Done<'a> {
        Box::pin(async { Ok(false) })
    }
}

/// 一企一案: the owner's active plans whose next step is due, and the overdue ones of
/// the region the user supervises (`Principal::supervision_scope`: the admin's province,
/// a leader's region), which only their owners mark done. Done = the next step is done
/// (its due date cleared; the plan stays active for the next one).
pub struct PlanSteps;

impl InboxSource for PlanSteps {
    fn area(&self) -> &'static str {
        "plans"
    }

    fn area_label(&self) -> &'static str {
        "一企一案"
    }

    fn items<'a>(&'a self, store: &'a Store, query: &'a InboxQuery<'a>) -> Items<'a> {
        Box::pin(async move {
            let user = query.user.user_id;
            let own = PlanFilter {
                owner_id: Some(user),
                status: Some("active".into()),
                due_before: query.horizon.checked_add_days(Days::new(1)),
                ..Default::default()
            };
            let mut plans = store.plans(&own, MAX_ITEMS_PER_SOURCE).await?;
            if let Some(prefix) = query.user.supervision_scope().prefix() {
                let overdue = PlanFilter {
                    region_prefix: prefix.to_string(),
                    status: Some("active".into()),
                    due_before: Some(query.today),
                    ..Default::default()
                };
                let supervised = store.plans(&overdue, MAX_ITEMS_PER_SOURCE).await?;
                plans.extend(supervised.into_iter().filter(|plan| plan.data.owner_id != user));
            }
            Ok(plans
                .into_iter()
                .filter_map(|plan| {
                    let due = plan.data.due_on?;
                    let mine = plan.data.owner_id == user;
                    let mut detail = match (&plan.chain_name, &plan.node_name) {
                        (Some(chain), Some(node)) => format!("{} · {chain} / {node}", plan.region_name),
                        _ => plan.region_name.clone(),
                    };
                    if !mine {
                        detail.push_str(&format!(" · 责任人 {}", plan.owner_name));
                    }
                    let draft = InboxItemDraft {
                        id: plan.id,
                        title: format!("{}：{}", plan.enterprise_name, plan.data.next_step),
                        detail,
                        link: format!("/plans/{}", plan.id),
                        can_mark_done: mine,
                    };
                    Some((draft, due))
                })
                .collect())
        })
    }

    fn mark_done<'a>(&'a self, store: &'a Store, user: &'a Principal, id: i64, actor: &'a Actor) -> Done<'a> {
        Box::pin(async move {
            let Some(plan) = store.plan(id).await? else { return Ok(false) };
            if plan.data.owner_id != user.user_id || plan.data.due_on.is_none() {
                return Ok(false);
            }
            let data = zhaoshang_store::plans::PlanData { due_on: None, ..plan.data };
            store.update_plan(id, &data, actor).await?;
            Ok(true)
        })
    }
}

/// At most this many items from one source (a user's inbox is read on every page).
pub const MAX_ITEMS_PER_SOURCE: i64 = 500;

/// Every area that feeds the inbox.
pub fn sources() -> Vec<Box<dyn InboxSource>> {
    vec![
        Box::new(PlanSteps),
        Box::new(crate::leads::LeadSteps),
        Box::new(crate::appeals::AppealClocks),
        Box::new(crate::instructions::TaskClocks),
        Box::new(crate::work_plans::PlanTaskClocks),
        Box::new(crate::activity_plans::ActivityPlanClocks),
    ]
}

/// A user's inbox: every source's items due by the horizon, most urgent first, then by
/// due date.
pub async fn inbox(
    store: &Store,
    calendar: &Calendar,
    user: &Principal,
    today: NaiveDate,
) -> AppResult<Vec<InboxItem>> {
    let horizon = calendar.add_working_days(today, DEFAULT_SOON_WORKING_DAYS).map(|r| r.value).unwrap_or(today);
    let query = InboxQuery { user, today, horizon, calendar };
    let mut items = Vec::new();
    for source in sources() {
        for (draft, due_on) in source.items(store, &query).await? {
            let Some(colour) = urgency(due_on, today, calendar, DEFAULT_SOON_WORKING_DAYS) else { continue };
            items.push(InboxItem {
                area: source.area(),
                area_label: source.area_label(),
                id: draft.id,
                title: draft.title,
                detail: draft.detail,
                due_on,
                urgency: colour,
                urgency_key: colour.key(),
                urgency_label: colour.label(),
                link: draft.link,
                can_mark_done: draft.can_mark_done,
            });
        }
    }
    items.sort_by_key(|item| (item.urgency, item.due_on, item.id));
    Ok(items)
}

/// The header's counts: how many items of each colour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct InboxCounts {
    pub red: usize,
    pub yellow: usize,
    pub blue: usize,
}

impl InboxCounts {
    pub fn of(items: &[InboxItem]) -> InboxCounts {
        let count = |u: Urgency| items.iter().filter(|i| i.urgency == u).count();
        InboxCounts { red: count(Urgency::Red), yellow: count(Urgency::Yellow), blue: count(Urgency::Blue) }
    }

    pub fn total(&self) -> usize {
        self.red + self.yellow + self.blue
    }

    /// The header badge's colour: it counts the red and yellow items, and is red when
    /// anything is overdue.
    pub fn badge_urgency(&self) -> Urgency {
        if self.red > 0 {
            Urgency::Red
        } else {
            Urgency::Yellow
        }
    }
}

/// Marks an item of `area` done for the user; false when the area does not allow it or
/// the item is not the user's.
pub async fn mark_done(store: &Store, user: &Principal, area: &str, id: i64, actor: &Actor) -> AppResult<bool> {
    match sources().into_iter().find(|s| s.area() == area) {
        Some(source) => source.mark_done(store, user, id, actor).await,
        None => Ok(false),
    }
}

impl crate::App {
    /// The user's inbox as of today, by the official calendar.
    pub async fn inbox(&self, user: &Principal) -> AppResult<Vec<InboxItem>> {
        let calendar = self.calendar_cache().get(self.store()).await?;
        inbox(self.store(), &calendar, user, crate::calendar::today()).await
    }

    /// The header's counts of the user's inbox.
    pub async fn inbox_counts(&self, user: &Principal) -> AppResult<InboxCounts> {
        Ok(InboxCounts::of(&self.inbox(user).await?))
    }

    /// Marks the user's item done; false when it is not the user's or the area does not allow it.
    pub async fn mark_inbox_item_done(&self, user: &Principal, area: &str, id: i64, actor: &Actor) -> AppResult<bool> {
        mark_done(self.store(), user, area, id, actor).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_badge_turns_red_once_anything_is_overdue() {
        assert_eq!(InboxCounts { red: 1, yellow: 0, blue: 4 }.badge_urgency(), Urgency::Red);
        assert_eq!(InboxCounts { red: 0, yellow: 2, blue: 4 }.badge_urgency(), Urgency::Yellow);
    }
}
