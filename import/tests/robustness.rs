//! No input makes the converter panic: truncated and mutated fixtures either convert to
//! a valid dashboard or are refused with an error.

mod common;

use vantage_api::dashboard::validate::validate;
use vantage_import::convert_grafana;

const FIXTURES: [&str; 6] = [
    "grid_layout.json",
    "legacy_rows.json",
    "panels.json",
    "variables.json",
    "wrapped_api.json",
    "wrapped_spec.json",
];

/// A small deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn survives(text: &str) {
    if let Ok(c) = convert_grafana(text, "fuzz.json") {
        assert_eq!(validate(&c.dashboard), vec![], "{text}");
        assert!(toml::from_str::<vantage_api::dashboard::Dashboard>(&c.toml).is_ok());
    }
}

#[test]
fn truncations_never_panic() {
    for name in FIXTURES {
        let text = common::fixture(name);
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                survives(&text[..cut]);
            }
            cut += 97;
        }
    }
}

#[test]
fn mutations_never_panic() {
    // Values Grafana files hold in odd places: wrong types, odd numbers, odd strings.
    const SWAPS: [&str; 14] = [
        "null",
        "true",
        "0",
        "-1",
        "1e308",
        "\"\"",
        "\"$\"",
        "\"${\"",
        "[]",
        "{}",
        "\"[[x]]\"",
        "\"now/d\"",
        "\"1e999m\"",
        "\"((((\"",
    ];
    let mut rng = Lcg(42);
    for name in FIXTURES {
        let value: serde_json::Value =
            serde_json::from_str(&common::fixture(name)).expect("fixture");
        for _ in 0..150 {
            let mut v = value.clone();
            mutate(&mut v, &mut rng, &SWAPS);
            survives(&v.to_string());
        }
    }
}

/// Replaces one value somewhere in the tree.
fn mutate(value: &mut serde_json::Value, rng: &mut Lcg, swaps: &[&str]) {
    let mut node = value;
    loop {
        let children = match node {
            serde_json::Value::Object(map) => map.len(),
            serde_json::Value::Array(items) => items.len(),
            _ => 0,
        };
        if children == 0 || rng.next().is_multiple_of(4) {
            let pick = swaps[(rng.next() as usize) % swaps.len()];
            *node = serde_json::from_str(pick).unwrap_or(serde_json::Value::Null);
            return;
        }
        let i = (rng.next() as usize) % children;
        node = match node {
            serde_json::Value::Object(map) => match map.values_mut().nth(i) {
                Some(child) => child,
                None => return,
            },
            serde_json::Value::Array(items) => &mut items[i],
            _ => return,
        };
    }
}
