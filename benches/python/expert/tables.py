"""The data every baseline starts from: the document's items as integer-coded numpy columns (ids replaced by their
position in the document's list), and the structure an analyst computes once per document, as okpi's ``Model``
does when it is built: objective roll-up levels, each unit's ancestors, check-ins sorted by key result and date,
and the alert workload's series matrix and thresholds.

Codes: unit, objective and key result ``i`` is the ``i``-th of ``org_units``, ``objectives``, ``key_results``; a
measure is its position in ``measures``; a date is a day number (days since 1970-01-01, numpy's ``datetime64[D]``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

AS_OF = dt.date(2026, 3, 20)
#: The monthly query of workload (b): every month of the quarter.
QUERY_FROM, QUERY_TO = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
#: Key result kinds and objective ``progress_from`` values, by code.
KR_KINDS = ("increase", "decrease", "stay_above", "stay_below", "milestone", "linked")
PROGRESS_FROM = ("key_results", "children", "both", "manual")
#: The alert rule of workload (c), relative to each series' level (its mean over the first seven days):
#: (warning, its recovery, critical, its recovery). Warning above 1.25 × level until the value falls to 1.15 × or
#: below, critical above 1.5 × until 1.35 × or below, `for` 1: on the generated data about one step in ten emits an
#: event. ``BUSY_RULE`` (events on 43 % of steps, many severity changes) exercises the logic in the test.
RULE = (1.25, 1.15, 1.5, 1.35)
BUSY_RULE = (1.10, 1.02, 1.20, 1.15)
FOR = 1
NOT_DONE = np.iinfo(np.int32).max


def day(d: "dt.date | str") -> int:
    """A date's day number."""
    return int(np.datetime64(d if isinstance(d, str) else d.isoformat(), "D").astype(np.int64))


def days(texts: Sequence[Optional[str]]) -> np.ndarray:
    """Day numbers of ``YYYY-MM-DD`` texts (``None`` → ``NOT_DONE``), parsed by numpy in one call."""
    a = np.array([t if t is not None else "NaT" for t in texts], dtype="datetime64[D]")
    out = a.astype(np.int64)
    out[np.isnat(a)] = NOT_DONE
    return out.astype(np.int32)


def floats(xs: Sequence[Optional[float]]) -> np.ndarray:
    return np.array([np.nan if x is None else x for x in xs], dtype=np.float64)


@dataclass
class Tables:
    """Integer-coded columns of one document (see the module doc); ``*_day`` are day numbers."""

    unit_ids: List[str]
    unit_parent: np.ndarray  # int32, -1 at the root
    objective_ids: List[str]
    obj_from: np.ndarray  # int8 code in PROGRESS_FROM
    obj_by_value: np.ndarray  # bool: rollup = by_value
    man_obj: np.ndarray
    man_day: np.ndarray
    man_progress: np.ndarray
    kr_ids: List[str]
    kr_obj: np.ndarray
    kr_kind: np.ndarray  # int8 code in KR_KINDS
    kr_start: np.ndarray  # NaN where none
    kr_target: np.ndarray
    kr_bound: np.ndarray
    kr_inclusive: np.ndarray  # bool (default true)
    kr_weight: np.ndarray
    kr_linked: np.ndarray  # objective code, -1 where none
    kr_unit: np.ndarray  # code of the KR's unit text, -1 where none
    ver_kr: np.ndarray
    ver_day: np.ndarray
    ver_start: np.ndarray
    ver_target: np.ndarray
    ver_bound: np.ndarray
    ver_weight: np.ndarray
    step_kr: np.ndarray
    step_weight: np.ndarray
    step_day: np.ndarray  # NOT_DONE where not done
    ci_kr: np.ndarray
    ci_day: np.ndarray
    ci_value: np.ndarray  # NaN where the check-in has no value
    al_child: np.ndarray
    al_parent: np.ndarray
    al_weight: np.ndarray
    al_contributes: np.ndarray  # bool
    measure_ids: List[str]
    sum_metrics: List[Tuple[str, int]]  # (metric id, measure code) of every simple sum metric
    obs_measure: np.ndarray  # int8
    obs_unit: np.ndarray  # int32
    obs_day: np.ndarray  # int32
    obs_value: np.ndarray
    s: Dict[str, Any] = field(default_factory=dict)  # the structure (see `structure`)


