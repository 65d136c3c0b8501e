"""Writes a synthetic organisation as JSON by calling the ``okpi-bench`` binary (built in release mode on demand).

    python benches/python/generate.py --size org-10k --out /tmp/org-10k.json [--seed 42]

``generate(size, out, seed)`` does the same from Python and returns the path.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]


def binary(release: bool = True) -> pathlib.Path:
    """The ``okpi-bench`` binary: release, built with cargo when missing; or the debug one, always brought up to
    date by cargo (the tests use it: no release build needed)."""
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    exe = target / ("release" if release else "debug") / "okpi-bench"
    if not release:
        subprocess.run(["cargo", "build", "-q", "-p", "okpi-bench"], cwd=ROOT, check=True)
    elif not exe.exists():
        subprocess.run(["cargo", "build", "--release", "-p", "okpi-bench"], cwd=ROOT, check=True)
    return exe


def generate(size: str, out: "str | os.PathLike[str]", seed: int = 42, release: bool = True) -> pathlib.Path:
    """Writes the organisation of ``size`` (org-1k, org-10k, org-100k) fixed by ``seed`` to ``out``."""
    cmd = [str(binary(release)), "generate", "--size", size, "--out", str(out), "--seed", str(seed)]
    subprocess.run(cmd, check=True, capture_output=True)
    return pathlib.Path(out)


def rust_times(doc: "str | os.PathLike[str]", repeat: int = 5) -> dict:
    """Median milliseconds of parse, validate, evaluate and the monthly tree aggregation, measured by Rust."""
    import json

    out = subprocess.run(
        [str(binary()), "time", "--doc", str(doc), "--repeat", str(repeat)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", default="org-10k", choices=["org-1k", "org-10k", "org-100k"])
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    print(generate(a.size, a.out, a.seed))
