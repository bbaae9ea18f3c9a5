//! The demo accounts: one per role, all with the password the sign-in page shows in
//! demo mode.

use crate::accounts::{create_account, AccountRequest};
use crate::AppResult;
use zhaoshang_store::{Actor, Store};

/// Every demo account signs in with this password (shown on the sign-in page in demo mode).
pub const DEMO_PASSWORD: &str = "zhaoshang2026";

/// The demo liaisons' chambers: 甘肃省浙江商会 (in Gansu) and 上海市甘肃商会 (Gansu's chamber
/// in Shanghai).
const LIAISON_CHAMBER: &str = "甘肃省浙江商会";
const SECOND_LIAISON_CHAMBER: &str = "上海市甘肃商会";

/// The chain department's account, which gets the demo chains and their plans.
pub const CHAIN_DEPARTMENT: &str = "chain";

pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: &'static str,
    pub region: Option<&'static str>,
    /// A liaison's chamber (its name in the demo registry).
    pub chamber: Option<&'static str>,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        username: "admin", display_name: "省投资促进局管理员", role: "admin", region: None, chamber: None
    },
    DemoAccount {
        username: "tianshui",
        display_name: "天水市投资促进局",
        role: "region",
        region: Some("620500"),
        chamber: None,
    },
    DemoAccount {
        username: "baiyin",
        display_name: "白银市投资促进局",
        role: "region",
        region: Some("620400"),
        chamber: None,
    },
    DemoAccount {
        username: "jiayuguan",
        display_name: "嘉峪关市投资促进局",
        role: "region",
        region: Some("620200"),
        chamber: None,
    },
    DemoAccount {
        username: CHAIN_DEPARTMENT,
        display_name: "省工信厅（链长牵头部门）",
        role: "chain",
        region: None,
        chamber: None,
    },
    DemoAccount { username: "leader", display_name: "分管副省长", role: "leader", region: None, chamber: None },
    DemoAccount { username: "member", display_name: "省政协委员", role: "member", region: None, chamber: None },
    DemoAccount {
        username: "liaison",
        display_name: "甘肃浙江商会联络员",
        role: "liaison",
        region: None,
        chamber: Some(LIAISON_CHAMBER),
    },
    DemoAccount {
        username: "liaison2",
        display_name: "上海市甘肃商会联络员",
        role: "liaison",
        region: None,
        chamber: Some(SECOND_LIAISON_CHAMBER),
    },
    DemoAccount {
        username: "reviewer", display_name: "第三方评审专家", role: "reviewer", region: None, chamber: None
    },
    DemoAccount { username: "investor", display_name: "投资者", role: "investor", region: None, chamber: None },
];

pub(super) async fn load(store: &Store, actor: &Actor) -> AppResult<()> {
    for account in DEMO_ACCOUNTS {
        let request = AccountRequest {
            username: account.username.into(),
            display_name: account.display_name.into(),
            role: account.role.into(),
            region: account.region.map(Into::into),
            chamber: account.chamber.map(Into::into),
            password: DEMO_PASSWORD.into(),
        };
        create_account(store, &request, actor).await?;
    }
    Ok(())
}
