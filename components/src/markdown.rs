//! A small, safe Markdown reader for text panels: headings, paragraphs, emphasis,
//! inline code and code blocks, lists, quotes, rules, simple pipe tables and links.
//! It builds a tree that [`crate::markdown_text::MarkdownText`] turns into DOM nodes
//! (text nodes only, so nothing is ever parsed as HTML); raw HTML stays visible text,
//! and a link keeps its target only when it is `http` or `https`.

/// A block of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `#` to `######`.
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    /// A fenced or indented code block, as written.
    Code(String),
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    Quote(Vec<Inline>),
    Rule,
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
}

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    /// `href` is `None` when the target was not http(s): the text is shown alone.
    Link {
        href: Option<String>,
        children: Vec<Inline>,
    },
    Break,
}

/// The link target if it is safe to follow: `http://` or `https://` only.
pub fn safe_href(target: &str) -> Option<String> {
    let target = target.trim();
    let lower = target.to_ascii_lowercase();
    let ok = (lower.starts_with("http://") || lower.starts_with("https://"))
        && !target
            .chars()
            .any(|c| c.is_control() || c == ' ' || c == '"');
    ok.then(|| target.to_owned())
}

/// Reads a whole document.
pub fn parse(source: &str) -> Vec<Block> {
    let lines: Vec<&str> = source.lines().collect();
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(paragraph_inlines(paragraph)));
            paragraph.clear();
        }
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
            i += 1;
            continue;
        }
        if let Some(fence) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            flush(&mut paragraph, &mut blocks);
            let mut code = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim().starts_with(fence) {
                code.push(lines[i]);
                i += 1;
            }
            blocks.push(Block::Code(code.join("\n")));
            i += 1;
            continue;
        }
        if let Some((level, text)) = heading(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading(level, inlines(text)));
            i += 1;
            continue;
        }
        if is_rule(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Rule);
            i += 1;
            continue;
        }
        if list_item(trimmed).is_some() && paragraph.is_empty() {
            let ordered = list_item(trimmed).is_some_and(|(o, _)| o);
            let mut items = Vec::new();
            while i < lines.len() {
                match list_item(lines[i].trim()) {
                    Some((_, text)) => items.push(text.to_owned()),
                    None if !lines[i].trim().is_empty() && lines[i].starts_with([' ', '\t']) => {
                        // A continuation line of the item above.
                        if let Some(last) = items.last_mut() {
                            last.push(' ');
                            last.push_str(lines[i].trim());
                        }
                    }
                    None => break,
                }
                i += 1;
            }
            blocks.push(Block::List {
                ordered,
                items: items.iter().map(|t| inlines(t)).collect(),
            });
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('>') {
            flush(&mut paragraph, &mut blocks);
            let mut quoted = vec![rest.trim()];
            i += 1;
            while i < lines.len() {
                match lines[i].trim().strip_prefix('>') {
                    Some(more) => quoted.push(more.trim()),
                    None => break,
                }
                i += 1;
            }
            blocks.push(Block::Quote(paragraph_inlines(&quoted)));
            continue;
        }
        if trimmed.starts_with('|')
            && paragraph.is_empty()
            && lines.get(i + 1).is_some_and(|l| is_table_rule(l.trim()))
        {
            let header = cells(trimmed);
            let mut rows = Vec::new();
            i += 2;
            while i < lines.len() && lines[i].trim().starts_with('|') {
                rows.push(cells(lines[i].trim()));
                i += 1;
            }
            blocks.push(Block::Table { header, rows });
            continue;
        }
        if paragraph.is_empty() && (line.starts_with("    ") || line.starts_with('\t')) {
            let mut code = Vec::new();
            while i < lines.len() && (lines[i].starts_with("    ") || lines[i].starts_with('\t')) {
                code.push(lines[i].strip_prefix("    ").unwrap_or(&lines[i][1..]));
                i += 1;
            }
            blocks.push(Block::Code(code.join("\n")));
            continue;
        }
        paragraph.push(line);
        i += 1;
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

fn heading(line: &str) -> Option<(u8, &str)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    (rest.is_empty() || rest.starts_with(' '))
        .then(|| (level as u8, rest.trim().trim_end_matches('#').trim_end()))
}

fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && ["-", "*", "_"]
            .iter()
            .any(|c| compact.chars().all(|x| x.to_string() == *c))
}

/// `- item`, `* item`, `+ item` or `1. item`: (ordered, text).
fn list_item(line: &str) -> Option<(bool, &str)> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some((false, rest));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < 10 {
        let rest = &line[digits..];
        if let Some(text) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, text));
        }
    }
    None
}

fn is_table_rule(line: &str) -> bool {
    line.starts_with('|')
        && line.contains('-')
        && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn cells(line: &str) -> Vec<Vec<Inline>> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| inlines(c.trim())).collect()
}

/// The lines of a paragraph: joined by spaces, with a hard break after a line that
/// ends in two spaces or a backslash.
fn paragraph_inlines(lines: &[&str]) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let hard = line.ends_with("  ") || line.ends_with('\\');
        let text = line.trim().trim_end_matches('\\');
        out.extend(inlines(text));
        if i + 1 < lines.len() {
            out.push(if hard {
                Inline::Break
            } else {
                Inline::Text(" ".to_owned())
            });
        }
    }
    merge_text(out)
}

/// Reads the inline markup of one piece of text.
pub fn inlines(text: &str) -> Vec<Inline> {
    let chars: Vec<char> = text.chars().collect();
    merge_text(read(&chars, 0))
}

fn read(chars: &[char], depth: usize) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    let push_plain = |plain: &mut String, out: &mut Vec<Inline>| {
        if !plain.is_empty() {
            out.push(Inline::Text(std::mem::take(plain)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() {
            plain.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c == '`'
            && let Some(end) = find(chars, i + 1, &['`'])
        {
            push_plain(&mut plain, &mut out);
            out.push(Inline::Code(chars[i + 1..end].iter().collect()));
            i = end + 1;
            continue;
        }
        if depth < 8 && (c == '*' || c == '_') {
            let double = chars.get(i + 1) == Some(&c);
            let width = if double { 2 } else { 1 };
            let marker = vec![c; width];
            // `_` inside a word (snake_case names) is not emphasis.
            let word_before = i > 0 && chars[i - 1].is_alphanumeric();
            let opens = chars.get(i + width).is_some_and(|n| !n.is_whitespace())
                && !(c == '_' && word_before);
            if opens && let Some(end) = find_closing(chars, i + width, &marker) {
                push_plain(&mut plain, &mut out);
                let inner = read(&chars[i + width..end], depth + 1);
                out.push(if double {
                    Inline::Strong(inner)
                } else {
                    Inline::Emphasis(inner)
                });
                i = end + width;
                continue;
            }
        }
        if depth < 8 && (c == '[' || (c == '!' && chars.get(i + 1) == Some(&'['))) {
            let open = if c == '!' { i + 1 } else { i };
            if let Some((label_end, target, end)) = link_parts(chars, open) {
                push_plain(&mut plain, &mut out);
                let children = read(&chars[open + 1..label_end], depth + 1);
                out.push(Inline::Link {
                    href: safe_href(&target),
                    children,
                });
                i = end;
                continue;
            }
        }
        if c == '<'
            && let Some(end) = find(chars, i + 1, &['>'])
        {
            let inside: String = chars[i + 1..end].iter().collect();
            if let Some(href) = safe_href(&inside) {
                push_plain(&mut plain, &mut out);
                out.push(Inline::Link {
                    href: Some(href),
                    children: vec![Inline::Text(inside)],
                });
                i = end + 1;
                continue;
            }
        }
        plain.push(c);
        i += 1;
    }
    push_plain(&mut plain, &mut out);
    out
}

/// The index of the first of `stops` at or after `from`.
fn find(chars: &[char], from: usize, stops: &[char]) -> Option<usize> {
    (from..chars.len()).find(|j| stops.contains(&chars[*j]))
}

/// The closing `marker`, not preceded by a space.
fn find_closing(chars: &[char], from: usize, marker: &[char]) -> Option<usize> {
    let w = marker.len();
    (from + 1..=chars.len().saturating_sub(w)).find(|&j| {
        chars[j..j + w] == *marker
            && !chars[j - 1].is_whitespace()
            && chars.get(j + w) != Some(&marker[0])
            && !(marker[0] == '_' && chars.get(j + w).is_some_and(|n| n.is_alphanumeric()))
    })
}

/// `[label](target)` starting at `open`: (end of label, target, index after `)`).
fn link_parts(chars: &[char], open: usize) -> Option<(usize, String, usize)> {
    let mut depth = 0;
    let mut label_end = None;
    for (j, c) in chars.iter().enumerate().skip(open) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    label_end = Some(j);
                    break;
                }
            }
            _ => {}
        }
    }
    let label_end = label_end?;
    if chars.get(label_end + 1) != Some(&'(') {
        return None;
    }
    let close = find(chars, label_end + 2, &[')'])?;
    let inside: String = chars[label_end + 2..close].iter().collect();
    // `(url "title")`: the title is not shown.
    let target = inside.split_whitespace().next().unwrap_or("").to_owned();
    Some((label_end, target, close + 1))
}

