//! Month to date and the month-end forecast, in total and per group: gathers the daily
//! spend of the month and of the trailing days, today's spend so far and the last
//! week's hour-of-day rhythm, then projects (see [`super::projection`]).

use std::collections::{BTreeMap, BTreeSet};

use vantage_api::cost::{DayForecast, Forecast, GroupForecast};

use super::calendar::Day;
use super::daily::daily;
use super::projection::{DayModel, project, share_left};
use super::prom::Prom;
use super::settings::CostSettings;
use super::spend::{Row, Scope, sources_in_scope, spend, value_of};

/// Complete days before today the expectation is taken from.
pub const TRAILING_DAYS: usize = 14;

/// Spend per local hour of day over the last week, for today's remainder.
async fn hour_profile(
    prom: &impl Prom,
    settings: &CostSettings,
    scope: &Scope,
    today: &Day,
) -> Result<[f64; 24], String> {
    let mut profile = [0.0; 24];
    let start = (today.start - 7 * 86_400 + 3_600) as f64;
    let end = today.start as f64;
    // Teams do not change when in the day money is spent: their sources' rhythm serves.
    let unteamed = Scope {
        filters: scope
            .filters
            .iter()
            .filter(|(d, _)| d != "team")
            .cloned()
            .collect(),
        narrowed: scope.narrowed.clone(),
    };
    for (source, matchers) in sources_in_scope(settings, &unteamed) {
        let query = format!("sum(increase({}[3600s]))", source.selector(&matchers));
        for (_, points) in prom.range(&query, start, end, 3_600.0).await? {
            for (t, usd) in points {
                let minute = settings.calendar.minute_of_day(t as i64 - 1_800)?;
                if usd.is_finite() {
                    profile[(minute / 60).min(23) as usize] += usd;
                }
            }
        }
    }
    Ok(profile)
}

fn sums(settings: &CostSettings, rows: &[Row], by: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for row in rows {
        *out.entry(value_of(settings, row, by)).or_insert(0.0) += row.usd;
    }
    out
}

