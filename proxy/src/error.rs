//! One error type for every handler, answered in the Prometheus envelope. Internal
//! details go to the log, not to the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use vantage_api::envelope::{ErrorBody, ErrorType};

#[derive(Debug)]
pub enum ProxyError {
    /// The request itself is wrong (400).
    BadData(String),
    /// Nothing lives at this path, or it is not configured (404).
    NotFound(String),
    /// The upstream or backend could not be reached (502).
    Unavailable(String),
    /// The upstream answered with something that is not a Prometheus answer (502).
    BadUpstreamAnswer(String),
    /// The upstream did not answer in time (504).
    Timeout(String),
    /// A bug or an unexpected failure: logged in full, answered in general terms (500).
    Internal(String),
}

impl ProxyError {
    fn parts(&self) -> (ErrorType, u16, String) {
        match self {
            ProxyError::BadData(m) => (ErrorType::BadData, 400, m.clone()),
            ProxyError::NotFound(m) => (ErrorType::NotFound, 404, m.clone()),
            ProxyError::Unavailable(m) => (ErrorType::Unavailable, 502, m.clone()),
            ProxyError::BadUpstreamAnswer(m) => (ErrorType::Unavailable, 502, m.clone()),
            ProxyError::Timeout(m) => (ErrorType::Timeout, 504, m.clone()),
            ProxyError::Internal(_) => (ErrorType::Internal, 500, "internal error".to_owned()),
        }
    }
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        if let ProxyError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let (error_type, status, message) = self.parts();
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(ErrorBody::new(error_type, message))).into_response()
    }
}

/// Maps a transport failure talking to `what` (e.g. "upstream") to the right answer.
pub fn from_transport(what: &str, err: &reqwest::Error) -> ProxyError {
    if err.is_timeout() {
        ProxyError::Timeout(format!("{what} did not answer in time"))
    } else if err.is_connect() {
        ProxyError::Unavailable(format!("{what} is unavailable: cannot connect"))
    } else {
        tracing::warn!(error = %err, what, "transport error");
        ProxyError::Unavailable(format!("{what} is unavailable: the request failed"))
    }
}
