//! The demo investment pipeline of Gansu (甘肃省, 620000): activities, projects of all 14
//! prefecture-level divisions from 2022 up to today, funds in place, annual targets, problems
//! (一事一议) and agency services (代办领办).
//!
//! Every draw comes from the demo's one generator, so the data is the same on every start
//! (and every start on the same day). 2022 and 2023 are shaped to reproduce the published
//! figures of the seeds exactly (SPEC definitions, 1 January – 31 October 2023):
//! - 天水市: 202 projects signed, 684.29 亿元, 271.16 亿元 in place (39.63%), start rate 100%;
//! - 嘉峪关市: 67 projects carried out and signed, 439.50 亿元 (+88.2%), 31 of 亿元以上,
//!   160.40 亿元 in place (+327.2%), the year's funds target met by the end of September.
//!
//! The years after 2023 continue each city's 2023 at a steady growth up to today: signings
//! through the year (some at that year's 兰洽会), funds in place, targets; every project
//! starts and produces at its pace, seen from today. A project's delays are drawn whatever
//! the day it is seen from, and the years after 2023 draw from a generator of their own, so
//! no figure up to a day depends on today (2022 and 2023 least of all), and nothing is
//! dated after today.
//!
//! Amounts are planned in units of 百万元 (0.01 亿元), the precision of the published figures.

use super::random::Rng;
use crate::{AppError, AppResult};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::borrow::Cow;
use std::collections::HashMap;
use zhaoshang_store::activities::Activity;
use zhaoshang_store::projects::{FundingData, Problem, ProjectData, ProjectUpsert, Service, Target};
use zhaoshang_store::{Actor, Store};

/// One planning unit: 百万元 (0.01 亿元) in yuan.
const UNIT: i64 = 1_000_000;
/// Funds put in place on one project over its life stay under this share of its total investment.
const MAX_ARRIVAL_PERCENT: i64 = 85;
/// The last year the seeds describe; the years after it grow from it.
const LAST_PUBLISHED_YEAR: i32 = 2023;
/// Yearly growth after 2023 of each city's signings, funds in place and targets.
const YEARLY_GROWTH: f64 = 1.05;

/// Everything the demo writes about the pipeline.
#[derive(Debug, Clone)]
pub struct DemoPipeline {
    pub activities: Vec<Activity>,
    pub projects: Vec<ProjectData>,
    pub funding: Vec<FundingData>,
    pub targets: Vec<Target>,
    /// (project code, problem); `project_id` is filled in when loading.
    pub problems: Vec<(String, Problem)>,
    /// (project code, service); `project_id` is filled in when loading.
    pub services: Vec<(String, Service)>,
}

/// Writes the demo pipeline: activities, projects, funds in place, targets, then problems
/// and services of their projects.
pub(super) async fn load(store: &Store, pipeline: &DemoPipeline, actor: &Actor) -> AppResult<()> {
    store.upsert_activities(&pipeline.activities, actor).await?;
    let projects: Vec<ProjectUpsert> =
        pipeline.projects.iter().map(|data| ProjectUpsert { data: data.clone(), note: "演示数据".into() }).collect();
    store.upsert_projects(&projects, actor).await?;
    store.insert_funding(&pipeline.funding, &[], actor).await?;
    store.upsert_targets(&pipeline.targets, actor).await?;
    let mut ids: HashMap<String, i64> = HashMap::new();
    let codes = pipeline.problems.iter().map(|(code, _)| code).chain(pipeline.services.iter().map(|(code, _)| code));
    for code in codes {
        if !ids.contains_key(code) {
            let project = store
                .project_by_code(code)
                .await?
                .ok_or_else(|| AppError::Internal(format!("演示项目“{code}”未写入")))?;
            ids.insert(code.clone(), project.id);
        }
    }
    for (code, problem) in &pipeline.problems {
        store.save_problem(&Problem { project_id: ids[code], ..problem.clone() }, actor).await?;
    }
    for (code, service) in &pipeline.services {
        store.save_service(&Service { project_id: ids[code], ..service.clone() }, actor).await?;
    }
    Ok(())
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid calendar date")
}

fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

// ---------------------------------------------------------------------------------------
// Reference tables
// ---------------------------------------------------------------------------------------

/// A project type of a chain: chain link, GB/T 4754 division, name template (`{n}` is a size
/// drawn from `sizes`).
pub(crate) struct Product {
    pub(crate) node: &'static str,
    pub(crate) industry: &'static str,
    template: &'static str,
    sizes: (i64, i64),
}

pub(crate) struct ChainSpec {
    pub(crate) name: &'static str,
    /// The city bureau usually responsible for the chain's projects.
    bureau: &'static str,
    /// Words for invented investor names.
    pub(crate) domains: &'static [&'static str],
    pub(crate) products: &'static [Product],
}

const fn product(node: &'static str, industry: &'static str, template: &'static str, sizes: (i64, i64)) -> Product {
    Product { node, industry, template, sizes }
}

const NEW_ENERGY: &str = "新能源及其装备制造";
const METALS: &str = "冶金有色";
const CHEMICALS: &str = "石化化工";
const AGRI_FOOD: &str = "特色农产品及食品加工";
const TOURISM: &str = "文化旅游";
const MATERIALS: &str = "新材料";
const PHARMA: &str = "生物医药";
const EQUIPMENT: &str = "装备制造";
const ELECTRONICS: &str = "电子信息";

const CHAINS: &[ChainSpec] = &[
    ChainSpec {
        name: NEW_ENERGY,
        bureau: "发展和改革委员会",
        domains: &["新能源科技", "光伏科技", "风电装备", "储能科技", "绿色能源"],
        products: &[
            product("风电", "44", "{n}万千瓦风电项目", (5, 100)),
            product("光伏发电", "44", "{n}万千瓦光伏发电项目", (5, 100)),
            product("储能", "44", "{n}万千瓦共享储能电站项目", (5, 40)),
            product("光伏组件", "38", "年产{n}GW高效光伏组件项目", (1, 10)),
            product("风电装备", "34", "风电塔筒及叶片制造项目", (0, 0)),
            product("氢能", "44", "绿电制氢示范项目", (0, 0)),
            product("储能电池", "38", "年产{n}GWh储能电池项目", (2, 20)),
        ],
    },
    ChainSpec {
        name: METALS,
        bureau: "工业和信息化局",
        domains: &["金属材料", "铝业", "冶金科技", "有色金属"],
        products: &[
            product("铝加工", "32", "年产{n}万吨高精度铝板带箔项目", (5, 30)),
            product("铝加工", "32", "年产{n}万吨铝合金型材项目", (3, 20)),
            product("不锈钢", "31", "年产{n}万吨精密不锈钢带项目", (5, 30)),
            product("再生金属", "42", "年产{n}万吨再生铝项目", (5, 30)),
            product("铜加工", "32", "年产{n}万吨高性能铜箔项目", (1, 5)),
            product("金属制品", "33", "钢结构及金属制品加工项目", (0, 0)),
        ],
    },
    ChainSpec {
        name: CHEMICALS,
        bureau: "工业和信息化局",
        domains: &["化工", "化学", "精细化工", "新材料科技"],
        products: &[
            product("精细化工", "26", "年产{n}万吨精细化学品项目", (2, 20)),
            product("化工新材料", "26", "年产{n}万吨可降解塑料项目", (3, 30)),
            product("煤化工", "25", "煤焦油深加工项目", (0, 0)),
            product("炼化延链", "26", "炼化副产品综合利用项目", (0, 0)),
            product("化肥农化", "26", "年产{n}万吨新型肥料项目", (5, 40)),
        ],
    },
    ChainSpec {
        name: AGRI_FOOD,
        bureau: "农业农村局",
        domains: &["农业科技", "食品", "农牧", "生物科技", "果业"],
        products: &[
            product("果蔬加工", "13", "年产{n}万吨果蔬冷链加工项目", (1, 10)),
            product("肉类加工", "13", "{n}万头肉牛屠宰及精深加工项目", (1, 10)),
            product("马铃薯加工", "13", "年产{n}万吨马铃薯精淀粉项目", (2, 10)),
            product("乳制品", "14", "年产{n}万吨乳制品加工项目", (1, 10)),
            product("饮品酿造", "15", "年产{n}千吨高原特色饮品项目", (5, 50)),
            product("设施农业", "01", "{n}亩现代设施农业产业园项目", (500, 5000)),
            product("畜牧养殖", "03", "{n}万只肉羊标准化养殖项目", (1, 10)),
        ],
    },
    ChainSpec {
        name: TOURISM,
        bureau: "文化和旅游局",
        domains: &["文化旅游发展", "文旅投资", "旅游开发", "文化产业"],
        products: &[
            product("景区开发", "78", "景区提质升级项目", (0, 0)),
            product("旅游住宿", "61", "精品度假酒店项目", (0, 0)),
            product("文旅综合体", "90", "文旅综合体项目", (0, 0)),
            product("文化演艺", "88", "沉浸式文化演艺项目", (0, 0)),
            product("乡村旅游", "78", "乡村旅游民宿集群项目", (0, 0)),
        ],
    },
    ChainSpec {
        name: MATERIALS,
        bureau: "工业和信息化局",
        domains: &["新材料", "新材料科技", "材料科技", "新能源材料"],
        products: &[
            product("稀土功能材料", "32", "年产{n}千吨稀土永磁材料项目", (1, 10)),
            product("电池材料", "26", "年产{n}万吨锂电池正极材料项目", (1, 10)),
            product("碳材料", "30", "年产{n}万吨石墨负极材料项目", (1, 10)),
            product("镍钴新材料", "32", "年产{n}万吨镍钴新材料项目", (1, 5)),
            product("新型建材", "30", "年产{n}万立方米新型环保建材项目", (10, 60)),
        ],
    },
    ChainSpec {
        name: PHARMA,
        bureau: "工业和信息化局",
        domains: &["医药", "药业", "生物医药", "中药"],
        products: &[
            product("中药饮片", "27", "中药材精深加工及饮片生产项目", (0, 0)),
            product("中药配方颗粒", "27", "中药配方颗粒生产项目", (0, 0)),
            product("原料药", "27", "原料药及医药中间体项目", (0, 0)),
            product("生物制品", "27", "多肽药物产业化项目", (0, 0)),
            product("医疗器械", "35", "医疗器械生产基地项目", (0, 0)),
        ],
    },
    ChainSpec {
        name: EQUIPMENT,
        bureau: "工业和信息化局",
        domains: &["智能装备", "机械", "电气", "精密机械", "装备制造"],
        products: &[
            product("数控机床", "34", "高档数控机床产业化项目", (0, 0)),
            product("电工电器", "38", "智能电工电器产业园项目", (0, 0)),
            product("农机装备", "35", "智能农机装备制造项目", (0, 0)),
            product("汽车零部件", "36", "汽车零部件生产项目", (0, 0)),
            product("通用设备", "34", "年产{n}台（套）工业泵阀项目", (500, 5000)),
        ],
    },
    ChainSpec {
        name: ELECTRONICS,
        bureau: "工业和信息化局",
        domains: &["电子科技", "信息技术", "数据科技", "半导体"],
        products: &[
            product("集成电路", "39", "集成电路封装测试扩能项目", (0, 0)),
            product("数据中心", "64", "{n}架标准机柜算力中心项目", (1000, 10000)),
            product("电子元器件", "39", "电子元器件生产线项目", (0, 0)),
            product("软件服务", "65", "软件和信息技术服务外包基地项目", (0, 0)),
        ],
    },
];

pub(crate) fn chain(name: &str) -> &'static ChainSpec {
    CHAINS.iter().find(|chain| chain.name == name).expect("a known chain")
}

/// What one city signs from 1 January to 31 October of a year: projects, their total
/// investment and the funds put in place in those months (百万元).
#[derive(Clone, Copy)]
struct YearPlan {
    signed: usize,
    investment: i64,
    funds: i64,
}

const fn plan(signed: usize, investment: i64, funds: i64) -> YearPlan {
    YearPlan { signed, investment, funds }
}

