//! Seed 004's `/api/metrics/services`: the `service` label values of
//! `asdlc_service_info`, sorted; the seed's fixed list when the upstream cannot say.

use crate::error::ProxyError;
use crate::pipeline;
use crate::state::AppState;
use crate::upstream::answer::vector_label_values;
use crate::upstream::{UpstreamCall, UpstreamMethod};
use axum::Json;
use axum::extract::State;

/// What the seed answers when the upstream is down or has no such metric.
const FALLBACK: [&str; 2] = ["orchestrator", "workers"];

pub async fn services(State(state): State<AppState>) -> Json<Vec<String>> {
    let call = UpstreamCall {
        segments: vec!["api".into(), "v1".into(), "query".into()],
        method: UpstreamMethod::PostForm,
        params: vec![(
            "query".into(),
            "group by (service) (asdlc_service_info)".into(),
        )],
        cacheable: false,
        shared: true,
    };
    let names = match pipeline::fetch_complete(&state, &state.upstream, call).await {
        Ok((status, body)) if status.is_success() => {
            vector_label_values(&body, "service").map_err(ProxyError::BadUpstreamAnswer)
        }
        Ok((status, _)) => Err(ProxyError::Unavailable(format!(
            "upstream answered {status}"
        ))),
        Err(err) => Err(err),
    };
    match names {
        Ok(names) if !names.is_empty() => Json(names),
        Ok(_) => Json(FALLBACK.map(str::to_owned).to_vec()),
        Err(err) => {
            tracing::warn!(%err, "service list from the upstream failed; answering the fallback");
            Json(FALLBACK.map(str::to_owned).to_vec())
        }
    }
}
