"""Editions: `release` writes, commits and tags an edition of a throw-away repository's data, and `rank
--edition` ranks the data as that edition had it, after the files have moved on."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import BASE, ROOT, cli, second_record, write_records

PROFILE = """title: {en: Two instruments, ru: Два инструмента, kk: Екі құрал}
rationale: {en: A test profile., ru: Тестовый профиль., kk: Сынақ профилі.}
indicators:
  - {id: film_rebates, weight: 1}
  - {id: culture_pass, weight: 1}
"""
GIT = ("-c", "user.name=Test", "-c", "user.email=test@example.org")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *GIT, *args], check=True, capture_output=True, text=True).stdout


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", message)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository of two records, the bibliography, one profile, the citation file and the changelog."""
    for who in ("AUTHOR", "COMMITTER"):  # release commits: give it an identity whatever git's config says
        monkeypatch.setenv(f"GIT_{who}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "test@example.org")
    root = tmp_path / "repo"
    write_records(root / "countries", KGZ=BASE, UZB=second_record())
    (root / "rankings").mkdir()
    (root / "rankings" / "two.yaml").write_text(PROFILE, encoding="utf-8")
    (root / "CITATION.cff").write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "CHANGELOG-data.md").write_text("# Data changelog\n\n## Unreleased\n\nSoon.\n", encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _commit(root, "data")
    return root


def _rank(repo: Path, store: Path, *extra: str) -> dict:
    result = cli(
        "rank", "--profile", "two", "--format", "json", "--database-url", f"sqlite:///{store}", *extra, cwd=repo
    )
    assert result.code == 0, result.err
    return json.loads(result.out)


def _uptake(text: str) -> str:
    """KGZ with a film rebate and a culture pass: it moves to the top of the two-instrument profile."""
    text = text.replace("  film_rebates: {status: absent,", "  film_rebates: {status: present,")
    return text.replace("  culture_pass: {status: absent,", "  culture_pass: {status: present,")


def test_release_writes_the_edition_the_citation_and_the_changelog_and_tags_it(repo: Path) -> None:
    data_commit = _git(repo, "rev-parse", "HEAD").strip()
    result = cli("release", "1.0", "--date", "2026-12-01", cwd=repo)
    assert result.code == 0, result.err
    assert "cite as:" in result.out

    edition = yaml.safe_load((repo / "edition.yaml").read_text(encoding="utf-8"))
    assert edition["version"] == "1.0" and edition["date"] == "2026-12-01"
    assert edition["data_commit"] == data_commit
    assert edition["counts"]["countries"] == 2 and edition["counts"]["profiles"] == 1
    assert edition["counts"]["sources"] == len(list((repo / "sources").glob("*.yaml")))
    assert edition["changes"]["countries_added"] == ["KGZ", "UZB"]
    assert edition["changes"]["since"] is None
    assert edition["licence"]["name"] == "CC-BY-4.0"
    assert "edition 1.0 (2026-12-01)" in edition["cite_as"]

    citation = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == "1.0" and str(citation["date-released"]) == "2026-12-01"
    assert citation["cff-version"] == "1.2.0" and citation["authors"]

    changelog = (repo / "docs" / "CHANGELOG-data.md").read_text(encoding="utf-8")
    assert "## Unreleased" not in changelog and "## 1.0 (2026-12-01)" in changelog
    assert "Countries and regions added (2): KGZ, UZB." in changelog

    assert _git(repo, "tag", "--list", "edition-1.0").strip() == "edition-1.0"
    assert _git(repo, "status", "--porcelain") == ""  # the edition's files were committed with the tag
    assert _git(repo, "show", "edition-1.0:edition.yaml") == (repo / "edition.yaml").read_text(encoding="utf-8")


def test_rank_edition_gives_the_released_ranking_after_the_data_changes(repo: Path, tmp_path: Path) -> None:
    assert cli("release", "1.0", "--date", "2026-12-01", cwd=repo).code == 0
    released = _rank(repo, tmp_path / "store.sqlite")

    kgz = repo / "countries" / "KGZ.yaml"
    kgz.write_text(_uptake(kgz.read_text(encoding="utf-8")), encoding="utf-8")
    _commit(repo, "KGZ: a film rebate and a culture pass")
    today = _rank(repo, tmp_path / "store.sqlite")
    assert today != released  # the change moved the ranking

    assert _rank(repo, tmp_path / "store.sqlite", "--edition", "1.0") == released
    # and from a clean clone, which has the tags and nothing else of this working tree
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True, capture_output=True)
    assert _rank(clone, tmp_path / "clone.sqlite", "--edition", "1.0") == released

    second = cli("release", "1.1", "--date", "2026-12-02", cwd=repo)
    assert second.code == 0, second.err
    edition = yaml.safe_load((repo / "edition.yaml").read_text(encoding="utf-8"))
    assert edition["changes"]["since"] == "edition-1.0"
    assert edition["changes"]["countries_changed"] == ["KGZ"]
    assert edition["changes"]["facts"] == {"added": 0, "changed": 2, "removed": 0}
    changelog = (repo / "docs" / "CHANGELOG-data.md").read_text(encoding="utf-8")
    assert changelog.index("## 1.1 (2026-12-02)") < changelog.index("## 1.0 (2026-12-01)")
    assert "Since edition 1.0:" in changelog and "Countries and regions revised (1): KGZ." in changelog


