//! `/cost`: where the money goes across every source of spend. The range, the grouping
//! (`by`) and the drill-down filters (`team=payments&repository=...`, in order) live in
//! the URL, so a link reproduces the view and back and forward walk through drills.
//! Each section fetches and fails on its own.

mod breakdown;
mod budgets;
mod forecast;
mod forecast_groups;
mod movers;
mod spend;
mod units;
pub mod view;

use self::breakdown::BreakdownSection;
use self::budgets::BudgetsSection;
use self::forecast::ForecastSection;
use self::forecast_groups::ForecastGroups;
use self::movers::TopMovers;
use self::spend::SpendSection;
use self::units::UnitCostsSection;
use self::view::{Changes, CostView, crumbs, default_by, dimension_label, drill_changes};
use super::time_context::use_page_time;
use crate::api_client::{
    cost_breakdown, cost_budgets, cost_forecast, cost_report_href, cost_sources, cost_units,
};
use crate::fetch::use_fetch;
use crate::url_state::{apply_changes, form_pairs, now_ms, use_set_params, with_query};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use vantage_components::time_range_picker::TimeRangePicker;

/// What the sections need to link to other views: the grouping in effect and the
/// link of the current view with changes.
#[derive(Clone, Copy)]
pub struct CostNav {
    /// The grouping in effect (the URL's, else the default), once known.
    pub by: Memo<Option<String>>,
    /// The link to the current view with `changes` applied.
    pub href: Callback<Changes, String>,
}

impl CostNav {
    /// The link that drills into `value` of the current grouping, grouping next by
    /// `next` (what the API says comes next).
    pub fn drill_href(&self, value: &str, next: &str) -> Option<String> {
        let by = self.by.get_untracked()?;
        Some(self.href.run(drill_changes(&by, value, next)))
    }
}

/// `/cost`.
#[component]
pub fn CostPage() -> impl IntoView {
    let time = use_page_time("now-7d");
    let location = use_location();
    let search = Memo::new(move |_| form_pairs(location.search.get().trim_start_matches('?')));
    let view = Memo::new(move |_| search.with(|pairs| CostView::from_pairs(pairs)));
    let filters = Memo::new(move |_| view.with(|v| v.filters.clone()));
    let catalog = use_fetch(|| Some(()), |(), s| async move { cost_sources(&s).await });
    // The URL's grouping, else the catalog's default; plain `source` if the catalog
    // cannot be had, so that the page still shows spend.
    let by = Memo::new(move |_| {
        if let Some(by) = view.with(|v| v.valid_by().map(str::to_owned)) {
            return Some(by);
        }
        if let Some(default) = catalog
            .data
            .with(|c| c.as_ref().map(|c| default_by(c, &filters.get())))
        {
            return Some(default);
        }
        catalog
            .error
            .with(Option::is_some)
            .then(|| "source".to_owned())
    });
    let by_problem = Memo::new(move |_| by.get().and_then(|by| view.with(|v| v.by_problem(&by))));
    let seconds = Memo::new(move |_| {
        let (from, to) = time.range_ms.get();
        (from as f64 / 1000.0, to as f64 / 1000.0)
    });

    let breakdown = use_fetch(
        move || Some((seconds.get(), by.get()?, filters.get())),
        |(range, by, filters), s| async move { cost_breakdown(range, &by, &filters, &s).await },
    );
    let forecast = use_fetch(
        move || Some((by.get()?, filters.get())),
        |(by, filters), s| async move { cost_forecast(&by, &filters, &s).await },
    );
    let units = use_fetch(
        move || Some(seconds.get()),
        |range, s| async move { cost_units(range, &s).await },
    );
    let budgets = use_fetch(|| Some(()), |(), s| async move { cost_budgets(&s).await });
    // Without `by` in the URL the grouping waits for the catalog; until then the sections
    // that need it are loading, not empty (their first request clears this).
    if by.get_untracked().is_none() {
        breakdown.loading.set(true);
        forecast.loading.set(true);
    }

    let set_params = use_set_params();
    let navigate = use_navigate();
    let href = Callback::new(move |changes: Changes| {
        let pairs = apply_changes(search.get_untracked(), changes);
        with_query("/cost", &pairs)
    });
    let go = Callback::new(move |changes: Changes| set_params(changes, false));
    let nav = CostNav { by, href };
    let open = Callback::new(move |url: String| navigate(&url, NavigateOptions::default()));

    let report_href = move || {
        by.get()
            .map(|by| cost_report_href(seconds.get(), &by, &filters.get()))
    };
    let group_options = move || {
        let current = by.get().unwrap_or_default();
        let mut options: Vec<String> = breakdown
            .data
            .with(|b| b.as_ref().map(|b| b.available.clone()))
            .unwrap_or_default();
        if !current.is_empty() && !options.contains(&current) {
            options.insert(0, current.clone());
        }
        options
            .into_iter()
            .map(|d| {
                let selected = d == current;
                view! { <option value=d.clone() selected=selected>{dimension_label(&d)}</option> }
            })
            .collect_view()
    };

    view! {
        <main class="page cost-page">
            <div class="page__header">
                <h1>"Cost"</h1>
                <TimeRangePicker range=Signal::derive(move || time.range.get()) utc=time.utc
                    on_range=time.on_range on_utc=time.on_utc now_ms=now_ms/>
            </div>
            {move || time.problem.get().map(|p| view! { <p class="banner banner--warning" role="alert">{p}</p> })}
            {move || by_problem.get().map(|p| view! { <p class="banner banner--warning" role="alert">{p}</p> })}
            <div class="cost-toolbar">
                <nav class="cost-crumbs" aria-label="Drill-down">
                    <ol>
                        {move || crumbs(&filters.get()).into_iter().map(|crumb| match crumb.changes {
                            Some(changes) => view! {
                                <li><a href=href.run(changes)>{crumb.label}</a></li>
                            }.into_any(),
                            None => view! {
                                <li><span aria-current="page">{crumb.label}</span></li>
                            }.into_any(),
                        }).collect_view()}
                    </ol>
                </nav>
                <label class="cost-toolbar__group">
                    "Group by "
                    <select on:change=move |ev| {
                        let value = event_target_value(&ev);
                        go.run(vec![("by".to_owned(), vec![value])]);
                    }>
                        {group_options}
                    </select>
                </label>
                {move || report_href().map(|href| view! {
                    <a class="button" href=href download="">"Download CSV"</a>
                })}
            </div>
            <div class="grid grid--flush cost-grid">
                <div class="span-4"><SpendSection breakdown=breakdown catalog=catalog/></div>
                <div class="span-8">
                    <ForecastSection forecast=forecast budgets=budgets filters=filters utc=time.utc/>
                </div>
                <div class="span-8"><BreakdownSection breakdown=breakdown nav=nav open=open/></div>
                <div class="span-4"><TopMovers breakdown=breakdown nav=nav/></div>
                <div class="span-6"><ForecastGroups forecast=forecast nav=nav breakdown=breakdown open=open/></div>
                <div class="span-6"><BudgetsSection budgets=budgets/></div>
                <div class="span-12"><UnitCostsSection units=units catalog=catalog/></div>
            </div>
        </main>
    }
}
