//! `text` panels: Markdown kept, HTML turned into Markdown-ish plain text (the console
//! never renders raw HTML), code in a fence.

use super::Outcome;
use crate::json::{path, text};
use serde_json::Value;
use vantage_api::dashboard::{Panel, PanelKind};

/// Fills `panel`; `false` when there is no text (a spacer, left out).
pub fn convert(p: &Value, panel: &mut Panel, out: &mut Outcome) -> bool {
    let content = path(p, &["options", "content"])
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| text(p, "content"))
        .unwrap_or_default();
    let mode = path(p, &["options", "mode"])
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| text(p, "mode"))
        .unwrap_or_else(|| "markdown".to_owned());
    let content = match mode.as_str() {
        "html" => {
            out.approximate
                .push("HTML shown as text with links kept".to_owned());
            html_to_text(&content)
        }
        "code" => format!("```\n{}\n```", content.trim_end()),
        _ => content,
    };
    if content.trim().is_empty() {
        return false;
    }
    panel.kind = PanelKind::Text;
    panel.content = Some(content);
    if panel.title.trim().is_empty() {
        panel.title = "Text".to_owned();
    }
    true
}

/// HTML as plain text with Markdown touches: links, emphasis, headings, list items and
/// line breaks kept; scripts and styles dropped; entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut link: Option<String> = None;
    let mut skip_until: Option<&str> = None;
    while let Some(start) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(&decode(&rest[..start]));
        }
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = after[..end].trim();
        rest = &after[end + 1..];
        let lower = tag.to_ascii_lowercase();
        let name: String = lower
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let closing = lower.starts_with('/');
        if let Some(until) = skip_until {
            if closing && name == until {
                skip_until = None;
            }
            continue;
        }
        match (name.as_str(), closing) {
            ("script", false) => skip_until = Some("script"),
            ("style", false) => skip_until = Some("style"),
            ("br", _) => out.push('\n'),
            ("p" | "div" | "tr" | "ul" | "ol" | "table", _) => out.push_str("\n\n"),
            ("li", false) => out.push_str("\n- "),
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("code", _) => out.push('`'),
            (h, false) if h.len() == 2 && h.starts_with('h') && h[1..].parse::<usize>().is_ok() => {
                let level = h[1..].parse::<usize>().unwrap_or(1).clamp(1, 6);
                out.push_str("\n\n");
                out.push_str(&"#".repeat(level));
                out.push(' ');
            }
            (h, true) if h.len() == 2 && h.starts_with('h') => out.push_str("\n\n"),
            ("a", false) => {
                link = attribute(tag, "href");
                if link.is_some() {
                    out.push('[');
                }
            }
            ("a", true) => {
                if let Some(href) = link.take() {
                    out.push_str(&format!("]({href})"));
                }
            }
            ("img", _) => {
                if let Some(alt) = attribute(tag, "alt") {
                    out.push_str(&alt);
                }
            }
            _ => {}
        }
    }
    if skip_until.is_none() {
        out.push_str(&decode(rest));
    }
    let mut text = String::new();
    let mut blank = 0;
    for line in out.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.trim().to_owned()
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[at..];
    let value = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next()?,
        _ => rest.split(|c: char| c.is_whitespace() || c == '>').next()?,
    };
    Some(decode(value))
}

fn decode(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_html_into_text() {
        let html = r#"<h2>Runbook</h2><p>See <a href="https://example.com/x?a=1&amp;b=2">the <b>docs</b></a>.</p><script>alert(1)</script><ul><li>one</li><li>two</li></ul>line<br/>break &lt;ok&gt;"#;
        assert_eq!(
            html_to_text(html),
            "## Runbook\n\nSee [the **docs**](https://example.com/x?a=1&b=2).\n\n- one\n- two\n\nline\nbreak <ok>"
        );
    }
}
