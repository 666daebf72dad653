//! Embed tokens as standard JWTs (HS256), so a portal can mint them with any JWT
//! library: `base64url(header).base64url(claims).base64url(HMAC-SHA256)`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::BTreeMap;

type HmacSha256 = Hmac<Sha256>;

/// What an embed token grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The dashboard id.
    pub dashboard: String,
    /// One panel of it, or every panel when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel: Option<String>,
    /// Variable values the embed cannot change (`$__all` for All).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vars: BTreeMap<String, Vec<String>>,
    /// Expiry, unix seconds.
    pub exp: u64,
    /// Issued at, unix seconds.
    #[serde(default)]
    pub iat: u64,
}

/// The only header this proxy writes or accepts: no `alg` confusion is possible.
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// Signs `claims` with `secret`.
pub fn mint(claims: &Claims, secret: &[u8]) -> Result<String, String> {
    let body = serde_json::to_vec(claims).map_err(|e| format!("claims: {e}"))?;
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(HEADER),
        URL_SAFE_NO_PAD.encode(body)
    );
    let mut mac = HmacSha256::new_from_slice(secret).map_err(|e| format!("secret: {e}"))?;
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    Ok(format!("{signing_input}.{signature}"))
}

/// Why a token was refused, in words for the person looking at the iframe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Malformed,
    BadSignature,
    Expired,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::Malformed => "the embed link's token is not a valid signed token",
            Refusal::BadSignature => "the embed link's signature does not match: it was altered or signed with another secret",
            Refusal::Expired => "the embed link has expired; ask for a new one",
        })
    }
}

/// Checks the signature (in constant time) and the expiry at `now_s`.
pub fn verify(token: &str, secret: &[u8], now_s: u64) -> Result<Claims, Refusal> {
    let mut parts = token.trim().split('.');
    let (Some(header), Some(body), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Malformed);
    };
    let header = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| Refusal::Malformed)?;
    let header: serde_json::Value =
        serde_json::from_slice(&header).map_err(|_| Refusal::Malformed)?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return Err(Refusal::Malformed);
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| Refusal::Malformed)?;
    let mut mac = HmacSha256::new_from_slice(secret).map_err(|_| Refusal::BadSignature)?;
    mac.update(
        token
            .trim()
            .rsplit_once('.')
            .map_or("", |(input, _)| input)
            .as_bytes(),
    );
    mac.verify_slice(&signature)
        .map_err(|_| Refusal::BadSignature)?;
    let body = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| Refusal::Malformed)?;
    let claims: Claims = serde_json::from_slice(&body).map_err(|_| Refusal::Malformed)?;
    if claims.exp <= now_s {
        return Err(Refusal::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: u64) -> Claims {
        Claims {
            dashboard: "cost-attribution".into(),
            panel: Some("top-repositories".into()),
            vars: BTreeMap::from([("repository".to_owned(), vec!["acme/api".to_owned()])]),
            exp,
            iat: 1_000,
        }
    }

    #[test]
    fn round_trips() {
        let token = mint(&claims(2_000), b"secret").expect("mint");
        assert_eq!(verify(&token, b"secret", 1_500), Ok(claims(2_000)));
    }

    #[test]
    fn refuses_expired_tampered_and_foreign_tokens() {
        let token = mint(&claims(2_000), b"secret").expect("mint");
        assert_eq!(verify(&token, b"secret", 2_000), Err(Refusal::Expired));
        assert_eq!(
            verify(&token, b"other secret", 1_500),
            Err(Refusal::BadSignature)
        );
        // Swap in claims for another dashboard, keeping the old signature.
        let mut forged = claims(2_000);
        forged.dashboard = "orchestrator-security".into();
        let other = mint(&forged, b"attacker").expect("mint");
        let (head_body, _) = other.rsplit_once('.').expect("three parts");
        let (_, signature) = token.rsplit_once('.').expect("three parts");
        assert_eq!(
            verify(&format!("{head_body}.{signature}"), b"secret", 1_500),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            verify("not-a-token", b"secret", 1_500),
            Err(Refusal::Malformed)
        );
        // An unsigned token ("alg": "none") is refused outright.
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            token.split('.').nth(1).unwrap_or("")
        );
        assert_eq!(verify(&none, b"secret", 1_500), Err(Refusal::Malformed));
    }
}
