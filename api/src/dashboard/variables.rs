//! Pure helpers for a variable's values, shared by the browser and the proxy: what a
//! variable query asks for, Grafana's regex filter (given a regex engine by the caller:
//! the browser's RegExp, the proxy's `regex` crate), its sort orders, custom lists and
//! the `auto` interval.

use super::expand::Selection;
use super::spec::{Variable, VariableKind, VariableOption, VariableSort};
use crate::duration::{format_duration_ms, parse_prometheus_duration};
use std::cmp::Ordering;

/// What a variable's `query` asks the upstream for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableQuery {
    /// `label_values(selector, label)` or `label_values(label)`: a label's values.
    LabelValues {
        selector: Option<String>,
        label: String,
    },
    /// `label_names()` or `label_names(selector)`: the label names.
    LabelNames { selector: Option<String> },
    /// `metrics(regex)`: the metric names the regex matches (an empty regex: all).
    Metrics { regex: String },
    /// `query_result(expr)`: one value per series of an instant query, written
    /// `name{label="value", ...} value timestamp` as Grafana does, for the regex to pick.
    QueryResult { expr: String },
}

fn call<'q>(query: &'q str, function: &str) -> Option<&'q str> {
    let rest = query.trim().strip_prefix(function)?.trim_start();
    rest.strip_prefix('(')?.strip_suffix(')').map(str::trim)
}

fn is_label_name(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses the variable query forms Grafana's Prometheus source knows.
pub fn parse_variable_query(query: &str) -> Option<VariableQuery> {
    if let Some(inner) = call(query, "label_values") {
        let (selector, label) = match split_last_argument(inner) {
            Some((selector, label)) => (Some(selector.to_owned()), label),
            None => (None, inner),
        };
        return is_label_name(label).then(|| VariableQuery::LabelValues {
            selector: selector.filter(|s| !s.is_empty()),
            label: label.to_owned(),
        });
    }
    if let Some(inner) = call(query, "label_names") {
        return Some(VariableQuery::LabelNames {
            selector: (!inner.is_empty()).then(|| inner.to_owned()),
        });
    }
    if let Some(inner) = call(query, "metrics") {
        return Some(VariableQuery::Metrics {
            regex: inner.to_owned(),
        });
    }
    if let Some(inner) = call(query, "query_result") {
        return (!inner.is_empty()).then(|| VariableQuery::QueryResult {
            expr: inner.to_owned(),
        });
    }
    None
}

/// Splits `selector, label` at the last comma outside braces and quotes.
fn split_last_argument(inner: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut last = None;
    for (i, c) in inner.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '{' | '(' | '[' => depth += 1,
            '}' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => last = Some(i),
            _ => {}
        }
    }
    last.map(|i| (inner[..i].trim(), inner[i + 1..].trim()))
}

/// Splits Grafana's `/pattern/flags` into pattern and flags; a bare pattern has none.
pub fn parse_regex_literal(regex: &str) -> (&str, &str) {
    let text = regex.trim();
    if let Some(rest) = text.strip_prefix('/')
        && let Some(end) = rest.rfind('/')
    {
        let flags = &rest[end + 1..];
        if flags.chars().all(|c| "gimsuy".contains(c)) {
            return (&rest[..end], flags);
        }
    }
    (text, "")
}

/// What a regex engine found in one value: `None` from the matcher means no match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegexMatch {
    /// The first capture group, when the regex has one and it took part.
    pub first_group: Option<String>,
    /// The group named `text`.
    pub text: Option<String>,
    /// The group named `value`.
    pub value: Option<String>,
}

/// Keeps the values the variable's regex matches, as Grafana does: the group named
/// `value` (else the first group, else the whole value) is the value, the group named
/// `text` what the picker shows; duplicates are dropped, the first kept.
pub fn apply_regex<F>(values: &[String], mut matcher: F) -> Vec<VariableOption>
where
    F: FnMut(&str) -> Option<RegexMatch>,
{
    let mut out: Vec<VariableOption> = Vec::new();
    for original in values {
        let Some(found) = matcher(original) else {
            continue;
        };
        let value = found
            .value
            .or(found.first_group)
            .unwrap_or_else(|| original.clone());
        let text = found.text.filter(|t| *t != value).unwrap_or_default();
        if !out.iter().any(|o| o.value == value) {
            out.push(VariableOption { text, value });
        }
    }
    out
}

