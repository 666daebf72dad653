//! Incidents: every 1.5 to 3 minutes something goes wrong somewhere, and lasts a few
//! minutes. Kinds are dealt from a shuffled deck so that each one comes up once before
//! any repeats, alternating between the orchestrator and the other systems, with a
//! circuit breaker tripping first. Durations are long enough for the seed alert rules
//! (with their `for:` clauses) to fire.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::dist::between;
use crate::catalog::autobot::{DATABASES, PROVIDERS};
use crate::catalog::orchestrator::{AGENT_MEDIAN_MS, AGENT_TYPES, GRAFT_AGENTS, SECRETS};
use crate::catalog::platform::FILESYSTEMS;

/// Seconds between incident starts.
const GAP_SECS: (f64, f64) = (90.0, 180.0);
/// Seconds before the first incident.
const FIRST_SECS: (f64, f64) = (30.0, 60.0);
/// Seconds an incident takes to build up and to fade out.
const RAMP_SECS: f64 = 20.0;

/// What kind of trouble.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncidentKind {
    /// An agent's circuit breaker opens.
    BreakerTrip,
    /// A heavy repository/user spends 15-50x.
    CostSpike,
    /// JWT refreshes fail in bulk.
    JwtFailures,
    /// A Vault secret rotation fails.
    VaultFailure,
    /// One agent type (and its LLM provider) gets several times slower.
    LatencyDegradation,
    /// WebSocket messages fail and queue up.
    WsDegradation,
    /// Far more WebSocket clients than usual.
    ConnectionSurge,
    /// AutoBot workers stall: failures and queue backlogs.
    WorkerStall,
    /// AutoBot burns through its GitHub rate limit.
    GitHubRateDrain,
    /// A Redis database saturates its pool and its breaker opens.
    RedisPressure,
    /// The host runs hot on CPU and memory.
    HostPressure,
    /// A filesystem fills up until cleanup runs.
    DiskFill,
    /// HTTP services answer 5xx.
    ApiErrors,
    /// HTTP services slow down.
    SlowResponses,
    /// A burst of workflow executions.
    ExecutionSpike,
}

impl IncidentKind {
    /// Kinds that hit the AI orchestrator.
    pub const ORCHESTRATOR: [Self; 7] = [
        Self::BreakerTrip,
        Self::CostSpike,
        Self::JwtFailures,
        Self::VaultFailure,
        Self::LatencyDegradation,
        Self::WsDegradation,
        Self::ConnectionSurge,
    ];
    /// Kinds that hit the other systems.
    pub const OTHERS: [Self; 8] = [
        Self::WorkerStall,
        Self::GitHubRateDrain,
        Self::RedisPressure,
        Self::HostPressure,
        Self::DiskFill,
        Self::ApiErrors,
        Self::SlowResponses,
        Self::ExecutionSpike,
    ];

    /// Short name for logs.
    pub fn name(self) -> &'static str {
        match self {
            Self::BreakerTrip => "breaker_trip",
            Self::CostSpike => "cost_spike",
            Self::JwtFailures => "jwt_failures",
            Self::VaultFailure => "vault_failure",
            Self::LatencyDegradation => "latency_degradation",
            Self::WsDegradation => "websocket_degradation",
            Self::ConnectionSurge => "connection_surge",
            Self::WorkerStall => "worker_stall",
            Self::GitHubRateDrain => "github_rate_drain",
            Self::RedisPressure => "redis_pressure",
            Self::HostPressure => "host_pressure",
            Self::DiskFill => "disk_fill",
            Self::ApiErrors => "api_errors",
            Self::SlowResponses => "slow_responses",
            Self::ExecutionSpike => "execution_spike",
        }
    }

    /// How long it lasts, seconds: past the alert rules' `for:` and rate windows.
    fn duration_secs(self) -> (f64, f64) {
        match self {
            Self::BreakerTrip | Self::VaultFailure => (60.0, 60.0),
            Self::CostSpike => (480.0, 900.0),
            Self::JwtFailures => (480.0, 660.0),
            Self::LatencyDegradation => (420.0, 600.0),
            Self::WsDegradation | Self::ConnectionSurge => (780.0, 960.0),
            Self::WorkerStall | Self::SlowResponses => (540.0, 720.0),
            Self::ApiErrors => (600.0, 780.0),
            Self::GitHubRateDrain | Self::RedisPressure => (240.0, 420.0),
            Self::HostPressure | Self::DiskFill => (720.0, 900.0),
            Self::ExecutionSpike => (480.0, 660.0),
        }
    }
}

