"""``Model.call``: the call layer's JSON form from Python — the same answers as the methods and functions, the
same exception classes, paths inside the call, and the shared vectors run through it."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any, Dict, List

import pytest

import okpi
from vectors import ROOT, cases, error_mismatches, subset_mismatches

QUARTER = ROOT / "examples" / "data" / "quarter.json"
AS_OF = dt.date(2026, 2, 15)


@pytest.fixture()
def doc() -> Dict[str, Any]:
    loaded: Dict[str, Any] = json.loads(QUARTER.read_text(encoding="utf-8"))
    return loaded


def test_call_answers_as_the_methods_do(doc: Dict[str, Any]) -> None:
    m = okpi.Model(doc)
    assert m.call({"op": "evaluate", "as_of": AS_OF}) == m.evaluate(AS_OF)
    assert m.call('{"op": "evaluate", "as_of": "2026-02-15"}') == okpi.evaluate(doc, AS_OF)
    settings = {"overshoot": {"cap": 1.25}}
    assert m.call({"op": "evaluate", "as_of": "2026-02-15", "settings": settings}) == m.evaluate(AS_OF, settings=settings)
    why = m.call({"op": "explain", "as_of": "2026-02-15", "id": "c1.kr1", "quantity": "progress"})
    assert why == okpi.explain(doc, AS_OF, "c1.kr1", "progress")
    listed = m.call({"op": "check_ins", "as_of": "2026-02-15", "key_result": "c1.kr1"})
    assert listed == m.check_ins(AS_OF, "c1.kr1") and isinstance(listed, list)
    assert m.call({"op": "document"}) == m.to_document()
    assert m.call({"op": "diagnose", "as_of": "2026-02-15"}) == okpi.diagnose(doc, AS_OF)
    assert m.call({"op": "strategy_view", "as_of": "2026-02-15"}) == okpi.strategy_view(doc, AS_OF)
    assert isinstance(m.call({"op": "evaluate", "as_of": "2026-02-15"})["as_of"], dt.date)


def test_call_applies_a_check_in(doc: Dict[str, Any]) -> None:
    m = okpi.Model(doc)
    check_in = {"key_result": "c1.kr1", "date": "2026-02-10", "value": 4.05, "confidence": 8}
    assert m.call({"op": "apply_check_in", "check_in": check_in}) is None
    kr = {k["id"]: k for k in m.evaluate(AS_OF)["key_results"]}["c1.kr1"]
    assert kr["current"] == 4.05
    state = m.to_json()
    with pytest.raises(okpi.ValidationError) as e:
        m.call({"op": "apply_check_in", "check_in": {**check_in, "key_result": "nope"}})
    assert "E_UNKNOWN_ID" in e.value.codes
    assert m.to_json() == state


def test_call_errors_name_the_path_inside_the_call(doc: Dict[str, Any]) -> None:
    m = okpi.Model(doc)
    with pytest.raises(okpi.ParseError) as e:
        m.call({"op": "evaluate", "as_of": "2026-02-30"})
    assert e.value.paths == ["$.as_of"] and e.value.codes == ["E_PARSE"]
    with pytest.raises(okpi.ParseError) as e:
        m.call({"op": "evaluate", "as_of": "2026-02-15", "settings": {"overshoot": 3}})
    assert e.value.paths == ["$.settings.overshoot"]
    with pytest.raises(okpi.SettingsError) as s:
        m.call({"op": "evaluate", "as_of": "2026-02-15", "settings": {"on_track_tolerance": -1}})
    assert s.value.paths == ["$.settings.on_track_tolerance"]
    with pytest.raises(okpi.ParseError) as e:
        m.call({"op": "fly"})
    assert e.value.paths == ["$.op"] and e.value.codes == ["E_INVALID_VALUE"]
    with pytest.raises(okpi.ParseError):
        m.call({"op": "explain", "as_of": "2026-02-15", "id": "c1.kr1", "quantity": "happiness"})
    with pytest.raises(okpi.ValidationError) as v:
        m.call({"op": "explain", "as_of": "2026-02-15", "id": "nope", "quantity": "progress"})
    assert v.value.codes == ["E_UNKNOWN_ID"] and v.value.paths == ["$.id"]
    with pytest.raises(okpi.ParseError) as e:
        m.call({"op": "evaluate", "as_of": "2026-02-15", "colour": "red"})
    assert "colour" in str(e.value)


def test_call_reads_under_the_models_limits(doc: Dict[str, Any]) -> None:
    m = okpi.Model(doc, limits={"json_depth": 6})
    with pytest.raises(okpi.LimitError):
        m.call({"op": "query", "query": {"metric": "m", "filters": {"a": [[[[[1]]]]]}}})
    with pytest.raises(okpi.ParseError):  # as deep as the limit allows: read, and refused as a query
        m.call({"op": "query", "query": {"metric": "m", "filters": {"a": [[1]]}}})


def test_call_shares_the_model_between_threads(doc: Dict[str, Any]) -> None:
    m = okpi.Model(doc)
    want = m.evaluate(AS_OF)
    got: List[Any] = []

    def run() -> None:
        for _ in range(20):
            got.append(m.call({"op": "evaluate", "as_of": "2026-02-15"}))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 80 and all(g == want for g in got)


OKR = cases("okr")
ACCESS = [(n, c) for n, c in cases("access") if c.get("report", "evaluation") == "evaluation"]


def _through_call(case: Any, call: Dict[str, Any]) -> List[str]:
    try:
        result = okpi.Model(case.get("document")).call(call)
    except okpi.OkpiError as e:
        if "expect_error" in case and "expect" not in case:
            return error_mismatches(case["expect_error"], e)
        return [f"unexpected error: {e}\n{e.problems}"]
    if "expect" in case and "expect_error" not in case:
        return subset_mismatches(case["expect"], result)
    return [f"expected an error, got {result!r}"]


@pytest.mark.parametrize("name,case", OKR, ids=[n for n, _ in OKR])
def test_okr_vector_through_call(name: str, case: Any) -> None:
    call = {"op": "evaluate", "as_of": case.get("as_of")}
    if "settings" in case:
        call["settings"] = case["settings"]
    problems = _through_call(case, call)
    assert not problems, f"{name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name,case", ACCESS, ids=[n for n, _ in ACCESS])
def test_access_vector_through_call(name: str, case: Any) -> None:
    try:
        okpi.validate(case.get("document"))
    except okpi.ValidationError:
        pytest.skip("an invalid document has no Model to call")
    call = {"op": "evaluate", "as_of": case.get("as_of"), "viewer": case.get("viewer")}
    if "settings" in case:
        call["settings"] = case["settings"]
    problems = _through_call(case, call)
    outcome = json.dumps(okpi.Model(case["document"]).call(call), default=str) if not problems else ""
    problems += [f"{s!r} occurs in the outcome" for s in case.get("absent", []) if s and s in outcome]
    assert not problems, f"{name}:\n" + "\n".join(problems)
