//! Reading an uploaded table into rows of trimmed text: CSV in UTF-8 (with or
//! without BOM), UTF-16 with BOM or GBK as Excel writes it, and the first worksheet of
//! an XLSX, an XLS (Excel 97–2003) or an ODS workbook.

use crate::{AppError, AppResult};
use calamine::{Data, Ods, Range, Reader, Xls, Xlsx};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// At most this many rows per file, so an upload cannot exhaust memory.
pub const MAX_ROWS: usize = 200_000;
/// At most this many columns: every list has a few dozen; a wider sheet is not one of ours.
pub const MAX_COLUMNS: usize = 256;
/// Cells held for one file (each row as wide as its last filled cell): 200,000 rows of 40.
pub const MAX_CELLS: usize = 8_000_000;
/// What a workbook may unpack to, and how far beyond its own size (zip bombs).
const MAX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;
const MAX_PACKING_RATIO: u64 = 100;
/// Below this a workbook may unpack at any ratio (small sheets compress very well).
const RATIO_FREE_BYTES: u64 = 16 * 1024 * 1024;
const MAX_ARCHIVE_ENTRIES: usize = 10_000;
/// The smallest shared string an XLSX can hold (`<si/>`): bounds the count it may declare.
const MIN_SHARED_STRING_BYTES: u64 = 5;
/// An .xls is not compressed: a province's yearly list is a few dozen megabytes.
const MAX_XLS_BYTES: usize = 64 * 1024 * 1024;

/// A table as read: the header and every non-empty row, each with its spreadsheet
/// row number.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Sheet {
    /// Row number of the header (1 unless rows above it were empty).
    pub header_row: usize,
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    /// Spreadsheet row number (the header is row 1).
    pub number: usize,
    pub cells: Vec<String>,
}

