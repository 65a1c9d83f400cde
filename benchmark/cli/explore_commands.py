"""The analyst's reading commands: `matrix`, `quality`, `show`, `compare` and `sources`.

Each reads the store (rebuilt first when the files are newer), builds its rows with a pure function of the
frames, and prints them with the shared output options: --format table|markdown|csv|json, --output, --lang.
Money is shown in the currency its source gives, with the US-dollar value and the rate used beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from benchmark.cli.app import EXIT_INVALID, DatabaseUrl, app, database_url
from benchmark.cli.output import Format, Lang, Output, OutputFormat, check_lang, emit, render
from benchmark.publish.record_views import (
    bibliography,
    cite,
    comparison,
    fact_row,
    instrument_label,
    instrument_row,
    record_data,
    scenario_row,
    with_alternatives,
)

if TYPE_CHECKING:
    from benchmark.store.facts import Facts

Section = tuple[str, list[dict[str, Any]]]


# --- commands -----------------------------------------------------------------------------------------------


@app.command()
def matrix(
    format: Format = OutputFormat.table,
    output: Output = None,
    lang: Lang = "en",
    transpose: Annotated[bool, typer.Option("--transpose", help="Countries as rows, instruments as columns.")] = False,
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", help="Add a scenario's column beside its country: CODE:scenario (repeatable)."),
    ] = None,
    codebook: Annotated[
        bool,
        typer.Option("--codebook", help="List the cells where the codebook reads an instrument unlike table 3.20."),
    ] = False,
    database_url_: DatabaseUrl = None,
) -> None:
    """The instrument matrix of the study's table 3.20: who has which instrument, for every country.

    Countries are columns in the table's order (then the others alphabetically), instruments rows.
    Table and markdown show symbols with a legend underneath; csv shows the status words; json prints
    {"countries": [...], "instruments": [...], "cells": {ISO3: {instrument: status}}} (null: not recorded).

    A cell marked * is one the codebook (docs/codebook.md) reads differently; `--codebook` lists them.

    Example: python cli.py matrix --scenario KAZ:concept-2026-2030 --format markdown
    """
    from benchmark.publish.matrix import LEGEND, UnknownScenario, instrument_matrix, symbol

    lang = check_lang(lang)
    try:
        m = instrument_matrix(_facts(database_url_), scenario)
    except UnknownScenario as err:
        raise typer.BadParameter(str(err), param_hint="--scenario") from None
    if codebook:
        deviations = m.deviations()
        shown = [
            {k: d[k] for k in ("country", "instrument", "table", "reading", "rule", "source", "note")}
            for d in deviations
        ]
        emit(render(shown, format, data=deviations), output)
        return
    if format is OutputFormat.json:
        emit(render([], format, data=m.as_json()), output)
        return
    words = format is OutputFormat.csv

    def cell(column: str, i: str) -> str:
        word = m.cells[column][i]
        text = (word or "") if words else symbol(i, word)
        return text + ("*" if i in m.codebook.get(column, {}) and not words else "")

    rows: list[dict[str, Any]]
    if transpose:
        rows = [{"country": c, **{i: cell(c, i) for i in m.instruments}} for c in m.countries]
    else:
        rows = [
            {
                "instrument": i if words else instrument_label(i, lang),
                **{c: cell(c, i) for c in m.countries},
            }
            for i in m.instruments
        ]
    text = render(rows, format)
    emit(text if words else f"{text}\n\n{LEGEND}", output)


@app.command()
def quality(
    format: Format = OutputFormat.table,
    output: Output = None,
    lang: Lang = "en",
    as_of: Annotated[
        int | None, typer.Option("--as-of", help="Reference year for old facts (default: the newest observed year).")
    ] = None,
    database_url_: DatabaseUrl = None,
) -> None:
    """The data-quality report, per country, per region and overall.

    Counts facts (observations and instruments), the share with a source and with a year, undated figures,
    the share resting on the founding study alone, the share whose source has a URL, the share of scored
    facts (those a built-in profile reads) with a source beyond the study, instruments still unknown, facts
    more than five years older than --as-of, ranges, estimates, targets and recorded disagreements (the
    JSON lists the unknown instruments by name); and recomputes the share of GDP from value added and GDP
    given in one currency and year, flagging a difference from the printed share above 0.05 percentage points.

    Example: python cli.py quality --as-of 2025 --format markdown --output quality.md
    """
    from benchmark.publish.quality import quality_report

    lang = check_lang(lang)
    report = quality_report(_facts(database_url_), as_of)
    records = [_quality_row(r["code"], r["name"][lang], r["level"], r) for r in report["records"]]
    records.append(_quality_row("all", f"{report['overall']['records']} records", "", report["overall"]))
    studied = report["study_countries"]
    records.append(_quality_row("study", f"the study's {studied['records']} countries", "", studied))
    checks = [_check_row(c) for c in report["share_checks"]]
    sources = report["sources"]
    title = (
        f"Data quality as of {report['as_of']} (old: more than {report['old_after_years']} years earlier; "
        f"flag: recomputed share off the printed one by more than {report['share_tolerance_pp']} pp); "
        f"{sources['with_url']} of {sources['total']} sources have a URL"
    )
    _print_sections(
        [(title, records), ("GDP share recomputed from value added and GDP", checks)], format, report, output
    )


@app.command()
def show(
    code: Annotated[str, typer.Argument(help="A country or region code (KAZ, KZ-63; former codes such as KZ-VOS).")],
    format: Format = OutputFormat.table,
    output: Output = None,
    lang: Lang = "en",
    database_url_: DatabaseUrl = None,
) -> None:
    """Everything the store holds on one country or region: facts, instruments and scenarios.

    Each fact with its year, kind, value (ranges low-high; ~ about, + at least, ≤ at most), unit,
    source and note, other sources' readings listed under it, money with its US-dollar value and rate.
    The code is case-insensitive. Exit 1 when no record has that code (with suggestions).

    Example: python cli.py show kz-vos --lang ru
    """
    lang = check_lang(lang)
    facts = _facts(database_url_)
    record = _find(facts, code)
    data = record_data(facts, record, lang)
    about = ", ".join([record["level"], record["region"], *data["groupings"]])
    former = f"; formerly {', '.join(data['former_codes'])}" if data["former_codes"] else ""
    sections: list[Section] = [
        (
            f"{data['name']} ({record['code']}{former}): {about}",
            [fact_row(f) for f in with_alternatives(data["facts"])],
        ),
        ("Caveats", [{"caveat": c["text"], "source": cite(c.get("source"), c.get("at"))} for c in data["caveats"]]),
        ("Instruments", [instrument_row(i) for i in data["instruments"]]),
        ("Scenarios", [scenario_row(s, lang) for s in data["scenarios"]]),
    ]
    _print_sections(sections, format, data, output)


@app.command()
def compare(
    codes: Annotated[list[str], typer.Argument(help="Two to four country or region codes.")],
    format: Format = OutputFormat.table,
    output: Output = None,
    lang: Lang = "en",
    database_url_: DatabaseUrl = None,
) -> None:
    """Countries (or regions) side by side: the latest observed value of each metric, and the instruments.

    The latest observed or estimated value of each metric (targets and projections left out), money with
    its US-dollar value and the rate used. Exit 1 when a code is unknown.

    Example: python cli.py compare KAZ UZB KGZ --format markdown
    """
    if not 2 <= len(codes) <= 4:
        raise typer.BadParameter(f"give two to four codes, not {len(codes)}", param_hint="CODES")
    lang = check_lang(lang)
    facts = _facts(database_url_)
    records = [_find(facts, c) for c in codes]
    data = comparison(facts, [r["code"] for r in records], lang)
    _print_sections([("Metrics", data["metric_rows"]), ("Instruments", data["instrument_rows"])], format, data, output)


@app.command()
def sources(
    format: Format = OutputFormat.table,
    output: Output = None,
    lang: Lang = "en",
    database_url_: DatabaseUrl = None,
) -> None:
    """The bibliography: every source, how many facts cite it and for which countries.

    Example: python cli.py sources --format csv --output sources.csv
    """
    lang = check_lang(lang)
    facts = _facts(database_url_)
    data = bibliography(facts, lang)
    rows = [{**s, "countries": ", ".join(s["countries"])} for s in data]
    _print_sections([("Sources", rows)], format, data, output)


# --- reading the store and finding a record -----------------------------------------------------------------


def _facts(url: str | None) -> Facts:
    from benchmark.store.freshness import fresh_facts

    return fresh_facts(database_url(url))


def _find(facts: Facts, code: str) -> dict[str, Any]:
    """The record with `code` (or a former code, or a name), case-insensitive; exit 1 with suggestions if none."""
    import difflib

    wanted = code.strip().upper()
    rows = list(facts.countries.iter_rows(named=True))
    for row in rows:
        names = {row[f"name_{x}"].upper() for x in ("en", "ru", "kk")}
        if wanted == row["code"] or wanted in (row["former_codes"] or []) or wanted in names:
            return row
    labels = {row["code"]: f"{row['code']} ({row['name_en']})" for row in rows}
    candidates = {
        k: row["code"] for row in rows for k in [row["code"], *(row["former_codes"] or []), row["name_en"].upper()]
    }
    close = difflib.get_close_matches(wanted, list(candidates), n=3, cutoff=0.5)
    offers = list(dict.fromkeys(labels[candidates[c]] for c in close))
    hint = f"; did you mean {' or '.join(offers)}?" if offers else "; `python cli.py matrix` lists the countries"
    typer.echo(f"error: no country or region `{code}` in the store{hint}", err=True)
    raise typer.Exit(EXIT_INVALID)


# --- printing several tables --------------------------------------------------------------------------------


def _quality_row(code: str, name: str, level: str, r: dict[str, Any]) -> dict[str, Any]:
    def pct(share: float | None) -> str:
        return "" if share is None else f"{share * 100:.0f}%"

    unknown = r["unknown_instruments"]
    return {
        "code": code,
        "name": name,
        "level": level,
        "facts": r["facts"],
        "with source": pct(r["with_source_share"]),
        "with year": pct(r["with_year_share"]),
        "undated": r["undated"],
        "study alone": pct(r["study_alone_share"]),
        "source with URL": pct(r["with_url_share"]),
        "scored, 2nd source": pct(r["scored_second_source_share"]),
        "unknown instruments": len(unknown) if isinstance(unknown, list) else unknown,
        "not recorded (table 3.20)": len(r.get("missing_table_3_20_instruments", [])),
        "older than 5 years": r["older_than_5_years"],
        "ranges": r["ranges"],
        "estimates": r["estimates"],
        "targets": r["targets"],
        "disagreements": r["disagreements"],
    }


def _check_row(c: dict[str, Any]) -> dict[str, Any]:
    def pp(x: float | None) -> str:
        return "" if x is None else f"{x:.2f}"

    return {
        "code": c["code"],
        "year": c["year"],
        "currency": c["currency"],
        "recomputed %": pp(c["recomputed"]),
        "printed %": pp(c["printed"]),
        "difference (pp)": "" if c["difference_pp"] is None else f"{c['difference_pp']:+.3f}",
        "flag": "!" if c["flagged"] else "",
        "sources (GVA / GDP / share)": " / ".join(str(c[k]) for k in ("gva_source", "gdp_source", "printed_source")),
    }


def _print_sections(sections: list[Section], fmt: OutputFormat, data: Any, output: Any) -> None:
    """Tables one after another with their titles; csv puts several in one table with a `section` column."""
    if fmt is OutputFormat.json:
        emit(render([], fmt, data=_jsonable(data)), output)
        return
    if fmt is OutputFormat.csv:
        named = len(sections) > 1
        columns = list(
            dict.fromkeys([*(["section"] if named else []), *(k for _, r in sections for row in r for k in row)])
        )
        flat = [
            {c: _cell({"section": title, **row}.get(c, ""), fmt) for c in columns}
            for title, rows in sections
            for row in rows
        ]
        emit(render(flat, fmt), output)
        return
    parts = []
    for title, rows in sections:
        heading = f"### {title}" if fmt is OutputFormat.markdown else f"{title}\n{'=' * min(len(title), 100)}"
        body = render([{k: _cell(v, fmt) for k, v in row.items()} for row in rows], fmt) if rows else "(none)"
        parts.append(f"{heading}\n\n{body}")
    emit("\n\n".join(parts), output)


def _cell(value: Any, fmt: OutputFormat) -> Any:
    """Multi-line cells: wrapped lines in a terminal table, <br> in markdown, `; ` in csv."""
    import textwrap

    if not isinstance(value, str):
        return value
    lines = value.split("\n")
    if fmt is OutputFormat.markdown:
        return "<br>".join(line.replace("|", "\\|") for line in lines)
    if fmt is OutputFormat.csv:
        return "; ".join(lines)
    return "\n".join(w for line in lines for w in (textwrap.wrap(line, 60) or [""]))


def _jsonable(data: Any) -> Any:
    """Drop the display-only rows (`*_rows`) from a command's JSON."""
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not k.endswith("_rows")}
    return data
