//! The whole system on loopback: demo backend, Prometheus (and, when asked,
//! VictoriaMetrics) scraping it, proxy in front.

use crate::process::{Process, free_port, wait_for, wait_http_ok, workspace_binary};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use tempfile::TempDir;

/// What a stack starts with besides demo, Prometheus and proxy with their defaults.
#[derive(Debug, Clone, Default)]
pub struct StackOptions {
    /// Days of the demo's past loaded into Prometheus first (see
    /// [`Stack::start_with_history`]).
    pub history_days: Option<u32>,
    /// The proxy's `--config` file.
    pub proxy_config: Option<PathBuf>,
    /// Load the alerting rules `vantage-proxy budget-rules` writes for `proxy_config`
    /// into Prometheus, evaluated every `budget_rules_interval` (`vantage-proxy
    /// budget-rules --interval`).
    pub budget_rules_interval: Option<String>,
    /// Environment of the demo and of the history it writes, e.g.
    /// `VANTAGE_DEMO_REPOSITORIES` and `VANTAGE_DEMO_USERS`.
    pub demo_env: Vec<(String, String)>,
    /// A Prometheus rule file's YAML loaded besides the demo's alert rules.
    pub extra_rules: Option<String>,
}

/// Everything a browser test needs, stopped when dropped.
pub struct Stack {
    pub demo_url: String,
    pub prometheus_url: String,
    pub proxy_url: String,
    /// VictoriaMetrics scraping the same demo, when started with it.
    pub victoria_url: Option<String>,
    // Dropped in reverse order of starting: proxy, VictoriaMetrics, Prometheus, demo.
    pub proxy: Process,
    pub victoria: Option<Process>,
    pub prometheus: Process,
    pub demo: Process,
    _dir: TempDir,
}

impl Stack {
    /// Starts the demo (fixed seed), a Prometheus scraping it every `scrape` with the
    /// demo's alert rules, and the proxy; waits until each answers.
    pub async fn start(scrape: Duration) -> Stack {
        Stack::start_inner(scrape, false).await
    }

    /// As [`Stack::start`], plus a VictoriaMetrics scraping the demo at the same
    /// interval (a second, independent Prometheus-compatible upstream).
    pub async fn start_with_victoria(scrape: Duration) -> Stack {
        Stack::start_inner(scrape, true).await
    }

    /// As [`Stack::start`], with `days` of the demo's past loaded into Prometheus first
    /// the way `scripts/demo.sh` does it (`scripts/history.sh`, blocks cached in
    /// `target/demo-history`), the live demo continuing where the past ends.
    pub async fn start_with_history(scrape: Duration, days: u32) -> Stack {
        Stack::start_with(
            scrape,
            StackOptions {
                history_days: Some(days),
                ..StackOptions::default()
            },
        )
        .await
    }

    /// As [`Stack::start`], with `options`.
    pub async fn start_with(scrape: Duration, options: StackOptions) -> Stack {
        let dir = tempfile::tempdir().expect("temp dir");
        let history = options
            .history_days
            .map(|days| crate::history::load(dir.path(), days, &options.demo_env));
        Stack::start_in(dir, scrape, false, history, &options).await
    }

    /// As [`Stack::start`], with `rules` (a Prometheus rule file's YAML) loaded besides
    /// the demo's alert rules: an alert without `for:` fires as soon as an incident
    /// begins, where the seed rules wait minutes.
    pub async fn start_with_rules(scrape: Duration, rules: &str) -> Stack {
        Stack::start_with(
            scrape,
            StackOptions {
                extra_rules: Some(rules.to_owned()),
                ..StackOptions::default()
            },
        )
        .await
    }

    async fn start_inner(scrape: Duration, with_victoria: bool) -> Stack {
        let dir = tempfile::tempdir().expect("temp dir");
        Stack::start_in(dir, scrape, with_victoria, None, &StackOptions::default()).await
    }

