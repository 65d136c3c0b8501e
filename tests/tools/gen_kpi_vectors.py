# Writes tests/vectors/kpi/*.json. Every expected number below is computed by hand (see each case's `why`),
# never taken from the program's output. Run: python3 tests/tools/gen_kpi_vectors.py
import json, os, copy
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors", "kpi")
n = 0
def case(fname, name, why, document, call=None, expect=None, expect_error=None):
    global n
    c = {"name": name, "why": why, "document": document}
    if call: c.update(call)
    if expect is not None: c["expect"] = expect
    if expect_error is not None: c["expect_error"] = expect_error
    n += 1
    with open(os.path.join(OUT, f"{n:02d}_{fname}.json"), "w") as f:
        json.dump(c, f, indent=2, ensure_ascii=False); f.write("\n")

ORG = [{"id": "co"}, {"id": "sales", "parent": "co"}, {"id": "north", "parent": "sales"}, {"id": "south", "parent": "sales"}]
def doc(measures, metrics, obs, **kw):
    d = {"schema_version": 1, "org_units": ORG, "measures": [{"id": m} for m in measures], "metrics": metrics, "observations": obs}
    d.update(kw); return d
def o(m, date, v, **dims):
    x = {"measure": m, "date": date, "value": v}
    if dims: x["dims"] = dims
    return x
def simple(id, measure, agg="sum", **kw):
    x = {"id": id, "kind": "simple", "measure": measure, "agg": agg}; x.update(kw); return x
def q(metric, grain, frm, to, **kw):
    x = {"metric": metric, "grain": grain, "from": frm, "to": to}; x.update(kw); return {"query": x}
def cells(*vals):
    return {"cells": [v if isinstance(v, dict) else {"value": v} for v in vals]}

# ---------- simple aggregations ----------
OBS3 = [o("orders", "2026-01-05", 10, unit="north"), o("orders", "2026-01-20", 5, unit="north"),
        o("orders", "2026-01-20", 3, unit="south"), o("orders", "2026-02-03", 7, unit="north")]
for agg, jan, feb, why in [
    ("sum", 18, 7, "January: 10 + 5 + 3 = 18; February: 7."),
    ("count", 3, 1, "January has three observations, February one."),
    ("avg", 6, 7, "January: (10 + 5 + 3) / 3 = 6; February: 7 / 1."),
    ("min", 3, 7, "January: min(10, 5, 3) = 3; February: 7."),
    ("max", 10, 7, "January: max(10, 5, 3) = 10; February: 7."),
    ("last", 8, 7, "January's latest day is the 20th: north 5 + south 3 = 8 (last is summed across units on the latest day); February: 7."),
]:
    case(f"simple_{agg}_month", f"simple {agg} by month", why,
         doc(["orders"], [simple("orders_m", "orders", agg)], OBS3),
         q("orders_m", "month", "2026-01-01", "2026-02-28"),
         {"grain": "month", "cells": [{"period_start": "2026-01-01", "period_end": "2026-01-31", "value": jan},
                                       {"period_start": "2026-02-01", "period_end": "2026-02-28", "value": feb}]})

case("avg_empty_undefined", "avg of no observations is undefined",
     "March has no observations: sum is 0 but an average of nothing is undefined, not 0.",
     doc(["orders"], [simple("a", "orders", "avg")], OBS3),
     q("a", "month", "2026-03-01", "2026-03-31"), cells(None))

# ---------- ratio ----------
RATIO = [simple("o", "orders"), simple("v", "visits"), {"id": "conv", "kind": "ratio", "numerator": "o", "denominator": "v"}]
case("ratio_of_sums", "ratio of sums, never the mean of ratios",
     "north 1/10 = 0.1 and south 50/100 = 0.5; the mean of ratios would be 0.3, but the ratio of sums is (1 + 50) / (10 + 100) = 51/110 = 0.4636363636…",
     doc(["orders", "visits"], RATIO, [o("orders", "2026-03-02", 1, unit="north"), o("visits", "2026-03-02", 10, unit="north"),
                                        o("orders", "2026-03-09", 50, unit="south"), o("visits", "2026-03-09", 100, unit="south")]),
     q("conv", "month", "2026-03-01", "2026-03-31", filters={"unit": "sales"}), cells(51 / 110))
case("ratio_zero_denominator", "a zero denominator is an explicit undefined cell",
     "March: 3 orders / 60 visits = 0.05. April: 2 orders / 0 visits — undefined with a reason, never 0.",
     doc(["orders", "visits"], RATIO, [o("orders", "2026-03-02", 3), o("visits", "2026-03-02", 60), o("orders", "2026-04-02", 2)]),
     q("conv", "month", "2026-03-01", "2026-04-30"), cells(0.05, None))

