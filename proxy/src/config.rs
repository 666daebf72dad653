//! Configuration from flags, environment and an optional TOML file. Flags and environment
//! win over the file; everything is checked at start with messages that name the key.

use clap::Parser;
use reqwest::Url;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use vantage_api::duration::parse_prometheus_duration;

/// Command-line flags; each one can also come from the environment.
#[derive(Debug, Parser, Default)]
#[command(
    name = "vantage-proxy",
    version,
    about = "Serves the Vantage console and forwards its queries"
)]
pub struct Cli {
    /// Address to listen on.
    #[arg(long, env = "VANTAGE_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Base URL of the Prometheus-compatible server (Prometheus, VictoriaMetrics, Thanos, Mimir).
    #[arg(long, env = "VANTAGE_UPSTREAM")]
    pub upstream: Option<String>,
    /// Base URL of the orchestrator backend that serves the management API.
    #[arg(long, env = "VANTAGE_BACKEND")]
    pub backend: Option<String>,
    /// TOML configuration file.
    #[arg(long, env = "VANTAGE_CONFIG")]
    pub config: Option<PathBuf>,
}

/// The configuration file's shape. Unknown keys are refused so that typos do not pass silently.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    upstream: Option<String>,
    backend: Option<String>,
    upstream_timeout: Option<String>,
}

/// The checked configuration the proxy runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub upstream: Url,
    pub backend: Option<Url>,
    pub upstream_timeout: Duration,
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

impl Config {
    /// Merges the file (if any) under the flags and validates the result.
    pub fn load(cli: Cli) -> Result<Config, String> {
        let file = match &cli.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .map_err(|e| format!("config file {}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let listen = match (cli.listen, file.listen) {
            (Some(addr), _) => addr,
            (None, Some(text)) => text
                .parse()
                .map_err(|e| format!("listen: {text:?} is not an address: {e}"))?,
            (None, None) => DEFAULT_LISTEN
                .parse()
                .map_err(|e| format!("listen: default {DEFAULT_LISTEN}: {e}"))?,
        };
        let upstream = cli
            .upstream
            .or(file.upstream)
            .ok_or("upstream: missing; give --upstream URL, VANTAGE_UPSTREAM or `upstream` in the config file")?;
        let upstream = parse_base_url("upstream", &upstream)?;
        let backend = cli
            .backend
            .or(file.backend)
            .map(|b| parse_base_url("backend", &b))
            .transpose()?;
        let upstream_timeout = match file.upstream_timeout {
            Some(text) => parse_prometheus_duration(&text)
                .map(Duration::from_millis)
                .map_err(|e| format!("upstream_timeout: {e}"))?,
            None => Duration::from_secs(30),
        };
        Ok(Config {
            listen,
            upstream,
            backend,
            upstream_timeout,
        })
    }
}

/// A base URL to which API paths are appended; it must be http(s) with a host.
fn parse_base_url(key: &str, text: &str) -> Result<Url, String> {
    let mut url = Url::parse(text).map_err(|e| format!("{key}: {text:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!(
            "{key}: {text:?} must be an http:// or https:// URL with a host"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{key}: {text:?} must not have a query or fragment"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(upstream: Option<&str>) -> Cli {
        Cli {
            upstream: upstream.map(str::to_owned),
            ..Cli::default()
        }
    }

    #[test]
    fn upstream_is_required_and_named() {
        let err = Config::load(cli(None)).expect_err("missing upstream");
        assert!(err.starts_with("upstream:"), "{err}");
    }

    #[test]
    fn bad_urls_name_their_key() {
        let err = Config::load(cli(Some("ftp://x"))).expect_err("ftp");
        assert!(err.starts_with("upstream:"), "{err}");
        let err = Config::load(cli(Some("not a url"))).expect_err("garbage");
        assert!(err.starts_with("upstream:"), "{err}");
    }

    #[test]
    fn base_url_gets_a_trailing_slash() {
        let config = Config::load(cli(Some("http://127.0.0.1:9090/prom"))).expect("valid");
        assert_eq!(config.upstream.as_str(), "http://127.0.0.1:9090/prom/");
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
    }

    #[test]
    fn file_keys_are_checked() {
        let dir = std::env::temp_dir().join(format!("vantage-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("bad.toml");
        std::fs::write(
            &path,
            "upstream = \"http://127.0.0.1:9090\"\nupstream_timeot = \"5s\"\n",
        )
        .expect("write");
        let err = Config::load(Cli {
            config: Some(path.clone()),
            ..Cli::default()
        })
        .expect_err("typo refused");
        assert!(err.contains("upstream_timeot"), "{err}");
        std::fs::write(
            &path,
            "upstream = \"http://127.0.0.1:9090\"\nupstream_timeout = \"5x\"\n",
        )
        .expect("write");
        let err = Config::load(Cli {
            config: Some(path),
            ..Cli::default()
        })
        .expect_err("bad duration");
        assert!(err.starts_with("upstream_timeout:"), "{err}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
