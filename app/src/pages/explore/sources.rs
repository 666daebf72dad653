//! What the editor completes from: every metric name (fetched once, filtered in the
//! browser), type and help per metric, and label names and values fetched as the
//! cursor needs them, all through the proxy's Prometheus API.

use crate::api_client::{label_names, label_values, metadata, metric_names};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
use vantage_components::promql::complete::MetricMeta;
use vantage_components::promql_editor::{Lookup, LookupFn};

/// The editor's data.
pub struct EditorSources {
    pub metrics: Signal<Arc<Vec<String>>>,
    pub metadata: Signal<Arc<HashMap<String, MetricMeta>>>,
    pub lookup: LookupFn,
}

fn seconds((start, end): (i64, i64)) -> (f64, f64) {
    (start as f64 / 1000.0, end as f64 / 1000.0)
}

/// Loads the metric names and metadata once, over the page's range when it opened.
pub fn use_editor_sources(range_ms: Memo<(i64, i64)>) -> EditorSources {
    let names = RwSignal::new(Arc::new(Vec::<String>::new()));
    let meta = RwSignal::new(Arc::new(HashMap::<String, MetricMeta>::new()));
    // Once per page: a one-off task rather than a refetching resource.
    let range = seconds(range_ms.get_untracked());
    leptos::task::spawn_local(async move {
        let Ok(controller) = web_sys::AbortController::new() else {
            return;
        };
        let signal = controller.signal();
        if let Ok(list) = metric_names(range, &signal).await {
            names.try_set(Arc::new(list));
        }
        if let Ok(all) = metadata(&signal).await {
            let by_name: HashMap<String, MetricMeta> = all
                .into_iter()
                .map(|(name, kind, help)| (name, MetricMeta { kind, help }))
                .collect();
            meta.try_set(Arc::new(by_name));
        }
    });
    let lookup: LookupFn = Arc::new(move |wanted: Lookup| {
        let range = seconds(range_ms.get_untracked());
        Box::pin(async move {
            let Ok(controller) = web_sys::AbortController::new() else {
                return Vec::new();
            };
            let signal = controller.signal();
            let answer = match wanted {
                Lookup::LabelNames { metric } => {
                    label_names(metric.as_deref(), range, &signal).await
                }
                Lookup::LabelValues { metric, label } => {
                    label_values(&label, metric.as_deref(), range, &signal).await
                }
            };
            answer.unwrap_or_default()
        })
    });
    EditorSources {
        metrics: names.into(),
        metadata: meta.into(),
        lookup,
    }
}
