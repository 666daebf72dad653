//! A day (or more) of history for the cost metric, for the benchmark only: the 24-hour
//! view is only as expensive as the data under it, and a freshly started demo has a few
//! minutes of it. Writes OpenMetrics for `promtool tsdb create-blocks-from openmetrics`:
//! every `orchestrator_cost_attribution` series the demo exposes now, with the labels a
//! scrape of it gets (`instance`, `job`), as a counter growing at a steady, jittered
//! rate until `end`. (`vantage-demo history` will write the whole demo's history; this
//! stands in for the one metric the cost dashboard reads.)

use std::io::Write;

/// Writes `hours` of history ending at `end_s` (unix seconds), one sample per
/// `every_s`, for the demo's current cost series: one OpenMetrics file per `chunk_hours`
/// (`promtool` reads its whole input once per two-hour block it writes, so a month in
/// one file takes it twenty minutes; in daily files, one). `open(i)` gives chunk `i`'s
/// writer. Returns the series count.
#[allow(clippy::too_many_arguments)]
pub async fn write<W: Write>(
    http: &reqwest::Client,
    demo: &str,
    instance: &str,
    hours: u64,
    every_s: u64,
    chunk_hours: u64,
    end_s: u64,
    mut open: impl FnMut(u64) -> Result<W, String>,
) -> Result<usize, String> {
    let text = http
        .get(format!("{}/metrics", demo.trim_end_matches('/')))
        .send()
        .await
        .map_err(|e| format!("demo: {e}"))?
        .text()
        .await
        .map_err(|e| format!("demo: {e}"))?;
    let mut series: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("orchestrator_cost_attribution{"))
        .filter_map(|l| l.split_once('}').map(|(labels, _)| labels))
        .collect();
    series.sort_unstable();
    series.dedup();
    let io = |e: std::io::Error| e.to_string();
    let start_s = end_s - hours * 3600;
    let chunk_s = chunk_hours.max(1) * 3600;
    // Per series: the generator's state and the counter's value, carried across chunks.
    let mut state: Vec<(u64, f64)> = (0..series.len())
        .map(|i| (0x9E37_79B9_7F4A_7C15_u64 ^ (i as u64), 0.0))
        .collect();
    let mut chunk = 0;
    let mut from = start_s;
    while from <= end_s {
        let to = (from + chunk_s - every_s).min(end_s);
        let mut out = open(chunk)?;
        writeln!(
            out,
            "# HELP orchestrator_cost_attribution Cost attribution in USD by repository and user."
        )
        .map_err(io)?;
        writeln!(out, "# TYPE orchestrator_cost_attribution unknown").map_err(io)?;
        for (i, labels) in series.iter().enumerate() {
            // A steady rate per series ($0.50 to $5 an hour), jittered per sample by a
            // small deterministic generator so that runs are comparable.
            let rate_per_s = (0.5 + 4.5 * ((i * 37 % 64) as f64 / 63.0)) / 3600.0;
            let (ref mut seed, ref mut value) = state[i];
            let mut t = from;
            while t <= to {
                *seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let jitter = 0.5 + (*seed >> 11) as f64 / (1u64 << 53) as f64;
                *value += rate_per_s * every_s as f64 * jitter;
                writeln!(
                    out,
                    "orchestrator_cost_attribution{{instance=\"{instance}\",job=\"demo\",{labels}}} {value} {t}"
                )
                .map_err(io)?;
                t += every_s;
            }
        }
        writeln!(out, "# EOF").map_err(io)?;
        out.flush().map_err(io)?;
        chunk += 1;
        from = to + every_s;
    }
    Ok(series.len())
}
