//! The filter box of the data table and the live table: typing filters the rows.

use leptos::prelude::*;

/// A search box bound to `filter`, named "Filter <label>".
pub fn filter_input(label: &str, filter: RwSignal<String>) -> impl IntoView + use<> {
    view! {
        <input
            type="search"
            placeholder="Filter"
            aria-label=format!("Filter {label}")
            prop:value=filter
            on:input=move |ev| filter.set(event_target_value(&ev))
        />
    }
}
