"""DuckDB, as an expert writes it (every core): the tables in DuckDB's own storage with integer codes, "latest" as
``arg_max(value, seq)`` over rows numbered in (key, date, input) order, group-by sums, the roll-up one tree level
at a time (an ``INSERT ... SELECT`` per level into the table of computed objectives), the subtree sums as a join
with the (unit, ancestor) pairs, and the alert state machine as streaming window functions over the table in (series, step)
order: running maxima for the state before a run and the start of a run, ``lag`` for the severity before."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Tuple

import duckdb
import numpy as np
import pyarrow as pa

from .tables import FOR, Tables, day, series_columns
from .duckdb_load import load as load  # the end-to-end reader


@dataclass
class Db:
    con: duckdb.DuckDBPyConnection
    n_levels: int
    sum_codes: str
    month0: str


def arrow(**cols: np.ndarray) -> pa.Table:
    """An Arrow table of numpy columns, NaN read as NULL (missing), as SQL means it."""
    return pa.table({k: pa.array(v, from_pandas=True) for k, v in cols.items()})


def prepare(t: Tables, con: "duckdb.DuckDBPyConnection | None" = None) -> Db:
    s = t.s
    con = con or duckdb.connect()
    level = s["level"]
    uses_krs = np.isin(t.obj_from, (0, 2))
    tables = {
        "kr": arrow(kr=np.arange(len(t.kr_ids), dtype=np.int32), obj=t.kr_obj, kind=t.kr_kind, start=t.kr_start,
                    target=t.kr_target, bound=t.kr_bound, inclusive=t.kr_inclusive, weight=t.kr_weight,
                    linked=t.kr_linked, uses=uses_krs[t.kr_obj], level=level[t.kr_obj],
                    by_value=s["by_value"][t.kr_obj]),
        "ver": arrow(kr=t.ver_kr, day=t.ver_day, seq=np.arange(len(t.ver_kr)), start=t.ver_start,
                     target=t.ver_target, bound=t.ver_bound, weight=t.ver_weight),
        "step": arrow(kr=t.step_kr, weight=t.step_weight, day=t.step_day),
        "ci": arrow(kr=t.ci_kr, day=t.ci_day, seq=np.arange(len(t.ci_kr)), value=t.ci_value),
        "man": arrow(obj=t.man_obj, day=t.man_day, seq=np.arange(len(t.man_obj)), progress=t.man_progress),
        "al": arrow(child=t.al_child, parent=t.al_parent, weight=t.al_weight, edge=s["edge"],
                    level=level[t.al_parent]),
        "obj": arrow(obj=np.arange(len(t.objective_ids), dtype=np.int32), level=level,
                     by_value=s["by_value"], manual=t.obj_from == 3),
        "obs": pa.table({"measure": t.obs_measure, "unit": t.obs_unit,
                         "date": pa.array(t.obs_day, type=pa.int32()).cast(pa.date32()), "value": t.obs_value}),
        "closure": arrow(unit=s["closure"][0], ancestor=s["closure"][1]),
        "series": pa.table(series_columns(t)),
    }
    for name, table in tables.items():
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")
    return Db(con, len(s["levels"]), ",".join(str(c) for _, c in t.sum_metrics), s["months"][0])


def okr(db: Db, as_of_date: Any) -> Dict[str, Tuple[np.ndarray, ...]]:
    as_of = day(as_of_date)
    con = db.con
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE kr2 AS
        WITH v AS (
            SELECT kr, arg_max(start, seq) FILTER (WHERE start IS NOT NULL) AS start,
                   arg_max(target, seq) FILTER (WHERE target IS NOT NULL) AS target,
                   arg_max(bound, seq) FILTER (WHERE bound IS NOT NULL) AS bound,
                   arg_max(weight, seq) FILTER (WHERE weight IS NOT NULL) AS weight
            FROM ver WHERE day <= {as_of} GROUP BY kr),
        latest AS (SELECT kr, arg_max(value, seq) AS latest FROM ci
                   WHERE day <= {as_of} AND value IS NOT NULL GROUP BY kr),
        steps AS (SELECT kr, sum(weight * (day <= {as_of})::DOUBLE) AS done, sum(weight) AS total
                  FROM step GROUP BY kr),
        d AS (
            SELECT k.kr, k.obj, k.kind, k.inclusive, k.linked, k.uses, k.level, k.by_value,
                   coalesce(v.start, k.start) AS start, coalesce(v.target, k.target) AS target,
                   coalesce(v.bound, k.bound) AS bound, coalesce(v.weight, k.weight) AS weight,
                   l.latest, s.done, s.total
            FROM kr k LEFT JOIN v USING (kr) LEFT JOIN latest l USING (kr) LEFT JOIN steps s USING (kr)),
        c AS (SELECT *, CASE WHEN kind <= 1 THEN coalesce(latest, start) ELSE latest END AS current FROM d)
        SELECT *, CASE kind
            WHEN 0 THEN greatest(least((current - start) / (target - start), 1.0), 0.0)
            WHEN 1 THEN greatest(least((start - current) / (start - target), 1.0), 0.0)
            WHEN 2 THEN coalesce(CASE WHEN inclusive THEN latest >= bound ELSE latest > bound END, false)::DOUBLE
            WHEN 3 THEN coalesce(CASE WHEN inclusive THEN latest <= bound ELSE latest < bound END, false)::DOUBLE
            WHEN 4 THEN CASE WHEN total IS NULL THEN coalesce(latest, 0.0)
                             WHEN total > 0 THEN done / total ELSE 0.0 END
            ELSE 0.0 END AS progress
        FROM c""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE prog AS
        SELECT o.obj, coalesce(m.p, 0.0) AS p FROM obj o
        LEFT JOIN (SELECT obj, arg_max(progress, seq) AS p FROM man WHERE day <= {as_of} GROUP BY obj) m USING (obj)
        WHERE o.manual
        UNION ALL
        SELECT obj, greatest(least(CASE WHEN any_value(kind) = 0
                                        THEN (sum(current) - sum(start)) / (sum(target) - sum(start))
                                        ELSE (sum(start) - sum(current)) / (sum(start) - sum(target)) END,
                                   1.0), 0.0)
        FROM kr2 WHERE by_value GROUP BY obj""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE terms AS
        SELECT o.obj, o.level, coalesce(t.num, 0.0) AS num, coalesce(t.den, 0.0) + coalesce(e.den, 0.0) AS den
        FROM obj o
        LEFT JOIN (SELECT obj, sum(weight * progress) FILTER (WHERE kind <> 5) AS num, sum(weight) AS den
                   FROM kr2 WHERE uses GROUP BY obj) t USING (obj)
        LEFT JOIN (SELECT parent AS obj, sum(weight) AS den FROM al WHERE edge GROUP BY parent) e USING (obj)
        WHERE NOT (o.manual OR o.by_value)""")
    for level in range(db.n_levels):
        con.execute(f"""
            INSERT INTO prog
            SELECT t.obj, CASE WHEN t.den > 0 THEN (t.num + coalesce(a.v, 0.0)) / t.den ELSE 0.0 END
            FROM terms t LEFT JOIN (
                SELECT obj, sum(v) AS v FROM (
                    SELECT k.obj, k.weight * p.p AS v FROM kr2 k JOIN prog p ON p.obj = k.linked
                    WHERE k.kind = 5 AND k.uses AND k.level = {level}
                    UNION ALL
                    SELECT a.parent, a.weight * p.p FROM al a JOIN prog p ON p.obj = a.child
                    WHERE a.edge AND a.level = {level})
                GROUP BY obj) a USING (obj)
            WHERE t.level = {level}""")
    kr = con.execute("""
        SELECT k.kr, CASE WHEN k.kind = 5 THEN p.p ELSE k.current END AS current,
               CASE WHEN k.kind = 5 THEN p.p ELSE k.progress END AS progress
        FROM kr2 k LEFT JOIN prog p ON p.obj = k.linked""").fetchnumpy()
    obj = con.execute("SELECT obj, p FROM prog").fetchnumpy()
    return {"kr": (kr["kr"], np.ma.filled(kr["current"].astype(float), np.nan), kr["progress"]),
            "objective": (obj["obj"], obj["p"])}


