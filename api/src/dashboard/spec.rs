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
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Which system the dashboard is about, for grouping in the list (e.g. "AI Orchestrator").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub system: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Default auto-refresh (`5s`, `30s`, `1m`...); none when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh: Option<String>,
    /// `utc`, `browser` or an IANA zone (`Europe/Paris`) the dashboard opens in; the
    /// viewer's own choice (`tz=` in the URL) wins. None: the browser's zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// The scrape interval of the data, the floor for every step (seconds).
    #[serde(
        default = "default_scrape_interval",
        skip_serializing_if = "is_default_scrape_interval"
    )]
    pub scrape_interval: f64,
    /// Links shown in the dashboard's header.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "TimeDefaults::is_default")]
    pub time: TimeDefaults,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<Variable>,
    /// Events drawn over the time-series panels: queries (`[[annotations]]` tables) and
    /// the shorthand `"alerts"` (`annotations = ["alerts"]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<AnnotationEntry>,
    pub panels: Vec<Panel>,
}

fn default_scrape_interval() -> f64 {
    15.0
}

fn is_default_scrape_interval(value: &f64) -> bool {
    *value == default_scrape_interval()
}

/// A link to another page: a URL, or (with `tags` and no URL) the dashboards that carry
/// all those tags.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Dashboards with all these tags (when `url` is empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tooltip: String,
    /// Open in a new tab.
    #[serde(default, skip_serializing_if = "is_false")]
    pub new_tab: bool,
    /// Carry the current time range (`from`, `to`) over to the link.
    #[serde(default, skip_serializing_if = "is_false")]
    pub keep_time: bool,
    /// Carry the current variables (`var-<name>`) over to the link.
    #[serde(default, skip_serializing_if = "is_false")]
    pub include_vars: bool,
}

/// Events from a query, drawn as markers over time-series panels: every sample of every
/// series the query answers is one event (at its time, or at its value as a time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    pub name: String,
    pub expr: String,
    /// Off until the viewer turns it on.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disabled: bool,
    /// The marker colour (a CSS colour or a Grafana colour name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Title template over the series' labels, e.g. `{{alertname}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Text template over the series' labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Labels whose values become the event's tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The query's step (a duration); the panel's step when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// The sample's value (seconds since the epoch) is the event's time.
    #[serde(default, skip_serializing_if = "is_false")]
    pub value_as_time: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// One entry of a dashboard's `annotations`: a query whose samples are events, or the
/// string `"alerts"`, the firing intervals of Prometheus alerts
/// (`ALERTS{alertstate="firing"}`) shaded on time-series panels with the alert's name.
#[derive(Debug, Clone, PartialEq)]
pub enum AnnotationEntry {
    /// `"alerts"`.
    Alerts,
    /// A table: see [`Annotation`].
    Query(Annotation),
}

/// The shorthand's name in dashboard files.
const ALERTS_SHORTHAND: &str = "alerts";

impl AnnotationEntry {
    /// The query annotation, if this entry is one.
    pub fn as_query(&self) -> Option<&Annotation> {
        match self {
            AnnotationEntry::Query(annotation) => Some(annotation),
            AnnotationEntry::Alerts => None,
        }
    }
}

impl From<Annotation> for AnnotationEntry {
    fn from(annotation: Annotation) -> Self {
        AnnotationEntry::Query(annotation)
    }
}

impl Serialize for AnnotationEntry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AnnotationEntry::Alerts => serializer.serialize_str(ALERTS_SHORTHAND),
            AnnotationEntry::Query(annotation) => annotation.serialize(serializer),
        }
    }
}

