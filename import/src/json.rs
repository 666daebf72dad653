//! Lenient reading of Grafana's JSON: numbers written as strings, booleans as 0/1,
//! fields that moved between versions.

use serde_json::Value;

/// The text of a string field; numbers are written as text. Empty strings are absent.
pub fn text(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A number field, also when written as a string (`"250"`, `"0.5"`).
pub fn number(value: &Value, key: &str) -> Option<f64> {
    as_number(value.get(key)?)
}

/// A JSON value as a finite number, also when written as a string.
pub fn as_number(value: &Value) -> Option<f64> {
    let n = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

/// A boolean field, also when written as 0/1 or "true".
pub fn flag(value: &Value, key: &str) -> bool {
    match value.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

/// An array field; absent or of another type: empty.
pub fn array<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Follows a path of object keys.
pub fn path<'v>(value: &'v Value, keys: &[&str]) -> Option<&'v Value> {
    keys.iter().try_fold(value, |v, k| v.get(*k))
}
