"""`release`: make a numbered, dated, tagged edition of the data that a ranking can cite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from benchmark.cli.app import EXIT_INVALID, EXIT_USAGE, app


@app.command()
def release(
    version: Annotated[str, typer.Argument(help="The edition's number, such as 1.0 or 2026.1.")],
    day: Annotated[
        str | None, typer.Option("--date", help="The edition's date, YYYY-MM-DD (default: today, UTC).")
    ] = None,
) -> None:
    """Release an edition of the data: check that the tree is clean and the data valid, write
    edition.yaml (version, date, data commit, counts, what changed since the last edition), the version
    and date of CITATION.cff and the changelog's section, commit them, and tag the commit edition-VERSION.

    Run it at the top of the repository; `git push --follow-tags` publishes the edition.

    Example: python cli.py release 1.0
    """
    from benchmark.publish.edition import EditionError, tag
    from benchmark.publish.edition import release as run

    try:
        when = dt.date.fromisoformat(day) if day else dt.datetime.now(dt.UTC).date()
    except ValueError:
        typer.echo(f"error: --date {day}: expected a date as YYYY-MM-DD", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    try:
        edition = run(Path.cwd(), version, when)
    except EditionError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    counts, changes = edition["counts"], edition["changes"]
    typer.echo(
        f"edition {version} ({edition['date']}): {counts['countries']} countries, {counts['regions']} regions, "
        f"{counts['sources']} shared sources, {counts['profiles']} profiles; "
        f"{len(changes.get('countries_added', []))} records added since "
        f"{changes['since'] or 'the first commit'}; tagged {tag(version)}"
    )
    typer.echo(f"cite as: {edition['cite_as']}")
