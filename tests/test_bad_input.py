"""Every kind of bad input gets a clear message naming file, line and field, exit 1, and a store
that holds exactly what it held before."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import BASE, cli, line_of, second_record, write_records

from benchmark.store.load import dump_tables


@dataclass
class Case:
    name: str
    text: str | bytes
    line: int
    field: str
    message: str
    file: str = "KGZ.yaml"


def _swap(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


LAUGHS = "code: KGZ\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)

# A record-local source, for the cases about source definitions (the fixture cites the shared bibliography).
LOCAL = "sources:\n  test-source:\n    publisher: A test publisher\n    title: A test title\n    year: 2026\n"


def _with_local_source(extra: str) -> str:
    return _swap("\ncaveats:", "\n" + LOCAL.replace("    year: 2026\n", extra) + "\ncaveats:")


SOURCE_LINE = '      source: ciaq-concept-2026\n      at: "§3.9"\n      note: "«около 1%'

CASES = [
    Case(
        "malformed-yaml",
        _swap("region: Central Asia", "region: [Central Asia"),
        line_of(BASE, "groupings:"),
        "",
        "YAML syntax",
    ),
    Case(
        "tab",
        _swap("region: Central Asia", "region:\n\tCentral Asia"),
        line_of(BASE, "region:") + 1,
        "",
        "tab character",
    ),
    Case(
        "duplicate-key",
        _swap("region: Central Asia", "region: Central Asia\nregion: Europe"),
        line_of(BASE, "region:") + 1,
        "region",
        "duplicate key `region` (first given on line",
    ),
    Case("empty-file", "", 1, "", "file is empty"),
    Case(
        "list-for-mapping",
        _swap("names: {en: Kyrgyzstan, ru: Кыргызстан, kk: Қырғызстан}", "names: [Kyrgyzstan, Кыргызстан]"),
        line_of(BASE, "names:"),
        "names",
        "expected a mapping",
    ),
    Case(
        "not-utf8",
        _swap("region: Central Asia", "region: Central Asia\n# caf\udce9").encode("utf-8", "surrogateescape"),
        line_of(BASE, "region:") + 1,
        "",
        "is not valid UTF-8",
    ),
    Case("alias-bomb", LAUGHS, 3, "b[0]", "aliases"),
    Case(
        "python-tag",
        _swap("region: Central Asia", 'region: !!python/object/apply:os.system ["touch /tmp/benchmark-pwned"]'),
        line_of(BASE, "region:"),
        "region",
        "tag `tag:yaml.org,2002:python/object/apply:os.system` is not allowed",
    ),
    Case(
        "unknown-key",
        _swap("region: Central Asia", "regoin: Central Asia"),
        line_of(BASE, "region:"),
        "regoin",
        "unknown field `regoin`; did you mean `region`?",
    ),
    Case(
        "missing-source",
        _swap(SOURCE_LINE, '      at: "§3.9"\n      note: "«около 1%'),
        line_of(BASE, "ci_gdp_share:") + 1,
        "metrics.ci_gdp_share[0]",
        "missing `source`",
    ),
    Case(
        "year-3020",
        _swap("      year: 2025\n      kind: estimate", "      year: 3020\n      kind: estimate"),
        line_of(BASE, "ci_gdp_share:") + 4,
        "metrics.ci_gdp_share[0].year",
        "year 3020 is not plausible",
    ),
    Case(
        "share-140",
        _swap("  ci_gdp_share:\n    - value: 1", "  ci_gdp_share:\n    - value: 140"),
        line_of(BASE, "ci_gdp_share:") + 1,
        "metrics.ci_gdp_share[0].value",
        "a share of 140 is outside 0-100",
    ),
    Case(
        "negative-exports",
        _swap("  park_exports:\n    - value: 200", "  park_exports:\n    - value: -200"),
        line_of(BASE, "park_exports:") + 1,
        "metrics.park_exports[0].value",
        "park_exports of -200 is negative",
    ),
    Case(
        "unknown-currency",
        _swap("      unit: KGS", "      unit: KGX"),
        line_of(BASE, "unit: KGS"),
        "metrics.park_revenue[0].unit",
        "`KGX` is not an ISO 4217 currency code",
    ),
    Case(
        "javascript-url",
        _with_local_source('    year: 2026\n    url: "javascript:alert(1)"\n'),
        line_of(BASE, "caveats:") + 5,
        "sources.test-source.url",
        "the link `javascript:alert(1)` is not an http or https address",
    ),
    Case(
        "name-and-code-disagree",
        BASE,
        1 + line_of(BASE, "code: KGZ") - 1,
        "code",
        "the file is named `KAZ.yaml` but its code is `KGZ`",
        file="KAZ.yaml",
    ),
    Case("same-country-twice", BASE, line_of(BASE, "code: KGZ"), "code", "`KGZ` is given twice", file="KGZ2.yaml"),
    Case(
        "unknown-country-code",
        second_record(code="ZZZ", en="Nowhere"),
        line_of(BASE, "code: KGZ"),
        "code",
        "`ZZZ` is not an ISO 3166-1 alpha-3 country code",
        file="ZZZ.yaml",
    ),
    Case(
        "hostile-string",
        _swap("region: Central Asia", 'region: "Central Asia\\e[2J\\u202e"'),
        line_of(BASE, "region:"),
        "region",
        "control character U+001B in text",
    ),
    # YAML 1.2 strict scalars: no octal, base 60, hex or yes-as-true; no infinite or undefined number.
    *(
        Case(
            f"number-{name}",
            _swap("  ci_gdp_share:\n    - value: 1\n", f"  ci_gdp_share:\n    - value: {written}\n"),
            line_of(BASE, "ci_gdp_share:") + 1,
            "metrics.ci_gdp_share[0].value",
            message,
        )
        for name, written, message in (
            ("base-60", "1:30", "expected a number"),
            ("hex", "0x1F", "expected a number"),
            ("yes", "yes", "expected a number"),
            ("nan", ".nan", "`.nan` is not a finite number"),
            ("inf", ".inf", "`.inf` is not a finite number"),
            ("huge", "1e308", "the number `1e308` is too large"),
            ("overflow", "1e400", "the number `1e400` is too large"),
        )
    ),
    Case(
        "money-inf",
        _swap("  park_revenue:\n    - value: 915", "  park_revenue:\n    - value: -.inf"),
        line_of(BASE, "park_revenue:") + 1,
        "metrics.park_revenue[0].value",
        "`-.inf` is not a finite number",
    ),
    Case(
        "nested-500-deep",
        _swap("region: Central Asia", "region: " + "[" * 500 + "]" * 500),
        line_of(BASE, "region:"),
        "",
        "nested more than 32 levels deep",
    ),
    Case(
        "nested-2000-deep",
        _swap("region: Central Asia", "region: " + "[" * 2000 + "]" * 2000),
        line_of(BASE, "region:"),
        "",
        "nested more than 32 levels deep",
    ),
    Case(
        "100000-groupings",
        _swap("groupings: [EAEU, CIS, Turkic states, OIC]", "groupings: [" + "EAEU, " * 100_000 + "CIS]"),
        line_of(BASE, "groupings:"),
        "groupings",
        "100,001 entries; at most 10,000 are allowed in one place",
    ),
    Case(
        "long-text",
        _swap("region: Central Asia", "region: " + "x" * 20_001),
        line_of(BASE, "region:"),
        "region",
        "text of 20,001 characters",
    ),
    Case(
        "newline-in-key",
        _swap("region: Central Asia", 'region: Central Asia\n"x\\npwned fake.yaml:1:1": 1'),
        line_of(BASE, "region:") + 1,
        "",
        "a key holds control character U+000A",
    ),
    Case(
        "accessed-in-the-future",
        _with_local_source("    year: 2026\n    accessed: 2999-12-31\n"),
        line_of(BASE, "caveats:") + 5,
        "sources.test-source.accessed",
        "`accessed: 2999-12-31` is in the future",
    ),
    Case(
        "region-without-its-country",
        BASE.replace("code: KGZ", "code: TJ-DU\nlevel: region\nparent: TJK").replace(
            "groupings: [EAEU, CIS, Turkic states, OIC]\n", ""
        ),
        line_of(BASE, "code: KGZ"),
        "code",
        "region `TJ-DU` belongs to `TJK`, which has no record",
        file="TJK/regions/TJ-DU.yaml",
    ),
    Case(
        "wrong-type",
        _with_local_source("    year: twenty\n"),
        line_of(BASE, "caveats:") + 4,
        "sources.test-source.year",
        "expected a year as a whole number",
    ),
]


@pytest.fixture
def loaded(tmp_path: Path, store_url: str) -> tuple[Path, str, dict]:
    """A data folder with two valid records, loaded; and a snapshot of every table."""
    folder = write_records(tmp_path / "countries", KGZ=BASE, UZB=second_record())
    result = cli("load", str(folder), "--database-url", store_url)
    assert result.code == 0, result.err + result.out
    return folder, store_url, dump_tables(store_url)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_and_changes_nothing(case: Case, loaded: tuple[Path, str, dict]) -> None:
    folder, url, before = loaded
    target = folder / case.file
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(case.text, bytes):
        target.write_bytes(case.text)
    else:
        target.write_text(case.text, encoding="utf-8")

    result = cli("load", str(folder), "--database-url", url)

    assert result.code == 1, result.out + result.err
    expected_prefix = f"{target}:{case.line}:"
    lines = [ln for ln in result.out.splitlines() if ln.startswith(expected_prefix)]
    assert lines, f"no problem at {expected_prefix} in:\n{result.out}"
    assert any(case.message in ln and (f" {case.field}: " in ln if case.field else True) for ln in lines), (
        f"expected field {case.field!r} and {case.message!r} in:\n{result.out}"
    )
    assert "Traceback" not in result.out + result.err
    assert "nothing was loaded, the store is unchanged" in result.err
    assert dump_tables(url) == before


def test_python_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    bad = tmp_path / "KGZ.yaml"
    bad.write_text(_swap("region: Central Asia", f'region: !!python/object/apply:os.system ["touch {marker}"]'))
    assert cli("validate", str(bad)).code == 1
    assert not marker.exists()


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "KGZ.yaml"
    with big.open("w") as f:
        f.write(BASE)
        f.write("caveats:\n")
        line = '  - {text: "' + "x" * 1000 + '", source: ciaq-concept-2026}\n'
        f.write(line * 30_000)  # about 30 MB
    result = cli("validate", str(big))
    assert result.code == 1
    assert re.match(rf"{re.escape(str(big))}:1:1: file is 3\d\.\d MB; a record may be at most 2 MB", result.out)


def test_all_problems_are_reported_at_once_sorted_by_file_and_line(tmp_path: Path) -> None:
    text = (
        _swap("region: Central Asia", "regoin: Central Asia")
        .replace("  park_exports:\n    - value: 200", "  park_exports:\n    - value: -200")
        .replace("      unit: KGS", "      unit: KGX")
    )
    (tmp_path / "KGZ.yaml").write_text(text)
    (tmp_path / "ZZZ.yaml").write_text("")
    result = cli("validate", str(tmp_path))
    found = [ln for ln in result.out.splitlines() if ln]
    assert result.code == 1
    for expected in (
        "unknown field `regoin`",
        "missing required field `region`",
        "park_exports of -200 is negative",
        "`KGX` is not an ISO 4217 currency code",
        "ZZZ.yaml:1:1: file is empty",
    ):
        assert sum(expected in ln for ln in found) == 1, f"{expected!r} not reported once in:\n{result.out}"
    assert len(found) == 5, result.out
    positions = [(ln.split(":")[0], int(ln.split(":")[1])) for ln in found]
    assert positions == sorted(positions)


def test_rule_problems_after_a_dropped_entry_keep_their_own_lines(tmp_path: Path) -> None:
    # The first park_residents entry is broken (layer 1), the second breaks a rule (layer 2): the
    # rule problem must still be reported at the second entry's own line.
    text = _swap(
        "      part: Creative Industries Park\n      source: ciaq-concept-2026",
        "      part: Creative Industries Park\n      colour: red\n      source: ciaq-concept-2026",
    )
    text = text.replace("    - value: 500\n", "    - value: -500\n", 1)
    (tmp_path / "KGZ.yaml").write_text(text)
    result = cli("validate", str(tmp_path))
    assert f"KGZ.yaml:{line_of(text, 'colour: red')}:7: metrics.park_residents[0].colour: unknown field" in result.out
    negative = line_of(text, "value: -500")
    assert f"KGZ.yaml:{negative}:7: metrics.park_residents[1].value: park_residents of -500 is negative" in result.out


def test_scalars_are_read_as_yaml_1_2_writes_them(tmp_path: Path) -> None:
    from benchmark.records.read import read

    file = tmp_path / "x.yaml"
    file.write_text("a: 010\nb: 1:30\nc: yes\nd: off\ne: 0x1F\nf: 1e3\ng: true\non: 2025-03-01\n")
    doc, problems = read(file)
    assert problems == [] and doc is not None
    assert doc.data == {"a": 10, "b": "1:30", "c": "yes", "d": "off", "e": "0x1F", "f": 1000.0, "g": True} | {
        "on": dt.date(2025, 3, 1)
    }


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_quoted_newline_cannot_forge_another_files_problem(tmp_path: Path, fmt: str) -> None:
    forged = "fake.yaml:1:1: pwned"
    text = _swap("region: Central Asia", f'region: "Central Asia\\n{forged}\\n::error file=fake.yaml::pwned"')
    key = second_record().replace("\nregion:", f'\n"x\\n{forged}": 1\nregion:', 1)
    folder = write_records(tmp_path / "countries", KGZ=text, UZB=key)
    result = cli("validate", str(folder), "--format", fmt)
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 2, result.out  # one line a problem: KGZ's region, UZB's key
    assert [str(folder / "KGZ.yaml") in lines[0], str(folder / "UZB.yaml") in lines[1]] == [True, True], result.out
    assert all(not ln.startswith(("fake.yaml", "::error file=fake")) for ln in lines), result.out
    assert "Central Asia\\nfake.yaml:1:1: pwned" in result.out


SECRET = "region: the secret value of a file outside the repository"


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_link_is_refused_by_name_and_never_read(tmp_path: Path, kind: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ABW.yaml").write_text(SECRET)
    folder = write_records(tmp_path / "countries", KGZ=BASE)
    link = folder / ("ABW.yaml" if kind == "file" else "ABW")
    link.symlink_to(outside / "ABW.yaml" if kind == "file" else outside)
    for asked in (folder, link):
        result = cli("validate", str(asked))
        assert result.code == 1, result.out + result.err
        assert f"{link}:1:1: the file is a symbolic link; it was not read" in result.out, result.out
        assert "secret" not in result.out + result.err


def test_a_special_file_and_a_yml_file_are_reported_not_skipped(tmp_path: Path) -> None:
    import os

    folder = write_records(tmp_path / "countries", KGZ=BASE)
    os.mkfifo(folder / "FIF.yaml")  # reading it would wait for ever
    (folder / "UZB.yml").write_text(second_record(), encoding="utf-8")
    result = cli("validate", str(folder))
    assert result.code == 1
    assert f"{folder / 'FIF.yaml'}:1:1: the file is not a regular file; it was not read" in result.out
    assert f"{folder / 'UZB.yml'}:1:1: a record must end in .yaml; this file was not read" in result.out
    assert "UZB.yaml" in result.out  # the hint names the file to rename it to


PROFILE = """\
title: {en: Test, ru: Тест}
rationale: {en: Why, ru: Почему}
as_of: 2026
indicators:
  - id: ci_law
    weight: 2
  - id: ci_gdp_share
    weight: 1
    normalise: goalposts
    goalposts: [0, 10]
