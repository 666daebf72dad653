//! Spend per series of every source under drill-down filters: one `sum by (<the
//! source's labels>) (increase(<counter>[<range>]))` per source, so every grouping the
//! console offers (teams included, which no metric carries) is a sum of these rows,
//! equal to what the same `sum by` gives in Prometheus.

use std::collections::BTreeMap;

use super::prom::{Labels, Prom};
use super::settings::{CostSettings, Source};

/// The value of a dimension for spend that has none (a source without that label,
/// a series in no team).
pub const UNALLOCATED: &str = "(unallocated)";

/// Which spend: drill-down filters, plus matchers narrowing one source (a budget's).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    /// `(dimension, value)`: `source`, `team` or a label.
    pub filters: Vec<(String, String)>,
    /// `(source id, matchers)`: only that source, narrowed.
    pub narrowed: Option<(String, String)>,
}

/// One series' spend.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub source: String,
    pub labels: Labels,
    pub usd: f64,
}

/// A PromQL string literal's inside for `value`.
pub fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The value of `dimension` for one row.
pub fn value_of(settings: &CostSettings, row: &Row, dimension: &str) -> String {
    match dimension {
        "source" => row.source.clone(),
        "team" => team_of(settings, &row.labels)
            .unwrap_or(UNALLOCATED)
            .to_owned(),
        label => row
            .labels
            .get(label)
            .filter(|v| !v.is_empty())
            .cloned()
            .unwrap_or_else(|| UNALLOCATED.to_owned()),
    }
}

/// The first configured team whose repositories or users hold this series.
pub fn team_of<'a>(settings: &'a CostSettings, labels: &Labels) -> Option<&'a str> {
    let repository = labels.get("repository");
    let user = labels.get("user");
    settings
        .teams
        .iter()
        .find(|t| {
            repository.is_some_and(|r| t.repositories.contains(r))
                || user.is_some_and(|u| t.users.contains(u))
        })
        .map(|t| t.name.as_str())
}

/// The sources the scope reaches and the matchers each gets from the filters.
pub fn sources_in_scope<'a>(
    settings: &'a CostSettings,
    scope: &Scope,
) -> Vec<(&'a Source, Vec<String>)> {
    settings
        .sources
        .iter()
        .filter_map(|source| {
            let mut matchers = Vec::new();
            if let Some((id, narrowed)) = &scope.narrowed {
                if *id != source.id {
                    return None;
                }
                if !narrowed.is_empty() {
                    matchers.push(narrowed.clone());
                }
            }
            for (dimension, value) in &scope.filters {
                match dimension.as_str() {
                    "source" if *value != source.id => return None,
                    "source" => {}
                    // Teams are applied to the rows; a source without repositories or
                    // users is in no team.
                    "team" if *value != UNALLOCATED && !source.has_teams() => return None,
                    "team" => {}
                    label if source.labels.iter().any(|l| l == label) => {
                        if *value == UNALLOCATED {
                            matchers.push(format!("{label}=\"\""));
                        } else {
                            matchers.push(format!("{label}=\"{}\"", escape(value)));
                        }
                    }
                    // The source has no such label: all of it is unallocated there.
                    _ if *value == UNALLOCATED => {}
                    _ => return None,
                }
            }
            Some((source, matchers))
        })
        .collect()
}

/// The PromQL of one source's spend per series over `range_s` seconds.
pub fn spend_query(source: &Source, matchers: &[String], range_s: i64) -> String {
    let by = if source.labels.is_empty() {
        String::new()
    } else {
        format!(" by ({})", source.labels.join(", "))
    };
    format!(
        "sum{by} (increase({}[{}s]))",
        source.selector(matchers),
        range_s.max(1)
    )
}

/// Spend per series over `(at - range_s, at]`, every source in scope.
pub async fn spend(
    prom: &impl Prom,
    settings: &CostSettings,
    scope: &Scope,
    at: f64,
    range_s: i64,
) -> Result<Vec<Row>, String> {
    let queries: Vec<(&Source, String)> = sources_in_scope(settings, scope)
        .into_iter()
        .map(|(source, matchers)| (source, spend_query(source, &matchers, range_s)))
        .collect();
    let answers =
        futures_util::future::join_all(queries.iter().map(|(_, query)| prom.instant(query, at)))
            .await;
    let mut rows = Vec::new();
    for ((source, _), answer) in queries.iter().zip(answers) {
        for (labels, usd) in answer? {
            if usd.is_finite() {
                rows.push(Row {
                    source: source.id.clone(),
                    labels,
                    usd,
                });
            }
        }
    }
    Ok(keep_teams(settings, scope, rows))
}

