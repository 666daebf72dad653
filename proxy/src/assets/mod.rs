//! The built console, embedded in the binary: one file to deploy.

pub mod precompressed;
mod preload;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

/// `dist/` as Trunk leaves it. Missing at compile time only before the first app build;
/// the proxy then answers that the console has not been built.
#[derive(RustEmbed)]
#[folder = "../dist"]
#[allow_missing = true]
struct Assets;

/// The lean bundle's page (`dist/lean/`, built from `app/embed.html`), served for
/// `/embed/*`: an embedded panel does not download the whole console.
const EMBED_PAGE: &str = "lean/index.html";

/// The page for an app route: the lean one for embeds when it was built.
fn page_for(path: &str) -> &'static str {
    if path.starts_with("embed/") && Assets::get(EMBED_PAGE).is_some() {
        EMBED_PAGE
    } else {
        "index.html"
    }
}

/// Serves a file of the bundle, or the page for the app's own routes.
pub async fn serve_asset(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    let (name, file) = match Assets::get(path).filter(|_| !path.is_empty()) {
        Some(file) => (path, file),
        None if looks_like_a_file(path) => {
            return (StatusCode::NOT_FOUND, "not found").into_response();
        }
        None => match Assets::get(page_for(path)) {
            Some(file) => (page_for(path), file),
            None => {
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the console has not been built: run `trunk build --release` and rebuild the proxy",
                )
                    .into_response();
            }
        },
    };
    // A precompressed copy when the client takes one; each encoding its own ETag.
    let encoding = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .and_then(precompressed::choose)
        .and_then(|e| precompressed::get(name).map(|copies| (e, copies)));
    let suffix = encoding.map_or("", |(e, _)| if e == "br" { "-br" } else { "-gz" });
    let etag = format!("\"{}{suffix}\"", hex(&file.metadata.sha256_hash()[..16]));
    let cache = if is_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = match encoding {
            Some((name, copies)) => {
                let body = if name == "br" {
                    copies.br.clone()
                } else {
                    copies.gzip.clone()
                };
                let mut response = Body::from(body).into_response();
                response
                    .headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
                response
            }
            None => Body::from(file.data).into_response(),
        };
        if let Ok(mime) = HeaderValue::from_str(file.metadata.mimetype()) {
            response.headers_mut().insert(header::CONTENT_TYPE, mime);
        }
        response
    };
    let hints = (name == "index.html" || name == EMBED_PAGE)
        .then(|| preload::links(uri.path(), uri.query(), wasm_name(name == EMBED_PAGE)))
        .flatten();
    let h = response.headers_mut();
    if let Some(value) = hints.and_then(|v| HeaderValue::from_str(&v).ok()) {
        h.insert(header::LINK, value);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The wasm file of the console's bundle or of the lean one (Trunk names it
/// `<binary>-<hash>_bg.wasm`).
fn wasm_name(lean: bool) -> Option<&'static str> {
    static NAMES: std::sync::OnceLock<[Option<String>; 2]> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let find = |lean: bool| {
            Assets::iter()
                .find(|n| n.starts_with("lean/") == lean && n.ends_with("_bg.wasm"))
                .map(|n| n.into_owned())
        };
        [find(false), find(true)]
    });
    names[usize::from(lean)].as_deref()
}

/// Makes the precompressed copies of the bundle; run once, on a blocking thread.
pub fn precompress() {
    precompressed::prepare(Assets::iter().filter_map(|name| {
        let data = Assets::get(&name)?.data.into_owned();
        Some((name.into_owned(), data))
    }));
}

/// A path whose last segment has an extension is a file request, not an app route.
fn looks_like_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// Trunk names bundle files `name-<16 hex digits>.ext`: those never change.
fn is_hashed(name: &str) -> bool {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem.split('.').next().unwrap_or(stem);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashes() {
        assert!(is_hashed("vantage-app-3b5e7c1f2a9d0e4b_bg.wasm"));
        assert!(is_hashed("vantage-app-3b5e7c1f2a9d0e4b.js"));
        assert!(is_hashed("styles-0123456789abcdef.css"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("favicon.svg"));
    }

    #[test]
    fn app_routes_are_not_files() {
        assert!(!looks_like_a_file("d/cost-attribution"));
        assert!(looks_like_a_file("favicon.ico"));
    }
}
