"""What a change to the data does: facts added, changed and removed between two revisions.

A revision is a git commit (its `countries/` folder is read with `git show`, nothing is checked out)
or, for the head side only, the working tree. The ranking movement under every profile is computed
by `benchmark.scoring` from the two sets of records.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from benchmark.problems import InvalidData, Problem
from benchmark.publish.diff_facts import Facts, facts
from benchmark.records.rule_frames import Record
from benchmark.records.validate import validate


class RevisionError(Exception):
    pass


@dataclass
class Change:
    country: str
    what: str  # "metric", "alternative", "instrument", "law", "body", "tax regime", "programme ...", "source"
    key: str
    before: str | None
    after: str | None
    note: str = ""  # what a reviewer should know beyond the values: an old value kept as an alternative

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
        old = facts(before[code]) if code in before else {}
        new = facts(after[code]) if code in after else {}
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                what, label = key
                change = Change(code, what, label, _shown(old.get(key)), _shown(new.get(key)))
                change.note = _kept(change, new)
                out.changes.append(change)
    return out


def _kept(change: Change, new: Facts) -> str:
    """For a changed value: whether the old reading is kept beside the new one as an alternative."""
    if change.what != "metric" or change.kind != "changed" or not change.before:
        return ""
    kept = [label for (what, label), (shown, _) in new.items() if what == "alternative" and shown == change.before]
    return "the old value is kept as an alternative" if any(k.startswith(f"{change.key} ← ") for k in kept) else ""


def _shown(entry: tuple[str, str] | None) -> str | None:
    return None if entry is None else entry[0]
