//! Percentiles for the report.

/// `p` in [0, 1] of sorted values (nearest rank).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// "min .., p50 .., p99 .., max .." of the values.
pub fn summary(mut values: Vec<f64>) -> String {
    if values.is_empty() {
        return "none".to_owned();
    }
    values.sort_by(f64::total_cmp);
    format!(
        "min {:.1}, p50 {:.1}, p90 {:.1}, p99 {:.1}, max {:.1}",
        values[0],
        percentile(&values, 0.5),
        percentile(&values, 0.9),
        percentile(&values, 0.99),
        values[values.len() - 1]
    )
}

/// The median of kB samples.
pub fn median_kb(samples: &mut [u64]) -> f64 {
    samples.sort_unstable();
    samples.get(samples.len() / 2).map_or(0.0, |v| *v as f64)
}
