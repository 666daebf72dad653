//! Files that are not Grafana dashboards, and files that are not JSON.

use vantage_import::{ImportError, convert_grafana};

fn reason(json: &str) -> String {
    match convert_grafana(json, "f.json") {
        Err(ImportError::NotADashboard { reason }) => reason,
        other => panic!("expected not a dashboard, got {other:?}"),
    }
}

#[test]
fn bad_json_names_line_and_column() {
    let err =
        convert_grafana("{\n  \"title\": \"x\",\n  \"panels\": [,]\n}", "f.json").expect_err("bad");
    match &err {
        ImportError::Json {
            line,
            column,
            message,
        } => {
            assert_eq!((*line, *column), (3, 14));
            assert!(message.contains("expected value"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("invalid JSON at line 3, column 14: ")
    );
}

#[test]
fn things_that_are_not_dashboards() {
    assert!(reason(r#"[{"uid":"a","title":"A","type":"dash-db"}]"#).contains("list of dashboards"));
    assert!(reason("[1, 2]").contains("JSON array"));
    assert!(reason("42").contains("single JSON value"));
    assert!(reason(r#"{"groups":[{"name":"g","rules":[]}]}"#).contains("rules"));
    assert!(
        reason(r#"{"kind":"Dashboard","metadata":{},"spec":{"panels":{"a":{}},"layouts":[]}}"#)
            .contains("Perses")
    );
    assert!(reason(r#"{"apiVersion":"dashboard.grafana.app/v2","kind":"Dashboard","spec":{"elements":{},"layout":{}}}"#).contains("v2"));
    assert!(reason(r#"{"title":"no panels"}"#).contains("neither `panels` nor `rows`"));
    let message = ImportError::NotADashboard { reason: "x".into() }.to_string();
    assert_eq!(message, "not a Grafana dashboard: x");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        convert_grafana(&deep, "deep.json"),
        Err(ImportError::Json { .. })
    ));
    let deep_object = format!(
        r#"{{"panels":[{}]}}"#,
        "{\"panels\":[".repeat(200) + &"]}".repeat(200)
    );
    let _ = convert_grafana(&deep_object, "deep.json");
}
