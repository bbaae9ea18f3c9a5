//! Land parcels (在线选地) on both backends: the import's rules (every bad cell listed,
//! nothing written), the area check against the boundary, the status flow with its
//! history, scope, export that imports back unchanged, and backup/restore.

use zhaoshang_app::exchange::{
    export_table, import_bytes, import_bytes_in_scope, write_table, ImportKind, ImportScope, TableFormat,
};
use zhaoshang_app::parcels::{parcel_visibility, search_parcels};
use zhaoshang_core::parcels::{polygon_geojson, square_around, LonLat, Search};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::reference::{Park, ParkSite};
use zhaoshang_store::{Actor, AuditFilter, Store};
use zhaoshang_testkit::on_both_backends;

on_both_backends!(
    app: rows_are_checked_and_nothing_is_written_when_one_is_bad,
    statuses_move_by_the_flow_and_are_kept_in_history,
    region_users_import_only_their_regions_parcels,
    an_export_imports_back_unchanged_and_backups_keep_parcels,
    the_position_index_follows_moved_parcels_and_restores,
);

const HEADER: &str = "地块编号,所属园区,所属地区,用地性质,面积(亩),价格(万元/亩),状态,容积率,经度,纬度,边界";

async fn import(store: &Store, rows: &str) -> zhaoshang_app::exchange::ImportReport {
    let csv = format!("{HEADER}\n{rows}");
    import_bytes(store, ImportKind::Parcels, "p.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap()
}

async fn parks(store: &Store) {
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
        store.save_park(&park, None, &Actor::system("测试")).await.unwrap();
    }
}

/// A CSV cell quoted (boundaries hold commas and quotes).
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

async fn rows_are_checked_and_nothing_is_written_when_one_is_bad(store: &Store) {
    parks(store).await;
    // 200 m × 200 m = 60 亩.
    let square = quoted(&polygon_geojson(&square_around(LonLat { lon: 104.2, lat: 36.55 }, 200.0, 0.0)));
    let report = import(
        store,
        &format!(
            "BY-001,白银高新区,,工业,60,12.5,可供,1.2,104.2,36.55,{square}\n\
             BY-002,不存在园区,620400,住宅,-3,-1,待售,-0.5,36.5,104.2,POINT(1 2)\n\
             BY-003,白银高新区,620500,工业,10,,可供,,104.1,,\n\
             BY-004,,,工业,10,1,可供,,,,\n\
             BY-001,白银高新区,,工业,60,12.5,可供,,104.2,36.55,\n"
        ),
    )
    .await;
    let cells: Vec<(usize, &str)> = report.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
    assert_eq!(
        cells,
        [
            (3, "所属园区"),
            (3, "用地性质"),
            (3, "面积(亩)"),
            (3, "价格(万元/亩)"),
            (3, "状态"),
            (3, "容积率"),
            (3, "边界"),
            (3, "经度"),
            (3, "纬度"),
            (4, "所属地区"),
            (4, "纬度"),
            (5, "所属地区"),
            (5, "经度"),
            (6, "地块编号"),
        ],
        "{:#?}",
        report.problems
    );
    assert!(report.problems.iter().all(|p| !p.message.is_empty()));
    assert!(report.problems[0].message.contains("不在园区名录中"));
    assert!(report.problems.iter().any(|p| p.message.contains("与园区“白银高新区”所在地区 620400 不一致")));
    assert!(!report.applied);
    assert!(store.parcels_by_codes(&["BY-001".into()]).await.unwrap().is_empty(), "all or nothing");

    // The good row alone; a declared area 20 % off its boundary is a warning, not a refusal.
    let off = import(store, &format!("BY-001,白银高新区,,工业,72,12.5,可供,1.2,,,{square}\n")).await;
    assert!(off.is_ok(), "{:?}", off.problems);
    assert_eq!(off.created, 1);
    assert!(off.warnings.iter().any(|w| w.contains("面积(亩)") && w.contains("20.0%")), "{:?}", off.warnings);
    let stored = store.parcel_by_code("BY-001").await.unwrap().unwrap();
    assert_eq!(stored.data.region_code, "620400", "the park's region when none is given");
    assert_eq!(stored.data.price_per_mu, Some(125_000), "12.5 万元/亩 exactly");
    assert!((stored.data.lon - 104.2).abs() < 1e-6 && (stored.data.lat - 36.55).abs() < 1e-6, "the boundary's centre");
    assert_eq!(stored.park_name.as_deref(), Some("白银高新区"));
    let fine = import(store, &format!("BY-001,白银高新区,,工业,60,12.5,可供,1.2,,,{square}\n")).await;
    assert!(fine.warnings.is_empty(), "{:?}", fine.warnings);

    // A dry run checks and writes nothing.
    let csv = format!("{HEADER}\nBY-009,白银高新区,,仓储,30,8,可供,,104.3,36.6,\n");
    let dry =
        import_bytes(store, ImportKind::Parcels, "p.csv", csv.as_bytes(), true, &Actor::system("测试")).await.unwrap();
    assert!(dry.is_ok() && dry.created == 1 && !dry.applied);
    assert!(store.parcel_by_code("BY-009").await.unwrap().is_none());
}

