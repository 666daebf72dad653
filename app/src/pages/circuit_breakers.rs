//! Circuit breakers: every agent's breaker now (from the backend), their states over
//! time (from Prometheus), and a reset with a confirmation for admins.

use super::dashboard::{PanelView, provide_standalone_env};
use super::time_context::use_page_time;
use crate::api_client::{circuit_breakers, reset_breaker};
use crate::fetch::use_fetch;
use crate::panel::{Panel, PanelStatus};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use vantage_api::management::{CircuitBreakerState, CircuitBreakers};

fn state_class(state: CircuitBreakerState) -> &'static str {
    match state {
        CircuitBreakerState::Closed => "badge badge--ok",
        CircuitBreakerState::Open => "badge badge--critical",
        CircuitBreakerState::HalfOpen => "badge badge--warning",
    }
}

fn state_name(state: CircuitBreakerState) -> &'static str {
    match state {
        CircuitBreakerState::Closed => "CLOSED",
        CircuitBreakerState::Open => "OPEN",
        CircuitBreakerState::HalfOpen => "HALF_OPEN",
    }
}

/// `/circuit-breakers`.
#[component]
pub fn CircuitBreakersPage() -> impl IntoView {
    let time = use_page_time("now-1h");
    provide_standalone_env(time.range_ms, time.utc, time.on_zoom);
    let session = use_session();
    let poll = RwSignal::new(0u32);
    let handle = set_interval_with_handle(
        move || poll.update(|n| *n = n.wrapping_add(1)),
        Duration::from_secs(5),
    );
    on_cleanup(move || {
        if let Ok(h) = handle {
            h.clear();
        }
    });
    let breakers = use_fetch(
        move || Some(poll.get()),
        |_, signal| async move { circuit_breakers(&signal).await },
    );
    let confirming = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<(bool, String)>);
    let do_reset = move |agent: String| {
        confirming.set(None);
        spawn_local(async move {
            let Ok(controller) = web_sys::AbortController::new() else {
                return;
            };
            match reset_breaker(&agent, &controller.signal()).await {
                Ok(entry) => outcome.set(Some((
                    true,
                    format!(
                        "{} was reset; it is now {}.",
                        entry.agent,
                        state_name(entry.state)
                    ),
                ))),
                Err(err) => outcome.set(Some((false, format!("Reset of {agent} failed: {err}")))),
            }
            poll.update(|n| *n = n.wrapping_add(1));
        });
    };
    let is_admin = Signal::derive(move || session.get().is_some_and(|s| s.role == "admin"));
    let rows = move || {
        let data: Option<CircuitBreakers> = breakers.data.get();
        data.map(|d| d.circuit_breakers).unwrap_or_default().into_iter().map(|b| {
            let agent = b.agent.clone();
            let ask = agent.clone();
            view! {
                <tr>
                    <th scope="row">{b.agent.clone()}</th>
                    <td><span class=state_class(b.state)>{state_name(b.state)}</span></td>
                    <td>{b.since.clone()}</td>
                    <td class="numeric">{b.successes}</td>
                    <td class="numeric">{b.failures}</td>
                    <td class="numeric">{b.timeouts}</td>
                    <td>{move || is_admin.get().then(|| {
                        let ask = ask.clone();
                        view! { <button type="button" aria-label=format!("Reset {agent}") on:click=move |_| confirming.set(Some(ask.clone()))>"Reset"</button> }
                    })}</td>
                </tr>
            }
        }).collect_view()
    };
    let state_panel: Option<vantage_api::dashboard::Panel> = serde_json::from_value(serde_json::json!({
        "id": "breaker-states", "title": "States over time", "type": "state_grid", "width": 12,
        "query": "max by (agent) (orchestrator_graft_circuit_breaker_state)", "legend": "{{agent}}",
        "states": [
            { "value": 0, "name": "CLOSED", "level": "ok" },
            { "value": 1, "name": "OPEN", "level": "critical" },
            { "value": 2, "name": "HALF_OPEN", "level": "warning" }
        ]
    }))
    .ok();
    view! {
        <main class="page">
            <div class="page__header"><h1>"Circuit breakers"</h1></div>
            {move || time.problem.get().map(|p| view! { <p class="banner banner--warning" role="alert">{p}</p> })}
            {move || outcome.get().map(|(ok, message)| view! {
                <p class=if ok { "banner banner--ok" } else { "banner banner--warning" } role="status">{message}</p>
            })}
            <div class="grid grid--flush">
                <div class="span-12">
                    <Panel title="Breakers now" status=PanelStatus::of(breakers, |b: &CircuitBreakers| b.circuit_breakers.is_empty())>
                        <p class="panel__note">{move || breakers.data.get().map(|d| format!("{} open", d.open_count))}</p>
                        <table class="simple-table" aria-label="Circuit breakers">
                            <thead><tr><th>"Agent"</th><th>"State"</th><th>"Since"</th><th>"Successes"</th><th>"Failures"</th><th>"Timeouts"</th><th></th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </Panel>
                </div>
                {state_panel.map(|p| view! { <PanelView panel=p/> })}
            </div>
            {move || confirming.get().map(|agent| {
                let confirm_agent = agent.clone();
                view! {
                    <div class="dialog-backdrop">
                        <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="reset-title">
                            <h2 id="reset-title">{format!("Reset the circuit breaker of {agent}?")}</h2>
                            <p>"The breaker closes at once and lets every call through again. If the agent is still failing it will open again."</p>
                            <div class="dialog__actions">
                                <button type="button" on:click=move |_| confirming.set(None)>"Cancel"</button>
                                <button type="button" class="primary danger" on:click=move |_| do_reset(confirm_agent.clone())>"Reset breaker"</button>
                            </div>
                        </div>
                    </div>
                }
            })}
        </main>
    }
}
