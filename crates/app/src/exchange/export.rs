//! Exporting the lists with the import's headers, so that an exported file imports
//! back unchanged: stage and funding source as Chinese labels, money in exact 万元,
//! dates as YYYY-MM-DD, regions as codes.

use super::columns::columns;
use super::table::{escape_formula, format_number};
use super::values::{date_text, parse_wan};
use super::workbook::{column_width, header_format};
use super::ImportKind;
use crate::{AppError, AppResult};
use rust_xlsxwriter::{Format, FormatAlign, Workbook};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use zhaoshang_core::achievements::{Maturity, Score};
use zhaoshang_core::activities::{participants_text, ActivitySort};
use zhaoshang_core::appeals::{due_note, Dimension, Rating};
use zhaoshang_core::calendar::Reckoned;
use zhaoshang_core::chains::{LinkRole, NodeKind, Segment};
use zhaoshang_core::chambers::{self, ChamberKind, ChamberLevel};
use zhaoshang_core::enterprises::Tags;
use zhaoshang_core::metrics::FundingSource;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::parcels::{LandUse, ParcelStatus};
use zhaoshang_core::projects::Stage;
use zhaoshang_store::achievements::{AchievementFilter, AchievementSort};
use zhaoshang_store::activities::{Activity, ActivityFilter};
use zhaoshang_store::appeals::{AppealData, AppealFilter};
use zhaoshang_store::chains::ChainSummary;
use zhaoshang_store::enterprises::{EnterpriseData, EnterpriseFilter};
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::parcels::{Parcel, ParcelFilter, ParcelSort};
use zhaoshang_store::projects::ProjectData;
use zhaoshang_store::Store;

/// An exported table: Chinese headers, rows of text, and how a workbook shows each
/// column's numbers. A list (`Table::list`) has the English keys of its columns and
/// imports back; a report (`Table::report`) has a title above its header row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The name of the workbook's sheet.
    pub sheet: &'static str,
    /// The title merged above the header row of a report's workbook (not in its CSV).
    pub title: Option<String>,
    /// A report's line below its title: the period, the units (`单位：万元`).
    pub subtitle: Option<String>,
    pub headers: Vec<String>,
    /// The columns' keys (lists only).
    pub keys: Vec<String>,
    pub formats: Vec<NumberFormat>,
    pub rows: Vec<Vec<String>>,
    /// Columns kept in view when the sheet scrolls sideways.
    pub frozen_columns: u16,
}

impl Table {
    /// An empty list of `columns` (key, header): amounts and scores as exact numbers,
    /// counts and years as whole numbers, the rest as text.
    pub fn list<'c>(sheet: &'static str, columns: impl IntoIterator<Item = (&'c str, &'c str)>) -> Table {
        let (keys, headers): (Vec<String>, Vec<String>) =
            columns.into_iter().map(|(key, header)| (key.to_string(), header.to_string())).unzip();
        Table {
            sheet,
            title: None,
            subtitle: None,
            formats: keys.iter().map(|key| NumberFormat::of_list_column(key)).collect(),
            headers,
            keys,
            rows: Vec::new(),
            frozen_columns: 0,
        }
    }

    /// An empty report titled `title` of `columns` (header, format), its first
    /// `frozen_columns` kept in view.
    pub fn report(
        sheet: &'static str,
        title: String,
        columns: impl IntoIterator<Item = (String, NumberFormat)>,
        frozen_columns: u16,
    ) -> Table {
        let (headers, formats) = columns.into_iter().unzip();
        Table {
            sheet,
            title: Some(title),
            subtitle: None,
            headers,
            keys: Vec::new(),
            formats,
            rows: Vec::new(),
            frozen_columns,
        }
    }
}

