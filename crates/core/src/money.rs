//! Exact money: integer yuan, entered and shown in 万元 (or 亿元).
//!
//! Investment promotion reports every figure in 万元 with decimals, so a float
//! would drift across thousands of rows; integer yuan keeps sums exact.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};

/// An amount of money in whole yuan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Yuan(pub i64);

pub const YUAN_PER_WAN: i64 = 10_000;
pub const YUAN_PER_YI: i64 = 100_000_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("金额“{0}”不是有效的数字")]
    NotANumber(String),
    #[error("金额“{0}”精确到元，万元最多四位小数")]
    TooPrecise(String),
    #[error("金额“{0}”超出范围")]
    OutOfRange(String),
    #[error("金额“{0}”{1}换算为元后不是整数：金额须精确到元")]
    NotWholeYuan(String, &'static str),
}

/// The unit an amount is written in: sheets keep 万元 but also 亿元 and 元.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MoneyUnit {
    Yuan,
    #[default]
    Wan,
    Yi,
}

impl MoneyUnit {
    pub fn label(self) -> &'static str {
        match self {
            MoneyUnit::Yuan => "元",
            MoneyUnit::Wan => "万元",
            MoneyUnit::Yi => "亿元",
        }
    }

    /// The unit a text names: "万元", "亿元" or "元" (also "万", "亿").
    pub fn parse(text: &str) -> Option<MoneyUnit> {
        match text.trim() {
            "元" => Some(MoneyUnit::Yuan),
            "万元" | "万" => Some(MoneyUnit::Wan),
            "亿元" | "亿" => Some(MoneyUnit::Yi),
            _ => None,
        }
    }

    /// Decimal places that still name whole yuan.
    fn decimals(self) -> usize {
        match self {
            MoneyUnit::Yuan => 0,
            MoneyUnit::Wan => 4,
            MoneyUnit::Yi => 8,
        }
    }

    /// Parses an amount written in this unit, exactly (decimal arithmetic on the text):
    /// 亿元 × 10,000 万元, 元 ÷ 10,000 万元; an amount that is not whole yuan is refused.
    pub fn parse_amount(self, text: &str) -> Result<Yuan, MoneyError> {
        parse_scaled(text, self.decimals()).map_err(|error| match (self, error) {
            (MoneyUnit::Wan, error) => error,
            (_, MoneyError::TooPrecise(text)) => MoneyError::NotWholeYuan(text, self.label()),
            (_, error) => error,
        })
    }
}

impl Yuan {
    pub const ZERO: Yuan = Yuan(0);

    pub fn from_wan(wan: i64) -> Yuan {
        Yuan(wan * YUAN_PER_WAN)
    }

    /// Parses an amount written in 万元 ("684290", "1.2345", "-3.5", "1,200.5").
    pub fn parse_wan(text: &str) -> Result<Yuan, MoneyError> {
        MoneyUnit::Wan.parse_amount(text)
    }

    /// Parses an amount written in 元.
    pub fn parse_yuan(text: &str) -> Result<Yuan, MoneyError> {
        MoneyUnit::Yuan.parse_amount(text)
    }

    /// Exact 万元 string: at least two decimals, more only when the yuan need them
    /// ("684290.00", "1.2345").
    pub fn wan_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / YUAN_PER_WAN as u64;
        let frac = abs % YUAN_PER_WAN as u64;
        let mut digits = format!("{frac:04}");
        while digits.len() > 2 && digits.ends_with('0') {
            digits.pop();
        }
        format!("{sign}{whole}.{digits}")
    }

    /// 万元 rounded half away from zero to two decimals, as shown on pages ("684,290.00").
    pub fn wan_display(self) -> String {
        scaled_display(self.0, YUAN_PER_WAN)
    }

    /// 亿元 rounded to two decimals ("684.29").
    pub fn yi_display(self) -> String {
        scaled_display(self.0, YUAN_PER_YI)
    }
}

fn scaled_display(yuan: i64, unit: i64) -> String {
    let hundredths = (yuan as i128 * 100 * 2 + (unit as i128) * yuan.signum() as i128) / (2 * unit as i128);
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    group_thousands(&format!("{sign}{}.{:02}", abs / 100, abs % 100))
}

/// A decimal amount as shown on pages: the whole part in groups of three
/// ("1215200.00" → "1,215,200.00"); text that is not a plain number stays as it is.
pub fn group_thousands(amount: &str) -> String {
    let (sign, body) = amount.strip_prefix('-').map_or(("", amount), |rest| ("-", rest));
    let (whole, fraction) = body.split_once('.').map_or((body, None), |(w, f)| (w, Some(f)));
    let plain = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()));
    if !plain {
        return amount.to_string();
    }
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

pub(crate) fn parse_scaled(text: &str, max_decimals: usize) -> Result<Yuan, MoneyError> {
    let cleaned: String = text.trim().chars().filter(|c| *c != ',' && *c != '，').collect();
    let bad = || MoneyError::NotANumber(text.trim().to_string());
    let (negative, body) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.strip_prefix('+').unwrap_or(&cleaned)),
    };
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    if (whole.is_empty() && frac.is_empty())
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > max_decimals {
        return Err(MoneyError::TooPrecise(text.trim().to_string()));
    }
    let scale = 10i64.pow(max_decimals as u32);
    let overflow = || MoneyError::OutOfRange(text.trim().to_string());
    let whole_value: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| overflow())? };
    let frac_value: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().map_err(|_| bad())? * 10i64.pow((max_decimals - frac.len()) as u32)
    };
    let value = whole_value.checked_mul(scale).and_then(|v| v.checked_add(frac_value)).ok_or_else(overflow)?;
    Ok(Yuan(if negative { -value } else { value }))
}

