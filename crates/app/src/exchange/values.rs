//! Cell values as people type them in spreadsheets: dates in the usual Chinese
//! forms, amounts in 万元, regions by code or name, industries, years.

use super::columns::Columns;
use super::table::SheetRow;
use super::workbook::RegionChoice;
use super::RowProblems;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use zhaoshang_core::credit_code;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::reference::{Industry, Region};

/// Parses a date: 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, 20240301, an Excel
/// serial day number (45352), with or without a time after it.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let unknown = || format!("日期“{text}”无法识别，请写成 2024-03-01 的形式");
    // "2024 年 3 月 1 日" has spaces inside; other forms may have a time after one.
    let compact: String =
        if text.contains('年') { text.chars().filter(|c| !c.is_whitespace()).collect() } else { text.to_string() };
    let date_part = compact.split([' ', 'T']).next().unwrap_or("");
    let numbers: Option<(&str, &str, &str)> = if let Some(rest) = date_part.strip_suffix('日') {
        rest.split_once('年').and_then(|(y, rest)| rest.split_once('月').map(|(m, d)| (y, m, d)))
    } else if let Some(sep) = ['-', '/', '.'].into_iter().find(|sep| date_part.contains(*sep)) {
        let parts: Vec<&str> = date_part.split(sep).collect();
        (parts.len() == 3).then(|| (parts[0], parts[1], parts[2]))
    } else if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        Some((&date_part[..4], &date_part[4..6], &date_part[6..]))
    } else {
        None
    };
    if let Some((year, month, day)) = numbers {
        let field = |s: &str, max_len: usize| {
            let s = s.trim();
            (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())?
        };
        let (Some(year), Some(month), Some(day)) = (field(year, 4), field(month, 2), field(day, 2)) else {
            return Err(unknown());
        };
        if year < 1000 {
            return Err(unknown());
        }
        return NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| format!("日期“{text}”不存在"));
    }
    // An Excel serial number (days since 1899-12-30), as a date cell formatted as a
    // number shows: five digits cover 1927–2173.
    if let Ok(serial) = text.parse::<f64>() {
        if (10_000.0..100_000.0).contains(&serial) {
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid epoch");
            return epoch.checked_add_days(chrono::Days::new(serial.trunc() as u64)).ok_or_else(unknown);
        }
    }
    Err(unknown())
}

/// A date column of a row: `None` when absent (or unreadable, then with a problem),
/// `Some(None)` when empty.
pub(super) fn date_cell(
    cols: &Columns,
    row: &SheetRow,
    key: &'static str,
    p: &mut RowProblems,
) -> Option<Option<NaiveDate>> {
    match cols.cell(row, key)? {
        "" => Some(None),
        text => match parse_date(text) {
            Ok(date) => Some(Some(date)),
            Err(message) => {
                p.add(key, message);
                None
            }
        },
    }
}

/// An amount in 万元 ("52000", "1.2345", "1,200.5", "5000万元"), exact to the yuan.
pub fn parse_wan(text: &str) -> Result<Yuan, String> {
    let text = text.trim();
    let bare = text.strip_suffix("万元").unwrap_or(text);
    Yuan::parse_wan(bare).map_err(|e| e.to_string())
}

/// A year between 1990 and 2100 ("2025", "2025年").
pub(super) fn parse_year(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let bare = text.strip_suffix('年').unwrap_or(text);
    match bare.parse::<i64>() {
        Ok(year) if (1990..=2100).contains(&year) => Ok(year),
        Ok(_) => Err(format!("年度“{text}”应在 1990 至 2100 之间")),
        Err(_) => Err(format!("年度“{text}”应为四位数字年份，如 2025")),
    }
}

/// A head count ("1800", "1,800", "1800人").
pub(super) fn parse_count(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let bare: String = text.strip_suffix('人').unwrap_or(text).chars().filter(|c| *c != ',').collect();
    match bare.trim().parse::<i64>() {
        Ok(count) if count >= 0 => Ok(count),
        _ => Err(format!("人数“{text}”应为不小于0的整数")),
    }
}

