//! Observations and check-ins from record batches.

use super::columns::{date, number, Text};
use crate::error::{Code, Error, Problem};
use crate::model::{CheckIn, Observation};
use arrow_array::{Array, ArrayRef, RecordBatch};
use std::collections::BTreeMap;

/// The observations in `batches`: columns `measure` (text), `date`, `value` (a number), optionally `source`
/// (text); every other column is a dim, read as text, a null being an absent dim (a column `dims.unit`, as in the
/// CLI's CSV tables, is the dim `unit`). Rows are numbered across the
/// batches for error paths (`$.observations[i]`). A null measure, date or value, or a NaN or infinite value, is
/// refused: missing data is never read as 0.
pub fn observations(batches: &[RecordBatch]) -> Result<Vec<Observation>, Error> {
    let mut out = Vec::with_capacity(batches.iter().map(RecordBatch::num_rows).sum());
    for batch in batches {
        let base = out.len();
        let at = |row: usize, field: &str| format!("$.observations[{}].{field}", base + row);
        let measure = text_column(batch, "observations", "measure", true)?;
        let date_col = column(batch, "observations", "date", true)?;
        let value_col = column(batch, "observations", "value", true)?;
        let source = text_column(batch, "observations", "source", false)?;
        let mut dims = Vec::new();
        for (i, f) in batch.schema().fields().iter().enumerate() {
            if ["measure", "date", "value", "source"].contains(&f.name().as_str()) {
                continue;
            }
            let array = batch.column(i);
            let Some(t) = Text::new(array) else {
                return Err(parse(
                    format!("$.observations[*].dims.{}", f.name()),
                    format!("dim column {} is {}, not text", f.name(), f.data_type()),
                ));
            };
            // `dims.unit` (the CLI's CSV header) and `unit` name the same dim.
            let dim = f.name().strip_prefix("dims.").unwrap_or(f.name());
            dims.push((dim.to_owned(), t));
        }
        for row in 0..batch.num_rows() {
            let (Some(measure), Some(date_col), Some(value_col)) = (&measure, date_col, value_col) else {
                break;
            };
            let m = measure
                .get(row)
                .ok_or_else(|| missing(at(row, "measure"), "measure"))?;
            let d = date(date_col, row)
                .map_err(|e| parse(at(row, "date"), e))?
                .ok_or_else(|| missing(at(row, "date"), "date"))?;
            let v = finite(value_col, row, &at(row, "value"), m)?;
            let dims = dims
                .iter()
                .filter_map(|(k, t)| t.get(row).map(|v| (k.clone(), v.to_owned())))
                .collect::<BTreeMap<_, _>>();
            out.push(Observation {
                measure: m.to_owned(),
                date: d,
                value: v,
                dims,
                source: source.as_ref().and_then(|s| s.get(row)).map(str::to_owned),
            });
        }
    }
    Ok(out)
}

/// The check-ins in `batches`: columns `key_result` (text), `date`, and optionally `value`, `confidence` (numbers,
/// null = none) and `note` (text). Paths are `$.check_ins[i]`.
pub fn check_ins(batches: &[RecordBatch]) -> Result<Vec<CheckIn>, Error> {
    let mut out = Vec::with_capacity(batches.iter().map(RecordBatch::num_rows).sum());
    for batch in batches {
        let base = out.len();
        let at = |row: usize, field: &str| format!("$.check_ins[{}].{field}", base + row);
        let kr = text_column(batch, "check_ins", "key_result", true)?;
        let date_col = column(batch, "check_ins", "date", true)?;
        let value = column(batch, "check_ins", "value", false)?;
        let confidence = column(batch, "check_ins", "confidence", false)?;
        let note = text_column(batch, "check_ins", "note", false)?;
        for row in 0..batch.num_rows() {
            let (Some(kr), Some(date_col)) = (&kr, date_col) else {
                break;
            };
            let id = kr
                .get(row)
                .ok_or_else(|| missing(at(row, "key_result"), "key_result"))?;
            let d = date(date_col, row)
                .map_err(|e| parse(at(row, "date"), e))?
                .ok_or_else(|| missing(at(row, "date"), "date"))?;
            let optional = |c: Option<&ArrayRef>, field: &str| -> Result<Option<f64>, Error> {
                let Some(c) = c else { return Ok(None) };
                match number(c, row).map_err(|e| parse(at(row, field), e))? {
                    Some(v) if !v.is_finite() => Err(not_finite(at(row, field), id, v)),
                    v => Ok(v),
                }
            };
            out.push(CheckIn {
                key_result: id.to_owned(),
                date: d,
                value: optional(value, "value")?,
                confidence: optional(confidence, "confidence")?,
                note: note.as_ref().and_then(|n| n.get(row)).map(str::to_owned),
            });
        }
    }
    Ok(out)
}

