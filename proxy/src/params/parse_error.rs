//! Where a PromQL parse error is. promql-parser answers errors as bare messages
//! ("unclosed left parenthesis", "invalid promql query"), so the position is worked out
//! here: brackets and quotes that never close are found by scanning, a bad character by
//! the shortest prefix the lexer refuses with the same message, a function or operator
//! the message names by its token, and any other syntax error by the longest prefix of
//! tokens that some short completion still turns into a valid query (a viable prefix:
//! viability only ever goes from true to false as tokens are added, so it is searched
//! by bisection).

use super::promql::parse;
use lrpar::{Lexeme, Lexer, NonStreamingLexer};
use promql_parser::parser;

/// A parse error with its place in the query, in characters (not bytes) from the start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub message: String,
    pub start: usize,
    pub end: usize,
}

impl ParseFailure {
    /// `line:column: parse error: message`, 1-based, as Prometheus writes parse errors.
    pub fn prometheus_message(&self, query: &str) -> String {
        let before: Vec<char> = query.chars().take(self.start).collect();
        let line = before.iter().filter(|c| **c == '\n').count() + 1;
        let column = before.iter().rev().take_while(|c| **c != '\n').count() + 1;
        format!("{line}:{column}: parse error: {}", self.message)
    }
}

/// One token of the query: its character range and text.
#[derive(Debug, Clone)]
struct Token {
    start: usize,
    end: usize,
    text: String,
}

/// The message promql-parser gives every grammar error, whatever it is.
const GENERIC: &str = "invalid promql query";

/// Finds where `message`, the parser's error for `query`, is.
pub fn locate(query: &str, message: &str) -> ParseFailure {
    let chars = query.chars().count();
    let whole = |message: &str| ParseFailure {
        message: message.to_owned(),
        start: 0,
        end: chars,
    };
    if query.trim().is_empty() {
        return ParseFailure {
            message: "no expression found in input".to_owned(),
            start: 0,
            end: 0,
        };
    }
    if let Some(word) = message
        .strip_prefix("duration \"")
        .and_then(|rest| rest.split_once('"'))
        .map(|(word, _)| word)
    {
        return find_text(query, word).map_or_else(|| whole(message), |r| at(message, r));
    }
    let Some(tokens) = tokens(query) else {
        return lexer_error(query, message).unwrap_or_else(|| whole(message));
    };
    if let Some(range) = named_token(query, &tokens, message) {
        return at(message, range);
    }
    let failing = longest_viable_prefix(query, &tokens);
    let about_operator = [
        "binary expression",
        "comparisons between scalars",
        "bool modifier",
        "vector matching",
        "set operator",
    ]
    .iter()
    .any(|m| message.contains(m));
    let about_modifier = message.contains("offset") || message.contains('@');
    let index = if about_operator {
        (0..=failing.min(tokens.len().saturating_sub(1)))
            .rev()
            .find(|&i| is_binary_operator(&tokens[i].text))
            .or(Some(failing))
    } else if about_modifier {
        let modifier = |t: &Token| t.text.eq_ignore_ascii_case("offset") || t.text == "@";
        (0..=failing.min(tokens.len().saturating_sub(1)))
            .rev()
            .find(|&i| modifier(&tokens[i]))
            .or_else(|| tokens.iter().position(modifier))
            .or(Some(failing))
    } else {
        Some(failing)
    };
    match index.and_then(|i| tokens.get(i)) {
        Some(token) => {
            let text = if message == GENERIC {
                format!("unexpected {}", describe(&token.text))
            } else {
                message.to_owned()
            };
            at(&text, (token.start, token.end))
        }
        None => {
            let text = if message == GENERIC {
                "unexpected end of input"
            } else {
                message
            };
            at(text, (chars, chars))
        }
    }
}

fn at(message: &str, (start, end): (usize, usize)) -> ParseFailure {
    ParseFailure {
        message: message.to_owned(),
        start,
        end,
    }
}

