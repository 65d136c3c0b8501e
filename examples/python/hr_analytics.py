"""An HR analyst's look at the demo quarter: evaluate it, then one table per department with pandas.

    python examples/python/hr_analytics.py [DOCUMENT.json] [AS_OF]
"""

import sys
from pathlib import Path

import pandas as pd

import okpi

HERE = Path(__file__).resolve().parent
doc_path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "data" / "quarter.json"
as_of = sys.argv[2] if len(sys.argv) > 2 else "2026-03-10"

model = okpi.Model(doc_path)
ev = model.evaluate(as_of)
document = model.to_document()

# Who owns each objective, and which department (org unit) that is.
owners = {o["id"]: (o.get("owner") or {}).get("unit", "—") for o in document["objectives"]}
titles = {o["id"]: o["title"] for o in document["objectives"]}

objectives = okpi.objectives_frame(ev)
objectives["department"] = objectives.index.map(owners)  # frames are indexed by id
objectives["title"] = objectives.index.map(titles)

krs = okpi.key_results_frame(ev)
krs["department"] = krs["objective"].map(owners)

pd.set_option("display.width", 160)
print(f"okpi — as of {ev['as_of']}\n")
for dept, group in objectives.groupby("department"):
    print(f"== {dept}")
    print(group[["title", "progress", "expected", "status", "score"]].round(3).to_string(index=False))
    by_status = krs[krs["department"] == dept]["status"].value_counts()
    print("   key results by status:", {k: int(v) for k, v in by_status.items()})
    print()

summary = krs.groupby("department").agg(
    key_results=("objective", "count"),
    mean_progress=("progress", "mean"),
    behind=("status", lambda s: int(s.isin(["at_risk", "off_track"]).sum())),
)
print(summary.round(3).to_string())
