//! A park as staff keep it (园区, SPEC area 7): the fields of its form — or of a row of
//! the parks import — as typed, checked into what is stored, every problem in Chinese.
//! Whether the region exists and the chains are stored is the caller's to check: it
//! holds the database.

use super::{parse_position, LonLat, ParkLevel, Readiness, Utility};
use crate::money::Yuan;

/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest one-line field (a capacity, the quota's note, the leading industries).
pub const MAX_LINE_CHARS: usize = 200;
/// The longest free text (policies, contacts, description).
pub const MAX_TEXT_CHARS: usize = 2000;

/// One utility of 水电路网气暖讯 as typed: its readiness (key or label; empty for 未填报)
/// and its capacity ("110千伏 2×50兆伏安", "5万吨/日", "铁路专用线").
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct UtilityInput {
    pub readiness: String,
    pub capacity: String,
}

/// A park's fields as typed. Amounts are text so that what was typed comes back with
/// its problem.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct ParkForm {
    pub name: String,
    pub region_code: String,
    pub level: String,
    pub leading_industries: String,
    /// The ids of the stored chains the park serves, as the form sends them.
    pub chains: Vec<String>,
    /// 规划面积 and 建成面积, whole 亩.
    pub area_mu: String,
    pub built_area_mu: String,
    pub lon: String,
    pub lat: String,
    /// In 水电路网气暖讯 order (`Utility::ALL`).
    pub infrastructure: [UtilityInput; 7],
    /// 能耗指标, whole 吨标准煤/年.
    pub energy_quota_tce: String,
    pub energy_quota_note: String,
    /// 地价下限/上限, 万元/亩.
    pub price_min_wan: String,
    pub price_max_wan: String,
    pub policies: String,
    pub contacts: String,
    pub description: String,
}

impl ParkForm {
    /// The form from its fields as a browser sends them: one per field, `chain` once per
    /// chain chosen, and `{utility}_readiness` and `{utility}_capacity` per utility
    /// (`water_readiness` …); fields not known are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ParkForm {
        let mut form = ParkForm::default();
        for (key, value) in pairs {
            let value = value.to_string();
            let field = match key {
                "name" => &mut form.name,
                "region_code" => &mut form.region_code,
                "level" => &mut form.level,
                "leading_industries" => &mut form.leading_industries,
                "chain" => {
                    form.chains.push(value);
                    continue;
                }
                "area_mu" => &mut form.area_mu,
                "built_area_mu" => &mut form.built_area_mu,
                "lon" => &mut form.lon,
                "lat" => &mut form.lat,
                "energy_quota_tce" => &mut form.energy_quota_tce,
                "energy_quota_note" => &mut form.energy_quota_note,
                "price_min_wan" => &mut form.price_min_wan,
                "price_max_wan" => &mut form.price_max_wan,
                "policies" => &mut form.policies,
                "contacts" => &mut form.contacts,
                "description" => &mut form.description,
                other => {
                    let Some((utility, part)) = other.rsplit_once('_') else { continue };
                    let Some(index) = Utility::ALL.iter().position(|u| u.key() == utility) else { continue };
                    match part {
                        "readiness" => &mut form.infrastructure[index].readiness,
                        "capacity" => &mut form.infrastructure[index].capacity,
                        _ => continue,
                    }
                }
            };
            *field = value;
        }
        form
    }
}

/// A park's fields once checked: texts trimmed, figures typed, prices in yuan per 亩,
/// the infrastructure as the JSON object `parks.infrastructure` keeps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckedPark {
    pub name: String,
    pub region_code: String,
    pub level: String,
    pub leading_industries: String,
    pub chain_ids: Vec<i64>,
    pub area_mu: Option<i64>,
    pub built_area_mu: Option<i64>,
    pub position: Option<LonLat>,
    pub infrastructure: String,
    pub energy_quota_tce: Option<i64>,
    pub energy_quota_note: String,
    pub land_price_min: Option<i64>,
    pub land_price_max: Option<i64>,
    pub policies: String,
    pub contacts: String,
    pub description: String,
}

/// The problems of a form, each a sentence in Chinese.
struct Problems(Vec<String>);

