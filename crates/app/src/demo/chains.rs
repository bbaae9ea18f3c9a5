//! Demo industrial chains modelled on the seeds: 白银市's 12 key chains with 42 sub-chains,
//! 嘉峪关市's "2+6+N" (钢铁 and 铝 led by 酒钢), 天水市's 电工电器 and 数控机床 chains.
//!
//! Each link says how present the city is meant to be on it; local enterprises of the demo
//! library are attached accordingly, so the gap analysis shows strong, weak, missing and
//! extension links. Everything goes through the store's write paths and depends only on the
//! (deterministic) demo library, so the chains are the same on every start.

use super::accounts::CHAIN_DEPARTMENT;
use super::enterprises::named_credit_code;
use crate::AppResult;
use std::collections::HashMap;
use zhaoshang_core::chains::{GapThresholds, LinkRole, NodeKind, Segment};
use zhaoshang_store::chains::{ChainData, ChainImport, ChainNodeData, Relation};
use zhaoshang_store::enterprises::{Enterprise, EnterpriseFilter, EnterpriseSort};
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::projects::ProjectUpsert;
use zhaoshang_store::{Actor, Store};

/// The 白银 chain and its missing link that demos (and the browser test) open.
pub const BAIYIN_METALS: &str = "白银市有色金属产业链";
pub const MISSING_LINK: &str = "高精铝板带箔";

/// How present the chain's city is meant to be on a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    /// Three or four local enterprises, one of them of 10 亿元 revenue or more.
    Strong,
    /// One or two small local enterprises.
    Weak,
    /// None: missing, or an extension when a strong link precedes it in its sub-chain.
    Absent,
}

use Presence::{Absent, Strong, Weak};

struct Link {
    name: &'static str,
    segment: Segment,
    industry: &'static str,
    /// The products the link needs (产品关键词); empty for any enterprise of the industry.
    products: &'static str,
    presence: Presence,
}

const fn up(name: &'static str, industry: &'static str, presence: Presence) -> Link {
    Link { name, segment: Segment::Upstream, industry, products: "", presence }
}

const fn mid(name: &'static str, industry: &'static str, presence: Presence) -> Link {
    Link { name, segment: Segment::Midstream, industry, products: "", presence }
}

const fn down(name: &'static str, industry: &'static str, presence: Presence) -> Link {
    Link { name, segment: Segment::Downstream, industry, products: "", presence }
}

impl Link {
    /// The link naming the products it needs: only enterprises making them are its targets.
    const fn needing(self, products: &'static str) -> Link {
        Link { products, ..self }
    }
}

struct SubChain {
    name: &'static str,
    links: &'static [Link],
}

const fn sub(name: &'static str, links: &'static [Link]) -> SubChain {
    SubChain { name, links }
}

struct DemoChain {
    region: &'static str,
    name: &'static str,
    department: &'static str,
    /// 链长: a title and a generic surname, no real person.
    chief: &'static str,
    /// Names of demo library enterprises (链主企业).
    leaders: &'static [&'static str],
    subs: &'static [SubChain],
}

pub(super) const BAIYIN: &str = "620400";
const JIAYUGUAN: &str = "620200";
pub(super) const TIANSHUI: &str = "620500";
const JISCO: &str = "酒泉钢铁（集团）有限责任公司";
const BAIYIN_NONFERROUS: &str = "白银有色集团股份有限公司";

