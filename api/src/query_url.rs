//! The URLs of the Prometheus queries the console sends, written one way everywhere:
//! parameters in a fixed order, numbers as Rust prints them, and the encoding of an
//! HTML form (`URLSearchParams`). The proxy announces a dashboard's first queries with
//! these very URLs, so the browser's preloaded answers match the console's requests
//! (the console hands the same pairs to `URLSearchParams`).

use crate::step::RangePlan;

pub const RANGE_PATH: &str = "/api/v1/query_range";
pub const INSTANT_PATH: &str = "/api/v1/query";

/// The parameters of `/api/v1/query_range` for `expr` over `plan`, in order.
pub fn range_params(expr: &str, plan: &RangePlan) -> [(&'static str, String); 4] {
    [
        ("query", expr.to_owned()),
        ("start", plan.start.to_string()),
        ("end", plan.end.to_string()),
        ("step", plan.step.to_string()),
    ]
}

/// The parameters of `/api/v1/query` for `expr` at `time` (unix seconds), in order.
pub fn instant_params(expr: &str, time: f64) -> [(&'static str, String); 2] {
    [("query", expr.to_owned()), ("time", time.to_string())]
}

/// `/api/v1/query_range` for `expr` over `plan`.
pub fn range(expr: &str, plan: &RangePlan) -> String {
    with_query(RANGE_PATH, &range_params(expr, plan))
}

/// `/api/v1/query` for `expr` at `time` (unix seconds).
pub fn instant(expr: &str, time: f64) -> String {
    with_query(INSTANT_PATH, &instant_params(expr, time))
}

/// `path?key=value&...`, each pair form-encoded.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    let mut url = String::from(path);
    for (i, (key, value)) in pairs.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        form_encode(key, &mut url);
        url.push('=');
        form_encode(value, &mut url);
    }
    url
}

/// The `application/x-www-form-urlencoded` byte serializer of the URL standard: ASCII
/// letters, digits and `*-._` as they are, space as `+`, every other byte as `%XX`.
fn form_encode(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 15)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_an_html_form_does() {
        // What `new URLSearchParams([["query", ...]]).toString()` gives in a browser.
        assert_eq!(
            instant("sum by (repo) (rate(x{a=~\"b|c\"}[5m])) / 100 * é", 1.5),
            "/api/v1/query?query=sum+by+%28repo%29+%28rate%28x%7Ba%3D%7E%22b%7Cc%22%7D%5B5m%5D%29%29+%2F+100+*+%C3%A9&time=1.5"
        );
    }

    #[test]
    fn range_parameters_keep_their_order_and_rust_number_form() {
        let plan = RangePlan {
            start: 1_700_000_000.0,
            end: 1_700_003_600.0,
            step: 0.5,
        };
        assert_eq!(
            range("up", &plan),
            "/api/v1/query_range?query=up&start=1700000000&end=1700003600&step=0.5"
        );
    }
}
