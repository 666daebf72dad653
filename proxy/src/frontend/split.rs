//! Long ranges split by interval (`split_interval`, a day by default): a 30-day query
//! becomes day-aligned sub-queries on the same step grid, run a few at a time
//! (`max_split_parallelism`), each cached on its own below; a repeated view then only
//! re-fetches the current day's fresh tail. The pieces are joined byte for byte.
//!
//! A query that looks back further than a quarter of the interval is left whole: each
//! piece would read its whole window again (`increase(x[30d])` over 30 days split by
//! day reads the month 31 times), for no gain on repeated views, which fetch only the
//! fresh tail either way.

use super::matrix::{self, Part};
use super::metrics::FrontendMetrics;
use super::range::{Grid, RangeQuery};
use super::service::{Failure, RangeAnswer, RangeService, Trace};
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};

/// The layer; `interval_ms` of 0 turns it into a pass-through.
pub struct SplitLayer<S> {
    pub inner: S,
    pub interval_ms: i64,
    pub parallelism: usize,
    pub metrics: FrontendMetrics,
}

/// `grid` cut at every multiple of `interval` (ms since the epoch, so a day starts at
/// midnight UTC): each piece holds the grid points of one interval, tagged with its
/// index. One piece, untagged, when splitting is off or the step is not shorter than the
/// interval.
pub fn pieces(grid: Grid, interval: i64) -> Vec<(Option<i64>, Grid)> {
    if interval <= 0 || grid.step >= interval {
        return vec![(None, grid)];
    }
    let mut out = Vec::new();
    let mut start = grid.start;
    while start <= grid.end {
        let bucket = start.div_euclid(interval);
        let end = grid.floor((bucket + 1) * interval - 1).min(grid.end);
        out.push((Some(bucket), Grid { start, end, ..grid }));
        start = end + grid.step;
    }
    out
}

/// Whether a query looking back `window_ms` is worth splitting at `interval_ms`.
pub fn worth_splitting(window_ms: i64, interval_ms: i64) -> bool {
    interval_ms > 0 && window_ms <= interval_ms / 4
}

impl<S: RangeService> RangeService for SplitLayer<S> {
    async fn call(&self, query: RangeQuery, trace: &Trace) -> Result<RangeAnswer, Failure> {
        let interval = if worth_splitting(query.window_ms, self.interval_ms) {
            self.interval_ms
        } else {
            0
        };
        let pieces = pieces(query.grid, interval);
        if let [(bucket, _)] = pieces.as_slice() {
            let query = RangeQuery {
                bucket: *bucket,
                ..query
            };
            return self.inner.call(query, trace).await;
        }
        self.metrics.split_pieces.inc_by(pieces.len() as u64);
        let answers: Vec<RangeAnswer> = futures_util::stream::iter(pieces)
            .map(|(bucket, grid)| {
                let piece = RangeQuery {
                    bucket,
                    ..query.with_grid(grid)
                };
                self.inner.call(piece, trace)
            })
            .buffered(self.parallelism.max(1))
            .try_collect()
            .await?;
        let parsed = answers
            .iter()
            .map(|a| matrix::parse(&a.body, trace.order))
            .collect::<Result<Vec<_>, _>>()
            .map_err(Failure::Unmergeable)?;
        let parts: Vec<Part<'_, '_>> = parsed
            .iter()
            .zip(&answers)
            .map(|(answer, piece)| Part {
                answer,
                from: piece.grid.start,
                to: piece.grid.end,
            })
            .collect();
        let merged = matrix::merge(&parts, trace.order);
        Ok(RangeAnswer {
            grid: query.grid,
            content_type: answers.last().and_then(|a| a.content_type.clone()),
            body: Bytes::from(merged.body),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn grid(start: i64, end: i64, step: i64) -> Grid {
        Grid::new(start, end, step).expect("grid")
    }

    #[test]
    fn thirty_days_become_day_pieces_on_the_step_grid() {
        let step = 3_600_000;
        let g = grid(10 * DAY + 5 * step, 40 * DAY + 2 * step, step);
        let p = pieces(g, DAY);
        assert_eq!(p.len(), 31);
        assert_eq!(
            p[0],
            (Some(10), grid(10 * DAY + 5 * step, 11 * DAY - step, step))
        );
        assert_eq!(p[1], (Some(11), grid(11 * DAY, 12 * DAY - step, step)));
        assert_eq!(p[30], (Some(40), grid(40 * DAY, 40 * DAY + 2 * step, step)));
        // Every grid point exactly once, in order.
        let points: i64 = p.iter().map(|(_, g)| g.points()).sum();
        assert_eq!(points, g.points());
        assert!(p.windows(2).all(|w| w[0].1.end + step == w[1].1.start));
    }

    #[test]
    fn steps_that_do_not_divide_the_interval() {
        // 7-minute steps: a day boundary falls between two points.
        let step = 420_000;
        let before = DAY / step * step;
        let g = grid(before - 2 * step, before + 3 * step, step);
        let p = pieces(g, DAY);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].1.end, g.floor(DAY - 1));
        assert_eq!(p[1].1.start, p[0].1.end + step);
        assert!(p[1].1.start >= DAY);
    }

    #[test]
    fn long_windows_are_not_split() {
        assert!(worth_splitting(300_000, DAY));
        assert!(worth_splitting(DAY / 4, DAY));
        assert!(!worth_splitting(DAY, DAY));
        assert!(!worth_splitting(30 * DAY, DAY));
        assert!(!worth_splitting(0, 0));
    }

    #[test]
    fn no_split_when_off_or_coarse() {
        let g = grid(0, 3 * DAY, 60_000);
        assert_eq!(pieces(g, 0), vec![(None, g)]);
        let coarse = grid(0, 3 * DAY, DAY);
        assert_eq!(pieces(coarse, DAY), vec![(None, coarse)]);
        let within = grid(DAY + 60_000, DAY + 120_000, 60_000);
        assert_eq!(pieces(within, DAY), vec![(Some(1), within)]);
    }
}
