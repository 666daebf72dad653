//! Request parameters as the Prometheus HTTP API reads them (URL query plus an
//! `application/x-www-form-urlencoded` body), checked strictly: a parameter given both
//! in the URL and in the body, a single-valued parameter given twice, invalid UTF-8 or a
//! body of another type is refused rather than guessed at.

pub mod agent;
pub mod parse_error;
pub mod prometheus;
pub mod promql;
pub mod time;

use crate::error::ProxyError;
use axum::body::Body;
use axum::http::{HeaderMap, header};
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// Decoded parameters in the order they came, URL first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses the URL query and a form body; refuses a name present in both.
    pub fn parse(
        query: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Params, ProxyError> {
        let from_url = decode_form(query.unwrap_or("").as_bytes())?;
        let from_body = if body.is_empty() {
            Vec::new()
        } else if content_type.is_some_and(is_form) {
            decode_form(body)?
        } else {
            return Err(ProxyError::BadData(format!(
                "unsupported Content-Type {:?}: send parameters in the URL or as an application/x-www-form-urlencoded body",
                content_type.unwrap_or("")
            )));
        };
        if let Some((name, _)) = from_body
            .iter()
            .find(|(name, _)| from_url.iter().any(|(n, _)| n == name))
        {
            return Err(ProxyError::BadData(format!(
                "invalid parameter {name:?}: given both in the URL and in the request body"
            )));
        }
        let mut pairs = from_url;
        pairs.extend(from_body);
        Ok(Params { pairs })
    }

    /// Reads the body (at most `limit` bytes) and parses everything.
    pub async fn from_request(
        query: Option<&str>,
        headers: &HeaderMap,
        body: Body,
        limit: usize,
    ) -> Result<Params, ProxyError> {
        let bytes = read_body(headers, body, limit).await?;
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        Params::parse(query, content_type, &bytes)
    }

    /// Builds parameters directly, e.g. for a fixed upstream call.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Params {
        Params { pairs }
    }

    /// A copy with one more parameter.
    pub fn with(&self, name: &str, value: &str) -> Params {
        let mut pairs = self.pairs.clone();
        pairs.push((name.to_owned(), value.to_owned()));
        Params { pairs }
    }

    /// The value of a single-valued parameter; refuses it given more than once.
    pub fn one(&self, name: &str) -> Result<Option<&str>, ProxyError> {
        let mut found = None;
        for (n, value) in &self.pairs {
            if n == name {
                if found.is_some() {
                    return Err(ProxyError::BadData(format!(
                        "invalid parameter {name:?}: given more than once"
                    )));
                }
                found = Some(value.as_str());
            }
        }
        Ok(found)
    }

    /// Every parameter in the order it came.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Every value of a repeatable parameter such as `match[]`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Names present that are not in `known`, for the log.
    pub fn unknown<'a>(&'a self, known: &'a [&str]) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(move |n| !known.contains(n))
    }
}

fn is_form(content_type: &str) -> bool {
    content_type.split(';').next().is_some_and(|t| {
        t.trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}

/// `application/x-www-form-urlencoded` decoding that refuses invalid UTF-8 instead of
/// replacing it (a replaced byte would change the query behind the caller's back).
fn decode_form(input: &[u8]) -> Result<Vec<(String, String)>, ProxyError> {
    let mut pairs = Vec::new();
    for part in input.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match part.iter().position(|b| *b == b'=') {
            Some(at) => (&part[..at], &part[at + 1..]),
            None => (part, &b""[..]),
        };
        let name = decode_component(name)
            .ok_or_else(|| ProxyError::BadData("a parameter name is not valid UTF-8".to_owned()))?;
        let value = decode_component(value).ok_or_else(|| {
            ProxyError::BadData(format!("invalid parameter {name:?}: not valid UTF-8"))
        })?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

fn decode_component(raw: &[u8]) -> Option<String> {
    let plus_as_space: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&plus_as_space).collect();
    String::from_utf8(bytes).ok()
}

/// Reads a request body of at most `limit` bytes; a larger one (declared or sent) is a
/// 413 naming the setting.
pub async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<bytes::Bytes, ProxyError> {
    let too_large = || {
        ProxyError::PayloadTooLarge(format!(
            "request body larger than the configured limit of {limit} bytes (max_request_body)"
        ))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(err) => {
            tracing::debug!(error = %err, "reading request body");
            Err(ProxyError::BadData(
                "the request body could not be read in time".to_owned(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: Option<&str> = Some("application/x-www-form-urlencoded; charset=utf-8");

    #[test]
    fn url_and_body_are_merged() {
        let p = Params::parse(Some("query=up&match%5B%5D=a&match[]=b+c"), FORM, b"start=1")
            .expect("valid");
        assert_eq!(p.one("query"), Ok(Some("up")));
        assert_eq!(p.one("start"), Ok(Some("1")));
        assert_eq!(p.all("match[]").collect::<Vec<_>>(), ["a", "b c"]);
        assert!(Params::parse(Some("match[]=a"), FORM, b"match[]=b").is_err());
    }

    #[test]
    fn same_name_in_url_and_body_is_refused() {
        let err = Params::parse(Some("query=up"), FORM, b"query=down").expect_err("ambiguous");
        assert!(matches!(err, ProxyError::BadData(m) if m.contains("both")));
    }

    #[test]
    fn repeated_single_value_is_refused() {
        let p = Params::parse(Some("query=a&query=b"), None, b"").expect("parses");
        assert!(p.one("query").is_err());
    }

    #[test]
    fn invalid_utf8_and_other_bodies_are_refused() {
        assert!(Params::parse(Some("query=%ff"), None, b"").is_err());
        assert!(Params::parse(None, Some("application/json"), b"{}").is_err());
        assert!(Params::parse(None, None, b"query=up").is_err());
        assert!(Params::parse(None, Some("application/json"), b"").is_ok());
    }

    #[test]
    fn names_without_values_are_empty() {
        let p = Params::parse(Some("a&b=&&c=1"), None, b"").expect("parses");
        assert_eq!(p.one("a"), Ok(Some("")));
        assert_eq!(p.one("b"), Ok(Some("")));
        assert_eq!(p.one("c"), Ok(Some("1")));
    }
}
