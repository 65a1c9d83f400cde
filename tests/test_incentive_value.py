"""The incentive calculator: fixture programmes and a fixture rate table, owned by these tests."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.scoring.incentive_rates import TableRate, exchange
from benchmark.scoring.incentive_value import Production, incentive_value

RATES = {
    ("EUR", 2023): TableRate(0.8, "Bank E"),
    ("EUR", 2024): TableRate(0.9, "Bank E"),
    ("XAA", 2023): TableRate(10.0, "Bank A"),
    ("XAA", 2024): TableRate(12.0, "Bank A"),
}


def money(value: float, currency: str = "USD", scale: str = "one") -> dict[str, Any]:
    return {"value": value, "currency": currency, "scale": scale}


def programme(**rules: Any) -> dict[str, Any]:
    """A fully stated programme: 30% of local spend, feature and series, no cap, no minimum."""
    base: dict[str, Any] = {
        "name": "Fixture rebate",
        "source": "fixture-source",
        "at": "§1",
        "kinds": ["feature", "series"],
        "tiers": [{"value": 30, "source": "fixture-rates", "at": "table 1"}],
        "caps": "none",
        "minimum_spend": "none",
        "qualifying": {"basis": "local_spend"},
    }
    base.update(rules)
    return {k: v for k, v in base.items() if v is not None}


def production(**kw: Any) -> Production:
    args: dict[str, Any] = {"budget": 5e6, "currency": "USD", "kind": "feature", "local_share": 0.6}
    args.update(kw)
    return Production(**args)


def value(p: dict[str, Any], prod: Production | None = None):
    return incentive_value(p, prod or production(), RATES)


def test_a_fully_stated_programme_gives_one_value_with_its_rates() -> None:
    v = value(programme())
    assert v.status == "value" and v.eligible is True and not v.unknowns
    assert v.low == v.high == pytest.approx(0.3 * 3e6)
    assert v.qualifying == (pytest.approx(3e6), pytest.approx(3e6))
    assert v.rate_on_local == (pytest.approx(30), pytest.approx(30))
    assert v.rate_on_budget == (pytest.approx(18), pytest.approx(18))
    assert v.binding == {"rule": "tiers", "text": "rate 30%", "source": "fixture-rates", "at": "table 1"}


def test_a_cap_binds_and_says_so() -> None:
    v = value(programme(caps=[{"per": "project", "amount": money(500_000), "on": "value", "source": "cap-src"}]))
    assert v.low == v.high == 500_000
    assert v.binding is not None and v.binding["rule"] == "caps" and v.binding["source"] == "cap-src"


def test_a_cap_as_a_share_of_the_budget() -> None:
    v = value(programme(caps=[{"per": "project", "share_of_budget": 10, "on": "value"}]))
    assert v.high == pytest.approx(0.1 * 5e6)


def test_a_cap_on_qualifying_spend() -> None:
    v = value(programme(caps=[{"per": "project", "amount": money(1e6), "on": "qualifying_spend"}]))
    assert v.qualifying == (1e6, 1e6) and v.high == pytest.approx(0.3e6)
    assert v.binding is not None and v.binding["rule"] == "caps"


def test_below_the_minimum_the_value_is_zero_and_says_why() -> None:
    v = value(programme(minimum_spend=[{"of": "local_spend", "amount": money(4e6)}]))
    assert v.status == "ineligible" and v.eligible is False and v.high == 0
    assert any("minimum" in why for why in v.why_not)


@pytest.mark.parametrize(("share", "eligible"), [(0.05, False), (0.6, True)])
def test_a_minimum_share_of_the_budget_spent_locally(share: float, eligible: bool) -> None:
    v = value(programme(minimum_spend=[{"of": "local_spend", "share_of_budget": 10}]), production(local_share=share))
    assert v.eligible is eligible
    if eligible:
        assert v.status == "value" and v.low == pytest.approx(0.3 * 5e6 * share)
    else:
        assert v.status == "ineligible" and v.low == v.high == 0
        assert any("10% of the total budget" in why for why in v.why_not)


def test_a_minimum_for_another_kind_does_not_apply() -> None:
    v = value(programme(minimum_spend=[{"of": "total_budget", "amount": money(1e9), "kinds": ["series"]}]))
    assert v.status == "range" and v.low == 0  # nothing is stated for features: an unknown, not a pass
    assert [u["rule"] for u in v.unknowns] == ["minimum_spend"]


def test_a_kind_the_programme_excludes() -> None:
    v = value(programme(), production(kind="game"))
    assert v.status == "ineligible" and v.high == 0 and "kind" in v.why_not[0]


@pytest.mark.parametrize("rule", ["kinds", "caps", "minimum_spend", "qualifying"])
def test_an_unstated_rule_is_listed_with_its_reason_and_takes_the_low_end_to_zero(rule: str) -> None:
    p = programme(**{rule: None}, unknown={rule: "searched the decree"})
    v = value(p)
    assert v.status == "range" and v.low == 0 and v.high == pytest.approx(0.9e6)
    assert v.unknowns == [{"rule": rule, "reason": "searched the decree"}]
    assert v.eligible is None


def test_no_rate_is_unknown_never_zero() -> None:
    v = value(programme(tiers=[], unknown={"tiers": "no rate published"}))
    assert v.status == "unknown" and v.high is None and v.unknowns[0]["reason"] == "no rate published"


def test_a_conditional_uplift_widens_the_high_end_only() -> None:
    v = value(programme(tiers=[{"value": 30}, {"value": 5, "adds": True, "condition": "cultural test"}]))
    assert (v.low, v.high) == (pytest.approx(0.9e6), pytest.approx(1.05e6))
    assert any("cultural test" in u["reason"] for u in v.unknowns)


def test_rates_that_all_have_a_condition_span_from_the_lowest_to_the_highest() -> None:
    tiers = [{"value": 10, "condition": "spend up to 1 M"}, {"value": 25, "condition": "spend above 1 M"}]
    v = value(programme(tiers=tiers))
    assert (v.low, v.high) == (pytest.approx(0.3e6), pytest.approx(0.75e6))


def test_a_rate_up_to_a_bound_starts_at_zero_and_a_rate_at_least_has_no_top() -> None:
    assert value(programme(tiers=[{"value": 30, "qualifier": "at_most"}])).low == 0
    v = value(programme(tiers=[{"value": 40, "qualifier": "at_least"}]))
    assert v.high is None and v.low == pytest.approx(1.2e6) and v.status == "range"


def test_a_category_rate_replaces_the_base_on_that_spend() -> None:
    p = programme(tiers=[{"value": 30}, {"value": 40, "applies_to": "vfx"}])
    v = value(p, production(spend={"vfx": 1e6}))
    assert v.low == v.high == pytest.approx(0.3 * 2e6 + 0.4 * 1e6)
    assert value(p).high == pytest.approx(0.9e6)  # no VFX spend given: the VFX rate does not count


def test_a_programme_only_for_a_category_pays_nothing_without_that_spend() -> None:
    p = programme(tiers=[{"value": 30, "applies_to": "post_production"}])
    assert value(p).high == 0
    assert value(p, production(spend={"post_production": 2e5})).high == pytest.approx(6e4)


def test_a_rate_on_spend_no_production_can_name_is_listed_not_counted() -> None:
    v = value(programme(tiers=[{"value": 30}, {"value": 20, "applies_to": "other", "condition": "hotels"}]))
    assert v.status == "value" and v.high == pytest.approx(0.9e6)
    assert any("hotels" in u["reason"] for u in v.unknowns)


def test_an_annual_fund_bounds_the_value_and_cites_its_own_source() -> None:
    from benchmark.records.models import FilmRebate

    fund = {"value": 100_000, "currency": "USD", "per": "year", "year": 2024, "source": "fund-src", "at": "p. 2"}
    rebate = FilmRebate.model_validate({"tiers": [{"value": 30}], "fund": fund, "source": "fixture-source"})
    assert rebate.fund is not None and rebate.fund.source == "fund-src"
    v = value(programme(fund=fund))
    assert v.high == 100_000 and v.binding is not None
    assert (v.binding["rule"], v.binding["source"], v.binding["at"]) == ("fund", "fund-src", "p. 2")


def test_a_share_of_the_budget_limits_qualifying_spend() -> None:
    v = value(programme(qualifying={"basis": "local_spend", "share_of_budget_max": 40}))
    assert v.qualifying == (pytest.approx(2e6), pytest.approx(2e6))
    assert v.binding is not None and v.binding["rule"] == "qualifying"


def test_a_published_worked_example_25_percent_of_labour_capped_at_60_percent_of_cost() -> None:
    """The CRA's own arithmetic for a credit of 25% of labour that counts up to 60% of the production cost:
    at most 15% of the cost («25% of 60%»), here as a fixture programme."""
    p = programme(qualifying={"basis": "local_spend", "share_of_budget_max": 60}, tiers=[{"value": 25}],
                  caps=[{"per": "project", "share_of_budget": 15, "on": "value"}])  # fmt: skip
    v = value(p, production(budget=10e6, local_share=1.0))
    assert v.low == v.high == pytest.approx(1.5e6) and v.rate_on_budget == (pytest.approx(15), pytest.approx(15))


def test_a_total_budget_basis() -> None:
    assert value(programme(qualifying={"basis": "total_budget"})).high == pytest.approx(1.5e6)


def test_a_budget_bound_tier() -> None:
    tiers = [{"value": 20}, {"value": 30, "budget_at_most": money(2, "USD", "million")}]
    assert value(programme(tiers=tiers)).high == pytest.approx(0.6e6)
    assert value(programme(tiers=tiers), production(budget=2e6)).high == pytest.approx(0.3 * 1.2e6)


def test_the_programme_currency_and_the_rate_used() -> None:
    p = programme(caps=[{"per": "project", "amount": money(100, "XAA", "million"), "on": "value"}])
    v = value(p)
    assert v.currency == "XAA" and v.exchange is not None and v.exchange.year == 2024
    assert v.exchange.rate == 12.0 and v.exchange.sources == ("Bank A",)
    assert v.high == pytest.approx(0.3 * 3e6 * 12)
    assert v.target is not None and v.target["currency"] == "USD" and v.target["high"] == pytest.approx(0.9e6)
    dated = value(p, production(year=2023, target_currency="EUR"))
    assert dated.exchange is not None and dated.exchange.year == 2023 and dated.high == pytest.approx(0.9e6 * 10)
    assert dated.target is not None and dated.target["high"] == pytest.approx(0.9e6 * 0.8)


def test_a_year_the_table_lacks_is_unknown() -> None:
    p = programme(caps=[{"per": "project", "amount": money(10, "XAA", "million"), "on": "value"}])
    v = value(p, production(year=2020))
    assert v.status == "unknown" and v.unknowns[0]["rule"] == "exchange" and "2020" in v.unknowns[0]["reason"]


@pytest.mark.parametrize(
    "kw",
    [{"budget": 0}, {"kind": "opera"}, {"local_share": 1.5}, {"local_spend": 6e6, "local_share": None},
     {"spend": {"vfx": 9e6}}, {"spend": {"catering": 1}}],
)  # fmt: skip
def test_an_impossible_production_is_refused_with_a_reason(kw: dict[str, Any]) -> None:
    prod = production(**kw)
    assert prod.problems()
    with pytest.raises(ValueError, match=prod.problems()[0][:10]):
        value(programme(), prod)


# --- properties --------------------------------------------------------------------------------------------

spends = st.floats(min_value=0, max_value=1e8, allow_nan=False)
rates = st.floats(min_value=0, max_value=60, allow_nan=False)
budgets = st.floats(min_value=1e4, max_value=1e8, allow_nan=False)


@st.composite
def programmes(draw: st.DrawFn) -> dict[str, Any]:
    tiers: list[dict[str, Any]] = [{"value": draw(rates)}]
    if draw(st.booleans()):
        tiers.append({"value": draw(rates), "condition": "a bracket"})
    if draw(st.booleans()):
        tiers.append({"value": draw(st.floats(0, 10)), "adds": True, "condition": "a test"})
    if draw(st.booleans()):
        tiers.append({"value": draw(rates), "applies_to": "vfx"})
    caps = draw(st.sampled_from(["none", None, "amount", "share"]))
    cap_rule = {
        "amount": [{"per": "project", "amount": money(draw(spends), "XAA"), "on": "value"}],
        "share": [{"per": "project", "share_of_budget": draw(rates), "on": "value"}],
    }.get(str(caps), caps)
    minimum = draw(st.sampled_from(["none", None, "amount", "share"]))
    min_rule = {
        "amount": [{"of": "local_spend", "amount": money(draw(spends), "XAA")}],
        "share": [{"of": "local_spend", "share_of_budget": draw(st.floats(1, 100))}],
    }.get(str(minimum), minimum)
    kinds = draw(st.sampled_from([None, ["feature"]]))
    return programme(tiers=tiers, caps=cap_rule, minimum_spend=min_rule, kinds=kinds)


@st.composite
def productions(draw: st.DrawFn) -> Production:
    budget = draw(budgets)
    share = draw(st.floats(0, 1))
    vfx = draw(st.floats(0, 1)) * budget * share
    return production(budget=budget, local_share=share, spend={"vfx": vfx})


def _caps_in_usd(p: dict[str, Any], prod: Production) -> list[float]:
    caps = p["caps"] if isinstance(p.get("caps"), list) else []
    return [c["amount"]["value"] / 12.0 if c.get("amount") else c["share_of_budget"] / 100 * prod.budget for c in caps]


@settings(max_examples=300, deadline=None)
@given(programmes(), productions())
def test_the_value_never_exceeds_a_cap(p: dict[str, Any], prod: Production) -> None:
    v = value(p, prod)
    assert v.target is not None
    for cap in _caps_in_usd(p, prod):
        assert v.target["high"] is not None and v.target["high"] <= cap * (1 + 1e-9)


@settings(max_examples=300, deadline=None)
@given(programmes(), productions())
def test_zero_below_the_minimum_spend(p: dict[str, Any], prod: Production) -> None:
    v = value(p, prod)
    minimum = p["minimum_spend"][0] if isinstance(p.get("minimum_spend"), list) else None
    if minimum is None:
        return
    if minimum.get("amount"):
        below = prod.local() * 12.0 < minimum["amount"]["value"]
    else:
        below = prod.local() < minimum["share_of_budget"] / 100 * prod.budget
    if below:
        assert v.status == "ineligible" and v.low == v.high == 0


@settings(max_examples=300, deadline=None)
@given(programmes(), budgets, st.floats(0, 1), st.floats(0, 1))
def test_monotone_in_local_spend(p: dict[str, Any], budget: float, a: float, b: float) -> None:
    less, more = sorted((a, b))
    v1 = value(p, production(budget=budget, local_share=less))
    v2 = value(p, production(budget=budget, local_share=more))
    assert (v1.low or 0) <= (v2.low or 0) * (1 + 1e-9) + 1e-6
    if v1.high is not None and v2.high is not None:
        assert v1.high <= v2.high * (1 + 1e-9) + 1e-6


def _resolutions(p: dict[str, Any]) -> list[dict[str, Any]]:
    """Programmes that settle one unknown of `p` in some way the record could have stated."""
    out = []
    for rule, settled in (
        ("kinds", ["series"]), ("kinds", ["feature"]),
        ("caps", [{"per": "project", "amount": money(1e5, "XAA"), "on": "value"}]), ("caps", "none"),
        ("minimum_spend", [{"of": "local_spend", "amount": money(1e9, "XAA")}]), ("minimum_spend", "none"),
    ):  # fmt: skip
        if p.get(rule) is None:
            out.append({**copy.deepcopy(p), rule: settled})
    for i, tier in enumerate(p["tiers"]):
        if tier.get("condition"):  # the condition met: no longer a condition; not met: the tier gone
            met, unmet = copy.deepcopy(p), copy.deepcopy(p)
            met["tiers"][i] = {k: v for k, v in tier.items() if k != "condition"}
            if not tier.get("adds"):
                met["tiers"] = [t for t in met["tiers"] if t is met["tiers"][i] or t.get("adds") or t.get("applies_to")]
            del unmet["tiers"][i]
            out += [met, unmet]
    return out


@settings(max_examples=300, deadline=None)
@given(programmes(), productions())
def test_unknown_rules_widen_the_answer_and_the_range_holds_every_settled_value(p: dict[str, Any], prod: Production):
    v = value(p, prod).target
    assert v is not None
    for settled in _resolutions(p):
        s = value(settled, prod).target  # in the production's currency: a settled cap may bring its own
        assert s is not None
        assert (v["low"] or 0) <= (s["low"] or 0) * (1 + 1e-9) + 1e-6
        assert v["high"] is None or (s["high"] is not None and s["high"] <= v["high"] * (1 + 1e-9) + 1e-6)


@settings(max_examples=200, deadline=None)
@given(st.floats(1, 1e9), st.sampled_from([2023, 2024, None]), st.sampled_from(["USD", "EUR", "XAA"]))
def test_currency_conversion_round_trips_at_the_dated_rate(amount: float, year: int | None, other: str) -> None:
    there, back = exchange("XAA", other, year, RATES), exchange(other, "XAA", year, RATES)
    assert there is not None and back is not None and there.year == back.year
    assert amount * there.rate * back.rate == pytest.approx(amount, rel=1e-12)


def test_every_recorded_programme_gets_an_answer(facts) -> None:
    """The real store: each programme is valued or says why not, for a production it can meet or not."""
    prod = production()
    for row in facts.rebates.to_dicts():
        v = incentive_value(row, prod)
        assert v.status in ("value", "range", "ineligible", "unknown")
        if v.status == "unknown":
            assert v.unknowns
