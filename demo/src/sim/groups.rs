//! Many events in one tick, drawn as a few: `n` events split into at most `cap` groups
//! whose sizes add up to `n`; the caller draws one value per group and records it for
//! every event of the group. A live tick (one second) rarely holds more events than
//! `cap`, so it draws each event on its own; a replayed ten-second tick of a busy
//! system draws `cap` values instead of hundreds, which keeps the replay of a month
//! within seconds while every counter stays exact.

/// How many values a tick draws for one kind of event at most.
pub const CAP: u64 = 8;

/// The group sizes of `n` events: `n` ones when `n <= cap`, else `cap` sizes.
pub fn groups(n: u64, cap: u64) -> impl Iterator<Item = u64> {
    let parts = n.min(cap.max(1));
    let size = n.checked_div(parts).unwrap_or(0);
    let rest = n.checked_rem(parts).unwrap_or(0);
    (0..parts).map(move |i| size + u64::from(i < rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_add_up() {
        assert_eq!(groups(3, 8).collect::<Vec<_>>(), [1, 1, 1]);
        assert_eq!(groups(0, 8).count(), 0);
        let big: Vec<u64> = groups(103, 8).collect();
        assert_eq!(big.len(), 8);
        assert_eq!(big.iter().sum::<u64>(), 103);
        assert!(big.iter().all(|s| (12..=13).contains(s)));
    }
}
