//! The AI orchestrator (seed 000): agent executions through graft circuit breakers,
//! cost attribution, WebSocket sessions, JWT refreshes and Vault rotations.

use rand::rngs::StdRng;
use time::OffsetDateTime;
use vantage_api::management::CircuitBreakerState;

use super::Tick;
use super::breakers::{Breaker, Transition};
use super::cost::CostModel;
use super::dist::{Weighted, between, binomial, chance, lognormal, long_tail, poisson};
use super::events::Event;
use super::groups::{CAP, groups};
use super::sessions::{PoolConditions, SessionPool, natural_target};
use crate::catalog::orchestrator::{
    AGENT_MEDIAN_MS, AGENT_MIX, AGENT_TYPES, Cardinality, GRAFT_AGENTS, SECRETS, USERS,
};
use crate::metrics::orchestrator::OrchestratorMetrics;

/// Agent executions per second at the daily peak.
pub const PEAK_EXECUTIONS_PER_SEC: f64 = 4.0;
/// Spread of execution latency.
const LATENCY_SIGMA: f64 = 0.5;
/// Share of executions that are far slower than usual.
const OUTLIER_SHARE: f64 = 0.01;
/// Share of executions failing and timing out on a healthy agent.
const FAILURE_SHARE: f64 = 0.012;
const TIMEOUT_SHARE: f64 = 0.004;
/// Latency of a timed-out execution, ms.
const TIMEOUT_MS: f64 = 30_000.0;
/// JWT refreshes per second at the daily peak, and the share failing normally.
const JWT_REFRESH_PER_SEC: f64 = 0.35;
const JWT_FAILURE_SHARE: f64 = 0.01;
/// Seconds between Vault rotations (fast demo time), and how often one fails.
const ROTATION_SECS: (f64, f64) = (180.0, 360.0);
const ROTATION_FAILURE_SHARE: f64 = 0.05;

/// The orchestrator's state.
#[derive(Debug, Clone)]
pub struct OrchestratorSim {
    breakers: Vec<Breaker>,
    sessions: SessionPool,
    cost: CostModel,
    agent_mix: Weighted,
    session_users: Weighted,
    next_rotation: f64,
    next_secret: usize,
    failing_secret: Option<usize>,
    fixed_sessions: Option<usize>,
}

impl OrchestratorSim {
    /// Closed breakers, no sessions; `fixed_sessions` pins the pool size, `cardinality`
    /// says how many repositories and users spend.
    pub fn new(
        rng: &mut StdRng,
        now: OffsetDateTime,
        fixed_sessions: Option<usize>,
        cardinality: Cardinality,
    ) -> Self {
        Self {
            breakers: GRAFT_AGENTS.iter().map(|a| Breaker::new(a, now)).collect(),
            sessions: SessionPool::default(),
            cost: CostModel::new(cardinality),
            agent_mix: Weighted::new(AGENT_MIX),
            session_users: Weighted::new((0..USERS.len()).map(|i| 1.0 / (i as f64 + 1.0))),
            // The scheduler catches up on start-up: the first rotation comes right away,
            // so the rotation success rate has a value from the first minute.
            next_rotation: between(rng, 1.0, 3.0),
            next_secret: 0,
            failing_secret: None,
            fixed_sessions,
        }
    }

    /// The breakers, in catalog order.
    pub fn breakers(&self) -> &[Breaker] {
        &self.breakers
    }

    /// The live WebSocket sessions.
    pub fn sessions(&self) -> &SessionPool {
        &self.sessions
    }

    /// The cost model (pairs and heavy hitters).
    pub fn cost_model(&self) -> &CostModel {
        &self.cost
    }

