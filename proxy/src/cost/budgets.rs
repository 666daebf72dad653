//! Where each configured budget stands this month: spend so far, the month-end
//! forecast, the share used, the burn rate against a straight line, and a state.

use vantage_api::cost::{BudgetState, BudgetStatus};

use super::forecast::{Gathered, forecast, gather, project_month};
use super::prom::Prom;
use super::settings::{Budget, CostSettings, Coverage};
use super::spend::Scope;

/// The spend a budget covers, as a scope.
pub fn scope_of(budget: &Budget) -> Scope {
    match &budget.covers {
        Coverage::All => Scope::default(),
        Coverage::Team(team) => Scope {
            filters: vec![("team".to_owned(), team.clone())],
            narrowed: None,
        },
        Coverage::Source { source, matchers } => Scope {
            filters: Vec::new(),
            narrowed: Some((source.clone(), matchers.clone())),
        },
    }
}

/// What a budget covers, in words.
pub fn describe(settings: &CostSettings, budget: &Budget) -> String {
    match &budget.covers {
        Coverage::All => "all spend".to_owned(),
        Coverage::Team(team) => format!("team {team}"),
        Coverage::Source { source, matchers } => {
            let title = settings
                .source(source)
                .map_or(source.as_str(), |s| &s.title);
            if matchers.is_empty() {
                title.to_owned()
            } else {
                format!("{title} {{{matchers}}}")
            }
        }
    }
}

/// The state of a budget from its numbers: over budget past the critical share, over
/// forecast when the month is heading past the budget, warning past the warning share.
pub fn state(budget: &Budget, month_to_date: f64, forecast: f64) -> BudgetState {
    let used = 100.0 * month_to_date / budget.monthly_usd;
    if used >= budget.critical_percent {
        BudgetState::OverBudget
    } else if forecast >= budget.monthly_usd * budget.critical_percent / 100.0 {
        BudgetState::OverForecast
    } else if used >= budget.warning_percent {
        BudgetState::Warning
    } else {
        BudgetState::Ok
    }
}

/// Month to date against the straight line from nothing at the month's start to the
/// whole budget at its end: 1 is on track, 2 spends twice as fast.
pub fn burn_rate(monthly: f64, month_to_date: f64, elapsed_share: f64) -> f64 {
    if elapsed_share <= 0.0 || monthly <= 0.0 {
        return 0.0;
    }
    month_to_date / (monthly * elapsed_share)
}