# ---------- derived ----------
REV = lambda exprs: [simple("rev", "revenue")] + [{"id": k, "kind": "derived", "expression": e} for k, e in exprs]
case("derived_mom_across_year_end", "month-over-month across a year end",
     "mom = rev / rev(offset 1) − 1. January 2026: 250 / December 2025's 200 − 1 = 0.25.",
     doc(["revenue"], REV([("mom", "rev / rev(offset 1) - 1")]), [o("revenue", "2025-12-15", 200), o("revenue", "2026-01-15", 250)]),
     q("mom", "month", "2026-01-01", "2026-01-31"), {"cells": [{"period_start": "2026-01-01", "value": 0.25}]})
case("derived_yoy_offset_12", "year-over-year as offset 12 months",
     "yoy = rev / rev(offset 12) − 1. March 2026: 100 / March 2025's 80 − 1 = 0.25.",
     doc(["revenue"], REV([("yoy", "rev / rev(offset 12) - 1")]), [o("revenue", "2025-03-31", 80), o("revenue", "2026-03-01", 100)]),
     q("yoy", "month", "2026-03-01", "2026-03-31"), cells(0.25))
case("derived_yoy_year_grain", "year-over-year at the year grain",
     "At grain year, rev(offset 1) is the previous year: 2026 = 30 + 20 = 50, 2025 = 40: 50/40 − 1 = 0.25.",
     doc(["revenue"], REV([("yoy", "rev / rev(offset 1) - 1")]), [o("revenue", "2025-12-31", 40), o("revenue", "2026-01-01", 30), o("revenue", "2026-12-31", 20)]),
     q("yoy", "year", "2026-06-01", "2026-06-01"), {"cells": [{"period_start": "2026-01-01", "period_end": "2026-12-31", "value": 0.25}]})
case("derived_parentheses_numbers", "parentheses, numbers and precedence",
     "a = 3, b = 5: (a + b) * 2 / 4 − -1 = 8 * 2 / 4 + 1 = 5.",
     doc(["x", "y"], [simple("a", "x"), simple("b", "y"), {"id": "d", "kind": "derived", "expression": "(a + b) * 2 / 4 - -1"}],
         [o("x", "2026-05-01", 3), o("y", "2026-05-02", 5)]),
     q("d", "month", "2026-05-01", "2026-05-31"), cells(5))
case("derived_division_by_zero", "a derived division by zero is undefined",
     "mom for February: 40 / January's 0 (no revenue, sum 0) − 1: division by zero, undefined.",
     doc(["revenue"], REV([("mom", "rev / rev(offset 1) - 1")]), [o("revenue", "2026-02-10", 40)]),
     q("mom", "month", "2026-02-01", "2026-02-28"), cells(None))
case("derived_week_offset_iso53", "week-over-week across ISO week 2026-W53",
     "Week 2027-W01 (from 2027-01-04) = 16; the week before is 2026-W53 (2026-12-28..2027-01-03) = 1 + 2 + 4 + 8 = 15: 16/15 − 1 = 1/15.",
     doc(["revenue"], REV([("wow", "rev / rev(offset 1) - 1")]),
         [o("revenue", d, v) for d, v in [("2026-12-28", 1), ("2026-12-31", 2), ("2027-01-01", 4), ("2027-01-03", 8), ("2027-01-04", 16)]]),
     q("wow", "week", "2027-01-04", "2027-01-10"), {"cells": [{"period_start": "2027-01-04", "value": 1 / 15}]})

# ---------- cumulative ----------
MONTHLY = [o("m", "2026-01-10", 10), o("m", "2026-02-10", 20), o("m", "2026-03-10", 30), o("m", "2026-04-10", 40)]
case("cumulative_window_3", "cumulative window of 3 months",
     "March: Jan 10 + Feb 20 + Mar 30 = 60; April: 20 + 30 + 40 = 90.",
     doc(["m"], [simple("s", "m"), {"id": "c3", "kind": "cumulative", "metric": "s", "window": 3}], MONTHLY),
     q("c3", "month", "2026-03-01", "2026-04-30"), cells(60, 90))
case("cumulative_quarter_to_date", "quarter-to-date at the month grain",
     "March: Q1 to date = 10 + 20 + 30 = 60; April starts Q2: 40.",
     doc(["m"], [simple("s", "m"), {"id": "qtd", "kind": "cumulative", "metric": "s", "to_date": "quarter_to_date"}], MONTHLY),
     q("qtd", "month", "2026-03-01", "2026-04-30"), cells(60, 40))
