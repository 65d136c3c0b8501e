//! Reading JSON straight into serde types: serde_json for the common valid text, the one reader for the problems of
//! a refused one.

use crate::error::{first_of, Error, Problem};
use crate::Limits;

/// Reads JSON into any serde type under the default [`Limits`], naming the JSON path of a type error
/// (`E_PARSE` at `$.a.b[2]`).
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    parse_json_with(text, &Limits::default())
}

/// Reads JSON into any serde type after checking the text against `limits` (size, nesting depth, string length:
/// `E_LIMIT` at the path where a limit is crossed), naming the JSON path of a type error (`E_PARSE`).
pub fn parse_json_with<T: serde::de::DeserializeOwned>(text: &str, limits: &Limits) -> Result<T, Error> {
    let text = super::strip_bom(text);
    match crate::limits::check_alongside(text.as_bytes(), limits, || fast(text))? {
        Some(value) => Ok(value),
        None => located(text, limits, |tree| super::read(tree, "$").map_err(|p| vec![p])),
    }
}

/// [`parse_json_with`] for a text already checked against `limits`, so that the pre-scan runs once per text.
pub(crate) fn parse_json_checked<T: serde::de::DeserializeOwned>(
    text: &str,
    limits: &Limits,
) -> Result<T, Error> {
    parse_checked(text, limits, |tree| super::read(tree, "$").map_err(|p| vec![p]))
}

/// Reads JSON into `T`, a text already checked against `limits` (and without a BOM); when serde_json refuses it, the
/// text is read again by the one reader ([`crate::text`]) and `slow` names the problems of its tree: the first one
/// is the error (`E_LIMIT`: every problem).
pub(crate) fn parse_checked<T: serde::de::DeserializeOwned>(
    text: &str,
    limits: &Limits,
    slow: impl FnOnce(&super::Node) -> Result<T, Vec<Problem>>,
) -> Result<T, Error> {
    match fast(text) {
        Some(value) => Ok(value),
        None => located(text, limits, slow),
    }
}

/// `text` read by serde_json alone, or `None` when it refuses the text. Tracking paths and positions costs more
/// than the parse; valid input (the common case) goes without them, and only a refused text is read again, by
/// [`located`]. Both refuse the same texts (duplicate keys are refused by the limits check).
pub(crate) fn fast<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// A text serde_json refused, read by the one reader, which names the path, line and column of its problems:
/// the first one is the error (`E_LIMIT`: every problem).
pub(crate) fn located<T>(
    text: &str,
    limits: &Limits,
    slow: impl FnOnce(&super::Node) -> Result<T, Vec<Problem>>,
) -> Result<T, Error> {
    let tree = super::tree(text, super::Format::Json, limits).map_err(first_of)?;
    slow(&tree).map_err(first_of)
}

impl Limits {
    /// Parses limits from JSON (paths under `$.limits`); missing fields take their defaults.
    ///
    /// ```
    /// let l = okpi::Limits::from_json(r#"{"objectives": 10}"#)?;
    /// assert_eq!((l.objectives, l.json_depth), (10, 32));
    /// # Ok::<(), okpi::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Limits, Error> {
        let limits: Limits = parse_json(text).map_err(|e| e.under("$.limits"))?;
        limits.check()?;
        Ok(limits)
    }
}
