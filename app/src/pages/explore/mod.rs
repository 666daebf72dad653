//! Explore: type PromQL, see it as a graph over the range and as a table at its end.
//! The query is in the URL (`expr=`) so a link reproduces it; recent queries are kept
//! in this browser.

use super::dashboard::{PanelView, provide_standalone_env};
use super::time_context::use_page_time;
use crate::url_state::{now_ms, use_set_params, use_view_params};
use leptos::prelude::*;
use vantage_api::dashboard::Panel;
use vantage_components::time_range_picker::TimeRangePicker;

const HISTORY_KEY: &str = "vantage.explore.history";
const HISTORY_LIMIT: usize = 20;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn load_history() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(HISTORY_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Puts `expr` first, without duplicates, keeping at most `HISTORY_LIMIT`.
pub fn remember(history: &mut Vec<String>, expr: &str) {
    history.retain(|e| e != expr);
    history.insert(0, expr.to_owned());
    history.truncate(HISTORY_LIMIT);
}

fn panel(id: &str, title: &str, kind: &str, expr: &str) -> Option<Panel> {
    let json = serde_json::json!({ "id": id, "title": title, "type": kind, "query": expr, "width": 12, "height": 300 });
    serde_json::from_value(json).ok()
}

/// `/explore`.
#[component]
pub fn ExplorePage() -> impl IntoView {
    let params = use_view_params();
    let set_params = use_set_params();
    let time = use_page_time("now-1h");
    provide_standalone_env(time.range_ms, time.utc, time.on_zoom);
    let expr = Memo::new(move |_| params.with(|p| p.expr.clone().unwrap_or_default()));
    let draft = RwSignal::new(expr.get_untracked());
    Effect::new(move |_| draft.set(expr.get()));
    let history = RwSignal::new(load_history());
    let run = move || {
        let text = draft.get_untracked().trim().to_owned();
        if text.is_empty() {
            return;
        }
        history.update(|h| remember(h, &text));
        if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(&history.get_untracked())) {
            let _ = s.set_item(HISTORY_KEY, &json);
        }
        set_params(vec![("expr".to_owned(), vec![text])], false);
        time.tick.update(|n| *n = n.wrapping_add(1));
    };
    let run_click = run.clone();
    view! {
        <main class="page explore">
            <div class="page__header">
                <h1>"Explore"</h1>
                <TimeRangePicker range=Signal::derive(move || time.range.get()) utc=time.utc
                    on_range=time.on_range on_utc=time.on_utc now_ms=now_ms/>
            </div>
            {move || time.problem.get().map(|p| view! { <p class="banner banner--warning" role="alert">{p}</p> })}
            <div class="explore__editor">
                <textarea
                    aria-label="PromQL query"
                    placeholder="Type a PromQL query, e.g. sum by (repository) (rate(orchestrator_cost_attribution[5m]))"
                    rows="3"
                    prop:value=draft
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            run();
                        }
                    }
                ></textarea>
                <button type="button" class="primary" on:click=move |_| run_click()>"Run query"</button>
            </div>
            {move || {
                let e = expr.get();
                if e.is_empty() {
                    return view! { <p class="panel__empty">"Run a query to see it as a graph and a table."</p> }.into_any();
                }
                let graph = panel("graph", "Graph", "timeseries", &e);
                let table = panel("table", "Table", "table", &e);
                view! {
                    <div class="grid grid--flush">
                        {graph.map(|p| view! { <PanelView panel=p/> })}
                        {table.map(|p| view! { <PanelView panel=p/> })}
                    </div>
                }
                .into_any()
            }}
            <section class="explore__history" aria-label="Recent queries">
                <h2>"Recent queries"</h2>
                <ul>
                    {move || history.get().into_iter().map(|h| {
                        let chosen = h.clone();
                        view! { <li><button type="button" class="link mono" on:click=move |_| draft.set(chosen.clone())>{h}</button></li> }
                    }).collect_view()}
                </ul>
            </section>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::remember;

    #[test]
    fn history_keeps_recent_unique_queries() {
        let mut history = vec!["b".to_owned(), "a".to_owned()];
        remember(&mut history, "a");
        assert_eq!(history, vec!["a", "b"]);
        for i in 0..30 {
            remember(&mut history, &i.to_string());
        }
        assert_eq!(history.len(), 20);
        assert_eq!(history[0], "29");
    }
}