case("cumulative_month_to_date_daily", "month-to-date at the day grain",
     "Feb 28 (100) is before March. Mar 1: 5; Mar 2: 5; Mar 3: 5 + 7 = 12.",
     doc(["m"], [simple("s", "m"), {"id": "mtd", "kind": "cumulative", "metric": "s", "to_date": "month_to_date"}],
         [o("m", "2026-02-28", 100), o("m", "2026-03-01", 5), o("m", "2026-03-03", 7)]),
     q("mtd", "day", "2026-03-01", "2026-03-03"), cells(5, 5, 12))
case("cumulative_ytd_across_year", "year-to-date restarts on 1 January",
     "December 2026 YTD = 3 + 4 = 7; January 2027 YTD = 5 only.",
     doc(["m"], [simple("s", "m"), {"id": "ytd", "kind": "cumulative", "metric": "s", "to_date": "year_to_date"}],
         [o("m", "2026-06-01", 3), o("m", "2026-12-31", 4), o("m", "2027-01-01", 5)]),
     q("ytd", "month", "2026-12-01", "2027-01-31"), cells(7, 5))

# ---------- grains ----------
EDGE = [o("m", d, v) for d, v in [("2026-12-28", 1), ("2026-12-31", 2), ("2027-01-01", 4), ("2027-01-03", 8), ("2027-01-04", 16)]]
case("week_iso_w53", "ISO weeks: 2026-12-31 and 2027-01-01 are in 2026-W53",
     "2026-W53 runs Monday 2026-12-28 to Sunday 2027-01-03: 1 + 2 + 4 + 8 = 15; 2027-W01 starts Monday 2027-01-04: 16.",
     doc(["m"], [simple("s", "m", grain="week")], EDGE),
     {"query": {"metric": "s", "from": "2026-12-31", "to": "2027-01-04"}},
     {"grain": "week", "cells": [{"period_start": "2026-12-28", "period_end": "2027-01-03", "value": 15},
                                  {"period_start": "2027-01-04", "period_end": "2027-01-10", "value": 16}]})
case("quarter_grain", "quarters across a year end",
     "Q4 2026 = 3 + 4 = 7 (Oct 1, Dec 31); Q1 2027 = 5 (Jan 1).",
     doc(["m"], [simple("s", "m")], [o("m", "2026-10-01", 3), o("m", "2026-12-31", 4), o("m", "2027-01-01", 5)]),
     q("s", "quarter", "2026-11-15", "2027-01-01"),
     {"cells": [{"period_start": "2026-10-01", "period_end": "2026-12-31", "value": 7},
                {"period_start": "2027-01-01", "period_end": "2027-03-31", "value": 5}]})
case("year_grain", "calendar years",
     "2025: 1 (Dec 31); 2026: 2 + 3 = 5.",
     doc(["m"], [simple("s", "m")], [o("m", "2025-12-31", 1), o("m", "2026-01-01", 2), o("m", "2026-12-31", 3)]),
     q("s", "year", "2025-06-01", "2026-06-01"), cells(1, 5))
case("day_grain", "days, empty days sum to 0",
     "Mar 30: 2; Mar 31: nothing, sum 0; Apr 1: 9.",
     doc(["m"], [simple("s", "m")], [o("m", "2026-03-30", 2), o("m", "2026-04-01", 9)]),
     q("s", "day", "2026-03-30", "2026-04-01"),
     {"cells": [{"period_start": "2026-03-30", "value": 2}, {"period_start": "2026-03-31", "value": 0}, {"period_start": "2026-04-01", "value": 9}]})

# ---------- dims ----------
UNITS = [o("m", "2026-03-01", 10, unit="north", region="east"), o("m", "2026-03-02", 20, unit="south", region="west"),
         o("m", "2026-03-03", 5, unit="sales", region="east"), o("m", "2026-03-04", 100, unit="co", region="east")]
case("unit_subtree_filter", "a unit aggregates its whole subtree",
     "sales = its own 5 + north 10 + south 20 = 35; co's own 100 is above sales and excluded.",
     doc(["m"], [simple("s", "m")], UNITS), q("s", "month", "2026-03-01", "2026-03-31", filters={"unit": "sales"}), cells(35))
