//! The columns of each list (SPEC "Interfaces that other tools rely on"): Chinese
//! header, English key, whether the column must be present, and an example value.

use super::table::{normalize_header, Sheet, SheetRow};
use super::{ImportKind, ImportReport};
use serde::Serialize;
use std::collections::HashMap;
use zhaoshang_core::chains::tree;
use zhaoshang_core::money::{MoneyUnit, Yuan};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ColumnSpec {
    pub key: &'static str,
    pub header: &'static str,
    /// The column must be present (and its cells filled).
    pub required: bool,
    /// Written by export (a column that only steers the import is not).
    pub exported: bool,
    /// Read by import (a column the export computes is not: it is recognised and ignored).
    pub imported: bool,
    /// How to fill it, for the template's instructions.
    pub note: &'static str,
    /// The template's example row.
    pub example: &'static str,
}

const fn col(key: &'static str, header: &'static str, note: &'static str, example: &'static str) -> ColumnSpec {
    ColumnSpec { key, header, required: false, exported: true, imported: true, note, example }
}

const fn required(key: &'static str, header: &'static str, note: &'static str, example: &'static str) -> ColumnSpec {
    ColumnSpec { key, header, required: true, exported: true, imported: true, note, example }
}

/// The usual 项目来源, offered by the template's drop-down list (others are allowed).
pub const PROJECT_SOURCES: &[&str] =
    &["商会", "招商顾问", "驻点招商", "展会/节会", "委托招商", "以商招商", "自主招商", "网上选地"];

const DATE_NOTE: &str = "日期，如 2024-03-01、2024/3/1 或 2024年3月1日";

pub const PROJECT_COLUMNS: &[ColumnSpec] = &[
    required("code", "项目编号", "唯一编号；已有编号的行更新该项目", "TS-2024-001"),
    required("name", "项目名称", "必填", "年产10万吨新型建材项目"),
    required("region", "所属地区", "6位行政区划代码或全称，如 620503 或 麦积区", "620503"),
    col("park", "所属园区", "", "天水经济技术开发区"),
    col("chain", "产业链", "", "新材料"),
    col("chain_node", "产业链环节", "", "新型建材"),
    col("investor", "投资方", "", "某某建材集团有限公司"),
    col("investor_credit_code", "投资方信用代码", "18位统一社会信用代码", "91310000MA1FL0KQ71"),
    col("investor_origin", "投资方来源地", "省份或城市", "上海市"),
    col("total_investment_wan", "总投资(万元)", "万元，最多四位小数；签约起必填且大于0", "52000"),
    col("stage", "项目阶段", "线索、洽谈、签约、开工、投产 或 终止；不填时按所填最晚的日期推断", "签约"),
    col("signed_on", "签约日期", DATE_NOTE, "2024-05-18"),
    col("started_on", "开工日期", DATE_NOTE, ""),
    col("producing_on", "投产日期", DATE_NOTE, ""),
    col("lead_on", "线索日期", "登记线索的日期；新项目不填时为导入当天", "2024-03-02"),
    col("source", "项目来源", "商会、招商顾问、驻点招商、展会/节会、委托招商、以商招商、自主招商、网上选地…", "商会"),
    col("source_org", "来源单位", "", "甘肃省上海商会"),
    col("department", "责任单位", "", "麦积区商务局"),
    col("leader", "包抓领导", "", "张三"),
    col("signing_activity", "签约活动", "签约所在招商活动的名称", "第三十届兰洽会"),
    col("investor_type", "投资方类型", "民营、国有、外资 或 港澳台", "民营"),
    col("industry", "行业代码", "国民经济行业分类（GB/T 4754）大类代码，如 30", "30"),
    col("owner", "责任人", "", "李四"),
    col("dropped_reason", "终止原因", "终止项目须填写", ""),
    ColumnSpec {
        key: "stage_reason",
        header: "阶段变更原因",
        required: false,
        exported: false,
        imported: true,
        note: "退回阶段或恢复已终止项目时必填",
        example: "",
    },
    col("description", "项目简介", "", "建设新型建材生产线"),
];

