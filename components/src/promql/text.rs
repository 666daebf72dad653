//! Positions between the ways they are counted (bytes in Rust, UTF-16 units in the DOM,
//! characters in the proxy's error positions), and dashboard variables masked so that
//! a query using them can be checked without moving any position.

use super::lexer::{Kind, tokenize};

/// The UTF-16 offset of byte `byte` of `text`.
pub fn byte_to_utf16(text: &str, byte: usize) -> usize {
    text.get(..byte.min(text.len()))
        .map_or(0, |s| s.encode_utf16().count())
}

/// The byte offset of UTF-16 offset `unit` (rounded down to a character).
pub fn utf16_to_byte(text: &str, unit: usize) -> usize {
    let mut units = 0;
    for (byte, c) in text.char_indices() {
        if units >= unit {
            return byte;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The byte offset of character `index`.
pub fn char_to_byte(text: &str, index: usize) -> usize {
    text.char_indices()
        .nth(index)
        .map_or(text.len(), |(b, _)| b)
}

/// `text` with every variable reference (`$name`, `${name}`) outside strings replaced
/// by a value of the same length that parses where the reference stands: `1s` in a
/// range or after `offset`, else `1`, padded with spaces.
pub fn mask_variables(text: &str) -> String {
    let tokens = tokenize(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut depth_brackets = 0i32;
    for (i, t) in tokens.iter().enumerate() {
        match t.text(text) {
            "[" => depth_brackets += 1,
            "]" => depth_brackets -= 1,
            _ => {}
        }
        if t.kind != Kind::Variable {
            continue;
        }
        let after_offset = i
            .checked_sub(1)
            .is_some_and(|p| tokens[p].text(text).eq_ignore_ascii_case("offset"));
        let value = if depth_brackets > 0 || after_offset {
            "1s"
        } else {
            "1"
        };
        let len = t.end - t.start;
        out.push_str(&text[last..t.start]);
        out.push_str(&value[..value.len().min(len)]);
        out.extend(std::iter::repeat_n(' ', len.saturating_sub(value.len())));
        last = t.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_positions() {
        let text = "a{b=\"é😀\"}x";
        assert_eq!(byte_to_utf16(text, 5), 5);
        assert_eq!(byte_to_utf16(text, 7), 6, "é is two bytes, one unit");
        assert_eq!(byte_to_utf16(text, 11), 8, "😀 is four bytes, two units");
        assert_eq!(utf16_to_byte(text, 8), 11);
        assert_eq!(utf16_to_byte(text, 100), text.len());
        assert_eq!(char_to_byte(text, 7), 11);
        assert_eq!(char_to_byte(text, 100), text.len());
    }

    #[test]
    fn masks_variables_keeping_positions() {
        let query = "sum(rate(x{r=~\"$repository\"}[$__rate_interval] offset $shift)) / $__range_s";
        let masked = mask_variables(query);
        assert_eq!(masked.len(), query.len());
        assert_eq!(
            masked,
            "sum(rate(x{r=~\"$repository\"}[1s              ] offset 1s    )) / 1         "
        );
    }
}
