//! `zhaoshang stats …`: the figures of SPEC.md as JSON (or a short Chinese summary).

use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use zhaoshang_app::activities::cohort_report;
use zhaoshang_app::appeals::appeal_report;
use zhaoshang_app::evaluation::{evaluation, Evaluation};
use zhaoshang_app::exchange::write_workbook;
use zhaoshang_app::reports::{report_month, statistical_report, statistical_workbook, StatisticalReport};
use zhaoshang_app::stats::{investment_report, known_region, parse_date, period};
use zhaoshang_core::access::{ProjectScope, RecordScope};
use zhaoshang_core::evaluation::Quarter;
use zhaoshang_store::Store;

#[derive(Subcommand)]
pub enum StatsCommand {
    /// Investment metrics of a region (with its sub-regions) over a period
    Investment {
        /// Division code, e.g. 620500
        #[arg(long)]
        region: String,
        /// First day, YYYY-MM-DD
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD
        #[arg(long)]
        to: String,
        /// Only projects of this industrial chain
        #[arg(long)]
        chain: Option<String>,
        /// Print the JSON object of SPEC.md
        #[arg(long)]
        json: bool,
    },
    /// Assess every chamber of the registry for a calendar year (先进商会)
    Chambers {
        /// The year, e.g. 2023
        #[arg(long)]
        year: i32,
        /// Print the JSON object of SPEC.md
        #[arg(long)]
        json: bool,
    },
    /// Follow the projects signed at one activity (a signing cohort)
    Cohort {
        /// The activity's name, e.g. 第二十九届兰洽会
        #[arg(long)]
        activity: String,
        /// Up to this day (default today), YYYY-MM-DD
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Quarterly ranking of a region's direct sub-regions (市州综合评价)
    Evaluation {
        /// Division code whose sub-regions are ranked, e.g. 620000
        #[arg(long)]
        region: String,
        /// Year, e.g. 2024
        #[arg(long)]
        year: String,
        /// Quarter, 1–4
        #[arg(long)]
        quarter: String,
        /// Print the JSON object of SPEC.md
        #[arg(long)]
        json: bool,
    },
    /// The monthly statistical report (招商引资情况统计报表) of a region, 1 January to the
    /// end of an ended month
    Report {
        /// Division code, e.g. 620000
        #[arg(long)]
        region: String,
        /// Last month, YYYY-MM (the report runs from 1 January to its last day); the
        /// latest ended month where absent
        #[arg(long)]
        month: Option<String>,
        /// Also write the report's workbook (one sheet a table) to this .xlsx file
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Business-environment appeals of a region (with its sub-regions) received in a period
    Appeals {
        /// Division code, e.g. 620400
        #[arg(long)]
        region: String,
        /// First day, YYYY-MM-DD
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD
        #[arg(long)]
        to: String,
        /// Print the JSON object of SPEC.md
        #[arg(long)]
        json: bool,
    },
}

fn percent(value: Option<f64>) -> String {
    value.map(|v| format!("{:.2}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

pub async fn run(store: &Store, command: StatsCommand) -> Result<()> {
    match command {
        StatsCommand::Investment { region, from, to, chain, json } => {
            let region = known_region(store, &region).await?;
            let period = period(parse_date(&from, "开始日期")?, parse_date(&to, "结束日期")?)?;
            let report = investment_report(store, &region, period, chain.as_deref()).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "{} {} 至 {}：签约项目 {} 个，签约额 {} 万元，到位资金 {} 万元，资金到位率 {}，开工率 {}，实施项目 {} 个",
                    report.region,
                    report.from,
                    report.to,
                    report.signed_count,
                    report.signed_investment_wan,
                    report.funds_in_place_wan,
                    percent(report.arrival_rate),
                    percent(report.start_rate),
                    report.implementing_count
                );
            }
        }
        StatsCommand::Chambers { year, json } => {
            let report = zhaoshang_app::chambers::assessment(store, year).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                let weights: Vec<String> =
                    report.weights.entries().map(|(_, label, weight)| format!("{label} {weight}")).collect();
                println!(
                    "{} 年度先进商会评价（共 {} 家；权重：{}）",
                    report.year,
                    report.items.len(),
                    weights.join("，")
                );
                println!("名次\t得分\t线索\t签约项目\t签约额(万元)\t到位资金(万元)\t参与活动\t商会名称");
                for item in &report.items {
                    println!(
                        "{}\t{:.2}\t{}\t{}\t{}\t{}\t{}\t{}",
                        item.rank,
                        item.score,
                        item.leads,
                        item.signed_count,
                        item.signed_investment_wan,
                        item.funds_in_place_wan,
                        item.activities,
                        item.chamber
                    );
                }
            }
        }
        StatsCommand::Cohort { activity, to, json } => {
            let to: NaiveDate = match to {
                Some(text) => parse_date(&text, "截止日期")?,
                None => zhaoshang_app::calendar::today(),
            };
            let report = cohort_report(store, &activity, to).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "{} 截至 {}：签约 {} 个，{} 万元，到位 {} 万元，到位率 {}，开工率 {}，投产率 {}",
                    report.activity,
                    report.to,
                    report.signed_count,
                    report.signed_investment_wan,
                    report.funds_in_place_wan,
                    percent(report.arrival_rate),
                    percent(report.start_rate),
                    percent(report.completion_rate)
                );
            }
        }
        StatsCommand::Evaluation { region, year, quarter, json } => {
            // Year and quarter are read as text so that a bad one is a Chinese error (exit 1).
            let quarter = Quarter::parse(&year, &quarter)?;
            let region = known_region(store, &region).await?;
            let evaluation = evaluation(store, &region, quarter).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&evaluation)?);
            } else {
                print_evaluation(&evaluation);
            }
        }
        StatsCommand::Report { region, month, output } => {
            let region = known_region(store, &region).await?;
            let month = report_month(month.as_deref(), zhaoshang_app::calendar::today())?;
            let everything = ProjectScope { regions: RecordScope::All, chains: None };
            let report = statistical_report(store, &region, month, &everything).await?;
            print_statistical_report(&report);
            if let Some(path) = output {
                let bytes = write_workbook(&statistical_workbook(&report))?;
                std::fs::write(&path, bytes).map_err(|e| anyhow::anyhow!("无法写入 {}：{e}", path.display()))?;
                println!("已写入 {}", path.display());
            }
        }
        StatsCommand::Appeals { region, from, to, json } => {
            let region = known_region(store, &region).await?;
            let report =
                appeal_report(store, &region, parse_date(&from, "开始日期")?, parse_date(&to, "结束日期")?).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("{} {} 至 {} 企业诉求", report.region, report.from, report.to);
                println!(
                    "受理 {} 件，已答复 {} 件，按时答复 {} 件（按时答复率 {}），超期 {} 件，办结 {} 件（办结率 {}），满意率 {}",
                    report.received_count,
                    report.answered_count,
                    report.on_time_count,
                    percent(report.on_time_rate),
                    report.overdue_count,
                    report.resolved_count,
                    percent(report.resolution_rate),
                    percent(report.satisfaction_rate)
                );
                println!("{:<10}{:>8}{:>12}{:>10}", "诉求维度", "受理", "按时答复率", "满意率");
                for (dimension, figures) in &report.by_dimension.0 {
                    println!(
                        "{:<10}{:>8}{:>12}{:>10}",
                        dimension.label(),
                        figures.received_count,
                        percent(figures.on_time_rate),
                        percent(figures.satisfaction_rate)
                    );
                }
            }
        }
    }
    Ok(())
}

