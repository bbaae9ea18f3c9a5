//! The demo enterprise library: Gansu's anchor enterprises named in the seeds and other
//! well-known Gansu companies, invented local enterprises in every city along its chains,
//! the investors of the demo pipeline, and target enterprises across China with the tags
//! a bureau tracks (500强, listed, 专精特新…).
//!
//! Names of real companies are real; their credit codes, figures and tags are made up
//! for the demo (credit codes are valid, but none is the company's own). Every draw comes
//! from the demo's one generator, so the library is the same on every start.

use super::projects::{chain, CITIES};
use super::random::{company_credit_code, Rng};
use crate::AppResult;
use std::collections::HashSet;
use zhaoshang_core::credit_code::CHARSET;
use zhaoshang_core::enterprises::parse_tags;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::enterprises::EnterpriseData;
use zhaoshang_store::projects::ProjectData;
use zhaoshang_store::{Actor, Store};

/// Invented local enterprises per city, besides the named ones.
const LOCAL_PER_CITY: usize = 110;
/// Invented target enterprises across China.
const TARGETS: usize = 1500;
const WAN: i64 = 10_000;

/// A real enterprise: name, division, GB/T 4754 division, tags cell, revenue and
/// registered capital in 亿元, employees, description.
struct Named {
    name: &'static str,
    region: &'static str,
    industry: &'static str,
    tags: &'static str,
    revenue_yi: i64,
    capital_yi: i64,
    employees: i64,
    description: &'static str,
}

const fn named(
    name: &'static str,
    region: &'static str,
    industry: &'static str,
    tags: &'static str,
    (revenue_yi, capital_yi, employees): (i64, i64, i64),
    description: &'static str,
) -> Named {
    Named { name, region, industry, tags, revenue_yi, capital_yi, employees, description }
}

