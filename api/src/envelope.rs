//! The Prometheus HTTP API envelope: `{"status":"success","data":...}` or
//! `{"status":"error","errorType":...,"error":...}`.

use serde::{Deserialize, Serialize};

/// `errorType` values Prometheus uses, plus `unavailable` for an upstream that cannot be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorType {
    Timeout,
    Canceled,
    Execution,
    BadData,
    Internal,
    Unavailable,
    NotFound,
    NotAcceptable,
    /// Not one of Prometheus's own: refused by authentication or authorization.
    Unauthorized,
    Forbidden,
    /// Not one of Prometheus's own: too many requests from one principal.
    TooManyRequests,
}

impl ErrorType {
    /// The HTTP status Prometheus answers with for this error type.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorType::BadData => 400,
            ErrorType::Unauthorized => 401,
            ErrorType::Forbidden => 403,
            ErrorType::NotFound => 404,
            ErrorType::NotAcceptable => 406,
            ErrorType::Execution => 422,
            ErrorType::TooManyRequests => 429,
            ErrorType::Internal => 500,
            ErrorType::Unavailable => 502,
            ErrorType::Timeout => 504,
            ErrorType::Canceled => 499,
        }
    }
}

/// The error body every Vantage endpoint answers with, in Prometheus's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub status: String,
    pub error_type: ErrorType,
    pub error: String,
}

impl ErrorBody {
    pub fn new(error_type: ErrorType, error: impl Into<String>) -> Self {
        ErrorBody {
            status: "error".to_owned(),
            error_type,
            error: error.into(),
        }
    }
}

/// A whole answer of the Prometheus API, success or error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    pub status: String,
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<ErrorType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub infos: Vec<String>,
}

impl<T> Envelope<T> {
    /// The data of a successful answer, or the error it carries.
    pub fn into_result(self) -> Result<T, ErrorBody> {
        match (self.status.as_str(), self.data) {
            ("success", Some(data)) => Ok(data),
            _ => Err(ErrorBody::new(
                self.error_type.unwrap_or(ErrorType::Internal),
                self.error
                    .unwrap_or_else(|| "answer has neither data nor error".to_owned()),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_prometheus_field_names() {
        let body = serde_json::to_string(&ErrorBody::new(ErrorType::BadData, "bad")).ok();
        assert_eq!(
            body.as_deref(),
            Some(r#"{"status":"error","errorType":"bad_data","error":"bad"}"#)
        );
    }

    #[test]
    fn error_envelope_becomes_err() {
        let env: Envelope<serde_json::Value> =
            serde_json::from_str(r#"{"status":"error","errorType":"execution","error":"boom"}"#)
                .expect("valid json");
        let err = env.into_result().expect_err("is an error");
        assert_eq!(err.error_type, ErrorType::Execution);
        assert_eq!(err.error, "boom");
    }
}
