//! Keyboard behaviour of a modal dialog: the focus moves into it when it opens, Tab and
//! Shift-Tab cycle inside it, Escape closes it, and the focus returns to where it was
//! (the control that opened it) when it goes away.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

fn focusables(dialog: &web_sys::HtmlElement) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|e| e.offset_parent().is_some())
        .collect()
}

fn active() -> Option<web_sys::HtmlElement> {
    document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Call in the dialog's component; put the answer on the dialog's `on:keydown`. On
/// opening, the element marked `data-autofocus` takes the focus (else the first
/// focusable one).
pub fn use_dialog_focus(
    dialog: NodeRef<leptos::html::Div>,
    on_close: Callback<()>,
) -> impl Fn(leptos::ev::KeyboardEvent) + Clone + 'static {
    let previous = StoredValue::new_local(active());
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            let element: &web_sys::HtmlElement = &dialog;
            let marked = element
                .query_selector("[data-autofocus]")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(first) = marked.or_else(|| focusables(element).into_iter().next()) {
                let _ = first.focus();
            }
        }
    });
    on_cleanup(move || {
        previous.with_value(|p| {
            if let Some(p) = p.as_ref().filter(|p| p.is_connected()) {
                let _ = p.focus();
            }
        });
    });
    move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.stop_propagation();
            ev.prevent_default();
            on_close.run(());
        }
        "Tab" => {
            let Some(dialog) = dialog.get_untracked() else {
                return;
            };
            let element: &web_sys::HtmlElement = &dialog;
            let all = focusables(element);
            let (Some(first), Some(last)) = (all.first(), all.last()) else {
                return;
            };
            let now = active();
            let at = |e: &web_sys::HtmlElement| now.as_ref().is_some_and(|n| n == e);
            let inside = now
                .as_ref()
                .is_some_and(|n| element.contains(Some(n.as_ref())));
            if ev.shift_key() && (at(first) || !inside) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && (at(last) || !inside) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    }
}
