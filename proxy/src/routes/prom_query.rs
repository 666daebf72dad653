//! `/api/v1/query_range` and `/api/v1/query`, GET or POST, forwarded to the upstream.

use crate::AppState;
use crate::error::ProxyError;
use crate::forward::{self, Target};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::Response;

pub async fn query_range(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, ProxyError> {
    let params = collect_params(query.as_deref(), &body)?;
    require(&params, &["query", "start", "end", "step"])?;
    upstream_query(&state, "api/v1/query_range", &params).await
}

pub async fn query(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, ProxyError> {
    let params = collect_params(query.as_deref(), &body)?;
    require(&params, &["query"])?;
    upstream_query(&state, "api/v1/query", &params).await
}

async fn upstream_query(
    state: &AppState,
    path: &str,
    params: &[(String, String)],
) -> Result<Response, ProxyError> {
    forward::post_form(
        &state.http,
        Target {
            name: "upstream",
            base: &state.config.upstream,
            path,
        },
        params,
    )
    .await
}

/// Parameters from the URL and from a form body, as Prometheus reads them.
fn collect_params(query: Option<&str>, body: &[u8]) -> Result<Vec<(String, String)>, ProxyError> {
    let mut params: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    params.extend(form_urlencoded::parse(body).into_owned());
    Ok(params)
}

fn require(params: &[(String, String)], names: &[&str]) -> Result<(), ProxyError> {
    for name in names {
        if !params.iter().any(|(k, _)| k == name) {
            return Err(ProxyError::BadData(format!(
                "invalid parameter \"{name}\": missing"
            )));
        }
    }
    Ok(())
}
