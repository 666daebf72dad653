//! A strict reader of the OpenMetrics text the demo writes, for tests: it checks the
//! syntax, that every sample belongs to a declared family with a suffix its type
//! allows, and that histograms are cumulative.

use std::collections::{BTreeMap, HashSet};

/// One sample line.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// One metric family.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    pub name: String,
    pub kind: String,
    pub samples: Vec<Sample>,
}

fn valid_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

fn valid_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn parse_value(text: &str) -> Result<f64, String> {
    match text {
        "NaN" => Ok(f64::NAN),
        "+Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        _ => text.parse().map_err(|_| format!("bad value {text:?}")),
    }
}

/// Reads `key="value",...}` (after the opening brace); returns the labels and the
/// text after the closing brace.
fn parse_labels(text: &str) -> Result<(BTreeMap<String, String>, &str), String> {
    let mut labels = BTreeMap::new();
    let mut chars = text.char_indices();
    loop {
        let mut key = String::new();
        loop {
            match chars.next() {
                Some((i, '}')) if key.is_empty() => return Ok((labels, &text[i + 1..])),
                Some((_, '=')) => break,
                Some((_, c)) => key.push(c),
                None => return Err(format!("unterminated labels: {text}")),
            }
        }
        if !valid_label_name(&key) {
            return Err(format!("bad label name {key:?}"));
        }
        if chars.next().map(|(_, c)| c) != Some('"') {
            return Err(format!("label {key} value not quoted"));
        }
        let mut value = String::new();
        loop {
            match chars.next() {
                Some((_, '\\')) => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, c @ ('\\' | '"'))) => value.push(c),
                    _ => return Err(format!("bad escape in {text}")),
                },
                Some((_, '"')) => break,
                Some((_, c)) => value.push(c),
                None => return Err(format!("unterminated label value in {text}")),
            }
        }
        if labels.insert(key.clone(), value).is_some() {
            return Err(format!("duplicate label {key}"));
        }
        match chars.next() {
            Some((_, ',')) => {}
            Some((i, '}')) => return Ok((labels, &text[i + 1..])),
            _ => return Err(format!("expected , or }} in {text}")),
        }
    }
}

fn parse_sample(line: &str) -> Result<Sample, String> {
    let name_end = line
        .find(['{', ' '])
        .ok_or_else(|| format!("no value: {line}"))?;
    let name = &line[..name_end];
    if !valid_metric_name(name) {
        return Err(format!("bad metric name {name:?}"));
    }
    let (labels, rest) = match line[name_end..].strip_prefix('{') {
        Some(after) => parse_labels(after)?,
        None => (BTreeMap::new(), &line[name_end..]),
    };
    let value = rest
        .strip_prefix(' ')
        .ok_or_else(|| format!("no space before value: {line}"))?;
    if value.contains(' ') {
        return Err(format!("unexpected timestamp or exemplar: {line}"));
    }
    Ok(Sample {
        name: name.to_owned(),
        labels,
        value: parse_value(value)?,
    })
}

fn allowed_suffixes(kind: &str) -> Result<&'static [&'static str], String> {
    Ok(match kind {
        "counter" => &["_total", "_created"],
        "gauge" | "unknown" => &[""],
        "histogram" => &["_bucket", "_sum", "_count", "_created"],
        "summary" => &["", "_sum", "_count", "_created"],
        "info" => &["_info"],
        other => return Err(format!("unexpected type {other}")),
    })
}

/// Parses a whole exposition.
pub fn parse(text: &str) -> Result<Vec<Family>, String> {
    let body = text
        .strip_suffix("# EOF\n")
        .ok_or("the exposition must end with `# EOF`")?;
    let mut families: Vec<Family> = Vec::new();
    let mut seen = HashSet::new();
    for line in body.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = rest.split(' ').next().unwrap_or_default();
            if !valid_metric_name(name) {
                return Err(format!("bad HELP line {line}"));
            }
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').ok_or("bad TYPE line")?;
            allowed_suffixes(kind)?;
            if !seen.insert(name.to_owned()) {
                return Err(format!("family {name} declared twice"));
            }
            families.push(Family {
                name: name.to_owned(),
                kind: kind.to_owned(),
                samples: Vec::new(),
            });
        } else if line.starts_with('#') {
            return Err(format!("unexpected comment {line}"));
        } else {
            let sample = parse_sample(line)?;
            let family = families
                .last_mut()
                .ok_or_else(|| format!("sample before any TYPE: {line}"))?;
            let suffix = sample
                .name
                .strip_prefix(&family.name)
                .ok_or_else(|| format!("{} outside family {}", sample.name, family.name))?;
            if !allowed_suffixes(&family.kind)?.contains(&suffix) {
                return Err(format!(
                    "{} not allowed in {} {}",
                    sample.name, family.kind, family.name
                ));
            }
            family.samples.push(sample);
        }
    }
    for family in &families {
        check_family(family)?;
    }
    Ok(families)
}

/// A series' labels without `le`, in order.
type SeriesKey = Vec<(String, String)>;

fn check_family(family: &Family) -> Result<(), String> {
    match family.kind.as_str() {
        "histogram" => {
            let mut by_series: BTreeMap<SeriesKey, Vec<(f64, f64)>> = BTreeMap::new();
            let mut counts = BTreeMap::new();
            for s in &family.samples {
                let mut key: Vec<_> = s
                    .labels
                    .iter()
                    .filter(|(k, _)| *k != "le")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                key.sort();
                if s.name.ends_with("_bucket") {
                    let le = s.labels.get("le").ok_or("bucket without le")?;
                    by_series
                        .entry(key)
                        .or_default()
                        .push((parse_value(le)?, s.value));
                } else if s.name.ends_with("_count") {
                    counts.insert(key, s.value);
                }
            }
            for (key, buckets) in by_series {
                let mut last = 0.0;
                for (_, v) in &buckets {
                    if *v < last {
                        return Err(format!("{} buckets not cumulative", family.name));
                    }
                    last = *v;
                }
                let inf = buckets
                    .last()
                    .filter(|b| b.0 == f64::INFINITY)
                    .ok_or("no +Inf bucket")?;
                if counts.get(&key) != Some(&inf.1) {
                    return Err(format!("{} +Inf bucket differs from count", family.name));
                }
            }
        }
        "summary" => {
            for s in family.samples.iter().filter(|s| s.name == family.name) {
                let q = s
                    .labels
                    .get("quantile")
                    .ok_or("summary sample without quantile")?;
                parse_value(q)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Every sample name in the exposition.
pub fn sample_names(families: &[Family]) -> HashSet<String> {
    families
        .iter()
        .flat_map(|f| f.samples.iter().map(|s| s.name.clone()))
        .collect()
}
