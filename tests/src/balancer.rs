//! HAProxy (Debian's `haproxy`) on a loopback port in front of several proxy replicas:
//! round robin, health checks on `/healthz`, and retries of idempotent requests on
//! another replica when one fails to answer, the configuration `docs/deploy.md` shows.

use crate::process::{Process, free_port, wait_http_ok};
use std::process::Command;
use std::time::Duration;
use tempfile::TempDir;

/// The running balancer.
pub struct Balancer {
    pub url: String,
    pub process: Process,
    _dir: TempDir,
}

/// The configuration for `listen` in front of `replicas` (`host:port` each).
pub fn config(listen: &str, replicas: &[String]) -> String {
    let mut servers = String::new();
    for (i, replica) in replicas.iter().enumerate() {
        servers.push_str(&format!("  server replica{i} {replica} check\n"));
    }
    format!(
        "global\n  maxconn 2000\n\
         defaults\n  mode http\n  timeout connect 1s\n  timeout client 30s\n  timeout server 30s\n\
         \x20 timeout tunnel 1h\n\
         \x20 retries 3\n  option redispatch 1\n  retry-on all-retryable-errors\n\
         frontend console\n  bind {listen}\n  default_backend replicas\n\
         backend replicas\n  balance roundrobin\n  option httpchk GET /healthz\n\
         \x20 default-server inter 500ms fall 2 rise 2\n{servers}"
    )
}

impl Balancer {
    /// Starts HAProxy in front of `replicas` (base URLs) and waits until it answers.
    pub async fn start(replicas: &[&str]) -> Balancer {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let replicas: Vec<String> = replicas
            .iter()
            .map(|r| {
                r.trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_owned()
            })
            .collect();
        let path = dir.path().join("haproxy.cfg");
        std::fs::write(&path, config(&format!("127.0.0.1:{port}"), &replicas))
            .expect("write haproxy.cfg");
        let mut command = Command::new("haproxy");
        command.arg("-f").arg(&path).arg("-db");
        let process = Process::start("haproxy", command, dir.path());
        let url = format!("http://127.0.0.1:{port}");
        wait_http_ok(&format!("{url}/healthz"), Duration::from_secs(20)).await;
        Balancer {
            url,
            process,
            _dir: dir,
        }
    }
}
