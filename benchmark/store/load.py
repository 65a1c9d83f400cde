"""The store: write validated records to SQLite or PostgreSQL in one transaction, and read them back.

A load is all or nothing. Unchanged records (same content hash) are left alone, a changed record's
rows are replaced, and with `prune` records whose files are gone are removed; if anything fails the
transaction rolls back and the store holds exactly what it held before.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, create_engine

from benchmark.problems import StoreError
from benchmark.records.models import SCALE_FACTOR, Country, Instrument, Observation
from benchmark.records.rule_frames import Record
from benchmark.store.dburl import connect_args, safe_url, sqlite_file, store_url_problem, transactional_ddl
from benchmark.store.tables import (
    DETAIL_TABLES,
    SCHEMA_VERSION,
    BodyRow,
    CountryRow,
    CountrySourceRow,
    InstrumentRow,
    LawRow,
    Meta,
    ObservationRow,
    RebateRow,
    ScenarioRow,
    SourceRow,
    TaxRateRow,
    TaxRegimeRow,
)


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def engine_for(url: str) -> Engine:
    if (problem := store_url_problem(url)) is not None:
        raise StoreError(problem)
    if (path := sqlite_file(url)) is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot make the folder {path.parent} for the store: {err.strerror}") from None
        if path.is_dir():
            raise StoreError(f"the store {path} is a folder; give the path of a file")
    try:
        engine = create_engine(url, connect_args=connect_args(url))
    except (SQLAlchemyError, ImportError, ValueError) as err:
        raise StoreError(f"cannot use the database URL {_safe(url)}: {err}") from None
    if engine.dialect.name == "sqlite":
        transactional_ddl(engine)
    return engine


def stored_version(engine: Engine | Connection) -> int | None:
    """The schema version the store was written with; None for an empty store."""
    try:
        tables = set(inspect(engine).get_table_names())
        if not tables:
            return None
        if "meta" not in tables:
            return 0
        with Session(engine) as s:
            row = s.get(Meta, "schema_version")
        if row is None:
            return 0
        if not row.value.isdigit():
            raise StoreError(
                f"the store at {_safe(_url_of(engine))} holds the schema version {row.value!r}, which no version of "
                "the benchmark writes; rebuild it with `python cli.py load --rebuild`"
            )
        return int(row.value)
    except SQLAlchemyError as err:
        raise StoreError(f"cannot open the store at {_safe(_url_of(engine))}: {_first_line(err)}") from None


def check_version(engine: Engine | Connection) -> None:
    version = stored_version(engine)
    if version not in (None, SCHEMA_VERSION):
        raise StoreError(
            f"the store at {_safe(_url_of(engine))} was written with schema version {version}, and this version of "
            f"the benchmark reads version {SCHEMA_VERSION}. Rebuild it from the country files with "
            "`python cli.py load --rebuild` (the files are the source of truth; nothing is lost)."
        )


def load(records: list[Record], url: str, *, prune: bool = False, rebuild: bool = False) -> LoadReport:
    engine = engine_for(url)
    try:
        report = LoadReport()
        # One transaction from the first check to the last row, --rebuild's drop included: a refusal or a
        # failure (a foreign table, a full disk, kill -9) leaves every table as it was.
        with _connect(engine) as conn, conn.begin():
            if rebuild:
                _drop_all(conn)
            check_version(conn)
            SQLModel.metadata.create_all(conn)
            with Session(bind=conn) as s:
                s.merge(Meta(key="schema_version", value=str(SCHEMA_VERSION)))
                stored = {
                    code: digest
                    for code, digest in s.execute(select(col(CountryRow.code), col(CountryRow.content_hash)))
                }
                ids = _IdCounter(s)
                for rec in sorted(records, key=lambda r: r.country.code):
                    code, digest = rec.country.code, content_hash(rec.country)
                    if stored.get(code) == digest:
                        report.unchanged.append(code)
                        continue
                    (report.changed if code in stored else report.added).append(code)
                    if code in stored:
                        _delete_country(s, code)
                    _insert(s, rec, digest, ids)
                if prune:
                    loaded = {r.country.code for r in records}
                    for code in sorted(set(stored) - loaded):
                        _delete_country(s, code)
                        report.removed.append(code)
                used = select(col(CountrySourceRow.source))
                s.execute(delete(SourceRow).where(col(SourceRow.key).not_in(used)))
                s.flush()
        return report
    except SQLAlchemyError as err:
        raise StoreError(f"the load was rolled back, nothing changed: {_first_line(err)}") from None
    finally:
        engine.dispose()


def content_hash(country: Country) -> str:
    return hashlib.sha256(country.model_dump_json().encode()).hexdigest()


def _drop_all(conn: Connection) -> None:
    """Drop the benchmark's tables, after checking the store holds no others (then nothing is dropped)."""
    ours = set(SQLModel.metadata.tables)
    foreign = sorted(set(inspect(conn).get_table_names()) - ours)
    if foreign:
        raise StoreError(
            f"the store has tables this benchmark did not create ({', '.join(foreign)}); nothing was dropped. "
            "Give an empty database, or one only this benchmark writes"
        )
    SQLModel.metadata.drop_all(conn)


