//! A prototype of a faster drawing path, to measure proposed changes to
//! `components/src/time_series_draw.rs` before making them. It draws the same chart as
//! the console (same margins, ticks, labels, colours, M4 to the plotting area's pixels)
//! with two changes, each switchable so that its effect is measured on its own:
//!
//! 1. [`Measured`]: text is measured with the canvas' own `measureText` (cached per
//!    string) instead of plotters' web font code, which appends a `<span>` to the page and
//!    reads its size: a forced style and layout pass of the whole document per label.
//! 2. `direct_lines`: series are decimated straight into device pixels and stroked as one
//!    canvas path per series (one `moveTo`/`lineTo` per kept pixel point, skipping
//!    repeats), instead of one plotters `LineSeries` per gap-free segment with a
//!    coordinate mapping per point.

use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use std::cell::RefCell;
use std::collections::HashMap;
use vantage_api::unit::Unit;
use vantage_components::canvas_redraw::fit_to_device_pixels;
use vantage_components::chart_theme::ChartTheme;
use vantage_components::decimate::m4;
use vantage_components::palette::assign_colours;
use vantage_components::series::ChartSeries;
use vantage_components::time_axis::{format_tick, tick_interval, time_ticks, zone_offset_s};
use vantage_components::{FixedTicks, y_range};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Which of the two changes are on.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub measure_on_canvas: bool,
    pub direct_lines: bool,
}

thread_local! {
    /// Text sizes by font and text: tick labels repeat from one drawing to the next.
    static TEXT_SIZES: RefCell<HashMap<(String, String), (u32, u32)>> = RefCell::new(HashMap::new());
}

/// A canvas backend whose text measurement asks the canvas, not the DOM.
pub struct Measured {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
    on_canvas: bool,
}

impl Measured {
    fn new(canvas: &HtmlCanvasElement, on_canvas: bool) -> Option<Measured> {
        let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Measured {
            inner: CanvasBackend::with_canvas_object(canvas.clone())?,
            context,
            on_canvas,
        })
    }
}

type BackendResult<T = ()> =
    Result<T, DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

