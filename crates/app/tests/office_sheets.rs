//! Offices' own sheets (SPEC "Reading real office sheets"): a city ledger with every
//! decoration, written as XLSX, XLS, ODS and GBK CSV by the test itself, imports alike
//! with exact figures; units lines; codes for a projects file without 项目编号.

use zhaoshang_testkit::on_both_backends;

use chrono::NaiveDate;
use zhaoshang_app::exchange::{import_bytes, import_bytes_with, ImportKind, ImportOptions, ImportReport, ImportScope};
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::workbooks::{self, biff_record, XLS_DATE_FORMAT};

on_both_backends!(
    app: a_city_ledger_reads_alike_from_xlsx_xls_ods_and_gbk_csv,
    a_units_line_in_yuan_converts_exactly_or_refuses,
    codes_are_assigned_in_row_order_matched_on_reimport_and_continued,
);

fn actor() -> Actor {
    Actor::system("测试")
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A cell as the office typed it.
#[derive(Clone)]
enum Cell {
    Empty,
    Text(String),
    /// A number cell (its text as typed).
    Number(String),
    /// A real Excel date (a date-typed cell; a serial day number in CSV).
    Date(NaiveDate),
}

fn text(value: &str) -> Cell {
    if value.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(value.to_string())
    }
}

/// A sheet: rows of cells and merged ranges (first row, first column, last row, last column).
struct Ledger {
    rows: Vec<Vec<Cell>>,
    merges: Vec<(u32, u16, u32, u16)>,
}

/// One project of the ledger and what must be stored for it.
struct Expected {
    code: String,
    total_yuan: i64,
    signed_on: NaiveDate,
    started_on: Option<NaiveDate>,
    producing_on: Option<NaiveDate>,
}

/// 亿元 written exactly from yuan (the import's conversion is checked against this).
fn yi_text(yuan: i64) -> String {
    let text = format!("{}.{:08}", yuan / 100_000_000, yuan % 100_000_000);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A city ledger as printed: title, 填报单位 line, units line (万元) under which the
/// 总投资 column gives its own unit (亿元, full-width brackets), a two-row header with
/// 日期 merged over the three dates and 序号/项目编号… merged down, every date style,
/// an empty row, a 合计 row, a 其中 row and two lines of notes.
fn ledger(tag: &str) -> (Ledger, Vec<Expected>) {
    let date = |text: &str| (!text.is_empty()).then(|| day(text));
    let expected: Vec<Expected> = [
        (123_456_789, "2024-03-15", "", ""),
        (50_000_000, "2024-03-16", "2024-04-01", ""),
        (1_200_000_000, "2024-01-05", "2024-04-20", "2024-11-30"),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (total_yuan, signed, started, producing))| Expected {
        code: format!("{tag}-00{}", i + 1),
        total_yuan,
        signed_on: day(signed),
        started_on: date(started),
        producing_on: date(producing),
    })
    .collect();
    let total: i64 = expected.iter().map(|e| e.total_yuan).sum();
    // A row of ten columns: its texts, the 序号 number first, the amount (亿元) last.
    let data_row = |number: &str, texts: [&str; 8], last: Cell| {
        let mut row = vec![if number.is_empty() { Cell::Empty } else { Cell::Number(number.into()) }];
        row.extend(texts.map(text));
        row.push(last);
        row
    };
    let amount = |i: usize| Cell::Number(yi_text(expected[i].total_yuan));
    let (a, b, c) = (&expected[0].code, &expected[1].code, &expected[2].code);
    let mut third = data_row(
        "3",
        [c, "智能制造产业园项目", "天水市", "丙智能装备有限公司", "投产", "2024年1月5日", "", ""],
        amount(2),
    );
    // Real Excel dates (date cells; serial day numbers in CSV) for 开工 and 投产.
    (third[7], third[8]) = (Cell::Date(day("2024-04-20")), Cell::Date(day("2024-11-30")));
    let blank = ["", "", "", "", "", "", "", ""];
    let rows = vec![
        vec![text("2024年天水市招商引资项目推进台账")],
        ["填报单位：天水市商务局（盖章）", "", "", "", "", "", "", "填报日期：2024年12月5日"].map(text).to_vec(),
        data_row("", blank, text("单位：万元")),
        ["序号", "项目编号", "项目名称", "所属地区", "投资方", "项目阶段", "日期", "", "", "总投资（亿元）"]
            .map(text)
            .to_vec(),
        ["", "", "", "", "", "", "签约日期", "开工日期", "投产日期", ""].map(text).to_vec(),
        data_row(
            "1",
            [a, "年产5万吨新型建材项目", "麦积区", "甲建材集团有限公司", "签约", "2024-03-15", "", ""],
            amount(0),
        ),
        data_row("2", [b, "文旅综合体项目", "620502", "乙文旅公司", "开工", "2024/3/16", "2024.4.1", ""], amount(1)),
        vec![],
        third,
        [vec![text("合  计")], data_row("", blank, Cell::Number(yi_text(total)))[1..].to_vec()].concat(),
        [vec![text("其中：开工项目")], data_row("", blank, amount(1))[1..].to_vec()].concat(),
        vec![text("注：1.总投资以亿元为单位；2.日期为实际发生日期。")],
        vec![text("3.本表由各县区商务局每月5日前报送。")],
    ];
    let mut merges = vec![(0, 0, 0, 9), (3, 6, 3, 8)];
    merges.extend([0u16, 1, 2, 3, 4, 5, 9].map(|column| (3, column, 4, column)));
    (Ledger { rows, merges }, expected)
}

