//! Attachments (附件): files kept with a record of an area (an appeal, an achievement, …).
//! These are the rules a file passes before it is stored: its name cleaned, its size
//! bounded, and its kind told from its first bytes (never from what the client claims),
//! so that what is served later is served as what it is.

crate::vocabulary! {
    /// The kinds of records that hold attachments; the key is the stored `owner_kind`.
    pub enum OwnerKind {
        Appeal => ("appeal", "营商环境诉求"),
        Achievement => ("achievement", "科技成果"),
        Report => ("report", "调研报告"),
        Lead => ("lead", "商会线索"),
        Park => ("park", "园区"),
        Activity => ("activity", "招商活动"),
    }
}

/// The largest file taken.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The most files one record holds.
pub const MAX_PER_OWNER: usize = 10;
/// The longest file name kept, in characters (the extension included).
pub const MAX_NAME_CHARS: usize = 100;

crate::vocabulary! {
    /// The kinds of files taken, told by their first bytes; the label names them in the
    /// refusal's list.
    pub enum FileKind {
        Pdf => ("pdf", "PDF"),
        Png => ("png", "PNG 图片"),
        Jpeg => ("jpeg", "JPEG 图片"),
        Docx => ("docx", "Word 文档（.docx）"),
        Xlsx => ("xlsx", "Excel 表格（.xlsx）"),
        Doc => ("doc", "Word 文档（.doc）"),
        Xls => ("xls", "Excel 表格（.xls）"),
        Text => ("text", "纯文本（UTF-8）"),
    }
}

impl FileKind {
    /// Whether files of this kind are shown as pictures (a park's photos): PNG and JPEG.
    pub fn is_photo(self) -> bool {
        matches!(self, FileKind::Png | FileKind::Jpeg)
    }

    /// The kind served with this content type, if any.
    pub fn of_content_type(content_type: &str) -> Option<FileKind> {
        FileKind::ALL.iter().copied().find(|kind| kind.content_type() == content_type)
    }

    /// The content type the file is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Doc => "application/msword",
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }

    /// The extensions a name of this kind may end with, the usual one first.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Doc => &["doc"],
            FileKind::Xls => &["xls"],
            FileKind::Text => &["txt", "csv", "log", "md"],
        }
    }
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// What a file is by its first bytes (and, for the Office formats, the parts they hold
/// or the extension its name gives); `None` for anything not taken.
pub fn sniff(bytes: &[u8], name: &str) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(FileKind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileKind::Jpeg);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // An Office Open XML package names its parts in the zip's directory.
        return if contains(bytes, b"word/document.xml") {
            Some(FileKind::Docx)
        } else if contains(bytes, b"xl/workbook.xml") {
            Some(FileKind::Xlsx)
        } else {
            None
        };
    }
    if bytes.starts_with(OLE_MAGIC) {
        // Word and Excel 97–2003 share the container: the name tells which.
        return match extension(name).as_deref() {
            Some("xls") => Some(FileKind::Xls),
            Some("doc") => Some(FileKind::Doc),
            _ => None,
        };
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let plain = text.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'));
    plain.then_some(FileKind::Text)
}

/// The extension of a name, lower-cased.
fn extension(name: &str) -> Option<String> {
    name.rsplit_once('.').map(|(_, ext)| ext.to_lowercase()).filter(|ext| !ext.is_empty())
}

/// A file name as kept: its last path part only, without control characters or
/// surrounding blanks and dots, at most `MAX_NAME_CHARS` (its extension kept), and
/// ending with an extension of its kind (added when it does not), so that a file saved
/// from the site opens as what it is. "附件" when nothing is left.
pub fn clean_name(raw: &str, kind: FileKind) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let mut name = cleaned.trim().trim_matches('.').trim().to_string();
    if name.is_empty() {
        name = "附件".into();
    }
    if !extension(&name).is_some_and(|ext| kind.extensions().contains(&ext.as_str())) {
        name = format!("{name}.{}", kind.extensions()[0]);
    }
    let count = name.chars().count();
    if count > MAX_NAME_CHARS {
        let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
        let keep = MAX_NAME_CHARS.saturating_sub(ext.chars().count() + 1);
        name = format!("{}.{ext}", stem.chars().take(keep).collect::<String>());
    }
    name
}

/// A file that passed the checks: its kept name and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub name: String,
    pub kind: FileKind,
}

/// Why a file is refused, as the user reads it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("文件“{0}”是空的")]
    Empty(String),
    #[error("文件“{name}”过大：每个附件不超过 {max} MB", max = MAX_BYTES / 1024 / 1024)]
    TooBig { name: String },
    #[error("文件“{name}”的类型不受支持：仅接受 {kinds}（按文件内容判断）")]
    WrongKind { name: String, kinds: String },
    #[error("附件过多：每条记录最多 {max} 个附件，已有 {existing} 个", max = MAX_PER_OWNER)]
    TooMany { existing: usize },
}

/// Checks a file as uploaded (its name as the client gave it).
pub fn check_file(raw_name: &str, bytes: &[u8]) -> Result<CheckedFile, AttachmentError> {
    let shown: String = raw_name.chars().filter(|c| !c.is_control()).take(MAX_NAME_CHARS).collect();
    if bytes.is_empty() {
        return Err(AttachmentError::Empty(shown));
    }
    if bytes.len() > MAX_BYTES {
        return Err(AttachmentError::TooBig { name: shown });
    }
    let kind = sniff(bytes, raw_name).ok_or_else(|| AttachmentError::WrongKind {
        name: shown,
        kinds: FileKind::ALL.iter().map(|k| k.label()).collect::<Vec<_>>().join("、"),
    })?;
    Ok(CheckedFile { name: clean_name(raw_name, kind), kind })
}

