//! Which records an import may write: everything for administrators, the own region
//! (and its sub-regions) for region users, chains everywhere for a chain department,
//! nothing for the other roles.

use super::ImportKind;
use zhaoshang_core::access::{Principal, Role};
use zhaoshang_core::regions::RegionCode;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ImportScope {
    /// Administrators and the command line.
    #[default]
    All,
    /// A region user: projects and funding of this region and its sub-regions, targets
    /// of its sub-regions (a region's own target is set from above), new activities.
    Within(RegionCode),
    /// A chain department (链长牵头部门): chains and the enterprises on their links, in
    /// every region, and no other list.
    Chains,
    Nothing,
}

impl ImportScope {
    /// What a signed-in user may import (the same rule as editing records).
    pub fn of(principal: &Principal) -> ImportScope {
        match (principal.role, &principal.region) {
            (Role::Admin, _) => ImportScope::All,
            (Role::Region, Some(region)) => ImportScope::Within(region.clone()),
            (Role::Chain, _) => ImportScope::Chains,
            _ => ImportScope::Nothing,
        }
    }

    /// Whether lists of this kind may be imported at all.
    pub fn permits(&self, kind: ImportKind) -> bool {
        match self {
            ImportScope::All | ImportScope::Within(_) => true,
            ImportScope::Chains => matches!(kind, ImportKind::Chains | ImportKind::ChainEnterprises),
            ImportScope::Nothing => false,
        }
    }

    /// Whether records of the division `code` may be written (a chain department's only
    /// records are chains, which it keeps in every region).
    pub fn allows(&self, code: &str) -> bool {
        match self {
            ImportScope::All | ImportScope::Chains => true,
            ImportScope::Within(own) => RegionCode::parse(code).is_ok_and(|code| own.contains(&code)),
            ImportScope::Nothing => false,
        }
    }

    /// Whether the target of the division `code` may be set: only below one's own region.
    pub fn allows_target_of(&self, code: &str) -> bool {
        match self {
            ImportScope::Within(own) => own.as_str() != code && self.allows(code),
            _ => self.allows(code),
        }
    }

    /// Whether stored activities may be changed (they belong to no region).
    pub fn may_change_activities(&self) -> bool {
        *self == ImportScope::All
    }

    /// "620500" for a region user, for messages.
    pub fn describe(&self) -> String {
        match self {
            ImportScope::All | ImportScope::Chains => "全部地区".into(),
            ImportScope::Within(own) => own.to_string(),
            ImportScope::Nothing => "无".into(),
        }
    }
}
