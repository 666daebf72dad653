//! Converters from other tools' dashboards into Vantage dashboards. Pure functions: the
//! caller reads the files and writes the results.
//!
//! [`convert_grafana`] takes Grafana's dashboard JSON (the classic model of
//! schemaVersion 14 to 42, also wrapped under `dashboard` or `spec`) and answers the
//! dashboard, its TOML file and a report of what was carried over, approximately or
//! not at all. Every query in the output is PromQL (checked as the proxy checks
//! dashboards) and the dashboard passes validation.

mod convert;
mod dashboard;
mod datasource;
mod error;
mod fieldconfig;
mod ids;
mod json;
mod layout;
mod macros;
mod model;
mod panels;
mod promql_check;
mod report;
mod targets;
mod thresholds;
mod toml_file;
mod units;
mod variables;

pub use error::ImportError;
pub use report::{Note, Report, format_report};

use serde::Serialize;
use serde_json::Value;
use vantage_api::dashboard::Dashboard;

/// A converted dashboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conversion {
    /// The dashboard, its `id` set (the file name without `.toml`).
    pub dashboard: Dashboard,
    /// The dashboard file's text.
    pub toml: String,
    /// What was carried over, approximately, or dropped.
    pub report: Report,
}

impl Conversion {
    /// The file name to write the dashboard to.
    pub fn file_name(&self) -> String {
        format!("{}.toml", self.dashboard.id)
    }
}

/// Grafana's regex text (`/pattern/flags` or a bare pattern) as a bare pattern.
pub(crate) fn json_regex(regex: &str) -> String {
    vantage_api::dashboard::variables::parse_regex_literal(regex)
        .0
        .to_owned()
}

/// Converts one Grafana dashboard. `name_hint` (e.g. the file name) names the
/// dashboard when it has neither a title nor a uid.
pub fn convert_grafana(json: &str, name_hint: &str) -> Result<Conversion, ImportError> {
    let root: Value = serde_json::from_str(json).map_err(|e| ImportError::json(&e))?;
    let model = model::locate(&root)?;
    Ok(convert::dashboard(&root, model, name_hint))
}
