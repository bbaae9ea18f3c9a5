//! Investment statistics as SPEC.md defines them: the figures of a scope and period
//! from SQL, assembled with last year's figures, the year's target and time progress.

use crate::{AppError, AppResult};
use chrono::NaiveDate;
use std::collections::HashMap;
use zhaoshang_core::access::ProjectScope;
use zhaoshang_core::metrics::{InvestmentFigures, InvestmentReport, Period};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::reference::Region;
use zhaoshang_store::report_cache::ReportKey;
use zhaoshang_store::Store;

/// A region's sub-regions (a province's cities, a city's counties) in code order, and
/// their codes.
pub async fn sub_regions(store: &Store, region: &RegionCode) -> AppResult<(Vec<Region>, Vec<RegionCode>)> {
    let children = store.region_children(Some(region.as_str())).await?;
    let codes = children
        .iter()
        .map(|child| RegionCode::parse(&child.code))
        .collect::<Result<_, _>>()
        .map_err(AppError::internal)?;
    Ok((children, codes))
}

/// A date typed in a query string (a filter's bound): 400 in Chinese when it is none.
pub fn parse_date(text: &str, label: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::bad_request(format!("{label}“{}”不是有效日期，应为 YYYY-MM-DD", text.trim())))
}

/// An optional date of a query string: `None` when not given.
pub fn optional_date(text: &Option<String>, label: &str) -> AppResult<Option<NaiveDate>> {
    zhaoshang_core::text::non_empty(text.as_deref()).map(|t| parse_date(t, label)).transpose()
}

/// A period typed in a query string: a start after the end is a 400 that says so,
/// never a silently empty answer.
pub fn period(from: NaiveDate, to: NaiveDate) -> AppResult<Period> {
    Period::new(from, to).map_err(|e| AppError::bad_request(e.to_string()))
}

/// The region a filter or form names, by its code or its name (白银市, or short: 白银),
/// checked to exist: the one resolver of typed regions. A name shared by several
/// divisions of the same level asks for the code.
pub async fn known_region(store: &Store, typed: &str) -> AppResult<RegionCode> {
    let typed = typed.trim();
    if typed.bytes().all(|b| b.is_ascii_digit()) {
        let region = RegionCode::parse(typed).map_err(|e| AppError::Invalid(e.to_string()))?;
        if !store.region_exists(region.as_str()).await? {
            return Err(AppError::Invalid(format!("地区代码“{region}”不存在")));
        }
        return Ok(region);
    }
    let mut named = Vec::new();
    for form in zhaoshang_core::regions::name_forms(typed) {
        named.extend(store.regions_named(&form).await?);
        // A division of exactly the typed name is meant over longer names.
        if form == typed && !named.is_empty() {
            break;
        }
    }
    let Some(top) = named.iter().map(|region| region.level).min() else {
        return Err(AppError::Invalid(format!("地区“{typed}”不存在，请填写6位行政区划代码或名称（如 白银市）")));
    };
    match named.iter().filter(|region| region.level == top).collect::<Vec<_>>().as_slice() {
        [region] => RegionCode::parse(&region.code).map_err(AppError::internal),
        several => {
            let codes: Vec<String> = several.iter().take(10).map(|r| format!("{}（{}）", r.code, r.name)).collect();
            Err(AppError::Invalid(format!("地区名称“{typed}”对应多个行政区划，请改填6位代码：{}", codes.join("、"))))
        }
    }
}

/// The SPEC report of one scope: `region` with all its sub-regions, optionally one
/// chain. Served from the store's report cache while no figure has changed since it
/// was computed (see `zhaoshang_store::report_cache`).
pub async fn investment_report(
    store: &Store,
    region: &RegionCode,
    period: Period,
    chain: Option<&str>,
) -> AppResult<InvestmentReport> {
    let key = ReportKey {
        region: region.as_str().to_string(),
        chain: chain.map(str::to_string),
        from: period.from,
        to: period.to,
    };
    // Read before the figures, so that a report is never older than its counter.
    let version = store.stats_version().await?;
    if let Some(report) = store.report_cache().get(&key, version) {
        return Ok(report);
    }
    let report = compute_investment_report(store, region, period, chain).await?;
    store.report_cache().put(key, version, report.clone());
    Ok(report)
}

/// The SPEC report of one scope computed from the database, bypassing the cache.
pub async fn compute_investment_report(
    store: &Store,
    region: &RegionCode,
    period: Period,
    chain: Option<&str>,
) -> AppResult<InvestmentReport> {
    let prefix = region.scope_prefix();
    let year = period.year_to_date();
    // The parts run at once on separate connections (each reads its own index range).
    let (current, previous, funds_year_to_date, target) = tokio::try_join!(
        store.investment_figures(prefix, chain, period),
        store.investment_figures(prefix, chain, period.same_period_last_year()),
        store.funds_in_place(prefix, chain, year.from, year.to),
        store.funds_target(region.as_str(), chrono::Datelike::year(&period.to)),
    )?;
    Ok(InvestmentReport::assemble(region.as_str(), period, &current, &previous, funds_year_to_date, target))
}

