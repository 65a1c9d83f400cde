"""Property: any valid record goes into the store and comes back unchanged, on both backends."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pg_server import Server

from benchmark import registry
from benchmark.records.models import Country
from benchmark.records.read import Document
from benchmark.records.rule_frames import Record
from benchmark.store.load import load
from benchmark.store.readback import read_record

TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=24)
NUMBER = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
YEAR = st.integers(1950, 2026)
DATE = st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31))
SOURCE = st.sampled_from(["src-a", "src-b"])
UNIT = {"share": "percent", "persons": "persons", "count": "count", "rank": "rank", "ratio": "ratio", "years": "years"}


def _optional(**fields: st.SearchStrategy) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


def _amount_part() -> st.SearchStrategy[dict[str, Any]]:
    single = st.fixed_dictionaries({"value": NUMBER})
    ranged = st.tuples(NUMBER, NUMBER).map(lambda p: {"low": min(p), "high": max(p)})
    return st.one_of(single, ranged).flatmap(
        lambda v: _optional(qualifier=st.sampled_from(["exact", "about", "at_least", "at_most"])).map(
            lambda q: {**v, **q}
        )
    )


@st.composite
def observation(draw: st.DrawFn, metric: str) -> dict[str, Any]:
    quantity = registry.metrics()[metric].quantity
    unit = draw(st.sampled_from(["USD", "KZT", "EUR"])) if quantity == "money" else UNIT[quantity]
    if draw(st.booleans()) and draw(st.booleans()):
        value: dict[str, Any] = {"value": "unknown", "reason": draw(TEXT)}
    else:
        value = {**draw(_amount_part()), "source": draw(SOURCE)}
    extra = draw(
        _optional(
            at=TEXT,
            note=TEXT,
            part=TEXT,
            method=TEXT,
            scale=st.sampled_from(["one", "million", "billion"]),
            kind=st.sampled_from(["observed", "estimate", "target", "projection"]),
        )
    )
    alternative = _amount_part().flatmap(
        lambda a: st.one_of(st.just({}), st.just({"year": 2020}), _undated()).map(
            lambda d: {**a, **d, "source": "src-b"}
        )
    )
    alternatives = draw(st.lists(alternative, max_size=2))
    dating = draw(st.one_of(YEAR.map(lambda y: {"year": y}), _undated()))
    cited = draw(
        _optional(
            via=SOURCE, also=st.lists(st.fixed_dictionaries({"source": SOURCE}, optional={"at": TEXT}), max_size=2)
        )
    )
    return {**value, **extra, **dating, **cited, "unit": unit, "alternatives": alternatives}


def _undated() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"reported_in": YEAR, "undated": TEXT})


@st.composite
def instrument(draw: st.DrawFn, key: str) -> dict[str, Any]:
    if registry.instruments()[key].scale == "level":
        head: dict[str, Any] = {"level": draw(st.sampled_from(["low", "medium", "high"]))}
    else:
        head = {"status": draw(st.sampled_from(["present", "absent", "partial", "planned"]))}
    law = st.fixed_dictionaries(
        {"title": TEXT, "kind": st.sampled_from(["dedicated", "amendments", "decree"])},
        optional={"number": TEXT, "date": DATE, "year": YEAR, "source": SOURCE},
    )
    rate = _amount_part().flatmap(lambda a: _optional(base=TEXT, from_year=YEAR).map(lambda o: {**a, **o}))
    regime = st.fixed_dictionaries(
        {"name": TEXT, "rates": st.lists(rate, max_size=3)},
        optional={
            "replaces": st.lists(TEXT, max_size=3),
            "start": st.one_of(DATE, YEAR),
            "expiry": st.one_of(DATE, YEAR, st.just("indefinite")),
            "headline": TEXT,
            "comparisons": st.just(["central-asia-tax"]),
        },
    )
    money = _amount_part().map(lambda a: {**a, "currency": "USD", "scale": "million"})
    plain_money = _amount_part().map(lambda a: {**a, "currency": "EUR", "scale": "million"})
    tier = _amount_part().flatmap(
        lambda a: _optional(
            applies_to=st.sampled_from(["all", "vfx", "regional"]),
            adds=st.booleans(),
            condition=TEXT,
            kinds=st.lists(st.sampled_from(["feature", "series", "game"]), unique=True, max_size=2),
            budget_at_most=plain_money,
        ).map(lambda o: {**a, **o})
    )
    cap = st.one_of(
        st.fixed_dictionaries({"amount": plain_money}, optional={"per": st.sampled_from(["project", "year"])}),
        st.fixed_dictionaries({"share_of_budget": st.floats(0, 100)}, optional={"on": st.just("qualifying_spend")}),
    )
    rebate = st.fixed_dictionaries(
        {"tiers": st.lists(tier, min_size=1, max_size=3)},
        optional={
            "name": TEXT,
            "form": st.sampled_from(["cash_rebate", "tax_credit", "transferable_credit"]),
            "caps": st.one_of(st.just("none"), st.lists(cap, max_size=2)),
            "minimum_spend": st.one_of(
                st.just("none"),
                st.lists(
                    st.fixed_dictionaries({"amount": plain_money}, optional={"of": st.just("total_budget")}), max_size=1
                ),
            ),
            "qualifying": st.fixed_dictionaries(
                {}, optional={"basis": st.just("below_the_line"), "share_of_budget_max": st.floats(0, 100)}
            ),
            "kinds": st.lists(st.sampled_from(["feature", "documentary"]), unique=True, max_size=2),
            "fund": money,
            "since": st.one_of(DATE, YEAR),
            "until": YEAR,
            "unknown": st.fixed_dictionaries({}, optional={"caps": TEXT, "fund": TEXT}),
            "source": SOURCE,
            "via": SOURCE,
        },
    )
    body = st.fixed_dictionaries(
        {"name": TEXT, "role": st.sampled_from(["agency", "fund", "park"])},
        optional={"budget": money, "since": YEAR, "description": TEXT},
    )
    details = draw(
        _optional(
            laws=st.lists(law, max_size=2),
            tax_regimes=st.lists(regime, max_size=2),
            rebates=st.lists(rebate, max_size=2),
            bodies=st.lists(body, max_size=2),
            since=YEAR,
            summary=TEXT,
            note=TEXT,
            also=st.lists(st.fixed_dictionaries({"source": SOURCE}), max_size=1),
        )
    )
    if "status" in head and draw(st.booleans()):
        details["codebook"] = {"status": "absent", "rule": "ci_law.absent", "note": draw(TEXT), "source": "src-b"}
    return {**head, **details, "source": draw(SOURCE)}


@st.composite
def record(draw: st.DrawFn) -> Country:
    metrics = draw(st.lists(st.sampled_from(sorted(registry.metrics())), unique=True, max_size=4))
    instruments = draw(st.lists(st.sampled_from(sorted(registry.instruments())), unique=True, max_size=4))
    source = st.one_of(
        st.fixed_dictionaries(
            {"publisher": TEXT, "title": TEXT, "year": YEAR},
            optional={"url": st.just("https://example.org/a"), "accessed": DATE, "terms": TEXT, "lang": st.just("ru")},
        ),
        st.fixed_dictionaries({"publisher": TEXT, "title": TEXT, "accessed": DATE}),  # an undated page
    )
    data = {
        "code": "KGZ",
        "names": {"en": draw(TEXT), "ru": draw(TEXT), "kk": draw(TEXT)},
        "region": "Central Asia",
        "groupings": draw(st.lists(st.sampled_from(["EAEU", "CIS", "OIC"]), unique=True)),
        "sources": {"src-a": draw(source), "src-b": draw(source)},
        "metrics": {m: draw(st.lists(observation(m), min_size=1, max_size=3)) for m in metrics},
        "instruments": {i: draw(instrument(i)) for i in instruments},
        "caveats": draw(st.lists(st.fixed_dictionaries({"text": TEXT}, optional={"source": SOURCE}), max_size=2)),
    }
    if draw(st.booleans()):
        data["scenarios"] = {
            "concept": {
                "title": {"en": draw(TEXT)},
                "source": "src-a",
                "metrics": {m: draw(st.lists(observation(m), min_size=1, max_size=2)) for m in metrics[:1]},
                "instruments": {i: draw(instrument(i)) for i in instruments[:1]},
            }
        }
    return Country.model_validate(data)


def _round_trip(country: Country, url: str) -> None:
    load([Record(Document("KGZ.yaml", None), country, "KGZ")], url)
    assert read_record(url, "KGZ") == country


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(country=record())
def test_valid_records_round_trip_through_sqlite(country: Country, tmp_path_factory: Any) -> None:
    url = f"sqlite:///{tmp_path_factory.mktemp('rt') / 'store.sqlite'}"
    _round_trip(country, url)


_databases = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(country=record())
def test_valid_records_round_trip_through_postgresql(country: Country, pg_server: Server) -> None:
    _round_trip(country, pg_server.create_database(f"roundtrip_{next(_databases)}"))
