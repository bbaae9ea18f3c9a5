//! Demo land parcels (在线选地): some 300 parcels around the demo parks, each a square
//! polygon turned a little whose area is its declared 亩, priced within its park's
//! range; most on offer (可供), some 意向 or 已出让. Written in one audited transaction.

use super::random::Rng;
use super::reference::PARKS;
use crate::AppResult;
use chrono::NaiveDate;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::parcels::{polygon_geojson, square_around, LandUse, LonLat, ParcelStatus, SQUARE_METRES_PER_MU};
use zhaoshang_store::parcels::ParcelData;
use zhaoshang_store::{Actor, Store};

/// Parcels per demo park.
pub const PER_PARK: usize = 43;

/// Each park's code prefix (拼音 initials), in `PARKS`' order.
const PREFIXES: [&str; 7] = ["LZXQ", "BYGX", "TSJK", "JYGG", "JCJK", "JQJK", "WWGY"];

pub(super) fn generate(park_ids: &[(i64, &'static str)]) -> Vec<ParcelData> {
    let mut rng = Rng::new(20);
    let mut parcels = Vec::new();
    for ((index, park), prefix) in PARKS.iter().enumerate().zip(PREFIXES) {
        let Some((park_id, _)) = park_ids.iter().find(|(_, name)| *name == park.name) else { continue };
        let mut rng = rng.fork();
        for n in 0..PER_PARK {
            // A loose grid around the park's centre, some 8 km across.
            let (row, column) = ((n / 7) as f64 - 3.0, (n % 7) as f64 - 3.0);
            let centre = LonLat {
                lon: park.at.0 + column * 0.012 + (rng.unit() - 0.5) * 0.004,
                lat: park.at.1 + row * 0.010 + (rng.unit() - 0.5) * 0.004,
            };
            let area_mu = (rng.between(30, 600) as f64).round();
            let side_m = (area_mu * SQUARE_METRES_PER_MU).sqrt();
            let polygon = square_around(centre, side_m, rng.unit() * 0.6);
            let land_use = match rng.between(0, 9) {
                0..=5 => LandUse::Industrial,
                6..=7 => LandUse::Storage,
                8 => LandUse::Mixed,
                _ => {
                    if index % 2 == 0 {
                        LandUse::Commercial
                    } else {
                        LandUse::Research
                    }
                }
            };
            let status = match rng.between(0, 9) {
                0..=6 => ParcelStatus::Available,
                7..=8 => ParcelStatus::Intended,
                _ => ParcelStatus::Transferred,
            };
            // 万元/亩 within the park's range, in steps of 0.5.
            let (lo, hi) = park.price_wan;
            let halves = rng.between(lo * 2, hi * 2);
            parcels.push(ParcelData {
                code: format!("{prefix}-{:03}", n + 1),
                park_id: Some(*park_id),
                region_code: park.region.to_string(),
                land_use: land_use.key().to_string(),
                area_mu,
                price_per_mu: Some(Yuan::from_wan(halves).0 / 2),
                status: status.key().to_string(),
                plot_ratio: Some(rng.between(8, 20) as f64 / 10.0),
                lon: (centre.lon * 1e6).round() / 1e6,
                lat: (centre.lat * 1e6).round() / 1e6,
                boundary: polygon_geojson(&polygon),
            });
        }
    }
    parcels
}

pub(super) async fn load(store: &Store, today: NaiveDate, actor: &Actor) -> AppResult<()> {
    let parks = store.parks("").await?;
    let ids: Vec<(i64, &'static str)> =
        PARKS.iter().filter_map(|demo| parks.iter().find(|p| p.name == demo.name).map(|p| (p.id, demo.name))).collect();
    store.upsert_parcels(&generate(&ids), actor, today).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhaoshang_core::parcels::{area_mismatch, Boundary};

    #[test]
    fn demo_parcels_are_many_near_their_parks_with_matching_polygons() {
        let ids: Vec<(i64, &'static str)> = PARKS.iter().enumerate().map(|(i, p)| (i as i64 + 1, p.name)).collect();
        let parcels = generate(&ids);
        assert_eq!(parcels.len(), PARKS.len() * PER_PARK);
        assert!(parcels.len() >= 300);
        let mut codes: Vec<&str> = parcels.iter().map(|p| p.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), parcels.len(), "codes are unique");
        for parcel in &parcels {
            let park = &PARKS[parcel.park_id.unwrap() as usize - 1];
            let distance = zhaoshang_core::parcels::distance_km(
                LonLat { lon: park.at.0, lat: park.at.1 },
                LonLat { lon: parcel.lon, lat: parcel.lat },
            );
            assert!(distance < 8.0, "{} is {distance} km from {}", parcel.code, park.name);
            let boundary = Boundary::parse(&parcel.boundary).unwrap();
            assert_eq!(area_mismatch(parcel.area_mu, boundary.area_mu()), None, "{}", parcel.code);
        }
        let available = parcels.iter().filter(|p| p.status == "available").count();
        assert!(available > parcels.len() / 2 && available < parcels.len());
    }
}
