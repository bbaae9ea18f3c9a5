//! Column mapping in the web import (issue 17, point 6): when a file's header names
//! columns that no field of the kind is called, the user says which field each is (or
//! ignores it) before the check. The choice is remembered for the user's office and that
//! header set (`Principal::import_mapping_owner`), so that next month's ledger of the
//! same shape imports in one click.

use super::columns::{columns, match_header, ColumnSpec, SERIAL_NUMBER};
use super::table::{normalize_header, read_sheet, Sheet};
use super::{import_layout, layout, ImportKind, ImportOptions, ImportReport, ImportScope};
use crate::{App, AppError, AppResult};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use zhaoshang_core::access::Principal;
use zhaoshang_store::import_mappings::NewImportMapping;
use zhaoshang_store::Actor;

/// How the columns that no field's name matches are read: each, by its normalised
/// header, as a field (its key) or ignored (`None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMapping(BTreeMap<String, Option<&'static str>>);

/// A column read by a mapping: its header in the file and the field it was read as
/// (its Chinese name), `None` when ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappedColumn {
    pub header: String,
    pub field: Option<&'static str>,
}

/// A field of the kind that a file's column may be read as.
fn importable_field(kind: ImportKind, key: &str) -> Option<&'static ColumnSpec> {
    columns(kind).iter().find(|spec| spec.imported && spec.key == key)
}

impl ColumnMapping {
    /// Renames the mapped headers to their fields' Chinese names and empties the ignored
    /// ones (an empty header is skipped, as a 序号 column is); returns what it read so.
    pub(super) fn apply(&self, kind: ImportKind, headers: &mut [String]) -> Vec<MappedColumn> {
        let mut mapped = Vec::new();
        for header in headers.iter_mut() {
            if let Some(choice) = self.0.get(&normalize_header(header)) {
                let field = choice.and_then(|key| importable_field(kind, key)).map(|spec| spec.header);
                mapped.push(MappedColumn { header: header.trim().to_string(), field });
                *header = field.unwrap_or("").to_string();
            }
        }
        mapped
    }

    /// The user's choices for the unrecognised columns at `unknown` (by position: a field
    /// key, or "" to ignore), checked: every such column chosen, each field at most once
    /// and not one the file already has.
    fn chosen(
        kind: ImportKind,
        headers: &[String],
        unknown: &[usize],
        chosen: &HashMap<usize, String>,
    ) -> AppResult<ColumnMapping> {
        let mut taken: HashMap<&'static str, String> = headers
            .iter()
            .filter_map(|header| match_header(kind, header).map(|spec| (spec.key, header.trim().to_string())))
            .collect();
        let mut mapping = BTreeMap::new();
        for &position in unknown {
            let header = headers[position].trim();
            let choice = chosen
                .get(&position)
                .map(|key| key.trim())
                .ok_or_else(|| AppError::Invalid(format!("请为列“{header}”选择对应的字段，或选择“忽略”")))?;
            let field = match choice {
                "" => None,
                key => {
                    let spec = importable_field(kind, key)
                        .ok_or_else(|| AppError::Invalid(format!("“{key}”不是{}表的字段", kind.label())))?;
                    if let Some(other) = taken.insert(spec.key, header.to_string()) {
                        return Err(AppError::Invalid(format!(
                            "字段“{}”只能对应一列，现在对应了“{other}”和“{header}”",
                            spec.header
                        )));
                    }
                    Some(spec.key)
                }
            };
            if mapping.insert(normalize_header(header), field).is_some_and(|earlier| earlier != field) {
                return Err(AppError::Invalid(format!("列“{header}”出现了多次，请只保留一列或改用不同的列名")));
            }
        }
        Ok(ColumnMapping(mapping))
    }

