"""The data-quality report: how well sourced, dated and complete each record is, and whether its numbers agree.

`quality_report(facts)` is the one source for the `quality` command and the site's quality page. It counts, per
record (countries and regions) and overall, the facts of the observed record (observations and instruments;
scenarios and alternatives are not facts of their own), and recomputes the creative share of GDP wherever a
record gives both gross value added and GDP in the same currency and year.

It also says how far the evidence goes past the founding study: a fact rests on the study alone when its
source is the study (or reached us through it, `via`) and no other source states it (`also`) or reads it
otherwise (an alternative). "Scored" facts are those a built-in ranking profile reads.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from benchmark import registry
from benchmark.publish.matrix import TABLE_3_20_COUNTRIES
from benchmark.store.facts import Facts

OLD_AFTER_YEARS = 5  # a fact more than this many years older than the reference year counts as old
SHARE_TOLERANCE_PP = 0.05  # a recomputed share further than this from the printed one is flagged
PAST_KINDS = ("observed", "estimate")  # targets and projections describe the future, not the data's age

FOUNDING_STUDY = "ciaq-concept-2026"  # the draft concept (seed 003), cited by id in sources/
STUDY_COUNTRIES = (*TABLE_3_20_COUNTRIES, "MAR")

COUNTS = (
    "facts", "observations", "instruments", "with_source", "with_year", "unknown_values", "older_than_5_years",
    "ranges", "estimates", "targets", "disagreements", "undated", "study_alone", "with_url", "scored",
    "scored_study_alone",
)  # fmt: skip


def reference_year(facts: Facts) -> int | None:
    """The newest year of an observed or estimated value: the default `as of` for "older than five years"."""
    years = facts.observations.filter(pl.col("kind").is_in(PAST_KINDS) & (pl.col("scenario") == ""))["year"]
    newest = years.max()
    return int(newest) if isinstance(newest, int | float) else None


def quality_report(facts: Facts, as_of: int | None = None) -> dict[str, Any]:
    """Per-record and overall quality figures, and every GDP-share recomputation; JSON-serialisable."""
    as_of = as_of if as_of is not None else reference_year(facts)
    obs = facts.observations.filter(pl.col("scenario") == "")
    main = obs.filter(pl.col("alternative_of").is_null())
    disputed = set(obs["alternative_of"].drop_nulls().to_list())
    # An instrument's status describes the year its source reports it for (table 3.20 gives 2026
    # statuses), or the year it came into force when `since` is known: that is the fact's year.
    source_years = facts.sources.select(pl.col("key").alias("source"), pl.col("year").alias("source_year"))
    instruments = (
        facts.instruments.filter(pl.col("scenario") == "")
        .join(source_years, on="source", how="left")
        .with_columns(pl.coalesce("since", "source_year").alias("year"))
    )
    other_readings = set(
        obs.filter(pl.col("alternative_of").is_not_null() & ~_on_study(pl.col("source"), pl.col("via")))[
            "alternative_of"
        ].to_list()
    )
    urls = set(facts.sources.filter(pl.col("url").is_not_null())["key"].to_list())
    scored = scored_indicators()
    main = _evidence(main, other_readings, urls, scored, "metric")
    instruments = _evidence(instruments, set(), urls, scored, "instrument")
    # Split by country once (a filter per record would scan every row once a record: quadratic).
    main = main.with_columns(pl.col("id").is_in(list(disputed)).alias("_disputed"))
    obs_of, own_of = _by_country(main), _by_country(instruments)
    records = [
        _record(row, obs_of.get(row["code"], main.clear()), own_of.get(row["code"], instruments.clear()), as_of)
        for row in facts.countries.sort(["level", "code"]).iter_rows(named=True)
    ]
    checks = share_checks(facts)
    overall: dict[str, Any] = {k: sum(r[k] for r in records) for k in COUNTS}
    overall.update(
        records=len(records),
        countries=sum(r["level"] == "country" for r in records),
        regions=sum(r["level"] == "region" for r in records),
        unknown_instruments=sum(len(r["unknown_instruments"]) for r in records),
        share_checks=len(checks),
        share_checks_flagged=sum(c["flagged"] for c in checks),
    )
    _add_shares(overall)
    # The 19 foreign countries the founding study benchmarks (table 3.20's 18, and Morocco in §3.16).
    studied = [r for r in records if r["code"] in STUDY_COUNTRIES]
    study_countries: dict[str, Any] = {k: sum(r[k] for r in studied) for k in COUNTS}
    study_countries["records"] = len(studied)
    study_countries["unknown_instruments"] = sum(len(r["unknown_instruments"]) for r in studied)
    _add_shares(study_countries)
    return {
        "as_of": as_of,
        "old_after_years": OLD_AFTER_YEARS,
        "share_tolerance_pp": SHARE_TOLERANCE_PP,
        "overall": overall,
        "study_countries": study_countries,
        "sources": _sources(facts),
        "records": records,
        "share_checks": checks,
    }


def _by_country(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    return {str(key[0]): part for key, part in frame.partition_by("country", as_dict=True).items()}


def _record(row: dict, obs: pl.DataFrame, own: pl.DataFrame, as_of: int | None) -> dict:
    """One record's figures, from its own observations (with `_disputed`) and instruments."""
    unknown = own.filter((pl.col("status") == "unknown") | (pl.col("level") == "unknown"))["instrument"].to_list()
    recorded = set(own["instrument"].to_list())
    past = obs.filter(pl.col("kind").is_in(PAST_KINDS))
    out: dict[str, Any] = {
        "code": row["code"],
        "level": row["level"],
        "parent": row["parent"],
        "name": {"en": row["name_en"], "ru": row["name_ru"], "kk": row["name_kk"]},
        "facts": obs.height + own.height,
        "observations": obs.height,
        "instruments": own.height,
        "with_source": _count(obs, "source") + _count(own, "source"),
        "with_year": _count(obs, "year") + _count(own, "year"),
        "unknown_values": int(obs["unknown"].sum()),
        "older_than_5_years": 0 if as_of is None else past.filter(pl.col("year") < as_of - OLD_AFTER_YEARS).height,
        "ranges": obs.filter(pl.col("low").is_not_null() & pl.col("high").is_not_null()).height,
        "estimates": obs.filter(pl.col("kind") == "estimate").height,
        "targets": obs.filter(pl.col("kind") == "target").height,
        "disagreements": int(obs["_disputed"].sum()),
        "undated": obs.filter(pl.col("year").is_null() & pl.col("reported_in").is_not_null()).height,
        "study_alone": int(obs["study_alone"].sum()) + int(own["study_alone"].sum()),
        "with_url": int(obs["with_url"].sum()) + int(own["with_url"].sum()),
        "scored": int(obs["scored"].sum()) + int(own["scored"].sum()),
        "scored_study_alone": int((obs["scored"] & obs["study_alone"]).sum())
        + int((own["scored"] & own["study_alone"]).sum()),
        "unknown_instruments": unknown,
        "missing_table_3_20_instruments": [  # a region is not expected to record national instruments
            i for i in registry.table_3_20_instruments() if i not in recorded and row["level"] == "country"
        ],
    }
    _add_shares(out)
    return out


