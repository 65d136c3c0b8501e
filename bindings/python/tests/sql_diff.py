"""Shared by the SQL differential tests: a generated company's document, random metric queries over it, loading the
warehouse layout into an engine, and comparing the engine's cells with ``okpi.kpi_query``'s."""

import datetime as dt
import json
import math
import random
from typing import Any, Dict, List, Optional, Sequence, Tuple

import okpi

UNITS = ["co", "d1", "d2", "d3"] + [f"t{i}{j}" for i in range(1, 4) for j in range(1, 4)]
CHANNELS = ["app", "shop", "web"]
REGIONS = ["n", "s"]

METRICS: List[Dict[str, Any]] = [
    {"id": "orders_sum", "kind": "simple", "measure": "orders", "agg": "sum"},
    {"id": "orders_count", "kind": "simple", "measure": "orders", "agg": "count"},
    {"id": "revenue_avg", "kind": "simple", "measure": "revenue", "agg": "avg"},
    {"id": "revenue_min", "kind": "simple", "measure": "revenue", "agg": "min"},
    {"id": "revenue_max", "kind": "simple", "measure": "revenue", "agg": "max"},
    {"id": "stock_last", "kind": "simple", "measure": "stock", "agg": "last"},
    {"id": "visits_sum", "kind": "simple", "measure": "visits"},
    {"id": "refunds_sum", "kind": "simple", "measure": "refunds"},
    {"id": "revenue_sum", "kind": "simple", "measure": "revenue"},
    {"id": "conv", "kind": "ratio", "numerator": "orders_sum", "denominator": "visits_sum"},
    {"id": "refund_share", "kind": "ratio", "numerator": "revenue_sum", "denominator": "refunds_sum"},
    {"id": "avg_per_stock", "kind": "ratio", "numerator": "revenue_avg", "denominator": "stock_last"},
    {"id": "mom", "kind": "derived", "expression": "revenue_sum / revenue_sum(offset 1) - 1"},
    {"id": "yoy", "kind": "derived", "expression": "revenue_sum - revenue_sum(offset 4)"},
    {"id": "mix", "kind": "derived", "expression": "-(orders_sum - 2) * 0.5 / (refunds_sum - refunds_sum(offset 1))"},
    {"id": "tiny", "kind": "derived", "expression": "3 / (refunds_sum + 0.1 + 0.2 - 0.3)"},
    {"id": "conv_delta", "kind": "derived", "expression": "conv - conv(offset 2)"},
    {"id": "orders_w3", "kind": "cumulative", "metric": "orders_sum", "window": 3},
    {"id": "conv_ytd", "kind": "cumulative", "metric": "conv", "to_date": "year_to_date"},
    {"id": "rev_mtd", "kind": "cumulative", "metric": "revenue_sum", "to_date": "month_to_date"},
    {"id": "stock_qtd", "kind": "cumulative", "metric": "stock_last", "to_date": "quarter_to_date"},
    {"id": "orders_wtd", "kind": "cumulative", "metric": "orders_count", "to_date": "week_to_date"},
    {"id": "min_w5", "kind": "cumulative", "metric": "revenue_min", "window": 5},
    {"id": "mtd_wow", "kind": "derived", "expression": "rev_mtd - rev_mtd(offset 1)"},
    {"id": "mom_ytd", "kind": "derived", "expression": "mom + orders_w3(offset 1) / 10"},
]

GRAINS = {"day": 40, "week": 14, "month": 15, "quarter": 6, "year": 3}
START = dt.date(2025, 9, 1)
DAYS = 600


def document(seed: int, observations: int = 900) -> Dict[str, Any]:
    """A company of 13 units with `observations` observations of five measures over 600 days: integer and decimal
    values, negative ones, refunds that cancel to zero (0.1 + 0.2 − 0.3), and dims sometimes missing."""
    rnd = random.Random(seed)
    units = [{"id": "co"}] + [{"id": f"d{i}", "parent": "co"} for i in range(1, 4)]
    units += [{"id": f"t{i}{j}", "parent": f"d{i}"} for i in range(1, 4) for j in range(1, 4)]
    seen = set()
    obs: List[Dict[str, Any]] = []
    while len(obs) < observations:
        measure = rnd.choice(["orders", "visits", "revenue", "stock", "refunds"])
        day = START + dt.timedelta(days=rnd.randrange(DAYS))
        dims: Dict[str, str] = {}
        if rnd.random() < 0.9:
            dims["unit"] = rnd.choice(UNITS)
        if rnd.random() < 0.8:
            dims["channel"] = rnd.choice(CHANNELS)
        if rnd.random() < 0.6:
            dims["region"] = rnd.choice(REGIONS)
        key = (measure, day, tuple(sorted(dims.items())))
        if key in seen:
            continue
        seen.add(key)
        if measure == "refunds":
            value = rnd.choice([0.1, 0.2, -0.3, 0.0, -0.1, 1.5])
        elif measure == "visits":
            value = float(rnd.choice([0, 0, 10, 25, 40]))
        else:
            value = rnd.choice([float(rnd.randint(-5, 60)), round(rnd.uniform(-3, 80), 1)])
        o: Dict[str, Any] = {"measure": measure, "date": day.isoformat(), "value": value}
        if dims:
            o["dims"] = dims
        if rnd.random() < 0.3:
            o["source"] = "crm"
        obs.append(o)
    return {
        "schema_version": 1,
        "org_units": units,
        "measures": [{"id": m} for m in ["orders", "visits", "revenue", "stock", "refunds"]],
        "metrics": METRICS,
        "observations": obs,
    }


