//! The router and the page frame: navigation, theme, and the pages.

use crate::pages::alerts::AlertsPage;
use crate::pages::catalog::CatalogPage;
use crate::pages::circuit_breakers::CircuitBreakersPage;
use crate::pages::cost::CostPage;
use crate::pages::dashboard::DashboardPage;
use crate::pages::dashboard_list::DashboardList;
use crate::pages::embed::EmbedPage;
use crate::pages::explore::ExplorePage;
use crate::pages::import::ImportPage;
use crate::pages::live::LiveSessionsPage;
use crate::pages::not_found::NotFound;
use crate::pages::status::StatusPage;
use crate::theme::{apply_theme, theme_of};
use crate::url_state::{use_set_params, use_view_params};
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use vantage_components::chart_theme::ThemeEpoch;

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    let epoch = ThemeEpoch(RwSignal::new(0));
    provide_context(epoch);
    view! {
        <Router>
            <Shell epoch=epoch>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=DashboardList/>
                    <Route path=path!("/d/:id") view=DashboardPage/>
                    <Route path=path!("/cost") view=CostPage/>
                    <Route path=path!("/explore") view=ExplorePage/>
                    <Route path=path!("/import") view=ImportPage/>
                    <Route path=path!("/circuit-breakers") view=CircuitBreakersPage/>
                    <Route path=path!("/live") view=LiveSessionsPage/>
                    <Route path=path!("/alerts") view=AlertsPage/>
                    <Route path=path!("/catalog") view=CatalogPage/>
                    <Route path=path!("/status") view=StatusPage/>
                    <Route path=path!("/embed/:dashboard/:panel") view=EmbedPage/>
                </Routes>
            </Shell>
        </Router>
    }
}

/// Top navigation and theme around every page.
#[component]
fn Shell(epoch: ThemeEpoch, children: Children) -> impl IntoView {
    let params = use_view_params();
    let theme = Signal::derive(move || params.with(theme_of));
    apply_theme(theme, epoch);
    let set_params = use_set_params();
    let toggle = move |_| {
        let next = if theme.get_untracked() == "dark" {
            "light"
        } else {
            "dark"
        };
        set_params(vec![("theme".to_owned(), vec![next.to_owned()])], false);
    };
    // Embeds show one panel and nothing else.
    let location = use_location();
    let embedded = move || location.pathname.with(|p| p.starts_with("/embed/"));
    view! {
        <div class="layout" class:layout--embed=embedded>
            <Show when=move || !embedded()>
            <nav class="topbar" aria-label="Main">
                <A href="/" attr:class="brand">"Vantage"</A>
                <A href="/">"Dashboards"</A>
                <A href="/cost">"Cost"</A>
                <A href="/explore">"Explore"</A>
                <A href="/circuit-breakers">"Circuit breakers"</A>
                <A href="/live">"Live sessions"</A>
                <A href="/alerts">"Alerts"</A>
                <A href="/catalog">"Metrics catalog"</A>
                <A href="/status">"Status"</A>
                <A href="/import">"Import"</A>
                <button type="button" class="topbar__theme" on:click=toggle.clone()>
                    {move || if theme.get() == "dark" { "Light theme" } else { "Dark theme" }}
                </button>
            </nav>
            </Show>
            {children()}
        </div>
    }
}
