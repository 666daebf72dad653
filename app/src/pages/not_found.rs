//! What an unknown address shows: a clear message and a way back, never a blank page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The page for addresses the console does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let location = use_location();
    view! {
        <main class="page page--message">
            <h1>"Nothing here"</h1>
            <p role="alert">{move || format!("There is no page at {}.", location.pathname.get())}</p>
            <p><a href="/">"See all dashboards"</a></p>
        </main>
    }
}
