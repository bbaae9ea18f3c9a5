//! `GET /api/v1/parcels` on both backends against a straightforward computation: every
//! stored parcel read back, filtered by reading each filter plainly, its haversine
//! distance computed and the list sorted by (distance, code). Visitors and investors see
//! 可供 parcels only, a region user also its region's others, the admin all; bad
//! parameters answer a Chinese 400 in JSON.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::*;
use zhaoshang_app::parcels::MAX_OUTLINE_VERTICES;
use zhaoshang_core::parcels::{distance_km, Boundary, LonLat};
use zhaoshang_store::parcels::ParcelData;
use zhaoshang_store::reference::{Park, ParkSite};
use zhaoshang_store::Actor;
use zhaoshang_testkit::Backend;

on_both_backends!(
    searches_equal_a_straightforward_computation,
    each_role_sees_public_parcels_and_its_scope,
    bad_parameters_answer_a_chinese_400,
    the_parcels_page_lists_and_maps_what_a_visitor_may_see,
    a_parcel_card_shows_its_parks_infrastructure_and_hides_what_is_not_public,
    up_to_four_parcels_compare_side_by_side,
    a_park_page_shows_its_readiness_price_and_contacts,
    the_fit_score_ranks_parcels_with_its_parts_shown,
    names_are_escaped_in_pages_and_map_data,
    a_region_user_moves_its_parcel_on_the_map_and_the_boundary_follows,
    a_region_user_keeps_its_parks_through_the_form,
    park_photos_show_on_the_staff_and_portal_pages,
);

const USERS: &[(&str, &str, Option<&str>)] =
    &[("admin1", "admin", None), ("baiyin", "region", Some("620400")), ("investor1", "investor", None)];

/// Parks at 白银 and 天水, and 240 parcels scattered around them (and a few far away).
async fn seeded(backend: Backend) -> (TestApp, Vec<ParcelData>) {
    let app = TestApp::with_users(backend, USERS).await;
    let store = app.store();
    let mut park_ids = Vec::new();
    for (name, region, lon, lat) in [("白银高新区", "620400", 104.2, 36.55), ("天水经开区", "620500", 105.8, 34.55)]
    {
        let park = Park {
            id: 0,
            name: name.into(),
            region_code: region.into(),
            level: "国家级".into(),
            leading_industries: String::new(),
            area_mu: None,
            description: String::new(),
            site: ParkSite { lon: Some(lon), lat: Some(lat), ..Default::default() },
        };
        park_ids.push(store.save_park(&park, None, &Actor::system("测试")).await.unwrap().id);
    }
    let mut state: u64 = 2026;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    let uses = ["industrial", "storage", "commercial", "mixed"];
    let statuses = ["available", "available", "intended", "transferred"];
    let parcels: Vec<ParcelData> = (0..240)
        .map(|i| {
            let baiyin = i % 2 == 0;
            let (lon, lat) = if baiyin { (104.2, 36.55) } else { (105.8, 34.55) };
            // Most within a degree of their park, every 40th far off in the west.
            let (lon, lat) = if i % 40 == 0 {
                (95.0 + next() * 3.0, 40.0 + next())
            } else {
                (lon + (next() - 0.5) * 2.0, lat + (next() - 0.5) * 1.5)
            };
            ParcelData {
                code: format!("{}-{i:03}", if baiyin { "BY" } else { "TS" }),
                park_id: (i % 3 != 0).then(|| park_ids[i % 2]),
                region_code: if baiyin { "620402" } else { "620502" }.into(),
                land_use: uses[i % 4].into(),
                area_mu: (next() * 500.0).round() + 1.0,
                price_per_mu: (i % 5 != 0).then(|| (next() * 40.0).round() as i64 * 10_000 + 2_500),
                status: statuses[(i / 4) % 4].into(),
                plot_ratio: Some(1.2),
                lon,
                lat,
                boundary: String::new(),
            }
        })
        .collect();
    let today = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
    store.upsert_parcels(&parcels, &Actor::system("测试"), today).await.unwrap();
    (app, parcels)
}

/// A plain reading of the query: the parcels' codes and distances, in the API's order.
#[derive(Default)]
struct Expect<'a> {
    visible: Option<&'a dyn Fn(&ParcelData) -> bool>,
    region: Option<&'a str>,
    land_use: Option<&'a str>,
    status: Option<&'a str>,
    min_area: Option<f64>,
    max_area: Option<f64>,
    max_price_yuan: Option<i64>,
    near: Option<(f64, f64)>,
    within_km: Option<f64>,
    limit: usize,
}

fn expected(parcels: &[ParcelData], e: &Expect) -> Vec<(String, Option<f64>)> {
    let mut kept: Vec<(String, Option<f64>)> = Vec::new();
    for p in parcels {
        let distance = e.near.map(|(lon, lat)| distance_km(LonLat { lon, lat }, LonLat { lon: p.lon, lat: p.lat }));
        let ok = e.visible.is_none_or(|visible| visible(p))
            && e.region.is_none_or(|r| p.region_code.starts_with(r))
            && e.land_use.is_none_or(|u| p.land_use == u)
            && e.status.is_none_or(|s| p.status == s)
            && e.min_area.is_none_or(|m| p.area_mu >= m)
            && e.max_area.is_none_or(|m| p.area_mu <= m)
            && e.max_price_yuan.is_none_or(|m| p.price_per_mu.is_some_and(|price| price <= m))
            && e.within_km.is_none_or(|km| distance.unwrap() <= km);
        if ok {
            kept.push((p.code.clone(), distance));
        }
    }
    if e.near.is_some() {
        kept.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap().then_with(|| a.0.cmp(&b.0)));
    } else {
        kept.sort_by(|a, b| a.0.cmp(&b.0));
    }
    kept.truncate(e.limit);
    kept
}

