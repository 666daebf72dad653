//! The simulation: one seeded generator drives every simulated system, tick by tick.
//!
//! Each part gets its own stream, split off the seeded generator at start, so that the
//! incident schedule does not depend on how much traffic happened (which follows the
//! wall clock's time of day) and a given seed replays the same incidents.

pub mod asdlc;
pub mod aurea;
pub mod autobot;
pub mod breakers;
pub mod cost;
pub mod dist;
pub mod events;
pub mod groups;
pub mod incidents;
pub mod orchestrator;
pub mod platform;
pub mod rhythm;
pub mod sessions;
pub mod smooth;

use std::sync::Arc;
use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use time::OffsetDateTime;

use self::asdlc::AsdlcSim;
use self::aurea::AureaSim;
use self::autobot::AutobotSim;
use self::events::Event;
use self::incidents::{Active, Effects, Incident, Scheduler};
use self::orchestrator::OrchestratorSim;
use self::platform::PlatformSim;
use self::rhythm::Rhythm;
use crate::catalog::autobot::{DATABASES, PROVIDERS};
use crate::catalog::orchestrator::{AGENT_TYPES, Cardinality, GRAFT_AGENTS, SECRETS};
use crate::catalog::platform::FILESYSTEMS;
use crate::metrics::Metrics;

/// How the simulation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimConfig {
    /// Seed of the one generator everything random comes from.
    pub seed: u64,
    /// Simulated time per tick.
    pub tick: Duration,
    /// Pin the number of live WebSocket sessions (load tests); `None` for natural churn.
    pub sessions: Option<usize>,
    /// Repositories and users that spend (the catalog's, or more).
    pub cardinality: Cardinality,
}

/// What one tick sees: time, traffic level, and the incidents' effects.
#[derive(Debug, Clone)]
pub struct Tick<'a> {
    /// Seconds since the simulation started.
    pub t: f64,
    /// Seconds this tick covers.
    pub dt: f64,
    /// Wall-clock time of the tick.
    pub now: OffsetDateTime,
    /// Traffic level from the daily rhythm (about 0.1 to 1.3).
    pub load: f64,
    /// What the active incidents change.
    pub effects: &'a Effects,
}

/// Independent random streams, all split off the seeded generator.
#[derive(Debug, Clone)]
struct Streams {
    rhythm: StdRng,
    incidents: StdRng,
    orchestrator: StdRng,
    sessions: StdRng,
    autobot: StdRng,
    aurea: StdRng,
    platform: StdRng,
    asdlc: StdRng,
}

impl Streams {
    fn new(seed: u64) -> Self {
        let mut root = StdRng::seed_from_u64(seed);
        let mut split = || StdRng::from_rng(&mut root);
        Self {
            rhythm: split(),
            incidents: split(),
            orchestrator: split(),
            sessions: split(),
            autobot: split(),
            aurea: split(),
            platform: split(),
            asdlc: split(),
        }
    }
}

/// Every simulated system and the metrics they write.
#[derive(Debug)]
pub struct Simulation {
    metrics: Arc<Metrics>,
    dt: f64,
    t: f64,
    rng: Streams,
    rhythm: Rhythm,
    scheduler: Scheduler,
    orchestrator: OrchestratorSim,
    autobot: AutobotSim,
    aurea: AureaSim,
    platform: PlatformSim,
    asdlc: AsdlcSim,
}

impl Simulation {
    /// A simulation at time zero writing into `metrics`.
    pub fn new(config: SimConfig, metrics: Arc<Metrics>, now: OffsetDateTime) -> Self {
        let mut rng = Streams::new(config.seed);
        let scheduler = Scheduler::new(&mut rng.incidents);
        let orchestrator = OrchestratorSim::new(
            &mut rng.orchestrator,
            now,
            config.sessions,
            config.cardinality,
        );
        let autobot = AutobotSim::new(&mut rng.autobot);
        let platform = PlatformSim::new(&mut rng.platform);
        Self {
            metrics,
            dt: config.tick.as_secs_f64().max(0.001),
            t: 0.0,
            rng,
            rhythm: Rhythm::default(),
            scheduler,
            orchestrator,
            autobot,
            aurea: AureaSim::default(),
            platform,
            asdlc: AsdlcSim::default(),
        }
    }

    /// Simulated time per step from now on (the live demo after replaying its past).
    pub fn set_tick(&mut self, tick: Duration) {
        self.dt = tick.as_secs_f64().max(0.001);
    }

