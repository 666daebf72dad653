//! One Grafana panel as one Vantage panel: the settings every kind shares here, each
//! kind's own in its file. A panel that cannot be shown becomes a placeholder that says
//! why, so the layout keeps its place.

mod graph;
mod heatmap;
mod stat;
mod state;
mod table;
mod text;
mod timeseries;

use crate::json::{array, flag, number, text};
use crate::layout::Placed;
use crate::macros::rewrite_text;
use crate::targets::{Ctx, min_step};
use serde_json::Value;
use vantage_api::dashboard::{Link, Panel, PanelKind, RepeatDirection};

/// A converted panel and what the report says of it.
#[derive(Debug)]
pub struct Outcome {
    /// `None`: left out (an empty spacer).
    pub panel: Option<Panel>,
    /// The Grafana title (for the report).
    pub title: String,
    pub approximate: Vec<String>,
    /// Parts not carried over (queries, settings); the panel itself is kept.
    pub dropped_parts: Vec<String>,
    /// Why the panel became a placeholder, if it did.
    pub placeholder: Option<String>,
    /// What it became, for the report.
    pub became: String,
}

/// Panel types with nothing Vantage can show.
const UNSUPPORTED_HINT: &str = "Grafana panel type";

/// Converts one placed panel.
pub fn convert(placed: &Placed<'_>, ctx: &Ctx<'_>) -> Outcome {
    let p = placed.panel.value();
    let kind = text(p, "type").unwrap_or_default();
    let title = text(p, "title").unwrap_or_default();
    let mut out = Outcome {
        panel: None,
        title: title.clone(),
        approximate: Vec::new(),
        dropped_parts: Vec::new(),
        placeholder: None,
        became: String::new(),
    };
    let mut panel = common(placed, ctx, &mut out);
    let queried = match kind.as_str() {
        "row" => {
            panel.kind = PanelKind::Row;
            panel.height = None;
            panel.width = 12;
            panel.collapsed = flag(p, "collapsed");
            false
        }
        "graph" => graph::convert(p, ctx, &mut panel, &mut out),
        "timeseries" | "trend" | "candlestick" | "barchart" | "xychart" => {
            if kind != "timeseries" {
                out.approximate
                    .push(format!("a {kind} panel drawn as a time series"));
            }
            timeseries::convert(p, ctx, &mut panel, &mut out)
        }
        "stat"
        | "singlestat"
        | "grafana-singlestat-panel"
        | "gauge"
        | "bargauge"
        | "piechart"
        | "grafana-piechart-panel"
        | "histogram"
        | "grafana-polystat-panel" => stat::convert(p, &kind, ctx, &mut panel, &mut out),
        "table" | "table-old" => table::convert(p, &kind, ctx, &mut panel, &mut out),
        "heatmap" => heatmap::convert(p, ctx, &mut panel, &mut out),
        "state-timeline" | "status-history" | "natel-discrete-panel" | "flant-statusmap-panel" => {
            state::convert(p, &kind, ctx, &mut panel, &mut out)
        }
        "text" => {
            if !text::convert(p, &mut panel, &mut out) {
                out.became = "left out".to_owned();
                return out;
            }
            false
        }
        "" if p.get("libraryPanel").is_some() => {
            let name = p
                .get("libraryPanel")
                .and_then(|l| text(l, "name").or_else(|| text(l, "uid")))
                .unwrap_or_default();
            if panel.title.trim().is_empty() {
                panel.title = name.clone();
                out.title = name.clone();
            }
            return placeholder(
                panel,
                out,
                format!("library panel {name:?} is not in the file; export it with the dashboard"),
            );
        }
        other => {
            let other = if other.is_empty() { "(none)" } else { other };
            return placeholder(
                panel,
                out,
                format!("{UNSUPPORTED_HINT} {other} is not supported"),
            );
        }
    };
    if queried && panel.query.is_none() && panel.queries.is_empty() {
        let why = if out.dropped_parts.is_empty() {
            "it has no queries".to_owned()
        } else {
            out.dropped_parts.join("; ")
        };
        let mut outcome = out;
        outcome.dropped_parts.clear();
        return placeholder(
            panel,
            outcome,
            format!("no query could be carried over: {why}"),
        );
    }
    out.became = kind_name(panel.kind).to_owned();
    out.panel = Some(panel);
    out
}

/// The settings every kind shares: title, description, size, links, repeat, step and
/// time overrides.
fn common(placed: &Placed<'_>, ctx: &Ctx<'_>, out: &mut Outcome) -> Panel {
    let p = placed.panel.value();
    let mut panel = Panel {
        title: rewrite_text(&out.title, ctx.uses),
        description: text(p, "description").unwrap_or_default(),
        width: placed.width,
        height: placed.height,
        ..Panel::default()
    };
    if let Some(repeat) = text(p, "repeat") {
        match ctx.uses.get(&repeat) {
            Some(target) => {
                panel.repeat = Some(target.name.clone());
                panel.repeat_direction = match text(p, "repeatDirection").as_deref() {
                    Some("v") => Some(RepeatDirection::Vertical),
                    Some("h") => Some(RepeatDirection::Horizontal),
                    _ => None,
                };
                panel.max_per_row = number(p, "maxPerRow").map(|n| n.clamp(1.0, 24.0) as u8);
            }
            None => out
                .dropped_parts
                .push(format!("repeat by ${repeat}, which is not a variable")),
        }
    }
    panel.links = links(array(p, "links"), &mut out.dropped_parts);
    panel.min_step = min_step(text(p, "interval"), ctx.uses);
    panel.max_points = number(p, "maxDataPoints")
        .filter(|n| *n >= 1.0)
        .map(|n| n.min(1e7) as u32);
    panel.time_from = time_override(text(p, "timeFrom"), "timeFrom", out);
    panel.time_shift = time_override(text(p, "timeShift"), "timeShift", out);
    let transformations: Vec<String> = array(p, "transformations")
        .iter()
        .filter(|t| !flag(t, "disabled"))
        .filter_map(|t| text(t, "id"))
        .collect();
    if !transformations.is_empty() {
        out.approximate.push(format!(
            "transformations not applied: {}",
            transformations.join(", ")
        ));
    }
    panel
}

