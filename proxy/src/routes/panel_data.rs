//! `GET /api/dashboards/{id}/panels/{panel}/data`: the proxy expands one panel's
//! queries itself — variables from the URL, locked values from an embed link, defaults
//! from the dashboard — and answers every query's Prometheus `data` with its legend.
//! This is the only data an embed link can reach: no PromQL comes from the caller.
//! `start`/`end` are the dashboard's range and `step` the panel's planned step; the
//! panel's own range, each query's step and whether it is instant follow the panel's
//! and the query's settings, as the console plans them.

use crate::auth::Principal;
use crate::cache::CacheUse;
use crate::error::ProxyError;
use crate::params::Params;
use crate::params::prometheus as check;
use crate::pipeline;
use crate::routes::prometheus::{answer_range, limits};
use crate::state::AppState;
use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use vantage_api::dashboard::expand::{Selection, panel_queries, substitute_with_all_values};
use vantage_api::dashboard::timing::{intervals, panel_range_ms, query_plan, resolve_duration_ms};
use vantage_api::dashboard::variables::resolve_auto;
use vantage_api::dashboard::{Dashboard, PanelKind};

/// The `var-` value that means "All".
const ALL: &str = "$__all";

#[derive(Serialize)]
struct Answer<'a> {
    legend: Option<&'a str>,
    data: &'a RawValue,
}

pub async fn panel_data(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, panel_id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, ProxyError> {
    let (parts, body) = request.into_parts();
    let params = Params::from_request(
        parts.uri.query(),
        &parts.headers,
        body,
        state.config.max_request_body,
    )
    .await?;
    let dashboard = super::dashboards::find(&state, &id)?;
    let panel = dashboard
        .panels
        .iter()
        .find(|p| p.id == panel_id)
        .filter(|p| p.kind != PanelKind::Row)
        .ok_or_else(|| {
            ProxyError::NotFound(format!(
                "the dashboard {id:?} has no panel {:?}",
                truncate(&panel_id)
            ))
        })?;

    let start = required(&params, "start")?;
    let end = required(&params, "end")?;
    let step = required(&params, "step")?;
    let instant = params
        .one("instant")?
        .is_some_and(|v| v == "true" || v == "1");
    let start_s = crate::params::time::parse_time("start", start)?;
    let end_s = crate::params::time::parse_time("end", end)?;
    let step_s = crate::params::time::parse_duration("step", step)?;
    let selections = selections(&state, &principal, &dashboard, &params, (start_s, end_s)).await?;
    let all_values = vantage_api::dashboard::variables::all_values(&dashboard.variables);
    let resolve = |text: &str| resolve_duration_ms(text, &selections);
    let range_ms = ((start_s * 1000.0) as i64, (end_s * 1000.0) as i64);
    let panel_range = panel_range_ms(range_ms, panel, &resolve);

    let mut bodies = Vec::new();
    for query in panel_queries(panel) {
        let plan = query_plan(panel_range, step_s, panel, &query, &resolve);
        let macros = intervals(&plan, dashboard.scrape_interval);
        let expr = substitute_with_all_values(&query.expr, &selections, macros, &all_values);
        let is_instant = query.instant.unwrap_or(instant);
        let pairs: Vec<(String, String)> = if is_instant {
            vec![
                ("query".into(), expr),
                ("time".into(), (panel_range.1 as f64 / 1000.0).to_string()),
            ]
        } else {
            vec![
                ("query".into(), expr),
                ("start".into(), plan.start.to_string()),
                ("end".into(), plan.end.to_string()),
                ("step".into(), plan.step.to_string()),
            ]
        };
        let upstream_params = Params::from_pairs(pairs);
        let limits = limits(&state);
        let (status, bytes) = if is_instant {
            let call = check::query(&upstream_params, &limits)?;
            pipeline::fetch_complete(&state, &state.upstream, call).await?
        } else {
            let call = check::query_range(&upstream_params, &limits)?;
            let usage = CacheUse {
                read: true,
                store: true,
            };
            let response = answer_range(&state, call, usage, limits.now_s).await?;
            let status = response.status();
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .map_err(|e| ProxyError::Unavailable(format!("reading the upstream answer: {e}")))?
                .to_bytes();
            (status, body)
        };
        if !status.is_success() {
            // The upstream's own error envelope, as it is.
            return Ok((
                status,
                [(header::CONTENT_TYPE, "application/json")],
                Body::from(bytes),
            )
                .into_response());
        }
        bodies.push((query.legend, bytes));
    }

    let mut answers = Vec::with_capacity(bodies.len());
    let parsed: Vec<(Option<String>, Envelope)> = bodies
        .into_iter()
        .map(|(legend, bytes)| {
            serde_json::from_slice::<Envelope>(&bytes)
                .map(|e| (legend, e))
                .map_err(|e| {
                    ProxyError::BadUpstreamAnswer(format!(
                        "the upstream's answer is not a Prometheus answer: {e}"
                    ))
                })
        })
        .collect::<Result<_, _>>()?;
    for (legend, envelope) in &parsed {
        answers.push(Answer {
            legend: legend.as_deref(),
            data: &envelope.data,
        });
    }
    let body = serde_json::json!({ "status": "success", "data": answers });
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

/// The part of an upstream answer this route keeps.
#[derive(serde::Deserialize)]
struct Envelope {
    data: Box<RawValue>,
}

fn required<'a>(params: &'a Params, name: &str) -> Result<&'a str, ProxyError> {
    params
        .one(name)?
        .ok_or_else(|| ProxyError::BadData(format!("invalid parameter {name:?}: missing")))
}

fn truncate(text: &str) -> String {
    text.chars().take(100).collect()
}

/// Each variable's selection: locked by the embed link, else from the URL, else the
/// dashboard's default (see [`super::panel_variables::default_selection`]); an
/// interval's `auto` becomes its duration over the range.
async fn selections(
    state: &AppState,
    principal: &Principal,
    dashboard: &Dashboard,
    params: &Params,
    range: (f64, f64),
) -> Result<BTreeMap<String, Selection>, ProxyError> {
    let known: Vec<String> = dashboard
        .variables
        .iter()
        .map(|v| format!("var-{}", v.name))
        .collect();
    if let Some(unknown) = params
        .unknown(&[])
        .find(|n| n.starts_with("var-") && !known.iter().any(|k| k == n))
    {
        return Err(ProxyError::BadData(format!(
            "the dashboard {:?} has no variable {:?}",
            dashboard.id,
            &unknown[4..]
        )));
    }
    let range_ms = ((range.1 - range.0).max(1.0) * 1000.0) as u64;
    let mut out = BTreeMap::new();
    for variable in &dashboard.variables {
        let from_url: Vec<String> = params
            .all(&format!("var-{}", variable.name))
            .map(str::to_owned)
            .collect();
        let locked = principal
            .embed
            .as_ref()
            .and_then(|scope| scope.vars.get(&variable.name).cloned());
        if let (Some(scope), false) = (&principal.embed, from_url.is_empty()) {
            scope.check_override(&variable.name, &from_url)?;
        }
        let values = locked.unwrap_or(from_url);
        let selection = if values.iter().any(|v| v == ALL) {
            Selection::All
        } else if !values.is_empty() {
            Selection::Values(values)
        } else {
            super::panel_variables::default_selection(state, variable, range, &out).await
        };
        out.insert(
            variable.name.clone(),
            resolve_auto(variable, selection, range_ms),
        );
    }
    Ok(out)
}
