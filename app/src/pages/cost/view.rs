//! The cost page's view as the URL holds it (`by` and the drill-down filters, in
//! order), how drilling and the breadcrumbs change it, and the arithmetic the sections
//! show (movers, the month's running total, signed amounts). No browser APIs here, so
//! it is tested natively.

use vantage_api::cost::{BreakdownRow, BudgetStatus, Catalog, DIMENSIONS, Forecast};
use vantage_api::unit::Unit;
use vantage_components::forecast_chart::Projection;

/// URL changes as `use_set_params` takes them: a key and its new values (none removes it).
pub type Changes = Vec<(String, Vec<String>)>;

/// Which spend the page shows: grouped by `by`, under drill-down filters in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CostView {
    /// `by` as written in the URL (checked by [`CostView::valid_by`]).
    pub by: Option<String>,
    /// Every parameter named after a dimension, first value of each, in URL order.
    pub filters: Vec<(String, String)>,
}

impl CostView {
    /// Reads the view from the URL's `(key, value)` pairs in order.
    pub fn from_pairs(pairs: &[(String, String)]) -> CostView {
        let mut view = CostView::default();
        for (key, value) in pairs {
            if key == "by" {
                view.by = Some(value.clone());
            } else if DIMENSIONS.contains(&key.as_str())
                && !view.filters.iter().any(|(d, _)| d == key)
            {
                view.filters.push((key.clone(), value.clone()));
            }
        }
        view
    }

    /// `by` when it names a dimension not already filtered on.
    pub fn valid_by(&self) -> Option<&str> {
        self.by
            .as_deref()
            .filter(|by| DIMENSIONS.contains(by) && !self.filters.iter().any(|(d, _)| d == by))
    }

    /// Why the URL's `by` is not used, when it is not.
    pub fn by_problem(&self, instead: &str) -> Option<String> {
        let by = self.by.as_deref()?;
        if self.valid_by().is_some() {
            return None;
        }
        let why = if DIMENSIONS.contains(&by) {
            "is already filtered on"
        } else {
            "is not a dimension spend can be grouped by"
        };
        Some(format!(
            "by={by:?} {why} (one of {}); grouping by {instead}",
            DIMENSIONS.join(", ")
        ))
    }
}

/// A dimension's name for people: `cost_type` is "cost type".
pub fn dimension_label(dimension: &str) -> String {
    dimension.replace('_', " ")
}

/// What to group by when the URL does not say: the first of team, repository, user,
/// provider, model and cost type that some source in scope can split by (the drill-down
/// order of the page), else source.
pub fn default_by(catalog: &Catalog, filters: &[(String, String)]) -> String {
    let filtered = |d: &str| filters.iter().any(|(f, _)| f == d);
    let in_scope: Vec<&vantage_api::cost::SourceInfo> = catalog
        .sources
        .iter()
        .filter(|s| {
            filters.iter().all(|(d, v)| match d.as_str() {
                "source" => *v == s.id,
                "team" => {
                    v == UNALLOCATED || s.labels.iter().any(|l| l == "repository" || l == "user")
                }
                label => s.labels.iter().any(|l| l == label) || v == UNALLOCATED,
            })
        })
        .collect();
    let has = |label: &str| in_scope.iter().any(|s| s.labels.iter().any(|l| l == label));
    [
        "team",
        "repository",
        "user",
        "provider",
        "model",
        "cost_type",
    ]
    .into_iter()
    .find(|d| {
        !filtered(d)
            && match *d {
                "team" => !catalog.teams.is_empty() && (has("repository") || has("user")),
                label => has(label),
            }
    })
    .unwrap_or("source")
    .to_owned()
}

/// The value of spend a source cannot attribute (as the API names it).
pub const UNALLOCATED: &str = "(unallocated)";

/// Drilling into `value` of `by`: filter on it and group by `next`.
pub fn drill_changes(by: &str, value: &str, next: &str) -> Changes {
    vec![
        (by.to_owned(), vec![value.to_owned()]),
        ("by".to_owned(), vec![next.to_owned()]),
    ]
}

