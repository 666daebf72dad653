//! A live table in a panel frame, fed by its stream: the page's sessions table, and a
//! dashboard panel of kind `live_table` (so it embeds like any other panel).

use super::status_line::LiveStatusLine;
use crate::live::columns::{
    breaker_columns, breaker_matches, breakers_by_state, session_columns, session_matches,
    sessions_by_user,
};
use crate::live::feed::{FeedRow, LiveFeed, use_live_feed};
use crate::pages::dashboard::DashboardEnv;
use crate::panel::{Panel as PanelFrame, PanelStatus};
use leptos::prelude::*;
use std::sync::Arc;
use vantage_api::dashboard::Panel;
use vantage_api::live::{CIRCUIT_BREAKERS, WEBSOCKET_CONNECTIONS};
use vantage_api::management::{CircuitBreakerEntry, WebSocketConnection};
use vantage_components::live_table::{CountBy, LiveColumn, LiveTable};

/// What a live panel shows and how.
pub struct LivePanelSpec<R> {
    pub title: String,
    pub description: String,
    pub height: u32,
    pub columns: Vec<LiveColumn<R>>,
    pub matches: fn(&R, &str) -> bool,
    pub noun: (&'static str, &'static str),
    pub count_by: CountBy<R>,
    pub sort: (usize, bool),
}

/// The sessions of seed 000, longest-connected first.
pub fn sessions_spec(
    title: String,
    description: String,
    height: u32,
) -> LivePanelSpec<WebSocketConnection> {
    LivePanelSpec {
        title,
        description,
        height,
        columns: session_columns(),
        matches: session_matches,
        noun: ("session", "sessions"),
        count_by: sessions_by_user(),
        sort: (3, true),
    }
}

/// Every agent's breaker, by name.
pub fn breakers_spec(
    title: String,
    description: String,
    height: u32,
) -> LivePanelSpec<CircuitBreakerEntry> {
    LivePanelSpec {
        title,
        description,
        height,
        columns: breaker_columns(),
        matches: breaker_matches,
        noun: ("breaker", "breakers"),
        count_by: breakers_by_state(),
        sort: (0, false),
    }
}

/// A clock time for people, e.g. `14:03:05`.
fn clock(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    String::from(date.to_locale_time_string("en-GB"))
}

/// The frame's states from a feed: loading until the first snapshot, an error (with the
/// last rows kept: "stale") when the backend fails or the connection is down.
pub fn feed_status<R: FeedRow>(feed: LiveFeed<R>) -> PanelStatus {
    let error = Signal::derive(move || {
        let status = feed.status.get();
        let backend = status.stale_since.map(|since| {
            format!(
                "The backend has not answered since {}: {}. Showing the last rows.",
                clock(since),
                status.error.unwrap_or_default()
            )
        });
        match (backend, feed.problem.get()) {
            (Some(backend), _) => Some(backend),
            (None, Some(problem)) => Some(format!("{problem}.")),
            (None, None) => None,
        }
    });
    PanelStatus {
        loading: Signal::derive(move || !feed.loaded.get() && feed.problem.with(Option::is_none)),
        error,
        has_data: feed.loaded.into(),
        // An empty live table still says "0 active sessions".
        is_empty: Signal::derive(|| false),
    }
}

/// A live panel for `source` with its own connection.
pub fn live_panel<R: FeedRow>(
    source: &'static str,
    spec: LivePanelSpec<R>,
    actions: Option<ChildrenFn>,
) -> impl IntoView {
    let feed = use_live_feed::<R>(source);
    let status = feed_status(feed);
    let stale = Signal::derive(move || !feed.status.with(|s| s.is_fresh()));
    let LivePanelSpec {
        title,
        description,
        height,
        columns,
        matches,
        noun,
        count_by,
        sort,
    } = spec;
    let label = title.clone();
    let columns = StoredValue::new(columns);
    let table = move || {
        view! {
            <LiveTable
                rows=feed.rows
                columns=columns.get_value()
                label=label.clone()
                matches=matches
                noun=noun
                count_by=count_by
                sort=sort
                height=height
            />
        }
    };
    view! {
        <div
            class="live-panel"
            data-live=source
            data-mode=move || feed.mode.get().key()
            data-snapshots=move || feed.snapshots.get()
        >
            <PanelFrame
                title=title
                description=description
                status=status
                actions=actions.unwrap_or_else(|| Arc::new(|| ().into_any()))
            >
                <LiveStatusLine mode=feed.mode polled_at=feed.polled_at stale=stale/>
                {table.clone()}
            </PanelFrame>
        </div>
    }
}

/// A dashboard panel of kind `live_table`.
#[component]
pub fn LiveTablePanel(
    /// The panel's definition.
    panel: Panel,
    /// Controls for the panel header.
    #[prop(optional)]
    actions: Option<ChildrenFn>,
) -> impl IntoView {
    let env = use_context::<DashboardEnv>();
    let id = panel.id.clone();
    let width = panel.width;
    let class = move || {
        let focused = env.and_then(|e| e.focused.get());
        if focused.as_deref() == Some(id.as_str()) {
            "span-12 panel--focused".to_owned()
        } else {
            format!("span-{}", width.clamp(1, 12))
        }
    };
    let height = panel.height.unwrap_or(420);
    let (title, description) = (panel.title.clone(), panel.description.clone());
    let body = match panel.source.as_deref() {
        Some(WEBSOCKET_CONNECTIONS) => live_panel(
            WEBSOCKET_CONNECTIONS,
            sessions_spec(title, description, height),
            actions,
        )
        .into_any(),
        Some(CIRCUIT_BREAKERS) => live_panel(
            CIRCUIT_BREAKERS,
            breakers_spec(title, description, height),
            actions,
        )
        .into_any(),
        other => view! {
            <p class="panel__error" role="alert">{format!("No live stream {other:?}.")}</p>
        }
        .into_any(),
    };
    view! { <div class=class data-panel=panel.id.clone()>{body}</div> }
}
