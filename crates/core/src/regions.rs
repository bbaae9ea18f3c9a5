//! Administrative divisions (GB/T 2260): six-digit codes, province → city → county.
//!
//! The tree is implicit in the code: 62 05 03 is county 03 of city 05 of province 62.
//! Scope checks therefore need no lookup: a region contains another when the other's
//! code starts with its significant prefix.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RegionCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("地区代码“{0}”无效，应为6位数字的行政区划代码")]
pub struct RegionCodeError(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RegionLevel {
    Province = 1,
    City = 2,
    County = 3,
}

impl RegionLevel {
    pub fn label(self) -> &'static str {
        match self {
            RegionLevel::Province => "省级",
            RegionLevel::City => "市州",
            RegionLevel::County => "县区",
        }
    }
}

/// The names a division may go by when typed short: as typed first, then with the
/// endings of division names ("白银" → "白银市", "白银区"; "临夏" → "临夏回族自治州").
/// Of several divisions so named, the highest level is meant (白银 is the city).
pub fn name_forms(typed: &str) -> Vec<String> {
    const ENDINGS: [&str; 11] =
        ["省", "市", "地区", "州", "盟", "回族自治州", "藏族自治州", "区", "县", "自治县", "旗"];
    let typed = typed.trim();
    if typed.is_empty() {
        return Vec::new();
    }
    std::iter::once(typed.to_string()).chain(ENDINGS.iter().map(|ending| format!("{typed}{ending}"))).collect()
}

impl RegionCode {
    pub fn parse(text: &str) -> Result<RegionCode, RegionCodeError> {
        let text = text.trim();
        let valid = text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) && &text[..2] != "00";
        if valid {
            Ok(RegionCode(text.to_string()))
        } else {
            Err(RegionCodeError(text.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        if &self.0[2..] == "0000" {
            RegionLevel::Province
        } else if &self.0[4..] == "00" {
            RegionLevel::City
        } else {
            RegionLevel::County
        }
    }

    /// The code prefix shared by this region and everything below it ("62", "6205", "620503").
    pub fn scope_prefix(&self) -> &str {
        match self.level() {
            RegionLevel::Province => &self.0[..2],
            RegionLevel::City => &self.0[..4],
            RegionLevel::County => &self.0,
        }
    }

    /// True when `other` is this region or one of its sub-regions.
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0.starts_with(self.scope_prefix())
    }

    pub fn province(&self) -> RegionCode {
        RegionCode(format!("{}0000", &self.0[..2]))
    }

    /// The prefecture-level division of a county (itself for a city, `None` for a province).
    pub fn city(&self) -> Option<RegionCode> {
        match self.level() {
            RegionLevel::Province => None,
            _ => Some(RegionCode(format!("{}00", &self.0[..4]))),
        }
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A row of the divisions reference file (`data/divisions.tsv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Division {
    pub code: RegionCode,
    pub name: String,
    pub parent: Option<RegionCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("行政区划数据第{line}行有误：{reason}")]
pub struct DivisionFileError {
    pub line: usize,
    pub reason: String,
}

/// Parses the tab-separated divisions file: header `code name level parent`.
pub fn parse_divisions(text: &str) -> Result<Vec<Division>, DivisionFileError> {
    let mut divisions = Vec::new();
    for (index, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let fail = |reason: String| DivisionFileError { line: index + 1, reason };
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.len() < 4 {
            return Err(fail("应有4列".into()));
        }
        let code = RegionCode::parse(columns[0]).map_err(|e| fail(e.to_string()))?;
        let parent = match columns[3].trim() {
            "" => None,
            text => Some(RegionCode::parse(text).map_err(|e| fail(e.to_string()))?),
        };
        divisions.push(Division { code, name: columns[1].trim().to_string(), parent });
    }
    Ok(divisions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> RegionCode {
        RegionCode::parse(text).unwrap()
    }

    #[test]
    fn levels_follow_the_code() {
        assert_eq!(code("620000").level(), RegionLevel::Province);
        assert_eq!(code("620400").level(), RegionLevel::City);
        assert_eq!(code("620402").level(), RegionLevel::County);
    }

    #[test]
    fn a_city_contains_its_counties_and_no_other_city() {
        let baiyin = code("620400");
        assert!(baiyin.contains(&code("620400")));
        assert!(baiyin.contains(&code("620402")));
        assert!(baiyin.contains(&code("620423")));
        assert!(!baiyin.contains(&code("620500")));
        assert!(!baiyin.contains(&code("620502")));
        assert!(!baiyin.contains(&code("620000")));
        assert!(code("620000").contains(&code("620503")));
        assert!(!code("620000").contains(&code("630100")));
        assert!(!code("620402").contains(&code("620403")));
    }

    #[test]
    fn rejects_malformed_codes() {
        for bad in ["", "62040", "6204000", "62O400", "000000"] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
        assert!(RegionCode::parse("abc").unwrap_err().to_string().contains("行政区划代码"));
    }

    #[test]
    fn city_and_province_of_a_county() {
        assert_eq!(code("620503").city(), Some(code("620500")));
        assert_eq!(code("620500").city(), Some(code("620500")));
        assert_eq!(code("620000").city(), None);
        assert_eq!(code("620503").province(), code("620000"));
    }

    #[test]
    fn parses_the_divisions_file() {
        let text = "code\tname\tlevel\tparent\n620000\t甘肃省\t1\t\n620500\t天水市\t2\t620000\n";
        let divisions = parse_divisions(text).unwrap();
        assert_eq!(divisions.len(), 2);
        assert_eq!(divisions[1].parent, Some(code("620000")));
        let err = parse_divisions("h\n62x\t甘肃\t1\t\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn short_names_take_the_endings_of_division_names() {
        let forms = name_forms(" 白银 ");
        assert_eq!(forms[0], "白银");
        assert!(forms.contains(&"白银市".to_string()) && forms.contains(&"白银区".to_string()));
        assert!(name_forms("临夏").contains(&"临夏回族自治州".to_string()));
        assert!(name_forms("  ").is_empty());
    }
}
