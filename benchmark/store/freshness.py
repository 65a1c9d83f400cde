"""Keep the store in step with the files: commands that read the store rebuild it when it is stale.

The store remembers the newest modification time of the files it was loaded from; when a country
file, region file or the indicator registry is newer, or the store is missing or empty, read commands
validate and load again, and say so. Invalid files stop the command with the usual problem report.
Validation and loading are imported only when a rebuild is needed, so a fresh store costs one read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmark.problems import InvalidData, StoreError
from benchmark.store.dburl import safe_url
from benchmark.store.facts import SCHEMA_VERSION, Facts, read_facts, read_meta

REGISTRY = Path(__file__).resolve().parent.parent / "registry"


def newest_input(data: Path) -> float:
    files = [p for p in data.rglob("*.yaml") if p.is_file()] if data.is_dir() else []
    stamps = [p.stat().st_mtime for p in [*files, *REGISTRY.glob("*.yaml")]]
    return max(stamps, default=0.0)


def ensure_fresh(url: str, data: Path = Path("countries"), *, quiet: bool = False) -> None:
    """Load `data` into the store at `url` if the store is missing, empty or older than the files."""
    meta = read_meta(url)
    current = meta.get("schema_version") == str(SCHEMA_VERSION)
    loaded_from = float(meta["inputs_mtime"]) if current and "inputs_mtime" in meta else None
    newest = newest_input(data)
    if loaded_from is not None and loaded_from >= newest:
        return
    if not data.is_dir():
        if current:  # a store built elsewhere, with no files here to compare: use it as it is
            return
        raise StoreError(f"the store at {safe_url(url)} is empty and there is no {data}/ folder to load")
    why = (
        "missing or empty"
        if not meta
        else "from another schema version"
        if not current
        else (f"older than the files in {data}/")
    )
    if not quiet:
        print(f"note: the store is {why}; validating and loading {data}/ first", file=sys.stderr)
    from benchmark.records.validate import validate
    from benchmark.store import load as store

    records, problems = validate([data])
    if problems:
        raise InvalidData(problems)
    store.load(records, url, prune=True, rebuild=bool(meta) and not current)
    mark_loaded(url, newest)


def mark_loaded(url: str, newest: float) -> None:
    from sqlmodel import Session

    from benchmark.store.load import engine_for
    from benchmark.store.tables import Meta

    engine = engine_for(url)
    try:
        with Session(engine) as s, s.begin():
            s.merge(Meta(key="inputs_mtime", value=repr(newest)))
    finally:
        engine.dispose()


def fresh_facts(url: str, data: Path = Path("countries")) -> Facts:
    ensure_fresh(url, data)
    return read_facts(url)
