//! A textbox variable: free text, applied when the viewer presses Enter or leaves the box.

use leptos::prelude::*;

/// A labelled text input for a variable's value.
#[component]
pub fn VariableTextbox(
    /// What the box is labelled.
    #[prop(into)]
    label: String,
    /// The value now.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new text.
    on_change: Callback<String>,
    /// Show the box without its label (the label stays its accessible name).
    #[prop(optional)]
    hide_label: bool,
) -> impl IntoView {
    let commit = move |text: String| {
        if text != value.get_untracked() {
            on_change.run(text);
        }
    };
    view! {
        <label class="variable-picker">
            {(!hide_label).then(|| view! { <span class="variable-picker__label">{label.clone()}</span> })}
            <input
                type="text"
                aria-label=label
                prop:value=move || value.get()
                on:change=move |ev| commit(event_target_value(&ev))
                on:keydown=move |ev| {
                    if ev.key() == "Enter" {
                        commit(event_target_value(&ev));
                    }
                }
            />
        </label>
    }
}