async fn statuses_move_by_the_flow_and_are_kept_in_history(store: &Store) {
    parks(store).await;
    let row = |status: &str| format!("TS-001,天水经开区,,工业,100,20,{status},,105.8,34.55,\n");
    assert!(import(store, &row("可供")).await.is_ok());
    assert!(import(store, &row("意向")).await.is_ok());
    assert_eq!(import(store, &row("意向")).await.unchanged, 1);
    assert!(import(store, &row("已出让")).await.is_ok());
    let back = import(store, &row("可供")).await;
    assert_eq!(back.problems.len(), 1);
    assert_eq!(back.problems[0].column, "状态");
    assert!(back.problems[0].message.contains("已出让"), "{}", back.problems[0].message);

    let parcel = store.parcel_by_code("TS-001").await.unwrap().unwrap();
    assert_eq!(parcel.data.status, "transferred");
    let history = store.parcel_history(parcel.id).await.unwrap();
    let steps: Vec<(&str, &str)> =
        history.iter().map(|change| (change.from_status.as_str(), change.to_status.as_str())).collect();
    assert_eq!(steps, [("", "available"), ("available", "intended"), ("intended", "transferred")]);
    assert!(history.iter().all(|change| change.actor_name == "测试"));
    assert_eq!(history[0].changed_on, zhaoshang_app::calendar::today());

    let filter = AuditFilter { entity: Some("parcel".into()), page: 1, per_page: 50, ..Default::default() };
    let (audit, _) = store.audit_entries(&filter).await.unwrap();
    assert_eq!(audit.len(), 3, "each write audited once; the unchanged row is not");
}

async fn region_users_import_only_their_regions_parcels(store: &Store) {
    parks(store).await;
    assert!(import(store, "TS-001,天水经开区,,工业,100,20,可供,,105.8,34.55,\n").await.is_ok());
    let baiyin = ImportScope::Within(RegionCode::parse("620400").unwrap());
    let csv = format!(
        "{HEADER}\nBY-001,白银高新区,620402,工业,60,12,可供,,104.2,36.55,\nTS-001,天水经开区,,工业,90,20,可供,,105.8,34.55,\n"
    );
    let report = import_bytes_in_scope(
        store,
        ImportKind::Parcels,
        "p.csv",
        csv.as_bytes(),
        false,
        &Actor::system("白银"),
        &baiyin,
    )
    .await
    .unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert_eq!((report.problems[0].row, report.problems[0].column.as_str()), (3, "地块编号"));
    assert!(report.problems[0].message.contains("无权修改"));
    assert!(store.parcel_by_code("BY-001").await.unwrap().is_none());
}

