//! The dashboards the proxy serves: the built-in files (embedded in the binary) and any
//! from a configured directory, each checked at start — TOML syntax, the schema, and
//! every query's PromQL (panels, annotations, variable selectors) — with messages that
//! name the file, the place and the field. Grafana JSON files in the directory are
//! converted with `vantage_import`; one that cannot be is logged by name and left out.

use crate::params::promql;
use rust_embed::RustEmbed;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use vantage_api::dashboard::expand::{Intervals, panel_queries, sample_selections, substitute};
use vantage_api::dashboard::validate::validate;
use vantage_api::dashboard::{Dashboard, DashboardSummary, Origin};

#[derive(RustEmbed)]
#[folder = "../dashboards"]
struct BuiltIn;

/// Every dashboard by id, checked, with where it came from.
#[derive(Debug, Default)]
pub struct Catalog {
    by_id: BTreeMap<String, (Arc<Dashboard>, Origin)>,
}

/// A file of the dashboards directory, by kind.
enum DirFile {
    Toml(PathBuf),
    Grafana(PathBuf),
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl Catalog {
    /// Loads the built-in dashboards and those in `extra`: `*.toml` (a file there
    /// replaces a built-in one of the same name; every problem of every file is
    /// reported, and any stops the load) and Grafana `*.json`, converted (a file that
    /// cannot be converted or checked is logged by name and left out).
    pub fn load(extra: Option<&Path>) -> Result<Catalog, String> {
        let mut files: BTreeMap<String, (String, String, Origin)> = BTreeMap::new();
        for name in BuiltIn::iter().filter(|n| n.ends_with(".toml")) {
            let Some(file) = BuiltIn::get(&name) else {
                continue;
            };
            let text = String::from_utf8_lossy(&file.data).into_owned();
            files.insert(
                stem(&name),
                (format!("dashboards/{name}"), text, Origin::BuiltIn),
            );
        }
        let mut grafana = Vec::new();
        if let Some(dir) = extra {
            for entry in dir_files(dir)? {
                match entry {
                    DirFile::Toml(path) => {
                        let text = std::fs::read_to_string(&path)
                            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
                        let name = file_name(&path);
                        files.insert(
                            stem(&name),
                            (
                                path.display().to_string(),
                                text,
                                Origin::File { file: name },
                            ),
                        );
                    }
                    DirFile::Grafana(path) => grafana.push(path),
                }
            }
        }
        let mut by_id = BTreeMap::new();
        let mut problems = Vec::new();
        for (id, (place, text, origin)) in files {
            match parse(&id, &text) {
                Ok(dashboard) => {
                    by_id.insert(id, (Arc::new(dashboard), origin));
                }
                Err(found) => problems.extend(found.into_iter().map(|p| format!("{place}: {p}"))),
            }
        }
        if !problems.is_empty() {
            return Err(format!("invalid dashboards:\n  {}", problems.join("\n  ")));
        }
        for path in grafana {
            if let Some((dashboard, origin)) = load_grafana(&path, &by_id) {
                by_id.insert(dashboard.id.clone(), (Arc::new(dashboard), origin));
            }
        }
        Ok(Catalog { by_id })
    }

    pub fn get(&self, id: &str) -> Option<Arc<Dashboard>> {
        self.by_id.get(id).map(|(d, _)| d.clone())
    }

    /// The list, sorted by system then title.
    pub fn summaries(&self) -> Vec<DashboardSummary> {
        let mut list: Vec<DashboardSummary> = self
            .by_id
            .values()
            .map(|(d, origin)| DashboardSummary {
                origin: origin.clone(),
                ..DashboardSummary::from(d.as_ref())
            })
            .collect();
        list.sort_by(|a, b| (&a.system, &a.title).cmp(&(&b.system, &b.title)));
        list
    }
}

/// The directory's dashboard files, sorted by name so that the result does not depend
/// on the file system's order.
fn dir_files(dir: &Path) -> Result<Vec<DirFile>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("dashboards_dir: cannot read {}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .filter_map(|path| match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => Some(DirFile::Toml(path)),
            Some("json") => Some(DirFile::Grafana(path)),
            _ => None,
        })
        .collect())
}

