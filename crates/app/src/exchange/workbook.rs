//! Workbooks handed to users: a blank template per list, and an uploaded table with
//! its bad cells marked red and the reasons in a last column 错误说明.

use super::columns::{columns, match_header, ColumnSpec, PROJECT_SOURCES};
use super::table::{normalize_header, read_sheet};
use super::{ImportKind, ImportReport};
use crate::{AppError, AppResult};
use rust_xlsxwriter::{Color, DataValidation, DataValidationErrorStyle, Format, Formula, Workbook, XlsxError};
use std::collections::{BTreeMap, HashMap};
use zhaoshang_core::projects::Stage;

pub(super) fn header_format() -> Format {
    Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7))
}

fn bad_cell_format() -> Format {
    Format::new().set_background_color(Color::RGB(0xFFC7CE)).set_font_color(Color::RGB(0x9C0006))
}

/// Display width of a text in columns: a Chinese character counts twice.
pub(super) fn column_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

pub const ERROR_COLUMN: &str = "错误说明";

/// A region the template's 所属地区 list offers: its code and the name to fill in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionChoice {
    pub code: String,
    pub name: String,
}

/// The sheet listing the regions a template's 所属地区 drop-down offers.
const REGION_SHEET: &str = "地区名称";
/// The rows of the data sheet that carry the drop-down lists (below the header).
const VALIDATED_ROWS: u32 = 10_000;

/// A column's drop-down list in a template: the values offered, whether others are
/// refused (a vocabulary) or only questioned (a suggestion), and the help text.
struct ColumnList {
    source: ListSource,
    strict: bool,
    help: String,
}

enum ListSource {
    Values(Vec<&'static str>),
    RegionSheet,
}

/// The drop-down list of a column, if it has one: 项目阶段 (a vocabulary), 项目来源
/// (the usual sources; others are allowed), 所属地区 (the user's regions; a code is
/// also accepted).
fn column_list(spec: &ColumnSpec, regions: &[RegionChoice]) -> Option<ColumnList> {
    match spec.key {
        "stage" => {
            let labels: Vec<&'static str> = Stage::ALL.iter().map(|stage| stage.label()).collect();
            let help = format!("只能填写：{}", labels.join("、"));
            Some(ColumnList { source: ListSource::Values(labels), strict: true, help })
        }
        "source" => Some(ColumnList {
            source: ListSource::Values(PROJECT_SOURCES.to_vec()),
            strict: false,
            help: format!("下拉列表：{}；也可填写其他来源", PROJECT_SOURCES.join("、")),
        }),
        "region" if !regions.is_empty() => Some(ColumnList {
            source: ListSource::RegionSheet,
            strict: false,
            help: format!("下拉列表见工作表“{REGION_SHEET}”；也可填写6位行政区划代码"),
        }),
        _ => None,
    }
}

impl ColumnList {
    fn validation(&self, spec: &ColumnSpec, regions: &[RegionChoice]) -> Result<DataValidation, XlsxError> {
        let validation = match &self.source {
            ListSource::Values(values) => DataValidation::new().allow_list_strings(values.as_slice())?,
            ListSource::RegionSheet => DataValidation::new()
                .allow_list_formula(Formula::new(format!("='{REGION_SHEET}'!$B$2:$B${}", regions.len() + 1))),
        };
        let style = if self.strict { DataValidationErrorStyle::Stop } else { DataValidationErrorStyle::Warning };
        let message = if self.strict {
            self.help.clone()
        } else {
            format!("{}。确定要填写列表以外的值吗？", self.help)
        };
        validation
            .set_error_style(style)
            .set_error_title(spec.header)?
            .set_error_message(message)?
            .set_input_title(spec.header)?
            .set_input_message(&self.help)
    }
}

/// A blank workbook for a list: the headers in bold (required ones marked red), one
/// example row, drop-down lists for 项目阶段, 项目来源 and 所属地区, a second sheet 填写说明
/// explaining every column (required or not, format, allowed values), and, when the
/// template has a 所属地区 column, a sheet of the region names its list offers.
pub fn template_workbook(kind: ImportKind, regions: &[RegionChoice]) -> Vec<u8> {
    match write_template(kind, regions) {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!("cannot build the {} template: {error}", kind.key());
            Vec::new()
        }
    }
}

