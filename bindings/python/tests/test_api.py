"""The public API of okpi: inputs, outputs, the Model, tables, the vectorised kernel and every error kind."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import pickle
import select
import signal
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

import numpy as np
import pytest

import okpi
from vectors import ROOT

QUARTER = ROOT / "examples" / "data" / "quarter.json"
AS_OF = dt.date(2026, 2, 15)


@pytest.fixture()
def doc() -> Dict[str, Any]:
    loaded: Dict[str, Any] = json.loads(QUARTER.read_text(encoding="utf-8"))
    return loaded


def profile(id_: str = "line") -> Dict[str, Any]:
    return {
        "id": id_,
        "uncertainty": 0.8,
        "standardization": 0.2,
        "lifecycle": "incubation",
        "failure_tolerance": 0.8,
        "transparency": 0.8,
        "self_drive": 0.8,
        "manager_coaching": 0.8,
        "readiness": {"goal_design": 0.8, "data_reliability": 0.8, "communication_cadence": 0.8},
    }


# --- inputs and outputs ---------------------------------------------------------------------------------------


def test_every_input_form_gives_the_same_evaluation(doc: Dict[str, Any]) -> None:
    text = json.dumps(doc)
    forms: List[Any] = [doc, text, text.encode(), QUARTER, str(QUARTER.read_text())]
    results = [okpi.evaluate(f, AS_OF) for f in forms]
    assert all(r == results[0] for r in results)
    assert okpi.evaluate(doc, "2026-02-15") == results[0]
    assert okpi.evaluate(doc, dt.datetime(2026, 2, 15, 13, 0)) == results[0]


def test_evaluate_returns_plain_data_with_dates(doc: Dict[str, Any]) -> None:
    ev = okpi.evaluate(doc, AS_OF)
    assert ev["as_of"] == AS_OF
    assert isinstance(ev["key_results"], list) and isinstance(ev["objectives"], list)
    kr = {k["id"]: k for k in ev["key_results"]}["c1.kr1"]
    assert kr["progress"] == pytest.approx((3.8 - 3.6) / (4.5 - 3.6))
    assert kr["status"] == "off_track"
    assert isinstance(kr["definition"]["start"], float)  # a number named "start" stays a number
    json.dumps(ev, default=str)  # plain data


def test_settings_shape_the_evaluation(doc: Dict[str, Any]) -> None:
    ev = okpi.evaluate(doc, AS_OF, settings={"overshoot": {"cap": 1.25}, "allow_negative": True})
    assert ev["settings"]["overshoot"] == {"cap": 1.25}
    assert ev["settings"]["allow_negative"] is True
    assert okpi.evaluate(doc, AS_OF, settings='{"on_track_tolerance": 0.2}')["settings"]["on_track_tolerance"] == 0.2


def test_validate_returns_the_normalised_document(doc: Dict[str, Any]) -> None:
    shuffled = copy.deepcopy(doc)
    shuffled["key_results"].reverse()
    norm = okpi.validate(shuffled)
    ids = [k["id"] for k in norm["key_results"]]
    assert ids == sorted(ids)
    assert norm["cycles"][0]["start"] == dt.date(2026, 1, 1)
    assert norm["check_ins"][0]["date"] == dt.date(2026, 1, 31)
    # The normalised document (dates and all) is itself a valid input.
    assert okpi.validate(norm) == norm


def test_explain(doc: Dict[str, Any]) -> None:
    why = okpi.explain(doc, AS_OF, "c1.kr1", "progress")
    assert why["id"] == "c1.kr1" and why["quantity"] == "progress"
    assert why["inputs"]["current"] == 3.8
    assert why["value"] == pytest.approx(okpi.evaluate(doc, AS_OF)["key_results"][0]["progress"])
    assert okpi.Model(doc).explain(AS_OF, "c1.kr1", "progress") == why
    with pytest.raises(okpi.ValidationError) as e:
        okpi.explain(doc, AS_OF, "nope", "progress")
    assert e.value.codes == ["E_UNKNOWN_ID"]
    with pytest.raises(okpi.ParseError):
        okpi.explain(doc, AS_OF, "c1.kr1", "happiness")


def test_advise_one_and_many() -> None:
    one = okpi.advise(profile())
    assert one["id"] == "line" and "recommendation" in one
    many = okpi.advise([profile("a"), profile("b")], settings={"split": 0.5})
    assert [line["id"] for line in many["lines"]] == ["a", "b"]
    assert "mix" in many


# --- the Model ------------------------------------------------------------------------------------------------


def test_model_evaluates_like_the_function(doc: Dict[str, Any]) -> None:
    m = okpi.Model(doc)
    assert m.objective_count == 3 and m.key_result_count == 6
    assert m.evaluate(AS_OF) == okpi.evaluate(doc, AS_OF)
    assert "objectives=3" in repr(m)


def test_apply_check_in(doc: Dict[str, Any]) -> None:
    m = okpi.Model(doc)
    before = m.evaluate(AS_OF)
    m.apply_check_in({"key_result": "c1.kr1", "date": dt.date(2026, 2, 10), "value": 4.05, "confidence": 8})
    kr = {k["id"]: k for k in m.evaluate(AS_OF)["key_results"]}["c1.kr1"]
    assert kr["current"] == 4.05
    assert kr["progress"] == pytest.approx((4.05 - 3.6) / (4.5 - 3.6))
    assert m.evaluate(AS_OF) != before


def test_refused_check_in_leaves_the_model_unchanged(doc: Dict[str, Any]) -> None:
    m = okpi.Model(doc)
    state = m.to_json()
    with pytest.raises(okpi.ValidationError) as e:
        m.apply_check_in({"key_result": "nope", "date": "2026-02-10", "value": 1})
    assert "E_UNKNOWN_ID" in e.value.codes
    with pytest.raises(okpi.ValidationError) as e:
        m.apply_check_in({"key_result": "c1.kr1", "date": "2026-02-10", "value": 1, "confidence": 11})
    assert "E_CONFIDENCE_RANGE" in e.value.codes
    with pytest.raises(okpi.ParseError) as pe:
        m.apply_check_in({"key_result": "c1.kr1", "date": "2026-02-10", "value": "high"})
    assert pe.value.paths == ["$.check_in.value"]
    assert m.to_json() == state


def test_model_pickles(doc: Dict[str, Any]) -> None:
    m = okpi.Model(doc)
    m.apply_check_in({"key_result": "c1.kr1", "date": "2026-02-10", "value": 4.05})
    again = pickle.loads(pickle.dumps(m))
    assert isinstance(again, okpi.Model)
    assert again.evaluate(AS_OF) == m.evaluate(AS_OF)
    assert again.to_document() == m.to_document()
    # The native object pickles too.
    native = pickle.loads(pickle.dumps(m._native))
    assert native.to_json() == m.to_json()


def test_threads_share_a_model(doc: Dict[str, Any]) -> None:
    m = okpi.Model(doc)
    want = m.evaluate(AS_OF)
    got: List[Any] = []
    threads = [threading.Thread(target=lambda: got.append(m.evaluate(AS_OF))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [want] * 8


# --- tables ---------------------------------------------------------------------------------------------------


def test_frames(doc: Dict[str, Any]) -> None:
    pd = pytest.importorskip("pandas")
    ev = okpi.evaluate(doc, AS_OF)
    krs = okpi.key_results_frame(ev)
    objs = okpi.objectives_frame(ev)
    assert isinstance(krs, pd.DataFrame) and isinstance(objs, pd.DataFrame)
    assert len(krs) == 6 and len(objs) == 3
    assert krs.loc["c1.kr1", "status"] == "off_track"
    assert {"progress", "expected", "status", "score"} <= set(objs.columns)
    with pytest.raises(TypeError):
        okpi.key_results_frame({})


def test_frames_without_pandas(doc: Dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_pandas(name: str, *a: Any, **k: Any) -> Any:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match="pip install pandas"):
        okpi.objectives_frame(okpi.evaluate(doc, AS_OF))


# --- the vectorised kernel ------------------------------------------------------------------------------------


def test_kr_progress_small() -> None:
    p = okpi.kr_progress([0, 0, 0, 0], [10, 10, 10, 10], [5, np.nan, 20, -5])
    assert p.dtype == np.float64
    assert p[0] == 0.5 and np.isnan(p[1]) and p[2] == 1.0 and p[3] == 0.0
    capped = okpi.kr_progress([0, 0], [10, 10], [20, 11], overshoot=1.25)
    assert list(capped) == [1.25, pytest.approx(1.1)]
    assert okpi.kr_progress([0], [10], [-5], allow_negative=True)[0] == -0.5
    assert okpi.kr_progress([10], [0], [2], kind="decrease")[0] == pytest.approx(0.8)
    # The core's formula, not one of the binding's own: differences beyond the floats stay finite.
    assert okpi.kr_progress([-1e308], [1e308], [0])[0] == 0.5
    assert okpi.kr_progress([1e308], [-1e308], [0], kind="decrease")[0] == 0.5


def test_kr_progress_100k_rows() -> None:
    n = 100_000
    rng = np.random.default_rng(8)
    start = rng.uniform(0, 100, n)
    target = start + rng.uniform(1, 100, n)
    current = rng.uniform(-50, 250, n)
    current[::10] = np.nan
    p = okpi.kr_progress(start, target, current)
    assert p.shape == (n,)
    want = np.clip((current - start) / (target - start), 0.0, 1.0)
    np.testing.assert_allclose(p, want, rtol=0, atol=1e-12, equal_nan=True)
    assert np.isnan(p[::10]).all() and not np.isnan(p[1::10]).any()
    # Strided input is made contiguous by the front.
    np.testing.assert_allclose(okpi.kr_progress(start[::2], target[::2], current[::2]), want[::2], equal_nan=True)


def test_kr_progress_errors() -> None:
    with pytest.raises(okpi.ValidationError, match="equal lengths"):
        okpi.kr_progress([0, 0], [1], [1, 1])
    with pytest.raises(okpi.ValidationError) as e:
        okpi.kr_progress([0, 5], [1, 5], [1, 1])
    assert e.value.codes == ["E_START_EQUALS_TARGET"] and e.value.paths == ["$[1]"]
    with pytest.raises(okpi.ValidationError) as e:
        okpi.kr_progress([10], [0], [1])
    assert e.value.codes == ["E_DIRECTION"]
    with pytest.raises(okpi.SettingsError):
        okpi.kr_progress([0], [1], [1], overshoot=0.5)
    with pytest.raises(TypeError):
        okpi.kr_progress([0], [1], [1], overshoot="wild")
    with pytest.raises(okpi.ValidationError):
        okpi.kr_progress([0], [1], [1], kind="sideways")


def test_kpi_scores_by_hand() -> None:
    # linear 0–120: a = 90/120 = 0.75 → 75; 150/120 = 1.25 → capped at 120; NaN actual → NaN, never 0.
    a, s = okpi.kpi_scores([90, 150, np.nan], [120, 120, 120])
    np.testing.assert_allclose(a, [0.75, 1.25, np.nan], equal_nan=True)
    np.testing.assert_allclose(s, [75, 120, np.nan], equal_nan=True)
    # lower is better, inverse: 30/40 = 0.75 → 75; an actual of 0 has no achievement and scores the cap (120).
    a, s = okpi.kpi_scores([40, 0], [30, 30], direction="lower_is_better")
    assert a[0] == 0.75 and np.isnan(a[1]) and list(s) == [75, 120]
    # Any actual ≤ 0 beats every positive target (DOMAIN.md §6): the cap, as a below_target alert reads it.
    a, s = okpi.kpi_scores([-2], [30], direction="lower_is_better")
    assert np.isnan(a[0]) and s[0] == 120
    # DOMAIN.md §0: 3.3 against 3.0 reaches a band at 1.1.
    _, s = okpi.kpi_scores([3.3], [3.0], curve={"bands": [{"min_a": 1.0, "score": 100}, {"min_a": 1.1, "score": 120}]})
    assert s[0] == 120
    # complement: 2 − 40/30 = 0.6667 → 66.7 with one decimal (half-up).
    _, s = okpi.kpi_scores([40], [30], direction="lower_is_better", formula="complement", decimals=1)
    assert s[0] == 66.7
    # threshold 80 → target 100 → stretch 120 on 50/100/150: 90 → 75, 79 → 0, 130 → 150 (flat above stretch).
    # The achievement is the ratio to the target, as on every curve and in the strategy view: 0.9, 0.79, 1.3.
    a, s = okpi.kpi_scores(
        [90, 79, 130], [100] * 3, threshold=[80] * 3, stretch=[120] * 3, curve={"threshold_target_stretch": {}}
    )
    assert list(s) == [75, 0, 150]
    np.testing.assert_allclose(a, [0.9, 0.79, 1.3])
    # binary and bands
    _, s = okpi.kpi_scores([99, 100], [100, 100], curve="binary")
    assert list(s) == [0, 100]
    bands = {"bands": [{"min_a": 0.9, "score": 80}, {"min_a": 1.0, "score": 100}]}
    _, s = okpi.kpi_scores([85, 95, 101], [100] * 3, curve=bands)
    assert list(s) == [0, 80, 100]
    # band direction [40, 60]: inside → 1; 70 is 10 outside a width of 20 → 1 − 10/20 = 0.5 (target unused).
    a, _ = okpi.kpi_scores([50, 70], [50, 50], direction={"band": {"lo": 40, "hi": 60}})
    assert list(a) == [1.0, 0.5]


def test_kpi_scores_match_document_scoring(doc: Dict[str, Any]) -> None:
    d = {
        "schema_version": 1,
        "cycles": [{"id": "Q1", "start": "2026-01-01", "end": "2026-03-31"}],
        "org_units": [{"id": "svc"}],
        "measures": [{"id": "minutes"}],
        "metrics": [{"id": "response", "kind": "simple", "measure": "minutes", "agg": "avg",
                     "direction": "lower_is_better"}],
        "observations": [{"measure": "minutes", "date": "2026-02-01", "value": 36, "dims": {"unit": "svc"}}],
        "targets": [{"id": "t", "metric": "response", "scope": {"unit": "svc"}, "cycle": "Q1", "target": 30,
                     "formula": "complement", "decimals": 2}],
    }
    one = okpi.kpi_score(d, dt.date(2026, 3, 31))["targets"][0]
    a, s = okpi.kpi_scores([36], [30], direction="lower_is_better", formula="complement", decimals=2)
    assert (a[0], s[0]) == (pytest.approx(one["achievement"]), one["score"]) and one["score"] == 80.0


def test_kpi_scores_100k_rows() -> None:
    n = 100_000
    rng = np.random.default_rng(11)
    target = rng.uniform(10, 100, n)
    actual = rng.uniform(0, 150, n)
    actual[::7] = np.nan
    a, s = okpi.kpi_scores(actual, target)
    np.testing.assert_allclose(a, actual / target, rtol=0, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(s, np.clip(100 * actual / target, 0, 120), rtol=0, atol=1e-9, equal_nan=True)


def test_kpi_scores_errors() -> None:
    with pytest.raises(okpi.ValidationError) as e:
        okpi.kpi_scores([1, 1], [5, 0])
    assert e.value.codes == ["E_TARGET_NOT_POSITIVE"] and e.value.paths == ["$.target[1]"]
    with pytest.raises(okpi.ValidationError) as e:
        okpi.kpi_scores([1], [5], curve={"threshold_target_stretch": {}})
    assert e.value.codes == ["E_MISSING_FIELD"] and e.value.paths == ["$.threshold[0]"]
    with pytest.raises(okpi.ValidationError) as e:
        okpi.kpi_scores([1, 2], [5])
    assert e.value.paths == ["$.target"]
    with pytest.raises(okpi.ValidationError) as e:
        okpi.kpi_scores([1], [5], curve={"linear": {"floor": 50, "cap": 10}})
    assert e.value.codes == ["E_INVALID_VALUE"] and e.value.paths == ["$.spec.curve"]
    with pytest.raises(okpi.ParseError) as pe:
        okpi.kpi_scores([1], [5], formula="sideways")
    assert pe.value.paths == ["$.spec.formula"]
    with pytest.raises(okpi.ValidationError) as e:
        okpi.kpi_scores([1], [np.inf])
    assert e.value.codes == ["E_NOT_FINITE"]


BELOW_10 = {"id": "r", "metric": "m", "scope": "u", "grain": "day", "condition": "below",
        "warning": {"value": 10}, "for": 1, "no_data": "no_data"}


def matrix_events(got: Any, dates: List[dt.date], row: Optional[int] = None) -> List[Any]:
    """alert_matrix's event columns as (series, type, date, severity, measure) rows."""
    sev = {-1: None, 0: "warning", 1: "critical"}
    out = []
    for i, step, kind, severity, measure in zip(got["series"], got["step"], got["kind"], got["severity"], got["measure"]):
        if row is None or i == row:
            out.append((int(i), okpi.EVENT_KINDS[kind], dates[step], sev[int(severity)], None if np.isnan(measure) else measure))
    return out


