//! Every built-in dashboard file still parses, validates, and writes back as TOML that
//! parses to the same dashboard (the spec skips defaults when it writes).

use std::path::Path;
use vantage_api::dashboard::Dashboard;
use vantage_api::dashboard::validate::validate;

fn files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dashboards");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("dashboards dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let id = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (id, std::fs::read_to_string(&p).expect("read"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn built_in_files_validate_and_round_trip() {
    let files = files();
    assert!(files.len() > 10);
    for (id, text) in files {
        let mut dashboard: Dashboard =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
        dashboard.id = id.clone();
        assert_eq!(validate(&dashboard), vec![], "{id}");

        let mut file = dashboard.clone();
        file.id.clear();
        let written = toml::to_string(&file).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(
            !written.contains("scrape_interval = 15.0"),
            "{id}: default written"
        );
        let mut back: Dashboard =
            toml::from_str(&written).unwrap_or_else(|e| panic!("{id}: {e}\n{written}"));
        back.id = id.clone();
        assert_eq!(back, dashboard, "{id}");

        let json = serde_json::to_string(&dashboard).expect("json");
        let back: Dashboard = serde_json::from_str(&json).expect("json back");
        assert_eq!(back, dashboard, "{id}");
    }
}