pub const FUNDING_COLUMNS: &[ColumnSpec] = &[
    required("code", "项目编号", "已登记项目的编号", "TS-2024-001"),
    required("date", "到位日期", DATE_NOTE, "2024-06-30"),
    required("amount_wan", "到位金额(万元)", "万元，大于0，最多四位小数", "3000"),
    col("funding_source", "资金来源", "省外境内、境外 或 省内；不填为省外境内", "省外境内"),
];

pub const TARGET_COLUMNS: &[ColumnSpec] = &[
    required("region", "所属地区", "6位行政区划代码或全称", "620500"),
    required("year", "年度", "如 2025", "2025"),
    col("funds_target_wan", "到位资金目标(万元)", "万元", "2800000"),
    col("signed_investment_target_wan", "签约投资目标(万元)", "万元", "7000000"),
];

pub const ACTIVITY_COLUMNS: &[ColumnSpec] = &[
    required("name", "活动名称", "唯一名称；已有名称的行更新该活动", "第三十届兰洽会"),
    col("kind", "活动类型", "外出招商、来访接待、展会节会、推介会、座谈会…", "展会节会"),
    col("start_on", "开始日期", DATE_NOTE, "2024-07-06"),
    col("end_on", "结束日期", "不早于开始日期", "2024-07-10"),
    col("place", "地点", "", "兰州"),
    col("organiser", "主办单位", "", "甘肃省人民政府"),
    col("chambers", "参与商会", "商会名录中的商会名称，多个以“、”或“;”分隔", "甘肃省上海商会"),
    col(
        "participants",
        "参与人员",
        "姓名（领导/干部/委员），多个以“、”或“;”分隔；未注明身份的为干部",
        "张三（领导）、李四",
    ),
];

pub const CHAMBER_COLUMNS: &[ColumnSpec] = &[
    required("name", "商会名称", "唯一名称；已有名称的行更新该商会", "甘肃省上海商会"),
    col(
        "kind",
        "商会类型",
        "异地甘肃商会、地方商会、行业协会、外商投资企业协会、在甘异地商会、境外商协会 或 其他",
        "异地甘肃商会",
    ),
    col(
        "location",
        "所在地",
        "全国任一行政区划的6位代码或名称，如 310000、上海市；境外填“境外：国家或地区”，如 境外：新加坡",
        "上海市",
    ),
    col("level", "级别", "国家级、省级、市级 或 县级", "省级"),
    col("president", "会长", "", "王某某"),
    col("contact", "联系人", "", "李某某"),
    col("phone", "联系电话", "电话号码，多个以“、”分隔", "021-88888888"),
    col("liaison_office", "招商联络处", "是 或 否：是否设有招商联络处；不填为“否”", "是"),
    col("members", "会员企业数", "整数", "320"),
];

pub const ENTERPRISE_COLUMNS: &[ColumnSpec] = &[
    required("name", "企业名称", "必填", "甘肃稀土新材料股份有限公司"),
    required(
        "credit_code",
        "统一社会信用代码",
        "18位，校验位须正确；已有信用代码的行更新该企业",
        "91620400MA01234562",
    ),
    required("region", "所属地区", "总部所在地：6位行政区划代码或全称（全国均可），如 620400、白银市 或 上海市浦东新区", "620400"),
    col("industry", "行业代码", "国民经济行业分类（GB/T 4754）大类代码，如 32", "32"),
    col(
        "tags",
        "标签",
        "以“、”或“;”分隔：世界500强、中国500强、民营500强、行业百强、上市公司（可带股票代码，如 上市公司(600111)）、专精特新、小巨人、单项冠军、高新技术企业",
        "上市公司(600111)、专精特新",
    ),
    col("revenue_wan", "营业收入(万元)", "万元，最多四位小数", "125000"),
    col("employees", "从业人数", "整数", "1800"),
    col("registered_capital_wan", "注册资本(万元)", "万元，最多四位小数", "72000"),
    col("description", "简介", "", "稀土分离及稀土功能材料生产企业"),
    col("is_target", "目标企业", "是 或 否：是否列为招商目标企业；不填时新企业为“否”", "否"),
];

