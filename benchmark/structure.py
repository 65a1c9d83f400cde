"""Validation layer 1: one file's structure and types, against the record models.

Pydantic reports errors by location in the data; we turn each into a `Problem` at the line and
column the reader kept for that location, with a "did you mean" for misspelled keys.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel, ValidationError

from benchmark.models import Country
from benchmark.problems import Problem
from benchmark.read import Document, FieldPath, dotted


def check(doc: Document) -> tuple[Country | None, list[Problem]]:
    try:
        return Country.model_validate(doc.data), []
    except ValidationError as err:
        return None, _problems(doc, err)


def _problems(doc: Document, err: ValidationError) -> list[Problem]:
    grouped: dict[FieldPath, list[dict[str, Any]]] = defaultdict(list)
    for e in err.errors(include_url=False):
        grouped[_data_path(doc.data, e["loc"], e["type"])].append(e)
    out = []
    for path, errors in grouped.items():
        line, col = doc.position(path)
        message, expected, code = _describe(path, errors)
        out.append(Problem(doc.file, line, col, dotted(path), message, expected, code))
    return out


def _data_path(data: Any, loc: tuple, kind: str) -> FieldPath:
    """Trim pydantic's location to the parts that exist in the data (it adds union-member names)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        elif kind in ("missing", "extra_forbidden") and isinstance(node, dict) and isinstance(part, str):
            path.append(part)
            break
        else:
            break
        path.append(part)
    return tuple(path)


def _describe(path: FieldPath, errors: list[dict[str, Any]]) -> tuple[str, str, str]:
    first = errors[0]
    kind = first["type"]
    name = str(path[-1]) if path else ""
    if kind == "missing":
        return f"missing required field `{name}`", "", "missing-field"
    if kind == "extra_forbidden":
        allowed = _fields_at(first["loc"][:-1])
        near = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean `{near[0]}`?" if near else ""
        return f"unknown field `{name}`{hint}", "one of: " + ", ".join(allowed), "unknown-field"
    if kind == "literal_error":
        choices = first.get("ctx", {}).get("expected", "")
        given = first.get("input")
        options = [c.strip(" '") for c in str(choices).replace(" or ", ",").split(",") if c.strip()]
        near = difflib.get_close_matches(str(given), options, n=1) if isinstance(given, str) else []
        hint = f"; did you mean `{near[0]}`?" if near else ""
        return f"`{given}` is not allowed here{hint}", f"one of {choices}", "constraint-error"
    messages = []
    for e in errors:
        msg = str(e["msg"]).removeprefix("Value error, ")
        if e["type"] in ("model_type", "model_attributes_type", "dict_type"):
            msg = f"expected a mapping of fields, got {_kind(e.get('input'))}"
        elif e["type"] == "list_type":
            msg = f"expected a list, got {_kind(e.get('input'))}"
        elif e["type"] == "string_type":
            msg = f"expected text, got {_kind(e.get('input'))}"
        elif e["type"] == "string_pattern_mismatch":
            msg = f"`{e.get('input')}` does not have the expected form ({e['ctx']['pattern']})"
        if msg not in messages:
            messages.append(msg)
    code = "type-error" if any("type" in e["type"] for e in errors) else "constraint-error"
    return "; or ".join(messages), "", code


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    return {dict: "a mapping", list: "a list", str: f"the text `{value}`"}.get(type(value), f"`{value}`")


def _fields_at(loc: tuple) -> list[str]:
    """The field names the model allows at a location, for "did you mean" suggestions."""
    model: Any = Country
    for part in loc:
        model = _unwrap(model)
        if isinstance(model, type) and issubclass(model, BaseModel):
            field = model.model_fields.get(str(part))
            if field is None:
                return []
            model = field.annotation
        else:  # inside a list or dict: step to the item type
            args = [a for a in typing.get_args(model) if a is not type(None)]
            model = args[-1] if args else None
    model = _unwrap(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = models[0] if models else args[0]
        else:
            return tp
