"""What a change to the data does: facts added, changed and removed between two revisions.

A revision is a git commit (its `countries/` folder is read with `git show`, nothing is checked out)
or, for the head side only, the working tree. The ranking movement under every profile is computed
by `benchmark.scoring` from the two sets of records.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from benchmark.problems import InvalidData, Problem
from benchmark.records.models import Country, Instrument, Observation
from benchmark.records.rule_frames import Record
from benchmark.records.validate import validate


class RevisionError(Exception):
    pass


@dataclass
class Change:
    country: str
    what: str  # "metric", "instrument" or "source"
    key: str
    before: str | None
    after: str | None

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"


@dataclass
class DataDiff:
    changes: list[Change] = field(default_factory=list)
    countries_added: list[str] = field(default_factory=list)
    countries_removed: list[str] = field(default_factory=list)


class Revision(list[Record]):
    """The valid records of one revision, and the problems its own files have (shown by `diff`, never
    blamed on the change under review)."""

    def __init__(self, records: list[Record], problems: list[Problem] | None = None):
        super().__init__(records)
        self.problems = problems or []


def records_at(revision: str | None, repo: Path, data: str = "countries") -> Revision:
    """The valid records of `data/` at a git revision (with the bibliography `sources/` of that revision),
    or in the working tree when `revision` is None (whose problems stop the diff)."""
    if revision is None:
        records, problems = validate([repo / data])
        if problems:
            raise InvalidData(problems)
        return Revision(records)
    names = _git(repo, "ls-tree", "-r", "--name-only", revision, "--", data, "sources").splitlines()
    with tempfile.TemporaryDirectory(prefix="benchmark-diff-") as tmp:
        for name in names:
            if name.endswith(".yaml"):
                target = Path(tmp) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(_git(repo, "show", f"{revision}:{name}"), encoding="utf-8")
        folder = Path(tmp) / data
        records, problems = validate([folder]) if folder.exists() else ([], [])
        # Records are used after the folder is gone: only their models matter from here on.
        return Revision(records, [_relative(p, tmp) for p in problems])


def _relative(problem: Problem, tmp: str) -> Problem:
    """A problem of the scratch copy, named by its path in the repository."""
    shown = problem.file
    for prefix in (str(Path(tmp).resolve()) + "/", tmp + "/"):
        shown = shown.removeprefix(prefix)
    return replace(problem, file=shown)


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RevisionError(f"git {' '.join(args[:2])}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def diff(base: list[Record], head: list[Record]) -> DataDiff:
    before = {r.country.code: r.country for r in base}
    after = {r.country.code: r.country for r in head}
    out = DataDiff(countries_added=sorted(set(after) - set(before)), countries_removed=sorted(set(before) - set(after)))
    for code in sorted(set(before) | set(after)):
        old = _facts(before[code]) if code in before else {}
        new = _facts(after[code]) if code in after else {}
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                what, label = key
                out.changes.append(Change(code, what, label, _shown(old.get(key)), _shown(new.get(key))))
    return out


def _facts(c: Country) -> dict[tuple[str, str], tuple[str, str]]:
    """(what, label) -> (shown value, full content): the full content catches detail-only edits."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for scenario, metrics, instruments in [("", c.metrics, c.instruments)] + [
        (f"{name}: ", s.metrics, s.instruments) for name, s in c.scenarios.items()
    ]:
        for metric, series in metrics.items():
            for obs in series:
                extras = "".join(f", {x}" for x in (obs.part, obs.method) if x)
                out[("metric", f"{scenario}{metric} {obs.year} {obs.kind}{extras}")] = (_value(obs), _full(obs))
        for key, inst in instruments.items():
            out[("instrument", f"{scenario}{key}")] = (_status(inst), _full(inst))
    for key, src in c.sources.items():
        out[("source", key)] = (f"{src.publisher}, {src.title} ({src.year})", _full(src))
    return out


def _shown(entry: tuple[str, str] | None) -> str | None:
    return None if entry is None else entry[0]


def _full(model: Any) -> str:
    return json.dumps(model.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


def _value(obs: Observation) -> str:
    if obs.value == "unknown":
        return "unknown"
    number = f"{obs.value:g}" if obs.value is not None else f"{obs.low:g}-{obs.high:g}"
    mark = {"about": "~", "at_least": "≥", "at_most": "≤"}.get(obs.qualifier, "")
    scale = "" if obs.scale == "one" else f" {obs.scale}"
    return f"{mark}{number}{scale} {obs.unit} [{obs.source}]"


def _status(inst: Instrument) -> str:
    return inst.level if inst.status is None and inst.level else (inst.status or "")
