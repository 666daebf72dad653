//! Explore: write PromQL in an editor that knows the metrics (highlighting, completion,
//! the error underlined where it is as you type), see it as a graph over the range and
//! a table at its end, and explain it as a tree whose nodes count their series. The
//! query is in the URL (`expr=`) so a link reproduces it; recent queries are kept in
//! this browser. Opened from a dashboard panel (`dashboard=` and the `var-` values),
//! the dashboard's variables complete and are substituted.

mod explain;
mod sources;

use super::dashboard::view_state::Selections;
use super::dashboard::{DashboardEnv, PanelView, provide_env_with};
use super::time_context::use_page_time;
use crate::api_client::{ParseProblem, dashboard, parse_query, query_instant};
use crate::fetch::use_fetch;
use crate::url_state::{ALL, now_ms, use_set_params, use_view_params};
use futures::future::join_all;
use leptos::either::Either;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;
use vantage_api::dashboard::Panel;
use vantage_api::dashboard::expand::{Selection, substitute};
use vantage_components::explain_tree::{ExplainNode, ExplainTree, SeriesCount};
use vantage_components::promql::text::mask_variables;
use vantage_components::promql_editor::{EditorError, PromqlEditor};
use vantage_components::time_range_picker::TimeRangePicker;

const HISTORY_KEY: &str = "vantage.explore.history";
const HISTORY_LIMIT: usize = 20;
/// Quiet time after a keystroke before the query is checked.
const LINT_DELAY: Duration = Duration::from_millis(300);

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

/// The `var-` values of the URL as selections (`$__all` is All).
fn url_selections(vars: &BTreeMap<String, Vec<String>>) -> Selections {
    vars.iter()
        .map(|(name, values)| {
            let selection = if values.iter().any(|v| v == ALL) {
                Selection::All
            } else {
                Selection::Values(values.clone())
            };
            (name.clone(), selection)
        })
        .collect()
}

/// Checks `query` with the proxy (never the upstream); dashboard variables are masked
/// so that positions stay where they were typed. `None` when it parses or when the
/// check itself failed (the proxy checks again before running it).
async fn problem_of(query: String) -> Option<ParseProblem> {
    let controller = web_sys::AbortController::new().ok()?;
    match parse_query(&mask_variables(&query), &controller.signal()).await {
        Ok(Err(problem)) => Some(problem),
        _ => None,
    }
}

/// The query's tree and each node's series, or why it does not parse.
type Explained = Result<(ExplainNode, Arc<HashMap<String, SeriesCount>>), String>;

