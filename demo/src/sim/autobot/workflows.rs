//! Workflow executions, their steps and approvals.

use rand::rngs::StdRng;

use crate::catalog::autobot::{APPROVAL_DECISIONS, STEP_TYPES, WORKFLOWS};
use crate::metrics::autobot::AutobotMetrics;
use crate::sim::Tick;
use crate::sim::dist::{Weighted, chance, long_tail, poisson};
use crate::sim::smooth::Level;

/// Workflow executions per second at the daily peak.
const PEAK_PER_SEC: f64 = 0.4;
/// Share failing normally.
const FAILURE_SHARE: f64 = 0.025;
/// Share cancelled.
const CANCEL_SHARE: f64 = 0.02;

#[derive(Debug, Clone)]
pub struct Workflows {
    mix: Weighted,
    active: Vec<Level>,
    decisions: Weighted,
}

impl Workflows {
    pub fn new() -> Self {
        Self {
            mix: Weighted::new(WORKFLOWS.iter().map(|w| w.1)),
            active: WORKFLOWS.iter().map(|_| Level::new(0.0)).collect(),
            decisions: Weighted::new([0.85, 0.1, 0.05]),
        }
    }

    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &AutobotMetrics) {
        let stall = tick.effects.worker_stall;
        let rate = PEAK_PER_SEC * tick.load;
        for _ in 0..poisson(rng, rate * tick.dt) {
            let i = self.mix.pick(rng);
            let (wf, _, median) = WORKFLOWS[i];
            let status = if chance(rng, FAILURE_SHARE + 0.35 * stall) {
                "failed"
            } else if chance(rng, CANCEL_SHARE) {
                "cancelled"
            } else {
                "success"
            };
            m.workflow_executions
                .get_or_create(&[("workflow_type", wf), ("status", status)])
                .inc();
            m.workflow_duration
                .get_or_create(&[("workflow_type", wf)])
                .observe(long_tail(rng, median * (1.0 + 2.0 * stall), 0.6, 0.01));
            // Steps run in order; a failed workflow fails at one step and skips the rest.
            let failed_at =
                (status == "failed").then(|| rand::Rng::random_range(rng, 0..STEP_TYPES.len()));
            for (s, step) in STEP_TYPES.iter().enumerate() {
                let step_status = match failed_at {
                    Some(f) if s == f => "failed",
                    Some(f) if s > f => "skipped",
                    _ if *step == "testing" && wf == "documentation" => "skipped",
                    _ => "completed",
                };
                m.workflow_steps
                    .get_or_create(&[
                        ("workflow_type", wf),
                        ("step_type", step),
                        ("status", step_status),
                    ])
                    .inc();
            }
        }
        for _ in 0..poisson(rng, 0.3 * rate * tick.dt) {
            let wf = WORKFLOWS[self.mix.pick(rng)].0;
            let decision = APPROVAL_DECISIONS[self.decisions.pick(rng)];
            m.workflow_approvals
                .get_or_create(&[("workflow_type", wf), ("decision", decision)])
                .inc();
        }
        // Little's law: active = arrival rate x duration, and stalls pile work up.
        for (i, (wf, share, median)) in WORKFLOWS.iter().enumerate() {
            let target = rate * share * median * (1.0 + 3.0 * stall);
            let value = self.active[i].step(rng, target, tick.dt, 60.0, 0.02);
            m.active_workflows
                .get_or_create(&[("workflow_type", wf)])
                .set(value.round());
        }
    }
}
