//! Arrow in and out (feature `arrow`, README "Warehouse"): observations and check-ins read from Arrow record
//! batches column by column, with no JSON in between; query cells, evaluations, target scores and alert events
//! written as record batches.
//!
//! Columns are found by name, so their order and any extra columns do not matter. Readers accept the types the
//! usual producers write (pyarrow, polars, pandas through pyarrow, DuckDB, Spark): strings as `Utf8`, `LargeUtf8`,
//! `Utf8View` or dictionary-encoded; dates as `Date32`, `Date64`, a timestamp without time zone (its day) or
//! `YYYY-MM-DD` text; numbers as any float, integer or decimal type. A bad cell is refused with the path of its
//! row in the JSON form (`$.observations[12].value`), as a document would be.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{ArrayRef, Date32Array, Float64Array, RecordBatch, StringArray};
//! let batch = RecordBatch::try_from_iter([
//!     ("measure", Arc::new(StringArray::from(vec!["orders", "orders"])) as ArrayRef),
//!     ("date", Arc::new(Date32Array::from(vec![20514, 20515])) as ArrayRef), // 2026-03-02, 03
//!     ("value", Arc::new(Float64Array::from(vec![3.0, 4.0])) as ArrayRef),
//!     ("unit", Arc::new(StringArray::from(vec![Some("east"), None])) as ArrayRef),
//! ]).unwrap();
//! let obs = okpi::arrow::observations(&[batch])?;
//! assert_eq!(obs[0].date.to_string(), "2026-03-02");
//! assert_eq!(obs[0].dims["unit"], "east");
//! assert!(obs[1].dims.is_empty()); // a null dim is an absent dim
//! # Ok::<(), okpi::Error>(())
//! ```

mod columns;
mod read;
mod write;

pub use read::{alert_series, check_ins, observations};
pub use write::{alert_events, cells, key_results, objectives, scorecards, targets};
