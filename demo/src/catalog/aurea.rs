//! Label values of the Aurea orchestrator (seed 002).

/// Models with their USD price per 1K tokens (the seed's table) and share of tasks.
pub const MODELS: [(&str, f64, f64); 4] = [
    ("gpt-4", 0.03, 0.3),
    ("gpt-3.5-turbo", 0.002, 0.35),
    ("claude-2", 0.025, 0.2),
    ("llama-2", 0.001, 0.15),
];

/// Task outcomes.
pub const TASK_STATUSES: [&str; 2] = ["completed", "failed"];

/// HTTP endpoints: method, path, share of requests, median latency in seconds.
pub const ENDPOINTS: [(&str, &str, f64, f64); 5] = [
    ("POST", "/tasks", 0.22, 0.09),
    ("GET", "/tasks/{task_id}", 0.46, 0.012),
    ("GET", "/models", 0.06, 0.004),
    ("GET", "/health", 0.16, 0.002),
    ("GET", "/metrics", 0.1, 0.006),
];

/// The request latency buckets, exactly as the seed lists them (`+Inf` is implicit).
pub const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];
