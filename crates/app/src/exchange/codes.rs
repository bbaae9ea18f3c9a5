//! Codes for a projects file without 项目编号 (`--assign-codes PREFIX`), as offices'
//! ledgers mostly have none: each row is matched to a stored project by region + name +
//! investor (exact after trimming), and a row that matches none gets the next free code
//! `PREFIX-0001`, `PREFIX-0002`… (above the highest stored `PREFIX-NNNN`). The codes
//! join the sheet as its 项目编号 column, so the projects import then runs as usual.

use super::columns::{header_of, match_header};
use super::table::Sheet;
use super::values::RegionIndex;
use super::{ImportKind, ImportOptions, ImportReport};
use crate::{AppError, AppResult};
use serde::Serialize;
use std::collections::HashMap;
use zhaoshang_store::Store;

const KIND: ImportKind = ImportKind::Projects;
/// The longest prefix: codes stay short enough to type and print.
const MAX_PREFIX_CHARS: usize = 20;

/// The code a row of the file was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignedCode {
    /// Spreadsheet row number.
    pub row: usize,
    pub name: String,
    pub code: String,
    /// Whether the row matched a stored project (and so keeps that project's code).
    pub existing: bool,
}

/// Region, name and investor: what identifies a project that has no code in the file.
type ProjectKey = (String, String, String);

/// Gives a projects sheet without a 项目编号 column its codes as `options` asks; false
/// when the import stops here (no code column and no prefix: a problem on the header).
pub(super) async fn assign(
    store: &Store,
    sheet: &mut Sheet,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> AppResult<bool> {
    let position = |key: &str| sheet.headers.iter().position(|h| match_header(KIND, h).is_some_and(|s| s.key == key));
    if sheet.headers.is_empty() || position("code").is_some() {
        return Ok(true);
    }
    let Some(prefix) = options.assign_codes.as_deref().map(str::trim).filter(|p| !p.is_empty()) else {
        report.problem(
            sheet.header_row.max(1),
            header_of(KIND, "code"),
            "表格没有“项目编号”列：请添加项目编号列，或使用 --assign-codes 前缀（网页导入时填写“自动编号前缀”）自动编号",
        );
        return Ok(false);
    };
    check_prefix(prefix)?;
    let (name_at, region_at, investor_at) = (position("name"), position("region"), position("investor"));
    let cell = |row: &super::SheetRow, at: Option<usize>| at.map_or("", |at| row.cell(at)).trim().to_string();
    let regions = RegionIndex::new(store.all_regions().await?);
    // A region written by name or by code is one region: keys hold the code when known.
    let keys: Vec<ProjectKey> = sheet
        .rows
        .iter()
        .map(|row| {
            let region = cell(row, region_at);
            (regions.resolve(&region).unwrap_or(region), cell(row, name_at), cell(row, investor_at))
        })
        .collect();

    let mut names: Vec<String> = keys.iter().map(|(_, name, _)| name.clone()).filter(|n| !n.is_empty()).collect();
    names.sort();
    names.dedup();
    let mut stored: HashMap<ProjectKey, Vec<String>> = HashMap::new();
    for project in store.projects_by_names(&names).await? {
        let data = project.data;
        let key = (data.region_code, data.name.trim().to_string(), data.investor.trim().to_string());
        stored.entry(key).or_default().push(data.code);
    }
    let mut last = highest_number(&store.project_codes_starting_with(&format!("{prefix}-")).await?, prefix);

    let mut first_row_of: HashMap<&ProjectKey, usize> = HashMap::new();
    let mut codes = Vec::with_capacity(sheet.rows.len());
    for (row, key) in sheet.rows.iter().zip(&keys) {
        if let Some(&first) = first_row_of.get(key) {
            report.problem(
                row.number,
                header_of(KIND, "name"),
                format!("与第{first}行的所属地区、项目名称、投资方相同：无法分辨是否同一项目，请合并或填写项目编号"),
            );
        } else {
            first_row_of.insert(key, row.number);
        }
        let (code, existing) = match stored.get(key).map(Vec::as_slice) {
            Some([code]) => (code.clone(), true),
            Some(codes) if !codes.is_empty() => {
                report.problem(
                    row.number,
                    header_of(KIND, "name"),
                    format!("与已登记的多个项目（{}）所属地区、项目名称、投资方相同，请填写项目编号", codes.join("、")),
                );
                (String::new(), true)
            }
            _ => {
                last += 1;
                (format!("{prefix}-{last:04}"), false)
            }
        };
        report.assigned_codes.push(AssignedCode { row: row.number, name: key.1.clone(), code: code.clone(), existing });
        codes.push(code);
    }

    // The codes become the sheet's last column, 项目编号.
    let width = sheet.rows.iter().map(|row| row.cells.len()).chain([sheet.headers.len()]).max().unwrap_or(0);
    sheet.headers.resize(width, String::new());
    sheet.headers.push(header_of(KIND, "code").to_string());
    for (row, code) in sheet.rows.iter_mut().zip(codes) {
        row.cells.resize(width, String::new());
        row.cells.push(code);
    }
    Ok(true)
}

/// A prefix is letters, digits, `-` or `_` (Chinese letters too), at most 20 of them.
fn check_prefix(prefix: &str) -> AppResult<()> {
    let fits = prefix.chars().count() <= MAX_PREFIX_CHARS
        && prefix.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if fits {
        Ok(())
    } else {
        Err(AppError::Invalid(format!(
            "自动编号前缀“{prefix}”无效：只能包含字母、数字、汉字、“-”或“_”，最多 {MAX_PREFIX_CHARS} 个字符"
        )))
    }
}

/// The highest number among stored codes `PREFIX-NNNN` (digits only after the dash),
/// which the next code follows; 0 when none.
fn highest_number(stored: &[String], prefix: &str) -> u64 {
    stored
        .iter()
        .filter_map(|code| code.strip_prefix(prefix)?.strip_prefix('-'))
        .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|digits| digits.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_code_is_above_the_highest_numbered_one() {
        let stored = ["TS-0002", "TS-0017", "TS-0009", "TS-X1", "TS-", "TSA-0099", "TS-0003-B"].map(String::from);
        assert_eq!(highest_number(&stored, "TS"), 17);
        assert_eq!(highest_number(&[], "TS"), 0);
        assert!(check_prefix("麦积-2024").is_ok());
        assert!(check_prefix("TS 01").unwrap_err().to_string().contains("前缀"));
        assert!(check_prefix(&"A".repeat(21)).is_err());
    }
}
