"""okpi: performance management (OKRs, KPIs, alerts, the strategy view and the adaptation advisor) on a pure Rust core.

A thin front over the private native module ``okpi._okpi``: it turns Python data into JSON for the core and the
core's JSON back into plain Python data. Inputs (``doc``, ``settings``, profiles, check-ins) may be a ``dict``/
``list``, a JSON ``str`` or ``bytes``, or a ``pathlib.Path`` to a JSON file. ``as_of`` may be a ``datetime.date`` or a
``"YYYY-MM-DD"`` string.

Dates in results: a string of the form ``YYYY-MM-DD`` under one of the keys in ``DATE_KEYS`` (``as_of``,
``effective``, ``date``, ``start``, ``end``, ``done_on``, ``cut_off``, ``last_check_in``), at any depth, becomes a
``datetime.date``. Other strings
(ids, notes, names) are left alone even when they look like dates.

Who may see what: ``viewer=`` on ``evaluate``, ``explain``, ``diagnose``, ``kpi_query``, ``kpi_score``,
``scorecards`` and ``alerts`` filters the result (and the problems of an error) for a viewer
``{"person": id, "roles": [...], "settings": {"min_group_size": 5}}`` (roles and settings optional);
``okpi.filter(doc, kind, report, viewer)`` filters a report already computed.

Errors: every failure is an ``OkpiError`` (a ``ValueError``): ``ParseError``, ``ValidationError`` (with
``ExpressionError`` when every problem is a metric expression that does not parse), ``SettingsError`` or
``LimitError``, each with ``.problems`` (``(code, path, message)`` tuples) and ``.codes``.

Limits: every call that reads a document, a rule or a series takes ``limits=`` (a dict such as
``{"document_bytes": 10_000_000, "objectives": 500}``; missing keys keep their defaults, ``None`` means every
default). An input beyond a limit raises ``LimitError`` (code ``E_LIMIT``) naming the limit, its value and the path.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
import re as _re
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _okpi
from ._errors import ExpressionError, LimitError, OkpiError, ParseError, SettingsError, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import numpy.typing as npt
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

__version__: str = _okpi.__version__

#: Every stable error code, e.g. ``"E_UNKNOWN_ID"``.
ERROR_CODES: List[str] = list(_okpi.ERROR_CODES)

#: The default limits (``document_bytes``, ``json_depth``, ``text_bytes``, ``expression_length``,
#: ``expression_depth``, ``objectives``, ``alignment_depth``, ``series_length``, ``alert_lookback``, ``cycle_days``,
#: ``yaml_expansion``, ``file_bytes``).
DEFAULT_LIMITS: Dict[str, int] = _json.loads(_okpi.DEFAULT_LIMITS)

__all__ = [
    "DATE_KEYS",
    "DEFAULT_LIMITS",
    "ERROR_CODES",
    "LimitError",
    "EVENT_KINDS",
    "ExpressionError",
    "REPORT_KINDS",
    "STATUSES",
    "Model",
    "OkpiError",
    "ParseError",
    "SettingsError",
    "ValidationError",
    "ALERT_STATUSES",
    "advise",
    "alert_evaluate",
    "alert_evaluate_many",
    "alert_matrix",
    "alerts",
    "cells_frame",
    "diagnose",
    "evaluate",
    "events_frame",
    "explain",
    "filter",
    "findings_frame",
    "key_results_frame",
    "kpi_query",
    "kpi_score",
    "kpi_scores",
    "kr_progress",
    "objectives_frame",
    "observation_table",
    "org_closure",
    "scorecards",
    "scorecards_frame",
    "sql",
    "strategy_frame",
    "strategy_view",
    "validate",
]

#: Statuses worst first; ``Model.evaluate_arrays`` gives each status as its position here.
STATUSES = ("off_track", "at_risk", "not_started", "on_track", "done")

#: Alert event kinds; ``alert_evaluate_many`` gives each kind as its position here.
EVENT_KINDS = ("pending", "firing", "severity_changed", "resolved", "no_data")

#: Keys whose ``YYYY-MM-DD`` string values become ``datetime.date`` in results.
DATE_KEYS = frozenset({"as_of", "effective", "date", "start", "end", "done_on", "cut_off", "last_check_in"})

Json = Union[Mapping[str, Any], Sequence[Any], str, bytes, "_os.PathLike[str]"]
DateLike = Union[_dt.date, str]

_DATE = _re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _to_json(value: Any, what: str) -> str:
    """JSON text from a dict/list, JSON str or bytes, or a path to a JSON file."""
    if isinstance(value, _os.PathLike):
        with open(value, "rb") as f:
            return _decode(f.read(), what)
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _decode(bytes(value), what)
    if isinstance(value, (dict, list, tuple)) or isinstance(value, Mapping):
        try:
            return _json.dumps(value, default=_json_default, allow_nan=True)
        except (TypeError, ValueError) as e:
            raise ParseError(f"{what} cannot be written as JSON: {e}", [("E_PARSE", "$", str(e))]) from None
    raise TypeError(
        f"{what} must be a dict, a list, a JSON str or bytes, or a path, not {type(value).__name__}"
    )


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ParseError(f"{what} is not UTF-8: {e}", [("E_PARSE", "$", str(e))]) from None


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _opt_json(value: Any, what: str) -> Optional[str]:
    return None if value is None else _to_json(value, what)


def _date_text(as_of: DateLike) -> str:
    if isinstance(as_of, _dt.datetime):
        return as_of.date().isoformat()
    if isinstance(as_of, _dt.date):
        return as_of.isoformat()
    if isinstance(as_of, str):
        return as_of
    raise TypeError(f"as_of must be a datetime.date or a 'YYYY-MM-DD' str, not {type(as_of).__name__}")


def _with_dates(value: Any, key: Optional[str] = None) -> Any:
    if isinstance(value, dict):
        return {k: _with_dates(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_dates(v, key) for v in value]
    if key in DATE_KEYS and isinstance(value, str) and _DATE.match(value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _load(text: str) -> Any:
    return _with_dates(_json.loads(text))


def validate(doc: Json, *, limits: Optional[Json] = None) -> Dict[str, Any]:
    """Validates a document; returns the normalised document (items sorted by id). Raises ``OkpiError``."""
    return _load(_okpi.validate(_to_json(doc, "doc"), limits=_opt_json(limits, "limits")))  # type: ignore[no-any-return]


def evaluate(
    doc: Json, as_of: DateLike, settings: Optional[Json] = None, viewer: Optional[Json] = None, *, limits: Optional[Json] = None
) -> Dict[str, Any]:
    """Validates and evaluates a document as of a date; returns the evaluation (as ``viewer`` may see it, when
    given)."""
    text = _okpi.evaluate(
        _to_json(doc, "doc"), _date_text(as_of), _opt_json(settings, "settings"), _opt_json(viewer, "viewer"), limits=_opt_json(limits, "limits")
    )
    return _load(text)  # type: ignore[no-any-return]


def explain(
    doc: Json,
    as_of: DateLike,
    id: str,
    quantity: str,
    settings: Optional[Json] = None,
    viewer: Optional[Json] = None, *, limits: Optional[Json] = None,
) -> Dict[str, Any]:
    """Explains one number (``quantity``: progress, expected, status, confidence, score) of a key result or
    objective: its value, formula, inputs and settings. An id hidden from ``viewer`` is unknown to them."""
    text = _okpi.explain(
        _to_json(doc, "doc"),
        _date_text(as_of),
        id,
        quantity,
        _opt_json(settings, "settings"),
        _opt_json(viewer, "viewer"), limits=_opt_json(limits, "limits"),
    )
    return _load(text)  # type: ignore[no-any-return]


def advise(
    profile_or_list: Json, settings: Optional[Json] = None, *, limits: Optional[Json] = None
) -> Dict[str, Any]:
    """Advises one business line (a profile), or many (a list of profiles: the company-wide portfolio)."""
    text = _okpi.advise(
        _to_json(profile_or_list, "profile"), _opt_json(settings, "settings"), limits=_opt_json(limits, "limits")
    )
    return _load(text)  # type: ignore[no-any-return]


def diagnose(
    doc: Json,
    as_of: DateLike,
    settings: Optional[Json] = None,
    rules: Optional[Json] = None,
    viewer: Optional[Json] = None, *, limits: Optional[Json] = None,
) -> Dict[str, Any]:
    """Runs the diagnostics rules over a document evaluated as of a date: ``{"findings": [...], "health": {...}}``.
    ``rules`` tunes thresholds or switches rules off (``{"disabled": ["okr.unaligned"], "stale_days": 10}``)."""
    text = _okpi.diagnose(
        _to_json(doc, "doc"),
        _date_text(as_of),
        _opt_json(settings, "settings"),
        _opt_json(rules, "rules"),
        _opt_json(viewer, "viewer"), limits=_opt_json(limits, "limits"),
    )
    return _load(text)  # type: ignore[no-any-return]


def kpi_query(doc: Json, query: Json, viewer: Optional[Json] = None, *, limits: Optional[Json] = None) -> Dict[str, Any]:
    """A KPI query (metric × grain × time range × filters × group-by) over a document: a table of cells, each with
    its value or ``None`` plus the reason it is undefined, and the metric version."""
    text = _okpi.kpi(_to_json(doc, "doc"), "query", _to_json(query, "query"), _opt_json(viewer, "viewer"), limits=_opt_json(limits, "limits"))
    return _load(text)  # type: ignore[no-any-return]


def kpi_score(doc: Json, as_of: DateLike, viewer: Optional[Json] = None, *, limits: Optional[Json] = None) -> Dict[str, Any]:
    """Every KPI target's actual, achievement and score as of a date."""
    request = _json.dumps({"as_of": _date_text(as_of)})
    text = _okpi.kpi(_to_json(doc, "doc"), "score", request, _opt_json(viewer, "viewer"), limits=_opt_json(limits, "limits"))
    return _load(text)  # type: ignore[no-any-return]


