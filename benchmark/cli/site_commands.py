"""`build`: render the static comparison site from the store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from benchmark.cli.app import EXIT_INVALID, EXIT_USAGE, DatabaseUrl, app, database_url

DEFAULT_OUTPUT = Path("_site")


@app.command()
def build(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Folder to write the site to (replaced whole once the build is complete)."),
    ] = DEFAULT_OUTPUT,
    build_date: Annotated[
        str | None,
        typer.Option(
            "--build-date",
            help="YYYY-MM-DD shown as the date of the data (default: the newest `accessed` date of any source; "
            "the clock is never read, so the same data builds the same bytes).",
        ),
    ] = None,
    database_url_: DatabaseUrl = None,
) -> None:
    """Build the static, trilingual comparison site (English, Russian, Kazakh) from the store.

    The store is rebuilt from countries/ first when it is missing or older than the files. The site is
    static files with relative links: open OUTPUT/index.html in a browser, or serve the folder from any
    static host.

    Example: python cli.py build --output _site --build-date 2026-03-28
    """
    from benchmark.publish.output import replace_folder
    from benchmark.publish.site.build import SiteError, build_site
    from benchmark.store.freshness import fresh_facts

    if build_date is not None:
        try:
            dt.date.fromisoformat(build_date)
        except ValueError:
            typer.echo(f"error: --build-date {build_date}: expected a date as YYYY-MM-DD, such as 2026-03-28", err=True)
            raise typer.Exit(EXIT_USAGE) from None
    facts = fresh_facts(database_url(database_url_))
    bars: list = []

    def progress(written: int, total: int, path: str) -> None:
        if not bars:
            bars.append(typer.progressbar(length=total, label="building the site", file=sys.stderr, show_pos=True))
            bars[0].__enter__()
        bars[0].update(written - bars[0].pos)  # pages come in chunks when workers render them

    try:
        summary = replace_folder(
            output, lambda fresh: build_site(facts, fresh, build_date=build_date, progress=progress, parallel=True)
        )
    except SiteError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    finally:
        if bars:
            bars[0].__exit__(None, None, None)
    summary = dataclasses.replace(summary, output=output)  # written beside it, then swapped in
    for note in summary.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(summary.describe())
    typer.echo(f"open {output / 'index.html'} in a browser, or serve {output}/ from any static host")
