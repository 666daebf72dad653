//! Extent bookkeeping: which parts of a requested grid the kept extents cover, which
//! are missing, and how a newly fetched extent joins the kept ones. Pure arithmetic on
//! grid points; the answers' bytes are merged by the caller.

use super::range::Grid;
use bytes::Bytes;

/// A kept answer for exactly `[start, end]` on the key's step grid, every point of it
/// settled (at or before `now - cache_freshness` when it was fetched).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extent {
    pub start: i64,
    pub end: i64,
    /// When the oldest part of it was fetched (ms since the epoch): the whole extent is
    /// dropped `cache_ttl` after that.
    pub fetched_at: i64,
    /// The answer, in the upstream's own layout.
    pub body: Bytes,
    /// Points in the answer (counted once, for the saved-samples meter).
    pub points: u64,
}

/// A piece of a requested grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// Covered by the kept extent at this index.
    Cached { extent: usize, grid: Grid },
    /// Not covered: ask the upstream.
    Missing(Grid),
}

/// Most extents kept per key; more mean scattered views, and the oldest go first.
pub const MAX_EXTENTS: usize = 8;

/// `grid` cut into the parts `extents` cover and the gaps between them, in time order.
/// `extents` must be sorted by start and not overlap (as [`insert`] keeps them).
pub fn plan(extents: &[Extent], grid: Grid) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut next = grid.start;
    for (index, extent) in extents.iter().enumerate() {
        if next > grid.end {
            break;
        }
        let Some(covered) = grid.clip(extent.start.max(next), extent.end) else {
            continue;
        };
        if let Some(gap) = grid.span(next, covered.start - grid.step) {
            pieces.push(Piece::Missing(gap));
        }
        pieces.push(Piece::Cached {
            extent: index,
            grid: covered,
        });
        next = covered.end + grid.step;
    }
    if let Some(gap) = grid.span(next, grid.end) {
        pieces.push(Piece::Missing(gap));
    }
    pieces
}

/// Drops extents fetched before `oldest` (ms since the epoch).
pub fn expire(extents: &mut Vec<Extent>, oldest: i64) {
    extents.retain(|e| e.fetched_at >= oldest);
}

/// Adds `new` to `extents`: every kept extent that overlaps it or touches it (the next
/// grid point) is joined with it into one, through `join` (given the extents to join in
/// time order, each with the window it contributes, it returns the joined body and its
/// points, or `None` when they cannot be joined: then `new` replaces them). Keeps at most
/// [`MAX_EXTENTS`], dropping the oldest fetched.
pub fn insert(
    extents: &mut Vec<Extent>,
    new: Extent,
    step: i64,
    join: impl FnOnce(&[(&Extent, i64, i64)]) -> Option<(Bytes, u64)>,
) {
    let (mut joined, kept): (Vec<Extent>, Vec<Extent>) = std::mem::take(extents)
        .into_iter()
        .partition(|e| e.start <= new.end + step && e.end + step >= new.start);
    let result = if joined.is_empty() {
        new
    } else {
        let alone = new.clone();
        joined.push(new);
        joined.sort_by_key(|e| e.start);
        // Each extent contributes from the point after the previous one's end: where
        // two overlap, the earlier one's points are taken (both are settled, so equal).
        let mut windows = Vec::with_capacity(joined.len());
        let mut next = i64::MIN;
        for e in &joined {
            windows.push((e, e.start.max(next), e.end));
            next = next.max(e.end + step);
        }
        let start = joined.iter().map(|e| e.start).min().unwrap_or_default();
        let end = joined.iter().map(|e| e.end).max().unwrap_or_default();
        let fetched_at = joined
            .iter()
            .map(|e| e.fetched_at)
            .min()
            .unwrap_or_default();
        match join(&windows) {
            Some((body, points)) => Extent {
                start,
                end,
                fetched_at,
                body,
                points,
            },
            None => alone,
        }
    };
    *extents = kept;
    extents.push(result);
    extents.sort_by_key(|e| e.start);
    while extents.len() > MAX_EXTENTS {
        if let Some(oldest) = extents
            .iter()
            .enumerate()
            .min_by_key(|(_, e)| e.fetched_at)
            .map(|(i, _)| i)
        {
            extents.remove(oldest);
        }
    }
}

