//! The dashboards the proxy serves: the built-in files (embedded in the binary) and any
//! from a configured directory, each checked at start — TOML syntax, the schema, and
//! every query's PromQL — with messages that name the file, the place and the field.

use crate::params::promql;
use rust_embed::RustEmbed;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use vantage_api::dashboard::expand::{Intervals, panel_queries, sample_selections, substitute};
use vantage_api::dashboard::validate::validate;
use vantage_api::dashboard::{Dashboard, DashboardSummary};

#[derive(RustEmbed)]
#[folder = "../dashboards"]
struct BuiltIn;

/// Every dashboard by id, checked.
#[derive(Debug, Default)]
pub struct Catalog {
    by_id: BTreeMap<String, Arc<Dashboard>>,
}

impl Catalog {
    /// Loads the built-in dashboards and those in `extra` (a directory of `*.toml`; a
    /// file there replaces a built-in one of the same name). Every problem of every file
    /// is reported, not just the first.
    pub fn load(extra: Option<&Path>) -> Result<Catalog, String> {
        let mut files: BTreeMap<String, (String, String)> = BTreeMap::new();
        for name in BuiltIn::iter().filter(|n| n.ends_with(".toml")) {
            let Some(file) = BuiltIn::get(&name) else {
                continue;
            };
            let text = String::from_utf8_lossy(&file.data).into_owned();
            files.insert(stem(&name), (format!("dashboards/{name}"), text));
        }
        if let Some(dir) = extra {
            let entries = std::fs::read_dir(dir)
                .map_err(|e| format!("dashboards_dir: cannot read {}: {e}", dir.display()))?;
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "toml") {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    files.insert(stem(&name), (path.display().to_string(), text));
                }
            }
        }
        let mut by_id = BTreeMap::new();
        let mut problems = Vec::new();
        for (id, (place, text)) in files {
            match parse(&id, &text) {
                Ok(dashboard) => {
                    by_id.insert(id, Arc::new(dashboard));
                }
                Err(found) => problems.extend(found.into_iter().map(|p| format!("{place}: {p}"))),
            }
        }
        if problems.is_empty() {
            Ok(Catalog { by_id })
        } else {
            Err(format!("invalid dashboards:\n  {}", problems.join("\n  ")))
        }
    }

    pub fn get(&self, id: &str) -> Option<Arc<Dashboard>> {
        self.by_id.get(id).cloned()
    }

    /// The list, sorted by system then title.
    pub fn summaries(&self) -> Vec<DashboardSummary> {
        let mut list: Vec<DashboardSummary> = self
            .by_id
            .values()
            .map(|d| DashboardSummary::from(d.as_ref()))
            .collect();
        list.sort_by(|a, b| (&a.system, &a.title).cmp(&(&b.system, &b.title)));
        list
    }
}

fn stem(name: &str) -> String {
    name.strip_suffix(".toml").unwrap_or(name).to_owned()
}

/// Parses and checks one dashboard file whose id is `id`.
pub fn parse(id: &str, text: &str) -> Result<Dashboard, Vec<String>> {
    let mut dashboard: Dashboard =
        toml::from_str(text).map_err(|e| vec![e.to_string().trim().replace('\n', " ")])?;
    dashboard.id = id.to_owned();
    let mut problems: Vec<String> = validate(&dashboard)
        .iter()
        .map(ToString::to_string)
        .collect();
    // Check the PromQL as it will run: variables at their default (or "all"), macros
    // as durations.
    let all = sample_selections(&dashboard.variables);
    let intervals = Intervals {
        interval_s: 15.0,
        rate_interval_s: 60.0,
        range_s: 3_600.0,
    };
    for (i, panel) in dashboard.panels.iter().enumerate() {
        for query in panel_queries(panel) {
            let expr = substitute(&query.expr, &all, intervals);
            if let Err(message) = promql::parse(&expr) {
                problems.push(format!(
                    "panels[{i}] ({}): `query`: {message} in {:?}",
                    panel.id, query.expr
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(dashboard)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_dashboards_are_valid() {
        let catalog = Catalog::load(None).unwrap_or_else(|e| panic!("{e}"));
        assert!(catalog.get("cost-attribution").is_some());
        assert!(!catalog.summaries().is_empty());
    }

    #[test]
    fn errors_name_the_place_and_field() {
        let text = r#"
title = "Broken"
[[panels]]
id = "a"
title = "A"
type = "timeseries"
query = "sum(rate(x[5m])"
"#;
        let problems = parse("broken", text).expect_err("bad PromQL");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("panels[0] (a): `query`:"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn toml_errors_name_the_line_and_key() {
        let problems =
            parse("typo", "title = \"T\"\npanels = []\nrefesh = \"5s\"\n").expect_err("typo");
        assert!(problems[0].contains("refesh"), "{}", problems[0]);
        assert!(problems[0].contains("line 3"), "{}", problems[0]);
    }

    #[test]
    fn a_directory_file_with_problems_is_named() {
        let dir = std::env::temp_dir().join(format!("vantage-dashboards-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("mine.toml"), "title = \"Mine\"\n[[panels]]\nid = \"x\"\ntitle = \"X\"\ntype = \"stat\"\nwidth = 20\nquery = \"up\"\n")
            .expect("write");
        let err = Catalog::load(Some(&dir)).expect_err("width 20");
        assert!(
            err.contains("mine.toml: panels[0] (x): `width`: 20 is not between 1 and 12"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
