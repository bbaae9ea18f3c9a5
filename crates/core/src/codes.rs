//! The next free record code a form proposes (项目编号, 诉求编号), from the codes in use.

/// A code split into the text before its trailing digits and those digits.
fn split_number(code: &str) -> Option<(&str, &str)> {
    let digits = code.len() - code.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    (digits > 0).then(|| code.split_at(code.len() - digits))
}

/// The code after the latest of `existing`: the prefix of its highest numbered code (by
/// prefix, then number) with the next number, as wide as the widest of that prefix
/// ("GS-620500-2024-0120" → "GS-620500-2024-0121"). Without numbered codes, a new series
/// `{fresh_series}0001` ("620400-2026-" → "620400-2026-0001"). Never one of `existing`.
pub fn next_code<'a>(existing: impl IntoIterator<Item = &'a str>, fresh_series: &str) -> String {
    let existing: Vec<&str> = existing.into_iter().map(str::trim).collect();
    let numbered: Vec<(&str, &str)> = existing.iter().filter_map(|code| split_number(code)).collect();
    let latest =
        numbered.iter().filter_map(|&(prefix, digits)| digits.parse::<u64>().ok().map(|number| (prefix, number))).max();
    let (prefix, mut number, width) = match latest {
        Some((prefix, number)) => {
            let width = numbered.iter().filter(|(p, _)| *p == prefix).map(|(_, d)| d.len()).max().unwrap_or(1);
            (prefix.to_string(), number + 1, width)
        }
        None => (fresh_series.to_string(), 1, 4),
    };
    loop {
        let code = format!("{prefix}{number:0width$}");
        if !existing.contains(&code.as_str()) {
            return code;
        }
        number += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continues_the_latest_series_at_its_width() {
        let codes = ["GS-620500-2023-0150", "GS-620500-2024-0009", "GS-620500-2024-0120"];
        assert_eq!(next_code(codes, "620500-2026-"), "GS-620500-2024-0121");
        assert_eq!(next_code(["TS-2024-001", "TS-2024-017", "TS-2024-9"], "620500-2026-"), "TS-2024-018");
        assert_eq!(next_code(["TS-999"], "620500-2026-"), "TS-1000", "wider when the series outgrows it");
    }

    #[test]
    fn starts_a_series_for_a_region_without_numbered_codes() {
        assert_eq!(next_code([], "620400-2026-"), "620400-2026-0001");
        assert_eq!(next_code(["白银项目"], "620400-2026-"), "620400-2026-0001");
    }

    #[test]
    fn never_proposes_a_code_in_use() {
        // Codes are compared trimmed, and the width is the series' widest.
        assert_eq!(next_code(["A-09", "A-9", " A-10 "], "620400-2026-"), "A-11");
        assert_eq!(next_code(["A-0009", "A-0010"], "620400-2026-"), "A-0011");
        assert_eq!(next_code(["620400-2026-0001", "x"], "620400-2026-"), "620400-2026-0002");
    }
}
