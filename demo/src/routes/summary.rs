//! `GET /api/metrics/summary` and `GET /api/metrics/available`, computed from the
//! orchestrator's real metric set.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use time::OffsetDateTime;
use vantage_api::management::{AvailableMetrics, MetricsByType, MetricsSummary};

use super::millis;
use crate::metrics::meters::{CATEGORIES, Meter, MeterKind};
use crate::state::AppState;

/// Meter counts by kind.
pub fn count_by_kind(meters: &[Meter]) -> MetricsByType {
    let mut by = MetricsByType::default();
    for meter in meters {
        let n = meter.count as u64;
        match meter.kind {
            MeterKind::Counter => by.counter += n,
            MeterKind::Gauge => by.gauge += n,
            MeterKind::Timer => by.timer += n,
            MeterKind::DistributionSummary => by.distribution_summary += n,
        }
    }
    by
}

/// `GET /api/metrics/summary`.
pub async fn summary(State(state): State<AppState>) -> Json<MetricsSummary> {
    let meters = state.metrics().orchestrator.meters();
    let active = state.sim().orchestrator().sessions().len() as u64;
    Json(MetricsSummary {
        timestamp: millis(OffsetDateTime::now_utc()),
        total_metrics: meters.iter().map(|m| m.count as u64).sum(),
        metrics_by_type: count_by_kind(&meters),
        active_web_socket_connections: active,
    })
}

/// `GET /api/metrics/available`.
pub async fn available(State(state): State<AppState>) -> Json<AvailableMetrics> {
    let meters = state.metrics().orchestrator.meters();
    let mut categories: BTreeMap<String, Vec<String>> = CATEGORIES
        .iter()
        .map(|c| ((*c).to_owned(), Vec::new()))
        .collect();
    for meter in &meters {
        categories
            .entry(meter.category.to_owned())
            .or_default()
            .push(meter.name.to_owned());
    }
    Json(AvailableMetrics {
        categories,
        total_metrics: meters.iter().map(|m| m.count as u64).sum(),
    })
}