impl SheetRow {
    /// The cell at `index`; cells beyond the end of a short row are empty.
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map(String::as_str).unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileType {
    Csv,
    Xlsx,
    Xls,
    Ods,
}

/// The extensions an import reads, for messages and the upload form.
pub const IMPORT_EXTENSIONS: &str = ".csv、.xlsx、.xls 或 .ods";

fn file_type(file_name: &str) -> AppResult<FileType> {
    let lower = file_name.trim().to_lowercase();
    let (_, extension) = lower.rsplit_once('.').unwrap_or(("", ""));
    match extension {
        "csv" => Ok(FileType::Csv),
        "xlsx" => Ok(FileType::Xlsx),
        "xls" => Ok(FileType::Xls),
        "ods" => Ok(FileType::Ods),
        _ => Err(AppError::Invalid(format!("不支持的文件类型，请使用 {IMPORT_EXTENSIONS} 文件"))),
    }
}

pub(super) fn check_extension(file_name: &str) -> AppResult<()> {
    file_type(file_name).map(|_| ())
}

/// Reads a `.csv`, `.xlsx`, `.xls` or `.ods` file's content; the name's extension
/// decides the format.
pub fn read_sheet(file_name: &str, bytes: &[u8]) -> AppResult<Sheet> {
    let rows = match file_type(file_name)? {
        FileType::Csv => read_csv(bytes)?,
        FileType::Xlsx => read_xlsx(bytes)?,
        FileType::Xls => read_xls(bytes)?,
        FileType::Ods => read_ods(bytes)?,
    };
    let mut rows = rows.into_iter().filter(|row| row.cells.iter().any(|cell| !cell.is_empty()));
    let Some(header) = rows.next() else {
        return Ok(Sheet::default());
    };
    let rows: Vec<SheetRow> = rows.collect();
    if rows.len() > MAX_ROWS {
        return Err(too_many_rows());
    }
    Ok(Sheet { header_row: header.number, headers: header.cells, rows })
}

fn too_many_rows() -> AppError {
    AppError::Invalid(format!("表格超过 {MAX_ROWS} 行，请分成几个文件导入"))
}

fn too_many_columns(row: usize) -> AppError {
    AppError::Invalid(format!("表格第{row}行超过 {MAX_COLUMNS} 列，请只保留导入所需的列"))
}

pub(super) fn too_many_cells() -> AppError {
    AppError::Invalid(format!("表格的单元格超过 {MAX_CELLS} 个，请分成几个文件导入"))
}

/// Counts the cells a file holds in memory and refuses past `MAX_CELLS` or `MAX_COLUMNS`.
#[derive(Default)]
struct CellBudget {
    held: usize,
}

impl CellBudget {
    /// Makes room for a row of `width` cells (row number `row` for the message).
    fn take(&mut self, row: usize, width: usize) -> AppResult<()> {
        if width > MAX_COLUMNS {
            return Err(too_many_columns(row));
        }
        self.held += width;
        if self.held > MAX_CELLS {
            return Err(too_many_cells());
        }
        Ok(())
    }
}

/// A form's fields as a one-row sheet keyed by the import columns' English keys, each
/// cell cleaned as a file's cell is (forms and files obey one set of rules).
pub fn form_sheet(kind: super::ImportKind, fields: &std::collections::HashMap<String, String>) -> Sheet {
    let headers: Vec<String> =
        super::columns(kind).iter().filter(|c| fields.contains_key(c.key)).map(|c| c.key.to_string()).collect();
    let cells = headers.iter().map(|key| fields.get(key).map(|value| clean_cell(value)).unwrap_or_default()).collect();
    Sheet { header_row: 1, headers, rows: vec![SheetRow { number: 2, cells }] }
}

/// A header as compared: no spaces (full-width ones and line breaks too) or BOM,
/// full-width punctuation, letters and digits made half-width (（）：＊ as ():*), a
/// required-mark `*` dropped, ASCII letters lowercased.
pub fn normalize_header(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .map(|c| match c {
            // The full-width forms U+FF01–U+FF5E mirror ASCII 0x21–0x7E.
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| *c != '*')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Characters that make a spreadsheet read a CSV cell as a formula (CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell as written: text a spreadsheet would run as a formula gets a leading
/// apostrophe (shown as text), as does text that already starts with one, so that
/// `unescape_formula` gives back exactly what was written. Plain numbers stay numbers.
pub(super) fn escape_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(FORMULA_STARTS) && !is_plain_number(cell);
    if risky || cell.starts_with('\'') {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// `-12.5`, `+3`, `40`: what a spreadsheet reads as a number, not a formula.
fn is_plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// The inverse of `escape_formula` for a cell read from CSV: an apostrophe before a
/// formula character or another apostrophe is dropped; any other text is kept.
fn unescape_formula(cell: String) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest.to_string(),
        _ => cell,
    }
}

fn clean_cell(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').to_string()
}

fn decode(bytes: &[u8]) -> AppResult<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .map(str::to_string)
            .map_err(|_| AppError::Invalid("文件以 UTF-8 标记开头，但内容不是有效的 UTF-8 编码".into()));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        // `decode` recognises the byte-order mark and picks UTF-16LE or BE.
        let (text, _, had_errors) = encoding_rs::UTF_16LE.decode(bytes);
        if had_errors {
            return Err(AppError::Invalid("文件的 UTF-16 编码有误".into()));
        }
        return Ok(text.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(AppError::Invalid(
            "无法识别文件编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再导入".into(),
        ));
    }
    Ok(text.into_owned())
}

fn read_csv(bytes: &[u8]) -> AppResult<Vec<SheetRow>> {
    let text = decode(bytes)?;
    let first_line = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else if first_line.contains(';') && !first_line.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut number = 0usize;
    let mut record = csv::StringRecord::new();
    let mut budget = CellBudget::default();
    loop {
        let next_line = reader.position().line();
        let more = reader
            .read_record(&mut record)
            .map_err(|e| AppError::Invalid(format!("CSV 文件第{}行格式有误：{e}", number + 1)))?;
        if !more {
            break;
        }
        // The reader skips blank lines, which a spreadsheet shows as rows: count the
        // lines consumed beyond those the record itself spans.
        let mut consumed = reader.position().line().saturating_sub(next_line);
        if reader.position().byte() as usize >= text.len() && !text.ends_with('\n') {
            consumed += 1; // the last line has no line break to count
        }
        let spanned = 1 + record.iter().map(|field| field.matches('\n').count() as u64).sum::<u64>();
        number += 1 + consumed.saturating_sub(spanned) as usize;
        // Excel writes a comma for every column of the used range: only filled cells count.
        let width = (0..record.len()).rev().find(|&i| !clean_cell(&record[i]).is_empty()).map_or(0, |last| last + 1);
        budget.take(number, width)?;
        rows.push(SheetRow {
            number,
            cells: record.iter().take(width).map(clean_cell).map(unescape_formula).collect(),
        });
        if rows.len() > MAX_ROWS + 1 {
            return Err(too_many_rows());
        }
    }
    Ok(rows)
}

pub(super) fn not_workbook(error: impl std::fmt::Display) -> AppError {
    AppError::Invalid(format!("无法读取 Excel 文件（{error}），请确认文件是 .xlsx、.xls 或 .ods 工作簿"))
}

/// A worksheet's filled cells gathered by row, each row as wide as its last filled
/// cell: a declared dimension or a far-off cell allocates nothing.
#[derive(Default)]
struct FilledCells {
    rows: BTreeMap<u32, Vec<String>>,
    budget: CellBudget,
}

impl FilledCells {
    fn put(&mut self, row: u32, column: u32, value: &Data) -> AppResult<()> {
        let (row_number, column) = (row as usize + 1, column as usize);
        if column >= MAX_COLUMNS {
            return Err(too_many_columns(row_number));
        }
        let text = clean_cell(&cell_text(value));
        if text.is_empty() {
            return Ok(());
        }
        if self.rows.len() > MAX_ROWS && !self.rows.contains_key(&row) {
            return Err(too_many_rows());
        }
        let cells = self.rows.entry(row).or_default();
        if cells.len() <= column {
            self.budget.take(row_number, column + 1 - cells.len())?;
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
        Ok(())
    }

    /// A worksheet's cells as read from a whole range (XLS and ODS readers build one).
    fn from_range(range: &Range<Data>) -> AppResult<FilledCells> {
        let mut filled = FilledCells::default();
        let (top, left) = range.start().unwrap_or((0, 0));
        for (row, column, value) in range.used_cells() {
            filled.put(top + row as u32, left + column as u32, value)?;
        }
        Ok(filled)
    }

    fn into_rows(self) -> Vec<SheetRow> {
        // Like the sheet's used range, the table starts at its first filled column.
        let first_column =
            self.rows.values().filter_map(|cells| cells.iter().position(|c| !c.is_empty())).min().unwrap_or(0);
        self.rows
            .into_iter()
            .map(|(row, mut cells)| {
                cells.drain(..first_column.min(cells.len()));
                SheetRow { number: row as usize + 1, cells }
            })
            .collect()
    }
}

/// The first worksheet's name, or a refusal for a workbook without one.
fn first_sheet_name<R: Read + std::io::Seek>(workbook: &impl Reader<R>) -> AppResult<String> {
    workbook.sheet_names().first().cloned().ok_or_else(|| AppError::Invalid("Excel 文件中没有工作表".into()))
}

/// Reads the first worksheet cell by cell, holding only filled cells.
fn read_xlsx(bytes: &[u8]) -> AppResult<Vec<SheetRow>> {
    check_archive(bytes)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(not_workbook)?;
    let first_sheet = first_sheet_name(&workbook)?;
    let mut cells = workbook.worksheet_cells_reader(&first_sheet).map_err(not_workbook)?;
    let mut filled = FilledCells::default();
    while let Some(cell) = cells.next_cell().map_err(not_workbook)? {
        let (row, column) = cell.get_position();
        filled.put(row, column, &Data::from(cell.get_value().clone()))?;
    }
    Ok(filled.into_rows())
}

/// Reads an Excel 97–2003 workbook's first worksheet. Its reader builds every sheet's
/// dense range while opening the file, so the file's size and the ranges its cell
/// records span are checked first.
fn read_xls(bytes: &[u8]) -> AppResult<Vec<SheetRow>> {
    if bytes.len() > MAX_XLS_BYTES {
        return Err(AppError::Invalid(format!(
            ".xls 文件超过 {} MB，请另存为 .xlsx 或分成几个文件导入",
            MAX_XLS_BYTES / (1024 * 1024)
        )));
    }
    super::sheet_bounds::check_xls(bytes)?;
    let mut workbook: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(not_workbook)?;
    let first_sheet = first_sheet_name(&workbook)?;
    let range = workbook.worksheet_range(&first_sheet).map_err(not_workbook)?;
    Ok(FilledCells::from_range(&range)?.into_rows())
}

/// Reads an OpenDocument spreadsheet's first worksheet, after the archive checks of an
/// XLSX and a count of the cells its repeated rows and columns would make.
fn read_ods(bytes: &[u8]) -> AppResult<Vec<SheetRow>> {
    check_archive(bytes)?;
    super::sheet_bounds::check_ods(bytes)?;
    let mut workbook: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(not_workbook)?;
    let first_sheet = first_sheet_name(&workbook)?;
    let range = workbook.worksheet_range(&first_sheet).map_err(not_workbook)?;
    Ok(FilledCells::from_range(&range)?.into_rows())
}

/// Checks a workbook's archive before any reader trusts what it declares: entries,
/// unpacked bytes (counted while unpacking, not as declared) against an absolute bound
/// and the file's own size, and each shared-strings part's declared count against
/// what its bytes can hold.
fn check_archive(bytes: &[u8]) -> AppResult<()> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(not_workbook)?;
    if archive.len() > MAX_ARCHIVE_ENTRIES {
        return Err(AppError::Invalid(format!("Excel 文件包含超过 {MAX_ARCHIVE_ENTRIES} 个部件，不是正常的工作簿")));
    }
    let limit = MAX_UNPACKED_BYTES.min(RATIO_FREE_BYTES.max(MAX_PACKING_RATIO * bytes.len() as u64));
    let too_big = || {
        AppError::Invalid(format!(
            "Excel 文件解压后超过 {} MB（或压缩比异常），已拒绝；请分成几个文件或另存为 CSV 后导入",
            limit / (1024 * 1024)
        ))
    };
    let mut unpacked = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(not_workbook)?;
        let shared_strings = entry.name().map_err(not_workbook)?.to_ascii_lowercase().ends_with("sharedstrings.xml");
        let mut entry_bytes = 0u64;
        loop {
            let read = entry.read(&mut buffer).map_err(not_workbook)?;
            if read == 0 {
                break;
            }
            entry_bytes += read as u64;
            unpacked += read as u64;
            if unpacked > limit {
                return Err(too_big());
            }
        }
        drop(entry);
        if shared_strings {
            let declared = declared_unique_count(archive.by_index(index).map_err(not_workbook)?)?;
            if declared > entry_bytes / MIN_SHARED_STRING_BYTES {
                return Err(AppError::Invalid("Excel 文件的共享字符串表声明的数量与内容不符，不是正常的工作簿".into()));
            }
        }
    }
    Ok(())
}

/// The `uniqueCount` a shared-strings part declares on its `sst` element, read as
/// calamine reads it (0 when absent; `u64::MAX` when too long to be a number).
fn declared_unique_count(part: impl Read) -> AppResult<u64> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        match xml.read_event_into(&mut buffer).map_err(not_workbook)? {
            Event::Start(tag) | Event::Empty(tag) if tag.local_name().as_ref() == "sst" => {
                let Some(count) = tag.try_get_attribute("uniqueCount").map_err(not_workbook)? else { return Ok(0) };
                let digits = count.value.trim().to_string();
                return Ok(digits.parse().unwrap_or(if digits.is_empty() { 0 } else { u64::MAX }));
            }
            Event::Eof => return Ok(0),
            _ => {}
        }
    }
}

