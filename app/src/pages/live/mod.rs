//! `/live`: every WebSocket session now, streamed by the proxy's live hub, beside the
//! seed's WebSocket health panels (PromQL, from the orchestrator-websocket dashboard).

mod live_panel;
mod status_line;

pub use live_panel::{LiveTablePanel, feed_status};

use super::dashboard::{PanelView, provide_standalone_env};
use super::time_context::use_page_time;
use crate::api_client::dashboard;
use crate::fetch::use_fetch;
use crate::refresh::use_auto_refresh;
use leptos::prelude::*;
use live_panel::{live_panel, sessions_spec};
use vantage_api::live::WEBSOCKET_CONNECTIONS;
use vantage_api::management::WebSocketConnection;

/// The dashboard the health panels come from, and which of its panels.
const HEALTH_DASHBOARD: &str = "orchestrator-websocket";
const HEALTH_PANELS: [&str; 6] = [
    "active-connections",
    "queue-depth",
    "dropped-messages",
    "delivery-rate",
    "connection-quality",
    "message-latency-p95",
];

/// `/live`.
#[component]
pub fn LiveSessionsPage() -> impl IntoView {
    let time = use_page_time("now-1h");
    provide_standalone_env(time.range_ms, time.utc, time.on_zoom);
    use_auto_refresh(Signal::derive(|| Some(10_000)), time.tick);
    let health = use_fetch(
        || Some(()),
        |(), signal| async move { dashboard(HEALTH_DASHBOARD, &signal).await },
    );
    let panels = move || {
        health.data.get().map(|d| {
            HEALTH_PANELS
                .iter()
                .filter_map(|id| d.panels.iter().find(|p| p.id == *id).cloned())
                .map(|mut panel| {
                    // Two to a row in the side column.
                    panel.width = 6;
                    view! { <PanelView panel=panel/> }
                })
                .collect_view()
        })
    };
    let table = live_panel::<WebSocketConnection>(
        WEBSOCKET_CONNECTIONS,
        sessions_spec(
            "Sessions".to_owned(),
            "GET /api/metrics/websocket/connections, polled once per interval by the proxy for every viewer".to_owned(),
            560,
        ),
        None,
    );
    view! {
        <main class="page live-page">
            <div class="page__header"><h1>"Live WebSocket sessions"</h1></div>
            <div class="live-page__layout">
                <div class="live-page__table">{table}</div>
                <aside class="live-page__health grid grid--flush" aria-label="WebSocket health">
                    {panels}
                    {move || health.error.get().map(|e| view! { <p class="panel__error" role="alert">{e.to_string()}</p> })}
                </aside>
            </div>
        </main>
    }
}
