//! The query frontend's keys: splitting, the extent cache and where it is shared.

use std::time::Duration;
use vantage_api::duration::parse_prometheus_duration;

/// Where extents are kept besides this process's memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheBackend {
    /// Only in memory (one replica).
    Memory,
    /// Also in a Redis shared by every replica.
    Redis { url: String, timeout: Duration },
}

/// The checked frontend settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontendConfig {
    /// Range queries are split at multiples of this; zero turns splitting off.
    pub split_interval: Duration,
    /// Upstream sub-queries of one request at once.
    pub max_split_parallelism: usize,
    /// In-memory extents, bytes; 0 turns the extent cache off.
    pub extent_cache_max_bytes: u64,
    pub cache_backend: CacheBackend,
}

/// The frontend keys as given (flags or environment first, then the file).
#[derive(Debug, Default, Clone)]
pub struct FrontendKeys {
    pub split_interval: Option<String>,
    pub max_split_parallelism: Option<u64>,
    pub extent_cache_max_bytes: Option<u64>,
    pub cache_backend: Option<String>,
    pub redis_url: Option<String>,
    pub redis_timeout: Option<String>,
}

/// The first level's default with Redis behind it: small, the shared store holds the rest.
const FIRST_LEVEL_BYTES: u64 = 16 * 1024 * 1024;

impl FrontendConfig {
    pub fn load(keys: FrontendKeys) -> Result<FrontendConfig, String> {
        let split_interval = match keys.split_interval.as_deref() {
            None => Duration::from_secs(86_400),
            Some(text) => {
                let ms =
                    parse_prometheus_duration(text).map_err(|e| format!("split_interval: {e}"))?;
                if ms != 0 && ms < 1000 {
                    return Err(format!(
                        "split_interval: {text:?} must be 0 (off) or at least 1s"
                    ));
                }
                Duration::from_millis(ms)
            }
        };
        let max_split_parallelism = match keys.max_split_parallelism {
            None => 4,
            Some(n @ 1..=64) => n as usize,
            Some(n) => {
                return Err(format!(
                    "max_split_parallelism: {n} must be between 1 and 64"
                ));
            }
        };
        let cache_backend = match (keys.cache_backend.as_deref(), keys.redis_url) {
            (None | Some("memory"), None) => CacheBackend::Memory,
            (None | Some("memory"), Some(_)) => {
                return Err(
                    "redis_url: set, but cache_backend is \"memory\"; set cache_backend = \"redis\" to use it"
                        .to_owned(),
                );
            }
            (Some("redis"), None) => {
                return Err(
                    "redis_url: missing; cache_backend \"redis\" needs redis_url (e.g. redis://127.0.0.1:6379/0)"
                        .to_owned(),
                );
            }
            (Some("redis"), Some(url)) => {
                check_redis_url(&url)?;
                let timeout = match keys.redis_timeout.as_deref() {
                    None => Duration::from_millis(100),
                    Some(text) => {
                        let ms = parse_prometheus_duration(text)
                            .map_err(|e| format!("redis_timeout: {e}"))?;
                        if !(1..=10_000).contains(&ms) {
                            return Err(format!(
                                "redis_timeout: {text:?} must be longer than 0 and at most 10s"
                            ));
                        }
                        Duration::from_millis(ms)
                    }
                };
                CacheBackend::Redis { url, timeout }
            }
            (Some(other), _) => {
                return Err(format!(
                    "cache_backend: {other:?} must be \"memory\" or \"redis\""
                ));
            }
        };
        if keys.redis_timeout.is_some() && cache_backend == CacheBackend::Memory {
            return Err("redis_timeout: set, but cache_backend is \"memory\"".to_owned());
        }
        let extent_cache_max_bytes = keys.extent_cache_max_bytes.unwrap_or(match cache_backend {
            CacheBackend::Memory => 128 * 1024 * 1024,
            CacheBackend::Redis { .. } => FIRST_LEVEL_BYTES,
        });
        Ok(FrontendConfig {
            split_interval,
            max_split_parallelism,
            extent_cache_max_bytes,
            cache_backend,
        })
    }
}

