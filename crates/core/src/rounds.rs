//! Review rounds of the S&T achievement pool (评审轮次, issue 21 point 2): a yearly round
//! goes open → assigned (scoring) → closed → published, and its reviewers are assigned
//! to achievements by an optimisation, not a greedy pass.
//!
//! The assignment is a minimum-cost maximum flow: source → achievement group (capacity
//! N per achievement) → reviewer (capacity one per achievement of the group; no arc at all
//! for a conflict of interest) → sink (capacity the load bound ⌈N × achievements /
//! reviewers⌉ + 1). A reviewer whose fields name the achievement's industry costs
//! nothing, another costs `MISMATCH`; load above the even share ⌊N × achievements /
//! reviewers⌋ costs `OVERLOAD` per achievement, so loads stay even where fields allow.
//! Achievements that look alike to the rule (same institution, credit code and industry)
//! form one group, which keeps the network small (a few hundred groups instead of
//! thousands of achievements) without losing optimality: any flow out of a group is dealt
//! round-robin to its achievements, each getting distinct reviewers because no reviewer
//! carries more than one unit per achievement of the group. The flow is solved by the
//! `mcmf` crate (LEMON's network simplex).

use crate::achievements::{institution_key, one_institution};
use std::collections::{BTreeMap, HashMap, HashSet};

crate::vocabulary! {
    /// Where a round stands.
    pub enum RoundStatus {
        Open => ("open", "已开启"),
        Scoring => ("scoring", "评审中"),
        Closed => ("closed", "已结束"),
        Published => ("published", "已发布"),
    }
}

crate::vocabulary! {
    /// What may be done to a round.
    pub enum RoundAction {
        Assign => ("assign", "自动分配评审专家"),
        Swap => ("swap", "调换评审专家"),
        Score => ("score", "提交评分"),
        Close => ("close", "结束评审"),
        Publish => ("publish", "发布入池成果"),
    }
}

impl RoundStatus {
    /// Scores are sealed (nobody but each reviewer reads its own) until the round closes.
    pub fn seals_scores(self) -> bool {
        matches!(self, RoundStatus::Open | RoundStatus::Scoring)
    }

    /// A round has its report once closed.
    pub fn has_report(self) -> bool {
        !self.seals_scores()
    }
}

/// Reviewers per achievement unless the round says otherwise.
pub const DEFAULT_REVIEWERS: usize = 5;

/// The status a round reaches by `action`, or why it may not be done. `scored` is how
/// many scores the round holds: once one is in, the assignment is no longer redrawn
/// (single reviewers are swapped instead).
pub fn transition(status: RoundStatus, action: RoundAction, scored: usize) -> Result<RoundStatus, String> {
    use RoundAction as A;
    use RoundStatus as S;
    match (status, action) {
        (S::Open, A::Assign) => Ok(S::Scoring),
        (S::Scoring, A::Assign) if scored == 0 => Ok(S::Scoring),
        (S::Scoring, A::Assign) => Err("已有专家提交评分，不能重新自动分配，请逐一调换评审专家".into()),
        (S::Scoring, A::Swap | A::Score) => Ok(S::Scoring),
        (S::Scoring, A::Close) => Ok(S::Closed),
        (S::Closed, A::Publish) => Ok(S::Published),
        (status, action) => Err(format!("评审轮次{}，不能{}", status.label(), action.label())),
    }
}

/// How an achievement is written when it is registered in a year (issue 21: those left
/// out "may enter a later round", and the earlier round's outcome must stay as it was).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registering {
    /// A new achievement, the same year, or a correction of a year in which nothing was
    /// reviewed: written as it is.
    Write,
    /// Its year's round took place: that round keeps the achievement with its reviews as
    /// history, and it enters the later year with none.
    KeepPastRound,
}

