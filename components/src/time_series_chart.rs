//! A time-series chart: many series, a legend that toggles them, a crosshair with a
//! tooltip listing every series at that instant, and drag to zoom. From the keyboard:
//! the chart takes the focus, arrows move the crosshair sample by sample (announced to
//! screen readers), Home/End jump to the ends, `+`/`-` zoom as a drag does, Escape
//! leaves; it is summarised for screen readers and can be shown as a table.

use crate::annotation_bands::{AnnotationBands, Band, labels_at};
use crate::annotation_layer::{AnnotationLayer, AnnotationMark};
use crate::canvas_redraw::redraw_on_change;
use crate::chart_keys::{next_time, summary, zoomed};
use crate::chart_table::ChartTable;
use crate::palette::assign_colours;
use crate::series::{ChartOptions, ChartSeries};
use crate::time_axis::format_instant;
use crate::time_series_draw::{DrawInput, draw};
use leptos::prelude::*;
use std::sync::Arc;
use vantage_api::dashboard::{Threshold, ThresholdStyle};
use vantage_api::unit::Unit;

/// What the crosshair shows.
#[derive(Clone, PartialEq)]
struct Hover {
    x: f64,
    time: f64,
    rows: Vec<(String, String, String)>,
    /// Names of the bands (firing alerts) at that instant.
    alerts: Vec<String>,
}

