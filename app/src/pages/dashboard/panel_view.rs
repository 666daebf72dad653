//! One panel of a dashboard: plans and runs its queries, then draws them by kind.

use super::env::DashboardEnv;
use super::panel_data::{PanelData, QueryAnswer, build};
use super::view_state::selection_to_url;
use crate::api_client::{RequestLog, panel_data, query_instant, query_range};
use crate::fetch::use_fetch;
use crate::panel::{Panel as PanelFrame, PanelStatus};
use futures::future::try_join_all;
use leptos::prelude::*;
use std::sync::Arc;
use vantage_api::dashboard::expand::{panel_queries, substitute};
use vantage_api::dashboard::{Panel, PanelKind};
use vantage_components::bar_list::BarList;
use vantage_components::data_table::DataTable;
use vantage_components::heatmap::Heatmap;
use vantage_components::inspector::Inspector;
use vantage_components::panel_menu::{MenuItem, PanelMenu};
use vantage_components::series::ChartSeries;
use vantage_components::sparkline::Sparkline;
use vantage_components::stat_value::StatValue;
use vantage_components::state_grid::StateGrid;
use vantage_components::time_series_chart::TimeSeriesChart;

/// How a panel gets its data: PromQL it expands itself, or the proxy's expansion.
#[derive(Clone, PartialEq)]
enum PanelRequest {
    /// `(expanded PromQL, legend template)` per query.
    Direct(Vec<(String, Option<String>)>),
    /// The dashboard's id and the `var-` parameters.
    Server {
        dashboard: String,
        vars: Vec<(String, String)>,
    },
}

/// Grid classes for a panel of `width` columns.
fn span_class(width: u8) -> String {
    format!("span-{}", width.clamp(1, 12))
}

/// The header's menu of `items`, when there are any.
fn menu_actions(title: &str, items: Vec<MenuItem>) -> ChildrenFn {
    let title = title.to_owned();
    Arc::new(move || {
        if items.is_empty() {
            ().into_any()
        } else {
            view! { <PanelMenu title=title.clone() items=items.clone()/> }.into_any()
        }
    })
}

/// A dashboard panel, drawn from its definition.
#[component]
pub fn PanelView(
    /// The panel's definition.
    panel: Panel,
    /// The page's items of the panel's menu (view, explore, share); queried panels add
    /// Inspect.
    #[prop(optional)]
    menu: Vec<MenuItem>,
) -> impl IntoView {
    if panel.kind == PanelKind::Row {
        return view! { <h2 class="grid-row span-12" id=format!("row-{}", panel.id)>{panel.title}</h2> }.into_any();
    }
    if matches!(panel.kind, PanelKind::Text | PanelKind::Placeholder) {
        // Shown as plain text until these kinds get their own rendering.
        let class = format!("{} panel--text", span_class(panel.width));
        return view! {
            <div class=class data-panel=panel.id.clone()>
                <PanelFrame title=panel.title.clone() description=panel.description.clone() status=PanelStatus::ready() actions=menu_actions(&panel.title, menu)>
                    <p class="panel-text">{panel.content.clone().unwrap_or_default()}</p>
                </PanelFrame>
            </div>
        }
        .into_any();
    }
    if panel.kind == PanelKind::LiveTable {
        // Streamed by the proxy's live hub, not queried.
        let actions = menu_actions(&panel.title, menu);
        return view! { <crate::pages::live::LiveTablePanel panel=panel actions=actions/> }
            .into_any();
    }
    let env = expect_context::<DashboardEnv>();
    let spec = Arc::new(panel);
    let uses_range = spec.is_range() || (spec.kind == PanelKind::Stat && spec.sparkline);
    let key_spec = spec.clone();
    let key = move || {
        let selections = env.selections.get()?;
        let (plan, intervals) = env.plan(&key_spec);
        let request = match env.server_side.get_value() {
            // The proxy expands the queries: send the variables, not PromQL.
            Some(dashboard) => {
                let vars: Vec<(String, String)> = selections
                    .iter()
                    .flat_map(|(name, s)| {
                        selection_to_url(s)
                            .into_iter()
                            .map(move |v| (format!("var-{name}"), v))
                    })
                    .collect();
                PanelRequest::Server { dashboard, vars }
            }
            None => PanelRequest::Direct(
                panel_queries(&key_spec)
                    .into_iter()
                    .map(|q| (substitute(&q.expr, &selections, intervals), q.legend))
                    .collect(),
            ),
        };
        Some((request, plan))
    };
    let build_spec = spec.clone();
    // The requests of the latest answer, for the inspector.
    let log: RequestLog = RwSignal::new(Vec::new());
    let fetched = use_fetch(key, move |(request, plan), signal| {
        let spec = build_spec.clone();
        log.set(Vec::new());
        let log = Some(log);
        async move {
            let answers = match request {
                PanelRequest::Server { dashboard, vars } => {
                    panel_data(&dashboard, &spec.id, plan, !uses_range, &vars, &signal, log)
                        .await?
                        .into_iter()
                        .map(|a| QueryAnswer {
                            legend: a.legend,
                            series: a.data.into_series(),
                        })
                        .collect()
                }
                PanelRequest::Direct(queries) => {
                    let calls = queries.iter().map(|(expr, _)| {
                        let signal = &signal;
                        async move {
                            if uses_range {
                                query_range(expr, plan, signal, log).await
                            } else {
                                query_instant(expr, plan.end, signal, log).await
                            }
                        }
                    });
                    let results = try_join_all(calls).await?;
                    queries
                        .into_iter()
                        .zip(results)
                        .map(|((_, legend), series)| QueryAnswer { legend, series })
                        .collect()
                }
            };
            Ok(build(&spec, answers))
        }
    });
    let status = PanelStatus::of(fetched, PanelData::is_empty);
    let class = Signal::derive({
        let id = spec.id.clone();
        let width = spec.width;
        move || {
            if env.focused.get().as_deref() == Some(id.as_str()) {
                "span-12 panel--focused".to_owned()
            } else {
                span_class(width)
            }
        }
    });
    let body_spec = spec.clone();
    let body = move || panel_body(&body_spec, env, fetched.data);
    let inspecting = RwSignal::new(false);
    let mut items = menu;
    items.push(MenuItem::run("Inspect", move || inspecting.set(true)));
    let inspected = spec.title.clone();
    view! {
        <div class=move || class.get() data-panel=spec.id.clone()>
            <PanelFrame title=spec.title.clone() description=spec.description.clone() status=status actions=menu_actions(&spec.title, items)>
                {body.clone()}
            </PanelFrame>
            {move || inspecting.get().then(|| view! {
                <Inspector title=inspected.clone() requests=log on_close=Callback::new(move |()| inspecting.set(false))/>
            })}
        </div>
    }
    .into_any()
}

