//! Slowly moving quantities: gauges that wander around a target, and ratios over a
//! rolling window.

use rand::rngs::StdRng;

use super::dist::normal;

/// A value pulled towards a target with time constant `tau`, plus noise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// Current value.
    pub value: f64,
}

impl Level {
    /// Starts at `value`.
    pub fn new(value: f64) -> Self {
        Self { value }
    }

    /// Moves towards `target` over `dt` seconds; `noise` is the relative noise per tick.
    pub fn step(&mut self, rng: &mut StdRng, target: f64, dt: f64, tau: f64, noise: f64) -> f64 {
        let pull = (dt / tau.max(dt)).min(1.0);
        self.value += (target - self.value) * pull;
        self.value *= 1.0 + noise * normal(rng);
        self.value = self.value.max(0.0);
        self.value
    }
}

/// Share of good events over a rolling window (exponentially decayed counts).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RollingRatio {
    window: f64,
    good: f64,
    total: f64,
}

impl RollingRatio {
    /// A ratio over roughly `window` seconds.
    pub fn new(window: f64) -> Self {
        Self {
            window,
            good: 0.0,
            total: 0.0,
        }
    }

    /// Adds `good` out of `total` events that happened in the last `dt` seconds.
    pub fn add(&mut self, good: u64, total: u64, dt: f64) {
        let keep = (-dt / self.window).exp();
        self.good = self.good * keep + good as f64;
        self.total = self.total * keep + total as f64;
    }

    /// Good share, 0-1 (1 when nothing happened).
    pub fn ratio(&self) -> f64 {
        if self.total < 1e-9 {
            1.0
        } else {
            (self.good / self.total).clamp(0.0, 1.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn level_converges_to_its_target() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut level = Level::new(0.0);
        for _ in 0..300 {
            level.step(&mut rng, 50.0, 1.0, 30.0, 0.01);
        }
        assert!((45.0..55.0).contains(&level.value), "{}", level.value);
    }

    #[test]
    fn rolling_ratio_forgets_the_past() {
        let mut ratio = RollingRatio::new(60.0);
        assert_eq!(ratio.ratio(), 1.0);
        for _ in 0..600 {
            ratio.add(10, 10, 1.0);
        }
        for _ in 0..300 {
            ratio.add(5, 10, 1.0);
        }
        assert!((ratio.ratio() - 0.5).abs() < 0.01, "{}", ratio.ratio());
    }
}
