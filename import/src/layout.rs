//! From Grafana's layout to Vantage's: panels in reading order (top to bottom, left to
//! right), each with a width on the 12-column grid and a height in pixels. Handles the
//! 24-column `gridPos` model with expanded and collapsed rows, and the legacy `rows[]`
//! model (schemaVersion < 16) with `span` and `height`.

use crate::json::{array, flag, number, text};
use serde_json::{Value, json};

/// One panel in reading order.
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    pub panel: PanelRef<'a>,
    /// Columns of the 12-column grid.
    pub width: u8,
    /// Height of the drawing area; none for rows.
    pub height: Option<u32>,
}

/// A panel of the file, or a row made from a legacy `rows[]` entry.
#[derive(Debug, Clone)]
pub enum PanelRef<'a> {
    Grafana(&'a Value),
    /// A legacy row's heading: title, collapsed, repeat.
    LegacyRow(Value),
}

impl PanelRef<'_> {
    pub fn value(&self) -> &Value {
        match self {
            PanelRef::Grafana(v) => v,
            PanelRef::LegacyRow(v) => v,
        }
    }
}

/// Grafana grid units (30 px and an 8 px gap) as a drawing height, less the header.
fn height_from_grid(h: f64) -> u32 {
    let total = h.max(1.0) * 38.0 - 8.0;
    (total - 40.0).clamp(40.0, 2_000.0) as u32
}

/// A legacy height in pixels (`"250px"` or `250`), less the header.
fn height_from_pixels(value: &Value) -> Option<u32> {
    let px = match value {
        Value::String(s) => s.trim().trim_end_matches("px").trim().parse::<f64>().ok()?,
        other => crate::json::as_number(other)?,
    };
    Some((px - 40.0).clamp(40.0, 2_000.0) as u32)
}

/// Shares a visual line of Grafana widths (24 columns) out as 12-column widths that
/// add up like the originals (largest remainders get the odd columns).
fn halve(widths: &[f64]) -> Vec<u8> {
    let total: f64 = widths.iter().sum();
    let target = ((total / 2.0).round() as i64).clamp(1, 12);
    let mut out: Vec<i64> = widths
        .iter()
        .map(|w| ((w / 2.0).floor() as i64).max(1))
        .collect();
    let mut order: Vec<usize> = (0..widths.len()).collect();
    order.sort_by(|a, b| {
        let fa = widths[*a] / 2.0 - (widths[*a] / 2.0).floor();
        let fb = widths[*b] / 2.0 - (widths[*b] / 2.0).floor();
        fb.total_cmp(&fa)
    });
    let short = (target - out.iter().sum::<i64>()).max(0) as usize;
    for i in order.into_iter().take(short) {
        out[i] += 1;
    }
    out.into_iter().map(|w| w.clamp(1, 12) as u8).collect()
}

fn grid(panel: &Value, key: &str, default: f64) -> f64 {
    panel
        .get("gridPos")
        .and_then(|g| number(g, key))
        .unwrap_or(default)
}

