//! The `[embed]` section: the secret that signs embed links, the portal origins that may
//! frame the console, and the longest lifetime of a minted link.

use serde::Deserialize;
use std::time::Duration;
use vantage_api::duration::parse_prometheus_duration;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbedFile {
    pub secret: Option<String>,
    pub frame_ancestors: Option<Vec<String>>,
    pub max_ttl: Option<String>,
}

/// The checked embed settings.
#[derive(Clone)]
pub struct EmbedConfig {
    /// Signs and checks embed tokens; without it signed links are off.
    pub secret: Option<Vec<u8>>,
    /// Origins allowed to put the console in an iframe, besides the proxy's own.
    pub frame_ancestors: Vec<String>,
    /// The longest lifetime a minted link may have.
    pub max_ttl: Duration,
}

impl std::fmt::Debug for EmbedConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("EmbedConfig")
            .field("secret", &self.secret.as_ref().map(|_| "<set>"))
            .field("frame_ancestors", &self.frame_ancestors)
            .field("max_ttl", &self.max_ttl)
            .finish()
    }
}

/// The shortest secret accepted: HMAC-SHA256 wants at least 32 bytes of key.
pub const MIN_SECRET_BYTES: usize = 32;

impl EmbedConfig {
    /// Merges the flags (`secret`, comma-separated `ancestors`) over the file.
    pub fn load(
        secret: Option<String>,
        ancestors: Option<String>,
        file: EmbedFile,
    ) -> Result<EmbedConfig, String> {
        let secret = secret.or(file.secret).filter(|s| !s.is_empty());
        if let Some(s) = &secret
            && s.len() < MIN_SECRET_BYTES
        {
            return Err(format!(
                "embed.secret: must be at least {MIN_SECRET_BYTES} bytes long"
            ));
        }
        let frame_ancestors: Vec<String> = match ancestors {
            Some(list) => list
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            None => file.frame_ancestors.unwrap_or_default(),
        };
        for origin in &frame_ancestors {
            let url = reqwest::Url::parse(origin)
                .map_err(|e| format!("embed.frame_ancestors: {origin:?} is not an origin: {e}"))?;
            if !matches!(url.scheme(), "http" | "https")
                || url.origin().ascii_serialization() != origin.trim_end_matches('/')
            {
                return Err(format!(
                    "embed.frame_ancestors: {origin:?} must be a bare http(s) origin such as https://portal.example.com"
                ));
            }
        }
        let max_ttl = match file.max_ttl {
            Some(text) => Duration::from_millis(
                parse_prometheus_duration(&text).map_err(|e| format!("embed.max_ttl: {e}"))?,
            ),
            None => Duration::from_secs(30 * 86_400),
        };
        Ok(EmbedConfig {
            secret: secret.map(String::into_bytes),
            frame_ancestors,
            max_ttl,
        })
    }

    /// The `Content-Security-Policy` value: who may frame the console.
    pub fn csp(&self) -> String {
        let mut value = "frame-ancestors 'self'".to_owned();
        for origin in &self.frame_ancestors {
            value.push(' ');
            value.push_str(origin.trim_end_matches('/'));
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_secret_and_origins() {
        let long = "x".repeat(32);
        assert!(EmbedConfig::load(Some("short".into()), None, EmbedFile::default()).is_err());
        let ok = EmbedConfig::load(
            Some(long.clone()),
            Some("http://127.0.0.1:9000, https://portal.example.com".into()),
            EmbedFile::default(),
        )
        .expect("valid");
        assert_eq!(
            ok.csp(),
            "frame-ancestors 'self' http://127.0.0.1:9000 https://portal.example.com"
        );
        let err = EmbedConfig::load(
            Some(long),
            Some("http://x.example/path".into()),
            EmbedFile::default(),
        )
        .expect_err("path");
        assert!(err.starts_with("embed.frame_ancestors:"), "{err}");
        assert_eq!(
            EmbedConfig::load(None, None, EmbedFile::default())
                .expect("default")
                .csp(),
            "frame-ancestors 'self'"
        );
    }
}