def scorecards(doc: Json, request: Json, viewer: Optional[Json] = None, *, limits: Optional[Json] = None) -> Dict[str, Any]:
    """Scorecard totals, grades, ranks and the forced distribution (``request``: ``{"as_of", "distribution"}``)."""
    text = _okpi.kpi(
        _to_json(doc, "doc"), "scorecards", _to_json(request, "request"), _opt_json(viewer, "viewer"), limits=_opt_json(limits, "limits")
    )
    return _load(text)  # type: ignore[no-any-return]


def alert_evaluate(
    rule: Json, series: Json, state: Optional[Json] = None, *, limits: Optional[Json] = None
) -> Dict[str, Any]:
    """Runs an alert rule over a series of ``{"date", "value"}`` (``None`` = missing) from a stored ``state``
    (``None``: fresh). Returns ``{"state": ..., "events": [...]}``; pass the state back to resume."""
    text = _okpi.alert_evaluate(
        _to_json(rule, "rule"), _to_json(series, "series"), _opt_json(state, "state"), limits=_opt_json(limits, "limits")
    )
    return _load(text)  # type: ignore[no-any-return]


def alert_evaluate_many(
    rules: Sequence[Json], dates: Sequence[DateLike], values: "npt.ArrayLike"
) -> "Dict[str, np.ndarray[Any, Any]]":
    """Runs ``rules[i]`` over row ``i`` of ``values`` (series × evaluations, NaN = missing), the columns dated
    ``dates``, each from a fresh state, in Rust without the GIL. Returns the events as numpy columns: ``series``,
    ``step`` (positions), ``kind`` (positions in ``okpi.EVENT_KINDS``), ``severity`` (-1 none, 0 warning,
    1 critical) and ``measure`` (NaN where none). The events equal ``alert_evaluate``'s on each row."""
    import numpy as np

    matrix = np.ascontiguousarray(values, dtype=np.float64)
    if matrix.ndim != 2:
        raise TypeError(f"values must be a 2-D array (series × evaluations), not {matrix.ndim}-D")
    texts = [_to_json(r, "rule") for r in rules]
    return _okpi.alert_evaluate_many("[" + ",".join(texts) + "]", [_date_text(d) for d in dates], matrix)


