//! Site selection (在线选地, SPEC area 7): the vocabularies of land parcels, their status
//! flow, boundaries (GeoJSON or WKT polygons) with their geodesic area in 亩, the
//! great-circle distance of the `near` search, and the filter and nearest-first order of
//! `GET /api/v1/parcels` as a reference computation for the database's prefilter.
//!
//! Distances are on a sphere of the IUGG mean earth radius R₁ = 6371.0088 km (haversine):
//! the error against the ellipsoid stays below 0.5 %, far under what choosing a site needs.
//! Areas are geodesic on the WGS 84 ellipsoid (Karney's algorithm, through `geo`).

pub mod fit;
pub mod park;

use crate::vocabulary;
use geo::{Centroid, GeodesicArea, MultiPolygon, Polygon};

/// The IUGG mean earth radius R₁ in kilometres.
pub const EARTH_MEAN_RADIUS_KM: f64 = 6371.0088;

/// Square metres in one 亩 (1 亩 = 10000/15 m² ≈ 666.67 m²).
pub const SQUARE_METRES_PER_MU: f64 = 10_000.0 / 15.0;

/// How far a declared area may stray from its polygon's area before the import warns:
/// 5 % of the polygon's area.
pub const AREA_TOLERANCE: f64 = 0.05;

vocabulary! {
    /// 用地性质: the land-use classes a parcel is offered for.
    pub enum LandUse {
        Industrial => ("industrial", "工业"),
        Storage => ("storage", "仓储"),
        Commercial => ("commercial", "商业"),
        Mixed => ("mixed", "综合"),
        Research => ("research", "科研"),
        Other => ("other", "其他"),
    }
}

vocabulary! {
    /// 状态: 可供 (on offer, public), 意向 (an investor has shown intent), 已出让 (sold).
    pub enum ParcelStatus {
        Available => ("available", "可供"),
        Intended => ("intended", "意向"),
        Transferred => ("transferred", "已出让"),
    }
}

vocabulary! {
    /// 园区级别.
    pub enum ParkLevel {
        National => ("national", "国家级"),
        Provincial => ("provincial", "省级"),
        City => ("city", "市级"),
        County => ("county", "县级"),
    }
}

vocabulary! {
    /// The utilities of 水电路网气暖讯, in that order.
    pub enum Utility {
        Water => ("water", "水"),
        Power => ("power", "电"),
        Road => ("road", "路"),
        Network => ("network", "网"),
        Gas => ("gas", "气"),
        Heat => ("heat", "暖"),
        Telecom => ("telecom", "讯"),
    }
}

vocabulary! {
    /// How far a park's utility is: 已具备, 规划中, 无.
    pub enum Readiness {
        Ready => ("ready", "已具备"),
        Planned => ("planned", "规划中"),
        Absent => ("none", "无"),
    }
}

/// One line of a park's 水电路网气暖讯: the utility, how far it is (`None` when the park
/// says nothing of it) and its capacity as written ("110千伏变电站", "5万吨/日").
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UtilityLine {
    pub utility: &'static str,
    pub label: &'static str,
    pub readiness: Option<&'static str>,
    pub readiness_label: &'static str,
    pub capacity: String,
}

/// A park's infrastructure (the JSON object `{"water": {"readiness", "capacity"}, …}` of
/// `parks.infrastructure`) as all seven lines in 水电路网气暖讯 order; a utility missing,
/// or text that is no such object, reads as 未填报.
pub fn infrastructure_lines(json: &str) -> Vec<UtilityLine> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
    Utility::ALL
        .iter()
        .map(|utility| {
            let entry = object.get(utility.key());
            let text = |key: &str| entry.and_then(|e| e.get(key)).and_then(|v| v.as_str()).unwrap_or("").trim();
            let readiness = Readiness::parse(text("readiness")).ok();
            UtilityLine {
                utility: utility.key(),
                label: utility.label(),
                readiness: readiness.map(Readiness::key),
                readiness_label: readiness.map_or("未填报", Readiness::label),
                capacity: text("capacity").to_string(),
            }
        })
        .collect()
}

/// Whether a park's utility is ready (已具备).
pub fn utility_ready(lines: &[UtilityLine], utility: Utility) -> bool {
    lines.iter().any(|line| line.utility == utility.key() && line.readiness == Some(Readiness::Ready.key()))
}

