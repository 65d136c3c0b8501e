"""Writes the vectors of DOMAIN.md §0 (numbers at boundaries) and the settled readings of §5–§7.

Each case sits exactly on a boundary in decimal arithmetic (where binary floating point lands one step on the
wrong side), and its near miss sits one unit in the last written decimal place on the other side. Expected values
are the decimal arithmetic written in each `why`; nothing here runs okpi.

Run from the repository root: python3 tests/tools/gen_exact_vectors.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[1] / "vectors"


def write(area: str, name: str, case: Dict[str, Any]) -> None:
    path = ROOT / area / f"{name}.json"
    path.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- OKR
C10 = [{"id": "c10", "start": "2026-01-01", "end": "2026-01-10"}]


def okr_doc(objectives: List[Dict[str, Any]], krs: List[Dict[str, Any]], check_ins: List[Dict[str, Any]]) -> Any:
    return {"schema_version": 1, "cycles": C10, "objectives": objectives, "key_results": krs, "check_ins": check_ins}


def kr(id_: str, obj: str, start: float, target: float, **extra: Any) -> Dict[str, Any]:
    return {"id": id_, "objective": obj, "kind": "increase", "start": start, "target": target, **extra}


def ci(k: str, value: float, **extra: Any) -> Dict[str, Any]:
    return {"key_result": k, "date": "2026-01-04", "value": value, **extra}


def okr() -> None:
    write("okr", "070_exact_status_tolerances", {
        "name": "status tolerances are met in decimal arithmetic (fire and near miss)",
        "why": "c10, as_of 01-05 → expected 5/10 = 0.5. on: 0→3 at 1.2 → p = 1.2/3 = 0.4 = 0.5 − 0.10 → on_track "
               "(binary: 0.39999999999999997). on_miss: 1.1999/3 = 0.39996… < 0.4, ≥ 0.25 → at_risk. risk: 0.1→0.9 at "
               "0.3 → 0.2/0.8 = 0.25 = 0.5 − 0.25 → at_risk (binary: 0.24999999999999997). risk_miss: 0.2999 → "
               "0.1999/0.8 = 0.249875 < 0.25 → off_track. Objective o (worst_kr): off_track.",
        "document": okr_doc(
            [{"id": "o", "cycle": "c10"}],
            [kr("on", "o", 0, 3), kr("on_miss", "o", 0, 3), kr("risk", "o", 0.1, 0.9), kr("risk_miss", "o", 0.1, 0.9)],
            [ci("on", 1.2), ci("on_miss", 1.1999), ci("risk", 0.3), ci("risk_miss", 0.2999)],
        ),
        "as_of": "2026-01-05",
        "expect": {
            "key_results": {
                "on": {"progress": 0.4, "status": "on_track"},
                "on_miss": {"progress": 0.39996666666666664, "status": "at_risk"},
                "risk": {"progress": 0.25, "status": "at_risk"},
                "risk_miss": {"progress": 0.249875, "status": "off_track"},
            },
            "objectives": {"o": {"status": "off_track"}},
        },
    })
    write("okr", "071_exact_done_by_value", {
        "name": "done at a by_value progress of exactly 1 (fire and near miss)",
        "why": "rollup by_value, objective_status from_progress; c10, as_of 01-05 → expected 0.5. o: a 0→0.4 at 0.7, "
               "b 0→0.4 at 0.1 → (0.7 + 0.1 − 0) / (0.4 + 0.4 − 0) = 0.8/0.8 = 1 → done (binary: 0.7 + 0.1 = "
               "0.7999999999999999). o_miss: c at 0.7, d at 0.0999 → 0.7999/0.8 = 0.999875 < 1, ≥ 0.4 → on_track.",
        "document": okr_doc(
            [{"id": "o", "cycle": "c10"}, {"id": "o_miss", "cycle": "c10"}],
            [kr("a", "o", 0, 0.4, unit="u"), kr("b", "o", 0, 0.4, unit="u"),
             kr("c", "o_miss", 0, 0.4, unit="u"), kr("d", "o_miss", 0, 0.4, unit="u")],
            [ci("a", 0.7), ci("b", 0.1), ci("c", 0.7), ci("d", 0.0999)],
        ),
        "as_of": "2026-01-05",
        "settings": {"rollup": "by_value", "objective_status": "from_progress"},
        "expect": {
            "key_results": {"a": {}, "b": {}, "c": {}, "d": {}},
            "objectives": {
                "o": {"progress": 1, "status": "done"},
                "o_miss": {"progress": 0.999875, "status": "on_track"},
            },
        },
    })
    write("okr", "072_exact_confidence_mean_high", {
        "name": "two confidences of 7 weighted 0.1 and 0.2 average 7: high (fire and near miss)",
        "why": "o: a (weight 0.1) and b (weight 0.2), confidence 7 each → (0.1·7 + 0.2·7)/(0.1 + 0.2) = 2.1/0.3 = 7 "
               "→ high (≥ 7; binary: 6.999999999999999). o_miss: confidences 7 and 6.9999 → (0.7 + 1.39998)/0.3 = "
               "6.9999333… < 7 → medium.",
        "document": okr_doc(
            [{"id": "o", "cycle": "c10"}, {"id": "o_miss", "cycle": "c10"}],
            [kr("a", "o", 0, 10, weight=0.1), kr("b", "o", 0, 10, weight=0.2),
             kr("c", "o_miss", 0, 10, weight=0.1), kr("d", "o_miss", 0, 10, weight=0.2)],
            [ci("a", 5, confidence=7), ci("b", 5, confidence=7), ci("c", 5, confidence=7),
             ci("d", 5, confidence=6.9999)],
        ),
        "as_of": "2026-01-05",
        "expect": {
            "key_results": {"a": {}, "b": {}, "c": {}, "d": {}},
            "objectives": {
                "o": {"confidence": 7, "confidence_band": "high"},
                "o_miss": {"confidence": 6.999933333333333, "confidence_band": "medium"},
            },
        },
    })
    write("okr", "073_exact_from_progress_confidence_four", {
        "name": "from_progress: confidences averaging exactly 4 are medium, not a low-confidence downgrade",
        "why": "objective_status from_progress; c10, as_of 01-05 → expected 0.5. o: a (weight 0.1, confidence 2) and "
               "b (weight 0.2, confidence 5), both 0→10 at 5 → p 0.5 ≥ 0.4 → on_track; confidence (0.2 + 1.0)/0.3 = "
               "4 → medium (binary: 3.999999999999999), so no downgrade. o_miss: confidences 2 and 4.9999 → "
               "(0.2 + 0.99998)/0.3 = 3.99993… < 4 → low → at_risk.",
        "document": okr_doc(
            [{"id": "o", "cycle": "c10"}, {"id": "o_miss", "cycle": "c10"}],
            [kr("a", "o", 0, 10, weight=0.1), kr("b", "o", 0, 10, weight=0.2),
             kr("c", "o_miss", 0, 10, weight=0.1), kr("d", "o_miss", 0, 10, weight=0.2)],
            [ci("a", 5, confidence=2), ci("b", 5, confidence=5), ci("c", 5, confidence=2),
             ci("d", 5, confidence=4.9999)],
        ),
        "as_of": "2026-01-05",
        "settings": {"objective_status": "from_progress"},
        "expect": {
            "key_results": {"a": {}, "b": {}, "c": {}, "d": {}},
            "objectives": {
                "o": {"progress": 0.5, "confidence": 4, "confidence_band": "medium", "status": "on_track"},
                "o_miss": {"progress": 0.5, "confidence": 3.9999333333333333, "confidence_band": "low",
                           "status": "at_risk"},
            },
        },
    })
    write("okr", "074_exact_score_half_up", {
        "name": "scores round half-up at a decimal half (fire and near miss)",
        "why": "half: 0→3 at 1.65 → p = 0.55 (binary: 0.5499999999999999) → half-up to one decimal 0.6, yellow. "
               "half_miss: 1.6499/3 = 0.54996… → 0.5, yellow.",
        "document": okr_doc(
            [{"id": "o", "cycle": "c10"}],
            [kr("half", "o", 0, 3), kr("half_miss", "o", 0, 3)],
            [ci("half", 1.65), ci("half_miss", 1.6499)],
        ),
        "as_of": "2026-01-10",
        "expect": {
            "key_results": {
                "half": {"progress": 0.55, "score": 0.6, "score_band": "yellow"},
                "half_miss": {"progress": 0.54996666666666671, "score": 0.5, "score_band": "yellow"},
            },
            "objectives": {"o": {}},
        },
    })


# ---------------------------------------------------------------- KPI
Q1 = [{"id": "Q1", "start": "2026-01-01", "end": "2026-03-31"}]


def kpi_doc(units: List[str], observations: List[Any], targets: List[Any], metrics: Any = None,
            scorecards: Any = None, direction: Any = None) -> Any:
    metric: Dict[str, Any] = {"id": "k", "kind": "simple", "measure": "m"}
    if direction is not None:
        metric["direction"] = direction
    doc: Dict[str, Any] = {
        "schema_version": 1, "cycles": Q1,
        "org_units": [{"id": "co"}] + [{"id": u, "parent": "co"} for u in units],
        "measures": [{"id": "m"}],
        "metrics": metrics or [metric],
        "observations": [{"measure": "m", "date": f"2026-02-{i % 28 + 1:02d}", "value": v, "dims": {"unit": u}}
                         for i, (u, v) in enumerate(observations)],
        "targets": targets,
    }
    if scorecards is not None:
        doc["scorecards"] = scorecards
    return doc


def target(id_: str, unit: str, value: float, **extra: Any) -> Dict[str, Any]:
    return {"id": id_, "metric": "k", "scope": {"unit": unit}, "cycle": "Q1", "target": value, **extra}


def kpi() -> None:
    bands = {"bands": [{"min_a": 1.0, "score": 100}, {"min_a": 1.1, "score": 120}]}
    write("kpi", "60_exact_bands_min_a", {
        "name": "bands: 3.3 against 3.0 reaches the band at 1.1 (fire and near miss)",
        "why": "on: actual 3.3, target 3.0 → a = 1.1 (binary: 1.0999999999999999) ≥ 1.1 → 120. miss: 3.2999/3.0 = "
               "1.09996… < 1.1, ≥ 1.0 → 100.",
        "document": kpi_doc(["u_on", "u_miss"], [("u_on", 3.3), ("u_miss", 3.2999)],
                            [target("on", "u_on", 3.0, curve=bands), target("miss", "u_miss", 3.0, curve=bands)]),
        "score": {"as_of": "2026-03-31"},
        "expect": {"targets": {"on": {"actual": 3.3, "achievement": 1.1, "score": 120},
                               "miss": {"actual": 3.2999, "achievement": 1.0999666666666668, "score": 100}}},
    })
    write("kpi", "61_exact_binary", {
        "name": "binary: an achievement of exactly 1 scores 100 (fire and near miss)",
        "why": "on: observations 0.7 and 0.1 sum to 0.8 (binary: 0.7999999999999999), target 0.8 → a = 1 → 100. "
               "miss: 0.7 + 0.0999 = 0.7999 → a = 0.999875 < 1 → 0.",
        "document": kpi_doc(["u_on", "u_miss"], [("u_on", 0.7), ("u_on", 0.1), ("u_miss", 0.7), ("u_miss", 0.0999)],
                            [target("on", "u_on", 0.8, curve="binary"), target("miss", "u_miss", 0.8, curve="binary")]),
        "score": {"as_of": "2026-03-31"},
        "expect": {"targets": {"on": {"achievement": 1, "score": 100},
                               "miss": {"achievement": 0.999875, "score": 0}}},
    })
    write("kpi", "62_exact_scorecard_grade", {
        "name": "scorecard 10 % × 89.1 + 90 % × 90.1 totals 90: grade B (fire and near miss)",
        "why": "linear curve, target 100: t1 actual 89.1 → 89.1; t2 90.1 → 90.1; t3 90.0999 → 90.0999. s: 10·89.1/100 "
               "+ 90·90.1/100 = 8.91 + 81.09 = 90 (binary: 89.99999999999999) ≥ 90 → B. s_miss: 8.91 + 90·90.0999/100 "
               "= 8.91 + 81.08991 = 89.99991 < 90 → C. Ranks: s 1, s_miss 2.",
        "document": kpi_doc(
            ["u1", "u2", "u3"], [("u1", 89.1), ("u2", 90.1), ("u3", 90.0999)],
            [target("t1", "u1", 100), target("t2", "u2", 100), target("t3", "u3", 100)],
            scorecards=[
                {"id": "s", "subject": {"unit": "u2"}, "items": [{"target": "t1", "weight": 10},
                                                                {"target": "t2", "weight": 90}]},
                {"id": "s_miss", "subject": {"unit": "u3"}, "items": [{"target": "t1", "weight": 10},
                                                                     {"target": "t3", "weight": 90}]},
            ]),
        "scorecards": {"as_of": "2026-03-31"},
        "expect": {"scorecards": {"s": {"total": 90, "grade": "B", "rank": 1},
                                  "s_miss": {"total": 89.99991, "grade": "C", "rank": 2}}},
    })
    tts = {"threshold_target_stretch": {"at_threshold": 60, "at_target": 100, "at_stretch": 150}}
    write("kpi", "63_exact_ranking_ties_by_id", {
        "name": "two totals of exactly 80 tie and rank by id (fire and near miss)",
        "why": "Group on: a = linear 80/100 → 80; b = threshold_target_stretch, threshold 19.9, target 32.3, actual "
               "26.1 → 60 + 40 · (26.1 − 19.9)/(32.3 − 19.9) = 60 + 40 · 6.2/12.4 = 80 (binary: 80.00000000000001): "
               "a tie, so by id: a 1, b 2. Group miss: c = 80; d with actual 26.1001 → 60 + 40 · 6.2001/12.4 = "
               "80.000322… > 80: d 1, c 2.",
        "document": kpi_doc(
            ["ua", "ub", "uc", "ud"], [("ua", 80), ("ub", 26.1), ("uc", 80), ("ud", 26.1001)],
            [target("ta", "ua", 100), target("tb", "ub", 32.3, threshold=19.9, curve=tts),
             target("tc", "uc", 100), target("td", "ud", 32.3, threshold=19.9, curve=tts)],
            scorecards=[
                {"id": "a", "subject": {"unit": "ua"}, "group": "on", "items": [{"target": "ta", "weight": 100}]},
                {"id": "b", "subject": {"unit": "ub"}, "group": "on", "items": [{"target": "tb", "weight": 100}]},
                {"id": "c", "subject": {"unit": "uc"}, "group": "miss", "items": [{"target": "tc", "weight": 100}]},
                {"id": "d", "subject": {"unit": "ud"}, "group": "miss", "items": [{"target": "td", "weight": 100}]},
            ]),
        "scorecards": {"as_of": "2026-03-31"},
        "expect": {"scorecards": {"a": {"total": 80, "rank": 1}, "b": {"total": 80, "rank": 2},
                                  "c": {"total": 80, "rank": 2}, "d": {"total": 80.00032258064516, "rank": 1}}},
    })
    for name, shares, seats, why in [
        ("64_exact_forced_distribution_28", [20, 70, 10], (6, 19, 3),
         "quotas 28·20/100 = 5.6, 28·70/100 = 19.6, 28·10/100 = 2.8 → whole parts 5 + 19 + 2 = 26; the 2 seats left go "
         "to the largest remainders: .8 (low), then .6 and .6 tie → the earlier share (top): 6 / 19 / 3. Totals "
         "100 − i for p01…p28 rank them in order."),
        ("65_exact_forced_distribution_28_near_miss", [19.999, 70.001, 10], (5, 20, 3),
         "quotas 28·19.999/100 = 5.59972, 28·70.001/100 = 19.60028, 2.8 → whole parts 5 + 19 + 2 = 26; remainders "
         ".59972, .60028, .8 → the 2 seats go to low (.8) and mid (.60028): 5 / 20 / 3."),
    ]:
        units = [f"p{i:02d}" for i in range(1, 29)]
        grades = ["top"] * seats[0] + ["mid"] * seats[1] + ["low"] * seats[2]
        write("kpi", name, {
            "name": f"forced distribution {'/'.join(map(str, shares))} over 28 by exact largest remainders",
            "why": why,
            "document": kpi_doc(
                units, [(u, 100 - i) for i, u in enumerate(units)],
                [target(f"t_{u}", u, 100) for u in units],
                scorecards=[{"id": u, "subject": {"unit": u}, "group": "g", "items": [{"target": f"t_{u}", "weight": 100}]}
                            for u in units]),
            "scorecards": {"as_of": "2026-03-31", "distribution": {"shares": [
                {"grade": g, "percent": p} for g, p in zip(["top", "mid", "low"], shares)]}},
            "expect": {"scorecards": {u: {"rank": i + 1, "forced_grade": g} for i, (u, g) in enumerate(zip(units, grades))}},
        })
    write("kpi", "66_exact_rounding_half_up", {
        "name": "a target's decimals round a decimal half up (fire and near miss)",
        "why": "linear, target 6, decimals 1. on: actual 0.105 → 100 · 0.105/6 = 1.75 (binary: 1.7499999999999998) → "
               "1.8. miss: 0.1049 → 1.74833… → 1.7.",
        "document": kpi_doc(["u_on", "u_miss"], [("u_on", 0.105), ("u_miss", 0.1049)],
                            [target("on", "u_on", 6, decimals=1), target("miss", "u_miss", 6, decimals=1)]),
        "score": {"as_of": "2026-03-31"},
        "expect": {"targets": {"on": {"score": 1.8}, "miss": {"score": 1.7}}},
    })
    write("kpi", "67_inverse_actual_at_or_below_zero", {
        "name": "inverse achievement: any actual ≤ 0 is the best, scored at the cap",
        "why": "lower_is_better, inverse, target 5, linear cap 120: neg actual −2 → below zero beats every positive "
               "target → no achievement number, score = cap 120 (as an actual of 0 does); zero actual 0 → 120; pos "
               "actual 4 → 5/4 = 1.25 → capped 120; big actual 10 → 0.5 → 50.",
        "document": kpi_doc(["u_neg", "u_zero", "u_pos", "u_big"],
                            [("u_neg", -2), ("u_zero", 0), ("u_pos", 4), ("u_big", 10)],
                            [target("neg", "u_neg", 5), target("zero", "u_zero", 5), target("pos", "u_pos", 5),
                             target("big", "u_big", 5)], direction="lower_is_better"),
        "score": {"as_of": "2026-03-31"},
        "expect": {"targets": {"neg": {"actual": -2, "achievement": None, "score": 120},
                               "zero": {"actual": 0, "achievement": None, "score": 120},
                               "pos": {"achievement": 1.25, "score": 120},
                               "big": {"achievement": 0.5, "score": 50}}},
    })

    def obs(measure: str, date: str, value: float, **dims: str) -> Dict[str, Any]:
        o: Dict[str, Any] = {"measure": measure, "date": date, "value": value}
        if dims:
            o["dims"] = dims
        return o

    ratio_doc = {
        "schema_version": 1,
        "measures": [{"id": "orders"}, {"id": "visits"}],
        "metrics": [{"id": "o", "kind": "simple", "measure": "orders"},
                    {"id": "v", "kind": "simple", "measure": "visits"},
                    {"id": "conv", "kind": "ratio", "numerator": "o", "denominator": "v"}],
        "observations": [
            obs("orders", "2026-03-02", 3), obs("visits", "2026-03-02", 0.1), obs("visits", "2026-03-03", 0.2),
            obs("visits", "2026-03-04", -0.3),
            obs("orders", "2026-04-02", 0.1), obs("orders", "2026-04-03", 0.2), obs("orders", "2026-04-04", -0.3),
            obs("visits", "2026-04-02", 5),
            obs("orders", "2026-05-02", 3), obs("visits", "2026-05-02", 0.1), obs("visits", "2026-05-03", 0.2),
            obs("visits", "2026-05-04", -0.25),
        ],
    }
    write("kpi", "68_exact_zero_denominator_by_decimals", {
        "name": "a denominator that is zero in decimal arithmetic is a zero denominator (and near miss)",
        "why": "conv = orders / visits by month. March: 3 / (0.1 + 0.2 − 0.3) = 3 / 0 → undefined (binary: visits "
               "5.55e-17, 5.4e16). April: (0.1 + 0.2 − 0.3) / 5 = 0 / 5 = 0, written 0. May (near miss): 3 / (0.1 + "
               "0.2 − 0.25) = 3 / 0.05 = 60. June: no observations → visits 0 → undefined.",
        "document": ratio_doc,
        "query": {"metric": "conv", "grain": "month", "from": "2026-03-01", "to": "2026-06-30"},
        "expect": {"cells": [
            {"period_start": "2026-03-01", "value": None},
            {"period_start": "2026-04-01", "value": 0},
            {"period_start": "2026-05-01", "value": 60},
            {"period_start": "2026-06-01", "value": None},
        ]},
    })
    write("kpi", "69_exact_zero_sums_written_as_zero", {
        "name": "sums that are zero in decimals, and sums of nothing, are 0 (never −0)",
        "why": "v = sum of visits by month. March: 0.1 + 0.2 − 0.3 = 0 (binary: 5.55e-17). April: 5. May: 0.1 + 0.2 − "
               "0.25 = 0.05. June: no observations → 0, written 0 (not −0).",
        "document": ratio_doc,
        "query": {"metric": "v", "grain": "month", "from": "2026-03-01", "to": "2026-06-30"},
        "expect": {"cells": [
            {"period_start": "2026-03-01", "value": 0},
            {"period_start": "2026-04-01", "value": 5},
            {"period_start": "2026-05-01", "value": 0.05},
            {"period_start": "2026-06-01", "value": 0},
        ]},
    })
    write("kpi", "70_exact_derived_zero_difference", {
        "name": "a derived difference that is zero in decimals is a zero denominator",
        "why": "r = o / (a − b) by month, where a sums visits 0.1 and 0.2 and b sums the measure base 0.3. March: "
               "3 / (0.3 − 0.3) = 3 / 0 → undefined (binary: a − b = 5.55e-17). April (near miss): a = 0.1 + 0.2, "
               "b = 0.25 → 3 / 0.05 = 60.",
        "document": {
            "schema_version": 1,
            "measures": [{"id": "orders"}, {"id": "visits"}, {"id": "base"}],
            "metrics": [{"id": "o", "kind": "simple", "measure": "orders"},
                        {"id": "a", "kind": "simple", "measure": "visits"},
                        {"id": "b", "kind": "simple", "measure": "base"},
                        {"id": "r", "kind": "derived", "expression": "o / (a - b)"}],
            "observations": [
                obs("orders", "2026-03-02", 3), obs("visits", "2026-03-02", 0.1), obs("visits", "2026-03-03", 0.2),
                obs("base", "2026-03-02", 0.3),
                obs("orders", "2026-04-02", 3), obs("visits", "2026-04-02", 0.1), obs("visits", "2026-04-03", 0.2),
                obs("base", "2026-04-02", 0.25),
            ],
        },
        "query": {"metric": "r", "grain": "month", "from": "2026-03-01", "to": "2026-04-30"},
        "expect": {"cells": [
            {"period_start": "2026-03-01", "value": None},
            {"period_start": "2026-04-01", "value": 60},
        ]},
    })
    to_date = {
        "schema_version": 1,
        "measures": [{"id": "m"}],
        "metrics": [{"id": "s", "kind": "simple", "measure": "m"},
                    {"id": "prev", "kind": "derived", "expression": "s(offset 1)"},
                    {"id": "mtd", "kind": "cumulative", "metric": "prev", "to_date": "month_to_date"}],
    }
    write("kpi", "71_offset_in_month_to_date_at_quarter_grain", {
        "name": "an offset inside a month-to-date span shifts each end by whole quarters",
        "why": "mtd = month_to_date of s(offset 1) at grain quarter. Q2 2026's month-to-date span is [Jun 1, Jun 30]; "
               "one quarter earlier each end gives [Mar 1, Mar 31] (a month's last day stays its month's last day), "
               "which has no data → 0. The one observation, 155 on 2026-01-05, lies in Q1 but not in March (it "
               "would count if the span were first widened to the whole quarter). Q1's span [Mar 1, Mar 31] → "
               "[Dec 1, Dec 31] 2025 → 0.",
        "document": {**to_date, "observations": [obs("m", "2026-01-05", 155)]},
        "query": {"metric": "mtd", "grain": "quarter", "from": "2026-01-01", "to": "2026-06-30"},
        "expect": {"cells": [
            {"period_start": "2026-01-01", "period_end": "2026-03-31", "value": 0},
            {"period_start": "2026-04-01", "period_end": "2026-06-30", "value": 0},
        ]},
    })
    write("kpi", "72_offset_in_month_to_date_at_week_grain", {
        "name": "an offset inside a month-to-date span shifts each end by whole weeks",
        "why": "mtd at grain week: the week of Mon 2026-03-02 to Sun 03-08 has month-to-date span [Mar 1, Mar 8]; one "
               "week earlier each end gives [Feb 22, Mar 1]: 7 (Feb 22) + 5 (Mar 1) = 12. Not counted: 100 on Feb 20 "
               "(in [Feb 16, Mar 1], the span widened to whole weeks and then shifted) and 1000 on Mar 2.",
        "document": {**to_date, "observations": [obs("m", "2026-02-20", 100), obs("m", "2026-02-22", 7),
                                                 obs("m", "2026-03-01", 5), obs("m", "2026-03-02", 1000)]},
        "query": {"metric": "mtd", "grain": "week", "from": "2026-03-02", "to": "2026-03-08"},
        "expect": {"cells": [{"period_start": "2026-03-02", "period_end": "2026-03-08", "value": 12}]},
    })
    write("kpi", "73_cumulative_of_cumulative_refused", {
        "name": "a cumulative metric may not read a cumulative metric, directly or through a derived one",
        "why": "DOMAIN.md §5: a window of a window has no single meaning. w3 windows ytd (cumulative) → E_INVALID_VALUE "
               "at $.metrics[2].metric; via reads d = ytd · 2, which reads a cumulative → refused too. ytd itself reads "
               "a simple metric: fine.",
        "document": {
            "schema_version": 1,
            "measures": [{"id": "m"}],
            "metrics": [{"id": "s", "kind": "simple", "measure": "m"},
                        {"id": "ytd", "kind": "cumulative", "metric": "s", "to_date": "year_to_date"},
                        {"id": "w3", "kind": "cumulative", "metric": "ytd", "window": 3},
                        {"id": "d", "kind": "derived", "expression": "ytd * 2"},
                        {"id": "via", "kind": "cumulative", "metric": "d", "window": 2}],
        },
        "expect_error": [{"code": "E_INVALID_VALUE", "path": "$.metrics[2].metric"},
                         {"code": "E_INVALID_VALUE", "path": "$.metrics[4].metric"}],
    })
    write("kpi", "74_group_by_cells_in_group_by_order", {
        "name": "with two group_by dims, cells are ordered by the dims in group_by order",
        "why": "group_by [region, channel]: groups sorted by region, then channel: (north, app) 2, (north, web) 1, "
               "(south, app) 4. Ordered by the dims' names (channel first) it would be (app, north), (app, south), "
               "(web, north).",
        "document": {
            "schema_version": 1,
            "measures": [{"id": "m"}],
            "metrics": [{"id": "s", "kind": "simple", "measure": "m"}],
            "observations": [obs("m", "2026-03-02", 1, region="north", channel="web"),
                             obs("m", "2026-03-03", 4, region="south", channel="app"),
                             obs("m", "2026-03-04", 2, region="north", channel="app")],
        },
        "query": {"metric": "s", "grain": "month", "from": "2026-03-01", "to": "2026-03-31",
                  "group_by": ["region", "channel"]},
        "expect": {"cells": [
            {"group": {"region": "north", "channel": "app"}, "value": 2},
            {"group": {"region": "north", "channel": "web"}, "value": 1},
            {"group": {"region": "south", "channel": "app"}, "value": 4},
        ]},
    })


# ---------------------------------------------------------------- alerts
def rule(condition: Any, **severities: Any) -> Dict[str, Any]:
    return {"id": "r", "metric": "m", "scope": "s", "grain": "day", "condition": condition, **severities}


def series(*values: Any) -> List[Dict[str, Any]]:
    return [{"date": f"2026-01-{i + 1:02d}", "value": v} for i, v in enumerate(values)]


def day(i: int) -> str:
    return f"2026-01-{i:02d}"


def alerts() -> None:
    chg = {"change_pct": {"offset": 1}}
    write("alerts", "40_exact_change_pct_ten_percent_fires", {
        "name": "change_pct: a fall from 1.0 to 0.9 is a 10 % change and fires at 10",
        "why": "higher is better, warning 10: (0.9 − 1.0) · 100 / 1.0 = −10, a fall of 10 ≥ 10 → firing (binary: "
               "9.999999999999998).",
        "rule": rule(chg, warning={"value": 10}),
        "series": series(1.0, 0.9),
        "expect_events": [{"type": "firing", "date": day(2), "severity": "warning", "measure": 10, "threshold": 10}],
    })
    write("alerts", "41_exact_change_pct_near_miss", {
        "name": "change_pct: a fall from 1.0 to 0.9001 is 9.99 %: no event",
        "why": "(0.9001 − 1.0) · 100 / 1.0 = −9.99 → 9.99 < 10 → no breach.",
        "rule": rule(chg, warning={"value": 10}),
        "series": series(1.0, 0.9001),
        "expect_events": [],
    })
    write("alerts", "42_exact_change_pct_recovery_holds", {
        "name": "change_pct recovery: a 10 % fall has not passed a recovery of 10",
        "why": "critical 20, recovery 10, offset 1. 1.25 → 1.0: −0.25 · 100 / 1.25 = −20 → fall 20 ≥ 20 → firing. 1.0 → "
               "0.9: fall 10, not below the recovery 10 → critical holds, no event (binary: 9.999999999999998). 0.9 → "
               "1.0: a rise → resolved.",
        "rule": rule(chg, critical={"value": 20, "recovery": 10}),
        "series": series(1.25, 1.0, 0.9, 1.0),
        "expect_events": [{"type": "firing", "date": day(2), "severity": "critical", "measure": 20},
                          {"type": "resolved", "date": day(4), "severity": "critical"}],
    })
    write("alerts", "43_exact_change_pct_recovery_near_miss", {
        "name": "change_pct recovery: a 9.99 % fall passes a recovery of 10",
        "why": "as 42, but 1.0 → 0.9001: fall 9.99 < 10 → recovered → resolved on day 3.",
        "rule": rule(chg, critical={"value": 20, "recovery": 10}),
        "series": series(1.25, 1.0, 0.9001, 1.0),
        "expect_events": [{"type": "firing", "date": day(2), "severity": "critical", "measure": 20},
                          {"type": "resolved", "date": day(3), "severity": "critical"}],
    })
    bt = {"below_target": {"target": 3.9, "direction": "higher_is_better"}}
    write("alerts", "44_exact_below_target_not_below", {
        "name": "below_target: 3.51 against 3.9 is an achievement of exactly 0.9, not below 0.9",
        "why": "warning 0.9, target 3.9: 3.51 / 3.9 = 0.9 → not < 0.9 → no breach (binary: 0.8999999999999999).",
        "rule": rule(bt, warning={"value": 0.9}),
        "series": series(3.51),
        "expect_events": [],
    })
    write("alerts", "45_exact_below_target_near_miss_fires", {
        "name": "below_target: 3.5099 against 3.9 is below 0.9 and fires",
        "why": "3.5099 / 3.9 = 0.89997… < 0.9 → firing.",
        "rule": rule(bt, warning={"value": 0.9}),
        "series": series(3.5099),
        "expect_events": [{"type": "firing", "date": day(1), "severity": "warning", "measure": 0.8999743589743589,
                           "threshold": 0.9}],
    })
    bt4 = {"below_target": {"target": 1.06, "direction": "higher_is_better"}}
    write("alerts", "46_exact_below_target_recovery_reached", {
        "name": "below_target recovery: an achievement of exactly 0.95 reaches a recovery of 0.95",
        "why": "warning 0.9, recovery 0.95, target 1.06. 0.8 → 0.754… < 0.9 → firing. 1.007 → 1.007/1.06 = 0.95 ≥ 0.95 "
               "→ recovered → resolved (binary: 0.9499999999999998).",
        "rule": rule(bt4, warning={"value": 0.9, "recovery": 0.95}),
        "series": series(0.8, 1.007),
        "expect_events": [{"type": "firing", "date": day(1), "severity": "warning"},
                          {"type": "resolved", "date": day(2), "severity": "warning"}],
    })
    write("alerts", "47_exact_below_target_recovery_near_miss", {
        "name": "below_target recovery: 0.94997… has not reached a recovery of 0.95",
        "why": "as 46, but 1.0069 → 0.949905… < 0.95 (and ≥ 0.9, no breach) → the warning holds: no event.",
        "rule": rule(bt4, warning={"value": 0.9, "recovery": 0.95}),
        "series": series(0.8, 1.0069),
        "expect_events": [{"type": "firing", "date": day(1), "severity": "warning"}],
    })
    tr = {"trend": {"n": 2}}
    write("alerts", "48_exact_trend_slope_minus_one_fires", {
        "name": "trend: a slope of exactly −1 meets a threshold of 1",
        "why": "n 2, critical 1, higher is better: 2.8 then 1.8 → slope 1.8 − 2.8 = −1, the bad sign with magnitude 1 ≥ "
               "1 → firing (binary: −0.9999999999999998).",
        "rule": rule(tr, critical={"value": 1}),
        "series": series(2.8, 1.8),
        "expect_events": [{"type": "firing", "date": day(2), "severity": "critical", "measure": 1, "threshold": 1}],
    })
    write("alerts", "49_exact_trend_near_miss", {
        "name": "trend: a slope of −0.9999 does not meet 1",
        "why": "2.8 then 1.8001 → slope −0.9999, magnitude < 1 → no event.",
        "rule": rule(tr, critical={"value": 1}),
        "series": series(2.8, 1.8001),
        "expect_events": [],
    })
    write("alerts", "50_exact_trend_recovery_holds", {
        "name": "trend recovery: a slope of exactly −1 has not passed a recovery of 1",
        "why": "n 2, critical 2, recovery 1. 4.8 → 2.8: slope −2 → firing. 2.8 → 1.8: slope −1, magnitude 1, not "
               "below the recovery 1 → holds (binary: −0.9999999999999998). 1.8 → 1.8: slope 0 → resolved.",
        "rule": rule(tr, critical={"value": 2, "recovery": 1}),
        "series": series(4.8, 2.8, 1.8, 1.8),
        "expect_events": [{"type": "firing", "date": day(2), "severity": "critical"},
                          {"type": "resolved", "date": day(4), "severity": "critical"}],
    })
    write("alerts", "51_exact_trend_recovery_near_miss", {
        "name": "trend recovery: a slope of −0.9999 passes a recovery of 1",
        "why": "as 50, but 2.8 → 1.8001: slope −0.9999 < 1 → recovered → resolved on day 3.",
        "rule": rule(tr, critical={"value": 2, "recovery": 1}),
        "series": series(4.8, 2.8, 1.8001, 1.8),
        "expect_events": [{"type": "firing", "date": day(2), "severity": "critical"},
                          {"type": "resolved", "date": day(3), "severity": "critical"}],
    })
    an = {"anomaly": {"window": 3}}
    write("alerts", "52_exact_anomaly_on_the_boundary", {
        "name": "anomaly: a deviation of exactly t · 1.4826 · MAD is not beyond it",
        "why": "window 3, critical 3: previous 10, 10.5, 11 → median 10.5, |deviations| 0.5, 0, 0.5 → MAD 0.5; "
               "12.7239: |12.7239 − 10.5| = 2.2239 = 3 · 1.4826 · 0.5 → not > → no breach (binary: 3.000000000000001).",
        "rule": rule(an, critical={"value": 3}),
        "series": series(10, 10.5, 11, 12.7239),
        "expect_events": [],
    })
    write("alerts", "53_exact_anomaly_near_miss_fires", {
        "name": "anomaly: a deviation one unit beyond t · 1.4826 · MAD fires",
        "why": "as 52, but 12.724: |12.724 − 10.5| = 2.224 > 2.2239 → firing; measure 2.224 / (1.4826 · 0.5) = "
               "3.000134898…",
        "rule": rule(an, critical={"value": 3}),
        "series": series(10, 10.5, 11, 12.724),
        "expect_events": [{"type": "firing", "date": day(4), "severity": "critical", "measure": 3.00013489815189532,
                           "threshold": 3}],
    })
    write("alerts", "54_below_target_lower_is_better_negative_actual", {
        "name": "below_target, lower is better: an actual ≤ 0 is the best achievement and does not breach",
        "why": "target 5, warning 0.9: 0 and −2 beat every positive target (DOMAIN.md §6) → no breach; 10 → 5/10 = "
               "0.5 < 0.9 → firing; −2 → recovered → resolved.",
        "rule": rule({"below_target": {"target": 5, "direction": "lower_is_better"}}, warning={"value": 0.9}),
        "series": series(0, -2, 10, -2),
        "expect_events": [{"type": "firing", "date": day(3), "severity": "warning", "measure": 0.5},
                          {"type": "resolved", "date": day(4), "severity": "warning"}],
    })
    write("alerts", "e13_inside_critical_beyond_warning", {
        "name": "inside: the critical band must lie within the warning band",
        "why": "DOMAIN.md §7 rule checks: for inside, critical (0, 20) reaches outside warning (5, 15) → E_ALERT_RULE at "
               "$.warning.",
        "rule": rule("inside", warning={"lo": 5, "hi": 15}, critical={"lo": 0, "hi": 20}),
        "series": [],
        "expect_error": [{"code": "E_ALERT_RULE", "path": "$.warning"}],
    })


# ---------------------------------------------------------------- hybrid
def hybrid() -> None:
    units = ["u_red_on", "u_red_miss", "u_green_on", "u_green_miss"]
    observations = [("u_red_on", 3.51), ("u_red_miss", 3.5099), ("u_green_on", 0.7), ("u_green_on", 0.1),
                    ("u_green_miss", 0.7), ("u_green_miss", 0.0999)]
    tgt = {"u_red_on": 3.9, "u_red_miss": 3.9, "u_green_on": 0.8, "u_green_miss": 0.8}
    doc = {
        "schema_version": 1,
        "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
        "org_units": [{"id": u} for u in units],
        "measures": [{"id": "m"}],
        "metrics": [{"id": "m_sum", "kind": "simple", "measure": "m"}],
        "observations": [{"measure": "m", "date": f"2026-02-{i + 1:02d}", "value": v, "dims": {"unit": u}}
                         for i, (u, v) in enumerate(observations)],
        "objectives": [{"id": "o1", "cycle": "q1"}],
        "key_results": [{"id": "k1", "objective": "o1", "kind": "increase", "start": 0, "target": 10}],
        "check_ins": [{"key_result": "k1", "date": "2026-03-15", "value": 8}],
        "targets": [{"id": "t" + u[1:], "metric": "m_sum", "scope": {"unit": u}, "cycle": "q1", "target": tgt[u],
                     "supports": ["k1"]} for u in units],
    }
    write("hybrid", "024_exact_light_thresholds", {
        "name": "support lights meet support_red_below and 1 in decimal arithmetic (fire and near miss)",
        "why": "support_red_below 0.9 (default). t_red_on: 3.51/3.9 = 0.9, not < 0.9 → amber (binary: "
               "0.8999999999999999). t_red_miss: 3.5099/3.9 = 0.89997… → red. t_green_on: (0.7 + 0.1)/0.8 = 1 → green "
               "(binary: 0.9999999999999999). t_green_miss: 0.7999/0.8 = 0.999875 < 1 → amber. Supports by id.",
        "document": doc,
        "as_of": "2026-03-31",
        "expect": {"strategy_view": {"objectives": [{"id": "o1", "key_results": [{"id": "k1", "supports": [
            {"id": "t_green_miss", "achievement": 0.999875, "light": "amber"},
            {"id": "t_green_on", "achievement": 1, "light": "green"},
            {"id": "t_red_miss", "achievement": 0.8999743589743589, "light": "red"},
            {"id": "t_red_on", "achievement": 0.9, "light": "amber"},
        ]}]}]}},
    })


if __name__ == "__main__":
    okr()
    kpi()
    alerts()
    hybrid()
