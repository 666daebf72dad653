//! Range answers taken apart and put back together without touching their text.
//!
//! A merged answer must equal, byte for byte, what the upstream answers for the whole
//! range at once. So nothing is re-serialised: every member, metric object and point is
//! kept as the upstream wrote it (a borrowed `RawValue`), and only the structure around
//! them is written again, compactly, in the upstream's own member order (the newest
//! piece's envelope is the template). Each answer is written back and compared with its
//! original bytes when it is parsed: an upstream whose layout this writer does not
//! reproduce exactly is never merged (see [`Unmergeable`]).
//!
//! Series are put in the order the upstream gives a whole answer ([`SeriesOrder`]); each
//! piece is checked to already be in that order.

use super::range::whole_ms;
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::marker::PhantomData;

/// Why an answer cannot be merged byte for byte; `as_str` is the metrics label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmergeable {
    /// Not a successful JSON answer.
    NotJson,
    /// Not a matrix.
    NotMatrix,
    /// Spacing or member order this writer does not reproduce.
    Layout,
    /// Native histograms (`histograms` points) are not merged.
    Histograms,
    /// Series are not in the order expected of the upstream.
    Order,
}

impl Unmergeable {
    pub fn as_str(self) -> &'static str {
        match self {
            Unmergeable::NotJson => "not_json",
            Unmergeable::NotMatrix => "not_matrix",
            Unmergeable::Layout => "layout",
            Unmergeable::Histograms => "histograms",
            Unmergeable::Order => "order",
        }
    }
}

/// How an upstream orders the series of a range answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesOrder {
    /// Prometheus (and Thanos, Mimir, which run its engine): by the sorted label pairs,
    /// name then value, a shorter set first when one is a prefix of the other.
    Labels,
    /// VictoriaMetrics: by metric name first (none sorts first), then the other pairs.
    NameFirst,
}

type Labels<'a> = [(Cow<'a, str>, Cow<'a, str>)];

impl SeriesOrder {
    /// Compares two label sets (pairs in the order the upstream wrote them).
    pub fn compare(self, a: &Labels<'_>, b: &Labels<'_>) -> Ordering {
        match self {
            SeriesOrder::Labels => a.cmp(b),
            SeriesOrder::NameFirst => name_of(a)
                .cmp(name_of(b))
                .then_with(|| without_name(a).cmp(without_name(b))),
        }
    }
}

fn name_of<'l>(labels: &'l Labels<'_>) -> &'l str {
    labels
        .iter()
        .find(|(k, _)| k == "__name__")
        .map_or("", |(_, v)| v.as_ref())
}

fn without_name<'l>(labels: &'l Labels<'_>) -> impl Iterator<Item = (&'l str, &'l str)> {
    labels
        .iter()
        .filter(|(k, _)| k != "__name__")
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
}

/// One point: its time in milliseconds and its text, e.g. `[1700000000,"NaN"]`.
#[derive(Debug, Clone, Copy)]
pub struct Point<'a> {
    pub t: i64,
    raw: &'a str,
}

/// One series of an answer.
#[derive(Debug)]
pub struct Series<'a> {
    metric: &'a RawValue,
    labels: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub points: Vec<Point<'a>>,
}

impl Series<'_> {
    /// The label pairs, in the order the upstream wrote them.
    pub fn labels(&self) -> Vec<(&str, &str)> {
        self.labels
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect()
    }
}

/// A parsed successful matrix answer, borrowing its text.
#[derive(Debug)]
pub struct Answer<'a> {
    members: Vec<(Cow<'a, str>, &'a RawValue)>,
    data: Vec<(Cow<'a, str>, &'a RawValue)>,
    pub series: Vec<Series<'a>>,
    /// `warnings` and `infos`: merged as the union of every piece's.
    lists: Vec<(Cow<'a, str>, Vec<&'a RawValue>)>,
    /// VictoriaMetrics' `isPartial`.
    partial: Option<bool>,
}

/// Members whose values are lists merged as a union.
const LIST_MEMBERS: [&str; 2] = ["warnings", "infos"];

