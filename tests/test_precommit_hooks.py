"""The pre-commit hooks catch what validating the whole dataset catches: a commit that changes one country
file is checked against every other file, and a commit that changes only the bibliography is checked
against every record. Each hook is run as pre-commit runs it (its entry, and the staged files its pattern
matches), on records the test owns."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from helpers import BASE, ROOT, second_record, write_records

LOCAL_SOURCE = "sources:\n  test-local-2024:\n    publisher: {publisher}\n    title: A local release\n    year: 2024\n"


def _hooks() -> list[dict]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def _commit(root: Path, staged: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Every hook whose pattern matches a staged file, run as pre-commit would run it in `root`."""
    shutil.copy(ROOT / "cli.py", root / "cli.py")
    runs = []
    for hook in _hooks():
        matched = [name for name in staged if re.search(hook["files"], name)]
        if not matched:
            continue
        command = hook["entry"].split()
        command = [sys.executable if command[0] == "python" else command[0], *command[1:]]
        runs.append(
            subprocess.run(
                command + (matched if hook.get("pass_filenames", True) else []),
                cwd=root,
                capture_output=True,
                text=True,
            )
        )
    return runs


def _with_local_source(text: str, publisher: str) -> str:
    return text.replace("\nmetrics:\n", "\n" + LOCAL_SOURCE.format(publisher=publisher) + "\nmetrics:\n", 1)


def test_a_commit_of_one_country_file_is_checked_against_the_others(tmp_path: Path) -> None:
    kgz = _with_local_source(BASE, "Office A")
    uzb = _with_local_source(second_record(), "Office B")  # the same id, another publication
    write_records(tmp_path / "countries", KGZ=kgz, UZB=uzb)
    runs = _commit(tmp_path, ["countries/UZB.yaml"])
    assert [r.returncode for r in runs] == [1]
    assert "source `test-local-2024` is also defined in countries/KGZ.yaml" in runs[0].stdout
    assert "publisher" in runs[0].stdout  # the fields that differ are named


def test_a_commit_of_the_bibliography_alone_is_checked_against_every_record(tmp_path: Path) -> None:
    write_records(tmp_path / "countries", KGZ=_with_local_source(BASE, "Office A"), UZB=second_record())
    added = tmp_path / "sources" / "test-local-2024.yaml"  # now shared, while KGZ still defines it itself
    added.write_text("publisher: Office A\ntitle: A local release\nyear: 2024\n", encoding="utf-8")
    runs = _commit(tmp_path, ["sources/test-local-2024.yaml"])
    assert [r.returncode for r in runs] == [1]
    assert "countries/KGZ.yaml:" in runs[0].stdout and "defined in the shared bibliography" in runs[0].stdout
    added.unlink()
    assert all(r.returncode == 0 for r in _commit(tmp_path, ["sources/" + next((tmp_path / "sources").iterdir()).name]))
