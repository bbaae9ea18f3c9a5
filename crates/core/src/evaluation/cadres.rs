//! 以招商引资论英雄 (issue 24 point 3): departments and cadres ranked for a period by what
//! is attributed to them — a project's 责任单位 (department), 责任人 (owner cadre) and
//! 包抓领导 (leader), a registered lead's 登记人 (registrant).
//!
//! The figures of a member over a period: the leads registered in it (projects whose
//! 线索日期 falls in it), the projects signed and their investment and the funds in place
//! (SPEC's metrics table), the lead clocks kept (the response clock's steps of those leads
//! that fell due in the period: done by their due date over all that fell due) and, for a
//! department, the appeals it handled (received in the period; answered on time over received).
//!
//! The score: each figure scaled across the group's members by the efficacy coefficient
//! (60 + 40 × (x − min) / (max − min); 100 for all when they are equal; a member without a
//! rate — no step fell due, no appeal received — scores 60 on it), weighted by
//! [`CadreKey::indicators`] and summed. Ranked by the unrounded score, then funds in place,
//! then signed investment; members equal on all three share a rank (1, 1, 3) and are listed
//! by name. Members without a name (the column left empty) are not ranked.

use crate::appeals::AppealCounts;
use crate::leads::{StepClock, StepState};
use crate::metrics::Period;
use crate::scores::{best_first, efficacy_scaled, round_half_up, weighted_sum};
use chrono::NaiveDate;
use std::cmp::Ordering;

/// Whom the figures are attributed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CadreKey {
    /// 责任单位: the project's responsible department.
    Department,
    /// 责任人: the cadre who owns the project.
    Owner,
    /// 包抓领导: the leader who looks after the project.
    Leader,
    /// 线索登记人: who registered the lead the project came from.
    Registrant,
}

/// One scored figure: its key (as the page and the download name it), label and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indicator {
    pub key: &'static str,
    pub label: &'static str,
    pub weight: f64,
}

const fn indicator(key: &'static str, label: &'static str, weight: f64) -> Indicator {
    Indicator { key, label, weight }
}

/// A cadre's indicators: the chambers' assessment's weights, the lead clocks in place of
/// activities.
const CADRE_INDICATORS: [Indicator; 5] = [
    indicator("leads", "登记线索", 0.15),
    indicator("signed_count", "签约项目", 0.20),
    indicator("signed_investment_wan", "签约投资额", 0.25),
    indicator("funds_in_place_wan", "到位资金", 0.30),
    indicator("clock_rate", "线索按时办理率", 0.10),
];

/// A department's: the appeals it handles on time besides.
const DEPARTMENT_INDICATORS: [Indicator; 6] = [
    indicator("leads", "登记线索", 0.10),
    indicator("signed_count", "签约项目", 0.15),
    indicator("signed_investment_wan", "签约投资额", 0.25),
    indicator("funds_in_place_wan", "到位资金", 0.30),
    indicator("clock_rate", "线索按时办理率", 0.10),
    indicator("appeals_on_time_rate", "诉求按时答复率", 0.10),
];

impl CadreKey {
    pub const ALL: [CadreKey; 4] = [CadreKey::Department, CadreKey::Owner, CadreKey::Leader, CadreKey::Registrant];

    /// The request's `by`.
    pub fn key(self) -> &'static str {
        match self {
            CadreKey::Department => "department",
            CadreKey::Owner => "owner",
            CadreKey::Leader => "leader",
            CadreKey::Registrant => "registrant",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CadreKey::Department => "责任单位",
            CadreKey::Owner => "责任人",
            CadreKey::Leader => "包抓领导",
            CadreKey::Registrant => "线索登记人",
        }
    }

    /// `by` as a request gives it; `department` when absent.
    pub fn parse(text: Option<&str>) -> Result<CadreKey, String> {
        match crate::text::non_empty(text) {
            None => Ok(CadreKey::Department),
            Some(key) => CadreKey::ALL.into_iter().find(|k| k.key() == key).ok_or_else(|| {
                format!("未知的统计口径“{key}”，应为 department（责任单位）、owner（责任人）、leader（包抓领导）或 registrant（线索登记人）")
            }),
        }
    }

    /// Whether the members handle appeals (a department is an appeal's 承办单位).
    pub fn handles_appeals(self) -> bool {
        self == CadreKey::Department
    }

    /// The scored figures with their weights (adding up to 1).
    pub fn indicators(self) -> &'static [Indicator] {
        if self.handles_appeals() {
            &DEPARTMENT_INDICATORS
        } else {
            &CADRE_INDICATORS
        }
    }
}

