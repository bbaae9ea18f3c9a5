//! `zhaoshang import chains FILE` / `chain_enterprises` and their exports as users call them.

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

#[test]
fn chains_import_check_and_export_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("z.db").display());
    let code = zhaoshang_core::credit_code::with_check_char("91620402MA7RARE01").unwrap();
    let enterprises = dir.path().join("enterprises.csv");
    std::fs::write(
        &enterprises,
        format!("企业名称,统一社会信用代码,所属地区\n甘肃稀土新材料股份有限公司,{code},620402\n"),
    )
    .unwrap();
    assert!(zhaoshang(&url, &["import", "enterprises", path(&enterprises)]).status.success());

    let good = dir.path().join("chains.csv");
    std::fs::write(
        &good,
        "产业链,所属地区,牵头部门,链长,链主企业,节点名称,上级节点,节点类型,环节位置,行业代码\n\
         白银市稀土产业链,620400,市工业和信息化局,市委副书记 王某某,甘肃稀土新材料股份有限公司,稀土冶炼,,子链,,\n\
         白银市稀土产业链,,,,,稀土冶炼分离,稀土冶炼,环节,中游,32\n\
         白银市稀土产业链,,,,,稀土永磁材料,稀土冶炼,环节,下游,32\n",
    )
    .unwrap();
    let imported = zhaoshang(&url, &["import", "chains", path(&good)]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(stdout(&imported).contains("导入产业链：共 3 行，新增 3，更新 0，未变 0"), "{}", stdout(&imported));

    // A cycle, a link without position, an unknown parent and an unknown leader: non-zero exit,
    // every bad row and column listed, nothing changed.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "产业链,所属地区,链主企业,节点名称,上级节点,节点类型,环节位置\n\
         新链,620400,无此企业有限公司,甲,乙,子链,\n\
         新链,,,乙,甲,子链,\n\
         新链,,,无位置,甲,环节,\n\
         新链,,,孤儿,不存在,环节,上游\n",
    )
    .unwrap();
    let refused = zhaoshang(&url, &["import", "chains", path(&bad)]);
    assert!(!refused.status.success());
    let errors = stderr(&refused);
    for expected in [
        "第2行 链主企业：企业“无此企业有限公司”不在企业库中",
        "第2行 上级节点：上级节点形成循环",
        "第3行 上级节点：上级节点形成循环",
        "第4行 环节位置：环节须填写环节位置",
        "第5行 上级节点：上级节点“不存在”不存在",
        "未导入任何数据",
    ] {
        assert!(errors.contains(expected), "{expected}: {errors}");
    }

    let on_links = dir.path().join("links.csv");
    std::fs::write(
        &on_links,
        format!("产业链,节点名称,统一社会信用代码,角色\n白银市稀土产业链,稀土冶炼分离,{code},生产\n"),
    )
    .unwrap();
    let attached = zhaoshang(&url, &["import", "chain_enterprises", path(&on_links)]);
    assert!(attached.status.success(), "{}", stderr(&attached));
    assert!(stdout(&attached).contains("导入产业链企业：共 1 行，新增 1"), "{}", stdout(&attached));

    for (kind, rows) in [("chains", 3), ("chain_enterprises", 1)] {
        for extension in ["csv", "xlsx"] {
            let file = dir.path().join(format!("{kind}.out.{extension}"));
            let exported = zhaoshang(&url, &["export", kind, path(&file)]);
            assert!(exported.status.success(), "{}", stderr(&exported));
            let back = zhaoshang(&url, &["import", kind, path(&file)]);
            assert!(back.status.success(), "{}", stderr(&back));
            assert!(stdout(&back).contains(&format!("新增 0，更新 0，未变 {rows}")), "{}", stdout(&back));
        }
    }
}