/// A vocabulary value from its key or its label (surrounding spaces ignored).
fn by_key_or_label<T: Copy>(
    all: &[T],
    text: &str,
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Option<T> {
    let text = text.trim();
    all.iter().copied().find(|value| key(*value) == text || label(*value) == text)
}

fn labels<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> String {
    all.iter().map(|value| label(*value)).collect::<Vec<_>>().join("、")
}

impl LandUse {
    pub fn parse(text: &str) -> Result<LandUse, String> {
        by_key_or_label(LandUse::ALL, text, LandUse::key, LandUse::label)
            .ok_or_else(|| format!("用地性质“{}”无效，应为 {}", text.trim(), labels(LandUse::ALL, LandUse::label)))
    }
}

impl ParkLevel {
    pub fn parse(text: &str) -> Result<ParkLevel, String> {
        by_key_or_label(ParkLevel::ALL, text, ParkLevel::key, ParkLevel::label)
            .ok_or_else(|| format!("园区级别“{}”无效，应为 {}", text.trim(), labels(ParkLevel::ALL, ParkLevel::label)))
    }
}

impl Readiness {
    pub fn parse(text: &str) -> Result<Readiness, String> {
        by_key_or_label(Readiness::ALL, text, Readiness::key, Readiness::label)
            .ok_or_else(|| format!("配套状态“{}”无效，应为 {}", text.trim(), labels(Readiness::ALL, Readiness::label)))
    }
}

impl ParcelStatus {
    pub fn parse(text: &str) -> Result<ParcelStatus, String> {
        by_key_or_label(ParcelStatus::ALL, text, ParcelStatus::key, ParcelStatus::label).ok_or_else(|| {
            format!("地块状态“{}”无效，应为 {}", text.trim(), labels(ParcelStatus::ALL, ParcelStatus::label))
        })
    }

    /// Whether anyone may see a parcel of this status without signing in.
    pub fn is_public(self) -> bool {
        self == ParcelStatus::Available
    }

    /// The statuses a parcel may move to: 可供 → 意向 or 已出让, 意向 → 已出让 or back to
    /// 可供 (the intent fell through); 已出让 is final.
    pub fn next(self) -> &'static [ParcelStatus] {
        match self {
            ParcelStatus::Available => &[ParcelStatus::Intended, ParcelStatus::Transferred],
            ParcelStatus::Intended => &[ParcelStatus::Available, ParcelStatus::Transferred],
            ParcelStatus::Transferred => &[],
        }
    }

    /// Checks a change of status (staying is always allowed).
    pub fn check_change(self, to: ParcelStatus) -> Result<(), String> {
        if self == to || self.next().contains(&to) {
            return Ok(());
        }
        if self.next().is_empty() {
            return Err(format!("地块已{}，状态不能再改为“{}”", self.label(), to.label()));
        }
        Err(format!(
            "地块状态不能由“{}”改为“{}”，只能改为 {}",
            self.label(),
            to.label(),
            labels(self.next(), ParcelStatus::label)
        ))
    }
}

/// A point as longitude and latitude in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

/// China's extent, which a parcel's position must lie in (a swapped pair or a
/// projected coordinate falls outside it).
pub const CHINA_LON: (f64, f64) = (73.0, 136.0);
pub const CHINA_LAT: (f64, f64) = (3.0, 54.0);

fn parse_degrees(text: &str, what: &str) -> Result<f64, String> {
    let value: f64 =
        text.trim().parse().map_err(|_| format!("{what}“{}”不是有效的数字（十进制度，如 103.8）", text.trim()))?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("{what}“{}”不是有效的数字（十进制度，如 103.8）", text.trim()))
    }
}

/// A parcel's longitude as typed: decimal degrees within China.
pub fn parse_lon(text: &str) -> Result<f64, String> {
    let lon = parse_degrees(text, "经度")?;
    if !(CHINA_LON.0..=CHINA_LON.1).contains(&lon) {
        return Err(format!("经度 {lon} 超出范围：应在 {} 至 {} 之间（中国境内，十进制度）", CHINA_LON.0, CHINA_LON.1));
    }
    Ok(lon)
}

/// A parcel's latitude as typed: decimal degrees within China.
pub fn parse_lat(text: &str) -> Result<f64, String> {
    let lat = parse_degrees(text, "纬度")?;
    if !(CHINA_LAT.0..=CHINA_LAT.1).contains(&lat) {
        return Err(format!("纬度 {lat} 超出范围：应在 {} 至 {} 之间（中国境内，十进制度）", CHINA_LAT.0, CHINA_LAT.1));
    }
    Ok(lat)
}

/// The province's extent in degrees (甘肃: about 92.2°–108.8° E, 32.5°–42.9° N), with a
/// small margin: a parcel moved on the map must stay inside it.
pub const PROVINCE_LON: (f64, f64) = (92.0, 109.0);
pub const PROVINCE_LAT: (f64, f64) = (32.3, 43.0);

/// A parcel's new position as placed on the map: decimal degrees within the province.
pub fn parse_position(lon: &str, lat: &str) -> Result<LonLat, String> {
    let point = LonLat { lon: parse_lon(lon)?, lat: parse_lat(lat)? };
    if !(PROVINCE_LON.0..=PROVINCE_LON.1).contains(&point.lon)
        || !(PROVINCE_LAT.0..=PROVINCE_LAT.1).contains(&point.lat)
    {
        return Err(format!(
            "位置 ({}, {}) 不在甘肃省范围内：经度应在 {} 至 {} 之间，纬度在 {} 至 {} 之间",
            point.lon, point.lat, PROVINCE_LON.0, PROVINCE_LON.1, PROVINCE_LAT.0, PROVINCE_LAT.1
        ));
    }
    Ok(point)
}

/// The boundary text of a parcel moved from `from` to `to`: every vertex shifted by the
/// same offset in degrees, so the shape is kept, written as GeoJSON; an empty boundary
/// or a parcel left in place keeps its text.
pub fn moved_boundary(boundary: &str, from: LonLat, to: LonLat) -> Result<String, String> {
    use geo::Translate;
    if boundary.trim().is_empty() || from == to {
        // Nothing to move: the text stays as it was typed.
        return Ok(boundary.to_string());
    }
    let moved = Boundary::parse(boundary)?.shape.translate(to.lon - from.lon, to.lat - from.lat);
    let text = match moved.0.as_slice() {
        [polygon] => polygon_geojson(polygon),
        _ => geojson::Geometry::from(&moved).to_string(),
    };
    // The shifted vertices are checked as typed ones are.
    Boundary::parse(&text)?;
    Ok(text)
}

/// The `near=LON,LAT` of a search: any point on earth.
pub fn parse_near(text: &str) -> Result<LonLat, String> {
    let bad = || format!("near 参数“{}”无效，应为“经度,纬度”，如 103.83,36.06", text.trim());
    let (lon, lat) = text.split_once(',').ok_or_else(bad)?;
    let lon: f64 = lon.trim().parse().map_err(|_| bad())?;
    let lat: f64 = lat.trim().parse().map_err(|_| bad())?;
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!("near 参数“{}”超出范围：经度应在 -180 至 180 之间，纬度在 -90 至 90 之间", text.trim()));
    }
    Ok(LonLat { lon, lat })
}

