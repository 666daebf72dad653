//! A table of live rows for a wall screen: counts at the top, sortable by any column,
//! filterable, and windowed — only the rows on screen (plus a few) are in the DOM, each
//! keyed and fed by its own signal, so applying an update costs the same for 50 rows
//! or 5,000 and touches only the rows it changed. A changed row is highlighted briefly
//! (a CSS animation, restarted by alternating two class names: no timers).

use crate::filter_input::filter_input;
use crate::live_rows::{LiveRows, RowCell};
use crate::sort_header::sort_header;
use leptos::prelude::*;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use vantage_api::live::LiveRow;

/// Height of one row in CSS pixels (`.live-table tr` in the CSS says the same).
pub const ROW_PX: f64 = 30.0;
/// Rows drawn above and below the visible ones, so fast scrolling shows no gaps.
const OVERSCAN: usize = 8;
/// How long a changed row stays highlighted (the CSS animation's length).
const FLASH_MS: f64 = 1_000.0;

/// One column of a live table.
pub struct LiveColumn<R> {
    pub header: &'static str,
    /// CSS width of the column (the layout is fixed, so updates never reflow it).
    pub width: &'static str,
    /// Right-aligned, tabular figures.
    pub numeric: bool,
    /// The cell's text; the second argument is the current time in Unix ms.
    pub text: fn(&R, f64) -> String,
    /// Ascending order of this column.
    pub compare: fn(&R, &R) -> Ordering,
    /// A tooltip with the raw value, if it helps.
    pub title: Option<fn(&R) -> String>,
    /// The text depends on the time (an age): redrawn every second.
    pub uses_now: bool,
}

// Written out because a derive would demand `R: Clone`; the fields are fn pointers.
impl<R> Clone for LiveColumn<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for LiveColumn<R> {}

/// Counts of rows by one field, shown at the top ("by user").
pub struct CountBy<R> {
    pub label: &'static str,
    pub of: fn(&R) -> &str,
}

impl<R> Clone for CountBy<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for CountBy<R> {}

/// The rows ranked `first..first + count` among those that pass `needle` (lowercase;
/// empty keeps all), in the order of `compare` with the key as tie-break (so rows of
/// equal value do not trade places on every update); also the first rank actually
/// shown and how many rows pass. Only the window is sorted: selecting it is linear in
/// the number of rows, where sorting all of them on every update would not be.
pub fn window_keys<'a, R: 'a>(
    entries: impl Iterator<Item = (&'a Arc<str>, &'a R)>,
    compare: fn(&R, &R) -> Ordering,
    desc: bool,
    needle: &str,
    matches: fn(&R, &str) -> bool,
    first: usize,
    count: usize,
) -> (usize, Vec<Arc<str>>, usize) {
    let mut kept: Vec<(&Arc<str>, &R)> = if needle.is_empty() {
        entries.collect()
    } else {
        entries.filter(|(_, row)| matches(row, needle)).collect()
    };
    let total = kept.len();
    let first = first.min(total.saturating_sub(count.min(total)));
    let end = (first + count).min(total);
    let order = |(ka, a): &(&Arc<str>, &R), (kb, b): &(&Arc<str>, &R)| {
        let ord = compare(a, b);
        let ord = if desc { ord.reverse() } else { ord };
        ord.then_with(|| ka.cmp(kb))
    };
    // Keys are unique, so the order is total: selections and unstable sorts agree.
    if first > 0 && first < total {
        kept.select_nth_unstable_by(first, order);
    }
    let rest = &mut kept[first..];
    let wanted = end - first;
    if wanted > 0 && wanted < rest.len() {
        rest.select_nth_unstable_by(wanted, order);
    }
    let window = &mut rest[..wanted];
    window.sort_unstable_by(order);
    (
        first,
        window.iter().map(|(key, _)| Arc::clone(key)).collect(),
        total,
    )
}

