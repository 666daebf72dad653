//! PromQL checked with the promql-parser crate before anything reaches the upstream.

use crate::error::ProxyError;
use promql_parser::parser::{self, Expr};

/// Longest query accepted, in bytes; far above any real dashboard query.
pub const MAX_QUERY_BYTES: usize = 128 * 1024;
/// Deepest nesting of brackets accepted; deeper input could exhaust the parser's stack.
pub const MAX_NESTING: usize = 128;

/// Parses `query` and returns the parser's message as a 400 if it is not PromQL.
pub fn check_query(name: &str, query: &str) -> Result<Expr, ProxyError> {
    if query.trim().is_empty() {
        return Err(ProxyError::BadData(format!(
            "invalid parameter {name:?}: empty query"
        )));
    }
    parse(query).map_err(|e| ProxyError::BadData(format!("invalid parameter {name:?}: {e}")))
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
    std::panic::catch_unwind(|| parser::parse(query))
        .unwrap_or_else(|_| Err("the query could not be parsed".to_owned()))
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
            assert!(check_query("query", q).is_ok(), "{q}");
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
    fn selectors() {
        assert!(check_selector("up").is_ok());
        assert!(check_selector("{job=\"demo\"}").is_ok());
        assert!(check_selector("{job=~\".*\"}").is_err());
        assert!(check_selector("{job=\"\"}").is_err());
        assert!(check_selector("rate(up[5m])").is_err());
        assert!(check_selector("up{").is_err());
    }
}
