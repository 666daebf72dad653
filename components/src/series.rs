//! What charts draw: named series in columns (unix-second times, values).

/// One line of a chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartSeries {
    /// Legend name; also picks the series' colour, so it stays the same across refreshes.
    pub name: String,
    pub times: Vec<f64>,
    pub values: Vec<f64>,
}

impl ChartSeries {
    /// The value at `times[i]`.
    pub fn last(&self) -> Option<f64> {
        self.values.last().copied()
    }
}

/// Stacks series on top of each other: each value becomes the sum of itself and every
/// series before it at the same timestamp (missing points count as 0).
pub fn stack(series: &mut [ChartSeries]) {
    use std::collections::HashMap;
    let mut running: HashMap<u64, f64> = HashMap::new();
    for s in series.iter_mut() {
        for (t, v) in s.times.iter().zip(s.values.iter_mut()) {
            if !v.is_finite() {
                continue;
            }
            let below = running.entry(t.to_bits()).or_insert(0.0);
            *below += *v;
            *v = *below;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_by_timestamp() {
        let mut series = vec![
            ChartSeries {
                name: "a".into(),
                times: vec![0.0, 15.0],
                values: vec![1.0, 2.0],
            },
            ChartSeries {
                name: "b".into(),
                times: vec![15.0, 30.0],
                values: vec![10.0, 5.0],
            },
        ];
        stack(&mut series);
        assert_eq!(series[1].values, vec![12.0, 5.0]);
    }
}
