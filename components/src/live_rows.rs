//! The rows of a live table, keyed: each row has its own signal, so an update touches
//! only the rows it names (and a windowed table only redraws the ones on screen), and
//! one `version` signal says that the set or order may have changed.

use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
use vantage_api::live::LiveRow;

/// One row as a table cell sees it.
#[derive(Debug)]
pub struct RowCell<R> {
    pub row: Arc<R>,
    /// How many times the row changed while shown; its parity restarts the highlight.
    pub changes: u32,
    /// When it last changed (ms, the caller's clock); 0 when it never did while shown.
    pub changed_at: f64,
}

// Written out because a derive would demand `R: Clone`; the row is behind an `Arc`.
impl<R> Clone for RowCell<R> {
    fn clone(&self) -> Self {
        RowCell {
            row: Arc::clone(&self.row),
            changes: self.changes,
            changed_at: self.changed_at,
        }
    }
}

struct Slot<R> {
    /// The same row as in `cell`, readable without touching the signal (sorting reads
    /// every row on every update).
    row: Arc<R>,
    cell: ArcRwSignal<RowCell<R>>,
}

/// The keyed rows. Cheap to copy; lives as long as the reactive owner that made it.
pub struct LiveRows<R: Send + Sync + 'static> {
    slots: StoredValue<HashMap<Arc<str>, Slot<R>>>,
    /// Bumped by every update that changed anything.
    pub version: RwSignal<u64>,
}

impl<R: Send + Sync + 'static> Clone for LiveRows<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Send + Sync + 'static> Copy for LiveRows<R> {}

impl<R: LiveRow + PartialEq + Send + Sync + 'static> Default for LiveRows<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R: LiveRow + PartialEq + Send + Sync + 'static> LiveRows<R> {
    /// No rows.
    pub fn new() -> Self {
        LiveRows {
            slots: StoredValue::new(HashMap::new()),
            version: RwSignal::new(0),
        }
    }

    /// Number of rows (tracks `version`).
    pub fn len(&self) -> usize {
        self.version.track();
        self.slots.with_value(HashMap::len)
    }

    /// No rows (tracks `version`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The signal of one row, for the cells that show it.
    pub fn cell(&self, key: &str) -> Option<ArcRwSignal<RowCell<R>>> {
        self.slots
            .with_value(|slots| slots.get(key).map(|s| s.cell.clone()))
    }

    /// The keys ranked `first..first + count` (see [`crate::live_table::window_keys`]),
    /// the first rank shown and the number of rows that match, read in place (tracks
    /// `version`).
    pub fn window_keys(
        &self,
        compare: fn(&R, &R) -> std::cmp::Ordering,
        desc: bool,
        needle: &str,
        matches: fn(&R, &str) -> bool,
        first: usize,
        count: usize,
    ) -> (usize, Vec<Arc<str>>, usize) {
        self.version.track();
        self.slots.with_value(|slots| {
            let entries = slots.iter().map(|(k, s)| (k, s.row.as_ref()));
            crate::live_table::window_keys(entries, compare, desc, needle, matches, first, count)
        })
    }

    /// How many rows there are, and how many per value of `of`, most first (tracks
    /// `version`).
    pub fn counts(&self, of: Option<fn(&R) -> &str>) -> (usize, Option<Vec<(String, usize)>>) {
        self.version.track();
        self.slots.with_value(|slots| {
            let groups = of
                .map(|of| crate::live_table::counts_of(slots.values().map(|s| s.row.as_ref()), of));
            (slots.len(), groups)
        })
    }

    /// Every row as `(key, row)` pairs, in no order (tracks `version`).
    pub fn entries(&self) -> Vec<(Arc<str>, Arc<R>)> {
        self.version.track();
        self.slots.with_value(|slots| {
            slots
                .iter()
                .map(|(k, s)| (Arc::clone(k), Arc::clone(&s.row)))
                .collect()
        })
    }

    /// Replaces every row with `rows` (a snapshot), touching only rows that differ.
    /// Unless the table was empty (a first load), new and changed rows are highlighted:
    /// after a resync they did change.
    pub fn replace_all(&self, rows: Vec<R>, now: f64) {
        let mut touched = false;
        self.slots.update_value(|slots| {
            let flash = !slots.is_empty();
            let mut keep: std::collections::HashSet<Arc<str>> =
                std::collections::HashSet::with_capacity(rows.len());
            for row in rows {
                let key = upsert(slots, row, now, flash, &mut touched);
                keep.insert(key);
            }
            let before = slots.len();
            slots.retain(|k, _| keep.contains(k));
            touched |= slots.len() != before;
        });
        if touched {
            self.version.update(|v| *v += 1);
        }
    }

