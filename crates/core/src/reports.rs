//! Research reports (调研报告, SPEC area 10) and their numbered suggestions grouped by
//! aspect: a group visits enterprises (蹲点调研) and writes "3个方面13条具体建议"; each
//! suggestion is one item that instructions and tasks follow.
//!
//! The report form takes its suggestions as one text, as reports are written: a heading
//! line per aspect (一、… or ending in ：), then one suggestion a line. Suggestions are
//! numbered through the whole report, whatever numbering the writer typed.

use chrono::NaiveDate;

/// One suggestion as filed: its aspect (方面), its number in the report, its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionDraft {
    pub aspect: String,
    pub number: u32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("{0}不能为空")]
    Missing(&'static str),
    #[error("第{line}行的建议不属于任何方面：请先写方面标题（如“一、优化营商环境”）")]
    NoAspect { line: usize },
    #[error("方面“{0}”下没有建议")]
    EmptyAspect(String),
    #[error("报告至少须有一条建议")]
    NoSuggestions,
    #[error("调研日期 {0} 晚于今天")]
    InTheFuture(NaiveDate),
    #[error("{what}过长（最多 {max} 字）")]
    TooLong { what: &'static str, max: usize },
}

/// The longest text one field takes.
pub const MAX_TEXT_CHARS: usize = 2_000;

const CHINESE_NUMERALS: [&str; 20] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七",
    "十八", "十九", "二十",
];

/// An aspect's number as a formal document writes it (一, 二, … 二十, then digits), from 1.
pub fn aspect_numeral(position: usize) -> String {
    position
        .checked_sub(1)
        .and_then(|i| CHINESE_NUMERALS.get(i))
        .map_or_else(|| position.to_string(), |n| n.to_string())
}

/// The heading of an aspect without its numbering (`一、`, `（一）`), or `None` when the
/// line is a suggestion.
fn aspect_heading(line: &str) -> Option<String> {
    for numeral in CHINESE_NUMERALS.iter().rev() {
        for (open, close) in [("", "、"), ("（", "）"), ("(", ")")] {
            if let Some(rest) = line.strip_prefix(open).and_then(|l| l.strip_prefix(numeral)) {
                if let Some(title) = rest.strip_prefix(close) {
                    return Some(title.trim().trim_end_matches(['：', ':']).trim().to_string());
                }
            }
        }
    }
    line.strip_suffix('：').or_else(|| line.strip_suffix(':')).map(|title| title.trim().to_string())
}

/// A suggestion's text without the numbering typed before it (`1.`, `1、`, `（1）`, `(1)`).
fn without_number(line: &str) -> &str {
    let unbracketed = line
        .strip_prefix('（')
        .or_else(|| line.strip_prefix('('))
        .map(|rest| rest.trim_start_matches(|c: char| c.is_ascii_digit()))
        .and_then(|rest| rest.strip_prefix('）').or_else(|| rest.strip_prefix(')')));
    if let Some(text) = unbracketed {
        return text.trim();
    }
    let digits = line.trim_start_matches(|c: char| c.is_ascii_digit());
    if digits.len() == line.len() {
        return line;
    }
    digits.strip_prefix(['.', '、', '．', ' ']).map(str::trim).unwrap_or(line)
}

/// The suggestions of a report's text, numbered 1, 2, … through the report.
pub fn parse_suggestions(text: &str) -> Result<Vec<SuggestionDraft>, ReportError> {
    let mut drafts: Vec<SuggestionDraft> = Vec::new();
    let mut aspect: Option<String> = None;
    let mut aspect_used = true;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(heading) = aspect_heading(line) {
            if let Some(previous) = aspect.filter(|_| !aspect_used) {
                return Err(ReportError::EmptyAspect(previous));
            }
            if heading.is_empty() {
                return Err(ReportError::Missing("方面标题"));
            }
            aspect = Some(heading);
            aspect_used = false;
            continue;
        }
        let Some(current) = &aspect else {
            return Err(ReportError::NoAspect { line: index + 1 });
        };
        let suggestion = without_number(line);
        check_length(suggestion, "建议")?;
        drafts.push(SuggestionDraft {
            aspect: current.clone(),
            number: u32::try_from(drafts.len() + 1).unwrap_or(u32::MAX),
            text: suggestion.to_string(),
        });
        aspect_used = true;
    }
    if let Some(previous) = aspect.filter(|_| !aspect_used) {
        return Err(ReportError::EmptyAspect(previous));
    }
    if drafts.is_empty() {
        return Err(ReportError::NoSuggestions);
    }
    Ok(drafts)
}

