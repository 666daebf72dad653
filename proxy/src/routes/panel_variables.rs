//! A dashboard variable's value when an embed's URL does not give one: the default of
//! its kind, or the first value its query finds (every query form, the variable's
//! regex through the `regex` crate, its sort), as the console would pick it.

use crate::params::Params;
use crate::params::prometheus as check;
use crate::pipeline;
use crate::routes::prometheus::limits;
use crate::state::AppState;
use std::collections::BTreeMap;
use vantage_api::dashboard::Variable;
use vantage_api::dashboard::expand::{Intervals, Selection, substitute};
use vantage_api::dashboard::variables::{
    RegexMatch, VariableQuery, initial_selection, options_from_values, parse_regex_literal,
    parse_variable_query, query_result_line, static_options,
};
use vantage_api::matrix::QueryData;

/// The selection of `variable` when nothing chose one; `earlier` holds the variables
/// before it, which its query may use.
pub async fn default_selection(
    state: &AppState,
    variable: &Variable,
    range: (f64, f64),
    earlier: &BTreeMap<String, Selection>,
) -> Selection {
    if let Some(options) = static_options(variable) {
        return initial_selection(variable, &options);
    }
    if variable.kind == vantage_api::dashboard::VariableKind::Textbox {
        return initial_selection(variable, &[]);
    }
    if !variable.default.is_empty() {
        return Selection::Values(variable.default.clone());
    }
    if variable.include_all {
        return Selection::All;
    }
    let Some(query) = variable.query.as_deref() else {
        return Selection::All;
    };
    let macros = Intervals {
        interval_s: 60.0,
        rate_interval_s: 240.0,
        range_s: (range.1 - range.0).max(1.0),
    };
    let query = substitute(query, earlier, macros);
    let Some(parsed) = parse_variable_query(&query) else {
        return Selection::All;
    };
    let Some(values) = fetch_values(state, parsed, range).await else {
        return Selection::All;
    };
    let matcher = variable.regex.as_deref().and_then(compile);
    let options = match matcher {
        Some(regex) => {
            options_from_values(&values, Some(|v: &str| matches(&regex, v)), variable.sort)
        }
        None => options_from_values(
            &values,
            None::<fn(&str) -> Option<RegexMatch>>,
            variable.sort,
        ),
    };
    match options.into_iter().next() {
        Some(first) => Selection::Values(vec![first.value]),
        None => Selection::All,
    }
}

/// Grafana's `/pattern/flags` as a `regex` crate regex (flags `i`, `m`, `s` kept).
fn compile(literal: &str) -> Option<regex::Regex> {
    let (pattern, flags) = parse_regex_literal(literal);
    let inline: String = flags.chars().filter(|c| "ims".contains(*c)).collect();
    let full = if inline.is_empty() {
        pattern.to_owned()
    } else {
        format!("(?{inline}){pattern}")
    };
    regex::RegexBuilder::new(&full)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| tracing::debug!(regex = %literal, error = %e, "variable regex not usable"))
        .ok()
}

fn matches(regex: &regex::Regex, value: &str) -> Option<RegexMatch> {
    let caps = regex.captures(value)?;
    let named = |name: &str| caps.name(name).map(|m| m.as_str().to_owned());
    Some(RegexMatch {
        first_group: caps.get(1).map(|m| m.as_str().to_owned()),
        text: named("text"),
        value: named("value"),
    })
}

/// The values a variable query finds over `range`.
async fn fetch_values(
    state: &AppState,
    query: VariableQuery,
    range: (f64, f64),
) -> Option<Vec<String>> {
    let mut pairs = vec![
        ("start".to_owned(), range.0.to_string()),
        ("end".to_owned(), range.1.to_string()),
    ];
    let call = match query {
        VariableQuery::LabelValues { selector, label } => {
            pairs.extend(selector.map(|s| ("match[]".to_owned(), s)));
            check::label_values(&label, &Params::from_pairs(pairs)).ok()?
        }
        VariableQuery::LabelNames { selector } => {
            pairs.extend(selector.map(|s| ("match[]".to_owned(), s)));
            check::labels(&Params::from_pairs(pairs)).ok()?
        }
        VariableQuery::Metrics { regex } => {
            let names = Box::pin(fetch_values(
                state,
                VariableQuery::LabelValues {
                    selector: None,
                    label: "__name__".to_owned(),
                },
                range,
            ))
            .await?;
            let filter = compile(&regex)?;
            return Some(names.into_iter().filter(|n| filter.is_match(n)).collect());
        }
        VariableQuery::QueryResult { expr } => {
            let params = Params::from_pairs(vec![
                ("query".to_owned(), expr),
                ("time".to_owned(), range.1.to_string()),
            ]);
            let call = check::query(&params, &limits(state)).ok()?;
            let (status, body) = pipeline::fetch_complete(state, &state.upstream, call)
                .await
                .ok()?;
            if !status.is_success() {
                return None;
            }
            let envelope: vantage_api::envelope::Envelope<QueryData> =
                serde_json::from_slice(&body).ok()?;
            let data = envelope.into_result().ok()?;
            return Some(
                data.into_series()
                    .iter()
                    .filter_map(query_result_line)
                    .collect(),
            );
        }
    };
    let (status, body) = pipeline::fetch_complete(state, &state.upstream, call)
        .await
        .ok()?;
    if !status.is_success() {
        return None;
    }
    let answer: serde_json::Value = serde_json::from_slice(&body).ok()?;
    Some(
        answer
            .get("data")?
            .as_array()?
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_take_grafana_literals_and_groups() {
        let regex = compile("/HOST-(?<value>[a-z]+):(?<text>\\d+)/i").expect("regex");
        let found = matches(&regex, "host-web:9100").expect("match");
        assert_eq!(found.value.as_deref(), Some("web"));
        assert_eq!(found.text.as_deref(), Some("9100"));
        assert!(compile("/(unclosed/").is_none());
        let plain = compile("node_(.*)").expect("regex");
        assert_eq!(
            matches(&plain, "node_load1")
                .and_then(|m| m.first_group)
                .as_deref(),
            Some("load1")
        );
    }
}
