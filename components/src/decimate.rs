//! M4 decimation: per pixel column keep the first, minimum, maximum and last point.
//! A line drawn through those is pixel-identical to one drawn through all points, so
//! drawing cost follows the width of the chart, not the length of the series.

/// A run of points with no gap, ready to draw as one polyline.
pub type Segment = Vec<(f64, f64)>;

/// Decimates `(times, values)` to the pixel grid of `[t0, t1]` drawn across `width_px`
/// pixel columns (t0 in the first, t1 in the last), binned exactly as plotters maps a
/// value to a pixel, `floor((width - 1) * (t - t0) / (t1 - t0) + 0.001)`, so that each
/// column here is one pixel column there. A NaN value or a jump in time longer than `gap_s` breaks the line, as Prometheus
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
    let scale = (width - 1).max(1) as f64;
    let column_of = |t: f64| -> i64 { (scale * ((t - t0) / span) + 1e-3).floor() as i64 };
    let mut segments = Vec::new();
    let mut current: Segment = Vec::new();
    let mut column: Option<Column> = None;
    let mut previous_time: Option<f64> = None;
    // The exact column is computed only when a point may have left the current one: a
    // lower bound of the next column's first time, minus a little for rounding.
    let next_column_from =
        |index: i64| t0 + span * ((index + 1) as f64 - 1e-3) / scale - span * 1e-9;
    let mut index = 0;
    let mut recheck_at = f64::NEG_INFINITY;

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
        let out_of_order = previous_time.is_some_and(|p| t < p);
        previous_time = Some(t);
        if !v.is_finite() {
            continue;
        }
        if t >= recheck_at || out_of_order {
            index = column_of(t);
            recheck_at = next_column_from(index);
        }
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

    /// Draws `segments` as plotters would in the console, without anti-aliasing, and
    /// returns the pixels.
    fn raster(segments: &[Segment], t: (f64, f64), y: (f64, f64), w: u32, h: u32) -> Vec<u8> {
        use plotters::prelude::*;
        let mut buffer = vec![0u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buffer, (w, h)).into_drawing_area();
            root.fill(&WHITE).expect("fill");
            let mut chart = ChartBuilder::on(&root)
                .margin(5)
                .build_cartesian_2d(t.0..t.1, y.0..y.1)
                .expect("chart");
            for segment in segments {
                chart
                    .draw_series(LineSeries::new(
                        segment.iter().copied(),
                        BLUE.stroke_width(1),
                    ))
                    .expect("line");
            }
            root.present().expect("present");
        }
        buffer
    }

    #[test]
    fn decimated_drawing_is_pixel_identical() {
        // A noisy random walk with spikes, 200k points onto 600 px.
        let mut state: u64 = 42;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 10_000) as f64 / 10_000.0
        };
        let n = 200_000;
        let times: Vec<f64> = (0..n).map(|i| 1.7e9 + f64::from(i) * 0.5).collect();
        let mut v = 0.0;
        let values: Vec<f64> = (0..n)
            .map(|_| {
                v += next() - 0.5;
                if next() > 0.9995 {
                    v + 40.0 * (next() - 0.5)
                } else {
                    v
                }
            })
            .collect();
        let (t0, t1) = (times[0], times[n as usize - 1]);
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (w, h) = (610, 310);
        // The plotting area is the canvas less the 5 px margins: 600 pixel columns.
        let full = vec![
            times
                .iter()
                .copied()
                .zip(values.iter().copied())
                .collect::<Segment>(),
        ];
        let decimated = m4(&times, &values, t0, t1, 600, f64::INFINITY);
        assert!(
            decimated[0].len() <= 4 * 601,
            "{} points kept",
            decimated[0].len()
        );
        let a = raster(&full, (t0, t1), (lo, hi), w, h);
        let b = raster(&decimated, (t0, t1), (lo, hi), w, h);
        // plotters blends the edges of slanted lines, and a pixel drawn over many times
        // by the full series blends darker: compare which pixels the line covers.
        let covered = |px: &[u8]| px != [255, 255, 255];
        let differing = a
            .chunks(3)
            .zip(b.chunks(3))
            .filter(|(x, y)| covered(x) != covered(y))
            .count();
        assert_eq!(
            differing, 0,
            "pixels covered by one drawing and not the other"
        );
    }

    #[test]
    fn short_series_pass_through() {
        let segments = m4(&[1.0, 2.0], &[5.0, 6.0], 0.0, 10.0, 800, 5.0);
        assert_eq!(segments, vec![vec![(1.0, 5.0), (2.0, 6.0)]]);
    }
}
