"""Spark jobs over okpi (PySpark ≥ 4; README "Warehouse"). okpi computes, Spark distributes: every function here
hands Arrow batches to okpi's Rust code on the executors and builds no number itself.

- :func:`alerts`: alert rules over many series with ``groupBy(rule, scope).cogroup(...).applyInArrow``; the alert
  state is a column, so a daily job feeds yesterday's :func:`states` back in and resumes where it stopped.
- :func:`scores` and :func:`scorecards`: KPI targets and scorecards for many organisations, one document each, with
  ``mapInArrow``.
- :func:`link_observations`: the cells of ``okpi.sql(..., dialect="spark")`` as observations of a measure, so a KR
  linked to a metric over that measure reads the warehouse's numbers (the KR←KPI link fed from SQL cells).

pyspark is imported only by these functions' callers: this module needs pyarrow, which pyspark's SQL extra requires.
"""

from __future__ import annotations

import json as _json
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence

import pyarrow as pa  # type: ignore[import-untyped]

from . import _okpi

__all__ = ["ALERT_SCHEMA", "alerts", "events", "states", "scores", "scorecards", "link_observations"]

#: The rows :func:`alerts` returns: one per event (``state`` null), then one ``type = "state"`` row per series with
#: the state to store (``date`` the series' last date, the other columns null).
ALERT_SCHEMA = (
    "rule string, scope string, type string, date date, severity string, value double, measure double, "
    "threshold double, explanation string, state string"
)
_STATE_SCHEMA = "rule string, scope string, state string"
_EVENT_COLUMNS = ["type", "date", "severity", "value", "measure", "threshold", "explanation"]


def _alert_group(rules: Mapping[str, str], left: pa.Table, right: pa.Table) -> pa.Table:
    """One series (``rule``, ``scope``): its new points (left) from its stored state (right, 0 or 1 row)."""
    key = left if left.num_rows else right
    rule_id = key.column("rule")[0].as_py()
    scope = key.column("scope")[0].as_py()
    prior: Optional[str] = right.column("state")[0].as_py() if right.num_rows else None
    template = rules.get(rule_id)
    if template is None:
        raise ValueError(f"okpi.spark.alerts: no rule has the id {rule_id!r}")
    if left.num_rows == 0:  # no new data for this series: its state stays as stored
        return _alert_rows(rule_id, scope, pa.table({c: [] for c in _EVENT_COLUMNS}), prior, None)
    series = left.select(["date", "value"]).sort_by("date")
    rule = _json.loads(template)
    rule["scope"] = scope
    table, state = _okpi.alert_arrow(_json.dumps(rule), series, prior)
    return _alert_rows(rule_id, scope, pa.table(table), state, series.column("date")[-1].as_py())


def _alert_rows(rule: str, scope: str, ev: pa.Table, state: Optional[str], last: Any) -> pa.Table:
    n = ev.num_rows
    cols: Dict[str, List[Any]] = {
        "rule": [rule] * (n + 1),
        "scope": [scope] * (n + 1),
        "type": ev.column("type").to_pylist() + ["state"],
        "date": ev.column("date").to_pylist() + [last],
        "severity": ev.column("severity").to_pylist() + [None],
        "value": ev.column("value").to_pylist() + [None],
        "measure": ev.column("measure").to_pylist() + [None],
        "threshold": ev.column("threshold").to_pylist() + [None],
        "explanation": ev.column("explanation").to_pylist() + [None],
        "state": [None] * n + [state],
    }
    return pa.table(
        cols,
        schema=pa.schema(
            [
                ("rule", pa.string()),
                ("scope", pa.string()),
                ("type", pa.string()),
                ("date", pa.date32()),
                ("severity", pa.string()),
                ("value", pa.float64()),
                ("measure", pa.float64()),
                ("threshold", pa.float64()),
                ("explanation", pa.string()),
                ("state", pa.string()),
            ]
        ),
    )