/// One step of the breadcrumbs: its label and how to go back to it (`None` for the
/// view shown now).
#[derive(Debug, Clone, PartialEq)]
pub struct Crumb {
    pub label: String,
    pub changes: Option<Changes>,
}

/// "All spend", then one crumb per filter; going back to a crumb drops the filters
/// after it and groups by the dimension that was drilled into from there.
pub fn crumbs(filters: &[(String, String)]) -> Vec<Crumb> {
    let back_to = |level: usize| -> Option<Changes> {
        let (dimension, _) = filters.get(level)?;
        let mut changes: Changes = filters[level..]
            .iter()
            .map(|(d, _)| (d.clone(), Vec::new()))
            .collect();
        changes.push(("by".to_owned(), vec![dimension.clone()]));
        Some(changes)
    };
    std::iter::once(Crumb {
        label: "All spend".to_owned(),
        changes: back_to(0),
    })
    .chain(filters.iter().enumerate().map(|(i, (d, v))| Crumb {
        label: format!("{}: {v}", dimension_label(d)),
        changes: back_to(i + 1),
    }))
    .collect()
}

/// Changes smaller than this (USD) are not movement.
const MOVEMENT_USD: f64 = 0.005;

/// The `n` groups that grew most and the `n` that shrank most against the period
/// before, largest change first.
pub fn movers(rows: &[BreakdownRow], n: usize) -> (Vec<BreakdownRow>, Vec<BreakdownRow>) {
    let mut grew: Vec<BreakdownRow> = rows
        .iter()
        .filter(|r| r.change_usd() >= MOVEMENT_USD)
        .cloned()
        .collect();
    grew.sort_by(|a, b| b.change_usd().total_cmp(&a.change_usd()));
    grew.truncate(n);
    let mut shrank: Vec<BreakdownRow> = rows
        .iter()
        .filter(|r| r.change_usd() <= -MOVEMENT_USD)
        .cloned()
        .collect();
    shrank.sort_by(|a, b| a.change_usd().total_cmp(&b.change_usd()));
    shrank.truncate(n);
    (grew, shrank)
}

/// An amount with its sign: `+$12.50`, `-$3.10`, `$0.00`.
pub fn signed_usd(value: f64) -> String {
    let text = Unit::Usd.format(value.abs());
    if value >= MOVEMENT_USD {
        format!("+{text}")
    } else if value <= -MOVEMENT_USD {
        format!("-{text}")
    } else {
        Unit::Usd.format(0.0)
    }
}

/// A change in percent (`+12.3 %`), `new` when there was nothing before, `–` when
/// there is nothing either way.
pub fn change_percent_text(row: &BreakdownRow) -> String {
    match row.change_percent() {
        Some(p) => format!("{p:+.1} %"),
        None if row.usd > 0.0 => "new".to_owned(),
        None => "–".to_owned(),
    }
}

/// The month's running total for the chart: actual spend summed day by day up to now
/// (solid), then the expected rest of each day with its 80 % band (dashed and shaded),
/// starting from the month to date.
pub fn projection(forecast: &Forecast, limit: Option<f64>) -> Projection {
    let mut actual = vec![(forecast.month_start, 0.0)];
    let mut coming = Vec::new();
    let mut total = 0.0;
    let mut expected = 0.0;
    for (i, day) in forecast.days.iter().enumerate() {
        let end = forecast
            .days
            .get(i + 1)
            .map_or(forecast.month_end, |next| next.start);
        if end <= forecast.now {
            total += day.usd;
            actual.push((end, total));
        } else if day.start <= forecast.now {
            total += day.usd;
            actual.push((forecast.now, total));
            expected = total + day.expected_usd;
            coming.push((forecast.now, total, total, total));
            coming.push((end, expected, day.low_usd, day.high_usd));
        } else {
            expected += day.expected_usd;
            coming.push((end, expected, day.low_usd, day.high_usd));
        }
    }
    Projection {
        actual,
        forecast: coming,
        limit,
    }
}

