//! Bounded fuzzing of every reader and parser that takes a user's bytes or text: CSV
//! (UTF-8, GBK, any bytes), XLSX (real workbooks with bytes flipped), dates, amounts,
//! credit codes and keywords never panic; CSV cells survive export and import; a file
//! with any bad row imports nothing. The test command runs a bounded number of cases;
//! `PROPTEST_CASES=20000 cargo test -p zhaoshang-app --test fuzz_readers` runs longer.

use proptest::prelude::*;
use zhaoshang_app::exchange::{import_bytes, parse_date, parse_wan, read_sheet, ImportKind};
use zhaoshang_store::Actor;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    }
}

/// Text as offices type it and as attackers send it: CJK, digits, separators, quotes,
/// line breaks, formula starts, full-width forms, control characters.
fn office_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('甘'),
            Just('肃'),
            Just('万'),
            Just('元'),
            Just('年'),
            Just('月'),
            Just('日'),
            Just('合'),
            Just('计'),
            Just('0'),
            Just('1'),
            Just('9'),
            Just('.'),
            Just('-'),
            Just('/'),
            Just(','),
            Just(';'),
            Just('"'),
            Just('\''),
            Just('\n'),
            Just('\r'),
            Just('\t'),
            Just(' '),
            Just('='),
            Just('+'),
            Just('@'),
            Just('（'),
            Just('）'),
            Just('\u{feff}'),
            Just('\u{0}'),
            Just('a'),
            Just('E'),
            any::<char>(),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn plain_workbook() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in ["项目编号", "项目名称", "所属地区", "总投资(万元)", "签约日期"].iter().enumerate()
    {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "FZ-1").unwrap();
    sheet.write_string(1, 1, "新型建材项目").unwrap();
    sheet.write_number(1, 3, 52000.5).unwrap();
    workbook.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_read_as_csv_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_sheet("any.csv", &bytes);
    }

    #[test]
    fn gbk_text_reads_as_it_was_written(cells in proptest::collection::vec(office_text(), 1..6)) {
        let line: Vec<String> = cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
        let text = format!("项目编号,名称\n{}\n", line.join(","));
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
        if !unmappable {
            let from_gbk = read_sheet("gbk.csv", &gbk).map(|s| (s.headers, s.rows.into_iter().map(|r| r.cells).collect::<Vec<_>>()));
            let from_utf8 = read_sheet("utf8.csv", text.as_bytes()).map(|s| (s.headers, s.rows.into_iter().map(|r| r.cells).collect::<Vec<_>>()));
            if let (Ok(gbk), Ok(utf8)) = (&from_gbk, &from_utf8) {
                prop_assert_eq!(gbk, utf8);
            }
        }
    }

    #[test]
    fn workbooks_with_flipped_bytes_are_read_or_refused_without_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = plain_workbook();
        for (at, value) in flips {
            let index = at.index(bytes.len());
            bytes[index] = value;
        }
        let _ = read_sheet("flipped.xlsx", &bytes);
    }

    #[test]
    fn parsers_of_typed_values_never_panic(text in office_text()) {
        let _ = parse_date(&text);
        let _ = parse_wan(&text);
        let _ = zhaoshang_core::credit_code::parse(&text);
        let _ = zhaoshang_core::text::keyword(Some(&text));
        let _ = zhaoshang_core::regions::RegionCode::parse(&text);
    }

    #[test]
    fn amounts_read_back_exactly(yuan in -10_000_000_000_000i64..10_000_000_000_000i64) {
        let written = zhaoshang_core::money::Yuan(yuan).wan_string();
        prop_assert_eq!(parse_wan(&written).unwrap().0, yuan);
    }
}

/// A file of rows some of which are bad imports nothing; one whose rows are all good
/// imports every row. Random rows on SQLite (the import's rules are the same on both
/// backends, which the exchange tests cover).
#[test]
fn a_file_with_any_bad_row_imports_nothing() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("fuzz.db").display());
    let store = runtime.block_on(zhaoshang_app::open(&url, false)).unwrap();
    let actor = Actor::system("测试");
    let cases = config().cases.min(64);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases, ..ProptestConfig::default() });
    let row = (
        0..1000u32,
        office_text(),
        prop_oneof![Just("620503"), Just("火星市"), Just("")],
        office_text(),
        office_text(),
    );
    runner
        .run(&proptest::collection::vec(row, 1..12), |rows| {
            let mut csv = String::from("项目编号,项目名称,所属地区,总投资(万元),签约日期\n");
            for (n, name, region, amount, date) in &rows {
                let quote = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
                csv.push_str(&format!("FZ-{n},{},{region},{},{}\n", quote(name), quote(amount), quote(date)));
            }
            let before = runtime.block_on(store.project_totals(&Default::default())).unwrap().count;
            let outcome =
                runtime.block_on(import_bytes(&store, ImportKind::Projects, "f.csv", csv.as_bytes(), false, &actor));
            let after = runtime.block_on(store.project_totals(&Default::default())).unwrap().count;
            match outcome {
                Ok(report) if report.is_ok() => prop_assert_eq!(after - before, report.created as i64),
                _ => prop_assert_eq!(after, before, "a refused file changed nothing"),
            }
            Ok(())
        })
        .unwrap();
}
