//! Label values of the aSDLC services (seed 004).

/// The two services and their versions.
pub const SERVICES: [(&str, &str); 2] = [("orchestrator", "0.7.2"), ("workers", "0.7.2")];

/// HTTP endpoints per service index: method, path, share, median seconds.
pub const ENDPOINTS: [(usize, &str, &str, f64, f64); 8] = [
    (0, "GET", "/health", 0.25, 0.002),
    (0, "POST", "/api/tasks", 0.15, 0.045),
    (0, "GET", "/api/tasks", 0.3, 0.018),
    (0, "GET", "/api/metrics/query_range", 0.2, 0.09),
    (0, "GET", "/api/metrics/services", 0.1, 0.03),
    (1, "GET", "/health", 0.6, 0.002),
    (1, "GET", "/stats", 0.3, 0.006),
    (1, "POST", "/drain", 0.1, 0.02),
];

/// Event types from the Redis streams.
pub const EVENT_TYPES: [&str; 5] = [
    "task_created",
    "task_completed",
    "agent_started",
    "agent_finished",
    "gate_requested",
];

/// Redis operations timed by both services.
pub const REDIS_OPERATIONS: [&str; 5] = ["xadd", "xreadgroup", "xack", "get", "set"];

/// Memory kinds of the process memory gauge.
pub const MEMORY_TYPES: [&str; 2] = ["rss", "vms"];

/// HTTP request buckets, exactly as the seed lists them.
pub const HTTP_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Redis operation buckets, exactly as the seed lists them.
pub const REDIS_BUCKETS: &[f64] = &[0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5];