const CHAINS: &[DemoChain] = &[
    DemoChain {
        region: BAIYIN,
        name: BAIYIN_METALS,
        department: "白银市工业和信息化局",
        chief: "市委书记 王某某",
        leaders: &[BAIYIN_NONFERROUS],
        subs: &[
            sub(
                "铜冶炼及精深加工",
                &[
                    up("铜精矿采选", "09", Strong),
                    mid("阴极铜冶炼", "32", Strong),
                    down("铜杆线材", "32", Weak),
                    down("高精度铜板带", "32", Absent),
                    down("电子铜箔", "32", Absent),
                ],
            ),
            sub(
                "铅锌冶炼及综合回收",
                &[
                    up("铅锌精矿采选", "09", Weak),
                    mid("电解锌冶炼", "32", Strong),
                    mid("稀贵金属综合回收", "32", Weak),
                    down("锌基合金材料", "32", Absent),
                ],
            ),
            sub(
                "铝及铝合金精深加工",
                &[up("电解铝", "32", Absent), mid(MISSING_LINK, "32", Absent), down("汽车轻量化铝型材", "32", Absent)],
            ),
            sub(
                "金属新材料",
                &[
                    mid("金属粉体材料", "32", Weak),
                    down("高纯金属靶材", "32", Absent),
                    down("铜基复合材料", "32", Absent),
                ],
            ),
            sub(
                "再生金属循环利用",
                &[
                    up("废旧金属回收拆解", "42", Weak),
                    mid("再生铜铝冶炼", "42", Absent),
                    down("冶炼渣综合利用", "42", Absent),
                ],
            ),
        ],
    },
    DemoChain {
        region: BAIYIN,
        name: "白银市稀土产业链",
        department: "白银市工业和信息化局",
        chief: "市委副书记 李某某",
        leaders: &["甘肃稀土新材料股份有限公司"],
        subs: &[
            sub(
                "稀土采选冶炼",
                &[up("稀土精矿", "09", Weak), mid("稀土冶炼分离", "32", Strong), down("稀土金属", "32", Weak)],
            ),
            sub(
                "稀土永磁材料",
                &[
                    up("钕铁硼速凝薄片", "32", Absent),
                    mid("烧结钕铁硼磁体", "32", Absent),
                    down("稀土永磁电机", "38", Absent).needing("稀土永磁电机、永磁电机、永磁同步电机"),
                ],
            ),
            sub("稀土催化与抛光材料", &[mid("稀土抛光粉", "32", Strong), down("稀土催化材料", "26", Absent)]),
            sub("稀土发光与储氢材料", &[mid("稀土发光材料", "32", Weak), down("稀土储氢合金", "32", Absent)]),
        ],
    },
    DemoChain {
        region: BAIYIN,
        name: "白银市新材料产业链",
        department: "白银市工业和信息化局",
        chief: "副市长 张某某",
        leaders: &[],
        subs: &[
            sub(
                "锂电池材料",
                &[
                    mid("锂电正极材料", "26", Weak),
                    mid("锂电负极材料", "30", Absent),
                    mid("电解液", "26", Absent),
                    down("动力电池回收", "42", Absent),
                ],
            ),
            sub("先进碳材料", &[up("针状焦", "25", Absent), mid("石墨电极", "30", Weak), down("碳纤维", "30", Absent)]),
            sub("聚氨酯材料", &[up("聚氨酯原料", "26", Strong), down("聚氨酯弹性体", "26", Absent)]),
            sub("含能材料", &[mid("工业含能材料", "26", Weak), down("民用爆破器材", "26", Absent)]),
        ],
    },
    DemoChain {
        region: BAIYIN,
        name: "白银市精细化工产业链",
        department: "白银市工业和信息化局",
        chief: "副市长 赵某某",
        leaders: &["甘肃银光化学工业集团有限公司"],
        subs: &[
            sub(
                "氟化工",
                &[up("无水氟化氢", "26", Weak), mid("含氟精细化学品", "26", Absent), down("含氟聚合物", "26", Absent)],
            ),
            sub("煤化工", &[up("煤炭开采", "06", Strong), mid("焦化", "25", Weak), down("煤焦油深加工", "25", Absent)]),
            sub(
                "硫磷化工",
                &[up("冶炼烟气制酸", "26", Strong), mid("磷酸盐", "26", Absent), down("水处理剂", "26", Absent)],
            ),
            sub("医药农药中间体", &[mid("医药中间体", "27", Weak), down("农药原药", "26", Absent)]),
        ],
    },
    DemoChain {
        region: BAIYIN,
        name: "白银市生物医药产业链",
        department: "白银市卫生健康委员会",
        chief: "副市长 刘某某",
        leaders: &[],
        subs: &[
            sub(
                "中药材及中成药",
                &[up("中药材种植", "01", Weak), mid("中药饮片", "27", Weak), down("中成药", "27", Absent)],
            ),
            sub("原料药及制剂", &[mid("原料药", "27", Absent), down("化学制剂", "27", Absent)]),
            sub("医疗器械", &[mid("医用耗材", "35", Absent), down("康复器械", "35", Absent)]),
        ],
    },
    DemoChain {
        region: BAIYIN,
        name: "白银市新能源产业链",
        department: "白银市发展和改革委员会",
        chief: "副市长 陈某某",
        leaders: &["甘肃能化股份有限公司"],
        subs: &[
            sub(
                "风电",
                &[up("风电装备制造", "34", Weak), mid("风力发电", "44", Strong), down("风电运维服务", "44", Absent)],
            ),
            sub(
                "光伏",
                &[up("光伏组件", "38", Absent), mid("光伏发电", "44", Weak), down("光伏治沙综合利用", "44", Absent)],
            ),
            sub("储能", &[up("储能电池", "38", Absent), mid("共享储能电站", "44", Weak)]),
            sub(
                "氢能",
                &[up("绿电制氢", "44", Absent), mid("氢能储运", "44", Absent), down("氢燃料电池", "38", Absent)],
            ),
        ],
    },
    DemoChain {
        region: BAIYIN,
        name: "白银市装备制造产业链",
        department: "白银市工业和信息化局",
        chief: "副市长 张某某",
        leaders: &[],
        subs: &[
            sub(
                "矿山冶金装备",
                &[mid("矿山机械", "35", Weak), mid("冶金专用设备", "35", Weak), down("智能化改造服务", "65", Absent)],
            ),
            sub("通用设备", &[mid("泵阀", "34", Weak), mid("减速机", "34", Absent)]),
            sub("汽车零部件", &[mid("铝合金轮毂", "36", Absent), mid("汽车线束", "36", Absent)]),
        ],
    },
    DemoChain {
        region: BAIYIN,
        name: "白银市绿色食品产业链",
        department: "白银市农业农村局",
        chief: "副市长 刘某某",
        leaders: &[],
        subs: &[
            sub(
                "肉羊",
                &[up("肉羊养殖", "03", Weak), mid("屠宰及精深加工", "13", Weak), down("冷链配送", "59", Absent)],
            ),
            sub(
                "果蔬及小杂粮",
                &[up("设施蔬菜", "01", Weak), mid("果蔬加工", "13", Absent), mid("小杂粮加工", "13", Absent)],
            ),
            sub("枸杞及特色饮品", &[up("枸杞种植", "01", Weak), mid("特色饮品", "15", Absent)]),
        ],
    },
    DemoChain {
        region: BAIYIN,
        name: "白银市文旅康养产业链",
        department: "白银市文体广电和旅游局",
        chief: "副市长 孙某某",
        leaders: &[],
        subs: &[
            sub(
                "黄河风情旅游",
                &[mid("景区开发", "78", Weak), down("旅游住宿", "61", Weak), down("文旅综合体", "90", Absent)],
            ),
            sub("工业遗产旅游", &[mid("工业遗址保护利用", "78", Absent), down("文化演艺", "88", Absent)]),
            sub("康养服务", &[mid("温泉康养", "84", Absent), down("养老服务", "85", Absent)]),
        ],
    },
    DemoChain {
        region: BAIYIN,
        name: "白银市现代物流产业链",
        department: "白银市商务局",
        chief: "副市长 孙某某",
        leaders: &[],
        subs: &[
            sub(
                "陆港物流",
                &[up("铁路货运场站", "53", Weak), mid("多式联运", "58", Weak), down("保税物流", "59", Absent)],
            ),
            sub("冷链物流", &[mid("冷库仓储", "59", Absent), down("冷链运输", "54", Absent)]),
            sub("电商物流", &[mid("快递分拨", "60", Weak), down("供应链管理", "72", Absent)]),
        ],
    },
    DemoChain {
        region: BAIYIN,
        name: "白银市数字经济产业链",
        department: "白银市工业和信息化局",
        chief: "副市长 陈某某",
        leaders: &[],
        subs: &[
            sub("算力基础设施", &[mid("数据中心", "64", Absent), down("算力服务", "64", Absent)]),
            sub("电子信息制造", &[mid("电子元器件", "39", Weak), down("智能终端", "39", Absent)]),
            sub("软件和信息服务", &[mid("工业互联网平台", "64", Absent), down("软件开发", "65", Weak)]),
        ],
    },
    DemoChain {
        region: BAIYIN,
        name: "白银市建材产业链",
        department: "白银市工业和信息化局",
        chief: "副市长 赵某某",
        leaders: &[],
        subs: &[
            sub(
                "水泥及制品",
                &[up("石灰石开采", "10", Weak), mid("水泥熟料", "30", Strong), down("商品混凝土", "30", Absent)],
            ),
            sub("新型墙材", &[mid("蒸压加气砌块", "30", Weak), down("装配式建筑构件", "30", Absent)]),
            sub("固废建材", &[mid("冶炼渣建材", "30", Absent), down("矿渣微粉", "30", Absent)]),
        ],
    },
    DemoChain {
        region: JIAYUGUAN,
        name: "嘉峪关市钢铁产业链",
        department: "嘉峪关市工业和信息化局",
        chief: "市委书记 周某某",
        leaders: &[JISCO],
        subs: &[
            sub("钢铁冶炼", &[up("铁矿采选", "08", Weak), up("烧结球团", "31", Weak), mid("炼铁炼钢", "31", Strong)]),
            sub(
                "不锈钢",
                &[
                    mid("不锈钢冶炼", "31", Strong),
                    down("精密不锈钢板带", "31", Weak),
                    down("不锈钢制品", "33", Absent),
                ],
            ),
            sub(
                "钢材深加工",
                &[mid("热轧卷板", "31", Strong), down("冷轧镀锌板", "31", Absent), down("钢结构", "33", Weak)],
            ),
        ],
    },
    DemoChain {
        region: JIAYUGUAN,
        name: "嘉峪关市铝产业链",
        department: "嘉峪关市工业和信息化局",
        chief: "市长 吴某某",
        leaders: &[JISCO],
        subs: &[
            sub("氧化铝及电解铝", &[up("氧化铝", "32", Weak), mid("电解铝冶炼", "32", Strong)]),
            sub(
                "铝精深加工",
                &[
                    mid("铝合金扁锭", "32", Strong),
                    down("铝板带箔", "32", Absent),
                    down("汽车轻量化铝部件", "36", Absent),
                ],
            ),
            sub("炭素及配套", &[up("预焙阳极", "30", Weak), down("铝灰渣综合利用", "42", Absent)]),
        ],
    },
    DemoChain {
        region: JIAYUGUAN,
        name: "嘉峪关市新能源产业链",
        department: "嘉峪关市发展和改革委员会",
        chief: "副市长 郑某某",
        leaders: &[],
        subs: &[
            sub(
                "风光发电",
                &[mid("光伏发电", "44", Weak), mid("风力发电", "44", Weak), down("储能电站", "44", Absent)],
            ),
            sub("新能源装备", &[up("光伏支架", "33", Absent), up("风电塔筒", "34", Weak)]),
        ],
    },
    DemoChain {
        region: JIAYUGUAN,
        name: "嘉峪关市装备制造产业链",
        department: "嘉峪关市工业和信息化局",
        chief: "副市长 郑某某",
        leaders: &[],
        subs: &[sub(
            "冶金装备",
            &[up("铸锻件", "33", Weak), mid("冶金设备维修", "35", Weak), down("智能装备", "34", Absent)],
        )],
    },
    DemoChain {
        region: JIAYUGUAN,
        name: "嘉峪关市化工产业链",
        department: "嘉峪关市工业和信息化局",
        chief: "副市长 王某某",
        leaders: &[],
        subs: &[sub(
            "煤焦化工",
            &[up("焦化及煤焦油", "25", Weak), mid("焦炉煤气制氢", "26", Absent), down("精细化学品", "26", Absent)],
        )],
    },
    DemoChain {
        region: JIAYUGUAN,
        name: "嘉峪关市文旅产业链",
        department: "嘉峪关市文体广电和旅游局",
        chief: "副市长 冯某某",
        leaders: &[],
        subs: &[sub(
            "长城文化旅游",
            &[mid("关城景区", "78", Weak), down("旅游住宿", "61", Weak), down("文旅演艺", "88", Absent)],
        )],
    },
    DemoChain {
        region: JIAYUGUAN,
        name: "嘉峪关市现代物流产业链",
        department: "嘉峪关市商务局",
        chief: "副市长 冯某某",
        leaders: &[],
        subs: &[sub(
            "陆港物流",
            &[mid("钢铁物流", "58", Weak), mid("陆港多式联运", "58", Absent), down("冷链仓储", "59", Absent)],
        )],
    },
    DemoChain {
        region: JIAYUGUAN,
        name: "嘉峪关市农产品加工产业链",
        department: "嘉峪关市农业农村局",
        chief: "副市长 王某某",
        leaders: &[],
        subs: &[
            sub("戈壁农业", &[up("设施蔬菜", "01", Weak), mid("果蔬加工", "13", Absent)]),
            sub("畜牧养殖加工", &[up("肉牛养殖", "03", Absent), mid("肉类加工", "13", Absent)]),
        ],
    },
    DemoChain {
        region: TIANSHUI,
        name: "天水市电工电器产业链",
        department: "天水市工业和信息化局",
        chief: "市委副书记 赵某某",
        leaders: &["天水二一三电器有限公司"],
        subs: &[
            sub(
                "低压电器",
                &[
                    up("电器元件及触头材料", "38", Weak),
                    mid("低压电器整机", "38", Strong),
                    down("智能配电系统", "38", Absent),
                ],
            ),
            sub(
                "高压开关及成套设备",
                &[mid("高压开关", "38", Weak), mid("成套开关设备", "38", Weak), down("智能电网设备", "38", Absent)],
            ),
            sub("轨道交通电器", &[mid("机车电器", "38", Weak), down("牵引变流器", "38", Absent)]),
            sub("新能源电器", &[mid("光伏逆变器", "38", Absent), down("充电桩", "38", Absent)]),
        ],
    },
    DemoChain {
        region: TIANSHUI,
        name: "天水市数控机床产业链",
        department: "天水市工业和信息化局",
        chief: "副市长 钱某某",
        leaders: &["天水星火机床有限责任公司"],
        subs: &[
            sub(
                "功能部件",
                &[up("机床铸件", "33", Weak), up("数控系统", "34", Absent), up("滚珠丝杠及导轨", "34", Absent)],
            ),
            sub(
                "整机制造",
                &[
                    mid("数控车床", "34", Strong),
                    mid("成形机床", "34", Weak),
                    mid("加工中心", "34", Absent),
                    down("机床再制造", "34", Absent),
                ],
            ),
            sub("应用服务", &[down("智能制造系统集成", "65", Absent), down("工业软件", "65", Absent)]),
        ],
    },
];

