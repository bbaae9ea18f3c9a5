//! The enterprise library (企业库, SPEC area 2): the tag vocabulary and the tags cell
//! of imports and forms.
//!
//! Tags are stored normalised: the vocabulary's labels in its order, joined by “、”,
//! with the stock code of a listed company kept apart, so that the same set of tags is
//! always the same text whatever order and separators a spreadsheet used.

use serde::Serialize;
use std::fmt;

/// The separator tags are stored and exported with.
pub const TAG_SEPARATOR: &str = "、";

/// Separators accepted in a tags cell: 、 ; ； , ， and line breaks.
const CELL_SEPARATORS: [char; 7] = ['、', ';', '；', ',', '，', '\n', '\r'];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tag {
    Global500,
    China500,
    Private500,
    IndustryTop100,
    Listed,
    Specialised,
    LittleGiant,
    SingleChampion,
    HighTech,
}

impl Tag {
    /// In the order tags are stored and shown: scale rankings, listing, then honours.
    pub const ALL: [Tag; 9] = [
        Tag::Global500,
        Tag::China500,
        Tag::Private500,
        Tag::IndustryTop100,
        Tag::Listed,
        Tag::Specialised,
        Tag::LittleGiant,
        Tag::SingleChampion,
        Tag::HighTech,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tag::Global500 => "世界500强",
            Tag::China500 => "中国500强",
            Tag::Private500 => "民营500强",
            Tag::IndustryTop100 => "行业百强",
            Tag::Listed => "上市公司",
            Tag::Specialised => "专精特新",
            Tag::LittleGiant => "小巨人",
            Tag::SingleChampion => "单项冠军",
            Tag::HighTech => "高新技术企业",
        }
    }

    /// Other ways the same tag is written in official lists.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Tag::Global500 => &["世界五百强", "财富世界500强"],
            Tag::China500 => &["中国五百强", "中国企业500强"],
            Tag::Private500 => &["民营五百强", "中国民营企业500强"],
            Tag::IndustryTop100 => &["行业100强"],
            Tag::Listed => &["上市企业"],
            Tag::Specialised => &["专精特新企业", "专精特新中小企业"],
            Tag::LittleGiant => &["专精特新小巨人", "专精特新“小巨人”", "“小巨人”", "小巨人企业"],
            Tag::SingleChampion => &["制造业单项冠军", "单项冠军企业"],
            Tag::HighTech => &["高新技术", "高企", "国家高新技术企业"],
        }
    }

    /// A tag from its label or an alias (surrounding spaces ignored).
    pub fn parse(text: &str) -> Option<Tag> {
        let text = text.trim();
        Tag::ALL.into_iter().find(|tag| tag.label() == text || tag.aliases().contains(&text))
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The tags of one enterprise, normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tags {
    tags: Vec<Tag>,
    /// The stock code given with 上市公司, e.g. "600111" or "00700.HK".
    stock_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    #[error("标签“{0}”不在标签库中")]
    Unknown(String),
    #[error("股票代码“{0}”无效，应为如 600111 或 00700.HK 的代码")]
    BadStockCode(String),
    #[error("只有“上市公司”可以带股票代码，“{0}”不行")]
    CodeOnUnlistedTag(String),
    #[error("股票代码前后不一致：“{0}”与“{1}”")]
    TwoStockCodes(String, String),
}

impl Tags {
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    pub fn contains(&self, tag: Tag) -> bool {
        self.tags.contains(&tag)
    }

    pub fn stock_code(&self) -> Option<&str> {
        self.stock_code.as_deref()
    }

    /// The stored text: labels in vocabulary order joined by “、”, without the stock code.
    pub fn labels(&self) -> String {
        self.tags.iter().map(|tag| tag.label()).collect::<Vec<_>>().join(TAG_SEPARATOR)
    }

    /// The tags as stored, with the stock code put back on 上市公司: what an export writes
    /// so that it imports back unchanged.
    pub fn cell_text(&self) -> String {
        self.tags
            .iter()
            .map(|tag| match (tag, &self.stock_code) {
                (Tag::Listed, Some(code)) => format!("{}({code})", tag.label()),
                _ => tag.label().to_string(),
            })
            .collect::<Vec<_>>()
            .join(TAG_SEPARATOR)
    }

    /// Tags as stored (`labels` and a stock code); unknown labels are dropped, as the
    /// database only ever holds what `parse_tags` accepted.
    pub fn from_stored(labels: &str, stock_code: &str) -> Tags {
        let mut tags: Vec<Tag> = labels.split(TAG_SEPARATOR).filter_map(Tag::parse).collect();
        tags.sort();
        tags.dedup();
        let stock_code = Some(stock_code.trim().to_string()).filter(|code| !code.is_empty());
        Tags { tags, stock_code }
    }
}

/// A stock code as exchanges write them: 4–6 digits (A shares, Hong Kong) or letters
/// (US tickers), optionally with a market suffix (".SH", ".HK").
fn valid_stock_code(code: &str) -> bool {
    let (symbol, market) = match code.split_once('.') {
        Some((symbol, market)) => (symbol, Some(market)),
        None => (code, None),
    };
    let symbol_ok = (symbol.len() >= 4 && symbol.len() <= 6 && symbol.bytes().all(|b| b.is_ascii_digit()))
        || (!symbol.is_empty() && symbol.len() <= 5 && symbol.bytes().all(|b| b.is_ascii_uppercase()));
    let market_ok = market.is_none_or(|m| (1..=3).contains(&m.len()) && m.bytes().all(|b| b.is_ascii_uppercase()));
    symbol_ok && market_ok
}

/// Splits "上市公司(600111)" into the tag text and the code in brackets (ASCII or
/// full-width); `None` for the code when there are no brackets.
fn split_code(item: &str) -> (&str, Option<&str>) {
    let open = item.find(['(', '（']);
    let close = item.strip_suffix(')').or_else(|| item.strip_suffix('）'));
    match (open, close) {
        (Some(open), Some(without_close)) => {
            let bracket_len = item[open..].chars().next().map_or(1, char::len_utf8);
            (item[..open].trim(), Some(without_close[open + bracket_len..].trim()))
        }
        _ => (item, None),
    }
}

/// Parses a tags cell: tags separated by 、 ; ； , or ，, each a label or alias of the
/// vocabulary; 上市公司 may carry its stock code in brackets ("上市公司(600111)").
/// `separate_stock_code` is a code given elsewhere (a form field). Every problem is reported.
pub fn parse_tags(cell: &str, separate_stock_code: Option<&str>) -> Result<Tags, Vec<TagError>> {
    let mut tags = Vec::new();
    let mut errors = Vec::new();
    let separate = separate_stock_code.map(|code| code.trim().to_uppercase()).filter(|code| !code.is_empty());
    let mut stock_code = separate.clone();
    for item in cell.split(CELL_SEPARATORS).map(str::trim).filter(|item| !item.is_empty()) {
        let (label, code) = split_code(item);
        let Some(tag) = Tag::parse(label) else {
            errors.push(TagError::Unknown(item.to_string()));
            continue;
        };
        if let Some(code) = code {
            let code = code.to_uppercase();
            if tag != Tag::Listed {
                errors.push(TagError::CodeOnUnlistedTag(item.to_string()));
            } else if !valid_stock_code(&code) {
                errors.push(TagError::BadStockCode(code));
            } else {
                match &stock_code {
                    Some(known) if *known != code => errors.push(TagError::TwoStockCodes(known.clone(), code)),
                    _ => stock_code = Some(code),
                }
            }
        }
        tags.push(tag);
    }
    if let Some(code) = &separate {
        if !valid_stock_code(code) {
            errors.push(TagError::BadStockCode(code.clone()));
        } else if !tags.contains(&Tag::Listed) {
            // A stock code says the company is listed.
            tags.push(Tag::Listed);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    tags.sort();
    tags.dedup();
    Ok(Tags { tags, stock_code })
}

/// The vocabulary for messages: "世界500强、中国500强、…".
pub fn vocabulary() -> String {
    Tag::ALL.iter().map(|tag| tag.label()).collect::<Vec<_>>().join(TAG_SEPARATOR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_aliases_parse() {
        for tag in Tag::ALL {
            assert_eq!(Tag::parse(tag.label()), Some(tag));
            assert_eq!(Tag::parse(&format!(" {} ", tag.label())), Some(tag));
        }
        assert_eq!(Tag::parse("专精特新“小巨人”"), Some(Tag::LittleGiant));
        assert_eq!(Tag::parse("国家高新技术企业"), Some(Tag::HighTech));
        assert_eq!(Tag::parse("独角兽"), None);
    }

    #[test]
    fn cells_split_on_every_usual_separator_and_normalise() {
        let tags = parse_tags("高新技术企业；世界500强、 专精特新,小巨人，单项冠军;中国500强", None).unwrap();
        assert_eq!(
            tags.tags(),
            [Tag::Global500, Tag::China500, Tag::Specialised, Tag::LittleGiant, Tag::SingleChampion, Tag::HighTech]
        );
        assert_eq!(tags.labels(), "世界500强、中国500强、专精特新、小巨人、单项冠军、高新技术企业");
        assert_eq!(parse_tags("", None).unwrap(), Tags::default());
        assert_eq!(parse_tags(" 、；", None).unwrap().labels(), "");
        assert_eq!(parse_tags("高企、高新技术企业", None).unwrap().tags(), [Tag::HighTech], "duplicates collapse");
    }

    #[test]
    fn listed_companies_carry_their_stock_code() {
        let tags = parse_tags("上市公司(600111)、行业百强", None).unwrap();
        assert_eq!(tags.stock_code(), Some("600111"));
        assert_eq!(tags.labels(), "行业百强、上市公司");
        assert_eq!(tags.cell_text(), "行业百强、上市公司(600111)");
        assert_eq!(parse_tags("上市公司（00700.hk）", None).unwrap().stock_code(), Some("00700.HK"));
        assert_eq!(parse_tags("上市公司", None).unwrap().stock_code(), None);
        // A separate stock code marks the company listed.
        let separate = parse_tags("专精特新", Some("300750")).unwrap();
        assert_eq!(separate.cell_text(), "上市公司(300750)、专精特新");
        assert_eq!(parse_tags("上市公司(300750)", Some("300750")).unwrap().stock_code(), Some("300750"));
    }

    #[test]
    fn stored_tags_read_back_to_the_same_cell() {
        let parsed = parse_tags("专精特新;上市公司(601212)", None).unwrap();
        let stored = Tags::from_stored(&parsed.labels(), parsed.stock_code().unwrap_or(""));
        assert_eq!(stored, parsed);
        assert_eq!(Tags::from_stored("", ""), Tags::default());
    }

    #[test]
    fn unknown_tags_and_bad_codes_are_all_reported_in_chinese() {
        let errors = parse_tags("世界500强、独角兽、上市公司(60)、专精特新(300750)、瞪羚企业", None).unwrap_err();
        assert_eq!(
            errors,
            [
                TagError::Unknown("独角兽".into()),
                TagError::BadStockCode("60".into()),
                TagError::CodeOnUnlistedTag("专精特新(300750)".into()),
                TagError::Unknown("瞪羚企业".into()),
            ]
        );
        assert_eq!(errors[0].to_string(), "标签“独角兽”不在标签库中");
        assert!(errors[1].to_string().contains("股票代码“60”无效"));
        let two = parse_tags("上市公司(600111)", Some("600112")).unwrap_err();
        assert_eq!(two, [TagError::TwoStockCodes("600112".into(), "600111".into())]);
        assert!(vocabulary().starts_with("世界500强、中国500强、民营500强"));
    }

    #[test]
    fn stock_codes_of_the_main_markets() {
        for good in ["600111", "000001", "300750", "688981", "00700", "0700.HK", "600111.SH", "BABA", "830799"] {
            assert!(valid_stock_code(good), "{good}");
        }
        for bad in ["", "60", "6001111", "600111.", "ABCDEFG", "60A111", "600111.SHANG"] {
            assert!(!valid_stock_code(bad), "{bad}");
        }
    }
}
