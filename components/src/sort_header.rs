//! A sortable column header, shared by the data table and the live table: a click sorts
//! by the column (numbers start descending, text ascending), a second click reverses.

use leptos::prelude::*;

/// The `<th>` of column `index`; `sort` holds the sorted column and whether descending.
pub fn sort_header(
    index: usize,
    label: String,
    numeric: bool,
    sort: RwSignal<(usize, bool)>,
) -> impl IntoView {
    let aria = move || match sort.get() {
        (by, true) if by == index => "descending",
        (by, false) if by == index => "ascending",
        _ => "none",
    };
    view! {
        <th scope="col" aria-sort=aria class:numeric=numeric>
            <button type="button" on:click=move |_| sort.update(|s| {
                *s = if s.0 == index { (index, !s.1) } else { (index, numeric) };
            })>{label}</button>
        </th>
    }
}
