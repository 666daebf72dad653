//! What one unit of work cost over the range: per agent execution, workflow execution,
//! task, and per thousand tokens of each model.

use super::spend::source_title;
use crate::fetch::Fetched;
use crate::panel::{Panel, PanelStatus};
use leptos::prelude::*;
use vantage_api::cost::{Catalog, UnitCosts};
use vantage_api::unit::Unit;
use vantage_components::data_table::{Cell, Column, DataTable};

fn columns() -> Vec<Column> {
    let column = |header: &str, unit: Option<Unit>| Column {
        header: header.to_owned(),
        unit,
    };
    vec![
        column("Source", None),
        column("Unit of work", None),
        column("Model", None),
        column("Spend", Some(Unit::Usd)),
        column("Units", Some(Unit::Short)),
        column("USD per unit", Some(Unit::Usd)),
    ]
}

/// Cost per unit of work, per source and model.
#[component]
pub fn UnitCostsSection(units: Fetched<UnitCosts>, catalog: Fetched<Catalog>) -> impl IntoView {
    let status = PanelStatus::of(units, |u: &UnitCosts| u.units.is_empty());
    let rows = Signal::derive(move || {
        let catalog = catalog.data.get();
        units.data.with(|u| {
            u.as_ref()
                .map(|u| {
                    u.units
                        .iter()
                        .map(|c| {
                            vec![
                                Cell::Text(source_title(&catalog, &c.source)),
                                Cell::Text(c.unit.clone()),
                                Cell::Text(c.group.clone().unwrap_or_else(|| "all".to_owned())),
                                Cell::Number(c.usd),
                                Cell::Number(c.units),
                                c.usd_per_unit
                                    .map_or_else(|| Cell::Text("no work".to_owned()), Cell::Number),
                            ]
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <Panel title="Cost per unit of work" status=status
            description="Spend in the range divided by the work done: agent executions, workflow executions, tasks, thousands of tokens">
            <DataTable columns=Signal::stored(columns()) rows=rows label="Cost per unit of work"/>
        </Panel>
    }
}
