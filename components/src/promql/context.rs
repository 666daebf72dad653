//! What belongs at the cursor: the completion context, from the tokens around it.

use super::lexer::{AGGREGATIONS, GROUPING, Kind, Token, tokenize};

/// What may be typed at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Context {
    /// Nothing to suggest (inside a comment, after a number...).
    None,
    /// An expression starts here: metrics, functions, aggregations.
    Expression,
    /// After a complete expression: binary operators and modifiers.
    AfterExpression,
    /// After an aggregation's name: `by`, `without`.
    AfterAggregation,
    /// A label name inside `{...}` or a grouping `by (...)`.
    LabelName {
        metric: Option<String>,
        /// In `by (...)`/`on (...)` rather than in a selector's braces.
        grouping: bool,
    },
    /// A label's value after `label=`.
    LabelValue {
        metric: Option<String>,
        label: String,
        /// The value's opening quote when it is already typed.
        quote: Option<char>,
        /// After `=~` or `!~`: the value is a regex.
        regex: bool,
    },
    /// A duration inside `[...]` or after `offset`.
    Duration,
    /// A dashboard variable or macro after `$`.
    Variable,
}

/// The context at a cursor and the text the suggestion replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorContext {
    pub context: Context,
    /// What is typed of the word under the cursor, up to the cursor.
    pub prefix: String,
    /// The byte range a chosen suggestion replaces (the whole word under the cursor).
    pub replace: (usize, usize),
}

/// Kinds after which an expression has ended (an operator or modifier may follow).
fn ends_expression(text: &str, token: &Token) -> bool {
    match token.kind {
        Kind::Metric | Kind::Number | Kind::String | Kind::Duration | Kind::Variable => true,
        Kind::Bracket => matches!(token.text(text), ")" | "}" | "]"),
        Kind::Keyword => matches!(token.text(text), "start" | "end"),
        _ => false,
    }
}

/// The completion context of `text` with the cursor at byte `cursor`.
pub fn cursor_context(text: &str, cursor: usize) -> CursorContext {
    let cursor = cursor.min(text.len());
    let tokens = tokenize(text);
    // The token the cursor is in or at the end of, if it is a word being typed.
    let current = tokens
        .iter()
        .position(|t| t.start < cursor && cursor <= t.end);
    let none = |at: usize| CursorContext {
        context: Context::None,
        prefix: String::new(),
        replace: (at, at),
    };
    let (before_index, prefix_start, replace_end) = match current.map(|i| (i, tokens[i])) {
        Some((_, t)) if t.kind == Kind::Comment => return none(cursor),
        Some((i, t)) if t.kind == Kind::String => {
            // Inside a string: only a matcher's value is completed.
            let quote = t.text(text).chars().next();
            let closed = t.end > t.start + 1 && t.text(text).ends_with(quote.unwrap_or('"'));
            if cursor == t.end && closed {
                return none(cursor);
            }
            let content_end = if closed { t.end - 1 } else { t.end };
            return match value_context(text, &tokens, i, quote) {
                Some(context) => CursorContext {
                    context,
                    prefix: text[t.start + 1..cursor].to_owned(),
                    replace: (t.start + 1, content_end),
                },
                None => none(cursor),
            };
        }
        Some((_, t)) if t.kind == Kind::Variable => {
            return CursorContext {
                context: Context::Variable,
                prefix: text[t.start..cursor].to_owned(),
                replace: (t.start, t.end),
            };
        }
        Some((i, t))
            if matches!(
                t.kind,
                Kind::Metric
                    | Kind::Label
                    | Kind::Function
                    | Kind::Keyword
                    | Kind::Duration
                    | Kind::Number
                    | Kind::Operator
            ) && t
                .text(text)
                .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':') =>
        {
            (i, t.start, t.end)
        }
        _ => {
            // Between tokens: the context comes from what precedes the cursor.
            let after = tokens
                .iter()
                .position(|t| t.start >= cursor)
                .unwrap_or(tokens.len());
            (after, cursor, cursor)
        }
    };
    let prefix = text[prefix_start..cursor].to_owned();
    let replace = (prefix_start, replace_end);
    let previous = before_index.checked_sub(1).map(|p| (p, tokens[p]));
    let with = |context: Context| CursorContext {
        context,
        prefix: prefix.clone(),
        replace,
    };
    let enclosing = enclosing_bracket(text, &tokens, before_index);
    match enclosing {
        Some((open, '{')) => {
            return match previous {
                Some((p, t)) if t.kind == Kind::Operator && is_matcher(t.text(text)) => {
                    match value_context(text, &tokens, p + 1, None) {
                        Some(context) => with(context),
                        None => none(cursor),
                    }
                }
                Some((_, t)) if matches!(t.text(text), "{" | ",") => with(Context::LabelName {
                    metric: selector_metric(text, &tokens, open),
                    grouping: false,
                }),
                _ => none(cursor),
            };
        }
        Some((_, '[')) => {
            return if prefix.is_empty() || prefix.starts_with(|c: char| c.is_ascii_digit()) {
                with(Context::Duration)
            } else {
                none(cursor)
            };
        }
        Some((open, '(')) if is_grouping(text, &tokens, open) => {
            return match previous {
                Some((_, t)) if matches!(t.text(text), "(" | ",") => with(Context::LabelName {
                    metric: grouping_metric(text, &tokens, open),
                    grouping: true,
                }),
                _ => none(cursor),
            };
        }
        _ => {}
    }
    match previous {
        Some((_, t)) if t.kind == Kind::Keyword && t.text(text).eq_ignore_ascii_case("offset") => {
            with(Context::Duration)
        }
        Some((_, t)) if t.kind == Kind::Number && prefix.is_empty() => none(cursor),
        Some((_, t)) if AGGREGATIONS.contains(&t.text(text)) && !prefix.starts_with('(') => {
            with(Context::AfterAggregation)
        }
        Some((_, t)) if ends_expression(text, &t) => with(Context::AfterExpression),
        _ if prefix.starts_with(|c: char| c.is_ascii_digit()) => none(cursor),
        _ => with(Context::Expression),
    }
}

