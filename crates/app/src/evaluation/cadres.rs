//! 以招商引资论英雄 (issue 24 point 3): the departments and cadres of a region ranked for a
//! period by what is attributed to them (core::evaluation::cadres), within the user's
//! project scope as the attribution of the figures reads it (its facts are the same); a
//! member's own page with the rows behind its figures; the ranking as a workbook.
//!
//! The period is a year to a quarter's end (as the 市州综合评价 reads it), the whole
//! year when no quarter is asked, the last quarter finished today when neither is.

use crate::exchange::{NumberFormat, Table};
use crate::leads::{lead_clock_tally, lead_settings};
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use zhaoshang_core::access::Principal;
use zhaoshang_core::evaluation::cadres::{rank, CadreFigures, CadreKey, ClockTally, RankedCadre};
use zhaoshang_core::evaluation::Quarter;
use zhaoshang_core::metrics::{compute_figures, FundingFact, Period, ProjectFact};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::text::non_empty;
use zhaoshang_store::appeals::{AppealFilter, AppealGrouping};
use zhaoshang_store::projects::Project;
use zhaoshang_store::stats::{AttributedLead, AttributionKey};

/// The pages' request: `by` (department, owner, leader, registrant), the region, the
/// year and quarter; `name` for a member's own page.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct CadreQuery {
    pub by: Option<String>,
    pub region: Option<String>,
    pub year: Option<String>,
    pub quarter: Option<String>,
    pub name: Option<String>,
    pub format: Option<String>,
}

/// The ranked members of a region and period.
pub struct CadreRanking {
    pub key: CadreKey,
    pub region: RegionCode,
    pub region_name: String,
    pub year: i32,
    /// `None` for the whole year.
    pub quarter: Option<u32>,
    pub period: Period,
    pub items: Vec<RankedCadre>,
    /// Whether the departments' appeals were read (not for a chain department's scope).
    pub reads_appeals: bool,
}

impl CadreRanking {
    /// "2024年1—3季度" (the year to its end) or "2024年度".
    pub fn period_label(&self) -> String {
        match self.quarter {
            Some(quarter) => format!("{}年1—{}季度", self.year, quarter),
            None => format!("{}年度", self.year),
        }
    }
}

/// A registered lead (or a project's lead) behind a member's lead figures.
pub struct LeadRow {
    pub project: Project,
    pub lead_on: NaiveDate,
    /// The registered lead's id (商会线索), when the project came as one.
    pub lead_id: Option<i64>,
    pub clock: ClockTally,
}

/// A member's own page: its place in the ranking and the rows behind its figures.
pub struct CadreResults {
    pub ranking: CadreRanking,
    /// Its index in `ranking.items`.
    pub index: usize,
    /// The projects signed in the period (not dropped), latest first.
    pub signed: Vec<Project>,
    /// The funding records dated in the period, with their projects, latest first.
    pub funding: Vec<(FundingFact, Project)>,
    pub leads: Vec<LeadRow>,
}

impl CadreResults {
    pub fn item(&self) -> &RankedCadre {
        &self.ranking.items[self.index]
    }
}

/// The year, quarter and period a request asks for.
fn requested_period(year: Option<&str>, quarter: Option<&str>) -> AppResult<(i32, Option<u32>, Period)> {
    let last = Quarter::last_finished(crate::calendar::today());
    let parsed =
        |year: &str, quarter: &str| Quarter::parse(year, quarter).map_err(|e| AppError::bad_request(e.to_string()));
    match (non_empty(year), non_empty(quarter)) {
        (None, None) => Ok((last.year(), Some(last.quarter()), last.year_to_end())),
        (Some(year), None) => {
            let whole = parsed(year, "4")?;
            Ok((whole.year(), None, whole.year_to_end()))
        }
        (year, Some(quarter)) => {
            let quarter = parsed(year.unwrap_or(&last.year().to_string()), quarter)?;
            Ok((quarter.year(), Some(quarter.quarter()), quarter.year_to_end()))
        }
    }
}

/// The member of a (trimmed) name: names as typed may carry stray spaces.
fn member<'a>(members: &'a mut BTreeMap<String, CadreFigures>, name: &str) -> &'a mut CadreFigures {
    let name = name.trim();
    members.entry(name.to_string()).or_insert_with(|| CadreFigures { name: name.to_string(), ..Default::default() })
}