/// Demo pipeline projects moved onto demo links (their chain and link text only):
/// (city, pipeline chain, pipeline link, demo chain, demo link). Only links that the city
/// holds, so that no project fills a link meant to be missing.
const PROJECT_LINKS: &[(&str, &str, &str, &str, &str)] = &[
    (BAIYIN, "冶金有色", "铜加工", BAIYIN_METALS, "铜杆线材"),
    (BAIYIN, "冶金有色", "再生金属", BAIYIN_METALS, "废旧金属回收拆解"),
    (BAIYIN, "新材料", "稀土功能材料", "白银市稀土产业链", "稀土抛光粉"),
    (BAIYIN, "新材料", "电池材料", "白银市新材料产业链", "锂电正极材料"),
    (BAIYIN, "新材料", "碳材料", "白银市新材料产业链", "石墨电极"),
    (BAIYIN, "新材料", "新型建材", "白银市建材产业链", "蒸压加气砌块"),
    (BAIYIN, "石化化工", "精细化工", "白银市精细化工产业链", "医药中间体"),
    (BAIYIN, "生物医药", "中药饮片", "白银市生物医药产业链", "中药饮片"),
    (BAIYIN, "新能源及其装备制造", "风电", "白银市新能源产业链", "风力发电"),
    (BAIYIN, "新能源及其装备制造", "光伏发电", "白银市新能源产业链", "光伏发电"),
    (BAIYIN, "新能源及其装备制造", "储能", "白银市新能源产业链", "共享储能电站"),
    (BAIYIN, "装备制造", "通用设备", "白银市装备制造产业链", "泵阀"),
    (BAIYIN, "特色农产品及食品加工", "肉类加工", "白银市绿色食品产业链", "屠宰及精深加工"),
    (JIAYUGUAN, "冶金有色", "不锈钢", "嘉峪关市钢铁产业链", "精密不锈钢板带"),
    (JIAYUGUAN, "冶金有色", "金属制品", "嘉峪关市钢铁产业链", "钢结构"),
    (JIAYUGUAN, "冶金有色", "氧化铝", "嘉峪关市铝产业链", "氧化铝"),
    (JIAYUGUAN, "冶金有色", "铝加工", "嘉峪关市铝产业链", "铝合金扁锭"),
    (JIAYUGUAN, "新能源及其装备制造", "光伏发电", "嘉峪关市新能源产业链", "光伏发电"),
    (JIAYUGUAN, "新能源及其装备制造", "风电", "嘉峪关市新能源产业链", "风力发电"),
    (JIAYUGUAN, "文化旅游", "景区开发", "嘉峪关市文旅产业链", "关城景区"),
    (TIANSHUI, "装备制造", "数控机床", "天水市数控机床产业链", "数控车床"),
    (TIANSHUI, "装备制造", "电工电器", "天水市电工电器产业链", "低压电器整机"),
];

