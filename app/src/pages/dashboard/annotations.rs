//! The dashboard's annotations: each enabled one's query over the range, turned into
//! events for the time-series panels (see `vantage_api::dashboard::annotations`).

use super::view_state::Selections;
use crate::api_client::query_range;
use crate::fetch::use_fetch;
use futures::future::join_all;
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use vantage_api::dashboard::Annotation;
use vantage_api::dashboard::annotations::events;
use vantage_api::dashboard::expand::substitute_with_all_values;
use vantage_api::dashboard::timing::resolve_duration_ms;
use vantage_api::step::{RangePlan, plan_range, rate_interval};
use vantage_components::annotation_layer::AnnotationMark;
use vantage_components::colour::css_colour;

/// Every annotation event over the range, refetched with the range and variables. A
/// query that fails shows nothing (the panels still draw).
pub fn use_annotations(
    annotations: Vec<Annotation>,
    range_ms: Memo<(i64, i64)>,
    selections: Memo<Option<Selections>>,
    all_values: BTreeMap<String, String>,
    scrape_interval: f64,
) -> Signal<Arc<Vec<AnnotationMark>>> {
    let enabled: Arc<Vec<Annotation>> =
        Arc::new(annotations.into_iter().filter(|a| !a.disabled).collect());
    if enabled.is_empty() {
        return Signal::stored(Arc::new(Vec::new()));
    }
    let key = move || Some((range_ms.get(), selections.get()?));
    let fetched = use_fetch(key, move |((start, end), chosen), signal| {
        let enabled = enabled.clone();
        let all_values = all_values.clone();
        async move {
            let calls = enabled.iter().map(|a| {
                let min = a
                    .step
                    .as_deref()
                    .and_then(|s| resolve_duration_ms(s, &chosen))
                    .map_or(scrape_interval, |ms| ms as f64 / 1000.0);
                let plan: RangePlan = plan_range(start, end, 600, min.max(scrape_interval));
                let macros = vantage_api::dashboard::expand::Intervals {
                    interval_s: plan.step,
                    rate_interval_s: rate_interval(plan.step, scrape_interval),
                    range_s: ((end - start) as f64 / 1000.0).max(1.0),
                };
                let expr = substitute_with_all_values(&a.expr, &chosen, macros, &all_values);
                let signal = signal.clone();
                async move { (a, plan.step, query_range(&expr, plan, &signal, None).await) }
            });
            let mut marks = Vec::new();
            for (annotation, step, answer) in join_all(calls).await {
                let Ok(series) = answer else { continue };
                let colour = annotation
                    .color
                    .as_deref()
                    .and_then(css_colour)
                    .unwrap_or_else(|| "var(--accent)".to_owned());
                marks.extend(events(annotation, &series, step).into_iter().map(|e| {
                    AnnotationMark {
                        start: e.start,
                        end: e.end,
                        title: e.title,
                        text: e.text,
                        colour: colour.clone(),
                    }
                }));
            }
            Ok(Arc::new(marks))
        }
    });
    let data = fetched.data;
    Signal::derive(move || data.get().unwrap_or_default())
}
