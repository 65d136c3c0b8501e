"""okpi: performance management (OKRs and the adaptation advisor) on a pure Rust core.

A thin front over the private native module ``okpi._okpi``: it turns Python data into JSON for the core and the
core's JSON back into plain Python data. Inputs (``doc``, ``settings``, profiles, check-ins) may be a ``dict``/
``list``, a JSON ``str`` or ``bytes``, or a ``pathlib.Path`` to a JSON file. ``as_of`` may be a ``datetime.date`` or a
``"YYYY-MM-DD"`` string.

Dates in results: a string of the form ``YYYY-MM-DD`` under one of the keys in ``DATE_KEYS`` (``as_of``,
``effective``, ``date``, ``start``, ``end``, ``done_on``), at any depth, becomes a ``datetime.date``. Other strings
(ids, notes, names) are left alone even when they look like dates.

Errors: every failure is an ``OkpiError`` (a ``ValueError``): ``ParseError``, ``ValidationError``,
``SettingsError`` or ``LimitError``, each with ``.problems`` (``(code, path, message)`` tuples) and ``.codes``.

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
from ._errors import LimitError, OkpiError, ParseError, SettingsError, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import numpy.typing as npt
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

__version__: str = _okpi.__version__

#: Every stable error code, e.g. ``"E_UNKNOWN_ID"``.
ERROR_CODES: List[str] = list(_okpi.ERROR_CODES)

__all__ = [
    "DATE_KEYS",
    "DEFAULT_LIMITS",
    "ERROR_CODES",
    "LimitError",
    "Model",
    "OkpiError",
    "ParseError",
    "SettingsError",
    "ValidationError",
    "advise",
    "alert_evaluate",
    "alerts",
    "cells_frame",
    "diagnose",
    "evaluate",
    "events_frame",
    "explain",
    "findings_frame",
    "key_results_frame",
    "kpi_query",
    "kpi_score",
    "kr_progress",
    "objectives_frame",
    "scorecards",
    "scorecards_frame",
    "validate",
]

#: The default limits (``document_bytes``, ``json_depth``, ``text_bytes``, ``expression_length``,
#: ``expression_depth``, ``objectives``, ``alignment_depth``, ``series_length``, ``alert_lookback``).
DEFAULT_LIMITS: Dict[str, int] = _json.loads(_okpi.DEFAULT_LIMITS)

#: Keys whose ``YYYY-MM-DD`` string values become ``datetime.date`` in results.
DATE_KEYS = frozenset({"as_of", "effective", "date", "start", "end", "done_on"})

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
    return _load(_okpi.validate(_to_json(doc, "doc"), _opt_json(limits, "limits")))  # type: ignore[no-any-return]


def evaluate(
    doc: Json, as_of: DateLike, settings: Optional[Json] = None, *, limits: Optional[Json] = None
) -> Dict[str, Any]:
    """Validates and evaluates a document as of a date; returns the evaluation."""
    text = _okpi.evaluate(
        _to_json(doc, "doc"), _date_text(as_of), _opt_json(settings, "settings"), _opt_json(limits, "limits")
    )
    return _load(text)  # type: ignore[no-any-return]


def explain(
    doc: Json,
    as_of: DateLike,
    id: str,
    quantity: str,
    settings: Optional[Json] = None,
    *,
    limits: Optional[Json] = None,
) -> Dict[str, Any]:
    """Explains one number (``quantity``: progress, expected, status, confidence, score) of a key result or
    objective: its value, formula, inputs and settings."""
    text = _okpi.explain(
        _to_json(doc, "doc"),
        _date_text(as_of),
        id,
        quantity,
        _opt_json(settings, "settings"),
        _opt_json(limits, "limits"),
    )
    return _load(text)  # type: ignore[no-any-return]


def advise(
    profile_or_list: Json, settings: Optional[Json] = None, *, limits: Optional[Json] = None
) -> Dict[str, Any]:
    """Advises one business line (a profile), or many (a list of profiles: the company-wide portfolio)."""
    text = _okpi.advise(
        _to_json(profile_or_list, "profile"), _opt_json(settings, "settings"), _opt_json(limits, "limits")
    )
    return _load(text)  # type: ignore[no-any-return]


def diagnose(
    doc: Json,
    as_of: DateLike,
    settings: Optional[Json] = None,
    rules: Optional[Json] = None,
    *,
    limits: Optional[Json] = None,
) -> Dict[str, Any]:
    """Runs the diagnostics rules over a document evaluated as of a date: ``{"findings": [...], "health": {...}}``.
    ``rules`` tunes thresholds or switches rules off (``{"disabled": ["okr.unaligned"], "stale_days": 10}``)."""
    text = _okpi.diagnose(
        _to_json(doc, "doc"),
        _date_text(as_of),
        _opt_json(settings, "settings"),
        _opt_json(rules, "rules"),
        _opt_json(limits, "limits"),
    )
    return _load(text)  # type: ignore[no-any-return]


def kpi_query(doc: Json, query: Json, *, limits: Optional[Json] = None) -> Dict[str, Any]:
    """A KPI query (metric × grain × time range × filters × group-by) over a document: a table of cells, each with
    its value or ``None`` plus the reason it is undefined, and the metric version."""
    text = _okpi.kpi(_to_json(doc, "doc"), "query", _to_json(query, "query"), _opt_json(limits, "limits"))
    return _load(text)  # type: ignore[no-any-return]


def kpi_score(doc: Json, as_of: DateLike, *, limits: Optional[Json] = None) -> Dict[str, Any]:
    """Every KPI target's actual, achievement and score as of a date."""
    request = _json.dumps({"as_of": _date_text(as_of)})
    return _load(_okpi.kpi(_to_json(doc, "doc"), "score", request, _opt_json(limits, "limits")))  # type: ignore[no-any-return]