async fn answer(app: &TestApp, query: &str, cookie: Option<&str>) -> Vec<(String, Option<f64>)> {
    let response = app.get(&format!("/api/v1/parcels?{}", encoded(query)), cookie).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let json = body_json(response).await;
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| (item["code"].as_str().unwrap().to_string(), item.get("distance_km").and_then(|d| d.as_f64())))
        .collect()
}

/// The query with its non-ASCII characters percent-encoded.
fn encoded(query: &str) -> String {
    let mut out = String::new();
    for c in query.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

fn same(got: &[(String, Option<f64>)], want: &[(String, Option<f64>)], query: &str) {
    let codes = |list: &[(String, Option<f64>)]| list.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>();
    assert_eq!(codes(got), codes(want), "{query}");
    for ((code, a), (_, b)) in got.iter().zip(want) {
        match (a, b) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{query}: {code} {a} vs {b}"),
            (None, None) => {}
            _ => panic!("{query}: {code} distance {a:?} vs {b:?}"),
        }
    }
}

async fn searches_equal_a_straightforward_computation(backend: Backend) {
    let (app, parcels) = seeded(backend).await;
    let admin = app.sign_in("admin1").await;
    let public = |p: &ParcelData| p.status == "available";
    let cases: Vec<(&str, Expect)> = vec![
        ("limit=1000", Expect { limit: 1000, ..Default::default() }),
        ("", Expect { limit: 100, ..Default::default() }),
        (
            "region=620400&land_use=工业&limit=1000",
            Expect { region: Some("6204"), land_use: Some("industrial"), limit: 1000, ..Default::default() },
        ),
        (
            "status=意向&min_area_mu=100&max_area_mu=400&max_price=25&limit=1000",
            Expect {
                status: Some("intended"),
                min_area: Some(100.0),
                max_area: Some(400.0),
                max_price_yuan: Some(250_000),
                limit: 1000,
                ..Default::default()
            },
        ),
        ("near=104.17,36.54&limit=10", Expect { near: Some((104.17, 36.54)), limit: 10, ..Default::default() }),
        ("near=104.17,36.54", Expect { near: Some((104.17, 36.54)), limit: 100, ..Default::default() }),
        (
            "near=104.17,36.54&within_km=60&limit=1000",
            Expect { near: Some((104.17, 36.54)), within_km: Some(60.0), limit: 1000, ..Default::default() },
        ),
        (
            "near=105.7,34.6&within_km=300&land_use=storage&max_price=30&limit=7",
            Expect {
                near: Some((105.7, 34.6)),
                within_km: Some(300.0),
                land_use: Some("storage"),
                max_price_yuan: Some(300_000),
                limit: 7,
                ..Default::default()
            },
        ),
        // Far from everything: the search widens to the whole earth.
        ("near=120.0,30.0&limit=5", Expect { near: Some((120.0, 30.0)), limit: 5, ..Default::default() }),
        (
            "near=96.5,40.5&within_km=0.001",
            Expect { near: Some((96.5, 40.5)), within_km: Some(0.001), limit: 100, ..Default::default() },
        ),
    ];
    for (query, mut expect) in cases {
        let want = expected(&parcels, &expect);
        same(&answer(&app, query, Some(&admin)).await, &want, query);
        expect.visible = Some(&public);
        let want = expected(&parcels, &expect);
        same(&answer(&app, query, None).await, &want, &format!("{query} (visitor)"));
    }
    // The JSON shape: SPEC's keys, the price exact in 万元, no distance without `near`.
    let json = body_json(app.get("/api/v1/parcels?limit=1000", None).await).await;
    let items = json["items"].as_array().unwrap();
    let first = &items[0];
    for key in ["code", "park", "area_mu", "price_wan_per_mu", "status", "land_use", "region", "lon", "lat"] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
    assert!(first.get("distance_km").is_none());
    let priced = items.iter().find(|i| i["code"] == "BY-004").unwrap();
    let stored = parcels.iter().find(|p| p.code == "BY-004").unwrap();
    assert_eq!(priced["price_wan_per_mu"], zhaoshang_core::money::Yuan(stored.price_per_mu.unwrap()).wan_string());
    assert_eq!(priced["status"], "可供");
    assert_eq!(priced["park"], "白银高新区");
    let unpriced = items.iter().find(|i| i["code"] == "BY-000").unwrap();
    assert!(unpriced["price_wan_per_mu"].is_null() && unpriced["park"].is_null());
}

async fn each_role_sees_public_parcels_and_its_scope(backend: Backend) {
    let (app, parcels) = seeded(backend).await;
    let query = "limit=1000";
    let public = |p: &ParcelData| p.status == "available";
    let baiyin = |p: &ParcelData| p.status == "available" || p.region_code.starts_with("6204");
    for (user, visible) in [
        (None, &public as &dyn Fn(&ParcelData) -> bool),
        (Some("investor1"), &public),
        (Some("baiyin"), &baiyin),
        (Some("admin1"), &|_: &ParcelData| true),
    ] {
        let cookie = match user {
            Some(user) => Some(app.sign_in(user).await),
            None => None,
        };
        let want = expected(&parcels, &Expect { visible: Some(visible), limit: 1000, ..Default::default() });
        same(&answer(&app, query, cookie.as_deref()).await, &want, &format!("{user:?}"));
    }
    // A visitor asking for parcels not on offer gets none, not an error.
    assert!(answer(&app, "status=已出让", None).await.is_empty());
    let baiyin = app.sign_in("baiyin").await;
    let sold = answer(&app, "status=已出让&limit=1000", Some(&baiyin)).await;
    assert!(!sold.is_empty() && sold.iter().all(|(code, _)| code.starts_with("BY-")), "{sold:?}");
}

