"""okpi's answers to the three workloads, in document order, and the comparison of a baseline's answers with them
(same items; values within 1e-9, relative for the monthly sums, which reach 1e9 and are summed in another order)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import numpy as np

import okpi

from .tables import AS_OF, QUERY_FROM, QUERY_TO, Tables

#: What (a) asks of okpi: every key result's current value and progress, every objective's progress.
A_COLUMNS = ("kr_current", "kr_progress", "objective_progress")

Answer = Dict[str, Any]


def positions(ours: List[str], theirs: List[str]) -> np.ndarray:
    """For each id in ``ours``, its position in ``theirs``."""
    pos = {v: i for i, v in enumerate(theirs)}
    return np.array([pos[v] for v in ours], dtype=np.int64)


class Okpi:
    """okpi's calls for the three workloads; ``reference`` turns their answers into document order."""

    def __init__(self, model: "okpi.Model", t: Tables, rules: List[str]) -> None:
        self.model = model
        self.t = t
        self.rules = rules
        self.kr_perm = positions(t.kr_ids, model.key_result_ids())
        self.obj_perm = positions(t.objective_ids, model.objective_ids())

    def okr(self) -> Dict[str, np.ndarray]:
        # The columns (a) asks for, as the other engines compute them: okpi then works out no status, confidence
        # or score (``benches/README.md``, "(a) with the columns asked").
        return self.model.evaluate_arrays(AS_OF, columns=A_COLUMNS)

    def monthly(self) -> List[Tuple[List[str], List[str], np.ndarray]]:
        q = {"from": QUERY_FROM.isoformat(), "to": QUERY_TO.isoformat(), "grain": "month"}
        return [self.model.query_units_arrays({**q, "metric": m}) for m, _ in self.t.sum_metrics]

    def alerts(self) -> Dict[str, np.ndarray]:
        # The series' rules differ only in their thresholds (and in id, metric and scope, which no event carries
        # here): one rule with the thresholds as columns, as the other engines get them (100,000 JSON rules would be
        # parsed and checked one by one). Every series' rule is still validated with its numbers.
        th = self.t.s["thresholds"]
        numbers = {"warning": th[:, 0], "warning_recovery": th[:, 1], "critical": th[:, 2],
                   "critical_recovery": th[:, 3]}
        return dict(okpi.alert_matrix(self.rules[0], self.t.s["dates"], self.t.s["series"], thresholds=numbers))

    def reference(self, ev: Dict[str, np.ndarray], cells: List[Tuple[List[str], List[str], np.ndarray]],
                  events: Dict[str, np.ndarray]) -> Answer:
        units = positions(self.t.unit_ids, cells[0][0])
        assert [p[:7] for p in cells[0][1]] == self.t.s["months"], "months"
        o = np.lexsort((events["step"], events["series"]))
        return {
            "kr_current": ev["kr_current"][self.kr_perm],
            "kr_progress": ev["kr_progress"][self.kr_perm],
            "objective_progress": ev["objective_progress"][self.obj_perm],
            "monthly": np.stack([v[:, units].T for _, _, v in cells]),
            "events": np.stack([events[k][o].astype(np.int64) for k in ("series", "step", "kind", "severity")]),
        }


def same_okr(ref: Answer, got: Dict[str, Tuple[np.ndarray, ...]]) -> None:
    codes, current, progress = got["kr"]
    assert len(codes) == len(ref["kr_progress"]) and (np.sort(codes) == np.arange(len(codes))).all(), "KR items"
    for name, ours, want in (("KR current", current, ref["kr_current"][codes]),
                             ("KR progress", progress, ref["kr_progress"][codes])):
        bad = ~np.isclose(ours, want, rtol=0, atol=1e-9, equal_nan=True)
        assert not bad.any(), f"{name} differs at {np.flatnonzero(bad)[:5]}: {ours[bad][:5]} vs {want[bad][:5]}"
    codes, progress = got["objective"]
    want = ref["objective_progress"]
    assert len(codes) == len(want) and (np.sort(codes) == np.arange(len(codes))).all(), "objective items"
    bad = ~np.isclose(progress, want[codes], rtol=0, atol=1e-9)
    assert not bad.any(), f"objective progress differs at {np.flatnonzero(bad)[:5]}"


def same_monthly(ref: Answer, got: Any, t: Tables) -> None:
    want = ref["monthly"]
    if isinstance(got, np.ndarray):
        dense = got
    else:
        measure, unit, month, value = (np.asarray(c) for c in got)
        slot = np.full(len(t.measure_ids), -1)
        slot[[c for _, c in t.sum_metrics]] = np.arange(len(t.sum_metrics))
        k = slot[measure.astype(np.int64)]
        assert len(value) == want.size and (k >= 0).all(), f"{len(value)} cells, okpi {want.size}"
        dense = np.full(want.shape, np.nan)
        dense[k, unit.astype(np.int64), month.astype(np.int64)] = value
    assert dense.shape == want.shape, "cells"
    bad = ~np.isclose(dense, want, rtol=1e-9, atol=0)
    assert not bad.any(), f"monthly sums differ at {np.argwhere(bad)[:5]}"


def same_events(ref: Answer, got: Tuple[np.ndarray, ...]) -> None:
    series, step, kind, severity = (np.asarray(c).astype(np.int64) for c in got)
    o = np.lexsort((step, series))
    ours = np.stack([series[o], step[o], kind[o], severity[o]])
    want = ref["events"]
    assert ours.shape == want.shape, f"{ours.shape[1]} events, okpi {want.shape[1]}"
    bad = (ours != want).any(axis=0)
    assert not bad.any(), f"events differ at {np.flatnonzero(bad)[:5]}: {ours[:, bad][:, :3].T} vs {want[:, bad][:, :3].T}"