    async fn start_in(
        dir: TempDir,
        scrape: Duration,
        with_victoria: bool,
        history: Option<PathBuf>,
        options: &StackOptions,
    ) -> Stack {
        let demo_port = free_port();
        let mut demo_cmd = Command::new(workspace_binary("vantage-demo"));
        demo_cmd.args([
            "--listen",
            &format!("127.0.0.1:{demo_port}"),
            "--seed",
            "42",
        ]);
        demo_cmd.envs(options.demo_env.iter().map(|(k, v)| (k, v)));
        if let Some(snapshot) = &history {
            demo_cmd.arg("--history-resume").arg(snapshot);
        }
        let demo = Process::start("demo", demo_cmd, dir.path());
        let demo_url = format!("http://127.0.0.1:{demo_port}");
        wait_http_ok(&format!("{demo_url}/metrics"), Duration::from_secs(30)).await;

        let mut rule_files = vec![crate::workspace_root().join("demo/prometheus/alerts.yml")];
        if let Some(interval) = &options.budget_rules_interval {
            rule_files.push(budget_rules(
                dir.path(),
                options.proxy_config.as_deref(),
                interval,
            ));
        }
        if let Some(rules) = &options.extra_rules {
            let path = dir.path().join("extra-rules.yml");
            std::fs::write(&path, rules).expect("write the extra rules");
            rule_files.push(path);
        }
        let prom_port = free_port();
        let prometheus = start_prometheus(
            dir.path(),
            prom_port,
            demo_port,
            scrape,
            history.is_some(),
            &rule_files,
        );
        let prometheus_url = format!("http://127.0.0.1:{prom_port}");
        wait_http_ok(
            &format!("{prometheus_url}/-/ready"),
            Duration::from_secs(60),
        )
        .await;

        let (victoria, victoria_url) = if with_victoria {
            let port = free_port();
            let process = start_victoria(dir.path(), port, demo_port, scrape);
            let url = format!("http://127.0.0.1:{port}");
            wait_http_ok(&format!("{url}/-/ready"), Duration::from_secs(60)).await;
            (Some(process), Some(url))
        } else {
            (None, None)
        };

        let proxy_port = free_port();
        let mut proxy_cmd = Command::new(workspace_binary("vantage-proxy"));
        proxy_cmd
            .args(["--listen", &format!("127.0.0.1:{proxy_port}")])
            .args(["--upstream", &prometheus_url])
            .args(["--backend", &demo_url])
            .env_remove("VANTAGE_CONFIG");
        if let Some(config) = &options.proxy_config {
            proxy_cmd.arg("--config").arg(config);
        }
        let proxy = Process::start("proxy", proxy_cmd, dir.path());
        let proxy_url = format!("http://127.0.0.1:{proxy_port}");
        wait_http_ok(&format!("{proxy_url}/healthz"), Duration::from_secs(30)).await;

        Stack {
            demo_url,
            prometheus_url,
            proxy_url,
            victoria_url,
            proxy,
            victoria,
            prometheus,
            demo,
            _dir: dir,
        }
    }

    /// Runs an instant query against Prometheus directly.
    pub async fn prometheus_query(&self, query: &str) -> Vec<Value> {
        instant_query(&self.prometheus_url, query).await
    }

    /// The values of `label` among the series `query` returns.
    pub async fn label_values(&self, query: &str, label: &str) -> Vec<String> {
        self.prometheus_query(query)
            .await
            .iter()
            .filter_map(|s| s["metric"][label].as_str().map(str::to_owned))
            .collect()
    }

    /// Waits until Prometheus has scraped the demo at least `scrapes` times.
    pub async fn wait_for_scrapes(&self, scrapes: u32) {
        let query = format!("count_over_time(up{{job=\"demo\"}}[10m]) >= {scrapes}");
        wait_for(
            "Prometheus to scrape the demo",
            Duration::from_secs(90),
            || async { (!self.prometheus_query(&query).await.is_empty()).then_some(()) },
        )
        .await;
    }
}

