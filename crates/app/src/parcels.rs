//! Site selection (在线选地): the parcel search of `GET /api/v1/parcels` and of the
//! parcels page. Parcels with status 可供 are public; a signed-in user also sees every
//! parcel of its record scope. A nearest-first search reads growing boxes around the
//! point through the store's position index (`core::parcels::Search::radii`) until the
//! circle holds enough parcels, then orders them exactly by great-circle distance.

pub mod parks;

use crate::exchange::{ImportKind, ImportScope};
use crate::{App, AppError, AppResult};
use serde::Serialize;
use std::collections::HashMap;
use zhaoshang_core::access::{Principal, RecordScope};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::parcels::{
    distance_km, moved_boundary, nearest_first, parse_position, BoundingBox, LandUse, LonLat, ParcelStatus, Search,
    SearchParams,
};
use zhaoshang_store::parcels::{Parcel, ParcelFilter, ParcelPoint, ParcelSort, Visibility};
use zhaoshang_store::{Actor, Store};

/// One parcel of a search, as the API answers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParcelHit {
    pub code: String,
    /// The park's name; `null` outside a park.
    pub park: Option<String>,
    pub region: String,
    /// 用地性质 and 状态 as their Chinese labels (what the import reads).
    pub land_use: String,
    pub status: String,
    pub area_mu: f64,
    /// 万元/亩, exact ("12.50"); `null` when not priced.
    pub price_wan_per_mu: Option<String>,
    pub plot_ratio: Option<f64>,
    pub lon: f64,
    pub lat: f64,
    /// Great-circle kilometres from `near`, only when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParcelResults {
    pub items: Vec<ParcelHit>,
}

fn label_of<T: Copy>(key: &str, parse: fn(&str) -> Result<T, String>, label: fn(T) -> &'static str) -> String {
    parse(key).map(label).unwrap_or(key).to_string()
}

impl ParcelHit {
    pub fn of(parcel: Parcel, distance_km: Option<f64>) -> ParcelHit {
        let d = parcel.data;
        ParcelHit {
            code: d.code,
            park: parcel.park_name,
            region: d.region_code,
            land_use: label_of(&d.land_use, LandUse::parse, LandUse::label),
            status: label_of(&d.status, ParcelStatus::parse, ParcelStatus::label),
            area_mu: d.area_mu,
            price_wan_per_mu: d.price_per_mu.map(|yuan| Yuan(yuan).wan_string()),
            plot_ratio: d.plot_ratio,
            lon: d.lon,
            lat: d.lat,
            distance_km,
        }
    }
}

/// Whose parcels a user sees beyond the public ones: its record scope (anonymous
/// visitors and investors: none).
pub fn parcel_visibility(principal: Option<&Principal>) -> Visibility {
    let public_status = ParcelStatus::Available.key().to_string();
    match principal.map_or(RecordScope::Nothing, Principal::record_scope) {
        RecordScope::All => Visibility::All,
        RecordScope::Within(region) => {
            Visibility::PublicAnd { public_status, region_prefix: Some(region.scope_prefix().to_string()) }
        }
        RecordScope::Nothing => Visibility::PublicAnd { public_status, region_prefix: None },
    }
}

/// The store's filter of a search (without the `near` box).
pub fn parcel_filter(search: &Search, visibility: Visibility) -> ParcelFilter {
    ParcelFilter {
        visibility,
        region_prefix: search.region_prefix.clone(),
        land_use: search.land_use.map(|l| l.key().to_string()),
        status: search.status.map(|s| s.key().to_string()),
        min_area_mu: search.min_area_mu,
        max_area_mu: search.max_area_mu,
        max_price: search.max_price_yuan,
        ..Default::default()
    }
}

/// The parcels `visibility` lets through that match `search`, nearest first with `near`
/// (else by code), at most `limit`.
pub async fn search_parcels(
    store: &Store,
    visibility: Visibility,
    search: &Search,
    limit: usize,
) -> AppResult<Vec<ParcelHit>> {
    let mut filter = parcel_filter(search, visibility);
    let Some(near) = search.near else {
        let parcels = store.parcels_page(&filter, ParcelSort::Code, limit as i64, 0).await?;
        return Ok(parcels.into_iter().map(|p| ParcelHit::of(p, None)).collect());
    };
    let radii = search.radii();
    for (step, radius) in radii.iter().enumerate() {
        let last = step + 1 == radii.len();
        filter.within = radius.and_then(|km| BoundingBox::around(near, km));
        if filter.within.is_none() && !last && radius.is_some() {
            // The box would wrap a pole or the antimeridian: read everything at once.
            continue;
        }
        let candidates = store.parcel_points(&filter).await?;
        let inside: Vec<ParcelPoint> =
            candidates.into_iter().filter(|p| radius.is_none_or(|km| distance_km(near, point(p)) <= km)).collect();
        // Once the circle holds `limit` parcels, the nearest `limit` are all inside it:
        // only theirs are read in full.
        if inside.len() >= limit || last {
            let ranked = nearest_first(inside, Some(near), point, |p| p.code.as_str(), limit);
            let codes: Vec<String> = ranked.iter().map(|(p, _)| p.code.clone()).collect();
            let mut parcels: HashMap<String, Parcel> =
                store.parcels_by_codes(&codes).await?.into_iter().map(|p| (p.data.code.clone(), p)).collect();
            return Ok(ranked
                .into_iter()
                .filter_map(|(p, distance)| parcels.remove(&p.code).map(|parcel| ParcelHit::of(parcel, distance)))
                .collect());
        }
    }
    Err(AppError::internal("no radius left for a nearest-first search"))
}

