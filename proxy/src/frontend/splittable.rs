//! Which range queries may be cut on the step grid and joined again.
//!
//! PromQL evaluates every step of a range query on its own, so the answer over
//! `[a, c]` is the answer over `[a, b]` followed by the one over `[b + step, c]`. The
//! exceptions are what refers to the range as a whole:
//!
//! - `@ start()` and `@ end()` (on a selector, a range selector or a subquery) pin the
//!   evaluation to the range's own ends, which move when the range is cut.
//!
//! Not exceptions, checked against real upstreams in the end-to-end tests: subqueries
//! (their inner steps are aligned to absolute multiples of the subquery step, not to the
//! range start), `offset` and fixed `@ <time>` modifiers (absolute), `timestamp()`,
//! `time()` and the date functions (per step), `topk`/`bottomk` (per step).
//!
//! Splitting has a cost besides: every piece reads its own window of samples before its
//! first step, so a query looking back a long way (`increase(x[30d])` over a 30-day
//! range) split by day reads the month once per day. [`QueryShape::window_ms`] is how
//! far back a query looks; the split layer leaves such queries whole.
//!
//! One exception belongs to VictoriaMetrics only: it orders the series of a range
//! answer by their labels unless the outermost function is `sort`, `sort_desc`, `topk`
//! or `bottomk` (then by value, over the whole range), so pieces of such a query cannot
//! be put back in the whole answer's order.

use promql_parser::parser::{AtModifier, Expr};
use std::sync::OnceLock;
use std::time::Duration;

/// How far a bare selector looks back (Prometheus' default lookback delta).
const LOOKBACK: Duration = Duration::from_secs(300);

/// Why a query cannot be split, for the metrics label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSplittable {
    /// `@ start()` or `@ end()` somewhere in the query.
    RangeAnchored,
    /// The query does not parse (it was checked before; kept for completeness).
    Unparsed,
}

/// What a query's answer depends on, besides each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryShape {
    /// The outermost operation orders series by value (`sort`, `sort_desc`, `topk`,
    /// `bottomk`): VictoriaMetrics keeps that order in range answers.
    pub ordered_by_value: bool,
    /// How far before a step its evaluation reads samples, ms: the longest range
    /// selector, subquery range plus what it looks back, or the lookback of a bare
    /// selector.
    pub window_ms: i64,
}

/// Answers already worked out: dashboards ask the same queries on every refresh, and
/// parsing costs more than the rest of a kept answer.
static KNOWN: OnceLock<moka::sync::Cache<String, Result<QueryShape, NotSplittable>>> =
    OnceLock::new();

/// Whether `query` may be split on its step grid.
pub fn check(query: &str) -> Result<QueryShape, NotSplittable> {
    let known = KNOWN.get_or_init(|| moka::sync::Cache::new(10_000));
    if let Some(answer) = known.get(query) {
        return answer;
    }
    let answer = look(query);
    if query.len() <= 4096 {
        known.insert(query.to_owned(), answer);
    }
    answer
}

fn look(query: &str) -> Result<QueryShape, NotSplittable> {
    let expr = crate::params::promql::parse(query).map_err(|_| NotSplittable::Unparsed)?;
    if anchored(&expr) {
        return Err(NotSplittable::RangeAnchored);
    }
    Ok(QueryShape {
        ordered_by_value: ordered_by_value(&expr),
        window_ms: window(&expr).as_millis().min(i64::MAX as u128) as i64,
    })
}

/// How far back `expr` reads at each step.
fn window(expr: &Expr) -> Duration {
    match expr {
        Expr::VectorSelector(_) => LOOKBACK,
        Expr::MatrixSelector(ms) => ms.range,
        Expr::Subquery(sq) => sq.range.saturating_add(window(&sq.expr)),
        Expr::Aggregate(agg) => {
            window(&agg.expr).max(agg.param.as_deref().map_or(Duration::ZERO, window))
        }
        Expr::Unary(u) => window(&u.expr),
        Expr::Binary(b) => window(&b.lhs).max(window(&b.rhs)),
        Expr::Paren(p) => window(&p.expr),
        Expr::Call(call) => call
            .args
            .args
            .iter()
            .map(|a| window(a))
            .max()
            .unwrap_or(Duration::ZERO),
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => Duration::ZERO,
    }
}

