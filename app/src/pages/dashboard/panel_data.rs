//! What a panel's answers become, once, when they arrive: chart columns, a stat value,
//! bars, or table rows, depending on the panel kind.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use vantage_api::dashboard::expand::legend;
use vantage_api::dashboard::{Panel, PanelKind, Reduce};
use vantage_api::matrix::Series;
use vantage_components::data_table::{Cell, Column};
use vantage_components::series::{ChartSeries, stack};

/// The answers of one query: its legend template and its series.
pub struct QueryAnswer {
    pub legend: Option<String>,
    pub series: Vec<Series>,
}

/// A panel's data, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum PanelData {
    Chart(Arc<Vec<ChartSeries>>),
    Stat {
        value: Option<f64>,
        sparkline: Arc<Vec<ChartSeries>>,
    },
    Bars(Vec<(String, f64)>),
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<Cell>>,
    },
}

impl PanelData {
    /// True when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        match self {
            PanelData::Chart(series) => series.iter().all(|s| s.values.is_empty()),
            PanelData::Stat { value, .. } => value.is_none(),
            PanelData::Bars(bars) => bars.is_empty(),
            PanelData::Table { rows, .. } => rows.is_empty(),
        }
    }
}

/// Builds a panel's data from its answers, moving the columns rather than copying them.
pub fn build(panel: &Panel, answers: Vec<QueryAnswer>) -> PanelData {
    match panel.kind {
        PanelKind::Stat | PanelKind::Gauge => {
            let first = answers
                .into_iter()
                .next()
                .and_then(|a| a.series.into_iter().next());
            let value = first.as_ref().and_then(|s| reduce(&s.values, panel.reduce));
            let sparkline = first
                .filter(|s| s.values.len() > 1)
                .map(|s| {
                    vec![ChartSeries {
                        name: panel.title.clone(),
                        times: s.times,
                        values: s.values,
                    }]
                })
                .unwrap_or_default();
            PanelData::Stat {
                value,
                sparkline: Arc::new(sparkline),
            }
        }
        PanelKind::Bar => {
            let mut bars: Vec<(String, f64)> = answers
                .into_iter()
                .flat_map(|a| {
                    let template = a.legend;
                    let label = panel.label.clone();
                    a.series.into_iter().filter_map(move |s| {
                        let name = match &label {
                            Some(l) => s.labels.get(l).cloned().unwrap_or_default(),
                            None => legend(template.as_deref(), &s.labels),
                        };
                        Some((name, s.last().filter(|v| v.is_finite())?))
                    })
                })
                .collect();
            bars.sort_by(|a, b| b.1.total_cmp(&a.1));
            bars.truncate(panel.limit.unwrap_or(usize::MAX));
            PanelData::Bars(bars)
        }
        PanelKind::Table => table(panel, answers),
        _ => {
            let mut series: Vec<ChartSeries> = answers
                .into_iter()
                .flat_map(|a| {
                    let template = a.legend;
                    a.series.into_iter().map(move |s| ChartSeries {
                        name: legend(template.as_deref(), &s.labels),
                        times: s.times,
                        values: s.values,
                    })
                })
                .collect();
            if panel.stack {
                stack(&mut series);
            }
            PanelData::Chart(Arc::new(series))
        }
    }
}

fn reduce(values: &[f64], how: Reduce) -> Option<f64> {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    match how {
        Reduce::Last => values.iter().rev().copied().find(|v| v.is_finite()),
        Reduce::Max => finite.reduce(f64::max),
        Reduce::Min => finite.reduce(f64::min),
        Reduce::First => values.iter().copied().find(|v| v.is_finite()),
        Reduce::Sum => {
            let (sum, n) = finite.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
            (n > 0).then_some(sum)
        }
        Reduce::Mean => {
            let (sum, n) = finite.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
            (n > 0).then(|| sum / n as f64)
        }
    }
}

/// With `label`: one row per value of that label, one numeric column per query (its
/// legend is the header). Without: one row per series, a column per label, then values.
fn table(panel: &Panel, answers: Vec<QueryAnswer>) -> PanelData {
    let unit = Some(panel.unit.clone());
    // A query's column is named after its legend; without one, "Value", numbered only
    // when there are several queries to tell apart.
    let single = answers.len() == 1;
    let header = |i: usize, a: &QueryAnswer| {
        a.legend.clone().unwrap_or_else(|| {
            if single {
                "Value".to_owned()
            } else {
                format!("Value #{}", i + 1)
            }
        })
    };
    if let Some(key) = &panel.label {
        let mut columns = vec![Column {
            header: title_case(key),
            unit: None,
        }];
        columns.extend(answers.iter().enumerate().map(|(i, a)| Column {
            header: header(i, a),
            unit: unit.clone(),
        }));
        let mut rows: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
        let width = answers.len();
        for (i, answer) in answers.into_iter().enumerate() {
            for s in answer.series {
                let Some(name) = s.labels.get(key).cloned() else {
                    continue;
                };
                let row = rows.entry(name.clone()).or_insert_with(|| {
                    std::iter::once(Cell::Text(name))
                        .chain((0..width).map(|_| Cell::Number(0.0)))
                        .collect()
                });
                if let Some(v) = s.last() {
                    row[i + 1] = Cell::Number(v);
                }
            }
        }
        return PanelData::Table {
            columns,
            rows: rows.into_values().collect(),
        };
    }
    let labels: BTreeSet<String> = answers
        .iter()
        .flat_map(|a| a.series.iter().flat_map(|s| s.labels.keys().cloned()))
        .collect();
    let mut columns: Vec<Column> = labels
        .iter()
        .map(|l| Column {
            header: l.clone(),
            unit: None,
        })
        .collect();
    columns.extend(answers.iter().enumerate().map(|(i, a)| Column {
        header: header(i, a),
        unit: unit.clone(),
    }));
    let width = answers.len();
    let mut rows = Vec::new();
    for (i, answer) in answers.into_iter().enumerate() {
        for s in answer.series {
            let mut row: Vec<Cell> = labels
                .iter()
                .map(|l| Cell::Text(s.labels.get(l).cloned().unwrap_or_default()))
                .collect();
            row.extend((0..width).map(|j| {
                if j == i {
                    Cell::Number(s.last().unwrap_or(f64::NAN))
                } else {
                    Cell::Text(String::new())
                }
            }));
            rows.push(row);
        }
    }
    PanelData::Table { columns, rows }
}

