//! The bodies the entry points share: reading their arguments and calling the core's public functions on a model,
//! once for the functions that take a document and once for those that take a model handle.

use crate::boundary::{self, fail, Failure, Outcome};
use crate::result::okpi_result;
use crate::strings;
use okpi::api::{call, Call};
use std::ffi::c_char;

/// The KPI requests `okpi_kpi` and `okpi_model_kpi` run, space-separated; the header lists them from here (a
/// test holds the two equal).
pub(crate) const OKPI_KPI_KINDS: &str = "query query_units score scorecards";

/// The report kinds `okpi_filter` and `okpi_model_filter` read, space-separated, listed in the header from here:
/// the core's `okpi::access::KINDS` less `explanation`, which no C call produces (a test holds them
/// equal).
pub(crate) const OKPI_FILTER_KINDS: &str =
    "evaluation query score scorecards alerts diagnosis advice strategy_view problems check_ins";

/// The validated model of a required document argument, read under `limits`. A document that is not UTF-8 is
/// `OKPI_INVALID_UTF8` with the problem `E_PARSE` at `$`.
pub(crate) fn model(doc_json: *const c_char, limits: &okpi::Limits) -> Outcome<okpi::Model> {
    Ok(okpi::Model::new_with_limits(document(doc_json, limits)?, limits)?)
}

/// A required document argument read (not validated) under `limits`; see [`model`].
pub(crate) fn document(doc_json: *const c_char, limits: &okpi::Limits) -> Outcome<okpi::Document> {
    let bytes = strings::optional_bytes(doc_json).ok_or_else(|| boundary::null("doc_json"))?;
    okpi::Document::from_slice_with_limits(bytes, limits).map_err(|e| {
        let utf8 = e.kind() == okpi::ErrorKind::Parse && std::str::from_utf8(bytes).is_err();
        let failure = Failure::from(e);
        if utf8 {
            failure.with_code(okpi_result::OKPI_INVALID_UTF8)
        } else {
            failure
        }
    })
}

/// [`document`] for a call that has a viewer: a parse error quotes no document text (DOMAIN.md §9).
pub(crate) fn quiet_document(doc_json: *const c_char, limits: &okpi::Limits) -> Outcome<okpi::Document> {
    let bytes = strings::optional_bytes(doc_json).ok_or_else(|| boundary::null("doc_json"))?;
    let text = std::str::from_utf8(bytes).map_err(|_| {
        let problem = okpi::Problem::new(okpi::Code::E_PARSE, "$", None, "the document is not UTF-8");
        Failure::from(okpi::Error::parse(problem)).with_code(okpi_result::OKPI_INVALID_UTF8)
    })?;
    okpi::Document::from_json_with_limits(text, limits).map_err(|e| okpi::access::quiet_parse_error(e).into())
}

/// Evaluates `model` as of the date argument `as_of` with `settings_json` (NULL: the defaults), through the call
/// layer; returns the evaluation's JSON.
pub(crate) fn evaluate(
    model: &okpi::Model,
    as_of: *const c_char,
    settings_json: *const c_char,
    limits: &okpi::Limits,
) -> Outcome<String> {
    let as_of = strings::input(as_of, "as_of")?.to_owned();
    let settings = optional_settings(settings_json, limits)?;
    answer(
        model,
        Call::Evaluate(call::Evaluate::new(as_of).with_settings(settings)),
    )
}

/// The evaluation settings argument `settings_json` (NULL: none), read under `limits` at `$.settings`; the call
/// layer checks them.
fn optional_settings(settings_json: *const c_char, limits: &okpi::Limits) -> Outcome<Option<okpi::Settings>> {
    strings::json_optional(settings_json, "settings_json", "$.settings")?
        .map(|s| parse(s, "$.settings", limits))
        .transpose()
}

/// Runs the diagnostics over `model` evaluated as of `as_of`, through the call layer.
pub(crate) fn diagnose(
    model: &okpi::Model,
    as_of: *const c_char,
    settings_json: *const c_char,
    diagnose_settings_json: *const c_char,
    limits: &okpi::Limits,
) -> Outcome<String> {
    let as_of = strings::input(as_of, "as_of")?.to_owned();
    let settings = optional_settings(settings_json, limits)?;
    let diagnose_settings =
        strings::json_optional(diagnose_settings_json, "diagnose_settings_json", "$.settings")?
            .map(|s| parse(s, "$.settings", limits))
            .transpose()?;
    answer(
        model,
        Call::Diagnose(
            call::Diagnose::new(as_of)
                .with_settings(settings)
                .with_diagnose_settings(diagnose_settings),
        ),
    )
}