/// The calendar month holding `now`: month to date and forecast under `scope`, per
/// value of `by` and in total.
pub async fn forecast(
    prom: &impl Prom,
    settings: &CostSettings,
    by: &str,
    scope: &Scope,
    now: f64,
) -> Result<Forecast, String> {
    let cal = &settings.calendar;
    let now_s = now.floor() as i64;
    let (month_start, month_end) = cal.month(now_s)?;
    let today = cal.day(now_s)?;
    let trailing: Vec<Day> = {
        let before = cal.days(
            today.start - (TRAILING_DAYS as i64 + 1) * 86_400,
            today.start,
        )?;
        before
            .into_iter()
            .filter(|d| d.end <= today.start)
            .rev()
            .take(TRAILING_DAYS)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect()
    };
    let month_past: Vec<Day> = cal.days(month_start, today.start)?;
    let future: Vec<Day> = cal.days(today.end, month_end)?;
    // Every complete day needed, once, in order.
    let needed: Vec<Day> = {
        let mut starts = BTreeSet::new();
        trailing
            .iter()
            .chain(&month_past)
            .filter(|d| starts.insert(d.start))
            .copied()
            .collect::<Vec<_>>()
    };
    let mut needed = needed;
    needed.sort_by_key(|d| d.start);
    let (per_day, today_rows, profile) = futures_util::future::try_join3(
        daily(prom, settings, scope, &needed),
        spend(prom, settings, scope, now, (now_s - today.start).max(1)),
        hour_profile(prom, settings, scope, &today),
    )
    .await?;
    let day_sums: BTreeMap<i64, BTreeMap<String, f64>> = needed
        .iter()
        .zip(&per_day)
        .map(|(d, rows)| (d.start, sums(settings, rows, by)))
        .collect();
    let day_totals: BTreeMap<i64, f64> = needed
        .iter()
        .zip(&per_day)
        .map(|(d, rows)| (d.start, rows.iter().map(|r| r.usd).sum()))
        .collect();
    let today_sums = sums(settings, &today_rows, by);
    let today_total: f64 = today_rows.iter().map(|r| r.usd).sum();
    let left = share_left(&profile, cal.minute_of_day(now_s)?);
    let elapsed = (1.0 - left).max(0.05);
    let future_kinds: Vec<bool> = future.iter().map(|d| d.weekend).collect();

    // A day without a single series has no data (before the counters existed, or
    // the upstream kept none): it says nothing about spend, unlike a day of zeros.
    let with_data: BTreeSet<i64> = needed
        .iter()
        .zip(&per_day)
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(d, _)| d.start)
        .collect();
    let project_group = |value: &str, trailing_of: &dyn Fn(i64) -> f64, today_usd: f64| {
        let history: Vec<(bool, f64)> = trailing
            .iter()
            .filter(|d| with_data.contains(&d.start))
            .map(|d| (d.weekend, trailing_of(d.start)))
            .collect();
        let model = DayModel::fit(&history, today_usd / elapsed);
        let month_to_date: f64 =
            month_past.iter().map(|d| trailing_of(d.start)).sum::<f64>() + today_usd;
        let projection = project(&model, today.weekend, left, &future_kinds);
        (
            GroupForecast {
                value: value.to_owned(),
                month_to_date_usd: month_to_date,
                forecast_usd: month_to_date + projection.expected,
                low_usd: month_to_date + projection.low,
                high_usd: month_to_date + projection.high,
            },
            projection,
        )
    };

    let (total, projection) = project_group(
        "total",
        &|start| day_totals.get(&start).copied().unwrap_or(0.0),
        today_total,
    );
    let mut values: BTreeSet<&String> = day_sums.values().flat_map(|m| m.keys()).collect();
    values.extend(today_sums.keys());
    let mut groups: Vec<GroupForecast> = values
        .into_iter()
        .map(|value| {
            project_group(
                value,
                &|start| {
                    day_sums
                        .get(&start)
                        .and_then(|m| m.get(value))
                        .copied()
                        .unwrap_or(0.0)
                },
                today_sums.get(value).copied().unwrap_or(0.0),
            )
            .0
        })
        .collect();
    groups.sort_by(|a, b| b.forecast_usd.total_cmp(&a.forecast_usd));

    let mut days = Vec::new();
    for d in &month_past {
        days.push(DayForecast {
            start: d.start as f64,
            usd: day_totals.get(&d.start).copied().unwrap_or(0.0),
            expected_usd: 0.0,
            low_usd: 0.0,
            high_usd: 0.0,
        });
    }
    let month_to_date = total.month_to_date_usd;
    for (k, d) in std::iter::once(&today).chain(&future).enumerate() {
        let (low, high) = projection
            .cumulative_band
            .get(k)
            .copied()
            .unwrap_or((0.0, 0.0));
        days.push(DayForecast {
            start: d.start as f64,
            usd: if k == 0 { today_total } else { 0.0 },
            expected_usd: projection.per_day.get(k).copied().unwrap_or(0.0),
            low_usd: month_to_date + low,
            high_usd: month_to_date + high,
        });
    }
    Ok(Forecast {
        month_start: month_start as f64,
        month_end: month_end as f64,
        now,
        by: by.to_owned(),
        filters: scope.filters.clone(),
        total,
        days,
        groups,
        trailing_days: trailing
            .iter()
            .filter(|d| with_data.contains(&d.start))
            .count() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::prom::table::{Table, labels};

    #[tokio::test]
    async fn a_steady_spender_is_forecast_on_its_line() {
        // $1 per hour for every series, every hour: $24 a day.
        let s = CostSettings::defaults();
        let prom = Table(|query: &str, _| {
            let hours = query
                .rsplit('[')
                .next()
                .and_then(|r| {
                    r.trim_end_matches(")")
                        .trim_end_matches("s]")
                        .parse::<f64>()
                        .ok()
                })
                .map_or(0.0, |secs| secs / 3_600.0);
            if query.contains("orchestrator") {
                vec![(labels(&[("repository", "r"), ("user", "u")]), hours)]
            } else {
                Vec::new()
            }
        });
        // 2024-02-15 12:00 UTC: 14.5 days into a 29-day month.
        let now = 1_707_998_400.0;
        let f = forecast(&prom, &s, "repository", &Scope::default(), now)
            .await
            .expect("forecast");
        assert_eq!(f.trailing_days, 14);
        assert!(
            (f.total.month_to_date_usd - 14.5 * 24.0).abs() < 1e-6,
            "{:?}",
            f.total
        );
        assert!(
            (f.total.forecast_usd - 29.0 * 24.0).abs() < 1e-6,
            "{:?}",
            f.total
        );
        assert_eq!(f.days.len(), 29);
        assert_eq!(f.groups[0].value, "r");
        assert!((f.groups[0].forecast_usd - f.total.forecast_usd).abs() < 1e-6);
        let last = f.days.last().expect("days");
        assert!((last.low_usd - f.total.low_usd).abs() < 1e-6);
    }
}
