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
            "note": c.note,
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
        # A revision's own problems (its records that do not validate are left out of both sides' facts):
        # named so a reviewer does not blame them on the change.
        "base_problems": [p.text() for p in getattr(before, "problems", [])],
        "head_problems": [p.text() for p in getattr(after, "problems", [])],
    }
    return rows, data, _markdown(data)


def _after(before: str | None, after: str | None) -> str:
    if after is not None and after == before:
        return f"{after} (detail changed)"
    return after or ""


def ranking_moves(before: list[Record], after: list[Record]) -> dict[str, list[dict[str, Any]]]:
    """Per profile, the countries whose rank moves, and why: filled in by the scoring engine when present."""
    try:
        from benchmark.publish.diff_moves import rank_moves
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
            f"{_cell(r['after'])}{' (' + r['note'] + ')' if r['note'] else ''} |"
            for r in rows
        ]
    if data["rankings"]:
        lines += ["", "### Ranking movement", ""]
        for profile, moves in data["rankings"].items():
            if not moves:
                lines.append(f"- **{profile}**: no rank changes.")
                continue
            lines.append(f"- **{profile}**: " + ", ".join(_move(m) for m in moves))
        imputed = [
            f"{m['country']} under {profile}" for profile, moves in data["rankings"].items() for m in moves
            if m.get("cause") == "imputation only"
        ]  # fmt: skip
        if imputed:
            lines += ["", f"Moves that come only from imputed values (a gap the profile fills): {', '.join(imputed)}."]
    for side, key in (("base", "base_problems"), ("head", "head_problems")):
        if data[key]:
            lines += ["", f"### Problems the {side} revision ({data[side]}) has itself", ""]
            lines.append(f"Records with these problems are left out of the {side} side of this diff.")
            lines += ["", *[f"- {_cell(p)}" for p in data[key]]]
    return "\n".join(lines)


def _move(m: dict[str, Any]) -> str:
    cause = m.get("cause")
    why = f" ({cause}: {', '.join(m['indicators'])})" if m.get("indicators") else f" ({cause})" if cause else ""
    return f"{m['country']} {m['before'] or '–'}→{m['after'] or '–'}{why}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
