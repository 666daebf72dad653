//! The dashboard's own settings, the wrapped models and the file name.

mod common;

use common::{convert, note};
use vantage_import::convert_grafana;

#[test]
fn title_tags_time_refresh_timezone() {
    let c = convert("grid_layout.json");
    let d = &c.dashboard;
    assert_eq!(d.id, "grid-layout");
    assert_eq!(c.file_name(), "grid-layout.toml");
    assert_eq!(d.title, "Grid Layout");
    assert_eq!(d.tags, ["demo", "layout"]);
    assert_eq!(d.time.from, "now-24h");
    assert_eq!(d.refresh.as_deref(), Some("30s"));
    assert_eq!(d.timezone.as_deref(), Some("utc"));
    let absolute = convert("variables.json").dashboard;
    assert_eq!(absolute.time.from, "2024-05-01T00:00:00.000Z");
    assert!(
        c.toml
            .starts_with("# Imported from the Grafana dashboard \"Grid Layout\", uid grid-uid")
    );
}

#[test]
fn links_of_both_kinds() {
    let c = convert("grid_layout.json");
    let links = &c.dashboard.links;
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].url, "https://runbooks.example.com/grid");
    assert!(links[0].new_tab && links[0].keep_time);
    assert_eq!(links[1].tags, ["layout"]);
    assert!(links[1].include_vars);
    assert!(note(&c.report.dropped, "dashboard").contains("has no URL or tags"));
    let cpu = common::panel(&c.dashboard, "CPU");
    assert_eq!(cpu.links[0].url, "https://docs.example.com/cpu");
}

#[test]
fn annotations_from_prometheus() {
    let c = convert("grid_layout.json");
    let a: Vec<_> = c.dashboard.query_annotations().collect();
    assert_eq!(a.len(), 2, "the built-in one and the Loki one are left out");
    assert_eq!(a[0].name, "Restarts");
    assert_eq!(a[0].title.as_deref(), Some("{{job}} restarted"));
    assert_eq!(a[0].tags, ["job", "instance"]);
    assert_eq!(a[0].step.as_deref(), Some("1m"));
    assert!(a[1].disabled && a[1].value_as_time);
    assert!(note(&c.report.dropped, "annotation Deploys").contains("reads loki"));
}

#[test]
fn wrapped_models() {
    let api = convert("wrapped_api.json");
    assert_eq!(api.dashboard.title, "Wrapped");
    let spec = convert("wrapped_spec.json");
    assert_eq!(spec.dashboard.title, "Wrapped spec");
    assert_eq!(spec.dashboard.panels.len(), 1);
}

#[test]
fn named_from_the_uid_or_the_hint_without_a_title() {
    let by_uid =
        convert_grafana(r#"{"uid":"Node_Exporter","panels":[]}"#, "x.json").expect("converts");
    assert_eq!(by_uid.dashboard.id, "node-exporter");
    assert_eq!(by_uid.dashboard.title, "x");
    let c = convert_grafana(r#"{"panels":[]}"#, "my board.json").expect("converts");
    assert_eq!(c.dashboard.id, "my-board");
    assert_eq!(c.dashboard.title, "my board");
    common::check(&c);
}