def _count(frame: pl.DataFrame, column: str) -> int:
    return frame.height - frame[column].null_count()


def _add_shares(counts: dict[str, Any]) -> None:
    for key in ("with_source", "with_year", "study_alone", "with_url"):
        counts[f"{key}_share"] = round(counts[key] / counts["facts"], 4) if counts["facts"] else None
    scored, alone = counts["scored"], counts["scored_study_alone"]
    counts["scored_second_source_share"] = round((scored - alone) / scored, 4) if scored else None


def _sources(facts: Facts) -> dict[str, Any]:
    """How many sources have a URL; those that do not, each with the document it reached us through."""
    sources = facts.sources.sort("key")
    without = sources.filter(pl.col("url").is_null())
    return {
        "total": sources.height,
        "with_url": sources.height - without.height,
        "without_url": [{"key": r["key"], "cited_in": r["cited_in"]} for r in without.iter_rows(named=True)],
    }


def _on_study(source: pl.Expr, via: pl.Expr) -> pl.Expr:
    return (source == FOUNDING_STUDY) | (via == FOUNDING_STUDY)


def _evidence(frame: pl.DataFrame, other_readings: set, urls: set, scored: set[str], what: str) -> pl.DataFrame:
    """Add study_alone, with_url and scored to facts (observations or instruments)."""

    def other(citations: list[dict]) -> bool:
        return any(
            x.get("source") and x.get("source") != FOUNDING_STUDY and x.get("via") != FOUNDING_STUDY for x in citations
        )

    # Another source speaks to the fact: it states it too (`also`), or, for an instrument, the codebook's
    # reading rests on it (a second reading, like an alternative).
    codebook = frame["codebook"].to_list() if "codebook" in frame.columns else [None] * frame.height
    also_other = [
        other(json.loads(a) if a else []) or other([json.loads(c)] if c else [])
        for a, c in zip(frame["also"].to_list(), codebook, strict=True)
    ]
    alternative = pl.col("id").is_in(list(other_readings)) if other_readings else pl.lit(False)
    return frame.with_columns(
        (
            _on_study(pl.col("source"), pl.col("via")).fill_null(False)
            & ~pl.Series(also_other, dtype=pl.Boolean)
            & ~alternative
        ).alias("study_alone"),
        pl.col("source").is_in(list(urls)).fill_null(False).alias("with_url"),
        # A scored fact: a known value or status of an indicator a built-in profile reads (past, not a target).
        (pl.col(what).is_in(list(scored)) & _known(frame, what)).alias("scored"),
    )


