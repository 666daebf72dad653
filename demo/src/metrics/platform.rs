//! Seed 003, the monitored platform. The seed names no metrics, so these use the
//! conventional Prometheus names (prom-client defaults, node_exporter, and a
//! `business_` prefix for KPIs):
//!
//! | exposed name | type | labels |
//! |---|---|---|
//! | `http_requests_total` | counter | service, method, route, status_code |
//! | `http_request_duration_seconds` | histogram | service, method, route |
//! | `workflow_executions_total` | counter | workflow_name, engine_type, status |
//! | `workflow_execution_duration_seconds` | histogram | engine_type |
//! | `workflow_queue_size` | gauge | queue |
//! | `engine_calls_total` | counter | engine_type, operation, status |
//! | `engine_call_duration_seconds` | histogram | engine_type, operation |
//! | `node_cpu_seconds_total` | counter | cpu, mode |
//! | `node_memory_MemTotal_bytes`, `node_memory_MemAvailable_bytes` | gauge | |
//! | `node_filesystem_size_bytes`, `node_filesystem_avail_bytes` | gauge | device, fstype, mountpoint |
//! | `business_user_logins_total`, `business_workflows_created_total` | counter | |
//! | `business_active_users` | gauge | window (`30d`) |
//! | `business_mrr_usd` | gauge | |
//! | `business_customer_satisfaction_score` | gauge, 1-5 | |

use super::registrar::Registrar;

use super::families::{
    CounterVec, FloatCounterVec, FloatGauge, GaugeVec, HistogramVec, IntCounter, bounds,
    histogram_vec, touch,
};
use crate::catalog::platform::{
    CPU_MODES, CPUS, ENGINE_OPERATIONS, ENGINES, FILESYSTEMS, QUEUES, ROUTES, STATUS_CODES,
    WORKFLOW_STATUSES, WORKFLOWS,
};

/// Handles to every platform metric.
#[derive(Debug, Clone)]
pub struct PlatformMetrics {
    /// service, method, route, status_code
    pub http_requests: CounterVec<4>,
    /// service, method, route
    pub http_duration: HistogramVec<3>,
    /// workflow_name, engine_type, status
    pub workflow_executions: CounterVec<3>,
    /// engine_type
    pub workflow_duration: HistogramVec<1>,
    /// queue
    pub workflow_queue: GaugeVec<1>,
    /// engine_type, operation, status
    pub engine_calls: CounterVec<3>,
    /// engine_type, operation
    pub engine_duration: HistogramVec<2>,
    /// cpu, mode
    pub cpu_seconds: FloatCounterVec<2>,
    /// Host memory.
    pub mem_total: FloatGauge,
    /// Host memory available.
    pub mem_available: FloatGauge,
    /// device, fstype, mountpoint
    pub fs_size: GaugeVec<3>,
    /// device, fstype, mountpoint
    pub fs_avail: GaugeVec<3>,
    /// Logins.
    pub logins: IntCounter,
    /// Workflows created.
    pub workflows_created: IntCounter,
    /// window
    pub active_users: GaugeVec<1>,
    /// Monthly recurring revenue.
    pub mrr: FloatGauge,
    /// Customer satisfaction, 1-5.
    pub csat: FloatGauge,
}

