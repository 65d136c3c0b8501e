"""okpi.arrow: Arrow tables in (pyarrow, polars, pandas, DuckDB, a record batch) give the model the JSON path gives,
and the results out (cells, evaluation, scores, alert events) hold the JSON path's numbers, read back by pyarrow,
polars and DuckDB through ``__arrow_c_stream__``."""

import csv
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any, Dict, List, Optional

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import okpi
import okpi.arrow as oa
from sql_diff import document, okpi_cells, queries, same

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "examples" / "data" / "demo"


def obs_table(observations: List[Dict[str, Any]]) -> pa.Table:
    """The JSON observations as an Arrow table in the observations layout (dims as columns, null where absent)."""
    dims = sorted({d for o in observations for d in o.get("dims", {})})
    cols: Dict[str, List[Any]] = {
        "measure": [o["measure"] for o in observations],
        "date": [dt.date.fromisoformat(o["date"]) for o in observations],
        "value": [float(o["value"]) for o in observations],
        "source": [o.get("source") for o in observations],
    }
    for d in dims:
        cols[d] = [o.get("dims", {}).get(d) for o in observations]
    return pa.table(cols)


@pytest.fixture(scope="module")
def generated() -> Any:
    doc = document(seed=5)
    bare = dict(doc, observations=[])
    return doc, okpi.Model(bare), obs_table(doc["observations"])


def cells_of(table: Any, q: Dict[str, Any]) -> List[Any]:
    rows = pa.table(table).to_pylist()
    dims = q.get("group_by", [])
    return [
        (str(r["period_start"]), str(r["period_end"]), tuple(r[d] for d in dims), r["value"], r["undefined"])
        for r in rows
    ]


def test_every_producer_gives_the_json_models_observations(generated: Any) -> None:
    doc, bare, table = generated
    want = okpi.observation_table(okpi.Model(doc))
    table_ = table  # noqa: F841 (DuckDB reads the local by name)
    producers = {
        "pyarrow": table,
        "record batch": table.combine_chunks().to_batches()[0],
        "reader": pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=100)),
        "polars": pl.from_arrow(table),
        "pandas": table.to_pandas(),
        "duckdb": duckdb.sql("SELECT * FROM table_"),
        "dictionary": table.set_column(0, "measure", table["measure"].dictionary_encode()),
        "timestamps": table.set_column(1, "date", table["date"].cast(pa.timestamp("us"))),
        "text dates": table.set_column(1, "date", table["date"].cast(pa.string())),
        "large strings": table.cast(
            pa.schema([pa.field(f.name, pa.large_string() if f.type == pa.string() else f.type) for f in table.schema])
        ),
    }
    assert len(table) == len(doc["observations"]) == 900
    for name, data in producers.items():
        got = okpi.observation_table(oa.with_data(bare, data))
        assert got == want, name


def test_decimal_values_read_as_their_json_number() -> None:
    doc = {"schema_version": 1, "measures": [{"id": "x"}], "metrics": [{"id": "s", "kind": "simple", "measure": "x"}]}
    t = duckdb.sql("SELECT 'x' AS measure, DATE '2026-01-02' AS date, 0.1::DECIMAL(9, 3) AS value").to_arrow_table()
    assert pa.types.is_decimal(t.schema.field("value").type)
    got = okpi.observation_table(oa.with_data(okpi.Model(doc), t))
    assert got["value"] == [0.1]  # the double nearest 0.1, as JSON's 0.1


def test_cells_equal_the_json_query(generated: Any) -> None:
    doc, bare, table = generated
    model = oa.with_data(bare, table)
    text = json.dumps(doc)
    undefined = 0
    for q in queries(seed=3, n=60):
        want = okpi_cells(text, q)
        got = cells_of(oa.query(model, q), q)
        assert same(got, want) is None, (q, same(got, want))
        undefined += sum(1 for c in want if c[3] is None)
    assert undefined > 10


