//! The orchestrator's metrics as its own management API sees them: Micrometer meters
//! (one per name and tag combination) with a kind and a category.

/// Micrometer meter kinds the orchestrator uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeterKind {
    /// `Counter` (and the cost meter, a counter in the orchestrator).
    Counter,
    /// `Gauge`.
    Gauge,
    /// `Timer`, exposed as a histogram.
    Timer,
    /// `DistributionSummary`, exposed as a summary.
    DistributionSummary,
}

/// One orchestrator metric name and how many meters (tag combinations) it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meter {
    /// Dotted name, e.g. `orchestrator.cost.attribution`.
    pub name: &'static str,
    /// Category of `/api/metrics/available`.
    pub category: &'static str,
    /// Meter kind.
    pub kind: MeterKind,
    /// Number of tag combinations currently registered.
    pub count: usize,
}

/// Categories in the order the orchestrator lists them.
pub const CATEGORIES: [&str; 6] = ["agent", "graft", "websocket", "jwt", "vault", "cost"];
