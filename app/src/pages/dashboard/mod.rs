//! A dashboard page: the definition from the proxy, the view from the URL, the panels
//! in a 12-column grid.

mod alert_bands;
mod annotations;
mod env;
mod grid;
mod links;
mod panel_data;
mod panel_view;
mod share;
mod variables;
pub mod view_state;

pub use env::{DashboardEnv, provide_env_with, provide_standalone_env};
pub use panel_view::PanelView;

use crate::api_client::{dashboard, query_range};
use crate::fetch::use_fetch;
use crate::refresh::use_auto_refresh;
use crate::url_state::{
    current_search, form_pairs, now_ms, take_first_view_now, use_set_params, use_view_params,
    with_query,
};
use grid::{Actions, DashboardGrid, GridCtx};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use links::LinkList;
use share::DashboardShare;
use std::sync::Arc;
use vantage_api::dashboard::Dashboard;
use vantage_api::dashboard::expand::Selection;
use vantage_api::dashboard::{Variable, VariableHide, VariableKind};

use vantage_api::step::plan_range;
use vantage_components::panel_menu::MenuItem;
use vantage_components::refresh_picker::RefreshPicker;
use vantage_components::time_range_picker::TimeRangePicker;
use vantage_components::variable_picker::VariablePicker;
use vantage_components::variable_textbox::VariableTextbox;
use view_state::{resolve_view, selection_to_url};

/// `/d/:id`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let spec = use_fetch(
        move || Some(id.get()),
        |id, signal| async move { dashboard(&id, &signal).await.map(Arc::new) },
    );
    move || {
        let current = id.get();
        match (spec.data.get(), spec.error.get()) {
            (_, Some(err)) if err.status() == Some(404) => view! {
                <main class="page page--message">
                    <h1>"Unknown dashboard"</h1>
                    <p role="alert">{format!("There is no dashboard {current:?}.")}</p>
                    <p><a href="/">"See all dashboards"</a></p>
                </main>
            }
            .into_any(),
            (Some(d), _) if d.id == current => {
                view! { <main class="dashboard-page"><DashboardView dashboard=d/></main> }.into_any()
            }
            (_, Some(err)) => view! {
                <main class="page page--message">
                    <h1>"Cannot open this dashboard"</h1>
                    <p role="alert">{err.to_string()}</p>
                </main>
            }
            .into_any(),
            _ => view! { <main class="page page--message" aria-busy="true"><p>"Loading dashboard…"</p></main> }.into_any(),
        }
    }
}

/// Explore for `expr` of the dashboard `id`, keeping the page's range, time zone and
/// theme, with the variables as selected now (which Explore completes and substitutes).
fn explore_link(expr: &str, id: &str, selections: &view_state::Selections) -> String {
    let mut pairs = vec![
        ("expr".to_owned(), expr.to_owned()),
        ("dashboard".to_owned(), id.to_owned()),
    ];
    pairs.extend(
        form_pairs(&current_search())
            .into_iter()
            .filter(|(k, _)| matches!(k.as_str(), "from" | "to" | "tz" | "theme")),
    );
    for (name, selection) in selections {
        let key = format!("var-{name}");
        pairs.extend(
            selection_to_url(selection)
                .into_iter()
                .map(|v| (key.clone(), v)),
        );
    }
    with_query("/explore", &pairs)
}

