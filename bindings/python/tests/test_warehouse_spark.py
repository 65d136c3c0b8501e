"""The warehouse path on Spark (OKPI_SPARK=1, `make test-spark`), one local session for the run (conftest):

- org-1k: the cells of okpi.sql run by DuckDB and by Spark SQL equal kpi_query's, undefined cells included, for
  queries over every metric kind and grain, unit / dim filters and group-bys;
- okpi.spark.alerts (cogroup.applyInArrow, state as a column) gives per series the events of
  alert_evaluate (alert::evaluate_series), also when the job stops in the middle and resumes from its states;
- okpi.spark.scores / scorecards (mapInArrow) give each organisation's kpi_score / scorecards;
- a KR linked to a metric reads the same current from the raw observations and from Spark SQL's daily cells."""

import datetime as dt
import json
import math
import os
import random
from typing import Any, Dict, List, Optional, Tuple

import duckdb
import pyarrow as pa
import pytest

import okpi
import okpi.arrow as oa
from sql_diff import METRICS, engine_cells, layout_rows, okpi_cells, queries, same

if os.environ.get("OKPI_SPARK") != "1":
    pytest.skip("Spark tests run with OKPI_SPARK=1 (make test-spark)", allow_module_level=True)

import okpi.spark as osp  # noqa: E402

START = dt.date(2025, 9, 1)


def org_1k(seed: int, observations: int) -> Dict[str, Any]:
    """1,000 units (co → 9 divisions → 90 departments → 900 teams) and generated observations of the five
    measures of sql_diff's metrics, with unit / channel / region dims sometimes missing and refunds that cancel."""
    rnd = random.Random(seed)
    units = [{"id": "co"}]
    units += [{"id": f"d{i}", "parent": "co"} for i in range(9)]
    units += [{"id": f"d{i}p{j}", "parent": f"d{i}"} for i in range(9) for j in range(10)]
    units += [{"id": f"d{i}p{j}t{k}", "parent": f"d{i}p{j}"} for i in range(9) for j in range(10) for k in range(10)]
    assert len(units) == 1000
    ids = [u["id"] for u in units]
    seen = set()
    obs: List[Dict[str, Any]] = []
    while len(obs) < observations:
        measure = rnd.choice(["orders", "visits", "revenue", "stock", "refunds"])
        day = START + dt.timedelta(days=rnd.randrange(600))
        dims: Dict[str, str] = {}
        if rnd.random() < 0.95:
            dims["unit"] = rnd.choice(ids[:100]) if rnd.random() < 0.3 else rnd.choice(ids)
        if rnd.random() < 0.8:
            dims["channel"] = rnd.choice(["app", "shop", "web"])
        if rnd.random() < 0.6:
            dims["region"] = rnd.choice(["n", "s"])
        key = (measure, day, tuple(sorted(dims.items())))
        if key in seen:
            continue
        seen.add(key)
        if measure == "refunds":
            value = rnd.choice([0.1, 0.2, -0.3, 0.0, 1.5])
        elif measure == "visits":
            value = float(rnd.choice([0, 0, 10, 25, 40]))
        else:
            value = rnd.choice([float(rnd.randint(-5, 60)), round(rnd.uniform(-3, 80), 1)])
        o: Dict[str, Any] = {"measure": measure, "date": day.isoformat(), "value": value}
        if dims:
            o["dims"] = dims
        obs.append(o)
    return {
        "schema_version": 1,
        "org_units": units,
        "measures": [{"id": m} for m in ["orders", "visits", "revenue", "stock", "refunds"]],
        "metrics": METRICS,
        "observations": obs,
    }


def org_queries(doc: Dict[str, Any], n: int) -> List[Dict[str, Any]]:
    """sql_diff's queries (every metric × grain first), their unit filters moved onto org-1k's units."""
    rnd = random.Random(17)
    ids = [u["id"] for u in doc["org_units"]]
    out = []
    for q in queries(seed=29, n=n):
        if q.get("filters", {}).get("unit") not in (None, "ghost"):
            q["filters"]["unit"] = rnd.choice(ids[:100] if rnd.random() < 0.7 else ids)
        out.append(q)
    return out