/// One incident with its parameters (indices point into the catalogs).
#[derive(Debug, Clone, PartialEq)]
pub enum Incident {
    /// Trip the breaker of this graft agent.
    BreakerTrip {
        /// Index into `GRAFT_AGENTS`.
        agent: usize,
    },
    /// Multiply one pair's cost.
    CostSpike {
        /// Index into the cost model's pairs.
        pair: usize,
        /// 15 to 50.
        factor: f64,
    },
    /// Extra JWT refresh failures per second.
    JwtFailures {
        /// Failures per second at full strength.
        per_sec: f64,
    },
    /// Fail the next rotation of this secret.
    VaultFailure {
        /// Index into `SECRETS`.
        secret: usize,
    },
    /// Slow down one agent type and one LLM provider.
    LatencyDegradation {
        /// Index into `AGENT_TYPES`.
        agent_type: usize,
        /// Latency multiplier.
        factor: f64,
        /// Index into AutoBot's `PROVIDERS`.
        provider: usize,
    },
    /// Degrade WebSocket delivery.
    WsDegradation {
        /// 0-1.
        severity: f64,
    },
    /// Drive the session pool far above normal.
    ConnectionSurge {
        /// Sessions to reach.
        sessions: f64,
    },
    /// Stall AutoBot and platform workers.
    WorkerStall {
        /// 0-1.
        severity: f64,
    },
    /// Drain the GitHub rate limit.
    GitHubRateDrain,
    /// Saturate one Redis database.
    RedisPressure {
        /// Index into AutoBot's `DATABASES`.
        database: usize,
    },
    /// Load the host.
    HostPressure {
        /// 0-1.
        severity: f64,
    },
    /// Fill a filesystem.
    DiskFill {
        /// Index into `FILESYSTEMS`.
        mount: usize,
    },
    /// Make HTTP services fail.
    ApiErrors {
        /// Share of requests answering 5xx.
        error_ratio: f64,
    },
    /// Make HTTP services slow.
    SlowResponses {
        /// Latency multiplier.
        factor: f64,
    },
    /// Extra workflow executions.
    ExecutionSpike {
        /// Executions per second at full strength.
        per_sec: f64,
    },
}

