"""SVG charts drawn on the server: heatmap, funnel, grouped columns and bars. Pure: strings in,
an SVG string out, no Flask and no database. Every chart carries a <title> and a <desc> and shows
its numbers as text, so colour is never the only way to read it; the page puts the same numbers
in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from flask_babel import lazy_gettext as _l

FONT = 'font-family="system-ui, sans-serif" font-size="12"'
INK, MUTED, LINE = "#1b1f23", "#5a6570", "#c9d1d9"
EMPTY_FILL, THIN_FILL = "#fbe3e0", "#fdf1c7"
SERIES = ("#1f5f99", "#b35806", "#4d7f17", "#6a3d9a", "#8c2d04")
SUPPRESSED_FILL = "#e8ebee"
# How a heatmap cell's tooltip words its state (the state itself is also its CSS class).
CELL_STATES = {"empty": _l("empty"), "thin": _l("thin"), "covered": _l("covered")}


@dataclass(frozen=True)
class Cell:
    """One heatmap cell: its count, and where a click on it leads (None: nowhere)."""

    value: int
    href: str | None = None


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def _open(
    chart_id: str, title: str, desc: str, width: float, height: float, role: str = "img"
) -> list[str]:
    """An image, or a group when it holds links (an image's content cannot be interactive)."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="{role}" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" {FONT}>',
        f'<title id="{chart_id}-t">{_a(title)}</title>',
        f'<desc id="{chart_id}-d">{_a(desc)}</desc>',
    ]


def _shade(value: int, top: int) -> tuple[str, str]:
    """Fill and text colour for a covered cell: lighter to darker blue as the count grows."""
    share = min(1.0, value / top) if top else 0.0
    steps = ("#dbe9f6", "#b6d3ec", "#84b3dc", "#4f8cc4", "#2166ac")
    fill = steps[min(len(steps) - 1, int(share * (len(steps) - 1) + 0.5))]
    return fill, "#ffffff" if fill in steps[3:] else INK


def heatmap(
    *,
    chart_id: str,
    title: str,
    desc: str,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    cells: Sequence[Sequence[Cell]],
    thin_below: int,
    cell: int = 30,
    col_titles: Sequence[str] | None = None,
) -> str:
    """Rows x columns of counts; empty cells (0) and thin ones (< `thin_below`) stand out in
    fill and outline, and every count is written in its cell. Linked cells are <a> elements.
    `col_titles` (e.g. country names for codes) name the columns in each cell's title."""
    titles = list(col_titles) if col_titles is not None else list(col_labels)
    # Room for the longest row label (about 7 px a character at the chart's font size).
    longest = max((len(label) for label in row_labels), default=10)
    left, top = max(120, min(400, 16 + 7 * longest)), 70
    width, height = left + cell * len(col_labels) + 10, top + cell * len(row_labels) + 10
    highest = max((c.value for row in cells for c in row), default=0)
    linked = any(c.href for row in cells for c in row)
    out = _open(chart_id, title, desc, width, height, "group" if linked else "img")
    for j, label in enumerate(col_labels):
        x = left + j * cell + cell / 2
        out.append(
            f'<text x="{x:.1f}" y="{top - 6}" transform="rotate(-55 {x:.1f} {top - 6})" '
            f'fill="{INK}">{_a(label)}</text>'
        )
    for i, label in enumerate(row_labels):
        y = top + i * cell
        out.append(
            f'<text x="{left - 6}" y="{y + cell / 2 + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{_a(label)}</text>'
        )
        for j, c in enumerate(cells[i]):
            x = left + j * cell
            if c.value == 0:
                fill, ink, stroke, state = EMPTY_FILL, "#8a1c12", "#b42318", "empty"
            elif c.value < thin_below:
                fill, ink, stroke, state = THIN_FILL, INK, "#a15c07", "thin"
            else:
                (fill, ink), stroke, state = _shade(c.value, highest), "#ffffff", "covered"
            tip = f"{label} / {titles[j]}: {c.value} ({CELL_STATES[state]})"
            rect = (
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}" '
                f'stroke="{stroke}" class="cell-{state}"/>'
                f'<text x="{x + (cell - 2) / 2:.1f}" y="{y + cell / 2 + 3:.1f}" '
                f'text-anchor="middle" fill="{ink}">{c.value}</text>'
            )
            if c.href:
                out.append(f'<a href="{_a(c.href)}"><title>{_a(tip)}</title>{rect}</a>')
            else:
                out.append(f"<g><title>{_a(tip)}</title>{rect}</g>")
    out.append("</svg>")
    return "".join(out)


def bars(
    *,
    chart_id: str,
    title: str,
    desc: str,
    items: Sequence[tuple[str, int | None]],
    value_text: Sequence[str] | None = None,
) -> str:
    """Horizontal bars, one per item; a None value is a suppressed count, drawn as a grey stub
    labelled with `value_text` (e.g. "< 5") instead of a length that would give it away."""
    left, bar_h, gap, span = 200, 20, 8, 360
    height = 10 + len(items) * (bar_h + gap) + 10
    highest = max((v for _, v in items if v), default=0)
    out = _open(chart_id, title, desc, left + span + 80, height)
    for i, (label, value) in enumerate(items):
        y = 10 + i * (bar_h + gap)
        text = value_text[i] if value_text else str(value)
        out.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" fill="{INK}">{_a(label)}</text>'
        )
        if value is None:
            out.append(
                f'<rect x="{left}" y="{y}" width="12" height="{bar_h}" fill="{SUPPRESSED_FILL}" '
                f'stroke="{MUTED}"/>'
            )
            length = 12.0
        else:
            length = span * value / highest if highest else 0.0
            out.append(
                f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar_h}" '
                f'fill="{SERIES[0]}"/>'
            )
        out.append(f'<text x="{left + length + 6:.1f}" y="{y + 14}" fill="{INK}">{_a(text)}</text>')
    out.append("</svg>")
    return "".join(out)


