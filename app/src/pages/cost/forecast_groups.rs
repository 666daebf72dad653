//! The month-end forecast of every group of the current grouping, drillable like the
//! breakdown.

use super::CostNav;
use super::view::dimension_label;
use crate::fetch::Fetched;
use crate::panel::{Panel, PanelStatus};
use leptos::prelude::*;
use vantage_api::cost::{Breakdown, Forecast};
use vantage_api::unit::Unit;
use vantage_components::data_table::{Cell, Column, DataTable};

/// The table's columns for groups of `by`.
pub fn columns(by: &str) -> Vec<Column> {
    let usd = |h: &str| Column {
        header: h.to_owned(),
        unit: Some(Unit::Usd),
    };
    let mut header = dimension_label(by);
    if let Some(first) = header.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    vec![
        Column { header, unit: None },
        usd("Month to date"),
        usd("Forecast"),
        usd("Low (80 %)"),
        usd("High (80 %)"),
    ]
}

/// Month to date and forecast per group of the current grouping.
#[component]
pub fn ForecastGroups(
    forecast: Fetched<Forecast>,
    nav: CostNav,
    /// What a row drills into next (the breakdown's answer says).
    breakdown: Fetched<Breakdown>,
    /// Opens a link of the console.
    open: Callback<String>,
) -> impl IntoView {
    let status = PanelStatus::of(forecast, |f: &Forecast| f.groups.is_empty());
    let by = Memo::new(move |_| forecast.data.with(|f| f.as_ref().map(|f| f.by.clone())));
    let next = Memo::new(move |_| {
        breakdown
            .data
            .with(|b| b.as_ref().and_then(|b| b.next.clone()))
    });
    let table_columns = Signal::derive(move || columns(&by.get().unwrap_or_default()));
    let rows = Signal::derive(move || {
        forecast.data.with(|f| {
            f.as_ref()
                .map(|f| {
                    f.groups
                        .iter()
                        .map(|g| {
                            vec![
                                Cell::Text(g.value.clone()),
                                Cell::Number(g.month_to_date_usd),
                                Cell::Number(g.forecast_usd),
                                Cell::Number(g.low_usd),
                                Cell::Number(g.high_usd),
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <Panel title="Month-end forecast by group" status=status
            description="Month to date and the expected month end of each group of the current grouping">
            {move || {
                let on_row = next.get().map(|next| Callback::new(move |value: String| {
                    if let Some(url) = nav.drill_href(&value, &next) {
                        open.run(url);
                    }
                }));
                view! {
                    <DataTable columns=table_columns rows=rows label="Forecast by group" sort=(2, true) on_row=on_row/>
                }
            }}
        </Panel>
    }
}
