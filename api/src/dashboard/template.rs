//! Variable references in query text, as Grafana writes them: `$name`, `${name}`,
//! `${name:format}`, `[[name]]` and `[[name:format]]`; names starting with `__` are
//! Grafana's macros (`$__rate_interval`, `$__range_ms`...).

/// A piece of a template: plain text or one reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Ref {
        /// The variable or macro name, without `$`, braces or format.
        name: &'a str,
        /// The format after `:` (`regex`, `pipe`, `csv`...), if any.
        format: Option<&'a str>,
        /// The reference as written.
        raw: &'a str,
    },
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn word_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len() && is_word(bytes[end]) {
        end += 1;
    }
    end
}

/// Splits `text` into plain text and references.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let found = match bytes[i] {
            b'$' => dollar_ref(text, i),
            b'[' => bracket_ref(text, i),
            _ => None,
        };
        match found {
            Some((end, name, format)) => {
                if plain_start < i {
                    out.push(Piece::Text(&text[plain_start..i]));
                }
                out.push(Piece::Ref {
                    name,
                    format,
                    raw: &text[i..end],
                });
                i = end;
                plain_start = end;
            }
            None => i += 1,
        }
    }
    if plain_start < bytes.len() {
        out.push(Piece::Text(&text[plain_start..]));
    }
    out
}

/// `$name`, `${name}` or `${name:format}` at `start`: (end, name, format).
fn dollar_ref(text: &str, start: usize) -> Option<(usize, &str, Option<&str>)> {
    let bytes = text.as_bytes();
    if bytes.get(start + 1) == Some(&b'{') {
        let name_start = start + 2;
        let name_end = word_end(bytes, name_start);
        if name_end == name_start {
            return None;
        }
        match bytes.get(name_end) {
            Some(b'}') => Some((name_end + 1, &text[name_start..name_end], None)),
            Some(b':') => {
                let close = text[name_end..].find('}')? + name_end;
                let format = &text[name_end + 1..close];
                (!format.is_empty()).then(|| (close + 1, &text[name_start..name_end], Some(format)))
            }
            _ => None,
        }
    } else {
        let end = word_end(bytes, start + 1);
        (end > start + 1).then(|| (end, &text[start + 1..end], None))
    }
}

/// `[[name]]` or `[[name:format]]` at `start`.
fn bracket_ref(text: &str, start: usize) -> Option<(usize, &str, Option<&str>)> {
    let bytes = text.as_bytes();
    if bytes.get(start + 1) != Some(&b'[') {
        return None;
    }
    let name_start = start + 2;
    let name_end = word_end(bytes, name_start);
    if name_end == name_start {
        return None;
    }
    let (format, close) = match bytes.get(name_end) {
        Some(b':') => {
            let format_end = word_end(bytes, name_end + 1);
            if format_end == name_end + 1 {
                return None;
            }
            (Some(&text[name_end + 1..format_end]), format_end)
        }
        _ => (None, name_end),
    };
    (bytes.get(close) == Some(&b']') && bytes.get(close + 1) == Some(&b']'))
        .then(|| (close + 2, &text[name_start..name_end], format))
}

/// Whether a reference names a dashboard variable: not a macro, not `$1` (a
/// `label_replace` group).
pub fn is_variable_name(name: &str) -> bool {
    !name.starts_with("__") && !name.starts_with(|c: char| c.is_ascii_digit())
}

/// The variables `text` uses, in order, each once per use.
pub fn referenced_names(text: &str) -> Vec<String> {
    pieces(text)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Ref { name, .. } if is_variable_name(name) => Some(name.to_owned()),
            _ => None,
        })
        .collect()
}

/// Rewrites every reference to the variable `from` as a reference to `to`, keeping
/// its format (used when a name has to change).
pub fn rename_variable(text: &str, from: &str, to: &str) -> String {
    pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Ref { name, format, .. } if name == from => match format {
                Some(format) => format!("${{{to}:{format}}}"),
                None => format!("${{{to}}}"),
            },
            Piece::Text(text) | Piece::Ref { raw: text, .. } => text.to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_form() {
        let text = "a{x=~\"$x\",y=\"${y}\",z=~\"${z:regex}\"}[[w]] [[v:pipe]] $__interval $1 ${";
        let refs: Vec<(&str, Option<&str>)> = pieces(text)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Ref { name, format, .. } => Some((name, format)),
                Piece::Text(_) => None,
            })
            .collect();
        assert_eq!(
            refs,
            [
                ("x", None),
                ("y", None),
                ("z", Some("regex")),
                ("w", None),
                ("v", Some("pipe")),
                ("__interval", None),
                ("1", None),
            ]
        );
        assert_eq!(referenced_names(text), ["x", "y", "z", "w", "v"]);
    }

    #[test]
    fn leaves_brackets_that_are_not_references() {
        let text = "rate(x[[[iv]]]) + y[5m] + z[[ 1 ]]";
        assert_eq!(referenced_names(text), ["iv"]);
        let joined: String = pieces(text)
            .iter()
            .map(|p| match p {
                Piece::Text(t) => *t,
                Piece::Ref { raw, .. } => raw,
            })
            .collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn renames_references() {
        assert_eq!(
            rename_variable("$a-b ${a:csv} [[a]] $ab", "a", "a_1"),
            "${a_1}-b ${a_1:csv} ${a_1} $ab"
        );
    }
}
