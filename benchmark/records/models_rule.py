"""The error a field rule of the record's models raises: a `PydanticCustomError` with a stable code.

Its own module, without the models, so that the ranking profiles (which raise it too) can import it
without building the country record's models. `benchmark.records.models` re-exports it.
"""

from __future__ import annotations

from pydantic_core import PydanticCustomError


class Rule(PydanticCustomError):
    """A broken field rule, with the stable code its problem carries (`missing-source`, `range-needs-both-bounds`)."""

    def __new__(cls, code: str, message: str) -> Rule:
        # Braces in a message would be read as template fields by pydantic: escape them.
        return super().__new__(cls, code, message.replace("{", "{{").replace("}", "}}"))
