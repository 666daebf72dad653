//! How the live hubs run: the polling interval (`[live]` in the configuration file,
//! `--live-interval`), the heartbeat and the bounds that keep a hub's memory fixed.

use serde::Deserialize;
use std::time::Duration;
use vantage_api::duration::parse_prometheus_duration;

/// The `[live]` table of the configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveFile {
    /// How often a hub polls the backend while someone watches (default `2s`).
    pub interval: Option<String>,
    /// The longest silence on a viewer's connection (default `15s`).
    pub heartbeat: Option<String>,
    /// Viewers per stream (default 10000); more are refused with 503.
    pub max_viewers: Option<u64>,
}

/// The checked settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveSettings {
    /// One backend poll per interval for all viewers together.
    pub interval: Duration,
    /// A heartbeat goes out when nothing else did for this long.
    pub heartbeat: Duration,
    /// Connections per stream.
    pub max_viewers: usize,
    /// Messages a viewer may be behind before it is resynced with a snapshot.
    pub buffer: usize,
    /// A viewer whose socket takes longer than this to accept one message is dropped.
    pub send_timeout: Duration,
}

impl Default for LiveSettings {
    fn default() -> Self {
        LiveSettings {
            interval: Duration::from_secs(2),
            heartbeat: Duration::from_secs(15),
            max_viewers: 10_000,
            buffer: 16,
            send_timeout: Duration::from_secs(10),
        }
    }
}

impl LiveSettings {
    /// The settings from the flag (which wins) and the file, with messages naming the key.
    pub fn load(flag_interval: Option<String>, file: LiveFile) -> Result<LiveSettings, String> {
        let defaults = LiveSettings::default();
        let interval = match flag_interval.or(file.interval) {
            Some(text) => positive("live.interval", &text, 100)?,
            None => defaults.interval,
        };
        let heartbeat = match file.heartbeat {
            Some(text) => positive("live.heartbeat", &text, 1_000)?,
            None => defaults.heartbeat,
        };
        let max_viewers = match file.max_viewers {
            Some(0) => return Err("live.max_viewers: must be at least 1".to_owned()),
            Some(n) => {
                usize::try_from(n).map_err(|_| format!("live.max_viewers: {n} is too large"))?
            }
            None => defaults.max_viewers,
        };
        Ok(LiveSettings {
            interval,
            heartbeat,
            max_viewers,
            ..defaults
        })
    }
}

fn positive(key: &str, text: &str, min_ms: u64) -> Result<Duration, String> {
    let ms = parse_prometheus_duration(text).map_err(|e| format!("{key}: {e}"))?;
    if ms < min_ms {
        return Err(format!("{key}: {text:?} is shorter than {min_ms}ms"));
    }
    Ok(Duration::from_millis(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_flags_and_bad_values() {
        assert_eq!(
            LiveSettings::load(None, LiveFile::default()),
            Ok(LiveSettings::default())
        );
        let file = LiveFile {
            interval: Some("5s".into()),
            heartbeat: Some("30s".into()),
            max_viewers: Some(3),
        };
        let settings = LiveSettings::load(Some("1s".into()), file).expect("valid");
        assert_eq!(settings.interval, Duration::from_secs(1), "the flag wins");
        assert_eq!(settings.heartbeat, Duration::from_secs(30));
        assert_eq!(settings.max_viewers, 3);
        for (flag, file, key) in [
            (Some("10ms"), LiveFile::default(), "live.interval:"),
            (Some("soon"), LiveFile::default(), "live.interval:"),
            (
                None,
                LiveFile {
                    max_viewers: Some(0),
                    ..LiveFile::default()
                },
                "live.max_viewers:",
            ),
        ] {
            let err = LiveSettings::load(flag.map(str::to_owned), file).expect_err(key);
            assert!(err.starts_with(key), "{err}");
        }
    }
}
