"""okpi.sql: the SQL okpi compiles for a metric query, run by DuckDB over the warehouse layout, gives exactly the
cells of okpi.kpi_query (values within 1e-9, undefined cells with the same reason). OKPI_SQL_QUERIES sets how many
random queries run (default 300)."""

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, Dict, List

import duckdb
import pytest

import okpi
from sql_diff import DIMS, doc_text, document, engine_cells, layout_rows, okpi_cells, queries, same

ROOT = Path(__file__).resolve().parents[3]


def load(con: Any, model: "okpi.Model") -> None:
    names, rows, closure = layout_rows(model)
    dims = [n for n in names if n not in ("date", "measure", "value", "source")]
    con.execute("DROP TABLE IF EXISTS observations")
    con.execute("DROP TABLE IF EXISTS org_closure")
    extra = "".join(f', "{d}" VARCHAR' for d in dims)
    con.execute(f"CREATE TABLE observations(date DATE, measure VARCHAR, value DOUBLE, source VARCHAR{extra})")
    if rows:
        con.executemany(f"INSERT INTO observations VALUES ({', '.join('?' * len(names))})", rows)
    con.execute("CREATE TABLE org_closure(ancestor VARCHAR, unit VARCHAR)")
    if closure:
        con.executemany("INSERT INTO org_closure VALUES (?, ?)", closure)


@pytest.fixture(scope="module")
def company() -> Any:
    doc = document(seed=7)
    model = okpi.Model(doc)
    con = duckdb.connect()
    load(con, model)
    return doc_text(doc), model, con


def test_duckdb_cells_equal_kpi_query(company: Any) -> None:
    text, model, con = company
    n = int(os.environ.get("OKPI_SQL_QUERIES", "300"))
    undefined = defined = 0
    for q in queries(seed=11, n=n):
        want = okpi_cells(text, q)
        got = engine_cells(con.execute(okpi.sql(model, q)).fetchall(), q)
        diff = same(got, want)
        assert diff is None, f"{json.dumps(q)}: {diff}"
        undefined += sum(1 for c in want if c[3] is None)
        defined += sum(1 for c in want if c[3] is not None)
    # The generated data reaches both kinds of cell, so the comparison covers undefined reasons too.
    assert undefined > 50 and defined > 500, (undefined, defined)


def test_every_reason_kind_is_compared(company: Any) -> None:
    text, model, con = company
    reasons = set()
    for q in queries(seed=11, n=200):
        for c in okpi_cells(text, q):
            if c[4]:
                reasons.add(c[4].split(" ")[0])
    # "no observations …", "denominator … is 0", "division by zero …"
    assert {"no", "denominator", "division"} <= reasons, reasons


def test_golden_sql_runs_and_equals_kpi_query() -> None:
    cases = json.loads((ROOT / "tests/golden/sql/cases.json").read_text())
    model = okpi.Model(cases["document"])
    con = duckdb.connect()
    load(con, model)
    text = json.dumps(cases["document"])
    for case in cases["cases"]:
        sql = (ROOT / f"tests/golden/sql/{case['name']}.duckdb.sql").read_text()
        assert sql == okpi.sql(model, case["query"])
        got = engine_cells(con.execute(sql).fetchall(), case["query"])
        assert same(got, okpi_cells(text, case["query"])) is None, case["name"]


def test_org_closure_and_observation_table() -> None:
    doc = {
        "schema_version": 1,
        "org_units": [{"id": "co"}, {"id": "a", "parent": "co"}, {"id": "b", "parent": "a"}],
        "measures": [{"id": "x"}],
        "observations": [
            {"measure": "x", "date": "2026-01-02", "value": 1.5, "dims": {"unit": "b", "channel": "web"}},
            {"measure": "x", "date": "2026-01-01", "value": -2, "source": "crm"},
        ],
    }
    assert okpi.org_closure(doc) == [("a", "a"), ("a", "b"), ("b", "b"), ("co", "a"), ("co", "b"), ("co", "co")]
    t = okpi.observation_table(okpi.Model(doc))
    assert t == {
        "date": [dt.date(2026, 1, 1), dt.date(2026, 1, 2)],
        "measure": ["x", "x"],
        "value": [-2.0, 1.5],
        "source": ["crm", None],
        "channel": [None, "web"],
        "unit": [None, "b"],
    }