fn title_case(label: &str) -> String {
    let mut chars = label.replace('_', " ").chars().collect::<Vec<_>>();
    if let Some(first) = chars.first_mut() {
        *first = first.to_ascii_uppercase();
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(kind: &str, extra: &str) -> Panel {
        serde_json::from_str(&format!(
            r#"{{"id":"p","title":"P","type":"{kind}","query":"q"{extra}}}"#
        ))
        .expect("panel")
    }

    fn series(labels: &[(&str, &str)], values: &[f64]) -> Series {
        Series {
            labels: labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            times: (0..values.len()).map(|i| i as f64 * 15.0).collect(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn charts_name_series_by_legend() {
        let answers = vec![QueryAnswer {
            legend: Some("{{repository}}".into()),
            series: vec![series(&[("repository", "a/x")], &[1.0, 2.0])],
        }];
        let PanelData::Chart(charts) = build(&panel("timeseries", ""), answers) else {
            panic!("chart")
        };
        assert_eq!(charts[0].name, "a/x");
        assert_eq!(charts[0].values, vec![1.0, 2.0]);
    }

    #[test]
    fn stats_reduce_and_keep_a_sparkline() {
        let answers = vec![QueryAnswer {
            legend: None,
            series: vec![series(&[], &[1.0, 5.0, f64::NAN])],
        }];
        let data = build(&panel("stat", r#","reduce":"max""#), answers);
        let PanelData::Stat { value, sparkline } = data else {
            panic!("stat")
        };
        assert_eq!(value, Some(5.0));
        assert_eq!(sparkline.len(), 1);
        let last = vec![QueryAnswer {
            legend: None,
            series: vec![series(&[], &[1.0, 5.0, f64::NAN])],
        }];
        let PanelData::Stat { value, .. } = build(&panel("stat", ""), last) else {
            panic!("stat")
        };
        assert_eq!(value, Some(5.0), "last finite value");
    }

    #[test]
    fn bars_sort_and_limit() {
        let answers = vec![QueryAnswer {
            legend: None,
            series: vec![
                series(&[("repository", "a")], &[1.0]),
                series(&[("repository", "b")], &[3.0]),
                series(&[("repository", "c")], &[2.0]),
            ],
        }];
        let data = build(&panel("bar", r#","label":"repository","limit":2"#), answers);
        assert_eq!(
            data,
            PanelData::Bars(vec![("b".into(), 3.0), ("c".into(), 2.0)])
        );
    }

    #[test]
    fn one_query_makes_a_value_column() {
        let answers = vec![QueryAnswer {
            legend: None,
            series: vec![series(&[("job", "a")], &[0.0000782])],
        }];
        let PanelData::Table { columns, rows } = build(&panel("table", ""), answers) else {
            panic!("table")
        };
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(headers, vec!["job", "Value"]);
        assert_eq!(rows[0][1], Cell::Number(0.0000782));
        let two = vec![
            QueryAnswer {
                legend: None,
                series: vec![series(&[("job", "a")], &[1.0])],
            },
            QueryAnswer {
                legend: None,
                series: vec![series(&[("job", "a")], &[2.0])],
            },
        ];
        let PanelData::Table { columns, .. } = build(&panel("table", ""), two) else {
            panic!("table")
        };
        assert_eq!(columns[1].header, "Value #1");
    }

    #[test]
    fn tables_join_queries_on_the_label() {
        let answers = vec![
            QueryAnswer {
                legend: Some("In range".into()),
                series: vec![series(&[("user", "ann")], &[2.0])],
            },
            QueryAnswer {
                legend: Some("All time".into()),
                series: vec![
                    series(&[("user", "ann")], &[9.0]),
                    series(&[("user", "bob")], &[4.0]),
                ],
            },
        ];
        let PanelData::Table { columns, rows } =
            build(&panel("table", r#","label":"user""#), answers)
        else {
            panic!("table")
        };
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(headers, vec!["User", "In range", "All time"]);
        assert_eq!(
            rows[1],
            vec![
                Cell::Text("bob".into()),
                Cell::Number(0.0),
                Cell::Number(4.0)
            ]
        );
    }
}
