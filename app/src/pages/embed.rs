//! `/embed/:dashboard/:panel`: one panel, no chrome, filling its iframe, for portals.
//! It honours `theme`, `from`/`to`, `var-*`, `refresh` and `tz`; with a signed `token`
//! it needs no login. The proxy expands the panel's queries, so the link can only ever
//! show this panel. Refusals (expired or tampered token, wrong scope) are shown as text.

use super::dashboard::view_state::resolve_view;
use super::dashboard::{DashboardEnv, PanelView};
use crate::api_client::{dashboard, set_embed_token};
use crate::fetch::use_fetch;
use crate::refresh::use_auto_refresh;
use crate::url_state::{ALL, now_ms, use_view_params, with_query};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;
use vantage_api::dashboard::Dashboard;
use vantage_api::dashboard::expand::Selection;

/// The embedded panel.
#[component]
pub fn EmbedPage() -> impl IntoView {
    let params = use_view_params();
    if let Some(token) = params.get_untracked().token {
        set_embed_token(token);
    }
    let path = use_params_map();
    let ids = Memo::new(move |_| {
        path.with(|p| {
            (
                p.get("dashboard").unwrap_or_default(),
                p.get("panel").unwrap_or_default(),
            )
        })
    });
    let spec = use_fetch(
        move || Some(ids.get().0),
        |id, signal| async move { dashboard(&id, &signal).await.map(Arc::new) },
    );
    move || {
        let (dashboard_id, panel_id) = ids.get();
        match (spec.data.get(), spec.error.get()) {
            (_, Some(err)) => refusal(&err.to_string()),
            (Some(d), _) => match d.panels.iter().find(|p| p.id == panel_id).cloned() {
                Some(panel) => {
                    view! { <EmbeddedPanel dashboard=d.clone() panel=panel/> }.into_any()
                }
                None => refusal(&format!(
                    "The dashboard {dashboard_id:?} has no panel {panel_id:?}."
                )),
            },
            _ => view! { <main class="embed embed--loading" aria-busy="true"></main> }.into_any(),
        }
    }
}

fn refusal(message: &str) -> AnyView {
    view! {
        <main class="embed embed--refused">
            <h1>"This panel cannot be shown"</h1>
            <p role="alert">{message.to_owned()}</p>
        </main>
    }
    .into_any()
}

#[component]
fn EmbeddedPanel(dashboard: Arc<Dashboard>, panel: vantage_api::dashboard::Panel) -> impl IntoView {
    let params = use_view_params();
    let tick = RwSignal::new(0u32);
    let spec = dashboard.clone();
    let view = Memo::new(move |_| resolve_view(&params.get(), &spec, now_ms()));
    let range_ms = Memo::new(move |_| {
        tick.track();
        view.with(|v| v.range.resolve(now_ms()))
    });
    use_auto_refresh(Signal::derive(move || view.with(|v| v.refresh_ms)), tick);
    // Only what the URL says; the proxy fills in defaults and locked values.
    let selections = Memo::new(move |_| {
        Some(params.with(|p| {
            p.vars
                .iter()
                .map(|(name, values)| {
                    let selection = if values.iter().any(|v| v == ALL) {
                        Selection::All
                    } else {
                        Selection::Values(values.clone())
                    };
                    (name.clone(), selection)
                })
                .collect()
        }))
    });
    let width = || {
        web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|v| v.as_f64())
            .unwrap_or(600.0) as u32
    };
    let grid_width = RwSignal::new(width());
    let resize = window_event_listener(leptos::ev::resize, move |_| grid_width.set(width()));
    on_cleanup(move || resize.remove());
    let id = panel.id.clone();
    provide_context(DashboardEnv {
        range_ms,
        grid_width,
        selections,
        utc: Signal::derive(move || view.with(|v| v.utc)),
        scrape_interval: dashboard.scrape_interval,
        // An embed's range is the portal's choice: no drag-zoom.
        on_zoom: Callback::new(|_| {}),
        focused: Signal::derive(move || Some(id.clone())),
        server_side: StoredValue::new(Some(dashboard.id.clone())),
        // The proxy substitutes `all_value` itself; annotations need PromQL an embed
        // link may not send.
        all_values: StoredValue::new(Default::default()),
        annotations: Signal::stored(Arc::new(Vec::new())),
        // An embed link reaches its panel's data only, not the alerts.
        alert_bands: Signal::stored(Arc::new(Vec::new())),
    });
    let open_full = {
        let dashboard_id = dashboard.id.clone();
        let panel_id = panel.id.clone();
        move || {
            let pairs: Vec<(String, String)> =
                crate::url_state::form_pairs(&crate::url_state::current_search())
                    .into_iter()
                    .filter(|(k, _)| k != "token")
                    .chain(std::iter::once(("panel".to_owned(), panel_id.clone())))
                    .collect();
            with_query(&format!("/d/{dashboard_id}"), &pairs)
        }
    };
    // The panel is the page: its title is the page's heading.
    provide_context(crate::panel::PanelIsPage);
    view! {
        <main class="embed">
            {move || {
                let problems = view.with(|v| v.problems.clone());
                (!problems.is_empty()).then(|| view! { <p class="embed__problem" role="alert">{problems.join(" ")}</p> })
            }}
            <PanelView panel=panel.clone()/>
            <a class="embed__open" href=open_full() target="_blank" rel="noopener">"Open in Vantage ↗"</a>
        </main>
    }
}
