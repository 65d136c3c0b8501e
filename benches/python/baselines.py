"""Expert baselines in numpy, pandas, polars and DuckDB against okpi from Python, on the same document in one run,
every answer checked equal to okpi's before it is timed.

    python benches/python/baselines.py [--size org-10k | --doc FILE] [--repeat 5] [--e2e-repeat 3]
                                       [--engines numpy,pandas,polars,duckdb] [--no-e2e]

Workloads (see ``benches/README.md``):
  (a) every key result's current value and progress and every objective's weighted roll-up as of 2026-03-20
      (okpi: ``Model.evaluate_arrays`` with those three columns, which works out no status, pace, score or
      confidence);
  (b) monthly sums of every sum metric for every unit with its whole subtree over 2026Q1
      (okpi: ``Model.query_units_arrays`` per metric);
  (c) an ``above`` rule with warning and critical thresholds, each with a recovery threshold, and ``for`` 1, on
      every (measure, unit) daily series (okpi: ``okpi.alert_matrix``).

"Data loaded": each engine starts from its own tables, built from the document once (integer codes, check-ins
sorted, objective levels and unit ancestors computed; okpi from its ``Model``). "End to end": a fresh process reads
the JSON file, builds what it needs and computes (a), (b) and (c) once; its wall time and peak memory (VmHWM).
Ratios are engine time / okpi time: above 1, okpi is faster.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Dict

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import okpi  # noqa: E402

from expert import check, tables  # noqa: E402

ENGINES = ("numpy", "pandas", "polars", "duckdb")
WORKLOADS = ("a", "b", "c")


def engine(name: str) -> Any:
    return importlib.import_module(f"expert.{name}_engine")


#: The least time each (engine, workload) is sampled for, however fast it is (timeit's autorange idea): the
#: machine's load comes in bursts of a second or so, and a fast engine's 7 calls would otherwise be a window a burst
#: covers whole where a slow engine's would average it out.
MIN_SECONDS = 1.0


def median_s(f: Callable[[], Any], repeat: int) -> float:
    """Median seconds of ``f`` over at least ``repeat`` calls and at least ``MIN_SECONDS`` of calls."""
    times: "list[float]" = []
    start = time.perf_counter()
    while len(times) < repeat or time.perf_counter() - start < MIN_SECONDS:
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def end_to_end(name: str, path: str) -> Dict[str, float]:
    """One end-to-end run in this process: read the file, build, compute (a), (b), (c)."""
    t0 = time.perf_counter()
    if name == "okpi":
        model = okpi.Model(pathlib.Path(path))
        t1 = time.perf_counter()
        # The series of (c) and the sum metrics of (b) from the model's own columns (`run` checks them equal to
        # the document's).
        w = tables.from_model(model)
        t2 = time.perf_counter()
        ok = check.Okpi(model, w, tables.alert_rules(w))
        ok.okr(), ok.monthly(), ok.alerts()
        t3 = time.perf_counter()
        return {"seconds": t3 - t0, "peak_mb": peak_mb(), "model": t1 - t0, "columns": t2 - t1, "compute": t3 - t2}
    else:
        e = engine(name)
        d = e.prepare(tables.structure(e.load(path)))
        e.okr(d, tables.AS_OF), e.monthly(d), e.alerts(d)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "peak_mb": peak_mb()}


def peak_mb() -> float:
    """This process's peak resident memory: Linux's ``VmHWM`` (``ru_maxrss`` would also count the parent's memory
    at the fork), else ``ru_maxrss``."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def end_to_end_runs(name: str, path: str, repeat: int) -> Dict[str, float]:
    """Medians of ``repeat`` fresh processes (``peak_mb``: the highest)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--e2e-one", name, "--doc", path], check=True,
                             capture_output=True, text=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    return {**med, "peak_mb": max(r["peak_mb"] for r in runs)}


def ms(s: float) -> str:
    return f"{s * 1e3:,.1f} ms" if s < 10 else f"{s:,.2f} s"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", default="org-10k", choices=["org-1k", "org-10k", "org-100k"])
    p.add_argument("--doc", help="a generated document (default: generate --size into a temporary folder)")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--e2e-repeat", type=int, default=3)
    p.add_argument("--engines", default=",".join(ENGINES))
    p.add_argument("--no-e2e", action="store_true")
    p.add_argument("--reader", default="json", choices=["json", "polars", "duckdb"],
                   help="what reads the document for the data-loaded runs, in a process of its own "
                        "(org-100k: duckdb, whose peak memory is the lowest)")
    p.add_argument("--e2e-one", help=argparse.SUPPRESS)
    p.add_argument("--save-tables", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.e2e_one:
        print(json.dumps(end_to_end(a.e2e_one, a.doc)))
        return
    if a.save_tables:
        reader = tables.load if a.reader == "json" else importlib.import_module(f"expert.{a.reader}_load").load
        tables.save(reader(a.doc), a.save_tables)
        return
    with tempfile.TemporaryDirectory() as tmp:
        if a.doc:
            path = a.doc
        else:
            from generate import generate

            path = str(generate(a.size, f"{tmp}/{a.size}.json"))
        run(path, a)


def run(path: str, a: argparse.Namespace) -> None:
    names = [n for n in a.engines.split(",") if n]
    with tempfile.TemporaryDirectory() as tmp:
        cols = f"{tmp}/tables.npz"
        subprocess.run([sys.executable, __file__, "--save-tables", cols, "--reader", a.reader, "--doc", path],
                       check=True)
        t = tables.structure(tables.restore(cols))
    tables.check_supported(t)
    model = okpi.Model(pathlib.Path(path))
    # What the end-to-end run of okpi reads from the model is what the baselines read from the document.
    tables.same_workload(tables.from_model(model), t)
    ok = check.Okpi(model, t, tables.alert_rules(t))
    calls = {"a": ok.okr, "b": ok.monthly, "c": ok.alerts}
    ref = ok.reference(ok.okr(), ok.monthly(), ok.alerts())
    times: Dict[str, Dict[str, float]] = {"okpi": {w: median_s(calls[w], a.repeat) for w in WORKLOADS}}
    for name in names:
        e = engine(name)
        d = e.prepare(t)
        work = {"a": lambda: e.okr(d, tables.AS_OF), "b": lambda: e.monthly(d), "c": lambda: e.alerts(d)}
        check.same_okr(ref, work["a"]())
        check.same_monthly(ref, work["b"](), t)
        check.same_events(ref, work["c"]())
        times[name] = {w: median_s(work[w], a.repeat) for w in WORKLOADS}
        del d
    e2e: Dict[str, Dict[str, float]] = {}
    if not a.no_e2e:
        for name in ["okpi", *names]:
            e2e[name] = end_to_end_runs(name, path, a.e2e_repeat)
    report(path, t, ref, times, e2e, a)


def report(path: str, t: tables.Tables, ref: check.Answer, times: Dict[str, Dict[str, float]],
           e2e: Dict[str, Dict[str, float]], a: argparse.Namespace) -> None:
    import numpy as np
    import pandas as pd

    versions = {"okpi": okpi.__version__, "numpy": np.__version__, "pandas": pd.__version__}
    for name, mod in (("polars", "polars"), ("duckdb", "duckdb")):
        try:
            versions[name] = importlib.import_module(mod).__version__
        except ImportError:
            pass
    n_events = ref["events"].shape[1]
    steps = t.s["series"].size
    threads = ""
    if "polars" in versions and "duckdb" in versions:
        import duckdb
        import polars as pl

        n = duckdb.connect().execute("SELECT current_setting('threads')").fetchone()
        threads = f" (polars {pl.thread_pool_size()} threads, DuckDB {n[0] if n else '?'})"
    print(f"{pathlib.Path(path).name} ({os.path.getsize(path) / 1e6:.0f} MB), {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}; " + ", ".join(f"{k} {v}" for k, v in versions.items())
          + threads)
    print(f"(a) {len(t.kr_ids):,} key results, {len(t.objective_ids):,} objectives; "
          f"(b) {len(t.sum_metrics)} sum metrics × {len(t.unit_ids):,} units × {len(t.s['months'])} months from "
          f"{len(t.obs_value):,} observations; (c) {t.s['series'].shape[0]:,} series, {steps:,} steps, "
          f"{n_events:,} events. Every answer equal to okpi's. Medians of {a.repeat} or more calls, "
          f"at least {MIN_SECONDS:g} s of them (data loaded).")
    names = list(times)
    print()
    print("| work | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    labels = {"a": "(a) KR current + progress + roll-up", "b": "(b) monthly subtree sums",
              "c": "(c) threshold alerts"}
    for w in WORKLOADS:
        base = times["okpi"][w]
        cells = [ms(base)] + [f"{ms(times[n][w])} ({times[n][w] / base:.2f}×)" for n in names[1:]]
        print(f"| {labels[w]} | " + " | ".join(cells) + " |")
    if e2e:
        base = e2e["okpi"]["seconds"]
        cells = [f"{ms(r['seconds'])}" + ("" if n == "okpi" else f" ({r['seconds'] / base:.2f}×)")
                 for n, r in e2e.items()]
        print(f"| end to end (a)+(b)+(c), median of {a.e2e_repeat} | " + " | ".join(cells) + " |")
        print("| peak memory of the end-to-end run | " + " | ".join(f"{r['peak_mb']:,.0f} MB" for r in e2e.values())
              + " |")
    print()
    print("(n×) = engine time / okpi time; above 1, okpi is faster.")
    if e2e:
        r = e2e["okpi"]
        print(f"okpi end to end: okpi.Model from the file {ms(r['model'])}, the series of (c) and the sum metrics from "
              f"the model (Model.observations_arrays, Model.metrics) {ms(r['columns'])}, computing "
              f"{ms(r['compute'])}.")


if __name__ == "__main__":
    main()