/// Every budget's status at `now`. Budgets of all spend and of teams are projected
/// from one reading of all spend (teams are applied to its rows); a budget of one
/// source narrowed by matchers reads its own, at the same time.
pub async fn statuses(
    prom: &impl Prom,
    settings: &CostSettings,
    now: f64,
) -> Result<Vec<BudgetStatus>, String> {
    let shares_all = |b: &Budget| matches!(b.covers, Coverage::All | Coverage::Team(_));
    let all = async {
        if settings.budgets.iter().any(shares_all) {
            gather(prom, settings, &Scope::default(), now)
                .await
                .map(Some)
        } else {
            Ok(None)
        }
    };
    let narrowed = futures_util::future::try_join_all(
        settings
            .budgets
            .iter()
            .filter(|b| !shares_all(b))
            .map(|b| async move { forecast(prom, settings, "source", &scope_of(b), now).await }),
    );
    let (all, narrowed): (Option<Gathered>, _) =
        futures_util::future::try_join(all, narrowed).await?;
    let mut narrowed = narrowed.into_iter();
    let mut out = Vec::with_capacity(settings.budgets.len());
    for budget in &settings.budgets {
        let f = match &all {
            Some(all) if shares_all(budget) => {
                project_month(settings, &all.within(settings, &scope_of(budget)), "source")?
            }
            _ => narrowed.next().ok_or("a budget's forecast is missing")?,
        };
        let elapsed = (now - f.month_start) / (f.month_end - f.month_start);
        let mtd = f.total.month_to_date_usd;
        out.push(BudgetStatus {
            name: budget.name.clone(),
            covers: describe(settings, budget),
            monthly_usd: budget.monthly_usd,
            month_to_date_usd: mtd,
            forecast_usd: f.total.forecast_usd,
            used_percent: 100.0 * mtd / budget.monthly_usd,
            burn_rate: burn_rate(budget.monthly_usd, mtd, elapsed),
            warning_percent: budget.warning_percent,
            critical_percent: budget.critical_percent,
            state: state(budget, mtd, f.total.forecast_usd),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget() -> Budget {
        Budget {
            name: "b".into(),
            monthly_usd: 1000.0,
            covers: Coverage::All,
            warning_percent: 80.0,
            critical_percent: 100.0,
        }
    }

    #[test]
    fn states_from_spend_and_forecast() {
        let b = budget();
        assert_eq!(state(&b, 100.0, 500.0), BudgetState::Ok);
        assert_eq!(state(&b, 850.0, 990.0), BudgetState::Warning);
        assert_eq!(state(&b, 300.0, 1200.0), BudgetState::OverForecast);
        assert_eq!(state(&b, 850.0, 1200.0), BudgetState::OverForecast);
        assert_eq!(state(&b, 1000.0, 1200.0), BudgetState::OverBudget);
    }

    #[test]
    fn burn_rate_against_the_straight_line() {
        assert_eq!(burn_rate(1000.0, 500.0, 0.5), 1.0);
        assert_eq!(burn_rate(1000.0, 500.0, 0.25), 2.0);
        assert_eq!(burn_rate(1000.0, 0.0, 0.0), 0.0);
    }

    #[tokio::test]
    async fn every_budget_in_order_teams_from_all_spend() {
        use crate::cost::prom::table::{Table, labels};
        let mut s = CostSettings::defaults();
        s.teams = vec![vantage_api::cost::TeamInfo {
            name: "t".into(),
            repositories: vec!["r1".into()],
            users: Vec::new(),
        }];
        let budget = |name: &str, covers: Coverage| Budget {
            name: name.into(),
            monthly_usd: 100.0,
            covers,
            warning_percent: 80.0,
            critical_percent: 100.0,
        };
        s.budgets = vec![
            budget("team", Coverage::Team("t".into())),
            budget(
                "openai",
                Coverage::Source {
                    source: "autobot".into(),
                    matchers: "provider=\"openai\"".into(),
                },
            ),
            budget("all", Coverage::All),
        ];
        // $1 per series per second of range, whatever the range.
        let prom = Table(|query: &str, _| {
            let seconds = query
                .rsplit('[')
                .next()
                .and_then(|r| r.split('s').next())
                .and_then(|n| n.parse::<f64>().ok())
                .unwrap_or(0.0);
            if query.contains("orchestrator") {
                vec![
                    (labels(&[("repository", "r1"), ("user", "u")]), seconds),
                    (labels(&[("repository", "r2"), ("user", "u")]), seconds),
                ]
            } else if query.contains("autobot") && query.contains("openai") {
                vec![(
                    labels(&[("provider", "openai"), ("model", "m"), ("cost_type", "c")]),
                    seconds,
                )]
            } else {
                Vec::new()
            }
        });
        let now = 1_707_998_400.0;
        let out = statuses(&prom, &s, now).await.expect("statuses");
        let names: Vec<&str> = out.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["team", "openai", "all"]);
        let mtd = |i: usize| out[i].month_to_date_usd;
        // 14.5 days into the month: one series each for the team and OpenAI, two in all.
        assert!((mtd(0) - 14.5 * 86_400.0).abs() < 1e-6, "{:?}", out[0]);
        assert!((mtd(1) - mtd(0)).abs() < 1e-6);
        assert!((mtd(2) - 2.0 * mtd(0)).abs() < 1e-6);
        assert_eq!(out[0].state, BudgetState::OverBudget);
        assert_eq!(out[1].covers, "AutoBot {provider=\"openai\"}");
    }
}
