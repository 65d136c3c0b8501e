"""okpi.sql(dialect="spark") run by Spark SQL (PySpark ≥ 4, local mode, ANSI mode on) gives the cells of
okpi.kpi_query, undefined cells included. Runs when OKPI_SPARK=1 (`make test-spark`, part of `make test`); one Spark
session (conftest's, shared by every Spark test) and a batch of queries covering every metric (OKPI_SPARK_QUERIES, default 25: one per metric)."""

import datetime as dt
import json
import os
from typing import Any, Dict, List

import pytest

import okpi
from sql_diff import METRICS, doc_text, document, engine_cells, layout_rows, okpi_cells, queries, same

if os.environ.get("OKPI_SPARK") != "1":
    pytest.skip("Spark tests run with OKPI_SPARK=1 (make test-spark)", allow_module_level=True)

from pyspark.sql.types import DateType, DoubleType, StringType, StructField, StructType  # type: ignore[import-not-found,unused-ignore]  # noqa: E402


def batch(n: int) -> List[Dict[str, Any]]:
    """Every metric once (each at some grain), then random queries up to `n`."""
    pool = queries(seed=23, n=len(METRICS) * 5)
    picked: List[Dict[str, Any]] = []
    for m in METRICS:
        picked.append(next(q for q in pool if q["metric"] == m["id"]))
    rest = [q for q in pool if q not in picked]
    return (picked + rest)[: max(n, len(METRICS))]


def test_spark_cells_equal_kpi_query(spark: Any) -> None:
    doc = document(seed=7)
    model = okpi.Model(doc)
    text = doc_text(doc)
    names, rows, closure = layout_rows(model)
    types = {"date": DateType(), "value": DoubleType()}
    schema = StructType([StructField(n, types.get(n, StringType()), True) for n in names])
    spark.createDataFrame(rows, schema).createOrReplaceTempView("observations")
    closure_schema = StructType([StructField("ancestor", StringType()), StructField("unit", StringType())])
    spark.createDataFrame(closure, closure_schema).createOrReplaceTempView("org_closure")
    n = int(os.environ.get("OKPI_SPARK_QUERIES", "25"))
    grains = set()
    for q in batch(n):
        got = engine_cells([tuple(r) for r in spark.sql(okpi.sql(model, q, dialect="spark")).collect()], q)
        diff = same(got, okpi_cells(text, q))
        assert diff is None, f"{json.dumps(q)}: {diff}"
        grains.add(q["grain"])
    assert grains == {"day", "week", "month", "quarter", "year"}