pub const CHAIN_COLUMNS: &[ColumnSpec] = &[
    required(
        "chain",
        "产业链",
        "产业链名称（全省唯一）；每个节点一行，已有产业链的行更新该链",
        "白银市稀土新材料产业链",
    ),
    col("region", "所属地区", "负责该链的地区：6位行政区划代码或全称；新建产业链时必填", "620400"),
    col("lead_department", "牵头部门", "产业链级信息，填在该链任一行即可", "白银市工业和信息化局"),
    col("chief", "链长", "产业链级信息，填在该链任一行即可", "市委副书记 张某某"),
    col(
        "leaders",
        "链主企业",
        "统一社会信用代码或企业库中的企业全称，多家以“、”或“;”分隔；须已在企业库中",
        "91620400MA01234562",
    ),
    required("node", tree::COLUMN_NAME, "子链或环节的名称，同一产业链内唯一", "稀土永磁材料"),
    col("parent", tree::COLUMN_PARENT, "上级子链的名称；直接属于产业链的节点不填", ""),
    col("kind", tree::COLUMN_KIND, "子链 或 环节；不填时有下级节点的为子链，否则为环节", "环节"),
    col("segment", tree::COLUMN_SEGMENT, "上游、中游 或 下游；环节必填", "中游"),
    col(
        "industry",
        "行业代码",
        "国民经济行业分类（GB/T 4754）大类代码，用于推荐目标企业；一个环节可填多个，以“、”分隔，如 38、34",
        "32",
    ),
    col(
        "products",
        "产品关键词",
        "该环节需要的产品或技术，多个以“、”分隔；填写后只推荐名称或简介含其中之一的企业",
        "稀土永磁、钕铁硼",
    ),
];

pub const CHAIN_ENTERPRISE_COLUMNS: &[ColumnSpec] = &[
    required("chain", "产业链", "已登记的产业链名称", "白银市稀土新材料产业链"),
    required("node", tree::COLUMN_NAME, "该产业链中的环节名称", "稀土永磁材料"),
    required("credit_code", "统一社会信用代码", "企业库中企业的18位统一社会信用代码", "91620400MA01234562"),
    col("role", "角色", "生产、配套 或 采购；不填为生产", "生产"),
];

/// A column the export computes and the import ignores.
const fn computed(key: &'static str, header: &'static str, note: &'static str) -> ColumnSpec {
    ColumnSpec { key, header, required: false, exported: true, imported: false, note, example: "" }
}

pub const APPEAL_COLUMNS: &[ColumnSpec] = &[
    required("code", "诉求编号", "唯一编号；已有编号的行更新该诉求", "BY-2025-0001"),
    col("enterprise", "企业名称", "", "白银某某新材料有限公司"),
    col("credit_code", "统一社会信用代码", "18位，校验位须正确", "91620400MA01234562"),
    required("region", "所属地区", "6位行政区划代码或全称，如 620400 或 白银市", "620400"),
    required("dimension", "诉求维度", "政务环境、市场环境、法治环境、创新环境 或 要素环境", "要素环境"),
    col("category", "诉求类别", "市场监管、纳税服务、政策支持、要素保障、审批服务、融资…", "要素保障"),
    required("content", "诉求内容", "必填", "园区用电增容审批迟迟未办结"),
    required("received_on", "受理日期", DATE_NOTE, "2025-01-24"),
    col("department", "承办单位", "", "白银市发展和改革委员会"),
    col("limit_days", "办理时限(工作日)", "1 至 60 的整数；不填为 5 个工作日", "5"),
    col("answered_on", "答复日期", "不早于受理日期", "2025-02-06"),
    col("closed_on", "办结日期", "不早于答复日期", ""),
    col("rating", "企业评价", "满意、基本满意 或 不满意", ""),
    computed("due_on", "应答复日期", "导出时按受理日期和办理时限依国务院节假日安排计算（受理当日不计），导入时忽略"),
    computed("due_note", "时限说明", "应答复日期超出已发布节假日安排的年份时注明按周末推算，导入时忽略"),
];

