//! Markdown shown as DOM nodes built from [`crate::markdown`]'s tree: every piece of
//! text is a text node, so nothing the author wrote can become markup or script.

use crate::markdown::{Block, Inline, parse};
use leptos::prelude::*;

/// A text panel's Markdown, rendered safely.
#[component]
pub fn MarkdownText(
    /// The Markdown source.
    #[prop(into)]
    source: String,
) -> impl IntoView {
    let blocks = parse(&source);
    view! { <div class="markdown">{blocks.iter().map(block).collect_view()}</div> }
}

fn block(b: &Block) -> AnyView {
    match b {
        Block::Heading(level, content) => {
            let inner = inline_views(content);
            match level {
                1 => view! { <h1>{inner}</h1> }.into_any(),
                2 => view! { <h2>{inner}</h2> }.into_any(),
                3 => view! { <h3>{inner}</h3> }.into_any(),
                4 => view! { <h4>{inner}</h4> }.into_any(),
                5 => view! { <h5>{inner}</h5> }.into_any(),
                _ => view! { <h6>{inner}</h6> }.into_any(),
            }
        }
        Block::Paragraph(content) => view! { <p>{inline_views(content)}</p> }.into_any(),
        Block::Code(code) => view! { <pre><code>{code.clone()}</code></pre> }.into_any(),
        Block::List { ordered, items } => {
            let items = items
                .iter()
                .map(|item| view! { <li>{inline_views(item)}</li> })
                .collect_view();
            if *ordered {
                view! { <ol>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
        Block::Quote(content) => {
            view! { <blockquote>{inline_views(content)}</blockquote> }.into_any()
        }
        Block::Rule => view! { <hr/> }.into_any(),
        Block::Table { header, rows } => view! {
            <table class="markdown__table">
                <thead><tr>{header.iter().map(|c| view! { <th>{inline_views(c)}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rows.iter().map(|row| view! {
                        <tr>{row.iter().map(|c| view! { <td>{inline_views(c)}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    }
}

fn inline_views(items: &[Inline]) -> Vec<AnyView> {
    items.iter().map(inline).collect()
}

fn inline(item: &Inline) -> AnyView {
    match item {
        Inline::Text(text) => text.clone().into_any(),
        Inline::Code(code) => view! { <code>{code.clone()}</code> }.into_any(),
        Inline::Strong(inner) => view! { <strong>{inline_views(inner)}</strong> }.into_any(),
        Inline::Emphasis(inner) => view! { <em>{inline_views(inner)}</em> }.into_any(),
        Inline::Break => view! { <br/> }.into_any(),
        Inline::Link {
            href: Some(href),
            children,
        } => view! {
            <a href=href.clone() target="_blank" rel="noopener noreferrer">{inline_views(children)}</a>
        }
        .into_any(),
        Inline::Link {
            href: None,
            children,
        } => view! { <span>{inline_views(children)}</span> }.into_any(),
    }
}