def _known(frame: pl.DataFrame, what: str) -> pl.Expr:
    if what == "metric":
        return ~pl.col("unknown") & pl.col("kind").is_in(PAST_KINDS)
    return ~pl.coalesce(
        pl.when(pl.col("level").is_not_null()).then(pl.col("level") == "unknown"), pl.col("status") == "unknown"
    ).fill_null(True)


def scored_indicators() -> set[str]:
    """The metrics and instruments the built-in ranking profiles read."""
    from benchmark.scoring import profiles

    out: set[str] = set()
    for path in profiles.builtin().values():
        profile, _ = profiles.read_profile(path)
        if profile is not None:
            out |= {i.id for i in profile.indicators}
    return out


def share_checks(facts: Facts) -> list[dict[str, Any]]:
    """Every ci_gva / gdp pair of a record in one currency and year, the share it implies and the printed one."""
    obs = facts.observations.filter(
        (pl.col("scenario") == "") & pl.col("alternative_of").is_null() & pl.col("part").is_null()
    )
    gva = obs.filter((pl.col("metric") == "ci_gva") & pl.col("central").is_not_null())
    gdp = obs.filter((pl.col("metric") == "gdp") & pl.col("central").is_not_null())
    printed = obs.filter((pl.col("metric") == "ci_gdp_share") & pl.col("central").is_not_null())
    pairs = gva.join(gdp, on=["country", "unit", "year"], suffix="_gdp").sort(["country", "year", "id", "id_gdp"])
    by_year: dict[tuple[str, int], list[dict]] = {}  # printed shares by record and year, looked up per pair
    for row in printed.filter(pl.col("method").is_null()).iter_rows(named=True):
        by_year.setdefault((row["country"], row["year"]), []).append(row)
    out = []
    for p in pairs.iter_rows(named=True):
        recomputed = p["central"] / p["central_gdp"] * 100
        shown = _printed_share(by_year.get((p["country"], p["year"]), []), p["source"])
        difference = None if shown is None else recomputed - shown["central"]
        out.append(
            {
                "code": p["country"],
                "year": p["year"],
                "currency": p["unit"],
                "ci_gva": p["central"],
                "gdp": p["central_gdp"],
                "recomputed": round(recomputed, 4),
                "printed": None if shown is None else shown["central"],
                "difference_pp": None if difference is None else round(difference, 4),
                "flagged": difference is not None and abs(difference) > SHARE_TOLERANCE_PP,
                "gva_source": p["source"],
                "gdp_source": p["source_gdp"],
                "printed_source": None if shown is None else shown["source"],
            }
        )
    return out


def _printed_share(rows: list[dict], source: str | None) -> dict | None:
    """The printed share of that record and year: from the GVA's own source when it prints one."""
    if not rows:
        return None
    same = [r for r in rows if r["source"] == source]
    return (same or rows)[0]
