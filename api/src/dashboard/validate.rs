//! Checks a dashboard beyond its syntax, with messages that name the place and the field.
//! (PromQL itself is parsed by the proxy when it loads the dashboards.)

use super::expand::panel_queries;
use super::spec::{Dashboard, Link, Panel, PanelKind, ThresholdMode, Variable, VariableKind};
use super::template::referenced_names;
use super::variables::parse_variable_query;
use crate::duration::parse_prometheus_duration;
use crate::time_range::TimeRange;
use std::collections::HashSet;
use std::fmt;

/// One thing wrong with a dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `dashboard`, `variables[1] (repository)` or `panels[3] (top-repositories)`.
    pub place: String,
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}`: {}", self.place, self.field, self.message)
    }
}

fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Every problem of `dashboard`; empty when it is valid.
pub fn validate(dashboard: &Dashboard) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = |place: &str, field: &str, message: String| {
        problems.push(Problem {
            place: place.to_owned(),
            field: field.to_owned(),
            message,
        });
    };

    if !is_slug(&dashboard.id) {
        report(
            "dashboard",
            "id",
            format!(
                "{:?} must be lowercase letters, digits and dashes (it comes from the file name)",
                dashboard.id
            ),
        );
    }
    if dashboard.title.trim().is_empty() {
        report("dashboard", "title", "must not be empty".to_owned());
    }
    if let Some(refresh) = &dashboard.refresh
        && parse_prometheus_duration(refresh).map_or(true, |ms| ms < 1_000)
    {
        report(
            "dashboard",
            "refresh",
            format!("{refresh:?} is not a duration of at least 1s"),
        );
    }
    if let Err(message) =
        TimeRange::parse(&dashboard.time.from, &dashboard.time.to, 1_700_000_000_000)
    {
        report("dashboard", "time", message);
    }
    if dashboard.scrape_interval.is_nan() || dashboard.scrape_interval <= 0.0 {
        report(
            "dashboard",
            "scrape_interval",
            "must be more than 0 seconds".to_owned(),
        );
    }

    if dashboard
        .timezone
        .as_deref()
        .is_some_and(|tz| tz.trim().is_empty())
    {
        report("dashboard", "timezone", "must not be empty".to_owned());
    }
    for (i, link) in dashboard.links.iter().enumerate() {
        if let Some(message) = link_problem(link) {
            report("dashboard", &format!("links[{i}]"), message);
        }
    }
    let names: HashSet<&str> = dashboard
        .variables
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    let unknown = |text: &str| -> Vec<String> {
        referenced_names(text)
            .into_iter()
            .filter(|used| !names.contains(used.as_str()))
            .map(|used| format!("uses ${used}, which is not a variable of this dashboard"))
            .collect()
    };
    for (i, entry) in dashboard.annotations.iter().enumerate() {
        let Some(annotation) = entry.as_query() else {
            continue;
        };
        let place = format!("annotations[{i}] ({})", annotation.name);
        if annotation.name.trim().is_empty() {
            report(&place, "name", "must not be empty".to_owned());
        }
        if annotation.expr.trim().is_empty() {
            report(&place, "expr", "must not be empty".to_owned());
        }
        for message in unknown(&annotation.expr) {
            report(&place, "expr", message);
        }
    }
    for (i, variable) in dashboard.variables.iter().enumerate() {
        if let Some(query) = &variable.query {
            for message in unknown(query) {
                report(
                    &format!("variables[{i}] ({})", variable.name),
                    "query",
                    message,
                );
            }
        }
    }

    let mut names = HashSet::new();
    for (i, variable) in dashboard.variables.iter().enumerate() {
        let place = format!("variables[{i}] ({})", variable.name);
        if !is_identifier(&variable.name) || variable.name.starts_with("__") {
            report(
                &place,
                "name",
                format!(
                    "{:?} must be letters, digits and _ and not start with __",
                    variable.name
                ),
            );
        }
        if !names.insert(variable.name.as_str()) {
            report(&place, "name", "is defined twice".to_owned());
        }
        for (field, message) in variable_problems(variable) {
            report(&place, field, message);
        }
        if !variable.multi && variable.default.len() > 1 {
            report(
                &place,
                "default",
                "has several values but `multi` is false".to_owned(),
            );
        }
    }

    let mut ids = HashSet::new();
    for (i, panel) in dashboard.panels.iter().enumerate() {
        let place = format!("panels[{i}] ({})", panel.id);
        if !is_slug(&panel.id) {
            report(
                &place,
                "id",
                format!(
                    "{:?} must be lowercase letters, digits and dashes",
                    panel.id
                ),
            );
        }
        if !ids.insert(panel.id.as_str()) {
            report(&place, "id", "is used by another panel".to_owned());
        }
        if panel.title.trim().is_empty() {
            report(&place, "title", "must not be empty".to_owned());
        }
        if !(1..=12).contains(&panel.width) {
            report(
                &place,
                "width",
                format!("{} is not between 1 and 12", panel.width),
            );
        }
        if let Some(height) = panel.height
            && !(40..=2_000).contains(&height)
        {
            report(
                &place,
                "height",
                format!("{height} is not between 40 and 2000"),
            );
        }
        for (field, message) in kind_problems(panel) {
            report(&place, field, message);
        }
        for (field, message) in display_problems(panel) {
            report(&place, field, message);
        }
        if let Some(repeat) = &panel.repeat
            && !names.contains(repeat.as_str())
        {
            report(
                &place,
                "repeat",
                format!("{repeat:?} is not a variable of this dashboard"),
            );
        }
        for (field, value) in [
            ("min_step", &panel.min_step),
            ("time_from", &panel.time_from),
            ("time_shift", &panel.time_shift),
        ] {
            if let Some(text) = value
                && !is_duration_or_variable(text)
            {
                report(
                    &place,
                    field,
                    format!("{text:?} is not a duration (such as 5m) or a variable"),
                );
            }
        }
        for (j, link) in panel.links.iter().enumerate() {
            if let Some(message) = link_problem(link) {
                report(&place, &format!("links[{j}]"), message);
            }
        }
        for query in panel_queries(panel) {
            if let Some(step) = &query.min_step
                && !is_duration_or_variable(step)
            {
                report(
                    &place,
                    "queries.min_step",
                    format!("{step:?} is not a duration (such as 5m) or a variable"),
                );
            }
            for used in referenced_variables(&query.expr) {
                if !names.contains(used.as_str()) {
                    report(
                        &place,
                        "query",
                        format!("uses ${used}, which is not a variable of this dashboard"),
                    );
                }
            }
        }
    }
    problems
}

/// What each kind of panel needs.
fn kind_problems(panel: &Panel) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let queries = panel.all_queries();
    let has_histogram = panel
        .histogram
        .as_deref()
        .is_some_and(|h| is_identifier(&h.replace(':', "_")));
    match panel.kind {
        PanelKind::Row => {
            if !queries.is_empty() {
                out.push(("query", "a row has no queries".to_owned()));
            }
        }
        PanelKind::Text | PanelKind::Placeholder => {
            if !queries.is_empty() {
                out.push((
                    "query",
                    "a text or placeholder panel has no queries".to_owned(),
                ));
            }
            if panel.content.as_deref().is_none_or(|c| c.trim().is_empty()) {
                out.push(("content", "needs the text to show".to_owned()));
            }
        }
        PanelKind::Heatmap if !queries.is_empty() => {
            if panel.histogram.is_some() {
                out.push((
                    "query",
                    "give either `histogram` or queries of buckets labelled `le`, not both"
                        .to_owned(),
                ));
            }
            if queries.iter().any(|q| q.expr.trim().is_empty()) {
                out.push(("query", "must not be empty".to_owned()));
            }
        }
        PanelKind::LiveTable => {
            if !queries.is_empty() {
                out.push((
                    "query",
                    "a live table streams its rows from `source`; remove `query`".to_owned(),
                ));
            }
            match panel.source.as_deref() {
                Some(source) if crate::live::SOURCES.contains(&source) => {}
                Some(source) => out.push((
                    "source",
                    format!(
                        "{source:?} is not a live source; use one of {}",
                        crate::live::SOURCES.join(", ")
                    ),
                )),
                None => out.push((
                    "source",
                    format!(
                        "needs the stream to show, one of {}",
                        crate::live::SOURCES.join(", ")
                    ),
                )),
            }
        }
        PanelKind::Percentiles | PanelKind::Heatmap => {
            if !has_histogram {
                out.push((
                    "histogram",
                    "needs the histogram's base name, e.g. http_request_duration_seconds"
                        .to_owned(),
                ));
            }
            if !queries.is_empty() {
                out.push((
                    "query",
                    "the queries are written from `histogram`; remove `query`".to_owned(),
                ));
            }
            if panel.kind == PanelKind::Percentiles {
                if panel.quantiles.is_empty() {
                    out.push((
                        "quantiles",
                        "needs at least one quantile, e.g. [0.5, 0.95, 0.99]".to_owned(),
                    ));
                }
                for q in &panel.quantiles {
                    if !(*q > 0.0 && *q < 1.0) {
                        out.push(("quantiles", format!("{q} is not between 0 and 1")));
                    }
                }
            }
        }
        _ => {
            if queries.is_empty() {
                out.push((
                    "query",
                    "needs `query` or at least one `[[panels.queries]]`".to_owned(),
                ));
            }
            if queries.iter().any(|q| q.expr.trim().is_empty()) {
                out.push(("query", "must not be empty".to_owned()));
            }
        }
    }
    if panel.kind == PanelKind::StateGrid && panel.states.is_empty() {
        out.push((
            "states",
            "needs the states, e.g. { value = 0, name = \"CLOSED\" }".to_owned(),
        ));
    }
    if panel.kind != PanelKind::Row && panel.collapsed {
        out.push(("collapsed", "only a row can be collapsed".to_owned()));
    }
    if !matches!(panel.kind, PanelKind::Text | PanelKind::Placeholder) && panel.content.is_some() {
        out.push((
            "content",
            "only a text or placeholder panel has content".to_owned(),
        ));
    }
    if panel.kind != PanelKind::LiveTable && panel.source.is_some() {
        out.push(("source", "only a live_table panel has a source".to_owned()));
    }
    if panel.limit == Some(0) {
        out.push(("limit", "must be at least 1".to_owned()));
    }
    out
}

/// Names used as `$name`, `${name}`, `${name:format}` or `[[name]]`, except Grafana's
/// `$__` macros and `$1`-style groups.
pub fn referenced_variables(expr: &str) -> Vec<String> {
    referenced_names(expr)
}

/// What each kind of variable needs.
fn variable_problems(variable: &Variable) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let has_source = variable.query.is_some() || variable.endpoint.is_some();
    match variable.kind {
        VariableKind::Query => match (&variable.query, &variable.endpoint) {
            (Some(query), None) => {
                if parse_variable_query(query).is_none() {
                    out.push((
                        "query",
                        format!(
                            "{query:?} must be label_values(metric, label), label_values(label), label_names(), metrics(regex) or query_result(expr)"
                        ),
                    ));
                }
            }
            (None, Some(endpoint)) => {
                if !endpoint.starts_with("/api/") {
                    out.push((
                        "endpoint",
                        format!("{endpoint:?} must be a path of the proxy's /api/"),
                    ));
                }
            }
            _ => out.push((
                "query",
                "give exactly one of `query` and `endpoint`".to_owned(),
            )),
        },
        kind => {
            if has_source {
                out.push((
                    "query",
                    format!("a {kind:?} variable takes no `query` or `endpoint`").to_lowercase(),
                ));
            }
            match kind {
                VariableKind::Custom if variable.options.is_empty() => {
                    out.push(("options", "needs at least one option".to_owned()));
                }
                VariableKind::Interval => {
                    if variable.options.is_empty() && !variable.auto {
                        out.push((
                            "options",
                            "needs at least one duration, or `auto`".to_owned(),
                        ));
                    }
                    for option in &variable.options {
                        if parse_prometheus_duration(&option.value).is_err() {
                            out.push((
                                "options",
                                format!("{:?} is not a duration such as 5m", option.value),
                            ));
                        }
                    }
                }
                VariableKind::Constant if variable.default.len() != 1 => {
                    out.push(("default", "a constant has exactly one value".to_owned()));
                }
                VariableKind::Textbox if variable.default.len() > 1 => {
                    out.push(("default", "a textbox has at most one value".to_owned()));
                }
                _ => {}
            }
        }
    }
    if let Some(min) = &variable.auto_min
        && parse_prometheus_duration(min).is_err()
    {
        out.push(("auto_min", format!("{min:?} is not a duration such as 10s")));
    }
    if variable.auto_count == Some(0) {
        out.push(("auto_count", "must be at least 1".to_owned()));
    }
    if variable.options.iter().any(|o| o.value.is_empty()) {
        out.push(("options", "an option's value must not be empty".to_owned()));
    }
    out
}

/// Settings of how values are shown that must be in range.
fn display_problems(panel: &Panel) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if panel.fill_opacity.is_some_and(|f| f > 100) {
        out.push(("fill_opacity", "must be between 0 and 100".to_owned()));
    }
    if let Some(base) = panel.log_base
        && base != 2
        && base != 10
    {
        out.push(("log_base", format!("{base} is not 2 or 10")));
    }
    if panel.decimals.is_some_and(|d| d > 20) {
        out.push(("decimals", "must be at most 20".to_owned()));
    }
    if let (Some(min), Some(max)) = (panel.min, panel.max)
        && min >= max
    {
        out.push(("max", format!("{max} is not above min {min}")));
    }
    for (field, value) in [("min", panel.min), ("max", panel.max)] {
        if value.is_some_and(|v| !v.is_finite()) {
            out.push((field, "must be a finite number".to_owned()));
        }
    }
    if panel.threshold_mode == ThresholdMode::Percentage
        && panel
            .thresholds
            .iter()
            .any(|t| !(0.0..=100.0).contains(&t.value))
    {
        out.push((
            "thresholds",
            "percentage thresholds are between 0 and 100".to_owned(),
        ));
    }
    if panel.thresholds.iter().any(|t| !t.value.is_finite()) {
        out.push((
            "thresholds",
            "a threshold must be a finite number".to_owned(),
        ));
    }
    if panel.max_per_row == Some(0) {
        out.push(("max_per_row", "must be at least 1".to_owned()));
    }
    if panel.max_points == Some(0) {
        out.push(("max_points", "must be at least 1".to_owned()));
    }
    if panel.queries.iter().any(|q| q.interval_factor == Some(0)) {
        out.push(("queries.interval_factor", "must be at least 1".to_owned()));
    }
    if panel.repeat.is_none() && (panel.repeat_direction.is_some() || panel.max_per_row.is_some()) {
        out.push((
            "repeat",
            "`repeat_direction` and `max_per_row` need `repeat`".to_owned(),
        ));
    }
    for o in &panel.overrides {
        if o.name.is_none() && o.regex.is_none() && o.ref_id.is_none() {
            out.push((
                "overrides",
                "an override needs `name`, `regex` or `ref_id`".to_owned(),
            ));
        }
    }
    for m in &panel.mappings {
        if m.value.is_none() && m.from.is_none() && m.to.is_none() && !m.null {
            out.push((
                "mappings",
                "a mapping needs `value`, `from`/`to` or `null`".to_owned(),
            ));
        }
    }
    out
}

fn link_problem(link: &Link) -> Option<String> {
    if link.title.trim().is_empty() {
        Some("a link needs a title".to_owned())
    } else if link.url.trim().is_empty() && link.tags.is_empty() {
        Some("a link needs a `url` or `tags`".to_owned())
    } else {
        None
    }
}

/// A Prometheus duration, or text that is only a variable reference (`$interval`).
fn is_duration_or_variable(text: &str) -> bool {
    let text = text.trim();
    parse_prometheus_duration(text).is_ok()
        || (text.starts_with(['$', '[']) && !referenced_names(text).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dashboard(panels: &str) -> Dashboard {
        let text = format!(
            r#"{{"id":"cost","title":"Cost","time":{{"from":"now-6h"}},
               "variables":[{{"name":"repository","query":"label_values(orchestrator_cost_attribution, repository)"}}],
               "panels":[{panels}]}}"#
        );
        serde_json::from_str(&text).expect("valid shape")
    }

    #[test]
    fn a_good_dashboard_has_no_problems() {
        let d = dashboard(
            r#"{"id":"total","title":"Total","type":"stat","query":"sum(orchestrator_cost_attribution{repository=~\"$repository\"})"}"#,
        );
        assert_eq!(validate(&d), vec![]);
    }

    #[test]
    fn names_place_and_field() {
        let d = dashboard(
            r#"{"id":"a","title":"A","type":"stat"},
               {"id":"a","title":"","type":"percentiles","width":13,"quantiles":[1.5]},
               {"id":"b","title":"B","type":"timeseries","query":"rate(x{u=~\"$user\"}[5m])"}"#,
        );
        let problems: Vec<String> = validate(&d).iter().map(ToString::to_string).collect();
        let expected = [
            "panels[0] (a): `query`: needs `query` or at least one `[[panels.queries]]`",
            "panels[1] (a): `id`: is used by another panel",
            "panels[1] (a): `title`: must not be empty",
            "panels[1] (a): `width`: 13 is not between 1 and 12",
            "panels[1] (a): `histogram`: needs the histogram's base name, e.g. http_request_duration_seconds",
            "panels[1] (a): `quantiles`: 1.5 is not between 0 and 1",
            "panels[2] (b): `query`: uses $user, which is not a variable of this dashboard",
        ];
        assert_eq!(problems, expected);
    }

    #[test]
    fn live_tables_need_a_known_source_and_no_query() {
        let d = dashboard(
            r#"{"id":"live","title":"Live","type":"live_table","source":"websocket-connections"},
               {"id":"bad","title":"Bad","type":"live_table","source":"sessions","query":"up"},
               {"id":"none","title":"None","type":"live_table"},
               {"id":"stat","title":"Stat","type":"stat","query":"up","source":"circuit-breakers"}"#,
        );
        let problems: Vec<String> = validate(&d).iter().map(ToString::to_string).collect();
        let expected = [
            "panels[1] (bad): `query`: a live table streams its rows from `source`; remove `query`",
            "panels[1] (bad): `source`: \"sessions\" is not a live source; use one of websocket-connections, circuit-breakers",
            "panels[2] (none): `source`: needs the stream to show, one of websocket-connections, circuit-breakers",
            "panels[3] (stat): `source`: only a live_table panel has a source",
        ];
        assert_eq!(problems, expected);
    }

    #[test]
    fn checks_the_new_kinds_and_fields() {
        let d = dashboard(
            r##"{"id":"text","title":"Notes","type":"text","content":"# Hi"},
               {"id":"empty","title":"Empty","type":"placeholder"},
               {"id":"g","title":"G","type":"gauge","query":"up","min":10,"max":5,"fill_opacity":120,"log_base":3},
               {"id":"h","title":"H","type":"heatmap","query":"sum by (le) (rate(x_bucket[5m]))"},
               {"id":"hb","title":"HB","type":"heatmap","histogram":"x","query":"up"},
               {"id":"r","title":"R","type":"row","collapsed":true,"repeat":"nope"},
               {"id":"s","title":"S","type":"stat","query":"up","collapsed":true,"content":"x","time_from":"soon","min_step":"$repository","max_per_row":2,"repeat":"repository","threshold_mode":"percentage","thresholds":[{"value":120}]}"##,
        );
        let problems: Vec<String> = validate(&d).iter().map(ToString::to_string).collect();
        let expected = [
            "panels[1] (empty): `content`: needs the text to show",
            "panels[2] (g): `fill_opacity`: must be between 0 and 100",
            "panels[2] (g): `log_base`: 3 is not 2 or 10",
            "panels[2] (g): `max`: 5 is not above min 10",
            "panels[4] (hb): `query`: give either `histogram` or queries of buckets labelled `le`, not both",
            "panels[5] (r): `repeat`: \"nope\" is not a variable of this dashboard",
            "panels[6] (s): `collapsed`: only a row can be collapsed",
            "panels[6] (s): `content`: only a text or placeholder panel has content",
            "panels[6] (s): `thresholds`: percentage thresholds are between 0 and 100",
            "panels[6] (s): `time_from`: \"soon\" is not a duration (such as 5m) or a variable",
        ];
        assert_eq!(problems, expected);
    }

    #[test]
    fn checks_each_kind_of_variable() {
        let text = r#"{"id":"v","title":"V","panels":[],
            "annotations":[{"name":"deploys","expr":"changes(build_info{job=\"$job\"}[5m]) > 0"}],
            "links":[{"title":"Docs","url":"https://example.com"},{"title":"Related","tags":["k8s"]},{"title":"Nothing"}],
            "variables":[
              {"name":"names","query":"label_names()"},
              {"name":"metric","query":"metrics(node_.*)","regex":"/node_(.*)/"},
              {"name":"top","query":"query_result(topk(5, up))","sort":"natural_desc"},
              {"name":"env","kind":"custom","options":[{"text":"Production","value":"prod"},{"value":"dev"}],"include_all":true,"all_value":".+"},
              {"name":"step","kind":"interval","options":[{"value":"1m"},{"value":"soon"}],"auto":true,"auto_count":0},
              {"name":"c","kind":"constant","default":["a","b"],"hide":"variable"},
              {"name":"t","kind":"textbox","query":"x"},
              {"name":"empty","kind":"custom"},
              {"name":"bad","query":"up"}
            ]}"#;
        let d: Dashboard = serde_json::from_str(text).expect("valid shape");
        let problems: Vec<String> = validate(&d).iter().map(ToString::to_string).collect();
        let expected = [
            "dashboard: `links[2]`: a link needs a `url` or `tags`",
            "annotations[0] (deploys): `expr`: uses $job, which is not a variable of this dashboard",
            "variables[4] (step): `options`: \"soon\" is not a duration such as 5m",
            "variables[4] (step): `auto_count`: must be at least 1",
            "variables[5] (c): `default`: a constant has exactly one value",
            "variables[5] (c): `default`: has several values but `multi` is false",
            "variables[6] (t): `query`: a textbox variable takes no `query` or `endpoint`",
            "variables[7] (empty): `options`: needs at least one option",
            "variables[8] (bad): `query`: \"up\" must be label_values(metric, label), label_values(label), label_names(), metrics(regex) or query_result(expr)",
        ];
        assert_eq!(problems, expected);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = serde_json::from_str::<Dashboard>(r#"{"title":"x","panels":[],"refesh":"5s"}"#)
            .expect_err("typo refused");
        assert!(err.to_string().contains("refesh"), "{err}");
    }

    #[test]
    fn finds_variable_references() {
        assert_eq!(
            referenced_variables(r#"m{a=~"$a",b=~"${bb}"}[$__rate_interval] $"#),
            vec!["a", "bb"]
        );
        assert_eq!(
            referenced_variables(
                r#"label_replace(m{c=~"${c:regex}"}, "x", "$1", "y", "[[d]](.*)")"#
            ),
            vec!["c", "d"]
        );
    }
}
