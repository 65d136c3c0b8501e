"""The polars baseline's end-to-end reader: ``pl.read_json`` with a schema of only the fields the workloads read
(so the rest of the document is skipped), lists exploded into tables, ids dictionary-encoded with
``replace_strict`` into the document's positions."""

from __future__ import annotations


import polars as pl

from .tables import KR_KINDS, NOT_DONE, PROGRESS_FROM, Tables

S, L, STR, F64, DATE, BOOL = pl.Struct, pl.List, pl.String, pl.Float64, pl.Date, pl.Boolean
SCHEMA = {
    "org_units": L(S({"id": STR, "parent": STR})),
    "objectives": L(S({"id": STR, "progress_from": STR, "rollup": STR,
                       "manual_updates": L(S({"date": DATE, "progress": F64}))})),
    "key_results": L(S({"id": STR, "objective": STR, "kind": STR, "start": F64, "target": F64, "bound": F64,
                        "inclusive": BOOL, "weight": F64, "linked_objective": STR, "unit": STR,
                        "steps": L(S({"weight": F64, "done_on": DATE})),
                        "versions": L(S({"effective": DATE, "start": F64, "target": F64, "bound": F64,
                                         "weight": F64}))})),
    "check_ins": L(S({"key_result": STR, "date": DATE, "value": F64})),
    "alignments": L(S({"child": STR, "parent": STR, "weight": F64, "mode": STR})),
    "measures": L(S({"id": STR})),
    "metrics": L(S({"id": STR, "kind": STR, "measure": STR, "agg": STR})),
    "observations": L(S({"measure": STR, "date": DATE, "value": F64, "dims": S({"unit": STR})})),
}


def table(doc: pl.DataFrame, name: str) -> pl.DataFrame:
    return doc.select(pl.col(name).explode()).unnest(name)


def nested(items: pl.DataFrame, key: str, field: str) -> pl.DataFrame:
    """The list ``field`` of every row as one table, with the row's position as ``key``."""
    return (items.with_row_index(key).select(key, field).explode(field)
            .filter(pl.col(field).is_not_null()).unnest(field))


def code(c: str, ids: pl.Series) -> pl.Expr:
    """Positions of ids in ``ids`` (-1 for null)."""
    return pl.col(c).replace_strict(ids, pl.int_range(ids.len(), eager=True), default=None,
                                    return_dtype=pl.Int32).fill_null(-1)


def day(c: str) -> pl.Expr:
    return pl.col(c).cast(pl.Int32).fill_null(NOT_DONE)


def load(path: str) -> Tables:
    doc = pl.read_json(path, schema=SCHEMA)
    units, objs, krs = table(doc, "org_units"), table(doc, "objectives"), table(doc, "key_results")
    uid, oid, kid = units["id"], objs["id"], krs["id"]
    mid = table(doc, "measures")["id"]
    man = nested(objs, "obj", "manual_updates")
    ver = nested(krs, "kr", "versions")
    steps = nested(krs, "kr", "steps")
    cis = table(doc, "check_ins").select(code("key_result", kid), day("date"), "value")
    als = table(doc, "alignments")
    obs = table(doc, "observations").select(
        code("measure", mid).cast(pl.Int8), pl.col("dims").struct.field("unit").replace_strict(
            uid, pl.int_range(uid.len(), eager=True), return_dtype=pl.Int32), day("date"), "value")
    metrics = table(doc, "metrics")
    kind_codes = pl.Series(KR_KINDS)
    unit_texts = krs["unit"].drop_nulls().unique().sort()
    k = krs.select(
        code("objective", oid), pl.col("kind").replace_strict(kind_codes, pl.int_range(6, eager=True),
                                                              return_dtype=pl.Int8),
        "start", "target", "bound", pl.col("inclusive").fill_null(True), pl.col("weight").fill_null(1.0),
        code("linked_objective", oid), code("unit", unit_texts))
    o = objs.select(
        pl.col("progress_from").fill_null("key_results").replace_strict(
            pl.Series(PROGRESS_FROM), pl.int_range(4, eager=True), return_dtype=pl.Int8),
        (pl.col("rollup") == "by_value").fill_null(False))
    a = als.select(code("child", oid), code("parent", oid), pl.col("weight").fill_null(1.0),
                   (pl.col("mode").fill_null("contributes") == "contributes"))
    measure_ids = mid.to_list()
    sums = metrics.filter((pl.col("kind") == "simple") & pl.col("agg").fill_null("sum").eq("sum"))
    return Tables(
        unit_ids=uid.to_list(),
        unit_parent=units.select(code("parent", uid))["parent"].to_numpy(),
        objective_ids=oid.to_list(),
        obj_from=o["progress_from"].to_numpy(),
        obj_by_value=o["rollup"].to_numpy(),
        man_obj=man["obj"].cast(pl.Int32).to_numpy(),
        man_day=man.select(day("date"))["date"].to_numpy(),
        man_progress=man["progress"].to_numpy(),
        kr_ids=kid.to_list(),
        kr_obj=k["objective"].to_numpy(),
        kr_kind=k["kind"].to_numpy(),
        kr_start=k["start"].to_numpy(),
        kr_target=k["target"].to_numpy(),
        kr_bound=k["bound"].to_numpy(),
        kr_inclusive=k["inclusive"].to_numpy(),
        kr_weight=k["weight"].to_numpy(),
        kr_linked=k["linked_objective"].to_numpy(),
        kr_unit=k["unit"].to_numpy(),
        ver_kr=ver["kr"].cast(pl.Int32).to_numpy(),
        ver_day=ver.select(day("effective"))["effective"].to_numpy(),
        ver_start=ver["start"].to_numpy(),
        ver_target=ver["target"].to_numpy(),
        ver_bound=ver["bound"].to_numpy(),
        ver_weight=ver["weight"].to_numpy(),
        step_kr=steps["kr"].cast(pl.Int32).to_numpy(),
        step_weight=steps["weight"].fill_null(1.0).to_numpy(),
        step_day=steps.select(day("done_on"))["done_on"].to_numpy(),
        ci_kr=cis["key_result"].to_numpy(),
        ci_day=cis["date"].to_numpy(),
        ci_value=cis["value"].to_numpy(),
        al_child=a["child"].to_numpy(),
        al_parent=a["parent"].to_numpy(),
        al_weight=a["weight"].to_numpy(),
        al_contributes=a["mode"].to_numpy(),
        measure_ids=measure_ids,
        sum_metrics=[(m, measure_ids.index(x)) for m, x in zip(sums["id"], sums["measure"])],
        obs_measure=obs["measure"].to_numpy(),
        obs_unit=obs["unit"].to_numpy(),
        obs_day=obs["date"].to_numpy(),
        obs_value=obs["value"].to_numpy(),
    )