    /// Applies one diff; the rows it adds or changes are highlighted.
    pub fn apply(&self, added: Vec<R>, changed: Vec<R>, removed: &[String], now: f64) {
        let mut touched = false;
        self.slots.update_value(|slots| {
            for row in added.into_iter().chain(changed) {
                upsert(slots, row, now, true, &mut touched);
            }
            for key in removed {
                touched |= slots.remove(key.as_str()).is_some();
            }
        });
        if touched {
            self.version.update(|v| *v += 1);
        }
    }

    /// Forgets every row.
    pub fn clear(&self) {
        let had = self.slots.with_value(|slots| !slots.is_empty());
        if had {
            self.slots.update_value(HashMap::clear);
            self.version.update(|v| *v += 1);
        }
    }
}

/// Inserts or updates one row; returns its key.
fn upsert<R: LiveRow + PartialEq + Send + Sync + 'static>(
    slots: &mut HashMap<Arc<str>, Slot<R>>,
    row: R,
    now: f64,
    flash: bool,
    touched: &mut bool,
) -> Arc<str> {
    match slots.get_key_value(row.key()) {
        Some((key, slot)) => {
            let key = Arc::clone(key);
            if *slot.row != row {
                let row = Arc::new(row);
                let cell = slot.cell.clone();
                if let Some(slot) = slots.get_mut(&key) {
                    slot.row = Arc::clone(&row);
                }
                cell.update(|c| {
                    c.row = row;
                    if flash {
                        c.changes = c.changes.wrapping_add(1);
                        c.changed_at = now;
                    }
                });
                *touched = true;
            }
            key
        }
        None => {
            let key: Arc<str> = Arc::from(row.key());
            let row = Arc::new(row);
            let cell = ArcRwSignal::new(RowCell {
                row: Arc::clone(&row),
                changes: u32::from(flash),
                changed_at: if flash { now } else { 0.0 },
            });
            slots.insert(Arc::clone(&key), Slot { row, cell });
            *touched = true;
            key
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Row(&'static str, u32);

    impl LiveRow for Row {
        fn key(&self) -> &str {
            self.0
        }
    }

    fn values(rows: &LiveRows<Row>) -> Vec<(String, u32)> {
        let mut out: Vec<(String, u32)> = rows
            .entries()
            .into_iter()
            .map(|(k, r)| (k.to_string(), r.1))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn updates_touch_only_their_rows() {
        let owner = Owner::new();
        owner.with(|| {
            let rows = LiveRows::new();
            rows.replace_all(vec![Row("a", 1), Row("b", 1)], 10.0);
            let a = rows.cell("a").expect("a");
            let b = rows.cell("b").expect("b");
            assert_eq!(a.get_untracked().changes, 0, "a first load does not flash");
            let version = rows.version.get_untracked();

            rows.apply(
                vec![Row("c", 1)],
                vec![Row("b", 2)],
                &["a".to_owned()],
                20.0,
            );
            assert_eq!(values(&rows), [("b".into(), 2), ("c".into(), 1)]);
            assert_eq!(rows.version.get_untracked(), version + 1);
            let b_now = b.get_untracked();
            assert_eq!((b_now.changes, b_now.changed_at, b_now.row.1), (1, 20.0, 2));
            assert_eq!(rows.cell("c").expect("c").get_untracked().changes, 1);
            assert!(rows.cell("a").is_none());
            assert_eq!(
                a.get_untracked().row.1,
                1,
                "the removed row's signal is left alone"
            );

            // A resync with one change: only that row moves, and it flashes.
            rows.replace_all(vec![Row("b", 2), Row("c", 5)], 30.0);
            assert_eq!(b.get_untracked().changes, 1, "b did not change");
            assert_eq!(rows.cell("c").expect("c").get_untracked().changes, 2);
            // Nothing new: no version bump.
            let version = rows.version.get_untracked();
            rows.replace_all(vec![Row("b", 2), Row("c", 5)], 40.0);
            rows.apply(vec![], vec![Row("b", 2)], &[], 50.0);
            assert_eq!(rows.version.get_untracked(), version);
            rows.clear();
            assert!(rows.is_empty());
        });
    }
}
