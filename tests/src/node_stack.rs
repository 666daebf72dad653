//! A host's metrics on loopback: the real `prometheus-node-exporter`, a Prometheus
//! scraping it and itself, and the proxy in front (with a dashboards directory), for
//! the dashboards people bring from Grafana.

use crate::process::{Process, free_port, wait_for, wait_http_ok};
use crate::proxy::ProxyProcess;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use tempfile::TempDir;

/// Node exporter, Prometheus and proxy; each stopped (by pid) when dropped.
pub struct NodeStack {
    pub prometheus_url: String,
    /// The node exporter's `host:port`, as Prometheus labels its `instance`.
    pub node_instance: String,
    pub proxy: ProxyProcess,
    // Dropped after the proxy, in reverse order of starting.
    pub prometheus: Process,
    pub node_exporter: Process,
    _dir: TempDir,
}

impl NodeStack {
    /// Starts everything, scraping every `scrape`; the proxy serves `dashboards_dir`.
    pub async fn start(scrape: Duration, dashboards_dir: &Path) -> NodeStack {
        let dir = tempfile::tempdir().expect("temp dir");
        let node_port = free_port();
        let node_instance = format!("127.0.0.1:{node_port}");
        let mut node = Command::new("prometheus-node-exporter");
        node.arg(format!("--web.listen-address={node_instance}"));
        let node_exporter = Process::start("node-exporter", node, dir.path());
        wait_http_ok(
            &format!("http://{node_instance}/metrics"),
            Duration::from_secs(30),
        )
        .await;

        let prom_port = free_port();
        let interval = format!("{}s", scrape.as_secs().max(1));
        let config = format!(
            "global:\n  scrape_interval: {interval}\n  evaluation_interval: {interval}\n\
             scrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['{node_instance}']\n\
             \x20 - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:{prom_port}']\n"
        );
        let config_path = dir.path().join("prometheus.yml");
        std::fs::write(&config_path, config).expect("write prometheus.yml");
        let mut command = Command::new("prometheus");
        command
            .arg(format!("--config.file={}", config_path.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("tsdb").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{prom_port}"))
            .arg("--log.level=warn");
        let prometheus = Process::start("prometheus", command, dir.path());
        let prometheus_url = format!("http://127.0.0.1:{prom_port}");
        wait_http_ok(
            &format!("{prometheus_url}/-/ready"),
            Duration::from_secs(60),
        )
        .await;

        let extra = format!(
            "dashboards_dir = {:?}\n",
            dashboards_dir.display().to_string()
        );
        let proxy = ProxyProcess::start(&prometheus_url, None, &extra).await;
        NodeStack {
            prometheus_url,
            node_instance,
            proxy,
            prometheus,
            node_exporter,
            _dir: dir,
        }
    }

    /// Runs an instant query against Prometheus directly: the result list.
    pub async fn query(&self, query: &str) -> Vec<Value> {
        crate::stack::instant_query(&self.prometheus_url, query).await
    }

    /// Waits until both jobs have been scraped at least `scrapes` times.
    pub async fn wait_for_scrapes(&self, scrapes: u32) {
        let query = format!("count(count_over_time(up[10m]) >= {scrapes}) >= 2");
        wait_for(
            "Prometheus to scrape the node exporter and itself",
            Duration::from_secs(90),
            || async { (!self.query(&query).await.is_empty()).then_some(()) },
        )
        .await;
    }
}
