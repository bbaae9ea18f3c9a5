//! 市州综合评价 (SPEC.md, `stats evaluation`): a region's direct sub-regions ranked each
//! quarter by `core::evaluation` under an indicator scheme — SPEC's by default, or a
//! version of one the administrator defined — from the figures the dashboard's ranking
//! reads (each sub-region's metrics report, read in one pass per period and kept in the
//! report cache) and, when the scheme asks, the appeals' rates. A published quarter keeps
//! its scheme version and the figures it was scored from, so that it is scored again
//! exactly as published, and shown beside today's figures when they differ. For the
//! pages, only the regions `core::access` lets the user see; the table as Excel.

pub mod cadres;

use crate::appeals::appeal_report;
use crate::exchange::{NumberFormat, Table};
use crate::leads::{lead_clock_tally, lead_settings};
use crate::stats::sub_region_reports;
use crate::{App, AppError, AppResult};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use zhaoshang_core::access::Principal;
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::evaluation::cadres::ClockTally;
use zhaoshang_core::evaluation::scheme::{check_scheme, IndicatorRow, RegionFigures, Scheme, SchemeErrors, Unit};
use zhaoshang_core::evaluation::{
    evaluate, rank_intervals, EvaluationItem, Quarter, RankInterval, RegionIndicators, SENSITIVITY_DRAWS,
    SENSITIVITY_SPREAD,
};
use zhaoshang_core::metrics::{InvestmentReport, Period};
use zhaoshang_core::money::YUAN_PER_WAN;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::scores::shown_weight;
use zhaoshang_core::text::non_empty;
use zhaoshang_store::audit::Actor;
use zhaoshang_store::evaluation::{PublishedEvaluation, StoredScheme};
use zhaoshang_store::Store;

/// The scheme an evaluation is scored by: SPEC's (no id, version 0) or a stored version.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemeVersion {
    pub id: Option<i64>,
    pub name: String,
    pub version: i64,
    pub scheme: Scheme,
}

/// SPEC's scheme as the pages name it.
pub const SPEC_SCHEME_NAME: &str = "省定默认方案";

impl SchemeVersion {
    pub fn spec() -> SchemeVersion {
        SchemeVersion { id: None, name: SPEC_SCHEME_NAME.to_string(), version: 0, scheme: Scheme::spec() }
    }

    fn stored(stored: StoredScheme) -> AppResult<SchemeVersion> {
        let scheme = Scheme::from_json(&stored.definition).map_err(AppError::internal)?;
        Ok(SchemeVersion { id: Some(stored.id), name: stored.name, version: stored.version, scheme })
    }

    /// "招商实绩方案 第2版", or SPEC's name.
    pub fn label(&self) -> String {
        match self.id {
            None => self.name.clone(),
            Some(_) => format!("{} 第{}版", self.name, self.version),
        }
    }
}

/// The figures a quarter is scored from: each sub-region's indicator values for the
/// quarter and for the one before (whose ranks give `previous_rank`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub current: Vec<RegionIndicators>,
    pub previous: Vec<RegionIndicators>,
}

/// The evaluation of one region and quarter, serialized as SPEC's JSON object.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub region: String,
    pub year: i32,
    pub quarter: u32,
    /// Best first.
    pub items: Vec<EvaluationItem>,
    #[serde(skip)]
    pub region_name: String,
    /// Each sub-region's ranks under weights perturbed ±20% (the sensitivity view).
    #[serde(skip)]
    pub intervals: Vec<RankInterval>,
    #[serde(skip)]
    pub scheme: SchemeVersion,
    #[serde(skip)]
    pub snapshot: Snapshot,
}

impl Evaluation {
    pub fn quarter(&self) -> Quarter {
        Quarter::new(self.year, self.quarter).expect("built from a checked quarter")
    }

