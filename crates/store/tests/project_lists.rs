//! Project lists page by page in every order: whatever pages were visited before
//! (so whichever remembered rows a page seeks from), each page holds the rows the
//! plain sort of the filtered projects puts there, also after a write. On SQLite
//! and on a real PostgreSQL server.

use zhaoshang_testkit::on_both_backends;

use chrono::NaiveDate;
use std::cmp::Reverse;
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::projects::{Project, ProjectData, ProjectUpsert};
use zhaoshang_store::{Actor, Store};

on_both_backends!(store: pages_hold_the_plain_sort_whatever_was_visited_before);
on_both_backends!(store: deep_pages_of_a_long_list_start_from_their_month);

const SORTS: [ProjectSort; 6] = [
    ProjectSort::SignedDesc,
    ProjectSort::SignedAsc,
    ProjectSort::InvestmentDesc,
    ProjectSort::InvestmentAsc,
    ProjectSort::Code,
    ProjectSort::UpdatedDesc,
];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Many projects share a signing date and an amount, and every seventh is unsigned,
/// so that pages break inside runs of equal values and at the unsigned ones.
fn project(index: usize) -> ProjectData {
    let signed = (!index.is_multiple_of(7)).then(|| day(2023, 1 + (index % 5) as u32, 1));
    ProjectData {
        // Codes out of creation order, so that the order by code is not the order by id.
        code: format!("L-{:03}", (index * 37) % 240),
        name: format!("项目{index}"),
        region_code: if index.is_multiple_of(3) { "620500" } else { "620402" }.into(),
        total_investment: (index % 4) as i64 * 1_000_000,
        stage: match (signed, index % 2) {
            (None, _) => "negotiating",
            (Some(_), 0) => "producing",
            (Some(_), _) => "signed",
        }
        .into(),
        signed_on: signed,
        producing_on: signed.filter(|_| index.is_multiple_of(2)).map(|d| d + chrono::Duration::days(60)),
        ..Default::default()
    }
}

fn filters() -> Vec<ProjectFilter> {
    vec![
        ProjectFilter::default(),
        ProjectFilter { region_prefix: "620402".into(), ..Default::default() },
        ProjectFilter { signed_from: Some(day(2023, 2, 1)), signed_to: Some(day(2023, 4, 30)), ..Default::default() },
        ProjectFilter { region_prefix: "62".into(), stage: Some("producing".into()), ..Default::default() },
    ]
}

fn matches(filter: &ProjectFilter, p: &Project) -> bool {
    let d = &p.data;
    d.region_code.starts_with(&filter.region_prefix)
        && filter.stage.as_ref().is_none_or(|stage| &d.stage == stage)
        && filter.signed_from.is_none_or(|from| d.signed_on.is_some_and(|s| s >= from))
        && filter.signed_to.is_none_or(|to| d.signed_on.is_some_and(|s| s <= to))
        && (!filter.exclude_dropped || d.stage != "dropped")
}

/// The ids of the filtered projects in `sort`'s order, sorted here.
fn plain_sort(all: &[Project], filter: &ProjectFilter, sort: ProjectSort) -> Vec<i64> {
    let mut rows: Vec<&Project> = all.iter().filter(|p| matches(filter, p)).collect();
    match sort {
        ProjectSort::SignedDesc => {
            rows.sort_by_key(|p| (p.data.signed_on.is_none(), Reverse((p.data.signed_on, p.id))))
        }
        ProjectSort::SignedAsc => rows.sort_by_key(|p| (p.data.signed_on.is_none(), p.data.signed_on, p.id)),
        ProjectSort::InvestmentDesc => rows.sort_by_key(|p| Reverse((p.data.total_investment, p.id))),
        ProjectSort::InvestmentAsc => rows.sort_by_key(|p| (p.data.total_investment, p.id)),
        ProjectSort::Code => rows.sort_by(|a, b| a.data.code.cmp(&b.data.code)),
        ProjectSort::UpdatedDesc => rows.sort_by_key(|p| Reverse((p.updated_at, p.id))),
    }
    rows.iter().map(|p| p.id).collect()
}

/// Page numbers (from 0) in a visiting order that jumps deep first, pages on, comes
/// back, and skips about.
fn visiting_order(pages: usize) -> Vec<usize> {
    let mut order = vec![pages.saturating_sub(2), pages.saturating_sub(1), pages / 2, pages / 2 + 1, pages / 2 - 1, 0];
    order.extend((0..pages).rev());
    order.extend((0..pages).map(|i| (i * 5) % pages));
    order.retain(|page| *page < pages);
    order
}

