//! 统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character
//! computed from the first 17 with a weighted sum modulo 31.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::str::FromStr;

/// The 31 characters a code may use; I, O, Z, S and V are left out to avoid misreading.
pub const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

pub const CODE_LENGTH: usize = 18;

const WEIGHTS: [u32; CODE_LENGTH - 1] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A validated credit code, always 18 uppercase characters with a correct check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CreditCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    /// Carries the length that was given, in characters.
    #[error("长度应为18位")]
    WrongLength(usize),
    #[error("含有非法字符“{0}”")]
    IllegalChar(char),
    /// Carries the check character the first 17 characters call for.
    #[error("校验位错误，应为“{0}”")]
    WrongCheckChar(char),
}

impl CreditCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for CreditCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text)
    }
}

// Same wire format as `transparent`, but a stored or posted code is validated on the way in.
impl<'de> Deserialize<'de> for CreditCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Validates a code as typed by a user: surrounding spaces and lowercase letters are tolerated.
pub fn parse(text: &str) -> Result<CreditCode, CreditCodeError> {
    let normalized = text.trim().to_uppercase();
    let chars: Vec<char> = normalized.chars().collect();
    if chars.len() != CODE_LENGTH {
        return Err(CreditCodeError::WrongLength(chars.len()));
    }
    let values = char_values(&chars)?;
    let expected = check_char_for(&values[..CODE_LENGTH - 1]);
    if chars[CODE_LENGTH - 1] != expected {
        return Err(CreditCodeError::WrongCheckChar(expected));
    }
    Ok(CreditCode(normalized))
}

/// Completes a 17-character prefix (trimmed and uppercased like `parse`) with its check
/// character, e.g. to make demo data.
/// `None` when the prefix is not 17 characters of the charset.
pub fn with_check_char(first17: &str) -> Option<String> {
    let normalized = first17.trim().to_uppercase();
    let chars: Vec<char> = normalized.chars().collect();
    if chars.len() != CODE_LENGTH - 1 {
        return None;
    }
    let values = char_values(&chars).ok()?;
    let mut code = normalized;
    code.push(check_char_for(&values));
    Some(code)
}

fn char_value(ch: char) -> Option<u32> {
    CHARSET.chars().position(|c| c == ch).map(|index| index as u32)
}

fn char_values(chars: &[char]) -> Result<Vec<u32>, CreditCodeError> {
    chars.iter().map(|&ch| char_value(ch).ok_or(CreditCodeError::IllegalChar(ch))).collect()
}

