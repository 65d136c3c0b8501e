#!/usr/bin/env python3
"""Generates the demo company's tables: observations.csv (13 weeks of daily KPI observations, plus six months of
merchant sign-ups) and check_ins.csv (weekly key-result check-ins with confidence; g2.kr1 has none: it is linked to the new_merchants
metric and its check-ins are derived from the sign-ups).

Seeded, so the files are reproducible: `python3 examples/data/demo/generate.py` rewrites them identically.
Standard library only. The planted risks the diagnostics should find:

- a stale key result: c2.kr1's last check-in is on 2026-02-27, four weeks before the as-of date, 2026-03-29 (okr.stale);
- a lowered target: i1.kr1's target drops from 50 to 30 on 2026-02-16 (in company.json; okr.sandbagging);
- an end-of-cycle confidence surge: i1.kr2's confidence sits at 5 all quarter, then jumps to 9 in the last two weeks
  (okr.end_of_cycle_surge);
- a pull-forward sales pattern: merchant sign-ups crowd into January's last five days and dip in February's first
  five (kpi.pull_forward);
- a single-metric scorecard: content review is scored on throughput alone (in company.json; kpi.single_metric).

Events the alert rules should catch: the ticket surge after the Spring Festival (response time), two outages
(availability), the review backlog after the new content rules, and the weekly sign-up dips.
"""

import csv
import datetime as dt
import pathlib
import random

HERE = pathlib.Path(__file__).resolve().parent
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
SALES_START = dt.date(2025, 10, 1)
HOLIDAY = (dt.date(2026, 2, 15), dt.date(2026, 2, 22))  # Spring Festival: quiet days
SURGE = (dt.date(2026, 2, 23), dt.date(2026, 3, 3))  # the backlog of holiday tickets

# agent: (first-response seconds, first-contact resolution)
AGENTS = {"a1": (22, 0.83), "a2": (27, 0.78), "a3": (31, 0.75), "a4": (37, 0.71), "a5": (25, 0.80), "a6": (43, 0.67)}
SERVICES = ["checkout", "search", "storefront"]
# day → {service: minutes down}: the two planted outages
OUTAGES = {dt.date(2026, 2, 9): {"checkout": 25}, dt.date(2026, 3, 12): {"storefront": 70, "checkout": 20},
           dt.date(2026, 3, 13): {"search": 12}}


def days(a, b):
    d = a
    while d <= b:
        yield d
        d += dt.timedelta(days=1)


def inside(d, span):
    return span[0] <= d <= span[1]


def observations(rng):
    rows = []
    for d in days(START, END):
        weekend = d.weekday() >= 5
        progress = (d - START).days / (END - START).days
        # Customer service, per agent.
        load = 1.0
        if inside(d, HOLIDAY):
            load = 0.45
        elif inside(d, SURGE):
            load = 1.9 - 0.08 * (d - SURGE[0]).days
        for agent, (frt, fcr) in AGENTS.items():
            tickets = max(1, round((34 if weekend else 58) * load * rng.uniform(0.9, 1.1)))
            slow = 1.0 + max(0.0, load - 1.0) * 1.15  # an overloaded desk answers late
            seconds = frt * slow * (1 - 0.06 * progress) * rng.uniform(0.93, 1.07)
            resolved = fcr - (0.06 if load > 1.2 else 0.0) + rng.uniform(-0.02, 0.02)
            dims = {"unit": "service", "person": agent}
            rows.append(("tickets", d, tickets, dims))
            rows.append(("response_seconds", d, round(tickets * seconds), dims))
            rows.append(("first_contact_resolved", d, round(tickets * resolved), dims))
        # Cloud operations, per service.
        for svc in SERVICES:
            down = OUTAGES.get(d, {}).get(svc, rng.choice([0, 0, 0, 0, 0, 0, 0, 1, 2, 4]))
            dims = {"unit": "cloud", "service": svc}
            rows.append(("total_minutes", d, 1440, dims))
            rows.append(("uptime_minutes", d, 1440 - down, dims))
            latency = rng.uniform(250, 320) * (0.9 if weekend else 1.0) + (620 if down >= 20 else 0)
            rows.append(("p99_latency_ms", d, round(latency), dims))
        # Content review: throughput, and the backlog snapshot (new content rules from 9 March).
        dims = {"unit": "review"}
        rows.append(("reviewed_items", d, round((8200 if weekend else 10600) * rng.uniform(0.95, 1.05)), dims))
        if d < dt.date(2026, 3, 9):
            backlog = 3000 + 400 * rng.uniform(-1, 1)
        elif d < dt.date(2026, 3, 21):
            backlog = 3000 + 620 * (d - dt.date(2026, 3, 8)).days + rng.uniform(-150, 150)
        else:
            backlog = 10400 - 80 * (d - dt.date(2026, 3, 20)).days + rng.uniform(-150, 150)
        rows.append(("review_backlog", d, round(backlog), dims))
    # Merchant sign-ups since October: a January-end push borrowed from early February.
    for d in days(SALES_START, END):
        base = 9 if d.weekday() >= 5 else 15
        if d.month == 1 and d.day >= 27:
            base *= 2.6
        elif d.month == 2 and d.day <= 5:
            base *= 0.35
        if inside(d, HOLIDAY):
            base *= 0.3
        rows.append(("new_merchants", d, max(0, round(base * rng.uniform(0.8, 1.2))), {"unit": "growth.sales"}))
    return rows


