//! Seed 001, AutoBot (`autobot_*`), every metric of its sections 1 to 8.
//!
//! Histograms are in seconds. Gauges the seed names `..._total`
//! (`autobot_knowledge_documents_total`, `autobot_knowledge_vectors_total`,
//! `autobot_redis_keys_total`) are gauges as the seed says, exposed under exactly
//! that name.

use super::registrar::Registrar;

use super::families::{
    CounterVec, FloatCounterVec, GaugeVec, HistogramVec, bounds, histogram_vec, touch,
};
use crate::catalog::autobot::*;

/// Search result count buckets.
const RESULT_COUNTS: &[f64] = &[0.0, 1.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0];

/// Handles to every AutoBot metric.
#[derive(Debug, Clone)]
pub struct AutobotMetrics {
    // 1. Workflows
    /// workflow_type, status
    pub workflow_executions: CounterVec<2>,
    /// workflow_type
    pub workflow_duration: HistogramVec<1>,
    /// workflow_type, step_type, status
    pub workflow_steps: CounterVec<3>,
    /// workflow_type
    pub active_workflows: GaugeVec<1>,
    /// workflow_type, decision
    pub workflow_approvals: CounterVec<2>,
    // 2. GitHub
    /// operation, status
    pub github_operations: CounterVec<2>,
    /// operation
    pub github_api_duration: HistogramVec<1>,
    /// resource_type
    pub github_rate_limit: GaugeVec<1>,
    /// repository, status
    pub github_commits: CounterVec<2>,
    /// repository, action, status
    pub github_pull_requests: CounterVec<3>,
    /// repository, action, status
    pub github_issues: CounterVec<3>,
    // 3. Tasks
    /// task_type, agent_type, status
    pub tasks_executed: CounterVec<3>,
    /// task_type, agent_type
    pub task_duration: HistogramVec<2>,
    /// task_type, agent_type
    pub active_tasks: GaugeVec<2>,
    /// priority
    pub task_queue_size: GaugeVec<1>,
    /// task_type, reason
    pub task_retries: CounterVec<2>,
    // 4. Timeouts, pools, breakers
    /// operation_type, database, status
    pub timeouts: CounterVec<3>,
    /// operation_type, database
    pub operation_duration: HistogramVec<2>,
    /// operation_type, database, time_window (percent)
    pub timeout_rate: GaugeVec<3>,
    /// database, state
    pub redis_pool_connections: GaugeVec<2>,
    /// database
    pub redis_pool_saturation: GaugeVec<1>,
    /// database, event, reason
    pub breaker_events: CounterVec<3>,
    /// database
    pub breaker_state: GaugeVec<1>,
    /// database
    pub breaker_failure_count: GaugeVec<1>,
    /// database, operation, status
    pub redis_requests: CounterVec<3>,
    /// database, time_window (0-1)
    pub redis_success_rate: GaugeVec<2>,
    // 5. Knowledge base
    /// collection, document_type
    pub kb_documents: GaugeVec<2>,
    /// collection
    pub kb_vectors: GaugeVec<1>,
    /// search_type, collection
    pub kb_search_requests: CounterVec<2>,
    /// search_type, collection
    pub kb_search_latency: HistogramVec<2>,
    /// search_type
    pub kb_search_results: HistogramVec<1>,
    /// cache_type
    pub kb_cache_hits: CounterVec<1>,
    /// cache_type
    pub kb_cache_misses: CounterVec<1>,
    /// model
    pub kb_embedding_latency: HistogramVec<1>,
    // 6. LLM providers
    /// provider, model, request_type
    pub llm_requests: CounterVec<3>,
    /// provider, model, token_type
    pub llm_tokens: CounterVec<3>,
    /// provider, model, cost_type
    pub llm_cost: FloatCounterVec<3>,
    /// provider, model
    pub llm_latency: HistogramVec<2>,
    /// provider, error_type
    pub llm_errors: CounterVec<2>,
    /// provider
    pub llm_rate_limit: GaugeVec<1>,
    /// provider
    pub llm_availability: GaugeVec<1>,
    // 7. WebSocket
    /// namespace
    pub ws_active: GaugeVec<1>,
    /// namespace, status
    pub ws_connections: CounterVec<2>,
    /// namespace, event_type
    pub ws_sent: CounterVec<2>,
    /// namespace, event_type
    pub ws_received: CounterVec<2>,
    /// namespace
    pub ws_latency: HistogramVec<1>,
    /// namespace, error_type
    pub ws_errors: CounterVec<2>,
    /// namespace
    pub ws_rooms: GaugeVec<1>,
    // 8. Redis
    /// database, operation, status
    pub redis_operations: CounterVec<3>,
    /// database, operation
    pub redis_latency: HistogramVec<2>,
    /// database
    pub redis_connections_active: GaugeVec<1>,
    /// database
    pub redis_pool_size: GaugeVec<1>,
    /// database
    pub redis_pool_available: GaugeVec<1>,
    /// database
    pub redis_memory: GaugeVec<1>,
    /// database
    pub redis_keys: GaugeVec<1>,
    /// database, direction
    pub redis_pubsub: CounterVec<2>,
}

