//! `[cost]` in the configuration: the counters of spend (with built-in defaults for the
//! seed systems), teams, budgets and units of work, checked at start with the key in
//! every message.

use serde::Deserialize;
use vantage_api::cost::{DIMENSIONS, SourceInfo, TeamInfo};

use super::calendar::Calendar;

/// A counter of spend in USD.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub metric: String,
    /// Labels that are dimensions, as in [`DIMENSIONS`].
    pub labels: Vec<String>,
    /// Extra matchers inside the selector's braces, e.g. `job="orchestrator"`.
    pub matchers: String,
}

impl Source {
    /// `metric{matchers}` with `extra` matchers added.
    pub fn selector(&self, extra: &[String]) -> String {
        let mut all: Vec<&str> = Vec::new();
        if !self.matchers.is_empty() {
            all.push(&self.matchers);
        }
        all.extend(extra.iter().map(String::as_str));
        format!("{}{{{}}}", self.metric, all.join(","))
    }

    /// Whether a team (repositories, users) can apply to this source's series.
    pub fn has_teams(&self) -> bool {
        self.labels.iter().any(|l| l == "repository" || l == "user")
    }

    pub fn info(&self) -> SourceInfo {
        SourceInfo {
            id: self.id.clone(),
            title: self.title.clone(),
            metric: self.metric.clone(),
            labels: self.labels.clone(),
        }
    }
}

/// What a budget covers: all spend, a team, or one source narrowed by matchers.
#[derive(Debug, Clone, PartialEq)]
pub enum Coverage {
    All,
    Team(String),
    Source { source: String, matchers: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    pub name: String,
    pub monthly_usd: f64,
    pub covers: Coverage,
    pub warning_percent: f64,
    pub critical_percent: f64,
}

/// Spend divided by a count of work done (`per` units of `counter`), optionally per
/// value of a label both metrics carry.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitOfWork {
    pub source: String,
    pub unit: String,
    pub counter: String,
    pub scale: f64,
    pub by: Option<String>,
}

