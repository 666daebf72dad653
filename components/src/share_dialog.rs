//! The share dialog: the link as it is, the link with the time range frozen, an embed
//! snippet (iframe with width, height and theme), and — for viewers who may — a signed
//! embed link that needs no login.

use leptos::prelude::*;

/// What the app offers to share.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareLinks {
    /// The page's full URL, relative times kept (`from=now-6h`).
    pub link: String,
    /// The same with `from`/`to` frozen to absolute instants.
    pub frozen: String,
    /// The proxy's origin plus `/embed/<dashboard>/`, the panel id is appended.
    pub embed_base: String,
    /// The embed URL's query: the view parameters without `panel` and `theme`.
    pub embed_query: String,
    /// Panels that can be embedded: `(id, title)`.
    pub panels: Vec<(String, String)>,
}

/// What a signed link should grant.
#[derive(Debug, Clone, PartialEq)]
pub struct MintRequest {
    pub panel: String,
    /// Lifetime, e.g. `1h` or `7d`.
    pub expires_in: String,
    /// Lock the current variable values so the embed cannot change them.
    pub lock_variables: bool,
}

/// The iframe HTML for an embed URL.
pub fn iframe_snippet(src: &str, width: u32, height: u32) -> String {
    let src = src.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        r#"<iframe src="{src}" width="{width}" height="{height}" style="border:0" loading="lazy"></iframe>"#
    )
}

/// An embed URL for `panel` with `theme` and an optional signed token.
pub fn embed_url(links: &ShareLinks, panel: &str, theme: &str, token: Option<&str>) -> String {
    let mut url = format!("{}{}?", links.embed_base, panel);
    if !links.embed_query.is_empty() {
        url.push_str(&links.embed_query);
        url.push('&');
    }
    url.push_str("theme=");
    url.push_str(theme);
    if let Some(token) = token {
        url.push_str("&token=");
        url.push_str(token);
    }
    url
}

fn copy(text: &str, status: RwSignal<String>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(text);
    leptos::task::spawn_local(async move {
        let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        status.set(if copied {
            "Copied".to_owned()
        } else {
            "Select the text and copy it".to_owned()
        });
    });
}

/// One labelled read-only field with a copy button.
#[component]
fn CopyField(#[prop(into)] label: String, #[prop(into)] value: Signal<String>) -> impl IntoView {
    let status = RwSignal::new(String::new());
    view! {
        <div class="share-field">
            <label>
                <span>{label.clone()}</span>
                <input type="text" readonly=true aria-label=label.clone() prop:value=value
                    on:focus=move |ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    }/>
            </label>
            <button type="button" on:click=move |_| copy(&value.get_untracked(), status)>"Copy"</button>
            <span class="share-field__status" role="status">{move || status.get()}</span>
        </div>
    }
}