/// The aspects in the order the report takes them, each once.
pub fn aspects(drafts: &[SuggestionDraft]) -> Vec<&str> {
    let mut seen: Vec<&str> = Vec::new();
    for draft in drafts {
        if !seen.contains(&draft.aspect.as_str()) {
            seen.push(&draft.aspect);
        }
    }
    seen
}

/// A required text field, trimmed, of at most `MAX_TEXT_CHARS` characters.
pub fn required_text(text: &str, what: &'static str) -> Result<String, ReportError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ReportError::Missing(what));
    }
    check_length(text, what)?;
    Ok(text.to_string())
}

fn check_length(text: &str, what: &'static str) -> Result<(), ReportError> {
    if text.chars().count() > MAX_TEXT_CHARS {
        Err(ReportError::TooLong { what, max: MAX_TEXT_CHARS })
    } else {
        Ok(())
    }
}

/// A report is dated by its research, which cannot lie ahead.
pub fn check_report_date(date: NaiveDate, today: NaiveDate) -> Result<(), ReportError> {
    if date > today {
        Err(ReportError::InTheFuture(date))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_numbered_through_the_report_under_their_aspects() {
        let text = "一、优化营商环境\n1. 推行“一窗受理”\n2、压减审批时限\n\n（二）强化要素保障：\n（1）保障用地指标\n(2) 降低用电成本\n三、人才支撑:\n引进高层次人才\n";
        let drafts = parse_suggestions(text).unwrap();
        let numbered: Vec<(u32, &str, &str)> =
            drafts.iter().map(|d| (d.number, d.aspect.as_str(), d.text.as_str())).collect();
        assert_eq!(
            numbered,
            vec![
                (1, "优化营商环境", "推行“一窗受理”"),
                (2, "优化营商环境", "压减审批时限"),
                (3, "强化要素保障", "保障用地指标"),
                (4, "强化要素保障", "降低用电成本"),
                (5, "人才支撑", "引进高层次人才"),
            ]
        );
        assert_eq!(aspects(&drafts), vec!["优化营商环境", "强化要素保障", "人才支撑"]);
    }

    #[test]
    fn thirteen_suggestions_in_three_aspects_keep_two_digit_numbers_apart() {
        let mut text = String::from("一、产业链延伸\n");
        for n in 1..=13 {
            if n == 6 {
                text.push_str("二、项目落地：\n");
            }
            if n == 10 {
                text.push_str("十三、服务保障\n");
            }
            text.push_str(&format!("{n}、第{n}条建议\n"));
        }
        let drafts = parse_suggestions(&text).unwrap();
        assert_eq!(drafts.len(), 13);
        assert_eq!(drafts[12].text, "第13条建议");
        assert_eq!(drafts[12].aspect, "服务保障", "十三、 is read as one numeral");
        assert_eq!(aspects(&drafts).len(), 3);
    }

    #[test]
    fn a_report_without_aspects_or_suggestions_is_refused() {
        assert_eq!(parse_suggestions("推行一窗受理"), Err(ReportError::NoAspect { line: 1 }));
        assert_eq!(parse_suggestions("  \n"), Err(ReportError::NoSuggestions));
        assert_eq!(
            parse_suggestions("一、营商环境\n二、要素保障\n保障用地"),
            Err(ReportError::EmptyAspect("营商环境".into()))
        );
        assert_eq!(parse_suggestions("一、营商环境\n"), Err(ReportError::EmptyAspect("营商环境".into())));
        let long = format!("一、营商环境\n{}", "字".repeat(MAX_TEXT_CHARS + 1));
        assert!(parse_suggestions(&long).unwrap_err().to_string().contains("过长"));
        assert!(ReportError::NoAspect { line: 3 }.to_string().contains("第3行"));
    }

    #[test]
    fn fields_are_required_and_dates_not_ahead() {
        assert_eq!(required_text("  天水调研 ", "标题"), Ok("天水调研".into()));
        assert_eq!(required_text(" ", "标题"), Err(ReportError::Missing("标题")));
        let today = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
        assert!(check_report_date(today, today).is_ok());
        assert!(check_report_date(today.succ_opt().unwrap(), today).unwrap_err().to_string().contains("晚于今天"));
    }

    #[test]
    fn aspects_are_numbered_in_chinese_then_in_digits() {
        let numbered: Vec<String> = [1, 2, 10, 11, 20, 21].into_iter().map(aspect_numeral).collect();
        assert_eq!(numbered, ["一", "二", "十", "十一", "二十", "21"]);
    }
}