/// Runs the KPI request `kind` (one of [`OKPI_KPI_KINDS`]) on `model` through the call layer; the request's
/// paths are under `$.<kind>`.
pub(crate) fn kpi(
    model: &okpi::Model,
    kind: *const c_char,
    request_json: *const c_char,
    limits: &okpi::Limits,
) -> Outcome<String> {
    let kind = one_of(kind, "kind", OKPI_KPI_KINDS)?;
    let root = format!("$.{kind}");
    let request = strings::json_input(request_json, "request_json", &root)?;
    let c = match kind {
        "query" => Call::Query(call::QueryCall::new(parse(request, &root, limits)?)),
        "query_units" => Call::QueryUnits(call::QueryUnits::new(parse(request, &root, limits)?)),
        "score" => {
            // `{"as_of": "YYYY-MM-DD"}`; a missing or malformed day is `E_PARSE` at `$.as_of`, as in Python.
            let r: serde_json::Value = parse(request, &root, limits)?;
            let day = r
                .get("as_of")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default();
            Call::Score(call::Score::new(day))
        }
        _ => Call::Scorecards(call::Scorecards::new(parse(request, &root, limits)?)),
    };
    answer(model, c)
}

/// Runs every alert rule of `model` over `from..=to` from the stored `states_json`, through the call layer.
pub(crate) fn alerts(
    model: &okpi::Model,
    from: *const c_char,
    to: *const c_char,
    states_json: *const c_char,
    limits: &okpi::Limits,
) -> Outcome<String> {
    let (from, to) = (
        strings::input(from, "from")?.to_owned(),
        strings::input(to, "to")?.to_owned(),
    );
    let states = optional_json(states_json, "states_json", "$.states", limits)?;
    answer(
        model,
        Call::Alerts(call::Alerts::new(from, to).with_states(states)),
    )
}

/// The strategy view of `model` as of `as_of` with `settings_json` (NULL: the defaults), through the call layer.
pub(crate) fn strategy_view(
    model: &okpi::Model,
    as_of: *const c_char,
    settings_json: *const c_char,
    limits: &okpi::Limits,
) -> Outcome<String> {
    let as_of = strings::input(as_of, "as_of")?.to_owned();
    let settings = strings::json_optional(settings_json, "settings_json", "$.settings")?
        .map(|s| parse(s, "$.settings", limits))
        .transpose()?;
    answer(
        model,
        Call::StrategyView(call::StrategyViewCall::new(as_of).with_settings(settings)),
    )
}

/// Runs a call on `model` and returns its answer's JSON; a failure takes the result code of its kind.
pub(crate) fn answer(model: &okpi::Model, c: Call) -> Outcome<String> {
    Ok(okpi::api::call(model, c)?.to_json())
}

/// Filters the report `report_json` of kind `kind` (one of [`OKPI_FILTER_KINDS`]) for the viewer of
/// `viewer_json`, resolved by `view` (against a document or a model).
pub(crate) fn filter<'d>(
    kind: *const c_char,
    report_json: *const c_char,
    viewer_json: *const c_char,
    limits: &okpi::Limits,
    view: impl FnOnce(&okpi::access::ViewRequest) -> Result<okpi::access::View<'d>, okpi::Error>,
) -> Outcome<String> {
    let kind = one_of(kind, "kind", OKPI_FILTER_KINDS)?;
    let report = strings::json_input(report_json, "report_json", "$.report")?;
    let request: okpi::access::ViewRequest = parse(
        strings::json_input(viewer_json, "viewer_json", "$.viewer")?,
        "$.viewer",
        limits,
    )?;
    let view = view(&request).map_err(boundary::argument)?;
    Ok(okpi::access::filter_json(&view, kind, report)?)
}

/// A plain argument that must be one of the space-separated `kinds`: anything else is `OKPI_INVALID_ARGUMENT`
/// with `E_INVALID_VALUE` at `$.<name>`.
fn one_of<'a>(p: *const c_char, name: &str, kinds: &str) -> Outcome<&'a str> {
    let value = strings::input(p, name)?;
    if kinds.split(' ').any(|k| k == value) {
        return Ok(value);
    }
    let message = format!("{name} {value:?} is not one of {}", kinds.replace(' ', ", "));
    let problem = okpi::Problem::new(okpi::Code::E_INVALID_VALUE, format!("$.{name}"), None, message);
    Err(boundary::argument(okpi::Error::invalid(vec![problem])))
}