    /// Trips the breaker of `agent`, or of the next CLOSED one if it is not closed.
    /// The calls that fail and time out on the way in show up at once.
    pub fn trip(
        &mut self,
        agent: usize,
        tick: &Tick,
        rng: &mut StdRng,
        m: &OrchestratorMetrics,
        events: &mut Vec<Event>,
    ) {
        let n = self.breakers.len();
        let Some(index) = (0..n)
            .map(|k| (agent + k) % n)
            .find(|&i| self.breakers[i].state() == CircuitBreakerState::Closed)
        else {
            return;
        };
        let labels = [("agent", GRAFT_AGENTS[index])];
        let failures = poisson(rng, 25.0);
        let timeouts = poisson(rng, 6.0);
        m.graft_failure.get_or_create(&labels).inc_by(failures);
        m.graft_timeout.get_or_create(&labels).inc_by(timeouts);
        m.graft_executions
            .get_or_create(&labels)
            .inc_by(failures + timeouts);
        for _ in 0..timeouts {
            let pair = self.cost.pairs()[self.cost.pick(rng)];
            m.agent_latency
                .get_or_create(&[
                    ("agent_type", AGENT_TYPES[index]),
                    ("repository", pair.latency_labels.0),
                    ("user", pair.latency_labels.1),
                ])
                .observe(TIMEOUT_MS * between(rng, 1.0, 1.05));
        }
        if let Some(change) = self.breakers[index].trip(tick.t, tick.now, rng) {
            self.record_transition(index, change, m, events);
        }
    }

    /// Makes the next rotation of `secret` fail, soon.
    pub fn fail_next_rotation(&mut self, secret: usize, tick: &Tick, rng: &mut StdRng) {
        self.failing_secret = Some(secret % SECRETS.len());
        self.next_secret = secret % SECRETS.len();
        self.next_rotation = self.next_rotation.min(tick.t + between(rng, 5.0, 20.0));
    }

    /// Closes the breaker of the named agent (the management reset). Returns its
    /// index, or `None` for an unknown agent.
    pub fn reset(
        &mut self,
        agent: &str,
        now: OffsetDateTime,
        m: &OrchestratorMetrics,
        events: &mut Vec<Event>,
    ) -> Option<usize> {
        let index = self.breakers.iter().position(|b| b.agent == agent)?;
        let change = self.breakers[index].reset(now);
        if change.from != change.to {
            self.record_transition(index, change, m, events);
        }
        Some(index)
    }

    /// Advances everything by one tick.
    pub fn step(
        &mut self,
        tick: &Tick,
        rng: &mut StdRng,
        session_rng: &mut StdRng,
        m: &OrchestratorMetrics,
        events: &mut Vec<Event>,
    ) {
        for i in 0..self.breakers.len() {
            if let Some(change) = self.breakers[i].advance(tick.t, tick.now, rng) {
                self.record_transition(i, change, m, events);
            }
        }
        self.executions(tick, rng, m);
        self.jwt(tick, rng, m);
        self.vault(tick, rng, m, events);
        self.websocket(tick, session_rng, m);
    }

    fn record_transition(
        &self,
        index: usize,
        change: Transition,
        m: &OrchestratorMetrics,
        events: &mut Vec<Event>,
    ) {
        let agent = GRAFT_AGENTS[index];
        m.breaker_state
            .get_or_create(&[("agent", agent)])
            .set(f64::from(change.to.gauge_value()));
        if change.to == CircuitBreakerState::Open {
            m.circuit_open.get_or_create(&[("agent", agent)]).inc();
        }
        events.push(Event::Breaker {
            agent,
            from: change.from,
            to: change.to,
        });
    }

    fn executions(&self, tick: &Tick, rng: &mut StdRng, m: &OrchestratorMetrics) {
        let count = poisson(rng, PEAK_EXECUTIONS_PER_SEC * tick.load * tick.dt);
        for n in groups(count, CAP) {
            let kind = self.agent_mix.pick(rng);
            let pair_index = self.cost.pick(rng);
            let pair = self.cost.pairs()[pair_index];
            let agent = [("agent", GRAFT_AGENTS[kind])];
            let breaker = &self.breakers[kind];
            m.graft_executions.get_or_create(&agent).inc_by(n);

            let slow = match tick.effects.slow_agent {
                Some((a, factor)) if a == kind => factor,
                _ => 1.0,
            };
            let latency = if breaker.state() == CircuitBreakerState::Open {
                // Rejected by the open breaker: fails fast and costs nothing.
                m.graft_failure.get_or_create(&agent).inc_by(n);
                lognormal(rng, 8.0, 0.4)
            } else {
                let fail = FAILURE_SHARE + breaker.failure_share();
                let latency = long_tail(
                    rng,
                    AGENT_MEDIAN_MS[kind] * slow,
                    LATENCY_SIGMA,
                    OUTLIER_SHARE,
                );
                // A runaway spends `factor` times what the pair spends at the daily
                // peak, whatever the hour: scale by the inverse of today's load.
                let spike = match tick.effects.cost_spike {
                    Some((p, factor)) if p == pair_index => {
                        1.0 + (factor - 1.0) / tick.load.max(0.2)
                    }
                    _ => 1.0,
                };
                m.cost
                    .get_or_create(&[("repository", pair.repository), ("user", pair.user)])
                    .inc_by(CostModel::execution_cost(rng, kind, spike) * n as f64);
                if latency >= TIMEOUT_MS || chance(rng, TIMEOUT_SHARE * slow) {
                    m.graft_timeout.get_or_create(&agent).inc_by(n);
                    TIMEOUT_MS * between(rng, 1.0, 1.05)
                } else if chance(rng, fail) {
                    m.graft_failure.get_or_create(&agent).inc_by(n);
                    latency * 0.4
                } else {
                    m.graft_success.get_or_create(&agent).inc_by(n);
                    latency
                }
            };
            m.agent_latency
                .get_or_create(&[
                    ("agent_type", AGENT_TYPES[kind]),
                    ("repository", pair.latency_labels.0),
                    ("user", pair.latency_labels.1),
                ])
                .observe_n(latency, n);
        }
    }

