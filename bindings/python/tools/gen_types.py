"""Generates ``python/okpi/types.py`` (TypedDicts of every result) from the call layer's JSON Schema.

    python bindings/python/tools/gen_types.py            # rewrites the file
    python bindings/python/tools/gen_types.py --check    # fails when the file is not what the schema gives

The schema is ``schema/okpi.schema.json`` (``make schema`` writes it from the Rust types), so a field renamed or
added in Rust reaches Python's types through one regenerated file, and ``tests/test_types.py`` fails while the
checked-in file lags. Dates are typed ``datetime.date`` where the schema says ``format: date`` (the module returns a
``datetime.date`` exactly there), never by a key's name.

Every TypedDict uses the functional syntax (keys such as ``from`` or ``for`` are Python keywords) with its types
as strings, so the module imports on Python 3.9 without ``typing_extensions`` (``NotRequired`` is read by type
checkers only). An object key the schema does not list as required is ``NotRequired``.
"""

from __future__ import annotations

import json
import keyword
import sys
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = ROOT / "schema" / "okpi.schema.json"
OUT = ROOT / "bindings" / "python" / "python" / "okpi" / "types.py"

def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


class Gen:
    def __init__(self, defs: Dict[str, Any]) -> None:
        self.defs = defs
        self.aliases: List[str] = []
        self.dicts: List[str] = []

    def type_of(self, s: Any) -> str:
        """The Python type (as text) of a schema."""
        if not isinstance(s, dict) or not s:
            return "Any"
        if "$ref" in s:
            return ref_name(s["$ref"])
        if "const" in s:
            return f"Literal[{json.dumps(s['const'])}]"
        for key in ("oneOf", "anyOf"):
            if key in s:
                members = [self.type_of(m) for m in s[key]]
                return self.union(members)
        t = s.get("type")
        if isinstance(t, list):
            rest = [x for x in t if x != "null"]
            inner = self.type_of({**s, "type": rest[0] if len(rest) == 1 else rest})
            return f"Optional[{inner}]" if "null" in t else inner
        if t == "string":
            return "datetime.date" if s.get("format") == "date" else "str"
        if t == "number":
            return "float"
        if t == "integer":
            return "int"
        if t == "boolean":
            return "bool"
        if t == "null":
            return "None"
        if t == "array":
            items = s.get("items")
            if isinstance(items, dict):
                return f"List[{self.type_of(items)}]"
            prefix = s.get("prefixItems")
            if isinstance(prefix, list):
                return f"Tuple[{', '.join(self.type_of(p) for p in prefix)}]"
            return "List[Any]"
        if t == "object":
            extra = s.get("additionalProperties")
            if "properties" not in s and isinstance(extra, dict):
                return f"Dict[str, {self.type_of(extra)}]"
            return "Dict[str, Any]"
        return "Any"

    @staticmethod
    def union(members: List[str]) -> str:
        seen: List[str] = []
        for m in members:
            if m not in seen:
                seen.append(m)
        if "Any" in seen:
            return "Any"
        literals = [m[len("Literal[") : -1] for m in seen if m.startswith("Literal[")]
        if len(literals) > 1:
            seen = [m for m in seen if not m.startswith("Literal[")]
            seen.insert(0, "Literal[" + ", ".join(literals) + "]")
        if len(seen) == 1:
            return seen[0]
        optional = "None" in seen
        seen = [m for m in seen if m != "None"]
        inner = seen[0] if len(seen) == 1 else f"Union[{', '.join(seen)}]"
        return f"Optional[{inner}]" if optional else inner

    def define(self, name: str, s: Dict[str, Any]) -> None:
        doc = (s.get("description") or "").split("\n")[0].replace('"""', "'")
        props = s.get("properties")
        if s.get("type") == "object" and isinstance(props, dict):
            required = set(s.get("required", []))
            fields = []
            for key, sub in props.items():
                t = self.type_of(sub)
                if key not in required:
                    t = f"NotRequired[{t}]"
                fields.append(f"        {json.dumps(key)}: {json.dumps(t)},")
            body = "\n".join(fields)
            self.dicts.append(f'{name} = TypedDict(\n    "{name}",\n    {{\n{body}\n    }},\n)\n{self.docline(name, doc)}')
        else:
            t = self.type_of(s)
            self.aliases.append(f"{name} = {self.quote_refs(t)}\n{self.docline(name, doc)}")

    @staticmethod
    def docline(name: str, doc: str) -> str:
        return f'"""{doc}"""\n' if doc else ""

    def quote_refs(self, t: str) -> str:
        """An alias is evaluated at import: names of TypedDicts defined later are quoted."""
        out = t
        for name in sorted(self.defs, key=len, reverse=True):
            out = _replace_word(out, name, f'"{name}"')
        return out


def _replace_word(text: str, word: str, by: str) -> str:
    out, i = [], 0
    while i < len(text):
        j = text.find(word, i)
        if j < 0:
            out.append(text[i:])
            break
        before = text[j - 1] if j > 0 else " "
        after = text[j + len(word)] if j + len(word) < len(text) else " "
        if (before.isalnum() or before in '_"') or (after.isalnum() or after in '_"'):
            out.append(text[i : j + len(word)])
        else:
            out.append(text[i:j] + by)
        i = j + len(word)
    return "".join(out)


def generate() -> str:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    defs: Dict[str, Any] = schema["$defs"]
    g = Gen(defs)
    for name in sorted(defs):
        if keyword.iskeyword(name):
            raise SystemExit(f"schema type {name} is a Python keyword")
        g.define(name, defs[name])
    lines = [
        '"""The types of okpi\'s results: TypedDicts generated from the call layer\'s JSON Schema',
        "(``schema/okpi.schema.json``) by ``bindings/python/tools/gen_types.py``. Do not edit: regenerate.",
        "",
        "A date is a ``datetime.date`` where the schema says ``format: date``. A key the schema does not always write is",
        "``NotRequired``. Use them to annotate: ``ev: okpi.types.Evaluation = model.evaluate(day)``.",
        '"""',
        "",
        "# fmt: off",
        "from __future__ import annotations",
        "",
        "import datetime",
        "from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Tuple, TypedDict, Union",
        "",
        "if TYPE_CHECKING:  # read by type checkers only: the TypedDicts hold their types as text",
        "    from typing_extensions import NotRequired",
        "",
        f"#: The schema these types were generated from (its title).",
        f"SCHEMA_TITLE = {json.dumps(schema.get('title', ''))}",
        "",
    ]
    body = "\n".join(lines) + "\n" + "\n".join(g.aliases) + "\n" + "\n".join(g.dicts)
    # `datetime` is used inside strings only; keep the import visible to type checkers and linters.
    body += "\n__all__ = [" + ", ".join(json.dumps(n) for n in sorted(defs)) + "]\n_ = datetime\n"
    return body


def main() -> None:
    text = generate()
    if "--check" in sys.argv:
        if OUT.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{OUT} is not what {SCHEMA} gives: run python bindings/python/tools/gen_types.py")
        return
    OUT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
