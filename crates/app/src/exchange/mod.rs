//! Excel and CSV import and export of the lists (SPEC: `zhaoshang import KIND FILE`,
//! `zhaoshang export KIND FILE`), shared by the command line and the web upload.
//!
//! An import reads the whole table, checks every row against the same rules as the
//! forms, and writes nothing unless every row is good; the report then names every
//! bad row and column in Chinese. Row numbers are those a spreadsheet shows (the
//! header is row 1).

mod achievements;
mod activities;
mod appeals;
mod chain_enterprises;
mod chains;
mod chambers;
mod codes;
pub mod columns;
mod enterprises;
pub mod export;
mod forms;
mod funding;
mod layout;
mod mapping;
mod parcels;
mod projects;
mod scope;
mod sheet_bounds;
pub mod table;
mod targets;
mod values;
mod workbook;

use crate::{AppError, AppResult};
use serde::Serialize;
use std::borrow::Borrow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::plausible::{excess_funds_message, ExcessFunds, CONFIRM_EXCESS_FUNDS};
use zhaoshang_store::projects::UpsertOutcome;
use zhaoshang_store::{Actor, Store};

pub use codes::AssignedCode;
pub use columns::{columns, ColumnSpec};
pub use export::{
    achievement_table, activity_table, appeal_table, enterprise_table, expert_table, export_file, export_table,
    parcel_table, write_table, write_workbook, NumberFormat, Table, TableFormat,
};
pub use forms::{field_errors, CONFIRM_EXCESS_FUNDS_FIELD};
pub use mapping::{ColumnMapping, FieldChoice, FileColumn, ImportOutcome, MappedColumn, MappingQuestion};
pub use scope::ImportScope;
pub use table::{form_sheet, normalize_header, read_sheet, Sheet, SheetRow, IMPORT_EXTENSIONS};
pub(crate) use values::parse_credit_code;
pub use values::{parse_date, parse_wan};
pub use workbook::{problems_workbook, template_workbook, RegionChoice};

/// The lists that can be imported and exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Projects,
    Funding,
    Targets,
    Chambers,
    Activities,
    Enterprises,
    Chains,
    ChainEnterprises,
    Appeals,
    Achievements,
    Experts,
    Reviews,
    Parcels,
}

impl ImportKind {
    /// In the order a new database is filled: activities name the chambers that took
    /// part, chains name their leader enterprises, and enterprises are attached to the
    /// links of stored chains.
    pub const ALL: [ImportKind; 13] = [
        ImportKind::Projects,
        ImportKind::Funding,
        ImportKind::Targets,
        ImportKind::Chambers,
        ImportKind::Activities,
        ImportKind::Enterprises,
        ImportKind::Chains,
        ImportKind::ChainEnterprises,
        ImportKind::Appeals,
        ImportKind::Achievements,
        ImportKind::Experts,
        ImportKind::Reviews,
        ImportKind::Parcels,
    ];

    /// The word used on the command line (`zhaoshang import projects …`).
    pub fn key(self) -> &'static str {
        match self {
            ImportKind::Projects => "projects",
            ImportKind::Funding => "funding",
            ImportKind::Targets => "targets",
            ImportKind::Chambers => "chambers",
            ImportKind::Activities => "activities",
            ImportKind::Enterprises => "enterprises",
            ImportKind::Chains => "chains",
            ImportKind::ChainEnterprises => "chain_enterprises",
            ImportKind::Appeals => "appeals",
            ImportKind::Achievements => "achievements",
            ImportKind::Experts => "experts",
            ImportKind::Reviews => "reviews",
            ImportKind::Parcels => "parcels",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Projects => "项目",
            ImportKind::Funding => "到位资金",
            ImportKind::Targets => "年度目标",
            ImportKind::Chambers => "商协会",
            ImportKind::Activities => "招商活动",
            ImportKind::Enterprises => "企业",
            ImportKind::Chains => "产业链",
            ImportKind::ChainEnterprises => "产业链企业",
            ImportKind::Appeals => "企业诉求",
            ImportKind::Achievements => "科技成果",
            ImportKind::Experts => "专家库",
            ImportKind::Reviews => "成果评审",
            ImportKind::Parcels => "地块",
        }
    }

    /// Accepts the key (also singular, any case) or the Chinese label.
    pub fn parse(text: &str) -> AppResult<ImportKind> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        ImportKind::ALL
            .into_iter()
            .find(|kind| {
                kind.key() == lower || kind.key().strip_suffix('s') == Some(lower.as_str()) || kind.label() == text
            })
            .or(match lower.as_str() {
                "activity" => Some(ImportKind::Activities),
                "target" => Some(ImportKind::Targets),
                "商会" => Some(ImportKind::Chambers),
                _ => None,
            })
            .ok_or_else(|| {
                let known: Vec<String> =
                    ImportKind::ALL.iter().map(|kind| format!("{}（{}）", kind.key(), kind.label())).collect();
                AppError::Invalid(format!("未知的数据类型“{text}”，可选：{}", known.join("、")))
            })
    }
}

