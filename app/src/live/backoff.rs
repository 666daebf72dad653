//! How long to wait before reconnecting: doubling from half a second up to 30 s, with
//! jitter so that a wall of screens does not reconnect in one burst after a restart.

/// The first delay, ms.
const BASE_MS: f64 = 500.0;
/// The longest delay, ms.
const CAP_MS: f64 = 30_000.0;

/// The delay before attempt `attempt` (0 for the first retry); `random` is uniform in
/// [0, 1). "Equal jitter": between half and all of the exponential delay.
pub fn delay_ms(attempt: u32, random: f64) -> u64 {
    let exponential = (BASE_MS * 2f64.powi(attempt.min(16) as i32)).min(CAP_MS);
    let random = random.clamp(0.0, 1.0);
    (exponential / 2.0 + exponential / 2.0 * random).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap_with_jitter() {
        assert_eq!(delay_ms(0, 0.0), 250);
        assert_eq!(delay_ms(0, 1.0), 500);
        assert_eq!(delay_ms(1, 0.5), 750);
        assert_eq!(delay_ms(3, 1.0), 4_000);
        assert_eq!(delay_ms(10, 1.0), 30_000);
        assert_eq!(delay_ms(u32::MAX, 0.0), 15_000);
        // Two screens with different luck do not retry together.
        assert_ne!(delay_ms(4, 0.1), delay_ms(4, 0.9));
    }
}
