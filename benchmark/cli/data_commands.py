"""`validate` and `load`: the researcher's check and the all-or-nothing store."""

from __future__ import annotations

from typing import Annotated

import typer

from benchmark.cli.app import (
    EXIT_INVALID, DataPaths, DatabaseUrl, ProblemFormat, app, data_paths, database_url,
)


@app.command()
def validate(
    paths: DataPaths = None,
    format: Annotated[ProblemFormat, typer.Option("--format", help="text, json, or github annotations.")] = (
        ProblemFormat.text),
) -> None:
    """Check country files: structure and types, then the dataset-wide rules.

    Every problem is printed at once as FILE:LINE:COLUMN: FIELD: MESSAGE (EXPECTED).

    Example: python cli.py validate countries/KAZ.yaml --format github
    """
    from benchmark.problems import render
    from benchmark.validate import validate as run

    records, problems = run(data_paths(paths))
    if problems:
        typer.echo(render(problems, format.value))
        if format is ProblemFormat.text:
            typer.echo(f"{len(problems)} problem(s) in {len({p.file for p in problems})} file(s)", err=True)
        raise typer.Exit(EXIT_INVALID)
    if format is ProblemFormat.json:
        typer.echo("[]")
    else:
        typer.echo(f"ok: {len(records)} record(s) valid", err=format is ProblemFormat.github)