/// 是/否 as people write it (also Y/N, true/false, 1/0).
pub(super) fn parse_yes_no(text: &str) -> Result<bool, String> {
    let text = text.trim();
    match text.to_ascii_lowercase().as_str() {
        "是" | "y" | "yes" | "true" | "1" | "√" => Ok(true),
        "否" | "n" | "no" | "false" | "0" | "×" => Ok(false),
        _ => Err(format!("“{text}”应为 是 或 否")),
    }
}

/// A 统一社会信用代码 as typed, checked; the message names the code.
pub(crate) fn parse_credit_code(text: &str) -> Result<String, String> {
    credit_code::parse(text).map(|code| code.to_string()).map_err(|error| format!("统一社会信用代码“{text}”{error}"))
}

/// An optional credit-code column into `credit_code`: emptied by an empty cell, left
/// alone when the file has no such column.
pub(super) fn credit_code_cell(
    cols: &Columns,
    row: &SheetRow,
    key: &'static str,
    credit_code: &mut String,
    p: &mut RowProblems,
) {
    match cols.cell(row, key) {
        Some("") => credit_code.clear(),
        Some(text) => match parse_credit_code(text) {
            Ok(parsed) => *credit_code = parsed,
            Err(message) => p.add(key, message),
        },
        None => {}
    }
}

/// The required 所属地区 column (a division code or name) into `region_code`; left alone
/// when the file has no such column.
pub(super) fn region_cell(
    cols: &Columns,
    row: &SheetRow,
    regions: &RegionIndex,
    region_code: &mut String,
    p: &mut RowProblems,
) {
    match cols.cell(row, "region") {
        Some("") => p.add("region", "所属地区不能为空"),
        Some(text) => match regions.resolve(text) {
            Ok(region) => *region_code = region,
            Err(message) => p.add("region", message),
        },
        None => {}
    }
}

/// Administrative divisions by code and by name.
pub(super) struct RegionIndex {
    by_code: HashMap<String, Region>,
    /// Short names ("浦东新区") and full names ("上海市浦东新区") to codes.
    by_name: HashMap<String, Vec<String>>,
}

impl RegionIndex {
    pub(super) fn new(regions: Vec<Region>) -> RegionIndex {
        let by_code: HashMap<String, Region> =
            regions.into_iter().map(|region| (region.code.clone(), region)).collect();
        let mut index = RegionIndex { by_code, by_name: HashMap::new() };
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for region in index.by_code.values() {
            by_name.entry(region.name.clone()).or_default().push(region.code.clone());
            let full_name = index.full_name(&region.code);
            if full_name != region.name {
                by_name.entry(full_name).or_default().push(region.code.clone());
            }
        }
        for codes in by_name.values_mut() {
            codes.sort();
        }
        index.by_name = by_name;
        index
    }

    /// "甘肃省天水市麦积区" for 620503.
    fn full_name(&self, code: &str) -> String {
        let mut names = Vec::new();
        let mut current = self.by_code.get(code);
        while let Some(region) = current {
            names.push(region.name.as_str());
            current = region.parent_code.as_deref().and_then(|parent| self.by_code.get(parent));
            if names.len() > 5 {
                break;
            }
        }
        names.reverse();
        names.concat()
    }

    /// A division code from a code or a name; a name shared by several divisions asks for the code.
    pub(super) fn resolve(&self, text: &str) -> Result<String, String> {
        let text = text.trim();
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            let code = RegionCode::parse(text).map_err(|e| e.to_string())?;
            return match self.by_code.contains_key(code.as_str()) {
                true => Ok(code.to_string()),
                false => Err(format!("地区代码“{text}”不存在")),
            };
        }
        match self.by_name.get(text).map(Vec::as_slice) {
            Some([code]) => Ok(code.clone()),
            Some(codes) if !codes.is_empty() => {
                let candidates: Vec<String> =
                    codes.iter().take(10).map(|code| format!("{code}（{}）", self.full_name(code))).collect();
                let more = if codes.len() > 10 { format!("等 {} 个", codes.len()) } else { String::new() };
                Err(format!("地区名称“{text}”对应多个行政区划，请改填6位代码：{}{more}", candidates.join("、")))
            }
            _ => Err(format!("地区“{text}”不存在，请填写6位行政区划代码或完整名称（如 天水市、麦积区）")),
        }
    }
}

