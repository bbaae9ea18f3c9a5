//! `zhaoshang import KIND FILE [--dry-run]` and `zhaoshang export KIND FILE` as users call them.

use std::path::Path;
use std::process::{Command, Output};

fn zhaoshang(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhaoshang"))
        .args(args)
        .env("ZHAOSHANG_DATABASE_URL", database_url)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

const GOOD: &str = "项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期\n\
                    CLI-1,新型建材项目,620503,52000,签约,2024-05-18\n\
                    CLI-2,文旅项目,天水市,,,\n";

#[test]
fn import_export_and_dry_run_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("z.db").display());
    let good = dir.path().join("good.csv");
    std::fs::write(&good, GOOD).unwrap();

    let imported = zhaoshang(&url, &["import", "projects", path(&good)]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(stdout(&imported).contains("导入项目：共 2 行，新增 2，更新 0，未变 0"), "{}", stdout(&imported));

    let again = zhaoshang(&url, &["import", "projects", path(&good)]);
    assert!(again.status.success());
    assert!(stdout(&again).contains("未变 2"), "{}", stdout(&again));

    // A bad file: every problem on stderr as 第N行 列：原因, non-zero exit, nothing changed.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期\n\
         CLI-3,好的一行,620503,,,\n\
         CLI-4,地区不存在,火星市,,,\n\
         CLI-5,签约无日期,620503,100,签约,\n\
         CLI-1,改名,620503,52000,签约,2024-05-18\n",
    )
    .unwrap();
    let refused = zhaoshang(&url, &["import", "projects", path(&bad)]);
    assert!(!refused.status.success());
    let errors = stderr(&refused);
    assert!(errors.contains("第3行 所属地区："), "{errors}");
    assert!(errors.contains("第4行 签约日期：签约阶段须填写签约日期"), "{errors}");
    assert!(errors.contains("未导入任何数据"), "{errors}");
    assert!(!errors.contains("第2行"), "{errors}");

    // --dry-run only checks.
    let new = dir.path().join("new.csv");
    std::fs::write(&new, "code,name,region\nCLI-9,试运行项目,620503\n").unwrap();
    let dry = zhaoshang(&url, &["import", "projects", path(&new), "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stdout(&dry).contains("可新增 1") && stdout(&dry).contains("仅检查"), "{}", stdout(&dry));
    let dry_bad = zhaoshang(&url, &["import", "--dry-run", "projects", path(&bad)]);
    assert!(!dry_bad.status.success());
    assert!(stderr(&dry_bad).contains("第3行"));

    // Export: CSV with BOM and the import's headers, XLSX; both import back unchanged.
    let csv = dir.path().join("projects.csv");
    let exported = zhaoshang(&url, &["export", "projects", path(&csv)]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert!(stdout(&exported).contains("已导出项目 2 行"), "{}", stdout(&exported));
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("项目编号,项目名称,所属地区,所属园区"), "{text}");
    assert!(text.contains("CLI-1,新型建材项目,620503") && text.contains("52000.00") && text.contains("签约"), "{text}");
    assert!(!text.contains("CLI-3") && !text.contains("CLI-9"), "the bad file and the dry run wrote nothing");

    let xlsx = dir.path().join("projects.xlsx");
    let exported = zhaoshang(&url, &["export", "projects", path(&xlsx)]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let sheet = zhaoshang_app::exchange::read_sheet("projects.xlsx", &std::fs::read(&xlsx).unwrap()).unwrap();
    assert_eq!(sheet.rows.len(), 2);
    assert_eq!(sheet.headers[0], "项目编号");
    for file in [&csv, &xlsx] {
        let back = zhaoshang(&url, &["import", "projects", path(file)]);
        assert!(back.status.success(), "{}", stderr(&back));
        assert!(stdout(&back).contains("新增 0，更新 0，未变 2"), "{}", stdout(&back));
    }

    // Funding: a second import of the same file reports duplicates and adds nothing.
    let funding = dir.path().join("funding.csv");
    std::fs::write(
        &funding,
        "项目编号,到位日期,到位金额(万元),资金来源\nCLI-1,2024-06-30,3000,省外境内\nCLI-1,2024-07-31,500,境外\n",
    )
    .unwrap();
    let first = zhaoshang(&url, &["import", "funding", path(&funding)]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("新增 2"), "{}", stdout(&first));
    let second = zhaoshang(&url, &["import", "funding", path(&funding)]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(stdout(&second).contains("新增 0") && stdout(&second).contains("重复 2"), "{}", stdout(&second));
    let funding_out = dir.path().join("funding-out.csv");
    let exported = zhaoshang(&url, &["export", "funding", path(&funding_out)]);
    assert!(stdout(&exported).contains("已导出到位资金 2 行"), "{}", stdout(&exported));

    let targets = dir.path().join("targets.xlsx");
    assert!(zhaoshang(&url, &["export", "targets", path(&targets)]).status.success());
    assert!(zhaoshang(&url, &["export", "activities", path(&dir.path().join("a.csv"))]).status.success());
}

#[test]
fn unknown_kinds_and_file_types_are_refused_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("z.db").display());
    let file = dir.path().join("x.csv");
    std::fs::write(&file, GOOD).unwrap();

    let unknown = zhaoshang(&url, &["import", "widgets", path(&file)]);
    assert!(!unknown.status.success());
    let message = stderr(&unknown);
    assert!(message.contains("未知的数据类型“widgets”") && message.contains("projects") && message.contains("funding"));

    let unknown_export = zhaoshang(&url, &["export", "widgets", path(&dir.path().join("y.csv"))]);
    assert!(!unknown_export.status.success());
    assert!(stderr(&unknown_export).contains("未知的数据类型"));

    let text = dir.path().join("x.txt");
    std::fs::write(&text, GOOD).unwrap();
    let wrong_type = zhaoshang(&url, &["import", "projects", path(&text)]);
    assert!(!wrong_type.status.success());
    assert!(stderr(&wrong_type).contains("不支持的文件类型，请使用 .csv、.xlsx、.xls 或 .ods 文件"));
    let wrong_export = zhaoshang(&url, &["export", "projects", path(&dir.path().join("out.pdf"))]);
    assert!(!wrong_export.status.success());
    assert!(stderr(&wrong_export).contains("不支持的文件类型"));

    let missing = zhaoshang(&url, &["import", "projects", path(&dir.path().join("missing.csv"))]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("无法读取文件"));
}

#[test]
fn enterprises_import_and_export_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("z.db").display());
    let code = |first17: &str| zhaoshang_core::credit_code::with_check_char(first17).unwrap();
    let rare_earth = code("91620402MA7RARE01");
    let good = dir.path().join("enterprises.csv");
    std::fs::write(
        &good,
        format!(
            "企业名称,统一社会信用代码,所属地区,行业代码,标签,营业收入(万元),从业人数,注册资本(万元),简介\n\
             甘肃稀土新材料股份有限公司,{rare_earth},620402,32,高新技术企业、行业百强,125000,1800,72000,稀土功能材料\n\
             上海某某新能源科技股份有限公司,{},上海市浦东新区,38,上市公司(688111);专精特新,,,,\n",
            code("91310115MA1H7K2P3")
        ),
    )
    .unwrap();
    let imported = zhaoshang(&url, &["import", "enterprises", path(&good)]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(stdout(&imported).contains("导入企业：共 2 行，新增 2，更新 0，未变 0"), "{}", stdout(&imported));

    // A bad credit code and an unknown tag: the file changes nothing and every problem is listed.
    let wrong_check = format!("{}{}", &rare_earth[..17], if rare_earth.ends_with('0') { '1' } else { '0' });
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "企业名称,统一社会信用代码,所属地区,标签\n新企业,{},620402,专精特新\n校验位错误,{wrong_check},620402,\n标签错误,{},620402,独角兽\n",
            code("91620402MA0000001"),
            code("91620402MA0000002")
        ),
    )
    .unwrap();
    let refused = zhaoshang(&url, &["import", "enterprises", path(&bad)]);
    assert!(!refused.status.success());
    let errors = stderr(&refused);
    assert!(errors.contains("第3行 统一社会信用代码：") && errors.contains("校验位错误"), "{errors}");
    assert!(errors.contains("第4行 标签：标签“独角兽”不在标签库中"), "{errors}");
    assert!(errors.contains("未导入任何数据") && !errors.contains("第2行"), "{errors}");

    // Export to CSV and XLSX with the import's headers; both import back unchanged.
    let csv = dir.path().join("out.csv");
    let exported = zhaoshang(&url, &["export", "enterprises", path(&csv)]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert!(stdout(&exported).contains("已导出企业 2 行"), "{}", stdout(&exported));
    let text = String::from_utf8(std::fs::read(&csv).unwrap()[3..].to_vec()).unwrap();
    assert!(text
        .starts_with("企业名称,统一社会信用代码,所属地区,行业代码,标签,营业收入(万元),从业人数,注册资本(万元),简介"));
    assert!(
        text.contains(&format!(
            "甘肃稀土新材料股份有限公司,{rare_earth},620402,32,行业百强、高新技术企业,125000.00,1800,72000.00"
        )),
        "{text}"
    );
    assert!(text.contains("310115,38,上市公司(688111)、专精特新"), "{text}");
    let xlsx = dir.path().join("out.xlsx");
    assert!(zhaoshang(&url, &["export", "enterprises", path(&xlsx)]).status.success());
    for file in [&csv, &xlsx] {
        let back = zhaoshang(&url, &["import", "enterprise", path(file)]);
        assert!(back.status.success(), "{}", stderr(&back));
        assert!(stdout(&back).contains("新增 0，更新 0，未变 2"), "{}", stdout(&back));
    }
}

