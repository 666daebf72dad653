//! The time range of pages outside dashboards, from the same URL parameters.

use crate::url_state::{now_ms, use_set_params, use_view_params};
use leptos::prelude::*;
use vantage_api::time_range::TimeRange;

/// The range (from `from`/`to`, default `default_from` to now), whether to show UTC,
/// and callbacks that change them in the URL.
pub struct PageTime {
    pub range: Memo<TimeRange>,
    pub range_ms: Memo<(i64, i64)>,
    pub utc: Signal<bool>,
    pub problem: Signal<Option<String>>,
    pub on_range: Callback<(String, String)>,
    pub on_utc: Callback<bool>,
    pub on_zoom: Callback<(f64, f64)>,
    pub tick: RwSignal<u32>,
}

pub fn use_page_time(default_from: &'static str) -> PageTime {
    let params = use_view_params();
    let set = use_set_params();
    let parsed = Memo::new(move |_| {
        params.with(|p| {
            let from = p.from.clone().unwrap_or_else(|| default_from.to_owned());
            let to = p.to.clone().unwrap_or_else(|| "now".to_owned());
            TimeRange::parse(&from, &to, now_ms())
        })
    });
    let range = Memo::new(move |_| {
        parsed
            .get()
            .unwrap_or_else(|_| TimeRange::parse(default_from, "now", now_ms()).unwrap_or_default())
    });
    let tick = RwSignal::new(0u32);
    let range_ms = Memo::new(move |_| {
        tick.track();
        range.with(|r| r.resolve(now_ms()))
    });
    let (a, b, c) = (set.clone(), set.clone(), set);
    PageTime {
        range,
        range_ms,
        utc: Signal::derive(move || params.with(|p| p.tz.as_deref() == Some("utc"))),
        problem: Signal::derive(move || {
            parsed
                .get()
                .err()
                .map(|e| format!("{e}; showing {default_from} to now"))
        }),
        on_range: Callback::new(move |(from, to): (String, String)| {
            a(
                vec![("from".to_owned(), vec![from]), ("to".to_owned(), vec![to])],
                false,
            );
        }),
        on_utc: Callback::new(move |utc: bool| {
            b(
                vec![(
                    "tz".to_owned(),
                    vec![if utc { "utc" } else { "browser" }.to_owned()],
                )],
                false,
            );
        }),
        on_zoom: Callback::new(move |(from, to): (f64, f64)| {
            c(
                vec![
                    (
                        "from".to_owned(),
                        vec![((from * 1000.0) as i64).to_string()],
                    ),
                    ("to".to_owned(), vec![((to * 1000.0) as i64).to_string()]),
                ],
                false,
            );
        }),
        tick,
    }
}