impl RegionIndex {
    /// The divisions within `root` (itself first, then by code), each named as the
    /// import reads it back: its short name unless another division has it too, then
    /// its full name.
    pub(super) fn choices_within(&self, root: &RegionCode) -> Vec<RegionChoice> {
        let mut codes: Vec<&String> =
            self.by_code.keys().filter(|code| code.starts_with(root.scope_prefix())).collect();
        // A region's code is the smallest of those within it (620500 before 620502).
        codes.sort();
        codes
            .into_iter()
            .map(|code| {
                let name = &self.by_code[code].name;
                let unique = self.by_name.get(name).is_some_and(|codes| codes.len() == 1);
                let name = if unique { name.clone() } else { self.full_name(code) };
                RegionChoice { code: code.clone(), name }
            })
            .collect()
    }
}

/// GB/T 4754 industries by code and name.
pub(super) struct IndustryIndex {
    by_code: HashMap<String, String>,
    by_name: HashMap<String, String>,
}

impl IndustryIndex {
    pub(super) fn new(industries: Vec<Industry>) -> IndustryIndex {
        let by_name = industries.iter().map(|i| (i.name.clone(), i.code.clone())).collect();
        let by_code = industries.into_iter().map(|i| (i.code.clone(), i.name)).collect();
        IndustryIndex { by_code, by_name }
    }

    /// The industry code of "30", "C30", "3" (Excel drops a leading zero: "03") or a name.
    pub(super) fn resolve(&self, text: &str) -> Result<String, String> {
        let text = text.trim();
        let upper = text.to_ascii_uppercase();
        let mut candidates = vec![upper.clone()];
        if upper.len() == 1 && upper.bytes().all(|b| b.is_ascii_digit()) {
            candidates.push(format!("0{upper}"));
        }
        if upper.len() > 1 && upper.as_bytes()[0].is_ascii_alphabetic() {
            candidates.push(upper[1..].to_string());
        }
        if let Some(code) = candidates.into_iter().find(|code| self.by_code.contains_key(code)) {
            return Ok(code);
        }
        self.by_name
            .get(text)
            .cloned()
            .ok_or_else(|| format!("行业代码“{text}”不在国民经济行业分类（GB/T 4754）中，请填写门类字母或两位大类代码"))
    }
}

impl IndustryIndex {
    /// The industry codes of a cell naming one or several (a link may need several):
    /// codes or names separated by 、, ; or commas, stored joined by 、. A name that itself
    /// holds 、 (纺织服装、服饰业) is read whole first.
    pub(super) fn resolve_list(&self, text: &str) -> Result<String, String> {
        if let Ok(code) = self.resolve(text) {
            return Ok(code);
        }
        let mut codes: Vec<String> = Vec::new();
        for part in text.split(['、', ';', '；', ',', '，']).map(str::trim).filter(|part| !part.is_empty()) {
            let code = self.resolve(part)?;
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        Ok(codes.join("、"))
    }
}

/// 民营/国有/外资/港澳台, also written out ("民营企业", "港澳台资").
pub(super) fn parse_investor_type(text: &str) -> Result<&'static str, String> {
    const TYPES: [&str; 4] = ["民营", "国有", "外资", "港澳台"];
    let text = text.trim();
    TYPES
        .into_iter()
        .find(|label| text.starts_with(label))
        .or(match text.to_ascii_lowercase().as_str() {
            "private" => Some("民营"),
            "state" | "state_owned" => Some("国有"),
            "foreign" => Some("外资"),
            "hk_macao_taiwan" => Some("港澳台"),
            _ => None,
        })
        .ok_or_else(|| format!("投资方类型“{text}”无法识别，应为 民营、国有、外资 或 港澳台"))
}

