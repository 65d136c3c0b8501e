# Writes tests/vectors/access/*.json. Every expected number and every visibility below is worked out by hand from
# DOMAIN.md §9 and the README's access choices (see each case's `why`), never taken from the program's output.
# Run: python3 tests/tools/gen_access_vectors.py
#
# A case: `document`, `viewer` ({"person", "roles"?, "settings"?: {"min_group_size"}}), `report` (evaluation |
# query | score | scorecards | alerts | diagnosis; default evaluation) with its inputs (`as_of`, `query`,
# `scorecards`, `alerts`: {from, to}), then `expect` (a subset of the filtered report) or `expect_error` (the
# filtered problems' codes and paths), and `absent`: strings that must not occur anywhere in the serialised
# filtered report or error.
import copy
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors", "access")
n = 0


def case(fname, name, why, document, viewer, report="evaluation", expect=None, expect_error=None, absent=(), **call):
    global n
    c = {"name": name, "why": why, "document": document, "viewer": viewer, "report": report}
    c.update(call)
    if expect is not None:
        c["expect"] = expect
    if expect_error is not None:
        c["expect_error"] = expect_error
    c["absent"] = list(absent)
    n += 1
    with open(os.path.join(OUT, f"{n:03d}_{fname}.json"), "w") as f:
        json.dump(c, f, indent=2, ensure_ascii=False)
        f.write("\n")


# The organisation: co ⊃ eng ⊃ web, co ⊃ ops. Nine people: co's subtree holds all nine (≥ 5), eng's four, web's
# three, ops's two (all under the default minimum group size of 5).
UNITS = [
    {"id": "co", "manager": "ceo"},
    {"id": "eng", "parent": "co", "manager": "mia"},
    {"id": "web", "parent": "eng", "manager": "wes"},
    {"id": "ops", "parent": "co", "manager": "oli"},
]
PEOPLE = [
    {"id": "ceo", "unit": "co", "roles": ["executive", "manager"]},
    {"id": "exe", "unit": "co", "roles": ["executive"]},
    {"id": "hra", "unit": "co", "roles": ["hr_admin"]},
    {"id": "mia", "unit": "eng", "roles": ["manager"]},
    {"id": "wes", "unit": "web", "roles": ["manager"]},
    {"id": "ann", "unit": "web", "roles": ["employee"]},
    {"id": "bob", "unit": "web"},
    {"id": "oli", "unit": "ops", "roles": ["manager"]},
    {"id": "ola", "unit": "ops", "roles": ["employee"]},
]
# Objectives (cycle q1 = 2026-01-01..03-31): co_pub (public, unit co, progress from its children), eng_team (team,
# unit eng), ann_priv (private, person ann), ops_team (team, unit ops), oli_priv (private, person oli), bob_team
# (team, person bob). One increase KR each (0 → 10) with one check-in on 2026-02-10.
OBJECTIVES = [
    {"id": "co_pub", "cycle": "q1", "owner": {"unit": "co"}, "progress_from": "children"},
    {"id": "eng_team", "cycle": "q1", "owner": {"unit": "eng"}, "visibility": "team"},
    {"id": "ann_priv", "cycle": "q1", "owner": {"person": "ann"}, "visibility": "private"},
    {"id": "ops_team", "cycle": "q1", "owner": {"unit": "ops"}, "visibility": "team"},
    {"id": "oli_priv", "cycle": "q1", "owner": {"person": "oli"}, "visibility": "private"},
    {"id": "bob_team", "cycle": "q1", "owner": {"person": "bob"}, "visibility": "team"},
]
KRS = {"kr_eng": ("eng_team", 4), "kr_ann": ("ann_priv", 6), "kr_ops": ("ops_team", 8), "kr_oli": ("oli_priv", 2),
       "kr_bob": ("bob_team", 5)}
BASE = {
    "schema_version": 1,
    "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
    "org_units": UNITS,
    "people": PEOPLE,
    "objectives": OBJECTIVES,
    "key_results": [{"id": k, "objective": o, "kind": "increase", "start": 0, "target": 10} for k, (o, _) in KRS.items()],
    "check_ins": [{"key_result": k, "date": "2026-02-10", "value": v} for k, (_, v) in KRS.items()],
    "alignments": [
        {"child": "eng_team", "parent": "co_pub", "weight": 1},
        {"child": "ann_priv", "parent": "co_pub", "weight": 2},
        {"child": "ops_team", "parent": "co_pub", "weight": 1},
    ],
}
AS_OF = "2026-02-15"
ROLLUP = ("Progress: kr_eng 4/10 = 0.4, kr_ann 0.6, kr_ops 0.8, kr_oli 0.2, kr_bob 0.5; co_pub rolls up its "
          "contributing children: (1·0.4 + 2·0.6 + 1·0.8) / (1 + 2 + 1) = 2.4 / 4 = 0.6, whoever looks. ")
