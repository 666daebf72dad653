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
use super::spend::{Row, Scope, keep_teams, sources_in_scope, spend, value_of};

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
    let queries: Vec<String> = sources_in_scope(settings, &unteamed)
        .into_iter()
        .map(|(source, matchers)| format!("sum(increase({}[3600s]))", source.selector(&matchers)))
        .collect();
    let answers = futures_util::future::try_join_all(
        queries
            .iter()
            .map(|query| prom.range(query, start, end, 3_600.0)),
    )
    .await?;
    for answer in answers {
        for (_, points) in answer {
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

/// What a forecast reads from Prometheus for one scope at one time: the calendar, the
/// spend per series of every complete day it needs, of today so far, and the last
/// week's hour-of-day rhythm. Forecasts by any grouping, and of any team within the
/// scope ([`Gathered::within`]), are projected from it without asking again.
#[derive(Debug, Clone)]
pub struct Gathered {
    now: f64,
    month_start: i64,
    month_end: i64,
    today: Day,
    trailing: Vec<Day>,
    month_past: Vec<Day>,
    future: Vec<Day>,
    /// Every complete day needed, once, in order, and its rows.
    needed: Vec<Day>,
    per_day: Vec<Vec<Row>>,
    today_rows: Vec<Row>,
    profile: [f64; 24],
    filters: Vec<(String, String)>,
}

impl Gathered {
    /// The same spend narrowed to `scope`'s team filters (teams are applied to rows, so
    /// a team's forecast needs nothing more from Prometheus than its sources' spend).
    pub fn within(&self, settings: &CostSettings, scope: &Scope) -> Gathered {
        let keep = |rows: &Vec<Row>| keep_teams(settings, scope, rows.clone());
        let mut filters = self.filters.clone();
        filters.extend(
            scope
                .filters
                .iter()
                .filter(|f| !filters.contains(f))
                .cloned()
                .collect::<Vec<_>>(),
        );
        Gathered {
            per_day: self.per_day.iter().map(keep).collect(),
            today_rows: keep(&self.today_rows),
            filters,
            ..self.clone()
        }
    }
}

/// Reads what a forecast of the calendar month holding `now` under `scope` needs.
pub async fn gather(
    prom: &impl Prom,
    settings: &CostSettings,
    scope: &Scope,
    now: f64,
) -> Result<Gathered, String> {
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
    let mut needed: Vec<Day> = {
        let mut starts = BTreeSet::new();
        trailing
            .iter()
            .chain(&month_past)
            .filter(|d| starts.insert(d.start))
            .copied()
            .collect()
    };
    needed.sort_by_key(|d| d.start);
    let (per_day, today_rows, profile) = futures_util::future::try_join3(
        daily(prom, settings, scope, &needed),
        spend(prom, settings, scope, now, (now_s - today.start).max(1)),
        hour_profile(prom, settings, scope, &today),
    )
    .await?;
    Ok(Gathered {
        now,
        month_start,
        month_end,
        today,
        trailing,
        month_past,
        future,
        needed,
        per_day,
        today_rows,
        profile,
        filters: scope.filters.clone(),
    })
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
    let gathered = gather(prom, settings, scope, now).await?;
    project_month(settings, &gathered, by)
}

/// Month to date and the forecast per value of `by` and in total, from what was read.
pub fn project_month(settings: &CostSettings, g: &Gathered, by: &str) -> Result<Forecast, String> {
    let cal = &settings.calendar;
    let day_sums: BTreeMap<i64, BTreeMap<String, f64>> = g
        .needed
        .iter()
        .zip(&g.per_day)
        .map(|(d, rows)| (d.start, sums(settings, rows, by)))
        .collect();
    let day_totals: BTreeMap<i64, f64> = g
        .needed
        .iter()
        .zip(&g.per_day)
        .map(|(d, rows)| (d.start, rows.iter().map(|r| r.usd).sum()))
        .collect();
    let today_sums = sums(settings, &g.today_rows, by);
    let today_total: f64 = g.today_rows.iter().map(|r| r.usd).sum();
    let left = share_left(&g.profile, cal.minute_of_day(g.now.floor() as i64)?);
    let elapsed = (1.0 - left).max(0.05);
    let future_kinds: Vec<bool> = g.future.iter().map(|d| d.weekend).collect();

    // A day without a single series has no data (before the counters existed, or
    // the upstream kept none): it says nothing about spend, unlike a day of zeros.
    let with_data: BTreeSet<i64> = g
        .needed
        .iter()
        .zip(&g.per_day)
        .filter(|(_, rows)| !rows.is_empty())
        .map(|(d, _)| d.start)
        .collect();
    let project_group = |value: &str, trailing_of: &dyn Fn(i64) -> f64, today_usd: f64| {
        let history: Vec<(bool, f64)> = g
            .trailing
            .iter()
            .filter(|d| with_data.contains(&d.start))
            .map(|d| (d.weekend, trailing_of(d.start)))
            .collect();
        let model = DayModel::fit(&history, today_usd / elapsed);
        let month_to_date: f64 = g
            .month_past
            .iter()
            .map(|d| trailing_of(d.start))
            .sum::<f64>()
            + today_usd;
        let projection = project(&model, g.today.weekend, left, &future_kinds);
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
    for d in &g.month_past {
        days.push(DayForecast {
            start: d.start as f64,
            usd: day_totals.get(&d.start).copied().unwrap_or(0.0),
            expected_usd: 0.0,
            low_usd: 0.0,
            high_usd: 0.0,
        });
    }
    let month_to_date = total.month_to_date_usd;
    for (k, d) in std::iter::once(&g.today).chain(&g.future).enumerate() {
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
        month_start: g.month_start as f64,
        month_end: g.month_end as f64,
        now: g.now,
        by: by.to_owned(),
        filters: g.filters.clone(),
        total,
        days,
        groups,
        trailing_days: g
            .trailing
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

    #[tokio::test]
    async fn a_team_within_everything_is_the_team_forecast() {
        let mut s = CostSettings::defaults();
        s.teams = vec![vantage_api::cost::TeamInfo {
            name: "t".into(),
            repositories: vec!["r1".into()],
            users: Vec::new(),
        }];
        let prom = Table(|query: &str, at: f64| {
            if query.contains("orchestrator") {
                let k = 1.0 + (at / 86_400.0).floor() % 3.0;
                vec![
                    (labels(&[("repository", "r1"), ("user", "u")]), k),
                    (labels(&[("repository", "r2"), ("user", "u")]), 2.0 * k),
                ]
            } else {
                vec![(labels(&[("model", "m")]), 5.0)]
            }
        });
        let now = 1_707_998_400.0;
        let team = Scope {
            filters: vec![("team".into(), "t".into())],
            narrowed: None,
        };
        let direct = forecast(&prom, &s, "source", &team, now)
            .await
            .expect("forecast");
        let all = gather(&prom, &s, &Scope::default(), now)
            .await
            .expect("gather");
        let derived = project_month(&s, &all.within(&s, &team), "source").expect("project");
        assert_eq!(derived, direct);
        assert!(direct.total.month_to_date_usd > 0.0);
    }
}
