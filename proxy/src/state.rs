//! What every handler shares: the configuration and one pooled HTTP client.

use crate::config::Config;
use std::sync::Arc;

/// Shared, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub http: reqwest::Client,
}

impl AppState {
    pub fn new(config: Config) -> Result<AppState, reqwest::Error> {
        let http = reqwest::Client::builder()
            // The proxy talks to exactly the hosts it is configured with; never follow a
            // redirect somewhere else.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.upstream_timeout)
            .build()?;
        Ok(AppState {
            config: Arc::new(config),
            http,
        })
    }
}
