//! Credentials a browser puts in `Sec-WebSocket-Protocol`, because a WebSocket cannot
//! carry an `Authorization` or `X-Vantage-Embed` header. Accepted on `/api/live/` only;
//! a header, unlike a query parameter, stays out of access logs and browser history.

use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use vantage_api::live::{BEARER_PROTOCOL_PREFIX, EMBED_PROTOCOL_PREFIX};

/// What the offered subprotocols carry.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ProtocolCredentials {
    /// A signed embed token, as the `X-Vantage-Embed` header would hold it.
    pub embed: Option<HeaderValue>,
    /// An `Authorization: Bearer ...` value.
    pub authorization: Option<HeaderValue>,
}

/// The credentials in `headers`' `Sec-WebSocket-Protocol` values.
pub fn from_protocols(headers: &HeaderMap) -> ProtocolCredentials {
    let mut found = ProtocolCredentials::default();
    let offered = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim);
    for protocol in offered {
        if let Some(token) = protocol.strip_prefix(EMBED_PROTOCOL_PREFIX) {
            found.embed = HeaderValue::from_str(token).ok();
        } else if let Some(encoded) = protocol.strip_prefix(BEARER_PROTOCOL_PREFIX) {
            found.authorization = URL_SAFE_NO_PAD
                .decode(encoded)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .and_then(|token| HeaderValue::from_str(&format!("Bearer {token}")).ok());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_embed_and_bearer_tokens_among_the_protocols() {
        let mut headers = HeaderMap::new();
        let bearer = URL_SAFE_NO_PAD.encode("a token with spaces");
        headers.insert(
            header::SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_str(&format!(
                "vantage.live.v1, vantage.embed.aaa.bbb.ccc, vantage.bearer.{bearer}"
            ))
            .expect("header"),
        );
        let found = from_protocols(&headers);
        assert_eq!(
            found.embed.as_ref().map(|v| v.as_bytes()),
            Some(&b"aaa.bbb.ccc"[..])
        );
        assert_eq!(
            found.authorization.as_ref().map(|v| v.as_bytes()),
            Some(&b"Bearer a token with spaces"[..])
        );
        assert_eq!(
            from_protocols(&HeaderMap::new()),
            ProtocolCredentials::default()
        );
    }
}
