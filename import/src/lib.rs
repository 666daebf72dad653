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

/// Every query of `dashboard` (panels, annotations, variable queries) that is not
/// PromQL once its variables take their sample values and the macros durations, as the
/// proxy checks dashboards; empty when all parse.
pub fn query_problems(dashboard: &Dashboard) -> Vec<String> {
    use vantage_api::dashboard::expand::panel_queries;
    use vantage_api::dashboard::variables::{VariableQuery, parse_variable_query};
    let checker = promql_check::Checker::new(&dashboard.variables);
    let mut out = Vec::new();
    let mut check = |place: String, expr: &str| {
        if let Err(message) = checker.check(expr) {
            out.push(format!("{place}: {message} in {expr:?}"));
        }
    };
    for panel in &dashboard.panels {
        for query in panel_queries(panel) {
            check(format!("panel {}", panel.id), &query.expr);
        }
    }
    for annotation in dashboard.query_annotations() {
        check(format!("annotation {}", annotation.name), &annotation.expr);
    }
    for variable in &dashboard.variables {
        let inner = match variable.query.as_deref().and_then(parse_variable_query) {
            Some(VariableQuery::LabelValues { selector, .. }) => selector,
            Some(VariableQuery::LabelNames { selector }) => selector,
            Some(VariableQuery::QueryResult { expr }) => Some(expr),
            _ => None,
        };
        if let Some(expr) = inner {
            check(format!("variable {}", variable.name), &expr);
        }
    }
    out
}

/// Converts one Grafana dashboard. `name_hint` (e.g. the file name) names the
/// dashboard when it has neither a title nor a uid.
pub fn convert_grafana(json: &str, name_hint: &str) -> Result<Conversion, ImportError> {
    let root: Value = serde_json::from_str(json).map_err(|e| ImportError::json(&e))?;
    let model = model::locate(&root)?;
    Ok(convert::dashboard(&root, model, name_hint))
}