fn is_range_anchor(at: &Option<AtModifier>) -> bool {
    matches!(at, Some(AtModifier::Start | AtModifier::End))
}

/// Any `@ start()` / `@ end()` in the tree.
fn anchored(expr: &Expr) -> bool {
    match expr {
        Expr::VectorSelector(vs) => is_range_anchor(&vs.at),
        Expr::MatrixSelector(ms) => is_range_anchor(&ms.vs.at),
        Expr::Subquery(sq) => is_range_anchor(&sq.at) || anchored(&sq.expr),
        Expr::Aggregate(agg) => anchored(&agg.expr) || agg.param.as_deref().is_some_and(anchored),
        Expr::Unary(u) => anchored(&u.expr),
        Expr::Binary(b) => anchored(&b.lhs) || anchored(&b.rhs),
        Expr::Paren(p) => anchored(&p.expr),
        Expr::Call(call) => call.args.args.iter().any(|a| anchored(a)),
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) => false,
        // The parser never produces extensions; refuse what cannot be looked into.
        Expr::Extension(_) => true,
    }
}

fn ordered_by_value(expr: &Expr) -> bool {
    match expr {
        Expr::Paren(p) => ordered_by_value(&p.expr),
        Expr::Call(call) => matches!(call.func.name, "sort" | "sort_desc"),
        Expr::Aggregate(agg) => matches!(agg.op.to_string().as_str(), "topk" | "bottomk"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_anchors_are_found_anywhere() {
        for q in [
            "up @ start()",
            "up @ end()",
            "rate(up[5m] @ end())",
            "max_over_time(rate(up[1m])[10m:1m] @ start())",
            "sum(rate(up[1m] @ start())) by (job)",
            "topk(scalar(count(up @ end())), up)",
            "1 + -(up @ start())",
            "label_replace(up @ end(), \"a\", \"b\", \"\", \"\")",
            "max_over_time((up @ start())[5m:])",
        ] {
            assert_eq!(check(q), Err(NotSplittable::RangeAnchored), "{q}");
        }
    }

    #[test]
    fn absolute_and_per_step_queries_split() {
        for q in [
            "up",
            "up @ 1700000000",
            "rate(up[5m] offset 1h)",
            "max_over_time(rate(up[1m])[10m:1m] offset 5m)",
            "max_over_time(rate(up[1m])[10m:1m] @ 1700000000)",
            "timestamp(up)",
            "time() - timestamp(up)",
            "day_of_week()",
            "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))",
            "topk(3, up) * 2",
            "absent(nothing)",
        ] {
            assert_eq!(check(q).map(|s| s.ordered_by_value), Ok(false), "{q}");
        }
    }

    #[test]
    fn how_far_back_queries_look() {
        let window = |q: &str| check(q).map(|s| s.window_ms);
        assert_eq!(window("up"), Ok(300_000));
        assert_eq!(window("rate(up[1m])"), Ok(60_000));
        assert_eq!(window("sum(increase(x[24h])) * 3600"), Ok(86_400_000));
        assert_eq!(window("max_over_time(rate(x[5m])[1h:1m])"), Ok(3_900_000));
        assert_eq!(window("rate(a[1m]) / rate(b[30d])"), Ok(30 * 86_400_000));
        assert_eq!(window("time()"), Ok(0));
        assert_eq!(window("vector(1)"), Ok(0));
    }

    #[test]
    fn outermost_value_orderings_are_noticed() {
        for q in [
            "sort(up)",
            "sort_desc(rate(x[1m]))",
            "topk(3, up)",
            "(bottomk(2, up))",
        ] {
            assert_eq!(check(q).map(|s| s.ordered_by_value), Ok(true), "{q}");
        }
        assert_eq!(
            check("sum(sort(up))").map(|s| s.ordered_by_value),
            Ok(false)
        );
    }
}
