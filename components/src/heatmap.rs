//! Histogram buckets over time: one row per bucket, one column per step, darker where
//! more observations fell.

use crate::canvas_redraw::redraw_on_change;
use crate::row_chart::{RowFrame, draw_rows};
use crate::series::ChartSeries;
use leptos::prelude::*;
use plotters::prelude::*;
use std::sync::Arc;
use vantage_api::unit::Unit;

/// Buckets as rows: `(upper bound, counts per time)`, from the cumulative `le` series.
pub fn bucket_rows(series: &[ChartSeries]) -> (Vec<f64>, Vec<(f64, Vec<f64>)>) {
    let mut sorted: Vec<(f64, &ChartSeries)> = series
        .iter()
        .filter_map(|s| Some((s.name.parse::<f64>().ok()?, s)))
        .collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let times = sorted
        .first()
        .map(|(_, s)| s.times.clone())
        .unwrap_or_default();
    let mut previous = vec![0.0; times.len()];
    let mut rows = Vec::new();
    for (le, s) in sorted {
        let counts: Vec<f64> = times
            .iter()
            .enumerate()
            .map(|(j, t)| {
                let cumulative = s
                    .times
                    .get(j)
                    .filter(|x| *x == t)
                    .map_or(previous[j], |_| s.values[j]);
                let count = (cumulative - previous[j]).max(0.0);
                previous[j] = cumulative;
                count
            })
            .collect();
        rows.push((le, counts));
    }
    (times, rows)
}

/// A heatmap of histogram buckets; each series' name is its `le` bound.
#[component]
pub fn Heatmap(
    /// One cumulative series per `le` bound.
    #[prop(into)]
    series: Signal<Arc<Vec<ChartSeries>>>,
    #[prop(into)] range: Signal<(f64, f64)>,
    #[prop(into)] step: Signal<f64>,
    /// Unit of the bucket bounds.
    #[prop(optional)]
    unit: Unit,
    #[prop(into)] label: String,
    #[prop(default = 240)] height: u32,
    #[prop(optional, into)] utc: Signal<bool>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    redraw_on_change(canvas, move |element, theme| {
        let series = series.get();
        let (times, rows) = bucket_rows(&series);
        let (t0, t1) = range.get();
        let step = step.get();
        let bounds: Vec<f64> = rows.iter().map(|(le, _)| *le).collect();
        let label = |i: usize| {
            bounds.get(i).map_or_else(String::new, |le| {
                if le.is_infinite() {
                    "+Inf".to_owned()
                } else {
                    unit.format(*le)
                }
            })
        };
        let frame = RowFrame {
            range: (t0, t1),
            rows: rows.len(),
            row_label: &label,
            label_width: 62.0,
            utc: utc.get(),
        };
        draw_rows(element, theme, &frame, |chart| {
            let max = rows
                .iter()
                .flat_map(|(_, c)| c.iter().copied())
                .fold(0.0_f64, f64::max);
            if max <= 0.0 {
                return;
            }
            let hot = theme.series[0];
            let cells = rows.iter().enumerate().flat_map(|(i, (_, counts))| {
                let times = &times;
                counts
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0.0)
                    .map(move |(j, c)| {
                        // Square-root scale: a few large buckets should not wash out the rest.
                        let alpha = 0.12 + 0.88 * (c / max).sqrt();
                        let t = times[j];
                        Rectangle::new(
                            [(t - step, i as f64), (t, i as f64 + 1.0)],
                            hot.mix(alpha).filled(),
                        )
                    })
            });
            let _ = chart.draw_series(cells);
        });
    });
    view! {
        <div class="heatmap" style=format!("height:{height}px")>
            <canvas node_ref=canvas role="img" aria-label=label></canvas>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(name: &str, values: Vec<f64>) -> ChartSeries {
        ChartSeries {
            name: name.into(),
            times: vec![0.0, 15.0],
            values,
        }
    }

    #[test]
    fn cumulative_buckets_become_counts() {
        let series = vec![
            s("+Inf", vec![10.0, 4.0]),
            s("0.1", vec![3.0, 1.0]),
            s("0.5", vec![8.0, 4.0]),
        ];
        let (times, rows) = bucket_rows(&series);
        assert_eq!(times, vec![0.0, 15.0]);
        let bounds: Vec<f64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(bounds, vec![0.1, 0.5, f64::INFINITY]);
        assert_eq!(rows[0].1, vec![3.0, 1.0]);
        assert_eq!(rows[1].1, vec![5.0, 3.0]);
        assert_eq!(rows[2].1, vec![2.0, 0.0]);
    }
}
