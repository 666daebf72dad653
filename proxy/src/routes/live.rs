//! `GET /api/live/{source}`: a WebSocket upgrade joins the source's hub; a plain GET
//! (the console's fallback where WebSockets are blocked) answers the hub's current
//! snapshot with an ETag, so pollers share the hub's one backend poll too.

use crate::auth::origin::check_origin;
use crate::error::ProxyError;
use crate::live::{Hub, LiveSource, viewer};
use crate::state::AppState;
use axum::extract::ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use vantage_api::live::PROTOCOL;

/// Largest message a viewer may send; the only one it has is `{"type":"resync"}`.
const MAX_VIEWER_MESSAGE: usize = 4 * 1024;
/// What each socket reserves for reading: a viewer sends next to nothing, and the
/// default (128 KiB per socket) was most of the proxy's memory with 1,000 viewers.
const READ_BUFFER: usize = 8 * 1024;

pub async fn live(
    State(state): State<AppState>,
    Path(source): Path<String>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ProxyError> {
    if state.backend.is_none() {
        return Err(ProxyError::NotFound(
            "no management backend is configured (--backend)".to_owned(),
        ));
    }
    let live = &state.live;
    match source.as_str() {
        crate::live::WebSocketSessions::NAME => {
            let hub = Arc::clone(&live.sessions);
            serve(&state, hub, &headers, upgrade).await
        }
        crate::live::Breakers::NAME => {
            let hub = Arc::clone(&live.breakers);
            serve(&state, hub, &headers, upgrade).await
        }
        _ => Err(ProxyError::NotFound(format!(
            "no live stream {:?}; there are {}",
            source.chars().take(100).collect::<String>(),
            vantage_api::live::SOURCES.join(", ")
        ))),
    }
}

async fn serve<S: LiveSource>(
    state: &AppState,
    hub: Arc<Hub<S>>,
    headers: &HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ProxyError> {
    match upgrade {
        Ok(upgrade) => {
            // Browsers let any page open a WebSocket anywhere, with the user's cookies
            // (an auth proxy in front may rely on them): only the console's own pages
            // and trusted portals may read the stream.
            check_origin(headers, &state.config.trusted_origins)?;
            let subscription = hub.join(state)?;
            let send_timeout = state.live.settings.send_timeout;
            let shutdown = state.live.stop_signal();
            Ok(upgrade
                .protocols([PROTOCOL])
                .max_message_size(MAX_VIEWER_MESSAGE)
                .max_frame_size(MAX_VIEWER_MESSAGE)
                .read_buffer_size(READ_BUFFER)
                .on_upgrade(move |socket| {
                    viewer::serve(socket, subscription, send_timeout, shutdown)
                }))
        }
        Err(rejection) if headers.contains_key(header::UPGRADE) => Err(ProxyError::BadData(
            format!("not a valid WebSocket upgrade: {}", rejection.body_text()),
        )),
        Err(_) => snapshot(state, hub, headers).await,
    }
}

/// The current snapshot over plain HTTP, or 304 when the caller has it already.
async fn snapshot<S: LiveSource>(
    state: &AppState,
    hub: Arc<Hub<S>>,
    headers: &HeaderMap,
) -> Result<Response, ProxyError> {
    hub.lease(state);
    let wait = state.config.upstream_timeout + state.live.settings.interval;
    if !hub.ready(wait).await {
        return Err(ProxyError::Timeout(
            "the backend has not answered the live poll yet".to_owned(),
        ));
    }
    let (etag, body) = hub
        .current()
        .ok_or_else(|| ProxyError::Unavailable("the live stream went idle".to_owned()))?;
    let etag =
        HeaderValue::from_str(&etag).map_err(|e| ProxyError::Internal(format!("etag: {e}")))?;
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|seen| seen == etag);
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            axum::body::Body::from(bytes::Bytes::from(body)),
        )
            .into_response()
    };
    let answer = response.headers_mut();
    answer.insert(header::ETAG, etag);
    answer.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}