/// Total bytes of the bodies.
pub fn size(extents: &[Extent]) -> usize {
    extents.iter().map(|e| e.body.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extent(start: i64, end: i64, fetched_at: i64) -> Extent {
        Extent {
            start,
            end,
            fetched_at,
            body: Bytes::from(format!("{start}-{end}")),
            points: 0,
        }
    }

    fn grid(start: i64, end: i64) -> Grid {
        Grid::new(start, end, 10).expect("grid")
    }

    #[test]
    fn plans_cover_hits_and_gaps_in_order() {
        assert_eq!(plan(&[], grid(0, 100)), vec![Piece::Missing(grid(0, 100))]);
        let kept = [extent(0, 50, 0), extent(80, 90, 0)];
        assert_eq!(
            plan(&kept, grid(20, 120)),
            vec![
                Piece::Cached {
                    extent: 0,
                    grid: grid(20, 50)
                },
                Piece::Missing(grid(60, 70)),
                Piece::Cached {
                    extent: 1,
                    grid: grid(80, 90)
                },
                Piece::Missing(grid(100, 120)),
            ]
        );
        // The typical refresh: everything but the fresh tail is kept.
        assert_eq!(
            plan(&[extent(0, 1_000, 0)], grid(100, 1_030)),
            vec![
                Piece::Cached {
                    extent: 0,
                    grid: grid(100, 1_000)
                },
                Piece::Missing(grid(1_010, 1_030)),
            ]
        );
        assert_eq!(
            plan(&[extent(0, 1_000, 0)], grid(200, 300)),
            vec![Piece::Cached {
                extent: 0,
                grid: grid(200, 300)
            }]
        );
        assert_eq!(
            plan(&[extent(500, 600, 0)], grid(0, 100)),
            vec![Piece::Missing(grid(0, 100))]
        );
    }

    #[test]
    fn touching_and_overlapping_extents_join() {
        let mut kept = vec![extent(0, 50, 5), extent(200, 300, 1)];
        let mut windows_seen = Vec::new();
        insert(&mut kept, extent(60, 100, 9), 10, |parts| {
            windows_seen = parts
                .iter()
                .map(|(e, from, to)| (e.start, *from, *to))
                .collect();
            Some((Bytes::from_static(b"joined"), 0))
        });
        assert_eq!(windows_seen, vec![(0, 0, 50), (60, 60, 100)]);
        assert_eq!(
            kept,
            vec![
                Extent {
                    start: 0,
                    end: 100,
                    fetched_at: 5,
                    body: Bytes::from_static(b"joined"),
                    points: 0,
                },
                extent(200, 300, 1),
            ]
        );
        // Overlaps take each point once.
        insert(&mut kept, extent(250, 400, 9), 10, |parts| {
            windows_seen = parts
                .iter()
                .map(|(e, from, to)| (e.start, *from, *to))
                .collect();
            Some((Bytes::from_static(b"j2"), 0))
        });
        assert_eq!(windows_seen, vec![(200, 200, 300), (250, 310, 400)]);
        assert_eq!(
            (kept[1].start, kept[1].end, kept[1].fetched_at),
            (200, 400, 1)
        );
        // Not adjacent: kept apart.
        insert(&mut kept, extent(120, 150, 9), 10, |_| {
            panic!("nothing to join")
        });
        assert_eq!(kept.len(), 3);
    }

    #[test]
    fn a_failed_join_keeps_the_new_extent() {
        let mut kept = vec![extent(0, 50, 5)];
        insert(&mut kept, extent(60, 100, 9), 10, |_| None);
        assert_eq!(kept, vec![extent(60, 100, 9)]);
    }

    #[test]
    fn bounded_in_count_and_age() {
        let mut kept = Vec::new();
        for i in 0..(MAX_EXTENTS as i64 + 3) {
            insert(&mut kept, extent(i * 100, i * 100 + 10, i), 10, |_| None);
        }
        assert_eq!(kept.len(), MAX_EXTENTS);
        assert_eq!(kept[0].fetched_at, 3, "the oldest went first");
        expire(&mut kept, 6);
        assert_eq!(kept.len(), MAX_EXTENTS - 3);
        assert_eq!(
            size(&kept),
            kept.iter().map(|e| e.body.len()).sum::<usize>()
        );
    }
}