def kpi_cells(model: "okpi.Model", q: Dict[str, Any]) -> List[Any]:
    """kpi::query's cells on the built model (okpi.arrow.query: test_arrow checks it equals kpi_query's JSON,
    which would parse org-1k's document again for every query)."""
    dims = q.get("group_by", [])
    return [
        (str(r["period_start"]), str(r["period_end"]), tuple(r[d] for d in dims), r["value"], r["undefined"])
        for r in pa.table(oa.query(model, q)).to_pylist()
    ]


def test_org_1k_cells_from_duckdb_spark_and_kpi_query_are_identical(spark: Any) -> None:
    doc = org_1k(seed=41, observations=6000)
    model = okpi.Model(doc)
    text = json.dumps(doc)
    # One query through the JSON path too, so the two are tied here as well.
    first = org_queries(doc, 1)[0]
    assert same(kpi_cells(model, first), okpi_cells(text, first)) is None
    names, rows, closure = layout_rows(model)
    table = pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})
    closure_t = pa.table({"ancestor": [a for a, _ in closure], "unit": [u for _, u in closure]})
    assert closure_t.num_rows > 3000
    con = duckdb.connect()
    con.register("observations", table)
    con.register("org_closure", closure_t)
    spark.createDataFrame(table.to_pandas()).createOrReplaceTempView("observations")
    spark.createDataFrame(closure_t.to_pandas()).createOrReplaceTempView("org_closure")
    # DuckDB runs every query (every metric × grain and more); Spark, ~3 s a query on 2 loaded cores, at most
    # OKPI_WAREHOUSE_SPARK_QUERIES (default 14) chosen to reach every metric kind, grain, filter and group-by.
    n = int(os.environ.get("OKPI_WAREHOUSE_QUERIES", str(len(METRICS) * 6)))
    on_spark = int(os.environ.get("OKPI_WAREHOUSE_SPARK_QUERIES", "14"))
    kinds, grains, undefined, grouped = set(), set(), 0, 0
    shapes: set = set()
    spark_picks = 0
    for q in org_queries(doc, n):
        want = kpi_cells(model, q)
        duck = engine_cells(con.execute(okpi.sql(model, q, dialect="duckdb")).fetchall(), q)
        assert same(duck, want) is None, f"duckdb {json.dumps(q)}: {same(duck, want)}"
        undefined += sum(1 for c in want if c[3] is None)
        grouped += bool(q.get("group_by"))
        # Spark runs a query that brings a metric kind, grain, filter or group-by not yet run there.
        kind = next(m["kind"] for m in METRICS if m["id"] == q["metric"])
        shape = (tuple(q.get("filters", {})), tuple(q.get("group_by", [])))
        if spark_picks >= on_spark or (kind in kinds and q["grain"] in grains and shape in shapes):
            continue
        spark_picks += 1
        shapes.add(shape)
        sp = engine_cells([tuple(r) for r in spark.sql(okpi.sql(model, q, dialect="spark")).collect()], q)
        assert same(sp, want) is None, f"spark {json.dumps(q)}: {same(sp, want)}"
        kinds.add(next(m["kind"] for m in METRICS if m["id"] == q["metric"]))
        grains.add(q["grain"])
    assert kinds == {"simple", "ratio", "derived", "cumulative"}
    assert grains == {"day", "week", "month", "quarter", "year"}
    assert undefined > 20 and grouped > 20, (undefined, grouped)
    assert {f for f, _ in shapes} >= {(), ("unit",), ("channel",)} and len(shapes) >= 6, shapes


RULES = [
    {"id": "hot", "metric": "m", "scope": "x", "grain": "day", "condition": "above",
     "warning": {"value": 60, "recovery": 55}, "critical": {"value": 80, "recovery": 70}, "for": 1,
     "keep_firing_for": 1, "no_data": "no_data"},
    {"id": "drop", "metric": "m", "scope": "x", "grain": "day", "condition": {"change_pct": {"offset": 1}},
     "direction": "higher_is_better", "critical": {"value": 30}},
    {"id": "odd", "metric": "m", "scope": "x", "grain": "day", "condition": {"anomaly": {"window": 7}},
     "critical": {"value": 3}},
]


def alert_series(seed: int, scopes: int, days: int) -> List[Tuple[str, str, dt.date, Optional[float]]]:
    rnd = random.Random(seed)
    rows = []
    for r in RULES:
        for s in range(scopes):
            level = rnd.uniform(30, 70)
            for d in range(days):
                v: Optional[float] = level + 25 * math.sin(d / rnd.uniform(2, 6)) + rnd.gauss(0, 5)
                if rnd.random() < 0.05:
                    v = None
                rows.append((r["id"], f"u{s}", START + dt.timedelta(days=d), v))
    return rows