def alerts(
    doc: Json,
    from_: DateLike,
    to: DateLike,
    states: Optional[Mapping[str, Any]] = None,
    viewer: Optional[Json] = None, *, limits: Optional[Json] = None,
) -> Dict[str, Any]:
    """Runs every alert rule of a document over its metric, one evaluation per grain period of ``from_..to``, from
    stored ``states`` (``{rule id: state}`` as returned before; ``None``: fresh). Returns
    ``{"from", "to", "alerts": [{"rule", "metric", "metric_version", "series", "events", "state"}]}``."""
    text = _okpi.alerts(
        _to_json(doc, "doc"),
        _date_text(from_),
        _date_text(to),
        _opt_json(states, "states"),
        _opt_json(viewer, "viewer"), limits=_opt_json(limits, "limits"),
    )
    return _load(text)  # type: ignore[no-any-return]


def strategy_view(
    doc: Json, as_of: DateLike, settings: Optional[Json] = None, viewer: Optional[Json] = None, *, limits: Optional[Json] = None
) -> Dict[str, Any]:
    """The strategy view as of a date: each top objective (aligned to no parent) with its progress, status, score
    and key results; per key result the KPI targets that ``support`` it, with actual, achievement, score, worst
    alert state and a light (``green``, ``amber``, ``red``, ``grey``); and the support health per key result and
    objective (``None`` when no KPI has an achievement). ``settings``: ``{"support_red_below": 0.9,
    "health_green": 0.8, "health_amber": 0.5, "evaluation": {...evaluation settings...}}``. With ``viewer``, the
    view that person may see (see ``filter``)."""
    text = _okpi.strategy_view(
        _to_json(doc, "doc"), _date_text(as_of), _opt_json(settings, "settings"), _opt_json(viewer, "viewer"), limits=_opt_json(limits, "limits")
    )
    return _load(text)  # type: ignore[no-any-return]


