"""A place's peers: a few neighbours of its world region by name, then how many more, never the whole region
(a build with thousands of records in one region stays linear)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark.publish.site import views
from benchmark.publish.site.build import build_site
from benchmark.publish.site.data import arrange
from benchmark.publish.site.helpers import Helpers
from benchmark.publish.site.i18n import Lang
from benchmark.store.facts import Facts


def _crowded(facts: Facts) -> list[str]:
    """The countries of the data's most populous world region."""
    data = arrange(facts)
    regions: dict[str, list[str]] = {}
    for p in data.countries:
        regions.setdefault(p.region, []).append(p.code)
    region = max(regions, key=lambda r: len(regions[r]))
    return sorted(regions[region])


def test_the_summary_lists_at_most_the_limit_and_counts_the_rest(facts: Facts, monkeypatch: pytest.MonkeyPatch) -> None:
    members = _crowded(facts)
    data = arrange(facts)
    for limit in (1, len(members) - 1, len(members) + 5):
        monkeypatch.setattr(views, "PEERS_SHOWN", limit)
        h = Helpers(Lang.of("en"), data)
        for code in members:
            place = data.places[code]
            summary = views._summary(h, data, place, data.instruments_of(code))
            shown = [p.code for p in summary["peers"]]
            others = [p.code for p in h.sorted_places([data.places[c] for c in members if c != code])]
            assert shown == others[:limit]  # the first by name, never the place itself
            assert summary["more_peers"] == len(others) - len(shown)


def test_the_page_links_the_rest_to_the_list_of_countries(
    facts: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = _crowded(facts)
    assert len(members) >= 3, "a region of three countries or more: one shown, at least one more"
    monkeypatch.setattr(views, "PEERS_SHOWN", 1)
    build_site(facts, tmp_path / "site", build_date="2026-01-01")
    for lang in ("en", "ru", "kk"):
        text = (tmp_path / "site" / lang / "countries" / f"{members[0]}.html").read_text(encoding="utf-8")
        more = Lang.of(lang).t("place.more_peers", count=len(members) - 2)
        assert f'<a href="../countries/index.html">{more}</a>' in text
