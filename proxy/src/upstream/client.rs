//! One configured server (the Prometheus-compatible upstream or the management
//! backend): its base URL, credentials, limits and the exchanges in flight to it.

use super::answer::Expect;
use super::inflight::InFlight;
use super::{Credentials, FetchLimits, UpstreamCall, UpstreamMethod};
use crate::error::ProxyError;
use reqwest::Url;
use std::time::Duration;

/// A server the proxy may talk to. The proxy talks to no other host.
pub struct Upstream {
    /// `upstream` or `backend`, for messages and metrics.
    pub name: &'static str,
    pub base: Url,
    pub credentials: Credentials,
    pub http: reqwest::Client,
    pub limits: FetchLimits,
    pub in_flight: InFlight,
}

/// Largest answer that is checked whole before the first byte is sent; larger answers
/// are streamed.
pub const STREAM_AFTER: usize = 64 * 1024;

impl Upstream {
    pub fn new(
        name: &'static str,
        base: Url,
        credentials: Credentials,
        http: reqwest::Client,
        max_bytes: usize,
        timeout: Duration,
        expect: Expect,
    ) -> Upstream {
        Upstream {
            name,
            base,
            credentials,
            http,
            limits: FetchLimits {
                max_bytes,
                stream_after: STREAM_AFTER.min(max_bytes),
                timeout,
                expect,
            },
            in_flight: InFlight::default(),
        }
    }

    /// The request for a call: a fresh request (nothing of the caller's is copied), the
    /// configured credentials, parameters in the query or a form body.
    pub fn request(&self, call: &UpstreamCall) -> Result<reqwest::RequestBuilder, ProxyError> {
        let url = call.url(&self.base)?;
        let request = match call.method {
            UpstreamMethod::Get => self.http.get(url).query(&call.params),
            UpstreamMethod::PostForm => self.http.post(url).form(&call.params),
        };
        Ok(self
            .credentials
            .apply(request)
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(self.limits.timeout))
    }

    /// A GET of a fixed path below the base URL (health checks).
    pub fn get_path(
        &self,
        segments: &[&str],
        timeout: Duration,
    ) -> Result<reqwest::RequestBuilder, ProxyError> {
        let url = super::segment_url(&self.base, segments)?;
        Ok(self.credentials.apply(self.http.get(url)).timeout(timeout))
    }
}
