//! Suggestions for a cursor context, ranked against what is typed, and what choosing
//! one does to the text.

use super::context::{Context, CursorContext};
use super::functions::{DURATIONS, FUNCTIONS, MACROS, keyword_doc};
use std::collections::HashMap;

/// What a suggestion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionKind {
    Metric,
    Function,
    Aggregation,
    Keyword,
    Label,
    Value,
    Duration,
    Variable,
}

impl SuggestionKind {
    /// A one-letter badge for the list.
    pub fn badge(self) -> &'static str {
        match self {
            SuggestionKind::Metric => "m",
            SuggestionKind::Function => "f",
            SuggestionKind::Aggregation => "a",
            SuggestionKind::Keyword => "k",
            SuggestionKind::Label => "l",
            SuggestionKind::Value => "v",
            SuggestionKind::Duration => "d",
            SuggestionKind::Variable => "$",
        }
    }

    /// The kind as a CSS class suffix.
    pub fn badge_class(self) -> &'static str {
        match self {
            SuggestionKind::Metric => "metric",
            SuggestionKind::Function | SuggestionKind::Aggregation => "function",
            SuggestionKind::Keyword => "keyword",
            SuggestionKind::Label => "label",
            SuggestionKind::Value => "value",
            SuggestionKind::Duration => "duration",
            SuggestionKind::Variable => "variable",
        }
    }

    /// The kind in words, for screen readers.
    pub fn name(self) -> &'static str {
        match self {
            SuggestionKind::Metric => "metric",
            SuggestionKind::Function => "function",
            SuggestionKind::Aggregation => "aggregation",
            SuggestionKind::Keyword => "keyword",
            SuggestionKind::Label => "label",
            SuggestionKind::Value => "label value",
            SuggestionKind::Duration => "duration",
            SuggestionKind::Variable => "variable",
        }
    }
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    /// The name as listed (and inserted, with what [`apply`] adds).
    pub label: String,
    /// A signature, a metric's type, a keyword's form.
    pub detail: String,
    /// One line on what it is: a function's description, a metric's help.
    pub doc: String,
}

/// A metric's type and help from `/api/v1/metadata`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricMeta {
    pub kind: String,
    pub help: String,
}

/// What the suggestions are drawn from.
pub struct Sources<'a> {
    pub metrics: &'a [String],
    pub metadata: &'a HashMap<String, MetricMeta>,
    /// Label names for the context's metric, when known.
    pub labels: Option<&'a [String]>,
    /// Values of the context's label, when known.
    pub values: Option<&'a [String]>,
    /// Dashboard variables (names without `$`); macros are offered when this is set.
    pub variables: Option<&'a [String]>,
}

/// How well `candidate` matches what is typed; `None` when it does not. A prefix beats
/// a match at a word start (after `_` or `:`), which beats one anywhere, which beats
/// the letters in order; shorter and earlier matches rank higher.
pub fn score(candidate: &str, typed: &str) -> Option<u32> {
    if typed.is_empty() {
        return Some(0);
    }
    let len = candidate.len().min(999) as u32;
    if candidate.starts_with(typed) {
        return Some(5000 - len);
    }
    let lower = candidate.to_ascii_lowercase();
    let typed = typed.to_ascii_lowercase();
    if lower.starts_with(&typed) {
        return Some(4500 - len);
    }
    let mut first_anywhere = None;
    for (at, _) in lower.match_indices(&typed) {
        let word_start = lower[..at].ends_with(['_', ':']);
        if word_start {
            return Some(4000 - (at.min(999) as u32) - len / 8);
        }
        first_anywhere.get_or_insert(at);
    }
    if let Some(at) = first_anywhere {
        return Some(3000 - (at.min(999) as u32) - len / 8);
    }
    // Every typed letter, in order; each skipped letter costs.
    let mut gaps = 0u32;
    let mut rest = lower.chars();
    for wanted in typed.chars() {
        loop {
            match rest.next() {
                Some(c) if c == wanted => break,
                Some(_) => gaps += 1,
                None => return None,
            }
        }
    }
    Some(2000u32.saturating_sub(gaps * 10 + len / 8))
}

