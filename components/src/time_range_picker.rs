//! The time-range picker: quick ranges from 5 minutes to 30 days, an absolute range
//! (anything the URL accepts: `now-6h`, RFC3339, unix ms), and local time or UTC.

use leptos::prelude::*;
use vantage_api::time_range::TimeRange;

/// `(from expression, label)` of every quick range; each ends now.
pub const QUICK_RANGES: [(&str, &str); 12] = [
    ("now-5m", "Last 5 minutes"),
    ("now-15m", "Last 15 minutes"),
    ("now-30m", "Last 30 minutes"),
    ("now-1h", "Last 1 hour"),
    ("now-3h", "Last 3 hours"),
    ("now-6h", "Last 6 hours"),
    ("now-12h", "Last 12 hours"),
    ("now-24h", "Last 24 hours"),
    ("now-2d", "Last 2 days"),
    ("now-7d", "Last 7 days"),
    ("now-14d", "Last 14 days"),
    ("now-30d", "Last 30 days"),
];

/// A button showing the current range that opens quick and absolute choices.
#[component]
pub fn TimeRangePicker(
    /// The range as the URL has it.
    #[prop(into)]
    range: Signal<TimeRange>,
    /// Whether times show in UTC.
    #[prop(into)]
    utc: Signal<bool>,
    /// Called with `(from, to)` expressions.
    on_range: Callback<(String, String)>,
    /// Called with the new UTC setting.
    on_utc: Callback<bool>,
    /// The clock, in unix ms, to check absolute input against.
    now_ms: fn() -> i64,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let from_text = RwSignal::new(String::new());
    let to_text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let r = range.get();
        from_text.set(r.from.to_string());
        to_text.set(r.to.to_string());
    });
    let label = move || {
        let r = range.get();
        QUICK_RANGES
            .iter()
            .find(|(from, _)| r.to.to_string() == "now" && r.from.to_string() == *from)
            .map_or_else(|| r.label(), |(_, label)| (*label).to_owned())
    };
    let apply = move |_| {
        let (from, to) = (from_text.get_untracked(), to_text.get_untracked());
        match TimeRange::parse(&from, &to, now_ms()) {
            Ok(_) => {
                problem.set(None);
                open.set(false);
                on_range.run((from.trim().to_owned(), to.trim().to_owned()));
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    let toggle = NodeRef::<leptos::html::Button>::new();
    // Escape closes the popover and gives the focus back to its button.
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            open.set(false);
            if let Some(button) = toggle.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    view! {
        <div class="time-range-picker">
            <button
                type="button"
                node_ref=toggle
                class="time-range-picker__toggle"
                aria-haspopup="dialog"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {label}
                <span class="time-range-picker__zone">{move || if utc.get() { " UTC" } else { "" }}</span>
            </button>
            <Show when=move || open.get()>
                <div class="time-range-picker__popover" role="dialog" aria-label="Time range" on:keydown=on_key>
                    <div class="time-range-picker__absolute">
                        <label>"From" <input type="text" aria-label="From" prop:value=from_text
                            on:input=move |ev| from_text.set(event_target_value(&ev))/></label>
                        <label>"To" <input type="text" aria-label="To" prop:value=to_text
                            on:input=move |ev| to_text.set(event_target_value(&ev))/></label>
                        <button type="button" class="primary" on:click=apply>"Apply time range"</button>
                        {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
                        <label class="time-range-picker__utc">
                            <input type="checkbox" prop:checked=utc on:change=move |ev| on_utc.run(event_target_checked(&ev))/>
                            "Show times in UTC"
                        </label>
                    </div>
                    <ul class="time-range-picker__quick">
                        {QUICK_RANGES
                            .iter()
                            .map(|(from, text)| {
                                let from = *from;
                                view! {
                                    <li><button type="button" on:click=move |_| {
                                        open.set(false);
                                        on_range.run((from.to_owned(), "now".to_owned()));
                                    }>{*text}</button></li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            </Show>
        </div>
    }
}
