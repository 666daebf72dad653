//! The frame around every panel: title, and the loading, empty, error and stale states,
//! so that one failing panel never blanks the page.

use leptos::prelude::*;

/// How a panel's data stands.
#[derive(Clone, Copy)]
pub struct PanelStatus {
    pub loading: Signal<bool>,
    pub error: Signal<Option<String>>,
    pub has_data: Signal<bool>,
    pub is_empty: Signal<bool>,
}

/// A titled panel around `children`, which it shows once there is data.
#[component]
pub fn Panel(
    /// The panel's heading.
    #[prop(into)]
    title: String,
    /// Loading, error and empty states.
    status: PanelStatus,
    /// Extra class for the grid placement.
    #[prop(optional, into)]
    class: String,
    children: ChildrenFn,
) -> impl IntoView {
    let heading_id = format!(
        "panel-{}",
        title
            .to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), "-")
    );
    let labelled_by = heading_id.clone();
    view! {
        <section class=format!("panel {class}") aria-labelledby=labelled_by aria-busy=move || status.loading.get().to_string()>
            <header class="panel__header">
                <h2 id=heading_id>{title}</h2>
                {move || status.loading.get().then(|| view! { <span class="panel__spinner" aria-label="Loading"></span> })}
                {move || status.error.get().filter(|_| status.has_data.get()).map(|_| view! {
                    <span class="panel__stale" title="Showing the last good data">"stale"</span>
                })}
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

impl PanelStatus {
    /// The status of a query's results.
    pub fn of(
        fetched: crate::fetch::Fetched<std::sync::Arc<Vec<vantage_api::matrix::Series>>>,
    ) -> PanelStatus {
        PanelStatus {
            loading: fetched.loading.into(),
            error: fetched.error.into(),
            has_data: Signal::derive(move || fetched.data.with(Option::is_some)),
            is_empty: Signal::derive(move || {
                fetched
                    .data
                    .with(|d| d.as_ref().is_some_and(|d| d.is_empty()))
            }),
        }
    }
}
