//! A dashboard page's first queries, planned before the console runs: the proxy
//! announces them to the page (`/api/dashboards/{id}/first-queries`), which preloads
//! them while the console's wasm is still downloading. Each is the request the console
//! itself sends for that view, window width and moment, so the browser hands the
//! console the answer already on its way.
//!
//! Only what is known without asking the server is planned: a variable whose selection
//! would come from its lookup (its first value, say) leaves out the panels that use it,
//! and repeated panels and folded rows are left out as the console leaves them out.

use crate::dashboard::expand::Selection;
use crate::dashboard::plan::{
    PlanInputs, grid_width_for_viewport, panel_width_px, plan_panel_queries,
};
use crate::dashboard::sections::sections;
use crate::dashboard::template::referenced_names;
use crate::dashboard::variables::{all_values, resolve_auto, static_options};
use crate::dashboard::view_state::{resolve_selection, resolve_view, selection_without_options};
use crate::dashboard::{Dashboard, Panel, PanelKind, Variable, VariableKind, VariableOption};
use crate::view_params::{ALL, ViewParams};
use std::collections::BTreeMap;

/// The URLs of the queries the console sends first for `dashboard` viewed with
/// `params`, in a window `viewport_px` wide, at `now_ms`; each once.
pub fn first_queries(
    dashboard: &Dashboard,
    params: &ViewParams,
    viewport_px: f64,
    now_ms: i64,
) -> Vec<String> {
    let view = resolve_view(params, dashboard, now_ms);
    let range_ms = view.range.resolve(now_ms);
    let span = (range_ms.1 - range_ms.0).max(1) as u64;
    let selections: BTreeMap<String, Selection> = dashboard
        .variables
        .iter()
        .filter_map(|v| {
            let chosen = known_selection(v, params.vars.get(&v.name))?;
            Some((v.name.clone(), resolve_auto(v, chosen, span)))
        })
        .collect();
    let all_values = all_values(&dashboard.variables);
    let grid = grid_width_for_viewport(viewport_px);
    let shown: Vec<(Panel, u32)> = match &view.panel {
        Some(id) => dashboard
            .panels
            .iter()
            .filter(|p| &p.id == id)
            .map(|p| (p.clone(), 12))
            .collect(),
        None => open_panels(&dashboard.panels)
            .into_iter()
            .map(|p| {
                let share = u32::from(p.width);
                (p, share)
            })
            .collect(),
    };
    let mut urls: Vec<String> = Vec::new();
    for (panel, share) in shown.iter().map(|(p, share)| (p, *share)) {
        if !queries_directly(panel) || panel.repeat.is_some() {
            continue;
        }
        let uses_unknown = panel_texts(panel)
            .iter()
            .flat_map(|text| referenced_names(text))
            .any(|name| {
                dashboard.variables.iter().any(|v| v.name == name)
                    && !selections.contains_key(&name)
            });
        if uses_unknown {
            continue;
        }
        let inputs = PlanInputs {
            range_ms,
            width_px: panel_width_px(grid, share),
            scrape_interval: dashboard.scrape_interval,
            selections: &selections,
            all_values: &all_values,
        };
        for query in plan_panel_queries(panel, &inputs) {
            let url = query.url();
            if !urls.contains(&url) {
                urls.push(url);
            }
        }
    }
    urls
}

/// A variable's selection when its lookup cannot change it: a fixed list or a textbox,
/// "All" (by the URL or by default), or values the URL names (taken as they are: if
/// one does not exist, the console asks again and the announced answer goes unused).
fn known_selection(variable: &Variable, url: Option<&Vec<String>>) -> Option<Selection> {
    if let Some(options) = static_options(variable) {
        return Some(resolve_selection(variable, url, &options).0);
    }
    if variable.kind == VariableKind::Textbox {
        return Some(resolve_selection(variable, url, &[]).0);
    }
    if let Some(all) = selection_without_options(variable, url) {
        return Some(all);
    }
    let named: Vec<VariableOption> = url?
        .iter()
        .filter(|v| v.as_str() != ALL)
        .map(|v| VariableOption {
            text: String::new(),
            value: v.clone(),
        })
        .collect();
    (!named.is_empty()).then(|| resolve_selection(variable, url, &named).0)
}

/// The panels the grid creates at first: those before the first row and those of open
/// rows (a folded row creates its panels only once opened), not those of a repeated row.
fn open_panels(panels: &[Panel]) -> Vec<Panel> {
    sections(panels)
        .into_iter()
        .filter(|s| {
            s.row
                .as_ref()
                .is_none_or(|row| !row.collapsed && row.repeat.is_none())
        })
        .flat_map(|s| s.panels)
        .collect()
}

