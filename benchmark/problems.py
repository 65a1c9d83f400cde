"""Validation problems as data (after frictionless): a stable code, a position, a message, a hint.

Every stage reports `Problem`s; a report prints them as text, JSON or GitHub Actions annotations.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    field: str
    message: str
    expected: str = ""
    code: str = "invalid"

    def text(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field = f" {self.field}:" if self.field else ""
        expected = f" (expected {self.expected})" if self.expected else ""
        return f"{where}:{field} {self.message}{expected}"

    def github(self) -> str:
        # Workflow commands break on newlines and on '%'; escape as GitHub documents.
        def esc(s: str) -> str:
            return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        title = esc(self.field or self.code).replace(",", "%2C").replace("::", "%3A%3A")
        body = esc(self.message + (f" (expected {self.expected})" if self.expected else ""))
        return f"::error file={self.file},line={self.line},col={self.column},title={title}::{body}"


class InvalidData(Exception):
    """Raised with the full, sorted list of problems when input cannot be accepted."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems)


class StoreError(Exception):
    """A store that cannot be used as it is: unreachable, missing, or written by another schema version."""


def render(problems: list[Problem], fmt: str) -> str:
    problems = sorted(problems)
    if fmt == "json":
        return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(p.github() for p in problems)
    return "\n".join(p.text() for p in problems)