    /// Scores `snapshot` by `scheme`: the items, and the sensitivity view's intervals.
    fn scored(
        region: &RegionCode,
        region_name: String,
        quarter: Quarter,
        scheme: SchemeVersion,
        snapshot: Snapshot,
    ) -> Evaluation {
        // Seeded by the quarter, so that a page shows the same intervals on every visit.
        let seed = u64::try_from(quarter.year()).unwrap_or_default() * 10 + u64::from(quarter.quarter());
        let intervals = rank_intervals(&scheme.scheme, &snapshot.current, SENSITIVITY_DRAWS, SENSITIVITY_SPREAD, seed);
        Evaluation {
            region: region.as_str().to_string(),
            year: quarter.year(),
            quarter: quarter.quarter(),
            items: evaluate(&scheme.scheme, &snapshot.current, &snapshot.previous),
            intervals,
            region_name,
            scheme,
            snapshot,
        }
    }
}

/// Ranks every direct sub-region of `region` in the divisions, with data or without, for
/// 1 January to the quarter's end by SPEC's scheme, with each one's rank of the quarter before.
pub async fn evaluation(store: &Store, region: &RegionCode, quarter: Quarter) -> AppResult<Evaluation> {
    evaluation_by(store, region, quarter, SchemeVersion::spec()).await
}

/// `evaluation` under any scheme.
pub async fn evaluation_by(
    store: &Store,
    region: &RegionCode,
    quarter: Quarter,
    scheme: SchemeVersion,
) -> AppResult<Evaluation> {
    let (children, codes) = crate::stats::sub_regions(store, region).await?;
    let (current, previous) = (quarter.year_to_end(), quarter.previous().year_to_end());
    let (current_reports, previous_reports) = tokio::try_join!(
        sub_region_reports(store, region, &codes, current),
        sub_region_reports(store, region, &codes, previous),
    )?;
    let names: Vec<&str> = children.iter().map(|child| child.name.as_str()).collect();
    let snapshot = Snapshot {
        current: indicators(store, &scheme.scheme, region, &names, &codes, &current_reports, current).await?,
        previous: indicators(store, &scheme.scheme, region, &names, &codes, &previous_reports, previous).await?,
    };
    let region_name = store.region(region.as_str()).await?.map(|r| r.name).unwrap_or_default();
    Ok(Evaluation::scored(region, region_name, quarter, scheme, snapshot))
}

/// Each sub-region's values of the scheme's indicators over `period`; the appeals',
/// leads' and chambers' figures are read only for a scheme that scores them, the leads'
/// and chambers' for all sub-regions of `parent` at once.
async fn indicators(
    store: &Store,
    scheme: &Scheme,
    parent: &RegionCode,
    names: &[&str],
    codes: &[RegionCode],
    reports: &[InvestmentReport],
    period: Period,
) -> AppResult<Vec<RegionIndicators>> {
    let (parent, group_len) = (parent.scope_prefix(), codes.first().map_or(0, |code| code.scope_prefix().len()));
    let mut lead_tallies: HashMap<String, ClockTally> = HashMap::new();
    if scheme.reads_leads() && !codes.is_empty() {
        let settings = lead_settings(store).await?;
        let calendar = Calendar::new(store.calendar_days().await?);
        let today = crate::calendar::today();
        for lead in store.registered_leads_by(parent, group_len, period.from, period.to).await? {
            *lead_tallies.entry(lead.group.clone()).or_default() +=
                lead_clock_tally(&lead, &settings, &calendar, period, today)?;
        }
    }
    let chamber_signed = match scheme.reads_chambers() && !codes.is_empty() {
        true => store.chamber_signed_investment_by(parent, group_len, period.from, period.to).await?,
        false => HashMap::new(),
    };
    let mut rows = Vec::with_capacity(reports.len());
    for ((name, code), report) in names.iter().zip(codes).zip(reports) {
        let prefix = code.scope_prefix();
        let mut figures = RegionFigures::of(report);
        if scheme.reads_appeals() {
            let appeals = appeal_report(store, code, period.from, period.to).await?;
            (figures.appeals_on_time_rate, figures.appeals_satisfaction_rate) =
                (appeals.on_time_rate, appeals.satisfaction_rate);
        }
        if scheme.reads_leads() {
            figures.leads_on_time_rate = lead_tallies.remove(prefix).unwrap_or_default().rate();
        }
        if scheme.reads_chambers() {
            let yuan = chamber_signed.get(prefix).copied().unwrap_or_default();
            figures.chamber_signed_investment_wan = Some(yuan as f64 / YUAN_PER_WAN as f64);
        }
        rows.push(RegionIndicators::from_figures(name, scheme, &figures));
    }
    Ok(rows)
}