def codes(values: Sequence[Optional[str]], ids: Sequence[str]) -> np.ndarray:
    """Positions of ``values`` in ``ids`` (-1 for ``None``); an unknown id is an error."""
    pos = {v: i for i, v in enumerate(ids)}
    return np.array([-1 if v is None else pos[v] for v in values], dtype=np.int32)


def from_document(doc: Dict[str, Any]) -> Tables:
    """The tables of a parsed document (``json.load``), with Python's json module and numpy: the loader of the
    numpy and pandas baselines."""
    units = doc["org_units"]
    unit_ids = [u["id"] for u in units]
    objectives = doc["objectives"]
    objective_ids = [o["id"] for o in objectives]
    krs = doc["key_results"]
    kr_ids = [k["id"] for k in krs]
    man = [(i, u) for i, o in enumerate(objectives) for u in o.get("manual_updates", ())]
    ver = [(i, v) for i, k in enumerate(krs) for v in k.get("versions", ())]
    steps = [(i, s) for i, k in enumerate(krs) for s in k.get("steps", ())]
    unit_texts = sorted({k["unit"] for k in krs if k.get("unit") is not None})
    cis = doc["check_ins"]
    als = doc["alignments"]
    obs = doc["observations"]
    measure_ids = [m["id"] for m in doc["measures"]]
    kinds = {k: i for i, k in enumerate(KR_KINDS)}
    froms = {k: i for i, k in enumerate(PROGRESS_FROM)}
    return Tables(
        unit_ids=unit_ids,
        unit_parent=codes([u.get("parent") for u in units], unit_ids),
        objective_ids=objective_ids,
        obj_from=np.array([froms[o.get("progress_from", "key_results")] for o in objectives], dtype=np.int8),
        obj_by_value=np.array([o.get("rollup") == "by_value" for o in objectives]),
        man_obj=np.array([i for i, _ in man], dtype=np.int32),
        man_day=days([u["date"] for _, u in man]),
        man_progress=floats([u["progress"] for _, u in man]),
        kr_ids=kr_ids,
        kr_obj=codes([k["objective"] for k in krs], objective_ids),
        kr_kind=np.array([kinds[k["kind"]] for k in krs], dtype=np.int8),
        kr_start=floats([k.get("start") for k in krs]),
        kr_target=floats([k.get("target") for k in krs]),
        kr_bound=floats([k.get("bound") for k in krs]),
        kr_inclusive=np.array([k.get("inclusive", True) for k in krs]),
        kr_weight=floats([k.get("weight", 1.0) for k in krs]),
        kr_linked=codes([k.get("linked_objective") for k in krs], objective_ids),
        kr_unit=codes([k.get("unit") for k in krs], unit_texts),
        ver_kr=np.array([i for i, _ in ver], dtype=np.int32),
        ver_day=days([v["effective"] for _, v in ver]),
        ver_start=floats([v.get("start") for _, v in ver]),
        ver_target=floats([v.get("target") for _, v in ver]),
        ver_bound=floats([v.get("bound") for _, v in ver]),
        ver_weight=floats([v.get("weight") for _, v in ver]),
        step_kr=np.array([i for i, _ in steps], dtype=np.int32),
        step_weight=floats([s.get("weight", 1.0) for _, s in steps]),
        step_day=days([s.get("done_on") for _, s in steps]),
        ci_kr=codes([c["key_result"] for c in cis], kr_ids),
        ci_day=days([c["date"] for c in cis]),
        ci_value=floats([c.get("value") for c in cis]),
        al_child=codes([a["child"] for a in als], objective_ids),
        al_parent=codes([a["parent"] for a in als], objective_ids),
        al_weight=floats([a.get("weight", 1.0) for a in als]),
        al_contributes=np.array([a.get("mode", "contributes") == "contributes" for a in als]),
        measure_ids=measure_ids,
        sum_metrics=sum_metrics(doc["metrics"], measure_ids),
        obs_measure=codes([o["measure"] for o in obs], measure_ids).astype(np.int8),
        obs_unit=codes([o["dims"]["unit"] for o in obs], unit_ids),
        obs_day=days([o["date"] for o in obs]),
        obs_value=floats([o["value"] for o in obs]),
    )