impl Incident {
    /// Draws the parameters of an incident of `kind`. `heavy_pairs` are the cost
    /// model's heaviest pairs, one of which spikes.
    pub fn draw(kind: IncidentKind, rng: &mut StdRng, heavy_pairs: &[usize]) -> Self {
        let pick = |rng: &mut StdRng, n: usize| rand::Rng::random_range(rng, 0..n.max(1));
        match kind {
            IncidentKind::BreakerTrip => Self::BreakerTrip {
                agent: pick(rng, GRAFT_AGENTS.len()),
            },
            IncidentKind::CostSpike => Self::CostSpike {
                pair: heavy_pairs
                    .get(pick(rng, heavy_pairs.len()))
                    .copied()
                    .unwrap_or(0),
                factor: between(rng, 15.0, 50.0),
            },
            IncidentKind::JwtFailures => Self::JwtFailures {
                per_sec: between(rng, 0.2, 0.45),
            },
            IncidentKind::VaultFailure => Self::VaultFailure {
                secret: pick(rng, SECRETS.len()),
            },
            IncidentKind::LatencyDegradation => {
                let agent_type = pick(rng, AGENT_TYPES.len());
                // Slow enough that even the fastest agent's P95 passes 10 s.
                let floor = 6000.0 / AGENT_MEDIAN_MS[agent_type];
                Self::LatencyDegradation {
                    agent_type,
                    factor: floor.max(3.0) * between(rng, 1.0, 1.4),
                    provider: pick(rng, PROVIDERS.len()),
                }
            }
            IncidentKind::WsDegradation => Self::WsDegradation {
                severity: between(rng, 0.7, 1.0),
            },
            IncidentKind::ConnectionSurge => Self::ConnectionSurge {
                sessions: between(rng, 120.0, 170.0),
            },
            IncidentKind::WorkerStall => Self::WorkerStall {
                severity: between(rng, 0.7, 1.0),
            },
            IncidentKind::GitHubRateDrain => Self::GitHubRateDrain,
            IncidentKind::RedisPressure => Self::RedisPressure {
                database: pick(rng, DATABASES.len()),
            },
            IncidentKind::HostPressure => Self::HostPressure {
                severity: between(rng, 0.85, 1.0),
            },
            IncidentKind::DiskFill => Self::DiskFill {
                mount: pick(rng, FILESYSTEMS.len()),
            },
            IncidentKind::ApiErrors => Self::ApiErrors {
                error_ratio: between(rng, 0.08, 0.2),
            },
            IncidentKind::SlowResponses => Self::SlowResponses {
                factor: between(rng, 8.0, 15.0),
            },
            IncidentKind::ExecutionSpike => Self::ExecutionSpike {
                per_sec: between(rng, 0.5, 0.9),
            },
        }
    }

    /// The kind of this incident.
    pub fn kind(&self) -> IncidentKind {
        match self {
            Self::BreakerTrip { .. } => IncidentKind::BreakerTrip,
            Self::CostSpike { .. } => IncidentKind::CostSpike,
            Self::JwtFailures { .. } => IncidentKind::JwtFailures,
            Self::VaultFailure { .. } => IncidentKind::VaultFailure,
            Self::LatencyDegradation { .. } => IncidentKind::LatencyDegradation,
            Self::WsDegradation { .. } => IncidentKind::WsDegradation,
            Self::ConnectionSurge { .. } => IncidentKind::ConnectionSurge,
            Self::WorkerStall { .. } => IncidentKind::WorkerStall,
            Self::GitHubRateDrain => IncidentKind::GitHubRateDrain,
            Self::RedisPressure { .. } => IncidentKind::RedisPressure,
            Self::HostPressure { .. } => IncidentKind::HostPressure,
            Self::DiskFill { .. } => IncidentKind::DiskFill,
            Self::ApiErrors { .. } => IncidentKind::ApiErrors,
            Self::SlowResponses { .. } => IncidentKind::SlowResponses,
            Self::ExecutionSpike { .. } => IncidentKind::ExecutionSpike,
        }
    }
}

/// An incident in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Active {
    /// What is happening.
    pub incident: Incident,
    /// Simulation time it started, seconds.
    pub started: f64,
    /// Simulation time it ends, seconds.
    pub ends: f64,
}

impl Active {
    /// 0-1: builds up over the first seconds and fades over the last ones.
    pub fn intensity(&self, t: f64) -> f64 {
        let up = ((t - self.started) / RAMP_SECS).clamp(0.0, 1.0);
        let down = ((self.ends - t) / RAMP_SECS).clamp(0.0, 1.0);
        up.min(down)
    }
}

/// How active incidents bend this tick's behaviour (neutral values when none).
#[derive(Debug, Clone, PartialEq)]
pub struct Effects {
    /// (pair, cost multiplier).
    pub cost_spike: Option<(usize, f64)>,
    /// Extra JWT refresh failures per second.
    pub jwt_failures_per_sec: f64,
    /// (agent type, latency multiplier).
    pub slow_agent: Option<(usize, f64)>,
    /// (provider, 0-1 trouble).
    pub slow_provider: Option<(usize, f64)>,
    /// 0-1.
    pub ws_degradation: f64,
    /// Session pool target during a surge.
    pub session_surge: Option<f64>,
    /// 0-1.
    pub worker_stall: f64,
    /// 0-1.
    pub github_drain: f64,
    /// (database, 0-1).
    pub redis_pressure: Option<(usize, f64)>,
    /// 0-1.
    pub host_pressure: f64,
    /// (filesystem, 0-1).
    pub disk_fill: Option<(usize, f64)>,
    /// Extra share of 5xx answers.
    pub api_errors: f64,
    /// HTTP latency multiplier (1 when healthy).
    pub slow_responses: f64,
    /// Extra workflow executions per second.
    pub execution_spike: f64,
}