impl Answer<'_> {
    /// Without warnings, infos or a partial result: safe to keep.
    pub fn is_clean(&self) -> bool {
        self.lists.iter().all(|(_, l)| l.is_empty()) && self.partial != Some(true)
    }

    /// Points in all series.
    pub fn points(&self) -> usize {
        self.series.iter().map(|s| s.points.len()).sum()
    }
}

/// Parses `body`, checking that writing it again gives the same bytes and that its
/// series are in `order`.
pub fn parse(body: &[u8], order: SeriesOrder) -> Result<Answer<'_>, Unmergeable> {
    parse_with(body, Some(order))
}

/// [`parse`] without the order check (to find out an upstream's order).
pub fn parse_unordered(body: &[u8]) -> Result<Answer<'_>, Unmergeable> {
    parse_with(body, None)
}

fn parse_with(body: &[u8], order: Option<SeriesOrder>) -> Result<Answer<'_>, Unmergeable> {
    let text = std::str::from_utf8(body).map_err(|_| Unmergeable::NotJson)?;
    let Ordered(members) =
        serde_json::from_str::<Ordered<&RawValue>>(text).map_err(|_| Unmergeable::NotJson)?;
    let member = |name: &str| members.iter().find(|(k, _)| k == name).map(|(_, v)| *v);
    if member("status").map(RawValue::get) != Some("\"success\"") {
        return Err(Unmergeable::NotJson);
    }
    let data = member("data").ok_or(Unmergeable::NotJson)?;
    let Ordered(data) = serde_json::from_str::<Ordered<&RawValue>>(data.get())
        .map_err(|_| Unmergeable::NotMatrix)?;
    let data_member = |name: &str| data.iter().find(|(k, _)| k == name).map(|(_, v)| *v);
    if data_member("resultType").map(RawValue::get) != Some("\"matrix\"") {
        return Err(Unmergeable::NotMatrix);
    }
    let result = data_member("result").ok_or(Unmergeable::NotMatrix)?;
    let items: Vec<&RawValue> =
        serde_json::from_str(result.get()).map_err(|_| Unmergeable::NotMatrix)?;
    let series = items
        .into_iter()
        .map(parse_series)
        .collect::<Result<Vec<_>, _>>()?;
    let mut lists = Vec::new();
    let mut partial = None;
    for (key, value) in &members {
        if LIST_MEMBERS.contains(&key.as_ref()) {
            let list: Vec<&RawValue> =
                serde_json::from_str(value.get()).map_err(|_| Unmergeable::Layout)?;
            lists.push((key.clone(), list));
        } else if key == "isPartial" {
            partial = Some(match value.get() {
                "true" => true,
                "false" => false,
                _ => return Err(Unmergeable::Layout),
            });
        }
    }
    let answer = Answer {
        members,
        data,
        series,
        lists,
        partial,
    };
    if let Some(order) = order
        && answer
            .series
            .windows(2)
            .any(|w| order.compare(&w[0].labels, &w[1].labels) != Ordering::Less)
    {
        return Err(Unmergeable::Order);
    }
    let mut again = Vec::with_capacity(body.len());
    write_answer(&mut again, &answer, &answer.lists, answer.partial, |out| {
        let mut first = true;
        for s in &answer.series {
            write_series(out, s.metric, s.points.iter(), &mut first);
        }
    });
    if again != body {
        return Err(Unmergeable::Layout);
    }
    Ok(answer)
}

fn parse_series(item: &RawValue) -> Result<Series<'_>, Unmergeable> {
    let Ordered(members) =
        serde_json::from_str::<Ordered<&RawValue>>(item.get()).map_err(|_| Unmergeable::Layout)?;
    if members.iter().any(|(k, _)| k == "histograms") {
        return Err(Unmergeable::Histograms);
    }
    let [(metric_key, metric), (values_key, values)] = members.as_slice() else {
        return Err(Unmergeable::Layout);
    };
    if metric_key != "metric" || values_key != "values" {
        return Err(Unmergeable::Layout);
    }
    let Ordered(labels) =
        serde_json::from_str::<Ordered<Text<'_>>>(metric.get()).map_err(|_| Unmergeable::Layout)?;
    let raw_points: Vec<&RawValue> =
        serde_json::from_str(values.get()).map_err(|_| Unmergeable::Layout)?;
    let points = raw_points
        .into_iter()
        .map(|p| point(p.get()).ok_or(Unmergeable::Layout))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Series {
        metric,
        labels: labels.into_iter().map(|(k, v)| (k, v.0)).collect(),
        points,
    })
}