def sum_metrics(metrics: Sequence[Dict[str, Any]], measure_ids: Sequence[str]) -> List[Tuple[str, int]]:
    """Every simple metric that sums a measure, with the measure's code."""
    return [
        (m["id"], measure_ids.index(m["measure"]))
        for m in metrics
        if m["kind"] == "simple" and m.get("agg", "sum") == "sum"
    ]


def load(path: str) -> Tables:
    """Reads a document with Python's json module."""
    with open(path, "rb") as f:
        return from_document(json.load(f))


def save(t: Tables, path: str) -> None:
    """Writes the columns (not the structure) to an ``.npz`` file, so a large document is read once in a process
    of its own and the memory of the reader is given back before okpi's model is built."""
    cols: Dict[str, np.ndarray] = {}
    for f in fields(t):
        v = getattr(t, f.name)
        if f.name == "s":
            continue
        if f.name == "sum_metrics":
            cols["sum_metric_ids"] = np.array([m for m, _ in v], dtype=str)
            cols["sum_metric_measures"] = np.array([c for _, c in v], dtype=np.int64)
        else:
            cols[f.name] = np.array(v, dtype=str) if isinstance(v, list) else v
    np.savez(path, **cols)  # type: ignore[arg-type]  # numpy stubs take the keyword arrays for flags


def restore(path: str) -> Tables:
    """The tables written by ``save``."""
    with np.load(path) as z:
        kw: Dict[str, Any] = {}
        for f in fields(Tables):
            if f.name == "s":
                continue
            if f.name == "sum_metrics":
                kw[f.name] = [(str(m), int(c)) for m, c in zip(z["sum_metric_ids"], z["sum_metric_measures"])]
            elif f.name.endswith("_ids"):
                kw[f.name] = z[f.name].tolist()
            else:
                kw[f.name] = z[f.name]
        return Tables(**kw)


def check_supported(t: Tables) -> None:
    """What the baselines do not implement is absent: a KR without a start (baseline from the first check-in),
    KRs linked to KPI metrics (not read), observations outside the query, series with gaps."""
    plain = t.kr_kind <= 1
    assert not np.isnan(t.kr_start[plain]).any() and not np.isnan(t.kr_target[plain]).any(), "KR without start"
    assert t.obs_day.min() >= day(QUERY_FROM) and t.obs_day.max() <= day(QUERY_TO), "observation outside the query"


