//! `vantage-proxy budget-rules`: Prometheus alerting rules for every budget, so the
//! budgets alert through Alertmanager like everything else.
//!
//! PromQL has no "since the start of the month" window, so month-to-date spend is a
//! subquery of hourly spend over the last 31 days that keeps only the hours of the
//! evaluation's own month: `month(vector(time() - 1))` is the month of each hour
//! (inside the subquery, `time()` is the hour's end), and the month of the evaluation
//! itself from `time()` in a one-step subquery pinned `@ end()` (a sample of the
//! counter would do too, but goes missing when scrapes stop). Months are UTC months
//! (PromQL's). The
//! forecast adds the last week's average hourly spend for every hour left in the month.
//! Teams are matched by repository or user; a series in two teams counts in both here,
//! where the console gives it to the first.

use std::fmt::Write;

use super::settings::{Budget, CostSettings, Coverage, Source};
use super::spend::escape;

/// The selectors of one source a budget covers (OR-ed when more than one).
struct Term {
    selectors: Vec<String>,
}

fn regex_alternatives(values: &[String]) -> String {
    values
        .iter()
        .map(|v| escape(&regex_literal(v)))
        .collect::<Vec<_>>()
        .join("|")
}

/// `value` matched literally in a PromQL (RE2) regex.
fn regex_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn terms(settings: &CostSettings, budget: &Budget) -> Vec<Term> {
    let plain = |s: &Source, extra: &[String]| Term {
        selectors: vec![s.selector(extra)],
    };
    match &budget.covers {
        Coverage::All => settings.sources.iter().map(|s| plain(s, &[])).collect(),
        Coverage::Source { source, matchers } => settings
            .source(source)
            .map(|s| {
                let extra: Vec<String> = (!matchers.is_empty())
                    .then(|| matchers.clone())
                    .into_iter()
                    .collect();
                plain(s, &extra)
            })
            .into_iter()
            .collect(),
        Coverage::Team(name) => {
            let Some(team) = settings.teams.iter().find(|t| t.name == *name) else {
                return Vec::new();
            };
            settings
                .sources
                .iter()
                .filter(|s| s.has_teams())
                .map(|s| {
                    let mut selectors = Vec::new();
                    if s.labels.iter().any(|l| l == "repository") && !team.repositories.is_empty() {
                        selectors.push(s.selector(&[format!(
                            "repository=~\"{}\"",
                            regex_alternatives(&team.repositories)
                        )]));
                    }
                    if s.labels.iter().any(|l| l == "user") && !team.users.is_empty() {
                        selectors.push(
                            s.selector(&[format!("user=~\"{}\"", regex_alternatives(&team.users))]),
                        );
                    }
                    Term { selectors }
                })
                .filter(|t| !t.selectors.is_empty())
                .collect()
        }
    }
}

fn sum_of(term: &Term, window: &str) -> String {
    let parts: Vec<String> = term
        .selectors
        .iter()
        .map(|s| format!("increase({s}[{window}])"))
        .collect();
    format!("sum({})", parts.join(" or "))
}

/// Month-to-date spend of a budget in PromQL.
pub fn month_to_date(settings: &CostSettings, budget: &Budget) -> String {
    let parts: Vec<String> = terms(settings, budget)
        .iter()
        .map(|t| {
            format!(
                "(sum_over_time(({} and on() (month(vector(time() - 1)) == on() month(max_over_time(vector(time())[1m:1m] @ end()))))[31d:1h]) or vector(0))",
                sum_of(t, "1h"),
            )
        })
        .collect();
    if parts.is_empty() {
        "vector(0)".to_owned()
    } else {
        parts.join(" + ")
    }
}

/// Month-end forecast of a budget in PromQL.
pub fn forecast(settings: &CostSettings, budget: &Budget) -> String {
    let weekly: Vec<String> = terms(settings, budget)
        .iter()
        .map(|t| format!("({} or vector(0))", sum_of(t, "7d")))
        .collect();
    let weekly = if weekly.is_empty() {
        "vector(0)".to_owned()
    } else {
        weekly.join(" + ")
    };
    format!(
        "({}) + ({weekly}) / 168 * (days_in_month() * 24 - (day_of_month() - 1) * 24 - hour())",
        month_to_date(settings, budget)
    )
}

