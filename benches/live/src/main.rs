//! `bench-live`: many viewers on the proxy's live hub for a while, on loopback. Prints
//! how often the backend was polled, the proxy's CPU and memory, and the time from a
//! change in the backend to its arrival at a viewer. `scripts/bench-live.sh` runs it
//! with a release build of the proxy; `BENCHMARKS.md` records a run.

mod backend;
mod proxy;
mod stats;
mod viewer;

use backend::{Backend, Clock};
use clap::Parser;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::watch;

#[derive(Parser)]
#[command(about = "Load the proxy's live hub with many WebSocket viewers")]
struct Args {
    /// The proxy binary to start.
    #[arg(long, default_value = "target/server/vantage-proxy")]
    proxy: PathBuf,
    /// Concurrent viewers.
    #[arg(long, default_value_t = 1000)]
    viewers: usize,
    /// How long to measure, once every viewer has its snapshot.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// The hub's polling interval.
    #[arg(long, default_value = "2s")]
    interval: String,
    /// Sessions in the backend's table.
    #[arg(long, default_value_t = 1000)]
    sessions: usize,
    /// How often the backend changes, ms.
    #[arg(long, default_value_t = 250)]
    change_every_ms: u64,
    /// Sessions that exchange messages in each change (one also leaves, one joins).
    #[arg(long, default_value_t = 5)]
    changed: usize,
    /// Viewers connecting at once.
    #[arg(long, default_value_t = 50)]
    connect_batch: usize,
}

fn say(line: String) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let interval_ms = vantage_api::duration::parse_prometheus_duration(&args.interval)
        .map_err(|e| format!("--interval: {e}"))?;
    if args.viewers == 0 || args.sessions == 0 || args.seconds == 0 {
        return Err("--viewers, --sessions and --seconds must be at least 1".to_owned());
    }
    let clock = Clock::new();
    let backend = Backend::new(clock, args.sessions);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("backend: {e}"))?;
    let backend_url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    tokio::spawn(backend.clone().serve(listener));
    let churn = tokio::spawn(
        backend
            .clone()
            .churn(Duration::from_millis(args.change_every_ms), args.changed),
    );

    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        probe.local_addr().map_err(|e| e.to_string())?.port()
    };
    let mut proxy =
        proxy::Proxy::start(&args.proxy, dir.path(), port, &backend_url, &args.interval)?;
    let outcome = run(&args, interval_ms, clock, &backend, &mut proxy).await;
    churn.abort();
    proxy.stop();
    outcome
}

async fn run(
    args: &Args,
    interval_ms: u64,
    clock: Clock,
    backend: &Backend,
    proxy: &mut proxy::Proxy,
) -> Result<(), String> {
    proxy.ready(Duration::from_secs(30)).await?;
    let (idle_rss, _) = proxy.memory_kb();
    say(format!(
        "proxy pid {}, idle RSS {:.1} MB; backend: {} sessions, {} changed + 1 joining + 1 leaving every {} ms; hub interval {}",
        proxy.pid(),
        idle_rss as f64 / 1024.0,
        args.sessions,
        args.changed,
        args.change_every_ms,
        args.interval
    ));
    let url = format!("ws://{}/api/live/websocket-connections", proxy.addr);
    let measuring = Arc::new(AtomicBool::new(false));
    let (stop, stopped) = watch::channel(false);

    // Everyone in, a batch at a time, each with its snapshot.
    let joining = Instant::now();
    let mut viewers = Vec::with_capacity(args.viewers);
    while viewers.len() < args.viewers {
        let batch = args.connect_batch.min(args.viewers - viewers.len());
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..batch {
            set.spawn(viewer::join(
                url.clone(),
                clock,
                Arc::clone(&measuring),
                stopped.clone(),
            ));
        }
        while let Some(joined) = set.join_next().await {
            viewers.push(joined.map_err(|e| e.to_string())??);
        }
    }
    say(format!(
        "{} viewers joined, each with its snapshot, in {:.2} s",
        viewers.len(),
        joining.elapsed().as_secs_f64()
    ));

    let cpu_before = proxy.cpu_seconds();
    let from_us = clock.now_us();
    measuring.store(true, Ordering::Relaxed);
    let mut rss_samples = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(1)).await;
        rss_samples.push(proxy.memory_kb().0);
    }
    measuring.store(false, Ordering::Relaxed);
    let to_us = clock.now_us();
    let cpu = proxy.cpu_seconds() - cpu_before;
    let (rss, peak) = proxy.memory_kb();

    stop.send_replace(true);
    let mut seen = Vec::with_capacity(viewers.len());
    for handle in viewers {
        seen.push(handle.await.map_err(|e| e.to_string())?);
    }
    let left_us = clock.now_us();
    // With nobody watching, the hub must stop polling.
    tokio::time::sleep(Duration::from_millis(interval_ms * 3)).await;

    let polls = backend.polls();
    let window: Vec<u64> = polls
        .iter()
        .copied()
        .filter(|t| (from_us..to_us).contains(t))
        .collect();
    let gaps_ms: Vec<f64> = window
        .windows(2)
        .map(|w| (w[1] - w[0]) as f64 / 1000.0)
        .collect();
    let after_leaving = polls
        .iter()
        .filter(|t| **t > left_us + interval_ms * 1000)
        .count();
    let seconds = (to_us - from_us) as f64 / 1e6;
    say(format!(
        "backend polls in {seconds:.1} s: {} (one per interval would be {:.1}); gap between polls ms: {}",
        window.len(),
        seconds * 1000.0 / interval_ms as f64,
        stats::summary(gaps_ms)
    ));
    say(format!(
        "backend polls more than one interval after the last viewer left: {after_leaving}"
    ));
    say(format!(
        "proxy CPU: {:.2} s in {seconds:.1} s = {:.1} % of one core; RSS {:.1} MB at the end, median {:.1} MB, peak (VmHWM) {:.1} MB",
        cpu,
        cpu / seconds * 100.0,
        rss as f64 / 1024.0,
        stats::median_kb(&mut rss_samples) / 1024.0,
        peak as f64 / 1024.0
    ));

    let latencies: Vec<f64> = seen
        .iter()
        .flat_map(|s| s.latencies_us.iter().map(|us| *us as f64 / 1000.0))
        .collect();
    let arrivals = latencies.len();
    say(format!(
        "change to arrival at a viewer, ms ({arrivals} row arrivals): {}",
        stats::summary(latencies)
    ));
    // Each diff comes from the latest poll before it arrived.
    let fan_out: Vec<f64> = seen
        .iter()
        .flat_map(|s| s.diff_arrivals_us.iter())
        .filter_map(|arrived| {
            let i = polls.partition_point(|p| p <= arrived);
            i.checked_sub(1)
                .map(|i| (arrived - polls[i]) as f64 / 1000.0)
        })
        .collect();
    say(format!(
        "backend poll request to a diff's arrival at a viewer, ms ({} diffs): {}",
        fan_out.len(),
        stats::summary(fan_out)
    ));
    let total = |f: fn(&viewer::Seen) -> u64| seen.iter().map(f).sum::<u64>();
    let dropped = seen.iter().filter(|s| s.dropped).count();
    say(format!(
        "messages {}, diffs {}, snapshots {} ({} at join), sequence gaps {}, connections dropped {dropped}",
        total(|s| s.messages),
        total(|s| s.diffs),
        total(|s| s.snapshots),
        seen.len(),
        total(|s| s.gaps)
    ));
    if let Some(error) = seen.iter().find_map(|s| s.error.clone()) {
        say(format!("first viewer error: {error}"));
    }
    Ok(())
}
