//! The cross-site request check for state-changing calls: a browser's `Origin` must be
//! the proxy's own (the authority in `Host`) or one of the configured trusted origins.

use crate::error::ProxyError;
use axum::http::{HeaderMap, header};

/// Refuses a request that a browser sent from another site.
pub fn check_origin(headers: &HeaderMap, trusted_origins: &[String]) -> Result<(), ProxyError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        // Browsers always send Origin on a POST; without one this is not a browser,
        // unless Fetch Metadata says the request crossed sites.
        let cross = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.eq_ignore_ascii_case("cross-site") || v.eq_ignore_ascii_case("same-site")
            });
        return if cross {
            Err(ProxyError::Forbidden(
                "cross-site request refused".to_owned(),
            ))
        } else {
            Ok(())
        };
    };
    let origin = origin.to_str().unwrap_or("").trim_end_matches('/');
    if trusted_origins
        .iter()
        .any(|t| t.trim_end_matches('/').eq_ignore_ascii_case(origin))
    {
        return Ok(());
    }
    let own = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    match (authority, own) {
        (Some(authority), Some(host))
            if !authority.is_empty() && authority.eq_ignore_ascii_case(host) =>
        {
            Ok(())
        }
        _ => Err(ProxyError::Forbidden(format!(
            "origin {origin:?} is not this console's origin nor a trusted origin (trusted_origins)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn own_origin_and_trusted_origins_pass() {
        let trusted = vec!["https://portal.example.com".to_owned()];
        assert!(
            check_origin(
                &headers(&[
                    ("host", "127.0.0.1:8080"),
                    ("origin", "http://127.0.0.1:8080")
                ]),
                &trusted
            )
            .is_ok()
        );
        assert!(
            check_origin(
                &headers(&[("host", "x:1"), ("origin", "https://portal.example.com")]),
                &trusted
            )
            .is_ok()
        );
        assert!(check_origin(&headers(&[("host", "x:1")]), &trusted).is_ok());
    }

    #[test]
    fn other_origins_fail() {
        for origin in [
            "http://evil.example",
            "null",
            "http://127.0.0.1:8081",
            "file://",
            "127.0.0.1:8080",
        ] {
            let mut h = headers(&[("host", "127.0.0.1:8080")]);
            h.insert("origin", HeaderValue::from_static(origin));
            assert!(
                matches!(check_origin(&h, &[]), Err(ProxyError::Forbidden(_))),
                "{origin}"
            );
        }
        assert!(
            check_origin(
                &headers(&[("host", "x"), ("sec-fetch-site", "cross-site")]),
                &[]
            )
            .is_err()
        );
    }
}