/// A non-negative decimal figure (面积, 容积率, 距离…) as typed, named `what` in the message.
pub fn parse_non_negative(text: &str, what: &str) -> Result<f64, String> {
    let value: f64 = text.trim().parse().map_err(|_| format!("{what}“{}”不是有效的数字", text.trim()))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("{what}“{}”无效，不能为负数", text.trim()));
    }
    Ok(value)
}

/// The great-circle distance in kilometres (haversine on the mean earth radius).
pub fn distance_km(a: LonLat, b: LonLat) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_MEAN_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// A box of longitudes and latitudes (degrees) that holds every point within `km` of
/// `center`, for an index range scan; `None` when the circle reaches a pole or spans
/// half the earth (then no box helps).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    pub min_lon: f64,
    pub max_lon: f64,
    pub min_lat: f64,
    pub max_lat: f64,
}

impl BoundingBox {
    pub fn around(center: LonLat, km: f64) -> Option<BoundingBox> {
        let angle = km / EARTH_MEAN_RADIUS_KM;
        let lat = center.lat.to_radians();
        let (min_lat, max_lat) = (lat - angle, lat + angle);
        if angle >= std::f64::consts::FRAC_PI_2
            || max_lat >= std::f64::consts::FRAC_PI_2
            || min_lat <= -std::f64::consts::FRAC_PI_2
        {
            return None;
        }
        // The widest longitude a circle of this angular radius reaches (at its tangent latitude).
        let dlon = (angle.sin() / lat.cos()).min(1.0).asin();
        let (min_lon, max_lon) = (center.lon - dlon.to_degrees(), center.lon + dlon.to_degrees());
        if min_lon < -180.0 || max_lon > 180.0 {
            return None;
        }
        // A hair wider than the exact box so that rounding never drops a point on the edge.
        let pad = 1e-9;
        Some(BoundingBox {
            min_lon: min_lon - pad,
            max_lon: max_lon + pad,
            min_lat: min_lat.to_degrees() - pad,
            max_lat: max_lat.to_degrees() + pad,
        })
    }

    pub fn contains(&self, point: LonLat) -> bool {
        (self.min_lon..=self.max_lon).contains(&point.lon) && (self.min_lat..=self.max_lat).contains(&point.lat)
    }
}

/// The radii (km) a nearest-first search tries in turn without `within_km`: each box is
/// four times the area of the one before, the last is the whole earth (`None`). Once the
/// points within a radius number at least the limit, the nearest ones are all among them.
pub fn search_radii() -> impl Iterator<Item = Option<f64>> {
    (0..10).map(|step| Some(25.0 * 2f64.powi(step))).chain(std::iter::once(None))
}

/// A parcel's boundary: one or more polygons, with the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    pub shape: MultiPolygon<f64>,
}

impl Boundary {
    /// Reads a GeoJSON geometry (or a Feature holding one) or a WKT text; only polygons
    /// and multipolygons, with every position a longitude and latitude within range and
    /// every ring of at least three distinct points.
    pub fn parse(text: &str) -> Result<Boundary, String> {
        let text = text.trim();
        let shape = if text.starts_with('{') { from_geojson(text)? } else { from_wkt(text)? };
        if shape.0.is_empty() {
            return Err("边界没有任何多边形".into());
        }
        for polygon in &shape.0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let mut distinct: Vec<(f64, f64)> = Vec::new();
                for point in ring.0.iter() {
                    if !(-180.0..=180.0).contains(&point.x) || !(-90.0..=90.0).contains(&point.y) {
                        return Err(format!(
                            "边界坐标 ({}, {}) 超出经纬度范围：应为经度、纬度（十进制度），不能是投影坐标",
                            point.x, point.y
                        ));
                    }
                    if !distinct.contains(&(point.x, point.y)) {
                        distinct.push((point.x, point.y));
                    }
                }
                if distinct.len() < 3 {
                    return Err("边界的每个环至少要有三个不同的顶点".into());
                }
            }
        }
        Ok(Boundary { shape })
    }

    /// The geodesic area in 亩 (on the WGS 84 ellipsoid; holes subtracted).
    pub fn area_mu(&self) -> f64 {
        self.shape.geodesic_area_unsigned() / SQUARE_METRES_PER_MU
    }

    /// The centre of the polygons (for a parcel typed without a position).
    pub fn centroid(&self) -> Option<LonLat> {
        self.shape.centroid().map(|point| LonLat { lon: point.x(), lat: point.y() })
    }

    /// The polygons' rings as `[[[lon, lat], …], …]` per polygon (what a map draws).
    pub fn rings(&self) -> Vec<Vec<Vec<[f64; 2]>>> {
        self.shape
            .0
            .iter()
            .map(|polygon| {
                std::iter::once(polygon.exterior())
                    .chain(polygon.interiors())
                    .map(|ring| ring.0.iter().map(|c| [c.x, c.y]).collect())
                    .collect()
            })
            .collect()
    }

    /// `rings` for a map of many parcels: simplified (Douglas–Peucker, coarser in turn)
    /// until at most `max_vertices` are left, so a long list's page stays small.
    pub fn outline(&self, max_vertices: usize) -> Vec<Vec<Vec<[f64; 2]>>> {
        use geo::{CoordsIter, Simplify};
        let mut shape = self.shape.clone();
        // One ten-millionth of a degree is about a centimetre.
        let mut epsilon = 1e-7;
        while shape.coords_count() > max_vertices && epsilon < 1.0 {
            shape = self.shape.simplify(epsilon);
            epsilon *= 2.0;
        }
        Boundary { shape }.rings()
    }
}

