//! Circuit breakers: every agent's breaker now (streamed by the proxy's live hub, which
//! polls the backend once per interval for every viewer), their states over time (from
//! Prometheus), and a reset with a confirmation for admins.

use super::dashboard::{PanelView, provide_standalone_env};
use super::live::feed_status;
use super::time_context::use_page_time;
use crate::api_client::reset_breaker;
use crate::live::feed::use_live_feed;
use crate::panel::Panel;
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;
use vantage_api::live::CIRCUIT_BREAKERS;
use vantage_api::management::{CircuitBreakerEntry, CircuitBreakerState};

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
    let feed = use_live_feed::<CircuitBreakerEntry>(CIRCUIT_BREAKERS);
    let agents = Memo::new(move |_| {
        let mut keys: Vec<Arc<str>> = feed.rows.entries().into_iter().map(|(k, _)| k).collect();
        keys.sort();
        keys
    });
    let open_count = Memo::new(move |_| {
        feed.rows
            .entries()
            .iter()
            .filter(|(_, b)| b.state == CircuitBreakerState::Open)
            .count()
    });
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
            // The stream shows the new state at the hub's next poll.
        });
    };
    let is_admin = Signal::derive(move || session.get().is_some_and(|s| s.role == "admin"));
    // One keyed row per agent, each following its own row's signal.
    let row = move |agent: Arc<str>| {
        let Some(cell) = feed.rows.cell(&agent) else {
            return ().into_any();
        };
        let agent = agent.to_string();
        let ask = agent.clone();
        let state_cell = cell.clone();
        let class_cell = cell.clone();
        let state = move || state_cell.with(|c| c.row.state);
        let class = move || class_cell.with(|c| state_class(c.row.state));
        let field = move |f: fn(&CircuitBreakerEntry) -> String| {
            let cell = cell.clone();
            move || cell.with(|c| f(&c.row))
        };
        view! {
            <tr>
                <th scope="row">{agent.clone()}</th>
                <td><span class=class>{move || state_name(state())}</span></td>
                <td>{field(|b| b.since.clone())}</td>
                <td class="numeric">{field(|b| b.successes.to_string())}</td>
                <td class="numeric">{field(|b| b.failures.to_string())}</td>
                <td class="numeric">{field(|b| b.timeouts.to_string())}</td>
                <td>{move || is_admin.get().then(|| {
                    let ask = ask.clone();
                    view! { <button type="button" aria-label=format!("Reset {agent}") on:click=move |_| confirming.set(Some(ask.clone()))>"Reset"</button> }
                })}</td>
            </tr>
        }
        .into_any()
    };
    let each = move || agents.get();
    let key_of = |key: &Arc<str>| Arc::clone(key);
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
                    <Panel title="Breakers now" status=feed_status(feed)>
                        <p class="panel__note" data-mode=move || feed.mode.get().key()>
                            {move || format!("{} open · {}", open_count.get(), feed.mode.get().label())}
                        </p>
                        <table class="simple-table" aria-label="Circuit breakers">
                            <thead><tr><th>"Agent"</th><th>"State"</th><th>"Since"</th><th>"Successes"</th><th>"Failures"</th><th>"Timeouts"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody><For each=each key=key_of children=row/></tbody>
                        </table>
                    </Panel>
                </div>
                {state_panel.map(|p| view! { <PanelView panel=p/> })}
            </div>
            {move || confirming.get().map(|agent| {
                view! {
                    <ResetDialog agent=agent on_cancel=Callback::new(move |()| confirming.set(None))
                        on_confirm=Callback::new(move |agent: String| do_reset(agent))/>
                }
            })}
        </main>
    }
}

/// The confirmation before a reset; Cancel has the focus first, Escape cancels, and the
/// focus goes back to the row's Reset button.
#[component]
fn ResetDialog(
    agent: String,
    on_cancel: Callback<()>,
    on_confirm: Callback<String>,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Div>::new();
    let on_key = vantage_components::dialog_focus::use_dialog_focus(dialog, on_cancel);
    let confirm_agent = agent.clone();
    view! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="reset-title" node_ref=dialog on:keydown=on_key>
                <h2 id="reset-title">{format!("Reset the circuit breaker of {agent}?")}</h2>
                <p>"The breaker closes at once and lets every call through again. If the agent is still failing it will open again."</p>
                <div class="dialog__actions">
                    <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                    <button type="button" class="primary danger" on:click=move |_| on_confirm.run(confirm_agent.clone())>"Reset breaker"</button>
                </div>
            </div>
        </div>
    }
}
