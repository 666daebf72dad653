//! Dashboard variables: their values come from `label_values(...)` over the shown
//! range, or from a proxy endpoint; their selection comes from the URL.

use super::view_state::{Selections, resolve_selection};
use crate::api_client::{label_values, string_list};
use crate::fetch::{Fetched, use_fetch};
use leptos::prelude::*;
use vantage_api::dashboard::Variable;
use vantage_api::dashboard::expand::parse_label_values;
use vantage_api::time_range::TimeRange;

/// Loads every variable's options; refetched when the range changes.
pub fn use_variable_options(
    variables: &[Variable],
    range: Memo<TimeRange>,
) -> Vec<Fetched<Vec<String>>> {
    variables
        .iter()
        .map(|variable| {
            let variable = variable.clone();
            use_fetch(
                move || Some(range.get()),
                move |range, signal| {
                    let variable = variable.clone();
                    async move {
                        let (start, end) = range.resolve(crate::url_state::now_ms());
                        let mut values = if let Some(endpoint) = &variable.endpoint {
                            string_list(endpoint, &signal).await?
                        } else {
                            let (selector, label) = variable
                                .query
                                .as_deref()
                                .and_then(parse_label_values)
                                .unwrap_or_default();
                            let range = (start as f64 / 1000.0, end as f64 / 1000.0);
                            label_values(&label, selector.as_deref(), range, &signal).await?
                        };
                        values.sort();
                        values.dedup();
                        Ok(values)
                    }
                },
            )
        })
        .collect()
}

/// The selections once every variable's options are known (an option list that failed
/// to load counts as empty), and what in the URL could not be honoured.
pub fn selections(
    variables: &[Variable],
    options: &[Fetched<Vec<String>>],
    url_vars: &std::collections::BTreeMap<String, Vec<String>>,
) -> Option<(Selections, Vec<String>)> {
    let mut chosen = Selections::new();
    let mut problems = Vec::new();
    for (variable, fetched) in variables.iter().zip(options) {
        let values = fetched.data.get();
        let failed = fetched.error.get();
        if values.is_none() && failed.is_none() {
            return None;
        }
        if let Some(err) = &failed {
            problems.push(format!(
                "cannot load the values of {}: {err}",
                variable.name
            ));
        }
        let values = values.unwrap_or_default();
        let (selection, problem) =
            resolve_selection(variable, url_vars.get(&variable.name), &values);
        problems.extend(problem);
        chosen.insert(variable.name.clone(), selection);
    }
    Some((chosen, problems))
}
