//! Stable colours per series: a series keeps its colour across refreshes and pages
//! because the colour comes from its name, not its position.

/// How many series colours the theme defines (`--series-0` .. `--series-9`).
pub const SERIES_COLOURS: usize = 10;

/// Fallback palette (the light theme's), used where the CSS variables are missing.
pub const FALLBACK: [(u8, u8, u8); SERIES_COLOURS] = [
    (49, 130, 206),
    (221, 107, 32),
    (56, 161, 105),
    (214, 60, 88),
    (128, 90, 213),
    (0, 163, 196),
    (183, 121, 31),
    (213, 63, 140),
    (90, 103, 216),
    (107, 142, 35),
];

/// The palette slot for a series name (FNV-1a, so it is the same in every browser).
pub fn colour_index(name: &str) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in name.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % SERIES_COLOURS
}

/// Colour slots for the series of one chart: each name gets its own slot when it is
/// free, else the next free one, taking names in sorted order so the result does not
/// depend on the order of the answer. With more series than colours, slots repeat.
pub fn assign_colours<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> std::collections::HashMap<String, usize> {
    let mut sorted: Vec<&str> = names.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut taken = [false; SERIES_COLOURS];
    let mut out = std::collections::HashMap::with_capacity(sorted.len());
    for (i, name) in sorted.into_iter().enumerate() {
        if i % SERIES_COLOURS == 0 {
            taken = [false; SERIES_COLOURS];
        }
        let preferred = colour_index(name);
        let slot = (0..SERIES_COLOURS)
            .map(|k| (preferred + k) % SERIES_COLOURS)
            .find(|s| !taken[*s])
            .unwrap_or(preferred);
        taken[slot] = true;
        out.insert(name.to_owned(), slot);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_of_up_to_ten_series_has_distinct_colours() {
        let names = [
            "architect-v1",
            "developer-v1",
            "pm-v1",
            "qualifier-v1",
            "tester-v1",
            "writer-v1",
        ];
        let slots = assign_colours(names);
        let mut used: Vec<usize> = slots.values().copied().collect();
        used.sort_unstable();
        used.dedup();
        assert_eq!(used.len(), names.len());
        assert_eq!(
            assign_colours(names.iter().rev().copied()),
            slots,
            "order does not matter"
        );
    }

    #[test]
    fn same_name_same_colour() {
        assert_eq!(
            colour_index("acme/payments-api"),
            colour_index("acme/payments-api")
        );
        assert!(colour_index("x") < SERIES_COLOURS);
    }
}