impl fmt::Display for ImportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One problem with one cell (or, on row 1, with the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    /// Spreadsheet row number: the header is row 1, the first data row row 2.
    pub row: usize,
    /// The column's Chinese header as the SPEC names it.
    pub column: String,
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}行 {}：{}", self.row, self.column, self.message)
    }
}

/// What an import does with a row that leaves a project's funds in place above its
/// total investment (`core::projects::plausible`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExcessFundsPolicy {
    /// A file: the row is accepted, its project flagged for the province to confirm, and
    /// the report warns of it.
    #[default]
    Flag,
    /// A form not confirmed: a problem of the amount, asking the user to confirm.
    Ask,
    /// A form whose user confirmed the figures: accepted and flagged as confirmed.
    Confirmed,
}

impl ExcessFundsPolicy {
    /// A form's policy: confirmed when its confirmation box was ticked.
    pub fn of_form(confirmed: bool) -> ExcessFundsPolicy {
        if confirmed {
            ExcessFundsPolicy::Confirmed
        } else {
            ExcessFundsPolicy::Ask
        }
    }

    /// Decides a row whose project's funds in place `exceed` its total investment (or no
    /// longer do): the project's flag after the write, and, for a flag left waiting, the
    /// row's warning (a file) or problem (a form) under `column`.
    fn apply(
        self,
        previous: ExcessFunds,
        excess: Option<(Yuan, Yuan)>,
        figures_changed: bool,
        column: &'static str,
        p: &mut RowProblems,
    ) -> ExcessFunds {
        let flag = previous.after(excess.is_some(), figures_changed, self == ExcessFundsPolicy::Confirmed);
        if let (Some((funds, total)), ExcessFunds::Unconfirmed) = (excess, flag) {
            let excess = excess_funds_message(funds, total);
            match self {
                ExcessFundsPolicy::Ask => {
                    p.add(column, format!("{excess}，请核实；确属实际情况的，请勾选“{CONFIRM_EXCESS_FUNDS}”后保存"))
                }
                _ => p.warn(column, format!("{excess}，已导入并标记为待确认，请省级或本地区核实后确认")),
            }
        }
        flag
    }
}

/// How to import a file beyond its content.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Only check, write nothing.
    pub dry_run: bool,
    /// A projects file without 项目编号 gets codes `PREFIX-0001`… (`--assign-codes`).
    pub assign_codes: Option<String>,
    pub excess_funds: ExcessFundsPolicy,
    /// How columns that no field's name matches are read (the web import's mapping).
    pub columns: ColumnMapping,
    /// Told how far the import has got (the command line's progress bar).
    pub progress: ImportProgress,
}

/// What an import is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStage {
    /// Checking the rows read against the rules.
    Checking,
    /// Writing the good rows in one transaction.
    Writing,
}

impl ImportStage {
    pub fn label(self) -> &'static str {
        match self {
            ImportStage::Checking => "检查",
            ImportStage::Writing => "写入",
        }
    }
}

type ProgressReport = dyn Fn(ImportStage, usize, usize) + Send + Sync;

/// Told of an import's stage, the rows done and the rows in all, as it goes (projects
/// and funding, the kinds imported by the hundred thousand).
#[derive(Clone, Default)]
pub struct ImportProgress(Option<Arc<ProgressReport>>);

impl ImportProgress {
    pub fn new(report: impl Fn(ImportStage, usize, usize) + Send + Sync + 'static) -> ImportProgress {
        ImportProgress(Some(Arc::new(report)))
    }

    fn checked(&self, done: usize, total: usize) {
        if let Some(report) = &self.0 {
            report(ImportStage::Checking, done, total);
        }
    }

