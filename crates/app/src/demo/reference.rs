//! Demo reference records beside the shipped divisions: the province's and three cities'
//! departments, and seven development zones with what investors read of them (在线选地).

use crate::AppResult;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::parcels::Utility;
use zhaoshang_store::reference::{Department, Park, ParkSite};
use zhaoshang_store::{Actor, Store};

const DEPARTMENTS: &[(&str, Option<&str>, &str)] = &[
    ("甘肃省投资促进局", Some("620000"), "招商部门"),
    ("甘肃省工业和信息化厅", Some("620000"), "链长牵头部门"),
    ("甘肃省商务厅", Some("620000"), "行业部门"),
    ("甘肃省工商业联合会", Some("620000"), "商协会主管"),
    ("天水市投资促进局", Some("620500"), "招商部门"),
    ("白银市投资促进局", Some("620400"), "招商部门"),
    ("嘉峪关市投资促进局", Some("620200"), "招商部门"),
];

/// A demo park: name, region, level, leading industries, planned and built area (亩),
/// position, land price range (万元/亩), 水电路网气暖讯 as (readiness, capacity), the
/// energy-use quota still to grant (吨标准煤/年) with its note, the demo chains it serves
/// (linked once the chains are loaded), policies and contacts, modelled on the
/// province's development zones.
pub(super) struct DemoPark {
    pub(super) name: &'static str,
    pub(super) region: &'static str,
    pub(super) level: &'static str,
    pub(super) industries: &'static str,
    pub(super) planned_mu: i64,
    pub(super) built_mu: i64,
    pub(super) at: (f64, f64),
    pub(super) price_wan: (i64, i64),
    pub(super) utilities: [(&'static str, &'static str); 7],
    pub(super) energy_quota: (i64, &'static str),
    pub(super) chains: &'static [&'static str],
    pub(super) policies: &'static str,
    pub(super) contacts: &'static str,
}

pub(super) const PARKS: &[DemoPark] = &[
    DemoPark {
        name: "兰州新区",
        region: "620100",
        level: "国家级新区",
        industries: "绿色化工、新材料、装备制造、数据信息",
        planned_mu: 1_200_000,
        built_mu: 360_000,
        at: (103.68, 36.52),
        price_wan: (9, 15),
        utilities: [
            ("ready", "引大入秦供水 20万吨/日"),
            ("ready", "330千伏变电站 3座，工业用电约0.35元/千瓦时"),
            ("ready", "中川机场、兰张三四线"),
            ("ready", "千兆光网全覆盖"),
            ("ready", "天然气管网 200万立方米/日"),
            ("ready", "集中供热"),
            ("ready", "5G全覆盖"),
        ],
        energy_quota: (850_000, "其中可再生能源消纳 30 万吨"),
        chains: &[],
        policies: "土地出让金可分期缴纳；新落地制造业项目前三年地方留成税收按比例奖补",
        contacts: "兰州新区经济发展局 0931-0000001",
    },
    DemoPark {
        name: "白银高新技术产业开发区",
        region: "620400",
        level: "国家级高新区",
        industries: "有色金属新材料、稀土功能材料、精细化工",
        planned_mu: 180_000,
        built_mu: 72_000,
        at: (104.21, 36.56),
        price_wan: (8, 12),
        utilities: [
            ("ready", "工业供水 8万吨/日"),
            ("ready", "110千伏变电站 2座"),
            ("ready", "铁路专用线接入"),
            ("ready", "光纤到园"),
            ("ready", "天然气 30万立方米/日"),
            ("planned", "集中供热二期规划中"),
            ("ready", "5G覆盖"),
        ],
        energy_quota: (240_000, ""),
        chains: &[super::chains::BAIYIN_METALS, "白银市稀土产业链", "白银市新材料产业链", "白银市精细化工产业链"],
        policies: "稀土新材料项目用地优先保障；标准化厂房前两年租金减半",
        contacts: "白银高新区招商局 0943-0000002",
    },
    DemoPark {
        name: "天水经济技术开发区",
        region: "620500",
        level: "国家级经开区",
        industries: "电工电器、装备制造、电子信息",
        planned_mu: 150_000,
        built_mu: 66_000,
        at: (105.90, 34.56),
        price_wan: (10, 16),
        utilities: [
            ("ready", "供水 6万吨/日"),
            ("ready", "110千伏变电站"),
            ("ready", "紧邻天平铁路、连霍高速"),
            ("ready", "光纤到企"),
            ("ready", "天然气 20万立方米/日"),
            ("ready", "集中供热"),
            ("ready", "5G覆盖"),
        ],
        energy_quota: (120_000, ""),
        chains: &["天水市电工电器产业链", "天水市数控机床产业链"],
        policies: "电子信息项目设备投资补助；人才公寓配套",
        contacts: "天水经开区投资促进局 0938-0000003",
    },
    DemoPark {
        name: "嘉峪关工业园区",
        region: "620200",
        level: "省级开发区",
        industries: "钢铁、铝及铝制品、新能源装备",
        planned_mu: 260_000,
        built_mu: 120_000,
        at: (98.22, 39.80),
        price_wan: (5, 9),
        utilities: [
            ("ready", "讨赖河供水 10万吨/日"),
            ("ready", "330千伏变电站，绿电直供试点"),
            ("ready", "铁路专用线 3条"),
            ("ready", "光纤到园"),
            ("planned", "天然气支线规划中"),
            ("ready", "余热集中供暖"),
            ("ready", "5G覆盖"),
        ],
        energy_quota: (600_000, "绿电直供项目另行核定"),
        chains: &["嘉峪关市钢铁产业链", "嘉峪关市铝产业链", "嘉峪关市新能源产业链"],
        policies: "铝精深加工项目享受绿电价格优惠",
        contacts: "嘉峪关工业园区管委会 0937-0000004",
    },
    DemoPark {
        name: "金昌经济技术开发区",
        region: "620300",
        level: "国家级经开区",
        industries: "镍钴新材料、新能源电池、化工",
        planned_mu: 220_000,
        built_mu: 90_000,
        at: (102.25, 38.47),
        price_wan: (6, 10),
        utilities: [
            ("ready", "供水 12万吨/日"),
            ("ready", "330千伏变电站 2座"),
            ("ready", "铁路专用线"),
            ("ready", "光纤到园"),
            ("ready", "天然气 50万立方米/日"),
            ("ready", "集中供热"),
            ("planned", "5G二期建设中"),
        ],
        energy_quota: (300_000, ""),
        chains: &[],
        policies: "新能源电池材料项目原料保供；固定资产投资奖补",
        contacts: "金昌经开区招商局 0935-0000005",
    },
    DemoPark {
        name: "酒泉经济技术开发区",
        region: "620900",
        level: "国家级经开区",
        industries: "新能源装备制造、储能、农产品加工",
        planned_mu: 200_000,
        built_mu: 64_000,
        at: (98.53, 39.72),
        price_wan: (5, 8),
        utilities: [
            ("ready", "供水 5万吨/日"),
            ("ready", "750千伏汇集站就近接入"),
            ("ready", "兰新铁路、连霍高速"),
            ("ready", "光纤到园"),
            ("planned", "天然气管网延伸规划中"),
            ("ready", "集中供热"),
            ("ready", "5G覆盖"),
        ],
        energy_quota: (200_000, "风光制造项目优先保障"),
        chains: &[],
        policies: "风光装备制造项目配套新能源指标",
        contacts: "酒泉经开区招商局 0937-0000006",
    },
    DemoPark {
        name: "武威工业园区",
        region: "620600",
        level: "省级开发区",
        industries: "农产品精深加工、装备制造、医药",
        planned_mu: 90_000,
        built_mu: 30_000,
        at: (102.66, 37.95),
        price_wan: (5, 8),
        utilities: [
            ("ready", "供水 3万吨/日"),
            ("ready", "110千伏变电站"),
            ("ready", "武威南站物流通道"),
            ("ready", "光纤到园"),
            ("ready", "天然气"),
            ("planned", "集中供热规划中"),
            ("none", ""),
        ],
        energy_quota: (80_000, ""),
        chains: &[],
        policies: "农产品加工项目用地价格优惠",
        contacts: "武威工业园区管委会 0935-0000007",
    },
];

