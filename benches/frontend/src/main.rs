//! `bench-frontend`: viewers refreshing a dashboard through the proxy (or straight at
//! Prometheus), planned as the console plans it; prints the answers' latency, their
//! cache results, and the upstream's own work (samples loaded, evaluation time).
//!
//! `--mode load`: `--viewers` viewers refreshing every `--refresh` for `--duration`.
//! `--mode views`: `--views` views one after another (a first view, then repeats), each
//! reported on its own, e.g. a 30-day range over a backfilled month.
//! `--mode history`: writes `--hours` of history of the cost metric for `promtool`
//! (see `history.rs`) to `--out`, from the demo at `--target`.

mod history;
mod load;
mod stats;
mod upstream_cost;

use clap::Parser;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use vantage_api::duration::parse_prometheus_duration;

#[derive(Parser, Debug)]
#[command(
    name = "bench-frontend",
    about = "Dashboard refresh load on the query frontend"
)]
struct Args {
    /// Where the requests go: the proxy, or Prometheus itself for a baseline.
    #[arg(long)]
    target: String,
    /// Prometheus, for its own counters.
    #[arg(long, default_value = "")]
    prometheus: String,
    /// Prometheus' query log (`global.query_log_file`), for the samples each query loaded.
    #[arg(long)]
    query_log: Option<PathBuf>,
    /// The dashboard file.
    #[arg(long, default_value = "dashboards/cost-attribution.toml")]
    dashboard: PathBuf,
    /// The shown range, ending now.
    #[arg(long, default_value = "24h")]
    range: String,
    #[arg(long, default_value = "load")]
    mode: String,
    #[arg(long, default_value_t = 20)]
    viewers: usize,
    #[arg(long, default_value = "30s")]
    refresh: String,
    #[arg(long, default_value = "5m")]
    duration: String,
    /// Views in `--mode views`.
    #[arg(long, default_value_t = 3)]
    views: usize,
    /// Pause between views in `--mode views`.
    #[arg(long, default_value = "30s")]
    pause: String,
    /// The console's grid width in CSS pixels.
    #[arg(long, default_value_t = 1400)]
    grid_width: u32,
    /// A name for this run in the report.
    #[arg(long, default_value = "run")]
    label: String,
    /// `--mode history`: hours of history, ending now.
    #[arg(long, default_value_t = 24)]
    hours: u64,
    /// `--mode history`: seconds between samples.
    #[arg(long, default_value_t = 15)]
    every: u64,
    /// `--mode history`: the `instance` label a scrape of the demo gets (`host:port`).
    #[arg(long, default_value = "")]
    instance: String,
    /// `--mode history`: where to write, one OpenMetrics file a day: `<out>.000`, `<out>.001`...
    #[arg(long)]
    out: Option<PathBuf>,
}

fn duration(name: &str, text: &str) -> Result<Duration, String> {
    parse_prometheus_duration(text)
        .map(Duration::from_millis)
        .map_err(|e| format!("--{name}: {e}"))
}

fn report(out: &mut impl Write, label: &str, results: &load::Results, work: upstream_cost::Work) {
    let _ = writeln!(
        out,
        "[{label}] views:          {}",
        stats::summary(results.views_ms.clone())
    );
    let _ = writeln!(
        out,
        "[{label}] all requests:   {}",
        stats::summary(results.requests_ms.clone())
    );
    let _ = writeln!(
        out,
        "[{label}] range requests: {}",
        stats::summary(results.ranges_ms.clone())
    );
    let _ = writeln!(
        out,
        "[{label}] upstream time in range answers (Server-Timing): {}",
        stats::summary(results.upstream_ms.clone())
    );
    let _ = writeln!(
        out,
        "[{label}] range answers by cache result: {:?}",
        results.caches
    );
    let _ = writeln!(
        out,
        "[{label}] upstream: {} queries, {} samples loaded, {:.3} s inner evaluation; {:.1} MB answered; {} errors",
        work.queries,
        work.samples,
        work.eval_seconds,
        results.bytes as f64 / 1e6,
        results.errors.len()
    );
    for (kind, part) in [("range", work.range), ("instant", work.instant)] {
        let _ = writeln!(
            out,
            "[{label}]   {kind} queries: {} queries, {} samples, {:.3} s evaluation (query log)",
            part.queries, part.samples, part.eval_seconds
        );
    }
    for error in results.errors.iter().take(5) {
        let _ = writeln!(out, "[{label}]   error: {error}");
    }
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let range = duration("range", &args.range)?;
    let dashboard = Arc::new(vantage_e2e::dashboard_load::load(&args.dashboard));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .pool_max_idle_per_host(256)
        .build()
        .map_err(|e| e.to_string())?;
    let meter = upstream_cost::Meter {
        prometheus: args.prometheus.trim_end_matches('/').to_owned(),
        query_log: args.query_log.clone(),
        http: http.clone(),
    };
    let viewing = load::Viewing {
        http,
        target: args.target.trim_end_matches('/').to_owned(),
        dashboard,
        range,
        grid_width: args.grid_width,
    };
    let mut out = std::io::stdout();
    match args.mode.as_str() {
        "load" => {
            let refresh = duration("refresh", &args.refresh)?;
            let length = duration("duration", &args.duration)?;
            let before = meter.read().await;
            let results = load::run(&viewing, args.viewers, refresh, length).await;
            // The query log is written as queries finish; give the last lines a moment.
            tokio::time::sleep(Duration::from_millis(500)).await;
            let work = meter.work(before, meter.read().await);
            report(&mut out, &args.label, &results, work);
        }
        "views" => {
            let pause = duration("pause", &args.pause)?;
            for i in 0..args.views {
                if i > 0 {
                    tokio::time::sleep(pause).await;
                }
                let before = meter.read().await;
                let results = viewing.view().await;
                tokio::time::sleep(Duration::from_millis(500)).await;
                let work = meter.work(before, meter.read().await);
                report(
                    &mut out,
                    &format!("{} view {}", args.label, i + 1),
                    &results,
                    work,
                );
            }
        }
        "history" => {
            let path = args.out.ok_or("--out: missing")?;
            let end = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|e| e.to_string())?
                .as_secs()
                - 60;
            let chunk_path = |i: u64| PathBuf::from(format!("{}.{i:03}", path.display()));
            let series = history::write(
                &viewing.http,
                &viewing.target,
                &args.instance,
                args.hours,
                args.every.max(1),
                24,
                end,
                |i| {
                    std::fs::File::create(chunk_path(i))
                        .map(std::io::BufWriter::new)
                        .map_err(|e| format!("--out: {e}"))
                },
            )
            .await?;
            let _ = writeln!(
                out,
                "{series} series, {} h every {} s, until {end}, in {}.000 and on (a file a day)",
                args.hours,
                args.every,
                path.display()
            );
        }
        other => {
            return Err(format!(
                "--mode: {other:?} must be \"load\", \"views\" or \"history\""
            ));
        }
    }
    Ok(())
}
