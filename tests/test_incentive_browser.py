"""The calculator page in a real browser: its JavaScript twin gives the Python function's numbers for many random
productions, the page shows the CLI's figures in all three languages, and the inputs live in the address."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import cli
from site_support import LANGS, Built

from benchmark.publish.site.browser import chromium, file_url
from benchmark.scoring.incentive_rates import registry_rates
from benchmark.scoring.incentive_value import CATEGORIES, KINDS, Production, incentive_value

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SEED = 20261202
PRODUCTIONS = 150


@pytest.fixture(scope="module")
def page(built: Built) -> Iterator[Any]:
    with chromium() as browser:
        opened = browser.new_page(viewport={"width": 1280, "height": 900})
        opened.errors = []
        opened.requests = []
        opened.on("pageerror", lambda e: opened.errors.append(str(e)))
        opened.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        opened.on("request", lambda r: opened.requests.append(r.url))
        yield opened
        opened.close()


def open_page(page: Any, built: Built, lang: str = "en", query: str = "") -> dict[str, Any]:
    page.goto(file_url(built.folder / lang / "incentive.html") + query)
    page.wait_for_load_state("load")
    page.wait_for_selector("#incentive-table tbody tr")
    return json.loads(page.text_content("#incentive-data"))


def random_productions(data: dict[str, Any]) -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    currencies = sorted({"USD", *(r[0] for r in data["rates"])})
    years = sorted({r[1] for r in data["rates"]})
    out = []
    for _ in range(PRODUCTIONS):
        budget = 10 ** rng.uniform(4.5, 8.5)
        share = rng.choice([0.0, 1.0, rng.random(), rng.random()])
        local = budget * share
        spend: dict[str, float] = {}
        for category in rng.sample(CATEGORIES, rng.randint(0, 2)):
            spend[category] = rng.random() * (local - sum(spend.values()))
        out.append({
            "budget": budget, "currency": rng.choice(["USD", "USD", *currencies]), "kind": rng.choice(KINDS),
            "local_spend": local if rng.random() < 0.3 else None, "local_share": share, "spend": spend,
            "target_currency": rng.choice([None, None, *currencies]), "year": rng.choice([None, None, *years]),
        })  # fmt: skip
    return out


def python_value(programme: dict[str, Any], prod: dict[str, Any]) -> dict[str, Any]:
    production = Production(**{**prod, "local_share": None if prod["local_spend"] is not None else prod["local_share"]})
    return incentive_value(programme, production).as_dict()


def close(a: Any, b: Any) -> bool:
    if a is None or b is None or isinstance(a, str):
        return a == b
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def comparable(v: dict[str, Any]) -> dict[str, Any]:
    """What both twins must agree on: every number, the status, the binding rule and the rules not known."""
    target = v.get("target") or {}
    binding = v.get("binding") or {}
    return {
        "status": v["status"],
        "currency": v.get("currency"),
        "low": v.get("low"),
        "high": v.get("high"),
        "qualifying": list(v["qualifying"]) if v.get("qualifying") is not None else None,
        "eligible": v.get("eligible"),
        "why_not": len(v.get("why_not") or []),
        "binding": (binding.get("rule"), binding.get("source")) if binding else None,
        "unknowns": sorted({u["rule"] for u in v.get("unknowns") or []}),
        "target": (target.get("currency"), target.get("low"), target.get("high")) if target else None,
        "rate_on_local": list(v["rate_on_local"]) if v.get("rate_on_local") is not None else None,
        "rate_on_budget": list(v["rate_on_budget"]) if v.get("rate_on_budget") is not None else None,
    }


def agree(py: dict[str, Any], js: dict[str, Any]) -> list[str]:
    a, b = comparable(py), comparable(js)
    return [k for k in a if not (close(a[k], b[k]) if isinstance(a[k], float | list | tuple) else a[k] == b[k])]


def test_the_page_embeds_the_registry_rates(page: Any, built: Built) -> None:
    data = open_page(page, built)
    embedded = {(c, y): (rate, source) for c, y, rate, source in data["rates"]}
    assert embedded == {k: (r.per_usd, r.source) for k, r in registry_rates().items()}


def test_the_javascript_twin_equals_the_python_function_over_random_productions(page: Any, built: Built) -> None:
    data = open_page(page, built)
    programmes = [e["programme"] for e in data["programmes"] if e["programme"]]
    productions = random_productions(data)
    js = page.evaluate(
        """([programmes, productions, rows]) => {
             const B = window.BenchmarkIncentive, rates = B.rateTable(rows);
             return productions.map(prod => programmes.map(p => B.incentiveValue(p, prod, rates)));
           }""",
        [programmes, productions, data["rates"]],
    )
    compared, statuses = 0, set()
    for prod, results in zip(productions, js, strict=True):
        for programme, got in zip(programmes, results, strict=True):
            want = python_value(programme, prod)
            differ = agree(want, got)
            assert not differ, (programme.get("name"), prod, differ, comparable(want), comparable(got))
            compared += 1
            statuses.add(want["status"])
    assert compared == len(programmes) * PRODUCTIONS
    assert {"value", "range", "ineligible"} <= statuses  # the random productions reach the rules' branches
    assert not page.errors


def _shown(page: Any) -> dict[tuple[str, str, str], tuple[float | None, float | None]]:
    rows = page.eval_on_selector_all(
        "#incentive-table tbody tr",
        """rows => rows.map(r => [r.dataset.country, r.dataset.scenario, r.dataset.programme,
                                 r.dataset.low === undefined ? null : Number(r.dataset.low),
                                 r.dataset.high === undefined ? null : Number(r.dataset.high)])""",
    )
    return {(c, s, name): (low, high) for c, s, name, low, high in rows}


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_shows_the_cli_figures_in_every_language(page: Any, built: Built, lang: str) -> None:
    open_page(page, built, lang, "?budget=5000000&currency=USD&share=60&kind=feature")
    shown = _shown(page)
    result = cli(
        "incentive", "--budget", "5e6", "--currency", "USD", "--local-share", "0.6", "--kind", "feature",
        "--scenario", "KAZ:concept-2026-2030", "--format", "json", "--database-url", built.url,
    )  # fmt: skip
    assert result.code == 0, result.err
    for p in json.loads(result.out)["programmes"]:
        if p["status"] == "none":
            continue
        name = p["programme"] if p["programme"] not in ("film incentive", "the scenario's programme") else ""
        low, high = shown[(p["country"], p["scenario"], name)]
        target = p["target"] or {}
        assert close(low, target.get("low")) and close(high, target.get("high")), (p["country"], p["programme"])
    assert not page.errors


def test_the_inputs_live_in_the_address(page: Any, built: Built) -> None:
    open_page(page, built, "ru", "?budget=2000000&currency=EUR&share=80&kind=series&target=USD")
    assert page.input_value("input[name=budget]") == "2000000"
    assert page.input_value("select[name=kind]") == "series"
    data = json.loads(page.text_content("#incentive-data"))
    prod = {"budget": 2e6, "currency": "EUR", "kind": "series", "local_spend": None, "local_share": 0.8,
            "spend": {}, "target_currency": "USD", "year": None}  # fmt: skip
    shown = _shown(page)
    for e in data["programmes"]:
        if e["programme"]:
            target = python_value(e["programme"], prod)["target"] or {}
            low, high = shown[(e["country"], e["scenario"], e["programme"].get("name") or "")]
            assert close(low, target.get("low")) and close(high, target.get("high"))
    page.fill("input[name=share]", "30")
    page.dispatch_event("input[name=share]", "input")
    assert "share=30" in page.url
    assert all(u.startswith("file://") for u in page.requests)  # nothing fetched from elsewhere


def test_kazakhstan_today_beside_the_concept(page: Any, built: Built) -> None:
    data = open_page(page, built)
    code, scenario = data["focus"]
    cards = page.locator("#incentive-focus .incentive-card")
    assert cards.count() == 2
    today = [e for e in data["programmes"] if e["country"] == code and not e["scenario"]]
    proposed = [e for e in data["programmes"] if e["country"] == code and e["scenario"] == scenario]
    assert today and proposed
    assert proposed[0]["label"] in cards.nth(1).inner_text()
    assert cards.nth(1).locator("a").count() >= 1  # the figure links to its source
