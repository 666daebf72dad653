//! The editor's text as HTML: one span per token with its kind's class, plus marks
//! laid over it (the error, a bracket and its match, the caret's place).

use super::lexer::tokenize;

/// A class laid over a byte range; an empty range is a point (an element with no text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    pub class: &'static str,
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

/// `text` as HTML spans. Points are written before the text at their place. A trailing
/// newline gets a space after it so that the last, empty line has a height, as it has
/// in a textarea.
pub fn highlight_html(text: &str, marks: &[Mark]) -> String {
    let tokens = tokenize(text);
    let on_char = |i: &usize| *i <= text.len() && text.is_char_boundary(*i);
    let mut cuts: Vec<usize> = vec![0, text.len()];
    cuts.extend(tokens.iter().flat_map(|t| [t.start, t.end]));
    cuts.extend(marks.iter().flat_map(|m| [m.start, m.end]));
    cuts.retain(on_char);
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(text.len() * 3);
    let points = |at: usize, out: &mut String| {
        for m in marks.iter().filter(|m| m.start == at && m.end == at) {
            out.push_str("<span class=\"");
            out.push_str(m.class);
            out.push_str("\"></span>");
        }
    };
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        points(a, &mut out);
        let token = tokens.iter().find(|t| t.start <= a && b <= t.end);
        let mut classes: Vec<&str> = token.map(|t| t.kind.class()).into_iter().collect();
        classes.extend(
            marks
                .iter()
                .filter(|m| m.start < m.end && m.start <= a && b <= m.end)
                .map(|m| m.class),
        );
        if classes.is_empty() {
            escape(&text[a..b], &mut out);
        } else {
            out.push_str("<span class=\"");
            out.push_str(&classes.join(" "));
            out.push_str("\">");
            escape(&text[a..b], &mut out);
            out.push_str("</span>");
        }
    }
    if text.is_empty() || cuts.len() < 2 {
        points(0, &mut out);
    } else {
        points(text.len(), &mut out);
    }
    if text.ends_with('\n') {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_per_token_and_marks() {
        let html = highlight_html("rate(x[5m])", &[]);
        assert_eq!(
            html,
            "<span class=\"tok-function\">rate</span><span class=\"tok-bracket\">(</span>\
             <span class=\"tok-metric\">x</span><span class=\"tok-bracket\">[</span>\
             <span class=\"tok-duration\">5m</span><span class=\"tok-bracket\">]</span>\
             <span class=\"tok-bracket\">)</span>"
        );
        let marks = [
            Mark {
                start: 2,
                end: 6,
                class: "err",
            },
            Mark {
                start: 7,
                end: 7,
                class: "caret",
            },
        ];
        let html = highlight_html("a < bc d", &marks);
        assert_eq!(
            html,
            "<span class=\"tok-metric\">a</span> <span class=\"tok-operator err\">&lt;</span>\
             <span class=\"err\"> </span><span class=\"tok-metric err\">bc</span> \
             <span class=\"caret\"></span><span class=\"tok-metric\">d</span>"
        );
        assert_eq!(
            highlight_html(
                "",
                &[Mark {
                    start: 0,
                    end: 0,
                    class: "caret"
                }]
            ),
            "<span class=\"caret\"></span>"
        );
        assert!(highlight_html("x\n", &[]).ends_with("\n "));
    }
}