pub const ACHIEVEMENT_COLUMNS: &[ColumnSpec] = &[
    required("code", "成果编号", "唯一编号；已有编号的行更新该成果", "KJCG-2023-0001"),
    required("title", "成果名称", "必填", "高性能稀土永磁材料制备技术"),
    required("institution", "完成单位", "成果所属单位全称", "兰州大学"),
    col("industry", "行业代码", "国民经济行业分类（GB/T 4754）大类代码，如 32", "32"),
    required("year", "登记年度", "如 2023", "2023"),
    col("maturity", "成熟度", "实验室阶段、小试阶段、中试阶段 或 产业化阶段", "中试阶段"),
    col("ip", "知识产权", "专利、软件著作权等", "发明专利3项"),
    col("description", "简介", "", "采用晶界扩散工艺，重稀土用量降低40%"),
    col("contact", "联系方式", "联系人及电话；仅工作人员可见，投资者经平台意向表联系", "王老师 0931-8912345"),
    col("institution_credit_code", "完成单位信用代码", CREDIT_CODE_NOTE, ""),
];

const CREDIT_CODE_NOTE: &str = "18位统一社会信用代码，校验位须正确；按信用代码识别单位，其次按名称（利益冲突检查同此）";

pub const EXPERT_COLUMNS: &[ColumnSpec] = &[
    required("name", "专家姓名", "唯一；已有姓名的行更新该专家", "王立新"),
    col("institution", "所在单位", "单位全称；评审分配时不得评审本单位的成果", "西安交通大学"),
    col("institution_credit_code", "单位信用代码", CREDIT_CODE_NOTE, ""),
    col("fields", "专业领域", "多个以“、”分隔", "新材料、稀土永磁"),
    col("account", "账号", "专家登录用的评审专家账号（角色为评审专家）的用户名，可不填", ""),
];

pub const REVIEW_COLUMNS: &[ColumnSpec] = &[
    required("code", "成果编号", "成果库中已登记的成果编号", "KJCG-2023-0001"),
    required("reviewer", "评审专家", "专家姓名（或评审账号的用户名）；同一成果同一专家一行", "王立新"),
    col(
        "reviewer_institution",
        "专家单位",
        "不得与成果完成单位相同（利益冲突）；专家尚未在专家库中时必填",
        "西安交通大学",
    ),
    required("market", "市场潜力", "0 至 100 分，最多两位小数", "85"),
    required("economic", "经济价值", "0 至 100 分，最多两位小数", "80"),
    required("technical", "技术含量", "0 至 100 分，最多两位小数", "90"),
    col("reviewer_credit_code", "专家单位信用代码", CREDIT_CODE_NOTE, ""),
];

pub const PARCEL_COLUMNS: &[ColumnSpec] = &[
    required("code", "地块编号", "唯一编号；已有编号的行更新该地块", "LZXQ-2025-001"),
    col("park", "所属园区", "园区名录中的园区名称，如 兰州新区；不在园区内的地块不填", ""),
    col("region", "所属地区", "6位行政区划代码或全称；不填时取所属园区的地区", "620100"),
    col("land_use", "用地性质", "工业、仓储、商业、综合、科研 或 其他；新地块必填", "工业"),
    col("area_mu", "面积(亩)", "亩，大于0；新地块必填；与边界测算面积相差超过5%时提示核实", "120.5"),
    col("price_wan_per_mu", "价格(万元/亩)", "万元/亩，不能为负数", "12.5"),
    col("status", "状态", "可供、意向 或 已出让；已出让的地块不能改回；新地块必填", "可供"),
    col("plot_ratio", "容积率", "不能为负数", "1.2"),
    col("lon", "经度", "十进制度（中国境内），如 103.68；填写边界时可不填，取边界中心", "103.68"),
    col("lat", "纬度", "十进制度（中国境内），如 36.52", "36.52"),
    col(
        "boundary",
        "边界",
        "可不填；GeoJSON 或 WKT 多边形（POLYGON/MULTIPOLYGON），坐标为经度、纬度",
        "POLYGON((103.679 36.519, 103.681 36.519, 103.681 36.521, 103.679 36.521, 103.679 36.519))",
    ),
];

