"""pandas, as an expert writes it: integer codes (no string keys), ``groupby(...).last()`` on rows sorted once (as
okpi's model keeps check-ins sorted), ``DataFrame.update`` for the definition in force, group-by sums, the roll-up
one tree level at a time, the subtree sums as a merge with the (unit, ancestor) pairs then a group-by, and the
alert state machine as column arithmetic on the long table sorted by (series, step): forward fills that restart at
each series' first row, run starts from a shift, steps since the run began from a forward-filled position."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

import numpy as np
import pandas as pd

from .tables import FOR, Tables, day, series_columns
from .tables import load as load  # the end-to-end reader: Python's json module


@dataclass
class Frames:
    kr: pd.DataFrame
    ver: pd.DataFrame
    step: pd.DataFrame
    ci: pd.DataFrame
    man: pd.DataFrame
    al: pd.DataFrame
    obj: pd.DataFrame
    obs: pd.DataFrame
    closure: pd.DataFrame
    series: pd.DataFrame
    levels: List[Tuple[np.ndarray, np.ndarray, np.ndarray]]
    sum_codes: List[int]
    month_of_day: np.ndarray
    day0: int


def prepare(t: Tables) -> Frames:
    s = t.s
    kr = pd.DataFrame({"obj": t.kr_obj, "kind": t.kr_kind, "start": t.kr_start, "target": t.kr_target,
                       "bound": t.kr_bound, "inclusive": t.kr_inclusive, "weight": t.kr_weight,
                       "linked": t.kr_linked})
    return Frames(
        kr=kr,
        ver=pd.DataFrame({"kr": t.ver_kr, "day": t.ver_day, "start": t.ver_start, "target": t.ver_target,
                          "bound": t.ver_bound, "weight": t.ver_weight}),
        step=pd.DataFrame({"kr": t.step_kr, "weight": t.step_weight, "day": t.step_day}),
        ci=pd.DataFrame({"kr": t.ci_kr, "day": t.ci_day, "value": t.ci_value}),
        man=pd.DataFrame({"obj": t.man_obj, "day": t.man_day, "progress": t.man_progress}),
        al=pd.DataFrame({"child": t.al_child, "parent": t.al_parent, "weight": t.al_weight, "edge": s["edge"]}),
        obj=pd.DataFrame({"from": t.obj_from, "by_value": s["by_value"]}),
        obs=pd.DataFrame({"measure": t.obs_measure, "unit": t.obs_unit, "day": t.obs_day, "value": t.obs_value}),
        closure=pd.DataFrame({"unit": s["closure"][0], "ancestor": s["closure"][1]}),
        series=pd.DataFrame(series_columns(t)),
        levels=s["levels"],
        sum_codes=[c for _, c in t.sum_metrics],
        month_of_day=s["month_of_day"],
        day0=s["day0"],
    )


def okr(f: Frames, as_of_date: Any) -> Dict[str, Tuple[np.ndarray, ...]]:
    as_of = day(as_of_date)
    kr = f.kr
    defs = kr[["start", "target", "bound", "weight"]].copy()
    defs.update(f.ver[f.ver["day"] <= as_of].groupby("kr")[["start", "target", "bound", "weight"]].last())
    ci = f.ci[(f.ci["day"] <= as_of) & f.ci["value"].notna()]
    latest = ci.groupby("kr")["value"].last().reindex(kr.index)
    kind, start, target, bound = kr["kind"], defs["start"], defs["target"], defs["bound"]
    plain = kind <= 1
    current = latest.where(~(plain & latest.isna()), start)
    raw = ((current - start) / (target - start)).where(kind == 0, (start - current) / (start - target))
    progress = raw.clip(0.0, 1.0).where(plain, 0.0)
    has = latest.notna()
    above = has & (latest >= bound).where(kr["inclusive"], latest > bound)
    below = has & (latest <= bound).where(kr["inclusive"], latest < bound)
    progress = progress.mask(kind == 2, above.astype(float)).mask(kind == 3, below.astype(float))
    st = f.step.assign(done=f.step["weight"] * (f.step["day"] <= as_of)).groupby("kr")[["done", "weight"]].sum()
    checklist = (st["done"] / st["weight"]).where(st["weight"] > 0, 0.0).reindex(kr.index)
    milestone = checklist.fillna(latest.fillna(0.0))
    progress = progress.mask(kind == 4, milestone)

    obj = f.obj
    prog = f.man[f.man["day"] <= as_of].groupby("obj")["progress"].last().reindex(obj.index, fill_value=0.0)
    bv = kr[obj["by_value"].to_numpy()[kr["obj"].to_numpy()]]
    sums = pd.DataFrame({"obj": bv["obj"], "cur": current[bv.index], "start": start[bv.index],
                         "target": target[bv.index], "kind": bv["kind"]}).groupby("obj").agg(
        cur=("cur", "sum"), start=("start", "sum"), target=("target", "sum"), kind=("kind", "first"))
    by_value = ((sums["cur"] - sums["start"]) / (sums["target"] - sums["start"])).where(
        sums["kind"] == 0, (sums["start"] - sums["cur"]) / (sums["start"] - sums["target"])).clip(0.0, 1.0)
    prog[by_value.index] = by_value

    terms = pd.DataFrame({"obj": kr["obj"], "w": defs["weight"], "wp": defs["weight"] * progress})
    terms = terms[obj["from"].isin([0, 2]).to_numpy()[kr["obj"].to_numpy()]]
    edges = f.al[f.al["edge"]]
    den = terms.groupby("obj")["w"].sum().add(edges.groupby("parent")["weight"].sum(), fill_value=0.0)
    num = terms[kind[terms.index] != 5].groupby("obj")["wp"].sum()
    den = den.reindex(obj.index, fill_value=0.0)
    num = num.reindex(obj.index, fill_value=0.0)
    p = prog.to_numpy().copy()
    for objs, level_edges, links in f.levels:
        n = num.iloc[objs]
        if links.size:
            lk = kr.iloc[links]
            add = (defs["weight"].iloc[links] * p[lk["linked"].to_numpy()]).groupby(lk["obj"].to_numpy()).sum()
            n = n.add(add, fill_value=0.0).reindex(n.index)
        if level_edges.size:
            e = f.al.iloc[level_edges]
            add = (e["weight"] * p[e["child"].to_numpy()]).groupby(e["parent"].to_numpy()).sum()
            n = n.add(add, fill_value=0.0).reindex(n.index)
        d = den.iloc[objs]
        p[objs] = (n / d).where(d > 0, 0.0).to_numpy()
    linked = kind == 5
    progress = progress.mask(linked, pd.Series(p[kr["linked"].clip(lower=0).to_numpy()], index=kr.index))
    current = current.mask(linked, progress)
    return {"kr": (kr.index.to_numpy(), current.to_numpy(), progress.to_numpy()),
            "objective": (obj.index.to_numpy(), p)}


def monthly(f: Frames) -> Tuple[np.ndarray, ...]:
    obs = f.obs[f.obs["measure"].isin(f.sum_codes)]
    month = pd.Series(f.month_of_day[obs["day"].to_numpy() - f.day0], index=obs.index, name="month")
    leaf = obs.groupby([obs["measure"], obs["unit"], month], sort=False)["value"].sum().reset_index()
    tree = leaf.merge(f.closure, on="unit").groupby(["measure", "ancestor", "month"], sort=False)["value"].sum()
    tree = tree.reset_index()
    return (tree["measure"].to_numpy(), tree["ancestor"].to_numpy(), tree["month"].to_numpy(),
            tree["value"].to_numpy())


def alerts(f: Frames) -> Tuple[np.ndarray, ...]:
    a = f.series
    x, r = a["value"], a
    zone = ((x > r["warn_rec"]).astype(np.int8) + (x > r["warn"]) + (x > r["crit_rec"]) + (x > r["crit"]))
    first = a["step"] == 0
    # The zone before a run of zone-1 (or zone-3) cells; a series' first cell reads the fresh state (none).
    z1 = zone.where(zone != 1).mask(first & (zone == 1), 0).ffill()
    z3 = zone.where(zone != 3).mask(first & (zone == 3), 0).ffill()
    sev = pd.Series(np.select([zone == 0, zone == 1, zone == 2, zone == 3],
                              [0, (z1 != 0).astype(np.int8), 1, 1 + (z3 == 4)], 2), index=a.index)
    b = sev > 0
    prev_b = b.shift(fill_value=False) & ~first
    prev_sev = sev.shift(fill_value=0).where(~first, 0)
    start = b & ~prev_b
    pos = pd.Series(np.arange(len(a)), index=a.index)
    k = pos - pos.where(start).ffill().fillna(0).astype(np.int64)
    prev_k = k.shift(fill_value=0)
    kind = pd.Series(np.select(
        [start & (FOR > 0), b & (k == FOR), b & (k > FOR) & (sev != prev_sev), ~b & prev_b & (prev_k >= FOR)],
        [0, 1, 2, 3], -1), index=a.index)
    ev = a.assign(kind=kind, severity=sev.where(kind != 3, prev_sev) - 1)[kind >= 0]
    return (ev["series"].to_numpy(), ev["step"].to_numpy(), ev["kind"].to_numpy(), ev["severity"].to_numpy())
