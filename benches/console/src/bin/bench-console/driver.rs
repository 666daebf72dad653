//! Arguments, the draw and decode benchmarks, and the tables.

use crate::chrome::Chrome;
use crate::serve::serve;
use serde_json::{Value, json};
use std::path::PathBuf;

/// What to run, from the command line.
pub struct Options {
    pub page: Option<PathBuf>,
    pub draw: bool,
    pub decode: bool,
    pub dashboard: bool,
    pub cost: bool,
    /// Days of history for the cost page, and the demo's shapes (`default`, `wide`).
    pub cost_days: u32,
    pub cost_shapes: Vec<String>,
    pub sizes: Vec<u64>,
    pub series: Vec<u64>,
    pub scales: Vec<f64>,
    pub reps: u64,
    pub warmup: u64,
    pub decode_reps: u64,
    pub decode_mb: f64,
    pub loads: u64,
    pub json: Option<PathBuf>,
}

const USAGE: &str = "usage: bench-console [--page DIR] [--only draw,decode,dashboard,cost] \
[--cost-days 30] [--cost-shapes default,wide] \
[--sizes 10000,100000,1000000] [--series 1,10] [--dpr 1,2] [--reps 15] [--warmup 3] \
[--decode-reps 9] [--decode-mb 10] [--loads 5] [--json FILE]";

fn list<T: std::str::FromStr>(text: &str) -> Vec<T> {
    text.split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

fn parse_args() -> Options {
    let mut options = Options {
        page: None,
        draw: true,
        decode: true,
        dashboard: true,
        cost: true,
        cost_days: 30,
        cost_shapes: vec!["default".to_owned(), "wide".to_owned()],
        sizes: vec![10_000, 100_000, 1_000_000],
        series: vec![1, 10],
        scales: vec![1.0, 2.0],
        reps: 15,
        warmup: 3,
        decode_reps: 9,
        decode_mb: 10.0,
        loads: 5,
        json: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| panic!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--page" => options.page = Some(PathBuf::from(value())),
            "--only" => {
                let only = value();
                options.draw = only.contains("draw");
                options.decode = only.contains("decode");
                options.dashboard = only.contains("dashboard");
                options.cost = only.contains("cost");
            }
            "--cost-days" => options.cost_days = value().parse().unwrap_or(30),
            "--cost-shapes" => options.cost_shapes = list(&value()),
            "--sizes" => options.sizes = list(&value()),
            "--series" => options.series = list(&value()),
            "--dpr" => options.scales = list(&value()),
            "--reps" => options.reps = value().parse().unwrap_or(15),
            "--warmup" => options.warmup = value().parse().unwrap_or(3),
            "--decode-reps" => options.decode_reps = value().parse().unwrap_or(9),
            "--decode-mb" => options.decode_mb = value().parse().unwrap_or(10.0),
            "--loads" => options.loads = value().parse().unwrap_or(5),
            "--json" => options.json = Some(PathBuf::from(value())),
            _ => panic!("unknown argument {flag}\n{USAGE}"),
        }
    }
    options
}

pub fn main() {
    let options = parse_args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let results = runtime.block_on(run(&options));
    if let Some(path) = &options.json {
        let text = serde_json::to_string_pretty(&results).unwrap_or_default();
        std::fs::write(path, text).expect("write the JSON results");
        eprintln!("raw results in {}", path.display());
    }
}