/// Orders options as Grafana's sort codes do (on the shown text).
pub fn sort_options(options: &mut [VariableOption], sort: VariableSort) {
    let key = |o: &VariableOption| o.shown().to_owned();
    match sort {
        VariableSort::Unsorted => {}
        VariableSort::AlphabeticalAsc => options.sort_by_key(key),
        VariableSort::AlphabeticalDesc => {
            options.sort_by_key(key);
            options.reverse();
        }
        VariableSort::NumericalAsc => options.sort_by(|a, b| numeric(a.shown(), b.shown())),
        VariableSort::NumericalDesc => options.sort_by(|a, b| numeric(b.shown(), a.shown())),
        VariableSort::AlphabeticalCaseInsensitiveAsc => {
            options.sort_by_key(|o| o.shown().to_lowercase());
        }
        VariableSort::AlphabeticalCaseInsensitiveDesc => {
            options.sort_by_key(|o| o.shown().to_lowercase());
            options.reverse();
        }
        VariableSort::NaturalAsc => options.sort_by(|a, b| natural(a.shown(), b.shown())),
        VariableSort::NaturalDesc => options.sort_by(|a, b| natural(b.shown(), a.shown())),
    }
}

/// Grafana's numerical sort: by the first number in the text; texts without one first.
fn numeric(a: &str, b: &str) -> Ordering {
    let first_number = |text: &str| -> Option<f64> {
        let start = text.find(|c: char| c.is_ascii_digit())?;
        let negative = text[..start].ends_with('-');
        let digits: String = text[start..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let n: f64 = digits.trim_end_matches('.').parse().ok()?;
        Some(if negative { -n } else { n })
    };
    match (first_number(a), first_number(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// Natural order: runs of digits compare as numbers (`node2` before `node10`), the rest
/// case-insensitively.
pub fn natural(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let mut run = String::new();
                    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
                        run.push(c);
                        it.next();
                    }
                    run
                };
                let (m, n) = (take(&mut x), take(&mut y));
                let (m, n) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let order = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if order != Ordering::Equal {
                    return order;
                }
            }
            (Some(c), Some(d)) => {
                let order = c.to_lowercase().cmp(d.to_lowercase());
                if order != Ordering::Equal {
                    return order;
                }
                x.next();
                y.next();
            }
        }
    }
}

/// Parses a custom variable's list as Grafana does: values split at commas (`\,` is
/// a comma inside a value), each trimmed; `text : value` gives a value its own text.
pub fn parse_custom(list: &str) -> Vec<VariableOption> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = list.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                current.push(',');
                chars.next();
            }
            ',' => items.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .map(|item| match item.split_once(" : ") {
            Some((text, value)) if !text.trim().is_empty() && !value.trim().is_empty() => {
                VariableOption {
                    text: text.trim().to_owned(),
                    value: value.trim().to_owned(),
                }
            }
            _ => VariableOption::plain(item),
        })
        .collect()
}

/// The step of an interval variable's `auto`: the range over `count` steps (30 when
/// absent), rounded to a round duration as Grafana does, and at least `min_ms` (10 s
/// when absent).
pub fn auto_interval_ms(range_ms: u64, count: Option<u32>, min_ms: Option<u64>) -> u64 {
    let count = u64::from(count.unwrap_or(30).max(1));
    let min = min_ms.unwrap_or(10_000);
    round_interval_ms(range_ms / count).max(min)
}