/// A cell as text: whole numbers without ".0", dates as YYYY-MM-DD.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(value) => value.to_string(),
        Data::Float(value) => format_number(*value),
        Data::Bool(value) => if *value { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(value) if value.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = value.to_ymd_hms_milli();
            if value.as_f64() < 1.0 {
                format!("{hour:02}:{minute:02}:{second:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02}")
            }
        }
        Data::DateTime(value) => format_number(value.as_f64()),
        Data::DateTimeIso(text) => match text.get(..10).and_then(|date| date.parse::<chrono::NaiveDate>().ok()) {
            Some(date) => date.format("%Y-%m-%d").to_string(),
            None => text.clone(),
        },
        Data::DurationIso(text) => text.clone(),
        Data::Error(error) => format!("#{error:?}"),
    }
}

/// A number as Excel shows it in a General cell: at most 15 significant digits, no
/// exponent, no trailing zeros ("684290", "1.2345", "0.3" for 0.30000000000000004).
pub(super) fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{}", value as i64);
    }
    let rounded: f64 = format!("{value:.14e}").parse().unwrap_or(value);
    format!("{rounded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(format_number(684290.0), "684290");
        assert_eq!(format_number(1.2345), "1.2345");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(-3.5), "-3.5");
        assert_eq!(format_number(123456789012.3456), "123456789012.346");
        assert_eq!(format_number(2024001.0), "2024001");
    }

    #[test]
    fn headers_normalise() {
        assert_eq!(normalize_header(" 总投资（万元） "), "总投资(万元)");
        assert_eq!(normalize_header("\u{feff}项目 编号*"), "项目编号");
        assert_eq!(normalize_header("Total_Investment_Wan"), "total_investment_wan");
        assert_eq!(normalize_header("到位金额\n（元）＊"), "到位金额(元)");
        assert_eq!(normalize_header("单位：万元"), normalize_header("单位: 万元"));
    }

    #[test]
    fn csv_row_numbers_count_blank_lines_but_not_line_breaks_inside_cells() {
        let text = "a,b\n1,2\n\n3,\"x\ny\"\n4,5\n\n\n6,7";
        let rows = read_csv(text.as_bytes()).unwrap();
        let numbers: Vec<usize> = rows.iter().map(|row| row.number).collect();
        assert_eq!(numbers, [1, 2, 4, 5, 8]);
        assert_eq!(rows[2].cells, ["3", "x\ny"]);
        let crlf = read_csv("a,b\r\n\r\n1,2\r\n".as_bytes()).unwrap();
        assert_eq!(crlf.iter().map(|row| row.number).collect::<Vec<_>>(), [1, 3]);
    }

    #[test]
    fn formulas_are_escaped_in_csv_and_read_back_unchanged() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
            ("\tx", "'\tx"),
            ("'=x", "''=x"),
            ("'abc", "''abc"),
            ("-3.5", "-3.5"),
            ("+86 931", "'+86 931"),
            ("甘肃", "甘肃"),
            ("", ""),
        ] {
            assert_eq!(escape_formula(cell), written, "{cell:?}");
            assert_eq!(unescape_formula(written.to_string()), cell, "{written:?}");
        }
        // A hand-typed leading apostrophe before plain text is kept.
        assert_eq!(unescape_formula("'abc".to_string()), "'abc");
    }

    #[test]
    fn gbk_and_bom_decode() {
        let (gbk, _, _) = encoding_rs::GBK.encode("项目编号,名称\n");
        assert_eq!(decode(&gbk).unwrap(), "项目编号,名称\n");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("项目".as_bytes());
        assert_eq!(decode(&bom).unwrap(), "项目");
        let refused = read_sheet("x.doc", b"").unwrap_err().to_string();
        assert_eq!(refused, "不支持的文件类型，请使用 .csv、.xlsx、.xls 或 .ods 文件");
    }
}