/// Whether an achievement registered in `current` (none when new), which took part in
/// the rounds of the years `past` before, may be registered in `year`, and how.
/// `status_of` gives a year's round, `has_reviews` whether a year holds any review (an
/// imported third-party review needs no round).
pub fn registering(
    current: Option<i64>,
    past: &[i64],
    year: i64,
    status_of: impl Fn(i64) -> Option<RoundStatus>,
    has_reviews: impl Fn(i64) -> bool,
) -> Result<Registering, String> {
    if current == Some(year) {
        return Ok(Registering::Write);
    }
    if status_of(year).is_some_and(RoundStatus::has_report) {
        return Err(format!("{year}年度评审已结束，不能再登记到该年度"));
    }
    if let Some(last) = past.iter().copied().filter(|&p| p >= year).max() {
        return Err(format!("该成果已参加{last}年度评审，只能登记到更晚的年度"));
    }
    let Some(from) = current else { return Ok(Registering::Write) };
    if status_of(from) == Some(RoundStatus::Scoring) {
        return Err(format!("{from}年度评审正在进行，该成果不能改登记到其他年度"));
    }
    let round_took_place = status_of(from).is_some_and(RoundStatus::has_report) || has_reviews(from);
    match round_took_place {
        false => Ok(Registering::Write),
        true if year < from => Err(format!("该成果已参加{from}年度评审，只能登记到更晚的年度")),
        true => Ok(Registering::KeepPastRound),
    }
}

/// An achievement as the assignment sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub code: String,
    pub institution: String,
    /// The institution's 统一社会信用代码, empty when unknown.
    pub credit_code: String,
    /// The GB/T 4754 division.
    pub industry: String,
}

/// A reviewer as the assignment sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    pub name: String,
    pub institution: String,
    pub credit_code: String,
    /// The industries (GB/T 4754 divisions) the reviewer is expert in.
    pub fields: Vec<String>,
}