pub(crate) struct CitySpec {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    /// How departments name the city (临夏州, not 临夏回族自治州).
    pub(crate) short: &'static str,
    parks: &'static [&'static str],
    pub(crate) chains: &'static [(&'static str, u32)],
    /// Local anchor enterprises that bring in their partners (以商招商).
    anchors: &'static [&'static str],
    years: [YearPlan; 2],
    /// Signings in November and December of 2022 and 2023.
    late: [usize; 2],
    leads: usize,
    dropped: usize,
    /// Annual targets for 2022 and 2023, in 亿元: funds in place, signed investment.
    funds_targets: [i64; 2],
    signed_targets: [i64; 2],
}

const TIANSHUI: &str = "620500";
const JIAYUGUAN: &str = "620200";

pub(crate) const CITIES: &[CitySpec] = &[
    CitySpec {
        code: "620100",
        name: "兰州市",
        short: "兰州市",
        parks: &["兰州新区", "兰州经济技术开发区", "兰州高新技术产业开发区"],
        chains: &[
            (CHEMICALS, 3),
            (PHARMA, 3),
            (EQUIPMENT, 2),
            (MATERIALS, 2),
            (ELECTRONICS, 2),
            (TOURISM, 1),
            (AGRI_FOOD, 1),
            (NEW_ENERGY, 1),
        ],
        anchors: &["兰州石化公司", "兰州新区产业投资集团"],
        years: [plan(84, 41_275, 16_830), plan(100, 52_618, 21_947)],
        late: [9, 10],
        leads: 14,
        dropped: 4,
        funds_targets: [198, 255],
        signed_targets: [470, 600],
    },
    CitySpec {
        code: JIAYUGUAN,
        name: "嘉峪关市",
        short: "嘉峪关市",
        parks: &["嘉峪关工业园区"],
        chains: &[(METALS, 4), (NEW_ENERGY, 3), (MATERIALS, 2), (TOURISM, 1), (EQUIPMENT, 1)],
        anchors: &["酒钢集团"],
        years: [plan(41, 23_353, 3_755), plan(67, 43_950, 16_040)],
        late: [0, 5],
        leads: 6,
        dropped: 3,
        funds_targets: [48, 140],
        signed_targets: [260, 400],
    },
    CitySpec {
        code: "620300",
        name: "金昌市",
        short: "金昌市",
        parks: &["金昌经济技术开发区"],
        chains: &[(MATERIALS, 4), (NEW_ENERGY, 3), (CHEMICALS, 2), (AGRI_FOOD, 1)],
        anchors: &["金川集团股份有限公司"],
        years: [plan(20, 7_830, 2_641), plan(24, 9_412, 3_870)],
        late: [2, 3],
        leads: 5,
        dropped: 1,
        funds_targets: [31, 45],
        signed_targets: [90, 105],
    },
    CitySpec {
        code: "620400",
        name: "白银市",
        short: "白银市",
        parks: &["白银高新技术产业开发区", "白银市刘川工业集中区"],
        chains: &[
            (METALS, 3),
            (MATERIALS, 3),
            (PHARMA, 2),
            (CHEMICALS, 2),
            (NEW_ENERGY, 2),
            (EQUIPMENT, 1),
            (AGRI_FOOD, 1),
        ],
        anchors: &["白银有色集团股份有限公司"],
        years: [plan(27, 10_268, 3_915), plan(32, 12_896, 5_183)],
        late: [3, 3],
        leads: 6,
        dropped: 2,
        funds_targets: [46, 60],
        signed_targets: [115, 145],
    },
    CitySpec {
        code: TIANSHUI,
        name: "天水市",
        short: "天水市",
        parks: &["天水经济技术开发区", "天水三阳川高新技术产业园"],
        chains: &[(EQUIPMENT, 4), (ELECTRONICS, 3), (AGRI_FOOD, 2), (TOURISM, 2), (PHARMA, 1), (MATERIALS, 1)],
        anchors: &["天水星火机床有限责任公司", "天水二一三电器有限公司", "天水华天科技股份有限公司"],
        years: [plan(171, 56_137, 21_948), plan(202, 68_429, 27_116)],
        late: [18, 20],
        leads: 20,
        dropped: 5,
        funds_targets: [250, 300],
        signed_targets: [640, 760],
    },
    CitySpec {
        code: "620600",
        name: "武威市",
        short: "武威市",
        parks: &["甘肃武威工业园区"],
        chains: &[(AGRI_FOOD, 3), (NEW_ENERGY, 3), (TOURISM, 1), (CHEMICALS, 1)],
        anchors: &[],
        years: [plan(22, 6_986, 2_514), plan(28, 8_840, 3_312)],
        late: [2, 3],
        leads: 5,
        dropped: 1,
        funds_targets: [29, 38],
        signed_targets: [80, 100],
    },
    CitySpec {
        code: "620700",
        name: "张掖市",
        short: "张掖市",
        parks: &["张掖经济技术开发区"],
        chains: &[(AGRI_FOOD, 3), (NEW_ENERGY, 3), (TOURISM, 2)],
        anchors: &[],
        years: [plan(23, 7_351, 2_786), plan(28, 9_238, 3_607)],
        late: [2, 3],
        leads: 5,
        dropped: 1,
        funds_targets: [32, 42],
        signed_targets: [85, 105],
    },
    CitySpec {
        code: "620800",
        name: "平凉市",
        short: "平凉市",
        parks: &["平凉工业园区"],
        chains: &[(AGRI_FOOD, 3), (CHEMICALS, 2), (NEW_ENERGY, 2), (TOURISM, 1), (EQUIPMENT, 1)],
        anchors: &[],
        years: [plan(19, 5_624, 2_118), plan(24, 7_064, 2_693)],
        late: [2, 2],
        leads: 4,
        dropped: 1,
        funds_targets: [25, 31],
        signed_targets: [65, 80],
    },
    CitySpec {
        code: "620900",
        name: "酒泉市",
        short: "酒泉市",
        parks: &["酒泉经济技术开发区", "玉门经济开发区"],
        chains: &[(NEW_ENERGY, 5), (TOURISM, 2), (MATERIALS, 1), (AGRI_FOOD, 1)],
        anchors: &[],
        years: [plan(38, 21_470, 8_235), plan(45, 26_083, 10_468)],
        late: [4, 5],
        leads: 8,
        dropped: 2,
        funds_targets: [95, 120],
        signed_targets: [240, 290],
    },
    CitySpec {
        code: "621000",
        name: "庆阳市",
        short: "庆阳市",
        parks: &["庆阳西峰工业园区"],
        chains: &[(CHEMICALS, 3), (NEW_ENERGY, 3), (ELECTRONICS, 3), (AGRI_FOOD, 1)],
        anchors: &[],
        years: [plan(31, 16_542, 6_477), plan(38, 20_976, 8_594)],
        late: [3, 4],
        leads: 6,
        dropped: 2,
        funds_targets: [75, 98],
        signed_targets: [190, 235],
    },
    CitySpec {
        code: "621100",
        name: "定西市",
        short: "定西市",
        parks: &["定西经济开发区"],
        chains: &[(PHARMA, 3), (AGRI_FOOD, 3), (EQUIPMENT, 1), (NEW_ENERGY, 1)],
        anchors: &[],
        years: [plan(20, 4_629, 1_702), plan(24, 5_810, 2_241)],
        late: [2, 2],
        leads: 4,
        dropped: 1,
        funds_targets: [20, 26],
        signed_targets: [53, 66],
    },
    CitySpec {
        code: "621200",
        name: "陇南市",
        short: "陇南市",
        parks: &["陇南经济开发区"],
        chains: &[(AGRI_FOOD, 4), (TOURISM, 2), (METALS, 1), (PHARMA, 1)],
        anchors: &[],
        years: [plan(18, 4_392, 1_553), plan(22, 5_527, 2_018)],
        late: [2, 2],
        leads: 4,
        dropped: 1,
        funds_targets: [18, 24],
        signed_targets: [50, 63],
    },
    CitySpec {
        code: "622900",
        name: "临夏回族自治州",
        short: "临夏州",
        parks: &["临夏经济开发区"],
        chains: &[(AGRI_FOOD, 4), (TOURISM, 2), (NEW_ENERGY, 1), (EQUIPMENT, 1)],
        anchors: &[],
        years: [plan(16, 3_817, 1_392), plan(20, 4_786, 1_806)],
        late: [1, 2],
        leads: 4,
        dropped: 1,
        funds_targets: [16, 21],
        signed_targets: [44, 54],
    },
    CitySpec {
        code: "623000",
        name: "甘南藏族自治州",
        short: "甘南州",
        parks: &["合作市生态产业园"],
        chains: &[(TOURISM, 3), (AGRI_FOOD, 3), (NEW_ENERGY, 2), (PHARMA, 1)],
        anchors: &[],
        years: [plan(10, 2_146, 764), plan(12, 2_611, 911)],
        late: [1, 1],
        leads: 3,
        dropped: 1,
        funds_targets: [9, 11],
        signed_targets: [25, 30],
    },
];

/// 嘉峪关 2023: funds in place January–August, September and October (百万元). The year's
/// target (140 亿元) is passed in September, three months early.
const JIAYUGUAN_FUNDS_2023: [i64; 3] = [12_850, 1_470, 1_720];
/// 嘉峪关 funds in November–December 2022 (百万元).
const JIAYUGUAN_FUNDS_LATE_2022: i64 = 520;

/// Investor origins: province, weight, (name prefix, registration area code) choices. The
/// area code is empty where no mainland credit code applies.
/// (name prefix, registration area code) choices of one origin.
type Registrations = &'static [(&'static str, &'static str)];

const ORIGINS: &[(&str, u32, Registrations)] = &[
    ("浙江省", 12, &[("浙江", "330000"), ("杭州", "330100"), ("宁波", "330200"), ("温州", "330300")]),
    (
        "江苏省",
        10,
        &[("江苏", "320000"), ("南京", "320100"), ("苏州", "320500"), ("无锡", "320200"), ("常州", "320400")],
    ),
    (
        "广东省",
        10,
        &[("广东", "440000"), ("深圳", "440300"), ("广州", "440100"), ("东莞", "441900"), ("佛山", "440600")],
    ),
    ("北京市", 8, &[("北京", "110000"), ("北京", "110108"), ("北京", "110105")]),
    ("上海市", 8, &[("上海", "310000"), ("上海", "310115"), ("上海", "310104")]),
    ("山东省", 6, &[("山东", "370000"), ("济南", "370100"), ("青岛", "370200")]),
    ("陕西省", 5, &[("陕西", "610000"), ("西安", "610100")]),
    ("河北省", 4, &[("河北", "130000"), ("石家庄", "130100"), ("唐山", "130200")]),
    ("四川省", 4, &[("四川", "510000"), ("成都", "510100")]),
    ("福建省", 4, &[("福建", "350000"), ("厦门", "350200"), ("福州", "350100")]),
    ("河南省", 3, &[("河南", "410000"), ("郑州", "410100")]),
    ("天津市", 3, &[("天津", "120000")]),
    ("湖北省", 2, &[("湖北", "420000"), ("武汉", "420100")]),
    ("重庆市", 2, &[("重庆", "500000")]),
    ("安徽省", 2, &[("安徽", "340000"), ("合肥", "340100")]),
    ("宁夏回族自治区", 2, &[("宁夏", "640000"), ("银川", "640100")]),
    ("新疆维吾尔自治区", 2, &[("新疆", "650000"), ("乌鲁木齐", "650100")]),
    ("内蒙古自治区", 2, &[("内蒙古", "150000"), ("包头", "150200")]),
    ("青海省", 1, &[("青海", "630000"), ("西宁", "630100")]),
    ("甘肃省", 8, &[("甘肃", "620000"), ("兰州", "620100"), ("酒泉", "620900")]),
    ("香港特别行政区", 3, &[("香港", "")]),
    ("澳门特别行政区", 1, &[("澳门", "")]),
    ("台湾省", 1, &[("台湾", "")]),
];

const HONG_KONG: &str = "香港特别行政区";
const GANSU: &str = "甘肃省";

const SOURCES: &[(&str, u32)] = &[
    ("自主招商", 28),
    ("以商招商", 16),
    ("商会", 18),
    ("驻点招商", 14),
    ("委托招商", 8),
    ("招商顾问", 8),
    ("网上选地", 5),
];