def structure(t: Tables, rule: Tuple[float, float, float, float] = RULE) -> Tables:
    """Adds what is computed once per document (okpi's model does the same when built) to ``t.s``:

    - check-ins sorted by (key result, date, input order), versions by (key result, date), manual updates by
      (objective, date): "the latest on or before as-of" becomes the last row of each group;
    - ``level``: each objective's roll-up level (0: depends on no objective; else 1 + the highest level it reads,
      through contributing children and linked key results), and for each level its objectives, contributing
      edges and linked key results;
    - ``by_value``: objectives rolled up by value (asked for, from key results only, all of one kind and unit);
    - ``closure``: (unit, ancestor-or-self) pairs, for subtree sums;
    - the alert workload: the series matrix (measure × unit rows, one column per day) and each row's thresholds
      (``rule`` × its level).
    """
    s: Dict[str, Any] = {}
    o = np.lexsort((np.arange(len(t.ci_kr)), t.ci_day, t.ci_kr))
    t.ci_kr, t.ci_day, t.ci_value = t.ci_kr[o], t.ci_day[o], t.ci_value[o]
    o = np.lexsort((np.arange(len(t.ver_kr)), t.ver_day, t.ver_kr))
    for f in ("ver_kr", "ver_day", "ver_start", "ver_target", "ver_bound", "ver_weight"):
        setattr(t, f, getattr(t, f)[o])
    o = np.lexsort((np.arange(len(t.man_obj)), t.man_day, t.man_obj))
    t.man_obj, t.man_day, t.man_progress = t.man_obj[o], t.man_day[o], t.man_progress[o]

    n_obj = len(t.objective_ids)
    uses_krs = np.isin(t.obj_from, (0, 2))
    uses_children = np.isin(t.obj_from, (1, 2))
    edge = t.al_contributes & uses_children[t.al_parent]
    linked = (t.kr_kind == 5) & uses_krs[t.kr_obj]
    dep_from = np.concatenate([t.al_parent[edge], t.kr_obj[linked]])
    dep_on = np.concatenate([t.al_child[edge], t.kr_linked[linked]])
    level = np.zeros(n_obj, dtype=np.int32)
    while True:
        nxt = level.copy()
        np.maximum.at(nxt, dep_from, level[dep_on] + 1)
        if (nxt == level).all():
            break
        level = nxt
    # by value: asked, from key results, KRs all increase or all decrease, one non-empty unit, all with a start.
    n_kr = np.bincount(t.kr_obj, minlength=n_obj)
    kind_lo = np.full(n_obj, 127); np.minimum.at(kind_lo, t.kr_obj, t.kr_kind)
    kind_hi = np.full(n_obj, -1); np.maximum.at(kind_hi, t.kr_obj, t.kr_kind)
    unit_lo = np.full(n_obj, 1 << 30); np.minimum.at(unit_lo, t.kr_obj, t.kr_unit)
    unit_hi = np.full(n_obj, -1); np.maximum.at(unit_hi, t.kr_obj, t.kr_unit)
    by_value = (t.obj_by_value & (t.obj_from == 0) & (n_kr > 0) & (kind_lo == kind_hi) & (kind_hi <= 1)
                & (unit_lo == unit_hi) & (unit_lo >= 0))
    fixed = by_value | (t.obj_from == 3)
    s["level"] = level
    s["by_value"] = by_value
    s["edge"] = edge
    s["linked"] = linked
    s["levels"] = [
        (np.flatnonzero((level == L) & ~fixed), np.flatnonzero(edge & (level[t.al_parent] == L)),
         np.flatnonzero(linked & (level[t.kr_obj] == L)))
        for L in range(int(level.max()) + 1)
    ]
    # (unit, ancestor-or-self) pairs.
    n_units = len(t.unit_ids)
    desc, anc = [np.arange(n_units)], [np.arange(n_units)]
    a = t.unit_parent.astype(np.int64)
    u = np.arange(n_units)
    while (a >= 0).any():
        m = a >= 0
        u, a = u[m], a[m]
        desc.append(u); anc.append(a)
        a = t.unit_parent[a].astype(np.int64)
    s["closure"] = (np.concatenate(desc).astype(np.int32), np.concatenate(anc).astype(np.int32))
    s["day0"] = day(QUERY_FROM)
    months = np.arange(np.datetime64(QUERY_FROM, "M"), np.datetime64(QUERY_TO, "M") + 1)
    s["months"] = [str(m) for m in months]
    qdays = np.arange(np.datetime64(QUERY_FROM), np.datetime64(QUERY_TO) + 1)
    s["month_of_day"] = (qdays.astype("datetime64[M]") - months[0]).astype(np.int8)
    s.update(alert_series(t.obs_measure, t.obs_unit, t.obs_day, t.obs_value, len(t.measure_ids), n_units, rule))
    t.s = s
    return t


def alert_series(measure: np.ndarray, unit: np.ndarray, day_: np.ndarray, value: np.ndarray, n_measures: int,
                 n_units: int, rule: Tuple[float, float, float, float] = RULE) -> Dict[str, Any]:
    """The alert workload from observation columns (measure and unit codes, day numbers, values): ``series``, the
    matrix with row measure × n_units + unit and column day − first day (complete: asserted), its ``dates``, and
    each row's ``thresholds`` (``rule`` × its level)."""
    d0, d1 = int(day_.min()), int(day_.max())
    n_steps = d1 - d0 + 1
    matrix = np.full((n_measures * n_units, n_steps), np.nan)
    matrix[measure.astype(np.int64) * n_units + unit, day_ - d0] = value
    assert not np.isnan(matrix).any(), "every series has every day"
    level_ = matrix[:, :7].mean(axis=1)
    assert (level_ > 0).all(), "thresholds ordered: recovery < warning < critical recovery < critical"
    return {
        "series": matrix,
        "dates": [str(d) for d in np.arange(np.datetime64(d0, "D"), np.datetime64(d1, "D") + 1)],
        "thresholds": level_[:, None] * np.array(rule),
    }


