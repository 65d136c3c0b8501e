"""The pandas baseline: the computations okpi shares with an analyst's notebook, done with pandas the way an analyst
would, checked to give okpi's numbers, and timed against okpi (from Python) on the same data in one run.

    python benches/python/pandas_baseline.py [--size org-10k] [--repeat 3]

1. KR progress: the latest check-in on or before as-of per increase/decrease key result, (current − start) /
   (target − start) clamped to [0, 1] (key results with definition changes left out: the analyst's table has one
   start and target).
2. Weighted objective roll-up: Σ weight · progress / Σ weight over objectives made only of those key results.
3. Monthly KPI aggregation over the unit tree: every sum measure by month for every unit with its whole subtree
   (a join to each unit's ancestors, then a group-by).
4. Threshold alerts: `revenue` above 1.3 × its unit's mean for more than one day in a row; pending, firing and
   resolved events counted per unit.

okpi's side, from Python: ``Model.evaluate_arrays`` (all of 1–2 and much more: status, pace, confidence, scores,
for every key result and objective; ``Model.evaluate``, which builds a dict per item, is timed too),
``Model.query_units_arrays`` per measure (3), ``okpi.alert_evaluate_many`` over the units' series (4). Each ratio
is pandas time / okpi time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from typing import Any, Callable, Dict, List, Tuple

import numpy as np
import pandas as pd

import okpi
from generate import generate

AS_OF = dt.date(2026, 3, 20)
Q = {"from": "2026-01-01", "to": "2026-03-31", "grain": "month"}


def timed(f: Callable[[], Any], repeat: int) -> Tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


# ---- pandas, as an analyst writes it -------------------------------------------------------------------------


def frames(doc: Dict[str, Any]) -> Dict[str, pd.DataFrame]:
    krs = pd.DataFrame(doc["key_results"])
    cis = pd.DataFrame(doc["check_ins"])
    cis["date"] = pd.to_datetime(cis["date"])
    obs = pd.json_normalize(doc["observations"])
    obs["date"] = pd.to_datetime(obs["date"])
    units = pd.DataFrame(doc["org_units"])
    objectives = pd.DataFrame(doc["objectives"])
    return {"krs": krs, "cis": cis, "obs": obs, "units": units, "objectives": objectives}


def kr_progress(f: Dict[str, pd.DataFrame]) -> pd.Series:
    krs = f["krs"]
    plain = krs[krs["kind"].isin(["increase", "decrease"])]
    if "versions" in plain:
        plain = plain[plain["versions"].isna()]
    cis = f["cis"]
    upto = cis[(cis["date"] <= pd.Timestamp(AS_OF)) & cis["value"].notna()]
    latest = upto.sort_values("date", kind="stable").groupby("key_result")["value"].last()
    t = plain.set_index("id")
    current = latest.reindex(t.index).fillna(t["start"])
    raw = np.where(t["kind"] == "increase", (current - t["start"]) / (t["target"] - t["start"]),
                   (t["start"] - current) / (t["start"] - t["target"]))
    return pd.Series(np.clip(raw, 0.0, 1.0), index=t.index)


def rollup(f: Dict[str, pd.DataFrame], progress: pd.Series) -> pd.Series:
    krs = f["krs"].set_index("id")
    objectives = f["objectives"]
    plain = objectives[objectives["progress_from"] == "key_results"]
    if "rollup" in plain:
        plain = plain[plain["rollup"].isna()]
    k = krs[krs["objective"].isin(plain["id"])]
    covered = k.index.to_series().isin(progress.index).groupby(k["objective"]).all()
    k = k[k["objective"].isin(covered[covered].index)]
    w = k["weight"]
    p = progress.reindex(k.index)
    return (w * p).groupby(k["objective"]).sum() / w.groupby(k["objective"]).sum()


def ancestors(units: pd.DataFrame) -> pd.DataFrame:
    parent = dict(zip(units["id"], units["parent"]))
    rows = []
    for u in units["id"]:
        a = u
        while isinstance(a, str):
            rows.append((u, a))
            a = parent.get(a)
    return pd.DataFrame(rows, columns=["unit", "ancestor"])


def monthly_tree(f: Dict[str, pd.DataFrame], measures: List[str]) -> pd.Series:
    obs = f["obs"]
    obs = obs[obs["measure"].isin(measures)]
    month = obs["date"].dt.to_period("M")
    leaf = obs.groupby(["measure", "dims.unit", month])["value"].sum().rename("value").reset_index()
    tree = leaf.merge(ancestors(f["units"]), left_on="dims.unit", right_on="unit")
    return tree.groupby(["measure", "ancestor", "date"])["value"].sum()


def alerts(f: Dict[str, pd.DataFrame]) -> pd.DataFrame:
    s = f["obs"][f["obs"]["measure"] == "revenue"].sort_values(["dims.unit", "date"])
    s["threshold"] = 1.3 * s.groupby("dims.unit")["value"].transform("mean")
    s["breach"] = s["value"] > s["threshold"]
    run = (s["breach"] != s.groupby("dims.unit")["breach"].shift()).cumsum()
    s["streak"] = s.groupby(run).cumcount() + 1
    s["length"] = s.groupby(run)["breach"].transform("size")
    s["last"] = ~s.duplicated(["dims.unit"], keep="last")
    s["run_end"] = ~run.duplicated(keep="last")
    ev = pd.DataFrame({
        "pending": s["breach"] & (s["streak"] == 1),
        "firing": s["breach"] & (s["streak"] == 2),
        "resolved": s["breach"] & s["run_end"] & (s["length"] >= 2) & ~s["last"],
        "unit": s["dims.unit"],
    })
    return ev.groupby("unit")[["pending", "firing", "resolved"]].sum()


# ---- okpi ----------------------------------------------------------------------------------------------------


def okpi_evaluate(model: okpi.Model) -> Dict[str, Any]:
    return model.evaluate_arrays(AS_OF)


def okpi_monthly(model: okpi.Model, measures: List[str]) -> Dict[Tuple[str, str, str], float]:
    out = {}
    for m in measures:
        units, periods, values = model.query_units_arrays({**Q, "metric": m})
        for i, p in enumerate(periods):
            out.update(zip(((m, u, p[:7]) for u in units), values[i].tolist()))
    return out


def okpi_alerts(units: List[str], dates: List[str], values: np.ndarray, thresholds: np.ndarray) -> pd.DataFrame:
    rules = [{"id": u, "metric": "revenue", "scope": u, "grain": "day", "condition": "above",
              "warning": {"value": float(t)}, "for": 1} for u, t in zip(units, thresholds)]
    ev = okpi.alert_evaluate_many(rules, dates, values)
    counts = np.zeros((len(units), len(okpi.EVENT_KINDS)), dtype=np.int64)
    np.add.at(counts, (ev["series"], ev["kind"]), 1)
    return pd.DataFrame(counts[:, [0, 1, 3]], index=units, columns=["pending", "firing", "resolved"])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", default="org-10k", choices=["org-1k", "org-10k", "org-100k"])
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = generate(a.size, f"{tmp}/{a.size}.json")
        text = path.read_text()
    doc = json.loads(text)
    f = frames(doc)
    model = okpi.Model(text)
    sums = [m["id"] for m in doc["metrics"] if m["kind"] == "simple" and m.get("agg", "sum") == "sum"]
    rows = []

    # 1–2: KR progress and the weighted roll-up.
    t_pd, (prog, roll) = timed(lambda: (lambda pr: (pr, rollup(f, pr)))(kr_progress(f)), a.repeat)
    t_ok, ev = timed(lambda: okpi_evaluate(model), a.repeat)
    kr_ok = pd.Series(ev["kr_progress"], index=model.key_result_ids())
    ob_ok = pd.Series(ev["objective_progress"], index=model.objective_ids())
    assert np.allclose(prog.values, kr_ok.reindex(prog.index).values, atol=1e-9), "KR progress differs"
    assert np.allclose(roll.values, ob_ok.reindex(roll.index).values, atol=1e-9), "roll-up differs"
    rows.append((f"KR progress + roll-up ({len(prog)} KRs, {len(roll)} objectives)", t_pd, t_ok))
    t_dicts, _ = timed(lambda: model.evaluate(AS_OF), a.repeat)
    rows.append(("  the same with Model.evaluate (a dict per item)", t_pd, t_dicts))

    # 3: monthly KPI aggregation over the tree.
    t_pd, tree = timed(lambda: monthly_tree(f, sums), a.repeat)
    t_ok, cells = timed(lambda: okpi_monthly(model, sums), a.repeat)
    got = np.array([cells[(m, u, str(d))] for (m, u, d) in tree.index])
    assert np.allclose(tree.values, got, rtol=1e-12, atol=1e-6), "monthly tree differs"
    missing = [v for k, v in cells.items() if v != 0 and (k[0], k[1], pd.Period(k[2], "M")) not in tree.index]
    assert not missing, "okpi has values pandas lacks"
    rows.append((f"monthly KPI over the tree ({len(sums)} measures, {len(cells)} cells)", t_pd, t_ok))

    # 4: threshold alerts.
    rev = f["obs"][f["obs"]["measure"] == "revenue"]
    table = rev.pivot(index="dims.unit", columns="date", values="value")
    units = list(table.index)
    dates = [d.date().isoformat() for d in table.columns]
    values = table.to_numpy()
    thresholds = 1.3 * np.nanmean(values, axis=1)
    t_pd, ev_pd = timed(lambda: alerts(f), a.repeat)
    t_ok, ev_ok = timed(lambda: okpi_alerts(units, dates, values, thresholds), a.repeat)
    assert (ev_pd.reindex(units).values == ev_ok.values).all(), "alert events differ"
    rows.append((f"threshold alerts ({len(units)} series, {int(ev_ok.values.sum())} events)", t_pd, t_ok))

    print(f"pandas {pd.__version__} vs okpi {okpi.__version__} on {a.size}, median of {a.repeat} (same numbers checked):")
    for name, tp, to in rows:
        print(f"  {name:<62} pandas {tp * 1e3:9.1f} ms   okpi {to * 1e3:9.1f} ms   ratio {tp / to:6.1f}x")


if __name__ == "__main__":
    main()
