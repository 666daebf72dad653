//! Explain: a query as a tree of what it does (aggregations, functions, binary
//! operators with their matching, selectors with their matchers), each node with how
//! many series it returns and a line on what it does. Choosing a node runs it alone.

use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// One node of the tree.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExplainNode {
    /// The node in PromQL's words, e.g. `sum by (job)` or `http_requests_total{code="500"}`.
    pub title: String,
    /// What kind of node: aggregation, function, binary operator, selector...
    pub kind: String,
    /// What it does, in a line.
    pub description: String,
    /// The sub-expression the node stands for, runnable alone.
    pub expr: String,
    pub children: Vec<ExplainNode>,
}

/// What is known of a node's result.
#[derive(Debug, Clone, PartialEq)]
pub enum SeriesCount {
    Loading,
    Series(usize),
    /// A scalar or a string: no series.
    Scalar,
    Failed(String),
}

impl SeriesCount {
    fn text(&self) -> String {
        match self {
            SeriesCount::Loading => "…".to_owned(),
            SeriesCount::Series(1) => "1 series".to_owned(),
            SeriesCount::Series(n) => format!("{n} series"),
            SeriesCount::Scalar => "scalar".to_owned(),
            SeriesCount::Failed(_) => "?".to_owned(),
        }
    }
}

fn node_view(
    node: ExplainNode,
    counts: &HashMap<String, SeriesCount>,
    on_select: Callback<String>,
) -> AnyView {
    let count = counts
        .get(&node.expr)
        .cloned()
        .unwrap_or(SeriesCount::Loading);
    let failure = match &count {
        SeriesCount::Failed(e) => e.clone(),
        _ => String::new(),
    };
    let expr = node.expr;
    let children = node
        .children
        .into_iter()
        .map(|child| view! { <li>{node_view(child, counts, on_select)}</li> })
        .collect_view();
    view! {
        <div class="explain__node">
            <button type="button" class="explain__expr" title=format!("Run {expr}")
                on:click=move |_| on_select.run(expr.clone())>
                <code>{node.title}</code>
            </button>
            <span class="explain__kind">{node.kind}</span>
            <span class="explain__count" title=failure>{count.text()}</span>
            <p class="explain__description">{node.description}</p>
        </div>
        <ul class="explain__children">{children}</ul>
    }
    .into_any()
}

/// The tree of `root`; `counts` holds each node's series count by its `expr`.
#[component]
pub fn ExplainTree(
    /// The query's tree.
    root: ExplainNode,
    /// Series at the end of the range, per node `expr`.
    counts: Arc<HashMap<String, SeriesCount>>,
    /// Called with a node's `expr` when it is chosen.
    on_select: Callback<String>,
) -> impl IntoView {
    view! {
        <ul class="explain" aria-label="Query tree">
            <li>{node_view(root, &counts, on_select)}</li>
        </ul>
    }
}