case("group_by_region_with_filter", "group by a categorical dim under a unit filter",
     "Within sales: east = 10 (north) + 5 (sales) = 15; west = 20 (south). Groups sorted by value.",
     doc(["m"], [simple("s", "m")], UNITS),
     q("s", "month", "2026-03-01", "2026-03-31", filters={"unit": "sales"}, group_by=["region"]),
     cells({"group": {"region": "east"}, "value": 15}, {"group": {"region": "west"}, "value": 20}))
case("filter_categorical_dim", "filter by a categorical dim",
     "region = east across the whole company: 10 + 5 + 100 = 115.",
     doc(["m"], [simple("s", "m")], UNITS), q("s", "month", "2026-03-01", "2026-03-31", filters={"region": "east"}), cells(115))

# ---------- targets and curves ----------
def scoring(metric_extra, rows, **kw):
    """rows: list of (target dict without id/metric/scope/cycle, actual or None)."""
    units = [{"id": "co"}] + [{"id": f"u{i}", "parent": "co"} for i in range(len(rows))]
    obs, targets = [], []
    for i, (t, actual) in enumerate(rows):
        if actual is not None:
            obs.append(o("m", "2026-02-01", actual, unit=f"u{i}"))
        tt = {"id": f"t{i}", "metric": "k", "scope": {"unit": f"u{i}"}, "cycle": "Q1"}; tt.update(t); targets.append(tt)
    metric = {"id": "k", "kind": "simple", "measure": "m"}; metric.update(metric_extra)
    d = {"schema_version": 1, "cycles": [{"id": "Q1", "start": "2026-01-01", "end": "2026-03-31"}], "org_units": units,
         "measures": [{"id": "m"}], "metrics": [metric], "observations": obs, "targets": targets}
    d.update(kw); return d
SCORE = {"score": {"as_of": "2026-03-31"}}
def expect_scores(*pairs):
    return {"targets": {f"t{i}": p for i, p in enumerate(pairs)}}

case("linear_higher", "linear curve, higher is better",
     "a = 90/120 = 0.75 → 75; a = 150/100 = 1.5 → 150 capped at 120; a = 0 → 0 (floor).",
     scoring({}, [({"target": 120}, 90), ({"target": 100}, 150), ({"target": 100}, 0)]), SCORE,
     expect_scores({"actual": 90, "achievement": 0.75, "score": 75, "cap": 120}, {"achievement": 1.5, "score": 120}, {"achievement": 0, "score": 0}))
case("linear_floor_cap_custom", "linear with a custom floor and cap",
     "floor 40, cap 110: a = 0.3 → 30 raised to 40; a = 1.05 → 105; a = 1.2 → 110.",
     scoring({}, [({"target": 100, "curve": {"linear": {"floor": 40, "cap": 110}}}, a) for a in (30, 105, 120)]), SCORE,
     expect_scores({"score": 40}, {"score": 105}, {"score": 110, "cap": 110}))
case("lower_inverse_complement", "lower is better: inverse (default) and complement",
     "inverse: 5/5.5 = 0.90909… → 90.909…; 5/4 = 1.25 → 120 (cap); complement: 2 − 6/5 = 0.8 → 80; 2 − 4/5 = 1.2 → 120.",
     scoring({"direction": "lower_is_better"}, [({"target": 5}, 5.5), ({"target": 5}, 4), ({"target": 5, "formula": "complement"}, 6), ({"target": 5, "formula": "complement"}, 4)]), SCORE,
     expect_scores({"achievement": 5 / 5.5, "score": 500 / 5.5}, {"achievement": 1.25, "score": 120}, {"achievement": 0.8, "score": 80}, {"achievement": 1.2, "score": 120}))
case("lower_inverse_actual_zero", "inverse with actual 0 scores the curve's cap",
     "target/actual with actual 0 has no value; DOMAIN.md: score = the curve's cap: 120 for linear, 100 for binary.",
     scoring({"direction": "lower_is_better"}, [({"target": 5}, 0), ({"target": 5, "curve": "binary"}, 0)]), SCORE,
     expect_scores({"actual": 0, "score": 120}, {"score": 100}))
case("band_direction", "band: 1 inside, linear to 0 one band-width outside",
     "band (10, 20), width 10: 15 → 1 → 100; 20 → 1; 25 → 1 − 5/10 = 0.5 → 50; 5 → 0.5 → 50; 30 → 0; 35 → 0.",
     scoring({"direction": {"band": {"lo": 10, "hi": 20}}}, [({"target": 15}, a) for a in (15, 20, 25, 5, 30, 35)]), SCORE,
     expect_scores(*[{"achievement": x, "score": 100 * x} for x in (1, 1, 0.5, 0.5, 0, 0)]))
