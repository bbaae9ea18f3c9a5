//! Imports as the web uses them: a form saved as a one-row import within the user's
//! import scope, with the search index following (an uploaded file: `mapping`), and
//! the blank templates.

use super::values::RegionIndex;
use super::{
    columns, form_sheet, import_table, template_workbook, ExcessFundsPolicy, ImportKind, ImportOptions, ImportReport,
    ImportScope,
};
use crate::{App, AppResult};
use std::collections::HashMap;

/// The form field of the box that confirms funds in place above the total investment.
pub const CONFIRM_EXCESS_FUNDS_FIELD: &str = "confirm_excess_funds";
use zhaoshang_core::access::Principal;
use zhaoshang_store::Actor;

impl App {
    /// Brings the search index up to date with what an import (or a form saved as one)
    /// wrote. The write itself has committed, so a failure here is logged rather than
    /// reported as a failed save; the next start rebuilds the index.
    pub async fn follow_import(&self, report: &ImportReport) {
        if let Err(error) = self.search_index().follow_import(self.store(), report).await {
            tracing::error!("search index not updated after an import of {}: {error}", report.kind.key());
        }
    }

    /// A kind's blank template for the user: its 所属地区 list offers the user's region and
    /// the regions within it (for a user without one, the province holding data).
    pub async fn import_template(&self, principal: &Principal, kind: ImportKind) -> AppResult<Vec<u8>> {
        let region = self.default_region(principal).await?;
        let regions = RegionIndex::new(self.store().all_regions().await?).choices_within(&region);
        Ok(template_workbook(kind, &regions))
    }

    /// Saves a form as a one-row import of `kind` within the user's import scope, so forms
    /// and files obey one set of rules. Funds in place above the total investment are a
    /// problem unless the form's `CONFIRM_EXCESS_FUNDS_FIELD` is ticked.
    pub async fn import_form_row(
        &self,
        principal: &Principal,
        actor: &Actor,
        kind: ImportKind,
        fields: &HashMap<String, String>,
    ) -> AppResult<ImportReport> {
        let scope = ImportScope::for_user(self.store(), principal).await?;
        self.import_form_row_in(&scope, actor, kind, fields).await
    }

    /// `import_form_row` within `scope` (a form with no signed-in user: the portal's
    /// appeal, within the region it names).
    pub async fn import_form_row_in(
        &self,
        scope: &ImportScope,
        actor: &Actor,
        kind: ImportKind,
        fields: &HashMap<String, String>,
    ) -> AppResult<ImportReport> {
        let sheet = form_sheet(kind, fields);
        let confirmed = fields.get(CONFIRM_EXCESS_FUNDS_FIELD).is_some_and(|value| !value.is_empty());
        let options = ImportOptions { excess_funds: ExcessFundsPolicy::of_form(confirmed), ..ImportOptions::default() };
        let report = import_table(self.store(), kind, "", sheet, &options, actor, scope).await?;
        self.follow_import(&report).await;
        Ok(report)
    }

    /// Saves a form row; the field errors when it is bad (see `field_errors`).
    pub async fn save_form_row(
        &self,
        principal: &Principal,
        actor: &Actor,
        kind: ImportKind,
        fields: &HashMap<String, String>,
    ) -> AppResult<Option<HashMap<String, String>>> {
        let report = self.import_form_row(principal, actor, kind, fields).await?;
        Ok((!report.is_ok()).then(|| field_errors(kind, &report)))
    }
}

/// Field key → messages, from an import report of a one-row sheet ("form" for a problem
/// of no one field).
pub fn field_errors(kind: ImportKind, report: &ImportReport) -> HashMap<String, String> {
    let mut errors: HashMap<String, String> = HashMap::new();
    for problem in &report.problems {
        let key = columns(kind).iter().find(|c| c.header == problem.column).map(|c| c.key).unwrap_or("form");
        let entry = errors.entry(key.to_string()).or_default();
        if !entry.is_empty() {
            entry.push('；');
        }
        entry.push_str(&problem.message);
    }
    errors
}
