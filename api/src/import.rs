//! The answer of `POST /api/import/grafana`: a Grafana dashboard converted by the proxy,
//! its dashboard file, and the report of what was carried over.

use crate::dashboard::Dashboard;
use serde::{Deserialize, Serialize};

/// One line of a report: a panel (or `dashboard`, `variable $name`, `annotation name`)
/// and what was done with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportNote {
    pub panel: String,
    pub message: String,
}

/// What was carried over as it was, approximately, or not at all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub carried: Vec<ImportNote>,
    pub approximate: Vec<ImportNote>,
    pub dropped: Vec<ImportNote>,
}

/// A converted dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportAnswer {
    /// The dashboard as it will be served (its `id` set).
    pub dashboard: Dashboard,
    /// The dashboard file to save into `dashboards_dir`.
    pub file_name: String,
    /// The file's text.
    pub toml: String,
    pub report: ImportReport,
    /// The report as the command line prints it.
    pub summary: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_an_answer() {
        let body = r#"{"dashboard":{"id":"node","title":"Node","panels":[]},"file_name":"node.toml",
            "toml":"title = \"Node\"\n","summary":"x","report":{"carried":[{"panel":"CPU","message":"as timeseries"}],
            "approximate":[],"dropped":[]}}"#;
        let answer: ImportAnswer = serde_json::from_str(body).expect("decodes");
        assert_eq!(answer.dashboard.id, "node");
        assert_eq!(answer.report.carried[0].panel, "CPU");
    }
}
