//! Seed 000's cost attribution dashboard: total cost, cost by repository and by user,
//! the top 10 repositories, and cost over the selected range.

mod queries;
mod rows;

use crate::api_client::{query_instant, query_range};
use crate::fetch::{Fetched, use_fetch};
use crate::panel::{Panel, PanelStatus};
use crate::url_state::{now_ms, use_set_params, use_url_time};
use leptos::html::Main;
use leptos::prelude::*;
use std::sync::Arc;
use vantage_api::duration::format_duration_ms;
use vantage_api::matrix::Series;
use vantage_api::step::{RangePlan, plan_range, rate_interval};
use vantage_api::time_range::TimeExpr;
use vantage_api::unit::Unit;
use vantage_components::bar_list::BarList;
use vantage_components::data_table::{Column, DataTable};
use vantage_components::stat_value::StatValue;
use vantage_components::time_range_picker::TimeRangePicker;
use vantage_components::time_series_chart::TimeSeriesChart;

/// The demo and the seeds scrape every 5 s to 15 s; steps never go below this.
const SCRAPE_INTERVAL_S: f64 = 5.0;

type Results = Arc<Vec<Series>>;

/// The cost attribution dashboard.
#[component]
pub fn CostAttribution() -> impl IntoView {
    let time = use_url_time("now-24h");
    let set_params = use_set_params();
    let refresh = RwSignal::new(0u32);
    let main = NodeRef::<Main>::new();
    let width = RwSignal::new(1200u32);
    let measure = move || {
        if let Some(el) = main.get_untracked() {
            width.set((el.client_width() - 48).max(200) as u32);
        }
    };
    Effect::new(move |_| {
        if main.get().is_some() {
            measure();
        }
    });
    let handle = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || handle.remove());

    let resolved = Memo::new(move |_| {
        refresh.track();
        time.with(|t| t.range.resolve(now_ms()))
    });
    let plan = Memo::new(move |_| {
        let (start, end) = resolved.get();
        plan_range(start, end, width.get(), SCRAPE_INTERVAL_S)
    });
    // The window of "over the selected range" queries, whole seconds.
    let window = Memo::new(move |_| {
        let (start, end) = resolved.get();
        format_duration_ms((((end - start) / 1000).max(1) * 1000) as u64)
    });
    let instant = move |make: Box<dyn Fn(&str) -> String>| -> Fetched<Results> {
        use_fetch(
            move || Some((make(&window.get()), plan.get().end)),
            |(query, at): (String, f64), signal| async move {
                query_instant(&query, at, &signal).await.map(Arc::new)
            },
        )
    };
    let ranged = move |make: Box<dyn Fn(RangePlan) -> String>| -> Fetched<Results> {
        use_fetch(
            move || {
                let p = plan.get();
                Some((make(p), p))
            },
            |(query, p): (String, RangePlan), signal| async move {
                query_range(&query, p, &signal).await.map(Arc::new)
            },
        )
    };

    let total_all = instant(Box::new(|_| queries::total_all_time()));
    let total_range = instant(Box::new(queries::total_in_range));
    let repo_range = instant(Box::new(|w| queries::by_label_in_range("repository", w)));
    let repo_all = instant(Box::new(|_| queries::by_label_all_time("repository")));
    let user_range = instant(Box::new(|w| queries::by_label_in_range("user", w)));
    let user_all = instant(Box::new(|_| queries::by_label_all_time("user")));
    let top = instant(Box::new(queries::top_repositories));
    let hourly = ranged(Box::new(|p| {
        let window = format_duration_ms((rate_interval(p.step, SCRAPE_INTERVAL_S) * 1000.0) as u64);
        queries::hourly_rate_by_repository(&window)
    }));
    let trailing = ranged(Box::new(|_| queries::trailing_hour()));

    let chart_range = Signal::derive(move || {
        let (start, end) = resolved.get();
        (start as f64 / 1000.0, end as f64 / 1000.0)
    });
    let step = Signal::derive(move || plan.get().step);
    let set_zoom = set_params.clone();
    let on_zoom = Callback::new(move |(from, to): (f64, f64)| {
        set_zoom(&[
            ("from", ((from * 1000.0) as i64).to_string()),
            ("to", ((to * 1000.0) as i64).to_string()),
        ]);
    });
    let on_range = Callback::new(move |from: String| {
        set_params(&[("from", from), ("to", "now".to_owned())]);
    });
    let current_quick = Signal::derive(move || {
        time.with(|t| (t.range.to == TimeExpr::Relative(0)).then(|| t.range.from.to_string()))
    });

    let last = |f: Fetched<Results>| {
        Signal::derive(move || f.data.get().and_then(|d| d.first().and_then(Series::last)))
    };
    let series_of = |f: Fetched<Results>| Signal::derive(move || f.data.get().unwrap_or_default());
    let table = |label: &'static str, range: Fetched<Results>, all: Fetched<Results>| {
        Signal::derive(move || {
            let range = range.data.get().unwrap_or_default();
            let all = all.data.get().unwrap_or_default();
            rows::merge_by_label(label, &[&range, &all])
        })
    };
    let cost_columns = |first: &str| {
        vec![
            Column {
                header: first.to_owned(),
                unit: None,
            },
            Column {
                header: "Cost in range".to_owned(),
                unit: Some(Unit::Usd),
            },
            Column {
                header: "Cost since start".to_owned(),
                unit: Some(Unit::Usd),
            },
        ]
    };
    let top_items =
        Signal::derive(move || rows::bar_items("repository", &top.data.get().unwrap_or_default()));

    view! {
        <div class="layout">
            <header class="topbar">
                <a class="brand" href="/">"Vantage"</a>
                <h1>"Cost attribution"</h1>
                <div class="topbar__tools">
                    <span class="topbar__range">{move || time.with(|t| t.range.label())}</span>
                    <TimeRangePicker current=current_quick on_change=on_range/>
                    <button type="button" on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button>
                </div>
            </header>
            {move || time.get().problem.map(|p| view! { <p class="banner banner--warning" role="alert">{p}</p> })}
            <main class="grid" node_ref=main>
                <Panel title="Total cost" status=PanelStatus::of(total_all) class="span-3">
                    <StatValue value=last(total_all) unit=Unit::Usd/>
                    <p class="panel__note">"All time, every repository and user"</p>
                </Panel>
                <Panel title="Cost in range" status=PanelStatus::of(total_range) class="span-3">
                    <StatValue value=last(total_range) unit=Unit::Usd/>
                    <p class="panel__note">{move || format!("increase over {}", window.get())}</p>
                </Panel>
                <Panel title="Top 10 repositories" status=PanelStatus::of(top) class="span-6">
                    <BarList items=top_items unit=Unit::Usd label="Top 10 repositories by cost"/>
                </Panel>
                <Panel title="Cost per hour by repository" status=PanelStatus::of(hourly) class="span-12">
                    <TimeSeriesChart
                        series=series_of(hourly)
                        range=chart_range
                        step=step
                        unit=Unit::Usd
                        label="Cost per hour by repository"
                        on_zoom=on_zoom
                    />
                </Panel>
                <Panel title="Spend in the trailing hour" status=PanelStatus::of(trailing) class="span-12">
                    <TimeSeriesChart
                        series=series_of(trailing)
                        range=chart_range
                        step=step
                        unit=Unit::Usd
                        label="Spend in the trailing hour"
                        height=180
                        on_zoom=on_zoom
                    />
                </Panel>
                <Panel title="Cost by repository" status=PanelStatus::of(repo_range) class="span-6">
                    <DataTable columns=cost_columns("Repository") rows=table("repository", repo_range, repo_all)
                        label="Cost by repository" sort=(1, true)/>
                </Panel>
                <Panel title="Cost by user" status=PanelStatus::of(user_range) class="span-6">
                    <DataTable columns=cost_columns("User") rows=table("user", user_range, user_all)
                        label="Cost by user" sort=(1, true)/>
                </Panel>
            </main>
        </div>
    }
}
