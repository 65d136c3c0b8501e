"""The warehouse job: the company's events stay in Parquet; DuckDB (in process) or Spark computes okpi's metric
definitions where the data is, with the SQL okpi compiles; okpi scores, alerts and reports over the results.

    python examples/warehouse/generate.py --events 100000000 --out /tmp/okpi-warehouse
    python examples/warehouse/warehouse.py --data /tmp/okpi-warehouse --engine duckdb
    python examples/warehouse/warehouse.py --data /tmp/okpi-warehouse --engine spark   # local[2]

Steps (each timed):
1. aggregate: the four base metrics per team and day (`okpi.sql`, day grain, `group_by: ["unit"]`) over
   `events.parquet` — the one pass over the raw events;
2. load: those cells become the model's observations through Arrow (`okpi.arrow.with_data`): the KR links, targets
   and scorecards read the warehouse's numbers (sums add up across days and teams, so every sum and ratio of sums
   okpi derives from them equals the one over the raw events);
3. conversion: the daily conversion per team (a ratio metric, its undefined days included), computed by the engine;
4. alerts: a conversion rule over the 500 team series (`okpi.arrow.alert` per series with DuckDB,
   `okpi.spark.alerts` — cogroup.applyInArrow — with Spark);
5. score: KPI targets, scorecards and the KRs as of 2026-06-30 (`okpi.arrow`);
6. report: the lines printed below.
"""

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pyarrow as pa
import pyarrow.compute as pc

import okpi
import okpi.arrow as oa

FROM, TO = "2026-01-01", "2026-06-30"
AS_OF = dt.date(2026, 6, 30)
BASE = {"visits": "visits", "orders": "orders", "revenue": "revenue", "tickets": "tickets"}  # metric → measure
RULE = {
    "id": "conversion_low", "metric": "conversion", "scope": "team", "grain": "day", "condition": "below",
    "warning": {"value": 0.09, "recovery": 0.1}, "critical": {"value": 0.075, "recovery": 0.09}, "for": 1,
    "no_data": "no_data",
}


class Engine:
    """Runs okpi's SQL over the `observations` (the Parquet file) and `org_closure` tables; results as Arrow."""

    dialect = "duckdb"

    def sql(self, text: str) -> pa.Table:
        raise NotImplementedError


def events_path(data: Any) -> str:
    """The events' Parquet under `data`, a folder or a lake URL (`s3a://bucket/okpi-warehouse`)."""
    return f"{str(data).rstrip('/')}/events.parquet"


class DuckDB(Engine):
    def __init__(self, data: Any, model: "okpi.Model") -> None:
        import duckdb

        self.con = duckdb.connect()
        self.con.execute(f"CREATE VIEW observations AS SELECT * FROM read_parquet('{events_path(data)}')")
        closure = pa.table({"ancestor": [a for a, _ in okpi.org_closure(model)],
                            "unit": [u for _, u in okpi.org_closure(model)]})
        self.con.register("org_closure", closure)

    def sql(self, text: str) -> pa.Table:
        return self.con.sql(text).to_arrow_table()


class Spark(Engine):
    dialect = "spark"

    def __init__(self, data: Any, model: "okpi.Model", spark: Any = None) -> None:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder
        if "SPARK_ENV_LOADED" not in os.environ:  # run by python, not spark-submit: Spark in process on 2 cores
            builder = builder.master("local[2]")
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run okpi: this interpreter has it
        self.spark = spark or (
            builder.appName("okpi-warehouse")
            .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.ansi.enabled", "true").config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4").getOrCreate()
        )
        self.spark.read.parquet(events_path(data)).createOrReplaceTempView("observations")
        self.spark.createDataFrame(okpi.org_closure(model), "ancestor string, unit string") \
            .createOrReplaceTempView("org_closure")

    def sql(self, text: str) -> pa.Table:
        return self.spark.sql(text).toArrow()


def timed(times: Dict[str, float], name: str, f: Callable[[], Any]) -> Any:
    t0 = time.perf_counter()
    out = f()
    times[name] = round(time.perf_counter() - t0, 3)
    return out


def aggregate(engine: Engine, model: "okpi.Model") -> pa.Table:
    """Step 1: per team and day, each base metric, as rows of the observations layout."""
    parts = []
    for metric, measure in BASE.items():
        q = {"metric": metric, "grain": "day", "from": FROM, "to": TO, "group_by": ["unit"]}
        cells = engine.sql(okpi.sql(model, q, dialect=engine.dialect))
        cells = cells.filter(pc.is_valid(cells["value"]))  # a day without data stays missing, never 0
        parts.append(pa.table({
            "date": cells["period_start"].cast(pa.date32()),
            "measure": pa.array([measure] * cells.num_rows, pa.string()),
            "value": cells["value"].cast(pa.float64()),
            "unit": cells["unit"].cast(pa.string()),
        }))
    return pa.concat_tables(parts)


