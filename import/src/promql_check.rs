//! Whether a query is PromQL, checked as the proxy checks dashboards: variables set to
//! sample values and macros to durations (see `sample_selections`), then parsed by
//! promql-parser behind guards against input that could exhaust its stack or make it
//! panic.

use std::collections::BTreeMap;
use vantage_api::dashboard::Variable;
use vantage_api::dashboard::expand::{Intervals, Selection, sample_selections, substitute};

/// Longest query accepted, in bytes (the proxy's limit).
const MAX_QUERY_BYTES: usize = 128 * 1024;
/// Deepest bracket nesting accepted.
const MAX_NESTING: usize = 128;
/// The intervals the proxy substitutes when it checks dashboards.
pub const SAMPLE_INTERVALS: Intervals = Intervals {
    interval_s: 15.0,
    rate_interval_s: 60.0,
    range_s: 3_600.0,
};

/// Checks queries against one dashboard's variables.
pub struct Checker {
    samples: BTreeMap<String, Selection>,
}

impl Checker {
    pub fn new(variables: &[Variable]) -> Checker {
        Checker {
            samples: sample_selections(variables),
        }
    }

    /// `Ok` when `expr` parses once its variables and macros are substituted; else the
    /// parser's message.
    pub fn check(&self, expr: &str) -> Result<(), String> {
        parse(&substitute(expr, &self.samples, SAMPLE_INTERVALS))
    }
}

/// Parses PromQL behind size and depth guards, with any panic turned into an error.
pub fn parse(query: &str) -> Result<(), String> {
    if query.trim().is_empty() {
        return Err("empty query".to_owned());
    }
    if query.len() > MAX_QUERY_BYTES {
        return Err(format!("longer than {MAX_QUERY_BYTES} bytes"));
    }
    if nesting(query) > MAX_NESTING {
        return Err(format!("nests deeper than {MAX_NESTING} levels"));
    }
    if let Some(word) = oversized_duration(query) {
        return Err(format!("duration {word:?} is out of range"));
    }
    std::panic::catch_unwind(|| promql_parser::parser::parse(query).map(|_| ()))
        .unwrap_or_else(|_| Err("the query could not be parsed".to_owned()))
        .map_err(|e| e.trim().replace('\n', " "))
}

/// Deepest bracket nesting outside string literals.
fn nesting(query: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for (c, quoted) in unquoted(query) {
        if quoted {
            continue;
        }
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Characters with whether they are inside a string literal.
fn unquoted(query: &str) -> Vec<(char, bool)> {
    let mut out = Vec::with_capacity(query.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in query.chars() {
        if let Some(q) = quote {
            out.push((c, true));
            if escaped {
                escaped = false;
            } else if c == '\\' && q != '`' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
        } else {
            if matches!(c, '"' | '\'' | '`') {
                quote = Some(c);
            }
            out.push((c, quote.is_some()));
        }
    }
    out
}

/// A number in a range, subquery or offset that the parser would panic on or shorten:
/// one beyond `u32` per unit, or a float out of any sane range.
fn oversized_duration(query: &str) -> Option<String> {
    let chars = unquoted(query);
    let mut word = String::new();
    let mut in_brackets = 0usize;
    let mut after_offset = false;
    let check = |word: &str, in_brackets: usize, after_offset: bool| -> Option<String> {
        if word.is_empty() || (in_brackets == 0 && !after_offset) {
            return None;
        }
        let lower = word.to_ascii_lowercase();
        if let Some(hex) = lower.strip_prefix("0x") {
            return u64::from_str_radix(hex, 16)
                .ok()
                .filter(|n| (*n as f64) < 1e12)
                .map_or(Some(word.to_owned()), |_| None);
        }
        if let Ok(n) = lower.parse::<f64>() {
            return (!(n.is_finite() && (0.0..1e12).contains(&n))).then(|| word.to_owned());
        }
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            let too_big = word
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .any(|count| count.parse::<u32>().is_err());
            return too_big.then(|| word.to_owned());
        }
        None
    };
    for (c, quoted) in chars {
        let part_of_word = !quoted
            && (c.is_ascii_alphanumeric()
                || c == '_'
                || c == '.'
                || ((c == '+' || c == '-')
                    && word.starts_with(|d: char| d.is_ascii_digit())
                    && word.ends_with(['e', 'E'])));
        if part_of_word {
            word.push(c);
            continue;
        }
        if let Some(bad) = check(&word, in_brackets, after_offset) {
            return Some(bad);
        }
        if !word.is_empty() {
            after_offset = word.eq_ignore_ascii_case("offset");
        }
        word.clear();
        if quoted {
            continue;
        }
        match c {
            '[' => in_brackets += 1,
            ']' => in_brackets = in_brackets.saturating_sub(1),
            c if c.is_whitespace() || c == '-' => {}
            _ => after_offset = false,
        }
    }
    check(&word, in_brackets, after_offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_the_parser() {
        assert_eq!(parse("sum(rate(x[5m]))"), Ok(()));
        assert!(parse("sum(rate(x[5m])").is_err());
        assert!(parse(&"(".repeat(500)).is_err());
        assert!(parse("x[99999999999999999999s]").is_err());
        assert!(parse("x offset 1e300").is_err());
        assert!(parse("x{a=\"[99999999999999999999s]\"}").is_ok());
    }
}
