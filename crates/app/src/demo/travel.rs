//! The demo's travel plan (出行招商): 白银市's 刘建国 going to 上海 in a fortnight for three
//! days, calling on the Gansu chamber there and the best target enterprises of 上海 in the
//! library, the visits ordered by the planner's own rule (grouped by district).

use crate::AppResult;
use chrono::{Duration, NaiveDate};
use zhaoshang_core::travel::{suggest_itinerary, trip_days, StopKind};
use zhaoshang_store::audit::Actor;
use zhaoshang_store::chambers::ChamberFilter;
use zhaoshang_store::travel::{TravelPlan, TravelVisit};
use zhaoshang_store::Store;

/// The plan's travelling leader, region, destination and purpose.
pub const LEADER: &str = "刘建国";
const REGION: &str = "620400";
const SHANGHAI: &str = "310000";
const PURPOSE: &str = "赴沪参加产业对接会期间，拜访上海市甘肃商会和有色金属、新材料领域重点目标企业，推动在谈项目落地";

pub async fn load(store: &Store, today: NaiveDate, actor: &Actor) -> AppResult<()> {
    let (start, end) = (today + Duration::days(14), today + Duration::days(16));
    let days = trip_days(start, end);
    let filter = ChamberFilter { location_prefix: Some("31".into()), ..Default::default() };
    let chambers = store.chambers_page(&filter, 2, 0).await?;
    let enterprises = store.travel_enterprises("31", &[], 5).await?;
    // (kind, id, district), the chamber first, then the targets best first.
    let stops: Vec<(StopKind, i64, String)> = chambers
        .iter()
        .map(|c| (StopKind::Chamber, c.id, c.data.location.clone()))
        .chain(enterprises.iter().map(|e| (StopKind::Enterprise, e.id, e.region_code.clone())))
        .collect();
    let districts: Vec<&str> = stops.iter().map(|(_, _, d)| d.as_str()).collect();
    let mut visits = Vec::new();
    for (members, day) in suggest_itinerary(&districts, days.len()).into_iter().zip(&days) {
        for i in members {
            let (kind, id, _) = &stops[i];
            visits.push(TravelVisit {
                visit_on: *day,
                kind: kind.key().to_string(),
                enterprise_id: (*kind == StopKind::Enterprise).then_some(*id),
                chamber_id: (*kind == StopKind::Chamber).then_some(*id),
                name: String::new(),
                place: String::new(),
            });
        }
    }
    let plan = TravelPlan {
        id: 0,
        region_code: REGION.into(),
        leader: LEADER.into(),
        destination_code: SHANGHAI.into(),
        start_on: start,
        end_on: end,
        purpose: PURPOSE.into(),
        created_by: actor.name.clone(),
        created_at: chrono::Utc::now(),
        activity_id: None,
        visits,
    };
    store.save_travel_plan(&plan, actor).await?;
    Ok(())
}
