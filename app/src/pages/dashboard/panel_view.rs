//! One panel of a dashboard: plans and runs its queries, then draws them by kind.

use super::env::{DashboardEnv, PlannedQuery};
use super::links::LinkList;
use super::panel_data::{PanelData, QueryAnswer, base_options, build};
use super::view_state::selection_to_url;
use crate::api_client::{RequestLog, panel_data, query_instant, query_range};
use crate::fetch::use_fetch;
use crate::js_regex::regex_test;
use crate::panel::{Panel as PanelFrame, PanelStatus};
use futures::future::try_join_all;
use leptos::prelude::*;
use std::sync::Arc;
use vantage_api::dashboard::expand::{display_text, panel_queries};
use vantage_api::dashboard::timing::panel_wants_range;
use vantage_api::dashboard::{Panel, PanelKind, Threshold, ThresholdMode};
use vantage_api::step::RangePlan;
use vantage_components::bar_list::BarList;
use vantage_components::data_table::DataTable;
use vantage_components::gauge::{Gauge, bounds};
use vantage_components::heatmap::Heatmap;
use vantage_components::inspector::Inspector;
use vantage_components::markdown_text::MarkdownText;
use vantage_components::panel_menu::{MenuItem, PanelMenu};
use vantage_components::series::ChartSeries;
use vantage_components::sparkline::Sparkline;
use vantage_components::stat_value::StatValue;
use vantage_components::state_grid::StateGrid;
use vantage_components::time_series_chart::TimeSeriesChart;

/// How a panel gets its data: PromQL it expands itself, or the proxy's expansion.
#[derive(Clone, PartialEq)]
enum PanelRequest {
    /// Each query as it will run.
    Direct(Vec<PlannedQuery>),
    /// The dashboard's id, the `var-` parameters, the dashboard's range at the panel's
    /// step, and whether the panel's queries are instant unless they say otherwise.
    Server {
        dashboard: String,
        vars: Vec<(String, String)>,
        plan: RangePlan,
        instant: bool,
    },
}

/// Grid classes for a panel of `width` columns.
pub fn span_class(width: u8) -> String {
    format!("span-{}", width.clamp(1, 12))
}

/// Percentage thresholds as absolute values between `lo` and `hi`.
fn absolute_thresholds(panel: &Panel, lo: f64, hi: f64) -> Vec<Threshold> {
    match panel.threshold_mode {
        ThresholdMode::Absolute => panel.thresholds.clone(),
        ThresholdMode::Percentage => panel
            .thresholds
            .iter()
            .map(|t| Threshold {
                value: lo + (hi - lo) * t.value / 100.0,
                ..t.clone()
            })
            .collect(),
    }
}

/// The header's links and its menu of `items`, when there are any.
fn header_actions(panel: &Panel, title: Signal<String>, items: Vec<MenuItem>) -> ChildrenFn {
    let links = panel.links.clone();
    Arc::new(move || {
        let links = links.clone();
        let items = items.clone();
        view! {
            {(!links.is_empty()).then(|| view! { <LinkList links=links/> })}
            {(!items.is_empty()).then(|| view! { <PanelMenu title=title.get_untracked() items=items/> })}
        }
        .into_any()
    })
}

