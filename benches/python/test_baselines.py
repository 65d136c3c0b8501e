"""The expert baselines give okpi's answers on org-1k: every engine, every workload (so a broken baseline cannot
report a speed), the alert logic under a rule that changes severity often, and each end-to-end JSON reader builds
the same tables as Python's json module. Run by ``make test-python``."""

from __future__ import annotations

import dataclasses
import importlib
import pathlib
from typing import Any, Dict

import numpy as np
import pytest

pytest.importorskip("polars")
pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

import okpi  # noqa: E402

from expert import check, tables  # noqa: E402
from generate import generate  # noqa: E402

ENGINES = ("numpy", "pandas", "polars", "duckdb")


def engine(name: str) -> Any:
    return importlib.import_module(f"expert.{name}_engine")


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("baselines") / "org-1k.json"
    return str(generate("org-1k", out, release=False))


def answers(doc: str, rule: Any = tables.RULE) -> Dict[str, Any]:
    t = tables.structure(tables.load(doc), rule=rule)
    tables.check_supported(t)
    ok = check.Okpi(okpi.Model(pathlib.Path(doc).read_text()), t, tables.alert_rules(t))
    return {"t": t, "ref": ok.reference(ok.okr(), ok.monthly(), ok.alerts())}


@pytest.fixture(scope="module")
def base(doc: str) -> Dict[str, Any]:
    return answers(doc)


def test_the_models_columns_give_the_documents_workload(doc: str, base: Dict[str, Any]) -> None:
    """The end-to-end run of okpi reads the series of (c) and the sum metrics from the model, not the JSON."""
    w = tables.from_model(okpi.Model(pathlib.Path(doc)))
    tables.same_workload(w, base["t"])
    ok = check.Okpi(okpi.Model(pathlib.Path(doc)), w, tables.alert_rules(w))
    assert len(ok.alerts()["series"]) == len(base["ref"]["events"][0])


@pytest.mark.parametrize("name", ENGINES)
def test_every_engine_gives_okpis_answers(name: str, base: Dict[str, Any]) -> None:
    t, ref = base["t"], base["ref"]
    e = engine(name)
    d = e.prepare(t)
    check.same_okr(ref, e.okr(d, tables.AS_OF))
    check.same_monthly(ref, e.monthly(d), t)
    check.same_events(ref, e.alerts(d))


def test_the_workload_exercises_every_branch(base: Dict[str, Any]) -> None:
    t, ref = base["t"], base["ref"]
    assert set(np.unique(t.kr_kind)) == set(range(len(tables.KR_KINDS))), "every KR kind"
    assert len(t.ver_kr) and (t.obj_from == 3).any() and t.s["by_value"].any(), "versions, manual, by value"
    assert len(t.s["levels"]) >= 5, "a deep roll-up"
    assert set(np.unique(ref["events"][2])) == {0, 1, 2, 3}, "pending, firing, severity change, resolved"


def test_alerts_under_a_busy_rule(doc: str) -> None:
    busy = answers(doc, tables.BUSY_RULE)
    t, ref = busy["t"], busy["ref"]
    assert (ref["events"][2] == 2).sum() > 1000, "many severity changes"
    for name in ENGINES:
        e = engine(name)
        check.same_events(ref, e.alerts(e.prepare(t)))


def same_tables(want: tables.Tables, got: tables.Tables) -> None:
    for f in dataclasses.fields(want):
        if f.name == "s":
            continue
        a, b = getattr(want, f.name), getattr(got, f.name)
        if isinstance(a, list):
            assert a == list(b), f.name
        else:
            assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), f.name


@pytest.mark.parametrize("name", ["polars_load", "duckdb_load"])
def test_each_reader_builds_the_same_tables(name: str, doc: str) -> None:
    same_tables(tables.load(doc), importlib.import_module(f"expert.{name}").load(doc))


def test_saved_tables_read_back_the_same(doc: str, tmp_path: pathlib.Path) -> None:
    want = tables.load(doc)
    tables.save(want, str(tmp_path / "t.npz"))
    same_tables(want, tables.restore(str(tmp_path / "t.npz")))


def test_the_checks_catch_a_wrong_answer(base: Dict[str, Any]) -> None:
    t, ref = base["t"], base["ref"]
    e = engine("numpy")
    got = e.okr(t, tables.AS_OF)
    codes, progress = got["objective"]
    wrong = progress.copy()
    wrong[-1] += 1e-6
    with pytest.raises(AssertionError):
        check.same_okr(ref, {**got, "objective": (codes, wrong)})
    cells = e.monthly(t).copy()
    cells[0, 0, 0] *= 1 + 1e-8
    with pytest.raises(AssertionError):
        check.same_monthly(ref, cells, t)
    series, step, kind, severity = e.alerts(t)
    with pytest.raises(AssertionError):
        check.same_events(ref, (series[1:], step[1:], kind[1:], severity[1:]))
    with pytest.raises(AssertionError):
        check.same_events(ref, (series, step, kind, np.where(kind == 2, 1 - severity, severity)))
