//! Static bearer tokens from the configuration file.

use super::{Principal, Role};
use crate::error::ProxyError;
use axum::http::{HeaderMap, header};
use subtle::ConstantTimeEq;

/// One configured token.
#[derive(Clone)]
pub struct TokenEntry {
    pub token: String,
    pub principal: Principal,
}

impl std::fmt::Debug for TokenEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("TokenEntry")
            .field("principal", &self.principal)
            .finish_non_exhaustive()
    }
}

/// Every configured token.
#[derive(Debug, Clone, Default)]
pub struct TokenTable {
    pub entries: Vec<TokenEntry>,
}

impl TokenTable {
    /// The principal of the request's bearer token.
    pub fn identify(&self, headers: &HeaderMap) -> Result<Principal, ProxyError> {
        let value = headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| ProxyError::Unauthorized("a bearer token is required".to_owned()))?;
        let token = value
            .to_str()
            .ok()
            .and_then(|v| {
                let (scheme, rest) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            })
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ProxyError::Unauthorized(
                    "the Authorization header must be `Bearer <token>`".to_owned(),
                )
            })?;
        // Compare against every entry in constant time so timing tells nothing.
        let mut found = None;
        for entry in &self.entries {
            if bool::from(entry.token.as_bytes().ct_eq(token.as_bytes())) {
                found = Some(&entry.principal);
            }
        }
        found
            .cloned()
            .ok_or_else(|| ProxyError::Unauthorized("unknown bearer token".to_owned()))
    }

    /// A table from `(token, name, role)` triples, for tests and configuration.
    pub fn from_entries(
        entries: impl IntoIterator<Item = (String, String, Role, Option<String>)>,
    ) -> TokenTable {
        TokenTable {
            entries: entries
                .into_iter()
                .map(|(token, name, role, scope)| TokenEntry {
                    token,
                    principal: Principal {
                        name,
                        role,
                        scope,
                        embed: None,
                    },
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn table() -> TokenTable {
        TokenTable::from_entries([
            ("s3cret-admin".into(), "ops".into(), Role::Admin, None),
            (
                "s3cret-view".into(),
                "wall".into(),
                Role::Viewer,
                Some("team-a".into()),
            ),
        ])
    }

    fn with(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn known_tokens_map_to_principals() {
        let p = table()
            .identify(&with("Bearer s3cret-view"))
            .expect("known");
        assert_eq!(p.name, "wall");
        assert_eq!(p.role, Role::Viewer);
        assert_eq!(p.scope.as_deref(), Some("team-a"));
        assert_eq!(
            table()
                .identify(&with("bearer s3cret-admin"))
                .map(|p| p.role),
            Ok(Role::Admin)
        );
    }

    #[test]
    fn anything_else_is_401() {
        for value in ["Bearer nope", "Basic czNjcmV0", "Bearer ", "s3cret-admin"] {
            let mut h = HeaderMap::new();
            h.insert(
                header::AUTHORIZATION,
                HeaderValue::from_str(value).expect("header"),
            );
            assert!(
                matches!(table().identify(&h), Err(ProxyError::Unauthorized(_))),
                "{value}"
            );
        }
        assert!(table().identify(&HeaderMap::new()).is_err());
    }

    #[test]
    fn debug_hides_the_secret() {
        assert!(!format!("{:?}", table()).contains("s3cret"));
    }
}
