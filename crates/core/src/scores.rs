//! Composite scores shared by the assessments (市州综合评价, 先进商会, …): the efficacy
//! coefficient (功效系数) that puts indicators of different units on one scale, the
//! weighted sum, rounding half up for display and the comparison used to rank.
//!
//! Scores are sums of scaled fractions, so they carry float noise in the last bits: two
//! regions with the same figures must tie, and 80.125 must show as 80.13 even when the sum
//! came out as 80.12499999999999. Both go through [`SCORE_TOLERANCE`].

use std::cmp::Ordering;

/// Differences below this are float noise, not a difference in figures.
pub const SCORE_TOLERANCE: f64 = 1e-9;

/// The efficacy coefficient of each value among all of them: 60 + 40 × (x − min) / (max − min),
/// min and max taken over the present values. A missing value scores 60; when all present
/// values are equal, each scores 100.
pub fn efficacy_scaled(values: &[Option<f64>]) -> Vec<f64> {
    let present = values.iter().flatten().copied();
    let min = present.clone().fold(f64::INFINITY, f64::min);
    let max = present.fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|value| match value {
            None => 60.0,
            Some(_) if max - min <= 0.0 => 100.0,
            Some(x) => 60.0 + 40.0 * (x - min) / (max - min),
        })
        .collect()
}

/// Σ weightᵢ × scaledᵢ for one item; `weights` and `scaled` pair up in order.
pub fn weighted_sum(weights: &[f64], scaled: &[f64]) -> f64 {
    debug_assert_eq!(weights.len(), scaled.len());
    weights.iter().zip(scaled).map(|(w, s)| w * s).sum()
}

/// Rounds half up (away from zero for the positive scores here) to `decimals` places,
/// treating a value within [`SCORE_TOLERANCE`] of a half as the half.
pub fn round_half_up(value: f64, decimals: u32) -> f64 {
    let factor = 10f64.powi(decimals as i32);
    let scaled = value * factor;
    let nudged = scaled + scaled.signum() * SCORE_TOLERANCE * factor;
    nudged.round() / factor
}

/// Orders scores best first; scores within [`SCORE_TOLERANCE`] are equal, so that the
/// next key of a ranking decides between them.
pub fn best_first(a: f64, b: f64) -> Ordering {
    if (a - b).abs() <= SCORE_TOLERANCE {
        Ordering::Equal
    } else {
        b.partial_cmp(&a).unwrap_or(Ordering::Equal)
    }
}

/// Weights are typed with at most four decimals and add up to exactly 1.
pub const WEIGHT_UNITS: i64 = 10_000;

/// A weight as shown: two decimals, up to four when it has them ("0.30", "0.125").
pub fn shown_weight(weight: f64) -> String {
    let mut text = format!("{weight:.4}");
    while text.len() > text.find('.').map_or(0, |dot| dot + 3) && text.ends_with('0') {
        text.pop();
    }
    text
}

/// A weight as typed ("0.25", "0.3", "1"): ten-thousandths, or why it is no weight.
pub fn weight_units(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if text.is_empty() || whole.is_empty() || !digits(whole) || !digits(fraction) || text.starts_with('-') {
        return Err(format!("“{text}”不是有效权重：应为 0 到 1 之间的非负小数，如 0.25"));
    }
    if fraction.len() > 4 {
        return Err(format!("权重“{text}”最多保留四位小数"));
    }
    let whole: i64 = whole.parse().map_err(|_| format!("权重“{text}”超出范围：应在 0 到 1 之间"))?;
    let fraction: i64 = format!("{fraction:0<4}").parse().unwrap_or(0);
    let units = whole.saturating_mul(WEIGHT_UNITS).saturating_add(fraction);
    if units > WEIGHT_UNITS {
        return Err(format!("权重“{text}”超出范围：应在 0 到 1 之间"));
    }
    Ok(units)
}

/// Weights as typed into the fields `(key, label)`: their ten-thousandths, or each bad
/// field's error, named by its key and starting with its label.
pub fn typed_weight_units<const N: usize>(
    typed: [&str; N],
    fields: &[(&'static str, &'static str); N],
) -> Result<[i64; N], Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let mut units = [0_i64; N];
    for (i, text) in typed.iter().enumerate() {
        let (key, label) = fields[i];
        match weight_units(text) {
            Ok(value) => units[i] = value,
            Err(message) => errors.push((key, format!("{label}：{message}"))),
        }
    }
    if errors.is_empty() {
        Ok(units)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_efficacy_coefficient_runs_from_60_to_100() {
        let scaled = efficacy_scaled(&[Some(10.0), Some(20.0), Some(15.0), None]);
        assert_eq!(scaled, vec![60.0, 100.0, 80.0, 60.0]);
    }

    #[test]
    fn equal_values_all_score_100_and_missing_ones_60() {
        assert_eq!(efficacy_scaled(&[Some(3.0), None, Some(3.0)]), vec![100.0, 60.0, 100.0]);
        assert_eq!(efficacy_scaled(&[None, None]), vec![60.0, 60.0]);
        assert_eq!(efficacy_scaled(&[]), Vec::<f64>::new());
    }

    #[test]
    fn halves_round_up_despite_float_noise() {
        assert_eq!(round_half_up(80.125, 2), 80.13);
        assert_eq!(round_half_up(80.12499999999999, 2), 80.13);
        assert_eq!(round_half_up(80.1249, 2), 80.12);
        assert_eq!(round_half_up(1.005, 2), 1.01); // 1.005 is 1.00499999999999989… as a float
        assert_eq!(round_half_up(100.0, 2), 100.0);
        assert_eq!(round_half_up(0.0, 2), 0.0);
    }

    #[test]
    fn weighted_sums_that_differ_by_noise_tie() {
        let a = weighted_sum(&[0.1, 0.2], &[0.1 * 3.0, 0.7]);
        let b = weighted_sum(&[0.1, 0.2], &[0.3, 0.7]);
        assert_eq!(best_first(a, b), Ordering::Equal);
        assert_eq!(best_first(90.0, 80.0), Ordering::Less, "the higher score comes first");
        assert_eq!(best_first(80.0, 90.0), Ordering::Greater);
    }
}