async fn run(options: &Options) -> Value {
    let mut results = json!({});
    if options.draw || options.decode {
        let page = options.page.clone().unwrap_or_else(|| {
            panic!("--page is needed for the draw and decode benchmarks\n{USAGE}")
        });
        let base = serve(page).await;
        eprintln!("bench page at {base}/");
        let mut draws = Vec::new();
        for (i, scale) in options.scales.iter().enumerate() {
            let chrome = Chrome::start(1400, 1200, *scale).await;
            chrome
                .client
                .goto(&format!("{base}/index.html"))
                .await
                .expect("open the bench page");
            let info = chrome
                .eval_promise("return window.bench.ready;", vec![])
                .await;
            assert!(info.get("error").is_none(), "bench page failed: {info}");
            if i == 0 {
                results["browser"] = info.clone();
            }
            if options.draw {
                for &series in &options.series {
                    for &points in &options.sizes {
                        eprintln!("draw: dpr {scale}, {series} series x {points} points");
                        let config = json!({
                            "points": points, "series": series,
                            "reps": options.reps, "warmup": options.warmup,
                        });
                        let r = chrome
                            .eval_promise("return window.bench.draw(arguments[0]);", vec![config])
                            .await;
                        assert!(r.get("error").is_none(), "draw failed: {r}");
                        draws.push(r);
                    }
                }
            }
            if options.draw {
                // What the last size left on screen: console, prototype, uPlot.
                let path = vantage_e2e::target_dir()
                    .join("bench-console")
                    .join(format!("draw-dpr{scale}.png"));
                if let Ok(png) = chrome.client.screenshot().await {
                    let _ = std::fs::write(&path, png);
                    eprintln!("screenshot: {}", path.display());
                }
            }
            if options.decode && i == 0 {
                eprintln!("decode: {} MB", options.decode_mb);
                let config = json!({
                    "bytes": (options.decode_mb * 1e6) as u64, "series": 100,
                    "reps": options.decode_reps, "warmup": 2,
                });
                let r = chrome
                    .eval_promise("return window.bench.decode(arguments[0]);", vec![config])
                    .await;
                assert!(r.get("error").is_none(), "decode failed: {r}");
                results["decode"] = r;
            }
            chrome.close().await;
        }
        if options.draw {
            results["draw"] = Value::Array(draws);
        }
    }
    if let Some(browser) = results.get("browser") {
        println!(
            "Browser: {}\n",
            browser["userAgent"].as_str().unwrap_or_default()
        );
    }
    if let Some(draws) = results.get("draw").and_then(Value::as_array) {
        print_draw(draws, options);
    }
    if let Some(decode) = results.get("decode") {
        print_decode(decode, options);
    }
    if options.dashboard {
        let loads = crate::dashboard::run(options.loads).await;
        crate::dashboard::print(&loads, options.loads);
        results["dashboard"] = loads;
    }
    if options.cost {
        let cost = crate::cost::run(options.loads, options.cost_days, &options.cost_shapes).await;
        crate::cost::print(&cost, options.loads);
        results["cost"] = cost;
    }
    results
}

fn ms(stat: &Value, key: &str) -> f64 {
    stat[key].as_f64().unwrap_or(f64::NAN)
}

fn cell(stat: &Value) -> String {
    format!("{:.2} / {:.2}", ms(stat, "median"), ms(stat, "p95"))
}

fn print_draw(draws: &[Value], options: &Options) {
    println!(
        "### Draw: data in memory to pixels on a 1200x300 CSS px canvas \
         (ms, median / p95 of {} runs after {} warm-up)\n",
        options.reps, options.warmup
    );
    println!(
        "| dpr | series | points per series | console (M4 + plotters) | uPlot 1.6.32 | console / uPlot | goal (console <= uPlot) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for d in draws {
        let ours = ms(&d["console"], "median");
        let theirs = ms(&d["uplot"], "median");
        println!(
            "| {} | {} | {} | {} | {} | {:.2} | {} |",
            d["dpr"],
            d["series"],
            d["points"],
            cell(&d["console"]),
            cell(&d["uplot"]),
            ours / theirs,
            if ours <= theirs { "met" } else { "missed" }
        );
    }
    println!("\n### Draw, where the console's time goes, and the prototype (ms, median / p95)\n");
    println!(
        "| dpr | series | points per series | console | decimation alone | frame alone (axes, grid, labels; no series) | prototype: text measured on canvas | prototype: + lines stroked directly | uPlot | points kept by M4 | coloured px console / prototype / uPlot |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for d in draws {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} / {} |",
            d["dpr"],
            d["series"],
            d["points"],
            cell(&d["console"]),
            cell(&d["decimate_only"]),
            cell(&d["console_frame_only"]),
            cell(&d["fast_text"]),
            cell(&d["fast_text_lines"]),
            cell(&d["uplot"]),
            d["kept_points"],
            d["coloured"]["console"],
            d["coloured"]["fast"],
            d["coloured"]["uplot"],
        );
    }
    println!();
}

fn print_decode(d: &Value, options: &Options) {
    let bytes = d["bytes"].as_f64().unwrap_or(f64::NAN);
    println!(
        "### Decode: a {:.1} MB `query_range` matrix ({} series, {} samples), ms median / p95 of {} runs, MB/s at the median\n",
        bytes / 1e6,
        d["series"],
        d["samples"],
        options.decode_reps
    );
    println!("| decoder | ms (median / p95) | MB/s |");
    println!("|---|---|---|");
    let rows = [
        (
            "wasm_from_string",
            "console: `Envelope<QueryData>` with serde_json, from the JS string (copy into wasm included; `response.text()` + `from_str`, as the app did before)",
        ),
        (
            "wasm_from_bytes",
            "console decoder fed bytes (`Uint8Array` copied in, `from_slice`): as the app does (`binary()`)",
        ),
        (
            "wasm_in_memory",
            "console decoder alone: body already in wasm memory (`from_slice`)",
        ),
        ("json_parse", "`JSON.parse` of the same string"),
        (
            "json_parse_columns",
            "`JSON.parse` + conversion to two `Float64Array`s per series",
        ),
    ];
    for (key, label) in rows {
        let median = ms(&d[key], "median");
        println!(
            "| {label} | {} | {:.0} |",
            cell(&d[key]),
            bytes / 1e6 / (median / 1000.0)
        );
    }
    println!();
}
