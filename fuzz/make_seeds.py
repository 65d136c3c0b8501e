"""Builds the seed corpora of the fuzz targets from the shared vectors and the demo data.

Run from the repository root: python3 fuzz/make_seeds.py. It rewrites fuzz/corpus/{document,expression,
alert_step,c_abi}/ with one file a seed, named by the vector it came from.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT / "tests" / "vectors"
CORPUS = ROOT / "fuzz" / "corpus"


def write(target: str, name: str, data: bytes) -> None:
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def main() -> None:
    for target in ("document", "expression", "alert_step", "c_abi", "readers"):
        shutil.rmtree(CORPUS / target, ignore_errors=True)
    quarter = (ROOT / "examples" / "data" / "quarter.json").read_bytes()
    write("document", "quarter.json", quarter)
    # c_abi seeds: a selector byte, then NUL-separated arguments, an empty one passed as NULL (see
    # bindings/c/src/fuzz.rs for the selectors).
    write("c_abi", "evaluate-quarter", b"\x01" + quarter + b"\x002026-03-10\x00{}")
    write("c_abi", "diagnose-quarter", b"\x02" + quarter + b"\x002026-03-10\x00\x00{}")
    check_in = b'{"key_result": "g1.kr1", "date": "2026-03-09", "value": 50, "confidence": 6}'
    write("c_abi", "model-quarter", b"\x07" + quarter + b"\x002026-03-10\x00\x00" + check_in)
    write("c_abi", "limits-quarter", b"\x08" + b'{"objectives": 2, "json_depth": 3}' + b"\x00" + quarter)
    for path in sorted((VECTORS / "advisor").glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        profile = case.get("profile", case.get("profiles"))
        write("c_abi", f"advisor-{path.stem}", b"\x05" + json.dumps(profile, ensure_ascii=False).encode("utf-8"))
    for area in ("okr", "kpi", "diagnose", "alerts"):
        for path in sorted((VECTORS / area).glob("*.json")):
            case = json.loads(path.read_text(encoding="utf-8"))
            stem = f"{area}-{path.stem}"
            doc = case.get("document")
            if doc is not None:
                text = json.dumps(doc, ensure_ascii=False).encode("utf-8")
                write("document", stem, text)
                as_of = case.get("as_of", "2026-03-31").encode()
                write("c_abi", stem, b"\x01" + text + b"\x00" + as_of + b"\x00")
                for kind in ("query", "score", "scorecards"):
                    if kind in case:
                        request = json.dumps(case[kind]).encode()
                        write("c_abi", f"{stem}-{kind}", b"\x03" + text + b"\x00" + kind.encode() + b"\x00" + request)
                if doc.get("alert_rules"):
                    write("c_abi", f"{stem}-alerts", b"\x04" + text + b"\x002026-01-01\x002026-03-31")
                for m in doc.get("metrics", []):
                    if m.get("expression"):
                        write("expression", f"{stem}-{m['id']}", m["expression"].encode("utf-8"))
            if "rule" in case:
                seed = {"rule": case["rule"], "state": case.get("state"), "series": case.get("series", [])}
                text = json.dumps(seed, ensure_ascii=False).encode("utf-8")
                write("alert_step", stem, text)
                rule = json.dumps(case["rule"]).encode()
                series = json.dumps(case.get("series", [])).encode()
                write("c_abi", stem, b"\x06" + rule + b"\x00\x00" + series)
    readers()


def readers() -> None:
    """Seeds of the CLI's readers: a format byte (odd: YAML), the document, then 0xFF and the CSV table t.csv."""
    untrusted = ROOT / "crates" / "okpi-cli" / "tests" / "untrusted"
    for path in sorted(untrusted.iterdir()):
        yaml = path.suffix == ".yaml"
        write("readers", path.name, (b"\x01" if yaml else b"\x00") + path.read_bytes())
    base = ('{"schema_version": 1, "cycles": [{"id": "q", "start": "2026-01-01", "end": "2026-03-31"}], '
            '"objectives": [{"id": "o", "cycle": "q"}], '
            '"key_results": [{"id": "k", "objective": "o", "kind": "increase", "start": 0, "target": 10}]')
    table = b"key_result,date,value,confidence\nk,2026-02-01,4,7\nk,2026-02-30,x,11\n"
    for name in ("t.csv", "in.csv", "out.csv", "dir.csv", "fifo.csv", "../secret.txt", "missing.csv"):
        doc = base + ', "csv": {"check_ins": "%s"}, "profiles": "p.json", "metric_names": {"m": "M"}}' % name
        write("readers", f"csv-{name.replace('/', '_').replace('.', '_')}", b"\x00" + doc.encode() + b"\xff" + table)
    yaml = (b"schema_version: 1\ncycles: [{id: q, start: 2026-01-01, end: 2026-03-31}]\n"
            b"objectives: [{id: o, cycle: q, visibility: !private ~}]\n"
            b"key_results:\n  - &k {id: k, objective: o, kind: increase, start: 0, target: 10}\n"
            b"alert_rules: []\ncsv: {observations: [t.csv]}\n")
    write("readers", "yaml-anchors-tags", b"\x01" + yaml + b"\xffmeasure,date,value,dims.unit\nm,2026-01-02,3,u\n")


if __name__ == "__main__":
    main()
