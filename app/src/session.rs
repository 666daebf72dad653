//! Who the viewer is, as the proxy sees them, so the console only offers what they may do.

use crate::api_client::json;
use crate::fetch::use_fetch;
use leptos::prelude::*;

/// The viewer's identity and role (`viewer` or `admin`).
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub name: String,
    pub role: String,
    /// Whether this viewer may mint signed embed links.
    pub can_mint_embeds: bool,
}

/// The session from `/api/session`; `None` until known or when the proxy does not say.
pub fn use_session() -> Signal<Option<Session>> {
    let fetched = use_fetch(
        || Some(()),
        |(), signal| async move { json("/api/session", &signal).await },
    );
    Signal::derive(move || {
        fetched.data.get().map(|v| Session {
            name: v
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or_default()
                .to_owned(),
            role: v
                .get("role")
                .and_then(|n| n.as_str())
                .unwrap_or("viewer")
                .to_owned(),
            can_mint_embeds: v
                .get("can_mint_embeds")
                .and_then(|b| b.as_bool())
                .unwrap_or(false),
        })
    })
}
