"""The runner logic of the shared vectors, as in tests/src/lib.rs: load, call, compare."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import okpi

ROOT = Path(__file__).resolve().parents[3]
VECTORS = ROOT / "tests" / "vectors"
TOLERANCE = 1e-9


def cases(area: str) -> List[Tuple[str, Any]]:
    """Every case of one area as (file name, parsed JSON), sorted by name; none when the folder is missing."""
    folder = VECTORS / area
    if not folder.is_dir():
        return []
    return [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.json"))]


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def as_of(obj: Any, key: str = "as_of") -> str:
    """The case's date at `key`: a missing or unreadable date fails the case, never a default day."""
    text = obj.get(key) if isinstance(obj, dict) else None
    try:
        dt.date.fromisoformat(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"the case's {key} {text!r} is not a YYYY-MM-DD date") from None
    return str(text)


def subset_mismatches(expect: Any, actual: Any, path: str = "$") -> List[str]:
    """Every field of `expect` must be in `actual` with an equal value (floats within 1e-9); an object matched
    against a list of objects selects elements by their id. Dates in `actual` compare by their ISO text."""
    if isinstance(actual, dt.date):
        actual = actual.isoformat()
    if isinstance(expect, dict) and isinstance(actual, dict):
        out: List[str] = []
        for k, ev in expect.items():
            if k in actual:
                out += subset_mismatches(ev, actual[k], f"{path}.{k}")
            elif ev is not None:
                out.append(f"{path}.{k}: missing, expected {ev!r}")
        return out
    if isinstance(expect, dict) and isinstance(actual, list):
        out = []
        for id_, ev in expect.items():
            found = [it for it in actual if isinstance(it, dict) and it.get("id") == id_]
            if found:
                out += subset_mismatches(ev, found[0], f"{path}[id={id_}]")
            else:
                out.append(f"{path}: no item with id {id_}")
        # Every item of the result is one the case lists: an extra item is a mismatch.
        for it in actual:
            id_ = it.get("id") if isinstance(it, dict) else None
            if id_ not in expect:
                out.append(f"{path}: unexpected item with id {id_!r}")
        return out
    if isinstance(expect, list) and isinstance(actual, list):
        if len(expect) != len(actual):
            return [f"{path}: expected {len(expect)} items, got {len(actual)}: {actual!r}"]
        out = []
        for i, (ev, av) in enumerate(zip(expect, actual)):
            out += subset_mismatches(ev, av, f"{path}[{i}]")
        return out
    if _is_number(expect) and _is_number(actual):
        x, y = float(expect), float(actual)
        if y == 0 and math.copysign(1.0, y) < 0:  # DOMAIN.md §0: a zero is written as 0, never −0
            return [f"{path}: expected {x}, got -0"]
        if abs(x - y) <= TOLERANCE or (math.isnan(x) and math.isnan(y)):
            return []
        return [f"{path}: expected {x}, got {y}"]
    if type(expect) is type(actual) and expect == actual:
        return []
    return [f"{path}: expected {expect!r}, got {actual!r}"]


def error_mismatches(expect: Any, err: okpi.OkpiError) -> List[str]:
    """The problems of an error against `expect_error` (a list of {code, path}), as multisets."""
    want = sorted((p.get("code", ""), p.get("path", "")) for p in (expect or []))
    got = sorted((p.code, p.path) for p in err.problems)
    if want == got:
        return []
    return [f"expected problems {want}\n   got {got}\n   messages: {[p.message for p in err.problems]}"]


def run_okr_case(case: Any) -> List[str]:
    try:
        model = okpi.Model(case.get("document"))
        ev = model.evaluate(as_of(case), settings=case.get("settings"))
    except okpi.OkpiError as e:
        if "expect_error" in case and "expect" not in case:
            return error_mismatches(case["expect_error"], e)
        return [f"unexpected error: {e}\n{e.problems}"]
    if "expect_error" in case:
        return ["expected an error, got an evaluation"]
    if "expect" not in case:
        return ["case has neither expect nor expect_error"]
    return subset_mismatches(case["expect"], ev)


def run_advisor_case(case: Any) -> List[str]:
    profiles = case["profile"] if "profile" in case else case.get("profiles")
    try:
        result = okpi.advise(profiles, settings=case.get("settings"))
    except okpi.OkpiError as e:
        if "expect_error" in case and "expect" not in case:
            return error_mismatches(case["expect_error"], e)
        return [f"unexpected error: {e}"]
    if "expect" in case and "expect_error" not in case:
        return subset_mismatches(case["expect"], result)
    return [f"expected an error, got {result!r}"]


def _outcome(case: Any, call: Any) -> List[str]:
    """Calls, then compares the result with `expect` or the error with `expect_error`."""
    try:
        result = call()
    except okpi.OkpiError as e:
        if "expect_error" in case and "expect" not in case:
            return error_mismatches(case["expect_error"], e)
        return [f"unexpected error: {e}\n{e.problems}"]
    if "expect" in case and "expect_error" not in case:
        return subset_mismatches(case["expect"], result)
    return [f"expected an error, got {result!r}"]


def run_diagnose_case(case: Any) -> List[str]:
    return _outcome(
        case,
        lambda: okpi.diagnose(
            case.get("document"), as_of(case), settings=case.get("settings"), rules=case.get("diagnose_settings")
        ),
    )


