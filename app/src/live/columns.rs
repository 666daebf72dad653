//! The columns of the live tables: seed 000's session fields (connection age, latency
//! in ms, delivery rate as a percentage) and the circuit breakers' states.

use vantage_api::management::{CircuitBreakerEntry, CircuitBreakerState, WebSocketConnection};
use vantage_api::prom_time::parse_prometheus_time;
use vantage_components::live_table::{CountBy, LiveColumn};

/// Unix ms of an RFC 3339 time, if it is one.
fn time_ms(text: &str) -> Option<f64> {
    parse_prometheus_time(text).ok().map(|s| s * 1000.0)
}

/// An age like `45s`, `12m 05s`, `3h 02m`, `2d 4h`.
pub fn age(since_ms: f64, now_ms: f64) -> String {
    let s = ((now_ms - since_ms) / 1000.0).max(0.0) as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m {:02}s", s / 60, s % 60),
        3_600..86_400 => format!("{}h {:02}m", s / 3_600, s % 3_600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3_600),
    }
}

fn ms(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0} ms")
    } else {
        format!("{value:.1} ms")
    }
}

fn percent(rate: f64) -> String {
    format!("{:.2} %", rate * 100.0)
}

fn count(n: u64) -> String {
    n.to_string()
}

/// Matches a session by its ids (the filter box).
pub fn session_matches(row: &WebSocketConnection, needle: &str) -> bool {
    [&row.session_id, &row.user_id, &row.run_id]
        .iter()
        .any(|field| field.to_lowercase().contains(needle))
}

/// Sessions counted by user.
pub fn sessions_by_user() -> CountBy<WebSocketConnection> {
    CountBy {
        label: "user",
        of: |r| r.user_id.as_str(),
    }
}

/// Seed 000's session fields.
pub fn session_columns() -> Vec<LiveColumn<WebSocketConnection>> {
    type R = WebSocketConnection;
    vec![
        LiveColumn {
            header: "Session",
            width: "8.5em",
            numeric: false,
            text: |r: &R, _| r.session_id.clone(),
            compare: |a: &R, b: &R| a.session_id.cmp(&b.session_id),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "User",
            width: "7em",
            numeric: false,
            text: |r: &R, _| r.user_id.clone(),
            compare: |a: &R, b: &R| a.user_id.cmp(&b.user_id),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "Run",
            width: "10em",
            numeric: false,
            text: |r: &R, _| r.run_id.clone(),
            compare: |a: &R, b: &R| a.run_id.cmp(&b.run_id),
            title: Some(|r: &R| r.run_id.clone()),
            uses_now: false,
        },
        LiveColumn {
            header: "Age",
            width: "5.5em",
            numeric: true,
            text: |r: &R, now| {
                time_ms(&r.connected_at).map_or_else(|| r.connected_at.clone(), |t| age(t, now))
            },
            // Longest-connected first when ascending by age: the earliest start.
            compare: |a: &R, b: &R| b.connected_at.cmp(&a.connected_at),
            title: Some(|r: &R| format!("connected at {}", r.connected_at)),
            uses_now: true,
        },
        LiveColumn {
            header: "Sent",
            width: "5em",
            numeric: true,
            text: |r: &R, _| count(r.messages_sent),
            compare: |a: &R, b: &R| a.messages_sent.cmp(&b.messages_sent),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "Received",
            width: "6em",
            numeric: true,
            text: |r: &R, _| count(r.messages_received),
            compare: |a: &R, b: &R| a.messages_received.cmp(&b.messages_received),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "Failures",
            width: "6em",
            numeric: true,
            text: |r: &R, _| count(r.message_failures),
            compare: |a: &R, b: &R| a.message_failures.cmp(&b.message_failures),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "Reconnects",
            width: "7em",
            numeric: true,
            text: |r: &R, _| count(r.reconnection_count),
            compare: |a: &R, b: &R| a.reconnection_count.cmp(&b.reconnection_count),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "Avg latency",
            width: "7.5em",
            numeric: true,
            text: |r: &R, _| ms(r.average_latency),
            compare: |a: &R, b: &R| a.average_latency.total_cmp(&b.average_latency),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "Max latency",
            width: "7.5em",
            numeric: true,
            text: |r: &R, _| ms(r.max_latency as f64),
            compare: |a: &R, b: &R| a.max_latency.cmp(&b.max_latency),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "Delivery",
            width: "6em",
            numeric: true,
            text: |r: &R, _| percent(r.delivery_rate),
            compare: |a: &R, b: &R| a.delivery_rate.total_cmp(&b.delivery_rate),
            title: Some(|r: &R| format!("delivery rate {}", r.delivery_rate)),
            uses_now: false,
        },
    ]
}

