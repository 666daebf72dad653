//! Histogram buckets over time: one row per bucket, one column per step, darker where
//! more observations fell.

use crate::canvas_redraw::{fit_to_device_pixels, redraw_on_change};
use crate::series::ChartSeries;
use crate::time_axis::{format_tick, tick_interval, time_ticks, zone_offset_s};
use crate::time_coord::FixedTicks;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
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
        let (css_w, _, dpr) = fit_to_device_pixels(element);
        let Some(backend) = CanvasBackend::with_canvas_object(element.clone()) else {
            return;
        };
        let root = backend.into_drawing_area();
        let _ = root.fill(&theme.background);
        let n = rows.len().max(1) as f64;
        let span = t1 - t0;
        let interval = tick_interval(span, ((css_w / 110.0) as usize).max(2));
        let ticks = time_ticks(t0, t1, interval, zone_offset_s(t1, utc.get()));
        let row_ticks: Vec<f64> = (0..rows.len()).map(|i| i as f64 + 0.5).collect();
        let px = |v: f64| (v * dpr).round() as u32;
        let Ok(mut chart) = ChartBuilder::on(&root)
            .margin_top(px(8.0))
            .margin_right(px(12.0))
            .x_label_area_size(px(22.0))
            .y_label_area_size(px(62.0))
            .build_cartesian_2d(
                FixedTicks::new(t0..t1, ticks),
                FixedTicks::new(0.0..n, row_ticks),
            )
        else {
            return;
        };
        let bounds: Vec<f64> = rows.iter().map(|(le, _)| *le).collect();
        let font = ("sans-serif", 11.0 * dpr).into_font().color(&theme.text);
        let _ = chart
            .configure_mesh()
            .disable_mesh()
            .x_label_formatter(&|t| format_tick(*t, interval, span, utc.get_untracked()))
            .y_label_formatter(&|y| {
                bounds.get(*y as usize).map_or_else(String::new, |le| {
                    if le.is_infinite() {
                        "+Inf".to_owned()
                    } else {
                        unit.format(*le)
                    }
                })
            })
            .label_style(font)
            .axis_style(theme.axis)
            .draw();
        let max = rows
            .iter()
            .flat_map(|(_, c)| c.iter().copied())
            .fold(0.0_f64, f64::max);
        if max <= 0.0 {
            let _ = root.present();
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
        let _ = root.present();
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
