"""Writes the organisation of examples/c/org_stream.c: organisation.json (units, people, objectives, key results,
a tickets measure with its observations; no check-ins) and check_ins.jsonl (one check-in per line, in date order,
with one refused line to show error handling). Deterministic: `python3 generate.py` rewrites the same files."""
import json
import random
from datetime import date, timedelta

rng = random.Random(7)
units = [("company", "Company", None), ("sales", "Sales", "company"), ("support", "Support", "company"),
         ("platform", "Platform", "company"), ("sales_east", "Sales East", "sales"),
         ("sales_west", "Sales West", "sales")]
doc = {
    "schema_version": 1,
    "cycles": [{"id": "2026Q1", "start": "2026-01-01", "end": "2026-03-31"}],
    "org_units": [dict({"id": u, "name": n}, **({"parent": p} if p else {})) for u, n, p in units],
    "objectives": [],
    "key_results": [],
    "alignments": [],
    "measures": [{"id": "tickets", "name": "Tickets handled"}],
    "metrics": [{"id": "tickets", "kind": "simple", "measure": "tickets", "agg": "sum", "grain": "month"}],
    "observations": [],
}
check_ins = []
for u, name, parent in units:
    for n in range(2):
        oid = f"{u}.o{n + 1}"
        doc["objectives"].append({"id": oid, "title": f"{name} objective {n + 1}", "owner": {"unit": u},
                                  "cycle": "2026Q1"})
        if parent:
            doc["alignments"].append({"child": oid, "parent": f"{parent}.o1"})
        for k in range(2):
            kid = f"{oid}.kr{k + 1}"
            target = rng.choice([10, 20, 50, 100])
            doc["key_results"].append({"id": kid, "objective": oid, "title": f"Key result {k + 1}",
                                       "kind": "increase", "start": 0, "target": target})
            value = 0.0
            day = date(2026, 1, 1)
            while True:
                day += timedelta(days=rng.randint(10, 25))
                if day > date(2026, 3, 20):
                    break
                value = round(value + target * rng.uniform(0.05, 0.3), 1)
                check_ins.append({"key_result": kid, "date": day.isoformat(), "value": value,
                                  "confidence": rng.randint(4, 9)})
    if u not in ("company", "sales"):
        for m in range(1, 4):
            doc["observations"].append({"measure": "tickets", "date": f"2026-0{m}-15",
                                        "value": rng.randint(50, 400), "dims": {"unit": u}})
check_ins.sort(key=lambda c: (c["date"], c["key_result"]))
# A check-in for a key result the organisation does not have: the example reports it and goes on.
check_ins.insert(len(check_ins) // 2, {"key_result": "marketing.o1.kr1", "date": "2026-02-10", "value": 3})
with open("organisation.json", "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
with open("check_ins.jsonl", "w") as f:
    for c in check_ins:
        f.write(json.dumps(c) + "\n")
