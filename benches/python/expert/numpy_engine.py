"""numpy, as an expert writes it: integer codes throughout, "latest per group" as the last row of a sorted run,
sums per group with ``np.bincount``, the roll-up one tree level at a time, subtree sums as a scatter-add over the
(unit, ancestor) pairs, and the alert state machine as run-length arithmetic over the series × days matrix
(forward fills by ``np.maximum.accumulate`` of positions)."""

from __future__ import annotations

from typing import Any, Dict, Tuple

import numpy as np

from .tables import FOR, Tables, day
from .tables import load as load  # the end-to-end reader: Python's json module


def prepare(t: Tables) -> Tables:
    """numpy works on the tables as they are."""
    return t


def last_per_group(keys: np.ndarray) -> np.ndarray:
    """Positions of the last row of each run of equal ``keys`` (sorted)."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[keys[1:] != keys[:-1], True])


def in_force(t: Tables, as_of: int) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """start, target, bound and weight in force at ``as_of``: each field's latest version on or before it."""
    out = []
    v = t.ver_day <= as_of
    for base, ver in ((t.kr_start, t.ver_start), (t.kr_target, t.ver_target), (t.kr_bound, t.ver_bound),
                      (t.kr_weight, t.ver_weight)):
        col = base.copy()
        m = v & ~np.isnan(ver)
        k, x = t.ver_kr[m], ver[m]
        last = last_per_group(k)
        col[k[last]] = x[last]
        out.append(col)
    return out[0], out[1], out[2], out[3]