/// The report's tables, each line with this year's signings and funds and their 同比.
fn print_statistical_report(report: &StatisticalReport) {
    println!("{}", report.title());
    for (index, table) in report.tables.iter().enumerate() {
        println!("\n表{} {}", index + 1, table.breakdown.label());
        println!("项目\t签约项目(个)\t签约投资额(万元)\t同比\t到位资金(万元)\t同比");
        for line in std::iter::once(&table.total).chain(&table.lines) {
            let yoy = line.yoy();
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                line.label,
                line.current.signed_count,
                line.current.signed_investment.wan_string(),
                percent(yoy.signed_investment_wan),
                line.current.funds_in_place.wan_string(),
                percent(yoy.funds_in_place_wan)
            );
        }
    }
}

/// The ranking as a table: rank, last quarter's rank, region, score, awards.
fn print_evaluation(evaluation: &Evaluation) {
    let quarter = evaluation.quarter();
    println!(
        "{}{}市州综合评价（{}至{}）",
        evaluation.region_name,
        quarter.label(),
        quarter.year_to_end().from,
        quarter.end()
    );
    if evaluation.items.is_empty() {
        println!("该地区没有下级地区");
        return;
    }
    println!("{:>4}  {:>4}  {:<6}  {:<10}  {:>7}  奖项", "排名", "上期", "代码", "地区", "得分");
    for item in &evaluation.items {
        let awards: Vec<&str> = item.awards.iter().map(|award| award.label()).collect();
        // Chinese characters take two columns: pad names by display width.
        let padding = 12usize.saturating_sub(item.name.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum());
        println!(
            "{:>6}  {:>6}  {:<8}  {}{}  {:>9.2}  {}",
            item.rank,
            item.previous_rank,
            item.region,
            item.name,
            " ".repeat(padding),
            item.score,
            awards.join("、")
        );
    }
}
