//! Light and dark themes: the `theme` URL parameter wins, else the system's preference.
//! The theme is an attribute on `<html>`; the design tokens in `styles/` follow it.

use crate::url_state::ViewParams;
use leptos::prelude::*;
use vantage_components::chart_theme::ThemeEpoch;

/// `light` or `dark`, from the URL or the system.
pub fn theme_of(params: &ViewParams) -> &'static str {
    match params.theme.as_deref() {
        Some("dark") => "dark",
        Some("light") => "light",
        _ => {
            let prefers_dark = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches());
            if prefers_dark { "dark" } else { "light" }
        }
    }
}

/// Applies the theme to the document whenever it changes and tells canvases to redraw.
pub fn apply_theme(theme: Signal<&'static str>, epoch: ThemeEpoch) {
    Effect::new(move |_| {
        let name = theme.get();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-theme", name);
        }
        epoch.0.update(|n| *n = n.wrapping_add(1));
    });
}
