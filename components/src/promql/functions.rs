//! PromQL's functions and aggregation operators (Prometheus 2.42 and later) with their
//! signatures and one line on what each does, for completion and for Explain.

/// One function or aggregation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionDoc {
    pub name: &'static str,
    /// Arguments as the Prometheus documentation writes them.
    pub signature: &'static str,
    /// What it does, in one line.
    pub doc: &'static str,
    /// Returns a scalar instead of an instant vector.
    pub scalar: bool,
    /// An aggregation operator (`sum by (...) (...)`), not a function.
    pub aggregation: bool,
}

const fn f(name: &'static str, signature: &'static str, doc: &'static str) -> FunctionDoc {
    FunctionDoc {
        name,
        signature,
        doc,
        scalar: false,
        aggregation: false,
    }
}

const fn s(name: &'static str, signature: &'static str, doc: &'static str) -> FunctionDoc {
    FunctionDoc {
        scalar: true,
        ..f(name, signature, doc)
    }
}

const fn a(name: &'static str, signature: &'static str, doc: &'static str) -> FunctionDoc {
    FunctionDoc {
        aggregation: true,
        ..f(name, signature, doc)
    }
}

/// Every aggregation operator, then every function, alphabetically.
pub const FUNCTIONS: &[FunctionDoc] = &[
    a(
        "avg",
        "avg(v instant-vector)",
        "Average of the values across series",
    ),
    a(
        "bottomk",
        "bottomk(k scalar, v instant-vector)",
        "The k series with the smallest values",
    ),
    a("count", "count(v instant-vector)", "Number of series"),
    a(
        "count_values",
        "count_values(label string, v instant-vector)",
        "Number of series per distinct value, the value in a new label",
    ),
    a(
        "group",
        "group(v instant-vector)",
        "1 for each group of series",
    ),
    a(
        "limit_ratio",
        "limit_ratio(ratio scalar, v instant-vector)",
        "A deterministic sample of about this ratio of the series (Prometheus 3, experimental)",
    ),
    a(
        "limitk",
        "limitk(k scalar, v instant-vector)",
        "Any k of the series, with their values (Prometheus 3, experimental)",
    ),
    a(
        "max",
        "max(v instant-vector)",
        "Largest value across series",
    ),
    a(
        "min",
        "min(v instant-vector)",
        "Smallest value across series",
    ),
    a(
        "quantile",
        "quantile(φ scalar, v instant-vector)",
        "φ-quantile (0 ≤ φ ≤ 1) of the values across series",
    ),
    a(
        "stddev",
        "stddev(v instant-vector)",
        "Population standard deviation of the values across series",
    ),
    a(
        "stdvar",
        "stdvar(v instant-vector)",
        "Population variance of the values across series",
    ),
    a(
        "sum",
        "sum(v instant-vector)",
        "Sum of the values across series",
    ),
    a(
        "topk",
        "topk(k scalar, v instant-vector)",
        "The k series with the largest values",
    ),
    f(
        "abs",
        "abs(v instant-vector)",
        "Absolute value of each sample",
    ),
    f(
        "absent",
        "absent(v instant-vector)",
        "1 when the vector has no series, nothing otherwise (for alerting on missing series)",
    ),
    f(
        "absent_over_time",
        "absent_over_time(v range-vector)",
        "1 when the range has no samples at all",
    ),
    f("acos", "acos(v instant-vector)", "Arccosine of each sample"),
    f(
        "acosh",
        "acosh(v instant-vector)",
        "Inverse hyperbolic cosine of each sample",
    ),
    f("asin", "asin(v instant-vector)", "Arcsine of each sample"),
    f(
        "asinh",
        "asinh(v instant-vector)",
        "Inverse hyperbolic sine of each sample",
    ),
    f(
        "atan",
        "atan(v instant-vector)",
        "Arctangent of each sample",
    ),
    f(
        "atanh",
        "atanh(v instant-vector)",
        "Inverse hyperbolic tangent of each sample",
    ),
    f(
        "avg_over_time",
        "avg_over_time(v range-vector)",
        "Average of each series' samples in the range",
    ),
    f(
        "ceil",
        "ceil(v instant-vector)",
        "Rounds each sample up to an integer",
    ),
    f(
        "changes",
        "changes(v range-vector)",
        "How many times each series' value changed in the range",
    ),
    f(
        "clamp",
        "clamp(v instant-vector, min scalar, max scalar)",
        "Limits each sample to between min and max",
    ),
    f(
        "clamp_max",
        "clamp_max(v instant-vector, max scalar)",
        "Limits each sample to at most max",
    ),
    f(
        "clamp_min",
        "clamp_min(v instant-vector, min scalar)",
        "Limits each sample to at least min",
    ),
    f(
        "cos",
        "cos(v instant-vector)",
        "Cosine of each sample (radians)",
    ),
    f(
        "cosh",
        "cosh(v instant-vector)",
        "Hyperbolic cosine of each sample",
    ),
    f(
        "count_over_time",
        "count_over_time(v range-vector)",
        "Number of samples of each series in the range",
    ),
    f(
        "day_of_month",
        "day_of_month(v=vector(time()) instant-vector)",
        "Day of the month (1-31) of each timestamp, UTC",
    ),
    f(
        "day_of_week",
        "day_of_week(v=vector(time()) instant-vector)",
        "Day of the week (0 = Sunday) of each timestamp, UTC",
    ),
    f(
        "day_of_year",
        "day_of_year(v=vector(time()) instant-vector)",
        "Day of the year (1-366) of each timestamp, UTC",
    ),
    f(
        "days_in_month",
        "days_in_month(v=vector(time()) instant-vector)",
        "Number of days in the month of each timestamp, UTC",
    ),
    f(
        "deg",
        "deg(v instant-vector)",
        "Converts radians to degrees",
    ),
    f(
        "delta",
        "delta(v range-vector)",
        "Difference between the first and last value in the range, for gauges",
    ),
    f(
        "deriv",
        "deriv(v range-vector)",
        "Per-second derivative by linear regression, for gauges",
    ),
    f(
        "double_exponential_smoothing",
        "double_exponential_smoothing(v range-vector, sf scalar, tf scalar)",
        "Smoothed value by double exponential smoothing (Prometheus 3, experimental)",
    ),
    f(
        "exp",
        "exp(v instant-vector)",
        "e to the power of each sample",
    ),
    f(
        "floor",
        "floor(v instant-vector)",
        "Rounds each sample down to an integer",
    ),
    f(
        "histogram_avg",
        "histogram_avg(v instant-vector)",
        "Average of the observations in each native histogram (Prometheus 2.50+)",
    ),
    f(
        "histogram_count",
        "histogram_count(v instant-vector)",
        "Count of observations in each native histogram",
    ),
    f(
        "histogram_fraction",
        "histogram_fraction(lower scalar, upper scalar, v instant-vector)",
        "Share of observations between lower and upper in each native histogram",
    ),
    f(
        "histogram_quantile",
        "histogram_quantile(φ scalar, b instant-vector)",
        "φ-quantile from histogram buckets (rates of _bucket series by le)",
    ),
    f(
        "histogram_stddev",
        "histogram_stddev(v instant-vector)",
        "Estimated standard deviation of each native histogram (Prometheus 2.50+)",
    ),
    f(
        "histogram_stdvar",
        "histogram_stdvar(v instant-vector)",
        "Estimated variance of each native histogram (Prometheus 2.50+)",
    ),
    f(
        "histogram_sum",
        "histogram_sum(v instant-vector)",
        "Sum of observations in each native histogram",
    ),
    f(
        "holt_winters",
        "holt_winters(v range-vector, sf scalar, tf scalar)",
        "Smoothed value by double exponential smoothing (Prometheus 2; renamed in 3)",
    ),
    f(
        "hour",
        "hour(v=vector(time()) instant-vector)",
        "Hour of the day (0-23) of each timestamp, UTC",
    ),
    f(
        "idelta",
        "idelta(v range-vector)",
        "Difference between the last two samples in the range",
    ),
    f(
        "increase",
        "increase(v range-vector)",
        "Increase of a counter over the range, resets accounted for",
    ),
    f(
        "irate",
        "irate(v range-vector)",
        "Per-second rate of a counter from the last two samples in the range",
    ),
    f(
        "label_join",
        "label_join(v instant-vector, dst string, separator string, src string...)",
        "Joins the values of the src labels into dst",
    ),
    f(
        "label_replace",
        "label_replace(v instant-vector, dst string, replacement string, src string, regex string)",
        "Sets dst from a regex match on src",
    ),
    f(
        "last_over_time",
        "last_over_time(v range-vector)",
        "Most recent sample of each series in the range",
    ),
    f(
        "ln",
        "ln(v instant-vector)",
        "Natural logarithm of each sample",
    ),
    f(
        "log10",
        "log10(v instant-vector)",
        "Decimal logarithm of each sample",
    ),
    f(
        "log2",
        "log2(v instant-vector)",
        "Binary logarithm of each sample",
    ),
    f(
        "mad_over_time",
        "mad_over_time(v range-vector)",
        "Median absolute deviation of each series in the range (experimental)",
    ),
    f(
        "max_over_time",
        "max_over_time(v range-vector)",
        "Largest sample of each series in the range",
    ),
    f(
        "min_over_time",
        "min_over_time(v range-vector)",
        "Smallest sample of each series in the range",
    ),
    f(
        "minute",
        "minute(v=vector(time()) instant-vector)",
        "Minute of the hour (0-59) of each timestamp, UTC",
    ),
    f(
        "month",
        "month(v=vector(time()) instant-vector)",
        "Month (1-12) of each timestamp, UTC",
    ),
    s("pi", "pi()", "The number π"),
    f(
        "predict_linear",
        "predict_linear(v range-vector, t scalar)",
        "Value t seconds from now by linear regression over the range",
    ),
    f(
        "present_over_time",
        "present_over_time(v range-vector)",
        "1 for each series with any sample in the range",
    ),
    f(
        "quantile_over_time",
        "quantile_over_time(φ scalar, v range-vector)",
        "φ-quantile of each series' samples in the range",
    ),
    f(
        "rad",
        "rad(v instant-vector)",
        "Converts degrees to radians",
    ),
    f(
        "rate",
        "rate(v range-vector)",
        "Per-second average rate of increase of a counter over the range",
    ),
    f(
        "resets",
        "resets(v range-vector)",
        "Number of counter resets in the range",
    ),
    f(
        "round",
        "round(v instant-vector, to_nearest=1 scalar)",
        "Rounds each sample to the nearest multiple of to_nearest",
    ),
    s(
        "scalar",
        "scalar(v instant-vector)",
        "The value of a one-series vector as a scalar (NaN otherwise)",
    ),
    f(
        "sgn",
        "sgn(v instant-vector)",
        "Sign of each sample: 1, -1 or 0",
    ),
    f(
        "sin",
        "sin(v instant-vector)",
        "Sine of each sample (radians)",
    ),
    f(
        "sinh",
        "sinh(v instant-vector)",
        "Hyperbolic sine of each sample",
    ),
    f(
        "sort",
        "sort(v instant-vector)",
        "Series by value, ascending (instant queries)",
    ),
    f(
        "sort_by_label",
        "sort_by_label(v instant-vector, label string...)",
        "Series by the values of the labels, ascending (experimental)",
    ),
    f(
        "sort_by_label_desc",
        "sort_by_label_desc(v instant-vector, label string...)",
        "Series by the values of the labels, descending (experimental)",
    ),
    f(
        "sort_desc",
        "sort_desc(v instant-vector)",
        "Series by value, descending (instant queries)",
    ),
    f(
        "sqrt",
        "sqrt(v instant-vector)",
        "Square root of each sample",
    ),
    f(
        "stddev_over_time",
        "stddev_over_time(v range-vector)",
        "Standard deviation of each series' samples in the range",
    ),
    f(
        "stdvar_over_time",
        "stdvar_over_time(v range-vector)",
        "Variance of each series' samples in the range",
    ),
    f(
        "sum_over_time",
        "sum_over_time(v range-vector)",
        "Sum of each series' samples in the range",
    ),
    f(
        "tan",
        "tan(v instant-vector)",
        "Tangent of each sample (radians)",
    ),
    f(
        "tanh",
        "tanh(v instant-vector)",
        "Hyperbolic tangent of each sample",
    ),
    s(
        "time",
        "time()",
        "Seconds since the epoch at the evaluation time",
    ),
    f(
        "timestamp",
        "timestamp(v instant-vector)",
        "The timestamp of each sample, in seconds",
    ),
    f(
        "vector",
        "vector(s scalar)",
        "The scalar as a one-series vector without labels",
    ),
    f(
        "year",
        "year(v=vector(time()) instant-vector)",
        "Year of each timestamp, UTC",
    ),
];