HIDDEN_OKR = {
    "ann_priv": ["ann_priv", "kr_ann"], "ops_team": ["ops_team", "kr_ops"], "oli_priv": ["oli_priv", "kr_oli"],
    "bob_team": ["bob_team", "kr_bob"], "eng_team": ["eng_team", "kr_eng"],
}


def hidden(*objectives):
    return [x for o in objectives for x in HIDDEN_OKR[o]]


def src(id, weight, nw, progress):
    return {"kind": "objective", "id": id, "weight": weight, "normalized_weight": nw, "progress": progress}


def ev(objectives, krs, co_sources):
    """Expect exactly these objectives and key results (by count and id), and co_pub's true progress with these
    sources."""
    return {
        "objectives": [{"id": o} if o != "co_pub" else {"id": o, "progress": 0.6, "sources": co_sources}
                       for o in objectives],
        "key_results": [{"id": k} for k in krs],
    }


# ---------- evaluation: each role and each visibility ----------
case("employee_sees_public_and_team", "an employee sees public objectives and their own teams' team objectives",
     ROLLUP + "bob (employee of web) sees co_pub (public), eng_team (team of eng: bob's unit web lies in eng's "
     "subtree) and bob_team (his own). ann_priv is private to ann and her chain (wes, mia, ceo); ops_team is the "
     "team of ops, which bob is not in; oli_priv is oli's. co_pub keeps 0.6 but lists only eng_team, whose "
     "weight 1 renormalised over the visible weights (1) is 1.",
     BASE, {"person": "bob"}, as_of=AS_OF,
     expect=ev(["bob_team", "co_pub", "eng_team"], ["kr_bob", "kr_eng"], [src("eng_team", 1, 1.0, 0.4)]),
     absent=hidden("ann_priv", "ops_team", "oli_priv"))

case("owner_sees_own_private", "the owner of a private objective sees it; a colleague's team objective too",
     ROLLUP + "ann owns ann_priv; bob_team is bob's team objective, bob's unit is web and ann is in web. co_pub's "
     "visible sources are ann_priv (weight 2) and eng_team (1): normalised 2/3 and 1/3 (ops_team, 1, is hidden).",
     BASE, {"person": "ann"}, as_of=AS_OF,
     expect=ev(["ann_priv", "bob_team", "co_pub", "eng_team"], ["kr_ann", "kr_bob", "kr_eng"],
               [src("ann_priv", 2, 2 / 3, 0.6), src("eng_team", 1, 1 / 3, 0.4)]),
     absent=hidden("ops_team", "oli_priv"))

case("manager_sees_reports_private", "a manager sees the private objectives of the people in the units they manage",
     ROLLUP + "wes manages web and holds the manager role: ann's manager chain (managers of web, eng, co) holds "
     "him, so he sees ann_priv; he is in eng's subtree (eng_team) and web's (bob_team). Not ops_team nor oli_priv. "
     "Sources as ann sees them: 2/3 and 1/3.",
     BASE, {"person": "wes"}, as_of=AS_OF,
     expect=ev(["ann_priv", "bob_team", "co_pub", "eng_team"], ["kr_ann", "kr_bob", "kr_eng"],
               [src("ann_priv", 2, 2 / 3, 0.6), src("eng_team", 1, 1 / 3, 0.4)]),
     absent=hidden("ops_team", "oli_priv"))

case("manager_of_ancestor_unit", "a manager sees the whole subtree of the unit they manage, not a sibling unit",
     ROLLUP + "mia manages eng, web's parent: she is in ann's and bob's manager chain (ann_priv, bob_team) and in "
     "eng's subtree (eng_team). ops is co's other child: ops_team and oli_priv stay hidden.",
     BASE, {"person": "mia"}, as_of=AS_OF,
     expect=ev(["ann_priv", "bob_team", "co_pub", "eng_team"], ["kr_ann", "kr_bob", "kr_eng"],
               [src("ann_priv", 2, 2 / 3, 0.6), src("eng_team", 1, 1 / 3, 0.4)]),
     absent=hidden("ops_team", "oli_priv"))

