//! A chart's data as a table ("Show as table"): one row per sample time, one column per
//! series, for reading the numbers with a screen reader or copying them.

use crate::series::ChartSeries;
use crate::time_axis::format_instant;
use leptos::prelude::*;
use std::sync::Arc;
use vantage_api::unit::Unit;

/// At most this many rows: a long range at a fine step is thinned evenly, always keeping
/// the last sample.
const MAX_ROWS: usize = 500;

/// The sample times of every series, ascending, thinned to at most `MAX_ROWS`.
fn row_times(series: &[ChartSeries]) -> Vec<f64> {
    let mut times: Vec<f64> = series
        .iter()
        .flat_map(|s| s.times.iter().copied())
        .collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    if times.len() <= MAX_ROWS {
        return times;
    }
    let stride = times.len().div_ceil(MAX_ROWS);
    let last = times.last().copied();
    let mut kept: Vec<f64> = times.iter().copied().step_by(stride).collect();
    if kept.last().copied() != last {
        kept.extend(last);
    }
    kept
}

/// The table of `series` (newest sample first).
#[component]
pub fn ChartTable(
    #[prop(into)] series: Signal<Arc<Vec<ChartSeries>>>,
    /// The table's caption (the chart's name).
    #[prop(into)]
    label: String,
    #[prop(optional)] unit: Unit,
    #[prop(optional, into)] utc: Signal<bool>,
) -> impl IntoView {
    let body = move || {
        let series = series.get();
        let utc = utc.get();
        let headers = series
            .iter()
            .map(|s| view! { <th scope="col">{s.name.clone()}</th> })
            .collect_view();
        let rows = row_times(&series)
            .into_iter()
            .rev()
            .map(|t| {
                let cells = series
                    .iter()
                    .map(|s| {
                        let text = s
                            .times
                            .binary_search_by(|x| x.total_cmp(&t))
                            .ok()
                            .and_then(|i| s.values.get(i))
                            .filter(|v| v.is_finite())
                            .map(|v| unit.format(*v))
                            .unwrap_or_default();
                        view! { <td>{text}</td> }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{format_instant(t, utc)}</th>{cells}</tr> }
            })
            .collect_view();
        view! {
            <thead><tr><th scope="col">"Time"</th>{headers}</tr></thead>
            <tbody>{rows}</tbody>
        }
    };
    view! {
        <div class="chart-table">
            <table class="simple-table">
                <caption class="visually-hidden">{label}</caption>
                {body}
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_series_are_thinned_keeping_the_last_sample() {
        let s = ChartSeries {
            name: "a".into(),
            times: (0..1201).map(f64::from).collect(),
            values: vec![0.0; 1201],
        };
        let times = row_times(&[s]);
        assert!(times.len() <= MAX_ROWS + 1, "{}", times.len());
        assert_eq!(times.first(), Some(&0.0));
        assert_eq!(times.last(), Some(&1200.0));
    }
}
