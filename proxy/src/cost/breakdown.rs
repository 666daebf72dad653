//! Spend in a range grouped by one dimension, against the same-length period before it,
//! with what can be drilled into next.

use std::collections::BTreeMap;

use vantage_api::cost::{Breakdown, BreakdownRow, DIMENSIONS};

use super::prom::Prom;
use super::settings::CostSettings;
use super::spend::{Row, Scope, UNALLOCATED, sources_in_scope, spend, value_of};

/// The dimensions that split the spend in `scope`, in drill-down order.
pub fn available(settings: &CostSettings, scope: &Scope) -> Vec<String> {
    let sources = sources_in_scope(settings, scope);
    DIMENSIONS
        .iter()
        .filter(|d| !scope.filters.iter().any(|(f, _)| f == *d))
        .filter(|d| match **d {
            "source" => sources.len() > 1,
            "team" => !settings.teams.is_empty() && sources.iter().any(|(s, _)| s.has_teams()),
            label => sources
                .iter()
                .any(|(s, _)| s.labels.iter().any(|l| l == label)),
        })
        .map(|d| (*d).to_owned())
        .collect()
}

/// What to group by after drilling into a row of `by`: the next available dimension.
pub fn next_after(available: &[String], by: &str) -> Option<String> {
    let position = |d: &str| DIMENSIONS.iter().position(|x| *x == d);
    let after = position(by)?;
    available
        .iter()
        .find(|d| position(d).is_some_and(|p| p > after))
        .cloned()
}

fn rows_by(
    settings: &CostSettings,
    current: &[Row],
    previous: &[Row],
    dimension: &str,
) -> Vec<BreakdownRow> {
    let mut rows: BTreeMap<String, BreakdownRow> = BTreeMap::new();
    let mut add = |row: &Row, now: bool| {
        let value = value_of(settings, row, dimension);
        let entry = rows.entry(value.clone()).or_insert_with(|| BreakdownRow {
            value,
            usd: 0.0,
            previous_usd: 0.0,
            by_source: BTreeMap::new(),
        });
        if now {
            entry.usd += row.usd;
            *entry.by_source.entry(row.source.clone()).or_insert(0.0) += row.usd;
        } else {
            entry.previous_usd += row.usd;
        }
    };
    current.iter().for_each(|r| add(r, true));
    previous.iter().for_each(|r| add(r, false));
    let mut rows: Vec<BreakdownRow> = rows.into_values().collect();
    rows.sort_by(|a, b| {
        b.usd
            .total_cmp(&a.usd)
            .then_with(|| (a.value == UNALLOCATED).cmp(&(b.value == UNALLOCATED)))
            .then_with(|| a.value.cmp(&b.value))
    });
    rows
}

/// Spend in `[from, to]` by `by` under `scope`, and in the period before it.
pub async fn breakdown(
    prom: &impl Prom,
    settings: &CostSettings,
    by: &str,
    scope: &Scope,
    from: f64,
    to: f64,
) -> Result<Breakdown, String> {
    if !DIMENSIONS.contains(&by) {
        return Err(format!("by={by:?} is not one of {}", DIMENSIONS.join(", ")));
    }
    let range = (to - from).round() as i64;
    if range < 1 {
        return Err("the range must be at least one second long".to_owned());
    }
    let (current, previous) = futures_util::future::try_join(
        spend(prom, settings, scope, to, range),
        spend(prom, settings, scope, from, range),
    )
    .await?;
    let rows = rows_by(settings, &current, &previous, by);
    let sources = rows_by(settings, &current, &previous, "source");
    let available = available(settings, scope);
    Ok(Breakdown {
        from,
        to,
        previous_from: from - range as f64,
        by: by.to_owned(),
        filters: scope.filters.clone(),
        total_usd: current.iter().map(|r| r.usd).sum(),
        previous_total_usd: previous.iter().map(|r| r.usd).sum(),
        next: next_after(&available, by),
        available,
        rows,
        sources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::prom::table::{Table, labels};

    #[tokio::test]
    async fn by_model_across_sources_with_the_period_before() {
        let s = CostSettings::defaults();
        let prom = Table(|query: &str, at: f64| {
            let k = if at > 50.0 { 2.0 } else { 1.0 };
            if query.contains("autobot") {
                vec![(
                    labels(&[("provider", "p"), ("model", "m1"), ("cost_type", "input")]),
                    3.0 * k,
                )]
            } else if query.contains("aurea") {
                vec![
                    (labels(&[("model", "m1")]), 1.0 * k),
                    (labels(&[("model", "m2")]), 4.0),
                ]
            } else {
                vec![(labels(&[("repository", "r"), ("user", "u")]), 10.0)]
            }
        });
        let b = breakdown(&prom, &s, "model", &Scope::default(), 50.0, 100.0)
            .await
            .expect("breakdown");
        let values: Vec<(&str, f64, f64)> = b
            .rows
            .iter()
            .map(|r| (r.value.as_str(), r.usd, r.previous_usd))
            .collect();
        assert_eq!(
            values,
            [
                (UNALLOCATED, 10.0, 10.0),
                ("m1", 8.0, 4.0),
                ("m2", 4.0, 4.0)
            ]
        );
        assert_eq!(b.rows[1].by_source["autobot"], 6.0);
        assert_eq!(b.total_usd, 22.0);
        assert_eq!(b.previous_total_usd, 18.0);
        assert_eq!(b.previous_from, 0.0);
        assert_eq!(b.next.as_deref(), Some("cost_type"));
        assert!(
            breakdown(&prom, &s, "planet", &Scope::default(), 0.0, 1.0)
                .await
                .is_err()
        );
    }

    #[test]
    fn drilling_goes_down_the_dimensions() {
        let s = CostSettings::defaults();
        let scope = Scope {
            filters: vec![("source".into(), "orchestrator".into())],
            narrowed: None,
        };
        let available = available(&s, &scope);
        assert_eq!(available, ["repository", "user"]);
        assert_eq!(
            next_after(&available, "repository").as_deref(),
            Some("user")
        );
        assert_eq!(next_after(&available, "user"), None);
    }
}
