//! Is this body a Prometheus API answer? Checked on its first bytes (before streaming
//! starts) and in full (before the stream is allowed to end cleanly or be cached).

use serde::Deserialize;
use serde::de::IgnoredAny;

/// What a complete answer turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    Success,
    Error,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Shape {
    status: String,
    #[serde(default)]
    data: Option<IgnoredAny>,
    #[serde(default)]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// What an answer must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The Prometheus API envelope.
    Prometheus,
    /// Any JSON value (the management API).
    Json,
}

impl Expect {
    /// See [`plausible_start`]; JSON may also open with `[`.
    pub fn plausible_start(self, prefix: &[u8]) -> Option<bool> {
        match self {
            Expect::Prometheus => plausible_start(prefix),
            Expect::Json => {
                let first = prefix.iter().find(|b| !b.is_ascii_whitespace())?;
                Some(matches!(first, b'{' | b'['))
            }
        }
    }

    /// See [`check`]; JSON answers are always [`AnswerKind::Success`] here, the HTTP
    /// status says the rest.
    pub fn check(self, body: &[u8]) -> Result<AnswerKind, String> {
        match self {
            Expect::Prometheus => check(body),
            Expect::Json => serde_json::from_slice::<IgnoredAny>(body)
                .map(|_| AnswerKind::Success)
                .map_err(|e| format!("the upstream answer is not JSON: {e}")),
        }
    }
}

/// Checks a whole body: JSON, an object with `status` `success` (and `data`) or `error`
/// (with `errorType` and `error`). The message says what is wrong, for the client.
pub fn check(body: &[u8]) -> Result<AnswerKind, String> {
    let shape: Shape = serde_json::from_slice(body)
        .map_err(|e| format!("the upstream answer is not a Prometheus API answer: {e}"))?;
    match shape.status.as_str() {
        "success" if shape.data.is_some() => Ok(AnswerKind::Success),
        "success" => Err(
            "the upstream answer is not a Prometheus API answer: success without data".to_owned(),
        ),
        "error" if shape.error_type.is_some() && shape.error.is_some() => Ok(AnswerKind::Error),
        "error" => Err(
            "the upstream answer is not a Prometheus API answer: error without errorType and error"
                .to_owned(),
        ),
        other => Err(format!(
            "the upstream answer is not a Prometheus API answer: status {other:?}"
        )),
    }
}

/// Whether the first bytes can start a Prometheus answer: optional whitespace, `{`,
/// optional whitespace, then `"`. `None` while there are not yet enough bytes to tell.
pub fn plausible_start(prefix: &[u8]) -> Option<bool> {
    let mut rest = prefix.iter().skip_while(|b| b.is_ascii_whitespace());
    match rest.next() {
        None => return None,
        Some(b'{') => {}
        Some(_) => return Some(false),
    }
    match rest.find(|b| !b.is_ascii_whitespace()) {
        None => None,
        Some(b'"') => Some(true),
        Some(_) => Some(false),
    }
}

/// The `result` of an instant-vector answer, for the seed's `/api/metrics/services`.
pub fn vector_label_values(body: &[u8], label: &str) -> Result<Vec<String>, String> {
    #[derive(Deserialize)]
    struct Answer {
        status: String,
        data: Option<Data>,
    }
    #[derive(Deserialize)]
    struct Data {
        result: Vec<Sample>,
    }
    #[derive(Deserialize)]
    struct Sample {
        #[serde(default)]
        metric: std::collections::BTreeMap<String, String>,
    }
    let answer: Answer = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if answer.status != "success" {
        return Err(format!("status {:?}", answer.status));
    }
    let data = answer.data.ok_or("success without data")?;
    let mut values: Vec<String> = data
        .result
        .into_iter()
        .map(|s| {
            s.metric
                .get(label)
                .cloned()
                .unwrap_or_else(|| "unknown".to_owned())
        })
        .collect();
    values.sort();
    values.dedup();
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_prometheus_and_victoriametrics_answers() {
        assert_eq!(
            check(br#"{"status":"success","data":{"resultType":"vector","result":[]}}"#),
            Ok(AnswerKind::Success)
        );
        assert_eq!(
            check(br#"{"status":"success","isPartial":false,"data":[]}"#),
            Ok(AnswerKind::Success)
        );
        assert_eq!(
            check(br#"{"status":"error","errorType":"422","error":"boom"}"#),
            Ok(AnswerKind::Error)
        );
    }

    #[test]
    fn refuses_what_is_not_an_answer() {
        for body in [
            &b"<html>bad gateway</html>"[..],
            b"",
            b"{}",
            b"[]",
            br#"{"status":"success"}"#,
            br#"{"status":"ok","data":1}"#,
            br#"{"status":"success","data":[1,2"#,
            br#"{"status":"error","error":"x"}"#,
        ] {
            assert!(check(body).is_err(), "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn start_checks() {
        assert_eq!(plausible_start(b"  "), None);
        assert_eq!(plausible_start(b"{"), None);
        assert_eq!(plausible_start(b" {\n \"status\""), Some(true));
        assert_eq!(plausible_start(b"<html>"), Some(false));
        assert_eq!(plausible_start(b"{1"), Some(false));
    }

    #[test]
    fn service_names() {
        let body = br#"{"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"service":"workers"},"value":[1,"1"]},
            {"metric":{"service":"orchestrator"},"value":[1,"1"]},
            {"metric":{},"value":[1,"1"]},
            {"metric":{"service":"workers"},"value":[1,"1"]}]}}"#;
        assert_eq!(
            vector_label_values(body, "service"),
            Ok(vec![
                "orchestrator".into(),
                "unknown".into(),
                "workers".into()
            ])
        );
        assert!(vector_label_values(b"nope", "service").is_err());
    }
}
