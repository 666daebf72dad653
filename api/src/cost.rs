//! Cost intelligence on the wire (`/api/cost/*`): where the money goes across every
//! configured source, against the previous period, month to date and forecast, budgets,
//! reports for finance, and the cost of one unit of work. Amounts are US dollars.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The dimensions spend can be grouped by, in drill-down order. `source` and `team`
/// are the console's own (a source is a configured counter, a team a configured group
/// of repositories or users); the others are labels of the counters.
pub const DIMENSIONS: [&str; 7] = [
    "source",
    "team",
    "repository",
    "user",
    "provider",
    "model",
    "cost_type",
];

/// One counter of spend in USD and the labels it is broken down by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub id: String,
    pub title: String,
    pub metric: String,
    /// Labels of `metric` that are dimensions (see [`DIMENSIONS`]).
    pub labels: Vec<String>,
}

/// A named group of repositories and users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamInfo {
    pub name: String,
    #[serde(default)]
    pub repositories: Vec<String>,
    #[serde(default)]
    pub users: Vec<String>,
}

/// `GET /api/cost/sources`: what the cost page can show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub sources: Vec<SourceInfo>,
    pub teams: Vec<TeamInfo>,
    /// IANA name of the time zone calendar months are counted in.
    pub timezone: String,
}

/// Spend of one group in the range and in the period before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreakdownRow {
    /// The group's value (a repository, a model...), or the source's title.
    pub value: String,
    pub usd: f64,
    pub previous_usd: f64,
    /// The same amounts per source id, for rows fed by several sources.
    #[serde(default)]
    pub by_source: BTreeMap<String, f64>,
}

impl BreakdownRow {
    /// Change against the previous period in USD.
    pub fn change_usd(&self) -> f64 {
        self.usd - self.previous_usd
    }

    /// Change against the previous period in percent; `None` when there was nothing
    /// to compare with.
    pub fn change_percent(&self) -> Option<f64> {
        (self.previous_usd > 0.0).then(|| 100.0 * self.change_usd() / self.previous_usd)
    }
}

/// `GET /api/cost/breakdown`: spend grouped by one dimension under drill-down filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// Unix seconds of the range and of the period before it (as long, ending at `from`).
    pub from: f64,
    pub to: f64,
    pub previous_from: f64,
    pub by: String,
    /// `(dimension, value)` pairs already drilled into, in order.
    pub filters: Vec<(String, String)>,
    /// Largest first.
    pub rows: Vec<BreakdownRow>,
    /// Every source under the filters, largest first.
    pub sources: Vec<BreakdownRow>,
    pub total_usd: f64,
    pub previous_total_usd: f64,
    /// Dimensions that can be grouped by under these filters, in drill-down order.
    pub available: Vec<String>,
    /// What a click on a row drills into next, if anything.
    pub next: Option<String>,
}

/// Spend per calendar day of the month, actual or expected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayForecast {
    /// Unix seconds of the day's start in the cost time zone.
    pub start: f64,
    /// Spent so far (actual days and the actual part of today).
    pub usd: f64,
    /// Expected spend still to come that day, and its uncertainty band.
    pub expected_usd: f64,
    pub low_usd: f64,
    pub high_usd: f64,
}

/// Month to date and the expected month end of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupForecast {
    pub value: String,
    pub month_to_date_usd: f64,
    pub forecast_usd: f64,
    pub low_usd: f64,
    pub high_usd: f64,
}

/// `GET /api/cost/forecast`: the calendar month so far and where it is heading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub month_start: f64,
    pub month_end: f64,
    pub now: f64,
    pub by: String,
    pub filters: Vec<(String, String)>,
    pub total: GroupForecast,
    /// One entry per day of the month.
    pub days: Vec<DayForecast>,
    /// Per group of `by`, largest forecast first.
    pub groups: Vec<GroupForecast>,
    /// Days of history the expectation comes from.
    pub trailing_days: u32,
}

/// Where a budget stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetState {
    Ok,
    /// Month-to-date spend passed the warning share.
    Warning,
    /// Still under, but the forecast ends the month over the budget.
    OverForecast,
    /// Month-to-date spend passed the critical share.
    OverBudget,
}

/// `GET /api/cost/budgets`: one entry per configured budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetStatus {
    pub name: String,
    /// What it covers, in words (`all spend`, `team platform`, `orchestrator {repository="acme/api"}`).
    pub covers: String,
    pub monthly_usd: f64,
    pub month_to_date_usd: f64,
    pub forecast_usd: f64,
    /// Month to date as a share of the budget, percent.
    pub used_percent: f64,
    /// Month to date against the straight line from 0 to the budget (1 = on track).
    pub burn_rate: f64,
    pub warning_percent: f64,
    pub critical_percent: f64,
    pub state: BudgetState,
}

/// One row of a report: the group's label values and its spend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    #[serde(flatten)]
    pub labels: BTreeMap<String, String>,
    pub usd: f64,
}

/// `GET /api/cost/report?format=json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub from: f64,
    pub to: f64,
    pub by: Vec<String>,
    /// Drill-down filters the report is under, `(dimension, value)` in order; left out
    /// when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<(String, String)>,
    pub rows: Vec<ReportRow>,
    pub total_usd: f64,
}

/// Cost of one unit of work over a range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitCost {
    /// `orchestrator`, `autobot`...
    pub source: String,
    /// `agent execution`, `1K tokens`...
    pub unit: String,
    /// The group (a model) when the cost is per group.
    pub group: Option<String>,
    pub usd: f64,
    pub units: f64,
    /// `None` when no unit of work was done.
    pub usd_per_unit: Option<f64>,
}

/// `GET /api/cost/units`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitCosts {
    pub from: f64,
    pub to: f64,
    pub units: Vec<UnitCost>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_rows_flatten_their_labels() {
        let row = ReportRow {
            labels: BTreeMap::from([("team".to_owned(), "platform".to_owned())]),
            usd: 12.5,
        };
        assert_eq!(
            serde_json::to_string(&row).expect("serializes"),
            r#"{"team":"platform","usd":12.5}"#
        );
    }

    #[test]
    fn change_against_nothing_has_no_percentage() {
        let mut row = BreakdownRow {
            value: "a".into(),
            usd: 3.0,
            previous_usd: 0.0,
            by_source: BTreeMap::new(),
        };
        assert_eq!(row.change_percent(), None);
        row.previous_usd = 2.0;
        assert_eq!(row.change_percent(), Some(50.0));
        assert_eq!(row.change_usd(), 1.0);
    }
}
