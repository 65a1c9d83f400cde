"""The researcher's path: `new-country` scaffolds a record, `diff` shows what a change does."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from benchmark.cli.app import EXIT_INVALID, app
from benchmark.cli.output import Format, Output, OutputFormat, emit, render


@app.command("new-country")
def new_country(
    code: Annotated[str, typer.Argument(help="ISO 3166-1 alpha-3 code of the country, such as ARM.")],
    region: Annotated[str | None, typer.Option("--region", help="The benchmark region, e.g. 'South Caucasus'.")] = None,
    folder: Annotated[Path, typer.Option("--folder", help="Where country files live.")] = Path("countries"),
) -> None:
    """Write countries/CODE.yaml from the template: names from ISO 3166, every instrument unknown.

    It never overwrites an existing record. Fill in the facts your sources give, then run
    `python cli.py validate countries/CODE.yaml`.

    Example: python cli.py new-country ARM --region "South Caucasus"
    """
    from benchmark.records.scaffold import ScaffoldError, scaffold

    try:
        path = scaffold(code, folder, region)
    except ScaffoldError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(f"wrote {path}: fill in its sources, metrics and instruments (see CONTRIBUTING.md)")


@app.command()
def diff(
    base: Annotated[str, typer.Argument(help="The git revision to compare from, e.g. main or HEAD~1.")],
    head: Annotated[str | None, typer.Argument(help="The revision to compare to (default: the working tree).")] = None,
    format: Format = OutputFormat.markdown,
    output: Output = None,
) -> None:
    """List the facts added, changed and removed between two revisions of the data, and how every
    profile's ranking moves.

    Pull-request CI prints it as the job summary.

    Example: python cli.py diff main --format markdown
    """
    from benchmark.publish.datadiff import RevisionError, records_at
    from benchmark.publish.datadiff import diff as run
    from benchmark.publish.diff_report import report

    repo = Path.cwd()
    try:
        before, after = records_at(base, repo), records_at(head, repo)
    except RevisionError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    changes = run(before, after)
    rows, data, text = report(changes, before, after, base, head or "working tree")
    if format is OutputFormat.markdown:
        emit(text, output)
    else:
        emit(render(rows, format, data=data), output)
