//! What a panel's answers become, once, when they arrive: chart columns (with the
//! panel's series overrides), a stat value, bars, or table rows, depending on the panel
//! kind and each query's format.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use vantage_api::dashboard::expand::legend;
use vantage_api::dashboard::{Panel, PanelKind, QueryFormat, Reduce, SeriesOverride};
use vantage_api::matrix::Series;
use vantage_components::data_table::{Cell, Column};
use vantage_components::series::{ChartOptions, ChartSeries, stack};
use vantage_components::value_text::value_text;

/// The answers of one query: its legend template, name, format and series.
pub struct QueryAnswer {
    pub legend: Option<String>,
    pub ref_id: Option<String>,
    pub format: QueryFormat,
    pub series: Vec<Series>,
}

/// Tells whether a regex (JavaScript syntax in the browser) matches a text.
pub type RegexTest<'a> = &'a dyn Fn(&str, &str) -> bool;

/// A panel's data, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum PanelData {
    Chart(Arc<Vec<ChartSeries>>, Arc<ChartOptions>),
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
            PanelData::Chart(series, _) => series.iter().all(|s| s.values.is_empty()),
            PanelData::Stat { value, .. } => value.is_none(),
            PanelData::Bars(bars) => bars.is_empty(),
            PanelData::Table { rows, .. } => rows.is_empty(),
        }
    }
}

/// The chart options the panel sets itself (decimals, bounds, scale, fill).
pub fn base_options(panel: &Panel) -> ChartOptions {
    ChartOptions {
        decimals: panel.decimals,
        min: panel.min,
        max: panel.max,
        log_base: panel.log_base,
        fill_opacity: panel.fill_opacity,
        ..ChartOptions::default()
    }
}

/// Whether `o` applies to a series called `name` of the query `ref_id`.
fn applies(o: &SeriesOverride, name: &str, ref_id: Option<&str>, regex: RegexTest<'_>) -> bool {
    o.name.as_deref() == Some(name)
        || o.regex.as_deref().is_some_and(|r| regex(r, name))
        || (o.ref_id.is_some() && o.ref_id.as_deref() == ref_id)
}

/// Builds a panel's data from its answers, moving the columns rather than copying them.
pub fn build(panel: &Panel, answers: Vec<QueryAnswer>, regex: RegexTest<'_>) -> PanelData {
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
                        let value = reduce(&s.values, panel.reduce)?;
                        Some((name, value))
                    })
                })
                .collect();
            bars.sort_by(|a, b| b.1.total_cmp(&a.1));
            bars.truncate(panel.limit.unwrap_or(usize::MAX));
            PanelData::Bars(bars)
        }
        PanelKind::Table => table(panel, answers),
        _ => chart(panel, answers, regex),
    }
}