/// The columns of a list, in import (and export) order.
pub fn columns(kind: ImportKind) -> &'static [ColumnSpec] {
    match kind {
        ImportKind::Projects => PROJECT_COLUMNS,
        ImportKind::Funding => FUNDING_COLUMNS,
        ImportKind::Targets => TARGET_COLUMNS,
        ImportKind::Chambers => CHAMBER_COLUMNS,
        ImportKind::Activities => ACTIVITY_COLUMNS,
        ImportKind::Enterprises => ENTERPRISE_COLUMNS,
        ImportKind::Chains => CHAIN_COLUMNS,
        ImportKind::ChainEnterprises => CHAIN_ENTERPRISE_COLUMNS,
        ImportKind::Appeals => APPEAL_COLUMNS,
        ImportKind::Achievements => ACHIEVEMENT_COLUMNS,
        ImportKind::Experts => EXPERT_COLUMNS,
        ImportKind::Reviews => REVIEW_COLUMNS,
        ImportKind::Parcels => PARCEL_COLUMNS,
    }
}

/// The Chinese header of a column key (the key itself when unknown).
pub(super) fn header_of(kind: ImportKind, key: &'static str) -> &'static str {
    columns(kind).iter().find(|spec| spec.key == key).map(|spec| spec.header).unwrap_or(key)
}

/// The columns whose header marks the header row of a kind's sheet (its key, or the
/// first column of a composite key).
pub(super) fn key_columns(kind: ImportKind) -> &'static [&'static str] {
    match kind {
        ImportKind::Projects
        | ImportKind::Funding
        | ImportKind::Appeals
        | ImportKind::Achievements
        | ImportKind::Reviews
        | ImportKind::Parcels => &["code"],
        ImportKind::Targets => &["region", "year"],
        ImportKind::Chambers | ImportKind::Activities | ImportKind::Experts => &["name"],
        ImportKind::Enterprises | ImportKind::ChainEnterprises => &["credit_code"],
        ImportKind::Chains => &["chain"],
    }
}

/// The 序号 column offices number their rows with, ignored (normalised as headers are).
pub(super) const SERIAL_NUMBER: &str = "序号";

/// A normalised header and the money unit in its last parentheses: "总投资(亿元)" is
/// ("总投资", 亿元).
fn split_unit(normalized: &str) -> (&str, Option<MoneyUnit>) {
    let unit = normalized
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once('('))
        .and_then(|(bare, unit)| MoneyUnit::parse(unit).map(|unit| (bare, unit)));
    match unit {
        Some((bare, unit)) => (bare, Some(unit)),
        None => (normalized, None),
    }
}

/// The column a header names, and the money unit the header gives: its Chinese header,
/// its English key (any case), or for an amount the Chinese header with any unit or
/// none ("总投资", "总投资（亿元）", "到位金额(元)").
pub(super) fn match_header_unit(kind: ImportKind, header: &str) -> Option<(&'static ColumnSpec, Option<MoneyUnit>)> {
    let normalized = normalize_header(header);
    if normalized.is_empty() {
        return None;
    }
    let (bare, unit) = split_unit(&normalized);
    columns(kind).iter().find_map(|spec| {
        let chinese = normalize_header(spec.header);
        if chinese == normalized || spec.key == normalized {
            return Some((spec, split_unit(&chinese).1));
        }
        let (spec_bare, spec_unit) = split_unit(&chinese);
        (spec_unit.is_some() && spec_bare == bare).then_some((spec, unit))
    })
}

/// The column a header names (see `match_header_unit`).
pub(super) fn match_header(kind: ImportKind, header: &str) -> Option<&'static ColumnSpec> {
    match_header_unit(kind, header).map(|(spec, _)| spec)
}

