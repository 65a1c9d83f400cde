"""Charts drawn at build time as inline SVG: a title and a description for assistive technology, shapes as
well as colours for the series (never colour alone), and coordinates rounded so the bytes are stable.

The page puts the same numbers in a table beside each chart; the chart is a picture of that table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from benchmark.publish.site.i18n import Lang

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies, each with its own marker.
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle")
INK, MUTED, GRID = "#1f2933", "#52606d", "#d9dee3"
CHAR = 8.2  # a generous width of one character at the charts' 13 px (Cyrillic and bold run wider than Latin)


@dataclass
class Series:
    label: str
    points: list[tuple[int, float]]
    dashed: bool = False
    joined: bool = True  # targets and projections are points in time, never a line through them
    spans: dict[int, tuple[float, float]] | None = None  # a range's low and high, drawn as a whisker


@dataclass
class Bar:
    label: str
    value: float | None
    highlight: bool = False
    note: str = ""
    text: str = ""  # the value as the page writes it ("~1.2%", "up to 30%"); a bare number when empty


def _f(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _path(points: list[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{_f(x)} {_f(y)}" for x, y in points) + "Z"


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{_f(x - 4)}" y="{_f(y - 4)}" width="8" height="8" fill="{colour}"/>'
    if kind == "triangle":
        return f'<path d="{_path([(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)])}" fill="{colour}"/>'
    if kind == "diamond":
        return f'<path d="{_path([(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)])}" fill="{colour}"/>'
    if kind == "cross":
        a, b = f"{_f(x - 4)} {_f(y - 4)}L{_f(x + 4)} {_f(y + 4)}", f"{_f(x - 4)} {_f(y + 4)}L{_f(x + 4)} {_f(y - 4)}"
        return f'<path d="M{a}M{b}" stroke="{colour}" stroke-width="2.5"/>'
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="4.5" fill="{colour}"/>'


def _frame(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="13">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def line_chart(chart_id: str, title: str, desc: str, series: list[Series], L: Lang, *, unit: str = "") -> Markup:
    """Years along the bottom, values up the side; one line and one marker shape per series."""
    values = [v for s in series for _, v in s.points] + [
        x for s in series for span in (s.spans or {}).values() for x in span
    ]
    years = sorted({y for s in series for y, _ in s.points})
    width, left, right, top = 560, 14, 16, 14
    ticks = nice_ticks(min(0.0, *values), max(values))
    labels = [L.number(t) + unit for t in ticks]
    left += 8 * max(len(t) for t in labels)
    legend_rows = _legend_rows(series, width - 20)
    plot_bottom = 250
    height = plot_bottom + 34 + 22 * len(legend_rows)
    low, high = ticks[0], ticks[-1]

    def x_of(year: int) -> float:
        if len(years) == 1:
            return (left + width - right) / 2
        return left + 10 + (year - years[0]) / (years[-1] - years[0]) * (width - right - left - 20)

    def y_of(value: float) -> float:
        return plot_bottom - (value - low) / (high - low) * (plot_bottom - top)

    body: list[str] = []
    for tick, label in zip(ticks, labels, strict=True):
        y = y_of(tick)
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{_f(y)}" y2="{_f(y)}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 6}" y="{_f(y + 4)}" text-anchor="end" fill="{MUTED}">{escape(label)}</text>')
    step = max(1, math.ceil(len(years) / 10))
    for year in years[::step]:
        body.append(
            f'<text x="{_f(x_of(year))}" y="{plot_bottom + 18}" text-anchor="middle" fill="{MUTED}">{year}</text>'
        )
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{plot_bottom}" y2="{plot_bottom}" stroke="{MUTED}"/>')
    for i, s in enumerate(series):
        colour, marker = COLOURS[i % len(COLOURS)], MARKERS[i % len(MARKERS)]
        points = sorted(s.points)
        for year, (low, high) in sorted((s.spans or {}).items()):
            sx = _f(x_of(year))
            body.append(f'<path d="M{sx} {_f(y_of(low))}L{sx} {_f(y_of(high))}" stroke="{colour}" stroke-width="2"/>')
        if len(points) > 1 and s.joined:
            path = "M" + "L".join(f"{_f(x_of(y))} {_f(y_of(v))}" for y, v in points)
            dash = ' stroke-dasharray="6 4"' if s.dashed else ""
            body.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
        body.extend(_marker(marker, x_of(y), y_of(v), colour) for y, v in points)
    y = plot_bottom + 40
    for row in legend_rows:
        x = 10
        for i, label, length in row:
            colour, marker = COLOURS[i % len(COLOURS)], MARKERS[i % len(MARKERS)]
            dash = ' stroke-dasharray="6 4"' if series[i].dashed else ""
            body.append(
                f'<line x1="{x}" x2="{x + 24}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" stroke-width="2.5"{dash}/>'
            )
            body.append(_marker(marker, x + 12, y - 4, colour))
            body.append(f'<text x="{x + 30}" y="{y}" fill="{INK}">{escape(label)}</text>')
            x += 40 + length
        y += 22
    return _frame(chart_id, title, desc, width, height, body)


def _legend_rows(series: list[Series], room: int) -> list[list[tuple[int, str, int]]]:
    rows: list[list[tuple[int, str, int]]] = [[]]
    used = 0
    for i, s in enumerate(series):
        length = 8 * len(s.label)
        if rows[-1] and used + length + 40 > room:
            rows.append([])
            used = 0
        rows[-1].append((i, s.label, length))
        used += length + 40
    return rows


def bar_chart(
    chart_id: str, title: str, desc: str, bars: list[Bar], L: Lang, *, unit: str = "", maximum: float | None = None
) -> Markup:
    """Horizontal bars, one per row, with the value written at the end; missing values say so in words."""
    label_width = min(210, 12 + CHAR * max((len(b.label) for b in bars), default=4))
    width, row_height, top = 560, 24, 6
    known = [b.value for b in bars if b.value is not None]
    top_value = maximum if maximum is not None else max(known, default=1.0) or 1.0
    texts = [_bar_text(b, L, unit) for b in bars]
    # the longest value text must fit after the longest bar: the bars get what the labels and texts leave
    bar_room = max(80, width - label_width - 10 - CHAR * max((len(t) for t in texts), default=4))
    height = top + row_height * len(bars) + 6
    body: list[str] = []
    for i, bar in enumerate(bars):
        y = top + i * row_height
        weight = ' font-weight="700"' if bar.highlight else ""
        shown = _fit(bar.label, int((label_width - 12) // CHAR))
        full = f"<title>{escape(bar.label)}</title>" if shown != bar.label else ""
        body.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" fill="{INK}"{weight}>'
            f"{full}{escape(shown)}</text>"
        )
        if bar.value is None:
            body.append(f'<text x="{label_width}" y="{y + 16}" fill="{MUTED}">{escape(bar.note)}</text>')
            continue
        length = max(0.0, bar.value) / top_value * bar_room if top_value else 0.0
        colour = COLOURS[1] if bar.highlight else COLOURS[0]
        body.append(f'<rect x="{label_width}" y="{y + 4}" width="{_f(length)}" height="16" fill="{colour}"/>')
        text = texts[i]
        body.append(f'<text x="{_f(label_width + length + 6)}" y="{y + 16}" fill="{INK}"{weight}>{escape(text)}</text>')
    return _frame(chart_id, title, desc, width, height, body)


def _bar_text(bar: Bar, L: Lang, unit: str) -> str:
    if bar.value is None:
        return bar.note
    return (bar.text or L.number(bar.value) + unit) + (f" {bar.note}" if bar.note else "")


def _fit(label: str, room: int) -> str:
    """A label cut to `room` characters with an ellipsis (the full label is the element's title)."""
    return label if len(label) <= room else label[: max(1, room - 1)].rstrip() + "…"
