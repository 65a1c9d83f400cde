"""Validate country files: read each safely, check its structure, then the dataset-wide rules.

All problems from every file and both layers are collected and returned together, sorted by file and
line, so a contributor fixes everything in one pass. Validating one file still applies every
cross-file rule: the rest of its `countries/` folder and the shared bibliography are read beside it,
and the problems reported are those of the files asked for (a clash is reported in both files).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from benchmark.problems import Problem
from benchmark.records import bibliography, cache, rules
from benchmark.records.rule_frames import Record

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


def dataset_files(files: list[Path]) -> list[Path]:
    """The files asked for, plus every record of the `countries/` folders they belong to."""
    roots = {root for f in files if (root := _countries_root(f)) is not None}
    found, _ = find_files(sorted(roots))
    return sorted({f.resolve() for f in [*files, *found]})


def _countries_root(path: Path) -> Path | None:
    for folder in path.resolve().parents:
        if folder.name == "countries":
            return folder
    return None


def validate(paths: Iterable[Path], sources: Path | None = None) -> tuple[list[Record], list[Problem]]:
    """Return the valid records asked for and every problem found in them; usable only if no problems."""
    paths = list(paths)
    asked, problems = find_files(paths)
    entries, found = bibliography.read_all(sources or bibliography.folder_for(paths))
    problems.extend(found)
    wanted = {f.resolve() for f in asked}
    records: list[Record] = []
    others: list[Record] = []  # the rest of the dataset: checked with the rules, reported only in clashes
    salvaged: list[Record] = []  # files with structural problems: checked by the rules, never returned
    own_problems: list[Problem] = []
    for file in dataset_files(asked):
        parsed = cache.parse(file, _display(file))  # read and checked, or the same bytes' result from before
        doc, country, partial = parsed.doc, parsed.country, parsed.salvaged
        if file.resolve() in wanted:
            own_problems.extend(parsed.read_problems + parsed.structure_problems)
        if doc is None:
            continue
        if country is not None:
            (records if file.resolve() in wanted else others).append(Record(doc, country, file.stem))
        elif partial is not None:
            salvaged.append(Record(partial[1], partial[0], file.stem))
    shown = {_display(f) for f in asked} | {e.doc.file for e in entries.values()}
    problems.extend(own_problems)
    problems.extend(p for p in rules.check(records + others + salvaged, entries) if p.file in shown)
    records = [
        Record(r.doc, r.country, r.stem, {k: entries[k].source for k in rules.cited_sources(r.country) if k in entries})
        for r in records
    ]
    return records, sorted(set(problems))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