/// Gansu's anchor enterprises (链主企业) and other well-known local companies.
const LOCAL_NAMED: &[Named] = &[
    named("酒泉钢铁（集团）有限责任公司", "620200", "31", "中国500强、行业百强", (1200, 140, 33000), "简称酒钢集团，西北地区最大的钢铁联合企业，嘉峪关“2+6+N”产业布局中钢铁、铝两大产业的链主企业，业务涵盖钢铁、有色、电力能源、装备制造、现代物流。"),
    named("甘肃酒钢集团宏兴钢铁股份有限公司", "620200", "31", "上市公司(600307)、中国500强", (450, 63, 15000), "酒钢集团控股的钢铁主业上市公司，生产不锈钢、碳钢板材和线材。"),
    named("金川集团股份有限公司", "620302", "32", "世界500强、中国500强、行业百强", (3100, 230, 28000), "全球重要的镍钴生产企业，镍钴铜及铂族金属采选冶炼和新材料、新能源电池材料。"),
    named("白银有色集团股份有限公司", "620402", "32", "上市公司(601212)、中国500强、行业百强", (800, 74, 14000), "铜铅锌等多金属采选冶炼加工企业，白银有色金属和稀土功能材料产业链的链主企业。"),
    named("甘肃稀土新材料股份有限公司", "620402", "32", "行业百强、高新技术企业", (120, 4, 2600), "稀土冶炼分离和稀土功能材料企业，生产稀土氧化物、稀土金属和抛光粉、发光材料，白银稀土新材料产业链的骨干企业。"),
    named("甘肃银光化学工业集团有限公司", "620402", "26", "行业百强、高新技术企业", (60, 12, 4000), "含能材料和精细化工企业，TDI 等聚氨酯原料生产。"),
    named("甘肃能化股份有限公司", "620421", "06", "上市公司(000552)", (120, 45, 9000), "煤炭开采、煤化工和清洁能源企业，原靖远煤电。"),
    named("天水星火机床有限责任公司", "620503", "34", "专精特新、高新技术企业", (12, 3, 1600), "数控车床和大型、重型机床制造企业，天水机床产业链的骨干企业。"),
    named("天水二一三电器有限公司", "620502", "38", "专精特新、小巨人、高新技术企业", (15, 2, 1800), "低压电器、铁路机车电器和新能源电器制造企业，天水电工电器产业链的骨干企业。"),
    named("天水华天科技股份有限公司", "620503", "39", "上市公司(002185)、行业百强、高新技术企业", (110, 32, 28000), "集成电路封装测试企业，天水电子信息产业链的链主企业。"),
    named("天水长城开关厂集团有限公司", "620502", "38", "高新技术企业、专精特新", (10, 3, 1500), "高低压开关成套设备和智能电器制造企业。"),
    named("天水锻压机床（集团）有限公司", "620503", "34", "高新技术企业", (5, 2, 900), "数控折弯机、剪板机和成形装备制造企业。"),
    named("甘肃祁连山水泥集团股份有限公司", "620102", "30", "上市公司(600720)、行业百强", (80, 8, 5000), "西北地区水泥龙头企业，新型建材和矿渣微粉综合利用。"),
    named("长城电工股份有限公司", "620102", "38", "上市公司(600192)、高新技术企业", (20, 4, 3500), "输配电及控制设备、电工电器制造企业。"),
    named("兰州兰石重型装备股份有限公司", "620100", "35", "上市公司(603169)、高新技术企业", (50, 13, 3800), "炼化压力容器、换热器和新能源装备制造企业。"),
    named("兰州佛慈制药股份有限公司", "620100", "27", "上市公司(002644)、高新技术企业", (8, 5, 1300), "中成药和中药饮片生产企业，甘肃中医药产业的代表企业。"),
    named("甘肃亚盛实业（集团）股份有限公司", "620100", "01", "上市公司(600108)", (25, 19, 3000), "农业产业化企业，种植、农产品加工和节水农业。"),
    named("读者出版传媒股份有限公司", "620100", "86", "上市公司(603999)", (12, 6, 2000), "《读者》杂志和图书出版发行企业。"),
    named("甘肃莫高实业发展股份有限公司", "620100", "15", "上市公司(600543)", (3, 3, 800), "葡萄酒酿造和医药企业。"),
    named("兰州黄河企业股份有限公司", "620100", "15", "上市公司(000929)", (2, 2, 600), "啤酒和饮料生产企业。"),
    named("甘肃蓝科石化高新装备股份有限公司", "620100", "35", "上市公司(601798)、高新技术企业", (10, 4, 1200), "石油化工专用设备研发制造企业。"),
    named("海默科技（集团）股份有限公司", "620100", "35", "上市公司(300084)、高新技术企业", (6, 4, 900), "油气田多相流量计和油田服务企业。"),
    named("兰州庄园牧场股份有限公司", "620100", "14", "上市公司(002910)", (10, 2, 1500), "乳制品加工和奶牛养殖企业。"),
    named("甘肃电投能源发展股份有限公司", "620100", "44", "上市公司(000791)", (30, 16, 1200), "水电、风电和光伏发电企业。"),
    named("甘肃省建设投资（控股）集团有限公司", "620100", "48", "中国500强", (1500, 90, 40000), "建筑施工、投资和建材企业。"),
    named("兰州新区产业投资集团有限公司", "620100", "72", "", (60, 50, 1500), "兰州新区产业投资和园区运营平台，以商招商的重要力量。"),
    named("中国石油天然气股份有限公司兰州石化分公司", "620100", "25", "行业百强", (900, 0, 12000), "炼油和石油化工企业，兰州石化化工产业链的链主企业。"),
    named("金徽酒股份有限公司", "621227", "15", "上市公司(603919)", (25, 5, 3000), "白酒酿造企业，陇南特色食品产业的代表企业。"),
    named("大禹节水集团股份有限公司", "620902", "29", "上市公司(300021)、高新技术企业", (30, 8, 2500), "节水灌溉器材和农业水利工程企业。"),
    named("甘肃刘化（集团）有限责任公司", "622923", "26", "", (15, 5, 2000), "化肥和精细化工企业。"),
    named("甘肃巨化新材料有限公司", "620100", "26", "高新技术企业", (40, 30, 1500), "氟化工新材料和电子化学品企业，兰州新区化工产业链的重点企业。"),
    named("甘肃皇台酒业股份有限公司", "620602", "15", "上市公司(000995)", (2, 2, 500), "白酒和葡萄酒酿造企业。"),
];

