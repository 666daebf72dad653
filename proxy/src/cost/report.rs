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

/// Spend in `[from, to]` per combination of the `by` dimensions, largest first.
pub async fn report(
    prom: &impl Prom,
    settings: &CostSettings,
    by: &[String],
    from: f64,
    to: f64,
) -> Result<Report, String> {
    let range = (to - from).round() as i64;
    if range < 1 {
        return Err("to must be after from".to_owned());
    }
    let rows = spend(prom, settings, &Scope::default(), to, range).await?;
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
        let r = report(&prom, &s, &parse_by("repository").expect("by"), 0.0, 3600.0)
            .await
            .expect("report");
        assert_eq!(r.total_usd, 5.0);
        assert_eq!(r.rows[0].usd, 4.0);
        assert_eq!(
            to_csv(&r),
            "repository,usd\r\n\"a,b\",4.000000\r\n(unallocated),1.000000\r\n"
        );
        assert!(parse_by("planet").is_err());
        assert!(parse_by("team,team").is_err());
        assert!(parse_by("").is_err());
    }
}
