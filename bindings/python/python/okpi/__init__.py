"""okpi: performance management (OKRs, KPIs, alerts, the strategy view and the adaptation advisor) on a pure Rust core.

A thin front over the private native module ``okpi._okpi``: Python computes nothing, every operation runs through
the core's call layer and its result comes back as plain Python data, typed by the TypedDicts of ``okpi.types``
(generated from the call layer's JSON Schema).

Start from a file: ``model = okpi.load("examples/data/demo/company.json")`` reads a JSON or YAML document with the CSV
tables, ``profiles`` and ``metric_names`` it names, and returns a ``Model``; every operation is a method of it. The
module-level functions take a document as a ``Model``, a ``dict``, a ``pathlib.Path`` to a JSON file, ``bytes`` or
JSON text (a ``str`` is JSON text: a file name given as ``str`` is an error that says to pass a ``pathlib.Path`` or
call ``okpi.load``). ``as_of`` may be a ``datetime.date`` or a ``"YYYY-MM-DD"`` string. Options are keyword-only.

Dates in results are ``datetime.date`` exactly where the schema says ``format: date`` (never by a key's name): an id or
a note that looks like a date stays a ``str``.

Who may see what: ``viewer=`` (a person id, or ``{"person": id, "roles": [...], "settings": {"min_group_size": 5}}``)
filters a result (and the problems of an error) for that person; ``okpi.filter_report`` filters a report already
computed (``okpi.filter``, which shadowed the builtin, is a deprecated alias).

Errors: every failure is an ``OkpiError`` (a ``ValueError``): ``ParseError``, ``ValidationError`` (with
``ExpressionError``), ``SettingsError`` or ``LimitError``, each with ``.problems`` (``Problem(code, path, message,
id)`` named tuples) and ``.codes``; ``str(error)`` lists every problem (up to ``okpi.MAX_SHOWN``) with the count.

Threads: a ``Model`` may be shared between threads. Reads (every method but ``apply_check_in``) run at once and never
fail for sharing; ``apply_check_in`` waits for the reads in flight, with the GIL released, and the writes are
serialised. A read sees the model before or after a check-in, never half of it.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
import warnings as _warnings
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, TypedDict, Union, cast, overload

from . import _frames, _input, _okpi, types
from ._errors import (
    MAX_SHOWN,
    ExpressionError,
    LimitError,
    OkpiError,
    ParseError,
    Problem,
    SettingsError,
    ValidationError,
)
from ._frames import Backend
from ._input import Viewer

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import numpy.typing as npt

__version__: str = _okpi.__version__

#: Every stable error code, e.g. ``"E_UNKNOWN_ID"``.
ERROR_CODES: List[str] = list(_okpi.ERROR_CODES)

#: The default limits (``document_bytes``, ``json_depth``, ``text_bytes``, ``expression_length``,
#: ``expression_depth``, ``objectives``, ``alignment_depth``, ``series_length``, ``alert_lookback``, ``cycle_days``,
#: ``yaml_expansion``, ``file_bytes``).
DEFAULT_LIMITS: Dict[str, int] = _json.loads(_okpi.DEFAULT_LIMITS)

__all__ = [
    "ALERT_STATUSES",
    "DEFAULT_LIMITS",
    "ERROR_CODES",
    "EVENT_KINDS",
    "MAX_SHOWN",
    "REPORT_KINDS",
    "STATUSES",
    "AlertMatrix",
    "AlertStates",
    "ExpressionError",
    "LimitError",
    "Model",
    "OkpiError",
    "ParseError",
    "Problem",
    "SettingsError",
    "ValidationError",
    "advise",
    "alert_evaluate",
    "alert_matrix",
    "alerts",
    "cells_frame",
    "diagnose",
    "evaluate",
    "events_frame",
    "explain",
    "filter_report",
    "findings_frame",
    "key_results_frame",
    "kpi_query",
    "kpi_score",
    "kpi_score_frame",
    "kpi_scores",
    "kr_progress",
    "load",
    "objectives_frame",
    "observation_table",
    "org_closure",
    "scorecards",
    "scorecards_frame",
    "sql",
    "strategy_frame",
    "strategy_view",
    "types",
    "validate",
]

#: Statuses worst first; ``Model.evaluate_arrays`` gives each status as its position here.
STATUSES = ("off_track", "at_risk", "not_started", "on_track", "done")

#: Alert event kinds; ``alert_matrix`` gives each kind as its position here.
EVENT_KINDS = ("pending", "firing", "severity_changed", "resolved", "no_data")

#: Status names of ``alert_matrix``'s ``status`` array, by code.
ALERT_STATUSES = ("normal", "pending", "firing", "no_data")

#: The report kinds ``okpi.filter_report`` reads.
REPORT_KINDS = (
    "evaluation",
    "explanation",
    "query",
    "score",
    "scorecards",
    "alerts",
    "diagnosis",
    "advice",
    "strategy_view",
    "problems",
    "check_ins",
)

#: JSON-like input: a dict/list, JSON text (``str``) or ``bytes``, or a path to a JSON file.
Json = Union[Mapping[str, Any], Sequence[Any], str, bytes, "_os.PathLike[str]"]
#: A document: a ``Model``, a dict, ``bytes`` of JSON, or a path to a JSON file. (JSON text as ``str`` is read too,
#: but typed out so that a type checker flags a file name passed as ``str``.)
Doc = Union["Model", Mapping[str, Any], bytes, "_os.PathLike[str]"]
DateLike = Union[_dt.date, str]


def _native_doc(doc: Any) -> str:
    """A document (not a ``Model``) as JSON for the native functions."""
    return _input.to_json(doc, "doc")


def _opt(value: Any, what: str) -> Optional[str]:
    return _input.opt_json(value, what)


def _hint_load(doc: Any, e: OkpiError) -> None:
    """A file read as plain JSON that names CSV tables, profiles or metric names: say to call ``okpi.load``."""
    if isinstance(doc, _os.PathLike) and any(p.path in ("$.csv", "$.profiles", "$.metric_names") for p in e.problems):
        e.args = (f"{e.args[0]} — this document names files or display names: read it with okpi.load({str(doc)!r})",)


def load(path: Union[str, "_os.PathLike[str]"], *, limits: Optional[Json] = None) -> "Model":
    """Reads the document at ``path`` (JSON, or YAML by its extension) with the files it names, and validates it.

    A document may name CSV tables of observations and check-ins (``"csv": {"observations": "o.csv", "check_ins":
    [...]}``), the advisor's business-line profiles (``"profiles": "profiles.json"``) and display names of metrics
    (``"metric_names": {...}``), as the CLI reads them. The files are read only inside the document's folder (a
    relative name without ``..``, no symbolic link leading out, a regular file of at most ``limits.file_bytes``);
    an error names the file and quotes nothing of it. Every problem names its JSON path, and the file, line and
    column it was written at."""
    native = _okpi.Model.load(_os.fspath(path), _opt(limits, "limits"))
    return Model._wrap(native)


def validate(doc: Doc, *, limits: Optional[Json] = None) -> types.Document:
    """Validates a document; returns the normalised document (items sorted by id). Raises ``OkpiError``."""
    if isinstance(doc, Model):
        return doc.to_document()
    return cast(types.Document, _okpi.validate(_native_doc(doc), limits=_opt(limits, "limits")))


def evaluate(
    doc: Doc,
    as_of: DateLike,
    *,
    settings: Optional[Json] = None,
    viewer: Optional[Viewer] = None,
    limits: Optional[Json] = None,
) -> types.Evaluation:
    """Validates and evaluates a document as of a date; returns the evaluation (as ``viewer`` may see it, when
    given)."""
    if isinstance(doc, Model):
        return doc.evaluate(as_of, settings=settings, viewer=viewer)
    try:
        out = _okpi.evaluate(
            _native_doc(doc), _input.date_text(as_of), _opt(settings, "settings"), _input.viewer_json(viewer),
            limits=_opt(limits, "limits"),
        )
    except OkpiError as e:
        _hint_load(doc, e)
        raise
    return cast(types.Evaluation, out)


def explain(
    doc: Doc,
    as_of: DateLike,
    id: str,
    quantity: str,
    *,
    settings: Optional[Json] = None,
    viewer: Optional[Viewer] = None,
    limits: Optional[Json] = None,
) -> types.Explanation:
    """Explains one number (``quantity``: progress, expected, status, confidence, score) of a key result or
    objective: its value, formula, inputs and settings. An id hidden from ``viewer`` is unknown to them."""
    if isinstance(doc, Model):
        return doc.explain(as_of, id, quantity, settings=settings, viewer=viewer)
    out = _okpi.explain(
        _native_doc(doc), _input.date_text(as_of), id, quantity, _opt(settings, "settings"),
        _input.viewer_json(viewer), limits=_opt(limits, "limits"),
    )
    return cast(types.Explanation, out)


@overload
def advise(
    profile_or_list: Mapping[str, Any], *, settings: Optional[Json] = None, limits: Optional[Json] = None
) -> types.Advice: ...
@overload
def advise(
    profile_or_list: Sequence[Mapping[str, Any]], *, settings: Optional[Json] = None, limits: Optional[Json] = None
) -> types.Portfolio: ...
def advise(
    profile_or_list: Union[Mapping[str, Any], Sequence[Mapping[str, Any]]],
    *,
    settings: Optional[Json] = None,
    limits: Optional[Json] = None,
) -> Union[types.Advice, types.Portfolio]:
    """Advises one business line (a profile: the advice), or many (a list of profiles: the company-wide
    portfolio)."""
    out = _okpi.advise(_input.to_json(profile_or_list, "profile"), _opt(settings, "settings"), limits=_opt(limits, "limits"))
    return cast(Union[types.Advice, types.Portfolio], out)


def diagnose(
    doc: Doc,
    as_of: DateLike,
    *,
    settings: Optional[Json] = None,
    rules: Optional[Json] = None,
    viewer: Optional[Viewer] = None,
    limits: Optional[Json] = None,
) -> types.Diagnosis:
    """Runs the diagnostics rules over a document evaluated as of a date: ``{"findings": [...], "health": {...}}``.
    ``rules`` tunes thresholds or switches rules off (``{"disabled": ["okr.unaligned"], "stale_days": 10}``)."""
    if isinstance(doc, Model):
        return doc.diagnose(as_of, settings=settings, rules=rules, viewer=viewer)
    out = _okpi.diagnose(
        _native_doc(doc), _input.date_text(as_of), _opt(settings, "settings"), _opt(rules, "rules"),
        _input.viewer_json(viewer), limits=_opt(limits, "limits"),
    )
    return cast(types.Diagnosis, out)


def kpi_query(
    doc: Doc, query: Json, *, viewer: Optional[Viewer] = None, limits: Optional[Json] = None
) -> types.QueryResult:
    """A KPI query (metric × grain × time range × filters × group-by) over a document: a table of cells, each with
    its value or ``None`` plus the reason it is undefined, and the metric version."""
    if isinstance(doc, Model):
        return doc.kpi_query(query, viewer=viewer)
    out = _okpi.kpi(
        _native_doc(doc), "query", _input.to_json(query, "query"), _input.viewer_json(viewer), limits=_opt(limits, "limits")
    )
    return cast(types.QueryResult, out)


def kpi_score(
    doc: Doc, as_of: DateLike, *, viewer: Optional[Viewer] = None, limits: Optional[Json] = None
) -> types.ScoreReport:
    """Every KPI target's actual, achievement and score as of a date. The achievement is the one the strategy view
    shows, on every curve (``threshold_target_stretch`` included)."""
    if isinstance(doc, Model):
        return doc.kpi_score(as_of, viewer=viewer)
    request = _json.dumps({"as_of": _input.date_text(as_of)})
    out = _okpi.kpi(_native_doc(doc), "score", request, _input.viewer_json(viewer), limits=_opt(limits, "limits"))
    return cast(types.ScoreReport, out)


def scorecards(
    doc: Doc, request: Json, *, viewer: Optional[Viewer] = None, limits: Optional[Json] = None
) -> types.ScorecardReport:
    """Scorecard totals, grades, ranks and the forced distribution (``request``: ``{"as_of", "distribution"}``)."""
    if isinstance(doc, Model):
        return doc.scorecards(request, viewer=viewer)
    out = _okpi.kpi(
        _native_doc(doc), "scorecards", _input.to_json(request, "request"), _input.viewer_json(viewer),
        limits=_opt(limits, "limits"),
    )
    return cast(types.ScorecardReport, out)


def alert_evaluate(
    rule: Json, series: Json, *, state: Optional[Json] = None, limits: Optional[Json] = None
) -> types.SeriesAnswer:
    """Runs an alert rule over a series of ``{"date", "value"}`` (``None`` = missing) from a stored ``state``
    (``None``: fresh). Returns ``{"state": ..., "events": [...]}``; pass the state back to resume."""
    out = _okpi.alert_evaluate(
        _input.to_json(rule, "rule"), _input.to_json(series, "series"), _opt(state, "state"), limits=_opt(limits, "limits")
    )
    return cast(types.SeriesAnswer, out)


def alerts(
    doc: Doc,
    from_: DateLike,
    to: DateLike,
    *,
    states: Optional[Mapping[str, Any]] = None,
    viewer: Optional[Viewer] = None,
    limits: Optional[Json] = None,
) -> types.AlertReport:
    """Runs every alert rule of a document over its metric, one evaluation per grain period of ``from_..to``, from
    stored ``states`` (``{rule id: state}`` as returned before; ``None``: fresh). Returns
    ``{"from", "to", "alerts": [{"rule", "metric", "metric_version", "series", "events", "state"}]}``."""
    if isinstance(doc, Model):
        return doc.alerts(from_, to, states=states, viewer=viewer)
    out = _okpi.alerts(
        _native_doc(doc), _input.date_text(from_, "from"), _input.date_text(to, "to"), _opt(states, "states"),
        _input.viewer_json(viewer), limits=_opt(limits, "limits"),
    )
    return cast(types.AlertReport, out)


def strategy_view(
    doc: Doc,
    as_of: DateLike,
    *,
    settings: Optional[Json] = None,
    viewer: Optional[Viewer] = None,
    limits: Optional[Json] = None,
) -> types.StrategyView:
    """The strategy view as of a date: each top objective (aligned to no parent) with its progress, status, score
    and key results; per key result the KPI targets that ``support`` it, with actual, achievement, score, worst
    alert state and a light (``green``, ``amber``, ``red``, ``grey``); and the support health per key result and
    objective (``None`` when no KPI has an achievement). ``settings``: ``{"support_red_below": 0.9,
    "health_green": 0.8, "health_amber": 0.5, "evaluation": {...evaluation settings...}}``. With ``viewer``, the
    view that person may see (see ``filter_report``)."""
    if isinstance(doc, Model):
        return doc.strategy_view(as_of, settings=settings, viewer=viewer)
    out = _okpi.strategy_view(
        _native_doc(doc), _input.date_text(as_of), _opt(settings, "settings"), _input.viewer_json(viewer),
        limits=_opt(limits, "limits"),
    )
    return cast(types.StrategyView, out)


def filter_report(doc: Doc, kind: str, report: Any, viewer: Viewer) -> Any:
    """Filters a report already computed for a viewer (a person id or ``{"person", "roles"?, "settings"?}``): what
    is hidden is removed and named nowhere, and no number gives away what it hides (a KPI number whose hidden part is
    a small group is withheld, with the reason in ``withheld``; support and health roll-ups are recomputed over what
    the viewer may see and marked ``partial``). ``kind`` is one of ``REPORT_KINDS``: the result of ``evaluate``
    (evaluation), ``explain`` (explanation; ``None`` when hidden), ``kpi_query`` or ``Model.query_units`` (query),
    ``kpi_score`` (score), ``scorecards``, ``alerts``, ``diagnose`` (diagnosis), ``strategy_view``, ``advise``
    (advice, unchanged), ``Model.check_ins`` (check_ins), or problems: an ``OkpiError`` or a list of problems
    (``Problem`` tuples or dicts), returned as a list of dicts; a problem about a hidden item keeps its code and path
    only. The document is read, not validated."""
    if kind == "problems":
        report = _problem_dicts(report)
    text = "null" if report is None else _input.to_json(report, "report")
    doc_text = doc.to_json() if isinstance(doc, Model) else _native_doc(doc)
    viewer_text = _input.viewer_json(viewer) or "null"
    return _okpi.filter(doc_text, kind, text, viewer_text)


def filter(doc: Doc, kind: str, report: Any, viewer: Viewer) -> Any:  # noqa: A001 - the deprecated name
    """Deprecated alias of ``filter_report`` (the name shadowed the builtin ``filter``); it warns and will go."""
    _warnings.warn("okpi.filter is deprecated: call okpi.filter_report", DeprecationWarning, stacklevel=2)
    return filter_report(doc, kind, report, viewer)


def _problem_dicts(report: Any) -> Any:
    if isinstance(report, OkpiError):
        report = report.problems
    if isinstance(report, (list, tuple)):
        out = []
        for p in report:
            if isinstance(p, (list, tuple)) and len(p) in (3, 4):
                d = {"code": p[0], "path": p[1], "message": p[2]}
                if len(p) == 4 and p[3] is not None:
                    d["id"] = p[3]
                out.append(d)
            else:
                out.append(p)
        return out
    return report


# Frames: pandas (indexed by id, no id column) or polars (`backend="polars"`, id first). See okpi._frames.


def objectives_frame(
    evaluation: Mapping[str, Any], *, model: Optional["Model"] = None, backend: Backend = "pandas"
) -> Any:
    """The objectives of an evaluation, one row each: pandas indexed by ``id`` (no ``id`` column, so
    ``sort_values("id")``, ``groupby("id")`` and ``merge(on="id")`` use the index), or polars with ``id`` first. With
    ``model=``, ``title`` and ``owner`` (``unit:<id>`` / ``person:<id>``) from its document."""
    return _frames.items_frame(evaluation, "objectives", model, backend)


def key_results_frame(
    evaluation: Mapping[str, Any], *, model: Optional["Model"] = None, backend: Backend = "pandas"
) -> Any:
    """The key results of an evaluation, one row each, shaped as ``objectives_frame``; with ``model=``, ``title`` and
    ``owner`` (its objective's owner)."""
    return _frames.items_frame(evaluation, "key_results", model, backend)


def kpi_score_frame(report: Mapping[str, Any], *, model: Optional["Model"] = None, backend: Backend = "pandas") -> Any:
    """The KPI targets of ``kpi_score``, one row each (indexed by target ``id``), the scope as ``unit:<id>`` or
    ``person:<id>``; with ``model=``, ``metric_name`` (the display name from ``metric_names``, else the metric id)."""
    return _frames.targets_frame(report, model, backend)


def scorecards_frame(report: Mapping[str, Any], *, backend: Backend = "pandas") -> Any:
    """The scorecards of ``okpi.scorecards``, one row each (indexed by ``id``)."""
    records = []
    for s in _frames.rows(report, "scorecards"):
        r = dict(s)
        r["subject"] = _frames.scope_text(s.get("subject"))
        records.append(r)
    return _frames.frame(records, backend)


def events_frame(result: Mapping[str, Any], *, backend: Backend = "pandas") -> Any:
    """The events of ``okpi.alert_evaluate`` (or of one alert of ``alerts``), one row each."""
    return _frames.frame(_frames.rows(result, "events"), backend, index=None)


def findings_frame(diagnosis: Mapping[str, Any], *, backend: Backend = "pandas") -> Any:
    """The findings of ``okpi.diagnose``, one row each."""
    return _frames.frame(_frames.rows(diagnosis, "findings"), backend, index=None)


def cells_frame(table: Mapping[str, Any], *, backend: Backend = "pandas") -> Any:
    """The cells of ``okpi.kpi_query`` (or ``Model.query_units``), one row each."""
    return _frames.frame(_frames.rows(table, "cells"), backend, index=None)


_STRATEGY_COLUMNS = [
    "objective", "objective_progress", "objective_status", "objective_health", "key_result", "kr_progress",
    "kr_status", "kr_health", "target", "metric", "scope", "actual", "achievement", "score", "alert", "light",
]


def strategy_frame(view: Mapping[str, Any], *, backend: Backend = "pandas") -> Any:
    """The strategy view of ``okpi.strategy_view``, one row per key result × supporting KPI; a key result no KPI
    supports keeps one row with empty KPI columns. The scope reads ``unit:<id>`` or ``person:<id>``. No index (a key
    result appears once per KPI)."""
    rows: List[Dict[str, Any]] = []
    for o in _frames.rows(view, "objectives"):
        for k in o.get("key_results", []):
            base = {
                "objective": o.get("id"),
                "objective_progress": o.get("progress"),
                "objective_status": o.get("status"),
                "objective_health": o.get("support", {}).get("health"),
                "key_result": k.get("id"),
                "kr_progress": k.get("progress"),
                "kr_status": k.get("status"),
                "kr_health": k.get("support", {}).get("health"),
            }
            for t in k.get("supports") or [{}]:
                rows.append({
                    **base,
                    "target": t.get("id"),
                    "metric": t.get("metric"),
                    "scope": _frames.scope_text(t.get("scope")),
                    "actual": t.get("actual"),
                    "achievement": t.get("achievement"),
                    "score": t.get("score"),
                    "alert": t.get("alert"),
                    "light": t.get("light"),
                })
    return _frames.frame(rows, backend, index=None, columns=_STRATEGY_COLUMNS)


class Model:
    """A validated document, built once for repeated calls; every operation is a method, run through the core's
    call layer without a JSON round trip for the result. Safe to share between threads (see the module's doc).
    Picklable (through its normalised JSON; ``metric_names`` and ``profiles`` read by ``load`` are not kept)."""

    __slots__ = ("_native",)

    def __init__(self, doc: Union[Mapping[str, Any], str, bytes, "_os.PathLike[str]"], *, limits: Optional[Json] = None) -> None:
        if isinstance(doc, _os.PathLike):
            # The file is read and parsed by the core without the GIL: no Python str of a document of gigabytes.
            self._native = _okpi.Model.read_json(_os.fspath(doc), _opt(limits, "limits"))
        else:
            self._native = _okpi.Model(_native_doc(doc), _opt(limits, "limits"))

    @classmethod
    def _wrap(cls, native: "_okpi.Model") -> "Model":
        m = cls.__new__(cls)
        m._native = native
        return m

    def _call(self, op: str, **fields: Any) -> Any:
        try:
            return self._native.call(_input.call(op, **fields))
        except ParseError as e:
            # A malformed settings object is a settings error, as the module's functions raise it.
            if e.problems and all(_in_settings(p.path) for p in e.problems):
                raise SettingsError(e.args[0] if e.args else "", e.problems) from None
            raise

    @property
    def limits(self) -> Dict[str, int]:
        """The limits the model was validated under (every field)."""
        return cast(Dict[str, int], _json.loads(self._native.limits()))

    @property
    def metric_names(self) -> Dict[str, str]:
        """Display names of metrics (``metric_names`` of a document read by ``okpi.load``; empty otherwise)."""
        return self._native.metric_names

    @property
    def profiles(self) -> Optional[List[types.BusinessProfile]]:
        """The advisor's business-line profiles the document read by ``okpi.load`` names, or ``None``."""
        return cast(Optional[List[types.BusinessProfile]], self._native.profiles)

    def metrics(self) -> List[types.Metric]:
        """The metric definitions, sorted by id."""
        return cast(List[types.Metric], self._native.metrics())

    def observations_arrays(self) -> Dict[str, Any]:
        """The model's observations as numpy columns, one entry per row, for analysis without re-reading the
        document: ``measure`` (int32 codes into the list ``measure_ids``, which is in id order), ``date``
        (``datetime64[D]``), ``value`` (float64), ``unit`` (int32 positions in ``unit_ids``, the org units in id
        order; -1 for a row without a ``unit`` dim), ``dims`` (int32 codes into ``dim_sets``, a list of dicts, the
        ``unit`` dim included) and ``source`` (int32 codes into ``sources``, whose first entry is ``None``). Rows are
        grouped by measure (in id order), then sorted by date, in the order of ``to_document()["observations"]``
        whatever the document's order. The model's whole data, as ``to_document`` gives it: no viewer applies."""
        return dict(self._native.observations_arrays())

    def call(self, call: Json) -> Any:
        """Runs one call of the call layer: ``call`` is its JSON form, ``{"op": "evaluate", "as_of": ...}`` (every
        op and field: the JSON Schema ``schema/okpi.schema.json``, README "0.2 call layer"). Returns the answer as
        plain data (dates as ``datetime.date``), as the matching method returns it (``None`` for ``apply_check_in``,
        which changes the model). Errors raise the same ``OkpiError`` subclasses, with the JSON path inside the call."""
        return self._native.call(_input.to_json(call, "call"))

    def evaluate(
        self, as_of: DateLike, *, settings: Optional[Json] = None, viewer: Optional[Viewer] = None
    ) -> types.Evaluation:
        """Evaluates the model as of a date (as ``viewer`` may see it, when given)."""
        return cast(types.Evaluation, self._call(
            "evaluate", as_of=_input.date_text(as_of), settings=_data(settings, "settings"), viewer=_input.viewer(viewer)
        ))

    def explain(
        self,
        as_of: DateLike,
        id: str,
        quantity: str,
        *,
        settings: Optional[Json] = None,
        viewer: Optional[Viewer] = None,
    ) -> types.Explanation:
        """Explains one number of a key result or objective (see ``okpi.explain``; for a ``viewer`` who may not see
        it, it is unknown)."""
        return cast(types.Explanation, self._call(
            "explain", as_of=_input.date_text(as_of), id=id, quantity=quantity, settings=_data(settings, "settings"),
            viewer=_input.viewer(viewer),
        ))

    def check_ins(
        self, as_of: DateLike, key_result: str, *, viewer: Optional[Viewer] = None
    ) -> List[types.CheckInRecord]:
        """The check-ins of a key result up to a date: the ones entered (``derived: False``), or for a key result
        linked to a KPI metric the ones derived from observations (``derived: True``, with ``metric`` and
        ``metric_version``). For a ``viewer`` who may not see the key result, it is unknown."""
        return cast(List[types.CheckInRecord], self._call(
            "check_ins", as_of=_input.date_text(as_of), key_result=key_result, viewer=_input.viewer(viewer)
        ))

    def apply_check_in(self, check_in: Json) -> None:
        """Adds one check-in (``{"key_result", "date", "value", "confidence", "note"}``) after validating it; a
        refused check-in raises and leaves the model unchanged. Other threads' reads finish first (the GIL is
        released while waiting) and see the model before or after it."""
        self._call("apply_check_in", check_in=_data(check_in, "check_in"))

    def diagnose(
        self,
        as_of: DateLike,
        *,
        settings: Optional[Json] = None,
        rules: Optional[Json] = None,
        viewer: Optional[Viewer] = None,
    ) -> types.Diagnosis:
        """Runs the diagnostics (see ``okpi.diagnose``)."""
        return cast(types.Diagnosis, self._call(
            "diagnose", as_of=_input.date_text(as_of), settings=_data(settings, "settings"),
            diagnose_settings=_data(rules, "rules"), viewer=_input.viewer(viewer),
        ))

    def kpi_query(self, query: Json, *, viewer: Optional[Viewer] = None) -> types.QueryResult:
        """A KPI query (see ``okpi.kpi_query``)."""
        return cast(types.QueryResult, self._call("query", query=_data(query, "query"), viewer=_input.viewer(viewer)))

    def query_units(self, query: Json, *, viewer: Optional[Viewer] = None) -> types.QueryResult:
        """A KPI query (as ``kpi_query``, without ``group_by``) for every org unit, each taking its whole subtree: one
        cell per period and unit, with the group ``{"unit": id}``; as ``viewer`` may see it, when given (a withheld
        cell has no value and says why in ``withheld``)."""
        return cast(types.QueryResult, self._call(
            "query_units", query_units=_data(query, "query"), viewer=_input.viewer(viewer)
        ))

    def kpi_score(self, as_of: DateLike, *, viewer: Optional[Viewer] = None) -> types.ScoreReport:
        """Every KPI target's actual, achievement and score (see ``okpi.kpi_score``)."""
        return cast(types.ScoreReport, self._call("score", as_of=_input.date_text(as_of), viewer=_input.viewer(viewer)))

    def scorecards(self, request: Json, *, viewer: Optional[Viewer] = None) -> types.ScorecardReport:
        """Scorecard totals, grades and ranks (see ``okpi.scorecards``)."""
        return cast(types.ScorecardReport, self._call(
            "scorecards", scorecards=_data(request, "request"), viewer=_input.viewer(viewer)
        ))

    def alerts(
        self,
        from_: DateLike,
        to: DateLike,
        *,
        states: Optional[Mapping[str, Any]] = None,
        viewer: Optional[Viewer] = None,
    ) -> types.AlertReport:
        """Runs every alert rule of the document (see ``okpi.alerts``)."""
        return cast(types.AlertReport, self._call(
            "alerts", **{"from": _input.date_text(from_, "from")}, to=_input.date_text(to, "to"), states=states,
            viewer=_input.viewer(viewer),
        ))

    def strategy_view(
        self, as_of: DateLike, *, settings: Optional[Json] = None, viewer: Optional[Viewer] = None
    ) -> types.StrategyView:
        """The strategy view (see ``okpi.strategy_view``)."""
        return cast(types.StrategyView, self._call(
            "strategy_view", as_of=_input.date_text(as_of), settings=_data(settings, "settings"),
            viewer=_input.viewer(viewer),
        ))

    def advise(
        self, profiles: Optional[Sequence[Mapping[str, Any]]] = None, *, settings: Optional[Json] = None
    ) -> types.Portfolio:
        """The company-wide portfolio advice over ``profiles`` (default: the profiles the document read by
        ``okpi.load`` names)."""
        lines = self.profiles if profiles is None else list(profiles)
        if lines is None:
            raise ValidationError(
                "this model has no business-line profiles: pass profiles=, or load a document that names them",
                [("E_MISSING_FIELD", "$.profiles", "no business-line profiles")],
            )
        return cast(types.Portfolio, self._call("advise", profiles=lines, settings=_data(settings, "settings")))

    def filter_report(self, kind: str, report: Any, viewer: Viewer) -> Any:
        """Filters a report already computed for a viewer (see ``okpi.filter_report``)."""
        return filter_report(self, kind, report, viewer)

    def evaluate_arrays(
        self,
        as_of: DateLike,
        *,
        settings: Optional[Json] = None,
        viewer: Optional[Viewer] = None,
        columns: Union[str, Sequence[str], None] = None,
    ) -> "Dict[str, np.ndarray[Any, Any]]":
        """The evaluation's numbers as numpy arrays in id order (see ``key_result_ids`` and ``objective_ids``),
        without building a dict per item: ``kr_progress``, ``kr_current`` (NaN where none), ``kr_expected``,
        ``kr_score``, ``kr_weight``, ``kr_status``, ``objective_progress``, ``objective_expected``,
        ``objective_score``, ``objective_confidence`` (NaN where none), ``objective_status``; statuses are int8
        positions in ``okpi.STATUSES``. The numbers equal ``evaluate``'s. With a ``viewer``, over what they may see
        (in the order of ``key_result_ids(viewer=...)`` and ``objective_ids(viewer=...)``). With ``columns`` (names
        from that list; an unknown one is a ``ParseError`` at ``$.columns[i]``), only those: asking for none but
        ``kr_progress``, ``kr_current``, ``kr_weight`` and ``objective_progress`` spares working out statuses,
        confidences and scores (about a quarter less time)."""
        names = None if columns is None else [columns] if isinstance(columns, str) else list(columns)
        return self._native.evaluate_arrays(
            _input.date_text(as_of), _opt(settings, "settings"), _input.viewer_json(viewer), names
        )

    def query_units_arrays(
        self, query: Json, *, viewer: Optional[Viewer] = None
    ) -> "Tuple[List[str], List[str], np.ndarray[Any, Any]]":
        """``query_units`` as ``(unit ids, period starts, values)``: values a float64 matrix periods × units,
        NaN where undefined (or withheld from ``viewer``); no dict per cell."""
        return self._native.query_units_arrays(_input.to_json(query, "query"), _input.viewer_json(viewer))

    def key_result_ids(self, *, viewer: Optional[Viewer] = None) -> List[str]:
        """Key result ids in id order, the order of ``evaluate_arrays`` (those ``viewer`` may see, when given)."""
        return self._native.key_result_ids(_input.viewer_json(viewer))

    def objective_ids(self, *, viewer: Optional[Viewer] = None) -> List[str]:
        """Objective ids in id order, the order of ``evaluate_arrays`` (those ``viewer`` may see, when given)."""
        return self._native.objective_ids(_input.viewer_json(viewer))

    def to_document(self) -> types.Document:
        """The normalised document, check-ins included."""
        return cast(types.Document, self._call("document"))

    def to_json(self) -> str:
        """The normalised document as JSON text."""
        return self._native.to_json()

    @property
    def objective_count(self) -> int:
        return self._native.objective_count

    @property
    def key_result_count(self) -> int:
        return self._native.key_result_count

    def __getstate__(self) -> Tuple[str, str]:
        return (self._native.to_json(), self._native.limits())

    def __setstate__(self, state: Tuple[str, str]) -> None:
        self._native = _okpi.Model(*state)

    def __repr__(self) -> str:
        return f"okpi.Model(objectives={self.objective_count}, key_results={self.key_result_count})"


def _in_settings(path: str) -> bool:
    """Whether a JSON path lies in a call's settings (``$.settings…``, ``$.diagnose_settings…``)."""
    for root in ("$.settings", "$.diagnose_settings"):
        if path == root or path.startswith(root + ".") or path.startswith(root + "["):
            return True
    return False


def _data(value: Any, what: str) -> Any:
    return None if value is None else _input.data(value, what)


def _float_array(x: "npt.ArrayLike") -> "np.ndarray[Any, np.dtype[np.float64]]":
    import numpy as np

    a = np.ascontiguousarray(x, dtype=np.float64)
    return a.reshape(-1) if a.ndim == 0 else a


def kr_progress(
    start: "npt.ArrayLike",
    target: "npt.ArrayLike",
    current: "npt.ArrayLike",
    *,
    kind: str = "increase",
    overshoot: Union[str, float] = "clamp",
    allow_negative: bool = False,
) -> "np.ndarray[Any, np.dtype[np.float64]]":
    """Key-result progress over arrays of equal length, computed in Rust without the GIL.

    ``(current - start) / (target - start)`` bounded above by 1 (``overshoot="clamp"``) or by a cap ≥ 1, and below
    by 0 unless ``allow_negative``. A NaN ``current`` gives NaN ("no data", never 0). Raises ``ValidationError`` on
    unequal lengths, start == target or a target on the wrong side for ``kind``.
    """
    return _okpi.kr_progress(
        _float_array(start), _float_array(target), _float_array(current), kind, overshoot, allow_negative
    )


def kpi_scores(
    actual: "npt.ArrayLike",
    target: "npt.ArrayLike",
    *,
    threshold: Optional["npt.ArrayLike"] = None,
    stretch: Optional["npt.ArrayLike"] = None,
    direction: Union[str, Mapping[str, Any]] = "higher_is_better",
    formula: str = "inverse",
    curve: Optional[Union[str, Mapping[str, Any]]] = None,
    decimals: Optional[int] = None,
) -> "Tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]]]":
    """Achievement and score of each actual against its target, as a KPI target with these settings scores it
    (DOMAIN.md §6), computed in Rust without the GIL. Returns ``(achievement, score)`` arrays.

    ``direction`` is ``"higher_is_better"``, ``"lower_is_better"`` or ``{"band": {"lo": .., "hi": ..}}``;
    ``curve`` is a target's curve (``None``: linear 0–120, or e.g. ``"binary"``,
    ``{"threshold_target_stretch": {}}``, ``{"bands": [{"min_a": 1, "score": 100}]}``). ``threshold`` and
    ``stretch`` are per-row arrays (NaN: none). A NaN actual gives NaN for both (no data, never 0); the achievement is
    NaN where it is undefined (``inverse`` at an actual of 0, which scores the cap; a target ≤ 0 on
    ``threshold_target_stretch``). Raises ``ValidationError`` for a target ≤ 0 with a ratio formula, a missing
    threshold on ``threshold_target_stretch``, unequal lengths, and ``ParseError`` for an unknown setting.
    """
    spec: Dict[str, Any] = {"direction": direction, "formula": formula}
    if curve is not None:
        spec["curve"] = curve
    if decimals is not None:
        spec["decimals"] = decimals
    return _okpi.kpi_scores(
        _float_array(actual),
        _float_array(target),
        None if threshold is None else _float_array(threshold),
        None if stretch is None else _float_array(stretch),
        _json.dumps(spec),
    )


class AlertMatrix(TypedDict):
    """``alert_matrix``'s answer: the events as numpy columns, each series' final status and state."""

    #: Row of each event (int64).
    series: "np.ndarray[Any, np.dtype[np.int64]]"
    #: Column (date position) of each event (int64).
    step: "np.ndarray[Any, np.dtype[np.int64]]"
    #: Kind of each event: its position in ``EVENT_KINDS`` (int8).
    kind: "np.ndarray[Any, np.dtype[np.int8]]"
    #: Severity of each event: -1 none, 0 warning, 1 critical (int8).
    severity: "np.ndarray[Any, np.dtype[np.int8]]"
    #: The measure of each event (float64, NaN where none).
    measure: "np.ndarray[Any, np.dtype[np.float64]]"
    #: Each series' final status name (see ``ALERT_STATUSES``).
    status: "np.ndarray[Any, np.dtype[Any]]"
    #: Each series' final state: pass them back as ``states=`` to resume (see ``AlertStates``).
    states: "AlertStates"


class AlertStates(Sequence[types.State]):
    """The final states of an ``alert_matrix`` run, one per series. They stay in Rust: a state becomes a dict only
    when read, and passed back as ``states=`` they are not converted at all (100,000 dicts cost more than the run).
    Compares equal to another ``AlertStates`` or a list holding the same states."""

    __slots__ = ("_native",)

    def __init__(self, native: "_okpi.AlertStates") -> None:
        self._native = native

    def __len__(self) -> int:
        return len(self._native)

    @overload
    def __getitem__(self, index: int) -> types.State: ...

    @overload
    def __getitem__(self, index: slice) -> List[types.State]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[types.State, List[types.State]]:
        if isinstance(index, slice):
            return cast(List[types.State], self._native.to_list()[index])
        return cast(types.State, self._native[index])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AlertStates):
            return self._native.same(other._native)
        if isinstance(other, Sequence):
            return bool(self._native.to_list() == list(other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"AlertStates({len(self)} states)"


def alert_matrix(
    rules: Union[Mapping[str, Any], str, Sequence[Union[Mapping[str, Any], str]]],
    dates: Sequence[DateLike],
    values: "npt.ArrayLike",
    *,
    states: Optional[Sequence[Mapping[str, Any]]] = None,
    thresholds: Optional[Mapping[str, "npt.ArrayLike"]] = None,
) -> AlertMatrix:
    """Runs alert rules over many series at once, in Rust without the GIL: one rule for every series, or a list with
    one rule per series.

    A rule is a dict or its JSON text. ``values`` is a 2-D array, one row per series and one column per date of
    ``dates`` (NaN: missing data).
    ``states`` resumes each series from a stored state (``None``: fresh). ``thresholds`` gives each series its own
    numbers: ``warning``, ``warning_recovery``, ``critical`` and/or ``critical_recovery``, each an array of one number
    per series in place of the rule's (NaN recovery: none); each series' rule is validated with its numbers. Returns the events as numpy columns
    (``series``, ``step``, ``kind``, ``severity``, ``measure``; see ``AlertMatrix``), each series' final ``status``
    name and ``states``. Each row gives the same events as ``alert_evaluate`` over that series.
    """
    import numpy as np

    grid = np.ascontiguousarray(values, dtype=np.float64)
    if grid.ndim != 2:
        raise ValidationError(
            f"values must be 2-D (series × dates), not {grid.ndim}-D",
            [("E_INVALID_VALUE", "$.values", "values must be 2-D")],
        )
    listed: List[Any] = [rules] if isinstance(rules, (Mapping, str, bytes, _os.PathLike)) else list(rules)
    texts = "[" + ",".join(_input.to_json(r, "rule") for r in listed) + "]"
    stored: Union[str, _okpi.AlertStates, None] = None
    if isinstance(states, AlertStates):
        stored = states._native  # an earlier run's states, passed back without conversion
    elif states is not None:
        stored = _input.dumps(list(states), "states")
    numbers: Optional[List[Tuple[str, Any]]] = None
    if thresholds is not None:
        numbers = []
        for key, column in thresholds.items():
            array = np.ascontiguousarray(column, dtype=np.float64)
            if array.ndim != 1:
                raise ValidationError(
                    f"thresholds[{key!r}] must be 1-D (one number per series), not {array.ndim}-D",
                    [("E_INVALID_VALUE", f"$.thresholds.{key}", "one number per series")],
                )
            numbers.append((str(key), array))
    out = _okpi.alert_matrix(texts, [_input.date_text(d, "date") for d in dates], grid, stored, numbers)
    out["status"] = np.array(ALERT_STATUSES, dtype=object)[out["status"]]
    out["states"] = AlertStates(out["states"])
    return cast(AlertMatrix, out)


def alert_evaluate_many(
    rules: Sequence[Union[Mapping[str, Any], str]], dates: Sequence[DateLike], values: "npt.ArrayLike"
) -> "Dict[str, np.ndarray[Any, Any]]":
    """Deprecated: ``alert_matrix`` with one rule per row (it also gives each series' status and state)."""
    _warnings.warn("okpi.alert_evaluate_many is deprecated: call okpi.alert_matrix", DeprecationWarning, stacklevel=2)
    import numpy as np

    rules = list(rules)
    grid = np.asarray(values)
    rows = grid.shape[0] if grid.ndim == 2 else -1
    if len(rules) != rows:
        raise ValidationError(
            f"{len(rules)} rules for {rows} series: one rule per series",
            [("E_INVALID_VALUE", "$.rules", "one rule per series")],
        )
    out = alert_matrix(rules, dates, values)
    return {k: out[k] for k in ("series", "step", "kind", "severity", "measure")}  # type: ignore[literal-required,unused-ignore]


# Warehouse: metric queries compiled to SQL over `observations` and `org_closure` (README "Warehouse").


def _native_model(model: Doc, limits: Optional[Json]) -> "_okpi.Model":
    if isinstance(model, Model):
        return model._native
    return _okpi.Model(_native_doc(model), _opt(limits, "limits"))


def sql(model: Doc, query: Json, *, dialect: str = "duckdb", limits: Optional[Json] = None) -> str:
    """One SQL statement (``dialect``: ``"duckdb"`` or ``"spark"``) that computes the cells of ``kpi_query`` for
    ``query`` over the tables ``observations`` and ``org_closure``; columns ``period_start``, ``period_end``, one per
    ``group_by`` dim, ``value`` (NULL when undefined) and ``undefined`` (the reason)."""
    return _okpi.sql(_native_model(model, limits), _input.to_json(query, "query"), dialect)


def org_closure(model: Doc, *, limits: Optional[Json] = None) -> List[Tuple[str, str]]:
    """The rows ``(ancestor, unit)`` of the ``org_closure`` table: each unit with itself and each unit above it."""
    return _okpi.org_closure(_native_model(model, limits))


def observation_table(model: Doc, *, limits: Optional[Json] = None) -> Dict[str, List[Any]]:
    """The document's observations as the columns of the ``observations`` table: ``date`` (``datetime.date``),
    ``measure``, ``value``, ``source`` and one column per dim any observation has (``None`` where it lacks it)."""
    dims, date, measure, value, source, dim_columns = _okpi.observation_table(_native_model(model, limits))
    columns: Dict[str, List[Any]] = {
        "date": [_dt.date.fromisoformat(d) for d in date],
        "measure": measure,
        "value": value,
        "source": source,
    }
    for name, column in zip(dims, dim_columns):
        columns[name] = column
    return columns