/// Everything the cost pages and endpoints need.
#[derive(Debug, Clone)]
pub struct CostSettings {
    pub sources: Vec<Source>,
    pub teams: Vec<TeamInfo>,
    pub budgets: Vec<Budget>,
    pub units: Vec<UnitOfWork>,
    pub calendar: Calendar,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostFile {
    pub timezone: Option<String>,
    pub sources: Option<Vec<SourceFile>>,
    #[serde(default)]
    pub teams: Vec<TeamInfoFile>,
    #[serde(default)]
    pub budgets: Vec<BudgetFile>,
    pub units: Option<Vec<UnitFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFile {
    pub id: String,
    pub title: Option<String>,
    pub metric: String,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub matchers: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamInfoFile {
    pub name: String,
    #[serde(default)]
    pub repositories: Vec<String>,
    #[serde(default)]
    pub users: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetFile {
    pub name: String,
    pub monthly_usd: f64,
    pub source: Option<String>,
    pub matchers: Option<String>,
    pub team: Option<String>,
    pub warning_percent: Option<f64>,
    pub critical_percent: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitFile {
    pub source: String,
    pub unit: String,
    pub counter: String,
    pub scale: Option<f64>,
    pub by: Option<String>,
}

/// The seed systems' counters of spend.
pub fn default_sources() -> Vec<Source> {
    let source = |id: &str, title: &str, metric: &str, labels: &[&str]| Source {
        id: id.to_owned(),
        title: title.to_owned(),
        metric: metric.to_owned(),
        labels: labels.iter().map(|l| (*l).to_owned()).collect(),
        matchers: String::new(),
    };
    vec![
        source(
            "orchestrator",
            "AI Orchestrator",
            "orchestrator_cost_attribution",
            &["repository", "user"],
        ),
        source(
            "autobot",
            "AutoBot",
            "autobot_llm_cost_dollars_total",
            &["provider", "model", "cost_type"],
        ),
        source("aurea", "Aurea", "aurea_llm_cost_usd_total", &["model"]),
    ]
}

/// The seed systems' units of work.
pub fn default_units() -> Vec<UnitOfWork> {
    let unit = |source: &str, unit: &str, counter: &str, scale: f64, by: Option<&str>| UnitOfWork {
        source: source.to_owned(),
        unit: unit.to_owned(),
        counter: counter.to_owned(),
        scale,
        by: by.map(str::to_owned),
    };
    vec![
        unit(
            "orchestrator",
            "agent execution",
            "orchestrator_agent_execution_latency_count",
            1.0,
            None,
        ),
        unit(
            "autobot",
            "workflow execution",
            "autobot_workflow_executions_total",
            1.0,
            None,
        ),
        unit("aurea", "task", "aurea_tasks_total", 1.0, None),
        unit(
            "autobot",
            "1K tokens",
            "autobot_llm_tokens_total",
            1000.0,
            Some("model"),
        ),
        unit(
            "aurea",
            "1K tokens",
            "aurea_llm_tokens_total",
            1000.0,
            Some("model"),
        ),
    ]
}

fn is_metric_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// Checks that `matchers` is a valid list of label matchers (the text inside braces).
fn check_matchers(key: &str, matchers: &str) -> Result<(), String> {
    if matchers.trim().is_empty() {
        return Ok(());
    }
    let inner = matchers
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}');
    promql_parser::parser::parse(&format!("up{{{inner}}}"))
        .map(|_| ())
        .map_err(|e| format!("{key}: {matchers:?} are not label matchers: {e}"))
}

impl CostSettings {
    /// The defaults: the seed systems' sources and units, no teams or budgets, UTC.
    pub fn defaults() -> Self {
        Self {
            sources: default_sources(),
            teams: Vec::new(),
            budgets: Vec::new(),
            units: default_units(),
            calendar: Calendar::utc(),
        }
    }

    /// Checks `[cost]` and fills in the defaults.
    pub fn from_file(file: Option<CostFile>) -> Result<Self, String> {
        let Some(file) = file else {
            return Ok(Self::defaults());
        };
        let calendar = match &file.timezone {
            Some(name) => Calendar::new(name).map_err(|e| format!("cost.timezone: {e}"))?,
            None => Calendar::utc(),
        };
        let sources = match file.sources {
            None => default_sources(),
            Some(sources) => {
                let mut out = Vec::new();
                for (i, s) in sources.into_iter().enumerate() {
                    let key = format!("cost.sources[{i}]");
                    if s.id.is_empty() || out.iter().any(|o: &Source| o.id == s.id) {
                        return Err(format!("{key}.id: {:?} is empty or used twice", s.id));
                    }
                    if !is_metric_name(&s.metric) {
                        return Err(format!("{key}.metric: {:?} is not a metric name", s.metric));
                    }
                    for label in &s.labels {
                        if !DIMENSIONS.contains(&label.as_str())
                            || label == "source"
                            || label == "team"
                        {
                            return Err(format!(
                                "{key}.labels: {label:?} is not one of repository, user, provider, model, cost_type"
                            ));
                        }
                    }
                    check_matchers(&format!("{key}.matchers"), &s.matchers)?;
                    out.push(Source {
                        title: s.title.unwrap_or_else(|| s.id.clone()),
                        id: s.id,
                        metric: s.metric,
                        labels: s.labels,
                        matchers: s
                            .matchers
                            .trim()
                            .trim_start_matches('{')
                            .trim_end_matches('}')
                            .to_owned(),
                    });
                }
                out
            }
        };
        let mut teams: Vec<TeamInfo> = Vec::new();
        for (i, t) in file.teams.into_iter().enumerate() {
            if t.name.trim().is_empty() || teams.iter().any(|o| o.name == t.name) {
                return Err(format!(
                    "cost.teams[{i}].name: {:?} is empty or used twice",
                    t.name
                ));
            }
            if t.repositories.is_empty() && t.users.is_empty() {
                return Err(format!(
                    "cost.teams[{i}] ({}): give repositories or users",
                    t.name
                ));
            }
            teams.push(TeamInfo {
                name: t.name,
                repositories: t.repositories,
                users: t.users,
            });
        }
        let mut budgets: Vec<Budget> = Vec::new();
        for (i, b) in file.budgets.into_iter().enumerate() {
            let key = format!("cost.budgets[{i}]");
            if b.name.trim().is_empty() || budgets.iter().any(|o| o.name == b.name) {
                return Err(format!("{key}.name: {:?} is empty or used twice", b.name));
            }
            if !(b.monthly_usd.is_finite() && b.monthly_usd > 0.0) {
                return Err(format!("{key}.monthly_usd: must be more than 0"));
            }
            let covers = match (b.team, b.source, b.matchers) {
                (Some(team), None, None) => {
                    if !teams.iter().any(|t| t.name == team) {
                        return Err(format!("{key}.team: no team {team:?} in cost.teams"));
                    }
                    Coverage::Team(team)
                }
                (None, Some(source), matchers) => {
                    if !sources.iter().any(|s| s.id == source) {
                        return Err(format!("{key}.source: no source {source:?}"));
                    }
                    let matchers = matchers.unwrap_or_default();
                    check_matchers(&format!("{key}.matchers"), &matchers)?;
                    Coverage::Source {
                        source,
                        matchers: matchers
                            .trim()
                            .trim_start_matches('{')
                            .trim_end_matches('}')
                            .to_owned(),
                    }
                }
                (None, None, None) => Coverage::All,
                (None, None, Some(_)) => {
                    return Err(format!("{key}.matchers: needs a source"));
                }
                (Some(_), _, _) => {
                    return Err(format!(
                        "{key}: a budget covers a team or a source, not both"
                    ));
                }
            };
            let warning = b.warning_percent.unwrap_or(80.0);
            let critical = b.critical_percent.unwrap_or(100.0);
            if !(warning > 0.0 && critical >= warning && critical.is_finite()) {
                return Err(format!(
                    "{key}: warning_percent ({warning}) must be more than 0 and at most critical_percent ({critical})"
                ));
            }
            budgets.push(Budget {
                name: b.name,
                monthly_usd: b.monthly_usd,
                covers,
                warning_percent: warning,
                critical_percent: critical,
            });
        }
        let units = match file.units {
            None => default_units()
                .into_iter()
                .filter(|u| sources.iter().any(|s| s.id == u.source))
                .collect(),
            Some(units) => {
                let mut out = Vec::new();
                for (i, u) in units.into_iter().enumerate() {
                    let key = format!("cost.units[{i}]");
                    if !sources.iter().any(|s| s.id == u.source) {
                        return Err(format!("{key}.source: no source {:?}", u.source));
                    }
                    if !is_metric_name(&u.counter) {
                        return Err(format!(
                            "{key}.counter: {:?} is not a metric name",
                            u.counter
                        ));
                    }
                    let scale = u.scale.unwrap_or(1.0);
                    if !(scale.is_finite() && scale > 0.0) {
                        return Err(format!("{key}.scale: must be more than 0"));
                    }
                    out.push(UnitOfWork {
                        source: u.source,
                        unit: u.unit,
                        counter: u.counter,
                        scale,
                        by: u.by,
                    });
                }
                out
            }
        };
        Ok(Self {
            sources,
            teams,
            budgets,
            units,
            calendar,
        })
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<CostSettings, String> {
        let file: CostFile = toml::from_str(text).map_err(|e| e.to_string())?;
        CostSettings::from_file(Some(file))
    }

    #[test]
    fn defaults_cover_the_seed_systems() {
        let settings = CostSettings::from_file(None).expect("defaults");
        assert_eq!(settings.sources.len(), 3);
        assert_eq!(settings.units.len(), 5);
        assert_eq!(settings.calendar.name(), "UTC");
        assert_eq!(
            settings.sources[0].selector(&["user=\"a\"".to_owned()]),
            "orchestrator_cost_attribution{user=\"a\"}"
        );
    }

    #[test]
    fn budgets_and_teams_are_checked_with_their_key() {
        let ok = parse(
            r#"
            timezone = "Europe/Berlin"
            [[teams]]
            name = "payments"
            repositories = ["acme/payments-api"]
            [[budgets]]
            name = "payments"
            monthly_usd = 500
            team = "payments"
            [[budgets]]
            name = "api"
            monthly_usd = 50
            source = "orchestrator"
            matchers = '{repository="acme/api"}'
            warning_percent = 50
            "#,
        )
        .expect("valid");
        assert_eq!(ok.budgets[1].warning_percent, 50.0);
        assert_eq!(
            ok.budgets[1].covers,
            Coverage::Source {
                source: "orchestrator".into(),
                matchers: "repository=\"acme/api\"".into()
            }
        );
        let bad = |text: &str, key: &str| {
            let err = parse(text).expect_err("invalid");
            assert!(err.contains(key), "{err}");
        };
        bad(
            "[[budgets]]\nname = \"x\"\nmonthly_usd = 0",
            "budgets[0].monthly_usd",
        );
        bad(
            "[[budgets]]\nname = \"x\"\nmonthly_usd = 5\nteam = \"nope\"",
            "budgets[0].team",
        );
        bad(
            "[[budgets]]\nname = \"x\"\nmonthly_usd = 5\nsource = \"orchestrator\"\nmatchers = \"{repo=\"",
            "budgets[0].matchers",
        );
        bad("timezone = \"Nowhere/Else\"", "cost.timezone");
        bad("[[teams]]\nname = \"t\"", "cost.teams[0]");
        bad(
            "[[sources]]\nid = \"x\"\nmetric = \"bad name\"",
            "sources[0].metric",
        );
    }
}