def alerts(series: Any, rules: Sequence[Mapping[str, Any]], states: Any = None) -> Any:
    """Runs alert rules over many series. ``series``: a Spark DataFrame with columns ``rule`` (a rule id),
    ``scope`` (the series, e.g. a unit; it replaces the rule's own ``scope``), ``date`` and ``value`` (null =
    missing data), the points not yet evaluated. ``rules``: the rules (JSON objects) by ``id``. ``states``: the
    :func:`states` of the previous run (None: every series starts fresh). Returns a DataFrame of
    :data:`ALERT_SCHEMA`; read it with :func:`events` and :func:`states` (cache it first: both read it)."""
    by_id = {str(r["id"]): _json.dumps(dict(r)) for r in rules}
    if states is None:
        states = series.sparkSession.createDataFrame([], _STATE_SCHEMA)

    def run(left: pa.Table, right: pa.Table) -> pa.Table:
        return _alert_group(by_id, left, right)

    return (
        series.select("rule", "scope", "date", "value")
        .groupBy("rule", "scope")
        .cogroup(states.select("rule", "scope", "state").groupBy("rule", "scope"))
        .applyInArrow(run, ALERT_SCHEMA)
    )


def events(result: Any) -> Any:
    """The events of an :func:`alerts` result (every column but ``state``)."""
    return result.where("type <> 'state'").drop("state")


def states(result: Any) -> Any:
    """The states of an :func:`alerts` result to store for the next run: ``rule``, ``scope``, ``state`` (JSON)."""
    return result.where("type = 'state'").select("rule", "scope", "state")


_TARGET_FIELDS = [
    ("id", pa.string()),
    ("metric", pa.string()),
    ("version", pa.string()),
    ("scope_kind", pa.string()),
    ("scope", pa.string()),
    ("cycle", pa.string()),
    ("threshold", pa.float64()),
    ("target", pa.float64()),
    ("stretch", pa.float64()),
    ("actual", pa.float64()),
    ("achievement", pa.float64()),
    ("score", pa.float64()),
    ("cap", pa.float64()),
    ("undefined", pa.string()),
    ("withheld", pa.string()),
]
_SCORECARD_FIELDS = [
    ("id", pa.string()),
    ("subject_kind", pa.string()),
    ("subject", pa.string()),
    ("total", pa.float64()),
    ("undefined", pa.string()),
    ("withheld", pa.string()),
    ("grade", pa.string()),
    ("forced_grade", pa.string()),
    ("rank", pa.float64()),
    ("okr_score", pa.float64()),
]


def _ddl(fields: List[Any]) -> str:
    names = {pa.string(): "string", pa.float64(): "double"}
    return ", ".join(["org string"] + [f"{n} {names[t]}" for n, t in fields])


def _per_document(documents: Any, fields: List[Any], compute: Any) -> Any:
    schema = pa.schema([("org", pa.string())] + fields)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            orgs = batch.column("org").to_pylist()
            docs = batch.column("document").to_pylist()
            for org, doc in zip(orgs, docs):
                table = pa.table(compute(_okpi.Model(doc)))
                table = table.add_column(0, "org", pa.array([org] * table.num_rows, pa.string()))
                yield from table.cast(schema).to_batches()

    return documents.select("org", "document").mapInArrow(run, _ddl(fields))


def scores(documents: Any, as_of: Any) -> Any:
    """The KPI target scores of many organisations: ``documents`` has columns ``org`` and ``document`` (one
    organisation's document as JSON text); one row per target (``org`` then ``okpi.arrow.scores``' columns)."""
    day = str(as_of)
    return _per_document(documents, _TARGET_FIELDS, lambda m: _okpi.scores_arrow(m, day))


def scorecards(documents: Any, as_of: Any) -> Any:
    """The scorecards of many organisations (as :func:`scores`): ``org`` then ``okpi.arrow.scorecards``' columns."""
    request = _json.dumps({"as_of": str(as_of)})
    return _per_document(documents, _SCORECARD_FIELDS, lambda m: _okpi.scorecards_arrow(m, request))


def link_observations(cells: Any, measure: str, dims: Sequence[str] = ()) -> Any:
    """The cells of a day-grain SQL query (``okpi.sql(model, query, dialect="spark")`` run by Spark) as rows of the
    ``observations`` layout of ``measure``: ``date`` = the cell's day, ``value``, and the group-by ``dims``. Undefined
    cells (null values) are dropped: missing data stays missing, never 0. Fed to ``okpi.arrow.with_data``, a KR
    linked to a ``sum`` metric over ``measure`` reads the numbers the warehouse computed."""
    cols = ["period_start AS date", f"'{measure}' AS measure", "value"] + [f"`{d}`" for d in dims]
    return cells.where("value IS NOT NULL").selectExpr(*cols)
