"""`incentive`: what each film incentive is worth to one production, ranked, with the rule that bound it.

The rows come from benchmark.scoring.incentive_table, the values from incentive_value; this module reads
the options, checks them, and prints. `--coverage` instead lists which programmes have enough rules.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from benchmark.cli.app import EXIT_INVALID, EXIT_USAGE, DatabaseUrl, app, database_url
from benchmark.cli.output import Output, OutputFormat, emit, render

if TYPE_CHECKING:
    from benchmark.scoring.incentive_table import Entry
    from benchmark.scoring.incentive_value import Value


class IncentiveFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    csv = "csv"
    json = "json"


_AS_OUTPUT = {"text": OutputFormat.table, "markdown": OutputFormat.markdown, "csv": OutputFormat.csv,
              "json": OutputFormat.json}  # fmt: skip


SPEND_HELP = (
    "CATEGORY=AMOUNT inside the local spend: vfx, post_production, animation, regional, local_hire (repeatable)."
)


@app.command()
def incentive(
    budget: Annotated[float, typer.Option("--budget", help="Total production budget, such as 5e6.")] = 5e6,
    currency: Annotated[str, typer.Option("--currency", help="Currency of the budget (ISO 4217).")] = "USD",
    local_share: Annotated[
        float | None, typer.Option("--local-share", help="Share of the budget spent in the country, 0-1.")
    ] = None,
    local_spend: Annotated[
        float | None, typer.Option("--local-spend", help="Amount spent in the country (instead of a share).")
    ] = None,
    kind: Annotated[str, typer.Option("--kind", help="feature, series, animation, documentary or game.")] = "feature",
    spend: Annotated[list[str] | None, typer.Option("--spend", help=SPEND_HELP)] = None,
    target: Annotated[str | None, typer.Option("--target-currency", help="Show values in this currency.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Year of the exchange rates (default: latest).")] = None,
    countries: Annotated[str | None, typer.Option("--countries", help="Only these countries: KAZ,UZB,GEO.")] = None,
    scenario: Annotated[
        list[str] | None, typer.Option("--scenario", help="Add a scenario's programme: KAZ:concept-2026-2030.")
    ] = None,
    coverage: Annotated[
        bool, typer.Option("--coverage", help="List which programmes have enough rules for a value.")
    ] = False,
    format: Annotated[IncentiveFormat, typer.Option("--format", help="text, markdown, csv or json.")] = (
        IncentiveFormat.text
    ),
    output: Output = None,
    database_url_: DatabaseUrl = None,
) -> None:
    """What each film incentive is worth to one production, best first.

    Each row gives the value (a range where a rule is unknown or a rate depends on a condition), the
    effective rate on the local spend, the rule that bound the value (rate, cap, minimum, qualifying
    share) with its source, and the rules the record lacks. Amounts convert at the annual average rate of
    benchmark/registry/exchange_rates.yaml for the year asked, or the latest year it has.

    Example: python cli.py incentive --budget 5e6 --currency USD --local-share 0.6 --kind feature
    --countries KAZ,UZB,GEO,TUR --scenario KAZ:concept-2026-2030
    """
    from benchmark.scoring.incentive_table import UnknownSelection, coverage_rows, entries, valued
    from benchmark.scoring.incentive_value import Production
    from benchmark.store.freshness import fresh_facts

    codes = [c.strip().upper() for c in countries.split(",") if c.strip()] if countries else None
    if local_spend is None and local_share is None:
        local_share = 1.0
    production = Production(
        budget, currency.upper(), kind, local_spend, local_share if local_spend is None else None,
        _categories(spend or []), target.upper() if target else None, year,
    )  # fmt: skip
    if production.problems():
        typer.echo("error: " + "; ".join(production.problems()), err=True)
        raise typer.Exit(EXIT_USAGE)
    facts = fresh_facts(database_url(database_url_))
    fmt = _AS_OUTPUT[format.value]
    if coverage:
        rows = coverage_rows(facts)
        enough = sum(r["enough"] for r in rows)
        shown = [{**r, "missing": ", ".join(r["missing"])} for r in rows]
        bounded = sum(r["answer"] == "upper bound" for r in rows)
        data = {"count": {"programmes": len(rows), "enough": enough, "upper_bound_only": bounded}, "programmes": rows}
        text = render(shown, fmt, data=data)
        if format is IncentiveFormat.text:
            text += (
                f"\n\n{enough} of {len(rows)} programmes have enough rules for a value; {bounded} more give an "
                f"upper bound only; {len(rows) - enough - bounded} give no value."
            )
        emit(text, output)
        return
    try:
        chosen = entries(facts, codes, scenario or [])
    except UnknownSelection as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    if not chosen:
        typer.echo("error: no film-incentive programme is recorded for the countries chosen", err=True)
        raise typer.Exit(EXIT_INVALID)
    pairs = valued(chosen, production)
    rows = [_row(i, e, v, production) for i, (e, v) in enumerate(pairs, 1)]
    data = {"production": production.__dict__, "programmes": [_json(e, v) for e, v in pairs]}
    emit(render(rows, fmt, data=data), output)


def _categories(items: list[str]) -> dict[str, float]:
    out = {}
    for item in items:
        name, _, amount = item.partition("=")
        try:
            out[name.strip()] = float(amount)
        except ValueError:
            hint = f"`{item}`: write CATEGORY=AMOUNT, such as vfx=500000"
            raise typer.BadParameter(hint, param_hint="--spend") from None
    return out


def amount_text(low: float | None, high: float | None) -> str:
    from benchmark.money import format_scaled

    if low is None:
        return "unknown"
    if high is None:
        return f"at least {format_scaled(low)}"
    return format_scaled(low) if low == high else f"{format_scaled(low)} to {format_scaled(high)}"


def _percent(pair: tuple[float, float | None] | None) -> str:
    if pair is None:
        return ""
    low, high = pair
    if high is None:
        return f"at least {low:.3g}%"
    return f"{low:.3g}%" if abs(low - high) < 1e-9 else f"{low:.3g}-{high:.3g}%"


def _row(rank: int, e: Entry, v: Value, production: Any) -> dict[str, Any]:
    t = v.target or {}
    country = f"{e.country}:{e.scenario}" if e.scenario else e.country
    if e.programme is None:
        value, bound = "none", f"no programme recorded (instrument {e.status})"
    elif v.status == "ineligible":
        value, bound = "0", "; ".join(v.why_not)
    else:
        value = amount_text(t.get("low"), t.get("high"))
        bound = (v.binding or {}).get("text", "")
    source = (v.binding or {}).get("source") or (e.programme or {}).get("source") or ""
    return {
        "rank": rank,
        "country": country,
        "programme": e.name[:60],
        f"value ({t.get('currency') or production.target_currency or production.currency})": value,
        "rate on local spend": _percent(v.rate_on_local),
        "bound by": bound,
        "unknown rules": ", ".join(dict.fromkeys(u["rule"] for u in v.unknowns)),
        "source": source,
    }


def _json(e: Entry, v: Value) -> dict[str, Any]:
    return {"country": e.country, "scenario": e.scenario, "programme": e.name, "instrument_status": e.status,
            **v.as_dict()}  # fmt: skip