/// `[<seconds>,"<value>"]`, the value text kept whole (`"NaN"`, `"+Inf"`, `"1e-7"`).
fn point(raw: &str) -> Option<Point<'_>> {
    let inner = raw.strip_prefix('[')?.strip_suffix(']')?;
    let (t, value) = inner.split_once(',')?;
    if value.len() < 2 || !value.starts_with('"') || !value.ends_with('"') {
        return None;
    }
    Some(Point {
        t: whole_ms(t.parse().ok()?)?,
        raw,
    })
}

/// One piece of a merge: an answer and the part of its time range to take.
pub struct Part<'p, 'a> {
    pub answer: &'p Answer<'a>,
    pub from: i64,
    pub to: i64,
}

/// A merged answer and how many points (and bytes of point text) came from each part.
pub struct Merged {
    pub body: Vec<u8>,
    pub points_per_part: Vec<usize>,
    pub bytes_per_part: Vec<usize>,
}

/// The parts as one answer: every series in `order`, its points in part order (parts
/// are in time order), each part contributing only points within its window; series
/// left without points are dropped, as the upstream drops them. The envelope is the
/// last part's, with the union of all `warnings` and `infos`.
pub fn merge(parts: &[Part<'_, '_>], order: SeriesOrder) -> Merged {
    let mut entries: Vec<(usize, usize)> = parts
        .iter()
        .enumerate()
        .flat_map(|(p, part)| (0..part.answer.series.len()).map(move |s| (p, s)))
        .collect();
    let labels = |&(p, s): &(usize, usize)| &parts[p].answer.series[s].labels;
    entries.sort_by(|a, b| {
        order
            .compare(labels(a), labels(b))
            .then_with(|| a.0.cmp(&b.0))
    });
    let mut points_per_part = vec![0; parts.len()];
    let mut bytes_per_part = vec![0; parts.len()];
    let mut lists: Vec<(Cow<'_, str>, Vec<&RawValue>)> = Vec::new();
    for part in parts {
        for (key, list) in &part.answer.lists {
            let at = match lists.iter().position(|(k, _)| k == key) {
                Some(at) => at,
                None => {
                    lists.push((key.clone(), Vec::new()));
                    lists.len() - 1
                }
            };
            for item in list {
                if !lists[at].1.iter().any(|i| i.get() == item.get()) {
                    lists[at].1.push(item);
                }
            }
        }
    }
    let partial = parts
        .iter()
        .filter_map(|p| p.answer.partial)
        .reduce(|a, b| a || b);
    let Some(template) = parts.last() else {
        return Merged {
            body: Vec::new(),
            points_per_part,
            bytes_per_part,
        };
    };
    let capacity = parts.iter().map(|p| p.answer.points() * 24 + 64).sum();
    let mut body = Vec::with_capacity(capacity);
    write_answer(&mut body, template.answer, &lists, partial, |out| {
        let mut first = true;
        let mut at = 0;
        while at < entries.len() {
            let mut end = at + 1;
            while end < entries.len()
                && order.compare(labels(&entries[at]), labels(&entries[end])) == Ordering::Equal
            {
                end += 1;
            }
            let mut taken: Vec<Point<'_>> = Vec::new();
            for &(p, s) in &entries[at..end] {
                let part = &parts[p];
                for point in &part.answer.series[s].points {
                    let after_last = taken.last().is_none_or(|last| point.t > last.t);
                    if point.t >= part.from && point.t <= part.to && after_last {
                        taken.push(*point);
                        points_per_part[p] += 1;
                        bytes_per_part[p] += point.raw.len() + 1;
                    }
                }
            }
            if !taken.is_empty() {
                let (p, s) = entries[at];
                write_series(
                    out,
                    parts[p].answer.series[s].metric,
                    taken.iter(),
                    &mut first,
                );
            }
            at = end;
        }
    });
    Merged {
        body,
        points_per_part,
        bytes_per_part,
    }
}

/// The template's members in its order: `data` with the new result, list members with
/// the given union (new ones appended), `isPartial` as given, the rest as they were.
fn write_answer(
    out: &mut Vec<u8>,
    template: &Answer<'_>,
    lists: &[(Cow<'_, str>, Vec<&RawValue>)],
    partial: Option<bool>,
    result: impl FnOnce(&mut Vec<u8>),
) {
    let mut result = Some(result);
    out.push(b'{');
    let mut first = true;
    for (key, value) in &template.members {
        if !std::mem::take(&mut first) {
            out.push(b',');
        }
        write_key(out, key);
        if key == "data" {
            out.push(b'{');
            for (i, (data_key, data_value)) in template.data.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_key(out, data_key);
                if data_key == "result" {
                    out.push(b'[');
                    if let Some(result) = result.take() {
                        result(out);
                    }
                    out.push(b']');
                } else {
                    out.extend_from_slice(data_value.get().as_bytes());
                }
            }
            out.push(b'}');
        } else if let Some((_, list)) = lists.iter().find(|(k, _)| k == key) {
            write_list(out, list);
        } else if key == "isPartial"
            && let Some(partial) = partial
        {
            out.extend_from_slice(if partial { b"true" } else { b"false" });
        } else {
            out.extend_from_slice(value.get().as_bytes());
        }
    }
    for (key, list) in lists {
        if !list.is_empty() && !template.members.iter().any(|(k, _)| k == key) {
            out.push(b',');
            write_key(out, key);
            write_list(out, list);
        }
    }
    out.push(b'}');
}

fn write_key(out: &mut Vec<u8>, key: &str) {
    // Keys are plain ASCII names; an escaped one fails the parse-time round trip.
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

fn write_list(out: &mut Vec<u8>, list: &[&RawValue]) {
    out.push(b'[');
    for (i, item) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item.get().as_bytes());
    }
    out.push(b']');
}

fn write_series<'a>(
    out: &mut Vec<u8>,
    metric: &RawValue,
    points: impl Iterator<Item = &'a Point<'a>>,
    first: &mut bool,
) {
    if !std::mem::take(first) {
        out.push(b',');
    }
    out.extend_from_slice(b"{\"metric\":");
    out.extend_from_slice(metric.get().as_bytes());
    out.extend_from_slice(b",\"values\":[");
    for (i, point) in points.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(point.raw.as_bytes());
    }
    out.extend_from_slice(b"]}");
}