def run_kpi_case(case: Any) -> List[str]:
    doc = case.get("document")
    if "query" in case:
        return _outcome(case, lambda: okpi.kpi_query(doc, case["query"]))
    if "score" in case:
        return _outcome(case, lambda: okpi.kpi_score(doc, as_of(case["score"])))
    if "scorecards" in case:
        return _outcome(case, lambda: okpi.scorecards(doc, case["scorecards"]))
    return _outcome(case, lambda: okpi.validate(doc))


def run_alert_case(case: Any) -> List[str]:
    """An alert case expects every event in order (`expect_events`) and optionally the final state."""
    if "expect_error" not in case:
        case = dict(case)
        case["expect"] = {"events": case.get("expect_events"), **({"state": case["expect_state"]} if "expect_state" in case else {})}
    return _outcome(case, lambda: okpi.alert_evaluate(case.get("rule"), case.get("series", []), state=case.get("state")))


def run_hybrid_case(case: Any) -> List[str]:
    """A hybrid case expects ``{"evaluation", "strategy_view"}``: the strategy view with the case's settings and the
    evaluation with their ``evaluation`` part."""
    doc, day, settings = case.get("document"), as_of(case), case.get("settings")

    def call() -> Any:
        view = okpi.strategy_view(doc, day, settings=settings)
        return {"evaluation": okpi.evaluate(doc, day, settings=(settings or {}).get("evaluation")), "strategy_view": view}

    return _outcome(case, call)


def run_access_case(case: Any) -> List[str]:
    """An access case: the report it names, computed for its `viewer` through the `viewer=` keyword, compared with
    `expect` (or the error's problems with `expect_error`); no `absent` string may occur in the outcome."""
    doc, viewer = case.get("document"), case["viewer"]
    calls: Dict[str, Callable[[], Any]] = {
        "evaluation": lambda: okpi.evaluate(doc, as_of(case), settings=case.get("settings"), viewer=viewer),
        "query": lambda: okpi.kpi_query(doc, case.get("query"), viewer=viewer),
        "score": lambda: okpi.kpi_score(doc, as_of(case), viewer=viewer),
        "scorecards": lambda: okpi.scorecards(doc, case.get("scorecards"), viewer=viewer),
        "alerts": lambda: okpi.alerts(doc, case["alerts"]["from"], case["alerts"]["to"], viewer=viewer),
        "strategy_view": lambda: okpi.strategy_view(doc, as_of(case), viewer=viewer),
        "query_units": lambda: okpi.Model(doc).query_units(case.get("query"), viewer=viewer),
        "check_ins": lambda: okpi.Model(doc).check_ins(as_of(case), case["key_result"], viewer=viewer),
        "diagnosis": lambda: okpi.diagnose(
            doc, as_of(case), settings=case.get("settings"), rules=case.get("diagnose_settings"), viewer=viewer
        ),
    }
    call = calls[case.get("report", "evaluation")]
    try:
        text = json.dumps(call(), default=str, ensure_ascii=False)
    except okpi.OkpiError as e:
        text = json.dumps(e.problems, ensure_ascii=False) + str(e)
    leaks = [f"{s!r} occurs in the filtered outcome: {text}" for s in case.get("absent", []) if s and s in text]
    return _outcome(case, call) + leaks


_HEAD = '{"schema_version": 1, "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}], '


def generate(spec: Any) -> str:
    """The document a bad-input case describes instead of holding it (as the Rust runner's `generate`)."""
    if "chain" in spec:
        n = spec["chain"]
        objectives = ", ".join(f'{{"id": "o{i}", "cycle": "q"}}' for i in range(n))
        alignments = ", ".join(f'{{"child": "o{i - 1}", "parent": "o{i}"}}' for i in range(1, n))
        return f'{_HEAD}"objectives": [{objectives}], "alignments": [{alignments}]}}'
    if "title_bytes" in spec:
        return f'{_HEAD}"objectives": [{{"id": "o", "cycle": "q", "title": "{"x" * spec["title_bytes"]}"}}]}}'
    if "nesting" in spec:
        n = int(spec["nesting"])
        return '{"schema_version": 1, "objectives": ' + "[" * n + "]" * n + "}"
    return ""


def document_input(case: Any) -> Any:
    """The document of a bad-input case as the API takes it: JSON text, or bytes for `document_hex`."""
    if "document_text" in case:
        return case["document_text"]
    if "document_hex" in case:
        return bytes.fromhex(case["document_hex"])
    if "generate" in case:
        return generate(case["generate"])
    return json.dumps(case.get("document"), ensure_ascii=False)


def run_error_case(case: Any) -> List[str]:
    """A bad input must raise an OkpiError with exactly the problems of `expect_error`."""
    limits = case.get("limits")
    call = case.get("call", "validate")
    try:
        if call == "alert_evaluate":
            okpi.alert_evaluate(
                json.dumps(case.get("rule")), json.dumps(case.get("series", [])), state=case.get("state"), limits=limits
            )
        elif call == "evaluate":
            okpi.evaluate(document_input(case), case.get("as_of", ""), settings=case.get("settings"), limits=limits)
        elif call == "kpi_query":
            okpi.kpi_query(document_input(case), case.get("query"), limits=limits)
        else:
            okpi.validate(document_input(case), limits=limits)
    except okpi.OkpiError as e:
        return error_mismatches(case.get("expect_error"), e)
    return ["expected an error, the call succeeded"]
