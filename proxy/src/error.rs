//! One error type for every handler, answered in the Prometheus envelope. Internal
//! details go to the log, not to the client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use vantage_api::envelope::{ErrorBody, ErrorType};

/// Everything a handler can answer instead of a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyError {
    /// The request itself is wrong (400).
    BadData(String),
    /// No or unknown credentials (401).
    Unauthorized(String),
    /// Known caller, not allowed to do this (403).
    Forbidden(String),
    /// Nothing lives at this path, or it is not configured (404).
    NotFound(String),
    /// The path exists but not with this method (405).
    MethodNotAllowed(String),
    /// The request body is larger than the configured limit (413).
    PayloadTooLarge(String),
    /// This principal sent too many requests; retry after the given seconds (429).
    TooManyRequests { message: String, retry_after_s: u64 },
    /// The upstream or backend could not be reached, or closed the connection (502).
    Unavailable(String),
    /// The upstream answered with something that is not a Prometheus answer, or one
    /// larger than the configured limit (502).
    BadUpstreamAnswer(String),
    /// The upstream did not answer in time (504).
    Timeout(String),
    /// A bug or an unexpected failure: logged in full, answered in general terms (500).
    Internal(String),
}

impl ProxyError {
    /// `errorType`, HTTP status and the message sent to the client.
    pub fn parts(&self) -> (ErrorType, StatusCode, String) {
        match self {
            ProxyError::BadData(m) => (ErrorType::BadData, StatusCode::BAD_REQUEST, m.clone()),
            ProxyError::Unauthorized(m) => {
                (ErrorType::Unauthorized, StatusCode::UNAUTHORIZED, m.clone())
            }
            ProxyError::Forbidden(m) => (ErrorType::Forbidden, StatusCode::FORBIDDEN, m.clone()),
            ProxyError::NotFound(m) => (ErrorType::NotFound, StatusCode::NOT_FOUND, m.clone()),
            ProxyError::MethodNotAllowed(m) => (
                ErrorType::BadData,
                StatusCode::METHOD_NOT_ALLOWED,
                m.clone(),
            ),
            ProxyError::PayloadTooLarge(m) => {
                (ErrorType::BadData, StatusCode::PAYLOAD_TOO_LARGE, m.clone())
            }
            ProxyError::TooManyRequests { message, .. } => (
                ErrorType::TooManyRequests,
                StatusCode::TOO_MANY_REQUESTS,
                message.clone(),
            ),
            ProxyError::Unavailable(m) | ProxyError::BadUpstreamAnswer(m) => {
                (ErrorType::Unavailable, StatusCode::BAD_GATEWAY, m.clone())
            }
            ProxyError::Timeout(m) => (ErrorType::Timeout, StatusCode::GATEWAY_TIMEOUT, m.clone()),
            ProxyError::Internal(_) => (
                ErrorType::Internal,
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error".to_owned(),
            ),
        }
    }
}

impl std::fmt::Display for ProxyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.parts().2)
    }
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        if let ProxyError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let (error_type, status, message) = self.parts();
        let mut response = (status, Json(ErrorBody::new(error_type, message))).into_response();
        let headers = response.headers_mut();
        match &self {
            ProxyError::Unauthorized(_) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"vantage\""),
                );
            }
            ProxyError::TooManyRequests { retry_after_s, .. } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_s));
            }
            _ => {}
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_prometheus() {
        assert_eq!(
            ProxyError::BadData(String::new()).parts().1,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            ProxyError::Timeout(String::new()).parts().1,
            StatusCode::GATEWAY_TIMEOUT
        );
        assert_eq!(
            ProxyError::Unavailable(String::new()).parts().1,
            StatusCode::BAD_GATEWAY
        );
        let (kind, _, message) = ProxyError::Internal("secret detail".into()).parts();
        assert_eq!(kind, ErrorType::Internal);
        assert!(!message.contains("secret"));
    }
}