/// The tokens of a query the lexer accepts; `None` when it refuses it.
fn tokens(query: &str) -> Option<Vec<Token>> {
    let lexer = parser::lexer(query).ok()?;
    let mut out = Vec::new();
    for lexeme in lexer.iter() {
        let span = lexeme.ok()?.span();
        if span.is_empty() {
            continue;
        }
        out.push(Token {
            start: char_index(query, span.start()),
            end: char_index(query, span.end()),
            text: lexer.span_str(span).to_owned(),
        });
    }
    Some(out)
}

fn char_index(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |s| s.chars().count())
}

fn byte_index(text: &str, char: usize) -> usize {
    text.char_indices().nth(char).map_or(text.len(), |(b, _)| b)
}

/// The first occurrence of `needle`, as a character range.
fn find_text(query: &str, needle: &str) -> Option<(usize, usize)> {
    let byte = query.find(needle)?;
    let start = char_index(query, byte);
    Some((start, start + needle.chars().count()))
}

/// What the scan of brackets and quotes found.
#[derive(Debug, Default)]
struct Scan {
    /// Brackets opened and not closed, outermost first: `(bracket, position)`.
    open: Vec<(char, usize)>,
    /// The first closing bracket with nothing to close.
    stray: Option<usize>,
    /// The opening quote of a string that never ends.
    unterminated: Option<usize>,
}

/// Brackets and quotes outside strings and `#` comments, by character position.
fn scan(text: &str) -> Scan {
    let mut found = Scan::default();
    let mut quote: Option<(char, usize)> = None;
    let mut escaped = false;
    let mut comment = false;
    for (i, c) in text.chars().enumerate() {
        if comment {
            comment = c != '\n';
            continue;
        }
        if let Some((q, _)) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q != '`' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some((c, i)),
            '#' => comment = true,
            '(' | '[' | '{' => found.open.push((c, i)),
            ')' | ']' | '}' => {
                let opener = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if found.open.last().is_some_and(|(o, _)| *o == opener) {
                    found.open.pop();
                } else if found.stray.is_none() {
                    found.stray = Some(i);
                }
            }
            _ => {}
        }
    }
    found.unterminated = quote.map(|(_, i)| i);
    found
}

/// The place of an error the lexer reported.
fn lexer_error(query: &str, message: &str) -> Option<ParseFailure> {
    let found = scan(query);
    let chars = query.chars().count();
    let opener = |bracket: char| {
        found
            .open
            .iter()
            .rev()
            .find(|(o, _)| *o == bracket)
            .map(|(_, i)| (*i, *i + 1))
    };
    let range = if message.starts_with("unterminated quoted string") {
        found.unterminated.map(|i| (i, chars))
    } else if message.starts_with("unclosed left parenthesis") {
        opener('(')
    } else if message.contains("end of input inside braces") {
        opener('{')
    } else if message.contains("end of input inside brackets") {
        opener('[')
    } else {
        None
    };
    if let Some(range) = range {
        return Some(at(message, range));
    }
    // The lexer reads left to right and stops at the first bad character: the shortest
    // prefix it refuses with the same message ends just after that character.
    let refuses =
        |n: usize| matches!(parser::lexer(&query[..byte_index(query, n)]), Err(m) if m == message);
    if !refuses(chars) {
        return None;
    }
    let (mut lo, mut hi) = (0, chars);
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if refuses(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(at(message, (hi - 1, hi)))
}

/// The token a message names in quotes (`call to function 'rate'`, `'+' operation`) or
/// the regex it could not compile.
fn named_token(query: &str, tokens: &[Token], message: &str) -> Option<(usize, usize)> {
    if let Some(regex) = message.strip_prefix("illegal regex for ") {
        return tokens
            .iter()
            .find(|t| t.text.len() >= 2 && t.text[1..t.text.len() - 1] == *regex)
            .or_else(|| tokens.iter().find(|t| t.text.contains(regex)))
            .map(|t| (t.start, t.end));
    }
    let (_, rest) = message.split_once('\'')?;
    let (name, _) = rest.split_once('\'')?;
    let candidates: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens[i].text == name)
        .collect();
    // Among several calls of the function, the one that fails alone is the culprit.
    let culprit = candidates.iter().copied().find(|&i| {
        tokens.get(i + 1).is_some_and(|t| t.text == "(")
            && call_text(query, tokens, i)
                .is_some_and(|call| parse(&call).err().is_some_and(|m| m == message))
    });
    let i = culprit.or_else(|| candidates.first().copied())?;
    Some((tokens[i].start, tokens[i].end))
}