/// Publishes a region's quarter under `scheme` with the figures it is scored from (once
/// per region and quarter: a second time is a conflict).
pub async fn publish(
    store: &Store,
    region: &RegionCode,
    quarter: Quarter,
    scheme: SchemeVersion,
    actor: &Actor,
) -> AppResult<()> {
    let scheme_id = scheme.id;
    let evaluation = evaluation_by(store, region, quarter, scheme).await?;
    let published = PublishedEvaluation {
        region_code: region.as_str().to_string(),
        year: quarter.year(),
        quarter: quarter.quarter() as i32,
        scheme_id,
        snapshot: serde_json::to_string(&evaluation.snapshot).map_err(AppError::internal)?,
        result: serde_json::to_string(&evaluation.items).map_err(AppError::internal)?,
        published_by: actor.name.clone(),
        published_at: crate::calendar::now(),
    };
    store.publish_evaluation(&published, actor).await?;
    Ok(())
}

/// A published quarter as its page shows it: scored again from its snapshot by its
/// scheme version (so exactly as published), and whether today's figures under the same
/// scheme give other scores or ranks.
#[derive(Debug, Clone)]
pub struct Publication {
    pub evaluation: Evaluation,
    pub published_by: String,
    pub published_at: chrono::DateTime<chrono::Utc>,
    /// The sub-regions whose score or rank differs today, with today's item.
    pub changed_today: Vec<EvaluationItem>,
}

/// The evaluation page: the quarter under the chosen scheme, the quarter as published
/// (if it was), and the schemes to choose from.
#[derive(Debug, Clone)]
pub struct EvaluationView {
    pub evaluation: Evaluation,
    pub publication: Option<Publication>,
    /// SPEC's, then every stored version, by name, newest first.
    pub schemes: Vec<SchemeVersion>,
    pub may_publish: bool,
}

/// SPEC's scheme, then every stored version.
async fn all_schemes(store: &Store) -> AppResult<Vec<SchemeVersion>> {
    let mut schemes = vec![SchemeVersion::spec()];
    for stored in store.evaluation_schemes().await? {
        schemes.push(SchemeVersion::stored(stored)?);
    }
    Ok(schemes)
}

impl App {
    async fn evaluation_request(
        &self,
        principal: &Principal,
        region: Option<&str>,
        year: Option<&str>,
        quarter: Option<&str>,
    ) -> AppResult<(RegionCode, Quarter)> {
        let region = self
            .region_in_view(principal, region, Principal::may_see_evaluations, Principal::may_see_evaluation_of)
            .await?;
        let last = Quarter::last_finished(crate::calendar::today());
        let year = non_empty(year).map_or_else(|| last.year().to_string(), str::to_string);
        let quarter = non_empty(quarter).map_or_else(|| last.quarter().to_string(), str::to_string);
        let quarter = Quarter::parse(&year, &quarter).map_err(|e| AppError::Invalid(e.to_string()))?;
        Ok((region, quarter))
    }

    /// A scheme as the page's `scheme` parameter names it: a stored version's id, else SPEC's.
    async fn scheme_named(&self, scheme: Option<&str>) -> AppResult<Option<SchemeVersion>> {
        let Some(text) = non_empty(scheme) else { return Ok(None) };
        let id: i64 = text.parse().map_err(|_| AppError::Invalid(format!("指标方案“{text}”无效")))?;
        let stored = self.store().evaluation_scheme(id).await?.ok_or_else(|| AppError::not_found("该指标方案"))?;
        Ok(Some(SchemeVersion::stored(stored)?))
    }