impl Default for Effects {
    fn default() -> Self {
        Self {
            cost_spike: None,
            jwt_failures_per_sec: 0.0,
            slow_agent: None,
            slow_provider: None,
            ws_degradation: 0.0,
            session_surge: None,
            worker_stall: 0.0,
            github_drain: 0.0,
            redis_pressure: None,
            host_pressure: 0.0,
            disk_fill: None,
            api_errors: 0.0,
            slow_responses: 1.0,
            execution_spike: 0.0,
        }
    }
}

/// Decides when incidents start and end.
#[derive(Debug, Clone)]
pub struct Scheduler {
    next_at: f64,
    /// Kinds still to deal, next one last.
    deck: Vec<IncidentKind>,
    first_deck: bool,
    active: Vec<Active>,
}

impl Scheduler {
    /// A scheduler whose first incident comes within the first minute.
    pub fn new(rng: &mut StdRng) -> Self {
        Self {
            next_at: between(rng, FIRST_SECS.0, FIRST_SECS.1),
            deck: Vec::new(),
            first_deck: true,
            active: Vec::new(),
        }
    }

    /// Incidents in progress.
    pub fn active(&self) -> &[Active] {
        &self.active
    }

    /// Ends finished incidents and starts a new one when due. Returns (started, ended).
    pub fn step(
        &mut self,
        rng: &mut StdRng,
        t: f64,
        heavy_pairs: &[usize],
    ) -> (Vec<Incident>, Vec<Incident>) {
        let mut ended = Vec::new();
        self.active.retain(|a| {
            let done = t >= a.ends;
            if done {
                ended.push(a.incident.clone());
            }
            !done
        });
        let mut started = Vec::new();
        if t >= self.next_at {
            let kind = self.deal(rng);
            let incident = Incident::draw(kind, rng, heavy_pairs);
            let (low, high) = kind.duration_secs();
            // A kind coming round again replaces its previous occurrence.
            self.active.retain(|a| a.incident.kind() != kind);
            self.active.push(Active {
                incident: incident.clone(),
                started: t,
                ends: t + between(rng, low, high),
            });
            started.push(incident);
            self.next_at = t + between(rng, GAP_SECS.0, GAP_SECS.1);
        }
        (started, ended)
    }

    /// The combined effect of the incidents in progress at time `t`.
    pub fn effects(&self, t: f64) -> Effects {
        let mut e = Effects::default();
        for a in &self.active {
            let k = a.intensity(t);
            match a.incident {
                Incident::BreakerTrip { .. } | Incident::VaultFailure { .. } => {}
                Incident::CostSpike { pair, factor } => {
                    e.cost_spike = Some((pair, 1.0 + (factor - 1.0) * k));
                }
                Incident::JwtFailures { per_sec } => e.jwt_failures_per_sec += per_sec * k,
                Incident::LatencyDegradation {
                    agent_type,
                    factor,
                    provider,
                } => {
                    e.slow_agent = Some((agent_type, 1.0 + (factor - 1.0) * k));
                    e.slow_provider = Some((provider, k));
                }
                Incident::WsDegradation { severity } => e.ws_degradation = severity * k,
                Incident::ConnectionSurge { sessions } => {
                    e.session_surge = Some(sessions * k);
                }
                Incident::WorkerStall { severity } => e.worker_stall = severity * k,
                Incident::GitHubRateDrain => e.github_drain = k,
                Incident::RedisPressure { database } => e.redis_pressure = Some((database, k)),
                Incident::HostPressure { severity } => e.host_pressure = severity * k,
                Incident::DiskFill { mount } => e.disk_fill = Some((mount, k)),
                Incident::ApiErrors { error_ratio } => e.api_errors = error_ratio * k,
                Incident::SlowResponses { factor } => {
                    e.slow_responses = 1.0 + (factor - 1.0) * k;
                }
                Incident::ExecutionSpike { per_sec } => e.execution_spike = per_sec * k,
            }
        }
        e
    }

