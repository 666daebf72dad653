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
    (100, 116, 139),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_name_same_colour() {
        assert_eq!(
            colour_index("acme/payments-api"),
            colour_index("acme/payments-api")
        );
        assert!(colour_index("x") < SERIES_COLOURS);
    }
}