/// Well-known enterprises elsewhere in China that Gansu courts along its chains.
const TARGET_NAMED: &[Named] = &[
    named(
        "宁德时代新能源科技股份有限公司",
        "350902",
        "38",
        "上市公司(300750)、世界500强、中国500强、民营500强",
        (4000, 44, 120000),
        "动力电池和储能电池企业，储能电池环节的目标企业。",
    ),
    named(
        "比亚迪股份有限公司",
        "440307",
        "36",
        "上市公司(002594)、世界500强、中国500强、民营500强",
        (6000, 29, 700000),
        "新能源汽车和动力电池企业。",
    ),
    named(
        "卧龙电气驱动集团股份有限公司",
        "330604",
        "38",
        "上市公司(600580)、民营500强、高新技术企业",
        (155, 13, 17000),
        "电机及驱动系统企业，生产稀土永磁电机、高压电机和防爆电机，稀土永磁电机环节的目标企业。",
    ),
    named(
        "隆基绿能科技股份有限公司",
        "610100",
        "38",
        "上市公司(601012)、中国500强、民营500强",
        (1200, 76, 60000),
        "单晶硅片和光伏组件企业，光伏组件环节的目标企业。",
    ),
    named(
        "通威股份有限公司",
        "510100",
        "38",
        "上市公司(600438)、中国500强、民营500强",
        (1300, 45, 58000),
        "高纯晶硅、光伏电池和水产饲料企业。",
    ),
    named(
        "中国北方稀土（集团）高科技股份有限公司",
        "150200",
        "32",
        "上市公司(600111)、中国500强、行业百强",
        (330, 36, 10000),
        "稀土冶炼分离和稀土功能材料企业，稀土产业链的目标企业。",
    ),
    named(
        "紫金矿业集团股份有限公司",
        "350800",
        "09",
        "上市公司(601899)、世界500强、中国500强",
        (3000, 263, 50000),
        "铜金锌锂等矿产资源开发企业。",
    ),
    named(
        "中国宝武钢铁集团有限公司",
        "310115",
        "31",
        "世界500强、中国500强、行业百强",
        (10000, 527, 240000),
        "钢铁企业，铝业板块宝武铝业在嘉峪关有合作项目。",
    ),
    named(
        "中国铝业股份有限公司",
        "110108",
        "32",
        "上市公司(601600)、世界500强、中国500强",
        (2900, 171, 62000),
        "氧化铝、电解铝和铝加工企业。",
    ),
    named(
        "新疆金风科技股份有限公司",
        "650100",
        "34",
        "上市公司(002202)、中国500强",
        (500, 42, 12000),
        "风电机组整机制造企业，风电装备环节的目标企业。",
    ),
    named(
        "特变电工股份有限公司",
        "652301",
        "38",
        "上市公司(600089)、中国500强",
        (980, 50, 20000),
        "输变电装备、多晶硅和新能源企业。",
    ),
    named(
        "万华化学集团股份有限公司",
        "370600",
        "26",
        "上市公司(600309)、中国500强",
        (1750, 31, 30000),
        "聚氨酯和精细化学品企业，化工新材料环节的目标企业。",
    ),
    named(
        "中国巨石股份有限公司",
        "330400",
        "30",
        "上市公司(600176)、单项冠军",
        (150, 40, 13000),
        "玻璃纤维企业，制造业单项冠军。",
    ),
    named(
        "宁波韵升股份有限公司",
        "330200",
        "32",
        "上市公司(600366)、高新技术企业",
        (40, 11, 4000),
        "钕铁硼稀土永磁材料企业，稀土功能材料环节的目标企业。",
    ),
    named(
        "江西金力永磁科技股份有限公司",
        "360700",
        "32",
        "上市公司(300748)、专精特新、小巨人",
        (67, 13, 5000),
        "高性能稀土永磁材料企业，稀土永磁环节的目标企业。",
    ),
    named(
        "华为技术有限公司",
        "440307",
        "39",
        "世界500强、中国500强、民营500强",
        (7000, 400, 207000),
        "信息与通信技术企业，算力中心和数据中心环节的目标企业。",
    ),
    named(
        "沈阳机床股份有限公司",
        "210100",
        "34",
        "上市公司(000410)",
        (20, 20, 4000),
        "数控机床企业，数控机床环节的目标企业。",
    ),
    named(
        "正泰电器股份有限公司",
        "330300",
        "38",
        "上市公司(601877)、中国500强、民营500强",
        (570, 21, 30000),
        "低压电器和光伏企业，电工电器环节的目标企业。",
    ),
    named(
        "云南白药集团股份有限公司",
        "530100",
        "27",
        "上市公司(000538)、中国500强",
        (390, 18, 9000),
        "中药和大健康企业，中药饮片环节的目标企业。",
    ),
];