    /// The evaluation a page asks for, checked against what the user may see: the region
    /// asked for, else the user's own or the province holding data; the year and quarter
    /// asked for, else those of the last quarter finished today (China time); the scheme
    /// asked for, else the published quarter's, else SPEC's.
    pub async fn evaluation_for(
        &self,
        principal: &Principal,
        region: Option<&str>,
        year: Option<&str>,
        quarter: Option<&str>,
        scheme: Option<&str>,
    ) -> AppResult<EvaluationView> {
        let (region, quarter) = self.evaluation_request(principal, region, year, quarter).await?;
        let store = self.store();
        let published = store.published_evaluation(region.as_str(), quarter.year(), quarter.quarter()).await?;
        let publication = match published {
            None => None,
            Some(stored) => Some(self.publication(&region, quarter, stored).await?),
        };
        let evaluation = match (self.scheme_named(scheme).await?, &publication) {
            (Some(asked), _) => evaluation_by(store, &region, quarter, asked).await?,
            (None, Some(publication)) => {
                evaluation_by(store, &region, quarter, publication.evaluation.scheme.clone()).await?
            }
            (None, None) => evaluation(store, &region, quarter).await?,
        };
        let publication = publication.map(|mut publication| {
            if publication.evaluation.scheme == evaluation.scheme {
                publication.changed_today = changed(&publication.evaluation.items, &evaluation.items);
            }
            publication
        });
        Ok(EvaluationView {
            evaluation,
            publication,
            schemes: all_schemes(store).await?,
            may_publish: principal.may_administer(),
        })
    }

    /// A stored publication scored again from its snapshot by its scheme version.
    async fn publication(
        &self,
        region: &RegionCode,
        quarter: Quarter,
        stored: PublishedEvaluation,
    ) -> AppResult<Publication> {
        let scheme = match stored.scheme_id {
            None => SchemeVersion::spec(),
            Some(id) => SchemeVersion::stored(
                self.store().evaluation_scheme(id).await?.ok_or_else(|| AppError::not_found("该指标方案"))?,
            )?,
        };
        let snapshot: Snapshot = serde_json::from_str(&stored.snapshot).map_err(AppError::internal)?;
        let region_name = self.store().region(region.as_str()).await?.map(|r| r.name).unwrap_or_default();
        Ok(Publication {
            evaluation: Evaluation::scored(region, region_name, quarter, scheme, snapshot),
            published_by: stored.published_by,
            published_at: stored.published_at,
            changed_today: Vec::new(),
        })
    }

    /// Publishes a finished quarter's evaluation of a region under a scheme (admin only,
    /// once per region and quarter): its figures are kept with it, so it stays as published
    /// whatever is corrected later.
    pub async fn publish_evaluation(
        &self,
        principal: &Principal,
        actor: &Actor,
        region: Option<&str>,
        year: Option<&str>,
        quarter: Option<&str>,
        scheme: Option<&str>,
    ) -> AppResult<()> {
        crate::accounts::require_admin(principal)?;
        let (region, quarter) = self.evaluation_request(principal, region, year, quarter).await?;
        if quarter.end() >= crate::calendar::today() {
            return Err(AppError::Invalid(format!("{}尚未结束，只能发布已结束季度的评价结果", quarter.label())));
        }
        let scheme = self.scheme_named(scheme).await?.unwrap_or_else(SchemeVersion::spec);
        publish(self.store(), &region, quarter, scheme, actor).await
    }

    /// Every scheme: SPEC's, then each stored version (who may see evaluations may read them).
    pub async fn evaluation_schemes(&self, principal: &Principal) -> AppResult<Vec<SchemeVersion>> {
        if !principal.may_see_evaluations() {
            return Err(AppError::Forbidden);
        }
        all_schemes(self.store()).await
    }

