"""examples/warehouse at a small size (OKPI_WAREHOUSE_EVENTS, default 200,000 events): the DuckDB job's numbers are
the raw events' (revenue, the orders KR's current, conversion per team-day), and with OKPI_SPARK=1 the Spark job
(local mode, okpi.spark.alerts) reports exactly what the DuckDB job reports."""

import io
import math
import os
import sys
from pathlib import Path
from typing import Any, Dict

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "examples" / "warehouse"))

import generate  # noqa: E402
import warehouse  # noqa: E402

EVENTS = int(os.environ.get("OKPI_WAREHOUSE_EVENTS", "200000"))


@pytest.fixture(scope="module")
def data(tmp_path_factory: Any) -> Path:
    out: Path = tmp_path_factory.mktemp("warehouse")
    generate.generate(out, EVENTS)
    return out


@pytest.fixture(scope="module")
def duck(data: Path) -> Dict[str, Any]:
    return warehouse.run(data, "duckdb")


def test_the_duckdb_job_reports_the_raw_events_numbers(data: Path, duck: Dict[str, Any]) -> None:
    raw = duckdb.sql(f"SELECT * FROM read_parquet('{data / 'events.parquet'}')")
    assert raw.count("*").fetchall()[0][0] == EVENTS
    revenue = duckdb.sql("SELECT sum(value) FROM raw WHERE measure = 'revenue'").fetchall()[0][0]
    assert math.isclose(duck["revenue"], revenue, rel_tol=1e-12)
    orders_q2 = duckdb.sql(
        "SELECT count(*) FROM raw WHERE measure = 'orders' AND date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"
    ).fetchall()[0][0]
    kr = dict((k, c) for k, c, _, _ in duck["key_results"])
    assert kr["grow.orders"] == orders_q2
    # One conversion cell per team and day; a team-day without visits is undefined (never 0).
    assert duck["conversion_days"] == 500 * 181
    no_visits = duckdb.sql(
        "SELECT 500 * 181 - count(DISTINCT (unit, date)) FROM raw WHERE measure = 'visits'"
    ).fetchall()[0][0]
    assert duck["conversion_undefined"] == no_visits
    assert duck["targets_scored"] == 100 and len(duck["scorecards"]) == 50
    assert sum(duck["alert_events"].values()) > 0
    out = io.StringIO()
    warehouse.report(duck, out)
    assert out.getvalue().startswith("== warehouse job (duckdb)")


@pytest.mark.skipif(os.environ.get("OKPI_SPARK") != "1", reason="Spark runs with OKPI_SPARK=1 (make test-spark)")
def test_the_spark_job_reports_what_the_duckdb_job_reports(data: Path, duck: Dict[str, Any], spark: Any) -> None:
    sp = warehouse.run(data, "spark", spark)
    for key in ("observations", "conversion_days", "conversion_undefined", "alert_events", "firing_teams",
                "targets_scored"):
        assert sp[key] == duck[key], key
    assert math.isclose(sp["revenue"], duck["revenue"], rel_tol=1e-12)
    assert [(i, g) for i, _, g in sp["scorecards"]] == [(i, g) for i, _, g in duck["scorecards"]]
    for (_, a, _), (_, b, _) in zip(sp["scorecards"], duck["scorecards"]):
        assert math.isclose(a, b, rel_tol=1e-12)
    assert sp["key_results"] == duck["key_results"]
