//! Dashboard variables: their options (a query of any form or a proxy endpoint,
//! filtered by the variable's regex and sorted; a custom, interval or constant list;
//! free text for a textbox), and their selection from the URL. A variable's query may
//! use the variables before it: it is asked again when their selection changes.

use super::view_state::{Selections, resolve_selection, selection_without_options};
use crate::api_client::{ApiError, label_names, label_values, query_instant, string_list};
use crate::fetch::use_fetch;
use crate::js_regex::JsRegex;
use leptos::prelude::*;
use std::collections::BTreeMap;
use vantage_api::dashboard::expand::{Intervals, Selection, substitute};
use vantage_api::dashboard::template::referenced_names;
use vantage_api::dashboard::variables::{
    RegexMatch, VariableQuery, options_from_values, parse_variable_query, query_result_line,
    resolve_auto, static_options,
};
use vantage_api::dashboard::{Variable, VariableKind, VariableOption};
use vantage_api::time_range::TimeRange;

/// One variable's options and selection.
#[derive(Clone, Copy)]
pub struct VariableState {
    /// `None` while loading.
    pub options: Signal<Option<Vec<VariableOption>>>,
    pub error: Signal<Option<ApiError>>,
    /// `None` until the options are known.
    pub selection: Memo<Option<Selection>>,
}

/// Loads every variable's options and resolves its selection from `url_vars`.
pub fn use_variables(
    variables: &[Variable],
    range: Memo<TimeRange>,
    url_vars: Memo<BTreeMap<String, Vec<String>>>,
) -> Vec<VariableState> {
    let mut states: Vec<(String, VariableState)> = Vec::new();
    for variable in variables {
        let options = match static_options(variable) {
            Some(list) => (Signal::stored(Some(list)), Signal::stored(None)),
            None if variable.kind == VariableKind::Textbox => {
                (Signal::stored(Some(Vec::new())), Signal::stored(None))
            }
            None => queried_options(variable, range, &states),
        };
        let (options, error) = options;
        let spec = variable.clone();
        let selection = Memo::new(move |_| {
            let url = url_vars.with(|u| u.get(&spec.name).cloned());
            if let Some(all) = selection_without_options(&spec, url.as_ref()) {
                return Some(all);
            }
            let mut known = options.get();
            // A list that failed to load counts as empty: the default applies.
            if known.is_none() && error.with(Option::is_some) {
                known = Some(Vec::new());
            }
            let known = known?;
            Some(resolve_selection(&spec, url.as_ref(), &known).0)
        });
        states.push((
            variable.name.clone(),
            VariableState {
                options,
                error,
                selection,
            },
        ));
    }
    states.into_iter().map(|(_, s)| s).collect()
}

/// A query or endpoint variable's options, fetched again when the range or the
/// selection of a variable its query uses changes.
fn queried_options(
    variable: &Variable,
    range: Memo<TimeRange>,
    earlier: &[(String, VariableState)],
) -> (
    Signal<Option<Vec<VariableOption>>>,
    Signal<Option<ApiError>>,
) {
    let text = variable
        .query
        .clone()
        .or_else(|| variable.endpoint.clone())
        .unwrap_or_default();
    // Only variables defined before this one count, so that references never loop.
    let used: Vec<(String, Memo<Option<Selection>>)> = referenced_names(&text)
        .into_iter()
        .filter_map(|name| {
            earlier
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(n, s)| (n.clone(), s.selection))
        })
        .collect();
    let spec = variable.clone();
    let key = move || {
        let mut chosen = Selections::new();
        for (name, selection) in &used {
            chosen.insert(name.clone(), (*selection).get()?);
        }
        let range = range.get();
        let (start, end) = range.resolve(crate::url_state::now_ms());
        let span_s = (end - start) as f64 / 1000.0;
        let macros = Intervals {
            interval_s: (span_s / 100.0).max(15.0),
            rate_interval_s: (span_s / 25.0).max(60.0),
            range_s: span_s.max(1.0),
        };
        Some((range, substitute(&text, &chosen, macros)))
    };
    let fetched = use_fetch(key, move |(range, text), signal| {
        let spec = spec.clone();
        async move {
            let (start, end) = range.resolve(crate::url_state::now_ms());
            let range = (start as f64 / 1000.0, end as f64 / 1000.0);
            let values = if spec.endpoint.is_some() {
                string_list(&text, &signal).await?
            } else {
                query_values(&text, range, &signal).await?
            };
            let regex = spec.regex.as_deref().and_then(JsRegex::new);
            Ok(match regex {
                Some(r) => options_from_values(&values, Some(|v: &str| r.captures(v)), spec.sort),
                None => {
                    options_from_values(&values, None::<fn(&str) -> Option<RegexMatch>>, spec.sort)
                }
            })
        }
    });
    let data = fetched.data;
    let error = fetched.error;
    (
        Signal::derive(move || data.get()),
        Signal::derive(move || error.get()),
    )
}

/// The values a variable query finds over `range` (unix seconds).
async fn query_values(
    query: &str,
    range: (f64, f64),
    signal: &web_sys::AbortSignal,
) -> Result<Vec<String>, ApiError> {
    match parse_variable_query(query) {
        Some(VariableQuery::LabelValues { selector, label }) => {
            label_values(&label, selector.as_deref(), range, signal).await
        }
        Some(VariableQuery::LabelNames { selector }) => {
            label_names(selector.as_deref(), range, signal).await
        }
        Some(VariableQuery::Metrics { regex }) => {
            let names = label_values("__name__", None, range, signal).await?;
            let filter = JsRegex::new(&regex);
            Ok(names
                .into_iter()
                .filter(|n| filter.as_ref().is_none_or(|f| f.test(n)))
                .collect())
        }
        Some(VariableQuery::QueryResult { expr }) => {
            Ok(query_instant(&expr, range.1, signal, None)
                .await?
                .iter()
                .filter_map(query_result_line)
                .collect())
        }
        None => Err(ApiError::Decode(format!(
            "{query:?} is not a variable query this console knows"
        ))),
    }
}

/// The selections once every variable's options are known, with each interval's
/// `auto` as the duration it stands for over `range_ms`; and what in the URL could
/// not be honoured.
pub fn selections(
    variables: &[Variable],
    states: &[VariableState],
    url_vars: &BTreeMap<String, Vec<String>>,
    range_ms: (i64, i64),
) -> Option<(Selections, Vec<String>)> {
    let mut chosen = Selections::new();
    let mut problems = Vec::new();
    let span = (range_ms.1 - range_ms.0).max(1) as u64;
    for (variable, state) in variables.iter().zip(states) {
        let selection = state.selection.get()?;
        if let Some(err) = state.error.get() {
            problems.push(format!(
                "cannot load the values of {}: {err}",
                variable.name
            ));
        }
        let options = state.options.get().unwrap_or_default();
        let (_, problem) = resolve_selection(variable, url_vars.get(&variable.name), &options);
        problems.extend(problem);
        chosen.insert(
            variable.name.clone(),
            resolve_auto(variable, selection, span),
        );
    }
    Some((chosen, problems))
}
