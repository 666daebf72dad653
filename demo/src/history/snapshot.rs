//! The state a written past ends in: its time and every metric's value (the exposition
//! at that time). A later run resumes from it instead of replaying the whole past.

use std::path::Path;

/// Where a written past ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub seed: u64,
    /// Unix seconds of the last sample written.
    pub at: i64,
    /// [`crate::metrics::Metrics::encode`] at `at`.
    pub exposition: String,
}

const HEADER: &str = "# vantage-demo snapshot";

impl Snapshot {
    /// The file's text: a header line, then the exposition.
    pub fn to_text(&self) -> String {
        format!(
            "{HEADER} seed={} at={}\n{}",
            self.seed, self.at, self.exposition
        )
    }

    /// Reads what [`Snapshot::to_text`] wrote.
    pub fn from_text(text: &str) -> Result<Self, String> {
        let (header, exposition) = text.split_once('\n').unwrap_or((text, ""));
        let fields = header
            .strip_prefix(HEADER)
            .ok_or("not a vantage-demo snapshot (no header line)")?;
        let mut seed = None;
        let mut at = None;
        for field in fields.split_whitespace() {
            match field.split_once('=') {
                Some(("seed", v)) => seed = v.parse().ok(),
                Some(("at", v)) => at = v.parse().ok(),
                _ => {}
            }
        }
        Ok(Self {
            seed: seed.ok_or("the snapshot header has no seed")?,
            at: at.ok_or("the snapshot header has no time")?,
            exposition: exposition.to_owned(),
        })
    }

    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::from_text(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        // Written whole then renamed: a half-written snapshot is never read.
        let part = path.with_extension("part");
        std::fs::write(&part, self.to_text())
            .and_then(|()| std::fs::rename(&part, path))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let s = Snapshot {
            seed: 42,
            at: 1_700_000_000,
            exposition: "# TYPE a gauge\na 1\n# EOF\n".to_owned(),
        };
        assert_eq!(Snapshot::from_text(&s.to_text()), Ok(s));
        assert!(Snapshot::from_text("a 1\n").is_err());
    }
}