async fn bad_parameters_answer_a_chinese_400(backend: Backend) {
    let (app, _) = seeded(backend).await;
    for (query, expected) in [
        ("limit=1001", "limit"),
        ("limit=0", "limit"),
        ("near=abc", "near"),
        ("near=200,10", "超出范围"),
        ("within_km=5", "near"),
        ("status=待售", "地块状态"),
        ("land_use=住宅", "用地性质"),
        ("region=62x", "地区"),
        ("min_area_mu=-3", "负数"),
        ("max_price=十万", "最高价格"),
    ] {
        let response = app.get(&format!("/api/v1/parcels?{}", encoded(query)), None).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let json = body_json(response).await;
        assert_eq!(json["error"], "bad_request", "{query}");
        assert!(json["message"].as_str().unwrap().contains(expected), "{query}: {json}");
    }
}

/// The demo's parcels (some 300 around seven parks), read from the store.
async fn demo_parcels(app: &TestApp) -> Vec<zhaoshang_store::parcels::Parcel> {
    let filter = zhaoshang_store::parcels::ParcelFilter::default();
    app.store().parcels_page(&filter, Default::default(), 10_000, 0).await.unwrap()
}

/// The codes of a page's table rows (`data-code`) inside the element of `id`.
fn row_codes(html: &str, id: &str) -> Vec<String> {
    let start = html.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("no #{id}"));
    let end = html[start..].find("</table>").map_or(html.len(), |e| start + e);
    html[start..end].split(r#"data-code=""#).skip(1).map(|rest| rest[..rest.find('"').unwrap()].to_string()).collect()
}

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> (StatusCode, String) {
    let response = app.get(&encoded(path), cookie).await;
    let status = response.status();
    (status, body_text(response).await)
}