/// The probe's workbooks aborted the CLI (exit 134): now a Chinese refusal, exit 1, nothing imported.
#[test]
fn crafted_workbooks_are_refused_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("z.db").display());
    for (name, bytes, expected) in [
        ("bomb.xlsx", zhaoshang_testkit::hostile::shared_strings_bomb(), "共享字符串"),
        ("corner.xlsx", zhaoshang_testkit::hostile::far_corner_workbook(), "超过 256 列"),
        ("dims.xls", zhaoshang_testkit::hostile::declared_dimensions_xls(), "单元格超过"),
        ("rows.ods", zhaoshang_testkit::hostile::repeated_rows_ods(), "单元格超过"),
        ("zeros.ods", zhaoshang_testkit::hostile::zip_bomb_ods(40), "解压后超过"),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        for dry_run in [false, true] {
            let mut args = vec!["import", "projects", path(&file)];
            if dry_run {
                args.push("--dry-run");
            }
            let refused = zhaoshang(&url, &args);
            assert_eq!(refused.status.code(), Some(1), "{name}: {}", stderr(&refused));
            assert!(stderr(&refused).contains(expected), "{name}: {}", stderr(&refused));
        }
    }
    let export = dir.path().join("all.csv");
    assert!(zhaoshang(&url, &["export", "projects", path(&export)]).status.success());
    assert_eq!(std::fs::read_to_string(&export).unwrap().lines().count(), 1, "only the header: nothing imported");
}

