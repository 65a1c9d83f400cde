"""Rebuild a record from the store's rows: the proof that the store keeps everything a file says."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, SQLModel, col

from benchmark.records.models import Country
from benchmark.store.load import StoreError, check_version, engine_for
from benchmark.store.tables import (
    BodyRow,
    CountryRow,
    CountrySourceRow,
    InstrumentRow,
    LawRow,
    ObservationRow,
    RebateRow,
    ScenarioRow,
    SourceRow,
    TaxRateRow,
    TaxRegimeRow,
)

# Columns that say where a row sits in its record (tables.py marks them `place`): not fields of the record.
_ROW_ONLY = {c.name for t in SQLModel.metadata.tables.values() for c in t.columns if c.info.get("place")}


def read_record(url: str, code: str) -> Country:
    engine = engine_for(url)
    try:
        check_version(engine)
        with Session(engine) as s:
            row = s.get(CountryRow, code)
            if row is None:
                raise StoreError(f"{code} is not in the store")
            return Country.model_validate(_record(s, row))
    finally:
        engine.dispose()


def _record(s: Session, row: CountryRow) -> dict[str, Any]:
    keys = s.execute(select(col(CountrySourceRow.source)).where(col(CountrySourceRow.country) == row.code)).scalars()
    sources = {}
    for key in sorted(keys):
        src = s.get(SourceRow, key)
        assert src is not None
        if not src.shared:  # the record's own definitions; shared ones live in the bibliography
            sources[key] = _clean(src.model_dump(exclude={"key", "shared"}))
    metrics, instruments = _facts(s, row.code)
    scenarios = {}
    for sc in s.execute(select(ScenarioRow).where(col(ScenarioRow.country) == row.code)).scalars():
        scenarios[sc.key] = {
            **_clean(sc.model_dump(exclude={"country", "key"})),
            "metrics": metrics.get(sc.key, {}),
            "instruments": instruments.get(sc.key, {}),
        }
    return {
        "code": row.code,
        "level": row.level,
        "parent": row.parent,
        "former_codes": row.former_codes,
        "names": {"en": row.name_en, "ru": row.name_ru, "kk": row.name_kk},
        "region": row.region,
        "groupings": row.groupings,
        "sources": sources,
        "caveats": row.caveats,
        "metrics": metrics.get("", {}),
        "instruments": instruments.get("", {}),
        "scenarios": scenarios,
    }


def _facts(s: Session, code: str) -> tuple[dict[str, dict], dict[str, dict]]:
    obs = (
        s.execute(
            select(ObservationRow)
            .where(col(ObservationRow.country) == code)
            .order_by(col(ObservationRow.alternative_of).is_not(None), col(ObservationRow.position))
        )
        .scalars()
        .all()
    )
    by_id: dict[int, dict[str, Any]] = {}
    metrics: dict[str, dict[str, list]] = defaultdict(dict)
    for o in obs:
        entry = _clean(o.model_dump(exclude=_ROW_ONLY | {"unknown"}))
        if o.unknown:
            entry["value"] = "unknown"
        if o.alternative_of is None:
            entry["alternatives"] = []
            by_id[o.id] = entry
            metrics[o.scenario].setdefault(o.metric, []).append(entry)
        else:
            primary = by_id[o.alternative_of]
            entry.pop("kind", None)
            if all(entry.get(k) == primary.get(k) for k in ("year", "reported_in", "undated")):
                for k in ("year", "reported_in", "undated"):  # the primary's dating, not the alternative's own
                    entry.pop(k, None)
            primary["alternatives"].append(entry)
    instruments: dict[str, dict[str, Any]] = defaultdict(dict)
    for inst in s.execute(select(InstrumentRow).where(col(InstrumentRow.country) == code)).scalars():
        entry = _clean(inst.model_dump(exclude=_ROW_ONLY))
        entry["laws"] = _details(s, LawRow, inst.id)
        entry["rebates"] = _details(s, RebateRow, inst.id)
        entry["bodies"] = _details(s, BodyRow, inst.id)
        regimes = (
            s.execute(
                select(TaxRegimeRow)
                .where(col(TaxRegimeRow.instrument_id) == inst.id)
                .order_by(col(TaxRegimeRow.position))
            )
            .scalars()
            .all()
        )
        entry["tax_regimes"] = [
            {
                **_clean(r.model_dump(exclude=_ROW_ONLY)),
                "rates": [
                    _clean(x.model_dump(exclude=_ROW_ONLY))
                    for x in s.execute(
                        select(TaxRateRow).where(col(TaxRateRow.regime_id) == r.id).order_by(col(TaxRateRow.position))
                    ).scalars()
                ],
            }
            for r in regimes
        ]
        instruments[inst.scenario][inst.instrument] = entry
    return metrics, instruments


def _details(s: Session, table: Any, instrument_id: int) -> list[dict[str, Any]]:
    rows = s.execute(select(table).where(table.instrument_id == instrument_id).order_by(table.position)).scalars()
    return [_clean(r.model_dump(exclude=_ROW_ONLY)) for r in rows]


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    """Drop empty optional columns so the models' defaults apply, as they did when the file was read."""
    return {k: v for k, v in d.items() if v is not None}
