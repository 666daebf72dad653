//! The dashboards, grouped by the system they watch, each saying where it came from
//! (built in, a file of dashboards_dir, a converted Grafana file). `?tag=` (repeatable)
//! lists the dashboards that carry all those tags, as dashboard links ask.

use crate::api_client::dashboards;
use crate::fetch::use_fetch;
use crate::url_state::{current_search, form_pairs};
use leptos::prelude::*;
use std::collections::BTreeMap;
use vantage_api::dashboard::DashboardSummary;

/// `/`: every dashboard the proxy serves.
#[component]
pub fn DashboardList() -> impl IntoView {
    let list = use_fetch(
        || Some(()),
        |(), signal| async move { dashboards(&signal).await },
    );
    let filter = RwSignal::new(String::new());
    let tags: Vec<String> = form_pairs(&current_search())
        .into_iter()
        .filter(|(k, _)| k == "tag")
        .map(|(_, v)| v)
        .collect();
    let wanted = tags.clone();
    let groups = move || {
        let needle = filter.get().to_lowercase();
        let mut groups: BTreeMap<String, Vec<DashboardSummary>> = BTreeMap::new();
        for d in list.data.get().unwrap_or_default() {
            let haystack = format!(
                "{} {} {} {}",
                d.title,
                d.description,
                d.system,
                d.tags.join(" ")
            )
            .to_lowercase();
            let tagged = wanted.iter().all(|t| d.tags.contains(t));
            if tagged && (needle.is_empty() || haystack.contains(&needle)) {
                let system = if d.system.is_empty() {
                    "Other".to_owned()
                } else {
                    d.system.clone()
                };
                groups.entry(system).or_default().push(d);
            }
        }
        groups
    };
    view! {
        <main class="page">
            <div class="page__header">
                <h1>"Dashboards"</h1>
                <input type="search" placeholder="Search dashboards" aria-label="Search dashboards"
                    prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/>
            </div>
            {(!tags.is_empty()).then(|| view! {
                <p class="dashboard-list__tags">{format!("Tagged {}", tags.join(", "))}" · "<a href="/">"all dashboards"</a></p>
            })}
            {move || list.error.get().map(|e| view! { <p class="panel__error" role="alert">{e.to_string()}</p> })}
            {move || groups().into_iter().map(|(system, items)| view! {
                <section class="dashboard-group" aria-label=system.clone()>
                    <h2>{system.clone()}</h2>
                    <ul class="dashboard-cards">
                        {items.into_iter().map(|d| view! {
                            <li class="dashboard-card">
                                <a href=format!("/d/{}", d.id)>{d.title.clone()}</a>
                                <p>{d.description.clone()}</p>
                                <span class="dashboard-card__meta">{format!("{} panels", d.panels)}
                                    <span class="dashboard-card__origin" title="Where this dashboard comes from">{d.origin.describe()}</span>
                                    {d.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }).collect_view()}
        </main>
    }
}
