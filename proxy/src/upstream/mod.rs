//! Talking to the configured upstream and backend: building requests (only to the
//! configured base URLs, with the configured credentials and nothing of the caller's),
//! checking answers, sharing one upstream request among identical callers.

pub mod answer;
pub mod client;
pub mod flight;
pub mod inflight;

pub use client::Upstream;

use crate::error::ProxyError;
use reqwest::Url;
use std::time::Duration;

/// How a call is sent upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpstreamMethod {
    /// Parameters in the URL query.
    Get,
    /// Parameters as an `application/x-www-form-urlencoded` body (no URL length limits).
    PostForm,
}

/// One validated call to the upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamCall {
    /// Path segments below the base URL, each sent percent-encoded as one segment.
    pub segments: Vec<String>,
    pub method: UpstreamMethod,
    /// Known parameters only, values verbatim.
    pub params: Vec<(String, String)>,
    /// The answer is about the settled past and may be kept in the results cache.
    pub cacheable: bool,
    /// Identical calls in flight may share one exchange (false for changes).
    pub shared: bool,
}

impl UpstreamCall {
    /// Identical calls have identical keys; parameter order does not matter.
    pub fn key(&self) -> String {
        let mut params = self.params.clone();
        params.sort();
        let mut key = self.segments.join("/");
        key.push('?');
        key.push_str(
            &form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&params)
                .finish(),
        );
        key
    }

    /// The full URL below `base`.
    pub fn url(&self, base: &Url) -> Result<Url, ProxyError> {
        segment_url(base, &self.segments)
    }
}

/// `base` with `segments` appended, each percent-encoded; `.` and `..` are refused so a
/// segment can never climb out of the base path.
pub fn segment_url<S: AsRef<str>>(base: &Url, segments: &[S]) -> Result<Url, ProxyError> {
    let mut url = base.clone();
    {
        let mut path = url
            .path_segments_mut()
            .map_err(|()| ProxyError::Internal(format!("base URL {base} cannot take a path")))?;
        path.pop_if_empty();
        for segment in segments {
            let segment = segment.as_ref();
            if segment.is_empty() || segment == "." || segment == ".." {
                return Err(ProxyError::BadData(format!(
                    "{segment:?} is not a valid path segment"
                )));
            }
            path.push(segment);
        }
    }
    Ok(url)
}

/// Credentials the proxy adds to its own requests (the caller's are never forwarded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Credentials {
    #[default]
    None,
    Bearer(String),
    Basic {
        username: String,
        password: String,
    },
}

impl Credentials {
    /// Adds the credentials to a request.
    pub fn apply(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Credentials::None => request,
            Credentials::Bearer(token) => request.bearer_auth(token),
            Credentials::Basic { username, password } => {
                request.basic_auth(username, Some(password))
            }
        }
    }
}

/// Why an upstream call produced no usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Nothing listens, or the host is unreachable.
    Connect,
    /// No complete answer within the configured timeout.
    Timeout,
    /// The connection was reset or closed before the answer was complete.
    Closed,
    /// The bytes that came back are not HTTP.
    NotHttp,
    /// HTTP, but not a Prometheus API answer; the message says how.
    NotPrometheus(String),
    /// The answer is larger than the configured limit (the size, if announced).
    TooLarge(Option<u64>),
    /// Every caller went away; the upstream request was cancelled.
    Abandoned,
}

impl Fault {
    /// Label value for the proxy's own metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::Connect => "connect",
            Fault::Timeout => "timeout",
            Fault::Closed => "closed",
            Fault::NotHttp => "not_http",
            Fault::NotPrometheus(_) => "bad_answer",
            Fault::TooLarge(_) => "too_large",
            Fault::Abandoned => "cancelled",
        }
    }

    /// The answer to the client; `what` is `upstream` or `backend`.
    pub fn to_error(&self, what: &str, limits: &FetchLimits) -> ProxyError {
        match self {
            Fault::Connect => {
                ProxyError::Unavailable(format!("{what} is unavailable: cannot connect"))
            }
            Fault::Timeout => ProxyError::Timeout(format!(
                "{what} did not answer within {} (upstream_timeout)",
                vantage_api::duration::format_duration_ms(limits.timeout.as_millis() as u64)
            )),
            Fault::Closed => ProxyError::Unavailable(format!(
                "{what} closed the connection before its answer was complete"
            )),
            Fault::NotHttp => ProxyError::BadUpstreamAnswer(format!(
                "{what} answered with something that is not HTTP"
            )),
            Fault::NotPrometheus(message) => {
                ProxyError::BadUpstreamAnswer(message.replace("upstream", what))
            }
            Fault::TooLarge(size) => ProxyError::BadUpstreamAnswer(match size {
                Some(size) => format!(
                    "the {what} answer of {size} bytes is larger than the configured limit of {} bytes (max_response_bytes)",
                    limits.max_bytes
                ),
                None => format!(
                    "the {what} answer is larger than the configured limit of {} bytes (max_response_bytes)",
                    limits.max_bytes
                ),
            }),
            Fault::Abandoned => {
                ProxyError::Unavailable(format!("the {what} request was cancelled"))
            }
        }
    }

    /// Classifies a transport error from reqwest.
    pub fn from_reqwest(err: &reqwest::Error) -> Fault {
        if err.is_timeout() {
            return Fault::Timeout;
        }
        if err.is_connect() {
            return Fault::Connect;
        }
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(e) = source {
            if let Some(h) = e.downcast_ref::<hyper::Error>()
                && h.is_parse()
            {
                return Fault::NotHttp;
            }
            source = e.source();
        }
        Fault::Closed
    }
}

/// Size and time bounds of one upstream answer.
#[derive(Debug, Clone, Copy)]
pub struct FetchLimits {
    /// Largest answer accepted, bytes.
    pub max_bytes: usize,
    /// Answers up to this size are checked whole before the first byte goes out;
    /// larger ones are streamed as they arrive.
    pub stream_after: usize,
    /// The whole exchange must finish within this.
    pub timeout: Duration,
    /// What the body must be.
    pub expect: answer::Expect,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_parameter_order() {
        let a = UpstreamCall {
            segments: vec!["api".into(), "v1".into(), "query".into()],
            method: UpstreamMethod::PostForm,
            params: vec![("query".into(), "up".into()), ("time".into(), "1".into())],
            cacheable: false,
            shared: true,
        };
        let mut b = a.clone();
        b.params.reverse();
        assert_eq!(a.key(), b.key());
        assert_eq!(a.key(), "api/v1/query?query=up&time=1");
    }

    #[test]
    fn segments_are_encoded_and_cannot_escape() {
        let base = Url::parse("http://127.0.0.1:9090/prom/").expect("url");
        let url = segment_url(&base, &["api", "a/b?c#d"]).expect("encoded");
        assert_eq!(url.as_str(), "http://127.0.0.1:9090/prom/api/a%2Fb%3Fc%23d");
        assert!(segment_url(&base, &[".."]).is_err());
        assert!(segment_url(&base, &["."]).is_err());
    }
}
