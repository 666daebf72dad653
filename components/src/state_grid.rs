//! Discrete states over time, one row per series (circuit breakers: CLOSED, OPEN,
//! HALF_OPEN per agent), each run of one state drawn as one bar.

use crate::canvas_redraw::redraw_on_change;
use crate::row_chart::{RowFrame, draw_rows};
use crate::series::ChartSeries;
use leptos::prelude::*;
use plotters::prelude::*;
use std::sync::Arc;
use vantage_api::dashboard::State;

/// Runs of equal values: `(start time, end time, value)`; a gap longer than `gap_s`
/// ends a run.
pub fn runs(times: &[f64], values: &[f64], step: f64, gap_s: f64) -> Vec<(f64, f64, f64)> {
    let mut out: Vec<(f64, f64, f64)> = Vec::new();
    for (&t, &v) in times.iter().zip(values) {
        if !v.is_finite() {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.2 == v && t - last.1 <= gap_s => last.1 = t,
            _ => out.push((t - step, t, v)),
        }
    }
    out
}

/// A grid of states over time.
#[component]
pub fn StateGrid(
    /// One series per row; values are state values.
    #[prop(into)]
    series: Signal<Arc<Vec<ChartSeries>>>,
    #[prop(into)] range: Signal<(f64, f64)>,
    #[prop(into)] step: Signal<f64>,
    /// The named states.
    states: Vec<State>,
    #[prop(into)] label: String,
    #[prop(optional, into)] utc: Signal<bool>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let states = StoredValue::new(states);
    let height = Signal::derive(move || 40 + 26 * series.with(|s| s.len()).max(1) as u32);
    redraw_on_change(canvas, move |element, theme| {
        let series = series.get();
        let (t0, t1) = range.get();
        let step = step.get();
        let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
        let label = |i: usize| names.get(i).map(|s| (*s).to_owned()).unwrap_or_default();
        let frame = RowFrame {
            range: (t0, t1),
            rows: series.len(),
            row_label: &label,
            label_width: 110.0,
            utc: utc.get(),
        };
        draw_rows(element, theme, &frame, |chart| {
            states.with_value(|states| {
                for (i, s) in series.iter().enumerate() {
                    let bars =
                        runs(&s.times, &s.values, step, step * 1.5)
                            .into_iter()
                            .map(|(a, b, v)| {
                                let colour = states
                                    .iter()
                                    .find(|st| st.value == v)
                                    .map_or(theme.axis, |st| theme.level(st.level));
                                let y = i as f64;
                                Rectangle::new([(a, y + 0.12), (b, y + 0.88)], colour.filled())
                            });
                    let _ = chart.draw_series(bars);
                }
            });
        });
    });
    let legend = states.with_value(|states| {
        states
            .iter()
            .map(|s| {
                let level = format!("{:?}", s.level).to_lowercase();
                view! { <li><span class=format!("state-grid__swatch state-grid__swatch--{level}")></span>{s.name.clone()}</li> }
            })
            .collect_view()
    });
    view! {
        <div class="state-grid">
            <div class="state-grid__plot" style=move || format!("height:{}px", height.get())>
                <canvas node_ref=canvas role="img" aria-label=label></canvas>
            </div>
            <ul class="state-grid__legend" aria-label="States">{legend}</ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn merges_equal_neighbours() {
        let times = [15.0, 30.0, 45.0, 60.0, 120.0];
        let values = [0.0, 0.0, 1.0, 1.0, 1.0];
        assert_eq!(
            runs(&times, &values, 15.0, 22.5),
            vec![(0.0, 30.0, 0.0), (30.0, 60.0, 1.0), (105.0, 120.0, 1.0)]
        );
    }
}
