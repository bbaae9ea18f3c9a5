//! Demo chambers and associations (商协会): the 38 Gansu chambers in other provinces
//! (the seeds' figure) and a couple of hundred chambers and associations in the province
//! (of the seeds' 2,906): the federation (工商联), chambers of other provinces in Gansu,
//! industry associations of the province and its cities, county chambers and the
//! foreign-investment associations.
//!
//! The names are those the demo pipeline writes as a project's 来源单位 (“上海市甘肃商会”,
//! “甘肃省浙江商会”, “甘肃省工商业联合会”), so its 商会-sourced projects are attributed to
//! them; some activities list the chambers that took part. The federation's figures of
//! January–May 2023 are the seeds' (`federation_activities`, `federation_signings`).

use super::random::Rng;
use crate::AppResult;
use chrono::{Days, NaiveDate};
use std::collections::HashSet;
use zhaoshang_core::chambers::{ChamberKind, ChamberLevel};
use zhaoshang_store::activities::Activity;
use zhaoshang_store::chambers::ChamberData;
use zhaoshang_store::projects::ProjectData;
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

/// The provincial federation's system (全省工商联系统) by the end of May 2023, as the seeds
/// report it: 63 outbound activities (外出招商), 105 delegations invited (邀请考察团,
/// 来访接待), 35 projects signed worth 136.64 亿元. `/chambers/network` over the period reads
/// these figures from the demo.
pub const FEDERATION_FROM: (i32, u32, u32) = (2023, 1, 1);
pub const FEDERATION_TO: (i32, u32, u32) = (2023, 5, 31);
const FEDERATION_OUTBOUND: usize = 63;
const FEDERATION_DELEGATIONS: usize = 105;
const FEDERATION_SIGNED: usize = 35;
/// 136.64 亿元 in the pipeline's units of 100 万元.
const FEDERATION_SIGNED_UNITS: usize = 13_664;
const UNIT: i64 = 1_000_000;
/// The federation itself (甘肃省工商业联合会), which takes part in all of them.
const FEDERATION: &str = "甘肃省工商业联合会";
/// Signed projects the exact choice looks among (the first in its order): enough for the
/// figures, few enough to keep the choice's table small.
const CANDIDATES: usize = 160;

fn day(date: (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.0, date.1, date.2).expect("a valid date")
}

fn in_federation_period(day_of: Option<NaiveDate>) -> bool {
    day_of.is_some_and(|d| day(FEDERATION_FROM) <= d && d <= day(FEDERATION_TO))
}

/// Tops the activities of the period up to the seeds' counts: outbound trips to the
/// provinces with a Gansu chamber, that chamber and the federation taking part, and
/// delegations those chambers brought to a city of Gansu, received with the city's
/// federation. Spread evenly over the period; no random draw, so the rest of the demo
/// stays as it was.
pub(super) fn federation_activities(activities: &mut Vec<Activity>, chambers: &[ChamberData]) {
    let abroad: Vec<&ChamberData> =
        chambers.iter().filter(|c| c.kind == ChamberKind::GansuAbroadInChina.key()).collect();
    if abroad.is_empty() {
        return;
    }
    let (from, to) = (day(FEDERATION_FROM), day(FEDERATION_TO));
    let span = (to - from).num_days() as usize + 1;
    let taken = |activities: &[Activity], kind: &str| {
        activities
            .iter()
            .filter(|a| a.kind == kind && !a.chambers.is_empty() && in_federation_period(a.start_on))
            .count()
    };
    for (kind, wanted) in [("外出招商", FEDERATION_OUTBOUND), ("来访接待", FEDERATION_DELEGATIONS)] {
        let missing = wanted.saturating_sub(taken(activities, kind));
        for n in 0..missing {
            let chamber = abroad[n % abroad.len()];
            let place = chamber.name.trim_end_matches("甘肃商会");
            let (city, _) = CITIES[n % CITIES.len()];
            let start = from + Days::new((n * span / missing) as u64);
            let (name, place, chambers) = if kind == "外出招商" {
                let name = format!("全省工商联系统赴{place}招商推介活动（2023年第{}次）", n + 1);
                (name, place.to_string(), vec![FEDERATION.to_string(), chamber.name.clone()])
            } else {
                let name = format!("邀请{place}客商考察团来甘考察（2023年第{}批·{city}）", n + 1);
                (name, city.to_string(), vec![chamber.name.clone(), format!("{city}工商业联合会")])
            };
            activities.push(Activity {
                id: 0,
                name,
                kind: kind.to_string(),
                start_on: Some(start),
                end_on: Some(start + Days::new(1)),
                place,
                organiser: FEDERATION.to_string(),
                chambers,
                ..Default::default()
            });
        }
    }
}