/// Whether the console sends the panel's PromQL itself (live tables stream, text
/// panels show text).
fn queries_directly(panel: &Panel) -> bool {
    !matches!(
        panel.kind,
        PanelKind::Row | PanelKind::LiveTable | PanelKind::Text | PanelKind::Placeholder
    )
}

/// The texts of a panel that may name variables and so change its queries.
fn panel_texts(panel: &Panel) -> Vec<String> {
    crate::dashboard::expand::panel_queries(panel)
        .into_iter()
        .flat_map(|q| [Some(q.expr), q.min_step])
        .flatten()
        .chain(panel.time_from.clone())
        .chain(panel.time_shift.clone())
        .chain(panel.min_step.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;

    fn dashboard(json: &str) -> Dashboard {
        serde_json::from_str(json).expect("dashboard")
    }

    fn params(pairs: &[(&str, &str)]) -> ViewParams {
        ViewParams::from_pairs(pairs.iter().copied())
    }

    const COST: &str = r#"{"id":"c","title":"C","time":{"from":"now-1h"},
        "variables":[{"name":"repo","query":"label_values(m, repo)","multi":true,"include_all":true},
                     {"name":"model","query":"label_values(m, model)"}],
        "panels":[{"id":"total","title":"Total","type":"stat","width":3,"query":"sum(m{repo=~\"$repo\"})"},
                  {"id":"trend","title":"Trend","type":"timeseries","width":6,"query":"sum(rate(m[$__rate_interval]))"},
                  {"id":"by-model","title":"By model","type":"timeseries","width":6,"query":"sum(m{model=\"$model\"})"},
                  {"id":"note","title":"Note","type":"text","content":"hi"},
                  {"id":"r","title":"Folded","type":"row","collapsed":true},
                  {"id":"hidden","title":"Hidden","type":"stat","query":"up"}]}"#;

    #[test]
    fn plans_what_the_console_plans_and_leaves_out_what_needs_a_lookup() {
        let d = dashboard(COST);
        let urls = first_queries(&d, &params(&[]), 1448.0, NOW);
        // "Total" is a stat (instant at the range's end), "Trend" a range query; "By
        // model" waits for the model's first value, the text queries nothing, and the
        // folded row's panel is not created.
        assert_eq!(urls.len(), 2, "{urls:?}");
        assert_eq!(
            urls[0],
            "/api/v1/query?query=sum%28m%7Brepo%3D%7E%22.*%22%7D%29&time=1700000000"
        );
        let grid = grid_width_for_viewport(1448.0);
        let selections: BTreeMap<String, Selection> =
            [("repo".to_owned(), Selection::All)].into_iter().collect();
        let inputs = PlanInputs {
            range_ms: (NOW - 3_600_000, NOW),
            width_px: panel_width_px(grid, 6),
            scrape_interval: d.scrape_interval,
            selections: &selections,
            all_values: &BTreeMap::new(),
        };
        let trend = d.panels.iter().find(|p| p.id == "trend").expect("trend");
        assert_eq!(urls[1], plan_panel_queries(trend, &inputs)[0].url());
        assert!(
            urls[1].starts_with("/api/v1/query_range?query=sum%28rate%28m%5B"),
            "{}",
            urls[1]
        );
    }

    #[test]
    fn named_values_and_the_focused_panel_are_planned_as_the_url_says() {
        let d = dashboard(COST);
        let view = params(&[
            ("var-model", "gpt"),
            ("panel", "by-model"),
            ("from", "now-6h"),
        ]);
        let urls = first_queries(&d, &view, 1448.0, NOW);
        assert_eq!(urls.len(), 1, "{urls:?}");
        assert!(urls[0].contains("model%3D%22gpt%22"), "{}", urls[0]);
        // Focused: the whole grid's width, so a finer step than at half width.
        let half = first_queries(
            &d,
            &params(&[("var-model", "gpt"), ("from", "now-6h")]),
            1448.0,
            NOW,
        );
        let step = |url: &str| {
            url.rsplit("step=")
                .next()
                .unwrap_or_default()
                .parse::<f64>()
                .unwrap_or(0.0)
        };
        let by_model = half.iter().find(|u| u.contains("gpt")).expect("by model");
        assert!(step(&urls[0]) < step(by_model), "{} vs {by_model}", urls[0]);
    }

    #[test]
    fn repeats_and_live_tables_are_left_to_the_console() {
        let d = dashboard(
            r#"{"id":"r","title":"R","variables":[{"name":"cpu","query":"label_values(c, cpu)","include_all":true,"multi":true}],
                "panels":[{"id":"per-cpu","title":"CPU $cpu","type":"timeseries","query":"c{cpu=\"$cpu\"}","repeat":"cpu"},
                          {"id":"live","title":"Live","type":"live_table","source":"websocket-connections"}]}"#,
        );
        assert!(first_queries(&d, &params(&[]), 1200.0, NOW).is_empty());
    }
}
