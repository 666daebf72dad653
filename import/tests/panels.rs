//! Each Grafana panel type and what it becomes.

mod common;

use common::{convert, exprs, note, panel};
use vantage_api::dashboard::{
    Direction, Level, PanelKind, QueryFormat, Reduce, ThresholdMode, ThresholdStyle,
};
use vantage_api::unit::Unit;

#[test]
fn timeseries_settings_and_overrides() {
    let c = convert("panels.json");
    let p = panel(&c.dashboard, "Stacked percent");
    assert_eq!(p.kind, PanelKind::Timeseries);
    assert!(p.stack);
    assert_eq!(p.fill_opacity, Some(30));
    assert_eq!(p.log_base, Some(10));
    assert_eq!((p.min, p.max), (Some(0.0), Some(100.0)));
    assert_eq!(p.unit, Unit::RequestsPerSecond);
    assert_eq!(p.decimals, Some(2));
    assert_eq!(p.threshold_style, ThresholdStyle::Band);
    let levels: Vec<(f64, Level)> = p.thresholds.iter().map(|t| (t.value, t.level)).collect();
    assert_eq!(levels, [(50.0, Level::Warning), (90.0, Level::Critical)]);
    assert_eq!(p.overrides.len(), 3);
    assert_eq!(p.overrides[0].name.as_deref(), Some("500"));
    assert_eq!(p.overrides[0].color.as_deref(), Some("red"));
    assert_eq!(p.overrides[0].unit, Some(Unit::Percent));
    assert_eq!(p.overrides[1].regex.as_deref(), Some("^2.."));
    assert_eq!(p.overrides[1].display_name.as_deref(), Some("ok"));
    assert!(p.overrides[1].negative_y);
    assert_eq!(p.overrides[2].ref_id.as_deref(), Some("A"));
    assert!(p.overrides[2].hidden);
    // The override by query keeps the query's ref id.
    assert_eq!(p.queries[0].ref_id.as_deref(), Some("A"));
    let how = note(&c.report.approximate, "Stacked percent");
    assert!(how.contains("stacked to 100 %"), "{how}");
    assert!(how.contains("bars drawn as lines"), "{how}");
    assert!(how.contains("custom.lineWidth"), "{how}");
}

#[test]
fn legacy_graph_axes_overrides_and_thresholds() {
    let c = convert("legacy_rows.json");
    let p = panel(&c.dashboard, "Network");
    assert_eq!(p.unit, Unit::BytesPerSecond);
    assert_eq!(p.decimals, Some(1));
    assert_eq!(p.min, Some(0.0));
    assert!(p.stack);
    assert_eq!(p.fill_opacity, Some(10));
    assert_eq!(p.thresholds[0].value, 1e9);
    assert_eq!(p.thresholds[0].level, Level::Critical);
    assert_eq!(p.threshold_style, ThresholdStyle::Band);
    let out = &p.overrides[0];
    assert_eq!(out.regex.as_deref(), Some("out$"));
    assert!(out.negative_y);
    assert_eq!(p.overrides[1].unit, Some(Unit::PacketsPerSecond));
    assert_eq!(p.overrides[2].name.as_deref(), Some("lo in"));
    let io = panel(&c.dashboard, "Disk IO");
    assert_eq!(io.unit, Unit::Bytes);
    assert_eq!(io.log_base, Some(10));
    assert!(note(&c.report.approximate, "Network").contains("right axis"));
}

#[test]
fn stat_reduce_mappings_and_percentage_thresholds() {
    let d = convert("panels.json").dashboard;
    let p = panel(&d, "Availability");
    assert_eq!(p.kind, PanelKind::Stat);
    assert_eq!(p.reduce, Reduce::Mean);
    assert!(!p.sparkline);
    assert_eq!(p.threshold_mode, ThresholdMode::Percentage);
    assert_eq!(p.direction, Direction::BelowIsBad);
    assert_eq!(p.mappings.len(), 3);
    assert_eq!(p.mappings[0].value, Some(1.0));
    assert_eq!(p.mappings[0].text, "all up");
    assert_eq!(
        (p.mappings[1].from, p.mappings[1].to),
        (Some(0.0), Some(0.5))
    );
    assert!(p.mappings[2].null);
    // A mean over the range needs the range, not one instant.
    assert_eq!(p.queries[0].instant, Some(false));
    let several = panel(&d, "Mean of several");
    assert!(several.sparkline);
}

#[test]
fn legacy_singlestat_as_stat_or_gauge() {
    let d = convert("legacy_rows.json").dashboard;
    let uptime = panel(&d, "Uptime");
    assert_eq!(uptime.kind, PanelKind::Stat);
    assert_eq!(uptime.unit, Unit::Seconds);
    assert_eq!(uptime.reduce, Reduce::Last);
    assert!(uptime.sparkline);
    // Red below an hour, orange below a day: worse as the value falls.
    assert_eq!(uptime.direction, Direction::BelowIsBad);
    let levels: Vec<(f64, Level)> = uptime
        .thresholds
        .iter()
        .map(|t| (t.value, t.level))
        .collect();
    assert_eq!(
        levels,
        [(3600.0, Level::Critical), (86400.0, Level::Warning)]
    );
    assert!(uptime.mappings[0].null);
    let root = panel(&d, "Root used");
    assert_eq!(root.kind, PanelKind::Gauge);
    assert_eq!((root.min, root.max), (Some(0.0), Some(100.0)));
    assert_eq!(root.reduce, Reduce::Mean);
    let load = panel(&d, "Load");
    assert_eq!(load.unit, Unit::Suffix("procs".into()));
    assert_eq!(load.reduce, Reduce::Max);
}