/// Makes the projects signed through chambers of the registry in the period (not
/// dropped) the seeds' 35 worth 136.64 亿元, by changing only whom projects are
/// attributed to (never an amount: the cities' published figures stay): the seeds' named
/// projects and those signed at an activity keep theirs; among the others, those already
/// a chamber's are kept first and the rest are made the federation's or the Gansu
/// chamber of the investor's province, or given back to the city's bureau.
pub(super) fn federation_signings(projects: &mut [ProjectData], chambers: &[ChamberData]) {
    let registry: HashSet<&str> = chambers.iter().map(|c| c.name.as_str()).collect();
    let counted = |p: &ProjectData| in_federation_period(p.signed_on) && p.stage != "dropped";
    let fixed = |p: &ProjectData| super::projects::is_named(&p.name) || !p.signing_activity.is_empty();
    let units = |p: &ProjectData| (p.total_investment / UNIT) as usize;
    let fixed_in: Vec<usize> = (0..projects.len())
        .filter(|&i| counted(&projects[i]) && fixed(&projects[i]) && registry.contains(projects[i].source_org.as_str()))
        .collect();
    let (Some(count), Some(sum)) = (
        FEDERATION_SIGNED.checked_sub(fixed_in.len()),
        FEDERATION_SIGNED_UNITS.checked_sub(fixed_in.iter().map(|&i| units(&projects[i])).sum()),
    ) else {
        return;
    };
    // The chambers' own first, then the others by code.
    let mut candidates: Vec<usize> = (0..projects.len())
        .filter(|&i| counted(&projects[i]) && !fixed(&projects[i]) && projects[i].total_investment % UNIT == 0)
        .collect();
    candidates.sort_by_key(|&i| (!registry.contains(projects[i].source_org.as_str()), projects[i].code.clone()));
    let chosen_among: Vec<usize> = candidates.iter().copied().take(CANDIDATES).collect();
    let weights: Vec<usize> = chosen_among.iter().map(|&i| units(&projects[i])).collect();
    let Some(chosen) = exact_choice(&weights, count, sum) else { return };
    let chosen: HashSet<usize> = chosen.into_iter().map(|k| chosen_among[k]).collect();
    for &i in &candidates {
        let project = &mut projects[i];
        let is_chambers = registry.contains(project.source_org.as_str());
        if chosen.contains(&i) && !is_chambers {
            let own = format!("{}甘肃商会", project.investor_origin);
            let chamber = if registry.contains(own.as_str()) { own } else { FEDERATION.to_string() };
            (project.source, project.source_org) = ("商会".to_string(), chamber);
        } else if !chosen.contains(&i) && is_chambers {
            let city =
                CITIES.iter().find(|(_, code)| code[..4] == project.region_code[..4]).map_or("甘肃省", |c| c.0);
            (project.source, project.source_org) = ("自主招商".to_string(), format!("{city}投资促进局"));
        }
    }
}

/// Exactly `count` of `weights` adding up to `sum` (their indexes), preferring the
/// earlier ones; `None` when no choice does. A table of the sums reachable with each
/// number of the first items (a bit per sum), walked back from the last item.
fn exact_choice(weights: &[usize], count: usize, sum: usize) -> Option<Vec<usize>> {
    let words = sum / 64 + 1;
    let bit = |row: &[Vec<u64>], k: usize, s: usize| row[k][s / 64] >> (s % 64) & 1 == 1;
    // reachable[i][k]: the sums of k of the first i weights.
    let mut first = vec![vec![0u64; words]; count + 1];
    first[0][0] = 1;
    let mut reachable = vec![first];
    for &weight in weights {
        let before = reachable.last().expect("the first row");
        let mut after = before.clone();
        for k in 1..=count {
            // after[k] |= before[k - 1] shifted up by `weight` bits.
            let (whole, part) = (weight / 64, weight % 64);
            for w in (whole..words).rev() {
                let low = before[k - 1][w - whole];
                let carried = if part > 0 && w > whole { before[k - 1][w - whole - 1] >> (64 - part) } else { 0 };
                after[k][w] |= (low << part) | carried;
            }
        }
        reachable.push(after);
    }
    if !bit(&reachable[weights.len()], count, sum) {
        return None;
    }
    let (mut k, mut s, mut chosen) = (count, sum, Vec::new());
    for i in (0..weights.len()).rev() {
        // Leave the later items out whenever the earlier ones reach the same.
        if bit(&reachable[i], k, s) {
            continue;
        }
        chosen.push(i);
        (k, s) = (k - 1, s - weights[i]);
    }
    Some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_choice_takes_as_many_as_asked_adding_up_to_the_sum() {
        let weights = [5, 70, 64, 1, 130, 63, 7];
        let chosen = exact_choice(&weights, 3, 135).expect("70 + 64 + 1");
        assert_eq!(chosen.len(), 3);
        assert_eq!(chosen.iter().map(|&i| weights[i]).sum::<usize>(), 135);
        assert_eq!(exact_choice(&weights, 2, 200), Some(vec![4, 1]), "70 + 130");
        assert_eq!(exact_choice(&weights, 2, 9), None);
        assert_eq!(exact_choice(&weights, 0, 0), Some(vec![]));
    }
}