// A string or a table, written by hand rather than `#[serde(untagged)]` so that a
// mistake inside a table keeps the table's own error message (an unknown field, a
// missing `expr`) instead of "did not match any variant".
impl<'de> Deserialize<'de> for AnnotationEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = AnnotationEntry;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("\"alerts\" or an annotation table")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<AnnotationEntry, E> {
                if text == ALERTS_SHORTHAND {
                    Ok(AnnotationEntry::Alerts)
                } else {
                    Err(E::custom(format!(
                        "unknown annotation {text:?}: the only shorthand is \"alerts\"; a query annotation is a table with `name` and `expr`"
                    )))
                }
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                map: M,
            ) -> Result<AnnotationEntry, M::Error> {
                Annotation::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(AnnotationEntry::Query)
            }
        }
        deserializer.deserialize_any(Entry)
    }
}

/// The range a dashboard opens with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeDefaults {
    pub from: String,
    #[serde(default = "now", skip_serializing_if = "is_now")]
    pub to: String,
}

fn now() -> String {
    "now".to_owned()
}

fn is_now(text: &String) -> bool {
    text == "now"
}

impl Default for TimeDefaults {
    fn default() -> Self {
        TimeDefaults {
            from: "now-6h".to_owned(),
            to: now(),
        }
    }
}

impl TimeDefaults {
    fn is_default(&self) -> bool {
        *self == TimeDefaults::default()
    }
}

/// A dashboard variable, used in queries as `$name`, `${name}` or `${name:format}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Where the values come from; `query` (or `endpoint`) when absent.
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: VariableKind,
    /// `label_values(metric, label)`, `label_values(label)`, `label_names()`,
    /// `metrics(regex)` or `query_result(expr)`, as in Grafana
    /// (see [`super::variables::parse_variable_query`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// A proxy endpoint answering a JSON array of strings (seed 004's `/api/metrics/services`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Keeps the values this regex matches, as `/pattern/flags` or a bare pattern; the
    /// first capture group (or the groups named `text` and `value`) becomes the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// The order of the values; sorted alphabetically when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<VariableSort>,
    /// custom / interval: the values offered, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<VariableOption>,
    /// Several values may be selected at once.
    #[serde(default, skip_serializing_if = "is_false")]
    pub multi: bool,
    /// Offer "All", which matches every value.
    #[serde(default, skip_serializing_if = "is_false")]
    pub include_all: bool,
    /// What "All" becomes in queries (e.g. `.+`); `.*` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_value: Option<String>,
    /// Selected at first; "All" when empty and `include_all`, else the first value.
    /// constant / textbox: the value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub default: Vec<String>,
    /// interval: also offer `auto`, a step from the range (see
    /// [`super::variables::auto_interval_ms`]).
    #[serde(default, skip_serializing_if = "is_false")]
    pub auto: bool,
    /// interval: `auto` aims at this many steps over the range (30 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_count: Option<u32>,
    /// interval: `auto` is never shorter than this duration (10s when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_min: Option<String>,
    /// Hide the picker's label, or the whole picker.
    #[serde(default, skip_serializing_if = "is_default")]
    pub hide: VariableHide,
}

/// Where a variable's values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariableKind {
    /// From the upstream (`query`) or a proxy endpoint (`endpoint`).
    #[default]
    Query,
    /// The listed `options`.
    Custom,
    /// Durations listed in `options`, and `auto` when set.
    Interval,
    /// One fixed value (`default`), usually hidden.
    Constant,
    /// Free text typed by the viewer (`default` at first).
    Textbox,
}

/// The order of a variable's values (Grafana's sort codes 0 to 8, in that order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariableSort {
    /// As the source answers them.
    Unsorted,
    AlphabeticalAsc,
    AlphabeticalDesc,
    NumericalAsc,
    NumericalDesc,
    AlphabeticalCaseInsensitiveAsc,
    AlphabeticalCaseInsensitiveDesc,
    NaturalAsc,
    NaturalDesc,
}

/// One value of a custom or interval variable; `text` is what the picker shows when it
/// differs from the value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariableOption {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    pub value: String,
}

impl VariableOption {
    /// An option shown as its value.
    pub fn plain(value: impl Into<String>) -> VariableOption {
        VariableOption {
            text: String::new(),
            value: value.into(),
        }
    }

