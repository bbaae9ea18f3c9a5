//! What an .xls or .ods would make its reader allocate, counted before the reader runs.
//!
//! calamine reads these two formats by building every worksheet's dense range (each
//! cell between the first and the last filled one) while it opens the file, and an
//! .xls reserves what its DIMENSIONS record declares. A small hostile file can
//! therefore ask for gigabytes; these checks read the cells' positions (the .xls
//! record headers, the .ods rows and repeats) and refuse past `MAX_CELLS`.

use super::table::{not_workbook, too_many_cells, MAX_CELLS};
use crate::{AppError, AppResult};
use std::io::{Cursor, Read};

/// The columns a repeated ODS cell may fill (calamine caps a row there).
const ODS_MAX_COLUMNS: u64 = 16_384;

/// The smallest and largest (row, column) seen: the dense range a reader builds.
#[derive(Default, Clone, Copy)]
struct Span {
    rows: Option<(u64, u64)>,
    columns: Option<(u64, u64)>,
}

impl Span {
    fn add(&mut self, rows: (u64, u64), columns: (u64, u64)) {
        let widen = |span: &mut Option<(u64, u64)>, (low, high): (u64, u64)| {
            *span = Some(span.map_or((low, high), |(a, b)| (a.min(low), b.max(high))));
        };
        widen(&mut self.rows, rows);
        widen(&mut self.columns, columns);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.columns) {
            (Some((top, bottom)), Some((left, right))) => (bottom - top + 1).saturating_mul(right - left + 1),
            _ => 0,
        }
    }
}

/// Adds `cells` to what the reader holds, refusing past `MAX_CELLS`.
fn hold(held: &mut u64, cells: u64) -> AppResult<()> {
    *held = held.saturating_add(cells);
    if *held > MAX_CELLS as u64 {
        return Err(too_many_cells());
    }
    Ok(())
}

fn u16_at(data: &[u8], at: usize) -> u64 {
    data.get(at..at + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as u64)
}

fn u32_at(data: &[u8], at: usize) -> u64 {
    data.get(at..at + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64)
}

/// BIFF records of a workbook stream from `at`: (type, data), stopping where a record
/// would run past the end (the reader then fails on its own).
fn records(stream: &[u8], at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream.get(at..).unwrap_or(&[]);
    std::iter::from_fn(move || {
        let kind = u16_at(rest, 0) as u16;
        let length = u16_at(rest, 2) as usize;
        let record = rest.get(4..4 + length)?;
        rest = &rest[4 + length..];
        Some((kind, record))
    })
}

const BIFF_BOF: u16 = 0x0809;
const BIFF_EOF: u16 = 0x000A;
const BIFF_BOUNDSHEET: u16 = 0x0085;
const BIFF_DIMENSIONS: u16 = 0x0200;
const BIFF_FORMULA: u16 = 0x0006;
const BIFF_MULRK: u16 = 0x00BD;
/// Number, Label, RString, BoolErr, Rk, LabelSst: one cell at (row, column).
const BIFF_CELLS: [u16; 6] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD];

/// Checks an .xls as calamine reads it: the sheets the workbook globals list (the same
/// offset may be listed twice), each sheet's declared dimensions (reserved while it is
/// read) and the ranges of its values and formulas (all kept).
pub(super) fn check_xls(bytes: &[u8]) -> AppResult<()> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(not_workbook)?;
    let name = ["/Workbook", "/Book"].into_iter().find(|name| file.is_stream(name)).ok_or_else(|| {
        AppError::Invalid("无法读取 .xls 文件：其中没有工作簿数据，请确认文件是 Excel 97–2003 工作簿".into())
    })?;
    let mut stream = Vec::new();
    file.open_stream(name)
        .map_err(not_workbook)?
        .take(bytes.len() as u64)
        .read_to_end(&mut stream)
        .map_err(not_workbook)?;

    let sheets: Vec<usize> = records(&stream, 0)
        .take_while(|(kind, _)| *kind != BIFF_EOF)
        .filter(|(kind, _)| *kind == BIFF_BOUNDSHEET)
        .map(|(_, data)| u32_at(data, 0) as usize)
        .collect();
    let mut held = 0u64;
    for at in sheets {
        let (mut values, mut formulas) = (Span::default(), Span::default());
        // Nested substreams (embedded charts) are skipped, as the reader skips them.
        let (mut seen_bof, mut depth) = (false, 0usize);
        for (kind, data) in records(&stream, at) {
            match kind {
                BIFF_BOF if seen_bof => depth += 1,
                BIFF_BOF => seen_bof = true,
                BIFF_EOF if depth > 0 => depth -= 1,
                BIFF_EOF => break,
                _ if depth > 0 => {}
                BIFF_DIMENSIONS => check_declared_dimensions(data)?,
                BIFF_FORMULA => {
                    let (row, column) = (u16_at(data, 0), u16_at(data, 2));
                    values.add((row, row), (column, column));
                    formulas.add((row, row), (column, column));
                }
                BIFF_MULRK => {
                    let (row, first) = (u16_at(data, 0), u16_at(data, 2));
                    let last = u16_at(data, data.len().saturating_sub(2)).max(first);
                    values.add((row, row), (first, last));
                }
                kind if BIFF_CELLS.contains(&kind) => {
                    let (row, column) = (u16_at(data, 0), u16_at(data, 2));
                    values.add((row, row), (column, column));
                }
                _ => {}
            }
        }
        hold(&mut held, values.cells())?;
        hold(&mut held, formulas.cells())?;
    }
    Ok(())
}

