//! The dashboard file: a header saying where it came from and what was not carried over
//! exactly, then the dashboard as TOML (defaults left out).

use crate::json::{number, text};
use crate::report::Report;
use serde_json::Value;
use std::fmt::Write as _;
use vantage_api::dashboard::Dashboard;

/// Notes written into the header at most; the report has them all.
const MAX_NOTES: usize = 40;

/// The file's text.
pub fn write(d: &Dashboard, model: &Value, report: &Report) -> String {
    let mut out = String::new();
    let uid = text(model, "uid")
        .map(|u| format!(", uid {u}"))
        .unwrap_or_default();
    let version = number(model, "schemaVersion")
        .map(|v| format!(", schemaVersion {v}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "# Imported from the Grafana dashboard {:?}{uid}{version}.",
        one_line(&d.title)
    );
    let _ = writeln!(
        out,
        "# {} carried over, {} approximately, {} dropped.",
        report.carried.len(),
        report.approximate.len(),
        report.dropped.len()
    );
    let notes = report
        .approximate
        .iter()
        .map(|n| ("approximately", n))
        .chain(report.dropped.iter().map(|n| ("dropped", n)));
    for (i, (heading, note)) in notes.enumerate() {
        if i == MAX_NOTES {
            let _ = writeln!(out, "# ... and more; the import report lists them all.");
            break;
        }
        let _ = writeln!(
            out,
            "# {heading}: {}: {}",
            one_line(&note.panel),
            one_line(&note.message)
        );
    }
    out.push('\n');
    let mut file = d.clone();
    // The id is the file's name, not written in it.
    file.id.clear();
    match toml::to_string(&file) {
        Ok(body) => out.push_str(&inline_small_tables(&body)),
        Err(e) => {
            let _ = writeln!(out, "# the dashboard could not be written as TOML: {e}");
        }
    }
    out
}

/// Arrays of small tables written inline in their parent, as people write them
/// (`thresholds = [{ value = 80.0, level = "warning" }]`), not as `[[...]]` sections.
const INLINE: [&str; 7] = [
    "links",
    "panels.thresholds",
    "panels.mappings",
    "panels.states",
    "panels.links",
    "panels.overrides",
    "variables.options",
];

/// One section of the serializer's output: its header (none for the top) and lines.
struct Section {
    header: Option<String>,
    lines: Vec<String>,
    inline: Vec<(String, Vec<String>)>,
}

/// Moves the `[[path]]` sections of [`INLINE`] into their parent as inline arrays.
/// A section that is not plain `key = value` lines is left as it is.
fn inline_small_tables(body: &str) -> String {
    let mut sections = vec![Section {
        header: None,
        lines: Vec::new(),
        inline: Vec::new(),
    }];
    for line in body.lines() {
        if line.starts_with('[') {
            sections.push(Section {
                header: Some(line.to_owned()),
                lines: Vec::new(),
                inline: Vec::new(),
            });
        } else if let Some(last) = sections.last_mut() {
            last.lines.push(line.to_owned());
        }
    }
    let mut kept: Vec<Section> = Vec::new();
    for section in sections {
        let path = section
            .header
            .as_deref()
            .and_then(|h| h.strip_prefix("[["))
            .and_then(|h| h.strip_suffix("]]"))
            .map(str::to_owned);
        let entries: Vec<&String> = section
            .lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .collect();
        let simple = entries
            .iter()
            .all(|l| l.contains(" = ") && !l.contains("\"\"\"") && !l.contains("'''"));
        let target = path
            .as_deref()
            .filter(|p| INLINE.contains(p) && simple)
            .and_then(|p| {
                let (parent, key) = p.rsplit_once('.').unwrap_or(("", p));
                let parent_header = if parent.is_empty() {
                    None
                } else {
                    Some(parent)
                };
                kept.iter()
                    .rposition(|s| {
                        let h = s.header.as_deref().map(|h| h.trim_matches(['[', ']']));
                        h == parent_header
                    })
                    .map(|i| (i, key.to_owned()))
            });
        match target {
            Some((i, key)) => {
                let table = format!(
                    "{{ {} }}",
                    entries
                        .iter()
                        .map(|l| l.trim())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                let parent = &mut kept[i];
                match parent.inline.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, items)) => items.push(table),
                    None => parent.inline.push((key, vec![table])),
                }
            }
            None => kept.push(section),
        }
    }
    let mut out = String::new();
    for section in kept {
        if let Some(header) = &section.header {
            out.push_str(header);
            out.push('\n');
        }
        let mut lines = section.lines;
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
        for (key, items) in section.inline {
            if items.len() == 1 && items[0].len() < 80 {
                let _ = writeln!(out, "{key} = [{}]", items[0]);
            } else {
                let _ = writeln!(out, "{key} = [");
                for item in items {
                    let _ = writeln!(out, "  {item},");
                }
                out.push_str("]\n");
            }
        }
        out.push('\n');
    }
    out.trim_end().to_owned() + "\n"
}

fn one_line(text: &str) -> String {
    let line: String = text.replace(['\n', '\r'], " ");
    if line.chars().count() > 200 {
        format!("{}…", line.chars().take(200).collect::<String>())
    } else {
        line
    }
}
