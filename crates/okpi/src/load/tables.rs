//! CSV tables of observations and check-ins, read into the JSON objects of the library's document (the `tables`
//! feature).
//!
//! Columns are named like the JSON fields: observations take `measure`, `date`, `value`, optional `source` and
//! `dims.NAME` columns (one per dimension, e.g. `dims.unit`); check-ins take `key_result`, `date`, optional `value`,
//! `confidence` and `note`. An empty cell is an absent field. Every bad cell is reported, each with its JSON path
//! in the merged document and its file and line.

use super::Located;
use crate::error::Code;
use serde_json::{Map, Value};

/// Which table a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// KPI observations.
    Observations,
    /// Key-result check-ins.
    CheckIns,
}

/// How a column's cells become JSON.
#[derive(Clone, Copy, PartialEq)]
enum Cell {
    Text,
    Date,
    Number,
}

impl Table {
    fn key(self) -> &'static str {
        match self {
            Table::Observations => "observations",
            Table::CheckIns => "check_ins",
        }
    }

    /// `(column, kind, required)`; `dims.*` columns are text and optional.
    fn columns(self) -> &'static [(&'static str, Cell, bool)] {
        match self {
            Table::Observations => &[
                ("measure", Cell::Text, true),
                ("date", Cell::Date, true),
                ("value", Cell::Number, true),
                ("source", Cell::Text, false),
            ],
            Table::CheckIns => &[
                ("key_result", Cell::Text, true),
                ("date", Cell::Date, true),
                ("value", Cell::Number, false),
                ("confidence", Cell::Number, false),
                ("note", Cell::Text, false),
            ],
        }
    }
}

/// The rows read from one file, each with its origin, and every problem found.
pub struct Read {
    /// JSON objects with `file line N` origins.
    pub rows: Vec<(Value, String)>,
    /// Every problem, each with its path, line and column.
    pub problems: Vec<Located>,
    /// The file's columns, in order (a problem's field is found among them: its column).
    pub headers: Vec<String>,
}