    fn jwt(&self, tick: &Tick, rng: &mut StdRng, m: &OrchestratorMetrics) {
        let refreshes = poisson(rng, JWT_REFRESH_PER_SEC * (0.3 + 0.7 * tick.load) * tick.dt);
        let failed = binomial(rng, refreshes, JWT_FAILURE_SHARE);
        // During an incident, clients retry failing refreshes: extra attempts that fail.
        let extra = poisson(rng, tick.effects.jwt_failures_per_sec * tick.dt);
        m.jwt_refresh.inc_by(refreshes + extra);
        m.jwt_refresh_failure.inc_by(failed + extra);
    }

    fn vault(
        &mut self,
        tick: &Tick,
        rng: &mut StdRng,
        m: &OrchestratorMetrics,
        events: &mut Vec<Event>,
    ) {
        if tick.t < self.next_rotation {
            return;
        }
        let secret_index = self.next_secret;
        let secret = SECRETS[secret_index];
        let forced = self.failing_secret == Some(secret_index);
        let ok = !forced && !chance(rng, ROTATION_FAILURE_SHARE);
        m.vault_rotation.get_or_create(&[("secret", secret)]).inc();
        if !ok {
            m.vault_rotation_failure
                .get_or_create(&[("secret", secret)])
                .inc();
        }
        if forced {
            self.failing_secret = None;
        }
        events.push(Event::VaultRotation { secret, ok });
        self.next_secret = (secret_index + 1) % SECRETS.len();
        self.next_rotation = tick.t + between(rng, ROTATION_SECS.0, ROTATION_SECS.1);
    }

    fn websocket(&mut self, tick: &Tick, rng: &mut StdRng, m: &OrchestratorMetrics) {
        let target = match (self.fixed_sessions, tick.effects.session_surge) {
            (Some(n), _) => n as f64,
            (None, surge) => {
                let natural = natural_target(rng, tick.load);
                surge.map_or(natural, |s| s.max(natural))
            }
        };
        let conditions = PoolConditions {
            target,
            degradation: tick.effects.ws_degradation,
        };
        let pool = self.sessions.step(
            rng,
            tick.dt,
            tick.now,
            conditions,
            &self.session_users,
            &USERS,
        );
        m.ws_connections.inc_by(pool.connected);
        m.ws_disconnections.inc_by(pool.disconnected);
        m.ws_reconnections.inc_by(pool.reconnections);
        m.ws_fallback_http.inc_by(pool.fallbacks);
        m.ws_messages_out.inc_by(pool.sent);
        m.ws_messages_in.inc_by(pool.received);
        m.ws_message_failures.inc_by(pool.failures);
        for (ms, k) in &pool.latencies_ms {
            m.ws_latency.observe_n(*ms, *k);
        }
        for q in &pool.quality {
            m.ws_quality.observe(*q);
        }
        for d in &pool.delivery {
            m.ws_delivery.observe(*d);
        }
        m.ws_active.set(self.sessions.len() as i64);
        m.ws_queue_depth.set(self.sessions.queue_depth() as i64);
        m.ws_dropped.set(self.sessions.dropped() as i64);
    }
}
