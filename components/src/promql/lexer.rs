//! A PromQL tokenizer for highlighting and completion: it never fails (half-typed text
//! is the normal case in an editor) and classifies identifiers by where they stand, as
//! a metric, a label, a function or a keyword.

/// What a token is, for colour and for completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Metric,
    Label,
    /// A function or an aggregation operator.
    Function,
    /// `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`, `offset`, `bool`,
    /// and `start()`/`end()` after `@`.
    Keyword,
    String,
    Number,
    Duration,
    /// Arithmetic, comparison, set (`and`, `or`, `unless`), matchers and `@`.
    Operator,
    /// A dashboard variable or macro: `$name`, `${name}`, `$__rate_interval`.
    Variable,
    Comment,
    /// `(`, `)`, `{`, `}`, `[`, `]`.
    Bracket,
    /// `,` and `:`.
    Punctuation,
    /// A character PromQL does not have.
    Unknown,
}

impl Kind {
    /// The CSS class of the kind.
    pub fn class(self) -> &'static str {
        match self {
            Kind::Metric => "tok-metric",
            Kind::Label => "tok-label",
            Kind::Function => "tok-function",
            Kind::Keyword => "tok-keyword",
            Kind::String => "tok-string",
            Kind::Number => "tok-number",
            Kind::Duration => "tok-duration",
            Kind::Operator => "tok-operator",
            Kind::Variable => "tok-variable",
            Kind::Comment => "tok-comment",
            Kind::Bracket => "tok-bracket",
            Kind::Punctuation => "tok-punct",
            Kind::Unknown => "tok-unknown",
        }
    }
}

/// A token: its kind and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text in `source`.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

/// The aggregation operators.
pub const AGGREGATIONS: [&str; 14] = [
    "sum",
    "avg",
    "count",
    "min",
    "max",
    "group",
    "stddev",
    "stdvar",
    "topk",
    "bottomk",
    "count_values",
    "quantile",
    "limitk",
    "limit_ratio",
];

/// Keywords that modify an aggregation or a binary operation, or a selector.
pub const KEYWORDS: [&str; 8] = [
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "offset",
    "bool",
];

/// Keywords after which a parenthesised list of label names follows.
pub const GROUPING: [&str; 6] = [
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
];

/// Binary operators written as words.
pub const WORD_OPERATORS: [&str; 4] = ["and", "or", "unless", "atan2"];

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':'
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

/// What an opening bracket started, to classify what is inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    /// `(` of a call, an aggregation or a parenthesised expression.
    Paren,
    /// `(` after `by`, `without`, `on`...: label names.
    Grouping,
    Brace,
    Bracket,
}

/// Splits `text` into tokens; whitespace is left out.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens: Vec<Token> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut i = 0;
    let next_char = |at: usize| text.get(at..).and_then(|s| s.chars().next());
    while i < bytes.len() {
        let Some(c) = next_char(i) else { break };
        let start = i;
        let push = |tokens: &mut Vec<Token>, kind: Kind, end: usize| {
            tokens.push(Token { kind, start, end });
        };
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if c == '#' {
            let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
            push(&mut tokens, Kind::Comment, end);
            i = end;
            continue;
        }
        if c == '"' || c == '\'' || c == '`' {
            let end = string_end(text, i, c);
            push(&mut tokens, Kind::String, end);
            i = end;
            continue;
        }
        if c == '$' {
            let end = variable_end(text, i);
            push(&mut tokens, Kind::Variable, end);
            i = end;
            continue;
        }
        let inside = open.last().copied();
        if c.is_ascii_digit() || (c == '.' && next_char(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let (end, kind) = number_end(text, i);
            push(&mut tokens, kind, end);
            i = end;
            continue;
        }
        if is_ident_start(c) && !(c == ':' && inside == Some(Open::Bracket)) {
            let end = text[i..]
                .find(|ch: char| !is_ident(ch))
                .map_or(text.len(), |n| i + n);
            let word = &text[i..end];
            let kind = classify(text, &tokens, word, end, inside);
            push(&mut tokens, kind, end);
            i = end;
            continue;
        }
        let two = text.get(i..i + 2).unwrap_or("");
        let (kind, len) = match c {
            '(' => {
                let grouping = tokens
                    .last()
                    .is_some_and(|t| t.kind == Kind::Keyword && GROUPING.contains(&t.text(text)));
                open.push(if grouping {
                    Open::Grouping
                } else {
                    Open::Paren
                });
                (Kind::Bracket, 1)
            }
            '{' => {
                open.push(Open::Brace);
                (Kind::Bracket, 1)
            }
            '[' => {
                open.push(Open::Bracket);
                (Kind::Bracket, 1)
            }
            ')' | '}' | ']' => {
                open.pop();
                (Kind::Bracket, 1)
            }
            ',' | ':' => (Kind::Punctuation, 1),
            _ if ["==", "!=", ">=", "<=", "=~", "!~"].contains(&two) => (Kind::Operator, 2),
            '+' | '-' | '*' | '/' | '%' | '^' | '=' | '<' | '>' | '@' => (Kind::Operator, 1),
            _ => (Kind::Unknown, c.len_utf8()),
        };
        push(&mut tokens, kind, i + len);
        i += len;
    }
    tokens
}