impl Problems {
    /// The text trimmed, or a problem when longer than `max` characters.
    fn text(&mut self, text: &str, what: &str, max: usize) -> String {
        let text = text.trim();
        if text.chars().count() > max {
            self.0.push(format!("{what}不能超过 {max} 个字（现有 {} 个字）", text.chars().count()));
        }
        text.to_string()
    }

    /// A whole non-negative number, `None` when left empty.
    fn whole(&mut self, text: &str, what: &str, unit: &str) -> Option<i64> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match text.parse::<i64>() {
            Ok(value) if value >= 0 => Some(value),
            _ => {
                self.0.push(format!("{what}“{text}”无效，应为不小于 0 的整数（{unit}）"));
                None
            }
        }
    }

    /// A price in 万元/亩 as yuan, `None` when left empty.
    fn price(&mut self, text: &str, what: &str) -> Option<i64> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match Yuan::parse_wan(text) {
            Ok(Yuan(yuan)) if yuan >= 0 => Some(yuan),
            Ok(_) => {
                self.0.push(format!("{what}“{text}”无效，不能为负数"));
                None
            }
            Err(error) => {
                self.0.push(format!("{what}：{error}"));
                None
            }
        }
    }
}

/// A park level must begin with 国家级, 省级, 市级 or 县级: registers name the kind of zone
/// after it ("国家级经开区", "省级开发区"), which is kept as typed.
fn check_level(level: &str) -> Result<(), String> {
    let starts = ParkLevel::ALL.iter().any(|l| level.starts_with(l.label()));
    if starts {
        return Ok(());
    }
    let labels: Vec<&str> = ParkLevel::ALL.iter().map(|l| l.label()).collect();
    if level.is_empty() {
        Err(format!("请填写园区级别（{}）", labels.join("、")))
    } else {
        Err(format!("园区级别“{level}”无效，应以 {} 之一开头（如“国家级经开区”）", labels.join("、")))
    }
}

/// The infrastructure lines as the JSON object of `parks.infrastructure`; a utility with
/// neither readiness nor capacity is left out (read back as 未填报).
fn check_infrastructure(lines: &[UtilityInput; 7], problems: &mut Problems) -> String {
    let mut object = serde_json::Map::new();
    for (utility, line) in Utility::ALL.iter().zip(lines) {
        let what = format!("配套“{}”的能力", utility.label());
        let capacity = problems.text(&line.capacity, &what, MAX_LINE_CHARS);
        let readiness = match line.readiness.trim() {
            "" if capacity.is_empty() => continue,
            "" => {
                problems.0.push(format!("配套“{}”填写了能力，请选择其状态（已具备、规划中或无）", utility.label()));
                continue;
            }
            typed => match Readiness::parse(typed) {
                Ok(readiness) => readiness,
                Err(error) => {
                    problems.0.push(format!("配套“{}”：{error}", utility.label()));
                    continue;
                }
            },
        };
        object.insert(
            utility.key().to_string(),
            serde_json::json!({ "readiness": readiness.key(), "capacity": capacity }),
        );
    }
    if object.is_empty() {
        String::new()
    } else {
        serde_json::Value::Object(object).to_string()
    }
}