/// Rows skipped below the header: the empty row, 合计, 其中 and the two note lines.
const SKIPPED: usize = 5;

/// Whether a cell is covered by a merge other than as its first cell.
fn covered(ledger: &Ledger, row: u32, column: u16) -> bool {
    ledger
        .merges
        .iter()
        .any(|&(r1, c1, r2, c2)| (r1..=r2).contains(&row) && (c1..=c2).contains(&column) && (row, column) != (r1, c1))
}

fn excel_serial(date: NaiveDate) -> i64 {
    (date - day("1899-12-30")).num_days()
}

fn xlsx(ledger: &Ledger) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy年m月d日");
    for &(r1, c1, r2, c2) in &ledger.merges {
        let Cell::Text(value) = &ledger.rows[r1 as usize][c1 as usize] else { panic!("merged text") };
        sheet.merge_range(r1, c1, r2, c2, value, &Format::new()).unwrap();
    }
    for (r, row) in ledger.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if covered(ledger, r, c) || ledger.merges.iter().any(|m| (m.0, m.1) == (r, c)) {
                continue;
            }
            match cell {
                Cell::Empty => {}
                Cell::Text(value) => drop(sheet.write_string(r, c, value).unwrap()),
                Cell::Number(value) => drop(sheet.write_number(r, c, value.parse::<f64>().unwrap()).unwrap()),
                Cell::Date(date) => {
                    let when = ExcelDateTime::parse_from_str(&date.to_string()).unwrap();
                    sheet.write_datetime_with_format(r, c, &when, &date_format).unwrap();
                }
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// CSV as Excel saves it in China: GBK, the group text only in the merge's first cell.
fn gbk_csv(ledger: &Ledger) -> Vec<u8> {
    let mut out = String::new();
    for row in &ledger.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| match cell {
                Cell::Empty => String::new(),
                Cell::Text(value) | Cell::Number(value) => value.clone(),
                Cell::Date(date) => excel_serial(*date).to_string(),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&out);
    assert!(!unmappable);
    bytes.into_owned()
}

/// An OpenDocument spreadsheet: merges spanned with covered cells, typed values.
fn ods(ledger: &Ledger) -> Vec<u8> {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut body = String::new();
    for (r, row) in ledger.rows.iter().enumerate() {
        body.push_str("<table:table-row>");
        if row.is_empty() {
            body.push_str("<table:table-cell/>");
        }
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if covered(ledger, r, c) {
                body.push_str("<table:covered-table-cell/>");
                continue;
            }
            let span = match ledger.merges.iter().find(|m| (m.0, m.1) == (r, c)) {
                Some(&(r1, c1, r2, c2)) => format!(
                    " table:number-columns-spanned=\"{}\" table:number-rows-spanned=\"{}\"",
                    c2 - c1 + 1,
                    r2 - r1 + 1
                ),
                None => String::new(),
            };
            body.push_str(&match cell {
                Cell::Empty => format!("<table:table-cell{span}/>"),
                Cell::Text(value) => format!(
                    "<table:table-cell{span} office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                    escape(value)
                ),
                Cell::Number(value) => format!(
                    "<table:table-cell office:value-type=\"float\" office:value=\"{value}\"><text:p>{value}</text:p></table:table-cell>"
                ),
                Cell::Date(date) => format!(
                    "<table:table-cell office:value-type=\"date\" office:date-value=\"{date}\"><text:p>{date}</text:p></table:table-cell>"
                ),
            });
        }
        body.push_str("</table:table-row>");
    }
    workbooks::ods_workbook(&body)
}