/// Who already knows some targets of the demo's gap links: (enterprise, kind, holder).
const RELATIONS: &[(&str, &str, &str)] = &[
    ("中国铝业股份有限公司", "委员", "省政协委员 刘某某"),
    ("宁波韵升股份有限公司", "商会", "宁波市甘肃商会"),
    ("江西金力永磁科技股份有限公司", "招商顾问", "省政协港澳委员 陈某某"),
    ("正泰电器股份有限公司", "商会", "浙江省甘肃商会"),
];

/// Outside-Gansu targets of the missing link that get a relationship too, best base score first.
const MISSING_LINK_RELATIONS: &[(&str, &str)] =
    &[("商会", "上海市甘肃商会"), ("招商顾问", "省政协港澳委员 黄某某"), ("委员", "省政协委员 何某某")];

/// Loads the demo chains, their enterprises and projects, relationships, and gives the
/// chain department its chains.
pub(super) async fn load(store: &Store, actor: &Actor) -> AppResult<()> {
    let imports: Vec<ChainImport> = CHAINS.iter().map(chain_import).collect();
    let chain_ids = store.import_chains(&imports, actor).await?;
    attach_local_enterprises(store, actor).await?;
    hang_projects(store, actor).await?;
    add_relations(store, actor).await?;
    if let Some(user) = store.user_by_name(CHAIN_DEPARTMENT).await? {
        store.set_user_chains(user.id, &chain_ids, actor).await?;
    }
    Ok(())
}