def test_results_read_back_by_polars_and_duckdb(generated: Any) -> None:
    _, bare, table = generated
    model = oa.with_data(bare, table)
    q = {"metric": "conv", "grain": "month", "from": "2025-09-01", "to": "2026-12-31", "group_by": ["channel"]}
    result = oa.query(model, q)
    arrow = pa.table(result)
    assert pl.DataFrame(result).to_arrow().to_pylist() == arrow.to_pylist()
    assert duckdb.sql("SELECT count(*), count(value) FROM result").fetchall()[0] == (
        len(arrow),
        len(arrow) - arrow["value"].null_count,
    )
    assert arrow.schema.field("period_start").type == pa.date32()
    assert result.num_rows == len(arrow) and "channel" in result.column_names


def demo() -> Any:
    """The demo company: the JSON model from the CSV rows read by Python's csv module, and the model from the same
    CSV files read by DuckDB into Arrow."""
    doc = json.loads((DEMO / "company.json").read_text())
    for k in ("csv", "profiles", "metric_names"):
        doc.pop(k, None)
    bare = okpi.Model(doc)
    observations = []
    with open(DEMO / "observations.csv", newline="") as f:
        for r in csv.DictReader(f):
            dims = {k[5:]: v for k, v in r.items() if k.startswith("dims.") and v}
            o: Dict[str, Any] = {"measure": r["measure"], "date": r["date"], "value": float(r["value"])}
            if dims:
                o["dims"] = dims
            observations.append(o)
    check_ins = []
    with open(DEMO / "check_ins.csv", newline="") as f:
        for r in csv.DictReader(f):
            c: Dict[str, Any] = {"key_result": r["key_result"], "date": r["date"]}
            for k in ("value", "confidence"):
                if r.get(k):
                    c[k] = float(r[k])
            check_ins.append(c)
    json_model = okpi.Model(dict(doc, observations=observations, check_ins=check_ins))
    con = duckdb.connect()
    obs = con.sql(f"SELECT * FROM read_csv('{DEMO / 'observations.csv'}', all_varchar = false)")
    cis = con.sql(f"SELECT * FROM read_csv('{DEMO / 'check_ins.csv'}')")
    return json_model, oa.with_data(bare, obs, cis)


def close(a: Optional[float], b: Optional[float]) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def test_demo_evaluation_and_scores_equal_the_json_path() -> None:
    json_model, arrow_model = demo()
    assert arrow_model.to_json() == json_model.to_json()
    as_of = dt.date(2026, 2, 20)
    ev = json_model.evaluate(as_of)
    krs, objectives = oa.evaluate(arrow_model, as_of)
    rows = pa.table(krs).to_pylist()
    assert [r["id"] for r in rows] == [k["id"] for k in ev["key_results"]]
    for r, k in zip(rows, ev["key_results"]):
        for field in ("current", "progress", "expected", "score", "weight", "confidence"):
            assert close(r[field], k[field]), (k["id"], field)
        assert r["status"] == k["status"] and r["kind"] == k["kind"]
        assert r["linked_metric"] == (k.get("link") or {}).get("metric")
    for r, o in zip(pa.table(objectives).to_pylist(), ev["objectives"]):
        assert (r["id"], r["status"], r["score_final"]) == (o["id"], o["status"], o["score_final"])
        assert close(r["progress"], o["progress"]) and close(r["score"], o["score"])
    scores = pa.table(oa.scores(arrow_model, as_of)).to_pylist()
    want = okpi.kpi_score(json_model.to_json(), as_of)["targets"]
    assert len(scores) == len(want) == 19
    for r, t in zip(scores, want):
        assert r["id"] == t["id"] and r["scope"] == next(iter(t["scope"].values()))
        for field in ("actual", "achievement", "score", "target", "threshold", "stretch"):
            assert close(r[field], t.get(field)), (t["id"], field)


