"""polars, as an expert writes it (every core): integer codes, ``group_by(...).agg(last())`` on rows sorted once,
joins and group-by sums, the roll-up one tree level at a time, the subtree sums as a lazy join with the
(unit, ancestor) pairs, and the alert state machine as one lazy expression pipeline over the long table sorted by
(series, step): forward fills that restart at each series' first row, shifts, and a forward-filled run start."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

import numpy as np
import polars as pl

from .tables import FOR, Tables, day, series_columns
from .polars_load import load as load  # the end-to-end reader


@dataclass
class Frames:
    kr: pl.DataFrame
    ver: pl.DataFrame
    step: pl.DataFrame
    ci: pl.DataFrame
    man: pl.DataFrame
    al: pl.DataFrame
    obj: pl.DataFrame
    obs: pl.DataFrame
    closure: pl.DataFrame
    series: pl.DataFrame
    n_levels: int
    sum_codes: List[int]
    month0: int


def col(x: np.ndarray) -> pl.Series:
    """A column with NaN read as null (missing), as polars means it."""
    return pl.Series(x, nan_to_null=True) if x.dtype.kind == "f" else pl.Series(x)


def frame(**cols: np.ndarray) -> pl.DataFrame:
    return pl.DataFrame({k: col(v) for k, v in cols.items()})


def prepare(t: Tables) -> Frames:
    s = t.s
    level = s["level"]
    uses_krs = np.isin(t.obj_from, (0, 2))
    fixed = s["by_value"] | (t.obj_from == 3)
    q0 = np.datetime64(s["months"][0], "M").astype(np.int64)
    return Frames(
        kr=frame(kr=np.arange(len(t.kr_ids), dtype=np.int32), obj=t.kr_obj, kind=t.kr_kind, start=t.kr_start,
                 target=t.kr_target, bound=t.kr_bound, inclusive=t.kr_inclusive, weight=t.kr_weight,
                 linked=t.kr_linked, uses=uses_krs[t.kr_obj], level=level[t.kr_obj],
                 by_value=s["by_value"][t.kr_obj]),
        ver=frame(kr=t.ver_kr, day=t.ver_day, start=t.ver_start, target=t.ver_target, bound=t.ver_bound,
                  weight=t.ver_weight),
        step=frame(kr=t.step_kr, weight=t.step_weight, day=t.step_day),
        ci=frame(kr=t.ci_kr, day=t.ci_day, value=t.ci_value),
        man=frame(obj=t.man_obj, day=t.man_day, progress=t.man_progress),
        al=frame(child=t.al_child, parent=t.al_parent, weight=t.al_weight, edge=s["edge"],
                 level=level[t.al_parent]),
        obj=frame(obj=np.arange(len(t.objective_ids), dtype=np.int32), level=level, fixed=fixed,
                  manual=t.obj_from == 3),
        obs=pl.DataFrame({"measure": t.obs_measure, "unit": t.obs_unit,
                          "date": pl.Series(t.obs_day).cast(pl.Date), "value": t.obs_value}),
        closure=frame(unit=s["closure"][0], ancestor=s["closure"][1]),
        series=pl.DataFrame(series_columns(t)),
        n_levels=len(s["levels"]),
        sum_codes=[c for _, c in t.sum_metrics],
        month0=int(q0),
    )


def okr(f: Frames, as_of_date: Any) -> Dict[str, Tuple[np.ndarray, ...]]:
    as_of = day(as_of_date)
    fields = ["start", "target", "bound", "weight"]
    c = pl.col
    inforce = f.ver.lazy().filter(c("day") <= as_of).group_by("kr").agg(c(x).drop_nulls().last() for x in fields)
    latest = f.ci.lazy().filter((c("day") <= as_of) & c("value").is_not_null()).group_by("kr").agg(
        latest=c("value").last())
    steps = f.step.lazy().group_by("kr").agg(done=(c("weight") * (c("day") <= as_of)).sum(),
                                             total=c("weight").sum())
    kr_plan = (
        f.kr.lazy().join(inforce, on="kr", how="left", suffix="_v")
        .with_columns(pl.coalesce(c(f"{x}_v"), c(x)).alias(x) for x in fields)
        .join(latest, on="kr", how="left")
        .join(steps, on="kr", how="left")
        .with_columns(
            current=pl.when(c("kind") <= 1).then(pl.coalesce("latest", "start")).otherwise(c("latest")))
        .with_columns(progress=pl.when(c("kind") == 0)
                      .then(((c("current") - c("start")) / (c("target") - c("start"))).clip(0.0, 1.0))
                      .when(c("kind") == 1)
                      .then(((c("start") - c("current")) / (c("start") - c("target"))).clip(0.0, 1.0))
                      .when(c("kind") == 2)
                      .then(pl.when(c("inclusive")).then(c("latest") >= c("bound")).otherwise(c("latest") > c("bound"))
                            .fill_null(False).cast(pl.Float64))
                      .when(c("kind") == 3)
                      .then(pl.when(c("inclusive")).then(c("latest") <= c("bound")).otherwise(c("latest") < c("bound"))
                            .fill_null(False).cast(pl.Float64))
                      .when((c("kind") == 4) & c("total").is_not_null())
                      .then(pl.when(c("total") > 0).then(c("done") / c("total")).otherwise(0.0))
                      .when(c("kind") == 4)
                      .then(c("latest").fill_null(0.0))
                      .otherwise(0.0))
        .select("kr", "obj", "kind", "linked", "uses", "level", "by_value", "current", "start", "target", "weight",
                "progress")
    )
    kr_plan = kr_plan.cache()
    manual = f.man.lazy().filter(c("day") <= as_of).group_by("obj").agg(p=c("progress").last())
    by_value = kr_plan.filter(c("by_value")).group_by("obj").agg(
        c("current").sum(), c("start").sum(), c("target").sum(), c("kind").first()).select(
        "obj", p=pl.when(c("kind") == 0).then((c("current") - c("start")) / (c("target") - c("start")))
        .otherwise((c("start") - c("current")) / (c("start") - c("target"))).clip(0.0, 1.0))
    fixed = pl.concat([
        f.obj.lazy().filter(c("manual")).select("obj").join(manual, on="obj", how="left").with_columns(
            c("p").fill_null(0.0)),
        by_value,
    ])
    terms = kr_plan.filter(c("uses"))
    num = terms.filter(c("kind") != 5).group_by("obj").agg(num=(c("weight") * c("progress")).sum())
    den = pl.concat([terms.select("obj", "weight"),
                     f.al.lazy().filter(c("edge")).select(obj="parent", weight="weight")]).group_by("obj").agg(
        den=c("weight").sum())
    objs_plan = f.obj.lazy().filter(~c("fixed")).join(num, on="obj", how="left").join(den, on="obj", how="left")
    links_plan = terms.filter(c("kind") == 5).select("obj", "linked", "weight", "level")
    kr, prog, objs, links = pl.collect_all([kr_plan, fixed, objs_plan, links_plan])
    edges = f.al.filter(c("edge"))
    for level in range(f.n_levels):
        add = pl.concat([
            links.filter(c("level") == level).join(prog, left_on="linked", right_on="obj").select(
                "obj", v=c("weight") * c("p")),
            edges.filter(c("level") == level).join(prog, left_on="child", right_on="obj").select(
                obj="parent", v=c("weight") * c("p")),
        ]).group_by("obj").agg(c("v").sum())
        here = objs.filter(c("level") == level).join(add, on="obj", how="left").select(
            "obj", p=pl.when(c("den") > 0).then((c("num").fill_null(0.0) + c("v").fill_null(0.0)) / c("den"))
            .otherwise(0.0))
        prog = pl.concat([prog, here])
    kr = kr.join(prog, left_on="linked", right_on="obj", how="left").with_columns(
        progress=pl.when(c("kind") == 5).then(c("p")).otherwise(c("progress")),
        current=pl.when(c("kind") == 5).then(c("p")).otherwise(c("current")))
    return {"kr": (kr["kr"].to_numpy(), kr["current"].to_numpy(), kr["progress"].to_numpy()),
            "objective": (prog["obj"].to_numpy(), prog["p"].to_numpy())}


def monthly(f: Frames) -> Tuple[np.ndarray, ...]:
    c = pl.col
    month = c("date").dt.year().cast(pl.Int32) * 12 + c("date").dt.month() - 1 - f.month0 - 1970 * 12
    out = (
        f.obs.lazy()
        .filter(c("measure").is_in(f.sum_codes))
        .group_by("measure", "unit", month.alias("month"))
        .agg(c("value").sum())
        .join(f.closure.lazy(), on="unit")
        .group_by("measure", "ancestor", "month")
        .agg(c("value").sum())
        .collect()
    )
    return tuple(out[k].to_numpy() for k in ("measure", "ancestor", "month", "value"))


def alerts(f: Frames) -> Tuple[np.ndarray, ...]:
    c = pl.col
    first = c("step") == 0
    zone = ((c("value") > c("warn_rec")).cast(pl.Int8) + (c("value") > c("warn")).cast(pl.Int8)
            + (c("value") > c("crit_rec")).cast(pl.Int8) + (c("value") > c("crit")).cast(pl.Int8))
    # The zone before a run of zone-1 (or zone-3) cells; a series' first cell reads the fresh state (none).
    before = [pl.when(c("zone") != z).then(c("zone")).when(first).then(0).forward_fill().alias(f"z{z}")
              for z in (1, 3)]
    sev = (pl.when(c("zone") == 0).then(0).when(c("zone") == 1).then((c("z1") != 0).cast(pl.Int8))
           .when(c("zone") == 2).then(1).when(c("zone") == 3).then(1 + (c("z3") == 4).cast(pl.Int8))
           .otherwise(2).cast(pl.Int8))
    pos = pl.int_range(pl.len())
    out = (
        f.series.lazy()
        .with_columns(zone.alias("zone"))
        .with_columns(before)
        .with_columns(sev.alias("sev"))
        .with_columns(b=c("sev") > 0,
                      prev_b=pl.when(first).then(False).otherwise(c("sev").shift(1) > 0),
                      prev_sev=pl.when(first).then(0).otherwise(c("sev").shift(1)).cast(pl.Int8))
        .with_columns(start=c("b") & ~c("prev_b"))
        .with_columns(k=pos - pl.when(c("start")).then(pos).forward_fill())
        .with_columns(prev_k=c("k").shift(1))
        .with_columns(kind=pl.when(c("start") & (FOR > 0)).then(0)
                      .when(c("b") & (c("k") == FOR)).then(1)
                      .when(c("b") & (c("k") > FOR) & (c("sev") != c("prev_sev"))).then(2)
                      .when(~c("b") & c("prev_b") & (c("prev_k") >= FOR)).then(3))
        .filter(c("kind").is_not_null())
        .select("series", "step", "kind", severity=pl.when(c("kind") == 3).then(c("prev_sev"))
                .otherwise(c("sev")) - 1)
        .collect()
    )
    return tuple(out[k].to_numpy() for k in ("series", "step", "kind", "severity"))
