//! 六必访: a member or cadre visits an enterprise and writes down the problems it raised;
//! each problem becomes an appeal of the enterprise's region (area 9's intake from
//! visits). These are the rules of the visit form's problem rows.

use crate::appeals::{Dimension, CATEGORIES};

/// The problem rows a visit form offers.
pub const PROBLEM_ROWS: usize = 3;

/// The form's field names of each row: (dimension, category, content).
pub const PROBLEM_FIELDS: [(&str, &str, &str); PROBLEM_ROWS] = [
    ("dimension_1", "category_1", "content_1"),
    ("dimension_2", "category_2", "content_2"),
    ("dimension_3", "category_3", "content_3"),
];

/// The longest problem a row takes.
pub const MAX_CONTENT_CHARS: usize = 2_000;

/// One problem raised on a visit, to be registered as an appeal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemDraft {
    pub dimension: Dimension,
    /// One of `CATEGORIES`, or empty.
    pub category: String,
    pub content: String,
}

/// A problem row as the form sent it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProblemRow {
    pub dimension: String,
    pub category: String,
    pub content: String,
}

/// The problems of a visit's rows, in order: a row left blank is skipped; a row with
/// anything typed must describe the problem and name its environment dimension, and a
/// category, when given, must be one of the list. The errors are keyed by the form's
/// field names.
pub fn check_problems(rows: &[ProblemRow]) -> Result<Vec<ProblemDraft>, Vec<(&'static str, String)>> {
    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    for (row, (dimension_field, category_field, content_field)) in rows.iter().zip(PROBLEM_FIELDS) {
        let (dimension, category, content) = (row.dimension.trim(), row.category.trim(), row.content.trim());
        if dimension.is_empty() && category.is_empty() && content.is_empty() {
            continue;
        }
        let parsed = match Dimension::parse(dimension) {
            Ok(parsed) => Some(parsed),
            Err(_) if dimension.is_empty() => {
                errors.push((dimension_field, "请选择问题所属的环境维度".to_string()));
                None
            }
            Err(error) => {
                errors.push((dimension_field, error.to_string()));
                None
            }
        };
        if !category.is_empty() && !CATEGORIES.contains(&category) {
            errors.push((category_field, format!("诉求类别“{category}”不在列表中，应为{}之一", CATEGORIES.join("、"))));
        }
        if content.is_empty() {
            errors.push((content_field, "请写明企业反映的问题".to_string()));
        } else if content.chars().count() > MAX_CONTENT_CHARS {
            errors.push((content_field, format!("问题描述过长（最多 {MAX_CONTENT_CHARS} 字）")));
        }
        if let Some(dimension) = parsed {
            drafts.push(ProblemDraft { dimension, category: category.to_string(), content: content.to_string() });
        }
    }
    if errors.is_empty() {
        Ok(drafts)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(dimension: &str, category: &str, content: &str) -> ProblemRow {
        ProblemRow { dimension: dimension.into(), category: category.into(), content: content.into() }
    }

    #[test]
    fn blank_rows_are_skipped_and_filled_ones_become_problems_in_order() {
        let rows = [row("", "", ""), row("要素环境", "要素保障", " 用电报装慢 "), row("市场", "", "检查过多")];
        let drafts = check_problems(&rows).unwrap();
        assert_eq!(
            drafts,
            [
                ProblemDraft {
                    dimension: Dimension::Factors,
                    category: "要素保障".into(),
                    content: "用电报装慢".into()
                },
                ProblemDraft { dimension: Dimension::Market, category: String::new(), content: "检查过多".into() },
            ]
        );
        assert_eq!(check_problems(&[row(" ", "", "")]), Ok(Vec::new()), "a visit may raise nothing");
    }

    #[test]
    fn a_started_row_needs_its_dimension_and_content_and_a_listed_category() {
        let rows = [row("", "", "缺维度"), row("政务环境", "其他", ""), row("营商", "融资", "x")];
        let errors = check_problems(&rows).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, ["dimension_1", "category_2", "content_2", "dimension_3"]);
        assert!(errors[1].1.contains("市场监管"), "the allowed categories are listed: {}", errors[1].1);
        let long = "问".repeat(MAX_CONTENT_CHARS + 1);
        assert_eq!(check_problems(&[row("法治环境", "", &long)]).unwrap_err()[0].0, "content_1");
        assert!(check_problems(&[row("法治环境", "", &long[..MAX_CONTENT_CHARS * 3])]).is_ok());
    }
}
