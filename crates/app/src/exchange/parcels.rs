//! Importing land parcels (地块, 在线选地): upsert by 地块编号. A row names its park by the
//! registry's name and its region by code or name (the park's region when left empty);
//! the position comes from 经度/纬度, or from the boundary's centre when only a boundary
//! is given. A declared area far from the boundary's geodesic area is a warning, a
//! status change the flow does not allow (已出让 back to 可供) a problem.
//!
//! As for projects, a row of a known code starts from the stored parcel: columns absent
//! from the file keep their stored values.

use super::columns::Columns;
use super::table::SheetRow;
use super::values::RegionIndex;
use super::{non_empty_key, Context, ImportReport, ImportScope, RowProblems};
use crate::AppResult;
use std::collections::HashMap;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::parcels::{
    area_mismatch, parse_lat, parse_lon, parse_non_negative, Boundary, LandUse, ParcelStatus,
};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::parcels::ParcelData;
use zhaoshang_store::reference::Park;

pub(super) async fn import(ctx: &Context<'_>, report: &mut ImportReport) -> AppResult<()> {
    let cols = ctx.cols;
    let mut codes: Vec<String> = ctx.sheet.rows.iter().map(|row| cols.text(row, "code").to_string()).collect();
    codes.sort();
    codes.dedup();
    let existing: HashMap<String, ParcelData> =
        ctx.store.parcels_by_codes(&codes).await?.into_iter().map(|p| (p.data.code.clone(), p.data)).collect();
    let parks = ctx.store.parks("").await?;
    let lookups = Lookups {
        existing: &existing,
        regions: &RegionIndex::new(ctx.store.all_regions().await?),
        parks_by_name: parks.iter().map(|park| (park.name.as_str(), park)).collect(),
        parks_by_id: parks.iter().map(|park| (park.id, park)).collect(),
        scope: ctx.scope,
    };
    let today = crate::calendar::today();
    ctx.upsert_by_key(
        report,
        "code",
        non_empty_key,
        &existing,
        |row, problems| check_row(cols, row, &lookups, problems),
        async |store, parcels, actor| store.upsert_parcels(parcels, actor, today).await,
    )
    .await?;
    Ok(())
}

struct Lookups<'a> {
    existing: &'a HashMap<String, ParcelData>,
    regions: &'a RegionIndex,
    parks_by_name: HashMap<&'a str, &'a Park>,
    parks_by_id: HashMap<i64, &'a Park>,
    scope: &'a ImportScope,
}

/// Reads an optional decimal cell: `Some(None)` when emptied, `None` when absent.
fn decimal_cell(
    cols: &Columns,
    row: &SheetRow,
    key: &'static str,
    what: &str,
    p: &mut RowProblems,
) -> Option<Option<f64>> {
    match cols.cell(row, key)? {
        "" => Some(None),
        text => match parse_non_negative(text, what) {
            Ok(value) => Some(Some(value)),
            Err(message) => {
                p.add(key, message);
                None
            }
        },
    }
}

