//! One line under a live table's title: how the rows arrive (WebSocket, HTTP polling,
//! reconnecting, paused) and how fresh they are.

use crate::live::feed::FeedMode;
use leptos::prelude::*;
use std::time::Duration;

/// "3 s ago", "2 min ago".
pub fn ago(ms: f64) -> String {
    let s = (ms / 1000.0).max(0.0).round() as u64;
    if s < 90 {
        format!("{s} s ago")
    } else {
        format!("{} min ago", s / 60)
    }
}

/// The mode badge and the time of the last backend poll.
#[component]
pub fn LiveStatusLine(
    /// How the rows arrive.
    mode: RwSignal<FeedMode>,
    /// When the hub last polled the backend successfully, Unix ms.
    polled_at: RwSignal<Option<i64>>,
    /// Whether the backend is failing (the rows are the last good ones).
    stale: Signal<bool>,
) -> impl IntoView {
    let now = RwSignal::new(js_sys::Date::now());
    let ticker =
        set_interval_with_handle(move || now.set(js_sys::Date::now()), Duration::from_secs(1));
    on_cleanup(move || {
        if let Ok(ticker) = ticker {
            ticker.clear();
        }
    });
    let badge = move || match mode.get() {
        FeedMode::WebSocket | FeedMode::Polling if stale.get() => "badge badge--warning",
        FeedMode::WebSocket | FeedMode::Polling => "badge badge--ok",
        FeedMode::Reconnecting { .. } => "badge badge--critical",
        FeedMode::Connecting | FeedMode::Paused => "badge",
    };
    view! {
        <p class="live-status">
            <span class=badge role="status" data-mode=move || mode.get().key()>{move || mode.get().label()}</span>
            {move || polled_at.get().map(|at| {
                let text = format!("backend polled {}", ago(now.get() - at as f64));
                view! { <span class="live-status__fresh" class:live-status__fresh--stale=stale>{text}</span> }
            })}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_in_words() {
        assert_eq!(ago(2_400.0), "2 s ago");
        assert_eq!(ago(-50.0), "0 s ago");
        assert_eq!(ago(150_000.0), "2 min ago");
    }
}