/// Where each known column sits in the file.
pub(super) struct Columns {
    index: HashMap<&'static str, usize>,
    /// The unit of each amount column: its header's, else the sheet's units line's.
    units: HashMap<&'static str, MoneyUnit>,
}

impl Columns {
    /// Maps the file's header; unknown columns become warnings, a missing required or a
    /// repeated column a problem on the header row (and then `None`: rows are not checked).
    /// Amounts are in `unit` unless their header names another; a 序号 column is ignored.
    pub(super) fn map(kind: ImportKind, sheet: &Sheet, unit: MoneyUnit, report: &mut ImportReport) -> Option<Columns> {
        let header_row = sheet.header_row.max(1);
        if sheet.headers.is_empty() {
            report.problem(1, "表头", "表格是空的：第一行应为表头（列名）");
            return None;
        }
        let mut index = HashMap::new();
        let mut units = HashMap::new();
        let mut ok = true;
        for (position, header) in sheet.headers.iter().enumerate() {
            if header.trim().is_empty() || normalize_header(header) == SERIAL_NUMBER {
                continue;
            }
            match match_header_unit(kind, header) {
                Some((spec, header_unit)) => {
                    if index.insert(spec.key, position).is_some() {
                        report.problem(header_row, spec.header, format!("列“{}”重复出现", spec.header));
                        ok = false;
                    }
                    units.insert(spec.key, header_unit.unwrap_or(unit));
                }
                None => report.warnings.push(format!("未识别的列“{}”，已忽略", header.trim())),
            }
        }
        for spec in columns(kind).iter().filter(|spec| spec.required) {
            if !index.contains_key(spec.key) {
                report.problem(header_row, spec.header, format!("缺少必填列“{}”（{}）", spec.header, spec.key));
                ok = false;
            }
        }
        ok.then_some(Columns { index, units })
    }

    /// An amount cell in its column's unit, exactly in yuan; a unit written in the cell
    /// ("1.2亿元", "5000万元") wins.
    pub(super) fn amount(&self, key: &str, text: &str) -> Result<Yuan, String> {
        let text = text.trim();
        let written = [MoneyUnit::Yi, MoneyUnit::Wan, MoneyUnit::Yuan]
            .into_iter()
            .find_map(|unit| text.strip_suffix(unit.label()).map(|number| (unit, number)));
        let (unit, number) = written.unwrap_or((self.units.get(key).copied().unwrap_or_default(), text));
        unit.parse_amount(number).map_err(|e| e.to_string())
    }

    pub(super) fn has(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// The trimmed cell of a column: `None` when the file has no such column.
    pub(super) fn cell<'r>(&self, row: &'r SheetRow, key: &str) -> Option<&'r str> {
        self.index.get(key).map(|&position| row.cell(position))
    }

    /// The cell of a column, empty when absent.
    pub(super) fn text<'r>(&self, row: &'r SheetRow, key: &str) -> &'r str {
        self.cell(row, key).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_chinese_english_and_bare_units() {
        let key = |header: &str| match_header(ImportKind::Projects, header).map(|spec| spec.key);
        assert_eq!(key("总投资（万元）"), Some("total_investment_wan"));
        assert_eq!(key("总投资"), Some("total_investment_wan"));
        assert_eq!(key("TOTAL_INVESTMENT_WAN"), Some("total_investment_wan"));
        assert_eq!(key(" 项目 编号 "), Some("code"));
        assert_eq!(key("备注"), None);
        assert_eq!(match_header(ImportKind::Funding, "到位金额").map(|s| s.key), Some("amount_wan"));
    }

    #[test]
    fn every_kind_has_unique_headers_and_keys() {
        for kind in ImportKind::ALL {
            let specs = columns(kind);
            for (i, a) in specs.iter().enumerate() {
                for b in &specs[i + 1..] {
                    assert_ne!(a.key, b.key);
                    assert_ne!(normalize_header(a.header), normalize_header(b.header));
                }
            }
        }
    }
}