impl DrawingBackend for Measured {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> BackendResult {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> BackendResult {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> BackendResult {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> BackendResult {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> BackendResult {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> BackendResult {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> BackendResult {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> BackendResult {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> BackendResult {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> BackendResult<(u32, u32)> {
        if !self.on_canvas {
            return self.inner.estimate_text_size(text, style);
        }
        let font = format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        );
        let key = (font, text.to_owned());
        if let Some(size) = TEXT_SIZES.with_borrow(|sizes| sizes.get(&key).copied()) {
            return Ok(size);
        }
        self.context.set_font(&key.0);
        let width = self
            .context
            .measure_text(text)
            .map(|m| m.width())
            .unwrap_or(0.0);
        // The line box height plotters' DOM measurement reports for a one-line span.
        let size = (width.ceil() as u32, (style.size() * 1.15).ceil() as u32);
        TEXT_SIZES.with_borrow_mut(|sizes| sizes.insert(key, size));
        Ok(size)
    }
}

/// Draws `series` as the console does, with the changes `options` turns on.
pub fn draw(
    canvas: &HtmlCanvasElement,
    series: &[ChartSeries],
    theme: &ChartTheme,
    range: (f64, f64),
    step: f64,
    options: Options,
) -> Result<(), String> {
    let (css_w, _, dpr) = fit_to_device_pixels(canvas);
    let backend =
        Measured::new(canvas, options.measure_on_canvas).ok_or("canvas has no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&theme.background).map_err(|e| e.to_string())?;
    let (t0, t1) = range;
    let series_refs: Vec<&ChartSeries> = series.iter().collect();
    let (y0, y1) = y_range(&series_refs, &[]);
    let px = |v: f64| (v * dpr).round() as u32;
    let font = ("sans-serif", 11.0 * dpr).into_font().color(&theme.text);
    let span = t1 - t0;
    let interval = tick_interval(span, ((css_w / 110.0) as usize).max(2));
    let ticks = time_ticks(t0, t1, interval, zone_offset_s(t1, true));
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(8.0))
        .margin_right(px(12.0))
        .x_label_area_size(px(22.0))
        .y_label_area_size(px(62.0))
        .build_cartesian_2d(FixedTicks::new(t0..t1, ticks), y0..y1)
        .map_err(|e| e.to_string())?;
    let unit = Unit::Short;
    chart
        .configure_mesh()
        .y_labels(5)
        .x_label_formatter(&|t| format_tick(*t, interval, span, true))
        .y_label_formatter(&|v| unit.format(*v))
        .label_style(font)
        .axis_style(theme.axis)
        .bold_line_style(theme.grid)
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(|e| e.to_string())?;

    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let plot_width = (xs.end - xs.start).max(1) as usize;
    let slots = assign_colours(series.iter().map(|s| s.name.as_str()));
    let context: Option<CanvasRenderingContext2d> = if options.direct_lines {
        canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into().ok())
    } else {
        None
    };
    for s in series {
        let colour = theme.series[slots.get(&s.name).copied().unwrap_or(0)];
        let width = px(1.5).max(1);
        if let Some(context) = &context {
            let area = PixelArea {
                t0,
                t1,
                y0,
                y1,
                left: f64::from(xs.start),
                right: f64::from(xs.end),
                top: f64::from(ys.start),
                bottom: f64::from(ys.end),
            };
            stroke_series(
                context,
                s,
                &area,
                plot_width,
                step * 1.5,
                colour,
                f64::from(width),
            );
            continue;
        }
        let style = ShapeStyle::from(colour).stroke_width(width);
        for segment in m4(&s.times, &s.values, t0, t1, plot_width, step * 1.5) {
            if segment.len() == 1 {
                chart
                    .draw_series(std::iter::once(Circle::new(
                        segment[0],
                        px(1.5),
                        style.filled(),
                    )))
                    .map_err(|e| e.to_string())?;
            } else {
                chart
                    .draw_series(LineSeries::new(segment, style))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}

/// The plotting area in device pixels and the data range it shows.
struct PixelArea {
    t0: f64,
    t1: f64,
    y0: f64,
    y1: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

/// M4 to the plotting area's columns, mapped to pixels as plotters maps them, stroked as
/// one path; a lone point between gaps becomes a dot.
fn stroke_series(
    context: &CanvasRenderingContext2d,
    series: &ChartSeries,
    area: &PixelArea,
    plot_width: usize,
    gap_s: f64,
    colour: RGBColor,
    line_width: f64,
) {
    let sx = (area.right - area.left) / (area.t1 - area.t0);
    let sy = (area.bottom - area.top) / (area.y1 - area.y0);
    let x_of = |t: f64| (area.left + (t - area.t0) * sx + 1e-3).floor();
    let y_of = |v: f64| (area.bottom - (v - area.y0) * sy + 1e-3).floor();
    let RGBColor(r, g, b) = colour;
    let css = format!("rgb({r},{g},{b})");
    context.set_stroke_style_str(&css);
    context.set_fill_style_str(&css);
    context.set_line_width(line_width);
    context.begin_path();
    let mut dots = Vec::new();
    for segment in m4(
        &series.times,
        &series.values,
        area.t0,
        area.t1,
        plot_width,
        gap_s,
    ) {
        if let [(t, v)] = segment.as_slice() {
            dots.push((x_of(*t), y_of(*v)));
            continue;
        }
        let mut last = (f64::NAN, f64::NAN);
        for (i, (t, v)) in segment.iter().enumerate() {
            let p = (x_of(*t), y_of(*v));
            if i == 0 {
                context.move_to(p.0, p.1);
            } else if p != last {
                context.line_to(p.0, p.1);
            }
            last = p;
        }
    }
    context.stroke();
    for (x, y) in dots {
        context.begin_path();
        let _ = context.arc(x, y, line_width, 0.0, std::f64::consts::TAU);
        context.fill();
    }
}