impl PlatformMetrics {
    /// Registers every platform metric and creates all label sets up front.
    pub fn register(r: &mut Registrar) -> Self {
        let m = Self {
            http_requests: CounterVec::default(),
            http_duration: histogram_vec(bounds::HTTP),
            workflow_executions: CounterVec::default(),
            workflow_duration: histogram_vec(bounds::JOBS),
            workflow_queue: GaugeVec::default(),
            engine_calls: CounterVec::default(),
            engine_duration: histogram_vec(bounds::SLOW),
            cpu_seconds: FloatCounterVec::default(),
            mem_total: FloatGauge::default(),
            mem_available: FloatGauge::default(),
            fs_size: GaugeVec::default(),
            fs_avail: GaugeVec::default(),
            logins: IntCounter::default(),
            workflows_created: IntCounter::default(),
            active_users: GaugeVec::default(),
            mrr: FloatGauge::default(),
            csat: FloatGauge::default(),
        };
        r.register(
            "http_requests",
            "Total HTTP requests",
            m.http_requests.clone(),
        );
        r.register(
            "http_request_duration_seconds",
            "HTTP request duration in seconds",
            m.http_duration.clone(),
        );
        r.register(
            "workflow_executions",
            "Workflow executions",
            m.workflow_executions.clone(),
        );
        r.register(
            "workflow_execution_duration_seconds",
            "Workflow execution duration in seconds",
            m.workflow_duration.clone(),
        );
        r.register(
            "workflow_queue_size",
            "Workflows waiting in a queue",
            m.workflow_queue.clone(),
        );
        r.register(
            "engine_calls",
            "Calls to workflow engines",
            m.engine_calls.clone(),
        );
        r.register(
            "engine_call_duration_seconds",
            "Workflow engine call duration in seconds",
            m.engine_duration.clone(),
        );
        r.register(
            "node_cpu_seconds",
            "Seconds the CPUs spent in each mode",
            m.cpu_seconds.clone(),
        );
        r.register(
            "node_memory_MemTotal_bytes",
            "Memory information field MemTotal_bytes",
            m.mem_total.clone(),
        );
        r.register(
            "node_memory_MemAvailable_bytes",
            "Memory information field MemAvailable_bytes",
            m.mem_available.clone(),
        );
        r.register(
            "node_filesystem_size_bytes",
            "Filesystem size in bytes",
            m.fs_size.clone(),
        );
        r.register(
            "node_filesystem_avail_bytes",
            "Filesystem space available to non-root users in bytes",
            m.fs_avail.clone(),
        );
        r.register("business_user_logins", "User logins", m.logins.clone());
        r.register(
            "business_workflows_created",
            "Workflows created by customers",
            m.workflows_created.clone(),
        );
        r.register(
            "business_active_users",
            "Distinct active users over the window",
            m.active_users.clone(),
        );
        r.register(
            "business_mrr_usd",
            "Monthly recurring revenue in USD",
            m.mrr.clone(),
        );
        r.register(
            "business_customer_satisfaction_score",
            "Customer satisfaction score (1-5)",
            m.csat.clone(),
        );

        for (service, method, route, _, _) in ROUTES {
            touch(
                &m.http_duration,
                [("service", service), ("method", method), ("route", route)],
            );
            for code in STATUS_CODES {
                touch(
                    &m.http_requests,
                    [
                        ("service", service),
                        ("method", method),
                        ("route", route),
                        ("status_code", code),
                    ],
                );
            }
        }
        for (name, _, engine) in WORKFLOWS {
            for status in WORKFLOW_STATUSES {
                touch(
                    &m.workflow_executions,
                    [
                        ("workflow_name", name),
                        ("engine_type", ENGINES[engine].0),
                        ("status", status),
                    ],
                );
            }
        }
        for (engine, _) in ENGINES {
            touch(&m.workflow_duration, [("engine_type", engine)]);
            for op in ENGINE_OPERATIONS {
                touch(
                    &m.engine_duration,
                    [("engine_type", engine), ("operation", op)],
                );
                for status in ["success", "error"] {
                    touch(
                        &m.engine_calls,
                        [
                            ("engine_type", engine),
                            ("operation", op),
                            ("status", status),
                        ],
                    );
                }
            }
        }
        for queue in QUEUES {
            touch(&m.workflow_queue, [("queue", queue)]);
        }
        for cpu in CPUS {
            touch(&m.cpu_seconds, [("cpu", cpu), ("mode", "idle")]);
            for (mode, _) in CPU_MODES {
                touch(&m.cpu_seconds, [("cpu", cpu), ("mode", mode)]);
            }
        }
        for (mountpoint, device, fstype, _, _) in FILESYSTEMS {
            let labels = [
                ("device", device),
                ("fstype", fstype),
                ("mountpoint", mountpoint),
            ];
            touch(&m.fs_size, labels);
            touch(&m.fs_avail, labels);
        }
        touch(&m.active_users, [("window", "30d")]);
        m
    }
}
