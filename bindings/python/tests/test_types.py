"""Typed results: okpi/types.py is what the call layer's JSON Schema generates, and mypy --strict catches a misspelt
result key or a file name passed where a document goes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GENERATOR = ROOT / "bindings" / "python" / "tools" / "gen_types.py"


def test_types_are_what_the_schema_generates() -> None:
    run = subprocess.run([sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def mypy(tmp_path: Path, code: str) -> str:
    pytest.importorskip("mypy")
    snippet = tmp_path / "snippet.py"
    snippet.write_text(textwrap.dedent(code), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(snippet)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    return run.stdout + run.stderr


def test_mypy_strict_rejects_a_misspelt_key_and_a_file_name_as_document(tmp_path: Path) -> None:
    out = mypy(
        tmp_path,
        """
        import datetime
        import okpi

        model = okpi.load("company.json")
        ev = model.evaluate(datetime.date(2026, 3, 29), viewer="p.service")
        print(ev["objectivs"])
        okpi.evaluate("examples/data/quarter.json", "2026-03-10")
        """,
    )
    assert 'TypedDict "Evaluation" has no key "objectivs"' in out, out
    assert 'Argument 1 to "evaluate" has incompatible type "str"' in out, out


def test_mypy_strict_accepts_the_right_keys_and_sees_dates(tmp_path: Path) -> None:
    out = mypy(
        tmp_path,
        """
        import datetime
        import okpi

        model = okpi.load("company.json")
        ev = model.evaluate(datetime.date(2026, 3, 29))
        day: datetime.date = ev["as_of"]
        progress: float = ev["objectives"][0]["progress"]
        cells = model.kpi_query({"metric": "m", "from": "2026-01-01", "to": "2026-01-31"})["cells"]
        start: datetime.date = cells[0]["period_start"]
        print(day, progress, start)
        """,
    )
    assert "Success" in out, out


def test_mypy_strict_types_evidence_and_explanation_inputs(tmp_path: Path) -> None:
    """A finding's evidence and an explanation's inputs are ``okpi.types.Evidence`` (a date among the choices, as
    the schema's ``format: date``), not ``Any``: a date is used after narrowing, and unnarrowed use is refused."""
    ok = mypy(
        tmp_path,
        """
        import datetime
        import okpi
        from okpi.types import Evidence

        model = okpi.load("company.json")
        findings = model.diagnose(datetime.date(2026, 3, 29))["findings"]
        last: Evidence = findings[0]["evidence"]["last_check_in"]
        if isinstance(last, datetime.date):
            day: datetime.date = last
            print(day.isoformat())
        why = model.explain(datetime.date(2026, 3, 29), "kr", "expected")
        as_of = why["inputs"]["as_of"] if why is not None else None
        assert isinstance(as_of, datetime.date)
        print(as_of.year)
        """,
    )
    assert "Success" in ok, ok
    refused = mypy(
        tmp_path,
        """
        import datetime
        import okpi

        findings = okpi.load("company.json").diagnose(datetime.date(2026, 3, 29))["findings"]
        day: datetime.date = findings[0]["evidence"]["last_check_in"]
        """,
    )
    assert "Incompatible types in assignment" in refused and "Evidence" in refused, refused
