//! Demo chambers and associations (商协会): the 38 Gansu chambers in other provinces
//! (the seeds' figure) and a couple of hundred chambers and associations in the province
//! (of the seeds' 2,906): the federation (工商联), chambers of other provinces in Gansu,
//! industry associations of the province and its cities, county chambers and the
//! foreign-investment associations.
//!
//! The names are those the demo pipeline writes as a project's 来源单位 (“上海市甘肃商会”,
//! “甘肃省浙江商会”, “甘肃省工商业联合会”), so its 商会-sourced projects are attributed to
//! them; some activities list the chambers that took part.

use super::random::Rng;
use crate::AppResult;
use zhaoshang_core::chambers::{ChamberKind, ChamberLevel};
use zhaoshang_store::activities::Activity;
use zhaoshang_store::chambers::ChamberData;
use zhaoshang_store::{Actor, Store};

/// Provinces (and their codes) with a Gansu chamber, named as the pipeline names origins.
const GANSU_CHAMBERS_IN_PROVINCES: [(&str, &str); 30] = [
    ("北京市", "110000"),
    ("天津市", "120000"),
    ("河北省", "130000"),
    ("山西省", "140000"),
    ("内蒙古自治区", "150000"),
    ("辽宁省", "210000"),
    ("吉林省", "220000"),
    ("黑龙江省", "230000"),
    ("上海市", "310000"),
    ("江苏省", "320000"),
    ("浙江省", "330000"),
    ("安徽省", "340000"),
    ("福建省", "350000"),
    ("江西省", "360000"),
    ("山东省", "370000"),
    ("河南省", "410000"),
    ("湖北省", "420000"),
    ("湖南省", "430000"),
    ("广东省", "440000"),
    ("广西壮族自治区", "450000"),
    ("海南省", "460000"),
    ("重庆市", "500000"),
    ("四川省", "510000"),
    ("贵州省", "520000"),
    ("云南省", "530000"),
    ("西藏自治区", "540000"),
    ("陕西省", "610000"),
    ("青海省", "630000"),
    ("宁夏回族自治区", "640000"),
    ("新疆维吾尔自治区", "650000"),
];

/// Cities with a Gansu chamber of their own: 30 + 8 = the seeds' 38.
const GANSU_CHAMBERS_IN_CITIES: [(&str, &str); 8] = [
    ("深圳市", "440300"),
    ("东莞市", "441900"),
    ("苏州市", "320500"),
    ("宁波市", "330200"),
    ("温州市", "330300"),
    ("厦门市", "350200"),
    ("青岛市", "370200"),
    ("大连市", "210200"),
];

/// Chambers of other provinces in Gansu (甘肃省X商会), by the short names the pipeline uses.
const OTHER_PROVINCES_IN_GANSU: [&str; 28] = [
    "浙江",
    "江苏",
    "广东",
    "北京",
    "上海",
    "山东",
    "陕西",
    "河北",
    "四川",
    "福建",
    "河南",
    "天津",
    "湖北",
    "重庆",
    "安徽",
    "宁夏",
    "新疆",
    "内蒙古",
    "青海",
    "湖南",
    "江西",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "广西",
    "云南",
    "贵州",
];

const INDUSTRIES: [&str; 24] = [
    "有色金属",
    "新能源",
    "装备制造",
    "石油化工",
    "医药",
    "中医药",
    "食品工业",
    "文化旅游",
    "物流与采购",
    "建筑业",
    "房地产",
    "电子信息",
    "软件和信息服务",
    "数据中心",
    "现代农业",
    "节能环保",
    "光伏",
    "风能",
    "钢铁",
    "煤炭",
    "商贸流通",
    "烹饪餐饮",
    "会展",
    "新材料",
];

/// The fourteen cities and prefectures with their codes.
const CITIES: [(&str, &str); 14] = [
    ("兰州市", "620100"),
    ("嘉峪关市", "620200"),
    ("金昌市", "620300"),
    ("白银市", "620400"),
    ("天水市", "620500"),
    ("武威市", "620600"),
    ("张掖市", "620700"),
    ("平凉市", "620800"),
    ("酒泉市", "620900"),
    ("庆阳市", "621000"),
    ("定西市", "621100"),
    ("陇南市", "621200"),
    ("临夏回族自治州", "622900"),
    ("甘南藏族自治州", "623000"),
];

