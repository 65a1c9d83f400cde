"""`matrix`: the instrument matrix of the study's table 3.20, checked cell by cell against the table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers import DATA, cli

from benchmark import registry
from benchmark.publish.matrix import LEGEND, TABLE_3_20_COUNTRIES, UnknownScenario, instrument_matrix
from benchmark.store.facts import read_facts

TABLE = Path(__file__).parent / "data" / "table_3_20.tsv"
SYMBOLS = {"+": "present", "-": "absent"}  # the table's marks; ip_protection rows give high/medium/low


def run(store: str, *args: str) -> tuple[int, str, str]:
    result = cli("matrix", *args, "--database-url", store, cwd=DATA)
    return result.code, result.out, result.err


def matrix_json(store: str, *args: str) -> dict:
    code, out, err = run(store, "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)


def _countries(store: str) -> list[str]:
    frame = read_facts(store).countries
    return sorted(frame.filter(frame["level"] == "country")["code"].to_list())


def test_json_has_exactly_countries_instruments_cells_and_codebook(store: str) -> None:
    data = matrix_json(store)
    assert list(data) == ["countries", "instruments", "cells", "codebook"]
    others = sorted(c for c in _countries(store) if c not in TABLE_3_20_COUNTRIES)
    assert data["countries"] == [*TABLE_3_20_COUNTRIES, *others]  # the table's order, then the rest by code
    assert data["instruments"][:12] == registry.table_3_20_instruments()
    assert set(data["cells"]) == set(data["countries"])


def test_all_216_cells_of_table_3_20_match_the_study(store: str) -> None:
    rows = list(csv.reader(TABLE.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    header, body = rows[0], rows[1:]
    assert header[0] == "instrument" and len(header) == 19 and len(body) == 12
    expected = {
        (row[0], code): SYMBOLS.get(cell, cell) for row in body for code, cell in zip(header[1:], row[1:], strict=True)
    }
    assert len(expected) == 216
    cells = matrix_json(store)["cells"]
    actual = {(i, c): cells[c][i] for i, c in expected}
    wrong = {k: (actual[k], v) for k, v in expected.items() if actual[k] != v}
    assert not wrong, f"cells differing from table 3.20 (ours, the study's): {wrong}"


def test_every_cell_is_the_records_own_status_or_level(store: str) -> None:
    data, facts = matrix_json(store), read_facts(store)
    for row in facts.instruments.filter(facts.instruments["scenario"] == "").iter_rows(named=True):
        if row["country"] in data["cells"]:
            word = row["level"] if row["instrument"] == "ip_protection" else row["status"]
            assert data["cells"][row["country"]][row["instrument"]] == word


def test_codebook_readings_stand_beside_the_table_and_are_listed(store: str, tmp_path: Path) -> None:
    """A record the test owns: the table says present, the codebook reads absent."""
    from helpers import BASE, write_records

    text = BASE.replace(
        "  ci_law:\n    status: present\n",
        '  ci_law:\n    status: present\n    codebook: {status: partial, rule: ci_law.partial, note: "a park law", '
        "source: ciaq-concept-2026}\n",
    )
    assert text != BASE
    folder = write_records(tmp_path / "countries", KGZ=text)
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    assert cli("load", str(folder), "--database-url", url).code == 0
    data = matrix_json(url)
    assert data["cells"]["KGZ"]["ci_law"] == "present"
    assert data["codebook"]["KGZ"]["ci_law"]["reading"] == "partial"
    listed = cli("matrix", "--codebook", "--format", "json", "--database-url", url, cwd=tmp_path)
    rows = json.loads(listed.out)
    assert [(r["country"], r["instrument"], r["table"], r["reading"]) for r in rows] == [
        ("KGZ", "ci_law", "present", "partial")
    ]
    table = cli("matrix", "--database-url", url, cwd=tmp_path).out
    assert "+*" in table and "codebook" in table


def test_instruments_outside_the_table_follow_in_registry_order(store: str) -> None:
    data = matrix_json(store)
    others = data["instruments"][12:]
    assert others == [i for i in registry.instruments() if i in others]
    assert "film_commission" in others
    assert data["cells"]["GBR"]["film_commission"] is None  # not recorded, which is not "unknown"


def test_scenario_column_stands_beside_its_country_with_overrides(store: str) -> None:
    facts = read_facts(store)
    code, key = facts.scenarios.select("country", "key").row(0)
    name = f"{code}:{key}"
    data = matrix_json(store, "--scenario", f"{code.lower()}:{key}")
    assert data["countries"][data["countries"].index(code) + 1] == name
    own = facts.instruments.filter((facts.instruments["country"] == code) & (facts.instruments["scenario"] == key))
    assert own.height, "the scenario overrides at least one instrument"
    for row in own.iter_rows(named=True):
        word = row["level"] if row["instrument"] == "ip_protection" else row["status"]
        assert data["cells"][name][row["instrument"]] == word


def test_unknown_scenario_is_a_usage_error_naming_the_known_ones(store: str) -> None:
    code, _, err = run(store, "--scenario", "KAZ:nope")
    assert code == 2
    for code_, key in read_facts(store).scenarios.select("country", "key").iter_rows():
        assert f"{code_}:{key}" in err


def test_table_shows_symbols_and_a_legend(store: str) -> None:
    code, out, _ = run(store)
    assert code == 0
    assert out.rstrip().endswith(LEGEND)
    ci_law = next(line for line in out.splitlines() if line.startswith("Creative-industries law"))
    cells = [c.rstrip("*") for c in ci_law.split()[2:7]]  # GBR KOR ARE GEO EST, as table 3.20 gives them
    assert cells == ["+", "+", "+", "−", "−"]
    ip = next(line for line in out.splitlines() if line.startswith("IP protection"))
    assert [c.rstrip("*") for c in ip.split()[3:6]] == ["H", "H", "M"]


def test_transpose_puts_countries_in_rows(store: str) -> None:
    code, out, _ = run(store, "--transpose", "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("| country") and "ci_law" in lines[0]
    assert lines[2].startswith("| GBR")


def test_csv_gives_status_words_and_lang_gives_labels(store: str) -> None:
    code, out, _ = run(store, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["instrument"] == "ci_law" and rows[0]["GBR"] == "present"
    code, out, _ = run(store, "--lang", "ru")
    assert "Закон о КИ" in out


def test_instrument_matrix_is_a_function_of_the_frames(store: str) -> None:
    facts = read_facts(store)
    m = instrument_matrix(facts)
    assert m.cells["FRA"]["culture_pass"] == "present"  # a cell of table 3.20 itself
    assert m.as_json()["countries"] == m.countries
    with pytest.raises(UnknownScenario):
        instrument_matrix(facts, ["XXX:none"])