/// The SPEC report of one scope as `scope` lets the user see it: for a chain department,
/// the sum over its chains (each project has one chain, and every figure of the report
/// is a sum or a ratio of sums), so that it equals the lists behind it; `chain`, when
/// given, must be one the scope allows (checked by the caller). Served from the report
/// cache under a key no single chain has.
pub async fn scoped_investment_report(
    store: &Store,
    region: &RegionCode,
    period: Period,
    chain: Option<&str>,
    scope: &ProjectScope,
) -> AppResult<InvestmentReport> {
    let chains = match (&scope.chains, chain) {
        (None, _) | (Some(_), Some(_)) => return investment_report(store, region, period, chain).await,
        (Some(chains), None) => chains,
    };
    let key = ReportKey {
        region: region.as_str().to_string(),
        chain: Some(chain_set_key(chains)),
        from: period.from,
        to: period.to,
    };
    let version = store.stats_version().await?;
    if let Some(report) = store.report_cache().get(&key, version) {
        return Ok(report);
    }
    let chains: Vec<Option<&str>> = chains.iter().map(|chain| Some(chain.as_str())).collect();
    let (current, previous, funds_year_to_date) =
        figures_over_chains(store, region.scope_prefix(), period, &chains).await?;
    let target = store.funds_target(region.as_str(), chrono::Datelike::year(&period.to)).await?;
    let report = InvestmentReport::assemble(region.as_str(), period, &current, &previous, funds_year_to_date, target);
    store.report_cache().put(key, version, report.clone());
    Ok(report)
}

/// The figures of the scope `prefix` for the period, for the same period a year before,
/// and its funds in place from 1 January: the sum over `chains` (`None` for every chain).
async fn figures_over_chains(
    store: &Store,
    prefix: &str,
    period: Period,
    chains: &[Option<&str>],
) -> AppResult<ChildFigures> {
    let year = period.year_to_date();
    let (mut current, mut previous, mut funds_year_to_date) =
        (InvestmentFigures::default(), InvestmentFigures::default(), Yuan::default());
    for &chain in chains {
        let (c, p, f) = tokio::try_join!(
            store.investment_figures(prefix, chain, period),
            store.investment_figures(prefix, chain, period.same_period_last_year()),
            store.funds_in_place(prefix, chain, year.from, year.to),
        )?;
        current += c;
        previous += p;
        funds_year_to_date += f;
    }
    Ok((current, previous, funds_year_to_date))
}

/// The report of the projects registered at `region`'s own code rather than at any of
/// its sub-regions (市本级, 省本级), as `scope` lets the user see them: the row that makes
/// a ranking of the sub-regions add up to the region's figures. It has no target of its
/// own (the region's target covers its sub-regions too).
pub async fn scoped_own_level_report(
    store: &Store,
    region: &RegionCode,
    period: Period,
    scope: &ProjectScope,
) -> AppResult<InvestmentReport> {
    let chains: Vec<Option<&str>> = match &scope.chains {
        None => vec![None],
        Some(chains) => chains.iter().map(|chain| Some(chain.as_str())).collect(),
    };
    // A full six-digit code as the prefix: that code alone.
    let (current, previous, funds_year_to_date) = figures_over_chains(store, region.as_str(), period, &chains).await?;
    Ok(InvestmentReport::assemble(region.as_str(), period, &current, &previous, funds_year_to_date, None))
}

/// A report-cache key for the sum over a set of chains: no chain name holds U+001F.
fn chain_set_key(chains: &[String]) -> String {
    format!("\u{1f}{}", chains.join("\u{1f}"))
}

/// Signed investment and funds in place per month ("YYYY-MM", amount in yuan) of a
/// region scope as `scope` lets the user see them (the dashboard's trend).
pub async fn scoped_monthly(
    store: &Store,
    prefix: &str,
    period: Period,
    scope: &ProjectScope,
) -> AppResult<(HashMap<String, i64>, HashMap<String, i64>)> {
    let chains: Vec<Option<&str>> = match &scope.chains {
        None => vec![None],
        Some(chains) => chains.iter().map(|chain| Some(chain.as_str())).collect(),
    };
    let (mut signed, mut funds) = (HashMap::new(), HashMap::new());
    for chain in chains {
        for figure in store.monthly_signed_of(prefix, chain, period).await? {
            *signed.entry(figure.month).or_default() += figure.amount;
        }
        for figure in store.monthly_funds_of(prefix, chain, period).await? {
            *funds.entry(figure.month).or_default() += figure.amount;
        }
    }
    Ok((signed, funds))
}

