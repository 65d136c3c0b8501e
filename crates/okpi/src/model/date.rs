//! Dates as okpi reads them everywhere — in documents, requests and the `as_of` arguments of Python, C and the
//! CLI: exactly `YYYY-MM-DD`, ten ASCII characters naming a real day of the years 0001–9999. Nothing else is
//! accepted: no signs, no spaces, no one-digit months or days, no year 0 (chrono alone would take `+2026-03-10`,
//! `2026-3-1` and `0000-01-01`).

use chrono::NaiveDate;
use serde::de::{Deserializer, Error, Visitor};

/// Reads a `YYYY-MM-DD` date; the error says what is wrong with `text` (without naming where it came from).
///
/// ```
/// use okpi::model::parse_date;
/// assert_eq!(parse_date("2026-03-10").map(|d| d.to_string()), Ok("2026-03-10".to_owned()));
/// for bad in ["2026-3-1", " 2026-03-10", "+2026-03-10", "0000-01-01", "2026-02-30", "2026/03/10"] {
///     assert!(parse_date(bad).is_err(), "{bad}");
/// }
/// ```
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    match shape(text.as_bytes()) {
        None => Err(format!("{text:?} is not a YYYY-MM-DD date")),
        Some((year, month, day)) => NaiveDate::from_ymd_opt(year, month, day)
            .filter(|_| year >= 1)
            .ok_or_else(|| {
                format!("{text:?} is not a YYYY-MM-DD date: no such day (years run 0001 to 9999)")
            }),
    }
}

/// [`parse_date`] for a column of dates that repeat row after row (observations, check-ins): the text read last
/// and its date are kept, so a repeated date is ten bytes compared instead of a date checked and built.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LastDate {
    last: Option<([u8; 10], NaiveDate)>,
}

impl LastDate {
    /// The date `text` writes, as [`parse_date`] reads it (the same errors).
    pub(crate) fn parse(&mut self, text: &str) -> Result<NaiveDate, String> {
        if let (Some((seen, date)), Ok(bytes)) = (&self.last, <[u8; 10]>::try_from(text.as_bytes())) {
            if *seen == bytes {
                return Ok(*date);
            }
        }
        let date = parse_date(text)?;
        if let Ok(bytes) = <[u8; 10]>::try_from(text.as_bytes()) {
            self.last = Some((bytes, date));
        }
        Ok(date)
    }
}

/// `#[serde(deserialize_with)]` for a `NaiveDate` field.
pub(crate) fn de<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(DateVisitor)
}

/// `#[serde(deserialize_with)]` for an `Option<NaiveDate>` field (`null` or absent = `None`).
pub(crate) fn de_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    d.deserialize_option(OptionVisitor)
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YYYY-MM-DD date string")
    }

    fn visit_str<E: Error>(self, s: &str) -> Result<NaiveDate, E> {
        parse_date(s).map_err(E::custom)
    }
}

struct OptionVisitor;

impl<'de> Visitor<'de> for OptionVisitor {
    type Value = Option<NaiveDate>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YYYY-MM-DD date string or null")
    }

    fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        de(d).map(Some)
    }
}

/// The year, month and day of `YYYY-MM-DD` written in ASCII digits; `None` for any other shape.
fn shape(b: &[u8]) -> Option<(i32, u32, u32)> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *b else {
        return None;
    };
    let digit = |c: u8| c.is_ascii_digit().then(|| u32::from(c - b'0'));
    let year = ((digit(y0)? * 10 + digit(y1)?) * 10 + digit(y2)?) * 10 + digit(y3)?;
    let month = digit(m0)? * 10 + digit(m1)?;
    let day = digit(d0)? * 10 + digit(d1)?;
    Some((i32::try_from(year).ok()?, month, day))
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn only_real_days_written_yyyy_mm_dd() {
        assert_eq!(
            parse_date("2026-02-28").map(|d| d.to_string()),
            Ok("2026-02-28".into())
        );
        assert_eq!(
            parse_date("0001-01-01").map(|d| d.to_string()),
            Ok("0001-01-01".into())
        );
        assert_eq!(
            parse_date("9999-12-31").map(|d| d.to_string()),
            Ok("9999-12-31".into())
        );
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "0000-01-01",
            "2026-2-28",
            "2026-3-1",
            "+2026-02-28",
            "-2026-02-28",
            " 2026-03-10",
            "2026-03-10 ",
            "2026-03-10T00:00",
            "20260310",
            "2026/03/10",
            "２０２６-03-10",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn the_last_date_is_reused_and_errors_are_parse_dates() {
        let mut last = super::LastDate::default();
        for text in [
            "2026-03-10",
            "2026-03-10",
            "2026-02-30",
            "2026-03-10",
            "2026-03-11",
            "2026-3-1",
            "",
        ] {
            assert_eq!(last.parse(text), parse_date(text), "{text:?}");
        }
    }

    #[test]
    fn serde_fields_use_the_same_rule() {
        #[derive(serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        struct T {
            #[serde(deserialize_with = "super::de")]
            d: chrono::NaiveDate,
            #[serde(default, deserialize_with = "super::de_opt")]
            o: Option<chrono::NaiveDate>,
        }
        let t: T = serde_json::from_str(r#"{"d": "2026-03-10", "o": null}"#).unwrap();
        assert_eq!((t.d.to_string(), t.o), ("2026-03-10".into(), None));
        let t: T = serde_json::from_str(r#"{"d": "2026-03-10"}"#).unwrap();
        assert_eq!(t.o, None);
        let t: T = serde_json::from_str(r#"{"d": "2026-03-10", "o": "2026-03-11"}"#).unwrap();
        assert_eq!(t.o.map(|d| d.to_string()), Some("2026-03-11".into()));
        assert!(serde_json::from_str::<T>(r#"{"d": "2026-3-10"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"d": "2026-03-10", "o": "+2026-03-11"}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"d": 20260310}"#).is_err());
    }
}
