//! The metrics catalog: what the orchestrator says it exports (summary and available
//! metrics by category) and what the AutoBot health check reports.

use crate::api_client::{available_metrics, metrics_health, metrics_summary};
use crate::fetch::use_fetch;
use crate::panel::{Panel, PanelStatus};
use leptos::prelude::*;
use vantage_api::management::{AvailableMetrics, MetricsHealth, MetricsSummary};

/// `/catalog`.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let summary = use_fetch(
        || Some(()),
        |(), s| async move { metrics_summary(&s).await },
    );
    let available = use_fetch(
        || Some(()),
        |(), s| async move { available_metrics(&s).await },
    );
    let health = use_fetch(|| Some(()), |(), s| async move { metrics_health(&s).await });
    let filter = RwSignal::new(String::new());
    view! {
        <main class="page">
            <div class="page__header"><h1>"Metrics catalog"</h1></div>
            <div class="grid grid--flush">
                <div class="span-4">
                    <Panel title="Summary" status=PanelStatus::of(summary, |_: &MetricsSummary| false)>
                        {move || summary.data.get().map(|s| view! {
                            <dl class="facts">
                                <dt>"Meters"</dt><dd>{s.total_metrics}</dd>
                                <dt>"Counters"</dt><dd>{s.metrics_by_type.counter}</dd>
                                <dt>"Gauges"</dt><dd>{s.metrics_by_type.gauge}</dd>
                                <dt>"Timers"</dt><dd>{s.metrics_by_type.timer}</dd>
                                <dt>"Distribution summaries"</dt><dd>{s.metrics_by_type.distribution_summary}</dd>
                                <dt>"Live WebSocket sessions"</dt><dd>{s.active_web_socket_connections}</dd>
                            </dl>
                        })}
                    </Panel>
                </div>
                <div class="span-8">
                    <Panel title="Available metrics" status=PanelStatus::of(available, |a: &AvailableMetrics| a.categories.is_empty())>
                        <input type="search" placeholder="Filter metrics" aria-label="Filter metrics"
                            prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/>
                        {move || available.data.get().map(|a| {
                            let needle = filter.get().to_lowercase();
                            a.categories.into_iter().map(|(category, names)| {
                                let names: Vec<String> = names.into_iter().filter(|n| n.to_lowercase().contains(&needle)).collect();
                                (!names.is_empty()).then(|| view! {
                                    <section class="catalog-category" aria-label=category.clone()>
                                        <h3>{category.clone()}</h3>
                                        <ul class="mono">
                                            {names.into_iter().map(|n| {
                                                let promql = n.replace('.', "_");
                                                view! { <li><a href=format!("/explore?expr={}", js_sys::encode_uri_component(&promql))>{n}</a></li> }
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                })
                            }).collect_view()
                        })}
                    </Panel>
                </div>
                <div class="span-12">
                    <Panel title="AutoBot metrics health" status=PanelStatus::of(health, |_: &MetricsHealth| false)>
                        {move || health.data.get().map(|h| view! {
                            <p>
                                <span class=if h.status == "healthy" { "badge badge--ok" } else { "badge badge--warning" }>{h.status.clone()}</span>
                                {format!(" collection {} · checked {}", if h.metrics_enabled { "enabled" } else { "disabled" }, h.timestamp)}
                            </p>
                            <ul class="tags">{h.categories.into_iter().map(|c| view! { <li class="tag">{c}</li> }).collect_view()}</ul>
                        })}
                    </Panel>
                </div>
            </div>
        </main>
    }
}
