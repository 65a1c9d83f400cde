"""The error a field rule of the record's models raises: a `PydanticCustomError` with a stable code.

Its own module, without the models, so that the ranking profiles (which raise it too) can import it
without building the country record's models. `benchmark.records.models` re-exports it.
"""

from __future__ import annotations

import math

from pydantic_core import PydanticCustomError


class Rule(PydanticCustomError):
    """A broken field rule, with the stable code its problem carries (`missing-source`, `range-needs-both-bounds`)."""

    def __new__(cls, code: str, message: str) -> Rule:
        # Braces in a message would be read as template fields by pydantic: escape them.
        return super().__new__(cls, code, message.replace("{", "{{").replace("}", "}}"))


def finite_number(value: object) -> float:
    """A number as written: `yes` (YAML 1.1's true) or "3" is a slip, not a number, and .inf or .nan
    would give meaningless scores and values. The profiles' and the production's fields share it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rule("not-a-number", "expected a number")
    if not math.isfinite(value):
        raise Rule("not-finite", f"`{value}` is not a finite number")
    return float(value)
