//! Decoding a [`LiveMessage`] in one pass: the fields of every kind are distinct, so
//! they are read as they come (the `type` may be anywhere) and the message is built at
//! the end, without the intermediate tree a derived tagged-enum decoder builds.

use super::{LiveMessage, LiveStatus};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum Field {
    Type,
    Seq,
    PolledAt,
    IntervalMs,
    HeartbeatMs,
    Status,
    Rows,
    Added,
    Changed,
    Removed,
    At,
    More,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum Kind {
    Snapshot,
    Rows,
    Diff,
    Status,
    Heartbeat,
}

impl<'de, R: Deserialize<'de>> Deserialize<'de> for LiveMessage<R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MessageVisitor(PhantomData))
    }
}

struct MessageVisitor<R>(PhantomData<R>);

/// One field, at most once.
fn once<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

fn required<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

impl<'de, R: Deserialize<'de>> Visitor<'de> for MessageVisitor<R> {
    type Value = LiveMessage<R>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a live message (an object with a \"type\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut kind: Option<Kind> = None;
        let mut seq: Option<u64> = None;
        let mut polled_at: Option<Option<i64>> = None;
        let mut interval_ms: Option<u64> = None;
        let mut heartbeat_ms: Option<u64> = None;
        let mut status: Option<LiveStatus> = None;
        let mut rows: Option<Vec<R>> = None;
        let mut added: Option<Vec<R>> = None;
        let mut changed: Option<Vec<R>> = None;
        let mut removed: Option<Vec<String>> = None;
        let mut at: Option<i64> = None;
        let mut more: Option<bool> = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Type => once(&mut kind, &mut map, "type")?,
                Field::Seq => once(&mut seq, &mut map, "seq")?,
                Field::PolledAt => once(&mut polled_at, &mut map, "polledAt")?,
                Field::IntervalMs => once(&mut interval_ms, &mut map, "intervalMs")?,
                Field::HeartbeatMs => once(&mut heartbeat_ms, &mut map, "heartbeatMs")?,
                Field::Status => once(&mut status, &mut map, "status")?,
                Field::Rows => once(&mut rows, &mut map, "rows")?,
                Field::Added => once(&mut added, &mut map, "added")?,
                Field::Changed => once(&mut changed, &mut map, "changed")?,
                Field::Removed => once(&mut removed, &mut map, "removed")?,
                Field::At => once(&mut at, &mut map, "at")?,
                Field::More => once(&mut more, &mut map, "more")?,
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let seq = required(seq, "seq")?;
        Ok(match required(kind, "type")? {
            Kind::Snapshot => LiveMessage::Snapshot {
                seq,
                polled_at: polled_at.flatten(),
                interval_ms: required(interval_ms, "intervalMs")?,
                heartbeat_ms: required(heartbeat_ms, "heartbeatMs")?,
                status: status.unwrap_or_default(),
                rows: required(rows, "rows")?,
                more: more.unwrap_or(false),
            },
            Kind::Rows => LiveMessage::Rows {
                seq,
                rows: required(rows, "rows")?,
                more: required(more, "more")?,
            },
            Kind::Diff => LiveMessage::Diff {
                seq,
                polled_at: required(polled_at.flatten(), "polledAt")?,
                added: added.unwrap_or_default(),
                changed: changed.unwrap_or_default(),
                removed: removed.unwrap_or_default(),
            },
            Kind::Status => LiveMessage::Status {
                seq,
                status: required(status, "status")?,
            },
            Kind::Heartbeat => LiveMessage::Heartbeat {
                seq,
                at: required(at, "at")?,
                polled_at: polled_at.flatten(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::LiveMessage;
    use serde_json::json;

    type M = LiveMessage<serde_json::Value>;

    #[test]
    fn every_kind_round_trips() {
        let messages: Vec<M> = vec![
            LiveMessage::Snapshot {
                seq: 1,
                polled_at: None,
                interval_ms: 2_000,
                heartbeat_ms: 15_000,
                status: Default::default(),
                rows: vec![json!({"id": "a"})],
                more: true,
            },
            LiveMessage::Rows {
                seq: 1,
                rows: vec![json!({"id": "b"})],
                more: false,
            },
            LiveMessage::Diff {
                seq: 2,
                polled_at: 5,
                added: vec![json!({"id": "b"})],
                changed: vec![],
                removed: vec!["a".into()],
            },
            LiveMessage::Status {
                seq: 2,
                status: super::super::LiveStatus {
                    stale_since: Some(9),
                    error: Some("down".into()),
                },
            },
            LiveMessage::Heartbeat {
                seq: 2,
                at: 10,
                polled_at: Some(5),
            },
        ];
        for message in messages {
            let text = serde_json::to_string(&message).expect("serializes");
            let back: M = serde_json::from_str(&text).expect("decodes");
            assert_eq!(back, message, "{text}");
        }
    }

    #[test]
    fn the_type_may_come_anywhere_and_unknown_fields_are_skipped() {
        let m: M = serde_json::from_str(
            r#"{"seq":3,"polledAt":7,"extra":{"x":[1,2]},"removed":["a"],"type":"diff"}"#,
        )
        .expect("decodes");
        assert!(
            matches!(m, LiveMessage::Diff { seq: 3, polled_at: 7, ref removed, .. } if removed == &["a"])
        );
        for bad in [
            r#"{"seq":1}"#,
            r#"{"type":"diff","seq":1}"#,
            r#"{"type":"nope","seq":1}"#,
            r#"{"type":"status","seq":1,"seq":2,"status":{}}"#,
            r#"[]"#,
        ] {
            assert!(serde_json::from_str::<M>(bad).is_err(), "{bad}");
        }
    }
}
