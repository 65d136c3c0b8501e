"""The exceptions of okpi: one base, ``OkpiError`` (a ``ValueError``), and one subclass per error kind.

Every exception carries every problem found, as ``Problem`` named tuples ``(code, path, message, id)``: ``code`` is a
stable machine code such as ``"E_UNKNOWN_ID"``, ``path`` the JSON path of the offending value such as
``"$.key_results[3].target"``, ``id`` the item the problem is about (``None`` when it has none). ``str(error)`` lists
them all, up to ``MAX_SHOWN``, with the count, as pydantic does.
"""

from __future__ import annotations

from typing import Any, Iterable, List, NamedTuple, Optional, Sequence, Tuple, Union


class Problem(NamedTuple):
    """One problem: a stable code, the JSON path of the offending value, a message, and the item's id if any."""

    code: str
    path: str
    message: str
    id: Optional[str] = None


#: The most problems ``str(error)`` lists; ``error.problems`` holds every one.
MAX_SHOWN = 20

ProblemLike = Union[Problem, Tuple[str, str, str], Tuple[str, str, str, Optional[str]], Sequence[Any]]


def _problem(p: Any) -> Problem:
    if isinstance(p, Problem):
        return p
    if isinstance(p, dict):
        return Problem(str(p["code"]), str(p["path"]), str(p["message"]), p.get("id"))
    items = list(p)
    ident = items[3] if len(items) > 3 else None
    return Problem(str(items[0]), str(items[1]), str(items[2]), None if ident is None else str(ident))


def _line(p: Problem) -> str:
    about = f" [{p.id}]" if p.id else ""
    return f"  {p.code} at {p.path}{about}: {p.message}"


class OkpiError(ValueError):
    """Base of every error okpi raises."""

    problems: List[Problem]

    def __init__(self, message: str, problems: Iterable[ProblemLike] = ()) -> None:
        super().__init__(message)
        self.problems = [_problem(p) for p in problems]

    def __str__(self) -> str:
        message = str(self.args[0]) if self.args else ""
        n = len(self.problems)
        if n <= 1:
            return message
        lines = [f"{n} problems:"]
        lines += [_line(p) for p in self.problems[:MAX_SHOWN]]
        if n > MAX_SHOWN:
            lines.append(f"  … and {n - MAX_SHOWN} more (every one is in .problems)")
        return "\n".join(lines)

    @property
    def codes(self) -> List[str]:
        """The code of every problem, in the order found."""
        return [p.code for p in self.problems]

    @property
    def paths(self) -> List[str]:
        """The JSON path of every problem, in the order found."""
        return [p.path for p in self.problems]

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (self.args[0] if self.args else "", self.problems))


class ParseError(OkpiError):
    """The input is not well-formed JSON, a field has the wrong type or an unknown name, or a date is malformed."""


class ValidationError(OkpiError):
    """The input was read but breaks the rules (or a check-in was refused); every problem is listed."""


class ExpressionError(ValidationError):
    """A derived metric's expression does not parse (every problem is ``E_EXPRESSION``); the message gives the
    column of the fault."""


class SettingsError(OkpiError):
    """An evaluation or advisor setting (or a limit) is malformed or out of range."""


class LimitError(OkpiError):
    """An input exceeds one of the limits (code ``E_LIMIT``): the message names the limit, its value and what
    exceeded it, the path where."""


__all__ = [
    "OkpiError",
    "ParseError",
    "ValidationError",
    "ExpressionError",
    "SettingsError",
    "LimitError",
    "Problem",
    "MAX_SHOWN",
]
