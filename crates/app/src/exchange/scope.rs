//! Which records an import may write: everything for administrators, the own region
//! (and its sub-regions) for region users, chains everywhere for a chain department,
//! nothing for the other roles.

use super::ImportKind;
use crate::AppResult;
use zhaoshang_core::access::{Principal, Role};
use zhaoshang_core::regions::{RegionCode, RegionLevel};
use zhaoshang_store::chains::Chain;
use zhaoshang_store::Store;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ImportScope {
    /// Administrators and the command line.
    #[default]
    All,
    /// A region user: projects and funding of this region and its sub-regions, targets
    /// of its sub-regions (a region's own target is set from above), new activities and chambers.
    Within(RegionCode),
    /// A chain department (链长牵头部门): the chains it looks after (their ids) and the
    /// enterprises on their links, in every region, and no other list.
    Chains(Vec<i64>),
    Nothing,
}

impl ImportScope {
    /// What a signed-in user may import (the same rule as editing records).
    pub fn of(principal: &Principal) -> ImportScope {
        match (principal.role, &principal.region) {
            (Role::Admin, _) => ImportScope::All,
            (Role::Region, Some(region)) => ImportScope::Within(region.clone()),
            // The chains themselves come from the database (`for_user`); until then none.
            (Role::Chain, _) => ImportScope::Chains(Vec::new()),
            _ => ImportScope::Nothing,
        }
    }

    /// `of`, with the chains a chain department looks after read from the database.
    pub async fn for_user(store: &Store, principal: &Principal) -> AppResult<ImportScope> {
        Ok(match ImportScope::of(principal) {
            ImportScope::Chains(_) => ImportScope::Chains(store.user_chain_ids(principal.user_id).await?),
            scope => scope,
        })
    }

    /// Whether a stored chain may be changed: a chain department changes its own chains
    /// wherever they are, others the chains of the regions they may write.
    pub fn allows_chain(&self, chain: &Chain) -> bool {
        match self {
            ImportScope::Chains(own) => own.contains(&chain.id),
            _ => self.allows(&chain.data.region_code),
        }
    }

    /// Whether lists of this kind may be imported at all.
    pub fn permits(&self, kind: ImportKind) -> bool {
        match self {
            ImportScope::All => true,
            // The achievement pool is the province's: its staff import it, not a city's.
            ImportScope::Within(own) => {
                !matches!(kind, ImportKind::Achievements | ImportKind::Experts | ImportKind::Reviews)
                    || own.level() == RegionLevel::Province
            }
            ImportScope::Chains(_) => matches!(kind, ImportKind::Chains | ImportKind::ChainEnterprises),
            ImportScope::Nothing => false,
        }
    }

    /// Whether records of the division `code` may be written (a chain department's only
    /// records are chains, which it keeps in every region).
    pub fn allows(&self, code: &str) -> bool {
        match self {
            ImportScope::All | ImportScope::Chains(_) => true,
            ImportScope::Within(own) => RegionCode::parse(code).is_ok_and(|code| own.contains(&code)),
            ImportScope::Nothing => false,
        }
    }

    /// Whether a row reaches outside the scope: its stored record lies in another region,
    /// or it places the record in one (`region` is `None` when the row's region is
    /// unreadable). Both get [`ImportScope::not_allowed`] on the key cell, worded alike.
    pub fn reaches_outside(&self, stored_region: Option<&str>, region: Option<&str>) -> bool {
        stored_region.is_some_and(|stored| !self.allows(stored))
            || region.is_some_and(|region| !region.is_empty() && !self.allows(region))
    }

    /// Whether the target of the division `code` may be set: only below one's own region.
    pub fn allows_target_of(&self, code: &str) -> bool {
        match self {
            ImportScope::Within(own) => own.as_str() != code && self.allows(code),
            _ => self.allows(code),
        }
    }

    /// Whether stored activities and chambers may be changed (they belong to no region;
    /// a region user adds new ones).
    pub fn may_change_shared_records(&self) -> bool {
        *self == ImportScope::All
    }

    /// The message for a row the user may not write — another region's record, or a
    /// record placed outside the scope — worded alike for both, so that it does not
    /// confirm that a record exists elsewhere.
    pub fn not_allowed(&self) -> String {
        format!("无权修改该记录（只能导入所属地区在您管辖范围内的记录：{}）", self.describe())
    }

    /// "620500" for a region user, for messages.
    pub fn describe(&self) -> String {
        match self {
            ImportScope::All | ImportScope::Chains(_) => "全部地区".into(),
            ImportScope::Within(own) => own.to_string(),
            ImportScope::Nothing => "无".into(),
        }
    }
}