/// Adjacent text runs joined, so the tree stays small.
fn merge_text(items: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(items.len());
    for item in items {
        match (out.last_mut(), item) {
            (Some(Inline::Text(last)), Inline::Text(more)) => last.push_str(&more),
            (_, item) => out.push(item),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_owned())
    }

    #[test]
    fn reads_blocks() {
        let doc = "# Title\n\nSome *light* and **bold** text\nacross lines.\n\n- one\n- `two`\n\n1. first\n2. second\n\n```\nrate(x[5m])\n```\n\n---\n> quoted";
        let blocks = parse(doc);
        assert_eq!(blocks[0], Block::Heading(1, vec![text("Title")]));
        assert_eq!(
            blocks[1],
            Block::Paragraph(vec![
                text("Some "),
                Inline::Emphasis(vec![text("light")]),
                text(" and "),
                Inline::Strong(vec![text("bold")]),
                text(" text across lines."),
            ])
        );
        assert_eq!(
            blocks[2],
            Block::List {
                ordered: false,
                items: vec![vec![text("one")], vec![Inline::Code("two".into())]]
            }
        );
        assert!(matches!(&blocks[3], Block::List { ordered: true, items } if items.len() == 2));
        assert_eq!(blocks[4], Block::Code("rate(x[5m])".into()));
        assert_eq!(blocks[5], Block::Rule);
        assert_eq!(blocks[6], Block::Quote(vec![text("quoted")]));
    }

    #[test]
    fn links_only_to_http() {
        let found =
            inlines("[ok](https://example.com/a) [bad](javascript:alert(1)) <http://x.org>");
        assert_eq!(
            found[0],
            Inline::Link {
                href: Some("https://example.com/a".into()),
                children: vec![text("ok")]
            }
        );
        assert!(matches!(&found[2], Inline::Link { href: None, .. }));
        assert!(
            matches!(&found[found.len() - 1], Inline::Link { href: Some(h), .. } if h == "http://x.org")
        );
        assert_eq!(safe_href(" HTTPS://a.b "), Some("HTTPS://a.b".into()));
        assert_eq!(safe_href("data:text/html,x"), None);
        assert_eq!(safe_href("/d/local"), None);
    }

    #[test]
    fn html_and_names_stay_text() {
        assert_eq!(
            inlines("<script>alert(1)</script> node_load1 and *_x_*"),
            vec![
                text("<script>alert(1)</script> node_load1 and "),
                Inline::Emphasis(vec![Inline::Emphasis(vec![text("x")])]),
            ]
        );
        assert_eq!(inlines(r"\*not em\*"), vec![text("*not em*")]);
    }

    #[test]
    fn reads_tables() {
        let blocks = parse("| Metric | Meaning |\n|---|:--|\n| `up` | target is up |\n");
        let Block::Table { header, rows } = &blocks[0] else {
            panic!("table: {blocks:?}")
        };
        assert_eq!(header.len(), 2);
        assert_eq!(rows[0][0], vec![Inline::Code("up".into())]);
    }
}