impl Add for Yuan {
    type Output = Yuan;
    fn add(self, rhs: Yuan) -> Yuan {
        Yuan(self.0 + rhs.0)
    }
}

impl Sub for Yuan {
    type Output = Yuan;
    fn sub(self, rhs: Yuan) -> Yuan {
        Yuan(self.0 - rhs.0)
    }
}

impl AddAssign for Yuan {
    fn add_assign(&mut self, rhs: Yuan) {
        self.0 += rhs.0;
    }
}

impl Sum for Yuan {
    fn sum<I: Iterator<Item = Yuan>>(iter: I) -> Yuan {
        Yuan(iter.map(|y| y.0).sum())
    }
}

impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} 万元", self.wan_display())
    }
}

/// `numerator / denominator`, `None` when the denominator is zero (SPEC: such a ratio is null).
pub fn ratio(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator != 0).then(|| numerator as f64 / denominator as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wan_exactly() {
        assert_eq!(Yuan::parse_wan("684290").unwrap(), Yuan(6_842_900_000));
        assert_eq!(Yuan::parse_wan("1.2345").unwrap(), Yuan(12_345));
        assert_eq!(Yuan::parse_wan(" 1,200.50 ").unwrap(), Yuan(12_005_000));
        assert_eq!(Yuan::parse_wan("-3.5").unwrap(), Yuan(-35_000));
        assert_eq!(Yuan::parse_wan(".5").unwrap(), Yuan(5_000));
        assert_eq!(Yuan::parse_wan("2.50000").unwrap(), Yuan(25_000));
    }

    #[test]
    fn rejects_bad_amounts_with_chinese_reasons() {
        assert!(matches!(Yuan::parse_wan("abc"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(Yuan::parse_wan(""), Err(MoneyError::NotANumber(_))));
        assert!(matches!(Yuan::parse_wan("1.23456"), Err(MoneyError::TooPrecise(_))));
        assert!(matches!(Yuan::parse_wan("99999999999999999"), Err(MoneyError::OutOfRange(_))));
        assert!(Yuan::parse_wan("1e5").unwrap_err().to_string().contains("不是有效的数字"));
    }

    #[test]
    fn units_convert_exactly_or_refuse() {
        // 1.23456789 亿元 = 123,456,789 元; 12,345.6789 万元 the same; 元 as written.
        assert_eq!(MoneyUnit::Yi.parse_amount("1.23456789"), Ok(Yuan(123_456_789)));
        assert_eq!(MoneyUnit::Wan.parse_amount("12345.6789"), Ok(Yuan(123_456_789)));
        assert_eq!(MoneyUnit::Yuan.parse_amount("123,456,789.00"), Ok(Yuan(123_456_789)));
        // 0.1 亿元 is exactly 10,000,000 元, where 0.1 as a binary float is not.
        assert_eq!(MoneyUnit::Yi.parse_amount("0.1"), Ok(Yuan(10_000_000)));
        let refused = MoneyUnit::Yi.parse_amount("1.234567891").unwrap_err().to_string();
        assert_eq!(refused, "金额“1.234567891”亿元换算为元后不是整数：金额须精确到元");
        assert!(matches!(MoneyUnit::Yuan.parse_amount("12.5"), Err(MoneyError::NotWholeYuan(_, "元"))));
        assert!(matches!(MoneyUnit::Yi.parse_amount("999999999999"), Err(MoneyError::OutOfRange(_))));
        assert_eq!(MoneyUnit::parse(" 亿元 "), Some(MoneyUnit::Yi));
        assert_eq!(MoneyUnit::parse("美元"), None);
    }

    #[test]
    fn formats_wan_and_yi() {
        assert_eq!(Yuan(6_842_900_000).wan_string(), "684290.00");
        assert_eq!(Yuan(12_345).wan_string(), "1.2345");
        assert_eq!(Yuan(-12_300).wan_string(), "-1.23");
        assert_eq!(Yuan(6_842_900_000).yi_display(), "68.43");
        assert_eq!(Yuan(68_429_000_000).yi_display(), "684.29");
        assert_eq!(Yuan(12_345_678_900).wan_display(), "1,234,567.89");
        assert_eq!(Yuan(-5_000).wan_display(), "-0.50");
    }

    #[test]
    fn ratio_of_zero_denominator_is_none() {
        assert_eq!(ratio(1, 0), None);
        assert_eq!(ratio(1, 4), Some(0.25));
    }

    #[test]
    fn amounts_are_grouped_in_thousands() {
        assert_eq!(group_thousands("1215200.00"), "1,215,200.00");
        assert_eq!(group_thousands("-1234.5678"), "-1,234.5678");
        assert_eq!(group_thousands("999"), "999");
        assert_eq!(group_thousands("1000"), "1,000");
        assert_eq!(group_thousands("1,000.00"), "1,000.00");
        assert_eq!(group_thousands(""), "");
        assert_eq!(group_thousands("—"), "—");
    }
}
