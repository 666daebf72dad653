//! A PromQL editor: a plain textarea (so typing, selection, undo and IME are the
//! browser's own) over a highlighted copy of its text, with bracket matching, the
//! error underlined where it is, and completion in a listbox that the text box controls
//! (`aria-autocomplete`, `aria-activedescendant` and a polite count of suggestions: the
//! combobox role itself is not allowed on a multi-line textarea).

use crate::promql::complete::{MetricMeta, Sources, Suggestion, apply, suggest};
use crate::promql::context::{Context, CursorContext, cursor_context};
use crate::promql::highlight::{Mark, highlight_html};
use crate::promql::lexer::{Kind, matching_bracket, tokenize};
use crate::promql::text::{byte_to_utf16, char_to_byte, utf16_to_byte};
use leptos::prelude::*;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use wasm_bindgen::JsCast;

/// What the editor asks its owner for while completing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Lookup {
    /// The label names of a metric's series (of all series without a metric).
    LabelNames { metric: Option<String> },
    /// The values of a label, on a metric's series when there is one.
    LabelValues {
        metric: Option<String>,
        label: String,
    },
}

/// Answers a lookup (an empty list when it cannot).
pub type LookupFn = Arc<dyn Fn(Lookup) -> Pin<Box<dyn Future<Output = Vec<String>>>> + Send + Sync>;

/// A problem to underline: a character range (empty: a point) and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorError {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// Suggestions shown at most.
const LIMIT: usize = 50;
/// Width of the suggestion list in CSS pixels (less in a narrower field).
const POPUP_WIDTH: i32 = 560;

static INSTANCES: AtomicUsize = AtomicUsize::new(0);

/// Whether the list should open by itself in this context (it always opens on
/// Ctrl-Space).
fn wants_list(at: &CursorContext) -> bool {
    match at.context {
        Context::None => false,
        Context::Expression | Context::AfterExpression | Context::AfterAggregation => {
            !at.prefix.is_empty()
        }
        Context::LabelName { .. }
        | Context::LabelValue { .. }
        | Context::Duration
        | Context::Variable => true,
    }
}

/// What the context needs looked up.
fn lookup_for(context: &Context) -> Option<Lookup> {
    match context {
        Context::LabelName { metric, .. } => Some(Lookup::LabelNames {
            metric: metric.clone(),
        }),
        Context::LabelValue { metric, label, .. } => Some(Lookup::LabelValues {
            metric: metric.clone(),
            label: label.clone(),
        }),
        _ => None,
    }
}

/// The marks over the text: the error, and the bracket at the cursor with its match.
fn marks(text: &str, cursor: usize, error: Option<&EditorError>, focused: bool) -> Vec<Mark> {
    let mut out = Vec::new();
    if let Some(e) = error {
        let (start, end) = (char_to_byte(text, e.start), char_to_byte(text, e.end));
        out.push(Mark {
            start,
            end: end.max(start),
            class: if end > start {
                "promql-error"
            } else {
                "promql-error-point"
            },
        });
    }
    if focused {
        let tokens = tokenize(text);
        let bracket_at = |at: usize| {
            tokens
                .iter()
                .find(|t| t.kind == Kind::Bracket && t.start == at)
                .map(|t| t.start)
        };
        let here = cursor
            .checked_sub(1)
            .and_then(bracket_at)
            .or_else(|| bracket_at(cursor));
        if let Some(at) = here {
            match matching_bracket(text, &tokens, at) {
                Some(other) => {
                    for p in [at, other] {
                        out.push(Mark {
                            start: p,
                            end: p + 1,
                            class: "promql-bracket-match",
                        });
                    }
                }
                None => out.push(Mark {
                    start: at,
                    end: at + 1,
                    class: "promql-bracket-unmatched",
                }),
            }
        }
    }
    out.push(Mark {
        start: cursor,
        end: cursor,
        class: "promql-caret",
    });
    out
}

