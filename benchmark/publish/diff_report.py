"""Present a data diff: rows for tables, a dict for JSON, and a Markdown report for CI summaries."""

from __future__ import annotations

from typing import Any

from benchmark.publish.datadiff import DataDiff
from benchmark.records.rule_frames import Record


def report(
    changes: DataDiff, before: list[Record], after: list[Record], base: str, head: str
) -> tuple[list[dict[str, Any]], dict[str, Any], str]:
    rows = [
        {
            "country": c.country,
            "change": c.kind,
            "what": c.what,
            "fact": c.key,
            "before": c.before or "",
            "after": _after(c.before, c.after),
        }
        for c in changes.changes
    ]
    moves = ranking_moves(before, after)
    data = {
        "base": base,
        "head": head,
        "countries_added": changes.countries_added,
        "countries_removed": changes.countries_removed,
        "changes": rows,
        "rankings": moves,
    }
    return rows, data, _markdown(data)


def _after(before: str | None, after: str | None) -> str:
    if after is not None and after == before:
        return f"{after} (detail changed)"
    return after or ""


def ranking_moves(before: list[Record], after: list[Record]) -> dict[str, list[dict[str, Any]]]:
    """Per profile, the countries whose rank moves: filled in by the scoring engine when present."""
    try:
        from benchmark.scoring.compare import rank_moves
    except ImportError:  # the scoring engine is optional for a facts-only diff
        return {}
    return rank_moves(before, after)


def _markdown(data: dict[str, Any]) -> str:
    rows = data["changes"]
    counts = {k: sum(r["change"] == k for r in rows) for k in ("added", "changed", "removed")}
    lines = [f"## Data changes: {data['base']} → {data['head']}", ""]
    lines.append(f"{counts['added']} fact(s) added, {counts['changed']} changed, {counts['removed']} removed.")
    for label, codes in (
        ("Countries added", data["countries_added"]),
        ("Countries removed", data["countries_removed"]),
    ):
        if codes:
            lines.append(f"{label}: {', '.join(codes)}.")
    if rows:
        lines += ["", "| country | change | fact | before | after |", "| --- | --- | --- | --- | --- |"]
        lines += [
            f"| {r['country']} | {r['change']} | {r['what']}: {_cell(r['fact'])} | {_cell(r['before'])} | "
            f"{_cell(r['after'])} |"
            for r in rows
        ]
    if data["rankings"]:
        lines += ["", "### Ranking movement", ""]
        for profile, moves in data["rankings"].items():
            if not moves:
                lines.append(f"- **{profile}**: no rank changes.")
                continue
            shown = ", ".join(f"{m['country']} {m['before'] or '–'}→{m['after'] or '–'}" for m in moves)
            lines.append(f"- **{profile}**: {shown}")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