impl AutobotMetrics {
    /// Registers every AutoBot metric and creates all label sets up front.
    pub fn register(registry: &mut Registrar) -> Self {
        let m = Self {
            workflow_executions: CounterVec::default(),
            workflow_duration: histogram_vec(bounds::JOBS),
            workflow_steps: CounterVec::default(),
            active_workflows: GaugeVec::default(),
            workflow_approvals: CounterVec::default(),
            github_operations: CounterVec::default(),
            github_api_duration: histogram_vec(bounds::HTTP),
            github_rate_limit: GaugeVec::default(),
            github_commits: CounterVec::default(),
            github_pull_requests: CounterVec::default(),
            github_issues: CounterVec::default(),
            tasks_executed: CounterVec::default(),
            task_duration: histogram_vec(bounds::JOBS),
            active_tasks: GaugeVec::default(),
            task_queue_size: GaugeVec::default(),
            task_retries: CounterVec::default(),
            timeouts: CounterVec::default(),
            operation_duration: histogram_vec(bounds::FAST),
            timeout_rate: GaugeVec::default(),
            redis_pool_connections: GaugeVec::default(),
            redis_pool_saturation: GaugeVec::default(),
            breaker_events: CounterVec::default(),
            breaker_state: GaugeVec::default(),
            breaker_failure_count: GaugeVec::default(),
            redis_requests: CounterVec::default(),
            redis_success_rate: GaugeVec::default(),
            kb_documents: GaugeVec::default(),
            kb_vectors: GaugeVec::default(),
            kb_search_requests: CounterVec::default(),
            kb_search_latency: histogram_vec(bounds::HTTP),
            kb_search_results: histogram_vec(RESULT_COUNTS),
            kb_cache_hits: CounterVec::default(),
            kb_cache_misses: CounterVec::default(),
            kb_embedding_latency: histogram_vec(bounds::HTTP),
            llm_requests: CounterVec::default(),
            llm_tokens: CounterVec::default(),
            llm_cost: FloatCounterVec::default(),
            llm_latency: histogram_vec(bounds::SLOW),
            llm_errors: CounterVec::default(),
            llm_rate_limit: GaugeVec::default(),
            llm_availability: GaugeVec::default(),
            ws_active: GaugeVec::default(),
            ws_connections: CounterVec::default(),
            ws_sent: CounterVec::default(),
            ws_received: CounterVec::default(),
            ws_latency: histogram_vec(bounds::FAST),
            ws_errors: CounterVec::default(),
            ws_rooms: GaugeVec::default(),
            redis_operations: CounterVec::default(),
            redis_latency: histogram_vec(bounds::FAST),
            redis_connections_active: GaugeVec::default(),
            redis_pool_size: GaugeVec::default(),
            redis_pool_available: GaugeVec::default(),
            redis_memory: GaugeVec::default(),
            redis_keys: GaugeVec::default(),
            redis_pubsub: CounterVec::default(),
        };
        m.register_all(registry);
        m.create_label_sets();
        m
    }

