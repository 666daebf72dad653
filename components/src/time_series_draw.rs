//! Drawing a time-series chart on a canvas with plotters, at device-pixel resolution.

use crate::canvas_redraw::fit_to_device_pixels;
use crate::chart_theme::ChartTheme;
use crate::decimate::m4;
use crate::palette::assign_colours;
use crate::series::{ChartOptions, ChartSeries};
use crate::time_axis::{format_tick, tick_interval, time_ticks, zone_offset_s};
use crate::time_coord::FixedTicks;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use vantage_api::dashboard::{Threshold, ThresholdStyle};
use vantage_api::unit::Unit;

/// Everything one drawing needs.
pub struct DrawInput<'a> {
    pub series: &'a [ChartSeries],
    pub hidden: &'a dyn Fn(&str) -> bool,
    /// x range in unix seconds.
    pub range: (f64, f64),
    /// The query step, to tell a gap from a normal spacing.
    pub step: f64,
    pub unit: Unit,
    pub theme: &'a ChartTheme,
    pub utc: bool,
    pub thresholds: &'a [Threshold],
    pub threshold_style: ThresholdStyle,
    /// Decimals, axis bounds and scale, fill and series colours.
    pub options: &'a ChartOptions,
}

/// A value as drawn: its logarithm on a log axis (nothing for values at or below 0).
fn scaled(v: f64, log_base: Option<u32>) -> f64 {
    match log_base {
        Some(base) if v > 0.0 => v.log(f64::from(base)),
        Some(_) => f64::NAN,
        None => v,
    }
}

/// The plotting area in CSS pixels: left, top, right, bottom.
pub type PlotArea = (f64, f64, f64, f64);

