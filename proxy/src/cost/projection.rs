//! The month-end forecast: what is left of today and each remaining day is expected to
//! cost what the same kind of day (weekday or weekend) cost on average over the
//! trailing days, and today's remainder follows the hour-of-day rhythm of the last week.
//! The band is 80 % (±1.28 standard deviations of a day of that kind, the days taken
//! as independent).

/// How many standard deviations the band spans on each side (80 % of a normal).
const Z80: f64 = 1.2816;

/// Expected spend of one day of each kind, and how much it varies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayModel {
    pub weekday: (f64, f64),
    pub weekend: (f64, f64),
}

fn mean_sd(values: &[f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = if values.len() > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        // One day says little about the spread: assume a third of the mean.
        mean / 3.0
    };
    Some((mean, sd))
}

impl DayModel {
    /// From trailing complete days `(weekend, usd)`. With no history at all, `fallback`
    /// (today's spend scaled to a whole day) stands for every day.
    pub fn fit(days: &[(bool, f64)], fallback: f64) -> Self {
        let of = |weekend: bool| -> Vec<f64> {
            days.iter()
                .filter(|(w, _)| *w == weekend)
                .map(|(_, v)| *v)
                .collect()
        };
        let all: Vec<f64> = days.iter().map(|(_, v)| *v).collect();
        let any = mean_sd(&all).unwrap_or((fallback, fallback / 2.0));
        DayModel {
            weekday: mean_sd(&of(false)).unwrap_or(any),
            weekend: mean_sd(&of(true)).unwrap_or(any),
        }
    }

    pub fn of(&self, weekend: bool) -> (f64, f64) {
        if weekend { self.weekend } else { self.weekday }
    }
}

/// The share of a day's spend still to come at `minute` past local midnight, from an
/// hour-of-day profile (spend per local hour, any scale); a flat day when empty.
pub fn share_left(profile: &[f64; 24], minute: u32) -> f64 {
    let total: f64 = profile.iter().sum();
    let minute = f64::from(minute.min(24 * 60));
    // No spend at all (or no number): a flat day.
    if total.is_nan() || total <= 0.0 {
        return 1.0 - minute / 1440.0;
    }
    let hour = (minute / 60.0).floor() as usize;
    let within = (minute - hour as f64 * 60.0) / 60.0;
    let rest: f64 = profile.iter().skip(hour + 1).sum();
    let this = profile.get(hour).copied().unwrap_or(0.0) * (1.0 - within);
    ((rest + this) / total).clamp(0.0, 1.0)
}

/// A forecast: spend still expected and its band, per remaining day cumulated.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// Expected spend per remaining day (today's remainder first).
    pub per_day: Vec<f64>,
    /// Cumulative 80 % band of what remains, at the end of each remaining day.
    pub cumulative_band: Vec<(f64, f64)>,
    pub expected: f64,
    pub low: f64,
    pub high: f64,
}

/// The spend expected from now to the month's end: `today_left` of today (a day of kind
/// `today_weekend`), then each of `future` (their kinds).
pub fn project(
    model: &DayModel,
    today_weekend: bool,
    today_left: f64,
    future: &[bool],
) -> Projection {
    let mut per_day = Vec::with_capacity(future.len() + 1);
    let mut cumulative_band = Vec::with_capacity(future.len() + 1);
    let (mean, sd) = model.of(today_weekend);
    let mut expected = mean * today_left;
    let mut variance = (sd * today_left).powi(2);
    per_day.push(expected);
    cumulative_band.push((
        expected - Z80 * variance.sqrt(),
        expected + Z80 * variance.sqrt(),
    ));
    for weekend in future {
        let (mean, sd) = model.of(*weekend);
        expected += mean;
        variance += sd * sd;
        per_day.push(mean);
        let spread = Z80 * variance.sqrt();
        cumulative_band.push(((expected - spread).max(0.0), expected + spread));
    }
    let spread = Z80 * variance.sqrt();
    Projection {
        per_day,
        cumulative_band,
        expected,
        low: (expected - spread).max(0.0),
        high: expected + spread,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_weekends_are_expected_apart() {
        let days = [
            (false, 100.0),
            (false, 110.0),
            (false, 90.0),
            (true, 40.0),
            (true, 60.0),
        ];
        let model = DayModel::fit(&days, 0.0);
        assert_eq!(model.weekday.0, 100.0);
        assert_eq!(model.weekend.0, 50.0);
        // Half of a weekday left, then two weekdays and a weekend day.
        let p = project(&model, false, 0.5, &[false, false, true]);
        assert_eq!(p.expected, 50.0 + 200.0 + 50.0);
        assert_eq!(p.per_day, vec![50.0, 100.0, 100.0, 50.0]);
        assert!(p.low < p.expected && p.expected < p.high);
        assert!(p.cumulative_band.windows(2).all(|w| w[0].1 <= w[1].1));
        let spread = p.high - p.expected;
        let sd_weekday = 10.0;
        let sd_weekend = (200.0f64).sqrt();
        let want =
            Z80 * ((5.0f64).powi(2) + 2.0 * sd_weekday * sd_weekday + sd_weekend.powi(2)).sqrt();
        assert!((spread - want).abs() < 1e-9);
    }

    #[test]
    fn without_history_today_stands_for_every_day() {
        let model = DayModel::fit(&[], 24.0);
        assert_eq!(model.weekday.0, 24.0);
        assert_eq!(project(&model, false, 0.0, &[true]).expected, 24.0);
    }

    #[test]
    fn the_rest_of_the_day_follows_the_rhythm() {
        let mut profile = [1.0; 24];
        profile[14] = 25.0; // the afternoon peak carries half the day
        assert!((share_left(&profile, 0) - 1.0).abs() < 1e-12);
        assert!((share_left(&profile, 15 * 60) - 9.0 / 48.0).abs() < 1e-12);
        assert!((share_left(&profile, 14 * 60 + 30) - (9.0 + 12.5) / 48.0).abs() < 1e-12);
        assert!((share_left(&[0.0; 24], 720) - 0.5).abs() < 1e-12);
    }
}
