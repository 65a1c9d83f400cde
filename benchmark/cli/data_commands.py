"""`validate` and `load`: the researcher's check and the all-or-nothing store."""

from __future__ import annotations

from typing import Annotated

import typer

from benchmark.cli.app import (
    EXIT_INVALID,
    DatabaseUrl,
    DataPaths,
    ProblemFormat,
    app,
    data_paths,
    database_url,
)


@app.command()
def validate(
    paths: DataPaths = None,
    format: Annotated[ProblemFormat, typer.Option("--format", help="text, json, or github annotations.")] = (
        ProblemFormat.text
    ),
) -> None:
    """Check country files: structure and types, then the dataset-wide rules.

    Every problem is printed at once as FILE:LINE:COLUMN: FIELD: MESSAGE (EXPECTED).

    Example: python cli.py validate countries/KAZ.yaml --format github
    """
    from benchmark.problems import render
    from benchmark.records.validate import validate as run

    records, problems = run(data_paths(paths), parallel=True)
    if format is ProblemFormat.text:  # a currency-year the rate table lacks: how to add it, never a failure
        from benchmark.records.rate_notes import unrecorded

        for note in unrecorded(records):
            typer.echo(note.text(), err=True)
    if problems:
        typer.echo(render(problems, format.value))
        if format is ProblemFormat.text:
            typer.echo(f"{len(problems)} problem(s) in {len({p.file for p in problems})} file(s)", err=True)
        raise typer.Exit(EXIT_INVALID)
    if format is ProblemFormat.json:
        typer.echo("[]")
    else:
        typer.echo(f"ok: {len(records)} record(s) valid", err=format is ProblemFormat.github)


@app.command()
def load(
    paths: DataPaths = None,
    database_url_: DatabaseUrl = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Drop and recreate the store first.")] = False,
) -> None:
    """Validate, then write the records to the store in one transaction (all or nothing).

    Unchanged records are left alone; a changed file replaces that country's rows only. With no
    PATHS the whole countries/ folder is loaded and records whose files are gone are removed.

    Example: python cli.py load --database-url postgresql+psycopg://me@localhost/benchmark
    """
    from benchmark.problems import render
    from benchmark.records.validate import validate as check
    from benchmark.store.load import StoreError, _safe
    from benchmark.store.load import load as run

    records, problems = check(data_paths(paths), parallel=True)
    if problems:
        typer.echo(render(problems, "text"))
        typer.echo(f"{len(problems)} problem(s): nothing was loaded, the store is unchanged", err=True)
        raise typer.Exit(EXIT_INVALID)
    url = database_url(database_url_)
    try:
        report = run(records, url, prune=not paths, rebuild=rebuild)
        # What was read is recorded, so that read commands refresh from it (and only from it) later.
        from benchmark.store.freshness import mark_loaded

        mark_loaded(url, data_paths(paths), prune=not paths)
    except StoreError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    typer.echo(
        f"loaded {len(records)} record(s) into {_safe(url)}: {len(report.added)} added, "
        f"{len(report.changed)} changed, {len(report.unchanged)} unchanged, {len(report.removed)} removed"
    )


@app.command()
def schemas(
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a committed schema is stale.")
    ] = False,
) -> None:
    """Regenerate the published JSON Schemas in schemas/ from the code's models.

    Run it after changing benchmark/records/models.py, benchmark/scoring/profiles.py or the indicator registry; a test
    (and the pre-commit hook, with --check) fails while the committed schemas are stale.

    Example: python cli.py schemas --check
    """
    from benchmark.records.schema_export import SCHEMA_DIR, generated, write

    if check:
        stale = [
            name
            for name, text in generated().items()
            if not (SCHEMA_DIR / name).is_file() or (SCHEMA_DIR / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            typer.echo(f"schemas/{name} is stale: run `python cli.py schemas` and commit the result", err=True)
        if stale:
            raise typer.Exit(EXIT_INVALID)
        typer.echo("ok: the published schemas match the code")
        return
    for path in write():
        typer.echo(f"wrote {path}")