def _connect(engine: Engine) -> Connection:
    try:
        return engine.connect()
    except SQLAlchemyError as err:
        raise StoreError(f"cannot open the store at {_safe(engine.url)}: {_first_line(err)}") from None


def _url_of(bind: Engine | Connection) -> object:
    return bind.engine.url if isinstance(bind, Connection) else bind.url


class _IdCounter:
    """Hands out primary keys so each table can be written with one bulk insert."""

    def __init__(self, s: Session):
        self.s = s
        self.next: dict[type, int] = {}

    def __call__(self, table: type[Any]) -> int:
        if table not in self.next:
            self.next[table] = (self.s.execute(select(func.max(table.id))).scalar() or 0) + 1
        value = self.next[table]
        self.next[table] = value + 1
        return value


def _delete_country(s: Session, code: str) -> None:
    instruments = select(col(InstrumentRow.id)).where(col(InstrumentRow.country) == code)
    regimes = select(col(TaxRegimeRow.id)).where(col(TaxRegimeRow.instrument_id).in_(instruments))
    s.execute(delete(TaxRateRow).where(col(TaxRateRow.regime_id).in_(regimes)))
    for table in DETAIL_TABLES:
        s.execute(delete(table).where(table.instrument_id.in_(instruments)))  # type: ignore[attr-defined]
    for owned in (InstrumentRow, ObservationRow, ScenarioRow, CountrySourceRow):
        s.execute(delete(owned).where(getattr(owned, "country") == code))  # noqa: B009 (any of four tables)
    s.execute(delete(CountryRow).where(col(CountryRow.code) == code))


def _insert(s: Session, rec: Record, digest: str, ids: _IdCounter) -> None:
    c = rec.country
    rows: dict[type, list[dict[str, Any]]] = defaultdict(list)
    for key, src in [*c.sources.items(), *rec.shared.items()]:
        shared = key in rec.shared
        s.merge(SourceRow(key=key, **_dump(src, exclude={"accessed"}), accessed=_text(src.accessed), shared=shared))
    rows[CountryRow].append(
        {
            "code": c.code,
            "level": c.level,
            "parent": c.parent,
            "name_en": c.names.en,
            "name_ru": c.names.ru,
            "name_kk": c.names.kk,
            "region": c.region,
            "groupings": list(c.groupings),
            "former_codes": list(c.former_codes),
            "caveats": [_dump(x) for x in c.caveats],
            "file": rec.doc.file,
            "content_hash": digest,
        }
    )
    rows[CountrySourceRow] = [{"country": c.code, "source": key} for key in {**c.sources, **rec.shared}]
    _add_facts(rows, c.code, "", c.metrics, c.instruments, ids)
    for name, sc in c.scenarios.items():
        rows[ScenarioRow].append(
            {
                "country": c.code,
                "key": name,
                "title": _dump(sc.title),
                **_dump(sc, include={"description", "source", "at", "via", "also", "note"}),
            }
        )
        _add_facts(rows, c.code, name, sc.metrics, sc.instruments, ids)
    # Parents before children, so foreign keys hold at every statement.
    for table in (
        CountryRow,
        CountrySourceRow,
        ScenarioRow,
        ObservationRow,
        InstrumentRow,
        LawRow,
        TaxRegimeRow,
        TaxRateRow,
        RebateRow,
        BodyRow,
    ):
        if rows[table]:
            s.execute(insert(table), rows[table])


