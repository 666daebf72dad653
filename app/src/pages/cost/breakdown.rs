//! Spend of the current view grouped by one dimension: the largest groups as bars and
//! every group in a sortable table; a bar, or a row (click or Enter), drills into it.

use super::CostNav;
use super::view::{UNALLOCATED, dimension_label};
use crate::fetch::Fetched;
use crate::panel::{Panel, PanelStatus};
use leptos::prelude::*;
use vantage_api::cost::Breakdown;
use vantage_api::unit::Unit;
use vantage_components::bar_list::BarList;
use vantage_components::data_table::{Cell, Column, DataTable};

/// How many groups the bars show; the table has them all.
const BARS: usize = 12;

/// The table's columns for groups of `by`.
pub fn columns(by: &str) -> Vec<Column> {
    let text = |h: &str| Column {
        header: h.to_owned(),
        unit: None,
    };
    let usd = |h: &str| Column {
        header: h.to_owned(),
        unit: Some(Unit::Usd),
    };
    let mut header = dimension_label(by);
    if let Some(first) = header.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    vec![
        text(&header),
        usd("Spend"),
        usd("Previous period"),
        usd("Change"),
        Column {
            header: "Change %".to_owned(),
            unit: Some(Unit::Percent),
        },
    ]
}

/// One table row per group: spend, before, change and change in percent (text when
/// there was nothing before).
pub fn rows(breakdown: &Breakdown) -> Vec<Vec<Cell>> {
    breakdown
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.value.clone()),
                Cell::Number(r.usd),
                Cell::Number(r.previous_usd),
                Cell::Number(r.change_usd()),
                match r.change_percent() {
                    Some(p) => Cell::Number(p),
                    None if r.usd > 0.0 => Cell::Text("new".to_owned()),
                    None => Cell::Text("–".to_owned()),
                },
            ]
        })
        .collect()
}

/// Spend by the current grouping, drillable.
#[component]
pub fn BreakdownSection(
    breakdown: Fetched<Breakdown>,
    nav: CostNav,
    /// Opens a link of the console.
    open: Callback<String>,
) -> impl IntoView {
    let status = PanelStatus::of(breakdown, |b: &Breakdown| b.rows.is_empty());
    let next = Memo::new(move |_| {
        breakdown
            .data
            .with(|b| b.as_ref().and_then(|b| b.next.clone()))
    });
    let by = Memo::new(move |_| breakdown.data.with(|b| b.as_ref().map(|b| b.by.clone())));
    let bars = Signal::derive(move || {
        breakdown.data.with(|b| {
            b.as_ref()
                .map(|b| b.rows.iter().map(|r| (r.value.clone(), r.usd)).collect())
                .unwrap_or_default()
        })
    });
    let table_rows = Signal::derive(move || {
        breakdown
            .data
            .with(|b| b.as_ref().map(rows).unwrap_or_default())
    });
    let table_columns = Signal::derive(move || columns(&by.get().unwrap_or_default()));
    let note = move || {
        let by = by.get().map(|b| dimension_label(&b)).unwrap_or_default();
        let sources = breakdown
            .data
            .with(|b| b.as_ref().map_or(0, |b| b.sources.len()));
        let drill = match next.get() {
            Some(next) => format!("; a bar or row drills into its {}", dimension_label(&next)),
            None => String::new(),
        };
        let sources = if sources == 1 {
            "1 source".to_owned()
        } else {
            format!("{sources} sources")
        };
        format!(
            "By {by}, across {sources}; {UNALLOCATED} is spend its source cannot attribute{drill}"
        )
    };
    view! {
        <Panel title="Breakdown" status=status description="Spend of the current view by one dimension">
            <p class="panel__note">{note}</p>
            {move || {
                let next = next.get();
                let href = next.clone().map(|next| Callback::new(move |value: String| {
                    nav.drill_href(&value, &next).unwrap_or_default()
                }));
                let on_row = next.map(|next| Callback::new(move |value: String| {
                    if let Some(url) = nav.drill_href(&value, &next) {
                        open.run(url);
                    }
                }));
                view! {
                    <BarList items=bars unit=Unit::Usd label="Largest groups" limit=BARS href=href/>
                    <DataTable columns=table_columns rows=table_rows label="Spend by group" sort=(1, true) on_row=on_row/>
                }
            }}
        </Panel>
    }
}
