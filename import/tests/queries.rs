//! Queries: macros and variable formats, legends, steps, resolution, formats, and data
//! source inputs.

mod common;

use common::{convert, exprs, panel};
use std::collections::BTreeMap;
use vantage_api::dashboard::QueryFormat;
use vantage_api::dashboard::expand::{Intervals, Selection, substitute};

#[test]
fn macros_are_kept_for_run_time() {
    let d = convert("variables.json").dashboard;
    let q = &exprs(panel(&d, "Macros"))[0];
    for m in [
        "$__rate_interval",
        "$__interval_ms",
        "$__range_s",
        "$__range_ms",
        "[$__range]",
        "[$__interval]",
    ] {
        assert!(q.contains(m), "{m} in {q}");
    }
    let intervals = Intervals {
        interval_s: 30.0,
        rate_interval_s: 120.0,
        range_s: 3600.0,
    };
    let vars = BTreeMap::from([("job".to_owned(), Selection::Values(vec!["api".into()]))]);
    assert_eq!(
        substitute(q, &vars, intervals),
        r#"sum(rate(http_requests_total{job=~"api"}[2m])) * 30000 / 3600 + 3600000 - count_over_time(up[1h]) + count_over_time(up[30s])"#
    );
}

#[test]
fn each_reference_gets_the_format_that_keeps_its_meaning() {
    let d = convert("variables.json").dashboard;
    assert_eq!(
        exprs(panel(&d, "Forms"))[0],
        r#"sum(up{job=~"${job:regex}", instance=~"$instance", env="${env:raw}", cluster="${cluster:raw}", pipe=~"${job:pipe}", csv="${job:csv}", raw="${job:raw}", q="${job:queryparam}"})"#
    );
    assert_eq!(
        exprs(panel(&d, "Interval"))[0],
        r#"histogram_quantile(${quantile:raw}, sum by (le) (rate(http_request_duration_seconds_bucket{job=~"${filter:raw}"}[${window:raw}])))"#
    );
    assert_eq!(
        exprs(panel(&d, "Auto interval"))[0],
        "rate(http_requests_total[${window:raw}])"
    );
    assert_eq!(
        exprs(panel(&d, "By label"))[0],
        "sum by (${label:raw}) (up)"
    );
    assert_eq!(exprs(panel(&d, "Metric"))[0], "sum(${metric:raw})");
    assert_eq!(exprs(panel(&d, "Renamed"))[0], r#"up{x=~"${v_1st:raw}"}"#);
    // `[[var]]` becomes `${var}`.
    let legacy = convert("legacy_rows.json").dashboard;
    assert!(exprs(panel(&legacy, "Network"))[0].contains(r#"instance=~"${instance}""#));
}

#[test]
fn formats_substitute_at_run_time() {
    let vars = BTreeMap::from([
        (
            "job".to_owned(),
            Selection::Values(vec!["a.b".into(), "c".into()]),
        ),
        ("env".to_owned(), Selection::Values(vec!["prod".into()])),
    ]);
    let intervals = Intervals {
        interval_s: 15.0,
        rate_interval_s: 60.0,
        range_s: 3600.0,
    };
    let out = substitute(
        r#"x{a=~"${job:regex}",b=~"${job:pipe}",c="${job:csv}",d="${job:raw}",e="${job:queryparam}",f="${env:raw}",g=~"$job"}"#,
        &vars,
        intervals,
    );
    assert_eq!(
        out,
        r#"x{a=~"(a\\.b|c)",b=~"a.b|c",c="a.b,c",d="a.b,c",e="var-job=a.b&var-job=c",f="prod",g=~"(a\\.b|c)"}"#
    );
}

#[test]
fn an_equality_matcher_on_a_multi_value_variable_becomes_a_regex_matcher() {
    let d = convert("grid_layout.json").dashboard;
    assert_eq!(
        exprs(panel(&d, "Memory"))[0],
        r#"process_resident_memory_bytes{instance=~"$instance"}"#
    );
}

#[test]
fn legends_steps_resolution_and_formats() {
    let d = convert("legacy_rows.json").dashboard;
    let network = panel(&d, "Network");
    let q = &network.queries[0];
    assert_eq!(q.legend.as_deref(), Some("{{device}} in"));
    // `>30s` is Grafana's "at least 30s".
    assert_eq!(q.min_step.as_deref(), Some("30s"));
    assert_eq!(q.interval_factor, Some(2));
    let fs = panel(&d, "Filesystems");
    assert_eq!(fs.queries[0].format, QueryFormat::Table);
    let grid = convert("grid_layout.json").dashboard;
    let cpu = panel(&grid, "CPU");
    assert_eq!(cpu.min_step.as_deref(), Some("1m"));
    assert_eq!(cpu.max_points, Some(500));
    assert_eq!(cpu.time_from.as_deref(), Some("1h"));
    assert_eq!(cpu.time_shift.as_deref(), Some("1d"));
    assert_eq!(panel(&grid, "Errors").time_from.as_deref(), Some("7d"));
    // `__auto` and an empty legend are the default legend.
    let vllm_like = convert("panels.json").dashboard;
    assert_eq!(panel(&vllm_like, "Calculated heatmap").legend, None);
}

#[test]
fn data_source_inputs_and_variables_resolve_to_the_upstream() {
    let c = convert("legacy_rows.json");
    assert!(c.report.dropped.is_empty(), "{:?}", c.report.dropped);
    assert!(!c.toml.contains("DS_PROM"));
    let v = convert("variables.json");
    assert!(v.dashboard.variables.iter().all(|v| v.name != "datasource"));
    assert!(common::note(&v.report.carried, "variable $datasource").contains("one upstream"));
}

#[test]
fn a_query_with_an_unknown_variable_is_dropped() {
    let c = convert("variables.json");
    let p = panel(&c.dashboard, "Unknown");
    assert_eq!(p.kind, vantage_api::dashboard::PanelKind::Placeholder);
    assert!(common::note(&c.report.dropped, "Unknown").contains("$nope"));
    assert!(c.report.carried.iter().all(|n| n.panel != "Unknown"));
}