/// The facts behind every member's figures.
struct MemberFacts {
    ranking: CadreRanking,
    /// By member: its projects signed by the period's end and its funding.
    groups: BTreeMap<String, (Vec<ProjectFact>, Vec<FundingFact>)>,
    leads: Vec<(AttributedLead, ClockTally)>,
}

impl App {
    async fn member_facts(&self, principal: &Principal, query: &CadreQuery) -> AppResult<MemberFacts> {
        let key = CadreKey::parse(query.by.as_deref()).map_err(AppError::bad_request)?;
        let (year, quarter, period) = requested_period(query.year.as_deref(), query.quarter.as_deref())?;
        let (from, to) = (period.from.to_string(), period.to.to_string());
        let facts = self
            .grouped_facts(principal, AttributionKey::Cadre(key), query.region.as_deref(), Some(&from), Some(&to))
            .await?;
        let store = self.store();
        let attributed = store
            .attributed_leads(
                &facts.prefix,
                facts.chains.as_deref(),
                AttributionKey::Cadre(key),
                period.from,
                period.to,
            )
            .await?;
        let (settings, calendar, today) =
            (lead_settings(store).await?, self.calendar().await?, crate::calendar::today());
        let mut leads = Vec::with_capacity(attributed.len());
        for lead in attributed {
            let clock = lead_clock_tally(&lead, &settings, &calendar, period, today)?;
            leads.push((lead, clock));
        }
        // Names as typed may carry stray spaces: a member is its trimmed name.
        let mut groups: BTreeMap<String, (Vec<ProjectFact>, Vec<FundingFact>)> = BTreeMap::new();
        for (name, (projects, funding)) in facts.groups {
            let group = groups.entry(name.trim().to_string()).or_default();
            group.0.extend(projects);
            group.1.extend(funding);
        }
        let mut members: BTreeMap<String, CadreFigures> = BTreeMap::new();
        for (name, (projects, funding)) in &groups {
            let figures = compute_figures(projects, funding, period);
            let m = member(&mut members, name);
            (m.signed_count, m.signed_investment, m.funds_in_place) =
                (figures.signed_count, figures.signed_investment.0, figures.funds_in_place.0);
        }
        for (lead, clock) in &leads {
            let m = member(&mut members, &lead.group);
            m.leads += 1;
            m.clock += *clock;
        }
        let reads_appeals = key.handles_appeals() && facts.chains.is_none();
        if reads_appeals {
            let filter = AppealFilter {
                region_prefix: facts.prefix.clone(),
                received_from: Some(period.from),
                received_to: Some(period.to),
                today,
                ..Default::default()
            };
            for (department, counts) in store.appeal_counts_by(&filter, AppealGrouping::Department, period.to).await? {
                if !department.trim().is_empty() {
                    *member(&mut members, &department).appeals.get_or_insert_default() += counts;
                }
            }
        }
        let ranking = CadreRanking {
            key,
            region: facts.region,
            region_name: facts.region_name,
            year,
            quarter,
            period,
            items: rank(key, members.into_values().collect()),
            reads_appeals,
        };
        Ok(MemberFacts { ranking, groups, leads })
    }

    /// The departments (or cadres) of a region ranked for a period, within the user's
    /// project scope (as the attribution of the figures).
    pub async fn cadre_ranking(&self, principal: &Principal, query: &CadreQuery) -> AppResult<CadreRanking> {
        Ok(self.member_facts(principal, query).await?.ranking)
    }