/// Reads the CSV `text` of `table` from `file`; the first row will sit at index `first` of the document's array.
pub fn read(table: Table, text: &str, file: &str, first: usize) -> Read {
    let mut out = Read {
        rows: Vec::new(),
        problems: Vec::new(),
        headers: Vec::new(),
    };
    let key = table.key();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header_origin = Some(format!("{file} line 1"));
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => {
            out.problems.push(Located::at(
                Code::E_PARSE,
                format!("$.csv.{key}"),
                header_origin,
                e.to_string(),
            ));
            return out;
        }
    };
    let mut kinds = Vec::with_capacity(headers.len());
    for h in &headers {
        let known = table.columns().iter().find(|(name, _, _)| name == h).map(|c| c.1);
        match (known, h.strip_prefix("dims.")) {
            (Some(kind), _) => kinds.push(kind),
            (None, Some(dim)) if table == Table::Observations && !dim.is_empty() => kinds.push(Cell::Text),
            _ => {
                let msg = format!("{file}: unknown column {h:?} in a table of {key}");
                out.problems.push(Located::at(
                    Code::E_FIELD_NOT_ALLOWED,
                    format!("$.csv.{key}"),
                    header_origin.clone(),
                    msg,
                ));
                kinds.push(Cell::Text);
            }
        }
    }
    for (name, _, required) in table.columns() {
        if *required && !headers.iter().any(|h| h == name) {
            let msg = format!("{file}: a table of {key} needs a {name:?} column");
            out.problems.push(Located::at(
                Code::E_MISSING_FIELD,
                format!("$.csv.{key}"),
                header_origin.clone(),
                msg,
            ));
        }
    }
    if !out.problems.is_empty() {
        return out;
    }
    for (i, record) in reader.records().enumerate() {
        let path = format!("$.{key}[{}]", first + i);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let origin = Some(format!("{file} line {line}"));
                out.problems
                    .push(Located::at(Code::E_PARSE, path, origin, e.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let origin = format!("{file} line {line}");
        let mut object = Map::new();
        let mut dims = Map::new();
        let mut bad_cells = Vec::new();
        for (column, ((header, kind), cell)) in headers.iter().zip(&kinds).zip(record.iter()).enumerate() {
            if cell.is_empty() {
                continue;
            }
            let field_path = format!("{path}.{header}");
            let mut bad = |code, msg: String| {
                bad_cells.push(header.clone());
                let at = format!("{origin} column {}", column + 1);
                Located::at(code, field_path.clone(), Some(at), msg)
            };
            let value = match kind {
                Cell::Text => Value::String(cell.to_owned()),
                Cell::Date => match crate::model::parse_date(cell) {
                    Ok(_) => Value::String(cell.to_owned()),
                    Err(e) => {
                        out.problems.push(bad(Code::E_PARSE, format!("{header}: {e}")));
                        continue;
                    }
                },
                Cell::Number => match cell.parse::<f64>() {
                    Ok(x) if x.is_finite() => Value::from(x),
                    Ok(x) => {
                        out.problems
                            .push(bad(Code::E_NOT_FINITE, format!("{header} is {x}")));
                        continue;
                    }
                    Err(_) => {
                        out.problems
                            .push(bad(Code::E_PARSE, format!("{header} {cell:?} is not a number")));
                        continue;
                    }
                },
            };
            match header.strip_prefix("dims.") {
                Some(dim) => {
                    dims.insert(dim.to_owned(), value);
                }
                None => {
                    object.insert(header.clone(), value);
                }
            }
        }
        for (name, _, required) in table.columns() {
            if *required && !object.contains_key(*name) && !bad_cells.iter().any(|b| b == name) {
                out.problems.push(Located::at(
                    Code::E_MISSING_FIELD,
                    format!("{path}.{name}"),
                    Some(origin.clone()),
                    format!("{name} is empty"),
                ));
            }
        }
        if !dims.is_empty() {
            object.insert("dims".to_owned(), Value::Object(dims));
        }
        out.rows.push((Value::Object(object), origin));
    }
    out.headers = headers;
    out
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    #[test]
    fn observations_with_dims_and_empty_cells() {
        let text = "measure,date,value,dims.unit,dims.region,source\n\
                    tickets,2026-01-02,12,service,,crm\n\
                    tickets,2026-01-03,3.5,service,north,\n";
        let r = read(Table::Observations, text, "o.csv", 4);
        assert!(r.problems.is_empty());
        assert_eq!(r.rows[0].0["dims"], serde_json::json!({"unit": "service"}));
        assert_eq!(r.rows[0].0["source"], "crm");
        assert_eq!(r.rows[1].0["value"], 3.5);
        assert!(r.rows[1].0.get("source").is_none());
        assert_eq!(r.rows[1].1, "o.csv line 3");
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_path_and_line() {
        let text =
            "key_result,date,value,confidence\nk1,2026-13-01,x,5\nk1,2026-01-02,4,inf\n,2026-01-03,,\n";
        let r = read(Table::CheckIns, text, "c.csv", 0);
        let got: Vec<(&str, &str, &str)> = r
            .problems
            .iter()
            .map(|p| {
                (
                    p.problem.code.as_str(),
                    p.problem.path.as_str(),
                    p.origin.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("E_PARSE", "$.check_ins[0].date", "c.csv line 2 column 2"),
                ("E_PARSE", "$.check_ins[0].value", "c.csv line 2 column 3"),
                (
                    "E_NOT_FINITE",
                    "$.check_ins[1].confidence",
                    "c.csv line 3 column 4"
                ),
                ("E_MISSING_FIELD", "$.check_ins[2].key_result", "c.csv line 4"),
            ]
        );
    }

    #[test]
    fn unknown_and_missing_columns() {
        let r = read(Table::CheckIns, "kr,date\nk,2026-01-01\n", "c.csv", 0);
        let codes: Vec<&str> = r.problems.iter().map(|p| p.problem.code.as_str()).collect();
        assert_eq!(codes, ["E_FIELD_NOT_ALLOWED", "E_MISSING_FIELD"]);
        let r = read(Table::CheckIns, "key_result,date,dims.unit\n", "c.csv", 0);
        assert_eq!(r.problems.len(), 1, "dims belong to observations only");
    }
}