/// The text of the call whose name is token `i`, up to its closing parenthesis.
fn call_text(query: &str, tokens: &[Token], i: usize) -> Option<String> {
    let mut depth = 0usize;
    for token in &tokens[i + 1..] {
        match token.text.as_str() {
            "(" => depth += 1,
            ")" => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    let (a, b) = (
                        byte_index(query, tokens[i].start),
                        byte_index(query, token.end),
                    );
                    return Some(query[a..b].to_owned());
                }
            }
            _ => {}
        }
    }
    None
}

/// Texts appended to a prefix (before the brackets it leaves open are closed) to try
/// to make it a query: an operand, a range, a string, a matcher, grouping, arguments.
const TAILS: [&str; 16] = [
    "",
    "x",
    "[1m]",
    "x[1m]",
    "1",
    "\"x\"",
    "=\"x\"",
    "x=\"x\"",
    "1m",
    " 1m",
    " (x)",
    " (x) x",
    "1, x",
    "\"x\", x",
    ", \"x\", \"x\", \"x\", \"x\"",
    "x, \"x\", \"x\", \"x\", \"x\"",
];

/// Texts appended after the brackets are closed: an aggregation's argument, or a right
/// operand after grouping.
const AFTERS: [&str; 3] = ["", " (x)", " x"];

/// Whether some completion turns `prefix` into a query.
fn viable(prefix: &str) -> bool {
    let found = scan(prefix);
    if found.unterminated.is_some() || found.stray.is_some() {
        return false;
    }
    let closers: String = found
        .open
        .iter()
        .rev()
        .map(|(o, _)| match o {
            '(' => ')',
            '[' => ']',
            _ => '}',
        })
        .collect();
    let mut endings = vec![closers.clone()];
    if found.open.last().is_some_and(|(o, _)| *o == '{') {
        // A selector inside a function that wants a range: `rate(x{a="b"}[1m])`.
        endings.push(format!("}}[1m]{}", &closers[1..]));
    }
    TAILS.iter().any(|tail| {
        endings.iter().any(|ending| {
            AFTERS
                .iter()
                .any(|after| parse(&format!("{prefix}{tail}{ending}{after}")).is_ok())
        })
    })
}

