//! The built-in dashboards' queries parse as the proxy checks them (variables at their
//! sample values, macros as durations), through the same check the converter uses.

use vantage_api::dashboard::Dashboard;

#[test]
fn built_in_dashboards_parse() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../dashboards");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("dashboards").flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let d: Dashboard = toml::from_str(&text).expect("parses");
        assert_eq!(
            vantage_import::query_problems(&d),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        seen += 1;
    }
    assert!(seen > 10);
}