    /// What the picker shows.
    pub fn shown(&self) -> &str {
        if self.text.is_empty() {
            &self.value
        } else {
            &self.text
        }
    }
}

/// How much of a variable's picker is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariableHide {
    #[default]
    None,
    /// The picker without its label.
    Label,
    /// No picker: the value comes from `default` or the URL.
    Variable,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
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
    /// Histogram buckets over time: written from `histogram`, or given as queries whose
    /// series are the buckets, labelled `le`.
    Heatmap,
    /// Discrete states per series over time (circuit breakers).
    StateGrid,
    /// A heading that starts a new section of the grid: the panels after it, up to the
    /// next row. A `collapsed` row starts closed and its panels are not queried until
    /// it is opened.
    Row,
    /// Rows of a management table streamed live by the proxy's hub (`source`).
    LiveTable,
    /// One value on a dial between `min` and `max`, coloured by thresholds.
    Gauge,
    /// Markdown text (`content`), no queries. Shown as text: raw HTML is not rendered.
    Text,
    /// Stands in for something that could not be carried over (`content` says what).
    Placeholder,
}

/// One query of a panel.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Query {
    pub expr: String,
    /// Legend template, e.g. `{{repository}}`; defaults to the series' labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legend: Option<String>,
    /// `true`: evaluated at the end of the range only; `false`: over the range; absent:
    /// as the panel's kind wants (see [`Panel::is_range`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instant: Option<bool>,
    /// The shortest step for this query (a duration such as `1m`, or a variable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_step: Option<String>,
    /// The step is multiplied by this (Grafana's "resolution" 1/N).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_factor: Option<u32>,
    /// How the answer is shaped for the panel.
    #[serde(default, skip_serializing_if = "is_default")]
    pub format: QueryFormat,
    /// A short name for the query (`A`), for table headers and series overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_id: Option<String>,
}

/// How a query's answer is shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryFormat {
    /// One series per label set.
    #[default]
    TimeSeries,
    /// One row per label set, a column per label and the value.
    Table,
    /// Buckets labelled `le`, cumulative as Prometheus stores them.
    Heatmap,
}

/// A threshold: a line (or band edge) on charts, a colour change on stats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub value: f64,
    #[serde(default)]
    pub level: Level,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Whether threshold values are absolute, or percentages of the panel's `min`..`max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdMode {
    #[default]
    Absolute,
    Percentage,
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

/// Shows a value, or a range of values, as a text (`1` as `UP`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueMapping {
    /// This exact value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// From this value (inclusive), for a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
    /// Up to this value (inclusive), for a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<f64>,
    /// No value at all (null or NaN).
    #[serde(default, skip_serializing_if = "is_false")]
    pub null: bool,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

impl ValueMapping {
    /// Whether this mapping applies to `value` (`None` is no value).
    pub fn matches(&self, value: Option<f64>) -> bool {
        match value {
            None => self.null,
            Some(v) if v.is_nan() => self.null,
            Some(v) => {
                if let Some(exact) = self.value {
                    return exact == v;
                }
                (self.from.is_some() || self.to.is_some())
                    && self.from.is_none_or(|from| v >= from)
                    && self.to.is_none_or(|to| v <= to)
            }
        }
    }
}

/// Settings for the series whose legend is `name` or matches `regex`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesOverride {
    /// The series' legend, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A regex over the series' legend (JavaScript syntax in the browser).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// The series of the query with this `ref_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_id: Option<String>,
    /// A CSS colour or a Grafana colour name (`red`, `semi-dark-green`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// The legend shown instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Drawn below the axis (values negated), e.g. transmitted under received.
    #[serde(default, skip_serializing_if = "is_false")]
    pub negative_y: bool,
    /// Not drawn (still in the legend).
    #[serde(default, skip_serializing_if = "is_false")]
    pub hidden: bool,
}