/// Only the rows of the team filters (teams are not labels, so the query cannot).
pub fn keep_teams(settings: &CostSettings, scope: &Scope, rows: Vec<Row>) -> Vec<Row> {
    let teams: Vec<&String> = scope
        .filters
        .iter()
        .filter(|(d, _)| d == "team")
        .map(|(_, v)| v)
        .collect();
    if teams.is_empty() {
        return rows;
    }
    rows.into_iter()
        .filter(|row| {
            let team = value_of(settings, row, "team");
            teams.iter().all(|t| **t == team)
        })
        .collect()
}

/// Sums rows per value of `dimension`.
pub fn group(settings: &CostSettings, rows: &[Row], dimension: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for row in rows {
        *out.entry(value_of(settings, row, dimension)).or_insert(0.0) += row.usd;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::prom::table::{Table, labels};
    use vantage_api::cost::TeamInfo;

    pub fn settings() -> CostSettings {
        let mut s = CostSettings::defaults();
        s.teams = vec![TeamInfo {
            name: "payments".into(),
            repositories: vec!["acme/payments-api".into()],
            users: vec!["bob".into()],
        }];
        s
    }

    #[test]
    fn filters_pick_sources_and_matchers() {
        let s = settings();
        let scope = |filters: &[(&str, &str)]| Scope {
            filters: filters
                .iter()
                .map(|(d, v)| ((*d).to_owned(), (*v).to_owned()))
                .collect(),
            narrowed: None,
        };
        let picked = |filters: &[(&str, &str)]| -> Vec<(String, Vec<String>)> {
            sources_in_scope(&s, &scope(filters))
                .into_iter()
                .map(|(src, m)| (src.id.clone(), m))
                .collect()
        };
        assert_eq!(picked(&[]).len(), 3);
        assert_eq!(
            picked(&[("model", "gpt-4o")]),
            vec![
                ("autobot".to_owned(), vec!["model=\"gpt-4o\"".to_owned()]),
                ("aurea".to_owned(), vec!["model=\"gpt-4o\"".to_owned()])
            ]
        );
        assert_eq!(picked(&[("team", "payments")]).len(), 1);
        // Orchestrator spend has no model: all of it is unallocated by model.
        assert_eq!(
            picked(&[("model", UNALLOCATED)])[0],
            ("orchestrator".to_owned(), vec![])
        );
        assert_eq!(
            spend_query(&s.sources[0], &["user=\"a\\\"b\"".into()], 3600),
            "sum by (repository, user) (increase(orchestrator_cost_attribution{user=\"a\\\"b\"}[3600s]))"
        );
    }

    #[tokio::test]
    async fn teams_are_the_first_that_match() {
        let s = settings();
        let prom = Table(|query: &str, _| {
            if query.contains("orchestrator") {
                vec![
                    (
                        labels(&[("repository", "acme/payments-api"), ("user", "al")]),
                        2.0,
                    ),
                    (labels(&[("repository", "acme/web"), ("user", "bob")]), 3.0),
                    (labels(&[("repository", "acme/web"), ("user", "al")]), 5.0),
                ]
            } else {
                vec![(labels(&[("model", "m")]), 7.0)]
            }
        });
        let rows = spend(&prom, &s, &Scope::default(), 100.0, 60)
            .await
            .expect("spend");
        let by_team = group(&s, &rows, "team");
        assert_eq!(by_team["payments"], 5.0);
        assert_eq!(by_team[UNALLOCATED], 5.0 + 7.0 + 7.0);
        let scope = Scope {
            filters: vec![("team".into(), "payments".into())],
            narrowed: None,
        };
        let rows = spend(&prom, &s, &scope, 100.0, 60).await.expect("spend");
        assert_eq!(rows.iter().map(|r| r.usd).sum::<f64>(), 5.0);
    }
}
