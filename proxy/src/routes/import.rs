//! `POST /api/import/grafana`: converts the Grafana dashboard JSON in the body with
//! `vantage_import` and answers the dashboard (as it would be served), its file and the
//! report, in the Prometheus envelope. Nothing is stored: the console shows the result
//! and offers the file for download. `?name=<file name>` names a dashboard that has
//! neither a title nor a uid.

use crate::error::ProxyError;
use crate::params::read_body;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use serde_json::{Value, json};

pub async fn grafana(
    State(state): State<AppState>,
    request: Request<Body>,
) -> Result<Json<Value>, ProxyError> {
    let (parts, body) = request.into_parts();
    let name = parts
        .uri
        .query()
        .and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "name")
                .map(|(_, v)| v.chars().take(200).collect::<String>())
        })
        .unwrap_or_default();
    let bytes = read_body(&parts.headers, body, state.config.max_request_body).await?;
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|e| ProxyError::BadData(format!("the body is not UTF-8 text: {e}")))?;
    let shown = if name.is_empty() {
        "dashboard.json".to_owned()
    } else {
        name.clone()
    };
    // Converting a large dashboard takes milliseconds of CPU: off the async workers.
    let converted =
        tokio::task::spawn_blocking(move || vantage_import::convert_grafana(&text, &name))
            .await
            .map_err(|e| ProxyError::Internal(format!("import task: {e}")))?;
    let conversion = converted.map_err(|e| ProxyError::BadData(e.to_string()))?;
    if let Err(problems) = crate::dashboards::check(&conversion.dashboard) {
        // The converter makes every dashboard valid; a miss is a bug worth a full log.
        return Err(ProxyError::Internal(format!(
            "the converted dashboard does not pass the checks: {}",
            problems.join("; ")
        )));
    }
    let file_name = conversion.file_name();
    let summary = vantage_import::format_report(&shown, &file_name, &conversion.report);
    Ok(Json(json!({
        "status": "success",
        "data": {
            "dashboard": conversion.dashboard,
            "file_name": file_name,
            "toml": conversion.toml,
            "report": conversion.report,
            "summary": summary,
        }
    })))
}
