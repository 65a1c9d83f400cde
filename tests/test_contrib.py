"""The researcher's commands: scaffold a record, and see what a change to the data does."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from helpers import BASE, cli, second_record, write_records

from benchmark import registry


def test_new_country_writes_a_valid_template_with_names_and_unknown_instruments(tmp_path: Path) -> None:
    result = cli("new-country", "arm", "--region", "South Caucasus", "--folder", str(tmp_path))
    assert result.code == 0, result.err
    text = (tmp_path / "ARM.yaml").read_text(encoding="utf-8")
    reference = text.splitlines()[0].removeprefix("# yaml-language-server: $schema=")
    assert reference.endswith("country.schema.json")
    assert (tmp_path / reference).is_file() or Path(reference.removeprefix("file://")).is_file(), reference
    assert 'names: {en: "Armenia", ru: "Армения", kk: "Армения"}' in text
    for key in registry.instruments():
        assert f"  {key}:" in text
    assert text.count('reason: "not yet researched') == len(registry.instruments())
    assert cli("validate", str(tmp_path / "ARM.yaml")).code == 0


def test_new_country_without_a_region_leaves_a_placeholder_that_validate_names(tmp_path: Path) -> None:
    assert cli("new-country", "ARM", "--folder", str(tmp_path)).code == 0
    result = cli("validate", str(tmp_path / "ARM.yaml"))
    assert result.code == 1
    assert "ARM.yaml:6:1: region: `CHOOSE ONE` is not allowed here" in result.out


def test_new_country_never_overwrites_and_refuses_unknown_codes(tmp_path: Path) -> None:
    (tmp_path / "KGZ.yaml").write_text(BASE)
    again = cli("new-country", "KGZ", "--folder", str(tmp_path))
    assert again.code == 1 and "already exists" in again.err
    assert (tmp_path / "KGZ.yaml").read_text() == BASE
    unknown = cli("new-country", "XYZ", "--folder", str(tmp_path))
    assert unknown.code == 1 and "`XYZ` is not an ISO 3166-1 alpha-3 country code" in unknown.err
    assert not (tmp_path / "XYZ.yaml").exists()


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_diff_between_two_commits_lists_added_changed_and_removed_facts(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_records(repo / "countries", KGZ=BASE, UZB=second_record())
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    changed = BASE.replace("  park_exports:\n    - value: 200", "  park_exports:\n    - value: 250")
    changed = changed.replace("  culture_pass: {status: absent,", "  culture_pass: {status: planned,")
    changed = changed.replace("  film_rebates: {status: absent,", "  film_rebates: {status: present,")
    (repo / "countries" / "KGZ.yaml").write_text(changed)
    (repo / "countries" / "UZB.yaml").unlink()
    (repo / "countries" / "TJK.yaml").write_text(second_record(code="TJK", en="Tajikistan"))
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "head")

    result = cli("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo)

    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["countries_added"] == ["TJK"] and data["countries_removed"] == ["UZB"]
    by_fact = {(c["country"], c["fact"]): c for c in data["changes"]}
    exports = by_fact[("KGZ", "park_exports 2025 observed, High Technology Park")]
    assert (exports["change"], exports["before"], exports["after"]) == (
        "changed",
        "200 million USD [ciaq-concept-2026]",
        "250 million USD [ciaq-concept-2026]",
    )
    assert by_fact[("KGZ", "culture_pass")]["after"] == "planned"
    assert {c["change"] for c in data["changes"] if c["country"] == "UZB"} == {"removed"}
    assert {c["change"] for c in data["changes"] if c["country"] == "TJK"} == {"added"}
    # Base: KGZ and UZB tie. Head: KGZ gains a film rebate; UZB is gone; TJK (as KGZ was) comes in second.
    moves = {m["country"]: m for m in data["rankings"]["instrument-matrix"]}
    assert moves == {
        "TJK": {"country": "TJK", "before": None, "after": 2, "change": None, "cause": "added", "indicators": []},
        "UZB": {"country": "UZB", "before": 1, "after": None, "change": None, "cause": "removed", "indicators": []},
    }
    markdown = cli("diff", "HEAD~1", "HEAD", cwd=repo).out
    assert "- **instrument-matrix**: TJK –→2 (added), UZB 1→– (removed)" in markdown
    assert markdown.startswith("## Data changes: HEAD~1 → HEAD")
    assert "| KGZ | changed | metric: park_exports 2025 observed, High Technology Park |" in markdown


def test_diff_of_an_unknown_revision_is_a_message(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    result = cli("diff", "no-such-revision", cwd=tmp_path)
    assert result.code == 1 and result.err.startswith("error: git ls-tree")
