//! Label values of AutoBot (seed 001).

/// Workflow types with their relative frequency and median duration in seconds.
pub const WORKFLOWS: [(&str, f64, f64); 6] = [
    ("code_review", 0.30, 90.0),
    ("bug_fix", 0.22, 420.0),
    ("feature_development", 0.14, 1500.0),
    ("refactoring", 0.12, 600.0),
    ("documentation", 0.14, 120.0),
    ("security_audit", 0.08, 300.0),
];

/// Outcomes of a workflow execution.
pub const WORKFLOW_STATUSES: [&str; 3] = ["success", "failed", "cancelled"];

/// Step types a workflow goes through.
pub const STEP_TYPES: [&str; 5] = [
    "analysis",
    "planning",
    "implementation",
    "testing",
    "review",
];

/// Outcomes of one step.
pub const STEP_STATUSES: [&str; 3] = ["completed", "failed", "skipped"];

/// Approval decisions.
pub const APPROVAL_DECISIONS: [&str; 3] = ["approved", "rejected", "timed_out"];

/// GitHub API operations with their share of calls and median latency in seconds.
pub const GITHUB_OPERATIONS: [(&str, f64, f64); 8] = [
    ("get_repository", 0.22, 0.12),
    ("list_issues", 0.16, 0.25),
    ("create_commit", 0.14, 0.45),
    ("create_pull_request", 0.08, 0.6),
    ("merge_pull_request", 0.05, 0.8),
    ("create_review_comment", 0.15, 0.3),
    ("create_issue", 0.08, 0.35),
    ("update_issue", 0.12, 0.3),
];

/// GitHub rate-limit resources (both 5000 requests per hour).
pub const GITHUB_RESOURCES: [&str; 2] = ["core", "graphql"];

/// Repositories AutoBot works on.
pub const GITHUB_REPOSITORIES: [&str; 6] = [
    "autobot/autobot-core",
    "autobot/autobot-web",
    "autobot/knowledge-base",
    "acme/payments-api",
    "acme/checkout-web",
    "myorg/myrepo",
];

/// Pull-request actions.
pub const PR_ACTIONS: [&str; 4] = ["create", "review", "merge", "close"];

/// Issue actions.
pub const ISSUE_ACTIONS: [&str; 4] = ["create", "update", "comment", "close"];

/// Task types, the agent that runs each, share of tasks and median seconds.
pub const TASKS: [(&str, &str, f64, f64); 6] = [
    ("code_analysis", "code-reviewer", 0.28, 12.0),
    ("test_generation", "test-writer", 0.2, 25.0),
    ("documentation", "doc-writer", 0.14, 18.0),
    ("refactoring", "refactorer", 0.14, 40.0),
    ("security_scan", "security-scanner", 0.12, 30.0),
    ("dependency_update", "dependency-bot", 0.12, 8.0),
];

/// Task queue priorities.
pub const PRIORITIES: [&str; 3] = ["high", "normal", "low"];

/// Why a task was retried.
pub const RETRY_REASONS: [&str; 3] = ["timeout", "rate_limited", "transient_error"];

/// Redis databases with pool size and typical memory in bytes.
pub const DATABASES: [(&str, f64, f64); 3] = [
    ("main", 20.0, 180.0e6),
    ("cache", 30.0, 420.0e6),
    ("knowledge", 15.0, 950.0e6),
];

/// Operation types timed per database (section 4).
pub const TIMED_OPERATIONS: [&str; 5] = [
    "redis_get",
    "redis_set",
    "redis_hget",
    "redis_pipeline",
    "redis_scan",
];

/// Windows of the rolling timeout and success rates.
pub const TIME_WINDOWS: [(&str, f64); 3] = [("1m", 60.0), ("5m", 300.0), ("15m", 900.0)];

/// Redis commands counted per database (sections 4 and 8) with their share of calls.
pub const REDIS_OPERATIONS: [(&str, f64); 6] = [
    ("get", 0.38),
    ("set", 0.2),
    ("hget", 0.16),
    ("hset", 0.1),
    ("lpush", 0.08),
    ("publish", 0.08),
];

/// Circuit breaker events and the reason each is recorded with.
pub const BREAKER_EVENTS: [(&str, &str); 3] = [
    ("opened", "too_many_failures"),
    ("half_opened", "recovery_timeout"),
    ("closed", "success_threshold"),
];

/// Knowledge-base collections and their document types (with document counts).
pub const DOCUMENTS: [(&str, &str, f64); 7] = [
    ("docs", "markdown", 1500.0),
    ("docs", "pdf", 220.0),
    ("code", "python", 4200.0),
    ("code", "typescript", 2600.0),
    ("tickets", "json", 8300.0),
    ("wiki", "markdown", 940.0),
    ("wiki", "html", 310.0),
];

/// Collections, for the per-collection series.
pub const COLLECTIONS: [&str; 4] = ["docs", "code", "tickets", "wiki"];

/// Search types.
pub const SEARCH_TYPES: [&str; 3] = ["semantic", "keyword", "hybrid"];

/// Cache types of the knowledge base.
pub const CACHE_TYPES: [&str; 3] = ["embedding", "query", "document"];

/// Embedding models with median latency in seconds.
pub const EMBEDDING_MODELS: [(&str, f64); 2] = [
    ("text-embedding-3-small", 0.09),
    ("nomic-embed-text", 0.035),
];

/// LLM providers.
pub const PROVIDERS: [&str; 3] = ["openai", "anthropic", "ollama"];

/// Models by provider index, with share of requests, median latency in seconds and
/// USD per 1K input and output tokens (local models cost nothing).
pub const MODELS: [(usize, &str, f64, f64, f64, f64); 6] = [
    (0, "gpt-4o", 0.22, 3.2, 0.0025, 0.01),
    (0, "gpt-4o-mini", 0.26, 1.4, 0.00015, 0.0006),
    (1, "claude-3-5-sonnet", 0.24, 4.1, 0.003, 0.015),
    (1, "claude-3-haiku", 0.12, 1.1, 0.00025, 0.00125),
    (2, "llama3.1:8b", 0.1, 2.2, 0.0, 0.0),
    (2, "qwen2.5-coder:7b", 0.06, 1.9, 0.0, 0.0),
];

/// LLM request types.
pub const REQUEST_TYPES: [&str; 2] = ["chat", "completion"];

/// Token and cost kinds.
pub const TOKEN_TYPES: [&str; 2] = ["input", "output"];

/// LLM error types.
pub const LLM_ERRORS: [&str; 4] = ["rate_limit", "timeout", "server_error", "invalid_request"];

/// WebSocket namespaces, their share of connections and the events sent on each.
pub const NAMESPACES: [(&str, f64, [&str; 2]); 4] = [
    ("/chat", 0.4, ["chat_message", "typing"]),
    ("/events", 0.3, ["workflow_update", "task_update"]),
    ("/workflows", 0.2, ["step_progress", "approval_request"]),
    ("/notifications", 0.1, ["notification", "ack"]),
];

/// WebSocket connection outcomes.
pub const CONNECTION_STATUSES: [&str; 3] = ["connected", "disconnected", "rejected"];

/// WebSocket error types.
pub const WS_ERRORS: [&str; 3] = ["disconnect", "timeout", "parse_error"];

/// Pub/sub directions.
pub const PUBSUB_DIRECTIONS: [&str; 2] = ["published", "received"];

/// The eight metric categories of the seed, as the health check lists them.
pub const CATEGORIES: [&str; 8] = [
    "workflow",
    "github",
    "task",
    "performance",
    "knowledge_base",
    "llm_provider",
    "websocket",
    "redis",
];