    /// One scheme version: SPEC's for `None`.
    pub async fn evaluation_scheme(&self, principal: &Principal, id: Option<&str>) -> AppResult<SchemeVersion> {
        if !principal.may_see_evaluations() {
            return Err(AppError::Forbidden);
        }
        Ok(self.scheme_named(id).await?.unwrap_or_else(SchemeVersion::spec))
    }

    /// Saves a scheme form (admin only) as the next version of its name; the form's
    /// errors, each by field or figure, when it is wrong (nothing is saved).
    pub async fn save_evaluation_scheme(
        &self,
        principal: &Principal,
        actor: &Actor,
        name: &str,
        rows: &[IndicatorRow<'_>],
    ) -> AppResult<Result<SchemeVersion, SchemeErrors>> {
        crate::accounts::require_admin(principal)?;
        let (name, scheme) = match check_scheme(name, rows) {
            Ok(checked) => checked,
            Err(errors) => return Ok(Err(errors)),
        };
        if name == SPEC_SCHEME_NAME {
            let mut errors = SchemeErrors::default();
            errors.fields.insert("name", format!("“{SPEC_SCHEME_NAME}”是内置方案的名称，请另取一个"));
            return Ok(Err(errors));
        }
        let stored =
            self.store().save_evaluation_scheme(&name, &scheme.to_json(), crate::calendar::now(), actor).await?;
        Ok(Ok(SchemeVersion::stored(stored)?))
    }
}

/// The items of `today` whose score or rank differs from the published ones.
fn changed(published: &[EvaluationItem], today: &[EvaluationItem]) -> Vec<EvaluationItem> {
    today
        .iter()
        .filter(|item| {
            published
                .iter()
                .find(|p| p.region == item.region)
                .is_none_or(|p| p.score != item.score || p.rank != item.rank)
        })
        .cloned()
        .collect()
}

/// The page's table for its Excel download: each sub-region's score, ranks and awards,
/// then every indicator's value, scaled value and weighted contribution.
pub fn evaluation_table(evaluation: &Evaluation) -> Table {
    let leading = [
        ("排名", NumberFormat::Whole),
        ("上期排名", NumberFormat::Whole),
        ("名次变化", NumberFormat::Whole),
        ("地区代码", NumberFormat::Text),
        ("地区", NumberFormat::Text),
        ("综合得分", NumberFormat::Decimal),
        ("奖项", NumberFormat::Text),
    ];
    let mut columns: Vec<(String, NumberFormat)> =
        leading.iter().map(|(header, format)| (header.to_string(), *format)).collect();
    for indicator in &evaluation.scheme.scheme.indicators {
        let label = indicator.figure.label();
        let unit = indicator.figure.unit();
        let value_format = if unit == Unit::Rate { NumberFormat::Percent } else { NumberFormat::Decimal };
        columns.push((format!("{label}{}", unit.heading()), value_format));
        columns.push((format!("{label}得分"), NumberFormat::Decimal));
        columns.push((format!("{label}贡献(权重{})", shown_weight(indicator.weight())), NumberFormat::Decimal));
    }
    let quarter = evaluation.quarter();
    let title = format!(
        "{}{}市州综合评价（{}至{}，{}）",
        evaluation.region_name,
        quarter.label(),
        quarter.year_to_end().from,
        quarter.end(),
        evaluation.scheme.label()
    );
    // The region's code and name stay in view beside the indicators.
    let mut table = Table::report("综合评价", title, columns, 5);
    table.rows = evaluation
        .items
        .iter()
        .map(|item| {
            let awards: Vec<&str> = item.awards.iter().map(|award| award.label()).collect();
            let mut cells = vec![
                item.rank.to_string(),
                item.previous_rank.to_string(),
                item.rise().to_string(),
                item.region.clone(),
                item.name.clone(),
                item.score.to_string(),
                awards.join("、"),
            ];
            for part in &item.parts {
                cells.push(part.value.map_or_else(|| "—".to_string(), |value| value.to_string()));
                cells.push(part.scaled.to_string());
                cells.push(part.contribution.to_string());
            }
            cells
        })
        .collect();
    table
}
