"""A profile can score the film incentive on its effective value for a standard production (issue 12 item 5).

Every record, programme and profile here is the test's own: the fixture record (tests/fixtures/KGZ.yaml)
under other codes, each with film-incentive programmes written for the case, loaded into a fresh store.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path

import polars as pl
import pytest
from helpers import BASE, cli, line_of, second_record, write_records

from benchmark.scoring import incentive_value
from benchmark.scoring.incentive_indicator import ProductionSpec
from benchmark.scoring.incentive_rates import exchange, registry_rates
from benchmark.scoring.indicators import build
from benchmark.scoring.profiles import read_profile
from benchmark.store.facts import Facts, read_facts

FILM_ABSENT = '  film_rebates: {status: absent, source: ciaq-concept-2026, at: "table 3.20"}\n'
PROGRAMMES = """  film_rebates:
    status: present
    source: ciaq-concept-2026
    at: "§3.9"
    rebates:
{programmes}"""
BUDGET, SHARE = 5_000_000, 0.6
LOCAL = BUDGET * SHARE
# Fully stated: a point value. A high headline rate under a small cap, against a lower uncapped rate.
CAPPED = """      - name: Capped rebate
        kinds: [feature]
        tiers: [{value: 40}]
        caps: [{amount: {value: 100000, currency: USD}}]
        minimum_spend: none
        qualifying: {basis: local_spend}
"""
UNCAPPED = """      - name: Uncapped rebate
        kinds: [feature]
        tiers: [{value: 25}]
        caps: none
        minimum_spend: none
        qualifying: {basis: local_spend}
"""
# The cap is not known: the value runs from nothing (a cap could be anything) to the rate on all local spend.
CAP_UNKNOWN = """      - name: Rebate with no known cap
        kinds: [feature]
        tiers: [{value: 30}]
        minimum_spend: none
        qualifying: {basis: local_spend}
        unknown: {caps: "searched the programme's guidelines for a cap"}
"""
NO_RATE = """      - name: Rebate with no known rate
        unknown: {tiers: "the decree names the rebate but gives no rate"}
"""
# Ended before the as-of year: not in force, so not valued.
ENDED = UNCAPPED.replace("Uncapped rebate", "Ended rebate") + "        until: 2020\n"
# A cap in euros: the value in dollars goes through the registry's dated rate.
EURO_CAP = """      - name: Euro-capped rebate
        kinds: [feature]
        tiers: [{value: 30}]
        caps: [{amount: {value: 200000, currency: EUR}}]
        minimum_spend: none
        qualifying: {basis: local_spend}