/// A PromQL editor with highlighting, bracket matching, completion and an error
/// underline. Ctrl/Cmd-Enter runs; Ctrl-Space opens the suggestions; in the list,
/// arrows move, Enter or Tab accepts and Escape closes.
#[component]
pub fn PromqlEditor(
    /// The query; written as the user types.
    value: RwSignal<String>,
    /// Ctrl/Cmd-Enter.
    on_run: Callback<()>,
    /// Every metric name, for completion.
    #[prop(into)]
    metrics: Signal<Arc<Vec<String>>>,
    /// Type and help per metric, shown beside a metric suggestion.
    #[prop(into)]
    metadata: Signal<Arc<HashMap<String, MetricMeta>>>,
    /// Fetches label names and values as completion needs them.
    lookup: LookupFn,
    /// Dashboard variables (names without `$`); with them, `$__` macros are offered too.
    #[prop(optional, into)]
    variables: Signal<Option<Vec<String>>>,
    /// The error to underline and say.
    #[prop(into)]
    error: Signal<Option<EditorError>>,
    /// The field's accessible name.
    #[prop(into, default = "PromQL query".to_owned())]
    label: String,
    #[prop(optional, into)] placeholder: String,
) -> impl IntoView {
    let id = INSTANCES.fetch_add(1, Ordering::Relaxed);
    let list_id = format!("promql-list-{id}");
    let error_id = format!("promql-error-{id}");
    let input = NodeRef::<leptos::html::Textarea>::new();
    let overlay = NodeRef::<leptos::html::Pre>::new();
    let cursor = RwSignal::new(value.get_untracked().len());
    let open = RwSignal::new(false);
    let active = RwSignal::new(0usize);
    let focused = RwSignal::new(false);
    // Where the list goes: under the caret, as a style.
    let popup_at = RwSignal::new(String::new());
    // Label names and values by lookup; `None` while one is being fetched.
    let cache = RwSignal::new(HashMap::<Lookup, Option<Arc<Vec<String>>>>::new());
    let lookup = StoredValue::new(lookup);

    let at = Memo::new(move |_| value.with(|v| cursor_context(v, cursor.get())));
    // Fetch what the context needs, once per lookup.
    Effect::new(move |_| {
        let Some(wanted) = at.with(|a| lookup_for(&a.context)) else {
            return;
        };
        if !open.get() || cache.with_untracked(|c| c.contains_key(&wanted)) {
            return;
        }
        cache.update(|c| {
            c.insert(wanted.clone(), None);
        });
        let request = lookup.with_value(|f| f(wanted.clone()));
        leptos::task::spawn_local(async move {
            let answer = Arc::new(request.await);
            cache.try_update(|c| {
                c.insert(wanted, Some(answer));
            });
        });
    });
    let loading = Memo::new(move |_| {
        open.get()
            && at.with(|a| {
                lookup_for(&a.context)
                    .is_some_and(|l| cache.with(|c| c.get(&l).is_none_or(Option::is_none)))
            })
    });
    let suggestions = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let metrics = metrics.get();
        let metadata = metadata.get();
        let variables = variables.get();
        at.with(|at| {
            let known =
                lookup_for(&at.context).and_then(|l| cache.with(|c| c.get(&l).cloned().flatten()));
            let list = known.as_deref().map(Vec::as_slice);
            let sources = Sources {
                metrics: &metrics,
                metadata: &metadata,
                labels: list,
                values: list,
                variables: variables.as_deref(),
            };
            suggest(at, &sources, LIMIT)
        })
    });
    let showing =
        Memo::new(move |_| open.get() && (!suggestions.with(Vec::is_empty) || loading.get()));

    // The highlighted copy, redrawn with the text, caret, error and focus; then the
    // caret's place is read from it to put the list there.
    Effect::new(move |_| {
        let html = value.with(|text| {
            let error = error.get();
            highlight_html(
                text,
                &marks(text, cursor.get(), error.as_ref(), focused.get()),
            )
        });
        let Some(pre) = overlay.get() else { return };
        pre.set_inner_html(&html);
        if let Ok(Some(caret)) = pre.query_selector(".promql-caret")
            && let Ok(caret) = caret.dyn_into::<web_sys::HtmlElement>()
        {
            // Under the caret, but never past the field's right edge.
            let width = pre.offset_width();
            let popup = POPUP_WIDTH.min(width);
            let left = (caret.offset_left() - pre.scroll_left()).clamp(0, (width - popup).max(0));
            let top = caret.offset_top() - pre.scroll_top() + 22;
            popup_at.set(format!("left:{left}px;top:{top}px;width:{popup}px"));
        }
    });
    // An outside change of the query (history, Explain, a link) reaches the textarea.
    Effect::new(move |_| {
        let text = value.get();
        if let Some(el) = input.get()
            && el.value() != text
        {
            el.set_value(&text);
            cursor.set(text.len());
        }
    });
    // Keep the active suggestion in view.
    Effect::new(move |_| {
        let i = active.get();
        suggestions.track();
        let id = format!("promql-list-{id}-{i}");
        if let Some(el) = document().get_element_by_id(&id) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            el.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });

    let read_cursor = move || {
        if let Some(el) = input.get_untracked() {
            let unit = el.selection_start().ok().flatten().unwrap_or(0) as usize;
            cursor.set(value.with_untracked(|v| utf16_to_byte(v, unit)));
        }
    };
    let place_caret = move |byte: usize| {
        if let Some(el) = input.get_untracked() {
            let unit = value.with_untracked(|v| byte_to_utf16(v, byte)) as u32;
            let _ = el.set_selection_range(unit, unit);
        }
    };
    let accept = move |index: usize| {
        let Some(chosen) = suggestions.with_untracked(|s| s.get(index).cloned()) else {
            return;
        };
        let (text, caret) = value.with_untracked(|v| at.with_untracked(|a| apply(v, a, &chosen)));
        if let Some(el) = input.get_untracked() {
            el.set_value(&text);
        }
        value.set(text.clone());
        cursor.set(caret);
        place_caret(caret);
        active.set(0);
        // The chosen word is complete: the list stays open only where the next thing
        // starts (a label's value after `label="`, a label after `by (`).
        let next = cursor_context(&text, caret);
        open.set(next.prefix.is_empty() && wants_list(&next));
    };
    let on_input = move |_| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let text = el.value();
        let unit = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let byte = utf16_to_byte(&text, unit);
        let context = cursor_context(&text, byte);
        value.set(text);
        cursor.set(byte);
        active.set(0);
        open.set(wants_list(&context));
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        let command = ev.ctrl_key() || ev.meta_key();
        if command && key == "Enter" {
            ev.prevent_default();
            open.set(false);
            on_run.run(());
            return;
        }
        if ev.ctrl_key() && key == " " {
            ev.prevent_default();
            read_cursor();
            active.set(0);
            open.set(true);
            return;
        }
        if !showing.get_untracked() {
            return;
        }
        let count = suggestions.with_untracked(Vec::len);
        match key.as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + count - 1) % count);
            }
            "PageDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 8).min(count - 1));
            }
            "PageUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = a.saturating_sub(8));
            }
            "Enter" | "Tab" if count > 0 && !ev.shift_key() => {
                ev.prevent_default();
                accept(active.get_untracked());
            }
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                open.set(false);
            }
            _ => {}
        }
    };
    let on_keyup = move |ev: leptos::ev::KeyboardEvent| {
        if matches!(
            ev.key().as_str(),
            "ArrowLeft" | "ArrowRight" | "Home" | "End"
        ) {
            open.set(false);
        }
        read_cursor();
    };
    let on_scroll = move |_| {
        if let (Some(el), Some(pre)) = (input.get_untracked(), overlay.get_untracked()) {
            pre.set_scroll_top(el.scroll_top());
            pre.set_scroll_left(el.scroll_left());
        }
    };
    let rows =
        move || value.with(|v| v.lines().count().clamp(2, 12) + usize::from(v.ends_with('\n')));
    let active_id = {
        let list_id = list_id.clone();
        move || {
            showing
                .get()
                .then(|| {
                    suggestions
                        .with(|s| (!s.is_empty()).then(|| format!("{list_id}-{}", active.get())))
                })
                .flatten()
        }
    };
    let announce = move || {
        if !showing.get() {
            String::new()
        } else if loading.get() && suggestions.with(Vec::is_empty) {
            "Loading suggestions".to_owned()
        } else {
            let n = suggestions.with(Vec::len);
            format!("{n} suggestion{}", if n == 1 { "" } else { "s" })
        }
    };
    let item_list_id = list_id.clone();
    let items = move || {
        let current = active.get();
        suggestions
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let Suggestion {
                    kind,
                    label,
                    detail,
                    ..
                } = s;
                view! {
                    <li
                        id=format!("{item_list_id}-{i}")
                        role="option"
                        aria-selected=(i == current).to_string()
                        class="promql-editor__option"
                        on:mousedown=|ev| ev.prevent_default()
                        on:click=move |_| accept(i)
                    >
                        <span class=format!("promql-editor__badge promql-editor__badge--{}", kind.badge_class()) aria-label=kind.name()>{kind.badge()}</span>
                        <span class="promql-editor__name">{label}</span>
                        <span class="promql-editor__detail">{detail}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let doc = move || {
        let s = suggestions.with(|s| s.get(active.get()).cloned())?;
        // Labels and values have nothing more to say than their name.
        (!s.doc.is_empty()).then(|| {
            view! {
                <div class="promql-editor__doc">
                    <code>{s.detail}</code>
                    <p>{s.doc}</p>
                </div>
            }
        })
    };
    let error_text = move || error.get().map(|e| e.message);
    view! {
        <div class="promql-editor" class:promql-editor--invalid=move || error.with(Option::is_some)>
            <div class="promql-editor__field">
                <pre class="promql-editor__highlight" aria-hidden="true" node_ref=overlay></pre>
                <textarea
                    node_ref=input
                    class="promql-editor__input"
                    aria-label=label
                    aria-autocomplete="list"
                    aria-haspopup="listbox"
                    aria-controls=list_id.clone()
                    aria-activedescendant=active_id
                    data-open=move || showing.get().to_string()
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby=error_id.clone()
                    placeholder=placeholder
                    rows=rows
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    prop:value=value.get_untracked()
                    on:input=on_input
                    on:keydown=on_keydown
                    on:keyup=on_keyup
                    on:click=move |_| read_cursor()
                    on:focus=move |_| focused.set(true)
                    on:blur=move |_| {
                        focused.set(false);
                        open.set(false);
                    }
                    on:scroll=on_scroll
                ></textarea>
                <div
                    class="promql-editor__popup"
                    hidden=move || !showing.get()
                    style=popup_at
                >
                    <ul id=list_id role="listbox" aria-label="Suggestions" class="promql-editor__list">
                        {items}
                    </ul>
                    {move || (loading.get() && suggestions.with(Vec::is_empty)).then(|| view! { <p class="promql-editor__loading">"Loading…"</p> })}
                    {doc}
                </div>
            </div>
            <p id=error_id class="promql-editor__error" aria-live="polite">{error_text}</p>
            <div class="visually-hidden" role="status" aria-live="polite">{announce}</div>
        </div>
    }
}