def test_alert_matrix_equals_one_series_at_a_time() -> None:
    dates = [dt.date(2026, 3, d) for d in range(1, 7)]
    values = np.array([
        [12, 9, 8, 7, 11, 12],          # pending on 03-02, firing 03-03 (breached for more than 1), resolved 03-05
        [12, np.nan, 12, 12, 12, 12],  # no data on 03-02
        [20, 20, 20, 20, 20, 9],       # pending at the end
    ])
    got = okpi.alert_matrix(BELOW_10, dates, values)
    assert list(got["status"]) == ["normal", "normal", "pending"]
    for i, row in enumerate(values):
        series = [{"date": d.isoformat(), "value": None if np.isnan(v) else v} for d, v in zip(dates, row)]
        one = okpi.alert_evaluate(BELOW_10, series)
        assert got["states"][i] == one["state"]
        want = [(i, e["type"], e["date"], e["severity"], e["measure"]) for e in one["events"]]
        assert matrix_events(got, dates, i) == want
    kinds = [(e[0], e[1], e[2]) for e in matrix_events(got, dates)]
    assert (0, "firing", dt.date(2026, 3, 3)) in kinds and (0, "resolved", dt.date(2026, 3, 5)) in kinds
    assert (1, "no_data", dt.date(2026, 3, 2)) in kinds and (2, "pending", dt.date(2026, 3, 6)) in kinds