/// (HQ division, short place name used in invented names) of target enterprises.
const TARGET_PLACES: &[(&str, &str, u32)] = &[
    ("330100", "杭州", 8),
    ("330200", "宁波", 4),
    ("330300", "温州", 3),
    ("320100", "南京", 5),
    ("320500", "苏州", 7),
    ("320200", "无锡", 4),
    ("440300", "深圳", 9),
    ("440100", "广州", 5),
    ("441900", "东莞", 3),
    ("110108", "北京", 7),
    ("310115", "上海", 8),
    ("370100", "济南", 3),
    ("370200", "青岛", 3),
    ("610100", "西安", 4),
    ("510100", "成都", 4),
    ("500000", "重庆", 3),
    ("420100", "武汉", 3),
    ("340100", "合肥", 3),
    ("350200", "厦门", 2),
    ("410100", "郑州", 2),
    ("120000", "天津", 2),
    ("130100", "石家庄", 2),
    ("640100", "银川", 1),
    ("650100", "乌鲁木齐", 1),
    ("150200", "包头", 1),
    ("630100", "西宁", 1),
];

/// Tags of an invented enterprise, by how big it is: (tags cell, weight).
const TAGS_LARGE: &[(&str, u32)] = &[
    ("中国500强", 10),
    ("民营500强", 10),
    ("行业百强", 12),
    ("世界500强", 2),
    ("中国500强、行业百强", 6),
    ("民营500强、高新技术企业", 8),
    ("", 6),
];
const TAGS_SMALL: &[(&str, u32)] = &[
    ("高新技术企业", 30),
    ("专精特新", 14),
    ("专精特新、高新技术企业", 14),
    ("专精特新、小巨人", 5),
    ("专精特新、小巨人、高新技术企业", 5),
    ("单项冠军", 2),
    ("", 40),
];

fn yi(amount: i64) -> Option<i64> {
    (amount > 0).then_some(amount * 10_000 * WAN)
}

/// A credit code that a real company's name always gets in the demo, shared with the
/// demo pipeline's projects: FNV-1a of the name picks the organisation code.
fn credit_code_for(area: &str, name: &str) -> String {
    let charset: Vec<char> = CHARSET.chars().collect();
    let mut hash: u64 = 0xCBF2_9CE4_8422_2325;
    for byte in name.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3);
    }
    let organisation: String = (0..7).map(|i| charset[((hash >> (i * 9)) % charset.len() as u64) as usize]).collect();
    company_credit_code(area, &organisation)
}

/// The demo credit code of a named enterprise of the library, by its name.
pub fn named_credit_code(name: &str) -> Option<String> {
    LOCAL_NAMED.iter().chain(TARGET_NAMED).find(|n| n.name == name).map(|n| credit_code_for(n.region, n.name))
}

/// A stock code of one of the A-share boards.
fn stock_code(rng: &mut Rng) -> String {
    let board = *rng.pick(&["600", "601", "603", "000", "002", "300", "688"]);
    format!("{board}{:03}", rng.between(0, 999))
}

/// Normalises a tags cell of the demo (and makes sure it is valid).
fn tags_of(cell: &str) -> (String, String) {
    let tags = parse_tags(cell, None).expect("demo tags are in the vocabulary");
    (tags.labels(), tags.stock_code().unwrap_or_default().to_string())
}