def conversion(engine: Engine, model: "okpi.Model") -> pa.Table:
    """Step 3: daily conversion per team, computed by the engine."""
    q = {"metric": "conversion", "grain": "day", "from": FROM, "to": TO, "group_by": ["unit"]}
    t = engine.sql(okpi.sql(model, q, dialect=engine.dialect))
    return pa.table({
        "scope": t["unit"].cast(pa.string()),
        "date": t["period_start"].cast(pa.date32()),
        "value": t["value"].cast(pa.float64()),
    })


def alerts_local(series: pa.Table) -> List[Dict[str, Any]]:
    """Step 4 in process: one okpi.arrow.alert call per team series."""
    out: List[Dict[str, Any]] = []
    series = series.sort_by([("scope", "ascending"), ("date", "ascending")])
    scopes = series["scope"].to_pylist()
    start = 0
    while start < len(scopes):
        end = start
        while end < len(scopes) and scopes[end] == scopes[start]:
            end += 1
        events, _ = oa.alert(dict(RULE, scope=scopes[start]), series.slice(start, end - start))
        out += [dict(e, scope=scopes[start]) for e in pa.table(events).to_pylist()]
        start = end
    return out


def alerts_spark(engine: "Spark", series: pa.Table) -> List[Dict[str, Any]]:
    """Step 4 on Spark: okpi.spark.alerts over every team series (state kept for tomorrow's run)."""
    import okpi.spark as osp

    df = engine.spark.createDataFrame(series.append_column(
        "rule", pa.array([RULE["id"]] * series.num_rows, pa.string())).to_pandas())
    result = osp.alerts(df, [RULE]).cache()
    rows = [r.asDict() for r in osp.events(result).collect()]
    return [{k: v for k, v in r.items() if k != "rule"} for r in rows]


def run(data: Any, engine_name: str, spark: Any = None, company: Optional[Path] = None) -> Dict[str, Any]:
    """The job over the events under `data` and the document `company` (default: `data`/company.json)."""
    times: Dict[str, float] = {}
    model = okpi.Model(json.loads((company or Path(data) / "company.json").read_text()))
    engine: Engine = DuckDB(data, model) if engine_name == "duckdb" else Spark(data, model, spark)
    observations = timed(times, "aggregate", lambda: aggregate(engine, model))
    fed = timed(times, "load", lambda: oa.with_data(model, observations))
    series = timed(times, "conversion", lambda: conversion(engine, model))
    if isinstance(engine, Spark):
        events = timed(times, "alerts", lambda: alerts_spark(engine, series))
    else:
        events = timed(times, "alerts", lambda: alerts_local(series))
    scores = timed(times, "score", lambda: pa.table(oa.scores(fed, AS_OF)))
    cards = pa.table(oa.scorecards(fed, AS_OF)).sort_by([("total", "descending")])
    krs = pa.table(oa.evaluate(fed, AS_OF)[0])
    kinds: Dict[str, int] = {}
    for e in events:
        kinds[e["type"]] = kinds.get(e["type"], 0) + 1
    return {
        "engine": engine_name,
        "observations": observations.num_rows,
        "revenue": round(float(pc.sum(observations.filter(pc.equal(observations["measure"], "revenue"))["value"]).as_py()), 2),
        "conversion_days": series.num_rows,
        "conversion_undefined": series["value"].null_count,
        "alert_events": kinds,
        "firing_teams": sorted({e["scope"] for e in events if e["type"] == "firing"}),
        "targets_scored": scores.num_rows - scores["score"].null_count,
        "scorecards": [(r["id"], r["total"], r["grade"]) for r in cards.to_pylist()],
        "key_results": [(r["id"], r["current"], r["progress"], r["status"]) for r in krs.to_pylist()],
        "seconds": times,
    }


def report(r: Dict[str, Any], out: Any = sys.stdout) -> None:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"== warehouse job ({r['engine']})")
    p(f"aggregated: {r['observations']:,} team-days × measures; revenue {r['revenue']:,.2f}")
    p(f"conversion: {r['conversion_days']:,} team-days, {r['conversion_undefined']} undefined (no visits)")
    p(f"alerts: {r['alert_events']}; {len(r['firing_teams'])} teams fired")
    p(f"targets scored: {r['targets_scored']}")
    best, worst = r["scorecards"][:3], r["scorecards"][-3:]
    p("scorecards, best: " + ", ".join(f"{i} {t} ({g})" for i, t, g in best))
    p("scorecards, worst: " + ", ".join(f"{i} {t} ({g})" for i, t, g in worst))
    for kr, current, progress, status in r["key_results"]:
        p(f"KR {kr}: current {current:,.0f}, progress {progress:.3f}, {status}")
    p("seconds: " + ", ".join(f"{k} {v}" for k, v in r["seconds"].items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="the folder (or lake URL, with Spark) holding events.parquet")
    ap.add_argument("--company", type=Path, help="the okpi document (default: DATA/company.json)")
    ap.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    ap.add_argument("--json", type=Path, help="also write the result as JSON here")
    a = ap.parse_args()
    r = run(a.data, a.engine, company=a.company)
    report(r)
    if a.json:
        a.json.write_text(json.dumps(r, indent=1, default=str))


if __name__ == "__main__":
    main()
