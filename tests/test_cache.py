"""The cache of parsed, checked record files: only changed files are read again, and a change of code or
registry starts afresh; the dataset-wide rules still see every record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import BASE, second_record, write_records

from benchmark.records import cache, rule_frames
from benchmark.records.rule_frames import Record
from benchmark.records.validate import validate
from benchmark.store import record_rows
from benchmark.store.load import dump_tables, load


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


def _own_source(title: str) -> str:
    return f"sources:\n  own-report:\n    publisher: A ministry\n    title: {title}\n    year: 2024\n"


def test_a_source_defined_in_a_cached_file_and_in_a_changed_one_is_still_reported(
    tmp_path: Path, reads: list[str]
) -> None:
    folder = write_records(tmp_path / "countries", KGZ=BASE + _own_source("Report"), UZB=second_record())
    _, problems = validate([folder])
    assert not problems
    write_records(folder, UZB=second_record() + _own_source("Another report"))
    reads.clear()
    _, problems = validate([folder])
    assert reads == ["UZB.yaml"]  # KGZ's rows come from the cache, and the rule still compares both
    clashes = [p for p in problems if p.code == "local-source-is-defined-once"]
    assert sorted(Path(p.file).name for p in clashes) == ["KGZ.yaml", "UZB.yaml"]
    assert all("title" in p.message for p in clashes)


def test_a_changed_file_has_its_rows_replaced(tmp_path: Path, reads: list[str]) -> None:
    folder = write_records(tmp_path / "countries", KGZ=BASE, UZB=second_record())
    records, _ = validate([folder])
    write_records(folder, UZB=second_record(code="TJK", en="Tajikistan"))
    reads.clear()
    edited, _ = validate([folder])
    assert reads == ["UZB.yaml"]
    codes = rule_frames.frames(edited, {})["countries"]["code"].to_list()
    assert sorted(codes) == ["KGZ", "TJK"]
    assert sorted(r.facts.code for r in edited) == ["KGZ", "TJK"]
    assert {r.facts.digest for r in edited} != {r.facts.digest for r in records}


def test_frames_from_the_cache_are_those_built_from_the_models(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_records(tmp_path / "countries", KGZ=BASE + _own_source("Report"), UZB=second_record())
    validate([folder])
    cached, _ = validate([folder])
    from_cache = rule_frames.frames(cached, {})
    monkeypatch.setenv(cache.ENV, "off")
    fresh, _ = validate([folder])
    from_models = rule_frames.frames(
        [Record(r.doc, r.country, r.stem) for r in fresh], {}
    )  # rows computed from the models, as with no cache
    assert from_cache.keys() == from_models.keys()
    for name, frame in from_models.items():
        assert from_cache[name].equals(frame), name


def test_an_unchanged_record_is_loaded_without_building_its_model(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_records(tmp_path / "countries", KGZ=BASE, UZB=second_record())
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    records, _ = validate([folder])
    load(records, url)
    unpickled: list[Path | None] = []
    real = cache._read_parsed

    def counting(entry: Path | None) -> cache.Parsed | None:
        unpickled.append(entry)
        return real(entry)

    monkeypatch.setattr(cache, "_read_parsed", counting)
    write_records(folder, UZB=second_record(en="Uzbekistan (edited)"))
    records, problems = validate([folder])
    report = load(records, url)
    assert not problems and report.changed == ["UZB"] and report.unchanged == ["KGZ"]
    assert unpickled == []  # KGZ: its hash and rows came from the cache; UZB was parsed afresh
    assert dump_tables(url) == _fresh_dump(tmp_path, folder)


def test_a_fresh_store_from_a_warm_cache_builds_no_model_and_no_rows(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_records(tmp_path / "countries", KGZ=BASE + _own_source("Report"), UZB=second_record())
    validate([folder])  # the cache is warm
    reads.clear()
    unpickled: list[Path | None] = []
    real = cache._read_parsed

    def counting(entry: Path | None) -> cache.Parsed | None:
        unpickled.append(entry)
        return real(entry)

    def no_rows(*args: object) -> None:
        raise AssertionError("a cached record's rows were built again")

    monkeypatch.setattr(cache, "_read_parsed", counting)
    monkeypatch.setattr(record_rows, "record_rows", no_rows)
    records, problems = validate([folder])
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    report = load(records, url)
    assert not problems and reads == [] and report.added == ["KGZ", "UZB"]
    assert unpickled == []  # the store's rows came from the cache entries, beside the rule rows
    monkeypatch.undo()
    assert dump_tables(url) == _fresh_dump(tmp_path, folder)


def test_store_rows_from_the_cache_are_those_built_from_the_models(tmp_path: Path, reads: list[str]) -> None:
    folder = write_records(tmp_path / "countries", KGZ=BASE + _own_source("Report"), UZB=second_record())
    validate([folder])
    cached, _ = validate([folder])
    assert reads == ["KGZ.yaml", "UZB.yaml"]  # the second validation read nothing
    for rec in cached:
        built = record_rows.record_rows(rec.country, rec.file, rec.facts.digest)
        assert rec.store_rows() == built, rec.code
        assert built.tables["country"][0][0] == rec.code and built.sources.keys() == rec.country.sources.keys()


def _fresh_dump(tmp_path: Path, folder: Path) -> dict[str, list[tuple]]:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    records, _ = validate([folder])
    load(records, url)
    return dump_tables(url)


def test_a_change_of_code_or_registry_recomputes_the_rows(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    registry_file = tmp_path / "metrics.yaml"
    registry_file.write_text("- id: one\n", encoding="utf-8")
    real_files = cache.fingerprint_files()
    monkeypatch.setattr(cache, "fingerprint_files", lambda: [*real_files, registry_file])
    cache.fingerprint.cache_clear()
    folder = write_records(tmp_path / "countries", KGZ=BASE)
    validate([folder])
    computed: list[str] = []
    real = rule_frames.facts_of

    def counting(rec: Record) -> rule_frames.Facts:
        computed.append(rec.stem)
        return real(rec)

    monkeypatch.setattr(rule_frames, "facts_of", counting)
    validate([folder])
    assert computed == []  # same code: the rows come from the cache
    registry_file.write_text("- id: one\n- id: two\n", encoding="utf-8")
    cache.fingerprint.cache_clear()
    validate([folder])
    assert computed == ["KGZ"]