case("roles_override_narrows", "a viewer's roles override the person's: mia as an employee",
     ROLLUP + "mia viewed with roles [employee] exercises no manager rights: ann_priv (private) is hidden, and "
     "bob_team (team of web) too, since mia's own unit is eng, not in web's subtree. eng_team stays (she is a "
     "member of eng). co_pub lists eng_team alone: 1/1 = 1.",
     BASE, {"person": "mia", "roles": ["employee"]}, as_of=AS_OF,
     expect=ev(["co_pub", "eng_team"], ["kr_eng"], [src("eng_team", 1, 1.0, 0.4)]),
     absent=hidden("ann_priv", "bob_team", "ops_team", "oli_priv"))

case("executive_sees_team_not_private", "an executive sees every public and team objective, no private one",
     ROLLUP + "exe is an executive who manages no unit: every team objective (eng_team, ops_team, bob_team) but "
     "neither ann_priv nor oli_priv (outside any chain of exe's). co_pub's visible sources eng_team (1) and "
     "ops_team (1): 1/2 each.",
     BASE, {"person": "exe"}, as_of=AS_OF,
     expect=ev(["bob_team", "co_pub", "eng_team", "ops_team"], ["kr_bob", "kr_eng", "kr_ops"],
               [src("eng_team", 1, 0.5, 0.4), src("ops_team", 1, 0.5, 0.8)]),
     absent=hidden("ann_priv", "oli_priv"))

case("executive_in_chain_sees_all", "an executive who manages the root unit is in everyone's chain",
     ROLLUP + "ceo manages co, the root: every person's manager chain holds ceo, so both private objectives are "
     "visible; nothing is removed and co_pub's weights are the evaluation's own: 1/4, 2/4, 1/4.",
     BASE, {"person": "ceo"}, as_of=AS_OF,
     expect=ev(["ann_priv", "bob_team", "co_pub", "eng_team", "oli_priv", "ops_team"],
               ["kr_ann", "kr_bob", "kr_eng", "kr_oli", "kr_ops"],
               [src("ann_priv", 2, 0.5, 0.6), src("eng_team", 1, 0.25, 0.4), src("ops_team", 1, 0.25, 0.8)]))

case("hr_admin_sees_everything", "hr_admin sees everything",
     ROLLUP + "hra holds hr_admin and sees every objective and key result; co_pub's sources are all three with "
     "weights 1, 2, 1 → 0.25, 0.5, 0.25.",
     BASE, {"person": "hra"}, as_of=AS_OF,
     expect=ev(["ann_priv", "bob_team", "co_pub", "eng_team", "oli_priv", "ops_team"],
               ["kr_ann", "kr_bob", "kr_eng", "kr_oli", "kr_ops"],
               [src("ann_priv", 2, 0.5, 0.6), src("eng_team", 1, 0.25, 0.4), src("ops_team", 1, 0.25, 0.8)]))

case("private_child_under_public_parent", "a private child counts in its public parent's progress but is not named",
     ROLLUP + "ola (employee of ops) sees co_pub and ops_team. ann_priv contributes 2·0.6 = 1.2 of co_pub's 2.4 — "
     "co_pub's progress stays 0.6 — but ann_priv is named nowhere: co_pub lists ops_team alone (1/1 = 1).",
     BASE, {"person": "ola"}, as_of=AS_OF,
     expect=ev(["co_pub", "ops_team"], ["kr_ops"], [src("ops_team", 1, 1.0, 0.8)]),
     absent=hidden("ann_priv", "eng_team", "bob_team", "oli_priv"))

case("unit_manager_sees_own_private_only", "a unit manager sees their own private objective, not another's",
     ROLLUP + "oli owns oli_priv and manages ops (ops_team); ann_priv is private to ann's chain, which oli is not "
     "in; eng_team and bob_team belong to eng and web.",
     BASE, {"person": "oli"}, as_of=AS_OF,
     expect=ev(["co_pub", "oli_priv", "ops_team"], ["kr_oli", "kr_ops"], [src("ops_team", 1, 1.0, 0.8)]),
     absent=hidden("ann_priv", "eng_team", "bob_team"))

