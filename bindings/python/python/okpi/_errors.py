"""The exceptions of okpi: one base, ``OkpiError`` (a ``ValueError``), and one subclass per error kind.

Every exception carries every problem found, as ``(code, path, message)`` tuples: ``code`` is a stable machine
code such as ``"E_UNKNOWN_ID"``, ``path`` the JSON path of the offending value such as ``"$.key_results[3].target"``.
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

Problem = Tuple[str, str, str]


class OkpiError(ValueError):
    """Base of every error okpi raises."""

    problems: List[Problem]

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = [(str(c), str(p), str(m)) for c, p, m in problems]

    @property
    def codes(self) -> List[str]:
        """The code of every problem, in the order found."""
        return [c for c, _, _ in self.problems]

    @property
    def paths(self) -> List[str]:
        """The JSON path of every problem, in the order found."""
        return [p for _, p, _ in self.problems]

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (str(self), self.problems))


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


__all__ = ["OkpiError", "ParseError", "ValidationError", "ExpressionError", "SettingsError", "LimitError", "Problem"]