/// The function or aggregation called `name`.
pub fn find(name: &str) -> Option<&'static FunctionDoc> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// What a keyword or word operator does, for completion.
pub fn keyword_doc(word: &str) -> Option<(&'static str, &'static str)> {
    Some(match word {
        "by" => (
            "by (labels)",
            "Keep only these labels; one result per combination",
        ),
        "without" => (
            "without (labels)",
            "Drop these labels; one result per remaining combination",
        ),
        "on" => ("on (labels)", "Match series on these labels only"),
        "ignoring" => ("ignoring (labels)", "Match series on all labels but these"),
        "group_left" => (
            "group_left (labels)",
            "Many-to-one: each right series matches several left ones; copy these labels from the right",
        ),
        "group_right" => (
            "group_right (labels)",
            "One-to-many: each left series matches several right ones; copy these labels from the left",
        ),
        "offset" => (
            "offset duration",
            "Shift the selector this far into the past",
        ),
        "bool" => ("bool", "Comparisons return 0 or 1 instead of filtering"),
        "and" => ("and", "Left series that have a match on the right"),
        "or" => (
            "or",
            "All left series, plus right series with no match on the left",
        ),
        "unless" => ("unless", "Left series that have no match on the right"),
        "atan2" => ("atan2", "Arctangent of left / right, by quadrant"),
        _ => return None,
    })
}