async fn the_parcels_page_lists_and_maps_what_a_visitor_may_see(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let all = demo_parcels(&app).await;
    assert!(all.len() >= 300, "{}", all.len());
    let (status, html) = page(&app, "/parcels", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="parcel-map""#) && html.contains("maps/gansu") && html.contains("parcels."), "map");
    assert!(html.contains(r#"id="visitor-login""#), "a visitor is offered the sign-in");
    let listed = row_codes(&html, "parcels-table");
    let public: Vec<String> =
        all.iter().filter(|p| p.data.status == "available").map(|p| p.data.code.clone()).collect();
    assert_eq!(listed, public[..listed.len().min(public.len())].to_vec());
    assert_eq!(listed.len(), public.len().min(300));
    // The map data: every park with a position, every listed parcel with its outline.
    let map = json_block(&html, "parcel-map-data");
    assert_eq!(map["parcels"].as_array().unwrap().len(), listed.len());
    assert!(map["parks"].as_array().unwrap().iter().any(|p| p["name"] == "兰州新区"));
    for drawn in map["parcels"].as_array().unwrap() {
        let parcel = all.iter().find(|p| p.data.code == drawn["name"]).unwrap();
        let boundary = Boundary::parse(&parcel.data.boundary).unwrap();
        assert_eq!(drawn["rings"], serde_json::json!(boundary.outline(MAX_OUTLINE_VERTICES)), "{}", parcel.data.code);
    }

    // Filters: 工业 in 白银, nearest first to the park.
    let (status, html) = page(&app, "/parcels?region=620400&land_use=工业&near=104.21,36.56&within_km=20", None).await;
    assert_eq!(status, StatusCode::OK);
    let listed = row_codes(&html, "parcels-table");
    let centre = LonLat { lon: 104.21, lat: 36.56 };
    let mut expected: Vec<(f64, String)> = all
        .iter()
        .filter(|p| {
            p.data.status == "available" && p.data.region_code.starts_with("6204") && p.data.land_use == "industrial"
        })
        .map(|p| (distance_km(centre, LonLat { lon: p.data.lon, lat: p.data.lat }), p.data.code.clone()))
        .filter(|(d, _)| *d <= 20.0)
        .collect();
    expected.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert!(!expected.is_empty());
    assert_eq!(listed, expected.into_iter().map(|(_, c)| c).collect::<Vec<_>>());
    assert!(html.contains("距离(公里)"));

    // A signed-in region user also sees its own region's parcels under intent.
    let baiyin = app.sign_in_demo("baiyin").await;
    let (_, html) = page(&app, "/parcels?status=意向", Some(&baiyin)).await;
    let listed = row_codes(&html, "parcels-table");
    assert!(!listed.is_empty() && listed.iter().all(|c| c.starts_with("BYGX-")), "{listed:?}");
    assert!(html.contains(r#"class="active">在线选地</a>"#), "the navigation has the section");
    // Bad filters: a Chinese 400 page.
    let (status, html) = page(&app, "/parcels?max_area_mu=-5", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("负数"));
}

/// The JSON a page embeds in `<script type="application/json" id=ID>`.
fn json_block(html: &str, id: &str) -> serde_json::Value {
    let opening = format!(r#"id="{id}">"#);
    let start = html.find(&opening).unwrap() + opening.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

async fn a_parcel_card_shows_its_parks_infrastructure_and_hides_what_is_not_public(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let all = demo_parcels(&app).await;
    let public = all.iter().find(|p| p.data.status == "available" && p.data.code.starts_with("LZXQ")).unwrap();
    let (status, html) = page(&app, &format!("/parcels/{}", public.data.code), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("兰州新区") && html.contains("引大入秦供水 20万吨"),
        "the park's water line (a slash is escaped)"
    );
    assert!(html.contains(r#"data-utility="power""#) && html.contains("330千伏变电站"));
    assert!(!html.contains(r#"id="parcel-history""#), "a visitor reads no history");
    let map = json_block(&html, "parcel-card-map-data");
    let boundary = Boundary::parse(&public.data.boundary).unwrap();
    assert_eq!(map["rings"], serde_json::json!(boundary.rings()), "the card's map draws the whole boundary");
    assert_eq!(map["point"], serde_json::json!([public.data.lon, public.data.lat]));
    let hidden = all.iter().find(|p| p.data.status == "intended" && p.data.region_code == "620400").unwrap();
    let path = format!("/parcels/{}", hidden.data.code);
    assert_eq!(page(&app, &path, None).await.0, StatusCode::NOT_FOUND);
    let investor = app.sign_in_demo("investor").await;
    assert_eq!(page(&app, &path, Some(&investor)).await.0, StatusCode::NOT_FOUND);
    let tianshui = app.sign_in_demo("tianshui").await;
    assert_eq!(page(&app, &path, Some(&tianshui)).await.0, StatusCode::NOT_FOUND, "another region's");
    let baiyin = app.sign_in_demo("baiyin").await;
    let (status, html) = page(&app, &path, Some(&baiyin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="parcel-history""#) && html.contains("意向"), "its own region's history");
    assert_eq!(page(&app, "/parcels/NO-SUCH", None).await.0, StatusCode::NOT_FOUND);
}

async fn up_to_four_parcels_compare_side_by_side(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let all = demo_parcels(&app).await;
    let public: Vec<&str> = all.iter().filter(|p| p.data.status == "available").map(|p| p.data.code.as_str()).collect();
    let first = all.iter().find(|p| p.data.code == public[0]).unwrap();
    let (status, html) = page(&app, &format!("/parcels/compare?codes={},{}", public[0], public[60]), None).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(r#"id="compare-table""#) && html.contains(public[0]) && html.contains(public[60]));
    assert!(html.contains(&format!(r#"<td class="num">{}"#, first.data.area_mu)), "areas side by side");
    assert!(html.contains("水") && html.contains("已具备"), "the parks' utilities");
    // The list page's checkboxes send `codes` once for each.
    let (status, html) = page(&app, &format!("/parcels/compare?codes={}&codes={}", public[1], public[2]), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("<th><a href=\"/parcels/").count(), 2, "two columns");
    let five = public[..5].join(",");
    let (status, html) = page(&app, &format!("/parcels/compare?codes={five}"), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("最多同时比较 4 个地块"), "{html}");
    let (status, html) = page(&app, &format!("/parcels/compare?codes={}", public[0]), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("2 至 4"));
}

async fn a_park_page_shows_its_readiness_price_and_contacts(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let park = app.store().parks("6204").await.unwrap().remove(0);
    let (status, html) = page(&app, &format!("/parks/{}", park.id), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&park.name) && html.contains(&park.level) && html.contains("白银市"));
    assert!(html.contains(&park.site.contacts) && html.contains(&park.leading_industries));
    assert!(html.contains("万元/亩"), "the price range");
    for label in ["水", "电", "路", "网", "气", "暖", "讯"] {
        assert!(html.contains(&format!("<td>{label}</td>")), "{label}");
    }
    assert!(html.contains(r#"id="park-parcels""#) && html.contains("BYGX-"), "its parcels");
    assert_eq!(page(&app, "/parks/999999", None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(page(&app, "/parks/abc", None).await.0, StatusCode::NOT_FOUND);
}

async fn the_fit_score_ranks_parcels_with_its_parts_shown(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let (status, html) =
        page(&app, "/parcels?need_area_mu=200&need_land_use=工业&need_power=1&need_rail=1&need_budget_wan=3000&need_industry=新材料", None)
            .await;
    assert_eq!(status, StatusCode::OK);
    let ranked = row_codes(&html, "fit-table");
    assert_eq!(ranked.len(), 20);
    let table = &html[html.find(r#"id="fit-table""#).unwrap()..];
    let scores: Vec<f64> = table
        .split(r#"<td class="num fit-score">"#)
        .skip(1)
        .map(|rest| rest[..rest.find('<').unwrap()].parse().unwrap())
        .collect();
    assert_eq!(scores.len(), 20);
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    for part in ["area", "land_use", "power", "rail", "budget", "industry"] {
        assert!(table.contains(&format!(r#"data-part="{part}""#)), "{part} shown");
    }
    assert!(!table.contains(r#"data-part="water""#), "not asked for");
    // Only public parcels for a visitor.
    let all = demo_parcels(&app).await;
    for code in &ranked {
        assert_eq!(all.iter().find(|p| &p.data.code == code).unwrap().data.status, "available");
    }
    let (status, html) = page(&app, "/parcels?need_area_mu=abc", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("需求面积"));
}

async fn names_are_escaped_in_pages_and_map_data(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let hostile = "<img src=x onerror=alert(1)>园区";
    let park = Park {
        id: 0,
        name: hostile.into(),
        region_code: "620400".into(),
        level: "省级".into(),
        leading_industries: "<b>新材料</b>".into(),
        area_mu: None,
        description: String::new(),
        site: ParkSite {
            lon: Some(104.3),
            lat: Some(36.6),
            infrastructure: r#"{"water":{"readiness":"ready","capacity":"<script>x()</script>"}}"#.into(),
            ..Default::default()
        },
    };
    let park = app.store().save_park(&park, None, &Actor::system("测试")).await.unwrap();
    let parcel = ParcelData {
        code: "X-<i>1</i>".into(),
        park_id: Some(park.id),
        region_code: "620400".into(),
        land_use: "industrial".into(),
        area_mu: 10.0,
        price_per_mu: None,
        status: "available".into(),
        plot_ratio: None,
        lon: 104.3,
        lat: 36.6,
        boundary: String::new(),
    };
    let today = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
    app.store().upsert_parcels(&[parcel], &Actor::system("测试"), today).await.unwrap();
    for path in
        ["/parcels?region=620400".to_string(), format!("/parks/{}", park.id), "/parcels/X-%3Ci%3E1%3C%2Fi%3E".into()]
    {
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = body_text(response).await;
        for raw in ["<img src=x", "<i>1</i>", "<script>x()", "<b>新材料"] {
            assert!(!html.contains(raw), "{path}: {raw} unescaped");
        }
    }
    // The map's script escapes every field it puts into a tooltip.
    let script = body_text(app.get("/assets/parcels.js", None).await).await;
    for field in ["d.name", "d.level", "d.region", "d.park", "d.land_use", "d.area_mu", "d.price", "d.status"] {
        assert!(script.contains(&format!("escapeHtml({field})")), "{field}");
    }
}

/// The vertices of a stored boundary, in order.
fn vertices(boundary: &str) -> Vec<[f64; 2]> {
    Boundary::parse(boundary).unwrap().rings().into_iter().flatten().flatten().collect()
}

async fn a_region_user_moves_its_parcel_on_the_map_and_the_boundary_follows(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let all = demo_parcels(&app).await;
    let parcel = all.iter().find(|p| p.data.region_code.starts_with("6204") && p.data.status == "available").unwrap();
    let code = &parcel.data.code;
    let path = format!("/parcels/{code}/position");
    let baiyin = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let (_, html) = page(&app, &format!("/parcels/{code}"), Some(&baiyin)).await;
    assert!(
        html.contains(r#"id="position-form""#) && html.contains("在地图上调整位置"),
        "its region's user may move it"
    );

    // Refused: coordinates outside the province or unreadable, another region's user, an
    // investor, a visitor (sent to sign in); nothing changes (signing in is audited: first).
    let others = [
        (app.sign_in_demo("tianshui").await, StatusCode::FORBIDDEN),
        (app.sign_in_demo("investor").await, StatusCode::FORBIDDEN),
    ];
    let before = store.change_stamp().await.unwrap();
    for (lon, lat, message) in
        [("116.40", "39.90", "不在甘肃省范围内"), ("36.5", "104.2", "超出范围"), ("东经", "36.5", "不是有效的数字")]
    {
        let response = app.post_form(&path, &baiyin, &format!("csrf={csrf}&lon={}&lat={lat}", encoded(lon))).await;
        let status = response.status();
        let text = body_text(response).await;
        assert!(status.is_client_error() && text.contains(message), "{lon},{lat}: {status} {text}");
    }
    for (cookie, expected) in &others {
        let form = format!("csrf={}&lon=104.2&lat=36.5", app.csrf(cookie).await);
        assert_eq!(app.post_form(&path, cookie, &form).await.status(), *expected);
        let (_, html) = page(&app, &format!("/parcels/{code}"), Some(cookie)).await;
        assert!(!html.contains(r#"id="position-form""#), "only those who may move it are offered the move");
    }
    let forged = app.post_form(&path, &baiyin, "csrf=forged&lon=104.2&lat=36.5").await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a form without the session's token");
    let visitor = app.send(
        axum::http::Request::post(&path)
            .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::from("lon=104.2&lat=36.5"))
            .unwrap(),
    );
    assert_eq!(visitor.await.status(), StatusCode::SEE_OTHER, "a visitor is sent to sign in");
    assert_eq!(store.change_stamp().await.unwrap(), before, "nothing changed");

    // Moved: the point, and the boundary by the same offset; audited; the card shows it.
    let (lon, lat) = (parcel.data.lon + 0.0125, parcel.data.lat - 0.004);
    let response = app.post_form(&path, &baiyin, &format!("csrf={csrf}&lon={lon}&lat={lat}")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], format!("/parcels/{code}").as_str());
    let moved = store.parcel_by_code(code).await.unwrap().unwrap();
    assert_eq!((moved.data.lon, moved.data.lat), (lon, lat));
    let (old, new) = (vertices(&parcel.data.boundary), vertices(&moved.data.boundary));
    assert_eq!(old.len(), new.len());
    for (a, b) in old.iter().zip(&new) {
        assert!((b[0] - a[0] - 0.0125).abs() < 1e-9 && (b[1] - a[1] + 0.004).abs() < 1e-9, "{a:?} → {b:?}");
    }
    assert!(moved.data.boundary.starts_with('{'), "stored as GeoJSON");
    assert_eq!(ParcelData { lon, lat, boundary: moved.data.boundary.clone(), ..parcel.data.clone() }, moved.data);
    let audit = zhaoshang_store::AuditFilter {
        entity: Some("parcel".into()),
        record: Some(code.clone()),
        actor: Some("baiyin".into()),
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    let (entries, _) = store.audit_entries(&audit).await.unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let before_json: ParcelData = serde_json::from_str(entries[0].before_json.as_deref().unwrap()).unwrap();
    let after_json: ParcelData = serde_json::from_str(entries[0].after_json.as_deref().unwrap()).unwrap();
    assert_eq!((before_json, after_json), (parcel.data.clone(), moved.data.clone()));
    let (_, html) = page(&app, &format!("/parcels/{code}"), Some(&baiyin)).await;
    assert!(html.contains(&format!(r#"id="parcel-position">{lon}, {lat}<"#)), "the card shows the new position");
    // The same point again changes nothing more.
    let stamp = store.change_stamp().await.unwrap();
    let again = app.post_form(&path, &baiyin, &format!("csrf={csrf}&lon={lon}&lat={lat}")).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(store.change_stamp().await.unwrap(), stamp);
    // The province's staff move any region's parcel; a hidden one of another region is
    // unknown to a region user.
    let tianshui = all.iter().find(|p| p.data.region_code.starts_with("6205") && p.data.status == "intended").unwrap();
    let admin = app.sign_in_demo("admin").await;
    let form = format!("csrf={}&lon={}&lat={}", app.csrf(&admin).await, tianshui.data.lon, tianshui.data.lat + 0.001);
    let path = format!("/parcels/{}/position", tianshui.data.code);
    assert_eq!(app.post_form(&path, &admin, &form).await.status(), StatusCode::SEE_OTHER);
    let form = format!("csrf={csrf}&lon={}&lat={}", tianshui.data.lon, tianshui.data.lat);
    assert_eq!(app.post_form(&path, &baiyin, &form).await.status(), StatusCode::NOT_FOUND);
}

/// A park form as a browser posts it, with the session's token.
fn park_form(csrf: &str, fields: &[(&str, &str)]) -> String {
    let mut pairs = vec![("csrf", csrf)];
    pairs.extend_from_slice(fields);
    serde_urlencoded::to_string(pairs).unwrap()
}

async fn demo_park(app: &TestApp, name: &str) -> Park {
    app.store().parks("").await.unwrap().into_iter().find(|p| p.name == name).unwrap()
}

async fn park_audit(app: &TestApp, id: i64, actor: &str) -> Vec<zhaoshang_store::AuditEntry> {
    let filter = zhaoshang_store::AuditFilter {
        entity: Some("park".into()),
        record: Some(id.to_string()),
        actor: Some(actor.into()),
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    app.store().audit_entries(&filter).await.unwrap().0
}

async fn a_region_user_keeps_its_parks_through_the_form(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let baiyin = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let chain = store.chain_by_name("白银市稀土产业链").await.unwrap().unwrap();
    let other_chain = store.chain_by_name("白银市新材料产业链").await.unwrap().unwrap();

    // The form offers the user's own regions only, the stored chains and the seven lines.
    let (status, html) = page(&app, "/parks/new", Some(&baiyin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<option value="620402""#) && !html.contains(r#"<option value="620502""#));
    assert!(html.contains(&format!(r#"name="chain" value="{}""#, chain.id)));
    for utility in ["water", "power", "road", "network", "gas", "heat", "telecom"] {
        assert!(html.contains(&format!(r#"name="{utility}_readiness""#)), "{utility}");
    }

    let hostile = "<script>alert(1)</script>稀土园";
    let chain_id = chain.id.to_string();
    let fields = [
        ("name", hostile),
        ("region_code", "620402"),
        ("level", "省级开发区"),
        ("leading_industries", "稀土功能材料"),
        ("chain", chain_id.as_str()),
        ("area_mu", "30000"),
        ("built_area_mu", "12000"),
        ("lon", "104.18"),
        ("lat", "36.56"),
        ("power_readiness", "ready"),
        ("power_capacity", "110千伏 2×50兆伏安"),
        ("water_readiness", "planned"),
        ("water_capacity", "2万吨/日"),
        ("road_readiness", "ready"),
        ("road_capacity", "铁路专用线"),
        ("energy_quota_tce", "240000"),
        ("energy_quota_note", "含可再生能源 5 万吨"),
        ("price_min_wan", "8"),
        ("price_max_wan", "12.5"),
        ("policies", "稀土项目用地优先保障"),
        ("contacts", "招商局 0943-0000009"),
    ];

    // Refused, nothing changed: bad input (422 in Chinese, the values typed kept), a
    // forged token, a region outside the user's, a visitor, an investor (signed in
    // first: signing in is audited).
    let investor = app.sign_in_demo("investor").await;
    let investor_csrf = app.csrf(&investor).await;
    let before = store.change_stamp().await.unwrap();
    let mut bad = fields.to_vec();
    bad.retain(|(key, _)| !["level", "area_mu", "price_max_wan"].contains(key));
    bad.extend([("level", "特级"), ("area_mu", "三万"), ("price_max_wan", "7")]);
    let response = app.post_form("/parks/new", &baiyin, &park_form(&csrf, &bad)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body_text(response).await;
    for message in [
        "园区级别“特级”无效",
        "规划面积“三万”无效，应为不小于 0 的整数（亩）",
        "地价下限（8.00 万元/亩）不能高于上限（7.00 万元/亩）",
    ] {
        // The page escapes '/' as HTML does.
        assert!(html.contains(&message.replace('/', "&#x2f;")), "{message}");
    }
    assert!(html.contains(r#"value="110千伏 2×50兆伏安""#), "what was typed comes back");
    assert!(!html.contains("<script>alert(1)"), "the name typed is escaped");
    let forged = app.post_form("/parks/new", &baiyin, &park_form("forged", &fields)).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let mut elsewhere = fields.to_vec();
    elsewhere[1] = ("region_code", "620502");
    let response = app.post_form("/parks/new", &baiyin, &park_form(&csrf, &elsewhere)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "a park placed outside the user's region");
    let visitor = app.send(
        axum::http::Request::post("/parks/new")
            .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(park_form("", &fields)))
            .unwrap(),
    );
    assert_eq!(visitor.await.status(), StatusCode::SEE_OTHER, "a visitor is sent to sign in");
    let form = park_form(&investor_csrf, &fields);
    assert_eq!(app.post_form("/parks/new", &investor, &form).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), before, "nothing changed");

    // Created: every field stored, the chain linked, audited; the page shows it escaped.
    let response = app.post_form("/parks/new", &baiyin, &park_form(&csrf, &fields)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let park = demo_park(&app, hostile).await;
    assert_eq!(response.headers()["location"], format!("/parks/{}", park.id).as_str());
    assert_eq!((park.region_code.as_str(), park.level.as_str(), park.area_mu), ("620402", "省级开发区", Some(30000)));
    assert_eq!(park.site.built_area_mu, Some(12000));
    assert_eq!((park.site.lon, park.site.lat), (Some(104.18), Some(36.56)));
    assert_eq!(
        (park.site.energy_quota_tce, park.site.energy_quota_note.as_str()),
        (Some(240_000), "含可再生能源 5 万吨")
    );
    assert_eq!((park.site.land_price_min, park.site.land_price_max), (Some(80_000), Some(125_000)));
    let lines = zhaoshang_core::parcels::infrastructure_lines(&park.site.infrastructure);
    assert_eq!((lines[1].readiness, lines[1].capacity.as_str()), (Some("ready"), "110千伏 2×50兆伏安"));
    assert_eq!((lines[0].readiness, lines[0].capacity.as_str()), (Some("planned"), "2万吨/日"));
    assert_eq!(lines[3].readiness, None, "网 left 未填报");
    let linked: Vec<i64> = store.park_chains(Some(park.id)).await.unwrap().iter().map(|c| c.chain_id).collect();
    assert_eq!(linked, vec![chain.id]);
    let entries = park_audit(&app, park.id, "baiyin").await;
    assert_eq!(entries.len(), 1);
    let after: serde_json::Value = serde_json::from_str(entries[0].after_json.as_deref().unwrap()).unwrap();
    assert_eq!(
        (after["energy_quota_tce"].clone(), after["chain_ids"].clone()),
        (240_000.into(), serde_json::json!([chain.id]))
    );
    let (status, html) = page(&app, &format!("/parks/{}", park.id), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>alert(1)") && html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;稀土园"));
    assert!(html.contains("240000 吨标准煤/年（含可再生能源 5 万吨）") && html.contains("白银市稀土产业链"));
    assert!(!html.contains(r#"id="park-edit""#), "a visitor is offered no edit");
    let (_, html) = page(&app, &format!("/parks/{}", park.id), Some(&baiyin)).await;
    assert!(html.contains(&format!(r#"href="/parks/{}/edit""#, park.id)));
    let (_, html) = page(&app, &format!("/portal/parks/{}?lang=en", park.id), None).await;
    assert!(html.contains("Energy-use quota") && html.contains("240000 t of standard coal equivalent per year"));
    assert!(html.contains("Industrial chains") && html.contains("白银市稀土产业链"));
    assert!(!html.contains("<script>alert(1)"));

    // Changed: the form shows the stored values; the quota and the chains change, audited
    // with what was before.
    let edit = format!("/parks/{}/edit", park.id);
    let (status, html) = page(&app, &edit, Some(&baiyin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"name="energy_quota_tce" value="240000""#));
    assert!(html.contains(&format!(r#"name="chain" value="{}" checked"#, chain.id)));
    let other_id = other_chain.id.to_string();
    let mut changed = fields.to_vec();
    changed.retain(|(key, _)| !["energy_quota_tce", "chain"].contains(key));
    changed.extend([("energy_quota_tce", "180000"), ("chain", other_id.as_str())]);
    assert_eq!(app.post_form(&edit, &baiyin, &park_form(&csrf, &changed)).await.status(), StatusCode::SEE_OTHER);
    let stored = demo_park(&app, hostile).await;
    assert_eq!(stored.site.energy_quota_tce, Some(180_000));
    assert_eq!(stored.site.infrastructure, park.site.infrastructure, "the rest kept");
    let linked: Vec<i64> = store.park_chains(Some(park.id)).await.unwrap().iter().map(|c| c.chain_id).collect();
    assert_eq!(linked, vec![other_chain.id]);
    let entries = park_audit(&app, park.id, "baiyin").await;
    assert_eq!(entries.len(), 2);
    let before_json: serde_json::Value = serde_json::from_str(entries[0].before_json.as_deref().unwrap()).unwrap();
    assert_eq!(before_json["chain_ids"], serde_json::json!([chain.id]), "newest first: the change");

    // Another region's park: neither its form nor a change (nothing changed); the
    // administrator changes it.
    let tianshui = demo_park(&app, "天水经济技术开发区").await;
    let edit = format!("/parks/{}/edit", tianshui.id);
    assert_eq!(page(&app, &edit, Some(&baiyin)).await.0, StatusCode::FORBIDDEN);
    let stamp = store.change_stamp().await.unwrap();
    let mut theirs = fields.to_vec();
    theirs[0] = ("name", "天水经济技术开发区");
    theirs[1] = ("region_code", "620500");
    assert_eq!(app.post_form(&edit, &baiyin, &park_form(&csrf, &theirs)).await.status(), StatusCode::FORBIDDEN);
    theirs[1] = ("region_code", "620402");
    assert_eq!(app.post_form(&edit, &baiyin, &park_form(&csrf, &theirs)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(store.change_stamp().await.unwrap(), stamp, "nothing changed");
    assert_eq!(demo_park(&app, "天水经济技术开发区").await.region_code, "620500");
    let admin = app.sign_in_demo("admin").await;
    theirs[1] = ("region_code", "620500");
    let response = app.post_form(&edit, &admin, &park_form(&app.csrf(&admin).await, &theirs)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(demo_park(&app, "天水经济技术开发区").await.site.energy_quota_tce, Some(240_000));
    // A name taken is a problem of the form, not a failure.
    let mut taken = fields.to_vec();
    taken[0] = ("name", "白银高新技术产业开发区");
    let response = app.post_form("/parks/new", &baiyin, &park_form(&csrf, &taken)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(response).await.contains("园区“白银高新技术产业开发区”已存在"));
}

async fn park_photos_show_on_the_staff_and_portal_pages(backend: Backend) {
    use zhaoshang_core::attachments::{sample_pdf, sample_png};
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let park = demo_park(&app, "白银高新技术产业开发区").await;
    let baiyin = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let uri = format!("/parks/{}/attachments", park.id);
    let (png, pdf) = (sample_png(), sample_pdf("park"));
    let files: [(&str, &[u8]); 2] = [("<b>厂区</b>.png", &png), ("园区介绍.pdf", &pdf)];
    // Another region's user may not add files to the park.
    let tianshui = app.sign_in_demo("tianshui").await;
    let theirs = multipart_request(&uri, Some(&tianshui), &[("csrf", &app.csrf(&tianshui).await)], &files);
    assert_eq!(app.send(theirs).await.status(), StatusCode::FORBIDDEN);
    let response = app.send(multipart_request(&uri, Some(&baiyin), &[("csrf", &csrf)], &files)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], format!("/parks/{}#attachments", park.id).as_str());
    let stored =
        store.attachments_of(zhaoshang_core::attachments::OwnerKind::Park, &park.id.to_string()).await.unwrap();
    let photo = stored.iter().find(|a| a.content_type == "image/png").unwrap().id;
    let document = stored.iter().find(|a| a.content_type == "application/pdf").unwrap().id;
    let photo_url = format!("/portal/parks/{}/photos/{photo}", park.id);

    // The portal shows the photo, not the PDF, its name escaped, in both languages.
    for path in [format!("/portal/parks/{}", park.id), format!("/portal/parks/{}?lang=en", park.id)] {
        let (status, html) = page(&app, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&format!(r#"<img src="{photo_url}""#)), "{path}");
        assert!(!html.contains(&format!("/photos/{document}")) && !html.contains("<b>厂区"), "{path}");
    }
    // Served to anybody as the image it is; anything else of the park, or the photo
    // under another park, is not found.
    let response = app.get(&photo_url, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("inline"));
    assert_eq!(body_bytes(response).await, png);
    let tianshui_park = demo_park(&app, "天水经济技术开发区").await;
    for path in [
        format!("/portal/parks/{}/photos/{document}", park.id),
        format!("/portal/parks/{}/photos/{photo}", tianshui_park.id),
        format!("/portal/parks/{}/photos/abc", park.id),
    ] {
        assert_eq!(app.get(&path, None).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // The staff page shows it too; its writers get the files' list with removal.
    let (_, html) = page(&app, &format!("/parks/{}", park.id), Some(&tianshui)).await;
    assert!(html.contains(&format!(r#"<img src="{photo_url}""#)) && !html.contains(r#"id="attachment-form""#));
    let (_, html) = page(&app, &format!("/parks/{}", park.id), Some(&baiyin)).await;
    assert!(html.contains(r#"id="attachment-form""#) && html.contains("园区介绍.pdf"));
    // The parcel card shows the park's quota beside its infrastructure.
    let parcel = demo_parcels(&app).await.into_iter().find(|p| p.data.park_id == Some(park.id)).unwrap();
    let (_, html) = page(&app, &format!("/parcels/{}", parcel.data.code), Some(&baiyin)).await;
    assert!(html.contains(r#"id="park-energy-quota">240000 吨标准煤/年"#), "the demo park's quota");
    // Removed by its writer: gone from the portal.
    let form = format!("csrf={csrf}");
    let response = app.post_form(&format!("/attachments/{photo}/delete"), &baiyin, &form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &format!("/portal/parks/{}", park.id), None).await;
    assert!(!html.contains(&photo_url));
    assert_eq!(app.get(&photo_url, None).await.status(), StatusCode::NOT_FOUND);
}