def test_alert_matrix_takes_one_rule_per_series() -> None:
    dates = [dt.date(2026, 3, d) for d in range(1, 4)]
    above = {**BELOW_10, "condition": "above"}
    values = np.array([[12.0, 12.0, 12.0], [12.0, 12.0, 12.0]])
    got = okpi.alert_matrix([BELOW_10, above], dates, values)
    assert list(got["status"]) == ["normal", "firing"]
    with pytest.raises(okpi.ValidationError) as e:
        okpi.alert_matrix([BELOW_10, above, above], dates, values)
    assert e.value.paths == ["$.rules"]


def test_alert_matrix_resumes_from_states() -> None:
    dates = [dt.date(2026, 3, d) for d in range(1, 9)]
    rng = np.random.default_rng(3)
    values = rng.uniform(5, 15, (50, 8))
    whole = okpi.alert_matrix(BELOW_10, dates, values)
    first = okpi.alert_matrix(BELOW_10, dates[:4], values[:, :4])
    rest = okpi.alert_matrix(BELOW_10, dates[4:], values[:, 4:], states=first["states"])
    assert rest["states"] == whole["states"] and list(rest["status"]) == list(whole["status"])
    # The same states given back as plain dicts (as stored JSON would be) resume the same way.
    stored = json.loads(json.dumps(list(first["states"])))
    again = okpi.alert_matrix(BELOW_10, dates[4:], values[:, 4:], states=stored)
    assert again["states"] == rest["states"] and again["states"] == list(rest["states"])
    states = whole["states"]
    assert len(states) == 50 and states[-1] == states[49] and states[48:] == [states[48], states[49]]
    assert isinstance(states, okpi.AlertStates) and states[0]["status"] in okpi.ALERT_STATUSES
    with pytest.raises(IndexError):
        states[50]
    parts = matrix_events(first, dates[:4]) + matrix_events(rest, dates[4:])
    assert parts != [] and sorted(parts, key=lambda e: (e[0], e[2])) == sorted(
        matrix_events(whole, dates), key=lambda e: (e[0], e[2])
    )


