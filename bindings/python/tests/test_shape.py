"""The API's shape for an analyst (issue 21): loading the demo company, person ids as viewers, a file name given as
str, NaN in a document, frames that pandas and polars take, dates by the schema, every problem in str(error), a model
shared by 8 threads, keyword-only options and the renamed filter."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any, Dict, List

import pytest

import okpi

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "examples" / "data" / "demo" / "company.json"
QUARTER = ROOT / "examples" / "data" / "quarter.json"
AS_OF = dt.date(2026, 3, 29)


@pytest.fixture(scope="module")
def demo() -> okpi.Model:
    return okpi.load(DEMO)


@pytest.fixture()
def doc() -> Dict[str, Any]:
    loaded: Dict[str, Any] = json.loads(QUARTER.read_text(encoding="utf-8"))
    return loaded


# --- okpi.load -------------------------------------------------------------------------------------------------


def test_load_reads_the_demo_company_with_its_tables_profiles_and_names(demo: okpi.Model) -> None:
    assert (demo.objective_count, demo.key_result_count) == (6, 13)
    text = DEMO.read_text(encoding="utf-8")
    assert json.loads(text)["metric_names"] == demo.metric_names
    assert [p["id"] for p in demo.profiles or []] == [p["id"] for p in json.loads((DEMO.parent / "profiles.json").read_text())]
    # The CSV rows are in the model: as many observations and check-ins as the tables have rows.
    rows = {name: len((DEMO.parent / name).read_text().splitlines()) - 1 for name in ("observations.csv", "check_ins.csv")}
    document = demo.to_document()
    assert len(document["observations"]) == rows["observations.csv"]
    assert len(document["check_ins"]) == rows["check_ins.csv"]
    # The model answers like any other; the advisor reads the profiles the document names.
    assert demo.evaluate(AS_OF)["as_of"] == AS_OF
    assert len(demo.advise()["lines"]) == len(demo.profiles or [])


def test_load_reads_yaml_and_keeps_the_cli_safety_rules(tmp_path: Path) -> None:
    (tmp_path / "doc.yaml").write_text(
        "schema_version: 1\ncycles:\n  - {id: q, start: 2026-01-01, end: 2026-03-31}\n", encoding="utf-8"
    )
    assert okpi.load(tmp_path / "doc.yaml").to_document()["cycles"][0]["end"] == dt.date(2026, 3, 31)
    outside = tmp_path / "secret.csv"
    outside.write_text("measure,date,value\nSECRET,2026-01-01,1\n", encoding="utf-8")
    inside = tmp_path / "docs"
    inside.mkdir()
    (inside / "doc.json").write_text(json.dumps({"schema_version": 1, "csv": {"observations": "../secret.csv"}}))
    with pytest.raises(okpi.OkpiError) as e:
        okpi.load(inside / "doc.json")
    assert e.value.paths == ["$.csv.observations"] and "SECRET" not in str(e.value)
    assert "inside the document's folder" in str(e.value)
    (inside / "link.csv").symlink_to(outside)
    (inside / "doc.json").write_text(json.dumps({"schema_version": 1, "csv": {"observations": "link.csv"}}))
    with pytest.raises(okpi.OkpiError) as e:
        okpi.load(inside / "doc.json")
    assert "leads out" in str(e.value) and "SECRET" not in str(e.value)
    (inside / "big.csv").write_text("measure,date,value\n" + "m,2026-01-01,1\n" * 100)
    (inside / "doc.json").write_text(json.dumps({"schema_version": 1, "csv": {"observations": "big.csv"}}))
    with pytest.raises(okpi.OkpiError) as e:
        okpi.load(inside / "doc.json", limits={"file_bytes": 200})
    assert "file_bytes" in str(e.value)


def test_load_names_the_file_line_and_column_of_a_bad_csv_cell(tmp_path: Path) -> None:
    (tmp_path / "o.csv").write_text("measure,date,value\nm,2026-01-01,1\nm,2026-13-01,x\n", encoding="utf-8")
    (tmp_path / "doc.json").write_text(json.dumps({"schema_version": 1, "measures": [{"id": "m"}],
                                                   "csv": {"observations": "o.csv"}}))
    with pytest.raises(okpi.OkpiError) as e:
        okpi.load(tmp_path / "doc.json")
    assert e.value.paths == ["$.observations[1].date", "$.observations[1].value"]
    assert "o.csv line 3 column 2" in e.value.problems[0].message


def test_load_of_a_plain_json_document_locates_a_problem_as_the_tree_path_does(tmp_path: Path) -> None:
    # A plain JSON document is read without its located tree; the tree is built only for a problem's position.
    # `metric_names` sends the same lines through the tree path: both must name the same path, line and column.
    items = [json.dumps({"id": f"o{i:04}", "cycle": "q", "title": f"Objective {i}"}) for i in range(2000)]
    items[1500] = json.dumps({"id": "o1500", "cycle": "nope", "title": "Objective 1500"})
    cycle = '{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}'
    head = '{"schema_version": 1,\n"cycles": [' + cycle + '],\n"objectives": [\n'
    body = head + ",\n".join(items) + "\n]"
    line = body[: body.index('"nope"')].count("\n") + 1
    column = body.index('"nope"') - body.rindex("\n", 0, body.index('"nope"'))
    # The 1501st objective, after 3 lines of head; `{"id": "o1500", "cycle": ` is 25 characters.
    assert (line, column) == (1504, 26)
    messages = []
    for name, text in [("plain.json", body + "}"), ("named.json", body + ', "metric_names": {}}')]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(okpi.OkpiError) as e:
            okpi.load(tmp_path / name)
        assert e.value.paths == ["$.objectives[1500].cycle"]
        assert f"{name} line {line} column {column}" in e.value.problems[0].message
        messages.append(e.value.problems[0].message.replace(name, "doc"))
    assert messages[0] == messages[1]


def test_a_path_to_a_document_with_tables_points_at_load() -> None:
    with pytest.raises(okpi.ParseError) as e:
        okpi.evaluate(DEMO, AS_OF)
    assert "okpi.load" in str(e.value)


# --- viewers and documents given as str ------------------------------------------------------------------------


def test_a_viewer_given_as_str_is_a_person_id(demo: okpi.Model) -> None:
    assert demo.evaluate(AS_OF, viewer="p.service") == demo.evaluate(AS_OF, viewer={"person": "p.service"})
    assert demo.evaluate(AS_OF, viewer="p.service") != demo.evaluate(AS_OF)
    with pytest.raises(okpi.ValidationError) as e:
        demo.evaluate(AS_OF, viewer="nobody")
    assert e.value.paths == ["$.viewer.person"]


def test_a_str_document_that_is_not_json_says_to_pass_a_path_or_call_load() -> None:
    with pytest.raises(okpi.ParseError) as e:
        okpi.evaluate("examples/data/quarter.json", AS_OF)  # type: ignore[arg-type]
    assert "pathlib.Path" in str(e.value) and "okpi.load" in str(e.value)
    assert okpi.evaluate(QUARTER, "2026-03-10") == okpi.evaluate(QUARTER.read_text(), "2026-03-10")  # type: ignore[arg-type]


def test_nan_in_a_document_is_named_with_its_path(doc: Dict[str, Any]) -> None:
    doc["key_results"][1]["target"] = math.nan
    doc["check_ins"][0]["value"] = math.inf
    with pytest.raises(okpi.ParseError) as e:
        okpi.evaluate(doc, "2026-03-10")
    assert e.value.problems == [
        okpi.Problem("E_NOT_FINITE", "$.key_results[1].target", e.value.problems[0].message),
        okpi.Problem("E_NOT_FINITE", "$.check_ins[0].value", e.value.problems[1].message),
    ]
    assert "nan is not a number a document may hold" in str(e.value)
    with pytest.raises(okpi.ParseError):
        okpi.Model(doc)


# --- errors ----------------------------------------------------------------------------------------------------


def test_str_of_an_error_lists_every_problem_up_to_the_cap_with_the_count(doc: Dict[str, Any]) -> None:
    kr = doc["key_results"][0]["id"]
    doc["check_ins"] = [{"key_result": kr, "date": "2026-02-01", "value": 1, "confidence": 20 + i} for i in range(30)]
    with pytest.raises(okpi.ValidationError) as e:
        okpi.Model(doc)
    text = str(e.value)
    assert len(e.value.problems) == 30 and text.startswith("30 problems:")
    assert text.count("E_CONFIDENCE_RANGE at $.check_ins[") == okpi.MAX_SHOWN
    assert f"and {30 - okpi.MAX_SHOWN} more" in text
    assert all(p.id is not None for p in e.value.problems) and f"[{e.value.problems[0].id}]" in text


# --- frames ----------------------------------------------------------------------------------------------------


def test_frames_have_id_as_index_only_so_pandas_verbs_work(demo: okpi.Model) -> None:
    pd = pytest.importorskip("pandas")
    ev = demo.evaluate(AS_OF)
    for frame in (okpi.objectives_frame(ev), okpi.key_results_frame(ev), okpi.kpi_score_frame(demo.kpi_score(AS_OF))):
        assert frame.index.name == "id" and "id" not in frame.columns
        assert list(frame.sort_values("id").index) == sorted(frame.index)
        assert len(frame.groupby("id").size()) == len(frame)
        merged = frame[[]].merge(frame[[frame.columns[0]]], on="id")
        assert len(merged) == len(frame)
    krs = okpi.key_results_frame(ev, model=demo)
    document = demo.to_document()
    titles = {k["id"]: k.get("title") for k in document["key_results"]}
    owners = {o["id"]: o.get("owner") for o in document["objectives"]}
    first = document["key_results"][0]
    assert krs.loc[first["id"], "title"] == titles[first["id"]]
    ((kind, who),) = (owners[first["objective"]] or {}).items()
    assert krs.loc[first["id"], "owner"] == f"{kind}:{who}"
    scores = okpi.kpi_score_frame(demo.kpi_score(AS_OF), model=demo)
    assert set(scores["metric_name"]) <= set(demo.metric_names.values()) | set(scores["metric"])
    assert scores["scope"].str.match(r"^(unit|person):").all()
    assert isinstance(okpi.scorecards_frame(demo.scorecards({"as_of": AS_OF})), pd.DataFrame)


def test_frames_in_polars(demo: okpi.Model) -> None:
    pl = pytest.importorskip("polars")
    ev = demo.evaluate(AS_OF)
    frame = okpi.objectives_frame(ev, model=demo, backend="polars")
    assert isinstance(frame, pl.DataFrame) and frame.columns[0] == "id"
    assert frame["id"].to_list() == [o["id"] for o in ev["objectives"]]
    assert "title" in frame.columns
    scores = okpi.kpi_score_frame(demo.kpi_score(AS_OF), backend="polars")
    assert scores.height == len(demo.kpi_score(AS_OF)["targets"])


# --- dates by the schema ---------------------------------------------------------------------------------------


def test_dates_are_dates_by_the_schema_not_by_key(demo: okpi.Model) -> None:
    cells = demo.kpi_query({"metric": "tickets", "grain": "month", "from": "2026-01-01", "to": "2026-03-31"})["cells"]
    assert [(c["period_start"], c["period_end"]) for c in cells][0] == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    report = demo.alerts("2026-03-01", AS_OF)
    assert (report["from"], report["to"]) == (dt.date(2026, 3, 1), AS_OF)
    events = [e for a in report["alerts"] for e in a["events"]]
    assert events and all(isinstance(e["date"], dt.date) for e in events)
    # An id that looks like a date stays a str (the old key-name rule turned `date`-named strings only).
    doc = {"schema_version": 1, "cycles": [{"id": "2026-01-01", "start": "2026-01-01", "end": "2026-03-31"}]}
    assert okpi.validate(doc)["cycles"][0]["id"] == "2026-01-01"
    # Filtering keeps the report's dates (the filtered JSON is typed again by the schema's date paths).
    ev = demo.evaluate(AS_OF)
    assert okpi.filter_report(demo, "evaluation", ev, "p.service") == demo.evaluate(AS_OF, viewer="p.service")


def test_kpi_score_gives_the_strategy_views_achievement(demo: okpi.Model) -> None:
    score = {t["id"]: t["achievement"] for t in demo.kpi_score(AS_OF)["targets"]}
    view = demo.strategy_view(AS_OF)
    shown = [(t["id"], t["achievement"]) for o in view["objectives"] for k in o["key_results"] for t in k["supports"]]
    assert shown and all(score[i] == a for i, a in shown)
    curves = {t["id"]: t.get("curve") for t in demo.to_document()["targets"]}
    tts = [i for i, c in curves.items() if isinstance(c, dict) and "threshold_target_stretch" in c]
    assert tts and all(score[i] is not None for i in tts)


# --- threads ---------------------------------------------------------------------------------------------------


def test_one_model_shared_by_8_threads_reading_and_writing() -> None:
    model = okpi.Model(QUARTER)
    kr = model.key_result_ids()[0]
    days = [dt.date(2026, 1, 2) + dt.timedelta(days=i) for i in range(80)]
    before = len(model.check_ins("2026-03-31", kr))

    def work(t: int) -> int:
        n = 0
        for i in range(10):
            if (t + i) % 2:
                model.apply_check_in({"key_result": kr, "date": days[t * 10 + i], "value": float(i)})
                n += 1
            else:
                ev = model.evaluate("2026-03-10")
                assert len(ev["key_results"]) == model.key_result_count
                model.explain("2026-03-10", kr, "progress")
        return n

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        writes = sum(pool.map(work, range(8)))
    assert writes == 40
    assert len(model.check_ins("2026-03-31", kr)) == before + writes


# --- the API's shape -------------------------------------------------------------------------------------------


def test_options_are_keyword_only_and_filter_is_renamed(doc: Dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        okpi.evaluate(doc, "2026-03-10", {"allow_negative": True})  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        okpi.Model(doc).evaluate("2026-03-10", {"allow_negative": True})  # type: ignore[call-arg]
    assert "filter" not in okpi.__all__ and "filter_report" in okpi.__all__
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    for key in ("csv", "profiles", "metric_names"):
        del demo[key]
    ev = okpi.evaluate(demo, AS_OF)
    with pytest.warns(DeprecationWarning):
        old = okpi.filter(demo, "evaluation", ev, "p.service")
    assert old == okpi.filter_report(demo, "evaluation", ev, "p.service") != ev


def test_model_has_every_operation_of_the_call_layer() -> None:
    calls = json.loads((ROOT / "schema" / "okpi.schema.json").read_text())["$defs"]["Call"]["oneOf"]
    ops = {c["properties"]["op"]["const"] for c in calls}
    assert len(ops) == len(calls) >= 15
    names = {"query": "kpi_query", "score": "kpi_score", "filter": "filter_report", "document": "to_document"}
    # alert_series runs a rule over a series given in the call: the module's alert_evaluate / alert_matrix.
    missing = [op for op in ops - {"alert_series"} if not callable(getattr(okpi.Model, names.get(op, op), None))]
    assert missing == []
