"""The exchange-rate table the methodology page documents (`benchmark.money`'s reference table)."""

from __future__ import annotations

from typing import Any

from benchmark.publish.site.data import SiteData
from benchmark.publish.site.formatting import web_link


def rates(data: SiteData) -> dict[str, Any]:
    """Rates and the pairs no source covers, sorted by currency and year; empty when there is no table."""
    try:
        from benchmark.money import reference_table

        table = reference_table()
    except (ImportError, OSError, AttributeError, KeyError, TypeError, ValueError):
        return {"rates": [], "missing": []}
    rows = []
    for (currency, year), rate in sorted(table.rates.items()):
        rows.append(
            {
                "currency": currency,
                "year": year,
                "per_usd": rate.per_usd,
                "publisher": rate.source.get("publisher", ""),
                "title": rate.source.get("title", ""),
                "url": web_link(rate.source.get("url")),
                "at": rate.source.get("at"),
                "method": rate.method,
                "alternatives": [
                    {
                        "per_usd": float(a.get("per_usd", 0)),
                        "publisher": (a.get("source") or {}).get("publisher", ""),
                        "at": (a.get("source") or {}).get("at"),
                        "method": a.get("method", ""),
                    }
                    for a in rate.alternatives
                ],
            }
        )
    missing = [{"currency": c, "year": y, "reason": r} for (c, y), r in sorted(table.missing.items())]
    return {"rates": rows, "missing": missing}
