//! Every configured budget this month: spent so far, forecast, the share used as a
//! bar, the burn rate and the state.

use super::view::budget_badge;
use crate::fetch::Fetched;
use crate::panel::{Panel, PanelStatus};
use leptos::prelude::*;
use vantage_api::cost::BudgetStatus;
use vantage_api::unit::Unit;

/// Where each budget stands.
#[component]
pub fn BudgetsSection(budgets: Fetched<Vec<BudgetStatus>>) -> impl IntoView {
    let status = PanelStatus::of(budgets, |b: &Vec<BudgetStatus>| b.is_empty());
    let usd = |v: f64| Unit::Usd.format(v);
    view! {
        <Panel title="Budgets" status=status
            description="Monthly budgets from the proxy's [cost] configuration: month to date, forecast and state">
            <table class="simple-table cost-table" aria-label="Budgets">
                <thead>
                    <tr>
                        <th scope="col">"Budget"</th>
                        <th scope="col" class="numeric">"Monthly"</th>
                        <th scope="col" class="numeric">"Month to date"</th>
                        <th scope="col" class="numeric">"Forecast"</th>
                        <th scope="col">"Used"</th>
                        <th scope="col" class="numeric">"Burn rate"</th>
                        <th scope="col">"State"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || budgets.data.get().unwrap_or_default().into_iter().map(|b| {
                        let (state, class) = budget_badge(b.state);
                        let width = b.used_percent.clamp(0.0, 100.0);
                        let level = class.trim_start_matches("badge badge--").to_owned();
                        view! {
                            <tr>
                                <th scope="row">{b.name.clone()}<span class="cost-budget__covers">{b.covers.clone()}</span></th>
                                <td class="numeric">{usd(b.monthly_usd)}</td>
                                <td class="numeric">{usd(b.month_to_date_usd)}</td>
                                <td class="numeric">{usd(b.forecast_usd)}</td>
                                <td>
                                    <span class="cost-budget__meter" role="meter" aria-label=format!("{} used", b.name)
                                        aria-valuemin="0" aria-valuemax="100" aria-valuenow=format!("{:.0}", b.used_percent)>
                                        <span class=format!("cost-budget__fill cost-budget__fill--{level}") style=format!("width:{width:.1}%")></span>
                                    </span>
                                    <span class="cost-budget__percent">{format!("{:.0} %", b.used_percent)}</span>
                                </td>
                                <td class="numeric" title="Month to date against a straight line from nothing to the whole budget at the month's end">
                                    {format!("{:.2}×", b.burn_rate)}
                                </td>
                                <td><span class=class>{state}</span></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </Panel>
    }
}