/// An Excel 97–2003 workbook: the sheet's LABEL and NUMBER cells (dates in the date
/// format) and its MERGECELLS records.
fn xls(ledger: &Ledger) -> Vec<u8> {
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    let mut sheet = Vec::new();
    for (r, row) in ledger.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let mut data = Vec::new();
            data.extend_from_slice(&(r as u16).to_le_bytes());
            data.extend_from_slice(&(c as u16).to_le_bytes());
            match cell {
                Cell::Empty => continue,
                Cell::Text(value) => {
                    data.extend_from_slice(&0u16.to_le_bytes());
                    data.extend_from_slice(&(value.encode_utf16().count() as u16).to_le_bytes());
                    data.push(1);
                    data.extend_from_slice(&utf16(value));
                    biff_record(&mut sheet, 0x0204, &data);
                }
                Cell::Number(value) => {
                    data.extend_from_slice(&0u16.to_le_bytes());
                    data.extend_from_slice(&value.parse::<f64>().unwrap().to_le_bytes());
                    biff_record(&mut sheet, 0x0203, &data);
                }
                Cell::Date(date) => {
                    data.extend_from_slice(&XLS_DATE_FORMAT.to_le_bytes());
                    data.extend_from_slice(&(excel_serial(*date) as f64).to_le_bytes());
                    biff_record(&mut sheet, 0x0203, &data);
                }
            }
        }
    }
    let mut merges = (ledger.merges.len() as u16).to_le_bytes().to_vec();
    for &(r1, c1, r2, c2) in &ledger.merges {
        for value in [r1 as u16, r2 as u16, c1, c2] {
            merges.extend_from_slice(&value.to_le_bytes());
        }
    }
    biff_record(&mut sheet, 0x00E5, &merges);
    workbooks::xls_workbook(&sheet)
}

async fn check_stored(store: &Store, expected: &[Expected], format: &str) {
    let codes: Vec<String> = expected.iter().map(|e| e.code.clone()).collect();
    let stored = store.projects_by_codes(&codes).await.unwrap();
    assert_eq!(stored.len(), expected.len(), "{format}");
    for (project, want) in stored.iter().zip(expected) {
        let data = &project.data;
        assert_eq!(data.code, want.code, "{format}");
        assert_eq!(data.total_investment, want.total_yuan, "{format} {}", want.code);
        assert_eq!(data.signed_on, Some(want.signed_on), "{format} {}", want.code);
        assert_eq!(data.started_on, want.started_on, "{format} {}", want.code);
        assert_eq!(data.producing_on, want.producing_on, "{format} {}", want.code);
    }
}

/// Writes a ledger in one file format.
type Writer = fn(&Ledger) -> Vec<u8>;