"""


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("weight: 2", "weight: .inf", "indicators[0].weight", "`.inf` is not a finite number"),
        ("weight: 2", "weight: .nan", "indicators[0].weight", "`.nan` is not a finite number"),
        ("weight: 2", "weight: yes", "indicators[0].weight", "expected a number"),
        ("weight: 2", "weight: 1e308", "indicators[0].weight", "the number `1e308` is too large"),
        ("weight: 2", "weight: 1001", "indicators[0].weight", "at most 1000, not 1001"),
        ("[0, 10]", "[0, .inf]", "indicators[1].goalposts[1]", "`.inf` is not a finite number"),
        ("[0, 10]", "[0, yes]", "indicators[1].goalposts[1]", "expected a number"),
    ],
)
def test_a_profile_with_a_meaningless_weight_or_goalpost_is_refused(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(PROFILE.replace(old, new), encoding="utf-8")
    result = cli("rank", "--profile", str(path), "--database-url", f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert result.code == 1, result.out + result.err
    line = line_of(PROFILE, old)
    assert any(
        ln.startswith(f"{path}:{line}:") and f" {field}: " in ln and message in ln
        for ln in (result.out + result.err).splitlines()
    ), result.out + result.err
    assert "Traceback" not in result.out + result.err


@pytest.mark.parametrize("weight", ["inf", "nan", "1e308", "-1"])
def test_an_ad_hoc_weight_must_be_a_finite_number_up_to_1000(tmp_path: Path, weight: str) -> None:
    result = cli("rank", "--weight", f"ci_law={weight}", "--database-url", f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert result.code in (1, 2), result.out + result.err
    assert "a weight must be a number of at least 0 and at most 1000" in result.err