/// `redis://[user:password@]host[:port][/db]` (TLS is not built in).
fn check_redis_url(url: &str) -> Result<(), String> {
    // Never echo the URL back: it may hold a password.
    let scheme = url.split("://").next().unwrap_or("");
    if scheme != "redis" {
        return Err(
            "redis_url: must start with redis:// (e.g. redis://127.0.0.1:6379/0)".to_owned(),
        );
    }
    redis::Client::open(url)
        .map(|_| ())
        .map_err(|e| format!("redis_url: not a Redis URL: {}", e.category()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(keys: FrontendKeys) -> Result<FrontendConfig, String> {
        FrontendConfig::load(keys)
    }

    #[test]
    fn defaults() {
        let config = load(FrontendKeys::default()).expect("valid");
        assert_eq!(config.split_interval, Duration::from_secs(86_400));
        assert_eq!(config.max_split_parallelism, 4);
        assert_eq!(config.cache_backend, CacheBackend::Memory);
        assert_eq!(config.extent_cache_max_bytes, 128 * 1024 * 1024);
        let off = load(FrontendKeys {
            split_interval: Some("0".into()),
            ..FrontendKeys::default()
        })
        .expect("valid");
        assert_eq!(off.split_interval, Duration::ZERO);
    }

    #[test]
    fn redis() {
        let config = load(FrontendKeys {
            cache_backend: Some("redis".into()),
            redis_url: Some("redis://127.0.0.1:6379/0".into()),
            ..FrontendKeys::default()
        })
        .expect("valid");
        assert_eq!(
            config.cache_backend,
            CacheBackend::Redis {
                url: "redis://127.0.0.1:6379/0".into(),
                timeout: Duration::from_millis(100)
            }
        );
        assert_eq!(config.extent_cache_max_bytes, FIRST_LEVEL_BYTES);
    }

    #[test]
    fn errors_name_the_key() {
        let cases = [
            (
                FrontendKeys {
                    split_interval: Some("1d2".into()),
                    ..FrontendKeys::default()
                },
                "split_interval:",
            ),
            (
                FrontendKeys {
                    split_interval: Some("500ms".into()),
                    ..FrontendKeys::default()
                },
                "split_interval:",
            ),
            (
                FrontendKeys {
                    max_split_parallelism: Some(0),
                    ..FrontendKeys::default()
                },
                "max_split_parallelism:",
            ),
            (
                FrontendKeys {
                    cache_backend: Some("memcached".into()),
                    ..FrontendKeys::default()
                },
                "cache_backend:",
            ),
            (
                FrontendKeys {
                    cache_backend: Some("redis".into()),
                    ..FrontendKeys::default()
                },
                "redis_url:",
            ),
            (
                FrontendKeys {
                    cache_backend: Some("redis".into()),
                    redis_url: Some("http://127.0.0.1:6379".into()),
                    ..FrontendKeys::default()
                },
                "redis_url:",
            ),
            (
                FrontendKeys {
                    redis_url: Some("redis://127.0.0.1".into()),
                    ..FrontendKeys::default()
                },
                "redis_url:",
            ),
            (
                FrontendKeys {
                    cache_backend: Some("redis".into()),
                    redis_url: Some("redis://127.0.0.1".into()),
                    redis_timeout: Some("1m".into()),
                    ..FrontendKeys::default()
                },
                "redis_timeout:",
            ),
        ];
        for (keys, key) in cases {
            let err = load(keys.clone()).expect_err(key);
            assert!(err.starts_with(key), "{keys:?}: {err}");
        }
        let err = load(FrontendKeys {
            cache_backend: Some("redis".into()),
            redis_url: Some("ftp://user:secret@host".into()),
            ..FrontendKeys::default()
        })
        .expect_err("bad scheme");
        assert!(!err.contains("secret"), "{err}");
    }
}