/// The dialog. `minted` holds the signed token (or why there is none) after `on_mint`.
#[component]
pub fn ShareDialog(
    #[prop(into)] links: Signal<ShareLinks>,
    /// The panel to preselect for embedding.
    #[prop(into)]
    panel: Signal<Option<String>>,
    /// Whether the viewer may mint signed embed links.
    #[prop(into)]
    can_mint: Signal<bool>,
    on_mint: Callback<MintRequest>,
    #[prop(into)] minted: Signal<Option<Result<String, String>>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Div>::new();
    let on_key = crate::dialog_focus::use_dialog_focus(dialog, on_close);
    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| {
        let first = links
            .with(|l| l.panels.first().map(|p| p.0.clone()))
            .unwrap_or_default();
        chosen.set(panel.get().unwrap_or(first));
    });
    let theme = RwSignal::new("light".to_owned());
    let width = RwSignal::new(600u32);
    let height = RwSignal::new(320u32);
    let expires = RwSignal::new("7d".to_owned());
    let lock = RwSignal::new(true);
    let token = move || minted.get().and_then(Result::ok);
    let embed = Signal::derive(move || {
        links.with(|l| embed_url(l, &chosen.get(), &theme.get(), token().as_deref()))
    });
    let snippet = Signal::derive(move || iframe_snippet(&embed.get(), width.get(), height.get()));
    let number = |signal: RwSignal<u32>| {
        move |ev: leptos::ev::Event| {
            if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                signal.set(n.clamp(100, 4000));
            }
        }
    };
    view! {
        <div class="dialog-backdrop" on:click=move |_| on_close.run(())>
            <div class="dialog share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-title"
                node_ref=dialog on:keydown=on_key on:click=|ev| ev.stop_propagation()>
                <h2 id="share-title">"Share"</h2>
                <CopyField label="Link" value=Signal::derive(move || links.with(|l| l.link.clone()))/>
                <CopyField label="Link with this time range" value=Signal::derive(move || links.with(|l| l.frozen.clone()))/>
                <h3>"Embed a panel"</h3>
                <div class="share-dialog__options">
                    <label>"Panel"
                        <select aria-label="Panel to embed" prop:value=chosen on:change=move |ev| chosen.set(event_target_value(&ev))>
                            {move || links.with(|l| l.panels.iter().map(|(id, title)| view! { <option value=id.clone()>{title.clone()}</option> }).collect_view())}
                        </select>
                    </label>
                    <label>"Theme"
                        <select aria-label="Embed theme" prop:value=theme on:change=move |ev| theme.set(event_target_value(&ev))>
                            <option value="light">"Light"</option>
                            <option value="dark">"Dark"</option>
                        </select>
                    </label>
                    <label>"Width" <input type="number" aria-label="Embed width" min="100" prop:value=move || width.get().to_string() on:input=number(width)/></label>
                    <label>"Height" <input type="number" aria-label="Embed height" min="100" prop:value=move || height.get().to_string() on:input=number(height)/></label>
                </div>
                <CopyField label="Embed URL" value=embed/>
                <CopyField label="Embed HTML" value=snippet/>
                <Show when=move || can_mint.get()>
                    <div class="share-dialog__mint">
                        <h3>"Signed embed link"</h3>
                        <p class="panel__note">"Opens without a login, read-only, for this panel only, until it expires."</p>
                        <label>"Expires in"
                            <select aria-label="Expires in" prop:value=expires on:change=move |ev| expires.set(event_target_value(&ev))>
                                <option value="1h">"1 hour"</option>
                                <option value="1d">"1 day"</option>
                                <option value="7d">"7 days"</option>
                                <option value="30d">"30 days"</option>
                            </select>
                        </label>
                        <label><input type="checkbox" prop:checked=lock on:change=move |ev| lock.set(event_target_checked(&ev))/>"Lock the variables to their current values"</label>
                        <button type="button" class="primary" on:click=move |_| on_mint.run(MintRequest {
                            panel: chosen.get_untracked(),
                            expires_in: expires.get_untracked(),
                            lock_variables: lock.get_untracked(),
                        })>"Create signed link"</button>
                        {move || minted.get().map(|m| match m {
                            Ok(_) => view! { <p class="panel__note" role="status">"The embed URL and HTML above now carry the signed token."</p> }.into_any(),
                            Err(e) => view! { <p class="field-error" role="alert">{e}</p> }.into_any(),
                        })}
                    </div>
                </Show>
                <div class="dialog__actions"><button type="button" on:click=move |_| on_close.run(())>"Close"</button></div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> ShareLinks {
        ShareLinks {
            link: "http://127.0.0.1:8080/d/cost?from=now-6h&to=now".into(),
            frozen: String::new(),
            embed_base: "http://127.0.0.1:8080/embed/cost/".into(),
            embed_query: "from=now-6h&to=now&var-repository=acme%2Fapi".into(),
            panels: vec![],
        }
    }

    #[test]
    fn builds_embed_urls_and_snippets() {
        let url = embed_url(&links(), "top", "dark", Some("abc"));
        assert_eq!(
            url,
            "http://127.0.0.1:8080/embed/cost/top?from=now-6h&to=now&var-repository=acme%2Fapi&theme=dark&token=abc"
        );
        assert_eq!(
            iframe_snippet("http://x/embed/a/b?from=now-1h&theme=light", 600, 300),
            r#"<iframe src="http://x/embed/a/b?from=now-1h&amp;theme=light" width="600" height="300" style="border:0" loading="lazy"></iframe>"#
        );
    }
}