/// How a workbook shows the numbers of a column; a cell that is no number (a name, "—")
/// stays text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberFormat {
    Text,
    /// An amount of a list as exact as stored (万元 to the yuan): `0.00##`. Only cells
    /// that read back as the same amount become numbers, so that the list imports back.
    Exact,
    /// `0`, read as `Exact` is.
    Whole,
    /// A report's figure to two decimals with thousands separators: `#,##0.00`.
    Decimal,
    /// A report's ratio as a percentage: `0.00%`.
    Percent,
}

impl NumberFormat {
    fn of_list_column(key: &str) -> NumberFormat {
        if whole_number(key) {
            NumberFormat::Whole
        } else if key.ends_with("_wan") || key == "score" {
            NumberFormat::Exact
        } else {
            NumberFormat::Text
        }
    }

    /// The cell as the number a workbook holds, if the column shows numbers and it is one.
    fn number(self, cell: &str) -> Option<f64> {
        match self {
            NumberFormat::Text => None,
            NumberFormat::Exact | NumberFormat::Whole => exact_number(cell),
            NumberFormat::Decimal | NumberFormat::Percent => cell.parse().ok().filter(|value: &f64| value.is_finite()),
        }
    }

    fn excel(self) -> &'static str {
        match self {
            NumberFormat::Text => "General",
            NumberFormat::Exact => "0.00##",
            NumberFormat::Whole => "0",
            NumberFormat::Decimal => "#,##0.00",
            NumberFormat::Percent => "0.00%",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableFormat {
    Csv,
    Xlsx,
}

impl TableFormat {
    /// From a file name's extension: `.csv` or `.xlsx`.
    pub fn from_file_name(file_name: &str) -> AppResult<TableFormat> {
        let lower = file_name.trim().to_lowercase();
        if lower.ends_with(".csv") {
            Ok(TableFormat::Csv)
        } else if lower.ends_with(".xlsx") {
            Ok(TableFormat::Xlsx)
        } else {
            Err(AppError::Invalid("不支持的文件类型，请使用 .csv 或 .xlsx".into()))
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Csv => "csv",
            TableFormat::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            TableFormat::Csv => "text/csv; charset=utf-8",
            TableFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Money in 万元 for export; zero (not given) is left empty.
fn wan(yuan: i64) -> String {
    if yuan == 0 {
        String::new()
    } else {
        Yuan(yuan).wan_string()
    }
}

fn project_cell(data: &ProjectData, key: &str) -> String {
    match key {
        "code" => data.code.clone(),
        "name" => data.name.clone(),
        "region" => data.region_code.clone(),
        "park" => data.park.clone(),
        "chain" => data.chain.clone(),
        "chain_node" => data.chain_node.clone(),
        "investor" => data.investor.clone(),
        "investor_credit_code" => data.investor_credit_code.clone(),
        "investor_origin" => data.investor_origin.clone(),
        "total_investment_wan" => wan(data.total_investment),
        "stage" => Stage::parse(&data.stage).map(|s| s.label().to_string()).unwrap_or_else(|_| data.stage.clone()),
        "signed_on" => date_text(data.signed_on),
        "started_on" => date_text(data.started_on),
        "producing_on" => date_text(data.producing_on),
        "lead_on" => date_text(data.lead_on),
        "source" => data.source.clone(),
        "source_org" => data.source_org.clone(),
        "department" => data.department.clone(),
        "leader" => data.leader.clone(),
        "signing_activity" => data.signing_activity.clone(),
        "investor_type" => data.investor_type.clone(),
        "industry" => data.industry.clone(),
        "owner" => data.owner.clone(),
        "dropped_reason" => data.dropped_reason.clone(),
        "description" => data.description.clone(),
        _ => String::new(),
    }
}

fn enterprise_cell(data: &EnterpriseData, key: &str) -> String {
    let wan = |yuan: Option<i64>| yuan.map(|yuan| Yuan(yuan).wan_string()).unwrap_or_default();
    match key {
        "name" => data.name.clone(),
        "credit_code" => data.credit_code.clone(),
        "region" => data.region_code.clone(),
        "industry" => data.industry.clone(),
        "tags" => Tags::from_stored(&data.tags, &data.stock_code).cell_text(),
        "revenue_wan" => wan(data.revenue),
        "employees" => data.employees.map(|count| count.to_string()).unwrap_or_default(),
        "registered_capital_wan" => wan(data.registered_capital),
        "description" => data.description.clone(),
        "is_target" => if data.is_target { "是" } else { "否" }.to_string(),
        _ => String::new(),
    }
}

fn appeal_cell(data: &AppealData, key: &str) -> String {
    match key {
        "code" => data.code.clone(),
        "enterprise" => data.enterprise.clone(),
        "credit_code" => data.credit_code.clone(),
        "region" => data.region_code.clone(),
        "dimension" => Dimension::parse(&data.dimension).map_or(data.dimension.clone(), |d| d.label().to_string()),
        "category" => data.category.clone(),
        "content" => data.content.clone(),
        "received_on" => date_text(Some(data.received_on)),
        "department" => data.department.clone(),
        "limit_days" => data.limit_days.to_string(),
        "answered_on" => date_text(data.answered_on),
        "closed_on" => date_text(data.closed_on),
        "rating" => Rating::parse(&data.rating).map(|r| r.label().to_string()).unwrap_or_default(),
        "due_on" => date_text(Some(data.due_on)),
        "due_note" => due_note(&Reckoned { value: data.due_on, by_weekends_only: data.due_by_weekends_only }),
        _ => String::new(),
    }
}

const PAGE: i64 = 1000;

/// An empty table of a kind: its exported columns' headers and keys.
fn empty_table(kind: ImportKind) -> Table {
    Table::list(kind.label(), columns(kind).iter().filter(|spec| spec.exported).map(|spec| (spec.key, spec.header)))
}

/// An activity's cells in the import's columns.
fn activity_cells(activity: Activity) -> Vec<String> {
    vec![
        activity.name,
        activity.kind,
        date_text(activity.start_on),
        date_text(activity.end_on),
        activity.place,
        activity.organiser,
        activity.chambers.join(chambers::NAME_SEPARATOR),
        participants_text(&activity.participants),
    ]
}

/// The activities as filtered on their page, in its order.
pub async fn activity_table(store: &Store, filter: &ActivityFilter, sort: ActivitySort) -> AppResult<Table> {
    let mut table = empty_table(ImportKind::Activities);
    let mut offset = 0;
    loop {
        let (_, rows) = store.activities_page(filter, sort, PAGE, offset).await?;
        let done = (rows.len() as i64) < PAGE;
        offset += rows.len() as i64;
        table.rows.extend(rows.into_iter().map(|row| activity_cells(row.activity)));
        if done {
            return Ok(table);
        }
    }
}

/// The enterprise library as filtered on its page (the CLI exports every enterprise).
pub async fn enterprise_table(store: &Store, filter: &EnterpriseFilter) -> AppResult<Table> {
    let mut table = empty_table(ImportKind::Enterprises);
    let mut after = String::new();
    loop {
        let page = store.enterprises_by_code_after(filter, &after, PAGE).await?;
        let keys = &table.keys;
        let rows: Vec<Vec<String>> =
            page.iter().map(|e| keys.iter().map(|key| enterprise_cell(&e.data, key)).collect()).collect();
        table.rows.extend(rows);
        match page.last() {
            Some(last) if page.len() as i64 == PAGE => after.clone_from(&last.data.credit_code),
            _ => return Ok(table),
        }
    }
}

/// The appeals as filtered on their page (the CLI exports every appeal), in code order.
pub async fn appeal_table(store: &Store, filter: &AppealFilter) -> AppResult<Table> {
    let mut table = empty_table(ImportKind::Appeals);
    let mut after = String::new();
    loop {
        let page = store.appeals_by_code_after(filter, &after, PAGE).await?;
        let keys = &table.keys;
        table.rows.extend(page.iter().map(|a| keys.iter().map(|key| appeal_cell(&a.data, key)).collect::<Vec<_>>()));
        match page.last() {
            Some(last) if page.len() as i64 == PAGE => after.clone_from(&last.data.code),
            _ => return Ok(table),
        }
    }
}

/// The expert pool, by name.
pub async fn expert_table(store: &Store) -> AppResult<Table> {
    let mut table = empty_table(ImportKind::Experts);
    let experts = store.all_expert_data().await?;
    table.rows.extend(
        experts.into_iter().map(|e| vec![e.name, e.institution, e.institution_credit_code, e.fields, e.account]),
    );
    Ok(table)
}

/// The achievements a filter matches (the CLI exports every one), in code order.
pub async fn achievement_table(store: &Store, filter: &AchievementFilter) -> AppResult<Table> {
    let mut table = empty_table(ImportKind::Achievements);
    let count = store.achievement_count(filter).await?;
    let page = store.achievements_page(filter, AchievementSort::Code, count, 0).await?;
    table.rows.extend(page.into_iter().map(|a| {
        let maturity = Maturity::from_key(&a.maturity).map_or(a.maturity.clone(), |m| m.label().to_string());
        vec![
            a.code,
            a.title,
            a.institution,
            a.industry,
            a.year.to_string(),
            maturity,
            a.ip,
            a.description,
            a.contact,
            a.institution_credit_code,
        ]
    }));
    Ok(table)
}

/// The parcels a filter matches (the page's, or a region's for the CLI), in code order.
pub async fn parcel_table(store: &Store, filter: &ParcelFilter) -> AppResult<Table> {
    let mut table = empty_table(ImportKind::Parcels);
    let mut offset = 0;
    loop {
        let page = store.parcels_page(filter, ParcelSort::Code, PAGE, offset).await?;
        let done = (page.len() as i64) < PAGE;
        offset += page.len() as i64;
        table.rows.extend(page.into_iter().map(parcel_row));
        if done {
            return Ok(table);
        }
    }
}

/// The rows of a list. Projects follow `filter` (the default is every project);
/// funding, targets, enterprises, appeals and chains (by the region running the chain) follow its
/// region scope (`region_prefix`); activities too, with the province's (of no region).
pub async fn export_table(store: &Store, kind: ImportKind, filter: &ProjectFilter) -> AppResult<Table> {
    let specs: Vec<_> = columns(kind).iter().filter(|spec| spec.exported).collect();
    let mut table = empty_table(kind);
    match kind {
        ImportKind::Projects => {
            let mut offset = 0;
            loop {
                let page = store.list_projects(filter, ProjectSort::Code, PAGE, offset).await?;
                let done = (page.len() as i64) < PAGE;
                offset += page.len() as i64;
                table
                    .rows
                    .extend(page.iter().map(|p| specs.iter().map(|spec| project_cell(&p.data, spec.key)).collect()));
                if done {
                    break;
                }
            }
        }
        ImportKind::Funding => {
            for record in store.all_funding(&filter.region_prefix, filter.chains_in.as_deref()).await? {
                let source = FundingSource::parse(&record.source)
                    .map(|s| s.label().to_string())
                    .unwrap_or_else(|_| record.source.clone());
                table.rows.push(vec![
                    record.project_code,
                    date_text(Some(record.funded_on)),
                    Yuan(record.amount).wan_string(),
                    source,
                ]);
            }
        }
        ImportKind::Targets => {
            let targets = store.targets(None).await?;
            for target in targets.into_iter().filter(|t| t.region_code.starts_with(&filter.region_prefix)) {
                table.rows.push(vec![
                    target.region_code,
                    target.year.to_string(),
                    target.funds_target.map(|y| Yuan(y).wan_string()).unwrap_or_default(),
                    target.signed_investment_target.map(|y| Yuan(y).wan_string()).unwrap_or_default(),
                ]);
            }
        }
        ImportKind::Activities => {
            let in_scope = |a: &Activity| a.region_code.as_ref().is_none_or(|c| c.starts_with(&filter.region_prefix));
            table.rows.extend(store.activities().await?.into_iter().filter(in_scope).map(activity_cells));
        }
        ImportKind::Chambers => {
            for chamber in store.all_chambers().await? {
                let d = chamber.data;
                let kind = ChamberKind::parse(&d.kind).map_or(d.kind.clone(), |kind| kind.label().to_string());
                let level = ChamberLevel::parse(&d.level).map_or(d.level.clone(), |level| level.label().to_string());
                table.rows.push(vec![
                    d.name,
                    kind,
                    d.location,
                    level,
                    d.president,
                    d.contact,
                    d.phone,
                    if d.liaison_office { "是" } else { "否" }.to_string(),
                    d.members.map(|count| count.to_string()).unwrap_or_default(),
                ]);
            }
        }
        ImportKind::Enterprises => {
            let scope = EnterpriseFilter { region_prefix: filter.region_prefix.clone(), ..Default::default() };
            table = enterprise_table(store, &scope).await?;
        }
        ImportKind::Appeals => {
            let scope = AppealFilter { region_prefix: filter.region_prefix.clone(), ..Default::default() };
            table = appeal_table(store, &scope).await?;
        }
        ImportKind::Achievements => table = achievement_table(store, &AchievementFilter::default()).await?,
        ImportKind::Experts => table = expert_table(store).await?,
        ImportKind::Reviews => {
            // Nobody reads a round's scores before it closes, in a file no more than on a
            // page: those rows keep their reviewers and leave the scores empty.
            let sealed = crate::rounds::sealed_years(store).await?;
            let years: HashMap<String, i64> =
                store.all_achievements().await?.into_iter().map(|a| (a.code, a.year)).collect();
            table.rows.extend(store.all_reviews().await?.into_iter().map(|r| {
                let scores = r.scores();
                let shown = |score: Score| match years.get(&r.code).is_some_and(|year| sealed.contains(year)) {
                    true => String::new(),
                    false => score.text(),
                };
                let (market, economic, technical) =
                    (shown(scores.market), shown(scores.economic), shown(scores.technical));
                vec![r.code, r.reviewer, r.reviewer_institution, market, economic, technical, r.reviewer_credit_code]
            }));
        }
        ImportKind::Parcels => {
            let filter = ParcelFilter { region_prefix: Some(filter.region_prefix.clone()), ..Default::default() };
            table = parcel_table(store, &filter).await?;
        }
        ImportKind::Chains | ImportKind::ChainEnterprises => {
            for summary in store.chain_summaries().await? {
                if summary.region_code.starts_with(&filter.region_prefix) {
                    table.rows.extend(chain_rows(store, kind, &summary).await?);
                }
            }
        }
    }
    Ok(table)
}

/// A parcel as the import reads it back: labels for the vocabularies, the price in exact
/// 万元, decimals as Rust writes them (the shortest text that reads back the same number).
fn parcel_row(parcel: Parcel) -> Vec<String> {
    let d = parcel.data;
    let label = |key: &str, label: Option<&'static str>| label.map_or_else(|| key.to_string(), str::to_string);
    vec![
        d.code,
        parcel.park_name.unwrap_or_default(),
        d.region_code,
        label(&d.land_use, LandUse::from_key(&d.land_use).map(LandUse::label)),
        d.area_mu.to_string(),
        d.price_per_mu.map(|yuan| Yuan(yuan).wan_string()).unwrap_or_default(),
        label(&d.status, ParcelStatus::from_key(&d.status).map(ParcelStatus::label)),
        d.plot_ratio.map(|ratio| ratio.to_string()).unwrap_or_default(),
        d.lon.to_string(),
        d.lat.to_string(),
        d.boundary,
    ]
}

/// One chain's rows: a row per node (chain columns repeated on each, so that rows can be
/// sorted or filtered in Excel), or a row per enterprise on a link.
async fn chain_rows(store: &Store, kind: ImportKind, summary: &ChainSummary) -> AppResult<Vec<Vec<String>>> {
    let nodes = store.chain_nodes(summary.id).await?;
    let name_of = |id: i64| nodes.iter().find(|node| node.id == id).map(|node| node.name.clone()).unwrap_or_default();
    if kind == ImportKind::ChainEnterprises {
        let on_links = store.chain_enterprises(summary.id, "").await?;
        return Ok(on_links
            .into_iter()
            .map(|e| {
                let role = LinkRole::parse(&e.role).map_or(e.role.clone(), |role| role.label().to_string());
                vec![summary.name.clone(), name_of(e.node_id), e.credit_code, role]
            })
            .collect());
    }
    let leaders: Vec<String> = store.chain_leaders(summary.id).await?.into_iter().map(|e| e.credit_code).collect();
    let leaders = leaders.join("、");
    Ok(nodes
        .iter()
        .map(|node| {
            vec![
                summary.name.clone(),
                summary.region_code.clone(),
                summary.lead_department.clone(),
                summary.chief.clone(),
                leaders.clone(),
                node.name.clone(),
                node.parent_id.map(name_of).unwrap_or_default(),
                NodeKind::parse(&node.kind).map_or(node.kind.clone(), |kind| kind.label().to_string()),
                node.segment.as_deref().and_then(Segment::parse).map(Segment::label).unwrap_or_default().to_string(),
                node.industry.clone(),
                node.products.clone(),
            ]
        })
        .collect())
}

/// Numbers shown without decimals.
fn whole_number(key: &str) -> bool {
    matches!(key, "year" | "employees" | "members" | "rank" | "leads" | "signed_count" | "activities" | "limit_days")
}

/// The cell as a number when the number reads back as the same amount (it always does
/// for realistic amounts: f64 holds 15 significant digits).
fn exact_number(cell: &str) -> Option<f64> {
    let value: f64 = cell.parse().ok()?;
    let exact = parse_wan(cell).ok()?;
    (parse_wan(&format_number(value)).ok()? == exact).then_some(value)
}

/// The table as a file: CSV in UTF-8 with a BOM (so Excel opens it correctly), or XLSX.
pub fn write_table(table: &Table, format: TableFormat) -> AppResult<Vec<u8>> {
    match format {
        TableFormat::Csv => {
            let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
            writer.write_record(&table.headers).map_err(csv_error)?;
            for row in &table.rows {
                writer.write_record(row.iter().map(|cell| escape_formula(cell).into_owned())).map_err(csv_error)?;
            }
            let body = writer.into_inner().map_err(|e| AppError::Internal(e.to_string()))?;
            let mut bytes = vec![0xEF, 0xBB, 0xBF];
            bytes.extend(body);
            Ok(bytes)
        }
        TableFormat::Xlsx if table.rows.len() > XLSX_MAX_DATA_ROWS => Err(AppError::Invalid(format!(
            "Excel 工作表最多容纳 {XLSX_MAX_DATA_ROWS} 行数据，本次导出 {} 行：请缩小筛选范围分批导出，或导出为 CSV",
            table.rows.len()
        ))),
        TableFormat::Xlsx => write_workbook(std::slice::from_ref(table)),
    }
}

/// Tables as one workbook, a sheet each (a report of several sections).
pub fn write_workbook(tables: &[Table]) -> AppResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    for table in tables {
        write_sheet(&mut workbook, table).map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

fn xlsx_error(error: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Internal(format!("无法生成 Excel 文件：{error}"))
}

/// Rows of data an Excel sheet holds below its header row (1,048,576 rows in all).
pub const XLSX_MAX_DATA_ROWS: usize = 1_048_575;

fn csv_error(error: csv::Error) -> AppError {
    AppError::Internal(format!("无法生成 CSV 文件：{error}"))
}

fn write_sheet(workbook: &mut Workbook, table: &Table) -> Result<(), rust_xlsxwriter::XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(table.sheet)?;
    let header_row = u32::from(table.title.is_some()) + u32::from(table.subtitle.is_some());
    let last_column = table.headers.len().saturating_sub(1) as u16;
    if let Some(title) = &table.title {
        let title_format = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center);
        sheet.merge_range(0, 0, 0, last_column, title, &title_format)?;
    }
    if let Some(subtitle) = &table.subtitle {
        let row = u32::from(table.title.is_some());
        sheet.merge_range(row, 0, row, last_column, subtitle, &Format::new().set_align(FormatAlign::Right))?;
    }
    let bold = header_format();
    for (col, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(header_row, col as u16, header, &bold)?;
    }
    let number_formats: Vec<Format> =
        table.formats.iter().map(|format| Format::new().set_num_format(format.excel())).collect();
    for (index, row) in table.rows.iter().enumerate() {
        let r = header_row + 1 + index as u32;
        for (col, cell) in row.iter().enumerate() {
            let format = table.formats.get(col).copied().unwrap_or(NumberFormat::Text);
            match format.number(cell) {
                Some(value) => {
                    sheet.write_number_with_format(r, col as u16, value, &number_formats[col])?;
                }
                None if cell.is_empty() => {}
                None => {
                    sheet.write_string(r, col as u16, cell)?;
                }
            }
        }
    }
    for (col, header) in table.headers.iter().enumerate() {
        let widest = table.rows.iter().map(|row| row.get(col).map(|c| column_width(c)).unwrap_or(0)).max().unwrap_or(0);
        sheet.set_column_width(col as u16, widest.max(column_width(header)).clamp(8, 50) as f64 + 2.0)?;
    }
    sheet.set_freeze_panes(header_row + 1, table.frozen_columns)?;
    Ok(())
}

/// Writes a list to `path`; `.csv` or `.xlsx` picks the format. Returns the number of rows.
pub async fn export_file(store: &Store, kind: ImportKind, path: &Path, filter: &ProjectFilter) -> AppResult<usize> {
    let file_name = path.file_name().map(|name| name.to_string_lossy().to_string()).unwrap_or_default();
    let format = TableFormat::from_file_name(&file_name)?;
    let table = export_table(store, kind, filter).await?;
    let bytes = write_table(&table, format)?;
    std::fs::write(path, bytes).map_err(|e| AppError::Invalid(format!("无法写入文件 {}：{e}", path.display())))?;
    Ok(table.rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_beyond_one_excel_sheet_is_refused_in_chinese_and_still_written_as_csv() {
        let mut table = empty_table(ImportKind::Targets);
        table.rows = vec![vec![String::new(); table.headers.len()]; XLSX_MAX_DATA_ROWS];
        assert!(write_table(&table, TableFormat::Xlsx).is_ok(), "a full sheet is written");

        table.rows.push(vec!["620100".into(), "2026".into(), "1".into(), String::new()]);
        match write_table(&table, TableFormat::Xlsx) {
            Err(AppError::Invalid(message)) => {
                assert!(
                    message.contains("1048575") && message.contains("1048576 行") && message.contains("CSV"),
                    "{message}"
                )
            }
            other => panic!("expected a refusal, got {:?}", other.map(|bytes| bytes.len())),
        }
        let csv = write_table(&table, TableFormat::Csv).unwrap();
        let text = String::from_utf8(csv).unwrap();
        assert_eq!(text.lines().count(), XLSX_MAX_DATA_ROWS + 2, "header and every row");
        assert!(text.ends_with("620100,2026,1,\r\n"));
    }
}
