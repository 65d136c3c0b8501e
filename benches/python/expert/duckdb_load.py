"""The DuckDB baseline's end-to-end reader: ``read_json`` with the columns the workloads read declared (so the rest
of the document is skipped and nothing is inferred), lists unnested with their positions, ids dictionary-encoded by
joins with the id tables; the columns come back as numpy arrays for the shared structure step."""

from __future__ import annotations

from typing import Dict

import duckdb
import numpy as np

from .tables import KR_KINDS, NOT_DONE, PROGRESS_FROM, Tables

COLUMNS = {
    "org_units": "STRUCT(id VARCHAR, parent VARCHAR)[]",
    "objectives": "STRUCT(id VARCHAR, progress_from VARCHAR, rollup VARCHAR, "
                  "manual_updates STRUCT(date DATE, progress DOUBLE)[])[]",
    "key_results": "STRUCT(id VARCHAR, objective VARCHAR, kind VARCHAR, start DOUBLE, target DOUBLE, bound DOUBLE, "
                   "inclusive BOOLEAN, weight DOUBLE, linked_objective VARCHAR, unit VARCHAR, "
                   "steps STRUCT(weight DOUBLE, done_on DATE)[], "
                   "versions STRUCT(effective DATE, start DOUBLE, target DOUBLE, bound DOUBLE, weight DOUBLE)[])[]",
    "check_ins": "STRUCT(key_result VARCHAR, date DATE, value DOUBLE)[]",
    "alignments": "STRUCT(child VARCHAR, parent VARCHAR, weight DOUBLE, mode VARCHAR)[]",
    "measures": "STRUCT(id VARCHAR)[]",
    "metrics": "STRUCT(id VARCHAR, kind VARCHAR, measure VARCHAR, agg VARCHAR)[]",
    "observations": "STRUCT(measure VARCHAR, date DATE, value DOUBLE, dims STRUCT(unit VARCHAR))[]",
}


def fetch(con: duckdb.DuckDBPyConnection, sql: str) -> Dict[str, np.ndarray]:
    """A query's columns as numpy arrays, NULL as NaN (floats)."""
    out = {}
    for k, v in con.execute(sql).fetchnumpy().items():
        out[k] = np.ma.filled(v, np.nan) if np.ma.isMaskedArray(v) else np.asarray(v)
    return out


