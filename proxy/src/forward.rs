//! Forwarding one request to a configured base URL and streaming the answer back as-is.

use crate::error::{ProxyError, from_transport};
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use futures_util::TryStreamExt;
use reqwest::Url;

/// Where a request goes and how.
pub struct Target<'a> {
    /// `"upstream"` or `"backend"`, for messages.
    pub name: &'a str,
    pub base: &'a Url,
    /// Relative to `base`, without a leading slash, e.g. `api/v1/query_range`.
    pub path: &'a str,
}

impl Target<'_> {
    fn url(&self) -> Result<Url, ProxyError> {
        self.base
            .join(self.path)
            .map_err(|e| ProxyError::Internal(format!("joining {}: {e}", self.path)))
    }
}

/// GET with query parameters.
pub async fn get(
    http: &reqwest::Client,
    target: Target<'_>,
    params: &[(String, String)],
) -> Result<Response, ProxyError> {
    let request = http.get(target.url()?).query(params);
    send(request, target.name).await
}

/// POST with a form body, as Prometheus accepts for queries (no URL length limits).
pub async fn post_form(
    http: &reqwest::Client,
    target: Target<'_>,
    params: &[(String, String)],
) -> Result<Response, ProxyError> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let request = http
        .post(target.url()?)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body);
    send(request, target.name).await
}

async fn send(request: reqwest::RequestBuilder, name: &str) -> Result<Response, ProxyError> {
    let answer = request.send().await.map_err(|e| from_transport(name, &e))?;
    let status = StatusCode::from_u16(answer.status().as_u16())
        .map_err(|e| ProxyError::Internal(format!("status: {e}")))?;
    let content_type = answer.headers().get(reqwest::header::CONTENT_TYPE).cloned();
    let stream = answer.bytes_stream().map_err(std::io::Error::other);
    let mut response = Response::builder().status(status);
    if let Some(value) = content_type.and_then(|v| HeaderValue::from_bytes(v.as_bytes()).ok()) {
        response = response.header(header::CONTENT_TYPE, value);
    }
    response
        .body(Body::from_stream(stream))
        .map_err(|e| ProxyError::Internal(format!("building response: {e}")))
}