# ---------- KPI: people's results and small-group aggregates ----------
KPI = copy.deepcopy(BASE)
KPI.update({
    "measures": [{"id": "calls"}],
    "metrics": [{"id": "calls_m", "kind": "simple", "measure": "calls"}],
    "observations": [
        {"measure": "calls", "date": "2026-01-10", "value": 10, "dims": {"unit": "web", "person": "ann"}},
        {"measure": "calls", "date": "2026-01-10", "value": 20, "dims": {"unit": "web", "person": "bob"}},
        {"measure": "calls", "date": "2026-01-10", "value": 30, "dims": {"unit": "web", "person": "wes"}},
        {"measure": "calls", "date": "2026-01-10", "value": 40, "dims": {"unit": "ops", "person": "ola"}},
    ],
    "targets": [
        {"id": "t_ann", "metric": "calls_m", "scope": {"person": "ann"}, "cycle": "q1", "target": 20},
        {"id": "t_bob", "metric": "calls_m", "scope": {"person": "bob"}, "cycle": "q1", "target": 20},
        {"id": "t_web", "metric": "calls_m", "scope": {"unit": "web"}, "cycle": "q1", "target": 100},
        {"id": "t_co", "metric": "calls_m", "scope": {"unit": "co"}, "cycle": "q1", "target": 200},
    ],
    "scorecards": [
        {"id": "sc_ann", "subject": {"person": "ann"}, "items": [{"target": "t_ann", "weight": 100}]},
        {"id": "sc_bob", "subject": {"person": "bob"}, "items": [{"target": "t_bob", "weight": 100}]},
        {"id": "sc_web", "subject": {"unit": "web"}, "items": [{"target": "t_web", "weight": 100}]},
    ],
    "alert_rules": [
        {"id": "r_ann", "metric": "calls_m", "scope": "ann", "grain": "month", "condition": "below", "critical": {"value": 15}},
        {"id": "r_web", "metric": "calls_m", "scope": "web", "grain": "month", "condition": "below", "critical": {"value": 15}},
        {"id": "r_co", "metric": "calls_m", "scope": "co", "grain": "month", "condition": "below", "critical": {"value": 15}},
    ],
})
SCORES = ("Actuals over q1 up to as-of (the calls of 2026-01-10): ann 10, bob 20, web = 10 + 20 + 30 = 60, "
          "co = 60 + 40 = 100. Linear curve: t_ann 10/20 → 50, t_bob 20/20 → 100, t_web 60/100 → 60, "
          "t_co 100/200 → 50. ")
GROUPS = "web's aggregate covers wes, ann and bob (3 < 5); co's covers all nine people (≥ 5). "

# A number over people's data is shown whole only when its hidden observations are whole blocks, each covering at
# least min_group_size hidden people (README, "Who may see what"); a withheld number stays listed without its value.
case("score_employee_small_group_withheld",
     "an employee sees their own target; unit aggregates whose hidden part is a small group are withheld",
     SCORES + "bob sees his own results only. t_web reads ann's and wes's calls besides his own: 2 hidden people "
     "< 5, withheld (small_group: 60 − 20 would be ann's and wes's 40). t_co reads ann, wes and ola: 3 hidden "
     "people < 5, withheld. Both stay listed (bob is in web's and co's audience) without actual, achievement or "
     "score. t_ann is ann's own result: absent.",
     KPI, {"person": "bob"}, report="score", as_of=AS_OF,
     expect={"targets": [{"id": "t_bob", "score": 100},
                         {"id": "t_co", "score": None, "actual": None, "withheld": "small_group"},
                         {"id": "t_web", "score": None, "actual": None, "withheld": "small_group"}]},
     absent=["t_ann", "ann", "wes", "\"actual\":60", "\"actual\":100"])

case("score_manager_sees_small_group",
     "a manager who sees every member's results sees the small aggregate, not a wider one that differs by one "
     "hidden person",
     SCORES + "wes manages web: he sees ann's, bob's and his own results, so t_web hides nothing from him and is "
     "shown (60). t_co reads those three and ola, whom he may not see: its hidden part is ola alone (1 < 5; t_co − "
     "t_web would be her 40 calls), withheld.",
     KPI, {"person": "wes"}, report="score", as_of=AS_OF,
     expect={"targets": [{"id": "t_ann", "score": 50}, {"id": "t_bob", "score": 100},
                         {"id": "t_co", "score": None, "withheld": "small_group"}, {"id": "t_web", "score": 60}]},
     absent=["ola", "\"actual\":100"])

