//! Checks a dashboard beyond its syntax, with messages that name the place and the field.
//! (PromQL itself is parsed by the proxy when it loads the dashboards.)

use super::expand::{panel_queries, parse_label_values};
use super::spec::{Dashboard, Panel, PanelKind};
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
        match (&variable.query, &variable.endpoint) {
            (Some(query), None) => {
                if parse_label_values(query).is_none() {
                    report(
                        &place,
                        "query",
                        format!(
                            "{query:?} must be label_values(metric, label) or label_values(label)"
                        ),
                    );
                }
            }
            (None, Some(endpoint)) => {
                if !endpoint.starts_with("/api/") {
                    report(
                        &place,
                        "endpoint",
                        format!("{endpoint:?} must be a path of the proxy's /api/"),
                    );
                }
            }
            _ => report(
                &place,
                "query",
                "give exactly one of `query` and `endpoint`".to_owned(),
            ),
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
        for query in panel_queries(panel) {
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
    if panel.kind != PanelKind::LiveTable && panel.source.is_some() {
        out.push(("source", "only a live_table panel has a source".to_owned()));
    }
    if panel.limit == Some(0) {
        out.push(("limit", "must be at least 1".to_owned()));
    }
    out
}

/// Names used as `$name` or `${name}`, except Grafana's `$__` macros.
pub fn referenced_variables(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = expr.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let braced = bytes.get(i + 1) == Some(&b'{');
            let start = if braced { i + 2 } else { i + 1 };
            let mut end = start;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            let name = &expr[start..end];
            if !name.is_empty() && !name.starts_with("__") {
                out.push(name.to_owned());
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
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
    }
}
