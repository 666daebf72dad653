//! One agent's circuit breaker: CLOSED until an incident trips it, OPEN for one to four
//! minutes, then HALF_OPEN for about thirty seconds, after which it closes or, now and
//! then, opens again.

use rand::rngs::StdRng;
use time::OffsetDateTime;
use vantage_api::management::CircuitBreakerState;

use super::dist::{between, chance};

/// How long a breaker stays OPEN after tripping, seconds.
const OPEN_SECS: (f64, f64) = (60.0, 240.0);
/// How long it stays OPEN after failing its trial calls, seconds.
const REOPEN_SECS: (f64, f64) = (45.0, 120.0);
/// How long the HALF_OPEN trial lasts, seconds.
const HALF_OPEN_SECS: (f64, f64) = (25.0, 35.0);
/// How often the trial fails and the breaker opens again.
const REOPEN_PROBABILITY: f64 = 0.3;

/// A state change, for the event log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// State before.
    pub from: CircuitBreakerState,
    /// State after.
    pub to: CircuitBreakerState,
}

/// The breaker of one graft agent.
#[derive(Debug, Clone)]
pub struct Breaker {
    /// Agent name.
    pub agent: &'static str,
    state: CircuitBreakerState,
    since: OffsetDateTime,
    /// Simulation time when the current OPEN or HALF_OPEN phase ends.
    phase_ends: f64,
    /// Whether the current HALF_OPEN trial is going to fail.
    trial_fails: bool,
}

impl Breaker {
    /// A closed breaker.
    pub fn new(agent: &'static str, now: OffsetDateTime) -> Self {
        Self {
            agent,
            state: CircuitBreakerState::Closed,
            since: now,
            phase_ends: 0.0,
            trial_fails: false,
        }
    }

    /// Current state.
    pub fn state(&self) -> CircuitBreakerState {
        self.state
    }

    /// When the current state began.
    pub fn since(&self) -> OffsetDateTime {
        self.since
    }

    /// Share of calls that fail in the current state, before any incident: OPEN
    /// rejects everything, a failing trial fails half its calls.
    pub fn failure_share(&self) -> f64 {
        match self.state {
            CircuitBreakerState::Closed => 0.0,
            CircuitBreakerState::Open => 1.0,
            CircuitBreakerState::HalfOpen if self.trial_fails => 0.5,
            CircuitBreakerState::HalfOpen => 0.03,
        }
    }

    /// Opens a CLOSED breaker (an incident: calls fail and time out). Does nothing to
    /// a breaker that is already OPEN or HALF_OPEN.
    pub fn trip(&mut self, t: f64, now: OffsetDateTime, rng: &mut StdRng) -> Option<Transition> {
        if self.state != CircuitBreakerState::Closed {
            return None;
        }
        Some(self.open(t, now, between(rng, OPEN_SECS.0, OPEN_SECS.1)))
    }

    /// Moves through OPEN -> HALF_OPEN -> CLOSED (or back to OPEN) as time passes.
    pub fn advance(&mut self, t: f64, now: OffsetDateTime, rng: &mut StdRng) -> Option<Transition> {
        if self.state == CircuitBreakerState::Closed || t < self.phase_ends {
            return None;
        }
        let from = self.state;
        match self.state {
            CircuitBreakerState::Open => {
                self.state = CircuitBreakerState::HalfOpen;
                self.since = now;
                self.phase_ends = t + between(rng, HALF_OPEN_SECS.0, HALF_OPEN_SECS.1);
                self.trial_fails = chance(rng, REOPEN_PROBABILITY);
                Some(Transition {
                    from,
                    to: self.state,
                })
            }
            CircuitBreakerState::HalfOpen if self.trial_fails => {
                let secs = between(rng, REOPEN_SECS.0, REOPEN_SECS.1);
                Some(self.open(t, now, secs))
            }
            _ => Some(self.close(now)),
        }
    }

    /// Closes the breaker whatever its state (the management reset).
    pub fn reset(&mut self, now: OffsetDateTime) -> Transition {
        self.close(now)
    }

    fn open(&mut self, t: f64, now: OffsetDateTime, secs: f64) -> Transition {
        let from = self.state;
        self.state = CircuitBreakerState::Open;
        self.since = now;
        self.phase_ends = t + secs;
        self.trial_fails = false;
        Transition {
            from,
            to: self.state,
        }
    }

    fn close(&mut self, now: OffsetDateTime) -> Transition {
        let from = self.state;
        self.state = CircuitBreakerState::Closed;
        self.since = now;
        self.trial_fails = false;
        Transition {
            from,
            to: self.state,
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use time::macros::datetime;

    use super::*;
    use CircuitBreakerState::{Closed, HalfOpen, Open};

    const NOW: OffsetDateTime = datetime!(2024-01-15 10:30 UTC);

    /// Runs a tripped breaker second by second and returns each state change's time.
    fn run(seed: u64) -> Vec<(f64, CircuitBreakerState)> {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut breaker = Breaker::new("architect-v1", NOW);
        let mut log = Vec::new();
        let opened = breaker
            .trip(0.0, NOW, &mut rng)
            .expect("a closed breaker trips");
        log.push((0.0, opened.to));
        for s in 1..3600 {
            let t = f64::from(s);
            if let Some(change) = breaker.advance(t, NOW, &mut rng) {
                log.push((t, change.to));
                if change.to == Closed {
                    break;
                }
            }
        }
        log
    }

    #[test]
    fn open_lasts_minutes_then_half_open_then_closed_or_open_again() {
        let mut reopened = 0;
        for seed in 0..200 {
            let log = run(seed);
            assert_eq!(log[0].1, Open);
            assert_eq!(log.last().map(|e| e.1), Some(Closed), "seed {seed}");
            for pair in log.windows(2) {
                let ((t0, from), (t1, to)) = (pair[0], pair[1]);
                match (from, to) {
                    (Open, HalfOpen) => assert!((45.0..=241.0).contains(&(t1 - t0))),
                    (HalfOpen, Closed | Open) => assert!((25.0..=36.0).contains(&(t1 - t0))),
                    other => panic!("unexpected transition {other:?}"),
                }
                if (from, to) == (HalfOpen, Open) {
                    reopened += 1;
                }
            }
        }
        assert!((20..120).contains(&reopened), "{reopened} re-openings");
    }

    #[test]
    fn trip_only_from_closed_and_reset_closes() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut breaker = Breaker::new("pm-v1", NOW);
        assert!(breaker.trip(0.0, NOW, &mut rng).is_some());
        assert!(breaker.trip(1.0, NOW, &mut rng).is_none());
        assert_eq!(breaker.failure_share(), 1.0);
        let later = datetime!(2024-01-15 10:31 UTC);
        let change = breaker.reset(later);
        assert_eq!((change.from, change.to), (Open, Closed));
        assert_eq!(breaker.since(), later);
        assert!(breaker.advance(10_000.0, later, &mut rng).is_none());
    }
}
