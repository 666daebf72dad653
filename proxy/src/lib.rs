//! The Vantage proxy: the built console embedded in the binary, a Prometheus API
//! passthrough to one configured upstream, and the management API of one backend.

pub mod assets;
pub mod config;
pub mod error;
pub mod forward;
pub mod routes;
pub mod state;

use axum::Router;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use state::AppState;

/// All routes of the proxy. Tests drive it with `oneshot` or over a real socket.
pub fn router(state: AppState) -> Router {
    routes::api_routes()
        .fallback(assets::serve_asset)
        .layer(CompressionLayer::new())
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
    let state = AppState::new(config).map_err(std::io::Error::other)?;
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
    // Give in-flight streams a moment; axum waits for them after this returns.
    tokio::time::sleep(Duration::from_millis(10)).await;
}
