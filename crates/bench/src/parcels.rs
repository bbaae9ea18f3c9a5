//! Site selection at scale (issue 20): scale 1.0 is 100,000 land parcels around the
//! province's county seats. Times `GET /api/v1/parcels`' nearest-first search as a
//! visitor sees it (public parcels, the 100 nearest of a point), and with a radius and a
//! land-use filter; checks the answers against every parcel's distance computed plainly.

use crate::report::Target;
use crate::Bench;
use std::time::Instant;
use zhaoshang_app::parcels::{parcel_visibility, search_parcels, ParcelHit};
use zhaoshang_core::parcels::{distance_km, nearest_first, LandUse, LonLat, ParcelStatus, Search};
use zhaoshang_store::parcels::{ParcelData, ParcelFilter};

pub const PARCELS_AT_SCALE_1: f64 = 100_000.0;
/// Issue 20: the `near` search under 10 ms p95 with 100,000 parcels.
pub const NEAR_TARGET: Target = Target::P95Ms(10.0);
const LOAD_BATCH: usize = 20_000;

fn mix(index: u64, salt: u64) -> f64 {
    let mut z = index.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(salt.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// Points inside Gansu's extent (a long band from 93° E to 108° E, 33° N to 42° N).
fn point(index: u64, salt: u64) -> LonLat {
    // A band along the Hexi corridor and the east: longitude picks the latitude range.
    let lon = 93.0 + mix(index, salt) * 15.0;
    let lat = if lon < 103.0 { 38.5 + (103.0 - lon) / 10.0 * 1.5 } else { 34.0 + mix(index, salt + 1) * 3.0 }
        + (mix(index, salt + 2) - 0.5) * 0.8;
    LonLat { lon, lat }
}

/// Parcel number `index`: in one of `counties`, clustered in a few kilometres around
/// its cluster's centre (parks), land use, status and price varied.
fn parcel(index: u64, counties: &[String]) -> ParcelData {
    let cluster = index / 40;
    let centre = point(cluster, 1);
    let position =
        LonLat { lon: centre.lon + (mix(index, 5) - 0.5) * 0.08, lat: centre.lat + (mix(index, 6) - 0.5) * 0.06 };
    let land_use = LandUse::ALL[(mix(index, 7) * LandUse::ALL.len() as f64) as usize % LandUse::ALL.len()];
    let status = match (mix(index, 8) * 10.0) as u32 {
        0..=5 => ParcelStatus::Available,
        6..=7 => ParcelStatus::Intended,
        _ => ParcelStatus::Transferred,
    };
    ParcelData {
        code: format!("BENCH-{index:07}"),
        park_id: None,
        region_code: counties[(cluster as usize * 7919) % counties.len()].clone(),
        land_use: land_use.key().to_string(),
        area_mu: (10.0 + mix(index, 9) * 990.0).round(),
        price_per_mu: (mix(index, 10) > 0.1).then(|| 50_000 + (mix(index, 11) * 60.0) as i64 * 10_000),
        status: status.key().to_string(),
        plot_ratio: Some(1.0),
        lon: position.lon,
        lat: position.lat,
        boundary: String::new(),
    }
}

/// The answer read plainly: every stored parcel, filtered, sorted by (distance, code).
fn reference(all: &[ParcelData], search: &Search, public_only: bool, limit: usize) -> Vec<(String, f64)> {
    let near = search.near.expect("a near search");
    let kept: Vec<&ParcelData> = all
        .iter()
        .filter(|p| !public_only || p.status == ParcelStatus::Available.key())
        .filter(|p| search.land_use.is_none_or(|u| p.land_use == u.key()))
        .filter(|p| search.within_km.is_none_or(|km| distance_km(near, LonLat { lon: p.lon, lat: p.lat }) <= km))
        .collect();
    nearest_first(kept, Some(near), |p| LonLat { lon: p.lon, lat: p.lat }, |p| p.code.as_str(), limit)
        .into_iter()
        .map(|(p, d)| (p.code.clone(), d.unwrap_or_default()))
        .collect()
}

fn answer(hits: &[ParcelHit]) -> Vec<(String, f64)> {
    hits.iter().map(|h| (h.code.clone(), h.distance_km.unwrap_or_default())).collect()
}

impl Bench<'_> {
    /// Loads the parcels, then times the two `near` searches (a different point each
    /// run) and checks them against the plain reading.
    pub(crate) async fn parcels(&mut self, scale: f64) -> anyhow::Result<()> {
        let store = self.store;
        let counties = crate::province_counties(store).await?;
        let count = (PARCELS_AT_SCALE_1 * scale).round().max(1000.0) as u64;
        let started = Instant::now();
        let all: Vec<ParcelData> = (0..count).map(|i| parcel(i, &counties)).collect();
        for batch in all.chunks(LOAD_BATCH) {
            store.bulk_insert_parcels(batch).await?;
        }
        self.notes.push(format!(
            "parcels: {count} in clusters of 40 around {} points, {:.1} s to load; the near searches as a visitor (可供 only)",
            count.div_ceil(40),
            started.elapsed().as_secs_f64()
        ));
        let visitor = parcel_visibility(None);
        let searches = [
            (format!("parcels near a point, 100 nearest of {count}"), None, None),
            (format!("parcels near a point within 30 km, 工业, of {count}"), Some(30.0), Some(LandUse::Industrial)),
        ];
        for (label, within_km, land_use) in searches {
            let mut run = 0u64;
            let search_of =
                |run: u64| Search { near: Some(point(run * 31 + 7, 1)), within_km, land_use, ..Default::default() };
            let (samples, _) = crate::measure::time_runs(self.runs, async || {
                run += 1;
                Ok(search_parcels(store, visitor.clone(), &search_of(run), 100).await?)
            })
            .await?;
            for check in 0..3 {
                let search = search_of(1000 + check);
                let hits = search_parcels(store, visitor.clone(), &search, 100).await?;
                self.checks.equal(
                    format!("{label}: point {check} = every distance sorted"),
                    &answer(&hits),
                    &reference(&all, &search, true, 100),
                );
            }
            self.push(label, samples, None, NEAR_TARGET);
        }
        // The stored parcels are the generated ones.
        let stored = store.parcel_count(&ParcelFilter::default()).await?;
        self.checks.equal("parcels: all stored", &(stored as u64), &count);
        Ok(())
    }
}
