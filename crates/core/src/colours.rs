//! Colours the charts paint and the text written on them: WCAG 2 contrast, the map's
//! palette and, for each of its fills, the label colour that stays readable on it.

use serde::Serialize;

/// An sRGB colour written `#rgb` or `#rrggbb`; `None` for anything else (gradients,
/// translucent colours).
pub fn hex_colour(text: &str) -> Option<[u8; 3]> {
    let hex = text.trim().strip_prefix('#')?;
    let digits: Vec<u8> = hex.chars().map(|c| c.to_digit(16).map(|d| d as u8)).collect::<Option<_>>()?;
    match digits.as_slice() {
        [r, g, b] => Some([r * 17, g * 17, b * 17]),
        [r1, r0, g1, g0, b1, b0] => Some([r1 * 16 + r0, g1 * 16 + g0, b1 * 16 + b0]),
        _ => None,
    }
}

/// WCAG 2 relative luminance.
pub fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |channel: u8| {
        let c = f64::from(channel) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG 2 contrast ratio of two colours, 1 to 21.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Label colours: dark text on light fills, white on dark ones.
pub const DARK_TEXT: &str = "#000000";
pub const LIGHT_TEXT: &str = "#ffffff";

/// The label colour that reads best on `fill` (WCAG: at least 4.58:1 on any fill, as one
/// of black and white always does); dark text for a colour that cannot be read.
pub fn label_colour_on(fill: &str) -> &'static str {
    let Some(fill) = hex_colour(fill) else { return DARK_TEXT };
    let on = |text: &str| hex_colour(text).map_or(0.0, |text| contrast(text, fill));
    if on(LIGHT_TEXT) > on(DARK_TEXT) {
        LIGHT_TEXT
    } else {
        DARK_TEXT
    }
}

/// One step of a map's colour scale: the regions' fill and the label written on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MapStep {
    pub fill: &'static str,
    pub text: &'static str,
}

/// The fills of a map's colour scale, lowest values first (red, as the cockpit's).
const MAP_FILLS: [&str; 5] = ["#fee2e2", "#fca5a5", "#ef4444", "#b91c1c", "#7f1d1d"];

/// The map's colour scale with each step's label colour.
pub fn map_palette() -> Vec<MapStep> {
    MAP_FILLS.iter().map(|&fill| MapStep { fill, text: label_colour_on(fill) }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratios_are_the_wcag_figures() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast([255, 255, 255], [255, 255, 255]) - 1.0).abs() < 1e-9);
        // White on amber, as the 强链 badge once was.
        assert!((contrast([255, 255, 255], hex_colour("#f9a825").unwrap()) - 1.97).abs() < 0.01);
        assert_eq!(hex_colour("#fff"), Some([255, 255, 255]));
        assert_eq!(hex_colour(" #1d4ed8 "), Some([0x1d, 0x4e, 0xd8]));
        assert_eq!(hex_colour("rgba(255,255,255,.18)"), None);
    }

    #[test]
    fn light_fills_take_dark_labels_and_dark_fills_white_ones() {
        assert_eq!(label_colour_on("#fee2e2"), DARK_TEXT);
        assert_eq!(label_colour_on("#7f1d1d"), LIGHT_TEXT);
        // Mid red: white reads at 3.6:1 only, black at 5.6:1.
        assert_eq!(label_colour_on("#ef4444"), DARK_TEXT);
        assert_eq!(label_colour_on("not a colour"), DARK_TEXT);
    }

    #[test]
    fn every_label_of_the_map_reads_at_wcag_aa_on_its_fill() {
        let palette = map_palette();
        assert_eq!(palette.len(), 5);
        for step in &palette {
            let ratio = contrast(hex_colour(step.fill).unwrap(), hex_colour(step.text).unwrap());
            assert!(ratio >= 4.5, "{} on {}: {ratio:.2}", step.text, step.fill);
        }
        // Any fill at all, in steps of 17 per channel: the better of black and white reaches 4.5.
        for r in (0..=255u8).step_by(17) {
            for g in (0..=255u8).step_by(17) {
                for b in (0..=255u8).step_by(17) {
                    let fill = format!("#{r:02x}{g:02x}{b:02x}");
                    let text = hex_colour(label_colour_on(&fill)).unwrap();
                    assert!(contrast(text, [r, g, b]) >= 4.5, "{fill}");
                }
            }
        }
        // Lightest first: each step darker than the one before.
        let lightness: Vec<f64> = palette.iter().map(|s| luminance(hex_colour(s.fill).unwrap())).collect();
        assert!(lightness.windows(2).all(|pair| pair[0] > pair[1]), "{lightness:?}");
    }
}
