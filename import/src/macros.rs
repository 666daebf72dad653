//! Grafana's variable references in a query, rewritten for Vantage at import time:
//! `[[name]]` becomes `${name}`, renamed variables get their new names, and each
//! reference gets the format that makes it mean what it meant in Grafana.
//!
//! Vantage writes a variable without a format as a regex alternative of its escaped
//! values (what Grafana does for multi-value and "All" variables). That is right inside
//! `=~` matchers; an `=` matcher holding such a variable becomes `=~` so that several
//! values (or "All") match. Elsewhere (a range `[$interval]`, `by ($label)`, a number)
//! and for single-value variables whose values people type (custom, textbox, constant,
//! interval), which Grafana does not escape, the reference becomes `${name:raw}`.

use std::collections::BTreeMap;
use vantage_api::dashboard::template::{Piece, pieces};

/// What the rewriting needs to know of one Grafana variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableUse {
    /// Its name in the converted dashboard.
    pub name: String,
    /// Written escaped (a query variable's label values, or several values / "All");
    /// else raw.
    pub escaped: bool,
}

/// Grafana variable name to how it is written.
pub type Uses = BTreeMap<String, VariableUse>;

/// A string literal: its byte span (quotes included) and the matcher operator before it.
struct Literal {
    start: usize,
    end: usize,
    op: Option<(usize, &'static str)>,
}

fn literals(expr: &str) -> Vec<Literal> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let q = bytes[i];
        if q == b'"' || q == b'\'' || q == b'`' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != q {
                if bytes[i] == b'\\' && q != b'`' {
                    i += 1;
                }
                i += 1;
            }
            let end = (i + 1).min(bytes.len());
            out.push(Literal {
                start,
                end,
                op: operator_before(expr, start),
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The matcher operator right before `at` (spaces skipped): its position and text.
fn operator_before(expr: &str, at: usize) -> Option<(usize, &'static str)> {
    let before = expr[..at].trim_end();
    let end = before.len();
    for op in ["=~", "!~", "!="] {
        if before.ends_with(op) {
            return Some((end - 2, op));
        }
    }
    let prev = before[..end.checked_sub(1)?].chars().next_back();
    (before.ends_with('=') && !matches!(prev, Some('=' | '<' | '>' | '!')))
        .then_some((end - 1, "="))
}

/// Rewrites the references of `expr` (see the module's description).
pub fn rewrite_query(expr: &str, uses: &Uses) -> String {
    let lits = literals(expr);
    let inside = |at: usize| lits.iter().find(|l| at > l.start && at < l.end);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut offset = 0;
    for piece in pieces(expr) {
        let (len, replacement) = match piece {
            Piece::Text(text) => (text.len(), None),
            Piece::Ref { name, format, raw } => {
                let literal = inside(offset);
                (
                    raw.len(),
                    replace(name, format, raw, literal, uses, &mut edits),
                )
            }
        };
        if let Some(text) = replacement {
            edits.push((offset, offset + len, text));
        }
        offset += len;
    }
    edits.sort_by_key(|e| e.0);
    edits.dedup_by_key(|e| e.0);
    let mut out = String::with_capacity(expr.len() + 16);
    let mut at = 0;
    for (start, end, text) in edits {
        if start < at {
            continue;
        }
        out.push_str(&expr[at..start]);
        out.push_str(&text);
        at = end;
    }
    out.push_str(&expr[at..]);
    out
}

fn replace(
    name: &str,
    format: Option<&str>,
    raw: &str,
    literal: Option<&Literal>,
    uses: &Uses,
    edits: &mut Vec<(usize, usize, String)>,
) -> Option<String> {
    if let Some(interval) = name.strip_prefix("__auto_interval_") {
        let target = uses.get(interval)?;
        return Some(format!("${{{}:raw}}", target.name));
    }
    let target = uses.get(name)?;
    if let Some(format) = format {
        return Some(format!("${{{}:{format}}}", target.name));
    }
    let op = literal.and_then(|l| l.op);
    // `$name` stays as written when the name does not change.
    let plain = if raw.starts_with('$') && !raw.starts_with("${") && target.name == name {
        raw.to_owned()
    } else {
        format!("${{{}}}", target.name)
    };
    match op {
        Some((_, "=~" | "!~")) if target.escaped => Some(plain),
        Some((at, op @ ("=" | "!="))) if target.escaped => {
            let regex_op = if op == "=" { "=~" } else { "!~" };
            edits.push((at, at + op.len(), regex_op.to_owned()));
            Some(plain)
        }
        _ => Some(format!("${{{}:raw}}", target.name)),
    }
}

/// Renames the references in display text (titles, legends) without formats.
pub fn rewrite_text(text: &str, uses: &Uses) -> String {
    pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Ref { name, format, raw } => match uses.get(name) {
                Some(target) if target.name != name || raw.starts_with("[[") => match format {
                    Some(f) => format!("${{{}:{f}}}", target.name),
                    None => format!("${{{}}}", target.name),
                },
                _ => raw.to_owned(),
            },
            Piece::Text(text) => text.to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses() -> Uses {
        let mut uses = Uses::new();
        for (grafana, name, escaped) in [
            ("instance", "instance", true),
            ("job", "job", true),
            ("interval", "interval", false),
            ("1st", "v_1st", true),
            ("filter", "filter", false),
        ] {
            uses.insert(
                grafana.to_owned(),
                VariableUse {
                    name: name.to_owned(),
                    escaped,
                },
            );
        }
        uses
    }

    #[test]
    fn picks_the_format_by_place() {
        let cases = [
            (
                r#"rate(x{instance=~"$instance",job="$job"}[$interval])"#,
                r#"rate(x{instance=~"$instance",job=~"$job"}[${interval:raw}])"#,
            ),
            (
                r#"x{job!="[[job]]", a=~".*$filter.*"}"#,
                r#"x{job!~"${job}", a=~".*${filter:raw}.*"}"#,
            ),
            (
                r#"sum by ($job) (x{a=~"${1st:pipe}",b=~"$1st"})"#,
                r#"sum by (${job:raw}) (x{a=~"${v_1st:pipe}",b=~"${v_1st}"})"#,
            ),
            (
                "rate(x[$__auto_interval_interval]) > $__interval_ms and $unknown",
                "rate(x[${interval:raw}]) > $__interval_ms and $unknown",
            ),
            (
                r#"label_replace(x, "a", "$1", "b", "(.*)")"#,
                r#"label_replace(x, "a", "$1", "b", "(.*)")"#,
            ),
        ];
        for (grafana, vantage) in cases {
            assert_eq!(rewrite_query(grafana, &uses()), vantage, "{grafana}");
        }
    }

    #[test]
    fn renames_in_text() {
        assert_eq!(
            rewrite_text("CPU [[instance]] $job ${1st}", &uses()),
            "CPU ${instance} $job ${v_1st}"
        );
    }
}