/// Whether a repeated panel's copies sit side by side or one under the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepeatDirection {
    #[default]
    Horizontal,
    Vertical,
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
    Sum,
    First,
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
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Columns of the 12-column grid.
    #[serde(default = "default_width")]
    pub width: u8,
    /// Height of the drawing area in CSS pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub unit: Unit,
    /// Decimals of the values shown; from the magnitude when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u8>,
    /// Shorthand for a single query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Legend template for the shorthand query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legend: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queries: Vec<Query>,
    /// text: Markdown; placeholder: what could not be shown and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// row: starts closed; its panels are not queried until it is opened.
    #[serde(default, skip_serializing_if = "is_false")]
    pub collapsed: bool,
    /// Shown once per selected value of this variable (for a row: the row and its
    /// panels), with the variable set to that value in each copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<String>,
    /// Copies side by side (default) or one under another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_direction: Option<RepeatDirection>,
    /// Side-by-side copies per line at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_row: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<Threshold>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub threshold_mode: ThresholdMode,
    #[serde(default, skip_serializing_if = "is_default")]
    pub threshold_style: ThresholdStyle,
    #[serde(default, skip_serializing_if = "is_default")]
    pub direction: Direction,
    /// The axis (or gauge) starts here; from the data when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The axis (or gauge) ends here; from the data when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// timeseries: a logarithmic axis of this base (2 or 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_base: Option<u32>,
    /// timeseries: the area under each line, 0 (none) to 100 (opaque).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill_opacity: Option<u8>,
    /// Stack the series (timeseries).
    #[serde(default, skip_serializing_if = "is_false")]
    pub stack: bool,
    /// Colour, unit or name of some series.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<SeriesOverride>,
    /// Texts for values (stat, gauge, table cells).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mappings: Vec<ValueMapping>,
    /// The shortest step of every query (a duration, or a variable such as `$interval`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_step: Option<String>,
    /// At most this many points per series; the step grows to fit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_points: Option<u32>,
    /// The panel shows the last this long (a duration) instead of the dashboard's range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_from: Option<String>,
    /// The panel's range is moved this much (a duration) into the past.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_shift: Option<String>,
    /// percentiles / heatmap: the histogram's base name (without `_bucket`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub histogram: Option<String>,
    /// percentiles: the quantiles to draw (0 < q < 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quantiles: Vec<f64>,
    /// percentiles: labels to keep besides `le` (one line per value and quantile).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<String>,
    /// percentiles / heatmap: label matchers inside the braces, e.g. `repository=~"$repository"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matchers: Option<String>,
    /// percentiles / heatmap: the `rate()` window; `$__rate_interval` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_window: Option<String>,
    /// stat: draw the series under the number.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sparkline: bool,
    /// stat / gauge / bar: how to reduce each series to one number.
    #[serde(default, skip_serializing_if = "is_default")]
    pub reduce: Reduce,
    /// bar / table: the label that names a bar or a row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// bar: at most this many bars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    /// state_grid: the states and their names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub states: Vec<State>,
    /// live_table: the stream it shows, `/api/live/<source>` (e.g. `websocket-connections`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Links shown in the panel's header.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

fn default_width() -> u8 {
    6
}

impl Default for Panel {
    /// An empty time-series panel of the default width; for building panels in code.
    fn default() -> Panel {
        Panel {
            id: String::new(),
            title: String::new(),
            kind: PanelKind::Timeseries,
            description: String::new(),
            width: default_width(),
            height: None,
            unit: Unit::default(),
            decimals: None,
            query: None,
            legend: None,
            queries: Vec::new(),
            content: None,
            collapsed: false,
            repeat: None,
            repeat_direction: None,
            max_per_row: None,
            thresholds: Vec::new(),
            threshold_mode: ThresholdMode::default(),
            threshold_style: ThresholdStyle::default(),
            direction: Direction::default(),
            min: None,
            max: None,
            log_base: None,
            fill_opacity: None,
            stack: false,
            overrides: Vec::new(),
            mappings: Vec::new(),
            min_step: None,
            max_points: None,
            time_from: None,
            time_shift: None,
            histogram: None,
            quantiles: Vec::new(),
            by: Vec::new(),
            matchers: None,
            rate_window: None,
            sparkline: false,
            reduce: Reduce::default(),
            label: None,
            limit: None,
            states: Vec::new(),
            source: None,
            links: Vec::new(),
        }
    }
}