    /// `store`, telling this progress of the rows it writes out of `total`.
    fn writing(&self, store: &Store, total: usize) -> Store {
        let Some(report) = &self.0 else {
            return store.clone();
        };
        report(ImportStage::Writing, 0, total);
        let (report, done) = (Arc::clone(report), AtomicUsize::new(0));
        store.reporting_writes(move |rows| {
            report(ImportStage::Writing, done.fetch_add(rows, Ordering::Relaxed) + rows, total)
        })
    }
}

impl fmt::Debug for ImportProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "ImportProgress(reported)" } else { "ImportProgress(none)" })
    }
}

impl ImportOptions {
    pub fn checking(dry_run: bool) -> ImportOptions {
        ImportOptions { dry_run, ..ImportOptions::default() }
    }
}

/// What an import found and did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub file_name: String,
    /// Data rows read (rows skipped below the header are not counted).
    pub rows: usize,
    /// Rows below the header that are not data: 合计/小计/总计/其中 rows, empty rows and notes.
    pub skipped: usize,
    /// The codes given to a projects file's rows (`--assign-codes`), in row order.
    pub assigned_codes: Vec<AssignedCode>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows already stored or repeated within the file (funding only), not written again.
    pub duplicates: usize,
    /// Row numbers of those duplicates.
    pub duplicate_rows: Vec<usize>,
    /// Every bad cell; when not empty, nothing was written.
    pub problems: Vec<ImportProblem>,
    /// Things worth knowing that do not stop the import (unknown columns …).
    pub warnings: Vec<String>,
    /// The columns read by a column mapping, as the user chose or the office remembered.
    pub mapped_columns: Vec<MappedColumn>,
    /// Keys of the rows written (project codes, credit codes; unchanged rows included),
    /// so that the search index can follow the import.
    #[serde(skip)]
    pub written_keys: Vec<String>,
    pub dry_run: bool,
    /// Whether the rows were written.
    pub applied: bool,
}

impl ImportReport {
    fn new(kind: ImportKind, file_name: &str, dry_run: bool) -> ImportReport {
        ImportReport {
            kind,
            file_name: file_name.to_string(),
            rows: 0,
            skipped: 0,
            assigned_codes: Vec::new(),
            created: 0,
            updated: 0,
            unchanged: 0,
            duplicates: 0,
            duplicate_rows: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            mapped_columns: Vec::new(),
            written_keys: Vec::new(),
            dry_run,
            applied: false,
        }
    }

    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// Rows with at least one problem, in order.
    pub fn bad_rows(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self.problems.iter().map(|p| p.row).collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    fn problem(&mut self, row: usize, column: &str, message: impl Into<String>) {
        self.problems.push(ImportProblem { row, column: column.to_string(), message: message.into() });
    }

    /// One line in Chinese, e.g. "导入项目：共 12 行，新增 10，更新 2，未变 0".
    pub fn summary_zh(&self) -> String {
        let label = self.kind.label();
        if !self.problems.is_empty() {
            let bad_rows = self.bad_rows().into_iter().filter(|&row| row > 1).count();
            let rows_part = if bad_rows > 0 { format!("，涉及 {bad_rows} 行") } else { String::new() };
            return format!(
                "导入{label}失败：共 {} 行，发现 {} 处问题{rows_part}；未导入任何数据，请修改后重新导入",
                self.rows,
                self.problems.len()
            );
        }
        let verb = if self.dry_run { "检查" } else { "导入" };
        let mut text = format!("{verb}{label}：共 {} 行", self.rows);
        let (created, updated) = if self.dry_run { ("可新增", "可更新") } else { ("新增", "更新") };
        if self.kind == ImportKind::Funding {
            text.push_str(&format!("，{created} {}", self.created));
        } else {
            text.push_str(&format!(
                "，{created} {}，{updated} {}，未变 {}",
                self.created, self.updated, self.unchanged
            ));
        }
        if self.duplicates > 0 {
            let rows = row_list(&self.duplicate_rows);
            let rows = if rows.is_empty() { String::new() } else { format!("{rows}，") };
            text.push_str(&format!("，重复 {}（{rows}已有相同记录，未重复导入）", self.duplicates));
        }
        if self.skipped > 0 {
            text.push_str(&format!("，跳过 {} 行（合计、小计、其中、空行和说明）", self.skipped));
        }
        if self.dry_run {
            text.push_str("；仅检查，未写入数据");
        }
        text
    }
}

/// Row numbers for a message, runs shortened ("第2行、第5–9行"), at most eight runs.
fn row_list(rows: &[usize]) -> String {
    const SHOWN: usize = 8;
    let mut sorted = rows.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for row in sorted {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == row => *end = row,
            _ => runs.push((row, row)),
        }
    }
    let mut parts: Vec<String> = runs
        .iter()
        .take(SHOWN)
        .map(|&(start, end)| if start == end { format!("第{start}行") } else { format!("第{start}–{end}行") })
        .collect();
    if runs.len() > SHOWN {
        parts.push("等".to_string());
    }
    parts.join("、")
}