fn finite(col: &ArrayRef, row: usize, path: &str, id: &str) -> Result<f64, Error> {
    match number(col, row).map_err(|e| parse(path.to_owned(), e))? {
        None => Err(missing(path.to_owned(), "value")),
        Some(v) if !v.is_finite() => Err(not_finite(path.to_owned(), id, v)),
        Some(v) => Ok(v),
    }
}

/// The column `name` of `batch`; an error when it is `required` and absent.
fn column<'b>(
    batch: &'b RecordBatch,
    table: &str,
    name: &str,
    required: bool,
) -> Result<Option<&'b ArrayRef>, Error> {
    match batch.schema().index_of(name) {
        Ok(i) => Ok(Some(batch.column(i))),
        Err(_) if !required => Ok(None),
        Err(_) if batch.num_rows() == 0 => Ok(None),
        Err(_) => Err(Error::invalid(vec![Problem::new(
            Code::E_MISSING_FIELD,
            format!("$.{table}[*].{name}"),
            None,
            format!("the {table} table has no {name} column"),
        )])),
    }
}

fn text_column<'b>(
    batch: &'b RecordBatch,
    table: &str,
    name: &str,
    required: bool,
) -> Result<Option<Text<'b>>, Error> {
    let Some(c) = column(batch, table, name, required)? else {
        return Ok(None);
    };
    match Text::new(c) {
        Some(t) => Ok(Some(t)),
        None if c.null_count() == c.len() && !required => Ok(None), // an all-null column of another type
        None => Err(parse(
            format!("$.{table}[*].{name}"),
            format!("column {name} is {}, not text", c.data_type()),
        )),
    }
}

fn parse(path: String, message: String) -> Error {
    Error::parse(Problem::new(Code::E_PARSE, path, None, message))
}

fn missing(path: String, field: &str) -> Error {
    Error::invalid(vec![Problem::new(
        Code::E_MISSING_FIELD,
        path,
        None,
        format!("{field} is null: missing data is refused, never read as 0"),
    )])
}

fn not_finite(path: String, id: &str, v: f64) -> Error {
    Error::invalid(vec![Problem::new(
        Code::E_NOT_FINITE,
        path,
        Some(id),
        format!("{v} is not a finite number"),
    )])
}

/// An alert series from `batches`: columns `date` and `value` (a number; null, NaN or infinite is missing data,
/// as in [`crate::alert::AlertObservation`]), in the order given. Paths are `$.series[i]`.
pub fn alert_series(batches: &[RecordBatch]) -> Result<Vec<crate::alert::AlertObservation>, Error> {
    let mut out = Vec::with_capacity(batches.iter().map(RecordBatch::num_rows).sum());
    for batch in batches {
        let base = out.len();
        let at = |row: usize, field: &str| format!("$.series[{}].{field}", base + row);
        let (Some(date_col), Some(value_col)) = (
            column(batch, "series", "date", true)?,
            column(batch, "series", "value", true)?,
        ) else {
            continue;
        };
        for row in 0..batch.num_rows() {
            let d = date(date_col, row)
                .map_err(|e| parse(at(row, "date"), e))?
                .ok_or_else(|| missing(at(row, "date"), "date"))?;
            let value = number(value_col, row).map_err(|e| parse(at(row, "value"), e))?;
            out.push(crate::alert::AlertObservation { date: d, value });
        }
    }
    Ok(out)
}
