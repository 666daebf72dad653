//! Who is calling: every API request gets a [`Principal`] from the configured mode
//! (none, static bearer tokens, or identity headers set by a trusted auth proxy), or a
//! 401. Routes then ask for a role with [`Principal::require`].

pub mod headers;
pub mod origin;
pub mod tokens;

use crate::error::ProxyError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::net::SocketAddr;

/// What a caller may do. Ordered: an admin may do everything a viewer may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads dashboards, queries and management state.
    Viewer,
    /// Also changes things (resets a circuit breaker).
    Admin,
}

impl Role {
    /// Parses `viewer` or `admin` (any case).
    pub fn parse(text: &str) -> Option<Role> {
        match text.trim().to_ascii_lowercase().as_str() {
            "viewer" => Some(Role::Viewer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Admin => "admin",
        }
    }
}

/// An authenticated caller. Later features (dashboards, embed tokens, the live hub)
/// read it from the request extensions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Principal {
    /// Who: the token's name, the auth proxy's user, or `anonymous`.
    pub name: String,
    pub role: Role,
    /// An optional restriction (e.g. a team or a single embedded panel) that routes
    /// may enforce; `None` means unrestricted.
    pub scope: Option<String>,
    /// Set for a signed embed link: read-only, and only what the link grants.
    pub embed: Option<std::sync::Arc<crate::embed::EmbedScope>>,
}

impl Principal {
    /// The caller when authentication is off.
    pub fn anonymous() -> Principal {
        Principal {
            name: "anonymous".to_owned(),
            role: Role::Admin,
            scope: None,
            embed: None,
        }
    }

    /// The identity a valid embed token grants: a viewer limited to the token's scope.
    pub fn embedded(scope: crate::embed::EmbedScope) -> Principal {
        let what = match &scope.panel {
            Some(panel) => format!("embed:{}/{panel}", scope.dashboard),
            None => format!("embed:{}", scope.dashboard),
        };
        Principal {
            name: what,
            role: Role::Viewer,
            scope: None,
            embed: Some(std::sync::Arc::new(scope)),
        }
    }

    /// A 403 unless the principal has at least `role`.
    pub fn require(&self, role: Role) -> Result<(), ProxyError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ProxyError::Forbidden(format!(
                "this needs the {} role; {:?} has {}",
                role.as_str(),
                self.name,
                self.role.as_str()
            )))
        }
    }
}

/// How callers are identified; chosen in the configuration (`auth.mode`).
#[derive(Debug, Clone)]
pub enum AuthMode {
    /// Everyone is [`Principal::anonymous`]; only allowed on a loopback address.
    None,
    /// `Authorization: Bearer <token>` against the configured tokens.
    Tokens(tokens::TokenTable),
    /// Identity headers from an auth proxy at a trusted address.
    Headers(headers::HeaderAuth),
}

impl AuthMode {
    /// The caller of a request, or why there is none.
    pub fn identify(
        &self,
        headers: &axum::http::HeaderMap,
        peer: Option<SocketAddr>,
    ) -> Result<Principal, ProxyError> {
        match self {
            AuthMode::None => Ok(Principal::anonymous()),
            AuthMode::Tokens(table) => table.identify(headers),
            AuthMode::Headers(auth) => auth.identify(headers, peer),
        }
    }
}

/// Middleware: identifies the caller, applies the per-principal rate limit, and puts
/// the [`Principal`] into the request extensions.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    // A live stream's WebSocket cannot carry headers: its credentials come as
    // subprotocols, on that route only.
    let offered = if request.uri().path().starts_with("/api/live/") {
        crate::live::credentials::from_protocols(request.headers())
    } else {
        Default::default()
    };
    let embed = request
        .headers()
        .get(crate::embed::HEADER)
        .or(offered.embed.as_ref());
    let identified = match (embed, offered.authorization) {
        // A signed embed link stands in for any login, but grants only its scope.
        (Some(token), _) => embed_principal(&state, token, request.method(), request.uri().path()),
        (None, Some(bearer))
            if !request
                .headers()
                .contains_key(axum::http::header::AUTHORIZATION) =>
        {
            let mut headers = request.headers().clone();
            headers.insert(axum::http::header::AUTHORIZATION, bearer);
            state.auth.identify(&headers, peer)
        }
        (None, _) => state.auth.identify(request.headers(), peer),
    };
    let principal = match identified {
        Ok(principal) => principal,
        Err(err) => return err.into_response(),
    };
    if let Err(err) = state.rate_limiter.check(&principal, peer) {
        state.metrics.rate_limited.inc();
        return err.into_response();
    }
    request.extensions_mut().insert(principal);
    next.run(request).await
}

/// The principal of an embed token, if it is valid and the request within its scope.
fn embed_principal(
    state: &AppState,
    token: &axum::http::HeaderValue,
    method: &axum::http::Method,
    path: &str,
) -> Result<Principal, ProxyError> {
    let secret = state.config.embed.secret.as_deref().ok_or_else(|| {
        ProxyError::Unauthorized("signed embed links are not enabled on this proxy".to_owned())
    })?;
    let token = token
        .to_str()
        .map_err(|_| ProxyError::Unauthorized("the embed token is not text".to_owned()))?;
    let now = crate::params::time::now_s() as u64;
    let claims = crate::embed::verify(token, secret, now)
        .map_err(|r| ProxyError::Unauthorized(r.to_string()))?;
    let scope = crate::embed::EmbedScope::from(claims);
    scope.allows_in(&state.dashboards, method, path)?;
    Ok(Principal::embedded(scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        let viewer = Principal {
            name: "v".into(),
            role: Role::Viewer,
            scope: None,
            embed: None,
        };
        assert!(viewer.require(Role::Viewer).is_ok());
        assert!(matches!(
            viewer.require(Role::Admin),
            Err(ProxyError::Forbidden(_))
        ));
        assert!(Principal::anonymous().require(Role::Admin).is_ok());
        assert_eq!(Role::parse(" Admin "), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }
}