@dataclass
class Workload:
    """What okpi's calls of the three workloads need besides the model (``check.Okpi``, ``alert_rules``), read
    from an ``okpi.Model`` (``from_model``) instead of the document: codes are positions in the model's id-ordered
    lists."""

    unit_ids: List[str]
    measure_ids: List[str]
    kr_ids: List[str]
    objective_ids: List[str]
    sum_metrics: List[Tuple[str, int]]
    s: Dict[str, Any]


def from_model(model: Any, rule: Tuple[float, float, float, float] = RULE) -> Workload:
    """The alert series of (c) and the sum metrics of (b) from a model's own columns
    (``Model.observations_arrays``, ``Model.metrics``): what an okpi user does instead of re-reading the JSON."""
    obs = model.observations_arrays()
    unit_ids, measure_ids = obs["unit_ids"], obs["measure_ids"]
    days_ = obs["date"].astype(np.int64).astype(np.int32)
    return Workload(
        unit_ids=unit_ids,
        measure_ids=measure_ids,
        kr_ids=model.key_result_ids(),
        objective_ids=model.objective_ids(),
        sum_metrics=sum_metrics(model.metrics(), measure_ids),
        s=alert_series(obs["measure"], obs["unit"], days_, obs["value"], len(measure_ids), len(unit_ids), rule),
    )


def same_workload(w: Workload, t: Tables) -> None:
    """``w`` (from the model) holds what ``t`` (from the document) holds, each in its own code order: the same
    series with the same thresholds and dates, and the same sum metrics."""
    n_units = len(t.unit_ids)
    m_pos = {m: i for i, m in enumerate(t.measure_ids)}
    u_pos = {u: i for i, u in enumerate(t.unit_ids)}
    rows = np.array([m_pos[m] * n_units + u_pos[u] for m in w.measure_ids for u in w.unit_ids])
    assert w.s["dates"] == t.s["dates"], "alert dates"
    assert np.array_equal(w.s["series"], t.s["series"][rows]), "alert series"
    assert np.array_equal(w.s["thresholds"], t.s["thresholds"][rows]), "alert thresholds"
    named = lambda ms, ids: sorted((m, ids[c]) for m, c in ms)  # noqa: E731
    assert named(w.sum_metrics, w.measure_ids) == named(t.sum_metrics, t.measure_ids), "sum metrics"


def series_columns(t: Tables) -> Dict[str, np.ndarray]:
    """The alert workload as the columns of a long table sorted by (series, step), each row with its rule's
    thresholds: the form the pandas, polars and DuckDB baselines load it in."""
    x, th = t.s["series"], t.s["thresholds"]
    n, m = x.shape
    cols = {"series": np.repeat(np.arange(n, dtype=np.int32), m), "step": np.tile(np.arange(m, dtype=np.int16), n),
            "value": x.ravel()}
    for i, name in enumerate(("warn", "warn_rec", "crit", "crit_rec")):
        cols[name] = np.repeat(th[:, i], m)
    return cols


def alert_rules(t: Tables) -> List[str]:
    """okpi's rules of workload (c), one per series, as JSON texts (okpi reads rules as JSON)."""
    n_units = len(t.unit_ids)
    out = []
    for i, (w, wr, c, cr) in enumerate(t.s["thresholds"].tolist()):
        out.append(json.dumps({
            "id": f"s{i}", "metric": t.measure_ids[i // n_units], "scope": t.unit_ids[i % n_units], "grain": "day",
            "condition": "above", "warning": {"value": w, "recovery": wr},
            "critical": {"value": c, "recovery": cr}, "for": FOR,
        }))
    return out