def load(path: str, con: "duckdb.DuckDBPyConnection | None" = None) -> Tables:
    con = con or duckdb.connect()
    cols = ", ".join(f"'{k}': '{v}'" for k, v in COLUMNS.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE doc AS SELECT * FROM read_json('{path}', format='unstructured', "
                f"maximum_object_size=2147483647, columns={{{cols}}})")
    for name in ("org_units", "objectives", "key_results", "check_ins", "alignments", "measures", "metrics",
                 "observations"):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS "
                    f"SELECT unnest(range(len({name}))) AS i, unnest({name}, recursive := true) FROM doc")
    con.execute("DROP TABLE doc")
    for name, key, field in (("man", "objectives", "manual_updates"), ("ver", "key_results", "versions"),
                             ("steps", "key_results", "steps")):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT i AS owner, unnest(range(len({field}))) AS j, "
                    f"unnest({field}, recursive := true) FROM {key}")
    def day(c: str) -> str:
        return f"coalesce(({c} - DATE '1970-01-01')::INTEGER, {NOT_DONE})"

    d = day("date")

    kinds = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KR_KINDS))
    froms = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(PROGRESS_FROM))
    units = fetch(con, "SELECT u.id, coalesce(p.i, -1)::INTEGER AS parent FROM org_units u "
                       "LEFT JOIN org_units p ON p.id = u.parent ORDER BY u.i")
    objs = fetch(con, f"SELECT id, (CASE coalesce(progress_from, 'key_results') {froms} END)::TINYINT AS pf, "
                      "coalesce(rollup = 'by_value', false) AS by_value FROM objectives ORDER BY i")
    man = fetch(con, f"SELECT owner::INTEGER AS obj, {day('date')} AS day, progress FROM man ORDER BY owner, j")
    krs = fetch(con, f"""
        SELECT k.id, o.i::INTEGER AS obj, (CASE k.kind {kinds} END)::TINYINT AS kind, k.start, k.target, k.bound,
               coalesce(k.inclusive, true) AS inclusive, coalesce(k.weight, 1.0) AS weight,
               coalesce(l.i, -1)::INTEGER AS linked, coalesce(u.code, -1)::INTEGER AS unit
        FROM key_results k JOIN objectives o ON o.id = k.objective
        LEFT JOIN objectives l ON l.id = k.linked_objective
        LEFT JOIN (SELECT unit, (row_number() OVER (ORDER BY unit) - 1) AS code
                   FROM (SELECT DISTINCT unit FROM key_results WHERE unit IS NOT NULL)) u ON u.unit = k.unit
        ORDER BY k.i""")
    ver = fetch(con, f"SELECT owner::INTEGER AS kr, {day('effective')} AS day, start, target, bound, weight FROM ver ORDER BY owner, j")
    steps = fetch(con, f"SELECT owner::INTEGER AS kr, coalesce(weight, 1.0) AS weight, {day('done_on')} AS day "
                       "FROM steps ORDER BY owner, j")
    cis = fetch(con, f"SELECT k.i::INTEGER AS kr, {d} AS day, c.value FROM check_ins c "
                     "JOIN key_results k ON k.id = c.key_result ORDER BY c.i")
    als = fetch(con, "SELECT c.i::INTEGER AS child, p.i::INTEGER AS parent, coalesce(a.weight, 1.0) AS weight, "
                     "coalesce(a.mode, 'contributes') = 'contributes' AS contributes FROM alignments a "
                     "JOIN objectives c ON c.id = a.child JOIN objectives p ON p.id = a.parent ORDER BY a.i")
    measure_ids = [str(x) for x in fetch(con, "SELECT id FROM measures ORDER BY i")["id"]]
    sums = fetch(con, "SELECT id, measure FROM metrics WHERE kind = 'simple' AND coalesce(agg, 'sum') = 'sum' "
                      "ORDER BY i")
    obs = fetch(con, f"SELECT m.i::TINYINT AS measure, u.i::INTEGER AS unit, {d} AS day, o.value "
                     "FROM observations o JOIN measures m ON m.id = o.measure JOIN org_units u ON u.id = o.unit "
                     "ORDER BY o.i")
    for name in ("org_units", "objectives", "key_results", "check_ins", "alignments", "measures", "metrics",
                 "observations", "man", "ver", "steps"):
        con.execute(f"DROP TABLE {name}")
    i32 = np.int32
    return Tables(
        unit_ids=[str(x) for x in units["id"]], unit_parent=units["parent"],
        objective_ids=[str(x) for x in objs["id"]], obj_from=objs["pf"], obj_by_value=objs["by_value"],
        man_obj=man["obj"], man_day=man["day"].astype(i32), man_progress=man["progress"],
        kr_ids=[str(x) for x in krs["id"]], kr_obj=krs["obj"], kr_kind=krs["kind"], kr_start=krs["start"],
        kr_target=krs["target"], kr_bound=krs["bound"], kr_inclusive=krs["inclusive"], kr_weight=krs["weight"],
        kr_linked=krs["linked"], kr_unit=krs["unit"],
        ver_kr=ver["kr"], ver_day=ver["day"].astype(i32), ver_start=ver["start"], ver_target=ver["target"],
        ver_bound=ver["bound"], ver_weight=ver["weight"],
        step_kr=steps["kr"], step_weight=steps["weight"], step_day=steps["day"].astype(i32),
        ci_kr=cis["kr"], ci_day=cis["day"].astype(i32), ci_value=cis["value"],
        al_child=als["child"], al_parent=als["parent"], al_weight=als["weight"], al_contributes=als["contributes"],
        measure_ids=measure_ids,
        sum_metrics=[(str(m), measure_ids.index(str(x))) for m, x in zip(sums["id"], sums["measure"])],
        obs_measure=obs["measure"], obs_unit=obs["unit"], obs_day=obs["day"].astype(i32), obs_value=obs["value"],
    )