def monthly(db: Db) -> Tuple[np.ndarray, ...]:
    out = db.con.execute(f"""
        SELECT measure, ancestor, month, sum(v) AS value
        FROM (SELECT measure, unit, datediff('month', DATE '{db.month0}-01', date) AS month, sum(value) AS v
              FROM obs WHERE measure IN ({db.sum_codes}) GROUP BY ALL)
        JOIN closure USING (unit)
        GROUP BY ALL""").fetchnumpy()
    return out["measure"], out["ancestor"], out["month"], out["value"]


def alerts(db: Db) -> Tuple[np.ndarray, ...]:
    # The table holds the series in (series, step) order, and DuckDB reads a table in insertion order
    # (`preserve_insertion_order`, the default): so every window below is a streaming window over that order
    # (`OVER ()`, `ROWS UNBOUNDED PRECEDING` without ORDER BY), one pass each, rather than a partitioned sort. A
    # running maximum over all series stays inside the current one because each series' first row always counts
    # (a fresh state); the equality check with okpi on every run guards the reliance on the order.
    out = db.con.execute(f"""
        WITH z AS (
            SELECT series, step, series::BIGINT * 65536 + step AS pos,
                   (value > warn_rec)::INTEGER + (value > warn)::INTEGER + (value > crit_rec)::INTEGER
                   + (value > crit)::INTEGER AS zone
            FROM series),
        f AS (
            SELECT series, step, pos, zone,
                   max(CASE WHEN zone <> 1 THEN pos * 8 + zone WHEN step = 0 THEN pos * 8 END)
                       OVER (ROWS UNBOUNDED PRECEDING) % 8 AS z1,
                   max(CASE WHEN zone <> 3 THEN pos * 8 + zone WHEN step = 0 THEN pos * 8 END)
                       OVER (ROWS UNBOUNDED PRECEDING) % 8 AS z3
            FROM z),
        v AS (
            SELECT series, step, pos, CASE zone WHEN 0 THEN 0 WHEN 1 THEN (z1 <> 0)::INTEGER WHEN 2 THEN 1
                                                WHEN 3 THEN 1 + (z3 = 4)::INTEGER ELSE 2 END AS sev
            FROM f),
        p AS (
            SELECT *, CASE WHEN step = 0 THEN 0 ELSE lag(sev) OVER () END AS prev_sev FROM v),
        r AS (
            SELECT *, max(CASE WHEN sev > 0 AND prev_sev = 0 THEN pos END) OVER (ROWS UNBOUNDED PRECEDING)
                      AS run_start
            FROM p),
        e AS (
            SELECT series, step, sev, prev_sev, CASE
                WHEN sev > 0 AND prev_sev = 0 AND {FOR} > 0 THEN 0
                WHEN sev > 0 AND pos - run_start = {FOR} THEN 1
                WHEN sev > 0 AND pos - run_start > {FOR} AND sev <> prev_sev THEN 2
                WHEN sev = 0 AND prev_sev > 0 AND pos - 1 - run_start >= {FOR} THEN 3
                END AS kind
            FROM r)
        SELECT series, step, kind, CASE WHEN kind = 3 THEN prev_sev ELSE sev END - 1 AS severity
        FROM e WHERE kind IS NOT NULL""").fetchnumpy()
    return out["series"], out["step"], out["kind"], out["severity"]
