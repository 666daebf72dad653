//! `POST /api/embed-tokens`: mints a signed embed link for the share dialog. Admins only,
//! same-origin only, and only when the proxy has an embed secret.

use crate::auth::origin::check_origin;
use crate::auth::{Principal, Role};
use crate::embed::minting::{Grant, mint_grant};
use crate::error::ProxyError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MintBody {
    dashboard: String,
    #[serde(default)]
    panel: Option<String>,
    #[serde(default = "default_expiry")]
    expires_in: String,
    #[serde(default)]
    variables: BTreeMap<String, Vec<String>>,
}

fn default_expiry() -> String {
    "7d".to_owned()
}

/// Whether `principal` may mint embed links on this proxy.
pub fn may_mint(state: &AppState, principal: &Principal) -> bool {
    state.config.embed.secret.is_some()
        && principal.embed.is_none()
        && principal.role >= Role::Admin
}

pub async fn mint(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    body: Result<Json<MintBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, ProxyError> {
    principal.require(Role::Admin)?;
    check_origin(&headers, &state.config.trusted_origins)?;
    let secret = state.config.embed.secret.as_deref().ok_or_else(|| {
        ProxyError::NotFound(
            "signed embed links are not enabled: set embed.secret (VANTAGE_EMBED_SECRET)"
                .to_owned(),
        )
    })?;
    let Json(body) = body.map_err(|e| ProxyError::BadData(e.body_text()))?;
    let grant = Grant {
        dashboard: body.dashboard,
        panel: body.panel,
        vars: body.variables,
        expires_in: body.expires_in,
    };
    let now = crate::params::time::now_s() as u64;
    let (token, expires_at) = mint_grant(
        &grant,
        &state.dashboards,
        secret,
        state.config.embed.max_ttl,
        now,
    )
    .map_err(ProxyError::BadData)?;
    tracing::info!(principal = %principal.name, dashboard = %grant.dashboard, panel = ?grant.panel, "embed link minted");
    Ok(Json(json!({ "token": token, "expires_at": expires_at })))
}
