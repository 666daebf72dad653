//! The `agentName` of a circuit-breaker reset: decoded until nothing changes, then
//! checked against a strict alphabet, so nothing but one plain path segment can reach
//! the backend.

use crate::error::ProxyError;

/// Longest agent name accepted.
pub const MAX_AGENT_NAME: usize = 128;

/// The agent name after percent-decoding until nothing changes (so `%252F` cannot
/// smuggle a `/`): letters, digits, `.`, `_`, `-`, at most 128, not only dots.
pub fn agent_name(raw: &str) -> Result<String, ProxyError> {
    let bad = |why: &str| ProxyError::BadData(format!("invalid agent name: {why}"));
    let mut name = raw.to_owned();
    for _ in 0..8 {
        let decoded = percent_encoding::percent_decode_str(&name)
            .decode_utf8()
            .map_err(|_| bad("not valid UTF-8"))?
            .into_owned();
        if decoded == name {
            if name.is_empty() || name.len() > MAX_AGENT_NAME {
                return Err(bad("must be 1 to 128 characters"));
            }
            if !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            {
                return Err(bad("only letters, digits, '.', '_' and '-' are allowed"));
            }
            if name.bytes().all(|b| b == b'.') {
                return Err(bad("must not be only dots"));
            }
            return Ok(name);
        }
        name = decoded;
    }
    Err(bad("encoded too many times"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_names() {
        assert_eq!(agent_name("architect-v1"), Ok("architect-v1".to_owned()));
        assert_eq!(agent_name("pm_v1.2"), Ok("pm_v1.2".to_owned()));
        assert_eq!(agent_name("architect%2Dv1"), Ok("architect-v1".to_owned()));
        assert!(agent_name(&"a".repeat(128)).is_ok());
    }

    #[test]
    fn bad_names() {
        for raw in [
            "",
            "..",
            ".",
            "a%2Fb",
            "a%252Fb",
            "%25252e%25252e",
            "%2e%2e",
            "a b",
            "a%20b",
            "a?b",
            "a%3Fb",
            "%ff",
            "ü",
            "a%00",
            "a\\b",
        ] {
            assert!(agent_name(raw).is_err(), "{raw:?} accepted");
        }
        assert!(agent_name(&"a".repeat(129)).is_err());
    }
}