/// A loaded dashboard: toolbar, variables, links and the grid. Also shows a dashboard
/// that is not served yet (the import page's preview).
#[component]
pub fn DashboardView(dashboard: Arc<Dashboard>) -> impl IntoView {
    crate::mark("vantage:dashboard");
    let params = use_view_params();
    let set_params = use_set_params();
    let tick = RwSignal::new(0u32);
    let spec = dashboard.clone();
    let view = Memo::new(move |_| resolve_view(&params.get(), &spec, now_ms()));
    let range = Memo::new(move |_| view.with(|v| v.range.clone()));
    // The first range resolves at the moment the page announced its first queries for.
    let first_now = StoredValue::new(take_first_view_now());
    let range_ms = Memo::new(move |_| {
        tick.track();
        let now = first_now
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(now_ms);
        range.with(|r| r.resolve(now))
    });
    use_auto_refresh(Signal::derive(move || view.with(|v| v.refresh_ms)), tick);

    let url_vars = Memo::new(move |_| params.with(|p| p.vars.clone()));
    let states = variables::use_variables(&dashboard.variables, range, url_vars);
    let vars_spec = dashboard.variables.clone();
    let selection_states = states.clone();
    let resolved = Memo::new(move |_| {
        let url_vars = url_vars.get();
        variables::selections(&vars_spec, &selection_states, &url_vars, range_ms.get())
    });
    let selections = Memo::new(move |_| resolved.get().map(|(s, _)| s));
    let all_values = vantage_api::dashboard::variables::all_values(&dashboard.variables);
    let annotations = annotations::use_annotations(
        dashboard.query_annotations().cloned().collect(),
        range_ms,
        selections,
        all_values.clone(),
        dashboard.scrape_interval,
    );

    // Planned from the window's width, not the grid element's: the proxy plans the
    // first view's queries from the same number (see `vantage_api::dashboard::first_view`).
    let grid_width = env::use_viewport_grid_width();

    let zoom_params = set_params.clone();
    let on_zoom = Callback::new(move |(from, to): (f64, f64)| {
        zoom_params(
            vec![
                (
                    "from".to_owned(),
                    vec![((from * 1000.0) as i64).to_string()],
                ),
                ("to".to_owned(), vec![((to * 1000.0) as i64).to_string()]),
            ],
            false,
        );
    });
    let focused = Signal::derive(move || view.with(|v| v.panel.clone()));
    // Alerts: one range query for the whole dashboard, shared by its panels.
    let has_alerts = dashboard.shows_alerts();
    let alerts_on =
        Memo::new(move |_| has_alerts && params.with(|p| p.annotations.as_deref() != Some("off")));
    let scrape_interval = dashboard.scrape_interval;
    let alerts = use_fetch(
        move || alerts_on.get().then(|| range_ms.get()),
        move |(start, end), signal| async move {
            let plan = plan_range(start, end, 1200, scrape_interval);
            let series = query_range(alert_bands::FIRING, plan, &signal, None).await?;
            Ok(Arc::new(alert_bands::firing_intervals(&series, plan.step)))
        },
    );
    let alert_bands = Signal::derive(move || {
        if alerts_on.get() {
            alerts.data.get().unwrap_or_default()
        } else {
            Arc::default()
        }
    });
    provide_context(DashboardEnv {
        range_ms,
        grid_width,
        selections,
        utc: Signal::derive(move || view.with(|v| v.utc)),
        scrape_interval: dashboard.scrape_interval,
        on_zoom,
        focused,
        server_side: StoredValue::new(None),
        all_values: StoredValue::new(all_values),
        annotations,
        alert_bands,
    });

    let problems = move || {
        let mut all = view.with(|v| v.problems.clone());
        if let Some((_, more)) = resolved.get() {
            all.extend(more);
        }
        all
    };
    let range_params = set_params.clone();
    let on_range = Callback::new(move |(from, to): (String, String)| {
        range_params(
            vec![("from".to_owned(), vec![from]), ("to".to_owned(), vec![to])],
            false,
        );
    });
    let tz_params = set_params.clone();
    let on_utc = Callback::new(move |utc: bool| {
        tz_params(
            vec![(
                "tz".to_owned(),
                vec![if utc { "utc" } else { "browser" }.to_owned()],
            )],
            false,
        );
    });
    let refresh_params = set_params.clone();
    let on_refresh = Callback::new(move |choice: Option<String>| {
        refresh_params(
            vec![(
                "refresh".to_owned(),
                vec![choice.unwrap_or_else(|| "off".to_owned())],
            )],
            false,
        );
    });
    let pickers = dashboard
        .variables
        .iter()
        .zip(states.iter().copied())
        .filter(|(v, _)| v.hide != VariableHide::Variable && v.kind != VariableKind::Constant)
        .map(|(variable, state)| picker(variable, state, selections, set_params.clone()))
        .collect_view();

    let share_open = RwSignal::new(None::<Option<String>>);
    let focus_params = set_params.clone();
    let dashboard_id = dashboard.id.clone();
    let navigate = use_navigate();
    let actions: Actions = Arc::new(move |panel: &vantage_api::dashboard::Panel| {
        let id = panel.id.clone();
        let share_id = id.clone();
        let is_focused = focused.get_untracked().is_some();
        let focus_params = focus_params.clone();
        let mut menu = vec![MenuItem::run(
            if is_focused {
                "Back to dashboard"
            } else {
                "View"
            },
            move || {
                let value = if is_focused { vec![] } else { vec![id.clone()] };
                focus_params(vec![("panel".to_owned(), value)], false);
            },
        )];
        let expr = vantage_api::dashboard::expand::panel_queries(panel)
            .first()
            .map(|q| q.expr.clone());
        if let Some(expr) = expr {
            let navigate = navigate.clone();
            let dashboard_id = dashboard_id.clone();
            menu.push(MenuItem::run("Explore", move || {
                // Until every variable's values are known, the URL's own.
                let chosen = selections.get_untracked().unwrap_or_else(|| {
                    let vars = params.with_untracked(|p| p.vars.clone());
                    vars.into_iter()
                        .map(|(name, values)| {
                            let all = values.iter().any(|v| v == crate::url_state::ALL);
                            let s = if all {
                                Selection::All
                            } else {
                                Selection::Values(values)
                            };
                            (name, s)
                        })
                        .collect()
                });
                navigate(
                    &explore_link(&expr, &dashboard_id, &chosen),
                    Default::default(),
                );
            }));
        }
        menu.push(MenuItem::run("Share", move || {
            share_open.set(Some(Some(share_id.clone())))
        }));
        menu
    });
    let ctx = GridCtx {
        variables: Arc::new(
            dashboard
                .variables
                .iter()
                .map(|v| v.name.clone())
                .zip(states.iter().copied())
                .collect(),
        ),
        actions,
    };
    let links = dashboard.links.clone();
    let toggle_params = set_params.clone();
    let alerts_toggle = has_alerts.then(|| {
        view! {
            <label class="toolbar__toggle" title="Shade the intervals during which alerts fired">
                <input type="checkbox" prop:checked=move || alerts_on.get() on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    let value = if on { vec![] } else { vec!["off".to_owned()] };
                    toggle_params(vec![("annotations".to_owned(), value)], false);
                }/>
                "Alerts"
            </label>
        }
    });

    view! {
        <div class="dashboard">
            <div class="toolbar">
                <h1>{dashboard.title.clone()}</h1>
                <div class="toolbar__variables">{pickers}</div>
                {(!links.is_empty()).then(|| view! { <nav class="toolbar__links" aria-label="Dashboard links"><LinkList links=links/></nav> })}
                <div class="toolbar__time">
                    <TimeRangePicker
                        range=Signal::derive(move || range.get())
                        utc=Signal::derive(move || view.with(|v| v.utc))
                        on_range=on_range
                        on_utc=on_utc
                        now_ms=now_ms
                    />
                    {alerts_toggle}
                    <RefreshPicker current=Signal::derive(move || view.with(|v| v.refresh.clone())) on_change=on_refresh/>
                    <button type="button" aria-label="Refresh now" on:click=move |_| tick.update(|n| *n = n.wrapping_add(1))>"↻"</button>
                    <button type="button" class="primary" on:click=move |_| share_open.set(Some(focused.get_untracked()))>"Share"</button>
                </div>
            </div>
            {move || {
                let problems = problems();
                (!problems.is_empty()).then(|| view! {
                    <div class="banner banner--warning" role="alert">
                        {problems.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    </div>
                })
            }}
            <div class="grid">
                <DashboardGrid panels=Arc::new(dashboard.panels.clone()) ctx=ctx focused=focused/>
            </div>
            <DashboardShare dashboard=dashboard.clone() open=share_open range_ms=range_ms selections=selections/>
        </div>
    }
}

