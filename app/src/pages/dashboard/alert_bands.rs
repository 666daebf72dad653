//! The firing intervals of Prometheus alerts over a dashboard's range, from one range
//! query of `ALERTS{alertstate="firing"}` per dashboard that all its time-series panels
//! share; drawn as bands named after the alert.

use vantage_api::matrix::Series;
use vantage_components::annotation_bands::Band;

/// The series Prometheus keeps while an alert fires.
pub const FIRING: &str = r#"ALERTS{alertstate="firing"}"#;

/// One band per interval during which an alert of that name fired: the instants any
/// of its series (one per label set) has a sample, split where they are more than one
/// and a half steps apart, each band lasting to one step after its last sample.
pub fn firing_intervals(series: &[Series], step: f64) -> Vec<Band> {
    let gap = step.max(1.0) * 1.5;
    // Whole seconds: plain numbers sort without another instantiation of the sort.
    let mut by_name: Vec<(String, Vec<usize>)> = Vec::new();
    for s in series {
        let name = s
            .labels
            .get("alertname")
            .cloned()
            .unwrap_or_else(|| "alert".to_owned());
        let at = match by_name.iter().position(|(n, _)| *n == name) {
            Some(at) => at,
            None => {
                by_name.push((name, Vec::new()));
                by_name.len() - 1
            }
        };
        let times = s
            .times
            .iter()
            .zip(&s.values)
            .filter(|(t, v)| v.is_finite() && **t >= 0.0)
            .map(|(t, _)| t.round() as usize);
        by_name[at].1.extend(times);
    }
    let mut bands = Vec::new();
    for (name, mut times) in by_name {
        times.sort_unstable();
        times.dedup();
        let mut run: Option<(usize, usize)> = None;
        for t in times {
            run = match run {
                Some((start, end)) if (t - end) as f64 <= gap => Some((start, t)),
                Some((start, end)) => {
                    bands.push(band(&name, start, end, step));
                    Some((t, t))
                }
                None => Some((t, t)),
            };
        }
        if let Some((start, end)) = run {
            bands.push(band(&name, start, end, step));
        }
    }
    bands
}

fn band(name: &str, start: usize, end: usize, step: f64) -> Band {
    // A sample says the alert fired from its instant until the next evaluation: the
    // band covers the last sample's step too, so that even one sample shows.
    Band {
        start: start as f64,
        end: end as f64 + step,
        label: name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(alert: &str, instance: &str, times: &[f64]) -> Series {
        Series {
            labels: [("alertname", alert), ("instance", instance)]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            times: times.to_vec(),
            values: vec![1.0; times.len()],
        }
    }

    #[test]
    fn intervals_per_alert_name() {
        let answer = [
            series("DiskSpaceLow", "a", &[45.0]),
            series("HighErrorRate", "a", &[0.0, 15.0, 30.0, 90.0, 105.0]),
            series("HighErrorRate", "b", &[30.0, 45.0, 60.0, 75.0]),
        ];
        let bands = firing_intervals(&answer, 15.0);
        let shown: Vec<(f64, f64, &str)> = bands
            .iter()
            .map(|b| (b.start, b.end, b.label.as_str()))
            .collect();
        assert_eq!(
            shown,
            vec![(45.0, 60.0, "DiskSpaceLow"), (0.0, 120.0, "HighErrorRate"),],
            "instance b fills the gap of instance a"
        );
        let apart = [series("X", "a", &[0.0, 15.0, 100.0])];
        assert_eq!(firing_intervals(&apart, 15.0).len(), 2);
        assert!(firing_intervals(&[], 15.0).is_empty());
    }
}