/// VictoriaMetrics with its own scrape configuration; no query latency offset, so a
/// sample is queryable as soon as it is scraped.
fn start_victoria(dir: &Path, port: u16, demo_port: u16, scrape: Duration) -> Process {
    let interval = format!("{}s", scrape.as_secs().max(1));
    let config = format!(
        "global:\n  scrape_interval: {interval}\n\
         scrape_configs:\n  - job_name: demo\n    static_configs:\n      - targets: ['127.0.0.1:{demo_port}']\n"
    );
    let config_path = dir.join("victoria-scrape.yml");
    std::fs::write(&config_path, config).expect("write victoria-scrape.yml");
    let mut command = Command::new("victoria-metrics");
    command
        .arg(format!("-httpListenAddr=127.0.0.1:{port}"))
        .arg(format!(
            "-storageDataPath={}",
            dir.join("victoria").display()
        ))
        .arg(format!("-promscrape.config={}", config_path.display()))
        .arg("-search.latencyOffset=0s")
        // VictoriaMetrics' own cache of range results joins older answers with newer
        // ones (a series that appeared since can be missing from its first points);
        // the tests compare the proxy with what the upstream computes, so it computes.
        .arg("-search.disableCache")
        .arg("-loggerLevel=ERROR");
    Process::start("victoria-metrics", command, dir)
}

/// An instant query against the Prometheus at `prometheus_url`: the result list (empty
/// when it cannot be had).
pub async fn instant_query(prometheus_url: &str, query: &str) -> Vec<Value> {
    let url = format!("{prometheus_url}/api/v1/query");
    let answer: Option<Value> = async {
        reqwest::Client::new()
            .get(&url)
            .query(&[("query", query)])
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()
    }
    .await;
    answer
        .and_then(|a| a.pointer("/data/result").and_then(Value::as_array).cloned())
        .unwrap_or_default()
}

/// Writes `vantage-proxy budget-rules` for `config` into `dir`; returns the file.
pub fn budget_rules(dir: &Path, config: Option<&Path>, interval: &str) -> PathBuf {
    let mut command = Command::new(workspace_binary("vantage-proxy"));
    command
        .args(["budget-rules", "--interval", interval])
        .env_remove("VANTAGE_CONFIG");
    if let Some(config) = config {
        command.arg("--config").arg(config);
    }
    let output = command.output().expect("run vantage-proxy budget-rules");
    assert!(
        output.status.success(),
        "vantage-proxy budget-rules failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = dir.join("budget-rules.yml");
    std::fs::write(&path, &output.stdout).expect("write budget-rules.yml");
    path
}

fn start_prometheus(
    dir: &Path,
    port: u16,
    demo_port: u16,
    scrape: Duration,
    history: bool,
    rule_files: &[PathBuf],
) -> Process {
    let interval = format!("{}s", scrape.as_secs().max(1));
    // With a backfilled past, the live series must carry the labels it was written
    // with (a fixed instance rather than the random port).
    let labels = if history {
        format!(
            "\n        labels:\n          instance: {}",
            crate::history::INSTANCE
        )
    } else {
        String::new()
    };
    let config = format!(
        "global:\n  scrape_interval: {interval}\n  evaluation_interval: {interval}\n\
         rule_files:\n{rules}\
         scrape_configs:\n  - job_name: demo\n    static_configs:\n      - targets: ['127.0.0.1:{demo_port}']{labels}\n",
        rules = rule_files
            .iter()
            .map(|r| format!("  - {}\n", r.display()))
            .collect::<String>()
    );
    let config_path = dir.join("prometheus.yml");
    std::fs::write(&config_path, config).expect("write prometheus.yml");
    let mut command = Command::new("prometheus");
    command
        .arg(format!("--config.file={}", config_path.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("tsdb").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--storage.tsdb.retention.time=60d")
        .arg("--log.level=warn");
    Process::start("prometheus", command, dir)
}
