//! The URL's view parameters checked against a dashboard: what is usable is used, what
//! is not falls back to the dashboard's default with a message saying so.

use crate::dashboard::expand::Selection;
use crate::dashboard::variables::initial_selection;
use crate::dashboard::{Dashboard, Variable, VariableKind, VariableOption};
use crate::duration::parse_prometheus_duration;
use crate::time_range::TimeRange;
use crate::view_params::{ALL, ViewParams};
use std::collections::BTreeMap;

/// The view a dashboard shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedView {
    pub range: TimeRange,
    /// Auto-refresh interval in milliseconds, `None` for off.
    pub refresh_ms: Option<u64>,
    /// The refresh as written (`30s`), for the picker.
    pub refresh: Option<String>,
    pub utc: bool,
    /// The focused panel, if the URL names one that exists.
    pub panel: Option<String>,
    /// What in the URL could not be used, in words.
    pub problems: Vec<String>,
}

/// Checks `params` against `dashboard` at `now_ms`.
pub fn resolve_view(params: &ViewParams, dashboard: &Dashboard, now_ms: i64) -> ResolvedView {
    let mut problems = Vec::new();
    let from = params
        .from
        .clone()
        .unwrap_or_else(|| dashboard.time.from.clone());
    let to = params
        .to
        .clone()
        .unwrap_or_else(|| dashboard.time.to.clone());
    let range = match TimeRange::parse(&from, &to, now_ms) {
        Ok(range) => range,
        Err(message) => {
            problems.push(format!(
                "{message}; showing the dashboard's default range instead"
            ));
            TimeRange::parse(&dashboard.time.from, &dashboard.time.to, now_ms).unwrap_or_default()
        }
    };
    let refresh = match params.refresh.as_deref() {
        Some("off") | Some("") => None,
        Some(text) => Some(text.to_owned()),
        None => dashboard.refresh.clone(),
    };
    let (refresh, refresh_ms) = match refresh
        .as_deref()
        .map(|r| (r, parse_prometheus_duration(r)))
    {
        None => (None, None),
        Some((text, Ok(ms))) if ms >= 1_000 => (Some(text.to_owned()), Some(ms)),
        Some((text, _)) => {
            problems.push(format!(
                "refresh={text:?} is not an interval of at least 1s; auto-refresh is off"
            ));
            (None, None)
        }
    };
    // The dashboard's own zone when the URL says nothing; only UTC differs from the
    // browser's here.
    let tz = params.tz.as_deref().or(dashboard
        .timezone
        .as_deref()
        .filter(|z| z.eq_ignore_ascii_case("utc")));
    let utc = match tz {
        None | Some("browser") | Some("local") => false,
        Some("utc") | Some("UTC") => true,
        Some(other) => {
            problems.push(format!(
                "tz={other:?} is not a time zone setting (use utc or browser); showing local time"
            ));
            false
        }
    };
    if let Some(theme) = params
        .theme
        .as_deref()
        .filter(|t| !matches!(*t, "light" | "dark"))
    {
        problems.push(format!(
            "theme={theme:?} is not light or dark; using the system's theme"
        ));
    }
    let panel = params.panel.as_ref().and_then(|id| {
        if dashboard.panels.iter().any(|p| &p.id == id) {
            Some(id.clone())
        } else {
            problems.push(format!(
                "this dashboard has no panel {id:?}; showing all panels"
            ));
            None
        }
    });
    for name in params.vars.keys() {
        if !dashboard.variables.iter().any(|v| &v.name == name) {
            problems.push(format!(
                "this dashboard has no variable {name:?}; it was ignored"
            ));
        }
    }
    ResolvedView {
        range,
        refresh_ms,
        refresh,
        utc,
        panel,
        problems,
    }
}

/// A variable's selection from its URL values and the values that exist. Unknown values
/// are dropped with a message; when nothing usable is left the default applies. A
/// textbox takes any text; a constant is always its value.
pub fn resolve_selection(
    variable: &Variable,
    url: Option<&Vec<String>>,
    options: &[VariableOption],
) -> (Selection, Option<String>) {
    let default = || initial_selection(variable, options);
    let Some(values) = url.filter(|v| !v.is_empty()) else {
        return (default(), None);
    };
    match variable.kind {
        VariableKind::Constant => return (default(), None),
        VariableKind::Textbox => return (Selection::Values(vec![values[0].clone()]), None),
        _ => {}
    }
    if values.iter().any(|v| v == ALL) {
        return if variable.include_all {
            (Selection::All, None)
        } else {
            (
                default(),
                Some(format!(
                    "{} does not offer All; using its default",
                    variable.name
                )),
            )
        };
    }
    let (known, unknown): (Vec<String>, Vec<String>) = values
        .iter()
        .cloned()
        .partition(|v| options.iter().any(|o| &o.value == v));
    let mut known = known;
    if !variable.multi {
        known.truncate(1);
    }
    let problem = (!unknown.is_empty()).then(|| {
        format!(
            "{} has no value {}; {}",
            variable.name,
            quoted(&unknown),
            if known.is_empty() {
                "using its default"
            } else {
                "it was dropped"
            }
        )
    });
    if known.is_empty() {
        (default(), problem)
    } else {
        (Selection::Values(known), problem)
    }
}