def test_sql_refusals_are_okpi_errors() -> None:
    doc: Dict[str, Any] = {"schema_version": 1, "measures": [{"id": "x"}],
                           "metrics": [{"id": "s", "kind": "simple", "measure": "x"}]}
    q = {"metric": "s", "from": "2026-01-01", "to": "2026-01-31"}
    assert "FROM observations" in okpi.sql(doc, q)
    assert "`measure`" in okpi.sql(doc, q, dialect="spark")
    with pytest.raises(okpi.ValidationError) as e:
        okpi.sql(doc, q, dialect="oracle")
    assert "$.dialect" in str(e.value)
    with pytest.raises(okpi.ValidationError) as e:
        okpi.sql(doc, {**q, "metric": "nope"})
    assert "$.query.metric" in str(e.value)
    with pytest.raises(okpi.ValidationError):
        okpi.sql(doc, {**q, "group_by": ["date"]})


def test_dims_are_the_generated_ones() -> None:
    names, _, _ = layout_rows(okpi.Model(document(seed=1, observations=50)))
    assert sorted(n for n in names if n in DIMS) == sorted(DIMS)


def test_overflow_and_zero_sums_agree() -> None:
    """A product past the largest double is undefined (overflow) in both; a sum of huge values that cancels is 0."""
    doc: Dict[str, Any] = {
        "schema_version": 1,
        "measures": [{"id": "big"}, {"id": "dust"}],
        "metrics": [
            {"id": "big_sum", "kind": "simple", "measure": "big"},
            {"id": "dust_sum", "kind": "simple", "measure": "dust"},
            {"id": "times", "kind": "derived", "expression": "big_sum * 10"},
            {"id": "per_dust", "kind": "ratio", "numerator": "big_sum", "denominator": "dust_sum"},
        ],
        "observations": [
            {"measure": "big", "date": "2026-01-01", "value": 1e308},
            {"measure": "big", "date": "2026-02-01", "value": 1e308},
            {"measure": "big", "date": "2026-02-02", "value": -1e308},
            {"measure": "dust", "date": "2026-01-01", "value": 0.1},
            {"measure": "dust", "date": "2026-01-02", "value": 0.2},
            {"measure": "dust", "date": "2026-01-03", "value": -0.3},
            {"measure": "dust", "date": "2026-02-01", "value": 1e-300},
        ],
    }
    model = okpi.Model(doc)
    con = duckdb.connect()
    load(con, model)
    text = json.dumps(doc)
    reasons: List[str] = []
    for metric in ["big_sum", "dust_sum", "times", "per_dust"]:
        q = {"metric": metric, "grain": "month", "from": "2026-01-01", "to": "2026-02-28"}
        want = okpi_cells(text, q)
        assert same(engine_cells(con.execute(okpi.sql(model, q)).fetchall(), q), want) is None, metric
        reasons += [c[4] for c in want if c[4]]
    assert any("overflows" in r for r in reasons) and any("denominator" in r for r in reasons), reasons


def test_metrics_nested_too_deeply_agree() -> None:
    """A chain of 69 ratios reads metrics deeper than the catalog evaluates (64): undefined, same reason, in SQL."""
    metrics: List[Dict[str, Any]] = [{"id": "m0", "kind": "simple", "measure": "x"}]
    for i in range(1, 70):
        metrics.append({"id": f"m{i}", "kind": "ratio", "numerator": f"m{i - 1}", "denominator": "m0"})
    doc = {"schema_version": 1, "measures": [{"id": "x"}], "metrics": metrics,
           "observations": [{"measure": "x", "date": "2026-01-05", "value": 2}]}
    model = okpi.Model(doc)
    con = duckdb.connect()
    load(con, model)
    for metric in ["m60", "m69"]:
        q = {"metric": metric, "grain": "month", "from": "2026-01-01", "to": "2026-02-28"}
        want = okpi_cells(json.dumps(doc), q)
        assert same(engine_cells(con.execute(okpi.sql(model, q)).fetchall(), q), want) is None, metric
    assert "nests too deeply" in str(want[0][4])