/// Converts and checks one Grafana file; `None` (logged, naming the file) when it
/// cannot be served. An id already taken gets a numbered suffix.
fn load_grafana(
    path: &Path,
    taken: &BTreeMap<String, (Arc<Dashboard>, Origin)>,
) -> Option<(Dashboard, Origin)> {
    let file = file_name(path);
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            tracing::error!(file = %path.display(), error = %err, "Grafana dashboard not loaded: cannot read the file");
            return None;
        }
    };
    let conversion = match vantage_import::convert_grafana(&text, &file) {
        Ok(conversion) => conversion,
        Err(err) => {
            tracing::error!(file = %path.display(), error = %err, "Grafana dashboard not loaded");
            return None;
        }
    };
    let mut dashboard = conversion.dashboard;
    let wanted = dashboard.id.clone();
    let mut n = 2;
    while taken.contains_key(&dashboard.id) {
        dashboard.id = format!("{wanted}-{n}");
        n += 1;
    }
    if dashboard.id != wanted {
        tracing::warn!(file = %path.display(), id = %dashboard.id, taken = %wanted, "Grafana dashboard served under another id: its own is taken");
    }
    if let Err(problems) = check(&dashboard) {
        tracing::error!(file = %path.display(), problems = %problems.join("; "), "Grafana dashboard not loaded: the converted dashboard does not pass the checks");
        return None;
    }
    let report = &conversion.report;
    tracing::info!(
        file = %path.display(),
        id = %dashboard.id,
        carried = report.carried.len(),
        approximately = report.approximate.len(),
        dropped = report.dropped.len(),
        "Grafana dashboard converted"
    );
    Some((dashboard, Origin::Grafana { file }))
}

fn stem(name: &str) -> String {
    name.strip_suffix(".toml").unwrap_or(name).to_owned()
}

/// Parses and checks one dashboard file whose id is `id`.
pub fn parse(id: &str, text: &str) -> Result<Dashboard, Vec<String>> {
    let mut dashboard: Dashboard =
        toml::from_str(text).map_err(|e| vec![e.to_string().trim().replace('\n', " ")])?;
    dashboard.id = id.to_owned();
    check(&dashboard)?;
    Ok(dashboard)
}

/// Checks a dashboard as every served one is: the schema, then the PromQL as it will
/// run (variables at their default or a sample value, macros as durations) of every
/// panel, annotation and variable selector.
pub fn check(dashboard: &Dashboard) -> Result<(), Vec<String>> {
    let mut problems: Vec<String> = validate(dashboard)
        .iter()
        .map(ToString::to_string)
        .collect();
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
    // Panels are checked above with their place; annotations and variables here.
    problems.extend(
        vantage_import::query_problems(dashboard)
            .into_iter()
            .filter(|p| !p.starts_with("panel ")),
    );
    if problems.is_empty() {
        Ok(())
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

    const GRAFANA: &str = r#"{"title":"Node from Grafana","uid":"abc","schemaVersion":39,
        "panels":[{"type":"timeseries","title":"Up","gridPos":{"x":0,"y":0,"w":12,"h":8},
                   "targets":[{"expr":"up","refId":"A"}]}]}"#;

    #[test]
    fn grafana_files_are_converted_and_broken_ones_left_out() {
        let dir = std::env::temp_dir().join(format!("vantage-grafana-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("node.json"), GRAFANA).expect("write");
        std::fs::write(dir.join("copy.json"), GRAFANA).expect("write");
        std::fs::write(dir.join("broken.json"), "{\"title\": ").expect("write");
        std::fs::write(dir.join("list.json"), "[1, 2]").expect("write");
        let catalog = Catalog::load(Some(&dir)).unwrap_or_else(|e| panic!("{e}"));
        let _ = std::fs::remove_dir_all(&dir);
        let mine: Vec<DashboardSummary> = catalog
            .summaries()
            .into_iter()
            .filter(|s| matches!(s.origin, Origin::Grafana { .. }))
            .collect();
        let ids: Vec<&str> = mine.iter().map(|s| s.id.as_str()).collect();
        // Sorted by file name: copy.json first takes the id, node.json gets a suffix.
        assert_eq!(ids, ["node-from-grafana", "node-from-grafana-2"]);
        assert_eq!(
            mine[0].origin,
            Origin::Grafana {
                file: "copy.json".into()
            }
        );
        assert!(catalog.get("cost-attribution").is_some());
        assert!(
            catalog
                .summaries()
                .iter()
                .any(|s| s.origin == Origin::BuiltIn)
        );
    }

    #[test]
    fn annotations_and_variable_selectors_are_checked() {
        let text = r#"
title = "Checked"
panels = []
[[annotations]]
name = "deploys"
expr = "changes(x[5m]"
[[variables]]
name = "job"
query = "label_values(up{job=~}, job)"
"#;
        let problems = parse("checked", text).expect_err("bad PromQL");
        assert!(
            problems.iter().any(|p| p.starts_with("annotation deploys")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.starts_with("variable job")),
            "{problems:?}"
        );
    }
}