fn is_matcher(op: &str) -> bool {
    matches!(op, "=" | "!=" | "=~" | "!~")
}

/// The innermost bracket still open before token `index`: its token index and char.
fn enclosing_bracket(text: &str, tokens: &[Token], index: usize) -> Option<(usize, char)> {
    let mut closed: Vec<char> = Vec::new();
    for i in (0..index.min(tokens.len())).rev() {
        let t = tokens[i];
        if t.kind != Kind::Bracket {
            continue;
        }
        let c = t.text(text).chars().next()?;
        match c {
            ')' | '}' | ']' => closed.push(c),
            _ => {
                let closer = match c {
                    '(' => ')',
                    '{' => '}',
                    _ => ']',
                };
                if closed.last() == Some(&closer) {
                    closed.pop();
                } else {
                    return Some((i, c));
                }
            }
        }
    }
    None
}

/// Whether the `(` at token `open` starts a grouping list (`by (`, `on (`...).
fn is_grouping(text: &str, tokens: &[Token], open: usize) -> bool {
    open.checked_sub(1)
        .and_then(|p| tokens.get(p))
        .is_some_and(|t| t.kind == Kind::Keyword && GROUPING.contains(&t.text(text)))
}

/// The metric of the selector whose `{` is token `open`: the name before the brace, or
/// a `__name__="..."` matcher inside it.
fn selector_metric(text: &str, tokens: &[Token], open: usize) -> Option<String> {
    if let Some(t) = open.checked_sub(1).and_then(|p| tokens.get(p))
        && t.kind == Kind::Metric
    {
        return Some(t.text(text).to_owned());
    }
    let inside = &tokens[open + 1..];
    inside.windows(3).find_map(|w| {
        (w[0].text(text) == "__name__" && w[1].text(text) == "=" && w[2].kind == Kind::String)
            .then(|| unquote(w[2].text(text)))
    })
}

/// The metric a grouping list is about: the first one in the aggregated or matched
/// expression (after `by (...)` for `sum by (...) (...)`, before it for
/// `sum(...) by (...)` and for `on (...)`).
fn grouping_metric(text: &str, tokens: &[Token], open: usize) -> Option<String> {
    let keyword = open
        .checked_sub(1)
        .map(|p| tokens[p].text(text))
        .unwrap_or("");
    let metric = |t: &&Token| t.kind == Kind::Metric;
    let forward = || tokens[open..].iter().find(metric);
    let backward = || tokens[..open].iter().rev().find(metric);
    let found = if matches!(keyword, "by" | "without") {
        forward().or_else(backward)
    } else {
        backward().or_else(forward)
    };
    found.map(|t| t.text(text).to_owned())
}

