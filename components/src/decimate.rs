//! M4 decimation: per pixel column keep the first, minimum, maximum and last point.
//! A line drawn through those is pixel-identical to one drawn through all points, so
//! drawing cost follows the width of the chart, not the length of the series.

/// A run of points with no gap, ready to draw as one polyline.
pub type Segment = Vec<(f64, f64)>;

/// Decimates `(times, values)` to the pixel grid of `[t0, t1]` over `width_px` columns.
/// A NaN value or a jump in time longer than `gap_s` breaks the line, as Prometheus
/// leaves out steps where a series had no data.
pub fn m4(
    times: &[f64],
    values: &[f64],
    t0: f64,
    t1: f64,
    width_px: usize,
    gap_s: f64,
) -> Vec<Segment> {
    let width = width_px.max(1);
    let span = (t1 - t0).max(f64::MIN_POSITIVE);
    let column_of = |t: f64| -> i64 { ((t - t0) / span * width as f64).floor() as i64 };
    let mut segments = Vec::new();
    let mut current: Segment = Vec::new();
    let mut column: Option<Column> = None;
    let mut previous_time: Option<f64> = None;

    for (&t, &v) in times.iter().zip(values) {
        let breaks = !v.is_finite() || previous_time.is_some_and(|p| t - p > gap_s);
        if breaks {
            if let Some(col) = column.take() {
                col.emit(&mut current);
            }
            if !current.is_empty() {
                segments.push(std::mem::take(&mut current));
            }
        }
        previous_time = Some(t);
        if !v.is_finite() {
            continue;
        }
        let index = column_of(t);
        match column.as_mut() {
            Some(col) if col.index == index => col.add(t, v),
            _ => {
                if let Some(col) = column.take() {
                    col.emit(&mut current);
                }
                column = Some(Column::new(index, t, v));
            }
        }
    }
    if let Some(col) = column {
        col.emit(&mut current);
    }
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

/// The four points M4 keeps for one pixel column.
struct Column {
    index: i64,
    first: (f64, f64),
    min: (f64, f64),
    max: (f64, f64),
    last: (f64, f64),
}

impl Column {
    fn new(index: i64, t: f64, v: f64) -> Column {
        Column {
            index,
            first: (t, v),
            min: (t, v),
            max: (t, v),
            last: (t, v),
        }
    }

    fn add(&mut self, t: f64, v: f64) {
        if v < self.min.1 {
            self.min = (t, v);
        }
        if v > self.max.1 {
            self.max = (t, v);
        }
        self.last = (t, v);
    }

    /// Pushes the kept points in time order, each once.
    fn emit(self, out: &mut Segment) {
        let (a, b) = if self.min.0 <= self.max.0 {
            (self.min, self.max)
        } else {
            (self.max, self.min)
        };
        for point in [self.first, a, b, self.last] {
            if out.last() != Some(&point) {
                out.push(point);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_at_most_four_points_per_column() {
        let times: Vec<f64> = (0..10_000).map(f64::from).collect();
        let values: Vec<f64> = times.iter().map(|t| (t / 10.0).sin()).collect();
        let segments = m4(&times, &values, 0.0, 10_000.0, 100, 5.0);
        assert_eq!(segments.len(), 1);
        assert!(segments[0].len() <= 400, "{} points", segments[0].len());
        assert_eq!(segments[0].first(), Some(&(0.0, 0.0)));
        assert_eq!(segments[0].last().map(|p| p.0), Some(9_999.0));
    }

    #[test]
    fn keeps_extremes() {
        let times = [0.0, 1.0, 2.0, 3.0, 4.0];
        let values = [1.0, 9.0, -3.0, 2.0, 1.5];
        let segments = m4(&times, &values, 0.0, 5.0, 1, 10.0);
        let kept: Vec<f64> = segments[0].iter().map(|p| p.1).collect();
        assert_eq!(kept, vec![1.0, 9.0, -3.0, 1.5]);
    }

    #[test]
    fn gaps_and_nan_break_the_line() {
        let times = [0.0, 15.0, 30.0, 120.0, 135.0, 150.0];
        let values = [1.0, 2.0, 3.0, 4.0, f64::NAN, 6.0];
        let segments = m4(&times, &values, 0.0, 150.0, 1000, 30.0);
        assert_eq!(segments.len(), 3);
        assert_eq!(segments[0].len(), 3);
        assert_eq!(segments[2], vec![(150.0, 6.0)]);
    }

    #[test]
    fn short_series_pass_through() {
        let segments = m4(&[1.0, 2.0], &[5.0, 6.0], 0.0, 10.0, 800, 5.0);
        assert_eq!(segments, vec![vec![(1.0, 5.0), (2.0, 6.0)]]);
    }
}