def test_alert_matrix_thresholds_per_series_equal_one_rule_per_series() -> None:
    dates = [dt.date(2026, 3, d) for d in range(1, 11)]
    rng = np.random.default_rng(5)
    values = rng.uniform(0, 20, (40, 10))
    values[::7, 3] = np.nan
    above = {"id": "a", "metric": "m", "scope": "u", "grain": "day", "condition": "above",
             "warning": {"value": 0, "recovery": 0}, "critical": {"value": 0}, "for": 1}
    warn = rng.uniform(8, 12, 40)
    rec = np.where(np.arange(40) % 3 == 0, np.nan, warn - 2)
    crit = warn + rng.uniform(2, 5, 40)
    rules = [{**above, "warning": {"value": w, **({} if np.isnan(r) else {"recovery": r})}, "critical": {"value": c}}
             for w, r, c in zip(warn.tolist(), rec.tolist(), crit.tolist())]
    want = okpi.alert_matrix(rules, dates, values)
    got = okpi.alert_matrix(above, dates, values,
                            thresholds={"warning": warn, "warning_recovery": rec, "critical": crit})
    assert matrix_events(got, dates) == matrix_events(want, dates) and matrix_events(got, dates) != []
    assert got["states"] == want["states"]
    # Each series' rule is validated with its numbers: a recovery on the breaching side names the series.
    bad = rec.copy()
    bad[4] = warn[4] + 1
    with pytest.raises(okpi.ValidationError) as e:
        okpi.alert_matrix(above, dates, values,
                          thresholds={"warning": warn, "warning_recovery": bad, "critical": crit})
    assert e.value.paths == ["$.thresholds[4].warning.recovery"]
    with pytest.raises(okpi.ValidationError) as e:
        okpi.alert_matrix(above, dates, values, thresholds={"warning": warn[:3]})
    assert e.value.paths == ["$.thresholds.warning"]
    with pytest.raises(okpi.ValidationError) as e:
        okpi.alert_matrix(BELOW_10, dates, values, thresholds={"critical": crit})
    assert e.value.paths == ["$.thresholds"]


def test_alert_matrix_100k_series() -> None:
    n = 100_000
    dates = [dt.date(2026, 3, 1) + dt.timedelta(days=d) for d in range(5)]
    values = np.full((n, 5), 12.0)
    values[::4, 2:] = 5.0  # every fourth series breaches from the third day: pending, then firing
    got = okpi.alert_matrix(BELOW_10, dates, values)
    firing = got["status"] == "firing"
    assert firing.sum() == n // 4 and firing[::4].all()
    assert int((got["kind"] == okpi.EVENT_KINDS.index("firing")).sum()) == n // 4


def test_alert_matrix_errors() -> None:
    with pytest.raises(okpi.ValidationError) as e:
        okpi.alert_matrix(BELOW_10, ["2026-03-01"], np.zeros((2, 2)))
    assert e.value.paths == ["$.values"]
    with pytest.raises(okpi.ParseError) as pe:
        okpi.alert_matrix(BELOW_10, ["2026-03-01", "2026-02-30"], np.zeros((1, 2)))
    assert pe.value.paths == ["$.dates[1]"]
    with pytest.raises(okpi.ValidationError) as e:
        okpi.alert_matrix(BELOW_10, ["2026-03-01"], np.zeros((2, 1)), states=[{"status": "normal"}])
    assert e.value.paths == ["$.states"]
    with pytest.raises(okpi.ValidationError):
        okpi.alert_matrix(BELOW_10, ["2026-03-01"], np.zeros(3))
    with pytest.raises(okpi.ValidationError) as e:
        okpi.alert_matrix({**BELOW_10, "warning": None}, ["2026-03-01"], np.zeros((1, 1)))
    assert e.value.codes


# --- errors ---------------------------------------------------------------------------------------------------


def test_error_hierarchy() -> None:
    for cls in (okpi.ParseError, okpi.ValidationError, okpi.SettingsError, okpi.ExpressionError):
        assert issubclass(cls, okpi.OkpiError)
    assert issubclass(okpi.ExpressionError, okpi.ValidationError)
    assert issubclass(okpi.OkpiError, ValueError)


def expression_doc(expression: str, extra_metric: str = "sales") -> Dict[str, Any]:
    return {
        "schema_version": 1,
        "measures": [{"id": "revenue"}],
        "metrics": [
            {"id": "sales", "kind": "simple", "measure": "revenue"},
            {"id": "growth", "kind": "derived", "expression": expression},
            {"id": "share", "kind": "ratio", "numerator": "sales", "denominator": extra_metric},
        ],
    }


def test_a_bad_expression_is_an_expression_error() -> None:
    with pytest.raises(okpi.ExpressionError) as e:
        okpi.validate(expression_doc("sales / sales(offset 1) -"))
    assert e.value.codes == ["E_EXPRESSION"] and e.value.paths == ["$.metrics[1].expression"]
    # Mixed with another kind of problem it is a plain ValidationError, still listing both.
    with pytest.raises(okpi.ValidationError) as v:
        okpi.validate(expression_doc("sales *", extra_metric="ghost"))
    assert not isinstance(v.value, okpi.ExpressionError)
    assert sorted(v.value.codes) == ["E_EXPRESSION", "E_UNKNOWN_ID"]


def test_error_codes_are_listed() -> None:
    assert "E_PARSE" in okpi.ERROR_CODES and "E_SETTINGS" in okpi.ERROR_CODES
    assert len(set(okpi.ERROR_CODES)) == len(okpi.ERROR_CODES)
    for _, case in __import__("vectors").cases("okr"):
        for p in case.get("expect_error", []):
            assert p["code"] in okpi.ERROR_CODES


def test_bad_json() -> None:
    with pytest.raises(okpi.ParseError) as e:
        okpi.evaluate('{"schema_version": 1,', AS_OF)  # type: ignore[arg-type]
    assert e.value.codes == ["E_PARSE"]
    with pytest.raises(okpi.ParseError):
        okpi.validate(b"\xff\xfe")


