"""Generates the warehouse example's company: 10,000 people in 500 teams, 50 departments and 10 divisions, and
`--events` events (default 100 M) from 2026-01-01 to 2026-06-30 in Parquet, written by DuckDB (nothing checked in).

    python examples/warehouse/generate.py --events 100000000 --out /tmp/okpi-warehouse

Writes `company.json` (the okpi document: org, measures, metrics, targets, scorecards, objectives with KRs linked to
metrics; no observations: they stay in the warehouse) and `events.parquet` in the observations layout
(`date, measure, value, source, unit, person, channel`). The data are deterministic for a given size.
"""

import argparse
import json
import time
from pathlib import Path
from typing import Any, Dict, List

import duckdb

PEOPLE = 10_000
TEAMS = 500  # 20 people each
DEPARTMENTS = 50  # 10 teams each
DIVISIONS = 10  # 5 departments each
START, END = "2026-01-01", "2026-06-30"
DAYS = 181


def team(t: int) -> str:
    return f"t{t:03d}"


def department(p: int) -> str:
    return f"p{p:02d}"


def division(v: int) -> str:
    return f"v{v}"


def company() -> Dict[str, Any]:
    units: List[Dict[str, Any]] = [{"id": "co", "name": "The company"}]
    units += [{"id": division(v), "parent": "co"} for v in range(DIVISIONS)]
    units += [{"id": department(p), "parent": division(p // 5)} for p in range(DEPARTMENTS)]
    units += [{"id": team(t), "parent": department(t // 10)} for t in range(TEAMS)]
    metrics = [
        {"id": "visits", "kind": "simple", "measure": "visits"},
        {"id": "orders", "kind": "simple", "measure": "orders"},
        {"id": "revenue", "kind": "simple", "measure": "revenue"},
        {"id": "tickets", "kind": "simple", "measure": "tickets"},
        {"id": "conversion", "kind": "ratio", "numerator": "orders", "denominator": "visits", "grain": "day"},
        {"id": "order_value", "kind": "ratio", "numerator": "revenue", "denominator": "orders"},
        {"id": "revenue_mtd", "kind": "cumulative", "metric": "revenue", "to_date": "month_to_date"},
    ]
    targets = []
    scorecards = []
    for p in range(DEPARTMENTS):
        d = department(p)
        targets.append({"id": f"{d}.revenue", "metric": "revenue", "scope": {"unit": d}, "cycle": "2026Q2",
                        "target": 1.0, "decimals": 1})
        targets.append({"id": f"{d}.conversion", "metric": "conversion", "scope": {"unit": d}, "cycle": "2026Q2",
                        "target": 0.15, "decimals": 1})
        scorecards.append({"id": f"sc.{d}", "subject": {"unit": d}, "decimals": 1,
                           "items": [{"target": f"{d}.revenue", "weight": 60},
                                     {"target": f"{d}.conversion", "weight": 40}]})
    return {
        "schema_version": 1,
        "cycles": [{"id": "2026Q2", "start": "2026-04-01", "end": "2026-06-30"}],
        "org_units": units,
        "objectives": [{"id": "grow", "title": "Grow the business", "owner": {"unit": "co"}, "cycle": "2026Q2"}],
        "key_results": [
            {"id": "grow.orders", "objective": "grow", "title": "Orders this quarter", "kind": "increase",
             "start": 0, "target": 1.0, "link": {"metric": "orders", "scope": {"unit": "co"}}},
            {"id": "grow.v0", "objective": "grow", "title": "Division v0 revenue", "kind": "increase",
             "start": 0, "target": 1.0, "link": {"metric": "revenue", "scope": {"unit": "v0"}}},
        ],
        "measures": [{"id": m} for m in ["visits", "orders", "revenue", "tickets"]],
        "metrics": metrics,
        "targets": targets,
        "scorecards": scorecards,
    }


def scale_targets(doc: Dict[str, Any], events: int) -> None:
    """Targets in proportion to the size (16.5 % of events are revenue rows of 119 on average, 9.5 % orders), so a
    small run scores like the full one."""
    quarter = events * 91 / DAYS
    for t in doc["targets"]:
        if t["metric"] == "revenue":
            t["target"] = round(quarter * 0.165 * 119 / DEPARTMENTS, 0)
    for kr in doc["key_results"]:
        share = 0.095 * 1.1 if kr["link"]["metric"] == "orders" else 0.165 * 119 / DIVISIONS
        kr["target"] = round(quarter * share, 0)


EVENTS_SQL = f"""
COPY (
  WITH e AS (
    SELECT i,
           CAST(hash(i, 1) % {PEOPLE} AS INTEGER) AS person,
           CAST(hash(i, 2) % 100 AS INTEGER) AS k,
           CAST(hash(i, 3) % {DAYS} AS INTEGER) AS day,
           CAST(hash(i, 4) % 3 AS INTEGER) AS ch
    FROM range(?) t(i)
  ), t AS (SELECT *, person // 20 AS team FROM e)
  SELECT DATE '{START}' + day AS date,
         CASE WHEN k < 60 THEN 'visits'
              WHEN k < 60 + 6 + team % 8 THEN 'orders'
              WHEN k < 86 THEN 'revenue'
              ELSE 'tickets' END AS measure,
         CASE WHEN k >= 60 + 6 + team % 8 AND k < 86
              THEN round((50 + hash(i, 5) % 100) * (1 + (team % 5) / 10), 2)
              ELSE 1.0 END::DOUBLE AS value,
         CASE WHEN k >= 86 THEN 'helpdesk' ELSE 'shop' END AS source,
         printf('t%03d', team) AS unit,
         printf('e%05d', person) AS person,
         ['app', 'web', 'shop'][ch + 1] AS channel
  FROM t
) TO ? (FORMAT parquet, ROW_GROUP_SIZE 1000000)
"""


def generate(out: Path, events: int) -> Dict[str, float]:
    out.mkdir(parents=True, exist_ok=True)
    doc = company()
    scale_targets(doc, events)
    (out / "company.json").write_text(json.dumps(doc, indent=1))
    t0 = time.perf_counter()
    con = duckdb.connect()
    path = str(out / "events.parquet")
    con.execute(EVENTS_SQL.replace("range(?)", f"range({int(events)})").replace("TO ?", f"TO '{path}'"))
    return {"events": events, "seconds": time.perf_counter() - t0, "bytes": (out / "events.parquet").stat().st_size}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000_000)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    r = generate(a.out, a.events)
    print(f"{r['events']:,} events in {r['seconds']:.1f} s, {r['bytes'] / 1e6:.0f} MB of Parquet at {a.out}")


if __name__ == "__main__":
    main()
