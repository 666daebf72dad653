//! The real proxy binary with a configuration file written by the test.

use crate::process::{Process, free_port, wait_http_ok, workspace_binary};
use std::process::Command;
use std::time::Duration;
use tempfile::TempDir;

/// A running `vantage-proxy`, stopped (by pid) when dropped.
pub struct ProxyProcess {
    pub url: String,
    pub process: Process,
    pub dir: TempDir,
}

impl ProxyProcess {
    /// Starts the proxy on a free loopback port with `upstream`, an optional `backend`
    /// and `extra` TOML (more keys, then tables such as `[auth]`).
    pub async fn start(upstream: &str, backend: Option<&str>, extra: &str) -> ProxyProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let mut config = format!("listen = \"127.0.0.1:{port}\"\nupstream = \"{upstream}\"\n");
        if let Some(backend) = backend {
            config.push_str(&format!("backend = \"{backend}\"\n"));
        }
        config.push_str(extra);
        let path = dir.path().join("proxy.toml");
        std::fs::write(&path, config).expect("write proxy.toml");
        let mut command = Command::new(workspace_binary("vantage-proxy"));
        command
            .arg("--config")
            .arg(&path)
            .env_remove("VANTAGE_LISTEN")
            .env_remove("VANTAGE_UPSTREAM")
            .env_remove("VANTAGE_BACKEND")
            .env_remove("VANTAGE_AUTH_MODE")
            .env_remove("VANTAGE_RATE_LIMIT")
            .env("RUST_LOG", "warn");
        let process = Process::start("proxy", command, dir.path());
        let url = format!("http://127.0.0.1:{port}");
        wait_http_ok(&format!("{url}/healthz"), Duration::from_secs(30)).await;
        ProxyProcess { url, process, dir }
    }

    /// The proxy's own `/metrics`, as text.
    pub async fn metrics(&self) -> String {
        reqwest::get(format!("{}/metrics", self.url))
            .await
            .expect("GET /metrics")
            .text()
            .await
            .expect("metrics text")
    }

    /// The value of one sample of the proxy's own metrics (0 when absent).
    pub async fn metric(&self, sample: &str) -> f64 {
        self.metrics()
            .await
            .lines()
            .find_map(|line| line.strip_prefix(sample)?.trim().parse().ok())
            .unwrap_or(0.0)
    }

    /// The proxy's resident memory in bytes, from /proc.
    pub fn rss_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.process.pid()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb * 1024)
            .unwrap_or(0)
    }
}
