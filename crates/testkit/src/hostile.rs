//! Uploads crafted to exhaust a server's memory, as a security probe sends them:
//! each small on the wire, each declaring or unpacking to far more.

use rust_xlsxwriter::Workbook;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;

/// A real workbook with a header and one row, as the base the others alter.
fn plain_workbook(extra: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "项目编号").unwrap();
    sheet.write_string(0, 1, "项目名称").unwrap();
    extra(sheet);
    workbook.save_to_buffer().unwrap()
}

/// Copies an archive, passing each part's content through `alter`, and appending `add`.
fn rewrite(archive: &[u8], alter: impl Fn(&str, Vec<u8>) -> Vec<u8>, add: Option<(&str, &mut dyn Read)>) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(Cursor::new(archive)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for index in 0..source.len() {
        let mut part = source.by_index(index).unwrap();
        let name = part.name().unwrap().to_string();
        let mut content = Vec::new();
        part.read_to_end(&mut content).unwrap();
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(&alter(&name, content)).unwrap();
    }
    if let Some((name, reader)) = add {
        out.start_file(name, options).unwrap();
        std::io::copy(reader, &mut out).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A workbook whose shared-string table declares a hundred billion strings
/// (a reader that reserves what is declared asks for terabytes).
pub fn shared_strings_bomb() -> Vec<u8> {
    let base = plain_workbook(|sheet| {
        sheet.write_string(1, 0, "TS-001").unwrap();
    });
    rewrite(
        &base,
        |name, content| {
            if !name.ends_with("sharedStrings.xml") {
                return content;
            }
            let text = String::from_utf8(content).unwrap();
            let at = text.find("uniqueCount=\"").expect("rust_xlsxwriter declares uniqueCount") + 13;
            let end = at + text[at..].find('"').unwrap();
            format!("{}100000000000{}", &text[..at], &text[end..]).into_bytes()
        },
        None,
    )
}

/// A workbook with cells only at A1 and XFD1048576 (the last cell of a sheet): a
/// reader that fills the bounding box asks for seventeen billion cells.
pub fn far_corner_workbook() -> Vec<u8> {
    plain_workbook(|sheet| {
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
    })
}

/// A workbook with cells at A1 and CV1000000: a dense box of 100 million cells.
pub fn far_row_workbook() -> Vec<u8> {
    plain_workbook(|sheet| {
        sheet.write_string(999_999, 99, "x").unwrap();
    })
}

/// A small workbook carrying a part that unpacks to `unpacked_mib` MiB of zeros.
pub fn zip_bomb_workbook(unpacked_mib: usize) -> Vec<u8> {
    let mut zeros = std::io::repeat(0).take(unpacked_mib as u64 * 1024 * 1024);
    rewrite(&plain_workbook(|_| {}), |_, content| content, Some(("xl/media/padding.bin", &mut zeros)))
}

/// An .ods whose content part unpacks to `unpacked_mib` MiB: an XML comment of spaces
/// before the spreadsheet, a few dozen kilobytes on the wire.
pub fn zip_bomb_ods(unpacked_mib: usize) -> Vec<u8> {
    let padding = format!("<!--{}-->", " ".repeat(unpacked_mib * 1024 * 1024));
    rewrite(
        &crate::workbooks::ods_workbook(""),
        |name, content| {
            if name != "content.xml" {
                return content;
            }
            let text = String::from_utf8(content).unwrap();
            let at = text.find("?>").expect("an XML declaration") + 2;
            format!("{}{padding}{}", &text[..at], &text[at..]).into_bytes()
        },
        None,
    )
}

/// A CSV whose header row has `columns` filled columns.
pub fn wide_csv(columns: usize) -> Vec<u8> {
    let mut text = String::from("项目编号,项目名称");
    for index in 2..columns {
        text.push_str(&format!(",c{index}"));
    }
    text.push_str("\nTS-001,名称\n");
    text.into_bytes()
}

/// An .xls whose sheet's DIMENSIONS record declares all 65,536 × 256 cells (a reader
/// that reserves what is declared asks for over half a gigabyte) around one number.
pub fn declared_dimensions_xls() -> Vec<u8> {
    use crate::workbooks::{biff_record, xls_workbook};
    let mut records = Vec::new();
    let mut dimensions = Vec::new();
    for value in [0u32, 65_536] {
        dimensions.extend_from_slice(&value.to_le_bytes());
    }
    for value in [0u16, 256, 0] {
        dimensions.extend_from_slice(&value.to_le_bytes());
    }
    biff_record(&mut records, 0x0200, &dimensions);
    let mut number = vec![0u8; 6];
    number.extend_from_slice(&1f64.to_le_bytes());
    biff_record(&mut records, 0x0203, &number);
    xls_workbook(&records)
}

/// An .ods of one row of 200 numbers repeated a million times: a few hundred bytes
/// that a reader building the dense range turns into 200 million cells.
pub fn repeated_rows_ods() -> Vec<u8> {
    crate::workbooks::ods_workbook(
        "<table:table-row table:number-rows-repeated=\"1000000\">\
         <table:table-cell table:number-columns-repeated=\"200\" office:value-type=\"float\" office:value=\"1\"/>\
         </table:table-row>",
    )
}