/// The lead clocks' steps that fell due in a period: how many, and how many were done by
/// their due date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClockTally {
    pub due: i64,
    pub on_time: i64,
}

impl ClockTally {
    /// The steps of `clocks` due within `period` that are settled on `today`: done (on time
    /// or late) or past their due date undone. A step due today and not yet done still
    /// runs, and is not counted.
    pub fn of(clocks: &[StepClock], period: Period, today: NaiveDate) -> ClockTally {
        let mut tally = ClockTally::default();
        for clock in clocks.iter().filter(|clock| period.contains(clock.due_on)) {
            match clock.state(today) {
                StepState::Pending => {}
                StepState::OnTime => {
                    tally.due += 1;
                    tally.on_time += 1;
                }
                StepState::Late | StepState::Overdue => tally.due += 1,
            }
        }
        tally
    }

    /// On time over due; `None` when nothing fell due.
    pub fn rate(&self) -> Option<f64> {
        (self.due > 0).then(|| self.on_time as f64 / self.due as f64)
    }
}

impl std::ops::AddAssign for ClockTally {
    fn add_assign(&mut self, other: ClockTally) {
        self.due += other.due;
        self.on_time += other.on_time;
    }
}

/// A member's figures for a period, money in yuan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CadreFigures {
    pub name: String,
    pub leads: i64,
    pub signed_count: i64,
    pub signed_investment: i64,
    pub funds_in_place: i64,
    pub clock: ClockTally,
    /// The appeals the department handled (`None` for a cadre).
    pub appeals: Option<AppealCounts>,
}

impl CadreFigures {
    /// The value of each of `key`'s indicators, in their order.
    fn values(&self, key: CadreKey) -> Vec<Option<f64>> {
        key.indicators()
            .iter()
            .map(|indicator| match indicator.key {
                "leads" => Some(self.leads as f64),
                "signed_count" => Some(self.signed_count as f64),
                "signed_investment_wan" => Some(self.signed_investment as f64),
                "funds_in_place_wan" => Some(self.funds_in_place as f64),
                "clock_rate" => self.clock.rate(),
                _ => self.appeals.and_then(|counts| counts.on_time_rate()),
            })
            .collect()
    }
}

/// A member ranked: its figures, each indicator's scaled value (in the key's order), the
/// unrounded score and the rank (from 1).
#[derive(Debug, Clone, PartialEq)]
pub struct RankedCadre {
    pub figures: CadreFigures,
    pub scaled: Vec<f64>,
    pub score: f64,
    pub rank: usize,
}

impl RankedCadre {
    /// The score as shown: rounded half up to two decimals.
    pub fn shown_score(&self) -> f64 {
        round_half_up(self.score, 2)
    }
}

fn order(a: &RankedCadre, b: &RankedCadre) -> Ordering {
    best_first(a.score, b.score)
        .then_with(|| b.figures.funds_in_place.cmp(&a.figures.funds_in_place))
        .then_with(|| b.figures.signed_investment.cmp(&a.figures.signed_investment))
}

