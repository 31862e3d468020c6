//! The dates of export files: Unix times in seconds, milliseconds, microseconds or
//! nanoseconds (Google Bookmarks wrote nanoseconds), ISO 8601, and Python's
//! `2022-12-05 12:42:10.123456+00:00`.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// A Unix time of any of the four units, told apart by size: a number of seconds stays
/// under 10^11 until the year 5138, and each finer unit is 1,000 times larger. Zero and
/// values out of range mean "no date".
pub fn unix(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    let n: i128 = match value.split_once('.') {
        // Fractional seconds ("1700000000.5") are seconds.
        Some((whole, _)) => whole.parse().ok()?,
        None => value.parse().ok()?,
    };
    if n == 0 {
        return None;
    }
    let magnitude = n.unsigned_abs();
    let (secs, nanos) = if magnitude < 100_000_000_000 {
        (n, 0)
    } else if magnitude < 100_000_000_000_000 {
        (n.div_euclid(1_000), n.rem_euclid(1_000) * 1_000_000)
    } else if magnitude < 100_000_000_000_000_000 {
        (n.div_euclid(1_000_000), n.rem_euclid(1_000_000) * 1_000)
    } else {
        (n.div_euclid(1_000_000_000), n.rem_euclid(1_000_000_000))
    };
    Utc.timestamp_opt(i64::try_from(secs).ok()?, nanos as u32)
        .single()
}

/// An ISO 8601 / RFC 3339 date-time, with `T` or a space, with or without an offset
/// (without: UTC), or a bare date; else a Unix time.
pub fn any(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(t) = DateTime::parse_from_str(value, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(value, format) {
            return Some(t.and_utc());
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    unix(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_is_the_same_moment() {
        let want = Utc.with_ymd_and_hms(2023, 11, 14, 22, 13, 20).unwrap();
        for v in [
            "1700000000",
            "1700000000000",
            "1700000000000000",
            "1700000000000000000",
            " 1700000000.25 ",
        ] {
            assert_eq!(unix(v), Some(want), "{v}");
        }
        assert_eq!(
            unix("1700000000123").map(|t| t.timestamp_subsec_millis()),
            Some(123)
        );
        assert_eq!(unix("0"), None);
        assert_eq!(unix("soon"), None);
        assert_eq!(unix("99999999999999999999999999"), None);
        // Safari writes dates before 1970 as negative seconds.
        assert_eq!(
            unix("-868878000").map(|t| t.format("%Y").to_string()),
            Some("1942".into())
        );
    }

    #[test]
    fn text_dates() {
        let t = |s| any(s).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        assert_eq!(
            t("2019-12-31T23:59:59.999Z").as_deref(),
            Some("2019-12-31T23:59:59.999Z")
        );
        assert_eq!(
            t("2022-12-05 12:42:10+00:00").as_deref(),
            Some("2022-12-05T12:42:10.000Z")
        );
        assert_eq!(
            t("2022-12-05 12:42:10.123456+09:00").as_deref(),
            Some("2022-12-05T03:42:10.123Z")
        );
        assert_eq!(
            t("2016-10-31T15:57:56").as_deref(),
            Some("2016-10-31T15:57:56.000Z")
        );
        assert_eq!(t("2016-10-31").as_deref(), Some("2016-10-31T00:00:00.000Z"));
        assert_eq!(t("1234567890").as_deref(), Some("2009-02-13T23:31:30.000Z"));
        assert_eq!(t("yesterday"), None);
    }
}
