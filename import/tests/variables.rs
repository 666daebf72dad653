//! Each kind of Grafana variable.

mod common;

use common::{convert, note};
use vantage_api::dashboard::variables::{VariableQuery, parse_variable_query};
use vantage_api::dashboard::{Variable, VariableHide, VariableKind, VariableOption, VariableSort};

fn variable<'d>(d: &'d vantage_api::dashboard::Dashboard, name: &str) -> &'d Variable {
    d.variables
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no variable {name}"))
}

#[test]
fn query_variables_of_every_form() {
    let d = convert("variables.json").dashboard;
    let job = variable(&d, "job");
    assert_eq!(job.query.as_deref(), Some("label_values(job)"));
    assert_eq!(job.regex.as_deref(), Some("/^(api|web).*/i"));
    assert_eq!(job.sort, Some(VariableSort::NaturalAsc));
    assert!(job.multi && job.include_all);
    assert_eq!(job.all_value.as_deref(), Some(".+"));
    assert!(job.default.is_empty(), "All at export: no default");
    assert_eq!(job.hide, VariableHide::Label);
    let instance = variable(&d, "instance");
    assert_eq!(
        instance.query.as_deref(),
        Some(r#"label_values(up{job=~"$job"}, instance)"#)
    );
    assert_eq!(instance.sort, Some(VariableSort::NumericalAsc));
    assert_eq!(
        parse_variable_query(variable(&d, "label").query.as_deref().unwrap_or_default()),
        Some(VariableQuery::LabelNames { selector: None })
    );
    assert_eq!(variable(&d, "label").default, ["job"]);
    assert_eq!(
        variable(&d, "metric").query.as_deref(),
        Some("metrics(node_.*)")
    );
    assert_eq!(variable(&d, "metric").default, ["node_load1"]);
    assert_eq!(
        variable(&d, "top").query.as_deref(),
        Some("query_result(topk(3, sum by (job) (up)))")
    );
    assert_eq!(
        variable(&d, "series").query.as_deref(),
        Some(r#"query_result(up{job="api"})"#)
    );
}

#[test]
fn custom_interval_constant_and_textbox() {
    let c = convert("variables.json");
    let d = &c.dashboard;
    let env = variable(d, "env");
    assert_eq!(env.kind, VariableKind::Custom);
    assert_eq!(
        env.options,
        [
            VariableOption {
                text: "Production".into(),
                value: "prod".into()
            },
            VariableOption {
                text: "Staging".into(),
                value: "staging".into()
            },
            VariableOption::plain("dev"),
        ]
    );
    assert_eq!(env.default, ["prod"]);
    let window = variable(d, "window");
    assert_eq!(window.kind, VariableKind::Interval);
    assert!(window.auto);
    assert_eq!(window.auto_count, Some(30));
    assert_eq!(window.auto_min.as_deref(), Some("2m"));
    assert_eq!(window.default, ["auto"]);
    assert_eq!(window.options.len(), 4);
    let cluster = variable(d, "cluster");
    assert_eq!(cluster.kind, VariableKind::Constant);
    assert_eq!(cluster.default, ["prod-eu"]);
    assert_eq!(cluster.hide, VariableHide::Variable);
    let filter = variable(d, "filter");
    assert_eq!(filter.kind, VariableKind::Textbox);
    assert_eq!(filter.default, ["api.*"]);
}

#[test]
fn variables_that_cannot_be_asked_for() {
    let c = convert("variables.json");
    let stream = variable(&c.dashboard, "logstream");
    assert_eq!(stream.kind, VariableKind::Custom);
    assert_eq!(stream.options.len(), 2);
    assert!(note(&c.report.approximate, "variable $logstream").contains("reads loki"));
    assert!(note(&c.report.dropped, "variable $Filters").contains("adhoc"));
    assert!(c.dashboard.variables.iter().all(|v| v.name != "Filters"));
}

#[test]
fn names_vantage_refuses_are_renamed_everywhere() {
    let c = convert("variables.json");
    assert!(variable(&c.dashboard, "v_1st").kind == VariableKind::Custom);
    assert!(note(&c.report.approximate, "variable $1st").contains("renamed $v_1st"));
}