/// Grafana's macros the console substitutes, with what each becomes.
pub const MACROS: [(&str, &str); 7] = [
    (
        "$__rate_interval",
        "A rate window: four scrape intervals, or the step if longer",
    ),
    ("$__interval", "The query step"),
    ("$__interval_ms", "The query step in milliseconds"),
    ("$__range", "The whole time range, as a duration"),
    ("$__range_s", "The whole time range in seconds"),
    ("$__range_ms", "The whole time range in milliseconds"),
    ("$__rate_interval_ms", "The rate window in milliseconds"),
];

/// Range durations offered inside `[...]`.
pub const DURATIONS: [&str; 10] = [
    "1m", "5m", "10m", "15m", "30m", "1h", "6h", "12h", "1d", "7d",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_within_its_parts_and_complete() {
        let aggregations: Vec<&str> = FUNCTIONS
            .iter()
            .filter(|f| f.aggregation)
            .map(|f| f.name)
            .collect();
        let mut sorted = aggregations.clone();
        sorted.sort_unstable();
        assert_eq!(aggregations, sorted);
        assert_eq!(aggregations.len(), super::super::lexer::AGGREGATIONS.len());
        let functions: Vec<&str> = FUNCTIONS
            .iter()
            .filter(|f| !f.aggregation)
            .map(|f| f.name)
            .collect();
        let mut sorted = functions.clone();
        sorted.sort_unstable();
        assert_eq!(functions, sorted);
        for name in [
            "rate",
            "histogram_quantile",
            "label_replace",
            "predict_linear",
            "absent_over_time",
        ] {
            assert!(find(name).is_some(), "{name}");
        }
        assert!(find("time").is_some_and(|f| f.scalar));
        for doc in FUNCTIONS {
            assert!(doc.signature.starts_with(doc.name), "{}", doc.name);
            assert!(
                !doc.doc.is_empty() && !doc.doc.ends_with('.'),
                "{}",
                doc.name
            );
        }
    }
}
