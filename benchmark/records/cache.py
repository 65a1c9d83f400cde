"""A cache of parsed, checked record files, by content, so that an edit re-reads only the file edited.

Reading a record (YAML with positions) and checking its structure (Pydantic) depend on nothing but the
file's bytes, its name as shown in messages, and the benchmark's own code and registry. An entry is
therefore kept under a hash of the bytes and the name, in a folder named by a fingerprint of the
package (its version, every Python file and registry file in it, and the versions of PyYAML and Pydantic):
any change of code or registry starts an empty folder and the installation's old ones are removed. Beside
the parse an entry keeps the record's own rows of the rule frames, its content hash and the unit and year
of each value for the rate notes (`Facts`), first and apart, so that an unchanged file costs one small
read; then the record's own rows of the store, read only when the record is loaded; then its model,
unpickled only if asked for. The dataset-wide rules themselves are not cached; they run over the frames
of every record each time.

The cache lives in the user's cache folder (`$XDG_CACHE_HOME` or `~/.cache`, then `creative-benchmark/`),
never beside the data. `BENCHMARK_CACHE_DIR` chooses another folder; `BENCHMARK_CACHE_DIR=off` turns it
off. A cache that cannot be read or written is ignored: the files are then read as if it were empty.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import metadata
from pathlib import Path

from benchmark.problems import Problem
from benchmark.records import structure, workers
from benchmark.records.models import Country
from benchmark.records.read import MAX_BYTES, Document, read
from benchmark.records.rule_frames import Facts, Record, StoreRows

ENV = "BENCHMARK_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Parsed:
    """One file read and checked: the document (None if unreadable), the record, its problems."""

    doc: Document | None
    country: Country | None
    read_problems: list[Problem]
    structure_problems: list[Problem]
    salvaged: tuple[Country, Document] | None  # the valid part of a structurally broken file


@dataclass
class Checked:
    """What validation needs of one file without its model: its problems and, if it has one, its record.

    `kind` is "record" for a valid file, "salvaged" for the valid part of a structurally broken one, and
    None for a file that could not be read. A cache entry holds this first and the `Parsed` after it, so
    that an unchanged file's model is unpickled only if something asks for it.
    """

    read_problems: list[Problem]
    structure_problems: list[Problem]
    kind: str | None
    facts: Facts | None
    path: Path
    display: str
    parsed: Parsed | None = None  # None when read from the cache: loaded on first use
    entry: Path | None = None

    def record(self) -> Record:
        if self.parsed is not None:
            doc, country = _chosen(self.parsed)
            return Record(doc, country, self.path.stem, file=self.display, facts=self.facts)
        return Record(
            None,
            None,
            self.path.stem,
            file=self.display,
            facts=self.facts,
            load=self._load,
            load_store=lambda: _read_store(self.entry),
        )

    def _load(self) -> tuple[Document, Country]:
        if self.parsed is None:
            self.parsed = _read_parsed(self.entry) or _parse(self.path, self.display)
        return _chosen(self.parsed)


def _chosen(parsed: Parsed) -> tuple[Document, Country]:
    if parsed.country is not None and parsed.doc is not None:
        return parsed.doc, parsed.country
    if parsed.salvaged is not None:
        return parsed.salvaged[1], parsed.salvaged[0]
    raise ValueError("the file has no record")


def _checked(path: Path, display: str, parsed: Parsed, entry: Path | None = None) -> Checked:
    kind = "record" if parsed.country is not None else "salvaged" if parsed.salvaged is not None else None
    checked = Checked(parsed.read_problems, parsed.structure_problems, kind, None, path, display, parsed, entry)
    if kind is not None:
        checked.facts = checked.record().facts  # the record's rule rows and content hash, computed once
    return checked


_READ_ERRORS = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError)


def parse(path: Path, display: str) -> Checked:
    """Read and check `path`, from the cache when its bytes were seen before with the same code."""
    return parse_all([(path, display)])[0]


def parse_all(files: Sequence[tuple[Path, str]], *, parallel: bool = False) -> list[Checked]:
    """`parse` of every (path, display name), in order. With `parallel`, the files the cache lacks are read
    in worker processes when there are many of them (workers.py): only for a caller whose main module may
    be imported again by a worker, as the command line's may."""
    folder = cache_folder()
    found: list[Checked | None] = []
    missing: list[tuple[int, Path, str, Path | None]] = []
    for i, (path, display) in enumerate(files):
        hit, entry = _lookup(path, display, folder)
        found.append(hit)
        if hit is None:
            missing.append((i, path, display, entry))
    tasks = [(path, display, entry) for _, path, display, entry in missing]
    fresh = workers.run(_fresh_light, tasks) if parallel else [_fresh(*task) for task in tasks]
    for (i, *_), checked in zip(missing, fresh, strict=True):
        found[i] = checked
    return [c for c in found if c is not None]