/// The best first, at most `limit`; equal scores keep the order they were offered in
/// (durations shortest first, functions and metrics alphabetically).
fn ranked(scored: Vec<(u32, Suggestion)>, limit: usize) -> Vec<Suggestion> {
    // Sorted as plain numbers, best score then first offered (scores stay under 2^13,
    // candidates under 2^19), so the bundle's sort of `usize` serves here too.
    const INDEX_BITS: u32 = 19;
    let mut keys: Vec<usize> = scored
        .iter()
        .enumerate()
        .take(1 << INDEX_BITS)
        .map(|(i, (score, _))| ((8191 - (*score).min(8191) as usize) << INDEX_BITS) | i)
        .collect();
    keys.sort_unstable();
    keys.truncate(limit);
    let mut slots: Vec<Option<Suggestion>> = scored.into_iter().map(|(_, s)| Some(s)).collect();
    keys.into_iter()
        .filter_map(|k| slots.get_mut(k & ((1 << INDEX_BITS) - 1))?.take())
        .collect()
}

fn suggestion(kind: SuggestionKind, label: &str, detail: &str, doc: &str) -> Suggestion {
    Suggestion {
        kind,
        label: label.to_owned(),
        detail: detail.to_owned(),
        doc: doc.to_owned(),
    }
}

/// The suggestions for `at`, best first, at most `limit`.
pub fn suggest(at: &CursorContext, sources: &Sources<'_>, limit: usize) -> Vec<Suggestion> {
    let typed = at.prefix.as_str();
    let mut out: Vec<(u32, Suggestion)> = Vec::new();
    let mut offer = |kind: SuggestionKind, label: &str, detail: &str, doc: &str| {
        if let Some(s) = score(label, typed) {
            out.push((s, suggestion(kind, label, detail, doc)));
        }
    };
    let keywords = |offer: &mut dyn FnMut(SuggestionKind, &str, &str, &str), words: &[&str]| {
        for word in words {
            let (detail, doc) = keyword_doc(word).unwrap_or(("", ""));
            offer(SuggestionKind::Keyword, word, detail, doc);
        }
    };
    match &at.context {
        Context::None => {}
        Context::Expression => {
            for f in FUNCTIONS {
                let kind = if f.aggregation {
                    SuggestionKind::Aggregation
                } else {
                    SuggestionKind::Function
                };
                offer(kind, f.name, f.signature, f.doc);
            }
            for metric in sources.metrics {
                let meta = sources.metadata.get(metric);
                let kind = meta.map(|m| m.kind.as_str()).unwrap_or("");
                let help = meta.map(|m| m.help.as_str()).unwrap_or("");
                offer(SuggestionKind::Metric, metric, kind, help);
            }
        }
        Context::AfterExpression => keywords(
            &mut offer,
            &[
                "and",
                "or",
                "unless",
                "by",
                "without",
                "on",
                "ignoring",
                "group_left",
                "group_right",
                "offset",
                "bool",
                "atan2",
            ],
        ),
        Context::AfterAggregation => keywords(&mut offer, &["by", "without"]),
        Context::LabelName { .. } => {
            for label in sources.labels.unwrap_or_default() {
                if label != "__name__" {
                    offer(SuggestionKind::Label, label, "label", "");
                }
            }
        }
        Context::LabelValue { label, .. } => {
            for value in sources.values.unwrap_or_default() {
                offer(SuggestionKind::Value, value, label, "");
            }
        }
        Context::Duration => {
            for d in DURATIONS {
                offer(SuggestionKind::Duration, d, "duration", "");
            }
            if sources.variables.is_some() {
                for (name, doc) in MACROS.iter().filter(|(n, _)| !n.ends_with("_ms")) {
                    offer(SuggestionKind::Variable, name, "macro", doc);
                }
            }
        }
        Context::Variable => {
            if let Some(variables) = sources.variables {
                for name in variables {
                    offer(
                        SuggestionKind::Variable,
                        &format!("${name}"),
                        "variable",
                        "",
                    );
                }
                for (name, doc) in MACROS {
                    offer(SuggestionKind::Variable, name, "macro", doc);
                }
            }
        }
    }
    ranked(out, limit)
}

