"""`diff` shows what a reviewer checks: a film programme's rates, caps and minimum spends, laws and bodies,
an old value kept as an alternative, rank moves that come only from imputation, and the base revision's
own problems. Every record and profile here is the test's own."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from helpers import BASE, cli, second_record, write_records

GIT = ("-c", "user.name=Test", "-c", "user.email=test@example.org")
FILM_ABSENT = '  film_rebates: {status: absent, source: ciaq-concept-2026, at: "table 3.20"}\n'
PROGRAMME = """  film_rebates:
    status: present
    source: ciaq-concept-2026
    at: "§3.9"
    rebates:
      - name: Test rebate
        form: cash_rebate
        tiers: [{{value: {rate}}}{uplift}]
        caps: [{{amount: {{value: {cap}, currency: USD, scale: million}}}}]
{minimum}"""
MINIMUM = "        minimum_spend: [{amount: {value: 200000, currency: USD}}]\n"
LAW = '      - title: "Закон Кыргызской Республики «О Парке креативных индустрий»"\n        number: "88"\n'
SHARE = "  ci_gdp_share:\n    - value: 1\n      qualifier: about\n"
GAPS = """title: {en: Gaps, ru: Пробелы, kk: Олқылықтар}
rationale: {en: A test profile that fills gaps with the mean., ru: Тест., kk: Сынақ.}
indicators:
  - {id: ci_gdp_share, weight: 1, normalise: goalposts, goalposts: [0, 10]}
  - {id: culture_pass, weight: 0.1}
missing: {policy: mean, group: all}
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *GIT, *args], check=True, capture_output=True)


def _commit(repo: Path, **records: str) -> None:
    write_records(repo / "countries", **records)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "data")


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    return repo


