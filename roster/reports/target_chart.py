"""Time to staff against each urgency's target, as a server-side SVG: one row per urgency on
its own hour scale, the median as a bar, the 90th percentile as a whisker, the target as a
dashed line labelled "target 4 h". A median past its target is hatched and says so in words, so
neither the line nor the overrun is told by colour alone. Pure: numbers in, SVG out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from roster.reports.charts import INK, LINE, MUTED, SERIES, _a, _open

OVER_FILL, TARGET_INK = "#b42318", "#1b1f23"
NICE = (1, 2, 4, 6, 12, 24, 48, 72, 120, 168, 240, 360, 480, 720, 960, 1440)


@dataclass(frozen=True)
class Row:
    """One urgency: its label, target and the observed median and 90th percentile (hours)."""

    key: str
    label: str
    target: float
    count: int
    median: float | None
    p90: float | None


def hours_text(h: float) -> str:
    """4.0 -> "4 h", 61.2 -> "2.6 d": hours under two days, days above."""
    if h < 48:
        return f"{h:.1f}".removesuffix(".0") + " h"
    return f"{h / 24:.1f}".removesuffix(".0") + " d"


def tick_text(h: float) -> str:
    """An axis step: whole days from a day up, hours below."""
    return f"{h / 24:.0f} d" if h >= 24 and h % 24 == 0 else hours_text(h)


def _ticks(top: float) -> list[float]:
    """About five evenly spaced round steps (hours or days) from 0 to at least `top`."""
    step = next((s for s in NICE if top / s <= 5), NICE[-1])
    ticks, value = [0.0], 0.0
    while value < top:
        value += step
        ticks.append(value)
    return ticks


def staffing_targets(
    *,
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[Row],
    words: Callable[[str, str], str],
) -> str:
    """`words(kind, value)` gives the translated labels: kind is "target", "median", "p90",
    "over", "none" or "count" (the caller owns the language, the chart only lays out)."""
    left, plot, right, row_h, head = 100, 340, 30, 90, 4
    width, height = left + plot + right, head + row_h * len(rows) + 6
    out = _open(chart_id, title, desc, width, height)
    out.append(
        f'<defs><pattern id="{chart_id}-over" width="7" height="7" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="7" height="7" fill="{OVER_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="7" stroke="#ffffff" stroke-width="3"/>'
        f"</pattern></defs>"
    )
    for i, r in enumerate(rows):
        y0 = head + i * row_h
        bar_y, axis_y = y0 + 22, y0 + 62
        seen = [v for v in (r.median, r.p90) if v is not None]
        ticks = _ticks(max([r.target * 1.25, *(v * 1.05 for v in seen)]))
        scale = plot / ticks[-1]

        def x(h: float, scale: float = scale) -> float:
            return left + h * scale

        out.append(
            f'<g class="staffing-row" data-urgency="{_a(r.key)}">'
            f'<text x="{left - 8}" y="{bar_y + 11}" text-anchor="end" font-weight="700" '
            f'fill="{INK}">{_a(r.label)}</text>'
            f'<text x="{left - 8}" y="{bar_y + 27}" text-anchor="end" fill="{MUTED}">'
            f"{_a(words('count', str(r.count)))}</text>"
            f'<line x1="{left}" y1="{axis_y}" x2="{left + plot}" y2="{axis_y}" stroke="{MUTED}"/>'
        )
        for t in ticks:
            out.append(
                f'<line x1="{x(t):.1f}" y1="{axis_y}" x2="{x(t):.1f}" y2="{axis_y + 4}" '
                f'stroke="{MUTED}"/><text x="{x(t):.1f}" y="{axis_y + 16}" text-anchor="middle" '
                f'font-size="11" fill="{MUTED}">{_a(tick_text(t))}</text>'
            )
        if r.median is None:
            out.append(
                f'<text x="{left + 4}" y="{bar_y + 13}" fill="{MUTED}">'
                f"{_a(words('none', ''))}</text>"
            )
        else:
            over = r.median > r.target
            fill = f"url(#{chart_id}-over)" if over else SERIES[0]
            cls = "median-bar over-target" if over else "median-bar"
            label = words("median", hours_text(r.median))
            if r.p90 is not None:
                label += " · " + words("p90", hours_text(r.p90))
            if over:
                label = words("over", label)
            out.append(
                f'<rect class="{cls}" x="{left}" y="{bar_y}" '
                f'width="{max(2.0, r.median * scale):.1f}" height="18" fill="{fill}" '
                f'stroke="{OVER_FILL if over else SERIES[0]}"/>'
            )
            if r.p90 is not None:
                p90_over = r.p90 > r.target
                out.append(
                    f'<line class="p90{" over-target" if p90_over else ""}" '
                    f'x1="{x(r.median):.1f}" y1="{bar_y + 9}" x2="{x(r.p90):.1f}" '
                    f'y2="{bar_y + 9}" stroke="{INK}" stroke-width="1.5"/>'
                    f'<line x1="{x(r.p90):.1f}" y1="{bar_y + 2}" x2="{x(r.p90):.1f}" '
                    f'y2="{bar_y + 16}" stroke="{INK}" stroke-width="2"/>'
                )
            anchor_x = left + 4
            out.append(
                f'<text class="staffing-figures" x="{anchor_x}" y="{bar_y - 5}" '
                f'fill="{OVER_FILL if over else INK}" font-weight="{700 if over else 400}">'
                f"{_a(label)}</text>"
            )
        tx = x(r.target)
        target = words("target", hours_text(r.target))
        near_end = tx > left + plot - 80
        out.append(
            f'<line class="target-line" data-urgency="{_a(r.key)}" x1="{tx:.1f}" y1="{bar_y - 2}" '
            f'x2="{tx:.1f}" y2="{axis_y}" stroke="{TARGET_INK}" stroke-width="2" '
            f'stroke-dasharray="5 3"/>'
            f'<text class="target-label" x="{tx - 5 if near_end else tx + 5:.1f}" '
            f'y="{axis_y - 6}" text-anchor="{"end" if near_end else "start"}" '
            f'font-weight="700" fill="{TARGET_INK}">{_a(target)}</text>'
        )
        if i < len(rows) - 1:
            out.append(
                f'<line x1="10" y1="{y0 + row_h - 4}" x2="{width - 10}" y2="{y0 + row_h - 4}" '
                f'stroke="{LINE}"/>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
