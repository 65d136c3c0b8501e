"""A model read straight from a JSON file by the core (``okpi.Model(pathlib.Path)``), and its KPI data handed to
Python as numpy columns (``Model.observations_arrays``) and definitions (``Model.metrics``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Dict

import numpy as np
import pytest

import okpi

#: Measures, units and observations out of id order, with an extra dim, a source and a row without a unit.
DOC: Dict[str, Any] = {
    "schema_version": 1,
    "org_units": [{"id": "west", "name": "W", "parent": "hq"}, {"id": "hq", "name": "HQ"}],
    "measures": [{"id": "visits"}, {"id": "orders"}],
    "metrics": [
        {"id": "v", "kind": "simple", "measure": "visits", "agg": "max"},
        {"id": "o", "kind": "simple", "measure": "orders"},
    ],
    "observations": [
        {"measure": "visits", "date": "2026-01-03", "value": 7.5, "dims": {"unit": "hq", "channel": "web"},
         "source": "crm"},
        {"measure": "orders", "date": "2026-01-02", "value": 2, "dims": {"unit": "west"}},
        {"measure": "visits", "date": "2026-01-01", "value": 5},
        {"measure": "orders", "date": "2026-01-01", "value": 1, "dims": {"unit": "hq"}},
    ],
}


def test_a_path_is_read_by_the_core_as_its_text_is(tmp_path: Path) -> None:
    f = tmp_path / "doc.json"
    f.write_text(json.dumps(DOC), encoding="utf-8")
    assert okpi.Model(f).to_json() == okpi.Model(json.dumps(DOC)).to_json()
    # A malformed file: the same error, path, line and column as its text gives.
    f.write_text('{"schema_version": 1,\n "cycles": [}', encoding="utf-8")
    with pytest.raises(okpi.ParseError) as from_file:
        okpi.Model(f)
    with pytest.raises(okpi.ParseError) as from_text:
        okpi.Model(f.read_text(encoding="utf-8"))
    assert from_file.value.problems == from_text.value.problems
    assert str(from_file.value) == str(from_text.value)
    # Limits reach the reader: the size is checked before the document is parsed.
    f.write_text(json.dumps(DOC), encoding="utf-8")
    with pytest.raises(okpi.LimitError) as small:
        okpi.Model(f, limits={"document_bytes": 10})
    assert small.value.problems[0].path == "$"
    # Validation problems too.
    bad = dict(DOC, observations=[{"measure": "nope", "date": "2026-01-01", "value": 1}])
    f.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(okpi.ValidationError) as invalid:
        okpi.Model(f)
    assert [p.path for p in invalid.value.problems] == ["$.observations[0].measure"]
    # Bytes that are not UTF-8, and a file that is not there.
    f.write_bytes(b'{"schema_version": \xff}')
    with pytest.raises(okpi.ParseError):
        okpi.Model(f)
    with pytest.raises(FileNotFoundError):
        okpi.Model(tmp_path / "missing.json")


def test_observations_arrays_are_the_normalised_documents_rows() -> None:
    model = okpi.Model(DOC)
    cols = model.observations_arrays()
    rows = model.to_document()["observations"]
    assert cols["measure_ids"] == ["orders", "visits"]
    assert cols["unit_ids"] == ["hq", "west"]
    assert cols["sources"][0] is None
    assert cols["value"].dtype == np.float64 and cols["date"].dtype == np.dtype("datetime64[D]")
    for name in ("measure", "unit", "dims", "source"):
        assert cols[name].dtype == np.int32, name
        assert len(cols[name]) == len(rows), name
    for i, row in enumerate(rows):
        assert cols["measure_ids"][cols["measure"][i]] == row["measure"]
        assert cols["date"][i].item() == row["date"]
        assert cols["value"][i] == row["value"]
        assert cols["dim_sets"][cols["dims"][i]] == row.get("dims", {})
        assert cols["sources"][cols["source"][i]] == row.get("source")
        unit = row.get("dims", {}).get("unit")
        assert (cols["unit_ids"][cols["unit"][i]] if cols["unit"][i] >= 0 else None) == unit
    # Measures by id, then by date; the visit of 01-01 has no unit.
    assert cols["value"].tolist() == [1.0, 2.0, 5.0, 7.5]
    assert cols["unit"].tolist() == [0, 1, -1, 0]
    assert cols["date"][0] == np.datetime64(dt.date(2026, 1, 1))


def test_metrics_are_the_models_definitions() -> None:
    model = okpi.Model(DOC)
    assert model.metrics() == model.to_document()["metrics"]
    assert [m["id"] for m in model.metrics()] == ["o", "v"]
    empty = okpi.Model({"schema_version": 1})
    assert empty.metrics() == []
    cols = empty.observations_arrays()
    assert len(cols["value"]) == 0 and cols["measure_ids"] == []