fn chain_import(chain: &DemoChain) -> ChainImport {
    let mut nodes = Vec::new();
    for sub in chain.subs {
        nodes.push(ChainNodeData {
            name: sub.name.to_string(),
            parent: String::new(),
            kind: NodeKind::SubChain.key().to_string(),
            segment: None,
            industry: String::new(),
            products: String::new(),
        });
        nodes.extend(sub.links.iter().map(|link| ChainNodeData {
            name: link.name.to_string(),
            parent: sub.name.to_string(),
            kind: NodeKind::Link.key().to_string(),
            segment: Some(link.segment.key().to_string()),
            industry: link.industry.to_string(),
            products: link.products.to_string(),
        }));
    }
    ChainImport {
        chain: ChainData {
            name: chain.name.to_string(),
            region_code: chain.region.to_string(),
            lead_department: chain.department.to_string(),
            chief: chain.chief.to_string(),
            description: format!("{}重点产业链，实行链长制，由{}牵头推进。", chain.name, chain.department),
        },
        nodes,
        leaders: chain.leaders.iter().map(|name| library_code(name)).collect(),
    }
}

/// The credit code of a named enterprise of the demo library.
pub(super) fn library_code(name: &str) -> String {
    named_credit_code(name).unwrap_or_else(|| panic!("{name} is in the demo enterprise library"))
}