RULE = {
    "id": "slow",
    "metric": "frt",
    "scope": "service",
    "grain": "day",
    "condition": "above",
    "warning": {"value": 45, "recovery": 40},
    "critical": {"value": 60, "recovery": 50},
    "for": 1,
    "no_data": "no_data",
}


def test_alert_events_equal_the_json_path_and_resume() -> None:
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(40)]
    values: List[Optional[float]] = [30 + 35 * math.sin(i / 4) if i % 9 else None for i in range(40)]
    series = pa.table({"date": days, "value": values})
    events, state = oa.alert(RULE, series)
    want = okpi.alert_evaluate(RULE, [{"date": d, "value": v} for d, v in zip(days, values)])
    got = pa.table(events).to_pylist()
    assert len(got) == len(want["events"]) > 4
    for g, w in zip(got, want["events"]):
        assert (g["type"], g["date"], g["severity"], g["explanation"]) == (
            w["type"], w["date"], w["severity"], w["explanation"]
        )
        assert close(g["measure"], w["measure"]) and close(g["threshold"], w["threshold"])
    assert state == json.loads(json.dumps(want["state"], default=str))
    first, mid = oa.alert(RULE, series.slice(0, 17))
    second, end = oa.alert(RULE, series.slice(17), mid)
    assert pa.concat_tables([pa.table(first), pa.table(second)]).to_pylist() == got
    assert end == state


def test_bad_rows_are_refused_with_their_path() -> None:
    bare = okpi.Model({"schema_version": 1, "measures": [{"id": "x"}]})
    day = [dt.date(2026, 1, 1), dt.date(2026, 1, 2)]
    with pytest.raises(okpi.ValidationError, match=r"\$\.observations\[1\]\.value.*never read as 0"):
        oa.with_data(bare, pa.table({"measure": ["x", "x"], "date": day, "value": [1.0, None]}))
    with pytest.raises(okpi.ValidationError, match=r"E_NOT_FINITE at \$\.observations\[0\]\.value"):
        oa.with_data(bare, pa.table({"measure": ["x"], "date": day[:1], "value": [float("nan")]}))
    with pytest.raises(okpi.ValidationError, match=r"has no value column"):
        oa.with_data(bare, pa.table({"measure": ["x"], "date": day[:1]}))
    with pytest.raises(okpi.ParseError, match=r"\$\.observations\[0\]\.value.*not a number"):
        oa.with_data(bare, pa.table({"measure": ["x"], "date": day[:1], "value": ["1"]}))
    with pytest.raises(okpi.ParseError, match=r"observations\[0\]\.date.*time zone"):
        ts = pa.array([dt.datetime(2026, 1, 1)], pa.timestamp("s", tz="Asia/Shanghai"))
        oa.with_data(bare, pa.table({"measure": ["x"], "date": ts, "value": [1.0]}))
    with pytest.raises(okpi.ParseError, match=r"not a YYYY-MM-DD date"):
        oa.with_data(bare, pa.table({"measure": ["x"], "date": ["2026-1-1"], "value": [1.0]}))
    with pytest.raises(okpi.ValidationError, match=r"E_UNKNOWN_ID"):
        oa.with_data(bare, pa.table({"measure": ["nope"], "date": day[:1], "value": [1.0]}))
    with pytest.raises(TypeError, match=r"__arrow_c_stream__"):
        oa.with_data(bare, [{"measure": "x"}])


def test_data_added_to_a_loaded_model_keeps_what_load_read() -> None:
    loaded = okpi.load(DEMO / "company.json")
    assert loaded.metric_names and loaded.profiles
    extra = pa.table(
        {"measure": ["tickets"], "date": [dt.date(2026, 2, 1)], "value": [1.0], "dims.unit": ["service"]}
    )
    more = oa.with_data(loaded, extra)
    assert len(json.loads(more.to_json())["observations"]) == len(json.loads(loaded.to_json())["observations"]) + 1
    assert more.metric_names == loaded.metric_names
    assert more.profiles == loaded.profiles