fn position(parcel: &Parcel) -> LonLat {
    LonLat { lon: parcel.data.lon, lat: parcel.data.lat }
}

fn point(parcel: &ParcelPoint) -> LonLat {
    LonLat { lon: parcel.lon, lat: parcel.lat }
}

impl App {
    /// `GET /api/v1/parcels`: a typed query read (400 in Chinese when bad) and searched
    /// with what `principal` (none for a visitor) may see.
    pub async fn parcel_search(
        &self,
        principal: Option<&Principal>,
        params: &SearchParams,
    ) -> AppResult<ParcelResults> {
        let (search, limit) = Search::from_params(params).map_err(AppError::BadRequest)?;
        let items = search_parcels(self.store(), parcel_visibility(principal), &search, limit).await?;
        Ok(ParcelResults { items })
    }
}

/// Whether a user (none: a visitor) may read this parcel: a public one anybody, the
/// others within the user's record scope.
pub fn may_see_parcel(principal: Option<&Principal>, status: &str, region_code: &str) -> bool {
    if status == ParcelStatus::Available.key() {
        return true;
    }
    let scope = principal.map_or(RecordScope::Nothing, Principal::record_scope);
    zhaoshang_core::regions::RegionCode::parse(region_code).is_ok_and(|region| scope.allows(&region))
}

/// The most vertices a parcel's outline keeps on the list's map.
pub const MAX_OUTLINE_VERTICES: usize = 64;

impl App {
    /// The outlines (`Boundary::outline`) of the parcels of these codes that have a
    /// readable boundary, by code: what the list's map draws when zoomed in. The caller
    /// passes codes its user may see.
    pub async fn parcel_outlines(&self, codes: &[String]) -> AppResult<HashMap<String, Vec<Vec<Vec<[f64; 2]>>>>> {
        let parcels = self.store().parcels_by_codes(codes).await?;
        Ok(parcels
            .into_iter()
            .filter_map(|p| {
                let boundary = zhaoshang_core::parcels::Boundary::parse(&p.data.boundary).ok()?;
                Some((p.data.code, boundary.outline(MAX_OUTLINE_VERTICES)))
            })
            .collect())
    }
}

/// Whether a user keeps the parks and parcels of some region: the administrator and
/// region users (the rule of the parcels import).
pub fn keeps_sites(principal: &Principal) -> bool {
    ImportScope::of(principal).permits(ImportKind::Parcels)
}

/// Whether a user may change the parks and parcels of this region: region users their
/// region's, the administrator all.
pub fn may_write_site(principal: &Principal, region_code: &str) -> bool {
    keeps_sites(principal) && ImportScope::of(principal).allows(region_code)
}

impl App {
    /// Moves a parcel to a point placed on its card's map, its boundary shifted with it
    /// (`core::parcels::moved_boundary`), audited. 404 when `principal` may not see it,
    /// 403 when it may not write it, a Chinese message for a point outside the province.
    pub async fn move_parcel(
        &self,
        principal: &Principal,
        actor: &Actor,
        code: &str,
        lon: &str,
        lat: &str,
    ) -> AppResult<()> {
        let parcel = self.visible_parcel(Some(principal), code).await?;
        if !may_write_site(principal, &parcel.data.region_code) {
            return Err(AppError::Forbidden);
        }
        let to = parse_position(lon, lat).map_err(AppError::Invalid)?;
        let boundary = moved_boundary(&parcel.data.boundary, position(&parcel), to).map_err(AppError::Invalid)?;
        self.store().move_parcel(&parcel.data.code, to.lon, to.lat, &boundary, actor).await?;
        Ok(())
    }
}

