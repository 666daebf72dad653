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

/// How a time-series chart shows its values beyond the defaults.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartOptions {
    /// Decimals of axis labels and tooltips; from the magnitude when absent.
    pub decimals: Option<u8>,
    /// The y axis starts here; from the data when absent.
    pub min: Option<f64>,
    /// The y axis ends here; from the data when absent.
    pub max: Option<f64>,
    /// A logarithmic y axis of this base.
    pub log_base: Option<u32>,
    /// The area under each line, 0 to 100.
    pub fill_opacity: Option<u8>,
    /// Colours of some series, by name (CSS colours).
    pub colours: std::collections::HashMap<String, String>,
    /// Units of some series for the tooltip, by name.
    pub units: std::collections::HashMap<String, vantage_api::unit::Unit>,
    /// Series hidden until the viewer turns them on.
    pub hidden: std::collections::HashSet<String>,
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