/// The text after choosing `chosen` in `text` at `at`, and where the cursor goes.
pub fn apply(text: &str, at: &CursorContext, chosen: &Suggestion) -> (String, usize) {
    let (start, end) = at.replace;
    let (start, end) = (start.min(text.len()), end.min(text.len()).max(start));
    let after = &text[end..];
    let next = after.chars().next();
    let (insert, caret) = match (chosen.kind, &at.context) {
        (SuggestionKind::Function | SuggestionKind::Aggregation, _) if next == Some('(') => {
            (chosen.label.clone(), None)
        }
        (SuggestionKind::Function | SuggestionKind::Aggregation, _) => {
            (format!("{}()", chosen.label), Some(chosen.label.len() + 1))
        }
        (SuggestionKind::Keyword, _) if super::lexer::GROUPING.contains(&chosen.label.as_str()) => {
            if after.trim_start().starts_with('(') {
                (chosen.label.clone(), None)
            } else {
                (format!("{} ()", chosen.label), Some(chosen.label.len() + 2))
            }
        }
        (SuggestionKind::Keyword, _) if next.is_some_and(char::is_whitespace) => {
            (chosen.label.clone(), None)
        }
        (SuggestionKind::Keyword, _) => (format!("{} ", chosen.label), None),
        (
            SuggestionKind::Label,
            Context::LabelName {
                grouping: false, ..
            },
        ) if !matches!(next, Some('=' | '!')) => {
            // The matcher's start, so that the value list opens next.
            (format!("{}=\"", chosen.label), None)
        }
        (SuggestionKind::Value, Context::LabelValue { quote, regex, .. }) => {
            let q = quote.unwrap_or('"');
            let value = escape_value(&chosen.label, q, *regex);
            match (quote, next) {
                // Inside the string: step over its closing quote, or close it.
                (Some(_), Some(n)) if n == q => {
                    let caret = value.len() + 1;
                    (value, Some(caret))
                }
                (Some(_), _) => (format!("{value}{q}"), None),
                (None, _) => (format!("{q}{value}{q}"), None),
            }
        }
        _ => (chosen.label.clone(), None),
    };
    let caret = start + caret.unwrap_or(insert.len());
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(&text[..start]);
    out.push_str(&insert);
    out.push_str(after);
    (out, caret)
}

