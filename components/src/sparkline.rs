//! A small line under a stat: the shape of the series, no axes.

use crate::canvas_redraw::{fit_to_device_pixels, redraw_on_change};
use crate::decimate::m4;
use crate::series::ChartSeries;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use std::sync::Arc;

/// The first series of `series`, drawn as a filled line over `range`.
#[component]
pub fn Sparkline(
    /// The series; the first one is drawn.
    #[prop(into)]
    series: Signal<Arc<Vec<ChartSeries>>>,
    /// The x range in unix seconds.
    #[prop(into)]
    range: Signal<(f64, f64)>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    redraw_on_change(canvas, move |element, theme| {
        let series = series.get();
        let Some(first) = series.first() else { return };
        let (t0, t1) = range.get();
        let (css_w, _, dpr) = fit_to_device_pixels(element);
        let Some(backend) = CanvasBackend::with_canvas_object(element.clone()) else {
            return;
        };
        let root = backend.into_drawing_area();
        let _ = root.fill(&theme.background);
        let finite = first.values.iter().copied().filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if !lo.is_finite() {
            return;
        }
        let pad = ((hi - lo) * 0.1).max(hi.abs() * 0.01).max(1e-9);
        let Ok(mut chart) =
            ChartBuilder::on(&root).build_cartesian_2d(t0..t1, (lo - pad)..(hi + pad))
        else {
            return;
        };
        let colour = theme.series[0];
        let width = (css_w * dpr) as usize;
        for segment in m4(&first.times, &first.values, t0, t1, width, f64::INFINITY) {
            let baseline = lo - pad;
            let _ = chart.draw_series(AreaSeries::new(
                segment.iter().copied(),
                baseline,
                colour.mix(0.15),
            ));
            let _ = chart.draw_series(LineSeries::new(
                segment,
                ShapeStyle::from(colour).stroke_width((1.5 * dpr) as u32),
            ));
        }
        let _ = root.present();
    });
    view! { <canvas class="sparkline" node_ref=canvas aria-hidden="true"></canvas> }
}
