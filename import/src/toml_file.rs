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
        Ok(body) => out.push_str(&body),
        Err(e) => {
            let _ = writeln!(out, "# the dashboard could not be written as TOML: {e}");
        }
    }
    out
}

fn one_line(text: &str) -> String {
    let line: String = text.replace(['\n', '\r'], " ");
    if line.chars().count() > 200 {
        format!("{}…", line.chars().take(200).collect::<String>())
    } else {
        line
    }
}
