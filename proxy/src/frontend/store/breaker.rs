//! A circuit breaker for the shared store: after a few failures in a row the store is
//! left alone (answers come from the upstream, as without a shared cache), then one
//! request at a time probes it again, with a growing pause while it keeps failing.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures in a row that open the circuit.
const FAILURES_TO_OPEN: u32 = 3;
/// First pause before probing again; doubled after each failed probe up to the most.
const FIRST_PAUSE: Duration = Duration::from_millis(500);
const LONGEST_PAUSE: Duration = Duration::from_secs(5);
/// A probe that never reported back (its request was cancelled) is given up after this.
const PROBE_LIMIT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Closed { failures: u32 },
    Open { until: Instant, pause: Duration },
    Probing { since: Instant, pause: Duration },
}

/// The breaker; times are passed in so that tests need no clock.
#[derive(Debug)]
pub struct Breaker {
    state: Mutex<State>,
}

impl Default for Breaker {
    fn default() -> Self {
        Breaker {
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }
}

impl Breaker {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Whether a request may go to the store now (an open circuit lets one probe
    /// through once its pause is over).
    pub fn allow(&self, now: Instant) -> bool {
        self.with(|state| match *state {
            State::Closed { .. } => true,
            State::Open { until, pause } if now >= until => {
                *state = State::Probing { since: now, pause };
                true
            }
            State::Open { .. } => false,
            State::Probing { since, pause } if now >= since + PROBE_LIMIT => {
                *state = State::Probing { since: now, pause };
                true
            }
            State::Probing { .. } => false,
        })
    }

    /// The store answered.
    pub fn success(&self) {
        self.with(|state| *state = State::Closed { failures: 0 });
    }

    /// The store failed or was too slow. Returns true when this opened the circuit.
    pub fn failure(&self, now: Instant) -> bool {
        self.with(|state| match *state {
            State::Closed { failures } if failures + 1 >= FAILURES_TO_OPEN => {
                *state = State::Open {
                    until: now + FIRST_PAUSE,
                    pause: FIRST_PAUSE,
                };
                true
            }
            State::Closed { failures } => {
                *state = State::Closed {
                    failures: failures + 1,
                };
                false
            }
            State::Probing { pause, .. } | State::Open { pause, .. } => {
                let pause = (pause * 2).min(LONGEST_PAUSE);
                *state = State::Open {
                    until: now + pause,
                    pause,
                };
                false
            }
        })
    }

    /// Whether requests go to the store (for the `up` gauge).
    pub fn closed(&self) -> bool {
        self.with(|state| matches!(state, State::Closed { .. }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_failures_and_probes_with_growing_pauses() {
        let breaker = Breaker::default();
        let t0 = Instant::now();
        assert!(breaker.allow(t0));
        assert!(!breaker.failure(t0));
        breaker.success();
        assert!(!breaker.failure(t0));
        assert!(!breaker.failure(t0));
        assert!(breaker.failure(t0), "third in a row opens");
        assert!(!breaker.closed());
        assert!(!breaker.allow(t0 + Duration::from_millis(100)));
        let t1 = t0 + FIRST_PAUSE;
        assert!(breaker.allow(t1), "one probe");
        assert!(!breaker.allow(t1), "only one");
        assert!(!breaker.failure(t1));
        assert!(!breaker.allow(t1 + FIRST_PAUSE), "the pause doubled");
        let t2 = t1 + FIRST_PAUSE * 2;
        assert!(breaker.allow(t2));
        breaker.success();
        assert!(breaker.closed());
        assert!(breaker.allow(t2));
    }

    #[test]
    fn pauses_are_bounded_and_lost_probes_retried() {
        let breaker = Breaker::default();
        let mut now = Instant::now();
        for _ in 0..3 {
            breaker.failure(now);
        }
        for _ in 0..10 {
            now += LONGEST_PAUSE;
            assert!(breaker.allow(now), "never paused longer than the most");
            breaker.failure(now);
        }
        now += LONGEST_PAUSE;
        assert!(breaker.allow(now));
        // The probe's request was cancelled and never reported.
        assert!(!breaker.allow(now + Duration::from_millis(10)));
        assert!(breaker.allow(now + PROBE_LIMIT));
    }
}
