"""An HR analyst's day with okpi, as a notebook would run it: load the demo company, look at the quarter as tables,
see what one manager sees, chart the key results, and read a validation error.

    python examples/python/analyst.py [OUTPUT_FOLDER]

Needs okpi, pandas and matplotlib (``make test`` runs it). The chart is written to OUTPUT_FOLDER (default: a new
temporary folder) and its path printed.
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict

import matplotlib

matplotlib.use("Agg")  # no display: write files
import matplotlib.pyplot as plt  # noqa: E402

import okpi  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "company.json"
AS_OF = dt.date(2026, 3, 29)  # the end of the quarter's last full week


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="okpi-analyst-"))

    # 1. Load: the document, its CSV tables of observations and check-ins, profiles and metric names.
    model = okpi.load(DEMO)
    print(f"== loaded {model!r} with {len(model.metric_names)} metric names")

    # 2. The quarter as tables: one row per objective / key result, indexed by id, with titles and owners.
    ev = model.evaluate(AS_OF)
    objectives = okpi.objectives_frame(ev, model=model)
    print("== objectives")
    print(objectives[["title", "owner", "progress", "status"]].sort_values("progress").to_string())
    krs = okpi.key_results_frame(ev, model=model)
    behind = krs[krs["status"].isin(["off_track", "at_risk"])]
    print(f"== {len(behind)} key results behind (of {len(krs)})")
    print(behind[["title", "owner", "progress", "expected"]].to_string())

    # KPI targets with the metrics' display names; the achievement is the strategy view's on every curve.
    scores = okpi.kpi_score_frame(model.kpi_score(AS_OF), model=model)
    by_metric = scores.groupby("metric_name")["score"].mean().sort_values()
    print("== mean KPI score by metric")
    print(by_metric.round(1).to_string())

    # 3. What one manager sees: a person id is a viewer.
    mine = model.evaluate(AS_OF, viewer="p.service")
    print(f"== p.service sees {len(mine['objectives'])} of {len(ev['objectives'])} objectives")

    # 4. A chart: progress against the expected pace, per key result.
    fig, ax = plt.subplots(figsize=(8, 5))
    ordered = krs.sort_values("progress")
    ax.barh(list(ordered.index), list(ordered["progress"]), label="progress")
    ax.scatter(list(ordered["expected"]), list(ordered.index), color="black", marker="|", s=200, label="expected")
    ax.set_xlim(0, 1.1)
    ax.set_title(f"Key results on {AS_OF.isoformat()}")
    ax.legend(loc="lower right")
    fig.tight_layout()
    chart = out / "key_results.png"
    fig.savefig(chart)
    plt.close(fig)
    print(f"== chart written to {chart}")

    # 5. A validation error: every problem, with its code, JSON path and item, in one message.
    doc = okpi.validate(model)
    broken: Dict[str, Any] = copy.deepcopy(dict(doc))
    broken["key_results"][0]["objective"] = "no-such-objective"
    broken["check_ins"][0]["confidence"] = 12
    try:
        okpi.Model(broken)
    except okpi.ValidationError as e:
        print("== a broken copy of the document:")
        print(e)
        for p in e.problems:
            print(f"   {p.code} {p.path} (about {p.id})")


if __name__ == "__main__":
    main()
