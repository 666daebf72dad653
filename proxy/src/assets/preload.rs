//! `Link: rel=preload` hints on the console's page: the browser starts downloading the
//! wasm (which the page's script would only ask for once the script has run) and the
//! dashboard's definition (which the app would only ask for once the wasm has started)
//! while it parses the HTML, so that the first panel queries do not wait for them.

/// The hints for the app route `path` (`query` is the URL's query string), given the
/// bundle's wasm file name. `crossorigin` makes each preload match the app's own
/// same-origin `fetch` (CORS mode, same-origin credentials), so the answer is reused.
pub fn links(path: &str, query: Option<&str>, wasm: Option<&str>) -> Option<String> {
    let mut links = Vec::new();
    if let Some(wasm) = wasm {
        links.push(format!(
            "</{wasm}>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin"
        ));
    }
    if let Some(id) = dashboard_of(path, query) {
        links.push(format!(
            "</api/dashboards/{id}>; rel=preload; as=fetch; crossorigin"
        ));
    }
    (!links.is_empty()).then(|| links.join(", "))
}

/// The dashboard a page shows: `/d/<id>`, or `/embed/<id>/<panel>` without a signed
/// token (a token travels in a header, which a preload cannot send: its refusal would
/// be handed to the app). Ids that would need escaping are left to the app.
fn dashboard_of<'a>(path: &'a str, query: Option<&str>) -> Option<&'a str> {
    let mut parts = path.trim_start_matches('/').split('/');
    let id = match (parts.next()?, parts.next()?, parts.next(), parts.next()) {
        ("d", id, None, None) => id,
        ("embed", id, Some(_), None) => {
            let signed = query.is_some_and(|q| {
                q.split('&')
                    .any(|pair| pair == "token" || pair.starts_with("token="))
            });
            if signed {
                return None;
            }
            id
        }
        _ => return None,
    };
    let plain = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    plain.then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WASM: Option<&str> = Some("vantage-app-0123456789abcdef_bg.wasm");

    #[test]
    fn a_dashboard_page_preloads_the_wasm_and_its_definition() {
        assert_eq!(
            links("/d/cost-attribution", Some("from=now-6h"), WASM).as_deref(),
            Some(
                "</vantage-app-0123456789abcdef_bg.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin, \
                 </api/dashboards/cost-attribution>; rel=preload; as=fetch; crossorigin"
            )
        );
    }

    #[test]
    fn other_pages_preload_only_the_wasm() {
        for path in ["/", "/explore", "/cost", "/d/", "/d/a/b", "/d/%20x"] {
            let hint = links(path, None, WASM).unwrap_or_default();
            assert!(!hint.contains("/api/"), "{path}: {hint}");
            assert!(hint.contains("_bg.wasm"), "{path}: {hint}");
        }
        assert_eq!(links("/", None, None), None);
    }

    #[test]
    fn embeds_preload_their_dashboard_unless_signed() {
        let open = links("/embed/cost/total", Some("theme=dark"), None).unwrap_or_default();
        assert!(open.contains("</api/dashboards/cost>"), "{open}");
        assert_eq!(
            links("/embed/cost/total", Some("theme=dark&token=abc"), None),
            None
        );
    }
}