fn write_template(kind: ImportKind, regions: &[RegionChoice]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = header_format();
    let required = header_format().set_font_color(Color::RGB(0xC00000));
    let text = Format::new().set_num_format("@");
    let specs: Vec<_> = columns(kind).iter().filter(|spec| spec.imported).collect();
    let lists: Vec<Option<ColumnList>> = specs.iter().map(|spec| column_list(spec, regions)).collect();
    let sheet = workbook.add_worksheet();
    sheet.set_name(kind.label())?;
    for (col, (spec, list)) in specs.iter().zip(&lists).enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, spec.header, if spec.required { &required } else { &bold })?;
        if !spec.example.is_empty() {
            sheet.write_string_with_format(1, col, spec.example, &text)?;
        }
        let width = column_width(spec.header).max(column_width(spec.example)).clamp(8, 40);
        sheet.set_column_width(col, width as f64 + 2.0)?;
        if let Some(list) = list {
            sheet.add_data_validation(1, col, VALIDATED_ROWS, col, &list.validation(spec, regions)?)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;

    let help = workbook.add_worksheet();
    help.set_name("填写说明")?;
    for (col, title) in ["列名", "英文键", "是否必填", "填写说明", "可选值"].into_iter().enumerate() {
        help.write_string_with_format(0, col as u16, title, &bold)?;
    }
    for (index, (spec, list)) in specs.iter().zip(&lists).enumerate() {
        let row = index as u32 + 1;
        help.write_string(row, 0, spec.header)?;
        help.write_string(row, 1, spec.key)?;
        help.write_string(row, 2, if spec.required { "必填" } else { "选填" })?;
        help.write_string(row, 3, spec.note)?;
        if let Some(list) = list {
            help.write_string(row, 4, &list.help)?;
        }
    }
    let notes = [
        "第一行为表头，可用中文列名或英文键；列的顺序不限，未列出的列可以省略。",
        "已有记录（按编号或名称识别）的行更新该记录：表中没有的列保持原值，有列但单元格为空则清空。",
        "任何一行有误时整个文件都不导入；错误会逐行列出，改正后重新导入即可。",
        "CSV 文件可为 UTF-8（含或不含 BOM）或 GBK 编码；Excel 文件读取第一个工作表。",
    ];
    let first = specs.len() as u32 + 2;
    for (offset, note) in notes.into_iter().enumerate() {
        help.write_string(first + offset as u32, 0, note)?;
    }
    help.set_column_width(0, 20.0)?;
    help.set_column_width(1, 30.0)?;
    help.set_column_width(2, 10.0)?;
    help.set_column_width(3, 70.0)?;
    help.set_column_width(4, 50.0)?;

    if lists.iter().flatten().any(|list| matches!(list.source, ListSource::RegionSheet)) {
        let names = workbook.add_worksheet();
        names.set_name(REGION_SHEET)?;
        names.write_string_with_format(0, 0, "代码", &bold)?;
        names.write_string_with_format(0, 1, "名称（填入“所属地区”）", &bold)?;
        for (index, region) in regions.iter().enumerate() {
            let row = index as u32 + 1;
            names.write_string_with_format(row, 0, &region.code, &text)?;
            names.write_string(row, 1, &region.name)?;
        }
        names.set_column_width(0, 10.0)?;
        names.set_column_width(1, 36.0)?;
    }
    workbook.save_to_buffer()
}