def per_series_events(rows: List[Tuple[str, str, dt.date, Optional[float]]]) -> Dict[Tuple[str, str], Any]:
    series: Dict[Tuple[str, str], List[Dict[str, Any]]] = {}
    for rule, scope, day, v in rows:
        series.setdefault((rule, scope), []).append({"date": day, "value": v})
    out = {}
    for (rule, scope), points in series.items():
        r = dict(next(x for x in RULES if x["id"] == rule), scope=scope)
        out[(rule, scope)] = okpi.alert_evaluate(r, points)
    return out


def spark_events(df: Any) -> Dict[Tuple[str, str], List[Tuple[Any, ...]]]:
    out: Dict[Tuple[str, str], List[Tuple[Any, ...]]] = {}
    for r in osp.events(df).orderBy("rule", "scope", "date").collect():
        out.setdefault((r["rule"], r["scope"]), []).append(
            (r["type"], r["date"], r["severity"], r["measure"], r["explanation"])
        )
    return out


def want_events(result: Any) -> List[Tuple[Any, ...]]:
    return [(e["type"], e["date"], e["severity"], e["measure"], e["explanation"]) for e in result["events"]]


def test_spark_alerts_equal_evaluate_series_with_a_resume(spark: Any) -> None:
    # Validate the rules first: the job refuses a rule okpi refuses.
    for r in RULES:
        okpi.alert_evaluate(r, [])
    rows = alert_series(seed=3, scopes=20, days=60)
    want = per_series_events(rows)
    assert sum(len(w["events"]) for w in want.values()) > 100
    schema = "rule string, scope string, date date, value double"
    whole = osp.alerts(spark.createDataFrame(rows, schema), RULES).cache()
    got = spark_events(whole)
    for key, w in want.items():
        assert got.get(key, []) == want_events(w), key
    # Day 1–25, stop, then day 26–60 from the stored states: the same events and the same final state.
    cut = START + dt.timedelta(days=25)
    first = osp.alerts(spark.createDataFrame([r for r in rows if r[2] < cut], schema), RULES).cache()
    stored = spark.createDataFrame(osp.states(first).collect(), "rule string, scope string, state string")
    second = osp.alerts(spark.createDataFrame([r for r in rows if r[2] >= cut], schema), RULES, stored).cache()
    resumed = spark_events(first)
    for key, evs in spark_events(second).items():
        resumed.setdefault(key, []).extend(evs)
    assert resumed == got
    final = {(r["rule"], r["scope"]): json.loads(r["state"]) for r in osp.states(second).collect()}
    for key, w in want.items():
        assert final[key] == json.loads(json.dumps(w["state"], default=str)), key


def test_a_series_without_new_points_keeps_its_state(spark: Any) -> None:
    rows = alert_series(seed=4, scopes=2, days=10)
    schema = "rule string, scope string, date date, value double"
    first = osp.alerts(spark.createDataFrame(rows, schema), RULES).cache()
    stored = spark.createDataFrame(osp.states(first).collect(), "rule string, scope string, state string")
    only_hot = [r for r in rows if r[0] == "hot"][:0] + [("hot", "u0", START + dt.timedelta(days=10), 99.0)]
    second = osp.alerts(spark.createDataFrame(only_hot, schema), RULES, stored)
    before = {(r["rule"], r["scope"]): r["state"] for r in osp.states(first).collect()}
    after = {(r["rule"], r["scope"]): r["state"] for r in osp.states(second).collect()}
    assert set(after) == set(before) and len(after) == 6
    assert all(after[k] == before[k] for k in after if k != ("hot", "u0"))
    assert after[("hot", "u0")] != before[("hot", "u0")]