const AGENCIES: &[&str] =
    &["深圳前海产城招商服务有限公司", "上海浦江产业招商咨询有限公司", "北京中关产业投资顾问有限公司"];
const HUBS: &[&str] = &["上海", "深圳", "北京", "杭州", "成都"];

const DROP_REASONS: &[&str] = &[
    "投资方资金链紧张，项目终止",
    "项目选址与国土空间规划冲突，双方协商终止",
    "投资方战略调整，取消在甘投资",
    "环境影响评价未获通过",
    "投资方转投其他省份",
];

// ---------------------------------------------------------------------------------------
// Activities
// ---------------------------------------------------------------------------------------

#[derive(Clone)]
struct ActivitySpec {
    /// Borrowed in the table, owned for the 兰洽会 of the years after 2023.
    name: Cow<'static, str>,
    kind: &'static str,
    start: (i32, u32, u32),
    end: (i32, u32, u32),
    place: &'static str,
    organiser: &'static str,
    /// Cities whose signings may be attributed to it; empty for all.
    cities: &'static [&'static str],
    /// Investor origins it draws from; empty for all.
    origins: &'static [&'static str],
    /// Chains it is about; empty for all.
    chains: &'static [&'static str],
    /// Share of eligible signings attributed to it.
    share: f64,
}

/// The 兰洽会 (中国兰州投资贸易洽谈会) of 2023, at which named projects were signed.
const LANZHOU_FAIR_2023: &str = "第二十九届兰洽会";
const HK_MACAU_MEETING: &str = "省政协助力经济高质量发展港澳委员嘉峪关招商引资推介会";

/// Specific events, before each year's 兰洽会 (`ActivitySpec::lanzhou_fair`): a signing
/// goes to the first one that takes it.
const ACTIVITIES: &[ActivitySpec] = &[
    ActivitySpec {
        name: Cow::Borrowed(HK_MACAU_MEETING),
        kind: "推介会",
        start: (2023, 6, 15),
        end: (2023, 6, 15),
        place: "嘉峪关",
        organiser: "政协嘉峪关市委员会",
        cities: &[JIAYUGUAN],
        origins: &[],
        chains: &[],
        share: 0.15,
    },
    ActivitySpec {
        name: Cow::Borrowed("兰州理工大学校友企业家助力天水市产业发展招商引资论坛"),
        kind: "推介会",
        start: (2023, 8, 18),
        end: (2023, 8, 18),
        place: "天水",
        organiser: "政协天水市委员会、兰州理工大学",
        cities: &[TIANSHUI],
        origins: &[],
        chains: &[EQUIPMENT, ELECTRONICS, MATERIALS],
        share: 0.2,
    },
    ActivitySpec {
        name: Cow::Borrowed("天水市赴长三角地区招商考察"),
        kind: "外出招商",
        start: (2023, 3, 20),
        end: (2023, 3, 24),
        place: "上海、苏州、无锡",
        organiser: "天水市人民政府",
        cities: &[TIANSHUI],
        origins: &["上海市", "江苏省", "浙江省", "安徽省"],
        chains: &[],
        share: 0.35,
    },
    ActivitySpec {
        name: Cow::Borrowed("2023中国（天水）伏羲文化旅游节招商推介会"),
        kind: "推介会",
        start: (2023, 6, 21),
        end: (2023, 6, 21),
        place: "天水",
        organiser: "天水市人民政府",
        cities: &[TIANSHUI],
        origins: &[],
        chains: &[TOURISM, AGRI_FOOD],
        share: 0.3,
    },
    ActivitySpec {
        name: Cow::Borrowed("白银市赴北京、吉林招商考察"),
        kind: "外出招商",
        start: (2023, 5, 8),
        end: (2023, 5, 12),
        place: "北京、长春",
        organiser: "白银市人民政府",
        cities: &["620400"],
        origins: &[],
        chains: &[],
        share: 0.12,
    },
    ActivitySpec {
        name: Cow::Borrowed("第六届丝绸之路（敦煌）国际文化博览会"),
        kind: "展会节会",
        start: (2023, 9, 6),
        end: (2023, 9, 7),
        place: "敦煌",
        organiser: "甘肃省人民政府",
        cities: &[],
        origins: &[],
        chains: &[TOURISM],
        share: 0.35,
    },
    ActivitySpec {
        name: Cow::Borrowed("甘肃省赴长三角地区招商引资推介活动"),
        kind: "外出招商",
        start: (2023, 4, 11),
        end: (2023, 4, 14),
        place: "上海、杭州、苏州",
        organiser: "甘肃省投资促进局",
        cities: &[],
        origins: &["上海市", "江苏省", "浙江省", "安徽省"],
        chains: &[],
        share: 0.25,
    },
    ActivitySpec {
        name: Cow::Borrowed("甘肃省赴粤港澳大湾区招商引资推介活动"),
        kind: "外出招商",
        start: (2023, 5, 16),
        end: (2023, 5, 19),
        place: "深圳、香港",
        organiser: "甘肃省投资促进局",
        cities: &[],
        origins: &["广东省", HONG_KONG, "澳门特别行政区"],
        chains: &[],
        share: 0.3,
    },
    ActivitySpec {
        name: Cow::Borrowed("甘肃省赴京津冀地区招商引资推介活动（2022年）"),
        kind: "外出招商",
        start: (2022, 8, 23),
        end: (2022, 8, 26),
        place: "北京、天津",
        organiser: "甘肃省投资促进局",
        cities: &[],
        origins: &["北京市", "天津市", "河北省"],
        chains: &[],
        share: 0.3,
    },
    ActivitySpec {
        name: Cow::Borrowed("甘肃省赴长三角地区招商引资推介活动（2022年）"),
        kind: "外出招商",
        start: (2022, 9, 13),
        end: (2022, 9, 16),
        place: "上海、南京",
        organiser: "甘肃省投资促进局",
        cities: &[],
        origins: &["上海市", "江苏省", "浙江省"],
        chains: &[],
        share: 0.25,
    },
    ActivitySpec {
        name: Cow::Borrowed("澳门女企业家招商考察团来嘉考察"),
        kind: "来访接待",
        start: (2023, 8, 22),
        end: (2023, 8, 24),
        place: "嘉峪关",
        organiser: "嘉峪关市人民政府",
        cities: &[JIAYUGUAN],
        origins: &[],
        chains: &[],
        share: 0.0,
    },
    ActivitySpec {
        name: Cow::Borrowed("甘肃商会联络员招商工作座谈会"),
        kind: "座谈会",
        start: (2023, 3, 2),
        end: (2023, 3, 2),
        place: "兰州",
        organiser: "甘肃省工商业联合会",
        cities: &[],
        origins: &[],
        chains: &[],
        share: 0.0,
    },
];

impl ActivitySpec {
    fn start_on(&self) -> NaiveDate {
        date(self.start.0, self.start.1, self.start.2)
    }

    fn end_on(&self) -> NaiveDate {
        date(self.end.0, self.end.1, self.end.2)
    }

    fn takes(&self, city: &str, origin: &str, chain: &str, from: NaiveDate, to: NaiveDate) -> bool {
        self.share > 0.0
            && from <= self.start_on()
            && self.end_on() <= to
            && (self.cities.is_empty() || self.cities.contains(&city))
            && (self.origins.is_empty() || self.origins.contains(&origin))
            && (self.chains.is_empty() || self.chains.contains(&chain))
    }

    /// The 兰洽会 of a year: five days from the first Thursday of July, as the 28th (2022)
    /// and the 29th (2023).
    fn lanzhou_fair(year: i32) -> ActivitySpec {
        let opens = NaiveDate::from_weekday_of_month_opt(year, 7, Weekday::Thu, 1).expect("July has Thursdays");
        ActivitySpec {
            name: Cow::Owned(format!("第{}届兰洽会", chinese_number(year - 1994))),
            kind: "展会节会",
            start: (year, 7, opens.day()),
            end: (year, 7, opens.day() + 4),
            place: "兰州",
            organiser: "甘肃省人民政府",
            cities: &[],
            origins: &[],
            chains: &[],
            // After 2023 a whole year's signings may go to it, not January–October's alone.
            share: if year <= LAST_PUBLISHED_YEAR { 0.16 } else { 0.1 },
        }
    }

    fn to_activity(&self) -> Activity {
        Activity {
            id: 0,
            name: self.name.to_string(),
            kind: self.kind.to_string(),
            start_on: Some(self.start_on()),
            end_on: Some(self.end_on()),
            place: self.place.to_string(),
            organiser: self.organiser.to_string(),
            // A city's own event is its region's; the others the province's.
            region_code: match self.cities {
                [city] => Some(city.to_string()),
                _ => None,
            },
            ..Default::default()
        }
    }
}

// ---------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------

struct Investor {
    name: String,
    brand: String,
    credit_code: String,
    origin: &'static str,
    kind: &'static str,
}

/// How far a signed project has come by the end of the demo's time.
#[derive(Clone, Copy)]
enum Progress {
    /// The usual pace.
    Usual,
    /// Started by the given date (天水 2023: start rate 100%).
    StartedBy(NaiveDate),
    /// Producing by the given date (嘉峪关 2022: finished before 2023).
    ProducingBy(NaiveDate),
}

/// A project fixed by the seeds, placed among a city's signings of a year.
struct Named {
    city: &'static str,
    region: &'static str,
    name: &'static str,
    park: &'static str,
    chain: &'static str,
    node: &'static str,
    industry: &'static str,
    investor: &'static str,
    credit_code_of: Option<&'static str>,
    origin: &'static str,
    kind: &'static str,
    units: i64,
    signed: (i32, u32, u32),
    activity: &'static str,
    source: &'static str,
    source_org: &'static str,
    description: &'static str,
}

/// Pairs of projects in two regions that claim the same investor share this key.
const CLAIM_SOLAR: &str = "claim-solar";
const CLAIM_MATERIALS: &str = "claim-materials";