impl Dashboard {
    /// Whether the dashboard shades the firing intervals of alerts (`"alerts"`).
    pub fn shows_alerts(&self) -> bool {
        self.annotations
            .iter()
            .any(|a| matches!(a, AnnotationEntry::Alerts))
    }

    /// The query annotations, in order.
    pub fn query_annotations(&self) -> impl Iterator<Item = &Annotation> {
        self.annotations
            .iter()
            .filter_map(AnnotationEntry::as_query)
    }
}

impl Panel {
    /// The panel's queries, the shorthand `query` first.
    pub fn all_queries(&self) -> Vec<Query> {
        self.query
            .iter()
            .map(|expr| Query {
                expr: expr.clone(),
                legend: self.legend.clone(),
                ..Query::default()
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

    /// Whether the panel runs queries at all (rows, texts and placeholders do not;
    /// live tables stream).
    pub fn is_queried(&self) -> bool {
        !matches!(
            self.kind,
            PanelKind::Row | PanelKind::LiveTable | PanelKind::Text | PanelKind::Placeholder
        )
    }
}

/// Where a served dashboard came from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// One of the files built into the proxy.
    #[default]
    BuiltIn,
    /// A TOML file of `dashboards_dir`.
    File { file: String },
    /// A Grafana JSON file of `dashboards_dir`, converted when the proxy started.
    Grafana { file: String },
}

impl Origin {
    /// A short text for the dashboard list: `built-in`, `mine.toml`, `Grafana: node.json`.
    pub fn describe(&self) -> String {
        match self {
            Origin::BuiltIn => "built-in".to_owned(),
            Origin::File { file } => file.clone(),
            Origin::Grafana { file } => format!("Grafana: {file}"),
        }
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
    /// Where the dashboard came from.
    #[serde(default)]
    pub origin: Origin,
}

impl From<&Dashboard> for DashboardSummary {
    fn from(d: &Dashboard) -> Self {
        DashboardSummary {
            id: d.id.clone(),
            title: d.title.clone(),
            description: d.description.clone(),
            system: d.system.clone(),
            tags: d.tags.clone(),
            panels: d
                .panels
                .iter()
                .filter(|p| !matches!(p.kind, PanelKind::Row | PanelKind::Placeholder))
                .count(),
            origin: Origin::BuiltIn,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(annotations: &str) -> Result<Dashboard, String> {
        let text = format!("title = \"D\"\npanels = []\n{annotations}\n");
        toml::from_str(&text).map_err(|e| e.to_string())
    }

    #[test]
    fn annotations_take_the_alerts_shorthand_and_tables() {
        let d =
            parse(r#"annotations = ["alerts", { name = "deploys", expr = "changes(x[5m]) > 0" }]"#)
                .expect("parses");
        assert!(d.shows_alerts());
        let names: Vec<&str> = d.query_annotations().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["deploys"]);
        let written = toml::to_string(&d).expect("writes");
        assert_eq!(
            toml::from_str::<Dashboard>(&written).expect("reads back"),
            d
        );
        let tables = parse("[[annotations]]\nname = \"a\"\nexpr = \"up\"").expect("tables");
        assert!(!tables.shows_alerts());
        assert_eq!(tables.query_annotations().count(), 1);
    }

    #[test]
    fn annotation_mistakes_say_what_is_wrong() {
        let err = parse(r#"annotations = ["alert"]"#).expect_err("unknown shorthand");
        assert!(err.contains("unknown annotation \"alert\""), "{err}");
        let err = parse(r#"annotations = [{ name = "a", expr = "up", colour = "red" }]"#)
            .expect_err("unknown field");
        assert!(err.contains("colour"), "{err}");
    }
}