TTS = {"threshold_target_stretch": {}}
case("tts_higher_breakpoints", "threshold/target/stretch at and around each breakpoint",
     "threshold 80 → 50, target 100 → 100, stretch 120 → 150: 79 → 0; 80 → 50; 90 → 75; 100 → 100; 110 → 125; 120 → 150; 130 → 150 (flat).",
     scoring({}, [({"threshold": 80, "target": 100, "stretch": 120, "curve": TTS}, a) for a in (79, 80, 90, 100, 110, 120, 130)]), SCORE,
     expect_scores(*[{"score": s, "cap": 150} for s in (0, 50, 75, 100, 125, 150, 150)]))
case("tts_no_stretch", "threshold/target without stretch is flat above target",
     "threshold 80, target 100: 90 → 75; 100 → 100; 130 → 100; cap is at_target = 100.",
     scoring({}, [({"threshold": 80, "target": 100, "curve": TTS}, a) for a in (90, 100, 130)]), SCORE,
     expect_scores({"score": 75}, {"score": 100, "cap": 100}, {"score": 100}))
case("tts_lower_mirrored", "lower is better mirrors the axis (threshold > target > stretch)",
     "threshold 10 → 50, target 5 → 100, stretch 2 → 150: 11 → 0; 10 → 50; 7.5 → 75; 5 → 100; 3.5 → 125; 2 → 150; 0 → 150.",
     scoring({"direction": "lower_is_better"}, [({"threshold": 10, "target": 5, "stretch": 2, "curve": TTS}, a) for a in (11, 10, 7.5, 5, 3.5, 2, 0)]), SCORE,
     expect_scores(*[{"score": s} for s in (0, 50, 75, 100, 125, 150, 150)]))
case("tts_zero_negative_target", "threshold_target_stretch serves zero and negative targets",
     "threshold −10 → 50, target 0 → 100, stretch 10 → 150, custom points 60/100/140: −5 → 80; 0 → 100; 5 → 120; −11 → 0.",
     scoring({}, [({"threshold": -10, "target": 0, "stretch": 10, "curve": {"threshold_target_stretch": {"at_threshold": 60, "at_target": 100, "at_stretch": 140}}}, a) for a in (-5, 0, 5, -11)]), SCORE,
     expect_scores({"score": 80}, {"score": 100}, {"score": 120}, {"score": 0}))
BANDS = {"bands": [{"min_a": 0.8, "score": 50}, {"min_a": 1.0, "score": 100}, {"min_a": 1.2, "score": 130}]}
case("bands_curve", "bands: the highest band with min_a ≤ a, 0 below all",
     "target 100: a 0.79 → 0; 0.8 → 50; 0.99 → 50; 1.0 → 100; 1.25 → 130; cap 130.",
     scoring({}, [({"target": 100, "curve": BANDS}, a) for a in (79, 80, 99, 100, 125)]), SCORE,
     expect_scores({"score": 0}, {"score": 50}, {"score": 50}, {"score": 100}, {"score": 130, "cap": 130}))
case("binary_curve", "binary: 100 if a ≥ 1 else 0",
     "target 100: 99.9 → a 0.999 → 0; 100 → 1 → 100; 140 → 100.",
     scoring({}, [({"target": 100, "curve": "binary"}, a) for a in (99.9, 100, 140)]), SCORE,
     expect_scores({"score": 0}, {"score": 100}, {"score": 100, "cap": 100}))
case("rounding_half_up", "rounding half-up once at the end",
     "87.45/100 → 87.45 → 1 decimal: 87.5; 2/3 → 66.67 → 0 decimals: 67; 1/8 → 12.5 → 0 decimals: 13 (half-up, not half-even); 87.44 → 87.4.",
     scoring({}, [({"target": 100, "decimals": 1}, 87.45), ({"target": 3, "decimals": 0}, 2), ({"target": 8, "decimals": 0}, 1), ({"target": 100, "decimals": 1}, 87.44)]), SCORE,
     expect_scores({"score": 87.5}, {"score": 67}, {"score": 13}, {"score": 87.4}))
case("target_zero_negative_error", "a target ≤ 0 with a ratio formula is an error",
     "target 0 and target −5 with the linear curve (actual/target) are refused; −5 with threshold_target_stretch is fine.",
     scoring({}, [({"target": 0}, 1), ({"target": -5}, 1), ({"threshold": -10, "target": -5, "curve": TTS}, 1)]), SCORE,
     expect_error=[{"code": "E_TARGET_NOT_POSITIVE", "path": "$.targets[0].target"}, {"code": "E_TARGET_NOT_POSITIVE", "path": "$.targets[1].target"}])
