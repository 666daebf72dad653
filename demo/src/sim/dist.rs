//! Sampling helpers on top of the one seeded generator.

use rand::Rng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Poisson, StandardNormal};

/// A standard normal sample.
pub fn normal(rng: &mut StdRng) -> f64 {
    rng.sample(StandardNormal)
}

/// How many of a Poisson process with `mean` events happen (0 for a mean <= 0).
pub fn poisson(rng: &mut StdRng, mean: f64) -> u64 {
    if !(mean.is_finite() && mean > 0.0) {
        return 0;
    }
    match Poisson::new(mean) {
        Ok(dist) => dist.sample(rng) as u64,
        Err(_) => mean.round() as u64,
    }
}

/// A log-normal sample with the given median and shape.
pub fn lognormal(rng: &mut StdRng, median: f64, sigma: f64) -> f64 {
    median * (sigma * normal(rng)).exp()
}

/// A latency with a long tail: log-normal, plus a rare outlier 4 to 12 times slower.
pub fn long_tail(rng: &mut StdRng, median: f64, sigma: f64, outlier_probability: f64) -> f64 {
    let value = lognormal(rng, median, sigma);
    if rng.random_bool(outlier_probability.clamp(0.0, 1.0)) {
        value * rng.random_range(4.0..12.0)
    } else {
        value
    }
}

/// A uniform sample in `[low, high)` (or `low` when the range is empty).
pub fn between(rng: &mut StdRng, low: f64, high: f64) -> f64 {
    if high > low {
        rng.random_range(low..high)
    } else {
        low
    }
}

/// A Bernoulli trial that tolerates any probability (clamped to 0..=1).
pub fn chance(rng: &mut StdRng, probability: f64) -> bool {
    if probability.is_nan() {
        return false;
    }
    rng.random_bool(probability.clamp(0.0, 1.0))
}

/// How many of `n` trials succeed with probability `p` (exact for small `n`, a normal
/// approximation for large ones, so thousands of messages cost one draw).
pub fn binomial(rng: &mut StdRng, n: u64, p: f64) -> u64 {
    let p = p.clamp(0.0, 1.0);
    if n == 0 || p == 0.0 {
        return 0;
    }
    if n <= 32 {
        return (0..n).filter(|_| rng.random_bool(p)).count() as u64;
    }
    let mean = n as f64 * p;
    let sd = (mean * (1.0 - p)).sqrt();
    (mean + sd * normal(rng)).round().clamp(0.0, n as f64) as u64
}

/// Picks indices with fixed relative weights.
#[derive(Debug, Clone)]
pub struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    /// From relative weights (negative ones count as zero).
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect();
        Self { cumulative }
    }

    /// A random index (0 when every weight is zero).
    pub fn pick(&self, rng: &mut StdRng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        if total <= 0.0 {
            return 0;
        }
        let x = rng.random_range(0.0..total);
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }
}

/// A random UUID (version 4 layout), e.g. for run ids.
pub fn uuid(rng: &mut StdRng) -> String {
    let mut bytes: [u8; 16] = rng.random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn weighted_follows_weights() {
        let mut rng = StdRng::seed_from_u64(1);
        let w = Weighted::new([1.0, 0.0, 3.0]);
        let mut counts = [0u32; 3];
        for _ in 0..40_000 {
            counts[w.pick(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        let ratio = f64::from(counts[2]) / f64::from(counts[0]);
        assert!((2.7..3.3).contains(&ratio), "ratio {ratio}");
    }

    #[test]
    fn long_tail_has_outliers_beyond_the_lognormal_body() {
        let mut rng = StdRng::seed_from_u64(2);
        let mut samples: Vec<f64> = (0..20_000)
            .map(|_| long_tail(&mut rng, 100.0, 0.5, 0.01))
            .collect();
        samples.sort_by(f64::total_cmp);
        let median = samples[samples.len() / 2];
        let p999 = samples[samples.len() * 999 / 1000];
        assert!((90.0..110.0).contains(&median), "median {median}");
        assert!(p999 > 600.0, "p99.9 {p999}");
    }

    #[test]
    fn poisson_and_binomial_handle_edges() {
        let mut rng = StdRng::seed_from_u64(3);
        assert_eq!(poisson(&mut rng, 0.0), 0);
        assert_eq!(poisson(&mut rng, f64::NAN), 0);
        assert_eq!(binomial(&mut rng, 0, 0.5), 0);
        assert!(binomial(&mut rng, 10_000, 0.5) > 4_000);
        let total: u64 = (0..1000).map(|_| poisson(&mut rng, 2.0)).sum();
        assert!((1800..2200).contains(&total), "{total}");
    }

    #[test]
    fn uuid_is_uuid_shaped() {
        let mut rng = StdRng::seed_from_u64(4);
        let id = uuid(&mut rng);
        let parts: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(parts, vec![8, 4, 4, 4, 12]);
        assert_eq!(&id[14..15], "4");
    }
}
