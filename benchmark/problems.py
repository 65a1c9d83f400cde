"""Validation problems as data (after frictionless): a stable code, a position, a message, a hint.

Every stage reports `Problem`s; a report prints them as text, JSON or GitHub Actions annotations.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

# Control, line-breaking and bidirectional characters: printed as escapes, so that nothing quoted from a
# file (a key, a value, a file name) can start a new line that looks like another file's problem or a
# CI annotation, or reorder what a terminal shows.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` on one line, with every control character written as an escape (`\\n`, `\\u202e`)."""
    return _UNPRINTABLE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


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
        where = f"{printable(self.file)}:{self.line}:{self.column}"
        field = f" {printable(self.field)}:" if self.field else ""
        expected = f" (expected {printable(self.expected)})" if self.expected else ""
        return f"{where}:{field} {printable(self.message)}{expected}"

    def github(self) -> str:
        # Workflow commands break on newlines and on '%'; escape as GitHub documents.
        # Control characters are escaped first, so no line break survives to be encoded.
        def esc(s: str) -> str:
            return printable(s).replace("%", "%25")

        def prop(s: str) -> str:
            return esc(s).replace(",", "%2C").replace(":", "%3A")

        title = prop(self.field or self.code)
        body = esc(self.message + (f" (expected {self.expected})" if self.expected else ""))
        return f"::error file={prop(self.file)},line={self.line},col={self.column},title={title}::{body}"


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
