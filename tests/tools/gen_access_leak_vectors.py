# Writes tests/vectors/access/027–039: the privacy repro (tests/fixtures/privacy/leak.json, L1–L7 of the privacy
# issue) as vectors showing what bob (and ann, mia) see under DOMAIN.md §9. Every expected number is worked out by
# hand in the case's `why`, never taken from the program's output.
# Run: python3 tests/tools/gen_access_leak_vectors.py
import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
LEAK = json.load(open(os.path.join(HERE, "..", "fixtures", "privacy", "leak.json"), encoding="utf-8"))
D = os.path.join(HERE, "..", "vectors", "access") + os.sep
SETUP = ("leak.json (tests/vectors/access, from the privacy repro): bob is an employee of eng.a (wes manages it; "
         "bob, b2, b3, b4 and wes); ann sits directly in eng (mia manages it). bob may see his own results only. "
         "calls, 1–28 Feb: 10 a day each for wes, bob, b2, b3, b4 (tag eng.a: 5 × 280 = 1400), 13 a day for ann "
         "(tag eng: 364); eng's subtree 1764. Blocks for bob (calls, February): eng.a's hidden pool is wes, b2, b3, "
         "b4 (4 < 5), passed up to eng, where ann makes 5: one block at eng. ")
def case(name, file, why, **kw):
    c = {"name": name, "why": SETUP + why, "document": copy.deepcopy(kw.pop("document", LEAK))}
    c.update(kw)
    with open(D + file, "w", encoding="utf-8") as out:
        json.dump(c, out, ensure_ascii=False)
        out.write("\n")

feb = {"metric": "calls", "grain": "month", "from": "2026-02-01", "to": "2026-02-28"}
case("L1: a query grouped by unit does not isolate ann's calls",
     "027_leak_l1_group_by_unit.json",
     "Grouped by unit, the {unit: eng} cell reads ann's rows alone (1 hidden person < 5) and {unit: eng.a} wes, b2, b3 "
     "and b4 (4 < 5): both are parts of the eng block, withheld as small_group, with no value.",
     viewer={"person": "bob"}, report="query", query=dict(feb, group_by=["unit"]),
     expect={"cells": [{"group": {"unit": "eng"}, "value": None, "withheld": "small_group"},
                       {"group": {"unit": "eng.a"}, "value": None, "withheld": "small_group"}]},
     absent=["ann", "wes"])
case("L1: grouping eng.a by channel does not isolate its one chat reporter",
     "028_leak_l1_group_by_channel.json",
     "escalations in eng.a: bob's phone 3, 4, 2 repeating over 28 days = 9 × 9 + 3 = 84; b2's chat 1 a day = 28. The "
     "phone cell reads bob's own rows only: shown whole, 84. The chat cell reads b2 alone, hidden from bob; b2's pool "
     "(1 person) passes up to the top and stays a residue: withheld, small_group.",
     viewer={"person": "bob"}, report="query",
     query={"metric": "escalations", "grain": "month", "from": "2026-02-01", "to": "2026-02-28",
            "filters": {"unit": "eng.a"}, "group_by": ["channel"]},
     expect={"cells": [{"group": {"channel": "chat"}, "value": None, "withheld": "small_group"},
                       {"group": {"channel": "phone"}, "value": 84}]},
     absent=["b2"])
case("L1/L2: the unit drill-down shows co and eng whole and withholds eng.a",
     "029_leak_l1_query_units.json",
     "query_units: co's and eng's subtrees hold the whole eng block: 1400 + 364 = 1764 each. eng.a's subtree holds "
     "part of it (wes, b2, b3, b4: 4 < 5): withheld, small_group — so eng minus eng.a (ann's 364) cannot be taken.",
     viewer={"person": "bob"}, report="query_units", query=feb,
     expect={"unit_subtrees": True,
             "cells": [{"group": {"unit": "co"}, "value": 1764}, {"group": {"unit": "eng"}, "value": 1764},
                       {"group": {"unit": "eng.a"}, "value": None, "withheld": "small_group"}]},
     absent=["ann"])
