//! The requests the console makes to show a dashboard, planned the way it plans them
//! (`app/src/pages/dashboard/env.rs` and `panel_view.rs`): each panel's width from the
//! grid, its step from `vantage_api::step::plan_range`, variables "All", the interval
//! macros substituted; range panels (and stats with a sparkline) ask `query_range`, the
//! others an instant `query` at the plan's end; each variable asks its label values.

use std::path::Path;
use vantage_api::dashboard::expand::{
    Intervals, Selection, panel_queries, parse_label_values, substitute,
};
use vantage_api::dashboard::{Dashboard, PanelKind};
use vantage_api::step::{plan_range, rate_interval};

/// What one request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Range,
    Instant,
    LabelValues,
}

/// One request: its path and query string, and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleRequest {
    pub kind: Kind,
    pub panel: String,
    /// Path and query, e.g. `/api/v1/query_range?query=...`.
    pub path: String,
}

/// Reads a dashboard file (`dashboards/<id>.toml`).
pub fn load(path: &Path) -> Dashboard {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut dashboard: Dashboard =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    dashboard.id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    dashboard
}

/// A panel's width in pixels on a grid `grid_width` wide (as `DashboardEnv::panel_width`).
pub fn panel_width(grid_width: u32, columns: u8) -> u32 {
    (grid_width.max(320) * u32::from(columns) / 12)
        .saturating_sub(28)
        .max(100)
}

/// Every request of one view of `dashboard` over `[start_ms, end_ms]`.
pub fn requests(
    dashboard: &Dashboard,
    start_ms: i64,
    end_ms: i64,
    grid_width: u32,
) -> Vec<ConsoleRequest> {
    let encode = |pairs: &[(&str, String)]| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
            .finish()
    };
    let (from_s, to_s) = (start_ms as f64 / 1000.0, end_ms as f64 / 1000.0);
    let mut out = Vec::new();
    for variable in &dashboard.variables {
        let Some((selector, label)) = variable.query.as_deref().and_then(parse_label_values) else {
            continue;
        };
        let mut pairs = vec![("start", from_s.to_string()), ("end", to_s.to_string())];
        if let Some(selector) = selector {
            pairs.push(("match[]", selector));
        }
        out.push(ConsoleRequest {
            kind: Kind::LabelValues,
            panel: format!("variable {}", variable.name),
            path: format!("/api/v1/label/{label}/values?{}", encode(&pairs)),
        });
    }
    let selections = dashboard
        .variables
        .iter()
        .map(|v| (v.name.clone(), Selection::All))
        .collect();
    for panel in &dashboard.panels {
        if matches!(panel.kind, PanelKind::Row | PanelKind::LiveTable) {
            continue;
        }
        let width = panel_width(grid_width, panel.width);
        let plan = plan_range(start_ms, end_ms, width, dashboard.scrape_interval);
        let intervals = Intervals {
            interval_s: plan.step,
            rate_interval_s: rate_interval(plan.step, dashboard.scrape_interval),
            range_s: ((end_ms - start_ms) as f64 / 1000.0).max(1.0),
        };
        let ranged = panel.is_range() || (panel.kind == PanelKind::Stat && panel.sparkline);
        for query in panel_queries(panel) {
            let expr = substitute(&query.expr, &selections, intervals);
            let (kind, path) = if ranged {
                let pairs = [
                    ("query", expr),
                    ("start", plan.start.to_string()),
                    ("end", plan.end.to_string()),
                    ("step", plan.step.to_string()),
                ];
                (
                    Kind::Range,
                    format!("/api/v1/query_range?{}", encode(&pairs)),
                )
            } else {
                let pairs = [("query", expr), ("time", plan.end.to_string())];
                (Kind::Instant, format!("/api/v1/query?{}", encode(&pairs)))
            };
            out.push(ConsoleRequest {
                kind,
                panel: panel.id.clone(),
                path,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cost_dashboard_over_a_day() {
        let dashboard = load(&crate::workspace_root().join("dashboards/cost-attribution.toml"));
        let end = 1_796_000_000_000;
        let all = requests(&dashboard, end - 86_400_000, end, 1400);
        let count = |kind| all.iter().filter(|r| r.kind == kind).count();
        assert_eq!(count(Kind::LabelValues), 2);
        assert_eq!(count(Kind::Range), 4, "two charts, two sparklines");
        assert_eq!(count(Kind::Instant), 9);
        let chart = all
            .iter()
            .find(|r| r.panel == "cost-over-time")
            .expect("chart");
        // 1400 px grid: 1372 px wide, 86400 s / 686 points = 126 s, a nice 300 s step.
        assert!(chart.path.contains("step=300"), "{}", chart.path);
        assert!(
            !chart.path.contains("%24__"),
            "macros substituted: {}",
            chart.path
        );
    }
}