/// A line chart of `series` over `range` (unix seconds), drawn on a canvas.
#[component]
pub fn TimeSeriesChart(
    /// The series to draw, in columns.
    #[prop(into)]
    series: Signal<Arc<Vec<ChartSeries>>>,
    /// The x range in unix seconds.
    #[prop(into)]
    range: Signal<(f64, f64)>,
    /// The query step in seconds, to tell gaps from normal spacing.
    #[prop(into)]
    step: Signal<f64>,
    /// What the accessible name of the chart says.
    #[prop(into)]
    label: String,
    /// Unit of the values.
    #[prop(optional)]
    unit: Unit,
    /// Height in CSS pixels.
    #[prop(default = 240)]
    height: u32,
    /// Thresholds, drawn as dashed lines or shaded bands.
    #[prop(optional)]
    thresholds: Vec<Threshold>,
    /// Lines or bands.
    #[prop(optional)]
    threshold_style: ThresholdStyle,
    /// Called with the selected time range after a drag across the chart.
    #[prop(optional)]
    on_zoom: Option<Callback<(f64, f64)>>,
    /// Show times in UTC instead of the browser's time zone.
    #[prop(optional, into)]
    utc: Signal<bool>,
    /// Decimals, axis bounds and scale, fill, series colours and units.
    #[prop(optional, into)]
    options: Signal<ChartOptions>,
    /// Events drawn over the plot.
    #[prop(optional, into)]
    annotations: Option<Signal<Arc<Vec<AnnotationMark>>>>,
    /// Intervals shaded over the plot (firing alerts), named in the tooltip.
    #[prop(optional, into)]
    bands: Signal<Arc<Vec<Band>>>,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    // Series the viewer toggled: shown if hidden by the options, hidden otherwise.
    let hidden = RwSignal::new(std::collections::HashSet::<String>::new());
    // The plotting area, reactive so that the layers over the canvas follow it.
    let area = RwSignal::new((0.0, 0.0, 1.0, 1.0));
    let hover = RwSignal::new(None::<Hover>);
    // The keyboard's crosshair time, and what was last announced for it.
    let cursor = RwSignal::new(None::<f64>);
    let announcement = RwSignal::new(String::new());
    let as_table = RwSignal::new(false);
    let summary_id = next_summary_id();
    let drag = RwSignal::new(None::<(f64, f64)>);
    let thresholds = StoredValue::new(thresholds);

    let draw_unit = unit.clone();
    redraw_on_change(canvas, move |element, theme| {
        let series = series.get();
        let hidden = hidden.get();
        let options = options.get();
        let is_hidden = |name: &str| hidden.contains(name) != options.hidden.contains(name);
        let options = &options;
        thresholds.with_value(|thresholds| {
            let input = DrawInput {
                series: &series,
                hidden: &is_hidden,
                range: range.get(),
                step: step.get(),
                unit: draw_unit.clone(),
                theme,
                utc: utc.get(),
                thresholds,
                threshold_style,
                options,
            };
            match draw(element, &input) {
                Ok(drawn) => {
                    if area.get_untracked() != drawn {
                        area.set(drawn);
                    }
                }
                Err(err) => leptos::logging::warn!("chart {err}"),
            }
        });
    });

    let time_at = move |x: f64| {
        let (left, _, right, _) = area.get_untracked();
        let (t0, t1) = range.get_untracked();
        t0 + (x - left).clamp(0.0, right - left) / (right - left).max(1.0) * (t1 - t0)
    };
    let x_at = move |t: f64| {
        let (left, _, right, _) = area.get_untracked();
        let (t0, t1) = range.get_untracked();
        left + (t - t0) / (t1 - t0).max(1e-9) * (right - left)
    };
    let hover_unit = unit.clone();
    let hover_at = move |x: f64, time: f64| {
        let unit = &hover_unit;
        let series = series.get_untracked();
        let slots = assign_colours(series.iter().map(|s| s.name.as_str()));
        let hidden = hidden.get_untracked();
        let rows = series
            .iter()
            .filter(|s| {
                options.with_untracked(|o| hidden.contains(&s.name) == o.hidden.contains(&s.name))
            })
            .filter_map(|s| {
                nearest(&s.times, time, step.get_untracked()).map(|i| {
                    options.with_untracked(|o| {
                        let colour = series_colour(o, &slots, &s.name);
                        let unit = o.units.get(&s.name).unwrap_or(unit);
                        (
                            s.name.clone(),
                            colour,
                            unit.format_decimals(s.values[i], o.decimals),
                        )
                    })
                })
            })
            .collect();
        let alerts = bands.with_untracked(|b| labels_at(b, time));
        Hover {
            x,
            time,
            rows,
            alerts,
        }
    };
    let on_move = {
        let hover_at = hover_at.clone();
        move |ev: leptos::ev::MouseEvent| {
            let x = f64::from(ev.offset_x());
            if let Some((start, _)) = drag.get_untracked() {
                drag.set(Some((start, x)));
            }
            hover.set(Some(hover_at(x, time_at(x))));
        }
    };
    let visible = move |all: &Arc<Vec<ChartSeries>>| -> Vec<ChartSeries> {
        let hidden = hidden.get_untracked();
        options.with_untracked(|o| {
            all.iter()
                .filter(|s| hidden.contains(&s.name) == o.hidden.contains(&s.name))
                .cloned()
                .collect()
        })
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        let all = series.get_untracked();
        let shown = visible(&all);
        let shown: Vec<&ChartSeries> = shown.iter().collect();
        let target = match key.as_str() {
            "ArrowRight" => next_time(&shown, cursor.get_untracked(), true),
            "ArrowLeft" => next_time(&shown, cursor.get_untracked(), false),
            "Home" => next_time(&shown, None, true),
            "End" => next_time(&shown, None, false),
            "+" | "=" | "-" => {
                if let Some(zoom) = on_zoom {
                    let (t0, t1) = range.get_untracked();
                    let centre = cursor.get_untracked().unwrap_or((t0 + t1) / 2.0);
                    let factor = if key == "-" { 2.0 } else { 0.5 };
                    let now = js_sys::Date::now() / 1000.0;
                    zoom.run(zoomed((t0, t1), centre, factor, now));
                    ev.prevent_default();
                }
                return;
            }
            "Escape" => {
                cursor.set(None);
                hover.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        let Some(time) = target.or(cursor.get_untracked()) else {
            announcement.set("No data to read.".to_owned());
            return;
        };
        cursor.set(Some(time));
        let h = hover_at(x_at(time), time);
        let mut text = format_instant(time, utc.get_untracked());
        for name in &h.alerts {
            text.push_str(&format!(", firing: {name}"));
        }
        for (name, _, value) in &h.rows {
            text.push_str(&format!(", {name} {value}"));
        }
        announcement.set(text);
        hover.set(Some(h));
    };
    let on_blur = move |_: leptos::ev::FocusEvent| {
        cursor.set(None);
        hover.set(None);
    };
    let summary_unit = unit.clone();
    let summary_text = move || {
        let all = series.get();
        let shown = visible(&all);
        let (t0, t1) = range.get();
        let utc = utc.get();
        format!(
            "{} to {}. {}",
            format_instant(t0, utc),
            format_instant(t1, utc),
            summary(&shown.iter().collect::<Vec<_>>(), &summary_unit, 8)
        )
    };
    let on_down = move |ev: leptos::ev::MouseEvent| {
        if on_zoom.is_some() && ev.button() == 0 {
            let x = f64::from(ev.offset_x());
            drag.set(Some((x, x)));
        }
    };
    let on_up = move |_: leptos::ev::MouseEvent| {
        if let (Some((a, b)), Some(zoom)) = (drag.get_untracked(), on_zoom)
            && (a - b).abs() > 4.0
        {
            zoom.run((time_at(a.min(b)), time_at(a.max(b))));
        }
        drag.set(None);
    };
    let on_leave = move |_: leptos::ev::MouseEvent| {
        hover.set(None);
        drag.set(None);
    };

    let legend = move || {
        let series = series.get();
        let slots = assign_colours(series.iter().map(|s| s.name.as_str()));
        options.with(|o| {
            series
                .iter()
                .map(|s| (s.name.clone(), series_colour(o, &slots, &s.name)))
                .collect::<Vec<_>>()
        })
    };

    let table_label = label.clone();
    let table_unit = unit.clone();
    view! {
        <div class="ts-chart">
            <p class="visually-hidden" id=summary_id.clone()>{summary_text}</p>
            <p class="visually-hidden" aria-live="polite">{move || announcement.get()}</p>
            <div class="ts-chart__plot" style=format!("height:{height}px") class:ts-chart__plot--hidden=move || as_table.get()>
                <canvas
                    node_ref=canvas
                    role="img"
                    tabindex="0"
                    aria-label=label
                    aria-describedby=summary_id
                    on:keydown=on_key
                    on:blur=on_blur
                    on:mousemove=on_move
                    on:mousedown=on_down
                    on:mouseup=on_up
                    on:mouseleave=on_leave
                ></canvas>
                {annotations.map(|marks| view! { <AnnotationLayer marks=marks range=range area=area utc=utc/> })}
                <AnnotationBands bands=bands range=range plot=area/>
                {move || drag.get().map(|(a, b)| {
                    let (_, top, _, bottom) = area.get_untracked();
                    view! {
                        <div class="ts-chart__selection" style=format!(
                            "left:{}px;width:{}px;top:{top}px;height:{}px", a.min(b), (a - b).abs(), bottom - top
                        )></div>
                    }
                })}
                {move || hover.get().map(|h| {
                    let (_, top, right, bottom) = area.get_untracked();
                    let flip = h.x > right * 0.6;
                    view! {
                        <div class="ts-chart__crosshair" style=format!("left:{}px;top:{top}px;height:{}px", h.x, bottom - top)></div>
                        <div class="ts-chart__tooltip" role="tooltip" style=if flip {
                            format!("right:{}px", right - h.x + 12.0)
                        } else {
                            format!("left:{}px", h.x + 12.0)
                        }>
                            <div class="ts-chart__tooltip-time">{format_instant(h.time, utc.get_untracked())}</div>
                            {h.alerts.into_iter().map(|name| view! {
                                <div class="ts-chart__tooltip-alert">{format!("Firing: {name}")}</div>
                            }).collect_view()}
                            {h.rows.into_iter().map(|(name, colour, value)| view! {
                                <div class="ts-chart__tooltip-row">
                                    <span class="swatch" style=format!("background:{colour}")></span>
                                    <span class="name">{name}</span>
                                    <span class="value">{value}</span>
                                </div>
                            }).collect_view()}
                        </div>
                    }
                })}
            </div>
            {move || as_table.get().then(|| view! {
                <ChartTable series=series label=table_label.clone() unit=table_unit.clone() utc=utc/>
            })}
            <ul class="ts-chart__legend" aria-label="Legend">
                <For each=legend key=|entry| entry.clone() let:entry>
                    {
                        let (name, colour) = entry;
                        let toggle_name = name.clone();
                        let off_name = name.clone();
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="ts-chart__legend-item"
                                    class:off=move || hidden.with(|h| h.contains(&off_name)) != options.with(|o| o.hidden.contains(&off_name))
                                    on:click=move |_| {
                                        let n = toggle_name.clone();
                                        hidden.update(|h| {
                                            if !h.remove(&n) {
                                                h.insert(n);
                                            }
                                        });
                                    }
                                >
                                    <span class="swatch" style=format!("background:{colour}")></span>
                                    {name.clone()}
                                </button>
                            </li>
                        }
                    }
                </For>
                <li class="ts-chart__as-table">
                    <button type="button" class="link" aria-pressed=move || as_table.get().to_string()
                        on:click=move |_| as_table.update(|t| *t = !*t)>"Show as table"</button>
                </li>
            </ul>
        </div>
    }
}

/// A fresh id for a chart's summary paragraph (`aria-describedby`).
fn next_summary_id() -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("ts-chart-summary-{n}")
}

