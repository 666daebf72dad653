//! The pool of live WebSocket sessions: clients connect, exchange messages (their
//! counters grow), reconnect now and then, and leave. The pool drifts towards a target
//! size: natural churn around 10-40 sessions, or a fixed number for load tests.

use rand::rngs::StdRng;
use time::OffsetDateTime;

use super::dist::{Weighted, between, binomial, chance, lognormal, poisson, uuid};
use super::groups::{CAP, groups};

/// Mean session lifetime, seconds.
const LIFETIME_SECS: f64 = 240.0;
/// Share of the gap to the target closed per second, beyond natural churn.
const PULL: f64 = 0.2;
/// Messages a session sends per second, on average.
const SEND_RATE: f64 = 0.6;
/// Share of acknowledged in-flight messages per tick when healthy.
const ACK_SHARE: f64 = 0.85;
/// About this many sessions feed the distribution summaries per tick, which keeps
/// their quantile window at roughly the last minute whatever the pool size.
const SUMMARY_SAMPLES: usize = 16;
/// Weight of each new message in a session's recent delivery rate.
const RECENT_WEIGHT: f64 = 0.1;

/// One live session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Session id.
    pub id: String,
    /// User label value.
    pub user: &'static str,
    /// The run the session follows.
    pub run_id: String,
    /// When it connected.
    pub connected_at: OffsetDateTime,
    /// Messages sent to the client.
    pub sent: u64,
    /// Messages acknowledged by the client.
    pub received: u64,
    /// Messages that failed.
    pub failures: u64,
    /// Reconnections.
    pub reconnections: u64,
    /// Sent, neither acknowledged nor failed yet.
    pub pending: u64,
    latency_sum_ms: f64,
    latency_count: u64,
    /// Highest message latency, ms.
    pub max_latency_ms: f64,
    /// This client's typical latency, ms.
    base_latency_ms: f64,
    /// Delivery rate of the recent messages (exponentially weighted), 0-1.
    recent_delivery: f64,
}

impl Session {
    /// Mean message latency, ms (0 before the first message).
    pub fn average_latency_ms(&self) -> f64 {
        if self.latency_count == 0 {
            0.0
        } else {
            self.latency_sum_ms / self.latency_count as f64
        }
    }

    /// Share of sent messages that did not fail (1 before the first message).
    pub fn delivery_rate(&self) -> f64 {
        if self.sent == 0 {
            1.0
        } else {
            (self.sent - self.failures.min(self.sent)) as f64 / self.sent as f64
        }
    }

    /// Delivery rate of the recent messages, 0-1: what the delivery summary records,
    /// so that it follows the current state of the connection, not its whole past.
    pub fn recent_delivery_rate(&self) -> f64 {
        self.recent_delivery
    }

    /// Quality score 0-100 from recent delivery rate, latency and reconnections.
    pub fn quality(&self) -> f64 {
        let latency_penalty = (self.average_latency_ms() / 8.0).min(30.0);
        let reconnect_penalty = (5.0 * self.reconnections as f64).min(20.0);
        (100.0 * self.recent_delivery - latency_penalty - reconnect_penalty).clamp(0.0, 100.0)
    }

    fn record_outcomes(&mut self, sent: u64, failed: u64) {
        if sent == 0 {
            return;
        }
        let keep = (1.0 - RECENT_WEIGHT).powi(sent.min(1000) as i32);
        let ok = (sent - failed) as f64 / sent as f64;
        self.recent_delivery = self.recent_delivery * keep + (1.0 - keep) * ok;
    }
}

/// What happened in the pool during one tick.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PoolTick {
    /// Sessions opened.
    pub connected: u64,
    /// Sessions closed.
    pub disconnected: u64,
    /// Reconnections.
    pub reconnections: u64,
    /// Fallbacks to HTTP polling.
    pub fallbacks: u64,
    /// Messages sent.
    pub sent: u64,
    /// Messages acknowledged.
    pub received: u64,
    /// Messages failed.
    pub failures: u64,
    /// Latency of each delivered message, ms.
    pub latencies_ms: Vec<(f64, u64)>,
    /// Quality scores of a sample of sessions.
    pub quality: Vec<f64>,
    /// Delivery rates of a sample of sessions.
    pub delivery: Vec<f64>,
}

