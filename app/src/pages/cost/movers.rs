//! Who grew or shrank most against the period before.

use super::CostNav;
use super::spend::change_class;
use super::view::{change_percent_text, movers, signed_usd};
use crate::fetch::Fetched;
use crate::panel::{Panel, PanelStatus};
use leptos::prelude::*;
use vantage_api::cost::{Breakdown, BreakdownRow};

/// How many movers each list shows.
const MOVERS: usize = 5;

fn list(
    rows: Vec<BreakdownRow>,
    next: Option<String>,
    nav: CostNav,
    label: &'static str,
) -> impl IntoView + use<> {
    if rows.is_empty() {
        return view! { <p class="panel__note">"None"</p> }.into_any();
    }
    let items =
        rows.into_iter()
            .map(|row| {
                let change = row.change_usd();
                let href = next
                    .as_ref()
                    .and_then(|next| nav.drill_href(&row.value, next));
                let name = match href {
                    Some(href) => {
                        view! { <a href=href title=row.value.clone()>{row.value.clone()}</a> }
                            .into_any()
                    }
                    None => view! { <span title=row.value.clone()>{row.value.clone()}</span> }
                        .into_any(),
                };
                view! {
                    <li class="cost-movers__row">
                        <span class="cost-movers__name">{name}</span>
                        <span class=change_class(change)>{signed_usd(change)}</span>
                        <span class=change_class(change)>{change_percent_text(&row)}</span>
                    </li>
                }
            })
            .collect_view();
    view! { <ol class="cost-movers" aria-label=label>{items}</ol> }.into_any()
}

/// The groups of the current grouping that grew and shrank most.
#[component]
pub fn TopMovers(breakdown: Fetched<Breakdown>, nav: CostNav) -> impl IntoView {
    let status = PanelStatus::of(breakdown, |b: &Breakdown| b.rows.is_empty());
    view! {
        <Panel title="Top movers" status=status
            description="The groups whose spend changed most against the period before">
            {move || breakdown.data.get().map(|b| {
                let (grew, shrank) = movers(&b.rows, MOVERS);
                view! {
                    <h3 class="cost-subhead">"Grew most"</h3>
                    {list(grew, b.next.clone(), nav, "Grew most")}
                    <h3 class="cost-subhead">"Shrank most"</h3>
                    {list(shrank, b.next.clone(), nav, "Shrank most")}
                }
            })}
        </Panel>
    }
}
