"""Validate country files: read each safely, check its structure, then the dataset-wide rules.

All problems from every file and both layers are collected and returned together, sorted by file and
line, so a contributor fixes everything in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from benchmark import rules, structure
from benchmark.problems import Problem
from benchmark.read import read
from benchmark.rule_frames import Record

DEFAULT_DATA = Path("countries")


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders to the record files below them (`*.yaml`, regions included)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), 1, 1, "", "no such file or folder", code="io-error"))
    return sorted(set(files)), problems


def validate(paths: Iterable[Path]) -> tuple[list[Record], list[Problem]]:
    """Return the valid records and every problem found; the records are usable only if no problems."""
    files, problems = find_files(paths)
    records: list[Record] = []
    salvaged: list[Record] = []  # files with structural problems: checked by the rules, never returned
    for file in files:
        doc, found = read(file, _display(file))
        problems.extend(found)
        if doc is None:
            continue
        country, found = structure.check(doc)
        problems.extend(found)
        if country is not None:
            records.append(Record(doc, country, file.stem))
        elif (partial := structure.salvage(doc)) is not None:
            salvaged.append(Record(partial[1], partial[0], file.stem))
    problems.extend(rules.check(records + salvaged))
    return records, sorted(set(problems))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
