"""`rank`, `explain` and `profiles`: the analyst's view of the store, under the weights they choose."""

from __future__ import annotations

import difflib
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from benchmark.cli.app import EXIT_INVALID, EXIT_USAGE, DatabaseUrl, app, database_url
from benchmark.cli.output import emit

if TYPE_CHECKING:
    import polars as pl

    from benchmark.scoring.profiles import Profile
    from benchmark.store.facts import Facts


class RankFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"


class ExplainFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


class Lang(StrEnum):
    en = "en"
    ru = "ru"
    kk = "kk"


ProfileName = Annotated[
    str,
    typer.Option("--profile", "-p", help="A profile of rankings/ by name (see `profiles`), or a path to a YAML file."),
]
Weights = Annotated[
    list[str] | None,
    typer.Option("--weight", "-w", help="KEY=WEIGHT: change an indicator's weight, or add one (repeatable)."),
]
Only = Annotated[list[str] | None, typer.Option("--only", help="Rank on these indicators only (repeatable).")]
Regions = Annotated[
    list[str] | None, typer.Option("--region", help='Keep countries of this world region (repeatable): "Central Asia".')
]
Groupings = Annotated[list[str] | None, typer.Option("--grouping", help="Keep members of this grouping (repeatable).")]
Level = Annotated[
    str | None,
    typer.Option(
        "--level",
        help="Rank `country` records, sub-national `region` records, or `all` together "
        "(default: the profile's; regions are never mixed with countries unless asked).",
    ),
]
AsOf = Annotated[
    int | None, typer.Option("--as-of", help="Use the latest observation at or before this year.", min=1900, max=2100)
]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of country names and titles.")]
BoundsOption = Annotated[
    bool,
    typer.Option(
        "--bounds",
        help="Also the exact best and worst rank any weights within --perturbation of the profile's allow "
        "(the profile's normalisation; linear profiles only).",
    ),
]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of the screen.")]


class Stop(Exception):
    """A user-facing failure: message and exit code."""

    def __init__(self, message: str, code: int = EXIT_INVALID):
        super().__init__(message)
        self.code = code


@app.command()
def rank(
    profile: ProfileName = "instrument-matrix",
    weight: Weights = None,
    only: Only = None,
    region: Regions = None,
    grouping: Groupings = None,
    level: Level = None,
    as_of: AsOf = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="CODE:NAME: score a country's scenario beside the real records.")
    ] = None,
    sensitivity: Annotated[
        int,
        typer.Option(
            "--sensitivity",
            help="Monte Carlo draws over weights and normalisation (0: none; at most 100000, about 200 MB of "
            "memory for 50 countries).",
            min=0,
            max=100_000,
        ),
    ] = 0,
    seed: Annotated[
        int,
        typer.Option("--seed", help="Seed of the sensitivity draws (same seed, same result).", min=0, max=2**32 - 1),
    ] = 0,
    perturbation: Annotated[
        float,
        typer.Option("--perturbation", help="How far each weight moves in the draws: 0.25 is up to 25% either way."),
    ] = 0.25,
    bounds: BoundsOption = False,
    lang: LangOption = Lang.en,
    format: Annotated[RankFormat, typer.Option("--format", help="table, markdown, csv or json.")] = RankFormat.table,
    output: Output = None,
    database_url_: DatabaseUrl = None,
    edition: Annotated[
        str | None,
        typer.Option("--edition", help="Rank the data of this released edition (its git tag), not today's files."),
    ] = None,
) -> None:
    """Rank countries under a weighting profile.

    Examples:

      python cli.py rank --profile tax-competitiveness --region "Central Asia"

      python cli.py rank --weight film_rebates=3 --weight tax_incentives=2 --format json

      python cli.py rank --profile central-asia --scenario KAZ:concept-2026-2030

      python cli.py rank --profile film-production --sensitivity 10000 --seed 1

      python cli.py rank --profile tax-competitiveness --bounds

      python cli.py rank --profile kazakhstan-regions --level region

      python cli.py rank --profile tax-competitiveness --edition 1.0
    """
    args = (
        *(profile, weight, only, region, grouping, level, as_of, scenario),
        *(sensitivity, seed, perturbation, bounds, lang),
    )
    if not edition:
        _rank(*args, format, output, database_url_)
        return
    from benchmark.publish.edition import EditionError, at_edition, registry_changed

    repo, output = Path.cwd(), output.resolve() if output else None
    try:
        with at_edition(repo, edition) as url:  # the edition's files and a scratch store; the normal pipeline
            if registry_changed(repo, edition):
                typer.echo(
                    f"note: the registry (indicators, groupings, exchange rates) has changed since edition "
                    f"{edition}; the ranking uses the current one",
                    err=True,
                )
            _rank(*args, format, output, url)
    except EditionError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_INVALID) from None


