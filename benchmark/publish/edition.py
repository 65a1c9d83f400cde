"""Editions of the data: a numbered, dated, tagged state of countries/, sources/ and rankings/ that a
ranking can cite and reproduce.

`release` checks that the tree is clean and the data valid, writes `edition.yaml` (version, date, the
data's commit, counts, what changed since the last edition), the version and date of CITATION.cff and a
section of the data changelog, commits them and tags the commit `edition-VERSION`. `checkout` writes the
data files of a tagged edition into a scratch folder (with `git show`, nothing is checked out), where the
normal pipeline ranks them.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

EDITION_FILE = "edition.yaml"
CITATION_FILE = "CITATION.cff"
CHANGELOG_FILE = "docs/CHANGELOG-data.md"
DATA_FOLDERS = ("countries", "sources", "rankings")
TAG_PREFIX = "edition-"
AUTHOR = "The creative-industries policy benchmark contributors"
TITLE = "Creative-industries policy benchmark"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
_VERSION = re.compile(r"^\d+(\.\d+){1,2}([.-]?[a-z0-9]+)?$")
_UNRELEASED = "## Unreleased"


class EditionError(Exception):
    """A release or an edition that cannot be made or found: the message says why and what to do."""


@dataclass
class Changes:
    """What the data's files gained, lost or changed between two revisions (from git's name-status)."""

    since: str | None
    countries_added: list[str] = field(default_factory=list)
    countries_removed: list[str] = field(default_factory=list)
    countries_changed: list[str] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_removed: list[str] = field(default_factory=list)
    profiles_added: list[str] = field(default_factory=list)
    profiles_changed: list[str] = field(default_factory=list)
    commits: list[str] = field(default_factory=list)  # "hash subject" of each commit that touched the data

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v or k == "since"}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise EditionError(f"git {' '.join(args[:2])}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def tag(version: str) -> str:
    return f"{TAG_PREFIX}{version}"


def last_edition(repo: Path, revision: str = "HEAD") -> str | None:
    """The tag of the newest edition reachable from `revision`, or None before the first."""
    done = subprocess.run(
        ["git", "-C", str(repo), "describe", "--tags", "--abbrev=0", "--match", f"{TAG_PREFIX}*", revision],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or None if done.returncode == 0 else None


def changes(repo: Path, since: str | None, until: str = "HEAD") -> Changes:
    """The data files added, removed and changed from `since` (None: the first commit) to `until`."""
    out = Changes(since)
    if since is None:
        listing = git(repo, "ls-tree", "-r", "--name-only", until, "--", *DATA_FOLDERS)
        status = [("A", name) for name in listing.splitlines()]
    else:
        listing = git(repo, "diff", "--name-status", "--no-renames", since, until, "--", *DATA_FOLDERS)
        status = [tuple(line.split("\t", 1)) for line in listing.splitlines() if "\t" in line]  # type: ignore[misc]
    for letter, name in status:
        path = Path(name)
        if path.suffix != ".yaml":
            continue
        folder, key = path.parts[0], path.stem
        kind = {"A": "added", "D": "removed"}.get(letter[0], "changed")
        target = {
            ("countries", "added"): out.countries_added,
            ("countries", "removed"): out.countries_removed,
            ("countries", "changed"): out.countries_changed,
            ("sources", "added"): out.sources_added,
            ("sources", "removed"): out.sources_removed,
            ("rankings", "added"): out.profiles_added,
            ("rankings", "changed"): out.profiles_changed,
        }.get((folder, kind))
        if target is not None:
            target.append(key)
    for key, names in out.__dict__.items():
        if isinstance(names, list) and key != "commits":
            names.sort()
    span = until if since is None else f"{since}..{until}"
    out.commits = git(repo, "log", "--reverse", "--format=%h %s", span, "--", *DATA_FOLDERS).splitlines()
    return out


def cite_as(version: str, day: date) -> str:
    return f"{AUTHOR} ({day.year}). {TITLE}, edition {version} ({day.isoformat()}). Data licensed CC BY 4.0."


def read_edition(root: Path = Path(".")) -> dict[str, Any] | None:
    """The edition the data at `root` belongs to (edition.yaml), or None when no edition was released."""
    path = root / EDITION_FILE
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def _counts(records: list[Any], repo: Path) -> dict[str, int]:
    levels = [getattr(r.country, "level", "country") for r in records]
    return {
        "countries": sum(level == "country" for level in levels),
        "regions": sum(level == "region" for level in levels),
        "sources": len(list((repo / "sources").glob("*.yaml"))),
        "profiles": len(list((repo / "rankings").glob("*.yaml"))),
    }


def _check_data(repo: Path) -> list[Any]:
    """The valid records of the tree; the problems of the data or of a profile stop the release."""
    from benchmark.problems import InvalidData
    from benchmark.records.validate import validate
    from benchmark.scoring.profiles import read_profile

    records, problems = validate([repo / "countries"])
    for path in sorted((repo / "rankings").glob("*.yaml")):
        problems += read_profile(path, f"rankings/{path.name}")[1]
    if problems:
        raise InvalidData(problems)
    return records


def _facts_changed(repo: Path, since: str | None, records: list[Any]) -> dict[str, int]:
    """How many facts the edition adds, changes and removes, counted as `diff` counts them."""
    from benchmark.publish.datadiff import diff, records_at

    before = records_at(since, repo) if since else []
    found = diff(before, records)
    return {kind: sum(c.kind == kind for c in found.changes) for kind in ("added", "changed", "removed")}


def release(repo: Path, version: str, day: date) -> dict[str, Any]:
    """Write, commit and tag edition `version`; return what edition.yaml holds. Nothing is written unless
    every check passes."""
    if not _VERSION.match(version):
        raise EditionError(f"`{version}` is not an edition number: expected one such as 1.0 or 2026.1 or 1.2.0")
    if not (repo / "countries").is_dir():
        raise EditionError(f"{repo} has no countries/ folder: run release at the top of the repository")
    root = Path(git(repo, "rev-parse", "--show-toplevel").strip())
    if root.resolve() != repo.resolve():
        raise EditionError(f"run release at the top of the repository ({root}), not in {repo}")
    if git(repo, "tag", "--list", tag(version)).strip():
        raise EditionError(f"edition {version} exists already (tag {tag(version)}); choose the next number")
    dirty = git(repo, "status", "--porcelain").splitlines()
    if dirty:
        shown = ", ".join(line[3:] for line in dirty[:5]) + (" …" if len(dirty) > 5 else "")
        raise EditionError(f"the tree has uncommitted changes ({shown}): commit or stash them, then release")
    records = _check_data(repo)
    since = last_edition(repo)
    what = changes(repo, since)
    edition = {
        "version": version,
        "date": day.isoformat(),
        "data_commit": git(repo, "rev-parse", "HEAD").strip(),
        "counts": _counts(records, repo),
        "changes": {**what.as_dict(), "facts": _facts_changed(repo, since, records)},
        "licence": LICENCE,
        "cite_as": cite_as(version, day),
    }
    (repo / EDITION_FILE).write_text(
        "# The edition this data belongs to, written by `python cli.py release`; do not edit by hand.\n"
        + yaml.safe_dump(edition, sort_keys=False, allow_unicode=True, width=110),
        encoding="utf-8",
    )
    _update_citation(repo / CITATION_FILE, version, day)
    _update_changelog(repo / CHANGELOG_FILE, changelog_section(f"## {version} ({day.isoformat()})", what, edition))
    git(repo, "add", EDITION_FILE, CITATION_FILE, CHANGELOG_FILE)
    git(repo, "commit", "-q", "-m", f"Edition {version} of the data ({day.isoformat()})")
    git(repo, "tag", "-a", tag(version), "-m", f"Edition {version} of the data ({day.isoformat()})")
    return edition


def _update_citation(path: Path, version: str, day: date) -> None:
    """Set `version` and `date-released`, keeping the rest of the file (and its comments) as written."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if not text:
        text = f'cff-version: 1.2.0\nmessage: "Please cite the edition you used."\ntitle: "{TITLE}"\n'
        text += f'type: dataset\nauthors:\n  - name: "{AUTHOR}"\nlicense:\n  - CC-BY-4.0\n  - MIT\n'
    for key, value in (("version", f'"{version}"'), ("date-released", f'"{day.isoformat()}"')):
        line = re.compile(rf"^{key}:.*$", re.MULTILINE)
        text = line.sub(f"{key}: {value}", text) if line.search(text) else text.rstrip("\n") + f"\n{key}: {value}\n"
    path.write_text(text, encoding="utf-8")