def _scope_text(scope: Any) -> Optional[str]:
    if isinstance(scope, dict) and len(scope) == 1:
        ((kind, id_),) = scope.items()
        return f"{kind}:{id_}"
    return None


def strategy_frame(view: Mapping[str, Any]) -> "pd.DataFrame":
    """The strategy view of ``okpi.strategy_view`` as a pandas DataFrame with one row per key result × supporting
    KPI; a key result no KPI supports keeps one row with empty KPI columns (needs pandas). The scope reads
    ``unit:<id>`` or ``person:<id>``."""
    rows: List[Dict[str, Any]] = []
    for o in _rows(view, "objectives"):
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
            kpis = k.get("supports") or [{}]
            for t in kpis:
                rows.append({
                    **base,
                    "target": t.get("id"),
                    "metric": t.get("metric"),
                    "scope": _scope_text(t.get("scope")),
                    "actual": t.get("actual"),
                    "achievement": t.get("achievement"),
                    "score": t.get("score"),
                    "alert": t.get("alert"),
                    "light": t.get("light"),
                })
    columns = [
        "objective", "objective_progress", "objective_status", "objective_health", "key_result", "kr_progress",
        "kr_status", "kr_health", "target", "metric", "scope", "actual", "achievement", "score", "alert", "light",
    ]
    return _pandas().DataFrame.from_records(rows, columns=columns)


#: The report kinds ``okpi.filter`` reads.
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


def filter(doc: Json, kind: str, report: Any, viewer: Json) -> Any:
    """Filters a report already computed for a viewer (``{"person", "roles"?, "settings"?}``): what is hidden is
    removed and named nowhere, and no number gives away what it hides (a KPI number whose hidden part is a small group
    is withheld, with the reason in ``withheld``; support and health roll-ups are recomputed over what the viewer may
    see and marked ``partial``). ``kind`` is one of ``REPORT_KINDS``: the result of ``evaluate`` (evaluation),
    ``explain`` (explanation; ``None`` when hidden), ``kpi_query`` or ``Model.query_units`` (query), ``kpi_score``
    (score), ``scorecards``, ``alerts``, ``diagnose`` (diagnosis), ``strategy_view``, ``advise`` (advice,
    unchanged), ``Model.check_ins`` (check_ins), or problems: an ``OkpiError`` or a list of problems (``(code, path,
    message)`` tuples or dicts), returned as a list of dicts; a problem about a hidden item keeps its code and path
    only. The document is read, not validated."""
    if kind == "problems":
        report = _problem_dicts(report)
    text = "null" if report is None else _to_json(report, "report")
    return _load(_okpi.filter(_to_json(doc, "doc"), kind, text, _to_json(viewer, "viewer")))