    fn register_all(&self, r: &mut Registrar) {
        let m = self;
        r.register(
            "autobot_workflow_executions",
            "Total workflow executions",
            m.workflow_executions.clone(),
        );
        r.register(
            "autobot_workflow_duration_seconds",
            "Workflow execution duration in seconds",
            m.workflow_duration.clone(),
        );
        r.register(
            "autobot_workflow_steps_executed",
            "Total workflow steps executed",
            m.workflow_steps.clone(),
        );
        r.register(
            "autobot_active_workflows",
            "Currently active workflows",
            m.active_workflows.clone(),
        );
        r.register(
            "autobot_workflow_approvals",
            "Total workflow approval requests",
            m.workflow_approvals.clone(),
        );
        r.register(
            "autobot_github_operations",
            "Total GitHub API operations",
            m.github_operations.clone(),
        );
        r.register(
            "autobot_github_api_duration_seconds",
            "GitHub API call duration in seconds",
            m.github_api_duration.clone(),
        );
        r.register(
            "autobot_github_rate_limit_remaining",
            "GitHub API rate limit remaining",
            m.github_rate_limit.clone(),
        );
        r.register(
            "autobot_github_commits",
            "Total GitHub commits created",
            m.github_commits.clone(),
        );
        r.register(
            "autobot_github_pull_requests",
            "Total GitHub pull requests",
            m.github_pull_requests.clone(),
        );
        r.register(
            "autobot_github_issues",
            "Total GitHub issues",
            m.github_issues.clone(),
        );
        r.register(
            "autobot_tasks_executed",
            "Total tasks executed",
            m.tasks_executed.clone(),
        );
        r.register(
            "autobot_task_duration_seconds",
            "Task execution duration in seconds",
            m.task_duration.clone(),
        );
        r.register(
            "autobot_active_tasks",
            "Currently active tasks",
            m.active_tasks.clone(),
        );
        r.register(
            "autobot_task_queue_size",
            "Tasks in queue",
            m.task_queue_size.clone(),
        );
        r.register(
            "autobot_task_retries",
            "Total task retry attempts",
            m.task_retries.clone(),
        );
        r.register(
            "autobot_timeout",
            "Total timeout events",
            m.timeouts.clone(),
        );
        r.register(
            "autobot_operation_duration_seconds",
            "Operation duration in seconds",
            m.operation_duration.clone(),
        );
        r.register(
            "autobot_timeout_rate",
            "Percentage of operations timing out",
            m.timeout_rate.clone(),
        );
        r.register(
            "autobot_redis_pool_connections",
            "Redis connection pool connections by state",
            m.redis_pool_connections.clone(),
        );
        r.register(
            "autobot_redis_pool_saturation_ratio",
            "Redis pool saturation ratio (active / max)",
            m.redis_pool_saturation.clone(),
        );
        r.register(
            "autobot_circuit_breaker_events",
            "Circuit breaker events",
            m.breaker_events.clone(),
        );
        r.register(
            "autobot_circuit_breaker_state",
            "Circuit breaker state (0=closed, 1=open, 2=half_open)",
            m.breaker_state.clone(),
        );
        r.register(
            "autobot_circuit_breaker_failure_count",
            "Failures counted towards opening the circuit",
            m.breaker_failure_count.clone(),
        );
        r.register(
            "autobot_redis_requests",
            "Total Redis requests",
            m.redis_requests.clone(),
        );
        r.register(
            "autobot_redis_success_rate",
            "Redis operation success rate (0-1)",
            m.redis_success_rate.clone(),
        );
        r.register(
            "autobot_knowledge_documents_total",
            "Total documents in knowledge base",
            m.kb_documents.clone(),
        );
        r.register(
            "autobot_knowledge_vectors_total",
            "Total vector embeddings",
            m.kb_vectors.clone(),
        );
        r.register(
            "autobot_knowledge_search_requests",
            "Total search requests",
            m.kb_search_requests.clone(),
        );
        r.register(
            "autobot_knowledge_search_latency_seconds",
            "Search latency in seconds",
            m.kb_search_latency.clone(),
        );
        r.register(
            "autobot_knowledge_search_results_count",
            "Number of results returned",
            m.kb_search_results.clone(),
        );
        r.register(
            "autobot_knowledge_cache_hits",
            "Cache hits",
            m.kb_cache_hits.clone(),
        );
        r.register(
            "autobot_knowledge_cache_misses",
            "Cache misses",
            m.kb_cache_misses.clone(),
        );
        r.register(
            "autobot_knowledge_embedding_latency_seconds",
            "Embedding generation time in seconds",
            m.kb_embedding_latency.clone(),
        );
        r.register(
            "autobot_llm_requests",
            "Total LLM requests",
            m.llm_requests.clone(),
        );
        r.register("autobot_llm_tokens", "Token usage", m.llm_tokens.clone());
        r.register(
            "autobot_llm_cost_dollars",
            "Estimated cost in USD",
            m.llm_cost.clone(),
        );
        r.register(
            "autobot_llm_request_latency_seconds",
            "LLM request latency in seconds",
            m.llm_latency.clone(),
        );
        r.register(
            "autobot_llm_errors",
            "LLM error count",
            m.llm_errors.clone(),
        );
        r.register(
            "autobot_llm_rate_limit_remaining",
            "LLM rate limit remaining",
            m.llm_rate_limit.clone(),
        );
        r.register(
            "autobot_llm_provider_availability",
            "LLM provider status (1=available, 0=unavailable)",
            m.llm_availability.clone(),
        );
        r.register(
            "autobot_websocket_connections_active",
            "Active WebSocket connections",
            m.ws_active.clone(),
        );
        r.register(
            "autobot_websocket_connections",
            "Total WebSocket connections",
            m.ws_connections.clone(),
        );
        r.register(
            "autobot_websocket_messages_sent",
            "WebSocket messages sent",
            m.ws_sent.clone(),
        );
        r.register(
            "autobot_websocket_messages_received",
            "WebSocket messages received",
            m.ws_received.clone(),
        );
        r.register(
            "autobot_websocket_message_latency_seconds",
            "WebSocket message latency in seconds",
            m.ws_latency.clone(),
        );
        r.register(
            "autobot_websocket_errors",
            "WebSocket connection errors",
            m.ws_errors.clone(),
        );
        r.register(
            "autobot_websocket_rooms_active",
            "Active WebSocket rooms",
            m.ws_rooms.clone(),
        );
        r.register(
            "autobot_redis_operations",
            "Total Redis operations",
            m.redis_operations.clone(),
        );
        r.register(
            "autobot_redis_operation_latency_seconds",
            "Redis operation latency in seconds",
            m.redis_latency.clone(),
        );
        r.register(
            "autobot_redis_connections_active",
            "Active Redis connections",
            m.redis_connections_active.clone(),
        );
        r.register(
            "autobot_redis_pool_size",
            "Redis connection pool size",
            m.redis_pool_size.clone(),
        );
        r.register(
            "autobot_redis_pool_available",
            "Available Redis pool connections",
            m.redis_pool_available.clone(),
        );
        r.register(
            "autobot_redis_memory_used_bytes",
            "Redis memory usage in bytes",
            m.redis_memory.clone(),
        );
        r.register(
            "autobot_redis_keys_total",
            "Total keys",
            m.redis_keys.clone(),
        );
        r.register(
            "autobot_redis_pubsub_messages",
            "Redis pub/sub messages",
            m.redis_pubsub.clone(),
        );
    }

