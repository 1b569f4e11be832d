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


LONGEST_COLUMN_LABEL = 26  # characters; a longer name is cut with an ellipsis, whole in its title


def _short(label: str, most: int) -> str:
    return label if len(label) <= most else label[: most - 1].rstrip(" ,") + "\u2026"


def _shade(value: int, top: int) -> tuple[str, str]:
    """Fill and text colour for a covered cell: lighter to darker blue as the count grows."""
    share = min(1.0, value / top) if top else 0.0
    steps = ("#dbe9f6", "#b6d3ec", "#84b3dc", "#4f8cc4", "#2166ac")
    fill = steps[min(len(steps) - 1, int(share * (len(steps) - 1) + 0.5))]
    return fill, "#ffffff" if fill in steps[4:] else INK  # AA: 4.5:1 either way


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
    col_labels = [_short(label, LONGEST_COLUMN_LABEL) for label in col_labels]
    # Room for the longest row label and the slanted column labels (about 6.4 px a character
    # at the chart's font size): the labels rise at 65 degrees, so they need height above the
    # grid and a little width past its right edge.
    longest = max((len(label) for label in row_labels), default=10)
    tallest = max((len(label) for label in col_labels), default=4) * 6.4
    left, top = max(120, min(400, 16 + 6.4 * longest)), 24 + tallest * 0.91
    right = 10 + tallest * 0.42
    width = left + cell * len(col_labels) + right
    height = top + cell * len(row_labels) + 10
    highest = max((c.value for row in cells for c in row), default=0)
    linked = any(c.href for row in cells for c in row)
    out = _open(chart_id, title, desc, width, height, "group" if linked else "img")
    for j, label in enumerate(col_labels):
        x, y = left + j * cell + cell / 2 - 2, top - 8
        out.append(
            f'<g class="col-label"><title>{_a(titles[j])}</title>'
            f'<text x="{x:.1f}" y="{y:.1f}" transform="rotate(-65 {x:.1f} {y:.1f})" '
            f'fill="{INK}">{_a(label)}</text></g>'
        )
    for i, label in enumerate(row_labels):
        y = top + i * cell
        out.append(
            f'<text x="{left - 6:.1f}" y="{y + cell / 2 + 4:.1f}" text-anchor="end" '
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
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{fill}" stroke="{stroke}" class="cell-{state}"/>'
                f'<text x="{x + (cell - 2) / 2:.1f}" y="{y + cell / 2 + 3:.1f}" '
                f'text-anchor="middle" fill="{ink}">{c.value}</text>'
            )
            if c.href:
                out.append(f'<a href="{_a(c.href)}"><title>{_a(tip)}</title>{rect}</a>')
            else:
                out.append(f"<g><title>{_a(tip)}</title>{rect}</g>")
    out.append("</svg>")
    return "".join(out)


def _hatch(pattern_id: str, ink: str, ground: str = "#ffffff") -> str:
    return (
        f'<defs><pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{ground}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{ink}" stroke-width="2"/></pattern></defs>'
    )


def bars(
    *,
    chart_id: str,
    title: str,
    desc: str,
    items: Sequence[tuple[str, int | None]],
    value_text: Sequence[str] | None = None,
    suppressed_note: str = "",
) -> str:
    """Horizontal bars, one per item; a None value is a suppressed count, drawn as a hatched
    stub labelled with `value_text` (e.g. "< 5") instead of a length that would give it away,
    and explained under the bars by `suppressed_note` when any count is hidden."""
    longest = max((len(label) for label, _v in items), default=10)
    left, bar_h, gap, span = max(90, min(330, 14 + 7 * longest)), 22, 8, 340
    hidden = any(v is None for _label, v in items)
    height = 10 + len(items) * (bar_h + gap) + (30 if hidden and suppressed_note else 6)
    highest = max((v for _, v in items if v), default=0)
    out = _open(chart_id, title, desc, left + span + 110, height)
    out.append(f'<g font-size="13">{_hatch(f"{chart_id}-hidden", MUTED)}')
    for i, (label, value) in enumerate(items):
        y = 10 + i * (bar_h + gap)
        text = value_text[i] if value_text else str(value)
        out.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" fill="{INK}">{_a(label)}</text>'
        )
        if value is None:
            out.append(
                f'<rect class="suppressed" x="{left}" y="{y}" width="24" height="{bar_h}" '
                f'fill="url(#{chart_id}-hidden)" stroke="{MUTED}"/>'
            )
            length = 24.0
        else:
            length = span * value / highest if highest else 0.0
            out.append(
                f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar_h}" '
                f'fill="{SERIES[0]}"/>'
            )
        out.append(f'<text x="{left + length + 6:.1f}" y="{y + 16}" fill="{INK}">{_a(text)}</text>')
    if hidden and suppressed_note:
        y = height - 22
        out.append(
            f'<rect x="{left}" y="{y}" width="24" height="14" fill="url(#{chart_id}-hidden)" '
            f'stroke="{MUTED}"/><text x="{left + 30}" y="{y + 12}" fill="{MUTED}">'
            f"{_a(suppressed_note)}</text>"
        )
    out.append("</g></svg>")
    return "".join(out)


