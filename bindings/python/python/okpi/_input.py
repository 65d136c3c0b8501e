"""Python data in: documents, settings, viewers and calls turned into the JSON the core reads, with the errors a
Python user needs (a file name passed as ``str``, a pandas NaN) said in Python's terms."""

from __future__ import annotations

import datetime as _dt
import json as _json
import math as _math
import os as _os
from typing import Any, Dict, Iterator, Mapping, Optional, Tuple, Union

from ._errors import ParseError

#: A viewer: a person id, or ``{"person": id, "roles": [...], "settings": {"min_group_size": 5}}``.
Viewer = Union[str, Mapping[str, Any]]


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _non_finite(value: Any, path: str) -> Iterator[Tuple[str, float]]:
    """Every NaN or infinity under ``value``, with its JSON path."""
    if isinstance(value, float):
        if not _math.isfinite(value):
            yield path, value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _non_finite(v, f"{path}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _non_finite(v, f"{path}[{i}]")


def dumps(value: Any, what: str) -> str:
    """JSON text of Python data. A NaN or an infinity (a pandas gap, say) is refused at its JSON path: JSON and okpi
    documents hold no such number (write ``None``, or leave the field out)."""
    try:
        return _json.dumps(value, default=_json_default, allow_nan=False)
    except ValueError:
        found = list(_non_finite(value, "$"))
        if not found:
            raise
        problems = [
            ("E_NOT_FINITE", p, f"{x} is not a number a document may hold (JSON has no NaN or infinity): write None or "
             "leave the field out")
            for p, x in found
        ]
        first = problems[0]
        raise ParseError(f"{what}: {first[2]} (at {first[1]})", problems) from None
    except TypeError as e:
        raise ParseError(f"{what} cannot be written as JSON: {e}", [("E_PARSE", "$", str(e))]) from None


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ParseError(f"{what} is not UTF-8: {e}", [("E_PARSE", "$", str(e))]) from None


def _json_text(text: str, what: str) -> str:
    """A ``str`` is JSON text; a file name is told to become a ``pathlib.Path``."""
    head = text.lstrip("\ufeff \t\r\n")[:1]
    if head in ("{", "[", '"') or head.isdigit() or text.strip() in ("null", "true", "false"):
        return text
    shown = text if len(text) <= 60 else text[:57] + "…"
    message = (
        f"{what} is a str, which okpi reads as JSON text, and {shown!r} is not JSON: to read a file pass "
        f"pathlib.Path({shown!r}), or call okpi.load({shown!r}) for a document with CSV tables"
    )
    raise ParseError(message, [("E_PARSE", "$", message)])


def to_json(value: Any, what: str) -> str:
    """JSON text from a dict/list, JSON ``str`` or ``bytes``, or a ``pathlib.Path`` to a JSON file."""
    if isinstance(value, _os.PathLike):
        with open(value, "rb") as f:
            return _decode(f.read(), what)
    if isinstance(value, str):
        return _json_text(value, what)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _decode(bytes(value), what)
    if isinstance(value, (dict, list, tuple)) or isinstance(value, Mapping):
        return dumps(value, what)
    raise TypeError(f"{what} must be a dict, a list, a JSON str or bytes, or a path, not {type(value).__name__}")


def opt_json(value: Any, what: str) -> Optional[str]:
    return None if value is None else to_json(value, what)


def data(value: Any, what: str) -> Any:
    """Python data from a dict/list, JSON ``str``/``bytes`` or a path (for a field inside a call)."""
    if isinstance(value, (Mapping, list, tuple)):
        return value
    return _json.loads(to_json(value, what))


def viewer(value: Optional[Viewer]) -> Optional[Dict[str, Any]]:
    """A viewer as the call layer reads it: a ``str`` is a person id."""
    if value is None:
        return None
    if isinstance(value, str):
        return {"person": value}
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"viewer must be a person id (str) or a dict {{'person': id, ...}}, not {type(value).__name__}")


def viewer_json(value: Optional[Viewer]) -> Optional[str]:
    v = viewer(value)
    return None if v is None else dumps(v, "viewer")


def date_text(day: Union[_dt.date, str], what: str = "as_of") -> str:
    if isinstance(day, _dt.datetime):
        return day.date().isoformat()
    if isinstance(day, _dt.date):
        return day.isoformat()
    if isinstance(day, str):
        return day
    raise TypeError(f"{what} must be a datetime.date or a 'YYYY-MM-DD' str, not {type(day).__name__}")


def call(op: str, **fields: Any) -> str:
    """A call of the call layer as JSON: ``{"op": op, ...fields}`` without the fields that are ``None``."""
    body: Dict[str, Any] = {"op": op}
    body.update((k, v) for k, v in fields.items() if v is not None)
    return dumps(body, op)