    fn deal(&mut self, rng: &mut StdRng) -> IncidentKind {
        if self.deck.is_empty() {
            self.deck = if self.first_deck {
                first_deck(rng)
            } else {
                let mut all: Vec<_> = IncidentKind::ORCHESTRATOR
                    .iter()
                    .chain(IncidentKind::OTHERS.iter())
                    .copied()
                    .collect();
                all.shuffle(rng);
                all
            };
            self.first_deck = false;
        }
        self.deck.pop().unwrap_or(IncidentKind::BreakerTrip)
    }
}

/// The first round: a breaker trips first, then orchestrator and other kinds take
/// turns, so a short demo sees trouble everywhere. Returned in dealing order reversed.
fn first_deck(rng: &mut StdRng) -> Vec<IncidentKind> {
    let mut orchestrator: Vec<_> = IncidentKind::ORCHESTRATOR[1..].to_vec();
    let mut others = IncidentKind::OTHERS.to_vec();
    orchestrator.shuffle(rng);
    others.shuffle(rng);
    let mut order = vec![IncidentKind::BreakerTrip];
    let mut o = others.into_iter();
    let mut p = orchestrator.into_iter();
    loop {
        match (o.next(), p.next()) {
            (None, None) => break,
            (a, b) => order.extend(a.into_iter().chain(b)),
        }
    }
    order.reverse();
    order
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn incidents_come_every_few_minutes_and_each_kind_before_repeats() {
        let mut rng = StdRng::seed_from_u64(21);
        let mut scheduler = Scheduler::new(&mut rng);
        let mut starts = Vec::new();
        for s in 0..(3 * 3600) {
            let t = f64::from(s);
            let (started, _) = scheduler.step(&mut rng, t, &[0, 1, 2]);
            starts.extend(started.into_iter().map(|i| (t, i.kind())));
        }
        assert_eq!(starts[0].1, IncidentKind::BreakerTrip);
        assert!(starts[0].0 <= 60.0);
        for pair in starts.windows(2) {
            let gap = pair[1].0 - pair[0].0;
            assert!((90.0..=181.0).contains(&gap), "gap {gap}");
        }
        let first_round: std::collections::HashSet<_> =
            starts.iter().take(15).map(|s| s.1).collect();
        assert_eq!(first_round.len(), 15);
        // The first twenty minutes mix orchestrator and other incidents.
        let early: Vec<_> = starts
            .iter()
            .filter(|s| s.0 < 1200.0)
            .map(|s| s.1)
            .collect();
        assert!(early.len() >= 7);
        assert!(
            early
                .iter()
                .filter(|k| IncidentKind::ORCHESTRATOR.contains(k))
                .count()
                >= 3
        );
        assert!(
            early
                .iter()
                .filter(|k| IncidentKind::OTHERS.contains(k))
                .count()
                >= 3
        );
    }

    #[test]
    fn effects_ramp_up_and_down() {
        let active = Active {
            incident: Incident::WsDegradation { severity: 1.0 },
            started: 100.0,
            ends: 800.0,
        };
        assert_eq!(active.intensity(100.0), 0.0);
        assert_eq!(active.intensity(110.0), 0.5);
        assert_eq!(active.intensity(400.0), 1.0);
        assert_eq!(active.intensity(795.0), 0.25);
    }

    #[test]
    fn latency_degradation_is_slow_enough_for_the_alert() {
        let mut rng = StdRng::seed_from_u64(2);
        for _ in 0..100 {
            if let Incident::LatencyDegradation {
                agent_type, factor, ..
            } = Incident::draw(IncidentKind::LatencyDegradation, &mut rng, &[])
            {
                assert!(AGENT_MEDIAN_MS[agent_type] * factor >= 6000.0);
            }
        }
    }
}