/// Grafana's `roundInterval`: the nearest of a ladder of round durations.
pub fn round_interval_ms(ms: u64) -> u64 {
    const LADDER: [(u64, u64); 28] = [
        (15, 10),
        (35, 20),
        (75, 50),
        (150, 100),
        (350, 200),
        (750, 500),
        (1_500, 1_000),
        (3_500, 2_000),
        (7_500, 5_000),
        (12_500, 10_000),
        (17_500, 15_000),
        (25_000, 20_000),
        (45_000, 30_000),
        (90_000, 60_000),
        (210_000, 120_000),
        (450_000, 300_000),
        (750_000, 600_000),
        (1_050_000, 900_000),
        (1_500_000, 1_200_000),
        (2_700_000, 1_800_000),
        (5_400_000, 3_600_000),
        (9_000_000, 7_200_000),
        (16_200_000, 10_800_000),
        (32_400_000, 21_600_000),
        (86_400_000, 43_200_000),
        (604_800_000, 86_400_000),
        (1_814_400_000, 604_800_000),
        (3_628_800_000, 2_592_000_000),
    ];
    LADDER
        .iter()
        .find(|(below, _)| ms < *below)
        .map_or(31_536_000_000, |(_, round)| *round)
}

/// The value `auto` of an interval variable.
pub const AUTO: &str = "auto";

/// What "All" becomes for each variable that says (`all_value`); the others use `.*`.
pub fn all_values(variables: &[Variable]) -> std::collections::BTreeMap<String, String> {
    variables
        .iter()
        .filter_map(|v| Some((v.name.clone(), v.all_value.clone()?)))
        .collect()
}

/// The options of a variable that needs no query: a custom or interval variable's list
/// (`auto` first when offered), a constant's value; `None` for query variables and
/// textboxes (whose value is typed).
pub fn static_options(variable: &Variable) -> Option<Vec<VariableOption>> {
    match variable.kind {
        VariableKind::Query | VariableKind::Textbox => None,
        VariableKind::Custom => Some(variable.options.clone()),
        VariableKind::Interval => {
            let auto = variable.auto.then(|| VariableOption::plain(AUTO));
            Some(
                auto.into_iter()
                    .chain(variable.options.iter().cloned())
                    .collect(),
            )
        }
        VariableKind::Constant => Some(
            variable
                .default
                .iter()
                .map(|v| VariableOption::plain(v.clone()))
                .collect(),
        ),
    }
}

/// The selection a variable starts with when the URL does not say: its defaults that
/// are among `options` (a textbox's or constant's default as it is), else "All" when
/// offered, else the first option.
pub fn initial_selection(variable: &Variable, options: &[VariableOption]) -> Selection {
    if matches!(
        variable.kind,
        VariableKind::Textbox | VariableKind::Constant
    ) {
        let value = variable.default.first().cloned().unwrap_or_default();
        return Selection::Values(vec![value]);
    }
    let known: Vec<String> = variable
        .default
        .iter()
        .filter(|d| options.iter().any(|o| &o.value == *d))
        .cloned()
        .collect();
    if !known.is_empty() {
        Selection::Values(known)
    } else if variable.include_all {
        Selection::All
    } else {
        Selection::Values(
            options
                .first()
                .map(|o| o.value.clone())
                .into_iter()
                .collect(),
        )
    }
}

/// An interval variable's `auto` as the duration it stands for over `range_ms`; every
/// other selection as it is.
pub fn resolve_auto(variable: &Variable, selection: Selection, range_ms: u64) -> Selection {
    match selection {
        Selection::Values(values)
            if variable.kind == VariableKind::Interval && values.iter().any(|v| v == AUTO) =>
        {
            let min = variable
                .auto_min
                .as_deref()
                .and_then(|m| parse_prometheus_duration(m).ok());
            let ms = auto_interval_ms(range_ms, variable.auto_count, min);
            Selection::Values(vec![format_duration_ms(ms)])
        }
        other => other,
    }
}

/// The options from a source's values: kept and rewritten by the regex matcher when
/// there is one (see [`apply_regex`]), duplicates dropped, then sorted (alphabetically
/// when the variable says nothing).
pub fn options_from_values<F>(
    values: &[String],
    matcher: Option<F>,
    sort: Option<VariableSort>,
) -> Vec<VariableOption>
where
    F: FnMut(&str) -> Option<RegexMatch>,
{
    let mut options = match matcher {
        Some(matcher) => apply_regex(values, matcher),
        None => {
            let mut seen = std::collections::HashSet::new();
            values
                .iter()
                .filter(|v| seen.insert(v.as_str()))
                .map(|v| VariableOption::plain(v.clone()))
                .collect()
        }
    };
    sort_options(&mut options, sort.unwrap_or(VariableSort::AlphabeticalAsc));
    options
}