async fn a_city_ledger_reads_alike_from_xlsx_xls_ods_and_gbk_csv(store: &Store) {
    let writers: [(&str, Writer); 4] = [("xlsx", xlsx), ("xls", xls), ("ods", ods), ("csv", gbk_csv)];
    for (format, write) in writers {
        let tag = format!("TZ{}", format.to_uppercase());
        let (ledger, expected) = ledger(&tag);
        let bytes = write(&ledger);
        let file_name = format!("天水市项目台账.{format}");
        let report = import_bytes(store, ImportKind::Projects, &file_name, &bytes, false, &actor()).await.unwrap();
        assert!(report.is_ok(), "{format}: {:?}", report.problems);
        assert_eq!((report.rows, report.created, report.skipped), (3, 3, SKIPPED), "{format}");
        assert!(
            report.warnings.iter().all(|w| !w.contains("序号")),
            "{format}: 序号 is ignored: {:?}",
            report.warnings
        );
        assert!(report.summary_zh().contains("跳过 5 行"), "{}", report.summary_zh());
        check_stored(store, &expected, format).await;
        // The same ledger again changes nothing.
        let again = import_bytes(store, ImportKind::Projects, &file_name, &bytes, false, &actor()).await.unwrap();
        assert_eq!((again.unchanged, again.created, again.skipped), (3, 0, SKIPPED), "{format}");
    }
}

async fn a_units_line_in_yuan_converts_exactly_or_refuses(store: &Store) {
    import_bytes(
        store,
        ImportKind::Projects,
        "p.csv",
        "项目编号,项目名称,所属地区\nYU-1,元单位项目,620503\n".as_bytes(),
        false,
        &actor(),
    )
    .await
    .unwrap();
    // 单位：元 on a line of its own; 到位金额 without a unit; 35,000,000.00 元 = 3,500 万元.
    let amounts = [("35,000,000.00", 35_000_000i64), ("123456789", 123_456_789), ("1", 1)];
    let mut csv = String::from("2024年到位资金明细\n,,单位：元\n序号,项目编号,到位日期,到位金额\n");
    for (i, (text, _)) in amounts.iter().enumerate() {
        csv.push_str(&format!("{},YU-1,2024-0{}-01,\"{text}\"\n", i + 1, i + 1));
    }
    csv.push_str("小计,,,123456790\n");
    let report = import_bytes(store, ImportKind::Funding, "f.csv", csv.as_bytes(), false, &actor()).await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!((report.created, report.skipped), (3, 1));
    let mut stored: Vec<i64> =
        store.funding_of_codes(&["YU-1".to_string()]).await.unwrap().iter().map(|f| f.amount).collect();
    stored.sort_unstable();
    let mut want: Vec<i64> = amounts.iter().map(|(_, yuan)| *yuan).collect();
    want.sort_unstable();
    assert_eq!(stored, want);

    // A header unit wins over the line; an amount that is not whole yuan is refused.
    let refused = "单位：万元\n项目编号,到位日期,到位金额（元）,资金来源\nYU-1,2024-05-01,1234.5,省内\n";
    let report = import_bytes(store, ImportKind::Funding, "g.csv", refused.as_bytes(), false, &actor()).await.unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert_eq!(report.problems[0].row, 3);
    assert_eq!(report.problems[0].message, "金额“1234.5”元换算为元后不是整数：金额须精确到元");
    let yi = "项目编号,到位日期,到位金额（亿元）\nYU-1,2024-06-01,0.000000015\n";
    let report = import_bytes(store, ImportKind::Funding, "h.csv", yi.as_bytes(), false, &actor()).await.unwrap();
    assert!(report.problems[0].message.contains("亿元换算为元后不是整数"), "{:?}", report.problems);
    assert_eq!(store.funding_of_codes(&["YU-1".to_string()]).await.unwrap().len(), 3, "nothing more stored");
}

