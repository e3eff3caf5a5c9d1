//! Dates in the forms feeds write them where feed-rs does not read them for us (Dublin Core, dcterms,
//! CDF): RFC 3339 / W3C-DTF (down to a bare year-month-day, or minutes without a zone) and RFC 2822.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Parse a feed date; a date without a zone is taken as UTC. None when it is no date we know.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    // W3C-DTF with minutes and a zone (`2004-01-01T10:20+01:00`, `…Z`).
    for fmt in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%M%#z"] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d.with_timezone(&Utc));
        }
    }
    let zoneless = s.strip_suffix('Z').unwrap_or(s);
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(zoneless, fmt) {
            return Some(d.and_utc());
        }
    }
    NaiveDate::parse_from_str(zoneless, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn forms() {
        let at = |y, mo, d, h, mi| Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap());
        assert_eq!(parse_date("2021-03-04T05:06:00Z"), at(2021, 3, 4, 5, 6));
        assert_eq!(parse_date("2021-03-04T05:06+01:00"), at(2021, 3, 4, 4, 6));
        assert_eq!(parse_date("1998-11-04T10:20"), at(1998, 11, 4, 10, 20));
        assert_eq!(parse_date("2020-01-02"), at(2020, 1, 2, 0, 0));
        assert_eq!(
            parse_date("Tue, 02 Jan 2024 10:30:00 GMT"),
            at(2024, 1, 2, 10, 30)
        );
        assert_eq!(parse_date("yesterday"), None);
    }
}