"""
PROFILE = """title: {{en: Value, ru: Ценность, kk: Құны}}
rationale: {{en: A test profile., ru: Тест., kk: Сынақ.}}
as_of: 2026
indicators:
  - id: film_rebates
    name: {name}
    measure: {measure}
{options}missing: {{policy: reweight}}
"""
PRODUCTION = f"    production: {{budget: {BUDGET}, currency: USD, local_share: {SHARE}, kind: feature}}\n"


def _record(code: str, *programmes: str) -> str:
    text = second_record(BASE, code, code) if code != "KGZ" else BASE
    return text.replace(FILM_ABSENT, PROGRAMMES.format(programmes="".join(programmes))) if programmes else text


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("film")
    folder = write_records(
        root / "countries",
        UZB=_record("UZB", CAPPED),
        TJK=_record("TJK", UNCAPPED),
        TKM=_record("TKM", CAP_UNKNOWN),
        AZE=_record("AZE", NO_RATE),
        ARM=_record("ARM", EURO_CAP),
        MNG=_record("MNG", ENDED),
        KGZ=_record("KGZ"),  # the fixture's own: no film rebate
    )
    url = f"sqlite:///{root / 'store.sqlite'}"
    loaded = cli("load", str(folder), "--database-url", url)
    assert loaded.code == 0, loaded.out + loaded.err
    return url


@pytest.fixture(scope="module")
def facts(store: str) -> Facts:
    return read_facts(store)


def _profile(tmp_path: Path, measure: str = "effective_value", options: str = PRODUCTION, **kw: str) -> Path:
    path = tmp_path / f"{kw.get('file', 'value')}.yaml"
    text = PROFILE.format(name=kw.get("name", "incentive_value"), measure=measure, options=options)
    path.write_text(text, encoding="utf-8")
    return path


def _values(facts: Facts, path: Path) -> dict[str, tuple[float | None, str]]:
    profile, problems = read_profile(path)
    assert profile is not None, problems
    matrix = build(facts, profile)
    return {r["country"]: (r["value"], r["note"]) for r in matrix.iter_rows(named=True)}


def test_the_effective_value_orders_countries_otherwise_than_the_headline_rate(facts: Facts, tmp_path: Path) -> None:
    headline = _values(facts, _profile(tmp_path, "rebate_rate", "", name="rate", file="rate"))
    value = _values(facts, _profile(tmp_path))
    # The headline rates are the programmes' own: 40% capped against 25% uncapped.
    assert headline["UZB"][0] == 40 and headline["TJK"][0] == 25
    # What each pays this production: the cap against the rate on all the local spend, as % of the budget.
    assert value["UZB"][0] == pytest.approx(100_000 / BUDGET * 100)
    assert value["TJK"][0] == pytest.approx(0.25 * LOCAL / BUDGET * 100)
    assert headline["UZB"][0] > headline["TJK"][0] and value["UZB"][0] < value["TJK"][0]
    assert "Capped rebate" in value["UZB"][1] and "cap" in value["UZB"][1]
    # No film rebate: the production gets nothing, whatever the bound.
    assert value["KGZ"][0] == 0 and "no film incentive in force" in value["KGZ"][1]


def test_a_range_is_scored_at_its_low_end_by_default_and_at_its_high_end_when_asked(
    facts: Facts, tmp_path: Path
) -> None:
    low = _values(facts, _profile(tmp_path))
    high = _values(facts, _profile(tmp_path, options=PRODUCTION + "    bound: high\n", file="high"))
    top = 0.30 * LOCAL / BUDGET * 100
    assert low["TKM"][0] == 0 and high["TKM"][0] == pytest.approx(top)
    assert "low end" in low["TKM"][1] and "high end" in high["TKM"][1]
    # A point value is the same at both ends.
    assert low["TJK"][0] == pytest.approx(high["TJK"][0])


def test_no_value_possible_is_missing_with_the_reason(facts: Facts, tmp_path: Path) -> None:
    for bound in ("low", "high"):
        values = _values(facts, _profile(tmp_path, options=PRODUCTION + f"    bound: {bound}\n", file=bound))
        value, note = values["AZE"]
        assert value is None
        assert "the rate" in note and "the decree names the rebate but gives no rate" in note


def test_a_programme_that_ended_before_the_as_of_year_is_not_valued(facts: Facts, tmp_path: Path) -> None:
    value, note = _values(facts, _profile(tmp_path))["MNG"]
    assert value is None and "no programme recorded in force in 2026" in note
    earlier = _profile(tmp_path, file="earlier")
    earlier.write_text(earlier.read_text().replace("as_of: 2026", "as_of: 2019"), encoding="utf-8")
    assert _values(facts, earlier)["MNG"][0] == pytest.approx(0.25 * LOCAL / BUDGET * 100)


def test_the_missing_value_policy_decides_for_a_country_with_no_value(store: str, tmp_path: Path) -> None:
    path = _profile(tmp_path)
    path.write_text(path.read_text().replace("policy: reweight", "policy: exclude"), encoding="utf-8")
    ranked = json.loads(cli("rank", "--profile", str(path), "--database-url", store, "--format", "json").out)
    rows = {r["country"]: r for r in ranked}
    assert rows["AZE"]["rank"] is None and "exclude" in rows["AZE"]["note"]
    assert rows["TJK"]["rank"] is not None


def test_explain_gives_the_range_and_names_the_unknown_rules(store: str, tmp_path: Path) -> None:
    path = _profile(tmp_path)
    result = cli("explain", "TKM", "--profile", str(path), "--database-url", store, "--format", "json")
    assert result.code == 0, result.err
    (row,) = [i for i in json.loads(result.out)["indicators"] if i["indicator"] == "incentive_value"]
    top = 0.30 * LOCAL / BUDGET * 100
    assert f"0-{top:.3g}% of the budget" in row["note"]
    assert "not known: the cap (searched the programme's guidelines for a cap)" in row["note"]
    table = cli("explain", "TKM", "--profile", str(path), "--database-url", store)
    assert table.code == 0 and "searched the programme's guidelines for a cap" in table.out


def test_the_value_in_dollars_goes_through_the_registry_rate(facts: Facts, tmp_path: Path) -> None:
    path = _profile(tmp_path, options=PRODUCTION + "    quantity: amount\n", file="amount")
    value, note = _values(facts, path)["ARM"]
    fx = exchange("EUR", "USD", None, registry_rates())
    assert fx is not None and fx.year is not None
    assert value == pytest.approx(min(200_000 * fx.rate, 0.30 * LOCAL))
    assert f"converted at the {fx.year} average rate" in note
    profile, _ = read_profile(path)
    assert profile is not None and profile.indicators[0].is_money
    matrix = build(facts, profile)
    assert set(matrix.filter(pl.col("value") > 0)["currency"].to_list()) == {"USD"}


@pytest.mark.parametrize(
    ("production", "field", "says"),
    [
        ("{budget: 5000000, currency: USD, local_share: 1.5, kind: feature}", "local_share", "less than or equal"),
        ("{budget: 5000000, currency: USD, local_share: 0.6, kind: opera}", "kind", "feature"),
        ("{budget: -1, currency: USD, local_share: 0.6, kind: feature}", "budget", "greater than 0"),
        ("{budget: 5000000, currency: usd, local_share: 0.6, kind: feature}", "currency", "expected form"),
        ("{budget: 5000000, currency: USD, kind: feature}", "local_share", "local spend once"),
        ("{budget: 5000000, currency: USD, local_spend: 6000000, kind: feature}", "local_spend", "above the budget"),
        ("{budget: 5000000, currency: XYZ, local_share: 0.6, kind: feature}", "currency", "no rate for XYZ"),
        ("{budget: 5000000, currency: USD, local_share: 0.6, kind: feature, cast: 3}", "cast", "cast"),
    ],
)
def test_a_bad_production_is_reported_at_its_line_and_field(
    tmp_path: Path, production: str, field: str, says: str
) -> None:
    path = _profile(tmp_path, options=f"    production: {production}\n")
    profile, problems = read_profile(path)
    assert profile is None and problems
    (p,) = [p for p in problems if p.field.startswith("indicators[0].production")]
    assert p.field == f"indicators[0].production.{field}" and says in f"{p.message} {p.expected}"
    assert p.line == line_of(path.read_text(), "production:")
    ranked = cli("rank", "--profile", str(path))
    assert ranked.code != 0 and f"{path.name}:{p.line}" in ranked.out + ranked.err


@pytest.mark.parametrize(
    ("measure", "options", "field", "says"),
    [
        ("effective_value", "", "measure", "none is given"),
        ("rebate_rate", PRODUCTION, "production", "effective_value only"),
        ("rebate_rate", "    bound: high\n", "bound", "effective_value only"),
    ],
)
def test_production_and_measure_belong_together(
    tmp_path: Path, measure: str, options: str, field: str, says: str
) -> None:
    profile, problems = read_profile(_profile(tmp_path, measure, options))
    assert profile is None
    assert any(p.field == f"indicators[0].{field}" and says in p.message for p in problems), problems


def test_the_profile_names_the_calculator_s_kinds_and_spend_categories() -> None:
    fields = ProductionSpec.model_fields
    assert typing.get_args(fields["kind"].annotation) == incentive_value.KINDS
    (categories, _) = typing.get_args(fields["spend"].annotation)
    assert typing.get_args(categories) == incentive_value.CATEGORIES
