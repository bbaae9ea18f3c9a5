//! `zhaoshang stats investment|cohort|evaluation --json` and `stats report` on data imported
//! through the CLI.

use chrono::Datelike;
use std::process::{Command, Output};

fn zhaoshang(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhaoshang")).args(args).env("ZHAOSHANG_DATABASE_URL", url).output().unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

const ACTIVITIES: &str =
    "活动名称,活动类型,开始日期,结束日期,地点\n第二十九届兰洽会,展会节会,2023-07-06,2023-07-10,兰州\n";
const PROJECTS: &str = "项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期,开工日期,投产日期,签约活动\n\
A1,甲项目,620503,20000,开工,2023-07-07,2023-08-01,,第二十九届兰洽会\n\
A2,乙项目,秦州区,5000,投产,2023-07-08,2023-07-20,2023-10-01,第二十九届兰洽会\n\
A3,丙项目,620500,9999.9999,签约,2023-03-01,,,\n\
A4,丁项目,620200,30000,签约,2023-03-01,,,\n\
A5,戊项目,620500,8000,终止,2023-07-07,,,第二十九届兰洽会\n\
B1,去年项目,620502,10000,开工,2022-05-01,2022-06-01,,\n";
const FUNDING: &str = "项目编号,到位日期,到位金额(万元),资金来源\n\
A1,2023-07-01,100,省外境内\n\
A1,2023-08-01,2000,境外\n\
A2,2023-09-01,1000,省内\n\
B1,2022-06-01,500,省外境内\n\
B1,2023-02-01,700,省外境内\n";
const TARGETS: &str = "所属地区,年度,到位资金目标(万元)\n天水市,2023,10000\n";

/// A database in `dir` holding the files above, imported through the CLI.
fn imported(dir: &std::path::Path) -> String {
    let url = format!("sqlite://{}", dir.join("z.db").display());
    for (kind, name, content) in [
        ("activities", "a.csv", ACTIVITIES),
        ("projects", "p.csv", PROJECTS),
        ("funding", "f.csv", FUNDING),
        ("targets", "t.csv", TARGETS),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        let output = zhaoshang(&url, &["import", kind, path.to_str().unwrap()]);
        assert!(output.status.success(), "{kind}: {}", String::from_utf8_lossy(&output.stderr));
    }
    url
}

#[test]
fn stats_follow_the_spec_definitions_on_imported_data() {
    let dir = tempfile::tempdir().unwrap();
    let url = imported(dir.path());

    let report = json(&zhaoshang(
        &url,
        &["stats", "investment", "--region", "620500", "--from", "2023-01-01", "--to", "2023-10-31", "--json"],
    ));
    assert_eq!(report["region"], "620500");
    assert_eq!(report["from"], "2023-01-01");
    assert_eq!(report["signed_count"], 3, "A1, A2, A3 (A4 is another city, A5 dropped)");
    assert_eq!(report["signed_investment_wan"], "34999.9999");
    assert_eq!(report["over_100m_count"], 1, "only A1 reaches 10000 万元; A3 is just below");
    assert_eq!(report["started_count"], 2);
    assert_eq!(report["producing_count"], 1);
    assert_eq!(report["implementing_count"], 4, "B1 continues");
    assert_eq!(report["funds_in_place_wan"], "3800.00");
    assert_eq!(report["funds_outside_province_wan"], "2800.00");
    let arrival = report["arrival_rate"].as_f64().unwrap();
    assert!((arrival - 3800.0 / 34999.9999).abs() < 1e-12);
    assert!((report["start_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert!((report["target_completion"].as_f64().unwrap() - 0.38).abs() < 1e-12);
    assert!((report["time_progress"].as_f64().unwrap() - 304.0 / 365.0).abs() < 1e-12);
    assert_eq!(report["yoy"]["signed_count"], 2.0, "B1 was the only project signed in the same period of 2022");
    assert!(report["yoy"]["start_rate"].as_f64().is_some());

    let cohort =
        json(&zhaoshang(&url, &["stats", "cohort", "--activity", "第二十九届兰洽会", "--to", "2023-10-31", "--json"]));
    assert_eq!(cohort["activity"], "第二十九届兰洽会");
    assert_eq!(cohort["to"], "2023-10-31");
    assert_eq!(cohort["signed_count"], 2);
    assert_eq!(cohort["signed_investment_wan"], "25000.00");
    assert_eq!(cohort["funds_in_place_wan"], "3000.00", "funding from the fair's first day on");
    assert_eq!(cohort["started_count"], 2);
    assert_eq!(cohort["producing_count"], 1);
    assert!((cohort["arrival_rate"].as_f64().unwrap() - 0.12).abs() < 1e-12);
    assert_eq!(cohort["completion_rate"], 0.5);
    let early =
        json(&zhaoshang(&url, &["stats", "cohort", "--activity", "第二十九届兰洽会", "--to", "2023-07-31", "--json"]));
    assert_eq!(early["started_count"], 1, "A1 starts in August");
    assert_eq!(early["producing_count"], 0);

    let unknown = zhaoshang(&url, &["stats", "cohort", "--activity", "没有的活动", "--json"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("未找到签约活动"));
    let bad_region = zhaoshang(
        &url,
        &["stats", "investment", "--region", "999999", "--from", "2023-01-01", "--to", "2023-10-31", "--json"],
    );
    assert!(!bad_region.status.success());
    let reversed = zhaoshang(
        &url,
        &["stats", "investment", "--region", "620500", "--from", "2023-12-01", "--to", "2023-10-31", "--json"],
    );
    assert!(!reversed.status.success());
    assert!(String::from_utf8_lossy(&reversed.stderr).contains("开始日期不能晚于结束日期"));
}

#[test]
fn chambers_are_assessed_as_spec_defines() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("z.db").display());
    let files = [
        ("chambers", "c.csv", "商会名称,商会类型,所在地,级别\n甲商会,异地甘肃商会,上海市,省级\n乙商会,地方商会,兰州市,市级\n丙商会,行业协会,620000,省级\n"),
        (
            "projects",
            "p.csv",
            "项目编号,项目名称,所属地区,总投资(万元),项目阶段,线索日期,签约日期,来源单位,终止原因\n\
             C1,一号项目,620503,10000,签约,2023-02-01,2023-03-01,甲商会,\n\
             C2,二号项目,620503,,线索,2022-12-01,,甲商会,\n\
             C3,三号项目,620100,30000,签约,2023-05-01,2023-06-01,乙商会,\n\
             C4,四号项目,620100,5000,终止,2023-06-01,2023-07-01,乙商会,撤资\n\
             C5,五号项目,620100,8000,签约,2023-06-01,2023-07-01,未登记的单位,\n",
        ),
        (
            "funding",
            "f.csv",
            "项目编号,到位日期,到位金额(万元)\nC1,2023-04-01,1000\nC1,2022-12-31,999\nC3,2023-07-01,500\nC4,2023-08-01,200\nC5,2023-08-01,300\n",
        ),
        ("activities", "a.csv", "活动名称,开始日期,参与商会\n甲活动,2023-03-01,甲商会、丙商会\n乙活动,2022-05-01,甲商会\n"),
    ];
    for (kind, name, content) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let output = zhaoshang(&url, &["import", kind, path.to_str().unwrap()]);
        assert!(output.status.success(), "{kind}: {}", String::from_utf8_lossy(&output.stderr));
    }
    let report = json(&zhaoshang(&url, &["stats", "chambers", "--year", "2023", "--json"]));
    // 乙: leads 2/2 → 100, signed 1/1 → 100, 30000 of 30000 → 100, 700 of 1000 → 88, no activity → 60;
    // 甲: 80, 100, 73.33…, 100, 100; 丙: 60, 60, 60, 60, 100.
    assert_eq!(
        report,
        serde_json::json!({
            "year": 2023,
            "weights": {"leads": 0.15, "signed_count": 0.2, "signed_investment_wan": 0.25, "funds_in_place_wan": 0.3, "activities": 0.1},
            "items": [
                {"chamber": "乙商会", "leads": 2, "signed_count": 1, "signed_investment_wan": "30000.00", "funds_in_place_wan": "700.00", "activities": 0, "score": 92.4, "rank": 1},
                {"chamber": "甲商会", "leads": 1, "signed_count": 1, "signed_investment_wan": "10000.00", "funds_in_place_wan": "1000.00", "activities": 1, "score": 90.33, "rank": 2},
                {"chamber": "丙商会", "leads": 0, "signed_count": 0, "signed_investment_wan": "0.00", "funds_in_place_wan": "0.00", "activities": 1, "score": 64.0, "rank": 3}
            ]
        })
    );
    let text = zhaoshang(&url, &["stats", "chambers", "--year", "2023"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("2023 年度先进商会评价") && text.contains("1\t92.40\t2\t1\t30000.00\t700.00\t0\t乙商会"),
        "{text}"
    );

    let refused = zhaoshang(&url, &["stats", "chambers", "--year", "99999", "--json"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("年度"));
}

#[test]
fn evaluation_ranks_every_city_as_the_spec_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    let url = imported(dir.path());
    let evaluation = |year: &str, quarter: &str| {
        json(&zhaoshang(
            &url,
            &["stats", "evaluation", "--region", "620000", "--year", year, "--quarter", quarter, "--json"],
        ))
    };

    // 2023-01-01 to 2023-09-30. 天水市 leads every indicator (100); 嘉峪关市 has A4 only:
    // signed 30000 of 天水's 34999.9999 万元, one 亿元 project, start rate 0; the twelve
    // cities without data score 60 on every indicator.
    let q3 = evaluation("2023", "3");
    let keys: Vec<&String> = q3.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4, "region, year, quarter and items only");
    assert_eq!(
        (q3["region"].as_str(), q3["year"].as_i64(), q3["quarter"].as_i64()),
        (Some("620000"), Some(2023), Some(3))
    );
    let items = q3["items"].as_array().unwrap();
    assert_eq!(items.len(), 14, "every city, with data or without");
    let jiayuguan = 18.0 + 9.0 + 12.0 + 0.15 * (60.0 + 40.0 * 30000.0 / 34999.9999) + 10.0 + 6.0;
    assert_eq!(format!("{jiayuguan:.2}"), "69.14");
    assert_eq!(
        items[..3],
        [
            serde_json::json!({"region": "620500", "name": "天水市", "score": 100.0, "rank": 1, "previous_rank": 1, "awards": ["贡献奖"]}),
            serde_json::json!({"region": "620200", "name": "嘉峪关市", "score": 69.14, "rank": 2, "previous_rank": 2, "awards": ["贡献奖"]}),
            serde_json::json!({"region": "620100", "name": "兰州市", "score": 60.0, "rank": 3, "previous_rank": 3, "awards": ["贡献奖"]}),
        ]
    );
    let rest: Vec<&str> = items[3..].iter().map(|item| item["region"].as_str().unwrap()).collect();
    assert_eq!(
        rest,
        ["620300", "620400", "620600", "620700", "620800", "620900", "621000", "621100", "621200", "622900", "623000"]
    );
    assert!(items[3..].iter().all(|item| item["score"] == 60.0 && item["awards"] == serde_json::json!([])));

    // Q1 2023 against the whole of 2022, when 天水's B1 alone (signed, started) led and
    // 嘉峪关 stood third by its code: it rises to second, but in the top three.
    let q1 = evaluation("2023", "1");
    let ranks: Vec<(&str, i64, i64)> = q1["items"].as_array().unwrap()[..4]
        .iter()
        .map(|i| (i["region"].as_str().unwrap(), i["rank"].as_i64().unwrap(), i["previous_rank"].as_i64().unwrap()))
        .collect();
    assert_eq!(ranks, [("620500", 1, 1), ("620200", 2, 3), ("620100", 3, 2), ("620300", 4, 4)]);
    assert_eq!(q1["items"][1]["score"], 74.0);
    assert!(q1["items"].as_array().unwrap().iter().all(|i| !i["awards"].to_string().contains("进步奖")));

    // The table without --json.
    let table = zhaoshang(&url, &["stats", "evaluation", "--region", "620000", "--year", "2023", "--quarter", "3"]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("甘肃省2023年第3季度市州综合评价") && text.contains("天水市") && text.contains("69.14"),
        "{text}"
    );

    // Bad arguments: a Chinese message and exit code 1, nothing printed.
    for (args, message) in [
        (["--region", "620000", "--year", "2023", "--quarter", "5"], "季度“5”无效"),
        (["--region", "620000", "--year", "2023", "--quarter", "0"], "季度“0”无效"),
        (["--region", "620000", "--year", "今年", "--quarter", "1"], "年度“今年”无效"),
        (["--region", "629900", "--year", "2023", "--quarter", "1"], "地区代码“629900”不存在"),
        (["--region", "abc", "--year", "2023", "--quarter", "1"], "地区“abc”不存在"),
    ] {
        let output = zhaoshang(&url, &[&["stats", "evaluation"][..], &args[..], &["--json"][..]].concat());
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn the_monthly_report_prints_its_tables_and_writes_its_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let url = imported(dir.path());
    let workbook = dir.path().join("报表.xlsx");
    let output = zhaoshang(
        &url,
        &["stats", "report", "--region", "620000", "--month", "2023-10", "--output", workbook.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("甘肃省招商引资情况统计报表（2023年1—10月）"), "{text}");
    assert!(text.contains("表1 分地区") && text.contains("表9 三个500强"), "{text}");
    // A1–A4 signed in the period (A5 dropped); funds of A1, A2 and B1 dated in it.
    let total = text.lines().find(|line| line.starts_with("合计\t")).unwrap();
    assert!(total.starts_with("合计\t4\t64999.9999\t") && total.contains("\t3800.00\t"), "{total}");
    let bytes = std::fs::read(&workbook).unwrap();
    assert!(bytes.starts_with(b"PK"));
    let names = String::from_utf8_lossy(&bytes);
    assert!(names.contains("xl/worksheets/sheet9.xml") && !names.contains("sheet10.xml"), "a sheet a table");

    let next_year = format!("{}-01", chrono::Local::now().date_naive().year() + 1);
    for (month, message) in [("2023-13", "月份“2023-13”无效"), (next_year.as_str(), "尚未结束")] {
        let bad = zhaoshang(&url, &["stats", "report", "--region", "620000", "--month", month]);
        assert_eq!(bad.status.code(), Some(1), "{month}");
        let stderr = String::from_utf8_lossy(&bad.stderr);
        assert!(stderr.contains(message), "{month}: {stderr}");
        assert!(bad.stdout.is_empty(), "{month}");
    }
}