/// The cells a DIMENSIONS record makes the reader reserve, refused past `MAX_CELLS`
/// (and when its last row or column comes before its first, which the reader cannot
/// take).
fn check_declared_dimensions(data: &[u8]) -> AppResult<()> {
    let (first_row, last_row, mut first_column, last_column) = match data.len() {
        10 => (u16_at(data, 0), u16_at(data, 2), u16_at(data, 4), u16_at(data, 6)),
        14 | 16 => (u32_at(data, 0), u32_at(data, 4), u16_at(data, 8), u16_at(data, 10)),
        _ => return Ok(()),
    };
    if first_column > 0xFF || last_column < first_column {
        first_column = 0;
    }
    if last_row == 0 || last_column == 0 {
        return Ok(());
    }
    if last_row - 1 < first_row || last_column - 1 < first_column {
        return Err(AppError::Invalid(".xls 文件的工作表尺寸记录有误，不是正常的工作簿".into()));
    }
    hold(&mut 0, (last_row - first_row).saturating_mul(last_column - first_column))
}

/// Checks an .ods's content as calamine reads it: every table's rows with their
/// repeats, the cells each row element holds before the range is built, and the dense
/// ranges of values and formulas it keeps.
pub(super) fn check_ods(bytes: &[u8]) -> AppResult<()> {
    use quick_xml::events::Event;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(not_workbook)?;
    let content = archive.by_name("content.xml").map_err(not_workbook)?;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buffer = Vec::new();
    let mut held = 0u64;
    let (mut values, mut formulas) = (Span::default(), Span::default());
    // Per table: the next row's index; per row: its repeat, the next column, the cells
    // held so far and where its values and formulas end.
    let mut row = 0u64;
    let (mut row_repeat, mut column) = (1u64, 0u64);
    let mut row_cells: Option<(u64, u64)> = None;
    let mut row_formulas: Option<(u64, u64)> = None;
    let mut raw_cells = 0u64;
    let repeat = |tag: &quick_xml::events::BytesStart, name: &str| -> AppResult<u64> {
        Ok(match tag.try_get_attribute(name).map_err(not_workbook)? {
            Some(value) => value.value.trim().parse().unwrap_or(1),
            None => 1,
        })
    };
    loop {
        buffer.clear();
        let (tag, empty) = match xml.read_event_into(&mut buffer).map_err(not_workbook)? {
            Event::Start(tag) => (tag, false),
            Event::Empty(tag) => (tag, true),
            Event::End(tag) if tag.name().as_ref() == "table:table-row" => {
                let rows = (row, row + row_repeat.max(1) - 1);
                if let Some(span) = row_cells {
                    values.add(rows, span);
                    raw_cells += span.1 + 1;
                    hold(&mut 0, raw_cells)?;
                }
                if let Some(span) = row_formulas {
                    formulas.add(rows, span);
                }
                row += row_repeat.max(1);
                continue;
            }
            Event::End(tag) if tag.name().as_ref() == "table:table" => {
                hold(&mut held, values.cells())?;
                hold(&mut held, formulas.cells())?;
                (values, formulas, raw_cells) = (Span::default(), Span::default(), 0);
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        match tag.name().as_ref() {
            "table:table" => row = 0,
            "table:table-row" => {
                (row_repeat, column, row_cells, row_formulas) =
                    (repeat(&tag, "table:number-rows-repeated")?, 0, None, None);
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let repeats = repeat(&tag, "table:number-columns-repeated")?.max(1);
                let last = (column + repeats - 1).min(ODS_MAX_COLUMNS - 1);
                // A cell with a value, a formula or content counts as filled.
                let has = |name: &str| tag.try_get_attribute(name).ok().flatten().is_some();
                if !empty || has("office:value-type") || has("table:formula") {
                    row_cells = Some(row_cells.map_or((column, last), |(first, _)| (first, last)));
                }
                if has("table:formula") {
                    row_formulas = Some(row_formulas.map_or((column, last), |(first, _)| (first, last)));
                }
                column = (column + repeats).min(ODS_MAX_COLUMNS);
            }
            _ => {}
        }
    }
}
