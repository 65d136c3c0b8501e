"""Hardening from Python: limits (keyword `limits=`), results equal to the Rust golden files (every number the same
float, every date the same day) across input orders, and one model evaluated from 8 threads at once."""

from __future__ import annotations

import concurrent.futures
import json
import os
import pickle
import random
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import okpi
from okpi import _okpi

ROOT = Path(__file__).resolve().parents[3]
QUARTER = ROOT / "examples" / "data" / "quarter.json"
AS_OF = "2026-03-10"


def plain(value: Any) -> Any:
    """Python results as JSON reads them (dates as their text), to compare with a golden file's JSON."""
    return json.loads(json.dumps(value, default=lambda d: d.isoformat()))


def outputs(text: str) -> Dict[str, Any]:
    """The three outputs every language compares, as the native module gives them (Python objects, no JSON)."""
    return {
        "validate": plain(_okpi.validate(text)),
        "evaluate": plain(_okpi.evaluate(text, AS_OF)),
        "diagnose": plain(_okpi.diagnose(text, AS_OF)),
    }


def shuffled(doc: Dict[str, Any], seed: int) -> str:
    """Every top-level array shuffled; check-ins of one key result on one day keep their relative order (the later
    one wins a tie, DOMAIN.md §2)."""
    rng = random.Random(seed)
    out = dict(doc)
    for key, items in doc.items():
        if isinstance(items, list):
            items = list(items)
            rng.shuffle(items)
            out[key] = items
    if "check_ins" in out:

        def same_day(c: Dict[str, Any]) -> Tuple[Any, Any]:
            return (c["key_result"], c["date"])

        originals: Dict[Any, List[Any]] = {}
        for c in doc["check_ins"]:
            originals.setdefault(same_day(c), []).append(c)
        out["check_ins"] = [originals[same_day(c)].pop(0) for c in out["check_ins"]]
    return json.dumps(out, ensure_ascii=False)


def golden_dir() -> Path:
    given = os.environ.get("OKPI_DETERMINISM_DIR")
    if given:
        return Path(given)
    default = ROOT / "target" / "tmp" / "determinism"
    if not default.is_dir():
        pytest.skip("no golden files: run `cargo test -p okpi-conformance --test determinism` (make test does)")
    return default


def test_results_are_byte_identical_to_rust_across_runs_and_input_orders() -> None:
    folder = golden_dir()
    golden = {name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8")) for name in ("validate", "evaluate", "diagnose")}
    text = QUARTER.read_text(encoding="utf-8")
    assert outputs(text) == golden
    assert outputs(text) == golden  # a second run
    doc = json.loads(text)
    for seed in range(1, 9):
        assert outputs(shuffled(doc, seed)) == golden, f"seed {seed}"


def test_one_model_from_8_threads_gives_one_threads_results() -> None:
    model = okpi.Model(QUARTER)
    days = [f"2026-{m:02d}-{d:02d}" for m in (1, 2, 3) for d in (1, 15, 28)]
    alone = [model.evaluate(d) for d in days]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: [model.evaluate(d) for d in days], range(8)))
    assert all(r == alone for r in results)


def test_limits_keyword_reaches_every_call_and_raises_limit_error() -> None:
    doc = json.loads(QUARTER.read_text(encoding="utf-8"))
    with pytest.raises(okpi.LimitError) as e:
        okpi.evaluate(doc, AS_OF, limits={"objectives": 2})
    assert e.value.problems[0][:2] == ("E_LIMIT", "$.objectives")
    assert "limit objectives is 2" in e.value.problems[0][2]
    assert isinstance(e.value, okpi.OkpiError) and isinstance(e.value, ValueError)
    with pytest.raises(okpi.LimitError):
        okpi.validate(doc, limits={"document_bytes": 100})
    with pytest.raises(okpi.LimitError):
        okpi.diagnose(doc, AS_OF, limits={"json_depth": 2})
    with pytest.raises(okpi.LimitError):
        okpi.Model(doc, limits={"text_bytes": 10})
    with pytest.raises(okpi.SettingsError) as s:
        okpi.validate(doc, limits={"objectives": 0})
    assert s.value.codes == ["E_SETTINGS"]
    with pytest.raises(okpi.SettingsError) as u:  # like settings: a limit okpi does not know
        okpi.validate(doc, limits={"objectivez": 5})
    assert u.value.problems[0][:2] == ("E_PARSE", "$.limits.objectivez")
    rule = {"id": "r", "metric": "m", "scope": "s", "grain": "day", "condition": "above", "critical": {"value": 1}}
    series = [{"date": "2026-01-0%d" % d, "value": d} for d in range(1, 5)]
    assert okpi.alert_evaluate(rule, series)["events"]
    with pytest.raises(okpi.LimitError) as a:
        okpi.alert_evaluate(rule, series, limits={"series_length": 3})
    assert a.value.paths == ["$.series"]


def test_a_model_keeps_its_limits_through_pickling() -> None:
    model = okpi.Model(QUARTER, limits={"objectives": 3, "series_length": 50})
    assert model.limits["objectives"] == 3 and model.limits["json_depth"] == okpi.DEFAULT_LIMITS["json_depth"]
    again = pickle.loads(pickle.dumps(model))
    assert again.limits == model.limits
    assert again.evaluate(AS_OF) == model.evaluate(AS_OF)


def test_default_limits_are_published() -> None:
    assert okpi.DEFAULT_LIMITS == {
        "document_bytes": 4 * 1024 * 1024 * 1024,
        "json_depth": 32,
        "text_bytes": 65536,
        "expression_length": 1024,
        "expression_depth": 64,
        "objectives": 1_000_000,
        "alignment_depth": 64,
        "series_length": 100_000,
        "alert_lookback": 1000,
        "cycle_days": 1827,
        "yaml_expansion": 10,
        "file_bytes": 256 * 1024 * 1024,
    }
    assert "E_LIMIT" in okpi.ERROR_CODES