/// A dashboard panel, drawn from its definition.
#[component]
pub fn PanelView(
    /// The panel's definition.
    panel: Panel,
    /// The header menu's entries besides Inspect (View, Explore, Share).
    #[prop(optional)]
    menu: Vec<MenuItem>,
) -> impl IntoView {
    let env = expect_context::<DashboardEnv>();
    let title = {
        let title = panel.title.clone();
        Signal::derive(move || match env.selections.get() {
            Some(chosen) => display_text(&title, &chosen),
            None => title.clone(),
        })
    };
    if panel.kind == PanelKind::LiveTable {
        // Streamed by the proxy's live hub, not queried.
        let actions = header_actions(&panel, title, menu);
        return view! { <crate::pages::live::LiveTablePanel panel=panel actions=actions/> }
            .into_any();
    }
    if matches!(panel.kind, PanelKind::Text | PanelKind::Placeholder) {
        let header_actions = header_actions(&panel, title, menu);
        let class = format!("{} panel--text", span_class(panel.width));
        let style = panel
            .height
            .map(|h| format!("--panel-height:{h}px"))
            .unwrap_or_default();
        let content = panel.content.clone().unwrap_or_default();
        let body: ChildrenFn = if panel.kind == PanelKind::Text {
            // Variables in the text show their values, as in titles.
            Arc::new(move || {
                let content = content.clone();
                (move || {
                    let source = match env.selections.get() {
                        Some(chosen) => display_text(&content, &chosen),
                        None => content.clone(),
                    };
                    view! { <MarkdownText source=source/> }
                })
                .into_any()
            })
        } else {
            Arc::new(move || {
                view! {
                    <p class="panel-placeholder" role="note">
                        <strong>"Not shown: "</strong>{content.clone()}
                    </p>
                }
                .into_any()
            })
        };
        return view! {
            <div class=class style=style data-panel=panel.id.clone()>
                <PanelFrame title=title description=panel.description.clone() status=PanelStatus::ready() actions=header_actions>
                    {let body = body.clone(); move || body()}
                </PanelFrame>
            </div>
        }
        .into_any();
    }
    let spec = Arc::new(panel);
    let key_spec = spec.clone();
    let key = move || {
        let selections = env.selections.get()?;
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
                let (start, end) = env.range_ms.get();
                let step = env.plan(&key_spec).0.step;
                PanelRequest::Server {
                    dashboard,
                    vars,
                    plan: RangePlan {
                        start: start as f64 / 1000.0,
                        end: end as f64 / 1000.0,
                        step,
                    },
                    instant: !panel_wants_range(&key_spec),
                }
            }
            None => PanelRequest::Direct(env.planned_queries(&key_spec, &selections)),
        };
        Some(request)
    };
    let build_spec = spec.clone();
    // The requests of the latest answer, for the inspector.
    let log: RequestLog = RwSignal::new(Vec::new());
    let fetched = use_fetch(key, move |request, signal| {
        let spec = build_spec.clone();
        log.set(Vec::new());
        let log = Some(log);
        async move {
            let queries = panel_queries(&spec);
            let raw: Vec<(Option<String>, Vec<vantage_api::matrix::Series>)> = match request {
                PanelRequest::Server {
                    dashboard,
                    vars,
                    plan,
                    instant,
                } => panel_data(&dashboard, &spec.id, plan, instant, &vars, &signal, log)
                    .await?
                    .into_iter()
                    .map(|a| (a.legend, a.data.into_series()))
                    .collect(),
                PanelRequest::Direct(planned) => {
                    let calls = planned.iter().map(|q| {
                        let signal = &signal;
                        async move {
                            if q.instant {
                                query_instant(&q.expr, q.plan.end, signal, log).await
                            } else {
                                query_range(&q.expr, q.plan, signal, log).await
                            }
                        }
                    });
                    let results = try_join_all(calls).await?;
                    planned
                        .into_iter()
                        .zip(results)
                        .map(|(q, series)| (q.legend, series))
                        .collect()
                }
            };
            let answers = raw
                .into_iter()
                .zip(queries)
                .map(|((legend, series), query)| QueryAnswer {
                    legend,
                    ref_id: query.ref_id,
                    format: query.format,
                    series,
                })
                .collect();
            Ok(build(&spec, answers, &regex_test))
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
    let header_actions = header_actions(&spec, title, items);
    view! {
        <div class=move || class.get() data-panel=spec.id.clone()>
            <PanelFrame title=title description=spec.description.clone() status=status actions=header_actions>
                {body.clone()}
            </PanelFrame>
            {move || inspecting.get().then(|| view! {
                <Inspector title=title.get_untracked() requests=log on_close=Callback::new(move |()| inspecting.set(false))/>
            })}
        </div>
    }
    .into_any()
}

/// The drawing for the panel's kind, fed from its data signal.
fn panel_body(spec: &Arc<Panel>, env: DashboardEnv, data: RwSignal<Option<PanelData>>) -> AnyView {
    let chart = move || match data.get() {
        Some(PanelData::Chart(series, _)) => series,
        _ => Arc::new(Vec::<ChartSeries>::new()),
    };
    let range = env.panel_chart_range(spec.clone());
    let step = Signal::derive({
        let spec = spec.clone();
        move || {
            let chosen = env.selections.get().unwrap_or_default();
            env.planned_queries(&spec, &chosen)
                .iter()
                .map(|q| q.plan.step)
                .fold(env.plan(&spec).0.step, f64::max)
        }
    });
    let label = spec.title.clone();
    let height = spec.height.unwrap_or(220);
    match spec.kind {
        PanelKind::Timeseries | PanelKind::Percentiles => {
            let base = base_options(spec);
            let options = Signal::derive(move || match data.get() {
                Some(PanelData::Chart(_, options)) => options.as_ref().clone(),
                _ => base.clone(),
            });
            view! {
                <TimeSeriesChart
                    series=Signal::derive(chart)
                    range=range
                    step=step
                    label=label
                    unit=spec.unit.clone()
                    height=height
                    thresholds=absolute_thresholds(spec, spec.min.unwrap_or(0.0), spec.max.unwrap_or(100.0))
                    threshold_style=spec.threshold_style
                    on_zoom=env.on_zoom
                    utc=env.utc
                    options=options
                    annotations=env.annotations
                    bands=env.alert_bands
                />
            }
            .into_any()
        }
        PanelKind::Heatmap => view! {
            <Heatmap series=Signal::derive(chart) range=range step=step unit=spec.unit.clone() label=label height=height utc=env.utc/>
        }
        .into_any(),
        PanelKind::StateGrid => view! {
            <StateGrid series=Signal::derive(chart) range=range step=step states=spec.states.clone() label=label utc=env.utc/>
        }
        .into_any(),
        PanelKind::Gauge => {
            let value = Signal::derive(move || match data.get() {
                Some(PanelData::Stat { value, .. }) => value,
                _ => None,
            });
            let spec = spec.clone();
            (move || {
                let v = value.get();
                let (lo, hi) = bounds(v, spec.min, spec.max, &spec.thresholds, &spec.unit);
                let (lo, hi) = if spec.threshold_mode == ThresholdMode::Percentage {
                    (spec.min.unwrap_or(lo), spec.max.unwrap_or(hi))
                } else {
                    (lo, hi)
                };
                view! {
                    <Gauge value=value min=lo max=hi thresholds=absolute_thresholds(&spec, lo, hi)
                        direction=spec.direction unit=spec.unit.clone() decimals=spec.decimals
                        mappings=spec.mappings.clone() label=spec.title.clone() height=spec.height.unwrap_or(180)/>
                }
            })
            .into_any()
        }
        PanelKind::Stat => {
            let value = Signal::derive(move || match data.get() {
                Some(PanelData::Stat { value, .. }) => value,
                _ => None,
            });
            let sparkline = Signal::derive(move || match data.get() {
                Some(PanelData::Stat { sparkline, .. }) => sparkline,
                _ => Arc::new(Vec::new()),
            });
            view! {
                <StatValue value=value unit=spec.unit.clone()
                    thresholds=absolute_thresholds(spec, spec.min.unwrap_or(0.0), spec.max.unwrap_or(100.0))
                    direction=spec.direction decimals=spec.decimals mappings=spec.mappings.clone()/>
                {spec.sparkline.then(|| view! { <Sparkline series=sparkline range=range/> })}
            }
            .into_any()
        }
        PanelKind::Bar => {
            let items = Signal::derive(move || match data.get() {
                Some(PanelData::Bars(bars)) => bars,
                _ => Vec::new(),
            });
            let thresholds =
                absolute_thresholds(spec, spec.min.unwrap_or(0.0), spec.max.unwrap_or(100.0));
            view! { <BarList items=items unit=spec.unit.clone() label=label thresholds=thresholds direction=spec.direction/> }.into_any()
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
