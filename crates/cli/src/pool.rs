//! `zhaoshang pool …`: the S&T achievement pool (科技成果转化池).

use anyhow::Result;
use clap::Subcommand;
use zhaoshang_app::achievements::{parse_year, selection, selection_json};
use zhaoshang_core::achievements::{Ratio, Weights};
use zhaoshang_store::Store;

#[derive(Subcommand)]
pub enum PoolCommand {
    /// Score a year's reviews and select the pool: the best ⌊ratio × registered⌋ achievements
    Select {
        /// The registration year (登记年度), e.g. 2023
        #[arg(long)]
        year: String,
        /// The share of the registered achievements that enters the pool, in (0, 1]
        #[arg(long, default_value = "0.2", allow_negative_numbers = true)]
        ratio: String,
        /// Weights of market potential, economic value and technical content, e.g. 0.3,0.3,0.4 (equal by default)
        #[arg(long)]
        weights: Option<String>,
        /// Print the JSON object of SPEC.md
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(store: &Store, command: PoolCommand) -> Result<()> {
    match command {
        PoolCommand::Select { year, ratio, weights, json } => {
            let year = parse_year(&year)?;
            let ratio = Ratio::parse(&ratio).map_err(anyhow::Error::msg)?;
            let weights = weights.as_deref().map(Weights::parse).transpose().map_err(anyhow::Error::msg)?;
            let selection = selection(store, year, ratio, weights.unwrap_or_default()).await?;
            let report = selection_json(year, &selection);
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(());
            }
            println!(
                "{year} 年度登记科技成果 {} 项，已评审 {} 项，入池 {} 项（比例 {}）",
                report.registered,
                selection.ranked.len(),
                report.selected.len(),
                ratio.value()
            );
            println!("{:<6} {:<20} {:<8} {:<10} 行业内名次", "名次", "成果编号", "综合得分", "行业");
            for (index, item) in report.selected.iter().enumerate() {
                println!(
                    "{:<6} {:<20} {:<8.2} {:<10} {}",
                    index + 1,
                    item.code,
                    item.composite,
                    item.industry,
                    item.rank_in_industry
                );
            }
        }
    }
    Ok(())
}
