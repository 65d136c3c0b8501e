//! Reading a call's arguments (dates, settings, limits, JSON under a path, the viewer) and writing its answer.

use chrono::NaiveDate;
use okpi::access::{Filter, ViewRequest};
use okpi::{Code, Error, Limits, Settings};

use crate::errors::{Failure, Kind, Outcome};

pub(crate) fn parse_date(text: &str) -> Outcome<NaiveDate> {
    parse_date_at(text, "$.as_of")
}

pub(crate) fn parse_date_at(text: &str, path: &str) -> Outcome<NaiveDate> {
    okpi::model::parse_date(text).map_err(|e| {
        let what = path.trim_start_matches("$.");
        Failure::one(Kind::Parse, Code::E_PARSE, path, format!("{what}: {e}"))
    })
}

pub(crate) fn parse_settings(text: Option<&str>) -> Outcome<Settings> {
    match text {
        Some(s) => Settings::from_json(s).map_err(Failure::settings),
        None => Ok(Settings::default()),
    }
}

/// Parses JSON into a serde type; a type error names its JSON path under `root`.
pub(crate) fn parse_under<T: serde::de::DeserializeOwned>(text: &str, root: &str) -> Result<T, Error> {
    parse_under_with(text, root, &Limits::default())
}

/// Parses JSON into a serde type under `limits`; a problem names its JSON path under `root`.
pub(crate) fn parse_under_with<T: serde::de::DeserializeOwned>(
    text: &str,
    root: &str,
    limits: &Limits,
) -> Result<T, Error> {
    okpi::text::parse_json_with(text, limits).map_err(|e| e.under(root))
}

/// The limits a call reads its inputs under: the defaults, or the `limits` JSON (`E_SETTINGS` under `$.limits`).
pub(crate) fn parse_limits(text: Option<&str>) -> Outcome<Limits> {
    match text {
        Some(s) => Limits::from_json(s).map_err(Failure::settings),
        None => Ok(Limits::default()),
    }
}

/// The evaluation as `okpi::evaluate` gives it, computed on `pool` ([`crate::pool::current`]) by the core's
/// parallel pass (the same records).
pub(crate) fn evaluation(
    model: &okpi::Model,
    as_of: &str,
    settings: Option<&str>,
    pool: Option<&rayon::ThreadPool>,
) -> Outcome<okpi::Evaluation> {
    let day = parse_date(as_of)?;
    let settings = parse_settings(settings)?;
    Ok(crate::pool::run(pool, || {
        okpi::okr::evaluate_parallel(model, day, &settings)
    })?)
}

/// [`evaluation`]'s numbers in columns (`okpi::okr::evaluate_columns`).
pub(crate) fn evaluation_columns(
    model: &okpi::Model,
    as_of: &str,
    settings: Option<&str>,
    asked: &[okpi::okr::Column],
) -> Outcome<okpi::okr::EvaluationColumns> {
    let day = parse_date(as_of)?;
    let settings = parse_settings(settings)?;
    Ok(okpi::okr::evaluate_columns_of(model, day, &settings, asked)?)
}

/// A document and an optional viewer (`{"person", "roles", "settings"}` JSON), read before the call's other
/// arguments.
pub(crate) struct ForViewer {
    doc: okpi::Document,
    pub(crate) viewer: Option<ViewRequest>,
    limits: Limits,
}

impl ForViewer {
    /// Reads the limits (`limits` JSON, None: the defaults), then the document under them, then the viewer. With
    /// a viewer, a parse error quotes no document text (`okpi::access::quiet_parse_error`).
    pub(crate) fn read(doc: &str, viewer: Option<&str>, limits: Option<&str>) -> Outcome<Self> {
        let limits = parse_limits(limits)?;
        let doc = okpi::Document::from_json_with_limits(doc, &limits).map_err(|e| match viewer {
            Some(_) => okpi::access::quiet_parse_error(e),
            None => e,
        });
        Ok(ForViewer {
            doc: doc?,
            viewer: viewer.map(ViewRequest::from_json).transpose()?,
            limits,
        })
    }

    /// Validates the document under the limits and runs the call through the call layer for the viewer, if
    /// any: the result or the error (an invalid document's problems included) is filtered for them, as
    /// `okpi::access::run_as` does.
    pub(crate) fn call(self, c: okpi::api::Call) -> Outcome<okpi::api::Answer> {
        Ok(okpi::api::call_document(self.doc, &self.limits, c)?)
    }
}

/// The viewer (`{"person", "roles", "settings"}` JSON) resolved against a model, read before anything else is
/// computed so that an unknown person learns nothing; `None` without one.
pub(crate) fn view_of<'m>(
    model: &'m okpi::Model,
    viewer: Option<&str>,
) -> Outcome<Option<okpi::access::View<'m>>> {
    let Some(v) = viewer else { return Ok(None) };
    let request = ViewRequest::from_json(v)?;
    Ok(Some(okpi::access::View::new(
        model,
        &request.viewer(),
        &request.settings,
    )?))
}

/// `report` as the view's viewer may see it (unchanged without a view).
pub(crate) fn seen<T: Filter>(view: &Option<okpi::access::View<'_>>, report: T) -> T {
    match view {
        Some(v) => v.apply(report),
        None => report,
    }
}
