//! Spend in the range against the period just before it, in total and per source.

use super::view::{change_percent_text, signed_usd};
use crate::fetch::Fetched;
use crate::panel::{Panel, PanelStatus};
use leptos::prelude::*;
use std::collections::BTreeMap;
use vantage_api::cost::{Breakdown, BreakdownRow, Catalog};
use vantage_api::unit::Unit;
use vantage_components::stat_value::StatValue;

/// The class that colours a change: more spend reads as bad, less as good.
pub fn change_class(change: f64) -> &'static str {
    if change >= 0.005 {
        "numeric cost-change--up"
    } else if change <= -0.005 {
        "numeric cost-change--down"
    } else {
        "numeric"
    }
}

/// A source's title from the catalog (its id until the catalog is there).
pub fn source_title(catalog: &Option<Catalog>, id: &str) -> String {
    catalog
        .as_ref()
        .and_then(|c| c.sources.iter().find(|s| s.id == id))
        .map_or_else(|| id.to_owned(), |s| s.title.clone())
}

fn amounts(row: &BreakdownRow) -> impl IntoView + use<> {
    let change = row.change_usd();
    view! {
        <td class="numeric">{Unit::Usd.format(row.usd)}</td>
        <td class="numeric">{Unit::Usd.format(row.previous_usd)}</td>
        <td class=change_class(change)>{signed_usd(change)}</td>
        <td class=change_class(change)>{change_percent_text(row)}</td>
    }
}

/// Total spend, the change against the period before, and the same per source.
#[component]
pub fn SpendSection(
    /// The breakdown of the current view (its totals and per-source rows).
    breakdown: Fetched<Breakdown>,
    /// Source titles.
    catalog: Fetched<Catalog>,
) -> impl IntoView {
    let status = PanelStatus::of(breakdown, |b: &Breakdown| {
        b.sources.is_empty() && b.total_usd == 0.0 && b.previous_total_usd == 0.0
    });
    view! {
        <Panel title="Spend" status=status
            description="Spend in the selected range against the same length of time just before it">
            {move || breakdown.data.get().map(|b| {
                let total = BreakdownRow {
                    value: "Total".to_owned(),
                    usd: b.total_usd,
                    previous_usd: b.previous_total_usd,
                    by_source: BTreeMap::new(),
                };
                let change = total.change_usd();
                let sources = catalog.data.with(|c| {
                    b.sources
                        .iter()
                        .map(|row| view! {
                            <tr><th scope="row">{source_title(c, &row.value)}</th>{amounts(row)}</tr>
                        })
                        .collect_view()
                });
                view! {
                    <div class="cost-spend__total">
                        <StatValue value=Signal::stored(Some(b.total_usd)) unit=Unit::Usd/>
                        <p class="cost-spend__change">
                            <span class=change_class(change)>{signed_usd(change)}" ("{change_percent_text(&total)}")"</span>
                            " against "{Unit::Usd.format(b.previous_total_usd)}" the period before"
                        </p>
                    </div>
                    <table class="simple-table cost-table" aria-label="Spend by source">
                        <thead>
                            <tr>
                                <th scope="col">"Source"</th>
                                <th scope="col" class="numeric">"Spend"</th>
                                <th scope="col" class="numeric">"Before"</th>
                                <th scope="col" class="numeric">"Change"</th>
                                <th scope="col" class="numeric">"%"</th>
                            </tr>
                        </thead>
                        <tbody>{sources}</tbody>
                        <tfoot><tr><th scope="row">"Total"</th>{amounts(&total)}</tr></tfoot>
                    </table>
                }
            })}
        </Panel>
    }
}