/// Checks and (unless `dry_run` or a row is bad) writes the rows of an uploaded table.
/// `file_name` decides the format (`.csv`, `.xlsx`, `.xls` or `.ods`).
pub async fn import_bytes(
    store: &Store,
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
    actor: &Actor,
) -> AppResult<ImportReport> {
    import_bytes_in_scope(store, kind, file_name, bytes, dry_run, actor, &ImportScope::All).await
}

/// `import_bytes` for a user who may write only some regions' records (rows outside
/// `scope` are bad rows).
pub async fn import_bytes_in_scope(
    store: &Store,
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
    actor: &Actor,
    scope: &ImportScope,
) -> AppResult<ImportReport> {
    import_bytes_with(store, kind, file_name, bytes, &ImportOptions::checking(dry_run), actor, scope).await
}

/// `import_bytes_in_scope` with every option.
pub async fn import_bytes_with(
    store: &Store,
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
    options: &ImportOptions,
    actor: &Actor,
    scope: &ImportScope,
) -> AppResult<ImportReport> {
    let sheet = read_sheet(file_name, bytes)?;
    import_table(store, kind, file_name, sheet, options, actor, scope).await
}

/// `import_bytes` on a file.
pub async fn import_file(
    store: &Store,
    kind: ImportKind,
    path: &Path,
    dry_run: bool,
    actor: &Actor,
) -> AppResult<ImportReport> {
    import_file_with(store, kind, path, &ImportOptions::checking(dry_run), actor).await
}

/// `import_file` with every option.
pub async fn import_file_with(
    store: &Store,
    kind: ImportKind,
    path: &Path,
    options: &ImportOptions,
    actor: &Actor,
) -> AppResult<ImportReport> {
    let file_name = path.file_name().map(|name| name.to_string_lossy().to_string()).unwrap_or_default();
    table::check_extension(&file_name)?;
    let bytes = std::fs::read(path).map_err(|e| AppError::Invalid(format!("无法读取文件 {}：{e}", path.display())))?;
    import_bytes_with(store, kind, &file_name, &bytes, options, actor, &ImportScope::All).await
}

/// Checks and writes an already read table (or a form's fields as a one-row table).
pub async fn import_sheet(
    store: &Store,
    kind: ImportKind,
    file_name: &str,
    sheet: &Sheet,
    dry_run: bool,
    actor: &Actor,
) -> AppResult<ImportReport> {
    import_sheet_in_scope(store, kind, file_name, sheet, dry_run, actor, &ImportScope::All).await
}

/// `import_sheet` limited to a scope.
pub async fn import_sheet_in_scope(
    store: &Store,
    kind: ImportKind,
    file_name: &str,
    sheet: &Sheet,
    dry_run: bool,
    actor: &Actor,
    scope: &ImportScope,
) -> AppResult<ImportReport> {
    let options = ImportOptions::checking(dry_run);
    import_table(store, kind, file_name, sheet.clone(), &options, actor, scope).await
}

/// Every import: the table found in the sheet as an office keeps it (`layout`), codes
/// given to a projects file without them (`codes`), then the kind's rows.
async fn import_table(
    store: &Store,
    kind: ImportKind,
    file_name: &str,
    sheet: Sheet,
    options: &ImportOptions,
    actor: &Actor,
    scope: &ImportScope,
) -> AppResult<ImportReport> {
    import_layout(store, kind, file_name, layout::locate(kind, sheet), options, actor, scope).await
}