def _rank(
    profile: str,
    weight: list[str] | None,
    only: list[str] | None,
    region: list[str] | None,
    grouping: list[str] | None,
    level: str | None,
    as_of: int | None,
    scenario: str | None,
    sensitivity: int,
    seed: int,
    perturbation: float,
    bounds: bool,
    lang: Lang,
    format: RankFormat,
    output: Path | None,
    database_url_: str | None,
) -> None:
    try:
        from benchmark.scoring import render
        from benchmark.scoring.indicators import as_of_year
        from benchmark.scoring.scenario import score_with_scenario
        from benchmark.scoring.score import score

        chosen = _with_level(_profile(profile, weight, only, region, grouping), level)
        facts = _facts(database_url(database_url_))
        target = _scenario(scenario, facts)
        year = as_of_year(chosen, as_of)
        matrix = _build(facts, chosen, year, target)
        result = score_with_scenario(matrix, chosen, *target) if target else score(matrix, chosen)
        sens = found = None
        if (sensitivity or bounds) and not 0 <= perturbation < 1:
            raise Stop("--perturbation must be at least 0 and below 1", EXIT_USAGE)
        real = matrix.filter(matrix["scenario"] == "")
        if sensitivity:
            from benchmark.scoring.sensitivity import analyse  # NumPy: imported only when asked for

            sens = analyse(real, chosen, sensitivity, seed=seed, perturbation=perturbation)
        if bounds:
            from benchmark.scoring.rank_bounds import rank_bounds  # SciPy: imported only when asked for

            found = rank_bounds(real, chosen, perturbation)
        display = render.names(facts.countries, facts.scenarios, lang.value)
        text = render.ranking(
            format.value, result, chosen, display, lang=lang.value, as_of=year, sensitivity=sens, bounds=found
        )
        emit(text, output)
    except Stop as stop:
        typer.echo(f"error: {stop}", err=True)
        raise typer.Exit(stop.code) from None


@app.command()
def explain(
    country: Annotated[str, typer.Argument(help="ISO code (KAZ), region code (KZ-75), or CODE:SCENARIO.")],
    profile: ProfileName = "instrument-matrix",
    weight: Weights = None,
    only: Only = None,
    region: Regions = None,
    grouping: Groupings = None,
    as_of: AsOf = None,
    bounds: BoundsOption = False,
    perturbation: Annotated[
        float, typer.Option("--perturbation", help="With --bounds: how far each weight may move, 0.25 = 25%.")
    ] = 0.25,
    lang: LangOption = Lang.en,
    format: Annotated[ExplainFormat, typer.Option("--format", help="table, markdown or json.")] = ExplainFormat.table,
    output: Output = None,
    database_url_: DatabaseUrl = None,
) -> None:
    """Why a country ranks where it does: indicator by indicator, against the leader and the median.

    Example: python cli.py explain KAZ --profile institutional-maturity

    With --bounds, also the best and worst rank any weights within 25% of the profile's allow, in words.
    """
    try:
        from benchmark.scoring import render
        from benchmark.scoring.explain import explain as run
        from benchmark.scoring.indicators import as_of_year
        from benchmark.scoring.scenario import score_with_scenario
        from benchmark.scoring.score import score

        chosen = _profile(profile, weight, only, region, grouping)
        facts = _facts(database_url(database_url_))
        code, _, key = country.partition(":")
        code = _country(code, facts)
        target = _scenario(f"{code}:{key}", facts) if key else None
        level = facts.countries.filter(facts.countries["code"] == code)["level"][0]
        if chosen.filters.level not in (level, "all"):  # explaining a region ranks it among all
            chosen = chosen.model_copy(update={"filters": chosen.filters.model_copy(update={"level": "all"})})
        year = as_of_year(chosen, as_of)
        matrix = _build(facts, chosen, year, target)
        result = score_with_scenario(matrix, chosen, *target) if target else score(matrix, chosen)
        try:
            exp = run(result, chosen, code, key)
        except LookupError as err:
            raise Stop(str(err)) from None
        display = render.names(facts.countries, facts.scenarios, lang.value)
        text = render.explanation(format.value, exp, chosen, display, lang=lang.value)
        if bounds:
            text = _with_bounds(text, format, matrix, chosen, code, key, perturbation)
        emit(text, output)
    except Stop as stop:
        typer.echo(f"error: {stop}", err=True)
        raise typer.Exit(stop.code) from None


@app.command()
def profiles(lang: LangOption = Lang.en) -> None:
    """List the ranking profiles with their titles, and check each.

    Example: python cli.py profiles --lang ru
    """
    from tabulate import tabulate

    from benchmark.problems import render
    from benchmark.scoring.profiles import _display, available, read_profile

    rows: list[list[object]] = []
    problems = []
    for name, path in available().items():
        prof, found = read_profile(path, _display(path))
        problems += found
        if prof is None:
            rows.append([name, "(invalid: see below)", "", _display(path)])
        else:
            title = getattr(prof.title, lang.value, None) or prof.title.en
            rows.append([name, title, len(prof.indicators), _display(path)])
    typer.echo(tabulate(rows, headers=["profile", "title", "indicators", "file"], disable_numparse=True))
    if problems:
        typer.echo("")
        typer.echo(render(problems, "text"))
        raise typer.Exit(EXIT_INVALID)


