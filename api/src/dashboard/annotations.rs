//! What an annotation query's answer means: events over time. Every sample that is not
//! zero is an event at its time (or, with `value_as_time`, at its value in seconds);
//! samples of one series that follow each other within a step become one region, as
//! Grafana shows them.

use super::expand::legend;
use super::spec::Annotation;
use crate::matrix::Series;

/// One event: a moment (`start == end`) or a region, in unix seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationEvent {
    pub start: f64,
    pub end: f64,
    /// The annotation's title template filled from the series' labels, else its name.
    pub title: String,
    /// The text template filled from the labels, else the labels.
    pub text: String,
    /// The values of the labels named in `tags`.
    pub tags: Vec<String>,
}

/// The events of `annotation` in its query's answer, queried with `step_s`.
pub fn events(annotation: &Annotation, series: &[Series], step_s: f64) -> Vec<AnnotationEvent> {
    let mut out = Vec::new();
    for s in series {
        let title = match &annotation.title {
            Some(template) => legend(Some(template), &s.labels),
            None => annotation.name.clone(),
        };
        let text = match &annotation.text {
            Some(template) => legend(Some(template), &s.labels),
            None => s.display_name(),
        };
        let tags: Vec<String> = annotation
            .tags
            .iter()
            .filter_map(|t| s.labels.get(t).cloned())
            .collect();
        let mut times: Vec<f64> = s
            .times
            .iter()
            .zip(&s.values)
            .filter(|(_, v)| v.is_finite() && **v != 0.0)
            .map(|(t, v)| if annotation.value_as_time { *v } else { *t })
            .collect();
        if annotation.value_as_time {
            times.sort_by(f64::total_cmp);
            times.dedup();
        }
        let mut region: Option<(f64, f64)> = None;
        let flush = |region: (f64, f64), out: &mut Vec<AnnotationEvent>| {
            out.push(AnnotationEvent {
                start: region.0,
                end: region.1,
                title: title.clone(),
                text: text.clone(),
                tags: tags.clone(),
            });
        };
        for t in times {
            region = match region {
                Some((start, end)) if !annotation.value_as_time && t - end <= step_s * 1.001 => {
                    Some((start, t))
                }
                Some(done) => {
                    flush(done, &mut out);
                    Some((t, t))
                }
                None => Some((t, t)),
            };
        }
        if let Some(done) = region {
            flush(done, &mut out);
        }
    }
    out.sort_by(|a, b| a.start.total_cmp(&b.start));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn annotation(extra: &str) -> Annotation {
        serde_json::from_str(&format!(r#"{{"name":"Deploys","expr":"x"{extra}}}"#))
            .expect("annotation")
    }

    fn series(labels: &[(&str, &str)], points: &[(f64, f64)]) -> Series {
        Series {
            labels: labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
            times: points.iter().map(|p| p.0).collect(),
            values: points.iter().map(|p| p.1).collect(),
        }
    }

    #[test]
    fn consecutive_samples_become_regions() {
        let s = series(
            &[("alertname", "HighLoad"), ("job", "node")],
            &[
                (0.0, 1.0),
                (15.0, 1.0),
                (30.0, 0.0),
                (60.0, 1.0),
                (75.0, 1.0),
                (120.0, 1.0),
            ],
        );
        let a = annotation(r#","title":"{{alertname}}","tags":["job"]"#);
        let found = events(&a, &[s], 15.0);
        let spans: Vec<(f64, f64)> = found.iter().map(|e| (e.start, e.end)).collect();
        assert_eq!(spans, [(0.0, 15.0), (60.0, 75.0), (120.0, 120.0)]);
        assert_eq!(found[0].title, "HighLoad");
        assert_eq!(found[0].tags, ["node"]);
        assert_eq!(found[0].text, r#"{alertname="HighLoad", job="node"}"#);
    }

    #[test]
    fn values_as_times() {
        let s = series(&[], &[(0.0, 500.0), (15.0, 500.0), (30.0, 900.0)]);
        let found = events(&annotation(r#","value_as_time":true"#), &[s], 15.0);
        let starts: Vec<f64> = found.iter().map(|e| e.start).collect();
        assert_eq!(starts, [500.0, 900.0]);
        assert_eq!(found[0].title, "Deploys");
    }
}
