"""Flatten validated records into Polars frames for the dataset-wide rules.

The frames are assembled from each record's own rows (`rule_rows`, cached with its parse); the columns
that depend on other records or on the bibliography are added here, over the whole dataset.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from benchmark.records import rate_notes
from benchmark.records.bibliography import Entry
from benchmark.records.models import Country, Source
from benchmark.records.read import Document
from benchmark.records.rule_rows import ROWS, cited_sources, source_row

__all__ = ["Facts", "Record", "StoreRows", "cited_sources", "frames"]


@dataclass(frozen=True)
class StoreRows:
    """A record's own rows of the store (store/record_rows.py), kept in the cache beside its parse.

    `tables`: by table name, a tuple per row in the table's column order, as the driver takes it;
    `sources`: the record's own sources block as rows of the bibliography table, by key."""

    tables: dict[str, list[tuple[Any, ...]]]
    sources: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Facts:
    """What the rules and the store need of a record, without its model: kept in the cache beside its parse.

    `rows` holds the record's own rows of each rule frame, column by column; the columns that depend on
    the bibliography or on other records are added when the frames are assembled.
    """

    code: str
    digest: str  # the store's content hash
    cited: list[str]  # `cited_sources`
    rows: dict[str, dict[str, list[Any]]]
    units: list[tuple[str, int, int]]  # `rate_notes.dated_units`: each value's unit, year and line
    store: StoreRows | None = None  # None when read from the light part of a cache entry (`Record.store_rows`)


class Record:
    """A file that passed layer 1: its document (for positions), its model and its name stem.

    A record from the cache holds only its `Facts`; its document and model are read on first use, which
    the dataset-wide rules and an unchanged record's load never need.
    """

    def __init__(
        self,
        doc: Document | None,
        country: Country | None,
        stem: str,
        shared: dict[str, Source] | None = None,  # the bibliography's entries this record cites
        *,
        file: str | None = None,
        facts: Facts | None = None,
        load: Callable[[], tuple[Document, Country]] | None = None,
        load_store: Callable[[], StoreRows | None] | None = None,
    ) -> None:
        self._doc, self._country, self.stem, self.shared = doc, country, stem, shared or {}
        self._file, self._facts, self._load, self._load_store = file, facts, load, load_store

    @property
    def doc(self) -> Document:
        if self._doc is None:
            self._read()
        assert self._doc is not None
        return self._doc

    @property
    def country(self) -> Country:
        if self._country is None:
            self._read()
        assert self._country is not None
        return self._country

    def _read(self) -> None:
        if self._load is None:
            raise ValueError(f"record {self.stem} has no document")
        self._doc, self._country = self._load()

    @property
    def file(self) -> str:
        return self._file if self._file is not None else self.doc.file

    @property
    def facts(self) -> Facts:
        if self._facts is None:
            self._facts = facts_of(self)
        return self._facts

    def store_rows(self) -> StoreRows:
        """The record's own rows of the store: from its facts, else the cache, else built from its model."""
        facts = self.facts
        if facts.store is not None:
            return facts.store
        found = self._load_store() if self._load_store is not None else None
        if found is None:
            from benchmark.store.record_rows import record_rows

            found = record_rows(self.country, self.file, facts.digest)
        return found

    @property
    def code(self) -> str:
        return self._facts.code if self._facts is not None else self.country.code

    def with_shared(self, shared: dict[str, Source]) -> Record:
        return Record(
            self._doc,
            self._country,
            self.stem,
            shared,
            file=self._file,
            facts=self._facts,
            load=self._load,
            load_store=self._load_store,
        )


def facts_of(rec: Record) -> Facts:
    # The store's own hash and rows (the store imports this module, hence here).
    from benchmark.store.record_rows import content_hash, record_rows

    rows = {name: _columns(build(rec), schema) for name, (build, schema) in ROWS.items()}
    cited = cited_sources(rec.country, rows["citations"]["source"])  # the citations already walked
    digest = content_hash(rec.country)
    units = rate_notes.dated_units(rec.country, rec.doc)
    return Facts(rec.country.code, digest, cited, rows, units, record_rows(rec.country, rec.file, digest))


