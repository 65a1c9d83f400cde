"""Read one YAML file safely into plain data, keeping the line and column of every field.

We compose PyYAML nodes ourselves instead of calling `safe_load` so that we can: keep positions for
error messages; refuse duplicate keys (PyYAML silently keeps the last); refuse aliases, which a
hand-written record never needs and an alias bomb abuses; and refuse any tag beyond plain YAML types,
so that `!!python/object` and friends are never constructed.

Scalars are read as YAML 1.2 (core schema) writes them, not as PyYAML's YAML 1.1 does: `010` is ten (not
octal eight), `1:30` and `0x1F` are text (not base 60 or hex), `yes`/`no`/`on`/`off` are text (not
booleans), and `.inf`/`.nan` are refused: no record or profile means an infinite or undefined number.
Limits on nesting, list length, text length and number size turn a hostile file into one problem with
its line instead of a crash or a silently absurd value.
"""

from __future__ import annotations

import math
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import yaml

from benchmark.problems import Problem

# Limits far above any real record (depth 9, 63 entries, 2,043 characters, 1.2e8 at most) and far below
# what would exhaust memory or the stack.
MAX_BYTES = 2 * 1024 * 1024  # the largest real record is a few tens of kilobytes
MAX_DEPTH = 32  # nested mappings and lists
MAX_ITEMS = 10_000  # entries in one list or mapping
MAX_TEXT = 20_000  # characters in one text value or key
MAX_NUMBER = 1e15  # magnitude of a number as written (money carries `scale` for large sums)
_PLAIN = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_PLAIN + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
_STR, _SEQ, _MAP = _PLAIN + "str", _PLAIN + "seq", _PLAIN + "map"
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_KEY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")  # tabs, newlines too

# YAML 1.2 core schema, except that hex and octal forms stay text (a number is written in decimal).
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_NOT_FINITE = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
# PyYAML's own timestamp form: dates (`accessed: 2025-03-01`) are read as before.
_TIMESTAMP = next(r for t, r in yaml.resolver.Resolver.yaml_implicit_resolvers["2"] if t == _PLAIN + "timestamp")


class _Loader(_Base):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {}

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        """PyYAML's `resolve` for our resolvers only (no path or wildcard resolvers): called for every
        key and value, it was a fifth of a record's reading."""
        if kind is yaml.ScalarNode:
            if implicit[0]:  # plain (unquoted): the first resolver whose form matches
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


for _tag, _pattern, _first in (
    ("bool", _BOOL, "tTfF"),
    ("null", _NULL, ["~", "n", "N", ""]),
    ("int", _INT, "-+0123456789"),
    ("float", _FLOAT, "-+0123456789."),
    ("float", _NOT_FINITE, "-+."),  # resolved as numbers so that they are refused as numbers
    ("timestamp", _TIMESTAMP, "0123456789"),
):
    _Loader.add_implicit_resolver(_PLAIN + _tag, _pattern, list(_first))
_DATES = yaml.constructor.SafeConstructor()

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
        info = path.lstat()
    except OSError as err:
        return fail(1, 1, f"cannot read the file: {err.strerror}", code="io-error")
    if not stat.S_ISREG(info.st_mode):  # never followed: a link could print a file from outside the repository
        kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a regular file"
        return fail(1, 1, f"the file is {kind}; it was not read", "a regular file", "not-a-file")
    size = info.st_size
    if size > MAX_BYTES:
        return fail(
            1,
            1,
            f"file is {size / 1e6:.1f} MB; a record may be at most {MAX_BYTES // 1024 // 1024} MB",
            "a country file of ordinary size",
            "file-too-large",
        )
    try:
        raw = path.read_bytes()
    except OSError as err:
        return fail(1, 1, f"cannot read the file: {err.strerror}", code="io-error")
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
        if "maximum nesting depth" in message:  # libyaml stops at 1000 levels
            return fail(line, col, f"nested more than {MAX_DEPTH} levels deep", "a flatter record", "too-deep")
        lines = text.splitlines()
        if 0 < line <= len(lines) and "\t" in lines[line - 1]:
            col = lines[line - 1].index("\t") + 1
            message = "YAML syntax: a tab character; YAML indents with spaces only"
        return fail(line, col, message, code="yaml-syntax")
    except yaml.YAMLError as err:  # a reader error: control characters and the like
        return fail(1, 1, f"YAML syntax: {str(err).splitlines()[0]}", code="yaml-syntax")
    except RecursionError:  # the pure-Python parser, without libyaml's own limit
        return fail(1, 1, f"nested more than {MAX_DEPTH} levels deep", "a flatter record", "too-deep")
    if node is None:
        return fail(1, 1, "file is empty", code="empty-file")
    doc = Document(name, None)
    try:
        doc.positions[()] = _at(node)
        doc.data = _build(node, (), doc, set(), name, 0)
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


def _reject(name: str, path: FieldPath, at: tuple[int, int], message: str, expected: str, code: str) -> _Reject:
    return _Reject(Problem(name, *at, dotted(path), message, expected, code))