/// Picks local enterprises for links, spreading them: the least used candidate first.
struct Picker {
    locals: Vec<Enterprise>,
    used: HashMap<i64, u32>,
}

impl Picker {
    fn revenue(enterprise: &Enterprise) -> i64 {
        enterprise.data.revenue.unwrap_or(0)
    }

    /// The least used local enterprise matching `wanted` and not in `chosen` (the library is
    /// read biggest first, so ties go to the bigger one).
    fn take(&mut self, chosen: &[i64], wanted: impl Fn(&Enterprise) -> bool) -> Option<i64> {
        let used = &self.used;
        let best = self
            .locals
            .iter()
            .filter(|e| !chosen.contains(&e.id) && wanted(e))
            .min_by_key(|e| used.get(&e.id).copied().unwrap_or(0))?;
        let id = best.id;
        *self.used.entry(id).or_default() += 1;
        Some(id)
    }

    /// Enterprises and roles for a link: a strong one gets a big enterprise (of its industry
    /// when there is one) and two or three more; a weak one one or two small ones.
    fn pick(&mut self, link: &Link, index: usize) -> Vec<(i64, LinkRole)> {
        let strong_revenue = GapThresholds::default().min_revenue.0;
        let big = |e: &Enterprise| Picker::revenue(e) >= strong_revenue;
        // Two small ones stay below the strong revenue, whatever projects add to the count.
        let small = |e: &Enterprise| Picker::revenue(e) < strong_revenue / 3;
        let same = |e: &Enterprise| e.data.industry == link.industry;
        let (first, count) = match link.presence {
            Absent => return Vec::new(),
            Strong => (self.take(&[], |e| same(e) && big(e)).or_else(|| self.take(&[], big)), 3 + index % 2),
            Weak => (self.take(&[], |e| same(e) && small(e)).or_else(|| self.take(&[], small)), 1 + index % 2),
        };
        let mut chosen: Vec<i64> = first.into_iter().collect();
        while chosen.len() < count {
            let next = match link.presence {
                Strong => self.take(&chosen, same).or_else(|| self.take(&chosen, |e| !big(e))),
                _ => self.take(&chosen, |e| same(e) && small(e)).or_else(|| self.take(&chosen, small)),
            };
            let Some(id) = next else { break };
            chosen.push(id);
        }
        chosen
            .into_iter()
            .enumerate()
            .map(|(position, id)| (id, if position % 2 == 0 { LinkRole::Producer } else { LinkRole::Supplier }))
            .collect()
    }
}