async fn check_every_page(store: &Store, label: &str) {
    let all = store.list_projects(&ProjectFilter::default(), ProjectSort::UpdatedDesc, i64::MAX, 0).await.unwrap();
    assert_eq!(all.len(), 240, "{label}");
    for filter in filters() {
        for sort in SORTS {
            let expected = plain_sort(&all, &filter, sort);
            assert!(expected.len() > 20, "{label}: the filter {filter:?} leaves pages to turn");
            for page_size in [7_usize, 10] {
                let pages = expected.len().div_ceil(page_size);
                for page in visiting_order(pages) {
                    let offset = page * page_size;
                    let got: Vec<i64> = store
                        .list_projects(&filter, sort, page_size as i64, offset as i64)
                        .await
                        .unwrap()
                        .iter()
                        .map(|p| p.id)
                        .collect();
                    let want: Vec<i64> = expected.iter().skip(offset).take(page_size).copied().collect();
                    assert_eq!(got, want, "{label}: {sort:?}, {filter:?}, page {page} of {page_size}");
                }
            }
            let beyond = store.list_projects(&filter, sort, 10, expected.len() as i64).await.unwrap();
            assert!(beyond.is_empty(), "{label}: nothing after the last row");
        }
    }
}

async fn pages_hold_the_plain_sort_whatever_was_visited_before(store: Store) {
    let actor = Actor::system("测试");
    let upserts: Vec<ProjectUpsert> =
        (0..240).map(|i| ProjectUpsert { data: project(i), note: "测试".into() }).collect();
    store.upsert_projects(&upserts, &actor).await.unwrap();
    check_every_page(&store, "as created").await;

    // Rows move: signed on another day, a signed project loses its date, amounts change.
    let moved: Vec<ProjectUpsert> = (0..240)
        .step_by(11)
        .map(|i| {
            let mut data = project(i);
            data.signed_on = if i % 2 == 0 { Some(day(2023, 3, 15)) } else { None };
            data.total_investment += 1;
            ProjectUpsert { data, note: "调整".into() }
        })
        .collect();
    store.upsert_projects(&moved, &actor).await.unwrap();
    check_every_page(&store, "after a write").await;
}

/// One of a long list: signings spread over 2019–2023 (several a day, every
/// thirteenth unsigned), four stages, three regions.
fn long_list_project(index: usize, round: usize) -> ProjectData {
    let signed = (!index.is_multiple_of(13))
        .then(|| day(2019, 1, 1) + chrono::Duration::days(((index * 7919 + round * 31) % 1826) as i64));
    ProjectData {
        code: format!("D-{index:05}"),
        name: format!("长列表项目{index}"),
        region_code: ["620402", "620400", "620500"][index % 3].into(),
        total_investment: (index % 9) as i64 * 10_000_000,
        stage: match signed {
            None => "negotiating",
            Some(_) => ["producing", "signed", "started", "dropped"][(index + round) % 4],
        }
        .into(),
        signed_on: signed,
        ..Default::default()
    }
}

/// Lists longer than the distance from which a page by signing date starts from its
/// month's place (counted in `stage_counts`): the pages far down such lists, each
/// visited first (nothing remembered), hold the plain sort's rows, also after a write
/// that moves rows to other months and stages.
async fn deep_pages_of_a_long_list_start_from_their_month(store: Store) {
    let actor = Actor::system("测试");
    let filters = [
        ProjectFilter::default(),
        ProjectFilter {
            region_prefix: "62".into(),
            stage: Some("producing".into()),
            signed_from: Some(day(2019, 1, 1)),
            signed_to: Some(day(2023, 12, 31)),
            ..Default::default()
        },
        ProjectFilter {
            region_prefix: "6204".into(),
            signed_from: Some(day(2019, 3, 15)),
            signed_to: Some(day(2023, 6, 20)),
            exclude_dropped: true,
            ..Default::default()
        },
    ];
    for round in 0..2 {
        // All of them, then every fifth again (moved).
        let upserts: Vec<ProjectUpsert> = (0..28_000)
            .step_by(1 + round * 4)
            .map(|i| ProjectUpsert { data: long_list_project(i, round), note: "测试".into() })
            .collect();
        store.upsert_projects(&upserts, &actor).await.unwrap();
        let all = store.list_projects(&ProjectFilter::default(), ProjectSort::UpdatedDesc, i64::MAX, 0).await.unwrap();
        for filter in &filters {
            for sort in [ProjectSort::SignedDesc, ProjectSort::SignedAsc] {
                let expected = plain_sort(&all, filter, sort);
                let len = expected.len();
                assert!(len > 6_000, "round {round}: {filter:?} is long enough ({len})");
                for offset in [5_000, 5_001, 5_999, len / 2, len - 700, len - 10, len - 1] {
                    store.forget_list_positions();
                    let got: Vec<i64> = store
                        .list_projects(filter, sort, 10, offset as i64)
                        .await
                        .unwrap()
                        .iter()
                        .map(|p| p.id)
                        .collect();
                    let want: Vec<i64> = expected.iter().skip(offset).take(10).copied().collect();
                    assert_eq!(got, want, "round {round}: {sort:?}, {filter:?}, offset {offset} of {len}");
                }
            }
        }
    }
}
