//! What a conversion carried over, carried over approximately, or dropped, and a short
//! text of it for the command line.

use serde::Serialize;
use std::fmt::Write as _;

/// One thing the report says about a panel (or, with `panel` naming it, the
/// dashboard, a variable or an annotation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The panel's title, or `dashboard`, `variable $name`, `annotation name`.
    pub panel: String,
    /// What was done, or what was lost and why.
    pub message: String,
}

/// The three lists of a conversion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Panels (and variables) carried over as they were.
    pub carried: Vec<Note>,
    /// Carried over, but not quite as Grafana shows them; the message says how.
    pub approximate: Vec<Note>,
    /// Not carried over; the message says why.
    pub dropped: Vec<Note>,
}

impl Report {
    pub(crate) fn carried(&mut self, panel: &str, message: impl Into<String>) {
        self.carried.push(note(panel, message));
    }

    pub(crate) fn approximate(&mut self, panel: &str, message: impl Into<String>) {
        self.approximate.push(note(panel, message));
    }

    pub(crate) fn dropped(&mut self, panel: &str, message: impl Into<String>) {
        self.dropped.push(note(panel, message));
    }
}

fn note(panel: &str, message: impl Into<String>) -> Note {
    Note {
        panel: panel.to_owned(),
        message: message.into(),
    }
}

/// A short human report: one line of counts, then the approximations and the drops.
pub fn format_report(file: &str, output: &str, report: &Report) -> String {
    let mut out = format!(
        "{file} -> {output}: {} carried over, {} approximately, {} dropped\n",
        report.carried.len(),
        report.approximate.len(),
        report.dropped.len()
    );
    for (heading, notes) in [
        ("approximately", &report.approximate),
        ("dropped", &report.dropped),
    ] {
        for n in notes {
            let _ = writeln!(out, "  {heading}: {}: {}", n.panel, n.message);
        }
    }
    out
}
