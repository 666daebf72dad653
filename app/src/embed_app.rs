//! The root of the embed bundle (`vantage-embed`): the router knows only
//! `/embed/:dashboard/:panel`, so nothing else of the console is linked into it.

use crate::pages::embed::EmbedPage;
use crate::pages::not_found::NotFound;
use crate::theme::{apply_theme, theme_of};
use crate::url_state::use_view_params;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use vantage_components::chart_theme::ThemeEpoch;

/// One embedded panel, themed from the URL as in the console.
#[component]
pub fn EmbedApp() -> impl IntoView {
    let epoch = ThemeEpoch(RwSignal::new(0));
    provide_context(epoch);
    view! {
        <Router>
            <EmbedShell epoch=epoch/>
        </Router>
    }
}

#[component]
fn EmbedShell(epoch: ThemeEpoch) -> impl IntoView {
    let params = use_view_params();
    apply_theme(Signal::derive(move || params.with(theme_of)), epoch);
    view! {
        <div class="layout layout--embed">
            <Routes fallback=NotFound>
                <Route path=path!("/embed/:dashboard/:panel") view=EmbedPage/>
            </Routes>
        </div>
    }
}
