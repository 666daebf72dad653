//! `GET /api/session`: who the caller is, so the console offers only what they may do.

use crate::auth::Principal;
use axum::{Extension, Json};
use serde_json::{Value, json};

pub async fn session(Extension(principal): Extension<Principal>) -> Json<Value> {
    Json(json!({ "name": principal.name, "role": principal.role.as_str() }))
}
