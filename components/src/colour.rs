//! Colours written in dashboards (overrides, mappings, annotations): Grafana's named
//! colours (`red`, `semi-dark-green`...) or CSS colours. Turned into a CSS value safe to
//! put in a `style` attribute, and into RGB for canvas drawings.

/// Grafana's palette: `<hue>`, `dark-`, `semi-dark-`, `light-`, `super-light-`.
const NAMED: [(&str, &str); 36] = [
    ("red", "#f2495c"),
    ("dark-red", "#c4162a"),
    ("semi-dark-red", "#e02f44"),
    ("light-red", "#ff7383"),
    ("super-light-red", "#ffa6b0"),
    ("orange", "#ff9830"),
    ("dark-orange", "#fa6400"),
    ("semi-dark-orange", "#ff780a"),
    ("light-orange", "#ffb357"),
    ("super-light-orange", "#ffcb7d"),
    ("yellow", "#fade2a"),
    ("dark-yellow", "#e0b400"),
    ("semi-dark-yellow", "#f2cc0c"),
    ("light-yellow", "#ffee52"),
    ("super-light-yellow", "#fff899"),
    ("green", "#73bf69"),
    ("dark-green", "#37872d"),
    ("semi-dark-green", "#56a64b"),
    ("light-green", "#96d98d"),
    ("super-light-green", "#c8f2c2"),
    ("blue", "#5794f2"),
    ("dark-blue", "#1f60c4"),
    ("semi-dark-blue", "#3274d9"),
    ("light-blue", "#8ab8ff"),
    ("super-light-blue", "#c0d8ff"),
    ("purple", "#b877d9"),
    ("dark-purple", "#8f3bb8"),
    ("semi-dark-purple", "#a352cc"),
    ("light-purple", "#ca95e5"),
    ("super-light-purple", "#deb6f2"),
    ("white", "#ffffff"),
    ("black", "#000000"),
    ("gray", "#808080"),
    ("grey", "#808080"),
    ("text", "#808080"),
    ("transparent", "#00000000"),
];

/// A CSS colour for `name`: a Grafana name's hex value, or the text itself when it is
/// a plain CSS colour (`#hex`, `rgb(...)`, `hsl(...)`, a keyword). Anything that could
/// break out of a `style` value is refused.
pub fn css_colour(name: &str) -> Option<String> {
    let name = name.trim();
    if let Some((_, hex)) = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Some((*hex).to_owned());
    }
    let safe = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "#(),.% -".contains(c));
    safe.then(|| name.to_owned())
}

/// The RGB value of a colour, for canvas drawings; `None` when it cannot be read.
pub fn rgb(name: &str) -> Option<(u8, u8, u8)> {
    let css = css_colour(name)?;
    if let Some(hex) = css.strip_prefix('#') {
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        return match hex.len() {
            6 | 8 => Some((
                channel(&hex[0..2])?,
                channel(&hex[2..4])?,
                channel(&hex[4..6])?,
            )),
            3 | 4 => {
                let d = |i: usize| channel(&hex[i..=i].repeat(2));
                Some((d(0)?, d(1)?, d(2)?))
            }
            _ => None,
        };
    }
    let inner = css
        .strip_prefix("rgba(")
        .or_else(|| css.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let mut parts = inner.split(',').map(|p| p.trim().parse::<f64>().ok());
    let mut next = || parts.next().flatten().map(|v| v.clamp(0.0, 255.0) as u8);
    Some((next()?, next()?, next()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_grafana_names_and_css() {
        assert_eq!(css_colour("semi-dark-green").as_deref(), Some("#56a64b"));
        assert_eq!(css_colour("#7EB26D").as_deref(), Some("#7EB26D"));
        assert_eq!(
            css_colour("rgba(1, 2, 3, 0.5)").as_deref(),
            Some("rgba(1, 2, 3, 0.5)")
        );
        assert_eq!(css_colour("red;background:url(x)"), None);
        assert_eq!(rgb("red"), Some((0xf2, 0x49, 0x5c)));
        assert_eq!(rgb("#abc"), Some((0xaa, 0xbb, 0xcc)));
        assert_eq!(rgb("rgb(10, 20, 30)"), Some((10, 20, 30)));
        assert_eq!(rgb("papayawhip"), None);
    }
}
