//! How one value reads: a value mapping's text (and colour) when one applies, else the
//! number in its unit with the panel's decimals.

use crate::colour::css_colour;
use vantage_api::dashboard::ValueMapping;
use vantage_api::unit::Unit;

/// The text for `value` (`None`: no value) and the mapping's colour, if any.
pub fn value_text(
    value: Option<f64>,
    unit: &Unit,
    decimals: Option<u8>,
    mappings: &[ValueMapping],
) -> (String, Option<String>) {
    if let Some(mapping) = mappings.iter().find(|m| m.matches(value)) {
        let colour = mapping.color.as_deref().and_then(css_colour);
        let text = if mapping.text.is_empty() {
            value.map_or_else(|| "–".to_owned(), |v| unit.format_decimals(v, decimals))
        } else {
            mapping.text.clone()
        };
        return (text, colour);
    }
    match value {
        Some(v) => (unit.format_decimals(v, decimals), None),
        None => ("–".to_owned(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_win_over_numbers() {
        let mappings = vec![
            ValueMapping {
                value: Some(1.0),
                text: "UP".into(),
                color: Some("green".into()),
                ..ValueMapping::default()
            },
            ValueMapping {
                null: true,
                text: "N/A".into(),
                ..ValueMapping::default()
            },
        ];
        assert_eq!(
            value_text(Some(1.0), &Unit::Short, None, &mappings),
            ("UP".to_owned(), Some("#73bf69".to_owned()))
        );
        assert_eq!(value_text(None, &Unit::Short, None, &mappings).0, "N/A");
        assert_eq!(
            value_text(Some(2.5), &Unit::Percent, Some(1), &mappings).0,
            "2.5%"
        );
    }
}
