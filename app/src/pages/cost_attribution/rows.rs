//! Turning per-label query results into table rows and bar items.

use std::collections::BTreeMap;
use vantage_api::matrix::Series;
use vantage_components::data_table::Cell;

/// One row per value of `label`: the value, then the last sample of each result set
/// (a missing one shows as 0, as a counter that has not moved).
pub fn merge_by_label(label: &str, results: &[&[Series]]) -> Vec<Vec<Cell>> {
    let mut table: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (column, series) in results.iter().enumerate() {
        for s in *series {
            let Some(key) = s.labels.get(label) else {
                continue;
            };
            let row = table
                .entry(key.clone())
                .or_insert_with(|| vec![0.0; results.len()]);
            row[column] = s.last().filter(|v| v.is_finite()).unwrap_or(0.0);
        }
    }
    table
        .into_iter()
        .map(|(key, values)| {
            std::iter::once(Cell::Text(key))
                .chain(values.into_iter().map(Cell::Number))
                .collect()
        })
        .collect()
}

/// `(label value, last sample)` for a bar list.
pub fn bar_items(label: &str, series: &[Series]) -> Vec<(String, f64)> {
    series
        .iter()
        .filter_map(|s| Some((s.labels.get(label)?.clone(), s.last()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(repo: &str, value: f64) -> Series {
        Series {
            labels: [("repository".to_owned(), repo.to_owned())].into(),
            times: vec![1.0],
            values: vec![value],
        }
    }

    #[test]
    fn merges_columns_by_label() {
        let range = [series("a/x", 1.5)];
        let all = [series("a/x", 10.0), series("b/y", 4.0)];
        let rows = merge_by_label("repository", &[&range, &all]);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            vec![
                Cell::Text("a/x".into()),
                Cell::Number(1.5),
                Cell::Number(10.0)
            ]
        );
        assert_eq!(
            rows[1],
            vec![
                Cell::Text("b/y".into()),
                Cell::Number(0.0),
                Cell::Number(4.0)
            ]
        );
    }
}
