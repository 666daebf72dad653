//! The dashboard file format. A dashboard is a TOML file whose name is its id
//! (`dashboards/cost-attribution.toml` is `/d/cost-attribution`). Unknown keys are
//! refused so that a typo is an error, not a silently ignored setting.

use crate::unit::Unit;
use serde::{Deserialize, Serialize};

/// One dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dashboard {
    /// Set from the file name when loaded; not written in the file.
    #[serde(default)]
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Which system the dashboard is about, for grouping in the list (e.g. "AI Orchestrator").
    #[serde(default)]
    pub system: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Default auto-refresh (`5s`, `30s`, `1m`...); none when absent.
    #[serde(default)]
    pub refresh: Option<String>,
    #[serde(default)]
    pub time: TimeDefaults,
    /// The scrape interval of the data, the floor for every step (seconds).
    #[serde(default = "default_scrape_interval")]
    pub scrape_interval: f64,
    #[serde(default)]
    pub variables: Vec<Variable>,
    pub panels: Vec<Panel>,
}

fn default_scrape_interval() -> f64 {
    15.0
}

/// The range a dashboard opens with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeDefaults {
    pub from: String,
    #[serde(default = "now")]
    pub to: String,
}

fn now() -> String {
    "now".to_owned()
}

impl Default for TimeDefaults {
    fn default() -> Self {
        TimeDefaults {
            from: "now-6h".to_owned(),
            to: now(),
        }
    }
}

/// A dashboard variable, used in queries as `$name` or `${name}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub name: String,
    #[serde(default)]
    pub label: String,
    /// `label_values(metric, label)` or `label_values(label)`, as in Grafana.
    #[serde(default)]
    pub query: Option<String>,
    /// A proxy endpoint answering a JSON array of strings (seed 004's `/api/metrics/services`).
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Several values may be selected at once.
    #[serde(default)]
    pub multi: bool,
    /// Offer "All", which matches every value.
    #[serde(default)]
    pub include_all: bool,
    /// Selected at first; "All" when empty and `include_all`, else the first value.
    #[serde(default)]
    pub default: Vec<String>,
}

/// What a panel draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelKind {
    /// Lines over time.
    Timeseries,
    /// P50/P95/P99... over time from one histogram; the console writes the queries.
    Percentiles,
    /// One value, with optional sparkline and thresholds.
    Stat,
    /// Horizontal bars, largest first (top-k).
    Bar,
    /// Rows of label values and numbers; sortable, filterable, exportable.
    Table,
    /// Histogram buckets over time.
    Heatmap,
    /// Discrete states per series over time (circuit breakers).
    StateGrid,
    /// A heading that starts a new section of the grid.
    Row,
    /// Rows of a management table streamed live by the proxy's hub (`source`).
    LiveTable,
}

/// One query of a panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    pub expr: String,
    /// Legend template, e.g. `{{repository}}`; defaults to the series' labels.
    #[serde(default)]
    pub legend: Option<String>,
}

/// A threshold: a line (or band edge) on charts, a colour change on stats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub value: f64,
    #[serde(default)]
    pub level: Level,
    #[serde(default)]
    pub label: Option<String>,
}

/// How bad crossing a threshold is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Ok,
    #[default]
    Warning,
    Critical,
}

/// Whether thresholds are drawn as lines or as shaded bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdStyle {
    #[default]
    Line,
    Band,
}

/// Which side of the thresholds is good (a success rate wants to stay above 95 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    AboveIsBad,
    BelowIsBad,
}

/// One named state of a state grid (`0 = CLOSED`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub value: f64,
    pub name: String,
    #[serde(default)]
    pub level: Level,
}

/// How a stat turns a series into one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reduce {
    #[default]
    Last,
    Mean,
    Max,
    Min,
}

/// One panel. Fields that only some kinds use are optional; validation says which
/// kind needs what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Panel {
    /// Unique within the dashboard; used in URLs (`panel=`) and embeds.
    pub id: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: PanelKind,
    #[serde(default)]
    pub description: String,
    /// Columns of the 12-column grid.
    #[serde(default = "default_width")]
    pub width: u8,
    /// Height of the drawing area in CSS pixels.
    #[serde(default)]
    pub height: Option<u32>,
    #[serde(default)]
    pub unit: Unit,
    /// Shorthand for a single query.
    #[serde(default)]
    pub query: Option<String>,
    /// Legend template for the shorthand query.
    #[serde(default)]
    pub legend: Option<String>,
    #[serde(default)]
    pub queries: Vec<Query>,
    #[serde(default)]
    pub thresholds: Vec<Threshold>,
    #[serde(default)]
    pub threshold_style: ThresholdStyle,
    #[serde(default)]
    pub direction: Direction,
    /// Stack the series (timeseries).
    #[serde(default)]
    pub stack: bool,
    /// percentiles / heatmap: the histogram's base name (without `_bucket`).
    #[serde(default)]
    pub histogram: Option<String>,
    /// percentiles: the quantiles to draw (0 < q < 1).
    #[serde(default)]
    pub quantiles: Vec<f64>,
    /// percentiles: labels to keep besides `le` (one line per value and quantile).
    #[serde(default)]
    pub by: Vec<String>,
    /// percentiles / heatmap: label matchers inside the braces, e.g. `repository=~"$repository"`.
    #[serde(default)]
    pub matchers: Option<String>,
    /// percentiles / heatmap: the `rate()` window; `$__rate_interval` when absent.
    #[serde(default)]
    pub rate_window: Option<String>,
    /// stat: draw the series under the number.
    #[serde(default)]
    pub sparkline: bool,
    /// stat: how to reduce the series to one number.
    #[serde(default)]
    pub reduce: Reduce,
    /// bar / table: the label that names a bar or a row.
    #[serde(default)]
    pub label: Option<String>,
    /// bar: at most this many bars.
    #[serde(default)]
    pub limit: Option<usize>,
    /// state_grid: the states and their names.
    #[serde(default)]
    pub states: Vec<State>,
    /// live_table: the stream it shows, `/api/live/<source>` (e.g. `websocket-connections`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn default_width() -> u8 {
    6
}

impl Panel {
    /// The panel's queries, the shorthand `query` first.
    pub fn all_queries(&self) -> Vec<Query> {
        self.query
            .iter()
            .map(|expr| Query {
                expr: expr.clone(),
                legend: self.legend.clone(),
            })
            .chain(self.queries.iter().cloned())
            .collect()
    }

    /// Whether the panel asks for a range (over time) rather than one instant.
    pub fn is_range(&self) -> bool {
        matches!(
            self.kind,
            PanelKind::Timeseries
                | PanelKind::Percentiles
                | PanelKind::Heatmap
                | PanelKind::StateGrid
        )
    }
}

/// An entry of the dashboard list (`GET /api/dashboards`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardSummary {
    pub id: String,
    pub title: String,
    pub description: String,
    pub system: String,
    pub tags: Vec<String>,
    pub panels: usize,
}

impl From<&Dashboard> for DashboardSummary {
    fn from(d: &Dashboard) -> Self {
        DashboardSummary {
            id: d.id.clone(),
            title: d.title.clone(),
            description: d.description.clone(),
            system: d.system.clone(),
            tags: d.tags.clone(),
            panels: d.panels.iter().filter(|p| p.kind != PanelKind::Row).count(),
        }
    }
}