/// Conditions the pool runs under this tick.
#[derive(Debug, Clone, Copy)]
pub struct PoolConditions {
    /// Size to drift towards.
    pub target: f64,
    /// 0 when healthy, up to 1 when delivery is badly degraded.
    pub degradation: f64,
}

/// The live sessions, oldest first.
#[derive(Debug, Clone, Default)]
pub struct SessionPool {
    sessions: Vec<Session>,
}

impl SessionPool {
    /// The live sessions, oldest first.
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// Number of live sessions.
    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    /// Whether no session is live.
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    /// Messages in flight across the pool.
    pub fn queue_depth(&self) -> u64 {
        self.sessions.iter().map(|s| s.pending).sum()
    }

    /// Failed messages across the pool.
    pub fn dropped(&self) -> u64 {
        self.sessions.iter().map(|s| s.failures).sum()
    }

    /// Advances the pool by `dt` seconds.
    pub fn step(
        &mut self,
        rng: &mut StdRng,
        dt: f64,
        now: OffsetDateTime,
        conditions: PoolConditions,
        users: &Weighted,
        user_names: &[&'static str],
    ) -> PoolTick {
        let mut tick = PoolTick::default();
        let target = conditions.target.max(0.0);
        let bad = conditions.degradation.clamp(0.0, 1.0);

        // Leavers: natural churn, plus a pull down when above the target.
        let before = self.sessions.len();
        let leave = dt / LIFETIME_SECS;
        self.sessions.retain(|_| !chance(rng, leave));
        let excess = self.sessions.len() as f64 - target;
        if excess > 0.0 {
            let extra = (excess * (PULL * dt).min(1.0)).round() as usize;
            for _ in 0..extra.min(self.sessions.len()) {
                let i = rand::Rng::random_range(rng, 0..self.sessions.len());
                self.sessions.remove(i);
            }
        }
        tick.disconnected = (before - self.sessions.len()) as u64;

        // Joiners: replace churn at the target size, plus a pull up when below it.
        let deficit = (target - self.sessions.len() as f64).max(0.0);
        let arrivals = poisson(
            rng,
            target * dt / LIFETIME_SECS + deficit * (PULL * dt).min(1.0),
        );
        for _ in 0..arrivals {
            let user = user_names[users.pick(rng).min(user_names.len() - 1)];
            self.sessions.push(Session {
                id: format!("{:012x}", rand::Rng::random::<u64>(rng) & 0xffff_ffff_ffff),
                user,
                run_id: uuid(rng),
                connected_at: now.replace_nanosecond(0).unwrap_or(now),
                sent: 0,
                received: 0,
                failures: 0,
                reconnections: 0,
                pending: 0,
                latency_sum_ms: 0.0,
                latency_count: 0,
                max_latency_ms: 0.0,
                base_latency_ms: lognormal(rng, 35.0, 0.5),
                recent_delivery: 1.0,
            });
        }
        tick.connected = arrivals;

        // Traffic on every session.
        let fail_p = 0.004 + 0.3 * bad;
        let ack_share = ACK_SHARE * (1.0 - 0.6 * bad);
        let reconnect_p = dt * (0.002 + 0.03 * bad);
        let latency_factor = 1.0 + 3.0 * bad;
        for s in &mut self.sessions {
            let sent = poisson(rng, SEND_RATE * dt);
            let failed = binomial(rng, sent, fail_p);
            s.sent += sent;
            s.failures += failed;
            s.record_outcomes(sent, failed);
            s.pending += sent - failed;
            let acked = binomial(rng, s.pending, ack_share);
            s.pending -= acked;
            s.received += acked;
            for k in groups(acked, CAP) {
                let ms = lognormal(rng, s.base_latency_ms * latency_factor, 0.35);
                s.latency_sum_ms += ms * k as f64;
                s.latency_count += k;
                s.max_latency_ms = s.max_latency_ms.max(ms);
                tick.latencies_ms.push((ms, k));
            }
            if chance(rng, reconnect_p) {
                s.reconnections += 1;
                tick.reconnections += 1;
                if chance(rng, 0.1 + 0.3 * bad) {
                    tick.fallbacks += 1;
                }
            }
            tick.sent += sent;
            tick.failures += failed;
            tick.received += acked;
        }

        // A spread-out sample of sessions feeds the quality and delivery summaries.
        let stride = (self.sessions.len() / SUMMARY_SAMPLES).max(1);
        let offset = if stride > 1 {
            rand::Rng::random_range(rng, 0..stride)
        } else {
            0
        };
        for s in self
            .sessions
            .iter()
            .skip(offset)
            .step_by(stride)
            .filter(|s| s.sent > 0)
        {
            tick.quality.push(s.quality());
            tick.delivery.push(s.recent_delivery_rate());
        }
        tick
    }
}

/// The natural target: 10 sessions at night, 40 at the daily peak, with noise.
pub fn natural_target(rng: &mut StdRng, load: f64) -> f64 {
    (10.0 + 30.0 * load + between(rng, -2.0, 2.0)).clamp(8.0, 45.0)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2024-01-15 10:30 UTC);
    const USERS: [&str; 3] = ["user123", "achen", "bmartin"];

