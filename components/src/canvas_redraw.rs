//! Keeps a canvas drawing current: redraws when its inputs change, when the window is
//! resized, and when the theme changes (canvas pixels do not follow CSS by themselves).

use crate::chart_theme::{ChartTheme, ThemeEpoch};
use leptos::html::Canvas;
use leptos::prelude::*;
use web_sys::HtmlCanvasElement;

/// Calls `draw` (which reads signals, so it re-runs when they change) on every change.
pub fn redraw_on_change(
    canvas: NodeRef<Canvas>,
    draw: impl Fn(&HtmlCanvasElement, &ChartTheme) + 'static,
) {
    let resized = RwSignal::new(0u32);
    let handle = window_event_listener(leptos::ev::resize, move |_| resized.update(|n| *n += 1));
    on_cleanup(move || handle.remove());
    let epoch = use_context::<ThemeEpoch>();
    Effect::new(move |_| {
        resized.track();
        if let Some(epoch) = epoch {
            epoch.0.track();
        }
        let Some(element) = canvas.get() else { return };
        let theme = ChartTheme::from_element(&element);
        draw(&element, &theme);
    });
}

/// Sizes the canvas backing store to its CSS box times the device pixel ratio, so
/// lines stay crisp on high-DPI screens. Returns `(css_width, css_height, dpr)`.
pub fn fit_to_device_pixels(canvas: &HtmlCanvasElement) -> (f64, f64, f64) {
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .max(1.0);
    let css_w = f64::from(canvas.client_width().max(1));
    let css_h = f64::from(canvas.client_height().max(1));
    let (w, h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    (css_w, css_h, dpr)
}
