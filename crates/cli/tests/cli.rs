//! The `zhaoshang` binary as users call it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn zhaoshang(database_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhaoshang"))
        .args(args)
        .env("ZHAOSHANG_DATABASE_URL", database_url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

#[test]
fn user_create_reads_the_password_from_stdin_and_checks_role_and_region() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("z.db").display());
    let created = zhaoshang(
        &url,
        &["user", "create", "tianshui", "--role", "region", "--region", "620500", "--password-stdin"],
        Some("secret-password\n"),
    );
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(stdout(&created).contains("已创建用户 tianshui"));

    let listed = zhaoshang(&url, &["user", "list"], None);
    assert!(stdout(&listed).contains("tianshui") && stdout(&listed).contains("620500"));

    let duplicate = zhaoshang(
        &url,
        &["user", "create", "tianshui", "--role", "leader", "--password-stdin"],
        Some("secret-password\n"),
    );
    assert!(!duplicate.status.success());
    assert!(stderr(&duplicate).contains("已存在"), "{}", stderr(&duplicate));

    let bad_role =
        zhaoshang(&url, &["user", "create", "x", "--role", "boss", "--password-stdin"], Some("secret-password\n"));
    assert!(!bad_role.status.success());
    assert!(stderr(&bad_role).contains("角色"));

    let no_region =
        zhaoshang(&url, &["user", "create", "y", "--role", "region", "--password-stdin"], Some("secret-password\n"));
    assert!(!no_region.status.success());
    assert!(stderr(&no_region).contains("所属地区"));

    let bad_region = zhaoshang(
        &url,
        &["user", "create", "y", "--role", "region", "--region", "999999", "--password-stdin"],
        Some("secret-password\n"),
    );
    assert!(!bad_region.status.success());
    assert!(stderr(&bad_region).contains("999999"));

    let empty = zhaoshang(&url, &["user", "create", "z", "--role", "admin", "--password-stdin"], Some(""));
    assert!(!empty.status.success());
    assert!(stderr(&empty).contains("密码"));

    let disabled = zhaoshang(&url, &["user", "disable", "tianshui"], None);
    assert!(disabled.status.success());
    assert!(stdout(&zhaoshang(&url, &["user", "list"], None)).contains("已停用"));
    assert!(!zhaoshang(&url, &["user", "disable", "nobody"], None).status.success());
}

#[test]
fn backup_and_restore_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("z.db").display());
    let backup = dir.path().join("backup.json");
    assert!(zhaoshang(
        &url,
        &["user", "create", "keep", "--role", "admin", "--password-stdin"],
        Some("secret-password\n")
    )
    .status
    .success());
    let done = zhaoshang(&url, &["backup", backup.to_str().unwrap()], None);
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(zhaoshang(
        &url,
        &["user", "create", "later", "--role", "admin", "--password-stdin"],
        Some("secret-password\n")
    )
    .status
    .success());

    let restored = zhaoshang(&url, &["restore", backup.to_str().unwrap()], None);
    assert!(restored.status.success(), "{}", stderr(&restored));
    let users = stdout(&zhaoshang(&url, &["user", "list"], None));
    assert!(users.contains("keep") && !users.contains("later"), "{users}");

    // The same backup restores into a second, fresh database.
    let other = format!("sqlite://{}", dir.path().join("other.db").display());
    assert!(zhaoshang(&other, &["restore", backup.to_str().unwrap()], None).status.success());
    assert!(stdout(&zhaoshang(&other, &["user", "list"], None)).contains("keep"));

    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "not a backup").unwrap();
    let refused = zhaoshang(&url, &["restore", junk.to_str().unwrap()], None);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("不是有效的备份文件"));
    assert!(stdout(&zhaoshang(&url, &["user", "list"], None)).contains("keep"), "a bad file changes nothing");
}

#[test]
fn unknown_database_scheme_is_refused() {
    let output = zhaoshang("mysql://localhost/z", &["migrate"], None);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("sqlite://"), "{}", stderr(&output));
}

/// At 07:30 in Beijing (23:30 UTC the day before) a command's default date is the
/// Beijing date, as on the pages (crates/web/tests/today_http.rs).
#[test]
fn commands_take_today_in_china_time() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("z.db").display());
    let activities = dir.path().join("a.csv");
    std::fs::write(&activities, "活动名称,开始日期\n第三十二届兰洽会,2026-07-06\n").unwrap();
    assert!(zhaoshang(&url, &["import", "activities", activities.to_str().unwrap()], None).status.success());
    let output = Command::new(env!("CARGO_BIN_EXE_zhaoshang"))
        .args(["stats", "cohort", "--activity", "第三十二届兰洽会", "--json"])
        .env("ZHAOSHANG_DATABASE_URL", &url)
        .env("ZHAOSHANG_NOW", "2026-12-04T23:30:00Z")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["to"], "2026-12-05");
}
