"""Writes tests/vectors/hybrid/*.json: KR ← KPI links and the strategy view (issue #5).

Every expected number below is computed by hand from DOMAIN.md §2–8 and the decisions documented in README.md
("OKR and KPI together"); the arithmetic is in each case's `why`. Nothing is copied from okpi's output.
Run from the repository root: python3 tests/tools/gen_hybrid_vectors.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

OUT = Path(__file__).resolve().parents[1] / "vectors" / "hybrid"
Q1 = {"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}


def doc(**parts: Any) -> Dict[str, Any]:
    d: Dict[str, Any] = {"schema_version": 1, "cycles": [Q1]}
    d.update(parts)
    return d


def obs(measure: str, date: str, value: float, unit: Optional[str] = None, person: Optional[str] = None) -> Dict[str, Any]:
    dims = {}
    if unit:
        dims["unit"] = unit
    if person:
        dims["person"] = person
    o: Dict[str, Any] = {"measure": measure, "date": date, "value": value}
    if dims:
        o["dims"] = dims
    return o


def kr(id_: str, objective: str, kind: str = "increase", **fields: Any) -> Dict[str, Any]:
    return {"id": id_, "objective": objective, "kind": kind, **fields}


def link(metric: str, unit: Optional[str] = None, person: Optional[str] = None, window: str = "cycle_to_date", lag: int = 0) -> Dict[str, Any]:
    scope = {"unit": unit} if unit else {"person": person}
    return {"metric": metric, "scope": scope, "window": window, "lag_days": lag}


def target(id_: str, metric: str, unit: str, value: float, supports: List[str], **fields: Any) -> Dict[str, Any]:
    return {"id": id_, "metric": metric, "scope": {"unit": unit}, "cycle": "q1", "target": value, "supports": supports, **fields}


def no_support() -> Dict[str, Any]:
    return {"green": 0, "amber": 0, "red": 0, "grey": 0, "health": None, "light": None}


CASES: List[Dict[str, Any]] = []


def case(file: str, name: str, why: str, document: Dict[str, Any], as_of: str, expect: Any = None,
         expect_error: Any = None, settings: Any = None) -> None:
    c: Dict[str, Any] = {"name": name, "why": why, "document": document, "as_of": as_of}
    if settings is not None:
        c["settings"] = settings
    if expect_error is not None:
        c["expect_error"] = expect_error
    else:
        c["expect"] = expect
    CASES.append({"file": file, "case": c})


# --- 001 cycle to date, month grain -----------------------------------------------------------------------------
case(
    "001_cycle_to_date_month_grain.json",
    "cycle_to_date link at month grain: month ends plus the cut-off, each summing the cycle so far",
    "q1 = 2026-01-01..03-31 (90 days). k1 increase 0→200 reads resolved (sum of tickets, month grain) for unit svc, "
    "cycle_to_date, lag 0. as_of 03-02 → cut-off c = 03-02. Check-in dates: month ends in [01-01, 03-02] = 01-31, "
    "02-28, then c = 03-02 (not a month end). Values over [01-01, d]: 01-31: 30 + 20 = 50; 02-28: 50 + 25 + 15 = 90; "
    "03-02: 90 (the 03-03 observation of 10 lies after d) → 3 check-ins, current 90, p = 90/200 = 0.45. "
    "expected = 61/90 = 0.677778; 0.45 < 0.577778 (on_track line) but ≥ 0.427778 → at_risk; score 0.45 → 0.5 "
    "(half-up), yellow. o1 = 0.45, at_risk, score 0.5. Strategy: t1 (resolved, svc, target 100) supports k1: actual "
    "over [01-01, 03-02] = 90, achievement 0.9, linear score 90; 0.9 is not < support_red_below 0.9 but < 1 → amber; "
    "no alert rule → alert null. k1 and o1 support: amber 1 → health (0 + 0.5·1)/1 = 0.5 → amber (≥ 0.5).",
    doc(
        org_units=[{"id": "svc"}],
        measures=[{"id": "tickets"}],
        metrics=[{"id": "resolved", "kind": "simple", "measure": "tickets"}],
        observations=[obs("tickets", "2026-01-10", 30, "svc"), obs("tickets", "2026-01-25", 20, "svc"),
                      obs("tickets", "2026-02-05", 25, "svc"), obs("tickets", "2026-02-20", 15, "svc"),
                      obs("tickets", "2026-03-03", 10, "svc")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=200, link=link("resolved", "svc"))],
        targets=[target("t1", "resolved", "svc", 100, ["k1"])],
    ),
    "2026-03-02",
    {
        "evaluation": {
            "key_results": {"k1": {
                "current": 90, "progress": 0.45, "expected": 61 / 90, "status": "at_risk", "score": 0.5,
                "score_band": "yellow", "confidence": None, "compliance": None, "flags": [],
                "link": {"metric": "resolved", "scope": {"unit": "svc"}, "window": "cycle_to_date", "lag_days": 0,
                         "cut_off": "2026-03-02", "check_ins": 3, "last_check_in": "2026-03-02"}}},
            "objectives": {"o1": {"progress": 0.45, "status": "at_risk", "score": 0.5, "flags": []}},
        },
        "strategy_view": {
            "as_of": "2026-03-02",
            "objectives": [{
                "id": "o1", "cycle": "q1", "progress": 0.45, "status": "at_risk", "score": 0.5,
                "key_results": [{"id": "k1", "progress": 0.45, "status": "at_risk",
                                 "supports": [{"id": "t1", "metric": "resolved", "scope": {"unit": "svc"},
                                               "cycle": "q1", "actual": 90, "achievement": 0.9, "score": 90,
                                               "alert": None, "light": "amber"}],
                                 "support": {"green": 0, "amber": 1, "red": 0, "grey": 0, "health": 0.5,
                                             "light": "amber"}}],
                "support": {"green": 0, "amber": 1, "red": 0, "grey": 0, "health": 0.5, "light": "amber"},
            }],
        },
    },
)

# --- 002 latest grain, ISO weeks --------------------------------------------------------------------------------
case(
    "002_latest_grain_iso_weeks.json",
    "latest_grain link at week grain: each ISO week on its own, clipped to the cycle; an empty week gives no check-in",
    "calls_week = sum of calls, grain week (ISO, Monday–Sunday). 2026-01-01 is a Thursday, so week ends (Sundays) are "
    "01-04, 01-11, 01-18, 01-25. k1 increase 0→100, latest_grain, unit sales, lag 0, as_of 01-21 (Wednesday) → "
    "c = 01-21. Dates: 01-04, 01-11, 01-18, then 01-21 (not a Sunday). Windows [max(cycle start, Monday), d]: "
    "01-04 → [01-01, 01-04] = 40 (the 2025-12-30 value 500 is in that ISO week but before the cycle); 01-11 → "
    "[01-05, 01-11] = 30 + 45 = 75; 01-18 → [01-12, 01-18]: no observation → no check-in (never a 0); 01-21 → "
    "[01-19, 01-21] = 35 (01-22's 100 is after c). 3 check-ins, current 35, p = 0.35. expected 21/90 = 0.233333 → "
    "0.35 ≥ 0.133333 → on_track; score 0.35 → 0.4 yellow. No target supports k1: supports [] and health null.",
    doc(
        org_units=[{"id": "sales"}],
        measures=[{"id": "calls"}],
        metrics=[{"id": "calls_week", "kind": "simple", "measure": "calls", "grain": "week"}],
        observations=[obs("calls", "2025-12-30", 500, "sales"), obs("calls", "2026-01-02", 40, "sales"),
                      obs("calls", "2026-01-06", 30, "sales"), obs("calls", "2026-01-09", 45, "sales"),
                      obs("calls", "2026-01-20", 35, "sales"), obs("calls", "2026-01-22", 100, "sales")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=100, link=link("calls_week", "sales", window="latest_grain"))],
    ),
    "2026-01-21",
    {
        "evaluation": {"key_results": {"k1": {
            "current": 35, "progress": 0.35, "expected": 21 / 90, "status": "on_track", "score": 0.4, "flags": [],
            "link": {"window": "latest_grain", "cut_off": "2026-01-21", "check_ins": 3,
                     "last_check_in": "2026-01-21"}}}},
        "strategy_view": {"objectives": [{"id": "o1", "progress": 0.35, "status": "on_track", "score": 0.4,
                                          "key_results": [{"id": "k1", "supports": [], "support": no_support()}],
                                          "support": no_support()}]},
    },
)

# --- 003 lag across a month end ---------------------------------------------------------------------------------
case(
    "003_lag_across_month_end.json",
    "lag_days 5 on 3 February puts the cut-off on 29 January: January's month end is not yet a check-in",
    "revenue_sum = sum of revenue (month grain), unit shop, cycle_to_date. as_of 02-03. k1 lag 5 → c = 02-03 − 5 = "
    "01-29. Month ends ≤ 01-29: none (01-31 > c); c itself → one check-in dated 01-29 over [01-01, 01-29] = 60 + 15 = "
    "75 (01-30's 100 and 02-02's 50 have not closed). k1 increase 0→300: p = 75/300 = 0.25. expected 34/90 = "
    "0.377778; 0.25 < 0.277778, ≥ 0.127778 → at_risk; score 0.25 → 0.3 red. k2 reads the same metric with lag 0: "
    "c = 02-03, dates 01-31 (60 + 15 + 100 = 175) and 02-03 (175 + 50 = 225) → 2 check-ins, p = 225/300 = 0.75 ≥ "
    "0.277778 → on_track, score 0.8. o1 = (0.25 + 0.75)/2 = 0.5, worst_kr → at_risk, score 0.5.",
    doc(
        org_units=[{"id": "shop"}],
        measures=[{"id": "revenue"}],
        metrics=[{"id": "revenue_sum", "kind": "simple", "measure": "revenue"}],
        observations=[obs("revenue", "2026-01-10", 60, "shop"), obs("revenue", "2026-01-29", 15, "shop"),
                      obs("revenue", "2026-01-30", 100, "shop"), obs("revenue", "2026-02-02", 50, "shop")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=300, link=link("revenue_sum", "shop", lag=5)),
                     kr("k2", "o1", start=0, target=300, link=link("revenue_sum", "shop", lag=0))],
    ),
    "2026-02-03",
    {
        "evaluation": {
            "key_results": {
                "k1": {"current": 75, "progress": 0.25, "status": "at_risk", "score": 0.3, "score_band": "red",
                       "link": {"lag_days": 5, "cut_off": "2026-01-29", "check_ins": 1,
                                "last_check_in": "2026-01-29"}},
                "k2": {"current": 225, "progress": 0.75, "status": "on_track", "score": 0.8,
                       "link": {"lag_days": 0, "cut_off": "2026-02-03", "check_ins": 2,
                                "last_check_in": "2026-02-03"}}},
            "objectives": {"o1": {"progress": 0.5, "status": "at_risk", "score": 0.5}},
        },
        "strategy_view": {"objectives": [{"id": "o1", "progress": 0.5, "status": "at_risk", "score": 0.5}]},
    },
)

# --- 004 linked KR without data ---------------------------------------------------------------------------------
case(
    "004_linked_kr_without_data.json",
    "a linked KR whose scope has no observation keeps the OKR rule: current = start, progress 0, no_check_in and no_data",
    "k1 increase 10→20 reads tickets_sum for unit svc; every observation belongs to the sibling unit ops. as_of 02-15, "
    "lag 0: candidate dates 01-31 and 02-15, but no observation of tickets for svc falls in either window → no "
    "check-in (a sum of nothing is 0 in a KPI query, but a link never reads a 0 from missing data). current = start "
    "= 10, p = 0, flags [no_check_in, no_data]. as_of ≥ start + 7 days, so not not_started: expected 46/90 = 0.511111, "
    "0 < 0.261111 → off_track; score 0.0 red. o1: its only source has no check-in → flags [no_check_in], p 0, "
    "off_track. Strategy: no target supports k1 → supports [], counts 0, health null (not 0).",
    doc(
        org_units=[{"id": "co"}, {"id": "svc", "parent": "co"}, {"id": "ops", "parent": "co"}],
        measures=[{"id": "tickets"}],
        metrics=[{"id": "tickets_sum", "kind": "simple", "measure": "tickets"}],
        observations=[obs("tickets", "2026-01-12", 40, "ops"), obs("tickets", "2026-02-10", 30, "ops")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=10, target=20, link=link("tickets_sum", "svc"))],
    ),
    "2026-02-15",
    {
        "evaluation": {
            "key_results": {"k1": {
                "current": 10, "progress": 0, "status": "off_track", "score": 0, "score_band": "red",
                "flags": ["no_check_in", "no_data"],
                "link": {"cut_off": "2026-02-15", "check_ins": 0, "last_check_in": None}}},
            "objectives": {"o1": {"progress": 0, "status": "off_track", "flags": ["no_check_in"]}},
        },
        "strategy_view": {"objectives": [{"id": "o1", "progress": 0, "status": "off_track",
                                          "key_results": [{"id": "k1", "progress": 0, "status": "off_track",
                                                           "supports": [], "support": no_support()}],
                                          "support": no_support()}]},
    },
)

# --- 005 linked decrease KR -------------------------------------------------------------------------------------
case(
    "005_linked_decrease_latest_grain_avg.json",
    "a linked decrease KR on a monthly average: the latest month's average is the current value",
    "response_avg = avg of response_hours (month grain), unit svc, latest_grain. k1 decrease 48→24. as_of 03-10, lag 0 "
    "→ c = 03-10. Dates 01-31, 02-28, 03-10. Windows: [01-01, 01-31] avg(40, 44) = 42; [02-01, 02-28] avg(36, 30, 33) "
    "= 33; [03-01, 03-10] avg(30, 26) = 28 (03-12's 10 is after c). 3 check-ins, current 28, p = (48 − 28)/(48 − 24) "
    "= 20/24 = 0.833333. expected 69/90 = 0.766667 → on_track; score 0.833 → 0.8 green. No compliance (not a control "
    "KR).",
    doc(
        org_units=[{"id": "svc"}],
        measures=[{"id": "response_hours"}],
        metrics=[{"id": "response_avg", "kind": "simple", "measure": "response_hours", "agg": "avg",
                  "direction": "lower_is_better"}],
        observations=[obs("response_hours", "2026-01-10", 40, "svc"), obs("response_hours", "2026-01-20", 44, "svc"),
                      obs("response_hours", "2026-02-05", 36, "svc"), obs("response_hours", "2026-02-12", 30, "svc"),
                      obs("response_hours", "2026-02-25", 33, "svc"), obs("response_hours", "2026-03-02", 30, "svc"),
                      obs("response_hours", "2026-03-09", 26, "svc"), obs("response_hours", "2026-03-12", 10, "svc")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", kind="decrease", start=48, target=24,
                        link=link("response_avg", "svc", window="latest_grain"))],
    ),
    "2026-03-10",
    {
        "evaluation": {"key_results": {"k1": {
            "current": 28, "progress": 20 / 24, "expected": 69 / 90, "status": "on_track", "score": 0.8,
            "score_band": "green", "compliance": None, "flags": [],
            "link": {"check_ins": 3, "last_check_in": "2026-03-10"}}}},
        "strategy_view": {"objectives": [{"id": "o1", "progress": 20 / 24, "status": "on_track", "score": 0.8}]},
    },
)

# --- 006 linked stay_below KR with compliance -------------------------------------------------------------------
case(
    "006_linked_stay_below_compliance.json",
    "a linked stay_below KR: compliance is the share of derived weekly check-ins that kept the bound",
    "incidents_week = sum of incidents, grain week; k1 stay_below bound 5 (inclusive), latest_grain, unit ops. as_of "
    "02-01 (a Sunday) → c = 02-01, itself a week end. Week ends in [01-01, 02-01]: 01-04, 01-11, 01-18, 01-25, 02-01. "
    "Weekly sums: [01-01, 01-04] = 2 (keeps ≤ 5); [01-05, 01-11] = 3 + 3 = 6 (breaks); [01-12, 01-18] = 5 (keeps, "
    "inclusive); [01-19, 01-25]: no observation → no check-in; [01-26, 02-01] = 4 + 3 = 7 (breaks). 4 check-ins, "
    "compliance 2/4 = 0.5; current 7 > 5 → p 0. expected 32/90 = 0.355556 → 0 < 0.105556 → off_track; score 0 red.",
    doc(
        org_units=[{"id": "ops"}],
        measures=[{"id": "incidents"}],
        metrics=[{"id": "incidents_week", "kind": "simple", "measure": "incidents", "grain": "week",
                  "direction": "lower_is_better"}],
        observations=[obs("incidents", "2026-01-02", 2, "ops"), obs("incidents", "2026-01-06", 3, "ops"),
                      obs("incidents", "2026-01-08", 3, "ops"), obs("incidents", "2026-01-14", 5, "ops"),
                      obs("incidents", "2026-01-27", 4, "ops"), obs("incidents", "2026-01-31", 3, "ops")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", kind="stay_below", bound=5,
                        link=link("incidents_week", "ops", window="latest_grain"))],
    ),
    "2026-02-01",
    {
        "evaluation": {"key_results": {"k1": {
            "current": 7, "progress": 0, "compliance": 0.5, "status": "off_track", "score": 0, "flags": [],
            "link": {"cut_off": "2026-02-01", "check_ins": 4, "last_check_in": "2026-02-01"}}}},
        "strategy_view": {"objectives": [{"id": "o1", "progress": 0, "status": "off_track"}]},
    },
)

# --- 007 linked ratio metric ------------------------------------------------------------------------------------
case(
    "007_linked_ratio_metric.json",
    "a linked ratio metric: a ratio of sums over the window; a zero denominator gives no check-in",
    "conv = orders / visits (ratio of sums, month grain). k1 increase 0.02→0.05, cycle_to_date, unit shop; as_of "
    "02-20, lag 0: dates 01-31 and 02-20. 01-31: 6/300 = 0.02; 02-20: (6 + 14)/(300 + 200) = 20/500 = 0.04 (the mean "
    "of the monthly ratios, (0.02 + 0.07)/2 = 0.045, is not used). p = (0.04 − 0.02)/(0.05 − 0.02) = 2/3. k2 same "
    "KR kinds and numbers but latest_grain for unit shop2: 01-31: 3/100 = 0.03; 02-20: window [02-01, 02-20] holds "
    "orders 2 but visits 0 → the ratio is undefined → no check-in. k2: 1 check-in, current 0.03, p = 0.01/0.03 = "
    "1/3. expected 51/90 = 0.566667: k1 2/3 ≥ 0.466667 → on_track; k2 1/3 < 0.466667 but ≥ 0.316667 → at_risk. "
    "o1 = (2/3 + 1/3)/2 = 0.5, at_risk, score 0.5.",
    doc(
        org_units=[{"id": "shop"}, {"id": "shop2"}],
        measures=[{"id": "orders"}, {"id": "visits"}],
        metrics=[{"id": "o", "kind": "simple", "measure": "orders"}, {"id": "v", "kind": "simple", "measure": "visits"},
                 {"id": "conv", "kind": "ratio", "numerator": "o", "denominator": "v"}],
        observations=[obs("orders", "2026-01-12", 6, "shop"), obs("visits", "2026-01-12", 300, "shop"),
                      obs("orders", "2026-02-10", 14, "shop"), obs("visits", "2026-02-10", 200, "shop"),
                      obs("orders", "2026-01-15", 3, "shop2"), obs("visits", "2026-01-15", 100, "shop2"),
                      obs("orders", "2026-02-05", 2, "shop2")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0.02, target=0.05, link=link("conv", "shop")),
                     kr("k2", "o1", start=0.02, target=0.05, link=link("conv", "shop2", window="latest_grain"))],
    ),
    "2026-02-20",
    {
        "evaluation": {
            "key_results": {
                "k1": {"current": 0.04, "progress": 2 / 3, "status": "on_track",
                       "link": {"metric": "conv", "check_ins": 2, "last_check_in": "2026-02-20"}},
                "k2": {"current": 0.03, "progress": 1 / 3, "status": "at_risk", "flags": [],
                       "link": {"check_ins": 1, "last_check_in": "2026-01-31"}}},
            "objectives": {"o1": {"progress": 0.5, "status": "at_risk", "score": 0.5}},
        },
        "strategy_view": {"objectives": [{"id": "o1", "progress": 0.5, "status": "at_risk",
                                          "key_results": [{"id": "k1", "progress": 2 / 3},
                                                          {"id": "k2", "progress": 1 / 3}]}]},
    },
)

# --- 008 person-scoped link -------------------------------------------------------------------------------------
case(
    "008_person_scoped_link.json",
    "a person-scoped link reads only observations whose person dim is that person; a unit scope reads the whole unit",
    "deals_sum = sum of deals (month grain). ann and bob are in unit sales. Observations: ann 3 (01-05) and 4 (01-20); "
    "bob 10 (01-10); a unit-level 100 (01-15, no person). as_of 01-31 (a month end, lag 0): one check-in dated 01-31 "
    "each. k1 (person ann, increase 0→20): 3 + 4 = 7 → p 0.35; expected 31/90 = 0.344444 → on_track; score 0.4. k2 "
    "(unit sales, increase 0→200): 3 + 4 + 10 + 100 = 117 → p 0.585 → on_track. o1 = (0.35 + 0.585)/2 = 0.4675, "
    "on_track, score 0.5.",
    doc(
        org_units=[{"id": "sales"}],
        people=[{"id": "ann", "unit": "sales"}, {"id": "bob", "unit": "sales"}],
        measures=[{"id": "deals"}],
        metrics=[{"id": "deals_sum", "kind": "simple", "measure": "deals"}],
        observations=[obs("deals", "2026-01-05", 3, "sales", "ann"), obs("deals", "2026-01-20", 4, "sales", "ann"),
                      obs("deals", "2026-01-10", 10, "sales", "bob"), obs("deals", "2026-01-15", 100, "sales")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=20, link=link("deals_sum", person="ann")),
                     kr("k2", "o1", start=0, target=200, link=link("deals_sum", "sales"))],
    ),
    "2026-01-31",
    {
        "evaluation": {
            "key_results": {
                "k1": {"current": 7, "progress": 0.35, "status": "on_track", "score": 0.4,
                       "link": {"scope": {"person": "ann"}, "check_ins": 1, "last_check_in": "2026-01-31"}},
                "k2": {"current": 117, "progress": 0.585, "status": "on_track",
                       "link": {"scope": {"unit": "sales"}, "check_ins": 1}}},
            "objectives": {"o1": {"progress": 0.4675, "status": "on_track", "score": 0.5}},
        },
        "strategy_view": {"objectives": [{"id": "o1", "progress": 0.4675}]},
    },
)

# --- 009 KR version change on linked KRs ------------------------------------------------------------------------
case(
    "009_linked_kr_version_change.json",
    "versions on linked KRs: progress uses the definition in force, compliance judges each derived check-in by the "
    "bound in force on its date",
    "as_of 03-01, lag 0 → dates 01-31, 02-28, 03-01. k1 increase 0→200, version effective 02-15 target 150, reads "
    "won_sum (cycle_to_date): 01-31 = 50, 02-28 = 90, 03-01 = 105. In force: target 150 → p = 105/150 = 0.7; original "
    "105/200 = 0.525; flag definition_changed. expected 60/90 = 0.666667 → on_track; score 0.7. k2 stay_above bound 40, "
    "version effective 02-15 bound 30, reads csat_avg (avg, latest_grain): 01-31 avg(35) = 35 vs bound 40 then in "
    "force → breaks; 02-28 avg(32) = 32 vs 30 → keeps; 03-01 avg(31) = 31 vs 30 → keeps. compliance 2/3; current "
    "31 ≥ 30 → p 1 → done; against the original bound 40 → progress_original 0. o1 = (0.7 + 1)/2 = 0.85, worst_kr "
    "(on_track, done) → on_track, score 0.85 → 0.9.",
    doc(
        org_units=[{"id": "sales"}],
        measures=[{"id": "won"}, {"id": "csat"}],
        metrics=[{"id": "won_sum", "kind": "simple", "measure": "won"},
                 {"id": "csat_avg", "kind": "simple", "measure": "csat", "agg": "avg"}],
        observations=[obs("won", "2026-01-15", 50, "sales"), obs("won", "2026-02-10", 40, "sales"),
                      obs("won", "2026-03-01", 15, "sales"), obs("csat", "2026-01-20", 35, "sales"),
                      obs("csat", "2026-02-20", 32, "sales"), obs("csat", "2026-03-01", 31, "sales")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[
            kr("k1", "o1", start=0, target=200, link=link("won_sum", "sales"),
               versions=[{"effective": "2026-02-15", "reason": "budget cut", "target": 150}]),
            kr("k2", "o1", kind="stay_above", bound=40, link=link("csat_avg", "sales", window="latest_grain"),
               versions=[{"effective": "2026-02-15", "reason": "new survey scale", "bound": 30}]),
        ],
    ),
    "2026-03-01",
    {
        "evaluation": {
            "key_results": {
                "k1": {"current": 105, "progress": 0.7, "progress_original": 0.525, "status": "on_track",
                       "score": 0.7, "flags": ["definition_changed"],
                       "definition": {"effective": "2026-02-15", "start": 0, "target": 150},
                       "link": {"check_ins": 3, "last_check_in": "2026-03-01"}},
                "k2": {"current": 31, "progress": 1, "progress_original": 0, "compliance": 2 / 3,
                       "status": "done", "flags": ["definition_changed"],
                       "definition": {"effective": "2026-02-15", "bound": 30},
                       "link": {"check_ins": 3}}},
            "objectives": {"o1": {"progress": 0.85, "status": "on_track", "score": 0.9}},
        },
        "strategy_view": {"objectives": [{"id": "o1", "progress": 0.85, "status": "on_track", "score": 0.9,
                                          "key_results": [{"id": "k1", "progress": 0.7, "status": "on_track"},
                                                          {"id": "k2", "progress": 1, "status": "done"}]}]},
    },
)

# --- 010 support lights -----------------------------------------------------------------------------------------
case(
    "010_support_lights_each_colour.json",
    "support lights: green at or above target, amber from support_red_below to 1, red below it, grey without data",
    "Five targets on q1 support k1, each for its own unit, scored as of 03-31 over [01-01, 03-31] on the default "
    "linear curve: t_green 100/100 → a 1.0 → score 100 → green; t_amber 95/100 → 0.95 → amber (0.9 ≤ a < 1); t_edge "
    "90/100 → 0.9, not < 0.9 → amber; t_red 80/100 → 0.8 < 0.9 → red; t_grey reads m_avg (avg) for a unit without "
    "observations → actual undefined, achievement and score null → grey. No alert rules → alert null. Supports sorted "
    "by id: t_amber, t_edge, t_green, t_grey, t_red. k1 support: green 1, amber 2, red 1, grey 1; health = (1 + "
    "0.5·2)/(1 + 2 + 1) = 0.5 → amber (≥ 0.5). o1 the same. k1 (manual) increase 0→10, check-in 8 on 03-15: p 0.8; "
    "expected 1 at 03-31 → 0.8 < 0.9, ≥ 0.75 → at_risk; score 0.8.",
    doc(
        org_units=[{"id": u} for u in ["u_green", "u_amber", "u_edge", "u_red", "u_grey"]],
        measures=[{"id": "m"}],
        metrics=[{"id": "m_sum", "kind": "simple", "measure": "m"},
                 {"id": "m_avg", "kind": "simple", "measure": "m", "agg": "avg"}],
        observations=[obs("m", "2026-02-01", 100, "u_green"), obs("m", "2026-02-01", 95, "u_amber"),
                      obs("m", "2026-02-01", 90, "u_edge"), obs("m", "2026-02-01", 80, "u_red")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=10)],
        check_ins=[{"key_result": "k1", "date": "2026-03-15", "value": 8}],
        targets=[target("t_green", "m_sum", "u_green", 100, ["k1"]), target("t_amber", "m_sum", "u_amber", 100, ["k1"]),
                 target("t_edge", "m_sum", "u_edge", 100, ["k1"]), target("t_red", "m_sum", "u_red", 100, ["k1"]),
                 target("t_grey", "m_avg", "u_grey", 10, ["k1"])],
    ),
    "2026-03-31",
    {
        "strategy_view": {"objectives": [{
            "id": "o1", "progress": 0.8, "status": "at_risk", "score": 0.8,
            "key_results": [{
                "id": "k1", "progress": 0.8, "status": "at_risk",
                "supports": [
                    {"id": "t_amber", "actual": 95, "achievement": 0.95, "score": 95, "alert": None, "light": "amber"},
                    {"id": "t_edge", "actual": 90, "achievement": 0.9, "score": 90, "alert": None, "light": "amber"},
                    {"id": "t_green", "actual": 100, "achievement": 1.0, "score": 100, "alert": None, "light": "green"},
                    {"id": "t_grey", "metric": "m_avg", "actual": None, "achievement": None, "score": None,
                     "alert": None, "light": "grey"},
                    {"id": "t_red", "actual": 80, "achievement": 0.8, "score": 80, "alert": None, "light": "red"},
                ],
                "support": {"green": 1, "amber": 2, "red": 1, "grey": 1, "health": 0.5, "light": "amber"}}],
            "support": {"green": 1, "amber": 2, "red": 1, "grey": 1, "health": 0.5, "light": "amber"}}]},
    },
)

# --- 011 alerts -------------------------------------------------------------------------------------------------
case(
    "011_alert_firing_turns_kpi_red.json",
    "the worst alert state at as_of: firing turns a KPI on target red, pending turns it amber; observations after as_of "
    "are not read",
    "late_orders = sum of late (month grain, lower_is_better), targets 50 (inverse: a = 50/actual) over [01-01, "
    "02-20]. t1 ops: 20 + 25 = 45 → a 1.111111, linear score 111.111111; rules on late_orders × ops from 01-01 to "
    "02-20 by month: late_spike (above 22, for 0): January 20 → normal, February 25 > 22 → firing; late_watch (above "
    "1000) stays normal; worst = firing → red despite a ≥ 1. t2 ops2: 15 + 10 = 25 → a 2.0, score capped at 120; "
    "rule ops2_watch (above 30): January 15, February 10 (02-26's 40 is after as_of and cut) → normal → alert ok → "
    "green. t3 ops3: 5 + 12 = 17 → a 50/17 = 2.941176, score 120; rule ops3_slow (above 10, for 2): January 5 "
    "normal, February 12 breaches once → pending → amber. t4 ops4: 30 + 20 = 50 → a 1.0, score 100, no rule → alert "
    "null → green. k1 support: green 2, amber 1, red 1 → health (2 + 0.5)/4 = 0.625 → amber. k1 (manual) increase "
    "0→10, check-in 5 on 02-10: p 0.5; expected 51/90 = 0.566667 → 0.5 ≥ 0.466667 → on_track; score 0.5.",
    doc(
        org_units=[{"id": u} for u in ["ops", "ops2", "ops3", "ops4"]],
        measures=[{"id": "late"}],
        metrics=[{"id": "late_orders", "kind": "simple", "measure": "late", "direction": "lower_is_better"}],
        observations=[obs("late", "2026-01-12", 20, "ops"), obs("late", "2026-02-10", 25, "ops"),
                      obs("late", "2026-01-12", 15, "ops2"), obs("late", "2026-02-03", 10, "ops2"),
                      obs("late", "2026-02-26", 40, "ops2"), obs("late", "2026-01-12", 5, "ops3"),
                      obs("late", "2026-02-05", 12, "ops3"), obs("late", "2026-01-12", 30, "ops4"),
                      obs("late", "2026-02-10", 20, "ops4")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=10)],
        check_ins=[{"key_result": "k1", "date": "2026-02-10", "value": 5}],
        targets=[target(f"t{i}", "late_orders", u, 50, ["k1"]) for i, u in [(1, "ops"), (2, "ops2"), (3, "ops3"), (4, "ops4")]],
        alert_rules=[
            {"id": "late_spike", "metric": "late_orders", "scope": "ops", "grain": "month", "condition": "above",
             "critical": {"value": 22}},
            {"id": "late_watch", "metric": "late_orders", "scope": "ops", "grain": "month", "condition": "above",
             "critical": {"value": 1000}},
            {"id": "ops2_watch", "metric": "late_orders", "scope": "ops2", "grain": "month", "condition": "above",
             "critical": {"value": 30}},
            {"id": "ops3_slow", "metric": "late_orders", "scope": "ops3", "grain": "month", "condition": "above",
             "critical": {"value": 10}, "for": 2},
        ],
    ),
    "2026-02-20",
    {
        "strategy_view": {"objectives": [{
            "id": "o1", "progress": 0.5, "status": "on_track",
            "key_results": [{
                "id": "k1",
                "supports": [
                    {"id": "t1", "actual": 45, "achievement": 50 / 45, "score": 5000 / 45, "alert": "firing",
                     "light": "red"},
                    {"id": "t2", "actual": 25, "achievement": 2.0, "score": 120, "alert": "ok", "light": "green"},
                    {"id": "t3", "actual": 17, "achievement": 50 / 17, "score": 120, "alert": "pending",
                     "light": "amber"},
                    {"id": "t4", "actual": 50, "achievement": 1.0, "score": 100, "alert": None, "light": "green"},
                ],
                "support": {"green": 2, "amber": 1, "red": 1, "grey": 0, "health": 0.625, "light": "amber"}}],
            "support": {"green": 2, "amber": 1, "red": 1, "grey": 0, "health": 0.625, "light": "amber"}}]},
    },
)

# --- 012 objective roll-up --------------------------------------------------------------------------------------
case(
    "012_objective_support_health_rollup.json",
    "support health per KR and per top objective; child objectives are not top objectives and their KRs' KPIs do not "
    "count in the parent",
    "m_sum targets of 100 over [01-01, 03-15]: tA 100 → green; tB 50 → red; tC 120 → a 1.2 → green; tD 100 → green; "
    "tE 92 → amber; tF 10 → red (supports k4 of the child o3). k1 (tA, tB): (1 + 0)/2 = 0.5 → amber. k2 (tC, tD, "
    "tE): (2 + 0.5)/3 = 0.833333 → green. o1 (its own KRs' KPIs: tA tB tC tD tE): green 3, amber 1, red 1 → 3.5/5 = "
    "0.7 → amber (< 0.8). o2's k3 has no supporting KPI → health null. o3 contributes to o1 so it is not a top "
    "objective: the view lists exactly o1 and o2. OKR at 03-15 (expected 74/90 = 0.822222; on_track from 0.722222, "
    "at_risk from 0.572222): k1 0.6 → at_risk; k2 0.8 → on_track; o1 (progress from its KRs) 0.7, at_risk, score 0.7; "
    "k3 0.5 → off_track; o2 0.5, off_track.",
    doc(
        org_units=[{"id": u} for u in ["uA", "uB", "uC", "uD", "uE", "uF"]],
        measures=[{"id": "m"}],
        metrics=[{"id": "m_sum", "kind": "simple", "measure": "m"}],
        observations=[obs("m", "2026-02-01", v, u) for u, v in
                      [("uA", 100), ("uB", 50), ("uC", 120), ("uD", 100), ("uE", 92), ("uF", 10)]],
        objectives=[{"id": "o1", "cycle": "q1"}, {"id": "o2", "cycle": "q1"}, {"id": "o3", "cycle": "q1"}],
        alignments=[{"child": "o3", "parent": "o1"}],
        key_results=[kr("k1", "o1", start=0, target=10), kr("k2", "o1", start=0, target=10),
                     kr("k3", "o2", start=0, target=10), kr("k4", "o3", start=0, target=10)],
        check_ins=[{"key_result": k, "date": "2026-03-01", "value": v} for k, v in
                   [("k1", 6), ("k2", 8), ("k3", 5), ("k4", 1)]],
        targets=[target("tA", "m_sum", "uA", 100, ["k1"]), target("tB", "m_sum", "uB", 100, ["k1"]),
                 target("tC", "m_sum", "uC", 100, ["k2"]), target("tD", "m_sum", "uD", 100, ["k2"]),
                 target("tE", "m_sum", "uE", 100, ["k2"]), target("tF", "m_sum", "uF", 100, ["k4"])],
    ),
    "2026-03-15",
    {
        "strategy_view": {"objectives": [
            {"id": "o1", "progress": 0.7, "status": "at_risk", "score": 0.7,
             "key_results": [
                 {"id": "k1", "progress": 0.6, "status": "at_risk",
                  "supports": [{"id": "tA", "light": "green"}, {"id": "tB", "light": "red"}],
                  "support": {"green": 1, "amber": 0, "red": 1, "grey": 0, "health": 0.5, "light": "amber"}},
                 {"id": "k2", "progress": 0.8, "status": "on_track",
                  "supports": [{"id": "tC", "achievement": 1.2, "score": 120, "light": "green"},
                               {"id": "tD", "light": "green"}, {"id": "tE", "light": "amber"}],
                  "support": {"green": 2, "amber": 1, "red": 0, "grey": 0, "health": 2.5 / 3, "light": "green"}}],
             "support": {"green": 3, "amber": 1, "red": 1, "grey": 0, "health": 0.7, "light": "amber"}},
            {"id": "o2", "progress": 0.5, "status": "off_track",
             "key_results": [{"id": "k3", "supports": [], "support": no_support()}],
             "support": no_support()},
        ]},
    },
)

# --- 013 one target, two KRs ------------------------------------------------------------------------------------
case(
    "013_target_supporting_two_krs.json",
    "a target supporting two KRs of one objective counts once in that objective's roll-up, and also in another "
    "objective's",
    "m_sum over [01-01, 02-15]: tX 110/100 → a 1.1 → green (score 110); tY 50/100 → red; tZ 70/100 → red. tX supports "
    "k1, k2 (both of o1) and k3 (o2); tY and tZ support k3. k1: green 1 → health 1.0 → green; k2 the same. o1: the "
    "distinct KPIs of its KRs are {tX} → green 1 (not 2) → health 1.0 → green. k3: green 1, red 2 → 1/3 = 0.333333 → "
    "red; o2 the same. OKR at 02-15 (expected 46/90 = 0.511111): every KR 5/10 = 0.5 ≥ 0.411111 → on_track.",
    doc(
        org_units=[{"id": u} for u in ["uX", "uY", "uZ"]],
        measures=[{"id": "m"}],
        metrics=[{"id": "m_sum", "kind": "simple", "measure": "m"}],
        observations=[obs("m", "2026-01-20", 110, "uX"), obs("m", "2026-01-20", 50, "uY"),
                      obs("m", "2026-01-20", 70, "uZ")],
        objectives=[{"id": "o1", "cycle": "q1"}, {"id": "o2", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=10), kr("k2", "o1", start=0, target=10),
                     kr("k3", "o2", start=0, target=10)],
        check_ins=[{"key_result": k, "date": "2026-02-01", "value": 5} for k in ["k1", "k2", "k3"]],
        targets=[target("tX", "m_sum", "uX", 100, ["k1", "k2", "k3"]), target("tY", "m_sum", "uY", 100, ["k3"]),
                 target("tZ", "m_sum", "uZ", 100, ["k3"])],
    ),
    "2026-02-15",
    {
        "strategy_view": {"objectives": [
            {"id": "o1", "status": "on_track",
             "key_results": [
                 {"id": "k1", "supports": [{"id": "tX", "achievement": 1.1, "score": 110, "light": "green"}],
                  "support": {"green": 1, "amber": 0, "red": 0, "grey": 0, "health": 1.0, "light": "green"}},
                 {"id": "k2", "supports": [{"id": "tX", "light": "green"}],
                  "support": {"green": 1, "amber": 0, "red": 0, "grey": 0, "health": 1.0, "light": "green"}}],
             "support": {"green": 1, "amber": 0, "red": 0, "grey": 0, "health": 1.0, "light": "green"}},
            {"id": "o2", "status": "on_track",
             "key_results": [{"id": "k3", "supports": [{"id": "tX", "light": "green"}, {"id": "tY", "light": "red"},
                                                       {"id": "tZ", "light": "red"}],
                              "support": {"green": 1, "amber": 0, "red": 2, "grey": 0, "health": 1 / 3,
                                          "light": "red"}}],
             "support": {"green": 1, "amber": 0, "red": 2, "grey": 0, "health": 1 / 3, "light": "red"}},
        ]},
    },
)

# --- 014 cut-off before the cycle -------------------------------------------------------------------------------
case(
    "014_cut_off_before_cycle_start.json",
    "a cut-off before the cycle starts derives nothing: early in the cycle the KR is not_started, with no_data",
    "as_of 01-03 with lag 5 → c = 2025-12-29 < cycle start 01-01 → no check-in date at all (the 2025-12-20 and "
    "01-02 observations are not read). k1 increase 0→10: current 0 (start), p 0, flags [no_check_in, no_data]; as_of "
    "01-03 < 01-01 + 7 days → not_started; expected 3/90 = 0.033333. o1: worst_kr → not_started, flags [no_check_in].",
    doc(
        org_units=[{"id": "svc"}],
        measures=[{"id": "tickets"}],
        metrics=[{"id": "tickets_sum", "kind": "simple", "measure": "tickets"}],
        observations=[obs("tickets", "2025-12-20", 10, "svc"), obs("tickets", "2026-01-02", 5, "svc")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=10, link=link("tickets_sum", "svc", lag=5))],
    ),
    "2026-01-03",
    {
        "evaluation": {
            "key_results": {"k1": {"current": 0, "progress": 0, "expected": 3 / 90, "status": "not_started",
                                   "flags": ["no_check_in", "no_data"],
                                   "link": {"cut_off": "2025-12-29", "check_ins": 0, "last_check_in": None}}},
            "objectives": {"o1": {"status": "not_started", "flags": ["no_check_in"]}},
        },
        "strategy_view": {"objectives": [{"id": "o1", "status": "not_started"}]},
    },
)

# --- 015 cut-off after the cycle --------------------------------------------------------------------------------
case(
    "015_cut_off_after_cycle_end_week_grain.json",
    "once the cut-off passes the cycle's end, the last check-in is the cycle's last day, even off a week end",
    "weekly_sum = sum of units (grain week), cycle_to_date, unit plant, lag 2; as_of 04-10 → c = 04-08 > end 03-31, "
    "so dates run to min(c, end) = 03-31 (a Tuesday): the 13 Sundays 01-04 … 03-29, then 03-31 → 14 dates, each "
    "window [01-01, d] holds the 01-02 observation → 14 check-ins. The last, 03-31, sums 10 + 5 (03-30) = 15; the "
    "04-02 value 100 is after the cycle. k1 increase 0→20: p = 0.75. expected = 1 (as_of after the end); 0.75 < 0.9 "
    "but ≥ 0.75 → at_risk; score 0.75 → 0.8. o1 score_final true.",
    doc(
        org_units=[{"id": "plant"}],
        measures=[{"id": "units"}],
        metrics=[{"id": "weekly_sum", "kind": "simple", "measure": "units", "grain": "week"}],
        observations=[obs("units", "2026-01-02", 10, "plant"), obs("units", "2026-03-30", 5, "plant"),
                      obs("units", "2026-04-02", 100, "plant")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=20, link=link("weekly_sum", "plant", lag=2))],
    ),
    "2026-04-10",
    {
        "evaluation": {
            "key_results": {"k1": {"current": 15, "progress": 0.75, "expected": 1, "status": "at_risk", "score": 0.8,
                                   "link": {"cut_off": "2026-04-08", "check_ins": 14,
                                            "last_check_in": "2026-03-31"}}},
            "objectives": {"o1": {"progress": 0.75, "score_final": True}},
        },
        "strategy_view": {"objectives": [{"id": "o1", "progress": 0.75, "status": "at_risk", "score": 0.8}]},
    },
)

# --- 016 threshold-target-stretch and inverse over zero ---------------------------------------------------------
case(
    "016_lights_for_raw_value_curves_and_zero_actual.json",
    "a threshold_target_stretch target gets an achievement for its light; an inverse achievement over an actual of 0 "
    "is the best, green",
    "As of 03-31 over the cycle. t_tts: sales_sum 110, threshold 80, target 100, stretch 120 on "
    "threshold_target_stretch (50/100/150): score 100 + (110 − 100)/(120 − 100)·50 = 125; the scorer gives no "
    "achievement for a raw-value curve, so the view computes 110/100 = 1.1 → green. t_zero: defects_sum "
    "(lower_is_better, inverse) with one observation of 0, target 5: inverse over 0 has no number but scores the "
    "linear cap 120; the view reports achievement null and the best light, green. k1 support: green 2 → health 1.0 → "
    "green.",
    doc(
        org_units=[{"id": "sales"}, {"id": "qa"}],
        measures=[{"id": "sales"}, {"id": "defects"}],
        metrics=[{"id": "sales_sum", "kind": "simple", "measure": "sales"},
                 {"id": "defects_sum", "kind": "simple", "measure": "defects", "direction": "lower_is_better"}],
        observations=[obs("sales", "2026-02-01", 110, "sales"), obs("defects", "2026-02-01", 0, "qa")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=10)],
        check_ins=[{"key_result": "k1", "date": "2026-03-01", "value": 10}],
        targets=[target("t_tts", "sales_sum", "sales", 100, ["k1"], threshold=80, stretch=120,
                        curve={"threshold_target_stretch": {}}),
                 target("t_zero", "defects_sum", "qa", 5, ["k1"])],
    ),
    "2026-03-31",
    {
        "strategy_view": {"objectives": [{
            "id": "o1", "progress": 1, "status": "done",
            "key_results": [{"id": "k1", "supports": [
                {"id": "t_tts", "actual": 110, "achievement": 1.1, "score": 125, "light": "green"},
                {"id": "t_zero", "actual": 0, "achievement": None, "score": 120, "light": "green"}],
                "support": {"green": 2, "amber": 0, "red": 0, "grey": 0, "health": 1.0, "light": "green"}}]}]},
    },
)

# --- 017 settings -----------------------------------------------------------------------------------------------
case(
    "017_strategy_settings_thresholds.json",
    "custom thresholds: support_red_below and the health lights are settings",
    "settings: support_red_below 0.5, health_green 0.9, health_amber 0.6, evaluation on_track_tolerance 0.3 and "
    "at_risk_tolerance 0.4 (which must stay ≥ on_track_tolerance). t1 "
    "80/100 → 0.8 ≥ 0.5 but < 1 → amber (red under the default 0.9); t2 100/100 → green. k1 health (1 + 0.5)/2 = 0.75 "
    "→ amber (< 0.9, ≥ 0.6). OKR: k1 check-in 4/10 = 0.4 at 02-15, expected 46/90 = 0.511111; with on_track_tolerance "
    "0.3, 0.4 ≥ 0.211111 → on_track (at_risk under the default 0.10).",
    doc(
        org_units=[{"id": "a"}, {"id": "b"}],
        measures=[{"id": "m"}],
        metrics=[{"id": "m_sum", "kind": "simple", "measure": "m"}],
        observations=[obs("m", "2026-01-10", 80, "a"), obs("m", "2026-01-10", 100, "b")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=10)],
        check_ins=[{"key_result": "k1", "date": "2026-02-01", "value": 4}],
        targets=[target("t1", "m_sum", "a", 100, ["k1"]), target("t2", "m_sum", "b", 100, ["k1"])],
    ),
    "2026-02-15",
    {
        "evaluation": {"key_results": {"k1": {"status": "on_track"}}},
        "strategy_view": {
            "settings": {"support_red_below": 0.5, "health_green": 0.9, "health_amber": 0.6,
                         "evaluation": {"on_track_tolerance": 0.3, "at_risk_tolerance": 0.4}},
            "objectives": [{"id": "o1", "status": "on_track", "key_results": [{
                "id": "k1", "supports": [{"id": "t1", "light": "amber"}, {"id": "t2", "light": "green"}],
                "support": {"green": 1, "amber": 1, "red": 0, "grey": 0, "health": 0.75, "light": "amber"}}]}]},
    },
    settings={"support_red_below": 0.5, "health_green": 0.9, "health_amber": 0.6,
              "evaluation": {"on_track_tolerance": 0.3, "at_risk_tolerance": 0.4}},
)

# --- 023 linked KR without a start ------------------------------------------------------------------------------
case(
    "023_linked_kr_without_start_measures_from_first_derived_check_in.json",
    "a linked KR without a start takes its first derived check-in as the baseline, like a manual one",
    "The data of 001 (resolved for svc: 01-31 = 50, 02-28 = 90, 03-02 = 90 cycle to date; as_of 03-02, lag 0). k1 "
    "increase to 200 with no start: the first derived check-in (50 on 01-31) is the baseline, flag "
    "baseline_from_check_in, start in force 50; p = (90 − 50)/(200 − 50) = 40/150 = 0.266667. expected 61/90 = "
    "0.677778 → below 0.427778 → off_track; score 0.266667 → 0.3 red. k2 the same KR for unit ops, which has no "
    "observation: no check-in, no baseline → current null, p 0, flags [no_check_in, no_data].",
    doc(
        org_units=[{"id": "svc"}, {"id": "ops"}],
        measures=[{"id": "tickets"}],
        metrics=[{"id": "resolved", "kind": "simple", "measure": "tickets"}],
        observations=[obs("tickets", "2026-01-10", 30, "svc"), obs("tickets", "2026-01-25", 20, "svc"),
                      obs("tickets", "2026-02-05", 25, "svc"), obs("tickets", "2026-02-20", 15, "svc"),
                      obs("tickets", "2026-03-03", 10, "svc")],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", target=200, link=link("resolved", "svc")),
                     kr("k2", "o1", target=200, link=link("resolved", "ops"))],
    ),
    "2026-03-02",
    {
        "evaluation": {"key_results": {
            "k1": {"current": 90, "progress": 40 / 150, "status": "off_track", "score": 0.3,
                   "flags": ["baseline_from_check_in"], "definition": {"start": 50, "target": 200},
                   "link": {"check_ins": 3}},
            "k2": {"current": None, "progress": 0, "flags": ["no_check_in", "no_data"],
                   "link": {"check_ins": 0}}}},
        "strategy_view": {"objectives": [{"id": "o1", "key_results": [{"id": "k1", "progress": 40 / 150},
                                                                     {"id": "k2", "progress": 0}]}]},
    },
)

# --- errors -----------------------------------------------------------------------------------------------------
LINKED_DOC = dict(
    org_units=[{"id": "svc"}],
    measures=[{"id": "tickets"}],
    metrics=[{"id": "tickets_sum", "kind": "simple", "measure": "tickets"}],
    objectives=[{"id": "o1", "cycle": "q1"}],
)

case(
    "018_error_manual_check_in_on_linked_kr.json",
    "a manual check-in on a KR linked to a KPI metric is refused",
    "k1 reads tickets_sum, so its check-ins are derived; the document's check-in on k1 is E_CHECK_IN_REFUSED at "
    "its key_result field.",
    doc(**LINKED_DOC, key_results=[kr("k1", "o1", start=0, target=10, link=link("tickets_sum", "svc"))],
        check_ins=[{"key_result": "k1", "date": "2026-01-10", "value": 3}]),
    "2026-02-01",
    expect_error=[{"code": "E_CHECK_IN_REFUSED", "path": "$.check_ins[0].key_result"}],
)

case(
    "019_error_unknown_metric_in_link.json",
    "a link to a metric the catalog does not define is an unknown id at the link's metric",
    "k1's link names metric nope; the catalog holds only tickets_sum → E_UNKNOWN_ID at $.key_results[0].link.metric.",
    doc(**LINKED_DOC, key_results=[kr("k1", "o1", start=0, target=10, link=link("nope", "svc"))]),
    "2026-02-01",
    expect_error=[{"code": "E_UNKNOWN_ID", "path": "$.key_results[0].link.metric"}],
)

case(
    "020_error_unknown_kr_in_supports.json",
    "a target supporting a key result that does not exist is an unknown id at its supports entry",
    "t1 supports k1 (exists) and ghost (does not) → one E_UNKNOWN_ID at $.targets[0].supports[1].",
    doc(**LINKED_DOC, key_results=[kr("k1", "o1", start=0, target=10)],
        targets=[target("t1", "tickets_sum", "svc", 10, ["k1", "ghost"])]),
    "2026-02-01",
    expect_error=[{"code": "E_UNKNOWN_ID", "path": "$.targets[0].supports[1]"}],
)

case(
    "021_error_link_on_milestone_kr.json",
    "a milestone KR cannot read a metric",
    "k1 is a milestone with a link → E_FIELD_NOT_ALLOWED at $.key_results[0].link (links need a numeric kind).",
    doc(**LINKED_DOC, key_results=[kr("k1", "o1", kind="milestone", link=link("tickets_sum", "svc"))]),
    "2026-02-01",
    expect_error=[{"code": "E_FIELD_NOT_ALLOWED", "path": "$.key_results[0].link"}],
)

case(
    "022_error_strategy_settings_out_of_range.json",
    "strategy settings out of range are reported together, the evaluation's under $.settings.evaluation",
    "support_red_below 1.5 is outside 0–1; health_amber 0.6 exceeds health_green 0.4; evaluation.on_track_tolerance "
    "−0.1 is outside 0–1 (at_risk_tolerance 0.25 ≥ −0.1 stays valid) → three E_SETTINGS problems.",
    doc(**LINKED_DOC, key_results=[kr("k1", "o1", start=0, target=10)]),
    "2026-02-01",
    expect_error=[{"code": "E_SETTINGS", "path": "$.settings.support_red_below"},
                  {"code": "E_SETTINGS", "path": "$.settings.health_amber"},
                  {"code": "E_SETTINGS", "path": "$.settings.evaluation.on_track_tolerance"}],
    settings={"support_red_below": 1.5, "health_green": 0.4, "health_amber": 0.6,
              "evaluation": {"on_track_tolerance": -0.1}},
)


# --- diagnostics of linked KRs (written to tests/vectors/diagnose/) ------------------------------------------------
DIAGNOSE: List[Dict[str, Any]] = []
TICKETS = dict(
    org_units=[{"id": "ops"}],
    measures=[{"id": "tickets"}],
    metrics=[{"id": "tickets_sum", "kind": "simple", "measure": "tickets"}],
    objectives=[{"id": "o1", "cycle": "q1"}],
    key_results=[kr("k1", "o1", start=0, target=100, link=link("tickets_sum", "ops"))],
)
DIAGNOSE.append({"file": "055_linked_kr_is_not_stale.json", "case": {
    "name": "a KR linked to a KPI metric has no manual check-ins but is not okr.stale",
    "why": "k1 reads tickets_sum for ops (cycle_to_date). as_of 03-01: derived check-ins 01-31 (20), 02-28 (50) and "
           "03-01 (50) → p 0.5; expected 60/90 = 0.666667 → at_risk. It has no manual check-in in 59 days, which "
           "would make a manual KR okr.stale (> 14), but okr.stale judges how people report and skips linked KRs; "
           "the data is fresh (newest observation 02-25, 4 days ≤ 7) so kpi.stale_data stays quiet too. No other "
           "rule applies (one measurable KR, no owner, no confidence) → no finding, health 100.",
    "document": doc(**TICKETS, observations=[obs("tickets", "2026-01-10", 20, "ops"),
                                             obs("tickets", "2026-02-25", 30, "ops")]),
    "as_of": "2026-03-01",
    "expect": {"findings": [], "health": {"score": 100, "band": "excellent"}},
}})
DIAGNOSE.append({"file": "056_linked_kr_late_data_is_kpi_stale_data.json", "case": {
    "name": "late data behind a linked KR is kpi.stale_data, not okr.stale",
    "why": "Same KR and data as 055, as of 03-10: the newest tickets observation (02-25) is 13 days old > 7 → "
           "kpi.stale_data warning on measure tickets (newest 2026-02-25, age 13, limit 7). Derived check-ins 01-31, "
           "02-28, 03-10 → p 0.5, expected 69/90 = 0.766667 → off_track, and still no okr.stale. Health: 4 penalty "
           "points / (10 × 1 objective) → 100 × 0.6 = 60 → good.",
    "document": doc(**TICKETS, observations=[obs("tickets", "2026-01-10", 20, "ops"),
                                             obs("tickets", "2026-02-25", 30, "ops")]),
    "as_of": "2026-03-10",
    "expect": {"findings": [{"code": "kpi.stale_data", "severity": "warning", "subjects": ["tickets"],
                             "evidence": {"newest": "2026-02-25", "age_days": 13, "limit": 7}}],
               "health": {"score": 60, "band": "good"}},
}})
DIAGNOSE.append({"file": "057_linked_kr_done_early_is_sandbagging.json", "case": {
    "name": "okr.sandbagging reads a linked KR's derived check-ins: a target the data reaches in week one was easy",
    "why": "weekly_sum = sum of units (grain week); k1 increase 0→10 reads it cycle_to_date for plant. Observations "
           "01-02: 12 and 01-19: 0. as_of 01-20: derived check-ins 01-04 (12), 01-11 (12), 01-18 (12), 01-20 (12). "
           "The first reaching p ≥ 1 is dated 01-04: cycle share (3 + 1)/90 = 0.044444 ≤ 1/3 → okr.sandbagging "
           "(done_early, done_on 2026-01-04). The data is fresh (01-19, 1 day) and the people rules skip linked KRs. "
           "Health: 4 / 10 → 60 → good.",
    "document": doc(
        org_units=[{"id": "plant"}],
        measures=[{"id": "units"}],
        metrics=[{"id": "weekly_sum", "kind": "simple", "measure": "units", "grain": "week"}],
        objectives=[{"id": "o1", "cycle": "q1"}],
        key_results=[kr("k1", "o1", start=0, target=10, link=link("weekly_sum", "plant"))],
        observations=[obs("units", "2026-01-02", 12, "plant"), obs("units", "2026-01-19", 0, "plant")]),
    "as_of": "2026-01-20",
    "expect": {"findings": [{"code": "okr.sandbagging", "severity": "warning", "subjects": ["k1"],
                             "evidence": {"reason": "done_early", "done_on": "2026-01-04", "cycle_share": 4 / 90}}],
               "health": {"score": 60, "band": "good"}},
}})


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    for c in CASES:
        (OUT / c["file"]).write_text(json.dumps(c["case"], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    diagnose = OUT.parent / "diagnose"
    for c in DIAGNOSE:
        (diagnose / c["file"]).write_text(json.dumps(c["case"], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(CASES)} vectors to {OUT} and {len(DIAGNOSE)} to {diagnose}")


if __name__ == "__main__":
    main()