def test_release_refuses_a_dirty_tree_invalid_data_and_a_used_number(repo: Path) -> None:
    (repo / "countries" / "TJK.yaml").write_text(second_record(code="TJK", en="Tajikistan"), encoding="utf-8")
    dirty = cli("release", "1.0", cwd=repo)
    assert dirty.code == 1 and "uncommitted changes (countries/TJK.yaml)" in dirty.err

    kgz = repo / "countries" / "KGZ.yaml"
    (repo / "countries" / "TJK.yaml").unlink()
    kgz.write_text(BASE.replace("  film_rebates: {status: absent,", "  film_rebates: {status: sometimes,"))
    _commit(repo, "a mistake")
    invalid = cli("release", "1.0", cwd=repo)
    assert invalid.code == 1 and "countries/KGZ.yaml:" in invalid.out and "film_rebates" in invalid.out
    assert not (repo / "edition.yaml").exists() and not _git(repo, "tag", "--list").strip()
    assert _git(repo, "status", "--porcelain") == ""  # nothing was written

    kgz.write_text(BASE)
    _commit(repo, "fixed")
    assert cli("release", "1.0", cwd=repo).code == 0
    again = cli("release", "1.0", cwd=repo)
    assert again.code == 1 and "edition 1.0 exists already" in again.err
    wrong = cli("release", "first", cwd=repo)
    assert wrong.code == 1 and "not an edition number" in wrong.err


def test_rank_edition_of_an_unknown_edition_names_the_known_ones(repo: Path, tmp_path: Path) -> None:
    assert cli("release", "1.0", "--date", "2026-12-01", cwd=repo).code == 0
    result = cli(
        "rank", "--profile", "two", "--edition", "9.9", "--database-url", f"sqlite:///{tmp_path / 's'}", cwd=repo
    )
    assert result.code == 1
    assert "no edition 9.9 in this repository (editions: 1.0)" in result.err


def test_the_site_and_the_data_package_carry_the_edition_and_its_cite_as_line(repo: Path, tmp_path: Path) -> None:
    assert cli("release", "1.0", "--date", "2026-12-01", cwd=repo).code == 0
    cite_as = yaml.safe_load((repo / "edition.yaml").read_text(encoding="utf-8"))["cite_as"]
    store = f"sqlite:///{tmp_path / 'store.sqlite'}"
    exported = cli("export", "--output", str(tmp_path / "export"), "--database-url", store, cwd=repo)
    assert exported.code == 0, exported.err
    package = json.loads((tmp_path / "export" / "datapackage.json").read_text(encoding="utf-8"))
    assert (package["version"], package["citation"]) == ("1.0", cite_as)
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    built = cli("build", "--output", str(tmp_path / "site"), "--database-url", store, cwd=repo)
    assert built.code == 0, built.err
    for lang in ("en", "ru", "kk"):
        page = (tmp_path / "site" / lang / "contribute.html").read_text(encoding="utf-8")
        assert cite_as in page and "1.0" in page


def test_an_edition_that_todays_rules_refuse_is_a_message_naming_the_edition(repo: Path, tmp_path: Path) -> None:
    assert cli("release", "1.0", "--date", "2026-12-01", cwd=repo).code == 0
    # Rewrite the tagged data as a stricter future would read it: a record the current rules refuse.
    bad = BASE.replace("  film_rebates: {status: absent,", "  film_rebates: {status: sometimes,")
    (repo / "countries" / "KGZ.yaml").write_text(bad, encoding="utf-8")
    _commit(repo, "a record today's rules refuse")
    _git(repo, "tag", "-f", "-a", "edition-1.0", "-m", "moved for the test")
    result = cli(
        "rank", "--profile", "two", "--edition", "1.0", "--database-url", f"sqlite:///{tmp_path / 's'}", cwd=repo
    )
    assert result.code == 1
    assert "edition 1.0's data does not validate with this version of the benchmark" in result.err
    assert "countries/KGZ.yaml:" in result.err and "git checkout edition-1.0" in result.err