/// Local enterprises of a city, biggest first.
async fn local_enterprises(store: &Store, city: &str) -> AppResult<Vec<Enterprise>> {
    let filter = EnterpriseFilter { region_prefix: city[..4].to_string(), ..Default::default() };
    Ok(store.list_enterprises(&filter, EnterpriseSort::RevenueDesc, 5_000, 0).await?)
}

async fn attach_local_enterprises(store: &Store, actor: &Actor) -> AppResult<()> {
    let mut links = Vec::new();
    for city in [BAIYIN, JIAYUGUAN, TIANSHUI] {
        let mut picker = Picker { locals: local_enterprises(store, city).await?, used: HashMap::new() };
        for chain in CHAINS.iter().filter(|chain| chain.region == city) {
            let nodes = node_ids(store, chain.name).await?;
            for (index, link) in chain.subs.iter().flat_map(|sub| sub.links).enumerate() {
                for (enterprise, role) in picker.pick(link, index) {
                    links.push((nodes[link.name], enterprise, role.key().to_string()));
                }
            }
        }
    }
    store.attach_enterprises(&links, actor).await?;
    Ok(())
}

/// The node ids of a stored chain by node name.
pub(super) async fn node_ids(store: &Store, chain: &str) -> AppResult<HashMap<String, i64>> {
    let Some(stored) = store.chain_by_name(chain).await? else {
        return Ok(HashMap::new());
    };
    Ok(store.chain_nodes(stored.id).await?.into_iter().map(|node| (node.name, node.id)).collect())
}

