//! The `Server-Timing` response header (W3C Server Timing): `name;dur=12.3;desc="text"`
//! entries separated by commas. The proxy reports its upstream and own time and whether
//! its cache answered in it: `upstream;dur=12.3, proxy;dur=0.8, cache;desc="hit"`.

/// One entry of the header.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimingEntry {
    pub name: String,
    /// Milliseconds, when given.
    pub dur: Option<f64>,
    pub desc: Option<String>,
}

/// The entries of a `Server-Timing` value; malformed ones are skipped, unknown
/// parameters ignored.
pub fn parse(header: &str) -> Vec<TimingEntry> {
    split_outside_quotes(header, ',')
        .into_iter()
        .filter_map(|entry| {
            let mut parts = split_outside_quotes(entry, ';').into_iter();
            let name = parts.next()?.trim();
            if name.is_empty() || name.contains(['"', '=', ' ']) {
                return None;
            }
            let mut out = TimingEntry {
                name: name.to_owned(),
                ..TimingEntry::default()
            };
            for param in parts {
                let Some((key, value)) = param.split_once('=') else {
                    continue;
                };
                let value = unquote(value.trim());
                match key.trim().to_ascii_lowercase().as_str() {
                    "dur" if out.dur.is_none() => out.dur = value.parse().ok(),
                    "desc" if out.desc.is_none() => out.desc = Some(value),
                    _ => {}
                }
            }
            Some(out)
        })
        .collect()
}

/// The entry called `name`, if present.
pub fn find<'a>(entries: &'a [TimingEntry], name: &str) -> Option<&'a TimingEntry> {
    entries.iter().find(|e| e.name.eq_ignore_ascii_case(name))
}

fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == separator && !quoted => {
                out.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

fn unquote(value: &str) -> String {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
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
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_proxy_entries() {
        let entries = parse(r#"upstream;dur=12.3, proxy;dur=0.8, cache;desc="hit""#);
        assert_eq!(entries.len(), 3);
        assert_eq!(find(&entries, "upstream").and_then(|e| e.dur), Some(12.3));
        assert_eq!(find(&entries, "proxy").and_then(|e| e.dur), Some(0.8));
        assert_eq!(
            find(&entries, "cache").and_then(|e| e.desc.as_deref()),
            Some("hit")
        );
    }

    #[test]
    fn tolerates_spacing_quotes_and_junk() {
        let entries = parse(
            r#" db ; dur = 53 ; desc = "a, \"quoted\"; text" ,, miss, bad name;dur=1, total;dur=x;dur=2"#,
        );
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["db", "miss", "total"]);
        assert_eq!(entries[0].dur, Some(53.0));
        assert_eq!(entries[0].desc.as_deref(), Some(r#"a, "quoted"; text"#));
        assert_eq!(
            entries[1],
            TimingEntry {
                name: "miss".into(),
                ..TimingEntry::default()
            }
        );
        assert_eq!(entries[2].dur, Some(2.0), "the first readable dur counts");
        assert!(parse("").is_empty());
    }
}
