"""The shared bibliography: one file per publication in `sources/`, cited by id from every record.

A publication that several records cite is defined once, as `sources/<id>.yaml`; the file's name is
its id. A record may still define a source of its own in its `sources` block, but only one that no
other record cites and that the bibliography does not hold (the dataset rules check both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchmark.problems import Problem
from benchmark.records.read import Document, read
from benchmark.records.structure import check_model

if TYPE_CHECKING:  # imported where a source is checked: a read command needs no record model (start-up)
    from benchmark.records.models import Source

SOURCES = Path("sources")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class Entry:
    """One file of the bibliography: its id, the publication, and the document (for positions)."""

    id: str
    source: Source
    doc: Document


def folder_for(paths: list[Path]) -> Path:
    """The bibliography that goes with some record paths: `sources/` beside the `countries/` folder they
    are in (none there means an empty bibliography), else `sources/` in the working folder."""
    for path in paths:
        resolved = path.resolve()
        for folder in [resolved, *resolved.parents] if path.is_dir() else resolved.parents:
            if folder.name == "countries":
                return folder.parent / "sources"
    return SOURCES


def read_all(folder: Path, display: str | None = None) -> tuple[dict[str, Entry], list[Problem]]:
    """Every publication of the bibliography, and the problems of the files that are not valid."""
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return entries, problems
    for file in sorted(folder.glob("*.yaml")):
        shown = f"{display}/{file.name}" if display else _display(file)
        if not _ID.match(file.stem):
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    f"`{file.stem}` is not a source id",
                    "a lowercase id: a-z, 0-9, . _ -",
                    "source-id-form",
                )
            )
            continue
        doc, found = read(file, shown)
        problems.extend(found)
        if doc is None:
            continue
        from benchmark.records.models import Source

        source, found = check_model(doc, Source)
        problems.extend(found)
        if source is not None:
            entries[file.stem] = Entry(file.stem, source, doc)
    return entries, problems


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