def _columns(rows: list[dict[str, Any]], schema: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [row.get(name) for row in rows] for name in schema}


def frames(records: list[Record], entries: dict[str, Entry]) -> dict[str, pl.DataFrame]:
    """Every rule frame over the whole dataset, assembled from each record's rows."""
    out = {}
    for name, (_, schema) in ROWS.items():
        columns: dict[str, list[Any]] = {c: [] for c in schema}
        if name == "sources":
            for e in entries.values():
                row = source_row(e.doc, (), e.id, e.source, shared=True, local=set())
                for c in schema:
                    columns[c].append(row.get(c))
        for r in records:
            for c, values in r.facts.rows[name].items():
                columns[c].extend(values)
        frame = pl.DataFrame(columns, schema=schema)
        out[name] = _FINISH[name](frame, entries) if name in _FINISH else frame
    return out


def _finish_countries(frame: pl.DataFrame, entries: dict[str, Entry]) -> pl.DataFrame:
    others = frame.group_by("code").agg(pl.col("file").sort().alias("files"))
    countries = set(frame.filter(pl.col("level") == "country")["code"].to_list())
    return frame.join(others, on="code", how="left").with_columns(
        pl.col("files").list.set_difference(pl.concat_list(pl.col("file"))).list.join(", ").alias("other_files"),
        pl.col("parent").is_in(list(countries)).alias("parent_has_record"),
    )


def _finish_sources(frame: pl.DataFrame, entries: dict[str, Entry]) -> pl.DataFrame:
    """Every source definition: the bibliography's files and the records' own `sources` blocks."""
    shared_ids = list(entries)
    frame = frame.with_columns(
        (pl.col("cited_in_local") | pl.col("cited_in").is_in(shared_ids)).alias("cited_in_defined")
    ).drop("cited_in_local")
    shared = frame.filter(pl.col("shared"))
    by_publication = shared.group_by("publication").agg(pl.col("key").first().alias("shared_id"))
    local = frame.filter(~pl.col("shared"))
    return (
        frame.join(by_publication, on="publication", how="left")
        .join(
            local.group_by("key").agg(
                pl.col("file").sort().alias("defined_in"), pl.col("fingerprint").n_unique().alias("definitions")
            ),
            on="key",
            how="left",
        )
        .with_columns(
            (~pl.col("shared") & pl.col("key").is_in(shared_ids)).alias("clashes_with_shared"),
            pl.col("defined_in")
            .list.set_difference(pl.concat_list(pl.col("file")))
            .list.join(", ")
            .alias("other_files"),
            _differing_fields(local).alias("differs"),
            pl.col("key").unique().sort().implode().over("publication").list.join(", ").alias("publication_ids"),
        )
    )


def _differing_fields(local: pl.DataFrame) -> pl.Expr:
    """For a local id defined in several records: the fields whose values differ, named."""
    differing: dict[str, str] = {}
    repeated = local.filter(pl.len().over("key") > 1)  # a frame per group is costly: only ids defined twice
    for key, group in repeated.group_by("key"):
        values = [json.loads(f) for f in group["fields"].to_list()]
        names = sorted({k for v in values for k in v if len({json.dumps(x.get(k)) for x in values}) > 1})
        differing[str(key[0])] = ", ".join(names) or "none (identical definitions)"
    return pl.col("key").replace_strict(differing, default=None, return_dtype=pl.String)


def _finish_citations(frame: pl.DataFrame, entries: dict[str, Entry]) -> pl.DataFrame:
    return frame.with_columns(pl.col("defined") | pl.col("source").is_in(list(entries)))


_FINISH = {"countries": _finish_countries, "sources": _finish_sources, "citations": _finish_citations}