def funnel(
    *,
    chart_id: str,
    title: str,
    desc: str,
    stages: Sequence[tuple[str, int]],
    shares: Sequence[str] | None = None,
) -> str:
    """Bars shortening stage by stage, e.g. offers sent, answered, accepted; each count (and its
    share of the first stage, `shares`) written after its bar in dark text, so a short bar
    never hides its number."""
    width, bar_h, gap, label_w, span = 600, 30, 10, 110, 330
    highest = max((v for _, v in stages), default=0)
    out = _open(chart_id, title, desc, width, 10 + len(stages) * (bar_h + gap))
    for i, (label, value) in enumerate(stages):
        y = 10 + i * (bar_h + gap)
        length = max(2.0, span * value / highest) if highest else 2.0
        text = f"{value}" + (f" ({shares[i]})" if shares and shares[i] else "")
        out.append(
            f'<text x="{label_w - 8}" y="{y + bar_h / 2 + 5:.1f}" text-anchor="end" '
            f'font-size="13" fill="{INK}">{_a(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h}" '
            f'fill="{SERIES[i % len(SERIES)]}"/>'
            f'<text x="{label_w + length + 8:.1f}" y="{y + bar_h / 2 + 5:.1f}" font-size="13" '
            f'font-weight="700" fill="{INK}">{_a(text)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _count_axis(
    out: list[str],
    *,
    left: float,
    right: float,
    base: float,
    plot_h: float,
    highest: int,
    label: str,
) -> float:
    """Gridlines and whole-number ticks from 0 to a round top at or above `highest`, the axis
    named along its side; returns the pixels per count."""
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if highest / s <= 5), 1000)
    top = max(step, -(-highest // step) * step)
    for value in range(0, top + 1, step):
        y = base - plot_h * value / top
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" '
            f'stroke="{LINE if value else MUTED}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{value}</text>'
        )
    mid = base - plot_h / 2
    out.append(
        f'<text x="14" y="{mid:.1f}" transform="rotate(-90 14 {mid:.1f})" text-anchor="middle" '
        f'font-size="11" fill="{MUTED}">{_a(label)}</text>'
    )
    return plot_h / top


def columns(
    *,
    chart_id: str,
    title: str,
    desc: str,
    groups: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[int]],
    axis: str = "",
) -> str:
    """Grouped columns: for each group (x axis) one column per series; `values[s][g]`. A legend
    names the series, the count axis is ticked and named (`axis`), and each column carries its
    count above it."""
    col_w, inner_gap, group_gap, plot_h, base, left = 24, 3, 28, 200, 230, 60
    group_w = len(series) * (col_w + inner_gap) + group_gap
    width = max(left + 10 + len(groups) * group_w, 150 * len(series) + left)
    highest = max((v for row in values for v in row), default=0)
    out = _open(chart_id, title, desc, width, base + 66)
    per = _count_axis(
        out, left=left, right=width - 10, base=base, plot_h=plot_h, highest=highest, label=axis
    )
    for g, group in enumerate(groups):
        gx = left + 14 + g * group_w
        for s in range(len(series)):
            value = values[s][g]
            h = per * value
            x = gx + s * (col_w + inner_gap)
            tip = f"{group}: {series[s]} {value}"
            _column(out, x=x, base=base, h=h, width=col_w, s=s, tip=tip, value=value, gap=4)
        out.append(
            f'<text x="{gx + (group_w - group_gap) / 2:.1f}" y="{base + 18}" '
            f'text-anchor="middle" fill="{INK}">{_a(group)}</text>'
        )
    _legend(out, series, left, base + 40)
    out.append("</svg>")
    return "".join(out)


def _column(
    out: list[str],
    *,
    x: float,
    base: float,
    h: float,
    width: int,
    s: int,
    tip: str,
    value: int,
    gap: int,
    label_zero: bool = True,
) -> None:
    """One column of series `s` with `tip` as its title, its count written `gap` px above it
    (a zero too, unless `label_zero` is off)."""
    out.append(
        f'<rect x="{x}" y="{base - h:.1f}" width="{width}" height="{h:.1f}" '
        f'fill="{SERIES[s % len(SERIES)]}"><title>{_a(tip)}</title></rect>'
    )
    if value or label_zero:
        out.append(
            f'<text x="{x + width / 2}" y="{base - h - gap:.1f}" text-anchor="middle" '
            f'font-size="11" fill="{INK}">{value}</text>'
        )


def _legend(out: list[str], series: Sequence[str], left: float, y: float) -> None:
    for s, name in enumerate(series):
        x = left + s * 150
        out.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{SERIES[s % len(SERIES)]}"/>'
            f'<text x="{x + 20}" y="{y + 12}" fill="{INK}">{_a(name)}</text>'
        )


def monthly(
    *,
    chart_id: str,
    title: str,
    desc: str,
    months: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[int]],
    axis: str = "",
) -> str:
    """Narrow paired columns for many months (`values[s][m]`), each count written above its
    column, the count axis ticked and named, and each month labelled at a slant, so 24 months
    fit in about 1,000 px."""
    col_w, group_gap, plot_h, base, left = 15, 9, 200, 220, 60
    group_w = len(series) * (col_w + 1) + group_gap
    width = left + len(months) * group_w + 20
    highest = max((v for row in values for v in row), default=0)
    out = _open(chart_id, title, desc, width, base + 92)
    per = _count_axis(
        out, left=left, right=width - 10, base=base, plot_h=plot_h, highest=highest, label=axis
    )
    for m, month in enumerate(months):
        gx = left + 6 + m * group_w
        for s in range(len(series)):
            value = values[s][m]
            h = per * value
            x = gx + s * (col_w + 1)
            tip = f"{month}: {series[s]} {value}"
            # A zero reads from the axis; its label would only crowd the baseline.
            _column(
                out,
                x=x,
                base=base,
                h=h,
                width=col_w,
                s=s,
                tip=tip,
                value=value,
                gap=3,
                label_zero=False,
            )
        lx = gx + (group_w - group_gap) / 2
        out.append(
            f'<text x="{lx:.1f}" y="{base + 14}" transform="rotate(-45 {lx:.1f} {base + 14})" '
            f'text-anchor="end" font-size="11" fill="{INK}">{_a(month)}</text>'
        )
    _legend(out, series, left, base + 70)
    out.append("</svg>")
    return "".join(out)
