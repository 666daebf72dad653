//! A table that sorts by any column, filters rows by text, and exports what it shows as CSV.

use crate::filter_input::filter_input;
use crate::sort_header::sort_header;
use leptos::prelude::*;
use std::cmp::Ordering;
use vantage_api::unit::Unit;

/// One column: its header and, for numbers, the unit they are shown in.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// `None` for a text column.
    pub unit: Option<Unit>,
}

/// A cell: text, or a number shown with the column's unit and sorted numerically.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn display(&self, unit: Option<Unit>) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(n) => unit.unwrap_or_default().format(*n),
        }
    }

    fn raw(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(n) => n.to_string(),
        }
    }

    fn compare(&self, other: &Cell) -> Ordering {
        match (self, other) {
            (Cell::Number(a), Cell::Number(b)) => a.total_cmp(b),
            (a, b) => a.raw().cmp(&b.raw()),
        }
    }
}

/// Rows sorted by column `by` (descending if `desc`) and kept if any cell contains `filter`.
pub fn visible_rows(rows: &[Vec<Cell>], by: usize, desc: bool, filter: &str) -> Vec<Vec<Cell>> {
    let needle = filter.trim().to_lowercase();
    let mut kept: Vec<Vec<Cell>> = rows
        .iter()
        .filter(|row| {
            needle.is_empty() || row.iter().any(|c| c.raw().to_lowercase().contains(&needle))
        })
        .cloned()
        .collect();
    kept.sort_by(|a, b| {
        let ord = match (a.get(by), b.get(by)) {
            (Some(x), Some(y)) => x.compare(y),
            _ => Ordering::Equal,
        };
        if desc { ord.reverse() } else { ord }
    });
    kept
}

/// The rows as CSV (RFC 4180 quoting), raw numbers, header first.
pub fn to_csv(columns: &[Column], rows: &[Vec<Cell>]) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    };
    let mut out = columns
        .iter()
        .map(|c| quote(&c.header))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    for row in rows {
        out.push_str(
            &row.iter()
                .map(|c| quote(&c.raw()))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// A sortable, filterable table with CSV export.
#[component]
pub fn DataTable(
    /// The columns, in order.
    #[prop(into)]
    columns: Signal<Vec<Column>>,
    /// The rows; each has one cell per column.
    #[prop(into)]
    rows: Signal<Vec<Vec<Cell>>>,
    /// Accessible name of the table; also the CSV file's name.
    #[prop(into)]
    label: String,
    /// Column to sort by at first, and whether descending.
    #[prop(default = (0, false))]
    sort: (usize, bool),
    /// Makes rows actionable (click, or Enter on a focused row): called with the row's
    /// first cell, e.g. to drill into that group.
    #[prop(optional_no_strip)]
    on_row: Option<Callback<String>>,
) -> impl IntoView {
    let sort = RwSignal::new(sort);
    let filter = RwSignal::new(String::new());
    let shown = Memo::new(move |_| {
        let (by, desc) = sort.get();
        rows.with(|rows| visible_rows(rows, by, desc, &filter.get()))
    });
    let file_name = format!(
        "{}.csv",
        label
            .to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), "-")
    );
    let export = move |_| {
        let csv = columns.with_untracked(|columns| to_csv(columns, &shown.get_untracked()));
        if let Err(err) = crate::download::save_text(&file_name, &csv, "text/csv;charset=utf-8") {
            leptos::logging::warn!("CSV export failed: {err:?}");
        }
    };
    let header = move || {
        columns.with(|columns| {
            columns
                .iter()
                .enumerate()
                .map(|(i, column)| {
                    sort_header(i, column.header.clone(), column.unit.is_some(), sort)
                })
                .collect_view()
        })
    };
    let body = move || {
        let units: Vec<Option<Unit>> = columns.with(|c| c.iter().map(|c| c.unit.clone()).collect());
        shown
            .get()
            .into_iter()
            .map(|row| {
                let cells = row
                    .iter()
                    .enumerate()
                    .map(|(i, cell)| {
                        let unit = units.get(i).cloned().flatten();
                        let numeric = unit.is_some();
                        view! { <td class:numeric=numeric>{cell.display(unit)}</td> }
                    })
                    .collect_view();
                match (on_row, row.first()) {
                    (Some(action), Some(first)) => {
                        let key = first.raw();
                        let on_enter = key.clone();
                        view! {
                            <tr
                                class="data-table__row--action"
                                tabindex="0"
                                on:click=move |_| action.run(key.clone())
                                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                    if ev.key() == "Enter" {
                                        ev.prevent_default();
                                        action.run(on_enter.clone());
                                    }
                                }
                            >
                                {cells}
                            </tr>
                        }
                        .into_any()
                    }
                    _ => view! { <tr>{cells}</tr> }.into_any(),
                }
            })
            .collect_view()
    };
    view! {
        <div class="data-table">
            <div class="data-table__tools">
                {filter_input(&label, filter)}
                <span class="data-table__count">{move || match shown.with(Vec::len) {
                    1 => "1 row".to_owned(),
                    n => format!("{n} rows"),
                }}</span>
                <button type="button" on:click=export>"CSV"</button>
            </div>
            <div class="data-table__scroll">
                <table aria-label=label.clone()>
                    <thead><tr>{header}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Vec<Cell>> {
        vec![
            vec![Cell::Text("acme/web".into()), Cell::Number(2.5)],
            vec![Cell::Text("acme/api".into()), Cell::Number(10.0)],
            vec![Cell::Text("beta/ml".into()), Cell::Number(7.25)],
        ]
    }

    #[test]
    fn sorts_numbers_numerically_and_filters() {
        let sorted = visible_rows(&rows(), 1, true, "");
        assert_eq!(sorted[0][0], Cell::Text("acme/api".into()));
        let filtered = visible_rows(&rows(), 0, false, "ACME");
        assert_eq!(filtered.len(), 2);
        assert_eq!(filtered[0][0], Cell::Text("acme/api".into()));
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let columns = vec![
            Column {
                header: "repo, name".into(),
                unit: None,
            },
            Column {
                header: "USD".into(),
                unit: Some(Unit::Usd),
            },
        ];
        let csv = to_csv(
            &columns,
            &[vec![Cell::Text("say \"hi\"".into()), Cell::Number(1.5)]],
        );
        assert_eq!(csv, "\"repo, name\",USD\r\n\"say \"\"hi\"\"\",1.5\r\n");
    }
}