/// One series of a `query_result(...)` answer as Grafana writes it for the regex:
/// `name{label="value", ...} value timestamp_ms`.
pub fn query_result_line(series: &crate::matrix::Series) -> Option<String> {
    let (time, value) = series.times.iter().zip(&series.values).next_back()?;
    Some(format!(
        "{} {value} {}",
        series.display_name(),
        (time * 1000.0).round() as i64
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn shown(options: &[VariableOption]) -> Vec<&str> {
        options.iter().map(VariableOption::shown).collect()
    }

    #[test]
    fn parses_each_query_form() {
        assert_eq!(
            parse_variable_query(r#"label_values(up{job=~"a,b"}, instance)"#),
            Some(VariableQuery::LabelValues {
                selector: Some(r#"up{job=~"a,b"}"#.into()),
                label: "instance".into()
            })
        );
        assert_eq!(
            parse_variable_query("label_values(job)"),
            Some(VariableQuery::LabelValues {
                selector: None,
                label: "job".into()
            })
        );
        assert_eq!(
            parse_variable_query("label_names()"),
            Some(VariableQuery::LabelNames { selector: None })
        );
        assert_eq!(
            parse_variable_query("label_names(up)"),
            Some(VariableQuery::LabelNames {
                selector: Some("up".into())
            })
        );
        assert_eq!(
            parse_variable_query("metrics(node_.*)"),
            Some(VariableQuery::Metrics {
                regex: "node_.*".into()
            })
        );
        assert_eq!(
            parse_variable_query("query_result(topk(5, up))"),
            Some(VariableQuery::QueryResult {
                expr: "topk(5, up)".into()
            })
        );
        assert_eq!(parse_variable_query("label_values(m, 1bad)"), None);
        assert_eq!(parse_variable_query("up"), None);
        assert_eq!(parse_variable_query("query_result()"), None);
    }

    #[test]
    fn splits_regex_literals() {
        assert_eq!(parse_regex_literal("/a(.*)b/i"), ("a(.*)b", "i"));
        assert_eq!(parse_regex_literal("/a/b/"), ("a/b", ""));
        assert_eq!(parse_regex_literal("node-.*"), ("node-.*", ""));
        assert_eq!(parse_regex_literal("/unterminated"), ("/unterminated", ""));
    }

    #[test]
    fn applies_a_regex_with_groups() {
        // A stand-in engine: keeps values with a colon, capturing what is before it.
        let list = values(&["a:9100", "b:9100", "a:9200", "nocolon"]);
        let options = apply_regex(&list, |v| {
            v.split_once(':').map(|(host, _)| RegexMatch {
                first_group: Some(host.to_owned()),
                ..RegexMatch::default()
            })
        });
        assert_eq!(shown(&options), ["a", "b"]);
        let named = apply_regex(&values(&["x=1"]), |_| {
            Some(RegexMatch {
                first_group: Some("x".into()),
                text: Some("Ex".into()),
                value: Some("1".into()),
            })
        });
        assert_eq!(
            named,
            vec![VariableOption {
                text: "Ex".into(),
                value: "1".into()
            }]
        );
        let whole = apply_regex(&values(&["keep"]), |_| Some(RegexMatch::default()));
        assert_eq!(shown(&whole), ["keep"]);
    }

    #[test]
    fn sorts_as_grafana() {
        let make = |list: &[&str]| -> Vec<VariableOption> {
            list.iter().map(|v| VariableOption::plain(*v)).collect()
        };
        let list = ["node10", "Node2", "node1", "b"];
        let mut o = make(&list);
        sort_options(&mut o, VariableSort::AlphabeticalAsc);
        assert_eq!(shown(&o), ["Node2", "b", "node1", "node10"]);
        sort_options(&mut o, VariableSort::AlphabeticalCaseInsensitiveDesc);
        assert_eq!(
            shown(&o),
            ["node2", "node10", "node1", "b"].map(|s| {
                // The case of the originals is kept.
                if s == "node2" { "Node2" } else { s }
            })
        );
        sort_options(&mut o, VariableSort::NaturalAsc);
        assert_eq!(shown(&o), ["b", "node1", "Node2", "node10"]);
        sort_options(&mut o, VariableSort::NumericalDesc);
        assert_eq!(shown(&o), ["node10", "Node2", "node1", "b"]);
        let mut unsorted = make(&list);
        sort_options(&mut unsorted, VariableSort::Unsorted);
        assert_eq!(shown(&unsorted), list);
    }

    #[test]
    fn parses_custom_lists() {
        let options = parse_custom(r"prod : production, dev,a\,b , ,x : ");
        assert_eq!(
            options,
            vec![
                VariableOption {
                    text: "prod".into(),
                    value: "production".into()
                },
                VariableOption::plain("dev"),
                VariableOption::plain("a,b"),
                VariableOption::plain("x :"),
            ]
        );
    }

    #[test]
    fn auto_interval_rounds_and_floors() {
        // 6 h over 30 steps is 12 min, which rounds to 10 min.
        assert_eq!(auto_interval_ms(6 * 3_600_000, None, None), 600_000);
        // 1 h over 100 steps is 36 s: 30 s.
        assert_eq!(auto_interval_ms(3_600_000, Some(100), None), 30_000);
        // 5 min over 30 steps is 10 s, floored at 1 min.
        assert_eq!(auto_interval_ms(300_000, None, Some(60_000)), 60_000);
        assert_eq!(round_interval_ms(u64::MAX), 31_536_000_000);
    }

    #[test]
    fn starts_from_defaults_all_or_the_first_option() {
        let custom: Variable = serde_json::from_str(
            r#"{"name":"env","kind":"custom","options":[{"value":"a"},{"value":"b"}],"default":["b","gone"]}"#,
        )
        .expect("custom");
        let options = static_options(&custom).expect("static");
        assert_eq!(
            initial_selection(&custom, &options),
            Selection::Values(vec!["b".into()])
        );
        let text: Variable =
            serde_json::from_str(r#"{"name":"t","kind":"textbox"}"#).expect("textbox");
        assert_eq!(static_options(&text), None);
        assert_eq!(
            initial_selection(&text, &[]),
            Selection::Values(vec![String::new()])
        );
        let interval: Variable = serde_json::from_str(
            r#"{"name":"i","kind":"interval","options":[{"value":"1m"}],"auto":true,"default":["auto"],"auto_min":"2m"}"#,
        )
        .expect("interval");
        let options = static_options(&interval).expect("static");
        assert_eq!(shown(&options), ["auto", "1m"]);
        let start = initial_selection(&interval, &options);
        assert_eq!(start, Selection::Values(vec!["auto".into()]));
        // 1 h over 30 steps is 2 min.
        assert_eq!(
            resolve_auto(&interval, start, 3_600_000),
            Selection::Values(vec!["2m".into()])
        );
    }

    #[test]
    fn options_from_values_filter_dedup_and_sort() {
        let list = values(&["b:1", "a:2", "b:3"]);
        let plain = options_from_values(&list, None::<fn(&str) -> Option<RegexMatch>>, None);
        assert_eq!(shown(&plain), ["a:2", "b:1", "b:3"]);
        let hosts = options_from_values(
            &list,
            Some(|v: &str| {
                v.split_once(':').map(|(h, _)| RegexMatch {
                    first_group: Some(h.to_owned()),
                    ..RegexMatch::default()
                })
            }),
            Some(VariableSort::AlphabeticalDesc),
        );
        assert_eq!(shown(&hosts), ["b", "a"]);
    }

    #[test]
    fn query_result_lines_look_like_grafana() {
        let series = crate::matrix::Series {
            labels: [("__name__", "up"), ("job", "node")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            times: vec![1_700_000_000.0],
            values: vec![1.0],
        };
        assert_eq!(
            query_result_line(&series).as_deref(),
            Some(r#"up{job="node"} 1 1700000000000"#)
        );
    }
}