def _lookup(path: Path, display: str, folder: Path | None) -> tuple[Checked | None, Path | None]:
    """The cached result for these bytes, if any, and the entry a new result should be stored in."""
    try:
        # Only a regular file is read here (never followed: a link, a pipe or a device is the reader's to refuse).
        info = path.lstat()
        wanted = folder is not None and stat.S_ISREG(info.st_mode) and info.st_size <= MAX_BYTES
        raw = path.read_bytes() if wanted else None
    except OSError:
        raw = None
    if raw is None or folder is None:
        return None, None
    key = hashlib.sha256(display.encode() + b"\0" + raw).hexdigest()
    entry = folder / f"{key}.pickle"
    try:
        with entry.open("rb") as f:
            found = pickle.load(f)
        if isinstance(found, Light):
            checked = Checked(
                found.read_problems, found.structure_problems, found.kind, found.facts, path, display, None, entry
            )
            return checked, entry
    except _READ_ERRORS:
        pass
    return None, entry


def _fresh(path: Path, display: str, entry: Path | None) -> Checked:
    """Read and check one file the cache lacks, and store the result."""
    checked = _checked(path, display, _parse(path, display), entry)
    if entry is not None and not _store(entry, checked):
        checked.entry = None  # never read back: the model stays with the result
    return checked


def _fresh_light(path: Path, display: str, entry: Path | None) -> Checked:
    """`_fresh` in a worker: what goes back is the light part and the record's rows of the store when the
    entry holds the rest (the model is read from the entry only if asked for), so that no model is
    pickled twice and a load needs none of them."""
    checked = _fresh(path, display, entry)
    if checked.entry is not None:
        checked.parsed = None
    return checked


@dataclass(frozen=True)
class Light:
    """The first part of a cache entry: everything but the document and the model."""

    read_problems: list[Problem]
    structure_problems: list[Problem]
    kind: str | None
    facts: Facts | None


def _read_parsed(entry: Path | None) -> Parsed | None:
    found = _read_part(entry, 2)
    return found if isinstance(found, Parsed) else None


def _read_store(entry: Path | None) -> StoreRows | None:
    found = _read_part(entry, 1)
    return found if isinstance(found, StoreRows) else None


def _read_part(entry: Path | None, part: int) -> object:
    """The entry's part number `part` (0 the light part, 1 the store's rows, 2 the parse); None if unreadable."""
    if entry is None:
        return None
    try:
        with entry.open("rb") as f:
            for _ in range(part):
                pickle.load(f)
            return pickle.load(f)
    except _READ_ERRORS:
        return None


def _parse(path: Path, display: str) -> Parsed:
    doc, read_problems = read(path, display)
    if doc is None:
        return Parsed(None, None, read_problems, [], None)
    country, structure_problems = structure.check(doc)
    salvaged = structure.salvage(doc) if country is None else None
    return Parsed(doc, country, read_problems, structure_problems, salvaged)


def _store(entry: Path, checked: Checked) -> bool:
    """Write the entry; False if it could not be written (the cache is then simply not used)."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.tmp")
        facts = checked.facts
        light = Light(
            checked.read_problems,
            checked.structure_problems,
            checked.kind,
            None if facts is None else replace(facts, store=None),
        )
        with partial.open("wb") as f:
            pickle.dump(light, f, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(None if facts is None else facts.store, f, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(checked.parsed, f, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(entry)  # atomic: a reader sees the whole entry or none
    except OSError:
        return False
    return True


def cache_folder() -> Path | None:
    """This code's folder of the cache; None when the cache is off."""
    root = _root()
    if root is None:
        return None
    # A folder per installation, so that two checkouts (or versions) never remove each other's entries.
    root = root / hashlib.sha256(str(_PACKAGE).encode()).hexdigest()[:12]
    folder = root / fingerprint()[:24]
    if not folder.is_dir():
        _remove_stale(root, keep=folder.name)
    return folder


def _root() -> Path | None:
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "creative-benchmark" / "records"


def _remove_stale(root: Path, keep: str) -> None:
    """Entries of other code versions can never be used again."""
    try:
        for old in root.iterdir():
            if old.is_dir() and old.name != keep:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass


def fingerprint_files() -> list[Path]:
    """What the reading and checking depend on: the package's code and its registry."""
    return sorted(p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".yaml") and p.is_file())


@cache
def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("creative-benchmark", "pyyaml", "pydantic"):
        digest.update(f"{name}={_version(name)}\n".encode())
    for path in fingerprint_files():
        digest.update(str(path.relative_to(_PACKAGE) if path.is_relative_to(_PACKAGE) else path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"