/// YAML single-quoted scalar.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn amount(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The rules file: one group, evaluated every `interval` (a Prometheus duration),
/// with three alerts per budget.
pub fn rules_file(settings: &CostSettings, interval: &str) -> Result<String, String> {
    match vantage_api::duration::parse_prometheus_duration(interval) {
        Ok(ms) if ms > 0 => {}
        Ok(_) => return Err(format!("--interval {interval:?}: must be longer than 0")),
        Err(e) => return Err(format!("--interval {interval:?}: {e}")),
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Cost budget alerts written by `vantage-proxy budget-rules`; months are UTC months.\ngroups:\n  - name: vantage-cost-budgets\n    interval: {interval}\n    rules:"
    );
    if settings.budgets.is_empty() {
        out.truncate(out.trim_end_matches("\n    rules:\n").len());
        out.push_str("\n    rules: []\n");
        return Ok(out);
    }
    for budget in &settings.budgets {
        let mtd = month_to_date(settings, budget);
        let monthly = amount(budget.monthly_usd);
        let alerts = [
            (
                "CostBudgetWarning",
                "warning",
                format!(
                    "{mtd} > {}",
                    budget.monthly_usd * budget.warning_percent / 100.0
                ),
                format!(
                    "Budget {} has spent {{{{ $value | printf \"%.2f\" }}}} USD this month, past {}% of {monthly} USD",
                    budget.name,
                    amount(budget.warning_percent)
                ),
            ),
            (
                "CostBudgetExceeded",
                "critical",
                format!(
                    "{mtd} > {}",
                    budget.monthly_usd * budget.critical_percent / 100.0
                ),
                format!(
                    "Budget {} has spent {{{{ $value | printf \"%.2f\" }}}} USD this month, past {}% of {monthly} USD",
                    budget.name,
                    amount(budget.critical_percent)
                ),
            ),
            (
                "CostBudgetForecastOver",
                "warning",
                format!(
                    "{} > {}",
                    forecast(settings, budget),
                    budget.monthly_usd * budget.critical_percent / 100.0
                ),
                format!(
                    "Budget {} is heading for {{{{ $value | printf \"%.2f\" }}}} USD this month, over its {monthly} USD",
                    budget.name
                ),
            ),
        ];
        for (alert, severity, expr, summary) in alerts {
            let _ = writeln!(out, "      - alert: {alert}");
            let _ = writeln!(out, "        expr: {}", quoted(&expr));
            let _ = writeln!(out, "        labels:");
            let _ = writeln!(out, "          severity: {severity}");
            let _ = writeln!(out, "          budget: {}", quoted(&budget.name));
            let _ = writeln!(out, "        annotations:");
            let _ = writeln!(out, "          summary: {}", quoted(&summary));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vantage_api::cost::TeamInfo;

    fn settings() -> CostSettings {
        let mut s = CostSettings::defaults();
        s.teams = vec![TeamInfo {
            name: "pay".into(),
            repositories: vec!["acme/pay.api".into()],
            users: vec!["o'neil".into()],
        }];
        s.budgets = vec![
            Budget {
                name: "all".into(),
                monthly_usd: 1000.0,
                covers: Coverage::All,
                warning_percent: 80.0,
                critical_percent: 100.0,
            },
            Budget {
                name: "pay's".into(),
                monthly_usd: 10.0,
                covers: Coverage::Team("pay".into()),
                warning_percent: 50.0,
                critical_percent: 90.0,
            },
        ];
        s
    }

    #[test]
    fn every_expression_parses() {
        let s = settings();
        for budget in &s.budgets {
            for expr in [month_to_date(&s, budget), forecast(&s, budget)] {
                promql_parser::parser::parse(&expr).unwrap_or_else(|e| panic!("{expr}\n{e}"));
            }
        }
        let team = month_to_date(&s, &s.budgets[1]);
        assert!(team.contains(r#"repository=~"acme/pay\\.api""#), "{team}");
        assert!(team.contains(" or increase("), "{team}");
    }

    #[test]
    fn writes_three_alerts_per_budget_quoted_for_yaml() {
        let file = rules_file(&settings(), "5m").expect("rules");
        assert_eq!(file.matches("- alert:").count(), 6);
        assert!(file.contains("budget: 'pay''s'"), "{file}");
        assert!(file.contains("    interval: 5m\n"), "{file}");
        let empty = rules_file(&CostSettings::defaults(), "1m").expect("rules");
        assert!(empty.contains("rules: []"), "{empty}");
        assert!(rules_file(&settings(), "often").is_err());
    }
}