pub(super) async fn load(store: &Store, actor: &Actor) -> AppResult<()> {
    for (name, region, kind) in DEPARTMENTS {
        let department =
            Department { id: 0, name: name.to_string(), region_code: region.map(Into::into), kind: kind.to_string() };
        store.save_department(&department, actor).await?;
    }
    for demo in PARKS {
        let utilities: serde_json::Map<String, serde_json::Value> = Utility::ALL
            .iter()
            .zip(demo.utilities)
            .map(|(utility, (readiness, capacity))| {
                (utility.key().to_string(), serde_json::json!({ "readiness": readiness, "capacity": capacity }))
            })
            .collect();
        let park = Park {
            id: 0,
            name: demo.name.to_string(),
            region_code: demo.region.to_string(),
            level: demo.level.to_string(),
            leading_industries: demo.industries.to_string(),
            area_mu: Some(demo.planned_mu),
            description: String::new(),
            site: ParkSite {
                built_area_mu: Some(demo.built_mu),
                lon: Some(demo.at.0),
                lat: Some(demo.at.1),
                infrastructure: serde_json::Value::Object(utilities).to_string(),
                land_price_min: Some(Yuan::from_wan(demo.price_wan.0).0),
                land_price_max: Some(Yuan::from_wan(demo.price_wan.1).0),
                policies: demo.policies.to_string(),
                contacts: demo.contacts.to_string(),
                energy_quota_tce: Some(demo.energy_quota.0),
                energy_quota_note: demo.energy_quota.1.to_string(),
            },
        };
        store.save_park(&park, None, actor).await?;
    }
    Ok(())
}

/// Links the demo parks to the demo chains they serve (after both are loaded).
pub(super) async fn link_park_chains(store: &Store, actor: &Actor) -> AppResult<()> {
    for demo in PARKS.iter().filter(|demo| !demo.chains.is_empty()) {
        let Some(park) = store.parks("").await?.into_iter().find(|p| p.name == demo.name) else { continue };
        let mut chain_ids = Vec::new();
        for name in demo.chains {
            if let Some(chain) = store.chain_by_name(name).await? {
                chain_ids.push(chain.id);
            }
        }
        store.save_park(&park, Some(&chain_ids), actor).await?;
    }
    Ok(())
}
