//! `zhaoshang`: the one binary of the platform. Each command calls the same
//! services as the web handlers.

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;
use zhaoshang_app::accounts::{self, AccountRequest};
use zhaoshang_app::exchange;
use zhaoshang_core::access::Role;
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::Actor;

mod pool;
mod progress;
mod stats;

/// The problems of a failed import the console lists before their count.
const PROBLEMS_SHOWN: usize = 100;

#[derive(Parser)]
#[command(name = "zhaoshang", version, about = "招商云平台 Zhaoshang — investment promotion platform")]
struct Cli {
    /// sqlite://PATH or postgres://…
    #[arg(long, global = true, env = "ZHAOSHANG_DATABASE_URL", default_value = "sqlite://zhaoshang.db")]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web application
    Serve(ServeArgs),
    /// Create the database if needed and apply migrations
    Migrate,
    /// Manage user accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Statistics as SPEC.md defines them (investment, cohort, appeals)
    #[command(subcommand)]
    Stats(stats::StatsCommand),
    /// The S&T achievement pool (科技成果转化池): select a year's pool
    #[command(subcommand)]
    Pool(pool::PoolCommand),
    /// Write a backup of the whole database (gzip'd JSON lines) to FILE
    Backup { file: PathBuf },
    /// Replace the database's content with a backup FILE
    Restore { file: PathBuf },
    /// Import a .csv, .xlsx, .xls or .ods FILE (KIND: projects, funding, targets, chambers, activities, enterprises, chains, chain_enterprises, appeals, achievements, experts, reviews); a file with any bad row changes nothing. Title, 填报单位 and 单位 lines above the header, two-row headers, 合计/小计/其中 rows and notes below the table are understood
    Import {
        kind: String,
        file: PathBuf,
        /// Only check the file, write nothing
        #[arg(long)]
        dry_run: bool,
        /// Projects without a 项目编号 column: give new rows the codes PREFIX-0001, PREFIX-0002… and match
        /// the others to stored projects by region, name and investor
        #[arg(long, value_name = "PREFIX")]
        assign_codes: Option<String>,
    },
    /// Export a list (KIND: projects, funding, targets, chambers, activities, enterprises, chains, chain_enterprises, appeals, achievements, experts, reviews) to FILE.xlsx or FILE.csv
    Export { kind: String, file: PathBuf },
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on
    #[arg(long, env = "ZHAOSHANG_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Fill an empty database with demo data and accounts
    #[arg(long)]
    demo: bool,
    /// Mark session cookies Secure (when served over HTTPS)
    #[arg(long, env = "ZHAOSHANG_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Folder of the search index; default beside an SQLite file (FILE.search), in memory for PostgreSQL
    #[arg(long, env = "ZHAOSHANG_SEARCH_DIR")]
    search_dir: Option<PathBuf>,
    /// Group robot that receives reminders (企业微信 or 钉钉 webhook URL); off when absent
    #[arg(long, env = "ZHAOSHANG_WEBHOOK_URL")]
    webhook_url: Option<String>,
    /// The robot's kind: wecom (企业微信) or dingtalk (钉钉)
    #[arg(long, env = "ZHAOSHANG_WEBHOOK_KIND", default_value = "wecom")]
    webhook_kind: String,
    /// DingTalk's signing secret (加签)
    #[arg(long, env = "ZHAOSHANG_WEBHOOK_SECRET")]
    webhook_secret: Option<String>,
    /// When the daily digest of every inbox is sent on working days (China time, HH:MM)
    #[arg(long, env = "ZHAOSHANG_DIGEST_AT", default_value = "08:30")]
    digest_at: String,
}

impl ServeArgs {
    /// The robot webhook, when one is configured (checked before the server starts).
    fn webhook(&self) -> Result<Option<zhaoshang_app::notify::WebhookConfig>> {
        let Some(url) = self.webhook_url.as_deref().filter(|u| !u.trim().is_empty()) else { return Ok(None) };
        let kind = zhaoshang_app::notify::RobotKind::parse(&self.webhook_kind)?;
        Ok(Some(zhaoshang_app::notify::WebhookConfig::new(kind, url, self.webhook_secret.as_deref())?))
    }

    fn digest_time(&self) -> Result<chrono::NaiveTime> {
        chrono::NaiveTime::parse_from_str(self.digest_at.trim(), "%H:%M")
            .map_err(|_| anyhow::anyhow!("--digest-at 应为 HH:MM（北京时间），如 08:30"))
    }
}