def test_bad_type(doc: Dict[str, Any]) -> None:
    doc["key_results"][0]["target"] = "lots"
    with pytest.raises(okpi.ParseError) as e:
        okpi.validate(doc)
    assert e.value.problems[0][:2] == ("E_PARSE", "$.key_results[0].target")
    with pytest.raises(TypeError):
        okpi.validate(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        okpi.evaluate(doc, 20260215)  # type: ignore[arg-type]


def test_invalid_document_lists_every_problem(doc: Dict[str, Any]) -> None:
    doc["key_results"][0]["target"] = doc["key_results"][0]["start"]
    doc["key_results"][1]["objective"] = "ghost"
    doc["check_ins"][0]["confidence"] = 12
    with pytest.raises(okpi.ValidationError) as e:
        okpi.Model(doc)
    assert sorted(e.value.codes) == ["E_CONFIDENCE_RANGE", "E_START_EQUALS_TARGET", "E_UNKNOWN_ID"]
    assert all(p.path.startswith("$.") and p.message for p in e.value.problems)
    # Each problem names the item it is about, and str() lists every one with the count (as pydantic does).
    assert {p.id for p in e.value.problems} >= {doc["key_results"][0]["id"], doc["key_results"][1]["id"]}
    text = str(e.value)
    assert text.startswith("3 problems:") and all(p.path in text and p.code in text for p in e.value.problems)
    assert isinstance(e.value, ValueError)
    # Exceptions survive pickling (multiprocessing).
    again = pickle.loads(pickle.dumps(e.value))
    assert type(again) is okpi.ValidationError and again.problems == e.value.problems


def test_bad_settings(doc: Dict[str, Any]) -> None:
    with pytest.raises(okpi.SettingsError) as e:
        okpi.evaluate(doc, AS_OF, settings={"on_track_tolerance": -1, "overshoot": {"cap": 0.5}})
    assert sorted(e.value.paths) == ["$.settings.on_track_tolerance", "$.settings.overshoot.cap"]
    with pytest.raises(okpi.SettingsError) as e:
        okpi.evaluate(doc, AS_OF, settings={"no_such_setting": 1})
    assert e.value.codes == ["E_PARSE"]
    with pytest.raises(okpi.SettingsError):
        okpi.Model(doc).evaluate(AS_OF, settings='{"allow_negative": "yes"}')
    with pytest.raises(okpi.SettingsError):
        okpi.advise(profile(), settings={"split": "middle"})


def test_bad_date(doc: Dict[str, Any]) -> None:
    # Dates are exactly YYYY-MM-DD in every language: no one-digit fields, spaces, signs or year 0.
    for bad in ("2026-02-30", "15/02/2026", "", "2026-3-1", " 2026-03-10", "+2026-03-10", "0000-01-01"):
        with pytest.raises(okpi.ParseError) as e:
            okpi.evaluate(doc, bad)
        assert e.value.paths == ["$.as_of"]
        with pytest.raises(okpi.ParseError) as e:
            okpi.Model(doc).evaluate(bad)
        assert e.value.paths == ["$.as_of"]


def test_bad_profile() -> None:
    bad = profile()
    del bad["lifecycle"]
    with pytest.raises(okpi.ParseError):
        okpi.advise(bad)


def test_path_input(tmp_path: Path, doc: Dict[str, Any]) -> None:
    p = tmp_path / "doc.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    assert okpi.validate(p) == okpi.validate(doc)


RULE = {
    "id": "latency",
    "metric": "p99_ms",
    "scope": "api",
    "grain": "day",
    "condition": "above",
    "critical": {"value": 1000, "recovery": 900},
}


def series(values: Any) -> Any:
    return [{"date": dt.date(2026, 5, 1) + dt.timedelta(days=i), "value": v} for i, v in enumerate(values)]


def test_alert_evaluate_and_resume() -> None:
    values = [800.0, 1100.0, 950.0, None, 1200.0, 850.0]
    whole = okpi.alert_evaluate(RULE, series(values))
    assert [e["type"] for e in whole["events"]] == ["firing", "resolved", "no_data", "firing", "resolved"]
    assert whole["events"][0]["date"] == dt.date(2026, 5, 2)
    first = okpi.alert_evaluate(RULE, series(values)[:3])
    stored = json.loads(json.dumps(first["state"], default=str))  # as a host would keep it
    rest = okpi.alert_evaluate(RULE, series(values)[3:], state=stored)
    assert first["events"] + rest["events"] == whole["events"]
    assert rest["state"] == whole["state"]


def test_alert_rule_errors() -> None:
    with pytest.raises(okpi.ValidationError) as e:
        okpi.alert_evaluate({**RULE, "critical": {"value": 1000, "recovery": 1100}}, series([1.0]))
    assert e.value.codes == ["E_ALERT_RULE"]
    with pytest.raises(okpi.ParseError) as p:
        okpi.alert_evaluate({**RULE, "condition": "sideways"}, series([1.0]))
    assert p.value.paths == ["$.condition"]
    with pytest.raises(okpi.ParseError) as p:
        okpi.alert_evaluate(RULE, [{"date": "2026-05-01", "value": "high"}])
    assert p.value.paths[0].startswith("$.series[0]")


KPI_DOC = {
    "schema_version": 1,
    "cycles": [{"id": "Q1", "start": "2026-01-01", "end": "2026-03-31"}],
    "org_units": [{"id": "co"}, {"id": "east", "parent": "co"}, {"id": "west", "parent": "co"}],
    "measures": [{"id": "tickets"}],
    "metrics": [{"id": "t", "kind": "simple", "measure": "tickets"}],
    "observations": [
        {"measure": "tickets", "date": "2026-01-05", "value": 30, "dims": {"unit": "east"}},
        {"measure": "tickets", "date": "2026-01-06", "value": 10, "dims": {"unit": "west"}},
        {"measure": "tickets", "date": "2026-02-02", "value": 20, "dims": {"unit": "east"}},
    ],
    "targets": [{"id": "east_t", "metric": "t", "scope": {"unit": "east"}, "cycle": "Q1", "target": 40}],
    "scorecards": [{"id": "east", "subject": {"unit": "east"}, "items": [{"target": "east_t", "weight": 100}]}],
}


def test_kpi_query_score_and_scorecards() -> None:
    table = okpi.kpi_query(KPI_DOC, {"metric": "t", "grain": "month", "from": "2026-01-01", "to": "2026-02-28", "filters": {"unit": "co"}})
    values = [c["value"] for c in table["cells"]]
    assert values == [40.0, 20.0]  # the company's subtree: 30 + 10 in January, 20 in February
    score = okpi.kpi_score(KPI_DOC, dt.date(2026, 3, 31))
    target = score["targets"][0]
    assert (target["actual"], target["achievement"]) == (50.0, 1.25)  # 30 + 20 against 40
    report = okpi.scorecards(KPI_DOC, {"as_of": "2026-03-31"})
    assert report["scorecards"][0]["total"] == 120.0  # linear curve capped at 120
    frame = okpi.scorecards_frame(report)
    assert frame.loc["east", "total"] == 120.0


def test_kpi_errors() -> None:
    with pytest.raises(okpi.ValidationError) as e:
        okpi.kpi_query(KPI_DOC, {"metric": "nope", "grain": "month", "from": "2026-01-01", "to": "2026-02-28"})
    assert "E_UNKNOWN_ID" in e.value.codes
    with pytest.raises(okpi.ParseError):
        okpi.kpi_query(KPI_DOC, {"metric": "t", "grain": "fortnight", "from": "2026-01-01", "to": "2026-02-28"})
    with pytest.raises(okpi.ParseError):
        okpi.kpi_score(KPI_DOC, "2026-02-30")


def test_diagnose(doc: Dict[str, Any]) -> None:
    result = okpi.diagnose(doc, "2026-03-10")
    assert 0 <= result["health"]["score"] <= 100
    codes = {f["code"] for f in result["findings"]}
    quiet = okpi.diagnose(doc, "2026-03-10", rules={"disabled": sorted(codes)})
    assert quiet["findings"] == [] and quiet["health"]["score"] == 100
    assert list(okpi.findings_frame(result)["code"]) == [f["code"] for f in result["findings"]]
    with pytest.raises(okpi.SettingsError) as e:
        okpi.diagnose(doc, "2026-03-10", rules={"surge_window": 2})
    assert e.value.paths == ["$.settings.surge_window"]
    with pytest.raises(okpi.ParseError):
        okpi.diagnose(doc, "2026-03-10", rules={"stale": 3})


def test_document_alerts_and_resume() -> None:
    doc: Dict[str, Any] = dict(KPI_DOC)
    doc["alert_rules"] = [
        {"id": "east_quiet", "metric": "t", "scope": "east", "grain": "month", "condition": "below",
         "critical": {"value": 25}}
    ]
    whole = okpi.alerts(doc, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    (a,) = whole["alerts"]
    assert [o["value"] for o in a["series"]] == [30.0, 20.0, 0.0]  # a sum over no observations is 0
    assert [(e["type"], e["date"]) for e in a["events"]] == [("firing", dt.date(2026, 2, 1))]
    first = okpi.alerts(doc, "2026-01-01", "2026-01-31")
    states = {x["rule"]: json.loads(json.dumps(x["state"], default=str)) for x in first["alerts"]}
    rest = okpi.alerts(doc, "2026-02-01", "2026-03-31", states=states)
    assert rest["alerts"][0]["events"] == a["events"] and rest["alerts"][0]["state"] == a["state"]
    with pytest.raises(okpi.ValidationError) as e:
        okpi.alerts({**doc, "alert_rules": [{**doc["alert_rules"][0], "scope": "mars"}]}, "2026-01-01", "2026-01-31")
    assert e.value.paths == ["$.alert_rules[0].scope"]


# --- OKR and KPI together -------------------------------------------------------------------------------------

HYBRID_DOC: Dict[str, Any] = {
    "schema_version": 1,
    "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
    "org_units": [{"id": "co"}, {"id": "shop", "parent": "co"}, {"id": "ops", "parent": "co"}],
    "measures": [{"id": "revenue"}],
    "metrics": [{"id": "rev", "kind": "simple", "measure": "revenue"}],
    "observations": [
        {"measure": "revenue", "date": "2026-01-05", "value": 10, "dims": {"unit": "shop"}},
        {"measure": "revenue", "date": "2026-01-28", "value": 20, "dims": {"unit": "shop"}},
        {"measure": "revenue", "date": "2026-02-11", "value": 40, "dims": {"unit": "shop"}},
        {"measure": "revenue", "date": "2026-02-12", "value": 50, "dims": {"unit": "ops"}},
    ],
    "objectives": [{"id": "o1", "cycle": "q1"}, {"id": "o2", "cycle": "q1"}],
    "alignments": [{"child": "o2", "parent": "o1"}],
    "key_results": [
        {"id": "k_rev", "objective": "o1", "kind": "increase", "start": 0, "target": 100,
         "link": {"metric": "rev", "scope": {"unit": "shop"}, "lag_days": 2}},
        {"id": "k_man", "objective": "o1", "kind": "increase", "start": 0, "target": 10},
        {"id": "k_child", "objective": "o2", "kind": "increase", "start": 0, "target": 10},
    ],
    "check_ins": [{"key_result": "k_man", "date": "2026-02-01", "value": 3}],
    "targets": [
        {"id": "t_shop", "metric": "rev", "scope": {"unit": "shop"}, "cycle": "q1", "target": 75, "supports": ["k_rev"]},
        {"id": "t_ops", "metric": "rev", "scope": {"unit": "ops"}, "cycle": "q1", "target": 40, "supports": ["k_rev"]},
    ],
}


def test_linked_kr_reports_its_link_with_dates() -> None:
    ev = okpi.evaluate(HYBRID_DOC, "2026-02-15")
    k = {r["id"]: r for r in ev["key_results"]}["k_rev"]
    # Cut-off 02-13: January's end (30), then 02-13 cycle to date (70).
    assert k["current"] == 70.0 and k["progress"] == pytest.approx(0.7)
    link = k["link"]
    assert link is not None
    assert link["cut_off"] == dt.date(2026, 2, 13)
    assert link["last_check_in"] == dt.date(2026, 2, 13)
    assert link["check_ins"] == 2 and len(link["metric_version"]) == 16
    assert {r["id"]: r for r in ev["key_results"]}["k_man"]["link"] is None


def test_model_check_ins_mark_derived_ones() -> None:
    model = okpi.Model(HYBRID_DOC)
    derived = model.check_ins(dt.date(2026, 2, 15), "k_rev")
    assert [(c["date"], c["value"], c["derived"]) for c in derived] == [
        (dt.date(2026, 1, 31), 30.0, True),
        (dt.date(2026, 2, 13), 70.0, True),
    ]
    assert {c["metric"] for c in derived} == {"rev"}
    results = {k["id"]: k for k in okpi.evaluate(HYBRID_DOC, "2026-02-15")["key_results"]}
    link = results["k_rev"]["link"]
    assert link is not None
    version = link["metric_version"]
    assert {c["metric_version"] for c in derived} == {version}
    manual = model.check_ins("2026-02-15", "k_man")
    assert manual == [{"key_result": "k_man", "date": dt.date(2026, 2, 1), "value": 3.0, "confidence": None,
                       "derived": False}]
    with pytest.raises(okpi.ValidationError) as e:
        model.check_ins("2026-02-15", "nope")
    assert e.value.codes == ["E_UNKNOWN_ID"]
    with pytest.raises(okpi.ValidationError) as e:
        model.apply_check_in({"key_result": "k_rev", "date": "2026-02-01", "value": 5})
    assert e.value.codes == ["E_CHECK_IN_REFUSED"]
    why = model.explain("2026-02-15", "k_rev", "progress")
    assert "rev" in why["formula"] and "2026-02-13" in why["formula"]
    # An explanation's inputs are typed evidence: their dates are dates, as everywhere else.
    link_input = why["inputs"]["link"]
    assert isinstance(link_input, dict) and link_input["cut_off"] == dt.date(2026, 2, 13)


def test_evidence_and_explanation_dates_are_dates(doc: Dict[str, Any]) -> None:
    """A finding's evidence and an explanation's inputs hold dates as ``datetime.date`` (the schema's
    ``format: date``), at any depth, also after ``filter_report``; a text stays a ``str``."""
    findings = okpi.diagnose(doc, "2026-03-10")["findings"]
    stale = [f["evidence"] for f in findings if f["code"] == "okr.stale"]
    assert {"days_since_check_in": 26, "last_check_in": dt.date(2026, 2, 12), "limit": 14} in stale
    lowered = [f["evidence"] for f in findings if f["code"] == "okr.sandbagging"]
    assert lowered and lowered[0]["effective"] == dt.date(2026, 2, 15) and lowered[0]["reason"] == "target_lowered"
    expected = okpi.explain(doc, "2026-03-10", "g1.kr1", "expected")
    assert expected is not None and expected["inputs"]["as_of"] == dt.date(2026, 3, 10)

    model = okpi.Model(HYBRID_DOC)
    why = model.explain("2026-02-15", "k_rev", "progress")
    assert why is not None
    link = why["inputs"]["link"]
    assert isinstance(link, dict) and link["cut_off"] == dt.date(2026, 2, 13)
    assert link["metric"] == "rev" and isinstance(link["metric_version"], str)
    check_ins = why["inputs"]["check_ins"]
    assert isinstance(check_ins, list)
    assert [c["date"] for c in check_ins if isinstance(c, dict)] == [dt.date(2026, 1, 31), dt.date(2026, 2, 13)]

    # filter_report hands back what the core filtered, typed: the same dates, not text.
    hr = {"person": "hra", "roles": ["hr_admin"]}
    with_hr = {**HYBRID_DOC, "people": [{"id": "hra"}]}
    assert okpi.filter_report(with_hr, "explanation", why, hr) == why
    # The call layer's `filter` answers the same typed report: dates as dates, not the filtered JSON's text.
    answered = okpi.Model(with_hr).call({"op": "filter", "kind": "explanation", "report": why, "viewer": hr})
    assert answered == why and isinstance(answered["inputs"]["link"]["cut_off"], dt.date)
    diagnosis = okpi.diagnose(doc, "2026-03-10")
    filtered = okpi.filter_report({**doc, "people": [{"id": "hra"}]}, "diagnosis", diagnosis, hr)
    assert filtered == diagnosis and any(f["evidence"] == stale[0] for f in filtered["findings"])


def test_strategy_view_and_frame() -> None:
    pd = pytest.importorskip("pandas")
    view = okpi.strategy_view(HYBRID_DOC, dt.date(2026, 2, 15))
    assert view["as_of"] == dt.date(2026, 2, 15)
    assert [o["id"] for o in view["objectives"]] == ["o1"]  # o2 aligns to o1
    o1 = view["objectives"][0]
    k_rev = {k["id"]: k for k in o1["key_results"]}["k_rev"]
    lights = {t["id"]: t["light"] for t in k_rev["supports"]}
    assert lights == {"t_ops": "green", "t_shop": "amber"}  # 50/40 = 1.25; 70/75 = 0.933 (0.9 ≤ a < 1)
    assert k_rev["support"]["health"] == 0.75 and k_rev["support"]["light"] == "amber"  # (1 + 0.5)/2
    frame = okpi.strategy_frame(view)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["key_result"]) == ["k_man", "k_rev", "k_rev"]
    assert list(frame["target"].iloc[1:]) == ["t_ops", "t_shop"]
    assert frame["target"].isna().iloc[0] and frame["kr_health"].isna().iloc[0]
    assert list(frame["scope"].iloc[1:]) == ["unit:ops", "unit:shop"]
    custom = okpi.strategy_view(HYBRID_DOC, "2026-02-15", settings={"support_red_below": 0.5})
    assert custom["settings"]["support_red_below"] == 0.5
    with pytest.raises(TypeError):
        okpi.strategy_frame({})


def test_strategy_view_errors() -> None:
    with pytest.raises(okpi.SettingsError) as e:
        okpi.strategy_view(HYBRID_DOC, "2026-02-15", settings={"health_amber": 0.9})
    assert e.value.paths == ["$.settings.health_amber"]
    with pytest.raises(okpi.SettingsError) as e:
        okpi.strategy_view(HYBRID_DOC, "2026-02-15", settings={"evaluation": {"confidence_low": -1}})
    assert e.value.paths == ["$.settings.evaluation.confidence_low"]
    with pytest.raises(okpi.ParseError) as p:
        okpi.strategy_view(HYBRID_DOC, "2026-02-30")
    assert p.value.paths == ["$.as_of"]
    bad = copy.deepcopy(HYBRID_DOC)
    bad["targets"][0]["supports"] = ["ghost"]
    with pytest.raises(okpi.ValidationError) as v:
        okpi.strategy_view(bad, "2026-02-15")
    assert v.value.paths == ["$.targets[0].supports[0]"]


def test_query_units_equals_a_query_per_unit() -> None:
    doc = {
        "schema_version": 1,
        "org_units": [{"id": "co"}, {"id": "east", "parent": "co"}, {"id": "west", "parent": "co"}],
        "measures": [{"id": "orders"}],
        "metrics": [{"id": "o", "kind": "simple", "measure": "orders"}],
        "observations": [
            {"measure": "orders", "date": "2026-03-02", "value": 3, "dims": {"unit": "east"}},
            {"measure": "orders", "date": "2026-04-09", "value": 4, "dims": {"unit": "west"}},
        ],
    }
    query = {"metric": "o", "grain": "month", "from": "2026-03-01", "to": "2026-04-30"}
    table = okpi.Model(doc).query_units(query)
    got = [(c["period_start"].month, c["group"]["unit"], c["value"]) for c in table["cells"]]
    assert got == [(3, "co", 3), (3, "east", 3), (3, "west", 0), (4, "co", 4), (4, "east", 0), (4, "west", 4)]
    for unit in ("co", "east", "west"):
        one = okpi.kpi_query(doc, {**query, "filters": {"unit": unit}})
        assert [c["value"] for c in one["cells"]] == [v for (_, u, v) in got if u == unit]
    with pytest.raises(okpi.ValidationError):
        okpi.Model(doc).query_units({**query, "group_by": ["unit"]})
    # A daily table over 1800–2200 (~146,000 periods) exceeds series_length: refused, never cut short.
    with pytest.raises(okpi.OkpiError) as e:
        okpi.Model(doc).query_units({**query, "grain": "day", "from": "1800-01-01", "to": "2200-12-31"})
    assert e.value.problems[0][:2] == ("E_LIMIT", "$.query.to")


def test_evaluate_arrays_equal_evaluate(doc: Dict[str, Any]) -> None:
    model = okpi.Model(doc)
    ev = model.evaluate("2026-03-10")
    cols = model.evaluate_arrays("2026-03-10")
    assert model.key_result_ids() == [k["id"] for k in ev["key_results"]]
    assert model.objective_ids() == [o["id"] for o in ev["objectives"]]
    assert np.allclose(cols["kr_progress"], [k["progress"] for k in ev["key_results"]], atol=0)
    assert np.allclose(cols["objective_progress"], [o["progress"] for o in ev["objectives"]], atol=0)
    assert [okpi.STATUSES[s] for s in cols["kr_status"]] == [k["status"] for k in ev["key_results"]]
    assert [okpi.STATUSES[s] for s in cols["objective_status"]] == [o["status"] for o in ev["objectives"]]
    current = [np.nan if k["current"] is None else k["current"] for k in ev["key_results"]]
    assert np.allclose(cols["kr_current"], current, equal_nan=True)
    assert cols["kr_status"].dtype == np.int8


def test_evaluate_arrays_gives_the_columns_asked(doc: Dict[str, Any]) -> None:
    # The roll-up's numbers alone (a pass that works out no status, confidence or score), with a status (a full
    # pass), one name as a string: each column equal to the whole evaluation's, bit for bit, and no other.
    model = okpi.Model(doc)
    v = None
    full = model.evaluate_arrays("2026-03-10", viewer=v)
    for asked in (["kr_current", "kr_progress", "objective_progress"], ["kr_weight", "kr_status"],
                  "objective_confidence", []):
        got = model.evaluate_arrays("2026-03-10", viewer=v, columns=asked)
        names = [asked] if isinstance(asked, str) else asked
        assert sorted(got) == sorted(names)
        for name in names:
            assert got[name].dtype == full[name].dtype
            assert got[name].tobytes() == full[name].tobytes(), name
    with pytest.raises(okpi.ParseError) as e:
        model.evaluate_arrays("2026-03-10", columns=["kr_progress", "kr_progres"])
    assert e.value.problems[0][:2] == ("E_INVALID_VALUE", "$.columns[1]")
    assert "kr_progres" in str(e.value)


def test_query_units_arrays_equal_query_units() -> None:
    doc = {
        "schema_version": 1,
        "org_units": [{"id": "co"}, {"id": "east", "parent": "co"}],
        "measures": [{"id": "x"}],
        "metrics": [{"id": "avg", "kind": "simple", "measure": "x", "agg": "avg"}],
        "observations": [{"measure": "x", "date": "2026-03-02", "value": 3, "dims": {"unit": "east"}}],
    }
    query = {"metric": "avg", "grain": "month", "from": "2026-03-01", "to": "2026-04-30"}
    model = okpi.Model(doc)
    units, periods, values = model.query_units_arrays(query)
    assert (units, periods) == (["co", "east"], ["2026-03-01", "2026-04-01"])
    assert values.shape == (2, 2)
    assert values[0].tolist() == [3.0, 3.0] and np.isnan(values[1]).all()  # April: an average of nothing


def test_alert_evaluate_many_equals_alert_evaluate() -> None:
    rule = {"id": "r", "metric": "m", "scope": "s", "grain": "day", "condition": "above",
            "critical": {"value": 10}, "for": 1}
    dates = [f"2026-01-0{d}" for d in range(1, 6)]
    rows = np.array([[5.0, 11.0, 12.0, 3.0, np.nan], [11.0, 11.0, 11.0, 11.0, 11.0]])
    with pytest.warns(DeprecationWarning):
        many = okpi.alert_evaluate_many([rule, rule], dates, rows)
    for i, row in enumerate(rows):
        series = [{"date": d, "value": None if np.isnan(v) else v} for d, v in zip(dates, row)]
        one = okpi.alert_evaluate(rule, series)["events"]
        mine = many["series"] == i
        assert [okpi.EVENT_KINDS[k] for k in many["kind"][mine]] == [e["type"] for e in one]
        assert [dates[s] for s in many["step"][mine]] == [e["date"].isoformat() for e in one]
    with pytest.raises(okpi.ValidationError), pytest.warns(DeprecationWarning):
        okpi.alert_evaluate_many([rule], dates, rows)


def many_objectives(doc: Dict[str, Any], n: int) -> Dict[str, Any]:
    """``doc`` with ``n`` more objectives of one key result each, enough for the parallel pass to split its work."""
    big = copy.deepcopy(doc)
    o, k = doc["objectives"][0], doc["key_results"][0]
    for i in range(n):
        big["objectives"].append({**o, "id": f"many{i}"})
        big["key_results"].append({**k, "id": f"many{i}.kr", "objective": f"many{i}"})
    return big


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")
def test_evaluate_arrays_works_in_a_forked_child(doc: Dict[str, Any]) -> None:
    # The parallel pass runs on threads. A child forked after the parent used them has none of them: on rayon's
    # global pool its first call would wait forever (multiprocessing's default start method on Linux before 3.14).
    model = okpi.Model(many_objectives(doc, 10_000))
    want = model.evaluate_arrays("2026-03-10")["objective_progress"]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        os.close(r)
        got = model.evaluate_arrays("2026-03-10")["objective_progress"]
        os.write(w, b"same" if np.array_equal(got, want) else b"different")
        os._exit(0)
    os.close(w)
    ready, _, _ = select.select([r], [], [], 60)
    answer = os.read(r, 16) if ready else b"hung"
    if not ready:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(r)
    assert answer == b"same"