def _add_facts(
    rows: dict[type, list[dict[str, Any]]],
    code: str,
    scenario: str,
    metrics: dict[str, list[Observation]],
    instruments: dict[str, Instrument],
    ids: _IdCounter,
) -> None:
    for metric, series in metrics.items():
        for pos, obs in enumerate(series):
            oid = ids(ObservationRow)
            base = {
                "country": code,
                "scenario": scenario,
                "metric": metric,
                "year": obs.year,
                "reported_in": obs.reported_in,
                "undated": obs.undated,
                "kind": obs.kind,
            }
            rows[ObservationRow].append(
                {
                    "id": oid,
                    "position": pos,
                    **base,
                    **_observation(obs, obs.scale),
                    **_dump(obs, include={"from_year", "part", "method", "reason"}),
                }
            )
            for apos, alt in enumerate(obs.alternatives):
                rows[ObservationRow].append(
                    {
                        "id": ids(ObservationRow),
                        "position": apos,
                        "alternative_of": oid,
                        **base,
                        **({} if alt.year is None and alt.reported_in is None else _dump(alt, include=_DATING)),
                        **_observation(alt, alt.scale or obs.scale),
                        "unit": alt.unit,
                        "scale": alt.scale,
                    }
                )
    for key, inst in instruments.items():
        iid = ids(InstrumentRow)
        rows[InstrumentRow].append(
            {
                "id": iid,
                "country": code,
                "scenario": scenario,
                "instrument": key,
                **_dump(inst, exclude={"laws", "tax_regimes", "rebates", "bodies"}),
            }
        )
        for pos, law in enumerate(inst.laws):
            rows[LawRow].append(
                {
                    "id": ids(LawRow),
                    "instrument_id": iid,
                    "position": pos,
                    **_dump(law, exclude={"date"}),
                    "date": _text(law.date),
                }
            )
        for pos, regime in enumerate(inst.tax_regimes):
            rid = ids(TaxRegimeRow)
            rows[TaxRegimeRow].append(
                {"id": rid, "instrument_id": iid, "position": pos, **_dump(regime, exclude={"rates"}, mode="json")}
            )
            for rpos, rate in enumerate(regime.rates):
                rows[TaxRateRow].append({"id": ids(TaxRateRow), "regime_id": rid, "position": rpos, **_dump(rate)})
        for pos, rebate in enumerate(inst.rebates):
            rows[RebateRow].append(
                {"id": ids(RebateRow), "instrument_id": iid, "position": pos, **_dump(rebate, mode="json")}
            )
        for pos, body in enumerate(inst.bodies):
            rows[BodyRow].append(
                {"id": ids(BodyRow), "instrument_id": iid, "position": pos, **_dump(body, mode="json")}
            )


def _observation(x: Any, scale: str | None) -> dict[str, Any]:
    unknown = x.value == "unknown"
    value = None if unknown else x.value
    mid = value if value is not None else (None if x.low is None else (x.low + x.high) / 2)
    factor = SCALE_FACTOR[scale or "one"]
    return {
        "value": value,
        "unknown": unknown,
        "low": x.low,
        "high": x.high,
        "qualifier": x.qualifier,
        "central": None if mid is None else mid * factor,
        "unit": getattr(x, "unit", None),
        "scale": scale,
        "source": x.source,
        "at": x.at,
        "via": x.via,
        "also": [a.model_dump() for a in x.also],
        "note": x.note,
    }


_DATING = {"year", "reported_in", "undated"}


def _dump(
    model: Any, *, include: set[str] | None = None, exclude: set[str] | None = None, mode: str = "python"
) -> dict[str, Any]:
    return model.model_dump(include=include, exclude=exclude, mode=mode)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _safe(url: object) -> str:
    return safe_url(url)


def codes(url: str) -> list[str]:
    engine = engine_for(url)
    try:
        check_version(engine)
        with Session(engine) as s:
            return list(s.execute(select(col(CountryRow.code)).order_by(col(CountryRow.code))).scalars())
    except SQLAlchemyError as err:
        raise StoreError(f"cannot read the store at {_safe(url)}: {_first_line(err)}") from None
    finally:
        engine.dispose()


def dump_tables(url: str, tables: Iterable[type[SQLModel]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: what tests compare to prove a failed load changed nothing."""
    engine = engine_for(url)
    out: dict[str, list[tuple]] = {}
    try:
        existing = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            for table in tables or SQLModel.metadata.sorted_tables:
                t: Any = getattr(table, "__table__", table)
                if t.name in existing:
                    out[t.name] = sorted(tuple(map(repr, r)) for r in conn.execute(select(t)))
        return out
    finally:
        engine.dispose()
