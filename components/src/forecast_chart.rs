//! Where a running total is heading: the total so far as a solid line, the expected
//! rest dashed, its uncertainty as a shaded band, and a limit (a budget) as a line.

use crate::canvas_redraw::{fit_to_device_pixels, redraw_on_change};
use crate::chart_theme::ChartTheme;
use crate::time_axis::{format_tick, tick_interval, time_ticks, zone_offset_s};
use crate::time_coord::FixedTicks;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use vantage_api::unit::Unit;

/// What the chart draws; times in unix seconds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Projection {
    /// The running total so far, `(t, value)`, ascending in time.
    pub actual: Vec<(f64, f64)>,
    /// The expected running total from the last actual point on: `(t, expected, low,
    /// high)`, ascending in time.
    pub forecast: Vec<(f64, f64, f64, f64)>,
    /// A level not to cross, drawn across the chart.
    pub limit: Option<f64>,
}

impl Projection {
    /// The top of the y axis: the highest value drawn, with room above it.
    pub fn y_max(&self) -> f64 {
        let highest = self
            .actual
            .iter()
            .map(|p| p.1)
            .chain(self.forecast.iter().flat_map(|p| [p.1, p.3]))
            .chain(self.limit)
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        if highest > 0.0 { highest * 1.08 } else { 1.0 }
    }
}

/// A running total and its projection over `range`, drawn on a canvas.
#[component]
pub fn ForecastChart(
    /// The lines and the band.
    #[prop(into)]
    data: Signal<Projection>,
    /// The x range in unix seconds (e.g. the calendar month).
    #[prop(into)]
    range: Signal<(f64, f64)>,
    /// The accessible name of the chart.
    #[prop(into)]
    label: String,
    /// Unit of the values.
    #[prop(optional)]
    unit: Unit,
    /// What the band is called in the legend.
    #[prop(default = "Uncertainty".to_owned(), into)]
    band_label: String,
    /// What the limit is called in the legend.
    #[prop(default = "Limit".to_owned(), into)]
    limit_label: String,
    /// Height in CSS pixels.
    #[prop(default = 220)]
    height: u32,
    /// Show times in UTC instead of the browser's time zone.
    #[prop(optional, into)]
    utc: Signal<bool>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    redraw_on_change(canvas, move |element, theme| {
        let input = data.get();
        if let Err(err) = draw(element, theme, &input, range.get(), &unit, utc.get()) {
            leptos::logging::warn!("forecast chart {err}");
        }
    });
    let has_limit = move || data.with(|d| d.limit.is_some());
    view! {
        <div class="forecast-chart">
            <div class="forecast-chart__plot" style=format!("height:{height}px")>
                <canvas node_ref=canvas role="img" aria-label=label></canvas>
            </div>
            <ul class="forecast-chart__legend" aria-label="Legend">
                <li><span class="forecast-chart__key forecast-chart__key--actual"></span>"Actual"</li>
                <li><span class="forecast-chart__key forecast-chart__key--forecast"></span>"Forecast"</li>
                <li><span class="forecast-chart__key forecast-chart__key--band"></span>{band_label}</li>
                <Show when=has_limit>
                    <li><span class="forecast-chart__key forecast-chart__key--limit"></span>{limit_label.clone()}</li>
                </Show>
            </ul>
        </div>
    }
}

fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    theme: &ChartTheme,
    data: &Projection,
    (t0, t1): (f64, f64),
    unit: &Unit,
    utc: bool,
) -> Result<(), String> {
    let (css_w, _, dpr) = fit_to_device_pixels(canvas);
    let backend =
        CanvasBackend::with_canvas_object(canvas.clone()).ok_or("canvas has no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&theme.background).map_err(|e| e.to_string())?;
    let t1 = t1.max(t0 + 1.0);
    let px = |v: f64| (v * dpr).round() as u32;
    let span = t1 - t0;
    let interval = tick_interval(span, ((css_w / 90.0) as usize).max(2));
    let ticks = time_ticks(t0, t1, interval, zone_offset_s(t1, utc));
    let y_max = data.y_max();
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(8.0))
        .margin_right(px(12.0))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(62.0))
        .build_cartesian_2d(FixedTicks::new(t0..t1, ticks), 0.0..y_max)
        .map_err(|e| e.to_string())?;
    let font = ("sans-serif", 11.0 * dpr).into_font().color(&theme.text);
    chart
        .configure_mesh()
        .y_labels(5)
        .x_label_formatter(&|t| format_tick(*t, interval, span, utc))
        // Whole amounts from 100 on, so that labels stay narrow ("$5,000", not "$5,000.00").
        .y_label_formatter(&|v| unit.format_decimals(*v, (v.abs() >= 100.0).then_some(0)))
        .label_style(font)
        .axis_style(theme.axis)
        .bold_line_style(theme.grid)
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(|e| e.to_string())?;

    let colour = theme.series[0];
    if data.forecast.len() > 1 {
        let band: Vec<(f64, f64)> = data
            .forecast
            .iter()
            .map(|p| (p.0, p.2))
            .chain(data.forecast.iter().rev().map(|p| (p.0, p.3)))
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(
                band,
                colour.mix(0.18).filled(),
            )))
            .map_err(|e| e.to_string())?;
        let expected: Vec<(f64, f64)> = data.forecast.iter().map(|p| (p.0, p.1)).collect();
        let style = ShapeStyle::from(colour).stroke_width(px(2.0).max(1));
        chart
            .draw_series(DashedLineSeries::new(expected, px(6.0), px(4.0), style))
            .map_err(|e| e.to_string())?;
    }
    if let Some(limit) = data.limit {
        let style = ShapeStyle::from(theme.critical).stroke_width(px(1.5).max(1));
        chart
            .draw_series(DashedLineSeries::new(
                [(t0, limit), (t1, limit)],
                px(3.0),
                px(3.0),
                style,
            ))
            .map_err(|e| e.to_string())?;
    }
    if !data.actual.is_empty() {
        let style = ShapeStyle::from(colour).stroke_width(px(2.5).max(1));
        chart
            .draw_series(LineSeries::new(data.actual.iter().copied(), style))
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_has_room_for_the_band_and_the_limit() {
        let mut p = Projection {
            actual: vec![(0.0, 0.0), (10.0, 40.0)],
            forecast: vec![(10.0, 40.0, 40.0, 40.0), (20.0, 80.0, 70.0, 100.0)],
            limit: None,
        };
        assert!((p.y_max() - 108.0).abs() < 1e-9);
        p.limit = Some(200.0);
        assert!((p.y_max() - 216.0).abs() < 1e-9);
        assert_eq!(Projection::default().y_max(), 1.0);
    }
}
