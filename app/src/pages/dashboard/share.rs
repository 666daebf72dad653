//! The dashboard's share dialog: links built from the current URL, and signed embed
//! links minted by the proxy for viewers who may.

use super::view_state::{Selections, selection_to_url};
use crate::api_client::mint_embed_token;
use crate::session::use_session;
use crate::url_state::{current_search, form_pairs, with_query};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;
use vantage_api::dashboard::{Dashboard, PanelKind};
use vantage_components::share_dialog::{MintRequest, ShareDialog, ShareLinks};

/// The links for the page as it is now, with `range_ms` for the frozen variant.
pub fn share_links(dashboard: &Dashboard, range_ms: (i64, i64)) -> ShareLinks {
    let location = web_sys::window().map(|w| w.location());
    let origin = location
        .as_ref()
        .and_then(|l| l.origin().ok())
        .unwrap_or_default();
    let path = location
        .as_ref()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_default();
    let pairs = form_pairs(&current_search());
    let without = |drop: &[&str]| -> Vec<(String, String)> {
        pairs
            .iter()
            .filter(|(k, _)| !drop.contains(&k.as_str()))
            .cloned()
            .collect()
    };
    let mut frozen = without(&["from", "to"]);
    frozen.push(("from".to_owned(), range_ms.0.to_string()));
    frozen.push(("to".to_owned(), range_ms.1.to_string()));
    let embed_query = with_query("", &without(&["panel", "theme", "token"]))
        .trim_start_matches('?')
        .to_owned();
    ShareLinks {
        link: with_query(&format!("{origin}{path}"), &pairs),
        frozen: with_query(&format!("{origin}{path}"), &frozen),
        embed_base: format!("{origin}/embed/{}/", dashboard.id),
        embed_query,
        panels: dashboard
            .panels
            .iter()
            .filter(|p| p.kind != PanelKind::Row)
            .map(|p| (p.id.clone(), p.title.clone()))
            .collect(),
    }
}

/// The dialog, open while `open` holds `Some(preselected panel)`.
#[component]
pub fn DashboardShare(
    dashboard: Arc<Dashboard>,
    open: RwSignal<Option<Option<String>>>,
    range_ms: Memo<(i64, i64)>,
    selections: Memo<Option<Selections>>,
) -> impl IntoView {
    let session = use_session();
    let minted = RwSignal::new(None::<Result<String, String>>);
    let spec = dashboard.clone();
    let on_mint = Callback::new(move |request: MintRequest| {
        let variables: serde_json::Map<String, serde_json::Value> = if request.lock_variables {
            selections
                .get_untracked()
                .unwrap_or_default()
                .iter()
                .map(|(name, s)| (name.clone(), serde_json::json!(selection_to_url(s))))
                .collect()
        } else {
            serde_json::Map::new()
        };
        let body = serde_json::json!({
            "dashboard": spec.id,
            "panel": request.panel,
            "expires_in": request.expires_in,
            "variables": variables,
        });
        spawn_local(async move {
            let Ok(controller) = web_sys::AbortController::new() else {
                return;
            };
            let result = mint_embed_token(&body, &controller.signal()).await;
            minted.set(Some(
                result
                    .map(|m| m.token)
                    .map_err(|e| format!("Cannot create the link: {e}")),
            ));
        });
    });
    move || {
        open.get().map(|panel| {
            let spec = dashboard.clone();
            view! {
                <ShareDialog
                    links=Signal::derive(move || share_links(&spec, range_ms.get()))
                    panel=Signal::derive(move || panel.clone())
                    can_mint=Signal::derive(move || session.get().is_some_and(|s| s.can_mint_embeds))
                    on_mint=on_mint
                    minted=minted
                    on_close=Callback::new(move |()| {
                        minted.set(None);
                        open.set(None);
                    })
                />
            }
        })
    }
}
