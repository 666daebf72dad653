//! The Vantage proxy: the built console embedded in the binary, a faithful Prometheus
//! API gateway to one configured upstream (validated, split, cached in extents,
//! coalesced, streamed), the seed systems' proxy and management APIs, authentication
//! and its own metrics.

pub mod assets;
pub mod auth;
pub mod cache;
pub mod config;
pub mod cost;
pub mod dashboards;
pub mod embed;
pub mod error;
pub mod frontend;
pub mod import_command;
pub mod live;
pub mod own_metrics;
pub mod params;
pub mod pipeline;
pub mod rate_limit;
pub mod routes;
pub mod server;
pub mod server_timing;
pub mod state;
pub mod upstream;

use axum::Router;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

pub use auth::{Principal, Role};
pub use state::AppState;

/// All routes of the proxy. Tests drive it with `oneshot` or over a real socket.
pub fn router(state: AppState) -> Router {
    let body_timeout = state.config.client_body_timeout;
    // Who may frame the console: the proxy itself and the configured portals. No
    // X-Frame-Options is sent, so nothing contradicts this.
    let frame_ancestors = axum::http::HeaderValue::from_str(&state.config.embed.csp())
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static("frame-ancestors 'self'"));
    routes::routes(state.clone())
        .fallback(assets::serve_asset)
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::header::CONTENT_SECURITY_POLICY,
            frame_ancestors,
        ))
        .layer(axum::middleware::from_fn(server_timing::stamp))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            own_metrics::record,
        ))
        .layer(CompressionLayer::new())
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Binds the configured address and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: config::Config) -> std::io::Result<()> {
    let listener = TcpListener::bind(config.listen).await?;
    let local = listener.local_addr()?;
    tracing::info!(
        listen = %local,
        upstream = %config.upstream,
        backend = config.backend.as_ref().map(|b| b.as_str()),
        "vantage-proxy listening"
    );
    let header_timeout = config.client_header_timeout;
    let state = AppState::new(config).map_err(std::io::Error::other)?;
    // A thread of its own, not the runtime's blocking pool: the runtime waits for
    // those at exit, and a stop must not wait seconds for a cache to finish.
    std::thread::spawn(assets::precompress);
    let hubs = state.clone();
    // Live viewers hold upgraded sockets that the HTTP drain does not see: close them
    // (1001, going away) as soon as the stop is asked for, and give them a moment.
    let shutdown = async move {
        server::shutdown_signal().await;
        hubs.live.shutdown();
    };
    let served =
        server::serve_with(listener, router(state.clone()), header_timeout, shutdown).await;
    state.live.closed(std::time::Duration::from_secs(3)).await;
    served
}
