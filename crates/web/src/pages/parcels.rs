//! Site selection pages (在线选地), open to visitors: the parcel search with its filters
//! beside an offline map of the province (parks and parcels as points), a parcel's card
//! with its park's infrastructure and map (where a user who may write the parcel moves
//! it), up to four parcels side by side, a park's page with its photos, and the park
//! form of the administrator and region users.
//! Visitors and investors see parcels on offer (可供) only; staff also their scope's.

use crate::auth::{CsrfForm, MaybeSession, PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::{page, public_page};
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Html;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use zhaoshang_app::parcels::{fit_parcels, parcel_visibility, search_parcels, ParcelHit, MAX_COMPARED};
use zhaoshang_core::parcels::fit::{Need, NeedParams};
use zhaoshang_core::parcels::park::ParkForm;
use zhaoshang_core::parcels::Utility;
use zhaoshang_core::parcels::{LandUse, ParcelStatus, Search, SearchParams};

/// The most parcels the page lists and draws.
pub const PAGE_LIMIT: usize = 300;
/// The best fits the need form shows.
pub const FIT_LIMIT: usize = 20;

pub fn routes() -> Routes {
    Routes::new()
        .route("/parcels", get(list))
        .route("/parcels/compare", get(compare))
        .route("/parcels/{code}", get(card))
        .route("/parcels/{code}/position", post(move_parcel))
        .route("/parks/new", get(new_park).post(create_park))
        .route("/parks/{id}", get(park))
        .route("/parks/{id}/edit", get(edit_park).post(update_park))
}

fn labels<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| label(*v)).collect()
}

/// The map's points: parks and the parcels listed, each with the page it opens and,
/// when it has a boundary, its outline (`rings`).
fn map_data(
    parks: &[zhaoshang_app::parcels::ParkView],
    hits: &[ParcelHit],
    mut outlines: HashMap<String, Vec<Vec<Vec<[f64; 2]>>>>,
) -> serde_json::Value {
    let parks: Vec<_> = parks
        .iter()
        .filter_map(|p| {
            let (lon, lat) = (p.lon?, p.lat?);
            Some(serde_json::json!({
                "name": p.name, "level": p.level, "region": p.region_name, "value": [lon, lat],
                "href": format!("/parks/{}", p.id),
            }))
        })
        .collect();
    let parcels: Vec<_> = hits
        .iter()
        .map(|h| {
            serde_json::json!({
                "name": h.code, "park": h.park, "land_use": h.land_use, "status": h.status,
                "area_mu": h.area_mu, "price": h.price_wan_per_mu, "value": [h.lon, h.lat],
                "href": format!("/parcels/{}", crate::auth::urlencode(&h.code)),
                "rings": outlines.remove(&h.code),
            })
        })
        .collect();
    serde_json::json!({ "parks": parks, "parcels": parcels })
}

/// The page's query: the search's filters and the need of the fit score.
#[derive(Deserialize, Serialize, Default)]
pub struct PageParams {
    #[serde(flatten)]
    search: SearchParams,
    #[serde(flatten)]
    need: NeedParams,
}

pub async fn list(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Query(page): Query<PageParams>,
) -> WebResult<Html<String>> {
    let principal = session.as_ref().map(|s| &s.principal);
    let params = &page.search;
    let (search, limit) = Search::from_params(params).map_err(WebError::bad_request)?;
    let need = Need::from_params(&page.need).map_err(WebError::bad_request)?;
    let limit = if params.limit.as_deref().is_some_and(|l| !l.trim().is_empty()) { limit } else { PAGE_LIMIT };
    let store = state.app.store();
    let fits = if need.is_empty() {
        Vec::new()
    } else {
        fit_parcels(store, parcel_visibility(principal), &search, &need, FIT_LIMIT).await?
    };
    let hits = search_parcels(store, parcel_visibility(principal), &search, limit).await?;
    let parks = state.app.park_views().await?;
    let codes: Vec<String> = hits.iter().map(|h| h.code.clone()).collect();
    let outlines = state.app.parcel_outlines(&codes).await?;
    let signed_in = session.is_some();
    let statuses =
        if signed_in { labels(ParcelStatus::ALL, ParcelStatus::label) } else { vec![ParcelStatus::Available.label()] };
    let data = context! {
        query => params,
        need => &page.need,
        fits,
        fit_limit => FIT_LIMIT,
        land_uses => labels(LandUse::ALL, LandUse::label),
        statuses,
        hits => &hits,
        near => search.near.is_some(),
        map => map_data(&parks, &hits, outlines),
        parks => parks,
        max_compared => MAX_COMPARED,
        limited => hits.len() == limit,
        limit,
        may_add_park => principal.is_some_and(zhaoshang_app::parcels::keeps_sites),
    };
    public_page(session.as_ref(), "/parcels", "parcels/parcels.html", data)
}

