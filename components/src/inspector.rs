//! The inspector: what a panel asked the proxy and what came back. Each request with
//! its parameters, the upstream and proxy time and whether the cache answered (from
//! the proxy's `Server-Timing`), the answer's size, series and points, and the request
//! as a `curl` command.

use leptos::prelude::*;

/// One request as the inspector shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InspectedRequest {
    pub method: String,
    /// The absolute URL, query string included.
    pub url: String,
    /// HTTP status; `None` when no answer came.
    pub status: Option<u16>,
    /// Bytes of the answer's body.
    pub bytes: usize,
    /// From sending to the whole answer, in the browser (ms).
    pub browser_ms: f64,
    /// `upstream;dur=` of `Server-Timing` (ms).
    pub upstream_ms: Option<f64>,
    /// `proxy;dur=` of `Server-Timing` (ms).
    pub proxy_ms: Option<f64>,
    /// `cache;desc=`: hit, partial, miss or bypass.
    pub cache: Option<String>,
    pub series: Option<usize>,
    pub points: Option<usize>,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

/// `url` as a shell command that repeats the request.
pub fn curl_command(request: &InspectedRequest) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    if request.method.eq_ignore_ascii_case("GET") {
        format!("curl -sS {}", quote(&request.url))
    } else {
        format!("curl -sS -X {} {}", request.method, quote(&request.url))
    }
}

/// The URL's path and its decoded query parameters.
pub fn url_parts(url: &str) -> (String, Vec<(String, String)>) {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let decode = |s: &str| {
        let spaced = s.replace('+', " ");
        js_sys::decode_uri_component(&spaced)
            .map(String::from)
            .unwrap_or(spaced)
    };
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    (path.to_owned(), params)
}

fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| "not reported".to_owned(), |v| format!("{v:.1} ms"))
}

fn fact(term: &'static str, value: String) -> impl IntoView {
    view! { <dt>{term}</dt><dd>{value}</dd> }
}

/// One request's block.
fn request_view(index: usize, request: InspectedRequest) -> impl IntoView {
    let (path, params) = url_parts(&request.url);
    let copied = RwSignal::new(String::new());
    let curl = curl_command(&request);
    let copy = move |_| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&curl);
        leptos::task::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            copied.set(
                if ok {
                    "Copied"
                } else {
                    "Copy failed: select the command"
                }
                .to_owned(),
            );
        });
    };
    let status = match (request.status, &request.error) {
        (Some(s), None) => s.to_string(),
        (Some(s), Some(e)) => format!("{s}: {e}"),
        (None, Some(e)) => e.clone(),
        (None, None) => "no answer".to_owned(),
    };
    let shown_curl = curl_command(&request);
    view! {
        <section class="inspector__request" aria-label=format!("Request {}", index + 1)>
            <h3><span class="badge">{request.method.clone()}</span>" "<code>{path}</code></h3>
            <table class="inspector__params simple-table">
                <tbody>
                    {params.into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td><code>{v}</code></td></tr> }).collect_view()}
                </tbody>
            </table>
            <dl class="facts inspector__facts">
                {fact("Status", status)}
                {fact("Upstream time", ms(request.upstream_ms))}
                {fact("Proxy time", ms(request.proxy_ms))}
                {fact("Cache", request.cache.clone().unwrap_or_else(|| "not reported".to_owned()))}
                {fact("Browser time", format!("{:.1} ms", request.browser_ms))}
                {fact("Answer", format!("{} bytes", request.bytes))}
                {fact("Series", request.series.map_or_else(|| "–".to_owned(), |n| n.to_string()))}
                {fact("Points", request.points.map_or_else(|| "–".to_owned(), |n| n.to_string()))}
            </dl>
            <div class="inspector__curl">
                <code>{shown_curl}</code>
                <button type="button" on:click=copy>"Copy as curl"</button>
                <span class="inspector__copied" aria-live="polite">{move || copied.get()}</span>
            </div>
        </section>
    }
}

/// A dialog listing `requests`; Escape or Close calls `on_close`, and the focus goes
/// back where it was.
#[component]
pub fn Inspector(
    /// What is inspected (the panel's title).
    #[prop(into)]
    title: String,
    /// The requests of the panel's latest answer.
    #[prop(into)]
    requests: Signal<Vec<InspectedRequest>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Div>::new();
    let on_key = crate::dialog_focus::use_dialog_focus(dialog, on_close);
    let close = move || on_close.run(());
    view! {
        <div class="dialog-backdrop" on:click=move |ev| {
            if ev.target() == ev.current_target() {
                close();
            }
        }>
            <div class="dialog inspector" role="dialog" aria-modal="true" aria-labelledby="inspector-title" node_ref=dialog on:keydown=on_key>
                <h2 id="inspector-title">{format!("Inspect: {title}")}</h2>
                {move || {
                    let list = requests.get();
                    if list.is_empty() {
                        view! { <p>"No request yet."</p> }.into_any()
                    } else {
                        list.into_iter().enumerate().map(|(i, r)| request_view(i, r)).collect_view().into_any()
                    }
                }}
                <div class="dialog__actions">
                    <button type="button" data-autofocus="" on:click=move |_| close()>"Close"</button>
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_quotes_the_url() {
        let request = InspectedRequest {
            method: "GET".into(),
            url: "http://h/api/v1/query?query=a%7Bb%3D%27c%27%7D".into(),
            ..InspectedRequest::default()
        };
        assert_eq!(
            curl_command(&request),
            "curl -sS 'http://h/api/v1/query?query=a%7Bb%3D%27c%27%7D'"
        );
        let odd = InspectedRequest {
            method: "POST".into(),
            url: "http://h/x?q=it's".into(),
            ..InspectedRequest::default()
        };
        assert_eq!(
            curl_command(&odd),
            "curl -sS -X POST 'http://h/x?q=it'\\''s'"
        );
    }
}