/// The end of the string that starts at `start` with `quote` (the end of the text when
/// it is not closed).
fn string_end(text: &str, start: usize, quote: char) -> usize {
    let mut escaped = false;
    for (n, c) in text[start + 1..].char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' && quote != '`' {
            escaped = true;
        } else if c == quote {
            return start + 1 + n + 1;
        }
    }
    text.len()
}

/// The end of `$name`, `${name}` or `${name:format}`.
fn variable_end(text: &str, start: usize) -> usize {
    let rest = &text[start + 1..];
    if rest.starts_with('{') {
        return rest.find('}').map_or(text.len(), |n| start + 1 + n + 1);
    }
    rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(text.len(), |n| start + 1 + n)
}

/// The end of a number (`1`, `1.5e-3`, `0x1f`) or a duration (`5m`, `1h30m`, `500ms`).
fn number_end(text: &str, start: usize) -> (usize, Kind) {
    let rest = &text[start..];
    if rest.starts_with("0x") || rest.starts_with("0X") {
        let len = 2 + rest[2..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len() - 2);
        return (start + len, Kind::Number);
    }
    let word = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .unwrap_or(rest.len());
    let candidate = &rest[..word];
    let has_unit = candidate
        .chars()
        .any(|c| matches!(c, 's' | 'm' | 'h' | 'd' | 'w' | 'y'));
    let exponent = candidate.contains(['e', 'E']);
    if has_unit && !exponent && !candidate.contains('.') {
        return (start + word, Kind::Duration);
    }
    // A plain number, with an optional exponent whose sign follows the `e`.
    let mut end = 0;
    let chars: Vec<char> = rest.chars().collect();
    let mut seen_exponent = false;
    while end < chars.len() {
        let c = chars[end];
        let sign_after_e = (c == '+' || c == '-')
            && end > 0
            && matches!(chars[end - 1], 'e' | 'E')
            && !seen_exponent;
        let exponent_mark = (c == 'e' || c == 'E') && !seen_exponent;
        if c.is_ascii_digit() || c == '.' || exponent_mark {
            end += 1;
        } else if sign_after_e {
            seen_exponent = true;
            end += 1;
        } else {
            break;
        }
    }
    (start + end.max(1), Kind::Number)
}

/// The kind of an identifier from the tokens before it and the character after it.
fn classify(text: &str, before: &[Token], word: &str, end: usize, inside: Option<Open>) -> Kind {
    match inside {
        Some(Open::Brace) | Some(Open::Grouping) => return Kind::Label,
        Some(Open::Bracket) => return Kind::Duration,
        _ => {}
    }
    let lower = word.to_ascii_lowercase();
    let previous = before.last();
    let after_at = previous.is_some_and(|t| t.text(text) == "@");
    if after_at && (lower == "start" || lower == "end") {
        return Kind::Keyword;
    }
    if lower == "inf" || lower == "nan" {
        return Kind::Number;
    }
    if WORD_OPERATORS.contains(&lower.as_str()) {
        return Kind::Operator;
    }
    if KEYWORDS.contains(&lower.as_str()) {
        return Kind::Keyword;
    }
    let next = text[end..].trim_start();
    let called = next.starts_with('(');
    if AGGREGATIONS.contains(&lower.as_str()) {
        let grouped = ["by", "without"]
            .iter()
            .any(|k| next.len() >= k.len() && next[..k.len()].eq_ignore_ascii_case(k));
        if called || grouped {
            return Kind::Function;
        }
    }
    if called {
        return Kind::Function;
    }
    Kind::Metric
}

/// The bracket matching the one at byte `at` (an opening or closing bracket token),
/// if it has one.
pub fn matching_bracket(text: &str, tokens: &[Token], at: usize) -> Option<usize> {
    let index = tokens
        .iter()
        .position(|t| t.kind == Kind::Bracket && t.start == at)?;
    let c = tokens[index].text(text).chars().next()?;
    let (open, close, forward) = match c {
        '(' => ('(', ')', true),
        '{' => ('{', '}', true),
        '[' => ('[', ']', true),
        ')' => ('(', ')', false),
        '}' => ('{', '}', false),
        ']' => ('[', ']', false),
        _ => return None,
    };
    let mut depth = 0i32;
    let step = |t: &Token| -> Option<bool> {
        if t.kind != Kind::Bracket {
            return None;
        }
        let ch = t.text(text).chars().next()?;
        if ch == open {
            Some(forward)
        } else if ch == close {
            Some(!forward)
        } else {
            None
        }
    };
    let candidates: Box<dyn Iterator<Item = &Token>> = if forward {
        Box::new(tokens[index..].iter())
    } else {
        Box::new(tokens[..=index].iter().rev())
    };
    for t in candidates {
        match step(t) {
            Some(true) => depth += 1,
            Some(false) => {
                depth -= 1;
                if depth == 0 {
                    return Some(t.start);
                }
            }
            None => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, Kind)> {
        tokenize(text)
            .iter()
            .map(|t| (t.text(text).to_owned(), t.kind))
            .collect()
    }

    #[test]
    fn classifies_by_position() {
        use Kind::*;
        let text = r#"sum by (job) (rate(http_requests_total{code=~"5.."}[5m] offset 1h)) / on(job) group_left up > bool 0.5"#;
        let got = kinds(text);
        let expect = [
            ("sum", Function),
            ("by", Keyword),
            ("(", Bracket),
            ("job", Label),
            (")", Bracket),
            ("(", Bracket),
            ("rate", Function),
            ("(", Bracket),
            ("http_requests_total", Metric),
            ("{", Bracket),
            ("code", Label),
            ("=~", Operator),
            ("\"5..\"", String),
            ("}", Bracket),
            ("[", Bracket),
            ("5m", Duration),
            ("]", Bracket),
            ("offset", Keyword),
            ("1h", Duration),
            (")", Bracket),
            (")", Bracket),
            ("/", Operator),
            ("on", Keyword),
            ("(", Bracket),
            ("job", Label),
            (")", Bracket),
            ("group_left", Keyword),
            ("up", Metric),
            (">", Operator),
            ("bool", Keyword),
            ("0.5", Number),
        ];
        let expect: Vec<(std::string::String, Kind)> =
            expect.iter().map(|(t, k)| ((*t).to_owned(), *k)).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn numbers_durations_strings_variables_comments() {
        use Kind::*;
        assert_eq!(
            kinds("1e-3 0x1F 1h30m 500ms .5 Inf"),
            vec![
                ("1e-3".into(), Number),
                ("0x1F".into(), Number),
                ("1h30m".into(), Duration),
                ("500ms".into(), Duration),
                (".5".into(), Number),
                ("Inf".into(), Number),
            ]
        );
        assert_eq!(
            kinds("x{a=\"b\\\"c\"} # note\n$__rate_interval ${repo:regex}"),
            vec![
                ("x".into(), Metric),
                ("{".into(), Bracket),
                ("a".into(), Label),
                ("=".into(), Operator),
                ("\"b\\\"c\"".into(), String),
                ("}".into(), Bracket),
                ("# note".into(), Comment),
                ("$__rate_interval".into(), Variable),
                ("${repo:regex}".into(), Variable),
            ]
        );
        // Half-typed text still tokenizes: an unclosed string runs to the end.
        assert_eq!(
            kinds("x{a=\"unfin"),
            vec![
                ("x".into(), Metric),
                ("{".into(), Bracket),
                ("a".into(), Label),
                ("=".into(), Operator),
                ("\"unfin".into(), String),
            ]
        );
        assert_eq!(
            kinds("sum")[0].1,
            Metric,
            "a bare aggregation name may be a metric"
        );
        assert_eq!(kinds("x @ start()")[2].1, Keyword);
        assert_eq!(kinds("a and b")[1].1, Operator);
        assert_eq!(
            kinds("x[5m:1m]")[3..5].to_vec(),
            vec![(":".into(), Punctuation), ("1m".into(), Duration)]
        );
        assert_eq!(kinds("x ¤")[1].1, Unknown);
    }

    #[test]
    fn finds_matching_brackets() {
        let text = "sum(rate(x{a=\"(\"}[5m]))";
        let tokens = tokenize(text);
        assert_eq!(matching_bracket(text, &tokens, 3), Some(22));
        assert_eq!(matching_bracket(text, &tokens, 22), Some(3));
        assert_eq!(matching_bracket(text, &tokens, 10), Some(16));
        assert_eq!(matching_bracket(text, &tokens, 17), Some(20));
        assert_eq!(matching_bracket("sum(", &tokenize("sum("), 3), None);
        assert_eq!(matching_bracket(text, &tokens, 0), None, "not a bracket");
    }
}
