//! Free text typed into filters and search boxes.

/// The longest keyword a list filter or search takes: names and codes are far shorter,
/// and a longer one only burdens the database (SQLite refuses LIKE patterns past 50,000 bytes).
pub const MAX_KEYWORD_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("搜索关键词过长：最多 {MAX_KEYWORD_CHARS} 个字")]
pub struct KeywordTooLong;

/// A keyword as a filter uses it: trimmed, `None` when empty, refused when too long.
pub fn keyword(raw: Option<&str>) -> Result<Option<String>, KeywordTooLong> {
    let Some(text) = non_empty(raw) else { return Ok(None) };
    if text.chars().count() > MAX_KEYWORD_CHARS {
        return Err(KeywordTooLong);
    }
    Ok(Some(text.to_string()))
}

/// A typed value as a filter or form reads it: trimmed, `None` when empty ("not given").
pub fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// User text (a name, a step) made plain for a robot's markdown message: one line, and
/// the characters that open markdown or HTML (headings, emphasis, links, tags, code)
/// swapped for their full-width forms, which read the same in Chinese text, rather than
/// backslash escapes, which the robots' markdown subsets (企业微信, 钉钉) are not known to
/// honour. So a name cannot add a heading, a link or a coloured tag to the message. JSON
/// quoting is the serializer's.
pub fn markdown_plain(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line
        .chars()
        .map(|c| match c {
            '#' => '＃',
            '*' => '＊',
            '_' => '＿',
            '~' => '～',
            '`' => '｀',
            '[' => '［',
            ']' => '］',
            '<' => '＜',
            '>' => '＞',
            '|' => '｜',
            other => other,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("页码“{0}”无效，应为不小于 1 的整数")]
pub struct BadPageNumber(pub String);

/// A 1-based page number as typed in a query string: 1 when absent or empty.
pub fn page_number(raw: Option<&str>) -> Result<u32, BadPageNumber> {
    match non_empty(raw) {
        None => Ok(1),
        Some(text) => text.parse::<u32>().ok().filter(|&page| page >= 1).ok_or_else(|| BadPageNumber(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_in_user_text_is_shown_not_followed() {
        assert_eq!(markdown_plain("白银某某材料有限公司"), "白银某某材料有限公司");
        assert_eq!(
            markdown_plain("走访\n### 假标题\r\n[点我](http://x) <font color=\"warning\">**急**</font>"),
            "走访 ＃＃＃ 假标题 ［点我］(http://x) ＜font color=\"warning\"＞＊＊急＊＊＜/font＞"
        );
        assert_eq!(markdown_plain("  a_b ~~c~~ `d` |e| "), "a＿b ～～c～～ ｀d｀ ｜e｜");
    }

    #[test]
    fn keywords_are_trimmed_and_bounded() {
        assert_eq!(keyword(None), Ok(None));
        assert_eq!(keyword(Some("  ")), Ok(None));
        assert_eq!(keyword(Some(" 稀土 ")), Ok(Some("稀土".to_string())));
        assert_eq!(keyword(Some(&"稀".repeat(MAX_KEYWORD_CHARS))).unwrap().unwrap().chars().count(), 100);
        assert_eq!(keyword(Some(&"稀".repeat(MAX_KEYWORD_CHARS + 1))), Err(KeywordTooLong));
        assert!(KeywordTooLong.to_string().contains("过长"));
    }

    #[test]
    fn page_numbers_start_at_one() {
        assert_eq!(page_number(None), Ok(1));
        assert_eq!(page_number(Some(" ")), Ok(1));
        assert_eq!(page_number(Some(" 3 ")), Ok(3));
        for bad in ["0", "-1", "abc", "1.5", "99999999999"] {
            assert_eq!(page_number(Some(bad)), Err(BadPageNumber(bad.to_string())), "{bad}");
        }
        assert_eq!(BadPageNumber("x".into()).to_string(), "页码“x”无效，应为不小于 1 的整数");
    }
}