def _with_bounds(
    text: str, format: ExplainFormat, matrix: pl.DataFrame, chosen: Profile, code: str, key: str, perturbation: float
) -> str:
    """The explanation with the country's best and worst rank under any weights in the box, in words."""
    import json

    from benchmark.scoring.rank_bounds import rank_bounds, reading

    if not 0 <= perturbation < 1:
        raise Stop("--perturbation must be at least 0 and below 1", EXIT_USAGE)
    if key:
        best = worst = None
        words = "no exact bounds for a scenario (they are computed over the real records)"
    else:
        found = rank_bounds(matrix.filter(matrix["scenario"] == ""), chosen, perturbation, only=code)
        row = found.countries.row(0, named=True) if found.countries.height else {}
        best, worst = row.get("rank_best"), row.get("rank_worst")
        words = reading(best, worst) if found.linear else f"no exact bounds: {found.reason}"
    if format == ExplainFormat.json:
        body = json.loads(text)
        body.update({"rank_best": best, "rank_worst": worst, "rank_bounds": words, "perturbation": perturbation})
        return json.dumps(body, ensure_ascii=False, indent=2)
    return f"{text}\n\nBest and worst rank for any weights within {perturbation:.0%} of the profile's: {words}."


def _with_level(chosen: Profile, level: str | None) -> Profile:
    if level is None:
        return chosen
    if level not in ("country", "region", "all"):
        raise Stop(f"--level {level}: expected country, region or all", EXIT_USAGE)
    return chosen.model_copy(update={"filters": chosen.filters.model_copy(update={"level": level})})


def _profile(
    name: str, weights: list[str] | None, only: list[str] | None, regions: list[str] | None, groupings: list[str] | None
) -> Profile:
    from benchmark.problems import InvalidData, render
    from benchmark.records.models_vocabulary import Grouping, Region
    from benchmark.scoring.profiles import adjust, load_profile

    try:
        chosen = load_profile(name)
    except LookupError as err:
        raise Stop(str(err), EXIT_USAGE) from None
    except InvalidData as err:
        typer.echo(render(err.problems, "text"), err=True)
        raise Stop(f"the profile `{name}` has {len(err.problems)} problem(s); nothing was ranked") from None
    parsed: dict[str, float] = {}
    for item in weights or []:
        key, sep, value = item.partition("=")
        try:
            parsed[key.strip()] = float(value)
        except ValueError:
            raise Stop(f"--weight {item}: expected KEY=WEIGHT, such as film_rebates=3", EXIT_USAGE) from None
        if not sep or not key.strip():
            raise Stop(f"--weight {item}: expected KEY=WEIGHT, such as film_rebates=3", EXIT_USAGE)
    try:
        chosen = adjust(chosen, parsed, only)
    except ValueError as err:
        raise Stop(str(err), EXIT_USAGE) from None
    filters = chosen.filters
    if regions:
        filters = filters.model_copy(update={"regions": [_choice(r, Region, "region") for r in regions]})
    if groupings:
        filters = filters.model_copy(update={"groupings": [_choice(g, Grouping, "grouping") for g in groupings]})
    return chosen.model_copy(update={"filters": filters})


def _choice(given: str, literal: object, what: str) -> str:
    import typing

    options = [str(o) for o in typing.get_args(literal)]
    for option in options:
        if option.lower() == given.strip().lower():
            return option
    near = difflib.get_close_matches(given, options, n=1)
    hint = f"; did you mean `{near[0]}`?" if near else ""
    raise Stop(f"unknown {what} `{given}`{hint} (one of: {', '.join(options)})", EXIT_USAGE)


def _facts(url: str) -> Facts:
    from benchmark.store.freshness import fresh_facts

    facts = fresh_facts(url)  # a missing or stale store is rebuilt from countries/, and the user told
    if facts.countries.is_empty():
        raise Stop("the store holds no countries: add records to countries/ and run `python cli.py load`")
    return facts


def _country(given: str, facts: Facts) -> str:
    import polars as pl

    wanted = given.strip().upper()
    codes = facts.countries["code"].to_list()
    if wanted in codes:
        return wanted
    former = facts.countries.filter(pl.col("former_codes").list.contains(wanted))
    if not former.is_empty():
        return str(former["code"][0])
    near = difflib.get_close_matches(wanted, codes, n=1)
    hint = f"; did you mean `{near[0]}`?" if near else ""
    raise Stop(f"no country `{given}` in the store{hint}", EXIT_USAGE)


def _scenario(given: str | None, facts: Facts) -> tuple[str, str] | None:
    if not given:
        return None
    from benchmark.scoring.indicators import scenarios

    code, sep, key = given.partition(":")
    known = scenarios(facts)
    if not sep or f"{code.strip().upper()}:{key.strip()}" not in known:
        raise Stop(f"no scenario `{given}` (scenarios: {', '.join(known) or 'none in the store'})", EXIT_USAGE)
    return code.strip().upper(), key.strip()


def _build(facts: Facts, profile: Profile, year: int, target: tuple[str, str] | None) -> pl.DataFrame:
    from benchmark.scoring.indicators import build

    try:
        return build(facts, profile, as_of=year, scenario=target)
    except LookupError as err:
        raise Stop(str(err), EXIT_USAGE) from None