/// The selection when the options cannot change it: "All", asked for by the URL or by
/// default (a variable offering All with no default values). Panels then query at once,
/// without waiting for the variable's lookup; `None` when the options decide.
pub fn selection_without_options(
    variable: &Variable,
    url: Option<&Vec<String>>,
) -> Option<Selection> {
    if !variable.include_all
        || matches!(
            variable.kind,
            VariableKind::Constant | VariableKind::Textbox
        )
    {
        return None;
    }
    match url.filter(|v| !v.is_empty()) {
        Some(values) => values.iter().any(|v| v == ALL).then_some(Selection::All),
        None => variable.default.is_empty().then_some(Selection::All),
    }
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Each selection written back as URL values.
pub fn selection_to_url(selection: &Selection) -> Vec<String> {
    match selection {
        Selection::All => vec![ALL.to_owned()],
        Selection::Values(values) => values.clone(),
    }
}

/// The selections of all variables, for substitution.
pub type Selections = BTreeMap<String, Selection>;

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;

    fn dashboard() -> Dashboard {
        serde_json::from_str(
            r#"{"id":"d","title":"D","refresh":"30s","time":{"from":"now-24h"},
                "variables":[{"name":"repository","query":"label_values(m, repository)","multi":true,"include_all":true},
                             {"name":"model","query":"label_values(m, model)"}],
                "panels":[{"id":"p","title":"P","type":"stat","query":"m"}]}"#,
        )
        .expect("dashboard")
    }

    #[test]
    fn defaults_come_from_the_dashboard() {
        let view = resolve_view(&ViewParams::default(), &dashboard(), NOW);
        assert_eq!(view.range.from.to_string(), "now-1d");
        assert_eq!(view.refresh_ms, Some(30_000));
        assert!(!view.utc);
        assert!(view.problems.is_empty());
    }

    #[test]
    fn bad_parameters_fall_back_with_messages() {
        let params = ViewParams {
            from: Some("yesterday".into()),
            refresh: Some("fast".into()),
            tz: Some("mars".into()),
            theme: Some("purple".into()),
            panel: Some("nope".into()),
            vars: BTreeMap::from([("colour".to_owned(), vec!["red".to_owned()])]),
            ..ViewParams::default()
        };
        let view = resolve_view(&params, &dashboard(), NOW);
        assert_eq!(view.range.from.to_string(), "now-1d");
        assert_eq!(view.refresh_ms, None);
        assert_eq!(view.panel, None);
        assert_eq!(view.problems.len(), 6, "{:?}", view.problems);
    }

    #[test]
    fn refresh_off_and_utc() {
        let params = ViewParams {
            refresh: Some("off".into()),
            tz: Some("utc".into()),
            ..ViewParams::default()
        };
        let view = resolve_view(&params, &dashboard(), NOW);
        assert_eq!(view.refresh, None);
        assert!(view.utc);
    }

    #[test]
    fn selections_keep_known_values() {
        let d = dashboard();
        let options = vec![VariableOption::plain("a/x"), VariableOption::plain("b/y")];
        let repo = &d.variables[0];
        assert_eq!(
            resolve_selection(repo, None, &options),
            (Selection::All, None)
        );
        let url = vec!["b/y".to_owned(), "zzz".to_owned()];
        let (selection, problem) = resolve_selection(repo, Some(&url), &options);
        assert_eq!(selection, Selection::Values(vec!["b/y".into()]));
        assert!(problem.is_some_and(|p| p.contains("zzz")));
        let model = &d.variables[1];
        let (selection, problem) = resolve_selection(model, Some(&vec![ALL.to_owned()]), &options);
        assert_eq!(selection, Selection::Values(vec!["a/x".into()]));
        assert!(problem.is_some());
    }

    #[test]
    fn the_dashboard_time_zone_is_the_default() {
        let mut d = dashboard();
        d.timezone = Some("utc".into());
        assert!(resolve_view(&ViewParams::default(), &d, NOW).utc);
        let browser = ViewParams {
            tz: Some("browser".into()),
            ..ViewParams::default()
        };
        assert!(!resolve_view(&browser, &d, NOW).utc);
    }

    #[test]
    fn textboxes_take_any_text_and_constants_stay() {
        let text: Variable =
            serde_json::from_str(r#"{"name":"f","kind":"textbox","default":["x"]}"#).expect("v");
        let url = vec!["anything".to_owned()];
        assert_eq!(
            resolve_selection(&text, Some(&url), &[]).0,
            Selection::Values(vec!["anything".into()])
        );
        assert_eq!(
            resolve_selection(&text, None, &[]).0,
            Selection::Values(vec!["x".into()])
        );
        let constant: Variable =
            serde_json::from_str(r#"{"name":"c","kind":"constant","default":["k"]}"#).expect("v");
        assert_eq!(
            resolve_selection(&constant, Some(&url), &[]).0,
            Selection::Values(vec!["k".into()])
        );
    }

    #[test]
    fn all_is_known_before_the_options_only_when_nothing_else_could_be_chosen() {
        let d = dashboard();
        let (repository, model) = (&d.variables[0], &d.variables[1]);
        assert_eq!(
            selection_without_options(repository, None),
            Some(Selection::All)
        );
        let all = vec![ALL.to_owned()];
        assert_eq!(
            selection_without_options(repository, Some(&all)),
            Some(Selection::All)
        );
        let named = vec!["acme/api".to_owned()];
        assert_eq!(selection_without_options(repository, Some(&named)), None);
        // No All on offer: the first option decides.
        assert_eq!(selection_without_options(model, None), None);
        assert_eq!(selection_without_options(model, Some(&all)), None);
    }
}
