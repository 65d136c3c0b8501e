"""Arrow in and out (README "Warehouse"), through the Arrow PyCapsule interface.

Inputs are any Arrow table: an object with ``__arrow_c_stream__`` (a pyarrow ``Table`` or ``RecordBatchReader``, a
polars or pandas ≥ 2.2 ``DataFrame``, a DuckDB relation) or ``__arrow_c_array__`` (a pyarrow ``RecordBatch``). They
are read column by column in Rust, never through Python objects or JSON. Results are :class:`ArrowTable` objects,
which expose ``__arrow_c_stream__``: ``pyarrow.table(t)``, ``polars.DataFrame(t)`` and DuckDB's
``duckdb.sql("SELECT … FROM t")`` take them without copying.

Column layouts (by name; order and extra columns do not matter):

- observations: ``measure`` (text), ``date`` (date, timestamp without zone, or ``YYYY-MM-DD``), ``value`` (any
  number), optionally ``source`` (text); every other column is a dim (text; null = the dim is absent). A null
  measure, date or value, or a NaN value, is refused with its row's path (``$.observations[12].value``).
- check-ins: ``key_result``, ``date``, optionally ``value``, ``confidence`` (numbers, null = none) and ``note``.
- an alert series: ``date`` and ``value`` (null or NaN = missing data), in date order.
"""

from __future__ import annotations

import json as _json
from typing import Any, Dict, Optional, Tuple

from . import Model, _input, _okpi
from ._okpi import ArrowTable

__all__ = ["ArrowTable", "with_data", "query", "evaluate", "scores", "scorecards", "alert"]


def with_data(model: Model, observations: Any = None, check_ins: Any = None) -> Model:
    """A new model: ``model`` with the rows of ``observations`` and ``check_ins`` (Arrow tables) added and the whole
    validated again (a validation problem's path counts the model's own observations first). ``model`` is
    unchanged."""
    return Model._wrap(_okpi.with_arrow(model._native, observations, check_ins))


def query(model: Model, query: Any) -> ArrowTable:
    """The cells of a KPI query (as ``okpi.kpi_query``): ``period_start``, ``period_end`` (dates), one text column
    per ``group_by`` dim (sorted by name), ``value`` (null when undefined), ``undefined``, ``withheld``,
    ``version``."""
    return _okpi.query_arrow(model._native, _input.to_json(query, "query"))


def evaluate(model: Model, as_of: Any, settings: Any = None) -> Tuple[ArrowTable, ArrowTable]:
    """The evaluation as of ``as_of`` as two tables: key results (``id``, ``objective``, ``kind``, ``current``,
    ``progress``, ``expected``, ``status``, ``confidence``, ``score``, ``score_band``, ``weight``,
    ``linked_metric``) and objectives (``id``, ``cycle``, ``kind``, ``progress``, ``expected``, ``status``,
    ``confidence``, ``score``, ``score_band``, ``expected_score``, ``score_final``)."""
    return _okpi.evaluate_arrow(model._native, _input.date_text(as_of), _input.opt_json(settings, "settings"))


def scores(model: Model, as_of: Any) -> ArrowTable:
    """The KPI targets' scores as of ``as_of`` (as ``okpi.kpi_score``), one row per target; the scope as
    ``scope_kind`` and ``scope``."""
    return _okpi.scores_arrow(model._native, _input.date_text(as_of))


def scorecards(model: Model, as_of: Any, distribution: Optional[Dict[str, Any]] = None) -> ArrowTable:
    """The scorecards as of ``as_of`` (as ``okpi.scorecards``): ``id``, ``subject_kind``, ``subject``, ``total``,
    ``undefined``, ``withheld``, ``grade``, ``forced_grade``, ``rank``, ``okr_score``."""
    request: Dict[str, Any] = {"as_of": _input.date_text(as_of)}
    if distribution is not None:
        request["distribution"] = distribution
    return _okpi.scorecards_arrow(model._native, _json.dumps(request))


def alert(rule: Any, series: Any, state: Optional[Dict[str, Any]] = None) -> Tuple[ArrowTable, Dict[str, Any]]:
    """Runs an alert rule over a series from a stored ``state`` (None: fresh): the events (``type``, ``rule``,
    ``date``, ``value``, ``measure``, ``threshold``, ``band_lo``, ``band_hi``, ``severity``, ``explanation``) and
    the state to store for the next run."""
    events, new_state = _okpi.alert_arrow(_input.to_json(rule, "rule"), series, _input.opt_json(state, "state"))
    return events, _json.loads(new_state)
