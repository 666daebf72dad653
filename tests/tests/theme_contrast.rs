//! The colour tokens of both themes (`styles/tokens.css`) meet WCAG 2.1 AA: text
//! 4.5:1 against every background it is set on, non-text marks (series, axes, state
//! colours, the focus ring's accent) 3:1 against the chart and panel backgrounds; and the
//! series colours stay apart from one another.

use std::collections::BTreeMap;

/// Each theme's `--name: #rrggbb` tokens, by theme name.
fn themes() -> BTreeMap<String, BTreeMap<String, (f64, f64, f64)>> {
    let css = std::fs::read_to_string(vantage_e2e::workspace_root().join("styles/tokens.css"))
        .expect("read styles/tokens.css");
    let mut out = BTreeMap::new();
    for block in css.split('}') {
        let Some((selector, body)) = block.split_once('{') else {
            continue;
        };
        let theme = if selector.contains("\"dark\"") {
            "dark"
        } else if selector.contains("\"light\"") || selector.contains(":root") {
            "light"
        } else {
            continue;
        };
        let tokens: BTreeMap<String, (f64, f64, f64)> = body
            .split(';')
            .filter_map(|declaration| {
                let (name, value) = declaration.split_once(':')?;
                let name = name.trim().strip_prefix("--")?;
                Some((name.to_owned(), hex(value.trim())?))
            })
            .collect();
        out.insert(theme.to_owned(), tokens);
    }
    out
}

fn hex(value: &str) -> Option<(f64, f64, f64)> {
    let digits = value.strip_prefix('#')?;
    if digits.len() != 6 {
        return None;
    }
    let channel = |i: usize| {
        u8::from_str_radix(digits.get(i..i + 2)?, 16)
            .ok()
            .map(|c| f64::from(c) / 255.0)
    };
    Some((channel(0)?, channel(2)?, channel(4)?))
}

/// Relative luminance (WCAG 2.1).
fn luminance((r, g, b): (f64, f64, f64)) -> f64 {
    let linear = |c: f64| {
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

fn ratio(a: (f64, f64, f64), b: (f64, f64, f64)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Every `(foreground, background)` pair of `theme` below `minimum`, with its ratio.
fn failures(
    tokens: &BTreeMap<String, (f64, f64, f64)>,
    foregrounds: &[String],
    backgrounds: &[&str],
    minimum: f64,
) -> Vec<String> {
    let mut out = Vec::new();
    for fg in foregrounds {
        for bg in backgrounds {
            let (Some(f), Some(b)) = (tokens.get(fg), tokens.get(*bg)) else {
                out.push(format!("--{fg} or --{bg} is missing"));
                continue;
            };
            let r = ratio(*f, *b);
            if r < minimum {
                out.push(format!("--{fg} on --{bg}: {r:.2}:1, needs {minimum}:1"));
            }
        }
    }
    out
}

#[test]
fn text_and_marks_meet_wcag_aa_in_both_themes() {
    let themes = themes();
    assert_eq!(
        themes.keys().collect::<Vec<_>>(),
        ["dark", "light"],
        "both themes are read"
    );
    let mut problems = Vec::new();
    for (theme, tokens) in &themes {
        let mut text: Vec<String> = [
            "text",
            "text-muted",
            "accent",
            "ok",
            "warning",
            "critical",
            "chart-text",
        ]
        .map(str::to_owned)
        .to_vec();
        text.extend(
            tokens
                .keys()
                .filter(|k| k.starts_with("code-") && *k != "code-match")
                .cloned(),
        );
        let mut marks: Vec<String> = ["chart-axis", "accent", "ok", "warning", "critical"]
            .map(str::to_owned)
            .to_vec();
        marks.extend(tokens.keys().filter(|k| k.starts_with("series-")).cloned());
        assert!(marks.len() >= 15, "{theme}: ten series colours and more");
        for p in failures(tokens, &text, &["bg", "surface", "surface-raised"], 4.5) {
            problems.push(format!("{theme}: text {p}"));
        }
        for p in failures(
            tokens,
            &marks,
            &["chart-bg", "surface", "surface-raised"],
            3.0,
        ) {
            problems.push(format!("{theme}: mark {p}"));
        }
        // Primary and danger buttons: their text on the accent and on the critical colour.
        for p in failures(
            tokens,
            &["on-accent".to_owned()],
            &["accent", "critical"],
            4.5,
        ) {
            problems.push(format!("{theme}: button {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn series_colours_stay_distinguishable() {
    for (theme, tokens) in themes() {
        let series: Vec<(&String, &(f64, f64, f64))> = tokens
            .iter()
            .filter(|(k, _)| k.starts_with("series-"))
            .collect();
        for (i, (a, ca)) in series.iter().enumerate() {
            for (b, cb) in series.iter().skip(i + 1) {
                // Euclidean distance in sRGB: identical or near-identical colours would
                // make two series one.
                let d =
                    ((ca.0 - cb.0).powi(2) + (ca.1 - cb.1).powi(2) + (ca.2 - cb.2).powi(2)).sqrt();
                assert!(d > 0.15, "{theme}: --{a} and --{b} are too close ({d:.3})");
            }
        }
    }
}

#[test]
fn the_ratio_matches_wcag_reference_values() {
    let black = (0.0, 0.0, 0.0);
    let white = (1.0, 1.0, 1.0);
    assert!((ratio(black, white) - 21.0).abs() < 1e-9);
    assert!((ratio(white, white) - 1.0).abs() < 1e-9);
    // #767676 on white is the classic 4.54:1.
    let grey = hex("#767676").expect("hex");
    assert!((ratio(grey, white) - 4.54).abs() < 0.01);
}