/// A county's ledger without 项目编号: refused without `--assign-codes`, then given
/// codes in row order (printed), matched on re-import, and a new row numbered on.
#[test]
fn assign_codes_to_a_ledger_without_project_codes() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("z.db").display());
    let ledger = |rows: &[(&str, &str)]| {
        let mut csv = String::from("麦积区招商项目台账\n序号,项目名称,所属地区,投资方\n");
        for (i, (name, investor)) in rows.iter().enumerate() {
            csv.push_str(&format!("{},{name},麦积区,{investor}\n", i + 1));
        }
        csv.push_str("注：本表按月报送\n");
        csv
    };
    let file = dir.path().join("ledger.csv");
    std::fs::write(&file, ledger(&[("光伏项目", "甲公司"), ("物流项目", "乙公司")])).unwrap();

    let refused = zhaoshang(&url, &["import", "projects", path(&file)]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("第2行 项目编号：表格没有“项目编号”列"), "{}", stderr(&refused));

    let first = zhaoshang(&url, &["import", "projects", path(&file), "--assign-codes", "MJ"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let out = stdout(&first);
    assert!(
        out.contains("第3行 光伏项目：MJ-0001（新编号）") && out.contains("第4行 物流项目：MJ-0002（新编号）"),
        "{out}"
    );
    assert!(out.contains("新增 2") && out.contains("跳过 1 行"), "{out}");

    std::fs::write(&file, ledger(&[("光伏项目", "甲公司"), ("物流项目", "乙公司"), ("文旅项目", "丙公司")])).unwrap();
    let again = zhaoshang(&url, &["import", "projects", path(&file), "--assign-codes", "MJ"]);
    let out = stdout(&again);
    assert!(
        out.contains("第3行 光伏项目：MJ-0001（已登记项目）") && out.contains("第5行 文旅项目：MJ-0003（新编号）"),
        "{out}"
    );
    assert!(out.contains("新增 1，更新 0，未变 2"), "{out}");

    let exported = dir.path().join("out.csv");
    assert!(zhaoshang(&url, &["export", "projects", path(&exported)]).status.success());
    let text = String::from_utf8(std::fs::read(&exported).unwrap()[3..].to_vec()).unwrap();
    assert_eq!(text.matches("MJ-000").count(), 3, "{text}");
}