/// `/explore`.
#[component]
pub fn ExplorePage() -> impl IntoView {
    let params = use_view_params();
    let set_params = use_set_params();
    let time = use_page_time("now-1h");
    let selections = Memo::new(move |_| Some(params.with(|p| url_selections(&p.vars))));
    provide_env_with(time.range_ms, time.utc, time.on_zoom, selections);
    let env = expect_context::<DashboardEnv>();
    let dashboard_id = Memo::new(move |_| params.with(|p| p.dashboard.clone()));
    let spec = use_fetch(
        move || dashboard_id.get(),
        |id, signal| async move { dashboard(&id, &signal).await.map(Arc::new) },
    );
    let variables = Signal::derive(move || {
        dashboard_id.with(Option::is_some).then(|| {
            spec.data.with(|d| {
                d.as_ref()
                    .map(|d| d.variables.iter().map(|v| v.name.clone()).collect())
                    .unwrap_or_default()
            })
        })
    });
    let sources = sources::use_editor_sources(time.range_ms);

    let expr = Memo::new(move |_| params.with(|p| p.expr.clone().unwrap_or_default()));
    let draft = RwSignal::new(expr.get_untracked());
    Effect::new(move |_| draft.set(expr.get()));
    let history = RwSignal::new(load_history());

    // The query is checked a moment after typing stops; a newer keystroke wins.
    let problem = RwSignal::new(None::<ParseProblem>);
    let lint_round = StoredValue::new(0u64);
    Effect::new(move |_| {
        let text = draft.get();
        let round = lint_round.get_value().wrapping_add(1);
        lint_round.set_value(round);
        if text.trim().is_empty() {
            problem.set(None);
            return;
        }
        let current = move || lint_round.try_get_value() == Some(round);
        set_timeout(
            move || {
                if !current() {
                    return;
                }
                spawn_local(async move {
                    let found = problem_of(text).await;
                    if current() {
                        problem.set(found);
                    }
                });
            },
            LINT_DELAY,
        );
    });
    let editor_error = Signal::derive(move || {
        problem.get().map(|p| EditorError {
            start: p.start,
            end: p.end,
            message: p.message,
        })
    });

    // Running checks first: a query that does not parse is shown where it is wrong and
    // never sent.
    let run = {
        let set_params = set_params.clone();
        move || {
            let typed = draft.get_untracked();
            let text = typed.trim().to_owned();
            if text.is_empty() {
                return;
            }
            let set_params = set_params.clone();
            spawn_local(async move {
                if let Some(found) = problem_of(typed).await {
                    problem.set(Some(found));
                    return;
                }
                history.update(|h| remember(h, &text));
                if let (Some(s), Ok(json)) =
                    (storage(), serde_json::to_string(&history.get_untracked()))
                {
                    let _ = s.set_item(HISTORY_KEY, &json);
                }
                set_params(vec![("expr".to_owned(), vec![text])], false);
                time.tick.update(|n| *n = n.wrapping_add(1));
            });
        }
    };
    let run_click = run.clone();
    let run_key = run.clone();

    // Explain: the tree of the query that ran, variables substituted as the graph has
    // them, and each node's series at the end of the range.
    let explaining = RwSignal::new(false);
    let explained = use_fetch(
        move || {
            let e = expr.get();
            let end = time.range_ms.get().1;
            (explaining.get() && !e.is_empty()).then(|| {
                let (_, intervals) = env.plan(&Panel {
                    width: 12,
                    ..Panel::default()
                });
                let chosen = selections.get().unwrap_or_default();
                (substitute(&e, &chosen, intervals), end)
            })
        },
        |(query, end), signal| async move {
            let tree = match parse_query(&query, &signal).await? {
                Ok(tree) => tree,
                Err(p) => return Ok(Arc::new(Err(p.message))),
            };
            let mut queries = Vec::new();
            explain::count_queries(&tree, &mut queries);
            let at = end as f64 / 1000.0;
            let counts = join_all(queries.into_iter().map(|(node, count)| {
                let signal = &signal;
                async move {
                    let state = match count {
                        None => SeriesCount::Scalar,
                        Some(q) => match query_instant(&q, at, signal, None).await {
                            Ok(series) => SeriesCount::Series(
                                series
                                    .first()
                                    .and_then(|s| s.last())
                                    .map_or(0, |n| n as usize),
                            ),
                            Err(e) => SeriesCount::Failed(e.to_string()),
                        },
                    };
                    (node, state)
                }
            }))
            .await;
            let explained: Explained = Ok((
                explain::build(&tree),
                Arc::new(counts.into_iter().collect()),
            ));
            Ok(Arc::new(explained))
        },
    );
    let on_select = {
        let run = run.clone();
        Callback::new(move |node: String| {
            draft.set(node);
            run();
        })
    };
    let explain_view = move || {
        explaining.get().then(|| {
            let answer = explained.data.get();
            let message = |class: &'static str, text: String| {
                Either::Right(view! { <p class=class>{text}</p> })
            };
            let body = match (answer.as_deref(), explained.error.get()) {
                (Some(Ok((root, counts))), _) => Either::Left(view! {
                    <ExplainTree root=root.clone() counts=counts.clone() on_select=on_select/>
                }),
                (Some(Err(text)), _) => message("panel__error", text.clone()),
                (None, Some(err)) => message("panel__error", err.to_string()),
                (None, None) if explained.loading.get() => {
                    message("panel__empty", "Explaining…".to_owned())
                }
                (None, None) => message("panel__empty", "Run a query to explain it.".to_owned()),
            };
            view! {
                <section class="panel explore__explain" aria-labelledby="explain-title">
                    <header class="panel__header">
                        <h2 id="explain-title">"Explain"</h2>
                        <span class="panel__note">"Series at the end of the range. Choose a node to run it alone."</span>
                    </header>
                    {body}
                </section>
            }
        })
    };
    let dashboard_note = move || {
        let d = spec.data.get()?;
        let names: Vec<String> = d.variables.iter().map(|v| format!("${}", v.name)).collect();
        Some(view! {
            <p class="explore__context">
                {format!("A query of the dashboard {}", d.title)}
                {(!names.is_empty()).then(|| format!(": {} take the values of the link", names.join(", ")))}
                "; $__ macros follow the range."
            </p>
        })
    };
    view! {
        <main class="page explore">
            <div class="page__header">
                <h1>"Explore"</h1>
                <TimeRangePicker range=Signal::derive(move || time.range.get()) utc=time.utc
                    on_range=time.on_range on_utc=time.on_utc now_ms=now_ms/>
            </div>
            {move || time.problem.get().map(|p| view! { <p class="banner banner--warning" role="alert">{p}</p> })}
            {dashboard_note}
            <div class="explore__editor">
                <PromqlEditor
                    value=draft
                    on_run=Callback::new(move |()| run_key())
                    metrics=sources.metrics
                    metadata=sources.metadata
                    lookup=sources.lookup
                    variables=variables
                    error=editor_error
                    placeholder="Type a PromQL query, e.g. sum by (repository) (rate(orchestrator_cost_attribution[5m])); Ctrl-Space suggests, Ctrl-Enter runs"
                />
                <div class="explore__buttons">
                    <button type="button" class="primary" on:click=move |_| run_click()>"Run query"</button>
                    <button type="button" aria-pressed=move || explaining.get().to_string()
                        on:click=move |_| explaining.update(|e| *e = !*e)>"Explain"</button>
                </div>
            </div>
            {explain_view}
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
    use super::*;

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

    #[test]
    fn url_values_become_selections() {
        let vars = BTreeMap::from([
            (
                "repository".to_owned(),
                vec!["a".to_owned(), "b".to_owned()],
            ),
            ("user".to_owned(), vec![ALL.to_owned()]),
        ]);
        let chosen = url_selections(&vars);
        assert_eq!(
            chosen["repository"],
            Selection::Values(vec!["a".into(), "b".into()])
        );
        assert_eq!(chosen["user"], Selection::All);
    }
}