/// `import_table` of a sheet already taken apart.
async fn import_layout(
    store: &Store,
    kind: ImportKind,
    file_name: &str,
    layout: layout::Layout,
    options: &ImportOptions,
    actor: &Actor,
    scope: &ImportScope,
) -> AppResult<ImportReport> {
    if !scope.permits(kind) {
        return Err(AppError::Invalid("您没有导入数据的权限".into()));
    }
    let mut report = ImportReport::new(kind, file_name, options.dry_run);
    if let Some(header_row) = layout.below_title {
        report.warnings.push(format!("表头在第{header_row}行，其上方的标题行已跳过"));
    }
    report.skipped = layout.skipped_count();
    let mut sheet = layout.sheet;
    report.mapped_columns = options.columns.apply(kind, &mut sheet.headers);
    for column in &report.mapped_columns {
        report.warnings.push(match column.field {
            Some(field) => format!("列“{}”按“{field}”读取（列对应）", column.header),
            None => format!("列“{}”按列对应忽略", column.header),
        });
    }
    report.rows = sheet.rows.len();
    if kind == ImportKind::Projects && !codes::assign(store, &mut sheet, options, &mut report).await? {
        return Ok(report);
    }
    let Some(cols) = columns::Columns::map(kind, &sheet, layout.unit, &mut report) else {
        return Ok(report);
    };
    // Forms are saved as one-row sheets without a file name.
    let note = if file_name.is_empty() { "页面编辑".to_string() } else { format!("表格导入：{file_name}") };
    let context = Context {
        store,
        sheet: &sheet,
        cols: &cols,
        dry_run: options.dry_run,
        actor,
        note: &note,
        scope,
        excess_funds: options.excess_funds,
        progress: &options.progress,
    };
    match kind {
        ImportKind::Projects => projects::import(&context, &mut report).await?,
        ImportKind::Funding => funding::import(&context, &mut report).await?,
        ImportKind::Targets => targets::import(&context, &mut report).await?,
        ImportKind::Chambers => chambers::import(&context, &mut report).await?,
        ImportKind::Activities => activities::import(&context, &mut report).await?,
        ImportKind::Enterprises => enterprises::import(&context, &mut report).await?,
        ImportKind::Chains => chains::import(&context, &mut report).await?,
        ImportKind::ChainEnterprises => chain_enterprises::import(&context, &mut report).await?,
        ImportKind::Appeals => appeals::import(&context, &mut report).await?,
        ImportKind::Achievements => achievements::import_achievements(&context, &mut report).await?,
        ImportKind::Experts => achievements::import_experts(&context, &mut report).await?,
        ImportKind::Reviews => achievements::import_reviews(&context, &mut report).await?,
        ImportKind::Parcels => parcels::import(&context, &mut report).await?,
    }
    report.problems.sort_by_key(|problem| problem.row);
    Ok(report)
}

/// What every kind's import needs.
struct Context<'a> {
    store: &'a Store,
    sheet: &'a Sheet,
    cols: &'a columns::Columns,
    dry_run: bool,
    actor: &'a Actor,
    note: &'a str,
    scope: &'a ImportScope,
    excess_funds: ExcessFundsPolicy,
    progress: &'a ImportProgress,
}

