//! What the simulation reports after a tick: the things worth a log line.

use vantage_api::management::CircuitBreakerState;

/// A notable change during one tick.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// An incident began.
    IncidentStarted {
        /// Kind name.
        kind: &'static str,
        /// What exactly, for people.
        detail: String,
    },
    /// An incident is over.
    IncidentEnded {
        /// Kind name.
        kind: &'static str,
    },
    /// An orchestrator circuit breaker changed state.
    Breaker {
        /// Agent name.
        agent: &'static str,
        /// State before.
        from: CircuitBreakerState,
        /// State after.
        to: CircuitBreakerState,
    },
    /// A Vault secret rotation ran.
    VaultRotation {
        /// Secret name.
        secret: &'static str,
        /// Whether it worked.
        ok: bool,
    },
}
