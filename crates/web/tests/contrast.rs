//! Every badge of the stylesheet (issue 15, point 8) is readable: its text and background
//! colours reach WCAG AA's 4.5:1, and no template paints a badge's colours inline, where
//! this check would not see them.

use zhaoshang_core::colours::{contrast, hex_colour};

const STYLESHEET: &str = include_str!("../assets/app.css");

/// The stylesheet's rules as (selector, declarations), `var(--x)` replaced by the
/// `:root` value; at-rules' inner rules as rules.
fn rules(css: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut rules = Vec::new();
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let selector = rest[..open].rsplit(['}', ';']).next().unwrap_or("").trim();
        let selector = selector.rsplit("*/").next().unwrap_or(selector).trim().to_string();
        let body_start = open + 1;
        let Some(close) = rest[body_start..].find(['{', '}']).map(|i| i + body_start) else { break };
        if rest.as_bytes()[close] == b'{' {
            // An at-rule: its inner rules follow.
            rest = &rest[body_start..];
            continue;
        }
        let declarations: Vec<(String, String)> = rest[body_start..close]
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        rules.push((selector, declarations));
        rest = &rest[close + 1..];
    }
    let root: Vec<(String, String)> =
        rules.iter().find(|(s, _)| s == ":root").map(|(_, d)| d.clone()).unwrap_or_default();
    for (_, declarations) in &mut rules {
        for (_, value) in declarations.iter_mut() {
            if let Some(name) = value.strip_prefix("var(").and_then(|v| v.strip_suffix(')')) {
                if let Some((_, resolved)) = root.iter().find(|(k, _)| k == name.trim()) {
                    *value = resolved.clone();
                }
            }
        }
    }
    rules
}

fn declared<'a>(declarations: &'a [(String, String)], property: &str) -> Option<&'a str> {
    declarations.iter().rev().find(|(k, _)| k == property).map(|(_, v)| v.as_str())
}

/// Each badge rule's (selector, text, background): a rule that sets one of the two takes
/// the other from the rule its selector extends (`.nav-badge[data-colour=…]` from `.nav-badge`).
fn badge_pairs(css: &str) -> Vec<(String, String, String)> {
    let all = rules(css);
    let badge = |s: &str| s.contains(".tag") || s.contains("badge");
    let inherited = |selector: &str, property: &str| {
        all.iter()
            .filter(|(s, _)| s.len() < selector.len() && selector.starts_with(s.as_str()))
            .find_map(|(_, d)| declared(d, property).map(str::to_string))
    };
    all.iter()
        .filter(|(s, d)| badge(s) && (declared(d, "background").is_some() || declared(d, "color").is_some()))
        .filter_map(|(selector, d)| {
            let text = declared(d, "color").map(str::to_string).or_else(|| inherited(selector, "color"))?;
            let background =
                declared(d, "background").map(str::to_string).or_else(|| inherited(selector, "background"))?;
            Some((selector.clone(), text, background))
        })
        .collect()
}

#[test]
fn badge_pairs_are_read_with_variables_and_inherited_colours() {
    let css = ":root { --red: #b91c1c; }\n/* x */ .nav-badge { background: var(--red); color: #fff; }\n\
               .nav-badge[data-colour=\"yellow\"] { background: #d97706; }\n@media (max-width: 1px) { .tag.a { background: #000; color: #fff; } }";
    assert_eq!(
        badge_pairs(css),
        vec![
            (".nav-badge".into(), "#fff".into(), "#b91c1c".into()),
            (".nav-badge[data-colour=\"yellow\"]".into(), "#fff".into(), "#d97706".into()),
            (".tag.a".into(), "#fff".into(), "#000".into()),
        ]
    );
}

#[test]
fn every_badge_of_the_stylesheet_passes_wcag_aa() {
    let pairs = badge_pairs(STYLESHEET);
    let mut checked = 0;
    let mut failing = Vec::new();
    for (selector, text, background) in &pairs {
        let (Some(fg), Some(bg)) = (hex_colour(text), hex_colour(background)) else { continue };
        checked += 1;
        let ratio = contrast(fg, bg);
        if ratio < 4.5 {
            failing.push(format!("{selector}: {text} on {background} = {ratio:.2}"));
        }
    }
    assert!(checked >= 15, "the stage, plan, gap and colour tags are all read: {pairs:?}");
    assert!(pairs.iter().any(|(s, _, _)| s == ".tag.gap-weak"), "the 强链 badge has its rule");
    assert!(failing.is_empty(), "below 4.5:1: {failing:#?}");
}

#[test]
fn no_template_paints_a_badge_inline() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                let inline = text.lines().find(|l| l.contains("class=\"tag") && l.contains("style="));
                assert_eq!(inline, None, "{}", path.display());
            }
        }
    }
}
