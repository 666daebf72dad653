//! Finding the dashboard in a file: the classic model at the top, or wrapped under
//! `dashboard` (the HTTP API's answer) or `spec` (newer exports); and saying clearly
//! what a file is when it is not one.

use crate::error::ImportError;
use serde_json::Value;

fn looks_like_dashboard(value: &Value) -> bool {
    value.get("panels").is_some_and(Value::is_array)
        || value.get("rows").is_some_and(Value::is_array)
}

/// The dashboard object of `root`.
pub fn locate(root: &Value) -> Result<&Value, ImportError> {
    let object = match root {
        Value::Object(object) => object,
        Value::Array(items) => {
            let listing = items.first().is_some_and(|i| {
                i.get("uid").is_some() && i.get("title").is_some() && i.get("panels").is_none()
            });
            return Err(ImportError::not_a_dashboard(if listing {
                "this is a list of dashboards (a search result), not a dashboard; export each dashboard's JSON"
            } else {
                "the file is a JSON array; a dashboard is a JSON object with `panels` or `rows`"
            }));
        }
        _ => {
            return Err(ImportError::not_a_dashboard(
                "the file is a single JSON value; a dashboard is a JSON object with `panels` or `rows`",
            ));
        }
    };
    if looks_like_dashboard(root) {
        return Ok(root);
    }
    for key in ["dashboard", "spec"] {
        if let Some(inner) = object.get(key) {
            if looks_like_dashboard(inner) {
                return Ok(inner);
            }
            if let Some(nested) = inner.get("dashboard").filter(|d| looks_like_dashboard(d)) {
                return Ok(nested);
            }
        }
    }
    let spec = object.get("spec").unwrap_or(&Value::Null);
    let reason = if spec.get("panels").is_some_and(Value::is_object)
        && spec.get("layouts").is_some()
    {
        "this is a Perses dashboard (spec.panels is a map, with spec.layouts)".to_owned()
    } else if spec.get("elements").is_some() && spec.get("layout").is_some() {
        "this is Grafana's v2 dashboard schema (spec.elements and spec.layout); export the classic JSON model".to_owned()
    } else if object.get("groups").is_some_and(Value::is_array) {
        "this is a file of alert or recording rules (`groups`), not a dashboard".to_owned()
    } else if object.get("apiVersion").is_some() && object.get("kind").is_some() {
        format!(
            "this is a {} resource without a dashboard in its spec",
            object
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or("Kubernetes")
        )
    } else if object.get("type").and_then(Value::as_str) == Some("datasource")
        || object.get("access").is_some() && object.get("url").is_some()
    {
        "this is a data source definition, not a dashboard".to_owned()
    } else {
        "it has neither `panels` nor `rows` (at the top, under `dashboard` or under `spec`)"
            .to_owned()
    };
    Err(ImportError::not_a_dashboard(reason))
}
