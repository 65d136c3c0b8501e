//! Typed views of one Arrow column, whatever physical type a producer chose for it.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float16Type, Float32Type, Float64Type, Int16Type, Int32Type,
    Int64Type, Int8Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, TimeUnit};
use chrono::{Datelike, NaiveDate};

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01, Arrow's day 0.
const EPOCH_FROM_CE: i64 = 719_163;

/// The date of an Arrow day number (days since 1970-01-01); `None` outside chrono's calendar.
pub(crate) fn date_of_day(day: i64) -> Option<NaiveDate> {
    i32::try_from(day.checked_add(EPOCH_FROM_CE)?)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// The Arrow day number (`Date32`) of a date.
pub(crate) fn day_of_date(d: NaiveDate) -> i32 {
    d.num_days_from_ce().saturating_sub(EPOCH_FROM_CE as i32)
}

/// A column read as text.
pub(crate) enum Text<'a> {
    Plain(&'a ArrayRef),
    /// A dictionary: keys resolved to positions in `values`.
    Dict {
        array: &'a ArrayRef,
        keys: Vec<usize>,
        values: ArrayRef,
    },
}

impl<'a> Text<'a> {
    /// `None` when the column is not text.
    pub(crate) fn new(array: &'a ArrayRef) -> Option<Self> {
        match array.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Some(Text::Plain(array)),
            DataType::Dictionary(_, v) if is_text(v) => {
                let dict = array.as_any_dictionary_opt()?;
                Some(Text::Dict {
                    array,
                    keys: dict.normalized_keys(),
                    values: dict.values().clone(),
                })
            }
            _ => None,
        }
    }

    /// The text at `row`; `None` when null.
    pub(crate) fn get(&self, row: usize) -> Option<&str> {
        match self {
            Text::Plain(a) => plain(a, row),
            Text::Dict { array, keys, values } => {
                if array.is_null(row) {
                    return None;
                }
                plain(values, *keys.get(row)?)
            }
        }
    }
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn plain(a: &ArrayRef, row: usize) -> Option<&str> {
    if row >= a.len() || a.is_null(row) {
        return None;
    }
    match a.data_type() {
        DataType::Utf8 => Some(a.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => Some(a.as_string::<i64>().value(row)),
        DataType::Utf8View => Some(a.as_string_view().value(row)),
        _ => None,
    }
}

/// A numeric cell: a number, null, or a type that is not a number.
pub(crate) fn number(a: &ArrayRef, row: usize) -> Result<Option<f64>, String> {
    if row >= a.len() || a.is_null(row) {
        return Ok(None);
    }
    macro_rules! prim {
        ($t:ty) => {
            a.as_primitive::<$t>().value(row) as f64
        };
    }
    let v = match a.data_type() {
        DataType::Float64 => prim!(Float64Type),
        DataType::Float32 => prim!(Float32Type),
        DataType::Float16 => f64::from(a.as_primitive::<Float16Type>().value(row)),
        DataType::Int8 => prim!(Int8Type),
        DataType::Int16 => prim!(Int16Type),
        DataType::Int32 => prim!(Int32Type),
        DataType::Int64 => prim!(Int64Type),
        DataType::UInt8 => prim!(UInt8Type),
        DataType::UInt16 => prim!(UInt16Type),
        DataType::UInt32 => prim!(UInt32Type),
        DataType::UInt64 => prim!(UInt64Type),
        DataType::Decimal128(_, scale) => {
            // Through the decimal text, so that 0.1 reads as the double nearest 0.1, as JSON's 0.1 does.
            let raw = a.as_primitive::<Decimal128Type>().value(row);
            decimal(raw, *scale)
        }
        t => return Err(format!("a {t} column is not a number")),
    };
    Ok(Some(v))
}

fn decimal(raw: i128, scale: i8) -> f64 {
    let text = if scale <= 0 {
        format!("{raw}e{}", -i32::from(scale))
    } else {
        format!("{raw}e-{scale}")
    };
    text.parse().unwrap_or(f64::NAN)
}

/// A date cell: a date, null, or an error saying why not.
pub(crate) fn date(a: &ArrayRef, row: usize) -> Result<Option<NaiveDate>, String> {
    if row >= a.len() || a.is_null(row) {
        return Ok(None);
    }
    let day = |d: i64| {
        date_of_day(d)
            .map(Some)
            .ok_or_else(|| format!("day {d} is outside the calendar"))
    };
    match a.data_type() {
        DataType::Date32 => day(i64::from(a.as_primitive::<Date32Type>().value(row))),
        DataType::Date64 => day(a.as_primitive::<Date64Type>().value(row).div_euclid(86_400_000)),
        DataType::Timestamp(unit, None) => {
            let (v, per_day) = match unit {
                TimeUnit::Second => (a.as_primitive::<TimestampSecondType>().value(row), 86_400),
                TimeUnit::Millisecond => (
                    a.as_primitive::<TimestampMillisecondType>().value(row),
                    86_400_000,
                ),
                TimeUnit::Microsecond => (
                    a.as_primitive::<TimestampMicrosecondType>().value(row),
                    86_400_000_000,
                ),
                TimeUnit::Nanosecond => (
                    a.as_primitive::<TimestampNanosecondType>().value(row),
                    86_400_000_000_000,
                ),
            };
            day(v.div_euclid(per_day))
        }
        DataType::Timestamp(_, Some(tz)) => Err(format!(
            "a timestamp in time zone {tz} has no one day: cast it to a date first"
        )),
        _ => match Text::new(a) {
            Some(t) => match t.get(row) {
                Some(s) => crate::model::parse_date(s).map(Some),
                None => Ok(None),
            },
            None => Err(format!("a {} column is not a date", a.data_type())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Decimal128Array, Int64Array};
    use std::sync::Arc;

    #[test]
    fn arrow_days_are_chrono_dates() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(day_of_date(d(1970, 1, 1)), 0);
        assert_eq!(day_of_date(d(2026, 3, 2)), 20514);
        assert_eq!(day_of_date(d(1969, 12, 31)), -1);
        for day in [-719_162, -1, 0, 20514, 2_932_896] {
            assert_eq!(date_of_day(day).map(day_of_date), Some(day as i32));
        }
        assert_eq!(date_of_day(i64::MAX), None);
    }

    #[test]
    fn decimals_read_as_their_text_and_other_types_are_refused() {
        let a: ArrayRef = Arc::new(
            Decimal128Array::from(vec![Some(100), Some(-25), None])
                .with_precision_and_scale(9, 3)
                .unwrap(),
        );
        assert_eq!(number(&a, 0), Ok(Some(0.1)));
        assert_eq!(number(&a, 1), Ok(Some(-0.025)));
        assert_eq!(number(&a, 2), Ok(None));
        let big: ArrayRef = Arc::new(
            Decimal128Array::from(vec![7])
                .with_precision_and_scale(9, -2)
                .unwrap(),
        );
        assert_eq!(number(&big, 0), Ok(Some(700.0)));
        let ints: ArrayRef = Arc::new(Int64Array::from(vec![3]));
        assert_eq!(number(&ints, 0), Ok(Some(3.0)));
        assert!(date(&ints, 0).unwrap_err().contains("not a date"));
        let text: ArrayRef = Arc::new(arrow_array::StringArray::from(vec!["x"]));
        assert!(number(&text, 0).unwrap_err().contains("not a number"));
    }
}
