//! One scrape's worth of exposition turned into backfill lines: every sample gets the
//! labels a scrape would have added (`job`, `instance`) and a timestamp. Metadata lines
//! are left out: `promtool tsdb create-blocks-from openmetrics` reads only samples, and
//! one family's metadata may appear once per file only.

use std::fmt::Write;

/// The labels Prometheus adds to every scraped sample, written as `k="v",...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetLabels(String);

impl TargetLabels {
    /// `job` and `instance` as the scrape configuration sets them.
    pub fn new(job: &str, instance: &str) -> Self {
        Self(format!(
            "job=\"{}\",instance=\"{}\"",
            escape(job),
            escape(instance)
        ))
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Appends every sample of `exposition` to `out` with `target` labels at `unix_s`.
pub fn append_samples(exposition: &str, target: &TargetLabels, unix_s: i64, out: &mut String) {
    for line in exposition.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, labels, value)) = split_sample(line) else {
            continue;
        };
        out.push_str(name);
        out.push('{');
        out.push_str(&target.0);
        if !labels.is_empty() {
            out.push(',');
            out.push_str(labels);
        }
        // Writing to a String cannot fail.
        let _ = writeln!(out, "}} {value} {unix_s}");
    }
}

/// `up`, which Prometheus itself writes for every scrape: the target answered.
pub fn append_up(target: &TargetLabels, unix_s: i64, out: &mut String) {
    let _ = writeln!(out, "up{{{}}} 1 {unix_s}", target.0);
}

/// `(name, labels inside the braces, value)` of a sample line; a timestamp or an
/// exemplar after the value is dropped.
fn split_sample(line: &str) -> Option<(&str, &str, &str)> {
    let name_end = line.find(['{', ' '])?;
    let name = &line[..name_end];
    let (labels, rest) = if line[name_end..].starts_with('{') {
        let close = closing_brace(line, name_end)?;
        (&line[name_end + 1..close], &line[close + 1..])
    } else {
        ("", &line[name_end..])
    };
    let value = rest.split_ascii_whitespace().next()?;
    Some((name, labels, value))
}

/// Index of the `}` closing the label set opened at `open`, skipping quoted values.
fn closing_brace(line: &str, open: usize) -> Option<usize> {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, b) in line.bytes().enumerate().skip(open + 1) {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_quotes => escaped = true,
            b'"' => in_quotes = !in_quotes,
            b'}' if !in_quotes => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_target_labels_and_timestamps() {
        let exposition = "# HELP a_total A.\n# TYPE a_total counter\na_total 3\n\
            b_bucket{le=\"0.5\",path=\"/x}y\\\"\"} 7.0\n\
            c{k=\"v\"} 1.5 # {trace_id=\"1\"} 0.3\n# EOF\n";
        let mut out = String::new();
        append_samples(
            exposition,
            &TargetLabels::new("demo", "host:1"),
            1_700,
            &mut out,
        );
        assert_eq!(
            out,
            "a_total{job=\"demo\",instance=\"host:1\"} 3 1700\n\
             b_bucket{job=\"demo\",instance=\"host:1\",le=\"0.5\",path=\"/x}y\\\"\"} 7.0 1700\n\
             c{job=\"demo\",instance=\"host:1\",k=\"v\"} 1.5 1700\n"
        );
        let mut up = String::new();
        append_up(&TargetLabels::new("demo", "h"), 5, &mut up);
        assert_eq!(up, "up{job=\"demo\",instance=\"h\"} 1 5\n");
    }
}
