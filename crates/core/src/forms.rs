//! What every area's form checking shares: the errors a form answers with, one message
//! per field, and the text and day fields nearly every form has.

use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Field name → message, for showing next to each field.
pub type FieldErrors = BTreeMap<&'static str, String>;

/// A text field trimmed, with an error when a required one is empty or any is longer than
/// `max` characters.
pub fn text(
    errors: &mut FieldErrors,
    field: &'static str,
    label: &str,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    let value = value.trim();
    if required && value.is_empty() {
        errors.insert(field, format!("请填写{label}"));
    } else if value.chars().count() > max {
        errors.insert(field, format!("{label}不能超过 {max} 个字"));
    }
    value.to_string()
}

/// A required day written `YYYY-MM-DD`.
pub fn parse_day(errors: &mut FieldErrors, field: &'static str, label: &str, value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        errors.insert(field, format!("请填写{label}"));
        return None;
    }
    let day = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
    if day.is_none() {
        errors.insert(field, format!("{label}“{value}”不是有效日期，应为 YYYY-MM-DD"));
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_checked_for_presence_and_length() {
        let mut errors = FieldErrors::new();
        assert_eq!(text(&mut errors, "name", "名称", "  兰洽会 ", 10, true), "兰洽会");
        assert!(errors.is_empty());
        text(&mut errors, "name", "名称", "   ", 10, true);
        assert_eq!(errors["name"], "请填写名称");
        let mut errors = FieldErrors::new();
        assert_eq!(text(&mut errors, "notes", "备注", "", 10, false), "");
        assert!(errors.is_empty());
        text(&mut errors, "notes", "备注", &"长".repeat(11), 10, false);
        assert_eq!(errors["notes"], "备注不能超过 10 个字");
    }

    #[test]
    fn days_are_required_and_written_year_month_day() {
        let mut errors = FieldErrors::new();
        assert_eq!(parse_day(&mut errors, "on", "日期", " 2024-07-08 "), NaiveDate::from_ymd_opt(2024, 7, 8));
        assert!(errors.is_empty());
        assert_eq!(parse_day(&mut errors, "on", "日期", ""), None);
        assert_eq!(errors["on"], "请填写日期");
        assert_eq!(parse_day(&mut errors, "on", "日期", "2024/7/8"), None);
        assert_eq!(errors["on"], "日期“2024/7/8”不是有效日期，应为 YYYY-MM-DD");
    }
}
