//! The signed-in user's scope on projects and funding: `core::access` decides, with the
//! chains assigned to a chain department (`user_chains`) read from the store.

use crate::AppResult;
use zhaoshang_core::access::{Principal, ProjectScope};
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::Store;

/// The projects (and their funding) `principal` may read.
pub async fn project_scope(store: &Store, principal: &Principal) -> AppResult<ProjectScope> {
    let chains = if principal.project_scope_needs_chains() {
        store.user_chain_names(principal.user_id).await?
    } else {
        Vec::new()
    };
    Ok(principal.project_scope(&chains))
}

/// A project filter limited to `scope` within the region prefix `region_prefix` (which
/// the caller has checked against `scope.regions`).
pub fn scoped_filter(scope: &ProjectScope, region_prefix: String) -> ProjectFilter {
    ProjectFilter { region_prefix, chains_in: scope.chains.clone(), ..Default::default() }
}