/// The `YYYY-MM-DD` date argument `name`, read by the call layer's one date reader: a malformed one is
/// `OKPI_INVALID_ARGUMENT` with the problem `E_PARSE` at `$.<name>` (as Python and the CLI report it).
pub(crate) fn date(p: *const c_char, name: &str) -> Outcome<chrono::NaiveDate> {
    Ok(okpi::api::date(strings::input(p, name)?, name)?)
}

/// Serialises a result.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Outcome<String> {
    serde_json::to_string(value).map_err(|e| fail(okpi_result::OKPI_INTERNAL, e.to_string()))
}

/// An optional JSON argument: NULL gives the type's default, text is parsed with its paths under `root`.
pub(crate) fn optional_json<T: serde::de::DeserializeOwned + Default>(
    p: *const c_char,
    name: &str,
    root: &str,
    limits: &okpi::Limits,
) -> Outcome<T> {
    strings::json_optional(p, name, root)?.map_or_else(|| Ok(T::default()), |s| parse(s, root, limits))
}

/// Parses JSON into a serde type under `limits`; a problem names its JSON path under `root`.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(
    text: &str,
    root: &str,
    limits: &okpi::Limits,
) -> Outcome<T> {
    okpi::text::parse_json_with(text, limits).map_err(|e| e.under(root).into())
}

#[cfg(test)]
mod tests {
    use super::{OKPI_FILTER_KINDS, OKPI_KPI_KINDS};

    #[test]
    fn filter_kinds_are_the_cores_less_explanation() {
        let ours: Vec<&str> = OKPI_FILTER_KINDS.split(' ').collect();
        let core: Vec<&str> = okpi::access::KINDS
            .iter()
            .copied()
            .filter(|k| *k != "explanation")
            .collect();
        assert_eq!(ours, core);
    }

    #[test]
    fn the_header_lists_the_kinds_run() {
        let header = include_str!("../include/okpi.h");
        let listed = |intro: &str| -> Vec<String> {
            let at = header.find(intro).unwrap() + intro.len();
            let rest = header.get(at..).unwrap();
            // The list runs up to the next parenthesis, across the header's comment line breaks.
            let list = rest.split('(').next().unwrap();
            list.split_whitespace().map(str::to_owned).collect()
        };
        assert_eq!(
            listed("`kind` is one of:"),
            OKPI_KPI_KINDS.split(' ').collect::<Vec<_>>()
        );
        assert_eq!(
            listed("holds, one of:"),
            OKPI_FILTER_KINDS.split(' ').collect::<Vec<_>>()
        );
    }

    /// `okpi_model_call`'s doc lists every op of the call layer but `apply_check_in`, which it refuses.
    #[test]
    fn the_header_lists_the_ops_of_the_call_layer() {
        let header = include_str!("../include/okpi.h");
        let intro = "(`\"$defs\"/\"Call\"`):";
        let at = header.find(intro).unwrap() + intro.len();
        let list = header.get(at..).unwrap().split("(README").next().unwrap();
        let listed: Vec<String> = list
            .split(',')
            .map(|op| op.split_whitespace().filter(|w| *w != "*").collect::<String>())
            .collect();
        let ops: Vec<&str> = okpi::api::OPS
            .iter()
            .copied()
            .filter(|op| *op != "apply_check_in")
            .collect();
        assert_eq!(listed, ops);
    }

    #[test]
    fn every_kpi_kind_is_run() {
        let doc = std::ffi::CString::new(r#"{"schema_version": 1}"#).unwrap();
        let model = okpi::Model::from_json(doc.to_str().unwrap()).unwrap();
        for kind in OKPI_KPI_KINDS.split(' ') {
            let k = std::ffi::CString::new(kind).unwrap();
            let req = std::ffi::CString::new("{}").unwrap();
            let Err(f) = super::kpi(&model, k.as_ptr(), req.as_ptr(), &okpi::Limits::default()) else {
                panic!("{kind}: an empty request ran");
            };
            // A missing field of the kind's own request, not an unknown kind.
            assert!(!f.message().contains("$.kind"), "{kind}: {}", f.message());
            assert!(f.message().starts_with("E_PARSE"), "{kind}: {}", f.message());
        }
    }
}
