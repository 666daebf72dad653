//! The view state a shared link must reproduce lives in the URL: dashboard (path),
//! `from`/`to`, every `var-<name>` (repeatable), `refresh`, `theme`, `tz`, the focused
//! `panel` and `annotations=off`; Explore adds `expr` and `dashboard`. Changing it
//! pushes a history entry, so back and forward walk through views.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

pub use vantage_api::view_params::{ALL, ViewParams};

/// The URL's view parameters, following every navigation.
pub fn use_view_params() -> Memo<ViewParams> {
    let location = use_location();
    Memo::new(move |_| {
        // The router's raw query string, parsed here so that repeated keys
        // (`var-x=a&var-x=b`) keep their order. (`window.location` may not have caught up
        // with a navigation yet when this runs, so it is not read.)
        let search = location.search.get();
        let pairs = form_pairs(search.trim_start_matches('?'));
        ViewParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    })
}

/// Sets URL parameters and navigates there. Each change names a key and its new values
/// (empty: remove the key); other parameters stay.
pub fn use_set_params() -> impl Fn(Vec<(String, Vec<String>)>, bool) + Clone + Send + Sync + 'static
{
    let navigate = use_navigate();
    let location = use_location();
    move |changes: Vec<(String, Vec<String>)>, replace: bool| {
        let search = location.search.get_untracked();
        let pairs = apply_changes(form_pairs(search.trim_start_matches('?')), changes);
        let path = location.pathname.get_untracked();
        navigate(
            &with_query(&path, &pairs),
            NavigateOptions {
                scroll: false,
                replace,
                ..Default::default()
            },
        );
    }
}

/// `pairs` with each changed key's values replaced (appended after the others, in the
/// order given; no values removes the key).
pub fn apply_changes(
    pairs: Vec<(String, String)>,
    changes: Vec<(String, Vec<String>)>,
) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .collect();
    for (key, values) in changes {
        pairs.extend(values.into_iter().map(|v| (key.clone(), v)));
    }
    pairs
}

/// `path?k=v&...` with every key and value percent-encoded.
pub fn with_query(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    let search: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{path}?{}", search.join("&"))
}

/// The current `location.search` without the `?`.
pub fn current_search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|s| s.trim_start_matches('?').to_owned())
        .unwrap_or_default()
}

/// Decodes `a=1&b=2` (as `application/x-www-form-urlencoded`) into pairs.
pub fn form_pairs(search: &str) -> Vec<(String, String)> {
    search
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// As JavaScript's `encodeURIComponent` (pure Rust, so it also runs in native tests).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> String {
    let spaced = text.replace('+', " ");
    js_sys::decode_uri_component(&spaced)
        .map(String::from)
        .unwrap_or(spaced)
}

/// The browser's clock in unix milliseconds.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The moment the page's first-view script planned this dashboard's first queries with
/// (`app/index.html`): resolving the first range at that moment makes the console's
/// requests those the browser has preloaded. Given once, and only on the page the
/// script ran for.
pub fn take_first_view_now() -> Option<i64> {
    use wasm_bindgen::JsValue;
    let window = web_sys::window()?;
    let key = JsValue::from_str("__vantageFirstView");
    let pinned = js_sys::Reflect::get(&window, &key).ok()?;
    if pinned.is_undefined() || pinned.is_null() {
        return None;
    }
    let _ = js_sys::Reflect::delete_property(window.as_ref(), &key);
    let field = |name: &str| js_sys::Reflect::get(&pinned, &JsValue::from_str(name)).ok();
    let path = field("path")?.as_string()?;
    if path != window.location().pathname().ok()? {
        return None;
    }
    field("now")?.as_f64().map(|n| n as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_view_parameter() {
        let params = ViewParams::from_pairs([
            ("from", "now-6h"),
            ("to", "now"),
            ("var-repository", "acme/api"),
            ("var-repository", "acme/web"),
            ("var-user", ALL),
            ("refresh", "30s"),
            ("theme", "dark"),
            ("tz", "utc"),
            ("panel", "top-repositories"),
            ("unrelated", "x"),
        ]);
        assert_eq!(params.from.as_deref(), Some("now-6h"));
        assert_eq!(params.vars["repository"], vec!["acme/api", "acme/web"]);
        assert_eq!(params.vars["user"], vec![ALL]);
        assert_eq!(params.refresh.as_deref(), Some("30s"));
        assert_eq!(params.theme.as_deref(), Some("dark"));
        assert_eq!(params.tz.as_deref(), Some("utc"));
        assert_eq!(params.panel.as_deref(), Some("top-repositories"));
    }

    #[test]
    fn changes_replace_keys_and_keep_the_rest_in_order() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let changed = apply_changes(
            pairs(&[("from", "now-7d"), ("by", "team"), ("team", "a")]),
            vec![
                ("repository".to_owned(), vec!["r".to_owned()]),
                ("by".to_owned(), vec!["user".to_owned()]),
                ("team".to_owned(), vec![]),
            ],
        );
        assert_eq!(
            changed,
            pairs(&[("from", "now-7d"), ("repository", "r"), ("by", "user")])
        );
    }
}
