//! Spend per local calendar day. Runs of days that are all 24 hours long (every day in
//! UTC, most days elsewhere) take one range query per source with a one-day step, each
//! step ending at a midnight; a day that daylight saving makes 23 or 25 hours long
//! takes its own instant query.

use super::calendar::Day;
use super::prom::Prom;
use super::settings::CostSettings;
use super::spend::{Row, Scope, keep_teams, sources_in_scope, spend, spend_query};

const DAY_S: i64 = 86_400;

/// Spend per series of each of `days` (same order).
pub async fn daily(
    prom: &impl Prom,
    settings: &CostSettings,
    scope: &Scope,
    days: &[Day],
) -> Result<Vec<Vec<Row>>, String> {
    let mut out: Vec<Vec<Row>> = vec![Vec::new(); days.len()];
    let mut i = 0;
    while i < days.len() {
        if days[i].end - days[i].start != DAY_S {
            out[i] = spend(
                prom,
                settings,
                scope,
                days[i].end as f64,
                days[i].end - days[i].start,
            )
            .await?;
            i += 1;
            continue;
        }
        // A run of consecutive whole days: one range query per source.
        let mut j = i;
        while j + 1 < days.len()
            && days[j + 1].start == days[j].end
            && days[j + 1].end - days[j + 1].start == DAY_S
        {
            j += 1;
        }
        let (start, end) = (days[i].end as f64, days[j].end as f64);
        let queries: Vec<(&str, String)> = sources_in_scope(settings, scope)
            .into_iter()
            .map(|(source, matchers)| (source.id.as_str(), spend_query(source, &matchers, DAY_S)))
            .collect();
        let answers = futures_util::future::try_join_all(
            queries
                .iter()
                .map(|(_, query)| prom.range(query, start, end, DAY_S as f64)),
        )
        .await?;
        for ((source, _), answer) in queries.iter().zip(answers) {
            for (labels, points) in answer {
                for (t, usd) in points {
                    let k = i + ((t - start) / DAY_S as f64).round() as usize;
                    if k <= j && usd.is_finite() {
                        out[k].push(Row {
                            source: (*source).to_owned(),
                            labels: labels.clone(),
                            usd,
                        });
                    }
                }
            }
        }
        for rows in &mut out[i..=j] {
            *rows = keep_teams(settings, scope, std::mem::take(rows));
        }
        i = j + 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::prom::table::{Table, labels};

    #[tokio::test]
    async fn whole_days_in_one_query_and_short_days_alone() {
        let s = CostSettings::defaults();
        let asked = std::sync::Mutex::new(Vec::new());
        let prom = Table(|query: &str, at: f64| {
            if let Ok(mut a) = asked.lock() {
                a.push((query.contains("[86400s]"), at));
            }
            if query.contains("orchestrator") {
                vec![(labels(&[("repository", "r"), ("user", "u")]), at / 86_400.0)]
            } else {
                Vec::new()
            }
        });
        let days = [
            Day {
                start: 0,
                end: 86_400,
                weekend: false,
            },
            Day {
                start: 86_400,
                end: 172_800,
                weekend: false,
            },
            Day {
                start: 172_800,
                end: 255_600,
                weekend: true,
            },
        ];
        let out = daily(&prom, &s, &Scope::default(), &days)
            .await
            .expect("daily");
        assert_eq!(out[0][0].usd, 1.0);
        assert_eq!(out[1][0].usd, 2.0);
        assert!((out[2][0].usd - 255_600.0 / 86_400.0).abs() < 1e-9);
        let asked = asked.lock().map(|a| a.clone()).unwrap_or_default();
        // The short day's query asks for 23 hours.
        assert!(asked.iter().any(|(whole, at)| !whole && *at == 255_600.0));
    }
}