/// The drawing for the panel's kind, fed from its data signal.
fn panel_body(spec: &Arc<Panel>, env: DashboardEnv, data: RwSignal<Option<PanelData>>) -> AnyView {
    let chart = move || match data.get() {
        Some(PanelData::Chart(series)) => series,
        _ => Arc::new(Vec::<ChartSeries>::new()),
    };
    let range = env.chart_range();
    let step = Signal::derive({
        let spec = spec.clone();
        move || env.plan(&spec).0.step
    });
    let label = spec.title.clone();
    let height = spec.height.unwrap_or(220);
    match spec.kind {
        PanelKind::Timeseries | PanelKind::Percentiles => view! {
            <TimeSeriesChart
                series=Signal::derive(chart)
                range=range
                step=step
                label=label
                unit=spec.unit.clone()
                height=height
                thresholds=spec.thresholds.clone()
                threshold_style=spec.threshold_style
                on_zoom=env.on_zoom
                utc=env.utc
                bands=env.alert_bands
            />
        }
        .into_any(),
        PanelKind::Heatmap => view! {
            <Heatmap series=Signal::derive(chart) range=range step=step unit=spec.unit.clone() label=label height=height utc=env.utc/>
        }
        .into_any(),
        PanelKind::StateGrid => view! {
            <StateGrid series=Signal::derive(chart) range=range step=step states=spec.states.clone() label=label utc=env.utc/>
        }
        .into_any(),
        PanelKind::Stat | PanelKind::Gauge => {
            let value = Signal::derive(move || match data.get() {
                Some(PanelData::Stat { value, .. }) => value,
                _ => None,
            });
            let sparkline = Signal::derive(move || match data.get() {
                Some(PanelData::Stat { sparkline, .. }) => sparkline,
                _ => Arc::new(Vec::new()),
            });
            view! {
                <StatValue value=value unit=spec.unit.clone() thresholds=spec.thresholds.clone() direction=spec.direction/>
                {spec.sparkline.then(|| view! { <Sparkline series=sparkline range=range/> })}
            }
            .into_any()
        }
        PanelKind::Bar => {
            let items = Signal::derive(move || match data.get() {
                Some(PanelData::Bars(bars)) => bars,
                _ => Vec::new(),
            });
            view! { <BarList items=items unit=spec.unit.clone() label=label/> }.into_any()
        }
        PanelKind::Table => {
            let columns = Signal::derive(move || match data.get() {
                Some(PanelData::Table { columns, .. }) => columns,
                _ => Vec::new(),
            });
            let rows = Signal::derive(move || match data.get() {
                Some(PanelData::Table { rows, .. }) => rows,
                _ => Vec::new(),
            });
            let sort = if spec.label.is_some() { (1, true) } else { (0, false) };
            view! { <DataTable columns=columns rows=rows label=label sort=sort/> }.into_any()
        }
        // Not queried: handled before the panel asks for data.
        PanelKind::Row | PanelKind::LiveTable | PanelKind::Text | PanelKind::Placeholder => {
            ().into_any()
        }
    }
}
