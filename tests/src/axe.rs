//! axe-core (the npm package the setup installs) run in the page: every violation of
//! its default rules (WCAG 2.1 A/AA and best practices), with the elements involved.

use crate::browser::Browser;
use serde_json::Value;
use std::fmt;

/// One rule broken on a page, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub rule: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    pub help: String,
    /// A CSS selector and axe's summary per failing element.
    pub nodes: Vec<(String, String)>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} ({}): {}", self.rule, self.impact, self.help)?;
        for (target, summary) in &self.nodes {
            writeln!(f, "    {target}: {}", summary.replace('\n', " "))?;
        }
        Ok(())
    }
}

fn axe_source() -> String {
    let path = crate::workspace_root().join("scripts/npm/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is missing ({e}): run scripts/setup.sh", path.display()))
}

/// Runs axe-core on the page as it is now.
pub async fn audit(browser: &Browser) -> Vec<Violation> {
    let loaded = browser
        .eval("return typeof window.axe !== 'undefined';", vec![])
        .await;
    if loaded != Value::Bool(true) {
        browser.eval(&axe_source(), vec![]).await;
    }
    let answer = browser
        .client
        .execute_async(
            r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
                .then(r => done(JSON.stringify(r.violations)))
                .catch(e => done(JSON.stringify({ error: String(e) })));
            "#,
            vec![],
        )
        .await
        .expect("axe runs");
    let text = answer.as_str().unwrap_or("[]");
    let parsed: Value = serde_json::from_str(text).expect("axe answers JSON");
    if let Some(error) = parsed.get("error") {
        panic!("axe-core failed: {error}");
    }
    parsed
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| Violation {
            rule: v["id"].as_str().unwrap_or_default().to_owned(),
            impact: v["impact"].as_str().unwrap_or("minor").to_owned(),
            help: v["help"].as_str().unwrap_or_default().to_owned(),
            nodes: v["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|n| {
                    let target = n["target"]
                        .as_array()
                        .map(|t| {
                            t.iter()
                                .filter_map(Value::as_str)
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .unwrap_or_default();
                    let summary = n["failureSummary"].as_str().unwrap_or_default().to_owned();
                    (target, summary)
                })
                .collect(),
        })
        .collect()
}
