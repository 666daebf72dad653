//! Seed 000's cost attribution PromQL, with the selected range filled in.

/// `[window]` for "over the selected range", e.g. `1d` or `6h`.
pub fn total_all_time() -> String {
    "sum(orchestrator_cost_attribution)".to_owned()
}

pub fn total_in_range(window: &str) -> String {
    format!("sum(increase(orchestrator_cost_attribution[{window}]))")
}

/// Cost per label value (`repository` or `user`) over the range.
pub fn by_label_in_range(label: &str, window: &str) -> String {
    format!("sum by ({label}) (increase(orchestrator_cost_attribution[{window}]))")
}

/// Cost per label value since the counters started (the seed's own form).
pub fn by_label_all_time(label: &str) -> String {
    format!("sum(orchestrator_cost_attribution) by ({label})")
}

pub fn top_repositories(window: &str) -> String {
    format!("topk(10, sum by (repository) (increase(orchestrator_cost_attribution[{window}])))")
}

/// USD per hour by repository, over time.
pub fn hourly_rate_by_repository(rate_window: &str) -> String {
    format!("sum by (repository) (rate(orchestrator_cost_attribution[{rate_window}])) * 3600")
}

/// The seed's "cost rate per hour": spend in the trailing hour, at each step.
pub fn trailing_hour() -> String {
    "sum(increase(orchestrator_cost_attribution[1h]))".to_owned()
}
