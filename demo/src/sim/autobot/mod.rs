//! AutoBot (seed 001): workflows, GitHub, tasks, Redis, knowledge base, LLM
//! providers and WebSocket namespaces, one module each.

mod github;
mod knowledge;
mod llm;
mod redis;
mod sockets;
mod tasks;
mod workflows;

use rand::rngs::StdRng;

use super::Tick;
use crate::metrics::autobot::AutobotMetrics;

/// AutoBot's state.
#[derive(Debug, Clone)]
pub struct AutobotSim {
    workflows: workflows::Workflows,
    github: github::GitHub,
    tasks: tasks::Tasks,
    redis: redis::RedisFleet,
    knowledge: knowledge::Knowledge,
    llm: llm::Llm,
    sockets: sockets::Sockets,
}

impl AutobotSim {
    /// A quiet AutoBot.
    pub fn new(rng: &mut StdRng) -> Self {
        Self {
            workflows: workflows::Workflows::new(),
            github: github::GitHub::new(),
            tasks: tasks::Tasks::new(),
            redis: redis::RedisFleet::new(),
            knowledge: knowledge::Knowledge::new(rng),
            llm: llm::Llm::new(),
            sockets: sockets::Sockets::new(),
        }
    }

    /// Advances every part by one tick.
    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &AutobotMetrics) {
        self.workflows.step(tick, rng, m);
        self.github.step(tick, rng, m);
        self.tasks.step(tick, rng, m);
        self.redis.step(tick, rng, m);
        self.knowledge.step(tick, rng, m);
        self.llm.step(tick, rng, m);
        self.sockets.step(tick, rng, m);
    }
}