const NAMED: &[Named] = &[
    Named {
        city: JIAYUGUAN,
        region: JIAYUGUAN,
        name: "甘肃雨金年加工22万吨精密不锈钢板带项目",
        park: "嘉峪关工业园区",
        chain: METALS,
        node: "不锈钢",
        industry: "31",
        investor: "甘肃雨金",
        credit_code_of: None,
        origin: GANSU,
        kind: "民营",
        units: 980,
        signed: (2023, 5, 10),
        activity: "",
        source: "自主招商",
        source_org: "政协嘉峪关市委员会",
        description: "四企联合招商引资项目之一，市政协参与推动，年加工22万吨精密不锈钢板带。",
    },
    Named {
        city: JIAYUGUAN,
        region: JIAYUGUAN,
        name: "河北文丰年产600万吨氧化铝及新材料生产项目",
        park: "嘉峪关工业园区",
        chain: METALS,
        node: "氧化铝",
        industry: "32",
        investor: "河北文丰",
        credit_code_of: None,
        origin: "河北省",
        kind: "民营",
        units: 5_200,
        signed: (2023, 7, 7),
        activity: LANZHOU_FAIR_2023,
        source: "展会/节会",
        source_org: LANZHOU_FAIR_2023,
        description: "四企联合招商引资项目之一，年产600万吨氧化铝及新材料，配套酒钢集团铝产业链。",
    },
    Named {
        city: JIAYUGUAN,
        region: JIAYUGUAN,
        name: "宝武铝业年产30万吨高精度铝合金扁锭项目",
        park: "嘉峪关工业园区",
        chain: METALS,
        node: "铝加工",
        industry: "32",
        investor: "宝武铝业",
        credit_code_of: None,
        origin: "上海市",
        kind: "国有",
        units: 1_850,
        signed: (2023, 3, 16),
        activity: "",
        source: "以商招商",
        source_org: "酒钢集团",
        description: "四企联合招商引资项目之一，年产30万吨高精度铝合金扁锭。",
    },
    Named {
        city: JIAYUGUAN,
        region: JIAYUGUAN,
        name: "祁连山水泥集团200万吨/年矿渣微粉生产线建设项目",
        park: "嘉峪关工业园区",
        chain: MATERIALS,
        node: "新型建材",
        industry: "30",
        investor: "甘肃祁连山水泥集团股份有限公司",
        credit_code_of: None,
        origin: GANSU,
        kind: "国有",
        units: 350,
        signed: (2023, 4, 20),
        activity: "",
        source: "以商招商",
        source_org: "酒钢集团",
        description: "四企联合招商引资项目之一，利用酒钢冶炼矿渣建设200万吨/年矿渣微粉生产线。",
    },
    Named {
        city: JIAYUGUAN,
        region: JIAYUGUAN,
        name: "6000吨氧化铁红提纯及铁氧体磁性材料项目",
        park: "嘉峪关工业园区",
        chain: MATERIALS,
        node: "磁性材料",
        industry: "39",
        investor: "香港嘉港新材料投资有限公司",
        credit_code_of: None,
        origin: HONG_KONG,
        kind: "港澳台",
        units: 250,
        signed: (2023, 6, 15),
        activity: HK_MACAU_MEETING,
        source: "招商顾问",
        source_org: "省政协港澳委员（招商顾问）",
        description: "省政协住港委员与酒钢集团合作投资建设，已正式落地，正在进行科研攻关。",
    },
    Named {
        city: TIANSHUI,
        region: "620503",
        name: "星火机床高档数控机床智能化改造项目",
        park: "天水经济技术开发区",
        chain: EQUIPMENT,
        node: "数控机床",
        industry: "34",
        investor: "天水星火机床有限责任公司",
        credit_code_of: None,
        origin: GANSU,
        kind: "",
        units: 320,
        signed: (2023, 4, 12),
        activity: "",
        source: "自主招商",
        source_org: "天水市投资促进局",
        description: "“三化”改造项目，智能化、绿色化、数字化升级高档数控机床生产线。",
    },
    Named {
        city: TIANSHUI,
        region: "620502",
        name: "二一三电器智能低压电器产业化项目",
        park: "天水经济技术开发区",
        chain: EQUIPMENT,
        node: "电工电器",
        industry: "38",
        investor: "天水二一三电器有限公司",
        credit_code_of: None,
        origin: GANSU,
        kind: "国有",
        units: 560,
        signed: (2023, 7, 8),
        activity: LANZHOU_FAIR_2023,
        source: "展会/节会",
        source_org: LANZHOU_FAIR_2023,
        description: "智能低压电器产业化，带动本地电工电器配套企业。",
    },
    Named {
        city: "620900",
        region: "620981",
        name: "弘远玉门50万千瓦光伏发电项目",
        park: "玉门经济开发区",
        chain: NEW_ENERGY,
        node: "光伏发电",
        industry: "44",
        investor: "浙江弘远光伏科技有限公司",
        credit_code_of: Some(CLAIM_SOLAR),
        origin: "浙江省",
        kind: "民营",
        units: 2_150,
        signed: (2023, 4, 13),
        activity: "甘肃省赴长三角地区招商引资推介活动",
        source: "自主招商",
        source_org: "甘肃省投资促进局",
        description: "投资方同一项目亦由张掖市上报，待核实归属。",
    },
    Named {
        city: "620700",
        region: "620724",
        name: "弘远高台50万千瓦光伏发电项目",
        park: "",
        chain: NEW_ENERGY,
        node: "光伏发电",
        industry: "44",
        investor: "浙江弘远光伏科技股份有限公司",
        credit_code_of: Some(CLAIM_SOLAR),
        origin: "浙江省",
        kind: "民营",
        units: 2_100,
        signed: (2023, 5, 22),
        activity: "",
        source: "商会",
        source_org: "浙江省甘肃商会",
        description: "光伏发电项目，由商会引荐。",
    },
    Named {
        city: "620100",
        region: "620100",
        name: "汇拓年产3万吨锂电池正极材料项目",
        park: "兰州新区",
        chain: MATERIALS,
        node: "电池材料",
        industry: "26",
        investor: "江苏汇拓新材料科技有限公司",
        credit_code_of: Some(CLAIM_MATERIALS),
        origin: "江苏省",
        kind: "民营",
        units: 1_200,
        signed: (2023, 7, 9),
        activity: LANZHOU_FAIR_2023,
        source: "展会/节会",
        source_org: LANZHOU_FAIR_2023,
        description: "兰洽会签约项目，选址兰州新区。",
    },
    Named {
        city: "620400",
        region: "620402",
        name: "汇拓白银锂电池正极材料项目",
        park: "白银高新技术产业开发区",
        chain: MATERIALS,
        node: "电池材料",
        industry: "26",
        investor: "江苏汇拓新材料有限公司",
        credit_code_of: Some(CLAIM_MATERIALS),
        origin: "江苏省",
        kind: "民营",
        units: 1_150,
        signed: (2023, 8, 3),
        activity: "",
        source: "驻点招商",
        source_org: "白银市驻上海招商工作组",
        description: "锂电池正极材料项目，投资方同期与兰州新区签约。",
    },
];

struct City<'a> {
    spec: &'a CitySpec,
    counties: Vec<(String, String)>,
    leaders: Vec<String>,
    owners: Vec<String>,
}

/// A project while the pipeline is being generated; `year` orders the codes.
struct Draft {
    city: usize,
    year: i32,
    data: ProjectData,
}

struct Generator<'a> {
    rng: &'a mut Rng,
    /// Every activity of the demo, in the order they take signings.
    activities: Vec<ActivitySpec>,
    /// Nothing is dated after it; the projects' progress is seen from it.
    today: NaiveDate,
    cities: Vec<City<'a>>,
    drafts: Vec<Draft>,
    claim_codes: HashMap<&'static str, String>,
}

/// The demo pipeline as it stands on `today`, drawn from `rng`.
/// Whether a project is one the seeds name (its source is theirs, not to be changed).
pub(super) fn is_named(name: &str) -> bool {
    NAMED.iter().any(|named| named.name == name)
}

pub(super) fn generate(rng: &mut Rng, today: NaiveDate) -> DemoPipeline {
    // For the signings after 2023, taken first, so that neither the published years nor
    // what `rng` draws after the pipeline depend on how many there are by today.
    let mut later_rng = rng.fork();
    let divisions = crate::reference_data::divisions().expect("the shipped divisions file parses");
    let cities: Vec<City> = CITIES
        .iter()
        .map(|spec| {
            let counties = divisions
                .iter()
                .filter(|d| d.parent.as_ref().is_some_and(|p| p.as_str() == spec.code))
                .map(|d| (d.code.as_str().to_string(), d.name.clone()))
                .collect();
            let leaders = (0..3).map(|_| rng.person()).collect();
            let owners = (0..6).map(|_| rng.person()).collect();
            City { spec, counties, leaders, owners }
        })
        .collect();
    // Each year's 兰洽会 up to the last one over by today.
    let fairs = (2022..=today.year()).map(ActivitySpec::lanzhou_fair).filter(|fair| fair.end_on() <= today);
    let activities = ACTIVITIES.iter().cloned().chain(fairs).collect();
    let mut generator = Generator { rng, activities, today, cities, drafts: Vec::new(), claim_codes: HashMap::new() };
    for city in 0..generator.cities.len() {
        generator.city_projects(city);
    }
    let mut projects = generator.number_projects();
    let mut funded = vec![0; projects.len()];
    let mut funding = generator.funding(&projects, &published_fund_windows(), &mut funded);
    let (mut problems, mut services) = generator.problems_and_services(&projects);

    generator.rng = &mut later_rng;
    for city in 0..generator.cities.len() {
        generator.later_projects(city, today);
    }
    let published = projects.len();
    projects.extend(generator.number_projects());
    funded.resize(projects.len(), 0);
    funding.extend(generator.funding(&projects, &later_fund_windows(today), &mut funded));
    let (later_problems, later_services) = generator.problems_and_services(&projects[published..]);
    problems.extend(later_problems);
    services.extend(later_services);

    DemoPipeline {
        activities: generator.activities.iter().map(ActivitySpec::to_activity).collect(),
        projects: projects.into_iter().map(|(_, data)| data).collect(),
        funding,
        targets: targets(today.year()),
        problems,
        services,
    }
}

/// The years after 2023 up to today's: (year, 1 January, 31 December or today).
fn later_years(today: NaiveDate) -> impl Iterator<Item = (i32, NaiveDate, NaiveDate)> {
    (LAST_PUBLISHED_YEAR + 1..=today.year()).map(move |year| (year, date(year, 1, 1), date(year, 12, 31).min(today)))
}

/// `value` of 2023 grown to `year`.
fn grown(value: f64, year: i32) -> f64 {
    value * YEARLY_GROWTH.powi(year - LAST_PUBLISHED_YEAR)
}

/// The share of `year` that [from, to] covers.
fn share_of_year(year: i32, (from, to): (NaiveDate, NaiveDate)) -> f64 {
    (days(from, to) + 1) as f64 / (days(date(year, 1, 1), date(year, 12, 31)) + 1) as f64
}

/// Writes a number from 1 to 99 in Chinese numerals (二十九, 三十一).
fn chinese_number(n: i32) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
    match tens {
        0 => DIGITS[ones].to_string(),
        1 => format!("十{}", DIGITS[ones]),
        _ => format!("{}十{}", DIGITS[tens], DIGITS[ones]),
    }
}

/// Splits `total` into `n` parts of at least `min`, heavy-tailed, the larger ones rounded
/// to tenths of 亿元; the sum is exact.
fn split(rng: &mut Rng, total: i64, n: usize, min: i64, sigma: f64) -> Vec<i64> {
    if n == 0 {
        assert_eq!(total, 0, "nothing to split {total} over");
        return Vec::new();
    }
    let spare = total - min * n as i64;
    assert!(spare >= 0, "{total} is too small for {n} parts of at least {min}");
    let weights: Vec<f64> = (0..n).map(|_| rng.lognormal(sigma)).collect();
    let sum: f64 = weights.iter().sum();
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|weight| {
            let part = min + (spare as f64 * weight / sum).floor() as i64;
            if part >= 200 {
                (part + 5) / 10 * 10
            } else {
                part
            }
        })
        .collect();
    let largest = (0..n).max_by_key(|&i| (parts[i], std::cmp::Reverse(i))).expect("n > 0");
    parts[largest] += total - parts.iter().sum::<i64>();
    assert!(parts[largest] >= min);
    parts
}

/// `k` random parts of `total`, each at least 1.
fn random_parts(rng: &mut Rng, total: i64, k: usize) -> Vec<i64> {
    let k = k.clamp(1, total.max(1) as usize);
    let weights: Vec<f64> = (0..k).map(|_| 0.5 + rng.unit()).collect();
    let sum: f64 = weights.iter().sum();
    let spare = total - k as i64;
    let mut parts: Vec<i64> = weights.iter().map(|w| 1 + (spare as f64 * w / sum).floor() as i64).collect();
    parts[0] += total - parts.iter().sum::<i64>();
    parts
}

/// The stage and dates of a project signed on `signed`, as it stands on `end`. Every
/// delay is drawn whatever `end` is, so that what a project has done by a day never
/// depends on the day it is seen from.
fn progress(
    rng: &mut Rng,
    signed: NaiveDate,
    rule: Progress,
    end: NaiveDate,
) -> (&'static str, Option<NaiveDate>, Option<NaiveDate>) {
    let (starts, started, produces, producing) = match rule {
        Progress::StartedBy(limit) => {
            let started = signed + Duration::days(rng.between(0, days(signed, limit).min(75)));
            let producing = started + Duration::days(rng.between(90, 420));
            (true, started, rng.chance(0.35), producing)
        }
        Progress::ProducingBy(limit) => {
            let started = signed + Duration::days(rng.between(0, (days(signed, limit) / 2).min(45)));
            let rest = days(started, limit);
            (true, started, true, started + Duration::days(rng.between(rest / 3, rest)))
        }
        Progress::Usual => {
            let starts = rng.chance(0.9);
            let started = signed + Duration::days(rng.between(10, 180));
            let produces = rng.chance(0.6);
            (starts, started, produces, started + Duration::days(rng.between(120, 720)))
        }
    };
    match (starts && started <= end, produces && producing <= end) {
        (false, _) => ("signed", None, None),
        (true, false) => ("started", Some(started), None),
        (true, true) => ("producing", Some(started), Some(producing)),
    }
}