FRIDAYS = [d for d in days(dt.date(2026, 1, 9), dt.date(2026, 3, 27)) if d.weekday() == 4 and d != dt.date(2026, 2, 20)]

# key result → [(value, confidence)] on each Friday check-in (the Spring Festival Friday is skipped)
CHECK_INS = {
    "c1.kr1": [(42.8, 7), (43.5, 7), (44.6, 6), (45.2, 6), (46.1, 6), (46.8, 5), (47.9, 5), (49.0, 6), (50.2, 6),
               (51.0, 7), (51.8, 6)],
    "c1.kr2": [(80800, 7), (82000, 7), (83500, 7), (85000, 7), (86300, 8), (87500, 8), (89800, 7), (91500, 8),
               (93200, 8), (95600, 8), (98000, 8)],
    "g1.kr1": [(53, 7), (56, 7), (59, 8), (62, 8), (64, 8), (67, 8), (70, 7), (72, 8), (74, 9), (76, 9), (78, 9)],
    "g1.kr2": [(8.9, 6), (8.7, 6), (8.4, 7), (8.2, 7), (7.9, 7), (7.6, 6), (7.2, 6), (6.9, 7), (6.6, 6), (6.4, 6),
               (6.0, 5)],
    "g2.kr2": [(43, 8), (42, 8), (44, 8), (41, 7), (39, 6), (42, 7), (43, 7), (44, 8), (42, 8), (45, 8), (44, 8)],
    "i1.kr1": [(2, 5), (4, 5), (5, 4), (7, 4), (9, 5), (11, 5), (14, 6), (16, 6), (19, 6), (22, 7), (25, 7)],
    # confidence flat at 5, then raised sharply in the last 15 % of the quarter
    "i1.kr2": [(40, 5), (70, 5), (95, 5), (120, 5), (140, 5), (160, 5), (185, 5), (205, 5), (225, 5), (270, 9),
               (340, 9)],
    "i2.kr1": [(2, 7), (5, 7), (7, 7), (9, 8), (12, 8), (13, 7), (15, 7), (18, 8), (19, 8), (21, 8), (23, 9)],
    "i2.kr2": [(20, 6), (19, 6), (18, 6), (17, 6), (15, 7), (14, 7), (13, 6), (12, 6), (11, 5), (10, 6), (10, 5)],
}
# c2.kr1 goes stale: fortnightly, then nothing after 27 February
STALE = {"c2.kr1": [(dt.date(2026, 1, 16), 0.4, 6), (dt.date(2026, 1, 30), 0.9, 6), (dt.date(2026, 2, 13), 1.3, 5),
                    (dt.date(2026, 2, 27), 1.6, 5)]}
# checklist milestones take their progress from their steps; their check-ins carry only confidence
MILESTONE_CONFIDENCE = {"g2.kr3": [8, 8, 7, 7, 7, 6, 6, 6, 5, 5, 5], "i1.kr3": [7, 7, 8, 8, 8, 8, 7, 7, 7, 6, 6]}


def check_ins():
    rows = []
    for kr, series in CHECK_INS.items():
        for day, (value, conf) in zip(FRIDAYS, series):
            rows.append((kr, day, value, conf))
    for kr, series in MILESTONE_CONFIDENCE.items():
        rows.extend((kr, day, "", conf) for day, conf in zip(FRIDAYS, series))
    for kr, series in STALE.items():
        rows.extend((kr, day, value, conf) for day, value, conf in series)
    rows.sort(key=lambda r: (r[1], r[0]))
    return rows


def main():
    rng = random.Random(20260101)
    obs = observations(rng)
    with open(HERE / "observations.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["measure", "date", "value", "dims.unit", "dims.person", "dims.service"])
        for measure, d, value, dims in obs:
            w.writerow([measure, d.isoformat(), value, dims.get("unit", ""), dims.get("person", ""),
                        dims.get("service", "")])
    with open(HERE / "check_ins.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["key_result", "date", "value", "confidence"])
        for kr, d, value, conf in check_ins():
            w.writerow([kr, d.isoformat(), value, conf])


if __name__ == "__main__":
    main()