def okr(t: Tables, as_of_date: Any) -> Dict[str, Tuple[np.ndarray, ...]]:
    """(a): every key result's current value and progress, every objective's progress."""
    as_of = day(as_of_date)
    s = t.s
    n, n_obj = len(t.kr_kind), len(t.obj_from)
    start, target, bound, weight = in_force(t, as_of)
    m = (t.ci_day <= as_of) & ~np.isnan(t.ci_value)
    k, x = t.ci_kr[m], t.ci_value[m]
    last = last_per_group(k)
    latest = np.full(n, np.nan)
    latest[k[last]] = x[last]
    kind = t.kr_kind
    plain = kind <= 1
    current = np.where(plain & np.isnan(latest), start, latest)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(kind == 0, (current - start) / (target - start), (start - current) / (start - target))
    progress = np.where(plain, np.clip(raw, 0.0, 1.0), 0.0)
    has = ~np.isnan(latest)
    incl = t.kr_inclusive
    above = has & np.where(incl, latest >= bound, latest > bound)
    below = has & np.where(incl, latest <= bound, latest < bound)
    progress = np.where(kind == 2, above, np.where(kind == 3, below, progress))
    done = t.step_day <= as_of
    num = np.bincount(t.step_kr, t.step_weight * done, n)
    den = np.bincount(t.step_kr, t.step_weight, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        checklist = np.where(den > 0, num / den, 0.0)
    with_steps = np.bincount(t.step_kr, minlength=n) > 0
    milestone = np.where(with_steps, checklist, np.where(has, latest, 0.0))
    progress = np.where(kind == 4, milestone, progress)

    # Objectives: fixed ones first (manual, by value), then the weighted roll-up level by level.
    prog = np.zeros(n_obj)
    mm = t.man_day <= as_of
    mo, mp = t.man_obj[mm], t.man_progress[mm]
    last = last_per_group(mo)
    prog[mo[last]] = mp[last]
    bv = s["by_value"][t.kr_obj]
    sums = [np.bincount(t.kr_obj[bv], c[bv], n_obj) for c in (current, start, target)]
    with np.errstate(invalid="ignore", divide="ignore"):
        raw_bv = np.where(kind_of_obj(t, n_obj) == 1, (sums[1] - sums[0]) / (sums[1] - sums[2]),
                          (sums[0] - sums[1]) / (sums[2] - sums[1]))
    prog = np.where(s["by_value"], np.clip(raw_bv, 0.0, 1.0), prog)

    uses = np.isin(t.obj_from, (0, 2))[t.kr_obj]
    plain_terms = uses & (kind != 5)
    num_o = np.bincount(t.kr_obj[plain_terms], weight[plain_terms] * progress[plain_terms], n_obj)
    den_o = np.bincount(t.kr_obj[uses], weight[uses], n_obj)
    e = s["edge"]
    den_o += np.bincount(t.al_parent[e], t.al_weight[e], n_obj)
    for objs, edges, links in s["levels"]:
        num_l = num_o[objs]
        if links.size:
            lp = prog[t.kr_linked[links]]
            add = np.bincount(t.kr_obj[links], weight[links] * lp, n_obj)
            num_l = num_l + add[objs]
        if edges.size:
            add = np.bincount(t.al_parent[edges], t.al_weight[edges] * prog[t.al_child[edges]], n_obj)
            num_l = num_l + add[objs]
        d = den_o[objs]
        with np.errstate(invalid="ignore", divide="ignore"):
            prog[objs] = np.where(d > 0, num_l / d, 0.0)
    lk = kind == 5
    progress[lk] = prog[t.kr_linked[lk]]
    current[lk] = progress[lk]
    return {"kr": (np.arange(n), current, progress), "objective": (np.arange(n_obj), prog)}


def kind_of_obj(t: Tables, n_obj: int) -> np.ndarray:
    """The kind code of each objective's key results (by-value objectives have one kind)."""
    k = np.zeros(n_obj, dtype=np.int8)
    k[t.kr_obj] = t.kr_kind
    return k


def monthly(t: Tables) -> np.ndarray:
    """(b): sums per (sum metric, unit with its subtree, month) as a dense array (metric, unit, month)."""
    s = t.s
    n_units, n_months = len(t.unit_ids), len(s["months"])
    slot = np.full(len(t.measure_ids), -1, dtype=np.int64)
    slot[[c for _, c in t.sum_metrics]] = np.arange(len(t.sum_metrics))
    k = slot[t.obs_measure]
    m = k >= 0
    month = s["month_of_day"][t.obs_day[m] - s["day0"]]
    flat = (t.obs_unit[m] * len(t.sum_metrics) + k[m]) * n_months + month
    leaf = np.bincount(flat, t.obs_value[m], n_units * len(t.sum_metrics) * n_months)
    leaf = leaf.reshape(n_units, -1)
    desc, anc = s["closure"]
    out = np.zeros_like(leaf)
    np.add.at(out, anc, leaf[desc])
    return out.reshape(n_units, len(t.sum_metrics), n_months).transpose(1, 0, 2)


def alerts(t: Tables) -> Tuple[np.ndarray, ...]:
    """(c): the events (series, step, kind, severity) of the threshold rule on every series."""
    x = t.s["series"]
    th = t.s["thresholds"]
    return alert_events(x, th[:, 0:1], th[:, 1:2], th[:, 2:3], th[:, 3:4], FOR)


def ffill_position(mask: np.ndarray) -> np.ndarray:
    """For each cell, the column of the last cell at or before it in its row where ``mask`` holds (-1: none)."""
    idx = np.where(mask, np.arange(mask.shape[1], dtype=np.int32), -1)
    return np.maximum.accumulate(idx, axis=1)


def alert_events(x: np.ndarray, warn: np.ndarray, warn_rec: np.ndarray, crit: np.ndarray, crit_rec: np.ndarray,
                 for_: int) -> Tuple[np.ndarray, ...]:
    """The state machine of an ``above`` rule with recovery (warning_rec < warning < critical_rec < critical), as
    zones: ≤ warning_rec: none; ≤ warning: warning if an alert is active, else none; ≤ critical_rec: warning;
    ≤ critical: critical if critical was active, else warning; above: critical. "Active before" is read from the
    last cell outside the zone (a forward fill); runs of breaching cells then give the events."""
    zone = ((x > warn_rec).astype(np.int8) + (x > warn) + (x > crit_rec) + (x > crit)).astype(np.int8)
    rows = np.arange(x.shape[0])[:, None]
    p1 = ffill_position(zone != 1)
    z1 = np.where(p1 >= 0, zone[rows, np.maximum(p1, 0)], 0)
    p3 = ffill_position(zone != 3)
    z3 = np.where(p3 >= 0, zone[rows, np.maximum(p3, 0)], 0)
    sev = np.choose(zone, [np.int8(0), (z1 != 0).astype(np.int8), np.int8(1),
                           (1 + (z3 == 4)).astype(np.int8), np.int8(2)])
    b = sev > 0
    prev_b = np.zeros_like(b)
    prev_b[:, 1:] = b[:, :-1]
    prev_sev = np.zeros_like(sev)
    prev_sev[:, 1:] = sev[:, :-1]
    start = b & ~prev_b
    k = np.arange(x.shape[1], dtype=np.int32) - ffill_position(start)  # steps since the run began
    prev_k = np.zeros_like(k)
    prev_k[:, 1:] = k[:, :-1]
    kinds = np.full(x.shape, -1, dtype=np.int8)
    kinds[start & (for_ > 0)] = 0
    kinds[b & (k == for_)] = 1
    kinds[b & (k > for_) & (sev != prev_sev)] = 2
    kinds[~b & prev_b & (prev_k >= for_)] = 3
    series, step = np.nonzero(kinds >= 0)
    kind = kinds[series, step]
    severity = np.where(kind == 3, prev_sev[series, step], sev[series, step]) - 1
    return series, step, kind, severity