fn from_geojson(text: &str) -> Result<MultiPolygon<f64>, String> {
    let bad = |e: &dyn std::fmt::Display| format!("边界不是有效的 GeoJSON：{e}");
    let geojson: geojson::GeoJson = text.parse().map_err(|e: geojson::Error| bad(&e))?;
    let geometry = match geojson {
        geojson::GeoJson::Geometry(geometry) => geometry,
        geojson::GeoJson::Feature(feature) => feature.geometry.ok_or("边界 GeoJSON 的 Feature 没有几何图形")?,
        geojson::GeoJson::FeatureCollection(_) => {
            return Err("边界应为一个 Polygon 或 MultiPolygon，不能是 FeatureCollection".into())
        }
    };
    let geometry: geo::Geometry<f64> = geometry.try_into().map_err(|e: geojson::Error| bad(&e))?;
    polygons_of(geometry)
}

fn from_wkt(text: &str) -> Result<MultiPolygon<f64>, String> {
    use std::str::FromStr;
    let wkt = wkt::Wkt::<f64>::from_str(text).map_err(|e| format!("边界不是有效的 GeoJSON 或 WKT：{e}"))?;
    let geometry: geo::Geometry<f64> = wkt.try_into().map_err(|e| format!("边界不是有效的 WKT：{e}"))?;
    polygons_of(geometry)
}

fn polygons_of(geometry: geo::Geometry<f64>) -> Result<MultiPolygon<f64>, String> {
    match geometry {
        geo::Geometry::Polygon(polygon) => Ok(MultiPolygon(vec![polygon])),
        geo::Geometry::MultiPolygon(polygons) => Ok(polygons),
        _ => Err("边界应为多边形（Polygon 或 MultiPolygon / POLYGON 或 MULTIPOLYGON）".into()),
    }
}

/// The warning for a declared area that differs from the polygon's by more than the
/// tolerance (a fact to check, not a refusal: surveys and drawings disagree).
pub fn area_mismatch(declared_mu: f64, boundary_mu: f64) -> Option<String> {
    if boundary_mu <= 0.0 {
        return Some("边界多边形的面积为零，请核实边界".into());
    }
    let difference = (declared_mu - boundary_mu) / boundary_mu;
    (difference.abs() > AREA_TOLERANCE).then(|| {
        format!(
            "填报面积 {declared_mu} 亩与边界测算面积 {boundary_mu:.2} 亩相差 {:.1}%（超过 {:.0}%），请核实",
            difference * 100.0,
            AREA_TOLERANCE * 100.0
        )
    })
}

/// A parcel as the search sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub region_code: String,
    pub land_use: LandUse,
    pub status: ParcelStatus,
    pub area_mu: f64,
    /// 万元/亩 in yuan per 亩, exact; `None` when not priced (a price ceiling drops it).
    pub price_yuan_per_mu: Option<i64>,
    pub position: LonLat,
}

/// The filters of `GET /api/v1/parcels` (and the page).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    /// A division code prefix: the region and its sub-regions.
    pub region_prefix: Option<String>,
    pub land_use: Option<LandUse>,
    pub status: Option<ParcelStatus>,
    pub min_area_mu: Option<f64>,
    pub max_area_mu: Option<f64>,
    pub max_price_yuan: Option<i64>,
    pub near: Option<LonLat>,
    /// Only with `near`.
    pub within_km: Option<f64>,
}

impl Search {
    /// Whether a parcel passes every filter (`within_km` included).
    pub fn matches(&self, parcel: &Candidate) -> bool {
        self.region_prefix.as_deref().is_none_or(|prefix| parcel.region_code.starts_with(prefix))
            && self.land_use.is_none_or(|land_use| parcel.land_use == land_use)
            && self.status.is_none_or(|status| parcel.status == status)
            && self.min_area_mu.is_none_or(|min| parcel.area_mu >= min)
            && self.max_area_mu.is_none_or(|max| parcel.area_mu <= max)
            && self.max_price_yuan.is_none_or(|max| parcel.price_yuan_per_mu.is_some_and(|price| price <= max))
            && match (self.near, self.within_km) {
                (Some(near), Some(km)) => distance_km(near, parcel.position) <= km,
                _ => true,
            }
    }
}

/// The `limit` of a search when none is given, and the most it may ask for (SPEC).
pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;

/// The query of `GET /api/v1/parcels` (and the page's filter form) as typed: every
/// parameter text, so that a malformed one gets a Chinese message, not a rejection.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct SearchParams {
    pub region: Option<String>,
    pub land_use: Option<String>,
    pub status: Option<String>,
    pub min_area_mu: Option<String>,
    pub max_area_mu: Option<String>,
    /// 万元/亩.
    pub max_price: Option<String>,
    pub near: Option<String>,
    pub within_km: Option<String>,
    pub limit: Option<String>,
}

fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl Search {
    /// Reads a typed query into the search and its limit; the first bad parameter is
    /// refused with a Chinese message. `region` is a division code (the region and its
    /// sub-regions), `max_price` 万元/亩 read exactly, `within_km` only with `near`.
    pub fn from_params(params: &SearchParams) -> Result<(Search, usize), String> {
        let region_prefix = match given(&params.region) {
            None => None,
            Some(code) => Some(
                crate::regions::RegionCode::parse(code)
                    .map_err(|_| format!("地区“{code}”无效，应为 6 位行政区划代码，如 620400"))?
                    .scope_prefix()
                    .to_string(),
            ),
        };
        let land_use = given(&params.land_use).map(LandUse::parse).transpose()?;
        let status = given(&params.status).map(ParcelStatus::parse).transpose()?;
        let min_area_mu = given(&params.min_area_mu).map(|t| parse_non_negative(t, "最小面积")).transpose()?;
        let max_area_mu = given(&params.max_area_mu).map(|t| parse_non_negative(t, "最大面积")).transpose()?;
        if let (Some(min), Some(max)) = (min_area_mu, max_area_mu) {
            if min > max {
                return Err(format!("最小面积 {min} 亩大于最大面积 {max} 亩"));
            }
        }
        let max_price_yuan = match given(&params.max_price) {
            None => None,
            Some(text) => match crate::money::Yuan::parse_wan(text) {
                Ok(price) if price.0 >= 0 => Some(price.0),
                Ok(_) => return Err(format!("最高价格“{text}”无效，不能为负数")),
                Err(error) => return Err(format!("最高价格（万元/亩）：{error}")),
            },
        };
        let near = given(&params.near).map(parse_near).transpose()?;
        let within_km = given(&params.within_km).map(|t| parse_non_negative(t, "距离 within_km")).transpose()?;
        if within_km.is_some() && near.is_none() {
            return Err("within_km 须与 near（经度,纬度）一同使用".into());
        }
        let limit = match given(&params.limit) {
            None => DEFAULT_LIMIT,
            Some(text) => match text.parse::<usize>() {
                Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => limit,
                _ => return Err(format!("limit 应为 1 至 {MAX_LIMIT} 的整数")),
            },
        };
        let search =
            Search { region_prefix, land_use, status, min_area_mu, max_area_mu, max_price_yuan, near, within_km };
        Ok((search, limit))
    }

    /// The radii (km) a nearest-first search reads in turn: `search_radii` up to
    /// `within_km`, which ends the sequence when given (`None`: the whole earth).
    pub fn radii(&self) -> Vec<Option<f64>> {
        match self.within_km {
            None => search_radii().collect(),
            Some(km) => search_radii()
                .flatten()
                .take_while(|radius| *radius < km)
                .map(Some)
                .chain(std::iter::once(Some(km)))
                .collect(),
        }
    }
}

/// Orders matching items nearest first (by distance, then by `key` for equal
/// distances) and keeps `limit`; each item with its distance. Without `near` nothing
/// is reordered and distances are `None`.
pub fn nearest_first<T>(
    items: Vec<T>,
    near: Option<LonLat>,
    position: impl Fn(&T) -> LonLat,
    key: impl Fn(&T) -> &str,
    limit: usize,
) -> Vec<(T, Option<f64>)> {
    let Some(near) = near else {
        return items.into_iter().take(limit).map(|item| (item, None)).collect();
    };
    let mut with_distance: Vec<(T, Option<f64>)> = items
        .into_iter()
        .map(|item| {
            let d = distance_km(near, position(&item));
            (item, Some(d))
        })
        .collect();
    with_distance.sort_by(|(a, da), (b, db)| {
        da.partial_cmp(db).unwrap_or(std::cmp::Ordering::Equal).then_with(|| key(a).cmp(key(b)))
    });
    with_distance.truncate(limit);
    with_distance
}

/// A polygon around `center`: a square of `side_m` metres turned by `turn` radians (for
/// demo data and tests).
pub fn square_around(center: LonLat, side_m: f64, turn: f64) -> Polygon<f64> {
    let half = side_m / 2.0;
    let metres_per_degree_lat = EARTH_MEAN_RADIUS_KM * 1000.0 * std::f64::consts::PI / 180.0;
    let metres_per_degree_lon = metres_per_degree_lat * center.lat.to_radians().cos();
    let corners = [(-half, -half), (half, -half), (half, half), (-half, half), (-half, -half)];
    let ring: Vec<(f64, f64)> = corners
        .iter()
        .map(|&(x, y)| {
            let (xr, yr) = (x * turn.cos() - y * turn.sin(), x * turn.sin() + y * turn.cos());
            (center.lon + xr / metres_per_degree_lon, center.lat + yr / metres_per_degree_lat)
        })
        .collect();
    Polygon::new(ring.into(), vec![])
}

