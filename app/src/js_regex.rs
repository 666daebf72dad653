//! Regexes as dashboards write them (JavaScript syntax, Grafana's `/pattern/flags`),
//! run by the browser's own RegExp, so the bundle carries no regex engine. An invalid
//! pattern is `None`, never a panic.

use vantage_api::dashboard::variables::{RegexMatch, parse_regex_literal};
use wasm_bindgen::JsCast;

/// A compiled browser regex.
pub struct JsRegex(js_sys::RegExp);

impl JsRegex {
    /// Compiles `/pattern/flags` or a bare pattern; `g` and `y` are dropped (they would
    /// make matching depend on the previous match).
    pub fn new(literal: &str) -> Option<JsRegex> {
        let (pattern, flags) = parse_regex_literal(literal);
        let flags: String = flags.chars().filter(|c| !matches!(c, 'g' | 'y')).collect();
        // `new RegExp(...)` throws on a bad pattern; through Reflect that is an Err.
        let constructor = js_sys::Reflect::get(&js_sys::global(), &"RegExp".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        let args = js_sys::Array::of2(&pattern.into(), &flags.into());
        js_sys::Reflect::construct(&constructor, &args)
            .ok()?
            .dyn_into::<js_sys::RegExp>()
            .ok()
            .map(JsRegex)
    }

    /// Whether the regex matches somewhere in `text`.
    pub fn test(&self, text: &str) -> bool {
        self.0.test(text)
    }

    /// The first match: its first group and the groups named `text` and `value`.
    pub fn captures(&self, text: &str) -> Option<RegexMatch> {
        let found = self.0.exec(text)?;
        let groups = js_sys::Reflect::get(&found, &"groups".into()).ok();
        let named = |name: &str| {
            groups
                .as_ref()
                .filter(|g| g.is_object())
                .and_then(|g| js_sys::Reflect::get(g, &name.into()).ok())
                .and_then(|v| v.as_string())
        };
        Some(RegexMatch {
            first_group: (found.length() > 1)
                .then(|| found.get(1))
                .and_then(|v| v.as_string()),
            text: named("text"),
            value: named("value"),
        })
    }
}

/// Whether `pattern` matches `text`; a pattern the browser refuses matches nothing.
pub fn regex_test(pattern: &str, text: &str) -> bool {
    JsRegex::new(pattern).is_some_and(|r| r.test(text))
}