/// The seed's name of a breaker state.
pub fn state_name(state: CircuitBreakerState) -> &'static str {
    match state {
        CircuitBreakerState::Closed => "CLOSED",
        CircuitBreakerState::Open => "OPEN",
        CircuitBreakerState::HalfOpen => "HALF_OPEN",
    }
}

/// Matches a breaker by agent or state.
pub fn breaker_matches(row: &CircuitBreakerEntry, needle: &str) -> bool {
    row.agent.to_lowercase().contains(needle)
        || state_name(row.state).to_lowercase().contains(needle)
}

/// Breakers counted by state.
pub fn breakers_by_state() -> CountBy<CircuitBreakerEntry> {
    CountBy {
        label: "state",
        of: |r| state_name(r.state),
    }
}

/// Every agent's breaker, for a live table panel.
pub fn breaker_columns() -> Vec<LiveColumn<CircuitBreakerEntry>> {
    type R = CircuitBreakerEntry;
    vec![
        LiveColumn {
            header: "Agent",
            width: "12em",
            numeric: false,
            text: |r: &R, _| r.agent.clone(),
            compare: |a: &R, b: &R| a.agent.cmp(&b.agent),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "State",
            width: "8em",
            numeric: false,
            text: |r: &R, _| state_name(r.state).to_owned(),
            compare: |a: &R, b: &R| a.state_value.cmp(&b.state_value),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "For",
            width: "8em",
            numeric: true,
            text: |r: &R, now| time_ms(&r.since).map_or_else(|| r.since.clone(), |t| age(t, now)),
            compare: |a: &R, b: &R| b.since.cmp(&a.since),
            title: Some(|r: &R| format!("since {}", r.since)),
            uses_now: true,
        },
        LiveColumn {
            header: "Successes",
            width: "7em",
            numeric: true,
            text: |r: &R, _| count(r.successes),
            compare: |a: &R, b: &R| a.successes.cmp(&b.successes),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "Failures",
            width: "7em",
            numeric: true,
            text: |r: &R, _| count(r.failures),
            compare: |a: &R, b: &R| a.failures.cmp(&b.failures),
            title: None,
            uses_now: false,
        },
        LiveColumn {
            header: "Timeouts",
            width: "7em",
            numeric: true,
            text: |r: &R, _| count(r.timeouts),
            compare: |a: &R, b: &R| a.timeouts.cmp(&b.timeouts),
            title: None,
            uses_now: false,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> WebSocketConnection {
        WebSocketConnection {
            session_id: "abc123".into(),
            user_id: "User123".into(),
            run_id: "550e8400-e29b-41d4-a716-446655440000".into(),
            connected_at: "2024-01-15T10:30:00Z".into(),
            messages_sent: 150,
            messages_received: 148,
            message_failures: 2,
            reconnection_count: 1,
            average_latency: 45.2,
            max_latency: 120,
            delivery_rate: 0.9867,
        }
    }

    #[test]
    fn ages_read_like_durations() {
        assert_eq!(age(0.0, 45_000.0), "45s");
        assert_eq!(age(0.0, 725_000.0), "12m 05s");
        assert_eq!(age(0.0, 10_920_000.0), "3h 02m");
        assert_eq!(age(0.0, 187_200_000.0), "2d 4h");
        assert_eq!(age(10.0, 0.0), "0s", "a clock a little behind");
    }

    #[test]
    fn cells_show_the_seed_fields_in_people_units() {
        let row = session();
        let columns = session_columns();
        let connected = time_ms(&row.connected_at).expect("RFC 3339");
        let text: Vec<String> = columns
            .iter()
            .map(|c| (c.text)(&row, connected + 90_000.0))
            .collect();
        assert_eq!(
            text,
            [
                "abc123",
                "User123",
                "550e8400-e29b-41d4-a716-446655440000",
                "1m 30s",
                "150",
                "148",
                "2",
                "1",
                "45.2 ms",
                "120 ms",
                "98.67 %",
            ]
        );
        assert!(session_matches(&row, "user1"));
        assert!(session_matches(&row, "550e"));
        assert!(!session_matches(&row, "nobody"));
    }
}