def _problem_dicts(report: Any) -> Any:
    if isinstance(report, OkpiError):
        report = report.problems
    if isinstance(report, (list, tuple)):
        return [
            {"code": p[0], "path": p[1], "message": p[2]} if isinstance(p, (list, tuple)) and len(p) == 3 else p
            for p in report
        ]
    return report


def _frame(rows: List[Dict[str, Any]]) -> "pd.DataFrame":
    return _pandas().DataFrame.from_records(rows)


def events_frame(result: Mapping[str, Any]) -> "pd.DataFrame":
    """The events of ``okpi.alert_evaluate`` as a pandas DataFrame (needs pandas)."""
    return _frame(_rows(result, "events"))


def findings_frame(diagnosis: Mapping[str, Any]) -> "pd.DataFrame":
    """The findings of ``okpi.diagnose`` as a pandas DataFrame (needs pandas)."""
    return _frame(_rows(diagnosis, "findings"))


def scorecards_frame(report: Mapping[str, Any]) -> "pd.DataFrame":
    """The scorecards of ``okpi.scorecards`` as a pandas DataFrame indexed by id (needs pandas)."""
    return _frame(_rows(report, "scorecards")).set_index("id", drop=False)


def cells_frame(table: Mapping[str, Any]) -> "pd.DataFrame":
    """The cells of ``okpi.kpi_query`` as a pandas DataFrame (needs pandas)."""
    return _frame(_rows(table, "cells"))


class Model:
    """A validated document, built once for repeated evaluations. Picklable (through its normalised JSON)."""

    __slots__ = ("_native",)

    def __init__(self, doc: Json, *, limits: Optional[Json] = None) -> None:
        self._native = _okpi.Model(_to_json(doc, "doc"), _opt_json(limits, "limits"))

    @property
    def limits(self) -> Dict[str, int]:
        """The limits the model was validated under (every field)."""
        return _json.loads(self._native.limits())  # type: ignore[no-any-return]

    def evaluate(
        self, as_of: DateLike, settings: Optional[Json] = None, viewer: Optional[Json] = None
    ) -> Dict[str, Any]:
        """Evaluates the model as of a date (as ``viewer`` may see it, when given)."""
        text = self._native.evaluate(_date_text(as_of), _opt_json(settings, "settings"), _opt_json(viewer, "viewer"))
        return _load(text)  # type: ignore[no-any-return]

    def explain(
        self,
        as_of: DateLike,
        id: str,
        quantity: str,
        settings: Optional[Json] = None,
        viewer: Optional[Json] = None,
    ) -> Dict[str, Any]:
        """Explains one number of a key result or objective (see ``okpi.explain``; for a ``viewer`` who may not see
        it, it is unknown)."""
        text = self._native.explain(
            _date_text(as_of), id, quantity, _opt_json(settings, "settings"), _opt_json(viewer, "viewer")
        )
        return _load(text)  # type: ignore[no-any-return]

    def check_ins(self, as_of: DateLike, key_result: str, viewer: Optional[Json] = None) -> List[Dict[str, Any]]:
        """The check-ins of a key result up to a date: the ones entered (``derived: False``), or for a key result
        linked to a KPI metric the ones derived from observations (``derived: True``, with ``metric`` and
        ``metric_version``). For a ``viewer`` who may not see the key result, it is unknown."""
        text = self._native.check_ins(_date_text(as_of), key_result, _opt_json(viewer, "viewer"))
        return _load(text)  # type: ignore[no-any-return]

    def apply_check_in(self, check_in: Json) -> None:
        """Adds one check-in (``{"key_result", "date", "value", "confidence", "note"}``) after validating it; a
        refused check-in raises and leaves the model unchanged."""
        self._native.apply_check_in(_to_json(check_in, "check_in"))

    def call(self, call: Json) -> Any:
        """Runs one call of the call layer: ``call`` is its JSON form, ``{"op": "evaluate", "as_of": ...}`` (every
        op and field: the JSON Schema ``schema/okpi.schema.json``, README "0.2 call layer"). Returns the answer
        as plain data with ``datetime.date`` for dates, as the matching method or function returns it (a dict; a
        list for ``check_ins``; None for ``apply_check_in``, which changes the model). Errors raise the same
        ``OkpiError`` subclasses, with the JSON path inside the call."""
        return _load(self._native.call(_to_json(call, "call")))

    def evaluate_arrays(
        self, as_of: DateLike, settings: Optional[Json] = None, viewer: Optional[Json] = None
    ) -> "Dict[str, np.ndarray[Any, Any]]":
        """The evaluation's numbers as numpy arrays in id order (see ``key_result_ids`` and ``objective_ids``),
        without building a dict per item: ``kr_progress``, ``kr_current`` (NaN where none), ``kr_expected``,
        ``kr_score``, ``kr_weight``, ``kr_status``, ``objective_progress``, ``objective_expected``,
        ``objective_score``, ``objective_confidence`` (NaN where none), ``objective_status``; statuses are int8
        positions in ``okpi.STATUSES``. The numbers equal ``evaluate``'s. With a ``viewer``, over what they may see
        (in the order of ``key_result_ids(viewer)`` and ``objective_ids(viewer)``)."""
        return self._native.evaluate_arrays(_date_text(as_of), _opt_json(settings, "settings"), _opt_json(viewer, "viewer"))

    def query_units_arrays(
        self, query: Json, viewer: Optional[Json] = None
    ) -> "Tuple[List[str], List[str], np.ndarray[Any, Any]]":
        """``query_units`` as ``(unit ids, period starts, values)``: values a float64 matrix periods × units,
        NaN where undefined (or withheld from ``viewer``); no dict per cell."""
        return self._native.query_units_arrays(_to_json(query, "query"), _opt_json(viewer, "viewer"))

    def key_result_ids(self, viewer: Optional[Json] = None) -> List[str]:
        """Key result ids in id order, the order of ``evaluate_arrays`` (those ``viewer`` may see, when given)."""
        return self._native.key_result_ids(_opt_json(viewer, "viewer"))

    def objective_ids(self, viewer: Optional[Json] = None) -> List[str]:
        """Objective ids in id order, the order of ``evaluate_arrays`` (those ``viewer`` may see, when given)."""
        return self._native.objective_ids(_opt_json(viewer, "viewer"))

    def query_units(self, query: Json, viewer: Optional[Json] = None) -> Dict[str, Any]:
        """A KPI query (as ``okpi.kpi_query``, without ``group_by``) for every org unit, each taking its whole
        subtree: one cell per period and unit, with the group ``{"unit": id}``; as ``viewer`` may see it, when
        given (a withheld cell has no value and says why in ``withheld``)."""
        text = self._native.query_units(_to_json(query, "query"), _opt_json(viewer, "viewer"))
        return _load(text)  # type: ignore[no-any-return]

    def to_document(self) -> Dict[str, Any]:
        """The normalised document, check-ins included."""
        return _load(self._native.to_json())  # type: ignore[no-any-return]

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


