//! Configuration from flags, environment and an optional TOML file. Flags and environment
//! win over the file; everything is checked at start with messages that name the key.

mod cli;
pub mod embed;
mod file;
pub mod frontend;

pub use cli::{Cli, Command};
pub use embed::EmbedConfig;
pub use frontend::{CacheBackend, FrontendConfig};

use crate::auth::headers::HeaderAuth;
use crate::auth::tokens::TokenTable;
use crate::auth::{AuthMode, Role};
use crate::upstream::Credentials;
use axum::http::HeaderName;
use file::{AuthFile, CredentialsFile, FileConfig};
use reqwest::Url;
use std::net::SocketAddr;
use std::time::Duration;
use vantage_api::duration::parse_prometheus_duration;

/// The checked configuration the proxy runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub upstream: Url,
    pub backend: Option<Url>,
    pub upstream_credentials: Credentials,
    pub backend_credentials: Credentials,
    /// The whole upstream exchange must finish within this (default 30 s).
    pub upstream_timeout: Duration,
    /// Longest range query (default 32 days).
    pub max_query_range: Duration,
    /// Largest upstream answer (default 64 MiB).
    pub max_response_bytes: usize,
    /// Largest request body (default 1 MiB).
    pub max_request_body: usize,
    /// Results cache size in bytes; 0 turns it off (default 128 MiB).
    pub cache_max_bytes: u64,
    /// How long a cached answer is kept (default 10 min).
    pub cache_ttl: Duration,
    /// Answers about the last this-long are not cached (default 5 min).
    pub cache_freshness: Duration,
    /// A client must send its request head within this; also the keep-alive idle
    /// timeout (default 10 s).
    pub client_header_timeout: Duration,
    /// Longest pause between two pieces of a request body (default 10 s).
    pub client_body_timeout: Duration,
    /// Origins besides the proxy's own allowed to make state-changing calls.
    pub trusted_origins: Vec<String>,
    /// Requests per second per principal, 0 for no limit (default 50, or 0 in auth
    /// mode `none`).
    pub rate_limit_per_second: f64,
    /// Requests a principal may make at once (default 100).
    pub rate_limit_burst: f64,
    pub auth: AuthMode,
    /// Dashboards served besides the built-in ones.
    pub dashboards_dir: Option<std::path::PathBuf>,
    /// Signed embed links and who may frame the console.
    pub embed: EmbedConfig,
    /// The live streams' polling interval and bounds.
    pub live: crate::live::LiveSettings,
    /// Sources of spend, teams, budgets and units of work.
    pub cost: crate::cost::CostSettings,
    /// Splitting, the extent cache and the shared cache of range queries.
    pub frontend: FrontendConfig,
}

/// The address the proxy listens on by default.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

