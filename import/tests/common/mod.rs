//! Shared helpers: convert a fixture, and check what every conversion must hold.

#![allow(dead_code)]

use vantage_api::dashboard::validate::validate;
use vantage_api::dashboard::{Dashboard, Panel};
use vantage_import::{Conversion, convert_grafana, query_problems};

/// The text of `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Converts a fixture and checks the output: valid, every query PromQL, and the TOML
/// file reads back as the same dashboard.
pub fn convert(name: &str) -> Conversion {
    let conversion =
        convert_grafana(&fixture(name), name).unwrap_or_else(|e| panic!("{name}: {e}"));
    check(&conversion);
    conversion
}

/// What every conversion holds.
pub fn check(conversion: &Conversion) {
    let d = &conversion.dashboard;
    assert_eq!(validate(d), vec![], "{}", conversion.toml);
    assert_eq!(
        query_problems(d),
        Vec::<String>::new(),
        "{}",
        conversion.toml
    );
    let mut back: Dashboard =
        toml::from_str(&conversion.toml).unwrap_or_else(|e| panic!("{e}\n{}", conversion.toml));
    back.id = d.id.clone();
    assert_eq!(&back, d, "{}", conversion.toml);
    let json = serde_json::to_string(conversion).expect("serializable");
    assert!(json.contains("\"report\""));
}

/// The panel titled `title`.
pub fn panel<'d>(d: &'d Dashboard, title: &str) -> &'d Panel {
    d.panels
        .iter()
        .find(|p| p.title == title)
        .unwrap_or_else(|| {
            panic!(
                "no panel {title:?} in {:?}",
                d.panels.iter().map(|p| &p.title).collect::<Vec<_>>()
            )
        })
}

/// The report note about `subject` in `notes`.
pub fn note<'n>(notes: &'n [vantage_import::Note], subject: &str) -> &'n str {
    notes
        .iter()
        .find(|n| n.panel == subject)
        .map(|n| n.message.as_str())
        .unwrap_or_else(|| panic!("no note about {subject:?} in {notes:?}"))
}

/// The expressions of a panel's queries.
pub fn exprs(panel: &Panel) -> Vec<String> {
    panel.all_queries().into_iter().map(|q| q.expr).collect()
}