/// A label value written inside `quote`: backslashes and the quote escaped, and for a
/// regex matcher the regex's special characters too.
fn escape_value(value: &str, quote: char, regex: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if regex && ".+*?()|[]{}^$".contains(c) {
            // One backslash for the regex, escaped once more for the string literal.
            out.push_str(if quote == '`' { "\\" } else { "\\\\" });
        }
        if quote != '`' && (c == '\\' || c == quote) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::context::cursor_context;

    fn sources<'a>(
        metrics: &'a [String],
        metadata: &'a HashMap<String, MetricMeta>,
        labels: Option<&'a [String]>,
    ) -> Sources<'a> {
        Sources {
            metrics,
            metadata,
            labels,
            values: labels,
            variables: None,
        }
    }

    fn names(list: &[Suggestion]) -> Vec<&str> {
        list.iter().map(|s| s.label.as_str()).collect()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn ranks_prefix_then_word_start_then_anywhere_then_letters() {
        let candidates = [
            "orchestrator_agent_execution_latency_bucket",
            "orchestrator_cost_attribution",
            "rate",
            "irate",
            "process_cpu_seconds_total",
            "orchestrator_graft_circuit_breaker_state",
        ];
        let rank = |typed: &str| {
            let mut scored: Vec<(u32, &str)> = candidates
                .iter()
                .filter_map(|c| score(c, typed).map(|s| (s, *c)))
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
            scored.into_iter().map(|(_, c)| c).collect::<Vec<_>>()
        };
        assert_eq!(rank("rate")[..2], ["rate", "irate"]);
        assert_eq!(rank("cost")[0], "orchestrator_cost_attribution");
        assert_eq!(
            rank("circ"),
            ["orchestrator_graft_circuit_breaker_state"],
            "a word start"
        );
        assert_eq!(
            rank("ocab")[0],
            "orchestrator_cost_attribution",
            "letters in order"
        );
        assert_eq!(rank("zzz"), Vec::<&str>::new());
        assert!(
            score("Rate", "ra") < score("rate", "ra"),
            "case-exact first"
        );
        assert!(score("rate", "") == Some(0));
    }

    #[test]
    fn suggests_by_context() {
        let metrics = strings(&["orchestrator_cost_attribution", "up"]);
        let mut metadata = HashMap::new();
        metadata.insert(
            "orchestrator_cost_attribution".to_owned(),
            MetricMeta {
                kind: "counter".into(),
                help: "Cost in USD".into(),
            },
        );
        let labels = strings(&["__name__", "repository", "user"]);
        let src = sources(&metrics, &metadata, Some(&labels));
        let list = suggest(&cursor_context("orch", 4), &src, 10);
        assert_eq!(names(&list), ["orchestrator_cost_attribution"]);
        assert_eq!(
            (list[0].detail.as_str(), list[0].doc.as_str()),
            ("counter", "Cost in USD")
        );
        let list = suggest(&cursor_context("hist", 4), &src, 10);
        assert_eq!(list[0].label, "histogram_avg");
        assert!(list[0].detail.starts_with("histogram_avg("));
        let list = suggest(&cursor_context("x{", 2), &src, 10);
        assert_eq!(names(&list), ["repository", "user"], "no __name__");
        let list = suggest(&cursor_context("sum ", 4), &src, 10);
        assert_eq!(names(&list), ["by", "without"]);
        let list = suggest(&cursor_context("x[", 2), &src, 3);
        assert_eq!(names(&list), ["1m", "5m", "10m"]);
        assert!(suggest(&cursor_context("x{a=\"1\"}", 7), &src, 10).is_empty());
        let variables = strings(&["repository"]);
        let with_vars = Sources {
            variables: Some(&variables),
            ..sources(&metrics, &metadata, None)
        };
        let list = suggest(&cursor_context("x{r=~\"$re", 10), &with_vars, 10);
        assert!(list.is_empty(), "inside a string, values only");
        let list = suggest(&cursor_context("rate(x[$__r", 11), &with_vars, 10);
        assert_eq!(list[0].label, "$__range");
        assert!(names(&list).contains(&"$__rate_interval"));
        let list = suggest(&cursor_context("x + $rep", 8), &with_vars, 10);
        assert_eq!(names(&list), ["$repository"]);
    }

    #[test]
    fn choosing_a_suggestion_edits_the_text() {
        let pick = |marked: &str, kind: SuggestionKind, label: &str| {
            let cursor = marked.find('|').expect("cursor");
            let text = marked.replace('|', "");
            let at = cursor_context(&text, cursor);
            let (mut out, caret) = apply(&text, &at, &suggestion(kind, label, "", ""));
            out.insert(caret, '|');
            out
        };
        use SuggestionKind::*;
        assert_eq!(pick("ra|", Function, "rate"), "rate(|)");
        assert_eq!(pick("ra|(x[5m])", Function, "rate"), "rate|(x[5m])");
        assert_eq!(pick("su|", Aggregation, "sum"), "sum(|)");
        assert_eq!(
            pick("orch|", Metric, "orchestrator_cost_attribution"),
            "orchestrator_cost_attribution|"
        );
        assert_eq!(pick("x{rep|", Label, "repository"), "x{repository=\"|");
        assert_eq!(
            pick("x{rep|=\"a\"}", Label, "repository"),
            "x{repository|=\"a\"}"
        );
        assert_eq!(
            pick("sum by (rep|)", Label, "repository"),
            "sum by (repository|)"
        );
        assert_eq!(
            pick("x{repository=\"ac|", Value, "acme/api"),
            "x{repository=\"acme/api\"|"
        );
        assert_eq!(
            pick("x{repository=\"ac|\"}", Value, "acme/api"),
            "x{repository=\"acme/api\"|}"
        );
        assert_eq!(
            pick("x{repository=|", Value, "acme/api"),
            "x{repository=\"acme/api\"|"
        );
        assert_eq!(pick("x{a=~\"|", Value, "v1.2"), "x{a=~\"v1\\\\.2\"|");
        assert_eq!(
            pick("x{a=\"|", Value, "say \"hi\""),
            "x{a=\"say \\\"hi\\\"\"|"
        );
        assert_eq!(pick("sum b|", Keyword, "by"), "sum by (|)");
        assert_eq!(pick("sum(x) b| (a)", Keyword, "by"), "sum(x) by| (a)");
        assert_eq!(pick("a an|", Keyword, "and"), "a and |");
        assert_eq!(pick("rate(x[|", Duration, "5m"), "rate(x[5m|");
        assert_eq!(
            pick("rate(x[$__r|])", Variable, "$__rate_interval"),
            "rate(x[$__rate_interval|])"
        );
    }
}