def _diff(repo: Path) -> dict:
    result = cli("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo)
    assert result.code == 0, result.err
    return json.loads(result.out)


def _programme(rate: int, cap: int, uplift: str = "", minimum: str = MINIMUM) -> str:
    return BASE.replace(FILM_ABSENT, PROGRAMME.format(rate=rate, cap=cap, uplift=uplift, minimum=minimum))


def test_programme_rates_caps_minimum_spends_laws_and_kept_alternatives_are_shown(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _commit(repo, KGZ=_programme(25, 1))
    head = _programme(30, 2, uplift=", {value: 5, adds: true, applies_to: vfx, condition: VFX spend}", minimum="")
    head = head.replace(LAW, LAW.replace('"88"', '"89"'))
    kept = '      alternatives: [{value: 1, qualifier: about, source: ciaq-concept-2026, at: "§3.9"}]\n'
    head = head.replace(SHARE, SHARE.replace("value: 1\n", "value: 1.5\n") + kept)
    _commit(repo, KGZ=head)

    data = _diff(repo)
    by_fact = {(c["what"], c["fact"]): c for c in data["changes"]}
    rates = by_fact[("programme rates", "film_rebates: Test rebate")]
    assert (rates["before"], rates["after"]) == ("25%", "30%; +5% on vfx if VFX spend")
    caps = by_fact[("programme caps", "film_rebates: Test rebate")]
    assert (caps["before"], caps["after"]) == ("USD 1 million paid per project", "USD 2 million paid per project")
    spend = by_fact[("programme minimum spend", "film_rebates: Test rebate")]
    assert (spend["change"], spend["before"]) == ("removed", "USD 200000 of local spend")
    law = by_fact[("law", "ci_law: Закон Кыргызской Республики «О Парке креативных индустрий»")]
    assert (law["before"], law["after"]) == (
        "dedicated, 88, 2022-08-08 [ciaq-concept-2026]",
        "dedicated, 89, 2022-08-08 [ciaq-concept-2026]",
    )
    share = by_fact[("metric", "ci_gdp_share 2025 estimate")]
    assert (share["before"], share["after"]) == ("~1 percent [ciaq-concept-2026]", "~1.5 percent [ciaq-concept-2026]")
    assert share["note"] == "the old value is kept as an alternative"
    assert by_fact[("alternative", "ci_gdp_share 2025 estimate ← ciaq-concept-2026")]["change"] == "added"
    # the details are their own rows: the instrument's status line does not also report a detail change
    assert ("instrument", "film_rebates") not in by_fact and ("instrument", "ci_law") not in by_fact

    markdown = cli("diff", "HEAD~1", "HEAD", cwd=repo).out
    assert (
        "| KGZ | changed | metric: ci_gdp_share 2025 estimate | ~1 percent [ciaq-concept-2026] | "
        "~1.5 percent [ciaq-concept-2026] (the old value is kept as an alternative) |" in markdown
    )
    assert (
        "| KGZ | changed | programme rates: film_rebates: Test rebate | 25% | 30%; +5% on vfx if VFX spend |"
        in markdown
    )


def test_a_body_added_to_an_instrument_is_a_row_of_its_own(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _commit(repo, KGZ=BASE)
    body = "    bodies:\n      - {name: Test Fund, role: fund, since: 2025, source: ciaq-concept-2026}\n"
    _commit(repo, KGZ=BASE.replace("    laws:\n", body + "    laws:\n", 1))
    data = _diff(repo)
    rows = [c for c in data["changes"] if c["what"] == "body"]
    assert [(r["change"], r["fact"], r["after"]) for r in rows] == [
        ("added", "ci_law: Test Fund", "fund, since 2025 [ciaq-concept-2026]")
    ]


def test_moves_say_whether_they_come_from_own_values_imputation_or_the_others(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "rankings").mkdir()
    (repo / "rankings" / "gaps.yaml").write_text(GAPS, encoding="utf-8")
    kgz = BASE[: BASE.index(SHARE)] + BASE[BASE.index("  gdp:\n") :]  # KGZ gives no share: the profile imputes it
    kgz = kgz.replace("  culture_pass: {status: absent,", "  culture_pass: {status: present,")
    assert "ci_gdp_share" not in kgz

    def share(value: float) -> str:
        return second_record(code="TJK", en="Tajikistan").replace(
            SHARE, SHARE.replace("value: 1\n", f"value: {value}\n")
        )

    uzb = second_record().replace(SHARE, SHARE.replace("value: 1\n", "value: 2\n"))
    _commit(repo, KGZ=kgz, UZB=uzb, TJK=share(2))
    _commit(repo, KGZ=kgz, UZB=uzb, TJK=share(9))  # only TJK's value changes; KGZ's imputed mean moves with it

    moves = {m["country"]: m for m in _diff(repo)["rankings"]["gaps"]}
    assert (moves["TJK"]["cause"], moves["TJK"]["indicators"]) == ("its own values", ["ci_gdp_share"])
    assert (moves["KGZ"]["cause"], moves["KGZ"]["indicators"]) == ("imputation only", ["ci_gdp_share"])
    assert moves["UZB"]["cause"] == "the other countries' values"
    markdown = cli("diff", "HEAD~1", "HEAD", cwd=repo).out
    assert "Moves that come only from imputed values (a gap the profile fills): KGZ under gaps." in markdown


def test_the_base_revisions_own_problems_are_shown_apart(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    broken = second_record().replace("  culture_pass: {status: absent,", "  culture_pass: {status: sometimes,")
    _commit(repo, KGZ=BASE, UZB=broken)
    fixed = second_record()
    _commit(repo, KGZ=BASE, UZB=fixed)
    data = _diff(repo)
    assert len(data["base_problems"]) == 1 and data["head_problems"] == []
    assert data["base_problems"][0].startswith("countries/UZB.yaml:") and "culture_pass" in data["base_problems"][0]
    assert data["countries_added"] == ["UZB"]  # left out of the base side, as the report says
    markdown = cli("diff", "HEAD~1", "HEAD", cwd=repo).out
    assert "### Problems the base revision (HEAD~1) has itself" in markdown
    assert "- countries/UZB.yaml:" in markdown