/// `codes=A,B` or, from the list's checkboxes, `codes=A&codes=B`.
pub async fn compare(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    RawQuery(raw): RawQuery,
) -> WebResult<Html<String>> {
    let principal = session.as_ref().map(|s| &s.principal);
    let codes: Vec<String> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .filter(|(key, _)| key == "codes")
        .map(|(_, value)| value.into_owned())
        .collect();
    let cards = state.app.compare_parcels(principal, &codes.join(",")).await?;
    public_page(session.as_ref(), "/parcels", "parcels/compare.html", context! { cards })
}

pub async fn card(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Path(code): Path<String>,
) -> WebResult<Html<String>> {
    let principal = session.as_ref().map(|s| &s.principal);
    let card = state.app.parcel_card(principal, &code).await?;
    let map = serde_json::json!({ "rings": card.rings, "point": [card.parcel.lon, card.parcel.lat], "name": card.parcel.code });
    public_page(session.as_ref(), "/parcels", "parcels/parcel.html", context! { card, map })
}

/// A parcel's new position, placed on its card's map (or typed there).
#[derive(Deserialize)]
pub struct PositionForm {
    #[serde(default)]
    lon: String,
    #[serde(default)]
    lat: String,
}

pub async fn move_parcel(
    State(state): State<AppState>,
    Path(code): Path<String>,
    CsrfForm(session, form): CsrfForm<PositionForm>,
) -> WebResult<Response> {
    state.app.move_parcel(&session.principal, &session.actor(), &code, &form.lon, &form.lat).await?;
    Ok(Redirect::to(&format!("/parcels/{}", crate::auth::urlencode(code.trim()))).into_response())
}

pub async fn park(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let id = park_id(&id)?;
    let principal = session.as_ref().map(|s| &s.principal);
    let page = state.app.park_page(principal, id).await?;
    // Writers also manage the park's files (its photos among them) here.
    let attachments = match &session {
        Some(session) if page.editable => Some(
            crate::pages::attachments::section(
                &state,
                session,
                zhaoshang_core::attachments::OwnerKind::Park,
                &id.to_string(),
            )
            .await?,
        ),
        _ => None,
    };
    public_page(
        session.as_ref(),
        "/parcels",
        "parcels/park.html",
        context! { park => page.park, parcels => page.parcels, photos => page.photos, editable => page.editable,
        attachments },
    )
}

fn park_id(text: &str) -> WebResult<i64> {
    text.trim().parse().map_err(|_| WebError::not_found("该园区"))
}

/// The park form: the values typed (or stored), the problems of the last try, the
/// regions and chains to choose from, and where it posts.
async fn park_form_page(
    state: &AppState,
    session: &Session,
    id: Option<i64>,
    form: &ParkForm,
    problems: &[String],
) -> WebResult<Html<String>> {
    let choices = state.app.park_form_choices(&session.principal).await?;
    let utilities: Vec<_> = Utility::ALL
        .iter()
        .zip(&form.infrastructure)
        .map(|(utility, line)| {
            context! { key => utility.key(), label => utility.label(), readiness => line.readiness,
            capacity => line.capacity }
        })
        .collect();
    let action = match id {
        Some(id) => format!("/parks/{id}/edit"),
        None => "/parks/new".to_string(),
    };
    page(
        session,
        "/parcels",
        "parcels/park_form.html",
        context! {
            id, form, problems, utilities, action,
            regions => choices.regions, chains => choices.chains,
            readiness => zhaoshang_app::parcels::parks::readiness_choices(),
            levels => zhaoshang_core::parcels::ParkLevel::ALL.iter().map(|l| l.label()).collect::<Vec<_>>(),
        },
    )
}

pub async fn new_park(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let form = ParkForm {
        region_code: session.principal.region.as_ref().map(|r| r.to_string()).unwrap_or_default(),
        ..ParkForm::default()
    };
    park_form_page(&state, &session, None, &form, &[]).await
}

pub async fn edit_park(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let id = park_id(&id)?;
    let (park, chains) = state.app.park_to_edit(&session.principal, id).await?;
    park_form_page(&state, &session, Some(id), &zhaoshang_app::parcels::parks::park_form_of(&park, &chains), &[]).await
}

/// Saves the park form, or shows it again with its problems (422, nothing changed).
async fn save_park(
    state: AppState,
    session: Session,
    id: Option<i64>,
    pairs: Vec<(String, String)>,
) -> WebResult<Response> {
    let form = ParkForm::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    match state.app.save_park_form(&session.principal, &session.actor(), id, &form).await? {
        Ok(saved) => Ok(Redirect::to(&format!("/parks/{}", saved.id)).into_response()),
        Err(problems) => {
            let html = park_form_page(&state, &session, id, &form, &problems).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

pub async fn create_park(
    State(state): State<AppState>,
    CsrfForm(session, pairs): CsrfForm<Vec<(String, String)>>,
) -> WebResult<Response> {
    save_park(state, session, None, pairs).await
}

pub async fn update_park(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, pairs): CsrfForm<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = park_id(&id)?;
    save_park(state, session, Some(id), pairs).await
}
