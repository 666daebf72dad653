//! Alerts: the rules Prometheus evaluates, with their state, and the alerts now
//! pending or firing.

use crate::api_client::{alerts, rules};
use crate::fetch::use_fetch;
use crate::panel::{Panel, PanelStatus};
use leptos::prelude::*;
use std::time::Duration;
use vantage_api::rules::{AlertsData, RulesData};

fn badge(state: &str) -> &'static str {
    match state {
        "firing" => "badge badge--critical",
        "pending" => "badge badge--warning",
        "inactive" | "ok" => "badge badge--ok",
        _ => "badge",
    }
}

/// `/alerts`.
#[component]
pub fn AlertsPage() -> impl IntoView {
    let poll = RwSignal::new(0u32);
    let handle = set_interval_with_handle(
        move || poll.update(|n| *n = n.wrapping_add(1)),
        Duration::from_secs(15),
    );
    on_cleanup(move || {
        if let Ok(h) = handle {
            h.clear();
        }
    });
    let rules = use_fetch(
        move || Some(poll.get()),
        |_, s| async move { rules(&s).await },
    );
    let active = use_fetch(
        move || Some(poll.get()),
        |_, s| async move { alerts(&s).await },
    );
    view! {
        <main class="page">
            <div class="page__header"><h1>"Alerts"</h1></div>
            <div class="grid grid--flush">
                <div class="span-12">
                    <Panel title="Firing and pending" status=PanelStatus::of(active, |a: &AlertsData| a.alerts.is_empty())>
                        <table class="simple-table" aria-label="Active alerts">
                            <thead><tr><th>"Alert"</th><th>"State"</th><th>"Labels"</th><th>"Since"</th><th>"Summary"</th></tr></thead>
                            <tbody>
                                {move || active.data.get().map(|a| a.alerts.into_iter().map(|alert| {
                                    let name = alert.labels.get("alertname").cloned().unwrap_or_default();
                                    let labels = alert.labels.iter().filter(|(k, _)| *k != "alertname")
                                        .map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
                                    view! {
                                        <tr>
                                            <th scope="row">{name}</th>
                                            <td><span class=badge(&alert.state)>{alert.state.clone()}</span></td>
                                            <td class="mono">{labels}</td>
                                            <td>{alert.active_at.clone().unwrap_or_default()}</td>
                                            <td>{alert.annotations.get("summary").cloned().unwrap_or_default()}</td>
                                        </tr>
                                    }
                                }).collect_view())}
                            </tbody>
                        </table>
                    </Panel>
                </div>
                <div class="span-12">
                    <Panel title="Rules" status=PanelStatus::of(rules, |r: &RulesData| r.groups.is_empty())>
                        {move || rules.data.get().map(|r| r.groups.into_iter().map(|group| view! {
                            <section class="rule-group" aria-label=group.name.clone()>
                                <h3>{group.name.clone()}</h3>
                                <table class="simple-table">
                                    <thead><tr><th>"Rule"</th><th>"State"</th><th>"For"</th><th>"Expression"</th></tr></thead>
                                    <tbody>
                                        {group.rules.into_iter().map(|rule| {
                                            let state = rule.state.clone().unwrap_or_else(|| rule.health.clone());
                                            view! {
                                                <tr>
                                                    <th scope="row">{rule.name.clone()}</th>
                                                    <td><span class=badge(&state)>{state.clone()}</span>
                                                        {rule.last_error.clone().filter(|e| !e.is_empty()).map(|e| view! { <p class="field-error">{e}</p> })}</td>
                                                    <td>{rule.duration.map(|d| vantage_api::duration::format_duration_ms((d * 1000.0) as u64)).unwrap_or_default()}</td>
                                                    <td class="mono"><a href=format!("/explore?expr={}", js_sys::encode_uri_component(&rule.query))>{rule.query.clone()}</a></td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }).collect_view())}
                    </Panel>
                </div>
            </div>
        </main>
    }
}
