//! Seed 004, the aSDLC orchestrator and workers services (`asdlc_*`).
//!
//! | exposed name | type | labels |
//! |---|---|---|
//! | `asdlc_service_info` | info | service, version |
//! | `asdlc_http_requests_total` | counter | service, method, endpoint, status |
//! | `asdlc_http_request_duration_seconds` | histogram, the seed's buckets | service, method, endpoint |
//! | `asdlc_events_processed_total` | counter | service, event_type, status |
//! | `asdlc_active_tasks`, `asdlc_active_workers`, `asdlc_redis_connection_up` | gauge | service |
//! | `asdlc_redis_operation_duration_seconds` | histogram, the seed's buckets | service, operation |
//! | `asdlc_process_memory_bytes` | gauge | service, type |

use super::registrar::Registrar;

use super::families::{CounterVec, GaugeVec, HistogramVec, histogram_vec, touch};
use super::info::ServiceInfo;
use crate::catalog::asdlc::{
    ENDPOINTS, EVENT_TYPES, HTTP_BUCKETS, MEMORY_TYPES, REDIS_BUCKETS, REDIS_OPERATIONS, SERVICES,
};

/// Status codes per method.
pub fn statuses(method: &str) -> &'static [&'static str] {
    if method == "POST" {
        &["201", "400", "500"]
    } else {
        &["200", "404", "500"]
    }
}

/// Handles to every aSDLC metric.
#[derive(Debug, Clone)]
pub struct AsdlcMetrics {
    /// service, method, endpoint, status
    pub http_requests: CounterVec<4>,
    /// service, method, endpoint
    pub http_duration: HistogramVec<3>,
    /// service, event_type, status
    pub events: CounterVec<3>,
    /// service
    pub active_tasks: GaugeVec<1>,
    /// service
    pub active_workers: GaugeVec<1>,
    /// service
    pub redis_up: GaugeVec<1>,
    /// service, operation
    pub redis_duration: HistogramVec<2>,
    /// service, type
    pub memory: GaugeVec<2>,
}

impl AsdlcMetrics {
    /// Registers every aSDLC metric and creates all label sets up front.
    pub fn register(r: &mut Registrar) -> Self {
        let m = Self {
            http_requests: CounterVec::default(),
            http_duration: histogram_vec(HTTP_BUCKETS),
            events: CounterVec::default(),
            active_tasks: GaugeVec::default(),
            active_workers: GaugeVec::default(),
            redis_up: GaugeVec::default(),
            redis_duration: histogram_vec(REDIS_BUCKETS),
            memory: GaugeVec::default(),
        };
        r.register(
            "asdlc_service",
            "Service information",
            ServiceInfo::new(&SERVICES),
        );
        r.register(
            "asdlc_http_requests",
            "Total HTTP requests",
            m.http_requests.clone(),
        );
        r.register(
            "asdlc_http_request_duration_seconds",
            "HTTP request latency in seconds",
            m.http_duration.clone(),
        );
        r.register(
            "asdlc_events_processed",
            "Total events processed",
            m.events.clone(),
        );
        r.register(
            "asdlc_active_tasks",
            "Number of currently active tasks",
            m.active_tasks.clone(),
        );
        r.register(
            "asdlc_active_workers",
            "Number of active worker threads",
            m.active_workers.clone(),
        );
        r.register(
            "asdlc_redis_connection_up",
            "Redis connection status (1=up, 0=down)",
            m.redis_up.clone(),
        );
        r.register(
            "asdlc_redis_operation_duration_seconds",
            "Redis operation latency in seconds",
            m.redis_duration.clone(),
        );
        r.register(
            "asdlc_process_memory_bytes",
            "Process memory usage in bytes",
            m.memory.clone(),
        );

        for (s, method, endpoint, _, _) in ENDPOINTS {
            let service = SERVICES[s].0;
            touch(
                &m.http_duration,
                [
                    ("service", service),
                    ("method", method),
                    ("endpoint", endpoint),
                ],
            );
            for status in statuses(method) {
                touch(
                    &m.http_requests,
                    [
                        ("service", service),
                        ("method", method),
                        ("endpoint", endpoint),
                        ("status", status),
                    ],
                );
            }
        }
        for (service, _) in SERVICES {
            for event in EVENT_TYPES {
                for status in ["success", "failed"] {
                    touch(
                        &m.events,
                        [
                            ("service", service),
                            ("event_type", event),
                            ("status", status),
                        ],
                    );
                }
            }
            touch(&m.active_tasks, [("service", service)]);
            touch(&m.active_workers, [("service", service)]);
            touch(&m.redis_up, [("service", service)]);
            for op in REDIS_OPERATIONS {
                touch(&m.redis_duration, [("service", service), ("operation", op)]);
            }
            for kind in MEMORY_TYPES {
                touch(&m.memory, [("service", service), ("type", kind)]);
            }
        }
        m
    }
}
