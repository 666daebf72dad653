//! The view state a shared link must reproduce lives in the URL: here, the time range
//! (`from`, `to`). Malformed values fall back to defaults with a message, never a blank page.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use vantage_api::time_range::{TimeExpr, TimeRange};

/// The time range from the URL, and a message if the URL's was unusable.
#[derive(Clone, PartialEq)]
pub struct UrlTime {
    pub range: TimeRange,
    pub problem: Option<String>,
}

/// Reads `from`/`to` from the URL; `default_from` applies when they are absent.
pub fn use_url_time(default_from: &'static str) -> Memo<UrlTime> {
    let query = use_query_map();
    Memo::new(move |_| {
        let params = query.get();
        let from = params
            .get("from")
            .unwrap_or_else(|| default_from.to_owned());
        let to = params.get("to").unwrap_or_else(|| "now".to_owned());
        match TimeRange::parse(&from, &to, now_ms()) {
            Ok(range) => UrlTime {
                range,
                problem: None,
            },
            Err(problem) => UrlTime {
                range: TimeRange {
                    from: TimeExpr::parse(default_from).unwrap_or(TimeExpr::Relative(86_400_000)),
                    to: TimeExpr::Relative(0),
                },
                problem: Some(format!("{problem}. Showing {default_from} to now instead.")),
            },
        }
    })
}

/// A function that sets URL parameters (keeping the others) and navigates there,
/// adding a history entry so back and forward walk through changes.
pub fn use_set_params() -> impl Fn(&[(&str, String)]) + Clone {
    let navigate = use_navigate();
    let query = use_query_map();
    move |changes: &[(&str, String)]| {
        let mut pairs: Vec<(String, String)> = query
            .get_untracked()
            .into_iter()
            .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
            .map(|(k, v)| (k.into_owned(), v))
            .collect();
        pairs.extend(changes.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
        let search = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_default();
        navigate(
            &format!("{path}?{search}"),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    }
}

fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// The browser's clock in unix milliseconds.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
