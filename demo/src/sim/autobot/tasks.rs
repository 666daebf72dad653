//! Agent tasks, their queues and retries.

use rand::rngs::StdRng;

use crate::catalog::autobot::{PRIORITIES, RETRY_REASONS, TASKS};
use crate::metrics::autobot::AutobotMetrics;
use crate::sim::Tick;
use crate::sim::dist::{Weighted, chance, long_tail, poisson};
use crate::sim::smooth::Level;

/// Tasks per second at the daily peak.
const PEAK_PER_SEC: f64 = 0.8;
/// Normal queue depth per priority, and how much a stall adds.
const QUEUE_BASE: [f64; 3] = [4.0, 18.0, 7.0];
const QUEUE_STALL: [f64; 3] = [80.0, 160.0, 45.0];

#[derive(Debug, Clone)]
pub struct Tasks {
    mix: Weighted,
    reasons: Weighted,
    active: Vec<Level>,
    queues: Vec<Level>,
}

impl Tasks {
    pub fn new() -> Self {
        Self {
            mix: Weighted::new(TASKS.iter().map(|t| t.2)),
            reasons: Weighted::new([0.5, 0.2, 0.3]),
            active: TASKS.iter().map(|_| Level::new(0.0)).collect(),
            queues: QUEUE_BASE.iter().map(|&q| Level::new(q)).collect(),
        }
    }

    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &AutobotMetrics) {
        let stall = tick.effects.worker_stall;
        let rate = PEAK_PER_SEC * tick.load;
        for _ in 0..poisson(rng, rate * tick.dt) {
            let (task, agent, _, median) = TASKS[self.mix.pick(rng)];
            let failed = chance(rng, 0.03 + 0.3 * stall);
            let status = if failed { "failed" } else { "success" };
            m.tasks_executed
                .get_or_create(&[
                    ("task_type", task),
                    ("agent_type", agent),
                    ("status", status),
                ])
                .inc();
            m.task_duration
                .get_or_create(&[("task_type", task), ("agent_type", agent)])
                .observe(long_tail(rng, median * (1.0 + 2.0 * stall), 0.6, 0.01));
            if failed && chance(rng, 0.7) {
                let reason = RETRY_REASONS[self.reasons.pick(rng)];
                m.task_retries
                    .get_or_create(&[("task_type", task), ("reason", reason)])
                    .inc();
            }
        }
        for (i, (task, agent, share, median)) in TASKS.iter().enumerate() {
            let target = rate * share * median * (1.0 + 2.0 * stall);
            let value = self.active[i].step(rng, target, tick.dt, 30.0, 0.03);
            m.active_tasks
                .get_or_create(&[("task_type", task), ("agent_type", agent)])
                .set(value.round());
        }
        for (i, priority) in PRIORITIES.iter().enumerate() {
            let target = QUEUE_BASE[i] * (0.5 + tick.load) + QUEUE_STALL[i] * stall;
            let value = self.queues[i].step(rng, target, tick.dt, 45.0, 0.03);
            m.task_queue_size
                .get_or_create(&[("priority", priority)])
                .set(value.round());
        }
    }
}