    fn create_label_sets(&self) {
        let m = self;
        for (wf, _, _) in WORKFLOWS {
            for status in WORKFLOW_STATUSES {
                touch(
                    &m.workflow_executions,
                    [("workflow_type", wf), ("status", status)],
                );
            }
            touch(&m.workflow_duration, [("workflow_type", wf)]);
            for step in STEP_TYPES {
                for status in STEP_STATUSES {
                    touch(
                        &m.workflow_steps,
                        [
                            ("workflow_type", wf),
                            ("step_type", step),
                            ("status", status),
                        ],
                    );
                }
            }
            touch(&m.active_workflows, [("workflow_type", wf)]);
            for decision in APPROVAL_DECISIONS {
                touch(
                    &m.workflow_approvals,
                    [("workflow_type", wf), ("decision", decision)],
                );
            }
        }
        for (op, _, _) in GITHUB_OPERATIONS {
            for status in ["success", "failed"] {
                touch(
                    &m.github_operations,
                    [("operation", op), ("status", status)],
                );
            }
            touch(&m.github_api_duration, [("operation", op)]);
        }
        for resource in GITHUB_RESOURCES {
            touch(&m.github_rate_limit, [("resource_type", resource)]);
        }
        for repo in GITHUB_REPOSITORIES {
            for status in ["created", "failed"] {
                touch(
                    &m.github_commits,
                    [("repository", repo), ("status", status)],
                );
            }
            for status in ["success", "failed"] {
                for action in PR_ACTIONS {
                    touch(
                        &m.github_pull_requests,
                        [("repository", repo), ("action", action), ("status", status)],
                    );
                }
                for action in ISSUE_ACTIONS {
                    touch(
                        &m.github_issues,
                        [("repository", repo), ("action", action), ("status", status)],
                    );
                }
            }
        }
        for (task, agent, _, _) in TASKS {
            for status in ["success", "failed"] {
                touch(
                    &m.tasks_executed,
                    [
                        ("task_type", task),
                        ("agent_type", agent),
                        ("status", status),
                    ],
                );
            }
            touch(
                &m.task_duration,
                [("task_type", task), ("agent_type", agent)],
            );
            touch(
                &m.active_tasks,
                [("task_type", task), ("agent_type", agent)],
            );
            for reason in RETRY_REASONS {
                touch(&m.task_retries, [("task_type", task), ("reason", reason)]);
            }
        }
        for priority in PRIORITIES {
            touch(&m.task_queue_size, [("priority", priority)]);
        }
        for (db, _, _) in DATABASES {
            for op in TIMED_OPERATIONS {
                for status in ["success", "timeout"] {
                    touch(
                        &m.timeouts,
                        [("operation_type", op), ("database", db), ("status", status)],
                    );
                }
                touch(
                    &m.operation_duration,
                    [("operation_type", op), ("database", db)],
                );
                for (window, _) in TIME_WINDOWS {
                    touch(
                        &m.timeout_rate,
                        [
                            ("operation_type", op),
                            ("database", db),
                            ("time_window", window),
                        ],
                    );
                }
            }
            for state in ["active", "idle", "max"] {
                touch(
                    &m.redis_pool_connections,
                    [("database", db), ("state", state)],
                );
            }
            touch(&m.redis_pool_saturation, [("database", db)]);
            for (event, reason) in BREAKER_EVENTS {
                touch(
                    &m.breaker_events,
                    [("database", db), ("event", event), ("reason", reason)],
                );
            }
            touch(&m.breaker_state, [("database", db)]);
            touch(&m.breaker_failure_count, [("database", db)]);
            for (op, _) in REDIS_OPERATIONS {
                for status in ["success", "failed"] {
                    touch(
                        &m.redis_requests,
                        [("database", db), ("operation", op), ("status", status)],
                    );
                }
                for status in ["success", "error"] {
                    touch(
                        &m.redis_operations,
                        [("database", db), ("operation", op), ("status", status)],
                    );
                }
                touch(&m.redis_latency, [("database", db), ("operation", op)]);
            }
            for (window, _) in TIME_WINDOWS {
                touch(
                    &m.redis_success_rate,
                    [("database", db), ("time_window", window)],
                );
            }
            touch(&m.redis_connections_active, [("database", db)]);
            touch(&m.redis_pool_size, [("database", db)]);
            touch(&m.redis_pool_available, [("database", db)]);
            touch(&m.redis_memory, [("database", db)]);
            touch(&m.redis_keys, [("database", db)]);
            for direction in PUBSUB_DIRECTIONS {
                touch(
                    &m.redis_pubsub,
                    [("database", db), ("direction", direction)],
                );
            }
        }
        for (collection, doc_type, _) in DOCUMENTS {
            touch(
                &m.kb_documents,
                [("collection", collection), ("document_type", doc_type)],
            );
        }
        for collection in COLLECTIONS {
            touch(&m.kb_vectors, [("collection", collection)]);
            for search in SEARCH_TYPES {
                touch(
                    &m.kb_search_requests,
                    [("search_type", search), ("collection", collection)],
                );
                touch(
                    &m.kb_search_latency,
                    [("search_type", search), ("collection", collection)],
                );
            }
        }
        for search in SEARCH_TYPES {
            touch(&m.kb_search_results, [("search_type", search)]);
        }
        for cache in CACHE_TYPES {
            touch(&m.kb_cache_hits, [("cache_type", cache)]);
            touch(&m.kb_cache_misses, [("cache_type", cache)]);
        }
        for (model, _) in EMBEDDING_MODELS {
            touch(&m.kb_embedding_latency, [("model", model)]);
        }
        for (p, model, _, _, _, _) in MODELS {
            let provider = PROVIDERS[p];
            for request_type in REQUEST_TYPES {
                touch(
                    &m.llm_requests,
                    [
                        ("provider", provider),
                        ("model", model),
                        ("request_type", request_type),
                    ],
                );
            }
            for kind in TOKEN_TYPES {
                touch(
                    &m.llm_tokens,
                    [
                        ("provider", provider),
                        ("model", model),
                        ("token_type", kind),
                    ],
                );
                touch(
                    &m.llm_cost,
                    [
                        ("provider", provider),
                        ("model", model),
                        ("cost_type", kind),
                    ],
                );
            }
            touch(&m.llm_latency, [("provider", provider), ("model", model)]);
        }
        for provider in PROVIDERS {
            for error in LLM_ERRORS {
                touch(
                    &m.llm_errors,
                    [("provider", provider), ("error_type", error)],
                );
            }
            touch(&m.llm_rate_limit, [("provider", provider)]);
            touch(&m.llm_availability, [("provider", provider)]);
        }
        for (ns, _, events) in NAMESPACES {
            touch(&m.ws_active, [("namespace", ns)]);
            for status in CONNECTION_STATUSES {
                touch(&m.ws_connections, [("namespace", ns), ("status", status)]);
            }
            for event in events {
                touch(&m.ws_sent, [("namespace", ns), ("event_type", event)]);
                touch(&m.ws_received, [("namespace", ns), ("event_type", event)]);
            }
            touch(&m.ws_latency, [("namespace", ns)]);
            for error in WS_ERRORS {
                touch(&m.ws_errors, [("namespace", ns), ("error_type", error)]);
            }
            touch(&m.ws_rooms, [("namespace", ns)]);
        }
    }
}
