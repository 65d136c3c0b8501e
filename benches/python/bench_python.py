"""Times okpi's Python API on a synthetic organisation and compares it with Rust on the same document.

    python benches/python/bench_python.py [--size org-10k] [--repeat 5]

Prints the median of each call and the ratios of Python ``Model.evaluate_arrays`` (numpy columns) to Rust
``okpi::evaluate``, and of ``Model.evaluate`` (a dict per item, built from the Rust results without JSON) to Rust's
``okpi::evaluate`` plus the evaluation's JSON text (what a binding handing over JSON pays) on the same document.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from typing import Any, Callable

import numpy as np

import okpi
from generate import generate, rust_times

AS_OF = "2026-03-20"


def median_ms(f: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", default="org-10k", choices=["org-1k", "org-10k", "org-100k"])
    p.add_argument("--repeat", type=int, default=5)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = generate(a.size, f"{tmp}/{a.size}.json")
        text = path.read_text()
        rust = rust_times(path, a.repeat)
        model = okpi.Model(text)
        rows = {
            "okpi.Model(json text)": median_ms(lambda: okpi.Model(text), a.repeat),
            "Model.evaluate_arrays": median_ms(lambda: model.evaluate_arrays(AS_OF), a.repeat),
            "Model.evaluate (dicts)": median_ms(lambda: model.evaluate(AS_OF), a.repeat),
            "okpi.evaluate(json text)": median_ms(lambda: okpi.evaluate(text, AS_OF), a.repeat),
        }
        n = 1_000_000
        rng = np.random.default_rng(1)
        start = rng.uniform(0, 100, n)
        target = start + rng.uniform(1, 100, n)
        current = rng.uniform(0, 200, n)
        rows["okpi.kr_progress (1M)"] = median_ms(lambda: okpi.kr_progress(start, target, current), a.repeat)
        rows["numpy clip (1M)"] = median_ms(
            lambda: np.clip((current - start) / (target - start), 0, 1), a.repeat
        )
        print(f"okpi Python API on {a.size} ({len(text) / 1e6:.1f} MB of JSON), median of {a.repeat}:")
        for name, ms in rows.items():
            print(f"  {name:<28} {ms:10.1f} ms")
        print("Rust on the same document:")
        for k in ("parse_ms", "validate_ms", "evaluate_ms", "evaluate_json_ms", "monthly_tree_ms"):
            print(f"  {k:<28} {rust[k]:10.1f} ms")
        ratio = rows["Model.evaluate_arrays"] / rust["evaluate_ms"]
        print(f"Python Model.evaluate_arrays / Rust evaluate = {ratio:.2f}x (target <= 1.3x)")
        ratio = rows["Model.evaluate (dicts)"] / rust["evaluate_json_ms"]
        print(f"Python Model.evaluate (dicts) / Rust evaluate + JSON = {ratio:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
