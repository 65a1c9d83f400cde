"""Keep the store in step with the files: commands that read the store rebuild it when it is stale.

The store remembers the newest modification time of the files it was loaded from; when a country
file, region file or the indicator registry is newer, or the store is missing or empty, read commands
validate and load again, and say so. Invalid files stop the command with the usual problem report.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlmodel import Session

from benchmark import store
from benchmark.facts import Facts, read_facts
from benchmark.problems import InvalidData
from benchmark.tables import Meta
from benchmark.validate import find_files, validate

REGISTRY = Path(__file__).parent / "registry"


def newest_input(data: Path) -> float:
    files, _ = find_files([data])
    stamps = [p.stat().st_mtime for p in [*files, *REGISTRY.glob("*.yaml")]]
    return max(stamps, default=0.0)


def ensure_fresh(url: str, data: Path = Path("countries"), *, quiet: bool = False) -> None:
    """Load `data` into the store at `url` if the store is missing, empty or older than the files."""
    engine = store.engine_for(url)
    try:
        version = store.stored_version(engine)
        loaded_from = None
        if version == store.SCHEMA_VERSION:
            with Session(engine) as s:
                row = s.get(Meta, "inputs_mtime")
                loaded_from = float(row.value) if row else None
    finally:
        engine.dispose()
    newest = newest_input(data)
    if loaded_from is not None and loaded_from >= newest:
        return
    if not data.exists():
        raise store.StoreError(f"the store at {store._safe(url)} is empty and there is no {data}/ folder to load")
    why = "missing or empty" if loaded_from is None else f"older than the files in {data}/"
    if not quiet:
        print(f"note: the store is {why}; validating and loading {data}/ first", file=sys.stderr)
    records, problems = validate([data])
    if problems:
        raise InvalidData(problems)
    store.load(records, url, prune=True, rebuild=version not in (None, store.SCHEMA_VERSION))
    mark_loaded(url, newest)


def mark_loaded(url: str, newest: float) -> None:
    engine = store.engine_for(url)
    try:
        with Session(engine) as s, s.begin():
            s.merge(Meta(key="inputs_mtime", value=repr(newest)))
    finally:
        engine.dispose()


def fresh_facts(url: str, data: Path = Path("countries")) -> Facts:
    ensure_fresh(url, data)
    return read_facts(url)