/// Sizes the canvas to its CSS box times the device pixel ratio and draws.
pub fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    input: &DrawInput<'_>,
) -> Result<PlotArea, String> {
    let (css_w, _, dpr) = fit_to_device_pixels(canvas);
    let backend =
        CanvasBackend::with_canvas_object(canvas.clone()).ok_or("canvas has no 2d context")?;
    let root = backend.into_drawing_area();
    let theme = input.theme;
    root.fill(&theme.background).map_err(|e| e.to_string())?;

    let (t0, t1) = input.range;
    let visible: Vec<&ChartSeries> = input
        .series
        .iter()
        .filter(|s| !(input.hidden)(&s.name))
        .collect();
    let options = input.options;
    let log = options.log_base.filter(|b| *b >= 2);
    let logged: Vec<ChartSeries>;
    let drawn: Vec<&ChartSeries> = if log.is_some() {
        logged = visible
            .iter()
            .map(|s| ChartSeries {
                name: s.name.clone(),
                times: s.times.clone(),
                values: s.values.iter().map(|v| scaled(*v, log)).collect(),
            })
            .collect();
        logged.iter().collect()
    } else {
        visible.clone()
    };
    let thresholds: Vec<Threshold> = input
        .thresholds
        .iter()
        .map(|t| Threshold {
            value: scaled(t.value, log),
            ..t.clone()
        })
        .filter(|t| t.value.is_finite())
        .collect();
    let (mut y0, mut y1) = y_range(&drawn, &thresholds);
    if let Some(min) = options
        .min
        .map(|m| scaled(m, log))
        .filter(|m| m.is_finite())
    {
        y0 = min;
    }
    if let Some(max) = options
        .max
        .map(|m| scaled(m, log))
        .filter(|m| m.is_finite())
    {
        y1 = max;
    }
    if y1 <= y0 {
        y1 = y0 + 1.0;
    }
    let px = |v: f64| (v * dpr).round() as u32;
    let font = ("sans-serif", 11.0 * dpr).into_font().color(&theme.text);
    let span = t1 - t0;
    let interval = tick_interval(span, ((css_w / 110.0) as usize).max(2));
    let ticks = time_ticks(t0, t1, interval, zone_offset_s(t1, input.utc));
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(8.0))
        .margin_right(px(12.0))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(62.0))
        .build_cartesian_2d(FixedTicks::new(t0..t1, ticks), y0..y1)
        .map_err(|e| e.to_string())?;
    let unit = &input.unit;
    chart
        .configure_mesh()
        .y_labels(5)
        .x_label_formatter(&|t| format_tick(*t, interval, span, input.utc))
        .y_label_formatter(&|v| match log {
            Some(base) => unit.format_decimals(f64::from(base).powf(*v), options.decimals),
            None => unit.format_decimals(*v, options.decimals),
        })
        .label_style(font)
        .axis_style(theme.axis)
        .bold_line_style(theme.grid)
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(|e| e.to_string())?;

    if input.threshold_style == ThresholdStyle::Band {
        // Each band runs from its threshold up to the next one (or the top of the chart).
        let mut sorted: Vec<&Threshold> = thresholds.iter().collect();
        sorted.sort_by(|a, b| a.value.total_cmp(&b.value));
        for (i, threshold) in sorted.iter().enumerate() {
            let top = sorted.get(i + 1).map_or(y1, |next| next.value).min(y1);
            let bottom = threshold.value.max(y0);
            if top > bottom {
                let colour = theme.level(threshold.level).mix(0.12);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(t0, bottom), (t1, top)],
                        colour.filled(),
                    )))
                    .map_err(|e| e.to_string())?;
            }
        }
    }

    // Decimate to the plotting area's own pixel columns so that they match plotters'.
    let (x_pixels, _) = chart.plotting_area().get_pixel_range();
    let plot_width = (x_pixels.end - x_pixels.start).max(1) as usize;
    let slots = assign_colours(input.series.iter().map(|s| s.name.as_str()));
    let fill = options
        .fill_opacity
        .filter(|f| *f > 0)
        .map(|f| f64::from(f.min(100)) / 100.0);
    let baseline = if y0 <= 0.0 && y1 >= 0.0 { 0.0 } else { y0 };
    for series in drawn {
        let colour = options
            .colours
            .get(&series.name)
            .and_then(|c| crate::colour::rgb(c))
            .map(|(r, g, b)| RGBColor(r, g, b))
            .unwrap_or(theme.series[slots.get(&series.name).copied().unwrap_or(0)]);
        let style = ShapeStyle::from(colour).stroke_width(px(1.5).max(1));
        for segment in m4(
            &series.times,
            &series.values,
            t0,
            t1,
            plot_width,
            input.step * 1.5,
        ) {
            if segment.len() == 1 {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        segment[0],
                        px(1.5),
                        style.filled(),
                    )))
                    .map_err(|e| e.to_string())?;
            } else {
                if let Some(alpha) = fill {
                    chart
                        .draw_series(AreaSeries::new(
                            segment.iter().copied(),
                            baseline,
                            colour.mix(alpha * 0.8),
                        ))
                        .map_err(|e| e.to_string())?;
                }
                chart
                    .draw_series(LineSeries::new(segment, style))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    if input.threshold_style == ThresholdStyle::Line {
        for threshold in &thresholds {
            let style = ShapeStyle::from(theme.level(threshold.level)).stroke_width(px(1.0).max(1));
            let line = [(t0, threshold.value), (t1, threshold.value)];
            chart
                .draw_series(DashedLineSeries::new(line, px(6.0), px(4.0), style))
                .map_err(|e| e.to_string())?;
        }
    }
    root.present().map_err(|e| e.to_string())?;
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    Ok((
        f64::from(xs.start) / dpr,
        f64::from(ys.start) / dpr,
        f64::from(xs.end) / dpr,
        f64::from(ys.end) / dpr,
    ))
}

/// The y range: the data's and the thresholds', padded, from zero for non-negative data.
pub fn y_range(series: &[&ChartSeries], thresholds: &[Threshold]) -> (f64, f64) {
    let mut min = f64::INFINITY;
    let mut max = f64::NEG_INFINITY;
    let values = series.iter().flat_map(|s| s.values.iter().copied());
    for v in values
        .chain(thresholds.iter().map(|t| t.value))
        .filter(|v| v.is_finite())
    {
        min = min.min(v);
        max = max.max(v);
    }
    if !min.is_finite() {
        return (0.0, 1.0);
    }
    if min >= 0.0 {
        min = 0.0;
    }
    if max <= min {
        max = min + 1.0;
    }
    let pad = (max - min) * 0.05;
    // Non-negative data starts just below zero, so that a series lying at zero is drawn
    // above the axis instead of under it.
    (
        if min == 0.0 {
            -(max - min) * 0.015
        } else {
            min - pad
        },
        max + pad,
    )
}