def _at(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node: yaml.Node, path: FieldPath, doc: Document, seen: set[int], name: str, depth: int) -> Any:
    """The node as plain data; every key's and item's position recorded. Written for speed (it runs for
    every value of every record): positions are computed once per node, problems built only when raised."""
    if id(node) in seen:  # the composer hands back the anchored node for every alias
        raise _reject(
            name,
            path,
            doc.positions.get(path, _at(node)),
            "anchors and aliases (& and *) are not allowed",
            "each value written out in full",
            "alias-not-allowed",
        )
    seen.add(id(node))
    tag = node.tag
    if tag not in _ALLOWED_TAGS:
        raise _reject(
            name,
            path,
            _at(node),
            f"the tag `{tag}` is not allowed",
            "plain YAML values: text, numbers, dates, lists and mappings",
            "forbidden-tag",
        )
    kind = type(node)
    if kind is yaml.ScalarNode:
        if tag == _STR:  # most values: text, checked here without a call
            value = node.value
            if len(value) > MAX_TEXT or _CONTROL.search(value):
                return _scalar(node, path, name)
            return value
        return _scalar(node, path, name)
    children = node.value
    if depth >= MAX_DEPTH:
        raise _reject(
            name, path, _at(node), f"nested more than {MAX_DEPTH} levels deep", "a flatter record", "too-deep"
        )
    if len(children) > MAX_ITEMS:
        raise _reject(
            name,
            path,
            _at(node),
            f"{len(children):,} entries; at most {MAX_ITEMS:,} are allowed in one place",
            "a list or mapping of ordinary size",
            "too-many-items",
        )
    positions = doc.positions
    depth += 1
    if kind is yaml.MappingNode:
        out: dict[str, Any] = {}
        for key_node, value_node in children:
            mark = key_node.start_mark
            key_pos = (mark.line + 1, mark.column + 1)
            if type(key_node) is not yaml.ScalarNode or key_node.tag not in _ALLOWED_TAGS:
                raise _reject(name, path, key_pos, "a key must be plain text", "a name", "type-error")
            key = str(key_node.value)
            if bad := _KEY_CONTROL.search(key):  # never printed: a newline here could forge a line of output
                raise _reject(
                    name,
                    path,
                    key_pos,
                    f"a key holds control character U+{ord(bad.group()):04X}",
                    "a key on one line",
                    "control-character",
                )
            if len(key) > MAX_TEXT:
                raise _reject(
                    name, path, key_pos, f"a key of {len(key):,} characters", f"at most {MAX_TEXT:,}", "text-too-long"
                )
            here = (*path, key)
            if key in out:
                raise _reject(
                    name,
                    here,
                    key_pos,
                    f"duplicate key `{key}` (first given on line {positions[here][0]})",
                    "each key once per mapping",
                    "duplicate-key",
                )
            positions[here] = key_pos
            out[key] = _build(value_node, here, doc, seen, name, depth)
        return out
    items = []
    for i, item in enumerate(children):
        here = (*path, i)
        mark = item.start_mark
        positions[here] = (mark.line + 1, mark.column + 1)
        items.append(_build(item, here, doc, seen, name, depth))
    return items


def _scalar(node: yaml.Node, path: FieldPath, name: str) -> Any:
    """One scalar, by its (checked) tag, with YAML 1.2's forms only: never PyYAML's 1.1 conversions."""
    value, kind = str(node.value), node.tag.removeprefix(_PLAIN)

    def reject(message: str, expected: str, code: str) -> _Reject:
        return _reject(name, path, _at(node), message, expected, code)

    if kind == "str":
        if len(value) > MAX_TEXT:
            raise reject(f"text of {len(value):,} characters", f"at most {MAX_TEXT:,}", "text-too-long")
        if bad := _CONTROL.search(value):
            # Escapes such as "\e[31m" would reach terminals and pages; records never need them.
            raise reject(f"control character U+{ord(bad.group()):04X} in text", "printable text", "control-character")
        return value
    if kind == "null" and _NULL.match(value):
        return None
    if kind == "bool" and _BOOL.match(value):
        return value.lower() == "true"
    if kind == "timestamp":
        try:
            return _DATES.construct_yaml_timestamp(node)  # type: ignore[arg-type]
        except (ValueError, TypeError, AttributeError) as err:
            raise reject(f"cannot read the date `{value}`: {err}", "a date such as 2025-03-01", "type-error") from None
    number: int | float
    if kind == "int" and _INT.match(value):
        digits = value.lstrip("+-").lstrip("0")
        if len(digits) > 16:
            raise reject(f"the number `{value}` is too large", f"at most {MAX_NUMBER:g}", "number-too-large")
        number = int(value)
    elif kind == "float" and _NOT_FINITE.match(value):
        raise reject(f"`{value}` is not a finite number", "a number as written in the source", "not-finite")
    elif kind == "float" and _FLOAT.match(value):
        number = float(value)
        if math.isinf(number):
            raise reject(f"the number `{value}` is too large", f"at most {MAX_NUMBER:g}", "number-too-large")
    else:
        raise reject(f"cannot read `{value}` as {kind}", f"a {kind} as YAML 1.2 writes it", "type-error")
    if abs(number) > MAX_NUMBER:
        raise reject(f"the number `{value}` is too large", f"at most {MAX_NUMBER:g}", "number-too-large")
    return number