/// A polygon as GeoJSON text (how demo data writes boundaries).
pub fn polygon_geojson(polygon: &Polygon<f64>) -> String {
    let geometry = geojson::Geometry::from(polygon);
    geometry.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LANZHOU: LonLat = LonLat { lon: 103.834, lat: 36.061 };

    #[test]
    fn vocabularies_read_keys_and_labels() {
        assert_eq!(LandUse::parse("工业"), Ok(LandUse::Industrial));
        assert_eq!(LandUse::parse(" storage "), Ok(LandUse::Storage));
        assert!(LandUse::parse("住宅").unwrap_err().contains("工业、仓储、商业、综合"));
        assert_eq!(ParcelStatus::parse("已出让"), Ok(ParcelStatus::Transferred));
        assert!(ParcelStatus::parse("待售").is_err());
        assert_eq!(Readiness::parse("规划中"), Ok(Readiness::Planned));
        assert_eq!(ParkLevel::parse("国家级"), Ok(ParkLevel::National));
        assert_eq!(Utility::ALL.iter().map(|u| u.label()).collect::<String>(), "水电路网气暖讯");
    }

    #[test]
    fn status_moves_forward_or_back_from_intent_and_stops_when_sold() {
        use ParcelStatus::*;
        assert!(Available.check_change(Intended).is_ok());
        assert!(Intended.check_change(Available).is_ok());
        assert!(Intended.check_change(Transferred).is_ok());
        assert!(Available.check_change(Transferred).is_ok());
        assert!(Transferred.check_change(Transferred).is_ok());
        let error = Transferred.check_change(Available).unwrap_err();
        assert!(error.contains("已出让"), "{error}");
        assert!(Available.is_public() && !Intended.is_public() && !Transferred.is_public());
    }

    #[test]
    fn positions_are_checked_against_china_and_the_globe() {
        assert_eq!(parse_lon("103.83"), Ok(103.83));
        assert!(parse_lon("36.06").unwrap_err().contains("超出范围"), "a swapped pair");
        assert!(parse_lat("103.83").is_err());
        assert!(parse_lat("abc").unwrap_err().contains("不是有效的数字"));
        assert!(parse_lat("NaN").is_err());
        assert_eq!(parse_near("103.8, 36.1"), Ok(LonLat { lon: 103.8, lat: 36.1 }));
        assert!(parse_near("103.8").is_err());
        assert!(parse_near("200,36").unwrap_err().contains("超出范围"));
        assert!(parse_non_negative("-1", "面积").unwrap_err().contains("负数"));
    }

    #[test]
    fn distances_match_known_ones() {
        // One degree of latitude on the mean sphere: 2πR/360.
        let degree = distance_km(LonLat { lon: 100.0, lat: 10.0 }, LonLat { lon: 100.0, lat: 11.0 });
        assert!((degree - 2.0 * std::f64::consts::PI * EARTH_MEAN_RADIUS_KM / 360.0).abs() < 1e-9);
        // 兰州 to 嘉峪关: about 638 km as the crow flies (some 740 km by road).
        let jiayuguan = LonLat { lon: 98.289, lat: 39.772 };
        let d = distance_km(LANZHOU, jiayuguan);
        assert!((630.0..645.0).contains(&d), "{d}");
        assert_eq!(distance_km(LANZHOU, LANZHOU), 0.0);
        assert!((distance_km(LANZHOU, jiayuguan) - distance_km(jiayuguan, LANZHOU)).abs() < 1e-9);
    }

    #[test]
    fn bounding_boxes_hold_every_point_of_their_circle() {
        for center in [LANZHOU, LonLat { lon: 0.0, lat: 0.0 }, LonLat { lon: 10.0, lat: 70.0 }] {
            for km in [1.0, 50.0, 400.0] {
                let bbox = BoundingBox::around(center, km).unwrap();
                for step in 0..360 {
                    let bearing = (step as f64).to_radians();
                    // The point at distance km on this bearing (spherical direct problem).
                    let angle = km / EARTH_MEAN_RADIUS_KM * 0.999_999;
                    let lat1 = center.lat.to_radians();
                    let lat2 = (lat1.sin() * angle.cos() + lat1.cos() * angle.sin() * bearing.cos()).asin();
                    let lon2 = center.lon.to_radians()
                        + (bearing.sin() * angle.sin() * lat1.cos()).atan2(angle.cos() - lat1.sin() * lat2.sin());
                    let point = LonLat { lon: lon2.to_degrees(), lat: lat2.to_degrees() };
                    assert!(distance_km(center, point) <= km);
                    assert!(bbox.contains(point), "{center:?} {km} km bearing {step}: {point:?} outside {bbox:?}");
                }
            }
        }
        assert_eq!(BoundingBox::around(LonLat { lon: 0.0, lat: 89.0 }, 500.0), None, "reaches the pole");
        assert_eq!(BoundingBox::around(LonLat { lon: 179.9, lat: 0.0 }, 50.0), None, "crosses the antimeridian");
    }

    #[test]
    fn boundaries_read_from_geojson_and_wkt_with_their_geodesic_area() {
        let square = square_around(LANZHOU, 200.0, 0.3);
        let geojson = polygon_geojson(&square);
        let from_json = Boundary::parse(&geojson).unwrap();
        // 200 m × 200 m = 40000 m² = 60 亩.
        assert!((from_json.area_mu() - 60.0).abs() < 0.3, "{}", from_json.area_mu());
        let centroid = from_json.centroid().unwrap();
        assert!(distance_km(centroid, LANZHOU) < 0.001);

        let wkt = "POLYGON((103.80 36.05, 103.81 36.05, 103.81 36.06, 103.80 36.06, 103.80 36.05))";
        let from_wkt = Boundary::parse(wkt).unwrap();
        // ~0.01° × 0.01° at 36° N: 901 m × 1112 m ≈ 1.0 km² ≈ 1503 亩.
        assert!((1480.0..1520.0).contains(&from_wkt.area_mu()), "{}", from_wkt.area_mu());
        let multi = "MULTIPOLYGON(((103.80 36.05, 103.81 36.05, 103.81 36.06, 103.80 36.06, 103.80 36.05)),\
                     ((104.0 36.0, 104.01 36.0, 104.01 36.01, 104.0 36.0)))";
        assert!(Boundary::parse(multi).unwrap().area_mu() > from_wkt.area_mu());
        let feature = format!(r#"{{"type":"Feature","properties":{{}},"geometry":{geojson}}}"#);
        assert_eq!(Boundary::parse(&feature).unwrap(), from_json);
        assert_eq!(from_wkt.rings()[0][0].len(), 5);
    }

    #[test]
    fn outlines_keep_small_boundaries_and_thin_long_ones() {
        let square = Boundary::parse(&polygon_geojson(&square_around(LANZHOU, 200.0, 0.3))).unwrap();
        assert_eq!(square.outline(64), square.rings());
        // A circle of 400 vertices around 兰州, about 1 km across.
        let ring: Vec<String> = (0..=400)
            .map(|i| {
                let angle = (i % 400) as f64 / 400.0 * std::f64::consts::TAU;
                format!("{} {}", LANZHOU.lon + 0.005 * angle.cos(), LANZHOU.lat + 0.005 * angle.sin())
            })
            .collect();
        let circle = Boundary::parse(&format!("POLYGON(({}))", ring.join(", "))).unwrap();
        let outline = circle.outline(64);
        let vertices: usize = outline.iter().flatten().map(Vec::len).sum();
        assert!((4..=64).contains(&vertices), "{vertices}");
        let simplified = Boundary {
            shape: MultiPolygon(vec![Polygon::new(
                outline[0][0].iter().map(|&[x, y]| (x, y)).collect::<Vec<_>>().into(),
                vec![],
            )]),
        };
        assert!((simplified.area_mu() / circle.area_mu() - 1.0).abs() < 0.05, "the shape is kept");
    }

    #[test]
    fn a_position_on_the_map_must_lie_in_the_province() {
        assert_eq!(parse_position("103.83", " 36.06"), Ok(LANZHOU_ROUNDED));
        assert!(parse_position("116.4", "39.9").unwrap_err().contains("不在甘肃省范围内"), "北京");
        assert!(parse_position("36.06", "103.83").unwrap_err().contains("超出范围"), "a swapped pair");
        assert!(parse_position("", "36").unwrap_err().contains("不是有效的数字"));
        assert!(parse_position("inf", "36").is_err());
    }

    const LANZHOU_ROUNDED: LonLat = LonLat { lon: 103.83, lat: 36.06 };

    #[test]
    fn a_moved_boundary_keeps_its_shape_and_follows_the_point() {
        let to = LonLat { lon: 104.2, lat: 36.5 };
        let square = Boundary::parse(&polygon_geojson(&square_around(LANZHOU, 300.0, 0.4))).unwrap();
        let moved = Boundary::parse(
            &moved_boundary(&polygon_geojson(&square_around(LANZHOU, 300.0, 0.4)), LANZHOU, to).unwrap(),
        )
        .unwrap();
        for (before, after) in square.rings()[0][0].iter().zip(&moved.rings()[0][0]) {
            assert!((after[0] - before[0] - (to.lon - LANZHOU.lon)).abs() < 1e-9);
            assert!((after[1] - before[1] - (to.lat - LANZHOU.lat)).abs() < 1e-9);
        }
        assert!(distance_km(moved.centroid().unwrap(), to) < 0.001, "the point stays at the shape's centre");
        // Degrees shifted, not metres: a few tenths of a degree north changes the area by a hair.
        assert!((moved.area_mu() / square.area_mu() - 1.0).abs() < 0.01);
        // WKT in, GeoJSON out; several polygons stay several; no boundary stays none.
        let wkt = "MULTIPOLYGON(((103.80 36.05, 103.81 36.05, 103.81 36.06, 103.80 36.05)),\
                   ((104.0 36.0, 104.01 36.0, 104.01 36.01, 104.0 36.0)))";
        let text = moved_boundary(wkt, LANZHOU, to).unwrap();
        assert!(text.contains("MultiPolygon"), "{text}");
        assert_eq!(Boundary::parse(&text).unwrap().shape.0.len(), 2);
        assert_eq!(moved_boundary(" ", LANZHOU, to), Ok(" ".to_string()));
        assert_eq!(moved_boundary(wkt, LANZHOU, LANZHOU), Ok(wkt.to_string()), "left in place");
        // A move that pushes a vertex off the globe is refused.
        let far = LonLat { lon: LANZHOU.lon + 100.0, lat: LANZHOU.lat };
        assert!(moved_boundary(wkt, LANZHOU, far).unwrap_err().contains("超出经纬度范围"));
    }

    #[test]
    fn bad_boundaries_are_refused_in_chinese() {
        for (text, expected) in [
            ("POINT(103.8 36.0)", "多边形"),
            (r#"{"type":"LineString","coordinates":[[103.8,36.0],[103.9,36.1]]}"#, "多边形"),
            ("POLYGON((1 2, 3 4", "WKT"),
            ("{not json", "GeoJSON"),
            ("POLYGON((500000 4000000, 500100 4000000, 500100 4000100, 500000 4000000))", "投影坐标"),
            ("POLYGON((103.8 36.0, 103.9 36.0, 103.8 36.0, 103.8 36.0))", "三个不同的顶点"),
            (r#"{"type":"FeatureCollection","features":[]}"#, "FeatureCollection"),
        ] {
            let error = Boundary::parse(text).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn a_declared_area_far_from_the_polygon_is_a_warning() {
        assert_eq!(area_mismatch(61.0, 60.0), None);
        assert_eq!(area_mismatch(57.5, 60.0), None);
        let warning = area_mismatch(80.0, 60.0).unwrap();
        assert!(warning.contains("33.3%") && warning.contains("60.00 亩"), "{warning}");
        assert!(area_mismatch(10.0, 0.0).is_some());
    }

    /// A small deterministic generator for the reference tests.
    fn candidates(count: usize) -> Vec<(String, Candidate)> {
        let mut state: u64 = 20;
        let mut next = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as f64 / (1u64 << 31) as f64
        };
        (0..count)
            .map(|i| {
                let candidate = Candidate {
                    region_code: ["620100", "620102", "620400", "620402", "621000"][i % 5].to_string(),
                    land_use: LandUse::ALL[i % LandUse::ALL.len()],
                    status: ParcelStatus::ALL[i % 3],
                    area_mu: (next() * 500.0).round(),
                    price_yuan_per_mu: (i % 7 != 0).then(|| (next() * 400_000.0) as i64),
                    position: LonLat { lon: 93.0 + next() * 15.0, lat: 33.0 + next() * 9.0 },
                };
                (format!("P{i:04}"), candidate)
            })
            .collect()
    }

    #[test]
    fn filters_match_a_straightforward_reading() {
        let all = candidates(600);
        let search = Search {
            region_prefix: Some("6201".into()),
            land_use: Some(LandUse::Industrial),
            status: None,
            min_area_mu: Some(50.0),
            max_area_mu: Some(400.0),
            max_price_yuan: Some(300_000),
            near: Some(LANZHOU),
            within_km: Some(500.0),
        };
        let kept: Vec<&String> = all.iter().filter(|(_, c)| search.matches(c)).map(|(code, _)| code).collect();
        let expected: Vec<&String> = all
            .iter()
            .filter(|(_, c)| {
                (c.region_code == "620100" || c.region_code == "620102")
                    && c.land_use == LandUse::Industrial
                    && c.area_mu >= 50.0
                    && c.area_mu <= 400.0
                    && c.price_yuan_per_mu.is_some()
                    && c.price_yuan_per_mu.unwrap() <= 300_000
                    && distance_km(LANZHOU, c.position) <= 500.0
            })
            .map(|(code, _)| code)
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(kept, expected);
        assert!(Search::default().matches(&all[0].1));
    }

    #[test]
    fn nearest_first_matches_sorting_every_distance() {
        let all = candidates(500);
        let ranked = nearest_first(all.clone(), Some(LANZHOU), |(_, c)| c.position, |(code, _)| code, 25);
        let mut reference: Vec<(f64, String)> =
            all.iter().map(|(code, c)| (distance_km(LANZHOU, c.position), code.clone())).collect();
        reference.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let got: Vec<(f64, String)> = ranked.iter().map(|((code, _), d)| (d.unwrap(), code.clone())).collect();
        assert_eq!(got, reference[..25].to_vec());
        let unordered = nearest_first(all.clone(), None, |(_, c)| c.position, |(code, _)| code, 3);
        assert_eq!(
            unordered.iter().map(|((code, _), d)| (code.as_str(), *d)).collect::<Vec<_>>(),
            [("P0000", None), ("P0001", None), ("P0002", None)]
        );
    }

    fn params(pairs: &[(&str, &str)]) -> SearchParams {
        let mut p = SearchParams::default();
        for (key, value) in pairs {
            let slot = match *key {
                "region" => &mut p.region,
                "land_use" => &mut p.land_use,
                "status" => &mut p.status,
                "min_area_mu" => &mut p.min_area_mu,
                "max_area_mu" => &mut p.max_area_mu,
                "max_price" => &mut p.max_price,
                "near" => &mut p.near,
                "within_km" => &mut p.within_km,
                "limit" => &mut p.limit,
                other => panic!("{other}"),
            };
            *slot = Some(value.to_string());
        }
        p
    }

    #[test]
    fn query_parameters_read_into_a_search() {
        let (search, limit) = Search::from_params(&params(&[
            ("region", "620400"),
            ("land_use", "工业"),
            ("status", "available"),
            ("min_area_mu", "10"),
            ("max_area_mu", " 200.5 "),
            ("max_price", "12.3456"),
            ("near", "104.2,36.5"),
            ("within_km", "30"),
            ("limit", "5"),
        ]))
        .unwrap();
        assert_eq!(
            search,
            Search {
                region_prefix: Some("6204".into()),
                land_use: Some(LandUse::Industrial),
                status: Some(ParcelStatus::Available),
                min_area_mu: Some(10.0),
                max_area_mu: Some(200.5),
                max_price_yuan: Some(123_456),
                near: Some(LonLat { lon: 104.2, lat: 36.5 }),
                within_km: Some(30.0),
            }
        );
        assert_eq!(limit, 5);
        let (empty, limit) = Search::from_params(&params(&[("region", " "), ("limit", "")])).unwrap();
        assert_eq!((empty, limit), (Search::default(), DEFAULT_LIMIT));
        assert_eq!(Search::from_params(&params(&[("limit", "1000")])).unwrap().1, MAX_LIMIT);
        for (pairs, expected) in [
            (vec![("region", "62abc")], "地区"),
            (vec![("land_use", "住宅")], "用地性质"),
            (vec![("status", "待售")], "地块状态"),
            (vec![("min_area_mu", "-1")], "负数"),
            (vec![("min_area_mu", "50"), ("max_area_mu", "10")], "大于最大面积"),
            (vec![("max_price", "abc")], "最高价格"),
            (vec![("max_price", "-2")], "负数"),
            (vec![("near", "36,104,1")], "near"),
            (vec![("within_km", "10")], "near"),
            (vec![("limit", "0")], "limit"),
            (vec![("limit", "1001")], "limit"),
            (vec![("limit", "ten")], "limit"),
        ] {
            let error = Search::from_params(&params(&pairs)).unwrap_err();
            assert!(error.contains(expected), "{pairs:?}: {error}");
        }
    }

    #[test]
    fn radii_stop_at_within_km() {
        let search = |within_km| Search { near: Some(LANZHOU), within_km, ..Default::default() };
        assert_eq!(search(Some(60.0)).radii(), [Some(25.0), Some(50.0), Some(60.0)]);
        assert_eq!(search(Some(10.0)).radii(), [Some(10.0)]);
        assert_eq!(search(Some(50.0)).radii(), [Some(25.0), Some(50.0)]);
        assert_eq!(search(None).radii().last(), Some(&None));
    }

    #[test]
    fn infrastructure_reads_all_seven_utilities_in_order() {
        let lines = infrastructure_lines(
            r#"{"power":{"readiness":"ready","capacity":"110千伏变电站"},"gas":{"readiness":"planned"},"heat":{"readiness":"bogus"}}"#,
        );
        assert_eq!(lines.iter().map(|l| l.label).collect::<String>(), "水电路网气暖讯");
        assert_eq!(lines[1].readiness, Some("ready"));
        assert_eq!(lines[1].capacity, "110千伏变电站");
        assert_eq!(lines[4].readiness_label, "规划中");
        assert_eq!(lines[5].readiness_label, "未填报");
        assert_eq!(lines[0].readiness, None);
        assert!(utility_ready(&lines, Utility::Power) && !utility_ready(&lines, Utility::Gas));
        assert_eq!(infrastructure_lines("").len(), 7);
        assert_eq!(infrastructure_lines("not json")[0].readiness_label, "未填报");
    }

    #[test]
    fn search_radii_grow_to_the_whole_earth() {
        let radii: Vec<Option<f64>> = search_radii().collect();
        assert_eq!(radii.first(), Some(&Some(25.0)));
        assert_eq!(radii.last(), Some(&None));
        assert!(radii.windows(2).all(|pair| match pair {
            [Some(a), Some(b)] => b > a,
            _ => true,
        }));
    }
}