def scorecards(doc: Json, request: Json, *, limits: Optional[Json] = None) -> Dict[str, Any]:
    """Scorecard totals, grades, ranks and the forced distribution (``request``: ``{"as_of", "distribution"}``)."""
    text = _okpi.kpi(_to_json(doc, "doc"), "scorecards", _to_json(request, "request"), _opt_json(limits, "limits"))
    return _load(text)  # type: ignore[no-any-return]


def alert_evaluate(
    rule: Json, series: Json, state: Optional[Json] = None, *, limits: Optional[Json] = None
) -> Dict[str, Any]:
    """Runs an alert rule over a series of ``{"date", "value"}`` (``None`` = missing) from a stored ``state``
    (``None``: fresh). Returns ``{"state": ..., "events": [...]}``; pass the state back to resume."""
    text = _okpi.alert_evaluate(
        _to_json(rule, "rule"), _to_json(series, "series"), _opt_json(state, "state"), _opt_json(limits, "limits")
    )
    return _load(text)  # type: ignore[no-any-return]


def alerts(
    doc: Json,
    from_: DateLike,
    to: DateLike,
    states: Optional[Mapping[str, Any]] = None,
    *,
    limits: Optional[Json] = None,
) -> Dict[str, Any]:
    """Runs every alert rule of a document over its metric, one evaluation per grain period of ``from_..to``, from
    stored ``states`` (``{rule id: state}`` as returned before; ``None``: fresh). Returns
    ``{"from", "to", "alerts": [{"rule", "metric", "metric_version", "series", "events", "state"}]}``."""
    text = _okpi.alerts(
        _to_json(doc, "doc"),
        _date_text(from_),
        _date_text(to),
        _opt_json(states, "states"),
        _opt_json(limits, "limits"),
    )
    return _load(text)  # type: ignore[no-any-return]


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
    """A validated document, built once for repeated evaluations, with the limits it was validated under.
    Picklable (through its normalised JSON and its limits)."""

    __slots__ = ("_native",)

    def __init__(self, doc: Json, *, limits: Optional[Json] = None) -> None:
        self._native = _okpi.Model(_to_json(doc, "doc"), _opt_json(limits, "limits"))

    def evaluate(self, as_of: DateLike, settings: Optional[Json] = None) -> Dict[str, Any]:
        """Evaluates the model as of a date."""
        return _load(self._native.evaluate(_date_text(as_of), _opt_json(settings, "settings")))  # type: ignore[no-any-return]

    def explain(
        self, as_of: DateLike, id: str, quantity: str, settings: Optional[Json] = None
    ) -> Dict[str, Any]:
        """Explains one number of a key result or objective (see ``okpi.explain``)."""
        text = self._native.explain(_date_text(as_of), id, quantity, _opt_json(settings, "settings"))
        return _load(text)  # type: ignore[no-any-return]

    def apply_check_in(self, check_in: Json) -> None:
        """Adds one check-in (``{"key_result", "date", "value", "confidence", "note"}``) after validating it; a
        refused check-in raises and leaves the model unchanged."""
        self._native.apply_check_in(_to_json(check_in, "check_in"))

    def to_document(self) -> Dict[str, Any]:
        """The normalised document, check-ins included."""
        return _load(self._native.to_json())  # type: ignore[no-any-return]

    def to_json(self) -> str:
        """The normalised document as JSON text."""
        return self._native.to_json()

    @property
    def limits(self) -> Dict[str, int]:
        """The limits the model was validated under (every field)."""
        return _json.loads(self._native.limits())  # type: ignore[no-any-return]

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