/// An object's members in the order they came.
struct Ordered<'a, V>(Vec<(Cow<'a, str>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<'de, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Members<V> {
            type Value = Ordered<'de, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
                    members.push((key, map.next_value::<V>()?));
                }
                Ok(Ordered(members))
            }
        }
        deserializer.deserialize_map(Members(PhantomData))
    }
}

/// A string, borrowed from the input unless it had escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Chars;
        impl<'de> Visitor<'de> for Chars {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Chars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDER: SeriesOrder = SeriesOrder::Labels;

    fn answer(series: &[(&str, &[(i64, &str)])]) -> String {
        let series: Vec<String> = series
            .iter()
            .map(|(metric, points)| {
                let points: Vec<String> = points
                    .iter()
                    .map(|(t, v)| format!("[{},\"{v}\"]", super::super::range::seconds_text(*t)))
                    .collect();
                format!("{{\"metric\":{metric},\"values\":[{}]}}", points.join(","))
            })
            .collect();
        format!(
            "{{\"status\":\"success\",\"data\":{{\"resultType\":\"matrix\",\"result\":[{}]}}}}",
            series.join(",")
        )
    }

    fn merged(bodies: &[(&str, i64, i64)]) -> String {
        let answers: Vec<Answer<'_>> = bodies
            .iter()
            .map(|(b, _, _)| parse(b.as_bytes(), ORDER).expect("parses"))
            .collect();
        let parts: Vec<Part<'_, '_>> = answers
            .iter()
            .zip(bodies)
            .map(|(answer, (_, from, to))| Part {
                answer,
                from: *from,
                to: *to,
            })
            .collect();
        String::from_utf8(merge(&parts, ORDER).body).expect("utf-8")
    }

    #[test]
    fn value_text_is_kept() {
        let a = answer(&[(
            r#"{"job":"a"}"#,
            &[
                (1_000, "NaN"),
                (2_000, "+Inf"),
                (3_000, "-Inf"),
                (4_000, "1e-07"),
                (5_000, "0.30000000000000004"),
            ],
        )]);
        let parsed = parse(a.as_bytes(), ORDER).expect("parses");
        assert_eq!(parsed.points(), 5);
        assert_eq!(merged(&[(&a, 0, 10_000)]), a);
    }

    #[test]
    fn pieces_join_with_series_appearing_and_disappearing() {
        let first = answer(&[
            (r#"{"job":"a"}"#, &[(1_000, "1"), (2_000, "2")]),
            (r#"{"job":"gone"}"#, &[(1_000, "9")]),
        ]);
        let second = answer(&[
            (r#"{"job":"a"}"#, &[(3_000, "3")]),
            (r#"{"job":"b"}"#, &[(3_000, "NaN")]),
            (r#"{"job":"new"}"#, &[(4_000, "-Inf")]),
        ]);
        let whole = answer(&[
            (
                r#"{"job":"a"}"#,
                &[(1_000, "1"), (2_000, "2"), (3_000, "3")],
            ),
            (r#"{"job":"b"}"#, &[(3_000, "NaN")]),
            (r#"{"job":"gone"}"#, &[(1_000, "9")]),
            (r#"{"job":"new"}"#, &[(4_000, "-Inf")]),
        ]);
        assert_eq!(
            merged(&[(&first, 1_000, 2_000), (&second, 3_000, 4_000)]),
            whole
        );
    }

    #[test]
    fn windows_clip_and_empty_series_are_dropped() {
        let a = answer(&[
            (
                r#"{"job":"a"}"#,
                &[(1_000, "1"), (2_000, "2"), (3_000, "3")],
            ),
            (r#"{"job":"b"}"#, &[(3_000, "3")]),
        ]);
        assert_eq!(
            merged(&[(&a, 1_000, 2_000)]),
            answer(&[(r#"{"job":"a"}"#, &[(1_000, "1"), (2_000, "2")])])
        );
        assert_eq!(merged(&[(&a, 5_000, 9_000)]), answer(&[]));
        // Overlapping windows never repeat a point.
        assert_eq!(merged(&[(&a, 0, 9_000), (&a, 0, 9_000)]), a);
    }

    #[test]
    fn metric_text_and_escapes_are_kept() {
        let a = answer(&[(
            r#"{"__name__":"x","path":"/a\"b\\c","u":"\u00e9"}"#,
            &[(1_000, "1")],
        )]);
        assert_eq!(merged(&[(&a, 0, 9_000)]), a);
    }

    #[test]
    fn warnings_are_united_and_mark_the_answer_unclean() {
        let plain = answer(&[(r#"{"job":"a"}"#, &[(1_000, "1")])]);
        let warned = |w: &str, t: i64| {
            answer(&[(r#"{"job":"a"}"#, &[(t, "2")])]).replacen(
                "}}",
                &format!("}},\"warnings\":[\"{w}\"]}}"),
                1,
            )
        };
        let (w1, w2) = (warned("slow", 2_000), warned("partial data", 3_000));
        let parsed = parse(w1.as_bytes(), ORDER).expect("parses");
        assert!(!parsed.is_clean());
        assert!(parse(plain.as_bytes(), ORDER).expect("parses").is_clean());
        let out = merged(&[(&plain, 0, 1_000), (&w1, 2_000, 2_000), (&w2, 3_000, 3_000)]);
        assert!(
            out.ends_with(r#"]}]},"warnings":["slow","partial data"]}"#),
            "{out}"
        );
        // Warnings only on an older piece still reach the merged answer.
        let out = merged(&[(&w1, 2_000, 2_000), (&plain, 0, 1_000)]);
        assert!(out.ends_with(r#"]}]},"warnings":["slow"]}"#), "{out}");
    }

    #[test]
    fn victoriametrics_partial_flag_is_kept() {
        let a = r#"{"status":"success","isPartial":false,"data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]}}"#;
        let b = a.replace("false", "true").replace("[1,\"1\"]", "[2,\"2\"]");
        let pa = parse(a.as_bytes(), ORDER).expect("parses");
        assert!(pa.is_clean());
        let pb = parse(b.as_bytes(), ORDER).expect("parses");
        assert!(!pb.is_clean());
        let out = merge(
            &[
                Part {
                    answer: &pa,
                    from: 0,
                    to: 1_000,
                },
                Part {
                    answer: &pb,
                    from: 2_000,
                    to: 2_000,
                },
            ],
            ORDER,
        );
        assert_eq!(
            String::from_utf8(out.body).expect("utf-8"),
            r#"{"status":"success","isPartial":true,"data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],[2,"2"]]}]}}"#
        );
        assert_eq!(out.points_per_part, vec![1, 1]);
    }

    #[test]
    fn what_cannot_be_reproduced_is_refused() {
        let spaced = r#"{"status": "success","data":{"resultType":"matrix","result":[]}}"#;
        assert_eq!(
            parse(spaced.as_bytes(), ORDER).err(),
            Some(Unmergeable::Layout)
        );
        let vector = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
        assert_eq!(
            parse(vector.as_bytes(), ORDER).err(),
            Some(Unmergeable::NotMatrix)
        );
        let error = r#"{"status":"error","errorType":"bad_data","error":"x"}"#;
        assert_eq!(
            parse(error.as_bytes(), ORDER).err(),
            Some(Unmergeable::NotJson)
        );
        let histogram = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"histograms":[[1,{"count":"1"}]]}]}}"#;
        assert_eq!(
            parse(histogram.as_bytes(), ORDER).err(),
            Some(Unmergeable::Histograms)
        );
        let unsorted = answer(&[
            (r#"{"job":"b"}"#, &[(1_000, "1")]),
            (r#"{"job":"a"}"#, &[(1_000, "1")]),
        ]);
        assert_eq!(
            parse(unsorted.as_bytes(), ORDER).err(),
            Some(Unmergeable::Order)
        );
        let number_value = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,1]]}]}}"#;
        assert_eq!(
            parse(number_value.as_bytes(), ORDER).err(),
            Some(Unmergeable::Layout)
        );
    }

    #[test]
    fn the_two_orders() {
        let l = |pairs: &[(&'static str, &'static str)]| -> Vec<(Cow<'static, str>, Cow<'static, str>)> {
            pairs
                .iter()
                .map(|(k, v)| (Cow::Borrowed(*k), Cow::Borrowed(*v)))
                .collect()
        };
        let named = l(&[("__name__", "b")]);
        let unnamed = l(&[("c", "a")]);
        assert_eq!(
            SeriesOrder::Labels.compare(&named, &unnamed),
            Ordering::Less
        );
        assert_eq!(
            SeriesOrder::NameFirst.compare(&named, &unnamed),
            Ordering::Greater
        );
        let upper = l(&[("A", "x"), ("__name__", "up")]);
        let lower = l(&[("__name__", "up"), ("a", "x")]);
        assert_eq!(SeriesOrder::Labels.compare(&upper, &lower), Ordering::Less);
        // A prefix sorts first in both.
        let short = l(&[("job", "a")]);
        let long = l(&[("job", "a"), ("x", "1")]);
        assert_eq!(SeriesOrder::Labels.compare(&short, &long), Ordering::Less);
        assert_eq!(
            SeriesOrder::NameFirst.compare(&short, &long),
            Ordering::Less
        );
    }
}
