//! Reports for finance: spend per group over a range (a calendar month by default), as
//! JSON or CSV, the same numbers as the cost page (one `sum by` of `increase` per
//! source; groups the sources lack are `(unallocated)`).

use std::collections::BTreeMap;

use vantage_api::cost::{DIMENSIONS, Report, ReportRow};

use super::prom::Prom;
use super::settings::CostSettings;
use super::spend::{Scope, spend, value_of};

/// `by=team,repository` into dimensions, checked.
pub fn parse_by(text: &str) -> Result<Vec<String>, String> {
    let by: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if by.is_empty() {
        return Err("by: name at least one of ".to_owned() + &DIMENSIONS.join(", "));
    }
    for (i, d) in by.iter().enumerate() {
        if !DIMENSIONS.contains(&d.as_str()) {
            return Err(format!("by: {d:?} is not one of {}", DIMENSIONS.join(", ")));
        }
        if by[..i].contains(d) {
            return Err(format!("by: {d:?} is named twice"));
        }
    }
    Ok(by)
}

/// Spend in `[from, to]` under `scope` (the drill-down filters of the cost page's view)
/// per combination of the `by` dimensions, largest first.
pub async fn report(
    prom: &impl Prom,
    settings: &CostSettings,
    by: &[String],
    scope: &Scope,
    from: f64,
    to: f64,
) -> Result<Report, String> {
    let range = (to - from).round() as i64;
    if range < 1 {
        return Err("to must be after from".to_owned());
    }
    let rows = spend(prom, settings, scope, to, range).await?;
    let mut groups: BTreeMap<Vec<String>, f64> = BTreeMap::new();
    for row in &rows {
        let key = by.iter().map(|d| value_of(settings, row, d)).collect();
        *groups.entry(key).or_insert(0.0) += row.usd;
    }
    let mut rows: Vec<ReportRow> = groups
        .into_iter()
        .map(|(values, usd)| ReportRow {
            labels: by.iter().cloned().zip(values).collect(),
            usd,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.usd
            .total_cmp(&a.usd)
            .then_with(|| a.labels.cmp(&b.labels))
    });
    Ok(Report {
        from,
        to,
        by: by.to_vec(),
        filters: scope.filters.clone(),
        total_usd: rows.iter().map(|r| r.usd).sum(),
        rows,
    })
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The CSV file's name: what it groups by and the filters it is under, in letters,
/// digits and dashes only (label values can hold anything).
pub fn file_name(report: &Report) -> String {
    let mut parts = vec!["cost".to_owned(), "by".to_owned()];
    parts.extend(report.by.iter().cloned());
    for (dimension, value) in &report.filters {
        parts.push(dimension.clone());
        parts.push(value.clone());
    }
    let name: String = parts
        .join("-")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let mut squeezed = String::with_capacity(name.len());
    for c in name.chars() {
        if !(c == '-' && squeezed.ends_with('-')) {
            squeezed.push(c);
        }
    }
    format!("{}.csv", squeezed.trim_end_matches('-'))
}

/// The report as CSV: a header row (the dimensions, then `usd`) and one row per group;
/// amounts with six decimals so that the rows add up to the total.
pub fn to_csv(report: &Report) -> String {
    let mut out = String::new();
    let header: Vec<String> = report
        .by
        .iter()
        .map(|d| csv_field(d))
        .chain(std::iter::once("usd".to_owned()))
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in &report.rows {
        let fields: Vec<String> = report
            .by
            .iter()
            .map(|d| csv_field(row.labels.get(d).map_or("", String::as_str)))
            .chain(std::iter::once(format!("{:.6}", row.usd)))
            .collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::prom::table::{Table, labels};

    #[tokio::test]
    async fn groups_add_up_and_csv_quotes() {
        let s = CostSettings::defaults();
        let prom = Table(|query: &str, _| {
            if query.contains("orchestrator") {
                vec![
                    (labels(&[("repository", "a,b"), ("user", "u1")]), 1.5),
                    (labels(&[("repository", "a,b"), ("user", "u2")]), 2.5),
                ]
            } else if query.contains("aurea") {
                vec![(labels(&[("model", "m")]), 1.0)]
            } else {
                Vec::new()
            }
        });
        let by = parse_by("repository").expect("by");
        let r = report(&prom, &s, &by, &Scope::default(), 0.0, 3600.0)
            .await
            .expect("report");
        assert_eq!(r.total_usd, 5.0);
        assert_eq!(r.rows[0].usd, 4.0);
        assert_eq!(
            to_csv(&r),
            "repository,usd\r\n\"a,b\",4.000000\r\n(unallocated),1.000000\r\n"
        );
        assert_eq!(file_name(&r), "cost-by-repository.csv");
        assert!(parse_by("planet").is_err());
        assert!(parse_by("team,team").is_err());
        assert!(parse_by("").is_err());
    }

    #[tokio::test]
    async fn drill_down_filters_narrow_the_report() {
        let s = CostSettings::defaults();
        let asked = std::sync::Mutex::new(Vec::new());
        let prom = Table(|query: &str, _| {
            if let Ok(mut a) = asked.lock() {
                a.push(query.to_owned());
            }
            if query.contains("orchestrator") {
                vec![
                    (labels(&[("repository", "acme/api"), ("user", "u1")]), 1.5),
                    (labels(&[("repository", "acme/api"), ("user", "u2")]), 2.5),
                ]
            } else {
                vec![(labels(&[("model", "m")]), 9.0)]
            }
        });
        let scope = Scope {
            filters: vec![
                ("source".into(), "orchestrator".into()),
                ("repository".into(), "acme/api".into()),
            ],
            narrowed: None,
        };
        let by = parse_by("user").expect("by");
        let r = report(&prom, &s, &by, &scope, 0.0, 3600.0)
            .await
            .expect("report");
        assert_eq!(r.total_usd, 4.0);
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.filters, scope.filters);
        let asked = asked.lock().map(|a| a.clone()).unwrap_or_default();
        assert_eq!(
            asked,
            [
                "sum by (repository, user) (increase(orchestrator_cost_attribution{repository=\"acme/api\"}[3600s]))"
            ]
        );
        assert_eq!(
            file_name(&r),
            "cost-by-user-source-orchestrator-repository-acme-api.csv"
        );
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["rows"][0]["user"], "u2");
        assert_eq!(json["rows"][0]["usd"], 2.5);
    }
}