def funnel(*, chart_id: str, title: str, desc: str, stages: Sequence[tuple[str, int]]) -> str:
    """Centred bars narrowing stage by stage, e.g. offers sent, answered, accepted."""
    width, bar_h, gap, label_w = 560, 34, 8, 170
    span = width - label_w - 20
    highest = max((v for _, v in stages), default=0)
    out = _open(chart_id, title, desc, width, 10 + len(stages) * (bar_h + gap))
    for i, (label, value) in enumerate(stages):
        y = 10 + i * (bar_h + gap)
        length = max(2.0, span * value / highest) if highest else 2.0
        x = label_w + (span - length) / 2
        out.append(
            f'<text x="{label_w - 8}" y="{y + bar_h / 2 + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{_a(label)}</text>'
            f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_h}" '
            f'fill="{SERIES[i % len(SERIES)]}"/>'
            f'<text x="{label_w + span / 2:.1f}" y="{y + bar_h / 2 + 4:.1f}" '
            f'text-anchor="middle" fill="#ffffff" stroke="{INK}" stroke-width="0.6" '
            f'font-weight="700">{value}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def columns(
    *,
    chart_id: str,
    title: str,
    desc: str,
    groups: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[int]],
) -> str:
    """Grouped columns: for each group (x axis) one column per series; `values[s][g]`. A legend
    names the series, and each column carries its count above it."""
    col_w, inner_gap, group_gap, plot_h, base = 18, 2, 22, 180, 230
    group_w = len(series) * (col_w + inner_gap) + group_gap
    width = max(60 + len(groups) * group_w, 140 * len(series) + 40)
    highest = max((v for row in values for v in row), default=0)
    out = _open(chart_id, title, desc, width, base + 60)
    out.append(f'<line x1="40" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{LINE}"/>')
    for g, group in enumerate(groups):
        gx = 50 + g * group_w
        for s in range(len(series)):
            value = values[s][g]
            h = plot_h * value / highest if highest else 0.0
            x = gx + s * (col_w + inner_gap)
            out.append(
                f'<rect x="{x}" y="{base - h:.1f}" width="{col_w}" height="{h:.1f}" '
                f'fill="{SERIES[s % len(SERIES)]}"/>'
                f'<text x="{x + col_w / 2}" y="{base - h - 3:.1f}" text-anchor="middle" '
                f'font-size="10" fill="{INK}">{value}</text>'
            )
        out.append(
            f'<text x="{gx + (group_w - group_gap) / 2:.1f}" y="{base + 16}" '
            f'text-anchor="middle" fill="{INK}">{_a(group)}</text>'
        )
    for s, name in enumerate(series):
        x = 40 + s * 140
        out.append(
            f'<rect x="{x}" y="{base + 30}" width="12" height="12" '
            f'fill="{SERIES[s % len(SERIES)]}"/>'
            f'<text x="{x + 16}" y="{base + 40}" fill="{INK}">{_a(name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def monthly(
    *,
    chart_id: str,
    title: str,
    desc: str,
    months: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[int]],
) -> str:
    """Narrow paired columns for many months (`values[s][m]`), each count written above its
    column and each month labelled at a slant, so 24 months fit in under 1,000 px."""
    col_w, group_gap, plot_h, base, left = 12, 10, 160, 200, 40
    group_w = len(series) * (col_w + 1) + group_gap
    width = left + len(months) * group_w + 20
    highest = max((v for row in values for v in row), default=0)
    out = _open(chart_id, title, desc, width, base + 90)
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{LINE}"/>')
    for m, month in enumerate(months):
        gx = left + 6 + m * group_w
        for s in range(len(series)):
            value = values[s][m]
            h = plot_h * value / highest if highest else 0.0
            x = gx + s * (col_w + 1)
            out.append(
                f'<rect x="{x}" y="{base - h:.1f}" width="{col_w}" height="{h:.1f}" '
                f'fill="{SERIES[s % len(SERIES)]}"><title>{_a(month)}: {_a(series[s])} '
                f"{value}</title></rect>"
                f'<text x="{x + col_w / 2}" y="{base - h - 3:.1f}" text-anchor="middle" '
                f'font-size="9" fill="{INK}">{value}</text>'
            )
        lx = gx + (group_w - group_gap) / 2
        out.append(
            f'<text x="{lx:.1f}" y="{base + 12}" transform="rotate(-45 {lx:.1f} {base + 12})" '
            f'text-anchor="end" font-size="11" fill="{INK}">{_a(month)}</text>'
        )
    for s, name in enumerate(series):
        x = left + s * 140
        out.append(
            f'<rect x="{x}" y="{base + 66}" width="12" height="12" '
            f'fill="{SERIES[s % len(SERIES)]}"/>'
            f'<text x="{x + 16}" y="{base + 76}" fill="{INK}">{_a(name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
