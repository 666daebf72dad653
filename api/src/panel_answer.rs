//! The answer of `GET /api/dashboards/{id}/panels/{panel}/data`: the proxy expands the
//! panel's queries itself (this is how embeds get data without being able to run any
//! other query) and answers each query's Prometheus `data` with its legend template.

use crate::matrix::QueryData;
use serde::Deserialize;

/// One query's result in a panel answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PanelAnswer {
    /// The query's legend template (`{{repository}}`), if the panel gives one.
    #[serde(default)]
    pub legend: Option<String>,
    /// The upstream's `data`, unchanged.
    pub data: QueryData,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Envelope;

    #[test]
    fn decodes_a_panel_answer() {
        let body = r#"{"status":"success","data":[
            {"legend":"{{repository}}","data":{"resultType":"vector","result":[{"metric":{"repository":"a"},"value":[1,"2"]}]}},
            {"data":{"resultType":"matrix","result":[]}}
        ]}"#;
        let answers = serde_json::from_str::<Envelope<Vec<PanelAnswer>>>(body)
            .expect("decodes")
            .into_result()
            .expect("success");
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].legend.as_deref(), Some("{{repository}}"));
        assert_eq!(answers[1].legend, None);
    }
}