    fn to_json(&self) -> String {
        let stored: BTreeMap<&str, &str> =
            self.0.iter().map(|(header, key)| (header.as_str(), key.unwrap_or(""))).collect();
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// A remembered mapping read back; a field the kind no longer has is left out, so its
    /// column is asked about again.
    fn from_json(kind: ImportKind, text: &str) -> ColumnMapping {
        let stored: BTreeMap<String, String> = serde_json::from_str(text).unwrap_or_default();
        let mapping = stored.into_iter().filter_map(|(header, key)| match key.as_str() {
            "" => Some((header, None)),
            key => importable_field(kind, key).map(|spec| (header, Some(spec.key))),
        });
        ColumnMapping(mapping.collect())
    }

    fn covers(&self, header: &str) -> bool {
        self.0.contains_key(&normalize_header(header))
    }
}

/// The positions of the header's columns that no field of the kind is called (an
/// empty header and 序号 are not asked about).
fn unrecognised(kind: ImportKind, headers: &[String]) -> Vec<usize> {
    let asked = |header: &String| {
        let normalized = normalize_header(header);
        !normalized.is_empty() && normalized != SERIAL_NUMBER && match_header(kind, header).is_none()
    };
    headers.iter().enumerate().filter(|(_, header)| asked(header)).map(|(position, _)| position).collect()
}

/// What identifies a header set: a digest of its normalised names, in order.
fn signature(headers: &[String]) -> String {
    let names: Vec<String> = headers.iter().map(|header| normalize_header(header)).filter(|n| !n.is_empty()).collect();
    hex::encode(Sha256::digest(names.join("\u{1f}").as_bytes()))
}

/// The header set as people read it, for the audit log.
fn shown_headers(headers: &[String]) -> String {
    let names: Vec<&str> = headers.iter().map(|header| header.trim()).filter(|h| !h.is_empty()).collect();
    names.join(" | ")
}

/// A column of the uploaded file as the mapping form shows it.
#[derive(Debug, Clone, Serialize)]
pub struct FileColumn {
    pub position: usize,
    pub header: String,
    /// The first few values below the header, to recognise the column by.
    pub samples: String,
    /// The field the header names (its Chinese name), when it names one.
    pub field: Option<&'static str>,
    /// Whether the user must say what it is.
    pub needs_choice: bool,
}

/// A field of the kind, as the mapping form lists it beside the file's columns.
#[derive(Debug, Clone, Serialize)]
pub struct FieldChoice {
    pub key: &'static str,
    pub header: &'static str,
    pub required: bool,
    pub note: &'static str,
    /// Whether a column of the file already names it.
    pub present: bool,
}

/// What to ask before a file whose header has unrecognised columns is checked.
#[derive(Debug, Clone, Serialize)]
pub struct MappingQuestion {
    pub kind: ImportKind,
    pub kind_label: &'static str,
    pub file_name: String,
    pub columns: Vec<FileColumn>,
    pub fields: Vec<FieldChoice>,
}

const SAMPLES: usize = 3;

fn question(kind: ImportKind, file_name: &str, sheet: &Sheet, unknown: &[usize]) -> MappingQuestion {
    let file_columns: Vec<FileColumn> = sheet
        .headers
        .iter()
        .enumerate()
        .filter(|(_, header)| !header.trim().is_empty())
        .map(|(position, header)| {
            let samples: Vec<&str> =
                sheet.rows.iter().map(|row| row.cell(position)).filter(|cell| !cell.is_empty()).take(SAMPLES).collect();
            FileColumn {
                position,
                header: header.trim().to_string(),
                samples: samples.join("、"),
                field: match_header(kind, header).map(|spec| spec.header),
                needs_choice: unknown.contains(&position),
            }
        })
        .collect();
    let fields = columns(kind)
        .iter()
        .filter(|spec| spec.imported)
        .map(|spec| FieldChoice {
            key: spec.key,
            header: spec.header,
            required: spec.required,
            note: spec.note,
            present: file_columns.iter().any(|column| column.field == Some(spec.header)),
        })
        .collect();
    MappingQuestion { kind, kind_label: kind.label(), file_name: file_name.to_string(), columns: file_columns, fields }
}

/// An upload's outcome: imported (or checked), or a question about its columns first.
#[derive(Debug, Clone)]
pub enum ImportOutcome {
    Imported(ImportReport),
    NeedsMapping(MappingQuestion),
}

impl App {
    /// Imports an uploaded file of `kind` within the user's import scope. When its header
    /// names columns that no field is called, `chosen` (the form's choices by column
    /// position: a field key, or "" to ignore) says what they are and is remembered for
    /// the user's office and this header set (audited) before the import; without it the
    /// office's remembered mapping is used, and without one the question comes back and
    /// nothing is checked or written.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_upload(
        &self,
        principal: &Principal,
        actor: &Actor,
        kind: ImportKind,
        file_name: &str,
        bytes: &[u8],
        options: &ImportOptions,
        chosen: Option<&HashMap<usize, String>>,
    ) -> AppResult<ImportOutcome> {
        let scope = ImportScope::for_user(self.store(), principal).await?;
        let layout = layout::locate(kind, read_sheet(file_name, bytes)?);
        let located = &layout.sheet;
        let unknown = unrecognised(kind, &located.headers);
        let mut options = options.clone();
        if !unknown.is_empty() && scope.permits(kind) {
            if !principal.may_map_import_columns() {
                return Err(AppError::Forbidden);
            }
            let owner = principal.import_mapping_owner();
            let signature = signature(&located.headers);
            options.columns = match chosen {
                Some(chosen) => {
                    let mapping = ColumnMapping::chosen(kind, &located.headers, &unknown, chosen)?;
                    let remembered = NewImportMapping {
                        owner_region: owner,
                        kind: kind.key(),
                        signature: &signature,
                        headers: &shown_headers(&located.headers),
                        mapping: &mapping.to_json(),
                    };
                    self.store().save_import_mapping(&remembered, actor).await?;
                    mapping
                }
                None => {
                    let stored = self.store().import_mapping(owner, kind.key(), &signature).await?;
                    let mapping = stored.map(|row| ColumnMapping::from_json(kind, &row.mapping));
                    match mapping.filter(|mapping| unknown.iter().all(|&at| mapping.covers(&located.headers[at]))) {
                        Some(mapping) => mapping,
                        None => return Ok(ImportOutcome::NeedsMapping(question(kind, file_name, located, &unknown))),
                    }
                }
            };
        }
        let report = import_layout(self.store(), kind, file_name, layout, &options, actor, &scope).await?;
        self.follow_import(&report).await;
        Ok(ImportOutcome::Imported(report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn unrecognised_columns_are_asked_about_and_mapped_or_ignored() {
        let file = headers(&["序号", "项目编号", "项目名称", "所属地区", "签约时间", "备注", ""]);
        let unknown = unrecognised(ImportKind::Projects, &file);
        assert_eq!(unknown, [4, 5], "序号 and an empty header are not asked about");

        let choose = |pairs: &[(usize, &str)]| -> HashMap<usize, String> {
            pairs.iter().map(|(at, key)| (*at, key.to_string())).collect()
        };
        let mapping =
            ColumnMapping::chosen(ImportKind::Projects, &file, &unknown, &choose(&[(4, "signed_on"), (5, "")]))
                .unwrap();
        let mut read = file.clone();
        let mapped = mapping.apply(ImportKind::Projects, &mut read);
        assert_eq!(read[4], "签约日期");
        assert_eq!(read[5], "");
        assert_eq!(
            mapped,
            [
                MappedColumn { header: "签约时间".into(), field: Some("签约日期") },
                MappedColumn { header: "备注".into(), field: None }
            ]
        );
        // Remembered as JSON and read back the same; the same header set, the same signature.
        assert_eq!(ColumnMapping::from_json(ImportKind::Projects, &mapping.to_json()), mapping);
        assert_eq!(
            signature(&file),
            signature(&headers(&["序号", "项目编号", "项目名称", "所属地区", "签约时间", "备注"]))
        );
        assert_ne!(signature(&file), signature(&headers(&["项目编号", "项目名称", "所属地区", "签约时间"])));

        let refused = |pairs: &[(usize, &str)]| {
            ColumnMapping::chosen(ImportKind::Projects, &file, &unknown, &choose(pairs)).unwrap_err().to_string()
        };
        assert!(refused(&[(4, "signed_on")]).contains("请为列“备注”选择"));
        assert!(refused(&[(4, "signed_on"), (5, "signed_on")]).contains("字段“签约日期”只能对应一列"));
        assert!(refused(&[(4, "name"), (5, "")]).contains("现在对应了“项目名称”和“签约时间”"));
        assert!(refused(&[(4, "nonsense"), (5, "")]).contains("“nonsense”不是项目表的字段"));
    }

    #[test]
    fn a_remembered_field_the_kind_no_longer_has_is_asked_again() {
        let mapping = ColumnMapping::from_json(ImportKind::Funding, r#"{"金额":"amount_wan","签约时间":"signed_on"}"#);
        assert!(mapping.covers("金额") && !mapping.covers("签约时间"));
    }
}