fn nice_size(rng: &mut Rng, (lo, hi): (i64, i64)) -> i64 {
    let n = rng.between(lo, hi);
    match n {
        1000.. => n / 100 * 100,
        100.. => n / 10 * 10,
        20.. => n / 5 * 5,
        _ => n,
    }
}

fn yi(units: i64) -> String {
    format!("{}.{:02}", units / 100, units % 100)
}

impl Generator<'_> {
    fn city_projects(&mut self, city: usize) {
        let spec = self.cities[city].spec;
        for (index, year) in [2022, 2023].into_iter().enumerate() {
            let plan = spec.years[index];
            let from = date(year, 1, 1);
            let to = date(year, 10, 31);
            let rule = match (spec.code, year) {
                (TIANSHUI, 2023) => Progress::StartedBy(to),
                (JIAYUGUAN, 2022) => Progress::ProducingBy(date(2022, 12, 31)),
                _ => Progress::Usual,
            };
            let named: Vec<&Named> = NAMED.iter().filter(|n| n.city == spec.code && n.signed.0 == year).collect();
            let named_units: i64 = named.iter().map(|n| n.units).sum();
            let rest = plan.signed - named.len();
            let amounts = if spec.code == JIAYUGUAN && year == 2023 {
                // 31 of the 67 at 1 亿元 or more (the named ones all are), the others below.
                let big = 31 - named.len();
                let small: Vec<i64> = (0..rest - big).map(|_| self.rng.between(8, 96)).collect();
                let small_total: i64 = small.iter().sum();
                let mut amounts = split(self.rng, plan.investment - named_units - small_total, big, 100, 0.9);
                amounts.extend(small);
                amounts
            } else {
                split(self.rng, plan.investment - named_units, rest, 5, 1.1)
            };
            for named in named {
                self.named_project(city, named, rule);
            }
            for units in amounts {
                self.signed_project(city, units, (from, to), rule, true);
            }
            let average = plan.investment / plan.signed as i64;
            for _ in 0..spec.late[index] {
                let units = (average as f64 * self.rng.lognormal(0.8) * 0.6).round().max(5.0) as i64;
                self.signed_project(city, units, (date(year, 11, 1), date(year, 12, 31)), Progress::Usual, false);
            }
        }
        let average = spec.years[1].investment / spec.years[1].signed as i64;
        for _ in 0..spec.leads {
            self.lead_project(city, average);
        }
        for _ in 0..spec.dropped {
            self.dropped_project(city, average);
        }
    }

    /// A city's signings in the years after 2023: its 2023 (November and December
    /// included) grown by `YEARLY_GROWTH` a year, spread over each year up to today.
    fn later_projects(&mut self, city: usize, today: NaiveDate) {
        let spec = self.cities[city].spec;
        let last = spec.years[1];
        let average = last.investment / last.signed as i64;
        for (year, from, to) in later_years(today) {
            let signings = grown((last.signed + spec.late[1]) as f64, year) * share_of_year(year, (from, to));
            for _ in 0..(signings.round() as usize).max(1) {
                let units = (average as f64 * self.rng.lognormal(0.9) * 0.7).round().max(5.0) as i64;
                self.signed_project(city, units, (from, to), Progress::Usual, true);
            }
        }
    }

    fn investor(&mut self, chain: &ChainSpec) -> Investor {
        let (origin, _, prefixes) = *self.rng.weighted_entry(ORIGINS);
        let (prefix, area) = *self.rng.pick(prefixes);
        let brand = self.rng.brand();
        let domain = *self.rng.pick(chain.domains);
        let kind: &'static str = if area.is_empty() {
            "港澳台"
        } else if origin == GANSU {
            self.rng.weighted(&[("民营", 60), ("国有", 40)])
        } else {
            self.rng.weighted(&[("民营", 78), ("国有", 17), ("外资", 5)])
        };
        let name = match kind {
            "港澳台" if origin == "台湾省" => format!("台湾{brand}{domain}股份有限公司"),
            "港澳台" => format!("{prefix}{brand}{domain}有限公司"),
            "外资" => format!("{brand}（中国）投资有限公司"),
            "国有" => format!("{prefix}{brand}{domain}集团有限公司"),
            _ => {
                let suffix = self.rng.weighted(&[("有限公司", 60), ("股份有限公司", 25), ("集团有限公司", 15)]);
                format!("{prefix}{brand}{domain}{suffix}")
            }
        };
        let credit_code = if area.is_empty() { String::new() } else { self.rng.credit_code(area) };
        Investor { name, brand, credit_code, origin, kind }
    }

    fn region(&mut self, city: usize) -> (String, String) {
        let city_ref = &self.cities[city];
        if city_ref.counties.is_empty() || self.rng.chance(0.35) {
            (city_ref.spec.code.to_string(), city_ref.spec.name.to_string())
        } else {
            let index = self.rng.between(0, city_ref.counties.len() as i64 - 1) as usize;
            self.cities[city].counties[index].clone()
        }
    }

    fn park(&mut self, city: usize, region: &str) -> String {
        let spec = self.cities[city].spec;
        let chance = if region == spec.code { 0.85 } else { 0.3 };
        if self.rng.chance(chance) {
            self.rng.pick(spec.parks).to_string()
        } else {
            String::new()
        }
    }

    fn department(&mut self, city: usize, chain: &ChainSpec) -> String {
        let short = self.cities[city].spec.short;
        if self.rng.chance(0.4) {
            format!("{short}投资促进局")
        } else {
            format!("{short}{}", chain.bureau)
        }
    }

    fn source(&mut self, city: usize, origin: &str, activity: Option<&ActivitySpec>) -> (String, String) {
        let spec = self.cities[city].spec;
        if let Some(activity) = activity {
            return match activity.kind {
                "展会节会" => ("展会/节会".into(), activity.name.to_string()),
                _ if activity.name == HK_MACAU_MEETING => ("招商顾问".into(), "省政协港澳委员（招商顾问）".into()),
                _ => ("自主招商".into(), activity.organiser.into()),
            };
        }
        let mut source = self.rng.weighted(SOURCES);
        if source == "以商招商" && spec.anchors.is_empty() {
            source = "自主招商";
        }
        let org = match source {
            "商会" if origin == GANSU => "甘肃省工商业联合会".to_string(),
            "商会" if self.rng.chance(0.5) => format!("{origin}甘肃商会"),
            "商会" => format!("甘肃省{}商会", origin_short(origin)),
            "招商顾问" => format!("{}招商顾问团", spec.short),
            "驻点招商" => format!("{}驻{}招商工作组", spec.short, self.rng.pick(HUBS)),
            "委托招商" => self.rng.pick(AGENCIES).to_string(),
            "以商招商" => self.rng.pick(spec.anchors).to_string(),
            "网上选地" => "招商云平台在线选地".to_string(),
            _ => format!("{}投资促进局", spec.short),
        };
        (source.to_string(), org)
    }

    /// A project signed within [from, to]; with `at_activities`, at the first activity
    /// that takes it, if one does.
    fn signed_project(
        &mut self,
        city: usize,
        units: i64,
        (from, to): (NaiveDate, NaiveDate),
        rule: Progress,
        at_activities: bool,
    ) {
        let spec = self.cities[city].spec;
        let chain = chain(self.rng.weighted(spec.chains));
        let investor = self.investor(chain);
        let activity = if at_activities {
            let rng = &mut *self.rng;
            let takes =
                |a: &&ActivitySpec| a.takes(spec.code, investor.origin, chain.name, from, to) && rng.chance(a.share);
            self.activities.iter().find(takes).cloned()
        } else {
            None
        };
        let activity = activity.as_ref();
        let signed = match activity {
            Some(activity) => self.rng.day_between(activity.start_on(), activity.end_on()),
            None => self.rng.day_between(from, to),
        };
        let (stage, started, producing) = progress(self.rng, signed, rule, self.today);
        let mut data = self.project_data(city, chain, &investor, units * UNIT, activity);
        data.stage = stage.to_string();
        data.signed_on = Some(signed);
        data.started_on = started;
        data.producing_on = producing;
        self.drafts.push(Draft { city, year: signed.year(), data });
    }

    /// Everything but the stage and dates.
    fn project_data(
        &mut self,
        city: usize,
        chain: &ChainSpec,
        investor: &Investor,
        total_investment: i64,
        activity: Option<&ActivitySpec>,
    ) -> ProjectData {
        let product = self.rng.pick(chain.products);
        let (region_code, region_name) = self.region(city);
        let park = self.park(city, &region_code);
        let size = nice_size(self.rng, product.sizes);
        let what = product.template.replace("{n}", &size.to_string());
        let place = if !park.is_empty() && self.rng.chance(0.5) { park.clone() } else { region_name };
        let name = if self.rng.chance(0.55) { format!("{}{what}", investor.brand) } else { format!("{place}{what}") };
        let (source, source_org) = self.source(city, investor.origin, activity);
        let department = self.department(city, chain);
        let leader = self.rng.pick(&self.cities[city].leaders).clone();
        let owner = self.rng.pick(&self.cities[city].owners).clone();
        let description = format!(
            "{}投资建设，总投资{}亿元，属{}产业链{}环节。",
            investor.name,
            yi(total_investment / UNIT),
            chain.name,
            product.node
        );
        ProjectData {
            code: String::new(),
            name,
            region_code,
            park,
            chain: chain.name.to_string(),
            chain_node: product.node.to_string(),
            investor: investor.name.clone(),
            investor_credit_code: investor.credit_code.clone(),
            investor_origin: investor.origin.to_string(),
            investor_type: investor.kind.to_string(),
            industry: product.industry.to_string(),
            total_investment,
            stage: String::new(),
            signed_on: None,
            started_on: None,
            producing_on: None,
            lead_on: None,
            dropped_reason: String::new(),
            source,
            source_org,
            department,
            leader,
            owner,
            signing_activity: activity.map(|a| a.name.to_string()).unwrap_or_default(),
            description,
            excess_funds: String::new(),
        }
    }

    fn named_project(&mut self, city: usize, named: &Named, rule: Progress) {
        let signed = date(named.signed.0, named.signed.1, named.signed.2);
        let (stage, started, producing) = progress(self.rng, signed, rule, self.today);
        let credit_code = match named.credit_code_of {
            Some(key) => match self.claim_codes.get(key) {
                Some(code) => code.clone(),
                None => {
                    let area = ORIGINS
                        .iter()
                        .find(|(origin, _, _)| *origin == named.origin)
                        .map(|(_, _, prefixes)| prefixes[0].1)
                        .expect("a known origin");
                    let code = self.rng.credit_code(area);
                    self.claim_codes.insert(key, code.clone());
                    code
                }
            },
            // Gansu's named enterprises have one code, shared with the demo enterprise library.
            None => super::enterprises::named_credit_code(named.investor).unwrap_or_default(),
        };
        let chain = chain(named.chain);
        let department = format!("{}{}", self.cities[city].spec.short, chain.bureau);
        let leader = self.rng.pick(&self.cities[city].leaders).clone();
        let owner = self.rng.pick(&self.cities[city].owners).clone();
        let data = ProjectData {
            code: String::new(),
            name: named.name.to_string(),
            region_code: named.region.to_string(),
            park: named.park.to_string(),
            chain: named.chain.to_string(),
            chain_node: named.node.to_string(),
            investor: named.investor.to_string(),
            investor_credit_code: credit_code,
            investor_origin: named.origin.to_string(),
            investor_type: named.kind.to_string(),
            industry: named.industry.to_string(),
            total_investment: named.units * UNIT,
            stage: stage.to_string(),
            signed_on: Some(signed),
            started_on: started,
            producing_on: producing,
            lead_on: None,
            dropped_reason: String::new(),
            source: named.source.to_string(),
            source_org: named.source_org.to_string(),
            department,
            leader,
            owner,
            signing_activity: named.activity.to_string(),
            description: format!("总投资{}亿元。{}", yi(named.units), named.description),
            excess_funds: String::new(),
        };
        self.drafts.push(Draft { city, year: signed.year(), data });
    }

    fn lead_project(&mut self, city: usize, average: i64) {
        let spec = self.cities[city].spec;
        let chain = chain(self.rng.weighted(spec.chains));
        let investor = self.investor(chain);
        let negotiating = self.rng.chance(0.55);
        let estimate = if negotiating || self.rng.chance(0.5) {
            (average as f64 * self.rng.lognormal(0.8)).round().max(5.0) as i64 * UNIT
        } else {
            0
        };
        let mut data = self.project_data(city, chain, &investor, estimate, None);
        data.stage = if negotiating { "negotiating" } else { "lead" }.to_string();
        let status = if negotiating { "正在洽谈" } else { "线索跟进中" };
        data.description = if estimate > 0 {
            format!(
                "{}拟投资约{}亿元，属{}产业链{}环节，{status}。",
                investor.name,
                yi(estimate / UNIT),
                chain.name,
                data.chain_node
            )
        } else {
            format!("{}有投资意向，属{}产业链{}环节，{status}。", investor.name, chain.name, data.chain_node)
        };
        self.drafts.push(Draft { city, year: 2023, data });
    }

    fn dropped_project(&mut self, city: usize, average: i64) {
        let spec = self.cities[city].spec;
        let chain = chain(self.rng.weighted(spec.chains));
        let investor = self.investor(chain);
        let units = (average as f64 * self.rng.lognormal(0.8)).round().max(5.0) as i64;
        let mut data = self.project_data(city, chain, &investor, units * UNIT, None);
        let mut year = 2023;
        if self.rng.chance(0.6) {
            let signed = self.rng.day_between(date(2022, 1, 1), date(2023, 10, 31));
            year = signed.year();
            data.signed_on = Some(signed);
            if self.rng.chance(0.3) {
                let started = signed + Duration::days(self.rng.between(15, 90));
                data.started_on = Some(started).filter(|&started| started <= self.today);
            }
        } else if self.rng.chance(0.5) {
            year = 2022;
        }
        data.stage = "dropped".to_string();
        data.dropped_reason = self.rng.pick(DROP_REASONS).to_string();
        self.drafts.push(Draft { city, year, data });
    }

    /// Codes `GS-{city}-{year}-{seq}` numbered by signing date within a city and year.
    fn number_projects(&mut self) -> Vec<(usize, ProjectData)> {
        let mut drafts = std::mem::take(&mut self.drafts);
        let last = date(2099, 12, 31);
        drafts.sort_by(|a, b| {
            (a.city, a.year, a.data.signed_on.unwrap_or(last), &a.data.name).cmp(&(
                b.city,
                b.year,
                b.data.signed_on.unwrap_or(last),
                &b.data.name,
            ))
        });
        let mut sequence: HashMap<(usize, i32), usize> = HashMap::new();
        drafts
            .into_iter()
            .map(|mut draft| {
                let seq = sequence.entry((draft.city, draft.year)).or_insert(0);
                *seq += 1;
                draft.data.code = format!("GS-{}-{}-{:04}", CITIES[draft.city].code, draft.year, seq);
                draft.data.lead_on = Some(lead_on(&draft.data, draft.year));
                (draft.city, draft.data)
            })
            .collect()
    }

    /// Funds in place over `windows`; `funded` holds what each project has had so far.
    fn funding(
        &mut self,
        projects: &[(usize, ProjectData)],
        windows: &[FundWindow],
        funded: &mut [i64],
    ) -> Vec<FundingData> {
        let mut rows = Vec::new();
        for &FundWindow { city, from, to, units } in windows {
            self.fund_window(projects, city, (from, to), units, funded, &mut rows);
        }
        rows
    }

    /// Spreads `total` units of funds over the city's signed projects within [from, to].
    fn fund_window(
        &mut self,
        projects: &[(usize, ProjectData)],
        city: usize,
        (from, to): (NaiveDate, NaiveDate),
        total: i64,
        funded: &mut [i64],
        rows: &mut Vec<FundingData>,
    ) {
        let room =
            |i: usize, funded: &[i64]| projects[i].1.total_investment / UNIT * MAX_ARRIVAL_PERCENT / 100 - funded[i];
        let eligible: Vec<usize> = (0..projects.len())
            .filter(|&i| {
                let (project_city, data) = &projects[i];
                *project_city == city
                    && data.stage != "dropped"
                    && data.signed_on.is_some_and(|signed| signed <= to)
                    && room(i, funded) > 0
            })
            .collect();
        let mut chosen: Vec<usize> = eligible.iter().copied().filter(|_| self.rng.chance(0.7)).collect();
        if chosen.iter().map(|&i| room(i, funded)).sum::<i64>() < total * 3 / 2 {
            chosen = eligible;
        }
        let window_days = (days(from, to) + 1) as f64;
        let weights: Vec<f64> = chosen
            .iter()
            .map(|&i| {
                let start = projects[i].1.signed_on.expect("eligible projects are signed").max(from);
                let share = (days(start, to) + 1) as f64 / window_days;
                room(i, funded) as f64 * share * (0.4 + self.rng.unit())
            })
            .collect();
        let mut given = vec![0i64; chosen.len()];
        let mut left = total;
        while left > 0 {
            let open: Vec<usize> = (0..chosen.len()).filter(|&k| room(chosen[k], funded) - given[k] > 0).collect();
            assert!(!open.is_empty(), "{}: no room for {left} units of funds in {from}..{to}", CITIES[city].name);
            let weight_sum: f64 = open.iter().map(|&k| weights[k]).sum();
            let mut handed = 0;
            for &k in &open {
                let share = (left as f64 * weights[k] / weight_sum).floor() as i64;
                let share = share.min(room(chosen[k], funded) - given[k]);
                given[k] += share;
                handed += share;
            }
            if handed == 0 {
                let mut by_weight = open.clone();
                by_weight.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]));
                for k in by_weight.into_iter().take(left as usize) {
                    given[k] += 1;
                    handed += 1;
                }
            }
            left -= handed;
        }
        for (k, &i) in chosen.iter().enumerate() {
            let units = given[k];
            if units == 0 {
                continue;
            }
            funded[i] += units;
            let data = &projects[i].1;
            let start = data.signed_on.expect("eligible projects are signed").max(from);
            let span = days(start, to) + 1;
            let count = (if units < 10 { 1 } else { self.rng.between(1, 3) as usize }).min(span as usize);
            let mut dates: Vec<NaiveDate> = Vec::new();
            while dates.len() < count {
                let day = self.rng.day_between(start, to);
                if !dates.contains(&day) {
                    dates.push(day);
                }
            }
            dates.sort();
            let parts = random_parts(self.rng, units, dates.len());
            for (day, part) in dates.into_iter().zip(parts) {
                let source = self.funding_source(&data.investor_origin, &data.investor_type);
                rows.push(FundingData {
                    project_code: data.code.clone(),
                    funded_on: day,
                    amount: part * UNIT,
                    source: source.to_string(),
                });
            }
        }
    }

    fn funding_source(&mut self, origin: &str, kind: &str) -> &'static str {
        let abroad_chance = match (origin, kind) {
            (GANSU, _) => return "within_province",
            (_, "港澳台") => 0.85,
            (_, "外资") => 0.6,
            _ => 0.02,
        };
        if self.rng.chance(abroad_chance) {
            "abroad"
        } else {
            "outside_province"
        }
    }

    #[allow(clippy::type_complexity)]
    fn problems_and_services(
        &mut self,
        projects: &[(usize, ProjectData)],
    ) -> (Vec<(String, Problem)>, Vec<(String, Service)>) {
        const PROBLEMS: &[(&str, &str, &str)] = &[
            ("项目建设用地指标尚未落实，需协调办理用地预审", "自然资源局", "已纳入年度用地计划，完成用地预审"),
            ("110千伏供电线路接入进度滞后，影响设备调试", "发展和改革委员会", "协调供电公司加快施工，线路已送电"),
            ("项目环评批复办理进度缓慢", "生态环境局", "组织专家技术评审，已取得环评批复"),
            ("园区污水管网未接通，企业排水受限", "住房和城乡建设局", "管网配套工程已完工并投用"),
            ("企业招工难，急需熟练技术工人", "人力资源和社会保障局", "举办专场招聘会，帮助企业招工"),
            ("项目融资需求较大，银行授信进展慢", "地方金融监督管理局", "组织银企对接，落实授信"),
            ("天然气管道接入费用偏高", "发展和改革委员会", "按政策核定接入费用"),
            ("施工许可涉及多个部门，需并联审批", "住房和城乡建设局", "实行并联审批，已核发施工许可"),
        ];
        const SERVICES: &[&str] =
            &["项目备案代办", "环评审批代办", "建设用地规划许可代办", "施工许可代办", "用电报装领办", "不动产登记代办"];
        let end = self.today;
        let mut problems = Vec::new();
        let mut services = Vec::new();
        for (city, data) in projects {
            let Some(signed) = data.signed_on else { continue };
            if data.stage == "dropped" || data.total_investment < 100 * UNIT {
                continue;
            }
            let short = CITIES[*city].short;
            if self.rng.chance(0.05) {
                let (description, bureau, resolution) = *self.rng.pick(PROBLEMS);
                let due = signed + Duration::days(self.rng.between(30, 150));
                // Drawn whatever `end` is, as `progress` draws.
                let (resolves, pending) = (self.rng.chance(0.8), *self.rng.pick(&["open", "coordinating"]));
                let status = if resolves && due < end - Duration::days(31) { "resolved" } else { pending };
                let problem = Problem {
                    id: 0,
                    project_id: 0,
                    description: description.to_string(),
                    department: format!("{short}{bureau}"),
                    due_on: Some(due),
                    status: status.to_string(),
                    resolution: if status == "resolved" { resolution.to_string() } else { String::new() },
                };
                problems.push((data.code.clone(), problem));
            }
            if self.rng.chance(0.05) {
                let service = *self.rng.pick(SERVICES);
                let done = signed + Duration::days(self.rng.between(10, 90));
                let finished = self.rng.chance(0.75) && done <= end;
                let handler = format!("{short}政务服务中心 {}", self.rng.person());
                let note = if finished {
                    format!("已于{}办结", done.format("%Y年%-m月%-d日"))
                } else {
                    "材料已受理，正在办理".to_string()
                };
                let service = Service {
                    id: 0,
                    project_id: 0,
                    service: service.to_string(),
                    handler,
                    status: if finished { "done" } else { "open" }.to_string(),
                    note,
                };
                services.push((data.code.clone(), service));
            }
        }
        (problems, services)
    }
}