def queries(seed: int, n: int) -> List[Dict[str, Any]]:
    """`n` queries: every metric and grain, a unit / channel / unknown-unit filter or none, group-by none, one or
    two dims. Each metric is queried at least once for every grain before the random ones."""
    rnd = random.Random(seed)
    plan = [(m["id"], g) for m in METRICS for g in GRAINS]
    rnd.shuffle(plan)
    while len(plan) < n:
        plan.append((rnd.choice(METRICS)["id"], rnd.choice(list(GRAINS))))
    out = []
    for metric, grain in plan[:n]:
        start = START + dt.timedelta(days=rnd.randrange(-40, DAYS))
        days = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}[grain]
        end = start + dt.timedelta(days=rnd.randrange(0, GRAINS[grain]) * days)
        q: Dict[str, Any] = {"metric": metric, "grain": grain, "from": start.isoformat(), "to": end.isoformat()}
        r = rnd.random()
        if r < 0.3:
            q["filters"] = {"unit": rnd.choice(UNITS)}
        elif r < 0.45:
            q["filters"] = {"channel": rnd.choice(CHANNELS)}
        elif r < 0.5:
            q["filters"] = {"unit": "ghost", "region": "n"}
        g = rnd.random()
        if g < 0.2:
            q["group_by"] = ["unit"]
        elif g < 0.35:
            q["group_by"] = ["channel"]
        elif g < 0.45:
            q["group_by"] = ["region", "channel"]
        elif g < 0.5:
            q["group_by"] = ["channel", "unit"]
        out.append(q)
    return out


DIMS = ["unit", "channel", "region"]

Cell = Tuple[str, str, Tuple[Optional[str], ...], Optional[float], Optional[str]]


def okpi_cells(doc_text: str, query: Dict[str, Any]) -> List[Cell]:
    table = okpi.kpi_query(doc_text, query)  # type: ignore[arg-type]  # JSON text as str
    dims = query.get("group_by", [])
    return [
        (
            str(c["period_start"]),
            str(c["period_end"]),
            tuple(c.get("group", {}).get(d) for d in dims),
            c["value"],
            c.get("undefined"),
        )
        for c in table["cells"]
    ]


def engine_cells(rows: Sequence[Sequence[Any]], query: Dict[str, Any]) -> List[Cell]:
    k = len(query.get("group_by", []))
    return [(str(r[0]), str(r[1]), tuple(r[2 : 2 + k]), r[2 + k], r[3 + k]) for r in rows]


def same(a: List[Cell], b: List[Cell]) -> Optional[str]:
    """None when the cells agree (values within 1e-9 · max(1, |v|), reasons equal), else the first difference."""
    if len(a) != len(b):
        return f"{len(a)} cells vs {len(b)}"
    for x, y in zip(a, b):
        if x[:3] != y[:3] or x[4] != y[4] or (x[3] is None) != (y[3] is None):
            return f"{x} vs {y}"
        if x[3] is not None and y[3] is not None:
            if not math.isclose(x[3], y[3], rel_tol=1e-9, abs_tol=1e-9):
                return f"{x} vs {y}"
            if math.copysign(1.0, x[3]) != math.copysign(1.0, y[3]) and x[3] == 0:
                return f"signed zero: {x} vs {y}"
    return None


def layout_rows(model: "okpi.Model") -> Tuple[List[str], List[Tuple[Any, ...]], List[Tuple[str, str]]]:
    """The observations table's columns and rows, and the org closure rows."""
    cols = okpi.observation_table(model)
    names = list(cols)
    rows = list(zip(*(cols[n] for n in names)))
    return names, rows, okpi.org_closure(model)


def doc_text(doc: Dict[str, Any]) -> str:
    return json.dumps(doc)