case("locked_change_without_reason", "a change after lock without a reason is refused",
     "locked 2026-01-10; the change of 2026-01-05 (before lock) needs no reason; the one of 2026-02-01 has none: refused.",
     scoring({}, [({"target": 100, "locked_at": "2026-01-10", "changes": [{"on": "2026-01-05", "target": 90}, {"on": "2026-02-01", "target": 80}]}, 60)]), SCORE,
     expect_error=[{"code": "E_TARGET_LOCKED", "path": "$.targets[0].changes[1].reason"}])
case("locked_change_with_reason_audited", "a change after lock with a reason is an audit entry and takes effect",
     "target 100, locked 2026-01-10, changed to 80 on 2026-02-15 (reason: reorg). At 2026-03-31 the target is 80: 60/80 = 0.75 → 75. At 2026-02-14 it would still be 100.",
     scoring({}, [({"target": 100, "locked_at": "2026-01-10", "changes": [{"on": "2026-02-15", "reason": "reorg", "target": 80}]}, 60)]), SCORE,
     expect_scores({"target": 80, "score": 75, "audit": [{"on": "2026-02-15", "reason": "reorg", "target": 80}]}))
d = scoring({}, [({"target": 100}, None)])
d["observations"] = [o("m", "2026-01-10", 30, unit="u0"), o("m", "2026-03-10", 50, unit="u0"), o("m", "2026-04-01", 500, unit="u0")]
case("score_as_of_partial_cycle", "the actual counts the cycle's days up to as-of",
     "as_of 2026-02-28: only Jan 10's 30 counts (Mar 10 is later, Apr 1 outside Q1): 30/100 → 30.",
     d, {"score": {"as_of": "2026-02-28"}}, expect_scores({"actual": 30, "score": 30}))

# ---------- scorecards ----------
def cards(actuals_by_card, extra_docs=None, **sckw):
    """actuals_by_card: {card_id: [(actual, weight), ...]} with target 100 linear → score = actual."""
    units = [{"id": "co"}]; obs = []; targets = []; scs = []
    for cid, items in actuals_by_card.items():
        units.append({"id": cid, "parent": "co"})
        its = []
        for j, (a, w) in enumerate(items):
            tid = f"{cid}_t{j}"
            obs.append(o(f"m{j}", "2026-02-01", a, unit=cid))
            targets.append({"id": tid, "metric": f"k{j}", "scope": {"unit": cid}, "cycle": "Q1", "target": 100})
            its.append({"target": tid, "weight": w})
        sc = {"id": cid, "subject": {"unit": cid}, "items": its}; sc.update(sckw); scs.append(sc)
    nm = max(len(v) for v in actuals_by_card.values())
    d = {"schema_version": 1, "cycles": [{"id": "Q1", "start": "2026-01-01", "end": "2026-03-31"}], "org_units": units,
         "measures": [{"id": f"m{j}"} for j in range(nm)], "metrics": [{"id": f"k{j}", "kind": "simple", "measure": f"m{j}"} for j in range(nm)],
         "observations": obs, "targets": targets, "scorecards": scs}
    if extra_docs: d.update(extra_docs)
    return d
SC = {"scorecards": {"as_of": "2026-03-31"}}
case("scorecard_total", "scorecard total = Σ weight·score / 100",
     "scores 80 (weight 60) and 120 (weight 40, a = 1.3 capped at 120): 0.6·80 + 0.4·120 = 48 + 48 = 96 → B (90 ≤ 96 < 105).",
     cards({"ann": [(80, 60), (130, 40)]}), SC,
     {"scorecards": {"ann": {"total": 96, "grade": "B", "items": [{"score": 80}, {"score": 120}]}}})
case("scorecard_weights_sum_error", "scorecard weights must sum to 100",
     "weights 60 + 30 = 90 ≠ 100: refused, naming the scorecard.",
     cards({"ann": [(80, 60), (90, 30)]}), SC, expect_error=[{"code": "E_WEIGHTS_SUM", "path": "$.scorecards[0].items"}])
okr = {"objectives": [{"id": "grow", "title": "Grow", "cycle": "Q1"}],
       "key_results": [{"id": "kr", "objective": "grow", "kind": "increase", "start": 0, "target": 100}],
       "check_ins": [{"key_result": "kr", "date": "2026-03-01", "value": 70}]}