/// A park as the site-selection pages show it: its figures, price range in 万元/亩 and
/// its 水电路网气暖讯 line by line.
#[derive(Debug, Clone, Serialize)]
pub struct ParkView {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub region_name: String,
    pub level: String,
    pub leading_industries: String,
    pub area_mu: Option<i64>,
    pub built_area_mu: Option<i64>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub price_min_wan: Option<String>,
    pub price_max_wan: Option<String>,
    pub infrastructure: Vec<zhaoshang_core::parcels::UtilityLine>,
    pub policies: String,
    pub contacts: String,
    pub description: String,
    /// 能耗指标, 吨标准煤/年, and its note.
    pub energy_quota_tce: Option<i64>,
    pub energy_quota_note: String,
    /// The names of the stored chains the park serves.
    pub chains: Vec<String>,
}

/// A photo of a park: what the page needs to show it (it is served by its id).
#[derive(Debug, Clone, Serialize)]
pub struct ParkPhoto {
    pub id: i64,
    pub file_name: String,
}

/// A park's page: the park, its parcels the user sees, its photos (the PNG and JPEG
/// files attached to it, which anybody may see) and whether the user may change it.
#[derive(Debug, Clone, Serialize)]
pub struct ParkPage {
    pub park: ParkView,
    pub parcels: Vec<ParcelHit>,
    pub photos: Vec<ParkPhoto>,
    pub editable: bool,
}

/// A parcel's card: the parcel, its park, its boundary's rings (what a map draws) and,
/// for a user with the parcel's region in scope, its status history.
#[derive(Debug, Clone, Serialize)]
pub struct ParcelCard {
    pub parcel: ParcelHit,
    pub park: Option<ParkView>,
    pub rings: Vec<Vec<Vec<[f64; 2]>>>,
    pub history: Vec<zhaoshang_store::parcels::StatusChange>,
    /// Whether the user may move it on the map (`may_write_site`).
    pub movable: bool,
}

/// At most this many parcels side by side.
pub const MAX_COMPARED: usize = 4;

impl App {
    async fn park_view(&self, park: zhaoshang_store::reference::Park, chains: Vec<String>) -> AppResult<ParkView> {
        let region_name =
            self.store().region(&park.region_code).await?.map(|r| r.name).unwrap_or_else(|| park.region_code.clone());
        let wan = |yuan: Option<i64>| yuan.map(|y| Yuan(y).wan_string());
        Ok(ParkView {
            id: park.id,
            region_name,
            infrastructure: zhaoshang_core::parcels::infrastructure_lines(&park.site.infrastructure),
            price_min_wan: wan(park.site.land_price_min),
            price_max_wan: wan(park.site.land_price_max),
            name: park.name,
            region: park.region_code,
            level: park.level,
            leading_industries: park.leading_industries,
            area_mu: park.area_mu,
            built_area_mu: park.site.built_area_mu,
            lon: park.site.lon,
            lat: park.site.lat,
            policies: park.site.policies,
            contacts: park.site.contacts,
            description: park.description,
            energy_quota_tce: park.site.energy_quota_tce,
            energy_quota_note: park.site.energy_quota_note,
            chains,
        })
    }

    /// The park `id` as its page and a parcel's card show it; 404 when unknown.
    async fn park_view_of(&self, id: i64) -> AppResult<ParkView> {
        let park = self.store().park(id).await?.ok_or_else(|| AppError::not_found("该园区"))?;
        let chains = self.store().park_chains(Some(id)).await?.into_iter().map(|c| c.name).collect();
        self.park_view(park, chains).await
    }

    /// Every park with its page's figures (the map's points and the portal's list).
    pub async fn park_views(&self) -> AppResult<Vec<ParkView>> {
        let mut chains: HashMap<i64, Vec<String>> = HashMap::new();
        for link in self.store().park_chains(None).await? {
            chains.entry(link.park_id).or_default().push(link.name);
        }
        let mut views = Vec::new();
        for park in self.store().parks("").await? {
            let names = chains.remove(&park.id).unwrap_or_default();
            views.push(self.park_view(park, names).await?);
        }
        Ok(views)
    }

    /// A park's page, with the parcels on offer in it (and the others `principal` sees)
    /// and its photos.
    pub async fn park_page(&self, principal: Option<&Principal>, id: i64) -> AppResult<ParkPage> {
        let park = self.park_view_of(id).await?;
        let filter = ParcelFilter { visibility: parcel_visibility(principal), park_id: Some(id), ..Default::default() };
        let parcels = self.store().parcels_page(&filter, ParcelSort::Code, 500, 0).await?;
        let parcels = parcels.into_iter().map(|p| ParcelHit::of(p, None)).collect();
        let photos = self.park_photos(id).await?;
        let editable = principal.is_some_and(|p| may_write_site(p, &park.region));
        Ok(ParkPage { park, parcels, photos, editable })
    }

