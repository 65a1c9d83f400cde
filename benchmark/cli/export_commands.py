"""`export`: the store as CSV, JSON and Parquet files with a Frictionless Data Package descriptor."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from benchmark.cli.app import DatabaseUrl, app, database_url


@app.command()
def export(
    output: Annotated[
        Path, typer.Option("--output", help="Folder to write the files to (replaced whole once complete).")
    ],
    database_url_: DatabaseUrl = None,
) -> None:
    """Write every table of the store, and the exchange rates, as CSV, JSON and Parquet, plus
    datapackage.json: a Frictionless Data Package (tabular-data-package) describing each CSV file
    with its fields, types, keys, licence and sources.

    Check it with `frictionless validate DIR/datapackage.json`.

    Example: python cli.py export --output build/export
    """
    from benchmark.publish.export import write_exports
    from benchmark.publish.output import replace_folder
    from benchmark.store.freshness import fresh_facts

    facts = fresh_facts(database_url(database_url_))
    paths = replace_folder(output, lambda fresh: write_exports(facts, fresh))
    typer.echo(f"wrote {len(paths)} files to {output}/ (descriptor: {output / 'datapackage.json'})")
