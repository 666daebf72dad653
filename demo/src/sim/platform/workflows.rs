//! Workflow executions on the engines, engine calls and work queues.

use rand::rngs::StdRng;

use crate::catalog::platform::{ENGINE_OPERATIONS, ENGINES, QUEUES, WORKFLOWS};
use crate::metrics::platform::PlatformMetrics;
use crate::sim::Tick;
use crate::sim::dist::{Weighted, chance, long_tail, poisson};
use crate::sim::smooth::Level;

/// Executions per second at the daily peak (under the 100-per-5-minutes alert).
const PEAK_PER_SEC: f64 = 0.15;
/// Normal queue depth per queue, and how much a stall adds.
const QUEUE_BASE: [f64; 3] = [14.0, 3.0, 25.0];
const QUEUE_STALL: [f64; 3] = [160.0, 40.0, 60.0];

#[derive(Debug, Clone)]
pub struct Workflows {
    mix: Weighted,
    queues: Vec<Level>,
}

impl Workflows {
    pub fn new() -> Self {
        Self {
            mix: Weighted::new(WORKFLOWS.iter().map(|w| w.1)),
            queues: QUEUE_BASE.iter().map(|&q| Level::new(q)).collect(),
        }
    }

    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &PlatformMetrics) {
        let stall = tick.effects.worker_stall;
        let rate = PEAK_PER_SEC * tick.load + tick.effects.execution_spike;
        for _ in 0..poisson(rng, rate * tick.dt) {
            let (name, _, e) = WORKFLOWS[self.mix.pick(rng)];
            let (engine, median) = ENGINES[e];
            let status = if chance(rng, 0.03 + 0.3 * stall) {
                "failed"
            } else if chance(rng, 0.01) {
                "timeout"
            } else {
                "success"
            };
            m.workflow_executions
                .get_or_create(&[
                    ("workflow_name", name),
                    ("engine_type", engine),
                    ("status", status),
                ])
                .inc();
            m.workflow_duration
                .get_or_create(&[("engine_type", engine)])
                .observe(long_tail(rng, median * (1.0 + stall), 0.6, 0.01));
            // An execution starts once, is polled a few times, and is sometimes cancelled.
            let polls = 1 + poisson(rng, 2.0);
            for (op, count) in [(ENGINE_OPERATIONS[0], 1), (ENGINE_OPERATIONS[1], polls)] {
                self.call(rng, m, engine, op, count, 0.01 + 0.2 * stall);
            }
            if status == "timeout" || chance(rng, 0.01) {
                self.call(rng, m, engine, ENGINE_OPERATIONS[2], 1, 0.02);
            }
        }
        for (i, queue) in QUEUES.iter().enumerate() {
            let target = QUEUE_BASE[i] * (0.5 + tick.load) + QUEUE_STALL[i] * stall;
            let value = self.queues[i].step(rng, target, tick.dt, 40.0, 0.03);
            m.workflow_queue
                .get_or_create(&[("queue", queue)])
                .set(value.round());
        }
    }

    fn call(
        &self,
        rng: &mut StdRng,
        m: &PlatformMetrics,
        engine: &'static str,
        op: &'static str,
        count: u64,
        fail: f64,
    ) {
        for _ in 0..count {
            let status = if chance(rng, fail) {
                "error"
            } else {
                "success"
            };
            m.engine_calls
                .get_or_create(&[
                    ("engine_type", engine),
                    ("operation", op),
                    ("status", status),
                ])
                .inc();
            m.engine_duration
                .get_or_create(&[("engine_type", engine), ("operation", op)])
                .observe(long_tail(
                    rng,
                    if op == "start" { 0.4 } else { 0.08 },
                    0.5,
                    0.01,
                ));
        }
    }
}
