//! A panel's menu: a button that opens a list of actions (view, explore, share,
//! inspect). Keyboard: Enter, Space or Down opens it on the first item, Up and Down
//! move, Home and End jump, Escape closes it and puts the focus back on the button.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One item of the menu: a label and what choosing it does (the page navigates itself
/// when an item leads elsewhere).
#[derive(Clone)]
pub struct MenuItem {
    pub label: String,
    pub action: Callback<()>,
}

impl MenuItem {
    pub fn run(label: impl Into<String>, action: impl Fn() + Send + Sync + 'static) -> MenuItem {
        MenuItem {
            label: label.into(),
            action: Callback::new(move |()| action()),
        }
    }
}

/// The menu's items as elements, for moving the focus among them.
fn item_elements(menu: &web_sys::HtmlElement) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = menu.query_selector_all("[role=menuitem]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

/// A "⋯" button and its menu of `items`, labelled after the panel `title`.
#[component]
pub fn PanelMenu(
    /// The panel's title, for the button's accessible name.
    #[prop(into)]
    title: String,
    /// The actions, in order.
    items: Vec<MenuItem>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let button = NodeRef::<leptos::html::Button>::new();
    let menu = NodeRef::<leptos::html::Ul>::new();
    let focus_item = move |index: Option<usize>| {
        let Some(menu) = menu.get_untracked() else {
            return;
        };
        let items = item_elements(&menu);
        if items.is_empty() {
            return;
        }
        let current = document().active_element();
        let at = items.iter().position(|i| {
            current
                .as_ref()
                .is_some_and(|c| c == i.unchecked_ref::<web_sys::Element>())
        });
        let next = index.unwrap_or_else(|| at.map_or(0, |a| (a + 1) % items.len()));
        let _ = items[next.min(items.len() - 1)].focus();
    };
    let close = move |refocus: bool| {
        open.set(false);
        if refocus && let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let show = move || {
        open.set(true);
        // After the list is in the page.
        request_animation_frame(move || focus_item(Some(0)));
    };
    let on_button_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "ArrowDown" && !open.get_untracked() {
            ev.prevent_default();
            show();
        }
    };
    let on_menu_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(list) = menu.get_untracked() else {
            return;
        };
        let count = item_elements(&list).len();
        if count == 0 {
            return;
        }
        let current = document().active_element();
        let at = item_elements(&list)
            .iter()
            .position(|i| {
                current
                    .as_ref()
                    .is_some_and(|c| c == i.unchecked_ref::<web_sys::Element>())
            })
            .unwrap_or(0);
        match ev.key().as_str() {
            "ArrowDown" => focus_item(Some((at + 1) % count)),
            "ArrowUp" => focus_item(Some((at + count - 1) % count)),
            "Home" => focus_item(Some(0)),
            "End" => focus_item(Some(count - 1)),
            "Escape" => {
                ev.stop_propagation();
                close(true);
            }
            "Tab" => {
                open.set(false);
                return;
            }
            _ => return,
        }
        ev.prevent_default();
    };
    // Leaving the menu with the focus (a click elsewhere, Tab) closes it.
    let on_focus_out = move |ev: leptos::ev::FocusEvent| {
        let inside = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(menu.get_untracked())
            .is_some_and(|(node, list)| list.contains(Some(&node)));
        let on_button = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(button.get_untracked())
            .is_some_and(|(node, b)| b.is_same_node(Some(&node)));
        if !inside && !on_button {
            open.set(false);
        }
    };
    let label = format!("Menu of {title}");
    let entries = items
        .into_iter()
        .map(|item| {
            let action = item.action;
            view! {
                <li role="none">
                    <button type="button" role="menuitem" tabindex="-1" on:click=move |_| {
                        close(true);
                        action.run(());
                    }>{item.label}</button>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="panel-menu" on:focusout=on_focus_out>
            <button
                type="button"
                class="panel-menu__button"
                node_ref=button
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                aria-label=label.clone()
                title="Panel menu"
                on:click=move |_| if open.get_untracked() { close(false) } else { show() }
                on:keydown=on_button_key
            >"⋯"</button>
            <ul class="panel-menu__list" role="menu" aria-label=label node_ref=menu hidden=move || !open.get() on:keydown=on_menu_key>
                {entries}
            </ul>
        </div>
    }
}
