//! Charts with time across and labelled rows down — heatmap buckets, state-grid agents:
//! the canvas set-up, time axis and row labels they share.

use crate::canvas_redraw::fit_to_device_pixels;
use crate::chart_theme::ChartTheme;
use crate::time_axis::{format_tick, tick_interval, time_ticks, zone_offset_s};
use crate::time_coord::FixedTicks;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// The chart a row drawing fills: x in unix seconds, y in rows (row `i` spans `i..i+1`).
pub type RowContext<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<FixedTicks, FixedTicks>>;

/// What the frame needs.
pub struct RowFrame<'a> {
    pub range: (f64, f64),
    pub rows: usize,
    /// The label of row `i`.
    pub row_label: &'a dyn Fn(usize) -> String,
    /// Width of the row-label area, CSS pixels.
    pub label_width: f64,
    pub utc: bool,
}

/// Sizes and clears the canvas, draws the time axis and row labels, then lets `body`
/// draw the rows.
pub fn draw_rows(
    canvas: &web_sys::HtmlCanvasElement,
    theme: &ChartTheme,
    frame: &RowFrame<'_>,
    body: impl FnOnce(&mut RowContext<'_>),
) {
    let (css_w, _, dpr) = fit_to_device_pixels(canvas);
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    let root = backend.into_drawing_area();
    let _ = root.fill(&theme.background);
    let (t0, t1) = frame.range;
    let span = t1 - t0;
    let interval = tick_interval(span, ((css_w / 110.0) as usize).max(2));
    let ticks = time_ticks(t0, t1, interval, zone_offset_s(t1, frame.utc));
    let row_ticks: Vec<f64> = (0..frame.rows).map(|i| i as f64 + 0.5).collect();
    let px = |v: f64| (v * dpr).round() as u32;
    let Ok(mut chart) = ChartBuilder::on(&root)
        .margin_top(px(6.0))
        .margin_right(px(12.0))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(frame.label_width))
        .build_cartesian_2d(
            FixedTicks::new(t0..t1, ticks),
            FixedTicks::new(0.0..frame.rows.max(1) as f64, row_ticks),
        )
    else {
        return;
    };
    let font = ("sans-serif", 11.0 * dpr).into_font().color(&theme.text);
    let _ = chart
        .configure_mesh()
        .disable_mesh()
        .x_label_formatter(&|t| format_tick(*t, interval, span, frame.utc))
        .y_label_formatter(&|y| (frame.row_label)(*y as usize))
        .label_style(font)
        .axis_style(theme.axis)
        .draw();
    body(&mut chart);
    let _ = root.present();
}