    fn run(
        pool: &mut SessionPool,
        rng: &mut StdRng,
        ticks: usize,
        c: PoolConditions,
    ) -> Vec<PoolTick> {
        let users = Weighted::new([3.0, 2.0, 1.0]);
        (0..ticks)
            .map(|_| pool.step(rng, 1.0, NOW, c, &users, &USERS))
            .collect()
    }

    #[test]
    fn churn_keeps_the_pool_near_its_target_and_counters_grow() {
        let mut rng = StdRng::seed_from_u64(5);
        let mut pool = SessionPool::default();
        let healthy = PoolConditions {
            target: 25.0,
            degradation: 0.0,
        };
        let ticks = run(&mut pool, &mut rng, 600, healthy);
        assert!((15..=35).contains(&pool.len()), "{} sessions", pool.len());
        let connected: u64 = ticks.iter().map(|t| t.connected).sum();
        let disconnected: u64 = ticks.iter().map(|t| t.disconnected).sum();
        assert_eq!(connected - disconnected, pool.len() as u64);
        assert!(disconnected > 20, "sessions do leave: {disconnected}");
        let s = &pool.sessions()[0];
        assert!(s.sent >= s.received + s.failures);
        assert!(s.delivery_rate() > 0.95);
        assert!((0.0..=100.0).contains(&s.quality()));
    }

    #[test]
    fn a_fixed_target_of_5000_is_reached_quickly() {
        let mut rng = StdRng::seed_from_u64(6);
        let mut pool = SessionPool::default();
        let load = PoolConditions {
            target: 5000.0,
            degradation: 0.0,
        };
        run(&mut pool, &mut rng, 30, load);
        assert!(
            (4500..=5500).contains(&pool.len()),
            "{} sessions",
            pool.len()
        );
        let ticks = run(&mut pool, &mut rng, 1, load);
        assert!(ticks[0].quality.len() <= SUMMARY_SAMPLES + 1);
    }

    #[test]
    fn degradation_lowers_delivery_and_grows_the_queue() {
        let mut rng = StdRng::seed_from_u64(7);
        let mut pool = SessionPool::default();
        let healthy = PoolConditions {
            target: 30.0,
            degradation: 0.0,
        };
        run(&mut pool, &mut rng, 120, healthy);
        let queue_before = pool.queue_depth();
        let degraded = PoolConditions {
            degradation: 1.0,
            ..healthy
        };
        let ticks = run(&mut pool, &mut rng, 120, degraded);
        let last = ticks.last().expect("ticks ran");
        let mean_delivery = last.delivery.iter().sum::<f64>() / last.delivery.len() as f64;
        assert!(mean_delivery < 0.95, "delivery {mean_delivery}");
        assert!(pool.queue_depth() > queue_before);
    }
}