case("score_executive_unit_aggregates",
     "an executive is in every unit's audience but sees no aggregate whose hidden part is under five people",
     SCORES + "exe (executive, manages nothing) sees no one's own results. A cell's people are those whose "
     "observations fall in it, not the head count: t_co reads ann, bob, wes and ola (4 < 5 hidden people), t_web "
     "ann, bob and wes (3): both withheld (small_group). t_ann and t_bob are person-scoped outside exe's chain: "
     "absent.",
     KPI, {"person": "exe"}, report="score", as_of=AS_OF,
     expect={"targets": [{"id": "t_co", "score": None, "withheld": "small_group"},
                         {"id": "t_web", "score": None, "withheld": "small_group"}]},
     absent=["t_ann", "t_bob", "\"actual\":60", "\"actual\":100"])

case("score_min_group_size_setting", "a lower minimum group size shows the aggregates whose hidden part reaches it",
     SCORES + "With min_group_size 2: t_web's hidden part for bob is ann and wes (2 ≥ 2), a whole block at web: "
     "shown (60). t_co's hidden part is ann, wes and ola; web's block holds ann and wes, ola's pool (1 < 2) passes "
     "up to co and is a residue there: t_co is withheld (differencing: t_co − t_web would be ola's 40). t_ann "
     "stays ann's own.",
     KPI, {"person": "bob", "settings": {"min_group_size": 2}}, report="score", as_of=AS_OF,
     expect={"targets": [{"id": "t_bob", "score": 100}, {"id": "t_co", "score": None, "withheld": "differencing"},
                         {"id": "t_web", "score": 60}]},
     absent=["t_ann"])

JAN = {"metric": "calls_m", "grain": "month", "from": "2026-01-01", "to": "2026-01-31"}
case("query_unit_small_group_withheld", "a query filtered to a small unit is withheld from its members",
     "The query sums calls over web's subtree in January: 10 + 20 + 30 = 60, reading ann, bob and wes. bob may see "
     "only his own: the hidden part is ann and wes (2 < 5). The cell stays (bob is in web's audience) with no "
     "value and the reason small_group.",
     KPI, {"person": "bob"}, report="query", query=dict(JAN, filters={"unit": "web"}),
     expect={"metric": "calls_m", "cells": [{"period_start": "2026-01-01", "value": None, "withheld": "small_group"}]})

case("query_unit_small_group_shown", "the same query with a minimum group size of 2 is shown",
     "With min_group_size 2, the hidden part of web's cell for bob (ann and wes, 2 ≥ 2) is a whole block: bob sees "
     "January's 10 + 20 + 30 = 60.",
     KPI, {"person": "bob", "settings": {"min_group_size": 2}}, report="query", query=dict(JAN, filters={"unit": "web"}),
     expect={"cells": [{"period_start": "2026-01-01", "value": 60}]})

case("query_by_person_manager", "grouped by person, a manager sees the cells of their chain's people",
     "Grouped by person, January has one cell per person observed: ann 10, bob 20, ola 40, wes 30 (sorted by "
     "group). wes sees his own and his reports' (ann, bob); ola is in ops, outside his chain.",
     KPI, {"person": "wes"}, report="query", query=dict(JAN, group_by=["person"]),
     expect={"cells": [{"group": {"person": "ann"}, "value": 10}, {"group": {"person": "bob"}, "value": 20},
                       {"group": {"person": "wes"}, "value": 30}]},
     absent=["ola"])

case("scorecards_employee",
     "an employee sees their own scorecard; a unit scorecard over a small group is listed without its total",
     "Actuals over q1 up to as-of (the calls of 2026-01-10): ann 10, bob 20, web = 10 + 20 + 30 = 60. Scorecards "
     "(one item of weight 100 each): sc_ann 50 → D, sc_bob 100 → B (90 ≤ 100 < 105), sc_web 60 → D; ranked by "
     "total in one group: sc_bob 1, sc_web 2, sc_ann 3. bob sees sc_bob (total 100, grade B) and sc_web, whose "
     "item t_web is withheld from him (ann and wes: 2 hidden people < 5), so its total, grade and rank are "
     "withheld (hidden_items). sc_ann is ann's. Ranks order sc_bob against sc_ann, hidden, and sc_web, withheld: "
     "withheld as well.",
     KPI, {"person": "bob"}, report="scorecards", scorecards={"as_of": AS_OF},
     expect={"scorecards": [{"id": "sc_bob", "total": 100, "grade": "B", "rank": None},
                            {"id": "sc_web", "total": None, "grade": None, "rank": None, "withheld": "hidden_items",
                             "items": [{"target": "t_web", "score": None}]}]},
     absent=["sc_ann", "t_ann"])

