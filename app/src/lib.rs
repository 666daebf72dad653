//! The Vantage console: routes, URL state, query planning and the typed API client.

mod api_client;
mod app;
mod embed_app;
mod fetch;
mod js_regex;
mod live;
mod pages;
mod panel;
mod refresh;
mod session;
mod theme;
mod url_state;

pub use app::App;
pub use embed_app::EmbedApp;

/// A `performance.mark`: the benchmarks read when the console started and when a
/// dashboard was built from them.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}