def changelog_section(heading: str, what: Changes, edition: dict[str, Any] | None = None) -> str:
    """A changelog section in words a reader of the data follows: what was added, removed and revised."""
    lines = [heading, ""]
    if edition:
        counts = edition["counts"]
        lines.append(
            f"{counts['countries']} countries, {counts['regions']} regions, {counts['sources']} shared sources, "
            f"{counts['profiles']} profiles; data commit `{edition['data_commit'][:12]}`."
        )
        facts = edition["changes"]["facts"]
        lines.append(f"Facts: {facts['added']} added, {facts['changed']} changed, {facts['removed']} removed.")
        lines.append("")
    lines.append(f"Since {'edition ' + what.since.removeprefix(TAG_PREFIX) if what.since else 'the first commit'}:")
    for label, names in (
        ("Countries and regions added", what.countries_added),
        ("Countries and regions removed", what.countries_removed),
        ("Countries and regions revised", what.countries_changed),
        ("Sources added to the bibliography", what.sources_added),
        ("Sources removed from the bibliography", what.sources_removed),
        ("Profiles added", what.profiles_added),
        ("Profiles revised", what.profiles_changed),
    ):
        if names:
            lines.append(f"- {label} ({len(names)}): {', '.join(names)}.")
    if lines[-1].endswith(":"):
        lines.append("- No change to the data.")
    if what.commits:
        lines += ["", "Commits that changed the data:"] + [
            f"- `{c.partition(' ')[0]}` {c.partition(' ')[2]}" for c in what.commits
        ]
    return "\n".join(lines) + "\n"