async fn hang_projects(store: &Store, actor: &Actor) -> AppResult<()> {
    let mut moved = Vec::new();
    for &(city, from_chain, from_link, chain, link) in PROJECT_LINKS {
        let filter = ProjectFilter {
            region_prefix: city[..4].to_string(),
            chain: Some(from_chain.to_string()),
            ..Default::default()
        };
        for project in store.list_projects(&filter, ProjectSort::Code, 1_000, 0).await? {
            if project.data.chain_node == from_link {
                let mut data = project.data;
                data.chain = chain.to_string();
                data.chain_node = link.to_string();
                moved.push(ProjectUpsert { data, note: "演示数据：挂接到产业链环节".to_string() });
            }
        }
    }
    store.upsert_projects(&moved, actor).await?;
    Ok(())
}

async fn add_relations(store: &Store, actor: &Actor) -> AppResult<()> {
    let mut relations = Vec::new();
    for &(name, kind, holder) in RELATIONS {
        if let Some(enterprise) = store.enterprise_by_code(&library_code(name)).await? {
            relations.push(Relation { enterprise_id: enterprise.id, kind: kind.into(), holder: holder.into() });
        }
    }
    let link = CHAINS.iter().flat_map(|c| c.subs).flat_map(|s| s.links).find(|l| l.name == MISSING_LINK);
    let industry = link.map_or("32", |link| link.industry);
    // Every other of the best candidates outside Gansu, so that relationships move some up.
    let candidates =
        store.target_candidates(industry, &[], "62", (i64::MAX, 0), 2 * MISSING_LINK_RELATIONS.len() as i64).await?;
    for (candidate, &(kind, holder)) in candidates.iter().skip(1).step_by(2).zip(MISSING_LINK_RELATIONS) {
        relations.push(Relation { enterprise_id: candidate.id, kind: kind.into(), holder: holder.into() });
    }
    store.add_relations(&relations, actor).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn baiyin_runs_12_chains_with_42_sub_chains_of_2_to_5_links() {
        let baiyin: Vec<&DemoChain> = CHAINS.iter().filter(|chain| chain.region == BAIYIN).collect();
        assert_eq!(baiyin.len(), 12);
        assert_eq!(baiyin.iter().map(|chain| chain.subs.len()).sum::<usize>(), 42);
        for chain in CHAINS {
            let mut names = HashSet::new();
            for sub in chain.subs {
                assert!((1..=5).contains(&sub.links.len()), "{}", sub.name);
                assert!(names.insert(sub.name), "{}: {}", chain.name, sub.name);
                for link in sub.links {
                    assert!(names.insert(link.name), "{}: {}", chain.name, link.name);
                    assert_eq!(link.industry.len(), 2);
                }
            }
        }
        let names: HashSet<&str> = CHAINS.iter().map(|chain| chain.name).collect();
        assert_eq!(names.len(), CHAINS.len(), "chain names are unique");
    }

    #[test]
    fn projects_only_move_onto_links_the_city_holds() {
        for &(city, _, _, chain, link) in PROJECT_LINKS {
            let chain = CHAINS.iter().find(|c| c.name == chain && c.region == city).unwrap();
            let link = chain.subs.iter().flat_map(|s| s.links).find(|l| l.name == link).unwrap();
            assert_ne!(link.presence, Absent, "{}", link.name);
        }
        for name in CHAINS.iter().flat_map(|c| c.leaders) {
            library_code(name);
        }
    }
}
