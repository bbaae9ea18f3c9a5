//! Excel 97–2003 (.xls) and OpenDocument (.ods) files built from their parts, as no
//! writer for them is at hand: the tests that read offices' sheets and the hostile
//! uploads both make theirs here.

use std::io::{Cursor, Write};

/// Appends a BIFF8 record: type, length, data.
pub fn biff_record(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

/// Appends the BOF record of a workbook's globals (0x0005) or of a worksheet (0x0010).
pub fn biff_bof(out: &mut Vec<u8>, substream: u16) {
    let mut data = Vec::new();
    for value in [0x0600u16, substream, 0x0DBB, 0x07CC] {
        data.extend_from_slice(&value.to_le_bytes());
    }
    data.extend_from_slice(&[0; 8]);
    biff_record(out, 0x0809, &data);
}

/// The BIFF8 cell format index of the built-in date format 14 in `xls_workbook`
/// (index 0 is General).
pub const XLS_DATE_FORMAT: u16 = 1;

/// An .xls with one worksheet whose records (after its BOF, before its EOF) are
/// `sheet_records`: the globals hold two cell formats (General and a date) and the
/// sheet's name, all in a version 3 compound file as Excel writes it.
pub fn xls_workbook(sheet_records: &[u8]) -> Vec<u8> {
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    let mut stream = Vec::new();
    biff_bof(&mut stream, 0x0005);
    for format in [0u16, 14] {
        let mut xf = vec![0u8; 20];
        xf[2..4].copy_from_slice(&format.to_le_bytes());
        biff_record(&mut stream, 0x00E0, &xf);
    }
    let name = "Sheet1";
    let sheet_offset_at = stream.len() + 4;
    let mut boundsheet = vec![0u8; 6];
    boundsheet.extend_from_slice(&[name.len() as u8, 1]);
    boundsheet.extend_from_slice(&utf16(name));
    biff_record(&mut stream, 0x0085, &boundsheet);
    biff_record(&mut stream, 0x000A, &[]);
    let sheet_at = stream.len() as u32;
    stream[sheet_offset_at..sheet_offset_at + 4].copy_from_slice(&sheet_at.to_le_bytes());
    biff_bof(&mut stream, 0x0010);
    stream.extend_from_slice(sheet_records);
    biff_record(&mut stream, 0x000A, &[]);
    // Streams under 4096 bytes go to the compound file's mini stream; Excel pads.
    stream.resize(stream.len().max(4096), 0);
    let mut file = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
    file.create_stream("/Workbook").unwrap().write_all(&stream).unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

/// An .ods whose one table has the rows `rows_xml` (`<table:table-row>` elements).
pub fn ods_workbook(rows_xml: &str) -> Vec<u8> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"Sheet1\">{rows_xml}</table:table>\
         </office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default();
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}