def group_document(org: int) -> Dict[str, Any]:
    """One company of a group: the demo's shape, small — units, a measure, targets and scorecards."""
    rnd = random.Random(org)
    units = [{"id": "hq"}] + [{"id": f"s{i}", "parent": "hq"} for i in range(4)]
    obs = [
        {"measure": "sales", "date": (dt.date(2026, 1, 1) + dt.timedelta(days=d)).isoformat(),
         "value": float(rnd.randint(0, 20)), "dims": {"unit": f"s{i}"}}
        for i in range(4) for d in range(0, 80, 3) if rnd.random() < 0.8 or i != 3
    ]
    if org % 3 == 0:
        obs = [o for o in obs if o["dims"]["unit"] != "s3"]  # no data: an undefined score, never 0
    return {
        "schema_version": 1,
        "cycles": [{"id": "Q1", "start": "2026-01-01", "end": "2026-03-31"}],
        "org_units": units,
        "measures": [{"id": "sales"}],
        "metrics": [{"id": "sales_sum", "kind": "simple", "measure": "sales"},
                    {"id": "sales_avg", "kind": "simple", "measure": "sales", "agg": "avg"}],
        "observations": obs,
        "targets": [{"id": f"t.{u}.{m}", "metric": m, "scope": {"unit": u}, "cycle": "Q1",
                     "target": 200.0 if m == "sales_sum" else 10.0 + org % 4}
                    for u in ["s0", "s1", "s2", "s3"] for m in ["sales_sum", "sales_avg"]],
        "scorecards": [{"id": f"sc.{u}", "subject": {"unit": u},
                        "items": [{"target": f"t.{u}.sales_sum", "weight": 60},
                                  {"target": f"t.{u}.sales_avg", "weight": 40}]}
                       for u in ["s0", "s1", "s2", "s3"]],
    }


def test_scores_and_scorecards_for_many_organisations(spark: Any) -> None:
    docs = {f"org{i}": group_document(i) for i in range(12)}
    df = spark.createDataFrame([(k, json.dumps(v)) for k, v in docs.items()], "org string, document string")
    df = df.repartition(3)
    as_of = dt.date(2026, 3, 10)
    got = osp.scores(df, as_of).collect()
    assert len(got) == 12 * 8
    by = {(r["org"], r["id"]): r for r in got}
    undefined = 0
    for org, doc in docs.items():
        for t in okpi.kpi_score(json.dumps(doc), as_of)["targets"]:
            r = by[(org, t["id"])]
            for f in ("actual", "achievement", "score"):
                assert (r[f] is None) == (t.get(f) is None) and (r[f] is None or math.isclose(r[f], t[f])), (org, f)
            undefined += r["score"] is None
    assert undefined > 0
    cards = {(r["org"], r["id"]): r for r in osp.scorecards(df, as_of).collect()}
    for org, doc in docs.items():
        for c in okpi.scorecards(json.dumps(doc), {"as_of": as_of})["scorecards"]:
            r = cards[(org, c["id"])]
            assert (r["total"] is None) == (c.get("total") is None), (org, c["id"])
            assert r["total"] is None or math.isclose(r["total"], c["total"])
            assert r["grade"] == c.get("grade") and r["rank"] == c.get("rank")


def test_kr_link_reads_the_same_current_from_spark_sql_cells(spark: Any) -> None:
    doc = group_document(1)
    doc["objectives"] = [{"id": "o", "cycle": "Q1", "owner": {"unit": "hq"}, "title": "Sell"}]
    doc["key_results"] = [{"id": "kr", "objective": "o", "title": "Sales", "kind": "increase", "start": 0,
                           "target": 1000, "link": {"metric": "sales_sum", "scope": {"unit": "hq"}}}]
    raw = okpi.Model(doc)
    as_of = dt.date(2026, 3, 10)
    want = raw.evaluate(as_of)["key_results"][0]
    assert want["current"] and want["current"] > 100
    # The warehouse computes the daily sales per unit with okpi's own SQL; okpi reads the cells as observations.
    names, rows, closure = layout_rows(raw)
    spark.createDataFrame(rows, ", ".join(f"{n} {'date' if n == 'date' else 'double' if n == 'value' else 'string'}"
                                          for n in names)).createOrReplaceTempView("observations")
    spark.createDataFrame(closure, "ancestor string, unit string").createOrReplaceTempView("org_closure")
    q = {"metric": "sales_sum", "grain": "day", "from": "2026-01-01", "to": "2026-03-31", "group_by": ["unit"]}
    cells = spark.sql(okpi.sql(raw, q, dialect="spark"))
    feed = osp.link_observations(cells, "sales", ["unit"]).toArrow()
    assert feed.num_rows > 50
    fed = oa.with_data(okpi.Model(dict(doc, observations=[])), feed)
    got = fed.evaluate(as_of)["key_results"][0]
    assert math.isclose(got["current"], want["current"]) and got["progress"] == want["progress"]
