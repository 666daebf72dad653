//! Why a file could not be converted at all.

use serde::Serialize;
use std::fmt;

/// A file that is not a Grafana dashboard, or not JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImportError {
    /// The text is not JSON; `line` and `column` count from 1.
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    /// JSON, but not a dashboard this converter knows.
    NotADashboard { reason: String },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Json {
                message,
                line,
                column,
            } => write!(f, "invalid JSON at line {line}, column {column}: {message}"),
            ImportError::NotADashboard { reason } => {
                write!(f, "not a Grafana dashboard: {reason}")
            }
        }
    }
}

impl std::error::Error for ImportError {}

impl ImportError {
    pub(crate) fn not_a_dashboard(reason: impl Into<String>) -> ImportError {
        ImportError::NotADashboard {
            reason: reason.into(),
        }
    }

    pub(crate) fn json(err: &serde_json::Error) -> ImportError {
        let message = err.to_string();
        // serde_json appends " at line L column C"; the fields say it already.
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        };
        ImportError::Json {
            message,
            line: err.line(),
            column: err.column(),
        }
    }
}