/// `sub_region_reports` as `scope` lets the user see them: for a chain department, each
/// sub-region's sum over its chains.
pub async fn scoped_sub_region_reports(
    store: &Store,
    parent: &RegionCode,
    children: &[RegionCode],
    period: Period,
    scope: &ProjectScope,
) -> AppResult<Vec<InvestmentReport>> {
    let Some(chains) = &scope.chains else {
        return sub_region_reports(store, parent, children, period).await;
    };
    check_children(parent, children)?;
    let prefix = parent.scope_prefix();
    let year = period.year_to_date();
    let lengths = prefix_lengths(children);
    // Per chain, every sub-region's figures in one pass (as `compute_sub_region_reports`).
    let mut sums: HashMap<String, ChildFigures> = HashMap::new();
    for len in lengths {
        for chain in chains {
            let chain = Some(chain.as_str());
            let (current, previous, year_to_date) = tokio::try_join!(
                store.investment_figures_by(prefix, len, chain, period),
                store.investment_figures_by(prefix, len, chain, period.same_period_last_year()),
                store.funds_in_place_by(prefix, len, chain, year.from, year.to),
            )?;
            for child in children.iter().filter(|child| child.scope_prefix().len() == len) {
                let group = child.scope_prefix();
                let entry = sums.entry(group.to_string()).or_default();
                entry.0 += current.get(group).copied().unwrap_or_default();
                entry.1 += previous.get(group).copied().unwrap_or_default();
                entry.2 += year_to_date.get(group).copied().unwrap_or_default();
            }
        }
    }
    assemble_reports(store, children, period, &sums).await
}

/// The reports of `children`, sub-regions of `parent`, as `investment_report` would
/// give them one by one, but read in one pass per prefix length; served from the
/// cache while nothing has changed.
pub async fn sub_region_reports(
    store: &Store,
    parent: &RegionCode,
    children: &[RegionCode],
    period: Period,
) -> AppResult<Vec<InvestmentReport>> {
    let key = |child: &RegionCode| ReportKey {
        region: child.as_str().to_string(),
        chain: None,
        from: period.from,
        to: period.to,
    };
    let version = store.stats_version().await?;
    let cached: Option<Vec<InvestmentReport>> =
        children.iter().map(|child| store.report_cache().get(&key(child), version)).collect();
    if let Some(reports) = cached {
        return Ok(reports);
    }
    let reports = compute_sub_region_reports(store, parent, children, period).await?;
    for (child, report) in children.iter().zip(&reports) {
        store.report_cache().put(key(child), version, report.clone());
    }
    Ok(reports)
}

/// `sub_region_reports` computed from the database, bypassing the cache.
pub async fn compute_sub_region_reports(
    store: &Store,
    parent: &RegionCode,
    children: &[RegionCode],
    period: Period,
) -> AppResult<Vec<InvestmentReport>> {
    check_children(parent, children)?;
    let prefix = parent.scope_prefix();
    let year = period.year_to_date();
    let mut figures: HashMap<String, ChildFigures> = HashMap::new();
    for len in prefix_lengths(children) {
        let (current, mut previous, mut year_to_date) = tokio::try_join!(
            store.investment_figures_by(prefix, len, None, period),
            store.investment_figures_by(prefix, len, None, period.same_period_last_year()),
            store.funds_in_place_by(prefix, len, None, year.from, year.to),
        )?;
        for child in children.iter().filter(|child| child.scope_prefix().len() == len) {
            let group = child.scope_prefix();
            figures.insert(
                group.to_string(),
                (
                    current.get(group).copied().unwrap_or_default(),
                    previous.remove(group).unwrap_or_default(),
                    year_to_date.remove(group).unwrap_or_default(),
                ),
            );
        }
    }
    assemble_reports(store, children, period, &figures).await
}

/// A sub-region's figures for the period, for the same period a year before, and its
/// funds in place from 1 January, keyed by the sub-region's code prefix.
type ChildFigures = (InvestmentFigures, InvestmentFigures, Yuan);

/// Refuses a "child" that is not below `parent`.
fn check_children(parent: &RegionCode, children: &[RegionCode]) -> AppResult<()> {
    match children.iter().find(|child| !parent.contains(child) || child.as_str() == parent.as_str()) {
        Some(outside) => Err(AppError::Invalid(format!("地区“{outside}”不是“{parent}”的下级地区"))),
        None => Ok(()),
    }
}

/// The code-prefix lengths of `children`: usually one (a province's cities, a city's
/// counties); a county-level city directly under a province is longer than its neighbours.
fn prefix_lengths(children: &[RegionCode]) -> Vec<usize> {
    let mut lengths: Vec<usize> = children.iter().map(|child| child.scope_prefix().len()).collect();
    lengths.sort_unstable();
    lengths.dedup();
    lengths
}

/// Each child's report from its figures and its funds target for the year.
async fn assemble_reports(
    store: &Store,
    children: &[RegionCode],
    period: Period,
    figures: &HashMap<String, ChildFigures>,
) -> AppResult<Vec<InvestmentReport>> {
    let mut reports = Vec::with_capacity(children.len());
    for child in children {
        let (current, previous, funds_year_to_date) = figures.get(child.scope_prefix()).copied().unwrap_or_default();
        let target = store.funds_target(child.as_str(), chrono::Datelike::year(&period.to)).await?;
        reports.push(InvestmentReport::assemble(
            child.as_str(),
            period,
            &current,
            &previous,
            funds_year_to_date,
            target,
        ));
    }
    Ok(reports)
}