    /// Seconds simulated so far.
    pub fn elapsed(&self) -> f64 {
        self.t
    }

    /// The metrics this simulation writes.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// The orchestrator (breakers, sessions).
    pub fn orchestrator(&self) -> &OrchestratorSim {
        &self.orchestrator
    }

    /// Incidents in progress.
    pub fn incidents(&self) -> &[Active] {
        self.scheduler.active()
    }

    /// Closes an orchestrator circuit breaker by agent name; its gauge reads 0 from
    /// now on. `None` for an unknown agent.
    pub fn reset_breaker(
        &mut self,
        agent: &str,
        now: OffsetDateTime,
    ) -> (Option<usize>, Vec<Event>) {
        let mut events = Vec::new();
        let index = self
            .orchestrator
            .reset(agent, now, &self.metrics.orchestrator, &mut events);
        (index, events)
    }

    /// Advances every system by one tick ending at `now`; returns what is worth logging.
    pub fn step(&mut self, now: OffsetDateTime) -> Vec<Event> {
        self.t += self.dt;
        let mut events = Vec::new();
        let heavy = self.orchestrator.cost_model().heavy_hitters(3);
        let (started, ended) = self.scheduler.step(&mut self.rng.incidents, self.t, &heavy);
        for incident in &ended {
            events.push(Event::IncidentEnded {
                kind: incident.kind().name(),
            });
        }
        let load = self.rhythm.step(&mut self.rng.rhythm, self.dt, now);
        let effects = self.scheduler.effects(self.t);
        let tick = Tick {
            t: self.t,
            dt: self.dt,
            now,
            load,
            effects: &effects,
        };
        let m = &self.metrics;
        for incident in &started {
            events.push(Event::IncidentStarted {
                kind: incident.kind().name(),
                detail: self.describe(incident),
            });
            // One-shot incidents act on the orchestrator directly.
            match *incident {
                Incident::BreakerTrip { agent } => self.orchestrator.trip(
                    agent,
                    &tick,
                    &mut self.rng.orchestrator,
                    &m.orchestrator,
                    &mut events,
                ),
                Incident::VaultFailure { secret } => {
                    self.orchestrator
                        .fail_next_rotation(secret, &tick, &mut self.rng.orchestrator);
                }
                _ => {}
            }
        }
        self.orchestrator.step(
            &tick,
            &mut self.rng.orchestrator,
            &mut self.rng.sessions,
            &m.orchestrator,
            &mut events,
        );
        self.autobot.step(&tick, &mut self.rng.autobot, &m.autobot);
        self.aurea.step(&tick, &mut self.rng.aurea, &m.aurea);
        self.platform
            .step(&tick, &mut self.rng.platform, &m.platform);
        self.asdlc.step(&tick, &mut self.rng.asdlc, &m.asdlc);
        events
    }