/// Dates as exported: YYYY-MM-DD, empty for none.
pub(super) fn date_text(date: Option<NaiveDate>) -> String {
    date.map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn dates_in_every_usual_form() {
        for text in ["2024-03-01", "2024/3/1", "2024.3.1", "2024年3月1日", "20240301", "2024-03-01 00:00:00", "45352"]
        {
            assert_eq!(parse_date(text), Ok(day("2024-03-01")), "{text}");
        }
        assert!(parse_date("2024-02-30").unwrap_err().contains("不存在"));
        assert!(parse_date("下周").unwrap_err().contains("无法识别"));
        assert!(parse_date("3/1/2024").is_err());
        assert!(parse_date("2024-3").is_err());
    }

    #[test]
    fn money_years_and_investor_types() {
        assert_eq!(parse_wan("52000"), Ok(Yuan(520_000_000)));
        assert_eq!(parse_wan("5000万元"), Ok(Yuan(50_000_000)));
        assert!(parse_wan("1.23456").unwrap_err().contains("四位小数"));
        assert_eq!(parse_year("2025年"), Ok(2025));
        assert!(parse_year("1989").is_err());
        assert!(parse_year("二〇二五").is_err());
        assert_eq!(parse_investor_type("民营企业"), Ok("民营"));
        assert!(parse_investor_type("个体").is_err());
        assert_eq!(parse_count("1,800人"), Ok(1800));
        assert!(parse_count("-3").unwrap_err().contains("整数"));
        assert!(parse_count("很多").is_err());
        assert_eq!(parse_yes_no("是"), Ok(true));
        assert_eq!(parse_yes_no("N"), Ok(false));
        assert!(parse_yes_no("也许").unwrap_err().contains("是 或 否"));
    }

    #[test]
    fn regions_by_code_and_unique_name() {
        let region = |code: &str, name: &str, parent: Option<&str>| Region {
            code: code.into(),
            name: name.into(),
            level: 0,
            parent_code: parent.map(str::to_string),
        };
        let index = RegionIndex::new(vec![
            region("620000", "甘肃省", None),
            region("620100", "兰州市", Some("620000")),
            region("620102", "城关区", Some("620100")),
            region("540000", "西藏自治区", None),
            region("540100", "拉萨市", Some("540000")),
            region("540102", "城关区", Some("540100")),
        ]);
        assert_eq!(index.resolve("兰州市"), Ok("620100".into()));
        assert_eq!(index.resolve("620102"), Ok("620102".into()));
        assert!(index.resolve("999999").unwrap_err().contains("不存在"));
        let ambiguous = index.resolve("城关区").unwrap_err();
        assert!(ambiguous.contains("540102（西藏自治区拉萨市城关区）"), "{ambiguous}");
        assert!(ambiguous.contains("620102（甘肃省兰州市城关区）"), "{ambiguous}");
        assert!(index.resolve("12345").unwrap_err().contains("6位"));
        // Full names tell apart what short names cannot.
        assert_eq!(index.resolve("甘肃省兰州市城关区"), Ok("620102".into()));
        assert_eq!(index.resolve("西藏自治区拉萨市城关区"), Ok("540102".into()));
        assert_eq!(index.resolve("甘肃省"), Ok("620000".into()));

        // A template's region list names each region so that it reads back.
        let gansu = RegionCode::parse("620000").unwrap();
        let choices: Vec<(String, String)> =
            index.choices_within(&gansu).into_iter().map(|choice| (choice.code, choice.name)).collect();
        let expected = [("620000", "甘肃省"), ("620100", "兰州市"), ("620102", "甘肃省兰州市城关区")];
        assert_eq!(choices, expected.map(|(code, name)| (code.to_string(), name.to_string())));
        for (code, name) in &choices {
            assert_eq!(index.resolve(name).as_ref(), Ok(code));
        }
        let lanzhou = index.choices_within(&RegionCode::parse("620100").unwrap());
        assert_eq!(lanzhou.iter().map(|choice| choice.code.as_str()).collect::<Vec<_>>(), ["620100", "620102"]);
    }
}
