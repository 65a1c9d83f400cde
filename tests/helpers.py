"""Helpers for tests: run the CLI as a user would, and build small valid records."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from benchmark.cli import app

ROOT = Path(__file__).resolve().parent.parent
# The data the suites read: the repository's own countries/, sources/ and rankings/, or a copy of them with
# more records and profiles (tests/test_open_data.py runs the suites on such a copy).
DATA = Path(os.environ.get("BENCHMARK_TEST_DATA") or ROOT)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = (FIXTURES / "KGZ.yaml").read_text(encoding="utf-8")


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli(*args: str, cwd: Path | None = None) -> Result:
    """Invoke the app in-process (fast); a raised exception fails the test rather than hiding."""
    old = Path.cwd()
    cwd = cwd or (DATA if DATA != ROOT else None)  # on a copy of the data, commands run inside it
    if cwd:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return Result(result.exit_code, result.stdout, result.stderr)


def cli_process(*args: str, cwd: Path = DATA, env: dict[str, str] | None = None) -> Result:
    """Run `python cli.py` in a real process, as a user does."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def bibliography(root: Path) -> Path:
    """Copy the shared bibliography (sources/) into `root`, beside its countries/ folder."""
    target = root / "sources"
    if not target.exists():
        shutil.copytree(DATA / "sources", target)
    return target


def write_records(folder: Path, **records: str) -> Path:
    """A countries/ folder holding the given records (code=text), with the shared bibliography beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    bibliography(folder.parent)
    for code, text in records.items():
        (folder / f"{code}.yaml").write_text(text, encoding="utf-8")
    return folder


def second_record(text: str = BASE, code: str = "UZB", en: str = "Uzbekistan") -> str:
    """A second valid record made from the base one (a different code and name, the code's memberships)."""
    from benchmark import registry

    groupings = f"groupings: [{', '.join(registry.memberships(code))}]"
    text = text.replace("groupings: [EAEU, CIS, Turkic states, OIC]", groupings)
    return text.replace("code: KGZ", f"code: {code}").replace(
        "names: {en: Kyrgyzstan, ru: Кыргызстан, kk: Қырғызстан}", f"names: {{en: {en}, ru: {en}, kk: {en}}}"
    )


def line_of(text: str, marker: str) -> int:
    """1-based line number of the first line containing `marker`."""
    for number, line in enumerate(text.splitlines(), 1):
        if marker in line:
            return number
    raise AssertionError(f"marker {marker!r} not in text")


def _country_profiles() -> tuple[str, ...]:
    """The built-in profiles that rank countries (not regions), read from rankings/ so a new one is included."""
    import yaml

    out = []
    for path in sorted((DATA / "rankings").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if (data.get("filters") or {}).get("level", "country") == "country":
            out.append(path.stem)
    return tuple(out)


COUNTRY_PROFILES = _country_profiles()
