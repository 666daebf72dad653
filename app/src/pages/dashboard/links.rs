//! A dashboard's or panel's links: to a URL (http, https or a path of this console), or
//! to the dashboards that carry some tags; carrying the time range or the variables
//! over when the link asks.

use crate::url_state::{use_view_params, with_query};
use leptos::prelude::*;
use vantage_api::dashboard::Link;
use vantage_components::markdown::safe_href;

/// Where a link goes with the current view's `from`/`to` and `var-` values; `None`
/// for a target that is neither http(s) nor a path here (`javascript:` and the like).
pub fn link_href(link: &Link, view: &[(String, String)]) -> Option<String> {
    let base = if link.url.trim().is_empty() {
        let tags: Vec<(String, String)> = link
            .tags
            .iter()
            .map(|t| ("tag".to_owned(), t.clone()))
            .collect();
        with_query("/", &tags)
    } else if link.url.starts_with('/') && !link.url.starts_with("//") {
        link.url.clone()
    } else {
        safe_href(&link.url)?
    };
    let carried: Vec<(String, String)> = view
        .iter()
        .filter(|(k, _)| {
            (link.keep_time && (k == "from" || k == "to"))
                || (link.include_vars && k.starts_with("var-"))
        })
        .cloned()
        .collect();
    if carried.is_empty() {
        return Some(base);
    }
    let extra = with_query("", &carried);
    let joiner = if base.contains('?') { "&" } else { "?" };
    Some(format!("{base}{joiner}{}", extra.trim_start_matches('?')))
}

/// The links, each as an anchor (a link whose target is refused shows as text).
#[component]
pub fn LinkList(links: Vec<Link>) -> impl IntoView {
    let params = use_view_params();
    let items = move || {
        let view: Vec<(String, String)> = params.with(|p| {
            let mut pairs = Vec::new();
            pairs.extend(p.from.iter().map(|f| ("from".to_owned(), f.clone())));
            pairs.extend(p.to.iter().map(|t| ("to".to_owned(), t.clone())));
            for (name, values) in &p.vars {
                pairs.extend(values.iter().map(|v| (format!("var-{name}"), v.clone())));
            }
            pairs
        });
        links
            .iter()
            .map(|link| match link_href(link, &view) {
                Some(href) => {
                    let target = link.new_tab.then_some("_blank");
                    view! {
                        <a class="link" href=href target=target rel="noopener noreferrer" title=link.tooltip.clone()>
                            {link.title.clone()}
                        </a>
                    }
                    .into_any()
                }
                None => view! { <span class="link link--off">{link.title.clone()}</span> }.into_any(),
            })
            .collect_view()
    };
    view! { <span class="link-list">{items}</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(extra: &str) -> Link {
        serde_json::from_str(&format!(r#"{{"title":"T"{extra}}}"#)).expect("link")
    }

    #[test]
    fn builds_targets() {
        let view = vec![
            ("from".to_owned(), "now-1h".to_owned()),
            ("var-job".to_owned(), "node".to_owned()),
        ];
        assert_eq!(
            link_href(
                &link(r#","url":"https://example.com/a?b=1","keep_time":true"#),
                &view
            )
            .as_deref(),
            Some("https://example.com/a?b=1&from=now-1h")
        );
        assert_eq!(
            link_href(&link(r#","tags":["k8s"],"include_vars":true"#), &view).as_deref(),
            Some("/?tag=k8s&var-job=node")
        );
        assert_eq!(
            link_href(&link(r#","url":"javascript:alert(1)""#), &view),
            None
        );
        assert_eq!(link_href(&link(r#","url":"//evil.example""#), &view), None);
        assert_eq!(
            link_href(&link(r#","url":"/d/other""#), &[]).as_deref(),
            Some("/d/other")
        );
    }
}
