//! `heatmap`: bucket queries (`format: heatmap`, `{{le}}` legends, legacy `tsbuckets`)
//! become a heatmap of those queries; a heatmap Grafana bucketed itself from plain
//! series becomes a time series, approximately.

use super::{Outcome, set_queries};
use crate::fieldconfig::{defaults, unit};
use crate::json::{array, path, text};
use crate::targets::{self, Ctx};
use serde_json::Value;
use vantage_api::dashboard::{Panel, PanelKind, QueryFormat};

/// Fills `panel`; `true`: it runs queries.
pub fn convert(p: &Value, ctx: &Ctx<'_>, panel: &mut Panel, out: &mut Outcome) -> bool {
    let legacy_format = text(p, "dataFormat");
    let calculate = path(p, &["options", "calculate"]).and_then(Value::as_bool);
    let targets = array(p, "targets");
    let bucket_target = |t: &Value| {
        text(t, "format").as_deref() == Some("heatmap")
            || text(t, "legendFormat").is_some_and(|l| l.replace(' ', "") == "{{le}}")
    };
    let buckets = legacy_format.as_deref() == Some("tsbuckets")
        || (calculate != Some(true)
            && legacy_format.as_deref() != Some("timeseries")
            && !targets.is_empty()
            && targets.iter().all(bucket_target));
    let unit_id = path(p, &["options", "yAxis", "unit"])
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            path(p, &["yAxis", "format"])
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .or_else(|| text(defaults(p), "unit"));
    panel.unit = unit(unit_id, &mut out.approximate);
    let converted = targets::convert(p, ctx, false);
    out.dropped_parts.extend(converted.dropped);
    let mut queries = converted.queries;
    if buckets {
        panel.kind = PanelKind::Heatmap;
        for q in &mut queries {
            q.format = QueryFormat::Heatmap;
            if q.legend.is_none() {
                q.legend = Some("{{le}}".to_owned());
            }
        }
    } else {
        panel.kind = PanelKind::Timeseries;
        out.approximate
            .push("Grafana bucketed plain series itself; drawn as a time series".to_owned());
    }
    set_queries(panel, queries, false);
    true
}