#[test]
fn gauge_and_bargauge() {
    let d = convert("panels.json").dashboard;
    let g = panel(&d, "Disk used");
    assert_eq!(g.kind, PanelKind::Gauge);
    assert_eq!((g.min, g.max), (Some(0.0), Some(1.0)));
    assert_eq!(g.thresholds[0].value, 0.9);
    let b = panel(&d, "Top pods");
    assert_eq!(b.kind, PanelKind::Bar);
    assert_eq!(b.limit, Some(5));
    assert_eq!(b.unit, Unit::Seconds);
}

#[test]
fn tables_modern_and_old() {
    let c = convert("panels.json");
    let t = panel(&c.dashboard, "Targets");
    assert_eq!(t.kind, PanelKind::Table);
    assert_eq!(t.queries.len(), 2);
    assert!(t.queries.iter().all(|q| q.format == QueryFormat::Table));
    assert!(note(&c.report.approximate, "Targets").contains("merge, organize"));
    let old = convert("legacy_rows.json").dashboard;
    let fs = panel(&old, "Filesystems");
    assert_eq!(fs.kind, PanelKind::Table);
    assert_eq!(fs.unit, Unit::Bytes);
    assert_eq!(fs.decimals, Some(0));
}

#[test]
fn heatmaps_of_buckets_and_calculated_ones() {
    let c = convert("panels.json");
    let h = panel(&c.dashboard, "Latency buckets");
    assert_eq!(h.kind, PanelKind::Heatmap);
    assert_eq!(h.histogram, None);
    assert_eq!(h.unit, Unit::Seconds);
    assert_eq!(h.queries[0].format, QueryFormat::Heatmap);
    assert_eq!(h.queries[0].legend.as_deref(), Some("{{le}}"));
    assert!(h.queries[0].expr.contains("$__interval"));
    let calc = panel(&c.dashboard, "Calculated heatmap");
    assert_eq!(calc.kind, PanelKind::Timeseries);
    assert!(note(&c.report.approximate, "Calculated heatmap").contains("bucketed"));
}

#[test]
fn state_timelines_from_value_mappings() {
    let c = convert("panels.json");
    let s = panel(&c.dashboard, "Breakers");
    assert_eq!(s.kind, PanelKind::StateGrid);
    let states: Vec<(f64, &str, Level)> = s
        .states
        .iter()
        .map(|s| (s.value, s.name.as_str(), s.level))
        .collect();
    assert_eq!(
        states,
        [
            (0.0, "CLOSED", Level::Ok),
            (1.0, "OPEN", Level::Critical),
            (2.0, "HALF_OPEN", Level::Warning)
        ]
    );
    let history = panel(&c.dashboard, "Up history");
    assert_eq!(history.kind, PanelKind::Timeseries);
    assert!(note(&c.report.approximate, "Up history").contains("no value mappings"));
}

#[test]
fn text_markdown_code_html_and_spacers() {
    let c = convert("panels.json");
    assert_eq!(
        panel(&c.dashboard, "Notes").content.as_deref(),
        Some("# Notes\n\nSee the **runbook**.")
    );
    assert_eq!(
        panel(&c.dashboard, "Config").content.as_deref(),
        Some("```\nscrape_interval: 15s\n```")
    );
    assert!(note(&c.report.dropped, "(untitled text)").contains("spacer"));
    let legacy = convert("legacy_rows.json");
    let about = panel(&legacy.dashboard, "About");
    assert_eq!(
        about.content.as_deref(),
        Some("### Disks\n\nSee [the wiki](https://wiki.example.com/disks).")
    );
}

#[test]
fn pie_charts_as_bars_and_the_rest_as_placeholders() {
    let c = convert("panels.json");
    assert_eq!(panel(&c.dashboard, "Share by code").kind, PanelKind::Bar);
    assert!(note(&c.report.approximate, "Share by code").contains("pie chart"));
    for (title, why) in [
        ("News", "Grafana panel type news is not supported"),
        ("Logs", "Grafana panel type logs is not supported"),
        (
            "Clock",
            "Grafana panel type grafana-clock-panel is not supported",
        ),
        (
            "Shared CPU",
            "library panel \"Shared CPU\" is not in the file",
        ),
        ("Log rate", "query A reads loki, not Prometheus"),
    ] {
        let p = panel(&c.dashboard, title);
        assert_eq!(p.kind, PanelKind::Placeholder, "{title}");
        assert!(
            p.content.as_deref().is_some_and(|m| m.contains(why)),
            "{title}: {:?}",
            p.content
        );
        assert!(note(&c.report.dropped, title).contains(why), "{title}");
    }
}

#[test]
fn queries_of_other_sources_are_dropped_and_reported() {
    let c = convert("panels.json");
    let mixed = panel(&c.dashboard, "Mixed");
    assert_eq!(exprs(mixed), ["sum(rate(http_requests_total[5m]))"]);
    let how = note(&c.report.approximate, "Mixed");
    for part in [
        "query B is a Grafana server-side expression",
        "query C is hidden in Grafana; skipped",
        "query D reads mysql, not Prometheus",
        "query E is not PromQL Vantage can run",
    ] {
        assert!(how.contains(part), "{how}");
    }
}
