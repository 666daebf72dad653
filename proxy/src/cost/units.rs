//! What one unit of work costs: a source's spend over a range divided by a counter of
//! work done (agent executions, workflow executions, tasks, thousands of tokens),
//! optionally per value of a label both carry (per model).

use std::collections::BTreeMap;

use vantage_api::cost::{UnitCost, UnitCosts};

use super::prom::{Labels, Prom};
use super::settings::CostSettings;

fn by_clause(by: Option<&String>) -> String {
    by.map(|b| format!(" by ({b})")).unwrap_or_default()
}

fn keyed(series: Vec<(Labels, f64)>, by: Option<&String>) -> BTreeMap<Option<String>, f64> {
    let mut out = BTreeMap::new();
    for (labels, v) in series {
        let key = by.map(|b| labels.get(b).cloned().unwrap_or_default());
        if v.is_finite() {
            *out.entry(key).or_insert(0.0) += v;
        }
    }
    out
}

/// Every configured unit's cost over `[from, to]`; the units' queries run at once.
pub async fn unit_costs(
    prom: &impl Prom,
    settings: &CostSettings,
    from: f64,
    to: f64,
) -> Result<UnitCosts, String> {
    let range = ((to - from).round() as i64).max(1);
    let per_unit = settings.units.iter().filter_map(|unit| {
        let source = settings.source(&unit.source)?;
        let by = unit.by.as_ref();
        let spend_q = format!(
            "sum{} (increase({}[{range}s]))",
            by_clause(by),
            source.selector(&[])
        );
        let work_q = format!(
            "sum{} (increase({}[{range}s]))",
            by_clause(by),
            unit.counter
        );
        Some(async move {
            let (spend, work) = futures_util::future::try_join(
                prom.instant(&spend_q, to),
                prom.instant(&work_q, to),
            )
            .await?;
            let spend = keyed(spend, by);
            let work = keyed(work, by);
            Ok::<_, String>(
                spend
                    .iter()
                    .map(|(group, usd)| {
                        let units_done = work.get(group).copied().unwrap_or(0.0) / unit.scale;
                        UnitCost {
                            source: source.id.clone(),
                            unit: unit.unit.clone(),
                            group: group.clone(),
                            usd: *usd,
                            units: units_done,
                            usd_per_unit: (units_done > 0.0).then(|| usd / units_done),
                        }
                    })
                    .collect::<Vec<_>>(),
            )
        })
    });
    let mut units = Vec::new();
    for answer in futures_util::future::join_all(per_unit).await {
        units.extend(answer?);
    }
    Ok(UnitCosts { from, to, units })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::prom::table::{Table, labels};

    #[tokio::test]
    async fn spend_over_work_per_group() {
        let s = crate::cost::settings::CostSettings::defaults();
        let prom = Table(|query: &str, _| {
            if query.contains("by (model) (increase(autobot_llm_tokens_total") {
                vec![(labels(&[("model", "m")]), 4_000.0)]
            } else if query.contains("by (model) (increase(autobot_llm_cost") {
                vec![
                    (labels(&[("model", "m")]), 2.0),
                    (labels(&[("model", "idle")]), 1.0),
                ]
            } else if query.contains("orchestrator_agent_execution_latency_count") {
                vec![(Labels::new(), 50.0)]
            } else if query.contains("orchestrator_cost_attribution") {
                vec![(Labels::new(), 5.0)]
            } else {
                Vec::new()
            }
        });
        let u = unit_costs(&prom, &s, 0.0, 3600.0).await.expect("units");
        let per = |unit: &str, group: Option<&str>| {
            u.units
                .iter()
                .find(|c| {
                    c.unit == unit
                        && c.group.as_deref() == group
                        && (group.is_some() || c.source == "orchestrator")
                })
                .and_then(|c| c.usd_per_unit)
        };
        assert_eq!(per("agent execution", None), Some(0.1));
        assert_eq!(per("1K tokens", Some("m")), Some(0.5));
        assert_eq!(per("1K tokens", Some("idle")), None);
    }
}