/// The context of a matcher's value: the string or cursor right after `label op`.
fn value_context(
    text: &str,
    tokens: &[Token],
    index: usize,
    quote: Option<char>,
) -> Option<Context> {
    let op = tokens.get(index.checked_sub(1)?)?;
    let label = tokens.get(index.checked_sub(2)?)?;
    if op.kind != Kind::Operator || !is_matcher(op.text(text)) || label.kind != Kind::Label {
        return None;
    }
    let (open, _) = enclosing_bracket(text, tokens, index).filter(|(_, c)| *c == '{')?;
    Some(Context::LabelValue {
        metric: selector_metric(text, tokens, open),
        label: label.text(text).to_owned(),
        quote,
        regex: op.text(text).ends_with('~'),
    })
}

/// A string literal's text without its quotes and escapes.
pub fn unquote(literal: &str) -> String {
    let inner = literal
        .get(1..literal.len().saturating_sub(1))
        .unwrap_or_default();
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if escaped || c != '\\' {
            out.push(c);
            escaped = false;
        } else {
            escaped = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The context with the cursor at `|`.
    fn at(marked: &str) -> CursorContext {
        let cursor = marked.find('|').expect("cursor mark");
        let text = marked.replace('|', "");
        cursor_context(&text, cursor)
    }

    fn metric(name: &str) -> Option<String> {
        Some(name.to_owned())
    }

    #[test]
    fn expressions_and_what_follows_them() {
        assert_eq!(at("|").context, Context::Expression);
        let c = at("rat|");
        assert_eq!(
            (c.context, c.prefix.as_str(), c.replace),
            (Context::Expression, "rat", (0, 3))
        );
        assert_eq!(at("sum(rate(orch|").prefix, "orch");
        assert_eq!(at("sum(rate(orch|").context, Context::Expression);
        let c = at("ra|te(x[5m])");
        assert_eq!(
            (c.prefix.as_str(), c.replace),
            ("ra", (0, 4)),
            "the whole word is replaced"
        );
        assert_eq!(at("a + |").context, Context::Expression);
        assert_eq!(at("up |").context, Context::AfterExpression);
        assert_eq!(at("sum(x) b|").context, Context::AfterExpression);
        assert_eq!(at("sum |").context, Context::AfterAggregation);
        assert_eq!(at("sum b|").context, Context::AfterAggregation);
        assert_eq!(at("x > 1|").context, Context::None);
        assert_eq!(at("x # a comm|ent").context, Context::None);
    }

    #[test]
    fn label_names_and_values() {
        assert_eq!(
            at("http_requests_total{|").context,
            Context::LabelName {
                metric: metric("http_requests_total"),
                grouping: false
            }
        );
        let c = at("x{code=\"200\", meth|}");
        assert_eq!(
            c.context,
            Context::LabelName {
                metric: metric("x"),
                grouping: false
            }
        );
        assert_eq!(c.prefix, "meth");
        assert_eq!(
            at("x{code=|").context,
            Context::LabelValue {
                metric: metric("x"),
                label: "code".into(),
                quote: None,
                regex: false
            }
        );
        let c = at("x{code=~\"2|\"}");
        assert_eq!(
            c.context,
            Context::LabelValue {
                metric: metric("x"),
                label: "code".into(),
                quote: Some('"'),
                regex: true
            }
        );
        assert_eq!((c.prefix.as_str(), c.replace), ("2", (9, 10)));
        let c = at("x{code=\"2|");
        assert_eq!(
            c.replace,
            (8, 9),
            "an unclosed string is replaced to its end"
        );
        assert_eq!(
            at("{__name__=\"up\", jo|").context,
            Context::LabelName {
                metric: metric("up"),
                grouping: false
            }
        );
        assert_eq!(at("x{code=\"200\"|}").context, Context::None);
    }

    #[test]
    fn grouping_durations_and_variables() {
        assert_eq!(
            at("sum by (|) (rate(x[5m]))").context,
            Context::LabelName {
                metric: metric("x"),
                grouping: true
            }
        );
        assert_eq!(
            at("sum(rate(y[5m])) without (a, |)").context,
            Context::LabelName {
                metric: metric("y"),
                grouping: true
            }
        );
        assert_eq!(
            at("a / on(|) b").context,
            Context::LabelName {
                metric: metric("a"),
                grouping: true
            }
        );
        assert_eq!(at("rate(x[|").context, Context::Duration);
        assert_eq!(at("rate(x[5|").prefix, "5");
        assert_eq!(at("rate(x[5m:|").context, Context::Duration);
        assert_eq!(at("x offset |").context, Context::Duration);
        let c = at("rate(x[$__ra|])");
        assert_eq!((c.context, c.prefix.as_str()), (Context::Variable, "$__ra"));
    }
}
