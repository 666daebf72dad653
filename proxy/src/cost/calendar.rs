//! Calendar arithmetic in the cost time zone: where a month and a day start and end,
//! weekends, and daylight saving (a local day can be 23 or 25 hours long).

use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// A time zone for cost periods.
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: TimeZone,
    name: String,
}

/// One local calendar day: `[start, end)` in unix seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Day {
    pub start: i64,
    pub end: i64,
    pub weekend: bool,
}

impl Calendar {
    /// `UTC`, or an IANA name such as `Europe/Berlin`.
    pub fn new(name: &str) -> Result<Self, String> {
        let tz = TimeZone::get(name).map_err(|e| format!("unknown time zone {name:?}: {e}"))?;
        Ok(Self {
            tz,
            name: name.to_owned(),
        })
    }

    pub fn utc() -> Self {
        Self {
            tz: TimeZone::UTC,
            name: "UTC".to_owned(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn zoned(&self, unix: i64) -> Result<ZonedDateTime, String> {
        Timestamp::from_second(unix)
            .map(|t| t.to_zoned_datetime(self.tz.clone()))
            .map_err(|e| format!("time {unix}: {e}"))
    }

    /// The calendar month holding `unix`: `(start, end)`, end exclusive.
    pub fn month(&self, unix: i64) -> Result<(i64, i64), String> {
        let at = self.zoned(unix)?;
        let start = at
            .first_of_month()
            .and_then(|d| d.start_of_day())
            .map_err(|e| e.to_string())?;
        let end = at
            .last_of_month()
            .and_then(|d| d.tomorrow())
            .and_then(|d| d.start_of_day())
            .map_err(|e| e.to_string())?;
        Ok((start.timestamp().as_second(), end.timestamp().as_second()))
    }

    /// The local day holding `unix`.
    pub fn day(&self, unix: i64) -> Result<Day, String> {
        let at = self.zoned(unix)?;
        let start = at.start_of_day().map_err(|e| e.to_string())?;
        let end = at
            .tomorrow()
            .and_then(|d| d.start_of_day())
            .map_err(|e| e.to_string())?;
        Ok(Day {
            start: start.timestamp().as_second(),
            end: end.timestamp().as_second(),
            weekend: matches!(
                at.weekday(),
                jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
            ),
        })
    }

    /// Every local day that starts in `[from, to)`, plus the one holding `from`.
    pub fn days(&self, from: i64, to: i64) -> Result<Vec<Day>, String> {
        let mut days = Vec::new();
        let mut at = from;
        while at < to {
            let day = self.day(at)?;
            days.push(day);
            at = day.end;
        }
        Ok(days)
    }

    /// Minutes since local midnight at `unix` (for the hour-of-day profile).
    pub fn minute_of_day(&self, unix: i64) -> Result<u32, String> {
        let at = self.zoned(unix)?;
        Ok(u32::try_from(i32::from(at.hour()) * 60 + i32::from(at.minute())).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2024-02-29 12:00:00 UTC, a leap day.
    const LEAP_DAY_NOON: i64 = 1_709_208_000;

    #[test]
    fn months_of_a_leap_year() {
        let utc = Calendar::utc();
        let (start, end) = utc.month(LEAP_DAY_NOON).expect("month");
        assert_eq!(start, 1_706_745_600); // 2024-02-01
        assert_eq!(end, 1_709_251_200); // 2024-03-01
        assert_eq!((end - start) / 86_400, 29);
        // 2023 has 28 days in February.
        let (start, end) = utc.month(1_676_462_400).expect("month"); // 2023-02-15
        assert_eq!((end - start) / 86_400, 28);
    }

    #[test]
    fn month_boundaries_follow_the_time_zone() {
        let berlin = Calendar::new("Europe/Berlin").expect("tz");
        // 2024-02-29 23:30 UTC is already 1 March in Berlin.
        let late = 1_709_249_400;
        let (start, _) = berlin.month(late).expect("month");
        assert_eq!(start, 1_709_247_600); // 2024-02-29 23:00 UTC = 1 March 00:00 CET
        let (start, _) = Calendar::utc().month(late).expect("month");
        assert_eq!(start, 1_706_745_600);
        assert!(Calendar::new("Mars/Olympus").is_err());
    }

    #[test]
    fn a_daylight_saving_day_is_23_hours() {
        let berlin = Calendar::new("Europe/Berlin").expect("tz");
        // 2024-03-31, clocks go forward.
        let day = berlin.day(1_711_886_400).expect("day");
        assert_eq!(day.end - day.start, 23 * 3_600);
        assert!(day.weekend);
        let days = berlin.days(1_711_584_000, 1_711_929_600).expect("days");
        assert!(days.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(
            berlin.minute_of_day(1_711_886_400).expect("minute"),
            14 * 60
        );
    }
}