/// Whether a record holding `existing` files takes `adding` more.
pub fn check_count(existing: usize, adding: usize) -> Result<(), AttachmentError> {
    if existing + adding > MAX_PER_OWNER {
        return Err(AttachmentError::TooMany { existing });
    }
    Ok(())
}

/// A 2×2 green PNG (a park's photo in the demo and the tests), kept as its bytes so that
/// no binary file is.
pub fn sample_png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xFD, 0xD4, 0x9A, 0x73, 0x00, 0x00, 0x00,
        0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xD0, 0xEB, 0x0E, 0x07, 0x22, 0x06, 0x08, 0x05, 0x00, 0x1D,
        0x2A, 0x04, 0x41, 0x2A, 0xF0, 0xC4, 0xA6, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60,
        0x82,
    ]
}

/// A one-page PDF showing `line` (ASCII), valid enough for any reader: the demo's and
/// the tests' sample attachment, made here so that no binary file is kept.
pub fn sample_pdf(line: &str) -> Vec<u8> {
    let text: String =
        line.chars().filter(|c| c.is_ascii_graphic() || *c == ' ').filter(|c| !"()\\".contains(*c)).collect();
    let stream = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", index + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    pdf.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_by_their_first_bytes_not_by_their_names() {
        assert_eq!(sniff(&sample_pdf("x"), "a.txt"), Some(FileKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....", "a.pdf"), Some(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2], "a"), Some(FileKind::Jpeg));
        assert_eq!(sniff(b"PK\x03\x04....word/document.xml....", "a.zip"), Some(FileKind::Docx));
        assert_eq!(sniff(b"PK\x03\x04....xl/workbook.xml....", "a"), Some(FileKind::Xlsx));
        assert_eq!(sniff("企业营业执照说明\r\n第二行\t完".as_bytes(), "a.txt"), Some(FileKind::Text));
    }

    #[test]
    fn other_files_are_refused_whatever_they_are_called() {
        // A plain zip, an executable, HTML with a script is text but an HTML page with a
        // NUL is not; a bare OLE container without a Word or Excel name.
        assert_eq!(sniff(b"PK\x03\x04 just a zip", "a.docx"), None);
        assert_eq!(sniff(b"MZ\x90\x00\x03\x00", "a.pdf"), None);
        assert_eq!(sniff(b"<html>\x00</html>", "a.txt"), None);
        assert_eq!(sniff(&[0xFF, 0xFE, 0x00, 0x41], "a.txt"), None);
        let ole = [OLE_MAGIC, b"rest"].concat();
        assert_eq!(sniff(&ole, "a.exe"), None);
        assert_eq!(sniff(&ole, "报表.XLS"), Some(FileKind::Xls));
        assert_eq!(sniff(&ole, "报告.doc"), Some(FileKind::Doc));
        let refused = check_file("a.exe", b"MZ\x90\x00").unwrap_err();
        assert!(matches!(refused, AttachmentError::WrongKind { .. }));
        assert!(refused.to_string().contains("类型不受支持") && refused.to_string().contains("PDF"));
    }

    #[test]
    fn names_lose_their_paths_and_control_characters_and_end_as_their_kind() {
        assert_eq!(clean_name("C:\\Users\\张三\\营业执照.pdf", FileKind::Pdf), "营业执照.pdf");
        assert_eq!(clean_name("../../etc/passwd", FileKind::Text), "passwd.txt");
        assert_eq!(clean_name("情况\u{0}说明\n.PDF", FileKind::Pdf), "情况说明.PDF");
        assert_eq!(clean_name("report.html", FileKind::Pdf), "report.html.pdf");
        assert_eq!(clean_name(" .. ", FileKind::Png), "附件.png");
        assert_eq!(clean_name("照片.jpeg", FileKind::Jpeg), "照片.jpeg");
        let long = clean_name(&format!("{}.xlsx", "长".repeat(300)), FileKind::Xlsx);
        assert_eq!(long.chars().count(), MAX_NAME_CHARS);
        assert!(long.ends_with("长.xlsx"));
    }

    #[test]
    fn size_and_count_are_bounded() {
        assert_eq!(check_file("空.txt", b"").unwrap_err(), AttachmentError::Empty("空.txt".into()));
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(MAX_BYTES + 1, b' ');
        assert!(matches!(check_file("大.pdf", &big).unwrap_err(), AttachmentError::TooBig { .. }));
        big.truncate(MAX_BYTES);
        assert_eq!(check_file("大.pdf", &big).unwrap().kind, FileKind::Pdf);
        assert!(check_count(MAX_PER_OWNER - 1, 1).is_ok());
        let refused = check_count(MAX_PER_OWNER - 1, 2).unwrap_err();
        assert!(refused.to_string().contains("最多 10 个"), "{refused}");
    }

    #[test]
    fn the_sample_pdf_is_a_pdf_with_a_consistent_cross_reference() {
        let pdf = sample_pdf("Demo (attachment)");
        let checked = check_file("样例.pdf", &pdf).unwrap();
        assert_eq!((checked.name.as_str(), checked.kind), ("样例.pdf", FileKind::Pdf));
        let text = String::from_utf8(pdf).unwrap();
        let start: usize = text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert!(text[start..].starts_with("xref"));
        let second = text.find("2 0 obj").unwrap();
        assert!(text.contains(&format!("{second:010} 00000 n")));
        assert!(text.contains("(Demo attachment) Tj"));
    }
}