def _update_changelog(path: Path, section: str) -> None:
    """The new section replaces `## Unreleased` (written for the next edition), else goes above the others."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Data changelog\n\n"
    if _UNRELEASED in text:
        start = text.index(_UNRELEASED)
        following = text.find("\n## ", start + 1)
        text = text[:start] + section + ("\n" + text[following + 1 :] if following != -1 else "")
    else:
        first = text.find("\n## ")
        if first == -1:
            text = text.rstrip("\n") + "\n\n" + section
        else:
            text = text[: first + 1] + section + "\n" + text[first + 1 :]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def checkout(repo: Path, version: str) -> Iterator[Path]:
    """A scratch folder holding the data files (countries/, sources/, rankings/, edition.yaml) of edition
    `version` as tagged; removed when the block ends."""
    name = tag(version)
    if not git(repo, "tag", "--list", name).strip():
        known = [t.removeprefix(TAG_PREFIX) for t in git(repo, "tag", "--list", f"{TAG_PREFIX}*").split()]
        raise EditionError(f"no edition {version} in this repository (editions: {', '.join(known) or 'none yet'})")
    with tempfile.TemporaryDirectory(prefix=f"benchmark-{name}-") as tmp:
        listing = git(repo, "ls-tree", "-r", "--name-only", name, "--", *DATA_FOLDERS, EDITION_FILE)
        for file in listing.splitlines():
            target = Path(tmp) / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_show(repo, f"{name}:{file}"))
        yield Path(tmp)


def _show(repo: Path, spec: str) -> bytes:
    done = subprocess.run(["git", "-C", str(repo), "show", spec], capture_output=True)
    if done.returncode != 0:
        raise EditionError(f"git show {spec}: {done.stderr.decode(errors='replace').strip() or 'failed'}")
    return done.stdout


def registry_changed(repo: Path, version: str) -> bool:
    """Whether the registry (indicators, groupings, exchange rates) differs from the edition's: `rank
    --edition` ranks with the registry the code carries, and says so when it moved."""
    try:
        then = git(repo, "rev-parse", f"{tag(version)}:benchmark/registry").strip()
        now = git(repo, "rev-parse", "HEAD:benchmark/registry").strip()
    except EditionError:
        return False
    return then != now


@contextlib.contextmanager
def at_edition(repo: Path, version: str) -> Iterator[str]:
    """The URL of a scratch store loaded from edition `version`'s data, with the working folder moved into
    that edition's files for the block (so its rankings/ are the profiles looked up); both undone after."""
    import os

    from benchmark.problems import InvalidData
    from benchmark.store.freshness import load_and_mark

    with checkout(repo, version) as folder:
        before = Path.cwd()
        os.chdir(folder)
        try:
            url = f"sqlite:///{folder / 'store.sqlite'}"
            try:
                load_and_mark([Path("countries")], url, prune=True)
            except InvalidData as err:  # rules this version of the code applies and the edition's did not
                first = err.problems[0].text()
                raise EditionError(
                    f"edition {version}'s data does not validate with this version of the benchmark "
                    f"({len(err.problems)} problem(s), the first: {first}); rank it with the code of that "
                    f"edition: git checkout {tag(version)}"
                ) from None
            yield url
        finally:
            os.chdir(before)