/// The budget that covers exactly the spend in view (all spend, or one team), whose
/// monthly amount the month's chart shows as its limit.
pub fn budget_in_view<'a>(
    budgets: &'a [BudgetStatus],
    filters: &[(String, String)],
) -> Option<&'a BudgetStatus> {
    let covers = match filters {
        [] => "all spend".to_owned(),
        [(dimension, team)] if dimension == "team" => format!("team {team}"),
        _ => return None,
    };
    budgets.iter().find(|b| b.covers == covers)
}

/// How a budget state reads, and its badge class.
pub fn budget_badge(state: vantage_api::cost::BudgetState) -> (&'static str, &'static str) {
    use vantage_api::cost::BudgetState;
    match state {
        BudgetState::Ok => ("ok", "badge badge--ok"),
        BudgetState::Warning => ("warning", "badge badge--warning"),
        BudgetState::OverForecast => ("over forecast", "badge badge--warning"),
        BudgetState::OverBudget => ("over budget", "badge badge--critical"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use vantage_api::cost::{DayForecast, GroupForecast, SourceInfo, TeamInfo};

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn catalog(teams: bool) -> Catalog {
        let source = |id: &str, labels: &[&str]| SourceInfo {
            id: id.to_owned(),
            title: id.to_owned(),
            metric: format!("{id}_cost"),
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
        };
        Catalog {
            sources: vec![
                source("orchestrator", &["repository", "user"]),
                source("autobot", &["provider", "model", "cost_type"]),
            ],
            teams: if teams {
                vec![TeamInfo {
                    name: "payments".into(),
                    repositories: vec!["acme/pay".into()],
                    users: Vec::new(),
                }]
            } else {
                Vec::new()
            },
            timezone: "UTC".into(),
        }
    }

    #[test]
    fn the_url_holds_by_and_the_filters_in_order() {
        let view = CostView::from_pairs(&pairs(&[
            ("from", "now-7d"),
            ("team", "payments"),
            ("by", "user"),
            ("repository", "acme/pay"),
            ("team", "ignored"),
        ]));
        assert_eq!(view.valid_by(), Some("user"));
        assert_eq!(
            view.filters,
            pairs(&[("team", "payments"), ("repository", "acme/pay")])
        );
        let bad = CostView::from_pairs(&pairs(&[("by", "planet")]));
        assert_eq!(bad.valid_by(), None);
        assert!(
            bad.by_problem("team")
                .is_some_and(|p| p.contains("planet") && p.contains("grouping by team"))
        );
        let filtered = CostView::from_pairs(&pairs(&[("team", "a"), ("by", "team")]));
        assert_eq!(filtered.valid_by(), None);
        assert_eq!(CostView::default().by_problem("team"), None);
    }

    #[test]
    fn the_default_grouping_follows_the_drill_down_order() {
        assert_eq!(default_by(&catalog(true), &[]), "team");
        assert_eq!(default_by(&catalog(false), &[]), "repository");
        assert_eq!(
            default_by(&catalog(true), &pairs(&[("team", "payments")])),
            "repository"
        );
        assert_eq!(
            default_by(&catalog(true), &pairs(&[("source", "autobot")])),
            "provider"
        );
        assert_eq!(
            default_by(
                &catalog(true),
                &pairs(&[("repository", "a"), ("user", "u")])
            ),
            "team"
        );
    }

    #[test]
    fn drilling_and_breadcrumbs_change_the_url() {
        assert_eq!(
            drill_changes("team", "payments", "repository"),
            vec![
                ("team".to_owned(), vec!["payments".to_owned()]),
                ("by".to_owned(), vec!["repository".to_owned()]),
            ]
        );
        let crumbs = crumbs(&pairs(&[("team", "payments"), ("repository", "acme/pay")]));
        assert_eq!(crumbs.len(), 3);
        assert_eq!(crumbs[0].label, "All spend");
        assert_eq!(
            crumbs[0].changes,
            Some(vec![
                ("team".to_owned(), vec![]),
                ("repository".to_owned(), vec![]),
                ("by".to_owned(), vec!["team".to_owned()]),
            ])
        );
        assert_eq!(crumbs[1].label, "team: payments");
        assert_eq!(
            crumbs[1].changes,
            Some(vec![
                ("repository".to_owned(), vec![]),
                ("by".to_owned(), vec!["repository".to_owned()]),
            ])
        );
        assert_eq!(crumbs[2].changes, None);
        assert_eq!(super::crumbs(&[]).len(), 1);
    }

    fn row(value: &str, usd: f64, previous: f64) -> BreakdownRow {
        BreakdownRow {
            value: value.to_owned(),
            usd,
            previous_usd: previous,
            by_source: BTreeMap::new(),
        }
    }

    #[test]
    fn movers_are_the_largest_changes_either_way() {
        let rows = [
            row("a", 10.0, 5.0),
            row("b", 1.0, 9.0),
            row("c", 3.0, 3.0),
            row("d", 7.0, 0.0),
            row("e", 4.0, 5.0),
        ];
        let (grew, shrank) = movers(&rows, 5);
        let names =
            |rows: &[BreakdownRow]| rows.iter().map(|r| r.value.clone()).collect::<Vec<_>>();
        assert_eq!(names(&grew), ["d", "a"]);
        assert_eq!(names(&shrank), ["b", "e"]);
        assert_eq!(movers(&rows, 1).0.len(), 1);
        assert_eq!(signed_usd(5.0), "+$5.00");
        assert_eq!(signed_usd(-8.0), "-$8.00");
        assert_eq!(signed_usd(0.001), "$0.00");
        assert_eq!(change_percent_text(&rows[0]), "+100.0 %");
        assert_eq!(change_percent_text(&rows[3]), "new");
        assert_eq!(change_percent_text(&row("z", 0.0, 0.0)), "–");
    }

    #[test]
    fn the_running_total_is_solid_to_now_then_projected() {
        let day = |start: f64, usd: f64, expected: f64, low: f64, high: f64| DayForecast {
            start,
            usd,
            expected_usd: expected,
            low_usd: low,
            high_usd: high,
        };
        let group = GroupForecast {
            value: "total".into(),
            month_to_date_usd: 25.0,
            forecast_usd: 45.0,
            low_usd: 40.0,
            high_usd: 50.0,
        };
        let forecast = Forecast {
            month_start: 0.0,
            month_end: 300.0,
            now: 150.0,
            by: "team".into(),
            filters: Vec::new(),
            total: group.clone(),
            // Days of 100 s: one past, today (half gone), one to come.
            days: vec![
                day(0.0, 10.0, 0.0, 0.0, 0.0),
                day(100.0, 15.0, 8.0, 30.0, 36.0),
                day(200.0, 0.0, 12.0, 40.0, 50.0),
            ],
            groups: vec![group],
            trailing_days: 14,
        };
        let p = projection(&forecast, Some(60.0));
        assert_eq!(p.actual, vec![(0.0, 0.0), (100.0, 10.0), (150.0, 25.0)]);
        assert_eq!(
            p.forecast,
            vec![
                (150.0, 25.0, 25.0, 25.0),
                (200.0, 33.0, 30.0, 36.0),
                (300.0, 45.0, 40.0, 50.0)
            ]
        );
        assert_eq!(p.limit, Some(60.0));
    }

    #[test]
    fn the_budget_in_view_covers_exactly_that_spend() {
        let budget = |name: &str, covers: &str| BudgetStatus {
            name: name.to_owned(),
            covers: covers.to_owned(),
            monthly_usd: 100.0,
            month_to_date_usd: 10.0,
            forecast_usd: 50.0,
            used_percent: 10.0,
            burn_rate: 1.0,
            warning_percent: 80.0,
            critical_percent: 100.0,
            state: vantage_api::cost::BudgetState::Ok,
        };
        let budgets = [budget("all", "all spend"), budget("pay", "team payments")];
        assert_eq!(
            budget_in_view(&budgets, &[]).map(|b| b.name.as_str()),
            Some("all")
        );
        assert_eq!(
            budget_in_view(&budgets, &pairs(&[("team", "payments")])).map(|b| b.name.as_str()),
            Some("pay")
        );
        assert!(budget_in_view(&budgets, &pairs(&[("team", "other")])).is_none());
        assert!(budget_in_view(&budgets, &pairs(&[("model", "m")])).is_none());
    }
}
