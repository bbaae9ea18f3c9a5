//! Demo mode: an empty database gets one account per role and sample reference
//! records, so a newcomer sees a working system at once.

use crate::accounts::{create_account, AccountRequest};
use crate::AppResult;
use zhaoshang_store::reference::{Department, Park};
use zhaoshang_store::{Actor, Store};

/// Every demo account signs in with this password (shown on the sign-in page in demo mode).
pub const DEMO_PASSWORD: &str = "zhaoshang2026";

pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: &'static str,
    pub region: Option<&'static str>,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount { username: "admin", display_name: "省投资促进局管理员", role: "admin", region: None },
    DemoAccount {
        username: "tianshui", display_name: "天水市投资促进局", role: "region", region: Some("620500")
    },
    DemoAccount {
        username: "baiyin", display_name: "白银市投资促进局", role: "region", region: Some("620400")
    },
    DemoAccount {
        username: "jiayuguan", display_name: "嘉峪关市投资促进局", role: "region", region: Some("620200")
    },
    DemoAccount {
        username: "chain", display_name: "省工信厅（链长牵头部门）", role: "chain", region: None
    },
    DemoAccount { username: "leader", display_name: "分管副省长", role: "leader", region: None },
    DemoAccount { username: "member", display_name: "省政协委员", role: "member", region: None },
    DemoAccount { username: "liaison", display_name: "甘肃浙江商会联络员", role: "liaison", region: None },
    DemoAccount { username: "reviewer", display_name: "第三方评审专家", role: "reviewer", region: None },
    DemoAccount { username: "investor", display_name: "投资者", role: "investor", region: None },
];

const DEMO_DEPARTMENTS: &[(&str, Option<&str>, &str)] = &[
    ("甘肃省投资促进局", Some("620000"), "招商部门"),
    ("甘肃省工业和信息化厅", Some("620000"), "链长牵头部门"),
    ("甘肃省商务厅", Some("620000"), "行业部门"),
    ("甘肃省工商业联合会", Some("620000"), "商协会主管"),
    ("天水市投资促进局", Some("620500"), "招商部门"),
    ("白银市投资促进局", Some("620400"), "招商部门"),
    ("嘉峪关市投资促进局", Some("620200"), "招商部门"),
];

const DEMO_PARKS: &[(&str, &str, &str, &str, i64)] = &[
    ("兰州新区", "620100", "国家级新区", "绿色化工、新材料、装备制造", 1_200_000),
    ("白银高新技术产业开发区", "620400", "国家级高新区", "有色金属新材料、稀土功能材料", 180_000),
    ("天水经济技术开发区", "620500", "国家级经开区", "电工电器、装备制造、电子信息", 150_000),
    ("嘉峪关工业园区", "620200", "省级开发区", "钢铁、铝及铝制品、新能源", 260_000),
    ("金昌经济技术开发区", "620300", "国家级经开区", "镍钴新材料、新能源电池", 220_000),
];

pub const DEMO_MARKER: &str = "demo_loaded";

/// Fills an empty database (no users yet) with the demo accounts and records.
pub async fn ensure_demo(store: &Store) -> AppResult<()> {
    if store.count_users().await? > 0 {
        return Ok(());
    }
    let actor = Actor::system("演示数据");
    for account in DEMO_ACCOUNTS {
        let request = AccountRequest {
            username: account.username.into(),
            display_name: account.display_name.into(),
            role: account.role.into(),
            region: account.region.map(Into::into),
            password: DEMO_PASSWORD.into(),
        };
        create_account(store, &request, &actor).await?;
    }
    for (name, region, kind) in DEMO_DEPARTMENTS {
        let department =
            Department { id: 0, name: name.to_string(), region_code: region.map(Into::into), kind: kind.to_string() };
        store.save_department(&department, &actor).await?;
    }
    for (name, region, level, industries, area_mu) in DEMO_PARKS {
        let park = Park {
            id: 0,
            name: name.to_string(),
            region_code: region.to_string(),
            level: level.to_string(),
            leading_industries: industries.to_string(),
            area_mu: Some(*area_mu),
            description: String::new(),
        };
        store.save_park(&park, &actor).await?;
    }
    crate::demo_pipeline::load(store, &actor).await?;
    crate::demo_enterprises::load(store, &actor).await?;
    crate::chains::demo::load(store, &actor).await?;
    store.set_meta(DEMO_MARKER, "1").await?;
    Ok(())
}
