//! The configuration file's shape. Unknown keys are refused so that typos do not pass
//! silently; every value is checked in `Config::load` with the key in the message.

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub upstream: Option<String>,
    pub backend: Option<String>,
    pub upstream_timeout: Option<String>,
    pub max_query_range: Option<String>,
    pub max_response_bytes: Option<u64>,
    pub max_request_body: Option<u64>,
    pub cache_max_bytes: Option<u64>,
    pub cache_ttl: Option<String>,
    pub cache_freshness: Option<String>,
    pub split_interval: Option<String>,
    pub max_split_parallelism: Option<u64>,
    pub extent_cache_max_bytes: Option<u64>,
    pub cache_backend: Option<String>,
    pub redis_url: Option<String>,
    pub redis_timeout: Option<String>,
    pub client_header_timeout: Option<String>,
    pub client_body_timeout: Option<String>,
    pub trusted_origins: Option<Vec<String>>,
    pub dashboards_dir: Option<String>,
    pub embed: Option<super::embed::EmbedFile>,
    pub live: Option<crate::live::LiveFile>,
    pub rate_limit: Option<RateLimitFile>,
    pub upstream_auth: Option<CredentialsFile>,
    pub backend_auth: Option<CredentialsFile>,
    pub auth: Option<AuthFile>,
    pub cost: Option<crate::cost::settings::CostFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitFile {
    pub per_second: Option<f64>,
    pub burst: Option<f64>,
}

/// Either `bearer_token`, or `username` and `password`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialsFile {
    pub bearer_token: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthFile {
    pub mode: Option<String>,
    #[serde(default)]
    pub tokens: Vec<TokenFile>,
    pub user_header: Option<String>,
    pub role_header: Option<String>,
    pub scope_header: Option<String>,
    pub default_role: Option<String>,
    pub trusted_sources: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenFile {
    pub name: String,
    pub role: String,
    pub token: String,
    pub scope: Option<String>,
}
