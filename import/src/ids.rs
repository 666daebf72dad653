//! Names Vantage accepts: slugs for dashboard and panel ids, identifiers for variables.

use std::collections::HashSet;

/// Lowercase letters, digits and single dashes from any text; empty when nothing is left.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Hands out unique slugs: the second `cpu` is `cpu-2`.
#[derive(Debug, Default)]
pub struct UniqueIds {
    used: HashSet<String>,
}

impl UniqueIds {
    /// A unique slug of `text`, or of `fallback` when `text` has none.
    pub fn take(&mut self, text: &str, fallback: &str) -> String {
        let base = match slug(text) {
            s if s.is_empty() => slug(fallback),
            s => s,
        };
        let base = if base.is_empty() {
            "panel".to_owned()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// A variable name Vantage accepts (letters, digits, `_`, not starting with a digit or
/// `__`), made from a Grafana name.
pub fn identifier(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) || out.starts_with("__") {
        out = format!("v_{}", out.trim_start_matches('_'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_slugs_and_identifiers() {
        assert_eq!(slug("CPU Usage (%) — $instance"), "cpu-usage-instance");
        assert_eq!(slug("  "), "");
        let mut ids = UniqueIds::default();
        assert_eq!(ids.take("CPU", "x"), "cpu");
        assert_eq!(ids.take("cpu!", "x"), "cpu-2");
        assert_eq!(ids.take("", "stat"), "stat");
        assert_eq!(identifier("1st"), "v_1st");
        assert_eq!(identifier("__x"), "v_x");
        assert_eq!(identifier("a-b"), "a_b");
        assert_eq!(identifier("ok_name"), "ok_name");
    }
}
