//! `/import`: paste or drop a Grafana dashboard's JSON; the proxy converts it (the
//! converter is not in the bundle); the result opens right here against the real
//! upstream, with the report beside it and the dashboard file to download. The text
//! stays in the box whatever happens, so an error loses nothing.

use crate::api_client::{ApiError, import_grafana};
use crate::pages::dashboard::DashboardView;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;
use vantage_api::import::{ImportAnswer, ImportNote};
use vantage_components::download::save_text;
use wasm_bindgen::JsCast;

/// The import page.
#[component]
pub fn ImportPage() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let file_name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let answer = RwSignal::new(None::<Arc<ImportAnswer>>);
    let convert = move || {
        let json = text.get_untracked();
        if json.trim().is_empty() {
            error.set(Some(
                "Paste a Grafana dashboard's JSON, or open a file.".to_owned(),
            ));
            return;
        }
        busy.set(true);
        error.set(None);
        let name = file_name.get_untracked();
        spawn_local(async move {
            let Ok(controller) = web_sys::AbortController::new() else {
                busy.set(false);
                return;
            };
            match import_grafana(json, &name, &controller.signal()).await {
                Ok(result) => answer.set(Some(Arc::new(result))),
                Err(err) => {
                    // The last good result stays; the message says why this one failed.
                    error.set(Some(message(&err)));
                }
            }
            busy.set(false);
        });
    };
    let load_file = move |file: web_sys::File| {
        file_name.set(file.name());
        let read = file.text();
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(read).await {
                Ok(content) => {
                    text.set(content.as_string().unwrap_or_default());
                    convert();
                }
                Err(_) => error.set(Some("The file could not be read.".to_owned())),
            }
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            load_file(file);
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        let file = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            load_file(file);
        }
    };
    let download = move |_| {
        if let Some(result) = answer.get_untracked()
            && let Err(err) = save_text(&result.file_name, &result.toml, "application/toml")
        {
            error.set(Some(format!("The file could not be saved: {err:?}")));
        }
    };
    view! {
        <main class="page import">
            <div class="page__header">
                <h1>"Import a Grafana dashboard"</h1>
            </div>
            <div class="import__input" on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default() on:drop=on_drop>
                <textarea
                    aria-label="Grafana dashboard JSON"
                    placeholder="Paste a Grafana dashboard's JSON here, or drop a .json file"
                    spellcheck="false"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <div class="import__actions">
                    <label class="import__file">
                        "Open a file "
                        <input type="file" accept=".json,application/json" on:change=on_file/>
                    </label>
                    <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| convert()>
                        {move || if busy.get() { "Converting…" } else { "Convert" }}
                    </button>
                    <span class="import__hint">"Or from a shell: " <code>"vantage-proxy import-grafana --out DIR FILE.json"</code></span>
                </div>
                {move || error.get().map(|e| view! { <p class="panel__error" role="alert">{e}</p> })}
            </div>
            {move || answer.get().map(|result| view! {
                <section class="import__result" aria-label="Converted dashboard">
                    <aside class="import__report" aria-label="Import report">
                        <h2>{result.file_name.clone()}</h2>
                        <p class="import__counts">{counts(&result)}</p>
                        <button type="button" class="primary" on:click=download>{format!("Download {}", result.file_name)}</button>
                        <p class="import__save">"Save it in the proxy's dashboards_dir to serve it."</p>
                        {notes("Approximately", "approximate", &result.report.approximate, true)}
                        {notes("Dropped", "dropped", &result.report.dropped, true)}
                        {notes("Carried over", "carried", &result.report.carried, false)}
                    </aside>
                    <div class="import__preview">
                        // A new view per result, so a new conversion starts fresh.
                        {view! { <DashboardView dashboard=Arc::new(result.dashboard.clone())/> }}
                    </div>
                </section>
            })}
        </main>
    }
}

fn counts(result: &ImportAnswer) -> String {
    let r = &result.report;
    format!(
        "{} carried over, {} approximately, {} dropped",
        r.carried.len(),
        r.approximate.len(),
        r.dropped.len()
    )
}

/// One list of the report, open or folded.
fn notes(heading: &str, kind: &str, items: &[ImportNote], open: bool) -> Option<AnyView> {
    if items.is_empty() {
        return None;
    }
    let list = items
        .iter()
        .map(|n| {
            view! { <li><strong>{n.panel.clone()}</strong>": "{n.message.clone()}</li> }
        })
        .collect_view();
    Some(
        view! {
            <details class=format!("import__notes import__notes--{kind}") open=open>
                <summary>{format!("{heading} ({})", items.len())}</summary>
                <ul>{list}</ul>
            </details>
        }
        .into_any(),
    )
}

/// An error as the page says it: the proxy's own message (it names the line and
/// column of bad JSON).
fn message(err: &ApiError) -> String {
    match err {
        ApiError::Server { message, .. } => format!("Cannot convert: {message}"),
        other => format!("Cannot convert: {other}"),
    }
}