/// The index of the first token that no completion can follow (`tokens.len()` when
/// every prefix is viable and the query simply stops too early).
fn longest_viable_prefix(query: &str, tokens: &[Token]) -> usize {
    let prefix = |n: usize| -> &str {
        match n.checked_sub(1).and_then(|last| tokens.get(last)) {
            Some(token) => &query[..byte_index(query, token.end)],
            None => "",
        }
    };
    if viable(prefix(tokens.len())) {
        return tokens.len();
    }
    // The first `lo` tokens are viable (none at all always is), the first `hi` are not.
    let (mut lo, mut hi) = (0, tokens.len());
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if viable(prefix(mid)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

fn is_binary_operator(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "+" | "-"
            | "*"
            | "/"
            | "%"
            | "^"
            | "=="
            | "!="
            | ">"
            | "<"
            | ">="
            | "<="
            | "and"
            | "or"
            | "unless"
            | "atan2"
    )
}

/// A token as a parse error names it.
fn describe(text: &str) -> String {
    match text {
        "(" => "left parenthesis \"(\"".to_owned(),
        ")" => "right parenthesis \")\"".to_owned(),
        "{" => "left brace \"{\"".to_owned(),
        "}" => "right brace \"}\"".to_owned(),
        "[" => "left bracket \"[\"".to_owned(),
        "]" => "right bracket \"]\"".to_owned(),
        "," => "comma \",\"".to_owned(),
        t if t.starts_with(['"', '\'', '`']) => format!("string {t}"),
        t if is_binary_operator(t) => format!("operator \"{t}\""),
        t if t.starts_with(|c: char| c.is_ascii_digit() || c == '.') => format!("number {t:?}"),
        t => format!("{t:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error for `query`, as `(message, start, end)`.
    fn error(query: &str) -> (String, usize, usize) {
        let message = parse(query).expect_err("invalid");
        let failure = locate(query, &message);
        (failure.message, failure.start, failure.end)
    }

    #[test]
    fn unclosed_and_stray_brackets_point_at_the_bracket() {
        assert_eq!(
            error("sum(rate(x[5m])"),
            ("unclosed left parenthesis".into(), 3, 4)
        );
        assert_eq!(
            error("rate(x[5m]) + x{a=\"b\""),
            ("unexpected end of input inside braces".into(), 15, 16)
        );
        let (message, start, _) = error("sum(x))");
        assert_eq!(
            (message.as_str(), start),
            ("unexpected right parenthesis ')'", 6)
        );
        let (message, start, end) = error("x{a=\"b}");
        assert!(
            message.starts_with("unterminated quoted string"),
            "{message}"
        );
        assert_eq!((start, end), (4, 7));
    }

    #[test]
    fn bad_characters_are_found_by_the_lexer_itself() {
        let (message, start, end) = error("sum(x) $ 2");
        assert!(message.starts_with("unexpected character"), "{message}");
        assert_eq!((start, end), (7, 8));
        let (_, start, _) = error("x{a~\"b\"}");
        assert_eq!(start, 3);
    }

    #[test]
    fn syntax_errors_point_at_the_first_token_that_cannot_follow() {
        assert_eq!(error("foo bar"), ("unexpected \"bar\"".into(), 4, 7));
        assert_eq!(
            error("sum(rate(x[5m]) + )"),
            ("unexpected right parenthesis \")\"".into(), 18, 19)
        );
        assert_eq!(error("sum(x) by"), ("unexpected end of input".into(), 9, 9));
        let (message, start, _) = error("sum without(foo,,)(x)");
        assert_eq!((message.as_str(), start), ("unexpected comma \",\"", 16));
        let (_, start, _) = error("rate(x[5m]) * * 2");
        assert_eq!(start, 14);
    }

    #[test]
    fn type_errors_point_at_what_the_message_names() {
        let query = "sum(rate(x[5m])) / rate(y)";
        let (message, start, end) = error(query);
        assert!(message.contains("'rate'"), "{message}");
        assert_eq!(
            (start, end),
            (19, 23),
            "the second rate, whose argument is wrong"
        );
        let (message, start, _) = error("nosuchfn(x)");
        assert!(message.contains("unknown function"), "{message}");
        assert_eq!(start, 0);
        let (message, start, end) = error("1 > 2");
        assert!(message.contains("BOOL"), "{message}");
        assert_eq!((start, end), (2, 3));
        let (message, start, _) = error("x{a=~\"(\"}");
        assert!(message.starts_with("illegal regex"), "{message}");
        assert_eq!(start, 5);
    }

    #[test]
    fn positions_are_in_characters_and_lines() {
        let query = "sum(\n  rate(x{a=\"é\"}[5m]) +\n)";
        let failure = locate(query, &parse(query).expect_err("invalid"));
        assert_eq!(failure.start, 28);
        assert_eq!(
            failure.prometheus_message(query),
            format!("3:1: parse error: {}", failure.message)
        );
        let failure = locate("sum(rate(x[5m])", "unclosed left parenthesis");
        assert_eq!(
            failure.prometheus_message("sum(rate(x[5m])"),
            "1:4: parse error: unclosed left parenthesis"
        );
        assert_eq!(locate("  ", "x").message, "no expression found in input");
    }
}
