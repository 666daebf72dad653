//! The console's hot paths, exposed to the bench page (`page/`) as wasm functions:
//! drawing a time-series chart exactly as the console does (M4 decimation and plotters on
//! a canvas, through `vantage_components::draw_time_series`), its parts on their own (to
//! tell decimation from plotters from canvas work), and decoding a `query_range` answer
//! with `vantage_api`. The page times each call with `performance.now()`; this crate only
//! holds the data and does the work.
//!
//! `fast` holds a prototype of a leaner drawing path, measured beside the real one.

pub mod fast;

use std::cell::RefCell;
use vantage_api::dashboard::ThresholdStyle;
use vantage_api::envelope::Envelope;
use vantage_api::matrix::QueryData;
use vantage_api::unit::Unit;
use vantage_components::chart_theme::ChartTheme;
use vantage_components::decimate::m4;
use vantage_components::series::ChartSeries;
use vantage_components::{DrawInput, draw_time_series};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

thread_local! {
    /// The series the draw benchmarks draw, in wasm memory as the console keeps them.
    static SERIES: RefCell<Vec<ChartSeries>> = const { RefCell::new(Vec::new()) };
    /// A `query_range` body already in wasm memory.
    static BODY: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Forgets every series.
#[wasm_bindgen]
pub fn clear_series() {
    SERIES.with_borrow_mut(Vec::clear);
}

/// Adds one series (copied into wasm memory; not part of any timing).
#[wasm_bindgen]
pub fn add_series(times: Vec<f64>, values: Vec<f64>) {
    SERIES.with_borrow_mut(|all| {
        let name = format!("series-{}", all.len());
        all.push(ChartSeries {
            name,
            times,
            values,
        });
    });
}

/// The console's defaults: no decimals, bounds, fill or colours of its own.
static OPTIONS: std::sync::LazyLock<vantage_components::series::ChartOptions> =
    std::sync::LazyLock::new(Default::default);

fn input<'a>(
    series: &'a [ChartSeries],
    hidden: &'a dyn Fn(&str) -> bool,
    theme: &'a ChartTheme,
    range: (f64, f64),
    step: f64,
) -> DrawInput<'a> {
    DrawInput {
        series,
        hidden,
        range,
        step,
        unit: Unit::Short,
        theme,
        utc: true,
        thresholds: &[],
        threshold_style: ThresholdStyle::Line,
        options: &OPTIONS,
    }
}

/// Draws the stored series on `canvas` with the console's own drawing function, over
/// `[t0, t1]` (unix seconds) with the query step `step`.
#[wasm_bindgen]
pub fn draw_console(
    canvas: &HtmlCanvasElement,
    t0: f64,
    t1: f64,
    step: f64,
) -> Result<(), JsValue> {
    let theme = ChartTheme::default();
    let shown = |_: &str| false;
    SERIES.with_borrow(|series| {
        draw_time_series(canvas, &input(series, &shown, &theme, (t0, t1), step))
            .map(|_| ())
            .map_err(|e| JsValue::from_str(&e))
    })
}

/// The same drawing with every series hidden: background, axes, grid and labels only.
#[wasm_bindgen]
pub fn draw_console_frame(
    canvas: &HtmlCanvasElement,
    t0: f64,
    t1: f64,
    step: f64,
) -> Result<(), JsValue> {
    let theme = ChartTheme::default();
    let hidden = |_: &str| true;
    SERIES.with_borrow(|series| {
        draw_time_series(canvas, &input(series, &hidden, &theme, (t0, t1), step))
            .map(|_| ())
            .map_err(|e| JsValue::from_str(&e))
    })
}

/// M4 decimation alone, as `draw_console` calls it for every series; returns the number
/// of points kept (so the work cannot be optimised away and the page can report it).
#[wasm_bindgen]
pub fn decimate_only(t0: f64, t1: f64, step: f64, width_px: usize) -> usize {
    SERIES.with_borrow(|series| {
        series
            .iter()
            .map(|s| {
                m4(&s.times, &s.values, t0, t1, width_px, step * 1.5)
                    .iter()
                    .map(Vec::len)
                    .sum::<usize>()
            })
            .sum()
    })
}

/// The prototype drawing path (see [`fast`]) on the same series and canvas, with text
/// measured on the canvas and/or series stroked straight on the canvas.
#[wasm_bindgen]
pub fn draw_fast(
    canvas: &HtmlCanvasElement,
    t0: f64,
    t1: f64,
    step: f64,
    measure_on_canvas: bool,
    direct_lines: bool,
) -> Result<(), JsValue> {
    let theme = ChartTheme::default();
    let options = fast::Options {
        measure_on_canvas,
        direct_lines,
    };
    SERIES.with_borrow(|series| {
        fast::draw(canvas, series, &theme, (t0, t1), step, options)
            .map_err(|e| JsValue::from_str(&e))
    })
}

/// Decodes a `query_range` body the way the console's API client does: the body arrives
/// as a JS string (`response.text()`), is copied into wasm memory as UTF-8, and is
/// decoded with serde into columns. Returns the number of samples.
#[wasm_bindgen]
pub fn decode_text(text: String) -> Result<usize, JsValue> {
    decode(text.as_bytes())
}

/// Decodes a body handed over as bytes (a `Uint8Array`, e.g. `response.arrayBuffer()`),
/// copied into wasm memory as they are: as the app reads answers, with no UTF-16 to UTF-8
/// conversion. Returns the number of samples.
#[wasm_bindgen]
pub fn decode_bytes(bytes: Vec<u8>) -> Result<usize, JsValue> {
    decode(&bytes)
}

/// Keeps a body in wasm memory for [`decode_loaded`] (not part of any timing).
#[wasm_bindgen]
pub fn load_body(bytes: Vec<u8>) {
    BODY.with_borrow_mut(|body| *body = bytes);
}

/// Decodes the body kept by [`load_body`]: the decoder alone, no copy across the JS
/// boundary. Returns the number of samples.
#[wasm_bindgen]
pub fn decode_loaded() -> Result<usize, JsValue> {
    BODY.with_borrow(|body| decode(body))
}

fn decode(bytes: &[u8]) -> Result<usize, JsValue> {
    let envelope: Envelope<QueryData> =
        serde_json::from_slice(bytes).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let data = envelope
        .into_result()
        .map_err(|e| JsValue::from_str(&e.error))?;
    Ok(data.into_series().iter().map(|s| s.times.len()).sum())
}