case("L2: unit eng.a is withheld, so unit eng minus it gives nothing",
     "030_leak_l2_unit_difference.json",
     "filter unit eng.a: 1400, of which wes, b2, b3 and b4 are hidden from bob (4 < 5): withheld, small_group (the "
     "query filtered to eng shows 1764, see 029: their difference would be ann's 364).",
     viewer={"person": "bob"}, report="query", query=dict(feb, filters={"unit": "eng.a"}),
     expect={"cells": [{"value": None, "withheld": "small_group"}]}, absent=[])
case("L3: a scorecard total that reads a hidden item is withheld",
     "031_leak_l3_scorecard_total.json",
     "As of 03-31: t.eng = 1764 / 1700 = 1.0376470588… → linear 103.76470588…; t.ann = 364 / 500 → 72.8 (ann's own); "
     "t.bob = 280 / 300 → 93.333… sc.eng = 50% t.eng + 50% t.ann = 88.28…: minus the visible 50% of t.eng it would "
     "give ann's score, so for bob its total, grade and rank are withheld (hidden_items) and only the t.eng item is "
     "listed. sc.bob: 93.333… → B (90 ≤ x < 105); its group ic holds sc.ann, hidden: rank withheld. sc.ann absent.",
     viewer={"person": "bob"}, report="scorecards", scorecards={"as_of": "2026-03-31"},
     expect={"scorecards": [{"id": "sc.bob", "total": 93.33333333333333, "grade": "B", "rank": None},
                            {"id": "sc.eng", "total": None, "grade": None, "rank": None, "withheld": "hidden_items",
                             "items": [{"target": "t.eng", "score": 103.76470588235294}]}]},
     absent=["sc.ann", "t.ann", "88.2"])

def f(code, subjects, **ev):
    d = {"code": code, "subjects": subjects}
    if ev: d["evidence"] = ev
    return d
EG = {"id": "eng_goal", "progress": 0.37, "sources": []}
TEAM = {"id": "team", "progress": 0.5}
case("L4: with private_rollup share (the default) the parent shares the private child's progress, nothing else",
     "032_leak_l4_share.json",
     "eng_goal rolls up its one child anns_growth: ann.kr 37 / 100 = 0.37. Under share (DOMAIN.md §9) bob reads "
     "eng_goal's 0.37 — ann is told by access.private_progress_shared (034) — but no source, title, key result, "
     "check-in or note of the private objective. team: team.kr 50 / 100 = 0.5.",
     viewer={"person": "bob"}, report="evaluation", as_of="2026-03-31",
     expect={"objectives": [EG, TEAM]},
     absent=["anns_growth", "ann.kr", "met recruiter", "secret", "Interviews"])
case("L4: with private_rollup exclude the parent reads nothing private, for every viewer",
     "033_leak_l4_exclude.json",
     "Under exclude, anns_growth counts in no roll-up: eng_goal has no sources, progress 0 (flag no_sources), the "
     "same number for bob as for ann's manager. team: 50 / 100 = 0.5.",
     viewer={"person": "bob"}, report="evaluation", as_of="2026-03-31", settings={"private_rollup": "exclude"},
     expect={"objectives": [{"id": "eng_goal", "progress": 0, "flags": ["no_sources"]}, TEAM]},
     absent=["anns_growth", "0.37"])
case("L4: the owner is told her private progress is shared",
     "034_leak_l4_diagnostic_for_the_owner.json",
     "anns_growth is eng_goal's only private source (1 source, normalised weight 1): ann sees the info finding "
     "access.private_progress_shared with subjects [anns_growth, eng_goal], besides what else she may see as of "
     "03-31 (her scorecard's single metric, both measures stale since 02-28 (31 days > 7), ann.kr 34 days and "
     "team.kr 39 days without a check-in (> 14), two top unit objectives unaligned).",
     viewer={"person": "ann"}, report="diagnosis", as_of="2026-03-31",
     expect={"findings": [f("access.private_progress_shared", ["anns_growth", "eng_goal"], normalized_weight=1, sources=1),
                          f("kpi.single_metric", ["sc.ann"]), f("kpi.stale_data", ["calls"]),
                          f("kpi.stale_data", ["escalations"]), f("okr.stale", ["ann.kr"]), f("okr.stale", ["team.kr"]),
                          f("okr.unaligned", ["eng_goal"]), f("okr.unaligned", ["team"])]},
     absent=["sc.bob"])
