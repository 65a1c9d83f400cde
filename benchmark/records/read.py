"""Read one YAML file safely into plain data, keeping the line and column of every field.

We compose PyYAML nodes ourselves instead of calling `safe_load` so that we can: keep positions for
error messages; refuse duplicate keys (PyYAML silently keeps the last); refuse aliases, which a
hand-written record never needs and an alias bomb abuses; and refuse any tag beyond plain YAML types,
so that `!!python/object` and friends are never constructed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from benchmark.problems import Problem

MAX_BYTES = 2 * 1024 * 1024  # the largest real record is a few tens of kilobytes
_PLAIN = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_PLAIN + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

FieldPath = tuple[str | int, ...]


@dataclass
class Document:
    file: str
    data: Any
    positions: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: FieldPath) -> tuple[int, int]:
        """Line and column of the deepest part of `path` the file has (1-based)."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.positions:
                return self.positions[path[:end]]
        return (1, 1)


def dotted(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Reject(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def read(path: Path, display: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Parse `path`; return the document, or None with the problems that stopped it."""
    name = display or str(path)

    def fail(line: int, col: int, message: str, expected: str = "", code: str = "yaml-error"):
        return None, [Problem(name, line, col, "", message, expected, code)]

    try:
        size = path.stat().st_size
    except OSError as err:
        return fail(1, 1, f"cannot read the file: {err.strerror}", code="io-error")
    if size > MAX_BYTES:
        return fail(
            1,
            1,
            f"file is {size / 1e6:.1f} MB; a record may be at most {MAX_BYTES // 1024 // 1024} MB",
            "a country file of ordinary size",
            "file-too-large",
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        return fail(line, col, f"byte 0x{raw[err.start]:02x} is not valid UTF-8", "a UTF-8 text file", "encoding-error")
    if not text.strip() or all(ln.strip().startswith("#") or not ln.strip() for ln in text.splitlines()):
        return fail(1, 1, "file is empty", "a mapping with `code`, `names`, `region` and `sources`", "empty-file")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML syntax: {err.problem or err.context}"
        lines = text.splitlines()
        if 0 < line <= len(lines) and "\t" in lines[line - 1]:
            col = lines[line - 1].index("\t") + 1
            message = "YAML syntax: a tab character; YAML indents with spaces only"
        return fail(line, col, message, code="yaml-syntax")
    except yaml.YAMLError as err:  # a reader error: control characters and the like
        return fail(1, 1, f"YAML syntax: {str(err).splitlines()[0]}", code="yaml-syntax")
    if node is None:
        return fail(1, 1, "file is empty", code="empty-file")
    doc = Document(name, None)
    try:
        doc.data = _build(node, (), doc, set(), name)
    except _Reject as err:
        problem = err.problem
        if problem.code == "alias-not-allowed":  # the composer knows only the anchor: find the alias
            alias = next(e for e in yaml.parse(text, Loader=_Loader) if isinstance(e, yaml.AliasEvent))
            if alias.start_mark is not None:
                problem = replace(problem, line=alias.start_mark.line + 1, column=alias.start_mark.column + 1)
        return None, [problem]
    if not isinstance(doc.data, dict):
        return fail(
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            f"the file is a {type(doc.data).__name__}, not a mapping",
            "a mapping of fields at the top",
            "type-error",
        )
    return doc, []


def _build(node: yaml.Node, path: FieldPath, doc: Document, seen: set[int], name: str) -> Any:
    pos = (node.start_mark.line + 1, node.start_mark.column + 1)
    if id(node) in seen:  # the composer hands back the anchored node for every alias
        line, col = doc.positions.get(path, pos)
        raise _Reject(
            Problem(
                name,
                line,
                col,
                dotted(path),
                "anchors and aliases (& and *) are not allowed",
                "each value written out in full",
                "alias-not-allowed",
            )
        )
    seen.add(id(node))
    if node.tag not in _ALLOWED_TAGS:
        raise _Reject(
            Problem(
                name,
                *pos,
                dotted(path),
                f"the tag `{node.tag}` is not allowed",
                "plain YAML values: text, numbers, dates, lists and mappings",
                "forbidden-tag",
            )
        )
    doc.positions.setdefault(path, pos)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                raise _Reject(Problem(name, *key_pos, dotted(path), "a key must be plain text", "a name", "type-error"))
            key = str(key_node.value)
            if key in out:
                first = doc.positions[(*path, key)][0]
                raise _Reject(
                    Problem(
                        name,
                        *key_pos,
                        dotted((*path, key)),
                        f"duplicate key `{key}` (first given on line {first})",
                        "each key once per mapping",
                        "duplicate-key",
                    )
                )
            doc.positions[(*path, key)] = key_pos
            out[key] = _build(value_node, (*path, key), doc, seen, name)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            doc.positions[(*path, i)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(_build(item, (*path, i), doc, seen, name))
        return items
    try:
        value = _Loader("").construct_object(node)  # scalars only: tags were checked above
    except (yaml.YAMLError, ValueError) as err:
        raise _Reject(
            Problem(name, *pos, dotted(path), f"cannot read the value `{node.value}`: {err}", code="type-error")
        ) from None
    if isinstance(value, str) and (bad := _CONTROL.search(value)):
        # Escapes such as "\e[31m" would reach terminals and pages; records never need them.
        raise _Reject(
            Problem(
                name,
                *pos,
                dotted(path),
                f"control character U+{ord(bad.group()):04X} in text",
                "printable text",
                "control-character",
            )
        )
    return value
