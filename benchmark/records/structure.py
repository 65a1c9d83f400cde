"""Validation layer 1: one file's structure and types, against the record models.

Pydantic reports errors by location in the data; we turn each into a `Problem` at the line and
column the reader kept for that location, with a "did you mean" for misspelled keys.
"""

from __future__ import annotations

import copy
import difflib
import types
import typing
from collections import defaultdict
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from benchmark.problems import Problem
from benchmark.records.read import Document, FieldPath, dotted

if TYPE_CHECKING:  # imported where used: ranking a profile needs no country model (start-up time)
    from benchmark.records.models import Country

M = TypeVar("M", bound=BaseModel)


def check(doc: Document) -> tuple[Country | None, list[Problem]]:
    from benchmark.records.models import Country

    return check_model(doc, Country)


def check_model(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate a document against any of our models (a country record, a ranking profile)."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as err:
        return None, _problems(doc, err, model)


# Stand-ins for top-level fields a broken file lacks; only ever used to run the rules on the rest.
_PLACEHOLDERS: dict[str, Any] = {"names": {"en": "?", "ru": "?", "kk": "?"}, "region": "Europe", "sources": {}}


def salvage(doc: Document, attempts: int = 8) -> tuple[Country, Document] | None:
    """The file's valid part: broken entries dropped, so the dataset rules can still check the rest.

    A contributor then sees every problem in one pass, not the rule problems only after fixing the
    structural ones. Returns the partial record with a document whose positions follow the dropped
    list items. The salvaged record is never stored.
    """
    from benchmark.records.models import Country

    data = copy.deepcopy(doc.data)
    positions = dict(doc.positions)
    for _ in range(attempts):
        try:
            return Country.model_validate(data), Document(doc.file, data, positions)
        except ValidationError as err:
            for e in err.errors(include_url=False):
                if not _drop(data, _data_path(data, e["loc"], e["type"])):
                    return None
            positions = _compact(data, (), positions)
    return None


def _drop(data: dict[str, Any], path: FieldPath) -> bool:
    """Remove the entry holding `path`: a list item or a keyed entry, else patch a top-level field."""
    for end in range(len(path), 0, -1):
        parent_path, key = path[: end - 1], path[end - 1]
        parent = _get(data, parent_path)
        if isinstance(parent, list) and isinstance(key, int) and key < len(parent):
            parent[key] = None  # keep indexes stable for this pass's other errors; compacted after it
            return True
        if isinstance(parent, dict) and parent_path and parent_path[0] in _KEYED and key in parent:
            del parent[key]
            return True
    top = path[0] if path else None
    if isinstance(top, str) and top in _PLACEHOLDERS:
        data[top] = copy.deepcopy(_PLACEHOLDERS[top])
        return True
    if isinstance(top, str) and top in data and top not in ("code",):
        del data[top]
        return True
    return False


_KEYED = {"metrics", "instruments", "sources", "scenarios", "caveats"}


def _get(data: Any, path: FieldPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _compact(node: Any, path: FieldPath, positions: dict[FieldPath, Any]) -> dict[FieldPath, Any]:
    """Remove the Nones `_drop` left in lists, moving the kept items' positions to their new indexes."""
    if isinstance(node, dict):
        for key, value in node.items():
            positions = _compact(value, (*path, key), positions)
    elif isinstance(node, list):
        kept = [i for i, x in enumerate(node) if x is not None]
        if len(kept) != len(node):
            new_index = {old: new for new, old in enumerate(kept)}
            depth = len(path)
            moved: dict[FieldPath, Any] = {}
            for key, pos in positions.items():
                index = key[depth] if len(key) > depth and key[:depth] == path else None
                if isinstance(index, int):
                    if index in new_index:
                        moved[(*path, new_index[index], *key[depth + 1 :])] = pos
                else:
                    moved[key] = pos
            positions = moved
            node[:] = [node[i] for i in kept]
        for i, value in enumerate(node):
            positions = _compact(value, (*path, i), positions)
    return positions


def _problems(doc: Document, err: ValidationError, model: type[BaseModel]) -> list[Problem]:
    grouped: dict[FieldPath, list[Any]] = defaultdict(list)
    for e in err.errors(include_url=False):
        grouped[_data_path(doc.data, e["loc"], e["type"])].append(e)
    out = []
    for path, errors in grouped.items():
        line, col = doc.position(path)
        message, expected, code = _describe(path, errors, model)
        out.append(Problem(doc.file, line, col, dotted(path), message, expected, code))
    return out


def _data_path(data: Any, loc: tuple, kind: str) -> FieldPath:
    """Trim pydantic's location to the parts that exist in the data (it adds union-member names)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            node = node[part]
        elif kind in ("missing", "extra_forbidden") and isinstance(node, dict) and isinstance(part, str):
            path.append(part)
            break
        else:
            break
        path.append(part)
    return tuple(path)


def _describe(path: FieldPath, errors: list[dict[str, Any]], model: type[BaseModel]) -> tuple[str, str, str]:
    first = errors[0]
    kind = first["type"]
    name = str(path[-1]) if path else ""
    if kind == "missing":
        return f"missing required field `{name}`", "", "missing-field"
    if kind == "extra_forbidden":
        allowed = _fields_at(first["loc"][:-1], model)
        near = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean `{near[0]}`?" if near else ""
        return f"unknown field `{name}`{hint}", "one of: " + ", ".join(allowed), "unknown-field"
    if kind == "literal_error":
        choices = first.get("ctx", {}).get("expected", "")
        given = first.get("input")
        options = [c.strip(" '") for c in str(choices).replace(" or ", ",").split(",") if c.strip()]
        near = difflib.get_close_matches(str(given), options, n=1) if isinstance(given, str) else []
        hint = f"; did you mean `{near[0]}`?" if near else ""
        return f"`{given}` is not allowed here{hint}", f"one of {choices}", "value-not-allowed"
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
    own = [e["type"] for e in errors if "-" in e["type"]]  # a rule of the models, with its own stable code
    patterns = any(e["type"] == "string_pattern_mismatch" for e in errors)
    code = (
        own[0]
        if own
        else "type-error"
        if any("type" in e["type"] for e in errors)
        else "pattern-mismatch"
        if patterns
        else "constraint-error"
    )
    return "; or ".join(messages), "", code


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    names: dict[type, str] = {dict: "a mapping", list: "a list", str: f"the text `{value}`"}
    return names.get(type(value), f"`{value}`")


def _fields_at(loc: tuple, root: type[BaseModel]) -> list[str]:
    """The field names the model allows at a location, for "did you mean" suggestions."""
    model: Any = root
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
