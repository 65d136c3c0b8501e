"""The warehouse benchmarks of benches/README.md ("Warehouse"). Each step runs as its own process under
`/usr/bin/time -v` for its peak memory:

    python examples/warehouse/bench.py duckdb   --data DIR            # okpi's SQL over the Parquet, by DuckDB
    python examples/warehouse/bench.py spark    --data DIR            # the same on Spark local[2]
    python examples/warehouse/bench.py document --data DIR --rows N   # the first N events through a document
    python examples/warehouse/bench.py arrow    --data DIR --rows N   # the same through Arrow into okpi's store
    python examples/warehouse/bench.py alerts   --series S --days D   # okpi.spark.alerts (applyInArrow)

Every step computes the same thing where it can: revenue per team per month for the half year (`okpi.sql` /
`kpi::query` with `group_by: ["unit"]`) and the company's monthly conversion.
"""

import argparse
import datetime as dt
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import pyarrow as pa

import okpi
import okpi.arrow as oa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import warehouse  # noqa: E402

QUERIES = [
    {"metric": "revenue", "grain": "month", "from": "2026-01-01", "to": "2026-06-30", "group_by": ["unit"]},
    {"metric": "conversion", "grain": "month", "from": "2026-01-01", "to": "2026-06-30"},
]


def sql_engine(engine: "warehouse.Engine", model: "okpi.Model") -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for i, q in enumerate(QUERIES):
        t0 = time.perf_counter()
        t = engine.sql(okpi.sql(model, q, dialect=engine.dialect))
        out[f"q{i}_seconds"] = round(time.perf_counter() - t0, 2)
        out[f"q{i}_cells"] = t.num_rows
    t0 = time.perf_counter()
    warehouse.aggregate(engine, model)
    out["aggregate_seconds"] = round(time.perf_counter() - t0, 2)
    return out


def events(data: Path, rows: int) -> pa.Table:
    """The first `rows` events, summed by (date, measure, unit, person, channel): a document holds one observation
    per measure, day and dims."""
    import duckdb

    return duckdb.sql(
        f"SELECT date, measure, sum(value) AS value, unit, person, channel FROM "
        f"(SELECT * FROM read_parquet('{data / 'events.parquet'}') LIMIT {rows}) GROUP BY ALL"
    ).to_arrow_table()


def in_okpi(model: "okpi.Model", load: Any) -> Dict[str, Any]:
    t0 = time.perf_counter()
    fed = load()
    out: Dict[str, Any] = {"load_seconds": round(time.perf_counter() - t0, 2)}
    for i, q in enumerate(QUERIES):
        t0 = time.perf_counter()
        t = oa.query(fed, q)
        out[f"q{i}_seconds"] = round(time.perf_counter() - t0, 2)
        out[f"q{i}_cells"] = t.num_rows
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=["duckdb", "spark", "document", "arrow", "alerts"])
    ap.add_argument("--data", type=Path)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--series", type=int, default=10_000)
    ap.add_argument("--days", type=int, default=181)
    a = ap.parse_args()
    out: Dict[str, Any] = {"step": a.step}
    if a.step in ("duckdb", "spark", "document", "arrow"):
        doc = json.loads((a.data / "company.json").read_text())
        model = okpi.Model(doc)
    if a.step == "duckdb":
        out.update(sql_engine(warehouse.DuckDB(a.data, model), model))
    elif a.step == "spark":
        out.update(sql_engine(warehouse.Spark(a.data, model), model))
    elif a.step in ("document", "arrow"):
        t = events(a.data, a.rows)
        out["observations"] = t.num_rows
        if a.step == "document":
            def load() -> "okpi.Model":
                obs = [{"measure": r["measure"], "date": r["date"].isoformat(), "value": r["value"],
                        "dims": {"unit": r["unit"], "person": r["person"], "channel": r["channel"]}}
                       for r in t.to_pylist()]
                return okpi.Model(json.dumps(dict(doc, observations=obs)))
        else:
            def load() -> "okpi.Model":
                return oa.with_data(model, t)
        out.update(in_okpi(model, load))
    else:
        from pyspark.sql import SparkSession

        import okpi.spark as osp

        import os

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run okpi: this interpreter has it
        spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
                 .config("spark.ui.showConsoleProgress", "false")
                 .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                 .config("spark.sql.shuffle.partitions", "4").getOrCreate())
        rnd = random.Random(1)
        start = dt.date(2026, 1, 1)
        days = [start + dt.timedelta(days=d) for d in range(a.days)]
        cols: Dict[str, List[Any]] = {"rule": [], "scope": [], "date": [], "value": []}
        for s in range(a.series):
            level = rnd.uniform(0.08, 0.2)
            for d, day in enumerate(days):
                cols["rule"].append(warehouse.RULE["id"])
                cols["scope"].append(f"s{s}")
                cols["date"].append(day)
                cols["value"].append(level + 0.03 * math.sin(d / 5 + s))
        df = spark.createDataFrame(pa.table(cols).to_pandas()).repartition(4).cache()
        df.count()
        t0 = time.perf_counter()
        result = osp.alerts(df, [warehouse.RULE]).cache()
        n_events = osp.events(result).count()
        secs = time.perf_counter() - t0
        points = a.series * a.days
        out.update({"series": a.series, "points": points, "events": n_events, "seconds": round(secs, 2),
                    "points_per_second": round(points / secs), "series_per_second": round(a.series / secs)})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
