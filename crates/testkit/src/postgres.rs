//! A real PostgreSQL server for tests: the one named by `ZHAOSHANG_TEST_POSTGRES_URL`
//! (a server URL whose user may create databases), or else a temporary cluster this
//! process starts itself with Debian's `initdb`/`pg_ctl` on a free loopback port, as
//! an unprivileged user when the tests run as root, and stops at exit.

use sqlx::{Connection, PgConnection};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub const URL_VARIABLE: &str = "ZHAOSHANG_TEST_POSTGRES_URL";

struct TempServer {
    data_dir: PathBuf,
    bin_dir: PathBuf,
    run_as: Option<String>,
}

static SERVER: OnceLock<String> = OnceLock::new();
static TEMP: OnceLock<TempServer> = OnceLock::new();

/// URL of the server (ending in a database name that exists, `postgres`).
pub fn server_url() -> String {
    SERVER
        .get_or_init(|| match std::env::var(URL_VARIABLE) {
            Ok(url) if !url.trim().is_empty() => url,
            _ => start_temporary_server(),
        })
        .clone()
}

/// Creates an empty database on the server and returns its URL.
pub async fn fresh_database() -> String {
    let server = server_url();
    let name = crate::unique_name(DATABASE_PREFIX);
    let mut connection = PgConnection::connect(&server).await.expect("cannot connect to the test PostgreSQL server");
    static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    SWEPT.get_or_init(|| drop_databases_of_ended_processes(&mut connection)).await;
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection).await.expect("CREATE DATABASE failed");
    connection.close().await.ok();
    let mut created = CREATED.lock().unwrap_or_else(|e| e.into_inner());
    if created.is_empty() && TEMP.get().is_none() {
        unsafe {
            libc::atexit(drop_created_databases);
        }
    }
    created.push(name.clone());
    replace_database(&server, &name)
}

/// A new database on the server copied from `template` (which nobody may be connected
/// to), and its URL.
pub async fn copy_database(template: &str) -> String {
    let server = server_url();
    let name = crate::unique_name(DATABASE_PREFIX);
    let mut connection = PgConnection::connect(&server).await.expect("cannot connect to the test PostgreSQL server");
    // Autovacuum may visit the template for a moment, and the copy waits for it to leave.
    let mut attempts = 0;
    while let Err(error) =
        sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}")).execute(&mut connection).await
    {
        attempts += 1;
        assert!(attempts < 100, "CREATE DATABASE … TEMPLATE {template} failed: {error}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    connection.close().await.ok();
    CREATED.lock().unwrap_or_else(|e| e.into_inner()).push(name.clone());
    replace_database(&server, &name)
}

/// The database name a URL of this server ends in.
pub fn database_name(url: &str) -> &str {
    let base = url.split('?').next().unwrap_or(url);
    base.rsplit('/').next().unwrap_or(base)
}

/// Test databases are named `zs_test_{pid}_…` ([`crate::unique_name`]).
const DATABASE_PREFIX: &str = "zs_test";

/// The databases this process created on a server it did not start (a demo database
/// is tens of megabytes; a full run creates hundreds).
static CREATED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Drops this process's databases as it exits, with `psql` (no runtime is left by then);
/// what a killed process leaves, the next one sweeps.
extern "C" fn drop_created_databases() {
    let created = CREATED.lock().unwrap_or_else(|e| e.into_inner());
    let mut psql = Command::new("psql");
    psql.args(["-X", "-q", "-d", &server_url()]);
    for name in created.iter() {
        psql.args(["-c", &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")]);
    }
    let _ = psql.output();
}

/// Drops the test databases of processes that have ended (killed, or without `psql`).
async fn drop_databases_of_ended_processes(connection: &mut PgConnection) {
    let pattern = format!("{DATABASE_PREFIX}\\_%");
    let names: Vec<String> = sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE $1")
        .bind(pattern)
        .fetch_all(&mut *connection)
        .await
        .unwrap_or_default();
    for name in names {
        let pid = name.strip_prefix(DATABASE_PREFIX).and_then(|rest| rest.split('_').nth(1));
        let ended = pid.is_some_and(|pid| !Path::new("/proc").join(pid).exists());
        if ended {
            let _ =
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut *connection).await;
        }
    }
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map(|(b, q)| (b, Some(q))).unwrap_or((url, None));
    let without_db = match base.rfind('/') {
        Some(slash) if slash > "postgres://".len() => &base[..slash],
        _ => base,
    };
    match query {
        Some(q) => format!("{without_db}/{name}?{q}"),
        None => format!("{without_db}/{name}"),
    }
}

fn find_bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("ZHAOSHANG_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).filter(|p| p.join("initdb").exists()).collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions.pop().unwrap_or_else(|| {
        panic!("PostgreSQL server binaries not found: install Debian's postgresql (scripts/test.sh does) or set {URL_VARIABLE}")
    })
}

fn run(command: &mut Command, what: &str) {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn command_as(run_as: &Option<String>, program: &Path) -> Command {
    match run_as {
        Some(user) => {
            let mut command = Command::new("runuser");
            command.arg("-u").arg(user).arg("--").arg(program);
            command
        }
        None => Command::new(program),
    }
}

fn start_temporary_server() -> String {
    let bin_dir = find_bin_dir();
    // PostgreSQL refuses to run as root.
    let run_as = (unsafe { libc::geteuid() } == 0).then(|| {
        let exists =
            |name: &str| Command::new("id").arg("-u").arg(name).output().map(|o| o.status.success()).unwrap_or(false);
        if exists("postgres") {
            "postgres".to_string()
        } else {
            "nobody".to_string()
        }
    });
    let root = tempfile::Builder::new().prefix("zhaoshang-pg-").tempdir().expect("temp dir").keep();
    let data_dir = root.join("data");
    if let Some(user) = &run_as {
        run(Command::new("chown").arg(user).arg(&root), "chown of the temporary PostgreSQL folder");
    }
    run(
        command_as(&run_as, &bin_dir.join("initdb")).args(["-D"]).arg(&data_dir).args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]),
        "initdb",
    );
    let port = crate::free_port();
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        root.display()
    );
    run(
        command_as(&run_as, &bin_dir.join("pg_ctl"))
            .arg("-D")
            .arg(&data_dir)
            .arg("-o")
            .arg(options)
            .arg("-l")
            .arg(root.join("server.log"))
            .args(["-w", "-t", "60", "start"]),
        "pg_ctl start",
    );
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let _ = TEMP.set(TempServer { data_dir, bin_dir, run_as });
    unsafe {
        libc::atexit(stop_temporary_server);
    }
    url
}

extern "C" fn stop_temporary_server() {
    if let Some(server) = TEMP.get() {
        let _ = command_as(&server.run_as, &server.bin_dir.join("pg_ctl"))
            .arg("-D")
            .arg(&server.data_dir)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
        if let Some(root) = server.data_dir.parent() {
            let _ = std::fs::remove_dir_all(root);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn replaces_the_database_of_a_url() {
        assert_eq!(replace_database("postgres://u@h:1/postgres", "x"), "postgres://u@h:1/x");
        assert_eq!(
            replace_database("postgres://u@h:1/postgres?sslmode=disable", "x"),
            "postgres://u@h:1/x?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://u@h:1", "x"), "postgres://u@h:1/x");
    }
}
