//! `zhaoshang import appeals` and `zhaoshang stats appeals --json` on the command line.

use std::process::{Command, Output};

fn zhaoshang(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhaoshang")).args(args).env("ZHAOSHANG_DATABASE_URL", url).output().unwrap()
}

const APPEALS: &str = "诉求编号,所属地区,诉求维度,诉求内容,受理日期,办理时限(工作日),答复日期,办结日期,企业评价\n\
A1,620402,要素,用电增容,2025-01-24,,2025-01-27,2025-02-06,满意\n\
A2,白银市,政务环境,审批,2024-09-30,3,,,\n\
A3,620500,市场环境,检查,2024/10/3,,2024-10-14,2024-10-15,不满意\n";

#[test]
fn stats_appeals_prints_the_spec_object() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("z.db").display());
    let path = dir.path().join("a.csv");
    std::fs::write(&path, APPEALS).unwrap();
    let output = zhaoshang(&url, &["import", "appeals", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let args = ["stats", "appeals", "--region", "620400", "--from", "2024-01-01", "--to", "2025-12-31", "--json"];
    let output = zhaoshang(&url, &args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // The keys in SPEC's order, as printed (serde_json's map here sorts them).
    let text = String::from_utf8_lossy(&output.stdout);
    let order = [
        "region",
        "from",
        "to",
        "received_count",
        "answered_count",
        "on_time_count",
        "on_time_rate",
        "overdue_count",
        "resolved_count",
        "resolution_rate",
        "satisfaction_rate",
        "by_dimension",
        "政务环境",
        "市场环境",
        "法治环境",
        "创新环境",
        "要素环境",
    ];
    let positions: Vec<usize> = order.iter().map(|key| text.find(&format!("\"{key}\":")).expect(key)).collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{text}");
    assert_eq!(report.as_object().unwrap().len(), 12);
    // A1 answered on time and closed 满意; A2 (due 2024-10-10 after 国庆) never answered.
    assert_eq!(report["region"], "620400");
    assert_eq!((report["received_count"].as_i64(), report["answered_count"].as_i64()), (Some(2), Some(1)));
    assert_eq!((report["on_time_count"].as_i64(), report["overdue_count"].as_i64()), (Some(1), Some(1)));
    assert_eq!((report["on_time_rate"].as_f64(), report["resolution_rate"].as_f64()), (Some(0.5), Some(0.5)));
    assert_eq!(report["satisfaction_rate"].as_f64(), Some(1.0));
    let by = report["by_dimension"].as_object().unwrap();
    assert_eq!(by.len(), 5);
    assert_eq!(
        by["政务环境"],
        serde_json::json!({"received_count": 1, "on_time_rate": 0.0, "satisfaction_rate": null})
    );
    assert_eq!(
        by["市场环境"],
        serde_json::json!({"received_count": 0, "on_time_rate": null, "satisfaction_rate": null})
    );

    // The province: A3 in 天水 too, rated 不满意.
    let province = zhaoshang(
        &url,
        &["stats", "appeals", "--region", "620000", "--from", "2024-01-01", "--to", "2025-12-31", "--json"],
    );
    let province: serde_json::Value = serde_json::from_slice(&province.stdout).unwrap();
    assert_eq!(province["satisfaction_rate"].as_f64(), Some(0.5));
    assert_eq!(
        province["on_time_count"].as_i64(),
        Some(1),
        "A3 was due on 2024-10-12 (a 调休 Saturday), answered on the 14th"
    );
    assert_eq!(province["overdue_count"].as_i64(), Some(2));

    // The table without --json, and errors in Chinese with exit 1.
    let table =
        zhaoshang(&url, &["stats", "appeals", "--region", "620400", "--from", "2024-01-01", "--to", "2025-12-31"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("受理 2 件") && text.contains("按时答复率 50.00%") && text.contains("要素环境"), "{text}");
    let bad =
        zhaoshang(&url, &["stats", "appeals", "--region", "620400", "--from", "2025-12-31", "--to", "2024-01-01"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("错误"));
}