impl Context<'_> {
    /// Whether the rows may be written: no problems and not a dry run.
    fn may_write(&self, report: &ImportReport) -> bool {
        report.problems.is_empty() && !self.dry_run
    }

    /// The import of a kind whose rows are keyed by one column (a code or a name): each
    /// row whose key repeats an earlier row of the file is a problem of that column, each
    /// row is then checked by `check_row` (a record, or `None` when it has none), and the
    /// good records are counted as created, updated or unchanged against the `stored`
    /// records of their keys. When the rows may be written, `upsert` writes them and the
    /// counts become the store's. `key_of` reads the key from the key column's text,
    /// `None` for a text that cannot be one (the row check then names the problem).
    /// Returns the records written, if they were.
    async fn upsert_by_key<D: PartialEq, R: Borrow<D>>(
        &self,
        report: &mut ImportReport,
        key_column: &'static str,
        key_of: impl Fn(&str) -> Option<String>,
        stored: &HashMap<String, D>,
        check_row: impl FnMut(&SheetRow, &mut RowProblems) -> Option<R>,
        upsert: impl AsyncFnOnce(&Store, &[R], &Actor) -> zhaoshang_store::Result<UpsertOutcome>,
    ) -> AppResult<Option<Vec<R>>> {
        let row_key = |row: &SheetRow| key_of(self.cols.text(row, key_column));
        self.upsert_by_row_key(report, key_column, row_key, stored, check_row, upsert).await
    }

    /// `upsert_by_key` for a key read from the whole row (a key of several columns);
    /// a repeated key is a problem of `key_column`.
    async fn upsert_by_row_key<D: PartialEq, R: Borrow<D>>(
        &self,
        report: &mut ImportReport,
        key_column: &'static str,
        key_of: impl Fn(&SheetRow) -> Option<String>,
        stored: &HashMap<String, D>,
        mut check_row: impl FnMut(&SheetRow, &mut RowProblems) -> Option<R>,
        upsert: impl AsyncFnOnce(&Store, &[R], &Actor) -> zhaoshang_store::Result<UpsertOutcome>,
    ) -> AppResult<Option<Vec<R>>> {
        let kind = report.kind;
        let mut first_row_of: HashMap<String, usize> = HashMap::new();
        let mut records = Vec::new();
        let (mut created, mut updated, mut unchanged) = (0, 0, 0);
        let total = self.sheet.rows.len();
        for (index, row) in self.sheet.rows.iter().enumerate() {
            self.progress.checked(index + 1, total);
            let mut problems = RowProblems::new(kind, row.number, report);
            let key = key_of(row);
            if let Some(key) = &key {
                match first_row_of.entry(key.clone()) {
                    Entry::Occupied(first) => {
                        let header = columns::header_of(kind, key_column);
                        problems.add(key_column, format!("{header}与第{}行重复", first.get()));
                    }
                    Entry::Vacant(entry) => {
                        entry.insert(row.number);
                    }
                }
            }
            let record = check_row(row, &mut problems);
            let (Some(key), Some(record), false) = (key, record, problems.any()) else {
                continue;
            };
            match stored.get(&key) {
                Some(before) if before == record.borrow() => unchanged += 1,
                Some(_) => updated += 1,
                None => created += 1,
            }
            records.push(record);
        }
        (report.created, report.updated, report.unchanged) = (created, updated, unchanged);
        if !self.may_write(report) {
            return Ok(None);
        }
        let outcome = upsert(&self.progress.writing(self.store, records.len()), &records, self.actor).await?;
        (report.created, report.updated, report.unchanged) = (outcome.created, outcome.updated, outcome.unchanged);
        report.applied = true;
        Ok(Some(records))
    }

    /// The valid credit codes of the sheet's `credit_code` column, normalised as they are
    /// stored, sorted and each once (for one lookup of the enterprises the rows name).
    fn credit_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .sheet
            .rows
            .iter()
            .filter_map(|row| zhaoshang_core::credit_code::parse(self.cols.text(row, "credit_code")).ok())
            .map(|code| code.to_string())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }
}

/// A key column's text as the key, unless it is empty.
fn non_empty_key(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// Collects the problems of one row under the columns' Chinese headers.
struct RowProblems<'a> {
    row: usize,
    kind: ImportKind,
    report: &'a mut ImportReport,
    /// Keys of the columns that already have a problem in this row.
    columns: Vec<&'static str>,
}

impl<'a> RowProblems<'a> {
    fn new(kind: ImportKind, row: usize, report: &'a mut ImportReport) -> RowProblems<'a> {
        RowProblems { row, kind, report, columns: Vec::new() }
    }

    fn add(&mut self, key: &'static str, message: impl Into<String>) {
        let header = columns::header_of(self.kind, key);
        self.report.problem(self.row, header, message);
        self.columns.push(key);
    }

    /// Something worth knowing about a cell that does not stop the import.
    fn warn(&mut self, key: &'static str, message: impl Into<String>) {
        let problem = ImportProblem {
            row: self.row,
            column: columns::header_of(self.kind, key).to_string(),
            message: message.into(),
        };
        self.report.warnings.push(problem.to_string());
    }

    fn has(&self, key: &str) -> bool {
        self.columns.contains(&key)
    }

    fn any(&self) -> bool {
        !self.columns.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_lists_shorten_runs() {
        assert_eq!(row_list(&[4]), "第4行");
        assert_eq!(row_list(&[2, 3, 4, 7, 9, 10]), "第2–4行、第7行、第9–10行");
        assert_eq!(row_list(&(2..5000).collect::<Vec<_>>()), "第2–4999行");
        let scattered: Vec<usize> = (0..20).map(|i| i * 2).collect();
        assert!(row_list(&scattered).ends_with("、等"));
    }

    #[test]
    fn kinds_parse_from_keys_and_labels() {
        assert_eq!(ImportKind::parse("projects").unwrap(), ImportKind::Projects);
        assert_eq!(ImportKind::parse("project").unwrap(), ImportKind::Projects);
        assert_eq!(ImportKind::parse("到位资金").unwrap(), ImportKind::Funding);
        assert_eq!(ImportKind::parse("activity").unwrap(), ImportKind::Activities);
        let error = ImportKind::parse("enterprises-x").unwrap_err().to_string();
        assert!(error.contains("projects（项目）") && error.contains("activities（招商活动）"), "{error}");
    }
}