fn ledger_without_codes(rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut csv = String::from("2024年麦积区招商项目台账\n序号,项目名称,所属地区,投资方,总投资（万元）\n");
    for (i, (name, region, investor)) in rows.iter().enumerate() {
        csv.push_str(&format!("{},{name},{region},{investor},100\n", i + 1));
    }
    csv.push_str("合计,,,,300\n");
    csv.into_bytes()
}

async fn import_with_codes(store: &Store, bytes: &[u8], prefix: Option<&str>) -> ImportReport {
    let options = ImportOptions { dry_run: false, assign_codes: prefix.map(str::to_string), ..Default::default() };
    import_bytes_with(store, ImportKind::Projects, "无编号.csv", bytes, &options, &actor(), &ImportScope::All)
        .await
        .unwrap()
}

fn assigned(report: &ImportReport) -> Vec<(usize, String, bool)> {
    report.assigned_codes.iter().map(|a| (a.row, a.code.clone(), a.existing)).collect()
}

async fn codes_are_assigned_in_row_order_matched_on_reimport_and_continued(store: &Store) {
    let first =
        [("新材料项目", "麦积区", "甲公司"), ("文旅项目", "620503", "乙公司"), ("新材料项目", "麦积区", "丙公司")];
    let bytes = ledger_without_codes(&first);

    // Without the flag: refused on the header, nothing stored.
    let refused = import_with_codes(store, &bytes, None).await;
    assert!(!refused.is_ok());
    assert_eq!(refused.problems[0].row, 2);
    assert!(refused.problems[0].message.contains("--assign-codes"), "{:?}", refused.problems);
    assert!(store.project_codes_starting_with("MJ-").await.unwrap().is_empty());

    // A stored MJ-0007 sets where the numbering goes on (MJ-X is not a number).
    import_bytes(
        store,
        ImportKind::Projects,
        "s.csv",
        "项目编号,项目名称,所属地区\nMJ-0007,旧项目,620503\nMJ-X,另一个,620503\n".as_bytes(),
        false,
        &actor(),
    )
    .await
    .unwrap();
    let report = import_with_codes(store, &bytes, Some("MJ")).await;
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!((report.created, report.skipped), (3, 1));
    let codes =
        vec![(3, "MJ-0008".to_string(), false), (4, "MJ-0009".to_string(), false), (5, "MJ-0010".to_string(), false)];
    assert_eq!(assigned(&report), codes);
    let stored = store.projects_by_codes(&["MJ-0008".into(), "MJ-0010".into()]).await.unwrap();
    assert_eq!(stored[0].data.investor, "甲公司");
    assert_eq!(stored[1].data.investor, "丙公司");
    assert_eq!(stored[0].data.region_code, "620503");

    // The same file again: the same codes, matched, nothing new (region by code or name alike).
    let again = import_with_codes(store, &bytes, Some("MJ")).await;
    assert_eq!((again.created, again.unchanged), (0, 3), "{:?}", again.problems);
    assert_eq!(assigned(&again), codes.iter().map(|(r, c, _)| (*r, c.clone(), true)).collect::<Vec<_>>());

    // A new row gets the next code; the others keep theirs (the name exact after trimming).
    let more = ledger_without_codes(&[(" 文旅项目 ", "麦积区", "乙公司"), ("物流园项目", "麦积区", "丁公司")]);
    let report = import_with_codes(store, &more, Some("MJ")).await;
    assert_eq!(assigned(&report), [(3, "MJ-0009".to_string(), true), (4, "MJ-0011".to_string(), false)]);
    assert_eq!((report.created, report.unchanged), (1, 1));

    // Two rows alike in region, name and investor are a bad row; nothing is stored.
    let twins = ledger_without_codes(&[("仓储项目", "麦积区", "戊公司"), ("仓储项目", "620503", "戊公司")]);
    let report = import_with_codes(store, &twins, Some("MJ")).await;
    assert_eq!(report.bad_rows(), [4]);
    assert!(report.problems[0].message.contains("与第3行"), "{:?}", report.problems);
    assert!(store.projects_by_codes(&["MJ-0012".into()]).await.unwrap().is_empty());
}