/// The day a demo project's lead was registered: 15 to 254 days before its signing, or a
/// day of its year for one not signed. Taken from its code rather than the generator, so
/// that no other draw of the demo moves.
fn lead_on(data: &ProjectData, year: i32) -> NaiveDate {
    let spread = data
        .code
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
        % 240;
    match data.signed_on {
        Some(signed) => signed - Duration::days(15 + spread as i64),
        None => date(year, 1, 1) + Duration::days(spread as i64),
    }
}

fn origin_short(origin: &str) -> &str {
    ORIGINS.iter().find(|(name, _, _)| *name == origin).map(|(_, _, prefixes)| prefixes[0].0).unwrap_or(origin)
}

/// A city's funds in place over [from, to], in units.
struct FundWindow {
    city: usize,
    from: NaiveDate,
    to: NaiveDate,
    units: i64,
}

/// 2022 and 2023: January–October as published, November and December a little more
/// (嘉峪关 2023 month by month up to October, so that its target is met in September).
fn published_fund_windows() -> Vec<FundWindow> {
    let mut windows = Vec::new();
    for (city, spec) in CITIES.iter().enumerate() {
        let [y2022, y2023] = spec.years;
        let spans: Vec<(NaiveDate, NaiveDate, i64)> = if spec.code == JIAYUGUAN {
            let [january_august, september, october] = JIAYUGUAN_FUNDS_2023;
            assert_eq!(january_august + september + october, y2023.funds);
            vec![
                (date(2022, 1, 1), date(2022, 10, 31), y2022.funds),
                (date(2022, 11, 1), date(2022, 12, 31), JIAYUGUAN_FUNDS_LATE_2022),
                (date(2023, 1, 1), date(2023, 8, 31), january_august),
                (date(2023, 9, 1), date(2023, 9, 30), september),
                (date(2023, 10, 1), date(2023, 10, 31), october),
                (date(2023, 11, 1), date(2023, 12, 31), y2023.funds * 15 / 100),
            ]
        } else {
            vec![
                (date(2022, 1, 1), date(2022, 10, 31), y2022.funds),
                (date(2022, 11, 1), date(2022, 12, 31), y2022.funds * 13 / 100),
                (date(2023, 1, 1), date(2023, 10, 31), y2023.funds),
                (date(2023, 11, 1), date(2023, 12, 31), y2023.funds * 13 / 100),
            ]
        };
        windows.extend(spans.into_iter().map(|(from, to, units)| FundWindow { city, from, to, units }));
    }
    windows
}

