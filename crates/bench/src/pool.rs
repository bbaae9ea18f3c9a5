//! The S&T pool's reviewer assignment at the size of issue 21: 2,000 achievements × 5
//! reviewers over 150 reviewers, target under 2 s, with the rules checked on the answer.

use crate::report::Target;
use crate::Bench;
use zhaoshang_core::rounds::{assign, load_bound, Reviewer, Subject};

pub const ACHIEVEMENTS: usize = 2_000;
pub const REVIEWERS: usize = 150;
pub const PER_ACHIEVEMENT: usize = 5;
pub const ASSIGN_TARGET: Target = Target::P95Ms(2_000.0);

const INSTITUTIONS: usize = 40;
const INDUSTRIES: [&str; 12] = ["01", "13", "26", "27", "32", "34", "38", "39", "44", "65", "73", "75"];

/// splitmix64 of `seed`: the same instance on every run.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn institution(n: u64) -> String {
    format!("第{}研究院", n % INSTITUTIONS as u64)
}

/// The benchmark's instance: achievements of 40 institutions in 12 industries, reviewers
/// of the same institutions (so conflicts abound) with one or two fields each.
pub fn instance() -> (Vec<Subject>, Vec<Reviewer>) {
    let subjects = (0..ACHIEVEMENTS as u64)
        .map(|i| Subject {
            code: format!("CG-{i:05}"),
            institution: institution(mix(i)),
            credit_code: String::new(),
            industry: INDUSTRIES[(mix(i + 7_000) % INDUSTRIES.len() as u64) as usize].to_string(),
        })
        .collect();
    let reviewers = (0..REVIEWERS as u64)
        .map(|i| {
            let seed = mix(i + 100_000);
            let first = INDUSTRIES[(seed % 12) as usize].to_string();
            let mut fields = vec![first];
            if seed.is_multiple_of(3) {
                fields.push(INDUSTRIES[((seed >> 8) % 12) as usize].to_string());
            }
            Reviewer {
                name: format!("专家{i:03}"),
                institution: institution(seed >> 16),
                credit_code: String::new(),
                fields,
            }
        })
        .collect();
    (subjects, reviewers)
}

impl Bench<'_> {
    pub(crate) async fn pool_assignment(&mut self) -> anyhow::Result<()> {
        let (subjects, reviewers) = instance();
        let (samples, result) =
            crate::measure::time_runs(self.runs, async || Ok(assign(&subjects, &reviewers, PER_ACHIEVEMENT))).await?;
        let problems = result.problems(&subjects, &reviewers);
        self.checks.record(
            "pool assignment: no conflict, no reviewer twice, loads within the bound",
            problems.is_empty(),
            || problems.iter().take(5).cloned().collect::<Vec<_>>().join("; "),
        );
        let short = result.short().len();
        self.checks.equal("pool assignment: every achievement has its 5 reviewers", &short, &0);
        let bound = load_bound(PER_ACHIEVEMENT, ACHIEVEMENTS, REVIEWERS);
        let loads = result.loads(REVIEWERS);
        self.notes.push(format!(
            "pool assignment: loads {}–{} (bound {bound}), cost {}",
            loads.iter().min().unwrap_or(&0),
            loads.iter().max().unwrap_or(&0),
            result.cost(&subjects, &reviewers)
        ));
        self.push(
            format!("pool assignment, {ACHIEVEMENTS} achievements × {PER_ACHIEVEMENT} over {REVIEWERS} reviewers"),
            samples,
            None,
            ASSIGN_TARGET,
        );
        Ok(())
    }
}
