"""The researcher's whole path, as a new contributor plays it: scaffold, fill, validate, load, rank,
build the site, and find the country everywhere it belongs; and a file with three mistakes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import DATA, cli

from benchmark.records.scaffold import country_names

FILLED = {
    "sources: {}": """sources:
  armstat-2024:
    publisher: A test statistics office
    title: Creative economy in figures 2024
    year: 2024
    url: https://example.org/creative-2024""",
    "metrics: {}": """metrics:
  ci_gdp_share:
    - {value: 3.3, unit: percent, year: 2023, source: armstat-2024, at: "table 2"}""",
}
# A country with no record yet (a contributor may add any): the first of these the data lacks.
CANDIDATES = ("ALB", "BGR", "BLR", "BOL", "CHL", "CRI", "CYP", "DOM", "ECU", "EGY", "GHA", "GRC", "HRV", "ISL")
CODE = next(c for c in CANDIDATES if not (DATA / "countries" / f"{c}.yaml").exists())
PRESENT = ("ci_law", "tax_incentives", "development_agency", "free_zones", "film_rebates", "education_programmes")


def _fill(text: str) -> str:
    for placeholder, filled in FILLED.items():
        text = text.replace(placeholder, filled, 1)
    for key in PRESENT:
        text = text.replace(
            f"  {key}:  #", f'  {key}:\n    status: present\n    source: armstat-2024\n    at: "p. 4"\n  # was', 1
        )
    text = text.replace(
        "  ip_protection:  #", "  ip_protection:\n    level: medium\n    source: armstat-2024\n  # was", 1
    )
    # The rest the source says are absent; the template's lines under a replaced key go.
    text = text.replace(
        '    status: unknown\n    reason: "not yet researched: replace with the status your source gives, and cite it"',
        "    status: absent\n    source: armstat-2024",
    )
    lines, out, skip = text.splitlines(), [], False
    for line in lines:
        if line.startswith("  # was"):
            skip = True
            continue
        if skip and line.startswith("    "):
            continue
        skip = False
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contributor")
    shutil.copytree(DATA / "countries", root / "countries")
    shutil.copytree(DATA / "sources", root / "sources")
    return root


def test_a_new_country_goes_from_template_to_site(workspace: Path) -> None:
    url = f"sqlite:///{workspace / 'build' / 'store.sqlite'}"
    assert cli("new-country", CODE, "--region", "Europe", cwd=workspace).code == 0
    record = workspace / "countries" / f"{CODE}.yaml"
    record.write_text(_fill(record.read_text(encoding="utf-8")), encoding="utf-8")

    checked = cli("validate", f"countries/{CODE}.yaml", cwd=workspace)
    assert checked.code == 0, checked.out
    assert cli("load", "--database-url", url, cwd=workspace).code == 0

    ranked = json.loads(
        cli("rank", "--profile", "instrument-matrix", "--format", "json", "--database-url", url, cwd=workspace).out
    )
    added = next(r for r in ranked if r["country"] == CODE)
    assert added["score"] == pytest.approx(6.5 / 12)  # six present, IP protection medium
    shown = cli("show", CODE, "--format", "json", "--database-url", url, cwd=workspace)
    assert '"source": "armstat-2024"' in shown.out and "3.3" in shown.out
    bibliography = cli("sources", "--format", "json", "--database-url", url, cwd=workspace).out
    assert "Creative economy in figures 2024" in bibliography

    site = workspace / "site-out"
    built = cli("build", "--output", str(site), "--database-url", url, cwd=workspace)
    assert built.code == 0, built.err
    names = country_names(CODE)
    for lang, share in (("en", "3.3%"), ("ru", "3,3%"), ("kk", "3,3%")):
        page = (site / lang / "countries" / f"{CODE}.html").read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", "", page)  # what a reader sees: names of sources are marked untranslatable
        assert names[lang] in text and share in text and "A test statistics office (2024)" in text
        assert f'href="countries/{CODE}.html"' in (site / lang / "matrix.html").read_text(encoding="utf-8")
        ranking = (site / lang / "rankings" / "instrument-matrix.html").read_text(encoding="utf-8")
        assert f"countries/{CODE}.html" in ranking
        assert "Creative economy in figures 2024" in (site / lang / "sources.html").read_text(encoding="utf-8")


def test_three_mistakes_are_reported_at_once_with_their_lines(workspace: Path) -> None:
    draft = workspace / "drafts"
    assert cli("new-country", CODE, "--region", "Europe", "--folder", str(draft)).code == 0
    path = draft / f"{CODE}.yaml"
    text = _fill(path.read_text(encoding="utf-8"))
    text = text.replace("value: 3.3,", "value: 133,")  # 1: a share above 100
    text = text.replace("year: 2024\n    url:", "yaer: 2024\n    url:")  # 2: a misspelt key
    text = text.replace('source: armstat-2024, at: "table 2"', 'source: armstat-2023, at: "table 2"')  # 3
    path.write_text(text, encoding="utf-8")

    result = cli("validate", str(path))

    assert result.code == 1
    problems = [line for line in result.out.splitlines() if line.startswith(str(path))]

    def line_of(marker: str) -> int:
        return next(i for i, ln in enumerate(text.splitlines(), 1) if marker in ln)

    expected = [
        (line_of("yaer: 2024"), "unknown field `yaer`; did you mean `year`?"),
        (line_of("value: 133"), "a share of 133 is outside 0-100"),
        (line_of("value: 133"), "`source: armstat-2023` names no source of this record or of sources/"),
    ]
    for line, message in expected:
        assert any(p.startswith(f"{path}:{line}:") and message in p for p in problems), (line, message, result.out)