case("scorecard_okr_component", "the OKR component takes the objective score × 100 with its own weight",
     "KR progress 70/100 = 0.7 → objective score 0.7 → 70. KPI item 80 at weight 80 + OKR 70 at weight 20: 64 + 14 = 78 → C.",
     cards({"ann": [(80, 80)]}, okr, okr={"objective": "grow", "weight": 20}), SC,
     {"scorecards": {"ann": {"total": 78, "okr_score": 70, "grade": "C"}}})
edges = {"e120": 120, "e11999": 119.99, "e105": 105, "e10499": 104.99, "e090": 90, "e070": 70, "e06999": 69.99}
case("grade_edges", "grade bands at their edges (S ≥ 120, A ≥ 105, B ≥ 90, C ≥ 70, else D)",
     "single-item scorecards, total = actual (target 100), rounded to 2 decimals: 120 → S; 119.99 → A; 105 → A; 104.99 → B; 90 → B; 70 → C; 69.99 → D.",
     cards({k: [(v, 100)] for k, v in edges.items()}, decimals=2), SC,
     {"scorecards": {"e120": {"grade": "S"}, "e11999": {"grade": "A", "total": 119.99}, "e105": {"grade": "A"}, "e10499": {"grade": "B"},
                     "e090": {"grade": "B"}, "e070": {"grade": "C", "total": 70}, "e06999": {"grade": "D"}}})
case("scorecard_custom_grades_rounding", "custom grade bands and the total rounded once",
     "items 87.45·50% + 87.44·50% = 43.725 + 43.72 = 87.445 → 2 decimals half-up: 87.45 (rounding each item first would give 87.45 too, but 1 decimal: 87.4 vs 87.5); bands excellent ≥ 87.45.",
     cards({"ann": [(87.45, 50), (87.44, 50)]}, decimals=2, grades=[{"grade": "excellent", "min": 87.45}, {"grade": "fine", "min": 0}]), SC,
     {"scorecards": {"ann": {"total": 87.45, "grade": "excellent"}}})
# forced distribution: 27 people
acts = {f"p{i:02d}": v for i, v in zip(range(1, 28), [110, 109, 108, 107, 100, 100] + [99 - k for k in range(21)])}
order = ["p06"] + [k for k in acts if k != "p06"]  # input order must not matter
forced = {k: ("top" if i < 5 else "mid" if i < 24 else "low") for i, k in enumerate(sorted(acts))}
case("forced_distribution_27", "forced 20/70/10 on 27 by largest remainder, ties by id",
     "quotas 27·20% = 5.4, 27·70% = 18.9, 27·10% = 2.7 → floors 5 + 18 + 2 = 25; the 2 remaining seats go to the largest remainders .9 (mid) and .7 (low): 5/19/3. Ranking by total desc then id: p05 and p06 tie at 100, p05 ranks 5th (top), p06 6th (mid); p25–p27 low.",
     cards({k: [(acts[k], 100)] for k in order}, group="eng"),
     {"scorecards": {"as_of": "2026-03-31", "distribution": {"shares": [{"grade": "top", "percent": 20}, {"grade": "mid", "percent": 70}, {"grade": "low", "percent": 10}]}}},
     {"scorecards": {k: {"forced_grade": forced[k], "rank": i + 1} for i, k in enumerate(sorted(acts))}})
case("forced_distribution_small_group", "a group under the minimum size is not forced and is flagged",
     "3 scorecards < min_group_size 25: no forced grade, one warning; ranks still by total desc then id: b (90) 1, a (80) 2, c (80) 3.",
     cards({"a": [(80, 100)], "b": [(90, 100)], "c": [(80, 100)]}),
     {"scorecards": {"as_of": "2026-03-31", "distribution": {"shares": [{"grade": "top", "percent": 20}, {"grade": "mid", "percent": 70}, {"grade": "low", "percent": 10}]}}},
     {"scorecards": {"a": {"rank": 2, "forced_grade": None}, "b": {"rank": 1, "forced_grade": None}, "c": {"rank": 3, "forced_grade": None}},
      "warnings": ["group (all) has 3 scorecards, under the minimum 25: not forced"]})
case("forced_distribution_min_size_custom", "min_group_size lowered: 4 people 50/50 with an exact split",
     "min 4: quotas 2 and 2, no remainder. Totals 70, 95, 95, 60: ranks b (95), c (95, id after b), a (70), d (60): b, c top; a, d bottom.",
     cards({"a": [(70, 100)], "b": [(95, 100)], "c": [(95, 100)], "d": [(60, 100)]}),
     {"scorecards": {"as_of": "2026-03-31", "distribution": {"min_group_size": 4, "shares": [{"grade": "top", "percent": 50}, {"grade": "bottom", "percent": 50}]}}},
     {"scorecards": {"a": {"forced_grade": "bottom", "rank": 3}, "b": {"forced_grade": "top", "rank": 1}, "c": {"forced_grade": "top", "rank": 2}, "d": {"forced_grade": "bottom", "rank": 4}}})
