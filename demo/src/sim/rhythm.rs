//! The daily rhythm of traffic: more by day, less at night and on weekends, with slow
//! drift and a little jitter so no two minutes look alike.

use std::f64::consts::PI;

use rand::rngs::StdRng;
use time::{OffsetDateTime, Weekday};

use super::dist::normal;

/// Hour of day (UTC) when traffic peaks.
const PEAK_HOUR: f64 = 14.0;
/// Relaxation time of the slow drift, seconds.
const DRIFT_TAU: f64 = 900.0;
/// Standard deviation of the slow drift once settled.
const DRIFT_SD: f64 = 0.08;

/// The diurnal curve: 1.0 at the peak hour, 0.3 twelve hours later; weekends at 80 %.
pub fn diurnal(now: OffsetDateTime) -> f64 {
    let hour =
        f64::from(now.hour()) + f64::from(now.minute()) / 60.0 + f64::from(now.second()) / 3600.0;
    let day = 0.65 + 0.35 * (2.0 * PI * (hour - PEAK_HOUR) / 24.0).cos();
    match now.weekday() {
        Weekday::Saturday | Weekday::Sunday => day * 0.8,
        _ => day,
    }
}

/// Traffic level over time: the diurnal curve times a mean-reverting drift.
#[derive(Debug, Clone, Default)]
pub struct Rhythm {
    drift: f64,
}

impl Rhythm {
    /// Advances the drift by `dt` seconds and returns the load factor (about 0.1 to 1.3).
    pub fn step(&mut self, rng: &mut StdRng, dt: f64, now: OffsetDateTime) -> f64 {
        // Ornstein-Uhlenbeck: pulled back to 0, pushed by noise sized to settle at DRIFT_SD.
        let sigma = DRIFT_SD * (2.0 / DRIFT_TAU).sqrt();
        self.drift += -self.drift * dt / DRIFT_TAU + sigma * dt.sqrt() * normal(rng);
        self.drift = self.drift.clamp(-0.3, 0.3);
        let jitter = 1.0 + 0.04 * normal(rng);
        (diurnal(now) * (1.0 + self.drift) * jitter).clamp(0.05, 1.5)
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use time::macros::datetime;

    use super::*;

    #[test]
    fn day_is_busier_than_night_and_weekdays_than_weekends() {
        let afternoon = diurnal(datetime!(2024-01-17 14:00 UTC));
        let night = diurnal(datetime!(2024-01-17 02:00 UTC));
        let saturday = diurnal(datetime!(2024-01-20 14:00 UTC));
        assert!((afternoon - 1.0).abs() < 1e-9);
        assert!((night - 0.3).abs() < 1e-9);
        assert!(saturday < afternoon && saturday > night);
    }

    #[test]
    fn load_stays_near_the_curve() {
        let mut rng = StdRng::seed_from_u64(9);
        let mut rhythm = Rhythm::default();
        let now = datetime!(2024-01-17 14:00 UTC);
        let loads: Vec<f64> = (0..3600).map(|_| rhythm.step(&mut rng, 1.0, now)).collect();
        let mean = loads.iter().sum::<f64>() / loads.len() as f64;
        assert!((0.75..1.25).contains(&mean), "mean {mean}");
        assert!(loads.iter().all(|l| (0.05..=1.5).contains(l)));
    }
}
