//! PromQL checked with the promql-parser crate before anything reaches the upstream.

use crate::error::ProxyError;
use promql_parser::parser::{self, Expr};
use std::sync::OnceLock;

/// Longest query accepted, in bytes; far above any real dashboard query.
pub const MAX_QUERY_BYTES: usize = 128 * 1024;
/// Deepest nesting of brackets accepted; deeper input could exhaust the parser's stack.
pub const MAX_NESTING: usize = 128;

/// Queries that parsed, remembered: dashboards ask the same ones on every refresh, and
/// parsing costs more than the rest of a cached answer.
static KNOWN_GOOD: OnceLock<moka::sync::Cache<String, ()>> = OnceLock::new();

/// Checks that `query` is PromQL; the parser's message as a 400 if it is not.
pub fn check_query(name: &str, query: &str) -> Result<(), ProxyError> {
    if query.trim().is_empty() {
        return Err(ProxyError::BadData(format!(
            "invalid parameter {name:?}: empty query"
        )));
    }
    let known = KNOWN_GOOD.get_or_init(|| moka::sync::Cache::new(10_000));
    if known.contains_key(query) {
        return Ok(());
    }
    parse(query).map_err(|e| ProxyError::BadData(format!("invalid parameter {name:?}: {e}")))?;
    if query.len() <= 4096 {
        known.insert(query.to_owned(), ());
    }
    Ok(())
}

/// Parses one `match[]` series selector; refuses one whose matchers all match the empty
/// string, as Prometheus does.
pub fn check_selector(selector: &str) -> Result<(), ProxyError> {
    let bad = |m: String| ProxyError::BadData(format!("invalid parameter \"match[]\": {m}"));
    match parse(selector).map_err(bad)? {
        Expr::VectorSelector(vs) => {
            let named = vs.name.as_deref().is_some_and(|n| !n.is_empty());
            if !named && vs.matchers.is_empty_matchers() {
                return Err(ProxyError::BadData(
                    "match[] must contain at least one non-empty matcher".to_owned(),
                ));
            }
            if vs.offset.is_some() || vs.at.is_some() {
                return Err(bad(format!("{selector:?} is not a series selector")));
            }
            Ok(())
        }
        _ => Err(bad(format!("{selector:?} is not a series selector"))),
    }
}

/// The parser behind size and depth guards, with any panic turned into an error.
pub fn parse(query: &str) -> Result<Expr, String> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(format!(
            "query of {} bytes is longer than the limit of {MAX_QUERY_BYTES}",
            query.len()
        ));
    }
    if nesting(query) > MAX_NESTING {
        return Err(format!("query nests deeper than {MAX_NESTING} levels"));
    }
    durations_in_range(query)?;
    std::panic::catch_unwind(|| parser::parse(query))
        .unwrap_or_else(|_| Err("the query could not be parsed".to_owned()))
}

/// Longest duration accepted in a range, subquery or offset: far beyond any retention.
const MAX_DURATION_S: f64 = 1e12;

/// Durations (in `[...]` and after `offset`) that the parser would panic on (a number
/// too large, negative, infinite or NaN given to `Duration::from_secs_f64`) or silently
/// shorten (a unit's count beyond `u32`) are refused here first.
fn durations_in_range(query: &str) -> Result<(), String> {
    let mut in_brackets = 0usize;
    let mut after_offset = false;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let chars: Vec<char> = query.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q != '`' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '[' => in_brackets += 1,
            ']' => in_brackets = in_brackets.saturating_sub(1),
            _ if c.is_ascii_alphanumeric() || c == '_' || c == '.' => {
                let start = i;
                while i < chars.len() {
                    let d = chars[i];
                    let exponent_sign = (d == '+' || d == '-')
                        && i > start
                        && matches!(chars[i - 1], 'e' | 'E')
                        && chars[start].is_ascii_digit();
                    if d.is_ascii_alphanumeric() || d == '_' || d == '.' || exponent_sign {
                        i += 1;
                    } else {
                        break;
                    }
                }
                let word: String = chars[start..i].iter().collect();
                if in_brackets > 0 || after_offset {
                    check_duration_word(&word)?;
                }
                after_offset = word.eq_ignore_ascii_case("offset");
                continue;
            }
            c if c.is_whitespace() || c == '-' => {}
            _ => after_offset = false,
        }
        i += 1;
    }
    Ok(())
}

fn check_duration_word(word: &str) -> Result<(), String> {
    let too_large = || format!("duration {word:?} is out of range");
    let lower = word.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return match u64::from_str_radix(hex, 16) {
            Ok(n) if (n as f64) < MAX_DURATION_S => Ok(()),
            _ => Err(too_large()),
        };
    }
    if let Ok(number) = lower.parse::<f64>() {
        return if number.is_finite() && (0.0..MAX_DURATION_S).contains(&number) {
            Ok(())
        } else {
            Err(too_large())
        };
    }
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        // A unit duration such as `1h30m`: every count must fit the parser's u32.
        for count in word
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
        {
            if count.parse::<u32>().is_err() {
                return Err(too_large());
            }
        }
    }
    Ok(())
}

/// Deepest bracket nesting outside string literals.
fn nesting(query: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in query.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q != '`' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_queries_pass() {
        for q in [
            "up",
            "sum by (le) (rate(orchestrator_agent_execution_latency_bucket[5m]))",
            "histogram_quantile(0.95, sum(rate(x_bucket{a=\"(\"}[5m])) by (le))",
            "count(orchestrator_graft_circuit_breaker_state == 1)",
        ] {
            let r = check_query("query", q);
            assert!(r.is_ok(), "{q}: {r:?}");
        }
    }

    #[test]
    fn bad_queries_carry_the_parser_message() {
        let err = check_query("query", "sum(").expect_err("bad");
        let ProxyError::BadData(message) = err else {
            panic!("not bad data")
        };
        assert!(
            message.starts_with("invalid parameter \"query\": "),
            "{message}"
        );
        assert!(check_query("query", "  ").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(check_query("query", &deep).is_err());
        assert_eq!(nesting("f(\"((((\")"), 1);
    }

    #[test]
    fn out_of_range_durations_are_refused_not_panicked_on() {
        // Found by the `params` fuzz target: the parser panicked in `from_secs_f64`.
        let crash = "sum(rate(x[44444444444444444444444444444665]ms66)t)";
        assert!(check_query("query", crash).is_err());
        for q in [
            "x[Inf]",
            "x[NaN]",
            "x[1e30]",
            "x[1e+30]",
            "x[0xffffffffffffffff]",
            "x[5m:1e30]",
            "x offset 1e30",
            "x offset -1e30",
            "x[99999999999s]",
            "rate(x[1m99999999999s])",
        ] {
            let result = std::panic::catch_unwind(|| check_query("query", q));
            assert!(matches!(result, Ok(Err(_))), "{q}");
        }
        for q in [
            "x[5m]",
            "x[300]",
            "x[1.5]",
            "rate(x[5m:30s] offset 1h)",
            "x offset -5m",
            "x[1h30m]",
        ] {
            let r = check_query("query", q);
            assert!(r.is_ok(), "{q}: {r:?}");
        }
    }

    #[test]
    fn selectors() {
        assert!(check_selector("up").is_ok());
        assert!(check_selector("{job=\"demo\"}").is_ok());
        assert!(check_selector("{job=~\".*\"}").is_err());
        assert!(check_selector("{job=\"\"}").is_err());
        assert!(check_selector("rate(up[5m])").is_err());
        assert!(check_selector("up{").is_err());
    }
}