def kr_progress(
    start: "npt.ArrayLike",
    target: "npt.ArrayLike",
    current: "npt.ArrayLike",
    kind: str = "increase",
    overshoot: Union[str, float] = "clamp",
    allow_negative: bool = False,
) -> "np.ndarray[Any, np.dtype[np.float64]]":
    """Key-result progress over arrays of equal length, computed in Rust without the GIL.

    ``(current - start) / (target - start)`` bounded above by 1 (``overshoot="clamp"``) or by a cap ≥ 1, and below
    by 0 unless ``allow_negative``. A NaN ``current`` gives NaN ("no data", never 0). Raises ``ValidationError`` on
    unequal lengths, start == target or a target on the wrong side for ``kind``.
    """
    import numpy as np

    def arr(x: "npt.ArrayLike") -> "np.ndarray[Any, np.dtype[np.float64]]":
        a = np.ascontiguousarray(x, dtype=np.float64)
        return a.reshape(-1) if a.ndim == 0 else a

    return _okpi.kr_progress(arr(start), arr(target), arr(current), kind, overshoot, allow_negative)


def _float_array(x: "npt.ArrayLike") -> "np.ndarray[Any, np.dtype[np.float64]]":
    import numpy as np

    a = np.ascontiguousarray(x, dtype=np.float64)
    return a.reshape(-1) if a.ndim == 0 else a


