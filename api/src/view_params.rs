//! The view parameters of a console URL as written: dashboard range, variables,
//! refresh, theme, time zone, focused panel; read by the console and by the proxy
//! (which plans a dashboard's first queries from them).

use std::collections::BTreeMap;

/// The URL's view parameters, as written (not yet checked against a dashboard).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewParams {
    pub from: Option<String>,
    pub to: Option<String>,
    /// `var-<name>` values in order; `$__all` stands for All.
    pub vars: BTreeMap<String, Vec<String>>,
    pub refresh: Option<String>,
    pub theme: Option<String>,
    pub tz: Option<String>,
    pub panel: Option<String>,
    /// The explore page's query.
    pub expr: Option<String>,
    /// Explore: the dashboard the query comes from (its variables complete and are
    /// substituted).
    pub dashboard: Option<String>,
    /// `off` hides a dashboard's alert bands.
    pub annotations: Option<String>,
    /// A signed embed token (embed pages only).
    pub token: Option<String>,
}

/// The value a `var-` parameter uses for "All", as Grafana writes it.
pub const ALL: &str = "$__all";

impl ViewParams {
    /// Reads the parameters from `(key, value)` pairs in URL order.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ViewParams {
        let mut params = ViewParams::default();
        for (key, value) in pairs {
            let value = value.to_owned();
            match key {
                "from" => params.from = Some(value),
                "to" => params.to = Some(value),
                "refresh" => params.refresh = Some(value),
                "theme" => params.theme = Some(value),
                "tz" => params.tz = Some(value),
                "panel" => params.panel = Some(value),
                "expr" => params.expr = Some(value),
                "dashboard" => params.dashboard = Some(value),
                "annotations" => params.annotations = Some(value),
                "token" => params.token = Some(value),
                _ => {
                    if let Some(name) = key.strip_prefix("var-") {
                        params.vars.entry(name.to_owned()).or_default().push(value);
                    }
                }
            }
        }
        params
    }
}
