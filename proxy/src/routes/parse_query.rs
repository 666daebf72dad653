//! `GET|POST /api/v1/parse_query?query=`: the query's syntax tree as JSON, as Prometheus
//! 3 answers it, from the same parser the proxy validates queries with. Nothing is sent
//! to the upstream. A query that does not parse is a 400 in Prometheus's words
//! (`1:14: parse error: unclosed left parenthesis`) plus where the error is, in
//! characters: `"position": {"start": 13, "end": 14}`.

use crate::error::ProxyError;
use crate::params::Params;
use crate::params::parse_error::locate;
use crate::params::promql::parse;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub async fn parse_query(
    State(state): State<AppState>,
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
    let query = params.one("query")?.unwrap_or("");
    Ok(answer(query))
}

/// The answer for `query`: the tree, or the error with its position.
pub fn answer(query: &str) -> Response {
    let parsed = if query.trim().is_empty() {
        Err(String::new())
    } else {
        parse(query)
    };
    match parsed.and_then(|expr| serde_json::to_value(&expr).map_err(|e| e.to_string())) {
        Ok(mut tree) => {
            normalise(&mut tree);
            Json(json!({ "status": "success", "data": tree })).into_response()
        }
        Err(message) => {
            let failure = locate(query, &message);
            let body = json!({
                "status": "error",
                "errorType": "bad_data",
                "error": failure.prometheus_message(query),
                "position": { "start": failure.start, "end": failure.end },
            });
            (StatusCode::BAD_REQUEST, Json(body)).into_response()
        }
    }
}

/// The value type of a node: `scalar`, `string`, `vector` or `matrix`.
fn value_type(node: &Value) -> &str {
    match node["type"].as_str().unwrap_or("") {
        "numberLiteral" => "scalar",
        "stringLiteral" => "string",
        "matrixSelector" | "subquery" => "matrix",
        "call" => node["func"]["returnType"].as_str().unwrap_or("vector"),
        "parenExpr" | "unaryExpr" => value_type(&node["expr"]),
        "binaryExpr"
            if value_type(&node["lhs"]) == "scalar" && value_type(&node["rhs"]) == "scalar" =>
        {
            "scalar"
        }
        _ => "vector",
    }
}

/// Puts promql-parser's serialisation in the shape of Prometheus' `translate_ast.go`:
/// a binary expression's `matching.card` is a string (`"many-to-one"`) with the
/// `group_left`/`group_right` labels in `matching.include`, not an object holding them;
/// and an operation between two vectors always has its matching (one-to-one, or
/// many-to-many for `and`, `or` and `unless`), written or not.
fn normalise(node: &mut Value) {
    match node {
        Value::Object(map) => {
            let binary = map.get("type").and_then(Value::as_str) == Some("binaryExpr");
            if binary
                && map.get("matching").is_some_and(Value::is_null)
                && value_type(&map["lhs"]) == "vector"
                && value_type(&map["rhs"]) == "vector"
            {
                let set = matches!(map["op"].as_str(), Some("and" | "or" | "unless"));
                let card = if set { "many-to-many" } else { "one-to-one" };
                map.insert(
                    "matching".to_owned(),
                    json!({"card": card, "labels": [], "on": false, "include": []}),
                );
            }
            if binary && let Some(Value::Object(matching)) = map.get_mut("matching") {
                matching.remove("fillValues");
                if let Some(Value::Object(card)) = matching.get("card").cloned()
                    && let Some((name, labels)) = card.into_iter().next()
                {
                    matching.insert("card".to_owned(), Value::String(name));
                    matching.insert(
                        "include".to_owned(),
                        if labels.is_array() { labels } else { json!([]) },
                    );
                }
            }
            map.values_mut().for_each(normalise);
        }
        Value::Array(items) => items.iter_mut().for_each(normalise),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    async fn body(query: &str) -> (StatusCode, Value) {
        let response = answer(query);
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, serde_json::from_slice(&bytes).expect("json"))
    }

    #[tokio::test]
    async fn trees_have_prometheus_shape() {
        let (status, answer) =
            body("sum by (job) (rate(x{a=\"b\"}[5m])) / on (job) group_left (team) y").await;
        assert_eq!(status, StatusCode::OK);
        let tree = &answer["data"];
        assert_eq!(tree["type"], "binaryExpr");
        assert_eq!(tree["op"], "/");
        assert_eq!(
            tree["matching"],
            json!({"card": "many-to-one", "labels": ["job"], "on": true, "include": ["team"]})
        );
        let sum = &tree["lhs"];
        assert_eq!(sum["type"], "aggregation");
        assert_eq!(sum["op"], "sum");
        assert_eq!(sum["grouping"], json!(["job"]));
        let call = &sum["expr"];
        assert_eq!(call["type"], "call");
        assert_eq!(call["func"]["name"], "rate");
        let range = &call["args"][0];
        assert_eq!(range["type"], "matrixSelector");
        assert_eq!(range["range"], 300_000);
        // Flat, as Prometheus writes a matrix selector.
        assert_eq!(range["name"], "x");
        let (_, plain) = body("a + b").await;
        assert_eq!(
            plain["data"]["matching"],
            json!({"card": "one-to-one", "labels": [], "on": false, "include": []})
        );
        let (_, set) = body("a unless b").await;
        assert_eq!(set["data"]["matching"]["card"], "many-to-many");
        let (_, scalar) = body("a * 2").await;
        assert_eq!(scalar["data"]["matching"], Value::Null);
    }

    #[tokio::test]
    async fn errors_carry_the_position() {
        let (status, answer) = body("sum(rate(x[5m])").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            answer,
            json!({
                "status": "error",
                "errorType": "bad_data",
                "error": "1:4: parse error: unclosed left parenthesis",
                "position": {"start": 3, "end": 4},
            })
        );
        let (_, empty) = body("").await;
        assert_eq!(
            empty["error"],
            "1:1: parse error: no expression found in input"
        );
    }
}