/// `timeFrom` / `timeShift` (`1h`, `now-1h`, `1d/d`) as a duration; rounding to the
/// day (`/d`) is not kept.
fn time_override(value: Option<String>, field: &str, out: &mut Outcome) -> Option<String> {
    let raw = value?;
    let mut v = raw.trim().trim_start_matches("now-").to_owned();
    if let Some((duration, _)) = v.split_once('/') {
        out.approximate
            .push(format!("{field} {raw:?} without its rounding"));
        v = duration.to_owned();
    }
    if vantage_api::duration::parse_prometheus_duration(&v).is_ok() && v != "0" {
        Some(v)
    } else {
        out.dropped_parts
            .push(format!("{field} {raw:?} is not a duration"));
        None
    }
}

/// Dashboard or panel links with a URL; dashboard-list links by tags.
pub fn links(items: &[Value], dropped: &mut Vec<String>) -> Vec<Link> {
    let mut out = Vec::new();
    for item in items {
        let tags: Vec<String> = array(item, "tags")
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect();
        let url = text(item, "url").unwrap_or_default();
        let kind = text(item, "type").unwrap_or_else(|| "link".to_owned());
        let title = text(item, "title").unwrap_or_else(|| {
            if kind == "dashboards" {
                format!("Dashboards tagged {}", tags.join(", "))
            } else {
                url.clone()
            }
        });
        let link = Link {
            title,
            url: if kind == "dashboards" {
                String::new()
            } else {
                url
            },
            tags: if kind == "dashboards" {
                tags
            } else {
                Vec::new()
            },
            tooltip: text(item, "tooltip").unwrap_or_default(),
            new_tab: flag(item, "targetBlank"),
            keep_time: flag(item, "keepTime"),
            include_vars: flag(item, "includeVars"),
        };
        if link.title.trim().is_empty() || (link.url.trim().is_empty() && link.tags.is_empty()) {
            dropped.push(format!("link {:?} has no URL or tags", link.title));
        } else {
            out.push(link);
        }
    }
    out
}

fn placeholder(mut panel: Panel, mut out: Outcome, why: String) -> Outcome {
    panel.kind = PanelKind::Placeholder;
    panel.content = Some(why.clone());
    panel.repeat = None;
    panel.repeat_direction = None;
    panel.max_per_row = None;
    panel.min_step = None;
    panel.max_points = None;
    panel.time_from = None;
    panel.time_shift = None;
    panel.links.clear();
    out.placeholder = Some(why);
    out.became = "placeholder".to_owned();
    out.panel = Some(panel);
    out
}

/// The spec's name of a kind.
pub fn kind_name(kind: PanelKind) -> &'static str {
    match kind {
        PanelKind::Timeseries => "timeseries",
        PanelKind::Percentiles => "percentiles",
        PanelKind::Stat => "stat",
        PanelKind::Bar => "bar",
        PanelKind::Table => "table",
        PanelKind::Heatmap => "heatmap",
        PanelKind::StateGrid => "state_grid",
        PanelKind::Row => "row",
        PanelKind::LiveTable => "live_table",
        PanelKind::Gauge => "gauge",
        PanelKind::Text => "text",
        PanelKind::Placeholder => "placeholder",
    }
}

/// Puts converted queries on the panel: one plain query as the `query` shorthand.
pub fn set_queries(
    panel: &mut Panel,
    mut queries: Vec<vantage_api::dashboard::Query>,
    keep_ref_ids: bool,
) {
    if !keep_ref_ids {
        for q in &mut queries {
            q.ref_id = None;
        }
    }
    // A range query for one value matters only when the value is reduced from the
    // range (a mean, a max...); the last value is the same at one instant.
    let reduced = matches!(
        panel.kind,
        PanelKind::Stat | PanelKind::Gauge | PanelKind::Bar
    ) && panel.reduce != vantage_api::dashboard::Reduce::Last;
    for q in &mut queries {
        if q.instant == Some(false) && !reduced && !panel.is_range() {
            q.instant = None;
        }
    }
    let plain = |q: &vantage_api::dashboard::Query| {
        q.instant.is_none()
            && q.min_step.is_none()
            && q.interval_factor.is_none()
            && q.format == vantage_api::dashboard::QueryFormat::TimeSeries
            && q.ref_id.is_none()
    };
    if queries.len() == 1 && plain(&queries[0]) {
        let q = queries.remove(0);
        panel.query = Some(q.expr);
        panel.legend = q.legend;
    } else {
        panel.queries = queries;
    }
}