/// Checks a park's fields; every problem found, not only the first, when any.
pub fn check_park(form: &ParkForm) -> Result<CheckedPark, Vec<String>> {
    let mut problems = Problems(Vec::new());
    let name = problems.text(&form.name, "园区名称", MAX_NAME_CHARS);
    if name.is_empty() {
        problems.0.push("园区名称不能为空".to_string());
    }
    let region_code = form.region_code.trim().to_string();
    if region_code.is_empty() {
        problems.0.push("请选择园区所在地区".to_string());
    }
    let level = problems.text(&form.level, "园区级别", MAX_LINE_CHARS);
    if let Err(problem) = check_level(&level) {
        problems.0.push(problem);
    }
    let leading_industries = problems.text(&form.leading_industries, "主导产业", MAX_LINE_CHARS);
    let mut chain_ids = Vec::new();
    for typed in &form.chains {
        match typed.trim().parse::<i64>() {
            Ok(id) if !chain_ids.contains(&id) => chain_ids.push(id),
            Ok(_) => {}
            Err(_) => problems.0.push(format!("产业链“{}”无效", typed.trim())),
        }
    }
    let area_mu = problems.whole(&form.area_mu, "规划面积", "亩");
    let built_area_mu = problems.whole(&form.built_area_mu, "建成面积", "亩");
    if let (Some(planned), Some(built)) = (area_mu, built_area_mu) {
        if built > planned {
            problems.0.push(format!("建成面积（{built} 亩）不能大于规划面积（{planned} 亩）"));
        }
    }
    let position = match (form.lon.trim(), form.lat.trim()) {
        ("", "") => None,
        ("", _) | (_, "") => {
            problems.0.push("经度和纬度应同时填写或同时留空".to_string());
            None
        }
        (lon, lat) => parse_position(lon, lat).map_err(|problem| problems.0.push(problem)).ok(),
    };
    let infrastructure = check_infrastructure(&form.infrastructure, &mut problems);
    let energy_quota_tce = problems.whole(&form.energy_quota_tce, "能耗指标", "吨标准煤/年");
    let energy_quota_note = problems.text(&form.energy_quota_note, "能耗指标说明", MAX_LINE_CHARS);
    let land_price_min = problems.price(&form.price_min_wan, "地价下限");
    let land_price_max = problems.price(&form.price_max_wan, "地价上限");
    if form.price_min_wan.trim().is_empty() != form.price_max_wan.trim().is_empty() {
        problems.0.push("地价下限和上限应同时填写或同时留空".to_string());
    }
    if let (Some(min), Some(max)) = (land_price_min, land_price_max) {
        if min > max {
            problems.0.push(format!(
                "地价下限（{} 万元/亩）不能高于上限（{} 万元/亩）",
                Yuan(min).wan_string(),
                Yuan(max).wan_string()
            ));
        }
    }
    let policies = problems.text(&form.policies, "政策", MAX_TEXT_CHARS);
    let contacts = problems.text(&form.contacts, "联系人", MAX_TEXT_CHARS);
    let description = problems.text(&form.description, "园区简介", MAX_TEXT_CHARS);
    if !problems.0.is_empty() {
        return Err(problems.0);
    }
    Ok(CheckedPark {
        name,
        region_code,
        level,
        leading_industries,
        chain_ids,
        area_mu,
        built_area_mu,
        position,
        infrastructure,
        energy_quota_tce,
        energy_quota_note,
        land_price_min,
        land_price_max,
        policies,
        contacts,
        description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lanzhou_new_area() -> ParkForm {
        let mut form = ParkForm {
            name: " 兰州新区 ".into(),
            region_code: "620100".into(),
            level: "国家级新区".into(),
            leading_industries: "绿色化工、新材料".into(),
            chains: vec!["3".into(), "1".into(), "3".into()],
            area_mu: "1200000".into(),
            built_area_mu: "360000".into(),
            lon: "103.68".into(),
            lat: "36.52".into(),
            energy_quota_tce: "850000".into(),
            energy_quota_note: "含可再生能源消纳".into(),
            price_min_wan: "9".into(),
            price_max_wan: "15.5".into(),
            policies: "土地出让金可分期缴纳".into(),
            contacts: "经济发展局 0931-0000001".into(),
            ..ParkForm::default()
        };
        form.infrastructure[1] =
            UtilityInput { readiness: "已具备".into(), capacity: "330千伏 2×240兆伏安".into() };
        form.infrastructure[2] = UtilityInput { readiness: "ready".into(), capacity: "铁路专用线".into() };
        form.infrastructure[5] = UtilityInput { readiness: "无".into(), capacity: String::new() };
        form
    }

    #[test]
    fn a_full_form_is_stored_typed_and_trimmed() {
        let park = check_park(&lanzhou_new_area()).unwrap();
        assert_eq!(park.name, "兰州新区");
        assert_eq!(park.chain_ids, vec![3, 1], "a chain twice counts once");
        assert_eq!((park.area_mu, park.built_area_mu), (Some(1_200_000), Some(360_000)));
        assert_eq!(park.position, Some(LonLat { lon: 103.68, lat: 36.52 }));
        assert_eq!(park.energy_quota_tce, Some(850_000));
        assert_eq!((park.land_price_min, park.land_price_max), (Some(90_000), Some(155_000)));
        let lines = super::super::infrastructure_lines(&park.infrastructure);
        let summary: Vec<(&str, &str, &str)> =
            lines.iter().map(|l| (l.label, l.readiness_label, l.capacity.as_str())).collect();
        assert_eq!(
            summary,
            vec![
                ("水", "未填报", ""),
                ("电", "已具备", "330千伏 2×240兆伏安"),
                ("路", "已具备", "铁路专用线"),
                ("网", "未填报", ""),
                ("气", "未填报", ""),
                ("暖", "无", ""),
                ("讯", "未填报", ""),
            ]
        );
    }

    #[test]
    fn an_empty_form_needs_name_region_and_level_only() {
        let problems = check_park(&ParkForm::default()).unwrap_err();
        assert_eq!(
            problems,
            vec!["园区名称不能为空", "请选择园区所在地区", "请填写园区级别（国家级、省级、市级、县级）"]
        );
        let minimal = ParkForm {
            name: "某园区".into(),
            region_code: "620100".into(),
            level: "省级".into(),
            ..ParkForm::default()
        };
        let park = check_park(&minimal).unwrap();
        assert_eq!((park.infrastructure.as_str(), park.area_mu, park.energy_quota_tce), ("", None, None));
    }

    #[test]
    fn every_bad_field_is_reported_in_chinese() {
        let mut form = lanzhou_new_area();
        form.level = "特级".into();
        form.chains = vec!["新材料".into()];
        form.area_mu = "1.5".into();
        form.built_area_mu = "-3".into();
        form.lon = "103.68".into();
        form.lat = String::new();
        form.infrastructure[0] = UtilityInput { readiness: String::new(), capacity: "5万吨/日".into() };
        form.infrastructure[4] = UtilityInput { readiness: "充足".into(), capacity: String::new() };
        form.energy_quota_tce = "很多".into();
        form.price_min_wan = "16".into();
        form.price_max_wan = "15.5".into();
        form.policies = "优".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            check_park(&form).unwrap_err(),
            vec![
                "园区级别“特级”无效，应以 国家级、省级、市级、县级 之一开头（如“国家级经开区”）".to_string(),
                "产业链“新材料”无效".into(),
                "规划面积“1.5”无效，应为不小于 0 的整数（亩）".into(),
                "建成面积“-3”无效，应为不小于 0 的整数（亩）".into(),
                "经度和纬度应同时填写或同时留空".into(),
                "配套“水”填写了能力，请选择其状态（已具备、规划中或无）".into(),
                "配套“气”：配套状态“充足”无效，应为 已具备、规划中、无".into(),
                "能耗指标“很多”无效，应为不小于 0 的整数（吨标准煤/年）".into(),
                "地价下限（16.00 万元/亩）不能高于上限（15.50 万元/亩）".into(),
                format!("政策不能超过 {MAX_TEXT_CHARS} 个字（现有 2001 个字）"),
            ]
        );
    }

    #[test]
    fn the_form_is_read_from_the_fields_a_browser_sends() {
        let pairs = [
            ("csrf", "x"),
            ("name", "兰州新区"),
            ("chain", "3"),
            ("chain", "1"),
            ("power_readiness", "ready"),
            ("power_capacity", "330千伏"),
            ("telecom_readiness", "planned"),
            ("moon_readiness", "ready"),
            ("energy_quota_tce", "850000"),
        ];
        let form = ParkForm::from_pairs(pairs);
        assert_eq!(form.name, "兰州新区");
        assert_eq!(form.chains, vec!["3", "1"]);
        assert_eq!(form.infrastructure[1], UtilityInput { readiness: "ready".into(), capacity: "330千伏".into() });
        assert_eq!(form.infrastructure[6].readiness, "planned");
        assert_eq!(form.energy_quota_tce, "850000");
        assert_eq!(form.infrastructure.iter().filter(|line| !line.readiness.is_empty()).count(), 2);
    }

    #[test]
    fn figures_are_checked_against_each_other_and_the_province() {
        let mut form = lanzhou_new_area();
        form.built_area_mu = "1200001".into();
        form.lon = "116.4".into();
        form.lat = "39.9".into();
        form.price_max_wan = String::new();
        let problems = check_park(&form).unwrap_err();
        assert_eq!(problems[0], "建成面积（1200001 亩）不能大于规划面积（1200000 亩）");
        assert!(problems[1].starts_with("位置 (116.4, 39.9) 不在甘肃省范围内"), "{problems:?}");
        assert_eq!(problems[2], "地价下限和上限应同时填写或同时留空");
        assert_eq!(problems.len(), 3);
    }
}
