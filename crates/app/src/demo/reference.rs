//! Demo reference records beside the shipped divisions: the province's and three cities'
//! departments, and five development zones.

use crate::AppResult;
use zhaoshang_store::reference::{Department, Park};
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

const PARKS: &[(&str, &str, &str, &str, i64)] = &[
    ("兰州新区", "620100", "国家级新区", "绿色化工、新材料、装备制造", 1_200_000),
    ("白银高新技术产业开发区", "620400", "国家级高新区", "有色金属新材料、稀土功能材料", 180_000),
    ("天水经济技术开发区", "620500", "国家级经开区", "电工电器、装备制造、电子信息", 150_000),
    ("嘉峪关工业园区", "620200", "省级开发区", "钢铁、铝及铝制品、新能源", 260_000),
    ("金昌经济技术开发区", "620300", "国家级经开区", "镍钴新材料、新能源电池", 220_000),
];

pub(super) async fn load(store: &Store, actor: &Actor) -> AppResult<()> {
    for (name, region, kind) in DEPARTMENTS {
        let department =
            Department { id: 0, name: name.to_string(), region_code: region.map(Into::into), kind: kind.to_string() };
        store.save_department(&department, actor).await?;
    }
    for (name, region, level, industries, area_mu) in PARKS {
        let park = Park {
            id: 0,
            name: name.to_string(),
            region_code: region.to_string(),
            level: level.to_string(),
            leading_industries: industries.to_string(),
            area_mu: Some(*area_mu),
            description: String::new(),
        };
        store.save_park(&park, actor).await?;
    }
    Ok(())
}
