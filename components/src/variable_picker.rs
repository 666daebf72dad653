//! A dashboard variable's picker: single or multiple values, with "All".

use leptos::prelude::*;
use vantage_api::dashboard::VariableOption;
use vantage_api::dashboard::expand::Selection;

/// Shows a variable's choices; calls `on_change` with the new selection.
#[component]
pub fn VariablePicker(
    /// What the picker is labelled.
    #[prop(into)]
    label: String,
    /// The values to choose from, each with the text shown for it.
    #[prop(into)]
    options: Signal<Vec<VariableOption>>,
    /// What is selected now.
    #[prop(into)]
    selected: Signal<Selection>,
    /// Several values at once.
    multi: bool,
    /// Offer "All".
    include_all: bool,
    on_change: Callback<Selection>,
    /// Show the picker without its label (the label stays its accessible name).
    #[prop(optional)]
    hide_label: bool,
) -> impl IntoView {
    let shown = move |value: &str| {
        options.with(|o| {
            o.iter()
                .find(|o| o.value == value)
                .map_or_else(|| value.to_owned(), |o| o.shown().to_owned())
        })
    };
    let is_chosen = move |value: &str| match selected.get() {
        Selection::All => false,
        Selection::Values(values) => values.iter().any(|v| v == value),
    };
    let summary = move || match selected.get() {
        Selection::All => "All".to_owned(),
        Selection::Values(v) if v.is_empty() => "None".to_owned(),
        Selection::Values(v) if v.len() <= 2 => {
            v.iter().map(|x| shown(x)).collect::<Vec<_>>().join(", ")
        }
        Selection::Values(v) => format!("{}, {} +{}", shown(&v[0]), shown(&v[1]), v.len() - 2),
    };
    if !multi {
        return view! {
            <label class="variable-picker">
                {(!hide_label).then(|| view! { <span class="variable-picker__label">{label.clone()}</span> })}
                <select
                    aria-label=label
                    prop:value=move || match selected.get() {
                        Selection::All => "$__all".to_owned(),
                        Selection::Values(v) => v.first().cloned().unwrap_or_default(),
                    }
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        on_change.run(if value == "$__all" { Selection::All } else { Selection::Values(vec![value]) });
                    }
                >
                    {include_all.then(|| view! { <option value="$__all">"All"</option> })}
                    <For each=move || options.get() key=|o| o.value.clone() let:option>
                        <option value=option.value.clone()>{option.shown().to_owned()}</option>
                    </For>
                </select>
            </label>
        }
        .into_any();
    }
    let open = RwSignal::new(false);
    let toggle_value = move |value: String| {
        let mut values = match selected.get_untracked() {
            Selection::All => Vec::new(),
            Selection::Values(v) => v,
        };
        if let Some(i) = values.iter().position(|v| *v == value) {
            values.remove(i);
        } else {
            values.push(value);
        }
        on_change.run(if values.is_empty() && include_all {
            Selection::All
        } else {
            Selection::Values(values)
        });
    };
    // The name says which variable and, as the button's text does, what is chosen.
    let name = {
        let label = label.clone();
        move || format!("{label}: {}", summary())
    };
    let list_id = format!(
        "variable-{}",
        label
            .to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), "-")
    );
    view! {
        <div class="variable-picker variable-picker--multi">
            {(!hide_label).then(|| view! { <span class="variable-picker__label">{label.clone()}</span> })}
            <button
                type="button"
                aria-label=name
                aria-controls=list_id.clone()
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >{summary}</button>
            <Show when=move || open.get()>
                <ul class="variable-picker__list" id=list_id.clone() role="group" aria-label=label.clone()>
                    {include_all.then(|| view! {
                        <li>
                            <label><input type="checkbox" prop:checked=move || selected.get() == Selection::All
                                on:change=move |_| on_change.run(Selection::All)/>"All"</label>
                        </li>
                    })}
                    <For each=move || options.get() key=|o| o.value.clone() let:option>
                        {
                            let value = option.value.clone();
                            let text = option.shown().to_owned();
                            let checked_value = value.clone();
                            let toggled = value.clone();
                            view! {
                                <li>
                                    <label>
                                        <input type="checkbox" prop:checked=move || is_chosen(&checked_value)
                                            on:change=move |_| toggle_value(toggled.clone())/>
                                        {text}
                                    </label>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </div>
    }
    .into_any()
}