case("L6: the health score is recomputed over what bob may see",
     "036_leak_l6_health.json",
     "As of 03-31 the whole organisation has 9 findings: 3 info (1 point each: the private progress shared, eng_goal "
     "and team unaligned) and 6 warnings (4 each: sc.ann and sc.bob single metric, calls and escalations stale, "
     "ann.kr and team.kr stale) = 27 points over 3 objectives: 100 × (1 − 27 / 30) = 10. bob may see 6 of them "
     "(sc.bob, both stale measures, team.kr stale, the two unaligned): 4 × 4 + 2 × 1 = 18 points over the 2 "
     "objectives he may see (eng_goal, team): 100 × (1 − 18 / 20) = 10, poor, partial. Whether ann's private KR is "
     "stale no longer moves his number.",
     viewer={"person": "bob"}, report="diagnosis", as_of="2026-03-31",
     expect={"findings": [f("kpi.single_metric", ["sc.bob"]), f("kpi.stale_data", ["calls"]),
                          f("kpi.stale_data", ["escalations"]), f("okr.stale", ["team.kr"]),
                          f("okr.unaligned", ["eng_goal"]), f("okr.unaligned", ["team"])],
             "health": {"score": 10, "band": "poor", "penalty": 18, "partial": True}},
     absent=["ann.kr", "anns_growth", "sc.ann", "access.private_progress_shared"])
SUP = {"green": 1, "amber": 0, "red": 0, "grey": 0, "health": 1, "light": "green", "partial": True}
case("L5: the support roll-up is recomputed over the KPIs bob may see",
     "035_leak_l5_strategy_support.json",
     "As of 03-31 team.kr is supported by t.eng (1764 / 1700 = 1.0376… ≥ 1, no alert on eng: green) and t.ann "
     "(364 / 500 = 0.728 < 0.9: red). Unfiltered: (1 + 0) / 2 = 0.5, amber. bob may not see t.ann: the roll-ups of "
     "team.kr and of team are recomputed over t.eng alone and marked partial: green 1, health 1 / 1 = 1 → green. "
     "eng_goal has no key results, so no KPI: no health, nothing partial.",
     viewer={"person": "bob"}, report="strategy_view", as_of="2026-03-31",
     expect={"objectives": [{"id": "eng_goal", "key_results": [], "support": {"health": None}},
                            {"id": "team", "key_results": [{"id": "team.kr", "supports": [{"id": "t.eng", "light": "green"}],
                                                            "support": SUP}], "support": SUP}]},
     absent=["t.ann", "\"red\": 1", "\"red\":1"])
bad = copy.deepcopy(LEAK)
bad["key_results"].append({"id": "ann.kr2", "objective": "anns_growth", "title": "Offers", "kind": "increase",
                           "start": 5, "target": 5})
case("L7: a problem about a hidden item keeps its code and path only",
     "037_leak_l7_problem_about_a_hidden_item.json",
     "ann.kr2 (on ann's private objective) has start = target = 5, a validation error. bob gets the problem's code "
     "and path, with no id and a message that says nothing of the item (no id, value or date).",
     document=bad, viewer={"person": "bob"}, report="evaluation", as_of="2026-03-31",
     expect_error=[{"code": "E_START_EQUALS_TARGET", "path": "$.key_results[2].target"}],
     absent=["ann.kr2", "anns_growth", "Offers"])
case("L7: check-ins of a hidden key result are not listed",
     "038_leak_l7_check_ins.json",
     "ann.kr belongs to ann's private objective: its check-in (on 02-25, with a note) is not listed "
     "for bob: the key result is unknown to him (E_UNKNOWN_ID at $.key_result, as for an id that does not exist).",
     viewer={"person": "bob"}, report="check_ins", key_result="ann.kr", as_of="2026-03-31",
     expect_error=[{"code": "E_UNKNOWN_ID", "path": "$.key_result"}], absent=["met recruiter", "2026-02-25", "37"])
case("L7: the owner's manager sees the check-ins",
     "039_leak_l7_check_ins_manager.json",
     "mia manages eng, ann's unit: she is in ann's chain and sees anns_growth, so ann.kr's check-in (37 on 02-25, "
     "confidence 3) is listed.",
     viewer={"person": "mia"}, report="check_ins", key_result="ann.kr", as_of="2026-03-31",
     expect=[{"key_result": "ann.kr", "date": "2026-02-25", "value": 37, "confidence": 3, "note": "met recruiter"}])
