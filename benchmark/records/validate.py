"""Validate country files: read each safely, check its structure, then the dataset-wide rules.

All problems from every file and both layers are collected and returned together, sorted by file and
line, so a contributor fixes everything in one pass. Validating one file still applies every
cross-file rule: the rest of its `countries/` folder and the shared bibliography are read beside it,
and the problems reported are those of the files asked for (a clash is reported in both files).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from benchmark.problems import Problem
from benchmark.records import bibliography, cache, rules
from benchmark.records.collection import paused
from benchmark.records.rule_frames import Record

DEFAULT_DATA = Path("countries")


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders to the record files below them (`*.yaml`, regions included).

    Links are listed, never followed: the reader refuses them by name without reading them. A `.yml`
    file is reported rather than skipped, so a record is never left out silently.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            found, trouble = _walk(path)
            files.extend(found)
            problems.extend(trouble)
        elif path.is_symlink() or path.is_file() or path.exists():
            files.append(path)  # the reader says what is wrong with a link or a special file
        else:
            problems.append(Problem(str(path), 1, 1, "", "no such file or folder", code="io-error"))
    return sorted(set(files)), problems


def _walk(folder: Path) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []

    def unreadable(err: OSError) -> None:
        where = _display(Path(err.filename)) if err.filename else str(folder)
        problems.append(Problem(where, 1, 1, "", f"cannot read the folder: {err.strerror}", code="io-error"))

    for root, dirs, names in os.walk(folder, onerror=unreadable):  # never descends into a linked folder
        base = Path(root)
        for name in dirs:
            if name.endswith(".yaml") or (base / name).is_symlink():
                files.append(base / name)  # a folder named like a record, or a linked folder: refused by name
        for name in names:
            if name.endswith(".yaml"):
                files.append(base / name)
            elif name.endswith((".yml", ".YAML", ".YML")):
                problems.append(
                    Problem(
                        _display(base / name),
                        1,
                        1,
                        "",
                        "a record must end in .yaml; this file was not read",
                        f"the file renamed to {Path(name).stem}.yaml",
                        "wrong-extension",
                    )
                )
    return files, problems


def dataset_files(files: list[Path]) -> list[Path]:
    """The files asked for (as `_where` gives them), plus every record of the `countries/` folders they
    belong to."""
    roots = {root for folder in {f.parent for f in files} if (root := _countries_root(folder)) is not None}
    found, _ = find_files(sorted(roots))
    # The roots' folders are resolved already, and the walk never enters a linked folder: the files
    # found below them need no resolving of their own (thousands of pathlib calls at 2,000 records).
    return sorted({*files, *found})


def _countries_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if candidate.name == "countries":
            return candidate
    return None


def validate(
    paths: Iterable[Path], sources: Path | None = None, *, parallel: bool = False
) -> tuple[list[Record], list[Problem]]:
    """Return the valid records asked for and every problem found in them; usable only if no problems.

    `parallel` lets files the cache lacks be read in worker processes (records/workers.py). A worker
    imports the caller's main module again, so only a program whose main module is guarded (as the
    command line's is) should ask for it."""
    with paused():  # no cycles among the records: the collector would only re-scan them (collection.py)
        return _validate(paths, sources, parallel)


def _validate(paths: Iterable[Path], sources: Path | None, parallel: bool) -> tuple[list[Record], list[Problem]]:
    paths = list(paths)
    _resolved.cache_clear()  # folders are resolved once per validation, never from an earlier one
    asked, problems = find_files(paths)
    entries, found = bibliography.read_all(sources or bibliography.folder_for(paths))
    problems.extend(found)
    wanted = {_where(f) for f in asked}  # absolute, folders resolved (once per folder)
    records: list[Record] = []
    others: list[Record] = []  # the rest of the dataset: checked with the rules, reported only in clashes
    salvaged: list[Record] = []  # files with structural problems: checked by the rules, never returned
    own_problems: list[Problem] = []
    files = dataset_files(sorted(wanted))  # shown relative to the working folder
    cwd = _resolved(Path.cwd())
    named = [(f, _relative(f, cwd)) for f in files]
    # Each file read and checked, or the same bytes' result from before; unread ones in several processes.
    for file, checked in zip(files, cache.parse_all(named, parallel=parallel), strict=True):
        asked_for = file in wanted
        if asked_for:
            own_problems.extend(checked.read_problems + checked.structure_problems)
        if checked.kind == "record":
            (records if asked_for else others).append(checked.record())
        elif checked.kind == "salvaged":
            salvaged.append(checked.record())
    shown = {_display(f) for f in asked} | {e.doc.file for e in entries.values()}
    problems.extend(own_problems)
    problems.extend(p for p in rules.check(records + others + salvaged, entries) if p.file in shown)
    records = [r.with_shared({k: entries[k].source for k in r.facts.cited if k in entries}) for r in records]
    return records, sorted(set(problems))


def _display(path: Path) -> str:
    try:
        return str(_where(path).relative_to(_resolved(Path.cwd())))
    except ValueError:
        return str(path)


def _relative(where: Path, cwd: Path) -> str:
    """`_display` of a path `_where` already gave: its text below the working folder, or all of it."""
    text, base = str(where), str(cwd).rstrip(os.sep) + os.sep
    return text[len(base) :] if text.startswith(base) else text


def _where(path: Path) -> Path:
    """The absolute path, its folders resolved but never the file itself: a link stays a link."""
    return _resolved(path.absolute().parent) / path.name


@lru_cache(maxsize=256)
def _resolved(folder: Path) -> Path:
    return folder.resolve()  # once per folder and validation: thousands of records share a few folders