fn from_named(named: &Named, is_target: bool) -> EnterpriseData {
    let (tags, stock_code) = tags_of(named.tags);
    EnterpriseData {
        credit_code: credit_code_for(named.region, named.name),
        name: named.name.to_string(),
        region_code: named.region.to_string(),
        industry: named.industry.to_string(),
        tags,
        stock_code,
        revenue: yi(named.revenue_yi),
        employees: Some(named.employees),
        registered_capital: yi(named.capital_yi),
        description: named.description.to_string(),
        is_target,
    }
}

/// Size figures of an invented enterprise: (revenue, registered capital, employees);
/// `large` ones are groups and listed companies.
fn size(rng: &mut Rng, large: bool) -> (i64, i64, i64) {
    let revenue_wan = if large { 200_000.0 * rng.lognormal(1.0) } else { 8_000.0 * rng.lognormal(1.2) };
    let revenue_wan = revenue_wan.round().max(50.0) as i64;
    let capital_wan = ((revenue_wan as f64) * (0.05 + 0.3 * rng.unit())).round().max(10.0) as i64;
    let employees = ((revenue_wan as f64) / (60.0 + 90.0 * rng.unit())).round().max(5.0) as i64;
    (revenue_wan * WAN, capital_wan * WAN, employees)
}

/// An invented enterprise of `chain_name` in `region`, its name starting with `place`.
fn invented(rng: &mut Rng, place: &str, region: &str, chain_name: &str, is_target: bool) -> EnterpriseData {
    let chain = chain(chain_name);
    let product = rng.pick(chain.products);
    let domain = *rng.pick(chain.domains);
    let large = rng.chance(if is_target { 0.3 } else { 0.08 });
    let suffix = if large {
        rng.weighted(&[("集团有限公司", 5), ("股份有限公司", 5)])
    } else {
        rng.weighted(&[("有限公司", 70), ("股份有限公司", 15), ("有限责任公司", 15)])
    };
    let name = format!("{place}{}{domain}{suffix}", rng.brand());
    let cell = rng.weighted(if large { TAGS_LARGE } else { TAGS_SMALL });
    let (mut tags, mut stock) = tags_of(cell);
    if suffix == "股份有限公司" && rng.chance(if large { 0.6 } else { 0.15 }) {
        (tags, stock) = tags_of(&format!("{cell}、上市公司({})", stock_code(rng)));
    }
    let (revenue, capital, employees) = size(rng, large);
    let description = format!(
        "{}企业，主要从事{}的研发、生产和销售，属{}产业链{}环节。",
        if is_target { "重点招商目标" } else { "本地" },
        product.node,
        chain.name,
        product.node
    );
    EnterpriseData {
        credit_code: rng.credit_code(region),
        name,
        region_code: region.to_string(),
        industry: product.industry.to_string(),
        tags,
        stock_code: stock,
        revenue: Some(revenue),
        employees: Some(employees),
        registered_capital: Some(capital),
        description,
        is_target,
    }
}

/// The investors of the demo pipeline with a credit code, as enterprises of the library.
fn investors(rng: &mut Rng, projects: &[ProjectData], known_regions: &HashSet<String>) -> Vec<EnterpriseData> {
    let mut seen = HashSet::new();
    let mut enterprises = Vec::new();
    for project in projects {
        let code = &project.investor_credit_code;
        if code.is_empty() || !seen.insert(code.clone()) {
            continue;
        }
        let area = &code[2..8];
        let region = if known_regions.contains(area) { area.to_string() } else { format!("{}0000", &area[..2]) };
        let large = project.investor.ends_with("集团有限公司");
        let cell = rng.weighted(if large { TAGS_LARGE } else { TAGS_SMALL });
        let (tags, stock_code) = tags_of(cell);
        let (revenue, capital, employees) = size(rng, large);
        enterprises.push(EnterpriseData {
            credit_code: code.clone(),
            name: project.investor.clone(),
            region_code: region,
            industry: project.industry.clone(),
            tags,
            stock_code,
            revenue: Some(revenue),
            employees: Some(employees),
            registered_capital: Some(capital),
            description: format!("{}投资方，{}企业。", project.chain, project.investor_type),
            is_target: false,
        });
    }
    enterprises
}