    /// A one-line description of an incident for the log.
    fn describe(&self, incident: &Incident) -> String {
        let pairs = self.orchestrator.cost_model().pairs();
        match *incident {
            Incident::BreakerTrip { agent } => {
                format!("circuit breaker of {} trips", GRAFT_AGENTS[agent])
            }
            Incident::CostSpike { pair, factor } => {
                let p = pairs.get(pair).copied().unwrap_or(pairs[0]);
                format!("{} on {} spends {factor:.0}x", p.user, p.repository)
            }
            Incident::JwtFailures { per_sec } => {
                format!("JWT refreshes fail at {per_sec:.2}/s")
            }
            Incident::VaultFailure { secret } => {
                format!("next rotation of {} fails", SECRETS[secret])
            }
            Incident::LatencyDegradation {
                agent_type,
                factor,
                provider,
            } => format!(
                "{} agents {factor:.1}x slower, {} in trouble",
                AGENT_TYPES[agent_type], PROVIDERS[provider]
            ),
            Incident::WsDegradation { severity } => {
                format!("WebSocket delivery degraded ({severity:.2})")
            }
            Incident::ConnectionSurge { sessions } => {
                format!("WebSocket sessions surge to {sessions:.0}")
            }
            Incident::WorkerStall { severity } => {
                format!("workers stall ({severity:.2}), queues back up")
            }
            Incident::GitHubRateDrain => "GitHub core rate limit drains".to_owned(),
            Incident::RedisPressure { database } => {
                format!("Redis database {} saturates", DATABASES[database].0)
            }
            Incident::HostPressure { severity } => {
                format!("host CPU and memory pressure ({severity:.2})")
            }
            Incident::DiskFill { mount } => format!("{} fills up", FILESYSTEMS[mount].0),
            Incident::ApiErrors { error_ratio } => {
                format!("{:.0}% of HTTP requests fail", error_ratio * 100.0)
            }
            Incident::SlowResponses { factor } => {
                format!("HTTP responses {factor:.0}x slower")
            }
            Incident::ExecutionSpike { per_sec } => {
                format!("{per_sec:.2} extra workflow executions per second")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn run(seed: u64, ticks: u32) -> (Simulation, Vec<(u32, Event)>) {
        let config = SimConfig {
            seed,
            tick: Duration::from_secs(1),
            sessions: None,
            cardinality: Cardinality::default(),
        };
        let start = datetime!(2024-01-17 13:00 UTC);
        let mut sim = Simulation::new(config, Arc::new(Metrics::new()), start);
        let mut log = Vec::new();
        for i in 0..ticks {
            let now = start + time::Duration::seconds(i64::from(i) + 1);
            log.extend(sim.step(now).into_iter().map(|e| (i, e)));
        }
        (sim, log)
    }

    fn sorted_samples(sim: &Simulation) -> Vec<String> {
        let text = sim.metrics().encode().expect("encodes");
        let mut lines: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                // Label order inside a family follows a hash map: normalise it.
                let (name, rest) = l.split_once('{').unwrap_or((l, ""));
                let (labels, value) = rest.split_once('}').unwrap_or(("", rest));
                let mut labels: Vec<&str> = labels.split(',').collect();
                labels.sort_unstable();
                format!("{name}{{{}}}{value}", labels.join(","))
            })
            .collect();
        lines.sort();
        lines
    }

    #[test]
    fn the_same_seed_replays_the_same_events_and_values() {
        let (a, log_a) = run(42, 900);
        let (b, log_b) = run(42, 900);
        assert_eq!(log_a, log_b);
        assert_eq!(sorted_samples(&a), sorted_samples(&b));
        let (_, log_c) = run(43, 900);
        assert_ne!(log_a, log_c);
    }

    #[test]
    fn the_autobot_timeout_rate_is_the_percentage_timing_out() {
        let (sim, _) = run(42, 300);
        let text = sim.metrics().encode().expect("encodes");
        let rates: Vec<f64> = text
            .lines()
            .filter(|l| l.starts_with("autobot_timeout_rate{"))
            .filter_map(|l| l.rsplit(' ').next()?.parse().ok())
            .collect();
        // 3 databases x 5 operation types x 3 windows; at most a few percent time out.
        assert_eq!(rates.len(), 45);
        assert!(rates.iter().all(|r| (0.0..20.0).contains(r)), "{rates:?}");
    }

    #[test]
    fn a_breaker_opens_within_the_first_minute() {
        let (sim, log) = run(7, 70);
        let opened = log.iter().find_map(|(i, e)| match e {
            Event::Breaker { agent, to, .. }
                if *to == vantage_api::management::CircuitBreakerState::Open =>
            {
                Some((*i, *agent))
            }
            _ => None,
        });
        let (_, agent) = opened.expect("a breaker opened");
        let text = sim.metrics().encode().expect("encodes");
        let line = format!("orchestrator_graft_circuit_breaker_state{{agent=\"{agent}\"}} 1.0");
        assert!(text.contains(&line), "{line}");
    }

    #[test]
    fn resetting_a_breaker_closes_it_and_unknown_agents_are_refused() {
        let (mut sim, log) = run(7, 70);
        let agent = log
            .iter()
            .find_map(|(_, e)| match e {
                Event::Breaker { agent, .. } => Some(*agent),
                _ => None,
            })
            .expect("a breaker changed");
        let now = datetime!(2024-01-17 13:05 UTC);
        let (index, events) = sim.reset_breaker(agent, now);
        assert!(index.is_some());
        assert!(!events.is_empty());
        let text = sim.metrics().encode().expect("encodes");
        assert!(text.contains(&format!(
            "orchestrator_graft_circuit_breaker_state{{agent=\"{agent}\"}} 0.0"
        )));
        assert_eq!(sim.reset_breaker("nobody-v9", now).0, None);
    }
}
