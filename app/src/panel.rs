//! The frame around every panel: title, and the loading, empty, error and stale states,
//! so that one failing panel never blanks the page.

use crate::fetch::Fetched;
use leptos::prelude::*;

/// How a panel's data stands.
#[derive(Clone, Copy)]
pub struct PanelStatus {
    pub loading: Signal<bool>,
    pub error: Signal<Option<String>>,
    pub has_data: Signal<bool>,
    pub is_empty: Signal<bool>,
}

impl PanelStatus {
    /// The status of fetched data; `empty` says when an answer has nothing to show.
    pub fn of<T: Send + Sync + 'static>(fetched: Fetched<T>, empty: fn(&T) -> bool) -> PanelStatus {
        PanelStatus {
            loading: fetched.loading.into(),
            error: fetched.error_message(),
            has_data: Signal::derive(move || fetched.data.with(Option::is_some)),
            is_empty: Signal::derive(move || fetched.data.with(|d| d.as_ref().is_some_and(empty))),
        }
    }
}

impl PanelStatus {
    /// A panel that has nothing to load (text).
    pub fn ready() -> PanelStatus {
        PanelStatus {
            loading: Signal::stored(false),
            error: Signal::stored(None),
            has_data: Signal::stored(true),
            is_empty: Signal::stored(false),
        }
    }
}

/// The id of a panel's heading, for `aria-labelledby`: readable, and unique on the page
/// even when two panels share a title (repeats, copies).
pub fn heading_id(title: &str) -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!(
        "panel-{}-{n}",
        title
            .to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), "-")
    )
}

/// Provided where a panel is the page itself (an embed): its title is the page's `h1`.
#[derive(Clone, Copy)]
pub struct PanelIsPage;

/// A titled panel around `children`, which it shows once there is data.
#[component]
pub fn Panel(
    /// The panel's heading (it may change with the variables it names).
    #[prop(into)]
    title: Signal<String>,
    /// Loading, error and empty states.
    status: PanelStatus,
    /// Extra classes (grid placement).
    #[prop(optional, into)]
    class: String,
    /// Shown under the title, e.g. the query's description.
    #[prop(optional, into)]
    description: String,
    /// Controls placed at the right of the header.
    #[prop(optional)]
    actions: Option<ChildrenFn>,
    children: ChildrenFn,
) -> impl IntoView {
    let id = heading_id(&title.get_untracked());
    let labelled_by = id.clone();
    let title_text = move || title.get();
    view! {
        // A group, not a region: two panels may share a title, and regions must not.
        <section
            class=format!("panel {class}")
            role="group"
            aria-labelledby=labelled_by
            aria-busy=move || status.loading.get().to_string()
            data-state=move || {
                if status.error.get().is_some() {
                    if status.has_data.get() { "stale" } else { "error" }
                } else if !status.has_data.get() {
                    "loading"
                } else if status.is_empty.get() {
                    "empty"
                } else {
                    "ready"
                }
            }
        >
            <header class="panel__header">
                {if use_context::<PanelIsPage>().is_some() {
                    view! { <h1 id=id title=description>{title_text}</h1> }.into_any()
                } else {
                    view! { <h2 id=id title=description>{title_text}</h2> }.into_any()
                }}
                {move || status.loading.get().then(|| view! { <span class="panel__spinner" role="img" aria-label="Loading"></span> })}
                {move || status.error.get().filter(|_| status.has_data.get()).map(|_| view! {
                    <span class="panel__stale" title="The latest request failed; showing the last good data">"stale"</span>
                })}
                <span class="panel__actions">{actions.as_ref().map(|a| a())}</span>
            </header>
            {move || status.error.get().map(|message| view! { <p class="panel__error" role="alert">{message}</p> })}
            {move || {
                if !status.has_data.get() {
                    if !status.loading.get() && status.error.get().is_none() {
                        view! { <p class="panel__empty">"No data"</p> }.into_any()
                    } else {
                        view! { <div class="panel__placeholder"></div> }.into_any()
                    }
                } else if status.is_empty.get() {
                    view! { <p class="panel__empty">"No data in this range"</p> }.into_any()
                } else {
                    children().into_any()
                }
            }}
        </section>
    }
}