/// Where the server keeps its search index: as asked, else beside an SQLite file.
fn search_folder(database_url: &str, asked: Option<PathBuf>) -> Option<PathBuf> {
    asked.or_else(|| {
        let path = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:"))?;
        let path = path.split('?').next().unwrap_or(path);
        (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(format!("{path}.search")))
    })
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account
    Create {
        name: String,
        /// admin, region, chain, leader, member, liaison, reviewer, investor
        #[arg(long)]
        role: String,
        /// Division code (required for region users)
        #[arg(long)]
        region: Option<String>,
        /// The chamber a liaison registers leads for (its name in the registry)
        #[arg(long)]
        chamber: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts
    List,
    /// Set a new password (read from standard input)
    SetPassword { name: String },
    /// Disable an account and end its sessions
    Disable { name: String },
    /// Enable a disabled account
    Enable { name: String },
}

fn read_password_from_stdin() -> Result<String> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).context("无法读取标准输入")?;
    let password = input.lines().next().unwrap_or("").to_string();
    if password.is_empty() {
        bail!("标准输入中没有密码");
    }
    Ok(password)
}

async fn run(cli: Cli) -> Result<()> {
    let actor = Actor::system("命令行");
    match cli.command {
        Command::Serve(args) => {
            let (webhook, digest_at) = (args.webhook()?, args.digest_time()?);
            let store = zhaoshang_app::open(&cli.database_url, args.demo).await?;
            let listener =
                tokio::net::TcpListener::bind(&args.addr).await.with_context(|| format!("无法监听 {}", args.addr))?;
            let address = listener.local_addr()?;
            let config = zhaoshang_web::Config { demo: args.demo, secure_cookies: args.secure_cookies, webhook };
            let indexing = std::time::Instant::now();
            let folder = search_folder(&cli.database_url, args.search_dir);
            let (search, rebuilt) = zhaoshang_app::search::SearchIndex::open_at(&store, folder.as_deref()).await?;
            println!(
                "搜索索引{}：{} 条企业和项目，用时 {:.1} 秒",
                if rebuilt { "已建立" } else { "已载入" },
                search.document_count(),
                indexing.elapsed().as_secs_f64()
            );
            println!("招商云平台已启动：http://{address}/{}", if args.demo { "（演示模式）" } else { "" });
            let state = zhaoshang_web::AppState::new(store, search, config);
            let app = state.app.clone();
            if app.notifier().is_enabled() {
                println!("待办提醒：新的一企一案下一步随时推送，汇总每个工作日 {digest_at} 推送到群机器人");
                tokio::spawn(zhaoshang_app::notify::run_daily_digest(app.clone(), digest_at));
            }
            zhaoshang_web::serve(listener, state, shutdown_signal()).await?;
            if folder.is_some() {
                app.seal_search_index().await?;
            }
            app.close().await;
            println!("已停止");
        }
        Command::Migrate => {
            zhaoshang_app::open(&cli.database_url, false).await?;
            println!("数据库已就绪");
        }
        Command::User(command) => {
            let store = zhaoshang_app::open(&cli.database_url, false).await?;
            match command {
                UserCommand::Create { name, role, region, chamber, display_name, password_stdin } => {
                    Role::parse(&role)?;
                    let (password, generated) = if password_stdin {
                        (read_password_from_stdin()?, false)
                    } else {
                        (zhaoshang_app::accounts::random_token()[..16].to_string(), true)
                    };
                    let request = AccountRequest {
                        username: name,
                        display_name: display_name.unwrap_or_default(),
                        role,
                        region,
                        chamber,
                        password: password.clone(),
                    };
                    let user = accounts::create_account(&store, &request, &actor).await?;
                    println!("已创建用户 {}（{}）", user.username, Role::parse(&user.role)?.label());
                    if generated {
                        println!("初始密码：{password}");
                    }
                }
                UserCommand::List => {
                    println!("{:<6} {:<20} {:<10} {:<8} 状态", "ID", "用户名", "角色", "地区");
                    for user in accounts::all_accounts(&store).await? {
                        let status = if user.disabled { "已停用" } else { "正常" };
                        println!(
                            "{:<6} {:<20} {:<10} {:<8} {status}",
                            user.id,
                            user.username,
                            user.role,
                            user.region_code.unwrap_or_default()
                        );
                    }
                }
                UserCommand::SetPassword { name } => {
                    let id = accounts::account_named(&store, &name).await?.id;
                    accounts::set_password(&store, id, &read_password_from_stdin()?, &actor).await?;
                    println!("已为 {name} 设置新密码");
                }
                UserCommand::Disable { name } => {
                    let id = accounts::account_named(&store, &name).await?.id;
                    accounts::set_disabled(&store, id, true, &actor).await?;
                    println!("已停用 {name}");
                }
                UserCommand::Enable { name } => {
                    let id = accounts::account_named(&store, &name).await?.id;
                    accounts::set_disabled(&store, id, false, &actor).await?;
                    println!("已启用 {name}");
                }
            }
        }
        Command::Stats(command) => {
            let store = zhaoshang_app::open(&cli.database_url, false).await?;
            stats::run(&store, command).await?;
        }
        Command::Pool(command) => {
            let store = zhaoshang_app::open(&cli.database_url, false).await?;
            pool::run(&store, command).await?;
        }
        Command::Backup { file } => {
            let store = zhaoshang_app::open(&cli.database_url, false).await?;
            // Written beside FILE and renamed at the end: a failed backup leaves no
            // FILE that looks whole.
            let mut partial = file.clone().into_os_string();
            partial.push(".partial");
            let partial = PathBuf::from(partial);
            let out = std::fs::File::create(&partial).with_context(|| format!("无法写入 {}", partial.display()))?;
            let (out, rows) = zhaoshang_app::backup::backup(&store, out).await?;
            out.sync_all().with_context(|| format!("无法写入 {}", partial.display()))?;
            std::fs::rename(&partial, &file).with_context(|| format!("无法写入 {}", file.display()))?;
            println!("已备份到 {}（{rows} 行）", file.display());
        }
        Command::Restore { file } => {
            let input = std::fs::File::open(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let store = zhaoshang_app::open(&cli.database_url, false).await?;
            zhaoshang_app::backup::restore(&store, input, &actor).await?;
            println!("已从 {} 恢复", file.display());
        }
        Command::Import { kind, file, dry_run, assign_codes } => {
            let kind = exchange::ImportKind::parse(&kind)?;
            let store = zhaoshang_app::open(&cli.database_url, false).await?;
            let (progress, console) = progress::start();
            let options = exchange::ImportOptions { dry_run, assign_codes, progress, ..Default::default() };
            let report = exchange::import_file_with(&store, kind, &file, &options, &actor).await;
            console.finish();
            let report = report?;
            for warning in &report.warnings {
                eprintln!("提示：{warning}");
            }
            if !report.is_ok() {
                // Every problem is in the report; a console shows the first ones and the count.
                for problem in report.problems.iter().take(PROBLEMS_SHOWN) {
                    eprintln!("{problem}");
                }
                if report.problems.len() > PROBLEMS_SHOWN {
                    eprintln!(
                        "……另有 {} 处问题未列出（共 {} 处）",
                        report.problems.len() - PROBLEMS_SHOWN,
                        report.problems.len()
                    );
                }
                bail!("{}", report.summary_zh());
            }
            // The codes given to a file without them, for the office to keep.
            for assigned in &report.assigned_codes {
                let how = if assigned.existing { "已登记项目" } else { "新编号" };
                println!("第{}行 {}：{}（{how}）", assigned.row, assigned.name, assigned.code);
            }
            println!("{}", report.summary_zh());
        }
        Command::Export { kind, file } => {
            let kind = exchange::ImportKind::parse(&kind)?;
            exchange::TableFormat::from_file_name(&file.to_string_lossy())?;
            let store = zhaoshang_app::open(&cli.database_url, false).await?;
            let rows = exchange::export_file(&store, kind, &file, &ProjectFilter::default()).await?;
            println!("已导出{} {rows} 行到 {}", kind.label(), file.display());
            if kind == exchange::ImportKind::Reviews {
                let sealed = zhaoshang_app::rounds::sealed_years(&store).await?;
                if !sealed.is_empty() {
                    let years: Vec<String> = sealed.iter().map(i64::to_string).collect();
                    eprintln!("注意：{} 年度评审尚未结束，其评分未导出（评分栏留空）", years.join("、"));
                }
            }
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("ZHAOSHANG_LOG").unwrap_or_else(|_| "warn".into()))
        .init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("错误：{error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
