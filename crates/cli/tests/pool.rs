//! `zhaoshang pool select --json` and the achievement pool's imports through the CLI.

use std::process::{Command, Output};

fn zhaoshang(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhaoshang")).args(args).env("ZHAOSHANG_DATABASE_URL", url).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const ACHIEVEMENTS: &str = "成果编号,成果名称,完成单位,行业代码,登记年度,成熟度\n\
P-1,甲成果,兰州大学,32,2023,中试\n\
P-2,乙成果,兰州理工大学,32,2023,小试\n\
P-3,丙成果,西北师范大学,26,2023,\n\
P-4,丁成果,兰州交通大学,37,2023,\n\
P-5,戊成果,甘肃农业大学,01,2023,\n\
P-6,己成果,兰州大学,26,2023,\n\
P-7,庚成果,兰州大学,26,2023,\n\
P-8,明年成果,兰州大学,26,2024,\n";

/// P-1: five reviews (95 and 40 dropped) → 80; P-2 and P-3 tie at 80 with technical 90
/// and 70; P-6 80 with technical 80; P-4 lower; P-5 and P-7 none.
const REVIEWS: &str = "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\n\
P-1,甲,清华大学,95,95,95\n\
P-1,乙,四川大学,80,80,80\n\
P-1,丙,中南大学,70,80,90\n\
P-1,丁,浙江大学,90,80,70\n\
P-1,戊,天津大学,40,40,40\n\
P-2,甲,清华大学,70,80,90\n\
P-3,甲,清华大学,90,80,70\n\
P-6,乙,四川大学,80,80,80\n\
P-4,甲,清华大学,60,60,60\n";

fn imported(dir: &std::path::Path) -> String {
    let url = format!("sqlite://{}", dir.join("z.db").display());
    for (kind, content) in [("achievements", ACHIEVEMENTS), ("reviews", REVIEWS)] {
        let path = dir.join(format!("{kind}.csv"));
        std::fs::write(&path, content).unwrap();
        let output = zhaoshang(&url, &["import", kind, path.to_str().unwrap()]);
        assert!(output.status.success(), "{kind}: {}", stderr(&output));
    }
    url
}

#[test]
fn pool_select_prints_the_spec_object_best_first() {
    let dir = tempfile::tempdir().unwrap();
    let url = imported(dir.path());
    let output = zhaoshang(&url, &["pool", "select", "--year", "2023", "--ratio", "0.5", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["year"], 2023);
    assert_eq!(report["registered"], 7, "P-8 is 2024's");
    let selected: Vec<(String, f64, String, i64)> = report["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["code"].as_str().unwrap().to_string(),
                item["composite"].as_f64().unwrap(),
                item["industry"].as_str().unwrap().to_string(),
                item["rank_in_industry"].as_i64().unwrap(),
            )
        })
        .collect();
    // ⌊0.5 × 7⌋ = 3; all four at 80: technical of the counted reviews 90 (P-2), 80 (P-1: 80, 90, 70), 80 (P-6), 70 (P-3).
    assert_eq!(
        selected,
        [
            ("P-2".to_string(), 80.0, "32".to_string(), 1),
            ("P-1".to_string(), 80.0, "32".to_string(), 2),
            ("P-6".to_string(), 80.0, "26".to_string(), 1),
        ]
    );
    let default_ratio = zhaoshang(&url, &["pool", "select", "--year", "2023", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&default_ratio.stdout).unwrap();
    assert_eq!(report["selected"].as_array().unwrap().len(), 1, "⌊0.2 × 7⌋ = 1");
    let weighted =
        zhaoshang(&url, &["pool", "select", "--year", "2023", "--ratio", "1", "--weights", "0,0,1", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&weighted.stdout).unwrap();
    assert_eq!(report["selected"][0]["code"], "P-2", "technical only: P-2's 90 first");
    assert_eq!(report["selected"].as_array().unwrap().len(), 5, "at most the five reviewed");
    let summary = zhaoshang(&url, &["pool", "select", "--year", "2023"]);
    assert!(String::from_utf8_lossy(&summary.stdout).contains("登记科技成果 7 项，已评审 5 项，入池 1 项"));
}

#[test]
fn bad_ratios_years_and_rows_are_refused_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let url = imported(dir.path());
    for ratio in ["0", "1.2", "-0.1", "abc"] {
        let output = zhaoshang(&url, &["pool", "select", "--year", "2023", "--ratio", ratio, "--json"]);
        assert!(!output.status.success(), "{ratio}");
        assert!(stderr(&output).contains("入池比例"), "{ratio}: {}", stderr(&output));
        assert!(output.stdout.is_empty());
    }
    let output = zhaoshang(&url, &["pool", "select", "--year", "二〇二三", "--json"]);
    assert!(!output.status.success() && stderr(&output).contains("登记年度"), "{}", stderr(&output));
    let output = zhaoshang(&url, &["pool", "select", "--year", "2023", "--weights", "0,0,0"]);
    assert!(!output.status.success() && stderr(&output).contains("权重"), "{}", stderr(&output));

    let conflict = dir.path().join("conflict.csv");
    std::fs::write(&conflict, "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\nP-5,己,甘肃农业大学,80,80,80\nP-9,己,清华大学,80,80,80\n")
        .unwrap();
    let output = zhaoshang(&url, &["import", "reviews", conflict.to_str().unwrap()]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("第2行 专家单位：利益冲突") && message.contains("第3行 成果编号"), "{message}");

    let export = dir.path().join("reviews.xlsx");
    let output = zhaoshang(&url, &["export", "reviews", export.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = zhaoshang(&url, &["import", "reviews", export.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("新增 0，更新 0，未变 9"), "{}", stderr(&output));
}

#[test]
fn an_open_rounds_scores_are_not_exported() {
    let dir = tempfile::tempdir().unwrap();
    let url = imported(dir.path());
    let export = dir.path().join("reviews.csv");
    let read = |output: &Output| {
        assert!(output.status.success(), "{}", stderr(output));
        std::fs::read_to_string(&export).unwrap()
    };
    let before = read(&zhaoshang(&url, &["export", "reviews", export.to_str().unwrap()]));
    assert!(before.contains("P-1,甲,清华大学,95,95,95"), "{before}");
    // The 2023 round opens: its scores are sealed until it closes.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let store = zhaoshang_app::open(&url, false).await.unwrap();
        store.open_round(2023, 5, &zhaoshang_store::Actor::system("测试")).await.unwrap();
    });
    let output = zhaoshang(&url, &["export", "reviews", export.to_str().unwrap()]);
    let sealed = read(&output);
    assert!(stderr(&output).contains("2023 年度评审尚未结束，其评分未导出"), "{}", stderr(&output));
    assert!(sealed.contains("P-1,甲,清华大学,,,") && !sealed.contains("95"), "{sealed}");
    assert_eq!(sealed.lines().count(), before.lines().count(), "every review listed, its scores left empty");
}

#[test]
fn pool_select_of_a_year_stays_when_its_achievements_enter_a_later_round() {
    let dir = tempfile::tempdir().unwrap();
    let url = imported(dir.path());
    let select = |year: &str| {
        let output = zhaoshang(&url, &["pool", "select", "--year", year, "--ratio", "0.5", "--json"]);
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let before = select("2023");
    let again = dir.path().join("again.csv");
    // P-4 was reviewed and left out; P-5 had no review.
    std::fs::write(&again, "成果编号,成果名称,完成单位,行业代码,登记年度\nP-4,丁成果,兰州交通大学,37,2024\nP-5,戊成果,甘肃农业大学,01,2024\n")
        .unwrap();
    let output = zhaoshang(&url, &["import", "achievements", again.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(select("2023"), before);
    let later = select("2024");
    assert_eq!(later["registered"], 3, "P-8, P-4 and P-5");
    assert_eq!(later["selected"], serde_json::json!([]), "no reviews yet in 2024");

    std::fs::write(&again, "成果编号,成果名称,完成单位,行业代码,登记年度\nP-4,丁成果,兰州交通大学,37,2023\n").unwrap();
    let output = zhaoshang(&url, &["import", "achievements", again.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("第2行 登记年度：该成果已参加2023年度评审，只能登记到更晚的年度"),
        "{}",
        stderr(&output)
    );
    assert_eq!(select("2023"), before);
}

#[test]
fn the_expert_pool_imports_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let url = imported(dir.path());
    let experts = dir.path().join("experts.csv");
    std::fs::write(&experts, "专家姓名,所在单位,专业领域\n甲,清华大学,新材料\n辛,兰州大学,核技术\n").unwrap();
    let output = zhaoshang(&url, &["import", "experts", experts.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("新增 1，更新 1"), "甲 joined from the reviews");

    let export = dir.path().join("out.csv");
    let output = zhaoshang(&url, &["export", "experts", export.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&export).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "专家姓名,所在单位,单位信用代码,专业领域,账号");
    assert!(lines.contains(&"甲,清华大学,,新材料,") && lines.contains(&"辛,兰州大学,,核技术,"), "{text}");
    assert_eq!(lines.len(), 1 + 6, "甲 乙 丙 丁 戊 from the reviews and 辛");
    let output = zhaoshang(&url, &["import", "experts", export.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("新增 0，更新 0，未变 6"), "{}", stderr(&output));
}
