//! Wire types of Prometheus's `/api/v1/rules` and `/api/v1/alerts`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `data` of `/api/v1/rules`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RulesData {
    #[serde(default)]
    pub groups: Vec<RuleGroup>,
}

/// One rule group (one `groups:` entry of a rules file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleGroup {
    pub name: String,
    #[serde(default)]
    pub file: String,
    #[serde(default)]
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub interval: f64,
}

/// An alerting or recording rule and how its last evaluation went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub name: String,
    pub query: String,
    /// `alerting` or `recording`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub health: String,
    #[serde(default)]
    pub last_error: Option<String>,
    /// Alerting rules: `inactive`, `pending` or `firing`.
    #[serde(default)]
    pub state: Option<String>,
    /// Alerting rules: the `for` duration in seconds.
    #[serde(default)]
    pub duration: Option<f64>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub alerts: Vec<Alert>,
}

/// `data` of `/api/v1/alerts`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AlertsData {
    #[serde(default)]
    pub alerts: Vec<Alert>,
}

/// One active (pending or firing) alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// `pending` or `firing`.
    pub state: String,
    #[serde(default)]
    pub active_at: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
}