/// Every enterprise of the demo library, drawn from `rng`, each credit code once; the
/// investors of `projects` (the demo pipeline) among them.
pub(super) fn generate(rng: &mut Rng, projects: &[ProjectData]) -> Vec<EnterpriseData> {
    let divisions = crate::reference_data::divisions().expect("the shipped divisions file parses");
    let known_regions: HashSet<String> = divisions.iter().map(|d| d.code.as_str().to_string()).collect();
    let mut all: Vec<EnterpriseData> = LOCAL_NAMED.iter().map(|n| from_named(n, false)).collect();
    all.extend(TARGET_NAMED.iter().map(|n| from_named(n, true)));
    for city in CITIES {
        let city_code = RegionCode::parse(city.code).expect("demo cities have valid codes");
        let counties: Vec<&str> =
            divisions.iter().filter(|d| d.parent.as_ref() == Some(&city_code)).map(|d| d.code.as_str()).collect();
        let place = city.short.trim_end_matches(['市', '州']);
        for _ in 0..LOCAL_PER_CITY {
            let region = if counties.is_empty() || rng.chance(0.4) { city.code } else { *rng.pick(&counties) };
            let chain_name = rng.weighted(city.chains);
            all.push(invented(rng, place, region, chain_name, false));
        }
    }
    let places: Vec<((&str, &str), u32)> = TARGET_PLACES.iter().map(|&(code, place, w)| ((code, place), w)).collect();
    let all_chains: Vec<(&str, u32)> = CITIES.iter().flat_map(|city| city.chains.iter().copied()).collect();
    for _ in 0..TARGETS {
        let (region, place) = rng.weighted(&places);
        let chain_name = rng.weighted(&all_chains);
        all.push(invented(rng, place, region, chain_name, true));
    }
    all.extend(investors(rng, projects, &known_regions));
    let mut seen = HashSet::new();
    all.retain(|enterprise| seen.insert(enterprise.credit_code.clone()));
    all
}

/// Writes the demo enterprise library.
pub(super) async fn load(store: &Store, enterprises: &[EnterpriseData], actor: &Actor) -> AppResult<()> {
    store.upsert_enterprises(enterprises, actor).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhaoshang_core::credit_code;

    #[test]
    fn the_library_is_large_valid_and_stable() {
        let enterprises = crate::demo::generate(crate::demo::test_today()).enterprises;
        assert!(enterprises.len() > 3000, "{}", enterprises.len());
        assert_eq!(
            crate::demo::generate(crate::demo::test_today()).enterprises,
            enterprises,
            "the same on every start"
        );
        let divisions = crate::reference_data::divisions().unwrap();
        let known: HashSet<&str> = divisions.iter().map(|d| d.code.as_str()).collect();
        for enterprise in &enterprises {
            credit_code::parse(&enterprise.credit_code).unwrap();
            assert!(known.contains(enterprise.region_code.as_str()), "{}", enterprise.region_code);
            assert!(!enterprise.name.is_empty());
        }
        let targets = enterprises.iter().filter(|e| e.is_target).count();
        let outside = enterprises.iter().filter(|e| !e.region_code.starts_with("62")).count();
        assert!(targets > 1000 && outside > targets, "{targets} targets, {outside} outside Gansu");
        for tag in [
            "世界500强",
            "中国500强",
            "民营500强",
            "行业百强",
            "上市公司",
            "专精特新",
            "小巨人",
            "单项冠军",
            "高新技术企业",
        ] {
            assert!(enterprises.iter().any(|e| e.tags.contains(tag)), "{tag}");
        }
        assert!(enterprises
            .iter()
            .any(|e| e.name == "甘肃稀土新材料股份有限公司" && e.region_code.starts_with("6204")));
    }

    #[test]
    fn named_enterprises_share_their_code_with_the_pipeline() {
        let code = named_credit_code("天水星火机床有限责任公司").unwrap();
        assert!(code.starts_with("91620503"));
        let pipeline = crate::demo::generate(crate::demo::test_today()).pipeline;
        assert!(pipeline.projects.iter().any(|p| p.investor_credit_code == code));
        assert_eq!(named_credit_code("无名公司"), None);
    }
}
