//! Status: whether the proxy, its upstream and its backend answer, and what they are.

use crate::api_client::json;
use crate::fetch::use_fetch;
use leptos::prelude::*;

/// One check: a name, the proxy path it calls, and what a good answer looks like.
struct Check {
    name: &'static str,
    path: &'static str,
    healthy: fn(&serde_json::Value) -> bool,
    describe: fn(&serde_json::Value) -> String,
}

fn text(v: &serde_json::Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(|x| x.as_str())
        .unwrap_or_default()
        .to_owned()
}

const CHECKS: [Check; 4] = [
    Check {
        name: "Proxy",
        path: "/healthz",
        healthy: |v| text(v, "/status") == "ok",
        describe: |_| "serving the console".to_owned(),
    },
    Check {
        name: "Metrics upstream",
        path: "/api/metrics/health",
        healthy: |v| text(v, "/status") == "healthy",
        describe: |v| {
            let error = text(v, "/error");
            if error.is_empty() {
                text(v, "/status")
            } else {
                error
            }
        },
    },
    Check {
        name: "Upstream build",
        path: "/api/v1/status/buildinfo",
        healthy: |v| text(v, "/status") == "success",
        describe: |v| {
            format!(
                "version {} (revision {})",
                text(v, "/data/version"),
                text(v, "/data/revision")
            )
        },
    },
    Check {
        name: "Management backend",
        path: "/api/monitoring/health/metrics",
        healthy: |v| text(v, "/status") == "healthy",
        describe: |v| format!("metrics {}", text(v, "/status")),
    },
];

/// `/status`.
#[component]
pub fn StatusPage() -> impl IntoView {
    let rows = CHECKS
        .iter()
        .map(|check| {
            let fetched = use_fetch(|| Some(()), move |(), s| async move { json(check.path, &s).await });
            let state = move || match (fetched.data.get(), fetched.error.get()) {
                (Some(v), _) if (check.healthy)(&v) => ("badge badge--ok", "up".to_owned(), (check.describe)(&v)),
                (Some(v), _) => ("badge badge--warning", "degraded".to_owned(), (check.describe)(&v)),
                (None, Some(err)) => ("badge badge--critical", "down".to_owned(), err.to_string()),
                (None, None) => ("badge", "checking".to_owned(), String::new()),
            };
            view! {
                <tr>
                    <th scope="row">{check.name}</th>
                    <td>{move || { let (class, label, _) = state(); view! { <span class=class>{label}</span> } }}</td>
                    <td class="mono">{check.path}</td>
                    <td>{move || state().2}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <main class="page">
            <div class="page__header"><h1>"Status"</h1></div>
            <section class="panel">
                <table class="simple-table" aria-label="Health checks">
                    <thead><tr><th>"Component"</th><th>"State"</th><th>"Endpoint"</th><th>"Details"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        </main>
    }
}