    /// A member's own page: its figures and rank, the projects signed, the funding and
    /// the leads behind them. 404 for a name the ranking does not hold.
    pub async fn cadre_results(&self, principal: &Principal, query: &CadreQuery) -> AppResult<CadreResults> {
        let name = non_empty(query.name.as_deref()).ok_or_else(|| AppError::bad_request("缺少姓名或单位名称"))?;
        let MemberFacts { ranking, mut groups, leads } = self.member_facts(principal, query).await?;
        let label = ranking.key.label();
        let index = ranking
            .items
            .iter()
            .position(|item| item.figures.name == name)
            .ok_or_else(|| AppError::not_found(&format!("该{label}在本期的招商成绩")))?;
        let period = ranking.period;
        let (projects, mut funding) = groups.remove(name).unwrap_or_default();
        let mut signed: Vec<&ProjectFact> = projects
            .iter()
            .filter(|p| p.stage != Stage::Dropped && p.signed_on.is_some_and(|day| period.contains(day)))
            .collect();
        signed.sort_by_key(|p| std::cmp::Reverse((p.signed_on, p.id)));
        funding.retain(|record| period.contains(record.date));
        funding.sort_by_key(|record| std::cmp::Reverse((record.date, record.project_id)));
        let leads: Vec<(AttributedLead, ClockTally)> =
            leads.into_iter().filter(|(lead, _)| lead.group.trim() == name).collect();
        let mut ids: Vec<i64> = signed.iter().map(|p| p.id).collect();
        ids.extend(funding.iter().map(|record| record.project_id));
        ids.extend(leads.iter().map(|(lead, _)| lead.project_id));
        ids.sort_unstable();
        ids.dedup();
        let stored: BTreeMap<i64, Project> =
            self.store().projects_in_order(&ids).await?.into_iter().map(|p| (p.id, p)).collect();
        let project = |id: i64| stored.get(&id).cloned().ok_or_else(|| AppError::internal(format!("项目 {id} 不存在")));
        Ok(CadreResults {
            index,
            signed: signed.iter().map(|p| project(p.id)).collect::<AppResult<_>>()?,
            funding: funding
                .into_iter()
                .map(|record| Ok((record, project(record.project_id)?)))
                .collect::<AppResult<_>>()?,
            leads: leads
                .into_iter()
                .map(|(lead, clock)| {
                    Ok(LeadRow {
                        project: project(lead.project_id)?,
                        lead_on: lead.lead_on,
                        lead_id: lead.registered.map(|r| r.id),
                        clock,
                    })
                })
                .collect::<AppResult<_>>()?,
            ranking,
        })
    }
}

/// A rate's cell: the plain fraction, empty when there is none.
fn rate_cell(rate: Option<f64>) -> String {
    rate.map(|r| r.to_string()).unwrap_or_default()
}

/// The ranking as a workbook: rank, name, the figures and the score.
pub fn cadre_table(ranking: &CadreRanking) -> Table {
    let label = ranking.key.label();
    let title = format!(
        "{}招商引资{}实绩排名（{}，{} 至 {}）",
        ranking.region_name,
        label,
        ranking.period_label(),
        ranking.period.from,
        ranking.period.to
    );
    let mut columns: Vec<(String, NumberFormat)> = vec![
        ("排名".into(), NumberFormat::Whole),
        (label.into(), NumberFormat::Text),
        ("登记线索(个)".into(), NumberFormat::Whole),
        ("签约项目(个)".into(), NumberFormat::Whole),
        ("签约投资额(万元)".into(), NumberFormat::Decimal),
        ("到位资金(万元)".into(), NumberFormat::Decimal),
        ("线索应办环节(个)".into(), NumberFormat::Whole),
        ("按时办理(个)".into(), NumberFormat::Whole),
        ("线索按时办理率".into(), NumberFormat::Percent),
    ];
    if ranking.reads_appeals {
        columns.push(("受理诉求(件)".into(), NumberFormat::Whole));
        columns.push(("按时答复(件)".into(), NumberFormat::Whole));
        columns.push(("诉求按时答复率".into(), NumberFormat::Percent));
    }
    columns.push(("综合得分".into(), NumberFormat::Decimal));
    let mut table = Table::report("实绩排名", title, columns, 2);
    for item in &ranking.items {
        let f = &item.figures;
        let mut cells = vec![
            item.rank.to_string(),
            f.name.clone(),
            f.leads.to_string(),
            f.signed_count.to_string(),
            Yuan(f.signed_investment).wan_string(),
            Yuan(f.funds_in_place).wan_string(),
            f.clock.due.to_string(),
            f.clock.on_time.to_string(),
            rate_cell(f.clock.rate()),
        ];
        if ranking.reads_appeals {
            let appeals = f.appeals.unwrap_or_default();
            cells.extend([
                appeals.received.to_string(),
                appeals.on_time.to_string(),
                rate_cell(appeals.on_time_rate()),
            ]);
        }
        cells.push(item.shown_score().to_string());
        table.rows.push(cells);
    }
    table
}