case("alerts_employee", "an employee sees no alert rule whose values would give away a small group",
     "January's calls: ann 10 (< 15: r_ann fires), web 60, co 100. bob may see only his own results. r_ann watches "
     "ann: absent. r_web's January value reads ann and wes (2 hidden people < 5), r_co's ann, wes and ola (3 < 5): "
     "their series and events would give those away, so both rules are left out.",
     KPI, {"person": "bob"}, report="alerts", alerts={"from": "2026-01-01", "to": "2026-01-31"},
     expect={"alerts": []},
     absent=["r_ann", "r_web", "r_co"])

case("alerts_manager",
     "a manager sees the alert on a report's results, and no rule over a wider unit whose hidden part is one person",
     "wes is in ann's chain: r_ann fires on January's 10 < 15 (critical, for 0). r_web reads wes, ann and bob, all "
     "visible to him: kept. r_co also reads ola (1 hidden person < 5; its value minus web's would be her 40 "
     "calls): left out. Sorted by rule id: r_ann, r_web.",
     KPI, {"person": "wes"}, report="alerts", alerts={"from": "2026-01-01", "to": "2026-01-31"},
     expect={"alerts": [{"rule": "r_ann", "events": [{"type": "firing", "value": 10}]}, {"rule": "r_web"}]},
     absent=["r_co"])

case("diagnosis_findings_follow_subjects", "findings about hidden items are removed",
     "As of 2026-02-15 the rules find: kpi.single_metric for sc_ann, sc_bob and sc_web (one item each); "
     "kpi.stale_data for calls (newest 2026-01-10, 36 days > 7); okr.unaligned for bob_team and oli_priv "
     "(person-owned, aligned to nothing). ola sees none of the scorecards, bob_team (team of web) nor oli_priv "
     "(oli's private): only the stale-data finding, about a measure, remains.",
     KPI, {"person": "ola"}, report="diagnosis", as_of=AS_OF,
     expect={"findings": [{"code": "kpi.stale_data", "subjects": ["calls"]}]},
     absent=["sc_ann", "sc_bob", "sc_web", "bob_team", "oli_priv"])

case("diagnosis_owner_sees_own_finding", "the owner of a private objective sees its finding",
     "The same findings as for ola; oli owns oli_priv, so its okr.unaligned finding stays. Sorted by code: "
     "kpi.stale_data, okr.unaligned.",
     KPI, {"person": "oli"}, report="diagnosis", as_of=AS_OF,
     expect={"findings": [{"code": "kpi.stale_data"}, {"code": "okr.unaligned", "subjects": ["oli_priv"]}]},
     absent=["bob_team", "sc_ann"])

# ---------- errors ----------
BAD = copy.deepcopy(BASE)
BAD["check_ins"].append({"key_result": "kr_oli", "date": "2026-04-05", "value": 3})
case("problem_names_no_hidden_id", "a validation problem about a hidden item keeps code and path only",
     "The check-in of kr_oli on 2026-04-05 lies after q1's end (03-31): E_DATE_OUTSIDE_CYCLE at "
     "$.check_ins[5].date (the sixth check-in). kr_oli belongs to oli_priv, private to oli: for ola the problem "
     "keeps its code and path only (no id; a message that names no item, value or date).",
     BAD, {"person": "ola"}, as_of=AS_OF,
     expect_error=[{"code": "E_DATE_OUTSIDE_CYCLE", "path": "$.check_ins[5].date"}],
     absent=["kr_oli", "oli_priv"])

ALIGN = copy.deepcopy(BASE)
ALIGN["alignments"].append({"child": "bob_team", "parent": "oli_priv"})
case("private_alignment_error", "aligning to another owner's private objective is an error",
     "bob_team (owner bob) is aligned to oli_priv, private and owned by oli: E_PRIVATE_ALIGNMENT at "
     "$.alignments[3].parent. Seen by ann, who may not see oli_priv, the problem names neither it nor its KR.",
     ALIGN, {"person": "ann"}, as_of=AS_OF,
     expect_error=[{"code": "E_PRIVATE_ALIGNMENT", "path": "$.alignments[3].parent"}],
     absent=["oli_priv", "kr_oli"])

case("unknown_viewer", "an unknown viewer is an error that reveals nothing else",
     "zed is no person of the document: E_UNKNOWN_ID at $.viewer.person, and nothing of the document.",
     BAD, {"person": "zed"}, as_of=AS_OF,
     expect_error=[{"code": "E_UNKNOWN_ID", "path": "$.viewer.person"}],
     absent=["kr_oli", "oli_priv", "ann_priv", "co_pub", "zed"])

print(f"wrote {n} cases to {os.path.normpath(OUT)}")