/// A series' colour as CSS: its override, else its palette slot.
fn series_colour(
    options: &ChartOptions,
    slots: &std::collections::HashMap<String, usize>,
    name: &str,
) -> String {
    options
        .colours
        .get(name)
        .and_then(|c| crate::colour::css_colour(c))
        .unwrap_or_else(|| format!("var(--series-{})", slots.get(name).copied().unwrap_or(0)))
}

/// The index of the sample nearest to `t`, if one lies within a step of it.
fn nearest(times: &[f64], t: f64, step: f64) -> Option<usize> {
    let i = times.partition_point(|&x| x < t);
    let candidates = [i.checked_sub(1), (i < times.len()).then_some(i)];
    candidates
        .into_iter()
        .flatten()
        .min_by(|&a, &b| (times[a] - t).abs().total_cmp(&(times[b] - t).abs()))
        .filter(|&j| (times[j] - t).abs() <= step.max(1.0))
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn finds_the_nearest_sample_within_a_step() {
        let times = [0.0, 15.0, 30.0];
        assert_eq!(nearest(&times, 16.0, 15.0), Some(1));
        assert_eq!(nearest(&times, 29.0, 15.0), Some(2));
        assert_eq!(nearest(&times, 100.0, 15.0), None);
        assert_eq!(nearest(&[], 1.0, 15.0), None);
    }
}
