//! Reading an uploaded table into rows of trimmed text: CSV in UTF-8 (with or
//! without BOM), UTF-16 with BOM or GBK as Excel writes it, and XLSX (first worksheet).

use crate::{AppError, AppResult};
use calamine::{Data, Reader, Xlsx};
use serde::Serialize;
use std::io::Cursor;

/// At most this many rows per file, so an upload cannot exhaust memory.
pub const MAX_ROWS: usize = 200_000;

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
}

fn file_type(file_name: &str) -> AppResult<FileType> {
    let lower = file_name.trim().to_lowercase();
    if lower.ends_with(".csv") {
        Ok(FileType::Csv)
    } else if lower.ends_with(".xlsx") {
        Ok(FileType::Xlsx)
    } else {
        Err(AppError::Invalid("不支持的文件类型，请使用 .csv 或 .xlsx".into()))
    }
}

pub(super) fn check_extension(file_name: &str) -> AppResult<()> {
    file_type(file_name).map(|_| ())
}

/// Reads a `.csv` or `.xlsx` file's content; the name's extension decides the format.
pub fn read_sheet(file_name: &str, bytes: &[u8]) -> AppResult<Sheet> {
    let rows = match file_type(file_name)? {
        FileType::Csv => read_csv(bytes)?,
        FileType::Xlsx => read_xlsx(bytes)?,
    };
    let mut rows = rows.into_iter().filter(|row| row.cells.iter().any(|cell| !cell.is_empty()));
    let Some(header) = rows.next() else {
        return Ok(Sheet::default());
    };
    let rows: Vec<SheetRow> = rows.collect();
    if rows.len() > MAX_ROWS {
        return Err(AppError::Invalid(format!("表格超过 {MAX_ROWS} 行，请分成几个文件导入")));
    }
    Ok(Sheet { header_row: header.number, headers: header.cells, rows })
}

/// A header as compared: no spaces or BOM, full-width parentheses made half-width,
/// a trailing required-mark `*` dropped, ASCII letters lowercased.
pub fn normalize_header(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}' && *c != '*')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            _ => c.to_ascii_lowercase(),
        })
        .collect()
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
        rows.push(SheetRow { number, cells: record.iter().map(clean_cell).collect() });
        if rows.len() > MAX_ROWS + 1 {
            return Err(AppError::Invalid(format!("表格超过 {MAX_ROWS} 行，请分成几个文件导入")));
        }
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> AppResult<Vec<SheetRow>> {
    let not_xlsx =
        |e: calamine::XlsxError| AppError::Invalid(format!("无法读取 .xlsx 文件（{e}），请确认文件是 Excel 工作簿"));
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(not_xlsx)?;
    let range = match workbook.worksheet_range_at(0) {
        Some(range) => range.map_err(not_xlsx)?,
        None => return Err(AppError::Invalid("Excel 文件中没有工作表".into())),
    };
    let first_row = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    let mut rows = Vec::new();
    for (index, cells) in range.rows().enumerate() {
        if index > MAX_ROWS + 1 {
            return Err(AppError::Invalid(format!("表格超过 {MAX_ROWS} 行，请分成几个文件导入")));
        }
        let cells: Vec<String> = cells.iter().map(|cell| clean_cell(&cell_text(cell))).collect();
        rows.push(SheetRow { number: first_row + index + 1, cells });
    }
    Ok(rows)
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
    fn gbk_and_bom_decode() {
        let (gbk, _, _) = encoding_rs::GBK.encode("项目编号,名称\n");
        assert_eq!(decode(&gbk).unwrap(), "项目编号,名称\n");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("项目".as_bytes());
        assert_eq!(decode(&bom).unwrap(), "项目");
        assert!(read_sheet("x.xls", b"").unwrap_err().to_string().contains("不支持的文件类型"));
    }
}
