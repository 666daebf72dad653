//! Layout: the 24-column grid in reading order, rows expanded and collapsed, repeats,
//! and legacy `rows[]` with `span` and `height`.

mod common;

use common::{convert, panel};
use vantage_api::dashboard::{PanelKind, RepeatDirection};

#[test]
fn grid_panels_in_reading_order_on_twelve_columns() {
    let d = convert("grid_layout.json").dashboard;
    let titles: Vec<&str> = d.panels.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "CPU",
            "Requests",
            "Memory",
            "Details",
            "Per instance $instance",
            "Errors",
            "Collapsed section",
            "Inside A",
            "Inside B",
            "Last",
            "Wide"
        ]
    );
    let widths: Vec<u8> = d.panels.iter().map(|p| p.width).collect();
    assert_eq!(widths, [4, 4, 4, 12, 6, 6, 12, 6, 6, 12, 12]);
    // 8 grid units of 30 px with 8 px gaps, less the header.
    assert_eq!(panel(&d, "CPU").height, Some(256));
    assert_eq!(panel(&d, "Wide").height, Some(104));
    assert_eq!(panel(&d, "Details").height, None);
}

#[test]
fn rows_become_collapsible_sections() {
    let d = convert("grid_layout.json").dashboard;
    let expanded = panel(&d, "Details");
    assert_eq!(expanded.kind, PanelKind::Row);
    assert!(!expanded.collapsed);
    let collapsed = panel(&d, "Collapsed section");
    assert!(collapsed.collapsed);
    assert_eq!(collapsed.repeat.as_deref(), Some("job"));
    // A collapsed row's children follow it, in their own reading order.
    assert_eq!(panel(&d, "Inside A").kind, PanelKind::Timeseries);
}

#[test]
fn repeated_panels_keep_their_variable() {
    let d = convert("grid_layout.json").dashboard;
    let p = panel(&d, "Per instance $instance");
    assert_eq!(p.repeat.as_deref(), Some("instance"));
    assert_eq!(p.repeat_direction, Some(RepeatDirection::Horizontal));
    assert_eq!(p.max_per_row, Some(4));
    let v = convert("variables.json").dashboard;
    let vertical = panel(&v, "Per env");
    assert_eq!(vertical.repeat_direction, Some(RepeatDirection::Vertical));
}

#[test]
fn legacy_rows_with_span_and_height() {
    let c = convert("legacy_rows.json");
    let d = &c.dashboard;
    let kinds: Vec<(&str, PanelKind, u8, Option<u32>)> = d
        .panels
        .iter()
        .map(|p| (p.title.as_str(), p.kind, p.width, p.height))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Overview", PanelKind::Row, 12, None),
            ("Network", PanelKind::Timeseries, 8, Some(210)),
            ("Uptime", PanelKind::Stat, 4, Some(210)),
            ("Disks $instance", PanelKind::Row, 12, None),
            ("Disk IO", PanelKind::Timeseries, 6, Some(360)),
            ("Root used", PanelKind::Gauge, 3, Some(260)),
            ("Load", PanelKind::Stat, 3, Some(260)),
            ("Filesystems", PanelKind::Table, 12, Some(260)),
            ("About", PanelKind::Text, 12, Some(260)),
        ]
    );
    let disks = panel(d, "Disks $instance");
    assert!(disks.collapsed);
    assert_eq!(disks.repeat.as_deref(), Some("instance"));
}