fn check_char_for(first17_values: &[u32]) -> char {
    let sum: u32 = first17_values.iter().zip(WEIGHTS).map(|(value, weight)| value * weight).sum();
    let check = (31 - sum % 31) % 31;
    CHARSET.chars().nth(check as usize).expect("check value is below 31")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Verified with the algorithm itself (also by an independent script), not taken on trust.
    const VALID_FUZHOU: &str = "91350100M000100Y43";
    const VALID_SHENZHEN: &str = "91440300708461136T";

    #[test]
    fn charset_has_31_characters_without_ambiguous_letters() {
        assert_eq!(CHARSET.chars().count(), 31);
        for letter in ['I', 'O', 'Z', 'S', 'V'] {
            assert!(!CHARSET.contains(letter));
        }
    }

    #[test]
    fn accepts_known_valid_codes() {
        assert_eq!(parse(VALID_FUZHOU).unwrap().as_str(), VALID_FUZHOU);
        assert_eq!(parse(VALID_SHENZHEN).unwrap().as_str(), VALID_SHENZHEN);
    }

    #[test]
    fn rejects_codes_whose_check_char_does_not_match() {
        // Both circulate as "examples"; the algorithm says their check characters are wrong.
        assert_eq!(parse("91620000224330434C"), Err(CreditCodeError::WrongCheckChar('W')));
        assert_eq!(parse("911100001000000063"), Err(CreditCodeError::WrongCheckChar('C')));
        assert!(parse("91620000224330434W").is_ok());
    }

    #[test]
    fn trims_and_uppercases_before_validating() {
        let code = parse("  91440300708461136t\t").unwrap();
        assert_eq!(code.as_str(), VALID_SHENZHEN);
        assert_eq!(code.to_string(), VALID_SHENZHEN);
        assert_eq!("91350100m000100y43".parse::<CreditCode>().unwrap().as_str(), VALID_FUZHOU);
    }

    #[test]
    fn reports_wrong_length_in_characters() {
        assert_eq!(parse(""), Err(CreditCodeError::WrongLength(0)));
        assert_eq!(parse("91350100M000100Y4"), Err(CreditCodeError::WrongLength(17)));
        assert_eq!(parse("91350100M000100Y433"), Err(CreditCodeError::WrongLength(19)));
        // 18 characters but more bytes: length counts characters.
        assert_eq!(parse("91350100M000100Y4中"), Err(CreditCodeError::IllegalChar('中')));
    }

    #[test]
    fn rejects_excluded_letters_and_symbols() {
        assert_eq!(parse("91350100M000100I43"), Err(CreditCodeError::IllegalChar('I')));
        assert_eq!(parse("O1350100M000100Y43"), Err(CreditCodeError::IllegalChar('O')));
        assert_eq!(parse("91350100M000100Y4-"), Err(CreditCodeError::IllegalChar('-')));
        // A fullwidth digit is not the ASCII digit.
        assert_eq!(parse("９1350100M000100Y43"), Err(CreditCodeError::IllegalChar('９')));
    }

    #[test]
    fn error_messages_are_chinese() {
        assert_eq!(CreditCodeError::WrongLength(3).to_string(), "长度应为18位");
        assert_eq!(CreditCodeError::IllegalChar('I').to_string(), "含有非法字符“I”");
        assert_eq!(CreditCodeError::WrongCheckChar('W').to_string(), "校验位错误，应为“W”");
    }

    #[test]
    fn with_check_char_completes_prefixes_that_then_parse() {
        assert_eq!(with_check_char("91350100M000100Y4").as_deref(), Some(VALID_FUZHOU));
        assert_eq!(with_check_char("91440300708461136").as_deref(), Some(VALID_SHENZHEN));
        for prefix in ["91620100MA7ABCDE1", "52620000000000000", "00000000000000000", "YYYYYYYYYYYYYYYYY"] {
            let code = with_check_char(prefix).unwrap();
            assert_eq!(code.len(), CODE_LENGTH);
            assert!(code.starts_with(prefix));
            assert!(parse(&code).is_ok(), "{code}");
        }
        // Sum 0 → 31 − 0 = 31, which wraps to check value 0.
        assert_eq!(with_check_char("00000000000000000").as_deref(), Some("000000000000000000"));
    }

    #[test]
    fn with_check_char_rejects_bad_prefixes() {
        assert_eq!(with_check_char("9135010M000100Y4"), None);
        assert_eq!(with_check_char("91350100M000100Y43"), None);
        assert_eq!(with_check_char("91350100M000100S4"), None);
    }

    #[test]
    fn changing_any_single_character_breaks_a_valid_code() {
        let code: Vec<char> = VALID_FUZHOU.chars().collect();
        for position in 0..CODE_LENGTH {
            for replacement in CHARSET.chars().filter(|&c| c != code[position]) {
                let mut altered = code.clone();
                altered[position] = replacement;
                let altered: String = altered.into_iter().collect();
                assert!(
                    matches!(parse(&altered), Err(CreditCodeError::WrongCheckChar(_))),
                    "{altered} should fail its check"
                );
            }
        }
    }

    #[test]
    fn swapping_adjacent_characters_breaks_a_valid_code() {
        let code: Vec<char> = VALID_SHENZHEN.chars().collect();
        for position in 0..CODE_LENGTH - 1 {
            if code[position] == code[position + 1] {
                continue;
            }
            let mut swapped = code.clone();
            swapped.swap(position, position + 1);
            let swapped: String = swapped.into_iter().collect();
            assert!(parse(&swapped).is_err(), "{swapped} should fail");
        }
    }

    #[test]
    fn serde_is_a_plain_string_and_validates_on_input() {
        let code = parse(VALID_FUZHOU).unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{VALID_FUZHOU}\""));
        let back: CreditCode = serde_json::from_str(&format!("\"{VALID_FUZHOU}\"")).unwrap();
        assert_eq!(back, code);
        let error = serde_json::from_str::<CreditCode>("\"91620000224330434C\"").unwrap_err();
        assert!(error.to_string().contains("校验位错误"));
    }
}