/// Ranks the members of a group (see the module's rule); a member whose name is empty
/// or blank is left out before scaling.
pub fn rank(key: CadreKey, members: Vec<CadreFigures>) -> Vec<RankedCadre> {
    let members: Vec<CadreFigures> = members.into_iter().filter(|m| !m.name.trim().is_empty()).collect();
    let values: Vec<Vec<Option<f64>>> = members.iter().map(|m| m.values(key)).collect();
    let indicators = key.indicators();
    let scaled: Vec<Vec<f64>> =
        (0..indicators.len()).map(|i| efficacy_scaled(&values.iter().map(|v| v[i]).collect::<Vec<_>>())).collect();
    let weights: Vec<f64> = indicators.iter().map(|i| i.weight).collect();
    let mut ranked: Vec<RankedCadre> = members
        .into_iter()
        .enumerate()
        .map(|(m, figures)| {
            let own: Vec<f64> = scaled.iter().map(|indicator| indicator[m]).collect();
            RankedCadre { figures, score: weighted_sum(&weights, &own), scaled: own, rank: 0 }
        })
        .collect();
    ranked.sort_by(|a, b| order(a, b).then_with(|| a.figures.name.cmp(&b.figures.name)));
    for index in 0..ranked.len() {
        ranked[index].rank = match index {
            0 => 1,
            _ if order(&ranked[index - 1], &ranked[index]) == Ordering::Equal => ranked[index - 1].rank,
            _ => index + 1,
        };
    }
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leads::LeadStep;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn member(name: &str, leads: i64, signed: i64, investment: i64, funds: i64) -> CadreFigures {
        CadreFigures {
            name: name.into(),
            leads,
            signed_count: signed,
            signed_investment: investment,
            funds_in_place: funds,
            ..Default::default()
        }
    }

    #[test]
    fn weights_add_up_to_one_and_keys_parse() {
        for key in CadreKey::ALL {
            let sum: f64 = key.indicators().iter().map(|i| i.weight).sum();
            assert!((sum - 1.0).abs() < 1e-12, "{key:?}: {sum}");
            assert_eq!(CadreKey::parse(Some(key.key())), Ok(key));
        }
        assert_eq!(CadreKey::parse(None), Ok(CadreKey::Department));
        assert_eq!(CadreKey::parse(Some(" ")), Ok(CadreKey::Department));
        assert!(CadreKey::parse(Some("chamber")).unwrap_err().contains("未知的统计口径"));
        assert!(CadreKey::Department.indicators().iter().any(|i| i.key == "appeals_on_time_rate"));
        assert!(CadreKey::Owner.indicators().iter().all(|i| i.key != "appeals_on_time_rate"));
    }

    #[test]
    fn scores_are_the_weighted_efficacy_coefficients() {
        let ranked = rank(
            CadreKey::Owner,
            vec![member("甲", 4, 2, 3_000, 1_000), member("乙", 0, 0, 0, 0), member("丙", 2, 1, 1_500, 500)],
        );
        let names: Vec<&str> = ranked.iter().map(|r| r.figures.name.as_str()).collect();
        assert_eq!(names, ["甲", "丙", "乙"]);
        // 甲 is the maximum of every figure (100); no clock fell due for anyone (60).
        assert!((ranked[0].score - (0.90 * 100.0 + 0.10 * 60.0)).abs() < 1e-9);
        assert!((ranked[1].score - (0.90 * 80.0 + 0.10 * 60.0)).abs() < 1e-9);
        assert!((ranked[2].score - (0.90 * 60.0 + 0.10 * 60.0)).abs() < 1e-9);
        assert_eq!(ranked[1].shown_score(), 78.0);
        assert_eq!(ranked.iter().map(|r| r.rank).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(ranked[0].scaled, [100.0, 100.0, 100.0, 100.0, 60.0]);
    }

    #[test]
    fn clocks_and_appeals_count_where_they_exist() {
        let mut kept = member("按时", 1, 0, 0, 0);
        kept.clock = ClockTally { due: 4, on_time: 4 };
        let mut late = member("迟办", 1, 0, 0, 0);
        late.clock = ClockTally { due: 4, on_time: 1 };
        let ranked = rank(CadreKey::Registrant, vec![late.clone(), kept.clone(), member("无", 1, 0, 0, 0)]);
        // Equal elsewhere (100 each): the clock decides; nothing due scores as the lowest.
        assert_eq!(ranked[0].figures.name, "按时");
        assert_eq!((ranked[1].rank, ranked[2].rank), (2, 2), "迟办 (60) and 无 (missing, 60) tie");
        assert_eq!(ranked[1].figures.name, "无", "tied members by name");

        let appeals = |received, on_time| Some(AppealCounts { received, on_time, ..Default::default() });
        let mut prompt = member("商务局", 1, 1, 1, 1);
        prompt.appeals = appeals(5, 5);
        let mut slow = member("发改委", 1, 1, 1, 1);
        slow.appeals = appeals(5, 0);
        let departments = rank(CadreKey::Department, vec![slow.clone(), prompt]);
        assert_eq!(departments[0].figures.name, "商务局");
        assert!((departments[0].score - departments[1].score - 0.10 * 40.0).abs() < 1e-9);
        // The same members as cadres: appeals are not scored, so they tie.
        let cadres = rank(CadreKey::Owner, vec![slow.clone(), slow]);
        assert_eq!((cadres[0].rank, cadres[1].rank), (1, 1));
    }

    #[test]
    fn ties_break_by_funds_then_investment_and_empty_names_are_left_out() {
        let ranked = rank(
            CadreKey::Leader,
            vec![member("", 9, 9, 9, 9), member("  ", 9, 9, 9, 9), member("乙", 1, 1, 5, 5), member("甲", 1, 1, 5, 5)],
        );
        assert_eq!(ranked.len(), 2, "blank names are not ranked");
        assert_eq!(
            ranked.iter().map(|r| (r.figures.name.as_str(), r.rank)).collect::<Vec<_>>(),
            [("乙", 1), ("甲", 1)]
        );
        assert!((ranked[0].score - 96.0).abs() < 1e-9, "100 on the four figures, 60 on the clock");

        // Equal scores: 甲 leads on funds (0.30), 乙 on signings and the clock (0.20 + 0.10).
        let mut funds = member("甲", 0, 0, 0, 10);
        funds.clock = ClockTally { due: 1, on_time: 0 };
        let mut signings = member("乙", 0, 1, 0, 0);
        signings.clock = ClockTally { due: 1, on_time: 1 };
        let ranked = rank(CadreKey::Owner, vec![signings, funds]);
        assert!((ranked[0].score - ranked[1].score).abs() < 1e-9);
        assert_eq!((ranked[0].figures.name.as_str(), ranked[0].rank, ranked[1].rank), ("甲", 1, 2), "more funds first");

        // Equal scores and funds: 甲 leads on investment (0.25), 乙 on leads and the clock (0.15 + 0.10).
        let mut investment = member("甲", 0, 0, 10, 0);
        investment.clock = ClockTally { due: 1, on_time: 0 };
        let mut leads = member("乙", 1, 0, 0, 0);
        leads.clock = ClockTally { due: 1, on_time: 1 };
        let ranked = rank(CadreKey::Owner, vec![leads, investment]);
        assert!((ranked[0].score - ranked[1].score).abs() < 1e-9);
        assert_eq!((ranked[0].figures.name.as_str(), ranked[1].rank), ("甲", 2), "more investment first");
    }

    #[test]
    fn a_tally_counts_the_settled_steps_due_in_the_period() {
        let step = |due: &str, done: Option<&str>| StepClock {
            step: LeadStep::Progress,
            due_on: day(due),
            done_on: done.map(day),
            by_weekends_only: false,
        };
        let clocks = [
            step("2024-03-31", Some("2024-03-30")), // before the period
            step("2024-04-02", Some("2024-04-02")), // on time (the due day itself)
            step("2024-04-10", Some("2024-04-12")), // late
            step("2024-05-10", None),               // overdue by today
            step("2024-06-20", None),               // due today: still running
            step("2024-06-25", Some("2024-06-01")), // done early, due later in the period
            step("2024-07-01", Some("2024-06-01")), // due after the period
        ];
        let period = Period { from: day("2024-04-01"), to: day("2024-06-30") };
        let tally = ClockTally::of(&clocks, period, day("2024-06-20"));
        assert_eq!(tally, ClockTally { due: 4, on_time: 2 });
        assert_eq!(tally.rate(), Some(0.5));
        assert_eq!(ClockTally::default().rate(), None);
        let mut sum = tally;
        sum += ClockTally { due: 1, on_time: 1 };
        assert_eq!(sum, ClockTally { due: 5, on_time: 3 });
    }
}