/// The years after 2023: each city's 2023 funds grown by `YEARLY_GROWTH` a year, each
/// year up to today.
fn later_fund_windows(today: NaiveDate) -> Vec<FundWindow> {
    let mut windows = Vec::new();
    for (city, spec) in CITIES.iter().enumerate() {
        let full_2023 = (spec.years[1].funds * 113 / 100) as f64;
        for (year, from, to) in later_years(today) {
            let units = (grown(full_2023, year) * share_of_year(year, (from, to))).round().max(1.0) as i64;
            windows.push(FundWindow { city, from, to, units });
        }
    }
    windows
}

/// Annual targets of every city and of the province (the cities' sum, rounded up to 10
/// 亿元) from 2022 to `last_year`; after 2023, 2023's grown by `YEARLY_GROWTH` a year.
fn targets(last_year: i32) -> Vec<Target> {
    let mut targets = Vec::new();
    for year in 2022..=last_year.max(LAST_PUBLISHED_YEAR) {
        // (funds in place, signed investment) in 亿元.
        let of_city = |city: &CitySpec| match year {
            2022 => (city.funds_targets[0], city.signed_targets[0]),
            2023 => (city.funds_targets[1], city.signed_targets[1]),
            _ => {
                let grow = |yi: i64| grown(yi as f64, year).round() as i64;
                (grow(city.funds_targets[1]), grow(city.signed_targets[1]))
            }
        };
        for city in CITIES {
            let (funds, signed) = of_city(city);
            targets.push(Target {
                region_code: city.code.to_string(),
                year: i64::from(year),
                funds_target: Some(funds * 100 * UNIT),
                signed_investment_target: Some(signed * 100 * UNIT),
            });
        }
        let round_up = |yi: i64| (yi + 9) / 10 * 10 * 100 * UNIT;
        targets.push(Target {
            region_code: "620000".to_string(),
            year: i64::from(year),
            funds_target: Some(round_up(CITIES.iter().map(|c| of_city(c).0).sum())),
            signed_investment_target: Some(round_up(CITIES.iter().map(|c| of_city(c).1).sum())),
        });
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use zhaoshang_core::metrics::{compute_figures, FundingFact, FundingSource, InvestmentReport, Period, ProjectFact};
    use zhaoshang_core::money::Yuan;
    use zhaoshang_core::projects::{validate_stage, Stage, StageDates};

    /// The pipeline as the demo generates it on the tests' day.
    fn generate() -> DemoPipeline {
        generate_on(today())
    }

    fn generate_on(today: NaiveDate) -> DemoPipeline {
        crate::demo::generate(today).pipeline
    }

    fn today() -> NaiveDate {
        crate::demo::test_today()
    }

    fn period(from: NaiveDate, to: NaiveDate) -> Period {
        Period::new(from, to).unwrap()
    }

    fn jan_oct(year: i32) -> Period {
        period(date(year, 1, 1), date(year, 10, 31))
    }

    /// The facts of one scope (a region prefix), as the metrics module takes them.
    fn facts(pipeline: &DemoPipeline, prefix: &str) -> (Vec<ProjectFact>, Vec<FundingFact>) {
        let mut ids = HashMap::new();
        let mut projects = Vec::new();
        for (index, project) in pipeline.projects.iter().enumerate() {
            if !project.region_code.starts_with(prefix) {
                continue;
            }
            ids.insert(project.code.as_str(), index as i64);
            projects.push(ProjectFact {
                id: index as i64,
                stage: Stage::parse(&project.stage).unwrap(),
                signed_on: project.signed_on,
                started_on: project.started_on,
                producing_on: project.producing_on,
                total_investment: Yuan(project.total_investment),
            });
        }
        let funding = pipeline
            .funding
            .iter()
            .filter_map(|row| {
                Some(FundingFact {
                    project_id: *ids.get(row.project_code.as_str())?,
                    date: row.funded_on,
                    amount: Yuan(row.amount),
                    source: FundingSource::parse(&row.source).unwrap(),
                })
            })
            .collect();
        (projects, funding)
    }

    fn percent(rate: Option<f64>) -> String {
        format!("{:.2}%", rate.unwrap() * 100.0)
    }

    fn three_decimals(rate: Option<f64>) -> String {
        format!("{:.3}", rate.unwrap())
    }

    #[test]
    fn tianshui_reproduces_the_published_january_october_2023_figures() {
        let pipeline = generate();
        let (projects, funding) = facts(&pipeline, "6205");
        let figures = compute_figures(&projects, &funding, jan_oct(2023));
        assert_eq!(figures.signed_count, 202);
        assert_eq!(figures.signed_investment, Yuan(68_429_000_000));
        assert_eq!(figures.signed_investment.yi_display(), "684.29");
        assert_eq!(figures.funds_in_place, Yuan(27_116_000_000));
        assert_eq!(figures.funds_in_place.yi_display(), "271.16");
        assert_eq!(figures.arrival_rate(), Some(27_116_000_000.0 / 68_429_000_000.0));
        assert_eq!(percent(figures.arrival_rate()), "39.63%");
        assert_eq!(figures.started_count, 202);
        assert_eq!(figures.start_rate(), Some(1.0));

        let report = InvestmentReport::compute("620500", &projects, &funding, jan_oct(2023), None);
        assert_eq!(report.signed_count, 202);
        assert_eq!(report.signed_investment_wan, "6842900.00");
        assert_eq!(report.funds_in_place_wan, "2711600.00");
        assert_eq!(report.start_rate, Some(1.0));
        // The year before exists, so 同比 is meaningful and positive.
        assert!(report.yoy.signed_investment_wan.unwrap() > 0.0);
        assert!(report.yoy.funds_in_place_wan.unwrap() > 0.0);
    }

    #[test]
    fn jiayuguan_reproduces_the_published_january_october_2023_figures() {
        let pipeline = generate();
        let (projects, funding) = facts(&pipeline, "6202");
        let current = compute_figures(&projects, &funding, jan_oct(2023));
        assert_eq!(current.signed_count, 67);
        assert_eq!(current.implementing_count, 67);
        assert_eq!(current.signed_investment, Yuan(43_950_000_000));
        assert_eq!(current.implementing_investment, Yuan(43_950_000_000));
        assert_eq!(current.implementing_investment.yi_display(), "439.50");
        assert_eq!(current.over_100m_count, 31);
        assert_eq!(current.funds_in_place, Yuan(16_040_000_000));
        assert_eq!(current.funds_in_place.yi_display(), "160.40");

        let previous = compute_figures(&projects, &funding, jan_oct(2022));
        assert_eq!(previous.signed_investment, Yuan(23_353_000_000));
        assert_eq!(previous.implementing_investment, Yuan(23_353_000_000));
        assert_eq!(previous.funds_in_place, Yuan(3_755_000_000));

        let target = pipeline
            .targets
            .iter()
            .find(|t| t.region_code == JIAYUGUAN && t.year == 2023)
            .and_then(|t| t.funds_target)
            .map(Yuan);
        let report = InvestmentReport::compute("620200", &projects, &funding, jan_oct(2023), target);
        assert_eq!(three_decimals(report.yoy.signed_investment_wan), "0.882");
        assert_eq!(three_decimals(report.yoy.implementing_investment_wan), "0.882");
        assert_eq!(three_decimals(report.yoy.funds_in_place_wan), "3.272");
        assert_eq!(report.implementing_count, 67);
        assert_eq!(report.over_100m_count, 31);

        // The year's funds target is met in September, three months early.
        let target = target.unwrap();
        let to_september = compute_figures(&[], &funding, period(date(2023, 1, 1), date(2023, 9, 30)));
        let to_august = compute_figures(&[], &funding, period(date(2023, 1, 1), date(2023, 8, 31)));
        assert!(to_september.funds_in_place >= target, "{:?} < {target:?}", to_september.funds_in_place);
        assert!(to_august.funds_in_place < target);
        let september_report = InvestmentReport::compute(
            "620200",
            &projects,
            &funding,
            period(date(2023, 1, 1), date(2023, 9, 30)),
            Some(target),
        );
        assert!(september_report.target_completion.unwrap() >= 1.0);
    }

    #[test]
    fn every_city_has_both_years_and_none_outgrows_tianshui() {
        let pipeline = generate();
        let (projects, funding) = facts(&pipeline, "6205");
        let tianshui = compute_figures(&projects, &funding, jan_oct(2023));
        for city in CITIES {
            let (projects, funding) = facts(&pipeline, &city.code[..4]);
            for year in [2022, 2023] {
                let figures = compute_figures(&projects, &funding, jan_oct(year));
                assert!(figures.signed_count > 0 && figures.funds_in_place.0 > 0, "{} {year}", city.name);
                assert!(figures.funds_outside_province.0 > 0, "{} {year}", city.name);
                assert!(figures.started_count > 0, "{} {year}", city.name);
            }
            let figures = compute_figures(&projects, &funding, jan_oct(2023));
            assert!(figures.signed_investment <= tianshui.signed_investment, "{}", city.name);
            assert!(figures.signed_count <= tianshui.signed_count, "{}", city.name);
            let rate = figures.arrival_rate().unwrap();
            assert!((0.2..0.6).contains(&rate), "{} arrival rate {rate}", city.name);
        }
        let (projects, funding) = facts(&pipeline, "62");
        let province = compute_figures(&projects, &funding, jan_oct(2023));
        assert!(province.signed_count > 600 && province.funds_in_place > tianshui.funds_in_place);
    }

    #[test]
    fn generation_is_deterministic() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.activities, b.activities);
        assert_eq!(a.projects, b.projects);
        assert_eq!(a.funding, b.funding);
        assert_eq!(a.targets, b.targets);
        let json = |p: &DemoPipeline| serde_json::to_string(&(&p.problems, &p.services)).unwrap();
        assert_eq!(json(&a), json(&b));
    }

    #[test]
    fn projects_are_valid_unique_and_spread_over_gansu() {
        let pipeline = generate();
        let published =
            pipeline.projects.iter().filter(|p| p.signed_on.is_none_or(|d| d.year() <= LAST_PUBLISHED_YEAR)).count();
        assert!((800..=1500).contains(&published), "{published}");
        let divisions = crate::reference_data::divisions().unwrap();
        let gansu: HashSet<&str> =
            divisions.iter().map(|d| d.code.as_str()).filter(|code| code.starts_with("62")).collect();
        let mut codes = HashSet::new();
        let mut stages: HashMap<&str, usize> = HashMap::new();
        for project in &pipeline.projects {
            assert!(codes.insert(project.code.as_str()), "duplicate code {}", project.code);
            let city = &project.region_code[..4];
            let year = project.signed_on.map(|d| d.year());
            assert!(project.code.starts_with(&format!("GS-{city}00-")), "{}", project.code);
            assert_eq!(project.code.len(), "GS-620500-2023-0001".len(), "{}", project.code);
            if let Some(year) = year {
                assert!(project.code.contains(&format!("-{year}-")), "{}", project.code);
            }
            assert!(gansu.contains(project.region_code.as_str()), "{}", project.region_code);
            assert_ne!(project.region_code, "620000");
            let stage = Stage::parse(&project.stage).unwrap();
            let dates = StageDates {
                signed_on: project.signed_on,
                started_on: project.started_on,
                producing_on: project.producing_on,
            };
            assert_eq!(validate_stage(stage, &dates, Some(Yuan(project.total_investment))), Ok(()), "{}", project.code);
            assert_eq!(stage == Stage::Dropped, !project.dropped_reason.is_empty(), "{}", project.code);
            if matches!(stage, Stage::Lead | Stage::Negotiating) {
                assert!(project.signed_on.is_none());
            }
            for date in [project.signed_on, project.started_on, project.producing_on].into_iter().flatten() {
                assert!(date >= self::date(2022, 1, 1) && date <= today(), "{}", project.code);
            }
            assert!(!project.name.is_empty() && !project.investor.is_empty() && !project.chain.is_empty());
            assert!(CHAINS.iter().any(|c| c.name == project.chain));
            assert!(SOURCES.iter().any(|(s, _)| *s == project.source) || project.source == "展会/节会");
            assert!(ORIGINS.iter().any(|(o, _, _)| *o == project.investor_origin), "{}", project.investor_origin);
            assert!(["民营", "国有", "外资", "港澳台", ""].contains(&project.investor_type.as_str()));
            assert_eq!(project.industry.len(), 2);
            if !project.investor_credit_code.is_empty() {
                zhaoshang_core::credit_code::parse(&project.investor_credit_code).unwrap();
            }
            *stages.entry(project.stage.as_str()).or_default() += 1;
        }
        for stage in Stage::ALL {
            assert!(stages.get(stage.key()).copied().unwrap_or(0) >= 10, "{stages:?}");
        }
        for city in CITIES {
            assert!(pipeline.projects.iter().any(|p| p.region_code.starts_with(&city.code[..4])), "{}", city.name);
        }
        // A county of 天水 carries projects, and 嘉峪关 (no counties) only its own code.
        assert!(pipeline.projects.iter().any(|p| p.region_code == "620503"));
        assert!(pipeline
            .projects
            .iter()
            .filter(|p| p.region_code.starts_with("6202"))
            .all(|p| p.region_code == JIAYUGUAN));
    }

    #[test]
    fn one_investor_is_claimed_by_two_regions() {
        let pipeline = generate();
        let mut regions: HashMap<&str, HashSet<&str>> = HashMap::new();
        for project in pipeline.projects.iter().filter(|p| !p.investor_credit_code.is_empty()) {
            regions.entry(project.investor_credit_code.as_str()).or_default().insert(&project.region_code[..4]);
        }
        let claimed_twice = regions.values().filter(|cities| cities.len() == 2).count();
        assert!(claimed_twice >= 2, "{claimed_twice}");
    }

    #[test]
    fn real_investors_of_the_seeds_appear() {
        let pipeline = generate();
        for name in ["宝武铝业", "祁连山水泥", "甘肃雨金", "河北文丰", "星火机床", "二一三电器"]
        {
            assert!(pipeline.projects.iter().any(|p| p.investor.contains(name)), "{name}");
        }
        assert!(pipeline.projects.iter().any(|p| p.source_org == "酒钢集团"));
    }

    #[test]
    fn funding_belongs_to_signed_projects_and_is_positive_and_distinct() {
        let pipeline = generate();
        let projects: HashMap<&str, &ProjectData> = pipeline.projects.iter().map(|p| (p.code.as_str(), p)).collect();
        let mut seen = HashSet::new();
        let mut by_source: HashMap<&str, i64> = HashMap::new();
        let mut funded: HashMap<&str, i64> = HashMap::new();
        for row in &pipeline.funding {
            let project = projects[row.project_code.as_str()];
            assert!(row.amount > 0);
            assert!(project.signed_on.is_some_and(|signed| signed <= row.funded_on), "{row:?}");
            assert!(row.funded_on <= today());
            assert_ne!(project.stage, "dropped");
            FundingSource::parse(&row.source).unwrap();
            assert!(seen.insert((&row.project_code, row.funded_on, row.amount, &row.source)), "{row:?}");
            *by_source.entry(row.source.as_str()).or_default() += row.amount;
            *funded.entry(row.project_code.as_str()).or_default() += row.amount;
        }
        for (code, amount) in funded {
            assert!(amount <= projects[code].total_investment, "{code}");
        }
        let total: i64 = by_source.values().sum();
        assert!(by_source["outside_province"] * 10 > total * 7, "{by_source:?}");
        assert!(by_source["abroad"] > 0 && by_source["within_province"] > 0, "{by_source:?}");
    }

    #[test]
    fn signings_at_activities_name_existing_activities_and_fall_on_their_days() {
        let pipeline = generate();
        let activities: HashMap<&str, &Activity> = pipeline.activities.iter().map(|a| (a.name.as_str(), a)).collect();
        assert_eq!(activities.len(), pipeline.activities.len());
        let fair = activities[LANZHOU_FAIR_2023];
        assert_eq!((fair.start_on, fair.end_on), (Some(date(2023, 7, 6)), Some(date(2023, 7, 10))));
        assert_eq!((fair.kind.as_str(), fair.place.as_str()), ("展会节会", "兰州"));
        let mut attributed = 0;
        for project in pipeline.projects.iter().filter(|p| !p.signing_activity.is_empty()) {
            let activity = activities[project.signing_activity.as_str()];
            let signed = project.signed_on.unwrap();
            assert!(activity.start_on.unwrap() <= signed && signed <= activity.end_on.unwrap(), "{}", project.code);
            attributed += 1;
        }
        let signed = pipeline.projects.iter().filter(|p| p.signed_on.is_some()).count();
        assert!(attributed * 100 > signed * 12 && attributed * 100 < signed * 40, "{attributed} of {signed}");
        for name in ["第二十八届兰洽会", LANZHOU_FAIR_2023, "第三十届兰洽会", "第三十二届兰洽会"]
        {
            assert!(pipeline.projects.iter().filter(|p| p.signing_activity == name).count() >= 40, "{name}");
        }
        // Counted and dated as the 2022 and 2023 fairs were.
        let fair_2022 = activities["第二十八届兰洽会"];
        assert_eq!((fair_2022.start_on, fair_2022.end_on), (Some(date(2022, 7, 7)), Some(date(2022, 7, 11))));
        assert_eq!(chinese_number(31), "三十一");
        // A fair yet to come is not there (nor any signing at it).
        let before_the_fair = generate_on(date(2026, 7, 5));
        assert!(before_the_fair.activities.iter().all(|a| a.end_on <= Some(date(2026, 7, 5))));
    }

    #[test]
    fn targets_cover_every_city_and_the_province_for_every_year_up_to_today() {
        let pipeline = generate();
        for year in 2022..=2026 {
            for region in CITIES.iter().map(|c| c.code).chain(["620000"]) {
                let target = pipeline.targets.iter().find(|t| t.region_code == region && t.year == year).unwrap();
                assert!(target.funds_target.unwrap() > 0 && target.signed_investment_target.unwrap() > 0);
            }
        }
        assert_eq!(pipeline.targets.len(), 5 * (CITIES.len() + 1));
        let tianshui = |year| pipeline.targets.iter().find(|t| t.region_code == TIANSHUI && t.year == year).unwrap();
        assert_eq!(tianshui(2023).funds_target, Some(300 * 100 * UNIT));
        assert!(tianshui(2026).funds_target > tianshui(2025).funds_target);
    }

    #[test]
    fn the_years_after_2023_run_up_to_today_in_every_city() {
        let today = today();
        let pipeline = generate();
        for city in CITIES {
            let (projects, funding) = facts(&pipeline, &city.code[..4]);
            for year in 2024..=2026 {
                let to = date(year, 12, 31).min(today);
                let figures = compute_figures(&projects, &funding, period(date(year, 1, 1), to));
                assert!(figures.signed_count > 0 && figures.funds_in_place.0 > 0, "{} {year}", city.name);
                assert!(figures.started_count > 0, "{} {year}", city.name);
            }
        }
        // Signings and funds every month of the province's year so far, none after today.
        let (projects, funding) = facts(&pipeline, "62");
        for month in 1..=12 {
            let from = date(2026, month, 1);
            let to = (from + Duration::days(31)).with_day(1).unwrap().pred_opt().unwrap().min(today);
            let figures = compute_figures(&projects, &funding, period(from, to));
            let least = if to == today { 1 } else { 20 };
            assert!(figures.signed_count >= least && figures.funds_in_place.0 > 0, "2026-{month:02}: {figures:?}");
        }
        let after = compute_figures(&projects, &funding, period(today.succ_opt().unwrap(), date(2030, 12, 31)));
        assert_eq!((after.signed_count, after.started_count, after.funds_in_place.0), (0, 0, 0), "nothing after today");
        // The projects of 2023 move on: most of those signed by October have started by now.
        let of_2023: Vec<&ProjectData> = pipeline
            .projects
            .iter()
            .filter(|p| p.signed_on.is_some_and(|d| d.year() == 2023) && p.stage != "dropped")
            .collect();
        let started = of_2023.iter().filter(|p| p.started_on.is_some()).count();
        assert!(started * 100 > of_2023.len() * 90, "{started} of {}", of_2023.len());
    }

    #[test]
    fn the_published_years_do_not_depend_on_today() {
        let (projects, funding) = facts(&generate(), "62");
        for other_day in [date(2023, 12, 31), date(2024, 2, 29), date(2025, 1, 1)] {
            let (other_projects, other_funding) = facts(&generate_on(other_day), "62");
            for period in [jan_oct(2022), jan_oct(2023), period(date(2022, 1, 1), date(2023, 12, 31))] {
                let figures = compute_figures(&projects, &funding, period);
                assert_eq!(compute_figures(&other_projects, &other_funding, period), figures, "{other_day} {period:?}");
            }
        }
        // Up to the end of 2023 there is nothing more to add.
        let at_the_end = generate_on(date(2023, 12, 31));
        assert!(at_the_end.projects.iter().all(|p| p.signed_on.is_none_or(|d| d.year() <= 2023)));
        assert_eq!(at_the_end.targets.len(), 2 * (CITIES.len() + 1));
    }

    #[test]
    fn problems_and_services_refer_to_projects() {
        let pipeline = generate();
        let codes: HashSet<&str> = pipeline.projects.iter().map(|p| p.code.as_str()).collect();
        assert!(pipeline.problems.len() >= 20 && pipeline.services.len() >= 20);
        for (code, _) in pipeline.problems.iter().map(|(c, p)| (c, p.status.as_str())) {
            assert!(codes.contains(code.as_str()));
        }
        for (code, service) in &pipeline.services {
            assert!(codes.contains(code.as_str()));
            assert!(["open", "done"].contains(&service.status.as_str()));
        }
        for (_, problem) in &pipeline.problems {
            assert!(["open", "coordinating", "resolved"].contains(&problem.status.as_str()));
        }
    }

    #[tokio::test]
    async fn demo_database_reports_the_tianshui_and_jiayuguan_figures() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("x.db").display());
        let started = std::time::Instant::now();
        let store = crate::open(&url, true).await.unwrap();
        eprintln!("demo database loaded in {:?}", started.elapsed());
        let pipeline = generate();
        for prefix in ["6205", "6202", "6209", "62"] {
            let (projects, funding) = facts(&pipeline, prefix);
            for period in [jan_oct(2023), jan_oct(2022)] {
                let expected = compute_figures(&projects, &funding, period);
                let stored = store.investment_figures(prefix, None, period).await.unwrap();
                assert_eq!(stored, expected, "{prefix} {period:?}");
            }
        }
        let tianshui = store.investment_figures("6205", None, jan_oct(2023)).await.unwrap();
        assert_eq!(tianshui.signed_count, 202);
        assert_eq!(tianshui.signed_investment, Yuan(68_429_000_000));
        assert_eq!(tianshui.funds_in_place, Yuan(27_116_000_000));
        let code = &pipeline.problems[0].0;
        let project = store.project_by_code(code).await.unwrap().unwrap();
        assert!(!store.problems_of_project(project.id).await.unwrap().is_empty());
        // A second start finds the demo in place and changes nothing.
        drop(store);
        let store = crate::open(&url, true).await.unwrap();
        let again = store.investment_figures("6205", None, jan_oct(2023)).await.unwrap();
        assert_eq!(again, tianshui);
    }
}