/// Rows per value of `of`, most first (then by name).
pub fn counts_of<'a, R: 'a>(
    rows: impl Iterator<Item = &'a R>,
    of: fn(&R) -> &str,
) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        *counts.entry(of(row)).or_default() += 1;
    }
    let mut out: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(name, n)| (name.to_owned(), n))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The first row to draw and how many, for a scroll position.
pub fn window(scroll_top: f64, viewport_px: f64, total: usize) -> (usize, usize) {
    let first = ((scroll_top.max(0.0) / ROW_PX) as usize)
        .saturating_sub(OVERSCAN)
        .min(total);
    let count = (viewport_px / ROW_PX).ceil() as usize + 2 * OVERSCAN;
    (first, count.min(total - first))
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The live table.
#[component]
pub fn LiveTable<R>(
    /// The rows, keyed.
    rows: LiveRows<R>,
    /// The columns, in order.
    columns: Vec<LiveColumn<R>>,
    /// Accessible name of the table.
    #[prop(into)]
    label: String,
    /// Whether a row matches the filter text (given in lower case).
    matches: fn(&R, &str) -> bool,
    /// What a row is, singular and plural ("session", "sessions").
    noun: (&'static str, &'static str),
    /// Counts by one field at the top.
    #[prop(optional)]
    count_by: Option<CountBy<R>>,
    /// Column to sort by at first, and whether descending.
    #[prop(default = (0, false))]
    sort: (usize, bool),
    /// Height of the scrolling area in CSS pixels.
    #[prop(default = 420)]
    height: u32,
) -> impl IntoView
where
    R: LiveRow + PartialEq + Send + Sync + 'static,
{
    let columns: Arc<[LiveColumn<R>]> = columns.into();
    let sort = RwSignal::new(sort);
    let filter = RwSignal::new(String::new());
    let scroll_top = RwSignal::new(0.0);
    let viewport = f64::from(height);

    // Ages move on their own: one clock for the table, read only by cells on screen.
    let now = RwSignal::new(now_ms());
    if columns.iter().any(|c| c.uses_now) {
        let ticker = set_interval_with_handle(move || now.set(now_ms()), Duration::from_secs(1));
        on_cleanup(move || {
            if let Ok(handle) = ticker {
                handle.clear();
            }
        });
    }

    let order_columns = Arc::clone(&columns);
    // The first row on screen changes less often than the scroll position.
    let first_row = Memo::new(move |_| window(scroll_top.get(), viewport, usize::MAX));
    let shown = Memo::new(move |_| {
        let (by, desc) = sort.get();
        let needle = filter.with(|f| f.trim().to_lowercase());
        let compare = order_columns.get(by).map_or(
            (|_: &R, _: &R| Ordering::Equal) as fn(&R, &R) -> Ordering,
            |c| c.compare,
        );
        let (first, count) = first_row.get();
        rows.window_keys(compare, desc, &needle, matches, first, count)
    });
    let counts = Memo::new(move |_| rows.counts(count_by.map(|c| c.of)));

    let header_columns = Arc::clone(&columns);
    let header = move || {
        header_columns
            .iter()
            .enumerate()
            .map(|(i, column)| sort_header(i, column.header.to_owned(), column.numeric, sort))
            .collect_view()
    };
    let widths = columns
        .iter()
        .map(|c| view! { <col style=format!("width: {}", c.width)/> })
        .collect_view();
    let row_columns = Arc::clone(&columns);
    let row = move |key: Arc<str>| match rows.cell(&key) {
        Some(cell) => live_row(cell, Arc::clone(&row_columns), now, key).into_any(),
        None => ().into_any(),
    };
    let span = columns.len();
    let each = move || shown.get().1;
    let key_of = |key: &Arc<str>| Arc::clone(key);
    let total = move || counts.with(|c| c.0);
    let counts_view = move || {
        let groups = counts.with(|c| c.1.clone());
        view! {
            <p class="live-table__counts" aria-live="polite">
                <strong class="live-table__total">{total}</strong>" "
                {move || format!("active {}", if total() == 1 { noun.0 } else { noun.1 })}
                {move || {
                    let filtered = shown.with(|s| s.2);
                    (filtered != total()).then(|| format!(" · {filtered} shown"))
                }}
            </p>
            {groups.filter(|g| !g.is_empty()).map(|groups| {
                let label = count_by.map(|c| c.label).unwrap_or_default();
                let more = groups.len().saturating_sub(8);
                view! {
                    <p class="live-table__groups">
                        <span class="live-table__groups-label">{format!("by {label}:")}</span>
                        {groups.into_iter().take(8).map(|(name, n)| view! {
                            <span class="live-table__group"><span>{name}</span>" "<strong>{n}</strong></span>
                        }).collect_view()}
                        {(more > 0).then(|| view! { <span class="live-table__group">{format!("+{more} more")}</span> })}
                    </p>
                }
            })}
        }
    };
    view! {
        <div class="live-table">
            <div class="live-table__top">
                <div class="live-table__summary">{counts_view}</div>
                {filter_input(&label, filter)}
            </div>
            <div
                class="live-table__scroll"
                style=format!("height: {height}px")
                on:scroll=move |ev| {
                    let top = event_target::<web_sys::Element>(&ev).scroll_top();
                    scroll_top.set(f64::from(top));
                }
            >
                <table aria-label=label.clone() aria-rowcount=move || shown.with(|s| s.2 + 1)>
                    <colgroup>{widths}</colgroup>
                    <thead><tr>{header}</tr></thead>
                    <tbody>
                        <tr class="live-table__spacer" aria-hidden="true" style=move || {
                            format!("height: {}px", shown.with(|s| s.0) as f64 * ROW_PX)
                        }><td colspan=span></td></tr>
                        <For each=each key=key_of children=row/>
                        <tr class="live-table__spacer" aria-hidden="true" style=move || {
                            let below = shown.with(|(first, keys, total)| total - first - keys.len());
                            format!("height: {}px", below as f64 * ROW_PX)
                        }><td colspan=span></td></tr>
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// One row: its cells follow the row's signal; the highlight restarts on each change.
fn live_row<R: Send + Sync + 'static>(
    cell: ArcRwSignal<RowCell<R>>,
    columns: Arc<[LiveColumn<R>]>,
    now: RwSignal<f64>,
    key: Arc<str>,
) -> impl IntoView {
    let class_cell = cell.clone();
    let class = move || {
        class_cell.with(|c| {
            if c.changes > 0 && now_ms() - c.changed_at < FLASH_MS {
                if c.changes % 2 == 0 {
                    "live-row live-row--flash-a"
                } else {
                    "live-row live-row--flash-b"
                }
            } else {
                "live-row"
            }
        })
    };
    // One effect per row writes the cells whose text changed (two effects per cell made
    // an update that changes most rows on screen cost hundreds of effect runs).
    let nodes: Vec<NodeRef<leptos::html::Td>> = columns.iter().map(|_| NodeRef::new()).collect();
    let cells = columns
        .iter()
        .zip(&nodes)
        .map(|(column, node)| view! { <td class:numeric=column.numeric node_ref=*node></td> })
        .collect_view();
    let uses_now = columns.iter().any(|c| c.uses_now);
    Effect::new(move |shown: Option<Vec<(String, Option<String>)>>| {
        let at = if uses_now { now.get() } else { 0.0 };
        let texts: Vec<(String, Option<String>)> = cell.with(|c| {
            columns
                .iter()
                .map(|column| {
                    let text = (column.text)(&c.row, at);
                    (text, column.title.map(|t| t(&c.row)))
                })
                .collect()
        });
        for (i, ((text, title), node)) in texts.iter().zip(&nodes).enumerate() {
            let Some(td) = node.get_untracked() else {
                continue;
            };
            let before = shown.as_ref().and_then(|s| s.get(i));
            if before.is_none_or(|(t, _)| t != text) {
                td.set_text_content(Some(text));
            }
            if before.is_none_or(|(_, t)| t != title) {
                let _ = match title {
                    Some(title) => td.set_attribute("title", title),
                    None => td.remove_attribute("title"),
                };
            }
        }
        texts
    });
    view! { <tr class=class data-key=key.to_string()>{cells}</tr> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Row {
        user: &'static str,
        n: u32,
    }

    fn entries() -> Vec<(Arc<str>, Row)> {
        [
            ("s1", "ann", 3),
            ("s2", "bob", 1),
            ("s3", "ann", 3),
            ("s4", "cy", 2),
        ]
        .into_iter()
        .map(|(k, user, n)| (Arc::from(k), Row { user, n }))
        .collect()
    }

    fn sorted(desc: bool, needle: &str) -> Vec<String> {
        let entries = entries();
        let (_, shown, _) = window_keys(
            entries.iter().map(|(k, r)| (k, r)),
            by_n,
            desc,
            needle,
            user_has,
            0,
            usize::MAX,
        );
        keys(shown)
    }

    fn by_n(a: &Row, b: &Row) -> Ordering {
        a.n.cmp(&b.n)
    }

    fn user_has(row: &Row, needle: &str) -> bool {
        row.user.contains(needle)
    }

    fn keys(keys: Vec<Arc<str>>) -> Vec<String> {
        keys.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn sorts_with_the_key_as_tie_break_and_filters() {
        assert_eq!(sorted(false, ""), ["s2", "s4", "s1", "s3"]);
        assert_eq!(sorted(true, ""), ["s1", "s3", "s4", "s2"]);
        assert_eq!(sorted(false, "ann"), ["s1", "s3"]);
    }

    #[test]
    fn every_window_is_a_slice_of_the_full_order() {
        let rows: Vec<(Arc<str>, Row)> = (0..200u32)
            .map(|i| {
                let user = ["ann", "bob", "cy"][(i % 3) as usize];
                (
                    Arc::from(format!("k{:03}", (i * 37) % 200)),
                    Row {
                        user,
                        n: (i * 7919) % 13,
                    },
                )
            })
            .collect();
        for desc in [false, true] {
            let (_, full, total) = window_keys(
                rows.iter().map(|(k, r)| (k, r)),
                by_n,
                desc,
                "",
                user_has,
                0,
                usize::MAX,
            );
            assert_eq!(total, 200);
            for (first, count) in [(0, 10), (5, 30), (190, 30), (250, 10), (0, 0), (37, 1)] {
                let (at, window, _) = window_keys(
                    rows.iter().map(|(k, r)| (k, r)),
                    by_n,
                    desc,
                    "",
                    user_has,
                    first,
                    count,
                );
                let end = (at + count).min(200);
                assert_eq!(
                    window,
                    full[at..end].to_vec(),
                    "{first}+{count} desc={desc}"
                );
                assert!(at <= first, "{first} -> {at}");
            }
        }
    }

    #[test]
    fn counts_most_first() {
        assert_eq!(
            counts_of(entries().iter().map(|(_, r)| r), |r| r.user),
            [
                ("ann".to_owned(), 2),
                ("bob".to_owned(), 1),
                ("cy".to_owned(), 1)
            ]
        );
    }

    #[test]
    fn the_window_covers_the_viewport_and_some_overscan() {
        assert_eq!(window(0.0, 300.0, 5_000), (0, 26));
        let (first, count) = window(3_000.0, 300.0, 5_000);
        assert_eq!(first, 100 - OVERSCAN);
        assert!(first * 30 <= 3_000 && (first + count) * 30 >= 3_300);
        assert_eq!(window(0.0, 300.0, 7), (0, 7));
        assert_eq!(window(1e9, 300.0, 7), (7, 0));
    }
}
