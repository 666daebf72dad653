//! The router and the page frame.

use crate::pages::{cost_attribution::CostAttribution, not_found::NotFound};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use vantage_components::chart_theme::ThemeEpoch;

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    provide_context(ThemeEpoch(RwSignal::new(0)));
    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=|| view! { <Redirect path="/d/cost-attribution"/> }/>
                <Route path=path!("/d/cost-attribution") view=CostAttribution/>
            </Routes>
        </Router>
    }
}