async fn an_export_imports_back_unchanged_and_backups_keep_parcels(store: &Store) {
    parks(store).await;
    let wkt = quoted("POLYGON((104.20 36.55, 104.201 36.55, 104.201 36.551, 104.20 36.551, 104.20 36.55))");
    let report = import(
        store,
        &format!(
            "BY-001,白银高新区,620402,工业,99.5,12.3456,可供,1.25,104.2,36.55,{wkt}\n\
             BY-002,,620400,商业,0.3,,意向,,104.123456789,36.987654321,\n\
             TS-001,天水经开区,天水市,综合,1000,0,已出让,2,105.8,34.55,\n"
        ),
    )
    .await;
    assert!(report.is_ok(), "{:?}", report.problems);
    let table = export_table(store, ImportKind::Parcels, &ProjectFilter::default()).await.unwrap();
    assert_eq!(table.headers.join(","), HEADER);
    assert_eq!(table.rows.len(), 3);
    assert_eq!(table.rows[0][..8], ["BY-001", "白银高新区", "620402", "工业", "99.5", "12.3456", "可供", "1.25"]);
    assert_eq!(table.rows[1][4..10], ["0.3", "", "意向", "", "104.123456789", "36.987654321"]);
    for format in [TableFormat::Csv, TableFormat::Xlsx] {
        let bytes = write_table(&table, format).unwrap();
        let name = if format == TableFormat::Csv { "e.csv" } else { "e.xlsx" };
        let back = import_bytes(store, ImportKind::Parcels, name, &bytes, false, &Actor::system("测试")).await.unwrap();
        assert!(back.is_ok(), "{:?}", back.problems);
        assert_eq!((back.created, back.updated, back.unchanged), (0, 0, 3), "{name}");
    }
    // A region's export holds its own parcels.
    let baiyin = ProjectFilter { region_prefix: "6204".into(), ..Default::default() };
    assert_eq!(export_table(store, ImportKind::Parcels, &baiyin).await.unwrap().rows.len(), 2);

    let (backup, _) = store.backup_to(Vec::new()).await.unwrap();
    assert_eq!(store.missing_from_backup().await.unwrap(), Vec::<String>::new());
    let before = store.parcel_by_code("BY-001").await.unwrap().unwrap();
    let history = store.parcel_history(before.id).await.unwrap();
    import(store, "BY-001,白银高新区,620402,工业,99.5,12.3456,意向,1.25,104.2,36.55,\n").await;
    store.restore_from(&backup[..], &Actor::system("测试")).await.unwrap();
    let restored = store.parcel_by_code("BY-001").await.unwrap().unwrap();
    assert_eq!(restored, before);
    assert_eq!(store.parcel_history(restored.id).await.unwrap(), history);
    let park = store.parks("6204").await.unwrap().remove(0);
    assert_eq!(park.site.lon, Some(104.2), "the parks' new columns are kept");
}

/// The codes a visitor's `near` search finds within `km` of a point, nearest first.
async fn codes_near(store: &Store, lon: f64, lat: f64, km: f64) -> Vec<String> {
    let search = Search { near: Some(LonLat { lon, lat }), within_km: Some(km), ..Default::default() };
    let hits = search_parcels(store, parcel_visibility(None), &search, 100).await.unwrap();
    hits.into_iter().map(|hit| hit.code).collect()
}

async fn the_position_index_follows_moved_parcels_and_restores(store: &Store) {
    let report = import(
        store,
        "MV-001,,620400,工业,10,1,可供,,104.2,36.55,\n\
         MV-002,,620400,工业,10,1,可供,,104.25,36.55,\n\
         MV-003,,620500,工业,10,1,可供,,105.8,34.55,\n",
    )
    .await;
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(codes_near(store, 104.2, 36.55, 10.0).await, ["MV-001", "MV-002"]);
    assert_eq!(codes_near(store, 105.8, 34.55, 10.0).await, ["MV-003"]);

    // Moved to 天水 by a new import: found there, no longer in 白银.
    let moved = import(store, "MV-001,,620500,工业,10,1,可供,,105.81,34.55,\n").await;
    assert_eq!(moved.updated, 1, "{:?}", moved.problems);
    assert_eq!(codes_near(store, 104.2, 36.55, 10.0).await, ["MV-002"]);
    assert_eq!(codes_near(store, 105.8, 34.55, 10.0).await, ["MV-003", "MV-001"]);

    // A restore empties and refills the parcels; the index follows both ways.
    let (backup, _) = store.backup_to(Vec::new()).await.unwrap();
    import(store, "MV-004,,620500,工业,10,1,可供,,105.8,34.56,\n").await;
    store.restore_from(&backup[..], &Actor::system("测试")).await.unwrap();
    assert_eq!(codes_near(store, 105.8, 34.55, 10.0).await, ["MV-003", "MV-001"]);
    assert_eq!(codes_near(store, 104.2, 36.55, 10.0).await, ["MV-002"]);
}