def kpi_scores(
    actual: "npt.ArrayLike",
    target: "npt.ArrayLike",
    threshold: Optional["npt.ArrayLike"] = None,
    stretch: Optional["npt.ArrayLike"] = None,
    *,
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
    NaN where it is undefined (raw-value curve, ``inverse`` at an actual of 0, which scores the cap). Raises
    ``ValidationError`` for a target ≤ 0 with a ratio formula, a missing threshold on ``threshold_target_stretch``,
    unequal lengths, and ``ParseError`` for an unknown setting.
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


#: Status names of ``alert_matrix``'s ``status`` array, by code.
ALERT_STATUSES = ("normal", "pending", "firing", "no_data")


def alert_matrix(
    rule: Json,
    dates: Sequence[DateLike],
    values: "npt.ArrayLike",
    states: Optional[Sequence[Mapping[str, Any]]] = None,
) -> Dict[str, Any]:
    """Runs one alert rule over many series at once, in Rust without the GIL.

    ``values`` is a 2-D array, one row per series and one column per date of ``dates`` (NaN: missing data).
    ``states`` resumes each series from a stored state (``None``: fresh). Returns ``{"status": array of status names
    (see ``ALERT_STATUSES``), "states": [state per series], "events": [{"series": row, "type", "date", ...}]}``; each
    row gives the same events as ``alert_evaluate`` over that series.
    """
    import numpy as np

    grid = np.ascontiguousarray(values, dtype=np.float64)
    if grid.ndim != 2:
        raise ValidationError(
            f"values must be 2-D (series × dates), not {grid.ndim}-D",
            [("E_INVALID_VALUE", "$.values", "values must be 2-D")],
        )
    codes, text = _okpi.alert_matrix(
        _to_json(rule, "rule"),
        [_date_text(d) for d in dates],
        grid,
        None if states is None else _to_json(list(states), "states"),
    )
    out: Dict[str, Any] = _load(text)
    out["status"] = np.array(ALERT_STATUSES, dtype=object)[codes]
    return out


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "okpi's *_frame functions need pandas: pip install pandas (or okpi[pandas])"
        ) from None
    return pandas


def _rows(evaluation: Mapping[str, Any], key: str) -> List[Dict[str, Any]]:
    items = evaluation.get(key)
    if not isinstance(items, list):
        raise TypeError(f"evaluation has no {key!r} list; pass the dict okpi.evaluate returns")
    return items


def key_results_frame(evaluation: Mapping[str, Any]) -> "pd.DataFrame":
    """The key results of an evaluation as a pandas DataFrame indexed by id (needs pandas)."""
    pd = _pandas()
    return pd.DataFrame.from_records(_rows(evaluation, "key_results")).set_index("id", drop=False)


def objectives_frame(evaluation: Mapping[str, Any]) -> "pd.DataFrame":
    """The objectives of an evaluation as a pandas DataFrame indexed by id (needs pandas)."""
    pd = _pandas()
    return pd.DataFrame.from_records(_rows(evaluation, "objectives")).set_index("id", drop=False)


# Warehouse: metric queries compiled to SQL over `observations` and `org_closure` (README "Warehouse").


def _native_model(model: "Union[Model, Json]", limits: Optional[Json]) -> "_okpi.Model":
    if isinstance(model, Model):
        return model._native
    return _okpi.Model(_to_json(model, "doc"), _opt_json(limits, "limits"))


def sql(model: "Union[Model, Json]", query: Json, dialect: str = "duckdb", *, limits: Optional[Json] = None) -> str:
    """One SQL statement (``dialect``: ``"duckdb"`` or ``"spark"``) that computes the cells of ``kpi_query`` for
    ``query`` over the tables ``observations`` and ``org_closure``; columns ``period_start``, ``period_end``, one per
    ``group_by`` dim, ``value`` (NULL when undefined) and ``undefined`` (the reason)."""
    return _okpi.sql(_native_model(model, limits), _to_json(query, "query"), dialect)


def org_closure(model: "Union[Model, Json]", *, limits: Optional[Json] = None) -> List[Tuple[str, str]]:
    """The rows ``(ancestor, unit)`` of the ``org_closure`` table: each unit with itself and each unit above it."""
    return _okpi.org_closure(_native_model(model, limits))


def observation_table(model: "Union[Model, Json]", *, limits: Optional[Json] = None) -> Dict[str, List[Any]]:
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
