//! Auto-refresh: a tick every interval, paused while the tab is hidden, with one tick
//! when it becomes visible again so a returning viewer never sees stale panels.

use leptos::prelude::*;
use std::time::Duration;

fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Bumps `tick` every `interval_ms` (when set) while the tab is visible.
pub fn use_auto_refresh(interval_ms: Signal<Option<u64>>, tick: RwSignal<u32>) {
    let handle = StoredValue::new_local(None::<IntervalHandle>);
    let clear = move || {
        if let Some(h) = handle.try_update_value(Option::take).flatten() {
            h.clear();
        }
    };
    Effect::new(move |_| {
        clear();
        let Some(ms) = interval_ms.get() else { return };
        let started = set_interval_with_handle(
            move || {
                if !tab_hidden() {
                    tick.update(|n| *n = n.wrapping_add(1));
                }
            },
            Duration::from_millis(ms),
        );
        if let Ok(h) = started {
            handle.set_value(Some(h));
        }
    });
    let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if !tab_hidden() && interval_ms.get_untracked().is_some() {
            tick.update(|n| *n = n.wrapping_add(1));
        }
    });
    on_cleanup(move || {
        clear();
        visibility.remove();
    });
}
