//! Offices' own sheets (SPEC "Reading real office sheets"): where the table sits in a
//! sheet kept as it is printed. Title, 填报单位 and units lines above the header; a
//! header over one or two rows (a merged group such as 日期 over 签约日期/开工日期/投产日期);
//! 合计/小计/总计/其中 rows, empty rows and notes below the table, skipped and counted.

use super::columns::{key_columns, match_header, SERIAL_NUMBER};
use super::table::{normalize_header, Sheet, SheetRow};
use super::ImportKind;
use zhaoshang_core::money::MoneyUnit;

/// A sheet as an office keeps it, taken apart.
pub(super) struct Layout {
    /// The header (two header rows merged into one) and the data rows, at their
    /// spreadsheet row numbers.
    pub sheet: Sheet,
    /// The unit of a units line above the header (`单位：亿元`); 万元 when none.
    pub unit: MoneyUnit,
    /// Rows skipped below the header: totals, 其中 rows, empty rows and notes.
    pub skipped: Vec<SheetRow>,
    /// Empty rows between the header and the last filled row (counted as skipped).
    pub empty_rows: usize,
    /// The first header row when rows (a title) stand above it.
    pub below_title: Option<usize>,
}

impl Layout {
    pub fn skipped_count(&self) -> usize {
        self.skipped.len() + self.empty_rows
    }
}

/// Whether a header cell names a column of the kind (or is the ignored 序号).
fn names_column(kind: ImportKind, cell: &str) -> bool {
    match_header(kind, cell).is_some() || normalize_header(cell) == SERIAL_NUMBER
}

/// Where a row names one of `keys`.
fn key_position(kind: ImportKind, row: &SheetRow, keys: &[&str]) -> Option<usize> {
    row.cells.iter().position(|cell| match_header(kind, cell).is_some_and(|spec| keys.contains(&spec.key)))
}

/// The header row: the first that names the kind's key column (for projects without a
/// 项目编号 column anywhere, the first that names 项目名称), with the key's position.
fn find_header(kind: ImportKind, rows: &[SheetRow]) -> Option<(usize, usize)> {
    let first_naming = |keys: &[&str]| {
        rows.iter().enumerate().find_map(|(index, row)| key_position(kind, row, keys).map(|at| (index, at)))
    };
    first_naming(key_columns(kind))
        .or_else(|| (kind == ImportKind::Projects).then(|| first_naming(&["name"])).flatten())
}

/// Two header rows as one: the lower cell names the column, the upper one where the
/// lower is empty (a cell merged down over both rows keeps its text in the upper).
fn merge_headers(upper: &[String], lower: &[String]) -> Vec<String> {
    (0..upper.len().max(lower.len()))
        .map(|i| match lower.get(i).filter(|cell| !cell.is_empty()) {
            Some(cell) => cell.clone(),
            None => upper.get(i).cloned().unwrap_or_default(),
        })
        .collect()
}

/// The unit a units line names (`单位：万元`, `金额单位: 亿元`), not a 填报单位.
fn units_line_unit(row: &SheetRow) -> Option<MoneyUnit> {
    row.cells.iter().find_map(|cell| {
        let text = normalize_header(cell);
        text.match_indices("单位").find_map(|(at, word)| {
            let rest = text[at + word.len()..].strip_prefix(':')?;
            // The unit ends there: "单位：元" is a unit, "填报单位：元丰公司" a name.
            [MoneyUnit::Yi, MoneyUnit::Wan, MoneyUnit::Yuan].into_iter().find(|unit| {
                rest.strip_prefix(unit.label())
                    .is_some_and(|after| after.chars().next().is_none_or(|c| !c.is_alphanumeric()))
            })
        })
    })
}

/// What a row below the header is that is not data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NotData {
    Total,
    Note,
}

fn not_data(row: &SheetRow) -> Option<NotData> {
    let first = row.cells.iter().find(|cell| !cell.is_empty())?;
    let text: String = first.chars().filter(|c| !c.is_whitespace()).collect();
    let total = ["合计", "小计", "总计"].into_iter().any(|word| {
        // "合计（万元）" is a total, "合计数据中心项目" a name.
        text.strip_prefix(word).is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    });
    if total || text.starts_with("其中") {
        return Some(NotData::Total);
    }
    let note = ["注：", "注:", "说明：", "说明:", "填表说明"].into_iter().any(|word| text.starts_with(word));
    note.then_some(NotData::Note)
}