struct Registry<'a> {
    rng: &'a mut Rng,
    chambers: Vec<ChamberData>,
}

impl Registry<'_> {
    fn add(&mut self, name: String, kind: ChamberKind, level: ChamberLevel, location: &str) {
        let members = match level {
            ChamberLevel::National | ChamberLevel::Provincial => self.rng.between(120, 900),
            ChamberLevel::City => self.rng.between(40, 320),
            ChamberLevel::County => self.rng.between(15, 120),
        };
        let liaison_office = kind == ChamberKind::GansuAbroadInChina || self.rng.chance(0.15);
        let phone = format!("1{}{:09}", self.rng.between(3, 9), self.rng.between(0, 999_999_999));
        self.chambers.push(ChamberData {
            name,
            kind: kind.key().to_string(),
            location: location.to_string(),
            level: level.key().to_string(),
            president: self.rng.person(),
            contact: self.rng.person(),
            phone,
            liaison_office,
            members: Some(members),
        });
    }
}

/// The demo registry, the same on every call with the same generator state.
pub(super) fn generate(rng: &mut Rng) -> Vec<ChamberData> {
    use ChamberKind::*;
    use ChamberLevel::*;
    let mut registry = Registry { rng, chambers: Vec::new() };
    for (place, code) in GANSU_CHAMBERS_IN_PROVINCES {
        registry.add(format!("{place}甘肃商会"), GansuAbroadInChina, Provincial, code);
    }
    for (place, code) in GANSU_CHAMBERS_IN_CITIES {
        registry.add(format!("{place}甘肃商会"), GansuAbroadInChina, City, code);
    }
    registry.add("甘肃省工商业联合会".into(), Local, Provincial, "620000");
    registry.add("甘肃省外商投资企业协会".into(), ForeignInvestment, Provincial, "620000");
    registry.add("兰州市外商投资企业协会".into(), ForeignInvestment, City, "620100");
    registry.add("甘肃香港商会".into(), Overseas, Provincial, "境外：香港");
    registry.add("甘肃澳门商会".into(), Overseas, Provincial, "境外：澳门");
    for short in OTHER_PROVINCES_IN_GANSU {
        registry.add(format!("甘肃省{short}商会"), OtherProvince, Provincial, "620100");
    }
    for industry in INDUSTRIES {
        registry.add(format!("甘肃省{industry}行业协会"), Industry, Provincial, "620000");
    }
    for (city, code) in CITIES {
        registry.add(format!("{city}工商业联合会"), Local, City, code);
        for industry in INDUSTRIES {
            if registry.rng.chance(0.2) {
                registry.add(format!("{city}{industry}协会"), Industry, City, code);
            }
        }
    }
    let divisions = crate::reference_data::divisions().unwrap_or_default();
    let counties = divisions
        .iter()
        .filter(|d| d.code.as_str().starts_with("62") && d.parent.as_ref().is_some_and(|p| p.as_str() != "620000"));
    for county in counties {
        registry.add(format!("{}商会", county.name), Local, County, county.code.as_str());
    }
    registry.chambers
}

/// Some activities list the chambers that took part: the fairs and roadshows, each a
/// few of the registry's chambers.
pub(super) fn take_part(rng: &mut Rng, activities: &mut [Activity], chambers: &[ChamberData]) {
    for activity in activities.iter_mut() {
        if !rng.chance(0.6) || chambers.is_empty() {
            continue;
        }
        for _ in 0..rng.between(1, 6) {
            let name = &rng.pick(chambers).name;
            if !activity.chambers.contains(name) {
                activity.chambers.push(name.clone());
            }
        }
    }
}

pub(super) async fn load(store: &Store, chambers: &[ChamberData], actor: &Actor) -> AppResult<()> {
    store.upsert_chambers(chambers, actor).await?;
    Ok(())
}