/// Panels in reading order, from the `gridPos` model.
fn from_grid<'a>(panels: &'a [Value]) -> Vec<Placed<'a>> {
    let mut sorted: Vec<&Value> = panels.iter().filter(|p| p.is_object()).collect();
    sorted.sort_by(|a, b| {
        (grid(a, "y", 0.0), grid(a, "x", 0.0))
            .partial_cmp(&(grid(b, "y", 0.0), grid(b, "x", 0.0)))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut ordered: Vec<&'a Value> = Vec::new();
    for panel in sorted {
        ordered.push(panel);
        if text(panel, "type").as_deref() == Some("row") {
            let mut children: Vec<&Value> = array(panel, "panels")
                .iter()
                .filter(|p| p.is_object())
                .collect();
            children.sort_by(|a, b| {
                (grid(a, "y", 0.0), grid(a, "x", 0.0))
                    .partial_cmp(&(grid(b, "y", 0.0), grid(b, "x", 0.0)))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            ordered.extend(children);
        }
    }
    let mut out = Vec::with_capacity(ordered.len());
    let mut line: Vec<&'a Value> = Vec::new();
    let flush = |line: &mut Vec<&'a Value>, out: &mut Vec<Placed<'a>>| {
        let widths: Vec<f64> = line
            .iter()
            .map(|p| grid(p, "w", 12.0).clamp(1.0, 24.0))
            .collect();
        for (panel, width) in line.drain(..).zip(halve(&widths)) {
            out.push(Placed {
                panel: PanelRef::Grafana(panel),
                width,
                height: Some(height_from_grid(grid(panel, "h", 8.0))),
            });
        }
    };
    let mut line_y = f64::NAN;
    for panel in ordered {
        if text(panel, "type").as_deref() == Some("row") {
            flush(&mut line, &mut out);
            out.push(Placed {
                panel: PanelRef::Grafana(panel),
                width: 12,
                height: None,
            });
            line_y = f64::NAN;
            continue;
        }
        let y = grid(panel, "y", 0.0);
        if y != line_y {
            flush(&mut line, &mut out);
            line_y = y;
        }
        line.push(panel);
    }
    flush(&mut line, &mut out);
    out
}

/// Panels in reading order, from legacy `rows[]`.
fn from_rows(rows: &[Value]) -> Vec<Placed<'_>> {
    let headed = rows.len() > 1
        || rows
            .iter()
            .any(|r| flag(r, "collapse") || flag(r, "showTitle") || text(r, "repeat").is_some());
    let mut out = Vec::new();
    for row in rows {
        if headed {
            let mut heading = json!({
                "type": "row",
                "title": text(row, "title").unwrap_or_default(),
                "collapsed": flag(row, "collapse"),
            });
            if let Some(repeat) = text(row, "repeat") {
                heading["repeat"] = Value::String(repeat);
            }
            out.push(Placed {
                panel: PanelRef::LegacyRow(heading),
                width: 12,
                height: None,
            });
        }
        let row_height = row
            .get("height")
            .and_then(height_from_pixels)
            .unwrap_or(210);
        let panels: Vec<&Value> = array(row, "panels")
            .iter()
            .filter(|p| p.is_object())
            .collect();
        let default_span = (12 / panels.len().max(1)).max(1) as f64;
        for panel in panels {
            let span = number(panel, "span").unwrap_or(default_span);
            let height = panel
                .get("height")
                .and_then(height_from_pixels)
                .unwrap_or(row_height);
            out.push(Placed {
                panel: PanelRef::Grafana(panel),
                width: span.round().clamp(1.0, 12.0) as u8,
                height: Some(height),
            });
        }
    }
    out
}

/// The dashboard's panels in reading order: `panels` when present, else legacy `rows`.
pub fn place(dashboard: &Value) -> Vec<Placed<'_>> {
    let panels = array(dashboard, "panels");
    if !panels.is_empty() || dashboard.get("rows").is_none() {
        from_grid(panels)
    } else {
        from_rows(array(dashboard, "rows"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_lines_keeping_their_sum() {
        assert_eq!(halve(&[8.0, 8.0, 8.0]), [4, 4, 4]);
        assert_eq!(halve(&[5.0, 5.0, 5.0, 9.0]), [3, 3, 2, 4]);
        assert_eq!(halve(&[24.0]), [12]);
        assert_eq!(halve(&[1.0]), [1]);
        assert_eq!(
            halve(&[3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0])
                .iter()
                .sum::<u8>(),
            12
        );
    }

    #[test]
    fn heights() {
        assert_eq!(height_from_grid(8.0), 256);
        assert_eq!(height_from_pixels(&json!("250px")), Some(210));
        assert_eq!(height_from_pixels(&json!(300)), Some(260));
    }
}