/// Takes a sheet as read (its first filled row as `headers`) apart.
pub(super) fn locate(kind: ImportKind, sheet: Sheet) -> Layout {
    let first_row = sheet.header_row;
    let mut rows: Vec<SheetRow> = Vec::with_capacity(sheet.rows.len() + 1);
    rows.push(SheetRow { number: sheet.header_row, cells: sheet.headers });
    rows.extend(sheet.rows);
    let (mut top, key_at) = find_header(kind, &rows).unwrap_or((0, usize::MAX));
    let mut last = top;
    let adjacent = |a: &SheetRow, b: &SheetRow| a.number + 1 == b.number;
    let below = rows.get(top + 1).filter(|row| adjacent(&rows[top], row));
    let above = top.checked_sub(1).map(|i| &rows[i]).filter(|row| adjacent(row, &rows[top]));
    if below.is_some_and(|row| row.cell(key_at).is_empty() && row.cells.iter().any(|cell| names_column(kind, cell))) {
        // The key stands in the upper row, merged down: the group row is on top.
        last = top + 1;
    } else if above.is_some_and(|row| {
        row.cells.iter().enumerate().any(|(i, cell)| rows[top].cell(i).is_empty() && names_column(kind, cell))
    }) {
        // The key stands under a group: the row above names the columns merged down.
        top -= 1;
    }
    let headers = if last > top { merge_headers(&rows[top].cells, &rows[last].cells) } else { rows[top].cells.clone() };
    let header_row = rows[last].number;
    let below_title = (rows[top].number > first_row).then_some(rows[top].number);
    let unit = rows[..top].iter().find_map(units_line_unit).unwrap_or_default();

    let mut data = Vec::new();
    let mut skipped = Vec::new();
    let mut empty_rows = 0;
    let mut previous = header_row;
    let mut in_notes = false;
    for row in rows.drain(last + 1..) {
        empty_rows += row.number.saturating_sub(previous + 1);
        previous = row.number;
        // Notes end the table: every row below the first note is part of them.
        in_notes = in_notes || not_data(&row) == Some(NotData::Note);
        if in_notes || not_data(&row).is_some() {
            skipped.push(row);
        } else {
            data.push(row);
        }
    }
    Layout { sheet: Sheet { header_row, headers, rows: data }, unit, skipped, empty_rows, below_title }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: usize, cells: &[&str]) -> SheetRow {
        SheetRow { number, cells: cells.iter().map(|c| c.to_string()).collect() }
    }

    fn sheet(rows: Vec<SheetRow>) -> Sheet {
        let mut rows = rows.into_iter();
        let first = rows.next().unwrap();
        Sheet { header_row: first.number, headers: first.cells, rows: rows.collect() }
    }

    #[test]
    fn a_ledger_with_title_units_two_header_rows_totals_and_notes() {
        let ledger = sheet(vec![
            row(1, &["2024年招商引资项目台账"]),
            row(2, &["填报单位：天水市商务局", "", "", "", "填报日期：2024年6月30日"]),
            row(3, &["", "", "", "", "", "单位：亿元"]),
            row(4, &["序号", "项目编号", "项目名称", "所属地区", "日期", "", "", "总投资（万元）"]),
            row(5, &["", "", "", "", "签约日期", "开工日期", "投产日期"]),
            row(6, &["1", "A-1", "甲", "620503", "2024-1-2"]),
            row(8, &["合  计", "", "", "", "", "", "", "30"]),
            row(9, &["其中：新签约", "", "", "", "", "", "", "10"]),
            row(10, &["2", "A-2", "乙", "620503"]),
            row(12, &["注：金额单位为万元"]),
            row(13, &["2. 日期按签约填写"]),
        ]);
        let layout = locate(ImportKind::Projects, ledger);
        assert_eq!(layout.sheet.header_row, 5);
        assert_eq!(layout.below_title, Some(4));
        assert_eq!(
            layout.sheet.headers,
            ["序号", "项目编号", "项目名称", "所属地区", "签约日期", "开工日期", "投产日期", "总投资（万元）"]
        );
        assert_eq!(layout.unit, MoneyUnit::Yi);
        assert_eq!(layout.sheet.rows.iter().map(|r| r.number).collect::<Vec<_>>(), [6, 10]);
        // Rows 8, 9, 12 and 13 skipped, and the empty rows 7 and 11.
        assert_eq!(layout.skipped.iter().map(|r| r.number).collect::<Vec<_>>(), [8, 9, 12, 13]);
        assert_eq!(layout.skipped_count(), 6);
    }

    #[test]
    fn a_group_row_above_the_key_and_plain_headers() {
        let grouped = sheet(vec![
            row(1, &["序号", "基本情况", "", "金额"]),
            row(2, &["", "项目编号", "到位日期", "到位金额(元)"]),
            row(3, &["1", "A-1", "2024/3/15", "1000000"]),
        ]);
        let layout = locate(ImportKind::Funding, grouped);
        assert_eq!(layout.sheet.headers, ["序号", "项目编号", "到位日期", "到位金额(元)"]);
        assert_eq!((layout.sheet.header_row, layout.below_title, layout.skipped_count()), (2, None, 0));

        let plain = sheet(vec![row(1, &["项目编号", "项目名称", "所属地区"]), row(2, &["A-1", "项目名称", "620503"])]);
        let layout = locate(ImportKind::Projects, plain);
        assert_eq!((layout.sheet.header_row, layout.sheet.rows.len()), (1, 1), "a data row is not a header row");
        assert_eq!(layout.unit, MoneyUnit::Wan);
    }

    #[test]
    fn projects_without_codes_are_found_by_their_name_column() {
        let layout = locate(
            ImportKind::Projects,
            sheet(vec![row(1, &["填报单位：麦积区"]), row(2, &["项目名称", "所属地区"]), row(3, &["甲", "620503"])]),
        );
        assert_eq!((layout.sheet.header_row, layout.sheet.rows.len()), (2, 1));
        assert!(units_line_unit(&row(1, &["填报单位：元丰公司"])).is_none());
        assert_eq!(units_line_unit(&row(1, &["金额单位: 元"])), Some(MoneyUnit::Yuan));
        assert_eq!(not_data(&row(1, &["合计数据中心项目"])), None);
        assert_eq!(not_data(&row(1, &["", "总计（万元）"])), Some(NotData::Total));
        assert_eq!(not_data(&row(1, &["填表说明：…"])), Some(NotData::Note));
    }
}
