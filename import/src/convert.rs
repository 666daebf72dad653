//! One Grafana dashboard model to one Vantage dashboard: variables first (queries use
//! them), then the panels in reading order, then the dashboard's settings; finally a
//! check that the result is valid, turning anything that is not into a placeholder.

use crate::Conversion;
use crate::datasource::Datasources;
use crate::ids::{UniqueIds, slug};
use crate::json::{array, text};
use crate::layout;
use crate::panels::{self, kind_name};
use crate::promql_check::Checker;
use crate::report::Report;
use crate::targets::Ctx;
use crate::{dashboard as settings, toml_file, variables};
use serde_json::Value;
use vantage_api::dashboard::validate::validate;
use vantage_api::dashboard::{Dashboard, Panel, PanelKind, TimeDefaults, VariableKind};

/// Converts `model` (found in `root`, which may hold `__inputs`).
pub fn dashboard(root: &Value, model: &Value, name_hint: &str) -> Conversion {
    let mut report = Report::default();
    let sources = Datasources::new(root, model);
    let vars = variables::convert(model, &sources, &mut report);
    let checker = Checker::new(&vars.variables);
    let ctx = Ctx {
        sources: &sources,
        uses: &vars.uses,
        checker: &checker,
    };
    let given_title = text(model, "title");
    let title = given_title.clone().unwrap_or_else(|| {
        let hint = name_hint.trim_end_matches(".json");
        if hint.trim().is_empty() {
            "Imported dashboard".to_owned()
        } else {
            hint.to_owned()
        }
    });
    let uid = text(model, "uid");
    let hint = name_hint.trim_end_matches(".json");
    let id = [given_title.as_deref(), uid.as_deref(), Some(hint)]
        .into_iter()
        .flatten()
        .map(slug)
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "imported".to_owned());

    let mut ids = UniqueIds::default();
    let mut converted = Vec::new();
    for placed in layout::place(model) {
        let kind = text(placed.panel.value(), "type").unwrap_or_default();
        let outcome = panels::convert(&placed, &ctx);
        let subject = if outcome.title.trim().is_empty() {
            format!("(untitled {kind})")
        } else {
            outcome.title.clone()
        };
        let Some(mut panel) = outcome.panel else {
            report.dropped(&subject, "an empty text panel (a spacer); left out");
            continue;
        };
        if panel.title.trim().is_empty() {
            panel.title = fallback_title(&panel, &kind);
        }
        panel.id = ids.take(&panel.title, kind_name(panel.kind));
        if let Some(why) = outcome.placeholder {
            report.dropped(&subject, why);
        } else {
            let mut how: Vec<String> = outcome.approximate;
            how.extend(outcome.dropped_parts);
            how.dedup();
            let became = if kind == outcome.became || kind.is_empty() {
                format!("as {}", outcome.became)
            } else {
                format!("{kind} as {}", outcome.became)
            };
            if how.is_empty() {
                report.carried(&subject, became);
            } else {
                report.approximate(&subject, format!("{became}: {}", how.join("; ")));
            }
        }
        converted.push(panel);
    }

    let mut dropped_links = Vec::new();
    let links = panels::links(array(model, "links"), &mut dropped_links);
    for why in dropped_links {
        report.dropped("dashboard", why);
    }
    let mut result = Dashboard {
        id,
        title: crate::macros::rewrite_text(&title, ctx.uses),
        description: text(model, "description").unwrap_or_default(),
        system: String::new(),
        tags: array(model, "tags")
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        refresh: settings::refresh(model, &mut report),
        timezone: settings::timezone(model),
        scrape_interval: 15.0,
        links,
        time: settings::time(model, &mut report),
        annotations: settings::annotations(model, &ctx, &mut report)
            .into_iter()
            .map(Into::into)
            .collect(),
        variables: vars.variables,
        panels: converted,
    };
    make_valid(&mut result, &mut report);
    let toml = toml_file::write(&result, model, &report);
    Conversion {
        dashboard: result,
        toml,
        report,
    }
}

/// A title for an untitled panel, from what it shows.
fn fallback_title(panel: &Panel, grafana_kind: &str) -> String {
    let from_query = panel
        .query
        .as_deref()
        .or_else(|| panel.queries.first().map(|q| q.expr.as_str()))
        .filter(|q| q.len() <= 60);
    match (panel.kind, from_query) {
        (PanelKind::Row, _) => "Row".to_owned(),
        (_, Some(query)) => query.to_owned(),
        _ => {
            let kind = if grafana_kind.is_empty() {
                kind_name(panel.kind)
            } else {
                grafana_kind
            };
            let mut name = kind.replace(['-', '_'], " ");
            if let Some(first) = name.get(..1) {
                name.replace_range(..1, &first.to_uppercase());
            }
            name
        }
    }
}

/// Whatever validation still finds (a case the conversion did not foresee) is made
/// valid: a panel becomes a placeholder, a variable a textbox, an annotation goes.
fn make_valid(d: &mut Dashboard, report: &mut Report) {
    for _ in 0..3 {
        let problems = validate(d);
        if problems.is_empty() {
            return;
        }
        let mut gone_annotations = Vec::new();
        for problem in problems {
            let index = problem
                .place
                .split_once('[')
                .and_then(|(_, rest)| rest.split_once(']'))
                .and_then(|(n, _)| n.parse::<usize>().ok());
            match (problem.place.split('[').next(), index) {
                (Some("panels"), Some(i)) => {
                    if let Some(panel) = d.panels.get_mut(i) {
                        // The panel was reported as carried; it is dropped instead.
                        report.carried.retain(|n| n.panel != panel.title);
                        report.approximate.retain(|n| n.panel != panel.title);
                        report.dropped(
                            &panel.title.clone(),
                            format!("{}: {}", problem.field, problem.message),
                        );
                        let keep = Panel {
                            id: panel.id.clone(),
                            title: panel.title.clone(),
                            width: panel.width,
                            height: panel.height,
                            kind: PanelKind::Placeholder,
                            content: Some(format!(
                                "could not be carried over: {}",
                                problem.message
                            )),
                            ..Panel::default()
                        };
                        *panel = keep;
                    }
                }
                (Some("variables"), Some(i)) => {
                    if let Some(v) = d.variables.get_mut(i) {
                        report
                            .approximate(&format!("variable ${}", v.name), problem.message.clone());
                        v.kind = VariableKind::Textbox;
                        v.query = None;
                        v.endpoint = None;
                        v.options.clear();
                        v.multi = false;
                        v.include_all = false;
                        v.default.truncate(1);
                    }
                }
                (Some("annotations"), Some(i)) => gone_annotations.push(i),
                _ => {
                    report.approximate("dashboard", problem.to_string());
                    d.refresh = None;
                    d.time = TimeDefaults::default();
                    d.links.clear();
                    d.timezone = None;
                }
            }
        }
        gone_annotations.sort_unstable();
        gone_annotations.dedup();
        for i in gone_annotations.into_iter().rev() {
            if i < d.annotations.len()
                && let Some(a) = d.annotations.remove(i).as_query()
            {
                report.dropped(&format!("annotation {}", a.name), "not valid");
            }
        }
    }
}
