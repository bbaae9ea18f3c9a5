//! The audit log as the administrator reads it.

use crate::accounts::require_admin;
use crate::{App, AppResult};
use zhaoshang_core::access::Principal;
use zhaoshang_store::{AuditEntry, AuditFilter};

impl App {
    /// One page of the log matching `filter`, and whether more follow (administrators only).
    pub async fn audit_entries(
        &self,
        principal: &Principal,
        filter: &AuditFilter,
    ) -> AppResult<(Vec<AuditEntry>, bool)> {
        require_admin(principal)?;
        Ok(self.store().audit_entries(filter).await?)
    }
}