impl Config {
    /// Reads the file named by `--config` (if any), merges it under the flags and
    /// validates the result.
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
        Config::merge(cli, file)
    }

    /// Only the `[cost]` settings (for `budget-rules`, which needs no upstream).
    pub fn load_cost(cli: &Cli) -> Result<crate::cost::CostSettings, String> {
        let file = match &cli.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .map_err(|e| format!("config file {}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        crate::cost::CostSettings::from_file(file.cost)
    }

    /// Only what minting an embed token needs (the secret, the limits, the dashboards),
    /// so that it works without an upstream.
    pub fn load_for_minting(cli: Cli) -> Result<(EmbedConfig, Option<std::path::PathBuf>), String> {
        let file = match &cli.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .map_err(|e| format!("config file {}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let embed = EmbedConfig::load(
            cli.embed_secret,
            cli.frame_ancestors,
            file.embed.unwrap_or_default(),
        )?;
        Ok((
            embed,
            cli.dashboards_dir.or(file.dashboards_dir.map(Into::into)),
        ))
    }

    fn merge(cli: Cli, file: FileConfig) -> Result<Config, String> {
        let listen = match (cli.listen, file.listen) {
            (Some(addr), _) => addr,
            (None, Some(text)) => text
                .parse()
                .map_err(|e| format!("listen: {text:?} is not an address: {e}"))?,
            (None, None) => DEFAULT_LISTEN
                .parse()
                .map_err(|e| format!("listen: default {DEFAULT_LISTEN}: {e}"))?,
        };
        let upstream = cli.upstream.or(file.upstream).ok_or(
            "upstream: missing; give --upstream URL, VANTAGE_UPSTREAM or `upstream` in the config file",
        )?;
        let upstream = parse_base_url("upstream", &upstream)?;
        let backend = cli
            .backend
            .or(file.backend)
            .map(|b| parse_base_url("backend", &b))
            .transpose()?;
        let mut upstream_credentials = credentials("upstream_auth", file.upstream_auth)?;
        if let Some(token) = cli.upstream_bearer_token.filter(|t| !t.is_empty()) {
            upstream_credentials = Credentials::Bearer(token);
        }
        let auth = auth_mode(cli.auth_mode, file.auth.unwrap_or_default(), listen)?;
        let rate = file.rate_limit.unwrap_or_default();
        // Without authentication (loopback only) there is one person to protect the
        // upstream from, and a dashboard opening fires its panels at once: no limit
        // unless one is set.
        let default_rate = if matches!(auth, AuthMode::None) {
            0.0
        } else {
            50.0
        };
        let rate_limit_per_second = cli.rate_limit.or(rate.per_second).unwrap_or(default_rate);
        if !(rate_limit_per_second >= 0.0 && rate_limit_per_second.is_finite()) {
            return Err(format!(
                "rate_limit.per_second: {rate_limit_per_second} must be 0 (off) or a positive number"
            ));
        }
        let rate_limit_burst = rate.burst.unwrap_or((rate_limit_per_second * 2.0).max(1.0));
        if !(rate_limit_burst >= 1.0 && rate_limit_burst.is_finite()) {
            return Err(format!(
                "rate_limit.burst: {rate_limit_burst} must be at least 1"
            ));
        }
        let trusted_origins = file.trusted_origins.unwrap_or_default();
        for origin in &trusted_origins {
            let url = Url::parse(origin)
                .map_err(|e| format!("trusted_origins: {origin:?} is not an origin: {e}"))?;
            if url.origin().ascii_serialization() != origin.trim_end_matches('/') {
                return Err(format!(
                    "trusted_origins: {origin:?} must be a bare origin such as https://portal.example.com"
                ));
            }
        }
        let dashboards_dir = cli.dashboards_dir.or(file.dashboards_dir.map(Into::into));
        if let Some(dir) = &dashboards_dir
            && !dir.is_dir()
        {
            return Err(format!(
                "dashboards_dir: {} is not a directory",
                dir.display()
            ));
        }
        Ok(Config {
            listen,
            upstream,
            backend,
            upstream_credentials,
            backend_credentials: credentials("backend_auth", file.backend_auth)?,
            upstream_timeout: duration(
                "upstream_timeout",
                cli.upstream_timeout.or(file.upstream_timeout),
                "30s",
            )?,
            max_query_range: duration("max_query_range", file.max_query_range, "32d")?,
            max_response_bytes: size(
                "max_response_bytes",
                file.max_response_bytes,
                64 * 1024 * 1024,
            )?,
            max_request_body: size("max_request_body", file.max_request_body, 1024 * 1024)?,
            cache_max_bytes: cli
                .cache_max_bytes
                .or(file.cache_max_bytes)
                .unwrap_or(128 * 1024 * 1024),
            cache_ttl: duration("cache_ttl", file.cache_ttl, "10m")?,
            cache_freshness: duration(
                "cache_freshness",
                cli.cache_freshness.or(file.cache_freshness),
                "5m",
            )?,
            client_header_timeout: duration(
                "client_header_timeout",
                file.client_header_timeout,
                "10s",
            )?,
            client_body_timeout: duration("client_body_timeout", file.client_body_timeout, "10s")?,
            trusted_origins,
            rate_limit_per_second,
            rate_limit_burst,
            auth,
            dashboards_dir,
            embed: EmbedConfig::load(
                cli.embed_secret,
                cli.frame_ancestors,
                file.embed.unwrap_or_default(),
            )?,
            live: crate::live::LiveSettings::load(
                cli.live_interval,
                file.live.unwrap_or_default(),
            )?,
            cost: crate::cost::CostSettings::from_file(file.cost)?,
            frontend: FrontendConfig::load(frontend::FrontendKeys {
                split_interval: cli.split_interval.or(file.split_interval),
                max_split_parallelism: cli.max_split_parallelism.or(file.max_split_parallelism),
                extent_cache_max_bytes: cli.extent_cache_max_bytes.or(file.extent_cache_max_bytes),
                cache_backend: cli.cache_backend.or(file.cache_backend),
                redis_url: cli.redis_url.or(file.redis_url),
                redis_timeout: cli.redis_timeout.or(file.redis_timeout),
            })?,
        })
    }
}

/// A positive duration in Prometheus syntax, or the default.
fn duration(key: &str, text: Option<String>, default: &str) -> Result<Duration, String> {
    let text = text.unwrap_or_else(|| default.to_owned());
    let ms = parse_prometheus_duration(&text).map_err(|e| format!("{key}: {e}"))?;
    if ms == 0 {
        return Err(format!("{key}: must be longer than 0"));
    }
    Ok(Duration::from_millis(ms))
}

fn size(key: &str, value: Option<u64>, default: usize) -> Result<usize, String> {
    match value {
        None => Ok(default),
        Some(0) => Err(format!("{key}: must be more than 0 bytes")),
        Some(n) => usize::try_from(n).map_err(|_| format!("{key}: {n} is too large")),
    }
}

fn credentials(key: &str, file: Option<CredentialsFile>) -> Result<Credentials, String> {
    let Some(file) = file else {
        return Ok(Credentials::None);
    };
    match (file.bearer_token, file.username, file.password) {
        (None, None, None) => Ok(Credentials::None),
        (Some(token), None, None) if !token.is_empty() => Ok(Credentials::Bearer(token)),
        (None, Some(username), Some(password)) if !username.is_empty() => {
            Ok(Credentials::Basic { username, password })
        }
        _ => Err(format!(
            "{key}: give either bearer_token, or username and password"
        )),
    }
}

fn header_name(key: &str, text: &str) -> Result<HeaderName, String> {
    HeaderName::try_from(text).map_err(|_| format!("{key}: {text:?} is not a header name"))
}

fn auth_mode(flag: Option<String>, file: AuthFile, listen: SocketAddr) -> Result<AuthMode, String> {
    let mode = flag.or(file.mode).unwrap_or_else(|| "none".to_owned());
    match mode.as_str() {
        "none" => {
            if !listen.ip().is_loopback() {
                return Err(format!(
                    "auth.mode: \"none\" is only allowed when listening on loopback, not on {listen}; use \"tokens\" or \"headers\""
                ));
            }
            Ok(AuthMode::None)
        }
        "tokens" => {
            if file.tokens.is_empty() {
                return Err(
                    "auth.tokens: mode \"tokens\" needs at least one [[auth.tokens]] entry"
                        .to_owned(),
                );
            }
            let mut entries = Vec::new();
            for (i, t) in file.tokens.into_iter().enumerate() {
                let role = Role::parse(&t.role).ok_or_else(|| {
                    format!(
                        "auth.tokens[{i}].role: {:?} must be \"viewer\" or \"admin\"",
                        t.role
                    )
                })?;
                if t.token.len() < 16 {
                    return Err(format!(
                        "auth.tokens[{i}].token: must be at least 16 characters"
                    ));
                }
                if t.name.is_empty() {
                    return Err(format!("auth.tokens[{i}].name: must not be empty"));
                }
                entries.push((t.token, t.name, role, t.scope));
            }
            Ok(AuthMode::Tokens(TokenTable::from_entries(entries)))
        }
        "headers" => {
            let sources = file.trusted_sources.unwrap_or_default();
            if sources.is_empty() {
                return Err("auth.trusted_sources: mode \"headers\" needs the auth proxy's addresses (e.g. [\"127.0.0.1/32\"])".to_owned());
            }
            let trusted_sources = sources
                .iter()
                .map(|s| {
                    s.parse::<ipnet::IpNet>()
                        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                        .map_err(|_| {
                            format!("auth.trusted_sources: {s:?} is not an address or network")
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let default_role = match file.default_role {
                None => Role::Viewer,
                Some(r) => Role::parse(&r).ok_or_else(|| {
                    format!("auth.default_role: {r:?} must be \"viewer\" or \"admin\"")
                })?,
            };
            Ok(AuthMode::Headers(HeaderAuth {
                user_header: header_name(
                    "auth.user_header",
                    file.user_header.as_deref().unwrap_or("X-Forwarded-User"),
                )?,
                role_header: file
                    .role_header
                    .as_deref()
                    .map(|h| header_name("auth.role_header", h))
                    .transpose()?,
                scope_header: file
                    .scope_header
                    .as_deref()
                    .map(|h| header_name("auth.scope_header", h))
                    .transpose()?,
                default_role,
                trusted_sources,
            }))
        }
        other => Err(format!(
            "auth.mode: {other:?} must be \"none\", \"tokens\" or \"headers\""
        )),
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
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{key}: credentials do not belong in the URL; use [{key}_auth]"
        ));
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

    fn from_toml(text: &str) -> Result<Config, String> {
        let file: FileConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        Config::merge(Cli::default(), file)
    }

    #[test]
    fn upstream_is_required_and_named() {
        let err = Config::load(cli(None)).expect_err("missing upstream");
        assert!(err.starts_with("upstream:"), "{err}");
    }

    #[test]
    fn bad_urls_name_their_key() {
        for bad in ["ftp://x", "not a url", "http://user:pw@host/"] {
            let err = Config::load(cli(Some(bad))).expect_err(bad);
            assert!(err.starts_with("upstream:"), "{err}");
        }
    }

    #[test]
    fn defaults() {
        let config = Config::load(cli(Some("http://127.0.0.1:9090/prom"))).expect("valid");
        assert_eq!(config.upstream.as_str(), "http://127.0.0.1:9090/prom/");
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(config.upstream_timeout, Duration::from_secs(30));
        assert!(matches!(config.auth, AuthMode::None));
        assert_eq!(config.rate_limit_per_second, 0.0, "no limit without auth");
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
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn semantic_errors_name_the_key() {
        let cases = [
            ("upstream_timeout = \"5x\"", "upstream_timeout:"),
            ("cache_freshness = \"0\"", "cache_freshness:"),
            ("max_request_body = 0", "max_request_body:"),
            (
                "trusted_origins = [\"https://a.example/path\"]",
                "trusted_origins:",
            ),
            ("[rate_limit]\nper_second = -1", "rate_limit.per_second:"),
            ("[upstream_auth]\nusername = \"u\"", "upstream_auth:"),
            ("[auth]\nmode = \"magic\"", "auth.mode:"),
            ("[auth]\nmode = \"tokens\"", "auth.tokens:"),
            (
                "[auth]\nmode = \"tokens\"\n[[auth.tokens]]\nname = \"a\"\nrole = \"root\"\ntoken = \"0123456789abcdef\"",
                "auth.tokens[0].role:",
            ),
            (
                "[auth]\nmode = \"tokens\"\n[[auth.tokens]]\nname = \"a\"\nrole = \"admin\"\ntoken = \"short\"",
                "auth.tokens[0].token:",
            ),
            ("[auth]\nmode = \"headers\"", "auth.trusted_sources:"),
            (
                "[auth]\nmode = \"headers\"\ntrusted_sources = [\"nope\"]",
                "auth.trusted_sources:",
            ),
            ("listen = \"0.0.0.0:8080\"", "auth.mode:"),
            ("split_interval = \"soon\"", "split_interval:"),
            ("max_split_parallelism = 0", "max_split_parallelism:"),
            ("cache_backend = \"disk\"", "cache_backend:"),
            ("cache_backend = \"redis\"", "redis_url:"),
        ];
        for (text, key) in cases {
            let text = format!("upstream = \"http://127.0.0.1:9090\"\n{text}");
            let err = from_toml(&text).expect_err(&text);
            assert!(err.starts_with(key), "{text}: {err}");
        }
    }

    #[test]
    fn full_file() {
        let config = from_toml(
            r#"
            listen = "0.0.0.0:8080"
            upstream = "http://127.0.0.1:9090"
            backend = "http://127.0.0.1:9464"
            trusted_origins = ["https://portal.example.com"]
            [rate_limit]
            per_second = 10
            burst = 20
            [upstream_auth]
            username = "prom"
            password = "pw"
            [auth]
            mode = "headers"
            user_header = "X-Auth-User"
            role_header = "X-Auth-Role"
            trusted_sources = ["10.0.0.0/8", "127.0.0.1"]
            "#,
        )
        .expect("valid");
        assert!(matches!(config.auth, AuthMode::Headers(_)));
        assert_eq!(config.rate_limit_burst, 20.0);
        assert!(matches!(
            config.upstream_credentials,
            Credentials::Basic { .. }
        ));
    }
}
