"""Keep the store in step with the files it was loaded from: read commands refresh what it holds, and say so.

Every load records in the store's meta table what it read (`inputs`: the absolute paths of the folders or
files, and whether the load pruned) and the newest modification time among them and the registry
(`inputs_mtime`). A read command then
- builds a missing or empty store from `countries/` of the working folder, and says so;
- reloads a stale store from the very paths it was loaded from (never from the working folder's own
  `countries/`, which may be other data), pruning only if the original load did, and says so;
- rebuilds a store of another schema version from those paths;
- does nothing with `--no-refresh` (or BENCHMARK_NO_REFRESH=1): the store is read as it is.
Validation and loading are imported only when a refresh is needed, so a fresh store costs one read.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from benchmark.problems import InvalidData, StoreError
from benchmark.store.dburl import safe_url
from benchmark.store.facts import SCHEMA_VERSION, Facts, read_facts, read_meta

REGISTRY = Path(__file__).resolve().parent.parent / "registry"
DEFAULT_DATA = Path("countries")


def refresh_enabled() -> bool:
    """False under `--no-refresh` or BENCHMARK_NO_REFRESH=1: read the store as it is, whatever the files say."""
    return os.environ.get("BENCHMARK_NO_REFRESH", "") in ("", "0", "false")


def newest_input(*paths: Path) -> float:
    """The newest modification time of the record files under `paths`, their bibliography and the registry."""
    from benchmark.records.bibliography import folder_for

    files: list[Path] = []
    for path in paths:
        files += [p for p in path.rglob("*.yaml") if p.is_file()] if path.is_dir() else [path] if path.is_file() else []
    sources = folder_for(list(paths))
    files += sorted(sources.glob("*.yaml")) if sources.is_dir() else []
    stamps = [p.stat().st_mtime for p in [*files, *REGISTRY.glob("*.yaml")]]
    return max(stamps, default=0.0)


def _inputs(meta: dict[str, str]) -> tuple[list[Path], bool] | None:
    try:
        recorded = json.loads(meta["inputs"])
        return [Path(p) for p in recorded["paths"]], bool(recorded["prune"])
    except (KeyError, ValueError, TypeError):
        return None


def ensure_fresh(url: str, data: Path = DEFAULT_DATA, *, quiet: bool = False) -> None:
    """Refresh the store at `url` from what it was loaded from, or build it from `data` when it is empty."""
    if not refresh_enabled():
        if not read_meta(url):
            raise StoreError(f"there is no store at {safe_url(url)} and --no-refresh forbids building it")
        return
    meta = read_meta(url)
    current = meta.get("schema_version") == str(SCHEMA_VERSION)
    recorded = _inputs(meta)
    if recorded is None:
        if meta and current:  # loaded by an older version, or elsewhere: nothing recorded to compare with
            return
        if not data.is_dir():
            if current:
                return
            raise StoreError(f"the store at {safe_url(url)} is empty and there is no {data}/ folder to load")
        paths, prune = [data.resolve()], True
        why = "missing or empty" if not meta else "from another schema version"
    else:
        paths, prune = recorded
        present = [p for p in paths if p.exists()]
        if not present:  # the files it came from are gone: read it as it is
            return
        loaded_from = float(meta.get("inputs_mtime", "0") or 0)
        if current and loaded_from >= newest_input(*present):
            return
        paths = present
        shown = ", ".join(_shown(p) for p in paths)
        why = f"older than the files in {shown}" if current else "from another schema version"
    if not quiet:
        shown = ", ".join(_shown(p) for p in paths)
        print(f"note: the store is {why}; validating and loading {shown} first", file=sys.stderr)
    load_and_mark(paths, url, prune=prune, rebuild=bool(meta) and not current)


def load_and_mark(paths: list[Path], url: str, *, prune: bool, rebuild: bool = False) -> object:
    """Validate and load `paths`, then record them as the store's inputs."""
    from benchmark.records.validate import validate
    from benchmark.store import load as store

    records, problems = validate(paths)
    if problems:
        raise InvalidData(problems)
    report = store.load(records, url, prune=prune, rebuild=rebuild)
    mark_loaded(url, paths, prune)
    return report


def mark_loaded(url: str, paths: list[Path], prune: bool) -> None:
    """Record in the store what a load read, and the newest modification time among it."""
    from sqlmodel import Session

    from benchmark.store.load import engine_for
    from benchmark.store.tables import Meta

    resolved = [str(p.resolve()) for p in paths]
    engine = engine_for(url, writing=True)
    try:
        with Session(engine) as s, s.begin():
            s.merge(Meta(key="inputs", value=json.dumps({"paths": resolved, "prune": prune})))
            s.merge(Meta(key="inputs_mtime", value=repr(newest_input(*paths))))
    finally:
        engine.dispose()


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) + ("/" if path.is_dir() else "")
    except ValueError:
        return str(path) + ("/" if path.is_dir() else "")


def fresh_facts(url: str, data: Path = DEFAULT_DATA) -> Facts:
    ensure_fresh(url, data)
    return read_facts(url)
