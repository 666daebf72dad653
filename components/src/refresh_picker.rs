//! Auto-refresh choice: off, 5 s, 10 s, 30 s, 1 m, 5 m.

use leptos::prelude::*;

/// The intervals offered, as they appear in the URL (`refresh=30s`).
pub const REFRESH_CHOICES: [&str; 5] = ["5s", "10s", "30s", "1m", "5m"];

/// A select of refresh intervals; `None` is off.
#[component]
pub fn RefreshPicker(
    /// The current interval (`30s`), or `None` for off.
    #[prop(into)]
    current: Signal<Option<String>>,
    /// Called with the chosen interval, `None` for off.
    on_change: Callback<Option<String>>,
) -> impl IntoView {
    view! {
        <select
            class="refresh-picker"
            aria-label="Auto-refresh"
            prop:value=move || current.get().unwrap_or_else(|| "off".to_owned())
            on:change=move |ev| {
                let value = event_target_value(&ev);
                on_change.run((value != "off").then_some(value));
            }
        >
            <option value="off">"Auto-refresh off"</option>
            {REFRESH_CHOICES.iter().map(|c| view! { <option value=*c>{format!("Every {c}")}</option> }).collect_view()}
            // A URL may carry another interval; show it rather than pretend it is off.
            {move || current.get().filter(|c| !REFRESH_CHOICES.contains(&c.as_str())).map(|c| {
                view! { <option value=c.clone()>{format!("Every {c}")}</option> }
            })}
        </select>
    }
}
