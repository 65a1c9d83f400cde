"""The cache of parsed, checked record files: only changed files are read again, and a change of code or
registry starts afresh; the dataset-wide rules still see every record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import BASE, second_record, write_records

from benchmark.records import cache
from benchmark.records.validate import validate


@pytest.fixture
def reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the files actually parsed (not served from the cache), in a cache of the test's own."""
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    seen: list[str] = []
    real = cache.read

    def counting(path: Path, display: str | None = None):  # type: ignore[no-untyped-def]
        seen.append(path.name)
        return real(path, display)

    monkeypatch.setattr(cache, "read", counting)
    yield seen
    cache.fingerprint.cache_clear()


def test_an_unchanged_file_is_not_read_again_and_a_changed_one_is(tmp_path: Path, reads: list[str]) -> None:
    folder = write_records(tmp_path / "countries", KGZ=BASE, UZB=second_record())
    first, problems = validate([folder])
    assert not problems and sorted(reads) == ["KGZ.yaml", "UZB.yaml"]

    reads.clear()
    again, problems = validate([folder])
    assert not problems and reads == []
    assert [r.country for r in again] == [r.country for r in first]

    write_records(folder, UZB=second_record(en="Uzbekistan (edited)"))
    reads.clear()
    edited, problems = validate([folder])
    assert not problems and reads == ["UZB.yaml"]
    assert {r.country.code: r.country.names.en for r in edited}["UZB"] == "Uzbekistan (edited)"


def test_the_dataset_rules_still_see_the_cached_records(tmp_path: Path, reads: list[str]) -> None:
    folder = write_records(tmp_path / "countries", KGZ=BASE, UZB=second_record())
    validate([folder])
    # A second record with KGZ's code: a clash only the dataset-wide rules can see, between a cached
    # file and a new one.
    write_records(folder, UZB=second_record(code="KGZ", en="Kyrgyzstan again"))
    reads.clear()
    _, problems = validate([folder])
    assert reads == ["UZB.yaml"]
    assert any("KGZ.yaml" in p.file for p in problems) and any("UZB.yaml" in p.file for p in problems)


def test_cached_problems_are_the_same_as_fresh_ones(tmp_path: Path, reads: list[str]) -> None:
    folder = write_records(tmp_path / "countries", KGZ=BASE.replace("region:", "regoin:", 1))
    _, fresh = validate([folder])
    reads.clear()
    _, cached = validate([folder])
    assert fresh and reads == [] and cached == fresh


def test_a_change_of_code_or_registry_reads_everything_again(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    registry_file = tmp_path / "instruments.yaml"
    registry_file.write_text("- id: one\n", encoding="utf-8")
    real_files = cache.fingerprint_files()
    monkeypatch.setattr(cache, "fingerprint_files", lambda: [*real_files, registry_file])
    cache.fingerprint.cache_clear()
    folder = write_records(tmp_path / "countries", KGZ=BASE, UZB=second_record())
    validate([folder])
    old = cache.cache_folder()
    assert old is not None and old.is_dir()

    registry_file.write_text("- id: one\n- id: two\n", encoding="utf-8")
    cache.fingerprint.cache_clear()  # a new process would compute it afresh
    reads.clear()
    validate([folder])
    assert sorted(reads) == ["KGZ.yaml", "UZB.yaml"]
    assert not old.exists()  # entries of the old code are removed


def test_the_cache_can_be_turned_off(tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, "off")
    folder = write_records(tmp_path / "countries", KGZ=BASE)
    validate([folder])
    validate([folder])
    assert reads == ["KGZ.yaml", "KGZ.yaml"] and cache.cache_folder() is None
