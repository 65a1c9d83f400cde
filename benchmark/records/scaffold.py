"""Write a new country record from the template: names from pycountry, every instrument unknown."""

from __future__ import annotations

import gettext
import typing
from functools import cache
from pathlib import Path

import pycountry

from benchmark import registry, resources
from benchmark.records.models import SCHEMA_COMMENT, Region

REGIONS: tuple[str, ...] = typing.get_args(Region)


class ScaffoldError(Exception):
    pass


@cache
def _translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_names(code: str) -> dict[str, str]:
    """English, Russian and Kazakh names from pycountry's ISO 3166 translations."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise ScaffoldError(f"`{code}` is not an ISO 3166-1 alpha-3 country code")
    english = getattr(country, "common_name", None) or country.name
    return {"en": english, **{lang: _translation(lang).gettext(country.name) for lang in ("ru", "kk")}}


def scaffold(code: str, folder: Path = Path("countries"), region: str | None = None) -> Path:
    code = code.strip().upper()
    path = folder / f"{code}.yaml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; edit it instead (new-country never overwrites a record)")
    if region is not None and region not in REGIONS:
        raise ScaffoldError(f"`{region}` is not a region of the benchmark; choose one of: {', '.join(REGIONS)}")
    names = country_names(code)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(render(code, names, region, resources.schema_reference(folder)), encoding="utf-8")
    return path


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(code: str, names: dict[str, str], region: str | None, schema: str = "../schemas/country.schema.json") -> str:
    lines = [
        SCHEMA_COMMENT.format(reference=schema),
        f"# {names['en']}: a new record. Fill in what your sources say; leave the rest unknown with a reason.",
        "# The format, field by field: schemas/README.md. How to contribute: CONTRIBUTING.md.",
        f"code: {code}",
        f"names: {{en: {_quote(names['en'])}, ru: {_quote(names['ru'])}, kk: {_quote(names['kk'])}}}",
        f"region: {region}" if region else f"region: {_quote('CHOOSE ONE')}  # one of: {', '.join(REGIONS)}",
        f"groupings: [{', '.join(registry.memberships(code))}]  # from benchmark/registry/groupings.yaml, with sources",
        "",
        "sources: {}",
        "# Publications several records cite live once in sources/<id>.yaml; cite them by id. A source only",
        "# this record cites may be defined here:",
        "# sources:",
        "#   publisher-title-year:            # a short id that facts cite as `source:`",
        "#     publisher: Ministry of Culture",
        "#     title: Creative economy report",
        "#     year: 2025                     # leave out for an undated page, and give `accessed`",
        "#     url: https://example.org/report",
        "#     accessed: 2026-12-02",
        "",
        "metrics: {}",
        "# metrics:",
        "#   ci_gdp_share:                      # ids: benchmark/registry/metrics.yaml",
        '#     - {value: 3.1, unit: percent, year: 2024, source: publisher-title-year, at: "p. 12"}',
        "",
        "instruments:",
    ]
    for key, kind in registry.instruments().items():
        field = "level" if kind.scale == "level" else "status"
        lines.append(f"  {key}:  # {kind.label['en']}")
        lines.append(f"    {field}: unknown")
        lines.append('    reason: "not yet researched: replace with the status your source gives, and cite it"')
    return "\n".join(lines) + "\n"
