//! `GET /api/session`: who the caller is, so the console offers only what they may do.

use crate::auth::Principal;
use crate::routes::embed_tokens::may_mint;
use crate::state::AppState;
use axum::extract::State;
use axum::{Extension, Json};
use serde_json::{Value, json};

pub async fn session(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Json<Value> {
    Json(json!({
        "name": principal.name,
        "role": principal.role.as_str(),
        "embed": principal.embed.is_some(),
        "can_mint_embeds": may_mint(&state, &principal),
    }))
}