/// The picker of one variable: a text box for a textbox, else a list of its options.
fn picker(
    variable: &Variable,
    state: variables::VariableState,
    selections: Memo<Option<view_state::Selections>>,
    set_params: impl Fn(Vec<(String, Vec<String>)>, bool) + Clone + Send + Sync + 'static,
) -> AnyView {
    let name = variable.name.clone();
    let label = if variable.label.is_empty() {
        variable.name.clone()
    } else {
        variable.label.clone()
    };
    let hide_label = variable.hide == VariableHide::Label;
    let selected_name = name.clone();
    let selected = Signal::derive(move || {
        selections
            .get()
            .and_then(|s| s.get(&selected_name).cloned())
            .unwrap_or(Selection::All)
    });
    if variable.kind == VariableKind::Textbox {
        // The typed text as it is (the selection is the same text).
        let raw = state.selection;
        let value = Signal::derive(move || match raw.get() {
            Some(Selection::Values(v)) => v.into_iter().next().unwrap_or_default(),
            _ => String::new(),
        });
        return view! {
            <VariableTextbox label=label value=value hide_label=hide_label
                on_change=Callback::new(move |text: String| {
                    set_params(vec![(format!("var-{name}"), vec![text])], false);
                })/>
        }
        .into_any();
    }
    // An interval's `auto` is shown as `auto`, not as the duration it became.
    let raw = state.selection;
    let shown = Signal::derive(move || raw.get().unwrap_or_else(|| selected.get()));
    let options = state.options;
    view! {
        <VariablePicker
            label=label
            options=Signal::derive(move || options.get().unwrap_or_default())
            selected=shown
            multi=variable.multi
            include_all=variable.include_all
            hide_label=hide_label
            on_change=Callback::new(move |s: Selection| {
                set_params(vec![(format!("var-{name}"), selection_to_url(&s))], false);
            })
        />
    }
    .into_any()
}