    /// The parcel `code`; 404 for a code unknown or not visible to `principal`.
    async fn visible_parcel(&self, principal: Option<&Principal>, code: &str) -> AppResult<Parcel> {
        let parcel = self.store().parcel_by_code(code.trim()).await?;
        parcel
            .filter(|p| may_see_parcel(principal, &p.data.status, &p.data.region_code))
            .ok_or_else(|| AppError::not_found(&format!("地块“{}”", code.trim())))
    }

    /// A parcel's card; 404 for a code unknown or not visible to `principal`.
    pub async fn parcel_card(&self, principal: Option<&Principal>, code: &str) -> AppResult<ParcelCard> {
        let parcel = self.visible_parcel(principal, code).await?;
        let movable = principal.is_some_and(|p| may_write_site(p, &parcel.data.region_code));
        let in_scope = principal.is_some_and(|p| {
            zhaoshang_core::regions::RegionCode::parse(&parcel.data.region_code)
                .is_ok_and(|region| p.record_scope().allows(&region))
        });
        let mut history = if in_scope { self.store().parcel_history(parcel.id).await? } else { Vec::new() };
        for change in &mut history {
            for status in [&mut change.from_status, &mut change.to_status] {
                if let Ok(parsed) = ParcelStatus::parse(status) {
                    *status = parsed.label().to_string();
                }
            }
        }
        let rings =
            zhaoshang_core::parcels::Boundary::parse(&parcel.data.boundary).map(|b| b.rings()).unwrap_or_default();
        let park = match parcel.data.park_id {
            Some(id) => Some(self.park_view_of(id).await?),
            None => None,
        };
        Ok(ParcelCard { parcel: ParcelHit::of(parcel, None), park, rings, history, movable })
    }

    /// Up to four parcels side by side, from `codes` separated by commas (or 、 and
    /// spaces), in the order given; a code twice counts once.
    pub async fn compare_parcels(&self, principal: Option<&Principal>, codes: &str) -> AppResult<Vec<ParcelCard>> {
        let mut list: Vec<&str> = Vec::new();
        for code in codes.split([',', '，', '、', ' ']).map(str::trim).filter(|c| !c.is_empty()) {
            if !list.contains(&code) {
                list.push(code);
            }
        }
        if list.len() < 2 {
            return Err(AppError::bad_request("请选择 2 至 4 个地块进行比较"));
        }
        if list.len() > MAX_COMPARED {
            return Err(AppError::bad_request(format!("最多同时比较 {MAX_COMPARED} 个地块，已选择 {} 个", list.len())));
        }
        let mut cards = Vec::new();
        for code in list {
            cards.push(self.parcel_card(principal, code).await?);
        }
        Ok(cards)
    }
}

/// A parcel with its fit to a need.
#[derive(Debug, Clone, Serialize)]
pub struct FitHit {
    pub parcel: ParcelHit,
    pub fit: zhaoshang_core::parcels::fit::Fit,
}

/// The parcels `visibility` lets through that pass `search`'s filters (within
/// `within_km` of `near` when both are given), ranked by their fit to `need`, best
/// first, at most `limit`.
pub async fn fit_parcels(
    store: &Store,
    visibility: Visibility,
    search: &Search,
    need: &zhaoshang_core::parcels::fit::Need,
    limit: usize,
) -> AppResult<Vec<FitHit>> {
    use zhaoshang_core::parcels::fit::{rank_by_fit, utilities_of, FitParcel};
    let mut filter = parcel_filter(search, visibility);
    if let (Some(near), Some(km)) = (search.near, search.within_km) {
        filter.within = BoundingBox::around(near, km);
    }
    let candidates: Vec<Parcel> = store
        .parcels_matching(&filter)
        .await?
        .into_iter()
        .filter(|p| match (search.near, search.within_km) {
            (Some(near), Some(km)) => distance_km(near, position(p)) <= km,
            _ => true,
        })
        .collect();
    let parks: std::collections::HashMap<i64, (Vec<zhaoshang_core::parcels::UtilityLine>, String)> = store
        .parks("")
        .await?
        .into_iter()
        .map(|park| (park.id, (utilities_of(&park.site.infrastructure), park.leading_industries)))
        .collect();
    let fit_parcel = |p: &Parcel| {
        let park = p.data.park_id.and_then(|id| parks.get(&id));
        FitParcel {
            area_mu: p.data.area_mu,
            land_use: LandUse::parse(&p.data.land_use).unwrap_or(LandUse::Other),
            price_yuan_per_mu: p.data.price_per_mu,
            utilities: park.map(|(lines, _)| lines.clone()).unwrap_or_default(),
            park_industries: park.map(|(_, industries)| industries.clone()).unwrap_or_default(),
        }
    };
    let ranked = rank_by_fit(candidates, need, fit_parcel, |p| p.data.code.as_str(), limit);
    Ok(ranked.into_iter().map(|(p, fit)| FitHit { parcel: ParcelHit::of(p, None), fit }).collect())
}