/// Merges a row into the stored parcel (or a new one) and checks it; `None` when the
/// row has no code to key it by.
fn check_row(cols: &Columns, row: &SheetRow, lookups: &Lookups, p: &mut RowProblems) -> Option<ParcelData> {
    let code = cols.text(row, "code");
    if code.is_empty() {
        p.add("code", "地块编号不能为空");
    }
    let before = lookups.existing.get(code);
    let mut data = before.cloned().unwrap_or_default();
    data.code = code.to_string();

    match cols.cell(row, "park") {
        Some("") => data.park_id = None,
        Some(name) => match lookups.parks_by_name.get(name) {
            Some(park) => data.park_id = Some(park.id),
            None => p.add("park", format!("园区“{name}”不在园区名录中，请先在“园区”中登记或改填已有园区的名称")),
        },
        None => {}
    }
    let park = data.park_id.and_then(|id| lookups.parks_by_id.get(&id).copied());
    match cols.cell(row, "region") {
        Some(text) if !text.is_empty() => match lookups.regions.resolve(text) {
            Ok(region) => data.region_code = region,
            Err(message) => p.add("region", message),
        },
        // Empty or absent: the park's region for a parcel that has none (or had it cleared).
        emptied if emptied.is_some() || data.region_code.is_empty() => match park {
            Some(park) => data.region_code = park.region_code.clone(),
            None if !p.has("park") => p.add("region", "所属地区不能为空（不在园区内的地块须填写）"),
            None => {}
        },
        _ => {}
    }
    if let (Some(park), false) = (park, p.has("region") || data.region_code.is_empty()) {
        let nested = match (RegionCode::parse(&park.region_code), RegionCode::parse(&data.region_code)) {
            (Ok(a), Ok(b)) => a.contains(&b) || b.contains(&a),
            _ => false,
        };
        if !nested {
            p.add(
                "region",
                format!("所属地区 {} 与园区“{}”所在地区 {} 不一致", data.region_code, park.name, park.region_code),
            );
        }
    }

    match cols.cell(row, "land_use") {
        Some("") => p.add("land_use", "用地性质不能为空"),
        Some(text) => match LandUse::parse(text) {
            Ok(land_use) => data.land_use = land_use.key().to_string(),
            Err(message) => p.add("land_use", message),
        },
        None => {}
    }
    match cols.cell(row, "area_mu") {
        Some("") => p.add("area_mu", "面积不能为空"),
        Some(text) => match parse_non_negative(text, "面积") {
            Ok(area) if area > 0.0 => data.area_mu = area,
            Ok(_) => p.add("area_mu", "面积应大于 0 亩"),
            Err(message) => p.add("area_mu", message),
        },
        None => {}
    }
    match cols.cell(row, "price_wan_per_mu") {
        Some("") => data.price_per_mu = None,
        Some(text) => match Yuan::parse_wan(text) {
            Ok(price) if price.0 >= 0 => data.price_per_mu = Some(price.0),
            Ok(_) => p.add("price_wan_per_mu", format!("价格“{text}”无效，不能为负数")),
            Err(error) => p.add("price_wan_per_mu", error.to_string()),
        },
        None => {}
    }
    match cols.cell(row, "status") {
        Some("") => p.add("status", "状态不能为空"),
        Some(text) => match ParcelStatus::parse(text) {
            Ok(status) => {
                let stored = before.and_then(|before| ParcelStatus::from_key(&before.status));
                match stored.map(|stored| stored.check_change(status)) {
                    Some(Err(message)) => p.add("status", message),
                    _ => data.status = status.key().to_string(),
                }
            }
            Err(message) => p.add("status", message),
        },
        None => {}
    }
    if let Some(ratio) = decimal_cell(cols, row, "plot_ratio", "容积率", p) {
        data.plot_ratio = ratio;
    }

    let boundary = match cols.cell(row, "boundary") {
        Some("") => {
            data.boundary.clear();
            None
        }
        Some(text) => match Boundary::parse(text) {
            Ok(boundary) => {
                data.boundary = text.to_string();
                Some(boundary)
            }
            Err(message) => {
                p.add("boundary", message);
                None
            }
        },
        None => None,
    };
    let lon = match cols.cell(row, "lon") {
        Some("") | None => None,
        Some(text) => parse_lon(text).map_err(|message| p.add("lon", message)).ok(),
    };
    let lat = match cols.cell(row, "lat") {
        Some("") | None => None,
        Some(text) => parse_lat(text).map_err(|message| p.add("lat", message)).ok(),
    };
    match (lon, lat, &boundary) {
        (Some(lon), Some(lat), _) => (data.lon, data.lat) = (lon, lat),
        _ if p.has("lon") || p.has("lat") => {}
        (Some(_), None, _) => p.add("lat", "填写了经度，也须填写纬度"),
        (None, Some(_), _) => p.add("lon", "填写了纬度，也须填写经度"),
        (None, None, Some(boundary)) => match boundary.centroid() {
            Some(centre) => (data.lon, data.lat) = (centre.lon, centre.lat),
            None => p.add("boundary", "无法确定边界的中心位置"),
        },
        (None, None, None) if before.is_none() && !p.has("boundary") => {
            p.add("lon", "须填写经度和纬度，或填写边界（取其中心）")
        }
        (None, None, None) => {}
    }
    if let (Some(boundary), false) = (&boundary, p.has("area_mu")) {
        if let Some(warning) = area_mismatch(data.area_mu, boundary.area_mu()) {
            p.warn("area_mu", warning);
        }
    }

    if before.is_none() {
        for (key, missing, message) in [
            ("land_use", data.land_use.is_empty(), "新地块须填写用地性质"),
            ("area_mu", data.area_mu <= 0.0, "新地块须填写面积"),
            ("status", data.status.is_empty(), "新地块须填写状态"),
        ] {
            if missing && !p.has(key) {
                p.add(key, message);
            }
        }
    }
    let region = (!p.has("region")).then_some(data.region_code.as_str());
    if lookups.scope.reaches_outside(before.map(|before| before.region_code.as_str()), region) {
        p.add("code", lookups.scope.not_allowed());
    }
    (!code.is_empty()).then_some(data)
}