/// The fields of an expert as typed (`32、38`, `32,38`, `32 38`).
pub fn parse_fields(text: &str) -> Vec<String> {
    text.split(|c: char| matches!(c, '、' | ',' | '，' | ';' | '；') || c.is_whitespace())
        .map(str::trim)
        .filter(|field| !field.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether the reviewer belongs to the achievement's institution: the same credit code
/// when both have one, else (or also) the same normalised name.
pub fn conflicts(subject: &Subject, reviewer: &Reviewer) -> bool {
    one_institution((&subject.institution, &subject.credit_code), (&reviewer.institution, &reviewer.credit_code))
}

/// Whether the reviewer's fields name the achievement's industry.
pub fn matches_field(subject: &Subject, reviewer: &Reviewer) -> bool {
    !subject.industry.is_empty() && reviewer.fields.contains(&subject.industry)
}

/// The most achievements one reviewer takes: ⌈N × achievements / reviewers⌉ + 1.
pub fn load_bound(per_achievement: usize, achievements: usize, reviewers: usize) -> usize {
    if reviewers == 0 {
        return 0;
    }
    (per_achievement * achievements).div_ceil(reviewers) + 1
}

/// The even share a reviewer takes at no extra cost: ⌊N × achievements / reviewers⌋.
fn even_share(per_achievement: usize, achievements: usize, reviewers: usize) -> usize {
    (per_achievement * achievements).checked_div(reviewers).unwrap_or(0)
}

/// The cost of a reviewer outside the achievement's industry, and of an achievement
/// above a reviewer's even share.
pub const MISMATCH: i64 = 4;
pub const OVERLOAD: i64 = 1;

/// A round's assignment: for each achievement (in the order given), the reviewers (indexes
/// into the reviewers given), each list by reviewer index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub per_achievement: usize,
    pub bound: usize,
    pub reviewers_of: Vec<Vec<usize>>,
}

impl Assignment {
    /// How many achievements each reviewer has.
    pub fn loads(&self, reviewers: usize) -> Vec<usize> {
        let mut loads = vec![0; reviewers];
        for list in &self.reviewers_of {
            for &r in list {
                loads[r] += 1;
            }
        }
        loads
    }

    /// The achievements (indexes) with fewer than N reviewers: too few reviewers free of
    /// conflicts within the load bound.
    pub fn short(&self) -> Vec<usize> {
        (0..self.reviewers_of.len()).filter(|&i| self.reviewers_of[i].len() < self.per_achievement).collect()
    }

    /// What the assignment costs by the rule above (the solver's objective).
    pub fn cost(&self, subjects: &[Subject], reviewers: &[Reviewer]) -> i64 {
        let share = even_share(self.per_achievement, subjects.len(), reviewers.len());
        let mismatches: i64 = self
            .reviewers_of
            .iter()
            .enumerate()
            .map(|(a, list)| list.iter().filter(|&&r| !matches_field(&subjects[a], &reviewers[r])).count() as i64)
            .sum();
        let overload: i64 = self.loads(reviewers.len()).iter().map(|&load| load.saturating_sub(share) as i64).sum();
        MISMATCH * mismatches + OVERLOAD * overload
    }

    /// Every breach of the rules, in Chinese; empty when none: a conflict of interest, a
    /// reviewer twice on one achievement, more than N reviewers, a load above the bound.
    pub fn problems(&self, subjects: &[Subject], reviewers: &[Reviewer]) -> Vec<String> {
        let mut problems = Vec::new();
        for (a, list) in self.reviewers_of.iter().enumerate() {
            let subject = &subjects[a];
            if list.len() > self.per_achievement {
                problems.push(format!(
                    "成果 {} 分配了 {} 位专家，超过 {} 位",
                    subject.code,
                    list.len(),
                    self.per_achievement
                ));
            }
            let distinct: HashSet<&usize> = list.iter().collect();
            if distinct.len() < list.len() {
                problems.push(format!("成果 {} 重复分配了同一位专家", subject.code));
            }
            for &r in list {
                if conflicts(subject, &reviewers[r]) {
                    problems.push(format!("专家 {} 与成果 {} 同属一个单位（回避）", reviewers[r].name, subject.code));
                }
            }
        }
        for (r, load) in self.loads(reviewers.len()).into_iter().enumerate() {
            if load > self.bound {
                problems.push(format!("专家 {} 分配了 {} 项成果，超过上限 {}", reviewers[r].name, load, self.bound));
            }
        }
        problems
    }
}

/// Assigns `per_achievement` reviewers to each achievement: no conflict of interest, no
/// reviewer above the load bound, as many assignments as the rules allow and, among
/// those, the fewest reviewers outside their fields and the most even loads.
pub fn assign(subjects: &[Subject], reviewers: &[Reviewer], per_achievement: usize) -> Assignment {
    let bound = load_bound(per_achievement, subjects.len(), reviewers.len());
    let share = even_share(per_achievement, subjects.len(), reviewers.len()).min(bound);
    let mut reviewers_of = vec![Vec::new(); subjects.len()];
    if subjects.is_empty() || reviewers.is_empty() || per_achievement == 0 {
        return Assignment { per_achievement, bound, reviewers_of };
    }
    // Groups of achievements the rule cannot tell apart, in order of first appearance.
    let mut group_of_key: HashMap<(String, String, &str), usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (index, subject) in subjects.iter().enumerate() {
        let key = (
            subject.credit_code.trim().to_ascii_uppercase(),
            institution_key(&subject.institution),
            subject.industry.as_str(),
        );
        let group = *group_of_key.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[group].push(index);
    }
    // Vertices: group g is g, reviewer r is groups.len() + r.
    use mcmf::{Capacity, Cost, GraphBuilder, Vertex};
    let offset = groups.len();
    let capacity = |n: usize| Capacity(i32::try_from(n).unwrap_or(i32::MAX));
    let mut graph = GraphBuilder::<usize>::new();
    for (g, members) in groups.iter().enumerate() {
        graph.add_edge(Vertex::Source, g, capacity(per_achievement * members.len()), Cost(0));
        let sample = &subjects[members[0]];
        for (r, reviewer) in reviewers.iter().enumerate() {
            if conflicts(sample, reviewer) {
                continue;
            }
            let cost = if matches_field(sample, reviewer) { 0 } else { MISMATCH as i32 };
            graph.add_edge(g, offset + r, capacity(members.len()), Cost(cost));
        }
    }
    for r in 0..reviewers.len() {
        if share > 0 {
            graph.add_edge(offset + r, Vertex::Sink, capacity(share), Cost(0));
        }
        if bound > share {
            graph.add_edge(offset + r, Vertex::Sink, capacity(bound - share), Cost(OVERLOAD as i32));
        }
    }
    let (_, paths) = graph.mcmf();
    // The flow from each group to each reviewer, reviewers in index order.
    let mut flows: Vec<BTreeMap<usize, usize>> = vec![BTreeMap::new(); groups.len()];
    for path in &paths {
        let vertices = path.vertices();
        if let [Vertex::Source, Vertex::Node(g), Vertex::Node(r), Vertex::Sink] = vertices.as_slice() {
            *flows[*g].entry(*r - offset).or_default() += path.amount() as usize;
        }
    }
    // Dealt round-robin: a reviewer's units go to consecutive achievements of the group,
    // all distinct since it has at most one unit per achievement.
    for (g, members) in groups.iter().enumerate() {
        let mut slot = 0;
        for (&r, &units) in &flows[g] {
            for _ in 0..units {
                reviewers_of[members[slot % members.len()]].push(r);
                slot += 1;
            }
        }
    }
    for list in &mut reviewers_of {
        list.sort_unstable();
    }
    Assignment { per_achievement, bound, reviewers_of }
}

/// Whether `reviewer` may replace another on an achievement that has `current`
/// reviewers, given the reviewer's load now; the reason in Chinese when not.
pub fn check_swap(
    subject: &Subject,
    reviewer: &Reviewer,
    current: &[&str],
    load: usize,
    bound: usize,
) -> Result<(), String> {
    if conflicts(subject, reviewer) {
        return Err(format!("专家 {} 与成果 {} 同属一个单位，应当回避", reviewer.name, subject.code));
    }
    if current.contains(&reviewer.name.as_str()) {
        return Err(format!("专家 {} 已在评审成果 {}", reviewer.name, subject.code));
    }
    if load >= bound {
        return Err(format!("专家 {} 已分配 {load} 项成果，达到上限 {bound}", reviewer.name));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn registering_with(
        current: Option<i64>,
        past: &[i64],
        year: i64,
        rounds: &[(i64, RoundStatus)],
        reviewed: &[i64],
    ) -> Result<Registering, String> {
        let status_of = |y: i64| rounds.iter().find(|(ry, _)| *ry == y).map(|(_, s)| *s);
        registering(current, past, year, status_of, |y| reviewed.contains(&y))
    }

    #[test]
    fn a_new_achievement_or_the_same_year_is_written_as_it_is() {
        assert_eq!(registering_with(None, &[], 2024, &[], &[]), Ok(Registering::Write));
        // The same year stays writable even in a finished round: other fields are corrected.
        let closed = [(2023, RoundStatus::Published)];
        assert_eq!(registering_with(Some(2023), &[], 2023, &closed, &[2023]), Ok(Registering::Write));
    }

    #[test]
    fn nothing_enters_a_finished_round() {
        for status in [RoundStatus::Closed, RoundStatus::Published] {
            let rounds = [(2023, status)];
            let refused = registering_with(None, &[], 2023, &rounds, &[]).unwrap_err();
            assert_eq!(refused, "2023年度评审已结束，不能再登记到该年度");
            assert!(registering_with(Some(2024), &[], 2023, &rounds, &[]).is_err());
        }
        // An open round (not yet assigned) still takes registrations.
        assert_eq!(registering_with(None, &[], 2024, &[(2024, RoundStatus::Open)], &[]), Ok(Registering::Write));
    }

    #[test]
    fn a_reviewed_year_is_kept_and_the_achievement_moves_only_later() {
        assert_eq!(registering_with(Some(2023), &[], 2024, &[], &[2023]), Ok(Registering::KeepPastRound));
        let closed = [(2023, RoundStatus::Closed)];
        assert_eq!(registering_with(Some(2023), &[], 2025, &closed, &[]), Ok(Registering::KeepPastRound));
        let earlier = registering_with(Some(2023), &[], 2022, &[], &[2023]).unwrap_err();
        assert_eq!(earlier, "该成果已参加2023年度评审，只能登记到更晚的年度");
    }

    #[test]
    fn a_year_nobody_reviewed_is_corrected_freely() {
        assert_eq!(registering_with(Some(2024), &[], 2023, &[], &[]), Ok(Registering::Write));
        assert_eq!(registering_with(Some(2024), &[], 2023, &[(2024, RoundStatus::Open)], &[]), Ok(Registering::Write));
    }

    #[test]
    fn a_round_under_way_keeps_its_achievements() {
        let scoring = [(2024, RoundStatus::Scoring)];
        let refused = registering_with(Some(2024), &[], 2025, &scoring, &[]).unwrap_err();
        assert_eq!(refused, "2024年度评审正在进行，该成果不能改登记到其他年度");
    }

    #[test]
    fn earlier_rounds_bound_the_year_from_below() {
        let refused = registering_with(Some(2025), &[2022, 2024], 2024, &[], &[]).unwrap_err();
        assert_eq!(refused, "该成果已参加2024年度评审，只能登记到更晚的年度");
        assert_eq!(registering_with(Some(2025), &[2022, 2024], 2026, &[], &[]), Ok(Registering::Write));
    }

    fn subject(code: &str, institution: &str, industry: &str) -> Subject {
        Subject {
            code: code.into(),
            institution: institution.into(),
            credit_code: String::new(),
            industry: industry.into(),
        }
    }

    fn reviewer(name: &str, institution: &str, fields: &[&str]) -> Reviewer {
        Reviewer {
            name: name.into(),
            institution: institution.into(),
            credit_code: String::new(),
            fields: fields.iter().map(|f| f.to_string()).collect(),
        }
    }

    #[test]
    fn rounds_move_forward_only() {
        use RoundAction as A;
        use RoundStatus as S;
        assert_eq!(transition(S::Open, A::Assign, 0), Ok(S::Scoring));
        assert_eq!(transition(S::Scoring, A::Assign, 0), Ok(S::Scoring));
        assert!(transition(S::Scoring, A::Assign, 1).unwrap_err().contains("逐一调换"));
        assert_eq!(transition(S::Scoring, A::Score, 3), Ok(S::Scoring));
        assert_eq!(transition(S::Scoring, A::Close, 3), Ok(S::Closed));
        assert_eq!(transition(S::Closed, A::Publish, 3), Ok(S::Published));
        for (status, action) in [
            (S::Open, A::Score),
            (S::Open, A::Close),
            (S::Open, A::Publish),
            (S::Scoring, A::Publish),
            (S::Closed, A::Score),
            (S::Closed, A::Swap),
            (S::Closed, A::Assign),
            (S::Published, A::Close),
            (S::Published, A::Score),
        ] {
            let error = transition(status, action, 0).unwrap_err();
            assert!(error.contains(status.label()) && error.contains(action.label()), "{error}");
        }
    }

    #[test]
    fn scores_are_sealed_and_the_report_waits_until_the_close() {
        use RoundStatus as S;
        let sealed: Vec<bool> = [S::Open, S::Scoring, S::Closed, S::Published].map(S::seals_scores).to_vec();
        assert_eq!(sealed, [true, true, false, false]);
        let reported: Vec<bool> = [S::Open, S::Scoring, S::Closed, S::Published].map(S::has_report).to_vec();
        assert_eq!(reported, [false, false, true, true]);
    }

    #[test]
    fn conflicts_by_credit_code_then_normalised_name() {
        let mut a = subject("A", "兰州大学", "32");
        let mut r = reviewer("甲", "兰州 大学", &[]);
        assert!(conflicts(&a, &r), "the same name once normalised");
        r.institution = "某研究院".into();
        a.credit_code = "12620000438000000X".into();
        r.credit_code = "12620000438000000x".into();
        assert!(conflicts(&a, &r), "the same credit code under another name");
        r.credit_code = "12620000438000001X".into();
        assert!(!conflicts(&a, &r));
        assert_eq!(parse_fields("32、38, 39；65"), ["32", "38", "39", "65"]);
    }

    #[test]
    fn the_load_bound() {
        assert_eq!(load_bound(5, 2000, 150), 68);
        assert_eq!(load_bound(5, 10, 50), 2);
        assert_eq!(load_bound(5, 10, 0), 0);
    }

    #[test]
    fn fields_are_preferred_and_own_institution_avoided() {
        let subjects = vec![subject("A", "兰州大学", "32"), subject("B", "兰州理工大学", "38")];
        let reviewers = vec![
            reviewer("甲", "兰州大学", &["32"]),
            reviewer("乙", "西北师范大学", &["32"]),
            reviewer("丙", "西北师范大学", &["38"]),
            reviewer("丁", "四川大学", &["65"]),
        ];
        let result = assign(&subjects, &reviewers, 1);
        assert_eq!(result.reviewers_of, vec![vec![1], vec![2]], "each its field, never its own institution");
        assert!(result.problems(&subjects, &reviewers).is_empty());
        let two = assign(&subjects, &reviewers, 2);
        assert!(!two.reviewers_of[0].contains(&0));
        assert!(two.problems(&subjects, &reviewers).is_empty());
    }

    #[test]
    fn too_few_reviewers_leave_achievements_short_not_in_conflict() {
        let subjects = vec![subject("A", "兰州大学", "32"), subject("B", "兰州大学", "32")];
        let reviewers = vec![reviewer("甲", "兰州大学", &["32"]), reviewer("乙", "四川大学", &[])];
        let result = assign(&subjects, &reviewers, 2);
        assert_eq!(result.reviewers_of, vec![vec![1], vec![1]]);
        assert_eq!(result.short(), vec![0, 1]);
        assert!(result.problems(&subjects, &reviewers).is_empty());
    }

    #[test]
    fn a_swap_is_checked() {
        let a = subject("A", "兰州大学", "32");
        assert!(check_swap(&a, &reviewer("甲", "兰州大学", &[]), &[], 0, 5).unwrap_err().contains("回避"));
        assert!(check_swap(&a, &reviewer("乙", "四川大学", &[]), &["乙"], 0, 5).unwrap_err().contains("已在评审"));
        assert!(check_swap(&a, &reviewer("乙", "四川大学", &[]), &[], 5, 5).unwrap_err().contains("上限"));
        assert!(check_swap(&a, &reviewer("乙", "四川大学", &[]), &["丙"], 4, 5).is_ok());
    }

    /// The best a search over every assignment finds: the most assignments, then the
    /// least cost.
    fn brute_force(subjects: &[Subject], reviewers: &[Reviewer], n: usize) -> (usize, i64) {
        let bound = load_bound(n, subjects.len(), reviewers.len());
        // For each achievement, every set of at most n reviewers free of conflict.
        let options: Vec<Vec<Vec<usize>>> = subjects
            .iter()
            .map(|s| {
                let free: Vec<usize> = (0..reviewers.len()).filter(|&r| !conflicts(s, &reviewers[r])).collect();
                (0u32..1 << free.len())
                    .filter(|mask| mask.count_ones() as usize <= n)
                    .map(|mask| (0..free.len()).filter(|i| mask & (1 << i) != 0).map(|i| free[i]).collect())
                    .collect()
            })
            .collect();
        let mut best = (0usize, i64::MAX);
        let mut choice = vec![0usize; subjects.len()];
        loop {
            let reviewers_of: Vec<Vec<usize>> =
                choice.iter().enumerate().map(|(a, &c)| options[a][c].clone()).collect();
            let candidate = Assignment { per_achievement: n, bound, reviewers_of };
            if candidate.loads(reviewers.len()).iter().all(|&l| l <= bound) {
                let count: usize = candidate.reviewers_of.iter().map(Vec::len).sum();
                let cost = candidate.cost(subjects, reviewers);
                if count > best.0 || (count == best.0 && cost < best.1) {
                    best = (count, cost);
                }
            }
            // The next combination, like an odometer.
            let mut position = 0;
            loop {
                if position == choice.len() {
                    return best;
                }
                choice[position] += 1;
                if choice[position] < options[position].len() {
                    break;
                }
                choice[position] = 0;
                position += 1;
            }
        }
    }

    const INSTITUTIONS: [&str; 4] = ["兰州大学", "兰州 大学", "兰州理工大学", "西北师范大学"];
    const INDUSTRIES: [&str; 3] = ["32", "38", "65"];

    fn instance() -> impl Strategy<Value = (Vec<Subject>, Vec<Reviewer>, usize)> {
        let subject = (0..INSTITUTIONS.len(), 0..INDUSTRIES.len(), 0..3usize);
        let reviewer = (0..INSTITUTIONS.len(), proptest::collection::vec(0..INDUSTRIES.len(), 0..3), 0..3usize);
        (proptest::collection::vec(subject, 0..40), proptest::collection::vec(reviewer, 0..25), 1..6usize).prop_map(
            |(subjects, reviewers, n)| {
                let code = |c: usize| if c == 0 { String::new() } else { format!("1262000043800000{c}X") };
                let subjects = subjects
                    .into_iter()
                    .enumerate()
                    .map(|(i, (inst, ind, c))| Subject {
                        code: format!("A{i:03}"),
                        institution: INSTITUTIONS[inst].into(),
                        credit_code: code(c),
                        industry: INDUSTRIES[ind].into(),
                    })
                    .collect();
                let reviewers = reviewers
                    .into_iter()
                    .enumerate()
                    .map(|(i, (inst, fields, c))| Reviewer {
                        name: format!("R{i:02}"),
                        institution: INSTITUTIONS[inst].into(),
                        credit_code: code(c),
                        fields: fields.into_iter().map(|f| INDUSTRIES[f].to_string()).collect(),
                    })
                    .collect();
                (subjects, reviewers, n)
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Over random instances: never a conflict, a reviewer twice or a load above the
        /// bound; every achievement full whenever enough reviewers are free of conflict
        /// and the bound leaves room.
        #[test]
        fn assignments_keep_the_rules((subjects, reviewers, n) in instance()) {
            let result = assign(&subjects, &reviewers, n);
            prop_assert_eq!(result.reviewers_of.len(), subjects.len());
            let problems = result.problems(&subjects, &reviewers);
            prop_assert!(problems.is_empty(), "{:?}", problems);
            // The same rules counted here from the answer alone: the bound of the issue,
            // ⌈N × achievements / reviewers⌉ + 1, and no reviewer of the own institution.
            let mut loads = vec![0usize; reviewers.len()];
            for (a, list) in result.reviewers_of.iter().enumerate() {
                prop_assert!(list.len() <= n);
                let (subject, distinct) = (&subjects[a], list.iter().collect::<HashSet<_>>());
                prop_assert_eq!(distinct.len(), list.len());
                for &r in list {
                    loads[r] += 1;
                    let reviewer = &reviewers[r];
                    prop_assert!(!crate::achievements::same_institution(&subject.institution, &reviewer.institution));
                    prop_assert!(subject.credit_code.is_empty() || subject.credit_code != reviewer.credit_code);
                }
            }
            let bound = (n * subjects.len()).div_ceil(reviewers.len().max(1)) + 1;
            prop_assert!(loads.iter().all(|&load| load <= bound), "{:?} > {}", loads, bound);
            let free_of_conflict = |s: &Subject| reviewers.iter().filter(|r| !conflicts(s, r)).count();
            if subjects.iter().all(|s| free_of_conflict(s) == reviewers.len()) && reviewers.len() >= n {
                prop_assert!(result.short().is_empty(), "no conflicts at all: everyone full");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(60))]

        /// On instances small enough to search exhaustively, the solver finds as many
        /// assignments as possible at the least cost.
        #[test]
        fn assignments_are_optimal_on_small_instances((subjects, reviewers, n) in instance()) {
            let subjects: Vec<Subject> = subjects.into_iter().take(3).collect();
            let reviewers: Vec<Reviewer> = reviewers.into_iter().take(5).collect();
            let n = n.min(2);
            let result = assign(&subjects, &reviewers, n);
            let count: usize = result.reviewers_of.iter().map(Vec::len).sum();
            let best = brute_force(&subjects, &reviewers, n);
            prop_assert_eq!((count, result.cost(&subjects, &reviewers)), best);
        }
    }
}
