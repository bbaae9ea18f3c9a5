//! Figures a cadre would not believe, refused or flagged alike by forms and imports:
//! facts dated after today, a new next step already overdue, and funds in place above
//! the total investment (allowed only when someone confirms it).

use crate::money::Yuan;
use chrono::NaiveDate;

/// Why a fact (a signing, a start, production, funds arriving) cannot be dated `date`:
/// it has not happened yet when that day is after `today` (China time).
pub fn future_fact(name: &str, date: NaiveDate, today: NaiveDate) -> Option<String> {
    (date > today).then(|| format!("{name}{date}晚于今天（{today}），已发生的事项不能填写将来的日期"))
}

/// Why a new next step cannot be due on `due`: the day has passed already.
pub fn past_due(name: &str, due: NaiveDate, today: NaiveDate) -> Option<String> {
    (due < today).then(|| format!("新的下一步工作{name}不能早于今天（{today}）"))
}

/// Whether the funds in place exceed a known (positive) total investment.
pub fn funds_exceed_investment(funds_in_place: Yuan, total_investment: Yuan) -> bool {
    total_investment.0 > 0 && funds_in_place.0 > total_investment.0
}

/// The excess in words, for a form's field error and an import's warning alike.
pub fn excess_funds_message(funds_in_place: Yuan, total_investment: Yuan) -> String {
    format!("累计到位资金 {} 万元超过总投资 {} 万元", funds_in_place.wan_display(), total_investment.wan_display())
}

/// The label of the checkbox that confirms funds in place above the total investment.
pub const CONFIRM_EXCESS_FUNDS: &str = "确认到位资金超过总投资";

crate::vocabulary! {
    /// The flag a project keeps while its funds in place exceed its total investment.
    pub enum ExcessFunds {
        None => ("", "无"),
        Unconfirmed => ("unconfirmed", "待确认"),
        Confirmed => ("confirmed", "已确认"),
    }
}

impl ExcessFunds {
    /// The flag after a write: none once the funds no longer exceed the total; confirmed
    /// when the writer confirms it, or when it was confirmed and the write changed
    /// neither figure; otherwise waiting for confirmation (an import, or a new figure).
    pub fn after(self, exceeds: bool, figures_changed: bool, confirmed_now: bool) -> ExcessFunds {
        match (exceeds, confirmed_now, self, figures_changed) {
            (false, ..) => ExcessFunds::None,
            (true, true, ..) => ExcessFunds::Confirmed,
            (true, false, ExcessFunds::Confirmed, false) => ExcessFunds::Confirmed,
            _ => ExcessFunds::Unconfirmed,
        }
    }

    /// The flag stored under `key`; an unknown key reads as unconfirmed, so it is looked at.
    pub fn from_stored(key: &str) -> ExcessFunds {
        ExcessFunds::from_key(key).unwrap_or(ExcessFunds::Unconfirmed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::day;

    #[test]
    fn facts_may_be_dated_today_but_not_tomorrow() {
        let today = day("2026-12-06");
        assert_eq!(future_fact("签约日期", today, today), None);
        assert_eq!(future_fact("签约日期", day("2020-01-01"), today), None);
        assert_eq!(
            future_fact("到位日期", day("2030-01-01"), today).as_deref(),
            Some("到位日期2030-01-01晚于今天（2026-12-06），已发生的事项不能填写将来的日期")
        );
        assert!(future_fact("投产日期", day("2026-12-07"), today).is_some());
    }

    #[test]
    fn a_new_next_step_may_be_due_today_but_not_yesterday() {
        let today = day("2026-12-06");
        assert_eq!(past_due("到期日", today, today), None);
        assert_eq!(past_due("到期日", day("2027-01-01"), today), None);
        assert_eq!(
            past_due("到期日", day("2020-05-01"), today).as_deref(),
            Some("新的下一步工作到期日不能早于今天（2026-12-06）")
        );
    }

    #[test]
    fn funds_exceed_only_a_known_total_and_only_strictly() {
        let wan = |w: i64| Yuan(w * 10_000);
        assert!(funds_exceed_investment(wan(500_000), wan(120_000)));
        assert!(!funds_exceed_investment(wan(120_000), wan(120_000)));
        assert!(!funds_exceed_investment(wan(1), wan(0)), "no total given yet");
        assert_eq!(
            excess_funds_message(wan(500_000), wan(120_000)),
            "累计到位资金 500,000.00 万元超过总投资 120,000.00 万元"
        );
    }

    #[test]
    fn the_flag_follows_the_figures_and_the_confirmation() {
        use ExcessFunds::*;
        for previous in [None, Unconfirmed, Confirmed] {
            assert_eq!(previous.after(false, true, true), None, "no longer exceeding clears it");
            assert_eq!(previous.after(true, true, true), Confirmed);
            assert_eq!(previous.after(true, true, false), Unconfirmed, "a new figure from a file waits");
        }
        assert_eq!(Confirmed.after(true, false, false), Confirmed, "an edit of other fields keeps it");
        assert_eq!(Unconfirmed.after(true, false, false), Unconfirmed);
        assert_eq!(None.after(true, false, false), Unconfirmed, "found on an older record");
        assert_eq!(ExcessFunds::from_stored(""), None);
        assert_eq!(ExcessFunds::from_stored("confirmed"), Confirmed);
        assert_eq!(ExcessFunds::from_stored("x"), Unconfirmed);
        assert_eq!(Unconfirmed.label(), "待确认");
    }
}
