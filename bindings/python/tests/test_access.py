"""Who may see what, from Python: the viewer= keyword, okpi.filter for every report kind, problems and errors."""

from __future__ import annotations

import copy
import json
from typing import Any, Dict

import numpy as np
import pytest

import okpi
from vectors import VECTORS

AS_OF = "2026-02-15"


def case(name: str) -> Dict[str, Any]:
    return json.loads((VECTORS / "access" / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture()
def doc() -> Dict[str, Any]:
    """The shared vectors' organisation with KPI data (see tests/tools/gen_access_vectors.py)."""
    document: Dict[str, Any] = case("011_score_employee_small_group_withheld.json")["document"]
    return document


BOB = {"person": "bob"}
HR = {"person": "hra"}


def test_viewer_keyword_filters_the_evaluation(doc: Dict[str, Any]) -> None:
    full = okpi.evaluate(doc, AS_OF)
    mine = okpi.evaluate(doc, AS_OF, viewer=BOB)
    assert [o["id"] for o in mine["objectives"]] == ["bob_team", "co_pub", "eng_team"]
    co = {o["id"]: o for o in mine["objectives"]}["co_pub"]
    assert co["progress"] == pytest.approx(0.6)  # the true roll-up, private child included
    assert [s["id"] for s in co["sources"]] == ["eng_team"]
    assert "ann_priv" not in json.dumps(mine, default=str)
    assert okpi.evaluate(doc, AS_OF, viewer=HR) == full


def test_filter_equals_the_viewer_keyword_for_every_kind(doc: Dict[str, Any]) -> None:
    reports: Dict[str, Any] = {
        "evaluation": (okpi.evaluate(doc, AS_OF), okpi.evaluate(doc, AS_OF, viewer=BOB)),
        "score": (okpi.kpi_score(doc, AS_OF), okpi.kpi_score(doc, AS_OF, viewer=BOB)),
        "scorecards": (
            okpi.scorecards(doc, {"as_of": AS_OF}),
            okpi.scorecards(doc, {"as_of": AS_OF}, viewer=BOB),
        ),
        "query": (
            okpi.kpi_query(doc, {"metric": "calls_m", "from": "2026-01-01", "to": "2026-01-31", "group_by": ["person"]}),
            okpi.kpi_query(
                doc,
                {"metric": "calls_m", "from": "2026-01-01", "to": "2026-01-31", "group_by": ["person"]},
                viewer=BOB,
            ),
        ),
        "alerts": (
            okpi.alerts(doc, "2026-01-01", "2026-01-31"),
            okpi.alerts(doc, "2026-01-01", "2026-01-31", viewer=BOB),
        ),
        "diagnosis": (okpi.diagnose(doc, AS_OF), okpi.diagnose(doc, AS_OF, viewer=BOB)),
    }
    for kind, (full, mine) in reports.items():
        assert okpi.filter_report(doc, kind, full, BOB) == mine, kind
        assert okpi.filter_report(doc, kind, mine, BOB) == mine, kind  # idempotent
        assert okpi.filter_report(doc, kind, full, HR) == full, kind
    cells = reports["query"][1]["cells"]
    assert [c["group"]["person"] for c in cells] == ["bob"]


def test_explanations_of_hidden_items_are_unknown(doc: Dict[str, Any]) -> None:
    why = okpi.explain(doc, AS_OF, "co_pub", "progress", viewer=BOB)
    sources = why["inputs"]["sources"]  # typed evidence: a list of records, narrowed for mypy
    assert isinstance(sources, list) and [s["id"] for s in sources if isinstance(s, dict)] == ["eng_team"]
    assert why["value"] == pytest.approx(0.6)
    with pytest.raises(okpi.ValidationError) as hidden:
        okpi.explain(doc, AS_OF, "kr_ann", "progress", viewer=BOB)
    with pytest.raises(okpi.ValidationError) as unknown:
        okpi.explain(doc, AS_OF, "kr_nobody", "progress", viewer=BOB)
    assert hidden.value.codes == unknown.value.codes == ["E_UNKNOWN_ID"]
    full = okpi.explain(doc, AS_OF, "kr_ann", "progress")
    assert okpi.filter_report(doc, "explanation", full, BOB) is None
    assert okpi.filter_report(doc, "explanation", full, {"person": "ann"}) == full
    assert okpi.filter_report(doc, "explanation", None, BOB) is None


def test_advice_is_unchanged(doc: Dict[str, Any]) -> None:
    advice = okpi.advise(
        {
            "id": "line",
            "uncertainty": 0.8,
            "standardization": 0.2,
            "lifecycle": "growth",
            "failure_tolerance": 0.8,
            "transparency": 0.8,
            "self_drive": 0.8,
            "manager_coaching": 0.8,
            "readiness": {"goal_design": 0.8, "data_reliability": 0.8, "communication_cadence": 0.8},
        }
    )
    assert okpi.filter_report(doc, "advice", advice, BOB) == advice


def test_problems_of_an_invalid_document_name_no_hidden_id(doc: Dict[str, Any]) -> None:
    bad = copy.deepcopy(doc)
    bad["alignments"].append({"child": "bob_team", "parent": "oli_priv"})
    with pytest.raises(okpi.ValidationError) as seen_by_hr:
        okpi.evaluate(bad, AS_OF, viewer=HR)
    assert "oli_priv" in str(seen_by_hr.value)
    with pytest.raises(okpi.ValidationError) as seen_by_bob:
        okpi.kpi_score(bad, AS_OF, viewer=BOB)
    assert seen_by_bob.value.codes == ["E_PRIVATE_ALIGNMENT"]
    assert seen_by_bob.value.problems[0][1] == "$.alignments[3].parent"
    assert "oli_priv" not in str(seen_by_bob.value) and "oli_priv" not in repr(seen_by_bob.value.problems)
    with pytest.raises(okpi.ValidationError) as unfiltered:
        okpi.validate(bad)
    for report in (unfiltered.value, unfiltered.value.problems):
        problems = okpi.filter_report(bad, "problems", report, BOB)
        assert [(p["code"], p["path"]) for p in problems] == [("E_PRIVATE_ALIGNMENT", "$.alignments[3].parent")]
        assert problems[0]["message"] == HIDDEN_PROBLEM
    # A problem about a hidden item keeps its code and path only: no id, and no value or date in its message.
    with_ids = [{"code": "E_UNKNOWN_ID", "path": "$.x", "id": "kr_oli", "message": "kr_oli is 37 on 2026-02-25"}]
    assert okpi.filter_report(bad, "problems", with_ids, BOB) == [
        {"code": "E_UNKNOWN_ID", "path": "$.x", "message": HIDDEN_PROBLEM}
    ]


def test_unknown_viewer_reveals_nothing(doc: Dict[str, Any]) -> None:
    with pytest.raises(okpi.ValidationError) as e:
        okpi.evaluate(doc, AS_OF, viewer={"person": "zed"})
    assert e.value.problems == [("E_UNKNOWN_ID", "$.viewer.person", "the viewer is not a person of the document", None)]
    with pytest.raises(okpi.ValidationError):
        okpi.filter_report(doc, "evaluation", okpi.evaluate(doc, AS_OF), {"person": "zed"})


def test_bad_kinds_and_viewers_are_clear_errors(doc: Dict[str, Any]) -> None:
    ev = okpi.evaluate(doc, AS_OF)
    with pytest.raises(okpi.ValidationError) as kind:
        okpi.filter_report(doc, "strategy", ev, BOB)
    assert kind.value.problems[0][:2] == ("E_INVALID_VALUE", "$.kind")
    with pytest.raises(okpi.ParseError) as report:
        okpi.filter_report(doc, "score", ev, BOB)
    assert report.value.problems[0][1].startswith("$.report")
    with pytest.raises(okpi.ParseError) as viewer:
        okpi.evaluate(doc, AS_OF, viewer={"person": "bob", "roles": ["ceo"]})
    assert viewer.value.problems[0][1] == "$.viewer.roles[0]"
    assert set(okpi.REPORT_KINDS) >= {"evaluation", "problems"}


def test_roles_and_settings_in_the_viewer(doc: Dict[str, Any]) -> None:
    mia = okpi.evaluate(doc, AS_OF, viewer={"person": "mia"})
    as_employee = okpi.evaluate(doc, AS_OF, viewer={"person": "mia", "roles": ["employee"]})
    assert "ann_priv" in json.dumps(mia, default=str) and "ann_priv" not in json.dumps(as_employee, default=str)
    small = okpi.kpi_score(doc, AS_OF, viewer=BOB)
    shown = okpi.kpi_score(doc, AS_OF, viewer={"person": "bob", "settings": {"min_group_size": 2}})
    # web's hidden part for bob is ann and wes: under 5 withheld, at a minimum of 2 shown.
    assert [(t["id"], t.get("withheld")) for t in small["targets"]] == [
        ("t_bob", None), ("t_co", "small_group"), ("t_web", "small_group")
    ]
    assert [t["score"] for t in small["targets"]] == [100, None, None]
    assert [(t["id"], t["score"]) for t in shown["targets"] if t["id"] == "t_web"] == [("t_web", 60)]


HIDDEN_PROBLEM = "a problem with an item you may not see"


def test_every_model_call_returning_peoples_data_takes_a_viewer(doc: Dict[str, Any]) -> None:
    model = okpi.Model(doc)
    full = model.evaluate(AS_OF)
    assert model.evaluate(AS_OF, viewer=HR) == full
    mine = model.evaluate(AS_OF, viewer=BOB)
    assert mine == okpi.evaluate(doc, AS_OF, viewer=BOB) and mine != full
    hidden = [o for o in model.objective_ids() if o not in model.objective_ids(viewer=BOB)]
    assert hidden and all(h not in json.dumps(mine, default=str) for h in hidden)
    assert len(model.evaluate_arrays(AS_OF, viewer=BOB)["objective_progress"]) == len(model.objective_ids(viewer=BOB))
    bobs = model.evaluate_arrays(AS_OF, viewer=BOB)
    only = model.evaluate_arrays(AS_OF, viewer=BOB, columns=["objective_progress", "kr_status"])
    assert sorted(only) == ["kr_status", "objective_progress"]
    assert all(only[c].tobytes() == bobs[c].tobytes() for c in only)
    hidden_krs = [k for k in model.key_result_ids() if k not in model.key_result_ids(viewer=BOB)]
    for kr in hidden_krs:
        assert model.check_ins(AS_OF, kr) is not None
        with pytest.raises(okpi.ValidationError) as e:
            model.check_ins(AS_OF, kr, viewer=BOB)
        assert e.value.codes == ["E_UNKNOWN_ID"]
    query = {"metric": "calls_m", "grain": "month", "from": "2026-01-01", "to": "2026-01-31"}
    units = model.query_units(query)
    seen = model.query_units(query, viewer=BOB)
    assert model.query_units(query, viewer=HR) == units
    withheld = {c["group"]["unit"]: c.get("withheld") for c in seen["cells"]}
    assert withheld["web"] == "small_group" and all(c["value"] is not None for c in units["cells"])
    names, _, values = model.query_units_arrays(query, viewer=BOB)
    assert np.isnan(values[0][names.index("web")])


def test_parse_errors_quote_no_document_text_for_a_viewer(doc: Dict[str, Any]) -> None:
    # A type error whose message quotes the value written (a duplicate key would be refused before it).
    broken = json.dumps(doc).replace('"schema_version": 1', '"schema_version": "Ann leaves in May"', 1)
    with pytest.raises(okpi.ParseError) as plain:
        okpi.evaluate(broken, AS_OF)  # type: ignore[arg-type]  # JSON text as str: typed out, read at run time
    with pytest.raises(okpi.ParseError) as viewed:
        okpi.evaluate(broken, AS_OF, viewer=BOB)  # type: ignore[arg-type]
    assert "Ann leaves" in str(plain.value) or "string" in str(plain.value)
    assert "Ann leaves" not in str(viewed.value) and "Ann leaves" not in repr(viewed.value.problems)
    assert viewed.value.codes == ["E_PARSE"]