case("distribution_shares_sum_error", "distribution shares must sum to 100",
     "20 + 70 = 90 ≠ 100.",
     cards({"a": [(70, 100)]}),
     {"scorecards": {"as_of": "2026-03-31", "distribution": {"shares": [{"grade": "top", "percent": 20}, {"grade": "mid", "percent": 70}]}}},
     expect_error=[{"code": "E_WEIGHTS_SUM", "path": "$.distribution.shares"}])

# ---------- validation ----------
case("unknown_measure_and_metric", "unknown names are reported with their paths",
     "metric a aggregates measure nope; ratio r reads unknown metric ghost; observation 0 is of unknown measure zzz; its unit mars is unknown.",
     doc(["x"], [simple("a", "nope"), {"id": "r", "kind": "ratio", "numerator": "a", "denominator": "ghost"}], [o("zzz", "2026-01-01", 1, unit="mars")]),
     expect_error=[{"code": "E_UNKNOWN_ID", "path": "$.metrics[0].measure"}, {"code": "E_UNKNOWN_ID", "path": "$.metrics[1].denominator"},
                   {"code": "E_UNKNOWN_ID", "path": "$.observations[0].measure"}, {"code": "E_UNKNOWN_ID", "path": "$.observations[0].dims.unit"}])
case("derived_cycle", "derived metrics that read each other are refused",
     "a = b + 1 and b = a * 2: a → b → a is a cycle, reported once at a.",
     doc([], [{"id": "a", "kind": "derived", "expression": "b + 1"}, {"id": "b", "kind": "derived", "expression": "a * 2"}], []),
     expect_error=[{"code": "E_CYCLE", "path": "$.metrics[0]"}])
case("bad_expressions", "bad expressions name the path (and the column in the message)",
     "`a + * 2` fails at column 5; `(a + 1` misses its `)`; `a(lag 1)` is not `offset`.",
     doc(["x"], [simple("a", "x"), {"id": "d1", "kind": "derived", "expression": "a + * 2"}, {"id": "d2", "kind": "derived", "expression": "(a + 1"},
                 {"id": "d3", "kind": "derived", "expression": "a(lag 1)"}], []),
     expect_error=[{"code": "E_EXPRESSION", "path": f"$.metrics[{i}].expression"} for i in (1, 2, 3)])
case("duplicate_ids", "duplicate metric, measure and target ids",
     "measure x and metric s appear twice; the later ones are reported.",
     doc(["x", "x"], [simple("s", "x"), simple("s", "x")], []),
     expect_error=[{"code": "E_DUPLICATE_ID", "path": "$.measures[1].id"}, {"code": "E_DUPLICATE_ID", "path": "$.metrics[1].id"}])
case("duplicate_observation", "overlapping duplicate observations from one source",
     "observations 0 and 1 share measure, date, dims and source erp: refused at 1; observation 2 differs in source, 3 in dims: fine.",
     doc(["x"], [simple("s", "x")], [dict(o("x", "2026-01-01", 1, unit="north"), source="erp"), dict(o("x", "2026-01-01", 2, unit="north"), source="erp"),
                                     dict(o("x", "2026-01-01", 2, unit="north"), source="crm"), dict(o("x", "2026-01-01", 2, unit="south"), source="erp")]),
     expect_error=[{"code": "E_DUPLICATE_OBSERVATION", "path": "$.observations[1]"}])

case("metric_fields_by_kind", "fields a metric kind does not use are refused",
     "simple s carries an expression; cumulative c has both window and to_date; ratio r lacks its denominator.",
     doc(["x"], [dict(simple("s", "x"), expression="s * 2"), {"id": "c", "kind": "cumulative", "metric": "s", "window": 2, "to_date": "month_to_date"},
                 {"id": "r", "kind": "ratio", "numerator": "s"}], []),
     expect_error=[{"code": "E_FIELD_NOT_ALLOWED", "path": "$.metrics[0].expression"}, {"code": "E_INVALID_VALUE", "path": "$.metrics[1].to_date"},
                   {"code": "E_MISSING_FIELD", "path": "$.metrics[2].denominator"}])
print(n, "cases")
