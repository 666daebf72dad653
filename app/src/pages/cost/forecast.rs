//! This calendar month: spend so far and where it is heading, as a running total with
//! the forecast's 80 % band, and the budget covering the view as its limit.

use super::view::{budget_in_view, projection};
use crate::fetch::Fetched;
use crate::panel::{Panel, PanelStatus};
use leptos::prelude::*;
use vantage_api::cost::{BudgetStatus, Forecast};
use vantage_api::unit::Unit;
use vantage_components::forecast_chart::ForecastChart;

/// Month to date, the month-end forecast and its band, with the chart.
#[component]
pub fn ForecastSection(
    forecast: Fetched<Forecast>,
    /// For the budget that covers the view, if any.
    budgets: Fetched<Vec<BudgetStatus>>,
    /// The drill-down filters in view.
    filters: Memo<Vec<(String, String)>>,
    /// Show times in UTC.
    utc: Signal<bool>,
) -> impl IntoView {
    let status = PanelStatus::of(forecast, |f: &Forecast| f.days.is_empty());
    let budget = Memo::new(move |_| {
        budgets.data.with(|b| {
            b.as_ref().and_then(|b| {
                budget_in_view(b, &filters.get()).map(|b| (b.name.clone(), b.monthly_usd))
            })
        })
    });
    let data = Signal::derive(move || {
        forecast.data.with(|f| {
            f.as_ref()
                .map(|f| projection(f, budget.get().map(|b| b.1)))
                .unwrap_or_default()
        })
    });
    let range = Signal::derive(move || {
        forecast.data.with(|f| {
            f.as_ref()
                .map_or((0.0, 1.0), |f| (f.month_start, f.month_end))
        })
    });
    let usd = |v: f64| Unit::Usd.format(v);
    view! {
        <Panel title="Month to date and forecast" status=status
            description="Spend this calendar month and the expected month end, from the trailing days' weekday and weekend spend and the hour-of-day rhythm">
            {move || forecast.data.get().map(|f| view! {
                <dl class="cost-facts">
                    <div><dt>"Month to date"</dt><dd>{usd(f.total.month_to_date_usd)}</dd></div>
                    <div><dt>"Forecast"</dt><dd>{usd(f.total.forecast_usd)}</dd></div>
                    <div><dt>"80 % range"</dt><dd>{format!("{} – {}", usd(f.total.low_usd), usd(f.total.high_usd))}</dd></div>
                    {budget.get().map(|(name, monthly)| view! {
                        <div><dt>{format!("Budget {name}")}</dt><dd>{usd(monthly)}</dd></div>
                    })}
                    <div><dt>"From"</dt><dd>{format!("{} trailing days", f.trailing_days)}</dd></div>
                </dl>
            })}
            <ForecastChart data=data range=range label="Cumulative spend this month" unit=Unit::Usd
                band_label="80 % band" limit_label="Budget" utc=utc/>
        </Panel>
    }
}
