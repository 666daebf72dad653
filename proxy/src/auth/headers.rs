//! Identity from headers set by an auth proxy in front (e.g. oauth2-proxy), believed
//! only when the connection comes from one of the configured source networks.

use super::{Principal, Role};
use crate::error::ProxyError;
use axum::http::{HeaderMap, HeaderName};
use ipnet::IpNet;
use std::net::SocketAddr;

/// Configured header names and trusted sources.
#[derive(Debug, Clone)]
pub struct HeaderAuth {
    pub user_header: HeaderName,
    /// Role header; when absent from a request, `default_role` applies.
    pub role_header: Option<HeaderName>,
    pub scope_header: Option<HeaderName>,
    pub default_role: Role,
    pub trusted_sources: Vec<IpNet>,
}

impl HeaderAuth {
    /// The principal the auth proxy vouches for.
    pub fn identify(
        &self,
        headers: &HeaderMap,
        peer: Option<SocketAddr>,
    ) -> Result<Principal, ProxyError> {
        let trusted = peer.is_some_and(|p| {
            let ip = p.ip().to_canonical();
            self.trusted_sources.iter().any(|net| net.contains(&ip))
        });
        if !trusted {
            return Err(ProxyError::Unauthorized(
                "identity headers are only accepted from the configured auth proxy addresses"
                    .to_owned(),
            ));
        }
        let text = |name: &HeaderName| -> Result<Option<String>, ProxyError> {
            match headers.get(name) {
                None => Ok(None),
                Some(v) => v.to_str().map(|s| Some(s.trim().to_owned())).map_err(|_| {
                    ProxyError::Unauthorized(format!("header {name} is not valid text"))
                }),
            }
        };
        let name = text(&self.user_header)?
            .filter(|n| !n.is_empty() && n.len() <= 256)
            .ok_or_else(|| {
                ProxyError::Unauthorized(format!("the auth proxy did not set {}", self.user_header))
            })?;
        let role = match self.role_header.as_ref().map(text).transpose()?.flatten() {
            None => self.default_role,
            Some(r) => Role::parse(&r)
                .ok_or_else(|| ProxyError::Forbidden(format!("unknown role {r:?}")))?,
        };
        let scope = self
            .scope_header
            .as_ref()
            .map(text)
            .transpose()?
            .flatten()
            .filter(|s| !s.is_empty());
        Ok(Principal {
            name,
            role,
            scope,
            embed: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn auth() -> HeaderAuth {
        HeaderAuth {
            user_header: HeaderName::from_static("x-forwarded-user"),
            role_header: Some(HeaderName::from_static("x-forwarded-role")),
            scope_header: None,
            default_role: Role::Viewer,
            trusted_sources: vec!["10.0.0.0/8".parse().expect("net")],
        }
    }

    fn peer(ip: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(ip.parse().expect("ip"), 40000))
    }

    #[test]
    fn trusted_source_with_user() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-user", HeaderValue::from_static("alice"));
        let p = auth().identify(&h, peer("10.1.2.3")).expect("trusted");
        assert_eq!((p.name.as_str(), p.role), ("alice", Role::Viewer));
        h.insert("x-forwarded-role", HeaderValue::from_static("admin"));
        assert_eq!(
            auth().identify(&h, peer("::ffff:10.1.2.3")).map(|p| p.role),
            Ok(Role::Admin)
        );
    }

    #[test]
    fn untrusted_source_or_missing_user() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-user", HeaderValue::from_static("alice"));
        assert!(matches!(
            auth().identify(&h, peer("192.0.2.1")),
            Err(ProxyError::Unauthorized(_))
        ));
        assert!(auth().identify(&h, None).is_err());
        assert!(
            auth()
                .identify(&HeaderMap::new(), peer("10.0.0.1"))
                .is_err()
        );
        h.insert("x-forwarded-role", HeaderValue::from_static("root"));
        assert!(matches!(
            auth().identify(&h, peer("10.0.0.1")),
            Err(ProxyError::Forbidden(_))
        ));
    }
}