/// The uploaded table as XLSX, rows at their original row numbers, each bad cell filled
/// red and the row's problems in an extra last column 错误说明.
pub fn problems_workbook(kind: ImportKind, file_name: &str, bytes: &[u8], report: &ImportReport) -> AppResult<Vec<u8>> {
    // Rows above the header (a title) are left out, as the import skipped them; rows it
    // skipped below the header (totals, notes) are kept, unmarked, where they stood.
    let layout = super::layout::locate(kind, read_sheet(file_name, bytes)?);
    let mut sheet = layout.sheet;
    sheet.rows.extend(layout.skipped);
    let header_row = sheet.header_row.max(1);
    // The file's column of each Chinese header named in a problem.
    let mut position_of: HashMap<&'static str, usize> = HashMap::new();
    for (position, header) in sheet.headers.iter().enumerate() {
        let mapped =
            report.mapped_columns.iter().find(|column| normalize_header(&column.header) == normalize_header(header));
        let field = match mapped {
            Some(column) => column.field,
            None => match_header(kind, header).map(|spec| spec.header),
        };
        if let Some(field) = field {
            position_of.entry(field).or_insert(position);
        }
    }
    let mut by_row: BTreeMap<usize, Vec<&super::ImportProblem>> = BTreeMap::new();
    for problem in &report.problems {
        by_row.entry(problem.row).or_default().push(problem);
    }
    let width = sheet.rows.iter().map(|row| row.cells.len()).chain([sheet.headers.len()]).max().unwrap_or(0);
    let write = || -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let bold = header_format();
        let bad = bad_cell_format();
        let bad_header = header_format().set_background_color(Color::RGB(0xFFC7CE));
        let reason = Format::new().set_font_color(Color::RGB(0xC00000));
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(kind.label())?;
        let error_col = width as u16;

        let is_bad = |row: usize, position: usize| {
            by_row
                .get(&row)
                .is_some_and(|problems| problems.iter().any(|p| position_of.get(p.column.as_str()) == Some(&position)))
        };
        let explain = |row: usize| {
            by_row
                .get(&row)
                .map(|problems| {
                    problems.iter().map(|p| format!("{}：{}", p.column, p.message)).collect::<Vec<_>>().join("；")
                })
                .unwrap_or_default()
        };

        let r = (header_row - 1) as u32;
        for (position, header) in sheet.headers.iter().enumerate() {
            let format = if is_bad(header_row, position) { &bad_header } else { &bold };
            worksheet.write_string_with_format(r, position as u16, header, format)?;
        }
        let header_problems = explain(header_row);
        let title = if header_problems.is_empty() {
            ERROR_COLUMN.to_string()
        } else {
            format!("{ERROR_COLUMN}（{header_problems}）")
        };
        worksheet.write_string_with_format(r, error_col, &title, &bad_header)?;

        for row in &sheet.rows {
            let r = (row.number - 1) as u32;
            for (position, cell) in row.cells.iter().enumerate() {
                if is_bad(row.number, position) {
                    worksheet.write_string_with_format(r, position as u16, cell, &bad)?;
                } else if !cell.is_empty() {
                    worksheet.write_string(r, position as u16, cell)?;
                }
            }
            // A bad cell that the row leaves empty (short row) is still marked.
            for position in row.cells.len()..sheet.headers.len() {
                if is_bad(row.number, position) {
                    worksheet.write_blank(r, position as u16, &bad)?;
                }
            }
            let text = explain(row.number);
            if !text.is_empty() {
                worksheet.write_string_with_format(r, error_col, &text, &reason)?;
            }
        }
        for (position, header) in sheet.headers.iter().enumerate() {
            let widest = sheet.rows.iter().map(|row| column_width(row.cell(position))).max().unwrap_or(0);
            worksheet.set_column_width(position as u16, widest.max(column_width(header)).clamp(8, 40) as f64 + 2.0)?;
        }
        worksheet.set_column_width(error_col, 60.0)?;
        worksheet.set_freeze_panes(header_row as u32, 0)?;
        workbook.save_to_buffer()
    };
    write().map_err(|e| AppError::Internal(format!("无法生成错误标注文件：{e}")))
}
