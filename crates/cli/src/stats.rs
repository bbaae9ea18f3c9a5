//! `zhaoshang stats …`: the figures of SPEC.md as JSON (or a short Chinese summary).

use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use zhaoshang_app::activities::cohort_report;
use zhaoshang_app::appeals::appeal_report;
use zhaoshang_app::stats::{investment_report, known_region, parse_date, period};
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