/// Series over time, named by their legends; a heatmap's series are named by their
/// bucket bound (`le`). Overrides rename, negate, colour, hide or re-unit series.
fn chart(panel: &Panel, answers: Vec<QueryAnswer>, regex: RegexTest<'_>) -> PanelData {
    let mut options = base_options(panel);
    let heatmap = panel.kind == PanelKind::Heatmap;
    let mut series: Vec<ChartSeries> = Vec::new();
    for a in answers {
        for s in a.series {
            let mut name = match s.labels.get("le") {
                Some(le) if heatmap || a.format == QueryFormat::Heatmap => le.clone(),
                _ => legend(a.legend.as_deref(), &s.labels),
            };
            let mut values = s.values;
            let matched: Vec<&SeriesOverride> = panel
                .overrides
                .iter()
                .filter(|o| applies(o, &name, a.ref_id.as_deref(), regex))
                .collect();
            for o in matched {
                if let Some(display) = &o.display_name {
                    name = legend(Some(display), &s.labels);
                }
                if o.negative_y {
                    values.iter_mut().for_each(|v| *v = -*v);
                }
                if let Some(colour) = &o.color {
                    options.colours.insert(name.clone(), colour.clone());
                }
                if let Some(unit) = &o.unit {
                    options.units.insert(name.clone(), unit.clone());
                }
                if o.hidden {
                    options.hidden.insert(name.clone());
                }
            }
            series.push(ChartSeries {
                name,
                times: s.times,
                values,
            });
        }
    }
    if panel.stack {
        stack(&mut series);
    }
    PanelData::Chart(Arc::new(series), Arc::new(options))
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
/// legend is the header). Without: one row per label set, a column per label, then a
/// value column per query (rows of several queries with the same labels merged, as
/// Grafana's table format shows them). Value mappings turn numbers into their texts.
fn table(panel: &Panel, answers: Vec<QueryAnswer>) -> PanelData {
    let unit = Some(panel.unit.clone());
    let cell = |v: f64| {
        if panel.mappings.iter().any(|m| m.matches(Some(v))) {
            Cell::Text(value_text(Some(v), &panel.unit, panel.decimals, &panel.mappings).0)
        } else {
            Cell::Number(v)
        }
    };
    let header = |i: usize, a: &QueryAnswer| {
        a.legend
            .clone()
            .filter(|l| !l.contains("{{"))
            .or_else(|| {
                (answers.len() > 1).then(|| {
                    format!(
                        "Value #{}",
                        a.ref_id.clone().unwrap_or_else(|| (i + 1).to_string())
                    )
                })
            })
            .unwrap_or_else(|| "Value".to_owned())
    };
    let headers: Vec<String> = answers
        .iter()
        .enumerate()
        .map(|(i, a)| header(i, a))
        .collect();
    if let Some(key) = &panel.label {
        let mut columns = vec![Column {
            header: title_case(key),
            unit: None,
        }];
        columns.extend(headers.iter().map(|h| Column {
            header: h.clone(),
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
                    row[i + 1] = cell(v);
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
        .filter(|l| l != "__name__" || answers.len() == 1)
        .collect();
    let mut columns: Vec<Column> = labels
        .iter()
        .map(|l| Column {
            header: l.clone(),
            unit: None,
        })
        .collect();
    columns.extend(headers.iter().map(|h| Column {
        header: h.clone(),
        unit: unit.clone(),
    }));
    let width = answers.len();
    // One row per label set, in the order first seen.
    let mut order: Vec<Vec<String>> = Vec::new();
    let mut rows: BTreeMap<Vec<String>, Vec<Cell>> = BTreeMap::new();
    for (i, answer) in answers.into_iter().enumerate() {
        for s in answer.series {
            let key: Vec<String> = labels
                .iter()
                .map(|l| s.labels.get(l).cloned().unwrap_or_default())
                .collect();
            let row = rows.entry(key.clone()).or_insert_with(|| {
                order.push(key.clone());
                key.iter()
                    .map(|v| Cell::Text(v.clone()))
                    .chain((0..width).map(|_| Cell::Text(String::new())))
                    .collect()
            });
            row[labels.len() + i] = cell(s.last().unwrap_or(f64::NAN));
        }
    }
    let rows = order
        .into_iter()
        .filter_map(|key| rows.remove(&key))
        .collect();
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

    fn no_regex(_: &str, _: &str) -> bool {
        false
    }

    fn answer(legend: Option<&str>, series: Vec<Series>) -> QueryAnswer {
        QueryAnswer {
            legend: legend.map(str::to_owned),
            ref_id: None,
            format: QueryFormat::TimeSeries,
            series,
        }
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
        let answers = vec![answer(
            Some("{{repository}}"),
            vec![series(&[("repository", "a/x")], &[1.0, 2.0])],
        )];
        let PanelData::Chart(charts, _) = build(&panel("timeseries", ""), answers, &no_regex)
        else {
            panic!("chart")
        };
        assert_eq!(charts[0].name, "a/x");
        assert_eq!(charts[0].values, vec![1.0, 2.0]);
    }

    #[test]
    fn stats_reduce_and_keep_a_sparkline() {
        let answers = vec![answer(None, vec![series(&[], &[1.0, 5.0, f64::NAN])])];
        let data = build(&panel("stat", r#","reduce":"max""#), answers, &no_regex);
        let PanelData::Stat { value, sparkline } = data else {
            panic!("stat")
        };
        assert_eq!(value, Some(5.0));
        assert_eq!(sparkline.len(), 1);
        let last = vec![answer(None, vec![series(&[], &[1.0, 5.0, f64::NAN])])];
        let PanelData::Stat { value, .. } = build(&panel("stat", ""), last, &no_regex) else {
            panic!("stat")
        };
        assert_eq!(value, Some(5.0), "last finite value");
    }

    #[test]
    fn bars_sort_and_limit() {
        let answers = vec![answer(
            None,
            vec![
                series(&[("repository", "a")], &[1.0]),
                series(&[("repository", "b")], &[3.0]),
                series(&[("repository", "c")], &[2.0]),
            ],
        )];
        let data = build(
            &panel("bar", r#","label":"repository","limit":2"#),
            answers,
            &no_regex,
        );
        assert_eq!(
            data,
            PanelData::Bars(vec![("b".into(), 3.0), ("c".into(), 2.0)])
        );
    }

    #[test]
    fn one_query_makes_a_value_column() {
        let answers = vec![answer(None, vec![series(&[("job", "a")], &[0.0000782])])];
        let PanelData::Table { columns, rows } = build(&panel("table", ""), answers, &no_regex)
        else {
            panic!("table")
        };
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(headers, vec!["job", "Value"]);
        assert_eq!(rows[0][1], Cell::Number(0.0000782));
        let two = vec![
            answer(None, vec![series(&[("job", "a")], &[1.0])]),
            answer(None, vec![series(&[("job", "a")], &[2.0])]),
        ];
        let PanelData::Table { columns, .. } = build(&panel("table", ""), two, &no_regex) else {
            panic!("table")
        };
        assert_eq!(columns[1].header, "Value #1");
    }

    #[test]
    fn tables_join_queries_on_the_label() {
        let answers = vec![
            answer(Some("In range"), vec![series(&[("user", "ann")], &[2.0])]),
            answer(
                Some("All time"),
                vec![
                    series(&[("user", "ann")], &[9.0]),
                    series(&[("user", "bob")], &[4.0]),
                ],
            ),
        ];
        let PanelData::Table { columns, rows } =
            build(&panel("table", r#","label":"user""#), answers, &no_regex)
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

    #[test]
    fn overrides_rename_negate_colour_and_hide() {
        let p = panel(
            "timeseries",
            r#","overrides":[{"regex":"tx","negative_y":true,"color":"red"},{"name":"rx","display_name":"in {{device}}","hidden":true}]"#,
        );
        let answers = vec![
            answer(Some("rx"), vec![series(&[("device", "eth0")], &[1.0])]),
            answer(Some("tx"), vec![series(&[("device", "eth0")], &[2.0])]),
        ];
        let contains = |pattern: &str, text: &str| text.contains(pattern);
        let PanelData::Chart(charts, options) = build(&p, answers, &contains) else {
            panic!("chart")
        };
        assert_eq!(charts[0].name, "in eth0");
        assert_eq!(charts[1].values, vec![-2.0]);
        assert_eq!(options.colours.get("tx").map(String::as_str), Some("red"));
        assert!(options.hidden.contains("in eth0"));
    }

    #[test]
    fn table_format_merges_rows_of_the_same_labels() {
        let mut first = answer(None, vec![series(&[("instance", "a")], &[1.0])]);
        first.ref_id = Some("A".into());
        let mut second = answer(
            None,
            vec![
                series(&[("instance", "a")], &[5.0]),
                series(&[("instance", "b")], &[1.0]),
            ],
        );
        second.ref_id = Some("B".into());
        let p = panel("table", r#","mappings":[{"value":1,"text":"UP"}]"#);
        let PanelData::Table { columns, rows } = build(&p, vec![first, second], &no_regex) else {
            panic!("table")
        };
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        assert_eq!(headers, ["instance", "Value #A", "Value #B"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][1], Cell::Text("UP".into()));
        assert_eq!(rows[0][2], Cell::Number(5.0));
    }

    #[test]
    fn heatmap_series_are_named_by_bucket() {
        let answers = vec![answer(
            Some("{{instance}}"),
            vec![series(&[("le", "0.5"), ("instance", "x")], &[1.0])],
        )];
        let PanelData::Chart(charts, _) = build(&panel("heatmap", ""), answers, &no_regex) else {
            panic!("chart")
        };
        assert_eq!(charts[0].name, "0.5");
    }
}
