//! Label values of the monitored platform (seed 003): HTTP services, workflow
//! engines, the host, and the business.

/// HTTP routes: service, method, route, share of requests, median seconds.
pub const ROUTES: [(&str, &str, &str, f64, f64); 8] = [
    ("api-gateway", "GET", "/api/workflows", 0.2, 0.04),
    ("api-gateway", "POST", "/api/workflows", 0.06, 0.12),
    ("api-gateway", "POST", "/api/auth/login", 0.04, 0.09),
    (
        "workflow-service",
        "POST",
        "/workflows/:id/execute",
        0.12,
        0.25,
    ),
    (
        "workflow-service",
        "GET",
        "/workflows/:id/status",
        0.3,
        0.015,
    ),
    ("engine-service", "POST", "/engines/:type/invoke", 0.1, 0.25),
    ("engine-service", "GET", "/engines", 0.08, 0.01),
    ("engine-service", "GET", "/health", 0.1, 0.002),
];

/// Status codes a route answers with.
pub const STATUS_CODES: [&str; 5] = ["200", "201", "400", "500", "503"];

/// Workflow names, their share of executions and their engine index.
pub const WORKFLOWS: [(&str, f64, usize); 5] = [
    ("lead-enrichment", 0.28, 0),
    ("invoice-processing", 0.22, 1),
    ("support-triage", 0.24, 0),
    ("content-generation", 0.16, 0),
    ("data-sync", 0.1, 1),
];

/// Workflow engine types with median execution seconds.
pub const ENGINES: [(&str, f64); 2] = [("langgraph", 14.0), ("temporal", 45.0)];

/// Workflow outcomes.
pub const WORKFLOW_STATUSES: [&str; 3] = ["success", "failed", "timeout"];

/// Engine operations.
pub const ENGINE_OPERATIONS: [&str; 3] = ["start", "poll", "cancel"];

/// Work queues.
pub const QUEUES: [&str; 3] = ["default", "priority", "scheduled"];

/// CPU modes of the host, with their share of non-idle time.
pub const CPU_MODES: [(&str, f64); 4] = [
    ("user", 0.68),
    ("system", 0.22),
    ("iowait", 0.07),
    ("softirq", 0.03),
];

/// Number of CPUs of the host.
pub const CPUS: [&str; 4] = ["0", "1", "2", "3"];

/// Filesystems: mountpoint, device, fstype, size in bytes, normal used share.
pub const FILESYSTEMS: [(&str, &str, &str, f64, f64); 2] = [
    ("/", "/dev/nvme0n1p1", "ext4", 107_374_182_400.0, 0.62),
    (
        "/var/lib/data",
        "/dev/nvme1n1",
        "xfs",
        536_870_912_000.0,
        0.71,
    ),
];

/// Memory of the host in bytes.
pub const MEMORY_TOTAL: f64 = 17_179_869_184.0;
