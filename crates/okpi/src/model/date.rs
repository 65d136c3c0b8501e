//! Reading the dates of check-ins and observations, the most numerous in a document: `YYYY-MM-DD` is read digit by
//! digit; anything else goes to chrono's parser, so accepted texts and error messages are chrono's own.

use chrono::NaiveDate;
use serde::de::{Deserializer, Error, Visitor};

/// `#[serde(deserialize_with)]` for a `NaiveDate` field.
pub(crate) fn de<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(DateVisitor)
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // chrono's words, so a wrong type reads the same as before.
        f.write_str("a formatted date string")
    }

    fn visit_str<E: Error>(self, s: &str) -> Result<NaiveDate, E> {
        if let Some(d) = plain(s.as_bytes()) {
            return Ok(d);
        }
        s.parse().map_err(E::custom)
    }
}

/// `YYYY-MM-DD` of ASCII digits naming a real day; `None` for anything else.
fn plain(b: &[u8]) -> Option<NaiveDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *b else {
        return None;
    };
    let digit = |c: u8| c.is_ascii_digit().then(|| u32::from(c - b'0'));
    let year = ((digit(y0)? * 10 + digit(y1)?) * 10 + digit(y2)?) * 10 + digit(y3)?;
    let month = digit(m0)? * 10 + digit(m1)?;
    let day = digit(d0)? * 10 + digit(d1)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn plain_dates_and_the_rest() {
        assert_eq!(
            plain(b"2026-02-28").map(|d| d.to_string()),
            Some("2026-02-28".into())
        );
        assert_eq!(plain(b"2026-02-30"), None); // not a day: chrono reports it
        assert_eq!(plain(b"2026-2-28"), None);
        assert_eq!(plain(b"+2026-02-28"), None);
    }
}
